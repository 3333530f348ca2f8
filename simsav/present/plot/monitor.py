"""Figures of monitoring (``simsav monitor``): the forecast fan with the realised cumulative net
drawn over it, and each outcome parameter before and after the data.

They take the Datasets of :func:`simsav.analysis.forecast.monitor` (``forecast`` and
``parameters``) and return a matplotlib ``Figure``, in Dutch or English, as the other figures.
"""
from __future__ import annotations

import math

import numpy as np

from .. import texts
from .style import (
    check_lang, euro_formatter, label, literal, new_figure, number_formatter, panel_grid, party_names, party_styles,
)

_T = texts.section("monitor")


def forecast_fan(fc, *, names=None, lang: str = "en", parties=None):
    """Return a Figure with one panel per party: the realised cumulative net to the census (black),
    simsav run's forecast before the data (grey 5% - 95% band) and the forecast after the data from
    the census on (50% and 90% bands and the median, in the party's colour), with the census marked."""
    t = _T[check_lang(lang)]
    nm = party_names(fc, names)
    styles = party_styles(fc)
    parties = [str(p) for p in fc["party"].values] if parties is None else [str(p) for p in parties]
    index = {str(p): k for k, p in enumerate(fc["party"].values)}
    months = fc["month"].values
    c = int(fc.attrs.get("census_index", -1))
    as_of = literal(fc.attrs.get("as_of", ""))
    after = fc["cum_net_quantile"].transpose("fan_quantile", "party", "month").values
    before = fc["cum_net_quantile_before"].transpose("fan_quantile", "party", "month").values
    realised = fc["realised_cum_net"].transpose("party", "month").values
    n = len(parties)
    fig, axes, ncols = panel_grid(n, 1.0)
    future = months >= max(c, 0)
    for a, p in zip(axes, parties):
        k = index[p]
        colour = styles[p]["color"]
        a.fill_between(months, before[0, k], before[4, k], color="0.55", alpha=0.22, linewidth=0,
                       label=t["fan_before"])
        a.plot(months, before[0, k], color="0.45", linewidth=0.6, linestyle="--")
        a.plot(months, before[4, k], color="0.45", linewidth=0.6, linestyle="--")
        a.fill_between(months[future], after[0, k, future], after[4, k, future], color=colour, alpha=0.2,
                       linewidth=0, label=t["fan_after90"])
        a.fill_between(months[future], after[1, k, future], after[3, k, future], color=colour, alpha=0.4,
                       linewidth=0, label=t["fan_after50"])
        a.plot(months[future], after[2, k, future], color=colour, linestyle=styles[p]["linestyle"], linewidth=2,
               label=t["fan_median"])
        seen = np.isfinite(realised[k])
        if seen.any():
            a.plot(months[seen], realised[k, seen], color="black", linewidth=2.2, label=t["fan_realised"])
        if c >= 0:
            a.axvline(c, color="black", linestyle=":", linewidth=1.0)
            top = a.get_ylim()[1]
            a.annotate(t["fan_census"].format(as_of=as_of), (c, top), xytext=(3, -3), textcoords="offset points",
                       fontsize=7, va="top", ha="left" if c < 0.7 * months[-1] else "right")
        a.axhline(0, color="black", linewidth=0.8)
        a.set_title(label(nm[p], 30, 2), fontsize=10, loc="left", fontweight="bold")
        a.yaxis.set_major_formatter(euro_formatter(lang))
        a.tick_params(labelsize=8)
        a.set_xlim(months[0], months[-1])
        a.grid(True, linewidth=0.3, alpha=0.5)
    start = literal(fc.attrs.get("calendar_start", "") or "?")
    for k, a in enumerate(axes[:n]):
        if k >= n - ncols:
            a.set_xlabel(t["fan_axis"].format(start=start), fontsize=9)
        if k % ncols == 0:
            a.set_ylabel(t["fan_y"], fontsize=9)
    axes[0].legend(fontsize=7, loc="upper left")
    fig.suptitle(label(t["fan_title"].format(as_of=as_of), 110, 2), fontsize=11)
    return fig


def parameters_plot(params, *, labels: dict | None = None, lang: str = "en"):
    """Return a Figure with one panel per updated outcome parameter: the prior draws' histogram
    (grey) under the posterior draws' (blue), with both means marked."""
    t = _T[check_lang(lang)]
    labels = labels or {}
    names = params["parameter"].values.tolist()
    paths = params["path"].values.tolist()
    n = len(names)
    ncols = min(3, max(n, 1))
    nrows = max(1, math.ceil(n / ncols))
    fig = new_figure(3.6 * ncols + 0.4, 2.5 * nrows + 0.9)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for a in axes[n:]:
        a.set_visible(False)
    prior = params["value"].transpose("draw", "parameter").values
    post = params["posterior_value"].transpose("draw", "parameter").values if "posterior_value" in params else prior
    w = params["posterior_weight"].values if "posterior_weight" in params else None
    for k, a in enumerate(axes[:n]):
        x, y = prior[:, k], post[:, k]
        both = np.concatenate([x, y])
        lo, hi = np.quantile(both, [0.001, 0.999])
        if not hi > lo:
            lo, hi = lo - 0.5, hi + 0.5
        bins = np.linspace(lo, hi, 40)
        a.hist(x, bins=bins, density=True, color="0.6", alpha=0.55, label=t["params_before"])
        a.hist(y, bins=bins, density=True, weights=w, color="#0072B2", alpha=0.6, label=t["params_after"])
        a.axvline(float(np.mean(x)), color="0.35", linestyle="--", linewidth=1)
        a.axvline(float(np.average(y, weights=w)), color="#0072B2", linewidth=1.5)
        a.set_title(label(literal(labels.get(names[k]) or labels.get(paths[k]) or names[k]), 38, 2), fontsize=9,
                    loc="left")
        a.xaxis.set_major_formatter(number_formatter(lang))
        a.tick_params(labelsize=7)
        a.set_yticks([])
        a.grid(True, axis="x", linewidth=0.3, alpha=0.5)
    if n:
        axes[0].legend(fontsize=7, loc="upper right")
    fig.suptitle(label(t["params_title"].format(as_of=literal(params.attrs.get("as_of", ""))), 100, 2), fontsize=11)
    return fig
