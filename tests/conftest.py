"""Shared fixtures: running the ``simsav`` command and writing small configs."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIG_DIR = REPO / "configs"


def _is_roll_up(path: Path) -> bool:
    import tomllib

    return "regions" in tomllib.loads(path.read_text(encoding="utf-8"))


REGION_CONFIGS = sorted(p for p in CONFIG_DIR.glob("*.toml") if not _is_roll_up(p))
"""The shipped configs of one region (configs/*.toml but a national roll-up, which lists regions)."""
SCENARIOS = sorted((CONFIG_DIR / "scenarios").glob("*.toml"))
"""The shipped scenarios: configs that extend a region's (configs/scenarios/)."""
ROLL_UPS = sorted(p for p in CONFIG_DIR.glob("*.toml") if _is_roll_up(p))
"""The shipped national roll-ups (configs/national.toml)."""

SMALL_CONFIG = '''\
# A small valid config for the command-line tests: two parties, two streams by share,
# a few uncertain numbers (so different seeds give different draws).
title = "Small test case"

[[parties]]
id = "gemeente"
name = "Gemeente Testdorp"
role = "gemeente"

[[parties]]
id = "uwv"
name = "UWV Testregio"
role = "uwv"

[cohort]
size = 40
horizon_months = 24
start = "2024-01"

[[streams]]
id = "bijstand"
benefit = "bijstand"
share = 0.6
monthly_benefit = 1100
payer = "gemeente"
manager = "gemeente"

[[streams]]
id = "ww"
benefit = "ww"
share = 0.4
monthly_benefit = 1800
payer = "uwv"
manager = "uwv"
benefit_months_remaining = 18

[outcomes]
placement_probability = { dist = "beta", mean = 0.4, sd = 0.08, name = "p_place" }
months_to_placement = 5
job_retention_12m = 0.6
hours_per_week = 24

[outcomes.streams.ww]
placement_probability = 0.5

[[items]]
id = "coaching"
label = "Jobcoaching"
party = "gemeente"
basis = "monthly"
amount = 300
states = ["mediation", "working"]
eligible_share = 0.8

[[items]]
id = "intake"
label = "Intake"
party = "uwv"
basis = "event"
event = "start"
amount = { dist = "uniform", low = 400, high = 600 }
streams = ["ww"]

[[items]]
id = "overhead"
label = "Projectleiding"
party = "gemeente"
basis = "annual"
amount = { dist = "triangular", low = 8000, mode = 10000, high = 14000 }
'''


def simsav_command() -> list[str]:
    """Return the command that runs the installed ``simsav`` of this interpreter."""
    beside = Path(sys.executable).with_name("simsav")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("simsav")
    if found:
        return [found]
    return [sys.executable, "-m", "simsav.cli"]


@pytest.fixture(scope="session")
def simsav_cmd() -> list[str]:
    return simsav_command()


@pytest.fixture
def run_simsav(simsav_cmd, tmp_path):
    """Return a function running ``simsav ARGS...`` in a subprocess (cwd: a temporary directory)."""

    def run(*args, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
        return subprocess.run([*simsav_cmd, *map(str, args)], capture_output=True, text=True,
                              cwd=cwd or tmp_path, env=env, timeout=timeout)

    return run


@pytest.fixture
def small_config_text() -> str:
    """Return the text of a small valid config with uncertain numbers."""
    return SMALL_CONFIG


@pytest.fixture
def write_config(tmp_path):
    """Return a function writing config text to a file in a temporary directory; it returns the path."""

    def write(text: str, name: str = "case.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def small_config(write_config, small_config_text) -> Path:
    """Return the path of the small valid config, written to a temporary directory."""
    return write_config(small_config_text, "small.toml")
