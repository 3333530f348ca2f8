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


MAX_DRAWS = 10**9
"""More draws than this is not a business case but a mistake (a billion already takes days)."""
MAX_SEED = 2**63 - 1
"""Seeds are stored with the results as a 64-bit integer."""


def check_draws(draws, source: str = "--draws") -> int:
    """Return ``draws`` as a positive int; raise InputError otherwise."""
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)):
        raise InputError(source, f"must be a whole number, got {draws!r}")
    if draws <= 0:
        raise InputError(source, f"must be at least 1, got {draws}")
    if draws > MAX_DRAWS:
        raise InputError(source, f"must be at most {MAX_DRAWS:,} (10**9), got {draws:,}: the bands settle long "
                                 "before that (the run's warnings say when there are too few)")
    return int(draws)


def check_seed(seed, source: str = "--seed") -> int:
    """Return ``seed`` as a non-negative int; raise InputError otherwise."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(source, f"must be a whole number >= 0, got {seed!r}")
    if seed > MAX_SEED:
        raise InputError(source, f"must be at most 2**63 - 1 ({MAX_SEED}), got {seed}")
    return int(seed)


def simulate(config, draws: int = 1000, seed: int = 0, *, chunk_size: int | None = None,
             scheduler=None, progress: bool | None = None, values: np.ndarray | None = None,
             base: bool = True, out=None, agent_stream: int = 0):
    """Return the Monte Carlo results Dataset of ``draws`` draws (see MODEL.md "Results").

    ``config`` is a Config or a path. ``chunk_size`` (draws per kernel call) and
    ``scheduler`` (None: this process; ``"local"`` or a dask address/Client: dask.distributed)
    change only how the work is spread, never the result. ``progress``: a bar on stderr
    (None: only when stderr is a terminal and the run takes over a second).
    ``values`` replaces the sampled parameter matrix (draws x parameters), as sensitivity
    analyses do. ``base``: also compute the base case and keep it in the results (the
    ``base_*`` variables), so that analyses of the results need no config.

    ``out``: a netCDF path to write the results to chunk by chunk, so that memory holds one
    chunk whatever the number of draws; the Dataset returned is then the file, opened lazily
    (its values are read when used). Every number is the one an in-memory run gives.
    """
    cfg = as_config(config)
    seed = check_seed(seed, "seed")
    model = compile_config(cfg)
    if values is None:
        draws = check_draws(draws, "draws")
    else:
        values = np.atleast_2d(np.asarray(values, dtype=float))
        draws = values.shape[0]
    if chunk_size is None:
        chunk_size = default_chunk_size(model.n_agents, draws, scheduler is None)
        if out is not None:
            chunk_size = min(chunk_size, streaming_chunk_size(model, scheduler is None))
    chunks = (slice(a, min(a + chunk_size, draws)) for a in range(0, draws, chunk_size))
    labels = Labels.of(model, cfg)
    base_values = model.table.point_row()[None, :]
    base_out = means_out = None
    if base:
        both = run_expected(model, np.concatenate([base_values, model.table.mean_row()[None, :]]))
        base_out, means_out = (Output(*(a[k:k + 1] for a in both)) for k in (0, 1))
    started = time.perf_counter()

    def rows(c: slice) -> np.ndarray:
        if values is not None:
            return values[c]
        return model.table.sample(c.stop - c.start, seed, cfg.correlations, first=c.start)

    if scheduler is not None:
        from .cluster import run_chunks_on_dask

        chunks = list(chunks)
        all_values = np.concatenate([rows(c) for c in chunks])
        parts = run_chunks_on_dask(model, all_values, seed, chunks, scheduler, progress, agent_stream)
        outputs = ((c, all_values[c], part) for c, part in zip(chunks, parts))
    else:
        outputs = _run_chunks_here(model, rows, seed, chunks, draws, progress, agent_stream)

    if out is None:
        blocks = list(outputs)
        return assemble(labels, Output.concat([p for _, _, p in blocks]), np.concatenate([v for _, v, _ in blocks]),
                        mode="monte_carlo", seed=seed, elapsed=time.perf_counter() - started, base=base_out,
                        base_values=base_values, means=means_out)

    def datasets():
        for k, (c, v, part) in enumerate(outputs):
            yield assemble(labels, part, v, mode="monte_carlo", seed=seed, first_draw=c.start, draws=draws,
                           base=base_out if k == 0 else None, base_values=base_values,
                           means=means_out if k == 0 else None)

    from .results import stream_results

    stream_results(out, datasets(), draws,
                   finish=lambda: {"elapsed_seconds": round(time.perf_counter() - started, 3)})
    import xarray as xr

    return xr.open_dataset(out, engine="h5netcdf")


def estimated_file_bytes(model: CompiledModel, draws: int) -> int:
    """Return about how many bytes the results file of ``draws`` draws takes: compressed, a draw
    takes a sixth of the kernel's output for it (6 kB a draw of Holland Rijnland), plus the rest."""
    from .records import Output

    raw = sum(a.nbytes for a in Output.zeros(1, model.kernel))
    return draws * raw // 6 + 1_000_000


STREAM_CHUNK_BYTES = 256 * 2**20
"""About what one chunk of a run written to a file may hold in memory (kernel output and its Dataset)."""


def streaming_chunk_size(model: CompiledModel, local: bool = True) -> int:
    """Return the draws per chunk of a run written chunk by chunk: as many as fit in
    ``STREAM_CHUNK_BYTES`` (the kernel's output per draw, and about twice that for its Dataset)."""
    from .records import Output

    out = Output.zeros(1, model.kernel)
    per_draw = 3 * sum(a.nbytes for a in out)
    size = max(1, STREAM_CHUNK_BYTES // per_draw)
    if local:
        from .engine import threads

        size = max(threads(), size // threads() * threads())
    return size


def _run_chunks_here(model: CompiledModel, rows, seed: int, chunks, draws: int, progress, agent_stream: int = 0):
    """Yield (chunk, its parameter rows, its kernel output) for each chunk, in order."""
    from tqdm.auto import tqdm

    bar = tqdm(total=draws, unit="draw", desc="simulating", delay=1.0, file=sys.stderr,
               disable=(None if progress is None else not progress), leave=False)
    try:
        for c in chunks:
            v = rows(c)
            yield c, v, run_monte_carlo(model, v, draw_keys(seed, np.arange(c.start, c.stop), agent_stream))
            bar.update(c.stop - c.start)
    finally:
        bar.close()


def base_case(config):
    """Return the deterministic base case: point values, exact expectation over agents."""
    cfg = as_config(config)
    model = compile_config(cfg)
    values = model.table.point_row()[None, :]
    started = time.perf_counter()
    out = run_expected(model, values)
    return assemble(Labels.of(model, cfg), out, values, mode="base_case", seed=None,
                    elapsed=time.perf_counter() - started)
