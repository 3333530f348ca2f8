"""Where output goes: only to a regular file or a new name, never over the input config.

Every command that writes a file (``run --out``, ``report --out``, ``share --plot``,
``sensitivity --plot``, the figures of ``run --plots DIR``) refuses, before any work, a target
that is a device node (/dev/null), a FIFO, a symbolic link, the input config itself (also
through a hard or symbolic link), a name ending in ``/``, an empty name or one too long for the
filesystem: exit status 2, one ``error: OPTION: ...`` line, no traceback, and the target as it was.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from simsav.cli import main as cli_main
from simsav.cli.common import EXIT_BAD_INPUT, MAIN_FIGURE_FILES, check_out, check_plots_dir, made_dir
from simsav.errors import InputError


def invoke(*args):
    """Run ``simsav ARGS`` in-process; an uncaught exception (a would-be traceback) fails the test."""
    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1; 8.2+ always keeps them apart
    except TypeError:
        runner = CliRunner()
    r = runner.invoke(cli_main, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), (
        f"simsav {' '.join(map(str, args))} raised {r.exception!r} (a traceback for the user)")
    return r


@pytest.fixture(autouse=True)
def nothing_replaces_dev(monkeypatch):
    """Should a refusal ever break, no test of this module may rename anything over /dev/null."""
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        assert not os.path.abspath(dst).startswith("/dev/"), f"a write would replace {dst}"
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def fingerprint(path: Path):
    """Return what ``path`` is, without following a link: kind, device, inode, link target, content."""
    st = os.lstat(path)
    link = os.readlink(path) if stat.S_ISLNK(st.st_mode) else None
    content = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else None
    return stat.S_IFMT(st.st_mode), st.st_rdev, st.st_ino, link, content


@dataclass
class Target:
    value: str  # what the option is given
    problem: str  # a regular expression the one message must match
    watch: list[Path]  # what must be left exactly as it was


def make_target(kind: str, directory: Path, config: Path, suffix: str) -> Target:
    """Set up a target of ``kind`` in ``directory`` for a file ending in ``suffix``."""
    if kind == "dev-null":
        return Target("/dev/null", r"'/dev/null' is a character device, not a regular file", [Path("/dev/null")])
    if kind == "device-node":
        node = directory / f"null{suffix}"
        try:
            os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except (PermissionError, OSError) as e:
            pytest.skip(f"cannot make a device node here: {e}")
        return Target(str(node), "is a character device, not a regular file", [node])
    if kind == "fifo":
        fifo = directory / f"pipe{suffix}"
        os.mkfifo(fifo)
        return Target(str(fifo), r"is a FIFO \(named pipe\), not a regular file", [fifo])
    if kind == "symlink-to-a-file":
        real = directory / f"real{suffix}"
        real.write_bytes(b"keep me")
        link = directory / f"link{suffix}"
        link.symlink_to(real.name)
        return Target(str(link), "is a symbolic link, not a regular file", [link, real])
    if kind == "the-config":
        return Target(config.name, rf"'{config.name}' is the input config '{config.name}': simsav does not "
                                   "write over its input", [config])
    if kind == "hard-link-to-the-config":
        hard = directory / "hard.toml"
        os.link(config, hard)
        return Target(str(hard), r"is the input config .* \(a link to it\)", [hard, config])
    if kind == "symlink-to-the-config":
        link = directory / "link.toml"
        link.symlink_to(config)
        return Target(str(link), r"is the input config .* \(a link to it\)", [link, config])
    if kind == "trailing-slash":
        return Target("newdir/", r"'newdir/' names a directory; give a file name", [])
    if kind == "empty":
        return Target("", r"is empty", [])
    if kind == "too-long":
        return Target("a" * 300 + suffix, r"the file name is too long: 30\d bytes, at most \d+ here", [])
    raise AssertionError(kind)


KINDS = ["dev-null", "device-node", "fifo", "symlink-to-a-file", "the-config", "hard-link-to-the-config",
         "symlink-to-the-config", "trailing-slash", "empty", "too-long"]

# command, option, suffix of its file, the arguments before it
COMMANDS = {
    "run": ("--out", ".nc", ["run", "{config}", "--base-case"]),
    "report": ("--out", ".html", ["report", "{config}", "--draws", "20"]),
    "share": ("--plot", ".png", ["share", "{config}", "--draws", "20"]),
    "sensitivity": ("--plot", ".png", ["sensitivity", "{config}"]),
}


def assert_refused(r, option: str, problem: str):
    import re

    output = r.stderr + r.stdout
    assert r.exit_code == EXIT_BAD_INPUT, output
    assert "Traceback" not in output
    assert r.stdout == "", f"nothing belongs on stdout for a refused output:\n{r.stdout}"
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"one message, got:\n{r.stderr}"
    assert lines[0].startswith(f"error: {option}: "), lines[0]
    assert re.search(problem, lines[0]), f"{problem!r} not in {lines[0]!r}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_target_that_is_not_a_regular_file_or_is_the_input_is_refused(command, kind, small_config, tmp_path,
                                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    option, suffix, before = COMMANDS[command]
    target = make_target(kind, tmp_path, small_config, suffix)
    watched = {p: fingerprint(p) for p in target.watch}
    there = sorted(p.name for p in tmp_path.iterdir())
    r = invoke(*[a.format(config=small_config.name) for a in before], option, target.value)
    assert_refused(r, option, target.problem)
    assert {p: fingerprint(p) for p in target.watch} == watched
    assert sorted(p.name for p in tmp_path.iterdir()) == there  # nothing written: no file, no temporary, no dir


@pytest.mark.parametrize("kind", ["device-node", "fifo", "symlink-to-a-file"])
def test_a_figure_of_plots_dir_that_is_not_a_regular_file_is_refused(kind, small_config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    figs = tmp_path / "figs"
    figs.mkdir()
    target = make_target(kind, figs, small_config, ".png")
    Path(target.value).rename(figs / MAIN_FIGURE_FILES[1])
    target.watch[0] = figs / MAIN_FIGURE_FILES[1]
    watched = {p: fingerprint(p) for p in target.watch}
    r = invoke("run", small_config.name, "--base-case", "--out", "x.nc", "--plots", "figs")
    assert_refused(r, "--plots", target.problem)
    assert {p: fingerprint(p) for p in target.watch} == watched
    assert not (tmp_path / "x.nc").exists()


def test_plots_dir_empty_is_refused(small_config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("run", small_config.name, "--base-case", "--out", "x.nc", "--plots", "")
    assert_refused(r, "--plots", "is empty; give a directory")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.toml"]


def test_out_with_a_trailing_slash_writes_no_file_named_like_the_directory(small_config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("run", small_config.name, "--base-case", "--out", "results.nc/")
    assert_refused(r, "--out", "names a directory")
    assert not (tmp_path / "results.nc").exists()


def test_a_regular_file_and_a_new_name_are_written(small_config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.nc").write_bytes(b"old")
    for name in ("old.nc", "new.nc"):
        r = invoke("run", small_config.name, "--base-case", "--out", name)
        assert r.exit_code == 0, r.stderr
        assert (tmp_path / name).read_bytes()[:4] == b"\x89HDF"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.nc", "old.nc", "small.toml"]


def test_a_config_given_through_a_link_is_not_written_over_through_its_target(small_config, tmp_path,
                                                                               monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cfg.toml").symlink_to(small_config.name)
    before = small_config.read_bytes()
    r = invoke("run", "cfg.toml", "--base-case", "--out", small_config.name)
    assert_refused(r, "--out", "is the input config 'cfg.toml'")
    assert small_config.read_bytes() == before


# --------------------------------------------------------------------------- the checks as functions

def test_check_out_refuses_dev_null_and_names_the_option():
    with pytest.raises(InputError) as caught:
        check_out("/dev/null", "--report")
    assert str(caught.value) == ("--report: '/dev/null' is a character device, not a regular file: simsav "
                                 "replaces only regular files; give another file name")


def test_check_out_keeps_a_trailing_slash_a_path_drops(tmp_path):
    # a command that made a Path of its option (which drops the "/") is still refused
    @click.command()
    @click.option("--out")
    def command(out):
        check_out(Path(out))

    r = CliRunner().invoke(command, ["--out", str(tmp_path / "newdir") + "/"])
    assert isinstance(r.exception, InputError) and "names a directory" in str(r.exception)
    with pytest.raises(InputError, match="names a directory"):
        check_out(str(tmp_path) + "/newdir/")
    with pytest.raises(InputError, match="names a directory"):
        check_out(str(tmp_path / ".."))


def test_check_out_compares_inputs_by_inode_not_by_name(tmp_path):
    config = tmp_path / "case.toml"
    config.write_text("title = 'x'\n")
    os.link(config, tmp_path / "other.toml")
    with pytest.raises(InputError, match="is the input config"):
        check_out(str(tmp_path / "other.toml"), inputs=[str(config)])
    check_out(str(tmp_path / "other.toml"), inputs=[])  # not an input: a regular file may be replaced
    check_out(str(tmp_path / "new.toml"), inputs=[str(config)])


def test_an_input_that_is_no_config_is_named_an_input_file(tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("id,stream,start,event,month\n")
    with pytest.raises(InputError, match="is an input file .*register.csv"):
        check_out(str(register), inputs=[str(tmp_path / "case.toml"), str(register)])


def test_check_plots_dir_checks_the_figures_in_it(tmp_path):
    os.mkfifo(tmp_path / MAIN_FIGURE_FILES[0])
    with pytest.raises(InputError, match=f"{MAIN_FIGURE_FILES[0]}' is a FIFO"):
        check_plots_dir(str(tmp_path))
    check_plots_dir(str(tmp_path), files=())


def test_made_dir_removes_the_directory_it_made_when_nothing_was_written(tmp_path):
    with pytest.raises(RuntimeError), made_dir(tmp_path / "figs"):
        assert (tmp_path / "figs").is_dir()
        raise RuntimeError("disk full")
    assert not (tmp_path / "figs").exists()
    with made_dir(tmp_path / "figs"):
        pass
    assert not (tmp_path / "figs").exists()  # nothing written: not left behind
    with made_dir(tmp_path / "figs"):
        (tmp_path / "figs" / "a.png").write_bytes(b"png")
    assert (tmp_path / "figs" / "a.png").exists()
    (tmp_path / "figs" / "a.png").unlink()
    with made_dir(tmp_path / "figs"):
        pass
    assert (tmp_path / "figs").is_dir()  # there before: left alone, empty or not


def test_the_figures_plots_dir_checks_are_the_figures_written(small_config, tmp_path, capsys):
    import simsav
    from simsav.cli.common import write_main_figures_to

    ds = simsav.base_case(simsav.load_config(small_config))
    paths = write_main_figures_to(ds, tmp_path / "figs")
    assert [p.name for p in paths] == list(MAIN_FIGURE_FILES)
    assert sorted(p.name for p in (tmp_path / "figs").iterdir()) == sorted(MAIN_FIGURE_FILES)
    assert "figures written to" in capsys.readouterr().out
