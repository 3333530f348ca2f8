"""The board report: one self-contained HTML file (figures inline, CSS inline, no network).

``build_report(config, draws=, seed=, lang=)`` simulates the config and returns the HTML;
``render_report(ds, config, ...)`` renders results already at hand; ``write_report(html,
path)`` writes it atomically. The page holds, in plain language, what each party invests
and saves and how sure that is, the fan chart, costs and savings by item, the top drivers
(a one-way tornado from ``simsav.sensitivity``, or the largest items when nothing is
uncertain), the sharing rules side by side (``simsav.sharing``) and every uncertain
assumption by its label, in words, with the documents it cites (:func:`assumptions`,
:mod:`simsav.present.labels`; the source comment where it cites none) and the config's
``[sources]``. Parameters are named by their labels, never their ids or paths. The template
is ``simsav/present/templates/report.html.j2`` (Jinja2).
"""
from __future__ import annotations

import base64
import datetime as _dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..files import write_atomically
from . import labels, plot, texts
from .formats import format_value, notice_text

TOP_DRIVERS = 8
"""How many drivers (parameters or items) the report lists."""

_TEXT = texts.section("report")


# --------------------------------------------------------------------------- assumptions from the TOML text

@dataclass(frozen=True)
class Assumption:
    """One uncertain number: its name, config path, distribution, base value, 90% range and source."""

    name: str
    path: str
    distribution: str
    base: float
    low: float
    high: float
    source: str
    line: int  # 1-based line in the config file; 0 when not found
    label: str = ""  # what a board reads (simsav.present.labels)
    words: str = ""  # the distribution in plain words


def assumptions(config, lang: str = "nl") -> list[Assumption]:
    """Return every uncertain number of ``config`` (a Config or a path) with its label, its value in
    words and its source, in the order of the file.

    The source is the distribution's ``source`` (keys of the config's ``[sources]``, shown as
    "Business case Twente 2021-2023 (nov. 2020), r. 42"); without one, the source comment the TOML
    text gives it.

    The uncertain numbers are the compiled parameter table's (what the simulation samples); each is
    found in the config's text by its path, and its source is what
    :func:`simsav.config.source_comments` reads there: the ``# ...`` comment on its line, else the
    comment lines right above it, else the block above its ``[table]`` header, else its section's.
    """
    from ..config import source_comments, source_text
    from ..model.compile import compile_config
    from ..model.sampling import ppf
    from ..model.simulate import as_config

    cfg = as_config(config)
    table = compile_config(cfg).table
    try:
        sources = source_comments(source_text(cfg))
    except ValueError:  # a text tomlkit cannot lay back onto itself: the assumptions, without sources
        sources = {}
    rows = []
    for slot in table.uncertain:
        p = table.params[slot]
        found = sources.get(p.path)
        try:
            low, high = (float(v) for v in ppf(p.dist, np.array([0.05, 0.95])))
        except Exception:  # a distribution without a ppf: show no range rather than fail the report
            low = high = math.nan
        cited = labels.cited_sources(cfg, p.dist, lang)
        rows.append(Assumption(name=p.name, path=p.path, distribution=p.describe(), base=float(p.point),
                               low=low, high=high, source=cited or (found.comment if found else ""),
                               line=found.line if found else 0,
                               label=labels.parameter_label(cfg, p.path, p.dist, lang),
                               words=labels.value_in_words(p.dist, lang)))
    rows.sort(key=lambda a: (a.line == 0, a.line))
    return rows


# --------------------------------------------------------------------------- plain-language figures

def _eur(x: float, lang: str) -> str:
    """Euros rounded to the thousand, the way a board reads them."""
    if not math.isfinite(x):
        return "-"
    return plot.format_eur(round(x, -3) if abs(x) >= 1000 else round(x), lang)


def key_sentences(summ, horizon: int, lang: str) -> list[str]:
    """Return one plain-language paragraph per party from a ``summary.party_summary``."""
    t = _TEXT[lang]
    out = []
    for r in summ.parties:
        costs, savings = r.costs.mean, r.savings.mean
        if abs(savings) < 0.5 and costs > 0.5:
            s = t["saves_nothing"].format(name=r.name, costs=_eur(costs, lang))
        else:
            s = (t["invests_nothing"] if costs < 0.5 else t["invests_saves"]).format(
                name=r.name, costs=_eur(costs, lang), savings=_eur(savings, lang))
            p = plot.format_percent(r.p_break_even, lang)
            if r.p_break_even <= 0:
                s += t["be_never"].format(h=horizon)
            elif math.isinf(r.break_even):
                s += t["be_later"].format(p=p, h=horizon)
            elif r.break_even == 0:
                s += t["be_now"].format(p=p)
            else:
                s += t["be_some"].format(p=p, m=f"{r.break_even:.0f}")
        if abs(r.net.high - r.net.low) < 500:
            s += " " + t["band_fixed"].format(net=_eur(r.net.median, lang))
        else:
            s += " " + t["band"].format(low=_eur(r.net.low, lang), high=_eur(r.net.high, lang))
        out.append(s)
    return out


def _break_even_cell(month: float, horizon: int) -> str:
    if math.isnan(month):
        return "-"
    return f"> {horizon}" if math.isinf(month) else f"{month:.0f}"


def _signed(x: float, lang: str) -> str:
    text = _eur(x, lang)
    return text if text.startswith(("-", "EUR -")) or not math.isfinite(x) else "+" + text


def bridge_text(summ, lang: str) -> str | None:
    """Return how the base case becomes the Monte Carlo mean for all parties, in euros (None when
    the results carry no base case or are the base case themselves)."""
    total = summ.total
    points, means, mc = total.base_net, total.means_net, total.net.mean
    if not (math.isfinite(points) and math.isfinite(means)):
        return None
    return _TEXT[lang]["bridge"].format(points=_eur(points, lang), means=_eur(means, lang),
                                        gap=_signed(means - points, lang), mc=_eur(mc, lang),
                                        rest=_signed(mc - means, lang), se=_eur(total.net.se, lang))


def _summary_rows(summ, lang: str, horizon: int) -> list[dict]:
    rows = []
    for r in summ.parties + [summ.total]:
        rows.append({
            "name": r.name, "costs": _eur(r.costs.mean, lang), "savings": _eur(r.savings.mean, lang),
            "net": _eur(r.net.median, lang), "net_band": f"{_eur(r.net.low, lang)} .. {_eur(r.net.high, lang)}",
            "net_mean": _eur(r.net.mean, lang), "base_net": _eur(r.base_net, lang),
            "p_positive": plot.format_percent(r.p_positive, lang),
            "break_even": _break_even_cell(r.break_even, horizon),
            "p_break_even": plot.format_percent(r.p_break_even, lang),
        })
    return rows


def _warnings(summ, lang: str) -> list[str]:
    """Return the summary's notices (too few draws, uncertain probabilities) in ``lang``."""
    return [notice_text(n, lang) for n in summ.notices]


# --------------------------------------------------------------------------- figures as data URIs

def _data_uri(fig, dpi: int = 110) -> str:
    return "data:image/png;base64," + base64.b64encode(plot.figure_png(fig, dpi)).decode("ascii")


# --------------------------------------------------------------------------- drivers and sharing

LEARN_BOOTSTRAP = 50
"""Bootstrap resamples behind the report's value of information (simsav voi takes 200)."""


def _learn_first(cfg, ds, lang: str, names: dict[str, str]) -> dict | None:
    """Return the report's "what is worth learning first": per party the assumptions ranked by the
    EVPPI of its decision to join (:func:`simsav.analysis.voi.evppi` on the report's own draws);
    None for a base case or a config without uncertain numbers."""
    from ..analysis.voi import MIN_DRAWS, evppi
    from .monitor import measure_next_lines

    t = _TEXT[lang]
    if ds.attrs.get("mode") == "base_case" or "parameter_values" not in ds or ds.sizes.get("parameter", 0) == 0:
        return None
    draws = int(ds.sizes["draw"])
    intro = t["learn_intro"].format(draws=plot.format_number(float(draws), lang))
    if draws < MIN_DRAWS:
        return {"intro": intro, "lines": [t["learn_few"].format(draws=draws, need=MIN_DRAWS)]}
    voi = evppi(ds, n_boot=LEARN_BOOTSTRAP, seed=int(ds.attrs.get("seed", 0)))
    return {"intro": intro, "lines": measure_next_lines(voi, labels.parameter_labels(cfg, lang), names, lang,
                                                        nothing=t["learn_nothing"])}


def _drivers(cfg, ds, lang: str, names: dict[str, str]) -> dict:
    from ..analysis import sensitivity

    t = _TEXT[lang]
    try:
        tor = sensitivity.tornado(cfg)
    except InputError:  # no uncertain parameter: fall back to the items
        tor = None
    if tor is not None and tor.sizes.get("parameter", 0):
        tor = labels.with_labels(tor, cfg, lang)
        sub = tor.sel(party="total")
        order = np.argsort(-sub["swing"].values, kind="stable")[:TOP_DRIVERS]
        rows = [[str(sub["parameter_label"].values[k]),
                 f"{format_value(float(sub['low_value'].values[k]), lang)} .. {format_value(float(sub['high_value'].values[k]), lang)}",
                 _eur(float(sub["net_low"].values[k]), lang), _eur(float(sub["net_high"].values[k]), lang),
                 _eur(float(sub["swing"].values[k]), lang)] for k in order]
        fig = plot.tornado_plot(tor, party="total", top=TOP_DRIVERS, lang=lang, names=names)
        return {"kind": "tornado", "intro": t["drivers_tornado"], "image": _data_uri(fig),
                "header": [t["drv_parameter"], t["drv_range"], t["drv_net_low"], t["drv_net_high"],
                           t["drv_swing"]],
                "rows": rows}
    mean = ds["item_total"].mean("draw").values
    order = np.argsort(-np.abs(mean), kind="stable")[:TOP_DRIVERS]
    rows = [[str(ds["item_label"].values[k]), names.get(str(ds["item_party"].values[k]), str(ds["item_party"].values[k])),
             t["kind_cost"] if str(ds["item_kind"].values[k]) == "cost" else t["kind_saving"],
             _eur(abs(float(mean[k])), lang)] for k in order]
    return {"kind": "items", "intro": t["drivers_items"], "image": None,
            "header": [t["drv_item"], t["drv_party"], t["drv_kind"], t["drv_amount"]], "rows": rows}


def _sharing(cfg, ds, lang: str, names: dict[str, str]) -> dict | None:
    from ..analysis import sharing

    t = _TEXT[lang]
    try:
        cmp = sharing.compare(ds, agreement=cfg.agreement)
    except InputError as e:
        return {"error": t["sharing_none"].format(why=str(e)), "rows": [], "header": [], "image": None}
    settle = "ex-post" if "ex-post" in cmp["settle"].values.tolist() else str(cmp["settle"].values[0])
    labels = plot.rule_names(cmp, lang)
    header = [t["sh_party"], t["sh_before"]] + labels
    rows = []
    for p in cmp["party"].values.tolist():
        cells = [(_eur(float(cmp["mean_before"].sel(party=p)), lang),
                  plot.format_percent(float(cmp["p_loss_before"].sel(party=p)), lang))]
        for rule in cmp["rule"].values.tolist():
            sel = dict(party=p, rule=rule, settle=settle)
            cells.append((_eur(float(cmp["mean_after"].sel(sel)), lang),
                          plot.format_percent(float(cmp["p_loss_after"].sel(sel)), lang)))
        rows.append({"party": names.get(p, p), "cells": cells})
    fig = plot.transfers_plot(cmp, settle=settle, lang=lang, names=names)
    return {"error": None, "header": header, "rows": rows, "image": _data_uri(fig)}


# --------------------------------------------------------------------------- the page

def render_report(ds, config, *, lang: str = "nl", command: str | None = None) -> str:
    """Return the report's HTML for results ``ds`` of ``config`` (a Config or a path)."""
    import jinja2
    from markupsafe import Markup

    from ..analysis.summary import party_summary
    from ..config import source_path, source_sha256
    from ..model.results import is_discounted
    from ..model.simulate import as_config

    plot.check_lang(lang)
    t = _TEXT[lang]
    cfg = as_config(config)
    names = plot.party_names(ds, cfg)
    summ = party_summary(ds, names)
    summ_total_name = t["all_parties"]
    base = ds.attrs.get("mode") == "base_case"
    H = int(ds.sizes["month"])
    disc = t["discounted"] if is_discounted(ds) else ""
    run_line = (t["run_base"] if base else t["run"]).format(
        draws=plot.format_number(float(ds.sizes["draw"]), lang), seed=ds.attrs.get("seed", ""),
        agents=ds.attrs.get("agents", ""), h=H, start=ds.attrs.get("calendar_start", ""), disc=disc)
    total = summ.total
    total_line = t["total"].format(costs=_eur(total.costs.mean, lang), savings=_eur(total.savings.mean, lang),
                                   sroi=plot.format_eur(summ.sroi.median, lang, 2),
                                   sroi_low=plot.format_eur(summ.sroi.low, lang, 2),
                                   sroi_high=plot.format_eur(summ.sroi.high, lang, 2))
    rows = _summary_rows(summ, lang, H)
    rows[-1]["name"] = summ_total_name
    with_base_column = not base and math.isfinite(summ.total.base_net)
    figures = {
        "fan": _data_uri(plot.fan_chart(ds, names=cfg, lang=lang)),
        "bars": _data_uri(plot.costs_savings_bars(ds, names=cfg, lang=lang)),
    }
    sharing = _sharing(cfg, ds, lang, names)
    env = jinja2.Environment(loader=jinja2.PackageLoader("simsav.present", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)
    path = source_path(cfg)
    created = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    return env.get_template("report.html.j2").render(
        lang=lang, t=t, title=cfg.title, description=cfg.description, run_line=run_line,
        sentences=list(zip([r.name for r in summ.parties], key_sentences(summ, H, lang))),
        total_line=total_line,
        p_all_line=None if base else t["p_all"].format(p=plot.format_percent(summ.p_all_positive, lang)),
        summary_header=[t["table_party"], t["table_costs"], t["table_savings"], t["table_net"], t["table_mean"],
                        *([t["table_base"]] if with_base_column else []), t["table_p"], t["table_be"],
                        t["table_be_share"]],
        with_base_column=with_base_column, bridge=None if base else bridge_text(summ, lang),
        summary_rows=rows, warnings=_warnings(summ, lang), figures=figures,
        drivers=_drivers(cfg, ds, lang, names), learn=_learn_first(cfg, ds, lang, names), sharing=sharing,
        assumptions=[{"label": a.label, "words": a.words,
                      "base": format_value(a.base, lang), "range": f"{format_value(a.low, lang)} .. {format_value(a.high, lang)}",
                      "source": a.source} for a in assumptions(cfg, lang)],
        documents=[{"title": d.title, "date": d.date, "where": d.where} for d in cfg.sources.values()],
        footer=Markup(t["footer"].format(
            version=ds.attrs.get("simsav_version", ""), created=created,
            config=Markup.escape(path or cfg.title), sha=source_sha256(cfg)[:12],
            command=Markup.escape(command or f"simsav report {path or 'CONFIG'} --lang {lang} "
                                             f"--draws {ds.sizes['draw']} --seed {ds.attrs.get('seed', 0)}"))),
    )


def build_report(config, *, draws: int = 2000, seed: int = 0, lang: str = "nl", progress: bool | None = None,
                 command: str | None = None) -> str:
    """Return the report's HTML: simulate ``config`` (``draws`` draws, ``seed``) and render it."""
    from ..model.simulate import as_config, simulate

    plot.check_lang(lang)
    cfg = as_config(config)
    ds = simulate(cfg, draws=draws, seed=seed, progress=progress)
    return render_report(ds, cfg, lang=lang, command=command)


def write_report(html: str, path) -> Path:
    """Write ``html`` to ``path`` atomically (a temporary file beside it, then a rename)."""
    return write_atomically(path, lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))


def render_monitor_report(mon, config, *, lang: str = "nl", command: str | None = None) -> str:
    """Return the monitoring report's HTML (``simsav monitor --report``) for ``mon`` (what
    :func:`simsav.analysis.forecast.monitor` returns): plan and realisation, the settlement per
    closed year, the parameters before and after the data and the forecast before and after, with
    the forecast fan and the parameters' figure, and what to measure next (each outcome's value of
    information per party); in Dutch or English. No individual is shown."""
    import jinja2
    from markupsafe import Markup

    from .._version import __version__
    from ..config import source_path, source_sha256
    from ..model.simulate import as_config
    from . import monitor as words
    from .labels import parameter_labels
    from .plot.monitor import forecast_fan, parameters_plot
    from .texts import section

    plot.check_lang(lang)
    cfg = as_config(config)
    r = section("monitor_report")[lang]
    t = section("monitor")[lang]
    names = plot.party_names(mon.forecast, cfg)
    labels = parameter_labels(cfg, lang)
    params = mon.parameters
    if mon.ledger is not None:
        data = r["data_register"].format(source=mon.ledger.attrs["register"], n=mon.ledger.attrs["participants"])
        ledger = words.ledger_rows(mon.ledger, lang)
        L = mon.ledger
        states = [[t["state"].format(as_of=L.attrs["as_of"]), t["realised"], t["plan"]]] + words._count_rows(
            dict(zip(L["state"].values.tolist(), L["realised_occupancy"].values)),
            dict(zip(L["state"].values.tolist(), L["plan_occupancy"].values)), t["states"], lang)
        states.append([t["participants"], words._count(float(L["realised_occupancy"].sum()), lang),
                       words._count(float(L["plan_occupancy"].sum()), lang)])
        settlement = words.settlement_parts(mon.settlement, names, lang)
    else:
        data = r["data_status"].format(source=mon.status.source, n=mon.status.total)
        ledger = states = settlement = None
    intro_key = "posterior_intro_status" if params.attrs.get("data_kind") == "status" else "posterior_intro"
    figures = {"fan": _data_uri(forecast_fan(mon.forecast, names=names, lang=lang)),
               "params": _data_uri(parameters_plot(params, labels=labels, lang=lang)) if params.sizes["parameter"] else ""}
    env = jinja2.Environment(loader=jinja2.PackageLoader("simsav.present", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)
    created = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    path = source_path(cfg)
    return env.get_template("monitor.html.j2").render(
        lang=lang, r=r, title=cfg.title,
        census_line=r["census_line"].format(as_of=params.attrs["as_of"], data=data, config=path or cfg.title),
        ledger=ledger, states=states, settlement=settlement,
        params_intro=t[intro_key].format(draws=plot.format_number(float(params.attrs["draws"]), lang),
                                         as_of=params.attrs["as_of"]),
        params=words.posterior_rows(params, labels, lang) if params.sizes["parameter"] else None,
        params_method=words.posterior_method(params, lang),
        forecast_intro=words.forecast_intro(mon.forecast, lang), forecast=words.forecast_rows(mon.forecast, names, lang),
        forecast_notes=words.forecast_notes(mon.forecast, lang), figures=figures,
        measure_title=t["measure_title"], measure_intro=t["measure_intro"],
        measure_next=words.measure_next_lines(mon.measure_next, labels, names, lang),
        footer=Markup(r["footer"].format(version=__version__, created=created, sha=source_sha256(cfg)[:12],
                                         command=Markup.escape(command or "simsav monitor"))),
    )
