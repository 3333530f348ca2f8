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
import re
from dataclasses import asdict

from ..analysis.table import BusinessCaseTable
from .console import render_table
from .formats import format_eur, format_number, plain
from .texts import TEXTS, text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula in a cell of text."""

BREAK_EVEN_SIMPLE = "break-even (successes, the source's way)"
BREAK_EVEN_VARIABLE = "break-even (successes, work-linked costs growing)"


def csv_text(s) -> str:
    """Return text for a CSV cell that no spreadsheet runs: an apostrophe before a formula's start;
    no control character but tabs and line breaks (:func:`~simsav.present.formats.plain`)."""
    s = "" if s is None else plain(s, keep_breaks=True)
    return "'" + s if s.startswith(FORMULA_STARTS) else s


def _k(x: float, lang: str = "en") -> str:
    return format_number(x, lang)


def _be(x: float, lang: str = "en") -> str:
    return _w(lang, "never") if not math.isfinite(x) else format_number(x, lang, 1) if lang != "en" else f"{x:.1f}"


def _w(lang: str, key: str, **values) -> str:
    return text(lang, "table_console", key, **{k: plain(v) if isinstance(v, str) else v for k, v in values.items()})


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def driver_text(driver: str, lang: str = "en") -> str:
    """Return a line's arithmetic in words (simsav.analysis.table, in English) in ``lang``: its
    words from the section ``table_words`` of simsav.present.texts, its numbers in ``lang``'s style."""
    if lang == "en":
        return driver
    words = sorted(TEXTS["table_words"].values(), key=lambda w: -len(w["en"]))
    pattern = re.compile("|".join(r"(?<![\w-])" + re.escape(w["en"]) + r"(?![\w-])" for w in words))
    table = {w["en"]: w[lang] for w in words}
    driver = _NUMBER.sub(lambda m: m.group(0).replace(",", "\0").replace(".", ",").replace("\0", "."), driver)
    return pattern.sub(lambda m: table[m.group(0)], driver)


def _memo_note(t: BusinessCaseTable, kind: str | None = None, lang: str = "en") -> str | None:
    """Return the sentence beside a total naming the lines outside the table it leaves out."""
    sel = [ln for ln in t.memo if kind is None or ln.kind == kind]
    if not sel:
        return None
    what = "; ".join(_w(lang, "memo_line", label=ln.label, party=ln.party,
                        kind=_w(lang, f"kind_{ln.kind}") if ln.kind in ("cost", "saving") else ln.kind,
                        eur=f"EUR {_k(ln.amount, lang)}") for ln in sel)
    n = _w(lang, "memo_one") if len(sel) == 1 else _w(lang, "memo_many", n=len(sel))
    return _w(lang, "memo_note", n=n, what=what)


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


def to_text(t: BusinessCaseTable, markdown: bool = False, lang: str = "en") -> str:
    """Return the table for people, in ``lang``: lines with arithmetic, parties, totals, break-even."""
    w = lambda key, **v: _w(lang, key, **v)
    k = lambda x: _k(x, lang)
    be = lambda x: _be(x, lang)
    years = t.years or sorted({y for ln in t.lines for y in ln.by_year})
    ycols = [w("year_eur", year=y) for y in years]
    out = [f"# {plain(t.title)}" if markdown else plain(t.title), ""]
    for kind, heading in (("cost", w("costs")), ("saving", w("savings"))):
        rows = [[w("line"), w("paid_by") if kind == "cost" else w("saved_by"), w("arithmetic"), *ycols, w("total_eur")]]
        sel = [ln for ln in t.lines if ln.kind == kind]
        for ln in sel:
            rows.append([ln.label, ln.party, driver_text(ln.driver, lang), *[k(ln.amount_in(y)) for y in years],
                         k(ln.amount)])
        total = sum(ln.amount for ln in sel)
        rows.append([w(f"total_{kind}s"), "", "", *[k(sum(ln.amount_in(y) for ln in sel)) for y in years], k(total)])
        out.append(f"## {heading}" if markdown else heading)
        out.extend(_grid(rows, markdown))
        note = _memo_note(t, kind, lang)
        if note:
            out += ["", note]
        out.append("")
    rows = [[w("party"), w("costs_eur"), w("savings_eur"), w("net_eur"), w("be_simple"), w("be_variable")]]
    for p in t.parties:
        rows.append([p.name, k(p.costs), k(p.savings), k(p.net), be(p.break_even_simple), be(p.break_even_variable)])
    tt = t.totals
    rows.append([w("all_parties"), k(tt.costs), k(tt.savings), k(tt.net), be(tt.break_even_simple),
                 be(tt.break_even_variable)])
    out.append(f"## {w('per_party')}" if markdown else w("per_party"))
    out.extend(_grid(rows, markdown, left=1))
    note = _memo_note(t, None, lang)
    if note:
        out += ["", note]
    out.append("")
    if years:
        rows = [[w("party"), "", *ycols, w("total_eur")]]
        for name, f in [(p.name, p) for p in t.parties] + [(w("all_parties"), tt)]:
            for i, what in enumerate(("costs", "savings", "net")):
                rows.append([name if i == 0 else "", w(f"what_{what}"), *[k(getattr(f.by_year[y], what)) for y in years],
                             k(getattr(f, what))])
        out.append(f"## {w('per_party_year')}" if markdown else w("per_party_year"))
        out.extend(_grid(rows, markdown, left=2))
        out.append("")
    out.append(w("result", net=format_eur(tt.net, lang)))
    out.append(w("sroi", sroi=format_number(tt.sroi, lang, 2)) if math.isfinite(tt.sroi) else w("sroi_none"))
    out.append(w("successes", n=format_number(tt.successes, lang, 1), eur=format_eur(tt.saving_per_success, lang)))
    out.append(w("be_simple_line", n=be(tt.break_even_simple)))
    out.append(w("be_variable_line", n=be(tt.break_even_variable)))
    out.append(w("be_note"))
    if t.memo:
        out.append("")
        heading = w("outside")
        out.append(f"## {heading}" if markdown else heading)
        rows = [[w("line"), w("party"), w("arithmetic"), *ycols, w("outside_total")]]
        rows += [[ln.label, ln.party, driver_text(ln.driver, lang), *[k(ln.by_year[y]) for y in years], k(ln.total)]
                 for ln in t.memo]
        out.extend(_grid(rows, markdown))
    return "\n".join(out)


def _grid(rows, markdown: bool, left: int = 3) -> list[str]:
    """Return a table's lines: the first ``left`` columns text, the others numbers (right-aligned);
    a line break in a cell becomes a space (it would end a Markdown row)."""
    rows = [[str(c).replace("\r\n", " ").replace("\n", " ").replace("\r", " ") for c in r] for r in rows]
    return render_table(rows, left=left, numbers_right=True, markdown=markdown)


def render(t: BusinessCaseTable, fmt: str = "text", lang: str = "en") -> str:
    """Return the table in ``fmt``: text, markdown (in ``lang``), csv or json (data: English keys and words)."""
    if fmt == "json":
        return to_json(t)
    if fmt == "csv":
        return to_csv(t)
    return to_text(t, markdown=(fmt == "markdown"), lang=lang)
