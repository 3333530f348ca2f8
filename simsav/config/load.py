"""Loading a config: TOML file -> validated ``Config``, with every problem reported at once.

Pydantic checks each table on its own (:mod:`simsav.config.schema`); the checks here need the
whole config (references between tables, shares adding up, ranges of numbers, correlations).
Problems are ``(field path, message)`` pairs; a path names entries of ``[[parties]]``,
``[[streams]]`` and ``[[items]]`` by their id (``items.jobcoaching.amount``), the same path
``simsav validate``, the sensitivity analyses and the report use for that number.
"""
from __future__ import annotations

import hashlib
import math
import os
import re
import stat
import tomllib
import warnings
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..errors import ConfigError
from .distributions import Normal, _Dist, is_uncertain, support
from .extend import EXTEND, load_chain
from .messages import PARTICIPANTS_LIMIT, coercion_problems, pydantic_problems, with_context
from .schema import (
    FIRST_YEAR, LAST_YEAR, MAX_DISCOUNT_RATE, MAX_EUROS, MAX_HOURS_PER_WEEK, MAX_MULTIPLIER, MAX_PARTICIPANTS,
    Config, as_power,
)

MAX_CONFIG_BYTES = 10_000_000
"""The largest config file simsav reads (10 MB): the shipped configs are about 10 kB; anything
near this size is some other file, and reading it whole would only take memory."""

MAX_NESTING = 32
"""The most levels of tables and arrays inside each other a config may have: the deepest number (a
discrete distribution's values in a schedule of an item's state_factors) is 8 levels down; far
deeper input is no config, and would exhaust the parser's recursion."""

PROBABILITY_FIELDS = {
    "placement_probability", "job_retention_12m", "return_probability", "eligible_share", "share",
}
_NONNEGATIVE_FIELDS = {
    "months_waiting", "months_to_placement", "months_to_dropout", "months_on_hold", "hours_per_week",
    "monthly_benefit", "benefit_months_remaining", "amount", "quantity", "organisations", "discount_rate",
}
_EURO_FIELDS = {"monthly_benefit", "amount", "price_per_success", "price_per_work_month"}
_MULTIPLIER_FIELDS = {"quantity", "organisations", "values"}

_TAIL = 1e-15
"""The smallest tail probability whose quantile a bound is checked at, where a distribution has no
bound of its own (a lognormal's high end): the sampler draws at probabilities from 1e-12 to 1 - 1e-12
(simsav.model.parameters), so nothing it draws lies beyond."""


def walk_numbers(obj, path=()):
    """Yield (path, value) for every config number (plain or distribution) in ``obj``.

    ``path`` is a tuple of field names, dict keys, the ids of entries of the id-carrying arrays
    (parties, streams, items) and list positions elsewhere: ``("items", "jobcoaching", "amount")``.
    """
    if isinstance(obj, _Dist):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from walk_numbers(getattr(obj, name), path + (name,))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from walk_numbers(v, path + (k,))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            key = v.id if isinstance(v, BaseModel) and isinstance(getattr(v, "id", None), str) else i
            yield from walk_numbers(v, path + (key,))
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield path, obj


def dotted(path) -> str:
    """Return a path tuple of :func:`walk_numbers` as the dotted text messages and parameters use."""
    return ".".join(str(p) for p in path)


def uncertain_numbers(cfg: Config) -> dict[str, _Dist]:
    """Return every number that varies between draws, by its path, in the order of the config."""
    return {dotted(path): value for path, value in walk_numbers(cfg) if is_uncertain(value)}


def _semantic_problems(cfg: Config) -> list[tuple[str, str]]:
    """Checks that need the whole config: references, shares, ranges of numbers."""
    problems: list[tuple[str, str]] = []
    parties = set(cfg.party_ids)
    streams = set(cfg.stream_ids)

    def no_party(pid: str) -> str:
        return f"party {pid!r} is not defined in [[parties]] (defined: {', '.join(cfg.party_ids)})"

    def no_stream(sid: str) -> str:
        return f"stream {sid!r} is not defined in [[streams]] (defined: {', '.join(cfg.stream_ids)})"

    for s in cfg.streams:
        loc = f"streams.{s.id}"
        if s.payer is not None and s.payer not in parties:
            problems.append((f"{loc}.payer", no_party(s.payer)))
        if s.manager not in parties:
            problems.append((f"{loc}.manager", no_party(s.manager)))
        if s.payer is None and support(s.monthly_benefit)[1] > 0:
            problems.append((f"{loc}.payer", "a stream with a monthly_benefit needs a payer"))
        if s.benefit_months_law != "fixed" and math.isinf(support(s.benefit_months_remaining)[1]):
            problems.append((f"{loc}.benefit_months_remaining", f"must be finite with benefit_months_law = {s.benefit_months_law!r}"))
    shares = [s.share for s in cfg.streams if s.share is not None]
    counts = [s.count for s in cfg.streams if s.count is not None]
    if shares and counts:
        problems.append(("streams", "give every stream a share or every stream a count, not a mix"))
    elif shares:
        if abs(sum(shares) - 1) > 1e-6:
            problems.append(("streams", f"stream shares add up to {sum(shares):.6g}, not 1"))
        if cfg.cohort.size is None:
            problems.append(("cohort.size", "required when streams give shares"))
    elif counts:
        if sum(counts) == 0:
            problems.append(("streams", "stream counts add up to 0"))
        elif sum(counts) > MAX_PARTICIPANTS:
            problems.append(("streams", f"stream counts add up to {sum(counts)}, more than the {MAX_PARTICIPANTS} "
                                        f"participants a config may hold: {PARTICIPANTS_LIMIT}"))
        if cfg.cohort.size is not None and cfg.cohort.size != sum(counts):
            problems.append(("cohort.size", f"is {cfg.cohort.size} but the stream counts add up to {sum(counts)}"))
    problems += _cohort_problems(cfg)

    for world in ("outcomes", "counterfactual"):
        wo = getattr(cfg, world)
        if wo is None:
            continue
        for sid in wo.streams:
            if sid not in streams:
                problems.append((f"{world}.streams.{sid}", no_stream(sid)))
        for o_loc, o in [(world, wo)] + [(f"{world}.streams.{k}", v) for k, v in wo.streams.items()]:
            if o.spell_months_pmf is not None:
                pmf = o.spell_months_pmf
                if any(p < 0 for p in pmf) or sum(pmf) > 1 + 1e-9:
                    problems.append((f"{o_loc}.spell_months_pmf", "probabilities must be non-negative and sum to at most 1"))
                if o.job_retention_12m is not None:
                    problems.append((o_loc, "give job_retention_12m or spell_months_pmf, not both"))

    for it in cfg.items:
        loc = f"items.{it.id}"
        if it.party not in parties:
            problems.append((f"{loc}.party", no_party(it.party)))
        for sid in it.streams or []:
            if sid not in streams:
                problems.append((f"{loc}.streams", no_stream(sid)))
        if it.years is not None and not it.years:
            problems.append((f"{loc}.years", "must name at least one year (or leave years out: the whole horizon)"))
        elif it.years is not None:
            first, last = cfg.cohort.start_year, cfg.cohort.start_year + (cfg.cohort.start_month - 1 + cfg.cohort.horizon_months - 1) // 12
            ys = sorted(it.years)
            if any(b - a != 1 for a, b in zip(ys, ys[1:])):  # not list(range(...)): a year of 10**18
                problems.append((f"{loc}.years", "years must be consecutive"))
            if ys[0] < first or ys[-1] > last:
                problems.append((f"{loc}.years", f"years must lie within the horizon ({first}-{last})"))

    if cfg.agreement is not None:
        ag = cfg.agreement
        for pid, share in (ag.shares or {}).items():
            if pid not in parties:
                problems.append((f"agreement.shares.{pid}", no_party(pid)))
            if not 0 <= share <= 1:
                problems.append((f"agreement.shares.{pid}", f"a share must lie in [0, 1], got {share:g}"))
        if ag.shares is not None and abs(sum(ag.shares.values()) - 1.0) > 1e-6:
            problems.append(("agreement.shares", f"shares must sum to 1, got {sum(ag.shares.values()):g}"))
        for name in ("payers", "receivers"):
            for pid in getattr(ag, name) or []:
                if pid not in parties:
                    problems.append((f"agreement.{name}", no_party(pid)))

    for path, value in walk_numbers(cfg):
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        if name in ("values", "reductions") and "reductions" in path:
            name = "reductions"
        loc = dotted(path)
        not_finite = _not_finite(name, value)
        if not_finite:
            problems.append((loc, not_finite))
            continue
        lo, hi = support(value)
        if name in PROBABILITY_FIELDS or name == "reductions":
            if lo < 0 or hi > 1:
                what = "a probability" if name != "reductions" else "a reduction"
                rng = f"{lo:g}" if lo == hi else f"[{lo:g}, {hi:g}]"
                problems.append((loc, f"{what} must lie in [0, 1], got {rng}"))
        elif (name in _NONNEGATIVE_FIELDS or name == "values") and lo < 0:
            rng = f"{lo:g}" if lo == hi else f"a range reaching {lo:g}"
            problems.append((loc, f"must not be negative, got {rng}"))
        else:
            too_large = _too_large(name, value)
            if too_large:
                problems.append((loc, too_large))
    problems += _name_problems(cfg)
    problems += _citation_problems(cfg)
    return problems


JUDGEMENT = "judgement"
"""The citation of a number that is the modeller's own judgement (needs no ``[sources]`` entry)."""


def citations(dist: _Dist) -> list[tuple[str, str]]:
    """Return a distribution's ``source`` as (key, line or range, '' when none) pairs."""
    given = dist.source
    if given is None:
        return []
    out = []
    for c in [given] if isinstance(given, str) else given:
        key, _, where = c.partition(":")
        out.append((key, where))
    return out


def _citation_problems(cfg: Config) -> list[tuple[str, str]]:
    """Every ``source = "key:line"`` must name a key of ``[sources]`` (or be ``judgement``)."""
    problems = []
    if JUDGEMENT in cfg.sources:
        problems.append((f"sources.{JUDGEMENT}", f"{JUDGEMENT!r} is reserved for the modeller's own judgement; "
                                                 "give the document another key"))
    for key in cfg.sources:
        if not re.match(r"^[a-z][a-z0-9_-]*$", key):
            problems.append((f"sources.{key}", "a source key is lower case letters, digits, '_' and '-', "
                                               "starting with a letter (numbers cite it as \"key:42\")"))
    known = ", ".join(sorted(cfg.sources)) or "(none: add a [sources.<key>] table)"
    for path, value in walk_numbers(cfg):
        if not isinstance(value, _Dist):
            continue
        for key, where in citations(value):
            if key != JUDGEMENT and key not in cfg.sources:
                problems.append((f"{dotted(path)}.source", f"unknown source {key!r}; known: {known}"))
            elif key == JUDGEMENT and where:
                problems.append((f"{dotted(path)}.source", "a judgement has no line; write \"judgement\""))
            elif "-" in where and int(where.split("-")[0]) > int(where.split("-")[1]):
                problems.append((f"{dotted(path)}.source", f"line range {where} runs backwards"))
    return problems


def reach(value) -> tuple[float, float]:
    """Return (low, high): the range of the values a config number can be drawn at.

    That is its support where the support is bounded; an unbounded end (a normal's, a lognormal's
    or gamma's high end) is replaced by a bound on its quantile at the tail probability ``_TAIL``,
    beyond anything the sampler draws.
    """
    lo, hi = support(value)
    if not isinstance(value, _Dist) or (math.isfinite(lo) and math.isfinite(hi)):
        return lo, hi
    family, shapes, loc, scale = value.scipy_args()
    # P(Z > a + t | Z > a) <= exp(-t^2 / 2) for a standard normal Z and any a >= 0 (and, for a <= 0,
    # P(Z > t | Z > a) <= 2 P(Z > t) <= exp(-t^2 / 2)): the normal's tail quantile, truncated or not.
    z = math.sqrt(-2 * math.log(_TAIL))
    if family in ("norm", "truncnorm"):
        a, b = shapes if family == "truncnorm" else (-math.inf, math.inf)
        if math.isinf(hi):
            hi = (max(a, 0.0) + z) * scale + loc
        if math.isinf(lo):
            lo = (min(b, 0.0) - z) * scale + loc
    elif family == "lognorm":  # scale * exp(s Z)
        log_hi = math.log(scale) + shapes[0] * z
        hi = math.exp(log_hi) if log_hi < 709 else math.inf
    elif family == "gamma":  # Chernoff: P(X > y scale) <= (y / k)^k exp(k - y) for y > k, the shape
        k = shapes[0]

        def log_tail(y):
            return k * math.log(y / k) + k - y

        y_lo, y_hi = k, 2 * k + 1
        while log_tail(y_hi) > math.log(_TAIL) and y_hi < 1e300:
            y_lo, y_hi = y_hi, 2 * y_hi
        for _ in range(100):
            mid = (y_lo + y_hi) / 2
            y_lo, y_hi = (mid, y_hi) if log_tail(mid) > math.log(_TAIL) else (y_lo, mid)
        hi = y_hi * scale
    return lo, hi


def _too_large(name: str, value) -> str | None:
    """Return what is wrong when a number (anything its distribution draws) is past its field's limit."""
    if name in _EURO_FIELDS:
        limit, what = MAX_EUROS, (f"must be at most {as_power(MAX_EUROS)} euros (a billion: more than a business "
                                  "case holds; is the amount in euros?)")
    elif name in _MULTIPLIER_FIELDS:
        limit, what = MAX_MULTIPLIER, f"must be at most {as_power(MAX_MULTIPLIER)} (a multiplier of an amount)"
    elif name == "hours_per_week":
        limit, what = MAX_HOURS_PER_WEEK, (f"must be at most {MAX_HOURS_PER_WEEK:g} hours a week (a week has "
                                           "168 hours; full time is 36 to 40)")
    elif name == "discount_rate":
        limit, what = MAX_DISCOUNT_RATE, (f"an annual rate must be at most {MAX_DISCOUNT_RATE:g} "
                                          f"({MAX_DISCOUNT_RATE:.0%}): write a fraction, 0.02 for 2%")
    else:
        return None
    lo, hi = reach(value)
    if max(abs(lo), abs(hi)) <= limit:
        return None
    far = hi if abs(hi) >= abs(lo) else lo
    got = f"{far:g}" if lo == hi else f"a range reaching {far:.4g}"
    return f"{what}, got {got}" if name != "discount_rate" else what.replace(": write", f", got {got}: write")


def _cohort_problems(cfg: Config) -> list[tuple[str, str]]:
    """Problems of [cohort] that need more than one of its fields: the calendar and the inflow."""
    problems = []
    c = cfg.cohort
    H = c.horizon_months
    first = c.start_year * 12 + c.start_month - 1
    last = first + H - 1
    calendar = f"{FIRST_YEAR}-01 to {LAST_YEAR}-12 (the dates a results file can hold)"
    if not FIRST_YEAR <= c.start_year <= LAST_YEAR:
        problems.append(("cohort.start", f'must lie within {calendar}, got "{c.start}"'))
    elif last // 12 > LAST_YEAR:
        end = f"{last // 12:04d}-{last % 12 + 1:02d}"
        problems.append(("cohort.horizon_months",
                         f"the horizon runs from {c.start} to {end}, past {LAST_YEAR}-12: it must lie within "
                         f"{calendar}; start earlier or follow fewer months"))
    beyond = f"more than the {H} months of the horizon (horizon_months): starts after it would be dropped"
    if c.inflow_weights is not None and len(c.inflow_weights) > H:
        problems.append(("cohort.inflow_weights",
                         f"has {len(c.inflow_weights)} entries, {beyond}; give at most {H} weights"))
    elif c.inflow_weights is None and c.inflow_months > H:
        problems.append(("cohort.inflow_months",
                         f"is {c.inflow_months}, {beyond}; spread the starts over at most {H} months"))
    return problems


def _name_problems(cfg: Config) -> list[tuple[str, str]]:
    """Distribution names that name more than one number (a correlation or analysis would take the first)."""
    problems = []
    numbers = {dotted(p): v for p, v in walk_numbers(cfg)}
    named: dict[str, str] = {}
    for path, value in numbers.items():
        name = value.name if isinstance(value, _Dist) else None
        if name is None:
            continue
        if name in named:
            problems.append((f"{path}.name", f"{name!r} is already the name of {named[name]}; give each "
                             "distribution its own name"))
        elif name != path and name in numbers:
            problems.append((f"{path}.name", f"{name!r} is the path of another number; give this distribution "
                             "a name that is no path"))
        else:
            named[name] = path
    return problems


def _not_finite(name: str, value) -> str | None:
    """Return what is wrong when a number is nan, or infinite where infinity means nothing."""
    if isinstance(value, _Dist):
        for field in type(value).model_fields:
            v = getattr(value, field)
            for x in v if isinstance(v, list) else [v]:
                if not isinstance(x, float) or math.isfinite(x):
                    continue
                if math.isinf(x) and isinstance(value, Normal) and field in ("low", "high"):
                    continue  # an open truncation bound
                return f"{value.dist} distribution: {field} must be a finite number, got {x}"
        return None
    if isinstance(value, float) and math.isnan(value):
        return "must be a number, got nan"
    if isinstance(value, float) and math.isinf(value) and not name.startswith(("months_", "benefit_months")):
        return f"must be a finite number, got {'inf' if value > 0 else '-inf'}"
    return None


def read_toml(path: str | Path) -> tuple[dict, str, bytes]:
    """Return (dict, text, bytes) of one config file; raise ConfigError naming it when it is no config:
    not a regular file, too large, not UTF-8, empty, not TOML, nested too deeply."""
    path = Path(path)
    raw = _read_config_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(path, f"is not UTF-8 text (byte {e.start}): is it a TOML config?") from None
    text = text.removeprefix("\ufeff")  # a byte order mark some Windows editors write: TOML has none
    if not text.strip():
        raise ConfigError(path, "is empty")
    too_deep = f"is nested too deeply: a config has at most {MAX_NESTING} levels of tables and arrays inside each other"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, f"invalid TOML: {e}{_toml_hint(text, str(e))}") from None
    except RecursionError:
        raise ConfigError(path, too_deep) from None
    if _nesting(data) > MAX_NESTING:
        raise ConfigError(path, too_deep)
    if not data:
        raise ConfigError(path, "is empty (it holds only comments)")
    return data, text, raw


def load_config(path: str | Path) -> Config:
    """Return the validated Config read from a TOML file; raise ConfigError listing every problem.

    A config that says ``extend = "base.toml"`` is laid over the config it names
    (:mod:`simsav.config.extend`); each problem is then reported against the file that set its field,
    and the config's text (:func:`source_text`) is the merged config's.
    """
    path = Path(path)
    data, text, raw = read_toml(path)
    prov = None
    if EXTEND in data:
        data, prov, text = load_chain(path, lambda p: read_toml(p)[:2], first=(data, text))
        raw = text.encode("utf-8")
    try:
        with warnings.catch_warnings():  # scipy's numeric warnings on absurd parameters: the problem is reported
            warnings.simplefilter("ignore", RuntimeWarning)
            coercions = with_context(coercion_problems(data), data)
            cfg = config_from_dict(data, source=str(path))
    except ConfigError as e:
        problems = coercions + [p for p in e.problems if p not in coercions]
        raise (prov.error(problems) if prov is not None else ConfigError(path, problems)) from None
    if coercions:
        raise prov.error(coercions) if prov is not None else ConfigError(path, coercions)
    cfg._source_path = str(path)
    cfg._source_sha256 = hashlib.sha256(raw).hexdigest()
    cfg._source_text = text
    return cfg


_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
)


def _read_config_bytes(path: Path) -> bytes:
    """Return the bytes of a config file; raise ConfigError unless it is a regular file of at most
    MAX_CONFIG_BYTES (a FIFO would block, /dev/zero would never end)."""

    def check(st):
        if stat.S_ISDIR(st.st_mode):
            raise ConfigError(path, "is a directory, not a config file")
        if not stat.S_ISREG(st.st_mode):
            kind = next((words for test, words in _FILE_KINDS if test(st.st_mode)), "a special file")
            raise ConfigError(path, f"is {kind}, not a regular file: give the path of a config file (.toml)")
        if st.st_size > MAX_CONFIG_BYTES:
            too_big(st.st_size)

    def too_big(size):
        raise ConfigError(path, f"is {_megabytes(size)}, more than the {_megabytes(MAX_CONFIG_BYTES)} a config "
                                "may be: is it a config file?")

    try:
        check(os.stat(path))  # before opening: opening a FIFO waits for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ConfigError(path, "file not found") from None
    except IsADirectoryError:
        raise ConfigError(path, "is a directory, not a config file") from None
    except OSError as e:
        raise ConfigError(path, f"cannot be read: {e.strerror}") from None
    try:
        with os.fdopen(fd, "rb") as f:
            check(os.fstat(f.fileno()))  # the file opened is the file checked, even if the name moved
            raw = f.read(MAX_CONFIG_BYTES + 1)
    except OSError as e:
        raise ConfigError(path, f"cannot be read: {e.strerror}") from None
    if len(raw) > MAX_CONFIG_BYTES:  # grew since the check
        too_big(len(raw))
    return raw


def _megabytes(size: int) -> str:
    """Return a file size in words: ``12.3 MB``; bytes where a rounded figure would hide that it is past the limit."""
    if not size % 1_000_000:
        return f"{size // 1_000_000} MB"
    if size > MAX_CONFIG_BYTES and round(size / 1e6, 1) <= MAX_CONFIG_BYTES / 1e6:
        return f"{size:,} bytes"
    return f"{size / 1e6:.1f} MB"


def _nesting(data) -> int:
    """Return how many levels of tables and arrays lie inside each other in ``data`` (without recursion)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        obj, depth = stack.pop()
        if isinstance(obj, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= MAX_NESTING:
                stack.extend((v, depth + 1) for v in (obj.values() if isinstance(obj, dict) else obj))
    return deepest


_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml_hint(text: str, message: str) -> str:
    """Return a hint to add to tomllib's message ``message`` about ``text`` ('' when none helps).

    An inline table ``{ ... }`` continued on the next line fails with a message about key
    characters or values that says nothing of the cause: a TOML 1.0 inline table is one line.
    """
    found = _AT.search(message)
    lines = text.splitlines()
    if not found or not 1 <= int(found.group(1)) <= len(lines):
        return ""
    line = lines[int(found.group(1)) - 1]
    before, after = line[: int(found.group(2)) - 1], line[int(found.group(2)) - 1:]
    if after.strip() and not after.lstrip().startswith("#"):
        return ""  # the problem is on the line, not at its end
    opened = []
    i = 0
    while i < len(before):
        ch = before[i]
        if ch in "\"'":
            quote = before[i: i + 3] if before[i: i + 3] in ('"""', "'''") else ch
            end = i + len(quote)
            while end < len(before) and before[end: end + len(quote)] != quote:
                end += 2 if quote == '"' and before[end] == "\\" else 1
            if end >= len(before):
                return ""  # a string that goes on: not an inline table's problem
            i = end + len(quote)
            continue
        if ch == "#":
            break
        if ch in "{[":
            opened.append(ch)
        elif ch in "}]" and opened:
            opened.pop()
        i += 1
    if opened and opened[-1] == "{":
        return ": inline tables { ... } must be on one line in TOML 1.0; split it as a [table]"
    return ""


def config_from_dict(data: dict, source: str = "<config>") -> Config:
    """Return the validated Config built from a dict (as tomllib reads it)."""
    try:
        cfg = Config.model_validate(data)
    except ValidationError as e:
        raise ConfigError(source, with_context(pydantic_problems(e), data)) from None
    problems = _semantic_problems(cfg)
    if not problems:
        problems = correlation_problems(cfg)
    if problems:
        raise ConfigError(source, problems)
    return cfg


def source_path(cfg: Config) -> str:
    """Return the file a config was read from ('' when built from a dict); for a config that extends
    another, the extending file (the one given to :func:`load_config`)."""
    return cfg._source_path


def source_text(cfg: Config) -> str:
    """Return the TOML text a config was read from ('' when built from a dict); for a config that
    extends another, the merged config's text, the base's comments and the extension's kept."""
    return cfg._source_text


def source_sha256(cfg: Config) -> str:
    """Return the SHA-256 of the config file's bytes (of its JSON form when built from a dict); for a
    config that extends another, of its effective text (:func:`source_text`, UTF-8)."""
    return cfg._source_sha256 or hashlib.sha256(cfg.model_dump_json().encode()).hexdigest()


def parameter_names(cfg: Config) -> dict[str, str]:
    """Return the name of every uncertain number by its path: its ``name =`` or, without one, the path."""
    return {path: (dist.name or path) for path, dist in uncertain_numbers(cfg).items()}


def find_number(cfg: Config, name: str) -> list[str]:
    """Return the paths of the numbers ``name`` refers to: a path, or a distribution's ``name``."""
    numbers = {dotted(p): v for p, v in walk_numbers(cfg)}
    if name in numbers:
        return [name]
    return [path for path, v in numbers.items() if isinstance(v, _Dist) and v.name == name]


def correlation_problems(cfg: Config) -> list[tuple[str, str]]:
    """Return problems with a config's [[correlations]] (unknown names, fixed numbers, impossible matrices)."""
    if not cfg.correlations:
        return []
    names = parameter_names(cfg)
    problems = []
    for i, c in enumerate(cfg.correlations):
        for name in c.between:
            paths = find_number(cfg, name)
            if not paths:
                valid = ", ".join(names.values()) or "(none)"
                problems.append((f"correlations.{i}.between",
                                 f"no parameter named {name!r}; uncertain parameters are: {valid}"))
            elif len(paths) > 1:
                problems.append((f"correlations.{i}.between",
                                 f"{name!r} names {len(paths)} numbers ({', '.join(paths)}); give each "
                                 "distribution its own name"))
            elif paths[0] not in names:
                problems.append((f"correlations.{i}.between", f"parameter {name!r} is a fixed number, not a distribution"))
        if c.between[0] == c.between[1]:
            problems.append((f"correlations.{i}.between", "a parameter cannot be correlated with itself"))
    if problems:
        return problems
    import numpy as np

    corr = correlation_matrix(cfg)[1]
    if np.linalg.eigvalsh(corr).min() <= 1e-10:
        problems.append(("correlations", "these rank correlations cannot hold together (the matrix is not positive definite)"))
    return problems


def correlation_matrix(cfg: Config):
    """Return (paths of the uncertain numbers, the Pearson correlation of the copula's normals over them)."""
    import numpy as np

    paths = list(uncertain_numbers(cfg))
    col = {p: k for k, p in enumerate(paths)}
    corr = np.eye(len(paths))
    for c in cfg.correlations:
        a, b = (col[find_number(cfg, n)[0]] for n in c.between)
        # Spearman rank correlation -> Pearson correlation of a bivariate normal.
        r = 2 * math.sin(math.pi * c.rank / 6)
        corr[a, b] = corr[b, a] = r
    return paths, corr
