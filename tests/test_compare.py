"""simsav.compare and `simsav compare`: scenarios side by side, paired differences.

The variance test: a scenario that changes one judgement (the placement probability's mean)
shares every other uncertainty and every participant's chances with the base, so the paired
difference's variance is a small part of var(A) + var(B); unpaired, the two nets are
independent and the difference's variance is their sum.
"""
from __future__ import annotations

import copy
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

import simsav
from simsav.analysis.compare import compare, scenario_rows
from simsav.config import config_from_dict
from simsav.errors import InputError
from simsav.model.compile import compile_config

REPO = Path(__file__).resolve().parents[1]
HR = REPO / "configs" / "holland-rijnland.toml"
DRAWS = 400


def _hr_dict():
    return tomllib.loads(HR.read_text(encoding="utf-8"))


def _variant(change) -> simsav.Config:
    data = copy.deepcopy(_hr_dict())
    change(data)
    return config_from_dict(data, source="variant")


def _faster_placement(data):
    data["outcomes"]["placement_probability"]["mean"] = 0.70
    data["outcomes"]["placement_probability"]["point"] = 0.70


@pytest.fixture(scope="module")
def hr():
    return simsav.load_config(HR)


@pytest.fixture(scope="module")
def paired(hr):
    return compare([hr, _variant(_faster_placement)], draws=DRAWS, seed=11, names=["hr", "faster"])


@pytest.fixture(scope="module")
def unpaired(hr):
    return compare([hr, _variant(_faster_placement)], draws=DRAWS, seed=11, names=["hr", "faster"], paired=False)


def test_the_base_is_simsav_run(hr, paired):
    run = simsav.simulate(hr, draws=DRAWS, seed=11)
    for name in ("costs", "savings", "net", "break_even_month"):
        got = paired[name].sel(scenario="hr", party=run["party"].values).values
        np.testing.assert_array_equal(got, run[name].values)
    np.testing.assert_array_equal(paired["net"].sel(scenario="hr", party="total").values,
                                  run["savings"].values.sum(axis=1) - run["costs"].values.sum(axis=1))
    np.testing.assert_array_equal(paired["sroi"].sel(scenario="hr").values, run["sroi"].values)


def test_a_scenario_compared_with_itself_differs_by_nothing(hr):
    ds = compare([hr, hr], draws=60, seed=3)
    assert ds["scenario"].values.tolist() == ["holland-rijnland", "holland-rijnland-2"]
    assert float(np.abs(ds["difference"]).max()) == 0.0
    assert int(ds["shared_parameters"].values[1]) == len(compile_config(hr).table.uncertain)


def test_shared_parameters_take_the_base_quantile(hr):
    """Same name: the same uniform, so the same value when the distribution is the same and the
    same quantile when it changed; a parameter the base lacks is shared by the others."""
    from simsav.config import Config  # noqa: F401

    variant = _variant(_faster_placement)
    models = [compile_config(c) for c in (hr, variant)]
    rows = scenario_rows(models, [hr, variant], 200, 5)
    t0, t1 = models[0].table, models[1].table
    same = t0.slot_of("job_retention_12m")
    np.testing.assert_array_equal(rows[0][:, same], rows[1][:, t1.slot_of("job_retention_12m")])
    p0 = rows[0][:, t0.slot_of("placement_probability")]
    p1 = rows[1][:, t1.slot_of("placement_probability")]
    assert np.mean(p1) > np.mean(p0)
    np.testing.assert_array_equal(np.argsort(p0, kind="stable"), np.argsort(p1, kind="stable"))  # comonotone
    np.testing.assert_array_equal(rows[0], t0.sample(200, 5, hr.correlations))


def test_paired_difference_variance_is_far_below_the_sum(paired):
    a = paired["net"].sel(scenario="hr").values
    b = paired["net"].sel(scenario="faster").values
    d = paired["difference"].sel(scenario="faster").values
    np.testing.assert_array_equal(d, b - a)
    for p, party in enumerate(paired["party"].values):
        total = a[:, p].var(ddof=1) + b[:, p].var(ddof=1)
        if total == 0:  # a party with fixed costs only
            continue
        ratio = d[:, p].var(ddof=1) / total
        assert ratio < 0.15, (party, ratio)
        assert float(paired["variance_ratio"].sel(scenario="faster", party=party)) == pytest.approx(ratio)
    # a faster placement pays the benefit payers in (nearly) every draw
    assert float(paired["p_better"].sel(scenario="faster", party="total")) > 0.9


def test_unpaired_difference_variance_is_the_sum(unpaired, paired):
    a = unpaired["net"].sel(scenario="hr").values
    b = unpaired["net"].sel(scenario="faster").values
    np.testing.assert_array_equal(a, paired["net"].sel(scenario="hr").values)  # the base is the base
    for p, party in enumerate(unpaired["party"].values):
        if a[:, p].var() == 0:
            continue
        ratio = float(unpaired["variance_ratio"].sel(scenario="faster", party=party))
        # var(A - B) / (var A + var B) = 1 - 2 cov / (var A + var B): its sampling sd at 400 draws is ~0.05
        assert abs(ratio - 1) < 0.2, (party, ratio)
        r = np.corrcoef(a[:, p], b[:, p])[0, 1]
        assert abs(r) < 4 / np.sqrt(DRAWS), (party, r)
    assert int(unpaired["shared_parameters"].values[1]) == 0


def test_summaries_are_the_draws_summarised(paired):
    net = paired["net"].sel(scenario="faster", party="uwv").values
    assert float(paired["net_mean"].sel(scenario="faster", party="uwv")) == pytest.approx(net.mean())
    assert float(paired["net_low"].sel(scenario="faster", party="uwv")) == pytest.approx(np.quantile(net, 0.05))
    assert float(paired["p_positive"].sel(scenario="faster", party="uwv")) == pytest.approx((net > 0).mean())
    d = paired["difference"].sel(scenario="faster", party="uwv").values
    assert float(paired["difference_se"].sel(scenario="faster", party="uwv")) == pytest.approx(
        d.std(ddof=1) / np.sqrt(d.size))


def test_different_calendars_are_refused(hr):
    def later(data):
        data["cohort"]["horizon_months"] = 48

    with pytest.raises(InputError, match="48 months from 2024-01"):
        compare([hr, _variant(later)], draws=10, seed=0, names=["a", "b"])
    with pytest.raises(InputError, match="at least two"):
        compare([hr], draws=10)


def _cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "simsav.cli", "compare", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_cli_compares_and_writes(tmp_path):
    other = tmp_path / "faster.toml"
    text = HR.read_text(encoding="utf-8").replace(
        'placement_probability = { dist = "beta", mean = 0.65, sd = 0.08, point = 0.65,',
        'placement_probability = { dist = "beta", mean = 0.70, sd = 0.08, point = 0.70,')
    assert text != HR.read_text(encoding="utf-8")
    other.write_text(text, encoding="utf-8")
    out = tmp_path / "cmp.nc"
    r = _cli(str(HR), str(other), "--draws", "100", "--lang", "en", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Paired differences: the scenario minus holland-rijnland" in r.stdout
    assert "faster" in r.stdout and "Traceback" not in r.stderr
    import xarray as xr

    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds["net"].dims == ("scenario", "draw", "party") and ds.sizes["draw"] == 100
    r = _cli(str(HR), str(other), "--draws", "50", "--lang", "nl", "--unpaired")
    assert r.returncode == 0, r.stderr
    assert "Ongepaard" in r.stdout and "Gepaarde verschillen" in r.stdout


def test_cli_bad_input(tmp_path):
    r = _cli(str(HR))
    assert r.returncode == 2 and "CONFIGS: give at least two configs" in r.stderr
    r = _cli(str(HR), str(tmp_path / "missing.toml"), "--draws", "20")
    assert r.returncode == 2 and "missing.toml" in r.stderr and "file not found" in r.stderr
    assert "Traceback" not in r.stderr
    r = _cli(str(HR), str(HR), "--draws", "0", "--out", str(tmp_path / "x.nc"))
    assert r.returncode == 2 and "--draws" in r.stderr and not (tmp_path / "x.nc").exists()
