"""What a board reads for a config's uncertain numbers: their labels, their values in words, their sources.

A distribution may carry a ``label`` (a string, or ``{ nl = "...", en = "..." }``) and a ``source``
(``"twente:42"``: a key of the config's ``[sources]`` table and a line or row of that document, or
``"judgement"``); see docs/config.md. Without a ``label`` one is derived from where the number sits
(the item's or stream's label and the field: "Zorgkosten Zvw: bedrag"), never its id or path.

- :func:`parameter_labels` maps every name a sensitivity result may use (a distribution's ``name``,
  its path) to its label; :func:`with_labels` puts them on a sensitivity Dataset as the
  ``parameter_label`` coordinate the console and the figures show.
- :func:`value_in_words`: "tussen 1.000 en 4.000, meest waarschijnlijk 1.500" for a PERT.
- :func:`cited_sources`: "Business case Twente 2021-2023 (nov. 2020), r. 42".
"""
from __future__ import annotations

import math

from ..config.distributions import (
    Beta, Discrete, Fixed, Gamma, LogNormal, Normal, Pert, Triangular, Uniform, _Dist, text_in,
)
from ..config.load import JUDGEMENT, citations, dotted, walk_numbers
from . import texts
from .formats import format_value

__all__ = ["cited_sources", "parameter_label", "parameter_labels", "value_in_words", "with_labels"]

_T = texts.section("parameters")


def _field(name: str, lang: str) -> str:
    return _T[lang].get(name, name.replace("_", " "))


def _owner(cfg, kind: str, ident, lang: str) -> str:
    """The readable name of the item or stream ``ident``."""
    if kind == "items":
        for it in cfg.items:
            if it.id == ident:
                return it.label
    if kind == "streams":
        for s in cfg.streams:
            if s.id == ident:
                return s.label or str(ident)
    return str(ident)


def _derived(cfg, path: tuple, lang: str) -> str:
    """A label from where a number sits: ``("items", "zorgkosten_zvw", "amount")`` -> "Zorgkosten Zvw: bedrag"."""
    t = _T[lang]
    parts = list(path)
    owner = ""
    counterfactual = False
    if parts and parts[0] in ("items", "streams") and len(parts) > 1:
        owner = _owner(cfg, parts[0], parts[1], lang)
        parts = parts[2:]
    elif parts and parts[0] in ("outcomes", "counterfactual"):
        counterfactual = parts[0] == "counterfactual"
        parts = parts[1:]
        if len(parts) > 1 and parts[0] == "streams":
            owner = _owner(cfg, "streams", parts[1], lang)
            parts = parts[2:]
    elif parts and parts[0] == "cohort":
        parts = parts[1:]
    words = [str(p) for p in parts if isinstance(p, str)]
    what = _field(words[0], lang) if words else ""
    if words and words[0] == "state_factors" and len(words) > 1:
        inner = _field(words[-1], lang) if len(words) > 2 else _field("values", lang)
        what = t["state_factor"].format(what=inner, state=t.get(f"state_{words[1]}", words[1]))
    elif len(words) > 1 and words[-1] in ("values", "reductions") and words[0] not in ("values", "reductions"):
        what = _field(words[0], lang)
    index = [p for p in parts if isinstance(p, int)]
    if index and index[-1] > 0:
        what = f"{what} ({index[-1] + 1})"
    if counterfactual:
        what = t["counterfactual"].format(what=what)
    text = t["of"].format(owner=owner, what=what) if owner else what
    return text[:1].upper() + text[1:]


def parameter_label(cfg, path, dist, lang: str) -> str:
    """Return the label of the number at ``path`` (a tuple or dotted text) in ``lang``."""
    if isinstance(dist, _Dist) and dist.label:
        return text_in(dist.label, lang)
    if isinstance(path, str):
        for p, _ in walk_numbers(cfg):
            if dotted(p) == path:
                path = p
                break
        else:
            return path
    return _derived(cfg, tuple(path), lang)


def parameter_labels(cfg, lang: str) -> dict[str, str]:
    """Return the label of every uncertain number, by its path and by its ``name`` (what sensitivity
    results call it)."""
    texts.check_lang(lang)
    out: dict[str, str] = {}
    for path, dist in walk_numbers(cfg):
        if not isinstance(dist, _Dist) or isinstance(dist, Fixed):
            continue
        label = parameter_label(cfg, path, dist, lang)
        out[dotted(path)] = label
        if dist.name:
            out.setdefault(dist.name, label)
    return out


def with_labels(ds, cfg, lang: str):
    """Return a sensitivity Dataset with a ``parameter_label`` coordinate (along ``parameter``, or an
    attribute for a threshold's parameter as well); no number changes."""
    labels = parameter_labels(cfg, lang)
    if "parameter" in ds.dims:
        names = [str(p) for p in ds["parameter"].values]
        ds = ds.assign_coords(parameter_label=("parameter", [labels.get(n, n) for n in names]))
    if "parameter" in ds.attrs:
        name, path = str(ds.attrs["parameter"]), str(ds.attrs.get("parameter_path", ""))
        ds = ds.copy()
        ds.attrs["parameter_label"] = labels.get(name) or labels.get(path) or parameter_label(cfg, path or name, None,
                                                                                                lang)
    return ds


# --------------------------------------------------------------------------- values in words

def _v(x: float, lang: str) -> str:
    return format_value(float(x), lang)


def value_in_words(dist, lang: str) -> str:
    """Return a distribution in plain words: "tussen 1.000 en 4.000, meest waarschijnlijk 1.500"."""
    t = _T[lang]
    if isinstance(dist, (int, float)):
        return _v(dist, lang)
    if isinstance(dist, Fixed):
        return _v(dist.value, lang)
    if isinstance(dist, (Pert, Triangular)):
        return t["pert"].format(low=_v(dist.low, lang), high=_v(dist.high, lang), mode=_v(dist.mode, lang))
    if isinstance(dist, Uniform):
        return t["uniform"].format(low=_v(dist.low, lang), high=_v(dist.high, lang))
    if isinstance(dist, Discrete):
        return t["one_of"].format(values=", ".join(_v(x, lang) for x in sorted(set(dist.values))))
    if isinstance(dist, (Normal, LogNormal, Gamma)) or (isinstance(dist, Beta) and dist.sd is not None):
        text = t["mean_sd"].format(mean=_v(dist.mean, lang), sd=_v(dist.sd, lang))
    else:
        text = t["mean_only"].format(mean=_v(dist.mean_value(), lang))
    lo, hi = dist.support()
    bounded = isinstance(dist, Normal) and dist.truncated or isinstance(dist, Beta) and (lo, hi) != (0.0, 1.0)
    if bounded and math.isfinite(lo) and math.isfinite(hi):
        text = t["within"].format(what=text, low=_v(lo, lang), high=_v(hi, lang))
    return text


# --------------------------------------------------------------------------- sources

def cited_sources(cfg, dist, lang: str) -> str:
    """Return a distribution's ``source`` as a reader reads it: "Business case Twente 2021-2023
    (nov. 2020), r. 42"; several joined by "; "; '' when it cites none."""
    t = _T[lang]
    docs: dict[str, list[str]] = {}  # one entry per document, its lines in the order cited
    for key, where in citations(dist) if isinstance(dist, _Dist) else []:
        lines = docs.setdefault(key, [])
        if where and where not in lines:
            lines.append(where)
    out = []
    for key, lines in docs.items():
        if key == JUDGEMENT:
            out.append(t["judgement"])
            continue
        doc = cfg.sources[key]
        text = doc.title + (f" ({doc.date})" if doc.date else "")
        if lines:
            text += ", " + t["line"].format(where=", ".join(w.replace("-", "\u2013") for w in lines))
        out.append(text)
    return "; ".join(out)

