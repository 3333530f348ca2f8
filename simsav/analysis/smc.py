"""Posterior draws of the parameters by sequential Monte Carlo (likelihood tempering, pCN moves).

Weighting the prior draws by the likelihood (importance sampling) collapses once the data say
much: a 240-person register at month 30 leaves 30-48 effective draws of 2,000. Sequential Monte
Carlo walks from the prior to the posterior through the tempered targets
prior(theta) L(theta)^phi, 0 = phi_0 < phi_1 < ... < phi_m = 1:

* each next temperature is chosen by bisection so that the effective sample size of the
  incremental weights L^(phi_new - phi) is ``target`` x draws (0.5 by default; the last step
  stops at phi = 1);
* the particles are resampled by those weights (systematic resampling) ...
* ... and moved by preconditioned Crank-Nicolson steps in the latent space of
  :meth:`ParameterTable.sample_latent` (independent standard normals behind the uniforms, before
  the copula): x' = rho x + sqrt(1 - rho^2) xi, xi ~ N(0, I). The prior there is N(0, I) whatever
  the marginals and rank correlations, and pCN leaves it invariant, so a move is accepted with
  probability min(1, (L(x') / L(x))^phi): no prior density, no Jacobian. rho is adapted from the
  acceptance of the previous step (aiming at ``ACCEPT_TARGET``) and the moves repeat until the
  particles have on average ``min_accepted`` accepted moves since the resampling (at most
  ``max_steps`` steps).

The particles start at ``simsav run``'s own prior draws (``table.sample(draws, seed, ...)``, their
latents from ``table.sample_latent`` with the same seed), so when the data tell the draws apart
not at all the posterior draws are the prior draws unchanged (method ``"prior"``). Draws that make
the data impossible (log-likelihood -inf) get weight 0 at the first positive temperature; when
fewer remain than the target, the first step is as small as possible (``SMALLEST_STEP``) so that
the moves spread the survivors over the prior's possible region before the data weigh in.

The random numbers come from one stream, ``SeedSequence(seed, spawn_key=(POSTERIOR_STREAM,))``,
consumed in a fixed order; the log-likelihood is evaluated row by row on whole blocks of rows, so
the result depends only on (table, correlations, loglik, draws, seed), never on threads.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..errors import InputError

POSTERIOR_STREAM = 4
"""Spawn key of the sampler's stream (agents: 0, parameters: 1, Sobol design: 2, bootstrap: 3)."""

TARGET_ESS = 0.5
"""Each tempering step keeps this share of the draws as effective sample size."""
ACCEPT_TARGET = 0.3
"""The pCN steps aim at this acceptance rate (0.25 - 0.35 is efficient for random-walk-like moves)."""
RHO_START = 0.9
RHO_MIN, RHO_MAX = 0.0, 0.999
MIN_ACCEPTED = 3.0
"""Moves per stage repeat until the particles have this many accepted moves each, on average."""
MAX_STEPS = 30
"""At most this many pCN steps per stage."""
SMALLEST_STEP = 1e-6
"""The first temperature when too few draws are possible to reach the target ESS by weighting."""
EQUAL = 1e-12
"""Importance weights that differ by less than this (relative) count as equal."""


@dataclass(frozen=True)
class PosteriorSample:
    """Posterior draws of the parameter rows and how they were found.

    ``rows`` (draws x slots): equally weighted posterior draws, ``log_likelihood`` theirs;
    ``prior_rows``: ``table.sample(draws, seed, correlations)`` (simsav run's draws) with
    ``prior_log_likelihood`` and ``weights`` (normalised importance weights; ``ess_prior`` =
    (sum w)^2 / sum w^2, a diagnostic: what weighting alone would keep); ``method``: ``"prior"``
    (the likelihood is the same for every draw: rows are the prior rows), ``"importance"`` (the
    weights are equal to 1e-12: rows are the prior rows) or ``"smc"``; per stage ``temperatures``
    (phi after the stage, the last 1), ``acceptance`` (the last pCN step's acceptance rate),
    ``rhos`` (the last step's rho), ``steps`` (pCN steps) and ``stage_ess`` (the ESS of the
    incremental weights); ``moves`` (pCN steps in all), ``ess_min`` (the lowest ESS met),
    ``impossible`` (prior draws with likelihood 0), ``log_evidence`` (the estimate of
    log E_prior[L], the product of the stages' mean incremental weights), ``latent`` (the final
    particles' standard normals), ``draws`` and ``seed``."""

    rows: np.ndarray
    log_likelihood: np.ndarray
    prior_rows: np.ndarray
    prior_log_likelihood: np.ndarray
    weights: np.ndarray
    ess_prior: float
    method: str
    temperatures: tuple = ()
    acceptance: tuple = ()
    rhos: tuple = ()
    steps: tuple = ()
    stage_ess: tuple = ()
    moves: int = 0
    ess_min: float = 0.0
    impossible: int = 0
    log_evidence: float = 0.0
    latent: np.ndarray | None = None
    draws: int = 0
    seed: int = 0

    @property
    def stages(self) -> int:
        return len(self.temperatures)


def importance_weights(ll: np.ndarray) -> tuple[np.ndarray, float]:
    """Return the normalised weights of log-likelihoods ``ll`` and their effective sample size
    (all zero and 0 when every draw makes the data impossible)."""
    ll = np.asarray(ll, float)
    top = np.max(ll) if ll.size else -np.inf
    if not np.isfinite(top):
        return np.zeros_like(ll), 0.0
    w = np.exp(ll - top)
    w /= w.sum()
    return w, float(1.0 / np.sum(w * w))


def _ess(ll: np.ndarray, delta: float) -> float:
    """ESS of the weights exp(delta * ll) (ll's -inf: weight 0)."""
    return importance_weights(delta * ll if delta > 0 else np.where(np.isfinite(ll), 0.0, -np.inf))[1]


def next_step(ll: np.ndarray, room: float, target_ess: float) -> float:
    """Return the largest step delta in (0, room] whose incremental weights exp(delta * ll) keep
    an ESS of at least ``target_ess`` (bisection; ``room`` if it keeps that much)."""
    if _ess(ll, room) >= target_ess:
        return room
    lo, hi = 0.0, room
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if _ess(ll, mid) >= target_ess:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-14 * hi:
            break
    return lo if lo > 0 else hi


def systematic_resample(w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return len(w) indices drawn by systematic resampling with normalised weights ``w``."""
    n = len(w)
    c = np.cumsum(w)
    c[-1] = 1.0
    points = (rng.random() + np.arange(n)) / n
    return np.minimum(np.searchsorted(c, points, side="right"), n - 1)


def _clean(ll) -> np.ndarray:
    ll = np.asarray(ll, dtype=float).copy()
    ll[np.isnan(ll)] = -np.inf
    if np.any(ll == np.inf):
        raise ValueError("a log-likelihood of +inf")
    return ll


def _adapt_rho(rho: float, acc: float) -> float:
    """Return the next rho for an acceptance ``acc`` at ``rho``: the step size sqrt(1 - rho^2)
    scaled by ndtri(target / 2) / ndtri(acc / 2), the ratio the random-walk acceptance
    2 Phi(-l / 2) of a Gaussian target gives (bounded to a factor 4 either way)."""
    from scipy.special import ndtri

    a = min(max(acc, 0.01), 0.99)
    factor = min(max(float(ndtri(ACCEPT_TARGET / 2) / ndtri(a / 2)), 0.25), 4.0)
    s = min(math.sqrt(max(1.0 - rho * rho, 0.0)) * factor, 1.0)
    return float(min(max(math.sqrt(1.0 - s * s), RHO_MIN), RHO_MAX))


def sample_posterior(table, correlations, loglik: Callable[[np.ndarray], np.ndarray], draws: int, seed: int, *,
                     target: float = TARGET_ESS, min_accepted: float = MIN_ACCEPTED,
                     max_steps: int = MAX_STEPS, rho: float = RHO_START, source: str = "register",
                     data: str = "register", reads=None) -> PosteriorSample:
    """Return ``draws`` equally weighted draws of the posterior prior(theta) L(theta) of the
    rows of ``table`` (a ParameterTable; its uncertain slots with the rank ``correlations``),
    ``loglik(rows) -> log L`` per row (-inf allowed), by sequential Monte Carlo from the prior
    draws ``table.sample(draws, seed, correlations)`` (see the module docstring).

    ``reads``: the slots ``loglik`` depends on (None: all). Then only the latent columns that feed
    them move (``table.latent_columns``) and only those slots are mapped for the likelihood; the
    other columns do not enter the likelihood, so under the posterior they are still independent
    standard normals: they are drawn afresh at the end, and the rows mapped whole.

    Raises InputError(``source``, ...) when every prior draw makes the data impossible
    (``data`` names them in the message: "register", "status table")."""
    draws = int(draws)
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    prior_rows = table.sample(draws, seed, correlations)
    ll0 = _clean(loglik(prior_rows))
    if ll0.shape != (draws,):
        raise ValueError(f"loglik returned shape {ll0.shape}, expected ({draws},)")
    w0, ess0 = importance_weights(ll0)
    finite = np.isfinite(ll0)
    common = dict(prior_rows=prior_rows, prior_log_likelihood=ll0, weights=w0, ess_prior=ess0,
                  impossible=int(draws - finite.sum()), draws=draws, seed=seed)
    if not finite.any():
        why = (" (a life the config's laws cannot produce, e.g. a return after the last allowed job spell)"
               if data == "register" else "")
        raise InputError(source, f"no parameter draw of the prior can produce this {data}: "
                                 f"all {draws} draws give it probability 0{why}")
    top0 = float(np.max(ll0))
    if finite.all() and np.all(ll0 == ll0[0]):
        return PosteriorSample(rows=prior_rows, log_likelihood=ll0, method="prior", ess_min=float(draws),
                               log_evidence=top0, latent=table.sample_latent(draws, seed), **common)
    if finite.all() and np.max(np.abs(w0 * draws - 1.0)) <= EQUAL:
        return PosteriorSample(rows=prior_rows, log_likelihood=ll0, method="importance", ess_min=ess0,
                               log_evidence=top0 + float(np.log(np.mean(np.exp(ll0 - top0)))),
                               latent=table.sample_latent(draws, seed), **common)

    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(POSTERIOR_STREAM,))))
    x = table.sample_latent(draws, seed)
    rows, ll = prior_rows.copy(), ll0.copy()
    move = np.ones(x.shape[1], bool) if reads is None else table.latent_columns(reads, correlations)
    d = int(move.sum())
    phi = 0.0
    temps, accs, rhos, nsteps, sess = [], [], [], [], []
    moves = 0
    ess_min = float(draws)
    log_z = 0.0
    while phi < 1.0:
        room = 1.0 - phi
        alive = int(np.isfinite(ll).sum())
        if alive < target * draws:
            delta = min(next_step(ll, room, target * alive), SMALLEST_STEP, room)
        else:
            delta = next_step(ll, room, target * draws)
        prev, phi = phi, (1.0 if delta >= room else phi + delta)
        alive_now = np.isfinite(ll)
        inc = np.full(draws, -np.inf)
        inc[alive_now] = (phi - prev) * ll[alive_now]
        w, ess = importance_weights(inc)
        top = np.max(inc)
        log_z += float(top + np.log(np.mean(np.exp(inc - top))))
        ess_min = min(ess_min, ess)
        idx = systematic_resample(w, rng)
        x, rows, ll = x[idx], rows[idx], ll[idx]
        accepted = np.zeros(draws)
        steps = 0
        acc = 0.0
        while steps < max_steps:
            c = math.sqrt(max(1.0 - rho * rho, 0.0))
            xn = x.copy()
            xn[:, move] = rho * x[:, move] + c * rng.standard_normal((draws, d))
            rn = table.rows_from_latent(xn, correlations, only=reads)
            lln = _clean(loglik(rn))
            u = rng.random(draws)
            with np.errstate(invalid="ignore"):
                ok = np.isfinite(lln) & (np.log(u) < phi * (lln - ll))
            x[ok], rows[ok], ll[ok] = xn[ok], rn[ok], lln[ok]
            accepted += ok
            acc = float(ok.mean())
            steps += 1
            moves += 1
            rho_used = rho
            rho = _adapt_rho(rho, acc)
            if accepted.mean() >= min_accepted:
                break
        temps.append(phi)
        accs.append(acc)
        rhos.append(rho_used)
        nsteps.append(steps)
        sess.append(ess)
    if reads is not None:
        # the columns the likelihood does not read are still the prior's: fresh draws, whole rows
        x[:, ~move] = rng.standard_normal((draws, int((~move).sum())))
        rows = table.rows_from_latent(x, correlations)
    return PosteriorSample(rows=rows, log_likelihood=ll, method="smc", temperatures=tuple(temps),
                           acceptance=tuple(accs), rhos=tuple(rhos), steps=tuple(nsteps), stage_ess=tuple(sess),
                           moves=moves, ess_min=ess_min, log_evidence=log_z, latent=x, **common)
