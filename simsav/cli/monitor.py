"""``simsav monitor``: plan and realisation to date from a register or a status table (docs/monitoring.md)."""
from __future__ import annotations

import click

from ..errors import InputError
from .common import (
    check_out,
    checked,
    config_argument,
    draws_option,
    fail,
    lang_option,
    load,
    note_if_compiling,
    resolve_lang,
    seed_option,
)


def split_errors(e: InputError) -> list[InputError]:
    """A register's problems one a line: ``error: FILE:ROW:COLUMN: message``."""
    from ..config.register import split_errors as split

    return split(e)


@click.command("monitor")
@config_argument()
@click.option("--register", "register", type=click.Path(dir_okay=False, path_type=str), default=None,
              metavar="FILE", help="The participant register (.csv or .xlsx).")
@click.option("--status", "status", type=click.Path(dir_okay=False, path_type=str), default=None,
              metavar="FILE", help="Instead: an aggregate status table (.csv or .xlsx): the states at its census.")
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM",
              help="The census month [register: default the month of its latest event; status: its census].")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=str), default=None, metavar="FILE",
              help="Also write the ledger and the settlement as netCDF (.nc): the names are in docs/monitoring.md.")
@draws_option()
@seed_option()
@lang_option()
def command(config, register, status, as_of, out, draws, seed, lang):
    """Plan and realisation to date, per party ("plan en realisatie").

    With --register: the euros per party and item spent to the census month (the register's
    months in each state x the config's rates, its events x the amounts), beside the base case
    of the same months; the participants per state and the events to date; and the settlement of
    each calendar year the census has closed (who pays whom under the standard rules and the
    config's [agreement], from that year's realised costs, savings and successes); and the outcome
    parameters before and after the register (--draws prior draws weighted by the register's
    likelihood, the effective sample size reported). With --status: the
    states at the census beside the base case's. Nothing about an individual is printed.

    \b
    Examples:
      simsav monitor configs/drechtsteden.toml --register configs/drechtsteden-register-synthetic-2020-05.csv --as-of 2020-05
      simsav monitor configs/drechtsteden.toml --status configs/drechtsteden-status-2020-05.csv --lang nl
    """
    from ..model.simulate import check_draws, check_seed

    problems = checked(lambda: check_draws(draws, "--draws"), lambda: check_seed(seed, "--seed"))
    if (register is None) == (status is None):
        problems.append(InputError("--register", "give either --register FILE or --status FILE"))
    if out is not None:
        problems += checked(lambda: check_out(out, "--out", inputs=[config] + [f for f in (register, status) if f]))
        if not out.lower().endswith(".nc"):
            problems.append(InputError("--out", f"the file name must end in .nc, got {out!r}"))
    cfg = load(config, *problems)
    lang = resolve_lang(lang, cfg)
    from ..config.register import check_as_of, read_register, read_status

    try:
        if as_of is not None:
            check_as_of(as_of, cfg)
        if status is not None:
            table = read_status(status, cfg)
            if as_of is not None and check_as_of(as_of, cfg) != table.as_of:
                raise InputError("--as-of", f"{as_of} is not the status table's census {table.census}")
        else:
            reg = read_register(register, cfg, as_of)
    except InputError as e:
        fail(*split_errors(e))
    note_if_compiling(False, True)
    from ..present.texts import section

    t = section("monitor")[lang]
    if status is not None:
        import simsav

        from ..present.monitor import format_counts

        base = simsav.base_case(cfg)
        occ = base["occupancy"].sel(world="program").isel(month=table.as_of)
        if "draw" in occ.dims:
            occ = occ.isel(draw=0)
        plan = dict(zip(occ["state"].values.tolist(), occ.values.tolist()))
        ev = base["events"].sel(world="program").isel(month=slice(0, table.as_of + 1)).sum(("stream", "month"))
        if "draw" in ev.dims:
            ev = ev.isel(draw=0)
        plan_events = dict(zip(ev["event"].values.tolist(), ev.values.tolist()))
        click.echo(format_counts(t["status_title"].format(status=status, n=table.total, as_of=table.census),
                                 table.states, table.events, lang, plan_states=plan, plan_events=plan_events,
                                 as_of=table.census))
        click.echo("\n" + t["status_note"])
        return
    import xarray as xr

    from ..analysis.monitor import realised_ledger, settle_realised
    from ..present.monitor import format_ledger, format_settlement

    ds = realised_ledger(cfg, reg)
    st = settle_realised(cfg, ds)
    click.echo(format_ledger(ds, cfg.title, lang, cfg.cohort.start))
    names = dict(zip(ds["party"].values.tolist(), ds["party_name"].values.tolist()))
    click.echo("\n" + format_settlement(st, names, lang))
    from ..analysis.posterior import posterior
    from ..present.labels import parameter_labels
    from ..present.monitor import format_posterior

    post = posterior(cfg, reg, draws=draws, seed=seed)
    click.echo("\n" + format_posterior(post, parameter_labels(cfg, lang), lang))
    ds = xr.merge([ds, st], combine_attrs="no_conflicts")  # the settlement's names beside the ledger's
    if out is not None:
        from ..files import write_atomically

        try:
            write_atomically(out, lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"))
        except InputError as e:
            fail(e)
        click.echo("\n" + t["written"].format(what="ledger", path=out))
