"""The dask.distributed path on a real LocalCluster gives the local result, bit for bit, and a
``--scheduler`` that is no working dask scheduler is bad input, said in one line within a stated time."""
from __future__ import annotations

import http.server
import socket
import threading

import numpy as np
import pytest

import simsav
from factories import load, uncertain_case
from simsav.errors import InputError
from simsav.model import cluster

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
    with pytest.raises(InputError, match="no dask scheduler at tcp://127.0.0.1:1: the connection was refused"):
        simsav.simulate(load(uncertain_case()), draws=4, seed=1, scheduler="tcp://127.0.0.1:1")


# --- --scheduler pointing at something that is not a working dask scheduler --------------------------
#
# Each fake peer listens on 127.0.0.1 in a thread. Every case must end in one
# InputError("--scheduler", ...) naming the address and, where it waited, the time it waited; the
# calls run in a thread joined with the stated timeout plus a wide margin, so that a hang fails the
# test instead of stalling it (the margin is no speed claim).

MARGIN_S = 60.0


class _Listener:
    """A TCP server on 127.0.0.1 that accepts and then, per connection: sends ``banner`` (if any);
    answers the first bytes it gets with ``reply`` (if any); hangs up at once (``hang_up``); or
    else never speaks."""

    def __init__(self, banner: bytes | None = None, reply: bytes | None = None, hang_up: bool = False):
        self.banner, self.reply, self.hang_up = banner, reply, hang_up
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self.hang_up:
                conn.close()
                continue
            self.accepted.append(conn)
            if self.banner:
                conn.sendall(self.banner)
            if self.reply:
                threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        try:
            if conn.recv(1024):
                conn.sendall(self.reply)
        except OSError:
            pass

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


class _QuietHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(params=["silent", "banner", "short-banner", "http", "closed", "replies", "hangs-up"])
def not_a_scheduler(request):
    """(kind, address) of a peer that is no dask scheduler."""
    kind = request.param
    if kind == "http":
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _QuietHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield kind, f"tcp://127.0.0.1:{server.server_address[1]}"
        server.shutdown()
        server.server_close()
    elif kind == "closed":
        s = socket.create_server(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        yield kind, f"tcp://127.0.0.1:{port}"
    else:
        banner = {"banner": b"SSH-2.0-OpenSSH_9.6\r\n", "short-banner": b"OK\r\n"}.get(kind)
        server = _Listener(banner=banner,
                           reply=b"HTTP/1.1 400 Bad Request\r\n\r\n" if kind == "replies" else None,
                           hang_up=kind == "hangs-up")
        yield kind, f"tcp://127.0.0.1:{server.port}"
        server.close()


@pytest.fixture(scope="module")
def empty_cluster():
    """A real dask scheduler (tcp) with no workers."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Port .* is already in use")  # the other cluster's dashboard port
        lc = distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp", dashboard_address=None)
    yield lc
    lc.close()


def _returns(fn, within: float):
    """Run ``fn()`` in a thread; fail if it has not returned within ``within`` s; return or raise its outcome."""
    outcome = {}

    def target():
        try:
            outcome["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            outcome["error"] = e

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(within)
    assert not t.is_alive(), f"still waiting after {within:g} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _expected_words(kind: str, address: str) -> list[str]:
    return {
        "silent": [f"no dask scheduler answered at {address} within {cluster.CONNECT_TIMEOUT_S:g} s"],
        "http": [f"no dask scheduler answered at {address} within {cluster.CONNECT_TIMEOUT_S:g} s"],
        "banner": [f"{address} is not a dask scheduler", "'SSH-2.0-OpenSSH_9.6'"],
        "short-banner": [f"{address} is not a dask scheduler", "greets with 'OK'"],
        "closed": [f"no dask scheduler at {address}", "refused"],
        "replies": [f"{address} is not a dask scheduler: its answer is not dask's protocol"],
        "hangs-up": [f"{address} is not a dask scheduler", "closed the connection"],
        "empty": [f"the dask scheduler at {address} has no workers",
                  f"within {cluster.WORKER_WAIT_S:g} s"],
    }[kind]


def test_the_timeouts_are_stated_constants():
    assert cluster.CONNECT_TIMEOUT_S == 10
    assert cluster.WORKER_WAIT_S == 20


def test_simulate_refuses_a_peer_that_is_no_scheduler(not_a_scheduler):
    kind, address = not_a_scheduler  # the real timeouts, as a user gets them
    cfg = load(uncertain_case())
    with pytest.raises(InputError) as info:
        _returns(lambda: simsav.simulate(cfg, draws=4, seed=1, scheduler=address),
                 cluster.CONNECT_TIMEOUT_S + MARGIN_S)
    assert info.value.source == "--scheduler"
    assert len(str(info.value).splitlines()) == 1
    for words in _expected_words(kind, address):
        assert words in str(info.value)
    assert "EiB" not in str(info.value) and "Traceback" not in str(info.value)


def test_check_scheduler_refuses_a_peer_that_is_no_scheduler(not_a_scheduler, monkeypatch):
    kind, address = not_a_scheduler
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 2.0)
    with pytest.raises(InputError, match="^--scheduler: ") as info:
        _returns(lambda: cluster.check_scheduler(address), cluster.CONNECT_TIMEOUT_S + MARGIN_S)
    for words in _expected_words(kind, address):
        assert words in str(info.value)


def test_a_scheduler_without_workers_is_bad_input_after_the_wait(empty_cluster, monkeypatch):
    monkeypatch.setattr(cluster, "WORKER_WAIT_S", 2.0)
    address = empty_cluster.scheduler_address
    for call in (lambda: cluster.check_scheduler(address),
                 lambda: simsav.simulate(load(uncertain_case()), draws=4, seed=1, scheduler=address)):
        with pytest.raises(InputError) as info:
            _returns(call, cluster.CONNECT_TIMEOUT_S + cluster.WORKER_WAIT_S + MARGIN_S)
        assert str(info.value) == f"--scheduler: {cluster.no_workers_message(address)}"
        for words in _expected_words("empty", address):
            assert words in str(info.value)
    client = distributed.Client(empty_cluster)  # a Client given to the API: the same wait, the same message
    try:
        with pytest.raises(InputError, match="has no workers"):
            _returns(lambda: simsav.simulate(load(uncertain_case()), draws=4, seed=1, scheduler=client),
                     cluster.WORKER_WAIT_S + MARGIN_S)
    finally:
        client.close()


def test_a_worker_address_is_not_a_scheduler_address(client):
    worker = next(iter(client.scheduler_info()["workers"]))
    with pytest.raises(InputError, match="is a dask Worker, not a dask scheduler"):
        _returns(lambda: cluster.check_scheduler(worker), cluster.CONNECT_TIMEOUT_S + MARGIN_S)


def test_a_scheduler_address_with_workers_passes_and_gives_the_local_result(client):
    address = client.scheduler.address
    assert cluster.check_scheduler(address) == address
    assert cluster.check_scheduler(address.removeprefix("tcp://")) == address  # HOST:PORT is taken as tcp
    ident = cluster.probe_scheduler(address)
    assert ident["type"] == "Scheduler" and ident["n_workers"] == 2
    cfg = load(uncertain_case())
    local = simsav.simulate(cfg, draws=12, seed=3)
    remote = simsav.simulate(cfg, draws=12, seed=3, scheduler=address, chunk_size=5)
    np.testing.assert_array_equal(local.item_flow.values, remote.item_flow.values)
    np.testing.assert_array_equal(local.net.values, remote.net.values)


@pytest.mark.parametrize("address, words", [
    ("", "expected 'local' or a scheduler address tcp://HOST:PORT"),
    ("tcp://127.0.0.1", "has no port"),
    ("tcp://127.0.0.1:0", "the port must be a whole number from 1 to 65535, got '0'"),
    ("tcp://127.0.0.1:65536", "from 1 to 65535, got '65536'"),
    ("tcp://127.0.0.1:87x6", "got '87x6'"),
    ("tcp://:8786", "expected 'local' or a scheduler address"),
    ("tcp://my host:8786", "expected 'local' or a scheduler address"),
    ("tls://127.0.0.1:8786", "only tcp://HOST:PORT scheduler addresses are supported"),
    ("http://127.0.0.1:8787/status", "only tcp://HOST:PORT"),
    ("Local", "expected 'local' or a scheduler address"),
    (" local", "expected 'local' or a scheduler address"),
])
def test_a_malformed_address_is_bad_input_without_touching_the_network(address, words, monkeypatch):
    monkeypatch.setattr(cluster, "probe_scheduler", lambda a: pytest.fail("probed a malformed address"))
    with pytest.raises(InputError, match="^--scheduler: ") as info:
        cluster.check_scheduler(address)
    assert words in str(info.value)


def test_check_scheduler_passes_what_needs_no_check_and_refuses_the_base_case(client):
    assert cluster.check_scheduler(None) is None
    assert cluster.check_scheduler(None, base_case=True) is None
    assert cluster.check_scheduler("local") == "local"
    assert cluster.check_scheduler(client) is client
    assert cluster.check_scheduler("tcp://127.0.0.1:1", reach=False) == "tcp://127.0.0.1:1"
    for scheduler in ("local", "tcp://127.0.0.1:1", "nonsense", client):
        with pytest.raises(InputError) as info:
            cluster.check_scheduler(scheduler, base_case=True)
        assert str(info.value) == "--scheduler: does not apply to --base-case (it runs no draws)"
    with pytest.raises(InputError, match="or a dask Client, got 8786"):
        cluster.check_scheduler(8786)


# --- the same through the command line: exit 2, one line, no traceback, nothing written --------------

def _invoke(args):
    from click.testing import CliRunner

    from simsav.cli import main

    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1; 8.2+ always keeps them apart
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args])


def _assert_one_clean_error(result, out, *words):
    from simsav.cli.common import COMPILE_NOTE

    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip() and line != COMPILE_NOTE]
    assert len(lines) == 1 and lines[0].startswith("error: --scheduler: "), result.stderr
    for w in words:
        assert w in lines[0]
    assert "Traceback" not in result.output + result.stderr
    assert not out.exists()


def test_cli_refuses_a_peer_that_is_no_scheduler(not_a_scheduler, small_config, tmp_path, monkeypatch):
    kind, address = not_a_scheduler
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 3.0)
    out = tmp_path / "r.nc"
    result = _returns(lambda: _invoke(["run", small_config, "--scheduler", address, "--draws", "4", "--out", out]),
                      cluster.CONNECT_TIMEOUT_S + MARGIN_S)
    _assert_one_clean_error(result, out, *_expected_words(kind, address))


def test_cli_refuses_a_scheduler_without_workers(empty_cluster, small_config, tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "WORKER_WAIT_S", 2.0)
    address = empty_cluster.scheduler_address
    out = tmp_path / "r.nc"
    result = _returns(lambda: _invoke(["run", small_config, "--scheduler", address, "--draws", "4", "--out", out]),
                      cluster.CONNECT_TIMEOUT_S + cluster.WORKER_WAIT_S + MARGIN_S)
    _assert_one_clean_error(result, out, *_expected_words("empty", address))


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:99999", "tcp://127.0.0.1", "ssh://127.0.0.1:22"])
def test_cli_refuses_a_malformed_address(address, small_config, tmp_path):
    out = tmp_path / "r.nc"
    result = _returns(lambda: _invoke(["run", small_config, "--scheduler", address, "--draws", "4", "--out", out]),
                      MARGIN_S)
    _assert_one_clean_error(result, out, repr(address))


def test_cli_refuses_a_scheduler_with_the_base_case(small_config, tmp_path):
    out = tmp_path / "r.nc"
    result = _invoke(["run", small_config, "--base-case", "--scheduler", "tcp://127.0.0.1:1", "--out", out])
    _assert_one_clean_error(result, out, "--scheduler does not apply to --base-case (it runs no draws)"
                            .removeprefix("--scheduler "))
