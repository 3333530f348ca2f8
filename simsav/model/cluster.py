"""Run chunks of draws on dask.distributed workers.

Every draw's random numbers depend only on (seed, draw index), and parameter rows are
sampled here, before the work is spread, so any split over workers gives the same result as
a local run, bit for bit. The workers need simsav installed; each compiles the kernel once
(or loads it from numba's cache).

A scheduler address is checked before dask is trusted with it (:func:`check_scheduler`):
dask's own connect retries a refused port for its whole timeout, waits without end for a peer
that accepts and never answers, and reads the first bytes of a service that greets (an SSH
banner) as the length of a message. So the address is first reached with a plain socket
(:data:`CONNECT_TIMEOUT_S`), a peer that greets with anything but dask's own handshake is
refused (a dask server sends its handshake the moment it accepts), then dask's handshake and
an ``identity`` request run under one deadline, and the scheduler gets :data:`WORKER_WAIT_S` to have a worker. Each failure is one
``InputError("--scheduler", ...)`` that names the address and the time waited.
"""
from __future__ import annotations

import re
import socket
import sys
import threading
import time
from contextlib import contextmanager

import numpy as np

from ..errors import InputError
from .engine import draw_keys, run_monte_carlo

CONNECT_TIMEOUT_S = 10.0
"""Seconds to reach a scheduler and hear it answer dask's handshake, all together."""

WORKER_WAIT_S = 20.0
"""Seconds a scheduler that answers has to have at least one worker."""

BANNER_WAIT_S = 0.25
"""Seconds to listen, after connecting, for what the peer sends unasked: dask's handshake, or a banner."""

_ADDRESS_FORM = "'local' or a scheduler address tcp://HOST:PORT (e.g. tcp://127.0.0.1:8786)"
_HOST = re.compile(r"[A-Za-z0-9._-]+")
_MAX_HANDSHAKE = 4096  # bytes: dask's handshake is under a hundred
_PEER_TIMEOUT = object()  # the probe's result when the deadline passed


def _run_chunk(model, values, seed, first, stop, agent_stream=0):
    return run_monte_carlo(model, values, draw_keys(seed, np.arange(first, stop), agent_stream))


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


def parse_scheduler_address(address: str) -> tuple[str, str, int]:
    """Return ``(address, host, port)`` of ``tcp://HOST:PORT`` (or ``HOST:PORT``, taken as tcp).

    The returned address is the canonical ``tcp://HOST:PORT`` (IPv6 hosts in brackets,
    ``tcp://[::1]:8786``). Raise InputError("--scheduler") for anything else. No network.
    """
    if not isinstance(address, str):
        raise InputError("--scheduler", f"expected {_ADDRESS_FORM}, got {address!r}")
    if address != address.strip() or not address or address.lower() == "local":
        raise InputError("--scheduler", f"expected {_ADDRESS_FORM}, got {address!r}")
    rest = address
    if "://" in address:
        scheme, rest = address.split("://", 1)
        if scheme.lower() != "tcp":
            raise InputError("--scheduler", f"only tcp://HOST:PORT scheduler addresses are supported, "
                                            f"got {address!r}")
    rest = rest.rstrip("/")
    if rest.startswith("["):
        host, sep, tail = rest[1:].partition("]")
        ok = bool(sep) and bool(host) and re.fullmatch(r"[0-9A-Fa-f:.%A-Za-z]+", host) is not None
        port_text = tail[1:] if tail.startswith(":") else None
        shown_host = f"[{host}]"
    else:
        host, sep, port_text = rest.rpartition(":")
        ok = bool(sep) and _HOST.fullmatch(host or "") is not None
        shown_host = host
        if not sep:
            host, port_text, ok = rest, None, _HOST.fullmatch(rest) is not None
    if not ok:
        raise InputError("--scheduler", f"expected {_ADDRESS_FORM}, got {address!r}")
    if not port_text:
        raise InputError("--scheduler", f"the address {address!r} has no port: give tcp://HOST:PORT "
                                        "(a dask scheduler listens on 8786 unless told otherwise)")
    if not (port_text.isascii() and port_text.isdigit()) or not 1 <= int(port_text) <= 65535:
        raise InputError("--scheduler", f"the port must be a whole number from 1 to 65535, got {port_text!r} "
                                        f"in {address!r}")
    port = int(port_text)
    return f"tcp://{shown_host}:{port}", host, port


def check_scheduler(scheduler, *, base_case: bool = False, reach: bool = True):
    """Check a ``--scheduler`` value before any work; return it (an address in canonical form).

    ``None`` (no dask) passes. With ``base_case`` any scheduler is refused (the base case runs
    no draws). ``"local"`` and a dask Client pass as they are. An address must be
    ``tcp://HOST:PORT``; with ``reach`` it must also be a dask scheduler that answers within
    :data:`CONNECT_TIMEOUT_S` and has a worker within :data:`WORKER_WAIT_S` (see
    :func:`probe_scheduler`). Raise InputError("--scheduler", ...) otherwise.
    """
    if scheduler is None:
        return None
    if base_case:
        raise InputError("--scheduler", "does not apply to --base-case (it runs no draws)")
    if isinstance(scheduler, str) and scheduler == "local":
        return scheduler
    if not isinstance(scheduler, str):
        if type(scheduler).__name__ == "Client" and type(scheduler).__module__.startswith("distributed"):
            return scheduler
        raise InputError("--scheduler", f"expected {_ADDRESS_FORM} or a dask Client, got {scheduler!r}")
    address = parse_scheduler_address(scheduler)[0]
    if reach:
        probe_scheduler(address)
    return address


def probe_scheduler(address: str) -> dict:
    """Make sure a dask scheduler with a worker answers at ``address``; return its identity.

    Within :data:`CONNECT_TIMEOUT_S` in all: a plain TCP connection (refused, unresolvable,
    or unanswered each say so), nothing but dask's handshake sent unasked within
    :data:`BANNER_WAIT_S` (a service that greets otherwise, an SSH server, is not dask), then
    dask's handshake and an ``identity`` request, which must come back from a ``Scheduler``.
    Then up to :data:`WORKER_WAIT_S` for it to have a worker. The probe runs in a thread with its own
    event loop (so it works where a loop already runs, as in a notebook) and is abandoned if
    even that outlives its deadline (a name lookup that hangs). Raise InputError otherwise.
    """
    address, host, port = parse_scheduler_address(address)
    outcome: dict = {}
    worker = threading.Thread(target=_probe_in_thread, args=(address, host, port, outcome),
                              name="simsav-scheduler-probe", daemon=True)
    worker.start()
    worker.join(CONNECT_TIMEOUT_S + WORKER_WAIT_S + 2.0)
    if "error" in outcome:
        raise InputError("--scheduler", outcome["error"])
    if "identity" not in outcome:  # still running past every deadline: leave it, it is a daemon
        raise InputError("--scheduler", f"no dask scheduler answered at {address} within {CONNECT_TIMEOUT_S:g} s")
    return outcome["identity"]


def _probe_in_thread(address, host, port, outcome):
    try:
        outcome["identity"] = _probe(address, host, port)
    except InputError as e:
        outcome["error"] = e.problems[0][1]
    except BaseException as e:  # noqa: BLE001 - a failure of the probe itself, reported plainly
        outcome["error"] = f"could not check the dask scheduler at {address}: {type(e).__name__}: {e}"


def _probe(address, host, port):
    started = time.monotonic()
    late = f"no dask scheduler answered at {address} within {CONNECT_TIMEOUT_S:g} s"

    def left():
        return CONNECT_TIMEOUT_S - (time.monotonic() - started)

    try:
        sock = socket.create_connection((host, port), timeout=max(left(), 0.01))
    except socket.gaierror as e:
        raise InputError("--scheduler", f"cannot find the host {host!r} of {address} ({e.strerror or e})") from None
    except ConnectionRefusedError:
        raise InputError("--scheduler", f"no dask scheduler at {address}: the connection was refused (nothing "
                                        "listens on that port; start one with `dask scheduler`, or give "
                                        "--scheduler local)") from None
    except TimeoutError:  # socket.timeout too
        raise InputError("--scheduler", late + " (the connection was not accepted)") from None
    except OSError as e:
        raise InputError("--scheduler", f"cannot reach {address}: {e.strerror or e}") from None
    try:
        greeting = _greeting(sock, address, left)
    finally:
        sock.close()
    if greeting == b"":
        raise InputError("--scheduler", f"{address} is not a dask scheduler: it closed the connection at once")
    if greeting is not None and not _is_dask_handshake(greeting):
        shown = greeting.split(b"\n")[0].strip()[:40].decode("latin-1")
        raise InputError("--scheduler", f"{address} is not a dask scheduler: the service there greets with "
                                        f"{shown!r}, not with dask's handshake")
    import asyncio

    result = asyncio.run(_dask_identity(address, left))
    if result is _PEER_TIMEOUT:
        raise InputError("--scheduler", late + " (something accepted the connection but did not answer "
                                               "dask's handshake)")
    if isinstance(result, OSError):  # dask's CommClosedError among them
        raise InputError("--scheduler", f"{address} is not a dask scheduler: it closed the connection without "
                                        "answering dask's handshake") from None
    if isinstance(result, BaseException):  # its bytes read as dask's frames: absurd sizes, bad msgpack
        raise InputError("--scheduler", f"{address} is not a dask scheduler: its answer is not dask's "
                                        "protocol") from None
    kind = result.get("type") if isinstance(result, dict) else None
    if kind != "Scheduler":
        what = f"a dask {kind}" if isinstance(kind, str) else "something that speaks dask's protocol"
        raise InputError("--scheduler", f"{address} is {what}, not a dask scheduler; give the scheduler's "
                                        "address (`dask scheduler` prints it)")
    if not _count_workers(result):
        result = asyncio.run(_wait_for_a_worker(address))
        if isinstance(result, BaseException) or result is _PEER_TIMEOUT or not _count_workers(result):
            raise InputError("--scheduler", no_workers_message(address))
    return result


def _greeting(sock, address, left):
    """What the peer sends unasked within :data:`BANNER_WAIT_S`: None (nothing), b"" (it closed), or bytes.

    A dask server sends its handshake as soon as it accepts (one length-prefixed message of
    a few dozen bytes); when the first eight bytes give such a length, the whole message is read.
    """
    sock.settimeout(max(min(BANNER_WAIT_S, left()), 0.01))
    try:
        data = sock.recv(64)
    except TimeoutError:  # socket.timeout too
        return None
    except OSError as e:
        raise InputError("--scheduler", f"{address} is not a dask scheduler: the connection failed at once "
                                        f"({e.strerror or e})") from None
    try:
        while data and len(data) < 8:  # the length of dask's message may come in pieces
            sock.settimeout(max(min(BANNER_WAIT_S, left()), 0.01))
            more = sock.recv(8 - len(data))
            if not more:
                break
            data += more
        size = int.from_bytes(data[:8], "little") if len(data) >= 8 else _MAX_HANDSHAKE + 1
        while size <= _MAX_HANDSHAKE and len(data) < 8 + size:
            sock.settimeout(max(left(), 0.01))
            more = sock.recv(8 + size - len(data))
            if not more:
                break
            data += more
    except OSError:  # a timeout too: judged on what came
        pass
    return data


def _is_dask_handshake(data: bytes) -> bool:
    """Whether ``data`` is dask's opening message: a length, then frames holding its handshake keys."""
    if len(data) < 8:
        return False
    size = int.from_bytes(data[:8], "little")
    return (16 <= size <= _MAX_HANDSHAKE and len(data) >= 8 + size
            and all(key in data for key in (b"compression", b"python", b"pickle-protocol")))


def no_workers_message(address) -> str:
    return (f"the dask scheduler at {address} has no workers (none joined within {WORKER_WAIT_S:g} s); "
            f"start some with `dask worker {address}`")


def _count_workers(identity) -> int:
    n = identity.get("n_workers") if isinstance(identity, dict) else None
    if not isinstance(n, int):
        n = len(identity.get("workers") or ()) if isinstance(identity, dict) else 0
    return n


async def _dask_identity(address, left):
    """dask's handshake and one ``identity`` request, under what is left of the deadline."""
    import asyncio

    from distributed.comm import connect

    async def ask():
        # deserialize=False: nothing a stranger sends is unpickled.
        comm = await connect(address, timeout=max(left(), 0.01), deserialize=False)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    try:
        return await asyncio.wait_for(ask(), timeout=max(left(), 0.01))
    except TimeoutError:  # asyncio's too
        return _PEER_TIMEOUT
    except Exception as e:  # noqa: BLE001 - garbage read as dask frames: MemoryError, closed comm...
        return e


async def _wait_for_a_worker(address):
    """Ask the scheduler's ``identity`` until it has a worker or :data:`WORKER_WAIT_S` pass."""
    import asyncio

    from distributed.comm import connect

    async def poll():
        comm = await connect(address, timeout=CONNECT_TIMEOUT_S, deserialize=False)
        try:
            while True:
                await comm.write({"op": "identity", "reply": True})
                identity = await comm.read()
                if _count_workers(identity):
                    return identity
                await asyncio.sleep(0.25)
        finally:
            comm.abort()

    try:
        return await asyncio.wait_for(poll(), timeout=WORKER_WAIT_S)
    except TimeoutError:  # asyncio's too
        return _PEER_TIMEOUT
    except Exception as e:  # noqa: BLE001 - the scheduler went away or answered garbage
        return e


def client_for(scheduler):
    """Return (dask Client, owned) for ``scheduler``: "local", an address, or a Client.

    An address is probed first (:func:`probe_scheduler`); a Client given must have a worker
    within :data:`WORKER_WAIT_S`. Bad input raises InputError("--scheduler", ...).
    """
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dask is a dependency
        raise InputError("--scheduler", "dask.distributed is not installed: pip install 'dask[distributed]'") from None
    if isinstance(scheduler, Client):
        _wait_for_workers(scheduler, scheduler.scheduler.address if scheduler.scheduler else "the client's scheduler")
        return scheduler, False
    if isinstance(scheduler, str) and scheduler == "local":
        return Client(local_cluster()), True
    if not isinstance(scheduler, str):
        raise InputError("--scheduler", f"expected {_ADDRESS_FORM} or a dask Client, got {scheduler!r}")
    address = parse_scheduler_address(scheduler)[0]
    probe_scheduler(address)
    try:
        client = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError) as e:
        raise InputError("--scheduler", f"no dask scheduler answered at {address} within {CONNECT_TIMEOUT_S:g} s "
                                        f"({type(e).__name__}: {e})") from None
    try:
        _wait_for_workers(client, address)
    except BaseException:
        client.close()
        raise
    return client, True


def _wait_for_workers(client, address):
    """Raise InputError when ``client``'s scheduler has no worker within :data:`WORKER_WAIT_S`."""
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except (TimeoutError, OSError):
        raise InputError("--scheduler", no_workers_message(address)) from None


@contextmanager
def dask_client(scheduler):
    """A dask Client for ``scheduler`` ("local", an address, or a Client; see :func:`client_for`),
    closed at the end with the LocalCluster it started, when it started one (a Client given is
    left open)."""
    client, owned = client_for(scheduler)
    try:
        yield client
    finally:
        if owned:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()


def run_chunks_on_dask(model, values, seed, chunks, scheduler, progress=None, agent_stream=0):
    """Return the kernel ``Output`` of every chunk (in order), computed on dask workers."""
    from tqdm.auto import tqdm

    with dask_client(scheduler) as client:
        model_f = client.scatter(model, broadcast=True)
        client.run(_warm, model)  # compile once per worker before timing-sensitive work
        futures = [
            client.submit(_run_chunk, model_f, values[c], seed, c.start, c.stop, agent_stream, pure=False)
            for c in chunks
        ]
        bar = tqdm(total=values.shape[0], unit="draw", desc="simulating on dask", delay=1.0, file=sys.stderr,
                   disable=(None if progress is None else not progress), leave=False)
        from distributed import as_completed

        for fut in as_completed(futures):
            bar.update(fut.result().flow.shape[0])
        bar.close()
        return client.gather(futures)
