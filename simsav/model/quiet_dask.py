"""Keep xarray from importing the dask modules a process does not use (the command line
without ``--scheduler``).

Building a Variable, xarray asks whether its data is a ``dask.array`` and imports that to ask
(half a second); writing netCDF it asks whether a ``dask.distributed`` client is running and
imports ``distributed`` to ask (another half second). Together a third of a warm ``simsav
run``. While ``dask.array`` has not been imported no object can be a dask array, and while
``distributed`` has not been imported no client can run, so :func:`without_dask` tells xarray
so: for the length of the block, xarray's table of array types says "no dask arrays", and
``import distributed`` fails as it would were it not installed (xarray then takes the local
scheduler); both are undone on leaving. Inside the block simsav must not use dask (it does
not: ``--scheduler`` runs outside it). Where those modules are imported already, or xarray's
table is not where this module expects it (another xarray), the block changes nothing.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager


@contextmanager
def without_dask():
    """Within the block, xarray neither imports dask.array nor distributed (unless they are imported)."""
    placed = None
    if "dask.array" not in sys.modules:
        try:
            from packaging.version import Version
            from xarray.namedarray import pycompat

            cache = pycompat._cached_duck_array_modules
            if "dask" not in cache:
                placed = object.__new__(pycompat.DuckArrayModule)
                placed.module, placed.version, placed.type, placed.available = None, Version("0.0.0"), (), False
                cache["dask"] = placed
        except (ImportError, AttributeError):  # another xarray: let it do as it does
            placed = None
    blocked = "distributed" not in sys.modules and "dask.distributed" not in sys.modules
    if blocked:
        sys.modules["distributed"] = None  # `import distributed` raises ImportError, as if not installed
    try:
        yield
    finally:
        if blocked and sys.modules.get("distributed", 0) is None:
            del sys.modules["distributed"]
        if placed is not None:
            from xarray.namedarray import pycompat

            if pycompat._cached_duck_array_modules.get("dask") is placed:
                del pycompat._cached_duck_array_modules["dask"]
