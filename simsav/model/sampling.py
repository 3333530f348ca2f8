"""Drawing from the config's distributions: inverse CDFs (``ppf``) and CDFs.

Each family's ``ppf`` is ``scipy.stats``'s, computed as scipy computes it (the standard
distribution's ``_ppf`` from ``scipy.special``, times scale, plus loc), so results are the
same to the last bit as ``dist.scipy().ppf(u)`` without importing ``scipy.stats``, which takes
most of a second. ``tests/test_distributions.py`` holds each family to that. A truncated
normal, and every ``cdf`` (only the conditional sampling of a threshold analysis needs one),
use ``scipy.stats`` itself.
"""
from __future__ import annotations

import numpy as np

from ..config.distributions import Discrete, Fixed, _Dist


def ppf(dist: _Dist, u) -> np.ndarray:
    """Return the quantiles of ``dist`` at the probabilities ``u`` (each strictly inside (0, 1))."""
    u = np.asarray(u, dtype=float)
    if isinstance(dist, Fixed):
        return np.full(np.shape(u), float(dist.value))
    if isinstance(dist, Discrete):
        values, probs = dist.table()
        idx = np.searchsorted(np.cumsum(probs), u, side="left")
        return values[np.minimum(idx, len(values) - 1)]
    family, shapes, loc, scale = dist.scipy_args()
    standard = _STANDARD_PPF.get(family)
    if standard is None:
        return np.asarray(dist.scipy().ppf(u), dtype=float)
    return standard(u, *shapes) * scale + loc


def cdf(dist: _Dist, x: float) -> float:
    """Return P(X <= x); for a finite set of values, the middle of the step at ``x`` (so that
    ``ppf`` maps the value's own probability range back to it)."""
    if isinstance(dist, Discrete):
        values, probs = dist.table()
        below = float(probs[values < x].sum())
        return below + float(probs[values == x].sum()) / 2
    if isinstance(dist, Fixed):
        return 1.0 if x >= dist.value else 0.0
    return float(dist.scipy().cdf(x))


def _uniform(q):
    return q


def _triangular(q, c):
    return np.where(q < c, np.sqrt(c * q), 1 - np.sqrt((1 - c) * (1 - q)))


def _normal(q):
    from scipy.special import ndtri

    return ndtri(q)


def _lognormal(q, s):
    from scipy.special import ndtri

    return np.exp(s * ndtri(q))


def _gamma(q, a):
    from scipy.special import gammaincinv

    return gammaincinv(a, q)


def _beta(q, a, b):
    from scipy.special import _ufuncs

    return _ufuncs._beta_ppf(q, a, b)


_STANDARD_PPF = {"uniform": _uniform, "triang": _triangular, "norm": _normal, "lognorm": _lognormal,
                 "gamma": _gamma, "beta": _beta}
"""The standardised ``_ppf`` of each scipy.stats family simsav uses (truncnorm: scipy itself)."""
