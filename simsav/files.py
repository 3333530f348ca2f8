"""Writing a file atomically: readers see the old file or the whole new one, never a part.

Every file simsav writes (results, figures, the report) goes through :func:`write_atomically`:
a temporary file beside the target, then a rename over it, which is atomic on one filesystem.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def write_atomically(path: str | os.PathLike, write: Callable[[str], None]) -> Path:
    """Return ``path`` after ``write(temporary_path)`` filled a file beside it that then replaced it.

    The file gets the permissions a new file would (``mkstemp`` makes it private; results,
    figures and reports are for sharing). On any failure the temporary file is removed and
    the target is left as it was.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        write(tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
