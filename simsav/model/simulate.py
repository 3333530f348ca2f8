"""Orchestration: config -> parameter draws -> kernel -> results Dataset.

``simulate`` (Monte Carlo) and ``base_case`` (deterministic expectation) are the public
entry points. Draws are run in chunks; each draw's random numbers depend only on
(seed, draw index), so any chunking, thread count or dask worker gives the same result.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import numpy as np

from .compile import CompiledModel, compile_config
from .config import Config, load_config
from .errors import InputError

WORLDS_N = 2


@dataclass
class RawResult:
    """Kernel output for a block of parameter rows (draws)."""

    flow: np.ndarray  # row x item x month (saving, discounted)
    occupancy: np.ndarray  # row x world x state x month
    events: np.ndarray  # row x world x stream x event


def _as_config(config) -> Config:
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


def root_key(seed: int) -> np.uint64:
    """Return the 64-bit root key of a run's agent streams (apart from the parameter stream)."""
    return np.random.SeedSequence(seed, spawn_key=(0,)).generate_state(1, np.uint64)[0]


def draw_keys(seed: int, draw_ids: np.ndarray) -> np.ndarray:
    """Return the key of each draw's agent stream: a function of (seed, draw index) only."""
    from .kernel import stream_key

    root = root_key(seed)
    return np.array([stream_key(root, np.uint64(i)) for i in np.asarray(draw_ids, dtype=np.uint64)], dtype=np.uint64)


def _allocate(model: CompiledModel, rows: int) -> RawResult:
    H = model.horizon
    return RawResult(
        flow=np.zeros((rows, len(model.item_ids), H + 1)),
        occupancy=np.zeros((rows, WORLDS_N, 5, H + 1)),
        events=np.zeros((rows, WORLDS_N, len(model.stream_ids), 5)),
    )


def _trim(model: CompiledModel, raw: RawResult) -> RawResult:
    H = model.horizon
    return RawResult(raw.flow[:, :, :H], raw.occupancy[:, :, :, :H], raw.events)


def run_monte_carlo(model: CompiledModel, values: np.ndarray, keys: np.ndarray) -> RawResult:
    """Run the Monte Carlo kernel on parameter rows ``values`` with per-draw keys ``keys``."""
    from .kernel import item_lists, simulate_draws

    values = np.ascontiguousarray(values, dtype=float)
    raw = _allocate(model, values.shape[0])
    lists = item_lists(model.item_basis, model.item_streams, model.item_worlds, model.item_state_sched,
                       model.item_event)
    simulate_draws(values, np.ascontiguousarray(keys, dtype=np.uint64), model.horizon, raw.flow, raw.occupancy,
                   raw.events, *lists, *model.kernel_arrays())
    return _trim(model, raw)


def run_expected(model: CompiledModel, values: np.ndarray) -> RawResult:
    """Return the exact expectation over agents for each parameter row in ``values``."""
    from .kernel import expected_draws

    values = np.ascontiguousarray(np.atleast_2d(values), dtype=float)
    raw = _allocate(model, values.shape[0])
    expected_draws(values, model.horizon, raw.flow, raw.occupancy, raw.events, *model.kernel_arrays())
    return _trim(model, raw)


def _concat(parts: list[RawResult]) -> RawResult:
    return RawResult(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("flow", "occupancy", "events")))


def kernel_needs_compiling(monte_carlo: bool = True, expected: bool = False) -> bool:
    """Return True when the next run of the named kernels in this process will JIT-compile
    (no usable cache): the Monte Carlo kernel, the expected-value (base-case) kernel, or both."""
    from . import kernel

    wanted = [k for k, on in ((kernel.simulate_draws, monte_carlo), (kernel.expected_draws, expected)) if on]
    for k in wanted:
        if k.signatures:
            continue
        try:
            # numba's own index check: empty when missing or stale for this source file
            if not k._cache._cache_file._load_index():
                return True
        except Exception:  # numba internals moved: assume the worst, the note is harmless
            return True
    return False


def default_chunk_size(n_agents: int, draws: int, local: bool = True) -> int:
    """Return the draws per kernel call: about a million agent-lives (memory stays flat, the bar
    moves), and in this process a multiple of numba's threads, so no thread idles at a chunk's end."""
    size = max(1, min(draws, 1_000_000 // max(1, n_agents)))
    if local:
        import numba

        threads = numba.get_num_threads()
        size = min(draws, -(-size // threads) * threads)
    return size


def simulate(config, draws: int = 1000, seed: int = 0, *, chunk_size: int | None = None,
             scheduler=None, progress: bool | None = None, values: np.ndarray | None = None):
    """Return the Monte Carlo results Dataset of ``draws`` draws (see MODEL.md "Results").

    ``config`` is a Config or a path. ``chunk_size`` (draws per kernel call) and
    ``scheduler`` (None: this process; ``"local"`` or a dask address/Client: dask.distributed)
    change only how the work is spread, never the result. ``progress``: a bar on stderr
    (None: only when stderr is a terminal and the run takes over a second).
    ``values`` replaces the sampled parameter matrix (draws x parameters), as sensitivity
    analyses do.
    """
    cfg = _as_config(config)
    seed = check_seed(seed, "seed")
    model = compile_config(cfg)
    if values is None:
        draws = check_draws(draws, "draws")
        values = model.table.sample(draws, seed, cfg.correlations)
    else:
        values = np.atleast_2d(np.asarray(values, dtype=float))
        draws = values.shape[0]
    draw_ids = np.arange(draws)
    if chunk_size is None:
        chunk_size = default_chunk_size(model.n_agents, draws, scheduler is None)
    chunks = [slice(a, min(a + chunk_size, draws)) for a in range(0, draws, chunk_size)]
    started = time.perf_counter()
    if scheduler is not None:
        from .distributed import run_chunks_on_dask

        parts = run_chunks_on_dask(model, values, seed, chunks, scheduler, progress)
    else:
        from tqdm.auto import tqdm

        parts = []
        keys = draw_keys(seed, draw_ids)
        bar = tqdm(total=draws, unit="draw", desc="simulating", delay=1.0, file=sys.stderr,
                   disable=(None if progress is None else not progress), leave=False)
        for c in chunks:
            parts.append(run_monte_carlo(model, values[c], keys[c]))
            bar.update(c.stop - c.start)
        bar.close()
    raw = _concat(parts)
    from .results import assemble

    return assemble(cfg, model, raw, values, mode="monte_carlo", seed=seed,
                    elapsed=time.perf_counter() - started)


def base_case(config):
    """Return the deterministic base case: point values, exact expectation over agents."""
    cfg = _as_config(config)
    model = compile_config(cfg)
    values = model.table.point_row()[None, :]
    started = time.perf_counter()
    raw = run_expected(model, values)
    from .results import assemble

    return assemble(cfg, model, raw, values, mode="base_case", seed=None,
                    elapsed=time.perf_counter() - started)
