"""Agents' lives between a register and the kernel: the records ``kernel.lives_of_draw`` returns
and ``kernel.pay_lives`` pays, and the register's rows.

A life is a set of rows ``[agent, kind, code, a, b]`` (``kernel.REC_STAY`` rows: a stay in state
``code`` over months [a, b); ``kernel.REC_EVENT`` rows: event ``code`` in month a), in the order
``_live`` writes them; ``agents`` holds per agent (stream, start, benefit end), ``received`` per
agent and item whether it receives the item. A register at census month c knows the lives up to
and including month c: :func:`truncate` cuts a simulated life there, :func:`register_lives`
rebuilds the same rows from a register, so that paying either gives the same euros.
"""
from __future__ import annotations

import numpy as np

from ..codes import (
    E_DROPOUT,
    E_FIRST_PLACEMENT,
    E_PLACEMENT,
    E_RELAPSE,
    E_START,
    E_SUCCESS,
    S_DROPPED,
    S_MEDIATION,
    S_ON_HOLD,
    S_WAITING,
    S_WORKING,
    SUCCESS_MONTHS,
    W_PROGRAM,
)
from ..config import Config
from ..config.register import Participant, Register, partial_items
from .compile import CompiledModel, compile_config
from .engine import draw_keys
from .kernel import REC_EVENT, REC_STAY, lives_of_draw, pay_lives
from .records import Output


def draw_row_and_key(model: CompiledModel, cfg: Config, seed: int, draw: int = 0) -> tuple[np.ndarray, np.uint64]:
    """Return draw ``draw``'s parameter row and agent key, as ``simulate(cfg, seed=seed)`` makes them."""
    row = model.table.sample(1, seed, cfg.correlations, first=draw)[0]
    key = draw_keys(seed, np.array([draw]))[0]
    return np.ascontiguousarray(row, dtype=float), key


def simulated_lives(model: CompiledModel, cfg: Config, seed: int, draw: int = 0, world: int = W_PROGRAM):
    """Return (row, agents, received, records) of draw ``draw`` of a run with ``seed``."""
    row, key = draw_row_and_key(model, cfg, seed, draw)
    agents, received, records = lives_of_draw(row, key, model.kernel, world)
    return row, agents, received, records


def truncate(records: np.ndarray, census: int) -> np.ndarray:
    """Return the rows of ``records`` known at census month ``census``: events up to it, stays
    begun by it and cut after it (a stay [a, b) becomes [a, min(b, census + 1)))."""
    keep = records[:, 3] <= census
    out = records[keep].copy()
    stay = out[:, 1] == REC_STAY
    out[stay, 4] = np.minimum(out[stay, 4], census + 1)
    return out


def pay(model: CompiledModel, row: np.ndarray, agents, received, records, world: int = W_PROGRAM,
        annual: bool = False, first: int = 0) -> Output:
    """Return what ``kernel.pay_lives`` makes of these lives in ``world`` (one row of an Output,
    the extra month trimmed): flows in the saving convention (the program world's spending is
    negative), occupancy, events, discount factors. ``annual``: with the per-year items of
    ``world`` (the other world's are left out)."""
    km = model.kernel
    if annual:
        worlds = np.zeros_like(km.item_worlds)
        worlds[:, world] = km.item_worlds[:, world]
        km = km._replace(item_worlds=worlds)
    out = Output.zeros(1, km)
    pay_lives(np.ascontiguousarray(row, dtype=float), km, np.ascontiguousarray(agents, dtype=np.int64),
              np.ascontiguousarray(received, dtype=np.bool_), np.ascontiguousarray(records, dtype=np.int64),
              world, first, out.flow[0], out.occupancy[0], out.events[0], out.working[0], out.discount[0], annual)
    return out.trimmed()


# ----------------------------------------------------------------------------- lives -> register
def register_of_lives(cfg: Config, model: CompiledModel, agents, received, records, census: int,
                      source: str = "<simulated>", ids=None) -> Register:
    """Return the register a region would keep of these program-world lives at ``census``."""
    records = truncate(records, census)
    H = model.horizon
    partial = partial_items(cfg)
    item_index = {i: k for k, i in enumerate(model.item_ids)}
    starts = agents[:, 1]
    order = np.flatnonzero(starts <= census)
    width = len(str(max(len(agents), 1)))
    rows_of = np.split(records, np.flatnonzero(np.diff(records[:, 0])) + 1) if len(records) else []
    by_agent = {int(r[0, 0]): r for r in rows_of}
    out = []
    for a in order:
        s, t0, bend = (int(x) for x in agents[a])
        events = []
        state = S_WAITING
        for _, kind, code, m, b in by_agent.get(int(a), np.empty((0, 5), np.int64)):
            if kind == REC_STAY:
                if code == S_MEDIATION:
                    events.append(("mediation", int(m)))
                elif code == S_ON_HOLD:
                    events.append(("on_hold", int(m)))
                state = code
            elif code == E_PLACEMENT:
                events.append(("placement", int(m)))
            elif code == E_RELAPSE:
                events.append(("job_end", int(m)))
            elif code == E_DROPOUT:
                events.append(("dropout", int(m)))
        pid = f"P{a + 1:0{width}d}" if ids is None else ids[a]
        out.append(Participant(
            pid, model.stream_ids[s], t0, tuple(events), None if bend >= H else bend,
            {i: bool(received[a, item_index[i]]) for i in partial}, int(state), 0))
    return Register(source, cfg.cohort.start, H, census, tuple(out), tuple(partial))


# ----------------------------------------------------------------------------- register -> lives
def register_lives(register: Register, model: CompiledModel):
    """Return (agents, received, records) of a register's participants in the program world,
    known up to its census: the rows ``pay_lives`` pays. An item whose receipt the register does
    not record is marked received (the ledger pays it at its eligible share)."""
    H, c = model.horizon, register.as_of
    streams = {s: k for k, s in enumerate(model.stream_ids)}
    item_index = {i: k for k, i in enumerate(model.item_ids)}
    n = len(register.participants)
    agents = np.empty((n, 3), np.int64)
    received = np.ones((n, len(model.item_ids)), np.bool_)
    rows: list[tuple[int, int, int, int, int]] = []
    end = c + 1  # what is known: months up to and including the census

    for a, p in enumerate(register.participants):
        agents[a] = streams[p.stream], p.start, H if p.benefit_end is None else min(p.benefit_end, H)
        for item in register.receives_items:
            received[a, item_index[item]] = p.receives[item]

        def event(code, m, a=a):
            rows.append((a, REC_EVENT, code, m, m))

        def stay(code, lo, hi, a=a):
            rows.append((a, REC_STAY, code, lo, hi))

        event(E_START, p.start)
        state, entered = S_WAITING, p.start
        spells = 0
        relapsed_at = None
        for ev, m in p.events:
            if ev == "on_hold":
                continue  # the stay on hold begins with the job end
            if ev == "dropout" and state == S_ON_HOLD and relapsed_at == m and entered == m:
                # a job end without return: the kernel writes relapse, drop-out, dropped out (no stay on hold)
                event(E_DROPOUT, m)
                state, entered = S_DROPPED, m
                continue
            stay(state, entered, m)
            if state == S_WORKING and m - entered >= SUCCESS_MONTHS:
                event(E_SUCCESS, entered + SUCCESS_MONTHS - 1)
            if ev == "mediation":
                state, entered = S_MEDIATION, m
            elif ev == "placement":
                spells += 1
                event(E_PLACEMENT, m)
                if spells == 1:
                    event(E_FIRST_PLACEMENT, m)
                state, entered = S_WORKING, m
            elif ev == "job_end":
                event(E_RELAPSE, m)
                state, entered = S_ON_HOLD, m
                relapsed_at = m
            elif ev == "dropout":
                event(E_DROPOUT, m)
                state, entered = S_DROPPED, m
        stay(state, entered, end)
        if state == S_WORKING and end - entered >= SUCCESS_MONTHS:
            event(E_SUCCESS, entered + SUCCESS_MONTHS - 1)
    return agents, received, np.array(rows, np.int64).reshape(-1, 5)


def ledger_of_register(register: Register, cfg: Config, model: CompiledModel | None = None,
                       row: np.ndarray | None = None) -> Output:
    """Return the program world's flows, occupancy and events of a register's lives up to its census,
    at parameter values ``row`` (default: the config's point values), the per-year items included.
    An item only some participants receive whose receipt the register does not record is paid
    at its eligible share of ``row``."""
    model = compile_config(cfg) if model is None else model
    row = model.table.point_row() if row is None else row
    agents, received, records = register_lives(register, model)
    out = pay(model, row, agents, received, records, W_PROGRAM, annual=True)
    for item in partial_items(cfg):
        if item in register.receives_items:
            continue
        i = model.item_ids.index(item)
        share = row[model.kernel.items[i]["eligible_slot"]]
        out.flow[0, i] *= share
    return out


def expected_of_world(model: CompiledModel, row: np.ndarray, world: int) -> Output:
    """Return the exact expectation over agents (the base case's kernel) of ``world``'s items
    alone, in the saving convention (the program world's spending negative): the base case's
    flows are the sum of its two worlds'."""
    from .engine import run_expected

    km = model.kernel
    other = 1 - world
    worlds = km.item_worlds.copy()
    worlds[:, other] = False
    monthly = km.monthly_items.copy()
    monthly[other] = -1
    events = km.event_items.copy()
    events[other] = -1
    return run_expected(model_with(model, km._replace(item_worlds=worlds, monthly_items=monthly,
                                                      event_items=events)), np.atleast_2d(row))


def model_with(model: CompiledModel, kernel) -> CompiledModel:
    """Return ``model`` with another kernel record."""
    import dataclasses

    return dataclasses.replace(model, kernel=kernel)
