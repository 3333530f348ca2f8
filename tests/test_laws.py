"""Each law of event times alone: the table of P(T <= k), k = 0..H, that ``fill_cdf`` writes.

Every law is held to its contract (the definitions in ``simsav.model.kernel.fill_cdf``, and
MODEL.md for the job retention), to the scipy.stats distribution it is where there is one
(whole tables, to 1e-12), and then sampled: ``sample_months`` and ``sample_guided`` turn the
kernel's own uniforms into months, whose empirical distribution must be the table's. What a
table leaves below 1 at k = H is the chance of "not within the horizon"; the samplers return
month H + 1 for it, and that outcome is checked like any other.

The sampling checks are statistical but deterministic: fixed uniforms (a fixed key of the
kernel's counter-based generator), so they pass or fail the same way on every run.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit
from scipy import stats

from simsav.codes import (
    LAW_FIXED, LAW_GEOMETRIC, LAW_NEVER, LAW_SPELL_PMF, LAW_SPELL_RETENTION, LAW_UNIFORM, LAW_ZERO, PLACE,
    SPELL, SUCCESS_MONTHS, W_COUNTERFACTUAL, W_PROGRAM,
)
from simsav.model.kernel import build_cdfs, build_guides, fill_cdf, sample_guided, sample_months, stream_key, uniform

H = 36
NO_PMF = np.zeros((1, H + 2))
MONTHS = np.arange(H + 1)
TABLE_ATOL = 1e-12


def law(code: int, value: float, pmf: np.ndarray = NO_PMF, horizon: int = H) -> np.ndarray:
    """Return the table ``fill_cdf`` writes for one law: P(T <= k), k = 0..horizon."""
    out = np.full(horizon + 1, np.nan)
    fill_cdf(out, code, float(value), horizon, pmf)
    return out


def probabilities(cdf: np.ndarray) -> np.ndarray:
    """Return P(T = k), k = 0..H, and last P(T > H): the outcomes a sampler returns, in order."""
    return np.diff(np.r_[0.0, cdf, 1.0])


def survival_sum(cdf: np.ndarray) -> float:
    """Return sum_k P(T > k): the mean of T when the table is long enough to hold (nearly) all of it."""
    return float(np.sum(1.0 - cdf))


def assert_constant_hazard(cdf: np.ndarray, h: float) -> None:
    """P(T > k) / P(T > k - 1) = 1 - h for every k, wherever P(T > k) is large enough to be read
    back from 1 - cdf without losing digits."""
    survival = 1.0 - cdf
    readable = survival[1:] > 1e-5
    np.testing.assert_allclose(survival[1:][readable] / survival[:-1][readable], 1.0 - h, rtol=1e-9)


def assert_is_a_table(cdf: np.ndarray) -> None:
    """A table of P(T <= k): no NaN left, within [0, 1], never decreasing."""
    assert np.all(np.isfinite(cdf))
    assert np.all((cdf >= 0.0) & (cdf <= 1.0))
    assert np.all(np.diff(cdf) >= 0.0)


# ----------------------------------------------------------------------------- zero and never
@pytest.mark.parametrize("value", [0.0, 3.5, 40.0, math.inf])
def test_zero_law_ends_in_month_zero_whatever_its_value(value):
    cdf = law(LAW_ZERO, value)
    assert_is_a_table(cdf)
    np.testing.assert_array_equal(probabilities(cdf), np.r_[1.0, np.zeros(H + 1)])


@pytest.mark.parametrize("value", [0.0, 3.5])
def test_never_law_puts_everything_beyond_the_horizon(value):
    cdf = law(LAW_NEVER, value)
    assert_is_a_table(cdf)
    np.testing.assert_array_equal(probabilities(cdf), np.r_[np.zeros(H + 1), 1.0])


@pytest.mark.parametrize("code", [LAW_FIXED, LAW_GEOMETRIC, LAW_UNIFORM])
def test_an_unlimited_duration_never_ends_within_the_horizon(code):
    """An infinite mean (a benefit that runs on) is the never law, whatever its family."""
    np.testing.assert_array_equal(law(code, math.inf), law(LAW_NEVER, 0.0))


# ----------------------------------------------------------------------------- fixed
FIXED = [0.0, 1.0, 2.5, 4.25, 7.999, 12.0, 35.5, 36.0, 36.5, 40.0]


@pytest.mark.parametrize("value", FIXED)
def test_fixed_law_mixes_the_two_nearest_whole_months_so_the_mean_is_exact(value):
    cdf = law(LAW_FIXED, value)
    assert_is_a_table(cdf)
    p = probabilities(cdf)
    lo, hi = math.floor(value), math.ceil(value)
    within = [k for k in (lo, hi) if k <= H]
    # only the two nearest whole months (one when the value is whole) can happen
    assert set(np.flatnonzero(p[: H + 1])) <= set(within)
    if hi <= H:
        assert p[H + 1] == 0.0
        assert float(np.dot(MONTHS, p[: H + 1])) == pytest.approx(value, abs=1e-12)
        assert survival_sum(cdf) == pytest.approx(value, abs=1e-12)
    else:  # the later month lies beyond the horizon and takes its share with it
        assert p[H + 1] == pytest.approx(1.0 if lo > H else value - lo, abs=1e-12)


@pytest.mark.parametrize("value", FIXED)
def test_fixed_law_is_scipys_bernoulli_shifted_to_the_lower_month(value):
    lo = math.floor(value)
    reference = stats.bernoulli(value - lo, loc=lo)
    np.testing.assert_allclose(law(LAW_FIXED, value), reference.cdf(MONTHS), rtol=0, atol=TABLE_ATOL)


# ----------------------------------------------------------------------------- geometric
GEOMETRIC = [0.0, 0.5, 1.0, 3.7, 6.0, 12.0, 30.0, 100.0]


@pytest.mark.parametrize("value", GEOMETRIC)
def test_geometric_law_has_mean_value_and_a_constant_monthly_chance_of_ending(value):
    long = 4000  # long enough that what lies beyond is below rounding, so sum P(T > k) is the mean
    cdf = law(LAW_GEOMETRIC, value, horizon=long)
    assert_is_a_table(cdf)
    assert survival_sum(cdf) == pytest.approx(value, rel=1e-9, abs=1e-12)
    # T starts at 0: the chance of ending in month 0 is the monthly chance h = 1 / (1 + mean)
    h = 1.0 / (1.0 + value)
    assert cdf[0] == pytest.approx(h, rel=1e-15)
    assert_constant_hazard(cdf, h)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # scipy's log of 1 - p at p = 1
@pytest.mark.parametrize("value", GEOMETRIC)
def test_geometric_law_is_scipys_geom_on_0_1_2(value):
    reference = stats.geom(1.0 / (1.0 + value), loc=-1)  # scipy's geom counts trials from 1
    np.testing.assert_allclose(law(LAW_GEOMETRIC, value), reference.cdf(MONTHS), rtol=0, atol=TABLE_ATOL)


# ----------------------------------------------------------------------------- uniform
UNIFORM = [0.5, 1.0, 9.0, 18.0, 24.0, 30.5, 36.0, 50.0]


@pytest.mark.parametrize("value", UNIFORM)
def test_uniform_law_is_the_whole_months_paid_while_k_below_a_continuous_uniform(value):
    """D ~ U(0, value) months, paid in month k while k < D: the months paid, ceil(D), have
    P(ceil(D) <= k) = k / value. Checked on D itself, drawn by numpy."""
    cdf = law(LAW_UNIFORM, value)
    assert_is_a_table(cdf)
    d = np.random.default_rng(20240601).uniform(0.0, value, 200_000)
    months_paid = np.minimum(np.ceil(d).astype(np.int64), H + 1)
    assert_sample_follows(months_paid, cdf)


@pytest.mark.parametrize("value", UNIFORM)
def test_uniform_law_is_scipys_uniform_at_whole_months(value):
    np.testing.assert_allclose(law(LAW_UNIFORM, value), stats.uniform(0.0, value).cdf(MONTHS), rtol=0,
                               atol=TABLE_ATOL)
    if value == int(value):  # then ceil(D) is uniform on 1..value: scipy's randint
        np.testing.assert_allclose(law(LAW_UNIFORM, value), stats.randint(1, int(value) + 1).cdf(MONTHS), rtol=0,
                                   atol=TABLE_ATOL)


@pytest.mark.parametrize("value", [0.0, -3.0])
def test_uniform_law_of_no_duration_ends_in_month_zero(value):
    np.testing.assert_array_equal(law(LAW_UNIFORM, value), law(LAW_ZERO, 0.0))


# ----------------------------------------------------------------------------- spell lengths from a retention
RETENTION = [0.0, 0.05, 0.3, 0.5, 0.55, 0.8, 0.97, 1.0]


def monthly_relapse_hazard(q: float) -> float:
    """Return r with (1 - r)^11 = q (MODEL.md), by logarithms rather than the kernel's power."""
    return 1.0 if q == 0 else -math.expm1(math.log(q) / (SUCCESS_MONTHS - 1))


@pytest.mark.parametrize("q", RETENTION)
def test_spell_retention_law_has_spells_of_a_month_or_more_and_p_12_months_is_q(q):
    cdf = law(LAW_SPELL_RETENTION, q)
    assert_is_a_table(cdf)
    assert cdf[0] == 0.0  # a spell's first month counts as month 1
    # P(L >= 12) = P(L > 11) = q: a share q of the spells reaches SUCCESS_MONTHS months of work
    assert 1.0 - cdf[SUCCESS_MONTHS - 1] == pytest.approx(q, abs=1e-12)
    # a constant monthly relapse hazard from month 1 on
    assert_constant_hazard(cdf[1:], monthly_relapse_hazard(q))


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # scipy's log of 1 - p at p = 1
@pytest.mark.parametrize("q", [x for x in RETENTION if x < 1])
def test_spell_retention_law_is_scipys_geom_from_month_1(q):
    reference = stats.geom(monthly_relapse_hazard(q))
    np.testing.assert_allclose(law(LAW_SPELL_RETENTION, q), reference.cdf(MONTHS), rtol=0, atol=TABLE_ATOL)


def test_full_retention_means_no_spell_ever_ends():
    np.testing.assert_array_equal(law(LAW_SPELL_RETENTION, 1.0), law(LAW_NEVER, 0.0))


# ----------------------------------------------------------------------------- spell lengths from a table
def pmf_tables() -> np.ndarray:
    """Return spell-length tables as the compiler writes them: row x (H + 2), column k = P(L = k)."""
    gaps = np.zeros(H + 2)
    gaps[[1, 10]] = 0.2, 0.3  # half the spells end within the horizon, half run past it
    spread = np.zeros(H + 2)
    spread[1 : H + 1] = np.random.default_rng(5).dirichlet(np.ones(H))
    past = np.zeros(H + 2)
    past[[3, H, H + 1]] = 0.25, 0.25, 0.5  # column H + 1 is beyond the table
    rounding = np.zeros(H + 2)
    rounding[[1, 2, 3]] = 0.33, 0.56, 0.11  # adds up to 1.0000000000000002 in floating point
    return np.array([gaps, spread, past, rounding])


@pytest.mark.parametrize("row", range(4))
def test_spell_pmf_law_is_the_cumulative_sum_of_its_own_row(row):
    tables = pmf_tables()
    cdf = law(LAW_SPELL_PMF, row, tables)
    assert_is_a_table(cdf)
    np.testing.assert_allclose(cdf, np.minimum(np.cumsum(tables[row, : H + 1]), 1.0), rtol=0, atol=1e-15)
    # what the row puts past month H is the chance of "not within the horizon"
    assert probabilities(cdf)[H + 1] == pytest.approx(max(0.0, 1.0 - tables[row, : H + 1].sum()), abs=1e-15)


@pytest.mark.parametrize("row", range(4))
def test_spell_pmf_law_is_scipys_rv_discrete_with_the_rest_beyond_the_horizon(row):
    p = pmf_tables()[row].copy()
    p[H + 1] = max(0.0, 1.0 - p[: H + 1].sum())
    reference = stats.rv_discrete(values=(np.arange(H + 2), p / p.sum()))
    np.testing.assert_allclose(law(LAW_SPELL_PMF, row, pmf_tables()), reference.cdf(MONTHS), rtol=0,
                               atol=TABLE_ATOL)


def test_rounding_in_a_spell_pmf_never_lifts_the_table_above_one():
    """Row 3's probabilities add up to 1.0000000000000002: the table stops at 1 (so no uniform,
    always below 1, falls beyond the horizon, and none falls in a month of no chance)."""
    tables = pmf_tables()
    cdf = law(LAW_SPELL_PMF, 3, tables)
    assert cdf.max() == 1.0


# ----------------------------------------------------------------------------- the compiled model's tables
def test_the_compiled_models_tables_are_these_laws_with_the_configs_numbers():
    """rich_case: geometric times, a fixed 2.4 months for ww, retention 0.55 (0.4 without the program)."""
    from factories import load, rich_case
    from simsav.model.compile import compile_config

    raw = rich_case()
    model = compile_config(load(raw))
    k = model.kernel
    cdf, _ = build_cdfs(model.table.point_row(), k.law_code, k.law_slot, k.benefits, k.pmf, k.horizon)
    bijstand, ww = model.stream_ids.index("bijstand"), model.stream_ids.index("ww")
    horizon = k.horizon
    months = np.arange(horizon + 1)
    assert k.law_code[W_PROGRAM, bijstand, PLACE] == LAW_GEOMETRIC
    np.testing.assert_allclose(cdf[W_PROGRAM, bijstand, PLACE],
                               stats.geom(1 / (1 + raw["outcomes"]["months_to_placement"]), loc=-1).cdf(months),
                               rtol=0, atol=TABLE_ATOL)
    assert k.law_code[W_PROGRAM, ww, PLACE] == LAW_FIXED
    assert survival_sum(cdf[W_PROGRAM, ww, PLACE]) == pytest.approx(
        raw["outcomes"]["streams"]["ww"]["months_to_placement"], abs=1e-12)
    for world, q in ((W_PROGRAM, raw["outcomes"]["job_retention_12m"]),
                     (W_COUNTERFACTUAL, raw["counterfactual"]["job_retention_12m"])):
        assert k.law_code[world, bijstand, SPELL] == LAW_SPELL_RETENTION
        assert 1.0 - cdf[world, bijstand, SPELL, SUCCESS_MONTHS - 1] == pytest.approx(q, abs=1e-12)


def test_a_configs_spell_pmf_lists_spells_from_one_month_on():
    from factories import load, rich_case
    from simsav.model.compile import compile_config

    raw = rich_case()
    listed = [0.1, 0.0, 0.2, 0.3]  # P(L = 1), P(L = 2), ...: the rest never ends within the horizon
    raw["outcomes"]["spell_months_pmf"] = listed
    raw["outcomes"].pop("job_retention_12m")
    model = compile_config(load(raw))
    k = model.kernel
    cdf, _ = build_cdfs(model.table.point_row(), k.law_code, k.law_slot, k.benefits, k.pmf, k.horizon)
    spell = cdf[W_PROGRAM, model.stream_ids.index("bijstand"), SPELL]
    assert k.law_code[W_PROGRAM, model.stream_ids.index("bijstand"), SPELL] == LAW_SPELL_PMF
    np.testing.assert_allclose(probabilities(spell)[: len(listed) + 2], [0.0, *listed, 0.0], atol=1e-15)
    assert probabilities(spell)[-1] == pytest.approx(1 - sum(listed), abs=1e-15)


# ----------------------------------------------------------------------------- sampling
N_SAMPLES = 200_000
SAMPLED = {
    "zero": (LAW_ZERO, 0.0),
    "never": (LAW_NEVER, 0.0),
    "fixed 4.5": (LAW_FIXED, 4.5),
    "fixed 36.5, half beyond": (LAW_FIXED, 36.5),
    "geometric 6": (LAW_GEOMETRIC, 6.0),
    "geometric 30, a third beyond": (LAW_GEOMETRIC, 30.0),
    "uniform 24": (LAW_UNIFORM, 24.0),
    "uniform 50, beyond": (LAW_UNIFORM, 50.0),
    "retention 0.55": (LAW_SPELL_RETENTION, 0.55),
    "retention 0.97, beyond": (LAW_SPELL_RETENTION, 0.97),
    "pmf with gaps, beyond": (LAW_SPELL_PMF, 0),
    "pmf past the table": (LAW_SPELL_PMF, 2),
}


@njit
def _kernel_uniforms(key, n):
    out = np.empty(n)
    for c in range(n):
        out[c] = uniform(key, c)
    return out


@njit
def _sampled(cdf, us):
    out = np.empty(us.shape[0], np.int64)
    for i in range(us.shape[0]):
        out[i] = sample_months(cdf, us[i])
    return out


@njit
def _sampled_guided(cdf, guide, law, us):
    out = np.empty(us.shape[0], np.int64)
    for i in range(us.shape[0]):
        out[i] = sample_guided(cdf, guide, 0, 0, law, us[i])
    return out


@pytest.fixture(scope="module")
def uniforms() -> np.ndarray:
    """The kernel's own uniforms, as an agent's stream gives them: a fixed key, counters 0..N-1."""
    return _kernel_uniforms(np.uint64(stream_key(np.uint64(20240601), 0)), N_SAMPLES)


@pytest.fixture(scope="module")
def tables() -> np.ndarray:
    """The laws of SAMPLED, shaped (1, 1, law, H + 1) as ``build_cdfs`` shapes a world's and stream's."""
    return np.array([law(code, value, pmf_tables()) for code, value in SAMPLED.values()])[None, None]


def assert_sample_follows(months: np.ndarray, cdf: np.ndarray) -> None:
    """Months 0..H + 1 (H + 1: beyond the horizon) drawn from the table ``cdf``: a chi-square test
    (bins of expected count under 5 lumped), a Kolmogorov distance, the beyond-the-horizon share,
    and no month the law gives no chance."""
    n = months.size
    p = probabilities(cdf)
    counts = np.bincount(months, minlength=H + 2)
    assert counts.size == H + 2, "a month beyond H + 1"
    assert np.all(counts[p == 0] == 0), "a month the law gives no chance of"
    expected = n * p
    big = expected >= 5
    f_obs = np.r_[counts[big], counts[~big].sum()]
    f_exp = np.r_[expected[big], expected[~big].sum()]
    f_obs, f_exp = f_obs[f_exp > 0], f_exp[f_exp > 0]
    if f_exp.size > 1:
        assert stats.chisquare(f_obs, f_exp).pvalue > 1e-3
    # Kolmogorov distance at whole months: the 0.1% critical value of a continuous law bounds a discrete one's
    assert np.max(np.abs(np.cumsum(counts[: H + 1]) / n - cdf)) <= 1.95 / math.sqrt(n)
    beyond = p[H + 1]
    assert abs(counts[H + 1] / n - beyond) <= 4 * math.sqrt(beyond * (1 - beyond) / n)


def test_sampled_month_is_the_smallest_k_with_u_below_p_t_le_k(tables, uniforms):
    """The inverse CDF, exactly: numpy's searchsorted finds the same month for every uniform,
    H + 1 when u is at or above the table's last entry."""
    for name, cdf in zip(SAMPLED, tables[0, 0]):
        np.testing.assert_array_equal(_sampled(cdf, uniforms), np.searchsorted(cdf, uniforms, side="right"),
                                      err_msg=name)


@pytest.mark.parametrize("name", SAMPLED)
def test_sampled_months_follow_the_law_including_beyond_the_horizon(tables, uniforms, name):
    law_index = list(SAMPLED).index(name)
    assert_sample_follows(_sampled(tables[0, 0, law_index], uniforms), tables[0, 0, law_index])


@pytest.mark.parametrize("buckets_per_month", [1, 4])
def test_guided_sampling_gives_every_uniform_the_same_month(tables, uniforms, buckets_per_month):
    guide, _ = build_guides(tables, tables[0, :, 0], buckets_per_month)
    for law_index, name in enumerate(SAMPLED):
        np.testing.assert_array_equal(_sampled_guided(tables, guide, law_index, uniforms),
                                      _sampled(tables[0, 0, law_index], uniforms), err_msg=name)


def test_retention_sampled_reaches_12_months_in_a_share_q_of_spells(tables, uniforms):
    for name in ("retention 0.55", "retention 0.97, beyond"):
        q = SAMPLED[name][1]
        spells = _sampled(tables[0, 0, list(SAMPLED).index(name)], uniforms)
        assert spells.min() >= 1
        assert abs(np.mean(spells >= SUCCESS_MONTHS) - q) <= 4 * math.sqrt(q * (1 - q) / N_SAMPLES)
