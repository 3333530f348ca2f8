"""Registers and status tables: their formats, their checks (FILE:ROW:COLUMN, exit 2, nothing
written), no personal data, and the ``simsav register`` commands (docs/monitoring.md)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from simsav.cli import main as cli_main
from simsav.config import load_config
from simsav.config.register import (
    DataError,
    elfproef,
    month_index,
    read_register,
    read_status,
    write_register,
    write_template,
)

REPO = Path(__file__).resolve().parents[1]
DRECHT = REPO / "configs" / "drechtsteden.toml"
STATUS = REPO / "configs" / "drechtsteden-status-2020-05.csv"


@pytest.fixture(scope="module")
def cfg():
    return load_config(DRECHT)


def invoke(args):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    r = runner.invoke(cli_main, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r


HEADER = "id,stream,start,event,month\n"


def write(tmp_path, text, name="reg.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def problems(path, cfg, as_of="2020-05"):
    with pytest.raises(DataError) as e:
        read_register(path, cfg, as_of)
    return str(e.value).splitlines()


# ----------------------------------------------------------------------------- a good register
def test_a_register_reads_into_lives_and_counts(tmp_path, cfg):
    p = write(tmp_path, "# a comment line: skipped\n" + HEADER +
              "A1,bijstand,2017-06,mediation,2017-07\n"
              "A1,bijstand,2017-06,placement,2017-09\n"
              "A2,uwv,2018-01,mediation,2018-01\n"
              "A2,uwv,2018-01,placement,2018-01\n"
              "A2,uwv,2018-01,job_end,2018-05\n"
              "A2,uwv,2018-01,on_hold,2018-05\n"
              "A2,uwv,2018-01,mediation,2018-09\n"
              "A3,bijstand,2019-03,mediation,2019-04\n"
              "A3,bijstand,2019-03,dropout,2019-06\n"
              "A4,uwv,2020-04,,\n"
              "A5,uwv,2019-01,mediation,2019-01\n"
              "A5,uwv,2019-01,placement,2019-02\n"
              "A5,uwv,2019-01,job_end,2019-04\n"
              "A5,uwv,2019-01,dropout,2019-04\n")
    reg = read_register(p, cfg, "2020-05")
    assert reg.as_of == month_index("2020-05", "2017-06") == 35
    assert reg.state_counts() == {"waiting": 1, "mediation": 1, "working": 1, "on_hold": 0, "dropped_out": 2}
    ev = reg.event_counts()
    # A1 placed 2017-09 and still at work in 2020-05: a success; A2's 4-month spell is not
    assert ev == {"start": 5, "placement": 3, "success": 1, "relapse": 2, "dropout": 2, "first_placement": 3}
    # the census defaults to the latest month in the register
    assert read_register(p, cfg).as_of == month_index("2020-04", "2017-06")


# ----------------------------------------------------------------------------- bad registers
BAD = [
    ("unknown-stream", "A1,wajong,2017-06,mediation,2017-07\n", "3:stream: unknown stream 'wajong'"),
    ("bad-month", "A1,bijstand,2017-06,mediation,2017-13\n", "3:month: must be a month YYYY-MM"),
    ("bad-start", "A1,bijstand,juni 2017,mediation,2017-07\n", "3:start: must be a month YYYY-MM"),
    ("start-outside-horizon", "A1,bijstand,2016-01,mediation,2017-07\n", "3:start: 2016-01 is outside"),
    ("unknown-event", "A1,bijstand,2017-06,hired,2017-07\n", "3:event: unknown event 'hired'"),
    ("out-of-order", "A1,bijstand,2017-06,mediation,2017-09\nA1,bijstand,2017-06,placement,2017-08\n",
     "4:month: 2017-08 is before the previous event (mediation)"),
    ("before-start", "A1,bijstand,2017-08,mediation,2017-07\n", "3:month: 2017-07 is before the start"),
    ("placement-from-waiting", "A1,bijstand,2017-06,placement,2017-07\n", "3:event: 'placement' cannot follow waiting"),
    ("job-end-from-mediation", "A1,bijstand,2017-06,mediation,2017-07\nA1,bijstand,2017-06,job_end,2017-08\n",
     "4:event: 'job_end' cannot follow mediation"),
    ("dropout-late-from-hold",
     "A1,bijstand,2017-06,mediation,2017-06\nA1,bijstand,2017-06,placement,2017-07\n"
     "A1,bijstand,2017-06,job_end,2017-09\nA1,bijstand,2017-06,dropout,2017-12\n",
     "6:event: 'dropout' cannot follow on hold"),
    ("after-dropout", "A1,bijstand,2017-06,mediation,2017-06\nA1,bijstand,2017-06,dropout,2017-07\n"
                      "A1,bijstand,2017-06,mediation,2017-09\n", "5:event: 'mediation' cannot follow a drop-out"),
    ("zero-month-job", "A1,bijstand,2017-06,mediation,2017-06\nA1,bijstand,2017-06,placement,2017-07\n"
                       "A1,bijstand,2017-06,job_end,2017-07\n", "5:month: a job ends at least a month after"),
    ("after-census", "A1,bijstand,2017-06,mediation,2020-06\n", "3:month: 2020-06 is after the census 2020-05"),
    ("start-after-census", "A1,bijstand,2020-07,,\n", "3:start: 2020-07 is after the census"),
    ("duplicate-id", "A1,bijstand,2017-06,mediation,2017-06\nA1,uwv,2018-01,,\n",
     "4:stream: differs from row 3 of id 'A1': is the id used for two participants?"),
    ("blank-event-beside-events", "A1,bijstand,2017-06,,\nA1,bijstand,2017-06,mediation,2017-07\n",
     "3:event: is empty, but id 'A1' has events"),
    ("no-id", ",bijstand,2017-06,,\n", "3:id: is empty"),
]


@pytest.mark.parametrize("case, rows, message", BAD, ids=[b[0] for b in BAD])
def test_a_bad_register_is_refused_by_row_and_column(case, rows, message, tmp_path, cfg):
    p = write(tmp_path, "# comment\n" + HEADER + rows)
    lines = problems(p, cfg)
    assert any(line.startswith(f"{p}:") and message in line for line in lines), lines


def test_max_spells_is_the_models(tmp_path, cfg):
    rows = "A1,bijstand,2017-06,mediation,2017-06\n"
    m = 7
    for _ in range(3):  # drechtsteden: max_spells = 3
        rows += f"A1,bijstand,2017-06,placement,2017-{m:02d}\nA1,bijstand,2017-06,job_end,2017-{m + 1:02d}\n"
        rows += f"A1,bijstand,2017-06,mediation,2017-{m + 1:02d}\n"
        m += 1
    lines = problems(write(tmp_path, HEADER + rows), cfg)
    assert any("back in mediation after job spell 3" in line for line in lines), lines


def test_every_problem_is_reported(tmp_path, cfg):
    p = write(tmp_path, HEADER + "A1,wajong,2017-06,mediation,2017-07\nA2,bijstand,2017-06,hired,2017-07\n")
    lines = problems(p, cfg)
    assert len(lines) == 2 and lines[0].startswith(f"{p}:2:stream:") and lines[1].startswith(f"{p}:3:event:")


# ----------------------------------------------------------------------------- no personal data
def test_elfproef():
    assert elfproef("111222333")  # 9+8+7+12+10+8+9+6-3 = 66 = 6 x 11
    assert not elfproef("111222334")
    assert not elfproef("12345678")


PERSONAL = [
    ("bsn-column", "id,stream,start,event,month,bsn\n", "A1,bijstand,2017-06,,,1\n", "1:bsn: looks like a BSN"),
    ("name-column", "id,stream,start,event,month,naam\n", "A1,bijstand,2017-06,,,x\n", "1:naam: looks like a name"),
    ("birth-column", "id,stream,start,event,month,geboortedatum\n", "A1,bijstand,2017-06,,,x\n",
     "1:geboortedatum: looks like a birth date"),
    ("postcode-column", "id,stream,start,event,month,postcode\n", "A1,bijstand,2017-06,,,x\n",
     "1:postcode: looks like an address"),
    ("bsn-as-id", HEADER, "111222333,bijstand,2017-06,,\n", "2:id: looks like a BSN (9 digits passing the elfproef)"),
    ("postcode-as-id", HEADER, "3311AB,bijstand,2017-06,,\n", "2:id: looks like a postcode"),
    ("birth-date-as-month", HEADER, "A1,bijstand,2017-06,mediation,03-04-1980\n", "2:month: must be a month YYYY-MM"),
]


@pytest.mark.parametrize("case, header, rows, message", PERSONAL, ids=[p[0] for p in PERSONAL])
def test_personal_data_is_refused(case, header, rows, message, tmp_path, cfg):
    lines = problems(write(tmp_path, header + rows), cfg)
    assert any(message in line for line in lines), lines
    assert any("personal data" in line or "YYYY-MM" in line for line in lines)


def test_nine_digits_that_fail_the_elfproef_are_a_pseudonym(tmp_path, cfg):
    reg = read_register(write(tmp_path, HEADER + "111222334,bijstand,2017-06,,\n"), cfg, "2020-05")
    assert reg.participants[0].id == "111222334"


# ----------------------------------------------------------------------------- XLSX and round trips
def test_register_round_trips_through_csv_and_xlsx(tmp_path, cfg):
    p = write(tmp_path, HEADER + "A1,bijstand,2017-06,mediation,2017-07\nA1,bijstand,2017-06,placement,2017-09\n"
              "A2,uwv,2020-04,,\n")
    reg = read_register(p, cfg, "2020-05")
    for name in ("again.csv", "again.xlsx"):
        write_register(tmp_path / name, reg, cfg)
        back = read_register(tmp_path / name, cfg, "2020-05")
        assert [(q.id, q.stream, q.start, q.events, q.state) for q in back.participants] == \
               [(q.id, q.stream, q.start, q.events, q.state) for q in reg.participants]


def test_template_is_an_empty_register_with_the_streams(tmp_path, cfg):
    for name in ("t.csv", "t.xlsx"):
        write_template(tmp_path / name, cfg)
        with pytest.raises(DataError, match="has no participants"):
            read_register(tmp_path / name, cfg, "2020-05")
    text = (tmp_path / "t.csv").read_text()
    assert "bijstand, uwv" in text and text.splitlines()[-1].startswith("id,stream,start,event,month,benefit_end")


# ----------------------------------------------------------------------------- status table
def test_drechtsteden_status_table_is_seed_003s(cfg):
    t = read_status(STATUS, cfg)
    assert t.census == "2020-05" and t.as_of == 35 and t.total == 76
    assert t.states == {"working": 32, "mediation": 19, "on_hold": 9, "dropped_out": 10, "waiting": 4, "other": 2}
    assert t.streams == {"bijstand": 49, "uwv": 27}
    assert t.events == {"first_placement": 38, "relapse": 11}
    assert all(s.startswith("seed 003 line") for s in t.sources.values())


@pytest.mark.parametrize("old, new, message", [
    ("state,working,32", "state,working,33", "the states add up to 77, not the cohort's 76"),
    ("stream,uwv,27", "stream,uwv,28", "the streams add up to 77"),
    ("stream,uwv,27", "stream,wajong,27", "unknown stream 'wajong'"),
    ("state,waiting,4", "state,resting,4", "unknown state 'resting'"),
    ("2020-05,state,other", "2020-06,state,other", "2020-06 differs from row"),
    ("state,other,2", "state,other,two", "must be a whole number"),
])
def test_a_bad_status_table_is_refused(old, new, message, tmp_path, cfg):
    text = STATUS.read_text()
    assert text.count(old) == 1
    p = write(tmp_path, text.replace(old, new), "status.csv")
    with pytest.raises(DataError) as e:
        read_status(p, cfg)
    assert message in str(e.value) and str(e.value).startswith(f"{p}:")


# ----------------------------------------------------------------------------- the commands
def test_register_commands(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke(["register", "template", DRECHT, "--out", "t.xlsx"])
    assert r.exit_code == 0 and Path("t.xlsx").stat().st_size > 0
    r = invoke(["register", "simulate", DRECHT, "--as-of", "2020-05", "--seed", "1", "--out", "demo.csv"])
    assert r.exit_code == 0, r.stderr
    r = invoke(["register", "check", "demo.csv", "--config", DRECHT, "--as-of", "2020-05", "--lang", "en"])
    assert r.exit_code == 0, r.stderr
    assert "76 participants, census 2020-05" in r.stdout
    assert "P01" not in r.stdout  # no individual
    r = invoke(["register", "check", STATUS, "--config", DRECHT, "--lang", "nl"])
    assert r.exit_code == 0 and "aan het werk" in r.stdout and "32" in r.stdout


def test_register_commands_refuse_bad_input_and_write_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke(["register", "simulate", DRECHT, "--as-of", "2030-01", "--out", "demo.csv"])
    assert r.exit_code == 2 and "error: --as-of: 2030-01 is outside" in r.stderr and not Path("demo.csv").exists()
    r = invoke(["register", "template", DRECHT, "--out", "t.txt"])
    assert r.exit_code == 2 and "error: --out:" in r.stderr and not Path("t.txt").exists()
    cfg_copy = tmp_path / "c.csv"
    cfg_copy.write_text("x")
    r = invoke(["register", "template", cfg_copy, "--out", cfg_copy])
    assert r.exit_code == 2 and "does not write over its input" in r.stderr and cfg_copy.read_text() == "x"
    Path("bad.csv").write_text(HEADER + "A1,wajong,2017-06,,\n")
    r = invoke(["register", "check", "bad.csv", "--config", DRECHT])
    assert r.exit_code == 2 and r.stderr.strip() == ("error: bad.csv:2:stream: unknown stream 'wajong'; the config's "
                                                     "streams are bijstand, uwv")


def test_xlsx_month_cells_may_be_dates(tmp_path, cfg):
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["# written by hand in a spreadsheet"])
    ws.append(["id", "stream", "start", "event", "month"])
    ws.append(["A1", "bijstand", dt.datetime(2017, 6, 1), "mediation", dt.datetime(2017, 7, 1)])
    ws.append(["A1", "bijstand", dt.datetime(2017, 6, 1), "placement", "2017-09"])
    wb.save(tmp_path / "r.xlsx")
    reg = read_register(tmp_path / "r.xlsx", cfg, "2020-05")
    assert reg.participants[0].events == (("mediation", 1), ("placement", 3))


def test_the_shipped_synthetic_register_checks(cfg):
    reg = read_register(REPO / "configs" / "drechtsteden-register-synthetic-2020-05.csv", cfg, "2020-05")
    assert len(reg.participants) == 76 and sum(reg.state_counts().values()) == 76
