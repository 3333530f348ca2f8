"""Two yardsticks for the Monte Carlo kernel (issue 6), measured in the same run as the kernel.

* ``numpy_monthly``: what an analyst would write without simsav: a NumPy monthly-step
  simulation of the same model, vectorised over agents, one draw and world at a time, a coin
  flip per agent and month against the monthly hazard P(T = d) / P(T >= d) of the same laws.
  It agrees with the kernel in distribution (tests/test_benchmarks.py), not draw by draw: it
  uses numpy's generator and flips coins month by month, where the kernel samples event times
  by inverse CDF on counter-based uniforms shared by both worlds.
* ``rng_only``: a numba loop over draws (spread over threads as ``simsav.model.engine`` spreads
  the kernel: thread k takes draws k, k + T, ..., the GIL released) that derives every
  agent's stream key and draws as many uniforms as the kernel does, with the kernel's own
  generator (``simsav.model.kernel.stream_key`` / ``uniform``), and just sums them: the hardware
  limit of this design. ``count_variates`` gives the number to draw: an instrumented replay of
  the kernel's counters (not an estimate from event counts), exact for the workload's draws.

Import this module as the top-level ``yardsticks`` (``benchmarks/`` on sys.path), as asv, the
tests and ``python -m benchmarks`` do: numba's cache of its kernels records the module's name,
and one compiled as ``yardsticks`` does not load as ``benchmarks.yardsticks``.

Nothing here is part of simsav; ``simsav.model.kernel``'s numba helpers (``build_cdfs``,
``item_rates``, ``sched_at``) are called from Python to read the same laws, rates and schedules,
off the compiled model's records (``model.kernel``: ``simsav.model.records.KernelModel``).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from simsav.codes import (
    BASIS_ANNUAL, BASIS_EVENT, BASIS_MONTHLY, CLOCK_IN_STATE, CLOCK_SINCE_START, DROP, E_DROPOUT, E_PLACEMENT,
    E_RELAPSE, E_START, E_SUCCESS, HOLD, N_EVENTS, N_STATES, N_WORLDS, NO_SCHEDULE, NOT_IN_STATE, PLACE, S_DROPPED,
    S_MEDIATION, S_ON_HOLD, S_WAITING, S_WORKING, SPELL, SUCCESS_MONTHS, WAIT,
)
from simsav.model.engine import threads
from simsav.model.kernel import (
    REC_EVENT, REC_STAY, _live, build_cdfs, build_guides, item_rates, sched_at, stream_key, uniform,
)
from simsav.model.records import Output

WORLDS_N = N_WORLDS
NOT_STARTED = -1
# which law ends a stay in each state (mediation: PLACE or DROP, decided when it starts)
_LAW_OF_STATE = np.array([WAIT, PLACE, SPELL, HOLD, -1])


# ============================================================================ NumPy monthly steps
def monthly_hazards(cdf: np.ndarray) -> np.ndarray:
    """Return P(T = d | T >= d) for tables of P(T <= d) along the last axis (1 where T >= d is impossible)."""
    before = np.concatenate([np.zeros(cdf.shape[:-1] + (1,)), cdf[..., :-1]], axis=-1)
    left = 1.0 - before
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(left > 0.0, (cdf - before) / left, 1.0)
    return np.clip(h, 0.0, 1.0)


def _schedule_tables(k, row: np.ndarray) -> np.ndarray:
    """Return schedule j's multiplier at clock c = 0..H as table[j, c] (``k``: the KernelModel)."""
    H = k.horizon
    J = k.schedules.shape[0]
    table = np.ones((J, H + 1))
    for j in range(J):
        for c in range(H + 1):
            table[j, c] = sched_at(j, c, row, k.schedules, k.schedule_breaks, k.schedule_value_slots)[0]
    return table


def _clock(clock: int, m: int, months_in_state, t0):
    """Return the clock a schedule reads at month m: months in state, since start, or the month itself."""
    if clock == CLOCK_IN_STATE:
        return months_in_state
    if clock == CLOCK_SINCE_START:
        return m - t0
    return m


class _Draw:
    """One draw's tables: laws as monthly hazards, item rates, schedules, eligibility, benefit ends."""

    def __init__(self, model, row, rng, stream, t0):
        k = model.kernel
        H = k.horizon
        S = len(model.stream_ids)
        self.model, self.k, self.row, self.H = model, k, row, H
        cdf, bcdf = build_cdfs(row, k.law_code, k.law_slot, k.benefits, k.pmf, H)
        self.hazard = monthly_hazards(cdf)  # world x stream x law x months in state
        self.rate = item_rates(row, k.items, k.laws)  # item x world x stream
        self.sched = _schedule_tables(k, row)
        n = stream.shape[0]
        # the same agents are eligible for an item in both worlds
        eligible = np.ones((k.items.shape[0], n), dtype=bool)
        for i, share in enumerate(row[k.items["eligible_slot"]]):
            if share < 1.0:
                eligible[i] = rng.random(n) < share
        self.eligible = eligible
        # an agent's remaining benefit duration is a fact about the agent: the same in both worlds
        benefit_end = t0.copy()
        for s in range(S):
            mine = stream == s
            benefit_end[mine] += np.searchsorted(bcdf[s], rng.random(int(mine.sum())), side="right")
        self.benefit_end = benefit_end


def _pay_events(flow, events, d: _Draw, w, sign, pay, event, who, m, stream, t0, event_items):
    """Count ``event`` for agents ``who`` at month m and add the one-off items it triggers."""
    if who.size == 0:
        return
    k = d.k
    events[w, :, event, m] += np.bincount(stream[who], minlength=events.shape[1])
    for i in event_items[event]:
        v = pay[i, who]
        if k.items["capped"][i]:
            v = v * (d.benefit_end[who] > m)
        isj = k.items["schedule"][i]
        if isj != NO_SCHEDULE:
            v = v * d.sched[isj, _clock(k.schedules["clock"][isj], m, 0, t0[who])]
        flow[i, m] += v.sum()


def _simulate_world(flow, occ, events, working, d: _Draw, w, rng, stream, t0):
    """Add one world's lives of every agent, month by month, to flow, occupancy, events and working."""
    k, row, H = d.k, d.row, d.H
    n = stream.shape[0]
    S = working.shape[1]
    I = k.items.shape[0]
    basis, item_event, capped = k.items["basis"], k.items["event"], k.items["capped"]
    item_sched, clock, state_sched = k.items["schedule"], k.schedules["clock"], k.item_state_schedule
    sign = -1.0 if w == 0 else 1.0
    p_place = row[k.laws["p_place_slot"][w]][stream]
    p_return = row[k.laws["p_return_slot"][w]][stream]
    max_spells = k.laws["max_spells"][w][stream]
    hazard = d.hazard[w]
    applies = k.item_worlds[:, w][:, None] & k.item_streams[:, stream]
    pay = sign * d.rate[:, w, stream] * (applies & d.eligible)  # item x agent, euros per month or event
    monthly = [i for i in range(I) if basis[i] == BASIS_MONTHLY and k.item_worlds[i, w]]
    event_items = [[i for i in range(I) if basis[i] == BASIS_EVENT and item_event[i] == e
                    and k.item_worlds[i, w]] for e in range(N_EVENTS)]
    starts = [np.flatnonzero(t0 == m) for m in range(H)]

    state = np.full(n, NOT_STARTED)
    months_in_state = np.zeros(n, dtype=np.int64)
    to_job = np.zeros(n, dtype=bool)  # this mediation episode ends in a job (else in drop-out)
    spells = np.zeros(n, dtype=np.int64)

    def enter(who, new_state):
        state[who] = new_state
        months_in_state[who] = 0

    def start_mediation(who):
        enter(who, S_MEDIATION)
        to_job[who] = rng.random(who.size) < p_place[who]

    for m in range(H):
        new = starts[m]
        enter(new, S_WAITING)
        _pay_events(flow, events, d, w, sign, pay, E_START, new, m, stream, t0, event_items)
        # Each agent in a state that can end gets one coin flip against the hazard of its
        # months in that state; who moves on enters the next state this same month and flips
        # again there (stays of 0 months take no month), until everyone stays somewhere.
        check = np.flatnonzero((state >= S_WAITING) & (state < S_DROPPED))
        while check.size:
            st = state[check]
            law = _LAW_OF_STATE[st]
            law[(st == S_MEDIATION) & ~to_job[check]] = DROP
            leave = rng.random(check.size) < hazard[stream[check], law, months_in_state[check]]
            moved, st = check[leave], st[leave]
            to_mediation = moved[(st == S_WAITING) | (st == S_ON_HOLD)]
            placed = moved[(st == S_MEDIATION) & to_job[moved]]
            gave_up = moved[(st == S_MEDIATION) & ~to_job[moved]]
            relapsed = moved[st == S_WORKING]
            start_mediation(to_mediation)
            spells[placed] += 1
            enter(placed, S_WORKING)
            _pay_events(flow, events, d, w, sign, pay, E_PLACEMENT, placed, m, stream, t0, event_items)
            _pay_events(flow, events, d, w, sign, pay, E_RELAPSE, relapsed, m, stream, t0, event_items)
            last = spells[relapsed] >= max_spells[relapsed]
            back = np.zeros(relapsed.size, dtype=bool)
            back[~last] = rng.random(int((~last).sum())) < p_return[relapsed[~last]]
            enter(relapsed[back], S_ON_HOLD)
            dropped = np.concatenate([gave_up, relapsed[~back]])
            enter(dropped, S_DROPPED)
            _pay_events(flow, events, d, w, sign, pay, E_DROPOUT, dropped, m, stream, t0, event_items)
            check = np.concatenate([to_mediation, placed, relapsed[back]])
        # a spell that reaches its 12th month is a success, counted in that month
        success = np.flatnonzero((state == S_WORKING) & (months_in_state == SUCCESS_MONTHS - 1))
        _pay_events(flow, events, d, w, sign, pay, E_SUCCESS, success, m, stream, t0, event_items)

        members = [np.flatnonzero(state == st) for st in range(N_STATES)]
        for st in range(N_STATES):
            occ[w, st, m] = members[st].size
        working[w, :, m] = np.bincount(stream[members[S_WORKING]], minlength=S)
        for i in monthly:
            isj = item_sched[i]
            total = 0.0
            for st in range(N_STATES):
                ssj = state_sched[i, st]
                who = members[st]
                if ssj == NOT_IN_STATE or who.size == 0:
                    continue
                v = pay[i, who]
                if ssj != NO_SCHEDULE:
                    v = v * d.sched[ssj, _clock(clock[ssj], m, months_in_state[who], t0[who])]
                if isj != NO_SCHEDULE:
                    v = v * d.sched[isj, _clock(clock[isj], m, months_in_state[who], t0[who])]
                if capped[i]:
                    v = v * (d.benefit_end[who] > m)
                total += v.sum()
            flow[i, m] += total
        months_in_state[state >= S_WAITING] += 1


def _annual(flow, d: _Draw):
    """Add the per-year items (not tied to agents), spread evenly over their months."""
    k = d.k
    items = k.items
    for i in np.flatnonzero(items["basis"] == BASIS_ANNUAL):
        isj = items["schedule"][i]
        for w in range(WORLDS_N):
            if not k.item_worlds[i, w]:
                continue
            sign = -1.0 if w == 0 else 1.0
            for m in range(items["month_lo"][i], items["month_hi"][i]):
                v = sign * d.rate[i, w, 0] / 12.0
                if isj != NO_SCHEDULE:
                    # no agent: a months-in-state clock stays at 0, the others read the month itself
                    v *= d.sched[isj, _clock(k.schedules["clock"][isj], m, 0, 0)]
                flow[i, m] += v


def numpy_monthly(model, values: np.ndarray, seed: int) -> Output:
    """Return the ``simsav.model.records.Output`` (flow saving, occupancy, events and working per
    month, discount factors) of a NumPy monthly-step simulation.

    Same model, same laws (``build_cdfs``), rates (``item_rates``) and schedules as the kernel,
    but the analyst's way: per draw and world, arrays over agents of state and months in state;
    each month a coin flip per agent against the hazard P(T = d) / P(T >= d); 0-month stays
    cascade within the month. Eligibility and remaining benefit duration are per agent and
    shared by both worlds (as in the kernel); the worlds' coin flips are independent (the
    kernel's common random numbers are not reproduced), so the net's cohort noise is larger but
    its distribution per world is the same. Draw i's generator is SeedSequence(seed, spawn_key=(i,)).
    """
    km = model.kernel
    H = km.horizon
    values = np.atleast_2d(np.asarray(values, dtype=float))
    D = values.shape[0]
    S = len(model.stream_ids)
    stream = np.repeat(km.cohort["stream"], km.cohort["count"])
    t0 = np.repeat(km.cohort["start"], km.cohort["count"])
    flow = np.zeros((D, km.items.shape[0], H))
    occ = np.zeros((D, WORLDS_N, N_STATES, H))
    events = np.zeros((D, WORLDS_N, S, N_EVENTS, H))
    working = np.zeros((D, WORLDS_N, S, H))
    discount = (1.0 + values[:, km.discount_slot][:, None]) ** (-np.arange(H) / 12.0)
    for k in range(D):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(k,)))
        draw = _Draw(model, values[k], rng, stream, t0)
        _annual(flow[k], draw)
        for w in range(WORLDS_N):
            _simulate_world(flow[k], occ[k], events[k], working[k], draw, w, rng, stream, t0)
        flow[k] *= discount[k]
    return Output(flow, occ, events, working, discount)


# ============================================================================ RNG-only loop
# Not cached: these call the kernel's helpers (``_live`` is inlined), and numba's cache of this
# file would not notice a change to simsav/model/kernel.py, so it would replay a stale kernel.
_OPTS = dict(cache=False, nogil=True)


def _on_threads(fn, rows: int, *args) -> None:
    """Run ``fn(*args, first, step)`` on ``simsav.model.engine.threads()`` threads, thread k taking
    rows k, k + T, ...: how the engine runs the kernel (the numba functions release the GIL)."""
    n = min(threads(), rows)
    if n <= 1:
        fn(*args, 0, 1)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(n) as pool:
        for f in [pool.submit(fn, *args, k, n) for k in range(n)]:
            f.result()


@njit(**_OPTS)
def _rng_only(draw_keys, n_agents, per_agent, out, first, step):
    for d in range(first, draw_keys.shape[0], step):
        acc = 0.0
        for a in range(n_agents):
            key = stream_key(draw_keys[d], a)
            # floor((a + 1) v) - floor(a v): whole numbers of variates adding up to n_agents x v
            n = np.int64(np.floor((a + 1) * per_agent)) - np.int64(np.floor(a * per_agent))
            for c in range(n):
                acc += uniform(key, c + 1)
        out[d] = acc


def rng_only(model, keys: np.ndarray, n_variates_per_agent: float) -> float:
    """Return the sum of ``n_variates_per_agent`` uniforms per agent and draw, drawn as the kernel draws them.

    Per draw (on the engine's threads, draws k, k + T, ... on thread k, like ``simulate_draws``)
    and agent: the agent's stream key from the draw key, then its share of the variates (a
    fractional mean is spread so each draw gets floor(n_agents x v)). The sum keeps the
    compiler from dropping the work.
    """
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    out = np.zeros(keys.shape[0])
    _on_threads(_rng_only, keys.shape[0], keys, model.n_agents, float(n_variates_per_agent), out)
    return float(out.sum())


@njit(**_OPTS)
def _uniforms_of_life(rec, n, max_spells):
    """Return how many uniforms ``simsav.model.kernel._live`` drew for the life it recorded in ``rec[:n]``.

    One for the waiting time; per mediation episode two (placed or not, then its months); per
    placement one (the spell's length); per relapse one more (back or not) while spells are
    left; per stay on hold one (its months).
    """
    count = 1
    placements = 0
    for q in range(n):
        kind, code = rec[q, 0], rec[q, 1]
        if kind == REC_STAY and code == S_MEDIATION:
            count += 2
        elif kind == REC_STAY and code == S_ON_HOLD:
            count += 1
        elif kind == REC_EVENT and code == E_PLACEMENT:
            placements += 1
            count += 1
        elif kind == REC_EVENT and code == E_RELAPSE and placements < max_spells:
            count += 1
    return count


@njit(**_OPTS)
def _replay_counters(values, draw_keys, H, cohort, laws, law_code, law_slot, benefits, pmf, eligible_slot,
                     n_uniforms, events, first, step):
    W = law_code.shape[0]
    for d in range(first, values.shape[0], step):
        row = values[d]
        cdf, bcdf = build_cdfs(row, law_code, law_slot, benefits, pmf, H)
        guide, _ = build_guides(cdf, bcdf)
        n_partial = 0
        for i in range(eligible_slot.shape[0]):
            if row[eligible_slot[i]] < 1.0:
                n_partial += 1
        rec = np.empty((8 * (H + 2), 4), np.int64)
        count = 0
        agent = 0
        for r in range(cohort.shape[0]):
            s = cohort[r].stream
            t0 = cohort[r].start
            for _ in range(cohort[r].count):
                key = stream_key(draw_keys[d], agent)
                agent += 1
                count += n_partial + 1  # eligibility per partial item, remaining benefit duration
                for w in range(W):
                    law = laws[w, s]
                    n = _live(rec, key, w, s, t0, H, cdf, guide, row[law.p_place_slot], row[law.p_return_slot],
                              law.max_spells)
                    count += _uniforms_of_life(rec, n, law.max_spells)
                    for q in range(n):
                        if rec[q, 0] == REC_EVENT:
                            events[d, w, s, rec[q, 1], rec[q, 2]] += 1
        n_uniforms[d] = count


def count_variates(model, values: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (uniforms drawn per draw, events[draw, world, stream, event, month]) of the kernel's random path.

    The kernel's own lives (``simsav.model.kernel._live``, same keys, uniforms and look-ups),
    without the items; every ``uniform(key, counter)`` call the kernel makes is counted:
    eligibility per item with eligible_share < 1, the benefit duration, and per world what
    ``_uniforms_of_life`` reads off the life's record. Its event counts equal the kernel's
    exactly, month by month (tested).
    """
    k = model.kernel
    H = k.horizon
    values = np.ascontiguousarray(np.atleast_2d(values), dtype=float)
    n_uniforms = np.zeros(values.shape[0], dtype=np.int64)
    # one month more than the horizon, as the kernel's output (every event falls before H)
    events = np.zeros((values.shape[0], WORLDS_N, len(model.stream_ids), N_EVENTS, H + 1))
    _on_threads(_replay_counters, values.shape[0], values, np.ascontiguousarray(keys, dtype=np.uint64), H, k.cohort,
                k.laws, k.law_code, k.law_slot, k.benefits, k.pmf,
                np.ascontiguousarray(k.items["eligible_slot"]), n_uniforms, events)
    return n_uniforms, events[..., :H]


def variates_per_agent(model, values: np.ndarray, keys: np.ndarray) -> float:
    """Return the kernel's mean number of uniforms per agent-draw on (values, keys), from ``count_variates``."""
    n_uniforms, _ = count_variates(model, values, keys)
    return float(n_uniforms.sum()) / (model.n_agents * np.atleast_2d(values).shape[0])
