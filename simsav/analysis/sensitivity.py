"""Sensitivity analyses: which assumptions drive each party's net, and where it breaks even.

Four methods, each a function that takes a config (a Config or a path) and returns an
``xarray.Dataset`` whose ``party`` dimension holds the config's parties and ``"total"``
(all parties together):

* ``tornado``: one parameter at a time at its 5th and 95th percentile, the others at their
  base values; base case (expected outcomes), so deterministic.
* ``sobol``: first-order and total Sobol indices over all uncertain parameters
  (``scipy.stats.sobol_indices``, Saltelli 2010) on expected outcomes, with bootstrap
  intervals, and the share of variance a simulated cohort adds on top (agent-level noise).
* ``threshold``: the value of one parameter at which each party's expected net is zero
  (``scipy.optimize.brentq`` on the base case), and the curve of net against that parameter
  with its Monte Carlo band.
* ``variance_decomposition``: nested draws (parameters outside, cohorts inside); the law of
  total variance splits each party's variance into parameter uncertainty and cohort variability.

Tornado and Sobol vary parameters independently and so ignore the config's rank
correlations; threshold and variance decomposition sample with them (docs/sensitivity.md).
The model is evaluated in vectorised batches through ``runner.run_expected`` and
``runner.run_monte_carlo``; nothing here knows numba.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
from functools import partial
import math
import sys
import warnings
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import xarray as xr
from scipy import optimize, stats
from scipy.special import ndtr, ndtri

from .._version import __version__
from ..config import PROBABILITY_FIELDS, Config, source_path, source_sha256
from ..errors import InputError
from ..model import sampling
from ..model.compile import CompiledModel, compile_config
from ..model.engine import draw_keys, run_expected, run_monte_carlo
from ..model.parameters import PARAMETER_STREAM, ParameterTable
from ..model.results import describe
from ..model.simulate import as_config, check_seed
from .summary import BAND

TOTAL = "total"
"""The ``party`` coordinate of all parties together."""

# Spawn keys of the random streams an analysis uses, beside the agents' (0) and the
# parameters' (PARAMETER_STREAM = 1) streams of a simulation with the same seed.
SOBOL_DESIGN_STREAM = 2
BOOTSTRAP_STREAM = 3

TORNADO_QUANTILES = BAND
_UNIT_EPS = 1e-12  # uniforms are kept inside (0, 1) so unbounded ppfs stay finite
_BYTES_PER_BATCH = 64 * 2**20


# ============================================================================ the model as a function
@dataclass(frozen=True)
class _Case:
    """A compiled config and how its rows of parameters become net per party."""

    cfg: Config
    model: CompiledModel

    @property
    def table(self) -> ParameterTable:
        return self.model.table

    @property
    def outputs(self) -> list[str]:
        return list(self.model.party_ids) + [TOTAL]

    def output_names(self) -> list[str]:
        names = {p.id: p.name for p in self.cfg.parties}
        return [names.get(p, p) for p in self.model.party_ids] + ["All parties"]

    def rows(self, slots: Sequence[int], x: np.ndarray) -> np.ndarray:
        """Return parameter rows: point values, with columns ``slots`` set to ``x`` (m x len(slots))."""
        x = np.asarray(x, dtype=float).reshape(-1, len(slots))
        values = np.tile(self.table.point_row(), (x.shape[0], 1))
        values[:, list(slots)] = x
        return values

    def _batch(self) -> int:
        per_row = 8 * (self.model.horizon + 1) * (len(self.model.item_ids) + 10)
        return int(max(16, min(8192, _BYTES_PER_BATCH // per_row)))

    def item_totals(self, values: np.ndarray, keys: np.ndarray | None = None, progress=None,
                    desc: str = "evaluating") -> np.ndarray:
        """Return rows x items: the saving on each item over the horizon (expected outcomes, or
        one simulated cohort per row when ``keys`` are given)."""
        values = np.atleast_2d(np.asarray(values, dtype=float))
        out = np.empty((values.shape[0], len(self.model.item_ids)))
        step = self._batch()
        from tqdm.auto import tqdm

        bar = tqdm(total=values.shape[0], unit="row", desc=desc, delay=1.0, file=sys.stderr, leave=False,
                   disable=(None if progress is None else not progress))
        for a in range(0, values.shape[0], step):
            b = min(a + step, values.shape[0])
            if keys is None:
                raw = run_expected(self.model, values[a:b])
            else:
                raw = run_monte_carlo(self.model, values[a:b], keys[a:b])
            out[a:b] = raw.flow.sum(axis=2)
            bar.update(b - a)
        bar.close()
        return out

    def party_totals(self, item_totals: np.ndarray) -> dict[str, np.ndarray]:
        """Return net, savings and costs (rows x outputs), summed over items as results.assemble does."""
        member = np.zeros((len(self.model.item_ids), len(self.model.party_ids)))
        member[np.arange(len(self.model.item_ids)), self.model.item_party] = 1.0
        is_cost = (np.array(self.model.item_kinds) == "cost").astype(float)

        def with_total(a):
            return np.concatenate([a, a.sum(axis=1, keepdims=True)], axis=1)

        return {
            "net": with_total(item_totals @ member),
            "savings": with_total((item_totals * (1 - is_cost)) @ member),
            "costs": with_total(-(item_totals * is_cost) @ member),
        }

    def net(self, values: np.ndarray, keys: np.ndarray | None = None, progress=None,
            desc: str = "evaluating") -> np.ndarray:
        """Return net per output (rows x outputs) for parameter rows ``values``."""
        return self.party_totals(self.item_totals(values, keys, progress, desc))["net"]


def _case(config) -> _Case:
    cfg = as_config(config)
    return _Case(cfg, compile_config(cfg))


# ============================================================================ naming parameters
def _selectable(table: ParameterTable) -> list[int]:
    return [i for i, p in enumerate(table.params) if not p.path.startswith("constant:")]


def _valid_names(table: ParameterTable) -> str:
    unc = table.uncertain
    if not unc:
        return "this config has no uncertain numbers (distributions)"
    return "uncertain parameters are: " + ", ".join(table.params[i].name for i in unc)


def parameter_slot(table: ParameterTable, name: str, source: str = "parameter") -> int:
    """Return the slot of the config number called ``name`` (a distribution's ``name=`` or a path).

    Raise InputError listing the valid names when there is none, or when a name is shared.
    """
    if not isinstance(name, str) or not name:
        raise InputError(source, f"must be a parameter name, got {name!r}")
    hits = [i for i in _selectable(table) if table.params[i].path == name]
    if not hits:
        hits = [i for i in _selectable(table) if table.params[i].name == name]
    if not hits:
        raise InputError(source, [("", f"no parameter named {name!r}; {_valid_names(table)}; "
                                       "any other number is named by its path, e.g. "
                                       "outcomes.placement_probability (see `simsav validate CONFIG`)")])
    if len(hits) > 1:
        paths = ", ".join(table.params[i].path for i in hits)
        raise InputError(source, f"{name!r} names {len(hits)} numbers ({paths}); use one of these paths")
    return hits[0]


def _labels(table: ParameterTable, slots: Sequence[int]) -> list[str]:
    """Return a unique label per slot: its name, or its path where two slots share a name."""
    names = [table.params[i].name for i in slots]
    return [table.params[i].path if names.count(n) > 1 else n for i, n in zip(slots, names)]


def _uncertain_or_fail(case: _Case, method: str) -> list[int]:
    unc = case.table.uncertain
    if not unc:
        raise InputError(source_path(case.cfg) or "config",
                         f"has no uncertain numbers (distributions): {method} varies those. "
                         "To vary a fixed number use threshold with its path (see `simsav validate CONFIG`)")
    return unc


# ============================================================================ helpers for Datasets
def _dataset(case: _Case, method: str, coords: dict, **attrs) -> xr.Dataset:
    coords = {"party": case.outputs, **coords}
    ds = xr.Dataset(coords=coords)
    ds = ds.assign_coords(party_name=("party", case.output_names()))
    ds.attrs.update(
        title=case.cfg.title,
        analysis=method,
        simsav_version=__version__,
        config_path=source_path(case.cfg),
        config_sha256=source_sha256(case.cfg),
        agents=int(case.model.n_agents),
        horizon_months=int(case.model.horizon),
        currency="EUR",
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        **attrs,
    )
    return ds


def _rank(score: np.ndarray) -> np.ndarray:
    """Return 1 for the largest score along the last axis, 2 for the next, ..."""
    order = np.argsort(-score, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, score.shape[-1] + 1)[None, :].repeat(score.shape[0], 0), axis=-1)
    return ranks


def _check_whole(value, source: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError(source, f"must be a whole number, got {value!r}")
    if value < minimum:
        raise InputError(source, f"must be at least {minimum}, got {value}")
    return int(value)


def _check_probability_pair(pair, source: str, closed: bool) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in pair)
    except (TypeError, ValueError):
        raise InputError(source, f"must be two numbers (low, high), got {pair!r}") from None
    ok = (0 <= lo < hi <= 1) if closed else (0 < lo < hi < 1)
    if not ok:
        interval = "[0, 1]" if closed else "(0, 1)"
        raise InputError(source, f"must be two probabilities low < high in {interval}, got {pair!r}")
    return lo, hi


def _negligible_as_zero(variance: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Return ``variance`` (per output) with rounding noise set to 0: the spread of sums of the
    same euros added in a different order is not uncertainty."""
    scale = 1.0 + np.max(np.abs(values), axis=tuple(range(values.ndim - 1)))
    return np.where(variance <= (1e-9 * scale) ** 2, 0.0, variance)


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(stream,))))


# ============================================================================ tornado
def tornado(config, *, quantiles: tuple[float, float] = TORNADO_QUANTILES) -> xr.Dataset:
    """Return the one-way (tornado) analysis of every uncertain parameter.

    Each uncertain parameter is set to the ``quantiles`` of its distribution (default its 5th
    and 95th percentile; ``(0, 1)`` gives the ends of a bounded distribution's range, e.g. a
    triangular's ``low`` and ``high``), the others stay at their base values, and the base case
    (expected outcomes) gives each party's costs, savings and net. Deterministic.

    Variables (party includes ``"total"``): ``net_low``/``net_high`` (net with the parameter at
    its low/high value), ``savings_*``, ``costs_*``, ``base_net``, ``swing`` (|net_high -
    net_low|), ``ranking`` (1 = largest swing for that party); per parameter ``low_value``,
    ``high_value``, ``base_value``. The ``parameter`` dimension is sorted by the swing of the
    total net, largest first.
    """
    q_lo, q_hi = _check_probability_pair(quantiles, "quantiles", closed=True)
    case = _case(config)
    unc = _uncertain_or_fail(case, "tornado")
    table = case.table
    labels = _labels(table, unc)
    lows, highs = [], []
    for slot, label in zip(unc, labels):
        dist = table.params[slot].dist
        lo, hi = (float(v) for v in sampling.ppf(dist, np.array([q_lo, q_hi])))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise InputError("quantiles", f"parameter {label!r} ({table.params[slot].describe()}) is unbounded: "
                                          f"its {q_lo:g} and {q_hi:g} quantiles are {lo:g} and {hi:g}")
        lows.append(lo)
        highs.append(hi)
    d = len(unc)
    base = table.point_row()
    values = np.tile(base, (2 * d + 1, 1))
    for k, slot in enumerate(unc):
        values[1 + k, slot] = lows[k]
        values[1 + d + k, slot] = highs[k]
    totals = case.party_totals(case.item_totals(values))
    net = totals["net"]
    swing = np.abs(net[1 + d:] - net[1:1 + d])  # parameter x output
    order = np.argsort(-swing[:, -1], kind="stable")

    ds = _dataset(case, "tornado", {"parameter": [labels[k] for k in order]},
                  quantile_low=q_lo, quantile_high=q_hi, evaluations=int(values.shape[0]),
                  inputs="one at a time, others at base values; rank correlations do not apply",
                  outcomes="expected over agents (base case)")
    ds = ds.assign_coords(parameter_path=("parameter", [table.params[unc[k]].path for k in order]))
    ds["base_value"] = ("parameter", base[np.array(unc)[order]])
    ds["low_value"] = ("parameter", np.array(lows)[order])
    ds["high_value"] = ("parameter", np.array(highs)[order])
    for what in ("net", "savings", "costs"):
        t = totals[what]
        ds[f"base_{what}"] = ("party", t[0])
        ds[f"{what}_low"] = (("parameter", "party"), t[1:1 + d][order])
        ds[f"{what}_high"] = (("parameter", "party"), t[1 + d:][order])
    ds["swing"] = (("parameter", "party"), swing[order])
    ds["ranking"] = (("parameter", "party"), _rank(swing[order].T).T)
    describe(ds, euros=(), descriptions={
        "base_value": "base-case value of the parameter",
        "low_value": f"the parameter's {q_lo:g} quantile",
        "high_value": f"the parameter's {q_hi:g} quantile",
        "base_net": "net (savings - costs) in the base case (EUR)",
        "net_low": "net with this parameter at its low value, others at base (EUR)",
        "net_high": "net with this parameter at its high value, others at base (EUR)",
        "swing": "|net_high - net_low| (EUR)",
        "ranking": "1 = the parameter with the largest swing for this party",
    })
    return ds


# ============================================================================ Sobol
@dataclass(frozen=True)
class SobolEstimate:
    """Sobol indices of ``s`` outputs over ``d`` independent inputs (arrays are s x d)."""

    first_order: np.ndarray
    total_order: np.ndarray
    first_order_low: np.ndarray
    first_order_high: np.ndarray
    total_order_low: np.ndarray
    total_order_high: np.ndarray
    mean: np.ndarray  # per output, over the A and B samples
    variance: np.ndarray  # per output, over the A and B samples
    inputs_A: np.ndarray  # n x d: the A sample (after the ppfs)
    outputs_A: np.ndarray  # n x s: the model at the A sample
    evaluations: int


def _with_rng(fn, rng, *args, **kwargs):
    """Call a scipy function with ``rng=`` (scipy >= 1.15), else with its older name ``seed=``."""
    try:
        return fn(*args, rng=rng, **kwargs)
    except TypeError as e:
        if "rng" not in str(e):
            raise
        old = "seed" if fn is stats.qmc.Sobol else "random_state"
        return fn(*args, **{old: rng}, **kwargs)


def sobol_estimate(func: Callable[[np.ndarray], np.ndarray], ppfs: Sequence, *, n: int, seed: int,
                   confidence_level: float = 0.95, n_resamples: int = 999) -> SobolEstimate:
    """Return first-order and total Sobol indices of a vectorised model over independent inputs.

    ``func`` maps an (m x d) matrix of inputs to (m x s) or (m,) outputs, all m rows at once.
    ``ppfs`` gives each input's inverse CDF: a callable or anything with a ``ppf`` method.
    The unit cube is sampled with a scrambled Sobol sequence of 2d columns (Saltelli's A and
    B), each column mapped through its ppf, so inputs are independent whatever their marginals.
    ``func`` is evaluated once on the n (d + 2) rows of A, B and the d AB matrices; the indices
    are those of ``scipy.stats.sobol_indices`` (Saltelli 2010 estimator) on these evaluations,
    with percentile bootstrap intervals over the n base samples (``scipy.stats.bootstrap``,
    seeded, so the result depends only on ``seed``).
    """
    n = _check_whole(n, "n", 2)
    if n & (n - 1):
        raise InputError("n", f"must be a power of 2 (the balance of Sobol points needs it), e.g. "
                              f"{1 << (n.bit_length() - 1)} or {1 << n.bit_length()}; got {n}")
    seed = check_seed(seed, "seed")
    if not 0 < confidence_level < 1:
        raise InputError("confidence_level", f"must lie strictly between 0 and 1, got {confidence_level!r}")
    n_resamples = _check_whole(n_resamples, "n_resamples", 1)
    inverse = [p.ppf if hasattr(p, "ppf") else p for p in ppfs]
    d = len(inverse)
    if d == 0:
        raise InputError("ppfs", "needs at least one input")

    sobol_points = _with_rng(stats.qmc.Sobol, _rng(seed, SOBOL_DESIGN_STREAM), d=2 * d, scramble=True)
    u = np.clip(sobol_points.random(n), _UNIT_EPS, 1 - _UNIT_EPS)
    x = np.empty_like(u)
    for j in range(2 * d):
        x[:, j] = inverse[j % d](u[:, j])
    A, B = x[:, :d], x[:, d:]
    AB = np.repeat(A[None, :, :], d, axis=0)  # page i: A with column i from B
    for i in range(d):
        AB[i, :, i] = B[:, i]
    y = np.asarray(func(np.concatenate([A, B, AB.reshape(d * n, d)])), dtype=float)
    y = y.reshape(n * (d + 2), -1)
    if not np.all(np.isfinite(y)):
        raise ValueError("the model returned non-finite values; Sobol indices need finite outputs")
    s = y.shape[1]
    f_A, f_B = y[:n].T, y[n:2 * n].T  # s x n
    f_AB = y[2 * n:].reshape(d, n, s).transpose(0, 2, 1)  # d x s x n

    def indices(cols):
        res = stats.sobol_indices(func={"f_A": f_A[:, cols], "f_B": f_B[:, cols], "f_AB": f_AB[..., cols]}, n=n)
        return np.stack([np.reshape(res.first_order, (s, d)), np.reshape(res.total_order, (s, d))])

    point = indices(slice(None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # outputs with no variance give 0/0, reported as 0
        boot = _with_rng(stats.bootstrap, _rng(seed, BOOTSTRAP_STREAM), (np.arange(n),), indices,
                         n_resamples=n_resamples, confidence_level=confidence_level, method="percentile",
                         vectorized=False)
    low, high = boot.confidence_interval.low, boot.confidence_interval.high
    both = np.concatenate([f_A, f_B], axis=1)
    return SobolEstimate(
        first_order=point[0], total_order=point[1],
        first_order_low=low[0], first_order_high=high[0], total_order_low=low[1], total_order_high=high[1],
        mean=both.mean(axis=1), variance=both.var(axis=1),
        inputs_A=A, outputs_A=y[:n], evaluations=int(y.shape[0]),
    )


def _zero_outputs(est: SobolEstimate, flat: np.ndarray) -> SobolEstimate:
    if not flat.any():
        return est
    fields = {}
    for name in ("first_order", "total_order", "first_order_low", "first_order_high", "total_order_low",
                 "total_order_high"):
        a = getattr(est, name).copy()
        a[flat] = 0.0
        fields[name] = a
    variance = np.where(flat, 0.0, est.variance)
    return dataclasses.replace(est, variance=variance, **fields)


def sobol(config, n: int = 1024, seed: int = 0, *, confidence_level: float = 0.95, n_resamples: int = 999,
          noise_rows: int = 256, progress: bool | None = None) -> xr.Dataset:
    """Return first-order and total Sobol indices of each party's net over all uncertain parameters.

    ``n`` base samples (a power of 2) give n (d + 2) base-case evaluations for d uncertain
    parameters. The model is evaluated on *expected* outcomes (``run_expected``), so the indices
    apportion the variance that parameter uncertainty causes, free of agent-level noise.
    Inputs are sampled independently: the config's rank correlations are ignored (attribute
    ``correlations_ignored``). To show what a real cohort adds, the first ``noise_rows`` of the
    A sample are also simulated (one cohort each, Monte Carlo): ``noise_variance`` is the mean
    squared gap between simulated and expected net, ``noise_share`` its share of the variance of
    a simulated cohort's net (parameter variance + noise variance).

    Variables (party includes ``"total"``): ``first_order``, ``total_order`` and their
    ``*_low``/``*_high`` bootstrap bounds (party x parameter), ``ranking`` (1 = largest total
    index), ``net_mean``, ``net_variance`` (of the expected net), ``noise_variance``,
    ``noise_share``.
    The ``parameter`` dimension is sorted by the total index of the total net.
    """
    case = _case(config)
    unc = _uncertain_or_fail(case, "sobol")
    n = _check_whole(n, "n", 2)
    seed = check_seed(seed, "seed")
    noise_rows = _check_whole(noise_rows, "noise_rows", 0)
    table = case.table
    dists = [partial(sampling.ppf, table.params[i].dist) for i in unc]

    def model(x):
        return case.net(case.rows(unc, x), progress=progress, desc="sobol")

    est = sobol_estimate(model, dists, n=n, seed=seed, confidence_level=confidence_level, n_resamples=n_resamples)

    # outputs the parameters do not move (a party with fixed costs only) get indices 0, not noise
    flat = _negligible_as_zero(est.variance, est.outputs_A) == 0
    est = _zero_outputs(est, flat)
    m = min(n, noise_rows)
    if m:
        mc = case.net(case.rows(unc, est.inputs_A[:m]), keys=draw_keys(seed, np.arange(m)), progress=progress,
                      desc="cohorts")
        noise_var = np.mean((mc - est.outputs_A[:m]) ** 2, axis=0)
    else:
        noise_var = np.full(len(case.outputs), np.nan)
    noise_var = _negligible_as_zero(noise_var, est.outputs_A)
    with np.errstate(divide="ignore", invalid="ignore"):
        whole = noise_var + est.variance
        noise_share = np.where(whole > 0, noise_var / whole, np.nan)

    labels = _labels(table, unc)
    order = np.argsort(-est.total_order[-1], kind="stable")
    corr = [f"{c.between[0]} ~ {c.between[1]} (rank {c.rank:+g})" for c in case.cfg.correlations]
    ds = _dataset(case, "sobol", {"parameter": [labels[k] for k in order]},
                  n=n, seed=seed, evaluations=est.evaluations, estimator="saltelli_2010 (scipy.stats.sobol_indices)",
                  confidence_level=confidence_level, n_resamples=n_resamples, bootstrap="percentile",
                  noise_rows=m, inputs="sampled independently (scrambled Sobol sequence through each ppf)",
                  outcomes="expected over agents (base-case kernel)",
                  correlations_ignored="; ".join(corr))
    ds = ds.assign_coords(parameter_path=("parameter", [table.params[unc[k]].path for k in order]))
    for name in ("first_order", "total_order", "first_order_low", "first_order_high", "total_order_low",
                 "total_order_high"):
        ds[name] = (("party", "parameter"), getattr(est, name)[:, order])
    ds["ranking"] = (("party", "parameter"), _rank(est.total_order[:, order]))
    ds["net_mean"] = ("party", est.mean)
    ds["net_variance"] = ("party", est.variance)
    ds["noise_variance"] = ("party", noise_var)
    ds["noise_share"] = ("party", noise_share)
    describe(ds, euros=(), descriptions={
        "first_order": "share of the variance of the expected net due to this parameter alone",
        "total_order": "share due to this parameter including its interactions",
        "ranking": "1 = the parameter with the largest total index for this party",
        "net_mean": "mean of the expected net over the Sobol sample (EUR)",
        "net_variance": "variance of the expected net over the Sobol sample (EUR^2): parameter uncertainty",
        "noise_variance": "mean squared gap between a simulated cohort's net and the expected net (EUR^2)",
        "noise_share": "noise_variance / (net_variance + noise_variance): the part of a simulated cohort's "
                       "variance these indices do not describe (NaN: the net does not vary at all)",
    })
    return ds


# ============================================================================ conditional sampling
def sample_given(table: ParameterTable, draws: int, seed: int, correlations, slot: int, value: float) -> np.ndarray:
    """Return a (draws x slots) parameter matrix with ``slot`` fixed at ``value``.

    The other uncertain numbers are drawn from their distribution *given* that value: the
    Gaussian copula of ``ParameterTable.sample`` conditioned on the fixed number's normal score.
    When the fixed number is not rank-correlated with any other, this is exactly
    ``table.sample(draws, seed, correlations)`` with that column replaced.
    """
    unc = table.uncertain
    values = table.sample(draws, seed, correlations)
    values[:, slot] = value
    if slot not in unc or not correlations:
        return values
    corr = table.correlation_matrix(correlations)
    k = unc.index(slot)
    rest = [j for j in range(len(unc)) if j != k]
    s_rk = corr[rest, k]
    if not np.any(s_rk):
        return values
    # The same uniforms ParameterTable.sample draws, so the run is reproducible from (seed).
    rng = _rng(seed, PARAMETER_STREAM)
    u = rng.random((draws, len(unc)))
    z_k = ndtri(np.clip(sampling.cdf(table.params[slot].dist, value), _UNIT_EPS, 1 - _UNIT_EPS))
    cond = corr[np.ix_(rest, rest)] - np.outer(s_rk, s_rk)
    eps = ndtri(np.clip(u[:, rest], _UNIT_EPS, 1 - _UNIT_EPS))
    z = z_k * s_rk[None, :] + eps @ np.linalg.cholesky(cond).T
    u_rest = np.clip(ndtr(z), _UNIT_EPS, 1 - _UNIT_EPS)
    for col, j in enumerate(rest):
        values[:, unc[j]] = sampling.ppf(table.params[unc[j]].dist, u_rest[:, col])
    return values


# ============================================================================ threshold
def _default_bounds(table: ParameterTable, slot: int) -> tuple[tuple[float, float], str]:
    p = table.params[slot]
    if p.uncertain:
        lo, hi = p.dist.support()
        how = "the distribution's range"
        if not math.isfinite(lo):
            lo, how = float(sampling.ppf(p.dist, np.array([0.001]))[0]), "the distribution's 0.1-99.9% range"
        if not math.isfinite(hi):
            hi, how = float(sampling.ppf(p.dist, np.array([0.999]))[0]), "the distribution's 0.1-99.9% range"
        return (lo, hi), how
    if p.path.rsplit(".", 1)[-1] in PROBABILITY_FIELDS:
        return (0.0, 1.0), "a probability: 0 to 1"
    if math.isfinite(p.point) and p.point > 0:
        return (0.0, 2.0 * p.point), "0 to twice the config's value"
    raise InputError("bounds", f"parameter {p.name!r} is the fixed number {p.point:g}: give the range to search, "
                               "bounds=(low, high) (command line: --range LOW HIGH)")


def threshold(config, parameter: str, *, bounds: tuple[float, float] | None = None, points: int = 11,
              draws: int = 200, seed: int = 0, band: tuple[float, float] = BAND) -> xr.Dataset:
    """Return the break-even value of ``parameter`` per party and the curve of net against it.

    ``parameter`` is a distribution's ``name`` or any config number's path. The threshold is
    the value at which the party's expected net (base case: other parameters at their base
    values, expected outcomes) is zero, found by ``scipy.optimize.brentq`` within ``bounds``
    (default: the distribution's range; for a fixed number 0..1 for probabilities, else 0 to
    twice its value). Where the net crosses zero more than once, the crossing nearest the base
    value is reported (``crossings`` counts them); NaN where it never does.

    The curve: at ``points`` values evenly spread over ``bounds``, ``draws`` Monte Carlo draws
    with the parameter fixed and every other uncertain number sampled given it (the config's
    rank correlations respected, see ``sample_given``), each with a simulated cohort. The same
    draws (parameters and agents' random numbers) are used at every value, so the curve is
    smooth. Variables: ``net_mean``, ``net_se``, ``net_low``/``net_high`` (the ``band`` quantiles),
    ``p_positive`` (share of draws with net > 0), ``expected_net`` (the base-case curve),
    per party ``threshold``, ``net_at_threshold`` (base case, ~0), ``crossings``, ``base_net``,
    and ``parameter_values`` (value x draw x uncertain parameter) of the draws.
    """
    case = _case(config)
    table = case.table
    slot = parameter_slot(table, parameter)
    points = _check_whole(points, "points", 2)
    draws = _check_whole(draws, "draws", 1)
    seed = check_seed(seed, "seed")
    b_lo, b_hi = _check_probability_pair(band, "band", closed=True)
    if bounds is None:
        (lo, hi), how = _default_bounds(table, slot)
    else:
        try:
            lo, hi = (float(v) for v in bounds)
        except (TypeError, ValueError):
            raise InputError("bounds", f"must be two numbers (low, high), got {bounds!r}") from None
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise InputError("bounds", f"must be two finite numbers with low < high, got {bounds!r}")
        how = "given"
        p = table.params[slot]
        if p.path.rsplit(".", 1)[-1] in PROBABILITY_FIELDS and not (0 <= lo and hi <= 1):
            raise InputError("bounds", f"{p.name!r} is a probability: the range must lie within [0, 1], "
                                       f"got {bounds!r}")
    base_value = float(table.point_row()[slot])
    outputs = case.outputs

    def expected(x):
        return case.net(case.rows([slot], np.atleast_1d(x)))

    # bracket the roots on a fine grid, then refine each with brentq
    fine = np.linspace(lo, hi, 81)
    fine_net = expected(fine)
    thresholds = np.full(len(outputs), np.nan)
    crossings = np.zeros(len(outputs), dtype=int)
    for j in range(len(outputs)):
        f = fine_net[:, j]
        roots = [float(fine[i]) for i in np.flatnonzero(f == 0)]
        for i in np.flatnonzero(np.sign(f[:-1]) * np.sign(f[1:]) < 0):
            roots.append(optimize.brentq(lambda x: expected(x)[0, j], fine[i], fine[i + 1], xtol=1e-12 * (hi - lo)))
        if np.all(f == 0):
            roots = []  # a party this parameter does not touch and that nets zero: no threshold
        crossings[j] = len(roots)
        if roots:
            thresholds[j] = min(roots, key=lambda r: abs(r - base_value))
    at_threshold = np.full(len(outputs), np.nan)
    for j in np.flatnonzero(np.isfinite(thresholds)):
        at_threshold[j] = expected(thresholds[j])[0, j]

    grid = np.linspace(lo, hi, points)
    unc = table.uncertain
    blocks = [sample_given(table, draws, seed, case.cfg.correlations, slot, x) for x in grid]
    values = np.concatenate(blocks)
    keys = np.tile(draw_keys(seed, np.arange(draws)), points)
    mc = case.net(values, keys=keys, desc="threshold curve").reshape(points, draws, len(outputs))

    label = table.params[slot].name
    ds = _dataset(case, "threshold", {"value": grid, "draw": np.arange(draws),
                                      "parameter": _labels(table, unc)},
                  parameter=label, parameter_path=table.params[slot].path, base_value=base_value,
                  bounds_low=lo, bounds_high=hi, bounds_from=how, draws=draws, seed=seed, band_low=b_lo,
                  band_high=b_hi, inputs="others sampled given the parameter (rank correlations respected)",
                  outcomes="threshold: expected over agents (base case); curve: Monte Carlo")
    ds["threshold"] = ("party", thresholds)
    ds["net_at_threshold"] = ("party", at_threshold)
    ds["crossings"] = ("party", crossings)
    ds["base_net"] = ("party", expected(base_value)[0])
    ds["expected_net"] = (("value", "party"), expected(grid))
    ds["net_mean"] = (("value", "party"), mc.mean(axis=1))
    ds["net_se"] = (("value", "party"), mc.std(axis=1, ddof=min(1, draws - 1)) / math.sqrt(draws))
    ds["net_low"] = (("value", "party"), np.quantile(mc, b_lo, axis=1))
    ds["net_high"] = (("value", "party"), np.quantile(mc, b_hi, axis=1))
    ds["p_positive"] = (("value", "party"), (mc > 0).mean(axis=1))
    ds["parameter_values"] = (("value", "draw", "parameter"), values[:, unc].reshape(points, draws, len(unc)))
    describe(ds, euros=(), descriptions={
        "threshold": f"value of {label} at which the expected net is zero (base case); NaN: none in range",
        "net_at_threshold": "expected net at the threshold (EUR; ~0)",
        "crossings": "number of times the expected net crosses zero within the range",
        "base_net": "expected net at the base value (EUR)",
        "expected_net": "base-case net (others at base values) at each value (EUR)",
        "net_mean": "Monte Carlo mean net at each value, others sampled (EUR)",
        "net_se": "standard error of net_mean (EUR)",
        "net_low": f"{b_lo:g} quantile of net over the draws (EUR)",
        "net_high": f"{b_hi:g} quantile of net over the draws (EUR)",
        "p_positive": "share of draws with net > 0",
        "parameter_values": "the uncertain parameters of each draw at each value",
    })
    return ds


# ============================================================================ variance decomposition
def variance_decomposition(config, outer: int = 200, inner: int = 10, seed: int = 0) -> xr.Dataset:
    """Return each party's variance of net split into parameter uncertainty and cohort variability.

    Nested draws: ``outer`` parameter sets (sampled as ``simulate`` samples them, rank
    correlations respected), and for each ``inner`` simulated cohorts with different agents'
    random numbers. By the law of total variance

        Var(net) = Var(E[net | theta]) + E[Var(net | theta)]
                   parameter uncertainty  cohort variability

    E[net | theta] is computed exactly for each parameter set (the base-case kernel), so the
    parameter part is the variance of these expectations over the outer draws, and the cohort
    part is the mean squared gap between a simulated cohort and its expectation. More data
    (narrower distributions) shrinks the first; a bigger pilot shrinks the second relative to
    the cohort's size. ``total_variance`` is the plain variance of all outer x inner simulated
    nets: it matches the sum of the parts within Monte Carlo error.

    Variables (party includes ``"total"``): ``net_mean``, ``total_variance``,
    ``parameter_variance``, ``cohort_variance``, ``parameter_share``, ``cohort_share`` (of their
    sum; NaN when both are 0), ``net_sd``; ``expected_net`` (outer), ``net`` (outer x inner) and ``parameter_values``.
    """
    case = _case(config)
    outer = _check_whole(outer, "outer", 2)
    inner = _check_whole(inner, "inner", 1)
    seed = check_seed(seed, "seed")
    table = case.table
    theta = table.sample(outer, seed, case.cfg.correlations)
    expected = case.net(theta, desc="expected")
    keys = draw_keys(seed, np.arange(outer * inner))
    nets = case.net(np.repeat(theta, inner, axis=0), keys=keys, desc="cohorts").reshape(outer, inner, -1)

    param_var = _negligible_as_zero(expected.var(axis=0, ddof=1), expected)
    cohort_var = _negligible_as_zero(np.mean((nets - expected[:, None, :]) ** 2, axis=(0, 1)), expected)
    total_var = _negligible_as_zero(nets.reshape(outer * inner, -1).var(axis=0, ddof=1), expected)
    whole = param_var + cohort_var
    with np.errstate(divide="ignore", invalid="ignore"):
        p_share = np.where(whole > 0, param_var / whole, np.nan)
        c_share = np.where(whole > 0, cohort_var / whole, np.nan)

    unc = table.uncertain
    ds = _dataset(case, "variance_decomposition",
                  {"outer": np.arange(outer), "inner": np.arange(inner), "parameter": _labels(table, unc)},
                  outer_draws=outer, inner_draws=inner, seed=seed,
                  inputs="sampled as simulate samples them (rank correlations respected)",
                  outcomes="E[net | theta]: expected over agents; cohorts: Monte Carlo")
    ds["net_mean"] = ("party", nets.mean(axis=(0, 1)))
    ds["total_variance"] = ("party", total_var)
    ds["parameter_variance"] = ("party", param_var)
    ds["cohort_variance"] = ("party", cohort_var)
    ds["parameter_share"] = ("party", p_share)
    ds["cohort_share"] = ("party", c_share)
    ds["net_sd"] = ("party", np.sqrt(whole))
    ds["expected_net"] = (("outer", "party"), expected)
    ds["net"] = (("outer", "inner", "party"), nets)
    ds["parameter_values"] = (("outer", "parameter"), theta[:, unc])
    describe(ds, euros=(), descriptions={
        "net_mean": "mean net over all simulated cohorts (EUR)",
        "total_variance": "variance of net over all outer x inner simulated cohorts (EUR^2)",
        "parameter_variance": "Var(E[net | parameters]): parameter uncertainty (EUR^2)",
        "cohort_variance": "E[Var(net | parameters)]: cohort variability (EUR^2)",
        "parameter_share": "parameter_variance / (parameter_variance + cohort_variance)",
        "cohort_share": "cohort_variance / (parameter_variance + cohort_variance)",
        "net_sd": "sqrt(parameter_variance + cohort_variance) (EUR)",
        "expected_net": "E[net | parameters] of each outer draw (EUR)",
        "net": "simulated net of each cohort (EUR)",
    })
    return ds
