"""simsav: Monte Carlo business cases for shared-savings agreements on work and mental health.

The public API::

    import simsav
    cfg = simsav.load_config("configs/twente.toml")
    ds = simsav.simulate(cfg, draws=2000, seed=1)   # xarray.Dataset, MODEL.md names
    bc = simsav.base_case(cfg)                      # deterministic expectation
    simsav.plot.fan_chart(ds)                       # figures; simsav.sensitivity, simsav.sharing: analyses
    mon = simsav.monitor(cfg, "register.csv", as_of="2025-06")  # ledger, settlement, posterior, re-forecast
    cmp = simsav.compare(["a.toml", "b.toml"], draws=2000)  # scenarios side by side, paired differences

The package is built in floors that import one way (README, "Module map"): ``config`` (what a
user writes) -> ``model`` (what is simulated) -> ``analysis`` (what is concluded) -> ``present``
(what a person reads, in nl and en) -> ``cli``. Names are imported on first use, so
``import simsav`` (and ``simsav --help``) stays fast.
"""
from __future__ import annotations

import importlib

from ._version import __version__  # noqa: F401  (in __all__, built below)

_EXPORTS = {
    "Config": "simsav.config",
    "load_config": "simsav.config",
    "ConfigError": "simsav.errors",
    "InputError": "simsav.errors",
    "simulate": "simsav.model.simulate",
    "base_case": "simsav.model.simulate",
    "monitor": "simsav.analysis.forecast",
    "compare": "simsav.analysis.compare",
    "simulate_national": "simsav.model.national",
    "load_national": "simsav.config",
    "open_results": "simsav.model.results",
    "write_results": "simsav.model.results",
}
_MODULES = {
    "plot": "simsav.present.plot",
    "report": "simsav.present.report",
    "sensitivity": "simsav.analysis.sensitivity",
    "sharing": "simsav.analysis.sharing",
    "summary": "simsav.analysis.summary",
    "table": "simsav.analysis.table",
    "voi": "simsav.analysis.voi",
}

__all__ = sorted([*_EXPORTS, *_MODULES, "__version__"])


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    elif name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    else:
        raise AttributeError(f"module 'simsav' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return __all__
