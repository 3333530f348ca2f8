"""Running the kernels on blocks of parameter rows: arrays in, an ``Output`` record out.

Each draw's agents draw their random numbers from a stream keyed by (seed, draw index)
alone (:func:`draw_keys`), so a block of draws gives the same numbers whichever process,
thread or chunk runs it. Parameter rows are sampled before (``ParameterTable.sample``).
"""
from __future__ import annotations

import numpy as np

from .compile import CompiledModel
from .records import Output

AGENT_STREAM = 0
"""Spawn key of the agents' streams (``parameters.PARAMETER_STREAM`` is the parameters')."""


def root_key(seed: int, stream: int = 0) -> np.uint64:
    """Return the 64-bit root key of a run's agent streams (apart from the parameter stream).

    ``stream`` 0 is a config's own run; another number gives an independent family of agent
    streams under the same seed (a national roll-up gives each region its own: region k + 1).
    """
    spawn = (AGENT_STREAM,) if stream == 0 else (AGENT_STREAM, int(stream))
    return np.random.SeedSequence(seed, spawn_key=spawn).generate_state(1, np.uint64)[0]


def draw_keys(seed: int, draw_ids, stream: int = 0) -> np.ndarray:
    """Return the key of each draw's agent stream: a function of (seed, stream, draw index) only."""
    from .kernel import stream_key, stream_keys

    ids = np.asarray(draw_ids, dtype=np.uint64)
    root = root_key(seed, stream)
    if ids.size and np.array_equal(ids, np.arange(ids[0], ids[0] + ids.size, dtype=np.uint64)):
        return stream_keys(root, np.uint64(ids[0]), ids.size)
    return np.array([stream_key(root, i) for i in ids], dtype=np.uint64)


def threads() -> int:
    """Return how many threads a kernel call uses: numba's setting (``NUMBA_NUM_THREADS``, default
    the number of cores)."""
    import numba

    return max(1, int(numba.config.NUMBA_NUM_THREADS))


def _on_threads(kernel, rows: int, *args) -> None:
    """Run ``kernel(*args, first, step)`` on ``threads()`` threads, thread k taking rows k, k + T, ...

    The kernels release the GIL, and each row writes only its own part of the output, so
    the result is the same on any number of threads.
    """
    n = min(threads(), rows)
    if n <= 1:
        kernel(*args, 0, 1)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(n) as pool:
        for f in [pool.submit(kernel, *args, k, n) for k in range(n)]:
            f.result()


def run_monte_carlo(model: CompiledModel, values: np.ndarray, keys: np.ndarray) -> Output:
    """Run the Monte Carlo kernel on parameter rows ``values`` with per-draw keys ``keys``."""
    from .kernel import simulate_draws

    values = np.ascontiguousarray(np.atleast_2d(values), dtype=float)
    out = Output.zeros(values.shape[0], model.kernel)
    _on_threads(simulate_draws, values.shape[0], values, np.ascontiguousarray(keys, dtype=np.uint64), model.kernel,
                out)
    return out.trimmed()


def run_expected(model: CompiledModel, values: np.ndarray) -> Output:
    """Return the exact expectation over agents for each parameter row in ``values``."""
    from .kernel import expected_draws

    values = np.ascontiguousarray(np.atleast_2d(values), dtype=float)
    out = Output.zeros(values.shape[0], model.kernel)
    _on_threads(expected_draws, values.shape[0], values, model.kernel, out)
    return out.trimmed()


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
        n = threads()
        size = min(draws, -(-size // n) * n)
    return size
