"""Service times (and any other complete durations, e.g. IVR times or redial gaps): lognormal
and gamma fitted by maximum likelihood, the better one chosen by AIC, for the whole day
or interval by interval with a fallback to the day's fit where an interval has too few
services.

Criterion: AIC = 2 x parameters - 2 x log-likelihood (Akaike 1974).  Both families have
two parameters, so the smaller AIC is the larger likelihood; a tie goes to the lognormal,
the usual model of call-centre service times (Brown et al., JASA 2005, section 4).  The
AIC difference is reported: above about 10 the data clearly prefer the chosen family
(Burnham and Anderson 2002); below 2 either will do.  The fits' Kolmogorov-Smirnov
distances are reported as a figure of quality (see ``DistributionFit``).

Durations of exactly 0 (a record rounded to 0 s, a transfer) have no density under either
family: they are left out of the fit and counted in ``excluded``; a negative duration is
an error (the log readers count such rows as bad data before they get here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from sim.estimators.confidence import LEVEL, PointEstimate, wald_estimate
from sim.estimators.families import DistributionFit, fit_gamma, fit_lognormal, positive_sample
from sim.estimators.grid import interval_count, interval_edges, interval_index
from sim.estimators.inputs import as_durations, same_length

MIN_SAMPLES_PER_INTERVAL = 30  # fewer services in an interval: it takes the day's fit


@dataclass(frozen=True)
class ServiceFit:
    """Lognormal and gamma fitted to ``n`` positive durations (``excluded`` zeros left
    out); ``sample_mean_minutes``: the plain mean with se sd / sqrt(n) (ddof 1), a check on
    both fits' means.  ``best_family`` ("lognormal" or "gamma") has the smaller AIC;
    ``best`` is its fit and ``aic_difference`` (>= 0) how much worse the other is."""

    n: int
    excluded: int
    sample_mean_minutes: PointEstimate
    lognormal: DistributionFit
    gamma: DistributionFit
    best_family: str

    @property
    def best(self) -> DistributionFit:
        """The chosen family's fit."""
        return self.lognormal if self.best_family == "lognormal" else self.gamma

    @property
    def aic_difference(self) -> float:
        """AIC of the family not chosen minus that of the chosen one (>= 0)."""
        return abs(self.lognormal.aic - self.gamma.aic)


@dataclass(frozen=True)
class IntervalServiceFit:
    """The service fit of the interval starting at ``start_minutes``: ``n`` services started
    in it; ``own`` is True when ``fit`` is this interval's own (at least ``min_samples``
    positive durations with some spread), False when it is the day's."""

    start_minutes: float
    n: int
    fit: ServiceFit
    own: bool


@dataclass(frozen=True)
class ServiceFitsByInterval:
    """The day's fit and one ``IntervalServiceFit`` per interval, and the ``min_samples``
    that decided which intervals have their own."""

    day: ServiceFit
    intervals: tuple[IntervalServiceFit, ...]
    min_samples: int


def fit_service_time(minutes: ArrayLike, level: float = LEVEL) -> ServiceFit:
    """Lognormal and gamma fits to the durations ``minutes`` (>= 0) and the better by AIC.
    Call it once per group (contact type, interval, agent) for fits by group.  Raises
    ValueError when fewer than two distinct positive durations remain."""
    x = as_durations(minutes, "durations")
    positive = positive_sample(x[x > 0])
    lognormal, gamma = fit_lognormal(positive, level), fit_gamma(positive, level)
    sd = float(positive.std(ddof=1))
    return ServiceFit(
        n=int(positive.size), excluded=int(x.size - positive.size),
        sample_mean_minutes=wald_estimate(float(positive.mean()), sd / math.sqrt(positive.size), level),
        lognormal=lognormal, gamma=gamma,
        best_family="lognormal" if lognormal.aic <= gamma.aic else "gamma")


def _has_own_fit(durations: np.ndarray, min_samples: int) -> bool:
    positive = durations[durations > 0]
    return positive.size >= max(min_samples, 2) and bool(np.any(positive != positive[0]))


def fit_service_by_interval(start_minutes: ArrayLike, duration_minutes: ArrayLike,
                            interval_minutes: float, horizon_minutes: float,
                            min_samples: int = MIN_SAMPLES_PER_INTERVAL, level: float = LEVEL
                            ) -> ServiceFitsByInterval:
    """Service fits of the day and of each interval, a service belonging to the interval
    in which it started (``start_minutes`` in [0, H)).  An interval with fewer than
    ``min_samples`` positive durations (default 30: a lognormal sigma then has a relative
    se of about 13%), or with all of them equal, takes the day's fit (``own`` False), so
    every interval has a fit and the thin ones borrow strength from the day."""
    durations = as_durations(duration_minutes, "duration_minutes")
    index = interval_index(start_minutes, interval_minutes, horizon_minutes, "start_minutes")
    same_length("duration_minutes", durations, index.size)
    day = fit_service_time(durations, level)
    starts = interval_edges(interval_minutes, horizon_minutes)[:-1]
    intervals = []
    for j in range(interval_count(interval_minutes, horizon_minutes)):
        group = durations[index == j]
        own = _has_own_fit(group, min_samples)
        intervals.append(IntervalServiceFit(float(starts[j]), int(group.size),
                                            fit_service_time(group, level) if own else day, own))
    return ServiceFitsByInterval(day, tuple(intervals), min_samples)
