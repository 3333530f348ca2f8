"""The benchmark suite's yardsticks measure the same model as the kernel, its profile row takes out
the agents' items only, and the quick mode runs (the kernel rows and the CLI latency rows) without verdicts."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import ks_2samp

REPO = Path(__file__).resolve().parents[1]
# benchmarks/ as top-level modules, as asv and `python -m benchmarks` import them (numba's cache
# of the yardsticks records the module name)
sys.path.insert(0, str(REPO / "benchmarks"))

import workloads  # noqa: E402
import yardsticks  # noqa: E402

from simsav.codes import BASIS_ANNUAL, E_PLACEMENT, E_SUCCESS, S_WORKING, W_PROGRAM  # noqa: E402
from simsav.model.engine import run_expected, run_monte_carlo  # noqa: E402

PROGRAM = W_PROGRAM


def _bench(module: str):
    """Import ``benchmarks.<module>`` (the suite's package at the repository root, not asv's
    ``benchmarks/benchmarks``, which the sys.path entry above would find first)."""
    import importlib

    if str(REPO) not in sys.path[:1]:
        sys.path.insert(0, str(REPO))
    package = sys.modules.get("benchmarks")
    if package is not None and Path(package.__file__).resolve().parent != REPO / "benchmarks":
        for name in [n for n in sys.modules if n == "benchmarks" or n.startswith("benchmarks.")]:
            del sys.modules[name]
    return importlib.import_module(f"benchmarks.{module}")


@pytest.fixture(scope="module")
def small_region():
    """Holland Rijnland with 300 agents (60 months), 300 parameter draws."""
    cfg = workloads.load_config("holland-rijnland.toml", {"size": 300})
    return workloads.build(cfg, 300, seed=11)


def _agree(name, a, b, z_max=4.0):
    """Assert the means of two samples agree within z_max combined standard errors."""
    se = np.hypot(a.std(ddof=1) / np.sqrt(a.size), b.std(ddof=1) / np.sqrt(b.size))
    if se == 0.0:
        assert np.isclose(a.mean(), b.mean()), name
    else:
        z = (a.mean() - b.mean()) / se
        assert abs(z) < z_max, f"{name}: kernel {a.mean():,.1f}, NumPy {b.mean():,.1f}, z = {z:+.2f}"


def test_numpy_yardstick_agrees_in_distribution_with_the_kernel(small_region):
    model, values, keys = small_region
    kernel = run_monte_carlo(model, values, keys)
    numpy_ = yardsticks.numpy_monthly(model, values, seed=5)
    # events: row x world x stream x event x month
    placements = [r.events[:, PROGRAM, :, E_PLACEMENT].sum(axis=(1, 2)) for r in (kernel, numpy_)]
    _agree("program-world placements", *placements)
    _agree("program-world successes",
           *(r.events[:, PROGRAM, :, E_SUCCESS].sum(axis=(1, 2)) for r in (kernel, numpy_)))
    _agree("program-world months at work", *(r.working[:, PROGRAM].sum(axis=(1, 2)) for r in (kernel, numpy_)))
    for p, party in enumerate(model.party_ids):
        mine = model.item_party == p
        _agree(f"net of {party}", *(r.flow[:, mine].sum(axis=(1, 2)) for r in (kernel, numpy_)))
    assert ks_2samp(*placements).pvalue > 0.001


def test_numpy_yardstick_mean_matches_the_exact_base_case_item_by_item(small_region):
    # fixed parameters: only cohort variability left, so a wrong rule shows up as a bias
    model, values, _ = small_region
    point = np.repeat(model.table.point_row()[None, :], 200, axis=0)
    exact = run_expected(model, point[:1])
    numpy_ = yardsticks.numpy_monthly(model, point, seed=7)
    for i, item in enumerate(model.item_ids):
        x = numpy_.flow[:, i].sum(axis=1)
        se = x.std(ddof=1) / np.sqrt(x.size)
        assert abs(x.mean() - exact.flow[0, i].sum()) <= 4.5 * se + 1e-6 * abs(x.mean()), item
    for e in (E_PLACEMENT, E_SUCCESS):
        x = numpy_.events[:, :, :, e].sum(axis=(2, 3))  # row x world
        se = x.std(axis=0, ddof=1) / np.sqrt(x.shape[0])
        assert np.all(np.abs(x.mean(axis=0) - exact.events[0, :, :, e].sum(axis=(1, 2))) <= 4.5 * se)


def test_numpy_yardstick_cascades_zero_month_stays_within_the_month():
    # Twente: placed in month 0, working from month 0 (months_to_placement = 0, fixed)
    model, values, _ = workloads.workload("W1", draws=20)
    r = yardsticks.numpy_monthly(model, values, seed=1)
    placed = r.events[:, PROGRAM, :, E_PLACEMENT, 0].sum(axis=1)  # placements in month 0
    assert placed.min() > 0
    np.testing.assert_array_equal(r.occupancy[:, PROGRAM, S_WORKING, 0], placed)
    np.testing.assert_array_equal(r.working[:, PROGRAM, :, 0].sum(axis=1), placed)


def test_variate_count_replays_the_kernels_random_path(small_region):
    model, values, keys = small_region
    values, keys = values[:40], keys[:40]
    n_uniforms, events = yardsticks.count_variates(model, values, keys)
    # month by month: row x world x stream x event x month
    np.testing.assert_array_equal(events, run_monte_carlo(model, values, keys).events)
    # at least: benefit duration, and a waiting time and one mediation episode per world
    assert np.all(n_uniforms >= model.n_agents * 5)


def test_rng_only_loop_returns_a_finite_sum(small_region):
    model, _, keys = small_region
    total = yardsticks.rng_only(model, keys[:10], 15.5)
    assert np.isfinite(total)
    # a sum of uniforms in (0, 1): about half the number drawn
    assert total == pytest.approx(0.5 * 10 * model.n_agents * 15.5, rel=0.02)


def test_quick_mode_prints_the_table_header():
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "W1"], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "benchmark" in done.stdout and "agent-draws/s" in done.stdout and "peak MB" in done.stdout
    assert "W1 Twente kernel" in done.stdout
    assert "W1 of which: lives, no items" in done.stdout
    assert "W1 kernel / RNG-only time" in done.stdout
    # smoke numbers get no verdict
    assert "PASS" not in done.stdout and "MISS" not in done.stdout
    assert "(quick)" in done.stdout


def test_lives_profile_takes_out_the_agent_items_only(small_region):
    without_agent_items = _bench("measure").without_agent_items

    model, values, keys = small_region
    values, keys = values[:5], keys[:5]
    lives = without_agent_items(model)
    full, bare = run_monte_carlo(model, values, keys), run_monte_carlo(lives, values, keys)
    # the same lives, nothing paid per agent; annual items as before
    np.testing.assert_array_equal(bare.occupancy, full.occupancy)
    np.testing.assert_array_equal(bare.events, full.events)
    annual = lives.kernel.items["basis"] == BASIS_ANNUAL
    assert annual.any() and not annual.all()
    np.testing.assert_array_equal(bare.flow[:, annual], full.flow[:, annual])
    assert not bare.flow[:, ~annual].any() and full.flow[:, ~annual].any()


def test_latency_block_measures_the_console_script_in_quick_mode():
    # the code path of the CLI (latency) rows, on the cheapest part: `simsav --help`, no timing asserted
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "CLI.help"], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    rows = [ln for ln in done.stdout.splitlines() if ln.startswith("CLI simsav --help")]
    assert len(rows) == 1 and "failed" not in rows[0], done.stdout
    float(rows[0].split()[3])  # a wall time in seconds
    target = [ln for ln in done.stdout.splitlines() if ln.startswith("CLI `simsav --help` wall time")]
    assert len(target) == 1 and target[0].endswith("(quick)"), done.stdout
    assert "PASS" not in done.stdout and "MISS" not in done.stdout
    assert "the console script" in done.stdout


def test_latency_block_counts_compile_notes_and_cache_indexes(tmp_path):
    bench = _bench("__main__")

    # a cache holding only the expected-value kernel's index, as `simsav table` leaves it
    (tmp_path / "simsav" / "model").mkdir(parents=True)
    (tmp_path / "simsav" / "model" / "kernel.expected_draws-720.py311.nbi").write_bytes(b"")
    assert bench.compiled_kernels(str(tmp_path)) == ["expected_draws"]
    assert bench._short(bench.compiled_kernels(str(tmp_path))) == "expected"
    assert bench.Target("t", 2.0, 1.0, True, "s").line(quick=True).endswith("(quick)")
    assert "MISS" in bench.Target("t", 2.0, 1.0, True, "s").line()
    assert bench.Check("c", "1", "1", True).line(quick=True).endswith("ok")


def test_variate_count_of_w1_is_pinned():
    # 13,499,736 uniforms: counted by an independent replay of the kernel's random path before the
    # kernel recorded lives, and since read off those records; a change here means the kernel's
    # random path changed (and with it every seeded result)
    model, values, keys = workloads.workload("W1")
    n_uniforms, events = yardsticks.count_variates(model, values, keys)
    assert int(n_uniforms.sum()) == 13_499_736
    assert events[:, PROGRAM, :, E_PLACEMENT].sum() > 0
