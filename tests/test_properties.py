"""Property-based tests (hypothesis) of the bad-input contract.

Every ``simsav`` command, given a shipped config with random damage (values changed, deleted,
retyped, tables dropped, unknown keys, huge/NaN/negative numbers, strings with newlines and
escapes, the text cut or garbled) or random command-line options, either

- exits 0, and the results file it was asked for opens (``open_results``), nothing else written; or
- exits 2 with ``error: SOURCE: ...`` lines on stderr (one per problem, no duplicates), nothing
  on stdout, no traceback, and nothing written: no results file, no temporary file, no directory.

Each example runs in-process (click's CliRunner) in a fresh empty directory with a few draws,
with ``color=True``: as on a terminal, where click does not strip escape codes from the output.
Profiles (``HYPOTHESIS_PROFILE``): ``ci`` (the default under ``CI=true``; few examples,
derandomized), ``dev`` (the default otherwise), ``thorough`` (many examples, for a hunt).
The example database is off and hypothesis's caches go to the temporary directory: nothing
is written into the repository.
"""
from __future__ import annotations

import math
import os
import re
import tempfile
import tomllib
from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from conftest import REGION_CONFIGS, CONFIG_DIR, SMALL_CONFIG
from test_bad_input import EXIT_BAD_INPUT, cli_runner, problem_lines

from simsav.cli import main as cli_main

# hypothesis keeps caches in ./.hypothesis even without a database: not in the repository
set_hypothesis_home_dir(os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
                        or Path(tempfile.gettempdir()) / "simsav-hypothesis")
_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.filter_too_much])
settings.register_profile("ci", max_examples=100, derandomize=True, **_COMMON)
settings.register_profile("dev", max_examples=200, **_COMMON)
settings.register_profile("thorough", max_examples=2000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

SHIPPED = {p.stem: p.read_text(encoding="utf-8") for p in REGION_CONFIGS}
CONFIGS = {**SHIPPED, "small": SMALL_CONFIG}
CONFIG_NAME = "case.toml"

# --------------------------------------------------------------------------- hostile values

WEIRD_TEXT = ["", " ", "\n", "a\nb", "line\r\nbreak", "\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "\\", '"', "'",
              "\t", "\x00", "\x7f", "\x9b31m", "é", "\u202etxet", "😀", "=1+1", "=HYPERLINK(\"x\")", "@SUM(A1)",
              "$\\frac{1}{$", "a|b", "{}", "[]", "nan", "inf", "-1", "0", "1e308", "2024-13", "2300-01", "1677-12",
              "0000-00", "gemeente", "uwv", "bijstand", "ww", "beta", "normal", "monthly", "event", "annual",
              "working", "mediation", "x" * 300, "error: fake: line"]
NUMBERS = [0, -1, 1, 2, -0.0, 0.5, 1.5, 1e-300, 5e-324, 1e308, -1e308, 1e20, 10**18, 2**63 - 1, -2**63,
           math.nan, math.inf, -math.inf, 12, 60, 1000, 10**7, 10**7 + 1]

texts = st.one_of(st.sampled_from(WEIRD_TEXT),
                  st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))
scalars = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers(min_value=-2**63, max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
    st.booleans(),
    st.dates(),
)
values = st.one_of(scalars, st.lists(scalars, max_size=4),
                   st.dictionaries(st.sampled_from(["dist", "mean", "sd", "low", "high", "mode", "name", "x"]),
                                   scalars, max_size=3))


def _paths(obj, prefix=()):
    """Yield the path of every node below the root (dict keys and list positions)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


def _get(obj, path):
    for k in path:
        obj = obj[k]
    return obj


def _retype(v):
    """The same value in another TOML type: what a user might type by mistake."""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return [v]
    if isinstance(v, list):
        return v[0] if v else {}
    if isinstance(v, dict):
        return [v]
    return str(v)


@st.composite
def mutated_config(draw, names=tuple(SHIPPED)):
    """Return (name, text, what was done) of a config with one to three random edits."""
    name = draw(st.sampled_from(names))
    data = tomllib.loads(CONFIGS[name])
    done = []
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        op = draw(st.sampled_from(["replace", "replace", "delete", "add_key", "retype", "scale", "duplicate",
                                   "empty"]))
        path = draw(st.sampled_from(paths))
        parent, key = _get(data, path[:-1]), path[-1]
        if op == "replace":
            parent[key] = draw(values)
        elif op == "delete":
            del parent[key]
        elif op == "add_key":
            table = parent[key] if isinstance(parent[key], dict) else parent
            if isinstance(table, list):
                continue
            near = [str(k) + "s" for k in table] + [str(k)[:-1] for k in table if len(str(k)) > 1]
            table[draw(st.one_of(st.sampled_from(near or ["x"]), texts.filter(bool)))] = draw(values)
        elif op == "retype":
            parent[key] = _retype(parent[key])
        elif op == "scale":
            if isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
                factor = draw(st.sampled_from([-1, 0, 1e-9, 10, 1e6, 1e300, math.nan, math.inf]))
                try:
                    parent[key] = parent[key] * factor
                except OverflowError:
                    parent[key] = math.inf
        elif op == "duplicate":
            if isinstance(parent, list):
                parent.append(parent[key])
        elif op == "empty":
            v = parent[key]
            parent[key] = type(v)() if isinstance(v, (list, dict, str)) else 0
        done.append((op, path))
    text = tomlkit.dumps(data)
    edit = draw(st.sampled_from(["none"] * 6 + ["bom", "cut", "garble", "dup-line", "crlf"]))
    if edit == "bom":
        text = "\ufeff" + text
    elif edit == "cut":
        text = text[:draw(st.integers(0, len(text)))]
    elif edit == "garble":
        i = draw(st.integers(0, max(0, len(text) - 1)))
        text = text[:i] + draw(st.sampled_from(["\x00", "\x1b", "[", "]", "=", '"', "\n[[items]]\n", "{", "\\"])) \
            + text[i + 1:]
    elif edit == "dup-line":
        lines = text.splitlines(keepends=True)
        if lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "".join(lines)
    elif edit == "crlf":
        text = text.replace("\n", "\r\n")
    return name, text, done + [edit]


# --------------------------------------------------------------------------- the contract

ERROR_LINE = re.compile(r"^error: \S.*")
HELP_HINT = re.compile(r"^\(see '.*--help'\)$")
NOTE = re.compile(r"^(note|warning): ")


def _tree(directory: Path) -> set[str]:
    return {str(p.relative_to(directory)) for p in directory.rglob("*")}


def check_contract(r, cwd: Path, before: set[str], expected: list[str], source: str | None = None):
    """Check one run against the contract; ``expected``: the files a successful run writes."""
    where = f"stdout:\n{r.stdout[-2000:]}\nstderr:\n{r.stderr[-2000:]}"
    assert r.exception is None or isinstance(r.exception, SystemExit), \
        f"raised {r.exception!r} (a traceback for the user)\n{where}"
    assert "Traceback" not in r.stdout + r.stderr, where
    assert r.exit_code in (0, EXIT_BAD_INPUT), f"exit status {r.exit_code}\n{where}"
    assert "\x1b" not in r.stdout + r.stderr, f"a terminal escape code printed raw\n{where}"
    after = _tree(cwd)
    if r.exit_code == 0:
        extra = after - before - set(expected) - {str(Path(e).parent) for e in expected}
        assert not extra, f"written besides {expected}: {sorted(extra)}\n{where}"
        for name in expected:
            assert (cwd / name).is_file(), f"{name} not written\n{where}"
        return
    assert after == before, f"written for bad input: {sorted(after - before)}\n{where}"
    assert r.stdout == "", f"nothing belongs on stdout for bad input\n{where}"
    lines = problem_lines(r.stderr)
    errors = [line for line in lines if ERROR_LINE.match(line)]
    assert errors, f"no error line\n{where}"
    assert all(ERROR_LINE.match(line) or HELP_HINT.match(line) or NOTE.match(line) for line in lines), where
    assert len(set(errors)) == len(errors), f"a problem reported twice\n{where}"
    if source is not None:
        assert all(line.startswith(f"error: {source}: ") for line in errors), where


def run_in(tmp: Path, args: list[str], config_text: str | None):
    """Run ``simsav ARGS`` in-process in the empty directory ``tmp`` (with the config written there)."""
    if config_text is not None:
        (tmp / CONFIG_NAME).write_text(config_text, encoding="utf-8")
    before = _tree(tmp)
    old = os.getcwd()
    os.chdir(tmp)
    try:
        r = cli_runner().invoke(cli_main, [str(a) for a in args], color=True)
    finally:
        os.chdir(old)
    return r, before


def check_results(path: Path, draws: int | None):
    from simsav.model.results import open_results

    ds = open_results(path)
    if draws is not None:
        assert ds.sizes["draw"] == draws


# --------------------------------------------------------------------------- mutated configs


@given(case=mutated_config(), command=st.sampled_from(["validate", "run", "run", "table", "share"]),
       draws=st.integers(2, 8), seed=st.integers(0, 2**63 - 1))
def test_a_damaged_config_is_run_or_refused(case, command, draws, seed, tmp_path_factory):
    name, text, _ = case
    tmp = tmp_path_factory.mktemp("prop", numbered=True)
    args = {"validate": ["validate", CONFIG_NAME],
            "run": ["run", CONFIG_NAME, "--draws", draws, "--seed", seed, "--out", "out.nc"],
            "table": ["table", CONFIG_NAME, "--format", "csv", "--by", "year"],
            "share": ["share", CONFIG_NAME, "--draws", draws, "--seed", seed]}[command]
    r, before = run_in(tmp, args, text)
    expected = ["out.nc"] if command == "run" else []
    event(f"{command}: exit {r.exit_code}")
    check_contract(r, tmp, before, expected, source=CONFIG_NAME)  # the options are good: the config is named
    if r.exit_code == 0 and command == "run":
        check_results(tmp / "out.nc", draws)


# --------------------------------------------------------------------------- options

option_text = st.sampled_from(["", " ", "-1", "0", "1e3", "0x10", " 5", "nan", "inf", "lots", "2**64",
                               "99999999999999999999999", "--draws", "\x1b[31m", "a\nb", "١٢"])
small_draws = st.integers(1, 12)
bad_draws = st.one_of(st.integers(max_value=0), st.integers(min_value=10**9 + 1), option_text)
seeds = st.one_of(st.integers(0, 2**63 - 1), st.integers(max_value=-1), st.integers(min_value=2**63), option_text)
out_names = st.one_of(st.just("out.nc"), st.just("sub/out.nc"), st.just("results/"), st.just(""), st.just("."),
                      st.just("x" * 300 + ".nc"), st.just(CONFIG_NAME), st.just("missing/dir/out.nc"),
                      st.just("a\nb.nc"), st.just("\x1b[31m.nc"), st.just("dir"), st.just("link.nc"),
                      st.just("fifo.nc"), st.just("existing.nc"))
unknown = st.sampled_from([["--bogus"], ["-z"], ["--draws"], ["extra-argument"], ["--out"], ["--seed", "1", "2"],
                           ["--format"], ["--help-me"]])


def _chance(draw, p: float) -> bool:
    """True with probability about ``p``; shrinks to False (uniform, unlike a float drawn by hypothesis)."""
    return draw(st.sampled_from(range(100))) >= 100 - round(100 * p)


def _maybe(draw, strategy, p_none: float = 0.5):
    return draw(strategy) if _chance(draw, 1 - p_none) else None


@st.composite
def run_options(draw):
    """Return (args, what a success writes, the draws)."""
    args, draws = [], None
    if draw(st.booleans()):
        draws = draw(small_draws)
        args += ["--draws", draws]
    elif draw(st.booleans()):
        args += [draw(st.sampled_from(["--draws", "-n"])), draw(bad_draws)]
        draws = "bad"
    seed = _maybe(draw, seeds)
    if seed is not None:
        args += ["--seed", seed]
    out = _maybe(draw, out_names, 0.3)
    if out is not None:
        args += ["--out", out]
    if _chance(draw, 0.15):
        args += ["--base-case"]
    if _chance(draw, 0.2):
        args += ["--chunk-size", draw(st.one_of(st.integers(-2, 5), st.just(10**18), option_text))]
    if _chance(draw, 0.15):
        args += draw(unknown)
    if draws is None:  # never the default 2000 draws: keep each example fast
        if "--base-case" not in args:
            args += ["--draws", draw(small_draws)]
    written = [out if out is not None else f"results/{Path(CONFIG_NAME).stem}.nc"]
    return args, written


@st.composite
def table_options(draw):
    args = []
    fmt = _maybe(draw, st.sampled_from(["text", "markdown", "csv", "json", "xlsx", "html", "", "CSV"]))
    if fmt is not None:
        args += ["--format", fmt]
    by = _maybe(draw, st.sampled_from(["year", "month", "", "YEAR"]))
    if by is not None:
        args += ["--by", by]
    out = _maybe(draw, st.one_of(out_names, st.sampled_from(["t.xlsx", "t.csv", "sub/t.xlsx"])))
    if out is not None:
        args += ["--out", out]
    if _chance(draw, 0.15):
        args += draw(unknown)
    return args, [out] if out is not None else []


@st.composite
def share_options(draw):
    args = ["--draws", draw(st.one_of(small_draws, small_draws, bad_draws))]
    seed = _maybe(draw, seeds)
    if seed is not None:
        args += ["--seed", seed]
    rule = _maybe(draw, st.sampled_from(["all", "costs-follow-benefits", "equal-return", "outcome-payments",
                                         "fixed-split", "agreement", "bogus", ""]))
    if rule is not None:
        args += ["--rule", rule]
    settle = _maybe(draw, st.sampled_from(["ex-ante", "ex-post", "both", "never", ""]))
    if settle is not None:
        args += ["--settle", settle]
    if _chance(draw, 0.15):
        args += draw(unknown)
    return args, []


HUGE = [10**6 + 1, 10**12, 2**40, 10**30]


@st.composite
def sensitivity_options(draw):
    method = draw(st.sampled_from(["tornado", "sobol", "threshold", "variance", "tornado", "sobol", "threshold",
                                   "variance", "bogus"]))
    args = ["--method", method]
    small_n = {"sobol": st.sampled_from([2, 4, 8]), "threshold": st.integers(1, 4),
               "variance": st.integers(2, 5)}.get(method, st.integers(1, 4))
    # mostly good values (else every example is refused), each bad one now and then
    n = draw(st.one_of(st.integers(max_value=0), st.sampled_from([3, 6, *HUGE]), option_text)
             if _chance(draw, 0.2) else small_n)
    args += ["--n", n]
    args += ["--inner", draw(st.one_of(st.integers(max_value=0), st.sampled_from(HUGE))
                             if _chance(draw, 0.15) else st.integers(1, 3))]
    args += ["--points", draw(st.one_of(st.integers(max_value=1), st.sampled_from(HUGE))
                              if _chance(draw, 0.15) else st.integers(2, 3))]
    if method == "threshold" or _chance(draw, 0.05):
        args += ["--parameter", draw(st.sampled_from(["outcomes.placement_probability", "cohort.size",
                                                      "items.nope.amount", "", "\x1b[31m", "p_place"]))]
    if _chance(draw, 0.3 if method == "threshold" else 0.05):
        args += ["--range", *draw(st.sampled_from([("0", "1"), ("0.2", "0.8"), ("1", "0"), ("nan", "1"),
                                                   ("-inf", "inf"), ("0", "1e308"), ("x", "1")]))]
    top = _maybe(draw, st.one_of(st.integers(-2, 12), st.sampled_from(HUGE)))
    if top is not None:
        args += ["--top", top]
    seed = _maybe(draw, seeds)
    if seed is not None:
        args += ["--seed", seed]
    if _chance(draw, 0.1):
        args += draw(unknown)
    return args, []


def _prepare(tmp: Path, args: list) -> None:
    """Put the awkward things that some --out names refer to in place."""
    (tmp / "dir").mkdir()
    (tmp / "existing.nc").write_bytes(b"an earlier file")
    os.symlink(tmp / "existing.nc", tmp / "link.nc")
    os.mkfifo(tmp / "fifo.nc")


OPTIONS = {"run": run_options(), "table": table_options(), "share": share_options(),
           "sensitivity": sensitivity_options()}


# each example is a whole command (a run, a Sobol analysis): 60 of them in CI keep this file under a minute
@settings(max_examples=min(settings.default.max_examples, 60))
@given(data=st.data(), command=st.sampled_from(["run", "run", "table", "share", "sensitivity", "validate"]),
       config=st.sampled_from(["small", "holland-rijnland", "twente"]))
def test_any_options_are_run_or_refused(data, command, config, tmp_path_factory):
    if command == "validate":
        args, written = data.draw(st.one_of(st.just([]), unknown)), []
    else:
        args, written = data.draw(OPTIONS[command])
    tmp = tmp_path_factory.mktemp("prop", numbered=True)
    # the awkward files are part of "before": they must be there unchanged after a refusal
    (tmp / CONFIG_NAME).write_text(CONFIGS[config], encoding="utf-8")
    _prepare(tmp, args)
    before = _tree(tmp)
    old = os.getcwd()
    os.chdir(tmp)
    try:
        r = cli_runner().invoke(cli_main, [command, CONFIG_NAME, *map(str, args)], color=True)
    finally:
        os.chdir(old)
    # an existing regular file may be replaced by a successful run: the others are refused
    event(f"{command}: exit {r.exit_code}")
    check_contract(r, tmp, before, [w for w in written if w])  # "existing.nc" may be replaced by a success
    assert os.path.islink(tmp / "link.nc") and (tmp / "fifo.nc").is_fifo() and (tmp / "dir").is_dir()
    if r.exit_code == 0:
        assert (tmp / CONFIG_NAME).read_text(encoding="utf-8") == CONFIGS[config], "the config was overwritten"
        if command == "run":
            draws = None
            if "--base-case" not in args:
                given_draws = [a for a, b in zip(args, args[1:]) if a in ("--draws", "-n")]
                draws = int([b for a, b in zip(args, args[1:]) if a in ("--draws", "-n")][-1]) if given_draws else None
            check_results(tmp / written[0], draws)
    else:
        assert (tmp / "existing.nc").read_bytes() == b"an earlier file"


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_the_shipped_configs_survive_a_round_trip(name, tmp_path):
    """The mutation starts from tomllib -> tomlkit text: unmutated, that text is a valid config."""
    r, before = run_in(tmp_path, ["validate", CONFIG_NAME], tomlkit.dumps(tomllib.loads(SHIPPED[name])))
    assert r.exit_code == 0, r.stderr


# --------------------------------------------------------------------------- registers

REGISTER = (CONFIG_DIR / "drechtsteden-register-synthetic-2020-05.csv").read_text(encoding="utf-8")
REGISTER_CELLS = ["", "P01", "bijstand", "uwv", "ww", "2017-06", "2020-05", "2030-01", "1999-12", "2017-13",
                  "placement", "job_end", "on_hold", "mediation", "dropout", "success", "111222333",
                  "1990-04-01", "2311 AB", "a@b.nl", "Jan Jansen", "=1+1", "\x1b[31m", "a\nb", '"', ",", "-1", "1e9"]


@st.composite
def damaged_register(draw):
    """Return the text of the demo register with one to three random edits of rows and cells."""
    lines = REGISTER.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["cell", "drop", "duplicate", "swap", "truncate", "header"]))
        if how == "cell" and not lines[i].startswith("#"):
            cells = lines[i].split(",")
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = draw(st.one_of(st.sampled_from(REGISTER_CELLS), texts))
            lines[i] = ",".join(cells)
        elif how == "drop":
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "swap":
            k = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[k] = lines[k], lines[i]
        elif how == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            header = next(n for n, line in enumerate(lines) if not line.startswith("#"))
            lines[header] += "," + draw(st.sampled_from(["bsn", "naam", "geboortedatum", "postcode", "x", "id"]))
        if not lines:
            break
    return "\n".join(lines) + "\n"


@settings(max_examples=min(settings.default.max_examples, 60))
@given(text=damaged_register(), command=st.sampled_from(["check", "monitor"]))
def test_a_damaged_register_is_read_or_refused(text, command, tmp_path_factory):
    """A register with random damage: `register check` and `monitor` print counts (exit 0) or one
    `error: FILE:ROW:COLUMN: ...` line per problem (exit 2), no traceback, nothing written."""
    tmp = tmp_path_factory.mktemp("register")
    (tmp / "register.csv").write_text(text, encoding="utf-8")
    config = CONFIG_DIR / "drechtsteden.toml"
    args = (["register", "check", "register.csv", "--config", config] if command == "check"
            else ["monitor", config, "--register", "register.csv", "--draws", "20", "--lang", "en"])
    r, _ = run_in(tmp, args, None)
    event(f"register {command}: exit {r.exit_code}")
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in (0, EXIT_BAD_INPUT), (r.exit_code, r.stderr)
    assert "Traceback" not in r.stdout + r.stderr and "\x1b" not in r.stdout + r.stderr
    assert sorted(p.name for p in tmp.iterdir()) == ["register.csv"], "something was written"
    if r.exit_code == EXIT_BAD_INPUT:
        lines = problem_lines(r.stderr)
        assert lines and r.stdout == ""
        assert all(line.startswith("error: ") for line in lines), r.stderr
    else:
        assert "1990-04-01" not in r.stdout and "111222333" not in r.stdout  # no individual shown
