"""``simsav share``: transfers and the side-by-side comparison of sharing rules (see docs/sharing.md)."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from .common import (
    check_plot_file, checked, fail, lang_option, load, load_results, note_if_compiling, resolve_lang, use_agg,
    write_plot_file,
)

RULE_CHOICES = ("costs-follow-benefits", "equal-return", "outcome-payments", "fixed-split", "agreement", "all")
SETTLE_CHOICES = ("ex-ante", "ex-post", "both")


@click.command("share")
@click.argument("config", metavar="CONFIG|RESULTS", type=click.Path(dir_okay=True, path_type=str))
@click.option("--rule", "-r", type=click.Choice(RULE_CHOICES), default="all", show_default=True,
              help="Sharing rule; 'all': the three standard rules and the config's [agreement], if any.")
@click.option("--settle", type=click.Choice(SETTLE_CHOICES), default=None,
              help="When transfers are fixed [default: both; with --rule agreement: the agreement's own].")
@click.option("--draws", "-n", type=int, default=2000, show_default=True,
              help="Monte Carlo draws (parameter sets, each with a simulated cohort).")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="Random seed: results depend only on (config, seed, draws).")
@click.option("--plot", "plot", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Also write a bar chart of the net per party before and after each rule (PNG, PDF or SVG).")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: when a terminal].")
@lang_option("what it prints and the figure (with RESULTS: the language of the config it was run from)")
def command(config, rule, settle, draws, seed, plot, progress, lang):
    """Compare sharing rules: who pays whom, and how sure each party can be.

    Prints the transfers between parties (payer -> receiver, over the horizon and per year)
    and, per party, the net before and after each rule, the chance of a loss P(net<0), the
    5th percentile and the break-even month, so a board can choose. docs/sharing.md explains
    the rules and the settlement.

    CONFIG is a config (simulated with --draws and --seed), or RESULTS a results file that
    `simsav run` wrote (.nc): its draws, base case and [agreement] are in it, so it needs
    neither the config nor a new run, and gives the same transfers wherever it is opened.

    \b
    Examples:
      simsav share configs/twente.toml
      simsav share configs/twente.toml --rule outcome-payments --settle ex-post
      simsav share configs/holland-rijnland.toml --rule agreement --draws 5000 --plot share.png
      simsav share results/holland-rijnland.nc
    """
    from ..analysis import sharing
    from ..model.results import agreement_of
    from ..model.simulate import check_draws, check_seed

    problems = checked(lambda: check_draws(draws, "--draws"), lambda: check_seed(seed, "--seed"),
                       lambda: plot is not None and check_plot_file(plot, "--plot", inputs=[config]))
    from_results = Path(config).suffix.lower() == ".nc"
    if from_results:
        ctx = click.get_current_context()
        for name in ("draws", "seed"):
            if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE:
                problems.append(InputError(f"--{name}", "a results file has its draws already; give --draws "
                                                        "and --seed with a config"))
        if problems:
            fail(*problems)
        ds = load_results(config)
        agreement = agreement_of(ds)
        lang = resolve_lang(lang, ds=ds)
    else:
        cfg = load(config, *problems)
        agreement = cfg.agreement
        lang = resolve_lang(lang, cfg)
    try:
        names = sharing.resolve_rules(rule, agreement)
        for name in names:
            sharing.rule_spec(name, agreement)
    except InputError as e:
        fail(InputError("--rule", e.problems))
    if settle is None:
        settle = agreement.settle if rule == "agreement" else "both"
    settles = list(sharing.SETTLEMENTS) if settle == "both" else [settle]
    from ..model.results import is_discounted
    from ..present.console import format_share

    try:
        if not from_results:
            from ..model.simulate import simulate

            note_if_compiling(monte_carlo=True, expected=True)
            ds = simulate(cfg, draws=draws, seed=seed, progress=progress)
        comparison = sharing.compare(ds, names, settles)
    except InputError as e:
        fail(e)
    click.echo(format_share(comparison, is_discounted(ds), lang))
    if plot is not None:
        use_agg()
        from ..present.plot import transfers_plot

        write_plot_file(transfers_plot(comparison, lang=lang), Path(plot), lang=lang)
