"""Pydantic's validation errors in the words of the config: one ``(field path, message)`` per problem."""
from __future__ import annotations

import difflib
import math
import re
import types
import typing

from pydantic import BaseModel, ValidationError

from .distributions import FAMILIES
from .schema import _ID, MAX_PARTICIPANTS, Cohort, Config

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
    model = _model_at(loc)
    return list(model.model_fields) if model is not None else []


def _limit_at(loc: tuple, bound: str):
    """Return the ``le``/``ge``/... constraint ``bound`` of the field at pydantic location ``loc`` (None: none)."""
    model = _model_at(loc[:-1]) if loc else None
    field = model.model_fields.get(str(loc[-1])) if model is not None else None
    for m in field.metadata if field is not None else []:
        if getattr(m, bound, None) is not None:
            return getattr(m, bound)
    return None


def _model_at(loc: tuple):
    """Return the schema model of the config table at pydantic location ``loc`` (None when unknown)."""
    tp = Config
    parts = [str(p) for p in loc]
    i = 0
    while i < len(parts):
        s = parts[i]
        if s.startswith("tagged-union["):
            tp = FAMILIES.get(parts[i + 1]) if i + 1 < len(parts) else None
            if tp is None:
                return None
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
                return None
            tp = field.annotation
        elif origin is list:
            tp = typing.get_args(tp)[0]
        elif origin is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
        i += 1
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _is_participants(loc: tuple) -> bool:
    """Return True when pydantic location ``loc`` is ``cohort.size`` or a stream's ``count``."""
    parts = [str(p) for p in loc]
    return parts in (["cohort", "size"],) or (len(parts) == 3 and parts[0] == "streams" and parts[2] == "count")


PARTICIPANTS_LIMIT = (
    "simsav follows every participant in every draw; for a larger population, model a smaller cohort "
    "and scale the totals"
)
"""Why a config holds at most MAX_PARTICIPANTS participants, and what to do instead."""


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
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        msg = "must be " + (" or ".join(", ".join(f'"{o}"' for o in options).rsplit(", ", 1)) if options else "one of the listed values")
        msg += f", got {_show(inp)}"
        close = difflib.get_close_matches(inp, options, n=1, cutoff=0.6) if isinstance(inp, str) else []
        return msg + (f' (did you mean "{close[0]}"?)' if close else "")
    if kind in ("too_short", "too_long"):
        n = ctx.get("min_length" if kind == "too_short" else "max_length")
        bound = "at least" if kind == "too_short" else "at most"
        return f"must have {bound} {n} {'entry' if n == 1 else 'entries'}, got {ctx.get('actual_length')}"
    if kind in ("less_than_equal", "int_parsing_size") and _is_participants(loc):
        return f"must be at most {MAX_PARTICIPANTS} participants, got {_show(inp)}: {PARTICIPANTS_LIMIT}"
    if kind == "int_parsing_size":  # a whole number beyond 64 bits (1e20 or a long row of digits)
        le = _limit_at(loc, "le")
        return f"must be at most {le}, got {_show(inp)}" if le is not None else f"is far too large, got {_show(inp)}"
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


def pydantic_problems(err: ValidationError | list[dict]) -> list[tuple[str, str]]:
    """Return (field path, message) for each problem pydantic found, one per problem."""
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
_ID_PATTERN = re.compile(_ID)


def with_context(problems: list[tuple[str, str]], data: dict) -> list[tuple[str, str]]:
    """Name entries of the arrays of tables by their id: pydantic's ``items.3.amount`` becomes
    ``items.jobcoaching.amount``, the path every other part of simsav uses for that number.

    An entry without a usable id (missing, malformed or defined twice) keeps its position, and
    the message says which one it is: ``(the 4th [[items]] in the file)``.
    """
    out = []
    for path, msg in problems:
        parts = path.split(".")
        entries = data.get(parts[0]) if len(parts) >= 2 and parts[0] in _TABLE_ARRAYS and parts[1].isdigit() else None
        if isinstance(entries, list) and int(parts[1]) < len(entries):
            k = int(parts[1])
            ids = [e.get("id") if isinstance(e, dict) else None for e in entries]
            ident = ids[k]
            if (isinstance(ident, str) and _ID_PATTERN.match(ident) and ids.count(ident) == 1
                    and parts[0] != "correlations"):
                path = ".".join([parts[0], ident] + parts[2:])
            else:
                where = f"the {_ordinal(k + 1)} [[{parts[0]}]] in the file"
                see = " (see docs/config.md)"
                msg = msg[: -len(see)] + f" ({where}; see docs/config.md)" if msg.endswith(see) else msg + f" ({where})"
        out.append((path, msg))
    return out


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def coercion_problems(data: dict) -> list[tuple[str, str]]:
    """Return the values pydantic would silently convert: text or true/false where a number (or flag) goes."""
    try:
        Config.model_validate(data, strict=True)
    except ValidationError as e:
        errors = [
            x for x in e.errors(include_url=False)
            if x["type"] in ("float_type", "int_type", "bool_type") and isinstance(x.get("input"), (str, bool))
        ]
        return pydantic_problems(errors)
    return []
