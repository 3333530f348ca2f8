"""Plots of the sensitivity Datasets (simsav.sensitivity): Dataset in, matplotlib Figure out.

matplotlib is imported inside the functions, so importing simsav never loads it. Each
function draws one party (``"total"`` by default) on ``ax`` when given, else on a new figure,
and returns the Figure; ``sensitivity_figure`` draws every party of a Dataset whose net varies,
in a grid, and names the others in a note.
``lang="nl"`` writes labels in Dutch and numbers the Dutch way (EUR 1.234.000, 0,56); ``names``
maps party ids to display names (a dict or a Config), else the Dataset's ``party_name``
coordinate is used. ``labels`` maps parameter ids (``placement_probability``, what a user types
after ``--parameter``) to human labels ("kans op een baan"); without it the Dataset's
``parameter_label`` coordinate is used where it has one, else the ids. Names, parameters and
titles are drawn literally, wrapped where long (``style.label``).
"""
from __future__ import annotations

import math

import numpy as np

from .. import texts
from ..formats import format_value
from .style import (
    check_lang, euro_axis, format_eur, format_percent, label, new_figure, number_axis, party_names, party_style,
    percent_formatter,
)

MAX_FIGURE_HEIGHT = 14.5
"""Inches: sensitivity_figure stays below about 1600 pixels at the default 110 dpi."""
PARAMETER_WIDTH = 30
"""Characters per line of a parameter's label on a tornado or Sobol axis (two lines at most)."""
LOW_COLOUR = "#4477aa"
HIGH_COLOUR = "#ee6677"
BAND_ALPHA = 0.2

_TEXT = texts.section("sensitivity_figures")


def _axes(ax, rows: int = 1, width: float = 7.0, height: float | None = None):
    if ax is not None:
        return ax.figure, ax
    fig = new_figure(width, height or max(2.5, 0.45 * rows + 1.5))
    return fig, fig.add_subplot()


def parameter_labels(ds, labels=None) -> dict[str, str]:
    """Return the label to show per parameter id of ``ds``: from ``labels`` (a mapping id ->
    label), else the Dataset's ``parameter_label`` coordinate, else the id itself; as typed
    (to be drawn through :func:`label`)."""
    ids = [str(p) for p in ds["parameter"].values] if "parameter" in ds.dims else []
    if "parameter" not in ds.dims and "parameter" in ds.attrs:
        ids = [str(ds.attrs["parameter"])]
    known = {}
    if "parameter_label" in ds.coords:
        known = dict(zip(ids, (str(x) for x in np.atleast_1d(ds["parameter_label"].values))))
    elif "parameter_label" in ds.attrs and ids:
        known = {ids[0]: str(ds.attrs["parameter_label"])}
    known.update({str(k): str(v) for k, v in dict(labels or {}).items() if v not in (None, "")})
    return {p: known.get(p) or p for p in ids}


def _parameter_tick(name: str, lang: str, low=None, high=None) -> str:
    """Return a parameter's tick label: its label wrapped to two lines, then its low and high
    values in ``lang``'s style when given."""
    text = label(name, PARAMETER_WIDTH, 2)
    if low is not None:
        text += f"\n{format_value(float(low), lang)} .. {format_value(float(high), lang)}"
    return text


def _party_title(ds, party: str, names=None, lang: str = "en") -> str:
    """Return the display name of ``party`` ("total": all parties) in ``lang``, as typed (to be
    drawn through :func:`label`)."""
    return _TEXT[lang]["all_parties"] if party == "total" else party_names(ds, names)[party]


def tornado_plot(ds, ax=None, *, party: str = "total", top: int = 12, lang: str = "en", names=None,
                 labels=None, legend: bool = True):
    """Return a Figure with the tornado of ``party``: net at each parameter's low and high value.

    Bars start at the base-case net; the parameter with the largest swing is on top. Each
    parameter shows its label (``labels``, see :func:`parameter_labels`) and its low and high
    values.
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
    shown = parameter_labels(ds, labels)
    ticks = [_parameter_tick(shown[str(p)], lang, lo, hi)
             for p, lo, hi in zip(sub.parameter.values[order], sub.low_value.values[order], sub.high_value.values[order])]
    ax.set_yticks(y, ticks, fontsize=8)
    ax.set_ylim(-0.6, max(len(order), 1) - 0.4)
    ax.axvline(base, color="black", linewidth=0.8)
    ax.axvline(0, color="grey", linewidth=0.6, linestyle=":")
    ends = np.concatenate([[0.0, base], sub.net_low.values[order], sub.net_high.values[order]])
    pad = 0.05 * max(float(np.ptp(ends)), abs(base), 1.0)
    ax.set_xlim(ends.min() - pad, ends.max() + pad)
    if not np.any(sub.swing.values > 0.5):
        ax.text(0.5, 0.5, t["nothing_moves"], transform=ax.transAxes, ha="center", va="center", fontsize=9,
                color="grey")
    euro_axis(ax.xaxis, lang, fontsize=7, max_ticks=6)  # as many euro ticks as fit side by side
    ax.set_xlabel(t["tornado_axis"])
    ax.set_title(label(t["tornado_title"].format(party=_party_title(ds, party, names, lang),
                                                 net=format_eur(base, lang)), 70, 2), fontsize=10)
    if legend:
        ax.legend(fontsize=7, loc="best")
    return fig


def sobol_plot(ds, ax=None, *, party: str = "total", top: int = 12, lang: str = "en", names=None, labels=None,
               legend: bool = True):
    """Return a Figure with the first-order and total Sobol indices of ``party`` and their intervals;
    parameters by their labels (``labels``, see :func:`parameter_labels`)."""
    t = _TEXT[check_lang(lang)]
    sub = ds.sel(party=party)
    order = np.argsort(-sub.total_order.values, kind="stable")[:top][::-1]
    fig, ax = _axes(ax, len(order))
    y = np.arange(len(order))
    h = 0.38
    for shift, name, colour, hatch, key in ((h / 2, "total_order", HIGH_COLOUR, "//", t["total"]),
                                           (-h / 2, "first_order", LOW_COLOUR, "", t["first"])):
        v = sub[name].values[order]
        err = np.vstack([np.clip(v - sub[f"{name}_low"].values[order], 0, None),
                         np.clip(sub[f"{name}_high"].values[order] - v, 0, None)])
        ax.barh(y + shift, v, height=h, color=colour, hatch=hatch, edgecolor="white", xerr=err, capsize=2,
                label=key)
    shown = parameter_labels(ds, labels)
    ax.set_yticks(y, [_parameter_tick(shown[str(p)], lang) for p in sub.parameter.values[order]], fontsize=8)
    ax.set_ylim(-0.6, max(len(order), 1) - 0.4)
    highs = np.concatenate([sub.total_order_high.values[order], sub.first_order_high.values[order], [1.0]])
    ax.set_xlim(0, 1.05 * float(np.nanmax(highs)))
    number_axis(ax.xaxis, lang)
    ax.set_xlabel(t["sobol_axis"].format(level=format_percent(ds.attrs.get("confidence_level", 0.95), lang)))
    share = float(sub.noise_share) if "noise_share" in sub else float("nan")
    note = t["noise"].format(share=format_percent(share, lang)) if np.isfinite(share) else ""
    ax.set_title(label(f"{_party_title(ds, party, names, lang)}{note}", 70, 2), fontsize=10)
    if legend:
        ax.legend(fontsize=7, loc="lower right")
    return fig


def threshold_plot(ds, ax=None, *, parties=None, lang: str = "en", names=None, labels=None):
    """Return a Figure with net against the parameter: Monte Carlo mean and band, base-case curve
    (dashed) and the thresholds (dotted verticals), one style per party as in every simsav figure.

    Each threshold is labelled with its value on its line and in the legend (a party whose
    base-case net never crosses 0 says so there); the base value's line is labelled too.
    """
    t = _TEXT[check_lang(lang)]
    fig, ax = _axes(ax, width=9.5, height=4.8)
    all_parties = [str(p) for p in ds.party.values]
    parties = all_parties if parties is None else list(parties)
    x = ds.value.values
    lo_x, hi_x = float(np.min(x)), float(np.max(x))
    span = (hi_x - lo_x) or 1.0
    handles = []
    tags = []  # (threshold, colour)
    for party in parties:
        sub = ds.sel(party=party)
        style = (party_style(all_parties.index(party)) if party != "total"
                 else {"color": "#000000", "linestyle": "-", "marker": "h"})
        colour = style["color"]
        name = _party_title(ds, party, names, lang)
        thr = float(sub.threshold)
        if np.isfinite(thr):
            text = t["threshold_at"].format(party=name, value=format_value(thr, lang))
        else:
            text = t["no_threshold"].format(party=name, low=format_value(lo_x, lang), high=format_value(hi_x, lang))
        handles += ax.plot(x, sub.net_mean, color=colour, linestyle=style["linestyle"], marker=style["marker"],
                           markevery=4, markersize=4, label=label(text, 42, 3))
        ax.fill_between(x, sub.net_low, sub.net_high, color=colour, alpha=BAND_ALPHA, linewidth=0)
        ax.plot(x, sub.expected_net, color=colour, linestyle="--", linewidth=0.8)
        if np.isfinite(thr):
            ax.axvline(thr, color=colour, linestyle=":", linewidth=1.2)
            # where the base-case net crosses 0: the party's marker on the zero line
            ax.plot([thr], [0.0], marker=style["marker"], markersize=7, color=colour, markeredgecolor="black",
                    linestyle="none", zorder=5)
            tags.append((thr, colour))
    ax.axhline(0, color="black", linewidth=0.8)
    base_value = float(ds.attrs["base_value"])
    ax.axvline(base_value, color="grey", linewidth=0.8)
    from matplotlib.transforms import blended_transform_factory

    on_line = blended_transform_factory(ax.transData, ax.transAxes)
    box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.85}
    ax.text(base_value, 0.02, t["base_value"].format(value=format_value(base_value, lang)), transform=on_line,
            ha="center", va="bottom", fontsize=7, color="0.3", bbox=dict(box, edgecolor="grey"), zorder=6)
    # threshold values on top of their lines, stepping down a row where a neighbour is close
    rows: list[float] = []  # the last threshold placed in each row
    for thr, colour in sorted(tags):
        row = next((k for k, last in enumerate(rows) if (thr - last) / span > 0.09), len(rows))
        rows[row:row + 1] = [thr]
        ax.text(thr, 0.98 - 0.075 * row, format_value(thr, lang), transform=on_line, ha="center", va="top",
                fontsize=7, color=colour, fontweight="bold", bbox=dict(box, edgecolor=colour), zorder=6)
    euro_axis(ax.yaxis, lang, fontsize=8)
    number_axis(ax.xaxis, lang)
    shown = parameter_labels(ds, labels).get(str(ds.attrs["parameter"]), str(ds.attrs["parameter"]))
    ax.set_xlabel(t["threshold_axis"].format(parameter=label(shown, 70, 2)))
    ax.set_ylabel(t["net_axis"])
    ax.set_title(t["threshold_title"].format(low=format_percent(ds.attrs["band_low"], lang),
                                             high=format_percent(ds.attrs["band_high"], lang),
                                             draws=ds.attrs["draws"]), fontsize=9)
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
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
    ax.set_yticks(y, [f"{label(_party_title(ds, str(q), names, lang), 28, 2)}\n{t['sd']} {format_eur(s, lang)}"
                      for q, s in zip(ds.party.values, ds.net_sd.values)], fontsize=8)
    for yy, sd in zip(y, ds.net_sd.values):
        if not np.isfinite(sd) or sd < 0.5:  # nothing to split: say so rather than leave the row empty
            ax.text(0.01, yy, t["no_variance"], va="center", ha="left", fontsize=8, color="0.35")
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(t["variance_axis"])
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return fig


def varying_parties(ds) -> list[str]:
    """Return the parties (and ``"total"``) of a tornado or Sobol Dataset whose net varies:
    some parameter swings it by at least half a euro (tornado), or its variance over the
    samples is at least that (Sobol)."""
    analysis = ds.attrs.get("analysis")
    out = []
    for party in ds.party.values:
        sub = ds.sel(party=party)
        if analysis == "tornado":
            moves = bool(np.any(np.nan_to_num(sub.swing.values) > 0.5))
        elif "net_variance" in sub and np.isfinite(float(sub.net_variance)):
            moves = float(sub.net_variance) > 0.25
        else:
            moves = bool(np.any(np.nan_to_num(sub.total_order.values) > 0))
        if moves:
            out.append(str(party))
    return out


def sensitivity_figure(ds, top: int = 12, *, lang: str = "en", names=None, labels=None):
    """Return a Figure for any sensitivity Dataset; ``labels`` maps parameter ids to labels.

    Tornado and Sobol: one panel per party whose net varies, all parties together first, in a
    grid of two columns at most ``MAX_FIGURE_HEIGHT`` inches tall (fewer parameters per panel
    when many parties vary), one legend for all panels on top; a note under the panels names
    the parties that do not vary.
    """
    t = _TEXT[check_lang(lang)]
    analysis = ds.attrs.get("analysis")
    if analysis == "threshold":
        return threshold_plot(ds, lang=lang, names=names, labels=labels)
    if analysis == "variance_decomposition":
        return variance_plot(ds, lang=lang, names=names)
    draw = {"tornado": tornado_plot, "sobol": sobol_plot}.get(analysis)
    if draw is None:
        raise ValueError(f"not a sensitivity Dataset (attrs['analysis'] = {analysis!r}); expected one of "
                         "tornado, sobol, threshold, variance_decomposition")
    parties = [str(p) for p in ds.party.values]
    parties = [p for p in parties if p == "total"] + [p for p in parties if p != "total"]  # all parties first
    moving = set(varying_parties(ds))
    drawn = [p for p in parties if p in moving] or parties[:1]
    still = [p for p in parties if p not in drawn]
    n = len(drawn)
    ncols = 1 if n == 1 else 2
    nrows = math.ceil(n / ncols)
    note = (t["not_varying"].format(parties=", ".join(_party_title(ds, p, names, lang) for p in still))
            if still else "")
    extra = 0.5 + (0.5 if note else 0.0)  # the legend on top, the note below
    top = max(1, int(top))
    rows = max(1, min(top, ds.parameter.size))
    per_row, fixed = (0.42 if analysis == "tornado" else 0.36), 1.3  # inches per parameter; per panel
    room = (MAX_FIGURE_HEIGHT - extra) / nrows - fixed  # inches a panel has for its parameters
    if room < per_row * rows:
        rows = max(3, min(rows, int(room / 0.3)))  # at least 0.3 inch a parameter, else fewer of them
        top = rows
        per_row = min(per_row, room / rows)
    fig = new_figure(7.5 * ncols, nrows * (per_row * rows + fixed) + extra)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    for ax, party in zip(axes, drawn):
        draw(ds, ax, party=party, top=top, lang=lang, names=names, labels=labels, legend=False)
    handles, keys = axes[0].get_legend_handles_labels()
    fig.legend(handles, keys, loc="outside upper center", ncols=len(keys), fontsize=8, frameon=False)
    if note:
        fig.supxlabel(label(note, 60 * ncols + 30, 3), fontsize=9, color="0.25")
    return fig
