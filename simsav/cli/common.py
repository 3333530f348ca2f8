"""What every ``simsav`` command shares: reporting bad input, loading a config, checking where
output goes, the compile note.

Bad input (config, option, file) ends with one message per problem naming the file or
option, the field and what is wrong, exit status 2, no traceback and nothing written.
Every check that can be made before the work is made before it, and all of them are
reported together.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..errors import InputError

EXIT_BAD_INPUT = 2

FIGURE_SUFFIXES = (".png", ".pdf", ".svg")

COMPILE_NOTE = "note: compiling the simulator for first use (once; later runs load it from cache)..."


def fail(*errors: InputError):
    """Print one ``error: SOURCE: FIELD: what is wrong`` line per problem and exit with status 2."""
    for err in errors:
        for line in str(err).splitlines():
            click.echo(f"error: {line}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def checked(*checks) -> list[InputError]:
    """Run each check (a callable raising InputError) and return the problems they found."""
    problems = []
    for check in checks:
        try:
            check()
        except InputError as e:
            problems.append(e)
    return problems


def load(config_path: str, *earlier: InputError):
    """Return the config; on bad input report ``earlier`` problems (options) and the config's, then exit."""
    from ..config import load_config

    try:
        cfg = load_config(config_path)
    except InputError as e:
        fail(*earlier, e)
    if earlier:
        fail(*earlier)
    return cfg


def load_results(path: str):
    """Return a results file written by ``simsav run``; on a file that is not one, say so and exit."""
    from ..model.results import open_results

    try:
        return open_results(path)
    except InputError as e:
        fail(e)


def usage_fail(e: click.UsageError):
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


def check_out(path: Path, option: str = "--out") -> None:
    """Raise InputError before any work when the output file cannot be written to ``path``."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(option, f"directory {str(parent)!r} does not exist")
    if path.is_dir():
        raise InputError(option, f"{str(path)!r} is a directory")
    if not os.access(parent, os.W_OK):
        raise InputError(option, f"directory {str(parent)!r} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(option, f"{str(path)!r} exists and is not writable")


def check_plots_dir(path: Path, option: str = "--plots") -> None:
    """Raise InputError before any work when ``DIR`` cannot be a directory of figures."""
    if path.exists() and not path.is_dir():
        raise InputError(option, f"{str(path)!r} exists and is not a directory")
    parent = path.parent if str(path.parent) else Path(".")
    if not path.exists() and not parent.is_dir():
        raise InputError(option, f"directory {str(parent)!r} does not exist (DIR itself is created, "
                                 "its parent is not)")
    target = path if path.exists() else parent
    if not os.access(target, os.W_OK):
        raise InputError(option, f"directory {str(target)!r} is not writable")


def check_plot_file(path: Path, option: str = "--plot") -> None:
    """Raise InputError before any work when a figure cannot be written to ``path``."""
    check_out(path, option)
    if path.suffix.lower() not in FIGURE_SUFFIXES:
        raise InputError(option, f"the file name must end in {', '.join(FIGURE_SUFFIXES)}, got {path.name!r}")


def write_plot_file(fig, path: Path, option: str = "--plot") -> None:
    """Write ``fig`` to ``path`` atomically; say so, or fail with one message naming ``option``."""
    from ..present.plot import save_figure

    try:
        save_figure(fig, path, dpi=130)
    except OSError as e:
        fail(InputError(option, f"cannot write {str(path)!r}: {e.strerror or e}"))
    click.echo(f"\nplot written to {path}")


def use_agg() -> None:
    """Draw figures without a display (the command line writes files)."""
    import matplotlib

    matplotlib.use("Agg")


def note_if_compiling(monte_carlo: bool = True, expected: bool = False) -> None:
    """Print the one-line compile note on stderr when the kernels about to run will JIT-compile."""
    from ..model.engine import kernel_needs_compiling

    if kernel_needs_compiling(monte_carlo, expected):
        click.echo(COMPILE_NOTE, err=True)


def config_argument():
    """The CONFIG argument every command takes."""
    return click.argument("config", type=click.Path(dir_okay=True, path_type=str))


def draws_option(default: int = 2000):
    return click.option("--draws", "-n", type=int, default=default, show_default=True,
                        help="Monte Carlo draws (parameter sets, each with a simulated cohort).")


def seed_option():
    return click.option("--seed", "-s", type=int, default=0, show_default=True,
                        help="Random seed: results depend only on (config, seed, draws).")


def progress_option():
    return click.option("--progress/--no-progress", default=None, help="Progress bar [default: when a terminal].")
