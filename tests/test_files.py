"""Files are written atomically: the old file or the whole new one, never a part of either."""
from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from simsav.errors import InputError, OutputError
from simsav.files import (
    TEMP_NAME_OVERHEAD, name_max, pid_alive, remove_stale_temporaries, system_error, temporary_name, write_atomically,
)


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "results.nc"
    target.write_text("old")

    def half_then_fail(tmp):
        Path(tmp).write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomically(target, half_then_fail)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["results.nc"]


def test_a_written_file_replaces_the_old_one_with_the_permissions_of_a_new_file(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old")
    mask = os.umask(0o022)
    try:
        write_atomically(target, lambda tmp: Path(tmp).write_text("new"))
    finally:
        os.umask(mask)
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


# --------------------------------------------------------------------------- what may be replaced


def _write_new(tmp):
    Path(tmp).write_text("new")


def _device(path: Path) -> Path:
    """Make a character device node like /dev/null at ``path`` (root only: skip elsewhere)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as e:
        pytest.skip(f"cannot make a device node here: {e}")
    return path


def _others(directory: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)


def test_a_fifo_is_not_replaced(tmp_path):
    fifo = tmp_path / "pipe.nc"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match=r"is a FIFO \(named pipe\), not a regular file"):
        write_atomically(fifo, _write_new)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _others(tmp_path) == ["pipe.nc"]


def test_a_device_node_is_not_replaced(tmp_path):
    node = _device(tmp_path / "null")
    with pytest.raises(OutputError, match="is a character device, not a regular file"):
        write_atomically(node, _write_new)
    st = os.lstat(node)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert _others(tmp_path) == ["null"]


def test_a_symbolic_link_is_not_replaced_nor_the_file_it_points_to(tmp_path):
    real = tmp_path / "real.html"
    real.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(real.name)
    with pytest.raises(OutputError, match="is a symbolic link, not a regular file"):
        write_atomically(link, _write_new)
    assert link.is_symlink() and os.readlink(link) == "real.html"
    assert real.read_text() == "old"
    assert _others(tmp_path) == ["link.html", "real.html"]


def test_a_directory_is_not_replaced(tmp_path):
    (tmp_path / "figs").mkdir()
    with pytest.raises(OutputError, match="is a directory"):
        write_atomically(tmp_path / "figs", _write_new)
    assert (tmp_path / "figs").is_dir()


def test_what_appears_at_the_target_while_writing_is_not_replaced(tmp_path):
    # the check is made again at rename time: a FIFO made meanwhile stays
    target = tmp_path / "results.nc"

    def write_then_fifo(tmp):
        Path(tmp).write_text("new")
        os.mkfifo(target)

    with pytest.raises(OutputError, match="FIFO"):
        write_atomically(target, write_then_fifo)
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert _others(tmp_path) == ["results.nc"]


def test_a_hard_linked_file_is_replaced_by_a_new_one_and_the_other_name_keeps_the_old(tmp_path):
    target = tmp_path / "out.html"
    target.write_text("old")
    os.link(target, tmp_path / "other.html")
    write_atomically(target, _write_new)
    assert target.read_text() == "new"
    assert (tmp_path / "other.html").read_text() == "old"


def test_an_output_error_is_bad_input_naming_the_file():
    assert issubclass(OutputError, InputError)  # the command line reports it with exit 2


# --------------------------------------------------------------------------- the system refuses

@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "no space left on device"),
    (errno.EDQUOT, "disk quota exceeded"),
    (errno.EIO, "input/output error"),
    (errno.EROFS, "read-only file system"),
    (errno.EACCES, "permission denied"),
], ids=["ENOSPC", "EDQUOT", "EIO", "EROFS", "EACCES"])
def test_a_refused_write_is_an_output_error_naming_the_file_and_the_reason(tmp_path, code, words):
    target = tmp_path / "results.nc"
    target.write_text("old")

    def half_then_refused(tmp):
        Path(tmp).write_text("half")
        raise OSError(code, os.strerror(code))

    with pytest.raises(OutputError) as caught:
        write_atomically(target, half_then_refused)
    message = str(caught.value)
    assert message.startswith(f"{target}: cannot be written: {words}"), message
    assert "the old file is left as it was" in message
    assert len(message.splitlines()) == 1
    assert target.read_text() == "old"
    assert _others(tmp_path) == ["results.nc"]


@pytest.mark.parametrize("step", ["fsync", "replace", "create"])
def test_a_full_disk_at_any_step_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, step):
    # a full disk can show only when the data is flushed (fsync), or at the rename, or when
    # the temporary file is made (no inode left)
    from simsav import files

    target = tmp_path / "report.html"
    target.write_text("old")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if step == "fsync":
        monkeypatch.setattr(files.os, "fsync", full)
    elif step == "replace":
        monkeypatch.setattr(files.os, "replace", full)
    else:
        real_open = os.open
        monkeypatch.setattr(files.os, "open", lambda p, flags, *a: full() if flags & os.O_CREAT
                            else real_open(p, flags, *a))
    with pytest.raises(OutputError, match="no space left on device"):
        write_atomically(target, _write_new)
    assert target.read_text() == "old"
    assert _others(tmp_path) == ["report.html"]


def test_hdf5s_runtime_error_on_a_full_disk_is_an_output_error(tmp_path):
    # h5py closing a file on a full disk raises RuntimeError with the errno in its message
    target = tmp_path / "results.nc"

    def hdf5_full(tmp):
        Path(tmp).write_bytes(b"\x89HDF")
        raise RuntimeError("Disable slist on flush dest failure failed (file write failed: time = ..., "
                           f"filename = '{tmp}', file descriptor = 3, errno = 28, error message = "
                           "'No space left on device', buf = 0x55, total write size = 309)")

    with pytest.raises(OutputError, match="no space left on device"):
        write_atomically(target, hdf5_full)
    assert not target.exists()
    assert _others(tmp_path) == []


def test_other_errors_of_the_writer_pass_through():
    assert system_error(RuntimeError("wrote 3 draws of 4")) is None
    assert system_error(ValueError("errno = 0")) is None
    assert system_error(RuntimeError("file write failed: errno = 28")).errno == errno.ENOSPC
    try:
        try:
            raise OSError(errno.EIO, "I/O")
        except OSError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        assert system_error(outer).errno == errno.EIO


def test_a_name_too_long_is_an_output_error_not_an_os_error(tmp_path):
    longest = name_max(tmp_path)  # 255 on most filesystems
    room = longest - len(temporary_name(""))  # the longest name whose temporary file's name fits
    assert room >= longest - TEMP_NAME_OVERHEAD
    for name in ("a" * (longest + 45), "b" * (room + 1)):  # too long itself; too long for a temporary file beside it
        with pytest.raises(OutputError, match="the file name is too long"):
            write_atomically(tmp_path / name, _write_new)
    assert _others(tmp_path) == []
    write_atomically(tmp_path / ("c" * room), _write_new)
    assert _others(tmp_path) == ["c" * room]


# --------------------------------------------------------------------------- temporary files

def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not pid_alive(child.pid)
    return child.pid


def test_a_temporary_file_is_named_for_its_target_and_its_writer(tmp_path):
    seen = []

    def look(tmp):
        seen.append(Path(tmp))
        Path(tmp).write_text("new")

    write_atomically(tmp_path / "results.nc", look)
    assert seen[0].parent == tmp_path
    assert re.fullmatch(rf"\.results\.nc\.{os.getpid()}\.[0-9a-f]{{8}}\.tmp", seen[0].name), seen[0].name
    assert _others(tmp_path) == ["results.nc"]


def test_stale_temporary_files_of_dead_writers_are_removed_and_only_those(tmp_path):
    dead = _dead_pid()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        target = tmp_path / "results.nc"
        target.write_text("old")
        stale = tmp_path / temporary_name("results.nc", dead)
        kept = {
            temporary_name("results.nc", live.pid),  # a live writer's: another process writing now
            temporary_name("results.nc", os.getpid()),  # this process's (another thread's)
            temporary_name("other.nc", dead),  # another target's
            temporary_name("results.nc.1", dead),  # another target's ("results.nc.1")
            f".results.nc.{dead}.tmp",  # not a name simsav makes
            f".results.nc.{dead}.0123ABCD.tmp",
            "results.nc.tmp",
        }
        for name in kept | {stale.name}:
            (tmp_path / name).write_text("half")
        write_atomically(target, _write_new)
        assert target.read_text() == "new"
        assert not stale.exists()
        assert _others(tmp_path, "results.nc") == sorted(kept)
    finally:
        live.kill()
        live.wait()


def test_remove_stale_temporaries_keeps_what_is_not_a_regular_file(tmp_path):
    dead = _dead_pid()
    (tmp_path / temporary_name("x.png", dead)).mkdir()
    os.mkfifo(tmp_path / temporary_name("x.png", dead))
    regular = tmp_path / temporary_name("x.png", dead)
    regular.write_text("half")
    assert remove_stale_temporaries(tmp_path / "x.png") == [regular]
    assert len(list(tmp_path.iterdir())) == 2


def test_a_killed_writer_leaves_a_temporary_file_the_next_write_removes(tmp_path):
    # SIGKILL cannot be caught: the temporary file stays until the next write of its target
    target = tmp_path / "results.nc"
    target.write_text("old")
    code = ("import os, signal, sys; from pathlib import Path; from simsav.files import write_atomically\n"
            "def write(tmp):\n    Path(tmp).write_text('half')\n    os.kill(os.getpid(), signal.SIGKILL)\n"
            "write_atomically(sys.argv[1], write)\n")
    r = subprocess.run([sys.executable, "-c", code, str(target)], timeout=60)
    assert r.returncode == -9
    left = _others(tmp_path, "results.nc")
    assert len(left) == 1 and left[0].startswith(".results.nc.") and left[0].endswith(".tmp")
    assert target.read_text() == "old"
    write_atomically(target, _write_new)
    assert _others(tmp_path) == ["results.nc"]
    assert target.read_text() == "new"
