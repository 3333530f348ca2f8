"""Bad input: one clear line per problem (file or option, field path, what is wrong), exit status 2,
no traceback, and no results file written or touched.

Each bad config is the small valid config of conftest.py with one textual edit (or one of the
files in configs/ with one edit). Every case goes through click's CliRunner (in-process, fast;
an exception other than SystemExit there is what would be a traceback), and one case of each
kind also through the real ``simsav`` command in a subprocess, where "no traceback" is literal.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from simsav.cli import main as cli_main

EXIT_BAD_INPUT = 2
PYDANTIC_INTERNALS = ("tagged-union[", "function-after[", "function-before[", "function-wrap[", "[key]",
                      "Value error", "Input should", "input_value", "errors.pydantic.dev", "For further information")


@dataclass(frozen=True)
class Case:
    """A bad config: ``old`` replaced by ``new`` (exactly once) in the small config."""

    id: str
    old: str
    new: str
    field: str  # the field path the message must name ("" for the file as a whole)
    problem: str  # a regular expression the message must match after the field path


CONFIG_CASES = [
    Case("unknown-key-misspelt-required", 'label = "Jobcoaching"', 'lable = "Jobcoaching"',
         "items.coaching.lable", r"unknown field.*did you mean 'label'"),
    Case("unknown-key-misspelt-optional", "eligible_share = 0.8", "eligible_shar = 0.8",
         "items.coaching.eligible_shar", r"unknown field.*did you mean 'eligible_share'"),
    Case("unknown-key-top-level", 'title = "Small test case"', 'title = "Small test case"\ntitel = "x"',
         "titel", r"unknown field"),
    Case("unknown-key-in-distribution", "sd = 0.08", "sdd = 0.08",
         "outcomes.placement_probability.sdd", r"unknown field.*did you mean 'sd'"),
    Case("wrong-type-string-for-number", "amount = 300", 'amount = "300"',
         "items.coaching.amount", r"must be a number.*got \"300\".*without quotes"),
    Case("wrong-type-word-for-number", "months_to_placement = 5", 'months_to_placement = "five"',
         "outcomes.months_to_placement", r"must be a number.*got \"five\""),
    Case("wrong-type-string-for-int", "horizon_months = 24", 'horizon_months = "24"',
         "cohort.horizon_months", r"must be a whole number.*got \"24\""),
    Case("wrong-type-bool-for-number", "hours_per_week = 24", "hours_per_week = true",
         "outcomes.hours_per_week", r"must be a number.*got true"),
    Case("wrong-type-string-for-list", 'streams = ["ww"]', 'streams = "ww"',
         "items.intake.streams", r"must be an array.*got \"ww\""),
    Case("shares-do-not-add-up", "share = 0.6", "share = 0.5",
         "streams", r"shares add up to 0\.9, not 1"),
    Case("placement-probability-above-1", "placement_probability = 0.5", "placement_probability = 1.3",
         "outcomes.streams.ww.placement_probability", r"probability must lie in \[0, 1\], got 1\.3"),
    Case("eligible-share-negative", "eligible_share = 0.8", "eligible_share = -0.1",
         "items.coaching.eligible_share", r"probability must lie in \[0, 1\], got -0\.1"),
    Case("beta-mean-sd-impossible", "placement_probability = 0.5",
         'placement_probability = { dist = "beta", mean = 0.5, sd = 0.6 }',
         "outcomes.streams.ww.placement_probability", r"no beta distribution has mean 0\.5 and sd 0\.6"),
    Case("normal-negative-sd", "months_to_placement = 5",
         'months_to_placement = { dist = "normal", mean = 5, sd = -1 }',
         "outcomes.months_to_placement", r"sd must be positive, got -1"),
    Case("uniform-low-above-high", "low = 400, high = 600", "low = 600, high = 400",
         "items.intake.amount", r"low \(600(\.0)?\) must be below high \(400(\.0)?\)"),
    Case("triangular-low-above-high", "low = 8000, mode = 10000, high = 14000",
         "low = 14000, mode = 10000, high = 8000",
         "items.overhead.amount", r"low \(14000(\.0)?\) must be below high \(8000(\.0)?\)"),
    Case("unknown-distribution-family", 'dist = "beta"', 'dist = "betta"',
         "outcomes.placement_probability", r"unknown distribution.*\"betta\".*beta"),
    Case("item-party-undefined", 'party = "uwv"\nbasis = "event"', 'party = "uvw"\nbasis = "event"',
         "items.intake.party", r"party 'uvw' is not defined in \[\[parties\]\]"),
    Case("stream-payer-undefined", 'payer = "uwv"', 'payer = "uvw"',
         "streams.ww.payer", r"party 'uvw' is not defined in \[\[parties\]\]"),
    Case("item-stream-undefined", 'streams = ["ww"]', 'streams = ["wv"]',
         "items.intake.streams", r"stream 'wv' is not defined in \[\[streams\]\]"),
    Case("outcomes-stream-undefined", "[outcomes.streams.ww]", "[outcomes.streams.wajong]",
         "outcomes.streams.wajong", r"stream 'wajong' is not defined in \[\[streams\]\]"),
    Case("horizon-zero", "horizon_months = 24", "horizon_months = 0",
         "cohort.horizon_months", r"must be greater than 0, got 0"),
    Case("horizon-negative", "horizon_months = 24", "horizon_months = -12",
         "cohort.horizon_months", r"must be greater than 0, got -12"),
    Case("start-month-invalid", 'start = "2024-01"', 'start = "2024-13"',
         "cohort.start", r"calendar month.*YYYY-MM.*got \"2024-13\""),
    Case("annual-years-empty", 'label = "Projectleiding"', 'label = "Projectleiding"\nyears = []',
         "items.overhead.years", r"at least one year"),
    Case("nan-number", "job_retention_12m = 0.6", "job_retention_12m = nan",
         "outcomes.job_retention_12m", r"must be a number, got nan"),
    Case("infinite-amount", "amount = 300", "amount = inf",
         "items.coaching.amount", r"must be a finite number, got inf"),
    Case("infinite-distribution-parameter", "low = 400, high = 600", "low = 400, high = inf",
         "items.intake.amount", r"uniform distribution: high must be a finite number, got inf"),
    Case("amount-beyond-a-business-case", "amount = 300", "amount = 1e308",
         "items.coaching.amount", r"must be at most 1e9 euros.*got 1e\+308"),
    Case("cohort-size-beyond-the-limit", "size = 40", "size = 1e20",
         "cohort.size", r"must be at most 10000000 participants, got 1e\+20"),
    Case("start-beyond-the-calendar", 'start = "2024-01"', 'start = "2300-01"',
         "cohort.start", r"must lie within 1900-01 to 2199-12"),
    Case("discount-rate-as-a-percentage", 'start = "2024-01"', 'start = "2024-01"\ndiscount_rate = 2',
         "cohort.discount_rate", r"at most 0\.5 \(50%\), got 2: write a fraction, 0\.02 for 2%"),
    Case("required-table-missing", "[cohort]\nsize = 40\nhorizon_months = 24\nstart = \"2024-01\"\n", "",
         "cohort", r"required field is missing"),
]


REAL_PROCESS_CASES = {
    "unknown-key-misspelt-required", "wrong-type-string-for-number", "shares-do-not-add-up",
    "placement-probability-above-1", "eligible-share-negative", "beta-mean-sd-impossible", "normal-negative-sd",
    "triangular-low-above-high", "item-party-undefined", "stream-payer-undefined", "outcomes-stream-undefined",
    "horizon-zero",
}


def cli_runner() -> CliRunner:
    """Return a CliRunner that keeps stderr apart from stdout (click 8.1 needs asking; 8.2+ always does)."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def invoke(args: list[str]):
    """Run ``simsav ARGS`` in-process; an uncaught exception (a would-be traceback) fails the test."""
    r = cli_runner().invoke(cli_main, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), (
        f"simsav {' '.join(map(str, args))} raised {r.exception!r} (a traceback for the user)"
    )
    return r


def make_bad(text: str, case: Case) -> str:
    assert text.count(case.old) == 1, f"{case.id}: {case.old!r} must occur exactly once in the config"
    return text.replace(case.old, case.new)


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def assert_reported(output: str, stdout: str, source: str, field: str, problem: str, n_problems: int | None = 1):
    """Check the stderr ``output`` of a bad-input run: one ``error: SOURCE: FIELD: problem`` line per problem."""
    assert "Traceback" not in output + stdout, output
    assert stdout == "", f"nothing belongs on stdout for bad input, got:\n{stdout}"
    lines = problem_lines(output)
    assert lines, "no message at all"
    for line in lines:
        assert line.startswith(f"error: {source}: "), f"every line must name {source!r}:\n{output}"
        for internal in PYDANTIC_INTERNALS:
            assert internal not in line, f"pydantic internals in the message:\n{output}"
    if n_problems is not None:
        assert len(lines) == n_problems, f"expected {n_problems} line(s), one per problem:\n{output}"
    where = f"error: {source}: {field}: " if field else f"error: {source}: "
    matching = [line for line in lines if line.startswith(where) and re.search(problem, line[len(where):])]
    assert matching, f"no line names {where!r} with {problem!r}:\n{output}"


def assert_no_output_files(directory: Path, keep: set[str] = frozenset()):
    """Nothing written beside the config: no results file, no leftover temporary file."""
    extra = {p.name for p in directory.iterdir()} - keep
    assert not extra, f"files written for bad input: {sorted(extra)}"


# --------------------------------------------------------------------------- bad configs


@pytest.mark.parametrize("case", CONFIG_CASES, ids=lambda c: c.id)
def test_run_rejects_bad_config(case, small_config_text, write_config, tmp_path, monkeypatch):
    path = write_config(make_bad(small_config_text, case), "bad.toml")
    monkeypatch.chdir(tmp_path)
    r = invoke(["run", path.name, "--draws", "20", "--out", "out.nc"])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert_reported(r.stderr, r.stdout, "bad.toml", case.field, case.problem)
    assert not (tmp_path / "out.nc").exists()
    assert_no_output_files(tmp_path, keep={"bad.toml"})


@pytest.mark.parametrize("case", [c for c in CONFIG_CASES if c.id in REAL_PROCESS_CASES], ids=lambda c: c.id)
def test_run_rejects_bad_config_in_a_subprocess(case, small_config_text, write_config, run_simsav, tmp_path):
    path = write_config(make_bad(small_config_text, case), "bad.toml")
    out = tmp_path / "out.nc"
    r = run_simsav("run", path.name, "--draws", "20", "--out", out.name)
    assert r.returncode == EXIT_BAD_INPUT, r.stderr + r.stdout
    assert_reported(r.stderr, r.stdout, "bad.toml", case.field, case.problem)
    assert not out.exists()
    assert_no_output_files(tmp_path, keep={"bad.toml"})


@pytest.mark.parametrize("case", CONFIG_CASES, ids=lambda c: c.id)
def test_run_leaves_an_existing_results_file_alone(case, small_config_text, write_config, tmp_path,
                                                   monkeypatch):
    path = write_config(make_bad(small_config_text, case), "bad.toml")
    out = tmp_path / "out.nc"
    before = b"an earlier results file \x00\x01\x02"
    out.write_bytes(before)
    monkeypatch.chdir(tmp_path)
    r = invoke(["run", path.name, "--draws", "20", "--out", out.name])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert_reported(r.stderr, r.stdout, "bad.toml", case.field, case.problem)
    assert out.read_bytes() == before
    assert_no_output_files(tmp_path, keep={"bad.toml", "out.nc"})


@pytest.mark.parametrize("case", CONFIG_CASES, ids=lambda c: c.id)
def test_validate_rejects_bad_config(case, small_config_text, write_config, tmp_path, monkeypatch):
    path = write_config(make_bad(small_config_text, case), "bad.toml")
    monkeypatch.chdir(tmp_path)
    r = invoke(["validate", path.name])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert_reported(r.stderr, r.stdout, "bad.toml", case.field, case.problem)


@pytest.mark.parametrize("case", [c for c in CONFIG_CASES if c.id in (
    "beta-mean-sd-impossible", "unknown-key-misspelt-required", "wrong-type-string-for-number")], ids=lambda c: c.id)
def test_validate_rejects_bad_config_in_a_subprocess(case, small_config_text, write_config, run_simsav):
    path = write_config(make_bad(small_config_text, case), "bad.toml")
    r = run_simsav("validate", path.name)
    assert r.returncode == EXIT_BAD_INPUT, r.stderr + r.stdout
    assert_reported(r.stderr, r.stdout, "bad.toml", case.field, case.problem)


def test_every_problem_is_reported_once(small_config_text, write_config, run_simsav, tmp_path):
    text = small_config_text
    for case in CONFIG_CASES:
        if case.id in ("placement-probability-above-1", "eligible-share-negative", "item-party-undefined"):
            text = make_bad(text, case)
    path = write_config(text, "bad.toml")
    r = run_simsav("run", path.name, "--out", "out.nc")
    assert r.returncode == EXIT_BAD_INPUT
    assert_reported(r.stderr, r.stdout, "bad.toml", "items.intake.party", r"not defined", n_problems=3)
    assert_reported(r.stderr, r.stdout, "bad.toml", "items.coaching.eligible_share", r"\[0, 1\]", n_problems=3)
    assert_reported(r.stderr, r.stdout, "bad.toml", "outcomes.streams.ww.placement_probability", r"\[0, 1\]",
                    n_problems=3)
    assert not (tmp_path / "out.nc").exists()


def test_message_names_the_item_by_id(small_config_text, write_config, run_simsav):
    case = next(c for c in CONFIG_CASES if c.id == "item-party-undefined")
    path = write_config(make_bad(small_config_text, case), "bad.toml")
    r = run_simsav("validate", path.name)
    assert r.returncode == EXIT_BAD_INPUT
    # counting [[items]] from 0 is error-prone: the path names the item by its id, the one name simsav gives
    # that number everywhere (validate, sensitivity, the report), and the message lists the defined parties
    assert "bad.toml: items.intake.party: " in r.stderr
    assert "items.1" not in r.stderr
    assert "gemeente, uwv" in r.stderr


def test_an_entry_without_a_usable_id_is_named_by_its_place(small_config_text, write_config, run_simsav):
    path = write_config(small_config_text.replace('id = "intake"', 'id = "Intake!"', 1), "bad.toml")
    r = run_simsav("validate", path.name)
    assert r.returncode == EXIT_BAD_INPUT
    assert "bad.toml: items.1.id: " in r.stderr
    assert "(the 2nd [[items]] in the file)" in r.stderr


def test_validation_path_is_the_parameter_path(small_config_text, write_config):
    # one name per number: the path a bad value is reported at is the path the parameter table uses
    from simsav.config import load_config
    from simsav.model.compile import compile_config

    cfg = load_config(write_config(small_config_text, "ok.toml"))
    paths = {p.path for p in compile_config(cfg).table.params}
    assert "items.intake.amount" in paths and "items.coaching.eligible_share" in paths


# --------------------------------------------------------------------------- unreadable files


@pytest.mark.parametrize("kind", ["missing", "invalid-toml", "empty", "only-comments", "directory", "not-utf8"])
def test_run_rejects_unreadable_file(kind, small_config_text, tmp_path, run_simsav, monkeypatch):
    path = tmp_path / "bad.toml"
    expected = {
        "missing": r"file not found",
        "invalid-toml": r"invalid TOML: .*line \d+",
        "empty": r"is empty",
        "only-comments": r"is empty",
        "directory": r"is a directory",
        "not-utf8": r"not UTF-8",
    }[kind]
    if kind == "invalid-toml":
        path.write_text(small_config_text.replace("[[items]]", "[[items]", 1))
    elif kind == "empty":
        path.write_text("")
    elif kind == "only-comments":
        path.write_text("# nothing here yet\n\n")
    elif kind == "directory":
        path.mkdir()
    elif kind == "not-utf8":
        path.write_bytes(b'title = "caf\xe9"\n')
    keep = {p.name for p in tmp_path.iterdir()}
    r = run_simsav("run", path.name, "--out", "out.nc")
    assert r.returncode == EXIT_BAD_INPUT, r.stderr + r.stdout
    assert_reported(r.stderr, r.stdout, "bad.toml", "", expected)
    monkeypatch.chdir(tmp_path)
    r = invoke(["validate", path.name])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert_reported(r.stderr, r.stdout, "bad.toml", "", expected)
    assert_no_output_files(tmp_path, keep=keep)


def test_missing_file_leaves_an_existing_results_file_alone(tmp_path, monkeypatch):
    out = tmp_path / "out.nc"
    out.write_bytes(b"keep me")
    monkeypatch.chdir(tmp_path)
    r = invoke(["run", "nowhere.toml", "--out", "out.nc"])
    assert r.exit_code == EXIT_BAD_INPUT
    assert_reported(r.stderr, r.stdout, "nowhere.toml", "", r"file not found")
    assert out.read_bytes() == b"keep me"


# --------------------------------------------------------------------------- a shipped config with one edit


def test_bad_edit_of_a_shipped_config(tmp_path, run_simsav):
    text = (Path(__file__).resolve().parents[1] / "configs" / "twente.toml").read_text(encoding="utf-8")
    old = "placement_probability = 0.5 "
    assert text.count(old) == 1
    path = tmp_path / "twente-bad.toml"
    path.write_text(text.replace(old, 'placement_probability = { dist = "beta", mean = 0.5, sd = 0.7 } '))
    r = run_simsav("run", path.name, "--out", "out.nc")
    assert r.returncode == EXIT_BAD_INPUT
    assert_reported(r.stderr, r.stdout, "twente-bad.toml", "outcomes.streams.nug.placement_probability",
                    r"no beta distribution has mean 0\.5 and sd 0\.7")
    assert not (tmp_path / "out.nc").exists()


# --------------------------------------------------------------------------- bad options


OPTION_CASES = [
    pytest.param(["--draws", "0"], "--draws", r"must be at least 1, got 0", id="draws-zero"),
    pytest.param(["--draws", "-5"], "--draws", r"must be at least 1, got -5", id="draws-negative"),
    pytest.param(["-n", "-5"], "--draws", r"must be at least 1, got -5", id="draws-short-option"),
    pytest.param(["--draws", "lots"], "--draws", r"not a valid integer", id="draws-not-a-number"),
    pytest.param(["--seed", "-1"], "--seed", r"must be a whole number >= 0, got -1", id="seed-negative"),
    pytest.param(["--seed", "1.5"], "--seed", r"not a valid integer", id="seed-not-whole"),
]


def assert_option_reported(stdout: str, stderr: str, option: str, problem: str):
    assert "Traceback" not in stderr + stdout
    assert stdout == ""
    lines = problem_lines(stderr)
    assert lines[0].startswith(f"error: {option}: ") and re.search(problem, lines[0]), stderr
    # click's own parse errors ("not a valid integer") add a pointer to --help; nothing else
    assert all(line.startswith("error: ") or "--help" in line for line in lines), stderr
    assert len([line for line in lines if line.startswith("error: ")]) == 1, stderr


@pytest.mark.parametrize("args, option, problem", OPTION_CASES)
def test_run_rejects_bad_option(args, option, problem, small_config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke(["run", small_config.name, *args, "--out", "out.nc"])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert_option_reported(r.stdout, r.stderr, option, problem)
    assert not (tmp_path / "out.nc").exists()


@pytest.mark.parametrize("args, option, problem", [p for p in OPTION_CASES if p.id in (
    "draws-zero", "draws-negative", "seed-negative")])
def test_run_rejects_bad_option_in_a_subprocess(args, option, problem, small_config, run_simsav, tmp_path):
    r = run_simsav("run", small_config.name, *args, "--out", "out.nc")
    assert r.returncode == EXIT_BAD_INPUT, r.stderr + r.stdout
    assert_option_reported(r.stdout, r.stderr, option, problem)
    assert not (tmp_path / "out.nc").exists()


@pytest.mark.parametrize("args", [["--draws", "0"], ["--seed", "-1"]], ids=["draws", "seed"])
def test_bad_option_leaves_an_existing_results_file_alone(args, small_config, tmp_path, monkeypatch):
    out = tmp_path / "out.nc"
    out.write_bytes(b"keep me")
    monkeypatch.chdir(tmp_path)
    r = invoke(["run", small_config.name, *args, "--out", "out.nc"])
    assert r.exit_code == EXIT_BAD_INPUT
    assert out.read_bytes() == b"keep me"


def test_run_rejects_out_in_a_missing_directory(small_config, run_simsav, tmp_path):
    r = run_simsav("run", small_config.name, "--draws", "20", "--out", "no/such/dir/out.nc")
    assert r.returncode == EXIT_BAD_INPUT, r.stderr + r.stdout
    assert_reported(r.stderr, r.stdout, "--out", "", r"directory 'no/such/dir' does not exist")
    assert not (tmp_path / "no").exists()


def test_run_rejects_out_that_is_a_directory(small_config, tmp_path, monkeypatch):
    (tmp_path / "results.nc").mkdir()
    monkeypatch.chdir(tmp_path)
    r = invoke(["run", small_config.name, "--draws", "20", "--out", "results.nc"])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert problem_lines(r.stderr)[0].startswith("error: --out: ")
    assert "directory" in problem_lines(r.stderr)[0]


def test_bad_options_and_bad_config_are_reported_together(small_config_text, write_config, run_simsav, tmp_path):
    case = next(c for c in CONFIG_CASES if c.id == "horizon-zero")
    path = write_config(make_bad(small_config_text, case), "bad.toml")
    r = run_simsav("run", path.name, "--draws", "0", "--seed", "-1", "--out", "missing/out.nc")
    assert r.returncode == EXIT_BAD_INPUT
    assert "Traceback" not in r.stderr
    lines = problem_lines(r.stderr)
    assert len(lines) == 4, r.stderr
    assert [line.split(":", 2)[1].strip() for line in lines] == ["--draws", "--seed", "--out", "bad.toml"]


@pytest.mark.parametrize("args", [["run"], ["run", "x.toml", "--no-such-option"], ["no-such-command"], ["validate"]],
                         ids=["run-no-config", "unknown-option", "unknown-command", "validate-no-config"])
def test_usage_errors_exit_2_without_traceback(args):
    r = invoke(args)
    assert r.exit_code == EXIT_BAD_INPUT, (args, r.output)
    assert problem_lines(r.stderr)[0].startswith("error: "), r.stderr


def test_usage_error_in_a_subprocess(run_simsav):
    r = run_simsav("run", "x.toml", "--no-such-option")
    assert r.returncode == EXIT_BAD_INPUT
    assert "Traceback" not in r.stderr
    assert problem_lines(r.stderr)[0].startswith("error: No such option"), r.stderr


# --------------------------------------------------------------------------- found by tests/test_properties.py


def test_a_year_far_beyond_the_horizon_is_reported(small_config_text, write_config, tmp_path, monkeypatch):
    # `years` was checked for gaps by building every year in between: a MemoryError for 10**18
    path = write_config(small_config_text.replace('label = "Projectleiding"',
                                                  'label = "Projectleiding"\nyears = [2024, 1000000000000000000]'),
                        "bad.toml")
    monkeypatch.chdir(tmp_path)
    r = invoke(["run", path.name, "--draws", "20", "--out", "out.nc"])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert_reported(r.stderr, r.stdout, "bad.toml", "items.overhead.years", r"within the horizon", n_problems=2)
    assert_reported(r.stderr, r.stdout, "bad.toml", "items.overhead.years", r"consecutive", n_problems=2)
    assert_no_output_files(tmp_path, keep={"bad.toml"})


@pytest.mark.parametrize("value", ["\\u0085", "\\u001b[31m\\nerror: fake", "a\\u2028b"],
                         ids=["next-line", "escape-and-newline", "line-separator"])
def test_a_control_character_in_a_bad_value_stays_on_the_line(value, small_config_text, write_config, tmp_path,
                                                              monkeypatch):
    # the message quotes the value: a line break in it made a second "error:" line, an ESC went raw
    path = write_config(f'language = "{value}"\n' + small_config_text, "bad.toml")
    monkeypatch.chdir(tmp_path)
    r = invoke(["validate", path.name])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert "\x1b" not in r.stderr and "\x85" not in r.stderr and "\u2028" not in r.stderr
    assert_reported(r.stderr, r.stdout, "bad.toml", "language", r"must be")


@pytest.mark.parametrize("args, option", [
    (["--method", "sobol", "--n", str(2**40)], "--n"),
    (["--method", "threshold", "--parameter", "outcomes.placement_probability", "--n", "10000000000000"], "--n"),
    (["--method", "threshold", "--parameter", "outcomes.placement_probability", "--points", "1000000000"],
     "--points"),
    (["--method", "variance", "--n", "3", "--inner", "1000000000000"], "--inner"),
], ids=["sobol-n", "threshold-n", "threshold-points", "variance-inner"])
def test_sensitivity_refuses_a_size_beyond_memory(args, option, small_config, tmp_path, monkeypatch):
    # were a MemoryError traceback (288 TiB) or hours of work
    monkeypatch.chdir(tmp_path)
    r = invoke(["sensitivity", small_config.name, *args])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert_option_reported(r.stdout, r.stderr, option, r"must be at most")
