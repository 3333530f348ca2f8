"""The ``simsav`` command line. It calls the same Python API a notebook calls.

Bad input (config, option, file) ends with one message per problem naming the file or
option, the field and what is wrong, exit status 2, no traceback and nothing written.
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import click

from .errors import InputError

EXIT_BAD_INPUT = 2


def _fail(*errors: InputError):
    """Print one ``error: SOURCE: FIELD: what is wrong`` line per problem and exit with status 2."""
    for err in errors:
        for line in str(err).splitlines():
            click.echo(f"error: {line}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _load(config_path: str, *earlier: InputError):
    """Return the config; on bad input report ``earlier`` problems (options) and the config's, then exit."""
    from .config import load_config

    try:
        cfg = load_config(config_path)
    except InputError as e:
        _fail(*earlier, e)
    if earlier:
        _fail(*earlier)
    return cfg


def _usage_fail(e: click.UsageError):
    """Report a command-line usage error like any other bad input: one line, the option, exit 2."""
    param = getattr(e, "param", None)
    if isinstance(e, click.BadParameter) and not isinstance(e, click.MissingParameter) and param is not None:
        if param.param_type_name == "option":
            source = max(param.opts, key=len)
        else:
            source = param.human_readable_name
        click.echo(f"error: {source}: {e.message}", err=True)
    else:
        click.echo(f"error: {e.format_message()}", err=True)
    if e.ctx is not None:
        click.echo(f"(see '{e.ctx.command_path} --help')", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _k(x: float) -> str:
    """Euros in thousands with thousands separators, e.g. 1,234 for EUR 1,234,000."""
    if x is None or not math.isfinite(x):
        return "-"
    return f"{x / 1000:,.0f}"


def _band(s) -> str:
    return f"{_k(s.median)} [{_k(s.low)} .. {_k(s.high)}]"


def _mean_se(s) -> str:
    return f"{_k(s.mean)} ±{s.se / 1000:,.1f}"


def _month(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:.0f}"


def format_run(ds, cfg) -> str:
    """Return the per-party table printed by ``simsav run``."""
    from .summary import party_summary

    names = {p.id: p.name for p in cfg.parties}
    summ = party_summary(ds, names)
    mc = ds.attrs["mode"] == "monte_carlo"
    H = ds.attrs["horizon_months"]
    out = []
    if mc:
        head = (f"{cfg.title}\n{summ.draws:,} draws, seed {ds.attrs['seed']}, {ds.attrs['agents']} participants, "
                f"{H} months from {ds.attrs['calendar_start']}. Amounts in EUR 1,000 over the horizon"
                f"{' (discounted)' if _discounted(cfg) else ''}.")
    else:
        head = (f"{cfg.title}\nBase case (point values, expected outcomes), {ds.attrs['agents']} participants, "
                f"{H} months from {ds.attrs['calendar_start']}. Amounts in EUR 1,000.")
    out.append(head)
    out.append("")
    rows = summ.parties + [summ.total]
    if mc:
        header = ["party", "costs mean ±se", "savings mean ±se", "net median [5% .. 95%]", "net mean ±se",
                  "P(net>0)", "break-even month", "breaks even"]
        table = [header]
        for r in rows:
            table.append([
                r.name, _mean_se(r.costs), _mean_se(r.savings), _band(r.net), _mean_se(r.net),
                f"{r.p_positive:.2f}", _month(r.break_even.median), f"{r.p_break_even:.0%}",
            ])
    else:
        header = ["party", "costs", "savings", "net", "break-even month"]
        table = [header]
        for r in rows:
            table.append([r.name, _k(r.costs.mean), _k(r.savings.mean), _k(r.net.mean), _month(r.break_even.mean)])
    out.extend(_render(table, total_row=True))
    out.append("")
    if mc:
        out.append(f"SROI (savings per euro invested): median {summ.sroi.median:.2f} "
                   f"[{summ.sroi.low:.2f} .. {summ.sroi.high:.2f}], mean {summ.sroi.mean:.2f} ±{summ.sroi.se:.2f}")
        out.append(f"P(every party's net > 0): {summ.p_all_positive:.2f}")
        out.append("break-even month: median over the draws that break even within the horizon; "
                   "'breaks even': share of draws that do.")
    else:
        out.append(f"SROI (savings per euro invested): {summ.sroi.mean:.2f}")
    out.append("")
    table = [["stream", "placements" + (" median [5% .. 95%]  mean" if mc else ""),
              "successes (12 months)" + (" median [5% .. 95%]  mean" if mc else "")]]
    for s in list(summ.placements):
        p, q = summ.placements[s], summ.successes[s]
        if mc:
            table.append([s, f"{p.median:.0f} [{p.low:.0f} .. {p.high:.0f}]  {p.mean:.1f}",
                          f"{q.median:.0f} [{q.low:.0f} .. {q.high:.0f}]  {q.mean:.1f}"])
        else:
            table.append([s, f"{p.mean:.1f}", f"{q.mean:.1f}"])
    out.extend(_render(table, total_row=True))
    for w in summ.warnings:
        out.append("")
        out.append(f"warning: {w}")
    return "\n".join(out)


def _discounted(cfg) -> bool:
    from .distributions import point_value, is_uncertain

    return is_uncertain(cfg.cohort.discount_rate) or point_value(cfg.cohort.discount_rate) != 0


def _render(table, total_row=False) -> list[str]:
    widths = [max(len(str(r[i])) for r in table) for i in range(len(table[0]))]
    lines = []
    for k, r in enumerate(table):
        cells = [str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
        if k == 0 or (total_row and k == len(table) - 2):
            lines.append("  ".join("-" * w for w in widths))
    return lines


class _Group(click.Group):
    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        prog_name = prog_name or "simsav"
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as e:
            e.show()  # bare `simsav`: the help, as click shows it
            sys.exit(e.exit_code)
        except click.UsageError as e:
            _usage_fail(e)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(0)


@click.group(name="simsav", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="simsav", prog_name="simsav")
def main():
    """simsav: costs, savings and break-even per party of a shared-savings business case.

    \b
    Examples:
      simsav run configs/holland-rijnland.toml
      simsav validate configs/twente.toml
    """


@main.command()
@click.argument("config", type=click.Path(dir_okay=True, path_type=str))
@click.option("--draws", "-n", type=int, default=2000, show_default=True,
              help="Monte Carlo draws (parameter sets, each with a simulated cohort).")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="Random seed: results depend only on (config, seed, draws).")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="netCDF results file [default: results/<config name>.nc].")
@click.option("--base-case", is_flag=True, help="Deterministic base case (point values, expected outcomes).")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: when a terminal].")
@click.option("--scheduler", default=None, metavar="local|ADDRESS",
              help="Run the draws on dask.distributed: 'local' starts a LocalCluster with a worker per core, "
                   "or give a scheduler address (tcp://host:8786). Same results as a local run.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None,
              help="Draws per task (default: about a million agent-lives). Never changes results.")
@click.option("--plots", type=click.Path(path_type=str), default=None, metavar="DIR",
              help="Also write the main figures as PNG to DIR (created if its parent exists): fan chart, "
                   "net distribution, break-even ECDF, costs and savings by item.")
def run(config, draws, seed, out, base_case, progress, scheduler, chunk_size, plots):
    """Simulate a business case; print costs, savings, net and break-even per party.

    Writes the full results (an xarray Dataset, see docs/results.md) as netCDF.

    \b
    Examples:
      simsav run configs/holland-rijnland.toml
      simsav run configs/twente.toml --base-case
      simsav run configs/holland-rijnland.toml --draws 10000 --seed 7 --out hr.nc
      simsav run configs/holland-rijnland.toml --draws 100000 --scheduler local
      simsav run configs/holland-rijnland.toml --plots figures
    """
    from . import runner as sim
    from .results import write_netcdf

    # Every problem with the options and the config is reported at once, before any work.
    out_path = Path(out) if out else Path("results") / (Path(config).stem + ".nc")
    problems = []
    for check in (lambda: sim.check_draws(draws, "--draws"), lambda: sim.check_seed(seed, "--seed"),
                  lambda: out is not None and _check_out(out_path),
                  lambda: plots is not None and _check_plots_dir(Path(plots))):
        try:
            check()
        except InputError as e:
            problems.append(e)
    cfg = _load(config, *problems)
    if out is None:
        out_path.parent.mkdir(exist_ok=True)
    try:
        _check_out(out_path)
        note_if_compiling(monte_carlo=not base_case, expected=base_case)
        ds = sim.base_case(cfg) if base_case else sim.simulate(cfg, draws=draws, seed=seed, progress=progress,
                                                              scheduler=scheduler, chunk_size=chunk_size)
        click.echo(format_run(ds, cfg))
        write_netcdf(ds, out_path)
    except InputError as e:
        _fail(e)
    click.echo(f"\nresults written to {out_path}")
    if plots is not None:
        _write_plots(ds, cfg, Path(plots))


def _check_plots_dir(path: Path) -> None:
    """Raise InputError before any work when ``--plots DIR`` cannot be a directory of figures."""
    if path.exists() and not path.is_dir():
        raise InputError("--plots", f"{str(path)!r} exists and is not a directory")
    parent = path.parent if str(path.parent) else Path(".")
    if not path.exists() and not parent.is_dir():
        raise InputError("--plots", f"directory {str(parent)!r} does not exist (DIR itself is created, "
                                    "its parent is not)")
    target = path if path.exists() else parent
    if not os.access(target, os.W_OK):
        raise InputError("--plots", f"directory {str(target)!r} is not writable")


def _write_plots(ds, cfg, directory: Path) -> None:
    """Write the main figures of ``ds`` to ``directory`` as PNG (Agg: no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    from .plot import write_main_figures

    directory.mkdir(exist_ok=True)
    paths = write_main_figures(ds, directory, names=cfg)
    click.echo(f"figures written to {directory}: {', '.join(p.name for p in paths)}")


COMPILE_NOTE = "note: compiling the simulator for first use (once; later runs load it from cache)..."


def note_if_compiling(monte_carlo: bool = True, expected: bool = False) -> None:
    """Print the one-line compile note on stderr when the kernels about to run will JIT-compile."""
    from .runner import kernel_needs_compiling

    if kernel_needs_compiling(monte_carlo, expected):
        click.echo(COMPILE_NOTE, err=True)


FIGURE_SUFFIXES = (".png", ".pdf", ".svg")


def check_plot_file(path: Path, option: str = "--plot") -> None:
    """Raise InputError before any work when a figure cannot be written to ``path``."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(option, f"directory {str(parent)!r} does not exist")
    if path.is_dir():
        raise InputError(option, f"{str(path)!r} is a directory")
    if not os.access(parent, os.W_OK):
        raise InputError(option, f"directory {str(parent)!r} is not writable")
    if path.suffix.lower() not in FIGURE_SUFFIXES:
        raise InputError(option, f"the file name must end in {', '.join(FIGURE_SUFFIXES)}, got {path.name!r}")


def write_plot_file(fig, path: Path, option: str = "--plot") -> None:
    """Write ``fig`` to ``path`` atomically; say so, or fail with one message naming ``option``."""
    from .plot import save_figure

    try:
        save_figure(fig, path, dpi=130)
    except OSError as e:
        _fail(InputError(option, f"cannot write {str(path)!r}: {e.strerror or e}"))
    click.echo(f"\nplot written to {path}")


def _check_out(path: Path) -> None:
    """Raise InputError before any work when the results file cannot be written."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError("--out", f"directory {str(parent)!r} does not exist")
    if path.is_dir():
        raise InputError("--out", f"{str(path)!r} is a directory")
    if not os.access(parent, os.W_OK):
        raise InputError("--out", f"directory {str(parent)!r} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError("--out", f"{str(path)!r} exists and is not writable")


@main.command()
@click.argument("config", type=click.Path(dir_okay=True, path_type=str))
def validate(config):
    """Check a config and print what simsav understood of it.

    \b
    Example:
      simsav validate configs/holland-rijnland.toml
    """
    from .compile import compile_config
    from .distributions import describe

    cfg = _load(config)
    model = compile_config(cfg)
    lines = [f"{config}: valid", f"title: {cfg.title}", ""]
    lines.append("parties:")
    for p in cfg.parties:
        lines.append(f"  {p.id:<22} {p.name} ({p.role})")
    lines.append("")
    lines.append(f"cohort: {model.n_agents} participants, inflow over "
                 f"{len(cfg.cohort.inflow_weights) if cfg.cohort.inflow_weights else cfg.cohort.inflow_months} month(s), "
                 f"horizon {cfg.cohort.horizon_months} months from {cfg.cohort.start}, "
                 f"discount rate {describe(cfg.cohort.discount_rate)}")
    lines.append("streams:")
    counts = {s: 0 for s in model.stream_ids}
    for s, c in zip(model.row_stream, model.row_count):
        counts[model.stream_ids[s]] += int(c)
    for s in cfg.streams:
        benefit = (f"benefit {describe(s.monthly_benefit)}/month paid by {s.payer}, "
                   f"remaining {describe(s.benefit_months_remaining)} months ({s.benefit_months_law})"
                   if s.payer else "no benefit")
        lines.append(f"  {s.id:<22} {counts[s.id]:>5} participants, {s.benefit}, {benefit}, managed by {s.manager}")
    lines.append("")
    lines.append("items (saving = counterfactual minus program; program-only items are costs):")
    for i, iid in enumerate(model.item_ids):
        streams = [model.stream_ids[k] for k in range(len(model.stream_ids)) if model.item_streams[i, k]]
        streams_txt = "all streams" if len(streams) == len(model.stream_ids) else ", ".join(streams)
        worlds = "both worlds" if model.item_worlds[i].all() else ("program" if model.item_worlds[i, 0] else "counterfactual")
        extra = "" if model.item_in_table[i] else "  [outside the table]"
        lines.append(f"  {iid:<28} {model.item_kinds[i]:<6} paid by {model.party_ids[model.item_party[i]]:<16} "
                     f"{worlds}, {streams_txt}{extra}")
    lines.append("")
    unc = model.table.uncertain
    lines.append(f"uncertain numbers ({len(unc)}):" if unc else "uncertain numbers: none (every draw uses the same parameters)")
    for k in unc:
        p = model.table.params[k]
        label = p.name if p.name == p.path else f"{p.name} ({p.path})"
        lines.append(f"  {label:<60} {p.describe()}, base {p.point:g}")
    for c in cfg.correlations:
        lines.append(f"  rank correlation {c.rank:+.2f} between {c.between[0]} and {c.between[1]}")
    click.echo("\n".join(lines))


@main.command()
@click.argument("config", type=click.Path(dir_okay=True, path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "csv", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--by", "by", type=click.Choice(["year"]), default=None, help="Also split each line per calendar year.")
def table(config, fmt, by):
    """Print the base-case business-case table: every line with its arithmetic, per party, totals.

    Totals include SROI, the saving per successful placement and break-even two ways: the
    source's (costs / saving per success) and with work-linked costs growing with successes.

    \b
    Examples:
      simsav table configs/twente.toml
      simsav table configs/twente.toml --format markdown --by year
      simsav table configs/holland-rijnland.toml --format json
    """
    from .table import business_case_table, render

    cfg = _load(config)
    click.echo(render(business_case_table(cfg, by_year=by == "year"), fmt))


from .cli_sensitivity import sensitivity  # noqa: E402
main.add_command(sensitivity)

from .cli_share import share  # noqa: E402
main.add_command(share)

from .cli_report import report  # noqa: E402
main.add_command(report)


if __name__ == "__main__":  # pragma: no cover
    main()
