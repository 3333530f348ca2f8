"""numba kernels: agents' lives -> item x month flows, state occupancy and event counts.

Two kernels share every helper, so they cannot disagree about the model:

* ``simulate_draws``: Monte Carlo. Per draw, every agent's event times (waiting, time to
  placement or drop-out, job-spell length, months on hold, benefit duration) are sampled
  from tables of P(T <= k); each agent lives in both worlds on the *same* uniforms
  (common random numbers). Random numbers come from a counter-based generator keyed on
  (draw, agent, counter), so a draw's result does not depend on threads or chunks. A life
  is sampled into a record of stays and events (``_live``), which the same function then
  pays for, item by item; inverse-CDF look-ups start from guide tables.
* ``expected_draws``: the exact expectation over agents of the same process (base case):
  entries into each state are propagated through the same tables as renewal sums.

Both take a (rows x slots) matrix of parameter values and write, per row,
``flow[item, month]`` (saving = counterfactual minus program, discounted),
``occupancy[world, state, month]`` and ``events[world, stream, event]``.
This module knows nothing of configs, names or xarray.
"""
from __future__ import annotations

import numpy as np
from numba import njit, prange

from .compile import (
    DROP, HOLD, LAW_FIXED, LAW_GEOMETRIC, LAW_NEVER, LAW_SPELL_PMF, LAW_SPELL_RETENTION, LAW_UNIFORM,
    LAW_ZERO, N_LAWS, NO_SCHEDULE, NOT_IN_STATE, PLACE, SPELL, WAIT,
)

# States (simsav.config.STATES order) and event counters in the events output.
S_WAITING, S_MEDIATION, S_WORKING, S_ON_HOLD, S_DROPPED = 0, 1, 2, 3, 4
N_STATES = 5
E_START, E_PLACEMENT, E_SUCCESS, E_RELAPSE, E_DROPOUT = 0, 1, 2, 3, 4
N_EVENTS = 5
BASIS_MONTHLY, BASIS_EVENT, BASIS_ANNUAL = 0, 1, 2
HOURS_PER_MONTH_PER_WEEKLY_HOUR = 52.0 / 12.0
SUCCESS_MONTHS = 12

_OPTS = dict(cache=True, nogil=True, fastmath=False, error_model="numpy")
# The Monte Carlo loop's helpers are inlined into it by numba: a call passes every array as
# a dozen scalars and counts references on each, which cost more than the work itself.
_INLINE = dict(_OPTS, inline="always")

# ----------------------------------------------------------------------------- random numbers
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53

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
def uniform(key, counter):
    """The ``counter``-th uniform in (0, 1) of a stream: the same whenever it is asked for."""
    z = mix64(key + np.uint64(counter) * _GOLDEN)
    return (np.float64(z >> _S11) + 0.5) * _TO_UNIT


# ----------------------------------------------------------------------------- laws of event times
@njit(**_OPTS)
def _fill_cdf(out, code, value, H, pmf_tables):
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
def build_cdfs(row, law_code, law_slot, benefit_law_code, benefit_law_slot, pmf_tables, H):
    """Return the per-world/stream/law and per-stream benefit tables of P(T <= k) for one row."""
    W, S = law_code.shape[0], law_code.shape[1]
    cdf = np.empty((W, S, N_LAWS, H + 1))
    for w in range(W):
        for s in range(S):
            for law in range(N_LAWS):
                code = law_code[w, s, law]
                value = float(law_slot[w, s, law]) if code == LAW_SPELL_PMF else row[law_slot[w, s, law]]
                _fill_cdf(cdf[w, s, law], code, value, H, pmf_tables)
    bcdf = np.empty((S, H + 1))
    for s in range(S):
        _fill_cdf(bcdf[s], benefit_law_code[s], row[benefit_law_slot[s]], H, pmf_tables)
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


# ----------------------------------------------------------------------------- schedules and rates
@njit(**_OPTS)
def sched_at(j, clock, row, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots, sched_reduction):
    """Return (multiplier of schedule j at ``clock``, clock units until it next changes)."""
    off = sched_break_off[j]
    nb = sched_nbreaks[j]
    k = 0
    while k < nb and clock >= sched_breaks[off + k]:
        k += 1
    # schedule j has nb + 1 values, so its values start j places after its breaks
    v = row[sched_value_slots[off + j + k]]
    if sched_reduction[j]:
        v = 1.0 - v
    if k < nb:
        return v, sched_breaks[off + k] - clock
    return v, 1 << 40


@njit(**_OPTS)
def item_rates(row, W, S, item_basis, item_amount_slot, item_qty_slot, item_org_slot, item_per_hour, item_scale,
               hours_slot):
    """Return rate[item, world, stream]: euros per month, per event or per year for one row."""
    I = item_basis.shape[0]
    rate = np.empty((I, W, S))
    for i in range(I):
        base = row[item_amount_slot[i]] * row[item_qty_slot[i]] * item_scale[i]
        if item_basis[i] == BASIS_ANNUAL:
            base *= row[item_org_slot[i]]
        for w in range(W):
            for s in range(S):
                r = base
                if item_per_hour[i]:
                    r *= row[hours_slot[w, s]] * HOURS_PER_MONTH_PER_WEEKLY_HOUR
                rate[i, w, s] = r
    return rate


@njit(**_OPTS)
def _origin(origin_code, seg_start, t0):
    if origin_code == 0:
        return seg_start
    if origin_code == 1:
        return t0
    return 0


@njit(**_OPTS)
def item_lists(item_basis, item_streams, item_worlds, item_state_sched, item_event):
    """Return, per world x stream x state (and x event), the monthly (event) items that apply, -1 ended."""
    I = item_basis.shape[0]
    W, S = item_worlds.shape[1], item_streams.shape[1]
    seg = np.full((W, S, N_STATES, I + 1), -1, np.int64)
    ev = np.full((W, S, N_EVENTS, I + 1), -1, np.int64)
    for w in range(W):
        for s in range(S):
            for st in range(N_STATES):
                k = 0
                for i in range(I):
                    if (item_basis[i] == BASIS_MONTHLY and item_worlds[i, w] and item_streams[i, s]
                            and item_state_sched[i, st] != NOT_IN_STATE):
                        seg[w, s, st, k] = i
                        k += 1
            for e in range(N_EVENTS):
                k = 0
                for i in range(I):
                    if item_basis[i] == BASIS_EVENT and item_event[i] == e and item_worlds[i, w] and item_streams[i, s]:
                        ev[w, s, e, k] = i
                        k += 1
    return seg, ev


# ----------------------------------------------------------------------------- Monte Carlo
# An agent's life in one world is written as a record, one row per stay or event, in the order
# it happens: REC_STAY rows (state, first month, end month) and REC_EVENT rows (event, month).
# Sampling the life and paying for it are two loops of one function: a helper taking the
# item arrays, called per stay, costs more in numba's reference counting than the work it does.
REC_STAY, REC_EVENT = 0, 1


@njit(**_OPTS)
def schedule_tables(row, H, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots, sched_reduction):
    """Return (value[j, c], months_to_next_change[j, c]) of every schedule j at every clock c in 0..H.

    What ``sched_at`` returns, looked up once per draw instead of searched per stay.
    """
    J = sched_nbreaks.shape[0]
    value = np.empty((J, H + 1))
    next_change = np.empty((J, H + 1), np.int64)
    for j in range(J):
        for clock in range(H + 1):
            value[j, clock], next_change[j, clock] = sched_at(j, clock, row, sched_break_off, sched_nbreaks,
                                                              sched_breaks, sched_value_slots, sched_reduction)
    return value, next_change


@njit(**_INLINE)
def _record(rec, n, kind, code, a, b):
    """Append one row to an agent's life record; return the new length."""
    rec[n, 0] = kind
    rec[n, 1] = code
    rec[n, 2] = a
    rec[n, 3] = b
    return n + 1


@njit(**_OPTS)
def _add_annual(diff, row, rate, item_basis, item_worlds, item_sched, item_month_lo, item_month_hi,
                sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots, sched_reduction):
    """Add the fixed per-year items (not tied to agents), spread evenly over their months."""
    I = item_basis.shape[0]
    for i in range(I):
        if item_basis[i] != BASIS_ANNUAL:
            continue
        for w in range(item_worlds.shape[1]):
            if not item_worlds[i, w]:
                continue
            sign = -1.0 if w == 0 else 1.0
            for m in range(item_month_lo[i], item_month_hi[i]):
                v = sign * rate[i, w, 0] / 12.0
                isj = item_sched[i]
                if isj != NO_SCHEDULE:
                    f, _ = sched_at(isj, m - _origin(sched_origin[isj], m, 0), row, sched_break_off,
                                    sched_nbreaks, sched_breaks, sched_value_slots, sched_reduction)
                    v *= f
                diff[i, m] += v
                diff[i, m + 1] -= v


@njit(**_OPTS)
def _finish(diff, occ, row, discount_slot, H):
    """Turn difference arrays into per-month values, discounting the flows monthly."""
    r = row[discount_slot]
    factor = np.empty(H)
    for m in range(H):
        factor[m] = (1.0 + r) ** (-m / 12.0)  # once per month, not per item and month: pow is dear
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


@njit(**_INLINE)
def _live(rec, key, w, s, t0, H, cdf, guide, p_place, p_return, max_spells):
    """Sample an agent's life in world ``w`` from its uniforms; write it to ``rec``, return its length.

    Both worlds ask for the same counters (common random numbers); nothing here depends on
    the items, so the same life is paid for by whatever items a config has.
    """
    n = _record(rec, 0, REC_EVENT, E_START, t0, t0)
    t = t0 + sample_guided(cdf, guide, w, s, WAIT, uniform(key, C_WAIT))
    n = _record(rec, n, REC_STAY, S_WAITING, t0, min(t, H))
    spells = 0
    episode = 0
    while t < H:
        base = C_EPISODE + C_PER_EPISODE * episode
        if uniform(key, base) < p_place:
            t1 = t + sample_guided(cdf, guide, w, s, PLACE, uniform(key, base + 1))
            n = _record(rec, n, REC_STAY, S_MEDIATION, t, min(t1, H))
            t = t1
            if t >= H:
                break
            spells += 1
            n = _record(rec, n, REC_EVENT, E_PLACEMENT, t, t)
            length = sample_guided(cdf, guide, w, s, SPELL, uniform(key, base + 2))
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
            t1 = t + sample_guided(cdf, guide, w, s, HOLD, uniform(key, base + 4))
            n = _record(rec, n, REC_STAY, S_ON_HOLD, t, min(t1, H))
            t = t1
            episode += 1
        else:
            t1 = t + sample_guided(cdf, guide, w, s, DROP, uniform(key, base + 1))
            n = _record(rec, n, REC_STAY, S_MEDIATION, t, min(t1, H))
            t = t1
            if t >= H:
                break
            n = _record(rec, n, REC_EVENT, E_DROPOUT, t, t)
            n = _record(rec, n, REC_STAY, S_DROPPED, t, H)
            break
    return n


@njit(**_OPTS)
def _simulate_one(d, row, draw_key, H, diff, occ, events, seg_items, ev_items,
                  row_stream, row_start, row_count,
                  law_code, law_slot, benefit_law_code, benefit_law_slot, pmf_tables,
                  p_place_slot, p_return_slot, max_spells, hours_slot,
                  item_basis, item_amount_slot, item_qty_slot, item_elig_slot, item_org_slot,
                  item_streams, item_worlds, item_capped, item_per_hour, item_scale, item_event,
                  item_state_sched, item_sched, item_month_lo, item_month_hi,
                  sched_origin, sched_break_off, sched_nbreaks, sched_breaks,
                  sched_value_slots, sched_reduction, discount_slot, shift_invariant):
    W, S = law_code.shape[0], law_code.shape[1]
    cdf, bcdf = build_cdfs(row, law_code, law_slot, benefit_law_code, benefit_law_slot, pmf_tables, H)
    # finer guides pay off once a draw has thousands of agents to look up (W3: 4% faster)
    guide, bguide = build_guides(cdf, bcdf, min(8, max(1, row_count.sum() // 2000)))
    bcdf4 = bcdf.reshape(1, bcdf.shape[0], 1, bcdf.shape[1])
    rate = item_rates(row, W, S, item_basis, item_amount_slot, item_qty_slot, item_org_slot, item_per_hour, item_scale,
                      hours_slot)
    sval, snext = schedule_tables(row, H, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots,
                                  sched_reduction)
    I = item_basis.shape[0]
    elig = np.empty(I)
    for i in range(I):
        elig[i] = row[item_elig_slot[i]]
    _add_annual(diff, row, rate, item_basis, item_worlds, item_sched, item_month_lo, item_month_hi,
                sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots, sched_reduction)
    ok = np.ones(I, dtype=np.bool_)
    partial = np.empty(I, dtype=np.int64)  # items only some agents are eligible for
    n_partial = 0
    for i in range(I):
        if elig[i] < 1.0:
            partial[n_partial] = i
            n_partial += 1
    # a life has at most 2 stays and 5 events per episode, and an episode with a job takes a month
    rec = np.empty((8 * (H + 2), 4), np.int64)
    agent = 0
    for r in range(row_stream.shape[0]):
        s = row_stream[r]
        t0 = row_start[r]
        for _ in range(row_count[r]):
            key = stream_key(draw_key, agent)
            agent += 1
            for k in range(n_partial):
                i = partial[k]
                ok[i] = uniform(key, C_ELIGIBLE + i) < elig[i]
            benefit_end = t0 + sample_guided(bcdf4, bguide, 0, s, 0, uniform(key, C_BENEFIT))
            for w in range(W):
                sign = -1.0 if w == 0 else 1.0
                n = _live(rec, key, w, s, t0, H, cdf, guide, row[p_place_slot[w, s]], row[p_return_slot[w, s]],
                          max_spells[w, s])
                for q in range(n):
                    code = rec[q, 1]
                    a = rec[q, 2]
                    if rec[q, 0] == REC_EVENT:
                        # count the event at month a and pay every one-off item tied to it
                        events[w, s, code] += 1.0
                        k = 0
                        while ev_items[w, s, code, k] >= 0:
                            i = ev_items[w, s, code, k]
                            k += 1
                            if not ok[i] or (item_capped[i] and a >= benefit_end):
                                continue
                            v = sign * rate[i, w, s]
                            isj = item_sched[i]
                            if isj != NO_SCHEDULE:
                                v *= sval[isj, a - _origin(sched_origin[isj], a, t0)]
                            diff[i, a] += v
                            diff[i, a + 1] -= v
                        continue
                    # a stay in state `code` over months [a, b): occupancy and every monthly item
                    b = rec[q, 3]
                    if b <= a:
                        continue
                    occ[w, code, a] += 1.0
                    occ[w, code, b] -= 1.0
                    k = 0
                    while seg_items[w, s, code, k] >= 0:
                        i = seg_items[w, s, code, k]
                        k += 1
                        if not ok[i]:
                            continue
                        ssj = item_state_sched[i, code]
                        end = b
                        if item_capped[i] and benefit_end < end:
                            end = benefit_end
                        isj = item_sched[i]
                        m = a
                        while m < end:
                            v = sign * rate[i, w, s]
                            step = end - m
                            if ssj != NO_SCHEDULE:
                                clock = m - _origin(sched_origin[ssj], a, t0)
                                v *= sval[ssj, clock]
                                step = min(step, snext[ssj, clock])
                            if isj != NO_SCHEDULE:
                                clock = m - _origin(sched_origin[isj], a, t0)
                                v *= sval[isj, clock]
                                step = min(step, snext[isj, clock])
                            diff[i, m] += v
                            diff[i, m + step] -= v
                            m += step
    _finish(diff, occ, row, discount_slot, H)


@njit(parallel=True, **_OPTS)
def simulate_draws(values, draw_keys, H, flow, occ, events, seg_items, ev_items, *model):
    """Monte Carlo: fill flow[d], occ[d], events[d] for every row d of ``values``.

    ``seg_items, ev_items`` are ``item_lists(...)`` of the model: the same for every draw.
    """
    for d in prange(values.shape[0]):
        _simulate_one(d, values[d], draw_keys[d], H, flow[d], occ[d], events[d], seg_items, ev_items, *model)


# ----------------------------------------------------------------------------- expected values
@njit(**_OPTS)
def _pmf(cdf, k):
    return cdf[k] - (cdf[k - 1] if k > 0 else 0.0)


@njit(**_OPTS)
def _add_stay_expected(flow, occ, w, s, state, entries, cdf_a, cdf_b, p_a, t0, bcdf_s, sign, row, rate, elig, H,
                       item_basis, item_streams, item_worlds, item_capped, item_state_sched, item_sched,
                       sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots, sched_reduction):
    """Add the expected stay in ``state`` of mass entering at each month.

    A stay entered at t covers month t + d with probability
    p_a * (1 - cdf_a[d]) + (1 - p_a) * (1 - cdf_b[d]).
    """
    I = item_basis.shape[0]
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
            for i in range(I):
                if item_basis[i] != BASIS_MONTHLY or not item_worlds[i, w] or not item_streams[i, s]:
                    continue
                ssj = item_state_sched[i, state]
                if ssj == NOT_IN_STATE:
                    continue
                v = sign * rate[i, w, s] * elig[i] * mass
                if item_capped[i]:
                    v *= 1.0 - bcdf_s[m - t0]
                if ssj != NO_SCHEDULE:
                    f, _ = sched_at(ssj, m - _origin(sched_origin[ssj], t, t0), row, sched_break_off, sched_nbreaks,
                                    sched_breaks, sched_value_slots, sched_reduction)
                    v *= f
                isj = item_sched[i]
                if isj != NO_SCHEDULE:
                    f, _ = sched_at(isj, m - _origin(sched_origin[isj], t, t0), row, sched_break_off, sched_nbreaks,
                                    sched_breaks, sched_value_slots, sched_reduction)
                    v *= f
                flow[i, m] += v


@njit(**_OPTS)
def _add_event_expected(flow, evm, w, s, event, m, mass, t0, bcdf_s, sign, row, rate, elig,
                        item_basis, item_streams, item_worlds, item_capped, item_event, item_sched,
                        sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots, sched_reduction):
    evm[w, s, event, m] += mass
    I = item_basis.shape[0]
    for i in range(I):
        if item_basis[i] != BASIS_EVENT or item_event[i] != event or not item_worlds[i, w] or not item_streams[i, s]:
            continue
        v = sign * rate[i, w, s] * elig[i] * mass
        if item_capped[i]:
            v *= 1.0 - bcdf_s[m - t0]
        isj = item_sched[i]
        if isj != NO_SCHEDULE:
            f, _ = sched_at(isj, m - _origin(sched_origin[isj], m, t0), row, sched_break_off, sched_nbreaks,
                            sched_breaks, sched_value_slots, sched_reduction)
            v *= f
        flow[i, m] += v


@njit(**_OPTS)
def _expected_cohort(flow, occ, evm, s, t0, c, cdf, bcdf_s, rate, elig, row, H, never, med, nxt, work, ends, hold, drop,
                     waiting, p_place_slot, p_return_slot, max_spells,
                     item_basis, item_streams, item_worlds, item_capped, item_event, item_state_sched, item_sched,
                     sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots, sched_reduction):
    """Add the expected life of ``c`` agents of stream s starting at t0, in both worlds."""
    W = p_place_slot.shape[0]
    for w in range(W):
        sign = -1.0 if w == 0 else 1.0
        p = row[p_place_slot[w, s]]
        pr = row[p_return_slot[w, s]]
        _add_event_expected(flow, evm, w, s, E_START, t0, c, t0, bcdf_s, sign, row, rate, elig,
                            item_basis, item_streams, item_worlds, item_capped, item_event, item_sched,
                            sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots, sched_reduction)
        waiting[:] = 0.0
        waiting[t0] = c
        _add_stay_expected(flow, occ, w, s, S_WAITING, waiting, cdf[w, s, WAIT], never, 1.0, t0, bcdf_s, sign, row,
                           rate, elig, H, item_basis, item_streams, item_worlds, item_capped, item_state_sched,
                           item_sched, sched_origin, sched_break_off, sched_nbreaks, sched_breaks,
                           sched_value_slots, sched_reduction)
        med[:] = 0.0
        drop[:] = 0.0
        for k in range(H - t0):
            med[t0 + k] = c * _pmf(cdf[w, s, WAIT], k)
        for episode in range(max_spells[w, s]):
            # mediation: placed with probability p after T months, else drop out after T' months
            _add_stay_expected(flow, occ, w, s, S_MEDIATION, med, cdf[w, s, PLACE], cdf[w, s, DROP], p, t0, bcdf_s,
                               sign, row, rate, elig, H, item_basis, item_streams, item_worlds, item_capped,
                               item_state_sched, item_sched, sched_origin, sched_break_off, sched_nbreaks,
                               sched_breaks, sched_value_slots, sched_reduction)
            work[:] = 0.0
            for t in range(H):
                if med[t] == 0.0:
                    continue
                for k in range(H - t):
                    work[t + k] += med[t] * p * _pmf(cdf[w, s, PLACE], k)
                    drop[t + k] += med[t] * (1.0 - p) * _pmf(cdf[w, s, DROP], k)
            # working: spells of L >= 1 months; success when a spell reaches 12 months
            _add_stay_expected(flow, occ, w, s, S_WORKING, work, cdf[w, s, SPELL], never, 1.0, t0, bcdf_s, sign,
                               row, rate, elig, H, item_basis, item_streams, item_worlds, item_capped,
                               item_state_sched, item_sched, sched_origin, sched_break_off, sched_nbreaks,
                               sched_breaks, sched_value_slots, sched_reduction)
            ends[:] = 0.0
            for t in range(H):
                if work[t] == 0.0:
                    continue
                _add_event_expected(flow, evm, w, s, E_PLACEMENT, t, work[t], t0, bcdf_s, sign, row, rate, elig,
                                    item_basis, item_streams, item_worlds, item_capped, item_event, item_sched,
                                    sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots,
                                    sched_reduction)
                ms = t + SUCCESS_MONTHS - 1
                if ms < H:
                    surv12 = 1.0 - cdf[w, s, SPELL, SUCCESS_MONTHS - 1]
                    _add_event_expected(flow, evm, w, s, E_SUCCESS, ms, work[t] * surv12, t0, bcdf_s, sign, row,
                                        rate, elig, item_basis, item_streams, item_worlds, item_capped, item_event,
                                        item_sched, sched_origin, sched_break_off, sched_nbreaks, sched_breaks,
                                        sched_value_slots, sched_reduction)
                for k in range(1, H - t):
                    ends[t + k] += work[t] * _pmf(cdf[w, s, SPELL], k)
            # after a spell: back via on hold, or drop out
            hold[:] = 0.0
            last = episode + 1 >= max_spells[w, s]
            for t in range(H):
                if ends[t] == 0.0:
                    continue
                _add_event_expected(flow, evm, w, s, E_RELAPSE, t, ends[t], t0, bcdf_s, sign, row, rate, elig,
                                    item_basis, item_streams, item_worlds, item_capped, item_event, item_sched,
                                    sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots,
                                    sched_reduction)
                back = 0.0 if last else pr
                hold[t] += ends[t] * back
                drop[t] += ends[t] * (1.0 - back)
            _add_stay_expected(flow, occ, w, s, S_ON_HOLD, hold, cdf[w, s, HOLD], never, 1.0, t0, bcdf_s, sign,
                               row, rate, elig, H, item_basis, item_streams, item_worlds, item_capped,
                               item_state_sched, item_sched, sched_origin, sched_break_off, sched_nbreaks,
                               sched_breaks, sched_value_slots, sched_reduction)
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
            _add_event_expected(flow, evm, w, s, E_DROPOUT, t, drop[t], t0, bcdf_s, sign, row, rate, elig,
                                item_basis, item_streams, item_worlds, item_capped, item_event, item_sched,
                                sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots,
                                sched_reduction)
        _add_stay_expected(flow, occ, w, s, S_DROPPED, drop, never, never, 1.0, t0, bcdf_s, sign, row, rate, elig, H,
                           item_basis, item_streams, item_worlds, item_capped, item_state_sched, item_sched,
                           sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots,
                           sched_reduction)


@njit(**_OPTS)
def _expected_one(row, H, flow, occ, events,
                  row_stream, row_start, row_count,
                  law_code, law_slot, benefit_law_code, benefit_law_slot, pmf_tables,
                  p_place_slot, p_return_slot, max_spells, hours_slot,
                  item_basis, item_amount_slot, item_qty_slot, item_elig_slot, item_org_slot,
                  item_streams, item_worlds, item_capped, item_per_hour, item_scale, item_event,
                  item_state_sched, item_sched, item_month_lo, item_month_hi,
                  sched_origin, sched_break_off, sched_nbreaks, sched_breaks,
                  sched_value_slots, sched_reduction, discount_slot, shift_invariant):
    W, S = law_code.shape[0], law_code.shape[1]
    cdf, bcdf = build_cdfs(row, law_code, law_slot, benefit_law_code, benefit_law_slot, pmf_tables, H)
    rate = item_rates(row, W, S, item_basis, item_amount_slot, item_qty_slot, item_org_slot, item_per_hour, item_scale,
                      hours_slot)
    I = item_basis.shape[0]
    elig = np.empty(I)
    for i in range(I):
        elig[i] = row[item_elig_slot[i]]
    # annual items go through the difference array, like the Monte Carlo kernel
    annual = np.zeros((I, H + 1))
    _add_annual(annual, row, rate, item_basis, item_worlds, item_sched, item_month_lo, item_month_hi,
                sched_origin, sched_break_off, sched_nbreaks, sched_breaks, sched_value_slots, sched_reduction)
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
    evm = np.zeros((W, S, N_EVENTS, H))
    if shift_invariant:
        # Nothing an agent pays depends on the calendar: a cohort starting at t0 is the cohort
        # starting at 0, shifted by t0 and cut at the horizon. One propagation per stream.
        t_flow = np.zeros((I, H))
        t_occ = np.zeros((W, N_STATES, H))
        t_evm = np.zeros((W, S, N_EVENTS, H))
        for s in range(S):
            first = True
            for r in range(row_stream.shape[0]):
                if row_stream[r] != s:
                    continue
                if first:
                    t_flow[:] = 0.0
                    t_occ[:] = 0.0
                    t_evm[:] = 0.0
                    _expected_cohort(t_flow, t_occ, t_evm, s, 0, 1.0, cdf, bcdf[s], rate, elig, row, H, never, med,
                                     nxt, work, ends, hold, drop, waiting, p_place_slot, p_return_slot, max_spells,
                                     item_basis, item_streams, item_worlds, item_capped, item_event, item_state_sched,
                                     item_sched, sched_origin, sched_break_off, sched_nbreaks, sched_breaks,
                                     sched_value_slots, sched_reduction)
                    first = False
                t0 = row_start[r]
                c = float(row_count[r])
                for m in range(H - t0):
                    for i in range(I):
                        flow[i, t0 + m] += c * t_flow[i, m]
                    for w in range(W):
                        for st in range(N_STATES):
                            occ[w, st, t0 + m] += c * t_occ[w, st, m]
                        for e in range(N_EVENTS):
                            evm[w, s, e, t0 + m] += c * t_evm[w, s, e, m]
    else:
        for r in range(row_stream.shape[0]):
            s = row_stream[r]
            _expected_cohort(flow, occ, evm, s, row_start[r], float(row_count[r]), cdf, bcdf[s], rate, elig, row, H,
                             never, med, nxt, work, ends, hold, drop, waiting, p_place_slot, p_return_slot, max_spells,
                             item_basis, item_streams, item_worlds, item_capped, item_event, item_state_sched,
                             item_sched, sched_origin, sched_break_off, sched_nbreaks, sched_breaks,
                             sched_value_slots, sched_reduction)
    for w in range(W):
        for s in range(S):
            for e in range(N_EVENTS):
                acc = 0.0
                for m in range(H):
                    acc += evm[w, s, e, m]
                events[w, s, e] = acc
    r_disc = row[discount_slot]
    for m in range(H):
        f = (1.0 + r_disc) ** (-m / 12.0)
        for i in range(I):
            flow[i, m] *= f


@njit(parallel=True, **_OPTS)
def expected_draws(values, H, flow, occ, events, *model):
    """Base case (exact expectation over agents): fill flow[d], occ[d], events[d] for every row d."""
    for d in prange(values.shape[0]):
        _expected_one(values[d], H, flow[d], occ[d], events[d], *model)
