"""The dask.distributed path on a real LocalCluster gives the local result, bit for bit."""
from __future__ import annotations

import numpy as np
import pytest

import simsav
from factories import load, uncertain_case

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    from simsav.model.cluster import local_cluster

    cluster = local_cluster(2)  # what `--scheduler local` starts, with two workers on any machine
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
    assert set(client.run(lambda: __import__("numba").get_num_threads()).values()) == {1}
    for var in ("item_flow", "occupancy", "placements", "successes", "parameter_values", "net", "break_even_month"):
        np.testing.assert_array_equal(local[var].values, remote[var].values)


def test_local_chunks_keep_every_thread_busy_and_never_change_results():
    import numba

    from simsav.model.engine import default_chunk_size

    threads = numba.get_num_threads()
    assert default_chunk_size(200_000, 100, local=False) == 5  # a million agent-lives
    assert default_chunk_size(200_000, 100, local=True) == min(100, -(-5 // threads) * threads)
    assert default_chunk_size(200_000, 3, local=True) == 3
    cfg = load(uncertain_case())
    a = simsav.simulate(cfg, draws=9, seed=2)
    b = simsav.simulate(cfg, draws=9, seed=2, chunk_size=4)
    np.testing.assert_array_equal(a.item_flow.values, b.item_flow.values)


def test_unreachable_scheduler_is_bad_input():
    from simsav.errors import InputError

    with pytest.raises(InputError, match="cannot reach a dask scheduler"):
        simsav.simulate(load(uncertain_case()), draws=4, seed=1, scheduler="tcp://127.0.0.1:1")
