"""``simsav register``: a participant register for a config: an empty one to fill in, a synthetic
one drawn from the model, and the check of one (docs/monitoring.md)."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from .common import check_out, checked, config_argument, fail, load, lang_option, note_if_compiling, resolve_lang

SUFFIXES = (".csv", ".xlsx")


def check_table_path(path: str, option: str = "--out") -> None:
    """Raise InputError when ``path`` does not name a .csv or .xlsx file."""
    if Path(path).suffix.lower() not in SUFFIXES:
        raise InputError(option, f"the file name must end in .csv or .xlsx, got {Path(path).name!r}")





def split_errors(e: InputError) -> list[InputError]:
    """A register's problems one a line: ``error: FILE:ROW:COLUMN: message``."""
    from ..config.register import split_errors as split

    return split(e)


@click.group("register")
def command():
    """A participant register: template, synthetic register, check (docs/monitoring.md).

    \b
    Examples:
      simsav register template configs/drechtsteden.toml --out register.xlsx
      simsav register simulate configs/drechtsteden.toml --as-of 2020-05 --seed 1 --out demo.csv
      simsav register check configs/drechtsteden-register-synthetic-2020-05.csv --config configs/drechtsteden.toml
      simsav register check configs/drechtsteden-status-2020-05.csv --config configs/drechtsteden.toml
    """


@command.command("template")
@config_argument()
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=str), metavar="FILE",
              help="The register to write: FILE.csv or FILE.xlsx.")
def template(config, out):
    """Write an empty register with the config's streams (and its columns explained) to FILE."""
    problems = checked(lambda: check_table_path(out), lambda: check_out(out, "--out"))
    cfg = load(config, *problems)
    from ..config.register import write_template

    try:
        write_template(out, cfg)
    except InputError as e:
        fail(*split_errors(e))
    click.echo(f"empty register for {', '.join(s.id for s in cfg.streams)} written to {out}")


@command.command("simulate")
@config_argument()
@click.option("--as-of", "as_of", required=True, metavar="YYYY-MM", help="The census month: lives are cut after it.")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="Random seed: the register is draw 0 of `simsav run --seed S` (its parameters and its cohort).")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=str), metavar="FILE",
              help="The register to write: FILE.csv or FILE.xlsx.")
def simulate(config, as_of, seed, out):
    """Write a synthetic register drawn from the model (for demos, tests and training) to FILE.

    The participants who started by the census, with the events of their lives up to it, as
    draw 0 of `simsav run CONFIG --seed S` samples them (program world). Pseudonyms P001, ...
    """
    from ..model.simulate import check_seed

    problems = checked(lambda: check_seed(seed, "--seed"), lambda: check_table_path(out),
                       lambda: check_out(out, "--out"))
    cfg = load(config, *problems)
    from ..config.register import check_as_of, write_register

    try:
        c = check_as_of(as_of, cfg)
    except InputError as e:
        fail(*split_errors(e))
    from ..model.compile import compile_config
    from ..model.lives import register_of_lives, simulated_lives

    note_if_compiling(False, False)
    model = compile_config(cfg)
    _, agents, received, records = simulated_lives(model, cfg, seed)
    register = register_of_lives(cfg, model, agents, received, records, c, source=out)
    comments = [f"synthetic register drawn by simsav from {config} (draw 0 of seed {seed}), as of "
                f"{register.as_of_month}: not real people",
                "columns: docs/monitoring.md"]
    try:
        write_register(out, register, cfg, comments)
    except InputError as e:
        fail(*split_errors(e))
    click.echo(f"synthetic register of {len(register.participants)} participants as of {register.as_of_month} "
               f"written to {out}")


@command.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--config", "-c", "config", required=True, type=click.Path(dir_okay=True, path_type=str),
              help="The config the register belongs to.")
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM",
              help="The census month [default: the month of the register's latest event].")
@lang_option()
def check(file, config, as_of, lang):
    """Check a register (FILE.csv or FILE.xlsx) and print the counts per state at the census.

    Every problem is reported as FILE:ROW:COLUMN: what is wrong. Nothing about an individual
    is printed.
    """
    cfg = load(config)
    lang = resolve_lang(lang, cfg)
    from ..config.register import check_as_of, read_register, read_status

    try:
        if as_of is not None:
            check_as_of(as_of, cfg)
        if _is_status(file):
            table = read_status(file, cfg)
        else:
            register = read_register(file, cfg, as_of)
    except InputError as e:
        fail(*split_errors(e))
    from ..present.monitor import format_counts
    from ..present.texts import section

    t = section("monitor")[lang]
    if _is_status(file):
        click.echo(format_counts(t["status_title"].format(status=file, n=table.total, as_of=table.census),
                                 table.states, table.events, lang, as_of=table.census))
        return
    click.echo(format_counts(t["check_title"].format(register=file, n=len(register.participants),
                                                     as_of=register.as_of_month),
                             register.state_counts(), register.event_counts(), lang, as_of=register.as_of_month))


def _is_status(path: str) -> bool:
    """Return True when ``path`` is a status table (its header has a ``census`` column)."""
    from ..config.register import read_rows

    try:
        header, _ = read_rows(path)
    except InputError:
        return False
    return "census" in header and "id" not in header
