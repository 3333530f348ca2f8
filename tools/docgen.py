"""Generate the config reference, ``docs/config.md``, from the schema.

The tables of fields come from the pydantic models in :mod:`simsav.config.schema` and the
distribution classes in :mod:`simsav.config.distributions` (names, types, defaults,
constraints, descriptions, docstrings); only the introductions and the TOML examples
are written here. ``tests/test_docs.py`` checks that the file matches what this script
generates, that every field is documented and that every example loads.

Usage, from any directory (paths are relative to the repository root)::

    python tools/docgen.py           # write docs/config.md
    python tools/docgen.py --check   # exit 1 if docs/config.md is out of date

This is a development script, not part of the installed package: it documents the schema
of the checkout it lives in.
"""
from __future__ import annotations

import argparse
import inspect
import math
import re
import sys
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
"""The root of the repository this script lives in (``tools/`` is directly below it)."""

if __name__ == "__main__" and str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # run as a script: import this checkout's simsav, installed or not

from pydantic import BaseModel  # noqa: E402
from pydantic.fields import FieldInfo  # noqa: E402

from simsav.config import config_from_dict, schema  # noqa: E402
from simsav.config.distributions import FAMILIES, Number, _Dist  # noqa: E402
from simsav.errors import ConfigError  # noqa: E402

DOC_PATH = REPO_ROOT / "docs" / "config.md"
"""Where ``python tools/docgen.py`` writes the reference by default."""


# --------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class Section:
    """One part of the reference: a TOML table (or a kind of value) and its schema model."""

    title: str
    anchor: str
    model: type[BaseModel] | None
    intro: str
    example: str
    in_example_config: bool = True
    """True when ``example`` is a piece of the complete example config (``EXAMPLE_CONFIG``);
    False when it shows values to put inside other tables (a fragment)."""


TOP_LEVEL = Section(
    title="Top level",
    anchor="top-level",
    model=schema.Config,
    intro="The keys at the top of the file, before any table, and the tables the file is made of.",
    example='''\
# Business case "IPS voor bijstand en WW", example gemeente, 2024-2026.
# Source: the project plan of March 2024 (called "plan" in the comments below).
title = "IPS - voorbeeldgemeente 2024-2026"
description = "40 participants on bijstand or WW, followed for 3 years; placement is uncertain."
''',
)

PARTIES = Section(
    title="[[parties]]",
    anchor="parties",
    model=schema.Party,
    intro="One `[[parties]]` table per organisation. Streams and items refer to parties by `id`.",
    example='''\
[[parties]]
id = "gemeente"
name = "Gemeente Voorbeeld"
role = "gemeente"

[[parties]]
id = "uwv"
name = "UWV"
role = "uwv"

[[parties]]
id = "zorgverzekeraar"
name = "Zorgverzekeraar"
role = "zorgverzekeraar"
''',
)

STREAMS = Section(
    title="[[streams]]",
    anchor="streams",
    model=schema.Stream,
    intro="One `[[streams]]` table per group of participants on the same benefit. Give every stream "
    "a `share` (of `cohort.size`) or every stream a `count`. The benefit itself is a saving item "
    "`benefit_<stream id>`, paid by `payer`, created from these fields.",
    example='''\
[[streams]]
id = "bijstand"
label = "Participatiewet"
benefit = "bijstand"
share = 0.6                  # plan p. 3: 24 of the 40 participants are on bijstand
monthly_benefit = 1200       # plan p. 5: "gemiddelde uitkering EUR 1.200 per maand"
payer = "gemeente"
manager = "gemeente"
# plan p. 5: "besparing jaar 1: 70%, daarna 100%"
benefit_reduction_when_working = { by = "months_in_state", breaks = [12], reductions = [0.7, 1.0] }

[[streams]]
id = "ww"
label = "WW"
benefit = "ww"
share = 0.4                  # plan p. 3: 16 of the 40 participants are on WW
# plan p. 5 gives EUR 1.600 a month; the range is an assumption
monthly_benefit = { dist = "triangular", low = 1400, mode = 1600, high = 1900, point = 1600 }
payer = "uwv"
manager = "uwv"
benefit_months_remaining = 24    # legal maximum of the WW; who is where in it is unknown
benefit_months_law = "uniform"
''',
)

COHORT = Section(
    title="[cohort]",
    anchor="cohort",
    model=schema.Cohort,
    intro="One `[cohort]` table: how many participants start, when, and how long they are followed.",
    example='''\
[cohort]
size = 40                    # plan p. 3
horizon_months = 36          # plan p. 2: "looptijd 3 jaar"
start = "2024-01"            # plan p. 2
inflow_months = 12           # plan p. 3: "instroom gespreid over het eerste jaar"
discount_rate = 0.03         # assumption, not in the plan
''',
)

OUTCOMES = Section(
    title="[outcomes] and [outcomes.streams.<id>]",
    anchor="outcomes",
    model=schema.WorldOutcomes,
    intro="What happens to participants with the program. Every agent waits, is mediated, "
    "may find work (a job spell), may lose it again and return via on hold, or drops out. "
    "The fields in `[outcomes]` hold for every stream; a table `[outcomes.streams.<id>]` "
    "overrides some of them for one stream (it takes every field below except `streams`).",
    example='''\
[outcomes]
# plan p. 4: "45% vindt werk"; the spread is an assumption (IPS trials: 35-55%)
placement_probability = { dist = "beta", mean = 0.45, sd = 0.08, point = 0.45, name = "placement" }
months_waiting = 1                                           # plan p. 4
months_to_placement = { dist = "gamma", mean = 6, sd = 2 }   # plan p. 4: "gemiddeld na 6 maanden"
months_to_dropout = 9                                        # assumption
job_retention_12m = { dist = "pert", low = 0.5, mode = 0.65, high = 0.8, name = "retention" }  # plan p. 4
return_probability = 0.5                                     # assumption
months_on_hold = 3                                           # assumption
max_spells = 3
hours_per_week = 20                                          # plan p. 4
time_law = "geometric"

[outcomes.streams.ww]
placement_probability = 0.55   # plan p. 4: "WW'ers vinden vaker werk (55%)"
''',
)

COUNTERFACTUAL = Section(
    title="[counterfactual]",
    anchor="counterfactual",
    model=None,
    intro="What happens to the same participants without the program, with the same fields as "
    "[`[outcomes]`](#outcomes) (and `[counterfactual.streams.<id>]` overrides). Without a "
    "`[counterfactual]` table nobody finds work without the program. An item in both worlds is a "
    "saving: its counterfactual cost minus its program cost.",
    example='''\
[counterfactual]
placement_probability = 0.15   # plan p. 6: "zonder IPS vindt 15% werk"
months_to_placement = 12       # assumption
job_retention_12m = 0.5        # assumption
hours_per_week = 20            # plan p. 4

[counterfactual.streams.ww]
placement_probability = 0.25   # plan p. 6
''',
)

ITEMS = Section(
    title="[[items]]",
    anchor="items",
    model=schema.Item,
    intro="One `[[items]]` table per line of money. `basis` says how it is paid: a monthly rate while "
    "an agent is in some `states`, a one-off at an `event`, or a yearly amount per organisation. "
    "Items only in the program world are costs; items in both worlds are savings.",
    example='''\
[[items]]
id = "ips_begeleiding"
label = "IPS-trajectbegeleiding"
party = "zorgverzekeraar"
basis = "monthly"
amount = 85                  # plan p. 7: "uurtarief EUR 85"
quantity = 4                 # plan p. 7: "4 uur per maand"
unit = "h"
states = ["mediation", "working"]
# plan p. 7: half the hours once at work for 6 months
state_factors = { working = { by = "months_in_state", breaks = [6], values = [1.0, 0.5] } }

[[items]]
id = "intake"
label = "Intake"
party = "gemeente"
basis = "event"
event = "start"
amount = 450                 # plan p. 7

[[items]]
id = "loonkostensubsidie"
label = "Loonkostensubsidie"
party = "gemeente"
basis = "monthly"
amount = 12                  # plan p. 8: "EUR 12 per gewerkt uur"
unit = "h"
per_hour_worked = true
states = ["working"]
schedule = { by = "calendar_year", breaks = [2025], values = [1.0, 0.8] }   # plan p. 8: 20% less from 2025
streams = ["bijstand"]
eligible_share = 0.5         # plan p. 8: "voor de helft van de werkenden"

[[items]]
id = "coordinatie"
label = "Coordinatie en overleg"
party = "gemeente"
basis = "annual"
amount = 10000               # plan p. 7
organisations = 2            # plan p. 7: the gemeente and its neighbour
years = [2024, 2025]
in_table = false             # paid from another budget, not in the plan's table

[[items]]
id = "zorgkosten"
label = "Zorgkosten Zvw"
party = "zorgverzekeraar"
basis = "monthly"
# plan p. 6 gives EUR 4.115 a year; the spread is an assumption
amount = { dist = "lognormal", mean = 4000, sd = 1200, point = 4115, name = "care_cost" }
amount_period = "year"
states = ["waiting", "mediation", "working", "on_hold", "dropped_out"]
state_factors = { working = { reductions = [0.3] } }   # plan p. 6: "30% minder zorgkosten bij werk"
worlds = ["program", "counterfactual"]
''',
)

SCHEDULES = Section(
    title="Schedules (inline tables)",
    anchor="schedules",
    model=schema.Schedule,
    intro="A schedule is an inline table `{ ... }` in a stream's `benefit_reduction_when_working` or an "
    "item's `schedule` and `state_factors`; it multiplies an amount by a number that changes over time.",
    example='''\
# [[streams]]: 70% of the benefit saved in the first 12 months at work, all of it after
benefit_reduction_when_working = { by = "months_in_state", breaks = [12], reductions = [0.7, 1.0] }
# [[items]]: paid in the first 4 months of every trajectory only
schedule = { by = "months_since_start", breaks = [4], values = [1.0, 0.0] }
# [[items]]: care costs 45% lower while working (one interval: no breaks)
state_factors = { working = { reductions = [0.45] } }
''',
    in_example_config=False,
)

CORRELATIONS = Section(
    title="[[correlations]]",
    anchor="correlations",
    model=schema.Correlation,
    intro="One `[[correlations]]` table per pair of uncertain numbers that move together. A number is "
    "named by the `name` of its distribution (or by its path, e.g. `outcomes.placement_probability` or "
    "`items.zorgkosten.amount`: entries of `[[streams]]` and `[[items]]` are named by their `id`); "
    "both must be distributions, not plain numbers.",
    example='''\
[[correlations]]
between = ["placement", "retention"]   # those who find work easily also keep it: an assumption
rank = 0.5
''',
)

AGREEMENT = Section(
    title="[agreement]",
    anchor="agreement",
    model=schema.Agreement,
    intro="An optional `[agreement]` table writes down a shared-savings agreement a region proposes or "
    "negotiated: who pays whom. `simsav share CONFIG --rule agreement` evaluates it like the standard "
    "rules (net per party before and after, the chance of a loss, break-even); "
    "[sharing.md](sharing.md) explains the rules and the settlement.",
    example='''\
[agreement]
label = "Convenant IPS voorbeeldgemeente 2024"
rule = "outcome_payments"
settle = "ex-post"             # paid on the successes that actually happen
price_per_success = 9000       # negotiated: EUR 9.000 per participant who works 12 months
payers = ["gemeente", "uwv"]   # they receive the benefit savings
receivers = ["zorgverzekeraar"]
# or a fixed split of the costs:
# rule = "fixed_split"
# shares = { gemeente = 0.5, uwv = 0.3, zorgverzekeraar = 0.2 }
''',
)

SOURCES = Section(
    title="[sources.<key>]",
    anchor="sources",
    model=schema.Document,
    intro="Labels and sources, for a board. A config names the documents its numbers come from once, each "
    "under a short key (`[sources.twente]`), and every distribution cites them with `source = \"<key>:<line>\"` "
    "(the line or row of that document; `\"twente:88-99\"` for a range; a list for several; `\"judgement\"` "
    "for the modeller's own judgement). A key that is not in `[sources]` is an error. A distribution's "
    "`label` (a string, or `{ nl = \"...\", en = \"...\" }`) is what the report and `simsav sensitivity` "
    "show instead of its name or path; without one, a label is made from the item or stream and the field "
    "(\"Zorgkosten Zvw: bedrag\"). The report's \"Assumptions and sources\" lists, per uncertain number, "
    "its label, its value in words, and its sources as \"Business case Twente 2021-2023 (nov. 2020), r. 42\". "
    "Plain numbers keep their source in a comment (`# seed 003 line 42`).",
    example='''\
[sources.twente]
title = "Business case Twente 2021-2023"
date = "nov. 2020"
where = "Werk als beste Zorg in Twente met inzet van sleutelfiguren, definitieve versie"
# cited from a distribution anywhere above:
# amount = { dist = "pert", low = 3000, mode = 4115, high = 9000, point = 4115,
#            label = { nl = "Zorgkosten per jaar", en = "Care cost per year" }, source = ["twente:43", "judgement"] }
''',
)

SCENARIOS = Section(
    title="Scenarios: extending a config",
    anchor="scenarios",
    model=None,
    intro="A scenario is a config that starts `extend = \"../holland-rijnland.toml\"` (a path relative to the "
    "scenario's own file) and then gives only what it changes. Tables (the top level, `[cohort]`, `[outcomes]`, "
    "`[counterfactual]`, their `streams.<id>`, `[agreement]`, `[sources]`, `[sources.<key>]`) merge key by key. "
    "Every other value, an inline distribution or schedule too, replaces the base's whole: restate all its "
    "parameters. `[[parties]]`, `[[streams]]` and `[[items]]` entries are matched by `id`: the fields given "
    "replace the base entry's, a new id is added at the end, and `{ id = \"x\", remove = true }` removes one. "
    "`[[correlations]]` replaces the base's list. A base may extend another (at most 16 files); a cycle or a "
    "missing file is reported as `scenario.toml: extend: ...`. Each problem names the file that set the "
    "value: the scenario's line or the base's. The config a run stores (`config_toml` in the results) is the "
    "merged config, with the base's comments and the scenario's own; `config_sha256` is that text's hash. "
    "The shipped scenarios are in `configs/scenarios/`; `simsav compare` runs them side by side, paired "
    "([scenarios.md](scenarios.md)).",
    example='''\
# configs/scenarios/hr-240.toml
extend = "../holland-rijnland.toml"
title = "Meedoen, meedelen - Holland Rijnland, 240 trajecten"

[cohort]
size = 240

[[items]]
id = "trajectbegeleiding_ggz"   # the base's item of that id: only its quantity changes
quantity = 0.84
''',
    in_example_config=False,
)

SECTIONS = (TOP_LEVEL, PARTIES, STREAMS, COHORT, OUTCOMES, COUNTERFACTUAL, ITEMS, SCHEDULES, CORRELATIONS, AGREEMENT,
            SOURCES, SCENARIOS)
"""The sections of the reference, in order (the distributions follow them)."""

EXAMPLE_CONFIG = "\n".join(s.example for s in SECTIONS if s.in_example_config)
"""A complete, valid config: the examples of the table sections, one after the other."""

DISTRIBUTION_EXAMPLES = {
    "fixed": 'hours_per_week = { dist = "fixed", value = 20 }',
    "uniform": 'months_waiting = { dist = "uniform", low = 0, high = 3 }',
    "triangular": 'monthly_benefit = { dist = "triangular", low = 1400, mode = 1600, high = 1900 }',
    "pert": 'amount = { dist = "pert", low = 60, mode = 75, high = 110, point = 75 }',
    "normal": 'hours_per_week = { dist = "normal", mean = 20, sd = 5, low = 0, high = 40 }',
    "lognormal": 'amount = { dist = "lognormal", mean = 4115, sd = 1200, point = 4115 }',
    "gamma": 'months_to_placement = { dist = "gamma", mean = 6, sd = 2 }',
    "beta": 'placement_probability = { dist = "beta", mean = 0.45, sd = 0.08, point = 0.45, name = "placement" }',
    "discrete": 'hours_per_week = { dist = "discrete", values = [16, 24, 32], probabilities = [0.5, 0.3, 0.2] }',
}
"""One example line per distribution family (a number field set to that distribution)."""

_PARAMETER_NOTES = {
    "dist": "The family: `{family}`.",
    "value": "The number.",
    "low": "Lower end of the range.",
    "high": "Upper end of the range.",
    "mode": "Most likely value.",
    "shape": "How peaked the distribution is around `mode` (4: classic PERT).",
    "mean": "Mean.",
    "sd": "Standard deviation.",
    "alpha": "First shape parameter.",
    "beta": "Second shape parameter.",
    "values": "The possible values.",
}
"""Descriptions for distribution parameters that have none in the schema."""

BAD_EXAMPLE = '''\
title = "Example with mistakes"

[[parties]]
id = "gemeente"
name = "Gemeente Voorbeeld"

[[streams]]
id = "bijstand"
benefit = "bijstand"
count = 40
monthly_benfit = 1200
payer = "gemeente"
manager = "gemeente"

[cohort]
horizon_months = 36

[outcomes]
placement_probability = { dist = "beta", mean = 0.45, sd = 0.6 }
'''
"""A config with three mistakes, to show how problems are reported."""

_INTRO = """\
# Config reference

<!-- Generated from simsav/config/schema.py and simsav/config/distributions.py by `python tools/docgen.py`.
     Do not edit by hand: tests/test_docs.py fails when this file and the schema differ. -->

A business case is one TOML file: who pays and who saves (`[[parties]]`), who takes part
(`[[streams]]`, `[cohort]`), what happens to them with and without the program (`[outcomes]`,
`[counterfactual]`), what it costs and saves (`[[items]]`), which uncertain numbers move
together (`[[correlations]]`) and, optionally, how the parties propose to share the savings
(`[agreement]`). `configs/twente.toml` is a complete business case; the examples
below, put one after the other, make another.

Sections: {contents}.

Amounts are in euros, durations in months, shares and probabilities between 0 and 1.

## Sources as comments

Every number that comes from a source carries a comment saying where: a TOML comment starts
with `#` and runs to the end of the line. simsav ignores comments, but they are the audit trail:
a reader can check every number against the page or line it came from, and numbers that are
assumptions or calibrations say so.

```toml
amount = 75                  # seed 003 line 44: "Uurtarief is EUR 75"
discount_rate = 0.03         # assumption, not in the source
```

## Every number may be a distribution

Wherever a field's type says *number or distribution*, write either a plain number or an inline
table with a `dist` key naming one of the [distribution families](#distributions). The base case
uses the distribution's `point` (the number the source gives; default: its mean); a Monte Carlo
run draws the number anew for every draw. Give a distribution a `name` to refer to it in
`[[correlations]]` and in sensitivity analyses.

```toml
# a plain number
months_waiting = 1
# a distribution: the base case uses 0.45, a Monte Carlo run draws from a beta
placement_probability = {{ dist = "beta", mean = 0.45, sd = 0.08, point = 0.45 }}
```

## Errors

A config is checked completely when it is loaded. Bad input is reported as
`file: field: message`, one line per problem, every problem at once; a field in an entry of
`[[parties]]`, `[[streams]]` or `[[items]]` is named by the entry's `id`, e.g.
`items.intake.amount`. Reported are unknown fields (usually a
misspelling), missing required fields, values of the wrong type or out of range, parameters that
describe no distribution, references to parties or streams that are not defined, stream shares
that do not add up to 1. For example, this config:

```toml
{bad_example}```

is reported as:

```text
{bad_report}
```
"""


# --------------------------------------------------------------------------- rendering


def render_config_reference() -> str:
    """Return the Markdown of docs/config.md, generated from the config schema."""
    _check_coverage()
    contents = ", ".join(f"[{_md_title(s)}](#{s.anchor})" for s in SECTIONS) + ", [Distributions](#distributions)"
    parts = [
        _INTRO.format(contents=contents, bad_example=BAD_EXAMPLE, bad_report=_bad_example_report()),
    ]
    parts += [_render_section(s) for s in SECTIONS]
    parts.append(_render_distributions())
    return "\n".join(parts).rstrip("\n") + "\n"


def _render_section(section: Section) -> str:
    """Return the Markdown of one section: title, intro, table of fields, example."""
    lines = [f'<a id="{section.anchor}"></a>', "", f"## {_md_title(section)}", "", section.intro, ""]
    if section.model is not None:
        doc = _docstring(section.model)
        if doc:
            lines += [doc, ""]
        lines += [_fields_table(section.model), ""]
    else:
        fields = ", ".join(f"`{name}`" for name in schema.WorldOutcomes.model_fields)
        lines += [f"Fields: {fields}.", ""]
    lines += ["Example:" if section.in_example_config else "Examples:", "", "```toml", section.example.rstrip("\n"), "```", ""]
    return "\n".join(lines)


def _render_distributions() -> str:
    """Return the Markdown of the Distributions section, one subsection per family."""
    families = ", ".join(f"[`{name}`](#dist-{name})" for name in FAMILIES)
    lines = [
        '<a id="distributions"></a>',
        "",
        "## Distributions",
        "",
        "Any number may be an inline table `{ dist = \"<family>\", ... }` instead of a plain number. "
        f"The families: {families}. Each one checks its parameters when the config loads. "
        "Every family also takes these fields:",
        "",
        _fields_table(_Dist),
        "",
    ]
    for name, cls in FAMILIES.items():
        lines += [f'<a id="dist-{name}"></a>', "", f"### `{name}`", "", _docstring(cls), ""]
        lines += [_fields_table(cls, exclude=set(_Dist.model_fields), family=name), ""]
        lines += ["```toml", DISTRIBUTION_EXAMPLES[name], "```", ""]
    return "\n".join(lines)


def _fields_table(model: type[BaseModel], exclude: set[str] = frozenset(), family: str = "") -> str:
    """Return a Markdown table of a model's fields: name, type, required/default, description."""
    rows = ["| Field | Type | Required / default | Description |", "| --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        if name in exclude:
            continue
        description = field.description or _PARAMETER_NOTES.get(name, "").format(family=family)
        cells = [f"`{name}`", _field_type(field), _field_default(field), description]
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows)


def _field_type(field: FieldInfo) -> str:
    """Return a field's type in words, with its constraints (e.g. ``integer, more than 0``)."""
    words = _type_words(_strip_none(field.annotation))
    constraints = _constraint_words(field)
    return ", ".join([words] + constraints)


def _field_default(field: FieldInfo) -> str:
    """Return ``required``, ``optional`` or the default value in TOML notation."""
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "optional"
    if isinstance(value, BaseModel) and not value.model_dump(exclude_defaults=True):
        return "empty table"
    return f"`{_toml_value(value)}`"


def _strip_none(annotation):
    """Return an annotation without its ``None`` option (``X | None`` -> ``X``)."""
    if _is_union(annotation):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) < len(typing.get_args(annotation)):
            return args[0] if len(args) == 1 else typing.Union[tuple(args)]
    return annotation


def _is_union(annotation) -> bool:
    """Return True for ``Union[...]`` and ``X | Y`` annotations."""
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


_SCALAR_WORDS = {str: ("string", "strings"), int: ("integer", "integers"), float: ("number", "numbers"),
                 bool: ("boolean", "booleans")}


def _type_words(annotation, plural: bool = False) -> str:
    """Return a type in words, e.g. ``number or distribution`` or ``list of strings``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation == Number:
        return "numbers or distributions" if plural else "number or distribution"
    if annotation in _SCALAR_WORDS:
        return _SCALAR_WORDS[annotation][plural]
    if origin is typing.Literal:
        choices = ", ".join(f"`{a}`" for a in args)
        if len(args) == 1:
            return choices
        return f"each one of {choices}" if plural else f"one of {choices}"
    if origin is list:
        inner = args[0]
        if typing.get_origin(inner) is typing.Literal:
            return "list, " + _type_words(inner, plural=True)
        return "list of " + _type_words(inner, plural=True)
    if origin is dict:
        key, value = args
        key_words = _type_words(key) if key is not str else "id"
        return f"table: {key_words} → {_type_words(value)}"
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return _model_words(annotation, plural)
    if _is_union(annotation):
        return " or ".join(_type_words(a, plural) for a in args)
    return str(annotation)


def _model_words(model: type[BaseModel], plural: bool) -> str:
    """Return a link to the section documenting a model, e.g. ``[[streams]] tables``."""
    if model in (schema.Outcomes, schema.WorldOutcomes):
        return f"[outcomes table{'s' if plural else ''}](#outcomes)"
    if model is schema.Schedule:
        return f"[schedule{'s' if plural else ''}](#schedules)"
    section = next(s for s in SECTIONS if s.model is model)
    noun = "tables" if plural else "table"
    return f"[`{section.title.split(' ')[0]}`](#{section.anchor}) {noun}"


def _constraint_words(field: FieldInfo) -> list[str]:
    """Return a field's constraints in words, e.g. ``at least 0`` or ``exactly 2 entries``."""
    words = []
    lengths = {}
    for m in field.metadata:  # annotated_types constraints and pydantic's pattern metadata
        for attr, phrase in (("gt", "more than"), ("ge", "at least"), ("lt", "less than"), ("le", "at most")):
            if getattr(m, attr, None) is not None:
                words.append(f"{phrase} {getattr(m, attr)}")
        for attr, key in (("min_length", "min"), ("max_length", "max")):
            if getattr(m, attr, None) is not None:
                lengths[key] = getattr(m, attr)
        if getattr(m, "pattern", None):
            words.append(_pattern_words(m.pattern))
    if lengths.get("min") is not None and lengths.get("min") == lengths.get("max"):
        words.append(f"exactly {lengths['min']} entries")
    elif lengths:
        if "min" in lengths:
            words.append(f"at least {lengths['min']} {'entry' if lengths['min'] == 1 else 'entries'}")
        if "max" in lengths:
            words.append(f"at most {lengths['max']} entries")
    return words


def _pattern_words(pattern: str) -> str:
    """Return a regular expression in words where it is a common one, else the expression."""
    if pattern == schema._ID:
        return "lowercase letters, digits and `_`, starting with a letter"
    return f"matching `{pattern}`"


def _toml_value(value) -> str:
    """Return a value in TOML notation (``true``, ``inf``, ``"text"``, ``[1.0]``, ``{ a = 1 }``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, BaseModel):
        value = value.model_dump(exclude_defaults=True)
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML notation for {value!r}")


def _docstring(obj) -> str:
    """Return an object's docstring as Markdown (reST ````x```` becomes ```x```)."""
    doc = inspect.getdoc(obj) or ""
    return re.sub(r"``([^`]+)``", r"`\1`", doc)


def _md_title(section: Section) -> str:
    """Return a section title as Markdown, with its TOML table names as code."""
    return re.sub(r"(\[+[^\]]+\]+)", r"`\1`", section.title)


def _cell(text: str) -> str:
    """Return text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _bad_example_report() -> str:
    """Return what loading ``BAD_EXAMPLE`` reports (the text of its ConfigError)."""
    try:
        config_from_dict(tomllib.loads(BAD_EXAMPLE), source="business_case.toml")
    except ConfigError as e:
        return str(e)
    raise AssertionError("the bad example in tools/docgen.py loads without error")


def _check_coverage() -> None:
    """Raise AssertionError when a model of the config schema has no section."""
    documented = {s.model for s in SECTIONS} | {schema.Outcomes}  # Outcomes: as part of WorldOutcomes
    for model in schema_models():
        if model not in documented:
            raise AssertionError(f"tools/docgen.py has no section for {model.__name__}: add one to SECTIONS")


def schema_models() -> list[type[BaseModel]]:
    """Return every pydantic model reachable from ``Config`` (distributions excluded)."""
    found: list[type[BaseModel]] = []

    def visit(annotation):
        if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
            if issubclass(annotation, _Dist) or annotation in found:
                return
            found.append(annotation)
            for field in annotation.model_fields.values():
                visit(field.annotation)
        else:
            for arg in typing.get_args(annotation):
                visit(arg)

    visit(schema.Config)
    return found


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """Return the exit status of ``python tools/docgen.py`` (write, or ``--check``, the reference)."""
    parser = argparse.ArgumentParser(prog="python tools/docgen.py", description="Generate docs/config.md from the config schema.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from what would be generated")
    parser.add_argument("--output", type=Path, default=DOC_PATH, help=f"file to write or check (default: {DOC_PATH})")
    args = parser.parse_args(argv)
    text = render_config_reference()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} is out of date: run `python tools/docgen.py`", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
