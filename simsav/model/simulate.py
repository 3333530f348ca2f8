"""Orchestration: config -> parameter draws -> kernel -> results Dataset.

``simulate`` (Monte Carlo) and ``base_case`` (deterministic expectation) are the public
entry points. Draws are run in chunks; each draw's random numbers depend only on
(seed, draw index), so any chunking, thread count or dask worker gives the same result.
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np

from ..config import Config, load_config
from ..errors import InputError
from .compile import CompiledModel, compile_config
from .engine import default_chunk_size, draw_keys, run_expected, run_monte_carlo
from .records import Output
from .results import Labels, assemble


def as_config(config) -> Config:
    """Return ``config`` as a Config: itself, or the file it names, loaded."""
    if isinstance(config, Config):
        return config
    if isinstance(config, (str, os.PathLike)):
        return load_config(config)
    raise TypeError(f"config must be a Config or a path to a TOML file, not {type(config).__name__}")


def check_draws(draws, source: str = "--draws") -> int:
    """Return ``draws`` as a positive int; raise InputError otherwise."""
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)):
        raise InputError(source, f"must be a whole number, got {draws!r}")
    if draws <= 0:
        raise InputError(source, f"must be at least 1, got {draws}")
    return int(draws)


def check_seed(seed, source: str = "--seed") -> int:
    """Return ``seed`` as a non-negative int; raise InputError otherwise."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(source, f"must be a whole number >= 0, got {seed!r}")
    return int(seed)


def simulate(config, draws: int = 1000, seed: int = 0, *, chunk_size: int | None = None,
             scheduler=None, progress: bool | None = None, values: np.ndarray | None = None,
             base: bool = True):
    """Return the Monte Carlo results Dataset of ``draws`` draws (see MODEL.md "Results").

    ``config`` is a Config or a path. ``chunk_size`` (draws per kernel call) and
    ``scheduler`` (None: this process; ``"local"`` or a dask address/Client: dask.distributed)
    change only how the work is spread, never the result. ``progress``: a bar on stderr
    (None: only when stderr is a terminal and the run takes over a second).
    ``values`` replaces the sampled parameter matrix (draws x parameters), as sensitivity
    analyses do. ``base``: also compute the base case and keep it in the results (the
    ``base_*`` variables), so that analyses of the results need no config.
    """
    cfg = as_config(config)
    seed = check_seed(seed, "seed")
    model = compile_config(cfg)
    if values is None:
        draws = check_draws(draws, "draws")
        values = model.table.sample(draws, seed, cfg.correlations)
    else:
        values = np.atleast_2d(np.asarray(values, dtype=float))
        draws = values.shape[0]
    if chunk_size is None:
        chunk_size = default_chunk_size(model.n_agents, draws, scheduler is None)
    chunks = [slice(a, min(a + chunk_size, draws)) for a in range(0, draws, chunk_size)]
    started = time.perf_counter()
    if scheduler is not None:
        from .cluster import run_chunks_on_dask

        parts = run_chunks_on_dask(model, values, seed, chunks, scheduler, progress)
    else:
        parts = _run_chunks_here(model, values, seed, chunks, progress)
    out = Output.concat(parts)
    base_values = model.table.point_row()[None, :]
    base_out = run_expected(model, base_values) if base else None
    return assemble(Labels.of(model, cfg), out, values, mode="monte_carlo", seed=seed,
                    elapsed=time.perf_counter() - started, base=base_out, base_values=base_values)


def _run_chunks_here(model: CompiledModel, values: np.ndarray, seed: int, chunks: list[slice], progress) -> list:
    from tqdm.auto import tqdm

    keys = draw_keys(seed, np.arange(values.shape[0]))
    bar = tqdm(total=values.shape[0], unit="draw", desc="simulating", delay=1.0, file=sys.stderr,
               disable=(None if progress is None else not progress), leave=False)
    parts = []
    for c in chunks:
        parts.append(run_monte_carlo(model, values[c], keys[c]))
        bar.update(c.stop - c.start)
    bar.close()
    return parts


def base_case(config):
    """Return the deterministic base case: point values, exact expectation over agents."""
    cfg = as_config(config)
    model = compile_config(cfg)
    values = model.table.point_row()[None, :]
    started = time.perf_counter()
    out = run_expected(model, values)
    return assemble(Labels.of(model, cfg), out, values, mode="base_case", seed=None,
                    elapsed=time.perf_counter() - started)
