"""``--lang nl|en`` and the config's ``language``: every command speaks one language throughout.

The words each command prints come from sections of simsav.present.texts; for every shipped
config, the Dutch output contains none of the English phrases of those sections (and the
English output none of the Dutch ones), and without ``--lang`` the config's language is used.
"""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from conftest import REGION_CONFIGS
from click.testing import CliRunner

from simsav.cli import main
from simsav.present.texts import TEXTS

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = REGION_CONFIGS
SECTIONS = ("cli", "console", "share_console", "sensitivity_console", "validate_console", "table_console",
            "table_words")


def _fragments(lang: str) -> set[str]:
    """Return the phrases (two words or more, between placeholders) of ``lang``'s texts in SECTIONS
    that do not occur in the other language's text of the same key."""
    other = "nl" if lang == "en" else "en"
    out = set()
    def leaves(node):
        if set(node) == {"en", "nl"} and isinstance(node["en"], str):
            yield node
        else:
            for child in node.values():
                yield from leaves(child)

    for name in SECTIONS:
        for pair in leaves(TEXTS[name]):
            mine, theirs = pair[lang], pair[other]
            for literal, *_ in string.Formatter().parse(mine):
                for piece in re.split(r"[()\[\]:;,.'\n]", literal):
                    piece = piece.strip(" -+>=")
                    if len(piece.split()) >= 2 and re.search("[a-z]{3}", piece) and piece not in theirs:
                        out.add(piece)
    return out


ENGLISH, DUTCH = _fragments("en"), _fragments("nl")


def test_there_are_phrases_to_look_for():
    assert len(ENGLISH) > 50 and len(DUTCH) > 50
    assert "participant-months at full rate" in ENGLISH and "deelnemer-maanden tegen vol tarief" in DUTCH
    assert any("over the horizon" in p for p in ENGLISH) and any("over de looptijd" in p for p in DUTCH)


def _invoke(*args, cwd: Path) -> str:
    result = CliRunner().invoke(main, list(map(str, args)))
    assert result.exit_code == 0, result.output
    return result.output


COMMANDS = {
    "run": lambda cfg, tmp: ["run", cfg, "--draws", "40", "--out", tmp / "r.nc", "--no-progress"],
    "table": lambda cfg, tmp: ["table", cfg, "--by", "year"],
    "table-markdown": lambda cfg, tmp: ["table", cfg, "--format", "markdown"],
    "share": lambda cfg, tmp: ["share", cfg, "--draws", "40", "--no-progress"],
    "validate": lambda cfg, tmp: ["validate", cfg],
    "sensitivity": lambda cfg, tmp: (["sensitivity", cfg, "--method", "threshold", "--parameter",
                                      "outcomes.streams.bijstand.placement_probability", "--n", "8", "--points", "3"]
                                     if cfg.stem == "twente" else ["sensitivity", cfg]),
    "sensitivity-threshold": lambda cfg, tmp: ["sensitivity", cfg, "--method", "threshold", "--parameter",
                                               "outcomes.streams.bijstand.placement_probability" if cfg.stem == "twente"
                                               else "placement_probability", "--n", "8", "--points", "3"],
}


def _found(text: str, phrases: set[str], config: Path | None = None) -> list[str]:
    """Return the phrases in ``text``, leaving out those the config itself says (its labels, names)."""
    own = config.read_text(encoding="utf-8") if config is not None else ""
    return sorted(p for p in phrases if p in text and p not in own)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_speaks_one_language(command, config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = COMMANDS[command](config, tmp_path)
    nl = _invoke(*args, "--lang", "nl", cwd=tmp_path)
    en = _invoke(*args, "--lang", "en", cwd=tmp_path)
    assert nl != en
    assert _found(nl, ENGLISH, config) == []
    assert _found(en, DUTCH, config) == []
    if command in ("run", "share"):
        assert re.search(r"\d\.\d{3}\b", nl) and re.search(r"\d,\d{3}\b", en)  # 1.234 and 1,234
        assert re.search(r"\b0,\d\d\b", nl) and re.search(r"\b0\.\d\d\b", en)  # 0,56 and 0.56


def test_the_config_language_is_the_default(tmp_path, monkeypatch, small_config):
    monkeypatch.chdir(tmp_path)
    for config in CONFIGS:  # the shipped configs say language = "nl"
        assert 'language = "nl"' in config.read_text(encoding="utf-8")
        assert _invoke("validate", config, cwd=tmp_path) == _invoke("validate", config, "--lang", "nl", cwd=tmp_path)
    text = small_config.read_text(encoding="utf-8")
    assert "language" not in text  # no language: English
    assert _invoke("table", small_config, cwd=tmp_path) == _invoke("table", small_config, "--lang", "en", cwd=tmp_path)
    dutch = small_config.with_name("dutch.toml")
    dutch.write_text('language = "nl"\n' + text, encoding="utf-8")
    out = _invoke("table", dutch, cwd=tmp_path)
    assert out == _invoke("table", dutch, "--lang", "nl", cwd=tmp_path) and "Per partij" in out
    assert "Per party" in _invoke("table", dutch, "--lang", "en", cwd=tmp_path)


def test_share_of_a_results_file_speaks_its_config_language(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = ROOT / "configs" / "twente.toml"
    _invoke("run", config, "--draws", "20", "--out", "t.nc", "--no-progress", cwd=tmp_path)
    out = _invoke("share", "t.nc", cwd=tmp_path)
    assert "Verdeelregels" in out and _found(out, ENGLISH) == []
    assert "Sharing rules" in _invoke("share", "t.nc", "--lang", "en", cwd=tmp_path)


@pytest.mark.parametrize("command", ["run", "table", "share", "sensitivity", "validate", "report"])
def test_an_unknown_language_is_bad_input(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [command, str(CONFIGS[0]), "--lang", "xx"])
    assert result.exit_code == 2
    assert "error: --lang:" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
