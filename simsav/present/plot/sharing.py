"""Plots of sharing rules: net per party before and after each rule (matplotlib imported lazily).

``lang="nl"`` writes labels and rule names in Dutch and euros as EUR 1.234.000; ``names``
maps party ids to display names (a dict or a Config).
"""
from __future__ import annotations

import numpy as np

from .. import texts
from .style import check_lang, euro_formatter, new_figure, party_names

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
        axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    else:
        panels = [settle if settle is not None else ("ex-post" if "ex-post" in settles else settles[0])]
        axes = [ax]
        fig = ax.figure
    for a, s in zip(axes, panels):
        _panel(a, ds, s, lang, party_names(ds, names))
    return fig


def _panel(ax, ds, settle: str, lang: str, names: dict[str, str]) -> None:
    import textwrap

    t = _TEXT[lang]
    parties = ds["party"].values.tolist()
    labels = [t["before"]] + rule_names(ds, lang)
    series = [(ds["mean_before"], ds["p5_before"], ds["p95_before"])]
    for rule in ds["rule"].values.tolist():
        sel = dict(rule=rule, settle=settle)
        series.append((ds["mean_after"].sel(sel), ds["p5_after"].sel(sel), ds["p95_after"].sel(sel)))
    x = np.arange(len(parties))
    width = 0.8 / len(series)
    for k, ((mean, lo, hi), label) in enumerate(zip(series, labels)):
        m = mean.sel(party=parties).values
        # a mean can sit a rounding error outside its own 5-95% band (a constant net): no negative whisker
        err = np.clip(np.vstack([m - lo.sel(party=parties).values, hi.sel(party=parties).values - m]), 0.0, None)
        ax.bar(x - 0.4 + width * (k + 0.5), m, width, yerr=err if ds.sizes["draw"] > 1 else None,
               label=label, color=RULE_COLOURS[k % len(RULE_COLOURS)], hatch=RULE_HATCHES[k % len(RULE_HATCHES)],
               edgecolor="white", linewidth=0.5, capsize=2, error_kw={"elinewidth": 0.8})
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, ["\n".join(textwrap.wrap(names.get(p, p), 18, break_long_words=False)) for p in parties],
                  fontsize=8)
    ax.yaxis.set_major_formatter(euro_formatter(lang))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylabel(t["net_axis"])
    title = ds.attrs.get("title", "")
    when = t.get("settle", {}).get(settle, settle)
    lines = [title, t["title"].format(settle=when)] + ([t["whiskers"]] if ds.sizes["draw"] > 1 else [])
    ax.set_title("\n".join(line for line in lines if line), fontsize=10)
    ax.legend(fontsize=8, ncols=2)
