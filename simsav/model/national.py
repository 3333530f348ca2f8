"""A national roll-up: every region of a national config simulated, draw by draw, and summed.

Each draw gives every region a row of parameter values in which the national unknowns (the
national config's ``national`` names) take one value shared by all regions, and every other
uncertain number the region's own, independent value: each parameter's uniforms come from a
stream of its own (``ParameterTable.sample_streams``), keyed ``parameter_key(name)`` for a
national unknown and ``(*region_key(region id), *parameter_key(name))`` for a regional one. The
region's agents draw from their own family of streams (``draw_keys(seed, draws,
stream=region_stream(region id))``). So a region's numbers depend on (seed, region id, draw)
only: how the draws are cut into chunks, which process or dask worker runs them, how many
threads it has, and which other regions are in the list (or in which order) change nothing.

Results keep per region only what a national question needs (totals per party, break-even,
placements), not the item x month flows (100,000 draws x 35 regions x 25 items x 60 months
would be 42 GB); national flows per party and month are kept. National sums are added region
by region in region order, draw by draw, so they do not depend on chunking either.

With ``out`` (a ``.zarr`` directory) the run is out of core: the store is created with its
metadata and no data, and each chunk of draws is computed *and written* (a zarr region) by
whoever computes it: this process, chunk after chunk, or a dask worker, which sends back only
an acknowledgement. Chunks of draws are the store's chunks along ``draw``, so no two writers
touch one zarr chunk. The store is written beside the target under a temporary name and renamed
when complete: a failed run leaves nothing.
"""
from __future__ import annotations

import os
import secrets
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from .._version import __version__
from ..codes import EVENTS
from ..errors import InputError, OutputError
from .compile import CompiledModel, compile_config
from .engine import draw_keys, run_monte_carlo, threads
from .parameters import parameter_key
from .results import _party_sums, _sequential_sum, break_even, describe, month_dates

DEFAULT_CHUNK_DRAWS = 1000
"""Draws per chunk (and per zarr chunk along ``draw``): a chunk holds every region's kernel output
for its draws in turn (~12 kB a draw of a region of 100), a few tens of MB."""

ZARR_FORMAT = 2
"""The store's format: zarr v2 holds the text coordinates (region and party ids) and consolidated
metadata by its specification (zarr v3 has neither specified yet); zarr 2 and 3 both read it."""

DESCRIPTIONS = {
    "costs": "costs of the party in the region over the horizon (EUR); 0 where the region lacks the party",
    "savings": "savings of the party in the region over the horizon (EUR)",
    "net": "savings minus costs of the party in the region (EUR)",
    "break_even_month": "first month from which the party's cumulative net in the region stays >= 0; NaN when "
                        "not within the horizon, or the region lacks the party",
    "placements": "job placements (job spells begun) in the program world, summed over the region's streams",
    "successes": "job spells reaching 12 months in the program world, summed over the region's streams",
    "participants": "participants (agents) of the region",
    "parameter_values": "the value each uncertain parameter took in the region in each draw; NaN where the "
                        "region has no such parameter",
    "national_costs": "costs of the party summed over the regions (EUR)",
    "national_savings": "savings of the party summed over the regions (EUR)",
    "national_net": "net of the party summed over the regions (EUR)",
    "national_net_flow": "net of the party per month summed over the regions (EUR)",
    "national_cum_net": "cumulative national net of the party (EUR)",
    "national_break_even_month": "first month from which the party's cumulative national net stays >= 0; NaN "
                                 "when not within the horizon",
}
_EUROS = ("costs", "savings", "net", "national_costs", "national_savings", "national_net", "national_net_flow",
          "national_cum_net")

# name -> (dims, dtype): every variable with a draw dimension, in the order written
_PER_DRAW = {
    "costs": (("draw", "region", "party"), "f8"),
    "savings": (("draw", "region", "party"), "f8"),
    "net": (("draw", "region", "party"), "f8"),
    "break_even_month": (("draw", "region", "party"), "f8"),
    "placements": (("draw", "region"), "f8"),
    "successes": (("draw", "region"), "f8"),
    "parameter_values": (("draw", "region", "parameter"), "f8"),
    "national_costs": (("draw", "party"), "f8"),
    "national_savings": (("draw", "party"), "f8"),
    "national_net": (("draw", "party"), "f8"),
    "national_net_flow": (("draw", "party", "month"), "f8"),
    "national_cum_net": (("draw", "party", "month"), "f8"),
    "national_break_even_month": (("draw", "party"), "f8"),
}


@dataclass
class _RegionPlan:
    model: CompiledModel
    keys: list  # one tuple per uncertain slot
    correlations: tuple
    stream: int  # the agents' stream family
    party_index: np.ndarray  # region party k -> national party column
    param_index: np.ndarray  # region uncertain slot k -> national parameter column


@dataclass
class NationalPlan:
    """What a chunk of draws needs, sent once to every worker: the compiled regions and their keys."""

    seed: int
    regions: list[_RegionPlan]
    region_ids: list[str]
    region_names: list[str]
    party_ids: list[str]
    party_names: list[str]
    parameters: list[str]
    horizon: int
    calendar_start: str

    @property
    def sizes(self) -> dict[str, int]:
        return {"region": len(self.regions), "party": len(self.party_ids), "parameter": len(self.parameters),
                "month": self.horizon}


def as_national(national):
    """Return ``national`` as a NationalConfig: itself, or the file it names, loaded."""
    from ..config.national import NationalConfig, load_national

    if isinstance(national, NationalConfig):
        return national
    if isinstance(national, (str, os.PathLike)):
        return load_national(national)
    raise TypeError(f"national must be a NationalConfig or a path to a TOML file, not {type(national).__name__}")


def plan_of(nat, seed: int) -> NationalPlan:
    """Return the plan of a national config: each region compiled, with its parameters' stream keys."""
    national = set(nat.national)
    party_ids = nat.party_ids
    pcol = {p: k for k, p in enumerate(party_ids)}
    compiled, parameters = [], {}
    for r in nat.regions:
        model = compile_config(r.config)
        compiled.append(model)
        for slot in model.table.uncertain:
            parameters.setdefault(model.table.params[slot].name, None)
    names = list(parameters)
    col = {n: k for k, n in enumerate(names)}
    regions = []
    for r, model in zip(nat.regions, compiled):
        unc = model.table.uncertain
        region = region_key(r.id)
        keys, cols = [], []
        for slot in unc:
            name = model.table.params[slot].name
            keys.append(parameter_key(name) if name in national else (*region, *parameter_key(name)))
            cols.append(col[name])
        regions.append(_RegionPlan(model=model, keys=keys, correlations=tuple(r.config.correlations),
                                   stream=region_stream(r.id),
                                   party_index=np.array([pcol[p] for p in model.party_ids], dtype=np.int64),
                                   param_index=np.array(cols, dtype=np.int64)))
    first = compiled[0]
    return NationalPlan(seed=int(seed), regions=regions, region_ids=nat.region_ids,
                        region_names=[r.name for r in nat.regions], party_ids=party_ids,
                        party_names=nat.party_names, parameters=names, horizon=int(first.horizon),
                        calendar_start=first.calendar_start)


def region_key(region_id: str) -> tuple[int, int]:
    """Return the first words of a region's regional parameter streams: a hash of its id, so a region's
    draws do not change when regions are added, removed or put in another order."""
    return parameter_key("region:" + region_id)


def region_stream(region_id: str) -> int:
    """Return the family of a region's agent streams (``draw_keys(..., stream=)``): from its id, never 0
    (a config's own run)."""
    return region_key(region_id)[0] + 1


def region_rows(plan: NationalPlan, k: int, first: int, stop: int) -> np.ndarray:
    """Return region ``k``'s parameter rows of draws ``first .. stop - 1`` (depend on (seed, its id, draw) only)."""
    rp = plan.regions[k]
    return rp.model.table.sample_streams(stop - first, plan.seed, rp.keys, rp.correlations, first=first)


def compute_chunk(plan: NationalPlan, first: int, stop: int) -> dict[str, np.ndarray]:
    """Return every per-draw variable of draws ``first .. stop - 1`` as arrays (see ``_PER_DRAW``)."""
    D, R, P, M = stop - first, len(plan.regions), len(plan.party_ids), plan.horizon
    a = {
        "costs": np.zeros((D, R, P)), "savings": np.zeros((D, R, P)), "net": np.zeros((D, R, P)),
        "break_even_month": np.full((D, R, P), np.nan), "placements": np.zeros((D, R)),
        "successes": np.zeros((D, R)), "parameter_values": np.full((D, R, len(plan.parameters)), np.nan),
    }
    nat_costs, nat_savings, nat_net = np.zeros((D, P)), np.zeros((D, P)), np.zeros((D, P))
    nat_flow = np.zeros((D, P, M))
    ids = np.arange(first, stop)
    placement, success = EVENTS.index("placement"), EVENTS.index("success")
    for k, rp in enumerate(plan.regions):
        model = rp.model
        values = region_rows(plan, k, first, stop)
        out = run_monte_carlo(model, values, draw_keys(plan.seed, ids, stream=rp.stream))
        parties = list(model.party_ids)
        item_party = np.array([parties[p] for p in model.item_party])
        kinds = np.array(model.item_kinds)
        is_cost = kinds == "cost"
        totals = out.flow.sum(axis=2)  # draw x item, as results.assemble adds
        costs = _party_sums(-totals, item_party, parties, is_cost)
        savings = _party_sums(totals, item_party, parties, ~is_cost)
        net = savings - costs
        flow = np.zeros((D, len(parties), M))
        for i in range(out.flow.shape[1]):  # item by item, in order: the same sum for any number of draws
            flow[:, model.item_party[i], :] += out.flow[:, i, :]
        cum = np.cumsum(flow, axis=2)
        cols = rp.party_index
        a["costs"][:, k, cols] = costs
        a["savings"][:, k, cols] = savings
        a["net"][:, k, cols] = net
        a["break_even_month"][:, k, cols] = break_even(cum)
        ev = _sequential_sum(out.events)  # draw x world x stream x event
        a["placements"][:, k] = _sequential_sum(ev[:, 0, :, placement])
        a["successes"][:, k] = _sequential_sum(ev[:, 0, :, success])
        a["parameter_values"][:, k, rp.param_index] = values[:, model.table.uncertain]
        nat_costs[:, cols] += costs
        nat_savings[:, cols] += savings
        nat_net[:, cols] += net
        nat_flow[:, cols, :] += flow
    cum = np.cumsum(nat_flow, axis=2)
    a.update(national_costs=nat_costs, national_savings=nat_savings, national_net=nat_net,
             national_net_flow=nat_flow, national_cum_net=cum, national_break_even_month=break_even(cum))
    return a


def _coords(plan: NationalPlan, first: int, stop: int) -> dict:
    return {"draw": np.arange(first, stop), "region": list(plan.region_ids), "party": list(plan.party_ids),
            "parameter": list(plan.parameters), "month": np.arange(plan.horizon)}


def chunk_dataset(plan: NationalPlan, first: int, stop: int, arrays: dict | None = None) -> xr.Dataset:
    """Return the per-draw variables of draws ``first .. stop - 1`` as a Dataset (computed unless given)."""
    arrays = compute_chunk(plan, first, stop) if arrays is None else arrays
    ds = xr.Dataset({name: (dims, arrays[name]) for name, (dims, _) in _PER_DRAW.items()},
                    coords={"draw": np.arange(first, stop)})
    return ds


def _static(plan: NationalPlan, nat, draws: int) -> xr.Dataset:
    """The variables and coordinates without a draw dimension, and the run's attributes."""
    ds = xr.Dataset(coords={k: v for k, v in _coords(plan, 0, 0).items() if k != "draw"})
    ds = ds.assign_coords(region_name=("region", list(plan.region_names)),
                          party_name=("party", list(plan.party_names)),
                          date=("month", month_dates(plan.calendar_start, plan.horizon)))
    ds["participants"] = ("region", np.array([rp.model.n_agents for rp in plan.regions], dtype=np.int64))
    ds.attrs.update(simsav_version=__version__, mode="national", title=nat.title, seed=int(plan.seed),
                    draws=int(draws), config_path=nat.path, config_sha256=nat.sha256,
                    national_unknowns=list(nat.national), horizon_months=int(plan.horizon),
                    calendar_start=plan.calendar_start, currency="EUR", language=nat.language,
                    created=__import__("datetime").datetime.now(__import__("datetime").timezone.utc)
                    .isoformat(timespec="seconds"))
    return ds


def simulate_national(national, draws: int = 2000, seed: int = 0, *, scheduler=None, out=None,
                      chunk_size: int | None = None, progress: bool | None = None) -> xr.Dataset:
    """Return the national results Dataset of ``draws`` draws (dims draw, region, party, month).

    ``national``: a NationalConfig or the path of a national config (``load_national``).
    ``scheduler``: None (this process), ``"local"``, a dask scheduler address or a Client.
    ``out``: a ``.zarr`` directory to write the run to chunk by chunk from whoever computes each
    chunk (out of core; the Dataset returned is the store opened lazily); without it the run is
    held in memory. ``chunk_size``: draws per chunk (and zarr chunk). None of them changes a number.
    """
    from .simulate import check_draws, check_seed

    draws = check_draws(draws, "draws")
    seed = check_seed(seed, "seed")
    target = check_zarr_target(out) if out is not None else None
    nat = as_national(national)
    plan = plan_of(nat, seed)
    if chunk_size is None:
        chunk_size = min(draws, DEFAULT_CHUNK_DRAWS)
        if scheduler is None:
            n = threads()
            chunk_size = min(draws, -(-chunk_size // n) * n)
    chunk_size = max(1, int(chunk_size))
    chunks = [(a, min(a + chunk_size, draws)) for a in range(0, draws, chunk_size)]
    started = time.perf_counter()
    static = _static(plan, nat, draws)

    if target is None:
        if scheduler is None:
            parts = [compute_chunk(plan, a, b) for a, b in _bar(chunks, draws, progress)]
        else:
            parts = _on_dask(plan, chunks, draws, scheduler, progress, store=None)
        ds = static.copy()
        ds = ds.assign_coords(draw=np.arange(draws))
        for name, (dims, _) in _PER_DRAW.items():
            ds[name] = (dims, np.concatenate([p[name] for p in parts]))
        ds.attrs["elapsed_seconds"] = round(time.perf_counter() - started, 3)
        describe(ds, DESCRIPTIONS, _EUROS)
        return ds

    return _write_zarr(plan, static, chunks, draws, target, scheduler, progress, started)


def _bar(chunks, draws, progress, desc="simulating the regions"):
    from tqdm.auto import tqdm

    bar = tqdm(total=draws, unit="draw", desc=desc, delay=1.0, file=sys.stderr,
               disable=(None if progress is None else not progress), leave=False)
    try:
        for c in chunks:
            yield c
            bar.update(c[1] - c[0])
    finally:
        bar.close()


# ---------------------------------------------------------------------------- zarr, out of core
def check_zarr_target(out) -> Path:
    """Return ``out`` as a Path when a zarr store can be written there; InputError("--out") otherwise.

    The name ends in ``.zarr``; its directory exists and is writable; what is there already is a
    zarr store (replaced when the run completes), never a file or another directory."""
    path = Path(out)
    if not str(out) or path.name in ("", ".", ".."):
        raise InputError("--out", f"{str(out)!r} is no store name; give e.g. national.zarr")
    if path.suffix != ".zarr":
        raise InputError("--out", f"a national run is written as a zarr store: the name must end in .zarr, "
                                  f"got {path.name!r}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError("--out", f"directory {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK):
        raise InputError("--out", f"directory {str(parent)!r} is not writable")
    if path.is_symlink() or (path.exists() and not _is_zarr_store(path)):
        raise InputError("--out", f"{str(path)!r} exists and is not a zarr store: simsav replaces only a zarr "
                                  "store it wrote; give another name")
    return path


def _is_zarr_store(path: Path) -> bool:
    return path.is_dir() and any((path / n).is_file() for n in ("zarr.json", ".zgroup", ".zattrs"))


def _template(plan: NationalPlan, static: xr.Dataset, draws: int, chunk_size: int) -> xr.Dataset:
    import dask.array as da

    ds = static.assign_coords(draw=np.arange(draws))
    sizes = {**plan.sizes, "draw": draws}
    for name, (dims, dtype) in _PER_DRAW.items():
        shape = tuple(sizes[d] for d in dims)
        chunks = tuple(chunk_size if d == "draw" else sizes[d] for d in dims)
        ds[name] = (dims, da.zeros(shape, dtype=dtype, chunks=chunks))
    describe(ds, DESCRIPTIONS, _EUROS)
    return ds


def write_chunk(plan: NationalPlan, first: int, stop: int, store: str) -> tuple[int, int]:
    """Compute draws ``first .. stop - 1`` and write them into the zarr store ``store``; return the range.

    What a dask task runs: only the acknowledgement goes back to the client."""
    ds = chunk_dataset(plan, first, stop)
    ds.to_zarr(store, region={"draw": slice(first, stop)}, mode="r+", consolidated=False)
    return first, stop


def _host() -> str:
    import re
    import socket

    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def _remove_stale_stores(directory: Path, name: str) -> None:
    """Remove the temporary stores of ``name`` that a run on this host left when it was killed
    (SIGKILL, a power cut): its process is gone. Another host's, or a live run's, are left alone."""
    prefix = f".{name}.{_host()}."
    for path in directory.glob(f".{name}.*.tmp*"):
        if not path.name.startswith(prefix):
            continue
        pid = path.name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # it exists (another user's): not ours to remove
            pass


def _write_zarr(plan, static, chunks, draws, target: Path, scheduler, progress, started) -> xr.Dataset:
    directory = target.parent if str(target.parent) else Path(".")
    _remove_stale_stores(directory, target.name)
    tmp = (directory / f".{target.name}.{_host()}.{os.getpid()}.{secrets.token_hex(4)}.tmp").absolute()
    chunk_size = chunks[0][1] - chunks[0][0]
    try:
        try:
            _template(plan, static, draws, chunk_size).to_zarr(str(tmp), mode="w-", compute=False,
                                                               consolidated=True, zarr_format=ZARR_FORMAT)
        except OSError as e:
            raise OutputError("--out", f"{str(target)!r} cannot be written: {e.strerror or e}") from None
        if scheduler is None:
            for a, b in _bar(chunks, draws, progress):
                write_chunk(plan, a, b, str(tmp))
        else:
            _on_dask(plan, chunks, draws, scheduler, progress, store=str(tmp))
        import zarr

        group = zarr.open_group(str(tmp), mode="r+")
        group.attrs["elapsed_seconds"] = round(time.perf_counter() - started, 3)
        zarr.consolidate_metadata(str(tmp), zarr_format=ZARR_FORMAT)
        old = None
        if target.exists():
            if not _is_zarr_store(target):
                raise InputError("--out", f"{str(target)!r} appeared meanwhile and is not a zarr store")
            old = tmp.with_name(tmp.name + ".old")
            os.rename(target, old)
        os.rename(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return xr.open_zarr(str(target))


def _warm(plan: NationalPlan) -> bool:
    """Compile (or load) the kernel on a worker with a one-draw run of the first region."""
    model = plan.regions[0].model
    run_monte_carlo(model, model.table.point_row()[None, :], draw_keys(0, np.arange(1)))
    return True


def _on_dask(plan, chunks, draws, scheduler, progress, store):
    """Run the chunks on dask: each task computes its chunk and writes it to ``store`` (returning its
    range), or, without a store, returns its arrays. Returns the tasks' results in chunk order."""
    from distributed import as_completed

    from .cluster import dask_client

    with dask_client(scheduler) as client:
        plan_f = client.scatter(plan, broadcast=True)
        client.run(_warm, plan)
        if store is None:
            futures = [client.submit(compute_chunk, plan_f, a, b, pure=False) for a, b in chunks]
        else:
            futures = [client.submit(write_chunk, plan_f, a, b, store, pure=False) for a, b in chunks]
        done = dict.fromkeys(range(len(futures)))
        index = {f.key: k for k, f in enumerate(futures)}
        bar = _bar(chunks, draws, progress, "simulating the regions on dask")
        for fut in as_completed(futures):
            next(bar, None)
            done[index[fut.key]] = fut.result()
            if store is not None:
                fut.release()
        for _ in bar:
            pass
        return [done[k] for k in range(len(futures))]
