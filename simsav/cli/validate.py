"""``simsav validate``: check a config and print what simsav understood of it."""
from __future__ import annotations

import click

from .common import config_argument, lang_option, load, resolve_lang


@click.command("validate")
@config_argument()
@lang_option()
def command(config, lang):
    """Check a config and print what simsav understood of it.

    \b
    Example:
      simsav validate configs/holland-rijnland.toml
    """
    cfg = load(config)
    from ..model.compile import compile_config
    from ..present.console import format_validate

    click.echo(format_validate(cfg, compile_config(cfg), config, resolve_lang(lang, cfg)))
