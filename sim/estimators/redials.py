"""Redials: whether a caller who abandoned calls again within a horizon, and after how long.

For each abandoned contact of a known customer, its redial is that customer's next
contact (the first later in time, ties in row order), whatever its outcome.  The
probability of a redial within ``horizon_minutes`` (default 24 hours, the window of the
industry's "repeat call" and first-contact-resolution measures) is the share of abandoned
contacts followed by one within the horizon, with Wilson's interval, counted only over
contacts observed for the whole horizon (abandoned at least ``horizon_minutes`` before
the end of observation): a contact abandoned near the end of the log cannot show a
redial it would make later, and counting it would bias the share low.  With a one-day
log choose a horizon of minutes or hours, or the 24-hour default leaves nothing to count.

The time to redial, over the redials counted: its mean (se sd / sqrt(n)) and exponential
and lognormal fits to the positive gaps, the better by AIC (one parameter against two).
The gaps are truncated at the horizon (a redial after it is not one), which biases both
fits' means low unless the horizon is long against them.  ``curve``: the Kaplan-Meier
curve of the time to the next contact over every abandoned contact, censored at the end
of observation, which uses the contacts the share leaves out; 1 - S(t) is the
probability of a redial within t, for t up to the longest observed follow-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
from numpy.typing import ArrayLike

from sim.estimators.censored import fit_exponential_censored, prepare_censored
from sim.estimators.confidence import LEVEL, PointEstimate, wald_estimate, wilson_estimate
from sim.estimators.families import DistributionFit, fit_lognormal
from sim.estimators.inputs import as_flags, as_minutes, same_length
from sim.estimators.survival import KaplanMeier, kaplan_meier

REDIAL_HORIZON_MINUTES = 24 * 60.0


@dataclass(frozen=True)
class RedialEstimate:
    """Redials of abandoned contacts within ``horizon_minutes``.

    ``abandoned``: abandoned contacts; ``unobserved``: those abandoned less than the
    horizon before ``observed_until_minutes``, left out of the share; ``eligible`` the
    rest, ``redialled`` of which had a next contact within the horizon; ``probability`` =
    redialled / eligible with Wilson's interval (NaN and [0, 1] with none eligible).
    ``mean_gap_minutes``: mean time from the abandoned contact's arrival to the redial's,
    over the redials counted; ``exponential`` and ``lognormal``: fits to the positive gaps
    (None with fewer than two distinct ones), ``best_family`` the one with the smaller AIC
    (None without fits).  ``curve``: Kaplan-Meier of the time to the next contact."""

    horizon_minutes: float
    observed_until_minutes: float
    abandoned: int
    unobserved: int
    eligible: int
    redialled: int
    probability: PointEstimate
    mean_gap_minutes: PointEstimate
    exponential: Optional[DistributionFit]
    lognormal: Optional[DistributionFit]
    best_family: Optional[str]
    curve: KaplanMeier


def next_contact_gaps(customer: ArrayLike, arrival_minutes: ArrayLike) -> np.ndarray:
    """For each contact, the minutes to the same customer's next contact (NaN for their
    last).  ``arrival_minutes`` on one clock across days (e.g. day x 1440 + minute of day)."""
    t = as_minutes(arrival_minutes, "arrival_minutes")
    ids = np.asarray(customer)
    same_length("customer", ids, t.size)
    codes = np.unique(ids, return_inverse=True)[1].reshape(-1)
    order = np.lexsort((np.arange(t.size), t, codes))  # by customer, then time, then row
    gaps = np.full(t.size, math.nan)
    same = codes[order][1:] == codes[order][:-1]
    gaps[order[:-1][same]] = (t[order][1:] - t[order][:-1])[same]
    return gaps


def estimate_redials(customer: ArrayLike, arrival_minutes: ArrayLike, abandoned: ArrayLike,
                     horizon_minutes: float = REDIAL_HORIZON_MINUTES,
                     observed_until_minutes: Optional[float] = None, level: float = LEVEL
                     ) -> RedialEstimate:
    """Redials from one row per contact of a known customer (drop rows without an id
    first: an unknown caller cannot be followed): ``customer`` ids, ``arrival_minutes``
    on one clock across days and ``abandoned`` flags.  ``observed_until_minutes``: when
    the log ends (default: the last arrival in it)."""
    t = as_minutes(arrival_minutes, "arrival_minutes")
    left = as_flags(abandoned, "abandoned", t.size)
    if not horizon_minutes > 0:
        raise ValueError(f"horizon_minutes must be positive, got {horizon_minutes}")
    if observed_until_minutes is not None:
        end = float(observed_until_minutes)
    else:
        end = float(t.max()) if t.size else 0.0
    gaps = next_contact_gaps(customer, t)[left]
    start = t[left]
    follow_up = end - start
    if np.any(follow_up < 0):
        raise ValueError("observed_until_minutes precedes an abandoned contact's arrival")
    # the next contact counts when it is seen: within the log's end
    seen = ~np.isnan(gaps) & (np.nan_to_num(gaps, nan=math.inf) <= follow_up)
    curve = kaplan_meier(np.where(seen, gaps, follow_up), seen, level)
    eligible = follow_up >= horizon_minutes
    within = seen & (np.nan_to_num(gaps, nan=math.inf) <= horizon_minutes) & eligible
    counted = gaps[within]
    if counted.size:
        se = float(counted.std(ddof=1)) / math.sqrt(counted.size) if counted.size > 1 else math.nan
        mean_gap = wald_estimate(float(counted.mean()), se, level)
    else:
        mean_gap = PointEstimate(math.nan, math.nan, math.nan, math.nan, level)
    positive = counted[counted > 0]
    exponential = lognormal = None
    best = None
    if positive.size >= 2 and bool(np.any(positive != positive[0])):
        exponential = fit_exponential_censored(prepare_censored(positive, np.ones(positive.size, bool)),
                                               level)
        lognormal = fit_lognormal(positive, level)
        best = "exponential" if exponential.aic <= lognormal.aic else "lognormal"
    return RedialEstimate(
        horizon_minutes=float(horizon_minutes), observed_until_minutes=end,
        abandoned=int(left.sum()), unobserved=int((~eligible).sum()), eligible=int(eligible.sum()),
        redialled=int(within.sum()),
        probability=wilson_estimate(int(within.sum()), int(eligible.sum()), level),
        mean_gap_minutes=mean_gap, exponential=exponential, lognormal=lognormal, best_family=best,
        curve=curve)
