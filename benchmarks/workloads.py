"""The benchmark workloads of issue 6, built from the shipped configs with overrides.

Each workload is a (model, values, keys) triple: the compiled model, the sampled parameter
matrix (draws x slots) and the per-draw keys of the agents' streams, exactly what
``simsav.model.engine.run_monte_carlo`` takes. Overrides are applied to the TOML as tomllib reads
it, then validated by ``simsav.config.config_from_dict``: no extra config files.

    W1 Twente          configs/twente.toml as is: 100 agents x 36 months x 10,000 draws
    W2 large region    configs/holland-rijnland.toml, 20,000 agents x 120 months x 200 draws
    W3 national        configs/holland-rijnland.toml, 200,000 agents x 120 months x 100 draws

This module imports nothing from asv, so ``python -m benchmarks`` and the tests use it too.
"""
from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / "configs"
SEED = 0


@dataclass(frozen=True)
class WorkloadSpec:
    """What a workload is: a config file, cohort overrides and a number of draws."""

    name: str
    title: str
    config: str  # file name under configs/
    cohort: dict  # overrides of the [cohort] table (empty: the file as is)
    draws: int
    quick_draws: int  # for `python -m benchmarks --quick` (a smoke test, not a measurement)


SPECS = {
    "W1": WorkloadSpec("W1", "Twente", "twente.toml", {}, 10_000, 1_000),
    "W2": WorkloadSpec("W2", "large region", "holland-rijnland.toml",
                       {"size": 20_000, "horizon_months": 120}, 200, 20),
    "W3": WorkloadSpec("W3", "national", "holland-rijnland.toml",
                       {"size": 200_000, "horizon_months": 120}, 100, 10),
}


def load_config(config: str, cohort: dict | None = None):
    """Return the validated Config of ``configs/<config>`` with ``[cohort]`` fields overridden."""
    from simsav.config import config_from_dict

    path = CONFIGS / config
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["cohort"].update(cohort or {})
    return config_from_dict(data, source=f"{path} (benchmark overrides: {cohort or 'none'})")


def build(cfg, draws: int, seed: int = SEED):
    """Return (model, values, keys) of ``draws`` Monte Carlo draws of a config, as ``simsav.simulate`` builds them."""
    from simsav.model.compile import compile_config
    from simsav.model.engine import draw_keys

    model = compile_config(cfg)
    values = np.ascontiguousarray(model.table.sample(draws, seed, cfg.correlations), dtype=float)
    keys = draw_keys(seed, np.arange(draws))
    return model, values, keys


def workload(name: str, draws: int | None = None, seed: int = SEED):
    """Return (model, values, keys) of workload ``name`` ("W1", "W2", "W3"), optionally with fewer draws."""
    spec = SPECS[name]
    return build(load_config(spec.config, spec.cohort), spec.draws if draws is None else draws, seed)


def agent_draws(model, values) -> int:
    """Return the number of agent lives a run simulates (agents x draws; each lives in both worlds)."""
    return model.n_agents * values.shape[0]


# ---------------------------------------------------------------------------- the command line
CLI_CONFIG = "configs/holland-rijnland.toml"
"""The config of the command-line rows (relative to the repository root, where they run)."""


def simsav_command() -> list[str]:
    """Return the argv prefix of the real ``simsav`` console script of this interpreter.

    The script installed next to ``sys.executable`` (a virtual environment's ``bin/simsav``),
    else this interpreter running ``simsav.cli.main`` as the script does (a ``simsav`` on PATH
    may belong to another environment; ``simsav.cli`` has no ``__main__``, so
    ``python -m simsav.cli`` would not run it).
    """
    import os
    import sys

    beside = Path(sys.executable).with_name("simsav")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [sys.executable, "-c", "import sys; from simsav.cli import main; sys.exit(main())"]
