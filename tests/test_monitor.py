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


# --------------------------------------------------------------------------- settlement per closed year

HAND_REGISTER = """id,stream,start,event,month
A1,bijstand,2024-01,mediation,2024-01
A1,bijstand,2024-01,placement,2024-04
A2,ww,2024-01,mediation,2024-01
A2,ww,2024-01,placement,2024-02
A3,bijstand,2024-02,mediation,2024-02
A3,bijstand,2024-02,placement,2024-03
A3,bijstand,2024-02,job_end,2024-08
A4,ww,2024-06,mediation,2024-06
A4,ww,2024-06,placement,2024-07
"""


@pytest.fixture(scope="module")
def hand_outcome(tmp_path_factory):
    # hand_case (2024-01 .. 2025-12, no discounting) with an agreement paying EUR 1,000 per success
    from factories import hand_case

    d = hand_case()
    d["agreement"] = {"label": "Resultaat", "rule": "outcome_payments", "price_per_success": 1000.0,
                      "payers": ["gemeente", "zv"], "receivers": ["uwv"]}
    cfg = load(d)
    path = tmp_path_factory.mktemp("hand") / "register.csv"
    path.write_text(HAND_REGISTER, encoding="utf-8")
    return cfg, path


def test_settlement_transfers_sum_to_zero_per_year_and_rule(rich):
    from simsav.analysis.monitor import SETTLEMENT_DESCRIPTIONS, settle_realised

    cfg, model = rich
    _row, agents, received, records = L.simulated_lives(model, cfg, seed=2)
    reg = L.register_of_lives(cfg, model, agents, received, records, 41)  # 2023-07 .. 2026-12
    ledger = realised_ledger(cfg, reg)
    st = settle_realised(cfg, ledger)
    assert set(SETTLEMENT_DESCRIPTIONS) <= set(st.data_vars)
    assert st["year"].values.tolist() == [2023, 2024, 2025, 2026]  # the part-year 2023 ended, 2026 closed by the census
    assert st["rule"].values.tolist() == ["costs_follow_benefits", "equal_return", "outcome_payments"]
    m = st["settlement"]
    assert (m >= 0).all() and float(m.sum()) > 0
    paid, received_ = m.sum("receiver"), m.sum("payer")
    # what one pays another receives: per rule and year the parties' balances add up to 0
    np.testing.assert_allclose(st["settlement_received"].sum("party"), 0.0, atol=1e-6)
    np.testing.assert_allclose(paid.sum("payer"), received_.sum("receiver"), rtol=1e-12)
    np.testing.assert_allclose(st["settlement_received"].values,
                               (received_.rename(receiver="party") - paid.rename(payer="party")).transpose("rule", "party", "year").values)
    # the years' realised nets add up to the ledger's to date (the census closes its last year)
    np.testing.assert_allclose(st["year_net"].sum("year"), ledger["realised_net"], rtol=1e-9, atol=1e-6)
    # costs follow benefits: after the transfers each party bears the year's costs pro rata to its savings
    cfb = st["settlement_received"].sel(rule="costs_follow_benefits")
    for y in st["year"].values:
        s, c = st["year_savings"].sel(year=y).values, st["year_costs"].sel(year=y).values
        if (s > 0).all():
            np.testing.assert_allclose(c - cfb.sel(year=y).values, c.sum() * s / s.sum(), rtol=1e-9, atol=1e-6)


def test_outcome_payments_settled_by_hand(hand_outcome):
    from simsav.analysis.monitor import settle_realised

    cfg, path = hand_outcome
    st = settle_realised(cfg, realised_ledger(cfg, path, "2025-12"))
    assert st["year"].values.tolist() == [2024, 2025]
    assert "agreement" in st["rule"].values.tolist() and st.attrs["agreement_label"] == "Resultaat"
    # successes: A2 placed 2024-02 -> 12 months at work in 2025-01; A1 2024-04 -> 2025-03; A4 2024-07 -> 2025-06;
    # A3's job ended after 5 months
    assert st["year_successes"].values.tolist() == [0.0, 3.0]
    # the payers share each payment pro rata to their base-case nets: gemeente 59,700, zv 15,690 (hand_case)
    base_net = simsav.base_case(cfg)["net"].isel(draw=0).to_series()
    assert base_net["gemeente"] > 0 and base_net["zv"] > 0
    g = base_net["gemeente"] / (base_net["gemeente"] + base_net["zv"])
    m = st["settlement"].sel(rule="agreement")
    assert float(st["price_per_success"].sel(rule="agreement")) == 1000.0
    np.testing.assert_allclose(m.sel(year=2025, payer="gemeente", receiver="uwv"), 3 * 1000.0 * g, rtol=1e-12)
    np.testing.assert_allclose(m.sel(year=2025, payer="zv", receiver="uwv"), 3 * 1000.0 * (1 - g), rtol=1e-12)
    assert float(m.sel(year=2025).sum()) == pytest.approx(3000.0, abs=1e-9)
    assert float(m.sel(year=2024).sum()) == 0.0  # no success in 2024: nothing to pay
    np.testing.assert_allclose(st["settlement_received"].sel(rule="agreement", year=2025).to_series()
                               [["gemeente", "uwv", "zv"]].values, [-3000 * g, 3000, -3000 * (1 - g)], rtol=1e-12)


def test_years_not_closed_are_not_settled(hand_outcome, rich):
    from simsav.analysis.monitor import closed_years, settle_realised

    cfg, path = hand_outcome
    st = settle_realised(cfg, realised_ledger(cfg, path, "2025-11"))  # 2025 lacks its December
    assert st["year"].values.tolist() == [2024]
    assert float(st["year_successes"].sum()) == 0.0  # the 2025 successes wait for 2025 to close
    st = settle_realised(cfg, realised_ledger(cfg, path, "2024-11"))
    assert st.sizes["year"] == 0 and float(st["settlement"].sum()) == 0.0
    # the rich case starts 2023-07: the part-year 2023 counts from its December on
    rcfg, model = rich
    _row, agents, received, records = L.simulated_lives(model, rcfg, seed=2)
    for census, years in ((4, []), (5, [2023]), (16, [2023]), (17, [2023, 2024])):
        reg = L.register_of_lives(rcfg, model, agents, received, records, census)
        assert closed_years(rcfg, realised_ledger(rcfg, reg)) == years


def test_monitor_shows_the_settlement_in_dutch(tmp_path, monkeypatch):
    from test_register import invoke

    from simsav.analysis.monitor import settle_realised

    monkeypatch.chdir(tmp_path)
    config = tmp_path / "drechtsteden-agreement.toml"
    config.write_text(DRECHT.read_text(encoding="utf-8") + '\n[agreement]\nlabel = "Resultaat"\n'
                      'rule = "outcome_payments"\nprice_per_success = 1000  # judgement (a test)\n'
                      'payers = ["uwv"]\nreceivers = ["ggz"]\n', encoding="utf-8")
    register = REPO / "configs" / "drechtsteden-register-synthetic-2020-05.csv"
    r = invoke(["monitor", config, "--register", register, "--as-of", "2020-05", "--lang", "nl", "--out", "l.nc"])
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "Afrekening per afgesloten jaar: wie betaalt wie" in out
    assert "en de afspraak uit de config (Resultaat)" in out
    assert "2019: gerealiseerd netto EUR" in out and "kosten volgen baten" in out and "betalen per resultaat" in out
    assert "2020 is nog niet afgerekend: de peildatum 2020-05 sluit het jaar nog niet af." in out
    assert "P01" not in out
    # the agreement's rows: UWV pays GGZ EUR 1,000 per success of the year, in Dutch figures
    cfg = simsav.load_config(config)
    st = settle_realised(cfg, realised_ledger(cfg, register, "2020-05"))
    n = st["year_successes"].sel(year=2019).item()
    assert n > 0
    block = out[out.index("2019: gerealiseerd netto"):]
    line = next(x for x in block.splitlines() if x.startswith("afspraak uit de config"))
    assert line.split()[-1] == f"{1000 * n:,.0f}".replace(",", ".") and "UWV" in line and "GGZ" in line
    import xarray as xr

    with xr.open_dataset("l.nc", engine="h5netcdf") as ds:
        assert ds["settlement"].dims == ("rule", "payer", "receiver", "year")
        assert ds["year"].values.tolist() == [2017, 2018, 2019]
        assert ds.attrs["participants"] == 76 and ds.attrs["agreement_label"] == "Resultaat"
    r = invoke(["register", "simulate", DRECHT, "--as-of", "2017-11", "--seed", "1", "--out", "early.csv"])
    assert r.exit_code == 0, r.stderr
    r = invoke(["monitor", DRECHT, "--register", "early.csv", "--as-of", "2017-11", "--lang", "en"])
    assert r.exit_code == 0, r.stderr
    assert "Settlement per closed year: who pays whom" in r.stdout
    assert "No calendar year is closed by the census 2017-11 yet" in r.stdout
