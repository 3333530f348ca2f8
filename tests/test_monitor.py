"""The realised ledger: a register's lives paid by the kernel's own payment, beside the plan
(docs/monitoring.md). The must-show: a register written by ``register simulate`` and read back
gives, to the cent, the simulator's ledger of those same lives up to the census month."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from factories import load, rich_case

import simsav
from simsav.analysis.monitor import LEDGER_DESCRIPTIONS, realised_ledger
from simsav.codes import W_COUNTERFACTUAL, W_PROGRAM
from simsav.config.register import read_register, write_register
from simsav.model import lives as L
from simsav.model.compile import compile_config
from simsav.model.engine import run_monte_carlo

REPO = Path(__file__).resolve().parents[1]
DRECHT = REPO / "configs" / "drechtsteden.toml"


@pytest.fixture(scope="module")
def rich():
    cfg = load(rich_case())
    return cfg, compile_config(cfg)


def test_lives_of_draw_are_the_monte_carlo_draws(rich):
    # paying one draw's lives in both worlds (and the per-year items) gives that draw's Monte Carlo flows
    cfg, model = rich
    row, key = L.draw_row_and_key(model, cfg, seed=5, draw=3)
    mc = run_monte_carlo(model, row[None, :], np.array([key], np.uint64))
    total = np.zeros_like(mc.flow[0])
    occ = np.zeros_like(mc.occupancy[0])
    for w in (W_PROGRAM, W_COUNTERFACTUAL):
        from simsav.model.kernel import lives_of_draw

        agents, received, records = lives_of_draw(row, key, model.kernel, w)
        out = L.pay(model, row, agents, received, records, w, annual=True)
        total += out.flow[0]
        occ += out.occupancy[0]
    np.testing.assert_allclose(total, mc.flow[0], rtol=0, atol=1e-6)
    np.testing.assert_array_equal(occ, mc.occupancy[0])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("census", [0, 17, 47])
def test_register_ledger_equals_the_simulators_to_the_cent(rich, tmp_path, suffix, census):
    cfg, model = rich
    row, agents, received, records = L.simulated_lives(model, cfg, seed=11)
    # the simulator's own ledger of these lives, months 0 .. census (program world, agent items)
    own = L.pay(model, row, agents, received, records, W_PROGRAM)
    # the register `simsav register simulate` writes of them, read back from the file
    reg = L.register_of_lives(cfg, model, agents, received, records, census)
    path = write_register(tmp_path / f"reg{suffix}", reg, cfg)
    back = read_register(path, cfg, census)
    assert len(back.participants) == int((agents[:, 1] <= census).sum())
    assert back.receives_items == ("coach", "wmo")  # the items only some receive: recorded per participant
    a2, r2, rec2 = L.register_lives(back, model)
    from_file = L.pay(model, row, a2, r2, rec2, W_PROGRAM)
    m = slice(0, census + 1)
    assert np.abs(own.flow[0, :, m]).sum() > 0
    np.testing.assert_allclose(from_file.flow[0, :, m], own.flow[0, :, m], rtol=0, atol=0.005)
    assert np.array_equal(np.round(from_file.flow[0, :, m], 2), np.round(own.flow[0, :, m], 2))
    assert not from_file.flow[0, :, census + 1:].any()  # nothing after the census
    np.testing.assert_array_equal(from_file.occupancy[0, :, :, census], own.occupancy[0, :, :, census])
    np.testing.assert_array_equal(from_file.events[0, ..., m], own.events[0, ..., m])
    # and the register's own counts agree with the kernel's
    states = back.state_counts()
    assert list(states.values()) == own.occupancy[0, W_PROGRAM, :, census].tolist()
    ev = back.event_counts()
    kernel_events = own.events[0, W_PROGRAM, :, :, m].sum(axis=(0, 2))
    from simsav.codes import EVENTS

    assert [ev[e] for e in EVENTS] == kernel_events.tolist()


def test_the_ledger_dataset_sets_plan_beside_realisation(rich, tmp_path):
    cfg, model = rich
    census = 23
    row, agents, received, records = L.simulated_lives(model, cfg, seed=2)
    reg = L.register_of_lives(cfg, model, agents, received, records, census)
    ds = realised_ledger(cfg, reg)
    assert set(LEDGER_DESCRIPTIONS) <= set(ds.data_vars)
    assert ds.sizes["month"] == census + 1 and ds.attrs["as_of"] == "2025-06"
    # the plan's two worlds add up to the base case's savings of the same months
    base = simsav.base_case(cfg)
    flow = base["item_flow"].isel(month=slice(0, census + 1))
    if "draw" in flow.dims:
        flow = flow.isel(draw=0)
    np.testing.assert_allclose(ds["plan_saving"].values, flow.sum("month").values, rtol=1e-9, atol=1e-6)
    # per party: net = savings - costs, and the realised spending is the register's lives at the point values
    np.testing.assert_allclose(ds["realised_net"], ds["realised_savings"] - ds["realised_costs"])
    point = L.ledger_of_register(reg, cfg, model)
    np.testing.assert_allclose(ds["realised_spending"].values, -point.flow[0, :, :census + 1])
    assert ds["realised_occupancy"].sum() == len(reg.participants)
    # an unrecorded partial item is paid at its eligible share
    no_coach = type(reg)(reg.source, reg.calendar_start, reg.horizon, reg.as_of, reg.participants, ("wmo",))
    all_coached = type(reg)(reg.source, reg.calendar_start, reg.horizon, reg.as_of,
                            tuple(type(p)(**{**p.__dict__, "receives": {**p.receives, "coach": True}})
                                  for p in reg.participants), ("coach", "wmo"))
    i = model.item_ids.index("coach")
    a = L.ledger_of_register(no_coach, cfg, model).flow[0, i]
    b = L.ledger_of_register(all_coached, cfg, model).flow[0, i]
    np.testing.assert_allclose(a, 0.35 * b)


def test_monitor_command(tmp_path, monkeypatch):
    from test_register import invoke

    monkeypatch.chdir(tmp_path)
    r = invoke(["register", "simulate", DRECHT, "--as-of", "2020-05", "--seed", "1", "--out", "demo.csv"])
    assert r.exit_code == 0, r.stderr
    r = invoke(["monitor", DRECHT, "--register", "demo.csv", "--as-of", "2020-05", "--out", "ledger.nc", "--lang", "nl"])
    assert r.exit_code == 0, r.stderr
    assert "Plan en realisatie tot en met 2020-05" in r.stdout and "Sociale Dienst Drechtsteden" in r.stdout
    assert "P01" not in r.stdout
    import xarray as xr

    with xr.open_dataset("ledger.nc", engine="h5netcdf") as ds:
        assert ds.attrs["as_of"] == "2020-05" and ds.attrs["participants"] == 76
    r = invoke(["monitor", DRECHT, "--status", REPO / "configs" / "drechtsteden-status-2020-05.csv", "--lang", "en"])
    assert r.exit_code == 0, r.stderr
    assert "at work" in r.stdout and "32" in r.stdout
    placed = next(line for line in r.stdout.splitlines() if line.startswith("participants placed"))
    assert placed.split()[2] == "38" and float(placed.split()[3]) > 0  # seed 003 line 62 beside the base case's
    r = invoke(["monitor", DRECHT])
    assert r.exit_code == 2 and "give either --register FILE or --status FILE" in r.stderr
    r = invoke(["monitor", DRECHT, "--register", "demo.csv", "--as-of", "2020-04"])
    assert r.exit_code == 2 and "is after the census 2020-04" in r.stderr
