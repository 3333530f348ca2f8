"""Floor 2, what is simulated: parameters, the compiler, the numba kernels, the engine and its
dask backend, and the results Dataset.

``simulate`` and ``base_case`` live in :mod:`simsav.model.simulate`; the kernel's interface is
:mod:`simsav.model.records`. Imports only ``simsav.config`` and the ground floor.
"""
