"""``simsav report``: the business case as one self-contained HTML page for a board."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from .common import check_out, checked, config_argument, fail, lang_option, load, note_if_compiling, resolve_lang, say, use_agg

@click.command("report")
@config_argument()
@lang_option("the page")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="HTML file to write [default: <config name>-report.html in the current directory].")
@click.option("--draws", "-n", type=int, default=2000, show_default=True,
              help="Monte Carlo draws (parameter sets, each with a simulated cohort).")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="Random seed: results depend only on (config, seed, draws).")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: when a terminal].")
def command(config, lang, out, draws, seed, progress):
    """Write a self-contained HTML report for a board: key figures per party in plain language,
    the fan chart, costs and savings by item, the top drivers, the sharing rules and every
    uncertain assumption with its source.

    The file has its figures and styles inside it: it opens without a network and can be mailed.

    \b
    Examples:
      simsav report configs/holland-rijnland.toml
      simsav report configs/holland-rijnland.toml --lang en --out hr-board.html
      simsav report configs/drechtsteden.toml --draws 500 --seed 3
    """
    from ..model.simulate import check_draws, check_seed

    # Every problem with the options and the config is reported at once, before any work.
    out_path = Path(out) if out else Path(Path(config).stem + "-report.html")
    problems = checked(lambda: check_draws(draws, "--draws"), lambda: check_seed(seed, "--seed"),
                       lambda: check_out(out if out is not None else out_path, "--out", inputs=[config]))
    cfg = load(config, *problems)
    lang = resolve_lang(lang, cfg)
    use_agg()
    from ..present.report import build_report, write_report

    command = f"simsav report {config} --lang {lang} --draws {draws} --seed {seed}"
    try:
        note_if_compiling(monte_carlo=True, expected=True)
        html = build_report(cfg, draws=draws, seed=seed, lang=lang, progress=progress, command=command)
        write_report(html, out_path)
    except InputError as e:
        fail(e)
    size = len(html.encode('utf-8')) / 1e6
    say(lang, "report_written", path=out_path, mb=f"{size:.1f}" if lang == "en" else f"{size:.1f}".replace(".", ","))
