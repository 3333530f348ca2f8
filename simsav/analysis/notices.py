"""Notices: what an analysis wants a reader to know (too few draws, a rule that pays nothing),
as a code and its values, not as a sentence.

``simsav.present`` words each code in Dutch or English (``texts.TEXTS["notices"]``), so
an analysis never speaks a language or gives advice about the command line. On a Dataset they
travel as JSON in ``attrs["notices"]`` (netCDF attributes hold text).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Notice:
    """One thing to tell the reader: ``code`` names it, ``values`` are the numbers the text needs."""

    code: str
    values: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"code": self.code, "values": dict(self.values)}


def to_attr(notices: list[Notice]) -> str:
    """Return notices as the JSON text of a Dataset attribute."""
    return json.dumps([n.to_dict() for n in notices])


def from_attr(text: str) -> list[Notice]:
    """Return the notices a Dataset attribute holds ('' or absent: none)."""
    return [Notice(d["code"], d.get("values", {})) for d in json.loads(text)] if text else []


def unique(notices: list[Notice]) -> list[Notice]:
    """Return the notices without repeats, in order."""
    out: list[Notice] = []
    for n in notices:
        if n not in out:
            out.append(n)
    return out
