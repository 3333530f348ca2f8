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
import tomllib
import warnings
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..errors import ConfigError
from .distributions import Normal, _Dist, is_uncertain, support
from .messages import coercion_problems, pydantic_problems, with_context
from .schema import Config

PROBABILITY_FIELDS = {
    "placement_probability", "job_retention_12m", "return_probability", "eligible_share", "share",
}
_NONNEGATIVE_FIELDS = {
    "months_waiting", "months_to_placement", "months_to_dropout", "months_on_hold", "hours_per_week",
    "monthly_benefit", "benefit_months_remaining", "amount", "quantity", "organisations", "discount_rate",
}


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
        elif name in _NONNEGATIVE_FIELDS or name == "values":
            if lo < 0:
                rng = f"{lo:g}" if lo == hi else f"a range reaching {lo:g}"
                problems.append((loc, f"must not be negative, got {rng}"))
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
    try:
        with warnings.catch_warnings():  # scipy's numeric warnings on absurd parameters: the problem is reported
            warnings.simplefilter("ignore", RuntimeWarning)
            coercions = with_context(coercion_problems(data), data)
            cfg = config_from_dict(data, source=str(path))
    except ConfigError as e:
        problems = coercions + [p for p in e.problems if p not in coercions]
        raise ConfigError(path, problems) from None
    if coercions:
        raise ConfigError(path, coercions)
    cfg._source_path = str(path)
    cfg._source_sha256 = hashlib.sha256(raw).hexdigest()
    cfg._source_text = text
    return cfg


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
    """Return the file a config was read from ('' when built from a dict)."""
    return cfg._source_path


def source_text(cfg: Config) -> str:
    """Return the TOML text a config was read from ('' when built from a dict)."""
    return cfg._source_text


def source_sha256(cfg: Config) -> str:
    """Return the SHA-256 of the config file's bytes (of its JSON form when built from a dict)."""
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
