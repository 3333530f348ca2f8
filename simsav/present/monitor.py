"""The words and tables of monitoring (``simsav register check``, ``simsav monitor``): plan and
realisation per party, the states at the census, the events to date; in Dutch or English
(texts in :mod:`simsav.present.texts`, section ``monitor``). No table lists an individual."""
from __future__ import annotations

from .console import render_table
from .formats import format_number, format_thousands, plain
from .texts import check_lang, section


def _t(lang):
    return section("monitor")[check_lang(lang)]


def _count(x, lang: str) -> str:
    x = float(x)
    return format_number(x, lang, 0 if x == round(x) else 1)


def format_counts(title: str, states: dict, events: dict, lang: str = "en", plan_states=None, plan_events=None,
                  as_of: str = "") -> str:
    """Return the counts per state at the census and the events to date (beside the plan's when given)."""
    t = _t(lang)
    lines = [plain(title), ""]
    head = [t["state"].format(as_of=as_of), t["realised"]] + ([t["plan"]] if plan_states is not None else [])
    rows = [head]
    for name, n in states.items():
        r = [t["states"].get(name, name), _count(n, lang)]
        if plan_states is not None:
            r.append(_count(plan_states[name], lang) if name in plan_states else "-")
        rows.append(r)
    rows.append([t["participants"], _count(sum(states.values()), lang)]
                + ([_count(sum(plan_states.values()), lang)] if plan_states is not None else []))
    lines += render_table(rows, total_row=True)
    if events:
        lines.append("")
        head = [t["event"], t["realised"]] + ([t["plan"]] if plan_events is not None else [])
        rows = [head]
        for name, n in events.items():
            r = [t["events"].get(name, name), _count(n, lang)]
            if plan_events is not None:
                r.append(_count(plan_events[name], lang) if name in plan_events else "-")
            rows.append(r)
        lines += render_table(rows)
    return "\n".join(lines)


def format_ledger(ds, title: str, lang: str = "en", start: str = "") -> str:
    """Return plan and realisation per party to date (``simsav monitor``) from ``realised_ledger``'s Dataset."""
    t = _t(lang)
    as_of = ds.attrs["as_of"]
    lines = [plain(t["title"].format(as_of=as_of, title=title)),
             t["intro"].format(n=ds.attrs["participants"], register=ds.attrs["register"], start=start, as_of=as_of),
             t["counterfactual_note"], ""]
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
    lines += render_table(rows, total_row=True)
    lines.append("")
    lines.append(format_counts("", dict(zip(ds["state"].values.tolist(), ds["realised_occupancy"].values)),
                               dict(zip(ds["event"].values.tolist(), ds["realised_events"].values)), lang,
                               dict(zip(ds["state"].values.tolist(), ds["plan_occupancy"].values)),
                               dict(zip(ds["event"].values.tolist(), ds["plan_events"].values)), as_of).lstrip("\n"))
    return "\n".join(lines)
