"""Compare two sets of simsav results variable by variable: is every number the same?

    python tools/compare_results.py BEFORE AFTER          # two .nc files, or two folders of them

For each file present in both, each data variable and coordinate present in both is compared
to the bit (NaN equal to NaN); a difference is reported with its largest absolute and
relative size. Variables only one side has are listed (a new variable is not a change of a
number). Exit status 0 when every shared number is identical, 1 otherwise. A refactor of
simsav should leave every shared number identical: run the same configs, seeds and draws
before and after, and compare.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import xarray as xr


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        a, b = a.astype(float), b.astype(float)
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def _size(a: np.ndarray, b: np.ndarray) -> str:
    if a.shape != b.shape:
        return f"shape {a.shape} -> {b.shape}"
    if a.dtype.kind not in "fciub" or b.dtype.kind not in "fciub":
        return "values differ"
    a, b = a.astype(float), b.astype(float)
    diff = np.abs(a - b)
    diff = diff[np.isfinite(diff)]
    if not diff.size:
        return "NaN pattern differs"
    scale = np.maximum(np.abs(a), np.abs(b))
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.nanmax(np.where(scale > 0, np.abs(a - b) / scale, 0.0))
    return f"max abs {diff.max():.3g}, max rel {rel:.3g}"


def compare_files(before: Path, after: Path) -> tuple[list[str], list[str], list[str]]:
    """Return (identical names, differences as text, names on one side only) of two results files."""
    with xr.open_dataset(before, engine="h5netcdf") as a, xr.open_dataset(after, engine="h5netcdf") as b:
        same, diffs, one_side = [], [], []
        names_a = set(a.data_vars) | set(a.coords)
        names_b = set(b.data_vars) | set(b.coords)
        for name in sorted(names_a & names_b):
            x, y = a[name].values, b[name].values
            if _same(x, y):
                same.append(name)
            else:
                diffs.append(f"{name}: {_size(x, y)}")
        one_side = [f"{name} (only before)" for name in sorted(names_a - names_b)]
        one_side += [f"{name} (only after)" for name in sorted(names_b - names_a)]
    return same, diffs, one_side


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--quiet", action="store_true", help="only the summary and the differences")
    args = parser.parse_args(argv)
    if args.before.is_dir():
        pairs = [(p, args.after / p.name) for p in sorted(args.before.glob("*.nc")) if (args.after / p.name).exists()]
    else:
        pairs = [(args.before, args.after)]
    changed = 0
    for before, after in pairs:
        same, diffs, one_side = compare_files(before, after)
        status = "identical" if not diffs else f"{len(diffs)} CHANGED"
        print(f"{before.name}: {len(same)} variables {status}" + (f"; {len(one_side)} on one side" if one_side else ""))
        for line in diffs:
            print(f"  changed: {line}")
        if not args.quiet:
            for line in one_side:
                print(f"  {line}")
        changed += bool(diffs)
    print(f"{len(pairs)} files compared, {changed} with changed numbers")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
