"""Sharing rules (issue 5): the invariants every rule keeps, what each rule promises, the
settlement, the [agreement] config section and `simsav share`.

Two cases: the Twente config (parameters fixed, so the spread between draws is the cohort's)
and a small IPS case where outcome risk dominates: a wide beta on the placement probability and
an investor (the GGZ) whose costs follow the outcomes (IPS coaching while in mediation and in
the first year of work) and who saves nothing itself.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner

import simsav
from simsav.analysis import sharing
from simsav.cli import main as cli_main
from simsav.config import Agreement, Item, config_from_dict, load_config
from simsav.errors import ConfigError, InputError
from simsav.model.results import base_case_of, open_results, write_results
from factories import uncertain_case

REPO = Path(__file__).resolve().parents[1]
TWENTE = REPO / "configs" / "twente.toml"
EUR = 1e-6  # euros: sums of a few hundred thousand agree to far below a cent


def outcome_risk_case() -> dict:
    """An IPS case whose investor (GGZ) carries costs that follow uncertain outcomes."""
    return {
        "title": "IPS, outcome risk dominates",
        "parties": [{"id": "gemeente", "name": "Gemeente", "role": "gemeente"},
                    {"id": "uwv", "name": "UWV", "role": "uwv"},
                    {"id": "zorgverzekeraar", "name": "Zorgverzekeraar", "role": "zorgverzekeraar"},
                    {"id": "ggz", "name": "GGZ", "role": "ggz"}],
        "cohort": {"size": 60, "horizon_months": 36, "start": "2024-01"},
        "streams": [
            {"id": "bijstand", "benefit": "bijstand", "share": 0.6, "monthly_benefit": 1200.0,
             "payer": "gemeente", "manager": "gemeente"},
            {"id": "ww", "benefit": "ww", "share": 0.4, "monthly_benefit": 1800.0, "payer": "uwv", "manager": "uwv",
             "benefit_months_remaining": 24, "benefit_months_law": "uniform"},
        ],
        "outcomes": {"placement_probability": {"dist": "beta", "mean": 0.45, "sd": 0.2, "name": "p_place"},
                     "months_to_placement": 5, "months_to_dropout": 9, "job_retention_12m": 0.7,
                     "hours_per_week": 24},
        "counterfactual": {"placement_probability": 0.1, "months_to_placement": 12},
        "items": [
            {"id": "ips", "label": "IPS-begeleiding", "party": "ggz", "basis": "monthly", "amount": 400.0,
             "states": ["mediation", "working"], "state_factors": {"working": {"breaks": [12], "values": [1.0, 0.0]}}},
            {"id": "zorg", "label": "Zorgkosten", "party": "zorgverzekeraar", "basis": "monthly", "amount": 4000.0,
             "amount_period": "year", "states": ["waiting", "mediation", "working", "on_hold", "dropped_out"],
             "state_factors": {"working": {"reductions": [0.3]}}, "worlds": ["program", "counterfactual"]},
            {"id": "coord", "label": "Coordinatie", "party": "gemeente", "basis": "annual", "amount": 15000.0},
        ],
        "agreement": {"label": "Kosten naar rato", "rule": "fixed_split",
                      "shares": {"gemeente": 0.5, "uwv": 0.3, "zorgverzekeraar": 0.2}},
    }


def simulate(cfg, draws: int, seed: int):
    """Return (Monte Carlo results, the base case they carry)."""
    ds = simsav.simulate(cfg, draws=draws, seed=seed, progress=False)
    return ds, base_case_of(ds)


@pytest.fixture(scope="module")
def twente():
    cfg = load_config(TWENTE)
    return (cfg, *simulate(cfg, 200, 5))


@pytest.fixture(scope="module")
def twente_comparison(twente):
    cfg, ds, base = twente
    return sharing.compare(ds, "all")


@pytest.fixture(scope="module")
def risk():
    cfg = config_from_dict(outcome_risk_case(), source="<outcome risk>")
    return (cfg, *simulate(cfg, 400, 3))


@pytest.fixture(scope="module")
def risk_comparison(risk):
    cfg, ds, base = risk
    return sharing.compare(ds, ["all", "fixed_split"])


# --------------------------------------------------------------------------- outcome flows


def _with_markers(cfg):
    """Return ``cfg`` with two items of one euro: one at every success, one per month of work (program world).

    An independent way to count what sharing reads from the results' events: the kernel pays the
    markers as it pays any item. Appended items take new slots after every existing one and pay
    everyone, so every other number stays as it was.
    """
    party = cfg.parties[0].id
    markers = [Item(id="marker_success", label="successes", party=party, basis="event", event="success",
                    amount=1.0, kind="cost", in_table=False),
               Item(id="marker_work", label="months of work", party=party, basis="monthly", states=["working"],
                    amount=1.0, kind="cost", in_table=False)]
    return cfg.model_copy(update={"items": list(cfg.items) + markers})


@pytest.mark.parametrize("rate", [0.0, 0.03])
def test_outcome_flows_from_the_events_equal_items_paid_per_success_and_month_of_work(rate):
    data = uncertain_case()
    data["cohort"]["discount_rate"] = rate
    cfg = config_from_dict(data)
    ds = simsav.simulate(cfg, draws=40, seed=11, progress=False)
    marked = simsav.simulate(_with_markers(cfg), draws=40, seed=11, progress=False)
    np.testing.assert_array_equal(marked["item_flow"].sel(item=ds["item"]).values, ds["item_flow"].values)
    success, work = sharing.outcome_flows(ds)
    np.testing.assert_array_equal(success.values, -marked["item_flow"].sel(item="marker_success").values)
    np.testing.assert_array_equal(work.values, -marked["item_flow"].sel(item="marker_work").values)
    # the same for the base case the results carry (expected numbers: equal to rounding)
    success, work = sharing.outcome_flows(base_case_of(ds))
    marked_base = base_case_of(marked)
    np.testing.assert_allclose(success.values, -marked_base["item_flow"].sel(item="marker_success").values, rtol=1e-12)
    np.testing.assert_allclose(work.values, -marked_base["item_flow"].sel(item="marker_work").values, rtol=1e-12)
    assert ds["parameter_values"].std("draw").min() > 0  # the draws differ


def test_events_per_month_add_up_to_the_totals(twente):
    _, ds, base = twente
    for d in (ds, base):
        program = d["events"].sel(world="program").sum("month")
        np.testing.assert_array_equal(program.sel(event="placement").values, d["placements"].values)
        np.testing.assert_array_equal(program.sel(event="success").values, d["successes"].values)
        worked = d["months_worked"].sel(world="program").sum("stream")
        np.testing.assert_allclose(worked, d["occupancy"].sel(world="program", state="working"), rtol=1e-12)


def test_twente_successes_fall_in_month_11(twente):
    # Twente places everyone in month 0 and nobody relapses: the 12th month of work is month 11.
    _, _, base = twente
    flow = sharing.outcome_flows(base)[0].isel(draw=0).values
    assert np.nonzero(flow)[0].tolist() == [11]
    assert flow[11] == pytest.approx(50.0)


def test_a_results_file_copied_elsewhere_gives_the_same_transfers(twente, tmp_path):
    cfg, ds, _ = twente
    data = config_from_dict(outcome_risk_case())
    for results in (ds, simsav.simulate(data, draws=50, seed=2, progress=False)):
        here = sharing.compare(results, "all")
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir(exist_ok=True)
        path = write_results(results, elsewhere / "r.nc")
        opened = open_results(path)
        assert opened.attrs["config_path"] in ("", str(TWENTE))  # the config is not needed, nor read
        there = sharing.compare(opened, "all")
        assert there["rule"].values.tolist() == here["rule"].values.tolist()
        for name in ("transfer", "transfer_matrix", "net_after", "price_per_success", "p_loss_after"):
            np.testing.assert_array_equal(there[name].values, here[name].values, err_msg=name)


def test_results_without_events_are_refused_with_a_clear_message(twente):
    _, ds, _ = twente
    with pytest.raises(InputError, match="no events per month"):
        sharing.compare(ds.drop_vars(["events", "months_worked"]), "outcome_payments")


# --------------------------------------------------------------------------- invariants of every rule


@pytest.mark.parametrize("case", ["twente_comparison", "risk_comparison"])
def test_transfers_sum_to_zero(case, request):
    c = request.getfixturevalue(case)
    assert float(abs(c["transfer"].sum("party")).max()) < EUR
    # the payer -> receiver matrix gives each party's transfer: received minus paid
    m = c["transfer_matrix"]
    received = m.sum("payer").rename(receiver="party") - m.sum("receiver").rename(payer="party")
    np.testing.assert_allclose(received, c["transfer"], atol=EUR)
    assert float(m.min()) >= 0


@pytest.mark.parametrize("case", ["twente_comparison", "risk_comparison"])
def test_total_net_is_unchanged_by_every_rule(case, request):
    c = request.getfixturevalue(case)
    change = c["net_after"].sum("party") - c["net_before"].sum("party")
    assert float(abs(change).max()) < EUR


def test_transfers_per_year_add_up_to_the_horizon(twente):
    cfg, ds, base = twente
    for rule in ("costs_follow_benefits", "outcome_payments"):
        for settle in sharing.SETTLEMENTS:
            tr = sharing.transfers(ds, rule, settle=settle, base=base)
            np.testing.assert_allclose(tr["transfer_by_year"].sum("year"), tr["transfer_matrix"], atol=EUR)
            np.testing.assert_allclose(tr["transfer_flow"].sum("month"), tr["transfer"], atol=EUR)


# --------------------------------------------------------------------------- what each rule promises


def test_costs_follow_benefits_shares_the_net_as_the_savings(risk_comparison, risk):
    _, ds, _ = risk
    c = risk_comparison.sel(rule="costs_follow_benefits", settle="ex-post")
    total_savings = ds["savings"].sum("party")
    expected = ds["savings"] / total_savings * ds["net"].sum("party")
    ok = (ds["savings"] >= 0).all("party") & (total_savings > 0)  # else see the next test
    assert float(ok.mean()) > 0.8
    np.testing.assert_allclose(c["net_after"].where(ok), expected.where(ok), atol=EUR)


def test_costs_follow_benefits_without_benefits(risk_comparison, risk):
    # In draws where the program saves nothing for anybody, nobody's costs follow a benefit:
    # they stay where they fall. A party with negative savings bears none of the costs.
    _, ds, _ = risk
    c = risk_comparison.sel(rule="costs_follow_benefits", settle="ex-post")
    none = (ds["savings"] <= 0).all("party")
    assert int(none.sum()) > 0
    np.testing.assert_allclose(c["transfer"].where(none, 0.0), 0.0, atol=EUR)
    mixed = (ds["savings"] < 0) & (ds["savings"].clip(min=0).sum("party") > 0)
    assert int(mixed.any("party").sum()) > 0
    np.testing.assert_allclose(c["net_after"].where(mixed), ds["savings"].where(mixed), atol=EUR)


def test_equal_return_gives_every_party_the_same_return_on_its_costs(twente, twente_comparison):
    cfg, ds, base = twente
    after = twente_comparison["net_after"].sel(rule="equal_return", settle="ex-post")
    ret = after / ds["costs"]  # every Twente party has costs
    np.testing.assert_allclose(ret, ret.sel(party="gemeente").broadcast_like(ret), rtol=1e-9)
    np.testing.assert_allclose(ret.sel(party="gemeente"), ds["net"].sum("party") / ds["costs"].sum("party"),
                               rtol=1e-9)
    # ex ante the euros are fixed from the base case, where the returns are equal
    cb = sharing.compare(base, "equal_return", "ex-ante")
    ret = cb["net_after"].sel(rule="equal_return", settle="ex-ante") / base["costs"]
    np.testing.assert_allclose(ret, ret.sel(party="gemeente").broadcast_like(ret), rtol=1e-9)


def test_equal_return_leaves_nothing_to_a_party_without_costs(risk_comparison, risk):
    _, ds, _ = risk
    c = risk_comparison.sel(rule="equal_return", settle="ex-post")
    no_costs = (ds["costs"] == 0).all("draw")
    assert set(c["party"].values[no_costs.values]) == {"uwv", "zorgverzekeraar"}
    assert float(abs(c["net_after"].sel(party=["uwv", "zorgverzekeraar"])).max()) < EUR
    ret = c["net_after"].sel(party=["gemeente", "ggz"]) / ds["costs"].sel(party=["gemeente", "ggz"])
    np.testing.assert_allclose(ret.sel(party="gemeente"), ret.sel(party="ggz"), rtol=1e-9)


@pytest.mark.parametrize("config", [TWENTE, "risk"])
def test_outcome_payments_let_the_investors_break_even_at_base_case(config):
    cfg = config_from_dict(outcome_risk_case()) if config == "risk" else load_config(config)
    bc = simsav.base_case(cfg)
    c = sharing.compare(bc, "outcome_payments")
    investors = c["party"].values[c["investor"].values]
    assert len(investors) >= 1
    for settle in sharing.SETTLEMENTS:
        net = c["net_after"].sel(rule="outcome_payments", settle=settle, party=investors).isel(draw=0)
        assert float(abs(net).max()) < EUR, (settle, net.values)
    # the price is the investors' deficit per (discounted) success
    deficit = -float(bc["net"].sel(party=investors).sum())
    price = float(c["price_per_success"].sel(rule="outcome_payments"))
    assert price == pytest.approx(deficit / float(sharing.outcome_flows(bc)[0].sum()))


def test_twente_outcome_payment_is_1000_euros_per_success_paid_in_month_11(twente):
    # The GGZ's EUR 50,000 of key-figure work, repaid over the base case's 50 successes.
    cfg, ds, base = twente
    tr = sharing.transfers(ds, "outcome_payments", settle="ex-post", base=base)
    assert float(tr["price_per_success"]) == pytest.approx(1000.0)
    assert float(tr["receiver_share"].sel(party="ggz")) == 1.0
    np.testing.assert_allclose(tr["transfer"].sel(party="ggz"), 1000.0 * ds["successes"].sum("stream"), rtol=1e-12)
    assert set(np.nonzero(tr["transfer_profile"].values)[1]) == {11}


# --------------------------------------------------------------------------- settlement


def test_ex_post_costs_follow_benefits_lowers_the_investors_loss_probability(risk_comparison):
    """Measured on the outcome-risk case: settled on the realised costs and savings, an investor that
    saves nothing bears no costs; with euros fixed from the base case it bears every euro its
    outcome-driven costs run over the plan."""
    c = risk_comparison
    investors = c["party"].values[c["investor"].values].tolist()
    assert investors == ["ggz"]
    before = float(c["p_loss_before"].sel(party="ggz"))
    ex_ante = float(c["p_loss_after"].sel(rule="costs_follow_benefits", settle="ex-ante", party="ggz"))
    ex_post = float(c["p_loss_after"].sel(rule="costs_follow_benefits", settle="ex-post", party="ggz"))
    # measured: before 1.00, ex ante 0.49, ex post 0.01 (draws in which nobody saves anything)
    assert before == 1.0
    assert ex_ante > 0.35
    assert ex_post < 0.10
    assert ex_post < ex_ante - 0.3
    split_ante = float(c["p_loss_after"].sel(rule="fixed_split", settle="ex-ante", party="ggz"))
    split_post = float(c["p_loss_after"].sel(rule="fixed_split", settle="ex-post", party="ggz"))
    assert split_post < split_ante - 0.3  # its share of the costs is 0: ex post it never loses


def test_ex_post_outcome_payments_move_outcome_risk_to_the_investors(risk_comparison):
    """Measured on the outcome-risk case: paying per actual success (ex post) leaves the investor
    the risk that successes stay below plan; a payment fixed from the base case does not. Both
    are priced to break even in expectation, so P(net < 0) stays near one half either way, while
    the 5th percentile falls. The same holds for equal return: ex post the investor shares in
    the whole program's outcome. docs/sharing.md explains this."""
    c = risk_comparison.sel(party="ggz")
    p5 = c["p5_after"].sel(rule="outcome_payments")
    assert float(p5.sel(settle="ex-post")) < float(p5.sel(settle="ex-ante")) - 30_000
    for settle in sharing.SETTLEMENTS:
        assert 0.35 < float(c["p_loss_after"].sel(rule="outcome_payments", settle=settle)) < 0.65
    eq = c["p_loss_after"].sel(rule="equal_return")
    assert float(eq.sel(settle="ex-post")) > float(eq.sel(settle="ex-ante"))


def test_ex_ante_transfers_are_the_same_euros_in_every_draw(risk_comparison):
    m = risk_comparison["transfer_matrix"].sel(settle="ex-ante")
    assert float((m.max("draw") - m.min("draw")).max()) < EUR
    assert float((risk_comparison["transfer_matrix"].sel(settle="ex-post").std("draw")).max()) > 1000


def test_break_even_after_transfers_uses_the_months_they_are_paid(twente_comparison, twente):
    # The GGZ's costs start in 2022 while the outcome payments come in month 11 (2021):
    # paid for its work in advance, its cumulative net never drops below 0 in the base case.
    be = twente_comparison["break_even_after"].sel(rule="outcome_payments", settle="ex-ante", party="ggz")
    assert float(be.max()) == 0.0
    assert np.isnan(twente_comparison["break_even_before"].sel(party="ggz")).all()


# --------------------------------------------------------------------------- the [agreement] section


AGREEMENT_FIXED = '''
[agreement]
label = "Convenant Twente"
rule = "fixed_split"
settle = "ex-post"
shares = { gemeente = 0.4, uwv = 0.35, zorgverzekeraar = 0.15, ggz = 0.10 }
'''

AGREEMENT_OUTCOME = '''
[agreement]
rule = "outcome_payments"
price_per_success = 2000
payers = ["uwv"]
receivers = ["ggz"]
'''


def _twente_with(tmp_path, text: str, name: str = "twente_agreement.toml") -> Path:
    path = tmp_path / name
    path.write_text(TWENTE.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def test_agreement_fixed_split_loads_and_evaluates(tmp_path):
    cfg = load_config(_twente_with(tmp_path, AGREEMENT_FIXED))
    assert cfg.agreement == Agreement(label="Convenant Twente", rule="fixed_split", settle="ex-post",
                                      shares={"gemeente": 0.4, "uwv": 0.35, "zorgverzekeraar": 0.15, "ggz": 0.10})
    ds, base = simulate(cfg, 30, 1)
    c = sharing.compare(ds, "all")
    assert c["rule"].values.tolist() == ["costs_follow_benefits", "equal_return", "outcome_payments", "agreement"]
    assert c.attrs["agreement_label"] == "Convenant Twente"
    shares = np.array([0.4, 0.35, 0.15, 0.10])
    expected = ds["savings"] - ds["costs"].sum("party") * xr.DataArray(shares, dims="party")
    np.testing.assert_allclose(c["net_after"].sel(rule="agreement", settle="ex-post"), expected, atol=EUR)


def test_agreement_outcome_payments_with_a_negotiated_price(tmp_path):
    cfg = load_config(_twente_with(tmp_path, AGREEMENT_OUTCOME))
    bc = simsav.base_case(cfg)
    c = sharing.compare(bc, "agreement")
    after = c["net_after"].sel(rule="agreement", settle="ex-post").isel(draw=0)
    # 50 successes x EUR 2,000 from UWV to the GGZ, whose costs are EUR 50,000
    assert float(after.sel(party="ggz")) == pytest.approx(-50_000 + 2000 * 50)
    assert float(after.sel(party="uwv")) == pytest.approx(float(bc["net"].sel(party="uwv", draw=0)) - 100_000)
    assert float(c["price_per_success"].sel(rule="agreement")) == 2000


def test_fixed_split_and_agreement_need_an_agreement_section(twente):
    cfg, ds, base = twente
    with pytest.raises(InputError, match="no \\[agreement\\]"):
        sharing.compare(ds, "agreement", base=base)
    with pytest.raises(InputError, match='rule = "fixed_split"'):
        sharing.compare(ds, "fixed_split", base=base)
    with pytest.raises(InputError, match="unknown sharing rule 'fair'"):
        sharing.compare(ds, "fair", base=base)


BAD_AGREEMENTS = [
    ("unknown-party", 'rule = "fixed_split"\nshares = { gemeente = 0.5, uwv = 0.3, zorg = 0.2 }',
     "agreement.shares.zorg", r"party 'zorg' is not defined in \[\[parties\]\] \(defined: gemeente, uwv"),
    ("shares-sum", 'rule = "fixed_split"\nshares = { gemeente = 0.5, uwv = 0.3 }',
     "agreement.shares", r"shares must sum to 1, got 0\.8"),
    ("share-above-1", 'rule = "fixed_split"\nshares = { gemeente = 1.5, uwv = -0.5 }',
     "agreement.shares.gemeente", r"a share must lie in \[0, 1\], got 1\.5"),
    ("split-without-shares", 'rule = "fixed_split"', "agreement", r'needs shares'),
    ("shares-for-another-rule", 'rule = "outcome_payments"\nshares = { gemeente = 1.0 }',
     "agreement", r'shares only applies to rule = "fixed_split"'),
    ("price-for-another-rule", 'rule = "equal_return"\nprice_per_success = 5000',
     "agreement", r'price_per_success only applies to rule = "outcome_payments"'),
    ("rule-misspelt", 'rule = "fixed-split"\nshares = { gemeente = 1.0 }',
     "agreement.rule", r'must be "costs_follow_benefits".*did you mean "fixed_split"'),
    ("settle-misspelt", 'rule = "equal_return"\nsettle = "ex post"',
     "agreement.settle", r'must be "ex-ante" or "ex-post".*did you mean "ex-post"'),
    ("pays-and-receives", 'rule = "outcome_payments"\npayers = ["uwv"]\nreceivers = ["uwv", "ggz"]',
     "agreement", r"cannot both pay and receive: uwv"),
    ("unknown-receiver", 'rule = "outcome_payments"\nreceivers = ["gzz"]',
     "agreement.receivers", r"party 'gzz' is not defined"),
    ("negative-price", 'rule = "outcome_payments"\nprice_per_success = -5',
     "agreement.price_per_success", r"greater than or equal to 0"),
    ("price-as-text", 'rule = "outcome_payments"\nprice_per_success = "5000"',
     "agreement.price_per_success", r"must be a number.*without quotes"),
    ("field-misspelt", 'rule = "outcome_payments"\nprice_per_succes = 5000',
     "agreement.price_per_succes", r"did you mean 'price_per_success'"),
    ("no-rule", 'shares = { gemeente = 1.0 }', "agreement.rule", r"required field is missing"),
]


@pytest.mark.parametrize("text,field,problem", [c[1:] for c in BAD_AGREEMENTS], ids=[c[0] for c in BAD_AGREEMENTS])
def test_bad_agreement_gives_a_clear_error(tmp_path, text, field, problem):
    path = _twente_with(tmp_path, "\n[agreement]\n" + text + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    lines = str(err.value).splitlines()  # one line per problem, the one made first
    assert len(lines) == (2 if "uwv = -0.5" in text else 1), lines
    assert lines[0].startswith(f"{path}: {field}: "), lines[0]
    assert re.search(problem, lines[0]), lines[0]


# --------------------------------------------------------------------------- command line and plot


def test_share_prints_matrix_and_comparison(tmp_path):
    path = _twente_with(tmp_path, AGREEMENT_FIXED)
    plot = tmp_path / "share.png"
    result = CliRunner().invoke(cli_main, ["share", str(path), "--draws", "30", "--seed", "2", "--plot", str(plot),
                                           "--lang", "en"])
    assert result.exit_code == 0, result.output
    out = result.output
    for text in ("Transfer matrix, payer -> receiver", "Net per party before and after each rule",
                 "== Settled ex ante", "== Settled ex post", "costs follow benefits", "equal return",
                 "outcome payments", "agreement: Convenant Twente", "EUR 1,000 per success", "P(net<0)",
                 "break-even month", "2021", "2023", "only 30 draws"):
        assert text in out, text
    assert plot.stat().st_size > 10_000


def test_share_one_rule_one_settlement():
    result = CliRunner().invoke(cli_main, ["share", str(TWENTE), "-n", "20", "--rule", "equal-return",
                                           "--settle", "ex-ante", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "equal return" in result.output and "costs follow benefits" not in result.output
    assert "ex post" not in result.output


def test_share_help_has_an_example():
    result = CliRunner().invoke(cli_main, ["share", "--help"])
    assert result.exit_code == 0
    assert "simsav share configs/twente.toml" in result.output
    for option in ("--rule", "--settle", "--draws", "--seed", "--plot"):
        assert option in result.output


@pytest.mark.parametrize("args,message", [
    (["--rule", "agreement"], r"^error: --rule: the config has no \[agreement\] table"),
    (["--rule", "fixed-split"], r'^error: --rule: fixed_split takes its shares from the config'),
    (["--draws", "0"], r"^error: --draws: must be at least 1, got 0"),
    (["--plot", "/nonexistent/dir/share.png"], r"^error: --plot: directory '/nonexistent/dir' does not exist"),
    (["--plot", "share.txt"], r"^error: --plot: the file name must end in .png"),
    (["--rule", "fair"], r"^error: --rule: .*'fair'"),
    (["--settle", "later"], r"^error: --settle: .*'later'"),
])
def test_share_bad_input_exits_2_with_one_message(args, message):
    result = CliRunner().invoke(cli_main, ["share", str(TWENTE), *args])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    first = result.output.strip().splitlines()[0]
    assert re.search(message, first), result.output


def test_share_bad_agreement_in_a_real_process(run_simsav, tmp_path):
    path = _twente_with(tmp_path, '\n[agreement]\nrule = "fixed_split"\nshares = { gemeente = 0.9 }\n')
    proc = run_simsav("share", path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [f"error: {path}: agreement.shares: shares must sum to 1, got 0.9"]


def test_transfers_plot_returns_a_figure(twente_comparison):
    from matplotlib.figure import Figure

    from simsav.present.plot import transfers_plot

    fig = transfers_plot(twente_comparison)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    other = Figure()
    ax = other.subplots()
    assert transfers_plot(twente_comparison, ax=ax) is other
    assert len(ax.patches) == twente_comparison.sizes["party"] * (1 + twente_comparison.sizes["rule"])
