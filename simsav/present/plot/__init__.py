"""Figures of a results Dataset: xarray in, matplotlib ``Figure`` out.

Every function takes the Dataset that ``simsav.simulate`` or ``simsav.base_case`` returns
(docs/results.md), draws on ``ax`` when one axes suffices and one is given (else on a new
Figure), and returns the Figure. ``lang="nl"`` puts labels and titles in Dutch and writes
euros the Dutch way (EUR 1.234.000); ``lang="en"`` (default) writes EUR 1,234,000.
``names`` maps party ids to display names (a dict, or a Config: its parties' names).

Parties keep one style everywhere (:func:`party_style`, in ``plot_style``): an Okabe-Ito
colour by the party's position in the Dataset, and a hatch, line style and marker as well,
so the figures still read when printed in grey.

matplotlib is imported inside the functions (never when simsav is imported), and figures are
built on ``matplotlib.figure.Figure`` rather than pyplot, so they need no GUI backend and a
notebook shows each figure once. The sensitivity and sharing figures are in the modules
``plot.sensitivity`` and ``plot.sharing`` and are re-exported here: ``tornado_plot``,
``sobol_plot``, ``threshold_plot``, ``variance_plot``, ``sensitivity_figure``,
``transfers_plot``; they take ``lang`` and ``names`` too.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ...files import write_atomically

from .. import texts
# the analyses' figures: simsav.plot is where a notebook finds every figure
from .sensitivity import (  # noqa: F401
    parameter_labels, sensitivity_figure, sobol_plot, threshold_plot, tornado_plot, variance_plot,
)
from .sharing import rule_names, transfers_plot  # noqa: F401
from .style import (  # noqa: F401  (re-exported: simsav.plot is the public face)
    ITEM_COLOURS, ITEM_HATCHES, LANGS, PARTY_COLOURS, PARTY_HATCHES, PARTY_LINESTYLES, PARTY_MARKERS,
    TOTAL_STYLE, check_lang, euro_axis, euro_formatter, format_eur, format_number, format_percent, label,
    literal, new_figure, number_axis, number_formatter, one_axes, panel_grid, party_names, party_style, party_styles,
    percent_formatter,
)

FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

OBSERVED_DRECHTSTEDEN = {"working": 32, "mediation": 19, "on_hold": 9, "dropped_out": 10, "waiting": 4}
"""Drechtsteden status in May 2020 (seed 003 lines 88-99; 2 'other' are not modelled)."""
DRECHTSTEDEN_CENSUS_MONTH = 35

MAIN_FIGURES = ("fan_chart", "net_distribution", "break_even_ecdf", "costs_savings_bars")
"""The figures ``simsav run --plots DIR`` writes, as ``DIR/<name>.png``."""

_TEXT = texts.section("figures")


def _start(ds) -> str:
    return literal(str(ds.attrs.get("calendar_start", "")) or "?")


def _is_base_case(ds) -> bool:
    return ds.attrs.get("mode") == "base_case" or ds.sizes.get("draw", 1) == 1


def _draw_values(da) -> np.ndarray:
    """Return a DataArray's values with ``draw`` first (a base case without draw gets one)."""
    if "draw" not in da.dims:
        da = da.expand_dims("draw")
    return da.transpose("draw", ...).values.astype(float)


def _break_even(be: np.ndarray) -> tuple[float, float]:
    """Return (the break-even month: median over all draws, inf when half or more do not; the share
    of draws that break even), as every command and the report define them."""
    from ...analysis.summary import median_break_even

    finite = np.isfinite(be)
    share = float(finite.mean()) if be.size else 0.0
    return median_break_even(be), share


# --------------------------------------------------------------------------- fan chart

def fan_chart(ds, *, names=None, lang: str = "en", ax=None, parties=None, total: bool = True):
    """Return a Figure of the cumulative net per party over the months: median, 50% and 90% bands.

    One panel per party (and one for all parties together when ``total``), each with a marker
    at the party's break-even month (the median over all draws, a draw that never breaks even
    counted as later; where the median curve crosses zero for good) and the share of draws that
    break even. With ``ax``, every party is drawn on that one axes instead (``total`` is then
    ignored).
    """
    t = _TEXT[check_lang(lang)]
    nm = party_names(ds, names)
    styles = party_styles(ds)
    parties = [str(p) for p in ds["party"].values] if parties is None else [str(p) for p in parties]
    cum = _draw_values(ds["cum_net"].transpose(..., "party", "month"))
    be_all = _draw_values(ds["break_even_month"])
    index = {str(p): k for k, p in enumerate(ds["party"].values)}
    months = ds["month"].values
    base = _is_base_case(ds)
    H = len(months)

    series = []  # (name, style, cum(draw, month), break-even per draw)
    for p in parties:
        series.append((nm[p], styles[p], cum[:, index[p], :], be_all[:, index[p]]))
    if ax is None and total:
        tbe = (_draw_values(ds["total_break_even_month"]) if "total_break_even_month" in ds
               else np.full(cum.shape[0], np.nan))
        series.append((t["all_parties"], TOTAL_STYLE, cum.sum(axis=1), tbe))

    if ax is None:
        fig, axes, _ = panel_grid(len(series), 0.8)
        panels = [(axes[k], [s]) for k, s in enumerate(series)]
    else:
        fig = ax.figure
        panels = [(ax, series)]

    for a, group in panels:
        for name, style, c, be in group:
            q = np.quantile(c, FAN_QUANTILES, axis=0)
            colour = style["color"]
            if not base:
                a.fill_between(months, q[0], q[4], color=colour, alpha=0.18, linewidth=0)
                a.fill_between(months, q[1], q[3], color=colour, alpha=0.38, linewidth=0)
            a.plot(months, q[2], color=colour, linestyle=style["linestyle"], linewidth=2,
                   label=label(name, 30, 2) if len(group) > 1 else t["median"])
            med, share = _break_even(be)
            if math.isfinite(med):
                # the break-even month is where the party's cumulative net is 0 from then on: marked on
                # the zero line, not on the median curve (which crosses zero elsewhere)
                a.axvline(med, color=colour, linestyle=":", linewidth=1.2)
                a.plot([med], [0.0], marker=style["marker"], markersize=8, color=colour,
                       markeredgecolor="black", linestyle="none", zorder=5, clip_on=False)
                note = (t["be_note_base"].format(m=med) if base
                        else t["be_note"].format(m=med, p=format_percent(share, lang)))
            elif share > 0:
                note = t["be_later"].format(h=H, p=format_percent(share, lang))
            else:
                note = t["be_never"].format(h=H)
            if len(group) == 1:
                a.set_title(label(name, 30, 2), fontsize=10, loc="left", fontweight="bold")
                a.set_title(label(note, 40, 3), fontsize=8, loc="right")
        a.axhline(0, color="black", linewidth=0.8)
        a.yaxis.set_major_formatter(euro_formatter(lang))
        a.tick_params(labelsize=8)
        a.set_xlim(months[0], months[-1])
        a.grid(True, linewidth=0.3, alpha=0.5)
    # x labels under the lowest panel of each column, y labels on the left column
    lowest = {}
    for k, (a, _) in enumerate(panels):
        lowest[k % (2 if len(panels) > 1 else 1)] = a
    for a in lowest.values():
        a.set_xlabel(t["month_axis"].format(start=_start(ds)), fontsize=9)
    for k, (a, _) in enumerate(panels):
        if len(panels) == 1 or k % 2 == 0:
            a.set_ylabel(t["cum_net"], fontsize=9)
    _fan_legend(panels, base, t)
    fig.suptitle(t["fan_title_base"] if base else t["fan_title"], fontsize=11)
    return fig


def _fan_legend(panels, base: bool, t: dict) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    a, group = panels[0]
    if len(group) > 1:
        # the curves themselves, not the axes' labelled artists: a name starting with '_' stays in
        a.legend(handles=[ln for ln in a.get_lines() if ln.get_linewidth() == 2], fontsize=8, loc="upper left")
        return
    handles = [Line2D([], [], color="0.3", linewidth=2, label=t["median"])]
    if not base:
        handles += [Patch(color="0.3", alpha=0.38, label=t["band50"]),
                    Patch(color="0.3", alpha=0.18, label=t["band90"])]
    handles.append(Line2D([], [], color="0.3", marker="o", markeredgecolor="black", linestyle=":",
                          label=t["break_even"]))
    a.legend(handles=handles, fontsize=7, loc="upper left")


# --------------------------------------------------------------------------- net distribution

def net_distribution(ds, *, names=None, lang: str = "en", ax=None, bins: int = 40):
    """Return a Figure of the distribution of net per party over the draws, with P(net > 0).

    One row per party: a histogram (height relative to the party's own tallest bin), the
    median (a dot) and the 5-95% range (a bar below), and P(net > 0) on the right.
    """
    t = _TEXT[check_lang(lang)]
    nm = party_names(ds, names)
    styles = party_styles(ds)
    parties = [str(p) for p in ds["party"].values]
    net = _draw_values(ds["net"].transpose(..., "party"))
    fig, ax = one_axes(ax, 9.0, 1.0 + 0.85 * len(parties))
    lo, hi = float(np.nanmin(net)), float(np.nanmax(net))
    span = hi - lo
    if span <= 0:
        span = max(abs(hi), 1.0)
        lo, hi = lo - 0.5 * span, hi + 0.5 * span
    edges = np.linspace(lo, hi, bins + 1)
    from matplotlib.transforms import blended_transform_factory

    right = blended_transform_factory(ax.transAxes, ax.transData)
    n = len(parties)
    for k, p in enumerate(parties):
        y0 = n - 1 - k
        v = net[:, k]
        v = v[np.isfinite(v)]
        st = styles[p]
        counts, _ = np.histogram(v, edges)
        h = 0.7 * counts / max(counts.max(), 1)
        ax.fill_between(edges, y0 + 0.12, y0 + 0.12 + np.append(h, h[-1]), step="post", facecolor=st["color"],
                        alpha=0.75, hatch=st["hatch"], edgecolor="black", linewidth=0.6)
        q5, q50, q95 = np.quantile(v, [0.05, 0.5, 0.95])
        ax.plot([q5, q95], [y0 + 0.05, y0 + 0.05], color="black", linewidth=2.5, solid_capstyle="butt")
        ax.plot([q50], [y0 + 0.05], marker=st["marker"], markersize=8, color=st["color"], markeredgecolor="black",
                linestyle="none", zorder=5)
        ax.text(1.01, y0 + 0.35, t["p_positive"].format(p=format_percent(float(np.mean(v > 0)), lang)),
                transform=right, fontsize=9, va="center", ha="left")
    ax.axvline(0, color="black", linewidth=1)
    ax.set_yticks([n - 1 - k + 0.35 for k in range(n)], [label(nm[p]) for p in parties], fontsize=9)
    ax.set_ylim(-0.1, n)
    euro_axis(ax.xaxis, lang, fontsize=8)  # as many euro ticks as fit side by side
    ax.set_xlabel(t["net_axis"], fontsize=9)
    ax.grid(True, axis="x", linewidth=0.3, alpha=0.5)
    from matplotlib.lines import Line2D

    ax.legend(handles=[Line2D([], [], color="black", linewidth=2.5, marker="o", markerfacecolor="white",
                              label=t["band_legend"])], fontsize=8, loc="upper left", bbox_to_anchor=(0, -0.12))
    ax.set_title(t["net_title"].format(h=ds.sizes["month"]), fontsize=11)
    return fig


# --------------------------------------------------------------------------- break-even ECDF

def break_even_ecdf(ds, *, names=None, lang: str = "en", ax=None, total: bool = True):
    """Return a Figure of the break-even month's ECDF per party: the share of draws broken even by each month.

    A curve that ends below 100% means some draws never break even within the horizon.
    """
    t = _TEXT[check_lang(lang)]
    nm = party_names(ds, names)
    styles = party_styles(ds)
    be = _draw_values(ds["break_even_month"].transpose(..., "party"))
    months = ds["month"].values
    fig, ax = one_axes(ax, 8.5, 4.6)
    curves = [(nm[str(p)], styles[str(p)], be[:, k]) for k, p in enumerate(ds["party"].values)]
    if total and "total_break_even_month" in ds:
        curves.append((t["all_parties"], TOTAL_STYLE, _draw_values(ds["total_break_even_month"])))
    every = max(1, len(months) // 10)
    handles = []
    for k, (name, st, b) in enumerate(curves):
        share = np.array([np.mean(np.isfinite(b) & (b <= m)) for m in months])
        handles += ax.step(months, share, where="post", color=st["color"], linestyle=st["linestyle"], linewidth=2,
                           marker=st["marker"], markevery=(k % every, every), markersize=6, markeredgecolor="black",
                           label=label(f"{name} ({format_percent(share[-1], lang)})", 34, 3))
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlim(months[0], months[-1])
    ax.yaxis.set_major_formatter(percent_formatter())
    ax.set_xlabel(t["ecdf_month_axis"].format(start=_start(ds)), fontsize=9)
    ax.set_ylabel(t["ecdf_axis"], fontsize=9)
    ax.grid(True, linewidth=0.3, alpha=0.5)
    ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(t["ecdf_title"], fontsize=11)
    return fig


# --------------------------------------------------------------------------- costs and savings

def costs_savings_bars(ds, *, names=None, lang: str = "en", ax=None, min_share: float = 0.0):
    """Return a Figure with, per party, a bar of its costs and one of its savings, stacked by item.

    Amounts are the mean over the draws of ``item_total`` (costs as positive heights). Items
    with the same label share a colour and hatch across parties; the items of one bar never
    share a colour nor a hatch (:func:`item_looks`), so they read apart in colour and in grey.
    Items below ``min_share`` of the largest bar are left out.
    """
    t = _TEXT[check_lang(lang)]
    nm = party_names(ds, names)
    styles = party_styles(ds)
    total = ds["item_total"].mean("draw") if "draw" in ds["item_total"].dims else ds["item_total"]
    totals = total.values.astype(float)
    item_party = [str(x) for x in ds["item_party"].values]
    kinds = [str(x) for x in ds["item_kind"].values]
    labels = [str(x) for x in ds["item_label"].values]
    parties = [str(p) for p in ds["party"].values]
    biggest = max(1.0, float(np.abs(totals).max(initial=0.0)))
    floor = max(0.5, min_share * biggest)
    # the items of each bar, bottom-up
    bars = {(p, kind): [i for i in range(len(totals)) if item_party[i] == p and kinds[i] == kind
                        and abs(totals[i]) >= floor]
            for p in parties for kind in ("cost", "saving")}
    look = item_looks([[labels[i] for i in items] for items in bars.values()])
    used = {"cost": [], "saving": []}  # legend sections: a label under the kind it first shows as
    seen = set()
    for (_p, kind), items in bars.items():
        for i in items:
            if labels[i] not in seen:
                seen.add(labels[i])
                used[kind].append(labels[i])
    n_legend = sum(min(3, 1 + len(lab) // 34) for lab in seen) + 2
    fig, ax = one_axes(ax, 12.0, max(5.8, 1.2 + 0.16 * n_legend))
    width = 0.38
    tops = []
    bar_ticks = []
    for k, p in enumerate(parties):
        for j, kind in enumerate(("cost", "saving")):
            x = k + (j - 0.5) * (width + 0.02)
            up, down = 0.0, 0.0
            for i in bars[(p, kind)]:
                h = -totals[i] if kind == "cost" else totals[i]
                bottom = up if h >= 0 else down
                ax.bar(x, h, width, bottom=bottom, linewidth=0.5, **_item_patch(look[labels[i]]))
                if h >= 0:
                    up += h
                else:
                    down += h
            tops.append((x, up, up + down))
            bar_ticks.append((x, t["costs"] if kind == "cost" else t["savings"]))
    ymax = max([u for _, u, _ in tops] + [1.0])
    for x, up, tot in tops:
        ax.text(x, up + 0.01 * ymax, format_eur(round(tot, -3), lang), ha="center", va="bottom", fontsize=7,
                rotation=90)
    ax.set_ylim(min([0.0] + [tot for _, _, tot in tops if tot < 0]) * 1.1, ymax * 1.25)
    ax.set_xlim(-0.6, len(parties) - 0.4)  # room for the amounts over the outer bars
    ax.set_xticks(range(len(parties)), [label(nm[p], 18) for p in parties], fontsize=9)
    ax.set_xticks([x for x, _ in bar_ticks], [lab for _, lab in bar_ticks], minor=True, fontsize=7)
    ax.tick_params(axis="x", which="minor", length=3, colors="0.25")
    ax.tick_params(axis="x", which="major", pad=16, length=0)
    for tick, p in zip(ax.get_xticklabels(), parties):
        tick.set_color("black")
        tick.set_bbox({"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": styles[p]["color"],
                       "linewidth": 2})
    ax.axhline(0, color="black", linewidth=0.8)
    ax.yaxis.set_major_formatter(euro_formatter(lang))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylabel(t["bars_axis"].format(h=ds.sizes["month"]), fontsize=9)
    ax.grid(True, axis="y", linewidth=0.3, alpha=0.5)
    from matplotlib.patches import Patch

    handles, headers = [], []
    for kind, header in (("cost", t["legend_costs"]), ("saving", t["legend_savings"])):
        if not used[kind]:
            continue
        headers.append(header)
        handles.append(Patch(visible=False, label=header))
        handles += [Patch(linewidth=0.5, label=label(lab, 34, 3), **_item_patch(look[lab])) for lab in used[kind]]
    legend = ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       handlelength=2.4, handleheight=1.4, labelspacing=0.45, borderaxespad=0.0)
    for text, handle in zip(legend.get_texts(), handles):
        if not handle.get_visible():
            text.set_fontweight("bold")
    ax.set_title(t["bars_title_base"] if _is_base_case(ds) else t["bars_title"], fontsize=11)
    return fig


def item_looks(bars: list[list[str]]) -> dict[str, tuple[str, str]]:
    """Return (colour, hatch) per item label, given the labels of the items of each bar.

    Labels in order of first appearance get a colour of their own from ``ITEM_COLOURS`` while
    there are colours left; then a colour no other item of the same bars has. Hatches are
    chosen the same way among the labels sharing a bar, so within one bar every item differs
    in colour and in hatch (greyscale prints keep the hatches apart).
    """
    order = list(dict.fromkeys(lab for bar in bars for lab in bar))
    neighbours = {lab: set() for lab in order}
    for bar in bars:
        for lab in bar:
            neighbours[lab].update(x for x in bar if x != lab)
    colours, hatches = {}, {}
    for k, lab in enumerate(order):
        near_c = {colours[x] for x in neighbours[lab] if x in colours}
        free = [c for c in ITEM_COLOURS if c not in colours.values()]
        free = free or [c for c in ITEM_COLOURS if c not in near_c]
        colours[lab] = free[0] if free else ITEM_COLOURS[k % len(ITEM_COLOURS)]
        near_h = {hatches[x] for x in neighbours[lab] if x in hatches}
        free_h = [h for h in ITEM_HATCHES if h not in near_h]
        hatches[lab] = free_h[0] if free_h else ITEM_HATCHES[k % len(ITEM_HATCHES)]
    return {lab: (colours[lab], hatches[lab]) for lab in order}


def _item_patch(look: tuple[str, str]) -> dict:
    """Return the keyword arguments of an item's bar segment or legend patch: its colour, its
    hatch in white on a dark colour and black on a light one."""
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Patch

    colour, hatch = look
    r, g, b = to_rgb(colour)
    dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4
    kw = {"facecolor": colour, "hatch": hatch, "edgecolor": "black"}
    if hasattr(Patch, "set_hatchcolor"):  # matplotlib >= 3.10; before, hatches take the edge colour
        kw["hatchcolor"] = "white" if dark else "black"
    return kw


# --------------------------------------------------------------------------- occupancy at a census

def occupancy_vs_observed(ds, observed: dict | None = None, month: int | None = None, *, lang: str = "en",
                          ax=None, world: str = "program"):
    """Return a Figure of the simulated state occupancy at ``month`` beside an observed status table.

    ``observed`` maps states (``working``, ``mediation``, ``on_hold``, ``dropped_out``,
    ``waiting``) to counts; by default the Drechtsteden census of May 2020 at month 35.
    Observed states the model does not have (``other``) are named in a note.
    """
    t = _TEXT[check_lang(lang)]
    observed = dict(OBSERVED_DRECHTSTEDEN if observed is None else observed)
    month = DRECHTSTEDEN_CENSUS_MONTH if month is None else int(month)
    if month not in ds["month"].values:
        raise ValueError(f"month {month} is outside the results' months 0..{ds.sizes['month'] - 1}")
    model_states = [str(s) for s in ds["state"].values]
    states = [s for s in observed if s in model_states]
    missing = [s for s in observed if s not in model_states]
    occ = ds["occupancy"].sel(world=world, month=month)
    sim = _draw_values(occ.transpose(..., "state"))
    idx = [model_states.index(s) for s in states]
    sim = sim[:, idx]
    mean = sim.mean(axis=0)
    lo, hi = np.quantile(sim, [0.05, 0.95], axis=0)
    base = _is_base_case(ds)
    fig, ax = one_axes(ax, 8.0, 4.6)
    x = np.arange(len(states))
    w = 0.38
    obs = np.array([observed[s] for s in states], dtype=float)
    ax.bar(x - w / 2 - 0.01, obs, w, color="0.8", hatch="//", edgecolor="black", linewidth=0.6, label=t["observed"])
    err = None if base else np.vstack([np.clip(mean - lo, 0, None), np.clip(hi - mean, 0, None)])
    ax.bar(x + w / 2 + 0.01, mean, w, color=PARTY_COLOURS[0], edgecolor="black", linewidth=0.6, yerr=err,
           capsize=3, label=t["simulated_base"] if base else t["simulated"])
    ymax = max(float(np.max(obs, initial=0)), float(np.max(hi if not base else mean, initial=0)), 1.0)
    for xi, o, m in zip(x, obs, mean):
        ax.text(xi - w / 2 - 0.01, o, format_number(o, lang), ha="center", va="bottom", fontsize=8)
        # inside the bar, right of the whisker, so the two never cover each other
        ax.text(xi + w / 2 + 0.01 + w / 4, m - 0.01 * ymax, format_number(m, lang, 1), ha="center", va="top", fontsize=8,
                color="white", fontweight="bold")
    ax.set_xticks(x, [label(t["states"].get(s, s), 18) for s in states], fontsize=9)
    ax.set_ylabel(t["people"], fontsize=9)
    ax.grid(True, axis="y", linewidth=0.3, alpha=0.5)
    ax.legend(fontsize=8)
    date = ""
    if "date" in ds.coords:
        date = str(np.datetime_as_string(ds["date"].sel(month=month).values, unit="M"))
    ax.set_title(t["occ_title"].format(m=month, date=date or "?"), fontsize=11)
    if missing:
        what = ", ".join(f"{t['states'].get(s, s)} ({format_number(float(observed[s]), lang)})" for s in missing)
        ax.text(0.99, 0.97, label(t["not_modelled"].format(what=what), 60, 3), transform=ax.transAxes, ha="right", va="top",
                fontsize=8, color="0.3")
    return fig


# --------------------------------------------------------------------------- files

def figure_png(fig, dpi: int = 110) -> bytes:
    """Return the Figure as PNG bytes (rendered with Agg, whatever the backend)."""
    return figure_bytes(fig, "png", dpi)


def figure_bytes(fig, fmt: str = "png", dpi: int = 110) -> bytes:
    """Return the Figure rendered in ``fmt`` (png, svg, pdf, ...) on a white background."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white")
    return buf.getvalue()


def save_figure(fig, path, dpi: int = 110) -> Path:
    """Write the Figure to ``path`` atomically, in the format its suffix names (.png, .svg,
    .pdf; PNG when it has none)."""
    path = Path(path)
    data = figure_bytes(fig, path.suffix.lstrip(".").lower() or "png", dpi)  # a render failure writes nothing
    return write_atomically(path, lambda tmp: Path(tmp).write_bytes(data))


def main_figures(ds, *, names=None, lang: str = "en") -> dict:
    """Return the main figures of a results Dataset by name (see ``MAIN_FIGURES``)."""
    return {
        "fan_chart": fan_chart(ds, names=names, lang=lang),
        "net_distribution": net_distribution(ds, names=names, lang=lang),
        "break_even_ecdf": break_even_ecdf(ds, names=names, lang=lang),
        "costs_savings_bars": costs_savings_bars(ds, names=names, lang=lang),
    }


def write_main_figures(ds, directory, *, names=None, lang: str = "en", dpi: int = 110) -> list[Path]:
    """Write the main figures to ``directory/<name>.png`` and return the paths."""
    directory = Path(directory)
    return [save_figure(fig, directory / f"{name}.png", dpi) for name, fig in main_figures(ds, names=names,
                                                                                        lang=lang).items()]

