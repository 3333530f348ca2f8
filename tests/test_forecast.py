"""The re-forecast from the census and simsav.monitor (issue 14): realised to the census, every
participant continued from their state, those yet to start as planned; before (simsav run) and
after (the posterior); the monitor figure, the report and the results file."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from factories import load, rich_case, uncertain_case

import simsav
from simsav.analysis.forecast import monitor, reforecast
from simsav.config.register import Register, read_register, write_register
from simsav.model import lives as L
from simsav.model.compile import compile_config

REPO = Path(__file__).resolve().parents[1]
DRECHT = REPO / "configs" / "drechtsteden.toml"
DRAWS = 200


def _empty_register(cfg, model, census):
    return Register("<empty>", cfg.cohort.start, model.horizon, census, (), ())


@pytest.fixture(scope="module")
def uncertain():
    cfg = load(uncertain_case())
    return cfg, compile_config(cfg)


def test_with_nothing_observed_after_is_simsav_run_draw_by_draw(uncertain):
    """An empty register at the first month: the likelihood is the same for every draw, so the
    posterior draws are simsav run's, and every month after the census is simsav run's to the cent
    (the planned participants live as simsav run has them, with their own random numbers)."""
    cfg, model = uncertain
    mon = monitor(cfg, _empty_register(cfg, model, 0), draws=DRAWS, seed=4)
    assert mon.parameters.attrs["method"] == "prior"
    run = simsav.simulate(cfg, draws=DRAWS, seed=4)
    fc = mon.forecast
    np.testing.assert_array_equal(fc["net_before"].values, run["net"].transpose("draw", "party").values)
    # after - before: only month 0 differs (realised at the point values, simsav run at each draw's)
    diff = fc["net"].values - fc["net_before"].values
    month0 = run["net_flow"].isel(month=0).transpose("draw", "party").values
    realised0 = fc["realised_cum_net"].isel(month=0).values
    np.testing.assert_allclose(diff, realised0[None, :] - month0, rtol=1e-9, atol=1e-6)
    assert fc.attrs["weighted"] == 0


def test_a_draws_own_register_continued_gives_back_the_draw(uncertain, tmp_path):
    """The register of simsav run's draw 0 at a census, written and read back, continued with that
    draw's parameters and random numbers: every month after the census is the draw's own."""
    cfg, model = uncertain
    seed, census = 7, 20
    row, agents, received, records = L.simulated_lives(model, cfg, seed)
    reg = L.register_of_lives(cfg, model, agents, received, records, census)
    back = read_register(write_register(tmp_path / "reg.csv", reg, cfg), cfg, census)
    ds, info = reforecast(cfg, back, row[None, :], seed, model=model)
    run = simsav.simulate(cfg, draws=1, seed=seed)
    np.testing.assert_allclose(ds["item_flow"].isel(month=slice(census + 1, None)).values,
                               run["item_flow"].isel(month=slice(census + 1, None)).values, rtol=1e-9, atol=1e-6)
    np.testing.assert_array_equal(ds["occupancy"].sel(world="program").isel(month=slice(census + 1, None)).values,
                                  run["occupancy"].sel(world="program").isel(month=slice(census + 1, None)).values)
    assert info["planned_not_registered"] == 0 and info["registered_beyond_plan"] == 0
    assert info["yet_to_start"] == int((agents[:, 1] > census).sum())


def test_at_the_horizons_end_the_band_collapses_to_the_realised(uncertain):
    cfg, model = uncertain
    H = model.horizon
    row, agents, received, records = L.simulated_lives(model, cfg, 3)
    reg = L.register_of_lives(cfg, model, agents, received, records, H - 1)
    mon = monitor(cfg, reg, draws=DRAWS, seed=1)
    fc, ledger = mon.forecast, mon.ledger
    net = fc["net"].values
    np.testing.assert_allclose(net, np.broadcast_to(net[0], net.shape), rtol=0, atol=1e-6)
    np.testing.assert_allclose(net[0], ledger["realised_net"].values, rtol=1e-9, atol=1e-6)
    q = fc["net_quantile"].values
    np.testing.assert_allclose(q[:, 0], q[:, -1], atol=1e-6)
    np.testing.assert_allclose(fc["realised_cum_net"].isel(month=-1).values, ledger["realised_net"].values,
                               rtol=1e-9, atol=1e-6)


def test_a_register_moves_the_forecast_toward_what_happened():
    """A register simulated at a high placement probability makes the after forecast of the party
    that saves on benefits better than before, and narrower."""
    d = uncertain_case()
    d["outcomes"]["placement_probability"] = {"dist": "beta", "mean": 0.55, "sd": 0.15, "name": "p_place"}
    cfg = load(d)
    model = compile_config(cfg)
    row = model.table.sample(1, 5, cfg.correlations)[0]
    row[model.table.slot_of("p_place")] = 0.85
    from simsav.model.engine import draw_keys
    from simsav.model.kernel import lives_of_draw

    agents, received, records = lives_of_draw(row, draw_keys(5, [0])[0], model.kernel, 0)
    reg = L.register_of_lives(cfg, model, agents, received, records, 30)
    mon = monitor(cfg, reg, draws=DRAWS, seed=2)
    p = mon.parameters
    k = p["parameter"].values.tolist().index("p_place")
    assert p["posterior_mean"][k] > p["prior_mean"][k] + 0.1
    fc = mon.forecast
    g = fc["party"].values.tolist().index("gemeente")
    width = fc["net_quantile"].values[g, -1] - fc["net_quantile"].values[g, 0]
    width_before = fc["net_quantile_before"].values[g, -1] - fc["net_quantile_before"].values[g, 0]
    assert fc["net_mean"].values[g] > fc["net_mean_before"].values[g]
    assert width < width_before
    # what to measure next: the outcomes the register measures, valued per party under the posterior
    from simsav.model.likelihood import outcome_slots

    v = mon.measure_next
    t = model.table
    assert sorted(v["parameter"].values.tolist()) == sorted({t.params[s].name for s in outcome_slots(model)
                                                            if t.params[s].uncertain})
    assert v["party"].values.tolist() == [*fc["party"].values.tolist(), "total"]
    assert (v["evppi"] >= 0).all() and (v["evppi"] <= v["evpi"] + 3 * v["evpi_se"] + 3 * v["evppi_se"]).all()
    net = fc["net"].values
    for k, party in enumerate(fc["party"].values):
        if (net[:, k] > 0).all() or (net[:, k] < 0).all():  # a decision no draw changes is worth nothing to inform
            assert float(v["evppi"].sel(party=party).max()) == 0.0 and float(v["evpi"].sel(party=party)) == 0.0


def test_monitor_command_writes_the_forecast_and_the_report(tmp_path, monkeypatch):
    from test_register import invoke

    monkeypatch.chdir(tmp_path)
    register = REPO / "configs" / "drechtsteden-register-synthetic-2020-05.csv"
    r = invoke(["monitor", DRECHT, "--register", register, "--as-of", "2020-05", "--draws", "300", "--out", "m.nc",
                "--report", "m.html", "--lang", "nl"])
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "Waar het eindigt: netto resultaat per partij over de looptijd, voor en na het register" in out
    assert "vooraf: kans verlies" in out and "achteraf: terugverdiend" in out
    assert "Wat nu te meten: wat het een partij waard is een uitkomst precies te kennen voor haar besluit" in out
    assert "P01" not in out
    with xr.open_dataset("m.nc", engine="h5netcdf") as ledger:
        assert ledger.attrs["participants"] == 76 and "realised_net" in ledger
    with xr.open_dataset("m.nc", engine="h5netcdf", group="forecast") as fc:
        assert fc["net"].dims == ("draw", "party") and fc.sizes["draw"] == 300
        assert np.isfinite(fc["realised_cum_net"].isel(month=35)).all()
        assert np.isnan(fc["realised_cum_net"].isel(month=36)).all()
    with xr.open_dataset("m.nc", engine="h5netcdf", group="parameters") as p:
        assert "posterior_value" in p and p.attrs["data_kind"] == "register"
    with xr.open_dataset("m.nc", engine="h5netcdf", group="measure_next") as v:
        assert v["evppi"].dims == ("party", "parameter") and "job_retention_12m" in v["parameter"].values
    html = Path("m.html").read_text(encoding="utf-8")
    for words in ("Plan en realisatie tot nu toe", "Afrekening per afgesloten jaar", "Waar het eindigt", "Wat nu te meten",
                  "Wat de gegevens zeggen over de aannames", "data:image/png;base64,"):
        assert words in html, words
    import re

    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)  # the figures' bytes are no text
    assert "P01" not in text and "http://" not in text and "https://" not in text
    # the English report
    r = invoke(["monitor", DRECHT, "--register", register, "--draws", "200", "--report", "en.html", "--lang", "en"])
    assert r.exit_code == 0, r.stderr
    html = Path("en.html").read_text(encoding="utf-8")
    assert "Where it will end" in html and "Settlement per closed year: who pays whom" in html


def test_monitor_status_table_updates_and_forecasts(tmp_path, monkeypatch):
    from test_register import invoke

    monkeypatch.chdir(tmp_path)
    r = invoke(["monitor", DRECHT, "--status", REPO / "configs" / "drechtsteden-status-2020-05.csv", "--draws", "200",
                "--lang", "en", "--out", "s.nc", "--report", "s.html"])
    assert r.exit_code == 0, r.stderr
    assert "a composite likelihood of the counts" in r.stdout
    assert "the whole cohort simulated again" in r.stdout
    with xr.open_dataset("s.nc", engine="h5netcdf") as root:
        assert int(root["observed_state"].sel(state="working")) == 32
    with xr.open_dataset("s.nc", engine="h5netcdf", group="parameters") as p:
        assert p.attrs["data_kind"] == "status"
    assert "Where it will end" in Path("s.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["--report", "r.txt"], "the file name must end in .html"),
    (["--report", "m.nc", "--out", "m.nc"], "is the same file as --out"),
    (["--report", "missing/r.html"], "does not exist"),
])
def test_bad_report_options_write_nothing(tmp_path, monkeypatch, args, message):
    from test_register import invoke

    monkeypatch.chdir(tmp_path)
    register = REPO / "configs" / "drechtsteden-register-synthetic-2020-05.csv"
    r = invoke(["monitor", DRECHT, "--register", register, *args])
    assert r.exit_code == 2 and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_monitor_figures(tmp_path):
    """The forecast fan and the parameters' figure draw in both languages (looked at: docs/monitoring.md)."""
    from simsav.present.plot import save_figure
    from simsav.present.plot.monitor import forecast_fan, parameters_plot

    cfg = simsav.load_config(DRECHT)
    mon = monitor(cfg, REPO / "configs" / "drechtsteden-register-synthetic-2020-05.csv", as_of="2020-05", draws=200)
    for lang in ("nl", "en"):
        fig = forecast_fan(mon.forecast, names=cfg, lang=lang)
        assert len([a for a in fig.axes if a.get_visible()]) == len(cfg.parties)
        save_figure(fig, tmp_path / f"fan-{lang}.png")
        fig = parameters_plot(mon.parameters, lang=lang)
        save_figure(fig, tmp_path / f"params-{lang}.png")
    assert (tmp_path / "fan-nl.png").stat().st_size > 10_000


def test_monitoring_report_renders_in_headless_chromium(tmp_path, monkeypatch):
    """The monitoring report as a browser shows it: every figure loaded, no console errors, not blank."""
    import io

    import matplotlib.image as mpimg
    from test_register import invoke
    from test_report import open_in_chromium

    monkeypatch.chdir(tmp_path)
    register = REPO / "configs" / "drechtsteden-register-synthetic-2020-05.csv"
    r = invoke(["monitor", DRECHT, "--register", register, "--draws", "200", "--report", "m.html"])
    assert r.exit_code == 0, r.stderr
    problems, images, _, _, sections, shot = open_in_chromium(tmp_path / "m.html")
    assert problems == []
    assert len(images) == 2 and all(i["complete"] and i["width"] > 0 for i in images), images
    assert sections == ["Plan en realisatie tot nu toe", "Afrekening per afgesloten jaar: wie betaalt wie",
                        "Wat de gegevens zeggen over de aannames", "Waar het eindigt",
                        "Wat nu te meten: wat het een partij waard is een uitkomst precies te kennen voor haar besluit"]
    rgb = (mpimg.imread(io.BytesIO(shot), format="png")[..., :3] * 255).round()
    assert rgb.shape[0] > 1500 and float(np.mean(np.any(rgb < 245, axis=-1))) > 0.05
