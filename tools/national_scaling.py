"""How the national roll-up scales with dask workers on this machine (docs/scaling.md).

Runs configs/national.toml's 35 regions for ``--draws`` draws into a zarr store three ways: in
this process (numba threads), on a LocalCluster of 1 worker and of 2 workers (one thread each),
each after a warm-up run, and prints the wall times. Usage, from the repository root::

    python tools/national_scaling.py [--draws 4000] [--chunk 250]

This is a development script, not part of the installed package.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    from distributed import Client

    from simsav.config import load_national
    from simsav.model.cluster import local_cluster
    from simsav.model.national import simulate_national

    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--draws", type=int, default=4000)
    args.add_argument("--chunk", type=int, default=250)
    a = args.parse_args()
    nat = load_national(REPO / "configs" / "national.toml")
    agents = sum(r.config.cohort.size for r in nat.regions)
    simulate_national(nat, draws=20, seed=0)  # compile, or load from numba's cache
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (0, 1, 2):
            out = Path(tmp) / f"national-{workers}.zarr"
            if workers == 0:
                started = time.perf_counter()
                simulate_national(nat, draws=a.draws, seed=1, out=out, chunk_size=a.chunk)
            else:
                cluster = local_cluster(workers)
                client = Client(cluster)
                try:
                    simulate_national(nat, draws=20, seed=0, scheduler=client)  # the workers' warm-up
                    started = time.perf_counter()
                    simulate_national(nat, draws=a.draws, seed=1, out=out, chunk_size=a.chunk, scheduler=client)
                finally:
                    client.close()
                    cluster.close()
            wall = time.perf_counter() - started
            where = "this process" if workers == 0 else f"LocalCluster, {workers} worker(s)"
            print(f"{where:28s} {wall:7.1f} s  {a.draws * agents / wall / 1e6:5.2f} million agent-draws/s  "
                  f"load {os.getloadavg()[0]:.2f}", flush=True)
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
