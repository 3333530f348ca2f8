"""Updated parameters: the posterior of the outcome parameters given a register.

``posterior(config, register)`` samples the posterior of the config's uncertain parameters
given the exact likelihood of the register's lives up to its census
(:func:`simsav.model.likelihood.log_likelihood`: people still waiting, in mediation, at work or
on hold at the census are censored, not failures) by sequential Monte Carlo from the config's
prior (:func:`simsav.analysis.smc.sample_posterior`: likelihood tempering from ``simsav run``'s
own prior draws with the same seed, pCN moves in the latent normal space) and summarises, per
uncertain parameter the likelihood depends on (placement and return probabilities, the means of
the laws of time: waiting, months to placement, job retention, months on hold, months to
drop-out), the prior and the posterior.

The Dataset's names (``posterior_dataset``):

* ``prior_mean``, ``posterior_mean`` (parameter); ``prior_quantile``, ``posterior_quantile``
  (parameter x quantile: 5%, 50%, 95%; Hazen quantiles of the equally weighted draws);
* ``value`` (draw x parameter): the prior draws (simsav run's), with their ``log_likelihood``
  and normalised importance ``weight`` (draw); ``posterior_value`` (draw x parameter): the
  equally weighted posterior draws;
* attrs ``method`` ("prior": the data tell no draw apart, the posterior draws are the prior
  draws; "importance": the weights are all equal; "smc"), ``ess`` (the importance weights'
  effective sample size (sum w)^2 / sum w^2: what weighting the prior draws alone would keep, a
  diagnostic), ``collapsed`` (1 when ess < ``ESS_MIN``: importance weights alone would have
  collapsed; the SMC's draws do not), ``stages``, ``temperatures`` (comma-separated), ``acceptance``
  (per stage, comma-separated), ``moves``, ``ess_min``, ``draws``, ``seed``, ``as_of``,
  ``participants`` and ``note`` (what was done, in words).
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from ..config import Config
from ..config.register import Register, read_register
from ..model.compile import compile_config
from ..model.likelihood import lives_terms, log_likelihood_of_terms, outcome_slots, status_log_likelihood
from ..model.lives import register_lives
from ..model.simulate import as_config
from .smc import PosteriorSample, importance_weights, sample_posterior

__all__ = ["ESS_MIN", "IMPORTANCE_KEEP", "POSTERIOR_DESCRIPTIONS", "QUANTILES", "after_draws", "importance_weights",
           "posterior", "posterior_dataset",
           "register_loglik", "status_loglik", "weighted_quantile"]

QUANTILES = (0.05, 0.5, 0.95)
ESS_MIN = 100
"""Below this effective sample size the importance weights of the prior draws are said to have
collapsed (the posterior then rests on the sequential Monte Carlo's moves)."""

POSTERIOR_DESCRIPTIONS = {
    "prior_mean": "mean of the parameter over the prior draws",
    "posterior_mean": "mean of the parameter over the posterior draws given the data (weighted by posterior_weight)",
    "prior_quantile": "5%, 50% and 95% quantiles of the prior draws",
    "posterior_quantile": "5%, 50% and 95% quantiles of the posterior draws given the data",
    "value": "the prior draws of each parameter (the rows simsav run draws with this seed)",
    "posterior_value": "the posterior draws of each parameter given the data (weights: posterior_weight)",
    "posterior_weight": "weight of each posterior draw: 1 / draws, or the importance weights when the posterior "
                        "draws are the prior draws reweighted (method 'importance')",
    "log_likelihood": "log-probability of the data under each prior draw (-inf: impossible)",
    "weight": "normalised importance weight of each prior draw (sums to 1): what weighting alone would use",
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


def register_loglik(model, register: Register):
    """Return ``loglik(rows)``: the log-probability of ``register``'s lives to its census per
    parameter row (``model``: the config's CompiledModel)."""
    terms = lives_terms(model, register_lives(register, model), register.as_of)

    def loglik(rows: np.ndarray) -> np.ndarray:
        return log_likelihood_of_terms(model, rows, terms)

    return loglik


def status_loglik(model, table):
    """Return ``loglik(rows)``: the composite log-likelihood of an aggregate status table per
    parameter row (:func:`simsav.model.likelihood.status_log_likelihood`)."""

    def loglik(rows: np.ndarray) -> np.ndarray:
        return status_log_likelihood(model, rows, table)

    return loglik


IMPORTANCE_KEEP = 0.5
"""When the importance weights of simsav run's prior draws keep at least this share of them as
effective sample size, the posterior is those draws, weighted (where sequential Monte Carlo would
stop after its first step as well)."""


def after_draws(sample: PosteriorSample) -> tuple[np.ndarray, np.ndarray | None, str]:
    """Return the posterior draws every summary and the re-forecast use: (rows, weights, method).

    When the importance weights of ``simsav run``'s own draws keep at least ``IMPORTANCE_KEEP`` of
    them (weak data), the posterior is those very draws, weighted (method ``importance``; weights
    None when they are all equal, method ``prior``): before and after then share their parameter
    draws and the agents' random numbers, so the change is measured draw by draw (a paired
    comparison) and, with nothing observed, after is before. Otherwise the sequential Monte Carlo's
    equally weighted draws (weights None, method ``smc``)."""
    n = sample.prior_rows.shape[0]
    if sample.method in ("prior", "importance"):
        return sample.prior_rows, None, "prior"
    if sample.ess_prior >= IMPORTANCE_KEEP * n:
        return sample.prior_rows, np.asarray(sample.weights, float), "importance"
    return sample.rows, None, "smc"


def _note(sample: PosteriorSample) -> str:
    n, ess = sample.draws, sample.ess_prior
    if after_draws(sample)[2] == "importance":
        return (f"importance weights on the {n} prior draws (simsav run's): effective sample size {ess:.0f}, "
                f"at least {IMPORTANCE_KEEP:.0%} of the draws")
    if sample.method == "prior":
        return f"the data do not tell the {n} prior draws apart: the posterior draws are the prior draws"
    if sample.method == "importance":
        return f"the importance weights of the {n} prior draws are all equal: the posterior draws are the prior draws"
    return (f"sequential Monte Carlo: {sample.stages} tempering stage{'s' * (sample.stages != 1)}, "
            f"{sample.moves} moves; importance weights alone would keep {ess:.0f} of {n} draws"
            + (f" (collapsed: under {ESS_MIN})" if ess < ESS_MIN else "")
            + (f"; {sample.impossible} prior draws cannot produce the data" if sample.impossible else ""))


def posterior_dataset(model, sample: PosteriorSample, attrs: dict | None = None) -> xr.Dataset:
    """Return the prior and posterior Dataset (names: POSTERIOR_DESCRIPTIONS) of ``sample`` (a
    :class:`simsav.analysis.smc.PosteriorSample`) over the outcome parameters of ``model``;
    ``attrs`` (as_of, participants, seed, ...) are added to the sampler's."""
    slots = outcome_slots(model)
    params = [model.table.params[i] for i in slots]
    draws = sample.prior_rows.shape[0]
    values = sample.prior_rows[:, slots]
    rows, w, method = after_draws(sample)
    after = rows[:, slots]
    equal = np.full(draws, 1.0 / draws)
    w = equal if w is None else w
    prior_q = np.array([weighted_quantile(values[:, k], equal, QUANTILES) for k in range(len(slots))])
    post_q = np.array([weighted_quantile(after[:, k], w, QUANTILES) for k in range(len(slots))])
    prior_q = prior_q.reshape(len(slots), len(QUANTILES))
    post_q = post_q.reshape(len(slots), len(QUANTILES))
    ess = float(sample.ess_prior)
    names = [p.name for p in params]
    ds = xr.Dataset(
        {
            "prior_mean": ("parameter", values.mean(axis=0)),
            "posterior_mean": ("parameter", w @ after),
            "prior_quantile": (("parameter", "quantile"), prior_q),
            "posterior_quantile": (("parameter", "quantile"), post_q),
            "value": (("draw", "parameter"), values),
            "posterior_value": (("draw", "parameter"), after),
            "posterior_weight": ("draw", w),
            "log_likelihood": ("draw", sample.prior_log_likelihood),
            "weight": ("draw", sample.weights),
        },
        coords={"parameter": names, "path": ("parameter", [p.path for p in params]),
                "quantile": list(QUANTILES), "draw": np.arange(draws)},
        attrs={"method": method, "sampler": sample.method, "ess": ess, "draws": draws, "seed": sample.seed,
               "stages": sample.stages, "temperatures": ",".join(f"{t:.6g}" for t in sample.temperatures),
               "acceptance": ",".join(f"{a:.3f}" for a in sample.acceptance), "moves": int(sample.moves),
               "ess_min": float(sample.ess_min), "impossible": int(sample.impossible),
               "collapsed": int(ess < ESS_MIN), "note": _note(sample)},
    )
    ds.attrs.update(attrs or {})
    for name, text in POSTERIOR_DESCRIPTIONS.items():
        ds[name].attrs["description"] = text
    return ds


def posterior(config: Config | str, register: Register | str, draws: int = 2000, seed: int = 0,
              as_of: str | int | None = None) -> xr.Dataset:
    """Return the prior and posterior of the outcome parameters given ``register`` (a Register,
    or a CSV/XLSX file read with ``as_of``): ``draws`` posterior draws by sequential Monte Carlo
    from ``simsav run``'s ``draws`` prior draws with ``seed``. Raises InputError when no prior
    draw can produce the register."""
    cfg = as_config(config)
    if not isinstance(register, Register):
        register = read_register(register, cfg, as_of)
    model = compile_config(cfg)
    sample = sample_posterior(model.table, cfg.correlations, register_loglik(model, register), draws, seed,
                              reads=outcome_slots(model))
    return posterior_dataset(model, sample, {"as_of": register.as_of_month,
                                             "participants": len(register.participants), "data": register.source,
                                             "data_kind": "register"})
