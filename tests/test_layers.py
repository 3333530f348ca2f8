"""The floors of simsav import one way, and no modules import each other in a circle.

The contracts are in pyproject.toml ([tool.importlinter]); ``lint-imports`` checks them from
the repository root, as this test does.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    r = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Contracts: 2 kept, 0 broken." in r.stdout


def test_importing_simsav_loads_no_floor():
    # the package's names are imported on first use: `import simsav` (and `simsav --help`) stays fast
    code = ("import sys, simsav; "
            "loaded = sorted(m for m in sys.modules if m.startswith('simsav.') and m != 'simsav._version'); "
            "print(loaded)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"
