"""The simulator against hand computation, and Monte Carlo against the exact base case."""
from __future__ import annotations

import copy
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from scipy.stats import spearmanr

import simsav
from factories import hand_case, hand_case_expected, load, rich_case, uncertain_case


@pytest.fixture(scope="module")
def rich():
    cfg = load(rich_case())
    return cfg, simsav.base_case(cfg), simsav.simulate(cfg, draws=3000, seed=11)


@pytest.mark.parametrize("item", sorted(hand_case_expected()))
def test_base_case_equals_hand_computation_to_the_cent(item):
    ds = simsav.base_case(load(hand_case()))
    assert float(ds.item_total.sel(item=item, draw=0)) == pytest.approx(hand_case_expected()[item], abs=0.005)


def test_monte_carlo_of_a_deterministic_case_equals_the_hand_computation():
    ds = simsav.simulate(load(hand_case()), draws=4, seed=5)
    for item, value in hand_case_expected().items():
        np.testing.assert_allclose(ds.item_total.sel(item=item).values, value, atol=0.005)


def test_hand_case_counts_and_break_even():
    ds = simsav.base_case(load(hand_case()))
    assert ds.placements.sel(draw=0).values.tolist() == [10.0, 4.0]
    assert ds.successes.sel(draw=0).values.tolist() == [10.0, 4.0]
    # costs and savings per party follow from the items and their kinds
    totals = hand_case_expected()
    gemeente = ["benefit_bijstand", "coach", "bonus", "subsidy"]
    assert float(ds.net.sel(party="gemeente", draw=0)) == pytest.approx(sum(totals[i] for i in gemeente), abs=0.01)
    assert float(ds.costs.sel(party="zv", draw=0)) == pytest.approx(24000, abs=0.01)
    assert float(ds.savings.sel(party="zv", draw=0)) == pytest.approx(totals["care"], abs=0.01)
    # cum_net ends at net; break-even is where it last crosses zero
    np.testing.assert_allclose(ds.cum_net.isel(month=-1).values, ds.net.values)


def test_monte_carlo_mean_of_every_item_is_within_4_standard_errors_of_the_base_case(rich):
    _, bc, mc = rich
    mean = mc.item_total.mean("draw")
    se = mc.item_total.std("draw") / np.sqrt(mc.sizes["draw"])
    diff = abs(mean - bc.item_total.isel(draw=0))
    # deterministic items (no agent randomness) have se 0: allow float rounding there
    tolerance = 4 * se + 1e-9 * abs(bc.item_total.isel(draw=0)) + 1e-6
    bad = diff.where(diff > tolerance, drop=True)
    assert bad.size == 0, f"items off by more than 4 SE: {bad.to_series().to_dict()}"


@pytest.mark.parametrize("var", ["placements", "successes", "relapses", "dropouts", "placements_counterfactual"])
def test_monte_carlo_mean_of_event_counts_matches_the_base_case(rich, var):
    _, bc, mc = rich
    mean = mc[var].mean("draw")
    se = mc[var].std("draw") / np.sqrt(mc.sizes["draw"])
    assert (abs(mean - bc[var].isel(draw=0)) <= 4 * se + 1e-9).all()


def test_monte_carlo_occupancy_matches_the_base_case(rich):
    _, bc, mc = rich
    mean = mc.occupancy.mean("draw")
    n = mc.sizes["draw"]
    expected = bc.occupancy.isel(draw=0)
    # a state so rare no draw saw it has a sample se of 0: floor the se at the Poisson se of the expectation
    se = np.maximum(mc.occupancy.std("draw"), np.sqrt(expected)) / np.sqrt(n)
    assert (abs(mean - expected) <= 5 * se + 1e-9).all()
    # every started agent is in exactly one state
    started = bc.occupancy.isel(draw=0).sum("state")
    np.testing.assert_allclose(started.isel(month=slice(11, None)).values, 100.0)  # inflow over 12 months
    assert (started.diff("month") >= -1e-9).all()
    np.testing.assert_array_equal(mc.occupancy.sum("state").isel(month=slice(11, None)).values, 100.0)


def test_common_random_numbers_couple_the_worlds(rich):
    """With a lower placement chance in the counterfactual, its workers are a subset of the program's."""
    _, _, mc = rich
    assert (mc.placements_counterfactual.sum("stream") <= mc.placements.sum("stream") + 1e-9).all()


def test_same_seed_same_results_different_seed_different():
    cfg = load(uncertain_case())
    a = simsav.simulate(cfg, draws=40, seed=3)
    b = simsav.simulate(cfg, draws=40, seed=3)
    c = simsav.simulate(cfg, draws=40, seed=4)
    np.testing.assert_array_equal(a.item_flow.values, b.item_flow.values)
    np.testing.assert_array_equal(a.parameter_values.values, b.parameter_values.values)
    assert not np.array_equal(a.item_flow.values, c.item_flow.values)


@pytest.mark.parametrize("chunk_size", [1, 7, 16])
def test_results_do_not_depend_on_chunking(chunk_size):
    cfg = load(uncertain_case())
    whole = simsav.simulate(cfg, draws=33, seed=9)
    chunked = simsav.simulate(cfg, draws=33, seed=9, chunk_size=chunk_size)
    np.testing.assert_array_equal(whole.item_flow.values, chunked.item_flow.values)
    np.testing.assert_array_equal(whole.occupancy.values, chunked.occupancy.values)


def test_a_draw_does_not_depend_on_the_number_of_draws():
    cfg = load(uncertain_case())
    small = simsav.simulate(cfg, draws=5, seed=2)
    large = simsav.simulate(cfg, draws=50, seed=2)
    np.testing.assert_array_equal(small.item_flow.values, large.item_flow.isel(draw=slice(0, 5)).values)


def test_results_do_not_depend_on_the_number_of_threads(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys; sys.path.insert(0, {os.path.dirname(__file__)!r})
        import numpy as np, simsav
        from factories import load, uncertain_case
        ds = simsav.simulate(load(uncertain_case()), draws=24, seed=17)
        np.save(sys.argv[1], ds.item_flow.values)
        """
    )
    outs = []
    for threads in ("1", "2"):
        out = tmp_path / f"t{threads}.npy"
        env = dict(os.environ, NUMBA_NUM_THREADS=threads)
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env)
        outs.append(np.load(out))
    np.testing.assert_array_equal(outs[0], outs[1])


def test_with_every_parameter_fixed_the_mean_converges_to_the_base_case_for_net():
    cfg = load(rich_case())
    bc = simsav.base_case(cfg)
    mc = simsav.simulate(cfg, draws=2000, seed=21)
    se = mc.net.std("draw") / np.sqrt(2000)
    assert (abs(mc.net.mean("draw") - bc.net.isel(draw=0)) <= 4 * se + 1e-6).all()


def test_uncertain_parameters_vary_between_draws_and_are_reported():
    ds = simsav.simulate(load(uncertain_case()), draws=200, seed=1)
    pv = ds.parameter_values
    assert set(pv.parameter.values) == {"p_place", "retention", "care_reduction"}
    assert float(pv.sel(parameter="p_place").std()) > 0.05
    rho = spearmanr(pv.sel(parameter="p_place"), pv.sel(parameter="retention")).statistic
    assert 0.3 < rho < 0.7


def test_a_higher_placement_probability_saves_the_benefit_payer_more():
    low, high = rich_case(), rich_case()
    low["outcomes"]["placement_probability"] = 0.3
    high["outcomes"]["placement_probability"] = 0.8
    a = simsav.base_case(load(low)).item_total.sel(item="benefit_bijstand", draw=0)
    b = simsav.base_case(load(high)).item_total.sel(item="benefit_bijstand", draw=0)
    assert float(b) > float(a) > 0


def test_a_saving_on_a_benefit_cannot_outlast_it():
    cfg = hand_case()
    ds = simsav.base_case(load(cfg))
    flow = ds.item_flow.sel(item="benefit_ww", draw=0).values
    assert flow[9:].tolist() == [0.0] * (24 - 9)  # benefit_months_remaining = 9
    assert flow[3:9].min() > 0


def test_discounting_lowers_later_flows_monthly():
    plain, disc = hand_case(), hand_case()
    disc["cohort"]["discount_rate"] = 0.04
    a = simsav.base_case(load(plain)).item_flow.sel(item="benefit_bijstand", draw=0).values
    b = simsav.base_case(load(disc)).item_flow.sel(item="benefit_bijstand", draw=0).values
    months = np.arange(24)
    np.testing.assert_allclose(b, a * 1.04 ** (-months / 12))


def test_base_case_shortcut_for_calendar_free_items_equals_the_full_computation():
    """Without calendar schedules the base case shifts one cohort per stream; with a neutral
    calendar schedule it propagates every start month. Both must agree."""
    from simsav.model.compile import compile_config

    shifted = rich_case()
    shifted["items"] = [it for it in shifted["items"] if it["id"] != "wmo"]
    full = copy.deepcopy(shifted)
    full["items"][0]["schedule"] = {"by": "calendar_year", "breaks": [2025], "values": [1.0, 1.0]}
    assert compile_config(load(shifted)).kernel.shift_invariant
    assert not compile_config(load(full)).kernel.shift_invariant
    a, b = simsav.base_case(load(shifted)), simsav.base_case(load(full))
    for var in ("item_flow", "occupancy", "placements", "successes", "relapses", "dropouts"):
        np.testing.assert_allclose(a[var].values, b[var].values, rtol=1e-12, atol=1e-9)
