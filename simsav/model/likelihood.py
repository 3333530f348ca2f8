"""The exact likelihood of observed lives (a register up to its census) under the model's laws.

``_live`` (:mod:`simsav.model.kernel`) samples a life as a chain of stays, each ended by a
draw from a table of P(T <= k) (``build_cdfs``): waiting (``WAIT``); then per episode, with
probability ``p_place`` a time to placement (``PLACE``) and a job spell (``SPELL``) followed by,
if fewer than ``max_spells`` spells were used, a return with probability ``p_return`` and a time
on hold (``HOLD``) before the next episode, or else a drop-out; with probability 1 - ``p_place``
a time to drop-out (``DROP``). A month count T = k has probability cdf[k] - cdf[k - 1].

A register at census month c knows every stay begun by c and every event up to c. A stay
[a, b) with b <= c is closed: its length b - a is a failure term P(T = b - a), and the next stay
says which branch was taken (placement or drop-out out of mediation, return or not after a job
end). A stay still open at the census (the records cut it at c + 1) is censored: T > c - a,
P(T > c - a) = 1 - cdf[c - a]; in mediation the branch is not yet known, so its term is
p_place P(T_place > e) + (1 - p_place) P(T_drop > e). Dropped out is absorbing (no term).

The lives are the program world's rows ``[agent, kind, code, a, b]`` that
:func:`simsav.model.lives.register_lives` builds from a register (or ``lives.truncate`` cuts
from simulated ones). They are first reduced to counts of distinct terms
(stream, term, months), so the per-row work does not grow with the register's size.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from ..codes import (
    DROP,
    HOLD,
    PLACE,
    S_DROPPED,
    S_MEDIATION,
    S_ON_HOLD,
    S_WAITING,
    S_WORKING,
    SPELL,
    W_PROGRAM,
    WAIT,
)
from .kernel import REC_STAY, build_cdfs

# terms of the likelihood: (stream, term, months, spells used) -> count
T_WAIT, T_WAIT_OPEN, T_PLACE, T_DROP, T_MEDIATION_OPEN, T_SPELL, T_SPELL_OPEN, T_RETURN, T_NO_RETURN, T_HOLD, \
    T_HOLD_OPEN = range(11)
_IMPOSSIBLE = -1  # a term no life of the model has (e.g. a return after the last allowed spell)


def terms_of_lives(records: np.ndarray, agents: np.ndarray, census: int, max_spells: np.ndarray) -> np.ndarray:
    """Return the distinct likelihood terms of lives ``records`` (rows [agent, kind, code, a, b],
    stays cut at ``census`` + 1) as rows [stream, term, months, count]; ``agents`` rows begin with
    the stream; ``max_spells[s]``: the program world's spells of stream s."""
    out: list[tuple[int, int, int]] = []
    stays = records[records[:, 1] == REC_STAY] if len(records) else np.empty((0, 5), np.int64)
    order = np.argsort(stays[:, 0], kind="stable")
    stays = stays[order]
    bounds = np.flatnonzero(np.diff(stays[:, 0])) + 1 if len(stays) else np.empty(0, np.int64)
    for chunk in np.split(stays, bounds) if len(stays) else []:
        s = int(agents[int(chunk[0, 0]), 0])
        spells = 0
        n = len(chunk)
        for q in range(n):
            code, a, b = int(chunk[q, 2]), int(chunk[q, 3]), int(chunk[q, 4])
            is_open = b > census
            nxt = int(chunk[q + 1, 2]) if q + 1 < n else -1
            if code == S_DROPPED:
                break
            if code == S_WORKING:
                spells += 1
            if is_open:
                e = census - a
                out.append((s, {S_WAITING: T_WAIT_OPEN, S_MEDIATION: T_MEDIATION_OPEN, S_WORKING: T_SPELL_OPEN,
                                S_ON_HOLD: T_HOLD_OPEN}[code], e))
                break
            d = b - a
            if code == S_WAITING:
                out.append((s, T_WAIT, d))
            elif code == S_MEDIATION:
                out.append((s, T_PLACE if nxt == S_WORKING else T_DROP, d))
            elif code == S_WORKING:
                out.append((s, T_SPELL, d))
                if nxt == S_ON_HOLD:
                    out.append((s, T_RETURN if spells < max_spells[s] else _IMPOSSIBLE, 0))
                elif spells < max_spells[s]:
                    out.append((s, T_NO_RETURN, 0))
            elif code == S_ON_HOLD:
                out.append((s, T_HOLD, d))
    if not out:
        return np.empty((0, 4), np.int64)
    uniq, counts = np.unique(np.array(out, np.int64), axis=0, return_counts=True)
    return np.column_stack([uniq, counts]).astype(np.int64)


@njit(cache=True, nogil=True)
def _log(x):
    return np.log(x) if x > 0.0 else -np.inf


@njit(cache=True, nogil=True)
def _exact(cdf, k):
    """P(T = k) of a table of P(T <= k)."""
    return cdf[k] - (cdf[k - 1] if k > 0 else 0.0)


@njit(cache=True, nogil=True)
def _log_likelihood(rows, law_code, law_slot, benefits, pmf, H, p_place_slot, p_return_slot, terms, out):
    for d in range(rows.shape[0]):
        row = rows[d]
        cdf, _ = build_cdfs(row, law_code, law_slot, benefits, pmf, H)
        total = 0.0
        for j in range(terms.shape[0]):
            s, term, k, count = terms[j, 0], terms[j, 1], terms[j, 2], terms[j, 3]
            c = cdf[W_PROGRAM, s]
            p = row[p_place_slot[s]]
            r = row[p_return_slot[s]]
            if term == T_WAIT:
                v = _log(_exact(c[WAIT], k))
            elif term == T_WAIT_OPEN:
                v = _log(1.0 - c[WAIT, k])
            elif term == T_PLACE:
                v = _log(p * _exact(c[PLACE], k))
            elif term == T_DROP:
                v = _log((1.0 - p) * _exact(c[DROP], k))
            elif term == T_MEDIATION_OPEN:
                v = _log(p * (1.0 - c[PLACE, k]) + (1.0 - p) * (1.0 - c[DROP, k]))
            elif term == T_SPELL:
                v = _log(_exact(c[SPELL], k))
            elif term == T_SPELL_OPEN:
                v = _log(1.0 - c[SPELL, k])
            elif term == T_RETURN:
                v = _log(r)
            elif term == T_NO_RETURN:
                v = _log(1.0 - r)
            elif term == T_HOLD:
                v = _log(_exact(c[HOLD], k))
            elif term == T_HOLD_OPEN:
                v = _log(1.0 - c[HOLD, k])
            else:
                v = -np.inf
            if v == -np.inf:
                total = -np.inf
                break
            total += count * v
        out[d] = total


def log_likelihood(model, rows: np.ndarray, lives, census: int) -> np.ndarray:
    """Return, per parameter row of ``rows`` (draws x slots), the log-probability of the observed
    program-world lives ``lives`` = (agents, received, records) (as ``lives.register_lives``
    returns them) up to census month ``census``, under the model's laws (``model``: a
    CompiledModel). -inf where a row makes the lives impossible."""
    return log_likelihood_of_terms(model, rows, lives_terms(model, lives, census))


def lives_terms(model, lives, census: int) -> np.ndarray:
    """Return the distinct likelihood terms of ``lives`` at ``census`` (:func:`terms_of_lives`
    with the program world's spells): what a sampler computes once and evaluates many times."""
    agents, _, records = lives
    laws = model.kernel.laws[W_PROGRAM]
    return terms_of_lives(np.asarray(records, np.int64), np.asarray(agents, np.int64), int(census),
                          np.asarray(laws["max_spells"], np.int64))


def log_likelihood_of_terms(model, rows: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """Return :func:`log_likelihood` of lives given by their terms (:func:`lives_terms`)."""
    km = model.kernel
    laws = km.laws[W_PROGRAM]
    rows = np.ascontiguousarray(np.atleast_2d(rows), dtype=float)
    out = np.empty(rows.shape[0])
    _log_likelihood(rows, km.law_code, km.law_slot, km.benefits, km.pmf, km.horizon,
                    np.ascontiguousarray(laws["p_place_slot"]), np.ascontiguousarray(laws["p_return_slot"]),
                    terms, out)
    return out


def outcome_slots(model) -> list[int]:
    """Return the uncertain slots the likelihood depends on: the program world's placement and
    return probabilities and the means of its laws of time, in slot order."""
    from ..codes import LAW_SPELL_PMF

    km = model.kernel
    laws = km.laws[W_PROGRAM]
    used = {int(x) for x in laws["p_place_slot"]} | {int(x) for x in laws["p_return_slot"]}
    S = km.law_code.shape[1]
    for s in range(S):
        for t in range(km.law_code.shape[2]):
            if km.law_code[W_PROGRAM, s, t] != LAW_SPELL_PMF:
                used.add(int(km.law_slot[W_PROGRAM, s, t]))
    return [i for i in model.table.uncertain if i in used]


# ----------------------------------------------------------------------------- aggregate status tables
STATUS_BINOMIAL_EVENTS = ("first_placement",)
"""Events that happen at most once to a participant: their count to date is binomial."""
STATUS_POISSON_EVENTS = ("placement", "success", "relapse", "dropout")
"""Events that may repeat: their count to date is taken as Poisson. (``start`` carries no information.)"""


def census_model(model, census: int):
    """Return ``model`` cut to what a census at month ``census`` needs: the program world's laws,
    the cohort rows started by then, no items and months 0 .. census only. Its expected occupancy
    and events up to the census are the full model's (the propagation runs forward in time), at a
    fraction of the cost."""
    import dataclasses

    km = model.kernel
    w = slice(W_PROGRAM, W_PROGRAM + 1)
    small = km._replace(
        horizon=int(census) + 1, cohort=km.cohort[km.cohort["start"] <= census],
        laws=km.laws[w], law_code=km.law_code[w], law_slot=km.law_slot[w],
        item_worlds=np.zeros_like(km.item_worlds[:, w]), monthly_items=np.full_like(km.monthly_items[w], -1),
        event_items=np.full_like(km.event_items[w], -1))
    return dataclasses.replace(model, kernel=small)


def status_log_likelihood(model, rows: np.ndarray, table) -> np.ndarray:
    """Return, per parameter row, the composite log-likelihood of an aggregate status table
    (``simsav.config.register.StatusTable``) at its census month c.

    The table knows no one's life, only counts, so the likelihood is built from the model's exact
    expectation (the base-case kernel, :func:`census_model`) of the cohort started by c:

    * the states at c (``other`` left out) are multinomial with the model's shares of the
      started participants per state (each participant's state is one categorical draw; the
      shares average over their start months);
    * each event count to date: ``first_placement`` binomial (once per participant) with the
      model's share ever placed, the repeating events (placements, successes, relapses,
      drop-outs) Poisson with the model's mean per participant, times the table's total.

    A composite likelihood: the parts are not independent (who is at work was placed), so it
    counts some information twice and its posterior is somewhat too narrow; docs/monitoring.md
    says so. Constants that do not depend on the parameters are left out.
    """
    from scipy.special import xlog1py, xlogy

    from ..codes import EVENTS, STATES
    from .engine import run_expected

    c = int(table.as_of)
    small = census_model(model, c)
    rows = np.ascontiguousarray(np.atleast_2d(rows), dtype=float)
    out = run_expected(small, rows)
    occ = out.occupancy[:, 0, :, c]  # rows x states
    started = float(small.kernel.cohort["count"].sum())
    ll = np.zeros(rows.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, state in enumerate(STATES):
            ll += xlogy(table.states.get(state, 0), np.clip(occ[:, k] / started, 0.0, 1.0))
        ev = out.events[:, 0, :, :, : c + 1].sum(axis=(1, 3)) / started  # rows x events: per participant
        N = float(table.total)
        for name, x in table.events.items():
            mu = ev[:, EVENTS.index(name)]
            if name in STATUS_BINOMIAL_EVENTS:
                q = np.clip(mu, 0.0, 1.0)
                ll += xlogy(x, q) + xlog1py(N - x, -q)
            elif name in STATUS_POISSON_EVENTS:
                lam = N * mu
                ll += xlogy(x, lam) - lam
    ll[np.isnan(ll)] = -np.inf
    return ll
