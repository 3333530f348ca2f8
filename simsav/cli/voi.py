"""``simsav voi``: what knowing each uncertain parameter exactly is worth to each party's decision
to join (simsav.analysis.voi): the EVPPI per parameter, in euros with its error, and the EVPI.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from .common import (
    check_out, checked, config_argument, fail, lang_option, load, note_if_compiling, progress_option, resolve_lang,
)

DEFAULT_DRAWS = 4000
MAX_DRAWS = 200_000
"""The most --draws takes: the draws are held in memory (a results file is not written)."""
MAX_BOOT = 10_000
# Options of this command named by the API's argument names in its InputErrors.
_OPTION_OF = {"parameters": "--parameter", "groups": "--group", "draws": "--draws", "seed": "--seed",
              "n_boot": "--boot"}


def _as_option(e: InputError) -> InputError:
    return InputError(_OPTION_OF.get(e.source, e.source), e.problems)


def _groups(given) -> dict[str, list[str]]:
    """Return ``--group NAME=P1,P2`` options as ``{NAME: [P1, P2]}``; InputError naming --group."""
    groups: dict[str, list[str]] = {}
    for g in given:
        name, eq, members = g.partition("=")
        names = [m.strip() for m in members.split(",") if m.strip()]
        if not eq or not name.strip() or not names:
            raise InputError("--group", f"must be NAME=PARAMETER,PARAMETER,..., got {g!r}")
        if name.strip() in groups:
            raise InputError("--group", f"group {name.strip()!r} is given twice")
        groups[name.strip()] = names
    return groups


@click.command("voi")
@config_argument()
@click.option("--draws", "-n", type=int, default=DEFAULT_DRAWS, show_default=True,
              help="Monte Carlo draws (parameter sets, each with a simulated cohort).")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="Random seed of the draws and the bootstrap: results depend only on (config, seed, draws).")
@click.option("--parameter", "-p", "parameters", multiple=True, metavar="NAME",
              help="Value this parameter (a distribution's name or its path; repeat for more) "
                   "[default: every uncertain parameter].")
@click.option("--group", "groups", multiple=True, metavar="NAME=P1,P2,...",
              help="Also value knowing these parameters together (one measurement of all of them); repeatable.")
@click.option("--boot", "n_boot", type=int, default=200, show_default=True,
              help="Bootstrap resamples for the standard errors.")
@click.option("--top", type=int, default=10, show_default=True, help="Parameters listed per party.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Also write the value-of-information Dataset to this netCDF file.")
@progress_option()
@lang_option("what it prints")
def command(config, draws, seed, parameters, groups, n_boot, top, out, progress, lang):
    """What knowing each uncertain parameter exactly would be worth to each party's decision to join.

    Each party joins when its expected net is positive. For each uncertain parameter (or
    --group of them) the expected value of perfect partial information (EVPPI) is what it
    would be worth to the party, in euros, to know that parameter exactly before deciding;
    the EVPI is what knowing everything would be worth. Estimated from --draws Monte Carlo
    draws by regression of net on the parameter (Strong, Oakley & Brennan 2014), with
    bootstrap standard errors. Measure first what ranks high for the parties whose decision
    is close. See docs/voi.md.

    \b
    Examples:
      simsav voi configs/holland-rijnland.toml --draws 4000
      simsav voi configs/holland-rijnland.toml --draws 8000 --parameter job_retention_12m
      simsav voi configs/holland-rijnland.toml --draws 4000 --group outcomes=placement_probability,job_retention_12m
      simsav voi configs/holland-rijnland.toml --draws 4000 --lang nl --out voi.nc
    """
    from ..model.simulate import check_draws, check_seed

    group_map: dict[str, list[str]] = {}

    def parse_groups():
        group_map.update(_groups(groups))

    problems = checked(lambda: check_draws(draws, "--draws"), lambda: check_seed(seed, "--seed"),
                       lambda: out is not None and check_out(out, "--out", inputs=[config]), parse_groups)
    if draws is not None and draws > MAX_DRAWS:
        problems.append(InputError("--draws", f"must be at most {MAX_DRAWS:,} (the draws are held in memory), "
                                              f"got {draws:,}"))
    if draws is not None and 0 < draws < 200:
        problems.append(InputError("--draws", f"must be at least 200 for a regression of net on a parameter, "
                                              f"got {draws}"))
    if n_boot < 2 or n_boot > MAX_BOOT:
        problems.append(InputError("--boot", f"must be between 2 and {MAX_BOOT:,}, got {n_boot}"))
    if top <= 0:
        problems.append(InputError("--top", f"must be at least 1, got {top}"))
    cfg = load(config, *problems)
    lang = resolve_lang(lang, cfg)
    from ..analysis.voi import value_of_information
    from ..present.labels import with_labels
    from ..present.voi import format_voi

    try:
        note_if_compiling(monte_carlo=True, expected=True)
        ds = value_of_information(cfg, draws=draws, seed=seed, parameters=list(parameters) or None,
                                  groups=group_map or None, n_boot=n_boot, progress=progress)
    except InputError as e:
        fail(_as_option(e))
    click.echo(format_voi(with_labels(ds, cfg, lang), top=top, lang=lang))
    if out is not None:
        from ..files import write_atomically
        from ..present.voi import _v

        try:
            check_out(out, "--out", inputs=[config])
            write_atomically(Path(out), lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"), source="--out")
        except InputError as e:
            fail(e)
        click.echo("")
        click.echo(_v(lang, "written", path=out))
