"""Sensitivity analyses: Sobol against Ishigami, tornado signs, thresholds, variance decomposition."""
from __future__ import annotations

import copy
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats

import simsav
from simsav import sensitivity as sa
from simsav.cli import main as cli_main
from simsav.model.compile import compile_config
from simsav.config import config_from_dict
from simsav.errors import InputError

REPO = Path(__file__).resolve().parents[1]
TWENTE = tomllib.loads((REPO / "configs" / "twente.toml").read_text(encoding="utf-8"))

BIJSTAND_BENEFIT = {"dist": "uniform", "low": 900.0, "high": 1500.0, "name": "bijstand_benefit"}
UWV_BENEFIT = {"dist": "uniform", "low": 1200.0, "high": 1800.0, "name": "uwv_benefit"}
P_BIJSTAND = {"dist": "beta", "mean": 0.5, "sd": 0.08, "name": "p_bijstand"}
P_UWV = {"dist": "beta", "mean": 0.45, "sd": 0.08, "name": "p_uwv"}
P_NUG = {"dist": "triangular", "low": 0.3, "mode": 0.5, "high": 0.7, "name": "p_nug"}


def twente(bijstand_benefit=None, uwv_benefit=None, p_bijstand=None, p_uwv=None, p_nug=None, correlations=()):
    """Return the Twente config with the given numbers replaced by distributions."""
    data = copy.deepcopy(TWENTE)
    streams = {s["id"]: s for s in data["streams"]}
    if bijstand_benefit:
        streams["bijstand"]["monthly_benefit"] = bijstand_benefit
    if uwv_benefit:
        streams["uwv"]["monthly_benefit"] = uwv_benefit
    for sid, dist in (("bijstand", p_bijstand), ("uwv", p_uwv), ("nug", p_nug)):
        if dist:
            data["outcomes"]["streams"][sid]["placement_probability"] = dist
    data["correlations"] = [{"between": list(pair), "rank": rank} for pair, rank in correlations]
    return config_from_dict(data, source="<twente-test>")


# ---------------------------------------------------------------------------------- Sobol
ISHIGAMI_FIRST = np.array([0.3139, 0.4424, 0.0])
ISHIGAMI_TOTAL = np.array([0.5576, 0.4424, 0.2437])


def ishigami(x):
    """Ishigami function (a = 7, b = 0.1) of an (m x 3) matrix of inputs."""
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_estimator_reproduces_the_analytic_ishigami_indices():
    ppfs = [stats.uniform(-math.pi, 2 * math.pi)] * 3
    est = sa.sobol_estimate(ishigami, ppfs, n=4096, seed=3, n_resamples=199)
    np.testing.assert_allclose(est.first_order[0], ISHIGAMI_FIRST, atol=0.02)
    np.testing.assert_allclose(est.total_order[0], ISHIGAMI_TOTAL, atol=0.02)
    # the bootstrap intervals hold the true values and are not absurdly wide
    assert np.all(est.first_order_low[0] - 0.01 <= ISHIGAMI_FIRST)
    assert np.all(ISHIGAMI_FIRST <= est.first_order_high[0] + 0.01)
    assert np.all(est.total_order_low[0] - 0.01 <= ISHIGAMI_TOTAL)
    assert np.all(ISHIGAMI_TOTAL <= est.total_order_high[0] + 0.01)
    assert np.all(est.total_order_high[0] - est.total_order_low[0] < 0.15)
    assert est.evaluations == 4096 * 5


def test_sobol_estimator_depends_only_on_its_seed():
    ppfs = [stats.uniform(-math.pi, 2 * math.pi)] * 3
    a = sa.sobol_estimate(ishigami, ppfs, n=256, seed=1, n_resamples=50)
    b = sa.sobol_estimate(ishigami, ppfs, n=256, seed=1, n_resamples=50)
    c = sa.sobol_estimate(ishigami, ppfs, n=256, seed=2, n_resamples=50)
    np.testing.assert_array_equal(a.total_order, b.total_order)
    np.testing.assert_array_equal(a.total_order_low, b.total_order_low)
    assert not np.array_equal(a.total_order, c.total_order)


@pytest.mark.parametrize("n", [0, -4, 100, 1])
def test_sobol_estimator_rejects_a_sample_size_that_is_not_a_power_of_two(n):
    with pytest.raises(InputError, match="n: must"):
        sa.sobol_estimate(ishigami, [stats.uniform()] * 3, n=n, seed=0)


def test_a_single_uncertain_parameter_takes_all_the_variance():
    ds = sa.sobol(twente(bijstand_benefit=BIJSTAND_BENEFIT), n=128, seed=0, n_resamples=100)
    assert list(ds.parameter.values) == ["bijstand_benefit"]
    for party in ("gemeente", "total"):
        assert float(ds.total_order.sel(party=party, parameter="bijstand_benefit")) == pytest.approx(1.0, abs=0.03)
        assert float(ds.first_order.sel(party=party, parameter="bijstand_benefit")) == pytest.approx(1.0, abs=0.03)
    # parties whose net the benefit does not touch: no variance, indices 0
    for party in ("uwv", "zorgverzekeraar", "ggz"):
        assert float(ds.net_variance.sel(party=party)) == 0.0
        assert float(ds.total_order.sel(party=party, parameter="bijstand_benefit")) == 0.0


def test_each_party_total_index_goes_to_the_benefit_it_pays_and_the_rest_is_near_zero():
    cfg = twente(bijstand_benefit=BIJSTAND_BENEFIT, uwv_benefit=UWV_BENEFIT, p_nug=P_NUG)
    ds = sa.sobol(cfg, n=256, seed=1, n_resamples=100)
    st = ds.total_order
    assert float(st.sel(party="uwv", parameter="uwv_benefit")) == pytest.approx(1.0, abs=0.05)
    assert float(st.sel(party="uwv", parameter="bijstand_benefit")) == pytest.approx(0.0, abs=0.02)
    assert float(st.sel(party="uwv", parameter="p_nug")) == pytest.approx(0.0, abs=0.02)
    assert float(st.sel(party="gemeente", parameter="bijstand_benefit")) > 0.8
    assert float(st.sel(party="gemeente", parameter="uwv_benefit")) == pytest.approx(0.0, abs=0.02)
    assert float(st.sel(party="zorgverzekeraar", parameter="p_nug")) == pytest.approx(1.0, abs=0.05)
    assert int(ds.ranking.sel(party="uwv", parameter="uwv_benefit")) == 1


def test_sobol_reports_cohort_noise_and_the_correlations_it_ignores():
    cfg = twente(bijstand_benefit=BIJSTAND_BENEFIT, p_bijstand=P_BIJSTAND,
                 correlations=[(("p_bijstand", "bijstand_benefit"), 0.5)])
    ds = sa.sobol(cfg, n=64, seed=0, n_resamples=50, noise_rows=64)
    assert "p_bijstand ~ bijstand_benefit" in ds.attrs["correlations_ignored"]
    share = float(ds.noise_share.sel(party="gemeente"))
    assert 0.0 < share < 1.0  # 100 agents: which of them find work adds real spread
    assert float(ds.noise_variance.sel(party="ggz")) == 0.0  # fixed annual costs: no cohort noise
    assert ds.attrs["evaluations"] == 64 * 4


# ---------------------------------------------------------------------------------- tornado
def test_tornado_base_net_is_the_base_case_and_bars_are_ranked():
    cfg = twente(bijstand_benefit=BIJSTAND_BENEFIT, p_bijstand=P_BIJSTAND)
    ds = sa.tornado(cfg)
    base = simsav.base_case(cfg).net.isel(draw=0)
    np.testing.assert_allclose(ds.base_net.sel(party=list(base.party.values)), base.values, atol=1e-6)
    assert float(ds.base_net.sel(party="total")) == pytest.approx(float(base.sum()), abs=1e-6)
    swings = ds.swing.sel(party="total").values
    assert np.all(np.diff(swings) <= 0)  # sorted by the total's swing
    np.testing.assert_allclose(ds.low_value.sel(parameter="bijstand_benefit"), 900 + 0.05 * 600)
    np.testing.assert_allclose(ds.high_value.sel(parameter="bijstand_benefit"), 900 + 0.95 * 600)
    assert sa.tornado(cfg).net_high.equals(ds.net_high)  # deterministic


def test_tornado_higher_placement_probability_never_lowers_the_benefit_payers_savings():
    cfg = twente(p_bijstand=P_BIJSTAND, p_uwv=P_UWV, p_nug=P_NUG)
    ds = sa.tornado(cfg)
    payer = {"p_bijstand": "gemeente", "p_uwv": "uwv"}
    for parameter, party in payer.items():
        row = ds.sel(parameter=parameter, party=party)
        assert float(row.high_value) > float(row.low_value)
        assert float(row.savings_high) > float(row.savings_low)
    # and with a counterfactual, random timing and relapses (the model tests' case)
    from factories import load, uncertain_case

    ds = sa.tornado(load(uncertain_case()))
    for party in ("gemeente", "uwv"):
        row = ds.sel(parameter="p_place", party=party)
        assert float(row.savings_high) >= float(row.savings_low)


def test_tornado_without_uncertain_numbers_says_what_to_do():
    with pytest.raises(InputError, match="no uncertain numbers"):
        sa.tornado(twente())


# ---------------------------------------------------------------------------------- threshold
@pytest.fixture(scope="module")
def gemeente_threshold():
    cfg = twente(p_bijstand=P_BIJSTAND, uwv_benefit=UWV_BENEFIT, p_nug=P_NUG)
    return cfg, sa.threshold(cfg, "p_bijstand", points=11, draws=300, seed=4)


def test_threshold_sets_the_partys_expected_net_to_zero(gemeente_threshold):
    cfg, ds = gemeente_threshold
    t = float(ds.threshold.sel(party="gemeente"))
    assert 0.0 < t < 0.5 < 1.0  # the gemeente breaks even at the base value 0.5, so below it
    assert abs(float(ds.net_at_threshold.sel(party="gemeente"))) < 0.01
    # the same through the base case of a config with that value filled in
    data = copy.deepcopy(TWENTE)
    data["outcomes"]["streams"]["bijstand"]["placement_probability"] = t
    net = simsav.base_case(config_from_dict(data)).net.sel(party="gemeente").item()
    assert abs(net) < 0.01
    # UWV's net does not depend on bijstand placements: no threshold, and it says why
    assert math.isnan(float(ds.threshold.sel(party="uwv")))
    assert int(ds.crossings.sel(party="uwv")) == 0


def test_threshold_lies_on_the_monte_carlo_mean_curve_within_its_band(gemeente_threshold):
    _, ds = gemeente_threshold
    g = ds.sel(party="gemeente")
    t = float(g.threshold)
    x = ds.value.values

    def at(v):
        return float(np.interp(t, x, g[v].values))

    assert at("net_low") <= 0.0 <= at("net_high")
    # others sampled around their means (no correlations here): the mean curve passes through 0
    assert abs(at("net_mean")) < 4 * at("net_se") + 2000.0
    # and the base-case curve sits inside the band everywhere
    assert np.all((g.net_low <= g.expected_net) & (g.expected_net <= g.net_high))


def test_threshold_of_a_fixed_number_searches_a_sensible_range():
    cfg = twente()
    ds = sa.threshold(cfg, "outcomes.streams.bijstand.placement_probability", points=3, draws=20)
    assert (ds.attrs["bounds_low"], ds.attrs["bounds_high"]) == (0.0, 1.0)
    assert 0.3 < float(ds.threshold.sel(party="gemeente")) < 0.5
    with pytest.raises(InputError, match="bounds"):
        sa.threshold(cfg, "outcomes.streams.bijstand.placement_probability", bounds=(0.6, 0.2))
    with pytest.raises(InputError, match="is a probability"):
        sa.threshold(cfg, "outcomes.streams.bijstand.placement_probability", bounds=(0.2, 1.5))


def test_unknown_parameter_names_the_valid_ones():
    cfg = twente(p_bijstand=P_BIJSTAND, uwv_benefit=UWV_BENEFIT)
    with pytest.raises(InputError) as err:
        sa.threshold(cfg, "p_bijstnad")
    message = str(err.value)
    assert message.startswith("parameter: no parameter named 'p_bijstnad'")
    assert "p_bijstand" in message and "uwv_benefit" in message
    # a path works as well as a name
    slot = sa.parameter_slot(compile_config(cfg).table, "streams.uwv.monthly_benefit")
    assert compile_config(cfg).table.params[slot].name == "uwv_benefit"


# ---------------------------------------------------------------------------------- sampling with correlations
def test_rank_correlations_are_respected_in_threshold_and_variance_sampling():
    cfg = twente(bijstand_benefit=BIJSTAND_BENEFIT, p_bijstand=P_BIJSTAND, uwv_benefit=UWV_BENEFIT,
                 correlations=[(("p_bijstand", "bijstand_benefit"), 0.7)])
    vd = sa.variance_decomposition(cfg, outer=400, inner=1, seed=2)
    pv = vd.parameter_values
    rho = stats.spearmanr(pv.sel(parameter="p_bijstand"), pv.sel(parameter="bijstand_benefit"))[0]
    assert rho == pytest.approx(0.7, abs=0.08)
    # threshold fixing a parameter outside the correlation: the pair keeps its rank correlation
    th = sa.threshold(cfg, "uwv_benefit", points=2, draws=400, seed=2)
    for v in range(2):
        block = th.parameter_values.isel(value=v)
        rho = stats.spearmanr(block.sel(parameter="p_bijstand"), block.sel(parameter="bijstand_benefit"))[0]
        assert rho == pytest.approx(0.7, abs=0.08)
    # fixing one of the pair: the other follows it (drawn given the fixed value)
    th = sa.threshold(cfg, "p_bijstand", bounds=(0.35, 0.65), points=2, draws=400, seed=2)
    benefit = th.parameter_values.sel(parameter="bijstand_benefit")
    assert np.all(th.parameter_values.sel(parameter="p_bijstand").isel(value=0) == 0.35)
    assert float(benefit.isel(value=1).median()) > float(benefit.isel(value=0).median()) + 200


def test_sampling_given_an_uncorrelated_value_is_the_simulation_sample():
    cfg = twente(bijstand_benefit=BIJSTAND_BENEFIT, p_bijstand=P_BIJSTAND, uwv_benefit=UWV_BENEFIT,
                 correlations=[(("p_bijstand", "bijstand_benefit"), 0.7)])
    table = compile_config(cfg).table
    slot = sa.parameter_slot(table, "uwv_benefit")
    expected = table.sample(50, 9, cfg.correlations)
    expected[:, slot] = 1234.0
    np.testing.assert_array_equal(sa.sample_given(table, 50, 9, cfg.correlations, slot, 1234.0), expected)


# ---------------------------------------------------------------------------------- variance decomposition
def test_variance_components_sum_to_the_total_variance():
    cfg = twente(bijstand_benefit=BIJSTAND_BENEFIT, p_bijstand=P_BIJSTAND, uwv_benefit=UWV_BENEFIT)
    ds = sa.variance_decomposition(cfg, outer=300, inner=4, seed=5)
    for party in ("gemeente", "uwv", "zorgverzekeraar", "total"):
        d = ds.sel(party=party)
        e = d.expected_net.values
        y = d.net.values
        # the gap between Var(net) and its two parts is a cross term whose Monte Carlo error we estimate
        cross = (2 * (e - e.mean())[:, None] * (y - e[:, None])).mean(axis=1)
        se = cross.std(ddof=1) / math.sqrt(len(cross))
        gap = float(d.total_variance - d.parameter_variance - d.cohort_variance)
        assert abs(gap) < 4 * se + 0.02 * float(d.total_variance), party
        assert float(d.parameter_share + d.cohort_share) == pytest.approx(1.0)
    # the parties with parameters that move them carry parameter variance, UWV only its benefit
    assert 0.0 < float(ds.parameter_share.sel(party="gemeente")) < 1.0


def test_with_every_parameter_fixed_the_band_is_all_cohort():
    ds = sa.variance_decomposition(twente(), outer=20, inner=5, seed=0)
    for party in ("gemeente", "uwv", "zorgverzekeraar", "total"):
        assert float(ds.parameter_variance.sel(party=party)) == 0.0
        assert float(ds.parameter_share.sel(party=party)) == 0.0
        assert float(ds.cohort_share.sel(party=party)) == 1.0
    assert math.isnan(float(ds.parameter_share.sel(party="ggz")))  # fixed costs only: nothing varies


# ---------------------------------------------------------------------------------- plots
def test_every_plot_draws_on_a_given_axes_and_returns_its_figure():
    from matplotlib.figure import Figure

    from simsav.present.plot import sensitivity as plots

    cfg = twente(bijstand_benefit=BIJSTAND_BENEFIT, p_bijstand=P_BIJSTAND)
    drawn = [
        (plots.tornado_plot, sa.tornado(cfg), {"party": "gemeente"}),
        (plots.sobol_plot, sa.sobol(cfg, n=16, n_resamples=20, noise_rows=8), {"party": "total"}),
        (plots.threshold_plot, sa.threshold(cfg, "p_bijstand", points=3, draws=10), {}),
        (plots.variance_plot, sa.variance_decomposition(cfg, outer=10, inner=2), {}),
    ]
    for plot, ds, kwargs in drawn:
        fig = Figure()
        ax = fig.subplots()
        assert plot(ds, ax, **kwargs) is fig
        assert ax.has_data()


# ---------------------------------------------------------------------------------- command line
@pytest.fixture
def uncertain_twente(tmp_path) -> Path:
    text = (REPO / "configs" / "twente.toml").read_text(encoding="utf-8")
    text = text.replace("monthly_benefit = 1200 ", 'monthly_benefit = { dist = "uniform", low = 900, high = 1500, '
                                                   'name = "bijstand_benefit" } ', 1)
    text = text.replace("placement_probability = 0.5090909090909091",
                        'placement_probability = { dist = "beta", mean = 0.5, sd = 0.08, name = "p_bijstand" }', 1)
    path = tmp_path / "twente-uncertain.toml"
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args):
    """Run simsav in English (the shipped configs, and those made from them, say language = "nl")."""
    return CliRunner().invoke(cli_main, [str(a) for a in args] + ["--lang", "en"])


def test_cli_help_shows_an_example():
    result = invoke("sensitivity", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output and "simsav sensitivity configs/" in result.output


def test_cli_tornado_prints_parameters_ranked_per_party_and_plots(uncertain_twente, tmp_path):
    plot = tmp_path / "tornado.png"
    result = invoke("sensitivity", uncertain_twente, "--plot", plot)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Tornado" in out and "All parties: base net 728" in out
    gemeente = out[out.index("Gemeenten Twente"):]
    # ranked by swing, named by their labels (derived from the stream and the field: they have none)
    assert gemeente.index("Participatiewet (gemeente): benefit per month") < gemeente.index(
        "Participatiewet (gemeente): chance of a job")
    assert "bijstand_benefit" not in out and "p_bijstand" not in out
    assert plot.stat().st_size > 10_000


def test_cli_sobol_and_variance_print_summaries(uncertain_twente):
    result = invoke("sensitivity", uncertain_twente, "--method", "sobol", "--n", "64")
    assert result.exit_code == 0, result.output
    assert "Sobol indices" in result.stdout and "noise" in result.stdout
    result = invoke("sensitivity", uncertain_twente, "--method", "variance", "--n", "20", "--inner", "3")
    assert result.exit_code == 0, result.output
    assert "narrows the band more" in result.stdout


@pytest.mark.parametrize("args, option", [
    (["--method", "bogus"], "--method"),
    (["--method", "threshold", "--parameter", "nope"], "--parameter"),
    (["--method", "threshold"], "--parameter"),
    (["--method", "sobol", "--n", "0"], "--n"),
    (["--method", "sobol", "--n", "1000"], "--n"),
    (["--method", "variance", "--n", "-3"], "--n"),
    (["--plot", "no/such/dir/x.png"], "--plot"),
])
def test_cli_bad_input_exits_2_with_one_clear_message(uncertain_twente, args, option):
    result = invoke("sensitivity", uncertain_twente, *args)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and lines[0].startswith(f"error: {option}")
    assert "Traceback" not in result.output


def test_cli_unknown_parameter_lists_the_valid_names(uncertain_twente):
    result = invoke("sensitivity", uncertain_twente, "--method", "threshold", "--parameter", "p_bijstnad")
    assert result.exit_code == 2
    assert "p_bijstand" in result.stderr and "bijstand_benefit" in result.stderr


def test_cli_threshold_end_to_end(run_simsav, uncertain_twente):
    result = run_simsav("sensitivity", uncertain_twente, "--lang", "en", "--method", "threshold",
                        "--parameter", "p_bijstand", "--n", "40", "--points", "5")
    assert result.returncode == 0, result.stderr
    assert "Value at which the expected net is zero" in result.stdout
    assert "Gemeenten Twente" in result.stdout
