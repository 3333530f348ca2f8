"""What the command line prints: the tables of ``simsav run``, ``validate``, ``share`` and
``sensitivity``, from the Datasets the Python API returns.

One renderer (:func:`render_table`) lays out every table; numbers go through
:mod:`simsav.present.formats`.
"""
from __future__ import annotations

import math

import numpy as np

from ..analysis.notices import from_attr
from ..config import describe
from .formats import format_month, format_thousands, format_value, notice_text
from .plot.sharing import rule_names
from .texts import TEXTS


def render_table(rows, *, left: int = 1, indent: str = "", total_row: bool = False,
                 numbers_right: bool = False, markdown: bool = False) -> list[str]:
    """Return the lines of a table: the first row is the header, underlined.

    The first ``left`` columns are left-aligned, the others right-aligned (with
    ``numbers_right``, only their cells that start like a number). ``total_row``: a rule above
    the last row too. ``markdown``: a pipe table, every ``|`` in a cell escaped.
    """
    if markdown:
        def cell(c):
            return str(c).replace("|", "\\|")

        lines = ["| " + " | ".join(cell(c) for c in rows[0]) + " |", "|" + "|".join("---" for _ in rows[0]) + "|"]
        return lines + ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows[1:]]
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]

    def align(i, c):
        c = str(c)
        flush_left = i < left or (numbers_right and not c[:1].isdigit() and c[:1] not in "-")
        return c.ljust(widths[i]) if flush_left else c.rjust(widths[i])

    lines = []
    for k, r in enumerate(rows):
        lines.append((indent + "  ".join(align(i, c) for i, c in enumerate(r))).rstrip())
        if k == 0 or (total_row and k == len(rows) - 2):
            lines.append(indent + "  ".join("-" * w for w in widths))
    return lines


def _names(ds) -> dict[str, str]:
    names = {}
    if "party_name" in ds.coords:
        names = dict(zip(ds["party"].values.tolist(), (str(n) for n in ds["party_name"].values)))
    names["total"] = TEXTS["figures"]["all_parties"]["en"]
    return names


def _band(s) -> str:
    return f"{format_thousands(s.median)} [{format_thousands(s.low)} .. {format_thousands(s.high)}]"


def _mean_se(s) -> str:
    return f"{format_thousands(s.mean)} ±{s.se / 1000:,.1f}"


def _k1000(x: float) -> str:
    return format_thousands(x)


def _euros(x: float) -> str:
    return f"EUR {x:,.0f}"


def _shares(values, parties, names) -> str:
    return ", ".join(f"{names[p]} {v:.0%}" for p, v in zip(parties, values) if v > 0)


SETTLE_WORDS = {"ex-ante": "ex ante (fixed in euros from the base case)",
                "ex-post": "ex post (settled on each draw's realised outcomes)"}


def format_break_even(month: float, horizon: int) -> str:
    """Return a break-even month as the tables show it: the month, or '> 60' (not within the horizon)."""
    if month is None or (isinstance(month, float) and math.isnan(month)):
        return "-"
    return f"> {horizon}" if math.isinf(month) else f"{month:.0f}"


def format_run(ds) -> str:
    """Return the per-party table ``simsav run`` prints for a results Dataset."""
    from ..analysis.summary import party_summary
    from ..model.results import is_discounted

    summ = party_summary(ds, _names(ds))
    mc = ds.attrs["mode"] == "monte_carlo"
    H = ds.attrs["horizon_months"]
    out = []
    if mc:
        head = (f"{ds.attrs['title']}\n{summ.draws:,} draws, seed {ds.attrs['seed']}, {ds.attrs['agents']} participants, "
                f"{H} months from {ds.attrs['calendar_start']}. Amounts in EUR 1,000 over the horizon"
                f"{' (discounted)' if is_discounted(ds) else ''}.")
    else:
        head = (f"{ds.attrs['title']}\nBase case (point values, expected outcomes), {ds.attrs['agents']} participants, "
                f"{H} months from {ds.attrs['calendar_start']}. Amounts in EUR 1,000.")
    out.append(head)
    out.append("")
    rows = summ.parties + [summ.total]
    with_base = mc and math.isfinite(summ.total.base_net)
    if mc:
        header = ["party", "costs mean ±se", "savings mean ±se", "net median [5% .. 95%]", "net mean ±se"]
        header += ["net base case"] if with_base else []
        header += ["P(net>0)", "break-even month (median)", "breaks even"]
        table = [header]
        for r in rows:
            table.append([r.name, _mean_se(r.costs), _mean_se(r.savings), _band(r.net), _mean_se(r.net)]
                         + ([format_thousands(r.base_net)] if with_base else [])
                         + [f"{r.p_positive:.2f}", format_break_even(r.break_even, H), f"{r.p_break_even:.0%}"])
    else:
        header = ["party", "costs", "savings", "net", "break-even month"]
        table = [header]
        for r in rows:
            table.append([r.name, format_thousands(r.costs.mean), format_thousands(r.savings.mean),
                          format_thousands(r.net.mean), format_break_even(r.break_even, H)])
    out.extend(render_table(table, total_row=True))
    out.append("")
    if mc:
        out.append(f"SROI (savings per euro invested): median {summ.sroi.median:.2f} "
                   f"[{summ.sroi.low:.2f} .. {summ.sroi.high:.2f}], mean {summ.sroi.mean:.2f} ±{summ.sroi.se:.2f}")
        out.append(f"P(every party's net > 0): {summ.p_all_positive:.2f}")
        out.append(f"break-even month: the median over all draws, a draw that does not break even within the horizon "
                   f"counted as later ('> {H}': half or more do not); 'breaks even': the share of draws that do.")
        if with_base:
            out.append(bridge_line(summ.total))
    else:
        out.append(f"SROI (savings per euro invested): {summ.sroi.mean:.2f}")
    out.append("")
    placed = bool(summ.placed)
    table = [["stream", "participants", "placements: job spells" + (" median [5% .. 95%]  mean" if mc else "")]
             + (["placed at least once" + ("  mean" if mc else "")] if placed else [])
             + ["successes (12 months)" + (" median [5% .. 95%]  mean" if mc else "")]]
    for s in list(summ.placements):
        p, q = summ.placements[s], summ.successes[s]
        n = str(summ.participants.get(s, ""))
        once = [f"{summ.placed[s].mean:.1f}"] if placed else []
        if mc:
            table.append([s, n, f"{p.median:.0f} [{p.low:.0f} .. {p.high:.0f}]  {p.mean:.1f}", *once,
                          f"{q.median:.0f} [{q.low:.0f} .. {q.high:.0f}]  {q.mean:.1f}"])
        else:
            table.append([s, n, f"{p.mean:.1f}", *once, f"{q.mean:.1f}"])
    out.extend(render_table(table, total_row=True))
    out.append("A placement is a job spell beginning: a participant who relapses and is placed again counts twice.")
    for notice in summ.notices:
        out.append("")
        out.append(f"warning: {notice_text(notice)}")
    return "\n".join(out)


def bridge_line(total) -> str:
    """Return how the base case becomes the Monte Carlo mean, for all parties (EUR 1,000)."""
    points, means, mc = total.base_net, total.means_net, total.net.mean
    if not math.isfinite(means):
        return f"Base case net {format_thousands(points)} (the sources' point values, expected outcomes)."
    return (f"Base case net {format_thousands(points)} (the sources' point values, expected outcomes) -> "
            f"{format_thousands(means)} with every uncertain number at its distribution's mean "
            f"({format_signed(means - points)}: points that differ from the means) -> Monte Carlo mean "
            f"{format_thousands(mc)} ({format_signed(mc - means)}: the model is not linear in its numbers; "
            f"±{total.net.se / 1000:,.1f} of that is Monte Carlo error).")


def format_signed(x: float) -> str:
    """Return euros in thousands with a sign: +42, -7."""
    text = format_thousands(x)
    return text if text.startswith("-") or text in ("0", "-") else "+" + text


def format_validate(cfg, model, source: str) -> str:
    """Return what ``simsav validate`` prints: what simsav understood of a valid config."""
    lines = [f"{source}: valid", f"title: {cfg.title}", ""]
    lines.append("parties:")
    for p in cfg.parties:
        lines.append(f"  {p.id:<22} {p.name} ({p.role})")
    lines.append("")
    lines.append(f"cohort: {model.n_agents} participants, inflow over "
                 f"{len(cfg.cohort.inflow_weights) if cfg.cohort.inflow_weights else cfg.cohort.inflow_months} month(s), "
                 f"horizon {cfg.cohort.horizon_months} months from {cfg.cohort.start}, "
                 f"discount rate {describe(cfg.cohort.discount_rate)}")
    lines.append("streams:")
    counts = model.stream_counts()
    for s in cfg.streams:
        benefit = (f"benefit {describe(s.monthly_benefit)}/month paid by {s.payer}, "
                   f"remaining {describe(s.benefit_months_remaining)} months ({s.benefit_months_law})"
                   if s.payer else "no benefit")
        lines.append(f"  {s.id:<22} {counts[s.id]:>5} participants, {s.benefit}, {benefit}, managed by {s.manager}")
    lines.append("")
    lines.append("items (saving = counterfactual minus program; program-only items are costs):")
    item_streams, item_worlds = model.kernel.item_streams, model.kernel.item_worlds
    for i, iid in enumerate(model.item_ids):
        streams = [model.stream_ids[k] for k in range(len(model.stream_ids)) if item_streams[i, k]]
        streams_txt = "all streams" if len(streams) == len(model.stream_ids) else ", ".join(streams)
        worlds = "both worlds" if item_worlds[i].all() else ("program" if item_worlds[i, 0] else "counterfactual")
        extra = "" if model.item_in_table[i] else "  [outside the table]"
        lines.append(f"  {iid:<28} {model.item_kinds[i]:<6} paid by {model.party_ids[model.item_party[i]]:<16} "
                     f"{worlds}, {streams_txt}{extra}")
    lines.append("")
    unc = model.table.uncertain
    lines.append(f"uncertain numbers ({len(unc)}):" if unc else "uncertain numbers: none (every draw uses the same parameters)")
    for k in unc:
        p = model.table.params[k]
        label = p.name if p.name == p.path else f"{p.name} ({p.path})"
        lines.append(f"  {label:<60} {p.describe()}, base {p.point:g}")
    for c in cfg.correlations:
        lines.append(f"  rank correlation {c.rank:+.2f} between {c.between[0]} and {c.between[1]}")
    return "\n".join(lines)




def format_share(c, discounted: bool = False) -> str:
    """Return the text ``simsav share`` prints for a comparison Dataset (``sharing.compare``)."""
    names = _names(c)
    parties = c["party"].values.tolist()
    rules = c["rule"].values.tolist()
    labels = dict(zip(rules, rule_names(c, "en")))
    if "agreement" in rules and c.attrs.get("agreement_label"):
        labels["agreement"] = f"agreement: {c.attrs['agreement_label']}"
    elif "agreement" in rules:
        labels["agreement"] = f"agreement ({labels.get(c.attrs.get('agreement_rule'), c.attrs.get('agreement_rule'))})"
    D = c.sizes["draw"]
    years = c["year"].values.tolist()
    out = [c.attrs.get("title", ""),
           f"Sharing rules: {D:,} draws, seed {c.attrs['seed']}, {c.attrs['horizon_months']} months from "
           f"{c.attrs['calendar_start']}. Amounts in EUR 1,000 over the horizon"
           + (" (discounted)." if discounted else ".")]
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
                table.append([labels[r] if k == 0 else "", names[q], names[p], _k1000(float(m.sel(payer=q, receiver=p)))]
                             + [_k1000(float(by_year.sel(payer=q, receiver=p, year=y))) for y in years])
        out += render_table(table)
        out += ["", "Net per party before and after each rule"]
        table = [["party", "rule", "net mean", "net P5", "P(net<0)", "break-even month", "breaks even"]]
        for p in parties:
            table.append([names[p], "no transfers", _k1000(float(c["mean_before"].sel(party=p))),
                          _k1000(float(c["p5_before"].sel(party=p))), f"{float(c['p_loss_before'].sel(party=p)):.2f}",
                          format_month(float(c["break_even_median_before"].sel(party=p))),
                          f"{float(c['p_break_even_before'].sel(party=p)):.0%}"])
            for r in rules:
                sel = dict(rule=r, settle=s, party=p)
                table.append(["", labels[r], _k1000(float(c["mean_after"].sel(sel))), _k1000(float(c["p5_after"].sel(sel))),
                              f"{float(c['p_loss_after'].sel(sel)):.2f}",
                              format_month(float(c["break_even_median_after"].sel(sel))),
                              f"{float(c['p_break_even_after'].sel(sel)):.0%}"])
        out += render_table(table)
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
    for notice in from_attr(c.attrs.get("notices", "")):
        out.append(f"note: {notice_text(notice)}")
    return "\n".join(out)




# --------------------------------------------------------------------------- sensitivity


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
        out += ["", f"{_name(ds, party)}: base net {format_thousands(float(sub.base_net))}"]
        order = [i for i in sub.ranking.values.argsort() if sub.swing.values[i] > 0.5][:top]
        if not order:
            out.append("  no uncertain parameter moves this party's net")
            continue
        table = [["#", "parameter", "low .. high", "net at low", "net at high", "swing"]]
        for i in order:
            table.append([str(int(sub.ranking.values[i])), str(sub.parameter.values[i]),
                          f"{format_value(float(sub.low_value.values[i]))} .. {format_value(float(sub.high_value.values[i]))}",
                          format_thousands(float(sub.net_low.values[i])), format_thousands(float(sub.net_high.values[i])),
                          format_thousands(float(sub.swing.values[i]))])
        out += render_table(table, left=2, indent='  ')
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
        out += ["", f"{_name(ds, party)}: mean expected net {format_thousands(float(sub.net_mean))}, sd {format_thousands(sd)}{noise_txt}"]
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
        out += render_table(table, left=2, indent='  ')
        rest = d - len(order)
        if rest > 0:
            out.append(f"  ... {rest} more with a total index below 0.01 or beyond --top")
    return "\n".join(out)


def format_threshold(ds) -> str:
    """Return the printed summary of a threshold Dataset: thresholds, then the curve per party."""
    a = ds.attrs
    name = a["parameter"] if a["parameter"] == a["parameter_path"] else f"{a['parameter']} ({a['parameter_path']})"
    out = [f"Threshold: {a['title']}",
           f"{name}: base value {format_value(a['base_value'])}, searched over [{format_value(a['bounds_low'])}, "
           f"{format_value(a['bounds_high'])}] ({a['bounds_from']}).",
           "",
           "Value at which the expected net is zero (base case: other parameters at their base values):"]
    table = [["party", "", "threshold", "net at base value"]]
    for party in _parties_total_first(ds):
        sub = ds.sel(party=party)
        t = float(sub.threshold)
        if math.isfinite(t):
            txt = format_value(t)
            if int(sub.crossings) > 1:
                txt += f" ({int(sub.crossings)} crossings; nearest the base value)"
        else:
            lo, hi = float(sub.expected_net.min()), float(sub.expected_net.max())
            txt = "none: always positive" if lo > 0 else ("none: always negative" if hi < 0 else "none")
        table.append([_name(ds, party), "", txt, format_thousands(float(sub.base_net))])
    out += render_table(table, left=2, indent='  ')
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
        row = [format_value(float(v)), ""]
        for p in parties:
            s = ds.sel(party=p).isel(value=i)
            row.append(f"{format_thousands(float(s.net_mean))} [{format_thousands(float(s.net_low))} .. {format_thousands(float(s.net_high))}]")
        table.append(row)
    out += render_table(table, left=2, indent='  ')
    for p in flat:
        out.append(f"  {_name(ds, p)}: {format_thousands(float(ds.net_mean.sel(party=p).isel(value=0)))} at every value, "
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
        table.append([_name(ds, party), "", format_thousands(float(sub.net_mean)), format_thousands(float(sub.net_sd)), p_txt, c_txt, verdict])
    out += render_table(table, left=2, indent='  ')
    return "\n".join(out)



FORMAT = {"tornado": format_tornado, "sobol": format_sobol, "threshold": format_threshold,
          "variance": format_variance}
"""The text of each sensitivity method's Dataset."""
