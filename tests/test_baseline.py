"""Fixed-seed baselines: every shipped config with its seed gives these numbers on any machine.

The numbers are data, ``tests/baselines/<config>.json``: placements and successes per draw,
the mean over draws of the net per party and of the SROI, and the base case's net per party
(euro figures to ``rtol``, counts exactly). A change to the random path (counters, streams,
the order in which a life asks for its uniforms), to the laws or to the accounting moves them.
If a change to the random path was meant, run ``python tools/regenerate_baselines.py`` and say
so in the commit (the tool prints what moved); if not, the change broke the reproducibility of
every seeded result users have quoted.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

import simsav
from conftest import REGION_CONFIGS, CONFIG_DIR, REPO

BASELINE_DIR = REPO / "tests" / "baselines"
CASES = ["holland-rijnland", "twente", "drechtsteden"]


def stored(name: str) -> dict:
    return json.loads((BASELINE_DIR / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=CASES)
def case(request):
    """Return (the stored baseline, the Monte Carlo results of its config, seed and draws)."""
    pinned = stored(request.param)
    ds = simsav.simulate(REPO / pinned["config"], draws=pinned["draws"], seed=pinned["seed"], progress=False)
    return pinned, ds


def assert_per_party(actual: dict, expected: dict, rtol: float) -> None:
    assert sorted(actual) == sorted(expected)
    for party, value in expected.items():
        np.testing.assert_allclose(actual[party], value, rtol=rtol, err_msg=party)


def test_every_shipped_config_has_a_baseline():
    assert sorted(p.stem for p in REGION_CONFIGS) == sorted(CASES)
    for name in CASES:
        assert stored(name)["config"] == f"configs/{name}.toml"


def test_placements_and_successes_per_draw(case):
    pinned, ds = case
    assert ds.placements.sum("stream").values.tolist() == pinned["placements_per_draw"]
    assert ds.successes.sum("stream").values.tolist() == pinned["successes_per_draw"]


def test_mean_net_per_party_and_mean_sroi(case):
    pinned, ds = case
    assert_per_party(dict(zip(ds.party.values.tolist(), ds.net.mean("draw").values)), pinned["mean_net"],
                     pinned["rtol"])
    np.testing.assert_allclose(float(ds.sroi.mean()), pinned["mean_sroi"], rtol=pinned["rtol"])


@pytest.mark.parametrize("name", CASES)
def test_base_case_net_per_party(name):
    pinned = stored(name)
    base = simsav.base_case(REPO / pinned["config"])
    assert_per_party(dict(zip(base.party.values.tolist(), base.net.isel(draw=0).values)), pinned["base_case_net"],
                     pinned["rtol"])


def test_the_regenerate_helper_computes_what_is_stored():
    """tools/regenerate_baselines.py and this test read the same numbers from the results."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("regenerate_baselines", REPO / "tools" / "regenerate_baselines.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert sorted(tool.BASELINES) == sorted(CASES)
    name = "twente"  # the quickest
    new, old = tool.compute(name), stored(name)
    moved = [line for line in tool.changes(old, new) if "within the test's rtol" not in line]
    assert moved == []
    assert json.loads(tool.dumps(new)) == new
