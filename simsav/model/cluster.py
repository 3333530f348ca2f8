"""Run chunks of draws on dask.distributed workers.

Every draw's random numbers depend only on (seed, draw index), and parameter rows are
sampled here, before the work is spread, so any split over workers gives the same result as
a local run, bit for bit. The workers need simsav installed; each compiles the kernel once
(or loads it from numba's cache).
"""
from __future__ import annotations

import sys

import numpy as np

from ..errors import InputError
from .engine import draw_keys, run_monte_carlo


def _run_chunk(model, values, seed, first, stop):
    return run_monte_carlo(model, values, draw_keys(seed, np.arange(first, stop)))


def _warm(model):
    """Compile (or load) the kernel on a worker with a one-draw run."""
    run_monte_carlo(model, model.table.point_row()[None, :], draw_keys(0, np.arange(1)))
    return True


def local_cluster(n_workers: int | None = None):
    """Return a LocalCluster of ``n_workers`` processes (default: one per core), one thread each.

    Each worker's numba kernel runs on one thread (``NUMBA_NUM_THREADS=1``, set before the
    worker imports numba): dask spreads the chunks over the workers, and a worker that also
    spread its draws over every core would share the cores with the others.
    """
    import os

    from distributed import LocalCluster

    n = n_workers or max(1, min(os.cpu_count() or 1, 8))
    return LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                        env={"NUMBA_NUM_THREADS": "1"})


def client_for(scheduler):
    """Return (dask Client, owned) for ``scheduler``: "local", an address, or a Client."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask is a dependency
        raise InputError("--scheduler", "dask.distributed is not installed: pip install 'dask[distributed]'") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    if scheduler == "local":
        return Client(local_cluster()), True
    if isinstance(scheduler, str):
        try:
            return Client(scheduler, timeout="10s"), True
        except (OSError, TimeoutError, ValueError) as e:
            raise InputError("--scheduler", f"cannot reach a dask scheduler at {scheduler!r}: {e}") from None
    raise InputError("--scheduler", f"expected 'local', a scheduler address or a dask Client, got {scheduler!r}")


def run_chunks_on_dask(model, values, seed, chunks, scheduler, progress=None):
    """Return the kernel ``Output`` of every chunk (in order), computed on dask workers."""
    from tqdm.auto import tqdm

    client, owned = client_for(scheduler)
    try:
        model_f = client.scatter(model, broadcast=True)
        client.run(_warm, model)  # compile once per worker before timing-sensitive work
        futures = [
            client.submit(_run_chunk, model_f, values[c], seed, c.start, c.stop, pure=False) for c in chunks
        ]
        bar = tqdm(total=values.shape[0], unit="draw", desc="simulating on dask", delay=1.0, file=sys.stderr,
                   disable=(None if progress is None else not progress), leave=False)
        from distributed import as_completed

        for fut in as_completed(futures):
            bar.update(fut.result().flow.shape[0])
        bar.close()
        return client.gather(futures)
    finally:
        if owned:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
