"""``simsav run``: simulate a business case, print the table per party, write the results file."""
from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import click

from ..errors import InputError
from .common import (
    check_out, check_plots_dir, checked, config_argument, draws_option, fail, load, made_dir, note_if_compiling,
    lang_option, progress_option, resolve_lang, say, seed_option, write_main_figures_to,
)


@click.command("run")
@config_argument()
@draws_option()
@seed_option()
@click.option("--out", "-o", type=click.Path(path_type=str), default=None,  # a zarr store is a directory
              help="netCDF results file [default: results/<config name>.nc]; of a national config, a zarr "
                   "store NAME.zarr [default: results/<config name>.zarr].")
@click.option("--base-case", is_flag=True, help="Deterministic base case (point values, expected outcomes).")
@progress_option()
@click.option("--scheduler", default=None, metavar="local|ADDRESS",
              help="Run the draws on dask.distributed: 'local' starts a LocalCluster with a worker per core, "
                   "or give a scheduler address (tcp://host:8786). Same results as a local run.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None,
              help="Draws per task (default: about a million agent-lives). Never changes results.")
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=str), default=None, metavar="FILE",
              help="Also write the per-party summary (as formulas) and the nets per draw to FILE.xlsx.")
@click.option("--plots", type=click.Path(path_type=str), default=None, metavar="DIR",
              help="Also write the main figures as PNG to DIR (created if its parent exists): fan chart, "
                   "net distribution, break-even ECDF, costs and savings by item.")
@lang_option("what it prints, the workbook and the figures")
def command(config, draws, seed, out, base_case, progress, scheduler, chunk_size, xlsx, plots, lang):
    """Simulate a business case; print costs, savings, net and break-even per party.

    Writes the full results (an xarray Dataset, see docs/results.md) as netCDF.

    \b
    Examples:
      simsav run configs/holland-rijnland.toml
      simsav run configs/twente.toml --base-case
      simsav run configs/holland-rijnland.toml --draws 10000 --seed 7 --out hr.nc
      simsav run configs/holland-rijnland.toml --draws 100000 --scheduler local
      simsav run configs/holland-rijnland.toml --plots figures
      simsav run configs/holland-rijnland.toml --xlsx holland-rijnland.xlsx
      simsav run configs/national.toml --scheduler local --out national.zarr

    A national config (top-level [[regions]], docs/national.md) runs every region and writes a
    zarr store (default results/<config name>.zarr), each chunk of draws by whoever computes it.
    """
    from ..config.national import is_national
    from ..model.simulate import check_draws, check_seed

    if is_national(config):
        return _run_national(config, draws, seed, out, base_case, progress, scheduler, chunk_size, xlsx, plots, lang)
    # Every problem with the options and the config is reported at once, before any work.
    out_path = Path(out) if out is not None else Path("results") / (Path(config).stem + ".nc")
    from ..model.cluster import check_scheduler
    from ..present.xlsx import check_run_workbook

    problems = checked(lambda: check_draws(draws, "--draws"), lambda: check_seed(seed, "--seed"),
                       lambda: out is not None and check_out(out, "--out", inputs=[config]),
                       lambda: plots is not None and check_plots_dir(plots, "--plots", inputs=[config]),
                       lambda: check_scheduler(scheduler, base_case=base_case, reach=False),
                       lambda: xlsx is not None and check_out(xlsx, "--xlsx", inputs=[config]),
                       lambda: xlsx is not None and check_run_workbook(xlsx, 1 if base_case else draws, "--xlsx"))
    cfg = load(config, *problems)
    lang = resolve_lang(lang, cfg)
    from ..model import simulate as sim

    if not base_case:
        _check_disk(cfg, draws, out_path)
    if scheduler is not None:  # reachable, a dask scheduler, with workers: before any work
        try:
            check_scheduler(scheduler)
        except InputError as e:
            fail(e)
    from ..model.quiet_dask import without_dask
    from ..model.results import write_results
    from ..present.console import format_run

    with made_dir(out_path.parent, "--out"):  # results/ is made, and not left behind empty
        try:
            check_out(out_path, "--out", inputs=[config])
            note_if_compiling(monte_carlo=not base_case, expected=True)
            with nullcontext() if scheduler is not None else without_dask():
                if base_case:
                    ds = sim.base_case(cfg)
                    write_results(ds, out_path)
                else:  # written chunk by chunk: memory holds one chunk, however many draws
                    ds = sim.simulate(cfg, draws=draws, seed=seed, progress=progress, scheduler=scheduler,
                                      chunk_size=chunk_size, out=out_path)
                click.echo(format_run(ds, lang))
            if xlsx is not None:
                from ..present.xlsx import write_run_workbook

                write_run_workbook(ds, xlsx, lang)
        except InputError as e:
            fail(e)
    click.echo("")
    say(lang, "results_written", path=out_path)
    if xlsx is not None:
        say(lang, "workbook_written", path=xlsx)
    if plots is not None:
        write_main_figures_to(ds, plots, lang=lang)


def _run_national(config, draws, seed, out, base_case, progress, scheduler, chunk_size, xlsx, plots, lang):
    """``simsav run NATIONAL.toml``: every region, national totals, written to a zarr store."""
    from ..config.national import load_national
    from ..model.cluster import check_scheduler
    from ..model.national import check_zarr_target, simulate_national
    from ..model.simulate import check_draws, check_seed
    from ..present.national import format_national

    not_here = "does not apply to a national config (it runs every region's draws; run a region's own config for it)"
    out_path = Path(out) if out is not None else Path("results") / (Path(config).stem + ".zarr")
    problems = checked(lambda: check_draws(draws, "--draws"), lambda: check_seed(seed, "--seed"),
                       lambda: out is not None and check_zarr_target(out),
                       lambda: check_scheduler(scheduler, reach=False))
    problems += [InputError(name, not_here) for name, given in
                 (("--base-case", base_case), ("--xlsx", xlsx is not None), ("--plots", plots is not None)) if given]
    nat = load(config, *problems, loader=load_national)
    lang = resolve_lang(lang, nat)
    if scheduler is not None:
        try:
            check_scheduler(scheduler)
        except InputError as e:
            fail(e)
    with made_dir(out_path.parent, "--out"):
        try:
            check_zarr_target(out_path)
            note_if_compiling(monte_carlo=True)
            ds = simulate_national(nat, draws=draws, seed=seed, scheduler=scheduler, out=out_path,
                                   chunk_size=chunk_size, progress=progress)
            from ..present.labels import parameter_labels

            click.echo(format_national(ds, lang, parameter_labels(nat.regions[0].config, lang)))
        except InputError as e:
            fail(e)
    from ..present.formats import plain
    from ..present.texts import text

    click.echo("")
    click.echo(text(lang, "national_console", "written", path=plain(str(out_path))))


def _check_disk(cfg, draws: int, out_path: Path) -> None:
    """Fail before any work when the results of ``draws`` draws would not fit on the disk."""
    import shutil

    from ..model.compile import compile_config
    from ..model.simulate import estimated_file_bytes

    need = estimated_file_bytes(compile_config(cfg), draws)
    where = out_path.parent if str(out_path.parent) else Path(".")
    while not where.is_dir() and where != where.parent:  # results/ may not be made yet
        where = where.parent
    free = shutil.disk_usage(where).free
    if need > free:
        fail(InputError("--draws", f"{draws:,} draws would write about {_size(need)} to "
                                   f"{str(out_path.parent or '.')!r}, which has {_size(free)} free: run fewer "
                                   "draws, or give --out on a larger disk"))


def _size(n: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} PB"  # pragma: no cover
