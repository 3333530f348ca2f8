"""Scenarios as diffs: a config that says ``extend = "base.toml"`` and overrides a few fields.

A scenario of a business case is a few lines::

    extend = "../holland-rijnland.toml"     # relative to this file's directory
    title = "Holland Rijnland, 240 trajecten"

    [cohort]
    size = 240                              # seed 000 line 13 / seed 001 line 64

The effective config is the base with the extension laid over it (:func:`merge`):

- ``extend`` (top level, text) names the base config, relative to the directory of the file that
  says it (an absolute path is taken as it is). A base may itself extend another (a chain); a cycle,
  a base that cannot be read (missing, a directory, ...) or a chain longer than :data:`MAX_CHAIN`
  is reported against the extending file, field ``extend``. A base that is not valid TOML is
  reported against the base. Every file of the chain passes the checks of a plain config file
  (size, UTF-8, TOML, nesting).
- The *tables* merge key by key, recursively: the top level, ``[cohort]``, ``[outcomes]``,
  ``[counterfactual]``, their ``streams.<id>`` tables, ``[agreement]``, ``[sources]`` and each
  ``[sources.<key>]``. A key the extension gives replaces the base's value; the others are kept.
- Every other value is a *value* and replaces the base's whole: numbers, text, arrays, and every
  inline table: a distribution (``{ dist = "pert", ... }``: restate all its parameters), a schedule
  (``benefit_reduction_when_working``, ``schedule``), an item's ``state_factors``, the agreement's
  ``shares``, a label ``{ nl = ..., en = ... }``. These must hold together (a distribution's
  parameters, a schedule's breaks and values), so the extension writes them complete.
- ``[[parties]]``, ``[[streams]]`` and ``[[items]]`` merge by ``id``: an entry whose id the base
  has overrides that entry's fields (as a table: the fields it gives replace, the others stay); an
  entry with a new id is added at the end; ``{ id = "x", remove = true }`` removes entry ``x``
  (``remove`` takes no other fields, and the base must have ``x``). An entry of an extension without
  an id is an error: it cannot say which entry it changes.
- ``[[correlations]]`` (no ids) and every other array replace the base's wholesale: an extension
  that gives ``[[correlations]]`` gives all of them.

Provenance (:class:`Provenance`): every value of the merged config is remembered with the file
that set it, so a problem found when the merged config is validated is reported against that
file: ``hr-240.toml: cohort.size: ...`` when the scenario set it, ``holland-rijnland.toml:
items.x.amount: ...`` when the base did. A problem about a whole table or array (stream shares
that no longer add up to 1, a field missing from an entry) goes to the most derived file that set
anything in it: the change that broke it. Problems in several files give one
:class:`~simsav.errors.ConfigError` with one part per file (``parts``), the extension's first.

The effective config's text (:func:`load_chain`): the base's TOML document (parsed with tomlkit,
which keeps comments and layout) with the extension's values laid in, written back as TOML. The
base's comments, where its numbers cite their sources, stay; each value the extension sets carries
its source as the comment on its line, ``# hr-240.toml: seed 000 line 13 ...``: the extension's
comment on that line, else its comment lines right above it, else ``# set by hr-240.toml``. A header
comment names the chain. ``tomllib.loads(text)`` is the merged dict (without ``extend``): this is
checked, and should tomlkit ever lay a value otherwise, the text is the merged dict written by
tomlkit (without comments), still exactly the config run.
"""
from __future__ import annotations

import copy
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError

EXTEND = "extend"
"""The top-level key that names the config a config extends."""

REMOVE = "remove"
"""The key of an ``[[items]]`` (or parties, streams) entry of an extension that removes it."""

ID_ARRAYS = ("parties", "streams", "items")
"""The arrays of tables whose entries an extension addresses by ``id``."""

MAX_CHAIN = 16
"""The most configs one chain of ``extend`` may hold: far more than a scenario of a scenario needs."""

_WORLDS = ("outcomes", "counterfactual")


def merges(path: tuple) -> bool:
    """Return True when the table at ``path`` (a tuple of keys) merges key by key; everything else
    the extension gives replaces the base's value whole (see the module docstring)."""
    n = len(path)
    if n == 0:
        return True
    if n == 1:
        return path[0] in ("cohort", *_WORLDS, "agreement", "sources")
    if path[0] in _WORLDS and path[1] == "streams":
        return n in (2, 3)
    return n == 2 and path[0] == "sources"


# --------------------------------------------------------------------------- provenance


@dataclass
class Provenance:
    """Which file of a chain set each value of a merged config.

    ``files`` is the chain, the base first; ``set_by`` maps the path of every value an extension
    set (and ``()``, the whole config, to the base) to its file; ``touched`` maps each table,
    array and entry to the most derived file that set anything in it.
    """

    files: list[str]
    set_by: dict[tuple, str] = field(default_factory=dict)
    touched: dict[tuple, str] = field(default_factory=dict)
    positions: dict[str, list] = field(default_factory=dict)  # id array -> the merged entries' ids

    def set(self, path: tuple, file: str) -> None:
        """Record that ``file`` set the value at ``path`` (forgetting what earlier files set inside it)."""
        n = len(path)
        for d in (self.set_by, self.touched):
            for p in [p for p in d if len(p) > n and p[:n] == path]:
                del d[p]
        self.set_by[path] = file
        self.touched[path] = file
        for k in range(n):
            self.touched[path[:k]] = file

    def file_of(self, field_path: str) -> str:
        """Return the file that set the value a problem's field path names (``items.x.amount``)."""
        parts = tuple(field_path.split(".")) if field_path else ()
        if len(parts) >= 2 and parts[0] in self.positions and parts[1].isdigit():
            ids = self.positions[parts[0]]
            k = int(parts[1])
            if k < len(ids) and isinstance(ids[k], str):  # pydantic's position, by the merged entry's id
                parts = (parts[0], ids[k]) + parts[2:]
        if parts in self.touched:
            return self.touched[parts]
        for k in range(len(parts), -1, -1):
            if parts[:k] in self.set_by:
                return self.set_by[parts[:k]]
        return self.files[0]

    def error(self, problems: list[tuple[str, str]]) -> ConfigError:
        """Return one ConfigError for ``problems`` of the merged config, each under the file that set
        its field: one part per file, the most derived (the extension) first."""
        by_file: dict[str, list] = {}
        for field_path, message in problems:
            by_file.setdefault(self.file_of(field_path), []).append((field_path, message))
        parts = [ConfigError(f, by_file[f]) for f in reversed(self.files) if f in by_file]
        return ConfigError(parts[0].source, parts[0].problems, parts=parts)


# --------------------------------------------------------------------------- merging dicts


def merge(base: dict, override: dict) -> dict:
    """Return the config ``override`` (a dict as tomllib reads it) laid over ``base``.

    Pure: neither argument is changed. ``extend`` in ``override`` is dropped. Raises ConfigError
    (source ``<override>``) when the override cannot be laid over the base: an entry of
    ``[[items]]`` without an id, a ``remove`` of an id the base does not have.
    """
    prov = Provenance(["<base>"])
    problems: list[tuple[str, str]] = []
    out = _merge_table(base, override, (), "<override>", prov, problems)
    if problems:
        raise ConfigError("<override>", problems)
    return out


def _merge_table(base: dict, over: dict, path: tuple, file: str, prov: Provenance, problems: list) -> dict:
    out = dict(base)
    for key, value in over.items():
        if not path and key == EXTEND:
            continue
        p = path + (key,)
        if not path and key in ID_ARRAYS and isinstance(value, list) and isinstance(base.get(key, []), list):
            out[key] = _merge_entries(base.get(key, []), value, key, file, prov, problems)
        elif isinstance(value, dict) and isinstance(base.get(key), dict) and merges(p):
            out[key] = _merge_table(base[key], value, p, file, prov, problems)
        else:
            out[key] = copy.deepcopy(value)
            prov.set(p, file)
    return out


def _entry_problem(name: str, k: int, entry, ids: list) -> tuple[str, str] | None:
    """Return what is wrong with entry ``k`` of an extension's array ``name`` (None: nothing)."""
    where = f"the {_ordinal(k + 1)} [[{name}]] in the file"
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        return name, (f"({where}) needs an id: an extension names the entry it changes, adds or "
                      f"removes by its id")
    if REMOVE in entry:
        if entry[REMOVE] is not True:
            return f"{name}.{entry['id']}.{REMOVE}", "must be true (or leave it out)"
        if set(entry) != {"id", REMOVE}:
            return f"{name}.{entry['id']}.{REMOVE}", "an entry that removes takes no other fields"
        if entry["id"] not in ids:
            return (f"{name}.{entry['id']}.{REMOVE}",
                    f"no [[{name}]] with id {entry['id']!r} to remove (there are: {', '.join(map(str, ids))})")
    return None


def _merge_entries(base: list, over: list, name: str, file: str, prov: Provenance, problems: list) -> list:
    out = list(base)
    for k, entry in enumerate(over):
        ids = [e.get("id") if isinstance(e, dict) else None for e in out]
        problem = _entry_problem(name, k, entry, ids)
        if problem:
            problems.append(problem)
            continue
        ident = entry["id"]
        if ident in ids:
            at = ids.index(ident)
            if entry.get(REMOVE) is True:
                del out[at]
                prov.set((name, ident), file)
                continue
            out[at] = _merge_fields(out[at], entry, (name, ident), file, prov)
        else:
            out.append(copy.deepcopy(entry))
            prov.set((name, ident), file)
    prov.positions[name] = [e.get("id") if isinstance(e, dict) else None for e in out]
    return out


def _merge_fields(base: dict, over: dict, path: tuple, file: str, prov: Provenance) -> dict:
    out = dict(base)
    for key, value in over.items():
        if key == "id":
            continue
        out[key] = copy.deepcopy(value)
        prov.set(path + (key,), file)
    return out


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --------------------------------------------------------------------------- the chain


def display_path(path: Path) -> str:
    """Return a path as messages show it: ``configs/scenarios/../x.toml`` as ``configs/x.toml``."""
    return os.path.normpath(str(path))


def read_chain(path: str | Path, read, first: tuple[dict, str] | None = None) -> list[tuple[str, dict, str]]:
    """Return the chain of configs ``path`` extends, the base first: (shown path, dict, text) each.

    ``read(path)`` returns (dict, text) of one file, raising ConfigError for a file that is no config
    (:func:`simsav.config.load.read_toml`); ``first``: ``path``'s (dict, text), when already read.
    """
    path = Path(path)
    chain: list[tuple[str, dict, str]] = []
    seen: list[Path] = []
    shown = str(path)
    data, text = first if first is not None else read(path)
    while True:
        chain.append((shown, data, text))
        seen.append(path.resolve())
        target = data.get(EXTEND)
        if target is None:
            break
        if not isinstance(target, str) or not target.strip():
            raise ConfigError(shown, [(EXTEND, "must be the path of the config this one extends, in quotes, "
                                               'relative to this file: extend = "holland-rijnland.toml"')])
        nxt = path.parent / target
        names = " extends ".join([c[0] for c in chain] + [display_path(nxt)])
        if nxt.resolve() in seen:
            raise ConfigError(shown, [(EXTEND, f"{target!r} makes a cycle: {names}")])
        if len(chain) >= MAX_CHAIN:
            raise ConfigError(shown, [(EXTEND, f"a chain of extend holds at most {MAX_CHAIN} configs: {names}")])
        try:
            data, text = read(nxt)
        except ConfigError as e:
            if e.source == str(nxt) and e.problems and e.problems[0][0] == "" and _unreadable(e.problems[0][1]):
                raise ConfigError(shown, [(EXTEND, f"{target!r} ({display_path(nxt)}): {m}") for _, m in e.problems]) from None
            raise ConfigError(display_path(nxt), e.problems) from None
        path, shown = nxt, display_path(nxt)
    return chain[::-1]


def _unreadable(message: str) -> bool:
    """True for a file-level message that says the file is not there or not a file (not what it holds)."""
    return message.startswith(("file not found", "is a directory", "cannot be read", "is a FIFO", "is a character",
                               "is a block", "is a socket", "is a special"))


def load_chain(path: str | Path, read, first: tuple[dict, str] | None = None) -> tuple[dict, Provenance, str]:
    """Return (merged dict, provenance, effective TOML text) of a config and the chain it extends.

    ``read`` and ``first`` as in :func:`read_chain`. Raises ConfigError naming the file (and
    ``extend`` or the entry) when the chain cannot be read or an extension cannot be laid over its
    base; such problems are reported before (and without) the merged config's validation.
    """
    chain = read_chain(path, read, first)
    prov = Provenance([c[0] for c in chain])
    prov.set((), chain[0][0])
    merged = chain[0][1]
    for shown, data, _ in chain[1:]:
        problems: list = []
        merged = _merge_table(merged, data, (), shown, prov, problems)
        if problems:
            raise ConfigError(shown, problems)
    merged.pop(EXTEND, None)
    return merged, prov, effective_text(chain, merged)


# --------------------------------------------------------------------------- the effective text


def effective_text(chain: list[tuple[str, dict, str]], merged: dict) -> str:
    """Return the TOML text of the merged config: the base's text with the extensions' values laid in.

    See the module docstring. ``tomllib.loads`` of the result is ``merged``.
    """
    import tomlkit

    files = " extends ".join(c[0] for c in chain[::-1])
    header = (f"# The effective config of {chain[-1][0]}: {files}.\n"
              "# Written by simsav from the chain: the base's lines with the values the extensions set,\n"
              "# each with its file and source in its comment.\n\n")
    try:
        doc = tomlkit.parse(chain[0][2])
        for shown, _, text in chain[1:]:
            _lay(doc, tomlkit.parse(text), (), shown)
        text = header + doc.as_string()
        if tomllib.loads(text) == merged:
            return text
    except Exception:  # noqa: BLE001 - any tomlkit surprise: the plain text below is still exact
        pass
    return header + "# (written without the files' comments)\n\n" + tomlkit.dumps(merged)


def _body(container):
    """Return the (key, item) list of a tomlkit table or document."""
    inner = getattr(container, "value", container)
    return getattr(inner, "body", [])


def _comment_for(container, key: str, item, shown: str) -> str:
    """Return the comment a value the extension ``shown`` sets carries in the merged text."""
    own = item.trivia.comment.lstrip("#").strip() if hasattr(item, "trivia") else ""
    if not own:
        from tomlkit.items import Comment

        body = _body(container)
        at = next((i for i, (k, _) in enumerate(body) if k is not None and k.key == key), None)
        above = []
        i = (at if at is not None else 0) - 1
        while at is not None and i >= 0 and body[i][0] is None and isinstance(body[i][1], Comment):
            above.insert(0, body[i][1].as_string().strip().lstrip("#").strip())
            i -= 1
        own = " ".join(a for a in above if a)
    return f"{shown}: {own}" if own else f"set by {shown}"


def _lay(base, over, path: tuple, shown: str) -> None:
    """Lay the tomlkit table ``over`` into the tomlkit table ``base`` as :func:`_merge_table` merges dicts."""
    from tomlkit.items import AoT, Table, InlineTable

    for key, item in list(over.items()):
        if not path and key == EXTEND:
            continue
        p = path + (key,)
        old = base.get(key) if key in base else None
        if not path and key in ID_ARRAYS and isinstance(item, AoT) and (old is None or isinstance(old, AoT)):
            if old is None:
                for entry in item:
                    _annotate(entry, shown)
                base[key] = item
                continue
            _lay_entries(old, item, shown)
        elif isinstance(item, (Table, InlineTable)) and isinstance(old, (Table, InlineTable)) and merges(p):
            _lay(old, item, p, shown)
        else:
            if not isinstance(item, (Table, AoT)):
                item.comment(_comment_for(over, key, item, shown))
            else:
                _annotate(item, shown)
            base[key] = item


def _annotate(table, shown: str) -> None:
    """Give every value of a table (or array of tables) the extension ``shown`` adds whole its comment."""
    from tomlkit.items import AoT, Table

    for entry in table if isinstance(table, AoT) else [table]:
        for key, item in list(entry.items()):
            if isinstance(item, (Table, AoT)):
                _annotate(item, shown)
            else:
                item.comment(_comment_for(entry, key, item, shown))


def _lay_entries(base, over, shown: str) -> None:
    """Lay the entries of an extension's ``[[items]]`` (parties, streams) into the base's, by id."""
    from tomlkit.items import AoT, Table

    for entry in over:
        ids = [e.get("id") for e in base]
        ident = entry.get("id")
        if ident in ids:
            at = ids.index(ident)
            if entry.get(REMOVE) is True:
                del base[at]
                continue
            for key, item in list(entry.items()):
                if key != "id":
                    if not isinstance(item, (Table, AoT)):
                        item.comment(_comment_for(entry, key, item, shown))
                    base[at][key] = item
        else:
            _annotate(entry, shown)
            base.append(entry)
