"""Faults while writing: a full disk and SIGTERM end cleanly.

A full disk (a small tmpfs where this machine lets a test mount one, and everywhere an
injected ``OSError(ENOSPC)``) ends a command with one message naming the file and "no space
left on device", exit status 2, no traceback, no temporary file and the old file as it was;
no empty figures directory is left behind. SIGTERM mid-run removes the temporary file and
leaves the old results as they were.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import simsav
from simsav.cli import main as cli_main
from simsav.cli.common import EXIT_BAD_INPUT, EXIT_TERMINATED, Terminated, handle_sigterm, write_main_figures_to
from simsav.errors import OutputError
from simsav.files import write_atomically

REPO = Path(__file__).resolve().parents[1]
OLD = b"old contents"
NO_SPACE = "no space left on device"


def invoke(*args):
    """Run ``simsav ARGS`` in-process; an uncaught exception (a would-be traceback) fails the test."""
    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1; 8.2+ always keeps them apart
    except TypeError:
        runner = CliRunner()
    r = runner.invoke(cli_main, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), (
        f"simsav {' '.join(map(str, args))} raised {r.exception!r} (a traceback for the user)")
    return r


def assert_no_space(returncode: int, stderr: str, target: Path):
    """One line naming ``target`` and the full disk, exit 2, no traceback; the old file as it was."""
    assert returncode == EXIT_BAD_INPUT, stderr
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith(("note:", "warning:"))]
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: {target}: cannot be written: {NO_SPACE}"), lines[0]
    assert target.read_bytes() == OLD
    assert not [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")]


# --------------------------------------------------------------------------- a real full disk

def _fill(directory: Path) -> None:
    """Fill the filesystem of ``directory`` until not one more byte fits."""
    with open(directory / "filler", "wb", buffering=0) as f:
        for size in (65536, 4096, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError as e:
                assert e.errno == errno.ENOSPC, e


@pytest.fixture
def full_disk(tmp_path):
    """Return a directory on a full 200 kB tmpfs holding old ``results.nc``, ``report.html`` and
    ``share.png``; skip where this machine does not let a test mount one (not root, a container)."""
    mount = shutil.which("mount")
    if mount is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    directory = tmp_path / "full"
    directory.mkdir()
    r = subprocess.run([mount, "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(directory)], capture_output=True,
                       text=True, timeout=30)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        for name in ("results.nc", "report.html", "share.png"):
            (directory / name).write_bytes(OLD)
        _fill(directory)
        yield directory
    finally:
        subprocess.run([shutil.which("umount") or "umount", "-l", str(directory)], capture_output=True, timeout=30)


def test_a_full_tmpfs_is_an_output_error_and_keeps_the_old_file(full_disk):
    target = full_disk / "results.nc"
    with pytest.raises(OutputError, match=NO_SPACE):
        write_atomically(target, lambda tmp: Path(tmp).write_bytes(b"x" * 1_000_000))
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler", "report.html", "results.nc", "share.png"]


def test_run_on_a_full_tmpfs_fails_cleanly(full_disk, small_config, run_simsav):
    # the real process: HDF5 meets the full disk (it raises RuntimeError when closing the file)
    target = full_disk / "results.nc"
    r = run_simsav("run", small_config, "--base-case", "--out", target)
    assert_no_space(r.returncode, r.stderr, target)


def test_report_and_share_on_a_full_tmpfs_fail_cleanly(full_disk, small_config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = full_disk / "report.html"
    r = invoke("report", small_config, "--draws", "20", "--out", target)
    assert_no_space(r.exit_code, r.stderr, target)
    target = full_disk / "share.png"
    r = invoke("share", small_config, "--draws", "20", "--plot", target)
    assert_no_space(r.exit_code, r.stderr, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "small.toml"]


def test_figures_on_a_full_tmpfs_leave_no_empty_directory(full_disk, small_config, capsys):
    ds = simsav.base_case(simsav.load_config(small_config))
    with pytest.raises(SystemExit) as caught:
        write_main_figures_to(ds, full_disk / "figs")
    assert caught.value.code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert re.fullmatch(rf"error: {full_disk}/figs/\w+\.png: cannot be written: {NO_SPACE}.*\n", err), err
    assert not (full_disk / "figs").exists()


def test_run_plots_on_a_full_tmpfs_leaves_no_empty_directory(full_disk, small_config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("run", small_config, "--base-case", "--out", tmp_path / "x.nc", "--plots", full_disk / "figs")
    assert r.exit_code == EXIT_BAD_INPUT, r.stderr
    assert NO_SPACE in r.stderr and "Traceback" not in r.stderr
    assert not (full_disk / "figs").exists()


# --------------------------------------------------------------------------- an injected full disk

@pytest.fixture
def disk_full_on_flush(monkeypatch):
    """Make every flush of a written file fail as on a full disk (where the data meets the disk)."""
    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)


@pytest.mark.parametrize("args, name", [
    (["run", "{config}", "--base-case", "--out", "{target}"], "results.nc"),
    (["run", "{config}", "--draws", "20", "--out", "{target}"], "results.nc"),
    (["report", "{config}", "--draws", "20", "--out", "{target}"], "report.html"),
    (["share", "{config}", "--draws", "20", "--plot", "{target}"], "share.png"),
    (["sensitivity", "{config}", "--plot", "{target}"], "tornado.svg"),
], ids=["run-base-case", "run", "report", "share", "sensitivity"])
def test_a_full_disk_fails_cleanly(args, name, small_config, tmp_path, monkeypatch, disk_full_on_flush):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / name
    target.write_bytes(OLD)
    r = invoke(*[a.format(config=small_config.name, target=target) for a in args])
    assert_no_space(r.exit_code, r.stderr, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "small.toml"])


def test_figures_on_a_full_disk_leave_no_empty_directory(small_config, tmp_path, capsys, disk_full_on_flush):
    ds = simsav.base_case(simsav.load_config(small_config))
    with pytest.raises(SystemExit) as caught:
        write_main_figures_to(ds, tmp_path / "figs")
    assert caught.value.code == EXIT_BAD_INPUT
    assert NO_SPACE in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.toml"]


def test_run_plots_on_a_full_disk_leaves_no_empty_directory(small_config, tmp_path, monkeypatch):
    # the results are written, then the disk is full for the figures
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc/self/fd to tell a figure's file from the results'")
    real_fsync = os.fsync

    def full_for_figures(fd):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp") and ".png." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_for_figures)
    monkeypatch.chdir(tmp_path)
    r = invoke("run", small_config.name, "--base-case", "--out", "x.nc", "--plots", "figs")
    assert (tmp_path / "x.nc").exists(), r.stderr
    assert r.exit_code == EXIT_BAD_INPUT, r.stderr
    assert NO_SPACE in r.stderr
    assert not (tmp_path / "figs").exists()


# --------------------------------------------------------------------------- SIGTERM

def test_sigterm_is_raised_as_terminated_so_cleanup_runs_and_the_handler_is_put_back():
    runner_s = signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a process like `simsav`'s
    try:
        _sigterm_is_raised_as_terminated()
    finally:
        signal.signal(signal.SIGTERM, runner_s)


def _sigterm_is_raised_as_terminated():
    hook = sys.unraisablehook
    cleaned = []
    with click.Context(click.Command("x")):
        handle_sigterm()
        with pytest.raises(Terminated) as caught:
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)  # the handler runs at once, in this thread
            finally:
                cleaned.append(True)
        assert caught.value.code == EXIT_TERMINATED == 143
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # a second SIGTERM ends the process
        handle_sigterm()
    assert cleaned == [True]
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # put back when the command ended
    assert sys.unraisablehook is hook


def _temporary_files(directory: Path, name: str) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(".tmp")]


@pytest.mark.slow
@pytest.mark.parametrize("wait", [0.0, 1.5], ids=["as-the-file-is-begun", "mid-run"])
def test_sigterm_mid_write_leaves_no_temporary_file_and_the_old_results(wait, simsav_cmd, tmp_path):
    # `run` writes its results as it simulates (a temporary file beside X), so the signal comes
    # while the temporary file is there: as soon as it appears, and a while later
    target = tmp_path / "X.nc"
    target.write_bytes(OLD)
    config = REPO / "configs" / "holland-rijnland.toml"
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    proc = subprocess.Popen([*simsav_cmd, "run", str(config), "--draws", "20000", "--out", str(target),
                             "--no-progress"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240  # a first run compiles the kernels
        while not _temporary_files(tmp_path, "X.nc"):
            assert proc.poll() is None, f"the run ended before writing began:\n{proc.communicate()}"
            assert time.monotonic() < deadline, "no temporary file appeared"
            time.sleep(0.005)
        time.sleep(wait)
        assert proc.poll() is None, "the run ended before the signal"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == EXIT_TERMINATED, (proc.returncode, err)
    assert "Traceback" not in err, err
    assert _temporary_files(tmp_path, "X.nc") == []
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["X.nc"]


def test_sigterm_swallowed_in_a_callback_still_ends_the_run_and_removes_the_temporary_file(tmp_path):
    # a signal's exception can land in a weakref callback or a __del__, where Python only prints
    # it ("Exception ignored in ...") and goes on: the run must end all the same, cleaned up
    target = tmp_path / "X.nc"
    target.write_bytes(OLD)
    code = f"""
import os, signal, sys, weakref
from pathlib import Path
import click
from simsav.cli.common import handle_sigterm
from simsav.files import write_atomically

class Thing:
    pass

def write(tmp):
    Path(tmp).write_bytes(b"half")
    thing = Thing()
    def gone(ref):
        os.kill(os.getpid(), signal.SIGTERM)  # handled right here, inside the callback
        return None
    ref = weakref.ref(thing, gone)
    del thing
    print("went on after SIGTERM", flush=True)

with click.Context(click.Command("run")):
    handle_sigterm()
    write_atomically({str(target)!r}, write)
print("wrote", flush=True)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == EXIT_TERMINATED, (r.returncode, r.stdout, r.stderr)
    assert "went on" not in r.stdout and "wrote" not in r.stdout
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr, r.stderr
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["X.nc"]
