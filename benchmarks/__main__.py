"""``python -m benchmarks``: the issue-6 benchmark table with its targets, measured in one run.

Every measurement runs in a fresh subprocess (``python -m benchmarks.measure ...``, or the
CLI itself), so each workload pays its own imports and none inherits another's memory.
Peak memory is that subprocess's peak resident set size, from ``os.wait4``'s rusage
(``ru_maxrss``): the whole process (Python, numba and its compiled code, the workload),
in MB of 10^6 bytes. Wall times are ``time.perf_counter`` seconds; a kernel time is the best
of a few runs with the JIT already warm (one draw first). Other processes share the cores,
so the load average is printed before and after.

    python -m benchmarks                 # W1 W2 W3 W4 CLI DASK, a few minutes
    python -m benchmarks --quick         # fewer draws, no W4 unless named: a smoke test
    python -m benchmarks --only W1,W2
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

from . import workloads

REPO = workloads.REPO
NAMES = ("W1", "W2", "W3", "W4", "CLI", "DASK")
# The NumPy yardstick takes ~0.3 s a draw on W2 and ~5 s on W3 here: it runs on these many
# draws and its time is scaled to the workload's draws (a full run would take 1 and 9 minutes).
NUMPY_DRAWS = {"W2": 40, "W3": 5}
NUMPY_DRAWS_QUICK = {"W2": 2, "W3": 1}
CLI_CONFIG = "configs/holland-rijnland.toml"
MB_LIMIT_W3 = 1000.0  # "under 1 GB", 10^9 bytes


@dataclass
class Measured:
    """One child process: its wall time, peak memory and what it printed (JSON)."""

    wall_s: float
    peak_mb: float
    data: dict = field(default_factory=dict)
    stderr: str = ""


class ChildFailed(RuntimeError):
    pass


def run_child(argv: list[str], env: dict | None = None, expect_json: bool = True) -> Measured:
    """Run ``argv`` in a fresh process from the repository root; return wall time, peak RSS and its JSON line."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=full_env, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise ChildFailed(f"{' '.join(argv[-4:])} exited with {proc.returncode}:\n{stderr[-2000:]}")
    data = {}
    if expect_json:
        lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
        if not lines:
            raise ChildFailed(f"{' '.join(argv)} printed no result:\n{stdout[-1000:]}\n{stderr[-1000:]}")
        data = json.loads(lines[-1])
    return Measured(wall, usage.ru_maxrss * 1024 / 1e6, data, stderr)


def measure(job: str, name: str | None = None, draws: int | None = None, repeat: int = 1,
            threads: int | None = None, workers: int | None = None) -> Measured:
    argv = [sys.executable, "-m", "benchmarks.measure", job]
    if name:
        argv.append(name)
    if draws is not None:
        argv += ["--draws", str(draws)]
    argv += ["--repeat", str(repeat)]
    if workers is not None:
        argv += ["--workers", str(workers)]
    return run_child(argv, {"NUMBA_NUM_THREADS": str(threads)} if threads else None)


def cli_argv(out: str) -> list[str]:
    """The argv of ``simsav run configs/holland-rijnland.toml --out OUT`` (what the console script runs)."""
    return [sys.executable, "-c", "import sys; from simsav.cli import main; sys.exit(main())",
            "run", CLI_CONFIG, "--out", out, "--no-progress"]


def cli_agent_draws() -> int:
    from simsav.cli import main
    from simsav.compile import compile_config
    from simsav.config import load_config

    draws = next(p.default for p in main.commands["run"].params if p.name == "draws")
    return compile_config(load_config(REPO / CLI_CONFIG)).n_agents * int(draws)


# ---------------------------------------------------------------------------- formatting
def _s(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def _rate(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def _mb(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


HEADER = f"{'benchmark':<34} {'wall s':>9} {'agent-draws/s':>15} {'peak MB':>8}  notes"


def row(label, wall, rate, peak, notes="") -> str:
    return f"{label:<34} {_s(wall):>9} {_rate(rate):>15} {_mb(peak):>8}  {notes}"


@dataclass
class Target:
    label: str
    measured: float | None
    limit: float
    upper: bool  # True: measured must be <= limit; False: >= limit
    unit: str
    why_missing: str = ""

    def line(self) -> str:
        fmt = (lambda v: f"{v:.0%}") if self.unit == "%" else (lambda v: f"{v:,.3g} {self.unit}".strip())
        bound = ("<= " if self.upper else ">= ") + fmt(self.limit)
        if self.measured is None:
            return f"{self.label:<44} {'-':>12} {bound:>12}  not measured {self.why_missing}".rstrip()
        ratio = self.measured / self.limit
        ok = ratio <= 1.0 if self.upper else ratio >= 1.0
        if self.upper:
            margin = f"{1 - ratio:.0%} under the limit" if ok else f"{ratio:.2f}x the limit ({ratio - 1:.0%} over)"
        else:
            margin = f"{ratio:.2f}x the minimum" if ok else f"{1 - ratio:.0%} short of the minimum"
        return f"{self.label:<44} {fmt(self.measured):>12} {bound:>12}  {'PASS' if ok else 'MISS'}: {margin}"


# ---------------------------------------------------------------------------- the run
def _progress(msg: str) -> None:
    print(f"... {msg}", file=sys.stderr, flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="fewer draws and single runs, W4 only when named: a smoke test, not a measurement")
    ap.add_argument("--only", default=None, metavar="W1,W2,...",
                    help=f"comma-separated subset of {', '.join(NAMES)} (default: all)")
    args = ap.parse_args(argv)
    named = args.only is not None
    only = [n.strip().upper() for n in (args.only or ",".join(NAMES)).split(",") if n.strip()]
    unknown = [n for n in only if n not in NAMES]
    if unknown or not only:
        ap.error(f"--only: unknown {', '.join(unknown) or '(empty)'}; choose from {', '.join(NAMES)}")
    quick = args.quick
    repeat = 1 if quick else 3

    import numba
    import numpy

    cores = os.cpu_count()
    print(f"simsav benchmarks{' (--quick: fewer draws, single runs: a smoke test, not a measurement)' if quick else ''}")
    print(f"machine: {platform.machine()}, {cores} cores, numba default threads {numba.config.NUMBA_NUM_THREADS}; "
          f"Python {platform.python_version()}, numpy {numpy.__version__}, numba {numba.__version__}")
    load_before = os.getloadavg()
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} (1, 5, 15 min)")
    print("peak MB: peak RSS of the measuring subprocess (os.wait4 ru_maxrss), Python + numba + workload")
    print()

    lines: list[str] = []
    targets: list[Target] = []
    kernel_s: dict[str, float] = {}
    notes_after: list[str] = []
    started_all = time.perf_counter()

    for name in ("W1", "W2", "W3"):
        if name not in only:
            continue
        spec = workloads.SPECS[name]
        draws = spec.quick_draws if quick else spec.draws
        _progress(f"{name} kernel ({draws:,} draws)")
        k = measure("kernel", name, draws, repeat)
        d = k.data
        kernel_s[name] = d["seconds"]
        lines.append(row(f"{name} {spec.title} kernel", d["seconds"], d["agent_draws"] / d["seconds"], k.peak_mb,
                         f"{d['agents']:,} x {d['months']} x {d['draws']:,}; {d['threads']} threads; best of "
                         f"{len(d['times'])}; JIT warm-up {d['warm_up_s']:.1f} s"))
        _progress(f"{name} kernel without items (profile)")
        lv = measure("lives", name, draws, repeat).data
        lines.append(row(f"{name} of which: lives, no items", lv["seconds"], lv["agent_draws"] / lv["seconds"], None,
                         f"profile: sampling the lives {lv['seconds'] / d['seconds']:.0%} of the kernel, "
                         f"paying the items {1 - lv['seconds'] / d['seconds']:.0%}"))
        _progress(f"{name} RNG-only loop")
        r = measure("rng", name, draws, repeat)
        rd = r.data
        lines.append(row(f"{name} RNG-only loop", rd["seconds"], rd["agent_draws"] / rd["seconds"], r.peak_mb,
                         f"{rd['variates_per_agent_draw']:.2f} uniforms per agent-draw (exact replay, "
                         f"{rd['variates']:,} in all); {rd['threads']} threads"))
        targets.append(Target(f"{name} kernel / RNG-only time", d["seconds"] / rd["seconds"], 2.0, True, "x"))
        if name == "W1":
            continue
        k_draws = NUMPY_DRAWS_QUICK[name] if quick else NUMPY_DRAWS[name]
        _progress(f"{name} NumPy yardstick ({k_draws} of {draws} draws)")
        n = measure("numpy", name, min(k_draws, draws), 1)
        nd = n.data
        scaled = nd["seconds"] * draws / nd["draws"]
        lines.append(row(f"{name} NumPy yardstick", scaled, nd["agent_draws"] / nd["seconds"], n.peak_mb,
                         f"{nd['seconds']:.1f} s on {nd['draws']} of {draws:,} draws, scaled x{draws / nd['draws']:g}; "
                         f"1 thread (numpy)"))
        targets.append(Target(f"{name} kernel speed-up over NumPy", scaled / d["seconds"], 50.0, False, "x"))
        _progress(f"{name} kernel on 1 thread")
        one = measure("kernel", name, draws, max(1, repeat - 1), threads=1)
        if d["threads"] == 2:
            two = d
        else:
            _progress(f"{name} kernel on 2 threads")
            two = measure("kernel", name, draws, repeat, threads=2).data
        lines.append(row(f"{name} kernel, 1 thread", one.data["seconds"], one.data["agent_draws"] / one.data["seconds"],
                         one.peak_mb, f"best of {len(one.data['times'])}; NUMBA_NUM_THREADS=1"))
        targets.append(Target(f"{name} parallel efficiency, 2 threads", one.data["seconds"] / (2 * two["seconds"]),
                              0.8, False, "%"))
        if name == "W3":
            targets.append(Target("W3 kernel wall time", d["seconds"], 3.0, True, "s"))
            targets.append(Target("W3 peak memory (whole process)", k.peak_mb, MB_LIMIT_W3, True, "MB"))

    if "W4" in only and (named or not quick):
        _progress("W4 Sobol (benchmarks/benchmarks/sensitivity.py)")
        try:
            s = measure("sobol")
            sd = s.data
            if "missing" in sd:
                lines.append(row("W4 Sobol", None, None, None, f"not run: {sd['missing']}"))
            else:
                lines.append(row("W4 Sobol", sd["seconds"], None, s.peak_mb,
                                 f"{sd['benchmark']}: {sd['parameters']} parameters, {sd['base_samples']:,} base "
                                 f"samples; setup {sd['setup_s']:.1f} s; agent-draws/s n/a (base-case evaluations)"))
        except ChildFailed as e:
            lines.append(row("W4 Sobol", None, None, None, "failed (see below)"))
            notes_after.append(f"W4 failed: {e}")
    elif "W4" in only:
        lines.append(row("W4 Sobol", None, None, None, "skipped in --quick (name it: --quick --only W4)"))

    if "CLI" in only:
        agent_draws = cli_agent_draws()
        with tempfile.TemporaryDirectory(prefix="simsav-bench-") as tmp:
            cache = os.path.join(tmp, "numba-cache")
            os.mkdir(cache)
            env = {"NUMBA_CACHE_DIR": cache}
            out = os.path.join(tmp, "hr.nc")
            _progress("CLI cold (empty numba cache: compiles)")
            cold = run_child(cli_argv(out), env, expect_json=False)
            warm_runs = []
            for _ in range(repeat):
                _progress("CLI warm (numba cache filled)")
                warm_runs.append(run_child(cli_argv(out), env, expect_json=False))
        warm = min(warm_runs, key=lambda m: m.wall_s)
        cmd = f"simsav run {CLI_CONFIG} --out <tmp>"
        lines.append(row("CLI warm", warm.wall_s, agent_draws / warm.wall_s, warm.peak_mb,
                         f"{cmd}; best of {len(warm_runs)}; end to end"))
        from simsav.cli import COMPILE_NOTE

        noted = "printed the compile note" if COMPILE_NOTE in cold.stderr else "NO compile note"
        again = sum(COMPILE_NOTE in w.stderr for w in warm_runs)
        lines.append(row("CLI cold", cold.wall_s, agent_draws / cold.wall_s, cold.peak_mb,
                         f"{cmd}; fresh NUMBA_CACHE_DIR: compiles; {noted}; warm runs that compiled again: {again}"))
        targets.append(Target("CLI warm wall time", warm.wall_s, 3.0, True, "s"))
        targets.append(Target("CLI cold wall time", cold.wall_s, 30.0, True, "s"))

    if "DASK" in only:
        spec = workloads.SPECS["W3"]
        draws = spec.quick_draws if quick else spec.draws
        runs = {}
        for workers in (0, 1, 2):
            where = "this process" if workers == 0 else f"LocalCluster, {workers} worker{'s' * (workers > 1)}"
            _progress(f"W3 simsav.simulate on {where}")
            m = measure("simulate", "W3", draws, workers=workers)
            runs[workers] = m.data
            note = (f"{m.data['threads']} numba threads" if workers == 0 else
                    f"1 thread each; cluster start {m.data['cluster_start_s']:.1f} s and first run "
                    f"{m.data['warm_up_s']:.1f} s (compile or cache load per worker) not counted")
            if workers == 2:
                note += f"; {runs[1]['seconds'] / (2 * m.data['seconds']):.0%} parallel efficiency vs 1 worker"
            lines.append(row(f"W3 simulate, {where}", m.data["seconds"], m.data["agent_draws"] / m.data["seconds"],
                             m.peak_mb if workers == 0 else None, note))
        notes_after.append("W3 simulate rows: simsav.simulate end to end (sampling, kernel, Dataset); peak MB of the "
                           "dask rows is not shown (the work runs in the worker processes).")

    print(HEADER)
    print("-" * len(HEADER))
    for ln in lines:
        print(ln)
    if targets:
        print()
        print(f"{'target (issue 6)':<44} {'measured':>12} {'target':>12}  status")
        print("-" * 100)
        for t in targets:
            print(t.line())
    for note in notes_after:
        print()
        print(note)
    load_after = os.getloadavg()
    print()
    print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; "
          f"total {time.perf_counter() - started_all:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
