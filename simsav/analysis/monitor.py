"""Monitoring: what a register says has happened, in euros, beside the plan ("plan en realisatie").

``realised_ledger(config, register)`` pays the register's lives up to its census month with
the config's items (the same function of the kernel that pays the Monte Carlo draws,
``kernel.pay_lives``), and sets the base case of the same months beside it. A register sees
only the program world: the counterfactual (what the same people would have cost without the
program) is never observed, so the realised savings are the plan's counterfactual spending of
those months minus the realised spending. The names of the Dataset are in docs/monitoring.md.

``settle_realised(config, ledger)`` settles each calendar year the census has closed under the
standard sharing rules and the config's ``[agreement]``: who pays whom, in euros, from that
year's realised costs, savings and successes. It hands each closed year to
``sharing.transfers`` as one "draw" of results (ex post), so the rules are the sharing module's own.
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
    "realised_successes": "successes (a job spell reaching 12 months) per month, from the register",
    "realised_work_months": "participants at work per month, from the register",
    "discount_factor": "the factor each month's euros are multiplied by (1 when the config does not discount)",
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
    success = EVENTS.index("success")
    ds["realised_successes"] = ("month", real.events[0, W_PROGRAM, :, success, months].sum(axis=0))
    ds["realised_work_months"] = ("month", real.working[0, W_PROGRAM, :, months].sum(axis=0))
    ds["discount_factor"] = ("month", real.discount[0, months])
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


# --------------------------------------------------------------------------- settlement per closed year

SETTLEMENT_DESCRIPTIONS = {
    "settlement": "EUR the payer pays the receiver for the calendar year under the rule, from what happened in it",
    "settlement_received": "settlement received minus paid per party and year (EUR); sums to 0 over the parties",
    "year_costs": "realised costs per party in the calendar year (EUR)",
    "year_savings": "realised savings per party in the calendar year (EUR)",
    "year_net": "year_savings - year_costs",
    "year_successes": "successes (a job spell reaching 12 months) in the calendar year, from the register",
    "price_per_success": "outcome payments: euros per success (from the base case or the [agreement]); NaN for other rules",
    "price_per_work_month": "outcome payments: euros per month of work; NaN for other rules",
}
"""What each variable of ``settle_realised``'s Dataset holds (docs/monitoring.md)."""


def closed_years(cfg: Config, ledger: xr.Dataset) -> list[int]:
    """Return the calendar years the ledger's census has closed: every month of the year that lies
    in the horizon is at or before the census (a first year the cohort starts in part-way counts
    when its December is observed; the horizon's last year when the census is the horizon's end)."""
    H = int(cfg.cohort.horizon_months)
    years = month_dates(cfg.cohort.start, H).astype("datetime64[Y]").astype(int) + 1970
    c = int(ledger.attrs["as_of_index"])
    return [int(y) for y in np.unique(years) if np.flatnonzero(years == y)[-1] <= c]


def _years_as_draws(cfg: Config, ledger: xr.Dataset, years: list[int]) -> xr.Dataset:
    """Return a results-like Dataset with one draw per closed year: the realised flows, successes and
    work of that year's months (zero elsewhere), over the whole horizon, as ``sharing.transfers`` reads."""
    H = int(cfg.cohort.horizon_months)
    dates = month_dates(cfg.cohort.start, H)
    year_of = dates.astype("datetime64[Y]").astype(int) + 1970
    c = ledger.sizes["month"]
    flow = np.zeros((ledger.sizes["item"], H))  # the saving convention: counterfactual minus program spending
    flow[:, :c] = ledger["counterfactual_spending"].values - ledger["realised_spending"].values
    success = np.zeros(H)
    success[:c] = ledger["realised_successes"].values
    work = np.zeros(H)
    work[:c] = ledger["realised_work_months"].values
    discount = np.ones(H)
    discount[:c] = ledger["discount_factor"].values
    mask = np.array([year_of == y for y in years], dtype=float).reshape(len(years), H)  # draw x month
    item_flow = flow[None, :, :] * mask[:, None, :]
    parties = ledger["party"].values.tolist()
    item_party = ledger["item_party"].values
    is_cost = ledger["item_kind"].values == "cost"
    per_item = item_flow.sum(axis=2)  # draw x item
    costs = np.stack([-per_item[:, (item_party == p) & is_cost].sum(axis=1) for p in parties], axis=1)
    savings = np.stack([per_item[:, (item_party == p) & ~is_cost].sum(axis=1) for p in parties], axis=1)
    ds = xr.Dataset(coords={"draw": np.array(years), "item": ledger["item"].values, "party": parties,
                            "month": np.arange(H), "world": ["program"], "stream": ["all"], "event": ["success"]})
    ds = ds.assign_coords(date=("month", dates))
    ds["item_kind"] = ("item", ledger["item_kind"].values)
    ds["item_flow"] = (("draw", "item", "month"), item_flow)
    ds["costs"] = (("draw", "party"), costs)
    ds["savings"] = (("draw", "party"), savings)
    ds["net"] = ds["savings"] - ds["costs"]
    ds["events"] = (("draw", "world", "stream", "event", "month"), (success * mask)[:, None, None, None, :])
    ds["months_worked"] = (("draw", "world", "stream", "month"), (work * mask)[:, None, None, :])
    ds["discount_factor"] = ("month", discount)
    return ds


def settle_realised(config: Config | str, ledger: xr.Dataset) -> xr.Dataset:
    """Return the settlement of each calendar year the census has closed (``closed_years``): who pays
    whom under each standard rule and the config's ``[agreement]`` (rule ``agreement``, when it has
    one), from that year's realised costs, savings and successes (``realised_ledger``'s Dataset).

    Each closed year is one draw of ``sharing.transfers`` settled ex post: the pooled rules work on
    the year's realised costs and savings per party; outcome payments pay the terms of the base
    case (the price that makes the investors break even in it, or the agreement's price; the payers'
    and receivers' shares from its nets) on the year's realised successes and months of work.
    Variables and their dims: docs/monitoring.md (``SETTLEMENT_DESCRIPTIONS``). Years not yet
    closed are not settled (the ``year`` dimension may be empty)."""
    from ..model.simulate import base_case
    from .notices import from_attr, to_attr, unique
    from .sharing import STANDARD_RULES, transfers

    cfg = as_config(config)
    agreement = cfg.agreement
    rules = list(STANDARD_RULES) + (["agreement"] if agreement is not None else [])
    parties = ledger["party"].values.tolist()
    years = closed_years(cfg, ledger)
    P, Y, R = len(parties), len(years), len(rules)
    matrix = np.zeros((R, P, P, Y))
    price = np.full(R, np.nan)
    per_month = np.full(R, np.nan)
    notices = []
    draws = _years_as_draws(cfg, ledger, years)
    if Y:
        base = base_case(cfg)
        for r, rule in enumerate(rules):
            tr = transfers(draws, rule, settle="ex-post", base=base, agreement=agreement)
            matrix[r] = tr["transfer_matrix"].transpose("payer", "receiver", "draw").values
            price[r] = float(tr["price_per_success"])
            per_month[r] = float(tr["price_per_work_month"])
            notices = unique(notices + from_attr(tr.attrs["notices"]))
    out = xr.Dataset(coords={"rule": rules, "payer": parties, "receiver": parties, "party": parties,
                             "year": np.array(years, dtype=int)})
    out["settlement"] = (("rule", "payer", "receiver", "year"), matrix)
    out["settlement_received"] = (("rule", "party", "year"), matrix.sum(axis=1) - matrix.sum(axis=2))
    out["year_costs"] = (("party", "year"), draws["costs"].values.T.reshape(P, Y))
    out["year_savings"] = (("party", "year"), draws["savings"].values.T.reshape(P, Y))
    out["year_net"] = out["year_savings"] - out["year_costs"]
    out["year_successes"] = ("year", draws["events"].values.sum(axis=(1, 2, 3, 4)).reshape(Y))
    out["price_per_success"] = ("rule", price)
    out["price_per_work_month"] = ("rule", per_month)
    for name, text in SETTLEMENT_DESCRIPTIONS.items():
        out[name].attrs["description"] = text
    out.attrs.update({
        "as_of": ledger.attrs["as_of"], "settled_years": ",".join(map(str, years)), "settle": "ex-post",
        "agreement_label": agreement.label if agreement is not None else "",
        "agreement_rule": agreement.rule if agreement is not None else "",
        "agreement_settle": agreement.settle if agreement is not None else "",
        "notices": to_attr(notices),
    })
    return out
