"""simsav: Monte Carlo business cases for shared-savings agreements on work and mental health.

The public API::

    import simsav
    cfg = simsav.load_config("configs/twente.toml")
    ds = simsav.simulate(cfg, draws=2000, seed=1)   # xarray.Dataset, MODEL.md names
    bc = simsav.base_case(cfg)                      # deterministic expectation
"""
__version__ = "0.1.0"

from .config import Config, load_config
from .errors import ConfigError, InputError
from .results import open_results, write_netcdf
from .runner import base_case, simulate

__all__ = [
    "Config", "ConfigError", "InputError", "__version__", "base_case", "load_config", "open_results",
    "simulate", "write_netcdf",
]
