"""Plots of sharing rules: net per party before and after each rule (matplotlib imported lazily)."""
from __future__ import annotations

import numpy as np


def transfers_plot(ds, ax=None, *, settle: str | None = None):
    """Return a Figure of the net per party before and after each rule: bars at the mean, whiskers 5-95%.

    ``ds`` is what :func:`simsav.sharing.compare` returns. With ``ax`` (or ``settle``) one
    settlement is drawn (default: ``ex-post`` when present); without, one panel per settlement.
    Amounts in EUR 1,000.
    """
    settles = ds["settle"].values.tolist()
    if settle is not None and settle not in settles:
        raise ValueError(f"settle {settle!r} is not in the comparison; it has: {', '.join(settles)}")
    if ax is None:
        from matplotlib.figure import Figure

        panels = [settle] if settle is not None else settles
        fig = Figure(figsize=(max(7.0, 1.8 * ds.sizes["party"]), 4.2 * len(panels)), layout="constrained")
        axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    else:
        panels = [settle if settle is not None else ("ex-post" if "ex-post" in settles else settles[0])]
        axes = [ax]
        fig = ax.figure
    for a, s in zip(axes, panels):
        _panel(a, ds, s)
    return fig


def _panel(ax, ds, settle: str) -> None:
    parties = ds["party"].values.tolist()
    rules = ds["rule_label"].values if "rule_label" in ds.coords else ds["rule"].values
    labels = ["no transfers"] + [str(r) for r in rules]
    series = [(ds["mean_before"], ds["p5_before"], ds["p95_before"])]
    for rule in ds["rule"].values.tolist():
        sel = dict(rule=rule, settle=settle)
        series.append((ds["mean_after"].sel(sel), ds["p5_after"].sel(sel), ds["p95_after"].sel(sel)))
    x = np.arange(len(parties))
    width = 0.8 / len(series)
    colors = ["0.6"] + [f"C{k}" for k in range(len(series) - 1)]
    for k, ((mean, lo, hi), label) in enumerate(zip(series, labels)):
        m = mean.sel(party=parties).values / 1000
        # a mean can sit a rounding error outside its own 5-95% band (a constant net): no negative whisker
        err = np.clip(np.vstack([m - lo.sel(party=parties).values / 1000, hi.sel(party=parties).values / 1000 - m]),
                      0.0, None)
        ax.bar(x - 0.4 + width * (k + 0.5), m, width, yerr=err if ds.sizes["draw"] > 1 else None,
               label=label, color=colors[k], capsize=2, error_kw={"elinewidth": 0.8})
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, parties)
    ax.set_ylabel("net, EUR 1,000")
    title = ds.attrs.get("title", "")
    ax.set_title(f"{title}\nnet per party before and after each rule, settled {settle}"
                 + (" (bars: mean, whiskers: 5-95%)" if ds.sizes["draw"] > 1 else ""), fontsize=10)
    ax.legend(fontsize=8, ncols=2)
