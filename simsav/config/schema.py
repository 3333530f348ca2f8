"""The config language: the typed, immutable models a TOML file is validated into.

The schema below *is* the reference: ``docs/config.md`` is generated from it
(``python tools/docgen.py``) and a test fails when the two drift apart.
Every field has a description; every number may be a distribution
(see :mod:`simsav.config.distributions`). Loading and the checks that need the whole
config are in :mod:`simsav.config.load`.
"""
from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from ..codes import BENEFITS, CLOCKS, EVENTS, STATES, TIME_LAWS, WORLDS, BENEFIT_LAWS
from .distributions import Number

_ID = r"^[a-z][a-z0-9_]*$"

# Limits on what a business case can hold. A number past one is a mistake (a typo, a unit, a
# percentage written as a whole number), and some would break the run: sums that overflow to
# inf and nan, counts that overflow int64, dates a results file cannot hold. The loader checks
# them (simsav.config.load) and the field descriptions below say them.

MAX_PARTICIPANTS = 10_000_000
"""Participants in one config (``cohort.size``, the stream counts together). simsav follows every
participant month by month in every draw; ten million is far beyond any regional case (the whole
of the Netherlands has about 400,000 people on bijstand) and keeps the run's time and its
counts far from any overflow."""

MAX_EUROS = 1e9
"""The largest amount of euros one number may hold (a monthly benefit, an item's amount per month,
event or year, a price in an agreement), in absolute value, over everything its distribution can
draw: a billion euros. With the other limits a sum over participants, months and items stays
far below float overflow (about 1e308), where results would turn into inf and nan."""

MAX_MULTIPLIER = 1e6
"""The largest multiplier of an amount: an item's ``quantity`` and ``organisations``, a
schedule's ``values``."""

MAX_HOURS_PER_WEEK = 60.0
"""The most hours a participant works per week (a week has 168; full time is 36 to 40)."""

MAX_DISCOUNT_RATE = 0.5
"""The largest annual discount rate (50%): a rate is a fraction, 0.03 for 3%."""

def as_power(x: float) -> str:
    """Return a round limit as a config would write it: ``1e9`` for 1e9."""
    mantissa, exponent = f"{x:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


FIRST_YEAR, LAST_YEAR = 1900, 2199
"""The calendar years the horizon must lie in: a results file stores months as dates that
xarray reads as nanoseconds since 1970 (years 1678 to 2261); these are the round years inside."""


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

    by: Literal[CLOCKS] = Field(  # type: ignore[valid-type]
        "months_in_state",
        description="The clock: months in the current state, months since the agent's trajectory "
        "started, or the calendar year (then `breaks` are years, e.g. `[2022, 2023]`).",
    )
    breaks: list[int] = Field(default_factory=list, description="Where the multiplier changes, increasing.")
    values: list[Number] | None = Field(
        None, description=f"The multiplier on each interval; at most {as_power(MAX_MULTIPLIER)}."
    )
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
        None,
        description="Hours worked per week while working; used by items with `per_hour_worked`. "
        f"At most {MAX_HOURS_PER_WEEK:g} (a week has 168 hours). Default 0.",
    )
    time_law: Literal[TIME_LAWS] | None = Field(  # type: ignore[valid-type]
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
    count: int | None = Field(
        None, ge=0, le=MAX_PARTICIPANTS,
        description="Number of participants (give `share` or `count`); the counts of all streams together "
        f"at most {MAX_PARTICIPANTS:,} (simsav follows every participant in every draw).",
    )
    monthly_benefit: Number = Field(
        0.0, description=f"Benefit paid per month (euros, at most {as_power(MAX_EUROS)}: a billion); 0 for `nug`."
    )
    payer: str | None = Field(None, description="Party that pays the benefit (required when `monthly_benefit` > 0).")
    manager: str = Field(description="Party that manages the trajectory.")
    benefit_months_remaining: Number = Field(
        math.inf,
        description="How long the benefit would still run from the start of the trajectory (months); "
        "`inf` for unlimited. A saving on the benefit cannot outlast it.",
    )
    benefit_months_law: Literal[BENEFIT_LAWS] = Field(  # type: ignore[valid-type]
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

    size: int | None = Field(
        None, gt=0, le=MAX_PARTICIPANTS,
        description="Number of participants (required when streams give shares); simsav follows every "
        "participant in every draw.",
    )
    horizon_months: int = Field(gt=0, le=600, description="Months followed, from the first start.")
    start: str = Field(
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description=f"Calendar month of month 0, `YYYY-MM`. The whole horizon must lie within {FIRST_YEAR}-01 "
        f"to {LAST_YEAR}-12 (the dates a results file can hold).",
    )
    inflow_months: int = Field(
        1, gt=0,
        description="Starts spread evenly over this many months (1: all at month 0); at most `horizon_months`.",
    )
    inflow_weights: list[float] | None = Field(
        None,
        description="Instead of `inflow_months`: relative number of starts in each month from month 0; "
        "at most `horizon_months` entries.",
    )
    discount_rate: Number = Field(
        0.0,
        description=f"Annual discount rate, a fraction (0.03 for 3%; at most {MAX_DISCOUNT_RATE:g}); "
        "flows are discounted monthly.",
    )

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
    amount: Number = Field(
        description="Euros per month (monthly), per event (event) or per year per organisation (annual); "
        f"at most {as_power(MAX_EUROS)} (a billion)."
    )
    amount_period: Literal["month", "year"] = Field(
        "month", description="Monthly items: `year` when `amount` is a yearly figure (it is then divided by 12)."
    )
    quantity: Number = Field(
        1.0, description=f"Multiplier of `amount`, e.g. hours at an hourly rate; at most {as_power(MAX_MULTIPLIER)}."
    )
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
    organisations: Number = Field(
        1.0, description=f"Annual items: number of organisations paying it; at most {as_power(MAX_MULTIPLIER)}."
    )
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
        f"it does (at most {as_power(MAX_EUROS)}). Absent: set from the base case so that the receivers break even "
        "in expectation.",
    )
    price_per_work_month: float = Field(
        0.0,
        ge=0,
        description="`outcome_payments`: euros paid per month a participant works (program world), on top of "
        f"`price_per_success` (at most {as_power(MAX_EUROS)}).",
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


class Document(_Model):
    """A document numbers cite (`[sources.<key>]`): a number's `source = "<key>:42"` points at line or row 42 of it."""

    title: str = Field(description="The document's name as a reader knows it, e.g. `Business case Twente 2021-2023`.")
    date: str = Field("", description="When it was written or published, as the report shows it, e.g. `nov. 2020`.")
    where: str = Field(
        "", description="Where a reader finds it: a URL, or who has it (not a file path only the modeller can open)."
    )


class Config(_Model):
    """A business case: parties, streams, cohort, outcomes, items."""

    title: str = Field(description="Name of the business case.")
    description: str = Field("", description="What it models, in a sentence or two.")
    language: Literal["nl", "en"] = Field(
        "en", description="Language of what every command prints, the figures and the report: `nl` (Dutch, "
                          "EUR 1.234.567 and 0,56) or `en` (English, EUR 1,234,567 and 0.56). A command's "
                          "`--lang` overrides it."
    )
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
    sources: dict[str, Document] = Field(
        default_factory=dict,
        description="The documents the numbers cite, by key (`[sources.twente]`); a distribution's `source` "
        'names a key and the line or row in it (`source = "twente:42"`). Keys: lower case letters, digits, '
        "`_` and `-`; `judgement` is reserved for the modeller's own judgement.",
    )
    _source_path: str = PrivateAttr("")
    _source_sha256: str = PrivateAttr("")
    _source_text: str = PrivateAttr("")

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


