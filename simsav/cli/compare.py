"""``simsav compare``: scenarios side by side per party, and their paired differences from the first."""
from __future__ import annotations

from contextlib import nullcontext

import click

from ..errors import InputError
from .common import (
    check_out, checked, draws_option, fail, handle_sigterm, lang_option, made_dir, note_if_compiling,
    progress_option, resolve_lang, say, seed_option,
)


@click.command("compare")
@click.argument("configs", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=str))
@draws_option()
@seed_option()
@click.option("--unpaired", is_flag=True,
              help="Give every scenario its own draws (the difference's band is then as wide as both together).")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Also write the comparison (every draw of every scenario, the summaries) to this netCDF file.")
@progress_option()
@click.option("--scheduler", default=None, metavar="local|ADDRESS",
              help="Run the draws on dask.distributed ('local' or tcp://host:8786). Same results as here.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None,
              help="Draws per task (default: about a million agent-lives). Never changes results.")
@lang_option("what it prints")
def command(configs, draws, seed, unpaired, out, progress, scheduler, chunk_size, lang):
    """Compare scenarios: net, band, P(net > 0), break-even and SROI per party, side by side,
    and each scenario's paired difference from the first (the base).

    Every scenario runs on the same seed and takes the base's draws of the uncertainties they
    share and the same participants' chances, so "B minus A" has its own, narrower band. The
    base's numbers are the ones `simsav run` prints for it with the same seed.

    \b
    Examples:
      simsav compare configs/holland-rijnland.toml configs/scenarios/hr-240.toml
      simsav compare configs/holland-rijnland.toml configs/scenarios/hr-not-eligible.toml --draws 5000
      simsav compare configs/twente.toml configs/scenarios/twente-epa-only.toml --out twente.nc
    """
    from ..analysis.compare import MAX_SCENARIOS
    from ..config import load_config
    from ..model.cluster import check_scheduler
    from ..model.simulate import check_draws, check_seed

    handle_sigterm()
    problems = checked(lambda: check_draws(draws, "--draws"), lambda: check_seed(seed, "--seed"),
                       lambda: out is not None and check_out(out, "--out", inputs=list(configs)),
                       lambda: check_scheduler(scheduler, reach=False))
    if len(configs) < 2:
        problems.append(InputError("CONFIGS", f"give at least two configs (the first is the base), got {len(configs)}"))
    if len(configs) > MAX_SCENARIOS:
        problems.append(InputError("CONFIGS", f"compare at most {MAX_SCENARIOS} scenarios at once, got {len(configs)}"))
    if draws == 1:
        problems.append(InputError("--draws", "a comparison needs at least 2 draws (a variance), got 1"))
    cfgs = []
    for path in configs:
        try:
            cfgs.append(load_config(path))
        except InputError as e:
            problems.append(e)
    if problems:
        fail(*problems)
    lang = resolve_lang(lang, cfgs[0])
    if scheduler is not None:
        try:
            check_scheduler(scheduler)
        except InputError as e:
            fail(e)
    from ..analysis.compare import compare
    from ..model.quiet_dask import without_dask
    from ..present.compare import format_compare

    note_if_compiling(monte_carlo=True)
    try:
        with nullcontext() if scheduler is not None else without_dask():
            ds = compare(cfgs, draws=draws, seed=seed, paired=not unpaired, chunk_size=chunk_size,
                         scheduler=scheduler, progress=progress)
    except InputError as e:
        fail(e)
    click.echo(format_compare(ds, lang))
    if out is not None:
        from pathlib import Path

        from ..files import write_atomically

        with made_dir(Path(out).parent, "--out"):
            try:
                check_out(out, "--out", inputs=list(configs))
                write_atomically(Path(out), lambda tmp: ds.to_netcdf(tmp, engine="h5netcdf"))
            except InputError as e:
                fail(e)
        click.echo("")
        say(lang, "results_written", path=out)

