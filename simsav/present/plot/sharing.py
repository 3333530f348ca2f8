"""Plots of sharing rules: net per party before and after each rule (matplotlib imported lazily).

``lang="nl"`` writes labels and rule names in Dutch and euros as EUR 1.234.000; ``names``
maps party ids to display names (a dict or a Config). Panels share one euro scale; a bar too
short to read at that scale (an investor's few thousand euros beside another party's
hundreds of thousands) carries its amount. Names and titles are drawn literally (``style.label``).
"""
from __future__ import annotations

import numpy as np

from .. import texts
from .style import check_lang, euro_formatter, format_eur, label, new_figure, party_names

RULE_COLOURS = ("#888888", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
"""No transfers in grey, then one Okabe-Ito colour per rule."""
RULE_HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "++")
"""A hatch per rule beside its colour, so the bars still read when printed in grey."""

_TEXT = texts.section("sharing_figures")


def rule_names(ds, lang: str = "en") -> list[str]:
    """Return the display names of the rules of a comparison Dataset in ``lang``."""
    t = _TEXT[check_lang(lang)]
    return [t["rules"].get(str(r), str(r)) for r in ds["rule"].values]


def transfers_plot(ds, ax=None, *, settle: str | None = None, lang: str = "en", names=None):
    """Return a Figure of the net per party before and after each rule: bars at the mean, whiskers 5-95%.

    ``ds`` is what :func:`simsav.sharing.compare` returns. With ``ax`` (or ``settle``) one
    settlement is drawn (default: ``ex-post`` when present); without, one panel per settlement.
    """
    check_lang(lang)
    settles = ds["settle"].values.tolist()
    if settle is not None and settle not in settles:
        raise ValueError(f"settle {settle!r} is not in the comparison; it has: {', '.join(settles)}")
    if ax is None:
        panels = [settle] if settle is not None else settles
        fig = new_figure(max(7.0, 1.8 * ds.sizes["party"]), 4.2 * len(panels))
        axes = fig.subplots(len(panels), 1, squeeze=False, sharey=True)[:, 0]  # one scale: panels compare
    else:
        panels = [settle if settle is not None else ("ex-post" if "ex-post" in settles else settles[0])]
        axes = [ax]
        fig = ax.figure
    drawn = [(a, _panel(a, ds, s, lang, party_names(ds, names))) for a, s in zip(axes, panels)]
    for a, bars in drawn:
        _label_short_bars(a, bars, lang)
    return fig


def _label_short_bars(ax, bars, lang: str, share: float = 0.04) -> None:
    """Write the amount beyond the whisker of every bar shorter than ``share`` of the axes'
    height, which would otherwise be a line on the zero axis (once the limits are final: after
    all panels are drawn). ``bars``: (x, mean, whisker low, whisker high) per bar."""
    lo, hi = ax.get_ylim()
    span = hi - lo
    for x, m, low, high in bars:
        if not np.isfinite(m) or abs(m) >= share * span:
            continue
        up = m >= -0.5  # a rounding error below 0 reads as 0, above the line
        ax.annotate(format_eur(round(m, -2) if abs(m) >= 1000 else round(m), lang), (x, high if up else low),
                    xytext=(0, 2 if up else -2), textcoords="offset points", rotation=90, fontsize=6.5,
                    ha="center", va="bottom" if up else "top", color="0.15")


def _panel(ax, ds, settle: str, lang: str, names: dict[str, str]) -> list[tuple]:
    """Draw one settlement's bars on ``ax``; return (x, mean, whisker low, whisker high) per bar."""
    t = _TEXT[lang]
    parties = ds["party"].values.tolist()
    labels = [t["before"]] + rule_names(ds, lang)
    series = [(ds["mean_before"], ds["p5_before"], ds["p95_before"])]
    for rule in ds["rule"].values.tolist():
        sel = dict(rule=rule, settle=settle)
        series.append((ds["mean_after"].sel(sel), ds["p5_after"].sel(sel), ds["p95_after"].sel(sel)))
    x = np.arange(len(parties))
    width = 0.8 / len(series)
    drawn = []
    for k, ((mean, lo, hi), name) in enumerate(zip(series, labels)):
        m = mean.sel(party=parties).values
        # a mean can sit a rounding error outside its own 5-95% band (a constant net): no negative whisker
        err = np.clip(np.vstack([m - lo.sel(party=parties).values, hi.sel(party=parties).values - m]), 0.0, None)
        ax.bar(x - 0.4 + width * (k + 0.5), m, width, yerr=err if ds.sizes["draw"] > 1 else None,
               label=label(name, 40, 2), color=RULE_COLOURS[k % len(RULE_COLOURS)],
               hatch=RULE_HATCHES[k % len(RULE_HATCHES)], edgecolor="white", linewidth=0.5, capsize=2,
               error_kw={"elinewidth": 0.8})
        whiskers = ds.sizes["draw"] > 1
        drawn += [(xi, mi, mi - e0 if whiskers else mi, mi + e1 if whiskers else mi)
                  for xi, mi, e0, e1 in zip(x - 0.4 + width * (k + 0.5), m, err[0], err[1])]
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, [label(names.get(p, p), 18) for p in parties], fontsize=8)
    ax.yaxis.set_major_formatter(euro_formatter(lang))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylabel(t["net_axis"])
    title = label(ds.attrs.get("title", ""), 90, 2)
    when = t.get("settle", {}).get(settle, settle)
    lines = [title, t["title"].format(settle=when)] + ([t["whiskers"]] if ds.sizes["draw"] > 1 else [])
    ax.set_title("\n".join(line for line in lines if line), fontsize=10)
    ax.legend(fontsize=8, ncols=2)
    ax.margins(x=0.02)
    return drawn
