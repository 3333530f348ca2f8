"""`simsav table`: the business-case table, on the Twente case."""
from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

from conftest import simsav_command

REPO = Path(__file__).resolve().parents[1]

TWENTE_COSTS = 1_477_635.0
TWENTE_SAVINGS = 1_088_640 + 826_200 + 277_762.5 + 50_000
WORK_LINKED = 237_600 + 521_235 + 129_600 + 24_000  # jobcoaching x2, wage subsidy, loondispensatie


def _table(*args) -> str:
    out = subprocess.run([*simsav_command(), "table", "configs/twente.toml", "--lang", "en", *args],
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def js():
    return json.loads(_table("--format", "json"))


def test_json_has_items_parties_and_totals(js):
    assert {"items", "parties", "totals"} <= set(js)
    for item in js["items"]:
        assert set(item) >= {"id", "label", "party", "kind", "driver", "total"}
    for party in js["parties"]:
        assert set(party) >= {"id", "costs", "savings", "net"}
    assert set(js["totals"]) >= {"costs", "savings", "net", "sroi", "saving_per_success", "break_even_simple",
                                  "break_even_variable"}


def test_json_item_totals_are_signed_like_item_total(js):
    items = {i["id"]: i for i in js["items"]}
    assert items["jobcoaching_gemeente"]["total"] == pytest.approx(-237_600)
    assert items["jobcoaching_gemeente"]["kind"] == "cost"
    assert items["benefit_uwv"]["total"] == pytest.approx(826_200)
    assert items["loondispensatie"]["driver"] == "4 x EUR 6,000 (placement)"
    assert items["bemiddeling_gemeente"]["driver"] == "260 participant-months at full rate x 4 h x EUR 75"


def test_twente_totals_sroi_and_both_break_evens(js):
    t = js["totals"]
    assert t["costs"] == pytest.approx(TWENTE_COSTS, abs=0.01)
    assert t["savings"] == pytest.approx(TWENTE_SAVINGS, abs=0.01)
    assert t["net"] == pytest.approx(TWENTE_SAVINGS - TWENTE_COSTS, abs=0.01)
    assert t["sroi"] == pytest.approx(TWENTE_SAVINGS / TWENTE_COSTS)
    per_success = TWENTE_SAVINGS / 50
    assert t["saving_per_success"] == pytest.approx(per_success)
    assert t["break_even_simple"] == pytest.approx(TWENTE_COSTS / per_success)  # 32.9; source: 32 (31.3 rounded up)
    fixed = TWENTE_COSTS - WORK_LINKED
    assert t["break_even_variable"] == pytest.approx(fixed / (per_success - WORK_LINKED / 50))  # 21.2
    assert t["break_even_variable"] < t["break_even_simple"]


def test_parties_add_up_to_the_totals(js):
    assert sum(p["costs"] for p in js["parties"]) == pytest.approx(js["totals"]["costs"])
    assert sum(p["net"] for p in js["parties"]) == pytest.approx(js["totals"]["net"])
    ggz = next(p for p in js["parties"] if p["id"] == "ggz")
    assert ggz["break_even_simple"] is None  # saves nothing: never breaks even


def test_menzis_year_one_is_shown_outside_the_table(js):
    assert [i["id"] for i in js["outside_table"]] == ["sleutelfiguren_ggz_menzis"]
    assert "sleutelfiguren_ggz_menzis" not in {i["id"] for i in js["items"]}
    assert "Outside the table" in _table()


def test_text_table_shows_each_line_with_its_arithmetic():
    text = _table()
    assert "0.35 fte x EUR 80,000 x 3 yr" in text
    assert "3 org x EUR 12,500 x 3 yr" in text
    assert "1,800 participant-months working x saved 45%" in text
    assert "SROI" in text and "Break-even" in text


YEARS = ("2021", "2022", "2023")


@pytest.fixture(scope="module")
def by_year_csv():
    return list(csv.DictReader(io.StringIO(_table("--format", "csv", "--by", "year"))))


def test_by_year_splits_add_up_to_the_totals(by_year_csv):
    rows = by_year_csv
    assert {f"{y}_eur" for y in YEARS} <= set(rows[0])
    assert {r["row"] for r in rows} == {"line", "outside_table", "party", "all_parties"}
    for r in rows:
        assert sum(float(r[f"{y}_eur"]) for y in YEARS) == pytest.approx(float(r["total_eur"]), abs=0.02)
    markdown = _table("--format", "markdown", "--by", "year")
    assert "| line | paid by | arithmetic | 2021 (EUR) | 2022 (EUR) | 2023 (EUR) | total (EUR) |" in markdown


def test_csv_has_each_partys_and_the_total_costs_savings_and_net_per_year(by_year_csv, js):
    parties = {(r["id"], r["kind"]): r for r in by_year_csv if r["row"] == "party"}
    for p in js["parties"]:
        for what in ("costs", "savings", "net"):
            assert float(parties[p["id"], what]["total_eur"]) == pytest.approx(p[what], abs=0.005)
    total = {r["kind"]: r for r in by_year_csv if r["row"] == "all_parties"}
    assert float(total["costs"]["total_eur"]) == pytest.approx(TWENTE_COSTS, abs=0.005)
    # the gemeente's year 1: costs 535,991, savings 298,907 (the lines of 2021 added up)
    lines_2021 = [r for r in by_year_csv if r["row"] == "line" and r["party"] == "gemeente"]
    costs_2021 = -sum(float(r["2021_eur"]) for r in lines_2021 if r["kind"] == "cost")
    assert float(parties["gemeente", "costs"]["2021_eur"]) == pytest.approx(costs_2021, abs=0.05)
    assert float(parties["gemeente", "costs"]["2021_eur"]) == pytest.approx(535_991, abs=0.5)
    # the line outside the table is not in the totals
    menzis = next(r for r in by_year_csv if r["row"] == "outside_table")
    assert menzis["id"] == "sleutelfiguren_ggz_menzis" and menzis["in_table"] == "0"
    assert float(parties["zorgverzekeraar", "costs"]["total_eur"]) == pytest.approx(84_000)


def test_json_has_each_partys_year_and_the_units():
    js = json.loads(_table("--format", "json", "--by", "year"))
    assert js["years"] == list(YEARS)
    gemeente = next(p for p in js["parties"] if p["id"] == "gemeente")
    assert gemeente["by_year"]["2021"]["costs"] == pytest.approx(535_991)
    assert sum(gemeente["by_year"][y]["net"] for y in YEARS) == pytest.approx(gemeente["net"])
    assert sum(js["totals"]["by_year"][y]["costs"] for y in YEARS) == pytest.approx(TWENTE_COSTS)
    assert "successes" in js["units"]["break_even_simple"] and "EUR" in js["units"]["amounts"]
    assert js["totals_exclude"] == ["sleutelfiguren_ggz_menzis"]
    bem = next(i for i in js["items"] if i["id"] == "bemiddeling_gemeente")["arithmetic"]
    assert (bem["count"], bem["quantity"], bem["rate"]) == (pytest.approx(260), 4, 75)


def test_text_by_year_has_totals_and_each_party_per_year():
    text = _table("--by", "year")
    total_costs = next(ln for ln in text.splitlines() if ln.startswith("Total costs"))
    assert total_costs.split()[-4:] == ["763,711", "448,762", "265,162", "1,477,635"]
    block = text.split("Per party per year\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block[0].split() == ["party", "2021", "(EUR)", "2022", "(EUR)", "2023", "(EUR)", "total", "(EUR)"]
    gemeente = next(i for i, ln in enumerate(block) if ln.startswith("Gemeenten Twente"))
    assert block[gemeente].split()[-5:] == ["costs", "535,991", "318,462", "199,662", "1,054,115"]
    assert block[gemeente + 2].split()[-5:] == ["net", "-237,084", "101,405", "220,205", "84,525"]
    assert any(ln.startswith("All parties") and ln.split()[-1] == "1,477,635" for ln in block)


def test_every_column_says_its_unit_and_break_even_counts_successes():
    text = _table()
    header = next(ln for ln in text.splitlines() if ln.startswith("party "))
    assert "costs (EUR)" in header and "savings (EUR)" in header and "net (EUR)" in header
    assert header.count("break-even (successes") == 2
    assert "agent" not in text  # plain words: participant-months
    assert "participant-months" in text


def test_the_totals_name_the_lines_outside_the_table_they_leave_out():
    text = _table()
    note = ("Not in these totals: 1 line outside the source's table, shown apart below: "
            "Sleutelfiguren GGZ, jaar 1 (betaald door Menzis) (zorgverzekeraar, cost EUR 25,000).")
    costs, rest = text.split("\nSavings\n", 1)
    assert note in costs  # beside the total costs
    assert note in rest.split("Outside the table")[0]  # beside the per-party totals
    assert note not in rest.split("\nPer party\n")[0]  # not beside the savings: it is a cost
    assert "Outside the table (modelled, not in the totals above)" in text


def test_existing_figures_are_unchanged(js):
    text = _table()
    for figure in ("1,477,635", "2,242,603", "764,968", "84,525", "536,680", "193,763", "-50,000",
                   "46.3", "38.9", "17.5", "10.1", "15.1", "32.9", "21.2", "EUR 44,852", "EUR 1.52"):
        assert figure in text, figure


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json"])
def test_printed_tables_end_with_one_line_break(fmt):
    out = _table("--format", fmt)
    assert out.endswith("\n") and not out.endswith("\n\n")
