"""The board report: one self-contained HTML file (figures inline, CSS inline, no network).

``build_report(config, draws=, seed=, lang=)`` simulates the config and returns the HTML;
``render_report(ds, config, ...)`` renders results already at hand; ``write_report(html,
path)`` writes it atomically. The page holds, in plain language, what each party invests
and saves and how sure that is, the fan chart, costs and savings by item, the top drivers
(a one-way tornado from ``simsav.sensitivity``, or the largest items when nothing is
uncertain), the sharing rules side by side (``simsav.sharing``) and every uncertain
assumption with the source comment the config gives it (:func:`assumptions`). The template
is ``simsav/templates/report.html.j2`` (Jinja2).
"""
from __future__ import annotations

import base64
import datetime as _dt
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import plot
from .errors import InputError
from .files import write_atomically

TOP_DRIVERS = 8
"""How many drivers (parameters or items) the report lists."""

_TEXT = {
    "nl": {
        "subtitle": "Rapportage voor het bestuur",
        "run": ("{draws} scenario's (seed {seed}) van {agents} deelnemers over {h} maanden vanaf {start}. "
                "Bedragen in euro's over de hele looptijd{disc}."),
        "run_base": "Basisscenario (vaste waarden) van {agents} deelnemers over {h} maanden vanaf {start}.",
        "discounted": ", contant gemaakt",
        "key_title": "Kerncijfers per partij",
        "key_intro": ("Elk scenario trekt de onzekere aannames opnieuw en simuleert de groep deelnemers. "
                      "'Verwacht' is het gemiddelde over de scenario's; 'gemiddeld na ... maanden' is de "
                      "mediaan over de scenario's waarin de partij terugverdient."),
        "invests_saves": "{name} investeert {costs} en bespaart naar verwachting {savings}",
        "invests_nothing": "{name} investeert niets en bespaart naar verwachting {savings}",
        "saves_nothing": ("{name} investeert {costs} en bespaart zelf niets: zonder afspraken over het delen "
                          "van de besparingen verdient zij haar investering niet terug."),
        "be_some": "; in {p} van de scenario's verdient zij haar investering terug, gemiddeld na {m} maanden.",
        "be_now": "; in {p} van de scenario's verdient zij haar investering terug, meestal al vanaf de eerste maand.",
        "be_never": "; binnen {h} maanden verdient zij haar investering in geen enkel scenario terug.",
        "band": "Het netto resultaat ligt in 90% van de scenario's tussen {low} en {high}.",
        "band_fixed": "Het netto resultaat is {net} in elk scenario.",
        "total": ("Alle partijen samen investeren {costs} en besparen naar verwachting {savings}: "
                  "elke geïnvesteerde euro levert {sroi} op (SROI, mediaan; in 90% van de scenario's tussen "
                  "{sroi_low} en {sroi_high})."),
        "p_all": "In {p} van de scenario's houden alle partijen er zonder verdeling iets aan over.",
        "table_party": "partij", "table_costs": "kosten (verwacht)", "table_savings": "besparingen (verwacht)",
        "table_net": "netto: mediaan [5% .. 95%]", "table_p": "kans netto > 0",
        "table_be": "terugverdiend na (maanden, mediaan)", "table_be_share": "terugverdiend binnen looptijd",
        "all_parties": "Alle partijen",
        "fan_title": "Verloop over de tijd",
        "fan_caption": ("Cumulatief netto resultaat (besparingen min kosten tot en met die maand) per partij. "
                        "De lijn is de mediaan, de donkere band bevat de helft van de scenario's, de lichte band "
                        "90%. De stippellijn markeert wanneer de partij doorgaans terugverdient."),
        "bars_title": "Waar de kosten en besparingen zitten",
        "bars_caption": "Kosten en besparingen per partij, per post: gemiddelde over de scenario's.",
        "drivers_title": "Welke aannames tellen het zwaarst",
        "drivers_tornado": ("Elke onzekere aanname apart op haar 5e en 95e percentiel, de andere op hun "
                            "basiswaarde: hoeveel verandert het netto resultaat van alle partijen samen?"),
        "drivers_items": ("Deze config heeft geen onzekere aannames; dit zijn de grootste posten "
                          "(gemiddelde over de scenario's)."),
        "drv_parameter": "aanname", "drv_range": "laag .. hoog", "drv_net_low": "netto bij laag",
        "drv_net_high": "netto bij hoog", "drv_swing": "verschil",
        "drv_item": "post", "drv_party": "partij", "drv_kind": "soort", "drv_amount": "bedrag",
        "kind_cost": "kosten", "kind_saving": "besparing",
        "sharing_title": "Verdeling van de besparingen",
        "sharing_caption": ("Netto resultaat per partij zonder verdeling en na elke verdeelregel, afgerekend "
                            "achteraf op de werkelijke uitkomsten (ex post): verwachting en kans op verlies."),
        "sharing_none": "Geen verdeelregels berekend: {why}",
        "sh_party": "partij", "sh_before": "zonder verdeling",
        "sh_mean": "verwacht", "sh_loss": "kans op verlies",
        "assumptions_title": "Aannames en bronnen",
        "assumptions_intro": ("Elke onzekere aanname met haar kansverdeling, de waarde in het basisscenario, "
                              "het bereik waarin 90% van de trekkingen valt en de bron die de config noemt."),
        "assumptions_none": "Deze config heeft geen onzekere aannames: elk getal ligt vast (bronnen staan in de config).",
        "as_name": "aanname", "as_line": "regel", "as_dist": "verdeling", "as_base": "basis",
        "as_range": "90%-bereik", "as_source": "bron",
        "no_source": "(geen bron in de config)",
        "warnings": "Let op",
        "footer": ("Gemaakt met simsav {version} op {created} uit {config} (SHA-256 {sha}). Opnieuw maken: "
                   "<code>{command}</code>"),
        "alt_fan": "Waaiergrafiek van het cumulatieve netto resultaat per partij",
        "alt_bars": "Kosten en besparingen per partij per post",
        "alt_tornado": "Tornadodiagram van de belangrijkste aannames",
        "alt_sharing": "Netto resultaat per partij voor en na de verdeelregels",
    },
    "en": {
        "subtitle": "Report for the board",
        "run": ("{draws} scenarios (seed {seed}) of {agents} participants over {h} months from {start}. "
                "Amounts in euros over the whole horizon{disc}."),
        "run_base": "Base case (point values) of {agents} participants over {h} months from {start}.",
        "discounted": ", discounted",
        "key_title": "Key figures per party",
        "key_intro": ("Each scenario draws the uncertain assumptions anew and simulates the group of "
                      "participants. 'Expected' is the mean over the scenarios; 'on average after ... months' "
                      "is the median over the scenarios in which the party breaks even."),
        "invests_saves": "{name} invests {costs} and is expected to save {savings}",
        "invests_nothing": "{name} invests nothing and is expected to save {savings}",
        "saves_nothing": ("{name} invests {costs} and saves nothing itself: without an agreement to share "
                          "the savings it does not earn its investment back."),
        "be_some": "; in {p} of the scenarios it earns its investment back, on average after {m} months.",
        "be_now": "; in {p} of the scenarios it earns its investment back, mostly from the very first month.",
        "be_never": "; within {h} months it does not earn its investment back in any scenario.",
        "band": "In 90% of the scenarios its net result lies between {low} and {high}.",
        "band_fixed": "Its net result is {net} in every scenario.",
        "total": ("All parties together invest {costs} and are expected to save {savings}: every euro "
                  "invested returns {sroi} (SROI, median; between {sroi_low} and {sroi_high} in 90% of the scenarios)."),
        "p_all": "In {p} of the scenarios every party gains without any sharing.",
        "table_party": "party", "table_costs": "costs (expected)", "table_savings": "savings (expected)",
        "table_net": "net: median [5% .. 95%]", "table_p": "P(net > 0)",
        "table_be": "break-even month (median)", "table_be_share": "breaks even within the horizon",
        "all_parties": "All parties",
        "fan_title": "Over time",
        "fan_caption": ("Cumulative net (savings minus costs up to that month) per party. The line is the "
                        "median, the dark band holds half of the scenarios, the light band 90%. The dotted "
                        "line marks when the party typically breaks even."),
        "bars_title": "Where the costs and savings are",
        "bars_caption": "Costs and savings per party, by item: mean over the scenarios.",
        "drivers_title": "Which assumptions matter most",
        "drivers_tornado": ("Each uncertain assumption on its own at its 5th and 95th percentile, the others at "
                            "their base values: how much does the net of all parties together move?"),
        "drivers_items": "This config has no uncertain assumptions; these are the largest items (mean over the scenarios).",
        "drv_parameter": "assumption", "drv_range": "low .. high", "drv_net_low": "net at low",
        "drv_net_high": "net at high", "drv_swing": "swing",
        "drv_item": "item", "drv_party": "party", "drv_kind": "kind", "drv_amount": "amount",
        "kind_cost": "cost", "kind_saving": "saving",
        "sharing_title": "Sharing the savings",
        "sharing_caption": ("Net per party without sharing and after each sharing rule, settled afterwards on "
                            "the realised outcomes (ex post): expected value and chance of a loss."),
        "sharing_none": "No sharing rules computed: {why}",
        "sh_party": "party", "sh_before": "no sharing",
        "sh_mean": "expected", "sh_loss": "P(loss)",
        "assumptions_title": "Assumptions and sources",
        "assumptions_intro": ("Every uncertain assumption with its distribution, its base-case value, the range "
                              "90% of the draws fall in, and the source the config gives."),
        "assumptions_none": "This config has no uncertain assumptions: every number is fixed (sources are in the config).",
        "as_name": "assumption", "as_line": "line", "as_dist": "distribution", "as_base": "base",
        "as_range": "90% range", "as_source": "source",
        "no_source": "(no source in the config)",
        "warnings": "Note",
        "footer": ("Made with simsav {version} on {created} from {config} (SHA-256 {sha}). To make it again: "
                   "<code>{command}</code>"),
        "alt_fan": "Fan chart of the cumulative net per party",
        "alt_bars": "Costs and savings per party by item",
        "alt_tornado": "Tornado diagram of the main assumptions",
        "alt_sharing": "Net per party before and after the sharing rules",
    },
}


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


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
_ID = re.compile(r"^\s*id\s*=\s*\"([^\"]*)\"")


def _comment_of(line: str) -> str:
    """Return the ``# ...`` comment of a TOML line (not a '#' inside a string), without the '#'."""
    quote = None
    k = 0
    while k < len(line):
        c = line[k]
        if quote:
            if c == "\\" and quote == '"':
                k += 2
                continue
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#":
            return line[k + 1:].strip()
        k += 1
    return ""


def _inline_tables(line: str) -> list[str]:
    """Return the outermost ``{ ... }`` substrings of a line (strings respected)."""
    out, depth, start, quote = [], 0, None, None
    for k, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
            continue
        if c in "\"'":
            quote = c
        elif c == "#" and depth == 0:
            break
        elif c == "{":
            if depth == 0:
                start = k
            depth += 1
        elif c == "}" and depth:
            depth -= 1
            if depth == 0:
                out.append(line[start:k + 1])
    return out


def _dists_in(value) -> list[dict]:
    if isinstance(value, dict):
        if "dist" in value:
            return [value]
        return [d for v in value.values() for d in _dists_in(v)]
    if isinstance(value, list):
        return [d for v in value for d in _dists_in(v)]
    return []


def _scan(text: str) -> list[tuple[int, str, str, str | None, str]]:
    """Return (line number, table prefix, key, distribution name, source) for every distribution in the
    TOML text; the source is the comment of its line, or of the comment block right above it."""
    lines = text.splitlines()
    found = []
    prefix, array_table = "", None
    for n, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = _HEADER.match(line)
        if m and "=" not in line.split("#")[0]:
            name = m.group(2).replace('"', "").strip()
            array_table = name if m.group(1) == "[[" else None
            prefix = name
            continue
        m = _ID.match(line)
        if m and array_table:
            prefix = f"{array_table}.{m.group(1)}"
            continue
        if "dist" not in line or "=" not in line:
            continue
        key = line.split("=", 1)[0].strip().strip('"')
        for sub in _inline_tables(line):
            try:
                value = tomllib.loads(f"v = {sub}")["v"]
            except tomllib.TOMLDecodeError:
                continue
            for d in _dists_in(value):
                found.append((n, prefix, key, d.get("name"), _source_above(lines, n)))
    return found


_DIVIDER = re.compile(r"^\s*#\s*[-=]{6,}\s*(.*)$")


def _block_above(lines: list[str], k: int) -> str:
    """Return the comment lines directly above line index ``k`` (0-based), joined."""
    block = []
    k -= 1
    while k >= 0 and lines[k].strip().startswith("#") and not _DIVIDER.match(lines[k]):
        block.append(lines[k].strip().lstrip("#").strip())
        k -= 1
    return " ".join(reversed(block)).strip()


def _source_above(lines: list[str], n: int) -> str:
    """Return the source comment of line ``n`` (1-based): its own ``# ...``, else the comment block
    directly above it, else the one above its ``[table]`` header, else its section's comment (the
    block under the nearest ``# ---- title`` divider above it)."""
    own = _comment_of(lines[n - 1])
    if own:
        return own
    above = _block_above(lines, n - 1)
    if above:
        return above
    k = n - 2
    while k >= 0 and not lines[k].lstrip().startswith("["):
        if _DIVIDER.match(lines[k]):
            break
        k -= 1
    if k >= 0 and lines[k].lstrip().startswith("["):
        above = _block_above(lines, k)
        if above:
            return above
    while k >= 0 and not _DIVIDER.match(lines[k]):
        k -= 1
    if k < 0:
        return ""
    title = _DIVIDER.match(lines[k]).group(1).strip()
    block = []
    j = k + 1
    while j < len(lines) and lines[j].strip().startswith("#") and not _DIVIDER.match(lines[j]):
        block.append(lines[j].strip().lstrip("#").strip())
        j += 1
    text = " ".join(block).strip()
    return f"{title}: {text}" if title and text else (text or "")


def assumptions(config) -> list[Assumption]:
    """Return every uncertain number of ``config`` (a Config or a path) with the source comment the TOML
    file gives it, in the order of the file.

    The uncertain numbers are the compiled parameter table's (what the simulation samples); each is
    found in the file by its ``name = "..."`` or else by its table and key, and its source is the
    ``# ...`` comment on its line or, when that line has none, the comment lines right above it.
    """
    from .compile import compile_config
    from .config import source_path
    from .runner import _as_config

    cfg = _as_config(config)
    table = compile_config(cfg).table
    path = source_path(cfg)
    text = Path(path).read_text(encoding="utf-8") if path and Path(path).is_file() else ""
    found = _scan(text)
    used: set[int] = set()
    rows = []
    for slot in table.uncertain:
        p = table.params[slot]
        hit = None
        for k, (n, prefix, key, name, source) in enumerate(found):
            if k in used:
                continue
            if name is not None and name == p.name:
                hit = k
                break
        if hit is None:
            for k, (n, prefix, key, name, source) in enumerate(found):
                if k not in used and name is None and p.path.startswith(f"{prefix}.{key}" if prefix else key):
                    hit = k
                    break
        line, source = (found[hit][0], found[hit][4]) if hit is not None else (0, "")
        if hit is not None:
            used.add(hit)
        try:
            low, high = (float(v) for v in p.dist.ppf(np.array([0.05, 0.95])))
        except Exception:  # a distribution without a ppf: show no range rather than fail the report
            low = high = math.nan
        rows.append(Assumption(name=p.name, path=p.path, distribution=p.describe(), base=float(p.point),
                               low=low, high=high, source=source, line=line))
    rows.sort(key=lambda a: (a.line == 0, a.line))
    return rows


# --------------------------------------------------------------------------- plain-language figures

def _eur(x: float, lang: str) -> str:
    """Euros rounded to the thousand, the way a board reads them."""
    if not math.isfinite(x):
        return "-"
    return plot.format_eur(round(x, -3) if abs(x) >= 1000 else round(x), lang)


def _num(x: float, lang: str) -> str:
    """A number with about three significant digits, in ``lang``'s style."""
    if x is None or not math.isfinite(x):
        return "-"
    if abs(x) >= 100 or x == round(x):
        return plot.format_number(x, lang, 0)
    decimals = 2 if abs(x) >= 1 else 3
    s = plot.format_number(x, lang, decimals)
    sep = "," if lang == "nl" else "."
    return s.rstrip("0").rstrip(sep) if sep in s else s


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
            elif r.break_even.median == 0:
                s += t["be_now"].format(p=p)
            else:
                s += t["be_some"].format(p=p, m=f"{r.break_even.median:.0f}")
        if abs(r.net.high - r.net.low) < 500:
            s += " " + t["band_fixed"].format(net=_eur(r.net.median, lang))
        else:
            s += " " + t["band"].format(low=_eur(r.net.low, lang), high=_eur(r.net.high, lang))
        out.append(s)
    return out


def _summary_rows(summ, lang: str) -> list[dict]:
    rows = []
    for r in summ.parties + [summ.total]:
        rows.append({
            "name": r.name, "costs": _eur(r.costs.mean, lang), "savings": _eur(r.savings.mean, lang),
            "net": _eur(r.net.median, lang), "net_band": f"{_eur(r.net.low, lang)} .. {_eur(r.net.high, lang)}",
            "p_positive": plot.format_percent(r.p_positive, lang),
            "break_even": "-" if not math.isfinite(r.break_even.median) else f"{r.break_even.median:.0f}",
            "p_break_even": plot.format_percent(r.p_break_even, lang),
        })
    return rows


def _warnings(summ, lang: str) -> list[str]:
    """Return the summary's warnings about too few draws, in ``lang``."""
    if lang == "en":
        return list(summ.warnings)
    from .summary import BAND, MIN_DRAWS_PER_TAIL

    out = []
    n = summ.draws
    for w in summ.warnings:
        if w.startswith("only"):
            need = int(math.ceil(MIN_DRAWS_PER_TAIL / BAND[0]))
            out.append(f"Slechts {plot.format_number(n, lang)} scenario's: elk uiteinde van de 5-95%-banden rust op "
                       f"{n * BAND[0]:.0f} scenario's. Gebruik --draws {plot.format_number(need, lang)} of meer "
                       "voordat u deze cijfers citeert.")
        elif w.startswith("P(net > 0)"):
            m = re.search(r"\+/-([0-9.]+)", w)
            se = plot.format_number(float(m.group(1)), lang, 2) if m else "?"
            out.append(f"De kansen op een positief netto resultaat zijn onzeker met ongeveer +/-{se} "
                       "(Monte Carlo-standaardfout).")
        else:
            out.append(w)
    return out


# --------------------------------------------------------------------------- figures as data URIs

def _data_uri(fig, dpi: int = 110) -> str:
    return "data:image/png;base64," + base64.b64encode(plot.figure_png(fig, dpi)).decode("ascii")


# --------------------------------------------------------------------------- drivers and sharing

def _drivers(cfg, ds, lang: str, names: dict[str, str]) -> dict:
    from . import sensitivity

    t = _TEXT[lang]
    try:
        tor = sensitivity.tornado(cfg)
    except InputError:  # no uncertain parameter: fall back to the items
        tor = None
    if tor is not None and tor.sizes.get("parameter", 0):
        sub = tor.sel(party="total")
        order = np.argsort(-sub["swing"].values, kind="stable")[:TOP_DRIVERS]
        rows = [[str(sub["parameter"].values[k]),
                 f"{_num(float(sub['low_value'].values[k]), lang)} .. {_num(float(sub['high_value'].values[k]), lang)}",
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
    from . import sharing

    t = _TEXT[lang]
    try:
        cmp = sharing.compare(ds, config=cfg)
    except InputError as e:
        return {"error": t["sharing_none"].format(why=str(e)), "rows": [], "header": [], "image": None}
    settle = "ex-post" if "ex-post" in cmp["settle"].values.tolist() else str(cmp["settle"].values[0])
    from .plot_sharing import rule_names

    labels = rule_names(cmp, lang)
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

    from .config import source_path, source_sha256
    from .distributions import is_uncertain, point_value
    from .runner import _as_config
    from .summary import party_summary

    plot.check_lang(lang)
    t = _TEXT[lang]
    cfg = _as_config(config)
    names = plot.party_names(ds, cfg)
    summ = party_summary(ds, names)
    summ_total_name = t["all_parties"]
    base = ds.attrs.get("mode") == "base_case"
    H = int(ds.sizes["month"])
    rate = cfg.cohort.discount_rate
    disc = t["discounted"] if is_uncertain(rate) or point_value(rate) != 0 else ""
    run_line = (t["run_base"] if base else t["run"]).format(
        draws=plot.format_number(float(ds.sizes["draw"]), lang), seed=ds.attrs.get("seed", ""),
        agents=ds.attrs.get("agents", ""), h=H, start=ds.attrs.get("calendar_start", ""), disc=disc)
    total = summ.total
    total_line = t["total"].format(costs=_eur(total.costs.mean, lang), savings=_eur(total.savings.mean, lang),
                                   sroi=plot.format_eur(summ.sroi.median, lang, 2),
                                   sroi_low=plot.format_eur(summ.sroi.low, lang, 2),
                                   sroi_high=plot.format_eur(summ.sroi.high, lang, 2))
    rows = _summary_rows(summ, lang)
    rows[-1]["name"] = summ_total_name
    figures = {
        "fan": _data_uri(plot.fan_chart(ds, names=cfg, lang=lang)),
        "bars": _data_uri(plot.costs_savings_bars(ds, names=cfg, lang=lang)),
    }
    sharing = _sharing(cfg, ds, lang, names)
    env = jinja2.Environment(loader=jinja2.PackageLoader("simsav", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)
    path = source_path(cfg)
    created = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    return env.get_template("report.html.j2").render(
        lang=lang, t=t, title=cfg.title, description=cfg.description, run_line=run_line,
        sentences=list(zip([r.name for r in summ.parties], key_sentences(summ, H, lang))),
        total_line=total_line,
        p_all_line=None if base else t["p_all"].format(p=plot.format_percent(summ.p_all_positive, lang)),
        summary_header=[t["table_party"], t["table_costs"], t["table_savings"], t["table_net"], t["table_p"],
                        t["table_be"], t["table_be_share"]],
        summary_rows=rows, warnings=_warnings(summ, lang), figures=figures,
        drivers=_drivers(cfg, ds, lang, names), sharing=sharing,
        assumptions=[{"name": a.name, "path": a.path, "line": a.line, "distribution": a.distribution,
                      "base": _num(a.base, lang), "range": f"{_num(a.low, lang)} .. {_num(a.high, lang)}",
                      "source": a.source} for a in assumptions(cfg)],
        footer=Markup(t["footer"].format(
            version=ds.attrs.get("simsav_version", ""), created=created,
            config=Markup.escape(path or cfg.title), sha=source_sha256(cfg)[:12],
            command=Markup.escape(command or f"simsav report {path or 'CONFIG'} --lang {lang} "
                                             f"--draws {ds.sizes['draw']} --seed {ds.attrs.get('seed', 0)}"))),
    )


def build_report(config, *, draws: int = 2000, seed: int = 0, lang: str = "nl", progress: bool | None = None,
                 command: str | None = None) -> str:
    """Return the report's HTML: simulate ``config`` (``draws`` draws, ``seed``) and render it."""
    from .runner import _as_config, simulate

    plot.check_lang(lang)
    cfg = _as_config(config)
    try:
        from .sharing import with_outcome_flows
    except ImportError:  # pragma: no cover
        with_outcome_flows = None
    ds = simulate(cfg, draws=draws, seed=seed, progress=progress)
    if with_outcome_flows is not None:
        ds = with_outcome_flows(ds, cfg)
    return render_report(ds, cfg, lang=lang, command=command)


def write_report(html: str, path) -> Path:
    """Write ``html`` to ``path`` atomically (a temporary file beside it, then a rename)."""
    return write_atomically(path, lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))
