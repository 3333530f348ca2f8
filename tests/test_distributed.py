"""The dask.distributed path on a real LocalCluster gives the local result, bit for bit."""
from __future__ import annotations

import numpy as np
import pytest

import simsav
from factories import load, uncertain_case

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.mark.parametrize("chunk_size", [5, 13])
def test_dask_run_is_bit_identical_to_the_local_run(client, chunk_size):
    cfg = load(uncertain_case())
    local = simsav.simulate(cfg, draws=40, seed=8)
    remote = simsav.simulate(cfg, draws=40, seed=8, scheduler=client, chunk_size=chunk_size)
    assert len(client.scheduler_info()["workers"]) == 2
    for var in ("item_flow", "occupancy", "placements", "successes", "parameter_values", "net", "break_even_month"):
        np.testing.assert_array_equal(local[var].values, remote[var].values)


def test_unreachable_scheduler_is_bad_input():
    from simsav.errors import InputError

    with pytest.raises(InputError, match="cannot reach a dask scheduler"):
        simsav.simulate(load(uncertain_case()), draws=4, seed=1, scheduler="tcp://127.0.0.1:1")
