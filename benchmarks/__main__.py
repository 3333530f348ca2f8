"""``python -m benchmarks``: the issue-6 benchmark table with its targets, measured in one run.

Every measurement runs in a fresh subprocess (``python -m benchmarks.measure ...``, or the
``simsav`` console script itself), so each workload pays its own imports and none inherits
another's memory.
Peak memory is that subprocess's peak resident set size, from ``os.wait4``'s rusage
(``ru_maxrss``): the whole process (Python, numba and its compiled code, the workload),
in MB of 10^6 bytes. The subprocesses are started by a bare Python spawner: Linux carries a
process's peak over exec, so one forked from this process would report at least its size.
Wall times are ``time.perf_counter`` seconds; a kernel time is the best of a few runs with
the JIT already warm (one draw first). Other processes share the cores, so the load average
is printed before and after.

    python -m benchmarks                 # W1 W2 W3 W4 CLI DASK, a few minutes
    python -m benchmarks --quick         # fewer draws, no W4 unless named: a smoke test, no verdicts
    python -m benchmarks --only W1,W2
    python -m benchmarks --only MEMORY   # peak memory of simsav run at 10k, 100k and 1M draws (minutes)
    python -m benchmarks --only NATIONAL # configs/national.toml into zarr: 100k draws' client peak, scaling
    python -m benchmarks --only MONITOR  # a warm simsav monitor: Holland Rijnland, a 150-person register, 2,000 draws
    python -m benchmarks --only CLI      # the command line's latency (alias LATENCY); one part of it:
    python -m benchmarks --only CLI.help # CLI.help CLI.validate CLI.run CLI.cold-run CLI.cold-table

The CLI block runs the real console script (``.venv/bin/simsav`` beside this interpreter):
``simsav --help``, ``simsav validate``, a warm ``simsav run`` (2,000 draws, best of a few
after a warm-up) and a new user's first ``simsav run`` and ``simsav table``, each with an
empty ``NUMBA_CACHE_DIR`` of its own, checked for one compile note and, for ``table``, for
compiling the expected-value kernel only.
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
NAMES = ("W1", "W2", "W3", "W4", "CLI", "MEMORY", "MONITOR", "DASK", "NATIONAL")
ALIASES = {"LATENCY": "CLI"}
# the parts of the CLI block, in the order they run; ``--only CLI.<part>`` runs one
CLI_PARTS = ("help", "validate", "cold-run", "run", "cold-table")
# The NumPy yardstick takes ~0.3 s a draw on W2 and ~5 s on W3 here: it runs on these many
# draws and its time is scaled to the workload's draws (a full run would take 1 and 9 minutes).
NUMPY_DRAWS = {"W2": 40, "W3": 5}
NUMPY_DRAWS_QUICK = {"W2": 2, "W3": 1}
CLI_CONFIG = workloads.CLI_CONFIG
MB_LIMIT_W3 = 1000.0  # "under 1 GB", 10^9 bytes
# the command line's targets on the 2-core machine (seconds)
CLI_HELP_S, CLI_VALIDATE_S, CLI_WARM_RUN_S, CLI_FIRST_S = 0.3, 0.5, 1.0, 10.0
KERNELS = ("simulate_draws", "expected_draws")  # the numba kernels a command may compile


@dataclass
class Measured:
    """One child process: its wall time, peak memory and what it printed (JSON)."""

    wall_s: float
    peak_mb: float
    data: dict = field(default_factory=dict)
    stderr: str = ""
    stdout: str = ""


class ChildFailed(RuntimeError):
    pass


# Linux carries a process's peak RSS over exec: a child forked from this process (numba and
# numpy loaded, ~90 MB) would report at least this process's size. The children are started
# by a bare Python spawner instead (stdlib only, ~10 MB), so a child's peak is its own.
_SPAWNER_CODE = r"""
import json, os, subprocess, sys, tempfile, time
for line in sys.stdin:
    job = json.loads(line)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(job["argv"], stdout=out, stderr=err, env=job["env"], cwd=job["cwd"])
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        reply = dict(wall=wall, maxrss_kb=usage.ru_maxrss, rc=os.waitstatus_to_exitcode(status),
                     stdout=out.read().decode(errors="replace"), stderr=err.read().decode(errors="replace"))
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
"""
_spawner: subprocess.Popen | None = None


def _spawn(argv: list[str], env: dict) -> dict:
    """Run ``argv`` from the spawner (started on first use); return its wall time, rusage and output."""
    global _spawner
    if _spawner is None or _spawner.poll() is not None:
        _spawner = subprocess.Popen([sys.executable, "-S", "-c", _SPAWNER_CODE], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, text=True, cwd=REPO)
    _spawner.stdin.write(json.dumps(dict(argv=argv, env=env, cwd=str(REPO))) + "\n")
    _spawner.stdin.flush()
    reply = _spawner.stdout.readline()
    if not reply:
        raise ChildFailed(f"the spawner of {' '.join(argv[-4:])} ended with {_spawner.wait()}")
    return json.loads(reply)


def run_child(argv: list[str], env: dict | None = None, expect_json: bool = True) -> Measured:
    """Run ``argv`` in a fresh process from the repository root; return wall time, peak RSS and its JSON line."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    done = _spawn([str(a) for a in argv], full_env)
    stdout, stderr = done["stdout"], done["stderr"]
    if done["rc"] != 0:
        raise ChildFailed(f"{' '.join(argv[-4:])} exited with {done['rc']}:\n{stderr[-2000:]}")
    data = {}
    if expect_json:
        lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
        if not lines:
            raise ChildFailed(f"{' '.join(argv)} printed no result:\n{stdout[-1000:]}\n{stderr[-1000:]}")
        data = json.loads(lines[-1])
    return Measured(done["wall"], done["maxrss_kb"] * 1024 / 1e6, data, stderr, stdout)


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


def cli_argv(*args: str) -> list[str]:
    """The argv of ``simsav ARGS...``: the real console script of this interpreter."""
    return [*workloads.simsav_command(), *args]


def cli_run_argv(out: str) -> list[str]:
    """The argv of ``simsav run configs/holland-rijnland.toml --out OUT --no-progress``."""
    return cli_argv("run", CLI_CONFIG, "--out", out, "--no-progress")


def cli_agent_draws() -> tuple[int, int]:
    """Return (agent-draws, draws) of ``simsav run configs/holland-rijnland.toml`` with its default draws."""
    from simsav.cli import main
    from simsav.config import load_config
    from simsav.model.compile import compile_config

    draws = int(next(p.default for p in main.commands["run"].params if p.name == "draws"))
    return compile_config(load_config(REPO / CLI_CONFIG)).n_agents * draws, draws


def compiled_kernels(cache_dir: str) -> list[str]:
    """Return the kernels (of KERNELS) whose numba cache index (``*.nbi``) is in ``cache_dir``."""
    from pathlib import Path

    return [k for k in KERNELS if any(Path(cache_dir).rglob(f"*{k}*.nbi"))]


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


QUICK_STATUS = "(quick)"  # what --quick prints instead of a verdict: its numbers are not measurements


@dataclass
class Target:
    label: str
    measured: float | None
    limit: float
    upper: bool  # True: measured must be <= limit; False: >= limit
    unit: str
    why_missing: str = ""

    def line(self, quick: bool = False) -> str:
        fmt = (lambda v: f"{v:.0%}") if self.unit == "%" else (lambda v: f"{v:,.3g} {self.unit}".strip())
        bound = ("<= " if self.upper else ">= ") + fmt(self.limit)
        if self.measured is None:
            return f"{self.label:<44} {'-':>12} {bound:>12}  not measured {self.why_missing}".rstrip()
        if quick:
            return f"{self.label:<44} {fmt(self.measured):>12} {bound:>12}  {QUICK_STATUS}"
        ratio = self.measured / self.limit
        ok = ratio <= 1.0 if self.upper else ratio >= 1.0
        if self.upper:
            margin = f"{1 - ratio:.0%} under the limit" if ok else f"{ratio:.2f}x the limit ({ratio - 1:.0%} over)"
        else:
            margin = f"{ratio:.2f}x the minimum" if ok else f"{1 - ratio:.0%} short of the minimum"
        return f"{self.label:<44} {fmt(self.measured):>12} {bound:>12}  {'PASS' if ok else 'MISS'}: {margin}"


@dataclass
class Check:
    """A yes-or-no property of a run (not a timing): printed with the targets, ``ok`` or ``FAILED``
    in every mode (a --quick run checks it as well as a full one)."""

    label: str
    found: str
    wanted: str
    ok: bool | None  # None: could not be checked (the command failed)
    detail: str = ""

    def line(self, quick: bool = False) -> str:
        status = "not checked" if self.ok is None else ("ok" if self.ok else "FAILED")
        return f"{self.label:<44} {self.found:>12} {self.wanted:>12}  {status}{': ' + self.detail if self.detail else ''}"


# ---------------------------------------------------------------------------- the run
def _progress(msg: str) -> None:
    print(f"... {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- the command line's latency
def _best_of(argv: list[str], env: dict | None, repeat: int) -> tuple[Measured, list[Measured]]:
    """Run ``argv`` once to warm up (imports, bytecode, the OS's file cache), then ``repeat`` times;
    return the fastest run and the timed runs."""
    run_child(argv, env, expect_json=False)
    runs = [run_child(argv, env, expect_json=False) for _ in range(repeat)]
    return min(runs, key=lambda m: m.wall_s), runs


def _short(kernels: list[str]) -> str:
    """``["simulate_draws", "expected_draws"]`` -> ``"simulate+expected"``; nothing -> ``"none"``."""
    return "+".join(k.split("_")[0] for k in kernels) or "none"


def cli_block(parts, repeat: int) -> tuple[list[str], list, list[str]]:
    """Measure the ``parts`` of the CLI block (of CLI_PARTS), each command in fresh processes of the
    real console script; return (table rows, targets and checks, notes printed after the table).

    help, validate: best of ``repeat`` after a warm-up. cold-run, cold-table: a new user's first
    command, an empty NUMBA_CACHE_DIR each: one compile note, and only the kernels it needs
    (``*.nbi`` in the cache). run: warm, on cold-run's cache (else one of its own, filled by
    the warm-up run), best of ``repeat`` after a warm-up; none of them may compile again.
    """
    from simsav.cli.common import COMPILE_NOTE

    lines: list[str] = []
    targets: list = []
    notes: list[str] = []
    script = " ".join(workloads.simsav_command())
    notes.append(f"CLI rows: {script} (the console script), a fresh process per run, from the repository root; "
                 f"peak MB: that process's peak RSS.")
    agent_draws, draws = cli_agent_draws() if {"run", "cold-run"} & set(parts) else (None, None)
    run_cmd = f"simsav run {CLI_CONFIG} --out <tmp>"

    def failed(label: str, e: ChildFailed, *lost: Target) -> None:
        lines.append(row(label, None, None, None, "failed (see below)"))
        notes.append(f"{label} failed: {e}")
        for t in lost:
            t.why_missing = "(the command failed)"
            targets.append(t)

    with tempfile.TemporaryDirectory(prefix="simsav-bench-cli-") as tmp:
        out = os.path.join(tmp, "hr.nc")
        warm_cache = None
        for part in parts:
            if part == "help":
                label = "CLI simsav --help"
                _progress("CLI simsav --help")
                try:
                    best, runs = _best_of(cli_argv("--help"), None, repeat)
                except ChildFailed as e:
                    failed(label, e, Target("CLI `simsav --help` wall time", None, CLI_HELP_S, True, "s"))
                    continue
                lines.append(row(label, best.wall_s, None, best.peak_mb,
                                 f"simsav --help; best of {len(runs)} after a warm-up"))
                targets.append(Target("CLI `simsav --help` wall time", best.wall_s, CLI_HELP_S, True, "s"))
            elif part == "validate":
                label = "CLI simsav validate"
                _progress(f"CLI simsav validate {CLI_CONFIG}")
                try:
                    best, runs = _best_of(cli_argv("validate", CLI_CONFIG), None, repeat)
                except ChildFailed as e:
                    failed(label, e, Target("CLI `simsav validate` wall time", None, CLI_VALIDATE_S, True, "s"))
                    continue
                lines.append(row(label, best.wall_s, None, best.peak_mb,
                                 f"simsav validate {CLI_CONFIG}; best of {len(runs)} after a warm-up"))
                targets.append(Target("CLI `simsav validate` wall time", best.wall_s, CLI_VALIDATE_S, True, "s"))
            elif part in ("cold-run", "cold-table"):
                command = "run" if part == "cold-run" else "table"
                label = f"CLI simsav {command}, first use (cold)"
                cache = tempfile.mkdtemp(prefix=f"numba-{part}-", dir=tmp)
                wanted = list(KERNELS) if command == "run" else ["expected_draws"]
                argv = cli_run_argv(out) if command == "run" else cli_argv("table", CLI_CONFIG)
                shown = run_cmd if command == "run" else f"simsav table {CLI_CONFIG}"
                _progress(f"CLI {shown}, empty numba cache (compiles)")
                target = Target(f"CLI first `simsav {command}`, empty numba cache", None, CLI_FIRST_S, True, "s")
                try:
                    cold = run_child(argv, {"NUMBA_CACHE_DIR": cache}, expect_json=False)
                except ChildFailed as e:
                    failed(label, e, target)
                    continue
                n_notes = cold.stderr.count(COMPILE_NOTE)
                kernels = compiled_kernels(cache)
                rate = agent_draws / cold.wall_s if command == "run" else None
                lines.append(row(label, cold.wall_s, rate, cold.peak_mb,
                                 f"{shown}; empty NUMBA_CACHE_DIR; compile notes printed: {n_notes}; "
                                 f"compiled: {', '.join(kernels) or 'nothing'}"))
                target.measured = cold.wall_s
                targets.append(target)
                targets.append(Check(f"CLI first `simsav {command}`: compile notes", str(n_notes), "1",
                                     n_notes == 1, "" if n_notes == 1 else "one note wanted on stderr"))
                targets.append(Check(f"CLI first `simsav {command}`: compiled", _short(kernels), _short(wanted),
                                     kernels == wanted, "" if kernels == wanted else
                                     f"compiled {', '.join(kernels) or 'nothing'}, needs {', '.join(wanted)}"))
                if command == "run":
                    warm_cache = cache
            elif part == "run":
                label = "CLI simsav run, warm"
                fresh = warm_cache is None
                cache = warm_cache or tempfile.mkdtemp(prefix="numba-warm-", dir=tmp)
                _progress(f"CLI {run_cmd}, warm numba cache" + (" (the warm-up compiles)" if fresh else ""))
                target = Target(f"CLI warm `simsav run`, {draws:,} draws", None, CLI_WARM_RUN_S, True, "s")
                try:
                    best, runs = _best_of(cli_run_argv(out), {"NUMBA_CACHE_DIR": cache}, repeat)
                except ChildFailed as e:
                    failed(label, e, target)
                    continue
                again = sum(COMPILE_NOTE in r.stderr for r in runs)
                lines.append(row(label, best.wall_s, agent_draws / best.wall_s, best.peak_mb,
                                 f"{run_cmd}; {draws:,} draws; best of {len(runs)} after a warm-up"
                                 f"{' (which filled an empty cache)' if fresh else ''}; end to end"))
                target.measured = best.wall_s
                targets.append(target)
                targets.append(Check("CLI warm `simsav run`s that compiled again", str(again), "0", again == 0))
    return lines, targets, notes


MONITOR_S = 10.0  # issue 14: "simsav monitor on Holland Rijnland with a 150-person register, 2,000 draws: <= 10 s warm"
MONITOR_PEOPLE, MONITOR_AS_OF, MONITOR_DRAWS = 150, "2026-06", 2000


def monitor_block(quick: bool, repeat: int) -> tuple[list[str], list]:
    """Time a warm ``simsav monitor`` end to end (a fresh process of the console script each run, best of
    ``repeat`` after a warm-up that fills an empty numba cache): Holland Rijnland with its cohort set to
    150 people, a register of them simulated to 2026-06 (month 29 of 60: everyone has started), 2,000
    draws: the ledger, the settlement, the posterior (sequential Monte Carlo), simsav run's forecast and
    the re-forecast."""
    import re

    lines: list[str] = []
    targets: list = []
    draws = 200 if quick else MONITOR_DRAWS
    with tempfile.TemporaryDirectory(prefix="simsav-bench-monitor-") as tmp:
        text = open(os.path.join(REPO, CLI_CONFIG), encoding="utf-8").read()
        text, n = re.subn(r"(?m)^size = 120\b", f"size = {MONITOR_PEOPLE}", text)
        config = os.path.join(tmp, "holland-rijnland-150.toml")
        register = os.path.join(tmp, "register.csv")
        target = Target(f"MONITOR warm `simsav monitor`, {MONITOR_PEOPLE} people, {draws:,} draws", None, MONITOR_S,
                        True, "s")
        if n != 1:
            lines.append(row("MONITOR simsav monitor, warm", None, None, None, "not run: no 'size = 120' in the config"))
            target.why_missing = "(the config changed)"
            return lines, [target]
        try:
            with open(config, "w", encoding="utf-8") as f:
                f.write(text)
            env = {"NUMBA_CACHE_DIR": tempfile.mkdtemp(prefix="numba-monitor-", dir=tmp)}
            _progress(f"MONITOR register simulate ({MONITOR_PEOPLE} people to {MONITOR_AS_OF})")
            run_child(cli_argv("register", "simulate", config, "--as-of", MONITOR_AS_OF, "--seed", "1", "--out",
                               register), env, expect_json=False)
            argv = cli_argv("monitor", config, "--register", register, "--as-of", MONITOR_AS_OF, "--draws", str(draws),
                            "--seed", "0", "--lang", "en")
            _progress(f"MONITOR simsav monitor, {draws:,} draws (the warm-up compiles)")
            best, runs = _best_of(argv, env, repeat)
        except ChildFailed as e:
            lines.append(row("MONITOR simsav monitor, warm", None, None, None, f"failed: {e}"))
            target.why_missing = "(the command failed)"
            return lines, [target]
        method = re.search(r"Method: sequential Monte Carlo, (\d+) tempering stages, (\d+) moves", best.stdout or "")
        lines.append(row("MONITOR simsav monitor, warm", best.wall_s, None, best.peak_mb,
                         f"holland-rijnland with [cohort] size = {MONITOR_PEOPLE}; a register simulated to "
                         f"{MONITOR_AS_OF} (seed 1); --draws {draws:,}; best of {len(runs)} after a warm-up; end to "
                         f"end" + (f"; SMC {method.group(1)} stages, {method.group(2)} moves" if method else "")))
        target.measured = best.wall_s
        targets.append(target)
    return lines, targets


MEMORY_DRAWS = (10_000, 100_000, 1_000_000)
MEMORY_DRAWS_QUICK = (1_000, 10_000)
MB_LIMIT_RUN = 1000.0  # issue 12: "<= 1 GB at 1M draws", 10^9 bytes


def memory_block(quick: bool) -> tuple[list[str], list]:
    """Peak memory of ``simsav run configs/holland-rijnland.toml --draws N`` for growing N: the
    results are written chunk by chunk, so the peak must not grow with N beyond one chunk."""
    lines, targets = [], []
    peaks = {}
    with tempfile.TemporaryDirectory(prefix="simsav-bench-memory-") as tmp:
        out = os.path.join(tmp, "hr.nc")
        for draws in (MEMORY_DRAWS_QUICK if quick else MEMORY_DRAWS):
            _progress(f"MEMORY simsav run {CLI_CONFIG} --draws {draws:,}")
            try:
                m = run_child(cli_run_argv(out) + ["--draws", str(draws)], None, expect_json=False)
            except ChildFailed as e:
                lines.append(row(f"MEMORY run, {draws:,} draws", None, None, None, f"failed: {e}"))
                continue
            size = os.path.getsize(out) / 1e6
            peaks[draws] = m.peak_mb
            lines.append(row(f"MEMORY run, {draws:,} draws", m.wall_s, None, m.peak_mb,
                             f"simsav run {CLI_CONFIG} --draws {draws:,}; results file {size:,.0f} MB, "
                             f"written chunk by chunk"))
            os.unlink(out)
    if peaks:
        most = max(peaks)
        targets.append(Target(f"MEMORY peak of `simsav run`, {most:,} draws", peaks[most], MB_LIMIT_RUN, True, "MB"))
        least = min(peaks)
        if most != least:
            targets.append(Target(f"MEMORY peak growth {least:,} -> {most:,} draws", peaks[most] / peaks[least],
                                  1.25, True, "x"))
    return lines, targets


NATIONAL_DRAWS, NATIONAL_DRAWS_QUICK = 100_000, 2_000
NATIONAL_SCALING_DRAWS, NATIONAL_SCALING_DRAWS_QUICK = 10_000, 200
MB_LIMIT_NATIONAL = 1000.0  # issue 15: "peak client memory for 100,000 draws ... under 1 GB", 10^9 bytes


def national_block(quick: bool) -> tuple[list[str], list]:
    """configs/national.toml (35 regions) into a zarr store: the client's peak memory and time at
    100,000 draws in this process (the client computes every chunk itself: the hardest case for its
    memory), and the scaling at 10,000 draws here and on a LocalCluster of 1 and 2 workers, each
    worker computing its chunks and writing them to the store itself (docs/scaling.md)."""
    lines, targets = [], []
    big = NATIONAL_DRAWS_QUICK if quick else NATIONAL_DRAWS
    small = NATIONAL_SCALING_DRAWS_QUICK if quick else NATIONAL_SCALING_DRAWS
    runs = {}
    for workers, draws in ((0, small), (1, small), (2, small), (0, big)):
        where = "this process" if workers == 0 else f"LocalCluster, {workers} worker{'s' * (workers > 1)}"
        _progress(f"NATIONAL configs/national.toml, {draws:,} draws, {where}")
        label = f"NATIONAL {draws:,} draws, " + ("local" if workers == 0 else f"{workers} worker{'s' * (workers > 1)}")
        try:
            m = measure("national", None, draws, workers=workers)
        except ChildFailed as e:
            lines.append(row(label, None, None, None, f"failed: {e}"))
            continue
        d = m.data
        runs[(workers, draws)] = d
        note = (f"{d['regions']} regions, {d['agents']:,} agents; zarr store {d['store_mb']:,.0f} MB; client peak "
                f"{d['client_peak_mb']:,.0f} MB")
        if workers:
            note += f"; cluster start {d['cluster_start_s']:.1f} s, warm-up {d['warm_up_s']:.1f} s not counted"
            if workers == 2 and (1, draws) in runs:
                note += f"; {runs[(1, draws)]['seconds'] / (2 * d['seconds']):.0%} parallel efficiency vs 1 worker"
        else:
            note += f"; {d['threads']} numba threads"
        lines.append(row(label, d["seconds"], d["agent_draws"] / d["seconds"], d["client_peak_mb"], note))
    if (0, big) in runs:
        targets.append(Target(f"NATIONAL client peak, {big:,} draws", runs[(0, big)]["client_peak_mb"],
                              MB_LIMIT_NATIONAL, True, "MB"))
    return lines, targets


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="fewer draws and single runs, W4 only when named: a smoke test, not a measurement")
    ap.add_argument("--only", default=None, metavar="W1,W2,...",
                    help=f"comma-separated subset of {', '.join(NAMES)} (default: all); CLI (alias LATENCY) "
                         f"is the command line's latency, CLI.<part> one part of it: {', '.join(CLI_PARTS)}")
    args = ap.parse_args(argv)
    named = args.only is not None
    only = [n.strip().upper() for n in (args.only or ",".join(NAMES)).split(",") if n.strip()]
    only = [ALIASES.get(n, n) for n in only]
    choices = [*NAMES, *(f"CLI.{p}" for p in CLI_PARTS)]
    unknown = [n for n in only if n not in {c.upper() for c in choices}]
    if unknown or not only:
        ap.error(f"--only: unknown {', '.join(unknown) or '(empty)'}; choose from {', '.join(choices)} "
                 f"(LATENCY: CLI)")
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
    print("peak MB: peak RSS of the measuring subprocess (os.wait4 ru_maxrss, started from a bare Python so the "
          "figure is its own), Python + numba + workload")
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

    cli_parts = [p for p in CLI_PARTS if "CLI" in only or f"CLI.{p}".upper() in only]
    if cli_parts:
        cli_lines, cli_targets, cli_notes = cli_block(cli_parts, repeat)
        lines += cli_lines
        targets += cli_targets
        notes_after += cli_notes

    if "MEMORY" in only:
        mem_lines, mem_targets = memory_block(quick)
        lines += mem_lines
        targets += mem_targets

    if "MONITOR" in only:
        mon_lines, mon_targets = monitor_block(quick, repeat)
        lines += mon_lines
        targets += mon_targets

    if "NATIONAL" in only:
        nat_lines, nat_targets = national_block(quick)
        lines += nat_lines
        targets += nat_targets

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
        print(f"{'target':<44} {'measured':>12} {'target':>12}  status"
              f"{' (--quick: no verdicts, a smoke test is not a measurement)' if quick else ''}")
        print("-" * 100)
        for t in targets:
            print(t.line(quick))
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
