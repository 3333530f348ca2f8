"""``simsav sensitivity``: the sensitivity analyses of simsav.sensitivity on the command line.

It calls the same Python API a notebook calls and prints, per party, the parameters ranked by
how much they move its net. Registered on the ``simsav`` group at the end of simsav/cli.py.
"""
from __future__ import annotations

import math
from pathlib import Path

import click
import numpy as np

from .errors import InputError

METHODS = ("tornado", "sobol", "threshold", "variance")
DEFAULT_N = {"sobol": 1024, "threshold": 200, "variance": 200}
# Options of this command named by the API's argument names in its InputErrors.
_OPTION_OF = {"n": "--n", "draws": "--n", "outer": "--n", "inner": "--inner", "parameter": "--parameter",
              "bounds": "--range", "points": "--points", "seed": "--seed"}


def _k(x: float) -> str:
    if x is None or not math.isfinite(x):
        return "-"
    return f"{x / 1000:,.0f}"


def _num(x: float) -> str:
    if not math.isfinite(x):
        return "-"
    if x != 0 and (abs(x) >= 1e5 or abs(x) < 1e-3):
        return f"{x:,.0f}" if abs(x) >= 1e5 else f"{x:.3g}"
    return f"{x:,.4g}"


def _render(table) -> list[str]:
    widths = [max(len(str(r[i])) for r in table) for i in range(len(table[0]))]
    lines = []
    for k, r in enumerate(table):
        cells = [str(c).ljust(widths[i]) if i <= 1 else str(c).rjust(widths[i]) for i, c in enumerate(r)]
        lines.append("  " + "  ".join(cells).rstrip())
        if k == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


def _parties_total_first(ds) -> list[str]:
    parties = [str(p) for p in ds.party.values]
    return parties[-1:] + parties[:-1]


def _name(ds, party: str) -> str:
    return str(ds.party_name.sel(party=party).item())


def format_tornado(ds, top: int = 10) -> str:
    """Return the printed summary of a tornado Dataset: per party, parameters by swing."""
    out = [f"Tornado: {ds.attrs['title']}",
           f"Each uncertain parameter at its {ds.attrs['quantile_low']:.0%} and {ds.attrs['quantile_high']:.0%} "
           "quantile, the others at their base values.",
           "Base case (expected outcomes, no sampling noise); net over the horizon in EUR 1,000.",
           "Rank correlations do not apply: one parameter moves at a time."]
    for party in _parties_total_first(ds):
        sub = ds.sel(party=party)
        out += ["", f"{_name(ds, party)}: base net {_k(float(sub.base_net))}"]
        order = [i for i in sub.ranking.values.argsort() if sub.swing.values[i] > 0.5][:top]
        if not order:
            out.append("  no uncertain parameter moves this party's net")
            continue
        table = [["#", "parameter", "low .. high", "net at low", "net at high", "swing"]]
        for i in order:
            table.append([str(int(sub.ranking.values[i])), str(sub.parameter.values[i]),
                          f"{_num(float(sub.low_value.values[i]))} .. {_num(float(sub.high_value.values[i]))}",
                          _k(float(sub.net_low.values[i])), _k(float(sub.net_high.values[i])),
                          _k(float(sub.swing.values[i]))])
        out += _render(table)
        rest = int((sub.swing.values > 0.5).sum()) - len(order)
        if rest > 0:
            out.append(f"  ... and {rest} more (--top)")
    return "\n".join(out)


def format_sobol(ds, top: int = 10) -> str:
    """Return the printed summary of a Sobol Dataset: per party, parameters by total index."""
    d = ds.parameter.size
    cl = ds.attrs["confidence_level"]
    out = [f"Sobol indices: {ds.attrs['title']}",
           f"{d} uncertain parameters, n = {ds.attrs['n']:,} base samples: {ds.attrs['evaluations']:,} base-case "
           f"evaluations (expected outcomes), seed {ds.attrs['seed']}, {cl:.0%} bootstrap intervals.",
           "total: share of the variance of the expected net due to the parameter with all its interactions;",
           "first-order: due to the parameter alone. Inputs are sampled independently."]
    if ds.attrs.get("correlations_ignored"):
        out.append("Note: the config's rank correlations are ignored by this method: "
                   f"{ds.attrs['correlations_ignored']}.")
    if ds.attrs.get("noise_rows"):
        out.append(f"Cohort noise: {ds.attrs['noise_rows']} of the samples were also simulated as one cohort each; "
                   "'noise' is the share of a simulated cohort's variance")
        out.append("that comes from which agents happen to succeed, not from the parameters (not in the indices).")
    for party in _parties_total_first(ds):
        sub = ds.sel(party=party)
        sd = math.sqrt(max(float(sub.net_variance), 0.0))
        noise = float(sub.noise_share)
        noise_txt = f", noise {noise:.0%}" if math.isfinite(noise) else ""
        out += ["", f"{_name(ds, party)}: mean expected net {_k(float(sub.net_mean))}, sd {_k(sd)}{noise_txt}"]
        if sd < 0.5:
            out.append("  the uncertain parameters do not move this party's expected net")
            continue
        order = [i for i in sub.ranking.values.argsort() if sub.total_order_high.values[i] >= 0.01][:top]
        table = [["#", "parameter", f"total [{cl:.0%} CI]", f"first-order [{cl:.0%} CI]"]]
        for i in order:
            table.append([str(int(sub.ranking.values[i])), str(sub.parameter.values[i]),
                          f"{sub.total_order.values[i]:.2f} [{sub.total_order_low.values[i]:.2f} .. "
                          f"{sub.total_order_high.values[i]:.2f}]",
                          f"{sub.first_order.values[i]:.2f} [{sub.first_order_low.values[i]:.2f} .. "
                          f"{sub.first_order_high.values[i]:.2f}]"])
        out += _render(table)
        rest = d - len(order)
        if rest > 0:
            out.append(f"  ... {rest} more with a total index below 0.01 or beyond --top")
    return "\n".join(out)


def format_threshold(ds) -> str:
    """Return the printed summary of a threshold Dataset: thresholds, then the curve per party."""
    a = ds.attrs
    name = a["parameter"] if a["parameter"] == a["parameter_path"] else f"{a['parameter']} ({a['parameter_path']})"
    out = [f"Threshold: {a['title']}",
           f"{name}: base value {_num(a['base_value'])}, searched over [{_num(a['bounds_low'])}, "
           f"{_num(a['bounds_high'])}] ({a['bounds_from']}).",
           "",
           "Value at which the expected net is zero (base case: other parameters at their base values):"]
    table = [["party", "", "threshold", "net at base value"]]
    for party in _parties_total_first(ds):
        sub = ds.sel(party=party)
        t = float(sub.threshold)
        if math.isfinite(t):
            txt = _num(t)
            if int(sub.crossings) > 1:
                txt += f" ({int(sub.crossings)} crossings; nearest the base value)"
        else:
            lo, hi = float(sub.expected_net.min()), float(sub.expected_net.max())
            txt = "none: always positive" if lo > 0 else ("none: always negative" if hi < 0 else "none")
        table.append([_name(ds, party), "", txt, _k(float(sub.base_net))])
    out += _render(table)
    out += ["",
            f"Net against {a['parameter']} (EUR 1,000): Monte Carlo mean [{a['band_low']:.0%} .. {a['band_high']:.0%}] "
            f"of {a['draws']} draws per value,",
            "other parameters sampled given the value (rank correlations respected), each draw a simulated cohort."]
    parties, flat = [], []
    for p in _parties_total_first(ds):
        sub = ds.sel(party=p)
        curve = np.concatenate([sub.net_low.values, sub.net_high.values])
        (flat if np.ptp(curve) < 0.5 else parties).append(p)
    table = [["value", ""] + [_name(ds, p) for p in parties]]
    for i, v in enumerate(ds.value.values):
        row = [_num(float(v)), ""]
        for p in parties:
            s = ds.sel(party=p).isel(value=i)
            row.append(f"{_k(float(s.net_mean))} [{_k(float(s.net_low))} .. {_k(float(s.net_high))}]")
        table.append(row)
    out += _render(table)
    for p in flat:
        out.append(f"  {_name(ds, p)}: {_k(float(ds.net_mean.sel(party=p).isel(value=0)))} at every value, "
                   "in every draw")
    return "\n".join(out)


def format_variance(ds) -> str:
    """Return the printed summary of a variance decomposition: per party, the two shares."""
    a = ds.attrs
    out = [f"Variance decomposition: {a['title']}",
           f"{a['outer_draws']} parameter draws x {a['inner_draws']} simulated cohorts of {a['agents']} participants "
           f"each (seed {a['seed']}); net over the horizon in EUR 1,000.",
           "parameter: Var(E[net | parameters]), narrowed by better data; cohort: E[Var(net | parameters)],",
           "narrowed per participant by a bigger pilot. Rank correlations respected.",
           ""]
    table = [["party", "", "mean net", "sd", "parameter", "cohort", "narrows the band more"]]
    for party in _parties_total_first(ds):
        sub = ds.sel(party=party)
        p, c = float(sub.parameter_share), float(sub.cohort_share)
        if not math.isfinite(p):
            verdict, p_txt, c_txt = "(net does not vary)", "-", "-"
        else:
            verdict = "better data" if p > c else "a bigger pilot"
            p_txt, c_txt = f"{p:.0%}", f"{c:.0%}"
        table.append([_name(ds, party), "", _k(float(sub.net_mean)), _k(float(sub.net_sd)), p_txt, c_txt, verdict])
    out += _render(table)
    return "\n".join(out)


FORMAT = {"tornado": format_tornado, "sobol": format_sobol, "threshold": format_threshold,
          "variance": format_variance}


def _as_option(e: InputError) -> InputError:
    return InputError(_OPTION_OF.get(e.source, e.source), e.problems)


@click.command("sensitivity")
@click.argument("config", type=click.Path(dir_okay=True, path_type=str))
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
def sensitivity(config, method, parameter, n, inner, points, bounds, seed, top, plot):
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
    from . import sensitivity as sa
    from .cli import _fail, _load, check_plot_file, note_if_compiling, write_plot_file
    from .runner import check_seed

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
    try:
        check_seed(seed, "--seed")
    except InputError as e:
        problems.append(e)
    if plot is not None:
        try:
            check_plot_file(Path(plot))
        except InputError as e:
            problems.append(e)
    cfg = _load(config, *problems)

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
        _fail(_as_option(e))
    text = FORMAT[method](ds, top) if method in ("tornado", "sobol") else FORMAT[method](ds)
    click.echo(text)
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        from .plot_sensitivity import sensitivity_figure

        write_plot_file(sensitivity_figure(ds, top=top, names=cfg), Path(plot))
