"""Value of information (simsav.analysis.voi): EVPPI against the closed form of a linear model with
normal inputs, its standard error against the spread over replications, its properties, Holland
Rijnland, and ``simsav voi``."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner
from scipy.stats import norm

from simsav.analysis import voi
from simsav.cli import voi as voi_cli
from simsav.errors import InputError

REPO = Path(__file__).resolve().parents[1]
HR = REPO / "configs" / "holland-rijnland.toml"

# net = A + B1 X1 + B2 X2 + SIGMA e, X ~ N(0, 1): a decision close to the edge (mean net 2, sd 17)
A, B1, B2, SIGMA = 2.0, 10.0, 6.0, 12.0
CERTAIN = 1e6  # a second party's net is CERTAIN + the same: it joins whatever anyone learns


def closed_form(m: float, s: float) -> float:
    """E[max(0, m + s Z)] - max(0, m) for Z standard normal: the value of learning what moves the
    mean by s Z."""
    return s * norm.pdf(m / s) + m * norm.cdf(m / s) - max(0.0, m)


TRUE_X1 = closed_form(A, B1)
TRUE_X2 = closed_form(A, B2)
TRUE_BOTH = closed_form(A, math.hypot(B1, B2))
TRUE_EVPI = closed_form(A, math.sqrt(B1**2 + B2**2 + SIGMA**2))


def linear_results(n: int, seed: int) -> xr.Dataset:
    """A results-like Dataset: net (draw, party) of the linear model, parameter_values (draw, parameter)
    with X3, on which net does not depend."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    net = A + B1 * X[:, 0] + B2 * X[:, 1] + SIGMA * rng.normal(size=n)
    return xr.Dataset(
        {"net": (("draw", "party"), np.stack([net, CERTAIN + net], axis=1)),
         "parameter_values": (("draw", "parameter"), X)},
        coords={"draw": np.arange(n), "party": ["close", "certain"], "parameter": ["X1", "X2", "X3"],
                "party_name": ("party", ["Close", "Certain"])},
        attrs={"title": "linear", "seed": seed},
    )


@pytest.fixture(scope="module")
def linear():
    ds = linear_results(4000, seed=11)
    return voi.evppi(ds, groups={"X1+X2": ["X1", "X2"]}, n_boot=100, seed=3)


def test_closed_form_is_what_a_large_sample_gives():
    """The closed form itself, against a plain Monte Carlo of E[max(0, m + sZ)]: the test's yardstick."""
    z = np.random.default_rng(0).normal(size=2_000_000)
    assert np.mean(np.maximum(0, A + B1 * z)) - A == pytest.approx(TRUE_X1, rel=2e-3)


def test_evppi_of_a_linear_model_matches_the_closed_form(linear):
    close = linear.sel(party="close")
    for name, truth in (("X1", TRUE_X1), ("X2", TRUE_X2), ("X1+X2", TRUE_BOTH)):
        est, se = float(close.evppi.sel(parameter=name)), float(close.evppi_se.sel(parameter=name))
        assert 0 < se < 0.2 * truth, name
        assert abs(est - truth) < 3 * se, (name, est, truth, se)
    assert abs(float(close.evpi) - TRUE_EVPI) < 3 * float(close.evpi_se)
    # a straight line is what GCV keeps for a linear effect: about 2 degrees of freedom
    assert float(close.evppi_edf.sel(parameter="X2")) < 4


def test_properties(linear):
    close = linear.sel(party="close")
    ev, se = close.evppi, close.evppi_se
    assert bool((ev >= -2 * se).all())
    assert bool((ev <= float(close.evpi) + 2 * se).all())
    both = float(ev.sel(parameter="X1+X2"))
    for member in ("X1", "X2"):
        assert both >= float(ev.sel(parameter=member)) - 2 * float(se.sel(parameter=member))
    # net does not depend on X3: knowing it is worth (next to) nothing
    assert float(ev.sel(parameter="X3")) < 0.05 * TRUE_X1
    # ranked: X1+X2, X1, X2, X3
    assert [str(p) for p in linear.parameter.values] == ["X1+X2", "X1", "X2", "X3"]
    assert close.ranking.values.tolist() == [1, 2, 3, 4]
    # a party whose decision is certain: nothing is worth learning
    certain = linear.sel(party="certain")
    assert float(certain.evpi) == 0.0
    assert np.all(certain.evppi.values == 0.0) and np.all(certain.evppi_se.values == 0.0)
    # all parties together decide on the sum (2A + ...: also certain here)
    assert float(linear.sel(party="total").evpi) == 0.0
    assert linear.join.sel(party="close").item() == 1
    assert linear.evppi.attrs["units"] == "EUR" and "description" in linear.evppi.attrs


def test_a_parameter_is_valued_the_same_whatever_else_is_asked():
    ds = linear_results(600, seed=5)
    alone = voi.evppi(ds, ["X2"], n_boot=30, seed=1)
    together = voi.evppi(ds, None, {"g": ["X1", "X3"]}, n_boot=30, seed=1)
    for var in ("evppi", "evppi_se", "evpi", "evpi_se"):
        np.testing.assert_array_equal(alone[var].sel(parameter="X2") if "parameter" in alone[var].dims
                                      else alone[var],
                                      together[var].sel(parameter="X2") if "parameter" in together[var].dims
                                      else together[var])
    again = voi.evppi(ds, ["X2"], n_boot=30, seed=1)
    xr.testing.assert_identical(alone.drop_attrs(), again.drop_attrs())
    other = voi.evppi(ds, ["X2"], n_boot=30, seed=2)
    assert float(other.evppi_se[0, 0]) != float(alone.evppi_se[0, 0])  # the bootstrap follows the seed
    assert float(other.evppi[0, 0]) == float(alone.evppi[0, 0])  # the estimate does not


def test_the_standard_error_is_honest():
    """Over replications (new draws each time) the z-scores (estimate - truth) / se have sd near 1:
    the bootstrap error is neither much too small nor much too large; their mean shows the bias."""
    z = []
    for r in range(30):
        ds = linear_results(1000, seed=100 + r)
        est = voi.estimate(ds["net"].values[:, :1], [ds["parameter_values"].values[:, 0]], n_boot=40, seed=r)
        z.append((est.evppi[0, 0] - TRUE_X1) / est.evppi_se[0, 0])
    z = np.array(z)
    assert 0.6 < z.std(ddof=1) < 1.5, z
    assert abs(z.mean()) < 0.75, z


def test_bad_names_are_input_errors_listing_the_valid_ones():
    ds = linear_results(200, seed=1)
    with pytest.raises(InputError, match="no uncertain parameter named 'X9'; uncertain parameters are: X1, X2, "
                                         "X3") as e:
        voi.evppi(ds, ["X1", "X9"], n_boot=0)
    assert e.value.source == "parameters"
    with pytest.raises(InputError, match="group 'g': no uncertain parameter named 'nope'") as e:
        voi.evppi(ds, [], {"g": ["X1", "nope"]}, n_boot=0)
    assert e.value.source == "groups"
    with pytest.raises(InputError, match="at least 2"):
        voi.evppi(ds, n_boot=1)
    with pytest.raises(InputError, match="at least 50 draws"):
        voi.evppi(ds.isel(draw=slice(0, 10)), n_boot=0)
    with pytest.raises(InputError, match="asked for twice"):
        voi.evppi(ds, ["X1"], {"X1": ["X1", "X2"]}, n_boot=0)


# --------------------------------------------------------------------------- Holland Rijnland
@pytest.fixture(scope="module")
def holland_rijnland():
    return voi.value_of_information(HR, draws=2000, seed=0, n_boot=20)


def test_holland_rijnland_per_party(holland_rijnland):
    ds = holland_rijnland
    assert ds.party.values.tolist() == ["gemeente", "uwv", "zorgverzekeraar", "ggz", "lumen", "total"]
    assert ds.sizes["parameter"] == 18
    for var in ("evppi", "evppi_se", "evpi", "evpi_se"):
        assert np.all(np.isfinite(ds[var].values)), var
    for p in ds.party.values:
        sub = ds.sel(party=p)
        assert sorted(sub.ranking.values.tolist()) == list(range(1, 19))
        assert bool((sub.evppi <= sub.evpi + 2 * sub.evppi_se + 1.0).all())
        assert bool((sub.evppi >= -2 * sub.evppi_se - 1.0).all())
    # GGZ and Lumen pay fixed amounts: their decision is certain
    for p in ("ggz", "lumen"):
        assert float(ds.evpi.sel(party=p)) == 0.0 and float(np.abs(ds.evppi.sel(party=p)).max()) == 0.0
    # the gemeente's decision is close and the chance of a job moves its net most
    gem = ds.sel(party="gemeente")
    assert float(gem.evpi) > 0
    assert ds.parameter_path.sel(parameter="placement_probability").item() == "outcomes.placement_probability"


def test_holland_rijnland_same_seed_same_numbers_and_paths_as_names():
    a = voi.value_of_information(HR, draws=1000, seed=4, n_boot=10,
                                 parameters=["outcomes.placement_probability", "bijstand_monthly_benefit"])
    b = voi.value_of_information(HR, draws=1000, seed=4, n_boot=10,
                                 parameters=["placement_probability", "streams.bijstand.monthly_benefit"])
    xr.testing.assert_identical(a.drop_attrs(), b.drop_attrs())
    with pytest.raises(InputError, match="no uncertain parameter named 'placement'; uncertain parameters are: "
                                         "months_to_placement"):
        voi.value_of_information(HR, draws=1000, parameters=["placement"])
    with pytest.raises(InputError, match="fixed number"):
        voi.value_of_information(HR, draws=1000, parameters=["outcomes.hours_per_week"])


# --------------------------------------------------------------------------- the command line
def invoke(*args):
    return CliRunner().invoke(voi_cli.command, [str(a) for a in args])


@pytest.mark.parametrize("lang, words", [("en", ("Value of information", "joins", "All parties")),
                                         ("nl", ("Waarde van informatie", "doet mee", "Alle partijen"))])
def test_cli_prints_the_ranking(lang, words, tmp_path):
    out = tmp_path / "voi.nc"
    r = invoke(HR, "--draws", 400, "--boot", 5, "--parameter", "placement_probability",
               "--group", "benefits=bijstand_monthly_benefit,ww_monthly_benefit", "--lang", lang, "--out", out)
    assert r.exit_code == 0, r.output
    for w in words + ("EVPPI", "EVPI", "benefits"):
        assert w in r.output, (w, r.output)
    saved = xr.open_dataset(out, engine="h5netcdf")
    assert set(saved.parameter.values.tolist()) == {"placement_probability", "benefits"}
    saved.close()


def test_cli_bad_input_is_one_message_exit_2_nothing_written(tmp_path):
    out = tmp_path / "voi.nc"
    r = invoke(HR, "--draws", 400, "--parameter", "no_such_thing", "--out", out)
    assert r.exit_code == 2
    assert "--parameter" in r.output and "no_such_thing" in r.output and "placement_probability" in r.output
    assert "Traceback" not in r.output and not out.exists()
    r = invoke(HR, "--group", "oops", "--boot", 1)
    assert r.exit_code == 2 and "--group" in r.output and "--boot" in r.output and "Traceback" not in r.output
