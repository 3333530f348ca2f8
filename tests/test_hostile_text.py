"""Hostile text in a config never reaches the terminal raw.

Party names, item labels, the title and a distribution's name with terminal escape codes (ESC,
CSI), other control characters, newlines and carriage returns are printed by every command as
one line with the controls made visible (``simsav.present.formats.plain``): no colour, no
cursor moves, no fake ``error:`` line. Markdown escapes ``|`` in cells; CSV neutralises cells a
spreadsheet would run as a formula.
"""
from __future__ import annotations

import csv
import io
import re

import pytest

from conftest import SMALL_CONFIG
from test_bad_input import cli_runner

from simsav.cli import main as cli_main
from simsav.present.formats import plain


def invoke(args: list[str]):
    """Run ``simsav ARGS`` in-process as on a terminal: click strips ANSI codes from output that
    is not a terminal, unless ``color=True``, so a test without it would not see them."""
    r = cli_runner().invoke(cli_main, [str(a) for a in args], color=True)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r

# TOML basic strings: \u001b is ESC, \u009b the 8-bit CSI, \r a carriage return
HOSTILE = {
    '"Small test case"': '"Small \\u001b[2Jtest\\rerror: case\\u0007"',
    '"UWV Testregio"': '"UWV\\u001b[31m\\nerror: fake: line\\u001b[0m"',
    '"Gemeente Testdorp"': '"Gemeente | Test\\u009b31m\\u202e\\r\\nwarning: x"',
    '"Jobcoaching"': '"=1+1"',
    '"Intake"': '"a|b|c"',
    '"Projectleiding"': '"$\\\\frac{1}{$\\t-2+3"',
    'name = "p_place"': 'name = "p_place\\u001b[1m\\nerror: bold"',
}
# The same config with harmless names of the same shape: what the output's lines should look like
CLEAN = {
    '"Small test case"': '"Small test case"', '"UWV Testregio"': '"UWV Testregio"',
    '"Gemeente Testdorp"': '"Gemeente Testdorp"', '"Jobcoaching"': '"Jobcoaching"', '"Intake"': '"Intake"',
    '"Projectleiding"': '"Projectleiding"', 'name = "p_place"': 'name = "p_place"',
}
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _config(replacements: dict[str, str]) -> str:
    text = SMALL_CONFIG
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def configs(tmp_path, monkeypatch):
    (tmp_path / "hostile.toml").write_text(_config(HOSTILE), encoding="utf-8")
    (tmp_path / "clean.toml").write_text(_config(CLEAN), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


COMMANDS = {
    "validate": ["validate", "{}"],
    "run": ["run", "{}", "--draws", "20", "--out", "{}.nc"],
    "run-base-case": ["run", "{}", "--base-case", "--out", "{}.nc"],
    "table-text": ["table", "{}", "--by", "year"],
    "table-markdown": ["table", "{}", "--format", "markdown", "--by", "year"],
    "table-csv": ["table", "{}", "--format", "csv"],
    "share": ["share", "{}", "--draws", "20"],
    "sensitivity-tornado": ["sensitivity", "{}"],
    "sensitivity-threshold": ["sensitivity", "{}", "--method", "threshold", "--parameter", "outcomes.placement_probability", "--n", "3",
                              "--points", "2"],
    "sensitivity-variance": ["sensitivity", "{}", "--method", "variance", "--n", "3", "--inner", "2"],
}


def _output(args: list[str], name: str) -> str:
    r = invoke([a.replace("{}", name) for a in args])
    assert r.exit_code == 0, r.output
    return r.stdout


def assert_terminal_safe(out: str):
    assert "\x1b" not in out and "\x9b" not in out, "a terminal escape code reached stdout"
    assert not CONTROL.search(out), f"a control character reached stdout: {CONTROL.search(out)[0]!r}"
    for line in out.splitlines():
        assert not line.startswith(("error:", "warning: x", "error: fake")), f"a fake line: {line!r}"


def _records(out: str) -> list[list[str]]:
    return [r for r in csv.reader(io.StringIO(out)) if r]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_hostile_labels_stay_on_their_line(command, configs):
    hostile = _output(COMMANDS[command], "hostile.toml")
    clean = _output(COMMANDS[command], "clean.toml")
    if command == "table-csv":  # data: a quoted cell keeps its tab or line break, and only those
        assert_terminal_safe(re.sub(r"[\t\r\n]", " ", hostile))
        assert len(_records(hostile)) == len(_records(clean)), "a label added or removed records"
        assert re.search(r'"Gemeente \| Test\\x9b31m\\u202e\r?\nwarning: x"', hostile)  # quoted, one cell
    else:
        assert_terminal_safe(hostile)
        assert len(hostile.splitlines()) == len(clean.splitlines()), "a label added or removed lines"
        assert "UWV\\x1b[31m error: fake: line\\x1b[0m" in hostile  # there, its controls made visible


def test_markdown_escapes_pipes_in_every_cell(configs):
    out = _output(COMMANDS["table-markdown"], "hostile.toml")
    assert "a\\|b\\|c" in out and "Gemeente \\| Test" in out
    for block in out.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            cells = {len(re.split(r"(?<!\\)\|", row)) for row in rows}
            assert len(cells) == 1, f"a row with more columns than its header:\n{block}"


def test_csv_neutralises_formulas_and_keeps_one_record_per_line(configs):
    out = _output(COMMANDS["table-csv"], "hostile.toml")
    rows = _records(out)
    header = rows[0]
    assert all(len(r) == len(header) for r in rows)
    text_columns = [header.index(c) for c in ("id", "label", "party", "kind", "driver")]
    for r in rows[1:]:
        for i in text_columns:
            assert not r[i].startswith(("=", "+", "-", "@", "\t", "\r")), f"a live formula cell: {r[i]!r}"
    labels = {r[header.index("label")] for r in rows[1:]}
    assert "'=1+1" in labels and "$\\frac{1}{$\t-2+3" in labels


@pytest.mark.parametrize("text, expected", [
    ("UWV\x1b[31m\nerror: fake", "UWV\\x1b[31m error: fake"),
    ("a\r\nb\tc\rd", "a b c d"),
    ("\x9b2J\x00\x07\x7f", "\\x9b2J\\x00\\x07\\x7f"),
    ("\u202eevil\u2066", "\\u202eevil\\u2066"),
    ("x\u2028y\x85z", "x y z"),
    ("Zorgverzekeraar (Menzis) é € 😀 ±", "Zorgverzekeraar (Menzis) é € 😀 ±"),
    (42, "42"),
])
def test_plain(text, expected):
    assert plain(text) == expected
    assert plain(plain(text)) == plain(text)


def test_a_hostile_name_in_an_error_message_stays_on_its_line(configs):
    # the message lists the uncertain parameters by name: one of them has an ESC and a newline
    r = invoke(["sensitivity", "hostile.toml", "--method", "threshold", "--parameter", "nope", "--n", "2",
                "--points", "2"])
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert "\x1b" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: --parameter: "), r.stderr
    assert "p_place\\x1b[1m error: bold" in lines[0]


@pytest.mark.parametrize("command", ["run", "table"])
def test_an_output_file_named_with_an_escape_code_is_named_visibly(command, configs):
    # "results written to NAME" printed the name raw: a name can be anything but / and NUL
    name = "\x1b[31m\nerror: x.out"
    args = (["run", "clean.toml", "--draws", "2", "--out", name] if command == "run"
            else ["table", "clean.toml", "--format", "csv", "--out", name])
    r = invoke(args)
    assert r.exit_code == 0, r.output
    assert (configs / name).is_file()
    assert_terminal_safe(r.stdout)
    assert "\\x1b[31m error: x.out" in r.stdout
