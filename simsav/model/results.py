"""Results: kernel arrays -> an xarray.Dataset with the MODEL.md names, and writing it.

Every derived variable (costs, savings, net, cum_net, break_even_month, sroi) is computed
here and nowhere else, from ``item_flow`` and the item metadata.
"""
from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

import numpy as np
import xarray as xr

from .config import EVENTS, STATES, WORLDS, Config, source_path, source_sha256
from .errors import InputError
from .files import write_atomically

BREAK_EVEN_TOLERANCE = 0.005  # euro: half a cent of rounding is not a loss


def _version() -> str:
    from . import __version__

    return __version__


def break_even(cum_net: np.ndarray) -> np.ndarray:
    """Return the first month from which ``cum_net`` (.., month) stays >= 0; NaN if it ends below 0."""
    below = cum_net < -BREAK_EVEN_TOLERANCE
    H = cum_net.shape[-1]
    # index of the last month below zero, -1 when never below
    last_below = np.where(below.any(axis=-1), H - 1 - np.argmax(below[..., ::-1], axis=-1), -1)
    month = (last_below + 1).astype(float)
    month[last_below == H - 1] = np.nan
    return month


def _month_coords(start: str, H: int) -> np.ndarray:
    year, mon = int(start[:4]), int(start[5:7])
    idx = (year * 12 + mon - 1) + np.arange(H)
    return np.array([f"{i // 12:04d}-{i % 12 + 1:02d}" for i in idx], dtype="datetime64[M]")


def assemble(cfg: Config, model, raw, values: np.ndarray, *, mode: str, seed, elapsed: float = 0.0) -> xr.Dataset:
    """Return the results Dataset for kernel output ``raw`` of parameter rows ``values``."""
    H = model.horizon
    D = values.shape[0]
    items = model.item_ids
    parties = model.party_ids
    kinds = np.array(model.item_kinds)
    item_party = np.array([parties[p] for p in model.item_party])
    unc = model.table.uncertain
    coords = {
        "draw": np.arange(D),
        "party": parties,
        "item": items,
        "month": np.arange(H),
        "stream": model.stream_ids,
        "world": list(WORLDS),
        "state": list(STATES),
        "parameter": [model.table.params[i].name for i in unc],
    }
    ds = xr.Dataset(coords=coords)
    ds = ds.assign_coords(date=("month", _month_coords(model.calendar_start, H)))
    ds["item_party"] = ("item", item_party)
    ds["item_label"] = ("item", np.array(model.item_labels))
    ds["item_kind"] = ("item", kinds)
    ds["item_in_table"] = ("item", model.item_in_table.astype(np.int8))
    ds["item_flow"] = (("draw", "item", "month"), raw.flow)
    ds["item_total"] = ds["item_flow"].sum("month")

    # party x item membership, so party sums are one matrix product
    member = (item_party[:, None] == np.array(parties)[None, :]).astype(float)  # item x party
    is_cost = (kinds == "cost").astype(float)
    totals = raw.flow.sum(axis=2)  # draw x item
    ds["costs"] = (("draw", "party"), -(totals * is_cost) @ member)
    ds["savings"] = (("draw", "party"), (totals * (1 - is_cost)) @ member)
    ds["net"] = ds["savings"] - ds["costs"]
    party_flow = np.einsum("dim,ip->dpm", raw.flow, member)
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

    ev = raw.events
    ds["placements"] = (("draw", "stream"), ev[:, 0, :, EVENTS.index("placement")])
    ds["successes"] = (("draw", "stream"), ev[:, 0, :, EVENTS.index("success")])
    ds["relapses"] = (("draw", "stream"), ev[:, 0, :, EVENTS.index("relapse")])
    ds["dropouts"] = (("draw", "stream"), ev[:, 0, :, EVENTS.index("dropout")])
    ds["placements_counterfactual"] = (("draw", "stream"), ev[:, 1, :, EVENTS.index("placement")])
    ds["successes_counterfactual"] = (("draw", "stream"), ev[:, 1, :, EVENTS.index("success")])
    ds["occupancy"] = (("draw", "world", "state", "month"), raw.occupancy)
    ds["parameter_values"] = (("draw", "parameter"), values[:, unc])

    _describe(ds)
    ds.attrs.update(
        title=cfg.title,
        simsav_version=_version(),
        mode=mode,
        config_path=source_path(cfg),
        config_sha256=source_sha256(cfg),
        seed=-1 if seed is None else int(seed),
        draws=int(D) if mode == "monte_carlo" else 0,
        agents=int(model.n_agents),
        horizon_months=int(H),
        calendar_start=model.calendar_start,
        currency="EUR",
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        elapsed_seconds=round(float(elapsed), 3),
    )
    return ds


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
    "placements": "job placements in the program world",
    "successes": "job spells reaching 12 months in the program world",
    "relapses": "job spells ending within the horizon in the program world",
    "dropouts": "agents dropping out in the program world",
    "placements_counterfactual": "job placements without the program",
    "successes_counterfactual": "job spells reaching 12 months without the program",
    "occupancy": "agents in each state per month",
    "parameter_values": "the value each uncertain parameter took in each draw",
}


def _describe(ds: xr.Dataset) -> None:
    for name, text in _DESCRIPTIONS.items():
        if name in ds:
            ds[name].attrs["description"] = text
            if name in ("item_flow", "item_total", "costs", "savings", "net", "net_flow", "cum_net"):
                ds[name].attrs["units"] = "EUR"


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write ``ds`` to netCDF4 (h5netcdf) atomically: a temp file beside the target, then rename."""
    path = Path(path)
    target_dir = path.parent if str(path.parent) else Path(".")
    if not target_dir.is_dir():
        raise InputError("--out", f"directory {str(target_dir)!r} does not exist")
    if path.is_dir():
        raise InputError("--out", f"{str(path)!r} is a directory")
    encoding = {
        name: {"zlib": True, "complevel": 4}
        for name, var in ds.data_vars.items()
        if var.dtype.kind == "f" and var.ndim > 0
    }
    try:
        write_atomically(path, lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf", encoding=encoding))
    except PermissionError as e:
        raise InputError("--out", f"cannot write {str(path)!r}: {e.strerror}") from None
    return path


def open_results(path: str | os.PathLike) -> xr.Dataset:
    """Return a results file written by simsav, loaded into memory."""
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()
