"""Every distribution family reproduces the mean and sd it was given, through simsav's own sampler,
and has scipy.stats's mean, support and quantiles to the last bit without the config needing scipy.stats."""
from __future__ import annotations

import math
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import pytest
from pydantic import TypeAdapter
from scipy.stats import spearmanr

from simsav.config.distributions import Number, describe, point_value
from simsav.model.parameters import ParameterTable

from conftest import CONFIG_DIR

N = 200_000
NUMBER = TypeAdapter(Number)

# (spec, stated mean, stated sd)
CASES = [
    ({"dist": "uniform", "low": 2, "high": 6}, 4.0, 4 / math.sqrt(12)),
    ({"dist": "triangular", "low": 0, "mode": 1, "high": 5}, 2.0, math.sqrt((0 + 1 + 25 - 0 - 0 - 5) / 18)),
    ({"dist": "pert", "low": 0, "mode": 2, "high": 6}, (0 + 4 * 2 + 6) / 6, None),
    ({"dist": "normal", "mean": 10, "sd": 2}, 10.0, 2.0),
    ({"dist": "lognormal", "mean": 12000, "sd": 3000}, 12000.0, 3000.0),
    ({"dist": "gamma", "mean": 4, "sd": 1.5}, 4.0, 1.5),
    ({"dist": "beta", "mean": 0.44, "sd": 0.07}, 0.44, 0.07),
    ({"dist": "beta", "alpha": 2, "beta": 6}, 0.25, math.sqrt(2 * 6 / (8**2 * 9))),
    ({"dist": "beta", "mean": 30, "sd": 5, "low": 10, "high": 60}, 30.0, 5.0),
    ({"dist": "discrete", "values": [1, 2, 10], "probabilities": [0.5, 0.3, 0.2]}, 3.1, math.sqrt(0.5 * 1 + 0.3 * 4 + 0.2 * 100 - 3.1**2)),
    ({"dist": "fixed", "value": 3.5}, 3.5, 0.0),
]


def _sample(spec, n=N, seed=0):
    table = ParameterTable()
    table.add("x", NUMBER.validate_python(spec))
    return table.sample(n, seed)[:, 0]


@pytest.mark.parametrize("spec,mean,sd", CASES, ids=[c[0]["dist"] for c in CASES])
def test_distribution_reproduces_its_stated_mean_and_sd(spec, mean, sd):
    x = _sample(spec)
    scale = sd if sd else 1.0
    assert x.mean() == pytest.approx(mean, abs=5 * scale / math.sqrt(N) + 1e-12)
    if sd is not None:
        assert x.std() == pytest.approx(sd, rel=0.02, abs=1e-12)


def test_pert_sd_matches_its_beta_form():
    x = _sample({"dist": "pert", "low": 0, "mode": 2, "high": 6})
    a, b = 1 + 4 * 2 / 6, 1 + 4 * 4 / 6
    sd = 6 * math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    assert x.std() == pytest.approx(sd, rel=0.02)


def test_truncated_normal_stays_in_its_bounds():
    x = _sample({"dist": "normal", "mean": 0.5, "sd": 0.3, "low": 0, "high": 1})
    assert x.min() >= 0 and x.max() <= 1
    assert x.mean() == pytest.approx(0.5, abs=0.005)  # symmetric truncation keeps the mean


def test_point_is_the_source_value_else_the_mean():
    assert point_value(NUMBER.validate_python({"dist": "triangular", "low": 0.3, "mode": 0.5, "high": 0.6})) == pytest.approx(1.4 / 3)
    assert point_value(NUMBER.validate_python({"dist": "triangular", "low": 0.3, "mode": 0.5, "high": 0.6, "point": 0.5})) == 0.5
    assert point_value(0.25) == 0.25


@pytest.mark.parametrize("spec,message", [
    ({"dist": "beta", "mean": 0.5, "sd": 0.6}, "no beta distribution has mean 0.5 and sd 0.6"),
    ({"dist": "normal", "mean": 1, "sd": -1}, "sd must be positive"),
    ({"dist": "uniform", "low": 3, "high": 1}, "low (3.0) must be below high (1.0)"),
    ({"dist": "triangular", "low": 0, "mode": 2, "high": 1}, "mode (2.0) must lie between"),
    ({"dist": "gamma", "mean": -1, "sd": 1}, "mean must be positive"),
    ({"dist": "discrete", "values": [1, 2], "probabilities": [0.5, 0.4]}, "sum to 0.9"),
    ({"dist": "uniform", "low": 0, "high": 1, "point": 2}, "outside the distribution's range"),
])
def test_impossible_parameters_are_rejected_with_a_reason(spec, message):
    with pytest.raises(Exception) as err:
        NUMBER.validate_python(spec)
    assert message in str(err.value)


def test_rank_correlation_is_applied_and_marginals_keep_their_shape():
    from simsav.config import Correlation

    table = ParameterTable()
    table.add("a", NUMBER.validate_python({"dist": "beta", "mean": 0.5, "sd": 0.1, "name": "a"}))
    table.add("b", NUMBER.validate_python({"dist": "lognormal", "mean": 100, "sd": 40, "name": "b"}))
    x = table.sample(50_000, 3, [Correlation(between=["a", "b"], rank=0.6)])
    assert spearmanr(x[:, 0], x[:, 1]).statistic == pytest.approx(0.6, abs=0.02)
    assert x[:, 0].mean() == pytest.approx(0.5, abs=0.003) and x[:, 0].std() == pytest.approx(0.1, rel=0.03)
    assert x[:, 1].mean() == pytest.approx(100, rel=0.01) and x[:, 1].std() == pytest.approx(40, rel=0.04)


def test_sampling_is_prefix_stable():
    spec = {"dist": "gamma", "mean": 4, "sd": 1}
    np.testing.assert_array_equal(_sample(spec, 10, 7), _sample(spec, 1000, 7)[:10])


def test_describe_is_short_and_readable():
    assert describe(NUMBER.validate_python({"dist": "beta", "mean": 0.5, "sd": 0.1})) == "beta(mean=0.5, sd=0.1, low=0, high=1)"


# ----------------------------------------------------------------------------- the same numbers as scipy.stats
# The config's distributions compute mean and support without scipy, and simsav.model.sampling
# computes quantiles with scipy.special; both must be scipy.stats's to the last bit, so that a
# config and its results mean the same whichever way they were computed.
FAMILY_CASES = 25
# ParameterTable.sample clips its uniforms to [1e-12, 1 - 1e-12]: the quantiles of that range
PROBABILITIES = np.concatenate([
    np.random.default_rng(11).random(400), np.geomspace(1e-12, 1e-3, 30), 1 - np.geomspace(1e-12, 1e-3, 30),
    [1e-12, 0.5, 1 - 1e-12],
])


def _random_specs(family: str, rng: np.random.Generator, n: int = FAMILY_CASES) -> list[dict]:
    """Return ``n`` random, valid parameter sets of one family, over many orders of magnitude."""
    specs = []
    for _ in range(n):
        low = float(rng.normal(0, 10 ** rng.uniform(-1, 4)))
        width = float(10 ** rng.uniform(-3, 4))
        where = float(rng.random())
        mean, sd = float(rng.normal(0, 10 ** rng.uniform(-1, 4))), float(10 ** rng.uniform(-2, 3))
        positive = float(10 ** rng.uniform(-2, 5))
        spread = float(10 ** rng.uniform(-2, 0.5))
        m, s = float(rng.uniform(0.02, 0.98)), float(rng.uniform(0.05, 0.95))
        specs.append({
            "uniform": {"dist": "uniform", "low": low, "high": low + width},
            "triangular": {"dist": "triangular", "low": low, "mode": low + where * width, "high": low + width},
            "triangular at an end": {"dist": "triangular", "low": low, "mode": low + width * (where > 0.5),
                                     "high": low + width},
            "pert": {"dist": "pert", "low": low, "mode": low + where * width, "high": low + width,
                     "shape": float(rng.uniform(0.5, 8))},
            "normal": {"dist": "normal", "mean": mean, "sd": sd},
            "normal truncated both sides": {"dist": "normal", "mean": mean, "sd": sd,
                                            "low": mean - sd * float(rng.uniform(0.1, 3)),
                                            "high": mean + sd * float(rng.uniform(0.1, 3))},
            "normal truncated below": {"dist": "normal", "mean": mean, "sd": sd,
                                       "low": mean + sd * float(rng.uniform(-3, 1))},
            "normal truncated above": {"dist": "normal", "mean": mean, "sd": sd,
                                       "high": mean + sd * float(rng.uniform(-1, 3))},
            "lognormal": {"dist": "lognormal", "mean": positive, "sd": positive * spread},
            "gamma": {"dist": "gamma", "mean": positive, "sd": positive * spread},
            "beta by alpha and beta": {"dist": "beta", "alpha": float(10 ** rng.uniform(-1, 2)),
                                       "beta": float(10 ** rng.uniform(-1, 2))},
            "beta by mean and sd": {"dist": "beta", "mean": m, "sd": s * math.sqrt(m * (1 - m))},
            "beta by mean and sd on low..high": {"dist": "beta", "mean": low + m * width,
                                                 "sd": s * math.sqrt(m * (1 - m)) * width,
                                                 "low": low, "high": low + width},
        }[family])
    return specs


SCIPY_FAMILIES = ["uniform", "triangular", "triangular at an end", "pert", "normal", "normal truncated both sides",
                  "normal truncated below", "normal truncated above", "lognormal", "gamma", "beta by alpha and beta",
                  "beta by mean and sd", "beta by mean and sd on low..high"]


@pytest.fixture(scope="module", params=SCIPY_FAMILIES)
def family_cases(request):
    """Return (spec, distribution, its frozen scipy.stats distribution) for random parameter sets of one family."""
    rng = np.random.default_rng(SCIPY_FAMILIES.index(request.param))
    out = []
    for spec in _random_specs(request.param, rng):
        dist = NUMBER.validate_python(spec)
        out.append((spec, dist, dist.scipy()))
    return out


def test_mean_is_scipys_to_the_last_bit(family_cases):
    for spec, dist, frozen in family_cases:
        assert dist.mean_value() == float(frozen.mean()), spec


def test_support_is_scipys_to_the_last_bit(family_cases):
    for spec, dist, frozen in family_cases:
        assert dist.support() == tuple(map(float, frozen.support())), spec


def test_point_without_a_given_point_is_the_mean(family_cases):
    for spec, dist, frozen in family_cases:
        assert point_value(dist) == float(frozen.mean()), spec


def test_quantiles_are_scipys_to_the_last_bit(family_cases):
    from simsav.model import sampling

    for spec, dist, frozen in family_cases:
        q = sampling.ppf(dist, PROBABILITIES)
        assert np.all(np.isfinite(q)), spec
        assert np.array_equal(q, frozen.ppf(PROBABILITIES)), spec


DISCRETE = [
    {"dist": "discrete", "values": [1, 2, 10], "probabilities": [0.5, 0.3, 0.2]},
    {"dist": "discrete", "values": [10, -2, 1], "probabilities": [0.2, 0.3, 0.5]},  # in any order
    {"dist": "discrete", "values": [3, 7, 8, 12]},  # equally likely
    {"dist": "discrete", "values": [0.25]},
    {"dist": "discrete", "values": [5, 6, 7], "probabilities": [0.2, 0.0, 0.8]},  # a value of no chance
]


@pytest.mark.parametrize("spec", DISCRETE, ids=[str(s["values"]) for s in DISCRETE])
def test_discrete_follows_its_own_definition(spec):
    from simsav.model import sampling

    dist = NUMBER.validate_python(spec)
    values = np.asarray(spec["values"], dtype=float)
    probs = np.asarray(spec.get("probabilities") or [1 / len(values)] * len(values))
    assert dist.mean_value() == pytest.approx(float(np.dot(values, probs)), rel=1e-15, abs=1e-15)
    assert point_value(dist) == dist.mean_value()
    assert dist.support() == (values.min(), values.max())
    # ppf: the smallest value whose cumulative probability reaches u, so a regular grid of M
    # probabilities lands on each value in proportion to its probability, to within 1 / M
    grid = (np.arange(100_000) + 0.5) / 100_000
    q = sampling.ppf(dist, grid)
    assert set(np.unique(q)) <= set(values[probs > 0])
    for v in np.unique(values):
        assert np.mean(q == v) == pytest.approx(probs[values == v].sum(), abs=1 / 100_000)
    assert sampling.ppf(dist, [1e-12])[0] == values[probs > 0].min()
    assert sampling.ppf(dist, [1 - 1e-12])[0] == values[probs > 0].max()


def test_fixed_is_its_value_everywhere():
    from simsav.model import sampling

    for value in (0.0, -3.5, 12_000.0):
        dist = NUMBER.validate_python({"dist": "fixed", "value": value})
        assert (dist.mean_value(), point_value(dist), dist.support()) == (value, value, (value, value))
        np.testing.assert_array_equal(sampling.ppf(dist, PROBABILITIES), np.full(PROBABILITIES.shape, value))


def test_a_config_and_its_distributions_need_no_scipy_stats():
    """Loading configs and asking a distribution its mean, support and point imports no scipy.stats
    (it takes most of a second). A truncated normal's mean is the one exception: that one is
    scipy's (simsav.config.distributions.Normal.mean_value), so it is not asked here."""
    specs = [s for family in SCIPY_FAMILIES for s in _random_specs(family, np.random.default_rng(0), 2)]
    specs += DISCRETE + [{"dist": "fixed", "value": 2.0}]
    script = textwrap.dedent(f"""
        import sys
        from pydantic import TypeAdapter
        import simsav.config
        from simsav.config.distributions import Number, point_value
        for name in ("twente", "drechtsteden", "holland-rijnland"):
            simsav.config.load_config({str(CONFIG_DIR)!r} + "/" + name + ".toml")
        adapter = TypeAdapter(Number)
        for spec in {specs!r}:
            dist = adapter.validate_python(spec)
            dist.support()
            truncated = spec["dist"] == "normal" and ("low" in spec or "high" in spec)
            if not truncated:
                dist.mean_value(), point_value(dist)
            adapter.validate_python(dict(spec, point=dist.support()[0] if truncated else dist.mean_value()))
        loaded = sorted(m for m in sys.modules if m.startswith("scipy.stats"))
        assert not loaded, loaded
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tempfile.gettempdir())
    assert done.returncode == 0, done.stderr
