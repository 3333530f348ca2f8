"""Benchmarks of the sensitivity analyses (asv: ``benchmarks/benchmarks/<topic>.py``).

``time_sobol_holland_rijnland``: Sobol indices of every party's net over (at least) 16
uncertain parameters with 1,024 base samples on the Holland Rijnland config: n (d + 2)
base-case evaluations plus 256 simulated cohorts for the noise share. The issue's target is
under a minute on 2 cores. Run it without asv with ``python benchmarks/benchmarks/sensitivity.py``.
"""
from __future__ import annotations

import copy
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / "configs"
UNCERTAIN_PARAMETERS = 16
BASE_SAMPLES = 1024


def _widen_fixed_amounts(data: dict, wanted: int, have: int) -> int:
    """Turn fixed item amounts into uniform(0.8 x, 1.2 x) until ``wanted`` numbers are uncertain."""
    for item in data.get("items", []):
        if have >= wanted:
            break
        amount = item.get("amount")
        if isinstance(amount, (int, float)) and amount > 0:
            item["amount"] = {"dist": "uniform", "low": 0.8 * amount, "high": 1.2 * amount,
                              "name": f"bench_{item['id']}_amount"}
            have += 1
    for stream in data.get("streams", []):
        if have >= wanted:
            break
        benefit = stream.get("monthly_benefit")
        if isinstance(benefit, (int, float)) and benefit > 0:
            stream["monthly_benefit"] = {"dist": "uniform", "low": 0.8 * benefit, "high": 1.2 * benefit,
                                         "name": f"bench_{stream['id']}_benefit"}
            have += 1
    return have


def holland_rijnland_config(wanted: int = UNCERTAIN_PARAMETERS):
    """Return the Holland Rijnland config with at least ``wanted`` uncertain numbers.

    Extra fixed numbers become distributions only when the config has fewer; without the
    config (it is being written) the Twente config stands in, made uncertain the same way.
    """
    from simsav.config import config_from_dict
    from simsav.model.compile import compile_config

    path = CONFIGS / "holland-rijnland.toml"
    if not path.exists():
        path = CONFIGS / "twente.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    have = len(compile_config(config_from_dict(copy.deepcopy(data), source=str(path))).table.uncertain)
    if have < wanted:
        have = _widen_fixed_amounts(data, wanted, have)
    cfg = config_from_dict(data, source=str(path))
    return cfg, path.name, len(compile_config(cfg).table.uncertain)


class SobolHollandRijnland:
    timeout = 600
    number = 1
    repeat = 1
    warmup_time = 0

    def setup(self):
        from simsav.analysis.sensitivity import sobol

        self.cfg, _, _ = holland_rijnland_config()
        sobol(self.cfg, n=4, seed=0, n_resamples=10, noise_rows=4)  # JIT compile or cache load

    def time_sobol_holland_rijnland(self):
        from simsav.analysis.sensitivity import sobol

        sobol(self.cfg, n=BASE_SAMPLES, seed=0)


if __name__ == "__main__":
    import time

    from simsav.analysis.sensitivity import sobol

    cfg, name, d = holland_rijnland_config()
    sobol(cfg, n=4, seed=0, n_resamples=10, noise_rows=4)
    started = time.perf_counter()
    ds = sobol(cfg, n=BASE_SAMPLES, seed=0)
    print(f"{name}: {d} uncertain parameters, n = {BASE_SAMPLES}: {ds.attrs['evaluations']:,} base-case "
          f"evaluations in {time.perf_counter() - started:.1f} s")
