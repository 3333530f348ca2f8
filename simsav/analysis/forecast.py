"""Monitoring in one call: the ledger, the settlement, the updated parameters and the re-forecast.

``monitor(config, register=...)`` (or ``status=...``) answers the parties' quarterly questions
(docs/monitoring.md): what has it cost and saved so far (the realised ledger,
:mod:`simsav.analysis.monitor`), who owes whom for each closed year (the settlement), what do
the data say about the outcome parameters (the posterior, :mod:`simsav.analysis.posterior`),
and, given that, where will it end (the re-forecast, below).

The re-forecast of a register at census month c: per posterior draw d, every participant
continues from their state at the census (the time already spent in it, the job spells used,
a success already reached: ``simsav.model.forecast``), the config's participants who have not
started yet live their whole lives, and every month after c is paid at draw d's values with
draw d's agents' random numbers (the keys ``simsav run`` gives draw d). The months up to and
including c are the realised ledger's (the register's lives at the config's point values, the
counterfactual as planned), the same in every draw. So

* with nothing observed the re-forecast is ``simsav run``'s result for the months after c;
* at the horizon's end every draw is the realised ledger: the band collapses to it.

"Before" is what ``simsav run CONFIG --draws N --seed S`` says (the prior, no data); "after"
is realised + re-forecast under the posterior: how each party's risk has changed.

A status table knows counts, not lives: its "after" is the whole cohort simulated again under
the posterior draws (``simsav run`` with the updated parameters), not continued from the census.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from ..codes import W_COUNTERFACTUAL, W_PROGRAM
from ..config import Config
from ..config.register import Register, StatusTable, read_register, read_status
from ..model.compile import compile_config
from ..model.engine import draw_keys
from ..model.likelihood import outcome_slots
from ..model.lives import expected_of_world, ledger_of_register, register_lives
from ..model.records import Output
from ..model.results import Labels, assemble
from ..model.simulate import as_config, simulate

FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BAND = (0.05, 0.95)

FORECAST_DESCRIPTIONS = {
    "net": "EUR per draw and party over the horizon: realised to the census + re-forecast after it (after the update)",
    "net_before": "EUR per draw and party over the horizon as simsav run forecasts it with the same seed and draws (before)",
    "net_mean": "mean of net over the draws",
    "net_mean_before": "mean of net_before over the draws",
    "net_quantile": "5%, 50% and 95% quantiles of net",
    "net_quantile_before": "5%, 50% and 95% quantiles of net_before",
    "p_loss": "share of the draws with net < 0 (after)",
    "p_loss_before": "share of the draws with net_before < 0",
    "break_even_month": "per draw the month from which the party's cumulative net stays >= 0 (NaN: not in the horizon)",
    "break_even_month_before": "the same, simsav run's draws",
    "break_even_median": "median break-even month (a draw that does not break even counts as later; inf: half or more do not)",
    "break_even_median_before": "the same, before",
    "cum_net_quantile": "5/25/50/75/95% quantiles of the cumulative net per party and month (after)",
    "cum_net_quantile_before": "the same for simsav run's draws (before)",
    "realised_cum_net": "the realised cumulative net per party to the census (NaN after it): the ledger's",
    "weight": "weight of each after draw (1 / draws, or the importance weights when the after draws are simsav "
              "run's own draws reweighted)",
}
"""What each variable of the forecast Dataset holds (docs/monitoring.md)."""


@dataclass(frozen=True)
class Monitoring:
    """What ``monitor`` returns: Datasets with the names in docs/monitoring.md (``None`` where the
    data do not give it: a status table has no ledger, settlement or census re-forecast)."""

    parameters: xr.Dataset
    forecast: xr.Dataset
    ledger: xr.Dataset | None = None
    settlement: xr.Dataset | None = None
    status: StatusTable | None = None
    measure_next: xr.Dataset | None = None
    """What to measure next: the EVPPI per party of each outcome parameter the register informs,
    under the posterior (``simsav.analysis.voi.evppi``); None when fewer than its minimum draws."""

    def to_netcdf(self, path) -> None:
        """Write every Dataset into one netCDF file, atomically: the ledger and settlement at the
        root (a status table: its counts), the parameters and the forecast as the groups
        ``parameters`` and ``forecast`` (``xr.open_dataset(path, group="forecast")``)."""
        from ..files import write_atomically

        if self.ledger is not None:
            root = xr.merge([self.ledger, self.settlement], combine_attrs="no_conflicts")
        else:
            root = status_dataset(self.status)

        def write(tmp):
            root.to_netcdf(tmp, engine="h5netcdf")
            self.parameters.to_netcdf(tmp, group="parameters", mode="a", engine="h5netcdf")
            self.forecast.to_netcdf(tmp, group="forecast", mode="a", engine="h5netcdf")
            if self.measure_next is not None:
                self.measure_next.to_netcdf(tmp, group="measure_next", mode="a", engine="h5netcdf")

        write_atomically(path, write)


def status_dataset(table: StatusTable) -> xr.Dataset:
    """Return a status table's counts as a Dataset (``observed_state``, ``observed_event``)."""
    ds = xr.Dataset({"observed_state": ("state", list(table.states.values())),
                     "observed_event": ("event", list(table.events.values()))},
                    coords={"state": list(table.states), "event": list(table.events)})
    ds.attrs.update(status=table.source, as_of=table.census, as_of_index=int(table.as_of), participants=table.total)
    return ds


def monitor(config: Config | str, register: Register | str | None = None, *, status: StatusTable | str | None = None,
            as_of: str | int | None = None, draws: int = 2000, seed: int = 0) -> Monitoring:
    """Return the ledger, the settlement, the posterior and the re-forecast of a register (or the
    posterior and the updated forecast of a status table), with ``draws`` draws and ``seed``
    (``simsav run``'s draws are the prior's)."""
    from .monitor import realised_ledger, settle_realised
    from .posterior import after_draws, posterior_dataset, register_loglik, status_loglik
    from .smc import sample_posterior

    cfg = as_config(config)
    if (register is None) == (status is None):
        raise TypeError("give either register or status")
    model = compile_config(cfg)
    if status is not None:
        table = status if isinstance(status, StatusTable) else read_status(status, cfg)
        sample = sample_posterior(model.table, cfg.correlations, status_loglik(model, table), draws, seed,
                                  source="--status", data="status table", reads=outcome_slots(model))
        params = posterior_dataset(model, sample, {"as_of": table.census, "participants": table.total,
                                                   "draws": draws, "seed": seed, "data": table.source,
                                                   "data_kind": "status"})
        before = simulate(cfg, draws=draws, seed=seed)
        rows, weights, _ = after_draws(sample)
        after = before if rows is sample.prior_rows else simulate(cfg, seed=seed, values=rows)
        fc = _forecast_dataset(after, before, None, table.as_of, weights)
        fc.attrs.update(kind="status: the whole cohort under the posterior draws", status=table.source)
        return Monitoring(parameters=params, forecast=fc, status=table,
                          measure_next=what_to_measure_next(after, weights, model, seed))

    reg = register if isinstance(register, Register) else read_register(register, cfg, as_of)
    ledger = realised_ledger(cfg, reg)
    settlement = settle_realised(cfg, ledger)
    sample = sample_posterior(model.table, cfg.correlations, register_loglik(model, reg), draws, seed,
                              source="--register", reads=outcome_slots(model))
    params = posterior_dataset(model, sample, {"as_of": reg.as_of_month, "participants": len(reg.participants),
                                               "draws": draws, "seed": seed, "data": reg.source,
                                               "data_kind": "register"})
    before = simulate(cfg, draws=draws, seed=seed)
    rows, weights, _ = after_draws(sample)
    after, info = reforecast(cfg, reg, rows, seed, model=model)
    fc = _forecast_dataset(after, before, ledger, reg.as_of, weights)
    fc.attrs.update(kind="register: every participant continued from the census", register=reg.source, **info)
    return Monitoring(parameters=params, forecast=fc, ledger=ledger, settlement=settlement,
                      measure_next=what_to_measure_next(after, weights, model, seed))


MEASURE_NEXT_BOOTSTRAP = 50
"""Bootstrap resamples of the monitor's value of information (its standard errors; simsav voi: 200)."""
MEASURE_NEXT_STREAM = 5
"""Spawn key of the resampling of weighted draws for :func:`what_to_measure_next` (voi's bootstrap is 4)."""


def what_to_measure_next(after: xr.Dataset, weights: np.ndarray | None, model, seed: int) -> xr.Dataset | None:
    """Return the EVPPI per party of each uncertain outcome parameter the register measures (the
    ones its likelihood reads), under the posterior draws ``after``: what knowing it exactly would
    be worth to the party's decision to stay in, so which measurement to prioritise in the register.

    Weighted draws (simsav run's own, reweighted) are first resampled by their weights (systematic,
    seeded by ``seed``): the regression behind the EVPPI takes equally weighted draws.
    """
    from .smc import systematic_resample
    from .voi import MIN_DRAWS, evppi

    table = model.table
    names = [table.params[s].name for s in outcome_slots(model) if table.params[s].uncertain]
    names = list(dict.fromkeys(names))
    if not names or after.sizes["draw"] < MIN_DRAWS:
        return None
    res = after
    if weights is not None:
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(MEASURE_NEXT_STREAM,)))
        res = after.isel(draw=np.sort(systematic_resample(np.asarray(weights, float) / np.sum(weights), rng)))
    return evppi(res, parameters=names, n_boot=MEASURE_NEXT_BOOTSTRAP, seed=seed)



def realised_output(cfg: Config, register: Register, model) -> Output:
    """Return the months up to the census as the ledger counts them, as one kernel Output row:
    the register's lives paid at the point values in the program world, the base case's
    counterfactual beside them (both in the saving convention); months after the census 0."""
    row = model.table.point_row()
    real = ledger_of_register(register, cfg, model, row)
    cf = expected_of_world(model, row, W_COUNTERFACTUAL)
    c = register.as_of
    keep = np.arange(model.horizon) <= c
    flow = (real.flow + cf.flow) * keep
    occ = real.occupancy.copy()
    occ[:, W_COUNTERFACTUAL] = cf.occupancy[:, W_COUNTERFACTUAL]
    events = real.events.copy()
    events[:, W_COUNTERFACTUAL] = cf.events[:, W_COUNTERFACTUAL]
    working = real.working.copy()
    working[:, W_COUNTERFACTUAL] = cf.working[:, W_COUNTERFACTUAL]
    return Output(flow, occ * keep, events * keep, working * keep, real.discount)


def reforecast(config: Config | str, register: Register, rows: np.ndarray, seed: int, model=None):
    """Return (the results Dataset of realised + re-forecast per draw, info) for parameter rows
    ``rows`` (posterior draws): draw d continues the register's participants from the census with
    the random numbers of ``simsav run --seed seed``'s draw d (see the module docstring).
    ``info``: how the register's participants were matched to the config's cohort."""
    from ..model.forecast import forecast_population, run_forecast

    cfg = as_config(config)
    model = compile_config(cfg) if model is None else model
    c = register.as_of
    rows = np.ascontiguousarray(np.atleast_2d(rows), dtype=float)
    lives = register_lives(register, model)
    known = np.ones(len(model.item_ids), bool)
    from ..config.register import partial_items

    for item in partial_items(cfg):
        if item not in register.receives_items:
            known[model.item_ids.index(item)] = False
    future = run_forecast(model, rows, draw_keys(seed, np.arange(rows.shape[0])), lives, c, known)
    past = realised_output(cfg, register, model)
    out = Output(*(f + p for f, p in zip(future[:4], past[:4])), future.discount)
    pop = forecast_population(model, lives[0], c)
    ds = assemble(Labels.of(model, cfg), out, rows, mode="monte_carlo", seed=seed)
    info = {"as_of": register.as_of_month, "as_of_index": int(c), "participants": len(register.participants),
            "planned_not_registered": int(pop.left_out), "registered_beyond_plan": int(pop.extra),
            "yet_to_start": int(len(pop.planned))}
    return ds, info


def _quantiles(x: np.ndarray, q, weights: np.ndarray | None) -> np.ndarray:
    """Quantiles ``q`` over the draws (axis 0) of ``x``: numpy's (as simsav run's summaries) without
    weights, the weighted Hazen quantiles with them. Shape: q first, then x's other axes."""
    q = np.asarray(q, float)
    if weights is None:
        return np.quantile(x, q, axis=0)
    from .posterior import weighted_quantile

    flat = x.reshape(x.shape[0], -1)
    out = np.stack([weighted_quantile(flat[:, k], weights, q) for k in range(flat.shape[1])], axis=-1)
    return out.reshape((len(q),) + x.shape[1:])


def _median_break_even(be: np.ndarray, weights: np.ndarray | None) -> float:
    """``summary.median_break_even``, weighted when ``weights`` are given (a draw that does not break
    even counts as later than any month)."""
    from .summary import median_break_even

    if weights is None:
        return median_break_even(be)
    x = np.where(np.isnan(be), np.inf, be)
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(weights[order])
    return float(x[order][np.searchsorted(cum, 0.5 * cum[-1])])


def _forecast_dataset(after: xr.Dataset, before: xr.Dataset, ledger: xr.Dataset | None, census: int,
                      weights: np.ndarray | None = None) -> xr.Dataset:
    """Return the before/after summary per party (names: FORECAST_DESCRIPTIONS). ``weights``: the
    after draws' weights when they are simsav run's own draws reweighted (None: equally weighted)."""
    parties = after["party"].values.tolist()
    months = after["month"].values
    q3 = (BAND[0], 0.5, BAND[1])
    ds = xr.Dataset(coords={"draw": after["draw"].values, "party": parties, "month": months,
                            "quantile": list(q3), "fan_quantile": list(FAN_QUANTILES)})
    ds = ds.assign_coords(date=("month", after["date"].values), party_name=("party", after["party_name"].values))
    for suffix, res, w in (("", after, weights), ("_before", before, None)):
        net = res["net"].transpose("draw", "party").values
        be = res["break_even_month"].transpose("draw", "party").values
        ds["net" + suffix] = (("draw", "party"), net)
        ds["net_mean" + suffix] = ("party", net.mean(axis=0) if w is None else w @ net)
        ds["net_quantile" + suffix] = (("party", "quantile"), _quantiles(net, q3, w).T)
        loss = (net < 0).astype(float)
        ds["p_loss" + suffix] = ("party", loss.mean(axis=0) if w is None else w @ loss)
        ds["break_even_month" + suffix] = (("draw", "party"), be)
        ds["break_even_median" + suffix] = ("party", [_median_break_even(be[:, k], w) for k in range(len(parties))])
        cum = res["cum_net"].transpose("draw", "party", "month").values
        ds["cum_net_quantile" + suffix] = (("fan_quantile", "party", "month"), _quantiles(cum, FAN_QUANTILES, w))
    ds["weight"] = ("draw", np.full(ds.sizes["draw"], 1.0 / ds.sizes["draw"]) if weights is None else weights)
    realised = np.full((len(parties), len(months)), np.nan)
    if ledger is not None:
        flow = (ledger["counterfactual_spending"] - ledger["realised_spending"]).values  # item x month<=c
        item_party = ledger["item_party"].values
        for k, p in enumerate(parties):
            realised[k, : census + 1] = np.cumsum(flow[item_party == p].sum(axis=0))
    ds["realised_cum_net"] = (("party", "month"), realised)
    for name, text in FORECAST_DESCRIPTIONS.items():
        ds[name].attrs["description"] = text
    ds.attrs.update(census_index=int(census), draws=int(after.sizes["draw"]), seed=int(after.attrs.get("seed", -1)),
                    calendar_start=str(after.attrs.get("calendar_start", "")),
                    weighted=int(weights is not None))
    return ds
