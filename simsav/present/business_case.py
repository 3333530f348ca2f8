"""The business-case table (``simsav.analysis.table``) for people and programs: text, Markdown,
CSV and JSON.
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


def _k(x: float) -> str:
    return format_number(x)


def _be(x: float) -> str:
    return "never" if not math.isfinite(x) else f"{x:.1f}"


def to_json(t: BusinessCaseTable) -> str:
    """Return the table as one JSON object: items, parties, totals (and memo items)."""
    def item(ln):
        d = {"id": ln.id, "label": ln.label, "party": ln.party, "kind": ln.kind, "driver": ln.driver,
             "total": ln.total}
        if ln.by_year:
            d["by_year"] = ln.by_year
        return d

    def clean(x):
        return None if isinstance(x, float) and not math.isfinite(x) else x

    obj = {
        "title": t.title,
        "items": [item(ln) for ln in t.lines],
        "parties": [{k: clean(v) for k, v in asdict(p).items()} for p in t.parties],
        "totals": {k: clean(v) for k, v in asdict(t.totals).items()},
        "outside_table": [item(ln) for ln in t.memo],
    }
    return json.dumps(obj, indent=2, ensure_ascii=False)


def to_csv(t: BusinessCaseTable) -> str:
    """Return the item lines as CSV (one row per line, per-year columns with --by year)."""
    years = sorted({y for ln in t.lines + t.memo for y in ln.by_year})
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "label", "party", "kind", "driver", "total", "in_table"] + years)
    for ln in t.lines + t.memo:
        w.writerow([ln.id, ln.label, ln.party, ln.kind, ln.driver, f"{ln.total:.2f}", int(ln.in_table)]
                   + [f"{ln.by_year[y]:.2f}" for y in years])
    return buf.getvalue()


def to_text(t: BusinessCaseTable, markdown: bool = False) -> str:
    """Return the table for people: lines with arithmetic, parties, totals, break-even."""
    years = sorted({y for ln in t.lines for y in ln.by_year})
    out = [f"# {t.title}" if markdown else t.title, ""]
    for kind, heading in (("cost", "Costs"), ("saving", "Savings")):
        rows = [["line", "paid by" if kind == "cost" else "saved by", "arithmetic", *years, "EUR"]]
        sel = [ln for ln in t.lines if ln.kind == kind]
        for ln in sel:
            amount = -ln.total if kind == "cost" else ln.total
            ys = [_k(-ln.by_year[y] if kind == "cost" else ln.by_year[y]) for y in years]
            rows.append([ln.label, ln.party, ln.driver, *ys, _k(amount)])
        total = sum((-ln.total if kind == "cost" else ln.total) for ln in sel)
        rows.append([f"Total {heading.lower()}", "", "", *["" for _ in years], _k(total)])
        out.append(f"## {heading}" if markdown else heading)
        out.extend(_grid(rows, markdown))
        out.append("")
    rows = [["party", "costs", "savings", "net", "break-even (simple)", "break-even (variable)"]]
    for p in t.parties:
        rows.append([p.name, _k(p.costs), _k(p.savings), _k(p.net), _be(p.break_even_simple), _be(p.break_even_variable)])
    tt = t.totals
    rows.append(["All parties", _k(tt.costs), _k(tt.savings), _k(tt.net), _be(tt.break_even_simple),
                 _be(tt.break_even_variable)])
    out.append("## Per party" if markdown else "Per party")
    out.extend(_grid(rows, markdown))
    out.append("")
    out.append(f"Result (savings - costs): EUR {tt.net:,.0f}")
    out.append(f"SROI: EUR {tt.sroi:.2f} per euro invested" if math.isfinite(tt.sroi) else "SROI: -")
    out.append(f"Successful placements (12 months at work): {tt.successes:,.1f}; "
               f"saving per successful placement: EUR {tt.saving_per_success:,.0f}")
    out.append(f"Break-even, the source's way (costs / saving per success): {_be(tt.break_even_simple)} successes")
    out.append(f"Break-even with work-linked costs growing with successes: {_be(tt.break_even_variable)} successes")
    out.append("Break-even per party: the number of successes at which that party's net is zero.")
    if t.memo:
        out.append("")
        out.append("## Outside the table" if markdown else "Outside the table (modelled, not in the totals above)")
        rows = [["line", "party", "arithmetic", "EUR"]]
        rows += [[ln.label, ln.party, ln.driver, _k(ln.total)] for ln in t.memo]
        out.extend(_grid(rows, markdown))
    return "\n".join(out)


def _grid(rows, markdown: bool) -> list[str]:
    return render_table(rows, left=3, numbers_right=True, markdown=markdown)


def render(t: BusinessCaseTable, fmt: str = "text") -> str:
    """Return the table in ``fmt``: text, markdown, csv or json."""
    if fmt == "json":
        return to_json(t)
    if fmt == "csv":
        return to_csv(t)
    return to_text(t, markdown=(fmt == "markdown"))
