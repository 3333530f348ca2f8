"""One measurement in a fresh process, for ``python -m benchmarks``: prints one JSON line.

    python -m benchmarks.measure kernel W2 [--draws N] [--repeat R]   kernel, JIT warm (one draw first)
    python -m benchmarks.measure numpy W2 --draws N                    NumPy yardstick on the first N draws
    python -m benchmarks.measure rng W2 [--draws N] [--repeat R]       RNG-only loop, the kernel's variate count
    python -m benchmarks.measure lives W3 [--draws N] [--repeat R]     profile: the kernel with no agent-linked items
    python -m benchmarks.measure simulate W3 [--workers K]             simsav.simulate end to end; K > 0: on a
                                                                       LocalCluster of K workers (dask.distributed)
    python -m benchmarks.measure sobol                                 W4: benchmarks/benchmarks/sensitivity.py
    python -m benchmarks.measure national --draws N [--workers K]     configs/national.toml into a zarr store
                                                                       (simsav.model.national); K > 0: LocalCluster

Run from the repository root. Times are wall seconds (``time.perf_counter``), the best of
``--repeat`` runs; the parent reads the process's peak memory from ``os.wait4``.
"""
from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import resource
import sys
import time
from pathlib import Path

from . import workloads

# yardsticks' numba cache records the module's name: import it as the top-level ``yardsticks``
# everywhere (asv, tests, here), never as ``benchmarks.yardsticks``.
if str(workloads.REPO / "benchmarks") not in sys.path:
    sys.path.insert(0, str(workloads.REPO / "benchmarks"))


def _rss_mb() -> float:
    """Return this process's peak resident memory so far, in MB (10^6 bytes; ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def _best(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def kernel(name: str, draws: int | None, repeat: int) -> dict:
    from simsav.model.engine import run_monte_carlo, threads

    model, values, keys = workloads.workload(name, draws)
    started = time.perf_counter()
    run_monte_carlo(model, values[:1], keys[:1])  # JIT: compile or load the cache
    warm_up = time.perf_counter() - started
    before = _rss_mb()
    times = _best(lambda: run_monte_carlo(model, values, keys), repeat)
    return dict(seconds=min(times), times=times, warm_up_s=warm_up, threads=threads(),
                agents=model.n_agents, months=model.horizon, draws=values.shape[0],
                agent_draws=workloads.agent_draws(model, values), rss_before_run_mb=before)


def without_agent_items(model):
    """Return ``model`` with its monthly and one-off items taken out (annual items stay).

    Every item that is not annual becomes a monthly item that runs in no state (its
    ``item_state_schedule`` row all ``NOT_IN_STATE``), and the per-state item lists the kernel
    walks are rebuilt from the records, so they come out empty: the kernel still samples every
    life, counts occupancy and events, but pays nothing per agent.
    """
    import dataclasses

    import numpy as np

    from simsav.codes import BASIS_ANNUAL, BASIS_MONTHLY, NOT_IN_STATE
    from simsav.model.compile import item_lists

    k = model.kernel
    items = k.items.copy()
    items["basis"] = np.where(items["basis"] == BASIS_ANNUAL, BASIS_ANNUAL, BASIS_MONTHLY)
    state_schedule = np.full_like(k.item_state_schedule, NOT_IN_STATE)
    monthly_items, event_items = item_lists(items, k.item_streams, k.item_worlds, state_schedule)
    return dataclasses.replace(model, kernel=k._replace(items=items, item_state_schedule=state_schedule,
                                                        monthly_items=monthly_items, event_items=event_items))


def lives(name: str, draws: int | None, repeat: int) -> dict:
    """The kernel on the workload with its monthly and one-off items taken out (annual items stay).

    What is left is sampling the lives (event times, common random numbers, occupancy and
    event counts): with ``kernel`` it splits the kernel's time into lives and items.
    """
    from simsav.model.engine import run_monte_carlo, threads

    model, values, keys = workloads.workload(name, draws)
    model = without_agent_items(model)
    run_monte_carlo(model, values[:1], keys[:1])
    times = _best(lambda: run_monte_carlo(model, values, keys), repeat)
    return dict(seconds=min(times), times=times, threads=threads(), agents=model.n_agents,
                draws=values.shape[0], agent_draws=workloads.agent_draws(model, values))


def _local_client(workers: int):
    """Return (Client, LocalCluster, seconds to start them) for ``workers`` worker processes, or
    (None, None, 0.0) for none (the work stays in this process)."""
    if workers <= 0:
        return None, None, 0.0
    import os

    from distributed import Client

    # A worker process starts by importing this module (__main__) with this process's sys.path:
    # benchmarks/ itself must not be on it there, or `benchmarks` is asv's benchmarks/benchmarks/.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != workloads.REPO / "benchmarks"]
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(workloads.REPO), os.environ.get("PYTHONPATH")]))

    from simsav.model.cluster import local_cluster

    started = time.perf_counter()
    cluster = local_cluster(workers)
    client = Client(cluster)
    return client, cluster, time.perf_counter() - started


def simulate(name: str, draws: int | None, workers: int) -> dict:
    """``simsav.simulate`` end to end (sampling, kernel, Dataset); on a LocalCluster when workers > 0.

    The cluster's start and each worker's first compile (or cache load) are timed apart:
    a warm-up run of one draw per worker comes first, as a long-lived cluster would have had.
    """
    import simsav
    from simsav.model.engine import threads

    spec = workloads.SPECS[name]
    cfg = workloads.load_config(spec.config, spec.cohort)
    draws = spec.draws if draws is None else draws
    scheduler, cluster, start_s = _local_client(workers)
    try:
        started = time.perf_counter()
        simsav.simulate(cfg, draws=max(1, workers), seed=workloads.SEED, scheduler=scheduler, progress=False)
        warm_s = time.perf_counter() - started
        started = time.perf_counter()
        simsav.simulate(cfg, draws=draws, seed=workloads.SEED, scheduler=scheduler, progress=False)
        seconds = time.perf_counter() - started
    finally:
        if scheduler is not None:
            scheduler.close()
            cluster.close()
    return dict(seconds=seconds, workers=workers, threads=1 if workers else threads(),
                cluster_start_s=start_s, warm_up_s=warm_s, draws=draws, agents=spec.cohort.get("size"),
                agent_draws=int(spec.cohort.get("size", 0)) * draws)


NATIONAL_CONFIG = workloads.CONFIGS / "national.toml"
NATIONAL_DRAWS = 100_000


def national(draws: int, workers: int) -> dict:
    """``simulate_national(configs/national.toml, draws, out=<tmp>.zarr)`` end to end, in this process or
    on a LocalCluster of ``workers`` processes writing the store themselves; this process's own peak
    memory (``ru_maxrss`` of RUSAGE_SELF: the client's, not the workers') at the end. The cluster's start
    and a warm-up run of one draw per worker (compile or cache load) come first and are timed apart."""
    import shutil
    import tempfile

    from simsav.model.engine import threads
    from simsav.model.national import simulate_national

    client, cluster, start_s = _local_client(workers)
    tmp = tempfile.mkdtemp(prefix="simsav-bench-national-")
    try:
        started = time.perf_counter()
        simulate_national(NATIONAL_CONFIG, max(1, workers), seed=workloads.SEED, scheduler=client,
                          out=Path(tmp) / "warm.zarr", progress=False)
        warm_s = time.perf_counter() - started
        started = time.perf_counter()
        ds = simulate_national(NATIONAL_CONFIG, draws, seed=workloads.SEED, scheduler=client,
                               out=Path(tmp) / "national.zarr", progress=False)
        seconds = time.perf_counter() - started
        mean_net = [float(x) for x in ds["national_net"].mean("draw").values]  # read back lazily, chunk by chunk
        store_mb = sum(f.stat().st_size for f in (Path(tmp) / "national.zarr").rglob("*") if f.is_file()) / 1e6
        regions = int(ds.sizes["region"])
        agents = int(ds["participants"].sum())
    finally:
        if client is not None:
            client.close()
            cluster.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return dict(seconds=seconds, workers=workers, threads=1 if workers else threads(), draws=draws,
                regions=regions, agents=agents, agent_draws=agents * draws, cluster_start_s=start_s,
                warm_up_s=warm_s, client_peak_mb=_rss_mb(), store_mb=store_mb, mean_national_net=mean_net)


def numpy(name: str, draws: int, repeat: int) -> dict:
    import yardsticks

    model, values, keys = workloads.workload(name, draws)
    times = _best(lambda: yardsticks.numpy_monthly(model, values, workloads.SEED), repeat)
    return dict(seconds=min(times), times=times, agents=model.n_agents, months=model.horizon, draws=draws,
                agent_draws=workloads.agent_draws(model, values))


def rng(name: str, draws: int | None, repeat: int) -> dict:
    import yardsticks

    from simsav.model.engine import threads

    model, values, keys = workloads.workload(name, draws)
    started = time.perf_counter()
    n_uniforms, _ = yardsticks.count_variates(model, values, keys)
    replay = time.perf_counter() - started
    per_agent = float(n_uniforms.sum()) / workloads.agent_draws(model, values)
    yardsticks.rng_only(model, keys[:1], per_agent)  # JIT
    before = _rss_mb()
    times = _best(lambda: yardsticks.rng_only(model, keys, per_agent), repeat)
    return dict(seconds=min(times), times=times, threads=threads(), variates=int(n_uniforms.sum()),
                variates_per_agent_draw=per_agent, replay_s=replay, agents=model.n_agents, draws=values.shape[0],
                agent_draws=workloads.agent_draws(model, values), rss_before_run_mb=before)


def sobol() -> dict:
    """Run W4 through the asv class of benchmarks/benchmarks/sensitivity.py: its setup(), then its time_ method."""
    path = workloads.REPO / "benchmarks" / "benchmarks" / "sensitivity.py"
    if not path.exists():
        return dict(missing=f"{path.relative_to(workloads.REPO)} does not exist")
    spec = importlib.util.spec_from_file_location("_bench_sensitivity", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for cls_name, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != module.__name__:
            continue
        timed = [m for m in dir(cls) if m.startswith("time_")]
        if not timed:
            continue
        bench = cls()
        started = time.perf_counter()
        if hasattr(bench, "setup"):
            bench.setup()
        setup_s = time.perf_counter() - started
        times = _best(getattr(bench, timed[0]), 1)
        return dict(seconds=min(times), times=times, setup_s=setup_s, benchmark=f"{cls_name}.{timed[0]}",
                    parameters=getattr(module, "UNCERTAIN_PARAMETERS", None),
                    base_samples=getattr(module, "BASE_SAMPLES", None))
    return dict(missing=f"{path.name} has no class with a time_ method")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.measure")
    ap.add_argument("job", choices=["kernel", "lives", "numpy", "rng", "simulate", "sobol", "national"])
    ap.add_argument("workload", nargs="?", choices=sorted(workloads.SPECS))
    ap.add_argument("--draws", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workers", type=int, default=0)
    a = ap.parse_args(argv)
    if a.job not in ("sobol", "national") and a.workload is None:
        ap.error(f"{a.job} needs a workload: one of {', '.join(sorted(workloads.SPECS))}")
    if a.job == "kernel":
        out = kernel(a.workload, a.draws, a.repeat)
    elif a.job == "lives":
        out = lives(a.workload, a.draws, a.repeat)
    elif a.job == "simulate":
        out = simulate(a.workload, a.draws, a.workers)
    elif a.job == "numpy":
        out = numpy(a.workload, a.draws or workloads.SPECS[a.workload].draws, a.repeat)
    elif a.job == "rng":
        out = rng(a.workload, a.draws, a.repeat)
    elif a.job == "national":
        out = national(a.draws or NATIONAL_DRAWS, a.workers)
    else:
        out = sobol()
    sys.stdout.flush()
    print("\n" + json.dumps(out))


if __name__ == "__main__":
    main()
