"""The ``simsav`` command end to end, on every config in configs/ (new configs are picked up).

Each config is run once per module through the real command in a subprocess (small --draws);
the tests then check the printed table, the warnings and the netCDF file it wrote. The other
commands run in-process through click's CliRunner, which is faster.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from pathlib import Path

import numpy as np
import pytest

from conftest import REGION_CONFIGS
import xarray as xr
from click.testing import CliRunner

import simsav
from simsav.cli import main as cli_main

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REGION_CONFIGS
DRAWS = 200  # below the 1,000 draws a 5-95% band needs: the run must warn
DIMS = ("draw", "party", "item", "month", "stream")
VARIABLES = ("item_party", "item_label", "item_kind", "item_total", "costs", "savings", "net", "cum_net",
             "break_even_month", "placements", "successes", "sroi", "occupancy")
ATTRS = ("simsav_version", "config_path", "config_sha256", "seed", "draws", "created")


def _read(config: Path) -> dict:
    with open(config, "rb") as f:
        return tomllib.load(f)


def _open(path: Path) -> xr.Dataset:
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def invoke(*args):
    """Run ``simsav ARGS`` in-process and return click's Result (stdout and stderr apart)."""
    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1; 8.2+ always keeps them apart
    except TypeError:
        runner = CliRunner()
    r = runner.invoke(cli_main, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r


@pytest.fixture(scope="module", params=CONFIGS, ids=[c.name for c in CONFIGS])
def mc_run(request, simsav_cmd, tmp_path_factory):
    """Run ``simsav run CONFIG --draws 200 --seed 1 --out tmp/x.nc`` once per config."""
    import subprocess

    config = request.param
    tmp = tmp_path_factory.mktemp(config.stem)
    out = tmp / "tmp" / "x.nc"
    out.parent.mkdir()
    r = subprocess.run([*simsav_cmd, "run", str(config), "--draws", str(DRAWS), "--seed", "1", "--out", str(out),
                        "--lang", "en"],
                       capture_output=True, text=True, cwd=tmp, timeout=600)
    return config, r, out


def test_configs_are_found():
    assert any(c.name == "twente.toml" for c in CONFIGS)


def test_run_exits_0_and_writes_the_file(mc_run):
    config, r, out = mc_run
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert out.is_file()
    assert f"results written to {out}" in r.stdout
    assert not [p.name for p in out.parent.iterdir() if p.name != out.name], "temporary files left behind"


def test_run_prints_the_party_table(mc_run):
    config, r, out = mc_run
    assert r.returncode == 0, r.stderr
    cfg = _read(config)
    assert cfg["title"] in r.stdout
    for party in cfg["parties"]:
        assert party["name"] in r.stdout, f"party {party['name']!r} missing from the table"
    for header in ("P(net>0)", "SROI", "break-even"):
        assert header in r.stdout
    assert "All parties" in r.stdout
    assert f"{DRAWS} draws, seed 1" in r.stdout
    for stream in cfg["streams"]:
        assert stream["id"] in r.stdout


def test_run_warns_about_few_draws(mc_run):
    config, r, out = mc_run
    assert r.returncode == 0, r.stderr
    assert f"warning: only {DRAWS} draws" in r.stdout
    assert "--draws 1000" in r.stdout


def test_netcdf_has_the_model_names(mc_run):
    config, r, out = mc_run
    assert r.returncode == 0, r.stderr
    cfg = _read(config)
    ds = _open(out)
    for dim in DIMS:
        assert dim in ds.dims, dim
    for name in VARIABLES:
        assert name in ds.data_vars, name
    assert ds.sizes["draw"] == DRAWS
    assert list(ds["party"].values) == [p["id"] for p in cfg["parties"]]
    assert list(ds["stream"].values) == [s["id"] for s in cfg["streams"]]
    assert ds.sizes["month"] == cfg["cohort"]["horizon_months"]
    assert {i["id"] for i in cfg.get("items", [])} <= set(ds["item"].values)
    assert ds["costs"].dims == ("draw", "party")
    assert ds["cum_net"].dims == ("draw", "party", "month")
    assert ds["placements"].dims == ("draw", "stream")
    assert set(np.unique(ds["item_kind"].values)) <= {"cost", "saving"}
    np.testing.assert_allclose(ds["net"], ds["savings"] - ds["costs"])


def test_netcdf_attributes(mc_run):
    config, r, out = mc_run
    assert r.returncode == 0, r.stderr
    ds = _open(out)
    for attr in ATTRS:
        assert attr in ds.attrs, attr
    assert ds.attrs["config_sha256"] == hashlib.sha256(config.read_bytes()).hexdigest()
    assert Path(ds.attrs["config_path"]).resolve() == config.resolve()
    assert ds.attrs["simsav_version"] == simsav.__version__
    assert int(ds.attrs["seed"]) == 1
    assert int(ds.attrs["draws"]) == DRAWS
    created = dt.datetime.fromisoformat(ds.attrs["created"])
    assert abs((dt.datetime.now(dt.timezone.utc) - created).total_seconds()) < 3600


@pytest.mark.parametrize("config", CONFIGS, ids=[c.name for c in CONFIGS])
def test_base_case(config, tmp_path):
    r = invoke("run", config, "--base-case", "--out", tmp_path / "base.nc", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "warning" not in (r.stdout + r.stderr).lower()
    assert "Base case" in r.stdout
    for party in _read(config)["parties"]:
        assert party["name"] in r.stdout
    ds = _open(tmp_path / "base.nc")
    assert ds.attrs["mode"] == "base_case"
    assert ds.sizes["draw"] == 1
    for name in VARIABLES:
        assert name in ds.data_vars, name


@pytest.mark.parametrize("config", CONFIGS, ids=[c.name for c in CONFIGS])
def test_validate(config):
    r = invoke("validate", config, "--lang", "en")
    assert r.exit_code == 0, r.output
    cfg = _read(config)
    assert f"{config}: valid" in r.stdout
    for heading in ("parties:", "streams:", "items", "uncertain numbers"):
        assert heading in r.stdout, heading
    for party in cfg["parties"]:
        assert party["id"] in r.stdout and party["name"] in r.stdout
    for stream in cfg["streams"]:
        assert stream["id"] in r.stdout
    for item in cfg.get("items", []):
        assert item["id"] in r.stdout


def test_validate_lists_uncertain_numbers(small_config):
    r = invoke("validate", small_config)
    assert r.exit_code == 0, r.output
    assert "uncertain numbers (3):" in r.stdout
    assert "p_place" in r.stdout
    assert "beta(mean=0.4, sd=0.08" in r.stdout


@pytest.mark.parametrize("args", [[]] + [[c] for c in sorted(cli_main.commands)],
                         ids=["simsav"] + sorted(cli_main.commands))
def test_help(args):
    r = invoke(*args, "--help")
    assert r.exit_code == 0, r.output
    assert "Example" in r.stdout
    assert r.stdout.startswith(f"Usage: simsav {' '.join(args)}".rstrip())


def test_help_in_a_subprocess(run_simsav):
    r = run_simsav("--help")
    assert r.returncode == 0, r.stderr
    assert "Example" in r.stdout


def test_seed_decides_the_draws(small_config, tmp_path):
    def run(seed: int, name: str) -> xr.Dataset:
        r = invoke("run", small_config, "--draws", "40", "--seed", seed, "--out", tmp_path / name)
        assert r.exit_code == 0, r.output
        return _open(tmp_path / name)

    a, b, c = run(3, "a.nc"), run(3, "b.nc"), run(4, "c.nc")
    assert a.sizes["parameter"] == 3
    xr.testing.assert_equal(a, b)  # every variable and coordinate (attributes such as `created` aside)
    for name in a.variables:
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
    assert a.attrs["config_sha256"] == b.attrs["config_sha256"]
    assert not np.array_equal(a["parameter_values"].values, c["parameter_values"].values)
    assert not np.array_equal(a["net"].values, c["net"].values)


def test_run_with_the_default_out_writes_under_results(small_config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("run", small_config, "--draws", "20")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "results" / "small.nc").is_file()


def test_first_command_notes_the_compile_once_and_compiles_only_what_it_needs(simsav_cmd, small_config, tmp_path):
    import os
    import subprocess

    from simsav.cli.common import COMPILE_NOTE

    cache = tmp_path / "numba-cache"
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))  # an empty cache: as on a new machine

    def simsav(*args) -> str:
        r = subprocess.run([*simsav_cmd, *map(str, args)], capture_output=True, text=True, env=env, timeout=600,
                           cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        return r.stderr

    def compiled(kernel: str) -> bool:
        return any(cache.rglob(f"*{kernel}*.nbi"))

    # the business-case table needs the expected-value kernel only: one note, and no Monte Carlo kernel
    assert simsav("table", small_config).count(COMPILE_NOTE) == 1
    assert compiled("expected_draws") and not compiled("simulate_draws")
    assert COMPILE_NOTE not in simsav("run", small_config, "--base-case", "--out", "b.nc")
    # a Monte Carlo run (with its base case) needs the Monte Carlo kernel as well: one note, then none
    assert simsav("run", small_config, "--draws", "20", "--out", "r.nc").count(COMPILE_NOTE) == 1
    assert compiled("simulate_draws")
    assert COMPILE_NOTE not in simsav("run", small_config, "--draws", "20", "--out", "r.nc")
