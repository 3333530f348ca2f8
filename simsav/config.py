"""The config language: a TOML file, validated on load into an immutable ``Config``.

The schema below *is* the reference: ``docs/config.md`` is generated from it
(``python -m simsav.docgen``) and a test fails when the two drift apart.
Every field has a description; every number may be a distribution
(see :mod:`simsav.distributions`).
"""
from __future__ import annotations

import hashlib
import math
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from .distributions import Number, is_uncertain, support
from .errors import ConfigError

STATES = ("waiting", "mediation", "working", "on_hold", "dropped_out")
"""The states of an agent's life, in the order results use."""

EVENTS = ("start", "placement", "success", "relapse", "dropout")
"""Events at which a one-off item can be paid."""

WORLDS = ("program", "counterfactual")

BENEFITS = ("bijstand", "ww", "wia", "wajong", "ziektewet", "nug", "other")

_ID = r"^[a-z][a-z0-9_]*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Party(_Model):
    """An organisation that pays or saves."""

    id: str = Field(pattern=_ID, description="Short identifier used elsewhere in the config, e.g. `gemeente`.")
    name: str = Field(description="Display name, e.g. `Gemeenten Twente`.")
    role: Literal["gemeente", "uwv", "zorgverzekeraar", "ggz", "client_organisation", "sponsor", "other"] = Field(
        "other", description="What kind of organisation this is."
    )


class Schedule(_Model):
    """A piecewise-constant multiplier over time.

    ``breaks`` cut the clock into intervals; ``values`` (or ``reductions``, meaning
    ``1 - reduction``) give the multiplier on each: ``len(values) == len(breaks) + 1``.
    The source's "saved 70% in year 1, 100% after" while working is
    ``{ by = "months_in_state", breaks = [12], reductions = [0.7, 1.0] }``.
    """

    by: Literal["months_in_state", "months_since_start", "calendar_year"] = Field(
        "months_in_state",
        description="The clock: months in the current state, months since the agent's trajectory "
        "started, or the calendar year (then `breaks` are years, e.g. `[2022, 2023]`).",
    )
    breaks: list[int] = Field(default_factory=list, description="Where the multiplier changes, increasing.")
    values: list[Number] | None = Field(None, description="The multiplier on each interval.")
    reductions: list[Number] | None = Field(
        None, description="Instead of `values`: the share saved on each interval (multiplier = 1 - reduction)."
    )

    @model_validator(mode="after")
    def _check(self):
        if (self.values is None) == (self.reductions is None):
            raise ValueError("give either values or reductions")
        n = len(self.values if self.values is not None else self.reductions)
        if n != len(self.breaks) + 1:
            raise ValueError(f"{len(self.breaks)} breaks need {len(self.breaks) + 1} values, got {n}")
        if any(b2 <= b1 for b1, b2 in zip(self.breaks, self.breaks[1:])):
            raise ValueError("breaks must be strictly increasing")
        if self.by != "calendar_year" and any(b <= 0 for b in self.breaks):
            raise ValueError("breaks must be positive month counts")
        return self


class Outcomes(_Model):
    """Outcome parameters of an agent's life in one world (all optional; missing ones use the defaults)."""

    placement_probability: Number | None = Field(
        None, description="Probability that a mediation episode ends in a job. Default 0 in the counterfactual."
    )
    months_waiting: Number | None = Field(None, description="Mean months waiting for intake before mediation. Default 0.")
    months_to_placement: Number | None = Field(
        None, description="Mean months in mediation before a placement, for those placed. Default 0."
    )
    months_to_dropout: Number | None = Field(
        None,
        description="Mean months in mediation before dropping out, for those never placed. "
        "Default: they stay in mediation until the horizon.",
    )
    job_retention_12m: Number | None = Field(
        None,
        description="q: the share of job spells that reach 12 months of work. With a constant monthly "
        "relapse hazard r, (1 - r)^11 = q. Default 1 (no relapse).",
    )
    spell_months_pmf: list[float] | None = Field(
        None,
        description="Instead of `job_retention_12m`: the probability that a job spell lasts exactly "
        "1, 2, 3, ... months; what is left over lasts beyond the listed months.",
    )
    return_probability: Number | None = Field(
        None, description="After a job spell ends: probability of coming back into mediation (after on hold). Default 0."
    )
    months_on_hold: Number | None = Field(None, description="Mean months on hold before mediation resumes. Default 0.")
    max_spells: int | None = Field(None, ge=1, description="Maximum number of job spells per agent. Default 3.")
    hours_per_week: Number | None = Field(
        None, description="Hours worked per week while working; used by items with `per_hour_worked`. Default 0."
    )
    time_law: Literal["geometric", "fixed"] | None = Field(
        None,
        description="How the months above vary between agents: `geometric` (a constant monthly chance, "
        "so the given number is the mean) or `fixed` (everyone the same; a fractional mean mixes the two "
        "nearest whole months). Default `geometric`.",
    )

    def merged_over(self, base: "Outcomes") -> "Outcomes":
        """Return these outcomes with every unset field taken from ``base``."""
        data = base.model_dump(exclude_none=True, round_trip=True)
        data.update(self.model_dump(exclude_none=True, round_trip=True))
        if "spell_months_pmf" in self.model_fields_set and "job_retention_12m" not in self.model_fields_set:
            data.pop("job_retention_12m", None)
        return Outcomes.model_validate(data)


class WorldOutcomes(Outcomes):
    """Outcome parameters for all streams, with per-stream overrides under `streams.<id>`."""

    streams: dict[str, Outcomes] = Field(
        default_factory=dict, description="Per-stream overrides: `[outcomes.streams.bijstand]`."
    )


class Stream(_Model):
    """Participants grouped by benefit."""

    id: str = Field(pattern=_ID, description="Identifier, e.g. `bijstand`.")
    label: str | None = Field(None, description="Display name.")
    benefit: Literal[BENEFITS] = Field(description="Benefit type: " + ", ".join(BENEFITS) + ".")  # type: ignore[valid-type]
    share: float | None = Field(None, ge=0, le=1, description="Share of the cohort (give `share` or `count`).")
    count: int | None = Field(None, ge=0, description="Number of participants (give `share` or `count`).")
    monthly_benefit: Number = Field(0.0, description="Benefit paid per month (euros); 0 for `nug`.")
    payer: str | None = Field(None, description="Party that pays the benefit (required when `monthly_benefit` > 0).")
    manager: str = Field(description="Party that manages the trajectory.")
    benefit_months_remaining: Number = Field(
        math.inf,
        description="How long the benefit would still run from the start of the trajectory (months); "
        "`inf` for unlimited. A saving on the benefit cannot outlast it.",
    )
    benefit_months_law: Literal["fixed", "uniform", "geometric"] = Field(
        "fixed",
        description="How the remaining duration varies between agents: `fixed` (everyone the given number), "
        "`uniform` (anywhere from 0 to the given maximum, e.g. the legal WW maximum) or `geometric` (mean).",
    )
    benefit_reduction_when_working: Schedule = Field(
        default_factory=lambda: Schedule(reductions=[1.0]),
        description="Share of the benefit saved while working (by months in work by default).",
    )

    @model_validator(mode="after")
    def _check(self):
        if (self.share is None) == (self.count is None):
            raise ValueError("give either share or count")
        return self


class Cohort(_Model):
    """Who starts, when, and for how long we follow them."""

    size: int | None = Field(None, gt=0, description="Number of participants (required when streams give shares).")
    horizon_months: int = Field(gt=0, le=600, description="Months followed, from the first start.")
    start: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Calendar month of month 0, `YYYY-MM`.")
    inflow_months: int = Field(1, gt=0, description="Starts spread evenly over this many months (1: all at month 0).")
    inflow_weights: list[float] | None = Field(
        None, description="Instead of `inflow_months`: relative number of starts in each month from month 0."
    )
    discount_rate: Number = Field(0.0, description="Annual discount rate; flows are discounted monthly.")

    @field_validator("inflow_weights")
    @classmethod
    def _weights(cls, w):
        if w is not None and (any(x < 0 for x in w) or sum(w) <= 0):
            raise ValueError("weights must be non-negative with a positive sum")
        return w

    @property
    def start_year(self) -> int:
        return int(self.start[:4])

    @property
    def start_month(self) -> int:
        return int(self.start[5:7])


class Item(_Model):
    """One line of money: an expenditure of one party in one or both worlds."""

    id: str = Field(pattern=_ID, description="Identifier, e.g. `jobcoaching_gemeente`.")
    label: str = Field(description="Label as in the business case (may be Dutch).")
    party: str = Field(description="Party that pays it.")
    basis: Literal["monthly", "event", "annual"] = Field(
        description="`monthly`: a rate while the agent is in `states`; `event`: a one-off at `event`; "
        "`annual`: a fixed amount per year per organisation, whoever takes part."
    )
    amount: Number = Field(description="Euros per month (monthly), per event (event) or per year per organisation (annual).")
    amount_period: Literal["month", "year"] = Field(
        "month", description="Monthly items: `year` when `amount` is a yearly figure (it is then divided by 12)."
    )
    quantity: Number = Field(1.0, description="Multiplier of `amount`, e.g. hours at an hourly rate.")
    unit: str = Field("", description="What `quantity` counts, e.g. `h` or `fte` (used in the table's arithmetic).")
    per_hour_worked: bool = Field(
        False, description="Monthly items: multiply by the hours worked per month (hours_per_week x 52 / 12)."
    )
    states: list[Literal[STATES]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="Monthly items: states in which it runs: " + ", ".join(STATES) + "."
    )
    state_factors: dict[Literal[STATES], Schedule] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="Monthly items: a multiplier schedule per state, e.g. care costs while working."
    )
    schedule: Schedule | None = Field(None, description="A multiplier schedule for the whole item.")
    event: Literal[EVENTS] | None = Field(  # type: ignore[valid-type]
        None, description="Event items: " + ", ".join(EVENTS) + " (success = a job spell reaching 12 months)."
    )
    organisations: Number = Field(1.0, description="Annual items: number of organisations paying it.")
    years: list[int] | None = Field(None, description="Annual items: calendar years it runs (default: the whole horizon).")
    streams: list[str] | None = Field(None, description="Streams it applies to (default: all).")
    eligible_share: Number = Field(1.0, description="Share of agents it applies to (who is jobcoached, who uses WMO).")
    worlds: list[Literal[WORLDS]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["program"],
        description="`program`, `counterfactual` or both. A saving is counterfactual minus program.",
    )
    capped_by_benefit: bool = Field(False, description="Stops when the agent's benefit would have ended.")
    kind: Literal["cost", "saving"] | None = Field(
        None, description="Default: `cost` for program-only items, `saving` otherwise."
    )
    in_table: bool = Field(
        True, description="False for money outside the source's table (shown apart, not in its totals)."
    )

    @model_validator(mode="after")
    def _check(self):
        if self.basis == "monthly" and not self.states:
            raise ValueError("a monthly item needs states")
        if self.basis == "event" and self.event is None:
            raise ValueError("an event item needs event")
        if self.basis != "monthly" and (self.states or self.state_factors):
            raise ValueError("states and state_factors only apply to monthly items")
        if self.basis != "event" and self.event is not None:
            raise ValueError("event only applies to event items")
        if self.basis != "annual" and self.years is not None:
            raise ValueError("years only apply to annual items")
        if self.amount_period == "year" and self.basis != "monthly":
            raise ValueError("amount_period only applies to monthly items (annual items are per year already)")
        if self.per_hour_worked and self.basis != "monthly":
            raise ValueError("per_hour_worked only applies to monthly items")
        if not self.worlds:
            raise ValueError("worlds must name at least one world")
        extra = set(self.state_factors) - set(self.states)
        if extra:
            raise ValueError(f"state_factors for states the item does not run in: {sorted(extra)}")
        return self

    @property
    def item_kind(self) -> str:
        if self.kind is not None:
            return self.kind
        return "cost" if list(self.worlds) == ["program"] else "saving"


class Correlation(_Model):
    """A rank correlation between two uncertain parameters (Gaussian copula on the ranks)."""

    between: list[str] = Field(min_length=2, max_length=2, description="Two parameter names.")
    rank: float = Field(ge=-1, le=1, description="Spearman rank correlation.")


class Config(_Model):
    """A business case: parties, streams, cohort, outcomes, items."""

    title: str = Field(description="Name of the business case.")
    description: str = Field("", description="What it models, in a sentence or two.")
    parties: list[Party] = Field(min_length=1, description="Organisations that pay or save (`[[parties]]`).")
    streams: list[Stream] = Field(min_length=1, description="Participant streams by benefit (`[[streams]]`).")
    cohort: Cohort = Field(description="Size, inflow, horizon, calendar start, discounting.")
    outcomes: WorldOutcomes = Field(default_factory=WorldOutcomes, description="Outcomes in the program world.")
    counterfactual: WorldOutcomes | None = Field(
        None, description="Outcomes without the program (who finds work anyway). Absent: nobody works."
    )
    items: list[Item] = Field(default_factory=list, description="Costs and other items (`[[items]]`).")
    correlations: list[Correlation] = Field(default_factory=list, description="Rank correlations (`[[correlations]]`).")
    _source_path: str = PrivateAttr("")
    _source_sha256: str = PrivateAttr("")

    @model_validator(mode="after")
    def _cross_references(self):
        problems: list[str] = []

        def dup(kind, ids):
            seen = set()
            for i in ids:
                if i in seen:
                    problems.append(f"{kind} id {i!r} is defined twice")
                seen.add(i)

        party_ids = [p.id for p in self.parties]
        stream_ids = [s.id for s in self.streams]
        dup("party", party_ids)
        dup("stream", stream_ids)
        dup("item", [i.id for i in self.items] + [f"benefit_{s}" for s in stream_ids])
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def party_ids(self) -> list[str]:
        return [p.id for p in self.parties]

    @property
    def stream_ids(self) -> list[str]:
        return [s.id for s in self.streams]


# --------------------------------------------------------------------------- loading

_PROBABILITY_FIELDS = {
    "placement_probability", "job_retention_12m", "return_probability", "eligible_share", "share",
}
_NONNEGATIVE_FIELDS = {
    "months_waiting", "months_to_placement", "months_to_dropout", "months_on_hold", "hours_per_week",
    "monthly_benefit", "benefit_months_remaining", "amount", "quantity", "organisations", "discount_rate",
}


def _walk_numbers(obj, path=()):
    """Yield (path, value) for every config number (plain or distribution) in ``obj``."""
    from .distributions import _Dist

    if isinstance(obj, _Dist):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _walk_numbers(getattr(obj, name), path + (name,))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk_numbers(v, path + (k,))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from _walk_numbers(v, path + (i,))
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield path, obj


def _semantic_problems(cfg: Config) -> list[tuple[str, str]]:
    """Checks that need the whole config: references, shares, ranges of numbers."""
    problems: list[tuple[str, str]] = []
    parties = set(cfg.party_ids)
    streams = set(cfg.stream_ids)

    for i, s in enumerate(cfg.streams):
        loc = f"streams.{i}"
        if s.payer is not None and s.payer not in parties:
            problems.append((f"{loc}.payer", f"party {s.payer!r} is not defined in [[parties]]"))
        if s.manager not in parties:
            problems.append((f"{loc}.manager", f"party {s.manager!r} is not defined in [[parties]]"))
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
        if cfg.cohort.size is not None and cfg.cohort.size != sum(counts):
            problems.append(("cohort.size", f"is {cfg.cohort.size} but the stream counts add up to {sum(counts)}"))

    for world in ("outcomes", "counterfactual"):
        wo = getattr(cfg, world)
        if wo is None:
            continue
        for sid in wo.streams:
            if sid not in streams:
                problems.append((f"{world}.streams.{sid}", f"stream {sid!r} is not defined in [[streams]]"))
        for o_loc, o in [(world, wo)] + [(f"{world}.streams.{k}", v) for k, v in wo.streams.items()]:
            if o.spell_months_pmf is not None:
                pmf = o.spell_months_pmf
                if any(p < 0 for p in pmf) or sum(pmf) > 1 + 1e-9:
                    problems.append((f"{o_loc}.spell_months_pmf", "probabilities must be non-negative and sum to at most 1"))
                if o.job_retention_12m is not None:
                    problems.append((o_loc, "give job_retention_12m or spell_months_pmf, not both"))

    for i, it in enumerate(cfg.items):
        loc = f"items.{i}"
        if it.party not in parties:
            problems.append((f"{loc}.party", f"party {it.party!r} is not defined in [[parties]]"))
        for sid in it.streams or []:
            if sid not in streams:
                problems.append((f"{loc}.streams", f"stream {sid!r} is not defined in [[streams]]"))
        if it.years is not None:
            first, last = cfg.cohort.start_year, cfg.cohort.start_year + (cfg.cohort.start_month - 1 + cfg.cohort.horizon_months - 1) // 12
            ys = sorted(it.years)
            if ys != list(range(ys[0], ys[-1] + 1)):
                problems.append((f"{loc}.years", "years must be consecutive"))
            if ys[0] < first or ys[-1] > last:
                problems.append((f"{loc}.years", f"years must lie within the horizon ({first}-{last})"))

    for path, value in _walk_numbers(cfg):
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        if name in ("values", "reductions") and "reductions" in path:
            name = "reductions"
        lo, hi = support(value)
        loc = ".".join(str(p) for p in path)
        if name in _PROBABILITY_FIELDS or name == "reductions":
            if lo < 0 or hi > 1:
                what = "a probability" if name != "reductions" else "a reduction"
                rng = f"{lo:g}" if lo == hi else f"[{lo:g}, {hi:g}]"
                problems.append((loc, f"{what} must lie in [0, 1], got {rng}"))
        elif name in _NONNEGATIVE_FIELDS or name == "values":
            if lo < 0:
                rng = f"{lo:g}" if lo == hi else f"a range reaching {lo:g}"
                problems.append((loc, f"must not be negative, got {rng}"))
    return problems


def _clean_loc(loc: tuple) -> str:
    """Turn a pydantic error location into a config field path."""
    out = []
    skip_tag = False
    for part in loc:
        s = str(part)
        if s.startswith(("tagged-union[", "function-after[", "function-before[")):
            skip_tag = s.startswith("tagged-union[")
            continue
        if skip_tag:
            skip_tag = False
            continue
        if s in ("float", "int", "list[...]", "str") and out:
            continue
        out.append(s)
    return ".".join(out)


def _pydantic_problems(err: ValidationError) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    seen = set()
    for e in err.errors(include_url=False):
        loc = e["loc"]
        # A number field accepts a float or a distribution table: report only the branch that applies.
        if isinstance(e.get("input"), dict) and loc and loc[-1] == "float":
            continue
        if not isinstance(e.get("input"), dict) and any(str(p).startswith("tagged-union[") for p in loc):
            continue
        msg = e["msg"]
        msg = re.sub(r"^(Value error|Assertion failed), ", "", msg)
        if e["type"] == "extra_forbidden":
            msg = "unknown field (check the spelling; see docs/config.md)"
        elif e["type"] == "missing":
            msg = "required field is missing"
        elif e["type"] in ("float_type", "float_parsing", "int_type", "int_parsing", "string_type", "bool_type", "list_type"):
            msg = f"{msg}, got {e.get('input')!r}"
        key = (_clean_loc(loc), msg)
        if key not in seen:
            seen.add(key)
            problems.append(key)
    return problems


def load_config(path: str | Path) -> Config:
    """Return the validated Config read from a TOML file; raise ConfigError listing every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(path, "file not found") from None
    except IsADirectoryError:
        raise ConfigError(path, "is a directory, not a config file") from None
    except OSError as e:
        raise ConfigError(path, f"cannot be read: {e.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, "is not UTF-8 text") from None
    if not text.strip():
        raise ConfigError(path, "is empty")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, f"invalid TOML: {e}") from None
    cfg = config_from_dict(data, source=str(path))
    cfg._source_path = str(path)
    cfg._source_sha256 = hashlib.sha256(raw).hexdigest()
    return cfg


def config_from_dict(data: dict, source: str = "<config>") -> Config:
    """Return the validated Config built from a dict (as tomllib reads it)."""
    try:
        cfg = Config.model_validate(data)
    except ValidationError as e:
        raise ConfigError(source, _pydantic_problems(e)) from None
    problems = _semantic_problems(cfg)
    if not problems:
        from .params import correlation_problems

        problems = correlation_problems(cfg)
    if problems:
        raise ConfigError(source, problems)
    return cfg


def source_path(cfg: Config) -> str:
    """Return the file a config was read from ('' when built from a dict)."""
    return cfg._source_path


def source_sha256(cfg: Config) -> str:
    """Return the SHA-256 of the config file's bytes (of its JSON form when built from a dict)."""
    return cfg._source_sha256 or hashlib.sha256(cfg.model_dump_json().encode()).hexdigest()


def uncertain_numbers(cfg: Config):
    """Yield (path, distribution) for every number that varies between draws."""
    for path, value in _walk_numbers(cfg):
        if is_uncertain(value):
            yield path, value
