"""Regenerate the fixed-seed baselines that tests/test_baseline.py pins, from the current code.

    python tools/regenerate_baselines.py                  # every shipped config
    python tools/regenerate_baselines.py twente           # only some
    python tools/regenerate_baselines.py --check          # compare only: exit 1 when a number moved

For each shipped config (``BASELINES``: its seed and number of draws) this runs
``simsav.simulate`` and ``simsav.base_case`` and writes ``tests/baselines/<config>.json``:
placements and successes per draw (program world, summed over streams), the mean over draws
of the net per party and of the SROI, and the base case's net per party. It prints every
number that changed, old -> new, before writing.

The baselines are there to catch a change to the random path (counters, streams, the order in
which a life asks for its uniforms), to the laws or to the accounting that nobody meant. If a
change to the random path was meant, run ``python tools/regenerate_baselines.py`` and say so in
the commit, with what moved; if it was not meant, the change broke the reproducibility of every
seeded result users have quoted.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE_DIR = REPO / "tests" / "baselines"
RTOL = 1e-9
"""The relative tolerance the test allows on the euro figures (the counts must be equal)."""

# config name (configs/<name>.toml): (seed, draws)
BASELINES = {
    "holland-rijnland": (7, 20),
    "twente": (7, 8),
    "drechtsteden": (7, 8),
}


def _count(x: float) -> int:
    if not float(x).is_integer():
        raise ValueError(f"a count of {x} people is not a whole number")
    return int(x)


def compute(name: str) -> dict:
    """Return the baseline figures of one shipped config, from the current code."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import simsav

    seed, draws = BASELINES[name]
    config = f"configs/{name}.toml"
    ds = simsav.simulate(REPO / config, draws=draws, seed=seed, progress=False)
    base = simsav.base_case(REPO / config)
    parties = ds.party.values.tolist()
    return {
        "config": config,
        "seed": seed,
        "draws": draws,
        "rtol": RTOL,
        "regenerate": "python tools/regenerate_baselines.py",
        "placements_per_draw": [_count(x) for x in ds.placements.sum("stream").values.tolist()],
        "successes_per_draw": [_count(x) for x in ds.successes.sum("stream").values.tolist()],
        "mean_net": dict(zip(parties, map(float, ds.net.mean("draw").values))),
        "mean_sroi": float(ds.sroi.mean()),
        "base_case_net": dict(zip(base.party.values.tolist(), map(float, base.net.isel(draw=0).values))),
    }


def path_of(name: str) -> Path:
    return BASELINE_DIR / f"{name}.json"


def dumps(figures: dict) -> str:
    """Return the figures as JSON, one figure a line (floats as Python writes them: they read back to the bit)."""
    lines = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in figures.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def changes(old: dict, new: dict) -> list[str]:
    """Return a line for every figure that differs between two baselines."""
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            moved = [f"draw {k}: {x} -> {y}" for k, (x, y) in enumerate(zip(a, b)) if x != y]
            out.append(f"{key}: {len(moved)} of {len(a)} draws moved ({'; '.join(moved[:5])}"
                       f"{'; ...' if len(moved) > 5 else ''})")
        elif isinstance(a, dict) and isinstance(b, dict):
            for party in sorted(set(a) | set(b)):
                out += _number_change(f"{key}[{party}]", a.get(party), b.get(party))
        else:
            out += _number_change(key, a, b)
    return out


def _number_change(label: str, a, b) -> list[str]:
    if a == b:
        return []
    if isinstance(a, float) and isinstance(b, float) and math.isfinite(a) and a != 0:
        rel = abs(b - a) / abs(a)
        within = " (within the test's rtol)" if rel <= RTOL else ""
        return [f"{label}: {a!r} -> {b!r}, relative change {rel:.3g}{within}"]
    return [f"{label}: {a!r} -> {b!r}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"configs to regenerate (default: all of {', '.join(BASELINES)})")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a number moved")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BASELINES))
    if unknown:
        parser.error(f"no baseline for {', '.join(unknown)}; choose from {', '.join(BASELINES)}")
    moved = False
    for name in args.names or list(BASELINES):
        path = path_of(name)
        new = compute(name)
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        if old is None:
            print(f"{name}: new baseline")
            moved = True
        else:
            lines = changes(old, new)
            print(f"{name}: {'unchanged' if not lines else f'{len(lines)} changed'}")
            for line in lines:
                print(f"  {line}")
            moved = moved or bool(lines)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dumps(new), encoding="utf-8")
    if args.check:
        return 1 if moved else 0
    note = "; say in the commit why the numbers moved" if moved else ""
    print(f"written to {BASELINE_DIR.relative_to(REPO)}/{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
