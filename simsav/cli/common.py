"""What every ``simsav`` command shares: reporting bad input, loading a config, checking where
output goes, the compile note.

Bad input (config, option, file) ends with one message per problem naming the file or
option, the field and what is wrong, exit status 2, no traceback and nothing written.
Every check that can be made before the work is made before it, and all of them are
reported together.
"""
from __future__ import annotations

import errno
import os
import signal
import stat
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import click

from ..errors import InputError, OutputError
from ..files import file_kind, longest_target_name, name_max, os_error_reason

EXIT_BAD_INPUT = 2

FIGURE_SUFFIXES = (".png", ".pdf", ".svg")

MAIN_FIGURE_FILES = ("fan_chart.png", "net_distribution.png", "break_even_ecdf.png", "costs_savings_bars.png")
"""The files ``simsav run --plots DIR`` writes into DIR (simsav.present.plot.main_figures)."""

COMPILE_NOTE = "note: compiling the simulator for first use (once; later runs load it from cache)..."


def fail(*errors: InputError):
    """Print one ``error: SOURCE: FIELD: what is wrong`` line per problem and exit with status 2."""
    from ..present.formats import plain  # a name from the config in a message: no escape code, no second line

    # a scenario's problems may lie in several files (simsav.config.extend): each part names its own
    for err in (part for e in errors for part in getattr(e, "parts", [e])):
        for field, message in err.problems:
            where = f"{err.source}: {field}: " if field else f"{err.source}: "
            click.echo(f"error: {plain(where + message)}", err=True)
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


def load(config_path: str, *earlier: InputError, loader=None):
    """Return the config; on bad input report ``earlier`` problems (options) and the config's, then exit.
    ``loader``: what reads it (default ``load_config``; ``load_national`` for a national roll-up)."""
    from ..config import load_config

    handle_sigterm()
    try:
        cfg = (loader or load_config)(config_path)
    except InputError as e:
        fail(*earlier, e)
    if earlier:
        fail(*earlier)
    return cfg


def load_results(path: str):
    """Return a results file written by ``simsav run``; on a file that is not one, say so and exit."""
    from ..model.results import open_results

    handle_sigterm()
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


def _given(option: str):
    """Return the value of ``option`` as the current command got it (None outside a command)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return None
    for param in ctx.command.params:
        if option in getattr(param, "opts", ()):
            return ctx.params.get(param.name)
    return None


def _inputs(inputs) -> list[str]:
    """Return the files a command reads: ``inputs``, or by default the current command's CONFIG."""
    if inputs is not None:
        return [str(p) for p in inputs]
    ctx = click.get_current_context(silent=True)
    config = ctx.params.get("config") if ctx is not None else None
    return [config] if isinstance(config, str) and config else []


def _identity(path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def check_out(path: str | os.PathLike, option: str = "--out", inputs=None) -> None:
    """Raise InputError before any work when the output file cannot be written to ``path``.

    The rules every command's output file keeps (``--out``, ``--plot``, the figures of
    ``--plots``): a file name is given (not empty, not ending in ``/``), short enough for the
    filesystem with room for the temporary file beside it, in a directory that exists and is
    writable; what is there already is a regular, writable file (not a directory, a symbolic
    link, a FIFO, a device such as /dev/null) and is not one of ``inputs`` (the config read;
    by default the current command's CONFIG argument), also not through a hard or symbolic link.

    ``path`` as a string keeps a trailing ``/``; given a Path (which drops it), the option's
    value as typed is looked at when it names the same path.
    """
    given = _given(option)
    if isinstance(path, str):
        text = path
    elif isinstance(given, str) and (given == "" or str(Path(given)) == str(path)):
        text = given
    else:
        text = str(path)
    if text == "":
        raise InputError(option, "is empty; give a file name")
    if text.endswith(("/", os.sep)) or Path(text).name in ("", ".", ".."):
        raise InputError(option, f"{text!r} names a directory; give a file name")
    path = Path(text)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent_is_dir = stat.S_ISDIR(os.stat(parent).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        parent_is_dir = False
    except OSError as e:
        raise InputError(option, f"{text!r}: {_reason(e, parent)}") from None
    if not parent_is_dir:
        raise InputError(option, f"directory {str(parent)!r} does not exist")
    longest = longest_target_name(parent)
    length = len(os.fsencode(path.name))
    if length > longest:
        raise InputError(option, f"the file name is too long: {length} bytes, at most {longest} here")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise InputError(option, f"{text!r}: {_reason(e, parent)}") from None
    if st is not None:
        here = _identity(path)
        for config in _inputs(inputs):
            if here is not None and _identity(config) == here:
                link = "" if os.path.abspath(config) == os.path.abspath(path) else " (a link to it)"
                what = "the input config" if str(config).lower().endswith(".toml") else "an input file"
                raise InputError(option, f"{text!r} is {what} {config!r}{link}: simsav does not "
                                         "write over its input; give another file name")
        if stat.S_ISDIR(st.st_mode):
            raise InputError(option, f"{text!r} is a directory; give a file name")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(option, f"{text!r} is {file_kind(st.st_mode)}, not a regular file: simsav "
                                     "replaces only regular files; give another file name")
        if not os.access(path, os.W_OK):
            raise InputError(option, f"{text!r} exists and is not writable")
    if not os.access(parent, os.W_OK):
        raise InputError(option, f"directory {str(parent)!r} is not writable")


def _reason(e: OSError, directory: Path) -> str:
    if e.errno == errno.ENAMETOOLONG:
        return f"a name in it is too long (at most {name_max(directory)} bytes)"
    return os_error_reason(e)


def check_plots_dir(path: str | os.PathLike, option: str = "--plots", files=MAIN_FIGURE_FILES,
                    inputs=None) -> None:
    """Raise InputError before any work when ``DIR`` cannot be a directory of figures: it is a
    directory, or can be made in one that exists, and each of ``files`` in it can be written
    (see :func:`check_out`)."""
    text = path if isinstance(path, str) else str(path)
    if text == "" or _given(option) == "":  # Path("") is "."
        raise InputError(option, "is empty; give a directory")
    path = Path(text)
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        st = None
    except OSError as e:
        raise InputError(option, f"{text!r}: {_reason(e, Path('.'))}") from None
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise InputError(option, f"{text!r} exists and is not a directory")
    parent = path.parent if str(path.parent) else Path(".")
    if st is None and not parent.is_dir():
        raise InputError(option, f"directory {str(parent)!r} does not exist (DIR itself is created, "
                                 "its parent is not)")
    if st is None:
        longest = name_max(parent)
        if len(os.fsencode(path.name)) > longest:
            raise InputError(option, f"the directory name is too long: at most {longest} bytes here")
    target = path if st is not None else parent
    if not os.access(target, os.W_OK):
        raise InputError(option, f"directory {str(target)!r} is not writable")
    if st is not None:
        for name in files:
            check_out(str(path / name), option, inputs)


def check_plot_file(path: str | os.PathLike, option: str = "--plot", inputs=None) -> None:
    """Raise InputError before any work when a figure cannot be written to ``path``."""
    check_out(path, option, inputs)
    if Path(path).suffix.lower() not in FIGURE_SUFFIXES:
        raise InputError(option, f"the file name must end in {', '.join(FIGURE_SUFFIXES)}, got {Path(path).name!r}")


def write_plot_file(fig, path: Path, option: str = "--plot", lang: str = "en") -> None:
    """Write ``fig`` to ``path`` atomically and say so; or fail with one message naming the file
    and why (a full disk, a target that became a FIFO meanwhile, ...)."""
    from ..present.plot import save_figure

    try:
        save_figure(fig, path, dpi=130)
    except InputError as e:  # OutputError: names the file and why (a full disk, ...)
        fail(e)
    except OSError as e:
        fail(InputError(option, f"{str(path)!r} cannot be written: {os_error_reason(e)}"))
    click.echo("")
    say(lang, "plot_written", path=path)


@contextmanager
def made_dir(path: str | os.PathLike, option: str | None = None):
    """Make directory ``path`` when it is not there, for the block to write into; when the block
    leaves it empty (it failed, or wrote nothing), remove it again: no empty directory is left
    behind. A directory that was there already is left alone."""
    path = Path(path)
    made = False
    if not path.is_dir():
        try:
            path.mkdir()
            made = True
        except FileExistsError:
            pass  # made meanwhile; a file there fails the writes, each with its message
        except OSError as e:
            raise OutputError(option or str(path), f"directory {str(path)!r} cannot be made: "
                                                   f"{os_error_reason(e)}") from None
    try:
        yield path
    finally:
        if made:
            try:
                path.rmdir()  # only when empty
            except OSError:
                pass


def write_main_figures_to(ds, directory: str | os.PathLike, option: str = "--plots", lang: str = "en") -> list[Path]:
    """Write the main figures of results ``ds`` as PNG to ``directory`` (made when its parent
    exists, and not left behind empty) and say so; or fail with one message naming the file and
    why. ``simsav run --plots DIR`` calls it."""
    use_agg()
    from ..present.plot import write_main_figures

    directory = Path(directory)
    try:
        with made_dir(directory, option):
            paths = write_main_figures(ds, directory, lang=lang)
    except InputError as e:  # OutputError: names the file and why (a full disk, ...)
        fail(e)
    except OSError as e:
        fail(InputError(option, f"{str(directory)!r}: {os_error_reason(e)}"))
    say(lang, "figures_written", path=directory, files=", ".join(p.name for p in paths))
    return paths


class Terminated(SystemExit):
    """A SIGTERM, raised in the main thread like Ctrl-C's KeyboardInterrupt, so that every
    ``finally`` runs (a half-written temporary file is removed) before the process ends with
    status 128 + 15."""


EXIT_TERMINATED = 128 + signal.SIGTERM
EXIT_INTERRUPTED = 128 + signal.SIGINT


def _on_sigterm(signum, frame):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
    try:
        os.write(2, b"Terminated!\n")
    except OSError:
        pass
    raise Terminated(EXIT_TERMINATED)


def _exit_now(code: int) -> None:
    """End the process at once: remove the temporary files it is writing, flush what it printed."""
    from ..files import remove_unfinished

    remove_unfinished()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - ending anyway
            pass
    os._exit(code)


def _on_unraisable(unraisable) -> None:
    """Python swallows an exception raised where it cannot propagate (a ``__del__``, a weakref
    callback, a C callback), and a signal's exception can land there: the run would go on (and
    write its file) after SIGTERM or Ctrl-C. End it then, cleaning up as ``finally`` would."""
    if isinstance(unraisable.exc_value, Terminated):
        _exit_now(EXIT_TERMINATED)
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        _exit_now(EXIT_INTERRUPTED)
    (_hooks_before.get("unraisable") or sys.__unraisablehook__)(unraisable)


_hooks_before: dict = {}
"""What :func:`handle_sigterm` replaced, to be put back when the command ends."""


def handle_sigterm() -> None:
    """Turn SIGTERM into :class:`Terminated` in this process, for as long as the current command
    runs (the handler before it is put back when its click context closes). Does nothing off the
    main thread, or where SIGTERM is handled or ignored already. Where Python swallows the
    exception (it landed in a ``__del__`` or a callback) the process ends at once, its temporary
    files removed (:func:`simsav.files.remove_unfinished`), with status 143 (130 for Ctrl-C)."""
    if threading.current_thread() is not threading.main_thread():
        return
    before = signal.getsignal(signal.SIGTERM)
    if before is _on_sigterm or before != signal.SIG_DFL:
        return
    signal.signal(signal.SIGTERM, _on_sigterm)
    if sys.unraisablehook is not _on_unraisable:
        _hooks_before["unraisable"] = sys.unraisablehook
        sys.unraisablehook = _on_unraisable
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        def restore():
            if signal.getsignal(signal.SIGTERM) in (_on_sigterm, signal.SIG_DFL):
                signal.signal(signal.SIGTERM, before)
            if sys.unraisablehook is _on_unraisable:
                sys.unraisablehook = _hooks_before.pop("unraisable", sys.__unraisablehook__)

        ctx.find_root().call_on_close(restore)


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


LANG_CHOICES = ("nl", "en")


def lang_option(what: str = "what it prints"):
    """The ``--lang [nl|en]`` option every command takes; :func:`resolve_lang` turns it into a language."""
    return click.option("--lang", type=click.Choice(LANG_CHOICES), default=None,
                        help=f"Language of {what}: nl (Dutch, 1.234.567 and 0,56) or en (English, "
                             "1,234,567 and 0.56) [default: the config's `language`].")


def resolve_lang(option: str | None, cfg=None, ds=None) -> str:
    """Return the language a command speaks: ``--lang`` when given, else the config's ``language``
    (of ``cfg``, or of the config a results Dataset ``ds`` was made from), else English."""
    if option is not None:
        return option
    if cfg is not None:
        return cfg.language
    if ds is not None:
        import tomllib

        try:
            language = tomllib.loads(str(ds.attrs.get("config_toml", ""))).get("language", "en")
        except tomllib.TOMLDecodeError:
            language = "en"
        return language if language in LANG_CHOICES else "en"
    return "en"


def say(lang: str, key: str, **values) -> None:
    """Print the text ``key`` of the section ``cli`` of simsav.present.texts in ``lang``."""
    from ..present.formats import plain
    from ..present.texts import text

    # a path or name typed or configured: no escape code, no second line
    click.echo(text(lang, "cli", key, **{k: plain(v) if isinstance(v, (str, os.PathLike)) else v
                                         for k, v in values.items()}))
