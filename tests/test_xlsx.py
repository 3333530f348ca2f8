"""Workbooks: `simsav table --format xlsx` and the run workbook, recomputed by a formula engine.

Each workbook is recalculated from its formulas by the `formulas` package (not read back from
the values cached beside them) and every figure is compared with simsav's own: each line, each
party's costs, savings, net and break-evens, the totals, SROI, the saving per success, per
calendar year too, for the three shipped configs (and for one in Dutch: the words inside the
formulas, such as "nooit", are the workbook's own language's).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

formulas = pytest.importorskip("formulas")
openpyxl = pytest.importorskip("openpyxl")

from xlsxwriter.utility import xl_rowcol_to_cell  # noqa: E402

from simsav.analysis.summary import party_summary  # noqa: E402
from simsav.analysis.table import business_case_table  # noqa: E402
from simsav.errors import InputError  # noqa: E402
from simsav.present import xlsx  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CONFIGS = ["twente", "drechtsteden", "holland-rijnland"]
CASES = [(c, "en") for c in CONFIGS] + [("twente", "nl")]
"""(config, language) of the workbooks recomputed in full."""
NEVER = {"en": "never", "nl": "nooit"}
REL = 1e-9


class Recomputed:
    """A workbook recalculated by the formula engine, read by sheet and (row, column)."""

    def __init__(self, path: Path, inputs: dict | None = None):
        self.name = path.name
        self.model = formulas.ExcelModel().loads(str(path)).finish()
        self.solution = self.model.calculate(inputs={self.key(*k): v for k, v in (inputs or {}).items()})

    def key(self, sheet: str, rc) -> str:
        return f"'[{self.name}]{sheet.upper()}'!{xl_rowcol_to_cell(*rc)}"

    def __call__(self, sheet: str, rc):
        v = self.solution[self.key(sheet, rc)].value[0][0]
        return v if isinstance(v, str) else float(v)


def same(got, want, lang="en"):
    """Compare a recomputed figure with simsav's: 'never' ('nooit' in Dutch, or '-') stands for a NaN."""
    if want is None or (isinstance(want, float) and not math.isfinite(want)):
        return got in (NEVER[lang], "-")
    return not isinstance(got, str) and got == pytest.approx(want, rel=REL, abs=1e-6)


def formula_cells(path: Path) -> dict[str, set[str]]:
    """Return, per sheet, the cells of a workbook that hold a formula (openpyxl, formulas not run)."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: {c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"}
            for ws in wb.worksheets}


@pytest.fixture(scope="module", params=CASES, ids=[f"{c}-{lang}" for c, lang in CASES])
def case(request, tmp_path_factory):
    """Return (tables, layouts, recomputed workbooks, files) of a shipped config in a language, with and
    without --by year; and under "lang" the language, under "sheets" the names of its two first sheets."""
    name, lang = request.param
    d = tmp_path_factory.mktemp(f"{name}-{lang}")
    out = {"lang": lang, "sheets": xlsx.table_sheet_names(lang)}
    for by_year in (False, True):
        t = business_case_table(REPO / "configs" / f"{name}.toml", by_year=by_year)
        path = d / f"{name}{'-by-year' if by_year else ''}.xlsx"
        assert xlsx.write_table_workbook(t, path, lang) == path
        layout = xlsx.table_workbook_layout(t, d / f"layout-{path.name}", lang)  # the same table: the same cells
        out[by_year] = (t, layout, Recomputed(path), path)
    return out


def check_case_sheet(t, where, calc, sheet, year=None, lang="en"):
    """Assert every figure of one business-case sheet (the horizon's, or a year's) is simsav's."""
    def ok(got, want):
        return same(got, want, lang)

    checked = 0
    for ln in t.lines:
        want = ln.amount if year is None else ln.amount_in(year)
        assert ok(calc(sheet, where["lines"][ln.id]), want), (sheet, ln.id)
        checked += 1
    for ln in t.memo:
        want = ln.amount if year is None else ln.amount_in(year)
        assert ok(calc(sheet, where["memo"][ln.id]), want), (sheet, ln.id)
        checked += 1
    for p in t.parties:
        flows = p if year is None else p.by_year[year]
        for what in ("costs", "savings", "net"):
            assert ok(calc(sheet, where["parties"][p.id][what]), getattr(flows, what)), (sheet, p.id, what)
            checked += 1
        if year is None:
            for what in ("work_linked_costs", "break_even_simple", "break_even_variable"):
                assert ok(calc(sheet, where["parties"][p.id][what]), getattr(p, what)), (sheet, p.id, what)
                checked += 1
    tt = t.totals
    flows = tt if year is None else tt.by_year[year]
    for what in ("costs", "savings"):
        assert ok(calc(sheet, where["totals"][what]), getattr(flows, what)), (sheet, what)
        assert ok(calc(sheet, where["totals"]["all_parties"][what]), getattr(flows, what)), (sheet, what)
    assert ok(calc(sheet, where["totals"]["all_parties"]["net"]), flows.net)
    checked += 5
    if year is None:
        for what, want in [("successes", tt.successes), ("result", tt.net), ("sroi", tt.sroi),
                           ("saving_per_success", tt.saving_per_success),
                           ("break_even_simple", tt.break_even_simple),
                           ("break_even_variable", tt.break_even_variable)]:
            assert ok(calc(sheet, where["totals"][what]), want), (sheet, what)
            checked += 1
        for what in ("work_linked_costs", "break_even_simple", "break_even_variable"):
            assert ok(calc(sheet, where["totals"]["all_parties"][what]), getattr(tt, what)), (sheet, what)
            checked += 1
    return checked


def test_every_figure_of_the_workbook_recomputes_to_simsavs(case):
    t, layout, calc, _ = case[False]
    main, _ = case["sheets"]
    assert list(layout) == [main]
    n = check_case_sheet(t, layout[main], calc, main, lang=case["lang"])
    assert n >= len(t.lines) + 5 * len(t.parties) + 10


def test_every_figure_per_year_recomputes_to_simsavs(case):
    t, layout, calc, _ = case[True]
    main, sheet = case["sheets"]
    assert len(t.years) >= 3
    assert list(layout) == [main, *t.years, sheet]
    check_case_sheet(t, layout[main], calc, main, lang=case["lang"])
    for y in t.years:
        check_case_sheet(t, layout[y], calc, y, year=y, lang=case["lang"])
    ov = layout[sheet]
    for ln in t.lines + t.memo:
        cells = ov["lines" if ln.in_table else "memo"][ln.id]
        for y in t.years:
            assert same(calc(sheet, cells[y]), ln.amount_in(y)), (ln.id, y)
        assert same(calc(sheet, cells["total"]), ln.amount), ln.id
    for p in t.parties:
        for what in ("costs", "savings", "net"):
            for y in t.years:
                assert same(calc(sheet, ov["parties"][p.id][what][y]), getattr(p.by_year[y], what)), (p.id, what, y)
            assert same(calc(sheet, ov["parties"][p.id][what]["total"]), getattr(p, what)), (p.id, what)
    for what in ("costs", "savings", "net"):
        for y in t.years:
            assert same(calc(sheet, ov["totals"]["all"][what][y]), getattr(t.totals.by_year[y], what)), (what, y)
        assert same(calc(sheet, ov["totals"]["all"][what]["total"]), getattr(t.totals, what))


def test_amounts_totals_and_break_evens_are_formulas_not_numbers(case):
    """Live: the figures are formulas (openpyxl sees them as such); the driver numbers are not."""
    for by_year in (False, True):
        t, layout, _, path = case[by_year]
        cells = formula_cells(path)
        for sheet, where in layout.items():
            figures = [rc for ln in where["lines"].values() for rc in (ln.values() if isinstance(ln, dict) else [ln])]
            figures += [rc for d in where["parties"].values() for v in d.values()
                        for rc in (v.values() if isinstance(v, dict) else [v])]
            for key, v in where["totals"].items():
                if key == "successes":
                    assert xl_rowcol_to_cell(*v) not in cells[sheet]  # a driver number (derived), not a formula
                    continue
                vals = v.values() if isinstance(v, dict) else [v]
                figures += [rc for x in vals for rc in (x.values() if isinstance(x, dict) else [x])]
            assert figures
            missing = [xl_rowcol_to_cell(*rc) for rc in figures if xl_rowcol_to_cell(*rc) not in cells[sheet]]
            assert not missing, (sheet, missing)


def test_a_viewer_that_does_not_recalculate_shows_simsavs_figures(case):
    """Every formula carries simsav's result as its cached value (openpyxl data_only reads those)."""
    t, layout, _, path = case[True]
    wb = openpyxl.load_workbook(path, data_only=True)
    where = layout[case["sheets"][0]]
    ws = wb[case["sheets"][0]]

    def cached(rc):
        return ws.cell(row=rc[0] + 1, column=rc[1] + 1).value

    for ln in t.lines:
        assert cached(where["lines"][ln.id]) == pytest.approx(ln.amount, rel=REL)
    for p in t.parties:
        assert same(cached(where["parties"][p.id]["break_even_simple"]), p.break_even_simple, case["lang"])
    assert cached(where["totals"]["sroi"]) == pytest.approx(t.totals.sroi, rel=REL)
    y = t.years[-1]
    ws = wb[y]
    for ln in t.lines:
        assert cached(layout[y]["lines"][ln.id]) == pytest.approx(ln.amount_in(y), rel=REL, abs=1e-9)


def test_a_changed_rate_flows_into_the_line_the_party_the_totals_and_sroi(tmp_path):
    t = business_case_table(REPO / "configs" / "twente.toml")
    path = tmp_path / "twente.xlsx"
    layout = xlsx.table_workbook_layout(t, path)
    where = layout[xlsx.BUSINESS_CASE_SHEET]
    sheet = xlsx.BUSINESS_CASE_SHEET
    r, _ = where["lines"]["bemiddeling_gemeente"]
    before = Recomputed(path)
    after = Recomputed(path, inputs={(sheet, (r, xlsx.C_RATE)): 80})  # EUR 75 -> 80 an hour
    assert before(sheet, (r, xlsx.C_RATE)) == 75
    assert after(sheet, where["lines"]["bemiddeling_gemeente"]) == pytest.approx(260 * 4 * 80)
    extra = 260 * 4 * 5
    assert after(sheet, where["parties"]["gemeente"]["costs"]) == pytest.approx(t.parties[0].costs + extra)
    costs = t.totals.costs + extra
    assert after(sheet, where["totals"]["costs"]) == pytest.approx(costs)
    assert after(sheet, where["totals"]["sroi"]) == pytest.approx(t.totals.savings / costs)
    assert after(sheet, where["totals"]["break_even_simple"]) == pytest.approx(costs / t.totals.saving_per_success)
    # the derived count in its own cell: 1 success more -> the saving per success falls
    more = Recomputed(path, inputs={(sheet, where["totals"]["successes"]): 51})
    assert more(sheet, where["totals"]["saving_per_success"]) == pytest.approx(t.totals.savings / 51)


def test_twente_workbook_figures_are_the_sources(tmp_path):
    t = business_case_table(REPO / "configs" / "twente.toml")
    layout = xlsx.table_workbook_layout(t, tmp_path / "twente.xlsx")
    calc = Recomputed(tmp_path / "twente.xlsx")
    where, sheet = layout[xlsx.BUSINESS_CASE_SHEET], xlsx.BUSINESS_CASE_SHEET
    assert calc(sheet, where["totals"]["costs"]) == pytest.approx(1_477_635.0)
    assert calc(sheet, where["lines"]["bemiddeling_gemeente"]) == pytest.approx(78_000)
    assert calc(sheet, where["parties"]["ggz"]["break_even_simple"]) == "never"
    r, _ = where["lines"]["bemiddeling_gemeente"]
    assert calc(sheet, (r, xlsx.C_COUNT)) == pytest.approx(260)  # participant-months, derived
    assert calc(sheet, (r, xlsx.C_QTY)) == 4 and calc(sheet, (r, xlsx.C_RATE)) == 75
    r, _ = where["lines"]["benefit_bijstand"]  # not quantity x hours x rate: benefit-months saved x rate
    assert calc(sheet, (r, xlsx.C_COUNT)) == pytest.approx(907.2)
    assert calc(sheet, (r, xlsx.C_COUNT_OF)) == "benefit-months saved"


HOSTILE = {
    'title = "Small test case"': 'title = "=HYPERLINK(\\"http://example.invalid\\",\\"click\\")"',
    'name = "Gemeente Testdorp"': 'name = "=1+1"',
    'name = "UWV Testregio"': 'name = "@SUM(A1)"',
    'label = "Jobcoaching"': 'label = "+cmd|\' /C calc\'!A0"',
    'label = "Intake"': 'label = "-2+3 | pipe"',
    'label = "Projectleiding"': 'label = "\\tTab\\nand a new line"',
}


@pytest.fixture
def hostile_config(write_config, small_config_text):
    text = small_config_text
    for old, new in HOSTILE.items():
        assert old in text
        text = text.replace(old, new)
    return write_config(text, "hostile.toml")


def test_hostile_text_is_text_in_the_workbook(hostile_config, tmp_path):
    t = business_case_table(hostile_config, by_year=True)
    path = xlsx.write_table_workbook(t, tmp_path / "hostile.xlsx")
    texts = {t.title, "=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3 | pipe", "\tTab\nand a new line"}
    wb = openpyxl.load_workbook(path)
    found = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in texts:
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    found.add(c.value)
                if c.data_type == "f":  # only simsav's own formulas
                    assert "HYPERLINK" not in c.value and "SUM(A1)" not in c.value and "calc" not in c.value
    assert found == texts
    calc = Recomputed(path)
    layout = xlsx.table_workbook_layout(t, tmp_path / "layout.xlsx")
    check_case_sheet(t, layout[xlsx.BUSINESS_CASE_SHEET], calc, xlsx.BUSINESS_CASE_SHEET)


def test_hostile_text_is_neutralised_in_csv_numbers_stay_numbers(hostile_config, run_simsav):
    import csv
    import io

    out = run_simsav("table", hostile_config, "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    labels = {r["label"] for r in rows}
    assert {"'=1+1", "'@SUM(A1)", "'+cmd|' /C calc'!A0", "'-2+3 | pipe", "'\tTab\nand a new line"} <= labels
    for r in rows:
        for k, v in r.items():
            if k in ("label", "driver", "id", "party", "kind", "row"):
                assert not v.startswith(("=", "+", "-", "@", "\t", "\r")), (k, v)
    costs = [r for r in rows if r["kind"] == "cost"]
    assert costs and all(r["total_eur"].startswith("-") for r in costs)  # a negative number, not text
    assert all(float(r["total_eur"]) < 0 for r in costs)


def test_markdown_escapes_pipes_and_keeps_rows_whole(hostile_config, run_simsav):
    out = run_simsav("table", hostile_config, "--format", "markdown", "--by", "year")
    assert out.returncode == 0, out.stderr
    md = out.stdout
    assert "-2+3 \\| pipe" in md and "+cmd\\|' /C calc'!A0" in md
    assert " Tab and a new line" in md and "\t" not in md  # the line break would end the row; a tab is a space
    for block in md.split("\n\n"):
        rows = [ln for ln in block.splitlines() if ln.startswith("|")]
        if rows:
            widths = {len(ln.replace("\\|", "").split("|")) for ln in rows}
            assert len(widths) == 1, block


# --- the command line ---------------------------------------------------------------------

def test_cli_writes_the_workbook_by_year(run_simsav, tmp_path):
    out = run_simsav("table", REPO / "configs" / "twente.toml", "--format", "xlsx", "--by", "year",
                     "--out", "twente.xlsx", "--lang", "en")
    assert out.returncode == 0, out.stderr
    path = tmp_path / "twente.xlsx"
    assert "table written to twente.xlsx" in out.stdout
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Business case", "By year", "2021", "2022", "2023"]
    t = business_case_table(REPO / "configs" / "twente.toml", by_year=True)
    layout = xlsx.table_workbook_layout(t, tmp_path / "layout.xlsx")
    calc = Recomputed(path)
    assert check_case_sheet(t, layout["2022"], calc, "2022", year="2022") > 0
    assert calc("Business case", layout["Business case"]["totals"]["costs"]) == pytest.approx(1_477_635)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def _english_left(strings: set[str], en: dict, nl: dict) -> list[str]:
    """Return the English texts of section table_workbook (those not the same in Dutch) found in ``strings``:
    a text the same as a cell, or a long enough piece of one (a text with blanks: its fixed parts) in a cell."""
    import string

    left = []
    for key, text in en.items():
        if isinstance(text, dict):
            left += _english_left(strings, text, nl[key])
            continue
        if text == nl[key]:
            continue
        pieces = [p.strip() for p, *_ in string.Formatter().parse(text)]
        if text in strings or any(len(p) >= 8 and p in s for p in pieces for s in strings):
            left.append(text)
    return left


def test_cli_writes_the_workbook_in_dutch_with_no_english_left(run_simsav, tmp_path):
    from simsav.present.texts import section

    out = run_simsav("table", REPO / "configs" / "twente.toml", "--format", "xlsx", "--by", "year",
                     "--out", "twente.xlsx", "--lang", "nl")
    assert out.returncode == 0, out.stderr
    wb = openpyxl.load_workbook(tmp_path / "twente.xlsx")
    assert wb.sheetnames == ["Businesscase", "Per jaar", "2021", "2022", "2023"]
    assert xlsx.table_sheet_names("nl") == ("Businesscase", "Per jaar")
    strings, formulas_ = set(wb.sheetnames), []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "s":
                    strings.add(c.value)
                elif c.data_type == "f":
                    formulas_.append(c.value)
    words = section("table_workbook")
    assert {"regel", "betaald door", "Totaal kosten", "ja", "nee", "Alle partijen", "jaren"} <= strings
    assert _english_left(strings, words["en"], words["nl"]) == []
    # the words inside the formulas are Dutch too, the same as the cells they are compared with
    assert not [f for f in formulas_ if any(f'"{w}"' in f for w in ("yes", "no", "never"))]
    assert any('="ja"' in f for f in formulas_) and any('"nooit"' in f for f in formulas_)
    # and the English workbook has them all (so the check above can fail)
    en = xlsx.write_table_workbook(business_case_table(REPO / "configs" / "twente.toml", by_year=True),
                                   tmp_path / "en.xlsx", "en")
    wb = openpyxl.load_workbook(en)
    strings = set(wb.sheetnames) | {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
                                    if c.data_type == "s"}
    assert {"Business case", "line", "paid by", "Total costs", "yes", "no", "years"} <= strings
    assert len(_english_left(strings, words["en"], words["nl"])) > 40
    cached = openpyxl.load_workbook(tmp_path / "twente.xlsx", data_only=True)["Businesscase"]
    layout = xlsx.table_workbook_layout(business_case_table(REPO / "configs" / "twente.toml"),
                                        tmp_path / "layout.xlsx", "nl")
    r, c = layout["Businesscase"]["parties"]["ggz"]["break_even_simple"]
    assert cached.cell(row=r + 1, column=c + 1).value == "nooit"


def test_the_table_workbook_refuses_a_language_it_does_not_speak(tmp_path):
    t = business_case_table(REPO / "configs" / "twente.toml")
    with pytest.raises(ValueError, match="lang must be one of"):
        xlsx.write_table_workbook(t, tmp_path / "t.xlsx", "de")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["--format", "xlsx"], "error: --out: --format xlsx writes a workbook: give --out FILE.xlsx"),
    (["--format", "xlsx", "--out", "table.csv"], "error: --out: a workbook's file name must end in .xlsx"),
    (["--format", "xlsx", "--out", "missing/t.xlsx"], "error: --out: directory 'missing' does not exist"),
    (["--out", "missing/t.txt"], "error: --out: directory 'missing' does not exist"),
])
def test_bad_out_is_refused_before_any_work(run_simsav, tmp_path, small_config, args, message):
    out = run_simsav("table", small_config, *args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr and "compiling" not in out.stderr
    assert out.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.toml"]


def test_bad_out_and_bad_config_are_reported_together(run_simsav, write_config, tmp_path):
    bad = write_config("title = 3\n", "bad.toml")
    out = run_simsav("table", bad, "--format", "xlsx")
    assert out.returncode == 2
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("error: ")]
    assert lines[0].startswith("error: --out: ") and len(lines) >= 2
    assert any("bad.toml" in ln for ln in lines[1:])


def test_out_writes_the_text_formats_to_a_file(run_simsav, tmp_path, small_config):
    printed = run_simsav("table", small_config, "--format", "csv").stdout
    out = run_simsav("table", small_config, "--format", "csv", "--out", "t.csv")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == printed.rstrip("\n") + "\n"  # echo adds a newline
    assert "t.csv" in out.stdout and "row,id,label" not in out.stdout


def test_a_failing_run_leaves_an_existing_workbook_as_it_was(run_simsav, write_config, tmp_path):
    old = tmp_path / "t.xlsx"
    old.write_bytes(b"old")
    bad = write_config("title = 3\n", "bad.toml")
    out = run_simsav("table", bad, "--format", "xlsx", "--out", old)
    assert out.returncode == 2
    assert old.read_bytes() == b"old"


def test_workbook_path_must_end_in_xlsx(tmp_path):
    with pytest.raises(InputError, match="must end in .xlsx"):
        xlsx.check_xlsx_path(tmp_path / "t.xls")
    with pytest.raises(InputError, match="--xlsx: a worksheet holds at most"):
        xlsx.check_run_workbook(tmp_path / "r.xlsx", xlsx.MAX_DRAWS + 1)
    xlsx.check_run_workbook(tmp_path / "R.XLSX", xlsx.MAX_DRAWS)


# --- simsav run --xlsx (write_run_workbook) -----------------------------------------------

@pytest.fixture(scope="module")
def run_results(tmp_path_factory):
    """A small Monte Carlo run (draws: even, so the medians average two middle draws) and a base case."""
    import simsav
    from conftest import SMALL_CONFIG

    path = tmp_path_factory.mktemp("run") / "small.toml"
    path.write_text(SMALL_CONFIG, encoding="utf-8")
    return simsav.simulate(path, draws=240, seed=5), simsav.base_case(path)


@pytest.mark.parametrize("which", ["monte_carlo", "base_case"])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_run_workbook_summary_recomputes_to_party_summary(run_results, tmp_path, which, lang):
    ds = run_results[0] if which == "monte_carlo" else run_results[1]
    path = tmp_path / "run.xlsx"
    assert xlsx.write_run_workbook(ds, path, lang=lang) == path
    layout = xlsx.run_workbook_layout(ds, tmp_path / "layout.xlsx", lang=lang)
    summary_sheet, nets_sheet, _ = layout["sheets"]
    calc = Recomputed(path)
    summ = party_summary(ds)
    H = ds.attrs["horizon_months"]
    rows = {p.party: p for p in summ.parties} | {"total": summ.total}
    assert set(layout["summary"]) == set(ds["party"].values.tolist()) | {"total"}
    for key, cells in layout["summary"].items():
        s = rows[key]
        for name, want in [("net_mean", s.net.mean), ("net_median", s.net.median), ("net_low", s.net.low),
                           ("net_high", s.net.high), ("p_positive", s.p_positive), ("p_break_even", s.p_break_even)]:
            assert same(calc(summary_sheet, cells[name]), want), (key, name)
        got = calc(summary_sheet, cells["break_even"])
        assert got == (f"> {H}" if math.isinf(s.break_even) else pytest.approx(s.break_even)), key
    # the per-draw nets: draw x party, in the order of ds.party, then all parties
    wb = openpyxl.load_workbook(path, read_only=True)
    rows_ = list(wb[nets_sheet].iter_rows(values_only=True))
    assert len(rows_) == ds.sizes["draw"] + 1
    assert list(rows_[0][1:]) == ds["party"].values.tolist() + ["total"]
    nets = np.array([r[1:-1] for r in rows_[1:]], dtype=float)
    np.testing.assert_allclose(nets, ds["net"].transpose("draw", "party").values, rtol=1e-12)


def test_run_workbook_has_both_a_party_that_breaks_even_and_one_that_does_not(run_results):
    summ = party_summary(run_results[0])
    kinds = {math.isinf(p.break_even) for p in summ.parties + [summ.total]}
    assert kinds == {True, False}  # so the test above checks both forms of the break-even cell


def test_run_workbook_refuses_other_file_names(run_results, tmp_path):
    with pytest.raises(InputError, match="must end in .xlsx"):
        xlsx.write_run_workbook(run_results[1], tmp_path / "run.csv")
    assert list(tmp_path.iterdir()) == []
