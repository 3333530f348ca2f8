"""The results Dataset: MODEL.md names, derived variables, and atomic netCDF files."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import simsav
from factories import hand_case, load, uncertain_case
from simsav.errors import InputError
from simsav.model.results import break_even, write_results

MODEL_NAMES = ["item_party", "item_label", "item_kind", "item_total", "costs", "savings", "net", "cum_net",
               "break_even_month", "placements", "successes", "sroi", "occupancy"]


@pytest.fixture(scope="module")
def ds():
    return simsav.simulate(load(uncertain_case()), draws=60, seed=4)


def test_results_carry_the_model_names(ds):
    for dim in ("draw", "party", "item", "month", "stream"):
        assert dim in ds.dims
    for name in MODEL_NAMES:
        assert name in ds, name
    assert ds.item_total.dims == ("draw", "item")
    assert ds.costs.dims == ds.savings.dims == ds.net.dims == ds.break_even_month.dims == ("draw", "party")
    assert ds.cum_net.dims == ("draw", "party", "month")
    assert ds.placements.dims == ds.successes.dims == ("draw", "stream")
    assert ds.sroi.dims == ("draw",)
    assert set(ds.item_kind.values) <= {"cost", "saving"}
    for attr in ("simsav_version", "config_path", "config_sha256", "seed", "draws", "created"):
        assert attr in ds.attrs


def test_net_is_savings_minus_costs_and_the_sum_of_item_totals(ds):
    np.testing.assert_allclose(ds.net, ds.savings - ds.costs)
    by_party = ds.item_total.groupby(ds.item_party).sum().rename(item_party="party").sel(party=ds.party)
    np.testing.assert_allclose(ds.net.values, by_party.values, atol=1e-6)
    np.testing.assert_allclose(ds.cum_net.isel(month=-1).values, ds.net.values, rtol=1e-9, atol=1e-6)


def test_costs_are_minus_cost_items_and_sroi_is_savings_over_costs(ds):
    cost_items = ds.item_total.where(ds.item_kind == "cost", 0).sum("item")
    np.testing.assert_allclose(ds.costs.sum("party"), -cost_items)
    np.testing.assert_allclose(ds.sroi, ds.savings.sum("party") / ds.costs.sum("party"))


def test_break_even_is_the_first_month_from_which_cumulative_net_stays_non_negative():
    cum = np.array([
        [-5, -3, -1, 2, 4],   # crosses once -> month 3
        [-5, 1, -1, 2, 4],    # dips again -> month 3
        [1, 2, 3, 4, 5],      # never below -> month 0
        [-5, -3, -1, -1, -1],  # never -> NaN
        [-5, -3, 1, 2, -1],   # ends below -> NaN
    ], dtype=float)
    out = break_even(cum)
    np.testing.assert_array_equal(out[:3], [3, 3, 0])
    assert np.isnan(out[3]) and np.isnan(out[4])


def test_break_even_in_the_dataset_matches_cum_net(ds):
    for d in range(5):
        for p in ds.party.values:
            cum = ds.cum_net.sel(draw=d, party=p).values
            be = float(ds.break_even_month.sel(draw=d, party=p))
            if np.isnan(be):
                assert cum[-1] < 0
            else:
                assert (cum[int(be):] >= -0.005).all() and (int(be) == 0 or cum[int(be) - 1] < 0)


def test_base_case_has_one_draw_and_no_seed():
    bc = simsav.base_case(load(hand_case()))
    assert bc.sizes["draw"] == 1
    assert bc.attrs["mode"] == "base_case"


def test_netcdf_round_trip_keeps_values_names_and_provenance(ds, tmp_path):
    path = write_results(ds, tmp_path / "r.nc")
    back = simsav.open_results(path)
    for name in MODEL_NAMES + ["item_flow", "parameter_values"]:
        if ds[name].dtype.kind == "f":
            np.testing.assert_allclose(back[name].values, ds[name].values, equal_nan=True)
        else:
            np.testing.assert_array_equal(back[name].values, ds[name].values)
    assert back.attrs["seed"] == 4 and back.attrs["draws"] == 60
    assert back.attrs["config_sha256"] == ds.attrs["config_sha256"]


def test_config_provenance_is_the_file_and_its_sha256(tmp_path):
    cfg_path = str(Path(__file__).resolve().parents[1] / "configs" / "twente.toml")
    bc = simsav.base_case(cfg_path)
    assert bc.attrs["config_path"] == cfg_path
    assert bc.attrs["config_sha256"] == hashlib.sha256(open(cfg_path, "rb").read()).hexdigest()


def test_writing_is_atomic_and_leaves_no_temp_files(ds, tmp_path, monkeypatch):
    target = tmp_path / "r.nc"
    target.write_bytes(b"previous results")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", boom)
    with pytest.raises(RuntimeError):
        write_results(ds, target)
    assert target.read_bytes() == b"previous results"
    assert os.listdir(tmp_path) == ["r.nc"]


def test_writing_into_a_missing_directory_is_bad_input(ds, tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        write_results(ds, tmp_path / "nope" / "r.nc")


# --------------------------------------------------------------------------- written chunk by chunk


def test_a_run_written_chunk_by_chunk_is_the_run_held_in_memory(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    import compare_results

    from simsav.model.results import write_results

    cfg = simsav.load_config(Path(__file__).resolve().parents[1] / "configs" / "holland-rijnland.toml")
    whole = simsav.simulate(cfg, draws=50, seed=4, progress=False)
    write_results(whole, tmp_path / "whole.nc")
    streamed = simsav.simulate(cfg, draws=50, seed=4, progress=False, chunk_size=7, out=tmp_path / "streamed.nc")
    assert streamed.sizes["draw"] == 50 and streamed.attrs["draws"] == 50
    streamed.close()
    same, diffs, one_side = compare_results.compare_files(tmp_path / "whole.nc", tmp_path / "streamed.nc")
    assert not diffs and not one_side and len(same) > 40


def test_parameters_sampled_in_pieces_are_the_parameters_sampled_whole():
    from simsav.model.compile import compile_config

    cfg = simsav.load_config(Path(__file__).resolve().parents[1] / "configs" / "holland-rijnland.toml")
    assert cfg.correlations  # the copula too
    table = compile_config(cfg).table
    whole = table.sample(400, 9, cfg.correlations)
    for first, n in [(0, 1), (3, 17), (200, 200), (399, 1)]:
        np.testing.assert_array_equal(table.sample(n, 9, cfg.correlations, first=first), whole[first:first + n])


@pytest.mark.parametrize("option, value, message", [
    ("--draws", "1000000000000", "must be at most 1,000,000,000"),
    ("--seed", str(2**64), "must be at most 2\\*\\*63 - 1"),
    ("--draws", "900000000", "would write about .* free"),
])
def test_run_refuses_draws_and_seeds_it_cannot_hold(option, value, message, small_config, run_simsav, tmp_path):
    import re

    r = run_simsav("run", small_config, option, value, "--out", tmp_path / "r.nc")
    assert r.returncode == 2, r.stderr
    assert re.search(message, r.stderr), r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "r.nc").exists()
