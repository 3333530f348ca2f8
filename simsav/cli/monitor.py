"""``simsav monitor``: plan and realisation to date from a register or a status table (docs/monitoring.md)."""
from __future__ import annotations

import os

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
    use_agg,
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
              metavar="FILE", help="Instead: an aggregate status table (.csv or .xlsx): the counts at its census.")
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM",
              help="The census month [register: default the month of its latest event; status: its census].")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=str), default=None, metavar="FILE",
              help="Also write the ledger, the settlement, the parameters and the forecast as netCDF (.nc): the "
                   "names are in docs/monitoring.md.")
@click.option("--report", "report", type=click.Path(dir_okay=False, path_type=str), default=None, metavar="FILE",
              help="Also write the monitoring report: one self-contained HTML page (.html) for a board.")
@draws_option()
@seed_option()
@lang_option()
def command(config, register, status, as_of, out, report, draws, seed, lang):
    """Plan and realisation, the settlement, the updated parameters and where it will end.

    With --register: the euros per party and item spent to the census month (the register's
    months in each state x the config's rates, its events x the amounts), beside the base case
    of the same months; the participants per state and the events to date; the settlement of
    each calendar year the census has closed (who pays whom under the standard rules and the
    config's [agreement], from that year's realised costs, savings and successes); the outcome
    parameters before and after the register (--draws posterior draws by sequential Monte Carlo
    on the register's exact likelihood); and per party the net over the horizon before (simsav
    run with the same --draws and --seed) and after: realised to the census, then every
    participant continued from their state under the updated parameters.
    With --status: the counts at the census beside the base case's, the parameters updated by
    the counts, and the forecast with them. Nothing about an individual is printed.

    \b
    Examples:
      simsav monitor configs/drechtsteden.toml --register configs/drechtsteden-register-synthetic-2020-05.csv --as-of 2020-05
      simsav monitor configs/drechtsteden.toml --status configs/drechtsteden-status-2020-05.csv --lang nl --draws 500
      simsav monitor configs/drechtsteden.toml --register configs/drechtsteden-register-synthetic-2020-05.csv --report monitor.html --out monitor.nc
    """
    from ..model.simulate import check_draws, check_seed

    problems = checked(lambda: check_draws(draws, "--draws"), lambda: check_seed(seed, "--seed"))
    if (register is None) == (status is None):
        problems.append(InputError("--register", "give either --register FILE or --status FILE"))
    inputs = [config] + [f for f in (register, status) if f]
    for path, option, suffix in ((out, "--out", ".nc"), (report, "--report", ".html")):
        if path is None:
            continue
        problems += checked(lambda: check_out(path, option, inputs=inputs))
        if not path.lower().endswith(suffix):
            problems.append(InputError(option, f"the file name must end in {suffix}, got {path!r}"))
    if out is not None and report is not None and os.path.abspath(out) == os.path.abspath(report):
        problems.append(InputError("--report", "is the same file as --out"))
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
    note_if_compiling(True, True)
    from ..analysis.forecast import monitor
    from ..present.labels import parameter_labels
    from ..present.monitor import (
        format_counts, format_forecast, format_ledger, format_measure_next, format_posterior, format_settlement,
    )
    from ..present.texts import section

    t = section("monitor")[lang]
    try:
        mon = monitor(cfg, reg if status is None else None, status=table if status is not None else None,
                      draws=draws, seed=seed)
    except InputError as e:
        fail(e)
    names = {p.id: p.name for p in cfg.parties}
    if status is not None:
        import simsav

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
    else:
        click.echo(format_ledger(mon.ledger, cfg.title, lang, cfg.cohort.start))
        click.echo("\n" + format_settlement(mon.settlement, names, lang))
    click.echo("\n" + format_posterior(mon.parameters, parameter_labels(cfg, lang), lang))
    click.echo("\n" + format_forecast(mon.forecast, names, lang))
    click.echo("\n" + format_measure_next(mon.measure_next, parameter_labels(cfg, lang), names, lang))
    html = None
    if report is not None:
        use_agg()
        from ..present.report import render_monitor_report

        data = f"--register {register}" if register is not None else f"--status {status}"
        html = render_monitor_report(mon, cfg, lang=lang, command=(
            f"simsav monitor {config} {data} --as-of {mon.parameters.attrs['as_of']} --draws {draws} --seed {seed} "
            f"--lang {lang}"))
    from ..files import write_atomically

    try:
        if out is not None:
            mon.to_netcdf(out)
        if html is not None:
            from pathlib import Path

            write_atomically(report, lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))
    except InputError as e:
        fail(e)
    if out is not None:
        click.echo("\n" + t["written" if status is None else "written_status"].format(path=out))
    if report is not None:
        click.echo(t["written_report"].format(path=report))
