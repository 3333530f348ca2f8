"""What ``simsav compare`` prints: scenarios side by side per party, then their paired differences.

Words in :mod:`simsav.present.texts` (section ``compare_console``), numbers through
:mod:`simsav.present.formats`, tables through :func:`simsav.present.console.render_table`.
"""
from __future__ import annotations

import math

from .console import format_break_even, render_table
from .formats import format_number, format_percent, format_thousands, plain
from .texts import TEXTS, text


def _t(lang: str, key: str, **values) -> str:
    return text(lang, "compare_console", key, **values)


def _band(mean: float, low: float, high: float, lang: str) -> str:
    return f"{format_thousands(mean, lang)} [{format_thousands(low, lang)} .. {format_thousands(high, lang)}]"


def _party_names(ds, lang: str) -> dict[str, str]:
    names = dict(zip(ds["party"].values.tolist(), (plain(n) for n in ds["party_name"].values)))
    names["total"] = TEXTS["figures"]["all_parties"][lang]
    return names


def format_compare(ds, lang: str = "en") -> str:
    """Return the comparison of ``simsav.analysis.compare.compare`` as the command line prints it."""
    scenarios = ds["scenario"].values.tolist()
    base = scenarios[0]
    h = int(ds.attrs["horizon_months"])
    names = _party_names(ds, lang)
    lines = [_t(lang, "head_paired" if ds.attrs.get("paired", 1) else "head_unpaired", draws=format_number(
        ds.attrs["draws"], lang), seed=ds.attrs["seed"], h=h, start=ds.attrs["calendar_start"]), ""]
    for k, s in enumerate(scenarios):
        title = plain(ds["scenario_title"].values[k])
        key = "scenario_base" if k == 0 else "scenario_line"
        lines.append("  " + _t(lang, key, scenario=plain(s), title=title, shared=int(ds["shared_parameters"].values[k]),
                                own=int(ds["own_parameters"].values[k])))
    lines += ["", _t(lang, "side_by_side")]
    rows = [[_t(lang, "party"), _t(lang, "scenario"), _t(lang, "net_band"), _t(lang, "p_positive"),
             _t(lang, "break_even"), _t(lang, "breaks_even")]]
    for p in ds["party"].values.tolist():
        for k, s in enumerate(scenarios):
            sel = dict(scenario=s, party=p)
            rows.append([names[p] if k == 0 else "", plain(s),
                         _band(float(ds["net_median"].sel(sel)), float(ds["net_low"].sel(sel)),
                               float(ds["net_high"].sel(sel)), lang),
                         format_percent(float(ds["p_positive"].sel(sel))),
                         format_break_even(float(ds["break_even"].sel(sel)), h, lang),
                         format_percent(float(ds["p_break_even"].sel(sel)))])
    lines += render_table(rows, left=2)
    sroi = [f"{plain(s)} {_sroi(float(ds['sroi_mean'].values[k]), lang)}" for k, s in enumerate(scenarios)]
    lines += ["", _t(lang, "sroi", values=", ".join(sroi))]
    lines += ["", _t(lang, "differences", base=plain(base))]
    rows = [[_t(lang, "party"), _t(lang, "scenario"), _t(lang, "difference_band"), _t(lang, "se"),
             _t(lang, "p_better"), _t(lang, "variance_ratio")]]
    for p in ds["party"].values.tolist():
        for k, s in enumerate(scenarios[1:]):
            sel = dict(scenario=s, party=p)
            ratio = float(ds["variance_ratio"].sel(sel))
            same = not bool((ds["difference"].sel(sel) != 0).any())  # the scenario does not touch the party
            rows.append([names[p] if k == 0 else "", plain(s),
                         _band(float(ds["difference_mean"].sel(sel)), float(ds["difference_low"].sel(sel)),
                               float(ds["difference_high"].sel(sel)), lang),
                         "±" + format_number(float(ds["difference_se"].sel(sel)) / 1000, lang, 1),
                         "-" if same else format_percent(float(ds["p_better"].sel(sel))),
                         "-" if not math.isfinite(ratio) else format_number(ratio, lang, 2)])
    lines += render_table(rows, left=2)
    lines += ["", _t(lang, "explained_paired" if ds.attrs.get("paired", 1) else "explained_unpaired", base=plain(base))]
    return "\n".join(lines)


def _sroi(x: float, lang: str) -> str:
    return "-" if not math.isfinite(x) else format_number(x, lang, 2)
