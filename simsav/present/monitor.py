"""The words and tables of monitoring (``simsav register check``, ``simsav monitor``): plan and
realisation per party, the states at the census, the events to date; in Dutch or English
(texts in :mod:`simsav.present.texts`, section ``monitor``). No table lists an individual."""
from __future__ import annotations

import math

from .console import render_table
from .formats import format_eur, format_number, format_thousands, notice_text, plain
from .texts import check_lang, section


def _t(lang):
    return section("monitor")[check_lang(lang)]


def _count(x, lang: str) -> str:
    x = float(x)
    return format_number(x, lang, 0 if x == round(x) else 1)


def _count_rows(counts: dict, plan: dict | None, words: dict, lang: str) -> list[list[str]]:
    """One row per name: its words, the realised count and, with a plan, the plan's ('-' where it has none)."""
    rows = []
    for name, n in counts.items():
        row = [words.get(name, name), _count(n, lang)]
        if plan is not None:
            row.append(_count(plan[name], lang) if name in plan else "-")
        rows.append(row)
    return rows


def format_counts(title: str, states: dict, events: dict, lang: str = "en", plan_states=None, plan_events=None,
                  as_of: str = "") -> str:
    """Return the counts per state at the census and the events to date (beside the plan's when given)."""
    t = _t(lang)
    lines = [plain(title), ""]
    head = [t["state"].format(as_of=as_of), t["realised"]] + ([t["plan"]] if plan_states is not None else [])
    rows = [head] + _count_rows(states, plan_states, t["states"], lang)
    rows.append([t["participants"], _count(sum(states.values()), lang)]
                + ([_count(sum(plan_states.values()), lang)] if plan_states is not None else []))
    lines += render_table(rows, total_row=True)
    if events:
        lines.append("")
        head = [t["event"], t["realised"]] + ([t["plan"]] if plan_events is not None else [])
        rows = [head] + _count_rows(events, plan_events, t["events"], lang)
        lines += render_table(rows)
    return "\n".join(lines)


def ledger_rows(ds, lang: str = "en") -> list[list[str]]:
    """Return plan and realisation per party to date as table rows (a header row first, 'all parties' last)."""
    t = _t(lang)
    cols = ("costs_plan", "costs_real", "savings_plan", "savings_real", "net_plan", "net_real", "difference")
    rows = [[t["party"]] + [t[c] for c in cols]]

    def line(name, sel):
        v = {k: float(ds[k].sel(party=sel).sum()) for k in ("plan_costs", "realised_costs", "plan_savings",
                                                             "realised_savings", "plan_net", "realised_net")}
        return [name] + [format_thousands(x, lang) for x in (v["plan_costs"], v["realised_costs"], v["plan_savings"],
                                                       v["realised_savings"], v["plan_net"], v["realised_net"],
                                                       v["realised_net"] - v["plan_net"])]

    for p, name in zip(ds["party"].values.tolist(), ds["party_name"].values.tolist()):
        rows.append(line(plain(name), [p]))
    rows.append(line(t["all_parties"], ds["party"].values.tolist()))
    return rows


def format_ledger(ds, title: str, lang: str = "en", start: str = "") -> str:
    """Return plan and realisation per party to date (``simsav monitor``) from ``realised_ledger``'s Dataset."""
    t = _t(lang)
    as_of = ds.attrs["as_of"]
    lines = [plain(t["title"].format(as_of=as_of, title=title)),
             t["intro"].format(n=ds.attrs["participants"], register=ds.attrs["register"], start=start, as_of=as_of),
             t["counterfactual_note"], ""]
    rows = ledger_rows(ds, lang)
    lines += render_table(rows, total_row=True)
    lines.append("")
    lines.append(format_counts("", dict(zip(ds["state"].values.tolist(), ds["realised_occupancy"].values)),
                               dict(zip(ds["event"].values.tolist(), ds["realised_events"].values)), lang,
                               dict(zip(ds["state"].values.tolist(), ds["plan_occupancy"].values)),
                               dict(zip(ds["event"].values.tolist(), ds["plan_events"].values)), as_of).lstrip("\n"))
    return "\n".join(lines)


def settlement_parts(st, names: dict | None = None, lang: str = "en") -> dict:
    """Return the settlement per closed calendar year (``settle_realised``'s Dataset) as parts of a
    page: ``title``, ``intro``, ``tables`` (per closed year: its caption and rows, a header row
    first: per rule who pays whom in euros) and ``notes``. ``names``: display names of the party ids."""
    t = _t(lang)
    rule_names = section("sharing_figures")[check_lang(lang)]["rules"]
    names = names or {}
    label = st.attrs.get("agreement_label", "") or st.attrs.get("agreement_rule", "")
    agreement = t["settlement_agreement"].format(label=plain(label)) if st.attrs.get("agreement_rule") else ""
    parts = {"title": plain(t["settlement_title"]), "intro": t["settlement_intro"].format(agreement=agreement),
             "tables": [], "notes": []}
    as_of = st.attrs["as_of"]
    years = [int(y) for y in st["year"].values]
    if not years:
        parts["notes"].append(t["settlement_none"].format(as_of=as_of))
        return parts
    parties = st["payer"].values.tolist()
    rules = st["rule"].values.tolist()
    for year in years:
        y = st.sel(year=year)
        caption = t["settlement_year"].format(year=year, net=format_eur(float(y["year_net"].sum()), lang),
                                              successes=_count(y["year_successes"], lang))
        rows = [[t["rule"], t["payer"], t["receiver"], t["amount"]]]
        for rule in rules:
            m = y["settlement"].sel(rule=rule).values
            pairs = [(a, b) for a in range(len(parties)) for b in range(len(parties)) if round(m[a, b]) > 0]
            name = rule_names.get(rule, rule)
            if not pairs:
                rows.append([name, t["no_transfer"], "", ""])
            for a, b in pairs:
                rows.append([name, plain(names.get(parties[a], parties[a])), plain(names.get(parties[b], parties[b])),
                             format_number(float(m[a, b]), lang, 0)])
                name = ""
        parts["tables"].append((caption, rows))
    price = st["price_per_success"].values
    for rule, p, w in zip(rules, price, st["price_per_work_month"].values):
        if not math.isnan(p):  # an outcome-payments rule
            work = t["price_work"].format(price=format_number(float(w), lang, 0)) if w > 0 else ""
            parts["notes"].append(t["price"].format(rule=rule_names.get(rule, rule),
                                                    price=format_number(float(p), lang, 0), work=work))
    from ..analysis.notices import from_attr

    parts["notes"] += [notice_text(n, lang) for n in from_attr(st.attrs.get("notices", "[]"))]
    last = st.attrs.get("as_of", "")
    census_year = int(last[:4]) if last else None
    if census_year is not None and census_year not in years:
        parts["notes"].append(t["settlement_open"].format(year=census_year, as_of=as_of))
    return parts


def format_settlement(st, names: dict | None = None, lang: str = "en") -> str:
    """Return the settlement per closed calendar year as console text (see :func:`settlement_parts`)."""
    parts = settlement_parts(st, names, lang)
    lines = [parts["title"], parts["intro"], ""]
    for caption, rows in parts["tables"]:
        lines.append(caption)
        lines += render_table(rows, left=3)
        lines.append("")
    lines += parts["notes"]
    return "\n".join(lines).rstrip("\n")


MEASURE_TOP = 3
"""How many outcomes "what to measure next" names per party."""


def measure_next_lines(voi, labels: dict | None = None, names: dict | None = None, lang: str = "en",
                       nothing: str | None = None) -> list[str]:
    """Return, per party, the parameters of a value-of-information Dataset (``Monitoring.measure_next``:
    the outcomes the register measures; the board report: every assumption) ranked by their EVPPI,
    those worth more than one standard error only, at most :data:`MEASURE_TOP`; one line (the text
    ``nothing``, with ``{parties}``; default the monitor's) for the parties whose decision none moves."""
    t = _t(lang)
    if voi is None or voi.sizes.get("parameter", 0) == 0:
        return [t["measure_none"]]
    labels, names = labels or {}, dict(names or {})
    names.setdefault("total", section("figures")[check_lang(lang)]["all_parties"])
    lines, idle = [], []
    params = [str(p) for p in voi["parameter"].values]
    for party in [str(p) for p in voi["party"].values]:
        value = voi["evppi"].sel(party=party).values
        se = voi["evppi_se"].sel(party=party).values
        ranked = sorted(range(len(params)), key=lambda k: -value[k])
        order = [k for k in ranked if value[k] > se[k] and value[k] >= 1.0]  # and a euro at least
        shown = plain(names.get(party, party))
        if not order:
            idle.append(shown)
            continue
        items = "; ".join(t["measure_item"].format(label=plain(labels.get(params[k], params[k])),
                                                   value=format_eur(value[k], lang), se=format_number(2 * se[k], lang, 0))
                          for k in order[:MEASURE_TOP])
        lines.append(t["measure_party"].format(party=shown, evpi=format_eur(float(voi["evpi"].sel(party=party)), lang),
                                               items=items))
    if idle:
        lines.append((nothing or t["measure_nothing"]).format(parties=", ".join(idle)))
    return lines


def format_measure_next(voi, labels: dict | None = None, names: dict | None = None, lang: str = "en") -> str:
    """Return the "what to measure next" section of ``simsav monitor``."""
    t = _t(lang)
    return "\n".join([t["measure_title"], t["measure_intro"], "",
                      *("  " + line for line in measure_next_lines(voi, labels, names, lang))])


def format_posterior(ds, labels: dict | None = None, lang: str = "en") -> str:
    """Return prior and posterior per outcome parameter (``analysis.posterior``'s Dataset): mean and
    5% - 95% band before and after the data, and how the posterior was sampled. ``labels``:
    display labels by parameter name or path."""
    t = _t(lang)
    intro = t["posterior_intro_status"] if ds.attrs.get("data_kind") == "status" else t["posterior_intro"]
    lines = [plain(t["posterior_title"]),
             intro.format(draws=format_number(ds.attrs["draws"], lang, 0), as_of=ds.attrs["as_of"]), ""]
    if ds.sizes["parameter"] == 0:
        lines.append(t["posterior_none"])
        return "\n".join(lines)

    lines += render_table(posterior_rows(ds, labels, lang))
    lines += ["", posterior_method(ds, lang)]
    return "\n".join(lines)


def posterior_rows(ds, labels: dict | None = None, lang: str = "en") -> list[list[str]]:
    """Return prior and posterior per outcome parameter as table rows (a header row first)."""
    t = _t(lang)
    labels = labels or {}

    def band(q):
        return f"{format_number(float(q[0]), lang, 2)} - {format_number(float(q[-1]), lang, 2)}"

    rows = [[t["parameter"], t["prior_mean"], t["prior_band"], t["posterior_mean"], t["posterior_band"]]]
    for k, (name, path) in enumerate(zip(ds["parameter"].values.tolist(), ds["path"].values.tolist())):
        label = labels.get(name) or labels.get(path) or name
        rows.append([plain(label), format_number(float(ds["prior_mean"][k]), lang, 2),
                     band(ds["prior_quantile"][k].values), format_number(float(ds["posterior_mean"][k]), lang, 2),
                     band(ds["posterior_quantile"][k].values)])
    return rows


def posterior_method(ds, lang: str = "en") -> str:
    """Return one sentence on how the posterior was sampled (stages, moves, what weights alone would keep)."""
    t = _t(lang)
    if ds.attrs.get("method") == "prior":
        return t["posterior_method_prior"]
    key = "posterior_method_importance" if ds.attrs.get("method") == "importance" else "posterior_method"
    return t[key].format(stages=ds.attrs.get("stages", 0), moves=ds.attrs.get("moves", 0),
                                        ess=format_number(float(ds.attrs.get("ess", 0.0)), lang, 0),
                                        draws=format_number(ds.attrs["draws"], lang, 0))


def _be(month: float, horizon: int, lang: str) -> str:
    t = _t(lang)
    if not math.isfinite(month):
        return t["be_never"].format(h=horizon)
    return t["be_month"].format(m=format_number(month, lang, 0))


def format_forecast(fc, names: dict | None = None, lang: str = "en") -> str:
    """Return per party the net over the horizon before (simsav run) and after the data (realised +
    re-forecast): mean, 5% - 95% band, chance of a loss and break-even month (``analysis.forecast``)."""
    t = _t(lang)
    lines = [plain(t["forecast_title"]), forecast_intro(fc, lang), ""]
    lines += render_table(forecast_rows(fc, names, lang))
    notes = forecast_notes(fc, lang)
    if notes:
        lines += [""] + notes
    return "\n".join(lines)


def forecast_intro(fc, lang: str = "en") -> str:
    """Return the sentence saying what 'before' and 'after' are."""
    t = _t(lang)
    status = fc.attrs.get("kind", "").startswith("status")
    intro = t["forecast_intro_status"] if status else t["forecast_intro"]
    return intro.format(draws=format_number(fc.attrs["draws"], lang, 0), seed=fc.attrs.get("seed", ""),
                        as_of=fc.attrs.get("as_of", ""), planned=format_number(fc.attrs.get("yet_to_start", 0), lang, 0))


def forecast_notes(fc, lang: str = "en") -> list[str]:
    """Return the notes on how the register was matched to the config's cohort (none when it matches)."""
    t = _t(lang)
    notes = []
    if fc.attrs.get("planned_not_registered", 0):
        notes.append(t["forecast_left_out"].format(n=fc.attrs["planned_not_registered"], as_of=fc.attrs.get("as_of", "")))
    if fc.attrs.get("registered_beyond_plan", 0):
        notes.append(t["forecast_extra"].format(n=fc.attrs["registered_beyond_plan"]))
    return notes


def forecast_rows(fc, names: dict | None = None, lang: str = "en") -> list[list[str]]:
    """Return per party the net before and after as table rows (a header row first)."""
    from .formats import format_percent

    t = _t(lang)
    names = names or {}
    H = int(fc.sizes["month"])
    rows = [[t["party"], t["before_net"], t["before_band"], t["before_loss"], t["before_be"],
             t["after_net"], t["after_band"], t["after_loss"], t["after_be"]]]

    def cells(sfx, k):
        q = fc["net_quantile" + sfx].values[k]
        return [format_thousands(float(fc["net_mean" + sfx].values[k]), lang),
                f"{format_thousands(float(q[0]), lang)} .. {format_thousands(float(q[-1]), lang)}",
                format_percent(float(fc["p_loss" + sfx].values[k]), lang),
                _be(float(fc["break_even_median" + sfx].values[k]), H, lang)]

    for k, p in enumerate(fc["party"].values.tolist()):
        rows.append([plain(names.get(p, str(fc["party_name"].values[k])))] + cells("_before", k) + cells("", k))
    return rows
