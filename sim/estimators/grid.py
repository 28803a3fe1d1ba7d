"""The interval grid of a day: intervals [k I, (k + 1) I) of ``interval_minutes`` I from
minute 0 up to ``horizon_minutes`` H (the last one shorter when I does not divide H), and
which interval a time falls in.  Minute 0 is the start of the day the data describe (the
scenario's ``open_hour``, or midnight); the log readers shift times onto it."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from sim.estimators.inputs import FloatArray, IntArray, as_minutes


def check_grid(interval_minutes: float, horizon_minutes: float) -> None:
    """Raise ValueError unless both are positive and finite."""
    for name, value in (("interval_minutes", interval_minutes), ("horizon_minutes", horizon_minutes)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive and finite, got {value}")


def interval_count(interval_minutes: float, horizon_minutes: float) -> int:
    """How many intervals cover [0, H): ceil(H / I), e.g. 10 for 600 minutes by 60, 4 for
    200 by 60 (the last 20 minutes long).  A ratio within 1e-9 of a whole number counts
    as that number, so 1440 / (1440 / 7) is 7 intervals, not 8."""
    check_grid(interval_minutes, horizon_minutes)
    ratio = horizon_minutes / interval_minutes
    nearest = round(ratio)
    return max(1, nearest if abs(ratio - nearest) < 1e-9 * max(1.0, ratio) else math.ceil(ratio))


def interval_edges(interval_minutes: float, horizon_minutes: float) -> FloatArray:
    """The n + 1 edges 0, I, 2I, ..., H of the n intervals (minutes)."""
    n = interval_count(interval_minutes, horizon_minutes)
    edges = np.minimum(np.arange(n + 1, dtype=float) * interval_minutes, horizon_minutes)
    edges[-1] = horizon_minutes
    return edges


def interval_lengths(interval_minutes: float, horizon_minutes: float) -> FloatArray:
    """The length of each interval in minutes: I, except a shorter last one."""
    return np.diff(interval_edges(interval_minutes, horizon_minutes))


def interval_index(minutes: ArrayLike, interval_minutes: float, horizon_minutes: float,
                   name: str = "minutes") -> IntArray:
    """The interval each time falls in (0-based), for times in [0, H).  Raises ValueError
    naming ``name`` for a time outside [0, H): the caller decides what a time outside the
    day means (the log readers count such rows as bad data), never this function."""
    t = as_minutes(minutes, name)
    check_grid(interval_minutes, horizon_minutes)
    outside = (t < 0) | (t >= horizon_minutes)
    if np.any(outside):
        raise ValueError(f"{name}: {int(outside.sum())} value(s) outside [0, {horizon_minutes}) "
                         f"minutes, e.g. {t[outside][0]}")
    n = interval_count(interval_minutes, horizon_minutes)
    return np.minimum((t // interval_minutes).astype(np.int64), n - 1)
