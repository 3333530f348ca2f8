"""Writing a file atomically: readers see the old file or the whole new one, never a part.

Every file simsav writes (results, figures, the report) goes through :func:`write_atomically`:
a temporary file beside the target, then a rename over it, which is atomic on one filesystem.

The rules it keeps, for the command line and the Python API alike:

* Only a regular file (or a new name) is replaced. A directory, a symbolic link, a FIFO, a
  device node (``/dev/null``) or a socket at the target is refused with :class:`OutputError`,
  checked again just before the rename.
* A write that fails for the system's reasons (a full disk, a quota, a read-only filesystem,
  no permission, an I/O error) raises :class:`OutputError` naming the file and the reason in
  words ("no space left on device"); the temporary file is removed and the old target is left
  as it was.
* A temporary file is named ``.NAME.PID.XXXXXXXX.tmp``: the target's name, the writer's process
  id and a random part. A process killed with SIGKILL cannot remove its own; the next write of
  the same target removes those whose process is no longer alive (and only those). A process
  that must end at once (``os._exit``, where no ``finally`` runs) calls :func:`remove_unfinished`.
* The data is flushed to the disk (fsync) before the rename, so a full disk that shows only
  then fails the write, and a crash after the rename leaves the whole new file.
"""
from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError

TEMP_SUFFIX = ".tmp"
_TOKEN_CHARS = 8  # hex digits of the random part
_PID_DIGITS = 7  # Linux's pid_max is at most 4194304
TEMP_NAME_OVERHEAD = len("." + "." + "9" * _PID_DIGITS + "." + "0" * _TOKEN_CHARS + TEMP_SUFFIX)
"""Bytes a temporary file's name adds to the target's name (at most)."""
DEFAULT_NAME_MAX = 255

_UNFINISHED: set[str] = set()
"""The temporary files this process is writing now (see :func:`remove_unfinished`)."""

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """Return what a file of ``st_mode`` ``mode`` is, in words ("a FIFO (named pipe)", "a regular file")."""
    for test, words in _KINDS:
        if test(mode):
            return words
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def os_error_reason(e: OSError) -> str:
    """Return why ``e`` happened in plain lower-case words: "no space left on device".

    Libraries that write through C (HDF5) raise OSError with the errno only in their message
    (``errno = 28``); it is found there too.
    """
    code = e.errno
    if not code:
        found = re.search(r"errno\s*=\s*(\d+)", str(e))
        code = int(found.group(1)) if found else None
    if code:
        text = os.strerror(code)
    else:
        text = (e.strerror or str(e) or type(e).__name__).strip().splitlines()[0]
    return text[:1].lower() + text[1:]


def system_error(e: BaseException) -> OSError | None:
    """Return the OSError behind exception ``e``, or None when the system refused nothing.

    That is ``e`` itself, the OSError it was raised from, or, for the RuntimeError HDF5 raises
    when a write fails (h5py closing a file on a full disk), an OSError of the errno its message
    names (``errno = 28``).
    """
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, OSError):
            return e
        found = re.search(r"\berrno\s*=\s*(\d+)", str(e))
        if found and int(found.group(1)):
            code = int(found.group(1))
            return OSError(code, os.strerror(code))
        e = e.__cause__
    return None


def name_max(directory: str | os.PathLike) -> int:
    """Return the longest file name (in bytes) the filesystem of ``directory`` allows."""
    try:
        return int(os.pathconf(directory, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return DEFAULT_NAME_MAX


def longest_target_name(directory: str | os.PathLike) -> int:
    """Return the longest name (in bytes) a target in ``directory`` may have: room is left for the
    temporary file's name beside it."""
    return name_max(directory) - TEMP_NAME_OVERHEAD


def _why(e: OSError, path: Path) -> str:
    """Return the reason of ``e`` (writing ``path``) in words; for a long name, the longest allowed."""
    if e.errno == errno.ENAMETOOLONG:
        directory = path.parent if str(path.parent) else Path(".")
        return f"the file name is too long (at most {longest_target_name(directory)} bytes here)"
    return os_error_reason(e)


def _named(path: Path, source: str) -> str:
    """Return ``'path' `` to put in a message of ``source``, or nothing when ``source`` is the path."""
    return "" if source == str(path) else f"{str(path)!r} "


def check_replaceable(path: str | os.PathLike, source: str | None = None) -> None:
    """Raise OutputError unless ``path`` is a regular file or does not exist (a name simsav may write).

    A symbolic link is refused even when it points to a regular file: the rename would replace
    the link, not the file it points to.
    """
    path = Path(path)
    source = str(path) if source is None else source
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as e:
        raise OutputError(source, f"{_named(path, source)}cannot be written: {_why(e, path)}") from None
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(source, f"{_named(path, source)}is {file_kind(st.st_mode)}, not a regular file: "
                                  "simsav replaces only regular files; give another file name")


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def temporary_name(name: str, pid: int | None = None) -> str:
    """Return a new temporary file name for target ``name``: ``.NAME.PID.XXXXXXXX.tmp``."""
    pid = os.getpid() if pid is None else pid
    return f".{name}.{pid}.{secrets.token_hex(_TOKEN_CHARS // 2)}{TEMP_SUFFIX}"


def _temporary_pid(candidate: str, name: str) -> int | None:
    """Return the writer's PID when ``candidate`` is a temporary file name of target ``name``, else None."""
    prefix = f".{name}."
    if not (candidate.startswith(prefix) and candidate.endswith(TEMP_SUFFIX)):
        return None
    found = re.fullmatch(rf"(\d+)\.[0-9a-f]{{{_TOKEN_CHARS}}}", candidate[len(prefix):-len(TEMP_SUFFIX)])
    return int(found.group(1)) if found else None


def pid_alive(pid: int) -> bool:
    """Return True when a process ``pid`` exists (of any user); this process counts as alive."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError:
        return True  # cannot tell: keep its file
    return True


def temporary_files(path: str | os.PathLike) -> list[tuple[Path, int]]:
    """Return the temporary files of target ``path`` beside it, each with its writer's PID."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    found = []
    for candidate in names:
        pid = _temporary_pid(candidate, path.name)
        if pid is not None:
            found.append((directory / candidate, pid))
    return found


def remove_stale_temporaries(path: str | os.PathLike) -> list[Path]:
    """Remove the temporary files of target ``path`` left by processes no longer alive (killed
    mid-write); return them. A live writer's file, and anything not a regular file, is kept."""
    removed = []
    for tmp, pid in temporary_files(path):
        if pid_alive(pid):
            continue
        try:
            if stat.S_ISREG(os.lstat(tmp).st_mode):
                os.unlink(tmp)
                removed.append(tmp)
        except OSError:
            pass  # gone already, or not ours to remove
    return removed


def remove_unfinished() -> None:
    """Remove the temporary files this process is writing now: for a process that must end at
    once (``os._exit``), where no ``finally`` will run. No target is touched."""
    for tmp in list(_UNFINISHED):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        _UNFINISHED.discard(tmp)


def _create_temporary(directory: Path, name: str) -> Path:
    for _ in range(100):
        tmp = directory / temporary_name(name)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        except FileExistsError:
            continue
        _UNFINISHED.add(str(tmp))
        os.close(fd)
        return tmp
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(directory))


def _sync(path: Path) -> None:
    """Flush ``path``'s data to the disk, so that a crash after the rename leaves the whole new file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: str | os.PathLike, write: Callable[[str], None], *, source: str | None = None) -> Path:
    """Return ``path`` after ``write(temporary_path)`` filled a file beside it that then replaced it.

    ``source`` names the file in errors (default: the path). Raises :class:`OutputError` when
    ``path`` is there but not a regular file (a directory, a symbolic link, a FIFO, a device),
    and when the system refuses the write (a full disk, a quota, a read-only filesystem, no
    permission, an I/O error); any other exception of ``write`` passes through. On any failure
    the temporary file is removed and the target is left as it was.

    The file gets the permissions a new file would (a temporary file is private; results,
    figures and reports are for sharing). Temporary files of this target that processes killed
    mid-write left behind are removed first.
    """
    path = Path(path)
    source = str(path) if source is None else source
    directory = path.parent if str(path.parent) else Path(".")
    check_replaceable(path, source)
    remove_stale_temporaries(path)
    tmp = None
    try:
        tmp = _create_temporary(directory, path.name)
        write(str(tmp))
        _sync(tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        check_replaceable(path, source)  # again: something may have appeared there while writing
        os.replace(tmp, path)
    except OutputError:
        raise
    except Exception as e:
        refused = system_error(e)
        if refused is None:
            raise
        why = _why(refused, path)
        kept = ", the old file is left as it was" if _is_regular(path) else ""
        raise OutputError(source, f"{_named(path, source)}cannot be written: {why} (nothing was written{kept})") from e
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            except OSError:
                pass  # left for the next write of this target to remove (its PID will be dead)
            _UNFINISHED.discard(str(tmp))
    return path
