"""The likelihood of a register and the posterior of the outcome parameters (issue 14, item 3)."""
from __future__ import annotations

import collections

import numpy as np
import pytest
from factories import load, rich_case, uncertain_case

from simsav.analysis.posterior import importance_weights, posterior, weighted_quantile
from simsav.codes import (
    S_DROPPED,
    S_MEDIATION,
    S_ON_HOLD,
    S_WAITING,
    S_WORKING,
    W_PROGRAM,
)
from simsav.config.register import Register
from simsav.model.compile import compile_config
from simsav.model.kernel import REC_STAY, lives_of_draw
from simsav.model.likelihood import (
    T_NO_RETURN,
    T_RETURN,
    log_likelihood,
    outcome_slots,
    terms_of_lives,
)
from simsav.model.lives import (
    draw_row_and_key,
    register_lives,
    register_of_lives,
    truncate,
)


def _many_lives_case(count=50000):
    """One stream, everyone starting at month 0, every law random (geometric), two spells."""
    d = rich_case()
    d["cohort"] = {"horizon_months": 12, "start": "2024-01"}
    d["streams"] = [dict(d["streams"][0], count=count)]
    d["outcomes"].pop("streams")
    d["outcomes"].update(max_spells=2, job_retention_12m=0.15, return_probability=0.8, months_on_hold=1.0)
    d["items"] = [it for it in d["items"] if it.get("streams") is None][:3]
    return load(d)


def _patterns(records):
    by = collections.defaultdict(list)
    for r in records[records[:, 1] == REC_STAY]:
        by[int(r[0])].append((int(r[2]), int(r[3]), int(r[4])))
    first = {}
    counts = collections.Counter()
    for a, v in by.items():
        counts[tuple(v)] += 1
        first.setdefault(tuple(v), a)
    return counts, first


def test_likelihood_matches_simulated_frequencies():
    cfg = _many_lives_case()
    model = compile_config(cfg)
    row, key = draw_row_and_key(model, cfg, seed=3)
    agents, _, records = lives_of_draw(row, key, model.kernel, W_PROGRAM)
    census = 9
    known = truncate(records, census)
    counts, first = _patterns(known)
    N = len(agents)
    total, checked = 0.0, 0
    pooled = collections.Counter()  # patterns with a stay on hold, and back in mediation after one: seen, expected
    for pattern, n in counts.items():
        a = first[pattern]
        one = known[known[:, 0] == a].copy()
        one[:, 0] = 0
        p = float(np.exp(log_likelihood(model, row[None], (agents[a:a + 1], None, one), census)[0]))
        assert 0 < p <= 1
        total += p
        codes = [code for code, _, _ in pattern]
        if N * p < 5:
            continue  # rare patterns are summed only when seen: pooling them would be biased
        if S_ON_HOLD in codes:
            pooled["hold", "seen"] += n
            pooled["hold", "expected"] += N * p
        if codes.count(S_MEDIATION) == 2:
            pooled["back in mediation", "seen"] += n
            pooled["back in mediation", "expected"] += N * p
        if N * p >= 40:
            checked += 1
            z = (n - N * p) / np.sqrt(N * p * (1 - p))
            assert abs(z) < 4.5, (pattern, n, N * p)
    assert checked >= 30
    for what in ("hold", "back in mediation"):
        seen, expected = pooled[what, "seen"], pooled[what, "expected"]
        assert expected > 200, what
        assert abs(seen - expected) < 4.5 * np.sqrt(expected), (what, seen, expected)
    # the patterns seen carry almost all of the probability, and never more than all of it
    assert 0.97 < total <= 1 + 1e-9


def test_likelihood_of_register_equals_likelihood_of_lives():
    """The register's rebuilt lives and the simulated lives cut at the census give the same terms."""
    cfg = load(rich_case())
    model = compile_config(cfg)
    row, key = draw_row_and_key(model, cfg, seed=5)
    agents, received, records = lives_of_draw(row, key, model.kernel, W_PROGRAM)
    census = 20
    reg = register_of_lives(cfg, model, agents, received, records, census)
    ra, rr, rrec = register_lives(reg, model)
    started = np.flatnonzero(agents[:, 1] <= census)
    known = truncate(records, census)
    known = known[np.isin(known[:, 0], started)]
    ms = model.kernel.laws[W_PROGRAM]["max_spells"]
    a = terms_of_lives(known, agents, census, ms)
    b = terms_of_lives(rrec, ra, census, ms)
    np.testing.assert_array_equal(a, b)
    ll = log_likelihood(model, row[None], (ra, rr, rrec), census)
    assert np.isfinite(ll[0]) and ll[0] < 0


def test_no_return_after_the_last_spell():
    """After the last allowed job spell a job end is a drop-out for sure; a return is impossible."""
    def life(after):
        rows = [(S_WAITING, 0, 0), (S_MEDIATION, 0, 2), (S_WORKING, 2, 4), (after, 4, 10)]
        return np.array([(0, REC_STAY, c, a, b) for c, a, b in rows], np.int64)

    agents = np.zeros((1, 3), np.int64)
    dropped, held = life(S_DROPPED), life(S_ON_HOLD)
    assert T_NO_RETURN in terms_of_lives(dropped, agents, 9, np.array([2]))[:, 1]
    assert T_NO_RETURN not in terms_of_lives(dropped, agents, 9, np.array([1]))[:, 1]
    assert T_RETURN in terms_of_lives(held, agents, 9, np.array([2]))[:, 1]
    cfg = _many_lives_case(10)
    model = compile_config(cfg)
    row = model.table.point_row()
    laws = model.kernel.laws[W_PROGRAM, 0]
    p_return = row[laws["p_return_slot"]]
    assert laws["max_spells"] == 2
    ll_drop, ll_hold = log_likelihood(model, row[None], (agents, None, dropped), 9)[0], \
        log_likelihood(model, row[None], (agents, None, held), 9)[0]
    # the two lives differ only in what follows the job end: 1 - p_return against p_return x P(hold > 5)
    # (hold geometric with mean 1: P(T > 5) = 0.5 ** 6), dropped out being absorbing
    np.testing.assert_allclose(ll_hold - ll_drop, np.log(p_return * 0.5 ** 6) - np.log(1 - p_return))
    with_one = model.kernel._replace(laws=model.kernel.laws.copy())
    with_one.laws["max_spells"] = 1
    from simsav.model.lives import model_with
    one = model_with(model, with_one)
    assert log_likelihood(one, row[None], (agents, None, held), 9)[0] == -np.inf
    np.testing.assert_allclose(log_likelihood(one, row[None], (agents, None, dropped), 9)[0],
                               ll_drop - np.log(1 - p_return))


def _register_at(cfg_dict, p_place, census, seed=11):
    """A register simulated from the uncertain config with placement probability ``p_place``."""
    cfg = load(cfg_dict)
    model = compile_config(cfg)
    row, key = draw_row_and_key(model, cfg, seed=seed)
    row[model.table.slot_of("p_place")] = p_place
    agents, received, records = lives_of_draw(row, key, model.kernel, W_PROGRAM)
    return cfg, register_of_lives(cfg, model, agents, received, records, census)


QUANTILE_LEVELS = (0.05, 0.5, 0.95)


def _bigger_uncertain():
    d = uncertain_case()
    d["streams"][0]["count"] = 200
    return d


@pytest.mark.parametrize("p_place, above", [(0.8, True), (0.3, False)])
def test_posterior_moves_toward_the_truth(p_place, above):
    cfg, reg = _register_at(_bigger_uncertain(), p_place, census=30)
    ds = posterior(cfg, reg, draws=400, seed=1)
    prior, post = float(ds.prior_mean.sel(parameter="p_place")), float(ds.posterior_mean.sel(parameter="p_place"))
    assert (post > prior) if above else (post < prior)
    assert abs(post - p_place) < abs(prior - p_place)
    np.testing.assert_allclose(float(ds.weight.sum()), 1.0)
    assert 1.0 <= ds.attrs["ess"] <= 400
    assert set(ds.parameter.values) == {"p_place", "retention"}  # care_reduction is no outcome parameter
    q = ds.posterior_quantile.sel(parameter="p_place").values
    assert q[0] <= q[1] <= q[2]
    # a 200-person register at month 30: weights alone collapse (ESS < 100 of 400), SMC's draws do not
    assert ds.attrs["method"] == "smc" and ds.attrs["collapsed"] == 1
    assert ds.attrs["stages"] >= 2 and ds.attrs["moves"] >= ds.attrs["stages"]
    temps = [float(t) for t in ds.attrs["temperatures"].split(",")]
    assert temps[-1] == 1 and temps == sorted(temps) and len(temps) == ds.attrs["stages"]
    assert len(ds.attrs["acceptance"].split(",")) == ds.attrs["stages"]
    after = ds.posterior_value.sel(parameter="p_place").values
    np.testing.assert_allclose(post, after.mean())
    assert len(np.unique(after)) > 200  # the moves renewed the draws: not a few prior draws repeated
    assert 0.2 < np.std(after) / float(ds.value.sel(parameter="p_place").std()) < 0.6


@pytest.mark.parametrize("p_place", [0.8, 0.3])
def test_posterior_matches_quadrature(p_place):
    """The register informs p_place and retention only (two rank-correlated uncertain slots): their
    exact posterior is a 2-D integral over the copula's two normals (the prior there N(0, I)), done
    on a 301 x 301 grid. The sequential Monte Carlo draws match its mean, sd and quantiles, where
    the importance weights of the 400 prior draws keep fewer than 20."""
    from simsav.analysis.posterior import register_loglik

    cfg, reg = _register_at(_bigger_uncertain(), p_place, census=30)
    model = compile_config(cfg)
    table = model.table
    ds = posterior(cfg, reg, draws=400, seed=1)
    assert ds.attrs["ess"] < 20 and ds.attrs["method"] == "smc"
    g = np.linspace(-6, 6, 301)
    a, b = (v.ravel() for v in np.meshgrid(g, g, indexing="ij"))
    unc = table.uncertain
    x = np.zeros((a.size, len(unc)))
    x[:, unc.index(table.slot_of("p_place"))] = a
    x[:, unc.index(table.slot_of("retention"))] = b
    rows = table.rows_from_latent(x, cfg.correlations)
    lw = register_loglik(model, reg)(rows) - 0.5 * (a * a + b * b)
    w = np.exp(lw - lw.max())
    w /= w.sum()
    for name in ("p_place", "retention"):
        v = rows[:, table.slot_of(name)]
        mean = w @ v
        sd = np.sqrt(w @ (v - mean) ** 2)
        order = np.argsort(v)
        exact_q = np.interp(QUANTILE_LEVELS, np.cumsum(w[order]), v[order])
        after = ds.posterior_value.sel(parameter=name).values
        msg = f"{name}: SMC {after.mean():.4f} +- {after.std():.4f}, quadrature {mean:.4f} +- {sd:.4f}"
        assert abs(after.mean() - mean) < 0.2 * sd, msg
        assert abs(after.std() / sd - 1) < 0.15, msg
        np.testing.assert_allclose(ds.posterior_quantile.sel(parameter=name).values, exact_q, atol=0.3 * sd,
                                   err_msg=msg)


def test_empty_register_leaves_the_prior():
    """As-of the first month, before anyone has started (a register with no participants yet)."""
    cfg = load(uncertain_case())
    reg = Register("<empty>", cfg.cohort.start, cfg.cohort.horizon_months, 0, (), ())
    ds = posterior(cfg, reg, draws=200, seed=2)
    np.testing.assert_array_equal(ds.log_likelihood.values, 0.0)
    np.testing.assert_allclose(ds.weight.values, 1 / 200)
    assert ds.attrs["ess"] == pytest.approx(200)
    assert not ds.attrs["collapsed"]
    np.testing.assert_allclose(ds.posterior_mean.values, ds.prior_mean.values)
    np.testing.assert_allclose(ds.posterior_quantile.values, ds.prior_quantile.values)
    assert ds.attrs["method"] == "prior" and ds.attrs["stages"] == 0 and ds.attrs["moves"] == 0
    np.testing.assert_array_equal(ds.posterior_value.values, ds.value.values)


def test_collapse_is_reported():
    w, ess = importance_weights(np.array([0.0, -50.0, -60.0, -np.inf]))
    assert ess == pytest.approx(1.0) and w[3] == 0
    cfg, reg = _register_at(_bigger_uncertain(), 0.95, census=40)
    ds = posterior(cfg, reg, draws=30, seed=0)
    assert ds.attrs["ess"] < 100 and ds.attrs["collapsed"] == 1 and "collapsed" in ds.attrs["note"]
    assert ds.attrs["method"] == "smc" and "sequential Monte Carlo" in ds.attrs["note"]
    assert float(ds.posterior_mean.sel(parameter="p_place")) > float(ds.prior_mean.sel(parameter="p_place")) + 0.1


def test_weighted_quantile():
    x = np.array([3.0, 1.0, 2.0, 10.0])
    np.testing.assert_allclose(weighted_quantile(x, np.ones(4), [0.5]), [2.5])
    np.testing.assert_allclose(weighted_quantile(x, np.array([1, 0, 0, 0.0]), [0.05, 0.95]), [3.0, 3.0])
    np.testing.assert_allclose(weighted_quantile(x, np.array([1, 1, 1, 0.0]), [0.5]), [2.0])


def test_outcome_slots_are_the_programs_laws():
    cfg = load(uncertain_case())
    model = compile_config(cfg)
    assert sorted(model.table.params[i].name for i in outcome_slots(model)) == ["p_place", "retention"]


def test_monitor_prints_prior_and_posterior(tmp_path, monkeypatch, small_config):
    from test_register import invoke

    monkeypatch.chdir(tmp_path)
    r = invoke(["register", "simulate", small_config, "--as-of", "2025-01", "--seed", "1", "--out", "reg.csv"])
    assert r.exit_code == 0, r.stderr
    r = invoke(["monitor", small_config, "--register", "reg.csv", "--as-of", "2025-01", "--draws", "200", "--lang", "en"])
    assert r.exit_code == 0, r.stderr
    out = r.stdout.split("Updated parameters: before and after the register")[1]
    assert "200 draws" in out and "after: 5% - 95%" in out
    rows = [line for line in out.splitlines() if line.lower().startswith("chance of a job")]
    assert len(rows) == 1  # p_place, the small config's one uncertain outcome parameter
    r = invoke(["monitor", small_config, "--register", "reg.csv", "--as-of", "2025-01", "--draws", "200", "--lang", "nl"])
    assert r.exit_code == 0 and "Bijgewerkte parameters: voor en na het register" in r.stdout
    r = invoke(["monitor", small_config, "--register", "reg.csv", "--draws", "-3"])
    assert r.exit_code == 2 and "--draws" in r.stderr


def test_posterior_names_are_described():
    from simsav.analysis.posterior import POSTERIOR_DESCRIPTIONS

    cfg = load(uncertain_case())
    reg = Register("<empty>", cfg.cohort.start, cfg.cohort.horizon_months, 0, (), ())
    ds = posterior(cfg, reg, draws=20, seed=0)
    assert set(ds.data_vars) == set(POSTERIOR_DESCRIPTIONS)
    assert all(ds[v].attrs["description"] for v in ds.data_vars)
    rows = compile_config(cfg).table.sample(20, 0, cfg.correlations)  # the draws simsav run makes
    np.testing.assert_array_equal(ds.value.sel(parameter="p_place").values,
                                  rows[:, compile_config(cfg).table.slot_of("p_place")])
