"""The business-case table (as in seed 003): lines with who pays, totals, SROI, break-even.

``business_case_table(config)`` computes it from the base case;
``simsav.present.business_case.render(table, fmt)`` prints it as text, Markdown, CSV or JSON and
``simsav.present.xlsx.write_table_workbook`` writes it as a workbook of live formulas. Each line
carries its arithmetic in words ("260 participant-months x 4 h x EUR 75") and as numbers
(:class:`Arithmetic`: count x organisations x quantity x hours x rate x share), derived from the
base case, so a reader (or a spreadsheet) can redo it.

Break-even, two ways, both counted in *successes* (successful placements, not months):

* *simple* (the source's): total costs / saving per successful placement;
* *variable*: the number of successes at which the net is zero when work-linked costs
  (monthly items paid only while working, one-offs at placement or success) grow with the
  successes as the savings do, and the other costs stay fixed:
  fixed costs / (saving per success - work-linked cost per success).

The table's lines, party rows and totals are the lines *in* the source's table
(``in_table``); the others (``memo``) are modelled, shown apart and not in these totals
(``simsav run``'s results include them).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..config import Config, point_value

WORK_LINKED_EVENTS = {"placement", "success"}

EVENT_COUNTS = {"start": "trajectory starts", "placement": "placements", "success": "successes (12 months at work)",
                "first_placement": "first placements"}
"""What an event item's count counts, in words."""

WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12


@dataclass
class Arithmetic:
    """A line's amount (EUR, positive) as a product of its driver numbers:

    count x organisations x quantity x hours_per_week x 52 / 12 x rate (/ 12 when ``rate_yearly``) x share

    where a factor that is None is left out. ``count`` is derived from the base case (the
    amount divided by the other factors: participant-months, benefit-months saved, events,
    years); the other numbers are the config's.
    """

    count: float
    count_of: str  # what count counts: "participant-months at full rate", "benefit-months saved", ...
    rate: float
    rate_unit: str  # "EUR per h", "EUR per year", ...
    organisations: float | None = None
    quantity: float | None = None
    quantity_unit: str = ""
    hours_per_week: float | None = None  # x hours_per_week x 52 / 12: the hours worked per month
    rate_yearly: bool = False  # a yearly rate paid monthly: / 12
    share: float | None = None  # the share saved

    def unit(self) -> float:
        """Return the amount of one unit of count: the product of every factor but count."""
        u = self.rate / (MONTHS_PER_YEAR if self.rate_yearly else 1)
        for f in (self.organisations, self.quantity, self.share):
            if f is not None:
                u *= f
        if self.hours_per_week is not None:
            u *= self.hours_per_week * WEEKS_PER_YEAR / MONTHS_PER_YEAR
        return u

    def amount(self) -> float:
        return self.count * self.unit()

    def count_for(self, amount: float) -> float:
        """Return the count that gives ``amount`` (a year's part of the line, say) with the same factors."""
        u = self.unit()
        return amount / u if u else 0.0


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
    by_year: dict[str, float] = field(default_factory=dict)  # signed as total
    arithmetic: Arithmetic | None = None  # of the amount shown: -total for a cost, total for a saving

    @property
    def amount(self) -> float:
        """Return the amount as the table shows it: costs and savings both positive."""
        return -self.total if self.kind == "cost" else self.total

    def amount_in(self, year: str) -> float:
        """Return the amount of ``year`` as the table shows it (a cost positive)."""
        return -self.by_year[year] if self.kind == "cost" else self.by_year[year]


@dataclass
class Flows:
    """Costs, savings and net (EUR) of a party, or of all parties, in one calendar year."""

    costs: float
    savings: float
    net: float


@dataclass
class PartyRow:
    id: str
    name: str
    costs: float
    savings: float
    net: float
    break_even_simple: float  # successes
    break_even_variable: float  # successes
    by_year: dict[str, Flows] = field(default_factory=dict)
    work_linked_costs: float = 0.0


@dataclass
class Totals:
    costs: float
    savings: float
    net: float
    sroi: float
    successes: float
    saving_per_success: float
    break_even_simple: float  # successes
    break_even_variable: float  # successes
    by_year: dict[str, Flows] = field(default_factory=dict)
    work_linked_costs: float = 0.0


@dataclass
class BusinessCaseTable:
    title: str
    lines: list[Line]
    parties: list[PartyRow]
    totals: Totals
    memo: list[Line]  # items outside the source's table: not in parties' or totals' figures
    years: list[str] = field(default_factory=list)  # the calendar years, with by_year


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


def _driver(item, total: float, cfg: Config, hours: float) -> tuple[str, Arithmetic]:
    """Return the arithmetic of a line in words and in numbers, with the count derived from the base case."""
    amount = point_value(item.amount)
    qty = point_value(item.quantity)
    unit = f" {item.unit}" if item.unit else ""
    per = (f"{_num(qty)}{unit} x " if qty != 1 or item.unit else "")
    quantity = qty if (qty != 1 or item.unit) else None
    per_unit = f" per {item.unit}" if item.unit else ""
    if item.basis == "annual":
        orgs = point_value(item.organisations)
        years = abs(total) / (amount * qty * orgs) if amount * qty * orgs else 0
        who = f"{_num(orgs)} org x " if orgs != 1 else ""
        ar = Arithmetic(count=years, count_of="years", rate=amount, rate_unit=f"EUR{per_unit} per year",
                        organisations=orgs if orgs != 1 else None, quantity=quantity, quantity_unit=item.unit)
        return f"{who}{per}{_eur(amount)} x {_num(years)} yr", ar
    if item.basis == "event":
        unit_rate = amount * qty
        n = abs(total) / unit_rate if unit_rate else 0
        event = EVENT_COUNTS.get(item.event, item.event)
        ar = Arithmetic(count=n, count_of=event, rate=amount, rate_unit=f"EUR{per_unit or ' per event'}",
                        quantity=quantity, quantity_unit=item.unit)
        return f"{_num(n)} x {per}{_eur(amount)} ({item.event})", ar
    yearly = item.amount_period == "year"
    rate = amount * qty / (12 if yearly else 1)
    if item.per_hour_worked:
        rate *= hours * 52 / 12
    amount_txt = f"{_eur(amount)}/yr / 12" if yearly else _eur(amount)
    hours_txt = f"{_num(hours)} h/wk x 52/12 x " if item.per_hour_worked else ""
    if item.unit:
        rate_unit = f"EUR per {item.unit}" + (" per year" if yearly else "")
    elif item.per_hour_worked:
        rate_unit = "EUR per hour worked"
    else:
        rate_unit = "EUR per year" if yearly else "EUR per month"
    common = dict(rate=amount, rate_unit=rate_unit, quantity=quantity, quantity_unit=item.unit,
                  hours_per_week=hours if item.per_hour_worked else None, rate_yearly=yearly)
    saved = _single_reduction(item)
    if saved is not None:
        # a saving that only arises in one state at one rate: count the months in that state
        state, share = saved
        months = abs(total) / (rate * share) if rate * share else 0
        ar = Arithmetic(count=months, count_of=f"participant-months {state}", share=share, **common)
        return f"{_num(months)} participant-months {state} x saved {share:.0%} x {per}{amount_txt}", ar
    months = abs(total) / rate if rate else 0
    factors = "; ".join(f"{st}: {_schedule_words(s)}" for st, s in item.state_factors.items())
    extra = f" ({factors})" if factors else ""
    ar = Arithmetic(count=months, count_of="participant-months at full rate", **common)
    return f"{_num(months)} participant-months at full rate x {per}{hours_txt}{amount_txt}{extra}", ar


def _single_reduction(item):
    """Return (state, share saved) when a saving item differs between worlds only by one flat reduction."""
    if item.item_kind != "saving" or len(item.worlds) != 2 or len(item.state_factors) != 1 or item.schedule:
        return None
    (state, sched), = item.state_factors.items()
    if sched.reductions is None or len(sched.reductions) != 1:
        return None
    return state, point_value(sched.reductions[0])


def _benefit_driver(stream, total: float) -> tuple[str, Arithmetic]:
    amount = point_value(stream.monthly_benefit)
    months = total / amount if amount else 0
    ar = Arithmetic(count=months, count_of="benefit-months saved", rate=amount, rate_unit="EUR per month")
    return (f"{_num(months)} benefit-months saved x {_eur(amount)} "
            f"(while working: {_schedule_words(stream.benefit_reduction_when_working)})"), ar


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
    year_ids = [str(y) for y in np.unique(years)] if by_year else []
    lines = []
    for iid in ds.item.values.tolist():
        total = float(ds.item_total.sel(item=iid))
        if iid in streams:
            (driver, arithmetic), linked = _benefit_driver(streams[iid], total), False
        else:
            (driver, arithmetic), linked = _driver(items[iid], total, cfg, hours), _work_linked(items[iid])
        line = Line(
            id=iid, label=str(ds.item_label.sel(item=iid).values), party=str(ds.item_party.sel(item=iid).values),
            kind=str(ds.item_kind.sel(item=iid).values), driver=driver, total=total, work_linked=linked,
            in_table=bool(ds.item_in_table.sel(item=iid)), arithmetic=arithmetic,
        )
        if line.amount < 0:  # the words count in absolute terms; the numbers keep the sign of the amount
            arithmetic.count = -arithmetic.count
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

    def per_year(sel):
        out = {}
        for y in year_ids:
            c = -sum(ln.by_year[y] for ln in sel if ln.kind == "cost")
            s = sum(ln.by_year[y] for ln in sel if ln.kind == "saving")
            out[y] = Flows(c, s, s - c)
        return out

    parties = []
    for p in cfg.parties:
        sel = [ln for ln in table_lines if ln.party == p.id]
        c, s, v = sums(sel)
        be_s, be_v = _break_evens(c, s, v, successes)
        parties.append(PartyRow(p.id, p.name, c, s, s - c, be_s, be_v, by_year=per_year(sel), work_linked_costs=v))
    c, s, v = sums(table_lines)
    be_s, be_v = _break_evens(c, s, v, successes)
    totals = Totals(
        costs=c, savings=s, net=s - c, sroi=s / c if c > 0 else math.nan, successes=successes,
        saving_per_success=s / successes if successes > 0 else math.nan,
        break_even_simple=be_s, break_even_variable=be_v, by_year=per_year(table_lines), work_linked_costs=v,
    )
    return BusinessCaseTable(cfg.title, table_lines, parties, totals, [ln for ln in lines if not ln.in_table],
                             years=year_ids)


def _hours(cfg: Config) -> float:
    h = cfg.outcomes.hours_per_week
    return point_value(h) if h is not None else 0.0
