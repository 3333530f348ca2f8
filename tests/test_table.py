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
    out = subprocess.run([*simsav_command(), "table", "configs/twente.toml", *args],
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
    assert items["bemiddeling_gemeente"]["driver"] == "260 agent-months at full rate x 4 h x EUR 75"


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
    assert "1,800 agent-months working x saved 45%" in text
    assert "SROI" in text and "Break-even" in text


def test_by_year_splits_add_up_to_the_totals():
    rows = list(csv.DictReader(io.StringIO(_table("--format", "csv", "--by", "year"))))
    assert {"2021", "2022", "2023"} <= set(rows[0])
    for r in rows:
        assert sum(float(r[y]) for y in ("2021", "2022", "2023")) == pytest.approx(float(r["total"]), abs=0.02)
    markdown = _table("--format", "markdown", "--by", "year")
    assert "| line | paid by | arithmetic | 2021 | 2022 | 2023 | EUR |" in markdown
