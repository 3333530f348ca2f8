"""Labels and sources, for a board: a distribution's ``label`` and ``source = "key:line"`` citing the
config's ``[sources]`` table, shown by ``simsav sensitivity`` and the report instead of ids, paths and
comments (simsav.present.labels)."""
from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

from simsav.config import config_from_dict, load_config, uncertain_numbers
from simsav.config.distributions import Pert, Triangular, Uniform, text_in
from simsav.config.load import dotted, walk_numbers
from simsav.config.sources import source_comments
from simsav.present import labels

from conftest import REGION_CONFIGS, SCENARIOS, SMALL_CONFIG

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REGION_CONFIGS

SOURCES = '''
[sources.twente]
title = "Business case Twente 2021-2023"
date = "nov. 2020"
where = "Werk als beste Zorg in Twente"
'''


def labelled(text: str = SMALL_CONFIG) -> str:
    """The small config with a label in two languages and a citation on its placement probability."""
    old = '{ dist = "beta", mean = 0.4, sd = 0.08, name = "p_place" }'
    assert old in text
    new = ('{ dist = "beta", mean = 0.4, sd = 0.08, name = "p_place", '
           'label = { nl = "Kans op werk", en = "Chance of work" }, source = ["twente:31", "judgement"] }')
    return text.replace(old, new) + SOURCES


# --------------------------------------------------------------------------- labels

def test_sensitivity_prints_labels_not_ids(run_simsav, write_config):
    path = write_config(labelled())
    r = run_simsav("sensitivity", path, "--lang", "nl")
    assert r.returncode == 0, r.stderr
    assert "Kans op werk" in r.stdout and "p_place" not in r.stdout
    # without a label: the item's label and the field, never the path
    assert "Projectleiding: bedrag" in r.stdout and "items.overhead.amount" not in r.stdout
    r = run_simsav("sensitivity", path, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "Chance of work" in r.stdout and "Projectleiding: amount" in r.stdout


def test_shipped_sensitivity_names_every_parameter_by_its_label(run_simsav):
    hr = REPO / "configs" / "holland-rijnland.toml"
    r = run_simsav("sensitivity", hr, "--top", "30", "--lang", "nl")
    assert r.returncode == 0, r.stderr
    cfg = load_config(hr)
    for path, dist in uncertain_numbers(cfg).items():
        assert isinstance(dist.label, dict) and set(dist.label) == {"nl", "en"}, path  # Dutch and English
        assert dist.label["nl"] in r.stdout
        assert not re.search(rf"(?<![\w.]){re.escape(dist.name)}(?![\w.])", r.stdout), dist.name


def test_derived_labels_name_the_owner_and_the_field():
    import tomllib

    data = tomllib.loads((REPO / "configs" / "holland-rijnland.toml").read_text(encoding="utf-8"))
    for item in data["items"]:
        for key, value in item.items():
            if isinstance(value, dict) and "dist" in value:
                value.pop("label", None)
    for stream in data["streams"]:
        if isinstance(stream["monthly_benefit"], dict):
            stream["monthly_benefit"].pop("label", None)
    data["counterfactual"]["placement_probability"].pop("label")
    bare = config_from_dict(data)
    nl, en = labels.parameter_labels(bare, "nl"), labels.parameter_labels(bare, "en")
    assert nl["items.zorgkosten_zvw.amount"] == "Zorgkosten Zvw: bedrag"
    assert en["items.zorgkosten_zvw.amount"] == "Zorgkosten Zvw: amount"
    assert nl["streams.ww.monthly_benefit"] == "WW (UWV): uitkering per maand"
    assert nl["counterfactual.placement_probability"] == "Zonder de aanpak: kans op een baan"
    assert nl["cf_placement_probability"] == nl["counterfactual.placement_probability"]  # by name too
    assert nl["items.buspas_laptop.eligible_share"] == "Maatwerk: busabonnement en laptop: aandeel deelnemers"


def test_values_in_words_in_each_language():
    pert = Pert(dist="pert", low=1000, mode=1500, high=4000)
    assert labels.value_in_words(pert, "nl") == "tussen 1.000 en 4.000, meest waarschijnlijk 1.500"
    assert labels.value_in_words(pert, "en") == "between 1,000 and 4,000, most likely 1,500"
    tri = Triangular(dist="triangular", low=12, mode=24, high=24)
    assert labels.value_in_words(tri, "nl") == "tussen 12 en 24, meest waarschijnlijk 24"
    uni = Uniform(dist="uniform", low=0.25, high=0.5)
    assert labels.value_in_words(uni, "nl") == "tussen 0,25 en 0,5, elke waarde even waarschijnlijk"


# --------------------------------------------------------------------------- sources

def test_a_citation_reads_as_document_date_and_line():
    cfg = load_config(REPO / "configs" / "holland-rijnland.toml")
    care = uncertain_numbers(cfg)["items.zorgkosten_zvw.amount"]
    text = labels.cited_sources(cfg, care, "nl")
    assert text.startswith("Business case Twente 2021-2023 (nov. 2020), r. 43; ")
    assert text.endswith("eigen inschatting van de opstellers")
    ww = uncertain_numbers(cfg)["streams.ww.benefit_months_remaining"]
    assert labels.cited_sources(cfg, ww, "en") == "judgement of the modeller"


@pytest.mark.parametrize("citation, message", [
    ('"nope:3"', "outcomes.placement_probability.source: unknown source 'nope'; known: twente"),
    ('["twente:4", "other"]', "outcomes.placement_probability.source: unknown source 'other'; known: twente"),
    ('"twente line 4"', "outcomes.placement_probability.source"),
    ('"judgement:4"', "a judgement has no line"),
    ('"twente:9-4"', "line range 9-4 runs backwards"),
])
def test_a_bad_citation_is_a_one_line_config_error(run_simsav, write_config, citation, message):
    text = labelled().replace('source = ["twente:31", "judgement"]', f"source = {citation}")
    path = write_config(text)
    r = run_simsav("validate", path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith(f"error: {path}: ") and message in r.stderr
    assert r.stderr.count("\n") == 1


def test_every_number_of_a_shipped_distribution_cites_a_source():
    for path in [*SHIPPED, *SCENARIOS]:
        cfg = load_config(path)
        for where, dist in uncertain_numbers(cfg).items():
            assert dist.source, f"{path.name}: {where}"
        assert all(doc.title and ".txt" not in doc.where and "../" not in doc.where for doc in cfg.sources.values())


def test_holland_rijnland_carries_an_agreement(run_simsav):
    r = run_simsav("share", REPO / "configs" / "holland-rijnland.toml", "--rule", "agreement", "--draws", "50")
    assert r.returncode == 0, r.stderr
    assert "Voorstel: resultaatbetaling per duurzame plaatsing" in r.stdout


# --------------------------------------------------------------------------- the Dutch report

def _visible(page: str) -> str:
    """The report's text as a reader sees it (no tags, no image data), entities decoded."""
    page = re.sub(r'src="data:[^"]*"', "", page)
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", page)))


def _english_sentences(path: Path, cfg) -> list[str]:
    """Every comment of the config (they are English) and the English description it keeps in one,
    cut into pieces of some length: none may appear in the Dutch report."""
    text = path.read_text(encoding="utf-8")
    comments = [c for line in text.splitlines() if "#" in line for c in [line.split("#", 1)[1].strip()]]
    comments += [s.comment for s in source_comments(text).values()]
    pieces = []
    for c in comments:
        for piece in re.split(r"[;:.()]\s", c.replace("In English: ", "")):
            piece = piece.strip(" .")
            if len(piece) >= 25 and re.search(r"\b(the|is|of|and|a|to)\b", piece):  # English, not a Dutch quote
                pieces.append(piece)
    return pieces


@pytest.fixture(scope="module", params=[p.name for p in SHIPPED])
def dutch_report(request):
    from simsav.present.report import build_report

    path = REPO / "configs" / request.param
    return path, load_config(path), _visible(build_report(path, draws=20, seed=3, lang="nl"))


def test_the_dutch_report_names_no_parameter_id(dutch_report):
    path, cfg, page = dutch_report
    body = page.split("Gemaakt met simsav")[0]  # the footer quotes the command that made it
    ids = {dotted(p) for p, _ in walk_numbers(cfg)}
    ids |= {d.name for d in uncertain_numbers(cfg).values() if d.name}
    found = sorted(i for i in ids if re.search(rf"(?<![\w.]){re.escape(i)}(?![\w.])", body))
    assert not found, f"{path.name}: {found}"


def test_the_dutch_report_shows_no_file_path(dutch_report):
    path, cfg, page = dutch_report
    body = page.split("Gemaakt met simsav")[0]
    assert "../shared" not in page and "seeds/" not in page
    assert not re.search(r"\w\.(md|pdf|txt)\b", body)


def test_the_dutch_report_quotes_no_english_sentence_of_its_config(dutch_report):
    path, cfg, page = dutch_report
    sentences = _english_sentences(path, cfg)
    assert sentences  # the configs do have English comments
    quoted = [s for s in sentences if s in page]
    assert not quoted, f"{path.name}: {quoted[:3]}"


def test_the_dutch_report_shows_labels_values_in_words_and_sources(dutch_report):
    path, cfg, page = dutch_report
    assumptions = page.split("Aannames en bronnen")[-1]
    for where, dist in uncertain_numbers(cfg).items():
        assert text_in(dist.label, "nl") in assumptions
        assert labels.value_in_words(dist, "nl") in assumptions
        assert labels.cited_sources(cfg, dist, "nl") in assumptions
    if uncertain_numbers(cfg):
        assert "Business case Twente 2021-2023 (nov. 2020), r. " in assumptions
        assert cfg.description in page and cfg.description.startswith(("De ", "Businesscase", "Praktijk"))
