"""Sequential Monte Carlo for the posterior of the parameters (issue 14): the latent space,
exact conjugate posteriors, the degenerate cases, determinism, and simulation-based calibration."""
from __future__ import annotations

import numpy as np
import pytest
from factories import load, rich_case, uncertain_case
from scipy import stats
from scipy.special import betaln, gammaln

from simsav.analysis.smc import POSTERIOR_STREAM, sample_posterior, systematic_resample
from simsav.codes import W_PROGRAM
from simsav.errors import InputError
from simsav.model.compile import compile_config
from simsav.model.engine import AGENT_STREAM, draw_keys
from simsav.model.kernel import lives_of_draw
from simsav.model.likelihood import log_likelihood, outcome_slots
from simsav.model.lives import truncate
from simsav.model.parameters import PARAMETER_STREAM


@pytest.fixture(scope="module")
def beta_case():
    """uncertain_case: p_place ~ beta (rank-correlated with retention), its exact beta shapes."""
    cfg = load(uncertain_case())
    table = compile_config(cfg).table
    slot = table.slot_of("p_place")
    family, (a, b), loc, scale = table.params[slot].dist.scipy_args()
    assert family == "beta" and (loc, scale) == (0.0, 1.0)
    return cfg, table, slot, a, b


def test_latent_rows_are_the_sampled_rows(beta_case):
    cfg, table, _, _, _ = beta_case
    for correlations in (cfg.correlations, ()):
        for first in (0, 7):
            a = table.sample(3000, 5, correlations, first=first)
            x = table.sample_latent(3000, 5, first=first)
            assert x.shape == (3000, len(table.uncertain)) and np.all(np.isfinite(x))
            b = table.rows_from_latent(x, correlations)
            np.testing.assert_array_equal(np.isinf(a), np.isinf(b))
            np.testing.assert_allclose(np.where(np.isinf(a), 0, b), np.where(np.isinf(a), 0, a), rtol=1e-12, atol=0)
    # the latents are independent standard normals: their draws are ndtri of the sampler's uniforms
    x = table.sample_latent(20000, 5)
    assert abs(x.mean()) < 0.01 and abs(x.std() - 1) < 0.01
    np.testing.assert_allclose(np.corrcoef(x.T), np.eye(x.shape[1]), atol=0.03)
    np.testing.assert_array_equal(table.sample_latent(10, 5, first=3), x[3:13])


def test_streams_are_distinct():
    assert len({POSTERIOR_STREAM, PARAMETER_STREAM, AGENT_STREAM, 2, 3}) == 5  # 2, 3: sensitivity's


def test_systematic_resampling_keeps_the_weights():
    rng = np.random.default_rng(0)
    w = rng.random(1000) ** 4
    w /= w.sum()
    idx = systematic_resample(w, rng)
    counts = np.bincount(idx, minlength=1000)
    assert np.all(np.abs(counts - 1000 * w) < 1 + 1e-9)  # each particle floor or ceil of its expectation


def _beta_binomial(slot, n, k):
    def loglik(rows):
        return stats.binom.logpmf(k, n, rows[:, slot])
    return loglik


@pytest.mark.parametrize("n, k", [(20, 15), (2000, 1600)])
def test_beta_binomial_posterior_is_exact(beta_case, n, k):
    """A beta prior on p_place and k of n successes: the posterior is Beta(a + k, b + n - k)
    (the copula's correlation with retention does not change p_place's marginal)."""
    cfg, table, slot, a, b = beta_case
    exact = stats.beta(a + k, b + n - k)
    ps = sample_posterior(table, cfg.correlations, _beta_binomial(slot, n, k), 2000, 3)
    v = ps.rows[:, slot]
    sd = exact.std()
    msg = f"n={n}: mean {v.mean():.4f} vs {exact.mean():.4f}, sd {v.std():.4f} vs {sd:.4f}, {ps.stages} stages"
    assert ps.method == "smc" and ps.temperatures[-1] == 1.0, msg
    assert abs(v.mean() - exact.mean()) < 0.15 * sd, msg
    assert abs(v.std() / sd - 1) < 0.08, msg
    np.testing.assert_allclose(np.quantile(v, [0.05, 0.5, 0.95]), exact.ppf([0.05, 0.5, 0.95]), atol=0.25 * sd,
                               err_msg=msg)
    # the marginal likelihood the stages estimate on the way
    log_z = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + betaln(a + k, b + n - k) - betaln(a, b)
    assert abs(ps.log_evidence - log_z) < 0.3, (ps.log_evidence, log_z)
    # the prior side is simsav run's draws, weighted
    np.testing.assert_array_equal(ps.prior_rows, table.sample(2000, 3, cfg.correlations))
    np.testing.assert_allclose(ps.weights.sum(), 1.0)
    if n == 2000:
        # importance weights alone collapse here (ESS ~10 of 2000) ...
        assert ps.ess_prior < 50 and ps.stages >= 3, (ps.ess_prior, ps.stages)
        # ... while the draws are renewed, not a few prior draws repeated
        assert len(np.unique(v)) > 1500
        assert all(0.15 <= acc <= 0.6 for acc in ps.acceptance[1:]), ps.acceptance
        assert min(ps.stage_ess) >= 0.5 * 2000 - 1 and ps.ess_min <= ps.ess_prior + 1000


def test_impossible_draws_die(beta_case):
    """A likelihood that is 0 below p_place = 0.75 (3% of the prior): the posterior is the beta
    posterior truncated there, reached through the smallest first step."""
    cfg, table, slot, a, b = beta_case
    n, k, cut = 20, 15, 0.75
    inner = _beta_binomial(slot, n, k)

    def loglik(rows):
        return np.where(rows[:, slot] > cut, inner(rows), -np.inf)

    ps = sample_posterior(table, cfg.correlations, loglik, 2000, 4)
    assert 0 < 2000 - ps.impossible < 1000 and ps.temperatures[0] <= 1e-6, (ps.impossible, ps.temperatures)
    v = ps.rows[:, slot]
    assert np.all(v > cut) and np.all(np.isfinite(ps.log_likelihood))
    post = stats.beta(a + k, b + n - k)
    lo = post.cdf(cut)
    exact_q = post.ppf(lo + np.array([0.05, 0.5, 0.95]) * (1 - lo))
    sd = np.std(post.ppf(lo + (np.arange(10000) + 0.5) / 10000 * (1 - lo)))  # the truncated posterior's sd
    np.testing.assert_allclose(np.quantile(v, [0.05, 0.5, 0.95]), exact_q, atol=0.2 * sd)


def test_all_impossible_is_an_input_error(beta_case):
    cfg, table, _, _, _ = beta_case
    with pytest.raises(InputError, match="no parameter draw of the prior can produce this register"):
        sample_posterior(table, cfg.correlations, lambda rows: np.full(len(rows), -np.inf), 50, 0)


def test_constant_likelihood_keeps_the_prior_draws(beta_case):
    cfg, table, slot, _, _ = beta_case
    ps = sample_posterior(table, cfg.correlations, lambda rows: np.full(len(rows), -3.5), 300, 9)
    assert ps.method == "prior" and ps.stages == 0 and ps.moves == 0
    np.testing.assert_array_equal(ps.rows, table.sample(300, 9, cfg.correlations))
    np.testing.assert_allclose(ps.weights, 1 / 300)
    # weights equal to rounding: "importance", still the prior draws in order
    ps = sample_posterior(table, cfg.correlations, lambda rows: 1e-15 * rows[:, slot], 300, 9)
    assert ps.method == "importance"
    np.testing.assert_array_equal(ps.rows, table.sample(300, 9, cfg.correlations))


def test_same_seed_same_draws_whatever_the_blocks(beta_case):
    """The result depends on (inputs, seed, draws) alone: a likelihood evaluated row by row (as a
    worker count or chunking could cut it) gives the very same draws; another seed others."""
    cfg, table, slot, _, _ = beta_case
    ll = _beta_binomial(slot, 400, 300)

    def one_by_one(rows):
        return np.concatenate([ll(rows[i:i + 1]) for i in range(len(rows))])

    a = sample_posterior(table, cfg.correlations, ll, 500, 11)
    b = sample_posterior(table, cfg.correlations, one_by_one, 500, 11)
    c = sample_posterior(table, cfg.correlations, ll, 500, 12)
    np.testing.assert_array_equal(a.rows, b.rows)
    assert a.temperatures == b.temperatures and a.moves == b.moves
    assert not np.array_equal(a.rows, c.rows)


# ----------------------------------------------------------------------------- simulation-based calibration
SBC_REPLICATES = 200
SBC_PARTICLES = 300
SBC_CENSUS = 24


def _sbc_config():
    """One stream of 60 participants starting over a year, the six outcome parameters as
    distributions with moderate spread; census at month 24 of 48."""
    d = rich_case()
    d["streams"] = [dict(d["streams"][0], count=60)]
    d["outcomes"].pop("streams")
    d["outcomes"].update(
        placement_probability={"dist": "beta", "mean": 0.6, "sd": 0.12},
        months_to_placement={"dist": "gamma", "mean": 4.0, "sd": 1.5},
        months_to_dropout={"dist": "gamma", "mean": 10.0, "sd": 3.0},
        job_retention_12m={"dist": "beta", "mean": 0.55, "sd": 0.12},
        return_probability={"dist": "beta", "mean": 0.6, "sd": 0.15},
        months_on_hold={"dist": "lognormal", "mean": 2.5, "sd": 1.0},
    )
    return load(d)


def _sbc_ranks(sampler):
    """Per replicate and outcome parameter: the share of the posterior draws below the true value
    (the normalised rank; uniform on (0, 1) when the posterior is calibrated), the posterior's
    mean and variance, the true value; and the prior's variance (20,000 draws)."""
    cfg = _sbc_config()
    model = compile_config(cfg)
    table = model.table
    slots = outcome_slots(model)
    truth = table.sample(SBC_REPLICATES, 101, cfg.correlations)
    keys = draw_keys(202, np.arange(SBC_REPLICATES))
    prior_var = table.sample(20000, 7, cfg.correlations)[:, slots].var(axis=0)
    q = np.empty((SBC_REPLICATES, len(slots)))
    mean, var = np.empty_like(q), np.empty_like(q)
    for r in range(SBC_REPLICATES):
        agents, received, records = lives_of_draw(np.ascontiguousarray(truth[r]), keys[r], model.kernel, W_PROGRAM)
        lives = (agents, received, truncate(records, SBC_CENSUS))

        def loglik(rows, lives=lives):
            return log_likelihood(model, rows, lives, SBC_CENSUS)

        out = sampler(table, cfg.correlations, loglik, 1000 + r)
        rows, w = out if isinstance(out, tuple) else (out, None)
        post = rows[:, slots]
        w = np.full(len(post), 1.0 / len(post)) if w is None else w
        t = truth[r, slots]
        q[r] = w @ (post < t) + 0.5 * (w @ (post == t))
        mean[r] = w @ post
        var[r] = w @ (post - mean[r]) ** 2
    names = [table.params[s].name for s in slots]
    return names, q, {"mean": mean, "var": var, "truth": truth[:, slots], "prior_var": prior_var}


def _coverage(q):
    return {"50%": np.mean((q > 0.25) & (q < 0.75), axis=0), "90%": np.mean((q > 0.05) & (q < 0.95), axis=0)}


def _miscalibrated(q):
    """Per parameter: the interval coverages more than 3 binomial sd from nominal."""
    R = q.shape[0]
    bad = np.zeros(q.shape[1], bool)
    for p, cov in zip((0.5, 0.9), _coverage(q).values()):
        bad |= np.abs(cov - p) > 3 * np.sqrt(p * (1 - p) / R)
    return bad


def test_simulation_based_calibration():
    """Registers simulated from parameters drawn from the prior: the posterior's central 50% and
    90% intervals cover the true value at their nominal rates for every outcome parameter, and
    the ranks are uniform (chi-square, 10 bins). Two moment identities of a calibrated posterior
    hold as well: the law of total variance, E[Var(theta | y)] + Var(E[theta | y]) = Var(theta)
    (a sampler that is too wide or too narrow breaks it), and E[(E[theta | y] - theta)^2] =
    E[Var(theta | y)]. The posteriors are narrower than the prior (a sampler returning the prior
    draws would pass coverage but fail that)."""
    def smc(table, correlations, loglik, seed):
        # the path simsav monitor takes: only the latent columns the likelihood reads move, and
        # when the importance weights keep half the draws those weighted draws are the posterior
        from simsav.analysis.posterior import after_draws

        slots = outcome_slots(compile_config(_sbc_config()))
        rows, w, _ = after_draws(sample_posterior(table, correlations, loglik, SBC_PARTICLES, seed, reads=slots))
        return rows, w

    names, q, m = _sbc_ranks(smc)
    R = SBC_REPLICATES
    cov = _coverage(q)
    total = (m["var"].mean(axis=0) + m["mean"].var(axis=0)) / m["prior_var"]
    error = ((m["mean"] - m["truth"]) ** 2).mean(axis=0) / m["var"].mean(axis=0)
    shrink = np.sqrt(m["var"].mean(axis=0) / m["prior_var"])
    chi2 = [float(((h - R / 10) ** 2 / (R / 10)).sum())
            for h in (np.histogram(q[:, k], bins=10, range=(0, 1))[0] for k in range(len(names)))]
    report = "\n".join(
        f"{name}: 50% {cov['50%'][k]:.3f}, 90% {cov['90%'][k]:.3f}, rank chi2 {chi2[k]:.1f} "
        f"(p {stats.chi2.sf(chi2[k], 9):.3f}), total variance / prior {total[k]:.3f}, "
        f"squared error / posterior variance {error[k]:.3f}, posterior sd / prior sd {shrink[k]:.2f}"
        for k, name in enumerate(names))
    print(report)
    for k, name in enumerate(names):
        for p, c in zip((0.5, 0.9), (cov["50%"][k], cov["90%"][k])):
            assert abs(c - p) <= 3 * np.sqrt(p * (1 - p) / R), f"{name} {p:.0%} coverage {c:.3f}\n{report}"
        assert stats.chi2.sf(chi2[k], 9) > 1e-3, f"{name} ranks not uniform\n{report}"
        # both ratios are 1 for a calibrated posterior; over 200 replicates each is known to ~10%
        assert abs(total[k] - 1) < 0.3, f"{name} law of total variance\n{report}"
        assert abs(error[k] - 1) < 0.3, f"{name} squared error vs posterior variance\n{report}"
    assert shrink[names.index("outcomes.placement_probability")] < 0.8, report
    assert shrink[names.index("outcomes.months_to_placement")] < 0.8, report


def test_calibration_check_catches_collapsed_weights():
    """The same check fails a sampler that resamples the prior draws by their importance weights
    (what the weights alone give at this data size: a handful of draws, intervals far too narrow)."""
    def importance(table, correlations, loglik, seed):
        rows = table.sample(SBC_PARTICLES, seed, correlations)
        ll = loglik(rows)
        w = np.exp(ll - ll.max())
        w /= w.sum()
        return rows[systematic_resample(w, np.random.default_rng(seed))]

    _, q, _ = _sbc_ranks(importance)
    assert _miscalibrated(q).sum() >= 3, _coverage(q)
