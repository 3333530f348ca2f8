"""Small configs built in code for the model tests (plain dicts, as tomllib reads TOML)."""
from __future__ import annotations

import copy

from simsav.config import config_from_dict

PARTIES = [
    {"id": "gemeente", "name": "Gemeente", "role": "gemeente"},
    {"id": "uwv", "name": "UWV", "role": "uwv"},
    {"id": "zv", "name": "Zorgverzekeraar", "role": "zorgverzekeraar"},
]


def hand_case() -> dict:
    """Everyone placed at month 3, nobody relapses: every euro can be computed by hand."""
    return {
        "title": "hand-computed",
        "parties": copy.deepcopy(PARTIES),
        "cohort": {"horizon_months": 24, "start": "2024-01"},
        "streams": [
            {"id": "bijstand", "benefit": "bijstand", "count": 10, "monthly_benefit": 1000.0,
             "payer": "gemeente", "manager": "gemeente",
             "benefit_reduction_when_working": {"breaks": [12], "reductions": [0.7, 1.0]}},
            {"id": "ww", "benefit": "ww", "count": 4, "monthly_benefit": 2000.0, "payer": "uwv",
             "manager": "uwv", "benefit_months_remaining": 9},
        ],
        "outcomes": {"placement_probability": 1.0, "months_to_placement": 3, "time_law": "fixed",
                     "job_retention_12m": 1.0, "hours_per_week": 20},
        "items": [
            {"id": "coach", "label": "Jobcoach", "party": "gemeente", "basis": "monthly", "amount": 90.0,
             "quantity": 5, "unit": "h", "states": ["working"],
             "state_factors": {"working": {"breaks": [6], "values": [1.0, 0.0]}}},
            {"id": "mediation", "label": "Bemiddeling", "party": "uwv", "basis": "monthly", "amount": 300.0,
             "states": ["mediation"]},
            {"id": "bonus", "label": "Plaatsingspremie", "party": "gemeente", "basis": "event",
             "event": "placement", "amount": 500.0, "streams": ["bijstand"]},
            {"id": "success_fee", "label": "Succesfee", "party": "uwv", "basis": "event", "event": "success",
             "amount": 1000.0},
            {"id": "subsidy", "label": "Loonkostensubsidie", "party": "gemeente", "basis": "monthly",
             "amount": 10.0, "per_hour_worked": True, "states": ["working"], "streams": ["bijstand"],
             "state_factors": {"working": {"breaks": [6], "values": [0.5, 0.35]}}},
            {"id": "care", "label": "Zorgkosten", "party": "zv", "basis": "monthly", "amount": 3600.0,
             "amount_period": "year", "states": ["waiting", "mediation", "working", "on_hold", "dropped_out"],
             "state_factors": {"working": {"reductions": [0.45]}}, "worlds": ["program", "counterfactual"]},
            {"id": "key_figures", "label": "Sleutelfiguren", "party": "zv", "basis": "annual", "amount": 12000.0,
             "organisations": 2, "years": [2025]},
        ],
    }


def hand_case_expected() -> dict[str, float]:
    """Return the item totals of hand_case, computed by hand (saving positive, costs negative)."""
    # bijstand: 10 agents, work months 3..23 (21 months): 12 months at 70% saved, 9 at 100%.
    bijstand = 10 * 1000 * (12 * 0.7 + 9 * 1.0)
    # ww: 4 agents, benefit runs months 0..8 only; working from month 3: months 3..8 (6), all saved
    # (no benefit_reduction_when_working given: the default saves 100%).
    ww = 4 * 2000 * 6
    coach = -(14 * 450 * 6)  # every worker, first 6 months of work
    mediation = -(14 * 300 * 3)  # months 0, 1, 2
    bonus = -(10 * 500)
    success_fee = -(14 * 1000)  # spells reach 12 months at month 14 < 24
    hours = 20 * 52 / 12
    subsidy = -(10 * 10 * hours * (6 * 0.5 + 15 * 0.35))  # 21 months of work
    care = 14 * 300 * 0.45 * 21
    key_figures = -(2 * 12000)
    return {
        "benefit_bijstand": bijstand, "benefit_ww": ww, "coach": coach, "mediation": mediation,
        "bonus": bonus, "success_fee": success_fee, "subsidy": subsidy, "care": care, "key_figures": key_figures,
    }


def rich_case() -> dict:
    """Every mechanism at once (fixed parameters): random timing, relapse, hold, drop-out,
    eligibility, capped benefits, calendar schedules, gradual inflow, discounting, a counterfactual."""
    cfg = hand_case()
    cfg["title"] = "rich"
    cfg["cohort"] = {"horizon_months": 48, "start": "2023-07", "inflow_months": 12, "discount_rate": 0.03}
    cfg["streams"][0]["count"] = 60
    cfg["streams"][1].update(count=30, benefit_months_remaining=18, benefit_months_law="uniform")
    cfg["streams"].append({"id": "nug", "benefit": "nug", "count": 10, "manager": "gemeente"})
    cfg["outcomes"] = {
        "placement_probability": 0.6, "months_waiting": 1.5, "months_to_placement": 4,
        "months_to_dropout": 10, "job_retention_12m": 0.55, "return_probability": 0.6,
        "months_on_hold": 2.5, "max_spells": 3, "hours_per_week": 24,
        "streams": {"ww": {"placement_probability": 0.7, "time_law": "fixed", "months_to_placement": 2.4}},
    }
    cfg["counterfactual"] = {"placement_probability": 0.15, "months_to_placement": 12, "job_retention_12m": 0.4}
    cfg["items"][0]["eligible_share"] = 0.35
    cfg["items"].append({"id": "wmo", "label": "WMO", "party": "gemeente", "basis": "monthly", "amount": 400.0,
                         "states": ["mediation", "working", "on_hold", "dropped_out"], "eligible_share": 0.2,
                         "state_factors": {"working": {"reductions": [1.0]}}, "worlds": ["program", "counterfactual"],
                         "schedule": {"by": "calendar_year", "breaks": [2025], "values": [1.0, 1.05]}})
    cfg["items"].append({"id": "regular", "label": "Regulier traject", "party": "uwv", "basis": "event",
                         "event": "start", "amount": 2500.0, "worlds": ["counterfactual"], "capped_by_benefit": True})
    cfg["items"].append({"id": "dropout_cost", "label": "Afsluiting", "party": "gemeente", "basis": "event",
                         "event": "dropout", "amount": 150.0})
    cfg["items"].append({"id": "relapse_cost", "label": "Terugval", "party": "zv", "basis": "event",
                         "event": "relapse", "amount": 800.0})
    cfg["items"].append({"id": "intake", "label": "Intake", "party": "gemeente", "basis": "monthly",
                         "amount": 200.0, "states": ["waiting"], "schedule":
                         {"by": "months_since_start", "breaks": [1], "values": [1.0, 0.5]}})
    return cfg


def uncertain_case() -> dict:
    """rich_case with some numbers as distributions and a rank correlation."""
    cfg = rich_case()
    cfg["outcomes"]["placement_probability"] = {"dist": "beta", "mean": 0.55, "sd": 0.1, "name": "p_place"}
    cfg["outcomes"]["job_retention_12m"] = {"dist": "triangular", "low": 0.4, "mode": 0.55, "high": 0.7,
                                            "name": "retention"}
    cfg["items"][5]["state_factors"]["working"]["reductions"] = [{"dist": "pert", "low": 0.3, "mode": 0.45,
                                                                  "high": 0.6, "name": "care_reduction"}]
    cfg["correlations"] = [{"between": ["p_place", "retention"], "rank": 0.5}]
    return cfg


def load(d: dict):
    return config_from_dict(copy.deepcopy(d), source="<test>")
