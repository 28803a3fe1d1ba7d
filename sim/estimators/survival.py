"""The Kaplan-Meier curve of right-censored durations, with Greenwood's variance.

At each distinct event time t_i (e.g. a wait after which someone abandoned), with n_i
observations still at risk (duration >= t_i) and d_i events at t_i, the curve steps to
S(t_i) = prod over t_j <= t_i of (1 - d_j / n_j) (Kaplan and Meier, JASA 1958).  Ties: a
censoring at the same time as an event counts as still at risk at that time, i.e. events
come before censorings (the convention of Kaplan and Meier, R's survival and lifelines):
a caller served after exactly the wait at which another abandoned had waited that long too.
Greenwood's formula: var S(t_i) = S(t_i)^2 sum over t_j <= t_i of d_j / (n_j (n_j - d_j)).
The interval is the log-log one (Kalbfleisch and Prentice 1980): exp(-exp(log(-log S) ±
z sqrt(v) / |log S|)) with v the Greenwood sum, which stays inside (0, 1); where the
curve reaches 0 (the last caller at risk abandoned) the se and interval are NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from sim.estimators.confidence import LEVEL, z_for_level
from sim.estimators.inputs import FloatArray, IntArray, as_durations, as_flags, readonly


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    """A Kaplan-Meier curve: one element per distinct event time ``time_minutes``
    (increasing), with ``at_risk`` (durations >= that time), ``event_count`` (events at
    it), ``survival`` (the curve just after it, S(t) = P(duration > t)), its Greenwood
    ``se`` and the log-log interval [``ci_low``, ``ci_high``] at ``level``.  ``n`` and
    ``events`` count all observations and all events.  Between event times the curve is
    flat; before the first it is 1; after the last observed duration it is unknown
    (``survival_at`` holds it at its last value)."""

    n: int
    events: int
    time_minutes: FloatArray
    at_risk: IntArray
    event_count: IntArray
    survival: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    level: float

    def survival_at(self, minutes: ArrayLike) -> FloatArray:
        """S(t) = P(duration > t) at each of ``minutes``: the product over event times <= t
        (right-continuous steps), 1 before the first event time."""
        t = np.asarray(minutes, dtype=float)
        steps = np.searchsorted(self.time_minutes, t, side="right")
        curve = np.concatenate(([1.0], self.survival))
        return np.asarray(curve[steps], dtype=float)


def kaplan_meier(minutes: ArrayLike, events: ArrayLike, level: float = LEVEL) -> KaplanMeier:
    """The Kaplan-Meier curve of durations ``minutes`` (>= 0) with ``events`` flags (True:
    the duration ended, e.g. abandoned; False: censored, e.g. served after that wait).
    No event at all gives an empty curve (S = 1 throughout what was observed)."""
    t = as_durations(minutes, "durations")
    e = as_flags(events, "events", t.size)
    z = z_for_level(level)
    times = np.unique(t[e])
    sorted_all = np.sort(t)
    # at risk at t_i: durations >= t_i, so a censoring tied with an event is still at risk
    at_risk = t.size - np.searchsorted(sorted_all, times, side="left")
    sorted_events = np.sort(t[e])
    event_count = (np.searchsorted(sorted_events, times, side="right")
                   - np.searchsorted(sorted_events, times, side="left"))
    n_i, d_i = at_risk.astype(float), event_count.astype(float)
    survival = np.cumprod(1.0 - d_i / n_i)
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(np.where(n_i > d_i, d_i / (n_i * (n_i - d_i)), math.inf))
        alive = survival > 0
        se = np.where(alive, survival * np.sqrt(greenwood), math.nan)
        log_s = np.log(np.where(alive, survival, math.nan))
        half = z * np.sqrt(greenwood) / np.abs(log_s)
        low = np.exp(-np.exp(np.log(-log_s) + half))
        high = np.exp(-np.exp(np.log(-log_s) - half))
    return KaplanMeier(n=int(t.size), events=int(e.sum()), time_minutes=readonly(times),
                       at_risk=readonly(at_risk, np.int64), event_count=readonly(event_count, np.int64),
                       survival=readonly(survival), se=readonly(se), ci_low=readonly(low),
                       ci_high=readonly(high), level=level)
