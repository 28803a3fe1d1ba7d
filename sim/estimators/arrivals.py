"""Arrival rates by interval from arrival times: counts per interval and day, the rate per
minute with Garwood's exact Poisson interval, and over several days the profile of each
weekday with the day-to-day spread and an over-dispersion test against Poisson.

The model behind it is the simulator's: arrivals are a Poisson process whose rate is
constant within an interval and the same on every day pooled (e.g. every Monday).  Then
the count of an interval summed over d days is Poisson with mean rate x d x length, the
rate's maximum-likelihood estimate is that sum over d x length, and Garwood's interval is
exact.  Real days vary more than Poisson (weather, campaigns): the spread says how much,
and the dispersion statistic (Fisher's index of dispersion, sum (x - mean)^2 / mean over
the days, chi-square with days - 1 degrees of freedom under Poisson; Cochran 1954) says
whether it is more than Poisson noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc

from sim.estimators.confidence import LEVEL, garwood_interval, z_for_level
from sim.estimators.grid import interval_count, interval_edges, interval_index, interval_lengths
from sim.estimators.inputs import FloatArray, IntArray, readonly

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, eq=False)
class ArrivalRates:
    """Arrival rate per minute in each interval of the day, pooled over ``days`` days.

    Arrays have one element per interval: ``start_minutes`` and ``length_minutes`` (the
    last interval may be shorter), ``counts`` (arrivals summed over the days),
    ``rate_per_minute`` = counts / (days x length), ``se_per_minute`` = sqrt(counts) /
    (days x length), and Garwood's exact interval [``ci_low_per_minute``,
    ``ci_high_per_minute``] at ``level``.  An interval with no arrival has rate 0, se 0 and
    an upper bound above 0 (-ln((1 - level) / 2) arrivals over the exposure)."""

    start_minutes: FloatArray
    length_minutes: FloatArray
    days: int
    counts: IntArray
    rate_per_minute: FloatArray
    se_per_minute: FloatArray
    ci_low_per_minute: FloatArray
    ci_high_per_minute: FloatArray
    level: float


@dataclass(frozen=True, eq=False)
class DaySpread:
    """How the days' counts spread around their mean, interval by interval.

    ``mean_count`` and ``sd_count`` (across days, ddof 1) per interval; ``sd_rate_per_minute``
    = sd_count / length.  ``dispersion_index`` per interval = variance / mean of the days'
    counts (1 for Poisson; NaN where the mean is 0).  Pooled over intervals with a positive
    mean: ``dispersion_statistic`` = sum over intervals and days of (x - mean)^2 / mean,
    chi-square with ``dispersion_dof`` = (days - 1) x intervals under Poisson;
    ``dispersion_ratio`` = statistic / dof (near 1 under Poisson, above 1 when the days
    vary more) and ``dispersion_p_value`` = P(chi-square >= statistic), small when the
    days are over-dispersed.  With one day every spread is NaN and dof 0.  The chi-square
    approximation wants interval means of a few arrivals or more."""

    days: int
    mean_count: FloatArray
    sd_count: FloatArray
    sd_rate_per_minute: FloatArray
    dispersion_index: FloatArray
    dispersion_statistic: float
    dispersion_dof: int
    dispersion_ratio: float
    dispersion_p_value: float


@dataclass(frozen=True, eq=False)
class WeekdayProfile:
    """One weekday's arrivals (``weekday`` 0 = Monday ... 6 = Sunday, ``name`` in English):
    the rates pooled over its days and how those days spread."""

    weekday: int
    name: str
    rates: ArrivalRates
    spread: DaySpread


def count_arrivals(arrival_minutes: ArrayLike, interval_minutes: float, horizon_minutes: float,
                   day: Optional[ArrayLike] = None, n_days: Optional[int] = None) -> IntArray:
    """Arrivals per day and interval: an integer array of shape (days, intervals).

    ``arrival_minutes`` are minutes from the start of each contact's own day, in [0, H);
    ``day`` the 0-based day of each contact (None: all on one day), ``n_days`` the number of
    days (default: the largest day + 1; give it to keep days with no arrivals).  Raises
    ValueError for a time outside [0, H) or a day outside [0, n_days): the readers decide
    what such rows are, and count them."""
    index = interval_index(arrival_minutes, interval_minutes, horizon_minutes, "arrival_minutes")
    days = np.zeros(index.size, dtype=np.int64) if day is None else np.asarray(day)
    if days.shape != index.shape or (days.size and not np.issubdtype(days.dtype, np.integer)):
        raise ValueError("day must hold one whole number per arrival")
    n = int(days.max()) + 1 if n_days is None and days.size else (n_days or 1)
    if days.size and (days.min() < 0 or days.max() >= n):
        raise ValueError(f"day must lie in [0, {n}), got {days.min()}..{days.max()}")
    width = interval_count(interval_minutes, horizon_minutes)
    flat = np.bincount(days.astype(np.int64) * width + index, minlength=n * width)
    return flat.reshape(n, width).astype(np.int64)


def _as_day_matrix(counts: ArrayLike, interval_minutes: float, horizon_minutes: float) -> IntArray:
    """Counts as a (days, intervals) matrix (a 1-D array is one day), checked against the grid."""
    c = np.asarray(counts)
    if c.ndim == 1:
        c = c[np.newaxis, :]
    width = interval_count(interval_minutes, horizon_minutes)
    if c.ndim != 2 or c.shape[1] != width or c.shape[0] < 1:
        raise ValueError(f"counts must have shape (days, {width}) for {horizon_minutes} minutes "
                         f"by {interval_minutes}, got {np.shape(counts)}")
    if not np.issubdtype(c.dtype, np.integer) and not np.all(c == np.round(c)):
        raise ValueError("counts must be whole numbers")
    if np.any(c < 0):
        raise ValueError("counts must not be negative")
    return c.astype(np.int64)


def estimate_arrival_rates(counts: ArrayLike, interval_minutes: float, horizon_minutes: float,
                           level: float = LEVEL) -> ArrivalRates:
    """The rate per minute in each interval, pooled over the days of ``counts`` (shape
    (days, intervals), or one day's 1-D array) as ``count_arrivals`` returns them."""
    c = _as_day_matrix(counts, interval_minutes, horizon_minutes)
    z_for_level(level)
    days = c.shape[0]
    total = c.sum(axis=0)
    exposure = days * interval_lengths(interval_minutes, horizon_minutes)
    low, high = garwood_interval(total, level)
    return ArrivalRates(
        start_minutes=readonly(interval_edges(interval_minutes, horizon_minutes)[:-1]),
        length_minutes=readonly(interval_lengths(interval_minutes, horizon_minutes)),
        days=days, counts=readonly(total, np.int64),
        rate_per_minute=readonly(total / exposure), se_per_minute=readonly(np.sqrt(total) / exposure),
        ci_low_per_minute=readonly(low / exposure), ci_high_per_minute=readonly(high / exposure),
        level=level)


def estimate_day_spread(counts: ArrayLike, interval_minutes: float, horizon_minutes: float
                        ) -> DaySpread:
    """The day-to-day spread of ``counts`` (shape (days, intervals)) and the index of
    dispersion test against Poisson (see ``DaySpread``)."""
    c = _as_day_matrix(counts, interval_minutes, horizon_minutes).astype(float)
    days = c.shape[0]
    mean = c.mean(axis=0)
    if days < 2:
        nan = np.full(c.shape[1], math.nan)
        return DaySpread(days, readonly(mean), readonly(nan), readonly(nan), readonly(nan),
                         math.nan, 0, math.nan, math.nan)
    var = c.var(axis=0, ddof=1)
    positive = mean > 0
    index = np.full(c.shape[1], math.nan)
    index[positive] = var[positive] / mean[positive]
    statistic = float(((days - 1) * index[positive]).sum())
    dof = int((days - 1) * positive.sum())
    ratio = statistic / dof if dof else math.nan
    p_value = float(chdtrc(dof, statistic)) if dof else math.nan
    sd = np.sqrt(var)
    return DaySpread(days, readonly(mean), readonly(sd),
                     readonly(sd / interval_lengths(interval_minutes, horizon_minutes)),
                     readonly(index), statistic, dof, ratio, p_value)


def estimate_weekday_profiles(counts: ArrayLike, weekdays: ArrayLike, interval_minutes: float,
                              horizon_minutes: float, level: float = LEVEL
                              ) -> tuple[WeekdayProfile, ...]:
    """One profile per weekday present, in weekday order (Monday first): its rates pooled
    over its days and the spread of those days.  ``counts`` has shape (days, intervals);
    ``weekdays`` gives each day's weekday, 0 = Monday ... 6 = Sunday (``date.weekday()``)."""
    c = _as_day_matrix(counts, interval_minutes, horizon_minutes)
    w = np.asarray(weekdays)
    if w.shape != (c.shape[0],) or not np.all(np.isin(w, np.arange(7))):
        raise ValueError(f"weekdays must give one weekday in 0..6 per day ({c.shape[0]} days)")
    return tuple(WeekdayProfile(int(d), WEEKDAYS[int(d)],
                                estimate_arrival_rates(c[w == d], interval_minutes, horizon_minutes,
                                                       level),
                                estimate_day_spread(c[w == d], interval_minutes, horizon_minutes))
                 for d in np.unique(w))
