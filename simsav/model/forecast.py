"""The re-forecast (issue 14), model layer: a register observed up to its census month continues
under posterior parameter draws.

Every register participant goes on from its state at the census (time already spent in it,
spells used, success reached): ``kernel.forecast_draws`` samples the rest of its life from the
law conditional on what the register saw, with the agent's own uniforms wherever they agree with
it. The config's planned participants who have not started by the census live as in the
Monte Carlo kernel. Only months after the census are forecast: what came before is the ledger's.

Which random stream a participant uses is its slot (:func:`forecast_population`): the register's
participants take the config's cohort agents of their stream that started by the census, in
order of start, so that a register written from a simulated draw re-forecasts to that draw.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..codes import S_ON_HOLD, S_WAITING, S_WORKING
from .compile import CompiledModel
from .engine import _on_threads
from .kernel import REC_STAY, forecast_draws
from .records import Output


def census_states(agents: np.ndarray, records: np.ndarray, census: int) -> np.ndarray:
    """Return per agent [state, entered, spells, episode] at ``census`` from register-form lives
    (rows [agent, kind, code, a, b], stays cut at census + 1): the stay still open at the census
    (the agent's last stay), the month it began, the job spells begun (the open one included) and
    the episode ``_live`` is in (the stays on hold before the open stay). An agent without stays
    (not started) is waiting from its start."""
    n = len(agents)
    out = np.empty((n, 4), np.int64)
    out[:, 0] = S_WAITING
    out[:, 1] = agents[:, 1] if n else 0
    out[:, 2] = 0
    out[:, 3] = 0
    if not len(records):
        return out
    stays = records[records[:, 1] == REC_STAY]
    stays = stays[np.argsort(stays[:, 0], kind="stable")]
    if not len(stays):
        return out
    ids = stays[:, 0]
    last = np.r_[np.flatnonzero(np.diff(ids)), len(ids) - 1]
    lo = np.r_[0, last[:-1] + 1]
    work = np.cumsum(stays[:, 2] == S_WORKING)
    hold = np.cumsum(stays[:, 2] == S_ON_HOLD)
    w0 = np.where(lo > 0, work[lo - 1], 0)
    h0 = np.where(lo > 0, hold[lo - 1], 0)
    if (stays[last, 4] <= census).any():
        raise ValueError(f"lives not known up to census month {census}: a last stay ends before it")
    a = ids[last]
    out[a, 0] = stays[last, 2]
    out[a, 1] = stays[last, 3]
    out[a, 2] = work[last] - w0
    # stays on hold before the open one: the open one on hold is its own episode
    out[a, 3] = hold[last] - h0 - (stays[last, 2] == S_ON_HOLD)
    return out


class Population(NamedTuple):
    """Who a re-forecast follows: ``slots[j]``, the agent index (random stream) of register
    participant j; ``planned``, the config's agents the register does not hold, who live as
    ``simsav run`` has them (those not started by the census, and those the config plans to have
    started by then whom no participant matches: a register that lags behind); ``left_out``, the
    number of the latter; ``extra``, the participants beyond the config's slots of their stream
    (fresh indices after the config's agents)."""

    slots: np.ndarray
    planned: np.ndarray
    left_out: int
    extra: int


def forecast_population(model: CompiledModel, agents: np.ndarray, census: int) -> Population:
    """Match a register's participants (``agents`` rows [stream, start, ...]) to the config's cohort.

    Per stream, the participants sorted by start (stable) take in turn the cohort's agent indices
    of that stream with start <= census, sorted by start (stable: in agent order); participants
    beyond them get fresh indices n_agents, n_agents + 1, ... The slots nobody takes are forecast
    as planned (from their planned start, paid after the census), so that a register holding
    nothing gives ``simsav run``'s forecast; ``left_out`` counts them for a note."""
    cohort = model.kernel.cohort
    count = cohort["count"].astype(np.int64)
    idx_stream = np.repeat(cohort["stream"].astype(np.int64), count)
    idx_start = np.repeat(cohort["start"].astype(np.int64), count)
    n_agents = int(count.sum())
    agents = np.asarray(agents, dtype=np.int64).reshape(len(agents), -1) if len(agents) else np.empty((0, 3), np.int64)
    slots = np.empty(len(agents), np.int64)
    fresh = n_agents
    left_out = 0
    extra = 0
    unmatched = []
    for s in np.unique(np.r_[idx_stream, agents[:, 0]]):
        mine = np.flatnonzero(agents[:, 0] == s)
        mine = mine[np.argsort(agents[mine, 1], kind="stable")]
        avail = np.flatnonzero((idx_stream == s) & (idx_start <= census))
        avail = avail[np.argsort(idx_start[avail], kind="stable")]
        k = min(len(mine), len(avail))
        slots[mine[:k]] = avail[:k]
        rest = len(mine) - k
        slots[mine[k:]] = np.arange(fresh, fresh + rest)
        fresh += rest
        extra += rest
        left_out += len(avail) - k
        unmatched.append(avail[k:])
    planned = np.sort(np.concatenate([np.flatnonzero(idx_start > census)] + unmatched)).astype(np.int64)
    return Population(slots, planned, int(left_out), int(extra))


def run_forecast(model: CompiledModel, values: np.ndarray, keys: np.ndarray, lives, census: int,
                 known=None) -> Output:
    """Re-forecast a register's lives ``lives`` = (agents, received, records) (``lives.register_lives``'
    form, known up to ``census``) at parameter rows ``values`` with per-draw keys ``keys``: flows,
    occupancy, events and working from month census + 1 on, months <= census exactly 0 (the past is
    the ledger's). ``known``: per model item, whether the register records its receipt (None: all);
    an unrecorded partial item is drawn for each participant as the Monte Carlo kernel draws it."""
    agents, received, records = lives
    km = model.kernel
    agents = np.ascontiguousarray(np.asarray(agents, dtype=np.int64).reshape(-1, 3))
    I = km.items.shape[0]
    received = np.ascontiguousarray(np.asarray(received, dtype=np.bool_).reshape(len(agents), I))
    records = np.asarray(records, dtype=np.int64).reshape(-1, 5)
    known = np.ones(I, np.bool_) if known is None else np.ascontiguousarray(known, dtype=np.bool_)
    states = np.ascontiguousarray(census_states(agents, records, census))
    pop = forecast_population(model, agents, census)
    values = np.ascontiguousarray(np.atleast_2d(values), dtype=float)
    out = Output.zeros(values.shape[0], km)
    _on_threads(forecast_draws, values.shape[0], values, np.ascontiguousarray(keys, dtype=np.uint64), km,
                np.int64(census), agents, received, known, states, np.ascontiguousarray(pop.slots),
                np.ascontiguousarray(pop.planned), out)
    c = max(0, min(census + 1, km.horizon))
    out.flow[..., :c] = 0.0
    out.occupancy[..., :c] = 0.0
    out.events[..., :c] = 0.0
    out.working[..., :c] = 0.0
    return out.trimmed()
