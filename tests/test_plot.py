"""Figures: every plot function renders a non-blank PNG, euros read the Dutch way in Dutch,
parties keep one style, and ``simsav run --plots DIR`` writes the main figures."""
from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: tests never need a display

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import simsav  # noqa: E402
from simsav import plot  # noqa: E402

CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"
HR = CONFIG_DIR / "holland-rijnland.toml"
DRECHTSTEDEN = CONFIG_DIR / "drechtsteden.toml"
OBSERVED = {"working": 32, "mediation": 19, "on_hold": 9, "dropped_out": 10, "waiting": 4}


def png_is_not_blank(png: bytes, min_ink: float = 0.02, min_colours: int = 8) -> None:
    """Assert a PNG shows a picture: enough non-white pixels and more than a few distinct colours."""
    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(png), format="png")
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100, img.shape
    rgb = (img[..., :3] * 255).round().astype(np.uint8)
    ink = float(np.mean(np.any(rgb < 245, axis=-1)))
    packed = (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8) | rgb[..., 2]
    colours = len(np.unique(packed))
    assert ink > min_ink, f"only {ink:.1%} of the pixels are not white"
    assert colours >= min_colours, f"only {colours} distinct colours"


@pytest.fixture(scope="module")
def cfg():
    return simsav.load_config(HR)


@pytest.fixture(scope="module")
def ds(cfg):
    return simsav.simulate(cfg, draws=60, seed=3, progress=False)


@pytest.fixture(scope="module")
def drechtsteden():
    return simsav.simulate(DRECHTSTEDEN, draws=40, seed=1, progress=False)


FIGURES = {
    "fan_chart": lambda ds, cfg, lang: plot.fan_chart(ds, names=cfg, lang=lang),
    "fan_chart_shared_axes": lambda ds, cfg, lang: plot.fan_chart(ds, names=cfg, lang=lang,
                                                                  ax=_axes()),
    "net_distribution": lambda ds, cfg, lang: plot.net_distribution(ds, names=cfg, lang=lang),
    "break_even_ecdf": lambda ds, cfg, lang: plot.break_even_ecdf(ds, names=cfg, lang=lang),
    "costs_savings_bars": lambda ds, cfg, lang: plot.costs_savings_bars(ds, names=cfg, lang=lang),
}


def _axes():
    from matplotlib.figure import Figure

    return Figure(figsize=(7, 4)).add_subplot()


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_each_results_figure_renders_a_non_blank_png(ds, cfg, name, lang):
    fig = FIGURES[name](ds, cfg, lang)
    png_is_not_blank(plot.figure_png(fig))


@pytest.mark.parametrize("name", ["fan_chart", "net_distribution", "break_even_ecdf", "costs_savings_bars"])
def test_each_results_figure_also_draws_the_base_case(cfg, name):
    bc = simsav.base_case(cfg)
    png_is_not_blank(plot.figure_png(FIGURES[name](bc, cfg, "en")))


def test_occupancy_figure_puts_the_census_beside_the_model(drechtsteden):
    fig = plot.occupancy_vs_observed(drechtsteden, dict(OBSERVED, other=2), 35, lang="nl")
    png_is_not_blank(plot.figure_png(fig))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "aan het werk", "in bemiddeling", "gepauzeerd", "uitgevallen", "wacht op intake"]
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "niet gemodelleerd: overige (2)" in texts
    assert "2020-05" in ax.get_title()


@pytest.fixture(scope="module")
def tornado(cfg):
    from simsav import sensitivity

    return sensitivity.tornado(cfg)


@pytest.fixture(scope="module")
def comparison(ds, cfg):
    from simsav import sharing

    return sharing.compare(ds, settle="ex-post")


def _euro_ticks(labels) -> list[str]:
    """Return the tick labels that carry a number of four or more digits."""
    return [t.get_text() for t in labels if re.search(r"\d{4}|\d[.,]\d{3}", t.get_text())]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_tornado_and_sobol_figures_are_re_exported_and_render(cfg, tornado, lang):
    from simsav import sensitivity

    assert plot.tornado_plot.__module__ == "simsav.present.plot.sensitivity"
    png_is_not_blank(plot.figure_png(plot.tornado_plot(tornado, party="total", top=6, lang=lang)))
    sob = sensitivity.sobol(cfg, n=8, seed=1, n_resamples=20, noise_rows=0, progress=False)
    png_is_not_blank(plot.figure_png(plot.sobol_plot(sob, party="total", top=6, lang=lang)))


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_transfers_figure_is_re_exported_and_renders(comparison, lang):
    assert plot.transfers_plot.__module__ == "simsav.present.plot.sharing"
    png_is_not_blank(plot.figure_png(plot.transfers_plot(comparison, lang=lang)))


def test_dutch_tornado_speaks_dutch_and_writes_dutch_euros(tornado, cfg):
    fig = plot.tornado_plot(tornado, party="gemeente", top=6, lang="nl", names=cfg)
    fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_title().startswith("Gemeente Leiden / DZB: netto EUR ")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["aanname op haar lage waarde",
                                                                   "aanname op haar hoge waarde"]
    ticks = _euro_ticks(ax.get_xticklabels())
    assert ticks and all(re.fullmatch(r"EUR -?\d{1,3}(\.\d{3})+", t) for t in ticks), ticks


def test_dutch_transfers_figure_names_parties_and_rules_in_dutch(comparison, cfg):
    fig = plot.transfers_plot(comparison, lang="nl", names=cfg)
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "zonder verdeling" and "kosten volgen baten" in legend
    assert "Gemeente Leiden /\nDZB" in [t.get_text() for t in ax.get_xticklabels()]
    ticks = _euro_ticks(ax.get_yticklabels())
    assert ticks and all(re.fullmatch(r"EUR -?\d{1,3}(\.\d{3})+", t) for t in ticks), ticks
    # each rule keeps a hatch of its own beside its colour: the bars still read in grey
    hatches = {p.get_hatch() for p in ax.patches}
    assert len(hatches) == 1 + comparison.sizes["rule"]


# --------------------------------------------------------------------------- euros and language

def test_euros_are_written_the_dutch_way_in_dutch_and_the_english_way_otherwise():
    assert plot.format_eur(1_234_000, "nl") == "EUR 1.234.000"
    assert plot.format_eur(1_234_000, "en") == "EUR 1,234,000"
    assert plot.format_eur(-38_000, "nl") == "EUR -38.000"
    assert plot.format_eur(1.5, "nl", 2) == "EUR 1,50"
    assert plot.format_eur(1.5, "en", 2) == "EUR 1.50"
    assert plot.format_eur(-0.2, "nl") == "EUR 0"


def test_euro_axis_formatter_is_a_funcformatter_in_each_language():
    from matplotlib.ticker import FuncFormatter

    nl, en = plot.euro_formatter("nl"), plot.euro_formatter("en")
    assert isinstance(nl, FuncFormatter)
    assert nl(1_234_000, 0) == "EUR 1.234.000"
    assert en(1_234_000, 0) == "EUR 1,234,000"


def test_dutch_fan_chart_has_dutch_titles_and_dot_separated_euro_ticks(ds, cfg):
    fig = plot.fan_chart(ds, names=cfg, lang="nl")
    fig.canvas.draw()
    assert fig.get_suptitle().startswith("Cumulatief netto resultaat")
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    big = [t for t in ticks if re.search(r"\d{4}|\d[.,]\d{3}", t)]
    assert big and all(re.fullmatch(r"EUR -?\d{1,3}(\.\d{3})+", t) for t in big), ticks
    assert fig.axes[0].get_title(loc="left") == "Gemeente Leiden / DZB"
    assert "terugverdiend" in fig.axes[0].get_title(loc="right")


def test_an_unknown_language_is_refused_with_the_choices(ds):
    with pytest.raises(ValueError, match="'en', 'nl'"):
        plot.fan_chart(ds, lang="de")


def test_parties_keep_distinct_colours_hatches_linestyles_and_markers():
    styles = [plot.party_style(k) for k in range(8)]
    for key in ("color", "hatch", "linestyle", "marker"):
        values = [repr(s[key]) for s in styles]
        assert len(set(values)) == len(values), key
    assert plot.party_style(0) == plot.party_style(8)  # the palette repeats, keyed by position


def test_a_party_has_the_same_colour_in_every_figure(ds, cfg):
    uwv = plot.party_style(1)["color"]
    fan = plot.fan_chart(ds, names=cfg)
    ecdf = plot.break_even_ecdf(ds, names=cfg)
    fan_uwv = [ln for ln in fan.axes[1].get_lines() if ln.get_linewidth() == 2][0]
    ecdf_uwv = [ln for ln in ecdf.axes[0].get_lines() if ln.get_label().startswith("UWV")][0]
    assert matplotlib.colors.same_color(fan_uwv.get_color(), uwv)
    assert matplotlib.colors.same_color(ecdf_uwv.get_color(), uwv)


# --------------------------------------------------------------------------- simsav run --plots

def test_run_with_plots_writes_the_main_figures_as_png(run_simsav, small_config, tmp_path):
    r = run_simsav("run", small_config, "--draws", "40", "--out", "r.nc", "--plots", "figures")
    assert r.returncode == 0, r.stderr
    written = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert written == sorted(f"{name}.png" for name in plot.MAIN_FIGURES)
    for p in (tmp_path / "figures").iterdir():
        png_is_not_blank(p.read_bytes())
    assert "figures written to figures" in r.stdout


@pytest.mark.parametrize("bad, message", [
    ("afile", "'afile' exists and is not a directory"),
    ("missing/figures", "directory 'missing' does not exist"),
])
def test_run_with_a_bad_plots_dir_exits_2_before_simulating(run_simsav, small_config, tmp_path, bad, message):
    (tmp_path / "afile").write_text("not a directory")
    before = sorted(p.name for p in tmp_path.iterdir())
    r = run_simsav("run", small_config, "--draws", "40", "--out", "r.nc", "--plots", bad)
    assert r.returncode == 2
    assert f"error: --plots: {message}" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no results file, no directory
