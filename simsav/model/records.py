"""The kernel's interface: the compiled model and the kernel's output as named records.

numba passes a ``NamedTuple`` of arrays to a jitted function as one typed value, reads its
fields by name at no cost, and caches the compiled code (a jitclass would not cache), so
the kernels take ``(values, keys, model, out)`` instead of dozens of positional arrays.
Inside the model, what has one entry per item (per schedule, per cohort row, per world and
stream) is one structured array whose fields the kernel reads by name (``items.capped[i]``).
Every array here is indexed by codes from :mod:`simsav.codes`; a parameter *slot* is a
column of the (draw x parameter) matrix (:mod:`simsav.model.parameters`).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


COHORT = np.dtype([("stream", np.int64), ("start", np.int64), ("count", np.int64)], align=True)
"""A row of the cohort: ``count`` agents of stream ``stream`` start in month ``start``."""

LAW = np.dtype([("p_place_slot", np.int64), ("p_return_slot", np.int64), ("max_spells", np.int64),
                ("hours_slot", np.int64)], align=True)
"""The outcome numbers of one world and stream (slots of the parameter rows, and a count)."""

BENEFIT = np.dtype([("code", np.int64), ("slot", np.int64)], align=True)
"""The law of a stream's remaining benefit duration (a ``codes.LAW_*``) and the slot of its mean."""

ITEM = np.dtype([
    ("basis", np.int64),  # codes.BASIS_*
    ("amount_slot", np.int64),
    ("quantity_slot", np.int64),
    ("eligible_slot", np.int64),  # the share of agents it applies to
    ("organisations_slot", np.int64),  # annual items: organisations paying it
    ("capped", np.bool_),  # stops when the agent's benefit would have ended
    ("per_hour", np.bool_),  # times the hours worked per month
    ("scale", np.float64),  # a fixed factor: 1/12 for yearly amounts of monthly items
    ("event", np.int64),  # event items: codes.E_*; else -1
    ("schedule", np.int64),  # the item's own schedule, or codes.NO_SCHEDULE
    ("month_lo", np.int64),  # annual items: first month
    ("month_hi", np.int64),  # annual items: end month (exclusive)
], align=True)
"""An item (a line of money): what it pays, when, and to which of its slots it looks for the amounts."""

SCHEDULE = np.dtype([("clock", np.int64), ("break_offset", np.int64), ("n_breaks", np.int64),
                     ("reduction", np.bool_)], align=True)
"""A piecewise-constant multiplier: ``n_breaks`` breaks from ``break_offset`` in ``schedule_breaks``
(months of its ``clock``, a ``codes.CLOCK_*``), and ``n_breaks + 1`` value slots starting at
``break_offset + j`` in ``schedule_value_slots`` for schedule j; ``reduction``: the values are
shares saved (multiplier 1 - value)."""


class KernelModel(NamedTuple):
    """Everything a kernel needs to turn a row of parameter values into flows.

    The four records of the model are structured arrays (one row per cohort row, world and
    stream, item, schedule: ``COHORT``, ``LAW``, ``ITEM``, ``SCHEDULE``), beside the few tables
    that have more dimensions. Fewer, richer arrays than one array per field: numba compiles
    every array argument separately, so this halves the kernels' compile time.
    """

    horizon: int
    discount_slot: int
    shift_invariant: bool  # no agent-linked item depends on the calendar: later starts are shifted copies
    cohort: np.ndarray  # COHORT records, one per (stream, start month)
    laws: np.ndarray  # LAW records, world x stream
    law_code: np.ndarray  # world x stream x time (codes.WAIT .. HOLD): a codes.LAW_* value
    law_slot: np.ndarray  # world x stream x time: the slot of its mean (LAW_SPELL_PMF: the row of ``pmf``)
    benefits: np.ndarray  # BENEFIT records, one per stream
    pmf: np.ndarray  # tables x (H + 2): spell-length probabilities of months 0, 1, 2, ...
    items: np.ndarray  # ITEM records, benefits first, then the config's items
    item_streams: np.ndarray  # item x stream, bool: the streams it applies to
    item_worlds: np.ndarray  # item x world, bool
    item_state_schedule: np.ndarray  # item x state: a schedule, codes.NO_SCHEDULE (factor 1) or codes.NOT_IN_STATE
    schedules: np.ndarray  # SCHEDULE records
    schedule_breaks: np.ndarray
    schedule_value_slots: np.ndarray
    monthly_items: np.ndarray  # world x stream x state x (items + 1): the monthly items paid there, -1 ends
    event_items: np.ndarray  # world x stream x event x (items + 1): the one-off items paid there, -1 ends


class Output(NamedTuple):
    """What a kernel writes, per row of parameter values (one month more than the horizon: the
    difference arrays' last entry, cut off when the results are assembled)."""

    flow: np.ndarray  # row x item x month: saving (counterfactual minus program), discounted
    occupancy: np.ndarray  # row x world x state x month: agents in each state
    events: np.ndarray  # row x world x stream x event x month: events in each month
    working: np.ndarray  # row x world x stream x month: agents at work
    discount: np.ndarray  # row x month: the discount factor of each month

    @classmethod
    def zeros(cls, rows: int, model: KernelModel) -> "Output":
        """Return an Output of ``rows`` rows filled with zeros, shaped for ``model``."""
        H = model.horizon
        W, S = model.laws.shape
        n_states = model.monthly_items.shape[2]
        n_events = model.event_items.shape[2]
        items = model.items.shape[0]
        return cls(
            flow=np.zeros((rows, items, H + 1)),
            occupancy=np.zeros((rows, W, n_states, H + 1)),
            events=np.zeros((rows, W, S, n_events, H + 1)),
            working=np.zeros((rows, W, S, H + 1)),
            discount=np.zeros((rows, H)),
        )

    def trimmed(self) -> "Output":
        """Return the output without the extra month at the end."""
        return Output(self.flow[..., :-1], self.occupancy[..., :-1], self.events[..., :-1], self.working[..., :-1],
                      self.discount)

    @staticmethod
    def concat(parts: list["Output"]) -> "Output":
        """Return the outputs of consecutive blocks of rows as one."""
        return Output(*(np.concatenate([getattr(p, f) for p in parts]) for f in Output._fields))
