"""One number per quantity: a party's break-even month is the same in `simsav run`, `simsav share`,
the report and the fan chart, and the base case stands beside the Monte Carlo figures."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import simsav
from simsav.analysis import sharing
from simsav.analysis.summary import median_break_even, party_summary
from simsav.present import plot
from simsav.present.console import format_run, format_share
from simsav.present.report import render_report

HR = Path(__file__).resolve().parents[1] / "configs" / "holland-rijnland.toml"


@pytest.fixture(scope="module")
def ds():
    return simsav.simulate(HR, draws=300, seed=0, progress=False)


def test_break_even_month_is_the_median_over_all_draws_with_never_counted_as_later():
    be = np.array([3.0, 5.0, np.nan, np.nan, 10.0])
    assert median_break_even(be) == 10.0  # not 5, the median of the draws that break even
    assert math.isinf(median_break_even(np.array([3.0, np.nan, np.nan])))
    assert median_break_even(np.array([0.0, 0.0, 1.0])) == 0.0


def test_the_same_break_even_month_in_run_share_report_and_fan_chart(ds):
    summ = party_summary(ds)
    months = {p.party: p.break_even for p in summ.parties}
    gemeente = months["gemeente"]
    assert math.isfinite(gemeente) and gemeente > 0
    # share: the "no transfers" row
    c = sharing.compare(ds, "costs_follow_benefits", "ex-post")
    for party, month in months.items():
        assert float(c["break_even_median_before"].sel(party=party)) == month
    # the printed tables
    assert f"{gemeente:.0f}" in next(line for line in format_run(ds).splitlines() if line.startswith("Gemeente"))
    share_text = format_share(c)
    row = next(line for line in share_text.splitlines() if line.startswith("Gemeente") and "no transfers" in line)
    assert f"  {gemeente:.0f}  " in row
    # the report (Dutch) names the same month
    html = render_report(ds, HR, lang="nl")
    assert f"binnen {gemeente:.0f} maanden" in html
    # the fan chart marks it on the zero line (where the cumulative net stays >= 0 from then on)
    fig = plot.fan_chart(ds, parties=["gemeente"], total=False)
    marks = [(line.get_xdata()[0], line.get_ydata()[0]) for ax in fig.axes for line in ax.get_lines()
             if line.get_marker() not in ("None", None, "") and len(line.get_xdata()) == 1]
    assert (gemeente, 0.0) in marks


def test_parties_that_never_break_even_read_later_than_the_horizon(ds):
    text = format_run(ds)
    ggz = next(line for line in text.splitlines() if line.startswith("GGZ"))
    assert "> 60" in ggz


def test_run_shows_the_base_case_beside_the_monte_carlo_and_bridges_them(ds):
    text = format_run(ds)
    assert "net base case" in text
    bridge = next(line for line in text.splitlines() if line.startswith("Base case net"))
    summ = party_summary(ds)
    total = summ.total
    assert math.isfinite(total.means_net)
    # the bridge adds up: points -> means -> Monte Carlo mean
    parts = [float(x.replace(",", "")) for x in
             __import__("re").findall(r"(?<![\w.])[+-]?\d[\d,]*(?![\w.])", bridge)]
    assert round(total.base_net / 1000) in parts and round(total.net.mean / 1000) in parts
    # the base case is what simsav.base_case computes
    base = simsav.base_case(HR)
    np.testing.assert_allclose(total.base_net, float(base.net.sum()), rtol=1e-12)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_shows_the_base_case_beside_the_monte_carlo_and_bridges_them(ds, lang):
    import html as html_module
    import re

    from simsav.present.texts import TEXTS

    page = html_module.unescape(render_report(ds, HR, lang=lang))
    assert TEXTS["report"]["table_base"][lang] in page and TEXTS["report"]["table_mean"][lang] in page
    total = party_summary(ds).total
    bridge = re.search(r'<p class="bridge">(.*?)</p>', page, re.S).group(1)
    sep = "." if lang == "nl" else ","
    euros = [int(x.replace(sep, "")) for x in re.findall(r"EUR ([+-]?\d[\d.,]*)", bridge)]
    # base case, base case at the means, Monte Carlo mean: the three figures, rounded as the board reads them
    for x in (total.base_net, total.means_net, total.net.mean):
        assert round(x, -3) in euros
    # the base-case column of the total row is the base case
    assert f"EUR {round(total.base_net, -3):,.0f}".replace(",", sep) in page
