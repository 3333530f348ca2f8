"""Every text a person reads is in simsav/present/texts.py, in Dutch and English, with the same blanks."""
from __future__ import annotations

import string

import pytest

from simsav.present import texts


def _leaves(node, path=()):
    if isinstance(node, dict) and set(node) == set(texts.LANGS) and not isinstance(node["en"], dict):
        yield path, node
        return
    for key, value in node.items():
        yield from _leaves(value, path + (key,))


LEAVES = list(_leaves(texts.TEXTS))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_there_are_texts_in_every_section():
    assert {"figures", "report", "notices", "sharing_figures", "sensitivity_figures"} <= set(texts.TEXTS)
    assert len(LEAVES) > 100


@pytest.mark.parametrize("path, pair", LEAVES, ids=[".".join(p) for p, _ in LEAVES])
def test_every_text_has_both_languages_with_the_same_placeholders(path, pair):
    assert pair["en"].strip() and pair["nl"].strip(), path
    assert _fields(pair["en"]) == _fields(pair["nl"]), path


def test_section_and_text_resolve_one_language():
    report = texts.section("report")
    assert report["nl"]["subtitle"] == texts.TEXTS["report"]["subtitle"]["nl"]
    assert texts.text("en", "notices", "p_uncertain", se="0.03").startswith("P(net > 0) is uncertain by about +/-0.03")
    with pytest.raises(ValueError, match="lang must be one of"):
        texts.text("de", "notices", "p_uncertain", se="0.03")
