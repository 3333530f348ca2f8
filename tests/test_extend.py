"""Scenarios as diffs: ``extend = "base.toml"`` and a few overriding lines (simsav.config.extend).

The merge is checked on small dicts against results written out by hand; the shipped scenarios
against their base with the overridden fields changed by hand in its ``model_dump``; errors against
the file and field that set the bad value; the CLI for one clear line and exit status 2.
"""
from __future__ import annotations

import copy
import hashlib
import os
import tomllib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import simsav
from simsav.cli import main as cli_main
from simsav.config import config_from_dict, load_config, source_comments, source_path, source_sha256, source_text
from simsav.config.extend import merge
from simsav.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / "configs"
SCENARIOS = sorted((CONFIGS / "scenarios").glob("*.toml"))


def shown(path: Path) -> str:
    """A base's name as messages give it."""
    return os.path.normpath(str(path))


# --------------------------------------------------------------------------- merge on dicts

BASE = {
    "title": "base",
    "cohort": {"size": 40, "start": "2024-01", "horizon_months": 24},
    "outcomes": {
        "placement_probability": {"dist": "beta", "mean": 0.4, "sd": 0.08, "name": "p"},
        "streams": {"ww": {"placement_probability": 0.5, "months_waiting": 1}},
    },
    "streams": [
        {"id": "bijstand", "share": 0.6, "benefit_reduction_when_working": {"breaks": [12], "reductions": [0.7, 1.0]}},
        {"id": "ww", "share": 0.4},
    ],
    "items": [{"id": "a", "amount": 1, "label": "A"}, {"id": "b", "amount": 2}, {"id": "c", "amount": 3}],
    "correlations": [{"between": ["p", "q"], "rank": 0.3}, {"between": ["r", "s"], "rank": 0.5}],
    "sources": {"twente": {"title": "T", "date": "2020"}},
}


def test_merge_overrides_a_scalar_and_keeps_the_rest():
    out = merge(BASE, {"extend": "x.toml", "cohort": {"size": 80}})
    expected = copy.deepcopy(BASE)
    expected["cohort"] = {"size": 80, "start": "2024-01", "horizon_months": 24}
    assert out == expected
    assert "extend" not in out


def test_merge_leaves_its_arguments_alone():
    base, over = copy.deepcopy(BASE), {"cohort": {"size": 80}, "items": [{"id": "a", "amount": 9}]}
    before = copy.deepcopy(over)
    merge(base, over)
    assert base == BASE and over == before


def test_a_distribution_replaces_wholesale():
    out = merge(BASE, {"outcomes": {"placement_probability": {"dist": "uniform", "low": 0.2, "high": 0.6}}})
    assert out["outcomes"]["placement_probability"] == {"dist": "uniform", "low": 0.2, "high": 0.6}
    assert out["outcomes"]["streams"] == BASE["outcomes"]["streams"]


def test_per_stream_outcomes_merge_key_by_key():
    out = merge(BASE, {"outcomes": {"streams": {"ww": {"months_waiting": 3}, "bijstand": {"months_waiting": 2}}}})
    assert out["outcomes"]["streams"] == {"ww": {"placement_probability": 0.5, "months_waiting": 3},
                                          "bijstand": {"months_waiting": 2}}


def test_a_schedule_replaces_wholesale():
    out = merge(BASE, {"streams": [{"id": "bijstand", "benefit_reduction_when_working": {"reductions": [1.0]}}]})
    assert out["streams"][0] == {"id": "bijstand", "share": 0.6, "benefit_reduction_when_working": {"reductions": [1.0]}}


def test_a_stream_field_by_id():
    out = merge(BASE, {"streams": [{"id": "ww", "share": 0.3}, {"id": "bijstand", "share": 0.7}]})
    assert [(s["id"], s["share"]) for s in out["streams"]] == [("bijstand", 0.7), ("ww", 0.3)]
    assert out["streams"][0]["benefit_reduction_when_working"] == {"breaks": [12], "reductions": [0.7, 1.0]}


def test_add_and_remove_items():
    out = merge(BASE, {"items": [{"id": "b", "remove": True}, {"id": "d", "amount": 4}, {"id": "a", "amount": 5}]})
    assert out["items"] == [{"id": "a", "amount": 5, "label": "A"}, {"id": "c", "amount": 3}, {"id": "d", "amount": 4}]


def test_correlations_replace_wholesale():
    out = merge(BASE, {"correlations": [{"between": ["p", "r"], "rank": 0.1}]})
    assert out["correlations"] == [{"between": ["p", "r"], "rank": 0.1}]


def test_sources_merge_by_key():
    out = merge(BASE, {"sources": {"twente": {"date": "nov. 2020"}, "seed4": {"title": "S"}}})
    assert out["sources"] == {"twente": {"title": "T", "date": "nov. 2020"}, "seed4": {"title": "S"}}


@pytest.mark.parametrize("items, field, problem", [
    ([{"amount": 4}], "items", "needs an id"),
    ([{"id": "zz", "remove": True}], "items.zz.remove", "no \\[\\[items\\]\\] with id 'zz'"),
    ([{"id": "a", "remove": True, "amount": 1}], "items.a.remove", "no other fields"),
    ([{"id": "a", "remove": False}], "items.a.remove", "must be true"),
])
def test_an_entry_that_cannot_be_laid_over(items, field, problem):
    import re

    with pytest.raises(ConfigError) as err:
        merge(BASE, {"items": items})
    assert len(err.value.problems) == 1
    assert err.value.problems[0][0] == field and re.search(problem, err.value.problems[0][1])


# --------------------------------------------------------------------------- files and chains


def test_a_chain_of_three(tmp_path, small_config_text):
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "c.toml").write_text(small_config_text, encoding="utf-8")
    (tmp_path / "b.toml").write_text('extend = "base/c.toml"\n[cohort]\nsize = 80\n'
                                     '[[items]]\nid = "coaching"\namount = 350\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.toml").write_text('extend = "../b.toml"\ntitle = "A"\n'
                                             '[[items]]\nid = "coaching"\neligible_share = 0.5\n', encoding="utf-8")
    cfg = load_config(tmp_path / "sub" / "a.toml")
    base = load_config(tmp_path / "base" / "c.toml").model_dump()
    expected = copy.deepcopy(base)
    expected["title"] = "A"
    expected["cohort"]["size"] = 80
    coaching = next(i for i in expected["items"] if i["id"] == "coaching")
    coaching.update(amount=350.0, eligible_share=0.5)
    assert cfg.model_dump() == expected
    assert source_path(cfg) == str(tmp_path / "sub" / "a.toml")
    assert "extends" in source_text(cfg).splitlines()[0]


@pytest.mark.parametrize("second", ['extend = "a.toml"\n', 'extend = "b.toml"\n'])
def test_a_cycle(tmp_path, second):
    a = tmp_path / "a.toml"
    a.write_text('extend = "b.toml"\ntitle = "A"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text(second + 'title = "B"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(a)
    where = {str(a), shown(tmp_path / "b.toml")}
    assert err.value.source in where
    assert err.value.problems[0][0] == "extend" and "cycle" in err.value.problems[0][1]


def test_extending_itself(tmp_path):
    a = tmp_path / "a.toml"
    a.write_text('extend = "a.toml"\ntitle = "A"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(a)
    assert (err.value.source, err.value.problems[0][0]) == (str(a), "extend")


def test_a_missing_base(tmp_path):
    a = tmp_path / "a.toml"
    a.write_text('extend = "nothere.toml"\ntitle = "A"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(a)
    assert err.value.source == str(a)
    assert err.value.problems == [("extend", f"'nothere.toml' ({shown(tmp_path / 'nothere.toml')}): file not found")]


@pytest.mark.parametrize("value", ["3", '""', "true"])
def test_extend_must_name_a_file(tmp_path, value):
    a = tmp_path / "a.toml"
    a.write_text(f"extend = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(a)
    assert (err.value.source, err.value.problems[0][0]) == (str(a), "extend")


def test_a_base_that_is_not_toml_is_reported_against_the_base(tmp_path):
    a = tmp_path / "a.toml"
    a.write_text('extend = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text("title = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(a)
    assert err.value.source == shown(tmp_path / "b.toml")
    assert err.value.problems[0][1].startswith("invalid TOML")


# --------------------------------------------------------------------------- errors name the file that set the value


def write_pair(tmp_path, base_text: str, ext_text: str) -> tuple[Path, Path]:
    base = tmp_path / "base.toml"
    base.write_text(base_text, encoding="utf-8")
    ext = tmp_path / "scenario.toml"
    ext.write_text('extend = "base.toml"\n' + ext_text, encoding="utf-8")
    return base, ext


def problems_by_file(err: ConfigError) -> dict[str, list]:
    return {part.source: part.problems for part in err.parts}


def test_a_bad_value_set_in_the_extension(tmp_path, small_config_text):
    base, ext = write_pair(tmp_path, small_config_text, '[[items]]\nid = "coaching"\neligible_share = -0.1\n')
    with pytest.raises(ConfigError) as err:
        load_config(ext)
    assert problems_by_file(err.value) == {
        str(ext): [("items.coaching.eligible_share", "a probability must lie in [0, 1], got -0.1")]}


def test_a_bad_value_set_in_the_base(tmp_path, small_config_text):
    bad = small_config_text.replace("placement_probability = 0.5", "placement_probability = 1.3")
    base, ext = write_pair(tmp_path, bad, "[cohort]\nsize = 80\n")
    with pytest.raises(ConfigError) as err:
        load_config(ext)
    assert problems_by_file(err.value) == {
        shown(base): [("outcomes.streams.ww.placement_probability", "a probability must lie in [0, 1], got 1.3")]}


def test_bad_values_in_both_files(tmp_path, small_config_text):
    bad = small_config_text.replace("placement_probability = 0.5", "placement_probability = 1.3")
    base, ext = write_pair(tmp_path, bad, '[[items]]\nid = "coaching"\namount = "300"\n')
    with pytest.raises(ConfigError) as err:
        load_config(ext)
    e = err.value
    assert [p.source for p in e.parts] == [str(ext), shown(base)]
    assert (e.source, [f for f, _ in e.problems]) == (str(ext), ["items.coaching.amount"])
    assert [f for f, _ in e.parts[1].problems] == ["outcomes.streams.ww.placement_probability"]
    lines = str(e).splitlines()
    assert lines[0].startswith(f"{ext}: items.coaching.amount: must be a number")
    assert lines[1].startswith(f"{shown(base)}: outcomes.streams.ww.placement_probability: ")


def test_shares_broken_by_the_extension_are_its_problem(tmp_path, small_config_text):
    base, ext = write_pair(tmp_path, small_config_text, '[[streams]]\nid = "ww"\nshare = 0.5\n')
    with pytest.raises(ConfigError) as err:
        load_config(ext)
    assert problems_by_file(err.value) == {str(ext): [("streams", "stream shares add up to 1.1, not 1")]}


def test_a_new_item_missing_a_field_is_the_extensions_problem(tmp_path, small_config_text):
    base, ext = write_pair(tmp_path, small_config_text,
                           '[[items]]\nid = "extra"\nparty = "uwv"\nbasis = "event"\nevent = "start"\namount = 5\n')
    with pytest.raises(ConfigError) as err:
        load_config(ext)
    assert problems_by_file(err.value) == {str(ext): [("items.extra.label", "required field is missing")]}


def test_validate_reports_a_bad_scenario(tmp_path, small_config_text):
    base, ext = write_pair(tmp_path, small_config_text, '[[items]]\nid = "coaching"\neligible_share = -0.1\n')
    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1; 8.2+ always keeps them apart
    except TypeError:
        runner = CliRunner()
    r = runner.invoke(cli_main, ["validate", str(ext)])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code == 2
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert lines == [f"error: {ext}: items.coaching.eligible_share: a probability must lie in [0, 1], got -0.1"]


def test_validate_reports_a_bad_scenario_in_a_subprocess(tmp_path, small_config_text, run_simsav):
    base, ext = write_pair(tmp_path, small_config_text, '[cohort]\nsize = "80"\n')
    r = run_simsav("validate", ext)
    assert r.returncode == 2 and "Traceback" not in r.stderr + r.stdout
    assert [line for line in r.stderr.splitlines() if line.strip()] == [
        f"error: {ext}: cohort.size: must be a whole number, got \"80\" (text: write the number without quotes)"]


# --------------------------------------------------------------------------- an empty extension changes nothing


def test_an_extension_that_overrides_nothing_gives_the_same_results(tmp_path, small_config_text):
    base, ext = write_pair(tmp_path, small_config_text, "# nothing changed\n")
    a, b = load_config(base), load_config(ext)
    assert a.model_dump() == b.model_dump()
    bc_a, bc_b = simsav.base_case(a), simsav.base_case(b)
    assert np.array_equal(bc_a["net"].values, bc_b["net"].values)
    mc_a, mc_b = simsav.simulate(a, draws=50, seed=3), simsav.simulate(b, draws=50, seed=3)
    assert np.array_equal(mc_a["net"].values, mc_b["net"].values)
    assert np.array_equal(mc_a["cum_net"].values, mc_b["cum_net"].values)


def test_the_holland_rijnland_base_case_through_an_empty_extension(tmp_path):
    ext = tmp_path / "hr.toml"
    ext.write_text(f'extend = "{(CONFIGS / "holland-rijnland.toml").as_posix()}"\n', encoding="utf-8")
    a, b = load_config(CONFIGS / "holland-rijnland.toml"), load_config(ext)
    assert a.model_dump() == b.model_dump()
    assert np.array_equal(simsav.base_case(a)["net"].values, simsav.base_case(b)["net"].values)


# --------------------------------------------------------------------------- the shipped scenarios


def hr_dump() -> dict:
    return load_config(CONFIGS / "holland-rijnland.toml").model_dump()


def test_hr_240_is_holland_rijnland_with_the_cohort_doubled():
    cfg = load_config(CONFIGS / "scenarios" / "hr-240.toml")
    expected = hr_dump()
    expected["title"] = "Meedoen, meedelen - Holland Rijnland, 240 trajecten"
    expected["description"] = cfg.description
    assert "240" in cfg.description
    expected["cohort"]["size"] = 240
    next(i for i in expected["items"] if i["id"] == "trajectbegeleiding_ggz")["quantity"] = 0.84
    assert cfg.model_dump() == expected


def test_hr_not_eligible_changes_only_its_streams_and_their_outcomes():
    cfg = load_config(CONFIGS / "scenarios" / "hr-not-eligible.toml")
    expected = hr_dump()
    expected["title"], expected["description"] = cfg.title, cfg.description
    for s in expected["streams"]:
        s["share"] = {"bijstand": 0.4, "ww": 0.1, "wia": 0.25, "nug": 0.25}[s["id"]]
    got = cfg.model_dump()
    nug = got["outcomes"]["streams"].pop("nug")
    assert nug["placement_probability"]["mean"] == 0.5 and nug["placement_probability"]["sd"] == 0.1
    assert got["outcomes"]["streams"] == {} and expected["outcomes"]["streams"] == {}
    assert got == expected


def test_twente_epa_only_changes_the_outcomes_and_jobcoaching():
    cfg = load_config(CONFIGS / "scenarios" / "twente-epa-only.toml")
    expected = load_config(CONFIGS / "twente.toml").model_dump()
    expected["title"], expected["description"] = cfg.title, cfg.description
    for o in expected["outcomes"]["streams"].values():
        o["placement_probability"] = 0.44
    for i in expected["items"]:
        if i["id"] in ("jobcoaching_gemeente", "jobcoaching_uwv"):
            i["eligible_share"] = 13 / 38
    assert cfg.model_dump() == expected


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_a_scenario_text_is_the_merged_config_with_both_files_comments(path):
    cfg = load_config(path)
    text = source_text(cfg)
    data = tomllib.loads(text)
    assert "extend" not in data
    assert config_from_dict(data).model_dump() == cfg.model_dump()
    assert source_sha256(cfg) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    ext = tomllib.loads(path.read_text(encoding="utf-8"))
    base_path = (path.parent / ext["extend"]).resolve()
    base_text = base_path.read_text(encoding="utf-8")
    assert data == merge(tomllib.loads(base_text), ext)
    ours, theirs = source_comments(text), source_comments(base_text)
    changed = {p for p in ours if p not in theirs or ours[p].comment.startswith(str(path))}
    for p, src in ours.items():  # a number the extension leaves alone keeps the base's source
        if p not in changed:
            assert src.comment == theirs[p].comment, p
    assert changed, "a scenario changes some number"
    for p in changed:
        assert ours[p].comment.startswith(f"{path}: "), (p, ours[p].comment)


def test_hr_240_cites_its_sources():
    text = source_text(load_config(CONFIGS / "scenarios" / "hr-240.toml"))
    sources = source_comments(text)
    assert "seed 000 line 13" in sources["cohort.size"].comment
    assert "0.35 x 2.4" in sources["items.trajectbegeleiding_ggz.quantity"].comment
    assert '"loonkosten EUR 80.000 per jaar"' in sources["items.trajectbegeleiding_ggz.amount"].comment


def test_the_text_of_a_scenario_that_replaces_a_distribution_and_adds_and_removes(tmp_path, small_config_text):
    base, ext = write_pair(tmp_path, small_config_text, (
        "[outcomes]\n"
        "# judgement: wider\n"
        'placement_probability = { dist = "uniform", low = 0.3, high = 0.5, name = "p_place" }\n'
        "[[items]]\n"
        'id = "intake"\n'
        "remove = true\n"
        "[[items]]\n"
        'id = "extra"\n'
        'label = "Extra"\n'
        'party = "uwv"\n'
        'basis = "event"\n'
        'event = "start"\n'
        "amount = 50                 # plan p. 9\n"))
    cfg = load_config(ext)
    text = source_text(cfg)
    data = tomllib.loads(text)
    assert data == merge(tomllib.loads(small_config_text), tomllib.loads(ext.read_text(encoding="utf-8")))
    assert data["outcomes"]["placement_probability"] == {"dist": "uniform", "low": 0.3, "high": 0.5, "name": "p_place"}
    assert [i["id"] for i in data["items"]] == ["coaching", "overhead", "extra"]
    sources = source_comments(text)
    assert sources["outcomes.placement_probability"].comment == f"{ext}: judgement: wider"
    assert sources["items.extra.amount"].comment == f"{ext}: plan p. 9"
    assert "without the files' comments" not in text


def test_the_text_falls_back_to_the_merged_dict(tmp_path, small_config_text, monkeypatch):
    import simsav.config.extend as extend

    def broken(*args):
        raise RuntimeError("a tomlkit surprise")

    monkeypatch.setattr(extend, "_lay", broken)
    base, ext = write_pair(tmp_path, small_config_text, "[cohort]\nsize = 80\n")
    cfg = load_config(ext)
    text = source_text(cfg)
    assert "without the files' comments" in text
    assert config_from_dict(tomllib.loads(text)).model_dump() == cfg.model_dump()
    assert cfg.cohort.size == 80


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_number_of_a_scenario_distribution_cites_a_source(path):
    from simsav.config import uncertain_numbers

    for where, dist in uncertain_numbers(load_config(path)).items():
        assert dist.source, f"{path.name}: {where}"
