"""Sharing rules: who pays whom, so that whoever receives the savings also invests.

xarray in, xarray out. A rule turns a results Dataset (``simsav.simulate`` or
``simsav.base_case``) into *transfers* between parties: a payer -> receiver matrix in
euros over the horizon, and the months in which it is paid. Adding a party's transfers to
its net gives its net after the agreement; the total over the parties never changes.

The rules (docs/sharing.md has the arithmetic and the reasons):

- ``costs_follow_benefits``: each party bears the share of the total costs that it has of
  the total savings;
- ``equal_return``: every party ends with the same net per euro of its *own* costs (what it
  put into the trajectories itself, before transfers);
- ``outcome_payments``: a price per success (a job spell reaching 12 months; optionally also
  per month of work) that the saving parties pay the investing parties, set so that the
  investors break even in the base case;
- ``fixed_split``: shares per party from the config's ``[agreement]``;
- ``agreement``: whatever the config's ``[agreement]`` says.

Each rule is *settled* ``ex-ante`` (the transfers are fixed in euros from the base case,
before anyone knows how the cohort fares) or ``ex-post`` (they are settled on each draw's
realised costs, savings and successes, as a contract paying per actual success would).

Outcome payments need the number of successes per month and the months worked: the results
hold them (``events``, ``months_worked``), and the base case the ex-ante terms come from
(``base_case_of``). So a results file gives the same transfers wherever it is opened, without
its config and without running anything again.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import xarray as xr

from ..codes import SUCCESS_MONTHS
from ..config import AGREEMENT_RULES, SETTLEMENTS, Agreement
from ..errors import InputError
from ..model.results import BREAK_EVEN_TOLERANCE, agreement_of, base_case_of, break_even, describe
from .notices import Notice, from_attr, to_attr, unique
from .summary import median_break_even

RULES = AGREEMENT_RULES + ("agreement",)
"""Every rule ``transfers`` and ``compare`` know."""

STANDARD_RULES = ("costs_follow_benefits", "equal_return", "outcome_payments")
"""The rules that need nothing from the config; ``compare(rules="all")`` adds ``agreement`` when there is one."""

LOSS_TOLERANCE = BREAK_EVEN_TOLERANCE
"""A net below minus this (half a cent) counts as a loss, so rounding is not a loss."""


# --------------------------------------------------------------------------- outcome flows


def outcome_flows(ds: xr.Dataset) -> tuple[xr.DataArray, xr.DataArray]:
    """Return (successes, participants working) per draw and month in the program world, discounted
    like every euro of the results, so that a price times a flow is the present value of its payments.

    Both come from the results' events per month (``events``, ``months_worked``).
    """
    if "events" not in ds or "months_worked" not in ds:
        raise InputError("results", "these results hold no events per month (made by simsav before 0.2): "
                                    "run them again")
    discount = ds["discount_factor"]
    success = ds["events"].sel(world="program", event="success", drop=True)
    work = ds["months_worked"].sel(world="program", drop=True)
    # streams added in order, as every other total of the results
    success = success.astype(float).cumsum("stream").isel(stream=-1, drop=True) * discount
    work = work.astype(float).cumsum("stream").isel(stream=-1, drop=True) * discount
    return success.transpose("draw", "month"), work.transpose("draw", "month")


def _check_base(base: xr.Dataset | None, ds: xr.Dataset) -> xr.Dataset:
    base = base_case_of(ds) if base is None else base_case_of(base)
    if base["party"].values.tolist() != ds["party"].values.tolist() or base.sizes["month"] != ds.sizes["month"]:
        raise InputError("base", "the base case is of another config (its parties or horizon differ)")
    return base


# --------------------------------------------------------------------------- rules


def rule_spec(rule: str | Agreement, agreement: Agreement | None = None) -> Agreement:
    """Return the Agreement that states ``rule``; ``fixed_split`` and ``agreement`` are the config's
    ``[agreement]`` (``agreement``)."""
    if isinstance(rule, Agreement):
        return rule
    name = str(rule).replace("-", "_")
    if name not in RULES:
        raise InputError("rule", f"unknown sharing rule {rule!r}; choose one of: {', '.join(RULES)}")
    if name in STANDARD_RULES:
        return Agreement(rule=name)
    if name == "agreement":
        if agreement is None:
            raise InputError("rule", "the config has no [agreement] table to evaluate (see docs/config.md#agreement)")
        return agreement
    if agreement is None or agreement.rule != "fixed_split":
        raise InputError("rule", 'fixed_split takes its shares from the config: add [agreement] with '
                         'rule = "fixed_split" and shares = { <party> = <share>, ... }')
    return agreement


def _pooled_transfers(spec: Agreement, costs: np.ndarray, savings: np.ndarray, parties: list[str]) -> np.ndarray:
    """Return the net transfer each party receives (draw x party) under a rule that pools euros."""
    net = savings - costs
    total_costs = costs.sum(axis=1, keepdims=True)
    total_net = savings.sum(axis=1, keepdims=True) - total_costs
    with np.errstate(divide="ignore", invalid="ignore"):
        if spec.rule == "costs_follow_benefits":
            # bear the share S_p / S of the costs: net after = S_p - C * S_p / S. A party whose savings
            # are negative (the program costs it more than it saves) has no benefit to follow: share 0.
            # When nobody saves anything the costs stay where they fall.
            benefit = np.clip(savings, 0.0, None)
            total_benefit = benefit.sum(axis=1, keepdims=True)
            t = np.where(total_benefit > 0, costs - total_costs * benefit / total_benefit, 0.0)
        elif spec.rule == "equal_return":
            # net after = C_p * N / C: the same return N / C on every euro of own costs
            t = costs * total_net / total_costs - net
            t = np.where(total_costs > 0, t, 0.0)
        elif spec.rule == "fixed_split":
            f = np.array([spec.shares.get(p, 0.0) for p in parties])[None, :]
            t = costs - f * total_costs if spec.split == "costs" else f * total_net - net
        else:  # pragma: no cover - callers pass pooled rules only
            raise ValueError(spec.rule)
    return t


def _matrix_from_net(t: np.ndarray) -> np.ndarray:
    """Return payer x receiver euros (draw x P x P): each payer pays the receivers pro rata to what they get."""
    pay = np.clip(-t, 0.0, None)
    receive = np.clip(t, 0.0, None)
    total = receive.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        m = pay[:, :, None] * receive[:, None, :] / total[:, None, None]
    return np.where(total[:, None, None] > 0, m, 0.0)


def _cost_profile(ds: xr.Dataset) -> np.ndarray:
    """Return the share of the total costs falling in each month (draw x month; rows sum to 1)."""
    is_cost = (ds["item_kind"] == "cost").values
    monthly = np.clip(-ds["item_flow"].values[:, is_cost, :].sum(axis=1), 0.0, None)
    total = monthly.sum(axis=1, keepdims=True)
    H = monthly.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, monthly / total, 1.0 / H)


def _weights(values: np.ndarray, members: list[bool]) -> np.ndarray:
    """Return weights over the members, pro rata to ``values`` clipped at 0 (equal when all are 0)."""
    members = np.asarray(members, dtype=bool)
    w = np.where(members, np.clip(values, 0.0, None), 0.0)
    if w.sum() > 0:
        return w / w.sum()
    return members / members.sum() if members.any() else w


def outcome_terms(spec: Agreement, base: xr.Dataset) -> dict:
    """Return the contract terms of an outcome-payments rule, set from the base case.

    Keys: ``price_per_success``, ``price_per_work_month`` (euros), ``payer_share`` and
    ``receiver_share`` (arrays over the parties, each summing to 1 or all 0), ``notices``.
    Without a given price, the price makes the receivers' base-case net zero: their total
    deficit, less what the per-month payments bring, divided by the base-case successes
    (both discounted).
    """
    parties = base["party"].values.tolist()
    net = base["net"].isel(draw=0).values
    notices = []
    payers = spec.payers if spec.payers is not None else [p for p, n in zip(parties, net) if n > LOSS_TOLERANCE]
    receivers = (spec.receivers if spec.receivers is not None
                 else [p for p, n in zip(parties, net) if n < -LOSS_TOLERANCE])
    payer_share = _weights(net, [p in payers for p in parties])
    receiver_share = _weights(-net, [p in receivers for p in parties])
    success_flow, work_flow = outcome_flows(base)
    successes = float(success_flow.isel(draw=0).sum())
    work = float(work_flow.isel(draw=0).sum())
    per_month = float(spec.price_per_work_month)
    if not payers or not receivers:
        notices.append(Notice("outcome_no_investor" if not receivers else "outcome_no_saver"))
        return dict(price_per_success=0.0, price_per_work_month=0.0, payer_share=payer_share * 0,
                    receiver_share=receiver_share * 0, notices=notices)
    if spec.price_per_success is not None:
        price = float(spec.price_per_success)
    else:
        deficit = float(np.clip(-net, 0.0, None)[[p in receivers for p in parties]].sum())
        if successes <= 0:
            notices.append(Notice("outcome_no_success", {"months": SUCCESS_MONTHS}))
            price = 0.0
        else:
            price = (deficit - per_month * work) / successes
            if price < 0:
                notices.append(Notice("outcome_work_pays_all"))
                price = 0.0
    return dict(price_per_success=price, price_per_work_month=per_month, payer_share=payer_share,
                receiver_share=receiver_share, notices=notices)


def _check_settle(settle: str) -> str:
    if settle not in SETTLEMENTS:
        raise InputError("settle", f"must be one of {', '.join(SETTLEMENTS)}, got {settle!r}")
    return settle


def transfers(ds: xr.Dataset, rule: str | Agreement, *, settle: str = "ex-post", base: xr.Dataset | None = None,
              agreement: Agreement | None = None) -> xr.Dataset:
    """Return the transfers of one rule and settlement, for every draw of ``ds``.

    Variables: ``transfer_matrix(draw, payer, receiver)`` (euros the payer pays the receiver over
    the horizon, >= 0), ``transfer_profile(draw, month)`` (the share of it paid in each month:
    for outcome payments the months of the successes and of the work, for the other rules the
    months of the costs), ``transfer(draw, party)`` (received minus paid; sums to 0 over the
    parties), ``transfer_flow(draw, party, month)`` (the same per month), ``transfer_by_year(draw,
    payer, receiver, year)``, and the outcome-payment terms ``price_per_success``,
    ``price_per_work_month``, ``payer_share(party)``, ``receiver_share(party)`` (NaN for other rules).
    ``base`` is the base case (default: the one ``ds`` carries); ex-ante transfers are fixed from
    it. ``agreement``: the ``[agreement]`` that ``fixed_split`` and ``agreement`` evaluate (default:
    the one of the config ``ds`` was made from).
    """
    settle = _check_settle(settle)
    spec = rule_spec(rule, agreement_of(ds) if agreement is None else agreement)
    base = _check_base(base, ds)
    parties = ds["party"].values.tolist()
    D, H = ds.sizes["draw"], ds.sizes["month"]
    basis = base if settle == "ex-ante" else ds
    notices: list[Notice] = []
    terms = dict(price_per_success=np.nan, price_per_work_month=np.nan,
                 payer_share=np.full(len(parties), np.nan), receiver_share=np.full(len(parties), np.nan))
    if spec.rule == "outcome_payments":
        terms = outcome_terms(spec, base)
        notices += terms["notices"]
        success_flow, work_flow = outcome_flows(basis)
        amount = (terms["price_per_success"] * success_flow.values
                  + terms["price_per_work_month"] * work_flow.values)  # rows x month
        total = amount.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            profile = np.where(total[:, None] > 0, amount / total[:, None], 0.0)
        pair = terms["payer_share"][:, None] * terms["receiver_share"][None, :]
        matrix = total[:, None, None] * pair[None, :, :]
    else:
        t = _pooled_transfers(spec, basis["costs"].values, basis["savings"].values, parties)
        matrix = _matrix_from_net(t)
        profile = _cost_profile(basis)
    if settle == "ex-ante":  # one row from the base case, the same euros in every draw
        matrix = np.broadcast_to(matrix[:1], (D,) + matrix.shape[1:])
        profile = np.broadcast_to(profile[:1], (D, H))
    received = matrix.sum(axis=1) - matrix.sum(axis=2)
    years = ds["date"].dt.year.values
    year_ids = np.unique(years)
    by_year_profile = np.stack([profile[:, years == y].sum(axis=1) for y in year_ids], axis=-1)  # draw x year
    out = xr.Dataset(coords={"draw": ds["draw"].values, "party": parties, "payer": parties, "receiver": parties,
                             "month": ds["month"].values, "year": year_ids})
    out = out.assign_coords(date=("month", ds["date"].values))
    out["transfer_matrix"] = (("draw", "payer", "receiver"), np.array(matrix))
    out["transfer_profile"] = (("draw", "month"), np.array(profile))
    out["transfer"] = (("draw", "party"), received)
    out["transfer_flow"] = (("draw", "party", "month"), received[:, :, None] * profile[:, None, :])
    out["transfer_by_year"] = (("draw", "payer", "receiver", "year"),
                               matrix[:, :, :, None] * by_year_profile[:, None, None, :])
    out["price_per_success"] = terms["price_per_success"]
    out["price_per_work_month"] = terms["price_per_work_month"]
    out["payer_share"] = ("party", terms["payer_share"])
    out["receiver_share"] = ("party", terms["receiver_share"])
    _describe(out)
    out.attrs.update(rule=str(rule).replace("-", "_") if isinstance(rule, str) else spec.rule,
                     underlying_rule=spec.rule, label=spec.label, settle=settle, notices=to_attr(notices))
    return out


def apply(ds: xr.Dataset, tr: xr.Dataset) -> xr.Dataset:
    """Return net, cumulative net and break-even month per party after the transfers ``tr``."""
    net = ds["net"] + tr["transfer"]
    cum = (ds["net_flow"] + tr["transfer_flow"]).cumsum("month")
    out = xr.Dataset({"net_after": net, "cum_net_after": cum})
    out["break_even_after"] = (("draw", "party"), break_even(cum.transpose("draw", "party", "month").values))
    return out


# --------------------------------------------------------------------------- comparison


def resolve_rules(rules, agreement: Agreement | None = None) -> list[str]:
    """Return the rule names ``rules`` stands for (``"all"``: the standard rules plus the agreement, if any)."""
    if isinstance(rules, str):
        rules = [rules]
    out: list[str] = []
    for r in rules:
        name = str(r).replace("-", "_")
        if name == "all":
            names = list(STANDARD_RULES) + (["agreement"] if agreement is not None else [])
        elif name in RULES:
            names = [name]
        else:
            raise InputError("rule", f"unknown sharing rule {r!r}; choose one of: {', '.join(RULES + ('all',))}")
        out += [n for n in names if n not in out]
    return out


def _summaries(net: xr.DataArray, be: xr.DataArray) -> dict[str, xr.DataArray]:
    never = np.isnan(be)
    med = xr.apply_ufunc(median_break_even, be, input_core_dims=[["draw"]], vectorize=True)
    return {
        "mean": net.mean("draw"),
        "p_loss": (net < -LOSS_TOLERANCE).mean("draw"),
        "p5": net.quantile(0.05, "draw").drop_vars("quantile"),
        "p95": net.quantile(0.95, "draw").drop_vars("quantile"),
        "break_even_median": med,
        "p_break_even": (~never).mean("draw"),
    }


def compare(ds: xr.Dataset, rules: str | Iterable[str] = "all", settle: str | Iterable[str] = SETTLEMENTS, *,
            base: xr.Dataset | None = None, agreement: Agreement | None = None) -> xr.Dataset:
    """Return every rule side by side: one Dataset with ``rule`` and ``settle`` dimensions.

    Per party before the transfers: ``net_before(draw, party)``, ``break_even_before``, and over
    the draws ``mean_before``, ``p_loss_before`` (P(net < 0)), ``p5_before``/``p95_before``
    (5th/95th percentile), ``break_even_median_before`` (the median over all draws,
    a draw that does not break even counted as later: inf when half or more do not), ``p_break_even_before``. The same with ``_after``
    per (rule, settle), plus ``transfer(rule, settle, draw, party)``, ``transfer_matrix(rule,
    settle, draw, payer, receiver)``, ``transfer_by_year(rule, settle, payer, receiver, year)``
    (mean over the draws), the outcome-payment terms per rule and ``investor(party)`` (base-case
    net below 0). Everything comes from ``ds`` (its events per month and its base case) and,
    for ``fixed_split`` and ``agreement``, the ``[agreement]`` of its config (or ``agreement``).
    """
    agreement = agreement_of(ds) if agreement is None else agreement
    names = resolve_rules(rules, agreement)
    settles = [settle] if isinstance(settle, str) else list(settle)
    for s in settles:
        _check_settle(s)
    specs = {name: rule_spec(name, agreement) for name in names}
    base = _check_base(base, ds)

    per_rule = []
    notices: list[Notice] = []
    for name in names:
        per_settle = []
        for s in settles:
            tr = transfers(ds, specs[name], settle=s, base=base, agreement=agreement)
            after = apply(ds, tr)
            summ = _summaries(after["net_after"], after["break_even_after"])
            part = xr.Dataset({
                "transfer": tr["transfer"],
                "transfer_matrix": tr["transfer_matrix"],
                "transfer_by_year": tr["transfer_by_year"].mean("draw"),
                "net_after": after["net_after"],
                "break_even_after": after["break_even_after"],
                **{f"{k}_after": v for k, v in summ.items()},
            })
            per_settle.append(part)
            notices = unique(notices + from_attr(tr.attrs["notices"]))
        combined = xr.concat(per_settle, dim=xr.DataArray(settles, dims="settle", name="settle"))
        combined["price_per_success"] = tr["price_per_success"]
        combined["price_per_work_month"] = tr["price_per_work_month"]
        combined["payer_share"] = tr["payer_share"]
        combined["receiver_share"] = tr["receiver_share"]
        per_rule.append(combined)
    out = xr.concat(per_rule, dim=xr.DataArray(names, dims="rule", name="rule"), coords="minimal",
                    compat="override")
    before = _summaries(ds["net"], ds["break_even_month"])
    out["net_before"] = ds["net"]
    out["break_even_before"] = ds["break_even_month"]
    for k, v in before.items():
        out[f"{k}_before"] = v
    out["investor"] = base["net"].isel(draw=0, drop=True) < -LOSS_TOLERANCE
    if "party_name" in ds.coords:
        out = out.assign_coords(party_name=("party", ds["party_name"].values))
    _describe(out)
    out.attrs.update(
        title=ds.attrs.get("title", ""), mode=ds.attrs.get("mode", ""), seed=ds.attrs.get("seed", -1),
        draws=int(ds.sizes["draw"]), config_path=ds.attrs.get("config_path", ""),
        horizon_months=int(ds.sizes["month"]), calendar_start=ds.attrs.get("calendar_start", ""),
        agreement_label=agreement.label if agreement is not None else "",
        agreement_rule=agreement.rule if agreement is not None else "",
        notices=to_attr(notices),
    )
    return out


_DESCRIPTIONS = {
    "transfer_matrix": "euros the payer pays the receiver over the horizon (EUR, discounted like the results)",
    "transfer_profile": "share of the transfers paid in each month",
    "transfer": "transfers received minus paid over the horizon (EUR); sums to 0 over the parties",
    "transfer_flow": "transfers received minus paid per month (EUR)",
    "transfer_by_year": "euros the payer pays the receiver per calendar year (EUR)",
    "price_per_success": "outcome payments: euros per success (a job spell reaching 12 months)",
    "price_per_work_month": "outcome payments: euros per month of work",
    "payer_share": "outcome payments: each payer's share of every payment",
    "receiver_share": "outcome payments: each receiver's share of every payment",
    "net_before": "net per party without transfers (EUR)",
    "net_after": "net per party after the transfers (EUR)",
    "break_even_before": "break-even month without transfers (NaN: not within the horizon)",
    "break_even_after": "break-even month after the transfers, paid in the months they fall",
    "investor": "True when the party's base-case net before transfers is below 0",
}


def _describe(ds: xr.Dataset) -> None:
    summaries = {f"{key}_{when}": f"{text}, {when} transfers" for when in ("before", "after") for key, text in (
        ("mean", "mean net over the draws (EUR)"), ("p_loss", "P(net < 0) over the draws"),
        ("p5", "5th percentile of the net (EUR)"), ("p95", "95th percentile of the net (EUR)"),
        ("break_even_median", "break-even month: the median over all draws, a draw that does not break even "
                              "counted as later (inf: half or more do not)"),
        ("p_break_even", "share of draws that break even within the horizon"))}
    describe(ds, _DESCRIPTIONS | summaries, euros=())
