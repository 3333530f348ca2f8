"""Results: kernel output -> an xarray.Dataset with the MODEL.md names, and writing it.

Every derived variable (costs, savings, net, cum_net, break_even_month, sroi, the event
totals) is computed here and nowhere else, from the kernel's ``Output`` and the labels of
the model (:class:`Labels`). A Monte Carlo Dataset also carries its base case (the ``base_*``
variables) and the events per month, so that an analysis of a results file (sharing,
settling on outcomes) needs neither the config nor a new run: :func:`base_case_of` rebuilds
the base-case Dataset from them, exactly as ``simsav.base_case`` makes it.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from .._version import __version__
from ..codes import EVENTS, STATES, WORLDS
from ..errors import InputError
from ..files import write_atomically
from .records import Output

BREAK_EVEN_TOLERANCE = 0.005  # euro: half a cent of rounding is not a loss


@dataclass(frozen=True)
class Labels:
    """What the results call things: the coordinates and the attributes that describe a run."""

    party_ids: list[str]
    party_names: list[str]
    stream_ids: list[str]
    item_ids: list[str]
    item_labels: list[str]
    item_kinds: list[str]
    item_party: list[str]  # party id per item
    item_in_table: np.ndarray
    parameters: list[str]  # names of the uncertain parameters, in the columns of parameter_values
    parameter_columns: list[int]  # their columns in the rows of parameter values the kernel ran on
    discount_varies: bool  # the discount rate is uncertain: discount_factor has a draw dimension
    count_dtype: str  # dtype of the Monte Carlo event counts: int16 when every stream is small enough
    calendar_start: str
    horizon: int
    agents: int
    attrs: dict  # about the config: title, description, config_path, config_sha256, config_toml, agreement

    @classmethod
    def of(cls, model, cfg) -> "Labels":
        """Return the labels of a compiled model (``model.compile_config(cfg)``) and its config."""
        from ..config import source_path, source_sha256, source_text

        unc = model.table.uncertain
        return cls(
            party_ids=list(model.party_ids), party_names=list(model.party_names), stream_ids=list(model.stream_ids),
            item_ids=list(model.item_ids), item_labels=list(model.item_labels), item_kinds=list(model.item_kinds),
            item_party=[model.party_ids[p] for p in model.item_party], item_in_table=np.asarray(model.item_in_table),
            parameters=[model.table.params[i].name for i in unc], parameter_columns=list(unc),
            discount_varies=bool(model.table.params[model.kernel.discount_slot].uncertain),
            count_dtype="int16" if max(model.stream_counts().values(), default=0) < 2**15 else "int32",
            calendar_start=model.calendar_start,
            horizon=int(model.horizon), agents=int(model.n_agents),
            attrs=dict(title=cfg.title, description=cfg.description, config_path=source_path(cfg),
                       config_sha256=source_sha256(cfg), config_toml=source_text(cfg),
                       agreement=cfg.agreement.model_dump_json(exclude_unset=True) if cfg.agreement is not None else ""),
        )

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> "Labels":
        """Return the labels a results Dataset was assembled with."""
        keys = ("title", "description", "config_path", "config_sha256", "config_toml", "agreement")
        return cls(
            party_ids=ds["party"].values.tolist(),
            party_names=[str(n) for n in ds["party_name"].values] if "party_name" in ds.coords
            else ds["party"].values.tolist(),
            stream_ids=ds["stream"].values.tolist(), item_ids=ds["item"].values.tolist(),
            item_labels=[str(x) for x in ds["item_label"].values], item_kinds=[str(x) for x in ds["item_kind"].values],
            item_party=[str(x) for x in ds["item_party"].values],
            item_in_table=ds["item_in_table"].values.astype(bool),
            parameters=ds["parameter"].values.tolist(), parameter_columns=list(range(ds.sizes["parameter"])),
            discount_varies="draw" in ds["discount_factor"].dims,
            count_dtype=str(ds["events"].dtype) if "events" in ds and ds["events"].dtype.kind == "i" else "int32",
            calendar_start=str(ds.attrs["calendar_start"]),
            horizon=int(ds.sizes["month"]), agents=int(ds.attrs["agents"]),
            attrs={k: ds.attrs.get(k, "") for k in keys},
        )


def break_even(cum_net: np.ndarray) -> np.ndarray:
    """Return the first month from which ``cum_net`` (.., month) stays >= 0; NaN if it ends below 0."""
    below = cum_net < -BREAK_EVEN_TOLERANCE
    H = cum_net.shape[-1]
    # index of the last month below zero, -1 when never below
    last_below = np.where(below.any(axis=-1), H - 1 - np.argmax(below[..., ::-1], axis=-1), -1)
    month = (last_below + 1).astype(float)
    month[last_below == H - 1] = np.nan
    return month


def _party_sums(totals: np.ndarray, item_party: np.ndarray, parties: list[str], keep: np.ndarray) -> np.ndarray:
    """Return draw x party: the sum of each party's kept items, added row by row in item order."""
    out = np.zeros((totals.shape[0], len(parties)))
    for p, party in enumerate(parties):
        cols = np.flatnonzero((item_party == party) & keep)
        if cols.size:
            out[:, p] = totals[:, cols].sum(axis=1)
    return out


def month_dates(start: str, H: int) -> np.ndarray:
    """Return the calendar month of each month 0 .. H - 1 from ``start`` ("YYYY-MM")."""
    year, mon = int(start[:4]), int(start[5:7])
    idx = (year * 12 + mon - 1) + np.arange(H)
    return np.array([f"{i // 12:04d}-{i % 12 + 1:02d}" for i in idx], dtype="datetime64[M]")


def _sequential_sum(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Return the sum along ``axis`` added in order, as the kernels add (numpy's sum adds pairwise)."""
    return np.cumsum(x, axis=axis).take(-1, axis=axis)


def _discount(factors: np.ndarray, varies: bool):
    """Return the discount factors as (draw, month) when the rate is uncertain, else (month,)."""
    return (("draw", "month"), factors) if varies else ("month", factors[0])


def assemble(labels: Labels, out: Output, values: np.ndarray, *, mode: str, seed, elapsed: float = 0.0,
             base: Output | None = None, base_values: np.ndarray | None = None, first_draw: int = 0,
             draws: int | None = None, means: Output | None = None) -> xr.Dataset:
    """Return the results Dataset for kernel output ``out`` of parameter rows ``values``.

    ``base``: the base case's output (one row, at ``base_values``), stored beside a Monte Carlo
    run as the ``base_*`` variables; ``means``: the base case with every uncertain number at its
    distribution's mean, kept as ``means_costs``, ``means_savings`` and ``means_net`` (what bridges
    the base case and the Monte Carlo mean). ``first_draw``: the index of the first row's draw, when
    ``out`` is a chunk of a run of ``draws`` draws (written chunk by chunk, see ``stream_results``).
    """
    H = labels.horizon
    D = values.shape[0]
    parties = labels.party_ids
    kinds = np.array(labels.item_kinds)
    item_party = np.array(labels.item_party)
    coords = {
        "draw": np.arange(first_draw, first_draw + D),
        "party": parties,
        "item": labels.item_ids,
        "month": np.arange(H),
        "stream": labels.stream_ids,
        "world": list(WORLDS),
        "state": list(STATES),
        "event": list(EVENTS),
        "parameter": list(labels.parameters),
    }
    ds = xr.Dataset(coords=coords)
    ds = ds.assign_coords(date=("month", month_dates(labels.calendar_start, H)),
                          party_name=("party", list(labels.party_names)))
    ds["item_party"] = ("item", item_party)
    ds["item_label"] = ("item", np.array(labels.item_labels))
    ds["item_kind"] = ("item", kinds)
    ds["item_in_table"] = ("item", np.asarray(labels.item_in_table).astype(np.int8))
    ds["item_flow"] = (("draw", "item", "month"), out.flow)
    ds["item_total"] = ds["item_flow"].sum("month")

    # party x item membership, so party sums are one matrix product
    member = (item_party[:, None] == np.array(parties)[None, :]).astype(float)  # item x party
    totals = out.flow.sum(axis=2)  # draw x item
    # summed draw by draw (a matrix product rounds differently for different numbers of draws,
    # and a run written chunk by chunk must give the numbers of the run held whole)
    is_cost = kinds == "cost"
    ds["costs"] = (("draw", "party"), _party_sums(-totals, item_party, parties, is_cost))
    ds["savings"] = (("draw", "party"), _party_sums(totals, item_party, parties, ~is_cost))
    ds["net"] = ds["savings"] - ds["costs"]
    party_flow = np.einsum("dim,ip->dpm", out.flow, member)
    ds["net_flow"] = (("draw", "party", "month"), party_flow)
    cum = np.cumsum(party_flow, axis=2)
    ds["cum_net"] = (("draw", "party", "month"), cum)
    ds["break_even_month"] = (("draw", "party"), break_even(cum))
    total_cum = cum.sum(axis=1)
    ds["total_break_even_month"] = ("draw", break_even(total_cum))
    total_costs = ds["costs"].sum("party")
    total_savings = ds["savings"].sum("party")
    with np.errstate(divide="ignore", invalid="ignore"):
        ds["sroi"] = total_savings / total_costs.where(total_costs > 0)

    counts = mode == "monte_carlo"  # Monte Carlo events are whole numbers of agents; expectations are not
    events = out.events.astype(labels.count_dtype) if counts else out.events
    ds["events"] = (("draw", "world", "stream", "event", "month"), events)
    worked = out.working.astype(labels.count_dtype) if counts else out.working
    ds["months_worked"] = (("draw", "world", "stream", "month"), worked)
    ev = _sequential_sum(out.events)  # draw x world x stream x event
    ds["placements"] = (("draw", "stream"), ev[:, 0, :, EVENTS.index("placement")])
    ds["successes"] = (("draw", "stream"), ev[:, 0, :, EVENTS.index("success")])
    ds["relapses"] = (("draw", "stream"), ev[:, 0, :, EVENTS.index("relapse")])
    ds["dropouts"] = (("draw", "stream"), ev[:, 0, :, EVENTS.index("dropout")])
    ds["placed"] = (("draw", "stream"), ev[:, 0, :, EVENTS.index("first_placement")])
    ds["placements_counterfactual"] = (("draw", "stream"), ev[:, 1, :, EVENTS.index("placement")])
    ds["successes_counterfactual"] = (("draw", "stream"), ev[:, 1, :, EVENTS.index("success")])
    ds["occupancy"] = (("draw", "world", "state", "month"), out.occupancy)
    ds["discount_factor"] = _discount(out.discount, labels.discount_varies)
    unc = _uncertain_columns(labels, values)
    ds["parameter_values"] = (("draw", "parameter"), unc)
    if base is not None:
        ds["base_item_flow"] = (("item", "month"), base.flow[0])
        ds["base_occupancy"] = (("world", "state", "month"), base.occupancy[0])
        ds["base_events"] = (("world", "stream", "event", "month"), base.events[0])
        ds["base_months_worked"] = (("world", "stream", "month"), base.working[0])
        ds["base_discount_factor"] = ("month", base.discount[0])
        ds["base_parameter_values"] = ("parameter", _uncertain_columns(labels, base_values)[0])
    if means is not None:
        totals_at_means = means.flow.sum(axis=2)
        ds["means_costs"] = ("party", _party_sums(-totals_at_means, item_party, parties, is_cost)[0])
        ds["means_savings"] = ("party", _party_sums(totals_at_means, item_party, parties, ~is_cost)[0])
        ds["means_net"] = ds["means_savings"] - ds["means_costs"]

    describe(ds)
    ds.attrs.update(
        simsav_version=__version__,
        mode=mode,
        **labels.attrs,
        seed=-1 if seed is None else int(seed),
        draws=int(D if draws is None else draws) if mode == "monte_carlo" else 0,
        agents=int(labels.agents),
        horizon_months=int(H),
        calendar_start=labels.calendar_start,
        currency="EUR",
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        elapsed_seconds=round(float(elapsed), 3),
    )
    return ds


def _uncertain_columns(labels: Labels, values: np.ndarray) -> np.ndarray:
    return np.atleast_2d(values)[:, labels.parameter_columns]


def has_base_case(ds: xr.Dataset) -> bool:
    """Return True when ``ds`` is a base case or carries one (the ``base_*`` variables)."""
    return ds.attrs.get("mode") == "base_case" or "base_item_flow" in ds


def base_case_of(ds: xr.Dataset) -> xr.Dataset:
    """Return the base case of a results Dataset: ``ds`` itself when it is one, else the base-case
    Dataset rebuilt from its ``base_*`` variables (equal, to the bit, to ``simsav.base_case``)."""
    if ds.attrs.get("mode") == "base_case":
        return ds
    if "base_item_flow" not in ds:
        raise InputError("results", "these results carry no base case (made by simsav before 0.2, or with "
                                    "base=False): run them again")
    labels = Labels.from_dataset(ds)
    out = Output(
        flow=ds["base_item_flow"].values[None], occupancy=ds["base_occupancy"].values[None],
        events=ds["base_events"].values[None], working=ds["base_months_worked"].values[None],
        discount=ds["base_discount_factor"].values[None],
    )
    base = assemble(labels, out, ds["base_parameter_values"].values[None], mode="base_case", seed=None)
    base.attrs["created"] = ds.attrs.get("created", base.attrs["created"])
    return base


def agreement_of(ds: xr.Dataset):
    """Return the ``[agreement]`` of the config a results Dataset was made from (None when it had none)."""
    text = ds.attrs.get("agreement", "")
    if not text:
        return None
    from ..config import Agreement

    return Agreement.model_validate(json.loads(text))


_DESCRIPTIONS = {
    "item_party": "party that pays the item",
    "item_label": "label of the item",
    "item_kind": "cost (program-only expenditure) or saving",
    "item_in_table": "1 when the item belongs in the business-case table's totals",
    "item_flow": "saving on the item per month: counterfactual minus program expenditure (EUR, discounted)",
    "item_total": "saving on the item over the horizon; negative for costs (EUR)",
    "costs": "costs of the party over the horizon (EUR)",
    "savings": "savings of the party over the horizon (EUR)",
    "net": "savings minus costs (EUR)",
    "net_flow": "net per party per month (EUR)",
    "cum_net": "cumulative net per party (EUR)",
    "break_even_month": "first month from which cum_net stays >= 0; NaN when not within the horizon",
    "total_break_even_month": "break-even month of all parties together",
    "sroi": "total savings / total costs",
    "events": "events per month: trajectory starts, job placements (spells begun), successes (a job spell reaching "
              "12 months), relapses (a job spell ending), drop-outs, first placements (participants placed)",
    "months_worked": "participants at work in each month",
    "placements": "job placements (job spells begun; a participant can have several) in the program world",
    "placed": "participants placed in a job at least once in the program world",
    "successes": "job spells reaching 12 months in the program world",
    "relapses": "job spells ending within the horizon in the program world",
    "dropouts": "agents dropping out in the program world",
    "placements_counterfactual": "job placements without the program",
    "successes_counterfactual": "job spells reaching 12 months without the program",
    "occupancy": "agents in each state per month",
    "discount_factor": "the factor each month's euros are multiplied by: (1 + annual rate)^(-month / 12)",
    "parameter_values": "the value each uncertain parameter took in each draw",
    "base_item_flow": "item_flow of the base case (point values, expected outcomes)",
    "base_occupancy": "occupancy of the base case",
    "base_events": "events per month of the base case (expected numbers)",
    "base_months_worked": "months_worked of the base case (expected numbers)",
    "base_discount_factor": "discount_factor of the base case",
    "base_parameter_values": "the base-case value of each uncertain parameter",
    "means_costs": "costs per party with every uncertain number at its distribution's mean, expected outcomes (EUR)",
    "means_savings": "savings per party, every uncertain number at its distribution's mean (EUR)",
    "means_net": "net per party, every uncertain number at its distribution's mean: between the base case "
                 "(the sources' points) and the Monte Carlo mean (EUR)",
}
_EUROS = ("item_flow", "item_total", "costs", "savings", "net", "net_flow", "cum_net", "base_item_flow",
          "means_costs", "means_savings", "means_net")


def describe(ds: xr.Dataset, descriptions: dict[str, str] | None = None, euros=_EUROS) -> None:
    """Set the ``description`` attribute of every variable of ``ds`` that ``descriptions`` names
    (default: the results' own), and ``units = "EUR"`` on those in ``euros``. Every analysis's
    Dataset describes its variables this way."""
    for name, text in (_DESCRIPTIONS if descriptions is None else descriptions).items():
        if name in ds:
            ds[name].attrs["description"] = text
            if name in euros:
                ds[name].attrs["units"] = "EUR"


def is_discounted(ds: xr.Dataset) -> bool:
    """Return True when the results' euros are discounted (some month's factor is not 1)."""
    return "discount_factor" in ds and bool((ds["discount_factor"] != 1).any())


def write_results(ds: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write ``ds`` to netCDF4 (h5netcdf) atomically: a temp file beside the target, then rename."""
    path = Path(path)
    _check_target(path)
    encoding = _encoding(ds)
    write_atomically(path, lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf", encoding=encoding))
    return path


_CHUNK_BYTES = 1 << 20
"""The size of a stored chunk of a variable (HDF5 compresses and reads whole chunks)."""


def _encoding(ds: xr.Dataset, chunk_draws: int | None = None) -> dict:
    """Return the netCDF encoding of every variable: numbers compressed (gzip level 1 after a byte
    shuffle: as small as level 4 alone, faster to write and read); with ``chunk_draws``, chunked
    along ``draw`` for a file that grows draw by draw."""
    encoding = {}
    for name, var in ds.variables.items():
        enc = {}
        if var.dtype.kind in "fi" and var.ndim > 0 and name in ds.data_vars:
            enc.update(zlib=True, complevel=1, shuffle=True)
        if chunk_draws is not None and "draw" in var.dims:
            per_draw = max(1, var.dtype.itemsize * int(np.prod([var.sizes[d] for d in var.dims if d != "draw"])))
            along = max(1, min(chunk_draws, _CHUNK_BYTES // per_draw))
            enc["chunksizes"] = tuple(along if d == "draw" else max(1, var.sizes[d]) for d in var.dims)
        if enc:
            encoding[name] = enc
    return encoding


def stream_results(path, chunks, draws: int, finish=None) -> Path:
    """Write a run to netCDF at ``path`` chunk by chunk: ``chunks`` yields the Datasets of
    consecutive blocks of draws (``assemble(..., first_draw=, draws=)``), the first holding the
    variables without a draw dimension too. Memory holds one chunk at a time, whatever the number
    of draws. ``finish()`` returns attributes to set at the end (the elapsed time). Atomic: the
    file appears whole or not at all. Every number is what ``write_results`` of the whole run writes.
    """
    path = Path(path)
    _check_target(path)

    def write(tmp):
        import h5netcdf

        it = iter(chunks)
        first = next(it)
        first = first.transpose("draw", ...)
        first.to_netcdf(tmp, engine="h5netcdf", unlimited_dims=["draw"],
                        encoding=_encoding(first, first.sizes["draw"]))
        per_draw = [name for name, var in first.variables.items() if "draw" in var.dims]
        with h5netcdf.File(tmp, "a") as f:
            for ds in it:
                a = int(ds["draw"].values[0])
                b = a + ds.sizes["draw"]
                f.resize_dimension("draw", b)
                for name in per_draw:
                    f.variables[name][a:b, ...] = ds[name].transpose("draw", ...).values
            done = int(f.dimensions["draw"].size)
            if done != draws:
                raise RuntimeError(f"wrote {done} draws of {draws}")  # pragma: no cover - a bug, not an input
            for key, value in (finish() if finish else {}).items():
                f.attrs[key] = value

    write_atomically(path, write)
    return path


def _check_target(path: Path) -> None:
    target_dir = path.parent if str(path.parent) else Path(".")
    if not target_dir.is_dir():
        raise InputError("--out", f"directory {str(target_dir)!r} does not exist")
    if path.is_dir():
        raise InputError("--out", f"{str(path)!r} is a directory")


REQUIRED = ("item_flow", "net", "cum_net", "events", "months_worked", "discount_factor")
"""What a results file must hold for simsav's analyses to work from it alone."""


def open_results(path: str | os.PathLike) -> xr.Dataset:
    """Return a results file written by simsav, loaded into memory; InputError when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found" if not path.exists() else "is not a file")
    try:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            ds = ds.load()
    except (OSError, ValueError, TypeError) as e:
        raise InputError(path, f"is not a netCDF results file ({type(e).__name__})") from None
    missing = [name for name in REQUIRED if name not in ds]
    if ds.attrs.get("mode") not in ("monte_carlo", "base_case") or missing:
        made = ds.attrs.get("simsav_version")
        why = f"it lacks {', '.join(missing)}" if missing else "it names no simsav mode"
        hint = f" (made by simsav {made}: run it again)" if made else ""
        raise InputError(path, f"is not a results file of this simsav: {why}{hint}")
    return ds
