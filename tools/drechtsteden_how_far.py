"""How far Drechtsteden's May 2020 status table moves the outcome parameters toward what
configs/drechtsteden.toml calibrated by hand (issue 14; the numbers in docs/validation.md).

The config's own priors are centred on the hand calibration (their means are its points), so
the table can only narrow them. The question is whether the data lead there from elsewhere:
start from Holland Rijnland's outcome priors (a region that has not calibrated to Drechtsteden),
update them with the status table alone, and see per parameter how much of the gap between
that prior's mean and the hand-calibrated value the posterior mean closes.

    .venv/bin/python tools/drechtsteden_how_far.py [--draws 2000] [--seed 0]
"""
from __future__ import annotations

import argparse
import copy
import tomllib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUTCOMES = ("placement_probability", "months_to_placement", "months_to_dropout", "job_retention_12m",
            "return_probability", "months_on_hold")


def generic_prior_config():
    """configs/drechtsteden.toml with its six outcome distributions replaced by Holland Rijnland's."""
    from simsav.config import config_from_dict

    d = tomllib.loads((REPO / "configs" / "drechtsteden.toml").read_text(encoding="utf-8"))
    hr = tomllib.loads((REPO / "configs" / "holland-rijnland.toml").read_text(encoding="utf-8"))
    d = copy.deepcopy(d)
    for name in OUTCOMES:
        dist = dict(hr["outcomes"][name])
        dist.pop("point", None)  # the point of the generic prior is its mean
        dist["source"] = "judgement"  # Holland Rijnland's prior, used here as a region's starting point
        d["outcomes"][name] = dist
    return config_from_dict(d, source=str(REPO / "configs" / "drechtsteden.toml"))


def how_far(draws: int = 2000, seed: int = 0) -> list[dict]:
    """Per outcome parameter: the hand-calibrated value, the generic prior's mean and 5-95%, the
    posterior's given the status table, and the share of the gap closed."""
    from simsav.analysis.forecast import monitor
    from simsav.config import load_config
    from simsav.model.compile import compile_config

    hand = compile_config(load_config(REPO / "configs" / "drechtsteden.toml")).table
    cfg = generic_prior_config()
    mon = monitor(cfg, status=REPO / "configs" / "drechtsteden-status-2020-05.csv", draws=draws, seed=seed)
    p = mon.parameters
    out = []
    for k, path in enumerate(p["path"].values.tolist()):
        name = path.split(".")[-1]
        target = float(hand.params[hand.slot_of(path)].point)
        prior, post = float(p["prior_mean"][k]), float(p["posterior_mean"][k])
        gap = target - prior
        sd = float(p["value"][:, k].std())
        out.append({"parameter": name, "hand": target, "prior": prior, "prior_band": p["prior_quantile"][k].values,
                    "posterior": post, "posterior_band": p["posterior_quantile"][k].values,
                    # the share of the gap closed, where there is a gap (a quarter of the prior's sd or more)
                    "closed": (post - prior) / gap if abs(gap) >= 0.25 * sd else float("nan"),
                    "distance_before": abs(gap) / sd, "distance_after": abs(target - post) / sd,
                    "method": p.attrs["method"], "stages": p.attrs.get("stages"), "ess": p.attrs["ess"]})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    rows = how_far(a.draws, a.seed)
    print(f"{'parameter':<24} {'hand':>7} {'prior mean (5-95%)':>24} {'posterior mean (5-95%)':>26} {'gap closed':>10}")
    for r in rows:
        pb, qb = r["prior_band"], r["posterior_band"]
        closed = "no gap" if np.isnan(r["closed"]) else f"{r['closed']:.0%}"
        print(f"{r['parameter']:<24} {r['hand']:>7.3g} {r['prior']:>8.3g} ({pb[0]:.3g}-{pb[-1]:.3g}){'':>4} "
              f"{r['posterior']:>8.3g} ({qb[0]:.3g}-{qb[-1]:.3g}){'':>6} {closed:>10}")
    before = np.mean([r["distance_before"] for r in rows])
    after = np.mean([r["distance_after"] for r in rows])
    print(f"mean distance to the hand calibration, in prior sd: {before:.2f} before, {after:.2f} after")
    print(f"method {rows[0]['method']}, {rows[0]['stages']} stages; importance ESS {rows[0]['ess']:.0f} of {a.draws}")


if __name__ == "__main__":
    main()
