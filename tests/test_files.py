"""Files are written atomically: the old file or the whole new one, never a part of either."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from simsav.files import write_atomically


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
