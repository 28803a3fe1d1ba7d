"""Point estimates with standard errors and confidence intervals: ``PointEstimate``, the
record every estimator returns, and the interval constructions the estimators use.

- Wald: value ± z se, or on the log scale for a positive quantity (value x exp(± z se /
  value)), which keeps the interval positive and is the usual choice for rates, means and
  shape parameters fitted by maximum likelihood.
- Garwood (1936): the exact ("central") Poisson interval for a count k, [G^-1(k, a/2),
  G^-1(k + 1, 1 - a/2)] with G the regularised lower incomplete gamma function (the
  chi-square form, chi2(2k) / 2 and chi2(2k + 2) / 2, written without scipy.stats).
  Coverage is at least the nominal level for every mean.
- Wilson (1927): the score interval for a binomial share, which stays in [0, 1] and keeps
  close to nominal coverage where the Wald interval fails (shares near 0 or 1, small n);
  recommended by Brown, Cai and DasGupta (Statistical Science, 2001).

Levels are two-sided: ``level=0.95`` is z = 1.96; z = 4 is ``level_for_z(4.0)`` =
0.99994.  Nothing here imports scipy.stats (0.3 s); the quantiles come from scipy.special.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaincinv, ndtr, ndtri

LEVEL = 0.95  # the default confidence level of every estimator


@dataclass(frozen=True)
class PointEstimate:
    """An estimated quantity: ``value``, its standard error ``se`` and a two-sided
    confidence interval [``ci_low``, ``ci_high``] at ``level`` (e.g. 0.95).  The units are
    those of the field that holds it (a ``mean_minutes`` estimate is in minutes).  NaN
    marks what the data cannot tell (a mean of no observations); an interval may be
    infinite on one side (the mean patience when nobody abandoned)."""

    value: float
    se: float
    ci_low: float
    ci_high: float
    level: float

    def covers(self, truth: float) -> bool:
        """Whether ``truth`` lies in the closed interval [ci_low, ci_high]."""
        return self.ci_low <= truth <= self.ci_high

    def as_dict(self) -> dict[str, float]:
        """``{"value", "se", "ci_low", "ci_high", "level"}``: the estimate as a JSON object."""
        return {"value": self.value, "se": self.se, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "level": self.level}


def z_for_level(level: float) -> float:
    """The standard normal quantile of a two-sided interval: 1.96 for 0.95, 2.576 for 0.99.
    Raises ValueError unless 0 < level < 1."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must lie strictly between 0 and 1, got {level}")
    return float(ndtri(0.5 + level / 2.0))


def level_for_z(z: float) -> float:
    """The two-sided level whose interval is ± ``z`` standard errors: 0.9545 for z = 2,
    0.99994 for z = 4 (the tolerance of the project's statistical tests)."""
    return float(1.0 - 2.0 * ndtr(-z))


def wald_estimate(value: float, se: float, level: float = LEVEL, positive: bool = False
                  ) -> PointEstimate:
    """``value`` with a Wald interval: value ± z se, or, with ``positive=True`` and a
    value above 0, value x exp(± z se / value), the symmetric interval of log(value)
    mapped back (delta method: se(log v) = se / v).  A NaN value or se gives a NaN
    interval."""
    z = z_for_level(level)
    if math.isnan(value) or math.isnan(se):
        return PointEstimate(value, se, math.nan, math.nan, level)
    if positive and value > 0.0 and math.isfinite(value):
        factor = math.exp(min(z * se / value, 700.0))  # a huge relative se: [0, inf) in effect
        return PointEstimate(value, se, value / factor, value * factor, level)
    return PointEstimate(value, se, value - z * se, value + z * se, level)


def garwood_interval(counts: ArrayLike, level: float = LEVEL
                     ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The exact Poisson interval of the mean of each count (element-wise): (lower,
    upper), lower 0 for a count of 0.  For a rate divide both by the exposure (minutes
    observed).  Counts must be non-negative (whole numbers in practice; the formula
    accepts any)."""
    k = np.asarray(counts, dtype=float)
    if np.any(~np.isfinite(k)) or np.any(k < 0):
        raise ValueError("Poisson counts must be finite and non-negative")
    alpha = 1.0 - level
    z_for_level(level)  # validates the level
    lower = np.where(k > 0, gammaincinv(np.maximum(k, 1e-300), alpha / 2.0), 0.0)
    upper = gammaincinv(k + 1.0, 1.0 - alpha / 2.0)
    return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)


def poisson_rate_estimate(count: int, exposure: float, level: float = LEVEL) -> PointEstimate:
    """A rate from ``count`` events in ``exposure`` units (e.g. abandonments per minute
    waited): count / exposure, se sqrt(count) / exposure (the Poisson variance, estimated),
    and Garwood's exact interval.  Raises ValueError for a non-positive exposure."""
    if not exposure > 0.0:
        raise ValueError(f"exposure must be positive, got {exposure}")
    low, high = garwood_interval([count], level)
    return PointEstimate(count / exposure, math.sqrt(count) / exposure,
                         float(low[0]) / exposure, float(high[0]) / exposure, level)


def wilson_estimate(successes: int, trials: int, level: float = LEVEL) -> PointEstimate:
    """A share ``successes / trials`` with se sqrt(p (1 - p) / n) and Wilson's score
    interval.  With no trials nothing is known: value and se NaN, interval [0, 1].
    Raises ValueError unless 0 <= successes <= trials."""
    if trials < 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials, got {successes} of {trials}")
    z = z_for_level(level)
    if trials == 0:
        return PointEstimate(math.nan, math.nan, 0.0, 1.0, level)
    n = float(trials)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return PointEstimate(p, math.sqrt(p * (1 - p) / n), max(0.0, centre - half),
                         min(1.0, centre + half), level)
