"""Maximum-likelihood fits of duration distributions to complete (uncensored) samples:
lognormal and gamma, with standard errors from the Fisher information, and the
Kolmogorov-Smirnov distance of a fit.  ``DistributionFit`` is also what the censored fits
(``sim.estimators.censored``) return.

Lognormal (closed form): mu = mean(log x), sigma^2 = mean((log x - mu)^2) (the MLE, divisor
n); var(mu) = sigma^2 / n, var(sigma) = sigma^2 / (2n), independent.  Gamma: the mean is the
sample mean (the MLE of the mean in the (shape k, mean m) parametrisation), and the shape
solves log k - digamma(k) = log(mean x) - mean(log x) = s, started at Minka's
approximation k0 = (3 - s + sqrt((s - 3)^2 + 24 s)) / (12 s) and refined by Newton's
method (Minka, "Estimating a Gamma distribution", 2002); the information is diagonal in
(k, m): var(k) = 1 / (n (trigamma(k) - 1/k)), var(m) = m^2 / (n k).  For both families
the observed information at the MLE equals the expected one in these parametrisations.
The mean and cv (sd / mean, what the scenario's ``Distribution`` takes) get their
standard errors by the delta method: lognormal mean exp(mu + sigma^2 / 2), cv
sqrt(exp(sigma^2) - 1); gamma cv 1 / sqrt(k).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Optional

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, gammainc, gammaln, ndtr, polygamma

from sim.estimators.confidence import LEVEL, PointEstimate, wald_estimate
from sim.estimators.inputs import FloatArray, as_minutes

LOG_2PI = math.log(2.0 * math.pi)


@dataclass(frozen=True)
class DistributionFit:
    """One family fitted to a sample of durations (minutes) by maximum likelihood.

    ``family``: ``"lognormal"``, ``"gamma"``, ``"exponential"`` or ``"weibull"``.
    ``n``: observations used (for a censored fit, all of them, ``events`` of which were
    observed, not censored).  ``parameters``: the family's own, each with its se and
    interval (lognormal ``mu`` and ``sigma`` of log-minutes; gamma ``shape`` and
    ``scale_minutes``; exponential ``rate_per_minute``; Weibull ``shape`` and
    ``scale_minutes``).  ``mean_minutes`` and ``cv`` (sd / mean) with delta-method
    standard errors.  ``log_likelihood`` at the fit (densities per minute) and ``aic`` =
    2 x parameters - 2 x log_likelihood: comparable across families fitted to the same
    observations.  ``ks_statistic``: the Kolmogorov-Smirnov distance sup |F_n - F| between
    the sample's and the fit's distribution functions (complete samples only, else None);
    the parameters being fitted, the textbook p-value would be too large (Lilliefors
    1967), so it is a figure to compare, not a test.  ``converged``: the optimiser reached
    a stationary point (closed forms always do)."""

    family: str
    n: int
    events: int
    parameters: Mapping[str, PointEstimate]
    mean_minutes: PointEstimate
    cv: PointEstimate
    log_likelihood: float
    aic: float
    ks_statistic: Optional[float] = None
    converged: bool = True


def positive_sample(minutes: ArrayLike, name: str = "durations") -> FloatArray:
    """``minutes`` checked for a likelihood fit: finite, all above 0, at least two distinct
    values (else ValueError naming ``name``; a sample of one repeated value has no shape)."""
    x = as_minutes(minutes, name)
    if np.any(x <= 0):
        raise ValueError(f"{name} must be positive for a lognormal or gamma fit "
                         f"(smallest {x.min()})")
    if x.size < 2 or np.all(x == x[0]):
        raise ValueError(f"{name} needs at least two distinct values, got {x.size} value(s)")
    return x


def ks_statistic(minutes: FloatArray, cdf: Callable[[FloatArray], FloatArray]) -> float:
    """sup_t |F_n(t) - F(t)| of the sample against the distribution function ``cdf``
    (vectorised), taken on both sides of each step of the empirical function."""
    x = np.sort(minutes)
    f = cdf(x)
    n = x.size
    above = np.arange(1, n + 1) / n - f
    below = f - np.arange(n) / n
    return float(max(above.max(), below.max()))


def fit_lognormal(minutes: ArrayLike, level: float = LEVEL) -> DistributionFit:
    """The lognormal MLE of a complete sample of positive durations (closed form)."""
    x = positive_sample(minutes)
    n = x.size
    logs = np.log(x)
    mu = float(logs.mean())
    sigma2 = float(((logs - mu) ** 2).mean())
    sigma = math.sqrt(sigma2)
    mean = math.exp(mu + sigma2 / 2.0)
    # delta method: d mean = mean (d mu + d sigma^2 / 2), var(sigma^2) = 2 sigma^4 / n
    se_mean = mean * math.sqrt(sigma2 / n + sigma2 * sigma2 / (2.0 * n))
    cv = math.sqrt(math.expm1(sigma2))
    se_cv = math.exp(sigma2) / (2.0 * cv) * math.sqrt(2.0 / n) * sigma2
    log_likelihood = float(-logs.sum() - n * math.log(sigma) - n * LOG_2PI / 2.0 - n / 2.0)
    return DistributionFit(
        family="lognormal", n=n, events=n,
        parameters={"mu": wald_estimate(mu, sigma / math.sqrt(n), level),
                    "sigma": wald_estimate(sigma, sigma / math.sqrt(2.0 * n), level, positive=True)},
        mean_minutes=wald_estimate(mean, se_mean, level, positive=True),
        cv=wald_estimate(cv, se_cv, level, positive=True),
        log_likelihood=log_likelihood, aic=4.0 - 2.0 * log_likelihood,
        ks_statistic=ks_statistic(x, lambda t: ndtr((np.log(t) - mu) / sigma)))


def gamma_shape_mle(s: float, tolerance: float = 1e-12, max_iterations: int = 100) -> float:
    """The gamma shape k solving log k - digamma(k) = s, for s = log(mean x) - mean(log x) >
    0 (Jensen: s = 0 only for a constant sample).  Minka's start, then Newton steps on
    log k - digamma(k) - s, which is convex and decreasing in k: once left of the root the
    steps climb to it without overshooting (a step from the right lands left of it, or is
    halved if it would leave k > 0); stops at a relative step below ``tolerance``.  Raises
    ValueError for s <= 0."""
    if not s > 0:
        raise ValueError(f"the gamma shape needs log(mean) - mean(log) > 0, got {s}")
    k = (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    for _ in range(max_iterations):
        g = math.log(k) - float(digamma(k)) - s
        dg = 1.0 / k - float(polygamma(1, k))
        step = g / dg
        k_next = k - step
        if k_next <= 0:  # never from Minka's start; halve towards 0 to stay in the domain
            k_next = k / 2.0
        if abs(k_next - k) <= tolerance * k:
            return k_next
        k = k_next
    return k


def fit_gamma(minutes: ArrayLike, level: float = LEVEL) -> DistributionFit:
    """The gamma MLE of a complete sample of positive durations (shape by Minka-Newton)."""
    x = positive_sample(minutes)
    n = x.size
    mean = float(x.mean())
    mean_log = float(np.log(x).mean())
    k = gamma_shape_mle(math.log(mean) - mean_log)
    scale = mean / k
    se_k = 1.0 / math.sqrt(n * (float(polygamma(1, k)) - 1.0 / k))
    se_mean = mean / math.sqrt(n * k)
    # scale = m / k: relative variances add (m and k are independent at the MLE)
    se_scale = scale * math.sqrt((se_mean / mean) ** 2 + (se_k / k) ** 2)
    cv = 1.0 / math.sqrt(k)
    se_cv = 0.5 * k ** -1.5 * se_k
    log_likelihood = float(n * ((k - 1.0) * mean_log - mean / scale - k * math.log(scale)
                                - float(gammaln(k))))
    return DistributionFit(
        family="gamma", n=n, events=n,
        parameters={"shape": wald_estimate(k, se_k, level, positive=True),
                    "scale_minutes": wald_estimate(scale, se_scale, level, positive=True)},
        mean_minutes=wald_estimate(mean, se_mean, level, positive=True),
        cv=wald_estimate(cv, se_cv, level, positive=True),
        log_likelihood=log_likelihood, aic=4.0 - 2.0 * log_likelihood,
        ks_statistic=ks_statistic(x, lambda t: gammainc(k, t / scale)))
