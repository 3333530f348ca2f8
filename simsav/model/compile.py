"""Compile a Config into the named records of arrays the kernels understand.

Nothing here knows numba; nothing in the kernel knows TOML. Every number becomes a
parameter slot (see :mod:`simsav.model.parameters`), named by its config path; items,
streams, laws of event times and schedules become integer arrays that point into those
slots (:mod:`simsav.model.records`), with the codes of :mod:`simsav.codes`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..codes import (
    BASIS, BASIS_ANNUAL, BASIS_EVENT, BASIS_MONTHLY, BENEFIT_LAWS, CLOCK_CALENDAR, CLOCKS, DROP, EVENTS, HOLD,
    LAW_FIXED, LAW_GEOMETRIC, LAW_NEVER, LAW_SPELL_PMF, LAW_SPELL_RETENTION, LAW_UNIFORM, N_EVENTS, N_STATES,
    N_TIMES, NO_SCHEDULE, NOT_IN_STATE, PLACE, SPELL, STATES, WAIT, WORLDS,
)
from ..config import Config, Outcomes, Schedule
from .parameters import ParameterTable
from .records import BENEFIT, COHORT, ITEM, LAW, SCHEDULE, KernelModel

EVENT_INDEX = {e: i for i, e in enumerate(EVENTS)}
STATE_INDEX = {s: i for i, s in enumerate(STATES)}
BENEFIT_LAW_CODES = dict(zip(BENEFIT_LAWS, (LAW_FIXED, LAW_UNIFORM, LAW_GEOMETRIC)))

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
"""What an outcome is when neither the world nor its stream sets it (docs/config.md)."""


@dataclass(frozen=True)
class CompiledModel:
    """The kernel's records, the parameter table, and the names that label the results."""

    table: ParameterTable
    kernel: KernelModel
    party_ids: list[str]
    party_names: list[str]
    stream_ids: list[str]
    item_ids: list[str]
    item_labels: list[str]
    item_kinds: list[str]
    item_party: np.ndarray  # item -> party index
    item_in_table: np.ndarray
    calendar_start: str

    @property
    def horizon(self) -> int:
        return self.kernel.horizon

    @property
    def n_agents(self) -> int:
        return int(self.kernel.cohort["count"].sum())

    def stream_counts(self) -> dict[str, int]:
        """Return the number of participants per stream."""
        counts = np.zeros(len(self.stream_ids), np.int64)
        np.add.at(counts, self.kernel.cohort["stream"], self.kernel.cohort["count"])
        return dict(zip(self.stream_ids, counts.tolist()))


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
        self.sched_origin.append(CLOCKS.index(sched.by))
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
    """Return the kernel's records and the result labels of a validated Config."""
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
    law_code = np.zeros((W, S, N_TIMES), np.int64)
    law_slot = np.zeros((W, S, N_TIMES), np.int64)
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
            benefit_law_code[k] = BENEFIT_LAW_CODES[s.benefit_months_law]

    # ------------------------------------------------------------ items (benefits first)
    items = []  # (id, label, kind, in_table, dict of compiled fields)
    n_states = len(STATES)

    def new_item(item_id, label, kind, in_table, party, basis, amount_slot, qty_slot=None, elig_slot=None,
                 org_slot=None, streams_mask=None, worlds=("program",), capped=False, per_hour=False, scale=1.0, event=-1,
                 state_sched=None, sched=NO_SCHEDULE, month_lo=0, month_hi=H):
        items.append(dict(
            id=item_id, label=label, kind=kind, in_table=in_table, party=pid[party], basis=BASIS.index(basis),
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
    item_records = np.zeros(I, ITEM)
    for field, key in (("basis", "basis"), ("amount_slot", "amount"), ("quantity_slot", "qty"),
                       ("eligible_slot", "elig"), ("organisations_slot", "org"), ("capped", "capped"),
                       ("per_hour", "per_hour"), ("scale", "scale"), ("event", "event"), ("schedule", "sched"),
                       ("month_lo", "month_lo"), ("month_hi", "month_hi")):
        item_records[field] = [it[key] for it in items]
    item_state_schedule = np.array([it["state_sched"] for it in items], dtype=np.int64).reshape(I, n_states)
    item_streams = np.array([it["streams"] for it in items], dtype=bool).reshape(I, S)
    item_worlds = np.array([it["worlds"] for it in items], dtype=bool).reshape(I, W)
    schedules = np.zeros(len(b.sched_origin), SCHEDULE)
    schedules["clock"] = b.sched_origin
    schedules["break_offset"] = b.sched_break_off
    schedules["n_breaks"] = b.sched_nbreaks
    schedules["reduction"] = b.sched_reduction
    cohort = np.zeros(len(row_stream), COHORT)
    cohort["stream"], cohort["start"], cohort["count"] = row_stream, row_start, row_count
    laws = np.zeros((W, S), LAW)
    laws["p_place_slot"], laws["p_return_slot"] = p_place, p_return
    laws["max_spells"], laws["hours_slot"] = max_spells, hours
    benefits = np.zeros(S, BENEFIT)
    benefits["code"], benefits["slot"] = benefit_law_code, benefit_law_slot
    monthly_items, event_items = item_lists(item_records, item_streams, item_worlds, item_state_schedule)
    kernel = KernelModel(
        horizon=H,
        discount_slot=discount_slot,
        shift_invariant=shift_invariant(item_records, item_state_schedule, schedules),
        cohort=cohort,
        laws=laws,
        law_code=law_code,
        law_slot=law_slot,
        benefits=benefits,
        pmf=np.array(b.pmf_tables, dtype=float).reshape(len(b.pmf_tables), H + 2),
        items=item_records,
        item_streams=item_streams,
        item_worlds=item_worlds,
        item_state_schedule=item_state_schedule,
        schedules=schedules,
        schedule_breaks=np.array(b.sched_breaks, np.int64),
        schedule_value_slots=np.array(b.sched_value_slots, np.int64),
        monthly_items=monthly_items,
        event_items=event_items,
    )
    return CompiledModel(
        table=table,
        kernel=kernel,
        party_ids=[p.id for p in cfg.parties],
        party_names=[p.name for p in cfg.parties],
        stream_ids=[s.id for s in streams],
        item_ids=[it["id"] for it in items],
        item_labels=[it["label"] for it in items],
        item_kinds=[it["kind"] for it in items],
        item_party=arr("party"),
        item_in_table=arr("in_table", bool),
        calendar_start=cfg.cohort.start,
    )


def item_lists(items, item_streams, item_worlds, item_state_schedule) -> tuple[np.ndarray, np.ndarray]:
    """Return, per world x stream x state (and x event), the monthly (one-off) items paid there,
    in item order, the rest of each row -1."""
    I, S = item_streams.shape
    W = item_worlds.shape[1]
    monthly = np.full((W, S, N_STATES, I + 1), -1, np.int64)
    event = np.full((W, S, N_EVENTS, I + 1), -1, np.int64)
    for w in range(W):
        for s in range(S):
            applies = item_worlds[:, w] & item_streams[:, s]
            for st in range(N_STATES):
                ids = np.flatnonzero(applies & (items["basis"] == BASIS_MONTHLY)
                                     & (item_state_schedule[:, st] != NOT_IN_STATE))
                monthly[w, s, st, :len(ids)] = ids
            for e in range(N_EVENTS):
                ids = np.flatnonzero(applies & (items["basis"] == BASIS_EVENT) & (items["event"] == e))
                event[w, s, e, :len(ids)] = ids
    return monthly, event


def shift_invariant(items, item_state_schedule, schedules) -> bool:
    """Return True when no agent-linked item depends on the calendar, so later starts are shifted copies."""
    agent_items = items["basis"] != BASIS_ANNUAL
    used = np.concatenate([item_state_schedule[agent_items].ravel(), items["schedule"][agent_items]])
    used = used[used >= 0]
    return bool(not np.any(schedules["clock"][used] == CLOCK_CALENDAR)) if used.size else True
