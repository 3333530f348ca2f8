"""The re-forecast's model layer (issue 14): ``kernel._live_from``, ``kernel.forecast_draws``
and ``simsav.model.forecast``.

Checked against independent computations: ``_live`` itself (a life from the start), the Monte
Carlo kernel (a draw's own lives cut at a census and continued must give that draw's months
after the census), and the conditional laws computed from ``build_cdfs``' tables.
"""
from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from factories import load, rich_case, uncertain_case
from simsav.codes import (
    DROP, E_DROPOUT, E_PLACEMENT, E_RELAPSE, E_SUCCESS, HOLD, PLACE, S_DROPPED, S_MEDIATION, S_ON_HOLD, S_WAITING,
    S_WORKING, SPELL,
)
from simsav.model.compile import compile_config
from simsav.model.engine import draw_keys, run_monte_carlo
from simsav.model.forecast import census_states, forecast_population, run_forecast
from simsav.model.kernel import REC_EVENT, REC_STAY, _live, _live_from, build_cdfs, build_guides, stream_key
from simsav.model.lives import draw_row_and_key, simulated_lives, truncate

SEED = 11


@njit(cache=False)
def _compare_from_start(cdf, guide, keys, w, s, t0, H, p_place, p_return, max_spells):
    """Return how many keys' lives differ between ``_live`` and ``_live_from`` started at t0."""
    a = np.empty((8 * (H + 2), 4), np.int64)
    b = np.empty((8 * (H + 2), 4), np.int64)
    bad = 0
    for k in range(keys.shape[0]):
        n = _live(a, keys[k], w, s, t0, H, cdf, guide, p_place, p_return, max_spells)
        m = _live_from(b, keys[k], w, s, t0, H, cdf, guide, p_place, p_return, max_spells, S_WAITING, t0, t0 - 1,
                       0, 0)
        if n != m:
            bad += 1
            continue
        for q in range(n):
            if a[q, 0] != b[q, 0] or a[q, 1] != b[q, 1] or a[q, 2] != b[q, 2] or a[q, 3] != b[q, 3]:
                bad += 1
                break
    return bad


@njit(cache=False)
def _first_stays(cdf, guide, keys, s, H, p_place, p_return, max_spells, state, entered, census, spells, episode):
    """Return per key (end of the first stay written, the event ending it or -1)."""
    rec = np.empty((8 * (H + 2), 4), np.int64)
    out = np.full((keys.shape[0], 2), -1, np.int64)
    for k in range(keys.shape[0]):
        n = _live_from(rec, keys[k], 0, s, entered, H, cdf, guide, p_place, p_return, max_spells, state, entered,
                       census, spells, episode)
        q = 0
        while rec[q, 0] != REC_STAY:
            q += 1
        out[k, 0] = rec[q, 3]
        r = q + 1
        while r < n and rec[r, 0] == REC_EVENT:  # the event ending the stay (a success comes before it)
            if rec[r, 2] == rec[q, 3] and rec[r, 1] != E_SUCCESS:
                out[k, 1] = rec[r, 1]
                break
            r += 1
    return out


def _setup(case):
    cfg = load(case())
    model = compile_config(cfg)
    return cfg, model


@pytest.mark.parametrize("case", [rich_case, uncertain_case])
def test_live_from_the_start_is_live(case):
    cfg, model = _setup(case)
    km, H = model.kernel, model.horizon
    rows = model.table.sample(4, SEED, cfg.correlations)
    keys = np.array([stream_key(np.uint64(99), i) for i in range(3000)], np.uint64)
    W, S = km.laws.shape
    for row in rows:
        row = np.ascontiguousarray(row, dtype=float)
        cdf, bcdf = build_cdfs(row, km.law_code, km.law_slot, km.benefits, km.pmf, H)
        guide, _ = build_guides(cdf, bcdf, 1)
        for w in range(W):
            for s in range(S):
                law = km.laws[w, s]
                for t0 in (0, 7):
                    bad = _compare_from_start(cdf, guide, keys, w, s, t0, H, row[law["p_place_slot"]],
                                              row[law["p_return_slot"]], int(law["max_spells"]))
                    assert bad == 0, (w, s, t0)


def _register_of_draw(agents, received, records, census):
    """The program-world lives of a draw as a register at ``census`` has them: the agents started
    by then (renumbered), their rows cut at the census."""
    idx = np.flatnonzero(agents[:, 1] <= census)
    cut = truncate(records, census)
    cut = cut[np.isin(cut[:, 0], idx)]
    renumber = np.full(len(agents), -1)
    renumber[idx] = np.arange(len(idx))
    cut[:, 0] = renumber[cut[:, 0]]
    return idx, (agents[idx], received[idx], cut)


@pytest.mark.parametrize("case", [rich_case, uncertain_case])
def test_a_draw_cut_and_continued_is_the_draw(case):
    cfg, model = _setup(case)
    H = model.horizon
    for d in (0, 5):
        row, agents, received, records = simulated_lives(model, cfg, SEED, d)
        _, key = draw_row_and_key(model, cfg, SEED, d)
        mc = run_monte_carlo(model, row[None], np.array([key]))
        for c in (0, 5, H // 2, H - 2, H - 1):
            idx, lives = _register_of_draw(agents, received, records, c)
            pop = forecast_population(model, lives[0], c)
            assert np.array_equal(pop.slots, idx) and pop.left_out == 0 and pop.extra == 0
            assert np.array_equal(pop.planned, np.flatnonzero(agents[:, 1] > c))
            fo = run_forecast(model, row[None], np.array([key]), lives, c)
            for f in ("occupancy", "events", "working", "flow"):
                assert not getattr(fo, f)[..., :c + 1].any(), f
            for f in ("occupancy", "events", "working"):
                assert np.array_equal(getattr(fo, f)[..., c + 1:], getattr(mc, f)[..., c + 1:]), (d, c, f)
            a, b = fo.flow[..., c + 1:], mc.flow[..., c + 1:]
            assert np.abs(a - b).max(initial=0) <= 1e-9 * max(1.0, np.abs(b).max(initial=0)), (d, c)
            assert np.array_equal(fo.discount, mc.discount)
            if c == H // 2:
                assert (fo.occupancy[0, 0, :, c + 1:].sum(axis=0) > 0).all()  # the register did go on


def test_census_states_of_a_simulated_draw():
    """The census state of every agent, found independently from its full (uncut) life."""
    cfg, model = _setup(rich_case)
    row, agents, received, records = simulated_lives(model, cfg, SEED, 2)
    c = 20
    idx, (ag, _, cut) = _register_of_draw(agents, received, records, c)
    states = census_states(ag, cut, c)
    for j, a in enumerate(idx):
        life = records[records[:, 0] == a]
        stays = life[life[:, 1] == REC_STAY]
        # the stay covering month c (a zero-length stay at c is already over)
        q = [k for k, r in enumerate(stays) if r[3] <= c < r[4] or (r[2] == S_DROPPED and r[3] <= c)][0]
        assert states[j, 0] == stays[q, 2] and states[j, 1] == stays[q, 3]
        assert states[j, 2] == (stays[:q + 1, 2] == S_WORKING).sum()
        assert states[j, 3] == (stays[:q, 2] == S_ON_HOLD).sum()
    assert set(states[:, 0]) >= {S_MEDIATION, S_WORKING, S_DROPPED}


def _check_frequencies(obs, probs, n):
    """Every cell within 5 sigma of its exact probability, and the cells exhaust the law."""
    assert abs(sum(probs.values()) - 1.0) < 1e-12
    assert set(obs) <= set(probs), set(obs) - set(probs)
    for cell, p in probs.items():
        k = obs.get(cell, 0)
        sd = np.sqrt(n * p * (1 - p)) + 1e-9
        assert abs(k - n * p) <= 5 * sd + 1, (cell, k, n * p)


def _tally(out):
    obs = {}
    for end, code in out:
        obs[(int(end), int(code))] = obs.get((int(end), int(code)), 0) + 1
    return obs


def test_conditional_laws():
    cfg, model = _setup(rich_case)
    km, H = model.kernel, model.horizon
    row = np.ascontiguousarray(model.table.point_row(), dtype=float)
    cdf, bcdf = build_cdfs(row, km.law_code, km.law_slot, km.benefits, km.pmf, H)
    guide, _ = build_guides(cdf, bcdf, 1)
    s = 0
    law = km.laws[0, s]
    p, pr, ms = row[law["p_place_slot"]], row[law["p_return_slot"]], int(law["max_spells"])
    n = 40000
    keys = draw_keys(SEED, np.arange(n))
    F = cdf[0, s]

    def pmf(L, k):
        return F[L, k] - (F[L, k - 1] if k > 0 else 0.0)

    # mediation entered at 10, still open at census 14 (e = 4): branch and end jointly
    entered, c = 10, 14
    e = c - entered
    out = _first_stays(cdf, guide, keys, s, H, p, pr, ms, S_MEDIATION, entered, c, 0, 0)
    z = p * (1 - F[PLACE, e]) + (1 - p) * (1 - F[DROP, e])
    probs = {}
    for k in range(e + 1, H - entered):
        probs[(entered + k, E_PLACEMENT)] = p * pmf(PLACE, k) / z
        probs[(entered + k, E_DROPOUT)] = (1 - p) * pmf(DROP, k) / z
    probs[(H, -1)] = (p * (1 - F[PLACE, H - entered - 1]) + (1 - p) * (1 - F[DROP, H - entered - 1])) / z
    _check_frequencies(_tally(out), probs, n)
    # without conditioning the unconditional share placed would be p: the condition moves it
    placed = (out[:, 1] == E_PLACEMENT).mean()
    assert abs(placed - p * (1 - F[PLACE, e]) / z) < 0.02 and abs(placed - p) > 0.05

    # at work since 5 (its second spell), open at 12; on hold since 5, open at 7
    for state, L, nxt in ((S_WORKING, SPELL, E_RELAPSE), (S_ON_HOLD, HOLD, -2)):
        entered, c = 5, 12 if state == S_WORKING else 7
        e = c - entered
        out = _first_stays(cdf, guide, keys, s, H, p, pr, ms, state, entered, c, 2 if state == S_WORKING else 1, 1)
        z = 1 - F[L, e]
        probs = {}
        for k in range(e + 1, H - entered):
            code = nxt if nxt != -2 else -1  # a stay on hold is followed by mediation, no event
            probs[(entered + k, code)] = pmf(L, k) / z
        probs[(H, -1)] = probs.get((H, -1), 0.0) + (1 - F[L, H - entered - 1]) / z
        _check_frequencies(_tally(out), probs, n)


def test_lives_that_agree_are_kept():
    """A participant whose own draw is consistent with the census keeps its life: e = 0 conditions
    nothing away for a stay of length >= 1, so the result is the full life's continuation."""
    cfg, model = _setup(uncertain_case)
    km, H = model.kernel, model.horizon
    row = np.ascontiguousarray(model.table.sample(1, SEED, cfg.correlations)[0], dtype=float)
    cdf, bcdf = build_cdfs(row, km.law_code, km.law_slot, km.benefits, km.pmf, H)
    guide, _ = build_guides(cdf, bcdf, 1)
    law = km.laws[0, 0]
    keys = draw_keys(SEED, np.arange(5000))
    # waiting from t0 = 3, census 3 (e = 0): waits of length 0 are redrawn, the rest equal _live's
    out = _first_stays(cdf, guide, keys, 0, H, row[law["p_place_slot"]], row[law["p_return_slot"]],
                       int(law["max_spells"]), S_WAITING, 3, 3, 0, 0)
    assert (out[:, 0] > 3).all()


def test_no_register_before_the_cohort_is_monte_carlo():
    cfg, model = _setup(uncertain_case)
    values = model.table.sample(3, SEED, cfg.correlations)
    keys = draw_keys(SEED, np.arange(3))
    mc = run_monte_carlo(model, values, keys)
    empty = (np.empty((0, 3), np.int64), np.empty((0, model.kernel.items.shape[0]), bool), np.empty((0, 5), np.int64))
    fo = run_forecast(model, values, keys, empty, -1)
    pop = forecast_population(model, empty[0], -1)
    assert pop.planned.size == model.kernel.cohort["count"].sum() and pop.left_out == 0
    for f in ("occupancy", "events", "working"):
        assert np.array_equal(getattr(fo, f), getattr(mc, f)), f
    np.testing.assert_allclose(fo.flow, mc.flow, rtol=1e-9, atol=1e-9 * np.abs(mc.flow).max())


def test_population_matching():
    cfg, model = _setup(rich_case)
    cohort = model.kernel.cohort
    A = int(cohort["count"].sum())
    starts = np.repeat(cohort["start"], cohort["count"])
    streams = np.repeat(cohort["stream"], cohort["count"])
    c = 3
    s0 = np.flatnonzero((streams == 0) & (starts <= c))
    s1 = np.flatnonzero((streams == 1) & (starts <= c))
    # stream 0: two fewer than planned (given out of order), stream 1: three more
    ag = [(0, int(starts[i]), 48) for i in s0[:-2][::-1]] + [(1, int(starts[i]), 48) for i in s1] + [(1, c, 48)] * 3
    pop = forecast_population(model, np.array(ag), c)
    n0 = len(s0) - 2
    assert np.array_equal(np.sort(pop.slots[:n0]), s0[:-2])
    assert np.array_equal(pop.slots[n0:n0 + len(s1)], s1)
    assert np.array_equal(pop.slots[n0 + len(s1):], np.arange(A, A + 3))
    s2 = np.flatnonzero((streams == 2) & (starts <= c))  # a stream nobody in the register is in: all planned
    assert len(s2) > 0 and pop.left_out == 2 + len(s2) and pop.extra == 3
    # the slots nobody takes are forecast as planned, beside those who start after the census
    unmatched = np.setdiff1d(np.flatnonzero(starts <= c), pop.slots[pop.slots < A])
    assert len(unmatched) == 2 + len(s2)
    assert np.array_equal(pop.planned, np.sort(np.r_[np.flatnonzero(starts > c), unmatched]))


@pytest.mark.parametrize("census", [4, 20, 33])
def test_a_register_of_a_draw_continues_as_the_draw(census):
    """Through the register's own form (``register_of_lives`` -> ``register_lives``): the same census
    states, and the months after the census of the draw it was written from."""
    from simsav.model.lives import register_lives, register_of_lives

    cfg, model = _setup(rich_case)
    row, agents, received, records = simulated_lives(model, cfg, SEED, 1)
    _, key = draw_row_and_key(model, cfg, SEED, 1)
    register = register_of_lives(cfg, model, agents, received, records, census)
    lives = register_lives(register, model)
    known = np.isin(model.item_ids, register.receives_items)
    idx, cut = _register_of_draw(agents, received, records, census)
    assert np.array_equal(census_states(lives[0], lives[2], census), census_states(cut[0], cut[2], census))
    fo = run_forecast(model, row[None], np.array([key]), lives, census, known=known)
    mc = run_monte_carlo(model, row[None], np.array([key]))
    for f in ("occupancy", "events", "working"):
        assert np.array_equal(getattr(fo, f)[..., census + 1:], getattr(mc, f)[..., census + 1:]), f
    np.testing.assert_allclose(fo.flow[..., census + 1:], mc.flow[..., census + 1:], rtol=1e-9,
                               atol=1e-9 * np.abs(mc.flow).max())
