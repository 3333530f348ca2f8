"""Observed data: a participant register and an aggregate status table, read and validated.

A *participant register* (CSV or XLSX, docs/monitoring.md) is one row per event of a
participant's life: ``id, stream, start, event, month`` (``id``: a pseudonym; ``start`` and
``month``: ``YYYY-MM``), and optionally ``benefit_end`` (the month the participant's benefit
would have ended, for items capped by it) and ``receives_<item>`` (1/0: receives an item only
some participants get). The events are the model's (``simsav.codes``): ``mediation`` (intake
done, or back from on hold), ``placement``, ``job_end`` (the model's relapse), ``on_hold`` (in
the month of a job end, optional) and ``dropout``. Each life must be one the model can live
(:data:`TRANSITIONS`); a participant with no event yet has one row with ``event`` and
``month`` empty.

An *aggregate status table* (CSV or XLSX) is what regions report in practice: per census month
the number of participants in each state, per stream, and the events to date.

Both are checked against a config and a census month (``as_of``); every problem is reported as
``FILE:ROW:COLUMN: message`` (:class:`DataError`). Neither holds personal data: a column that
looks like a name, a BSN, a birth date or an address is refused, and so is a cell that passes
the BSN's elfproef or looks like a postcode, a date of birth or an e-mail address.

Imports nothing of simsav above ``simsav.config`` (the data floor).
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..codes import EVENTS, N_STATES, S_DROPPED, S_MEDIATION, S_ON_HOLD, S_WAITING, S_WORKING, STATES
from ..errors import InputError
from ..files import write_atomically
from .schema import Config

# ----------------------------------------------------------------------------- vocabulary
REGISTER_EVENTS = ("mediation", "placement", "job_end", "on_hold", "dropout")
"""The events a register records (docs/monitoring.md)."""

REQUIRED_COLUMNS = ("id", "stream", "start", "event", "month")
OPTIONAL_COLUMNS = ("benefit_end",)
RECEIVES_PREFIX = "receives_"

TRANSITIONS = {
    # event: (the states it may come from, the state it leads to)
    "mediation": ((S_WAITING, S_ON_HOLD), S_MEDIATION),
    "placement": ((S_MEDIATION,), S_WORKING),
    "job_end": ((S_WORKING,), S_ON_HOLD),
    "on_hold": ((S_ON_HOLD,), S_ON_HOLD),  # only in the month of the job end, right after it
    "dropout": ((S_MEDIATION, S_ON_HOLD), S_DROPPED),  # from on hold only in the month of the job end
}
"""The model's state machine (simsav.model.kernel ``_live``) as the register's events see it."""

DEFAULT_MAX_SPELLS = 3
"""The model's default maximum number of job spells (simsav.model.compile DEFAULTS, docs/config.md)."""

MAX_ROWS = 1_000_000

STATUS_COLUMNS = ("census", "kind", "name", "count")
STATUS_OPTIONAL = ("label", "source")
STATUS_KINDS = ("cohort", "stream", "state", "event")
STATUS_STATES = STATES + ("other",)
"""The states a status table counts: the model's, and ``other`` (what a region counts that the model has not)."""

# ----------------------------------------------------------------------------- errors
class DataError(InputError):
    """Bad observed data: each problem is ``(ROW:COLUMN, message)``; ``str()`` gives
    ``FILE:ROW:COLUMN: message`` lines (ROW: the file's row, 1 the first; COLUMN: the header)."""

    def __str__(self) -> str:
        return "\n".join(f"{self.source}:{where}: {msg}" if where else f"{self.source}: {msg}"
                         for where, msg in self.problems)

    def split(self) -> list[InputError]:
        """Return one InputError per problem, its source ``FILE:ROW:COLUMN`` (what the command
        line prints as ``error: FILE:ROW:COLUMN: message``)."""
        return [InputError(f"{self.source}:{where}" if where else self.source, [("", msg)])
                for where, msg in self.problems]


def split_errors(e: InputError) -> list[InputError]:
    """Return ``e`` as InputErrors the command line prints one a line (a DataError: one per problem)."""
    return e.split() if isinstance(e, DataError) else [e]


class _Problems:
    def __init__(self, source: str):
        self.source = source
        self.items: list[tuple[str, str]] = []

    def add(self, row, column, message):
        where = f"{row}:{column}" if row is not None else (column or "")
        self.items.append((where, message))

    def raise_if_any(self):
        if self.items:
            raise DataError(self.source, self.items[:50] + (
                [("", f"... and {len(self.items) - 50} more problems")] if len(self.items) > 50 else []))


# ----------------------------------------------------------------------------- months
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_index(text: str, calendar_start: str) -> int:
    """Return the month ``text`` (``YYYY-MM``) counted from ``calendar_start`` (month 0)."""
    y, m = int(text[:4]), int(text[5:7])
    y0, m0 = int(calendar_start[:4]), int(calendar_start[5:7])
    return (y - y0) * 12 + (m - m0)


def month_text(index: int, calendar_start: str) -> str:
    """Return month ``index`` from ``calendar_start`` as ``YYYY-MM``."""
    k = int(calendar_start[:4]) * 12 + int(calendar_start[5:7]) - 1 + int(index)
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def parse_month(value) -> str | None:
    """Return a cell as ``YYYY-MM`` (a date or datetime cell of XLSX: its month); None when it is not one."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    return text if _MONTH.match(text) else None


def check_as_of(as_of: str, cfg: Config, option: str = "--as-of") -> int:
    """Return the census month ``as_of`` (``YYYY-MM``) as a month of ``cfg``'s horizon; raise InputError."""
    text = parse_month(as_of) if as_of is not None else None
    if text is None:
        raise InputError(option, f"must be a month YYYY-MM, got {as_of!r}")
    c = month_index(text, cfg.cohort.start)
    H = cfg.cohort.horizon_months
    if not 0 <= c < H:
        raise InputError(option, f"{text} is outside the config's horizon {cfg.cohort.start} .. "
                                 f"{month_text(H - 1, cfg.cohort.start)}")
    return c


# ----------------------------------------------------------------------------- personal data
_PERSONAL_HEADERS = (
    (re.compile(r"bsn|burgerservice|sofi|social.?security|ssn"), "a BSN (burgerservicenummer)"),
    (re.compile(r"geboort|birth|dob\b|^dob|leeftijd|\bage\b"), "a birth date or age"),
    (re.compile(r"naam|name|voornaam|achternaam|surname|initialen|initials"), "a name"),
    (re.compile(r"adres|address|straat|street|huisnummer|postcode|post.?code|zip|woonplaats|city"),
     "an address"),
    (re.compile(r"e-?mail|telefoon|phone|mobiel|iban"), "contact or bank details"),
)

_POSTCODE = re.compile(r"^\d{4}\s?[A-Za-z]{2}$")
_DATE = re.compile(r"^(\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def elfproef(digits: str) -> bool:
    """Return True when ``digits`` is 9 digits passing the BSN's 11-test (weights 9..2 and -1)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0 and digits != "000000000"


def personal_header(name: str) -> str | None:
    """Return what a column header looks like when it looks like personal data (else None)."""
    low = name.strip().lower()
    for pattern, what in _PERSONAL_HEADERS:
        if pattern.search(low):
            return what
    return None


def personal_value(value) -> str | None:
    """Return what a cell looks like when it looks like personal data (else None)."""
    if isinstance(value, (_dt.date, _dt.datetime)) and not (value.day == 1 if isinstance(value, _dt.date) else True):
        return "a date (a birth date?): the register holds months YYYY-MM only"
    text = str(value).strip()
    if text.isdigit() and len(text) == 8:
        text9 = "0" + text
    else:
        text9 = text
    if elfproef(text9.replace(".", "")) or elfproef(text.replace(".", "").replace(" ", "")):
        return "a BSN (9 digits passing the elfproef)"
    if _POSTCODE.match(text):
        return "a postcode"
    if _DATE.match(text):
        return "a date (a birth date?): the register holds months YYYY-MM only"
    if _EMAIL.match(text):
        return "an e-mail address"
    return None


_NO_PERSONAL = ("a register holds no personal data: use a pseudonymous id, the month of each event, "
                "and nothing else about the person")


# ----------------------------------------------------------------------------- reading tables
def _cell(v) -> object:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v
    return str(v).strip()


def read_rows(path: str | Path, source: str | None = None) -> tuple[list[str], list[tuple[int, list]]]:
    """Return (header, [(file row, cells)]) of a CSV or XLSX table; rows whose first cell starts
    with ``#`` (comments, sources) and empty rows are skipped. Raise DataError when it cannot be read."""
    path = Path(path)
    source = str(path) if source is None else source
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            raw = _xlsx_rows(path)
        elif suffix in (".csv", ".txt"):
            raw = _csv_rows(path)
        else:
            raise DataError(source, [("", f"must be a .csv or .xlsx file, got {path.suffix or 'no extension'!r}")])
    except FileNotFoundError:
        raise DataError(source, [("", "no such file")]) from None
    except IsADirectoryError:
        raise DataError(source, [("", "is a directory, not a file")]) from None
    except UnicodeDecodeError as e:
        raise DataError(source, [("", f"is not UTF-8 text (byte {e.start})")]) from None
    except (OSError, ValueError, KeyError) as e:
        if isinstance(e, InputError):
            raise
        raise DataError(source, [("", f"cannot be read as {suffix[1:].upper()}: {e}")]) from None
    header = None
    rows = []
    for number, cells in raw:
        cells = [_cell(c) for c in cells]
        if not any(c != "" for c in cells):
            continue
        first = cells[0]
        if isinstance(first, str) and first.startswith("#"):
            continue
        if header is None:
            header = [str(c).strip().lower() for c in cells]
            while header and header[-1] == "":
                header.pop()
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise DataError(source, [("", f"has more than {MAX_ROWS:,} rows")])
    if header is None:
        raise DataError(source, [("", "has no header row")])
    return header, rows


def _csv_rows(path: Path):
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    dialect = csv.excel
    try:
        sample = "\n".join(line for line in text.splitlines()[:50] if not line.startswith("#"))
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
    except csv.Error:
        pass
    out = []
    reader = csv.reader(io.StringIO(text), dialect)
    for cells in reader:
        out.append((reader.line_num, cells))
    return out


def _xlsx_rows(path: Path):
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency
        raise ValueError("openpyxl is not installed (pip install openpyxl)") from None
    import zipfile

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise ValueError("not an XLSX workbook") from None
    try:
        ws = wb.worksheets[0]
        return [(k, list(r)) for k, r in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        wb.close()


def _columns(header, rows, required, optional, prefixes, problems: _Problems) -> dict[str, int]:
    """Check the header: personal-data columns, unknown and missing columns; return name -> index."""
    index = {}
    for k, name in enumerate(header):
        if name == "":
            if any(k < len(c) and c[k] != "" for _, c in rows):
                problems.add(1, f"column {k + 1}", "has values but no header")
            continue
        what = personal_header(name)
        if what is not None and name not in required and name not in optional:
            problems.add(1, name, f"looks like {what}: {_NO_PERSONAL}; remove the column")
            continue
        if name in index:
            problems.add(1, name, "appears twice in the header")
            continue
        if name not in required and name not in optional and not name.startswith(prefixes):
            problems.add(1, name, f"unknown column; the columns are {', '.join(required + optional)}"
                                  f"{''.join(', ' + p + '...' for p in prefixes if p)}")
            continue
        index[name] = k
    for name in required:
        if name not in index:
            problems.add(1, name, "missing column")
    return index


def _get(cells, index, name):
    k = index.get(name)
    if k is None or k >= len(cells):
        return ""
    return cells[k]


def _check_cells_personal(number, cells, header, index, problems: _Problems, skip=()):
    for name, k in index.items():
        if name in skip or k >= len(cells):
            continue
        what = personal_value(cells[k])
        if what is not None:
            problems.add(number, name, f"looks like {what}: {_NO_PERSONAL}")


# ----------------------------------------------------------------------------- the register
@dataclass(frozen=True)
class Participant:
    """One participant of a register: a pseudonym, a stream, a start month and the events of
    the life so far (months counted from the config's month 0)."""

    id: str
    stream: str
    start: int
    events: tuple[tuple[str, int], ...]
    benefit_end: int | None = None  # None: beyond the horizon
    receives: dict = field(default_factory=dict)  # item id -> bool
    state: int = S_WAITING  # at the census
    row: int = 0


@dataclass(frozen=True)
class Register:
    """A validated participant register at census month ``as_of`` (a month of the config's horizon)."""

    source: str
    calendar_start: str
    horizon: int
    as_of: int
    participants: tuple[Participant, ...]
    receives_items: tuple[str, ...]  # the items whose receipt it records

    @property
    def as_of_month(self) -> str:
        return month_text(self.as_of, self.calendar_start)

    def state_counts(self) -> dict[str, int]:
        """Participants per state at the census."""
        counts = [0] * N_STATES
        for p in self.participants:
            counts[p.state] += 1
        return dict(zip(STATES, counts))

    def stream_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.participants:
            out[p.stream] = out.get(p.stream, 0) + 1
        return out

    def event_counts(self) -> dict[str, int]:
        """Events to date, in the model's words (``EVENTS``): starts, placements, first placements,
        successes (job spells reaching 12 months by the census), relapses (job ends), drop-outs."""
        from ..codes import SUCCESS_MONTHS

        out = dict.fromkeys(EVENTS, 0)
        for p in self.participants:
            out["start"] += 1
            placed_at = None
            spells = 0
            for ev, m in p.events:
                if ev == "placement":
                    out["placement"] += 1
                    spells += 1
                    out["first_placement"] += spells == 1
                    placed_at = m
                elif ev == "job_end":
                    out["relapse"] += 1
                    if m - placed_at >= SUCCESS_MONTHS:
                        out["success"] += 1
                    placed_at = None
                elif ev == "dropout":
                    out["dropout"] += 1
            if placed_at is not None and self.as_of + 1 - placed_at >= SUCCESS_MONTHS:
                out["success"] += 1
        return out


def partial_items(cfg: Config) -> list[str]:
    """Return the ids of the items only some participants receive (eligible share not the number 1)."""
    out = []
    for it in cfg.items:
        share = it.eligible_share
        if not (isinstance(share, (int, float)) and float(share) == 1.0):
            out.append(it.id)
    return out


def max_spells(cfg: Config, stream: str) -> int:
    """Return the program world's maximum number of job spells of ``stream``."""
    o = cfg.outcomes
    s = o.streams.get(stream) if o.streams else None
    if s is not None and s.max_spells is not None:
        return s.max_spells
    return o.max_spells if o.max_spells is not None else DEFAULT_MAX_SPELLS


def read_register(path: str | Path, cfg: Config, as_of: str | int | None = None, *,
                  source: str | None = None) -> Register:
    """Return the register in ``path`` (CSV or XLSX) checked against ``cfg`` at census month
    ``as_of`` (``YYYY-MM``, a month index, or None: the month of its latest event or start).

    Raise :class:`DataError` listing every problem (``FILE:ROW:COLUMN: message``).
    """
    source = str(path) if source is None else source
    header, rows = read_rows(path, source)
    problems = _Problems(source)
    partial = partial_items(cfg)
    index = _columns(header, rows, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, (RECEIVES_PREFIX,), problems)
    receives = []
    for name in list(index):
        if name.startswith(RECEIVES_PREFIX):
            item = name[len(RECEIVES_PREFIX):]
            if item not in partial:
                known = ", ".join(partial) if partial else "none in this config"
                problems.add(1, name, f"{item!r} is not an item only some participants receive "
                                      f"(those are: {known})")
                del index[name]
            else:
                receives.append(item)
    problems.raise_if_any()
    start0, H = cfg.cohort.start, cfg.cohort.horizon_months
    streams = [s.id for s in cfg.streams]

    if isinstance(as_of, str):
        c = check_as_of(as_of, cfg)
    elif as_of is None:
        c = None
    else:
        c = int(as_of)

    # first pass: cells
    by_id: dict[str, list] = {}
    order: list[str] = []
    for number, cells in rows:
        _check_cells_personal(number, cells, header, index, problems, skip=("start", "month", "benefit_end"))
        pid = str(_get(cells, index, "id"))
        if pid == "":
            problems.add(number, "id", "is empty; every row names its participant's pseudonymous id")
            continue
        if not re.match(r"^[A-Za-z0-9_.:-]{1,64}$", pid):
            problems.add(number, "id", f"{pid!r} is not a pseudonymous id (letters, digits, _ . : -, at most 64)")
            continue
        stream = str(_get(cells, index, "stream"))
        if stream not in streams:
            problems.add(number, "stream", f"unknown stream {stream!r}; the config's streams are {', '.join(streams)}")
            stream = None
        months = {}
        for col in ("start", "month", "benefit_end"):
            raw = _get(cells, index, col)
            if raw == "":
                months[col] = None
                continue
            text = parse_month(raw)
            if text is None:
                what = personal_value(raw)
                hint = f" ({raw!r} looks like {what}: {_NO_PERSONAL})" if what and "date" in what else ""
                problems.add(number, col, f"must be a month YYYY-MM, got {str(raw)!r}{hint}")
                months[col] = False
                continue
            m = month_index(text, start0)
            months[col] = m
            if col != "benefit_end" and not 0 <= m < H:
                problems.add(number, col, f"{text} is outside the config's horizon {start0} .. "
                                          f"{month_text(H - 1, start0)}")
                months[col] = False
        if months["start"] is None:
            problems.add(number, "start", "is empty; give the month the participant started (YYYY-MM)")
        event = str(_get(cells, index, "event")).strip().lower()
        if event and event not in REGISTER_EVENTS:
            problems.add(number, "event", f"unknown event {event!r}; the events are {', '.join(REGISTER_EVENTS)}")
            event = False
        if event and months["month"] is None:
            problems.add(number, "month", f"is empty; give the month of the {event}")
        if not event and event is not False and months["month"] not in (None, False):
            problems.add(number, "event", "is empty but the row has a month; give the event")
        flags = {}
        for item in receives:
            raw = str(_get(cells, index, RECEIVES_PREFIX + item)).strip().lower()
            if raw in ("1", "yes", "ja", "true", "y", "j"):
                flags[item] = True
            elif raw in ("0", "no", "nee", "false", "n"):
                flags[item] = False
            else:
                problems.add(number, RECEIVES_PREFIX + item, f"must be 1 or 0, got {raw!r}")
        if pid not in by_id:
            by_id[pid] = []
            order.append(pid)
        by_id[pid].append((number, stream, months, event, flags))
    problems.raise_if_any()

    if c is None:
        c = max(max((m for r in by_id.values() for (_, _, ms, _, _) in r for k, m in ms.items()
                     if k != "benefit_end" and m is not None), default=0), 0)
        c = min(c, H - 1)

    # second pass: each participant's life
    participants = []
    for pid in order:
        entries = by_id[pid]
        number0, stream0, months0, _, flags0 = entries[0]
        start = months0["start"]
        bend = months0["benefit_end"]
        ok = True
        for number, stream, months, event, flags in entries[1:]:
            for col, first, now in (("stream", stream0, stream), ("start", start, months["start"]),
                                    ("benefit_end", bend, months["benefit_end"])):
                if now != first:
                    problems.add(number, col, f"differs from row {number0} of id {pid!r}: is the id used "
                                              "for two participants? (ids must be unique per participant)")
                    ok = False
            if flags != flags0:
                problems.add(number, RECEIVES_PREFIX + next(k for k in flags if flags[k] != flags0.get(k)),
                             f"differs from row {number0} of id {pid!r}")
                ok = False
        if not ok:
            continue
        if start > c:
            problems.add(number0, "start", f"{month_text(start, start0)} is after the census "
                                           f"{month_text(c, start0)}")
            continue
        if bend is not None and bend < start:
            problems.add(number0, "benefit_end", "is before the start")
            continue
        events = [(e[3], e[2]["month"], e[0]) for e in entries if e[3]]
        if len(events) < len(entries):
            blank = next(e[0] for e in entries if not e[3])
            if events:
                problems.add(blank, "event", f"is empty, but id {pid!r} has events: a row without an event is "
                                             "only for a participant with none yet")
                continue
        state, entered = S_WAITING, start
        spells = 0
        job_end_at = None
        life = []
        limit = max_spells(cfg, stream0)
        for ev, m, number in events:
            if m > c:
                problems.add(number, "month", f"{month_text(m, start0)} is after the census {month_text(c, start0)}")
                ok = False
                break
            if m < entered:
                what = "the start" if state == S_WAITING and not life else f"the previous event ({life[-1][0]})"
                problems.add(number, "month", f"{month_text(m, start0)} is before {what} "
                                              f"({month_text(entered, start0)}): events must be in order")
                ok = False
                break
            sources, target = TRANSITIONS[ev]
            allowed = state in sources
            why = ""
            if ev in ("on_hold", "dropout") and state == S_ON_HOLD and job_end_at != m:
                allowed = False
                why = (" (the model puts a participant on hold, or ends the trajectory, in the month the job "
                       "ends; from on hold the way is back to mediation)")
            if ev in ("on_hold", "dropout") and life and life[-1][0] == "on_hold":
                allowed = False
                why = " (already on hold: from there the way is back to mediation)"
            if ev == "mediation" and state == S_ON_HOLD and spells >= limit:
                problems.add(number, "event", f"back in mediation after job spell {spells}, but the config allows "
                                              f"{limit} spells (max_spells): the model ends the trajectory then")
                ok = False
                break
            if not allowed:
                problems.add(number, "event", f"{ev!r} cannot follow {_state_word(state)}{why}; the model's life is "
                                              "waiting -> mediation -> placement -> job_end (-> on_hold) -> "
                                              "mediation ..., dropout from mediation or at a job end")
                ok = False
                break
            if ev == "job_end" and m <= entered:
                problems.add(number, "month", "a job ends at least a month after the placement")
                ok = False
                break
            if ev == "placement":
                spells += 1
            if ev == "job_end":
                job_end_at = m
            if ev != "on_hold":
                state, entered = target, m
            life.append((ev, m))
        if not ok:
            continue
        participants.append(Participant(pid, stream0, start, tuple(life), bend, dict(flags0), state, number0))
    problems.raise_if_any()
    if not participants:
        problems.add(None, "", "has no participants (a template? add a row per event)")
        problems.raise_if_any()
    return Register(source, start0, H, c, tuple(participants), tuple(receives))


def _state_word(state: int) -> str:
    return {S_WAITING: "waiting (no intake yet: 'mediation' comes first)", S_MEDIATION: "mediation",
            S_WORKING: "a placement (at work)", S_ON_HOLD: "on hold (after a job end)",
            S_DROPPED: "a drop-out (the trajectory has ended)"}[state]


# ----------------------------------------------------------------------------- writing registers
def register_header(cfg: Config, receives: list[str] | None = None) -> list[str]:
    """Return the register's columns for ``cfg``: the required ones, ``benefit_end``, and a
    ``receives_<item>`` column for every item only some participants receive."""
    items = partial_items(cfg) if receives is None else receives
    return list(REQUIRED_COLUMNS) + list(OPTIONAL_COLUMNS) + [RECEIVES_PREFIX + i for i in items]


def write_table(path: str | Path, header: list[str], rows: list[list], comments: list[str] = (),
                choices: dict[str, list[str]] | None = None) -> Path:
    """Write a table atomically as CSV or XLSX (by ``path``'s extension): comment lines (``# ...``)
    first, then the header and the rows. XLSX gets drop-down lists for the columns in ``choices``."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        def write(tmp):
            import xlsxwriter

            wb = xlsxwriter.Workbook(tmp, {"strings_to_numbers": False, "strings_to_formulas": False})
            ws = wb.add_worksheet("register")
            bold = wb.add_format({"bold": True})
            r = 0
            for line in comments:
                ws.write_string(r, 0, f"# {line}")
                r += 1
            for k, name in enumerate(header):
                ws.write_string(r, k, name, bold)
                ws.set_column(k, k, max(10, len(name) + 2))
            r += 1
            for k, name in enumerate(header):
                if choices and name in choices:
                    ws.data_validation(r, k, r + 9999, k, {"validate": "list", "source": choices[name]})
            for row in rows:
                for k, v in enumerate(row):
                    ws.write_string(r, k, str(v))
                r += 1
            wb.close()
    else:
        def write(tmp):
            with open(tmp, "w", newline="", encoding="utf-8") as f:
                for line in comments:
                    f.write(f"# {line}\n")
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                w.writerows(rows)
    return write_atomically(path, write)


def template_comments(cfg: Config) -> list[str]:
    """The comment lines of an empty register for ``cfg``: what goes in each column."""
    streams = ", ".join(s.id for s in cfg.streams)
    lines = [
        f"participant register for {cfg.title!r} (simsav; docs/monitoring.md): one row per event",
        "NO personal data: id is a pseudonym (never a BSN, a name, a birth date or an address)",
        f"stream: one of {streams}; start, month, benefit_end: YYYY-MM (month 0 = {cfg.cohort.start})",
        "event: " + ", ".join(REGISTER_EVENTS) + " (a participant without events yet: event and month empty)",
        "benefit_end: the month the benefit would have ended (empty: beyond the horizon)",
    ]
    partial = partial_items(cfg)
    if partial:
        lines.append("receives_<item>: 1 or 0, for " + ", ".join(partial) + " (drop the column when unknown: "
                     "the item is then paid at its eligible share)")
    return lines


def write_template(path: str | Path, cfg: Config) -> Path:
    """Write an empty register for ``cfg`` (CSV or XLSX by extension) atomically."""
    return write_table(path, register_header(cfg), [], template_comments(cfg),
                       {"stream": [s.id for s in cfg.streams], "event": list(REGISTER_EVENTS)})


def register_rows(register: Register, cfg: Config) -> tuple[list[str], list[list[str]]]:
    """Return (header, rows) of ``register`` in the long form, as ``read_register`` reads it."""
    header = register_header(cfg, list(register.receives_items))
    rows = []
    start0 = register.calendar_start
    for p in register.participants:
        fixed = [p.id, p.stream, month_text(p.start, start0)]
        extra = ["" if p.benefit_end is None else month_text(p.benefit_end, start0)]
        extra += ["1" if p.receives.get(i) else "0" for i in register.receives_items]
        if not p.events:
            rows.append(fixed + ["", ""] + extra)
        for ev, m in p.events:
            rows.append(fixed + [ev, month_text(m, start0)] + extra)
    return header, rows


def write_register(path: str | Path, register: Register, cfg: Config, comments: list[str] = ()) -> Path:
    """Write ``register`` (CSV or XLSX by extension) atomically."""
    header, rows = register_rows(register, cfg)
    return write_table(path, header, rows, list(comments),
                       {"stream": [s.id for s in cfg.streams], "event": list(REGISTER_EVENTS)})


# ----------------------------------------------------------------------------- the status table
@dataclass(frozen=True)
class StatusTable:
    """A validated aggregate status table: counts per state at the census and events to date."""

    source: str
    census: str  # YYYY-MM
    as_of: int  # month of the config's horizon
    total: int
    states: dict  # STATUS_STATES -> count
    streams: dict  # stream -> count
    events: dict  # EVENTS -> count to date
    labels: dict = field(default_factory=dict)  # (kind, name) -> label
    sources: dict = field(default_factory=dict)  # (kind, name) -> source


def read_status(path: str | Path, cfg: Config, *, source: str | None = None) -> StatusTable:
    """Return the status table in ``path`` (CSV or XLSX) checked against ``cfg``.

    Columns ``census, kind, name, count`` (and optionally ``label``, ``source``); ``kind`` is
    ``cohort`` (name ``total``), ``stream`` (a config stream), ``state`` (a model state or
    ``other``) or ``event`` (a model event, to date). Raise :class:`DataError`.
    """
    source = str(path) if source is None else source
    header, rows = read_rows(path, source)
    problems = _Problems(source)
    index = _columns(header, rows, STATUS_COLUMNS, STATUS_OPTIONAL, (), problems)
    problems.raise_if_any()
    streams = [s.id for s in cfg.streams]
    census = None
    census_row = None
    seen = {}
    total = None
    states, stream_counts, events, labels, sources = {}, {}, {}, {}, {}
    for number, cells in rows:
        _check_cells_personal(number, cells, header, index, problems, skip=("census", "label", "source"))
        raw = _get(cells, index, "census")
        text = parse_month(raw)
        if text is None:
            problems.add(number, "census", f"must be a month YYYY-MM, got {str(raw)!r}")
            continue
        if census is None:
            census, census_row = text, number
        elif text != census:
            problems.add(number, "census", f"{text} differs from row {census_row}'s {census}: one census per table")
            continue
        kind = str(_get(cells, index, "kind")).strip().lower()
        name = str(_get(cells, index, "name")).strip()
        allowed = {"cohort": ("total",), "stream": tuple(streams), "state": STATUS_STATES, "event": EVENTS}
        if kind not in allowed:
            problems.add(number, "kind", f"unknown kind {kind!r}; the kinds are {', '.join(STATUS_KINDS)}")
            continue
        if name not in allowed[kind]:
            what = "unknown stream" if kind == "stream" else f"unknown {kind}"
            problems.add(number, "name", f"{what} {name!r}; the names are {', '.join(allowed[kind])}")
            continue
        if (kind, name) in seen:
            problems.add(number, "name", f"{kind} {name!r} appears twice (rows {seen[kind, name]} and {number})")
            continue
        seen[kind, name] = number
        raw = str(_get(cells, index, "count")).strip()
        if not raw.isdigit():
            problems.add(number, "count", f"must be a whole number >= 0, got {raw!r}")
            continue
        n = int(raw)
        if kind == "cohort":
            total = n
        else:
            {"stream": stream_counts, "state": states, "event": events}[kind][name] = n
        labels[kind, name] = str(_get(cells, index, "label"))
        sources[kind, name] = str(_get(cells, index, "source"))
    problems.raise_if_any()
    if census is None:
        problems.add(None, "", "has no rows")
        problems.raise_if_any()
    start0, H = cfg.cohort.start, cfg.cohort.horizon_months
    c = month_index(census, start0)
    if not 0 <= c < H:
        problems.add(census_row, "census", f"{census} is outside the config's horizon {start0} .. "
                                           f"{month_text(H - 1, start0)}")
    state_sum = sum(states.values())
    if total is None:
        if states:
            total = state_sum
        else:
            problems.add(None, "kind", "give the cohort total (kind cohort, name total) or the counts per state")
    if total is not None:
        if states and state_sum != total:
            r = min(seen[k] for k in seen if k[0] == "state")
            problems.add(r, "count", f"the states add up to {state_sum}, not the cohort's {total}")
        if stream_counts and sum(stream_counts.values()) != total:
            r = min(seen[k] for k in seen if k[0] == "stream")
            problems.add(r, "count", f"the streams add up to {sum(stream_counts.values())}, not the cohort's {total}")
        for ev in ("start", "first_placement", "dropout"):
            if ev in events and events[ev] > total:
                problems.add(seen["event", ev], "count", f"{events[ev]} {ev} events in a cohort of {total}")
    if "placement" in events and "first_placement" in events and events["first_placement"] > events["placement"]:
        problems.add(seen["event", "first_placement"], "count", "more first placements than placements")
    if "placement" in events and "success" in events and events["success"] > events["placement"]:
        problems.add(seen["event", "success"], "count", "more successes than placements")
    if "working" in states and "first_placement" in events and states["working"] > events["first_placement"]:
        problems.add(seen["state", "working"], "count",
                     f"{states['working']} at work but only {events['first_placement']} ever placed")
    problems.raise_if_any()
    return StatusTable(source, census, c, total, states, stream_counts, events, labels, sources)
