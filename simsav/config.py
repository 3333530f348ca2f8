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


AGREEMENT_RULES = ("costs_follow_benefits", "equal_return", "outcome_payments", "fixed_split")
"""The sharing rules an ``[agreement]`` can name (see docs/sharing.md)."""

SETTLEMENTS = ("ex-ante", "ex-post")
"""When transfers are fixed: from the base case before the start, or on the realised outcomes."""


class Agreement(_Model):
    """A proposed shared-savings agreement: which rule sets the transfers between parties, and when they are settled."""

    label: str = Field("", description="Name of the agreement, e.g. `Convenant IPS 2024` (shown by `simsav share`).")
    rule: Literal[AGREEMENT_RULES] = Field(  # type: ignore[valid-type]
        description="How transfers are set: `costs_follow_benefits` (each party bears the share of the total "
        "costs that it has of the total savings), `equal_return` (the same net per euro of own costs for "
        "every party), `outcome_payments` (a price per success that payers pay receivers) or `fixed_split` "
        "(the `shares` below)."
    )
    settle: Literal[SETTLEMENTS] = Field(  # type: ignore[valid-type]
        "ex-post",
        description="`ex-ante`: transfers fixed in euros from the base case; `ex-post`: settled on each "
        "draw's realised costs, savings and successes.",
    )
    shares: dict[str, float] | None = Field(
        None,
        description="`fixed_split`: the share of each party (party id -> share between 0 and 1; they sum to 1).",
    )
    split: Literal["costs", "net"] = Field(
        "costs",
        description="`fixed_split`: what the shares divide: `costs` (each party bears its share of the total "
        "costs, savings stay where they fall) or `net` (each party gets its share of total savings minus costs).",
    )
    price_per_success: float | None = Field(
        None,
        ge=0,
        description="`outcome_payments`: euros paid per participant whose job reaches 12 months, in the month "
        "it does. Absent: set from the base case so that the receivers break even in expectation.",
    )
    price_per_work_month: float = Field(
        0.0,
        ge=0,
        description="`outcome_payments`: euros paid per month a participant works (program world), on top of "
        "`price_per_success`.",
    )
    payers: list[str] | None = Field(
        None,
        min_length=1,
        description="`outcome_payments`: party ids that pay, in proportion to their base-case net. "
        "Default: the parties whose base-case net is positive.",
    )
    receivers: list[str] | None = Field(
        None,
        min_length=1,
        description="`outcome_payments`: party ids that are paid, in proportion to their base-case deficit. "
        "Default: the parties whose base-case net is negative (the investors).",
    )

    @model_validator(mode="after")
    def _check(self):
        problems = []
        if self.rule == "fixed_split" and self.shares is None:
            problems.append('rule = "fixed_split" needs shares, e.g. shares = { gemeente = 0.6, uwv = 0.4 }')
        if self.rule != "fixed_split":
            for name in ("shares", "split"):
                if name in self.model_fields_set:
                    problems.append(f'{name} only applies to rule = "fixed_split"')
        if self.rule != "outcome_payments":
            for name in ("price_per_success", "price_per_work_month", "payers", "receivers"):
                if name in self.model_fields_set:
                    problems.append(f'{name} only applies to rule = "outcome_payments"')
        both = sorted(set(self.payers or []) & set(self.receivers or []))
        if both:
            problems.append(f"a party cannot both pay and receive: {', '.join(both)}")
        for name in ("payers", "receivers"):
            ids = getattr(self, name) or []
            if len(set(ids)) < len(ids):
                problems.append(f"{name} names a party twice")
        if problems:
            raise ValueError("; ".join(problems))
        return self


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
    agreement: Agreement | None = Field(
        None, description="A proposed sharing agreement to evaluate with `simsav share` (`[agreement]`, optional)."
    )
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

    def no_party(pid: str) -> str:
        return f"party {pid!r} is not defined in [[parties]] (defined: {', '.join(cfg.party_ids)})"

    def no_stream(sid: str) -> str:
        return f"stream {sid!r} is not defined in [[streams]] (defined: {', '.join(cfg.stream_ids)})"

    for i, s in enumerate(cfg.streams):
        loc = f"streams.{i}"
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
        if cfg.cohort.size is not None and cfg.cohort.size != sum(counts):
            problems.append(("cohort.size", f"is {cfg.cohort.size} but the stream counts add up to {sum(counts)}"))

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

    for i, it in enumerate(cfg.items):
        loc = f"items.{i}"
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
            if ys != list(range(ys[0], ys[-1] + 1)):
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

    for path, value in _walk_numbers(cfg):
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        if name in ("values", "reductions") and "reductions" in path:
            name = "reductions"
        loc = ".".join(str(p) for p in path)
        not_finite = _not_finite(name, value)
        if not_finite:
            problems.append((loc, not_finite))
            continue
        lo, hi = support(value)
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


def _not_finite(name: str, value) -> str | None:
    """Return what is wrong when a number is nan, or infinite where infinity means nothing."""
    from .distributions import Normal, _Dist

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


_WRAPPERS = ("function-after[", "function-before[", "function-wrap[", "function-plain[", "nullable[", "lax-or-strict[")
_BRANCHES = ("float", "int", "str", "bool", "list[...]")


def _clean_loc(loc: tuple) -> str:
    """Turn a pydantic error location into a config field path (``outcomes.streams.bijstand.placement_probability``).

    Pydantic's internal names (union branches such as ``float`` or ``tagged-union[...]``, the
    distribution family chosen by ``dist``, validator wrappers, ``[key]``) are dropped.
    """
    out: list[str] = []
    skip_tag = False
    for part in loc:
        s = str(part)
        if skip_tag:  # the `dist` tag that picked a distribution family
            skip_tag = False
            continue
        if s.startswith("tagged-union["):
            skip_tag = True
            continue
        if s.startswith(_WRAPPERS) or s == "[key]":
            continue
        if s in _BRANCHES and out:
            continue
        out.append(s)
    return ".".join(out)


def _unwrap(tp):
    """Return ``tp`` without ``Annotated`` and ``None`` (``X | None`` -> ``X``)."""
    import types
    import typing

    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _fields_at(loc: tuple) -> list[str]:
    """Return the field names of the config table at pydantic location ``loc`` ([] when unknown)."""
    import typing

    from .distributions import FAMILIES

    tp = Config
    parts = [str(p) for p in loc]
    i = 0
    while i < len(parts):
        s = parts[i]
        if s.startswith("tagged-union["):
            tp = FAMILIES.get(parts[i + 1]) if i + 1 < len(parts) else None
            if tp is None:
                return []
            i += 2
            continue
        if s.startswith(_WRAPPERS) or s == "[key]":
            i += 1
            continue
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(s)
            if field is None:
                return []
            tp = field.annotation
        elif origin is list:
            tp = typing.get_args(tp)[0]
        elif origin is dict:
            tp = typing.get_args(tp)[1]
        else:
            return []
        i += 1
    tp = _unwrap(tp)
    return list(tp.model_fields) if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def _show(value) -> str:
    """Return a config value as it would look in TOML, for 'got ...' in messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, (int, float)):
        return f"{value!r}"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (list, tuple)):
        text = "[" + ", ".join(_show(v) for v in value) + "]"
        return text if len(text) <= 60 else f"an array of {len(value)} values"
    return str(value)


def _is_number_text(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


_TYPE_WORDS = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text (in quotes)",
    "list_type": "must be an array [...]",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
}


def _message(e: dict) -> str:
    """Return the readable text of one pydantic error (not an unknown field: see ``_pydantic_problems``)."""
    kind, inp, ctx = e["type"], e.get("input"), e.get("ctx") or {}
    loc = e["loc"]
    last = str(loc[-1]) if loc else ""
    if kind == "missing":
        return "required field is missing"
    if kind == "union_tag_invalid":
        expected = str(ctx.get("expected_tags", "")).replace("'", "")
        return f"unknown distribution dist = {_show(ctx.get('tag'))}; dist must be one of: {expected}"
    if kind == "union_tag_not_found":
        from .distributions import FAMILIES

        return (f"a distribution needs a dist key, one of: {', '.join(FAMILIES)} "
                "(or write a plain number)")
    if kind in _TYPE_WORDS:
        msg = _TYPE_WORDS[kind]
        if last == "float" and kind in ("float_type", "float_parsing"):
            msg += " or a distribution table { dist = ... }"
        msg += f", got {_show(inp)}"
        if isinstance(inp, str) and kind.startswith(("float", "int")) and _is_number_text(inp):
            msg += " (text: write the number without quotes)"
        elif isinstance(inp, str) and kind.startswith("bool") and inp.lower() in ("true", "false"):
            msg += " (text: write true or false without quotes)"
        return msg
    if kind == "literal_error":
        import difflib

        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        msg = "must be " + (" or ".join(", ".join(f'"{o}"' for o in options).rsplit(", ", 1)) if options else "one of the listed values")
        msg += f", got {_show(inp)}"
        close = difflib.get_close_matches(inp, options, n=1, cutoff=0.6) if isinstance(inp, str) else []
        return msg + (f' (did you mean "{close[0]}"?)' if close else "")
    if kind in ("too_short", "too_long"):
        n = ctx.get("min_length" if kind == "too_short" else "max_length")
        bound = "at least" if kind == "too_short" else "at most"
        return f"must have {bound} {n} {'entry' if n == 1 else 'entries'}, got {ctx.get('actual_length')}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if pattern == _ID:
            msg = "must be lowercase letters, digits and _, starting with a letter"
        elif pattern == Cohort.model_fields["start"].metadata[0].pattern:
            msg = 'must be a calendar month written "YYYY-MM", e.g. "2024-01"'
        else:
            msg = f"must match the pattern {pattern}"
        return f"{msg}, got {_show(inp)}"
    msg = re.sub(r"^(Value error|Assertion failed), ", "", e["msg"])
    msg = re.sub(r"^(Input|String|List|Dictionary|Value) should( be)?", lambda m: "must" + (m.group(2) or ""), msg)
    if kind not in ("value_error", "assertion_error") and not isinstance(inp, dict) and "got" not in msg:
        msg += f", got {_show(inp)}"
    elif kind == "value_error" and isinstance(inp, (list, int, float)) and "got" not in msg:
        msg += f", got {_show(inp)}"
    return msg


def _pydantic_problems(err: ValidationError | list[dict]) -> list[tuple[str, str]]:
    """Return (field path, message) for each problem pydantic found, one per problem."""
    import difflib

    errors = err.errors(include_url=False) if isinstance(err, ValidationError) else list(err)
    kept = []
    for e in errors:
        loc, inp = tuple(e["loc"]), e.get("input")
        last = str(loc[-1]) if loc else ""
        # A number field accepts a number or a distribution table: report only the branch that applies.
        if isinstance(inp, dict) and last in ("float", "int"):
            continue
        if not isinstance(inp, dict) and last.startswith("tagged-union["):
            continue
        kept.append(e)

    # A misspelt field is one problem, not "unknown field" plus "required field is missing".
    missing = {tuple(e["loc"]) for e in kept if e["type"] == "missing"}
    merged: set[tuple] = set()
    suggestion: dict[int, str] = {}
    for k, e in enumerate(kept):
        if e["type"] != "extra_forbidden":
            continue
        loc = tuple(e["loc"])
        parent, key = loc[:-1], str(loc[-1])
        absent = [str(m[-1]) for m in missing if m[:-1] == parent and m not in merged]
        close = difflib.get_close_matches(key, absent, n=1, cutoff=0.6)
        if not close:
            close = difflib.get_close_matches(key, _fields_at(parent), n=1, cutoff=0.75)
        if close:
            suggestion[k] = close[0]
            merged.add(parent + (close[0],))

    problems: list[tuple[str, str]] = []
    seen = set()
    for k, e in enumerate(kept):
        loc = tuple(e["loc"])
        if e["type"] == "missing" and loc in merged:
            continue
        if e["type"] == "extra_forbidden":
            if k in suggestion:
                msg = f"unknown field: did you mean {suggestion[k]!r}? (see docs/config.md)"
            else:
                msg = "unknown field (check the spelling; see docs/config.md)"
            found = [(_clean_loc(loc), msg)]
        elif not loc and e["type"] == "value_error":
            # Config-level checks (duplicate ids) join their findings with "; ".
            found = []
            for part in re.sub(r"^Value error, ", "", e["msg"]).split("; "):
                where = {"party": "parties", "stream": "streams", "item": "items"}.get(part.split(" ", 1)[0], "")
                if where == "items" and "'benefit_" in part:
                    part += " (each stream's benefit is an item named benefit_<stream id>)"
                found.append((where, part))
        else:
            found = [(_clean_loc(loc), _message(e))]
        for key in found:
            if key not in seen:
                seen.add(key)
                problems.append(key)
    return problems


_TABLE_ARRAYS = {"parties": "party", "streams": "stream", "items": "item", "correlations": "correlation"}


def _with_context(problems: list[tuple[str, str]], data: dict) -> list[tuple[str, str]]:
    """Name the entry behind ``items.3``-style paths: ``(item "jobcoaching")``, since counting is error-prone."""
    out = []
    for path, msg in problems:
        parts = path.split(".")
        entries = data.get(parts[0]) if len(parts) >= 2 and parts[0] in _TABLE_ARRAYS and parts[1].isdigit() else None
        if isinstance(entries, list) and int(parts[1]) < len(entries):
            k = int(parts[1])
            ident = entries[k].get("id") if isinstance(entries[k], dict) else None
            if isinstance(ident, str) and ident:
                where = f'{_TABLE_ARRAYS[parts[0]]} "{ident}"'
            else:
                where = f"the {_ordinal(k + 1)} [[{parts[0]}]] in the file"
            see = " (see docs/config.md)"
            msg = msg[: -len(see)] + f" ({where}; see docs/config.md)" if msg.endswith(see) else msg + f" ({where})"
        out.append((path, msg))
    return out


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _coercion_problems(data: dict) -> list[tuple[str, str]]:
    """Return the values pydantic would silently convert: text or true/false where a number (or flag) goes."""
    try:
        Config.model_validate(data, strict=True)
    except ValidationError as e:
        errors = [
            x for x in e.errors(include_url=False)
            if x["type"] in ("float_type", "int_type", "bool_type") and isinstance(x.get("input"), (str, bool))
        ]
        return _pydantic_problems(errors)
    return []


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
    except UnicodeDecodeError as e:
        raise ConfigError(path, f"is not UTF-8 text (byte {e.start}): is it a TOML config?") from None
    if not text.strip():
        raise ConfigError(path, "is empty")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, f"invalid TOML: {e}") from None
    if not data:
        raise ConfigError(path, "is empty (it holds only comments)")
    import warnings

    try:
        with warnings.catch_warnings():  # scipy's numeric warnings on absurd parameters: the problem is reported
            warnings.simplefilter("ignore", RuntimeWarning)
            coercions = _coercion_problems(data)
            cfg = config_from_dict(data, source=str(path))
    except ConfigError as e:
        problems = coercions + [p for p in e.problems if p not in coercions]
        raise ConfigError(path, _with_context(problems, data)) from None
    if coercions:
        raise ConfigError(path, _with_context(coercions, data))
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
