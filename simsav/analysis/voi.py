"""Value of information per party: what knowing a parameter exactly is worth to each party's decision.

Each party decides whether to join. With what is known now it joins when its expected net is
positive, so the decision is worth ``max(0, E[net])``. Knowing a parameter (or a group of them)
``phi`` exactly before deciding lets it join only where ``E[net | phi] > 0``, which is worth
``E_phi[max(0, E[net | phi])]``. The difference is the expected value of perfect partial
information (EVPPI), in euros; knowing everything, cohort luck included, gives the EVPI:

    EVPI  = E[max(0, net)] - max(0, E[net])
    EVPPI = E_phi[max(0, E[net | phi])] - max(0, E[net])

``E[net | phi]`` is estimated from Monte Carlo draws (``simsav.simulate``: the parameters of each
draw in ``parameter_values``, each draw's net in ``net``) by non-parametric regression of net on
``phi`` (Strong, Oakley & Brennan 2014, Med Decis Making 34:311-326). The regression averages out
whatever ``phi`` does not explain: the other parameters and the cohort's randomness (which agents
happen to find work), which measuring ``phi`` cannot teach anyone.

The smoother, numpy only:

* one parameter: a penalised regression spline (P-spline, Eilers & Marx 1996): cubic B-splines on
  20 equal segments of the range of the parameter's draws and a second-difference penalty, whose
  weight is chosen by generalised cross-validation (GCV) on a grid: a heavy penalty leaves a
  straight line, so an effect that is linear costs nothing in noise;
* a group: an additive P-spline model (one smooth per member) plus, for groups of at most
  ``MAX_INTERACTING`` members, a smooth tensor-product interaction (6 x 6 cubic B-splines) for
  every pair, with one penalty weight for the main effects and one for the interactions, both
  chosen by GCV; larger groups are fitted additively (attribute ``group_model``).

The error: a bootstrap over draws (``n_boot`` resamples of the draws, the same for every
parameter, each refitted; a single penalty weight (one parameter, a large additive group) is
chosen again by GCV in each resample, the two of a group with interactions stay at the values GCV
chose on the draws) gives ``evppi_se``. The plug-in
estimator is biased upward: the fitted values carry estimation noise, and ``max(0, .)`` turns
noise around zero into apparent value. GCV limits the effective degrees of freedom
(``evppi_edf``) to what the draws support, so the bias is of the order of the noise the fit
keeps; a parameter net does not depend on gets a fit close to a constant and an EVPPI close to 0
(docs/voi.md gives the numbers measured). Results depend only on the draws and ``seed``.
"""
from __future__ import annotations

import datetime as _dt
import itertools
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import xarray as xr
from scipy import linalg

from .._version import __version__
from ..errors import InputError
from ..model.results import describe
from .sensitivity import _check_whole

TOTAL = "total"
"""The ``party`` coordinate of all parties together."""

VOI_BOOTSTRAP_STREAM = 4
"""Spawn key of the bootstrap's random stream (0: agents, 1: parameters, 2-3: sensitivity)."""

SEGMENTS = 20  # of a single parameter's spline: 23 cubic B-splines
GROUP_SEGMENTS = 10  # of each member's main effect in a group
INTERACTION_SEGMENTS = 3  # of each margin of a pair's tensor product: 6 x 6 = 36 columns
MAX_INTERACTING = 4
"""Groups of at most this many members get pairwise interactions; larger ones are additive."""
LAMBDAS = 10.0 ** np.arange(-6.0, 6.01, 0.5)
"""The penalty weights GCV chooses from (relative to n: the penalty is ``n * lambda * b'Sb``)."""
GROUP_LAMBDAS = 10.0 ** np.arange(-3.0, 3.01, 1.0)
_RIDGE = 1e-9  # relative to the design's scale: fixes the null directions centring leaves, no more
MIN_DRAWS = 50


# ============================================================================ bases
def _unit(x: np.ndarray) -> np.ndarray:
    """Return ``x`` mapped linearly onto [0, 1] (its smallest value to 0, its largest to 1)."""
    lo, hi = float(np.min(x)), float(np.max(x))
    return (x - lo) / (hi - lo)


def _bspline(u: np.ndarray, segments: int) -> np.ndarray:
    """Return the cubic B-spline basis (n x segments + 3) on equal segments of [0, 1] at ``u``."""
    degree = 3
    h = 1.0 / segments
    knots = np.arange(-degree, segments + degree + 1) * h  # extended equal knots
    u = np.clip(u, 0.0, 1.0 - 1e-12)
    # de Boor-Cox recursion, vectorised over the points
    B = ((u[:, None] >= knots[None, :-1]) & (u[:, None] < knots[None, 1:])).astype(float)
    for k in range(1, degree + 1):
        left = (u[:, None] - knots[None, :-k - 1]) / (k * h) * B[:, :-1]
        right = (knots[None, k + 1:] - u[:, None]) / (k * h) * B[:, 1:]
        B = left + right
    return B  # columns: segments + degree


def _difference_penalty(k: int, order: int = 2) -> np.ndarray:
    D = np.diff(np.eye(k), n=order, axis=0)
    return D.T @ D


@dataclass(frozen=True)
class _Design:
    """A regression design: columns ``X`` (n x p) and one penalty matrix per family of terms."""

    X: np.ndarray
    penalties: tuple  # p x p each
    grid: tuple  # per family: the lambdas GCV chooses from
    model: str
    band: tuple | None = None  # one B-spline basis: (first nonzero column per row, its 4 values per row)

    def gram(self, w: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return X'WX and X'Wy. A B-spline basis has 4 nonzero columns per row: its sums are
        accumulated with bincount (exact order, no BLAS threads: the same bits however many cores)."""
        if self.band is None:
            # einsum (numpy's own loops), not BLAS: the same bits on any number of cores, and no
            # thread contention on a busy machine
            Xw = self.X * w[:, None]
            return np.einsum("ij,ik->jk", Xw, self.X), np.einsum("ij,ik->jk", Xw, y)
        start, vals = self.band
        n, p = self.X.shape
        cols = start[:, None] + np.arange(4)[None, :]  # n x 4: the nonzero columns of each row
        pairs = (cols[:, :, None] * p + cols[:, None, :]).ravel()
        wv = w[:, None] * vals
        A = np.bincount(pairs, weights=(wv[:, :, None] * vals[:, None, :]).ravel(), minlength=p * p)
        k = y.shape[1]
        rows = (cols[:, :, None] + p * np.arange(k)[None, None, :]).ravel()
        b = np.bincount(rows, weights=(wv[:, :, None] * y[:, None, :]).ravel(), minlength=p * k)
        return A.reshape(p, p), b.reshape(k, p).T

    def apply(self, beta: np.ndarray) -> np.ndarray:
        """Return X beta (n x outputs)."""
        if self.band is None:
            return np.einsum("ij,jk->ik", self.X, beta)
        start, vals = self.band
        return sum(vals[:, i, None] * beta[start + i] for i in range(4))

    @property
    def reselect(self) -> bool:
        """Choose the penalty again in every bootstrap resample (cheap for one family)."""
        return len(self.penalties) == 1


def _single_design(x: np.ndarray) -> _Design:
    u = _unit(x)
    B = _bspline(u, SEGMENTS)  # rows sum to 1: the constant is in the span, unpenalised
    start = np.minimum((np.clip(u, 0.0, 1.0) * SEGMENTS).astype(np.intp), SEGMENTS - 1)
    vals = np.take_along_axis(B, start[:, None] + np.arange(4)[None, :], axis=1)
    return _Design(B, (_difference_penalty(B.shape[1]),), (LAMBDAS,), "P-spline", band=(start, vals))


def _group_design(columns: np.ndarray) -> _Design:
    """Return the design of a group: an intercept, a smooth per member and, for small groups, a
    smooth interaction per pair. Each smooth's basis is centred on the draws and loses its last
    column (its penalty the matching rows and columns), so that no term holds another: the
    coefficients are identified and the fit is well conditioned whatever the penalties."""
    n, d = columns.shape
    units = [_unit(columns[:, j]) for j in range(d)]
    blocks = [np.ones((n, 1))]
    main, inter = [np.zeros((1, 1))], [np.zeros((1, 1))]
    for u in units:
        B = _centred(_bspline(u, GROUP_SEGMENTS))
        blocks.append(B)
        main.append(_difference_penalty(B.shape[1] + 1)[:-1, :-1])
        inter.append(np.zeros((B.shape[1], B.shape[1])))
    interacting = d <= MAX_INTERACTING
    if interacting:
        margins = [_centred(_bspline(u, INTERACTION_SEGMENTS)) for u in units]
        m = margins[0].shape[1]
        P, I = _difference_penalty(m + 1)[:-1, :-1], np.eye(m)
        S = np.kron(P, I) + np.kron(I, P)
        for a, b in itertools.combinations(range(d), 2):
            T = (margins[a][:, :, None] * margins[b][:, None, :]).reshape(n, m * m)
            blocks.append(T - T.mean(axis=0))
            main.append(np.zeros_like(S))
            inter.append(S)
    X = np.concatenate(blocks, axis=1)
    penalties = (_block_diag(main), _block_diag(inter)) if interacting else (_block_diag(main),)
    grid = (GROUP_LAMBDAS, GROUP_LAMBDAS) if interacting else (LAMBDAS,)
    model = "additive P-splines with pairwise tensor-product interactions" if interacting else "additive P-splines"
    return _Design(X, penalties, grid, model)


def _centred(B: np.ndarray) -> np.ndarray:
    """Return a basis centred on the draws without its last column (which the others and the
    intercept then span)."""
    return (B - B.mean(axis=0))[:, :-1]


def _block_diag(blocks: Sequence[np.ndarray]) -> np.ndarray:
    p = sum(b.shape[0] for b in blocks)
    out = np.zeros((p, p))
    i = 0
    for b in blocks:
        k = b.shape[0]
        out[i:i + k, i:i + k] = b
        i += k
    return out


# ============================================================================ fitting
@dataclass(frozen=True)
class _Fit:
    fitted: np.ndarray  # n x outputs
    edf: np.ndarray  # outputs
    lambdas: np.ndarray  # outputs x families


def _fit(design: _Design, y: np.ndarray, w: np.ndarray, lambdas: np.ndarray | None = None) -> _Fit:
    """Return the penalised least-squares fit of each column of ``y`` (n x outputs, standardised)
    on ``design`` with case weights ``w`` (bootstrap counts); the penalty weights per output are
    chosen by GCV over the design's grid, or given (``lambdas``: outputs x families)."""
    n = float(w.sum())
    A, b = design.gram(w, y)
    yy = np.einsum("i,ij,ij->j", w, y, y)
    ridge = _RIDGE * (np.trace(A) / A.shape[0] + 1.0) * np.eye(A.shape[0])
    outputs = y.shape[1]
    if lambdas is None and len(design.penalties) == 1:
        return _fit_one_family(design, A, b, yy, n)
    if lambdas is None:
        best = np.full(outputs, np.inf)
        chosen = np.zeros((outputs, len(design.penalties)))
        betas = np.zeros((A.shape[0], outputs))
        edfs = np.zeros(outputs)
        for combo in itertools.product(*design.grid):
            M = A + ridge + n * sum(lam * S for lam, S in zip(combo, design.penalties))
            sol = _solve(M, np.concatenate([b, A], axis=1))
            beta, H = sol[:, :outputs], sol[:, outputs:]
            edf = float(np.trace(H))
            rss = yy - 2 * np.einsum("ij,ij->j", beta, b) + np.einsum("ij,ij->j", beta, A @ beta)
            rss = np.maximum(rss, 0.0)
            gcv = n * rss / max(n - edf, 1.0) ** 2
            better = gcv < best
            best = np.where(better, gcv, best)
            chosen[better] = combo
            betas[:, better] = beta[:, better]
            edfs[better] = edf
        return _Fit(design.apply(betas), edfs, chosen)
    betas = np.zeros((A.shape[0], outputs))
    edfs = np.zeros(outputs)
    for combo in {tuple(r) for r in np.asarray(lambdas)}:
        cols = np.flatnonzero(np.all(np.asarray(lambdas) == combo, axis=1))
        M = A + ridge + n * sum(lam * S for lam, S in zip(combo, design.penalties))
        sol = _solve(M, np.concatenate([b[:, cols], A], axis=1))
        betas[:, cols] = sol[:, :len(cols)]
        edfs[cols] = float(np.trace(sol[:, len(cols):]))
    return _Fit(design.apply(betas), edfs, np.asarray(lambdas))


def _fit_one_family(design: _Design, A: np.ndarray, b: np.ndarray, yy: np.ndarray, n: float) -> _Fit:
    """Return the GCV fit of a design with one penalty over its whole grid at the cost of one
    eigendecomposition (Demmler-Reinsch). With B = A + n l0 S (l0 the grid's smallest weight: the
    penalty makes B well conditioned even where a resample leaves a segment empty) and V'BV = I,
    V'SV = diag(s), the fit at weight l has coefficients V diag(1 / d) V'b with
    d = 1 + n (l - l0) s, edf sum((1 - n l0 s) / d) and residuals in closed form."""
    grid = np.asarray(design.grid[0])
    S = design.penalties[0]
    l0 = float(grid.min())
    B = A + n * l0 * S
    B = B + _RIDGE * (np.trace(B) / B.shape[0]) * np.eye(B.shape[0])
    s, V = linalg.eigh(S, B)
    s = np.maximum(s, 0.0)
    c2 = (V.T @ b) ** 2  # modes x outputs
    a = 1.0 - n * l0 * s  # V'AV = diag(a)
    d = 1.0 + n * (grid[:, None] - l0) * s[None, :]  # lambdas x modes
    edf = (a[None, :] / d).sum(axis=1)
    rss = np.maximum(yy[None, :] - 2 * (1.0 / d) @ c2 + (a[None, :] / d**2) @ c2, 0.0)  # lambdas x outputs
    gcv = n * rss / np.maximum(n - edf, 1.0)[:, None] ** 2
    best = np.argmin(gcv, axis=0)  # per output
    beta = V @ ((V.T @ b) / d[best].T)
    return _Fit(design.apply(beta), edf[best], grid[best][:, None])


def _solve(M: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Return M^-1 rhs; the least-squares solution where M is numerically singular (a spline
    segment that no draw of a bootstrap resample falls in, under a negligible penalty)."""
    try:
        return linalg.cho_solve(linalg.cho_factor(M), rhs)
    except (np.linalg.LinAlgError, linalg.LinAlgError):
        return np.linalg.lstsq(M, rhs, rcond=None)[0]


def _recentred(fitted: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Return ``fitted`` shifted so that its weighted mean is that of ``y``, as a least-squares
    fit with an unpenalised constant has it (rounding aside): E[E[net | phi]] = E[net] exactly,
    so that the EVPPI cannot come out below 0 by a drift of the mean."""
    return fitted + (w @ (y - fitted)) / w.sum()


def _value(fitted: np.ndarray, w: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Return E_w[max(0, fitted)] - max(0, mean) per output column."""
    return (w @ np.maximum(fitted, 0.0)) / w.sum() - np.maximum(mean, 0.0)


# ============================================================================ the estimates
@dataclass(frozen=True)
class Estimate:
    """EVPPI of each target (a parameter or a group) per output, and the EVPI, with bootstrap errors."""

    evppi: np.ndarray  # outputs x targets
    evppi_se: np.ndarray
    edf: np.ndarray
    evpi: np.ndarray  # outputs
    evpi_se: np.ndarray
    models: list[str]  # per target


def estimate(net: np.ndarray, targets: Sequence[np.ndarray], *, n_boot: int = 200, seed: int = 0) -> Estimate:
    """Return EVPPI and EVPI of the decisions ``max(0, E[net])`` of each column of ``net`` (draws x outputs).

    ``targets``: per parameter or group, its values in the draws (draws, or draws x members).
    The numbers only; :func:`evppi` takes a results Dataset. Results depend on ``seed``, never on
    which or how many targets are asked for: every target sees the same bootstrap resamples.
    """
    net = np.asarray(net, dtype=float)
    n, outputs = net.shape
    scale = net.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    centre = net.mean(axis=0)
    y = (net - centre) / scale  # standardised: sums of squares stay well within float range
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(VOI_BOOTSTRAP_STREAM,)))
    weights = np.stack([np.bincount(rng.integers(0, n, n), minlength=n).astype(float) for _ in range(n_boot)]) \
        if n_boot else np.zeros((0, n))
    ones = np.ones(n)

    def boot_mean(w):
        return (w @ net) / w.sum()

    evpi = _value(net, ones, centre)
    evpi_b = np.array([_value(net, w, boot_mean(w)) for w in weights]).reshape(n_boot, outputs)
    # a net of one sign in every draw is of that sign given anything: the decision is certain and no
    # information is worth anything (exactly 0, not the rounding of two means of the same numbers)
    flat = np.all(net > 0, axis=0) | np.all(net <= 0, axis=0)

    T = len(targets)
    ev, se, edf = np.zeros((outputs, T)), np.zeros((outputs, T)), np.zeros((outputs, T))
    models = []
    for t, values in enumerate(targets):
        cols = np.asarray(values, dtype=float).reshape(n, -1)
        varies = [j for j in range(cols.shape[1]) if np.ptp(cols[:, j]) > 0]
        if not varies:
            models.append("constant (the parameter does not vary)")
            continue
        cols = cols[:, varies]
        design = _single_design(cols[:, 0]) if cols.shape[1] == 1 else _group_design(cols)
        models.append(design.model)
        fit = _fit(design, y, ones)
        ev[:, t] = _value(centre + scale * _recentred(fit.fitted, y, ones), ones, centre)
        edf[:, t] = fit.edf
        boots = np.empty((n_boot, outputs))
        for k, w in enumerate(weights):
            f = _fit(design, y, w, None if design.reselect else fit.lambdas)
            boots[k] = _value(centre + scale * _recentred(f.fitted, y, w), w, boot_mean(w))
        se[:, t] = boots.std(axis=0, ddof=1) if n_boot > 1 else np.nan
    # E[max(0, g)] >= max(0, E[g]) = max(0, E[net]) (Jensen; the fit keeps the mean): what falls below
    # 0 is rounding
    ev = np.maximum(ev, 0.0)
    ev[flat], se[flat] = 0.0, 0.0
    evpi = np.where(flat, 0.0, np.maximum(evpi, 0.0))
    evpi_se = np.where(flat, 0.0, evpi_b.std(axis=0, ddof=1) if n_boot > 1 else np.nan)
    return Estimate(ev, se, edf, evpi, evpi_se, models)


# ============================================================================ names
def _valid_names(names: Sequence[str]) -> str:
    return "uncertain parameters are: " + ", ".join(names) if names else \
        "these results have no uncertain parameters (distributions)"


def _column(names: list[str], name, source: str) -> int:
    if not isinstance(name, str) or not name:
        raise InputError(source, f"must be a parameter name, got {name!r}")
    hits = [i for i, p in enumerate(names) if p == name]
    if not hits:
        raise InputError(source, f"no uncertain parameter named {name!r}; {_valid_names(names)}")
    if len(hits) > 1:
        raise InputError(source, f"{name!r} names {len(hits)} parameters of these results; "
                                 "give the distributions distinct names in the config")
    return hits[0]


def _targets(names: list[str], parameters, groups, source_parameter: str = "parameters",
             source_groups: str = "groups") -> list[tuple[str, list[int]]]:
    """Return (label, columns) per target: each parameter asked for (default: all), then each group."""
    problems = []
    out: list[tuple[str, list[int]]] = []
    if parameters is None:
        parameters = list(dict.fromkeys(names))
    elif isinstance(parameters, str):
        parameters = [parameters]
    for p in parameters:
        try:
            out.append((p, [_column(names, p, source_parameter)]))
        except InputError as e:
            problems.append(e)
    if groups is not None and not isinstance(groups, Mapping):
        raise InputError(source_groups, f"must map a group's name to its parameters, got {groups!r}")
    for label, members in (groups or {}).items():
        if not isinstance(label, str) or not label:
            problems.append(InputError(source_groups, f"a group needs a name, got {label!r}"))
            continue
        if isinstance(members, str) or not members:
            problems.append(InputError(source_groups, f"group {label!r} must list one or more parameters, "
                                                      f"got {members!r}"))
            continue
        try:
            cols = [_column(names, m, source_groups) for m in members]
        except InputError as e:
            problems.append(InputError(source_groups, [("", f"group {label!r}: {m}") for _, m in e.problems]))
            continue
        if len(set(cols)) < len(cols):
            problems.append(InputError(source_groups, f"group {label!r} names a parameter twice"))
            continue
        out.append((label, cols))
    labels = [t[0] for t in out]
    for label in {x for x in labels if labels.count(x) > 1}:
        problems.append(InputError(source_groups, f"{label!r} is asked for twice (a group may not share "
                                                  "its name with a parameter)"))
    if problems:
        raise InputError(problems[0].source, [pr for e in problems for pr in e.problems])
    if not out:
        raise InputError(source_parameter, f"nothing to value; {_valid_names(names)}")
    return out


# ============================================================================ Datasets
def evppi(results: xr.Dataset, parameters=None, groups: dict[str, list[str]] | None = None, *,
          n_boot: int = 200, seed: int = 0) -> xr.Dataset:
    """Return the EVPPI of each parameter (or group) and the EVPI of each party's decision to join.

    ``results``: a Monte Carlo results Dataset (``simsav.simulate``): its ``net`` (draw, party) and
    ``parameter_values`` (draw, parameter). ``parameters``: names from its ``parameter``
    coordinate (default: all; ``[]`` for none, to value ``groups`` only); ``groups``: ``{name: [parameter,
    ...]}``, each valued as one measurement of all its members together.

    Dims ``party`` (the results' parties and ``"total"``, all parties deciding together) and
    ``parameter`` (the parameters, then the groups; sorted by the EVPPI of the total, largest
    first, then by the parties' EVPPI summed). Variables: ``evppi``, ``evppi_se`` (bootstrap
    standard error), ``evppi_edf`` (the smoother's effective degrees of freedom),
    ``evppi_over_evpi`` (1: an estimate above the EVPI, inflated by fitting noise), ``ranking``
    (1 = most valuable for that party),
    ``evpi``, ``evpi_se``, ``net_mean``, ``p_positive`` (share of draws with net > 0) and
    ``join`` (1 when the expected net is positive: the decision without more information).
    Coordinates ``members`` (a group's parameters, comma-separated) and ``kind``
    (``parameter`` or ``group``).
    """
    seed = _check_whole(seed, "seed", 0)
    n_boot = _check_whole(n_boot, "n_boot", 0)
    if n_boot == 1:
        raise InputError("n_boot", "must be 0 (no standard errors) or at least 2")
    for need in ("net", "parameter_values"):
        if need not in results:
            raise InputError("results", f"has no {need!r}: value of information needs Monte Carlo results "
                                        "(simsav.simulate)")
    if "draw" not in results["net"].dims or results.sizes["draw"] < MIN_DRAWS:
        raise InputError("results", f"need at least {MIN_DRAWS} draws, got "
                                    f"{results.sizes.get('draw', 1) if 'draw' in results['net'].dims else 1}")
    names = [str(p) for p in results["parameter"].values]
    targets = _targets(names, parameters, groups)
    net = results["net"].transpose("draw", "party").values.astype(float)
    net = np.concatenate([net, net.sum(axis=1, keepdims=True)], axis=1)
    X = results["parameter_values"].transpose("draw", "parameter").values.astype(float)
    if not np.all(np.isfinite(net)) or not np.all(np.isfinite(X)):
        raise InputError("results", "net or parameter_values hold values that are not finite")
    est = estimate(net, [X[:, cols] for _, cols in targets], n_boot=n_boot, seed=seed)

    # by the total's value to the cent (below that it is rounding), then by the parties' summed values
    order = np.lexsort((-est.evppi[:-1].sum(axis=0), -np.round(est.evppi[-1], 2)))
    parties = [str(p) for p in results["party"].values] + [TOTAL]
    party_names = ([str(p) for p in results["party_name"].values] if "party_name" in results.coords
                   else parties[:-1]) + ["All parties"]
    labels = [targets[k][0] for k in order]
    ds = xr.Dataset(coords={"party": parties, "parameter": labels})
    ds = ds.assign_coords(
        party_name=("party", party_names),
        kind=("parameter", ["group" if groups and targets[k][0] in groups else "parameter" for k in order]),
        members=("parameter", [", ".join(names[c] for c in targets[k][1]) for k in order]),
        model=("parameter", [est.models[k] for k in order]),
    )
    dims = ("party", "parameter")
    ds["evppi"] = (dims, est.evppi[:, order])
    ds["evppi_se"] = (dims, est.evppi_se[:, order])
    ds["evppi_edf"] = (dims, est.edf[:, order])
    ds["ranking"] = (dims, _rank(est.evppi[:, order]))
    # EVPPI <= EVPI holds for the true values; an estimate above it (beyond the error) is the
    # upward bias of fitting noise: a large group on a near-certain decision
    ds["evppi_over_evpi"] = (dims, (est.evppi[:, order] > (est.evpi + 2 * est.evpi_se)[:, None]
                                    + 2 * est.evppi_se[:, order]).astype(np.int8))
    ds["evpi"] = ("party", est.evpi)
    ds["evpi_se"] = ("party", est.evpi_se)
    ds["net_mean"] = ("party", net.mean(axis=0))
    ds["p_positive"] = ("party", (net > 0).mean(axis=0))
    ds["join"] = ("party", (net.mean(axis=0) > 0).astype(np.int8))
    describe(ds, euros=("evppi", "evppi_se", "evpi", "evpi_se", "net_mean"), descriptions=_DESCRIPTIONS)
    a = results.attrs
    ds.attrs.update(
        title=a.get("title", ""),
        analysis="evppi",
        simsav_version=__version__,
        config_path=a.get("config_path", ""),
        config_sha256=a.get("config_sha256", ""),
        agents=int(a.get("agents", 0)),
        horizon_months=int(a.get("horizon_months", results.sizes.get("month", 0))),
        currency="EUR",
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        draws=int(net.shape[0]),
        simulation_seed=int(a.get("seed", -1)),
        seed=seed,
        n_boot=n_boot,
        decision="join when the expected net is > 0: the decision is worth max(0, E[net])",
        method=("EVPPI = mean(max(0, g(phi))) - max(0, mean(net)), g = E[net | phi] fitted by non-parametric "
                "regression of net on phi over the draws (Strong, Oakley & Brennan 2014); EVPI = "
                "mean(max(0, net)) - max(0, mean(net)), cohort randomness included"),
        smoother=(f"one parameter: cubic P-spline on its range ({SEGMENTS} segments, second differences), penalty "
                  f"by GCV; a group: additive P-splines ({GROUP_SEGMENTS} segments each) with pairwise "
                  f"tensor-product interactions up to {MAX_INTERACTING} members, penalties by GCV"),
        error=(f"evppi_se, evpi_se: standard deviation over {n_boot} bootstrap resamples of the draws (same "
               "resamples for every parameter), each refitted (a single penalty weight chosen again by GCV; the two of "
               "a group with interactions kept). The plug-in EVPPI is biased upward by the noise the fit keeps "
               "(about the size of the estimate for a parameter worth nothing); GCV limits it"),
        group_model=f"groups of more than {MAX_INTERACTING} members are fitted additively (no interactions)",
    )
    return ds


def _rank(score: np.ndarray) -> np.ndarray:
    """Return 1 for the largest score along the last axis, 2 for the next, ..."""
    order = np.argsort(-score, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1, score.shape[-1] + 1), score.shape).copy(), axis=-1)
    return ranks


def value_of_information(config, draws: int = 4000, seed: int = 0, *, parameters=None,
                         groups: dict[str, list[str]] | None = None, n_boot: int = 200,
                         progress: bool | None = None) -> xr.Dataset:
    """Return :func:`evppi` of ``draws`` Monte Carlo draws of ``config`` (a Config or a path).

    ``parameters`` and group members may be a distribution's ``name`` or the path of an uncertain
    number (see ``simsav validate CONFIG``). The simulation uses ``seed`` (as ``simsav run``
    does) and so does the bootstrap (its own stream): results depend only on (config, seed, draws).
    """
    from ..model.compile import compile_config
    from ..model.simulate import as_config, check_draws, check_seed, simulate
    from .sensitivity import _labels, parameter_slot

    cfg = as_config(config)
    draws = check_draws(draws, "draws")
    seed = check_seed(seed, "seed")
    n_boot = _check_whole(n_boot, "n_boot", 0)
    table = compile_config(cfg).table
    unc = list(table.uncertain)
    labels = _labels(table, unc)  # unique per uncertain number: its name, or its path where names are shared
    if not unc:
        raise InputError("config", "has no uncertain numbers (distributions): there is nothing to learn")

    def label_of(name, source):
        try:
            slot = parameter_slot(table, name, source)
        except InputError as e:
            if isinstance(name, str) and name:
                raise InputError(source, f"no uncertain parameter named {name!r}; {_valid_names(labels)}") from None
            raise e
        if slot not in unc:
            raise InputError(source, f"{name!r} is a fixed number, not uncertain: knowing it teaches nothing; "
                                     f"{_valid_names(labels)}")
        return labels[unc.index(slot)]

    problems = []
    names = None
    if parameters is not None:
        names = []
        for p in [parameters] if isinstance(parameters, str) else parameters:
            try:
                names.append(label_of(p, "parameters"))
            except InputError as e:
                problems.append(e)
    mapped = None
    if groups is not None:
        if not isinstance(groups, Mapping):
            raise InputError("groups", f"must map a group's name to its parameters, got {groups!r}")
        mapped = {}
        for g, members in groups.items():
            if isinstance(members, str) or not members:
                mapped[g] = members  # evppi says what is wrong
                continue
            try:
                mapped[g] = [label_of(m, "groups") for m in members]
            except InputError as e:
                problems.append(InputError("groups", [("", f"group {g!r}: {m}") for _, m in e.problems]))
    if problems:
        raise InputError(problems[0].source, [pr for e in problems for pr in e.problems])
    _targets(labels, names, mapped)  # every other problem, before the simulation
    ds = simulate(cfg, draws=draws, seed=seed, progress=progress)
    ds = ds.assign_coords(parameter=labels)
    out = evppi(ds, names, mapped, n_boot=n_boot, seed=seed)
    paths = {lab: table.params[s].path for lab, s in zip(labels, unc)}
    out = out.assign_coords(parameter_path=("parameter", [paths.get(str(p), "") for p in out["parameter"].values]))
    return out


_DESCRIPTIONS = {
    "evppi": "expected value of perfect partial information: what knowing the parameter (or group) exactly before "
             "deciding to join is worth to the party, E[max(0, E[net | parameter])] - max(0, E[net]) (EUR)",
    "evppi_se": "bootstrap standard error of evppi (EUR); the estimate is also biased upward by about the noise "
                "its fit keeps",
    "evppi_edf": "effective degrees of freedom of the regression of net on the parameter (chosen by GCV)",
    "ranking": "1 for the parameter (or group) whose perfect information is worth most to the party",
    "evppi_over_evpi": "1 when evppi exceeds evpi by more than both errors: biased upward by fitting noise "
                       "(a large group, a decision that is nearly certain); do not rank on it",
    "evpi": "expected value of perfect information: E[max(0, net)] - max(0, E[net]), knowing every parameter and "
            "the cohort's luck (EUR); an upper bound on every evppi",
    "evpi_se": "bootstrap standard error of evpi (EUR)",
    "net_mean": "mean net over the draws (EUR)",
    "p_positive": "share of the draws with net > 0",
    "join": "1 when the expected net is positive: the party joins on what is known now",
}
