"""Compile a Config into the flat numeric arrays the kernel understands.

Nothing here knows numba; nothing in the kernel knows TOML. Every number becomes a
parameter slot (see :mod:`simsav.params`); items, streams, laws of event times and
schedules become integer arrays that point into those slots.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .config import EVENTS, STATES, WORLDS, Config, Outcomes, Schedule
from .params import ParameterTable

# Laws of event times (months): the kernel turns each into a table of P(T <= k).
LAW_ZERO, LAW_FIXED, LAW_GEOMETRIC, LAW_SPELL_RETENTION, LAW_SPELL_PMF, LAW_NEVER, LAW_UNIFORM = range(7)
WAIT, PLACE, DROP, SPELL, HOLD = range(5)
LAW_NAMES = ("waiting", "placement", "dropout", "spell", "hold")
N_LAWS = 5

BASIS = {"monthly": 0, "event": 1, "annual": 2}
ORIGIN = {"months_in_state": 0, "months_since_start": 1, "calendar_year": 2}
EVENT_INDEX = {e: i for i, e in enumerate(EVENTS)}
STATE_INDEX = {s: i for i, s in enumerate(STATES)}

NO_SCHEDULE = -1
NOT_IN_STATE = -2

DEFAULTS = {
    "placement_probability": 0.0,
    "months_waiting": 0.0,
    "months_to_placement": 0.0,
    "job_retention_12m": 1.0,
    "return_probability": 0.0,
    "months_on_hold": 0.0,
    "max_spells": 3,
    "hours_per_week": 0.0,
    "time_law": "geometric",
}


@dataclass(frozen=True)
class CompiledModel:
    """Everything the kernels need, as arrays; plus the names to label results."""

    horizon: int
    table: ParameterTable
    party_ids: list[str]
    stream_ids: list[str]
    item_ids: list[str]
    item_labels: list[str]
    item_kinds: list[str]
    item_in_table: np.ndarray
    calendar_start: str
    # cohort: one row per (stream, start month) with its number of agents
    row_stream: np.ndarray
    row_start: np.ndarray
    row_count: np.ndarray
    # laws of event times per world x stream x law
    law_code: np.ndarray
    law_slot: np.ndarray
    benefit_law_code: np.ndarray
    benefit_law_slot: np.ndarray
    pmf_tables: np.ndarray
    p_place_slot: np.ndarray
    p_return_slot: np.ndarray
    max_spells: np.ndarray
    hours_slot: np.ndarray
    # items
    item_basis: np.ndarray
    item_party: np.ndarray
    item_amount_slot: np.ndarray
    item_qty_slot: np.ndarray
    item_elig_slot: np.ndarray
    item_org_slot: np.ndarray
    item_streams: np.ndarray  # item x stream, bool
    item_worlds: np.ndarray  # item x world, bool
    item_capped: np.ndarray
    item_per_hour: np.ndarray
    item_scale: np.ndarray  # fixed factor: 1/12 for yearly amounts of monthly items
    item_event: np.ndarray
    item_state_sched: np.ndarray  # item x state: schedule index, NO_SCHEDULE (factor 1) or NOT_IN_STATE
    item_sched: np.ndarray
    item_month_lo: np.ndarray
    item_month_hi: np.ndarray
    # schedules
    sched_origin: np.ndarray
    sched_break_off: np.ndarray
    sched_nbreaks: np.ndarray
    sched_breaks: np.ndarray
    sched_value_slots: np.ndarray
    sched_reduction: np.ndarray
    discount_slot: int

    @property
    def n_agents(self) -> int:
        return int(self.row_count.sum())

    def kernel_arrays(self) -> tuple:
        """Return the model arrays in the order the kernels take them."""
        return (
            self.row_stream, self.row_start, self.row_count,
            self.law_code, self.law_slot, self.benefit_law_code, self.benefit_law_slot, self.pmf_tables,
            self.p_place_slot, self.p_return_slot, self.max_spells, self.hours_slot,
            self.item_basis, self.item_amount_slot, self.item_qty_slot, self.item_elig_slot, self.item_org_slot,
            self.item_streams, self.item_worlds, self.item_capped, self.item_per_hour, self.item_scale, self.item_event,
            self.item_state_sched, self.item_sched, self.item_month_lo, self.item_month_hi,
            self.sched_origin, self.sched_break_off, self.sched_nbreaks, self.sched_breaks,
            self.sched_value_slots, self.sched_reduction, self.discount_slot, self.shift_invariant,
        )

    @property
    def shift_invariant(self) -> bool:
        """True when no agent-linked item depends on the calendar, so later starts are shifted copies."""
        agent_items = self.item_basis != BASIS["annual"]
        used = np.concatenate([self.item_state_sched[agent_items].ravel(), self.item_sched[agent_items]])
        used = used[used >= 0]
        return not np.any(self.sched_origin[used] == ORIGIN["calendar_year"]) if used.size else True


def spread_evenly(total: int, weights) -> np.ndarray:
    """Return integers summing to ``total`` along ``weights``, leftovers spread evenly over time.

    Cumulative rounding: month m gets round(target up to m) - round(target up to m - 1), so
    49 starts over 36 months alternate 1s and 2s instead of piling the 2s up front.
    """
    w = np.asarray(weights, dtype=float)
    cum = np.floor(total * np.cumsum(w) / w.sum() + 0.5).astype(np.int64)
    cum[-1] = total
    return np.diff(cum, prepend=0)


def largest_remainder(total: int, weights) -> np.ndarray:
    """Return integers summing to ``total`` in proportion to ``weights`` (Hamilton's method)."""
    w = np.asarray(weights, dtype=float)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(np.int64)
    short = total - base.sum()
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:short]] += 1
    return base


class _Builder:
    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.table = ParameterTable()
        self.sched_origin, self.sched_break_off, self.sched_nbreaks = [], [], []
        self.sched_breaks, self.sched_value_slots, self.sched_reduction = [], [], []
        self.pmf_tables: list[np.ndarray] = []

    # ---------------------------------------------------------------- schedules
    def schedule(self, sched: Schedule, path: str) -> int:
        c = self.cfg.cohort
        if sched.by == "calendar_year":
            # Absolute month at which each calendar year starts.
            breaks = [(y - c.start_year) * 12 - (c.start_month - 1) for y in sched.breaks]
        else:
            breaks = list(sched.breaks)
        reduction = sched.reductions is not None
        vals = sched.reductions if reduction else sched.values
        key = "reductions" if reduction else "values"
        self.sched_origin.append(ORIGIN[sched.by])
        self.sched_break_off.append(len(self.sched_breaks))
        self.sched_nbreaks.append(len(breaks))
        self.sched_breaks.extend(breaks)
        self.sched_value_slots.extend(self.table.add(f"{path}.{key}.{k}", v) for k, v in enumerate(vals))
        self.sched_reduction.append(reduction)
        return len(self.sched_origin) - 1

    # ---------------------------------------------------------------- outcomes
    def outcomes(self, world: str, stream: str) -> tuple[Outcomes, dict[str, str]]:
        """Return the merged outcomes of a stream in a world, and where each field came from."""
        wo = getattr(self.cfg, "outcomes" if world == "program" else "counterfactual")
        prefix = "outcomes" if world == "program" else "counterfactual"
        if wo is None:
            return Outcomes(), {}
        base = Outcomes.model_validate(wo.model_dump(exclude={"streams"}, exclude_none=True, round_trip=True))
        override = wo.streams.get(stream)
        origin = {f: prefix for f in base.model_fields_set}
        if override is None:
            return base, origin
        for f in override.model_fields_set:
            origin[f] = f"{prefix}.streams.{stream}"
        merged = override.merged_over(base)
        return merged, origin

    def slot(self, o: Outcomes, origin: dict, field: str) -> int:
        value = getattr(o, field)
        if value is None:
            return self.table.constant(DEFAULTS[field])
        return self.table.add(f"{origin[field]}.{field}", value)


def parameter_table(cfg: Config) -> ParameterTable:
    """Return the parameter table of a config (the slots its numbers get)."""
    return compile_config(cfg).table


def compile_config(cfg: Config) -> CompiledModel:
    """Return the arrays the kernels need for a validated Config."""
    b = _Builder(cfg)
    table = b.table
    H = cfg.cohort.horizon_months
    streams = cfg.streams
    S = len(streams)
    pid = {p.id: k for k, p in enumerate(cfg.parties)}
    W = len(WORLDS)

    # ------------------------------------------------------------ cohort rows
    if streams[0].count is not None:
        counts = np.array([s.count for s in streams], dtype=np.int64)
    else:
        counts = largest_remainder(cfg.cohort.size, [s.share for s in streams])
    if cfg.cohort.inflow_weights is not None:
        weights = np.asarray(cfg.cohort.inflow_weights, dtype=float)
    else:
        weights = np.ones(cfg.cohort.inflow_months)
    weights = weights[:H]
    row_stream, row_start, row_count = [], [], []
    for k in range(S):
        per_month = spread_evenly(int(counts[k]), weights)
        for m, n in enumerate(per_month):
            if n > 0:
                row_stream.append(k)
                row_start.append(m)
                row_count.append(int(n))

    # ------------------------------------------------------------ laws and outcome slots
    law_code = np.zeros((W, S, N_LAWS), np.int64)
    law_slot = np.zeros((W, S, N_LAWS), np.int64)
    p_place = np.zeros((W, S), np.int64)
    p_return = np.zeros((W, S), np.int64)
    max_spells = np.zeros((W, S), np.int64)
    hours = np.zeros((W, S), np.int64)
    for w, world in enumerate(WORLDS):
        for k, s in enumerate(streams):
            o, origin = b.outcomes(world, s.id)
            time_law = LAW_FIXED if (o.time_law or DEFAULTS["time_law"]) == "fixed" else LAW_GEOMETRIC
            for law, field in ((WAIT, "months_waiting"), (PLACE, "months_to_placement"), (HOLD, "months_on_hold")):
                law_code[w, k, law] = time_law
                law_slot[w, k, law] = b.slot(o, origin, field)
            if o.months_to_dropout is None:
                law_code[w, k, DROP] = LAW_NEVER
            else:
                law_code[w, k, DROP] = time_law
                law_slot[w, k, DROP] = b.slot(o, origin, "months_to_dropout")
            if o.spell_months_pmf is not None:
                pmf = np.zeros(H + 2)
                listed = np.asarray(o.spell_months_pmf[: H + 1], dtype=float)
                pmf[1 : 1 + len(listed)] = listed
                b.pmf_tables.append(pmf)
                law_code[w, k, SPELL] = LAW_SPELL_PMF
                law_slot[w, k, SPELL] = len(b.pmf_tables) - 1
            else:
                law_code[w, k, SPELL] = LAW_SPELL_RETENTION
                law_slot[w, k, SPELL] = b.slot(o, origin, "job_retention_12m")
            p_place[w, k] = b.slot(o, origin, "placement_probability")
            p_return[w, k] = b.slot(o, origin, "return_probability")
            max_spells[w, k] = o.max_spells if o.max_spells is not None else DEFAULTS["max_spells"]
            hours[w, k] = b.slot(o, origin, "hours_per_week")

    benefit_law_code = np.zeros(S, np.int64)
    benefit_law_slot = np.zeros(S, np.int64)
    for k, s in enumerate(streams):
        slot = table.add(f"streams.{s.id}.benefit_months_remaining", s.benefit_months_remaining)
        benefit_law_slot[k] = slot
        if math.isinf(table.params[slot].point) and not table.params[slot].uncertain:
            benefit_law_code[k] = LAW_NEVER
        else:
            benefit_law_code[k] = {"fixed": LAW_FIXED, "uniform": LAW_UNIFORM, "geometric": LAW_GEOMETRIC}[s.benefit_months_law]

    # ------------------------------------------------------------ items (benefits first)
    items = []  # (id, label, kind, in_table, dict of compiled fields)
    n_states = len(STATES)

    def new_item(item_id, label, kind, in_table, party, basis, amount_slot, qty_slot=None, elig_slot=None,
                 org_slot=None, streams_mask=None, worlds=("program",), capped=False, per_hour=False, scale=1.0, event=-1,
                 state_sched=None, sched=NO_SCHEDULE, month_lo=0, month_hi=H):
        items.append(dict(
            id=item_id, label=label, kind=kind, in_table=in_table, party=pid[party], basis=BASIS[basis],
            amount=amount_slot, qty=qty_slot if qty_slot is not None else table.constant(1.0),
            elig=elig_slot if elig_slot is not None else table.constant(1.0),
            org=org_slot if org_slot is not None else table.constant(1.0),
            streams=streams_mask if streams_mask is not None else np.ones(S, bool),
            worlds=np.array([w in worlds for w in WORLDS]), capped=capped, per_hour=per_hour, scale=scale, event=event,
            state_sched=state_sched if state_sched is not None else np.full(n_states, NOT_IN_STATE, np.int64),
            sched=sched, month_lo=month_lo, month_hi=month_hi,
        ))

    for k, s in enumerate(streams):
        if s.payer is None:
            continue
        state_sched = np.full(n_states, NO_SCHEDULE, np.int64)
        state_sched[STATE_INDEX["working"]] = b.schedule(
            s.benefit_reduction_when_working, f"streams.{s.id}.benefit_reduction_when_working"
        )
        mask = np.zeros(S, bool)
        mask[k] = True
        new_item(
            f"benefit_{s.id}", f"Uitkering {s.label or s.id}", "saving", True, s.payer, "monthly",
            table.add(f"streams.{s.id}.monthly_benefit", s.monthly_benefit), streams_mask=mask,
            worlds=WORLDS, capped=True, state_sched=state_sched,
        )

    for it in cfg.items:
        path = f"items.{it.id}"
        state_sched = np.full(n_states, NOT_IN_STATE, np.int64)
        for st in it.states:
            sched = it.state_factors.get(st)
            state_sched[STATE_INDEX[st]] = NO_SCHEDULE if sched is None else b.schedule(sched, f"{path}.state_factors.{st}")
        mask = np.ones(S, bool) if it.streams is None else np.array([s.id in it.streams for s in streams])
        lo, hi = 0, H
        if it.years is not None:
            c = cfg.cohort
            lo = max(0, (min(it.years) - c.start_year) * 12 - (c.start_month - 1))
            hi = min(H, (max(it.years) + 1 - c.start_year) * 12 - (c.start_month - 1))
        new_item(
            it.id, it.label, it.item_kind, it.in_table, it.party, it.basis,
            table.add(f"{path}.amount", it.amount), table.add(f"{path}.quantity", it.quantity),
            table.add(f"{path}.eligible_share", it.eligible_share), table.add(f"{path}.organisations", it.organisations),
            mask, tuple(it.worlds), it.capped_by_benefit, it.per_hour_worked,
            1.0 / 12.0 if it.amount_period == "year" else 1.0, EVENT_INDEX[it.event] if it.event else -1, state_sched,
            b.schedule(it.schedule, f"{path}.schedule") if it.schedule is not None else NO_SCHEDULE, lo, hi,
        )

    discount_slot = table.add("cohort.discount_rate", cfg.cohort.discount_rate)

    def arr(key, dtype=np.int64):
        return np.array([it[key] for it in items], dtype=dtype)

    I = len(items)
    return CompiledModel(
        horizon=H,
        table=table,
        party_ids=[p.id for p in cfg.parties],
        stream_ids=[s.id for s in streams],
        item_ids=[it["id"] for it in items],
        item_labels=[it["label"] for it in items],
        item_kinds=[it["kind"] for it in items],
        item_in_table=arr("in_table", bool),
        calendar_start=cfg.cohort.start,
        row_stream=np.array(row_stream, np.int64),
        row_start=np.array(row_start, np.int64),
        row_count=np.array(row_count, np.int64),
        law_code=law_code,
        law_slot=law_slot,
        benefit_law_code=benefit_law_code,
        benefit_law_slot=benefit_law_slot,
        pmf_tables=np.array(b.pmf_tables, dtype=float).reshape(len(b.pmf_tables), H + 2),
        p_place_slot=p_place,
        p_return_slot=p_return,
        max_spells=max_spells,
        hours_slot=hours,
        item_basis=arr("basis"),
        item_party=arr("party"),
        item_amount_slot=arr("amount"),
        item_qty_slot=arr("qty"),
        item_elig_slot=arr("elig"),
        item_org_slot=arr("org"),
        item_streams=np.array([it["streams"] for it in items], dtype=bool).reshape(I, S),
        item_worlds=np.array([it["worlds"] for it in items], dtype=bool).reshape(I, W),
        item_capped=arr("capped", bool),
        item_per_hour=arr("per_hour", bool),
        item_scale=arr("scale", float),
        item_event=arr("event"),
        item_state_sched=np.array([it["state_sched"] for it in items], dtype=np.int64).reshape(I, n_states),
        item_sched=arr("sched"),
        item_month_lo=arr("month_lo"),
        item_month_hi=arr("month_hi"),
        sched_origin=np.array(b.sched_origin, np.int64),
        sched_break_off=np.array(b.sched_break_off, np.int64),
        sched_nbreaks=np.array(b.sched_nbreaks, np.int64),
        sched_breaks=np.array(b.sched_breaks, np.int64),
        sched_value_slots=np.array(b.sched_value_slots, np.int64),
        sched_reduction=np.array(b.sched_reduction, bool),
        discount_slot=discount_slot,
    )
