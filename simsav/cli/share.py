"""``simsav share``: transfers and the side-by-side comparison of sharing rules (see docs/sharing.md).

It calls :mod:`simsav.sharing`, the same API a notebook calls; ``simsav.cli`` registers it.
"""
from __future__ import annotations

import math
from pathlib import Path

import click

from .errors import InputError

RULE_CHOICES = ("costs-follow-benefits", "equal-return", "outcome-payments", "fixed-split", "agreement", "all")
SETTLE_CHOICES = ("ex-ante", "ex-post", "both")
SETTLE_WORDS = {"ex-ante": "ex ante (fixed in euros from the base case)",
                "ex-post": "ex post (settled on each draw's realised outcomes)"}


@click.command()
@click.argument("config", type=click.Path(dir_okay=True, path_type=str))
@click.option("--rule", "-r", type=click.Choice(RULE_CHOICES), default="all", show_default=True,
              help="Sharing rule; 'all': the three standard rules and the config's [agreement], if any.")
@click.option("--settle", type=click.Choice(SETTLE_CHOICES), default=None,
              help="When transfers are fixed [default: both; with --rule agreement: the agreement's own].")
@click.option("--draws", "-n", type=int, default=2000, show_default=True,
              help="Monte Carlo draws (parameter sets, each with a simulated cohort).")
@click.option("--seed", "-s", type=int, default=0, show_default=True,
              help="Random seed: results depend only on (config, seed, draws).")
@click.option("--plot", "plot", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Also write a bar chart of the net per party before and after each rule (PNG, PDF or SVG).")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: when a terminal].")
def share(config, rule, settle, draws, seed, plot, progress):
    """Compare sharing rules: who pays whom, and how sure each party can be.

    Prints the transfers between parties (payer -> receiver, over the horizon and per year)
    and, per party, the net before and after each rule, the chance of a loss P(net<0), the
    5th percentile and the break-even month, so a board can choose. docs/sharing.md explains
    the rules and the settlement.

    \b
    Examples:
      simsav share configs/twente.toml
      simsav share configs/twente.toml --rule outcome-payments --settle ex-post
      simsav share configs/holland-rijnland.toml --rule agreement --draws 5000 --plot share.png
    """
    from . import runner as sim
    from . import sharing
    from .cli import _fail, _load, check_plot_file, note_if_compiling, write_plot_file

    problems = []
    for check in (lambda: sim.check_draws(draws, "--draws"), lambda: sim.check_seed(seed, "--seed"),
                  lambda: plot is not None and check_plot_file(Path(plot))):
        try:
            check()
        except InputError as e:
            problems.append(e)
    cfg = _load(config, *problems)
    names = None
    try:
        names = sharing.resolve_rules(rule, cfg)
        for name in names:
            sharing.rule_spec(name, cfg)
    except InputError as e:
        _fail(InputError("--rule", e.problems))
    if settle is None:
        settle = cfg.agreement.settle if rule == "agreement" else "both"
    settles = list(sharing.SETTLEMENTS) if settle == "both" else [settle]
    try:
        note_if_compiling(monte_carlo=True, expected=True)
        ds, base = sharing.simulate_for_sharing(cfg, draws=draws, seed=seed, progress=progress)
        comparison = sharing.compare(ds, names, settles, base=base, config=cfg)
    except InputError as e:
        _fail(e)
    click.echo(format_share(comparison, cfg))
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        from .plot_sharing import transfers_plot

        write_plot_file(transfers_plot(comparison, names=cfg), Path(plot))


def _k(x: float) -> str:
    if x is None or not math.isfinite(x):
        return "-"
    return f"{round(x / 1000) + 0:,.0f}"  # + 0: no "-0"


def _month(x: float) -> str:
    return "-" if not math.isfinite(x) else f"{x:.0f}"


def _euros(x: float) -> str:
    return f"EUR {x:,.0f}"


def _shares(values, parties, names) -> str:
    return ", ".join(f"{names[p]} {v:.0%}" for p, v in zip(parties, values) if v > 0)


def format_share(c, cfg) -> str:
    """Return the text ``simsav share`` prints for a comparison Dataset (``sharing.compare``)."""
    from .cli import _render

    names = {p.id: p.name for p in cfg.parties}
    parties = c["party"].values.tolist()
    rules = c["rule"].values.tolist()
    labels = dict(zip(rules, c["rule_label"].values.tolist()))
    if "agreement" in rules and c.attrs.get("agreement_label"):
        labels["agreement"] = f"agreement: {c.attrs['agreement_label']}"
    elif "agreement" in rules:
        labels["agreement"] = f"agreement ({labels.get(c.attrs.get('agreement_rule'), c.attrs.get('agreement_rule'))})"
    D = c.sizes["draw"]
    years = c["year"].values.tolist()
    out = [cfg.title,
           f"Sharing rules: {D:,} draws, seed {c.attrs['seed']}, {c.attrs['horizon_months']} months from "
           f"{c.attrs['calendar_start']}. Amounts in EUR 1,000 over the horizon"
           + (" (discounted)." if _discounted(cfg) else ".")]
    investors = [names[p] for p, inv in zip(parties, c["investor"].values) if inv]
    out.append("Investors (base-case net below 0): " + (", ".join(investors) if investors else "none") + ".")

    terms = []
    for r in rules:
        price = float(c["price_per_success"].sel(rule=r))
        if not math.isfinite(price):
            continue
        per_month = float(c["price_per_work_month"].sel(rule=r))
        payer, receiver = c["payer_share"].sel(rule=r).values, c["receiver_share"].sel(rule=r).values
        if payer.sum() == 0:
            terms.append(f"  {labels[r]}: no payments (nobody invests more than it saves in the base case)")
            continue
        line = f"  {labels[r]}: {_euros(price)} per success (a job reaching 12 months)"
        if per_month > 0:
            line += f" + {_euros(per_month)} per month of work"
        terms.append(line)
        terms.append(f"    paid by {_shares(payer, parties, names)}; received by {_shares(receiver, parties, names)}")
    if terms:
        out += ["", "Contract terms (set from the base case; the price is the same ex ante and ex post):"] + terms

    for s in c["settle"].values.tolist():
        out += ["", f"== Settled {SETTLE_WORDS[s]}", "",
                "Transfer matrix, payer -> receiver" + (", mean over the draws" if D > 1 else "")]
        table = [["rule", "payer", "receiver", "total"] + [str(y) for y in years]]
        for r in rules:
            m = c["transfer_matrix"].sel(rule=r, settle=s).mean("draw")
            by_year = c["transfer_by_year"].sel(rule=r, settle=s)
            rows = [(q, p) for q in parties for p in parties if float(m.sel(payer=q, receiver=p)) >= 0.5]
            if not rows:
                table.append([labels[r], "(no transfers)", "", ""] + [""] * len(years))
            for k, (q, p) in enumerate(rows):
                table.append([labels[r] if k == 0 else "", names[q], names[p], _k(float(m.sel(payer=q, receiver=p)))]
                             + [_k(float(by_year.sel(payer=q, receiver=p, year=y))) for y in years])
        out += _render(table)
        out += ["", "Net per party before and after each rule"]
        table = [["party", "rule", "net mean", "net P5", "P(net<0)", "break-even month", "breaks even"]]
        for p in parties:
            table.append([names[p], "no transfers", _k(float(c["mean_before"].sel(party=p))),
                          _k(float(c["p5_before"].sel(party=p))), f"{float(c['p_loss_before'].sel(party=p)):.2f}",
                          _month(float(c["break_even_median_before"].sel(party=p))),
                          f"{float(c['p_break_even_before'].sel(party=p)):.0%}"])
            for r in rules:
                sel = dict(rule=r, settle=s, party=p)
                table.append(["", labels[r], _k(float(c["mean_after"].sel(sel))), _k(float(c["p5_after"].sel(sel))),
                              f"{float(c['p_loss_after'].sel(sel)):.2f}",
                              _month(float(c["break_even_median_after"].sel(sel))),
                              f"{float(c['p_break_even_after'].sel(sel)):.0%}"])
        out += _render(table)
        totals = c["net_after"].sel(settle=s).sum("party") - c["net_before"].sum("party")
        if float(abs(totals).max()) > 0.01:  # pragma: no cover - an invariant of every rule
            out.append("warning: a rule changed the total net; please report this")
    out += ["",
            "P(net<0): share of the draws in which the party loses money; net P5: 5th percentile of its net; "
            "break-even month: median month from which its cumulative net stays >= 0 ('-': not within the "
            "horizon in most draws), transfers paid in the months they fall; breaks even: share of draws that do."]
    if D < 1000:
        out.append(f"warning: only {D} draws: P5 rests on {max(1, round(D * 0.05))} draws; use --draws 1000 or more "
                   "before quoting these figures")
    for note in filter(None, c.attrs.get("notes", "").splitlines()):
        out.append(f"note: {note}")
    return "\n".join(out)


def _discounted(cfg) -> bool:
    from .cli import _discounted as discounted

    return discounted(cfg)
