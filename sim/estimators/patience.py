"""Patience (how long a caller would wait before hanging up) from queue waits.

Patience is seen only for callers who abandoned: their wait is their patience.  A served
caller's patience is right-censored at the wait (they would have waited at least that
long).  Ignoring that and averaging the abandoners' waits (the naive estimate) is biased
low, and badly so when most callers are served: abandoners are those whose patience ran
out before an agent came, a sample of the short ones (Brown et al., JASA 2005, section 5;
Zeltyn and Mandelbaum's Erlang A).  ``fit_patience`` returns the censored fits, the
non-parametric curve and the naive figure side by side, so a report can show the bias:

- exponential MLE theta = abandonments / total time waited by all callers (served and
  abandoned), se theta / sqrt(abandonments), Garwood's interval; the simulator's
  M/M/c+M patience;
- Weibull and lognormal by censored MLE when there are at least
  ``MIN_EVENTS_TWO_PARAMETERS`` abandonments; the best of the three by AIC (2 x
  parameters - 2 x log-likelihood: the exponential has one parameter, the others two);
- the Kaplan-Meier curve with Greenwood's variance (``sim.estimators.survival``);
- the naive mean wait of abandoners, with its se (sd / sqrt(abandonments)).

Conventions of ``sim.estimators.censored``: an abandonment at wait 0 counts as half the
time resolution (logs round to seconds), a served caller who did not wait adds nothing
but a count.  The exponential and Kaplan-Meier are exact for any censoring pattern; the
parametric fits extrapolate beyond the longest wait seen, which the curve does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
from numpy.typing import ArrayLike

from sim.estimators.censored import (
    MIN_EVENTS_TWO_PARAMETERS,
    RESOLUTION_MINUTES,
    CensoredSample,
    fit_exponential_censored,
    fit_lognormal_censored,
    fit_weibull_censored,
    prepare_censored,
)
from sim.estimators.confidence import LEVEL, PointEstimate, wald_estimate, z_for_level
from sim.estimators.families import DistributionFit
from sim.estimators.inputs import as_durations, as_flags, same_length
from sim.estimators.survival import KaplanMeier, kaplan_meier


@dataclass(frozen=True)
class PatienceFit:
    """Patience estimated from ``n`` callers' waits, ``abandoned`` of whom abandoned (the
    rest, ``censored``, were served), ``total_wait_minutes`` waited by all of them (the
    exposure of the exponential fit; an abandonment at wait 0 counts half the resolution).

    ``exponential`` is always fitted; ``weibull`` and ``lognormal`` need at least
    ``MIN_EVENTS_TWO_PARAMETERS`` abandonments and a converged optimiser (else None);
    ``best_family`` has the least AIC among those fitted (ties to the simpler family) and
    ``best`` is its fit.  ``naive_mean_minutes``: the mean wait of abandoners (NaN with
    none), biased low under censoring, reported to show it.  ``kaplan_meier``: the curve.
    ``zero_wait_abandonments``: abandonments at wait 0 (read as half the resolution)."""

    n: int
    abandoned: int
    censored: int
    total_wait_minutes: float
    zero_wait_abandonments: int
    exponential: DistributionFit
    weibull: Optional[DistributionFit]
    lognormal: Optional[DistributionFit]
    best_family: str
    naive_mean_minutes: PointEstimate
    kaplan_meier: KaplanMeier

    @property
    def best(self) -> DistributionFit:
        """The fit of ``best_family``."""
        fits = {"exponential": self.exponential, "weibull": self.weibull, "lognormal": self.lognormal}
        chosen = fits[self.best_family]
        assert chosen is not None, "best_family names a fitted family"
        return chosen


def naive_mean_wait(wait_minutes: ArrayLike, abandoned: ArrayLike, level: float = LEVEL) -> PointEstimate:
    """The mean wait of the abandoners alone, with se sd / sqrt(count) (ddof 1) and a Wald
    interval: what a spreadsheet reports as "patience", biased low when many callers are
    served.  NaN with no abandoner; se NaN with one."""
    all_waits = as_durations(wait_minutes, "wait_minutes")
    waits = all_waits[as_flags(abandoned, "abandoned", all_waits.size)]
    z_for_level(level)
    if waits.size == 0:
        return PointEstimate(math.nan, math.nan, math.nan, math.nan, level)
    se = float(waits.std(ddof=1)) / math.sqrt(waits.size) if waits.size > 1 else math.nan
    return wald_estimate(float(waits.mean()), se, level)


def _fit_or_none(fit: DistributionFit) -> Optional[DistributionFit]:
    return fit if fit.converged else None


def fit_patience(wait_minutes: ArrayLike, abandoned: ArrayLike, level: float = LEVEL,
                 resolution_minutes: float = RESOLUTION_MINUTES) -> PatienceFit:
    """Patience from each caller's wait in queue (minutes, >= 0) and whether they abandoned
    (True) or were served (False: censored at the wait).  Callers who neither abandoned nor
    were served (still queueing when the log ends) are censored too: pass them as False.
    Raises ValueError when the waits sum to 0 (nobody waited: nothing to estimate)."""
    sample = prepare_censored(wait_minutes, abandoned, resolution_minutes)
    exponential = fit_exponential_censored(sample, level)
    weibull = lognormal = None
    if sample.event_count >= MIN_EVENTS_TWO_PARAMETERS:
        weibull = _fit_or_none(fit_weibull_censored(sample, level))
        lognormal = _fit_or_none(fit_lognormal_censored(sample, level))
    # the first of equal AICs wins: the exponential, then the Weibull (which nests it)
    candidates = [fit for fit in (exponential, weibull, lognormal) if fit is not None]
    best = min(candidates, key=lambda fit: fit.aic)
    return PatienceFit(
        n=sample.n, abandoned=sample.event_count, censored=sample.n - sample.event_count,
        total_wait_minutes=float(sample.times.sum()), zero_wait_abandonments=sample.zero_events,
        exponential=exponential, weibull=weibull, lognormal=lognormal, best_family=best.family,
        naive_mean_minutes=naive_mean_wait(wait_minutes, abandoned, level),
        kaplan_meier=kaplan_meier(wait_minutes, abandoned, level))


MIN_INTERVAL_ABANDONMENTS = 20  # an interval's own exponential fit needs this many
CHANGE_P_VALUE = 0.01  # the likelihood-ratio test's level for "patience varies by interval"


@dataclass(frozen=True, eq=False)
class PatienceByInterval:
    """Exponential patience per interval of the time callers joined the queue, against one
    rate for the day, by a likelihood-ratio test.

    ``means``: one fit per interval (None where nobody waited); ``factors``: each
    interval's mean over the day's where it has at least ``MIN_INTERVAL_ABANDONMENTS``
    abandonments, else 1, and all 1 unless the test rejects one rate for the day
    (``varies``: p-value below ``CHANGE_P_VALUE``).  The statistic is 2 x sum over
    intervals of d_k ln(theta_k / theta) (the exponential's log-likelihood d ln theta -
    theta T, per interval against pooled), chi-square with ``dof`` = intervals with
    exposure - 1 under one rate."""

    means: tuple[Optional[DistributionFit], ...]
    statistic: float
    dof: int
    p_value: float
    varies: bool
    factors: tuple[float, ...]


def patience_by_interval(wait_minutes: ArrayLike, abandoned: ArrayLike, interval: ArrayLike,
                         n_intervals: int, level: float = LEVEL,
                         resolution_minutes: float = RESOLUTION_MINUTES) -> PatienceByInterval:
    """``PatienceByInterval`` of callers' waits, abandonment flags and the interval
    (0 .. n_intervals - 1) each joined the queue in.  Raises ValueError when nobody waited."""
    from scipy.special import chdtrc

    sample = prepare_censored(wait_minutes, abandoned, resolution_minutes)
    where = np.asarray(interval, dtype=np.int64)
    same_length("interval", where, sample.n)
    pooled = fit_exponential_censored(sample, level)
    theta = pooled.parameters["rate_per_minute"].value
    exposure = np.bincount(where, weights=sample.times, minlength=n_intervals)[:n_intervals]
    events = np.bincount(where, weights=sample.events.astype(float),
                         minlength=n_intervals)[:n_intervals]
    fits: list[Optional[DistributionFit]] = []
    for k in range(n_intervals):
        mine = where == k
        fits.append(fit_exponential_censored(CensoredSample(
            sample.times[mine], sample.events[mine], sample.zero_events), level)
            if exposure[k] > 0 else None)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(events > 0, events * np.log(events / exposure / theta), 0.0)
    statistic = float(2.0 * terms[exposure > 0].sum()) if theta > 0 else 0.0
    dof = int((exposure > 0).sum()) - 1
    p_value = float(chdtrc(dof, statistic)) if dof > 0 else 1.0
    varies = p_value < CHANGE_P_VALUE
    day_mean = pooled.mean_minutes.value
    factors = tuple(
        float(fit.mean_minutes.value / day_mean)
        if varies and fit is not None and fit.events >= MIN_INTERVAL_ABANDONMENTS else 1.0
        for fit in fits)
    return PatienceByInterval(tuple(fits), statistic, dof, p_value, varies, factors)
