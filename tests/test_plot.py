"""Figures: every plot function renders a non-blank PNG, euros read the Dutch way in Dutch,
parties keep one style, and ``simsav run --plots DIR`` writes the main figures."""
from __future__ import annotations

import io
import itertools
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


# --------------------------------------------------------------------------- every figure of the shipped configs

SHIPPED = ("holland-rijnland", "twente", "drechtsteden")
MAX_PX = (1800, 1650)  # width, height at the 110 dpi figures are written at
MIN_PX = (500, 350)


@pytest.fixture(scope="module")
def shipped():
    """Return, per shipped config, its Config and small analyses of it (built once, on first use)."""
    from simsav import sensitivity, sharing
    from simsav.errors import InputError

    cache = {}

    def get(name):
        if name not in cache:
            cfg = simsav.load_config(CONFIG_DIR / f"{name}.toml")
            ds = simsav.simulate(cfg, draws=30, seed=2, progress=False)
            x = {"cfg": cfg, "ds": ds, "base": simsav.base_case(cfg), "compare": sharing.compare(ds)}
            try:  # Twente has no uncertain numbers: no tornado, Sobol or threshold of a distribution
                x["tornado"] = sensitivity.tornado(cfg)
                x["sobol"] = sensitivity.sobol(cfg, n=8, seed=1, n_resamples=10, noise_rows=0, progress=False)
                x["threshold"] = sensitivity.threshold(cfg, str(x["tornado"].parameter.values[0]), points=4, draws=6)
            except InputError:
                pass
            x["variance"] = sensitivity.variance_decomposition(cfg, outer=4, inner=2)
            cache[name] = x
        return cache[name]

    return get


def all_figures(x: dict, lang: str) -> dict:
    """Return every figure simsav draws of one config's analyses, by name."""
    cfg, ds = x["cfg"], x["ds"]
    figs = {f"{k}": f for k, f in plot.main_figures(ds, names=cfg, lang=lang).items()}
    figs.update({f"{k}_base": f for k, f in plot.main_figures(x["base"], names=cfg, lang=lang).items()})
    figs["transfers"] = plot.transfers_plot(x["compare"], lang=lang, names=cfg)
    for key in ("tornado", "sobol", "threshold", "variance"):
        if key in x:
            figs[key] = plot.sensitivity_figure(x[key], lang=lang, names=cfg)
    return figs


def _drawn(fig):
    """Draw ``fig`` with Agg at the dpi figures are written at; return the renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig.set_dpi(110)
    FigureCanvasAgg(fig)  # becomes fig.canvas (a Figure made without pyplot has a bare canvas)
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def _overlaps(boxes, along: str) -> list[tuple[int, int]]:
    """Return the pairs of neighbouring boxes (sorted along x or y) that overlap by more than a pixel."""
    key = (lambda b: b.x0) if along == "x" else (lambda b: b.y0)
    boxes = sorted(boxes, key=key)
    out = []
    for k, (a, b) in enumerate(itertools.pairwise(boxes)):
        gap = (b.x0 - a.x1) if along == "x" else (b.y0 - a.y1)
        if gap < -1 and a.overlaps(b):
            out.append((k, k + 1))
    return out


def tick_label_problems(fig) -> list[str]:
    """Return what is wrong with the tick labels of a drawn figure: two labels of one axis that
    overlap (measured by the renderer), or a label cut off by the figure's edge."""
    renderer = _drawn(fig)
    whole = fig.bbox
    problems = []
    for k, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        for axis, along in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            for which in ("major", "minor"):
                lo, hi = sorted(axis.get_view_interval())
                at = 0 if along == "x" else 1
                tol = 1e-9 * max(hi - lo, 1e-300)
                labels = [t for t in axis.get_ticklabels(which=which) if t.get_visible() and t.get_text()
                          and lo - tol <= t.get_position()[at] <= hi + tol]  # those drawn: in view
                boxes = [t.get_window_extent(renderer) for t in labels]
                for i, j in _overlaps(boxes, along):
                    problems.append(f"axes {k} {along} {which}: overlapping tick labels "
                                    f"{labels[i].get_text()!r} / {labels[j].get_text()!r}")
                for t, b in zip(labels, boxes):
                    if b.x0 < whole.x0 - 2 or b.x1 > whole.x1 + 2 or b.y0 < whole.y0 - 2 or b.y1 > whole.y1 + 2:
                        problems.append(f"axes {k}: tick label {t.get_text()!r} cut off by the figure's edge")
    return problems


def figure_texts(fig) -> list[str]:
    """Return every text a figure draws: titles, labels, ticks, legends, annotations."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


ENGLISH_DECIMAL = re.compile(r"(?<![\d.,])\d+\.(\d{1,2}|\d{4,})(?![\d])")
"""A number with a decimal point (0.56, 12.5): in Dutch a dot only ever separates thousands."""


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("name", SHIPPED)
def test_every_figure_of_a_shipped_config_fits_and_its_tick_labels_never_overlap(shipped, name, lang):
    figs = all_figures(shipped(name), lang)
    assert {"fan_chart", "net_distribution", "costs_savings_bars", "transfers", "variance"} <= set(figs)
    for fig_name, fig in figs.items():
        w, h = fig.get_size_inches() * 110
        assert MIN_PX[0] <= w <= MAX_PX[0] and MIN_PX[1] <= h <= MAX_PX[1], (fig_name, w, h)
        assert tick_label_problems(fig) == [], fig_name
        if lang == "nl":
            english = [t for t in figure_texts(fig) if ENGLISH_DECIMAL.search(t)]
            assert english == [], (fig_name, english)


def test_dutch_figures_write_decimals_with_a_comma(shipped):
    x = shipped("holland-rijnland")
    fig = plot.sensitivity_figure(x["tornado"], lang="nl", names=x["cfg"])
    _drawn(fig)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any(re.search(r"\n0,\d+ \.\. 0,\d+$", t) for t in ticks), ticks
    thr = plot.sensitivity_figure(x["threshold"], lang="nl", names=x["cfg"])
    _drawn(thr)
    assert any(re.fullmatch(r"0,\d+", t.get_text()) for t in thr.axes[0].get_xticklabels())


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_net_distribution_ticks_never_overlap_however_narrow_or_many_parties(lang):
    cfg = _many_parties(8)
    ds = simsav.simulate(cfg, draws=20, seed=1, progress=False)
    from matplotlib.figure import Figure

    for width in (3.5, 6.0, 12.0):
        fig = Figure(figsize=(width, 6), layout="constrained")
        plot.net_distribution(ds, lang=lang, ax=fig.add_subplot())
        assert tick_label_problems(fig) == [], width
    fig = plot.net_distribution(ds, lang=lang)
    assert tick_label_problems(fig) == []
    assert len(fig.axes[0].get_yticklabels()) == 8


def _many_parties(n: int):
    """Return a config of ``n`` parties, each paying one cost and one with a saving."""
    import factories

    d = factories.hand_case()
    d["parties"] = [{"id": f"p{k}", "name": f"Partij nummer {k} met een lange naam", "role": "other"}
                    for k in range(n)]
    d["streams"][0].update(payer="p0", manager="p0")
    d["streams"][1].update(payer="p1", manager="p1")
    d["outcomes"]["placement_probability"] = {"dist": "beta", "mean": 0.6, "sd": 0.1, "name": "p"}
    d["items"] = [{"id": f"i{k}", "label": f"Post {k}", "party": f"p{k}", "basis": "monthly",
                   "amount": 100.0 * (k + 1), "states": ["working"]} for k in range(n)]
    return factories.load(d)


# --------------------------------------------------------------------------- what each figure must show

def test_sensitivity_figures_draw_only_parties_whose_net_varies(shipped):
    x = shipped("holland-rijnland")
    from simsav.present.plot.sensitivity import varying_parties

    for key in ("tornado", "sobol"):
        ds = x[key]
        moving = varying_parties(ds)
        assert "total" in moving and 1 < len(moving) < ds.sizes["party"]
        fig = plot.sensitivity_figure(ds, lang="nl", names=x["cfg"])
        panels = [ax for ax in fig.axes if ax.get_visible()]
        assert len(panels) == len(moving)
        titles = [ax.get_title() for ax in panels]
        assert titles[0].startswith("Alle partijen")
        still = [p for p in ds.party.values if p not in moving]
        note = fig.get_supxlabel()
        assert note.startswith("Niet getekend") and all(plot.party_names(ds, x["cfg"])[p] in note.replace("\n", " ")
                                                          for p in still)
        assert not any(plot.party_names(ds, x["cfg"])[p] in t for p in still for t in titles)
        # one legend for all panels, in Dutch
        assert [t.get_text() for t in fig.legends[0].get_texts()] in (
            ["aanname op haar lage waarde", "aanname op haar hoge waarde"], ["totaal", "eerste orde"])


def test_sensitivity_figures_show_parameter_labels_wrapped_when_given(shipped):
    x = shipped("holland-rijnland")
    tor = x["tornado"]
    first = str(tor.parameter.values[0])
    long = "kans dat iemand die een baan vindt die baan na twaalf maanden nog heeft"
    fig = plot.sensitivity_figure(tor, lang="nl", names=x["cfg"], labels={first: long})
    _drawn(fig)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    mine = [t for t in ticks if t.startswith("kans dat")]
    assert len(mine) == 1 and mine[0].count("\n") == 2, ticks  # two lines of label, one of values
    assert not any(first in t for t in ticks)
    assert all(len(line) <= 31 for t in ticks for line in t.split("\n"))
    sob = plot.sobol_plot(x["sobol"], labels={first: "kans op werk"})
    assert "kans op werk" in [t.get_text() for t in sob.axes[0].get_yticklabels()]
    thr = plot.threshold_plot(x["threshold"], labels={str(x["threshold"].attrs["parameter"]): "kans op werk"})
    assert thr.axes[0].get_xlabel().startswith("kans op werk")


def test_sensitivity_figures_of_the_shipped_configs_are_a_sensible_size(shipped):
    for name in ("holland-rijnland", "drechtsteden"):
        for key in ("tornado", "sobol"):
            w, h = plot.sensitivity_figure(shipped(name)[key]).get_size_inches() * 110
            assert h <= 1600 and w <= 1700, (name, key, w, h)


def test_many_varying_parties_keep_the_sensitivity_figure_within_bounds():
    from simsav import sensitivity

    cfg = _many_parties(8)
    tor = sensitivity.tornado(cfg)
    fig = plot.sensitivity_figure(tor, top=12)
    w, h = fig.get_size_inches() * 110
    assert h <= 1650 and w <= 1700
    assert tick_label_problems(fig) == []


@pytest.mark.parametrize("name", SHIPPED)
def test_cost_and_saving_items_differ_in_colour_and_the_legend_names_them(shipped, name):
    x = shipped(name)
    fig = plot.costs_savings_bars(x["ds"], names=x["cfg"], lang="nl")
    ax = fig.axes[0]
    legend = ax.get_legend()
    entries = {t.get_text(): h for t, h in zip(legend.get_texts(), legend.legend_handles) if h.get_visible()}
    headers = [t.get_text() for t, h in zip(legend.get_texts(), legend.legend_handles) if not h.get_visible()]
    assert headers == ["Kosten", "Besparingen"]
    colours = [matplotlib.colors.to_hex(h.get_facecolor()) for h in entries.values()]
    assert len(set(colours)) == len(colours), "two items share a colour"
    drawn = {plot.label(lab, 34, 3) for lab, v in zip(x["ds"]["item_label"].values,
                                                      x["ds"]["item_total"].mean("draw").values) if abs(v) >= 0.5}
    assert set(entries) == drawn
    # within a bar the segments differ in colour (not in hatch only)
    by_bar = {}
    for p in ax.patches:
        if p.get_height() != 0 and p.get_width() < 1:
            by_bar.setdefault(round(p.get_x(), 6), []).append(matplotlib.colors.to_hex(p.get_facecolor()))
    assert by_bar and all(len(set(c)) == len(c) for c in by_bar.values())


def test_item_looks_keep_every_item_of_a_bar_apart_even_with_more_items_than_colours():
    bars = [[f"item {k}" for k in range(25)], ["item 3", "item 24", "other"]]
    looks = plot.item_looks(bars)
    for bar in bars:
        assert len({looks[lab][0] for lab in bar[:len(plot.ITEM_COLOURS)]}) == min(len(bar), len(plot.ITEM_COLOURS))
        assert len({looks[lab] for lab in bar}) == len(bar)


def test_transfer_panels_share_one_scale_and_short_bars_carry_their_amount(shipped):
    x = shipped("holland-rijnland")
    fig = plot.transfers_plot(x["compare"], lang="nl", names=x["cfg"])
    axes = fig.axes
    assert len(axes) == 2 and axes[0].get_ylim() == axes[1].get_ylim()
    _drawn(fig)
    for ax in axes:
        notes = [t.get_text() for t in ax.texts]
        # the investors (GGZ, Lumen) lose EUR 37.500 before any rule: too short a bar to read
        assert "EUR -37.500" in notes, notes
        assert all(re.fullmatch(r"EUR -?\d{1,3}(\.\d{3})*", t) for t in notes), notes


def test_threshold_lines_are_labelled_with_their_values(shipped):
    x = shipped("holland-rijnland")
    thr = x["threshold"]
    fig = plot.threshold_plot(thr, lang="nl", names=x["cfg"])
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    from simsav.present.formats import format_value

    crossing = [float(v) for v in thr.threshold.values if np.isfinite(v)]
    assert crossing and all(format_value(v, "nl") in texts for v in crossing)
    assert any(t.startswith("basiswaarde ") for t in texts)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) == thr.sizes["party"] and all(": netto" in t for t in legend)


def test_fan_chart_marks_break_even_where_the_median_curve_crosses_zero(shipped):
    from simsav.analysis.summary import median_break_even

    x = shipped("holland-rijnland")
    ds = x["ds"]
    fig = plot.fan_chart(ds, names=x["cfg"], lang="nl")
    checked = 0
    for k, p in enumerate(ds.party.values):
        ax = fig.axes[k]
        med = median_break_even(ds["break_even_month"].sel(party=p).values)
        markers = [ln for ln in ax.get_lines() if ln.get_linestyle() == "None"]
        curve = next(ln for ln in ax.get_lines() if ln.get_linewidth() == 2)
        if not np.isfinite(med):
            assert markers == []
            continue
        (mx,), (my,) = markers[0].get_data()
        assert mx == med and my == 0.0
        months, y = (np.asarray(v, dtype=float) for v in curve.get_data())
        # the median curve is at or above zero from the marker on and below just before it
        assert np.all(y[months >= np.ceil(med)] >= 0)
        if med > 0:
            assert y[months == np.ceil(med) - 1][0] < 0
        checked += 1
    assert checked >= 2


# --------------------------------------------------------------------------- hostile text

HOSTILE = ("UWV $\\frac{1}{$", "$a$ en $b^{2}$ _x", "_verborgen ^ {zv} \\alpha $")


def _hostile_dict() -> dict:
    import factories

    d = factories.uncertain_case()
    d["title"] = "Titel $x^2$ met \\frac{1}{ en _onder"
    for party, name in zip(d["parties"], HOSTILE):
        party["name"] = name
    d["items"][0]["label"] = "Jobcoach $\\frac{1}{$"
    d["items"][1]["label"] = "$$"
    d["outcomes"]["placement_probability"]["name"] = "p_$place$"
    d["correlations"][0]["between"][0] = "p_$place$"
    return d


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_mathtext_in_names_labels_and_parameters_is_drawn_literally_in_every_figure(lang):
    import factories

    from simsav import sensitivity, sharing

    cfg = factories.load(_hostile_dict())
    ds = simsav.simulate(cfg, draws=20, seed=1, progress=False)
    tor = sensitivity.tornado(cfg)
    figs = dict(plot.main_figures(ds, names=cfg, lang=lang))
    figs["transfers"] = plot.transfers_plot(sharing.compare(ds), lang=lang, names=cfg)
    figs["tornado"] = plot.sensitivity_figure(tor, lang=lang, names=cfg, labels={"retention": "$\\frac{1}{$ kans"})
    figs["threshold"] = plot.sensitivity_figure(sensitivity.threshold(cfg, "p_$place$", points=3, draws=4),
                                                lang=lang, names=cfg)
    figs["ecdf_default_names"] = plot.break_even_ecdf(ds, lang=lang)  # names from the Dataset
    for name, fig in figs.items():
        png_is_not_blank(plot.figure_png(fig))  # no mathtext parse error
        drawn = [t.replace("\\$", "$") for t in figure_texts(fig)]
        assert any("UWV $\\frac{1}{$" in t for t in drawn), name
    # drawn as typed: the renderer sees no mathtext in any text
    from matplotlib.text import Text

    for fig in figs.values():
        for t in fig.findobj(Text):
            s = t.get_text()
            assert (s.count("$") - s.count("\\$")) == 0, s


def test_mathtext_names_do_not_crash_run_plots_nor_report(run_simsav, tmp_path):
    import tomlkit

    path = tmp_path / "hostile.toml"
    path.write_text(tomlkit.dumps(_hostile_dict()), encoding="utf-8")
    r = run_simsav("run", path, "--draws", "20", "--out", "r.nc", "--plots", "figs")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "figs").iterdir()) == sorted(f"{n}.png" for n in plot.MAIN_FIGURES)
    r = run_simsav("report", path, "--draws", "20", "--out", "board.html")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "board.html").stat().st_size > 10_000


def test_literal_escapes_dollars_and_label_wraps_and_keeps_underscored_names_in_legends():
    assert plot.literal("UWV $\\frac{1}{$") == "UWV \\$\\frac{1}{\\$"
    assert plot.literal("a\tb\x1b[31m") == "a b [31m"
    assert plot.label("_x") != "_x" and plot.label("_x").endswith("_x")
    wrapped = plot.label("Lumen (clientenbelangenorganisatie)", 18)
    assert wrapped == "Lumen\n(clientenbelangenorganisatie)"  # a long word stays whole up to twice the width
    assert plot.label("a" * 60, 10, 2).count("\n") == 1 and plot.label("a" * 60, 10, 2).endswith("\u2026")
