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
    from ..config.national import is_national

    if is_national(config):  # a national roll-up: its regions, each a config (docs/national.md)
        _validate_national(config, lang)
        return
    cfg = load(config)
    from ..model.compile import compile_config
    from ..present.console import format_validate

    click.echo(format_validate(cfg, compile_config(cfg), config, resolve_lang(lang, cfg)))


def _validate_national(path: str, lang):
    from ..config.national import load_national
    from ..present.national import format_validate_national

    nat = load(path, loader=load_national)
    click.echo(format_validate_national(nat, path, resolve_lang(lang, nat)))
