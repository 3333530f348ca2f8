"""Monitoring: what a register says has happened, in euros, beside the plan ("plan en realisatie").

``realised_ledger(config, register)`` pays the register's lives up to its census month with
the config's items (the same function of the kernel that pays the Monte Carlo draws,
``kernel.pay_lives``), and sets the base case of the same months beside it. A register sees
only the program world: the counterfactual (what the same people would have cost without the
program) is never observed, so the realised savings are the plan's counterfactual spending of
those months minus the realised spending. The names of the Dataset are in docs/monitoring.md.
"""
from __future__ import annotations

import numpy as np
import xarray as xr

from ..codes import EVENTS, STATES, W_COUNTERFACTUAL, W_PROGRAM
from ..config import Config, source_path, source_sha256
from ..config.register import Register, read_register
from ..model.compile import compile_config
from ..model.lives import expected_of_world, ledger_of_register
from ..model.results import month_dates
from ..model.simulate import as_config

LEDGER_DESCRIPTIONS = {
    "realised_spending": "EUR spent in the program world per item and month, from the register (the lives it records)",
    "plan_spending": "EUR the base case expects the program world to spend per item and month",
    "counterfactual_spending": "EUR the base case expects the counterfactual to spend per item and month (never observed)",
    "realised_saving": "saving per item to date: counterfactual_spending - realised_spending, summed over the months",
    "plan_saving": "the base case's saving per item over the same months",
    "realised_costs": "costs per party to date (items of kind 'cost'), realised",
    "realised_savings": "savings per party to date (items of kind 'saving'), realised",
    "realised_net": "realised_savings - realised_costs",
    "plan_costs": "costs per party over the same months, base case",
    "plan_savings": "savings per party over the same months, base case",
    "plan_net": "plan_savings - plan_costs",
    "realised_occupancy": "participants in each state at the census month, from the register",
    "plan_occupancy": "participants the base case expects in each state at the census month",
    "realised_events": "events to date (up to and including the census month), from the register",
    "plan_events": "events the base case expects to date",
}
"""What each variable of ``realised_ledger``'s Dataset holds (docs/monitoring.md)."""


def _party_sums(per_item: np.ndarray, item_party, parties, keep) -> np.ndarray:
    out = np.zeros(len(parties))
    for p, party in enumerate(parties):
        cols = np.flatnonzero((item_party == party) & keep)
        if cols.size:
            out[p] = np.cumsum(per_item[cols])[-1]
    return out


def realised_ledger(config: Config | str, register: Register | str, as_of: str | int | None = None) -> xr.Dataset:
    """Return the realised ledger of ``register`` (a Register, or a CSV/XLSX file read with
    ``as_of``) beside the base case, per item and party, over the months up to and including the
    census; at the config's point values (the base case's)."""
    cfg = as_config(config)
    if not isinstance(register, Register):
        register = read_register(register, cfg, as_of)
    model = compile_config(cfg)
    row = model.table.point_row()
    c = register.as_of
    months = slice(0, c + 1)
    real = ledger_of_register(register, cfg, model, row)
    prog = expected_of_world(model, row, W_PROGRAM)
    cf = expected_of_world(model, row, W_COUNTERFACTUAL)

    realised_spending = -real.flow[0, :, months]
    plan_spending = -prog.flow[0, :, months]
    counterfactual = cf.flow[0, :, months]
    realised_saving = np.cumsum(counterfactual - realised_spending, axis=1)[:, -1]
    plan_saving = np.cumsum(counterfactual - plan_spending, axis=1)[:, -1]

    parties = list(model.party_ids)
    item_party = np.array([parties[k] for k in model.item_party])
    kinds = np.array(model.item_kinds)
    is_cost = kinds == "cost"
    dates = month_dates(cfg.cohort.start, model.horizon)[months]
    ds = xr.Dataset(coords={"item": list(model.item_ids), "party": parties, "month": np.arange(c + 1),
                            "state": list(STATES), "event": list(EVENTS)})
    ds = ds.assign_coords(date=("month", dates))
    ds["party_name"] = ("party", list(model.party_names))
    ds["item_party"] = ("item", item_party)
    ds["item_label"] = ("item", list(model.item_labels))
    ds["item_kind"] = ("item", kinds)
    ds["realised_spending"] = (("item", "month"), realised_spending)
    ds["plan_spending"] = (("item", "month"), plan_spending)
    ds["counterfactual_spending"] = (("item", "month"), counterfactual)
    ds["realised_saving"] = ("item", realised_saving)
    ds["plan_saving"] = ("item", plan_saving)
    for which, per_item in (("realised", realised_saving), ("plan", plan_saving)):
        ds[f"{which}_costs"] = ("party", _party_sums(-per_item, item_party, parties, is_cost))
        ds[f"{which}_savings"] = ("party", _party_sums(per_item, item_party, parties, ~is_cost))
        ds[f"{which}_net"] = ds[f"{which}_savings"] - ds[f"{which}_costs"]
    ds["realised_occupancy"] = ("state", real.occupancy[0, W_PROGRAM, :, c])
    ds["plan_occupancy"] = ("state", prog.occupancy[0, W_PROGRAM, :, c])
    ds["realised_events"] = ("event", real.events[0, W_PROGRAM, :, :, months].sum(axis=(0, 2)))
    ds["plan_events"] = ("event", prog.events[0, W_PROGRAM, :, :, months].sum(axis=(0, 2)))
    for name, text in LEDGER_DESCRIPTIONS.items():
        ds[name].attrs["description"] = text
    from .._version import __version__

    ds.attrs.update({
        "simsav_version": __version__, "config_path": source_path(cfg), "config_sha256": source_sha256(cfg),
        "register": register.source, "as_of": register.as_of_month, "as_of_index": int(c),
        "participants": len(register.participants), "parameters": "point values (the base case's)",
        "discounted": int(bool(row[model.kernel.discount_slot] != 0)),
    })
    return ds
