"""Every distribution family reproduces the mean and sd it was given, through simsav's own sampler."""
from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import TypeAdapter
from scipy.stats import spearmanr

from simsav.distributions import Number, describe, point_value
from simsav.params import ParameterTable

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
