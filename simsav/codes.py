"""The model's vocabulary, in one place: states, events, worlds, benefits, laws, clocks.

The config schema spells these as words (``states = ["working"]``), the compiler turns the
words into the integer codes below, and the numba kernels branch on the codes. Every layer
reads them from here, so the order of ``STATES`` is the order of the kernel's state codes
and of the results' ``state`` dimension.

The kernels freeze these numbers into their compiled (and cached) code: a change here must
come with a change to ``simsav/model/kernel.py`` so that numba's cache is rebuilt.
"""
from __future__ import annotations

STATES = ("waiting", "mediation", "working", "on_hold", "dropped_out")
"""The states of an agent's life, in the order results use."""
S_WAITING, S_MEDIATION, S_WORKING, S_ON_HOLD, S_DROPPED = range(len(STATES))
N_STATES = len(STATES)

EVENTS = ("start", "placement", "success", "relapse", "dropout", "first_placement")
"""Events of an agent's life: a one-off item can be paid at each; results count them per month.
A placement is a job spell beginning (an agent can have several); ``first_placement`` is an
agent's first, so it counts the participants placed at least once."""
E_START, E_PLACEMENT, E_SUCCESS, E_RELAPSE, E_DROPOUT, E_FIRST_PLACEMENT = range(len(EVENTS))
N_EVENTS = len(EVENTS)

WORLDS = ("program", "counterfactual")
"""Every agent lives in both worlds on the same random numbers; a saving is counterfactual minus program."""
W_PROGRAM, W_COUNTERFACTUAL = range(len(WORLDS))
N_WORLDS = len(WORLDS)

BENEFITS = ("bijstand", "ww", "wia", "wajong", "ziektewet", "nug", "other")
"""Benefit types a stream can have."""

SUCCESS_MONTHS = 12
"""A job spell that reaches this many months of work is a success (the sources' definition)."""

HOURS_PER_MONTH_PER_WEEKLY_HOUR = 52.0 / 12.0

# Items: how an item is paid.
BASIS = ("monthly", "event", "annual")
BASIS_MONTHLY, BASIS_EVENT, BASIS_ANNUAL = range(len(BASIS))

# Schedules: the clock a multiplier schedule runs on.
CLOCKS = ("months_in_state", "months_since_start", "calendar_year")
CLOCK_IN_STATE, CLOCK_SINCE_START, CLOCK_CALENDAR = range(len(CLOCKS))
NO_SCHEDULE = -1
"""An item in a state without a schedule: factor 1."""
NOT_IN_STATE = -2
"""An item that does not run in a state."""

# Laws of event times (months): the kernels turn each into a table of P(T <= k).
LAW_ZERO, LAW_FIXED, LAW_GEOMETRIC, LAW_SPELL_RETENTION, LAW_SPELL_PMF, LAW_NEVER, LAW_UNIFORM = range(7)
TIME_LAWS = ("geometric", "fixed")
BENEFIT_LAWS = ("fixed", "uniform", "geometric")

# The event times each world and stream has a law for.
WAIT, PLACE, DROP, SPELL, HOLD = range(5)
TIMES = ("waiting", "placement", "dropout", "spell", "hold")
N_TIMES = len(TIMES)
