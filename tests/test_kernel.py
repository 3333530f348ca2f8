"""The kernel's inverse-CDF sampling: the guide-table look-up finds exactly the binary search's month."""
from __future__ import annotations

import numpy as np
import pytest

from simsav.model.kernel import build_guides, sample_guided, sample_months

H = 36


def _tables() -> np.ndarray:
    """Return laws as P(T <= k), k = 0..H, of every kind the kernel builds: shape (1, 1, L, H + 1)."""
    k = np.arange(H + 1)
    laws = [
        np.ones(H + 1),                                   # zero months
        np.zeros(H + 1),                                  # never within the horizon
        np.where(k < 4, 0.0, np.where(k == 4, 0.5, 1.0)),  # fixed 4.5 months: half 4, half 5
        1 - (1 - 1 / 7) ** (k + 1),                       # geometric, mean 6
        np.minimum(1.0, k / 24),                          # uniform remaining benefit duration
        np.r_[0.0, 1 - 0.97 ** k[1:]],                    # spell lengths from a retention
        np.minimum(1.0, np.cumsum(np.r_[0.2, np.zeros(9), 0.3, np.zeros(H - 10)])),  # a pmf with gaps
    ]
    return np.array(laws)[None, None]


@pytest.mark.parametrize("buckets_per_month", [1, 3, 8])
def test_guided_sampling_finds_the_same_month_as_the_binary_search(buckets_per_month):
    cdf = _tables()
    guide, _ = build_guides(cdf, cdf[0, :, 0], buckets_per_month)
    rng = np.random.default_rng(4)
    # random uniforms, the table's own values (ties), their neighbours, and the extremes
    edges = np.unique(cdf)
    us = np.concatenate([rng.random(5000), edges, np.nextafter(edges, 0), np.nextafter(edges, 1),
                         [0.5 / 2**53, 1 - 0.5 / 2**53]])
    us = us[(us > 0) & (us < 1)]
    for law in range(cdf.shape[2]):
        expected = [sample_months(cdf[0, 0, law], u) for u in us]
        found = [sample_guided(cdf, guide, 0, 0, law, u) for u in us]
        assert found == expected, f"law {law}"
