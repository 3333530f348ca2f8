"""The business-case table (``simsav.analysis.table``) for people and programs: text, Markdown,
CSV and JSON (the workbook of live formulas: ``simsav.present.xlsx``).

Every column says its unit: amounts in EUR, break-evens in *successes* (successful placements,
not months). The party rows and totals are those of the source's table; lines outside it are
named beside the totals and shown in a block of their own.

CSV cells of text that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) get an apostrophe in front (:func:`csv_text`);
numbers stay numbers.
"""
from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict

from ..analysis.table import BusinessCaseTable
from .console import render_table
from .formats import format_number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula in a cell of text."""

BREAK_EVEN_SIMPLE = "break-even (successes, the source's way)"
BREAK_EVEN_VARIABLE = "break-even (successes, work-linked costs growing)"


def csv_text(s) -> str:
    """Return text for a CSV cell that no spreadsheet runs: an apostrophe before a formula's start."""
    s = "" if s is None else str(s)
    return "'" + s if s.startswith(FORMULA_STARTS) else s


def _k(x: float) -> str:
    return format_number(x)


def _be(x: float) -> str:
    return "never" if not math.isfinite(x) else f"{x:.1f}"


def _memo_note(t: BusinessCaseTable, kind: str | None = None) -> str | None:
    """Return the sentence beside a total naming the lines outside the table it leaves out."""
    sel = [ln for ln in t.memo if kind is None or ln.kind == kind]
    if not sel:
        return None
    what = "; ".join(f"{ln.label} ({ln.party}, {ln.kind} EUR {_k(ln.amount)})" for ln in sel)
    n = f"{len(sel)} line" + ("s" if len(sel) > 1 else "")
    return f"Not in these totals: {n} outside the source's table, shown apart below: {what}."


def to_json(t: BusinessCaseTable) -> str:
    """Return the table as one JSON object: items, parties, totals (and memo items), with units."""
    def item(ln):
        d = {"id": ln.id, "label": ln.label, "party": ln.party, "kind": ln.kind, "driver": ln.driver,
             "total": ln.total}
        if ln.arithmetic is not None:
            d["arithmetic"] = asdict(ln.arithmetic)
        if ln.by_year:
            d["by_year"] = ln.by_year
        return d

    def clean(x):
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        return None if isinstance(x, float) and not math.isfinite(x) else x

    obj = {
        "title": t.title,
        "units": {
            "amounts": "EUR over the horizon (total, costs, savings, net, by_year); an item's total is signed: "
                       "savings positive, costs negative",
            "break_even_simple": "successes (successful placements: 12 months at work), not months",
            "break_even_variable": "successes (successful placements: 12 months at work), not months",
            "successes": "successful placements (12 months at work), base-case expected count",
            "sroi": "EUR saved per EUR invested",
            "arithmetic": "an item's amount (costs positive) = count x organisations x quantity x "
                          "hours_per_week x 52/12 x rate (/ 12 when rate_yearly) x share, leaving out the nulls",
        },
        "years": t.years,
        "items": [item(ln) for ln in t.lines],
        "parties": [clean(asdict(p)) for p in t.parties],
        "totals": clean(asdict(t.totals)),
        "totals_exclude": [ln.id for ln in t.memo],
        "outside_table": [item(ln) for ln in t.memo],
    }
    return json.dumps(obj, indent=2, ensure_ascii=False)


def to_csv(t: BusinessCaseTable) -> str:
    """Return the table as CSV: a row per line ('line', or 'outside_table' for a line outside the
    source's table), then costs, savings and net per party ('party') and of all parties
    ('all_parties', the table's lines only); per-year columns with --by year. Amounts in EUR."""
    years = t.years or sorted({y for ln in t.lines + t.memo for y in ln.by_year})
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["row", "id", "label", "party", "kind", "driver", "total_eur", "in_table"] + [f"{y}_eur" for y in years])
    for ln in t.lines + t.memo:
        w.writerow(["line" if ln.in_table else "outside_table"]
                   + [csv_text(x) for x in (ln.id, ln.label, ln.party, ln.kind, ln.driver)]
                   + [f"{ln.total:.2f}", int(ln.in_table)] + [f"{ln.by_year[y]:.2f}" for y in years])
    for row, pid, name, flows in ([("party", p.id, p.name, p) for p in t.parties]
                                  + [("all_parties", "total", "All parties", t.totals)]):
        for what in ("costs", "savings", "net"):
            w.writerow([row, csv_text(pid), csv_text(name), csv_text(pid if row == "party" else ""), what, "",
                        f"{getattr(flows, what):.2f}", ""]
                       + [f"{getattr(flows.by_year[y], what):.2f}" for y in years])
    return buf.getvalue()


def to_text(t: BusinessCaseTable, markdown: bool = False) -> str:
    """Return the table for people: lines with arithmetic, parties, totals, break-even."""
    years = t.years or sorted({y for ln in t.lines for y in ln.by_year})
    ycols = [f"{y} (EUR)" for y in years]
    out = [f"# {t.title}" if markdown else t.title, ""]
    for kind, heading in (("cost", "Costs"), ("saving", "Savings")):
        rows = [["line", "paid by" if kind == "cost" else "saved by", "arithmetic", *ycols, "total (EUR)"]]
        sel = [ln for ln in t.lines if ln.kind == kind]
        for ln in sel:
            rows.append([ln.label, ln.party, ln.driver, *[_k(ln.amount_in(y)) for y in years], _k(ln.amount)])
        total = sum(ln.amount for ln in sel)
        rows.append([f"Total {heading.lower()}", "", "", *[_k(sum(ln.amount_in(y) for ln in sel)) for y in years],
                     _k(total)])
        out.append(f"## {heading}" if markdown else heading)
        out.extend(_grid(rows, markdown))
        note = _memo_note(t, kind)
        if note:
            out += ["", note]
        out.append("")
    rows = [["party", "costs (EUR)", "savings (EUR)", "net (EUR)", BREAK_EVEN_SIMPLE, BREAK_EVEN_VARIABLE]]
    for p in t.parties:
        rows.append([p.name, _k(p.costs), _k(p.savings), _k(p.net), _be(p.break_even_simple),
                     _be(p.break_even_variable)])
    tt = t.totals
    rows.append(["All parties", _k(tt.costs), _k(tt.savings), _k(tt.net), _be(tt.break_even_simple),
                 _be(tt.break_even_variable)])
    out.append("## Per party" if markdown else "Per party")
    out.extend(_grid(rows, markdown, left=1))
    note = _memo_note(t)
    if note:
        out += ["", note]
    out.append("")
    if years:
        rows = [["party", "", *ycols, "total (EUR)"]]
        for name, f in [(p.name, p) for p in t.parties] + [("All parties", tt)]:
            for k, what in enumerate(("costs", "savings", "net")):
                rows.append([name if k == 0 else "", what, *[_k(getattr(f.by_year[y], what)) for y in years],
                             _k(getattr(f, what))])
        out.append("## Per party per year" if markdown else "Per party per year")
        out.extend(_grid(rows, markdown, left=2))
        out.append("")
    out.append(f"Result (savings - costs): EUR {tt.net:,.0f}")
    out.append(f"SROI: EUR {tt.sroi:.2f} per euro invested" if math.isfinite(tt.sroi) else "SROI: -")
    out.append(f"Successful placements (12 months at work): {tt.successes:,.1f}; "
               f"saving per successful placement: EUR {tt.saving_per_success:,.0f}")
    out.append(f"Break-even, the source's way (costs / saving per success): {_be(tt.break_even_simple)} successes")
    out.append(f"Break-even with work-linked costs growing with successes: {_be(tt.break_even_variable)} successes")
    out.append("Break-even per party: the number of successes (successful placements, not months) at which that "
               "party's net is zero.")
    if t.memo:
        out.append("")
        heading = "Outside the table (modelled, not in the totals above)"
        out.append(f"## {heading}" if markdown else heading)
        rows = [["line", "party", "arithmetic", *ycols, "total (EUR, a cost negative)"]]
        rows += [[ln.label, ln.party, ln.driver, *[_k(ln.by_year[y]) for y in years], _k(ln.total)] for ln in t.memo]
        out.extend(_grid(rows, markdown))
    return "\n".join(out)


def _grid(rows, markdown: bool, left: int = 3) -> list[str]:
    """Return a table's lines: the first ``left`` columns text, the others numbers (right-aligned);
    a line break in a cell becomes a space (it would end a Markdown row)."""
    rows = [[str(c).replace("\r\n", " ").replace("\n", " ").replace("\r", " ") for c in r] for r in rows]
    return render_table(rows, left=left, numbers_right=True, markdown=markdown)


def render(t: BusinessCaseTable, fmt: str = "text") -> str:
    """Return the table in ``fmt``: text, markdown, csv or json."""
    if fmt == "json":
        return to_json(t)
    if fmt == "csv":
        return to_csv(t)
    return to_text(t, markdown=(fmt == "markdown"))
