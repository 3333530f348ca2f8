"""Limits on what a config can hold, and files that are no config: each is one clear
``error: FILE: FIELD: what is wrong`` line (exit 2, no traceback, nothing written) through
``simsav validate`` and ``simsav run``, instead of a hang, a crash or a results file of inf and nan.

The limits (simsav.config.schema, simsav.config.load): at most 10,000,000 participants, euro
amounts within 1e9 (over everything a distribution draws), multipliers within 1e6, at most 60
hours a week, a discount rate of at most 0.5, a horizon within 1900-01 .. 2199-12, an inflow no
longer than the horizon, one number per distribution name; a config file is a regular file of
at most 10 MB, nested at most 32 levels deep.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from simsav.config import load_config
from simsav.config import load as load_module
from simsav.config import schema
from simsav.config.load import MAX_CONFIG_BYTES, MAX_NESTING, reach
from simsav.errors import ConfigError
from test_bad_input import EXIT_BAD_INPUT, assert_no_output_files, assert_reported, invoke

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Limit:
    """A config past a limit: each ``old`` replaced by its ``new`` (each exactly once) in the small config."""

    id: str
    edits: tuple[tuple[str, str], ...]
    field: str
    problem: str  # a regular expression the message must match after the field path


def edited(text: str, edits) -> str:
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} must occur exactly once in the config"
        text = text.replace(old, new)
    return text


AGREEMENT = 'title = "Small test case"\n\n[agreement]\nrule = "outcome_payments"\n'
def _counts(bijstand: str, ww: str):
    return (("size = 40\n", ""), ("share = 0.6", f"count = {bijstand}"), ("share = 0.4", f"count = {ww}"))


LIMITS = [
    # participants: 1e20 overflowed int64 in the kernel's counts (OverflowError)
    Limit("cohort-size-1e20", (("size = 40", "size = 1e20"),), "cohort.size",
          r"must be at most 10000000 participants, got 1e\+20: simsav follows every participant in every draw; "
          r"for a larger population, model a smaller cohort and scale the totals"),
    Limit("cohort-size-past-limit", (("size = 40", "size = 10000001"),), "cohort.size",
          r"must be at most 10000000 participants, got 10000001"),
    Limit("cohort-size-beyond-64-bits", (("size = 40", "size = 123456789012345678901234567890"),), "cohort.size",
          r"must be at most 10000000 participants, got 123456789012345678901234567890"),
    Limit("stream-count-1e20", _counts("1e20", "16"), "streams.bijstand.count",
          r"must be at most 10000000 participants, got 1e\+20"),
    Limit("stream-counts-add-up-past-limit", _counts("6000000", "5000000"), "streams",
          r"stream counts add up to 11000000, more than the 10000000 participants a config may hold"),
    Limit("horizon-1e20", (("horizon_months = 24", "horizon_months = 1e20"),), "cohort.horizon_months",
          r"must be at most 600, got 1e\+20"),
    # euros: 1e308 made every sum inf/nan ('-' for every party, "breaks even 100%", table crashed)
    Limit("amount-1e308", (("amount = 300", "amount = 1e308"),), "items.coaching.amount",
          r"must be at most 1e9 euros \(a billion: more than a business case holds; is the amount in euros\?\), "
          r"got 1e\+308"),
    Limit("amount-past-limit", (("amount = 300", "amount = 1.5e9"),), "items.coaching.amount",
          r"must be at most 1e9 euros.*got 1\.5e\+09"),
    Limit("amount-uniform-reaching-1e308", (("low = 400, high = 600", "low = 400, high = 1e308"),),
          "items.intake.amount", r"must be at most 1e9 euros.*got a range reaching 1e\+308"),
    Limit("amount-lognormal-tail", (("amount = 300", 'amount = { dist = "lognormal", mean = 300, sd = 3e6 }'),),
          "items.coaching.amount", r"must be at most 1e9 euros.*got a range reaching \d"),
    Limit("amount-gamma-tail", (("amount = 300", 'amount = { dist = "gamma", mean = 300, sd = 3e5 }'),),
          "items.coaching.amount", r"must be at most 1e9 euros.*got a range reaching \d"),
    Limit("monthly-benefit-past-limit", (("monthly_benefit = 1100", "monthly_benefit = 1e12"),),
          "streams.bijstand.monthly_benefit", r"must be at most 1e9 euros.*got 1e\+12"),
    Limit("price-per-success-past-limit", (('title = "Small test case"', AGREEMENT + "price_per_success = 1e300\n"),),
          "agreement.price_per_success", r"must be at most 1e9 euros.*got 1e\+300"),
    Limit("quantity-past-limit", (("eligible_share = 0.8", "eligible_share = 0.8\nquantity = 1e300"),),
          "items.coaching.quantity", r"must be at most 1e6 \(a multiplier of an amount\), got 1e\+300"),
    Limit("schedule-value-past-limit",
          (("eligible_share = 0.8", "eligible_share = 0.8\nschedule = { by = \"months_in_state\", breaks = [6], "
            "values = [1.0, 1e200] }"),),
          "items.coaching.schedule.values.1", r"must be at most 1e6 \(a multiplier of an amount\), got 1e\+200"),
    # the calendar: a horizon outside datetime64[ns] wrote a file neither xarray nor simsav could open
    Limit("start-2300", (('start = "2024-01"', 'start = "2300-01"'),), "cohort.start",
          r'must lie within 1900-01 to 2199-12 \(the dates a results file can hold\), got "2300-01"'),
    Limit("start-1600", (('start = "2024-01"', 'start = "1600-01"'),), "cohort.start",
          r'must lie within 1900-01 to 2199-12.*got "1600-01"'),
    Limit("horizon-past-2199", (('start = "2024-01"', 'start = "2199-01"'),), "cohort.horizon_months",
          r"the horizon runs from 2199-01 to 2200-12, past 2199-12: it must lie within 1900-01 to 2199-12 "
          r"\(the dates a results file can hold\); start earlier or follow fewer months"),
    # silently accepted nonsense
    Limit("discount-rate-percent", (('start = "2024-01"', 'start = "2024-01"\ndiscount_rate = 2'),),
          "cohort.discount_rate",
          r"an annual rate must be at most 0\.5 \(50%\), got 2: write a fraction, 0\.02 for 2%"),
    Limit("discount-rate-distribution-percent",
          (('start = "2024-01"', 'start = "2024-01"\ndiscount_rate = { dist = "uniform", low = 1, high = 4 }'),),
          "cohort.discount_rate", r"at most 0\.5 \(50%\), got a range reaching 4: write a fraction, 0\.02 for 2%"),
    Limit("hours-per-week-500", (("hours_per_week = 24", "hours_per_week = 500"),), "outcomes.hours_per_week",
          r"must be at most 60 hours a week \(a week has 168 hours; full time is 36 to 40\), got 500"),
    Limit("hours-per-week-stream-override",
          (("placement_probability = 0.5", "placement_probability = 0.5\nhours_per_week = 61"),),
          "outcomes.streams.ww.hours_per_week", r"must be at most 60 hours a week.*got 61"),
    Limit("inflow-months-past-horizon", (('start = "2024-01"', 'start = "2024-01"\ninflow_months = 30'),),
          "cohort.inflow_months",
          r"is 30, more than the 24 months of the horizon \(horizon_months\): starts after it would be dropped; "
          r"spread the starts over at most 24 months"),
    Limit("inflow-weights-past-horizon",
          (('start = "2024-01"', 'start = "2024-01"\ninflow_weights = [' + ", ".join(["1"] * 25) + "]"),),
          "cohort.inflow_weights",
          r"has 25 entries, more than the 24 months of the horizon \(horizon_months\): starts after it would be "
          r"dropped; give at most 24 weights"),
    Limit("duplicate-distribution-name",
          (("low = 400, high = 600 }", 'low = 400, high = 600, name = "p_place" }'),), "items.intake.amount.name",
          r"'p_place' is already the name of outcomes\.placement_probability; give each distribution its own name"),
    Limit("distribution-name-is-another-path",
          (("low = 400, high = 600 }", 'low = 400, high = 600, name = "items.coaching.amount" }'),),
          "items.intake.amount.name",
          r"'items\.coaching\.amount' is the path of another number; give this distribution a name that is no path"),
]

SUBPROCESS_LIMITS = {"cohort-size-1e20", "amount-1e308", "start-2300", "duplicate-distribution-name"}


@pytest.mark.parametrize("case", LIMITS, ids=lambda c: c.id)
def test_validate_rejects_a_config_past_a_limit(case, small_config_text, write_config, tmp_path, monkeypatch):
    path = write_config(edited(small_config_text, case.edits), "bad.toml")
    monkeypatch.chdir(tmp_path)
    r = invoke(["validate", path.name])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert_reported(r.stderr, r.stdout, "bad.toml", case.field, case.problem)


@pytest.mark.parametrize("case", LIMITS, ids=lambda c: c.id)
def test_run_rejects_a_config_past_a_limit(case, small_config_text, write_config, tmp_path, monkeypatch):
    path = write_config(edited(small_config_text, case.edits), "bad.toml")
    monkeypatch.chdir(tmp_path)
    r = invoke(["run", path.name, "--draws", "20", "--out", "out.nc"])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert_reported(r.stderr, r.stdout, "bad.toml", case.field, case.problem)
    assert_no_output_files(tmp_path, keep={"bad.toml"})


@pytest.mark.parametrize("case", [c for c in LIMITS if c.id in SUBPROCESS_LIMITS], ids=lambda c: c.id)
def test_run_rejects_a_config_past_a_limit_in_a_subprocess(case, small_config_text, write_config, run_simsav,
                                                            tmp_path):
    path = write_config(edited(small_config_text, case.edits), "bad.toml")
    r = run_simsav("run", path.name, "--draws", "20", "--out", "out.nc")
    assert r.returncode == EXIT_BAD_INPUT, r.stderr + r.stdout
    assert_reported(r.stderr, r.stdout, "bad.toml", case.field, case.problem)
    assert_no_output_files(tmp_path, keep={"bad.toml"})


def test_every_limit_is_reported_at_once(small_config_text, write_config, tmp_path, monkeypatch):
    ids = ("amount-1e308", "start-2300", "hours-per-week-500", "duplicate-distribution-name")
    text = small_config_text
    for case in LIMITS:
        if case.id in ids:
            text = edited(text, case.edits)
    path = write_config(text, "bad.toml")
    monkeypatch.chdir(tmp_path)
    r = invoke(["validate", path.name])
    assert r.exit_code == EXIT_BAD_INPUT
    for case in LIMITS:
        if case.id in ids:
            assert_reported(r.stderr, r.stdout, "bad.toml", case.field, case.problem, n_problems=len(ids))


# --------------------------------------------------------------------------- at the limits: accepted


AT_THE_LIMITS = [
    pytest.param((("size = 40", f"size = {schema.MAX_PARTICIPANTS}"),), id="size"),
    pytest.param(_counts("6000000", "4000000"), id="stream-counts"),
    pytest.param((("amount = 300", "amount = 1e9"),), id="amount"),
    pytest.param((("low = 400, high = 600", "low = 400, high = 1e9"),), id="amount-distribution"),
    pytest.param((("amount = 300", 'amount = { dist = "gamma", mean = 300, sd = 100 }'),), id="amount-gamma"),
    pytest.param((("amount = 300", 'amount = { dist = "lognormal", mean = 300, sd = 150 }'),), id="amount-lognormal"),
    pytest.param((("eligible_share = 0.8", "eligible_share = 0.8\nquantity = 1e6"),), id="quantity"),
    pytest.param((("hours_per_week = 24", "hours_per_week = 60"),), id="hours"),
    pytest.param((('start = "2024-01"', 'start = "2024-01"\ndiscount_rate = 0.5'),), id="discount-rate"),
    pytest.param((('start = "2024-01"', 'start = "1900-01"'),), id="first-month"),
    pytest.param((('start = "2024-01"', 'start = "2198-01"'),), id="last-month"),
    pytest.param((('start = "2024-01"', 'start = "2024-01"\ninflow_months = 24'),), id="inflow-months"),
    pytest.param((('start = "2024-01"', 'start = "2024-01"\ninflow_weights = [' + ", ".join(["1"] * 24) + "]"),),
                 id="inflow-weights"),
    pytest.param((("low = 400, high = 600 }", 'low = 400, high = 600, name = "items.intake.amount" }'),),
                 id="name-is-its-own-path"),
]


@pytest.mark.parametrize("edits", AT_THE_LIMITS)
def test_a_config_at_a_limit_loads(edits, small_config_text, write_config):
    load_config(write_config(edited(small_config_text, edits), "ok.toml"))


def test_a_run_at_the_limits_writes_finite_results_with_dates(small_config_text, write_config, tmp_path,
                                                              monkeypatch):
    # the largest amounts, multipliers and hours a config may hold, over the last months a results file holds:
    # the results file opens, its dates are the horizon's and every sum is finite
    import xarray as xr

    text = edited(small_config_text, (
        ('start = "2024-01"', 'start = "2198-01"\ndiscount_rate = 0.5'),
        ("amount = 300", "amount = 1e9\nquantity = 1e6"),
        ("monthly_benefit = 1100", "monthly_benefit = 1e9"),
        ("hours_per_week = 24", "hours_per_week = 60"),
    ))
    path = write_config(text, "limits.toml")
    monkeypatch.chdir(tmp_path)
    r = invoke(["run", path.name, "--draws", "20", "--out", "out.nc"])
    assert r.exit_code == 0, r.output
    with xr.open_dataset(tmp_path / "out.nc") as ds:
        dates = ds["date"].values
        assert str(dates[0])[:7] == "2198-01" and str(dates[-1])[:7] == "2199-12"
        for name in ("costs", "savings", "net", "cum_net", "item_flow", "sroi"):
            assert np.isfinite(ds[name].values).all(), name
        assert ds["costs"].values.max() > 1e15  # the amounts were used, not dropped
        floats = [v.values for v in ds.data_vars.values() if v.dtype.kind == "f"]
        assert not any(np.isinf(values).any() for values in floats)
    all_parties = next(line for line in r.stdout.splitlines() if line.startswith("All parties"))
    assert " - " not in all_parties and "100%" not in all_parties, r.stdout
    r = invoke(["table", path.name])
    assert r.exit_code == 0, r.output
    assert not re.search(r"\b(nan|inf)\b", r.stdout, flags=re.I), r.stdout


def test_the_shipped_configs_are_within_the_limits():
    from conftest import REGION_CONFIGS, SCENARIOS

    for path in [*REGION_CONFIGS, *SCENARIOS]:
        load_config(path)


@pytest.mark.parametrize("spec", [
    {"dist": "lognormal", "mean": 300.0, "sd": 150.0},
    {"dist": "lognormal", "mean": 5.0, "sd": 40.0},
    {"dist": "gamma", "mean": 300.0, "sd": 100.0},
    {"dist": "gamma", "mean": 2.0, "sd": 20.0},
    {"dist": "gamma", "mean": 1000.0, "sd": 10.0},
    {"dist": "normal", "mean": 10.0, "sd": 3.0},
    {"dist": "normal", "mean": 10.0, "sd": 3.0, "low": 0.0},
    {"dist": "normal", "mean": 10.0, "sd": 3.0, "low": 25.0},
    {"dist": "normal", "mean": 10.0, "sd": 3.0, "high": 5.0},
], ids=lambda s: "-".join(str(v) for v in s.values()))
def test_reach_holds_everything_the_sampler_draws(spec):
    # the sampler draws at probabilities in [1e-12, 1 - 1e-12] (simsav.model.parameters): the bound is beyond
    from pydantic import TypeAdapter

    from simsav.config.distributions import Number
    from simsav.model import sampling

    dist = TypeAdapter(Number).validate_python(spec)
    lo, hi = reach(dist)
    drawn = sampling.ppf(dist, np.array([1e-12, 1 - 1e-12]))
    assert lo <= drawn[0] and drawn[1] <= hi
    assert math.isfinite(lo) and math.isfinite(hi)
    spread = max(abs(drawn[1]), abs(drawn[0]), 1.0)
    assert hi - lo < 20 * spread  # a bound, not a refusal of every distribution without one


# --------------------------------------------------------------------------- files that are no config


def _fail_both_ways(run_simsav, path: Path, problem: str, in_process: bool = True):
    """Check ``simsav run`` (a subprocess, so a hang times out) and ``simsav validate`` (in-process where safe)."""
    r = run_simsav("run", path.name, "--draws", "20", "--out", "out.nc", cwd=path.parent, timeout=120)
    assert r.returncode == EXIT_BAD_INPUT, r.stderr + r.stdout
    assert_reported(r.stderr, r.stdout, path.name, "", problem)
    assert not (path.parent / "out.nc").exists()
    if in_process:
        r = invoke(["validate", str(path)])
        assert r.exit_code == EXIT_BAD_INPUT, r.output
        assert_reported(r.stderr, r.stdout, str(path), "", problem)
    else:
        r = run_simsav("validate", path.name, cwd=path.parent, timeout=120)
        assert r.returncode == EXIT_BAD_INPUT, r.stderr + r.stdout
        assert_reported(r.stderr, r.stdout, path.name, "", problem)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path, run_simsav):
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    _fail_both_ways(run_simsav, path, r"is a FIFO \(named pipe\), not a regular file: give the path of a config "
                                      r"file \(\.toml\)", in_process=False)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_is_refused_without_reading_it(tmp_path, run_simsav):
    path = tmp_path / "zero.toml"
    path.symlink_to("/dev/zero")
    _fail_both_ways(run_simsav, path, r"is a character device, not a regular file", in_process=False)
    r = run_simsav("validate", "/dev/zero", timeout=120)
    assert r.returncode == EXIT_BAD_INPUT
    assert_reported(r.stderr, r.stdout, "/dev/zero", "", r"is a character device, not a regular file")


def test_a_file_over_the_size_limit_is_refused_and_named_by_its_size(tmp_path, run_simsav):
    assert MAX_CONFIG_BYTES == 10_000_000
    path = tmp_path / "huge.toml"
    path.write_bytes(b"# " + b"x" * (12_345_678 - 3) + b"\n")
    _fail_both_ways(run_simsav, path, r"is 12\.3 MB, more than the 10 MB a config may be: is it a config file\?")


def test_a_file_just_over_the_size_limit_says_so(tmp_path, monkeypatch, small_config_text):
    path = tmp_path / "big.toml"
    path.write_text(small_config_text + "#" * (MAX_CONFIG_BYTES + 1 - len(small_config_text)))
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.problems == [("", "is 10,000,001 bytes, more than the 10 MB a config may be: is it a config "
                                       "file?")]
    # the limit is the module constant, read when a file is loaded: a file of exactly that size loads
    monkeypatch.setattr(load_module, "MAX_CONFIG_BYTES", len(small_config_text.encode("utf-8")))
    load_config(_write(tmp_path / "ok.toml", small_config_text))
    with pytest.raises(ConfigError, match="more than the"):
        load_config(_write(tmp_path / "ok.toml", small_config_text + "\n"))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text", [
    "x = " + "[" * 20_000 + "]" * 20_000 + "\n",
    "x = " + "{ a = " * 20_000 + "1" + " }" * 20_000 + "\n",
    "a" + ".a" * 20_000 + " = 1\n",
    "x = " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1) + "\n",
], ids=["arrays-20000", "inline-tables-20000", "dotted-keys-20000", "arrays-past-the-limit"])
def test_deep_nesting_is_refused(text, tmp_path, run_simsav):
    path = _write(tmp_path / "deep.toml", text)
    _fail_both_ways(run_simsav, path, r"is nested too deeply: a config has at most 32 levels of tables and arrays "
                                      r"inside each other")


# --------------------------------------------------------------------------- TOML a text editor makes


def test_a_byte_order_mark_is_ignored(small_config_text, tmp_path, monkeypatch):
    plain = _write(tmp_path / "plain.toml", small_config_text)
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + small_config_text.encode("utf-8"))
    assert load_config(bom).model_dump() == load_config(plain).model_dump()
    monkeypatch.chdir(tmp_path)
    r = invoke(["validate", bom.name])
    assert r.exit_code == 0, r.output
    r = invoke(["run", bom.name, "--draws", "20", "--out", "out.nc"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out.nc").exists()


INLINE_HINT = r"inline tables \{ \.\.\. \} must be on one line in TOML 1\.0; split it as a \[table\]"


@pytest.mark.parametrize("old, new", [
    ('mean = 0.4, sd = 0.08, name = "p_place" }', 'mean = 0.4,\n    sd = 0.08, name = "p_place" }'),
    ('{ dist = "uniform", low = 400, high = 600 }', '{\n  dist = "uniform", low = 400, high = 600 }'),
    ('{ dist = "uniform", low = 400, high = 600 }', '{ dist = "uniform", low = 400, # assumed\n high = 600 }'),
    ('{ dist = "uniform", low = 400, high = 600 }', '{ dist = "uniform", low = 400, high = 600\n }'),
], ids=["after-a-comma", "after-the-brace", "before-a-comment", "before-the-closing-brace"])
def test_an_inline_table_over_lines_gets_a_hint(old, new, small_config_text, write_config, tmp_path, monkeypatch):
    path = write_config(edited(small_config_text, ((old, new),)), "bad.toml")
    monkeypatch.chdir(tmp_path)
    for args in (["validate", path.name], ["run", path.name, "--draws", "20", "--out", "out.nc"]):
        r = invoke(args)
        assert r.exit_code == EXIT_BAD_INPUT, r.output
        assert_reported(r.stderr, r.stdout, "bad.toml", "", r"invalid TOML: .*\(at line \d+, column \d+\): " + INLINE_HINT)
    assert_no_output_files(tmp_path, keep={"bad.toml"})


@pytest.mark.parametrize("old, new", [
    ("[[items]]", "[[items]"),
    ('title = "Small test case"', 'title = "Small { test case" x'),
    ("amount = 300", "amount = 300 300"),
], ids=["table-header", "brace-in-a-string", "two-values"])
def test_other_toml_errors_get_no_inline_table_hint(old, new, small_config_text, write_config, tmp_path,
                                                    monkeypatch):
    text = small_config_text.replace(old, new, 1)
    path = write_config(text, "bad.toml")
    monkeypatch.chdir(tmp_path)
    r = invoke(["validate", path.name])
    assert r.exit_code == EXIT_BAD_INPUT, r.output
    assert_reported(r.stderr, r.stdout, "bad.toml", "", r"invalid TOML: .*line \d+")
    assert "inline tables" not in r.stderr


def test_an_array_over_lines_inside_an_inline_table_is_valid(small_config_text, write_config):
    # TOML 1.0 lets an array go on over lines, also inside an inline table: no false refusal
    text = edited(small_config_text, (("amount = 300", 'amount = { dist = "discrete", values = [250,\n 300,\n 350] }'),))
    load_config(write_config(text, "ok.toml"))
