"""Every example a reader is shown runs: in a ``--help`` text, the README and docs/*.md.

The examples are collected, not listed here, so a new one is covered the day it is written:

- **help**: every line of a command's help (the ``simsav`` group and each of its commands) that
  starts with ``simsav ``, a line ending in ``\\`` joined to the next;
- **Markdown** (README.md, docs/*.md): every ``simsav`` command in a ```bash, ```sh, ```shell or
  ```console block (a line, continuations joined; a ``$ `` prompt and ``# comments`` dropped;
  a line split at ``&&``, so ``pip install ... && .venv/bin/simsav run ...`` gives its simsav
  part; ``VAR=value`` before the command kept), and every ```python block, the blocks of one file
  run in order in one namespace, as a reader pasting them into one session would.

How they run: in a temporary directory holding a copy of configs/, so that what they write
(``results/``, ``--out``, ``--plots``, ``--xlsx``, figures) lands there. Commands run in this
process through click's CliRunner (the kernels stay compiled); one that sets environment
variables runs in a subprocess, since they must be set before Python starts. An example that
reads ``results/NAME.nc`` gets it first from ``simsav run configs/NAME.toml`` (shrunk).

Shrunk for speed, the meaning kept (only sample sizes change, never an option's choice):
``--draws N`` / ``-n N`` of run, share, report and compare becomes at most 20, and is added at 20
where the example leaves the default (2,000), of monitor and voi at most 200; sensitivity's ``--n`` becomes at most 16 (sobol needs a
power of 2) and ``--inner`` at most 3; in Python, the keyword arguments ``draws=``, ``n=``,
``outer=`` and ``inner=`` likewise. A ```console block that shows output after its ``$ simsav
...`` line is run as written, unshrunk, and its output must be the text shown, exactly.

Expected exit status: 0, or N where the example's comment says ``exit status N``.
Skipped (SKIP): only what needs something no test machine has: a running dask scheduler.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from simsav.cli import main

REPO = Path(__file__).resolve().parents[1]
MARKDOWN_FILES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SHELL_LANGUAGES = {"bash", "sh", "shell", "console"}

SMALL = {"draws": 20, "posterior": 200, "n": 16, "outer": 16, "inner": 3}
"""At most this many: Monte Carlo draws; monitor's and voi's draws (a posterior or a regression
needs a couple of hundred); sensitivity's --n / n=; variance's outer= and inner=."""

SKIP = {
    "tcp://scheduler-host": "needs a dask scheduler running at that address",
}
"""Substring of an example -> why it cannot run on a test machine (kept minimal)."""


@dataclass
class Example:
    source: str        # where a reader sees it: "simsav run --help" or "docs/sharing.md:10"
    text: str          # as shown
    env: dict = field(default_factory=dict)
    args: list = field(default_factory=list)  # after "simsav"
    exit_status: int = 0
    output: str | None = None  # the output a console block shows after the command

    @property
    def id(self) -> str:
        env = "".join(f"{k}={v} " for k, v in self.env.items())
        return f"{self.source}: {env}simsav {shlex.join(self.args)}"


def _command(line: str, source: str) -> list[Example]:
    """Return the simsav commands in one shell line (``&&``-separated parts that run simsav)."""
    status = re.search(r"#.*\bexit status (\d+)", line)
    examples = []
    tokens = shlex.split(line, comments=True)
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token == "&&":
            parts.append([])
        else:
            parts[-1].append(token)
    for part in parts:
        env = {}
        while part and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", part[0]):
            key, value = part.pop(0).split("=", 1)
            env[key] = value
        if part and (part[0] == "simsav" or part[0].endswith("/simsav")):
            examples.append(Example(source, line.strip(), env, part[1:], int(status.group(1)) if status else 0))
    return examples


def _joined(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Return (number, line) with lines ending in a backslash joined to the next."""
    out: list[tuple[int, str]] = []
    pending = None
    for number, line in lines:
        if pending is not None:
            number, line = pending[0], pending[1] + " " + line.strip()
        if line.rstrip().endswith("\\"):
            pending = (number, line.rstrip()[:-1].rstrip())
            continue
        pending = None
        out.append((number, line))
    return out


def help_examples() -> list[Example]:
    """Return the examples of the ``simsav`` group's help and of every command's."""
    commands = [("simsav", main), *((f"simsav {name}", cmd) for name, cmd in sorted(main.commands.items()))]
    examples = []
    for name, cmd in commands:
        lines = [(0, line.strip()) for line in (cmd.help or "").splitlines()]
        for _, line in _joined(lines):
            if line.startswith("simsav "):
                examples += _command(line, f"{name} --help")
    return examples


def fenced_blocks(path: Path) -> list[tuple[str, int, list[str]]]:
    """Return (language, line number of the first line, lines) of every fenced block of a Markdown file."""
    blocks = []
    language, start, body = None, 0, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if language is None:
            m = re.match(r"^```(\w*)\s*$", line)
            if m:
                language, start, body = m.group(1), number + 1, []
        elif line.startswith("```"):
            blocks.append((language, start, body))
            language = None
        else:
            body.append(line)
    return blocks


def markdown_examples() -> list[Example]:
    """Return the simsav commands in the shell blocks of the README and docs/."""
    examples = []
    for path in MARKDOWN_FILES:
        where = path.relative_to(REPO).as_posix()
        for language, start, body in fenced_blocks(path):
            if language not in SHELL_LANGUAGES:
                continue
            numbered = list(enumerate(body, start))
            if language == "console":  # "$ command" lines; the lines after one are its output
                current: list[Example] = []
                output: list[str] = []
                for number, line in numbered + [(None, "$ ")]:
                    if line.startswith("$ "):
                        if current and output:
                            current[-1].output = "\n".join(output) + "\n"
                        current, output = _command(line[2:], f"{where}:{number}") if number else [], []
                        examples += current
                    elif current:
                        output.append(line)
            else:
                for number, line in _joined(numbered):
                    examples += _command(line, f"{where}:{number}")
    return examples


def python_blocks(path: Path) -> list[tuple[int, str]]:
    return [(start, "\n".join(body) + "\n") for language, start, body in fenced_blocks(path) if language == "python"]


def _skip_reason(text: str) -> str | None:
    return next((why for needle, why in SKIP.items() if needle in text), None)


# ---------------------------------------------------------------------------------- shrinking


def _option_value(args: list[str], names: tuple[str, ...]) -> str | None:
    for i, arg in enumerate(args):
        if arg in names and i + 1 < len(args):
            return args[i + 1]
        for name in names:
            if name.startswith("--") and arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def _at_most(args: list[str], names: tuple[str, ...], limit: int) -> list[str]:
    """Return args with option ``names`` at most ``limit`` (added at ``limit`` when absent)."""
    out, found = [], False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in names and i + 1 < len(args):
            out += [arg, str(min(int(args[i + 1]), limit))]
            found, i = True, i + 2
            continue
        name = next((n for n in names if n.startswith("--") and arg.startswith(n + "=")), None)
        if name:
            out.append(f"{name}={min(int(arg.split('=', 1)[1]), limit)}")
            found = True
        else:
            out.append(arg)
        i += 1
    return out if found else [*out, names[0], str(limit)]


def shrunk(args: list[str]) -> list[str]:
    """Return a command's arguments with its sample sizes made small (module docstring)."""
    if not args:
        return args
    command, rest = args[0], args[1:]
    if command == "run" and "--base-case" not in rest:
        return [command, *_at_most(rest, ("--draws", "-n"), SMALL["draws"])]
    if command in ("report", "compare") or (command == "share" and not any(a.endswith(".nc") for a in rest)):
        return [command, *_at_most(rest, ("--draws", "-n"), SMALL["draws"])]
    if command in ("monitor", "voi"):
        return [command, *_at_most(rest, ("--draws", "-n"), SMALL["posterior"])]
    if command == "sensitivity":
        method = _option_value(rest, ("--method", "-m")) or "tornado"
        if method != "tornado":
            rest = _at_most(rest, ("--n", "-n"), SMALL["n"])
        if method == "variance":
            rest = _at_most(rest, ("--inner",), SMALL["inner"])
        return [command, *rest]
    return args


def shrunk_python(source: str) -> str:
    """Return Python source with its draws=, n=, outer= and inner= keyword arguments made small."""
    def small(m: re.Match) -> str:
        return f"{m.group(1)}={min(int(m.group(2).replace('_', '')), SMALL[m.group(1)])}"

    return re.sub(r"\b(draws|n|outer|inner)\s*=\s*(\d[\d_]*)\b", small, source)


# ---------------------------------------------------------------------------------- running


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """Return a temporary directory holding a copy of configs/, made the current directory."""
    shutil.copytree(REPO / "configs", tmp_path / "configs")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return tmp_path


def invoke(args: list[str], env: dict, cwd: Path) -> tuple[int, str, str]:
    """Return (exit status, stdout, stderr) of ``simsav ARGS`` run in ``cwd``."""
    if env:  # read when Python starts: a process of its own
        done = subprocess.run([sys.executable, "-m", "simsav.cli", *args], capture_output=True, text=True,
                              cwd=cwd, env={**os.environ, **env}, timeout=600, check=False)
        return done.returncode, done.stdout, done.stderr
    result = CliRunner().invoke(main, args, prog_name="simsav", catch_exceptions=True)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return result.exit_code, result.stdout, stderr


def _prepare(args: list[str], cwd: Path) -> None:
    """Make the results files an example reads (``results/NAME.nc``) from ``configs/NAME.toml``."""
    for arg in args:
        m = re.fullmatch(r"results/([\w.-]+)\.nc", arg)
        if m and not (cwd / arg).exists() and (cwd / "configs" / f"{m.group(1)}.toml").exists():
            status, out, err = invoke(shrunk(["run", f"configs/{m.group(1)}.toml"]), {}, cwd)  # writes results/NAME.nc
            assert status == 0, f"making {arg} for the example failed:\n{out}\n{err}"


def _check(example: Example, args: list[str], cwd: Path) -> tuple[str, str]:
    _prepare(args, cwd)
    status, out, err = invoke(args, example.env, cwd)
    assert status == example.exit_status, (
        f"{example.source}: `{example.text}` (run as `simsav {shlex.join(args)}`) exited {status}, "
        f"expected {example.exit_status}:\n{out}\n{err}")
    return out, err


# ---------------------------------------------------------------------------------- tests

HELP_EXAMPLES = help_examples()
MARKDOWN_EXAMPLES = markdown_examples()


def _params(examples: list[Example]) -> list:
    return [pytest.param(e, id=e.id, marks=[pytest.mark.skip(reason=why)] if (why := _skip_reason(e.text)) else [])
            for e in examples]


def test_examples_are_found():
    # The collectors see what a reader sees: each command's help has its examples, and so do the docs.
    sources = {e.source for e in HELP_EXAMPLES}
    assert {"simsav --help", *(f"simsav {name} --help" for name in main.commands)} <= sources
    files = {e.source.split(":")[0] for e in MARKDOWN_EXAMPLES}
    assert {"README.md", "docs/sensitivity.md", "docs/sharing.md", "docs/scaling.md"} <= files
    assert any(e.output for e in MARKDOWN_EXAMPLES), "the README's `simsav run` output block is not found"
    assert len(HELP_EXAMPLES) >= 2 * len(main.commands)


@pytest.mark.parametrize("example", _params(HELP_EXAMPLES + MARKDOWN_EXAMPLES))
def test_example_runs(example, workdir):
    _check(example, shrunk(example.args), workdir)


@pytest.mark.parametrize("example", _params([e for e in MARKDOWN_EXAMPLES if e.output]))
def test_shown_output_is_what_the_command_prints(example, workdir):
    out, _ = _check(example, example.args, workdir)  # as written: the text shows its draws
    assert out == example.output, (
        f"{example.source}: the output shown is not what `simsav {shlex.join(example.args)}` prints now; "
        f"replace the block with:\n{out}")


@pytest.mark.parametrize("path", [p for p in MARKDOWN_FILES if python_blocks(p)],
                         ids=lambda p: p.relative_to(REPO).as_posix())
def test_python_examples_run(path, workdir):
    import matplotlib.pyplot as plt

    namespace: dict = {"__name__": "__example__"}
    where = path.relative_to(REPO).as_posix()
    ran = 0
    try:
        for start, source in python_blocks(path):
            if _skip_reason(source):
                continue
            code = compile(shrunk_python(source), f"{where}:{start}", "exec")
            try:
                exec(code, namespace)  # noqa: S102  (running the docs' examples is the point)
            except Exception:  # noqa: BLE001  (any failure of an example is reported as its failure)
                pytest.fail(f"the Python example at {where}:{start} fails:\n{traceback.format_exc()}")
            ran += 1
    finally:
        plt.close("all")
    assert ran, f"every Python example in {where} is skipped"


def test_every_command_shows_an_example():
    shown = {e.args[0] for e in HELP_EXAMPLES if e.args}
    assert set(main.commands) <= shown


def test_shrinking_keeps_the_meaning():
    assert shrunk(["run", "c.toml", "--draws", "10000", "--seed", "7"]) == ["run", "c.toml", "--draws", "20",
                                                                             "--seed", "7"]
    assert shrunk(["run", "c.toml"]) == ["run", "c.toml", "--draws", "20"]
    assert shrunk(["run", "c.toml", "--base-case"]) == ["run", "c.toml", "--base-case"]
    assert shrunk(["share", "results/c.nc"]) == ["share", "results/c.nc"]
    assert shrunk(["report", "c.toml", "-n", "5"]) == ["report", "c.toml", "-n", "5"]
    assert shrunk(["sensitivity", "c.toml", "--method", "sobol", "--n", "1024"])[-1] == "16"
    assert shrunk(["sensitivity", "c.toml"]) == ["sensitivity", "c.toml"]
    assert shrunk(["table", "c.toml", "--by", "year"]) == ["table", "c.toml", "--by", "year"]
    assert shrunk_python("f(x, draws=100_000, seed=1, n=1024, bins=40)") == "f(x, draws=20, seed=1, n=16, bins=40)"
