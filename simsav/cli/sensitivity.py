"""``simsav sensitivity``: which assumptions drive each party's net (simsav.analysis.sensitivity).

Prints, per party, the parameters ranked by how much they move its net.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError
from .common import (
    check_plot_file, config_argument, fail, lang_option, load, note_if_compiling, resolve_lang, use_agg,
    write_plot_file,
)

METHODS = ("tornado", "sobol", "threshold", "variance")
DEFAULT_N = {"sobol": 1024, "threshold": 200, "variance": 200}
MAX_N, MAX_INNER, MAX_POINTS = 2**20, 1000, 1000
"""The most --n, --inner and --points take (the defaults are 1024 or 200, 10 and 11)."""
# Options of this command named by the API's argument names in its InputErrors.
_OPTION_OF = {"n": "--n", "draws": "--n", "outer": "--n", "inner": "--inner", "parameter": "--parameter",
              "bounds": "--range", "points": "--points", "seed": "--seed"}


def _as_option(e: InputError) -> InputError:
    return InputError(_OPTION_OF.get(e.source, e.source), e.problems)


@click.command("sensitivity")
@config_argument()
@click.option("--method", "-m", type=click.Choice(METHODS), default="tornado", show_default=True,
              help="tornado: one parameter at a time (5%/95%); sobol: variance-based indices; "
                   "threshold: break-even value of --parameter; variance: parameter vs cohort share of the band.")
@click.option("--parameter", "-p", default=None,
              help="For threshold: a distribution's name, or any config number's path (see `simsav validate`).")
@click.option("--n", "-n", "n", type=int, default=None,
              help="sobol: base samples, a power of 2 [1024]; threshold: draws per value [200]; "
                   "variance: parameter draws [200].")
@click.option("--inner", type=int, default=10, show_default=True,
              help="variance: simulated cohorts per parameter draw.")
@click.option("--points", type=int, default=11, show_default=True, help="threshold: values on the curve.")
@click.option("--range", "bounds", type=float, nargs=2, default=None, metavar="LOW HIGH",
              help="threshold: range to search [the distribution's range; 0..1 for a fixed probability; "
                   "else 0..2x the value].")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="Random seed (sobol, threshold, variance).")
@click.option("--top", type=int, default=10, show_default=True, help="Parameters listed per party.")
@click.option("--plot", "plot", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Also draw the result to this image file (.png, .pdf, .svg, ...).")
@lang_option("what it prints and the figure")
def command(config, method, parameter, n, inner, points, bounds, seed, top, plot, lang):
    """Which assumptions drive each party's net, and where it breaks even.

    Prints, per party and for all parties together, the uncertain parameters ranked by how
    much they move the net (tornado, sobol), the value of one parameter at which each
    party's expected net is zero with the curve around it (threshold), or how much of each
    party's band is parameter uncertainty and how much the small cohort (variance).
    Tornado and sobol vary parameters independently (the config's rank correlations are
    ignored); threshold and variance respect them. See docs/sensitivity.md.

    \b
    Examples:
      simsav sensitivity configs/holland-rijnland.toml
      simsav sensitivity configs/holland-rijnland.toml --method sobol --n 1024 --plot sobol.png
      simsav sensitivity configs/twente.toml --method threshold \\
          --parameter outcomes.streams.bijstand.placement_probability
      simsav sensitivity configs/holland-rijnland.toml --method variance --n 400 --inner 20
    """
    from ..model.simulate import check_seed

    problems: list[InputError] = []
    if n is not None and n <= 0:
        problems.append(InputError("--n", f"must be at least 1, got {n}"))
    elif method == "sobol" and n is not None and (n < 2 or n & (n - 1)):
        low = 1 << max(1, n.bit_length() - 1)
        problems.append(InputError("--n", f"must be a power of 2 for sobol (Sobol points balance only then), "
                                          f"e.g. {low} or {low * 2}; got {n}"))
    elif method == "variance" and n == 1:
        problems.append(InputError("--n", "must be at least 2 parameter draws for a variance"))
    if method == "threshold" and not parameter:
        problems.append(InputError("--parameter", "--method threshold needs the parameter to vary, e.g. "
                                                  "--parameter outcomes.placement_probability"))
    if method != "threshold":
        for given, name in ((parameter, "--parameter"), (bounds, "--range")):
            if given:
                problems.append(InputError(name, f"is used only by --method threshold, not {method}"))
    if inner <= 0:
        problems.append(InputError("--inner", f"must be at least 1, got {inner}"))
    if points < 2:
        problems.append(InputError("--points", f"must be at least 2, got {points}"))
    if top <= 0:
        problems.append(InputError("--top", f"must be at least 1, got {top}"))
    for value, name, most in ((n, "--n", MAX_N), (inner, "--inner", MAX_INNER), (points, "--points", MAX_POINTS)):
        if value is not None and value > most:  # beyond: memory errors or hours of work, not an answer
            problems.append(InputError(name, f"must be at most {most:,}, got {value:,}"))
    try:
        check_seed(seed, "--seed")
    except InputError as e:
        problems.append(e)
    if plot is not None:
        try:
            check_plot_file(plot, "--plot", inputs=[config])
        except InputError as e:
            problems.append(e)
    cfg = load(config, *problems)
    lang = resolve_lang(lang, cfg)
    from ..analysis import sensitivity as sa
    from ..present.console import FORMAT

    n = DEFAULT_N.get(method) if n is None else n
    try:
        note_if_compiling(monte_carlo=method != "tornado", expected=True)
        if method == "tornado":
            ds = sa.tornado(cfg)
        elif method == "sobol":
            ds = sa.sobol(cfg, n=n, seed=seed)
        elif method == "threshold":
            ds = sa.threshold(cfg, parameter, bounds=bounds, points=points, draws=n, seed=seed)
        else:
            ds = sa.variance_decomposition(cfg, outer=n, inner=inner, seed=seed)
    except InputError as e:
        fail(_as_option(e))
    from ..present.labels import with_labels

    ds = with_labels(ds, cfg, lang)  # what a board reads instead of the parameters' ids
    text = FORMAT[method](ds, top, lang=lang) if method in ("tornado", "sobol") else FORMAT[method](ds, lang=lang)
    click.echo(text)
    if plot is not None:
        use_agg()
        from ..present.plot import sensitivity_figure

        write_plot_file(sensitivity_figure(ds, top=top, lang=lang), Path(plot), lang=lang)
