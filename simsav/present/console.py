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
from .formats import format_eur, format_number, format_thousands, format_value, notice_text, plain
from .plot.sharing import rule_names
from .texts import TEXTS, check_lang, text


def render_table(rows, *, left: int = 1, indent: str = "", total_row: bool = False,
                 numbers_right: bool = False, markdown: bool = False) -> list[str]:
    """Return the lines of a table: the first row is the header, underlined.

    The first ``left`` columns are left-aligned, the others right-aligned (with
    ``numbers_right``, only their cells that start like a number). ``total_row``: a rule above
    the last row too. ``markdown``: a pipe table, every ``|`` in a cell escaped. Every cell goes
    through :func:`~simsav.present.formats.plain`: no control character, no line break in a cell.
    """
    rows = [[plain(c) for c in r] for r in rows]
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


def _t(lang: str, key: str, section: str = "console", **values) -> str:
    values = {k: plain(v) if isinstance(v, str) else v for k, v in values.items()}  # a name: one line, no ESC
    return text(lang, section, key, **values)


def _names(ds, lang: str = "en") -> dict[str, str]:
    names = {}
    if "party_name" in ds.coords:
        names = dict(zip(ds["party"].values.tolist(), (plain(n) for n in ds["party_name"].values)))
    names["total"] = TEXTS["figures"]["all_parties"][lang]
    return names


def _fixed(x: float, lang: str = "en", decimals: int = 0) -> str:
    """Return ``x`` with ``decimals`` decimals: as Python writes it (en), or Dutch (nl: 1.234,5)."""
    return f"{x:.{decimals}f}" if lang == "en" else format_number(x, lang, decimals)


def _band(s, lang: str = "en") -> str:
    return f"{format_thousands(s.median, lang)} [{format_thousands(s.low, lang)} .. {format_thousands(s.high, lang)}]"


def _mean_se(s, lang: str = "en") -> str:
    return f"{format_thousands(s.mean, lang)} ±{format_number(s.se / 1000, lang, 1)}"


def _k1000(x: float, lang: str = "en") -> str:
    return format_thousands(x, lang)


def _euros(x: float, lang: str = "en") -> str:
    return format_eur(x, lang)


def _shares(values, parties, names) -> str:
    return ", ".join(f"{names[p]} {v:.0%}" for p, v in zip(parties, values) if v > 0)


SETTLE_WORDS = {s: TEXTS["share_console"][s]["en"] for s in ("ex-ante", "ex-post")}


def format_break_even(month: float, horizon: int, lang: str = "en") -> str:
    """Return a break-even month as the tables show it: the month, or '> 60' ('> 60 mnd' in Dutch:
    not within the horizon)."""
    if month is None or (isinstance(month, float) and math.isnan(month)):
        return "-"
    return _t(lang, "months_short", h=horizon) if math.isinf(month) else f"{month:.0f}"


def format_run(ds, lang: str = "en") -> str:
    """Return the per-party table ``simsav run`` prints for a results Dataset, in ``lang``."""
    from ..analysis.summary import party_summary
    from ..model.results import is_discounted

    check_lang(lang)
    summ = party_summary(ds, _names(ds, lang))
    mc = ds.attrs["mode"] == "monte_carlo"
    H = ds.attrs["horizon_months"]
    out = []
    if mc:
        head = _t(lang, "head_mc", draws=format_number(summ.draws, lang), seed=ds.attrs['seed'],
                  agents=ds.attrs['agents'], h=H, start=ds.attrs['calendar_start'],
                  disc=_t(lang, "discounted") if is_discounted(ds) else "")
    else:
        head = _t(lang, "head_base", agents=ds.attrs['agents'], h=H, start=ds.attrs['calendar_start'])
    out.append(f"{plain(ds.attrs['title'])}\n{head}")
    out.append("")
    rows = summ.parties + [summ.total]
    with_base = mc and math.isfinite(summ.total.base_net)
    k = lambda key: _t(lang, key)
    if mc:
        header = [k("party"), k("costs_mean_se"), k("savings_mean_se"), k("net_band"), k("net_mean_se")]
        header += [k("net_base")] if with_base else []
        header += [k("p_net_positive"), k("be_month_median"), k("breaks_even")]
        table = [header]
        for r in rows:
            table.append([r.name, _mean_se(r.costs, lang), _mean_se(r.savings, lang), _band(r.net, lang),
                          _mean_se(r.net, lang)]
                         + ([format_thousands(r.base_net, lang)] if with_base else [])
                         + [format_number(r.p_positive, lang, 2), format_break_even(r.break_even, H, lang),
                            f"{r.p_break_even:.0%}"])
    else:
        header = [k("party"), k("costs"), k("savings"), k("net"), k("be_month")]
        table = [header]
        for r in rows:
            table.append([r.name, format_thousands(r.costs.mean, lang), format_thousands(r.savings.mean, lang),
                          format_thousands(r.net.mean, lang), format_break_even(r.break_even, H, lang)])
    out.extend(render_table(table, total_row=True))
    out.append("")
    n2 = lambda x: format_number(x, lang, 2)
    if mc:
        s = summ.sroi
        out.append(_t(lang, "sroi_mc", median=n2(s.median), low=n2(s.low), high=n2(s.high), mean=n2(s.mean),
                      se=n2(s.se)))
        out.append(_t(lang, "p_all", p=n2(summ.p_all_positive)))
        out.append(_t(lang, "be_explained", h=H))
        if with_base:
            out.append(bridge_line(summ.total, lang))
    else:
        out.append(_t(lang, "sroi_base", sroi=n2(summ.sroi.mean)))
    out.append("")
    placed = bool(summ.placed)
    band = k("band_median") if mc else ""
    mean = [k("mean_col")] if mc else []
    table = [[k("stream"), k("participants"), k("placements") + band, *mean]
             + ([k("placed_once") + (f" ({k('mean_col')})" if mc else "")] if placed else [])
             + [k("successes_12") + band, *mean]]
    for s in list(summ.placements):
        p, q = summ.placements[s], summ.successes[s]
        n = str(summ.participants.get(s, ""))
        once = [_fixed(summ.placed[s].mean, lang, 1)] if placed else []
        name = k("total") if s == "total" else s
        if mc:
            table.append([name, n, f"{_fixed(p.median, lang)} [{_fixed(p.low, lang)} .. {_fixed(p.high, lang)}]",
                          _fixed(p.mean, lang, 1), *once,
                          f"{_fixed(q.median, lang)} [{_fixed(q.low, lang)} .. {_fixed(q.high, lang)}]",
                          _fixed(q.mean, lang, 1)])
        else:
            table.append([name, n, _fixed(p.mean, lang, 1), *once, _fixed(q.mean, lang, 1)])
    out.extend(render_table(table, total_row=True))
    out.append(k("placement_note"))
    for notice in summ.notices:
        out.append("")
        out.append(_t(lang, "warning", what=notice_text(notice, lang)))
    return "\n".join(out)


def bridge_line(total, lang: str = "en") -> str:
    """Return how the base case becomes the Monte Carlo mean, for all parties (EUR 1,000)."""
    points, means, mc = total.base_net, total.means_net, total.net.mean
    if not math.isfinite(means):
        return _t(lang, "bridge_points", points=format_thousands(points, lang))
    return _t(lang, "bridge", points=format_thousands(points, lang), means=format_thousands(means, lang),
              gap=format_signed(means - points, lang), mc=format_thousands(mc, lang),
              rest=format_signed(mc - means, lang), se=format_number(total.net.se / 1000, lang, 1))


def format_signed(x: float, lang: str = "en") -> str:
    """Return euros in thousands with a sign: +42, -7."""
    text = format_thousands(x, lang)
    return text if text.startswith("-") or text in ("0", "-") else "+" + text


def _g(x: float, lang: str) -> str:
    """Return ``x`` as ``:g`` writes it, with a decimal comma in Dutch."""
    return f"{x:g}" if lang == "en" else f"{x:g}".replace(".", ",")


def format_validate(cfg, model, source: str, lang: str = "en") -> str:
    """Return what ``simsav validate`` prints: what simsav understood of a valid config."""
    def v(key, **values):
        return _t(lang, key, "validate_console", **values)

    lines = [v("valid", source=source), v("title", title=cfg.title), ""]
    lines.append(v("parties"))
    for p in cfg.parties:
        lines.append(f"  {p.id:<22} {plain(p.name)} ({p.role})")
    lines.append("")
    lines.append(v("cohort", n=model.n_agents,
                   months=len(cfg.cohort.inflow_weights) if cfg.cohort.inflow_weights else cfg.cohort.inflow_months,
                   h=cfg.cohort.horizon_months, start=cfg.cohort.start, rate=describe(cfg.cohort.discount_rate)))
    lines.append(v("streams"))
    counts = model.stream_counts()
    for s in cfg.streams:
        benefit = (v("benefit", amount=describe(s.monthly_benefit), payer=s.payer,
                     months=describe(s.benefit_months_remaining), law=s.benefit_months_law)
                   if s.payer else v("no_benefit"))
        lines.append(f"  {s.id:<22} " + v("stream", n=f"{counts[s.id]:>5}", benefit=s.benefit, what=benefit,
                                           manager=s.manager))
    lines.append("")
    lines.append(v("items"))
    item_streams, item_worlds = model.kernel.item_streams, model.kernel.item_worlds
    for i, iid in enumerate(model.item_ids):
        streams = [model.stream_ids[k] for k in range(len(model.stream_ids)) if item_streams[i, k]]
        streams_txt = v("all_streams") if len(streams) == len(model.stream_ids) else ", ".join(streams)
        worlds = v("both_worlds") if item_worlds[i].all() else (v("program") if item_worlds[i, 0] else v("counterfactual"))
        extra = "" if model.item_in_table[i] else v("outside")
        kind = model.item_kinds[i]
        width = max(len(v("cost")), len(v("saving")), 6)
        kind = v(kind) if kind in ("cost", "saving") else kind
        lines.append(f"  {iid:<28} {kind:<{width}} {v('paid_by')} {model.party_ids[model.item_party[i]]:<16} "
                     f"{worlds}, {streams_txt}{extra}")
    lines.append("")
    unc = model.table.uncertain
    lines.append(v("uncertain", n=len(unc)) if unc else v("uncertain_none"))
    for k in unc:
        p = model.table.params[k]
        label = plain(p.name if p.name == p.path else f"{p.name} ({p.path})")
        lines.append(f"  {label:<60} {p.describe()}, {v('base', value=_g(p.point, lang))}")
    for c in cfg.correlations:
        lines.append("  " + v("correlation", rank=f"{c.rank:+.2f}" if lang == "en" else f"{c.rank:+.2f}".replace(".", ","), a=c.between[0], b=c.between[1]))
    return "\n".join(lines)


def format_share(c, discounted: bool = False, lang: str = "en") -> str:
    """Return the text ``simsav share`` prints for a comparison Dataset (``sharing.compare``), in ``lang``."""
    def w(key, **values):
        return _t(lang, key, "share_console", **values)

    check_lang(lang)
    names = _names(c, lang)
    parties = c["party"].values.tolist()
    rules = c["rule"].values.tolist()
    labels = dict(zip(rules, rule_names(c, lang)))
    if "agreement" in rules and c.attrs.get("agreement_label"):
        labels["agreement"] = w("agreement_label", label=c.attrs['agreement_label'])
    elif "agreement" in rules:
        labels["agreement"] = w("agreement_rule", rule=labels.get(c.attrs.get('agreement_rule'),
                                                                  c.attrs.get('agreement_rule')))
    D = c.sizes["draw"]
    H = c.attrs["horizon_months"]
    years = c["year"].values.tolist()
    out = [plain(c.attrs.get("title", "")),
           w("head", draws=format_number(D, lang), seed=c.attrs['seed'], h=c.attrs['horizon_months'],
             start=c.attrs['calendar_start'], disc=w("discounted") if discounted else "")]
    investors = [names[p] for p, inv in zip(parties, c["investor"].values) if inv]
    out.append(w("investors", who=", ".join(investors) if investors else w("none")))

    terms = []
    for r in rules:
        price = float(c["price_per_success"].sel(rule=r))
        if not math.isfinite(price):
            continue
        per_month = float(c["price_per_work_month"].sel(rule=r))
        payer, receiver = c["payer_share"].sel(rule=r).values, c["receiver_share"].sel(rule=r).values
        if payer.sum() == 0:
            terms.append(w("no_payments", rule=labels[r]))
            continue
        line = w("price", rule=labels[r], price=_euros(price, lang))
        if per_month > 0:
            line += w("per_month", price=_euros(per_month, lang))
        terms.append(line)
        terms.append(w("paid_by", payers=_shares(payer, parties, names), receivers=_shares(receiver, parties, names)))
    if terms:
        out += ["", w("terms")] + terms

    k = lambda x: _k1000(x, lang)
    for s in c["settle"].values.tolist():
        out += ["", w("settled", how=w(s)), "", w("matrix") + (w("matrix_mean") if D > 1 else "")]
        table = [[w("rule"), w("payer"), w("receiver"), w("total")] + [str(y) for y in years]]
        for r in rules:
            m = c["transfer_matrix"].sel(rule=r, settle=s).mean("draw")
            by_year = c["transfer_by_year"].sel(rule=r, settle=s)
            rows = [(q, p) for q in parties for p in parties if float(m.sel(payer=q, receiver=p)) >= 0.5]
            if not rows:
                table.append([labels[r], w("no_transfers_row"), "", ""] + [""] * len(years))
            for i, (q, p) in enumerate(rows):
                table.append([labels[r] if i == 0 else "", names[q], names[p], k(float(m.sel(payer=q, receiver=p)))]
                             + [k(float(by_year.sel(payer=q, receiver=p, year=y))) for y in years])
        out += render_table(table)
        out += ["", w("net_before_after")]
        table = [[w("party"), w("rule"), w("net_mean"), w("net_p5"), w("p_loss"), w("be_month"), w("breaks_even")]]
        for p in parties:
            table.append([names[p], w("no_transfers"), k(float(c["mean_before"].sel(party=p))),
                          k(float(c["p5_before"].sel(party=p))),
                          format_number(float(c['p_loss_before'].sel(party=p)), lang, 2),
                          format_break_even(float(c["break_even_median_before"].sel(party=p)), H, lang),
                          f"{float(c['p_break_even_before'].sel(party=p)):.0%}"])
            for r in rules:
                sel = dict(rule=r, settle=s, party=p)
                table.append(["", labels[r], k(float(c["mean_after"].sel(sel))), k(float(c["p5_after"].sel(sel))),
                              format_number(float(c['p_loss_after'].sel(sel)), lang, 2),
                              format_break_even(float(c["break_even_median_after"].sel(sel)), H, lang),
                              f"{float(c['p_break_even_after'].sel(sel)):.0%}"])
        out += render_table(table)
        totals = c["net_after"].sel(settle=s).sum("party") - c["net_before"].sum("party")
        if float(abs(totals).max()) > 0.01:  # pragma: no cover - an invariant of every rule
            out.append(w("changed_total"))
    out += ["", w("legend")]
    if D < 1000:
        out.append(w("few_draws", draws=D, tail=max(1, round(D * 0.05))))
    for notice in from_attr(c.attrs.get("notices", "")):
        out.append(_t(lang, "note", what=notice_text(notice, lang)))
    return "\n".join(out)


# --------------------------------------------------------------------------- sensitivity


def _parties_total_first(ds) -> list[str]:
    parties = [str(p) for p in ds.party.values]
    return parties[-1:] + parties[:-1]


def _name(ds, party: str, lang: str = "en") -> str:
    name = plain(ds.party_name.sel(party=party).item())
    return TEXTS["figures"]["all_parties"][lang] if name == TEXTS["figures"]["all_parties"]["en"] else name


def _s(lang, key, **values):
    return _t(lang, key, "sensitivity_console", **values)


def _parameter(sub, i: int) -> str:
    """A parameter's label (the ``parameter_label`` coordinate simsav.present.labels adds), else its name."""
    coord = sub["parameter_label"] if "parameter_label" in sub.coords else sub["parameter"]
    return str(coord.values[i])


def format_tornado(ds, top: int = 10, lang: str = "en") -> str:
    """Return the printed summary of a tornado Dataset: per party, parameters by swing."""
    th = lambda x: format_thousands(x, lang)
    out = _s(lang, "tornado_head", title=ds.attrs['title'], low=f"{ds.attrs['quantile_low']:.0%}",
             high=f"{ds.attrs['quantile_high']:.0%}").split("\n")
    for party in _parties_total_first(ds):
        sub = ds.sel(party=party)
        out += ["", _s(lang, "base_net", party=_name(ds, party, lang), net=th(float(sub.base_net)))]
        order = [i for i in sub.ranking.values.argsort() if sub.swing.values[i] > 0.5][:top]
        if not order:
            out.append(_s(lang, "nothing_moves"))
            continue
        table = [["#", _s(lang, "parameter"), _s(lang, "low_high"), _s(lang, "net_low"), _s(lang, "net_high"),
                  _s(lang, "swing")]]
        for i in order:
            table.append([str(int(sub.ranking.values[i])), _parameter(sub, i),
                          f"{format_value(float(sub.low_value.values[i]), lang)} .. "
                          f"{format_value(float(sub.high_value.values[i]), lang)}",
                          th(float(sub.net_low.values[i])), th(float(sub.net_high.values[i])),
                          th(float(sub.swing.values[i]))])
        out += render_table(table, left=2, indent='  ')
        rest = int((sub.swing.values > 0.5).sum()) - len(order)
        if rest > 0:
            out.append(_s(lang, "more_top", n=rest))
    return "\n".join(out)


def format_sobol(ds, top: int = 10, lang: str = "en") -> str:
    """Return the printed summary of a Sobol Dataset: per party, parameters by total index."""
    d = ds.parameter.size
    cl = ds.attrs["confidence_level"]
    clp = f"{cl:.0%}"
    n2 = lambda x: format_number(x, lang, 2)
    out = _s(lang, "sobol_head", title=ds.attrs['title'], d=d, n=format_number(ds.attrs['n'], lang),
             evals=format_number(ds.attrs['evaluations'], lang), seed=ds.attrs['seed'], cl=clp).split("\n")
    if ds.attrs.get("correlations_ignored"):
        out.append(_s(lang, "corr_ignored", what=ds.attrs['correlations_ignored']))
    if ds.attrs.get("noise_rows"):
        out += _s(lang, "noise_rows", rows=ds.attrs['noise_rows']).split("\n")
    for party in _parties_total_first(ds):
        sub = ds.sel(party=party)
        sd = math.sqrt(max(float(sub.net_variance), 0.0))
        noise = float(sub.noise_share)
        noise_txt = _s(lang, "noise", share=f"{noise:.0%}") if math.isfinite(noise) else ""
        out += ["", _s(lang, "sobol_party", party=_name(ds, party, lang), net=format_thousands(float(sub.net_mean), lang),
                       sd=format_thousands(sd, lang), noise=noise_txt)]
        if sd < 0.5:
            out.append(_s(lang, "sobol_flat"))
            continue
        order = [i for i in sub.ranking.values.argsort() if sub.total_order_high.values[i] >= 0.01][:top]
        table = [["#", _s(lang, "parameter"), _s(lang, "total_ci", cl=clp), _s(lang, "first_ci", cl=clp)]]
        for i in order:
            table.append([str(int(sub.ranking.values[i])), _parameter(sub, i),
                          f"{n2(sub.total_order.values[i])} [{n2(sub.total_order_low.values[i])} .. "
                          f"{n2(sub.total_order_high.values[i])}]",
                          f"{n2(sub.first_order.values[i])} [{n2(sub.first_order_low.values[i])} .. "
                          f"{n2(sub.first_order_high.values[i])}]"])
        out += render_table(table, left=2, indent='  ')
        rest = d - len(order)
        if rest > 0:
            out.append(_s(lang, "sobol_more", n=rest))
    return "\n".join(out)


def _bounds_from(how: str, lang: str) -> str:
    """Return where a threshold's range comes from (simsav.analysis.sensitivity says it in English) in ``lang``."""
    for pair in TEXTS["sensitivity_console"]["bounds_from"].values():
        if pair["en"] == how:
            return pair[lang]
    return how


def format_threshold(ds, lang: str = "en") -> str:
    """Return the printed summary of a threshold Dataset: thresholds, then the curve per party."""
    a = ds.attrs
    th = lambda x: format_thousands(x, lang)
    fv = lambda x: format_value(x, lang)
    name = a["parameter"] if a["parameter"] == a["parameter_path"] else f"{a['parameter']} ({a['parameter_path']})"
    if a.get("parameter_label"):  # simsav.present.labels: what a board reads, then what the user typed
        name = f"{a['parameter_label']} ({a['parameter']})"
    out = _s(lang, "threshold_head", title=a['title'], param=name, base=fv(a['base_value']), low=fv(a['bounds_low']),
             high=fv(a['bounds_high']), frm=_bounds_from(a['bounds_from'], lang)).split("\n")
    table = [[_t(lang, "party"), "",
              _s(lang, "threshold"), _s(lang, "net_at_base")]]
    for party in _parties_total_first(ds):
        sub = ds.sel(party=party)
        t = float(sub.threshold)
        if math.isfinite(t):
            txt = fv(t)
            if int(sub.crossings) > 1:
                txt += _s(lang, "crossings", n=int(sub.crossings))
        else:
            lo, hi = float(sub.expected_net.min()), float(sub.expected_net.max())
            txt = _s(lang, "always_positive") if lo > 0 else (_s(lang, "always_negative") if hi < 0 else _s(lang, "none"))
        table.append([_name(ds, party, lang), "", txt, th(float(sub.base_net))])
    out += render_table(table, left=2, indent='  ')
    out += [""] + _s(lang, "curve_head", parameter=a['parameter'], low=f"{a['band_low']:.0%}",
                     high=f"{a['band_high']:.0%}", draws=a['draws']).split("\n")
    parties, flat = [], []
    for p in _parties_total_first(ds):
        sub = ds.sel(party=p)
        curve = np.concatenate([sub.net_low.values, sub.net_high.values])
        (flat if np.ptp(curve) < 0.5 else parties).append(p)
    table = [[_s(lang, "value"), ""] + [_name(ds, p, lang) for p in parties]]
    for i, v in enumerate(ds.value.values):
        row = [fv(float(v)), ""]
        for p in parties:
            s = ds.sel(party=p).isel(value=i)
            row.append(f"{th(float(s.net_mean))} [{th(float(s.net_low))} .. {th(float(s.net_high))}]")
        table.append(row)
    out += render_table(table, left=2, indent='  ')
    for p in flat:
        out.append(_s(lang, "flat", party=_name(ds, p, lang), net=th(float(ds.net_mean.sel(party=p).isel(value=0)))))
    return "\n".join(out)


def format_variance(ds, lang: str = "en") -> str:
    """Return the printed summary of a variance decomposition: per party, the two shares."""
    a = ds.attrs
    out = _s(lang, "variance_head", title=a['title'], outer=a['outer_draws'], inner=a['inner_draws'],
             agents=a['agents'], seed=a['seed']).split("\n")
    table = [[_t(lang, "party"), "", _s(lang, "mean_net"), "sd", _s(lang, "parameter_col"), _s(lang, "cohort_col"),
              _s(lang, "narrows")]]
    for party in _parties_total_first(ds):
        sub = ds.sel(party=party)
        p, c = float(sub.parameter_share), float(sub.cohort_share)
        if not math.isfinite(p):
            verdict, p_txt, c_txt = _s(lang, "no_variance"), "-", "-"
        else:
            verdict = _s(lang, "better_data") if p > c else _s(lang, "bigger_pilot")
            p_txt, c_txt = f"{p:.0%}", f"{c:.0%}"
        table.append([_name(ds, party, lang), "", format_thousands(float(sub.net_mean), lang),
                      format_thousands(float(sub.net_sd), lang), p_txt, c_txt, verdict])
    out += render_table(table, left=2, indent='  ')
    return "\n".join(out)


FORMAT = {"tornado": format_tornado, "sobol": format_sobol, "threshold": format_threshold,
          "variance": format_variance}
"""The text of each sensitivity method's Dataset."""
