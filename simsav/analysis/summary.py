"""Summaries of a results Dataset: xarray in, plain numbers out (``simsav.present`` words them).

``party_summary`` gives, per party, what an advisor asks first: costs, savings and net with
their Monte Carlo bands and standard errors, the chance of a positive net and when the
party breaks even.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import xarray as xr

from .notices import Notice

BAND = (0.05, 0.95)
"""The band every summary, figure and analysis quotes: 90% of the draws, from the 5th to the 95th percentile."""
MIN_DRAWS_PER_TAIL = 50
"""A 5-95% band needs this many draws beyond each end before its ends settle."""


@dataclass(frozen=True)
class Stat:
    """A quantity over draws: mean, its Monte Carlo standard error, median and 5-95% band."""

    mean: float
    se: float
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, x) -> "Stat":
        x = np.asarray(x, dtype=float)
        x = x[np.isfinite(x)]
        if x.size == 0:
            return cls(*(math.nan,) * 5)
        se = float(x.std(ddof=1) / math.sqrt(x.size)) if x.size > 1 else 0.0
        lo, med, hi = np.quantile(x, [BAND[0], 0.5, BAND[1]])
        return cls(float(x.mean()), se, float(med), float(lo), float(hi))


def median_break_even(be) -> float:
    """Return the break-even month of a party: the median over all draws, a draw that does not
    break even within the horizon counted as later than any month (inf when half or more do not).

    The one definition every command, figure and report uses, beside the share that breaks even.
    """
    be = np.asarray(be, dtype=float)
    if be.size == 0:
        return math.nan
    return float(np.median(np.where(np.isnan(be), np.inf, be)))


@dataclass(frozen=True)
class PartySummary:
    party: str
    name: str
    costs: Stat
    savings: Stat
    net: Stat
    p_positive: float
    break_even: float  # median_break_even: over all draws, inf when half or more do not break even
    p_break_even: float  # share of draws breaking even within the horizon
    base_net: float  # the base case: the sources' point values, expected outcomes (NaN when unknown)
    means_net: float  # the base case with every uncertain number at its distribution's mean (NaN when unknown)
    base_break_even: float  # the base case's break-even month (inf: not within the horizon)


@dataclass(frozen=True)
class RunSummary:
    draws: int
    parties: list[PartySummary]
    total: PartySummary
    sroi: Stat
    placements: dict[str, Stat]  # job spells begun
    placed: dict[str, Stat]  # participants placed at least once
    successes: dict[str, Stat]
    participants: dict[str, int]
    p_all_positive: float
    notices: list[Notice]


def _net(ds: xr.Dataset, sel) -> np.ndarray:
    costs = ds["costs"].sel(party=sel).values if sel is not None else ds["costs"].sum("party").values
    savings = ds["savings"].sel(party=sel).values if sel is not None else ds["savings"].sum("party").values
    return savings - costs


def _party(ds: xr.Dataset, sel, party: str, name: str, be, base: xr.Dataset | None) -> PartySummary:
    costs = ds["costs"].sel(party=sel).values if sel is not None else ds["costs"].sum("party").values
    savings = ds["savings"].sel(party=sel).values if sel is not None else ds["savings"].sum("party").values
    net = savings - costs
    be = np.asarray(be, dtype=float)
    base_net = base_be = means_net = math.nan
    if base is not None:
        base_net = float(_net(base, sel)[0])
        base_be = median_break_even((base["break_even_month"].sel(party=sel) if sel is not None
                                     else base["total_break_even_month"]).values)
    if "means_net" in ds:
        means_net = float(ds["means_net"].sel(party=sel) if sel is not None else ds["means_net"].sum("party"))
    return PartySummary(
        party=party,
        name=name,
        costs=Stat.of(costs),
        savings=Stat.of(savings),
        net=Stat.of(net),
        p_positive=float(np.mean(net > 0)),
        break_even=median_break_even(be),
        p_break_even=float(np.mean(np.isfinite(be))),
        base_net=base_net,
        means_net=means_net,
        base_break_even=base_be,
    )


def party_summary(ds: xr.Dataset, names: dict[str, str] | None = None) -> RunSummary:
    """Return the per-party summary of a results Dataset (Monte Carlo or base case)."""
    from ..model.results import base_case_of, has_base_case

    names = names or {}
    n = ds.sizes["draw"]
    base = base_case_of(ds) if has_base_case(ds) else None
    parties = [
        _party(ds, p, p, names.get(p, p), ds["break_even_month"].sel(party=p).values, base)
        for p in ds["party"].values.tolist()
    ]
    total = _party(ds, None, "total", names.get("total", "total"), ds["total_break_even_month"].values, base)
    notices = []
    if ds.attrs.get("mode") == "monte_carlo":
        tail = n * BAND[0]
        if tail < MIN_DRAWS_PER_TAIL:
            need = int(math.ceil(MIN_DRAWS_PER_TAIL / BAND[0]))
            notices.append(Notice("few_draws", {"draws": n, "tail": round(tail), "need": need}))
        worst = max((p.p_positive for p in parties), key=lambda p: p * (1 - p), default=0.0)
        se_p = math.sqrt(worst * (1 - worst) / n)
        if se_p > 0.02:
            notices.append(Notice("p_uncertain", {"se": se_p}))
    return RunSummary(
        draws=n,
        parties=parties,
        total=total,
        sroi=Stat.of(ds["sroi"].values),
        placements={s: Stat.of(ds["placements"].sel(stream=s).values) for s in ds["stream"].values.tolist()}
        | {"total": Stat.of(ds["placements"].sum("stream").values)},
        placed=_per_stream(ds, "placed"),
        successes={s: Stat.of(ds["successes"].sel(stream=s).values) for s in ds["stream"].values.tolist()}
        | {"total": Stat.of(ds["successes"].sum("stream").values)},
        participants=_participants(ds),
        p_all_positive=float(np.mean((ds["net"] > 0).all("party").values)),
        notices=notices,
    )


def _per_stream(ds: xr.Dataset, name: str) -> dict[str, Stat]:
    if name not in ds:
        return {}
    return ({s: Stat.of(ds[name].sel(stream=s).values) for s in ds["stream"].values.tolist()}
            | {"total": Stat.of(ds[name].sum("stream").values)})


def _participants(ds: xr.Dataset) -> dict[str, int]:
    """Return the participants per stream (and in all): the trajectory starts."""
    if "events" not in ds:
        return {}
    starts = ds["events"].sel(world="program", event="start").isel(draw=0).sum("month").values
    counts = {s: int(round(float(n))) for s, n in zip(ds["stream"].values.tolist(), starts)}
    return counts | {"total": sum(counts.values())}
