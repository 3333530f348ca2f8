"""Source comments of a config, read with tomlkit: every number's source and the line it is written on."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from simsav.config import (
    Source, config_from_dict, dotted, load_config, source_comments, source_text, uncertain_numbers, walk_numbers,
)

REPO = Path(__file__).resolve().parents[1]
CONFIGS = ["twente", "drechtsteden", "holland-rijnland"]


def key_of(path: str) -> str:
    """The key a number is written under: the last part of its path that is not a list position."""
    return [p for p in path.split(".") if not p.isdigit()][-1]


def holds_key(line: str, key: str) -> bool:
    return re.search(rf"(^|[{{,\s]){re.escape(key)}\s*=", line) is not None


@pytest.fixture(scope="module", params=CONFIGS)
def shipped(request):
    cfg = load_config(REPO / "configs" / f"{request.param}.toml")
    return cfg, source_comments(source_text(cfg))


def test_every_uncertain_number_of_a_shipped_config_has_a_source_and_its_line(shipped):
    cfg, sources = shipped
    lines = source_text(cfg).splitlines()
    for path in uncertain_numbers(cfg):
        assert path in sources, path
        found = sources[path]
        assert found.comment, path
        assert holds_key(lines[found.line - 1], key_of(path)), (path, found.line, lines[found.line - 1])


def test_every_number_of_a_shipped_config_is_found_by_its_simsav_path_and_is_sourced(shipped):
    cfg, sources = shipped
    walked = {dotted(path) for path, _ in walk_numbers(cfg)}
    assert sources and set(sources) <= walked  # the paths simsav names numbers by (defaults are not written)
    lines = source_text(cfg).splitlines()
    for path, found in sources.items():
        assert holds_key(lines[found.line - 1], key_of(path)), (path, found.line)
        # the configs' promise: "every number says where it comes from"
        assert found.comment, f"{path} (line {found.line}) has no source comment"
    assert [s.line for s in sources.values()] == sorted(s.line for s in sources.values())  # in the order of the file


def test_every_value_of_a_shipped_config_is_read_piece_by_piece(shipped, monkeypatch):
    from simsav.config import sources as module

    def unplaced(*args):
        raise AssertionError(f"{args[-2]}: numbers put at the start of their value")

    monkeypatch.setattr(module._Layout, "_unplaced", unplaced)
    cfg, sources = shipped
    assert source_comments(source_text(cfg)) == sources


def test_the_shipped_sources_read_as_the_report_has_always_read_them():
    text = (REPO / "configs" / "holland-rijnland.toml").read_text(encoding="utf-8")
    s = source_comments(text)
    lines = text.splitlines()

    def line_of(start: str) -> int:  # the 1-based line that starts so (the configs grow above it)
        return next(k for k, ln in enumerate(lines, 1) if ln.startswith(start))

    # its own trailing comment
    assert s["streams.ww.monthly_benefit"] == Source(line_of('monthly_benefit = { dist = "pert", low = 1200'), 'seed 003 line 42: "Gem. uitkering UWV EUR 1.500"; judgement: '
                                                        "WW follows the last wage, so a long upper tail")
    # the comment lines right above it, joined
    assert s["outcomes.placement_probability"].line == line_of("placement_probability = { dist = \"beta\", mean = 0.65")
    assert s["outcomes.placement_probability"].comment.startswith(
        "The sources' 44% (Drechtsteden, seed 003 line 31) and 50% (Twente, seed 003 line 31) are *successes*:")
    assert s["items.zorgkosten_zvw.state_factors.working.reductions.0"].line == line_of("state_factors = { working = { reductions = [{")
    reduction = s["items.zorgkosten_zvw.state_factors.working.reductions.0"]
    assert reduction.comment.startswith("seed 000 line 7, seed 002 lines 1 and 11")
    # its section's comment, under the divider's title
    assert s["items.regulier_reintegratie_uwv.amount"] == Source(
        line_of('amount = { dist = "pert", low = 500, mode = 1500, high = 4000, name = "regular_reintegration_uwv"'),
        "counterfactual costs: regular re-integration: Avoided when the approach replaces it (seed 003 line 21: "
             '"andere interventies"): a saving. Amounts are the expected regular spend per participant at the start: '
             "not everyone would have had a trajectory (seed 004 line 43: clients are \"onnodig teruggemeld en "
             'geparkeerd"). Not in the seeds: judgement, PERT EUR 500 - 1,500 - 4,000 (mean ~EUR 1,750).')
    assert s["correlations.1.rank"].comment.startswith("correlations: Judgement: a region that places well")
    assert s["streams.bijstand.benefit_reduction_when_working.reductions.1"].line == line_of(
        "benefit_reduction_when_working")  # list positions by index (the first stream's)


# --------------------------------------------------------------------------- the rule, on small texts

RULES = """\
# A header: not a source of anything below a table.

top = 1

[cohort]
size = 10          # its own comment
# a block
# of two lines
inflow = 2
# a block that a blank line ends

horizon = 3

# the block above [outcomes]
# in two lines
[outcomes]  # a header's own comment is not a number's source
p = { dist = "beta", mean = 0.5, sd = 0.1 }

# ------------------------------------------------- costs (seed 003)
# The section's comment,
# two lines.

[[items]]
id = "coach"
amount = 90
quantity = 5       # seed 003 line 45

# ------------------------------------------------- savings
[[items]]
id = "care"
amount = 4115
"""


def test_each_rule_of_the_source_comment():
    s = source_comments(RULES)
    assert s["top"] == Source(3, "")  # no comment on it, above it, above a header, nor a divider above it
    assert s["cohort.size"] == Source(6, "its own comment")
    assert s["cohort.inflow"] == Source(9, "a block of two lines")
    assert s["cohort.horizon"] == Source(12, "")  # a blank line ends the block; [cohort] has none above it
    assert s["outcomes.p"] == Source(17, "the block above [outcomes] in two lines")
    assert s["items.coach.amount"] == Source(25, "costs (seed 003): The section's comment, two lines.")
    assert s["items.coach.quantity"] == Source(26, "seed 003 line 45")
    assert s["items.care.amount"] == Source(31, "")  # a divider with no comment block under it gives nothing


def test_a_divider_ends_a_block_and_cuts_a_number_off_its_header():
    text = ("# ------- section\n# section text\n\n# about t\n[t]\nx = 1\n# ------- next\ny = 2\n"
            "# ======= equals also divide\n# here\nz = 3\n")
    s = source_comments(text)
    assert s["t.x"].comment == "about t"
    assert s["t.y"].comment == ""  # a divider between it and its header: its section's, and "next" has no block
    assert s["t.z"].comment == "here"  # directly above, under its divider


def test_a_hash_inside_a_string_is_not_a_comment():
    text = ('label = "EUR 1.000 # per month"\nx = 1\n'
            'y = { dist = "beta", mean = 0.5, sd = 0.1, name = "share#1" }  # the real one\n'
            "note = 'a # literal'\nz = 2\n"
            'd = """\n# not a comment\n[not.a.header]\n"""\nw = 3\n')
    s = source_comments(text)
    assert s["x"] == Source(2, "")
    assert s["y"] == Source(3, "the real one")
    assert s["z"] == Source(5, "")
    assert s["w"] == Source(10, "")  # the lines of a multi-line string are neither comments nor headers


def test_numbers_in_lists_and_tables_get_simsav_paths():
    text = ('[[streams]]\nid = "ww"\nmonthly_benefit = 1500  # benefit\n\n'
            "[outcomes.streams.ww]\nplacement_probability = 0.5  # p\n\n"
            '[[items]]\nid = "zorg"\namount = 4115  # care\n'
            'state_factors = { working = { reductions = [{ dist = "beta", mean = 0.45, sd = 0.08 }] } }  # reduction\n'
            "[[correlations]]\nbetween = [\"a\", \"b\"]\nrank = 0.3  # rank\n")
    s = source_comments(text)
    assert list(s) == ["streams.ww.monthly_benefit", "outcomes.streams.ww.placement_probability", "items.zorg.amount",
                       "items.zorg.state_factors.working.reductions.0", "correlations.0.rank"]
    assert s["items.zorg.state_factors.working.reductions.0"] == Source(11, "reduction")


def test_paths_are_the_ones_walk_numbers_gives():
    text = (REPO / "configs" / "holland-rijnland.toml").read_text(encoding="utf-8")
    cfg = config_from_dict(tomllib.loads(text))
    walked = [dotted(p) for p, _ in walk_numbers(cfg)]
    found = source_comments(text)
    assert set(found) <= set(walked)  # walk_numbers also gives the defaults, which are not written
    assert set(uncertain_numbers(cfg)) <= set(found)


def test_array_tables_written_apart_keep_their_lines():
    # tomlkit files the second [[items]] entry with the first; its lines are where it is written
    text = ('[[items]]\nid = "a"\namount = 1  # a\n\n[cohort]\nsize = 2  # size\n\n'
            '[[items]]\nid = "b"\namount = 3  # b\n')
    s = source_comments(text)
    assert s == {"items.a.amount": Source(3, "a"), "cohort.size": Source(6, "size"), "items.b.amount": Source(10, "b")}


def test_dotted_keys_quoted_keys_and_windows_line_ends():
    text = ('[outcomes]\r\nstreams.ww.placement_probability = 0.4  # dotted\r\n"months_waiting" = 1\r\n'
            "# above\r\nmonths_on_hold = 2\r\n")
    s = source_comments(text)
    assert s == {"outcomes.streams.ww.placement_probability": Source(2, "dotted"),
                 "outcomes.months_waiting": Source(3, ""), "outcomes.months_on_hold": Source(5, "above")}


def test_a_list_written_over_several_lines():
    text = ("# about the schedule\nschedule = { breaks = [12], values = [1.0, 0.5] }\n"
            "reductions = [\n  0.7,   # year 1\n  # year 2 and later:\n  # all of it\n  1.0,\n  0.9,\n]  # the list\n")
    s = source_comments(text)
    assert s["schedule.breaks.0"] == Source(2, "about the schedule")
    assert s["reductions.0"] == Source(4, "year 1")
    assert s["reductions.1"] == Source(7, "year 2 and later: all of it")
    assert s["reductions.2"] == Source(8, "the list")  # nothing of its own: what its key has


def test_an_inline_table_split_over_lines():
    text = ('[outcomes]\nplacement_probability = {\n  dist = "beta",   # seed 003 line 31\n  mean = 0.65,\n'
            "  sd = 0.08,\n}\nx = 1\n")
    try:
        s = source_comments(text)
    except ValueError:
        pytest.skip("this tomlkit does not read inline tables over several lines (TOML 1.1)")
    assert s == {"outcomes.placement_probability": Source(2, "seed 003 line 31"), "outcomes.x": Source(7, "")}


def test_a_distribution_written_as_a_table_is_one_number():
    text = ('# judgement\n[outcomes.placement_probability]\ndist = "beta"\nmean = 0.65\nsd = 0.08\n\n'
            "[cohort]\nsize = 1  # size\n")
    s = source_comments(text)
    assert s == {"outcomes.placement_probability": Source(2, "judgement"), "cohort.size": Source(8, "size")}


def test_empty_and_invalid_texts():
    assert source_comments("") == {}
    assert source_comments("# only comments\n") == {}
    with pytest.raises(ValueError, match="invalid TOML"):
        source_comments("x = = 1\n")


def test_the_report_assumptions_take_their_sources_from_here(tmp_path):
    """A distribution's ``source = "key:line"`` comes first; without one, the comment this module reads."""
    import re

    from simsav.present.labels import cited_sources
    from simsav.present.report import assumptions

    path = REPO / "configs" / "drechtsteden.toml"
    cfg = load_config(path)
    rows = assumptions(cfg)
    assert len(rows) == len(uncertain_numbers(cfg)) == 8
    numbers = uncertain_numbers(cfg)
    assert [a.source for a in rows] == [cited_sources(cfg, numbers[a.path], "nl") for a in rows]
    assert [a.line for a in rows] == sorted(a.line for a in rows)
    # the same config without its citations: the comments are the sources
    text = re.sub(r', source = (\[[^]]*\]|"[^"]*")', "", path.read_text(encoding="utf-8"))
    uncited = tmp_path / "uncited.toml"
    uncited.write_text(text, encoding="utf-8")
    cfg = load_config(uncited)
    found = source_comments(source_text(cfg))
    rows = assumptions(cfg)
    assert [(a.line, a.source) for a in rows] == [(found[a.path].line, found[a.path].comment) for a in rows]
    assert all(a.source for a in rows)
    bare = assumptions(config_from_dict(tomllib.loads(text)))  # no text: no sources
    assert [(a.line, a.source) for a in bare] == [(0, "")] * 8
