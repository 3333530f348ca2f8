"""Updated parameters: the posterior of the outcome parameters given a register.

``posterior(config, register)`` draws parameter rows from the config's prior (the rows
``simsav run`` draws with the same seed), weights each by the exact likelihood of the register's
lives up to its census (:func:`simsav.model.likelihood.log_likelihood`: people still waiting,
in mediation, at work or on hold at the census are censored, not failures) and summarises,
per uncertain parameter the likelihood depends on (placement and return probabilities, the
means of the laws of time: waiting, months to placement, job retention, months on hold,
months to drop-out), the prior and the importance-weighted posterior.

The Dataset's names:

* ``prior_mean``, ``posterior_mean`` (parameter); ``prior_quantile``, ``posterior_quantile``
  (parameter x quantile: 5%, 50%, 95%; weighted quantiles, the prior's with equal weights);
* ``value`` (draw x parameter): the prior draws; ``log_likelihood`` and ``weight`` (draw):
  the normalised importance weights;
* attrs ``ess`` = (sum w)^2 / sum w^2, ``draws``, ``seed``, ``as_of``, ``collapsed`` (1 when
  ESS < ``ESS_MIN``: too few draws carry the weight, the posterior's numbers are unreliable;
  a sequential Monte Carlo or MCMC step would be needed) and ``note``.
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from ..config import Config
from ..config.register import Register, read_register
from ..model.compile import compile_config
from ..model.likelihood import log_likelihood, outcome_slots
from ..model.lives import register_lives
from ..model.simulate import as_config

QUANTILES = (0.05, 0.5, 0.95)
ESS_MIN = 100
"""Below this effective sample size the importance weights are said to have collapsed."""

POSTERIOR_DESCRIPTIONS = {
    "prior_mean": "mean of the parameter over the prior draws",
    "posterior_mean": "importance-weighted mean of the parameter given the register",
    "prior_quantile": "5%, 50% and 95% quantiles of the prior draws",
    "posterior_quantile": "weighted 5%, 50% and 95% quantiles given the register",
    "value": "the prior draws of each parameter (the rows simsav run draws with this seed)",
    "log_likelihood": "log-probability of the register's lives to the census under each draw (-inf: impossible)",
    "weight": "normalised importance weight of each draw (sums to 1; all 0 when every draw is impossible)",
}
"""What each variable of ``posterior``'s Dataset holds."""


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q) -> np.ndarray:
    """Return the ``q`` quantiles of ``values`` with ``weights`` (each value at the middle of its
    weight's step of the cumulative distribution, linear between: with equal weights, the
    Hazen quantile)."""
    values = np.asarray(values, float)
    weights = np.asarray(weights, float)
    order = np.argsort(values, kind="stable")
    x, w = values[order], weights[order]
    keep = w > 0
    x, w = x[keep], w[keep]
    if x.size == 0:
        return np.full(len(np.atleast_1d(q)), np.nan)
    c = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(np.atleast_1d(q), c, x)


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


def posterior(config: Config | str, register: Register | str, draws: int = 2000, seed: int = 0,
              as_of: str | int | None = None) -> xr.Dataset:
    """Return the prior and posterior of the outcome parameters given ``register`` (a Register,
    or a CSV/XLSX file read with ``as_of``), by importance weights on ``draws`` prior draws."""
    cfg = as_config(config)
    if not isinstance(register, Register):
        register = read_register(register, cfg, as_of)
    model = compile_config(cfg)
    rows = model.table.sample(draws, seed, cfg.correlations)
    lives = register_lives(register, model)
    ll = log_likelihood(model, rows, lives, register.as_of)
    w, ess = importance_weights(ll)
    slots = outcome_slots(model)
    params = [model.table.params[i] for i in slots]
    values = rows[:, slots]
    equal = np.full(draws, 1.0 / draws)
    prior_q = np.array([weighted_quantile(values[:, k], equal, QUANTILES) for k in range(len(slots))])
    post_q = np.array([weighted_quantile(values[:, k], w, QUANTILES) for k in range(len(slots))])
    prior_q = prior_q.reshape(len(slots), len(QUANTILES))
    post_q = post_q.reshape(len(slots), len(QUANTILES))
    collapsed = ess < ESS_MIN
    if ess == 0:
        note = "no prior draw can produce this register: the posterior is undefined"
    elif collapsed:
        note = (f"importance weights collapsed: effective sample size {ess:.1f} of {draws} draws (< {ESS_MIN}); "
                "the posterior rests on a few draws and is unreliable (more draws, or SMC/MCMC, needed)")
    else:
        note = f"effective sample size {ess:.1f} of {draws} draws"
    names = [p.name for p in params]
    ds = xr.Dataset(
        {
            "prior_mean": ("parameter", values.mean(axis=0) if draws else np.full(len(slots), np.nan)),
            "posterior_mean": ("parameter", w @ values if ess > 0 else np.full(len(slots), np.nan)),
            "prior_quantile": (("parameter", "quantile"), prior_q),
            "posterior_quantile": (("parameter", "quantile"), post_q),
            "value": (("draw", "parameter"), values),
            "log_likelihood": ("draw", ll),
            "weight": ("draw", w),
        },
        coords={"parameter": names, "path": ("parameter", [p.path for p in params]),
                "quantile": list(QUANTILES), "draw": np.arange(draws)},
        attrs={"ess": ess, "draws": draws, "seed": seed, "as_of": register.as_of_month,
               "participants": len(register.participants), "collapsed": int(collapsed), "note": note},
    )
    for name, text in POSTERIOR_DESCRIPTIONS.items():
        ds[name].attrs["description"] = text
    return ds
