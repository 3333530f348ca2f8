"""The composite likelihood of an aggregate status table (issue 14): counts at a census, no lives."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy import stats

import simsav
from simsav.codes import EVENTS, STATES
from simsav.config import load_config
from simsav.config.register import read_status
from simsav.model.compile import compile_config
from simsav.model.engine import run_expected
from simsav.model.likelihood import census_model, status_log_likelihood

CONFIG = "configs/drechtsteden.toml"
STATUS = "configs/drechtsteden-status-2020-05.csv"


@pytest.fixture(scope="module")
def case():
    cfg = load_config(CONFIG)
    return cfg, compile_config(cfg), read_status(STATUS, cfg)


def test_the_census_model_gives_the_full_models_occupancy_and_events_to_the_census(case):
    cfg, model, table = case
    rows = model.table.sample(20, 3, cfg.correlations)
    full = run_expected(model, rows)
    c = table.as_of
    small = run_expected(census_model(model, c), rows)
    np.testing.assert_allclose(small.occupancy[:, 0, :, c], full.occupancy[:, 0, :, c], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(small.events[:, 0].sum(axis=-1), full.events[:, 0, ..., : c + 1].sum(axis=-1),
                               rtol=1e-12, atol=1e-12)


def test_status_likelihood_is_the_multinomial_binomial_and_poisson_of_the_base_case(case):
    """At the point values: the states' multinomial with the base case's shares at the census, the
    38 ever placed as binomial, the 11 relapses as Poisson (constants of the counts added back)."""
    cfg, model, table = case
    base = simsav.base_case(cfg)
    c = table.as_of
    occ = base["occupancy"].sel(world="program").isel(draw=0, month=c).values
    started = occ.sum()
    assert started == pytest.approx(76.0)
    counts = [table.states.get(s, 0) for s in STATES]
    n = sum(counts)
    expected = stats.multinomial.logpmf(counts, n, occ / started)
    ev = base["events"].sel(world="program").isel(draw=0, month=slice(0, c + 1)).sum(("stream", "month"))
    per = {e: float(ev.sel(event=e)) / started for e in EVENTS}
    N = table.total
    expected += stats.binom.logpmf(table.events["first_placement"], N, per["first_placement"])
    expected += stats.poisson.logpmf(table.events["relapse"], N * per["relapse"])
    # the likelihood leaves out what does not depend on the parameters: add it back
    from scipy.special import gammaln

    const = gammaln(n + 1) - sum(gammaln(k + 1) for k in counts)
    const += gammaln(N + 1) - gammaln(table.events["first_placement"] + 1) - gammaln(
        N - table.events["first_placement"] + 1)
    const -= gammaln(table.events["relapse"] + 1)
    got = status_log_likelihood(model, model.table.point_row()[None, :], table)[0]
    assert got + const == pytest.approx(expected, rel=1e-10)


def test_status_likelihood_prefers_the_parameters_that_reproduce_the_table(case):
    """A table made from the base case's own expected counts is most likely near the point values:
    moving the placement probability away in either direction lowers it."""
    cfg, model, table = case
    base = simsav.base_case(cfg)
    c = table.as_of
    occ = base["occupancy"].sel(world="program").isel(draw=0, month=c).values
    own = dataclasses.replace(table, states={s: int(round(x * 10)) for s, x in zip(STATES, occ)},
                              events={}, total=int(round(occ.sum() * 10)))
    slot = model.table.slot_of("placement_probability")
    rows = np.tile(model.table.point_row(), (3, 1))
    rows[:, slot] = [0.7, 0.85, 0.97]
    ll = status_log_likelihood(model, rows, own)
    assert ll[1] > ll[0] and ll[1] > ll[2]


def test_impossible_rows_get_minus_infinity(case):
    cfg, model, table = case
    row = model.table.point_row()[None, :].copy()
    row[0, model.table.slot_of("placement_probability")] = 0.0  # nobody is ever placed, 32 are at work
    assert status_log_likelihood(model, row, table)[0] == -np.inf
