"""Benchmarks of the Monte Carlo kernel, its two yardsticks and the CLI (issue 6).

Workloads (``benchmarks/workloads.py``): W1 Twente 100 agents x 36 months x 10,000 draws;
W2 large region 20,000 x 120 x 200; W3 national 200,000 x 120 x 100. ``setup()`` builds the
workload and warms the JIT with one draw, so ``time_`` measures the kernel, not compilation;
the ``timeraw_`` CLI benchmarks run the real ``simsav`` console script in fresh processes and
measure compilation (cold: a new user's first ``simsav run`` or ``simsav table``) or the cache
load (warm ``simsav run``, ``simsav validate``, ``simsav --help``). ``python -m benchmarks``
prints the same measurements as a table with the issues' targets.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# workloads.py and yardsticks.py sit next to this folder: asv imports this folder as the
# package ``benchmarks``, so they are imported by path, as top-level modules.
_HERE = Path(__file__).resolve().parents[1]
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

import workloads  # noqa: E402

REPO = workloads.REPO
# The NumPy yardstick takes ~0.3 s a draw on W2 and ~5 s on W3 here: a full run would take
# ~1 and ~9 minutes, so it runs on these many draws and the time is scaled by draws / these.
NUMPY_DRAWS = {"W2": 40, "W3": 5}


def _warm(model, values, keys):
    from simsav.model.engine import run_monte_carlo

    run_monte_carlo(model, values[:1], keys[:1])


class Kernel:
    """Kernel wall time (``run_monte_carlo``) on W1, W2, W3 with the JIT warm."""

    params = ["W1", "W2", "W3"]
    param_names = ["workload"]
    number = 1
    repeat = (1, 5, 30.0)
    warmup_time = 0
    timeout = 300

    def setup(self, name):
        self.model, self.values, self.keys = workloads.workload(name)
        _warm(self.model, self.values, self.keys)

    def time_kernel(self, name):
        from simsav.model.engine import run_monte_carlo

        run_monte_carlo(self.model, self.values, self.keys)

    def track_agent_draws_per_second(self, name):
        from simsav.model.engine import run_monte_carlo

        started = time.perf_counter()
        run_monte_carlo(self.model, self.values, self.keys)
        return workloads.agent_draws(self.model, self.values) / (time.perf_counter() - started)

    track_agent_draws_per_second.unit = "agent-draws/s"


class NationalMemory:
    """Peak memory (RSS of the benchmark process) of the W3 kernel run; the target is under 1 GB."""

    timeout = 300

    def setup(self):
        self.model, self.values, self.keys = workloads.workload("W3")
        _warm(self.model, self.values, self.keys)

    def peakmem_kernel_w3(self):
        from simsav.model.engine import run_monte_carlo

        run_monte_carlo(self.model, self.values, self.keys)


class Yardsticks:
    """The kernel's yardsticks on W2 and W3: NumPy monthly steps and the RNG-only loop.

    ``time_numpy_monthly`` runs the NumPy yardstick on the first NUMPY_DRAWS[workload] draws
    only (40 of W2's 200, 5 of W3's 100: a full run would take minutes); multiply by
    draws / NUMPY_DRAWS for the whole workload, as ``track_speedup_over_numpy`` does.
    ``time_rng_only`` draws the kernel's exact number of uniforms (``count_variates``, in
    setup) with the kernel's generator and sums them: the hardware limit of this design.
    """

    params = ["W2", "W3"]
    param_names = ["workload"]
    number = 1
    repeat = (1, 3, 60.0)
    rounds = 1  # minutes per round on W3
    warmup_time = 0
    timeout = 900

    def setup(self, name):
        import yardsticks

        self.model, self.values, self.keys = workloads.workload(name)
        _warm(self.model, self.values, self.keys)
        self.per_agent = yardsticks.variates_per_agent(self.model, self.values, self.keys)
        yardsticks.rng_only(self.model, self.keys[:1], self.per_agent)  # JIT

    def time_numpy_monthly(self, name):
        import yardsticks

        yardsticks.numpy_monthly(self.model, self.values[: NUMPY_DRAWS[name]], workloads.SEED)

    def time_rng_only(self, name):
        import yardsticks

        yardsticks.rng_only(self.model, self.keys, self.per_agent)

    def _kernel_seconds(self):
        from simsav.model.engine import run_monte_carlo

        started = time.perf_counter()
        run_monte_carlo(self.model, self.values, self.keys)
        return time.perf_counter() - started

    def track_speedup_over_numpy(self, name):
        import yardsticks

        k = NUMPY_DRAWS[name]
        started = time.perf_counter()
        yardsticks.numpy_monthly(self.model, self.values[:k], workloads.SEED)
        numpy_seconds = (time.perf_counter() - started) * self.values.shape[0] / k
        return numpy_seconds / self._kernel_seconds()

    track_speedup_over_numpy.unit = "x (target >= 50)"

    def track_kernel_over_rng_only(self, name):
        import yardsticks

        started = time.perf_counter()
        yardsticks.rng_only(self.model, self.keys, self.per_agent)
        rng_seconds = time.perf_counter() - started
        return self._kernel_seconds() / rng_seconds

    track_kernel_over_rng_only.unit = "x (target <= 2)"

    def track_variates_per_agent_draw(self, name):
        return self.per_agent

    track_variates_per_agent_draw.unit = "uniforms"


CLI_CONFIG = str(REPO / workloads.CLI_CONFIG)


def cli_command(*args: str) -> list[str]:
    """Return the argv of ``simsav ARGS...``: the real console script (``workloads.simsav_command``)."""
    return [*workloads.simsav_command(), *args]


def cli_run_command(out: str) -> list[str]:
    """Return the argv of ``simsav run configs/holland-rijnland.toml --out OUT --no-progress``."""
    return cli_command("run", CLI_CONFIG, "--out", out, "--no-progress")


_CLI_STMT = """
subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
"""


def _cli_setup(argv: list[str], cache_dir: str | None) -> str:
    """Return timeraw setup code: the command's argv and environment (a fresh numba cache when None)."""
    cache = "tempfile.mkdtemp(prefix='simsav-numba-cold-')" if cache_dir is None else repr(cache_dir)
    return f"""
import os, subprocess, tempfile
env = dict(os.environ, NUMBA_CACHE_DIR={cache})
argv = {argv!r}
"""


def _out() -> str:
    return os.path.join(tempfile.gettempdir(), "simsav-bench-cli.nc")


class CLICold:
    """A new user's first command, with an empty numba cache: compiles what it needs (target < 10 s).

    ``simsav run configs/holland-rijnland.toml`` compiles both kernels, ``simsav table`` the
    expected-value kernel only (``python -m benchmarks --only CLI`` checks which, and the note).
    """

    number = 1
    repeat = (1, 2, 60.0)
    rounds = 1
    timeout = 300

    def timeraw_cli_cold(self):
        return _CLI_STMT, _cli_setup(cli_run_command(_out()), None)

    def timeraw_cli_table_cold(self):
        return _CLI_STMT, _cli_setup(cli_command("table", CLI_CONFIG), None)


class CLIWarm:
    """The command line with the numba cache filled: ``simsav run configs/holland-rijnland.toml``
    (2,000 draws, target < 1 s), ``simsav validate`` (< 0.5 s), ``simsav --help`` (< 0.3 s)."""

    number = 1
    repeat = (1, 5, 30.0)
    timeout = 300

    def setup(self):
        self.cache_dir = tempfile.mkdtemp(prefix="simsav-numba-warm-")
        env = dict(os.environ, NUMBA_CACHE_DIR=self.cache_dir)
        subprocess.run(cli_run_command(_out()), env=env, check=True, stdout=subprocess.DEVNULL)

    def timeraw_cli_warm(self):
        return _CLI_STMT, _cli_setup(cli_run_command(_out()), self.cache_dir)

    def timeraw_cli_validate(self):
        return _CLI_STMT, _cli_setup(cli_command("validate", CLI_CONFIG), self.cache_dir)

    def timeraw_cli_help(self):
        return _CLI_STMT, _cli_setup(cli_command("--help"), self.cache_dir)
