"""numba kernels: agents' lives -> item x month flows, state occupancy and events per month.

Two kernels share the laws, the schedules and the item payment, so they cannot disagree
about the model:

* ``simulate_draws``: Monte Carlo. Per draw, every agent's event times (waiting, time to
  placement or drop-out, job-spell length, months on hold, benefit duration) are sampled
  from tables of P(T <= k); each agent lives in both worlds on the *same* uniforms
  (common random numbers). Random numbers come from a counter-based generator keyed on
  (draw, agent, counter), so a draw's result does not depend on threads or chunks. A life
  is sampled into a record of stays and events (``_live``), which the same function then
  pays for, item by item; inverse-CDF look-ups start from guide tables.
* ``expected_draws``: the exact expectation over agents of the same process (base case):
  entries into each state are propagated through the same tables as renewal sums.

What an item pays in a month is written once (``_item_rate``, ``_scheduled``): the Monte
Carlo kernel pays it for runs of months a sampled agent spends in a state, the
expected-value kernel for the probability mass in that state each month.

Both take a (rows x slots) matrix of parameter values and the compiled model as named
records (:mod:`simsav.model.records`: ``KernelModel`` with ``cohort``, ``laws``, ``items``,
``schedules`` and the per-state item lists), and write per row, into an ``Output`` record,
``flow[item, month]`` (saving = counterfactual minus program, discounted),
``occupancy[world, state, month]``, ``events[world, stream, event, month]``,
``working[world, stream, month]`` (participants at work) and ``discount[month]``.
This module knows nothing of configs, names or xarray.

The codes (states, events, laws, clocks) come from ``simsav.codes``; numba freezes them
into the compiled code it caches beside this file, so a change there needs a change here.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..codes import (
    BASIS_ANNUAL, CLOCK_IN_STATE, CLOCK_SINCE_START, DROP, E_DROPOUT, E_FIRST_PLACEMENT, E_PLACEMENT, E_RELAPSE, E_START, E_SUCCESS,
    HOLD, HOURS_PER_MONTH_PER_WEEKLY_HOUR, LAW_FIXED, LAW_GEOMETRIC, LAW_NEVER, LAW_SPELL_PMF, LAW_SPELL_RETENTION,
    LAW_UNIFORM, LAW_ZERO, N_EVENTS, N_STATES, N_TIMES, NO_SCHEDULE, PLACE, S_DROPPED, S_MEDIATION, S_ON_HOLD,
    S_WAITING, S_WORKING, SPELL, SUCCESS_MONTHS, WAIT,
)

_OPTS = dict(cache=True, nogil=True, fastmath=False, error_model="numpy")
# The Monte Carlo loop's helpers are inlined into it by numba: a call passes every array as
# a dozen scalars and counts references on each, which cost more than the work itself.
_INLINE = dict(_OPTS, inline="always")
# Helpers only ever called from the kernels get no wrapper for calls from Python: unboxing the
# model's records from Python objects is most of what compiling such a wrapper costs.
_INNER = dict(_OPTS, no_cpython_wrapper=True)


@njit(**_INLINE)
def _I(code):
    """Return an int constant as a plain int64: numba compiles a function once per distinct literal
    int argument, so a helper called with each state's code would be compiled five times."""
    return np.int64(code)


# ----------------------------------------------------------------------------- random numbers
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53

# Counters of an agent's uniforms: the benefit duration, waiting, then per episode a block of
# C_PER_EPISODE (placed?, time to placement or drop-out, spell length, back?, time on hold),
# and one per item for eligibility.
C_BENEFIT, C_WAIT, C_EPISODE, C_PER_EPISODE, C_ELIGIBLE = 1, 2, 16, 8, 4096


@njit(**_OPTS)
def mix64(z):
    """splitmix64's finaliser: a bijective, well-mixing hash of a uint64."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(**_OPTS)
def stream_key(parent, index):
    """Key of child ``index`` of a stream (a draw of the run, an agent of a draw)."""
    return mix64(parent + mix64(np.uint64(index) + np.uint64(1)) * _GOLDEN)


@njit(**_OPTS)
def stream_keys(parent, first, n):
    """Return the keys of children ``first .. first + n - 1`` of a stream (the draws of a run)."""
    out = np.empty(n, np.uint64)
    for k in range(n):
        out[k] = stream_key(parent, np.uint64(first) + np.uint64(k))  # uint64 + int64 would be a float
    return out


@njit(**_OPTS)
def uniform(key, counter):
    """The ``counter``-th uniform in (0, 1) of a stream: the same whenever it is asked for."""
    z = mix64(key + np.uint64(counter) * _GOLDEN)
    return (np.float64(z >> _S11) + 0.5) * _TO_UNIT


# ----------------------------------------------------------------------------- laws of event times
@njit(**_OPTS)
def fill_cdf(out, code, value, H, pmf_tables):
    """Write P(T <= k), k = 0..H, for one law; P(T > H) means 'not within the horizon'."""
    if code == LAW_ZERO:
        out[:] = 1.0
    elif code == LAW_NEVER or (code != LAW_SPELL_PMF and not np.isfinite(value)):
        out[:] = 0.0
    elif code == LAW_FIXED:
        # A fractional mean mixes the two nearest whole months, so the mean is exact.
        lo = np.floor(value)
        frac = value - lo
        for k in range(H + 1):
            if k < lo:
                out[k] = 0.0
            elif k == lo:
                out[k] = 1.0 - frac
            else:
                out[k] = 1.0
    elif code == LAW_GEOMETRIC:
        # T in {0, 1, ...} with a constant monthly chance h of ending: mean (1 - h) / h.
        h = 1.0 / (1.0 + value)
        surv = 1.0
        for k in range(H + 1):
            surv *= 1.0 - h
            out[k] = 1.0 - surv
    elif code == LAW_UNIFORM:
        # Continuous D ~ U(0, value) months, paid in month k while k < D: P(ceil(D) <= k) = k / value.
        for k in range(H + 1):
            out[k] = min(1.0, k / value) if value > 0 else 1.0
    elif code == LAW_SPELL_RETENTION:
        # Spell length L >= 1 with a constant monthly relapse hazard r, (1 - r)^11 = q.
        r = 1.0 - value ** (1.0 / (SUCCESS_MONTHS - 1)) if value > 0 else 1.0
        out[0] = 0.0
        surv = 1.0
        for k in range(1, H + 1):
            surv *= 1.0 - r
            out[k] = 1.0 - surv
    elif code == LAW_SPELL_PMF:
        idx = int(value)
        acc = 0.0
        for k in range(H + 1):
            acc += pmf_tables[idx, k]
            out[k] = min(acc, 1.0)


@njit(**_OPTS)
def build_cdfs(row, law_code, law_slot, benefits, pmf, H):
    """Return the per-world/stream/time and per-stream benefit tables of P(T <= k) for one row."""
    W, S = law_code.shape[0], law_code.shape[1]
    cdf = np.empty((W, S, N_TIMES, H + 1))
    for w in range(W):
        for s in range(S):
            for law in range(N_TIMES):
                code = law_code[w, s, law]
                value = float(law_slot[w, s, law]) if code == LAW_SPELL_PMF else row[law_slot[w, s, law]]
                fill_cdf(cdf[w, s, law], code, value, H, pmf)
    bcdf = np.empty((S, H + 1))
    for s in range(S):
        fill_cdf(bcdf[s], benefits[s].code, row[benefits[s].slot], H, pmf)
    return cdf, bcdf


@njit(**_OPTS)
def sample_months(cdf, u):
    """Return the smallest k with u < P(T <= k) (inverse CDF); H + 1 when beyond the table."""
    n = cdf.shape[0]
    if u >= cdf[n - 1]:
        return n
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi) >> 1
        if u < cdf[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(**_OPTS)
def _fill_guide(guide, cdf):
    """Write guide[j] = the smallest k with cdf[k] > j / G (len(cdf) when none), G = len(guide)."""
    n = cdf.shape[0]
    G = guide.shape[0]
    k = 0
    for j in range(G):
        threshold = j / G
        while k < n and cdf[k] <= threshold:
            k += 1
        guide[j] = k


@njit(**_OPTS)
def build_guides(cdf, bcdf, buckets_per_month=1):
    """Return guide tables (Chen and Asau's indexed search) for every table of ``build_cdfs``;
    the benefit tables' guide is shaped (1, S, 1, G), like ``bcdf.reshape(1, S, 1, -1)``.

    G = ``buckets_per_month`` x (H + 1). More buckets cost more to build per draw and make a
    look-up's first comparison final more often; the month found is the same for any G.
    """
    W, S, L, n = cdf.shape
    G = buckets_per_month * n
    guide = np.empty((W, S, L, G), np.int64)
    for w in range(W):
        for s in range(S):
            for law in range(L):
                _fill_guide(guide[w, s, law], cdf[w, s, law])
    bguide = np.empty((1, S, 1, G), np.int64)
    for s in range(S):
        _fill_guide(bguide[0, s, 0], bcdf[s])
    return guide, bguide


@njit(**_OPTS)
def sample_guided(cdf, guide, w, s, law, u):
    """Return what ``sample_months(cdf[w, s, law], u)`` returns, starting from the guide table's bucket of u.

    The guide only says where to start: the walk down and up ends at the one k with
    cdf[k - 1] <= u < cdf[k] whatever the rounding of u * G, so both give the same month;
    this way costs one or two comparisons instead of a binary search's unpredictable branches.
    The table is indexed in place (no slice): a view would count references in the hot loop.
    """
    n = cdf.shape[3]
    G = guide.shape[3]
    j = int(u * G)
    if j >= G:
        j = G - 1
    k = guide[w, s, law, j]
    while k > 0 and u < cdf[w, s, law, k - 1]:
        k -= 1
    while k < n and u >= cdf[w, s, law, k]:
        k += 1
    return k


# ----------------------------------------------------------------------------- schedules and item payment
@njit(**_OPTS)
def sched_at(j, clock, row, schedules, breaks, value_slots):
    """Return (multiplier of schedule j at ``clock``, clock units until it next changes)."""
    off = schedules[j].break_offset
    nb = schedules[j].n_breaks
    k = 0
    while k < nb and clock >= breaks[off + k]:
        k += 1
    # schedule j has nb + 1 values, so its values start j places after its breaks
    v = row[value_slots[off + j + k]]
    if schedules[j].reduction:
        v = 1.0 - v
    if k < nb:
        return v, breaks[off + k] - clock
    return v, 1 << 40


@njit(**_OPTS)
def schedule_tables(row, H, schedules, breaks, value_slots):
    """Return (value[j, c], months_to_next_change[j, c]) of every schedule j at every clock c in 0..H.

    What ``sched_at`` returns, looked up once per draw instead of searched per stay.
    """
    J = schedules.shape[0]
    value = np.empty((J, H + 1))
    next_change = np.empty((J, H + 1), np.int64)
    for j in range(J):
        for clock in range(H + 1):
            value[j, clock], next_change[j, clock] = sched_at(j, clock, row, schedules, breaks, value_slots)
    return value, next_change


@njit(**_OPTS)
def item_rates(row, items, laws):
    """Return rate[item, world, stream]: euros per month, per event or per year for one row."""
    I = items.shape[0]
    W, S = laws.shape
    rate = np.empty((I, W, S))
    for i in range(I):
        it = items[i]
        base = row[it.amount_slot] * row[it.quantity_slot] * it.scale
        if it.basis == BASIS_ANNUAL:
            base *= row[it.organisations_slot]
        for w in range(W):
            for s in range(S):
                r = base
                if it.per_hour:
                    r *= row[laws[w, s].hours_slot] * HOURS_PER_MONTH_PER_WEEKLY_HOUR
                rate[i, w, s] = r
    return rate


@njit(**_INLINE)
def _origin(clock_code, entered, t0):
    """Return the month a schedule's clock counts from: entering the state, the start, or month 0."""
    if clock_code == CLOCK_IN_STATE:
        return entered
    if clock_code == CLOCK_SINCE_START:
        return t0
    return 0


@njit(**_INLINE)
def _scheduled(v, step, ssj, isj, m, entered, t0, clock, sval, snext):
    """Return (``v`` times the schedule factors of an item at month ``m``, months until one changes).

    ``ssj`` is the item's schedule in the state it is paid for (NO_SCHEDULE for an event or a
    state without one), ``isj`` the item's own schedule; ``entered`` is the month the state (or
    the event) began, ``t0`` the agent's start. ``step`` comes back no longer than it went in.
    The one definition of what an item pays in a month, beside ``item_rates``: both kernels call it.
    """
    if ssj != NO_SCHEDULE:
        c = m - _origin(clock[ssj], entered, t0)
        v *= sval[ssj, c]
        step = min(step, snext[ssj, c])
    if isj != NO_SCHEDULE:
        c = m - _origin(clock[isj], entered, t0)
        v *= sval[isj, c]
        step = min(step, snext[isj, c])
    return v, step


@njit(**_INNER)
def _add_annual(diff, rate, items, item_worlds, clock, sval):
    """Add the fixed per-year items (not tied to agents), spread evenly over their months."""
    I = items.shape[0]
    for i in range(I):
        if items[i].basis != BASIS_ANNUAL:
            continue
        for w in range(item_worlds.shape[1]):
            if not item_worlds[i, w]:
                continue
            sign = -1.0 if w == 0 else 1.0
            for m in range(items[i].month_lo, items[i].month_hi):
                v = sign * rate[i, w, 0] / 12.0
                isj = items[i].schedule
                if isj != NO_SCHEDULE:
                    # no agent: a months-in-state clock stays at 0, the others count from month 0
                    v *= sval[isj, m - _origin(clock[isj], m, 0)]
                diff[i, m] += v
                diff[i, m + 1] -= v


@njit(**_INNER)
def _discount_factors(out, r, H):
    """Write (1 + r)^(-m / 12), the monthly discount factor of an annual rate r, for m < H."""
    for m in range(H):
        out[m] = (1.0 + r) ** (-m / 12.0)  # once per month, not per item and month: pow is dear


@njit(**_INNER)
def _finish(diff, occ, events, working, factor, H):
    """Turn difference arrays into per-month values, discounting the flows monthly."""
    for i in range(diff.shape[0]):
        acc = 0.0
        for m in range(H):
            acc += diff[i, m]
            diff[i, m] = acc * factor[m]
        diff[i, H] = 0.0
    for w in range(occ.shape[0]):
        for st in range(occ.shape[1]):
            acc = 0.0
            for m in range(H):
                acc += occ[w, st, m]
                occ[w, st, m] = acc
            occ[w, st, H] = 0.0
        for s in range(working.shape[1]):
            acc = 0.0
            for m in range(H):
                acc += working[w, s, m]
                working[w, s, m] = acc
            working[w, s, H] = 0.0
            for e in range(events.shape[2]):
                events[w, s, e, H] = 0.0


# ----------------------------------------------------------------------------- Monte Carlo
# An agent's life in one world is written as a record, one row per stay or event, in the order
# it happens: REC_STAY rows (state, first month, end month) and REC_EVENT rows (event, month).
# Sampling the life and paying for it are two loops of one function: a helper taking the
# item arrays, called per stay, costs more in numba's reference counting than the work it does.
REC_STAY, REC_EVENT = 0, 1


@njit(**_INLINE)
def _record(rec, n, kind, code, a, b):
    """Append one row to an agent's life record; return the new length."""
    rec[n, 0] = kind
    rec[n, 1] = code
    rec[n, 2] = a
    rec[n, 3] = b
    return n + 1


@njit(**_INLINE)
def _live(rec, key, w, s, t0, H, cdf, guide, p_place, p_return, max_spells):
    """Sample an agent's life in world ``w`` from its uniforms; write it to ``rec``, return its length.

    Both worlds ask for the same counters (common random numbers); nothing here depends on
    the items, so the same life is paid for by whatever items a config has.
    """
    n = _record(rec, 0, REC_EVENT, E_START, t0, t0)
    t = t0 + sample_guided(cdf, guide, w, s, _I(WAIT), uniform(key, C_WAIT))
    n = _record(rec, n, REC_STAY, S_WAITING, t0, min(t, H))
    spells = 0
    episode = 0
    while t < H:
        base = C_EPISODE + C_PER_EPISODE * episode
        if uniform(key, base) < p_place:
            t1 = t + sample_guided(cdf, guide, w, s, _I(PLACE), uniform(key, base + 1))
            n = _record(rec, n, REC_STAY, S_MEDIATION, t, min(t1, H))
            t = t1
            if t >= H:
                break
            spells += 1
            n = _record(rec, n, REC_EVENT, E_PLACEMENT, t, t)
            if spells == 1:
                n = _record(rec, n, REC_EVENT, E_FIRST_PLACEMENT, t, t)
            length = sample_guided(cdf, guide, w, s, _I(SPELL), uniform(key, base + 2))
            t1 = t + length
            n = _record(rec, n, REC_STAY, S_WORKING, t, min(t1, H))
            if length >= SUCCESS_MONTHS and t + SUCCESS_MONTHS - 1 < H:
                n = _record(rec, n, REC_EVENT, E_SUCCESS, t + SUCCESS_MONTHS - 1, t + SUCCESS_MONTHS - 1)
            t = t1
            if t >= H:
                break
            n = _record(rec, n, REC_EVENT, E_RELAPSE, t, t)
            if spells >= max_spells or uniform(key, base + 3) >= p_return:
                n = _record(rec, n, REC_EVENT, E_DROPOUT, t, t)
                n = _record(rec, n, REC_STAY, S_DROPPED, t, H)
                break
            t1 = t + sample_guided(cdf, guide, w, s, _I(HOLD), uniform(key, base + 4))
            n = _record(rec, n, REC_STAY, S_ON_HOLD, t, min(t1, H))
            t = t1
            episode += 1
        else:
            t1 = t + sample_guided(cdf, guide, w, s, _I(DROP), uniform(key, base + 1))
            n = _record(rec, n, REC_STAY, S_MEDIATION, t, min(t1, H))
            t = t1
            if t >= H:
                break
            n = _record(rec, n, REC_EVENT, E_DROPOUT, t, t)
            n = _record(rec, n, REC_STAY, S_DROPPED, t, H)
            break
    return n


@njit(**_INLINE)
def _pay_life(rec, n, w, s, t0, sign, ok, benefit_end, first, diff, occ, events, working, rate, sval, snext,
              seg_items, ev_items, state_schedule, schedule, capped, clock):
    """Pay for an agent's life ``rec[:n]`` in world ``w``: count its stays and events and add every
    item they pay, from month ``first`` on (0: all of it; a re-forecast pays only what is to come).

    The one place an agent's life becomes euros: the Monte Carlo kernel, the ledger of a register
    and the re-forecast all call it.
    """
    for q in range(n):
        code = rec[q, 1]
        a = rec[q, 2]
        if rec[q, 0] == REC_EVENT:
            if a < first:
                continue
            # count the event at month a and pay every one-off item tied to it
            events[w, s, code, a] += 1.0
            k = 0
            while ev_items[w, s, code, k] >= 0:
                i = ev_items[w, s, code, k]
                k += 1
                if not ok[i] or (capped[i] and a >= benefit_end):
                    continue
                v, _ = _scheduled(sign * rate[i, w, s], 1, NO_SCHEDULE, schedule[i], a, a, t0, clock, sval, snext)
                diff[i, a] += v
                diff[i, a + 1] -= v
            continue
        # a stay in state `code` entered in month a, over months [a, b): occupancy and every monthly item
        b = rec[q, 3]
        start = a if a >= first else first
        if b <= start:
            continue
        occ[w, code, start] += 1.0
        occ[w, code, b] -= 1.0
        if code == S_WORKING:
            working[w, s, start] += 1.0
            working[w, s, b] -= 1.0
        k = 0
        while seg_items[w, s, code, k] >= 0:
            i = seg_items[w, s, code, k]
            k += 1
            if not ok[i]:
                continue
            ssj = state_schedule[i, code]
            isj = schedule[i]
            end = b
            if capped[i] and benefit_end < end:
                end = benefit_end
            m = start
            while m < end:
                # one run of months at one rate: up to the end or the next schedule change
                v, step = _scheduled(sign * rate[i, w, s], end - m, ssj, isj, m, a, t0, clock, sval, snext)
                diff[i, m] += v
                diff[i, m + step] -= v
                m += step


@njit(**_INLINE)
def _agent_draws(key, t0, s, n_partial, partial, elig, ok, bcdf4, bguide):
    """Draw who an agent is beyond its life: the partial items it receives (``ok``) and when its
    benefit would end (returned)."""
    for k in range(n_partial):
        i = partial[k]
        ok[i] = uniform(key, C_ELIGIBLE + i) < elig[i]
    return t0 + sample_guided(bcdf4, bguide, _I(0), s, _I(0), uniform(key, C_BENEFIT))


@njit(**_INLINE)
def _partial_items(row, items, partial):
    """Write the items only some agents receive (eligible share < 1) to ``partial``; return
    (their number, every item's share)."""
    I = items.shape[0]
    elig = np.empty(I)
    n_partial = 0
    for i in range(I):
        elig[i] = row[items[i].eligible_slot]
        if elig[i] < 1.0:
            partial[n_partial] = i
            n_partial += 1
    return n_partial, elig


@njit(**_INNER)
def _simulate_one(row, draw_key, model, diff, occ, events, working, factor):
    """Fill one draw's output: every agent's life in both worlds, paid for item by item."""
    H = model.horizon
    cohort, laws, items = model.cohort, model.laws, model.items
    seg_items, ev_items, state_schedule = model.monthly_items, model.event_items, model.item_state_schedule
    capped, schedule = items.capped, items.schedule
    clock = model.schedules.clock
    W, S = laws.shape
    cdf, bcdf = build_cdfs(row, model.law_code, model.law_slot, model.benefits, model.pmf, H)
    # finer guides pay off once a draw has thousands of agents to look up (W3: 4% faster)
    guide, bguide = build_guides(cdf, bcdf, min(8, max(1, cohort.count.sum() // 2000)))
    bcdf4 = bcdf.reshape(1, bcdf.shape[0], 1, bcdf.shape[1])
    rate = item_rates(row, items, laws)
    sval, snext = schedule_tables(row, H, model.schedules, model.schedule_breaks, model.schedule_value_slots)
    I = items.shape[0]
    partial = np.empty(I, dtype=np.int64)  # items only some agents are eligible for
    n_partial, elig = _partial_items(row, items, partial)
    _add_annual(diff, rate, items, model.item_worlds, clock, sval)
    ok = np.ones(I, dtype=np.bool_)
    # a life has at most 3 stays and 5 events per episode (6 in the first), and an episode with a job takes a month
    rec = np.empty((8 * (H + 2), 4), np.int64)
    agent = 0
    for r in range(cohort.shape[0]):
        s = cohort[r].stream
        t0 = cohort[r].start
        for _ in range(cohort[r].count):
            key = stream_key(draw_key, agent)
            agent += 1
            benefit_end = _agent_draws(key, t0, s, n_partial, partial, elig, ok, bcdf4, bguide)
            for w in range(W):
                sign = -1.0 if w == 0 else 1.0
                law = laws[w, s]
                n = _live(rec, key, w, s, t0, H, cdf, guide, row[law.p_place_slot], row[law.p_return_slot],
                          law.max_spells)
                _pay_life(rec, n, w, s, t0, sign, ok, benefit_end, 0, diff, occ, events, working, rate, sval, snext,
                          seg_items, ev_items, state_schedule, schedule, capped, clock)
    _discount_factors(factor, row[model.discount_slot], H)
    _finish(diff, occ, events, working, factor, H)


@njit(**_OPTS)
def simulate_draws(values, draw_keys, model, out, first, step):
    """Monte Carlo: fill every field of ``out`` (an ``Output`` record) for rows first, first + step, ...
    of ``values``. It releases the GIL: threads, each with its own ``first``, share the rows."""
    for d in range(first, values.shape[0], step):
        _simulate_one(values[d], draw_keys[d], model, out.flow[d], out.occupancy[d], out.events[d], out.working[d],
                      out.discount[d])


# ----------------------------------------------------------------------------- expected values
@njit(**_OPTS)
def _pmf(cdf, k):
    return cdf[k] - (cdf[k - 1] if k > 0 else 0.0)


@njit(**_INNER)
def _add_stay_expected(flow, occ, wrk, w, s, state, entries, cdf_a, cdf_b, p_a, t0, bcdf_s, sign, rate, elig, H,
                       model, sval, snext):
    """Add the expected stay in ``state`` of mass entering at each month.

    A stay entered at t covers month t + d with probability
    p_a * (1 - cdf_a[d]) + (1 - p_a) * (1 - cdf_b[d]).
    """
    seg_items, state_schedule, clock = model.monthly_items, model.item_state_schedule, model.schedules.clock
    capped, schedule = model.items.capped, model.items.schedule
    for t in range(H):
        e = entries[t]
        if e == 0.0:
            continue
        for d in range(H - t):
            mass = e * (p_a * (1.0 - cdf_a[d]) + (1.0 - p_a) * (1.0 - cdf_b[d]))
            if mass == 0.0:
                # stays are monotone: once nobody is left, nobody comes back
                if p_a * (1.0 - cdf_a[d]) + (1.0 - p_a) * (1.0 - cdf_b[d]) == 0.0:
                    break
                continue
            m = t + d
            occ[w, state, m] += mass
            if state == S_WORKING:
                wrk[w, s, m] += mass
            k = 0
            while seg_items[w, s, state, k] >= 0:
                i = seg_items[w, s, state, k]
                k += 1
                v = sign * rate[i, w, s] * elig[i] * mass
                if capped[i]:
                    v *= 1.0 - bcdf_s[m - t0]
                v, _ = _scheduled(v, 1, state_schedule[i, state], schedule[i], m, t, t0, clock, sval, snext)
                flow[i, m] += v


@njit(**_INNER)
def _add_event_expected(flow, evm, w, s, event, m, mass, t0, bcdf_s, sign, rate, elig, model, sval, snext):
    """Add ``mass`` agents' ``event`` at month m: count it and pay every one-off item tied to it."""
    evm[w, s, event, m] += mass
    ev_items, clock = model.event_items, model.schedules.clock
    capped, schedule = model.items.capped, model.items.schedule
    k = 0
    while ev_items[w, s, event, k] >= 0:
        i = ev_items[w, s, event, k]
        k += 1
        v = sign * rate[i, w, s] * elig[i] * mass
        if capped[i]:
            v *= 1.0 - bcdf_s[m - t0]
        v, _ = _scheduled(v, 1, NO_SCHEDULE, schedule[i], m, m, t0, clock, sval, snext)
        flow[i, m] += v


@njit(**_INNER)
def _expected_cohort(flow, occ, evm, wrk, s, t0, c, cdf, bcdf_s, rate, elig, H, never, med, nxt, work, ends, hold,
                     drop, waiting, row, model, sval, snext):
    """Add the expected life of ``c`` agents of stream s starting at t0, in both worlds."""
    W = model.laws.shape[0]
    for w in range(W):
        sign = -1.0 if w == 0 else 1.0
        law = model.laws[w, s]
        p = row[law.p_place_slot]
        pr = row[law.p_return_slot]
        spells = law.max_spells
        _add_event_expected(flow, evm, w, s, _I(E_START), t0, c, t0, bcdf_s, sign, rate, elig, model, sval, snext)
        waiting[:] = 0.0
        waiting[t0] = c
        _add_stay_expected(flow, occ, wrk, w, s, _I(S_WAITING), waiting, cdf[w, s, WAIT], never, 1.0, t0, bcdf_s, sign,
                           rate, elig, H, model, sval, snext)
        med[:] = 0.0
        drop[:] = 0.0
        for k in range(H - t0):
            med[t0 + k] = c * _pmf(cdf[w, s, WAIT], k)
        for episode in range(spells):
            # mediation: placed with probability p after T months, else drop out after T' months
            _add_stay_expected(flow, occ, wrk, w, s, _I(S_MEDIATION), med, cdf[w, s, PLACE], cdf[w, s, DROP], p, t0,
                               bcdf_s, sign, rate, elig, H, model, sval, snext)
            work[:] = 0.0
            for t in range(H):
                if med[t] == 0.0:
                    continue
                for k in range(H - t):
                    work[t + k] += med[t] * p * _pmf(cdf[w, s, PLACE], k)
                    drop[t + k] += med[t] * (1.0 - p) * _pmf(cdf[w, s, DROP], k)
            # working: spells of L >= 1 months; success when a spell reaches 12 months
            _add_stay_expected(flow, occ, wrk, w, s, _I(S_WORKING), work, cdf[w, s, SPELL], never, 1.0, t0, bcdf_s, sign,
                               rate, elig, H, model, sval, snext)
            ends[:] = 0.0
            for t in range(H):
                if work[t] == 0.0:
                    continue
                _add_event_expected(flow, evm, w, s, _I(E_PLACEMENT), t, work[t], t0, bcdf_s, sign, rate, elig, model,
                                    sval, snext)
                if episode == 0:  # every placement of the first episode is an agent's first
                    _add_event_expected(flow, evm, w, s, _I(E_FIRST_PLACEMENT), t, work[t], t0, bcdf_s, sign, rate,
                                        elig, model, sval, snext)
                ms = t + SUCCESS_MONTHS - 1
                if ms < H:
                    surv12 = 1.0 - cdf[w, s, SPELL, SUCCESS_MONTHS - 1]
                    _add_event_expected(flow, evm, w, s, _I(E_SUCCESS), ms, work[t] * surv12, t0, bcdf_s, sign, rate,
                                        elig, model, sval, snext)
                for k in range(1, H - t):
                    ends[t + k] += work[t] * _pmf(cdf[w, s, SPELL], k)
            # after a spell: back via on hold, or drop out
            hold[:] = 0.0
            last = episode + 1 >= spells
            for t in range(H):
                if ends[t] == 0.0:
                    continue
                _add_event_expected(flow, evm, w, s, _I(E_RELAPSE), t, ends[t], t0, bcdf_s, sign, rate, elig, model,
                                    sval, snext)
                back = 0.0 if last else pr
                hold[t] += ends[t] * back
                drop[t] += ends[t] * (1.0 - back)
            _add_stay_expected(flow, occ, wrk, w, s, _I(S_ON_HOLD), hold, cdf[w, s, HOLD], never, 1.0, t0, bcdf_s, sign,
                               rate, elig, H, model, sval, snext)
            nxt[:] = 0.0
            for t in range(H):
                if hold[t] == 0.0:
                    continue
                for k in range(H - t):
                    nxt[t + k] += hold[t] * _pmf(cdf[w, s, HOLD], k)
            med[:] = nxt
        for t in range(H):
            if drop[t] == 0.0:
                continue
            _add_event_expected(flow, evm, w, s, _I(E_DROPOUT), t, drop[t], t0, bcdf_s, sign, rate, elig, model, sval,
                                snext)
        _add_stay_expected(flow, occ, wrk, w, s, _I(S_DROPPED), drop, never, never, 1.0, t0, bcdf_s, sign, rate, elig, H,
                           model, sval, snext)


@njit(**_INNER)
def _expected_one(row, model, flow, occ, evm, wrk, factor):
    """Fill one parameter row's output with the exact expectation over its agents."""
    H = model.horizon
    cohort, items = model.cohort, model.items
    W, S = model.laws.shape
    cdf, bcdf = build_cdfs(row, model.law_code, model.law_slot, model.benefits, model.pmf, H)
    rate = item_rates(row, items, model.laws)
    sval, snext = schedule_tables(row, H, model.schedules, model.schedule_breaks, model.schedule_value_slots)
    I = items.shape[0]
    elig = np.empty(I)
    for i in range(I):
        elig[i] = row[items[i].eligible_slot]
    # annual items go through a difference array, as in the Monte Carlo kernel
    annual = np.zeros((I, H + 1))
    _add_annual(annual, rate, items, model.item_worlds, model.schedules.clock, sval)
    for i in range(I):
        acc = 0.0
        for m in range(H):
            acc += annual[i, m]
            flow[i, m] += acc
    never = np.zeros(H + 1)  # cdf of a stay that never ends
    med = np.zeros(H)
    nxt = np.zeros(H)
    work = np.zeros(H)
    ends = np.zeros(H)
    hold = np.zeros(H)
    drop = np.zeros(H)
    waiting = np.zeros(H)
    if model.shift_invariant:
        # Nothing an agent pays depends on the calendar: a cohort starting at t0 is the cohort
        # starting at 0, shifted by t0 and cut at the horizon. One propagation per stream.
        t_flow = np.zeros((I, H))
        t_occ = np.zeros((W, N_STATES, H))
        t_evm = np.zeros((W, S, N_EVENTS, H))
        t_wrk = np.zeros((W, S, H))
        for s in range(S):
            first = True
            for r in range(cohort.shape[0]):
                if cohort[r].stream != s:
                    continue
                if first:
                    t_flow[:] = 0.0
                    t_occ[:] = 0.0
                    t_evm[:] = 0.0
                    t_wrk[:] = 0.0
                    _expected_cohort(t_flow, t_occ, t_evm, t_wrk, s, _I(0), 1.0, cdf, bcdf[s], rate, elig, H, never, med,
                                     nxt, work, ends, hold, drop, waiting, row, model, sval, snext)
                    first = False
                t0 = cohort[r].start
                c = float(cohort[r].count)
                for m in range(H - t0):
                    for i in range(I):
                        flow[i, t0 + m] += c * t_flow[i, m]
                    for w in range(W):
                        for st in range(N_STATES):
                            occ[w, st, t0 + m] += c * t_occ[w, st, m]
                        for e in range(N_EVENTS):
                            evm[w, s, e, t0 + m] += c * t_evm[w, s, e, m]
                        wrk[w, s, t0 + m] += c * t_wrk[w, s, m]
    else:
        for r in range(cohort.shape[0]):
            s = cohort[r].stream
            _expected_cohort(flow, occ, evm, wrk, s, cohort[r].start, float(cohort[r].count), cdf, bcdf[s], rate,
                             elig, H, never, med, nxt, work, ends, hold, drop, waiting, row, model, sval, snext)
    _discount_factors(factor, row[model.discount_slot], H)
    for m in range(H):
        f = factor[m]
        for i in range(I):
            flow[i, m] *= f


@njit(**_OPTS)
def expected_draws(values, model, out, first, step):
    """Base case (exact expectation over agents): fill every field of ``out`` for rows first, first + step, ...
    It releases the GIL, as ``simulate_draws``."""
    for d in range(first, values.shape[0], step):
        _expected_one(values[d], model, out.flow[d], out.occupancy[d], out.events[d], out.working[d], out.discount[d])


# ----------------------------------------------------------------------------- one draw's agents, one by one
@njit(**_OPTS)
def lives_of_draw(row, draw_key, model, world):
    """Return one draw's agents as the Monte Carlo kernel samples them, in world ``world``:
    (agents x [stream, start, benefit end], agents x items: receives the item, records
    x [agent, kind, code, a, b]) with REC_STAY / REC_EVENT rows as ``_live`` writes them.

    The same uniforms as ``simulate_draws`` for that draw's key, so the lives are the ones its
    euros come from (a synthetic register, ``simsav register simulate``, is written from them).
    """
    H = model.horizon
    cohort, laws, items = model.cohort, model.laws, model.items
    cdf, bcdf = build_cdfs(row, model.law_code, model.law_slot, model.benefits, model.pmf, H)
    guide, bguide = build_guides(cdf, bcdf, min(8, max(1, cohort.count.sum() // 2000)))
    bcdf4 = bcdf.reshape(1, bcdf.shape[0], 1, bcdf.shape[1])
    I = items.shape[0]
    partial = np.empty(I, dtype=np.int64)
    n_partial, elig = _partial_items(row, items, partial)
    A = cohort.count.sum()
    agents = np.empty((A, 3), np.int64)
    received = np.ones((A, I), np.bool_)
    rec = np.empty((8 * (H + 2), 4), np.int64)
    out = np.empty((A * 8 * (H + 2), 5), np.int64)
    rows = 0
    agent = 0
    for r in range(cohort.shape[0]):
        s = cohort[r].stream
        t0 = cohort[r].start
        for _ in range(cohort[r].count):
            key = stream_key(draw_key, agent)
            ok = received[agent]
            benefit_end = _agent_draws(key, t0, s, n_partial, partial, elig, ok, bcdf4, bguide)
            law = laws[world, s]
            n = _live(rec, key, world, s, t0, H, cdf, guide, row[law.p_place_slot], row[law.p_return_slot],
                      law.max_spells)
            agents[agent, 0], agents[agent, 1], agents[agent, 2] = s, t0, benefit_end
            for q in range(n):
                out[rows, 0] = agent
                out[rows, 1:] = rec[q]
                rows += 1
            agent += 1
    return agents, received, out[:rows]


@njit(**_OPTS)
def pay_lives(row, model, agents, received, records, world, first, out_flow, out_occ, out_events, out_working,
              out_discount, annual):
    """Pay for given lives (``lives_of_draw``'s form, or rebuilt from a register) in world ``world``
    from month ``first`` on, at the parameter values ``row``: fill one row of an ``Output``
    (saving convention: the program world's expenditure is negative). ``annual``: also the
    organisations' per-year items, over all months."""
    H = model.horizon
    items, laws = model.items, model.laws
    rate = item_rates(row, items, laws)
    sval, snext = schedule_tables(row, H, model.schedules, model.schedule_breaks, model.schedule_value_slots)
    clock = model.schedules.clock
    if annual:
        _add_annual(out_flow, rate, items, model.item_worlds, clock, sval)
    sign = -1.0 if world == 0 else 1.0
    R = records.shape[0]
    q = 0
    rec = np.empty((8 * (H + 2), 4), np.int64)
    while q < R:
        agent = records[q, 0]
        n = 0
        while q < R and records[q, 0] == agent:
            rec[n] = records[q, 1:]
            n += 1
            q += 1
        s, t0, benefit_end = agents[agent, 0], agents[agent, 1], agents[agent, 2]
        _pay_life(rec, n, world, s, t0, sign, received[agent], benefit_end, first, out_flow, out_occ, out_events,
                  out_working, rate, sval, snext, model.monthly_items, model.event_items,
                  model.item_state_schedule, items.schedule, items.capped, clock)
    _discount_factors(out_discount, row[model.discount_slot], H)
    _finish(out_flow, out_occ, out_events, out_working, out_discount, H)


# ----------------------------------------------------------------------------- re-forecast from a census
# Fresh uniforms of an agent for the draws conditional on what a register saw by its census (the
# branch out of mediation, then the length of the open stay), beyond the eligibility counters.
C_CONDITION = 8192


@njit(**_INLINE)
def _sample_after(cdf, guide, w, s, law, u, e, key):
    """Return a length T of law ``law`` given T > e: the unconditional draw from ``u`` when it
    agrees (always when e < 0), else the inverse cdf of P(T = k | T > e) at a fresh uniform.

    Keeping every consistent draw leaves each life that agrees with the observation as it was;
    the fresh draw makes the whole the exact conditional law."""
    T = sample_guided(cdf, guide, w, s, law, u)
    if T <= e:
        fe = cdf[w, s, law, e]
        if fe < 1.0:
            T = sample_guided(cdf, guide, w, s, law, fe + uniform(key, C_CONDITION + 1) * (1.0 - fe))
    return T


@njit(**_INLINE)
def _live_from(rec, key, w, s, t0, H, cdf, guide, p_place, p_return, max_spells, state, entered, census, spells,
               episode):
    """Write an agent's life from its stay in ``state`` entered at month ``entered`` on, given that
    stay is still open at ``census`` (length T > census - entered; no condition when that is < 0);
    return the record's length.

    ``spells``: job spells begun so far (the current one included when working); ``episode``:
    the episode ``_live`` is in (its counters). The same uniforms as ``_live``, so a life that
    agrees with the observation is ``_live``'s; the open stay's length (and, in mediation, the
    branch jointly with it) is redrawn from fresh counters (``C_CONDITION``) only when the
    unconditional draw contradicts the observation. Events at months <= census (the start, the
    placement that began a current spell) are the past and not written."""
    n = 0
    e = census - entered
    t = entered
    stage = state
    if stage == S_WAITING and t0 > census:
        n = _record(rec, n, REC_EVENT, E_START, t0, t0)
    if stage == S_WORKING and entered > census:
        n = _record(rec, n, REC_EVENT, E_PLACEMENT, t, t)
        if spells == 1:
            n = _record(rec, n, REC_EVENT, E_FIRST_PLACEMENT, t, t)
    while True:
        if stage == S_WAITING:
            t1 = t + _sample_after(cdf, guide, w, s, _I(WAIT), uniform(key, C_WAIT), e, key)
            e = -1
            n = _record(rec, n, REC_STAY, S_WAITING, t, min(t1, H))
            t = t1
            if t >= H:
                break
            stage = S_MEDIATION
        elif stage == S_MEDIATION:
            base = C_EPISODE + C_PER_EPISODE * episode
            placed = uniform(key, base) < p_place
            law = _I(PLACE) if placed else _I(DROP)
            T = sample_guided(cdf, guide, w, s, law, uniform(key, base + 1))
            if T <= e:
                # the branch is joint with the time: P(placed | T > e) = p (1 - Fp[e]) / P(T > e)
                a = p_place * (1.0 - cdf[w, s, PLACE, e])
                b = (1.0 - p_place) * (1.0 - cdf[w, s, DROP, e])
                if a + b > 0.0:
                    placed = uniform(key, C_CONDITION) < a / (a + b)
                    law = _I(PLACE) if placed else _I(DROP)
                    fe = cdf[w, s, law, e]
                    T = sample_guided(cdf, guide, w, s, law, fe + uniform(key, C_CONDITION + 1) * (1.0 - fe))
            e = -1
            t1 = t + T
            n = _record(rec, n, REC_STAY, S_MEDIATION, t, min(t1, H))
            t = t1
            if t >= H:
                break
            if placed:
                spells += 1
                n = _record(rec, n, REC_EVENT, E_PLACEMENT, t, t)
                if spells == 1:
                    n = _record(rec, n, REC_EVENT, E_FIRST_PLACEMENT, t, t)
                stage = S_WORKING
            else:
                n = _record(rec, n, REC_EVENT, E_DROPOUT, t, t)
                n = _record(rec, n, REC_STAY, S_DROPPED, t, H)
                break
        elif stage == S_WORKING:
            base = C_EPISODE + C_PER_EPISODE * episode
            length = _sample_after(cdf, guide, w, s, _I(SPELL), uniform(key, base + 2), e, key)
            e = -1
            t1 = t + length
            n = _record(rec, n, REC_STAY, S_WORKING, t, min(t1, H))
            if length >= SUCCESS_MONTHS and t + SUCCESS_MONTHS - 1 < H:
                n = _record(rec, n, REC_EVENT, E_SUCCESS, t + SUCCESS_MONTHS - 1, t + SUCCESS_MONTHS - 1)
            t = t1
            if t >= H:
                break
            n = _record(rec, n, REC_EVENT, E_RELAPSE, t, t)
            if spells >= max_spells or uniform(key, base + 3) >= p_return:
                n = _record(rec, n, REC_EVENT, E_DROPOUT, t, t)
                n = _record(rec, n, REC_STAY, S_DROPPED, t, H)
                break
            stage = S_ON_HOLD
        elif stage == S_ON_HOLD:
            base = C_EPISODE + C_PER_EPISODE * episode
            t1 = t + _sample_after(cdf, guide, w, s, _I(HOLD), uniform(key, base + 4), e, key)
            e = -1
            n = _record(rec, n, REC_STAY, S_ON_HOLD, t, min(t1, H))
            t = t1
            episode += 1
            if t >= H:
                break
            stage = S_MEDIATION
        else:
            n = _record(rec, n, REC_STAY, S_DROPPED, t, H)
            break
    return n


@njit(**_INNER)
def _forecast_one(row, draw_key, model, census, agents, received, known, states, slots, planned, diff, occ, events,
                  working, factor):
    """Fill one draw's re-forecast from ``census``: the register's participants from their census
    states (program world) and their whole lives (counterfactual world), and the planned agents
    not started yet as ``_simulate_one`` lives them; everything paid from month census + 1 on."""
    H = model.horizon
    cohort, laws, items = model.cohort, model.laws, model.items
    seg_items, ev_items, state_schedule = model.monthly_items, model.event_items, model.item_state_schedule
    capped, schedule = items.capped, items.schedule
    clock = model.schedules.clock
    W, S = laws.shape
    cdf, bcdf = build_cdfs(row, model.law_code, model.law_slot, model.benefits, model.pmf, H)
    guide, bguide = build_guides(cdf, bcdf, min(8, max(1, cohort.count.sum() // 2000)))
    bcdf4 = bcdf.reshape(1, bcdf.shape[0], 1, bcdf.shape[1])
    rate = item_rates(row, items, laws)
    sval, snext = schedule_tables(row, H, model.schedules, model.schedule_breaks, model.schedule_value_slots)
    I = items.shape[0]
    partial = np.empty(I, dtype=np.int64)
    n_partial, elig = _partial_items(row, items, partial)
    _add_annual(diff, rate, items, model.item_worlds, clock, sval)
    ok = np.ones(I, dtype=np.bool_)
    rec = np.empty((8 * (H + 2), 4), np.int64)
    first = census + 1
    for j in range(agents.shape[0]):
        key = stream_key(draw_key, slots[j])
        s, t0, benefit_end = agents[j, 0], agents[j, 1], agents[j, 2]
        ok[:] = True
        _agent_draws(key, t0, s, n_partial, partial, elig, ok, bcdf4, bguide)
        for i in range(I):
            if known[i]:
                ok[i] = received[j, i]
        for w in range(W):
            sign = -1.0 if w == 0 else 1.0
            law = laws[w, s]
            if w == 0:
                n = _live_from(rec, key, w, s, t0, H, cdf, guide, row[law.p_place_slot], row[law.p_return_slot],
                               law.max_spells, states[j, 0], states[j, 1], census, states[j, 2], states[j, 3])
            else:
                n = _live(rec, key, w, s, t0, H, cdf, guide, row[law.p_place_slot], row[law.p_return_slot],
                          law.max_spells)
            _pay_life(rec, n, w, s, t0, sign, ok, benefit_end, first, diff, occ, events, working, rate, sval, snext,
                      seg_items, ev_items, state_schedule, schedule, capped, clock)
    ok[:] = True
    R = cohort.shape[0]
    ends = np.empty(R, np.int64)  # agent indices of cohort row r: [ends[r] - count, ends[r])
    acc = 0
    for r in range(R):
        acc += cohort[r].count
        ends[r] = acc
    for q in range(planned.shape[0]):
        agent = planned[q]
        r = 0
        while ends[r] <= agent:
            r += 1
        s = cohort[r].stream
        t0 = cohort[r].start
        key = stream_key(draw_key, agent)
        benefit_end = _agent_draws(key, t0, s, n_partial, partial, elig, ok, bcdf4, bguide)
        for w in range(W):
            sign = -1.0 if w == 0 else 1.0
            law = laws[w, s]
            n = _live(rec, key, w, s, t0, H, cdf, guide, row[law.p_place_slot], row[law.p_return_slot],
                      law.max_spells)
            _pay_life(rec, n, w, s, t0, sign, ok, benefit_end, first, diff, occ, events, working, rate, sval, snext,
                      seg_items, ev_items, state_schedule, schedule, capped, clock)
    _discount_factors(factor, row[model.discount_slot], H)
    _finish(diff, occ, events, working, factor, H)


@njit(**_OPTS)
def forecast_draws(values, draw_keys, model, census, agents, received, known, states, slots, planned, out, first,
                   step):
    """Re-forecast from ``census``: fill every field of ``out`` for rows first, first + step, ... of
    ``values`` (posterior draws), as ``simulate_draws`` does. ``agents``, ``received``: the register's
    participants (stream, start, benefit end; items received, where ``known[item]``); ``states``:
    their census states (state, entered, spells, episode); ``slots``: their agent indices (keys);
    ``planned``: the config's agents not started by the census. Releases the GIL."""
    for d in range(first, values.shape[0], step):
        _forecast_one(values[d], draw_keys[d], model, census, agents, received, known, states, slots, planned,
                      out.flow[d], out.occupancy[d], out.events[d], out.working[d], out.discount[d])
