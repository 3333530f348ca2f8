"""``simsav table``: the base-case business-case table, every line with its arithmetic."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from .common import check_out, checked, config_argument, fail, lang_option, load, note_if_compiling, resolve_lang, say

FORMATS = ["text", "markdown", "csv", "json", "xlsx"]


def _check_xlsx(fmt: str, out: str | None) -> None:
    if fmt != "xlsx":
        return
    if out is None:
        raise InputError("--out", "--format xlsx writes a workbook: give --out FILE.xlsx")
    from ..present.xlsx import check_xlsx_path

    check_xlsx_path(out, "--out")


@click.command("table")
@config_argument()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format. xlsx: a workbook with live formulas (needs --out).")
@click.option("--by", "by", type=click.Choice(["year"]), default=None,
              help="Also split each line, each party and the totals per calendar year "
                   "(xlsx: a sheet per year and an overview).")
@click.option("--out", "-o", "out", type=click.Path(dir_okay=False, path_type=str), default=None, metavar="FILE",
              help="Write the table to FILE (atomically) instead of printing it; required for xlsx, "
                   "whose FILE ends in .xlsx.")
@lang_option("the table as text, markdown or xlsx (csv and json stay English)")
def command(config, fmt, by, out, lang):
    """Print the base-case business-case table: every line with its arithmetic, per party, totals.

    Totals include SROI, the saving per successful placement and break-even two ways, both in
    successes (successful placements, not months): the source's (costs / saving per success)
    and with work-linked costs growing with successes. Lines outside the source's table are
    shown apart and are not in its totals.

    With --format xlsx the workbook has each line's driver numbers (count, hours, rate, share)
    in cells and its amount, the party totals, SROI and both break-evens as formulas of them.

    \b
    Examples:
      simsav table configs/twente.toml
      simsav table configs/twente.toml --format markdown --by year
      simsav table configs/holland-rijnland.toml --format json
      simsav table configs/twente.toml --format xlsx --by year --out twente.xlsx
    """
    problems = checked(lambda: _check_xlsx(fmt, out), lambda: out is not None and check_out(out, "--out"))
    cfg = load(config, *problems)
    lang = resolve_lang(lang, cfg)
    from ..analysis.table import business_case_table

    note_if_compiling(monte_carlo=False, expected=True)
    table = business_case_table(cfg, by_year=by == "year")
    if out is None:
        from ..present.business_case import render

        text = render(table, fmt, lang)
        click.echo(text, nl=not text.endswith("\n"))  # csv ends its last row with a line break already
        return
    from ..files import write_atomically

    try:
        check_out(out, "--out")  # again: something may have changed while the base case ran
        if fmt == "xlsx":
            from ..present.xlsx import write_table_workbook

            write_table_workbook(table, Path(out), lang)
        else:
            from ..present.business_case import render

            text = render(table, fmt, lang)
            if not text.endswith("\n"):
                text += "\n"
            write_atomically(out, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    except InputError as e:
        fail(e)
    except OSError as e:
        fail(InputError("--out", f"{out!r} cannot be written: {e.strerror or e}"))
    say(lang, "table_written", path=out)
