"""A national roll-up: national unknowns shared by every region in a draw, regional ones each its
own; numbers that depend on (seed, region, draw) only; national totals that are the regions' sums;
the same arrays in memory, in a local zarr store and in one written by LocalCluster workers; and
bad national configs reported as file and field."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner

from simsav.cli import main as cli_main
from simsav.config.national import is_national, load_national
from simsav.errors import ConfigError
from simsav.model import sampling
from simsav.model.national import simulate_national
from simsav.model.parameters import PARAMETER_STREAM, parameter_key

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
TEMPLATE = CONFIGS / "holland-rijnland.toml"
NATIONAL = ["care_cost_reduction_working", "bijstand_monthly_benefit"]


def national_text(regions=(("a", 20), ("b", 30), ("c", 25)), national=NATIONAL, template=TEMPLATE, extra="") -> str:
    lines = [f'title = "test"', f'template = "{template}"', f"national = {list(national)!r}".replace("'", '"'), extra]
    for rid, size in regions:
        lines += ["[[regions]]", f'id = "{rid}"', f"size = {size}"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("national") / "nat.toml"
    path.write_text(national_text())
    return path


@pytest.fixture(scope="module")
def run12(small):
    return simulate_national(small, draws=12, seed=4)


def test_a_national_file_is_recognised_and_its_regions_are_the_template_resized(small):
    assert is_national(small) and not is_national(TEMPLATE)
    nat = load_national(small)
    assert [r.config.cohort.size for r in nat.regions] == [20, 30, 25]
    assert nat.party_ids == ["gemeente", "uwv", "zorgverzekeraar", "ggz", "lumen"]


def test_national_unknowns_are_shared_and_regional_ones_are_not(run12):
    pv = run12["parameter_values"]
    for name in NATIONAL:
        v = pv.sel(parameter=name).values  # draw x region
        assert np.all(v == v[:, :1]), name
        assert np.unique(v[:, 0]).size == 12  # and it varies from draw to draw
    for name in ("placement_probability", "months_to_placement", "cf_placement_probability"):
        v = pv.sel(parameter=name).values
        for i in range(3):
            for j in range(i):
                assert np.all(v[:, i] != v[:, j]), name


def test_parameter_draws_come_from_their_own_keyed_streams(run12, small):
    """The value of a national unknown is the ppf of uniform i of its stream keyed by its name alone;
    a regional one's stream is keyed by (the region id's words, name): computed here from numpy directly
    (up to the rounding of the template's Gaussian copula, which every uniform passes through)."""
    nat = load_national(small)
    table_dist = {}
    from simsav.model.compile import compile_config

    model = compile_config(nat.regions[0].config)
    for slot in model.table.uncertain:
        table_dist[model.table.params[slot].name] = model.table.params[slot].dist

    def uniforms(key):
        bits = np.random.PCG64(np.random.SeedSequence(4, spawn_key=(PARAMETER_STREAM, *key)))
        return np.clip(np.random.Generator(bits).random(12), 1e-12, 1 - 1e-12)

    name = "care_cost_reduction_working"
    expected = sampling.ppf(table_dist[name], uniforms(parameter_key(name)))
    np.testing.assert_allclose(run12["parameter_values"].sel(parameter=name, region="b").values, expected, rtol=1e-12)
    name = "months_on_hold"  # regional, in no correlation
    for k, region in enumerate("abc"):
        expected = sampling.ppf(table_dist[name], uniforms((*parameter_key("region:" + region), *parameter_key(name))))
        np.testing.assert_allclose(run12["parameter_values"].sel(parameter=name, region=region).values, expected,
                                   rtol=1e-12)


def test_a_regions_numbers_depend_on_seed_region_and_draw_only(run12, small):
    fewer = simulate_national(small, draws=7, seed=4, chunk_size=3)
    for var in ("net", "costs", "placements", "parameter_values", "national_net_flow", "break_even_month"):
        np.testing.assert_array_equal(fewer[var].values, run12[var].values[:7], err_msg=var)
    other = simulate_national(small, draws=7, seed=5)
    assert not np.array_equal(other["net"].values, fewer["net"].values)


def test_national_totals_are_the_sums_over_regions(run12):
    net = run12["net"].values  # draw x region x party
    total = np.zeros_like(run12["national_net"].values)
    for k in range(net.shape[1]):  # in region order, as the roll-up adds
        total += net[:, k, :]
    np.testing.assert_array_equal(run12["national_net"].values, total)
    np.testing.assert_allclose(run12["national_costs"].values, run12["costs"].values.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(run12["national_savings"].values - run12["national_costs"].values,
                               run12["national_net"].values, rtol=1e-9, atol=1e-6)
    # the month flows add up to the totals, and the cumulative net ends at the net
    np.testing.assert_allclose(run12["national_cum_net"].values[..., -1], run12["national_net"].values,
                               rtol=1e-9, atol=1e-6)
    be = run12["national_break_even_month"].values
    cum = run12["national_cum_net"].values
    for d, p in zip(*np.nonzero(np.isfinite(be))):
        assert np.all(cum[d, p, int(be[d, p]):] >= -0.005)
    assert list(run12["participants"].values) == [20, 30, 25]
    assert run12.attrs["mode"] == "national" and run12.attrs["national_unknowns"] == NATIONAL


def test_in_memory_local_zarr_and_local_cluster_zarr_are_bit_identical(run12, small, tmp_path):
    distributed = pytest.importorskip("distributed")
    from simsav.model.cluster import local_cluster

    here = simulate_national(small, draws=12, seed=4, out=tmp_path / "here.zarr", chunk_size=5)
    assert here.chunks["draw"] == (5, 5, 2)
    cluster = local_cluster(2)
    client = distributed.Client(cluster)
    try:
        there = simulate_national(small, draws=12, seed=4, out=tmp_path / "there.zarr", chunk_size=4,
                                  scheduler=client)
        assert len(client.scheduler_info()["workers"]) == 2
        # and the shipped national config, its 35 regions, written by the workers
        shipped = simulate_national(CONFIGS / "national.toml", draws=6, seed=9, out=tmp_path / "national.zarr",
                                    chunk_size=2, scheduler=client)
    finally:
        client.close()
        cluster.close()
    for var in run12.data_vars:
        np.testing.assert_array_equal(here[var].values, run12[var].values, err_msg=var)
        np.testing.assert_array_equal(there[var].values, run12[var].values, err_msg=var)
    local = simulate_national(CONFIGS / "national.toml", draws=6, seed=9)
    assert shipped.sizes["region"] == 35
    for var in local.data_vars:
        np.testing.assert_array_equal(shipped[var].values, local[var].values, err_msg=var)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here.zarr", "national.zarr", "there.zarr"]  # no temporary


@pytest.mark.parametrize("change, field, words", [
    (dict(national=["care_cost_reduction"]), "national[0]", "placement_probability"),
    (dict(regions=(("a", 20), ("a", 30))), "regions.a.id", "more than one region"),
    (dict(regions=(("a", 0),)), "regions.a.size", "> 0"),
    (dict(regions=(("a", -3),)), "regions.a.size", "> 0"),
    (dict(template="nowhere.toml"), "template", "not found"),
    (dict(national=["placement_probability"]), "regions.a.config", "only one of them is national"),
])
def test_bad_national_configs_name_the_file_and_field(tmp_path, change, field, words):
    path = tmp_path / "bad.toml"
    path.write_text(national_text(**change))
    with pytest.raises(ConfigError) as e:
        load_national(path)
    assert e.value.source == str(path)
    assert any(f == field and words in m for f, m in e.value.problems), e.value.problems


def test_regions_on_different_calendars_are_refused(tmp_path):
    path = tmp_path / "cal.toml"
    path.write_text(national_text(regions=(("a", 20),)) + f'[[regions]]\nid = "tw"\nconfig = "{CONFIGS / "twente.toml"}"\n')
    with pytest.raises(ConfigError, match=r"regions\.tw\.config: cohort\.start"):
        load_national(path)


def invoke(*args):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli_main, [str(a) for a in args])


def test_cli_runs_the_shipped_national_config_into_zarr(tmp_path):
    r = invoke("run", CONFIGS / "national.toml", "--draws", 100, "--out", tmp_path / "x.zarr", "--lang", "en",
               "--no-progress")
    assert r.exit_code == 0, r.output + r.stderr
    assert "National totals per party" in r.output and "Holland Rijnland" in r.output
    ds = xr.open_zarr(tmp_path / "x.zarr")
    assert ds.sizes["region"] == 35 and ds.sizes["draw"] == 100
    assert int(ds["participants"].sum()) == 34 * 100 + 120
    r = invoke("run", CONFIGS / "national.toml", "--draws", 2, "--out", tmp_path / "x.zarr", "--no-progress")
    assert r.exit_code == 0, r.output + r.stderr  # a store it wrote is replaced
    assert xr.open_zarr(tmp_path / "x.zarr").sizes["draw"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.zarr"]


@pytest.mark.parametrize("args, option", [
    (["--out", "{tmp}/missing/x.zarr"], "--out"),
    (["--out", "{tmp}/x.nc"], "--out"),
    (["--out", "{tmp}/x.zarr", "--base-case"], "--base-case"),
])
def test_cli_bad_options_for_a_national_run_exit_2_writing_nothing(tmp_path, small, args, option):
    r = invoke("run", small, "--draws", 3, *[a.format(tmp=tmp_path) for a in args])
    assert r.exit_code == 2, r.output
    assert f"error: {option}:" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_regions_with_different_parties_roll_up_over_their_union(tmp_path):
    own = tmp_path / "own.toml"
    own.write_text(TEMPLATE.read_text(encoding="utf-8") + '\n[[parties]]\nid = "fonds"\nname = "Fonds"\nrole = "sponsor"\n'
                   '\n[[items]]\nid = "bijdrage"\nlabel = "Bijdrage"\nparty = "fonds"\nbasis = "annual"\n'
                   'amount = 1000\nyears = [2024]\n', encoding="utf-8")
    path = tmp_path / "nat.toml"
    path.write_text(national_text(regions=(("a", 10),)) + f'[[regions]]\nid = "b"\nconfig = "{own}"\nsize = 12\n')
    ds = simulate_national(path, draws=3, seed=1)
    assert list(ds["party"].values) == ["gemeente", "uwv", "zorgverzekeraar", "ggz", "lumen", "fonds"]
    a, b = ds.sel(region="a"), ds.sel(region="b")
    assert np.all(a["costs"].sel(party="fonds").values == 0) and np.all(np.isnan(a["break_even_month"].sel(party="fonds")))
    np.testing.assert_array_equal(b["costs"].sel(party="fonds").values, 1000.0)
    np.testing.assert_array_equal(ds["national_costs"].sel(party="fonds").values, 1000.0)


def test_a_failed_run_leaves_nothing_and_keeps_the_store_there(small, tmp_path, monkeypatch):
    from simsav.model import national

    target = tmp_path / "n.zarr"
    simulate_national(small, draws=4, seed=1, out=target)
    before = xr.open_zarr(target)["net"].values
    calls = []
    real = national.compute_chunk

    def failing(plan, a, b):
        calls.append(a)
        if len(calls) > 1:
            raise RuntimeError("a worker died")
        return real(plan, a, b)

    monkeypatch.setattr(national, "compute_chunk", failing)
    with pytest.raises(RuntimeError, match="a worker died"):
        simulate_national(small, draws=6, seed=2, out=target, chunk_size=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.zarr"]
    np.testing.assert_array_equal(xr.open_zarr(target)["net"].values, before)
    (tmp_path / "plain.zarr").mkdir()
    (tmp_path / "plain.zarr" / "mine.txt").write_text("not a store")
    from simsav.errors import InputError

    for bad in ("plain.zarr", "missing/n.zarr", "n.nc"):
        with pytest.raises(InputError) as e:
            simulate_national(small, draws=2, seed=1, out=tmp_path / bad)
        assert e.value.source == "--out"
    assert (tmp_path / "plain.zarr" / "mine.txt").read_text() == "not a store"


def test_a_regions_draws_do_not_depend_on_the_other_regions(tmp_path, run12):
    """Keyed by its id, not its place in the list: region b leaves, c comes first, and a and c draw the same."""
    fewer = tmp_path / "fewer.toml"
    fewer.write_text(national_text(regions=(("c", 25), ("a", 20))))
    ds = simulate_national(fewer, draws=12, seed=4)
    for var in ("net", "parameter_values", "placements"):
        for region in ("a", "c"):
            np.testing.assert_array_equal(ds[var].sel(region=region).values, run12[var].sel(region=region).values,
                                          err_msg=f"{var} {region}")


def test_validate_describes_a_national_roll_up(small):
    from click.testing import CliRunner

    from simsav.cli import main

    r = CliRunner().invoke(main, ["validate", str(small), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "a national roll-up of 3 regions, 75 participants" in r.output
    from simsav.present.labels import parameter_labels

    labels = parameter_labels(load_national(small).regions[0].config, "en")
    assert "Drawn once for the whole country each draw: " + "; ".join(labels[n] for n in NATIONAL) in r.output
    assert all(labels[n] != n for n in NATIONAL)  # labels a board reads, not the config's names
    bad = Path(small).with_name("bad.toml")
    bad.write_text(national_text(national=("no_such_unknown",)))
    r = CliRunner().invoke(main, ["validate", str(bad)])
    assert r.exit_code == 2 and "national" in r.output and "no_such_unknown" in r.output


def test_a_killed_runs_temporary_store_is_removed_by_the_next_run(small, tmp_path):
    """A store left by a process that is gone (this host) goes; one of a live process stays."""
    import subprocess
    import sys

    from simsav.model.national import _host

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = tmp_path / f".x.zarr.{_host()}.{int(dead.stdout)}.abcd1234.tmp"
    live = tmp_path / f".x.zarr.{_host()}.{os.getppid()}.abcd1234.tmp"
    elsewhere = tmp_path / f".x.zarr.another-host.{int(dead.stdout)}.abcd1234.tmp"
    for p in (gone, live, elsewhere):
        p.mkdir()
    simulate_national(small, draws=3, seed=1, out=tmp_path / "x.zarr")
    assert not gone.exists() and live.exists() and elsewhere.exists() and (tmp_path / "x.zarr").is_dir()
