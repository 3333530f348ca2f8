"""A national config: many regions, each a Config of its own, with the unknowns they share.

A national file is a TOML file with top-level ``[[regions]]`` (:func:`is_national`)::

    title = "Landelijk vervolg"
    language = "nl"
    template = "holland-rijnland.toml"      # relative to this file
    national = ["care_cost_reduction_working"]
    [[regions]]
    id = "groningen"
    name = "Groningen"
    size = 100                              # the template with cohort.size = 100
    # config = "twente.toml"                # or: the region's own config (its own size unless `size` is given)

Every region is the template with its own ``cohort.size``, unless it names its own ``config``.
``national`` names (a distribution's ``name =``) the unknowns drawn once for the whole country
each draw; every other uncertain number is drawn per region (``simsav.model.national``).

Problems are reported as every config's are: :class:`~simsav.errors.ConfigError` naming the
national file and the field (``regions.groningen.size``, ``national``), all at once. The regions
must share the calendar (``cohort.start`` and ``cohort.horizon_months``): the national sums
are month by month. Their parties may differ: the national party dimension is their union,
a party missing in a region counting 0 there.
"""
from __future__ import annotations

import warnings
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError, InputError
from .load import config_from_dict, load_config, read_toml
from .messages import pydantic_problems
from .schema import Config

MAX_REGIONS = 1000
"""More regions than this is no country (the Netherlands has 35 labour-market regions)."""


class RegionEntry(BaseModel):
    """One ``[[regions]]`` entry as written."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$",
                    description="Short id (lower case, digits, - and _): the region's coordinate in the results.")
    name: str = Field(default="", max_length=200, description="Name shown in summaries (default: the id).")
    size: int | None = Field(default=None, description="Participants (cohort.size) of the region.")
    config: str | None = Field(default=None, description="The region's own config, relative to the national file "
                                                         "(default: the template).")
    source: str | list[str] | None = Field(default=None, description="Where the size comes from.")


class NationalFile(BaseModel):
    """The national file as written (before the regions' configs are loaded)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(default="National roll-up", max_length=200)
    description: str = Field(default="", max_length=5000)
    language: str = Field(default="en", pattern="^(nl|en)$")
    template: str | None = Field(default=None, description="Config every region without its own is made of.")
    national: list[str] = Field(default_factory=list, description="Names of the unknowns shared by all regions.")
    party_names: dict[str, str] = Field(default_factory=dict, description="National names of the parties, by id "
                                                                          "(default: the regions' own names).")
    regions: list[RegionEntry] = Field(min_length=1)


class Region(BaseModel):
    """A region, its Config loaded."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str
    name: str
    config: Config
    config_path: str  # the file its config came from (the template, or its own)


class NationalConfig(BaseModel):
    """A national config: its regions' Configs, and which unknowns are national."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    title: str
    description: str
    language: str
    national: list[str]
    regions: list[Region]
    names: dict[str, str] = {}
    path: str
    sha256: str
    text: str

    @property
    def region_ids(self) -> list[str]:
        return [r.id for r in self.regions]

    @property
    def party_ids(self) -> list[str]:
        """The union of the regions' parties, in order of first appearance."""
        seen: dict[str, None] = {}
        for r in self.regions:
            for p in r.config.parties:
                seen.setdefault(p.id, None)
        return list(seen)

    @property
    def party_names(self) -> list[str]:
        """A name for each party of :attr:`party_ids`: its role when the regions name it differently."""
        names: dict[str, set] = {}
        role: dict[str, str] = {}
        for r in self.regions:
            for p in r.config.parties:
                names.setdefault(p.id, set()).add(p.name)
                role.setdefault(p.id, str(getattr(p, "role", "") or p.id))
        return [self.names.get(p) or (next(iter(names[p])) if len(names[p]) == 1 else role[p]) for p in self.party_ids]


def is_national(path) -> bool:
    """Return True when ``path`` is a TOML file with top-level ``regions`` (a national config).

    Anything unreadable returns False: :func:`~simsav.config.load_config` then says what is wrong."""
    try:
        data = read_toml(path)[0]
    except (InputError, OSError, ValueError):
        return False
    return isinstance(data, dict) and "regions" in data


def _sized(cfg: Config, size: int, where: str, source: str) -> Config:
    """Return ``cfg`` with ``cohort.size = size``, validated again (problems named at ``where``)."""
    data = cfg.model_dump(exclude_unset=True)
    data.setdefault("cohort", {})["size"] = size
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return config_from_dict(data, source=source)
    except ConfigError as e:
        raise ConfigError(source, [(f"{where}.size" if f == "cohort.size" else f"{where}: {f}" if f else where, m)
                                   for f, m in e.problems]) from None


def load_national(path) -> NationalConfig:
    """Return the validated national config of ``path``, each region's Config loaded.

    Raise :class:`~simsav.errors.ConfigError` naming ``path`` and the field, with every problem
    found: an unknown national name (the valid names listed), a duplicate region id, a size that
    is not a whole number > 0, a template or region config that is missing or invalid, regions
    whose calendars differ, a correlation between a national and a regional unknown.
    """
    path = Path(path)
    data, text, raw = read_toml(path)
    src = str(path)
    if not data:
        raise ConfigError(path, "is empty (it holds only comments)")
    try:
        nf = NationalFile.model_validate(data)
    except ValidationError as e:
        problems = []
        for field, message in pydantic_problems(e):
            parts = field.split(".")
            if len(parts) >= 2 and parts[0] == "regions" and parts[1].isdigit():
                k = int(parts[1])
                entries = data.get("regions") if isinstance(data.get("regions"), list) else []
                rid = entries[k].get("id") if k < len(entries) and isinstance(entries[k], dict) else None
                if isinstance(rid, str) and rid:
                    parts[1] = rid
                field = ".".join(parts)
            problems.append((field, message))
        raise ConfigError(path, problems) from None
    if len(nf.regions) > MAX_REGIONS:
        raise ConfigError(path, [("regions", f"has {len(nf.regions)} regions, more than {MAX_REGIONS}")])

    problems: list[tuple[str, str]] = []
    base = path.parent
    seen: set[str] = set()
    for r in nf.regions:
        if r.id in seen:
            problems.append((f"regions.{r.id}.id", f"the id {r.id!r} is given to more than one region; "
                                                   "give every region its own id"))
        seen.add(r.id)
        if r.size is not None and (isinstance(r.size, bool) or r.size <= 0):
            problems.append((f"regions.{r.id}.size", f"must be a whole number of participants > 0, got {r.size}"))
        if r.config is None and nf.template is None:
            problems.append((f"regions.{r.id}.config", "the region names no config and the file has no "
                                                       "`template`: give `template = \"...toml\"` at the top, "
                                                       "or the region's own `config`"))
        if r.config is None and r.size is None:
            problems.append((f"regions.{r.id}.size", "is missing: a region made of the template needs its size"))
    if problems:
        raise ConfigError(path, problems)

    loaded: dict[str, Config] = {}

    def config_of(rel: str, field: str) -> Config | None:
        target = (base / rel)
        key = str(target)
        if key not in loaded:
            if not target.exists():
                problems.append((field, f"{rel!r} not found (looked for {str(target)!r}; paths are relative "
                                        f"to {str(path)!r})"))
                return None
            try:
                loaded[key] = load_config(target)
            except ConfigError as e:
                problems.append((field, f"{rel!r} is not a valid config: " + "; ".join(
                    f"{f}: {m}" if f else m for f, m in e.problems[:5])))
                return None
        return loaded[key]

    regions: list[Region] = []
    for r in nf.regions:
        rel, field = (r.config, f"regions.{r.id}.config") if r.config is not None else (nf.template, "template")
        cfg = config_of(rel, field)
        if cfg is None:
            continue
        if r.size is not None and r.size != cfg.cohort.size:
            try:
                cfg = _sized(cfg, int(r.size), f"regions.{r.id}", src)
            except ConfigError as e:
                problems.extend(e.problems)
                continue
        regions.append(Region(id=r.id, name=r.name or r.id, config=cfg, config_path=str(base / rel)))
    if problems:
        raise ConfigError(path, problems)

    first = regions[0]
    for r in regions[1:]:
        for fieldname in ("start", "horizon_months"):
            a, b = getattr(first.config.cohort, fieldname), getattr(r.config.cohort, fieldname)
            if a != b:
                problems.append((f"regions.{r.id}.config", f"cohort.{fieldname} is {b!r}, but region {first.id!r} "
                                                           f"has {a!r}: every region must follow the same months "
                                                           "(the national totals are sums month by month)"))

    from .load import uncertain_numbers

    names_by_region = []
    for r in regions:
        names = {getattr(d, "name", None) or p for p, d in uncertain_numbers(r.config).items()}
        names_by_region.append(names)
    valid = sorted(set().union(*names_by_region))
    for k, name in enumerate(nf.national):
        if name not in valid:
            problems.append((f"national[{k}]", f"no uncertain number is named {name!r} in any region; the names "
                                               f"are: {', '.join(valid) or '(none)'}"))
    dup = sorted({n for n in nf.national if nf.national.count(n) > 1})
    if dup:
        problems.append(("national", f"names {', '.join(map(repr, dup))} more than once"))
    national = set(nf.national)
    for r in regions:
        for c in r.config.correlations:
            a, b = c.between
            if (a in national) != (b in national):
                problems.append((f"regions.{r.id}.config",
                                 f"correlates {a!r} with {b!r}, but only one of them is national: a national "
                                 "unknown takes one value in every region, so it cannot move with a regional "
                                 "one; make both national or both regional"))
    for pid in nf.party_names:
        if pid not in {p.id for r in regions for p in r.config.parties}:
            problems.append((f"party_names.{pid}", f"no region has a party {pid!r}; the parties are: "
                                                   f"{', '.join(sorted({p.id for r in regions for p in r.config.parties}))}"))
    if problems:
        raise ConfigError(path, problems)
    import hashlib

    return NationalConfig(title=nf.title, description=nf.description, language=nf.language,
                          national=list(nf.national), regions=regions, names=dict(nf.party_names), path=src,
                          sha256=hashlib.sha256(raw).hexdigest(), text=text)
