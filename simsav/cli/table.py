"""``simsav table``: the base-case business-case table, every line with its arithmetic."""
from __future__ import annotations

import click

from .common import config_argument, load, note_if_compiling


@click.command("table")
@config_argument()
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "csv", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--by", "by", type=click.Choice(["year"]), default=None, help="Also split each line per calendar year.")
def command(config, fmt, by):
    """Print the base-case business-case table: every line with its arithmetic, per party, totals.

    Totals include SROI, the saving per successful placement and break-even two ways: the
    source's (costs / saving per success) and with work-linked costs growing with successes.

    \b
    Examples:
      simsav table configs/twente.toml
      simsav table configs/twente.toml --format markdown --by year
      simsav table configs/holland-rijnland.toml --format json
    """
    cfg = load(config)
    from ..analysis.table import business_case_table
    from ..present.business_case import render

    note_if_compiling(monte_carlo=False, expected=True)
    click.echo(render(business_case_table(cfg, by_year=by == "year"), fmt))
