"""What ``simsav voi`` prints: per party, the parameters ranked by what knowing them is worth.

From the Dataset :func:`simsav.analysis.voi.evppi` returns (with the ``parameter_label``
coordinate :func:`simsav.present.labels.with_labels` adds, when there is one).
"""
from __future__ import annotations

from .console import render_table
from .formats import format_eur, format_number, format_percent, plain
from .texts import TEXTS, check_lang, text


def _v(lang: str, key: str, **values) -> str:
    values = {k: plain(v) if isinstance(v, str) else v for k, v in values.items()}  # a name: one line, no ESC
    return text(lang, "voi_console", key, **values)


def _party_name(ds, party: str, lang: str) -> str:
    if party == "total":
        return TEXTS["figures"]["all_parties"][lang]
    return plain(str(ds["party_name"].sel(party=party).item())) if "party_name" in ds.coords else party


def _label(ds, i: int) -> str:
    coord = ds["parameter_label"] if "parameter_label" in ds.coords else ds["parameter"]
    return str(coord.values[i])


def format_voi(ds, top: int = 10, lang: str = "en") -> str:
    """Return the printed summary of a value-of-information Dataset: all parties together first,
    then each party, with its decision, its EVPI and its ``top`` parameters (or groups) by EVPPI,
    each with +/- two standard errors and its share of the EVPI."""
    check_lang(lang)
    eur = lambda x: format_eur(x, lang)  # noqa: E731
    a = ds.attrs
    out = _v(lang, "head", title=str(a.get("title", "")), draws=format_number(a.get("draws", 0), lang),
             seed=a.get("simulation_seed", a.get("seed", 0)), agents=format_number(a.get("agents", 0), lang),
             boot=a.get("n_boot", 0)).split("\n")
    kinds = ds["kind"].values if "kind" in ds.coords else ["parameter"] * ds.sizes["parameter"]
    groups = [(str(p), str(m)) for p, m, k in zip(ds["parameter"].values, ds["members"].values, kinds)
              if k == "group"] if "members" in ds.coords else []
    for name, members in groups:
        out.append(plain(TEXTS["voi_console"]["group"][lang].format(name=name, members=members)))
    parties = [str(p) for p in ds["party"].values]
    parties = parties[-1:] + parties[:-1] if parties[-1] == "total" else parties
    for party in parties:
        sub = ds.sel(party=party)
        decision = _v(lang, "joins") if int(sub["join"]) else _v(lang, "stays_out")
        out += ["", _v(lang, "party", party=_party_name(ds, party, lang), decision=decision,
                       net=eur(float(sub["net_mean"])), p=format_percent(float(sub["p_positive"]), lang),
                       evpi=eur(float(sub["evpi"])), se=format_number(2 * float(sub["evpi_se"]), lang))]
        evpi = float(sub["evpi"])
        p_pos = float(sub["p_positive"])
        if p_pos in (0.0, 1.0) and evpi == 0.0:
            out.append(_v(lang, "certain"))
            continue
        order = sub["ranking"].values.argsort(kind="stable")[:top]
        table = [[_v(lang, "rank"), _v(lang, "parameter"), _v(lang, "evppi"), _v(lang, "two_se"), _v(lang, "share")]]
        for i in order:
            value = float(sub["evppi"].values[i])
            share = value / evpi if evpi > 0 else float("nan")
            table.append([str(int(sub["ranking"].values[i])), _label(ds, i), eur(value),
                          format_number(2 * float(sub["evppi_se"].values[i]), lang), format_percent(share, lang)])
        out += render_table(table, left=2, indent="  ")
        rest = ds.sizes["parameter"] - len(order)
        if rest > 0:
            out.append(_v(lang, "more", n=rest))
    out += ["", *_v(lang, "foot").split("\n")]
    return "\n".join(out)
