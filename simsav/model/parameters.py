"""Parameters: every number of a config as a column of a (draw x parameter) matrix.

``ParameterTable`` gives each config number a slot. The kernel reads numbers only
through slots, so a base case is one row of point values, a Monte Carlo run is a
matrix of sampled rows, and a sensitivity analysis is any matrix it likes.

A parameter's path is the config field it comes from, with ``[[parties]]``, ``[[streams]]``
and ``[[items]]`` entries named by id (``items.jobcoaching.amount``), as validation messages
name it; its name is the distribution's ``name =`` when it has one, else the path.

Sampling draws uniforms from one numpy stream (draw ``i`` is the same whatever the number
of draws and however the run is cut into chunks), applies the rank correlations through a Gaussian copula
(so every marginal keeps its shape) and maps them through each distribution's ``ppf``
(:mod:`simsav.model.sampling`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..config import describe, is_uncertain, point_value
from . import sampling

PARAMETER_STREAM = 1
"""Spawn key of the parameter stream; agents' streams are keyed by draw in the kernel."""


def parameter_key(text: str) -> tuple[int, int]:
    """Return a stable key of a parameter's name or path: two 32-bit words of its SHA-256.

    The same text gives the same key in every config, process and Python (``hash`` of a str
    does not), so a parameter that two scenarios share draws the same numbers in both
    (:meth:`ParameterTable.sample_streams`).
    """
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "little"), int.from_bytes(digest[4:8], "little")


@dataclass(frozen=True)
class Parameter:
    """One config number."""

    name: str
    path: str
    dist: object  # a distribution model, or None for a fixed number
    point: float

    @property
    def uncertain(self) -> bool:
        return self.dist is not None and is_uncertain(self.dist)

    def describe(self) -> str:
        return describe(self.dist) if self.dist is not None else f"{self.point:g}"


@dataclass
class ParameterTable:
    """Slots for every number; uncertain ones sampled, fixed ones constant."""

    params: list[Parameter] = field(default_factory=list)
    _by_path: dict[str, int] = field(default_factory=dict)
    _constants: dict[float, int] = field(default_factory=dict)

    def add(self, path: str, number) -> int:
        """Return the slot of a config number, registering it on first sight."""
        if path in self._by_path:
            return self._by_path[path]
        if isinstance(number, (int, float)):
            dist, name = None, path
        else:
            dist, name = number, (number.name or path)
        self.params.append(Parameter(name=name, path=path, dist=dist, point=point_value(number)))
        self._by_path[path] = len(self.params) - 1
        return len(self.params) - 1

    def constant(self, value: float) -> int:
        """Return a slot holding a fixed number that no config field names (a default)."""
        value = float(value)
        if value not in self._constants:
            self.params.append(Parameter(name=f"constant:{value:g}", path=f"constant:{value:g}", dist=None, point=value))
            self._constants[value] = len(self.params) - 1
        return self._constants[value]

    def __len__(self) -> int:
        return len(self.params)

    @property
    def uncertain(self) -> list[int]:
        """Slots of the numbers that vary between draws."""
        return [i for i, p in enumerate(self.params) if p.uncertain]

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def slot_of(self, name: str) -> int:
        """Return the slot of a parameter by name or path; KeyError listing valid names otherwise."""
        for i, p in enumerate(self.params):
            if p.name == name or p.path == name:
                return i
        valid = ", ".join(self.params[i].name for i in self.uncertain) or "(none)"
        raise KeyError(f"no parameter named {name!r}; uncertain parameters are: {valid}")

    def point_row(self) -> np.ndarray:
        """Return the base-case value of every slot."""
        return np.array([p.point for p in self.params], dtype=float)

    def mean_row(self) -> np.ndarray:
        """Return every slot at its distribution's mean (the base case uses the sources' points)."""
        return np.array([p.dist.mean_value() if p.uncertain else p.point for p in self.params], dtype=float)

    def correlation_matrix(self, correlations) -> np.ndarray:
        """Return the Pearson correlation of the copula's normals over the uncertain slots."""
        unc = self.uncertain
        col = {s: k for k, s in enumerate(unc)}
        corr = np.eye(len(unc))
        for c in correlations:
            a, b = (col[self.slot_of(n)] for n in c.between)
            # Spearman rank correlation -> Pearson correlation of a bivariate normal.
            r = 2 * math.sin(math.pi * c.rank / 6)
            corr[a, b] = corr[b, a] = r
        return corr

    def sample(self, draws: int, seed: int, correlations=(), first: int = 0) -> np.ndarray:
        """Return a (draws x slots) matrix: point values with uncertain slots sampled, for the
        draws ``first .. first + draws - 1`` of the run.

        Draw i's row depends on (seed, i) alone: sampling a run in pieces gives the rows of
        sampling it whole, so a run can be sampled chunk by chunk (and on any worker).
        """
        if not self.uncertain:
            return np.tile(self.point_row(), (draws, 1))
        return self.rows_from_uniforms(self.uniforms(draws, seed, first), correlations)

    def rows_from_uniforms(self, u: np.ndarray, correlations=()) -> np.ndarray:
        """Return the (draws x slots) rows of uniforms ``u`` (draws x uncertain): point values,
        the uncertain slots through the Gaussian copula and each distribution's ``ppf``. What
        :meth:`sample` does with the uniforms it draws, so rows of the same uniforms are the
        same to the bit (a paired scenario reuses the base's uniforms, ``simsav.analysis.compare``)."""
        unc = self.uncertain
        values = np.tile(self.point_row(), (u.shape[0], 1))
        if not unc:
            return values
        if correlations:
            from scipy.special import ndtr, ndtri  # scipy.stats.norm's cdf and ppf, to the bit

            chol = np.linalg.cholesky(self.correlation_matrix(correlations))
            # z @ chol.T, summed row by row: a matrix product's rounding depends on how many rows
            # it is given (BLAS blocks them), a draw's row must not
            z = (ndtri(u)[:, None, :] * chol[None, :, :]).sum(axis=-1)
            u = ndtr(z)
        u = np.clip(u, 1e-12, 1 - 1e-12)
        for k, slot in enumerate(unc):
            values[:, slot] = sampling.ppf(self.params[slot].dist, u[:, k])
        return values

    def sample_streams(self, draws: int, seed: int, keys, correlations=(), first: int = 0) -> np.ndarray:
        """Return (draws x slots) rows as :meth:`sample` does, but each uncertain parameter's
        uniforms from a stream of its own: ``keys`` holds one tuple of ints per uncertain slot
        (in :attr:`uncertain` order), and the uniform of draw ``i`` is number ``i`` of the stream
        ``PCG64(SeedSequence(seed, spawn_key=(PARAMETER_STREAM, *key)))``.

        A parameter's draw then depends on (seed, its key, draw index) only, whatever else the
        config holds: two scenarios that give a parameter the same key share its draws (paired
        comparisons, ``simsav.analysis.compare``), and regions that give a national unknown the
        same key share one draw of it (``simsav.model.national``). Correlations act through the
        Gaussian copula over the slots of this table, as in :meth:`sample`.
        """
        unc = self.uncertain
        if len(keys) != len(unc):
            raise ValueError(f"need one key per uncertain slot ({len(unc)}), got {len(keys)}")
        if not unc:
            return np.tile(self.point_row(), (draws, 1))
        u = np.empty((draws, len(unc)))
        for k, key in enumerate(keys):
            u[:, k] = stream_uniforms(seed, key, draws, first)
        return self.rows_from_uniforms(u, correlations)

    # ------------------------------------------------------------------ the latent (standard normal) space
    def uniforms(self, draws: int, seed: int, first: int = 0) -> np.ndarray:
        """Return the (draws x uncertain) uniforms ``sample`` draws for draws ``first ..``: one
        stream for all the table's parameters, draw by draw (a run's own draws)."""
        unc = self.uncertain
        bits = np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(PARAMETER_STREAM,)))
        bits.advance(first * len(unc))
        return np.random.Generator(bits).random((draws, len(unc)))

    def sample_latent(self, draws: int, seed: int, first: int = 0) -> np.ndarray:
        """Return the (draws x uncertain) independent standard normals behind ``sample``'s rows:
        ndtri of the very uniforms ``sample(draws, seed, ..., first)`` draws, before the copula.

        The prior in this space is N(0, I) whatever the marginals and correlations, so a sampler
        can move there (``simsav.analysis.smc``) and map back with :meth:`rows_from_latent`:
        ``rows_from_latent(sample_latent(n, seed), correlations)`` is ``sample(n, seed,
        correlations)`` up to rounding (~1e-12). A uniform below 1e-12 from 0 or 1 (about one
        in 10^12) is held there, so every normal is finite.
        """
        from scipy.special import ndtri

        if not self.uncertain:
            return np.empty((draws, 0))
        return ndtri(np.clip(self.uniforms(draws, seed, first), 1e-12, 1 - 1e-12))

    def rows_from_latent(self, x: np.ndarray, correlations=(), only=None) -> np.ndarray:
        """Return the (draws x slots) rows of latent standard normals ``x`` (draws x uncertain):
        point values, the uncertain slots through the Gaussian copula and each ``ppf`` as
        :meth:`sample` maps its uniforms (the Cholesky factor applied row by row, the same clip).

        ``only``: the slots wanted (the others stay at their point values): a sampler whose
        likelihood reads a few slots maps only those (a beta's ppf is dear)."""
        from scipy.special import ndtr

        unc = self.uncertain
        x = np.atleast_2d(np.asarray(x, dtype=float))
        values = np.tile(self.point_row(), (x.shape[0], 1))
        if not unc:
            return values
        if x.shape[1] != len(unc):
            raise ValueError(f"latent rows need {len(unc)} columns (the uncertain slots), got {x.shape[1]}")
        cols = range(len(unc)) if only is None else [k for k, slot in enumerate(unc) if slot in set(only)]
        cols = list(cols)
        if correlations:
            chol = np.linalg.cholesky(self.correlation_matrix(correlations))[cols]
            z = (x[:, None, :] * chol[None, :, :]).sum(axis=-1)  # row by row, as sample does
        else:
            z = x[:, cols]
        u = np.clip(ndtr(z), 1e-12, 1 - 1e-12)
        for j, k in enumerate(cols):
            slot = unc[k]
            values[:, slot] = sampling.ppf(self.params[slot].dist, u[:, j])
        return values

    def latent_columns(self, slots, correlations=()) -> np.ndarray:
        """Return, as a boolean mask over the latent columns, those that the values of ``slots``
        depend on (through the copula's Cholesky factor: a column feeds a slot where the factor is
        not 0)."""
        unc = self.uncertain
        want = [k for k, slot in enumerate(unc) if slot in set(slots)]
        if not correlations:
            mask = np.zeros(len(unc), bool)
            mask[want] = True
            return mask
        chol = np.linalg.cholesky(self.correlation_matrix(correlations))
        return np.any(chol[want] != 0.0, axis=0) if want else np.zeros(len(unc), bool)


def stream_uniforms(seed: int, key, draws: int, first: int = 0) -> np.ndarray:
    """Return uniforms ``first .. first + draws - 1`` of the parameter stream keyed ``key`` (a
    tuple of non-negative ints) under ``seed``: one 64-bit step each, so any piece of the
    stream is the same numbers as the stream drawn whole."""
    bits = np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(PARAMETER_STREAM, *map(int, key))))
    bits.advance(first)
    return np.random.Generator(bits).random(draws)
