"""Scenarios side by side, and their paired differences.

``compare(["holland-rijnland.toml", "scenarios/hr-240.toml"], draws=2000, seed=1)`` runs every
scenario on the same seed and returns, per scenario and party, the net, its band, P(net > 0),
the break-even month and the SROI, and per scenario its *paired* difference from the first
(the base): "B minus A" draw by draw.

Pairing is common random numbers. Draw ``i`` of every scenario gives

- each uncertain parameter that the scenario shares with the base (the same name: the
  distribution's ``name =``, else the config path) the base's own uniform of draw ``i``, so
  the same quantile of its distribution (its value itself when the distribution is the same);
- a parameter the base lacks a uniform from a stream of its own name
  (``ParameterTable.sample_streams``), shared by every scenario that has it;
- every agent the random numbers of the base's agent with the same index (agent stream 0).

The base's draws are exactly ``simsav run``'s for the same seed, so its column here is the
numbers its own run prints. What two scenarios share then moves their nets together, and
the difference's band holds only what the scenarios change: its variance is
var(A) + var(B) - 2 cov(A, B), far below var(A) + var(B) when they share most of their
uncertainty. ``paired=False`` gives every scenario after the base streams of its own
(parameters and agents): the difference's variance is then the sum of the two (the test of
that is ``tests/test_compare.py``).
"""
from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import xarray as xr

from ..errors import InputError
from ..model.compile import compile_config
from ..model.parameters import parameter_key, stream_uniforms
from ..model.results import describe
from ..model.simulate import as_config, check_draws, check_seed, simulate
from .summary import BAND, median_break_even

SHARED_KEY = 1
"""First word of the stream key of a parameter that scenarios after the base share but the base lacks."""
UNPAIRED_STREAM = 2**20
"""Scenario k of an unpaired comparison draws its parameters and agents from streams UNPAIRED_STREAM + k."""
MAX_SCENARIOS = 12
"""More scenarios than this do not fit side by side on a page (or in a bestuurder's head)."""

_DESCRIPTIONS = {
    "costs": "costs of the party over the horizon in each scenario (EUR)",
    "savings": "savings of the party over the horizon in each scenario (EUR)",
    "net": "savings minus costs in each scenario (EUR); party 'total' is all parties together",
    "break_even_month": "first month from which the party's cumulative net stays >= 0; NaN when not within the horizon",
    "sroi": "total savings / total costs of the scenario",
    "difference": "net of the scenario minus net of the base scenario, draw by draw (EUR)",
    "sroi_difference": "SROI of the scenario minus SROI of the base, draw by draw",
    "net_mean": "mean net over the draws (EUR)",
    "net_median": "median net over the draws (EUR)",
    "net_low": "5th percentile of the net (EUR)",
    "net_high": "95th percentile of the net (EUR)",
    "p_positive": "share of the draws with a net above 0",
    "break_even": "median break-even month over all draws (inf: half or more do not break even in the horizon)",
    "p_break_even": "share of the draws that break even within the horizon",
    "sroi_mean": "mean SROI over the draws",
    "difference_mean": "mean paired difference from the base (EUR)",
    "difference_se": "Monte Carlo standard error of the mean paired difference (EUR)",
    "difference_low": "5th percentile of the paired difference (EUR)",
    "difference_high": "95th percentile of the paired difference (EUR)",
    "p_better": "share of the draws in which the scenario's net is above the base's",
    "variance_ratio": "variance of the paired difference / (variance of the scenario's net + the base's): "
                      "1 when nothing is shared, near 0 when the scenarios share most of their uncertainty",
    "shared_parameters": "uncertain parameters of the scenario that take the base's draws",
    "own_parameters": "uncertain parameters of the scenario that the base lacks",
}
_EUROS = ("costs", "savings", "net", "difference", "net_mean", "net_median", "net_low", "net_high", "difference_mean",
          "difference_se", "difference_low", "difference_high")


def scenario_names(paths) -> list[str]:
    """Return a short, unique name per scenario (a path or a Config): its file's stem (``hr-240``),
    numbered when two clash."""
    from ..config import Config, source_path

    names = []
    for k, p in enumerate(paths):
        if isinstance(p, Config):
            p = source_path(p) or f"scenario{k + 1}"
        stem = Path(str(p)).stem if isinstance(p, (str, os.PathLike)) else f"scenario{k + 1}"
        name, n = stem, 2
        while name in names:
            name, n = f"{stem}-{n}", n + 1
        names.append(name)
    return names


def scenario_rows(models, configs, draws: int, seed: int, paired: bool = True) -> list[np.ndarray]:
    """Return the parameter rows (draws x slots) of every scenario: the base's are ``simsav run``'s
    (``sample``); the others take the base's uniforms for the parameters they share with it
    (matched by name) and streams of their own name for the rest (module docstring).
    ``paired=False``: every scenario after the base draws everything from streams of its own."""
    base = models[0].table
    u0 = base.uniforms(draws, seed)
    base_col = {base.params[s].name: k for k, s in enumerate(base.uncertain)}
    rows = [base.rows_from_uniforms(u0, configs[0].correlations)]
    for k in range(1, len(models)):
        table = models[k].table
        u = np.empty((draws, len(table.uncertain)))
        for j, slot in enumerate(table.uncertain):
            name = table.params[slot].name
            if not paired:
                u[:, j] = stream_uniforms(seed, (UNPAIRED_STREAM + k, *parameter_key(name)), draws)
            elif name in base_col:
                u[:, j] = u0[:, base_col[name]]
            else:
                u[:, j] = stream_uniforms(seed, (SHARED_KEY, *parameter_key(name)), draws)
        rows.append(table.rows_from_uniforms(u, configs[k].correlations))
    return rows


def _per_party(ds: xr.Dataset, parties: list[str]) -> dict[str, np.ndarray]:
    """Return costs, savings, net and break-even (draw x party, 'total' last) of one scenario's results."""
    D = ds.sizes["draw"]
    out = {name: np.zeros((D, len(parties) + 1)) for name in ("costs", "savings")}
    out["break_even_month"] = np.full((D, len(parties) + 1), np.nan)
    own = ds["party"].values.tolist()
    for p, party in enumerate(parties):
        if party in own:
            for name in ("costs", "savings", "break_even_month"):
                out[name][:, p] = ds[name].sel(party=party).values
    for name in ("costs", "savings"):  # all parties: added party by party in the results' order
        out[name][:, -1] = np.cumsum(ds[name].values, axis=1)[:, -1]
    out["break_even_month"][:, -1] = ds["total_break_even_month"].values
    out["net"] = out["savings"] - out["costs"]
    return out


def compare(configs, draws: int = 1000, seed: int = 0, *, paired: bool = True, names=None,
            chunk_size: int | None = None, scheduler=None, progress: bool | None = None) -> xr.Dataset:
    """Return scenarios side by side and their paired differences from the first (the base).

    ``configs``: two or more Configs or paths; the first is the base. Every scenario runs
    ``draws`` draws on ``seed``, paired with the base (module docstring) unless ``paired`` is
    False. ``names``: the scenarios' names (default: the files' stems). ``chunk_size``,
    ``scheduler``, ``progress``: as ``simsav.simulate`` (they change how, never what).

    The Dataset has dims ``scenario``, ``draw`` and ``party`` (the parties of every scenario in
    order of appearance, a party a scenario lacks at 0, and ``total``: all parties together):
    per draw ``costs``, ``savings``, ``net``, ``break_even_month``, ``sroi``, ``difference``
    (net minus the base's net) and ``sroi_difference``; per scenario and party ``net_mean``,
    ``net_median``, ``net_low``, ``net_high`` (the 5-95% band), ``p_positive``, ``break_even``, ``p_break_even``,
    ``sroi_mean``, ``difference_mean``, ``difference_se``, ``difference_low``, ``difference_high``,
    ``p_better`` and ``variance_ratio`` (the paired difference's variance over the sum of the two).
    """
    configs = list(configs)
    if len(configs) < 2:
        raise InputError("scenarios", f"give at least two configs to compare (the first is the base), got "
                                      f"{len(configs)}")
    if len(configs) > MAX_SCENARIOS:
        raise InputError("scenarios", f"compare at most {MAX_SCENARIOS} scenarios at once, got {len(configs)}")
    draws = check_draws(draws, "draws")
    seed = check_seed(seed, "seed")
    if draws < 2:
        raise InputError("draws", f"a comparison needs at least 2 draws (a variance), got {draws}")
    names = scenario_names(configs) if names is None else [str(n) for n in names]
    if len(names) != len(configs) or len(set(names)) != len(names):
        raise InputError("names", f"need {len(configs)} different names, got {names!r}")
    cfgs = [as_config(c) for c in configs]
    models = [compile_config(c) for c in cfgs]
    _check_same_calendar(cfgs, models, names)
    rows = scenario_rows(models, cfgs, draws, seed, paired)

    parties, party_names = [], []
    for m in models:
        for pid, pname in zip(m.party_ids, m.party_names):
            if pid not in parties:
                parties.append(pid)
                party_names.append(pname)
    per = {name: [] for name in ("costs", "savings", "net", "break_even_month")}
    sroi, shared, own, titles, paths = [], [], [], [], []
    base_names = {models[0].table.params[s].name for s in models[0].table.uncertain}
    for k, (cfg, model) in enumerate(zip(cfgs, models)):
        stream = 0 if (paired or k == 0) else UNPAIRED_STREAM + k
        ds = simulate(cfg, values=rows[k], seed=seed, chunk_size=chunk_size, scheduler=scheduler, progress=progress,
                      base=False, agent_stream=stream)
        for name, value in _per_party(ds, parties).items():
            per[name].append(value)
        sroi.append(ds["sroi"].values)
        mine = {model.table.params[s].name for s in model.table.uncertain}
        shared.append(len(mine & base_names) if paired else (len(mine) if k == 0 else 0))
        own.append(len(mine - base_names) if k else 0)
        titles.append(cfg.title)
        paths.append(ds.attrs.get("config_path", ""))
        del ds

    party_coord = parties + ["total"]
    coords = {"scenario": names, "draw": np.arange(draws), "party": party_coord}
    out = xr.Dataset(coords=coords)
    out = out.assign_coords(party_name=("party", party_names + ["total"]), scenario_title=("scenario", titles))
    dims = ("scenario", "draw", "party")
    for name, blocks in per.items():
        out[name] = (dims, np.stack(blocks))
    out["sroi"] = (("scenario", "draw"), np.stack(sroi))
    net = out["net"].values
    out["difference"] = (dims, net - net[:1])
    sr = out["sroi"].values
    out["sroi_difference"] = (("scenario", "draw"), sr - sr[:1])
    _summaries(out)
    out["shared_parameters"] = ("scenario", np.array(shared, dtype=np.int64))
    out["own_parameters"] = ("scenario", np.array(own, dtype=np.int64))
    describe(out, _DESCRIPTIONS, _EUROS)
    from .._version import __version__

    out.attrs.update(
        simsav_version=__version__, mode="compare", seed=int(seed), draws=int(draws), paired=int(bool(paired)),
        base=names[0], config_paths=list(paths), currency="EUR",
        horizon_months=int(models[0].horizon), calendar_start=models[0].calendar_start,
        band=f"{BAND[0]:g}-{BAND[1]:g}",
    )
    return out


def _check_same_calendar(cfgs, models, names) -> None:
    """Scenarios compared draw by draw must count the same months: the same start and horizon."""
    h0, s0 = models[0].horizon, models[0].calendar_start
    for name, m in zip(names[1:], models[1:]):
        if (m.horizon, m.calendar_start) != (h0, s0):
            raise InputError(name, f"runs {m.horizon} months from {m.calendar_start}, the base {names[0]} "
                                   f"{h0} months from {s0}: scenarios compared side by side need the same "
                                   "cohort.start and cohort.horizon_months (set them in the scenario)")


def _summaries(out: xr.Dataset) -> None:
    """Add the per-scenario, per-party summaries of the draws to ``out``."""
    net = out["net"].values  # scenario x draw x party
    diff = out["difference"].values
    D = net.shape[1]
    lo, hi = BAND
    out["net_mean"] = (("scenario", "party"), net.mean(axis=1))
    out["net_median"] = (("scenario", "party"), np.median(net, axis=1))
    out["net_low"] = (("scenario", "party"), np.quantile(net, lo, axis=1))
    out["net_high"] = (("scenario", "party"), np.quantile(net, hi, axis=1))
    out["p_positive"] = (("scenario", "party"), (net > 0).mean(axis=1))
    be = out["break_even_month"].values
    out["break_even"] = (("scenario", "party"),
                         np.array([[median_break_even(be[s, :, p]) for p in range(be.shape[2])]
                                   for s in range(be.shape[0])]))
    out["p_break_even"] = (("scenario", "party"), np.isfinite(be).mean(axis=1))
    sr = out["sroi"].values
    out["sroi_mean"] = ("scenario", np.array([np.nanmean(s) if np.isfinite(s).any() else math.nan for s in sr]))
    out["difference_mean"] = (("scenario", "party"), diff.mean(axis=1))
    out["difference_se"] = (("scenario", "party"), diff.std(axis=1, ddof=1) / math.sqrt(D))
    out["difference_low"] = (("scenario", "party"), np.quantile(diff, lo, axis=1))
    out["difference_high"] = (("scenario", "party"), np.quantile(diff, hi, axis=1))
    out["p_better"] = (("scenario", "party"), (diff > 0).mean(axis=1))
    var = net.var(axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = diff.var(axis=1, ddof=1) / (var + var[:1])
    out["variance_ratio"] = (("scenario", "party"), np.where(np.isfinite(ratio), ratio, np.nan))

