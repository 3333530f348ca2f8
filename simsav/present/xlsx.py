"""Workbooks for controllers: the business-case table with live formulas, and a run's summary.

``write_table_workbook(table, path, lang)`` (``simsav table CONFIG --format xlsx --out FILE``): every
line's driver numbers (the count derived from the base case, organisations, quantity, hours,
rate, share saved) in cells of their own, in blue, and its amount a formula of them; the totals,
the parties' costs, savings and net, SROI, the saving per success and both break-evens
(in successes) are formulas of the amounts. Change a rate and everything that follows from it
follows. With ``--by year`` a sheet per calendar year (the same lines, each count that year's)
and an overview sheet "By year" whose cells refer to them.

``write_run_workbook(ds, path)`` (``simsav run CONFIG --xlsx FILE``): the per-party summary
(net mean, median, 5% and 95%, P(net > 0), the break-even month, the share of draws breaking
even), as formulas over a sheet of the nets per draw (draw x party) and one of the break-even
months per draw.

Every formula cell also carries the value simsav computed, so a viewer that does not
recalculate shows the right figures. Text is written as text: a label such as ``=1+1`` or
``=HYPERLINK(...)`` stays a string and never becomes a formula.

The writer is XlsxWriter: it writes formulas with their cached values, types every cell
explicitly (``write_string`` never turns text into a formula), needs nothing else, and streams
large sheets row by row (``constant_memory``) so a million draws fit.
"""
from __future__ import annotations

import math
import os
from pathlib import Path

from ..analysis.table import BusinessCaseTable, Line
from ..errors import InputError
from ..files import write_atomically
from .formats import format_number

MAX_ROWS = 1_048_576
"""Rows of a worksheet (Excel's limit)."""
MAX_DRAWS = MAX_ROWS - 1
"""Draws a per-draw sheet holds (one row is the header)."""
SUFFIX = ".xlsx"

_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
            "nan_inf_to_errors": True}

# the columns of a block of lines (texts: ``table_workbook.col_line`` ...)
LINE_COLUMN_KEYS = ("col_line", "col_party", "col_flag", "col_words", "col_count", "col_count_of", "col_orgs",
                    "col_qty", "col_qty_unit", "col_hours", "col_rate", "col_rate_unit", "col_share", "col_amount")
C_LINE, C_PARTY, C_FLAG, C_WORDS, C_COUNT, C_COUNT_OF, C_ORGS, C_QTY, C_QTY_UNIT, C_HOURS, C_RATE, C_RATE_UNIT, \
    C_SHARE, C_AMOUNT = range(len(LINE_COLUMN_KEYS))


def check_xlsx_path(path: str | os.PathLike, option: str = "--out") -> None:
    """Raise InputError when ``path`` does not name an .xlsx file (the file itself: see cli.common.check_out)."""
    if Path(path).suffix.lower() != SUFFIX:
        raise InputError(option, f"a workbook's file name must end in {SUFFIX}, got {Path(path).name!r}")


def check_run_workbook(path: str | os.PathLike, draws: int, option: str = "--xlsx") -> None:
    """Raise InputError before any work when ``write_run_workbook`` could not write ``draws`` draws to ``path``."""
    check_xlsx_path(path, option)
    if draws > MAX_DRAWS:
        raise InputError(option, f"a worksheet holds at most {MAX_DRAWS:,} draws, not {draws:,}: run fewer "
                                 "draws, or leave --xlsx out and read the results file")


def _cell(row: int, col: int, absolute: bool = False) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)


def _range(first: int, last: int, col: int) -> str:
    return f"{_cell(first, col, True)}:{_cell(last, col, True)}"


def _sheet_ref(sheet: str, row: int, col: int) -> str:
    return "'" + sheet.replace("'", "''") + "'!" + _cell(row, col)


class _Formats:
    def __init__(self, wb):
        add = wb.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.heading = add({"bold": True, "font_size": 12})
        self.header = add({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.note = add({"italic": True, "font_color": "#555555"})
        self.text = add({})
        self.eur = add({"num_format": "#,##0"})
        self.eur_bold = add({"num_format": "#,##0", "bold": True, "top": 1})
        self.bold = add({"bold": True})
        self.bold_top = add({"bold": True, "top": 1})
        self.input = add({"font_color": "#0000FF", "num_format": "#,##0.00##"})
        self.input_share = add({"font_color": "#0000FF", "num_format": "0.0%"})
        self.derived = add({"font_color": "#0000FF", "num_format": "#,##0.00", "bg_color": "#EEF3FB"})
        self.ratio = add({"num_format": "0.00"})
        self.successes = add({"num_format": "0.0"})
        self.share = add({"num_format": "0.0%"})
        self.month = add({"num_format": "0.0"})


def _text(ws, row, col, value, fmt=None):
    """Write ``value`` as a string cell: text never becomes a formula, a number or a link."""
    ws.write_string(row, col, "" if value is None else str(value), fmt)


def _formula(ws, row, col, formula, fmt, value, none: str = ""):
    """Write ``formula`` with simsav's own result as its cached value (``none`` for a non-finite one,
    the text the formula gives then)."""
    if isinstance(value, float) and not math.isfinite(value):
        value = none
    ws.write_formula(row, col, formula, fmt, value)


def _table_texts(lang: str) -> dict:
    """Return the words of the table workbook in ``lang`` (section ``table_workbook`` of simsav.present.texts)."""
    import re

    from .texts import check_lang, section

    tx = dict(section("table_workbook")[check_lang(lang)])
    tx["lang"] = lang
    tx["columns"] = tuple(tx[k] for k in LINE_COLUMN_KEYS)
    en = section("table_workbook")["en"]["words"]
    pairs = sorted(((en[k], v) for k, v in tx["words"].items()), key=lambda p: -len(p[0]))
    table = dict(pairs)
    pattern = re.compile("|".join(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])" for w, _ in pairs))
    tx["translate"] = lambda words: pattern.sub(lambda m: table[m.group(0)], words)
    return tx


def table_sheet_names(lang: str = "en") -> tuple[str, str]:
    """Return the names of the table workbook's sheets "Business case" and "By year" in ``lang``."""
    tx = _table_texts(lang)
    return tx["sheet_case"], tx["sheet_by_year"]


def _words(tx: dict, words: str) -> str:
    """Return words of simsav.analysis.table (English) in the workbook's language."""
    from .business_case import driver_text

    if tx["lang"] == "en" or not words:
        return words
    return driver_text(tx["translate"](words), tx["lang"])


def _kind(tx: dict, kind: str) -> str:
    return tx[f"kind_{kind}"] if kind in ("cost", "saving") else kind


def _line_row(ws, r: int, ln: Line, f: _Formats, year: str | None, flag: str, tx: dict) -> None:
    """Write one line: its words, its driver numbers, and its amount as their product."""
    from .business_case import driver_text

    ar = ln.arithmetic
    amount = ln.amount if year is None else ln.amount_in(year)
    count = ar.count if year is None else ar.count_for(amount)
    _text(ws, r, C_LINE, ln.label)
    _text(ws, r, C_PARTY, ln.party)
    _text(ws, r, C_FLAG, flag)
    _text(ws, r, C_WORDS, driver_text(ln.driver, tx["lang"]))
    ws.write_number(r, C_COUNT, count, f.derived)
    _text(ws, r, C_COUNT_OF, _words(tx, ar.count_of))
    terms = [_cell(r, C_COUNT)]
    if ar.organisations is not None:
        ws.write_number(r, C_ORGS, ar.organisations, f.input)
        terms.append(_cell(r, C_ORGS))
    if ar.quantity is not None:
        ws.write_number(r, C_QTY, ar.quantity, f.input)
        terms.append(_cell(r, C_QTY))
    _text(ws, r, C_QTY_UNIT, _words(tx, ar.quantity_unit))  # as in the arithmetic's words
    if ar.hours_per_week is not None:
        ws.write_number(r, C_HOURS, ar.hours_per_week, f.input)
        terms.append(f"{_cell(r, C_HOURS)}*52/12")
    ws.write_number(r, C_RATE, ar.rate, f.input)
    terms.append(_cell(r, C_RATE) + ("/12" if ar.rate_yearly else ""))
    _text(ws, r, C_RATE_UNIT, _words(tx, ar.rate_unit) + (tx["rate_yearly"] if ar.rate_yearly else ""))
    if ar.share is not None:
        ws.write_number(r, C_SHARE, ar.share, f.input_share)
        terms.append(_cell(r, C_SHARE))
    _formula(ws, r, C_AMOUNT, "=" + "*".join(terms), f.eur, amount)


def _header(ws, r: int, labels, f: _Formats) -> None:
    for c, label in enumerate(labels):
        _text(ws, r, c, label, f.header)


def _memo_note(t: BusinessCaseTable, kind: str | None = None, lang: str = "en") -> str | None:
    from .business_case import _memo_note as note

    return note(t, kind, lang)


def _sumproduct(*terms: str) -> str:
    return "SUMPRODUCT(" + "*".join(f"({x})" for x in terms) + ")"


def _case_sheet(ws, t: BusinessCaseTable, f: _Formats, tx: dict, year: str | None = None) -> dict:
    """Write the business case (of the horizon, or of one calendar ``year``) on ``ws``; return
    where its figures are: {'lines': {id: (row, col)}, 'parties': {...}, 'totals': {...}}."""
    where = {"lines": {}, "memo": {}, "parties": {}, "totals": {}}
    _text(ws, 0, 0, t.title, f.title)
    _text(ws, 1, 0, tx["intro"] if year is None else tx["intro_year"].format(year=year))
    _text(ws, 2, 0, tx["blue_note"], f.note)
    r = 4
    blocks = {}
    cols_line = cols = tx["columns"]
    for kind, heading, who in (("cost", tx["costs"], tx["paid_by"]), ("saving", tx["savings"], tx["saved_by"])):
        sel = [ln for ln in t.lines if ln.kind == kind]
        _text(ws, r, 0, heading, f.heading)
        r += 1
        _header(ws, r, (cols[0], who) + cols[2:], f)
        r += 1
        first = r
        for ln in sel:
            _line_row(ws, r, ln, f, year, tx["yes"] if ln.work_linked else tx["no"], tx)
            where["lines"][ln.id] = (r, C_AMOUNT)
            r += 1
        last = r - 1
        total = sum(ln.amount if year is None else ln.amount_in(year) for ln in sel)
        _text(ws, r, C_LINE, tx[f"total_{kind}s"], f.bold_top)
        _formula(ws, r, C_AMOUNT, f"=SUM({_range(first, last, C_AMOUNT)})" if sel else "=0", f.eur_bold, total)
        blocks[kind] = (first, last, (r, C_AMOUNT)) if sel else None
        where["totals"][f"{kind}s"] = (r, C_AMOUNT)
        r += 1
        note = _memo_note(t, kind, tx["lang"])
        if note:
            _text(ws, r, 0, note, f.note)
            r += 1
        r += 1

    succ = None
    if year is None:
        _text(ws, r, 0, tx["successes"], f.bold)
        ws.write_number(r, 4, t.totals.successes, f.derived)
        succ = _cell(r, 4, True)
        where["totals"]["successes"] = (r, 4)
        r += 2

    _text(ws, r, 0, tx["per_party"], f.heading)
    r += 1
    cols = [tx["col_party"], tx["party_id"], tx["costs_eur"], tx["savings_eur"], tx["net_eur"]]
    if year is None:
        cols += [tx["work_linked_eur"], tx["be_simple"], tx["be_variable"]]
    _header(ws, r, cols, f)
    r += 1

    def block_sum(kind, party_cell, extra=None):
        b = blocks[kind]
        if b is None:
            return "0"
        first, last, _ = b
        terms = [f"{_range(first, last, C_PARTY)}={party_cell}"]
        if extra:
            terms.append(extra(first, last))
        return _sumproduct(*terms, _range(first, last, C_AMOUNT))

    def break_evens(r, c_cost, c_sav, c_var, row_obj):
        cost, sav, var = _cell(r, c_cost), _cell(r, c_sav), _cell(r, c_var)
        never = f"OR({succ}<=0,{sav}<=0)"
        word = tx["never"]
        _formula(ws, r, 6, f'=IF({never},{_literal(word)},{cost}/({sav}/{succ}))', f.successes,
                 row_obj.break_even_simple, word)
        margin = f"({sav}/{succ}-{var}/{succ})"
        _formula(ws, r, 7, f'=IF({never},{_literal(word)},IF({margin}>0,({cost}-{var})/{margin},{_literal(word)}))',
                 f.successes, row_obj.break_even_variable, word)

    for p in t.parties:
        flows = p if year is None else p.by_year[year]
        _text(ws, r, 0, p.name)
        _text(ws, r, 1, p.id)
        pc = _cell(r, 1)
        _formula(ws, r, 2, "=" + block_sum("cost", pc), f.eur, flows.costs)
        _formula(ws, r, 3, "=" + block_sum("saving", pc), f.eur, flows.savings)
        _formula(ws, r, 4, f"={_cell(r, 3)}-{_cell(r, 2)}", f.eur, flows.net)
        where["parties"][p.id] = {"costs": (r, 2), "savings": (r, 3), "net": (r, 4)}
        if year is None:
            wl = block_sum("cost", pc, lambda a, b: f'{_range(a, b, C_FLAG)}={_literal(tx["yes"])}')
            _formula(ws, r, 5, "=" + wl, f.eur, p.work_linked_costs)
            break_evens(r, 2, 3, 5, p)
            where["parties"][p.id].update(work_linked_costs=(r, 5), break_even_simple=(r, 6),
                                          break_even_variable=(r, 7))
        r += 1
    tt = t.totals
    flows = tt if year is None else tt.by_year[year]
    _text(ws, r, 0, tx["all_parties"], f.bold_top)
    _text(ws, r, 1, "", f.bold_top)
    _formula(ws, r, 2, "=" + _cell(*where["totals"]["costs"]), f.eur_bold, flows.costs)
    _formula(ws, r, 3, "=" + _cell(*where["totals"]["savings"]), f.eur_bold, flows.savings)
    _formula(ws, r, 4, f"={_cell(r, 3)}-{_cell(r, 2)}", f.eur_bold, flows.net)
    all_row = r
    where["totals"]["all_parties"] = {"costs": (r, 2), "savings": (r, 3), "net": (r, 4)}
    where["totals"]["net"] = (r, 4)
    if year is None:
        b = blocks["cost"]
        wl = (_sumproduct(f'{_range(b[0], b[1], C_FLAG)}={_literal(tx["yes"])}', _range(b[0], b[1], C_AMOUNT))
              if b else "0")
        _formula(ws, r, 5, "=" + wl, f.eur_bold, tt.work_linked_costs)
        break_evens(r, 2, 3, 5, tt)
        where["totals"]["all_parties"].update(work_linked_costs=(r, 5), break_even_simple=(r, 6),
                                              break_even_variable=(r, 7))
    r += 1
    note = _memo_note(t, None, tx["lang"])
    if note:
        _text(ws, r, 0, note, f.note)
        r += 1
    r += 1

    if year is None:
        cost, sav = _cell(all_row, 2, True), _cell(all_row, 3, True)
        figures = [
            (tx["fig_result"], f"={_cell(all_row, 4, True)}", f.eur, tt.net, "result"),
            (tx["fig_sroi"], f'=IF({cost}>0,{sav}/{cost},"-")', f.ratio, tt.sroi, "sroi"),
            (tx["fig_saving_per_success"], f'=IF({succ}>0,{sav}/{succ},"-")', f.eur,
             tt.saving_per_success, "saving_per_success"),
            (tx["fig_be_simple"], f"={_cell(all_row, 6, True)}", f.successes, tt.break_even_simple,
             "break_even_simple"),
            (tx["fig_be_variable"], f"={_cell(all_row, 7, True)}", f.successes, tt.break_even_variable,
             "break_even_variable"),
        ]
        _text(ws, r, 0, tx["result"], f.heading)
        r += 1
        for label, formula, fmt, value, key in figures:
            _text(ws, r, 0, label)
            _formula(ws, r, 4, formula, fmt, value, tx["never"] if key.startswith("break_even") else "-")
            where["totals"][key] = (r, 4)
            r += 1
        _text(ws, r, 0, tx["be_note"], f.note)
        r += 2

    if t.memo:
        _text(ws, r, 0, tx["outside"], f.heading)
        r += 1
        _header(ws, r, (cols_line[0], tx["col_party"], tx["col_kind"]) + cols_line[3:], f)
        r += 1
        for ln in t.memo:
            _line_row(ws, r, ln, f, year, _kind(tx, ln.kind), tx)
            where["memo"][ln.id] = (r, C_AMOUNT)
            r += 1
    widths = {C_LINE: 42, C_PARTY: 16, C_FLAG: 11, C_WORDS: 60, C_COUNT: 14, C_COUNT_OF: 30, C_ORGS: 12,
              C_QTY: 10, C_QTY_UNIT: 10, C_HOURS: 12, C_RATE: 12, C_RATE_UNIT: 22, C_SHARE: 10, C_AMOUNT: 14}
    for c, w in widths.items():
        ws.set_column(c, c, w)
    return where


def _overview_sheet(ws, t: BusinessCaseTable, f: _Formats, year_sheets: dict[str, dict], tx: dict) -> dict:
    """Write the sheet "By year": every line per year (cells referring to the year sheets), the
    totals per year, and each party's costs, savings and net per year."""
    years = t.years
    where = {"lines": {}, "memo": {}, "parties": {}, "totals": {}}
    ycol = {y: 2 + k for k, y in enumerate(years)}
    c_total = 2 + len(years)
    _text(ws, 0, 0, t.title, f.title)
    _text(ws, 1, 0, tx["overview_intro"])
    r = 3
    blocks = {}
    year_cols = [tx["year_eur"].format(year=y) for y in years] + [tx["total_eur"]]
    for kind, heading, who in (("cost", tx["costs"], tx["paid_by"]), ("saving", tx["savings"], tx["saved_by"])):
        sel = [ln for ln in t.lines if ln.kind == kind]
        _text(ws, r, 0, heading, f.heading)
        r += 1
        _header(ws, r, [tx["col_line"], who, *year_cols], f)
        r += 1
        first = r
        for ln in sel:
            _text(ws, r, 0, ln.label)
            _text(ws, r, 1, ln.party)
            for y in years:
                _formula(ws, r, ycol[y], "=" + _sheet_ref(y, *year_sheets[y]["lines"][ln.id]), f.eur, ln.amount_in(y))
            _formula(ws, r, c_total, f"=SUM({_cell(r, ycol[years[0]])}:{_cell(r, ycol[years[-1]])})", f.eur,
                     sum(ln.amount_in(y) for y in years))
            where["lines"][ln.id] = {y: (r, ycol[y]) for y in years} | {"total": (r, c_total)}
            r += 1
        last = r - 1
        _text(ws, r, 0, tx[f"total_{kind}s"], f.bold_top)
        _text(ws, r, 1, "", f.bold_top)
        tot = {}
        for y, c in list(ycol.items()) + [("total", c_total)]:
            value = sum(ln.amount_in(y) for ln in sel) if y != "total" else sum(ln.amount for ln in sel)
            _formula(ws, r, c, f"=SUM({_range(first, last, c)})" if sel else "=0", f.eur_bold, value)
            tot[y] = (r, c)
        where["totals"][f"{kind}s"] = tot
        blocks[kind] = (first, last) if sel else None
        r += 1
        note = _memo_note(t, kind, tx["lang"])
        if note:
            _text(ws, r, 0, note, f.note)
            r += 1
        r += 1

    _text(ws, r, 0, tx["per_party_year"], f.heading)
    r += 1
    _header(ws, r, [tx["col_party"], tx["party_id"], *year_cols], f)
    r += 1

    def block_sum(kind, party_cell, c):
        b = blocks[kind]
        return "0" if b is None else _sumproduct(f"{_range(b[0], b[1], 1)}={party_cell}", _range(b[0], b[1], c))

    rows_of = [(p.name, p.id, p) for p in t.parties] + [(tx["all_parties"], None, t.totals)]
    for name, pid, flows in rows_of:
        cells = {}
        for k, what in enumerate(("costs", "savings", "net")):
            _text(ws, r, 0, tx["party_what"].format(name=name, what=tx[f"what_{what}"]), f.bold if pid is None else None)
            _text(ws, r, 1, pid or "")
            pc = _cell(r, 1)
            for y, c in list(ycol.items()) + [("total", c_total)]:
                value = getattr(flows.by_year[y] if y != "total" else flows, what)
                if what == "net":
                    formula = f"={_cell(r - 1, c)}-{_cell(r - 2, c)}"
                elif pid is None:
                    formula = "=" + _cell(*where["totals"][what][y])
                else:
                    formula = "=" + block_sum("cost" if what == "costs" else "saving", pc, c)
                _formula(ws, r, c, formula, f.eur_bold if pid is None else f.eur, value)
                cells.setdefault(what, {})[y] = (r, c)
            r += 1
        if pid is None:
            where["totals"]["all"] = cells
        else:
            where["parties"][pid] = cells
    note = _memo_note(t, None, tx["lang"])
    if note:
        _text(ws, r, 0, note, f.note)
        r += 1
    r += 1
    if t.memo:
        _text(ws, r, 0, tx["outside"], f.heading)
        r += 1
        _header(ws, r, [tx["col_line"], tx["col_party"], *year_cols, tx["col_kind"]], f)
        c_what = c_total + 1
        r += 1
        for ln in t.memo:
            _text(ws, r, 0, ln.label)
            _text(ws, r, 1, ln.party)
            for y in years:
                _formula(ws, r, ycol[y], "=" + _sheet_ref(y, *year_sheets[y]["memo"][ln.id]), f.eur, ln.amount_in(y))
            _formula(ws, r, c_total, f"=SUM({_cell(r, ycol[years[0]])}:{_cell(r, ycol[years[-1]])})", f.eur,
                     sum(ln.amount_in(y) for y in years))
            _text(ws, r, c_what, _kind(tx, ln.kind))
            where["memo"][ln.id] = {y: (r, ycol[y]) for y in years} | {"total": (r, c_total)}
            r += 1
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 16)
    ws.set_column(2, c_total, 13)
    return where


BUSINESS_CASE_SHEET, OVERVIEW_SHEET = "Business case", "By year"
"""The sheets' names in English (in any language: :func:`table_sheet_names`)."""


def _literal(word: str) -> str:
    """Return ``word`` as a string literal inside a formula."""
    return '"' + word.replace('"', '""') + '"'


def table_workbook_layout(t: BusinessCaseTable, path: str | os.PathLike, lang: str = "en") -> dict:
    """Write the workbook of table ``t`` to ``path`` (as is, not atomically) in ``lang``; return where
    every figure is: {sheet name: {'lines', 'memo', 'parties', 'totals'}} (rows and columns from 0)."""
    import xlsxwriter

    tx = _table_texts(lang)
    case_sheet, overview_sheet = tx["sheet_case"], tx["sheet_by_year"]
    wb = xlsxwriter.Workbook(str(path), _OPTIONS)
    f = _Formats(wb)
    layout = {}
    main = wb.add_worksheet(case_sheet)
    layout[case_sheet] = _case_sheet(main, t, f, tx)
    if t.years:
        overview = wb.add_worksheet(overview_sheet)
        for y in t.years:
            layout[y] = _case_sheet(wb.add_worksheet(y), t, f, tx, year=y)
        layout[overview_sheet] = _overview_sheet(overview, t, f, {y: layout[y] for y in t.years}, tx)
    wb.set_properties({"title": t.title, "subject": tx["subject"], "comments": tx["comments"]})
    wb.close()
    return layout


def write_table_workbook(t: BusinessCaseTable, path: str | os.PathLike, lang: str = "en") -> Path:
    """Write the business-case table ``t`` (``simsav.analysis.table.business_case_table``) to the
    workbook ``path`` in ``lang``, atomically, with live formulas; with a table made ``by_year``, a
    sheet per calendar year and the overview "By year" too. Return the path."""
    from .texts import check_lang

    check_lang(lang)
    check_xlsx_path(path)
    return write_atomically(path, lambda tmp: table_workbook_layout(t, tmp, lang))


# --- simsav run --xlsx --------------------------------------------------------------------

RUN_COLUMNS = 9
"""Columns of the summary sheet (texts: ``run_workbook.column_0`` ...)."""


def _run_texts(lang: str) -> dict:
    """Return the words of the run workbook in ``lang`` (section ``run_workbook`` of simsav.present.texts)."""
    from .texts import section

    tx = dict(section("run_workbook")[lang])
    tx["columns"] = [tx.pop(f"column_{i}") for i in range(RUN_COLUMNS)]
    return tx


def run_workbook_layout(ds, path: str | os.PathLike, lang: str = "en") -> dict:
    """Write the run workbook of results ``ds`` to ``path`` (as is, not atomically); return where
    its figures are: {'summary': {party id or 'total': {column: (row, col)}}, 'draws': n}."""
    import numpy as np
    import xlsxwriter

    from ..analysis.summary import BAND, party_summary
    from ..model.results import is_discounted
    from .console import _names

    tx = _run_texts(lang)
    summ = party_summary(ds, _names(ds))
    n = int(ds.sizes["draw"])
    if n > MAX_DRAWS:
        raise InputError("--xlsx", f"a worksheet holds at most {MAX_DRAWS:,} draws, not {n:,}")
    H = int(ds.attrs["horizon_months"])
    parties = ds["party"].values.tolist()
    net = np.asarray(ds["net"].transpose("draw", "party").values, dtype=float)
    total_net = np.asarray(ds["savings"].sum("party").values - ds["costs"].sum("party").values, dtype=float)
    be = np.asarray(ds["break_even_month"].transpose("draw", "party").values, dtype=float)
    total_be = np.asarray(ds["total_break_even_month"].values, dtype=float).reshape(-1)
    draw_ids = ds["draw"].values.tolist() if "draw" in ds.coords else list(range(n))

    wb = xlsxwriter.Workbook(str(path), _OPTIONS | {"constant_memory": True})
    f = _Formats(wb)
    ws = wb.add_worksheet(tx["summary"])
    wn = wb.add_worksheet(tx["nets"])
    wbe = wb.add_worksheet(tx["break_even"])
    keys = parties + ["total"]
    names = {p.party: p.name for p in summ.parties} | {"total": tx["all"]}
    rows = {p.party: p for p in summ.parties} | {"total": summ.total}
    first, last = 1, n  # the draws' rows on the per-draw sheets

    def col_range(sheet, c):
        return "'" + sheet.replace("'", "''") + "'!" + _range(first, last, c)

    mc = ds.attrs.get("mode") == "monte_carlo"
    disc = tx["discounted"] if is_discounted(ds) else ""
    head = (tx["head_mc"] if mc else tx["head_base"]).format(
        draws=format_number(n, lang), seed=ds.attrs.get("seed"), agents=ds.attrs.get("agents"), horizon=H,
        start=ds.attrs.get("calendar_start"), disc=disc)
    _text(ws, 0, 0, str(ds.attrs.get("title", "")), f.title)
    _text(ws, 1, 0, head)
    _header(ws, 3, tx["columns"], f)
    k1, k2 = (n + 1) // 2, n // 2 + 1  # the middle ranks (1-based); the same when n is odd
    where = {}
    for i, key in enumerate(keys):
        r = 4 + i
        s = rows[key]
        nets, bes = col_range(tx["nets"], 1 + i), col_range(tx["break_even"], 1 + i)
        _text(ws, r, 0, names[key], f.bold if key == "total" else None)
        _text(ws, r, 1, key)
        median_be = (f'=IF(COUNT({bes})<{k2},"> {H}",(SMALL({bes},{k1})+SMALL({bes},{k2}))/2)')
        cells = [
            ("net_mean", f"=AVERAGE({nets})", f.eur, s.net.mean),
            ("net_median", f"=MEDIAN({nets})", f.eur, s.net.median),
            ("net_low", f"=PERCENTILE.INC({nets},{BAND[0]})", f.eur, s.net.low),
            ("net_high", f"=PERCENTILE.INC({nets},{BAND[1]})", f.eur, s.net.high),
            ("p_positive", f'=COUNTIF({nets},">0")/{n}', f.share, s.p_positive),
            ("break_even", median_be, f.month, s.break_even if math.isfinite(s.break_even) else f"> {H}"),
            ("p_break_even", f"=COUNT({bes})/{n}", f.share, s.p_break_even),
        ]
        where[key] = {}
        for j, (name, formula, fmt, value) in enumerate(cells):
            _formula(ws, r, 2 + j, formula, fmt, value)
            where[key][name] = (r, 2 + j)
    r = 4 + len(keys) + 1
    _text(ws, r, 0, tx["note"].format(nets=tx["nets"], be=tx["break_even"], horizon=H), f.note)
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 16)
    ws.set_column(2, len(tx["columns"]) - 1, 16)

    for sheet, values, totals, fmt in ((wn, net, total_net, f.eur), (wbe, be, total_be, f.month)):
        _text(sheet, 0, 0, tx["draw"], f.header)
        for i, key in enumerate(keys):
            _text(sheet, 0, 1 + i, key, f.header)
        for d in range(n):
            sheet.write_number(d + 1, 0, int(draw_ids[d]))
            row = list(values[d]) + [totals[d]]
            for i, v in enumerate(row):
                if math.isfinite(v):
                    sheet.write_number(d + 1, 1 + i, float(v), fmt)
        sheet.set_column(1, len(keys), 14)
    wb.set_properties({"title": str(ds.attrs.get("title", "")), "subject": "Monte Carlo summary (simsav run)"})
    wb.close()
    return {"summary": where, "draws": n, "sheets": (tx["summary"], tx["nets"], tx["break_even"])}


def write_run_workbook(ds, path: str | os.PathLike, lang: str = "en") -> Path:
    """Write the per-party summary of results ``ds`` (net mean, median, 5% and 95%, P(net > 0),
    break-even month, share of draws breaking even; formulas) and the nets and break-even months
    per draw (a sheet draw x party each) to the workbook ``path``, atomically. Return the path."""
    from .texts import check_lang

    check_lang(lang)
    check_run_workbook(path, int(ds.sizes["draw"]))
    return write_atomically(path, lambda tmp: run_workbook_layout(ds, tmp, lang))
