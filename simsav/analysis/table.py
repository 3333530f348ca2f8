"""The business-case table (as in seed 003): lines with who pays, totals, SROI, break-even.

``business_case_table(config)`` computes it from the base case;
``simsav.present.business_case.render(table, fmt)`` prints it as text, Markdown, CSV or JSON. Each line carries its arithmetic in words
("260 agent-months x 4 h x EUR 75"), derived from the base case, so a reader can redo it.

Break-even, two ways:

* *simple* (the source's): total costs / saving per successful placement;
* *variable*: the number of successes at which the net is zero when work-linked costs
  (monthly items paid only while working, one-offs at placement or success) grow with the
  successes as the savings do, and the other costs stay fixed:
  fixed costs / (saving per success - work-linked cost per success).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..config import Config, point_value

WORK_LINKED_EVENTS = {"placement", "success"}


@dataclass
class Line:
    id: str
    label: str
    party: str
    kind: str
    driver: str
    total: float  # signed as item_total: savings positive, costs negative
    work_linked: bool
    in_table: bool
    by_year: dict[str, float] = field(default_factory=dict)


@dataclass
class PartyRow:
    id: str
    name: str
    costs: float
    savings: float
    net: float
    break_even_simple: float
    break_even_variable: float


@dataclass
class Totals:
    costs: float
    savings: float
    net: float
    sroi: float
    successes: float
    saving_per_success: float
    break_even_simple: float
    break_even_variable: float


@dataclass
class BusinessCaseTable:
    title: str
    lines: list[Line]
    parties: list[PartyRow]
    totals: Totals
    memo: list[Line]  # items outside the source's table


def _eur(x: float) -> str:
    return f"EUR {x:,.0f}" if abs(x - round(x)) < 1e-9 else f"EUR {x:,.2f}"


def _num(x: float) -> str:
    if abs(x - round(x)) < 1e-6:
        return f"{round(x):,}"
    return f"{x:,.1f}" if abs(x) >= 10 else f"{x:,.2f}"


def _schedule_words(s) -> str:
    """Return a schedule in words: 'saved 70% 0-11 months, saved 100% after' or 'x 50% 0-5 months, ...'."""
    if s is None:
        return ""
    saved = s.reductions is not None
    vals = [point_value(v) for v in (s.reductions if saved else s.values)]
    word = "saved " if saved else "x "
    if len(vals) == 1:
        return f"{word}{vals[0]:.0%}"
    clock = {"months_in_state": "months", "months_since_start": "months since start", "calendar_year": ""}[s.by]
    parts, lo = [], 0
    for b, v in zip(s.breaks, vals):
        span = f"{b}" if s.by == "calendar_year" else f"{lo}-{b - 1} {clock}"
        parts.append(f"{word}{v:.0%} {'before ' + span if s.by == 'calendar_year' else span}")
        lo = b
    parts.append(f"{word}{vals[-1]:.0%} after")
    return ", ".join(parts)


def _driver(item, total: float, cfg: Config, hours: float) -> str:
    """Return the arithmetic of a line in words, with the count derived from the base case."""
    amount = point_value(item.amount)
    qty = point_value(item.quantity)
    unit = f" {item.unit}" if item.unit else ""
    per = (f"{_num(qty)}{unit} x " if qty != 1 or item.unit else "")
    if item.basis == "annual":
        orgs = point_value(item.organisations)
        years = abs(total) / (amount * qty * orgs) if amount * qty * orgs else 0
        who = f"{_num(orgs)} org x " if orgs != 1 else ""
        return f"{who}{per}{_eur(amount)} x {_num(years)} yr"
    if item.basis == "event":
        unit_rate = amount * qty
        n = abs(total) / unit_rate if unit_rate else 0
        return f"{_num(n)} x {per}{_eur(amount)} ({item.event})"
    rate = amount * qty / (12 if item.amount_period == "year" else 1)
    if item.per_hour_worked:
        rate *= hours * 52 / 12
    amount_txt = f"{_eur(amount)}/yr / 12" if item.amount_period == "year" else _eur(amount)
    hours_txt = f"{_num(hours)} h/wk x 52/12 x " if item.per_hour_worked else ""
    saved = _single_reduction(item)
    if saved is not None:
        # a saving that only arises in one state at one rate: count the months in that state
        state, share = saved
        months = abs(total) / (rate * share) if rate * share else 0
        return f"{_num(months)} agent-months {state} x saved {share:.0%} x {per}{amount_txt}"
    months = abs(total) / rate if rate else 0
    factors = "; ".join(f"{st}: {_schedule_words(s)}" for st, s in item.state_factors.items())
    extra = f" ({factors})" if factors else ""
    return f"{_num(months)} agent-months at full rate x {per}{hours_txt}{amount_txt}{extra}"


def _single_reduction(item):
    """Return (state, share saved) when a saving item differs between worlds only by one flat reduction."""
    if item.item_kind != "saving" or len(item.worlds) != 2 or len(item.state_factors) != 1 or item.schedule:
        return None
    (state, sched), = item.state_factors.items()
    if sched.reductions is None or len(sched.reductions) != 1:
        return None
    return state, point_value(sched.reductions[0])


def _benefit_driver(stream, total: float) -> str:
    amount = point_value(stream.monthly_benefit)
    months = total / amount if amount else 0
    return (f"{_num(months)} benefit-months saved x {_eur(amount)} "
            f"(while working: {_schedule_words(stream.benefit_reduction_when_working)})")


def _work_linked(item) -> bool:
    if item.kind == "saving" or list(item.worlds) != ["program"]:
        return False
    if item.basis == "monthly":
        return set(item.states) == {"working"}
    return item.basis == "event" and item.event in WORK_LINKED_EVENTS


def _break_evens(costs: float, savings: float, variable_costs: float, successes: float) -> tuple[float, float]:
    if successes <= 0 or savings <= 0:
        return math.nan, math.nan
    per_success = savings / successes
    simple = costs / per_success
    margin = per_success - variable_costs / successes
    variable = (costs - variable_costs) / margin if margin > 0 else math.nan
    return simple, variable


def business_case_table(config, by_year: bool = False) -> BusinessCaseTable:
    """Return the base-case business-case table of a config (a Config or a path)."""
    from ..model.simulate import as_config, base_case

    cfg = as_config(config)
    ds = base_case(cfg).isel(draw=0)
    items = {it.id: it for it in cfg.items}
    streams = {f"benefit_{s.id}": s for s in cfg.streams}
    hours = _hours(cfg)
    years = ds["date"].dt.year.values
    lines = []
    for iid in ds.item.values.tolist():
        total = float(ds.item_total.sel(item=iid))
        if iid in streams:
            driver, linked = _benefit_driver(streams[iid], total), False
        else:
            driver, linked = _driver(items[iid], total, cfg, hours), _work_linked(items[iid])
        line = Line(
            id=iid, label=str(ds.item_label.sel(item=iid).values), party=str(ds.item_party.sel(item=iid).values),
            kind=str(ds.item_kind.sel(item=iid).values), driver=driver, total=total, work_linked=linked,
            in_table=bool(ds.item_in_table.sel(item=iid)),
        )
        if by_year:
            flow = ds.item_flow.sel(item=iid).values
            line.by_year = {str(y): float(flow[years == y].sum()) for y in np.unique(years)}
        lines.append(line)
    table_lines = [ln for ln in lines if ln.in_table]
    successes = float(ds.successes.sum())

    def sums(sel):
        costs = -sum(ln.total for ln in sel if ln.kind == "cost")
        savings = sum(ln.total for ln in sel if ln.kind == "saving")
        variable = -sum(ln.total for ln in sel if ln.work_linked)
        return costs, savings, variable

    parties = []
    for p in cfg.parties:
        c, s, v = sums([ln for ln in table_lines if ln.party == p.id])
        be_s, be_v = _break_evens(c, s, v, successes)
        parties.append(PartyRow(p.id, p.name, c, s, s - c, be_s, be_v))
    c, s, v = sums(table_lines)
    be_s, be_v = _break_evens(c, s, v, successes)
    totals = Totals(
        costs=c, savings=s, net=s - c, sroi=s / c if c > 0 else math.nan, successes=successes,
        saving_per_success=s / successes if successes > 0 else math.nan,
        break_even_simple=be_s, break_even_variable=be_v,
    )
    return BusinessCaseTable(cfg.title, table_lines, parties, totals, [ln for ln in lines if not ln.in_table])


def _hours(cfg: Config) -> float:
    h = cfg.outcomes.hours_per_week
    return point_value(h) if h is not None else 0.0
