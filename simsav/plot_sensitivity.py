"""Plots of the sensitivity Datasets (simsav.sensitivity): Dataset in, matplotlib Figure out.

matplotlib is imported inside the functions, so importing simsav never loads it. Each
function draws one party (``"total"`` by default) on ``ax`` when given, else on a new figure,
and returns the Figure; ``sensitivity_figure`` draws every party of a Dataset side by side.
"""
from __future__ import annotations

import numpy as np

LOW_COLOUR = "#4477aa"
HIGH_COLOUR = "#ee6677"
BAND_ALPHA = 0.2


def _axes(ax, rows: int = 1, width: float = 7.0, height: float | None = None):
    if ax is not None:
        return ax.figure, ax
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height or max(2.5, 0.45 * rows + 1.5)), layout="constrained")
    return fig, ax


def _party_title(ds, party: str) -> str:
    return str(ds.party_name.sel(party=party).item()) if "party_name" in ds.coords else party


def _k(x: float) -> str:
    return f"{x / 1000:,.0f}k"


def tornado_plot(ds, ax=None, *, party: str = "total", top: int = 12):
    """Return a Figure with the tornado of ``party``: net at each parameter's low and high value.

    Bars start at the base-case net; the parameter with the largest swing is on top.
    """
    sub = ds.sel(party=party)
    order = np.argsort(-sub.swing.values, kind="stable")[:top]
    order = order[::-1]  # barh draws bottom-up
    base = float(sub.base_net)
    fig, ax = _axes(ax, len(order))
    y = np.arange(len(order))
    low = sub.net_low.values[order] - base
    high = sub.net_high.values[order] - base
    ax.barh(y, low, left=base, color=LOW_COLOUR, label="parameter at its low value")
    ax.barh(y, high, left=base, color=HIGH_COLOUR, label="parameter at its high value")
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
        ax.text(0.5, 0.5, "no uncertain parameter moves this net", transform=ax.transAxes, ha="center",
                va="center", fontsize=9, color="grey")
    ax.xaxis.set_major_formatter(lambda x, _pos: _k(x))
    ax.set_xlabel("net over the horizon (EUR, base case)")
    ax.set_title(f"{_party_title(ds, party)}: base net {_k(base)}", fontsize=10)
    ax.legend(fontsize=7, loc="best")
    return fig


def sobol_plot(ds, ax=None, *, party: str = "total", top: int = 12):
    """Return a Figure with the first-order and total Sobol indices of ``party`` and their intervals."""
    sub = ds.sel(party=party)
    order = np.argsort(-sub.total_order.values, kind="stable")[:top][::-1]
    fig, ax = _axes(ax, len(order))
    y = np.arange(len(order))
    h = 0.38
    for shift, name, colour, label in ((h / 2, "total_order", HIGH_COLOUR, "total"),
                                       (-h / 2, "first_order", LOW_COLOUR, "first-order")):
        v = sub[name].values[order]
        err = np.vstack([np.clip(v - sub[f"{name}_low"].values[order], 0, None),
                         np.clip(sub[f"{name}_high"].values[order] - v, 0, None)])
        ax.barh(y + shift, v, height=h, color=colour, xerr=err, capsize=2, label=label)
    ax.set_yticks(y, sub.parameter.values[order], fontsize=8)
    ax.set_xlim(0, 1.05 * max(1.0, float(np.nanmax(sub.total_order_high.values)) if sub.parameter.size else 1.0))
    ax.set_xlabel(f"Sobol index ({ds.attrs.get('confidence_level', 0.95):.0%} bootstrap interval)")
    share = float(sub.noise_share) if "noise_share" in sub else float("nan")
    note = f"; cohort noise {share:.0%} of a cohort's variance" if np.isfinite(share) else ""
    ax.set_title(f"{_party_title(ds, party)}{note}", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    return fig


def threshold_plot(ds, ax=None, *, parties=None):
    """Return a Figure with net against the parameter: Monte Carlo mean and band, base-case curve
    (dashed) and the thresholds (dotted verticals), one colour per party."""
    fig, ax = _axes(ax, width=7.5, height=4.5)
    parties = list(ds.party.values) if parties is None else list(parties)
    x = ds.value.values
    for k, party in enumerate(parties):
        sub = ds.sel(party=party)
        colour = f"C{k % 10}"
        ax.plot(x, sub.net_mean, color=colour, label=_party_title(ds, party))
        ax.fill_between(x, sub.net_low, sub.net_high, color=colour, alpha=BAND_ALPHA, linewidth=0)
        ax.plot(x, sub.expected_net, color=colour, linestyle="--", linewidth=0.8)
        t = float(sub.threshold)
        if np.isfinite(t):
            ax.axvline(t, color=colour, linestyle=":", linewidth=1)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.axvline(ds.attrs["base_value"], color="grey", linewidth=0.6)
    ax.yaxis.set_major_formatter(lambda v, _pos: _k(v))
    ax.set_xlabel(f"{ds.attrs['parameter']} (grey: base value)")
    ax.set_ylabel("net over the horizon (EUR)")
    ax.set_title(f"mean and {ds.attrs['band_low']:.0%}-{ds.attrs['band_high']:.0%} band of "
                 f"{ds.attrs['draws']} draws; dashed: base case", fontsize=9)
    ax.legend(fontsize=7)
    return fig


def variance_plot(ds, ax=None):
    """Return a Figure with each party's band (sd of net) split into parameter and cohort shares."""
    fig, ax = _axes(ax, ds.party.size)
    y = np.arange(ds.party.size)[::-1]
    p = np.nan_to_num(ds.parameter_share.values)
    c = np.nan_to_num(ds.cohort_share.values)
    ax.barh(y, p, color=LOW_COLOUR, label="parameter uncertainty (better data narrows it)")
    ax.barh(y, c, left=p, color=HIGH_COLOUR, label="cohort variability (a bigger pilot narrows it per participant)")
    ax.set_yticks(y, [f"{_party_title(ds, q)}\nsd {_k(s)}" for q, s in zip(ds.party.values, ds.net_sd.values)],
                  fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the variance of net")
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return fig


def sensitivity_figure(ds, top: int = 12):
    """Return a Figure for any sensitivity Dataset: one panel per party for tornado and Sobol."""
    import matplotlib.pyplot as plt

    analysis = ds.attrs.get("analysis")
    if analysis == "threshold":
        return threshold_plot(ds)
    if analysis == "variance_decomposition":
        return variance_plot(ds)
    draw = {"tornado": tornado_plot, "sobol": sobol_plot}.get(analysis)
    if draw is None:
        raise ValueError(f"not a sensitivity Dataset (attrs['analysis'] = {analysis!r}); expected one of "
                         "tornado, sobol, threshold, variance_decomposition")
    parties = list(ds.party.values)
    parties = parties[-1:] + parties[:-1]  # all parties together first
    rows = min(top, ds.parameter.size)
    fig, axes = plt.subplots(len(parties), 1, figsize=(7.5, len(parties) * (0.45 * rows + 1.6)),
                             layout="constrained", squeeze=False)
    for ax, party in zip(axes[:, 0], parties):
        draw(ds, ax, party=party, top=top)
    return fig
