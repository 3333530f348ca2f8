"""Plots of the sensitivity Datasets (simsav.sensitivity): Dataset in, matplotlib Figure out.

matplotlib is imported inside the functions, so importing simsav never loads it. Each
function draws one party (``"total"`` by default) on ``ax`` when given, else on a new figure,
and returns the Figure; ``sensitivity_figure`` draws every party of a Dataset side by side.
``lang="nl"`` writes labels in Dutch and euros as EUR 1.234.000; ``names`` maps party ids to
display names (a dict or a Config), else the Dataset's ``party_name`` coordinate is used.
Parameters keep their config names (``placement_probability``): they are what a user types
after ``--parameter``.
"""
from __future__ import annotations

import numpy as np

from .. import texts
from .style import check_lang, euro_formatter, format_eur, format_percent, new_figure, party_names, party_style

LOW_COLOUR = "#4477aa"
HIGH_COLOUR = "#ee6677"
BAND_ALPHA = 0.2

_TEXT = texts.section("sensitivity_figures")


def _axes(ax, rows: int = 1, width: float = 7.0, height: float | None = None):
    if ax is not None:
        return ax.figure, ax
    fig = new_figure(width, height or max(2.5, 0.45 * rows + 1.5))
    return fig, fig.add_subplot()


def _party_title(ds, party: str, names=None, lang: str = "en") -> str:
    """Return the display name of ``party`` ("total": all parties) in ``lang``."""
    return _TEXT[lang]["all_parties"] if party == "total" else party_names(ds, names)[party]


def _euro_axis(axis, lang: str) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=5))
    axis.set_major_formatter(euro_formatter(lang))


def tornado_plot(ds, ax=None, *, party: str = "total", top: int = 12, lang: str = "en", names=None):
    """Return a Figure with the tornado of ``party``: net at each parameter's low and high value.

    Bars start at the base-case net; the parameter with the largest swing is on top.
    """
    t = _TEXT[check_lang(lang)]
    sub = ds.sel(party=party)
    order = np.argsort(-sub.swing.values, kind="stable")[:top]
    order = order[::-1]  # barh draws bottom-up
    base = float(sub.base_net)
    fig, ax = _axes(ax, len(order))
    y = np.arange(len(order))
    low = sub.net_low.values[order] - base
    high = sub.net_high.values[order] - base
    ax.barh(y, low, left=base, color=LOW_COLOUR, label=t["low"])
    ax.barh(y, high, left=base, color=HIGH_COLOUR, hatch="//", edgecolor="white", label=t["high"])
    labels = [f"{p}\n{lo:.4g} .. {hi:.4g}" for p, lo, hi in zip(sub.parameter.values[order],
                                                               sub.low_value.values[order],
                                                               sub.high_value.values[order])]
    ax.set_yticks(y, labels, fontsize=8)
    ax.axvline(base, color="black", linewidth=0.8)
    ax.axvline(0, color="grey", linewidth=0.6, linestyle=":")
    ends = np.concatenate([[0.0, base], sub.net_low.values[order], sub.net_high.values[order]])
    pad = 0.05 * max(float(np.ptp(ends)), abs(base), 1.0)
    ax.set_xlim(ends.min() - pad, ends.max() + pad)
    if not np.any(sub.swing.values > 0.5):
        ax.text(0.5, 0.5, t["nothing_moves"], transform=ax.transAxes, ha="center", va="center", fontsize=9,
                color="grey")
    _euro_axis(ax.xaxis, lang)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel(t["tornado_axis"])
    ax.set_title(t["tornado_title"].format(party=_party_title(ds, party, names, lang), net=format_eur(base, lang)),
                 fontsize=10)
    ax.legend(fontsize=7, loc="best")
    return fig


def sobol_plot(ds, ax=None, *, party: str = "total", top: int = 12, lang: str = "en", names=None):
    """Return a Figure with the first-order and total Sobol indices of ``party`` and their intervals."""
    t = _TEXT[check_lang(lang)]
    sub = ds.sel(party=party)
    order = np.argsort(-sub.total_order.values, kind="stable")[:top][::-1]
    fig, ax = _axes(ax, len(order))
    y = np.arange(len(order))
    h = 0.38
    for shift, name, colour, hatch, label in ((h / 2, "total_order", HIGH_COLOUR, "//", t["total"]),
                                              (-h / 2, "first_order", LOW_COLOUR, "", t["first"])):
        v = sub[name].values[order]
        err = np.vstack([np.clip(v - sub[f"{name}_low"].values[order], 0, None),
                         np.clip(sub[f"{name}_high"].values[order] - v, 0, None)])
        ax.barh(y + shift, v, height=h, color=colour, hatch=hatch, edgecolor="white", xerr=err, capsize=2,
                label=label)
    ax.set_yticks(y, sub.parameter.values[order], fontsize=8)
    ax.set_xlim(0, 1.05 * max(1.0, float(np.nanmax(sub.total_order_high.values)) if sub.parameter.size else 1.0))
    ax.set_xlabel(t["sobol_axis"].format(level=format_percent(ds.attrs.get("confidence_level", 0.95), lang)))
    share = float(sub.noise_share) if "noise_share" in sub else float("nan")
    note = t["noise"].format(share=format_percent(share, lang)) if np.isfinite(share) else ""
    ax.set_title(f"{_party_title(ds, party, names, lang)}{note}", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    return fig


def threshold_plot(ds, ax=None, *, parties=None, lang: str = "en", names=None):
    """Return a Figure with net against the parameter: Monte Carlo mean and band, base-case curve
    (dashed) and the thresholds (dotted verticals), one style per party as in every simsav figure."""
    t = _TEXT[check_lang(lang)]
    fig, ax = _axes(ax, width=7.5, height=4.5)
    all_parties = [str(p) for p in ds.party.values]
    parties = all_parties if parties is None else list(parties)
    x = ds.value.values
    for party in parties:
        sub = ds.sel(party=party)
        style = (party_style(all_parties.index(party)) if party != "total"
                 else {"color": "#000000", "linestyle": "-", "marker": "h"})
        colour = style["color"]
        ax.plot(x, sub.net_mean, color=colour, linestyle=style["linestyle"], marker=style["marker"], markevery=4,
                markersize=4, label=_party_title(ds, party, names, lang))
        ax.fill_between(x, sub.net_low, sub.net_high, color=colour, alpha=BAND_ALPHA, linewidth=0)
        ax.plot(x, sub.expected_net, color=colour, linestyle="--", linewidth=0.8)
        thr = float(sub.threshold)
        if np.isfinite(thr):
            ax.axvline(thr, color=colour, linestyle=":", linewidth=1)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.axvline(ds.attrs["base_value"], color="grey", linewidth=0.6)
    _euro_axis(ax.yaxis, lang)
    ax.set_xlabel(t["threshold_axis"].format(parameter=ds.attrs["parameter"]))
    ax.set_ylabel(t["net_axis"])
    ax.set_title(t["threshold_title"].format(low=format_percent(ds.attrs["band_low"], lang),
                                             high=format_percent(ds.attrs["band_high"], lang),
                                             draws=ds.attrs["draws"]), fontsize=9)
    ax.legend(fontsize=7)
    return fig


def variance_plot(ds, ax=None, *, lang: str = "en", names=None):
    """Return a Figure with each party's band (sd of net) split into parameter and cohort shares."""
    t = _TEXT[check_lang(lang)]
    fig, ax = _axes(ax, ds.party.size)
    y = np.arange(ds.party.size)[::-1]
    p = np.nan_to_num(ds.parameter_share.values)
    c = np.nan_to_num(ds.cohort_share.values)
    ax.barh(y, p, color=LOW_COLOUR, label=t["parameter_share"])
    ax.barh(y, c, left=p, color=HIGH_COLOUR, hatch="//", edgecolor="white", label=t["cohort_share"])
    ax.set_yticks(y, [f"{_party_title(ds, str(q), names, lang)}\n{t['sd']} {format_eur(s, lang)}"
                      for q, s in zip(ds.party.values, ds.net_sd.values)], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel(t["variance_axis"])
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return fig


def sensitivity_figure(ds, top: int = 12, *, lang: str = "en", names=None):
    """Return a Figure for any sensitivity Dataset: one panel per party for tornado and Sobol."""
    check_lang(lang)
    analysis = ds.attrs.get("analysis")
    if analysis == "threshold":
        return threshold_plot(ds, lang=lang, names=names)
    if analysis == "variance_decomposition":
        return variance_plot(ds, lang=lang, names=names)
    draw = {"tornado": tornado_plot, "sobol": sobol_plot}.get(analysis)
    if draw is None:
        raise ValueError(f"not a sensitivity Dataset (attrs['analysis'] = {analysis!r}); expected one of "
                         "tornado, sobol, threshold, variance_decomposition")
    parties = list(ds.party.values)
    parties = parties[-1:] + parties[:-1]  # all parties together first
    rows = min(top, ds.parameter.size)
    fig = new_figure(7.5, len(parties) * (0.45 * rows + 1.6))
    axes = fig.subplots(len(parties), 1, squeeze=False)
    for ax, party in zip(axes[:, 0], parties):
        draw(ds, ax, party=party, top=top, lang=lang, names=names)
    return fig
