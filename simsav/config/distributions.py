"""Parameter distributions: any number in a config may be one of these.

Each distribution is a small pydantic model that checks its own parameters when the
config loads, and knows its mean, the value the base case uses (``point_value()``: the
``point`` the source gives, else the mean) and its support (to check, say, that a
probability stays in [0, 1]). Each is the scipy.stats distribution ``scipy()`` returns
(``scipy_args()`` names it and its shape, loc and scale); the mean and support are that
distribution's, computed here with the same floating-point operations scipy uses, so a
config loads without importing scipy (a test checks they agree to the last bit). Drawing
from a distribution (its ``ppf``) is the model's business: :mod:`simsav.model.sampling`.

In a config a distribution is an inline table with a ``dist`` key::

    placement_probability = { dist = "beta", mean = 0.5, sd = 0.08, point = 0.5 }
"""
from __future__ import annotations

import math
from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


Text = Union[str, dict[Literal["nl", "en"], str]]
"""A text a board reads: one string, or one per language (``{ nl = "...", en = "..." }``)."""

CITATION = r"^[a-z][a-z0-9_-]*(:[0-9]+(-[0-9]+)?)?$"
"""A citation of a source: ``key`` or ``key:line`` or ``key:first-last`` (the config's ``[sources]``
checks the key; ``judgement`` needs no entry there)."""



def text_in(text, lang: str) -> str:
    """Return a :data:`Text` in ``lang`` (a plain string is the same in every language; a table
    without ``lang`` gives its other language)."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or next(iter(text.values()), "")


def _normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(
        None,
        description="Name to refer to this parameter in correlations and sensitivity analyses; each name "
        "names one number in a config (and is not the path of another).",
    )
    point: float | None = Field(
        None, description="Value used in the base case (the number the source gives); default: the mean."
    )
    label: Text | None = Field(
        None,
        description="What a board reads instead of the name or path (sensitivity results, the report): a "
        'string, or one per language: `{ nl = "Kans op een baan", en = "Chance of a job" }`. Default: '
        "derived from the item or stream it belongs to and the field (\"Zorgkosten Zvw: bedrag\").",
    )
    source: str | list[str] | None = Field(
        None,
        description="Where the number comes from: a key of the config's `[sources]` table, with the line or "
        'row in that document after a colon (`"twente:42"`, `"twente:42-45"`), or `"judgement"` for the '
        "modeller's own judgement; a list for more than one. The report shows it as "
        '"Business case Twente 2021-2023 (nov. 2020), r. 42".',
    )

    @field_validator("source")
    @classmethod
    def _citations(cls, v):
        import re

        for c in [v] if isinstance(v, str) else v or []:
            if not re.match(CITATION, c):
                raise ValueError(f'{c!r} is no citation: write "key" or "key:42" or "key:42-45" (a key of '
                                 '[sources]) or "judgement"')
        return v

    def scipy_args(self) -> tuple[str, tuple, float, float]:  # pragma: no cover - every subclass overrides
        """Return (scipy.stats family, shape parameters, loc, scale) of this distribution."""
        raise NotImplementedError

    def scipy(self):
        """Return the frozen scipy.stats distribution this one is (imports scipy.stats)."""
        from scipy import stats

        family, shapes, loc, scale = self.scipy_args()
        return getattr(stats, family)(*shapes, loc=loc, scale=scale)

    def _standard_mean(self, shapes) -> float:  # pragma: no cover - every subclass overrides
        """Return the mean of the standardised distribution (loc 0, scale 1), as scipy's ``_stats`` does."""
        raise NotImplementedError

    def _standard_support(self, shapes) -> tuple[float, float]:
        return 0.0, 1.0

    def mean_value(self) -> float:
        """Return the mean: ``mu * scale + loc``, as ``scipy.stats`` computes it."""
        _, shapes, loc, scale = self.scipy_args()
        return float(np.float64(self._standard_mean(shapes)) * scale + loc)

    def point_value(self) -> float:
        return float(self.point) if self.point is not None else self.mean_value()

    def support(self) -> tuple[float, float]:
        """Return (low, high): ``a * scale + loc`` and ``b * scale + loc``, as ``scipy.stats`` computes them."""
        _, shapes, loc, scale = self.scipy_args()
        a, b = self._standard_support(shapes)
        return float(a * scale + loc), float(b * scale + loc)

    def _check_params(self):
        """Raise ValueError when the parameters describe no distribution."""

    @model_validator(mode="after")
    def _validate(self):
        self._check_params()
        if self.point is not None:
            lo, hi = self.support()
            if not (lo <= self.point <= hi):
                raise ValueError(f"point {self.point} lies outside the distribution's range [{lo}, {hi}]")
        return self


class Fixed(_Dist):
    """A number that is not uncertain (the same as writing the plain number)."""

    dist: Literal["fixed"]
    value: float

    def scipy_args(self):
        return "uniform", (), float(self.value), 0.0

    def mean_value(self) -> float:
        return float(self.value)

    def point_value(self) -> float:
        return float(self.value)

    def support(self):
        return float(self.value), float(self.value)


class Uniform(_Dist):
    """Every value between ``low`` and ``high`` equally likely."""

    dist: Literal["uniform"]
    low: float
    high: float

    def _check_params(self):
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    def scipy_args(self):
        return "uniform", (), self.low, self.high - self.low

    def _standard_mean(self, shapes):
        return 0.5


class Triangular(_Dist):
    """Triangular on [low, high] with its peak at ``mode``."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    def _check_params(self):
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"mode ({self.mode}) must lie between low ({self.low}) and high ({self.high})")
        return self

    def scipy_args(self):
        width = self.high - self.low
        return "triang", ((self.mode - self.low) / width,), self.low, width

    def _standard_mean(self, shapes):
        (c,) = shapes
        return (c + 1.0) / 3.0


class Pert(_Dist):
    """PERT (a beta on [low, high] peaked at ``mode``; ``shape`` 4 is the classic PERT)."""

    dist: Literal["pert"]
    low: float
    mode: float
    high: float
    shape: float = Field(4.0, gt=0)

    def _check_params(self):
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"mode ({self.mode}) must lie between low ({self.low}) and high ({self.high})")
        return self

    def scipy_args(self):
        width = self.high - self.low
        a = 1 + self.shape * (self.mode - self.low) / width
        b = 1 + self.shape * (self.high - self.mode) / width
        return "beta", (a, b), self.low, width

    def _standard_mean(self, shapes):
        a, b = shapes
        return a / (a + b)


class Normal(_Dist):
    """Normal with ``mean`` and ``sd``, optionally truncated to [low, high]."""

    dist: Literal["normal"]
    mean: float
    sd: float
    low: float | None = None
    high: float | None = None

    def _check_params(self):
        if not self.sd > 0:
            raise ValueError(f"sd must be positive, got {self.sd}")
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        if not lo < hi:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if _normal_cdf((hi - self.mean) / self.sd) - _normal_cdf((lo - self.mean) / self.sd) < 1e-9:
            raise ValueError("the truncation range [low, high] holds no probability mass of this normal")
        return self

    @property
    def truncated(self) -> bool:
        return self.low is not None or self.high is not None

    def scipy_args(self):
        if not self.truncated:
            return "norm", (), self.mean, self.sd
        lo = -math.inf if self.low is None else (self.low - self.mean) / self.sd
        hi = math.inf if self.high is None else (self.high - self.mean) / self.sd
        return "truncnorm", (lo, hi), self.mean, self.sd

    def _standard_support(self, shapes):
        return shapes if self.truncated else (-math.inf, math.inf)

    def mean_value(self) -> float:
        if self.truncated:  # scipy's moments of a truncated normal are not a formula worth copying
            return float(self.scipy().mean())
        return float(np.float64(0.0) * self.sd + self.mean)


class LogNormal(_Dist):
    """Lognormal given by the ``mean`` and ``sd`` of the value itself (not of its log)."""

    dist: Literal["lognormal"]
    mean: float
    sd: float

    def _check_params(self):
        if not self.mean > 0:
            raise ValueError(f"mean must be positive for a lognormal, got {self.mean}")
        if not self.sd > 0:
            raise ValueError(f"sd must be positive, got {self.sd}")
        return self

    def scipy_args(self):
        sigma2 = math.log1p((self.sd / self.mean) ** 2)
        mu = math.log(self.mean) - sigma2 / 2
        return "lognorm", (math.sqrt(sigma2),), 0.0, math.exp(mu)

    def _standard_mean(self, shapes):
        s = np.float64(shapes[0])
        return np.sqrt(np.exp(s * s))

    def _standard_support(self, shapes):
        return 0.0, math.inf


class Gamma(_Dist):
    """Gamma given by its ``mean`` and ``sd``."""

    dist: Literal["gamma"]
    mean: float
    sd: float

    def _check_params(self):
        if not self.mean > 0:
            raise ValueError(f"mean must be positive for a gamma, got {self.mean}")
        if not self.sd > 0:
            raise ValueError(f"sd must be positive, got {self.sd}")
        return self

    def scipy_args(self):
        shape = (self.mean / self.sd) ** 2
        return "gamma", (shape,), 0.0, self.mean / shape

    def _standard_mean(self, shapes):
        return shapes[0]

    def _standard_support(self, shapes):
        return 0.0, math.inf


class Beta(_Dist):
    """Beta on [0, 1] (or [low, high]), by ``alpha``/``beta`` or by ``mean``/``sd``."""

    dist: Literal["beta"]
    alpha: float | None = None
    beta: float | None = None
    mean: float | None = None
    sd: float | None = None
    low: float = 0.0
    high: float = 1.0

    def _check_params(self):
        by_shape = self.alpha is not None or self.beta is not None
        by_moments = self.mean is not None or self.sd is not None
        if by_shape == by_moments:
            raise ValueError("give either alpha and beta, or mean and sd")
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if by_shape:
            if self.alpha is None or self.beta is None:
                raise ValueError("give both alpha and beta")
            if not (self.alpha > 0 and self.beta > 0):
                raise ValueError(f"alpha and beta must be positive, got {self.alpha} and {self.beta}")
        else:
            if self.mean is None or self.sd is None:
                raise ValueError("give both mean and sd")
            if not self.sd > 0:
                raise ValueError(f"sd must be positive, got {self.sd}")
            m = (self.mean - self.low) / (self.high - self.low)
            s = self.sd / (self.high - self.low)
            if not 0 < m < 1:
                raise ValueError(f"mean {self.mean} must lie strictly inside ({self.low}, {self.high})")
            if not s * s < m * (1 - m):
                limit = math.sqrt(m * (1 - m)) * (self.high - self.low)
                raise ValueError(
                    f"no beta distribution has mean {self.mean} and sd {self.sd}: "
                    f"with this mean the sd must be below {limit:.4g}"
                )
        return self

    def shapes(self) -> tuple[float, float]:
        if self.alpha is not None:
            return float(self.alpha), float(self.beta)
        m = (self.mean - self.low) / (self.high - self.low)
        s = self.sd / (self.high - self.low)
        k = m * (1 - m) / (s * s) - 1
        return m * k, (1 - m) * k

    def scipy_args(self):
        return "beta", self.shapes(), self.low, self.high - self.low

    def _standard_mean(self, shapes):
        a, b = shapes
        return a / (a + b)


class Discrete(_Dist):
    """A finite set of ``values`` with their ``probabilities`` (an empirical distribution)."""

    dist: Literal["discrete"]
    values: list[float] = Field(min_length=1)
    probabilities: list[float] | None = Field(
        None, description="One per value, summing to 1; default: all values equally likely."
    )

    def _check_params(self):
        if self.probabilities is not None:
            if len(self.probabilities) != len(self.values):
                raise ValueError(
                    f"{len(self.values)} values but {len(self.probabilities)} probabilities"
                )
            if any(p < 0 for p in self.probabilities):
                raise ValueError("probabilities must not be negative")
            if abs(sum(self.probabilities) - 1) > 1e-6:
                raise ValueError(f"probabilities sum to {sum(self.probabilities):.6g}, not 1")
        return self

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (values in increasing order, their probabilities)."""
        values = np.asarray(self.values, dtype=float)
        if self.probabilities is None:
            probs = np.full(len(values), 1 / len(values))
        else:
            probs = np.asarray(self.probabilities, dtype=float)
        order = np.argsort(values, kind="stable")
        return values[order], probs[order] / probs.sum()

    def scipy(self):  # pragma: no cover - not a scipy distribution
        raise TypeError("a discrete distribution is simsav's own, not a scipy.stats one")

    def mean_value(self) -> float:
        values, probs = self.table()
        return float(np.dot(values, probs))

    def support(self):
        return float(min(self.values)), float(max(self.values))


Distribution = Annotated[
    Union[Fixed, Uniform, Triangular, Pert, Normal, LogNormal, Gamma, Beta, Discrete],
    Field(discriminator="dist"),
]
"""Any of the distribution families, chosen by the ``dist`` key."""

Number = Union[float, Distribution]
"""A config number: a plain value or a distribution."""

FAMILIES = {
    cls.model_fields["dist"].annotation.__args__[0]: cls
    for cls in (Fixed, Uniform, Triangular, Pert, Normal, LogNormal, Gamma, Beta, Discrete)
}


def point_value(x: Number) -> float:
    """Return the base-case value of a config number."""
    return float(x) if isinstance(x, (int, float)) else x.point_value()


def support(x: Number) -> tuple[float, float]:
    """Return the range a config number can take."""
    if isinstance(x, (int, float)):
        return float(x), float(x)
    return x.support()


def is_uncertain(x: Number) -> bool:
    """Return True when a config number varies between draws."""
    return not isinstance(x, (int, float, Fixed))


def describe(x: Number) -> str:
    """Return a short human description, e.g. ``beta(mean=0.5, sd=0.08)``."""
    if isinstance(x, (int, float)):
        return f"{x:g}"
    fields = x.model_dump(exclude_none=True, exclude={"dist", "name", "point", "label", "source"})
    inner = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in fields.items())
    return f"{x.dist}({inner})"
