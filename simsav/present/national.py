"""The console summary of a national roll-up (``simsav run configs/national.toml``).

Per party the national net (mean and 5-95% band), the chance it is positive and the median
break-even month; per region the net of all its parties together (median and band). Words in
:mod:`simsav.present.texts` (section ``national_console``), numbers through
:mod:`simsav.present.formats`. Reads a national results Dataset (``simsav.model.national``),
in memory or a zarr store opened lazily: only the per-draw totals are read, never a month flow.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..analysis.summary import BAND, median_break_even
from .console import format_break_even, render_table
from .formats import format_number, format_percent, format_thousands, plain
from .texts import text


def _t(lang: str, key: str, **values) -> str:
    return text(lang, "national_console", key, **values)


def format_national(ds, lang: str = "en", labels: dict | None = None) -> str:
    """Return the national summary of results ``ds`` as text in ``lang``; ``labels``: what a board
    reads for each parameter name (``simsav.present.labels.parameter_labels``), default the names."""
    labels = labels or {}
    draws = int(ds.sizes["draw"])
    regions = [str(r) for r in ds["region"].values]
    names = [plain(str(n)) for n in ds["region_name"].values] if "region_name" in ds.coords else regions
    parties = [plain(str(p)) for p in ds["party_name"].values] if "party_name" in ds.coords else \
        [str(p) for p in ds["party"].values]
    unknowns = ds.attrs.get("national_unknowns", [])
    if isinstance(unknowns, str):
        unknowns = [unknowns]
    out = [
        _t(lang, "head", title=plain(str(ds.attrs.get("title", ""))), regions=len(regions),
           participants=format_number(float(ds["participants"].sum()), lang), draws=format_number(draws, lang),
           seed=ds.attrs.get("seed", 0), h=int(ds.sizes["month"]), start=ds.attrs.get("calendar_start", "")),
        _t(lang, "national_unknowns", names="; ".join(plain(labels.get(str(n), str(n))) for n in unknowns)
           or _t(lang, "none")),
        "",
        _t(lang, "national_heading"),
    ]
    net = np.asarray(ds["national_net"].values)  # draw x party
    be = np.asarray(ds["national_break_even_month"].values)
    rows = [[_t(lang, "party"), _t(lang, "net_mean"), _t(lang, "band"), _t(lang, "p_positive"), _t(lang, "break_even")]]
    H = int(ds.sizes["month"])
    for p, name in enumerate(parties):
        x = net[:, p]
        lo, hi = np.quantile(x, BAND)
        rows.append([name, format_thousands(float(x.mean()), lang),
                     f"{format_thousands(float(lo), lang)} .. {format_thousands(float(hi), lang)}",
                     format_percent(float((x > 0).mean()), lang),
                     format_break_even(median_break_even(be[:, p]), H, lang)])  # the house's one definition
    out += render_table(rows, indent="  ")
    out += ["", _t(lang, "regions_heading")]
    region_net = np.asarray(ds["net"].sum("party").values)  # draw x region
    rows = [[_t(lang, "region"), _t(lang, "net_median"), _t(lang, "band"), _t(lang, "p_positive")]]
    for k, name in enumerate(names):
        x = region_net[:, k]
        lo, med, hi = np.quantile(x, [BAND[0], 0.5, BAND[1]])
        rows.append([name, format_thousands(float(med), lang),
                     f"{format_thousands(float(lo), lang)} .. {format_thousands(float(hi), lang)}",
                     format_percent(float((x > 0).mean()), lang)])
    out += render_table(rows, indent="  ")
    return "\n".join(out)


def format_validate_national(nat, path: str, lang: str = "en") -> str:
    """Return what ``simsav validate`` prints of a national roll-up: its regions, their sizes and
    configs, and which unknowns are drawn once for the whole country (by their labels)."""
    from .labels import parameter_labels

    labels = parameter_labels(nat.regions[0].config, lang)
    def t(key, **values):
        return _t(lang, key, **values)

    first = nat.regions[0].config.cohort
    participants = sum(_participants(r.config) for r in nat.regions)
    lines = [t("validate_head", path=plain(path), regions=len(nat.regions),
               participants=format_number(participants, lang), h=first.horizon_months, start=first.start),
             t("national_unknowns", names="; ".join(plain(labels.get(n, n)) for n in nat.national) or t("none")), ""]
    rows = [[t("region"), "", t("participants"), t("config")]]
    for r in nat.regions:
        rows.append([plain(r.id), plain(r.name), format_number(_participants(r.config), lang),
                     plain(Path(r.config_path).name)])
    lines += render_table(rows, left=2, indent="  ") + ["", t("validate_ok", path=plain(path))]
    return "\n".join(lines)


def _participants(cfg) -> int:
    from ..model.compile import compile_config

    return int(compile_config(cfg).n_agents)
