"""The ``simsav`` command line: one module per command, each calling the Python API a notebook calls.

Bad input (config, option, file) ends with one message per problem naming the file or
option, the field and what is wrong, exit status 2, no traceback and nothing written
(:mod:`simsav.cli.common`). Modules import what a command needs when it runs, so that
``simsav --help`` starts fast.
"""
from __future__ import annotations

import sys

import click

from . import report, run, sensitivity, share, table, validate
from . import monitor, register  # noqa: E402 - monitoring (docs/monitoring.md)
from . import compare  # noqa: E402 - scenarios (docs/scenarios.md)
from . import voi  # noqa: E402 - value of information (docs/voi.md)
from .common import usage_fail


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
            usage_fail(e)
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



for _module in (run, validate, table, sensitivity, share, report):
    main.add_command(_module.command)
for _module in (register, monitor, compare, voi):
    main.add_command(_module.command)


if __name__ == "__main__":  # pragma: no cover
    main()
