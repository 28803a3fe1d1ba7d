"""Maximum-likelihood fits to right-censored durations: exponential (closed form), Weibull
and lognormal (numerical, ``scipy.optimize``), each as a ``DistributionFit``.

Data: times t_i >= 0 (minutes) and flags: an event (the duration ended at t_i, e.g. the
caller abandoned after waiting t_i) or a censoring (it was still running at t_i: the
caller was served after t_i, so would have waited at least that long).  The likelihood
is prod over events f(t_i) x prod over censorings S(t_i).

- Exponential: theta = events / sum of all t_i (total exposure), var(theta) = theta^2 /
  events; the interval is Garwood's for the count of events over the exposure (the events
  of a Poisson process of rate theta observed for the total time).
- Weibull (shape k, scale lambda): S(t) = exp(-(t / lambda)^k), fitted in (log lambda,
  log k); lognormal: S(t) = 1 - Phi((log t - mu) / sigma), fitted in (mu, log sigma).
  Both by BFGS with analytic gradients from the exponential's solution; standard errors
  from the observed information (a central-difference Hessian of the analytic gradient
  at the optimum), mean and cv by the delta method.

Two conventions, both needed by real logs whose times are rounded to whole seconds: an
event at t = 0 (abandoned at once) is read as t = ``resolution_minutes`` / 2, the middle
of the rounding interval, in every family (so their likelihoods stay comparable and a
density at 0 is never asked for); a censoring at 0 says nothing (S(0) = 1) and only adds
to ``n``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import gamma as gamma_function
from scipy.special import log_ndtr

from sim.estimators.confidence import LEVEL, PointEstimate, poisson_rate_estimate, wald_estimate
from sim.estimators.families import LOG_2PI, DistributionFit
from sim.estimators.inputs import FloatArray, as_durations, as_flags

RESOLUTION_MINUTES = 1.0 / 60.0  # logs round times to whole seconds
MIN_EVENTS_TWO_PARAMETERS = 10  # fewer events: Weibull and lognormal are not fitted


@dataclass(frozen=True, eq=False)
class CensoredSample:
    """Durations prepared for a censored likelihood: ``times`` (minutes, events at 0 moved
    to half the resolution) and ``events`` (True: observed; False: censored), with
    ``zero_events``, the events moved."""

    times: FloatArray
    events: np.ndarray
    zero_events: int

    @property
    def n(self) -> int:
        """Observations, events and censorings."""
        return int(self.times.size)

    @property
    def event_count(self) -> int:
        """Observed events (abandonments)."""
        return int(self.events.sum())


def prepare_censored(minutes: ArrayLike, events: ArrayLike,
                     resolution_minutes: float = RESOLUTION_MINUTES) -> CensoredSample:
    """Check durations (finite, >= 0) and event flags (one per duration) and move events at
    0 to ``resolution_minutes / 2`` (see the module's conventions)."""
    t = as_durations(minutes, "durations")
    e = as_flags(events, "events", t.size)
    if not resolution_minutes > 0:
        raise ValueError(f"resolution_minutes must be positive, got {resolution_minutes}")
    zero = e & (t <= 0)
    t = np.where(zero, resolution_minutes / 2.0, t)
    return CensoredSample(t, e, int(zero.sum()))


def fit_exponential_censored(sample: CensoredSample, level: float = LEVEL) -> DistributionFit:
    """The exponential MLE theta = events / total time, with its Garwood interval, the mean
    1 / theta (se 1 / (theta sqrt(events)), the interval inverted) and cv 1.  With no
    event theta is 0, the mean infinite and its lower bound finite (1 / theta's upper)."""
    exposure = float(sample.times.sum())
    d = sample.event_count
    if exposure <= 0:
        raise ValueError("the durations sum to 0: no exposure to estimate a rate from")
    rate = poisson_rate_estimate(d, exposure, level)
    theta = rate.value
    if d > 0:
        mean = PointEstimate(1.0 / theta, 1.0 / (theta * math.sqrt(d)), 1.0 / rate.ci_high,
                             1.0 / rate.ci_low, level)
        log_likelihood = d * math.log(theta) - theta * exposure
    else:
        mean = PointEstimate(math.inf, math.nan, 1.0 / rate.ci_high, math.inf, level)
        log_likelihood = 0.0
    return DistributionFit(
        family="exponential", n=sample.n, events=d, parameters={"rate_per_minute": rate},
        mean_minutes=mean, cv=PointEstimate(1.0, 0.0, 1.0, 1.0, level),
        log_likelihood=log_likelihood, aic=2.0 - 2.0 * log_likelihood)


def weibull_log_likelihood(params: FloatArray, sample: CensoredSample) -> tuple[float, FloatArray]:
    """The Weibull log-likelihood at ``params`` = (log scale, log shape) and its gradient.

    With z = (t / lambda)^k and L = log t: events add log k + (k - 1) L - k log lambda - z,
    censorings -z."""
    u, v = float(params[0]), float(params[1])
    k = math.exp(v)
    keep = sample.times > 0  # a censoring at 0 adds nothing
    t, e = sample.times[keep], sample.events[keep]
    logs = np.log(t)
    z = np.exp(np.clip(k * (logs - u), -700.0, 700.0))
    d = float(e.sum())
    ll = d * v + float(((k - 1.0) * logs[e]).sum()) - d * k * u - float(z.sum())
    du = -d * k + k * float(z.sum())
    dv = d + k * float((logs[e] - u).sum()) - k * float((z * (logs - u)).sum())
    return ll, np.array([du, dv])


def lognormal_log_likelihood(params: FloatArray, sample: CensoredSample) -> tuple[float, FloatArray]:
    """The censored lognormal log-likelihood at ``params`` = (mu, log sigma) and its gradient.

    With y = (log t - mu) / sigma: events add -log t - log sigma - log(2 pi) / 2 - y^2 / 2,
    censorings log Phi(-y)."""
    mu, w = float(params[0]), float(params[1])
    sigma = math.exp(w)
    keep = sample.times > 0
    t, e = sample.times[keep], sample.events[keep]
    logs = np.log(t)
    y = (logs - mu) / sigma
    ye, yc = y[e], y[~e]
    log_tail = log_ndtr(-yc)
    ll = (float((-logs[e] - w - LOG_2PI / 2.0 - ye**2 / 2.0).sum()) + float(log_tail.sum()))
    # inverse Mills ratio phi(y) / Phi(-y), in logs so that far tails do not divide 0 by 0
    mills = np.exp(-yc**2 / 2.0 - LOG_2PI / 2.0 - log_tail)
    dmu = float(ye.sum()) / sigma + float(mills.sum()) / sigma
    dw = float((ye**2 - 1.0).sum()) + float((mills * yc).sum())
    return ll, np.array([dmu, dw])


def _hessian(gradient: Callable[[FloatArray], FloatArray], x: FloatArray) -> FloatArray:
    """The Hessian by central differences of an analytic gradient, symmetrised."""
    h = np.empty((x.size, x.size))
    for i in range(x.size):
        step = 1e-5 * max(1.0, abs(float(x[i])))
        up, down = x.copy(), x.copy()
        up[i] += step
        down[i] -= step
        h[:, i] = (gradient(up) - gradient(down)) / (2.0 * step)
    return (h + h.T) / 2.0


def _delta_se(g: Callable[[FloatArray], float], x: FloatArray, covariance: FloatArray) -> float:
    """sqrt(grad g' C grad g), the gradient of g by central differences."""
    grad = np.empty(x.size)
    for i in range(x.size):
        step = 1e-6 * max(1.0, abs(float(x[i])))
        up, down = x.copy(), x.copy()
        up[i] += step
        down[i] -= step
        grad[i] = (g(up) - g(down)) / (2.0 * step)
    return math.sqrt(max(float(grad @ covariance @ grad), 0.0))


def _maximise(log_likelihood: Callable[[FloatArray, CensoredSample], tuple[float, FloatArray]],
              sample: CensoredSample, start: FloatArray
              ) -> tuple[FloatArray, float, FloatArray, bool]:
    """(argmax, max, covariance, converged) of a two-parameter log-likelihood."""
    from scipy.optimize import minimize  # 0.2 s: only when a censored fit runs

    n = float(sample.n)

    def objective(x: FloatArray) -> tuple[float, FloatArray]:
        ll, grad = log_likelihood(x, sample)
        return -ll / n, -grad / n

    result = minimize(objective, start, jac=True, method="BFGS",
                      options={"gtol": 1e-9, "maxiter": 500})
    x = np.asarray(result.x, dtype=np.float64)
    ll, grad = log_likelihood(x, sample)
    information = -_hessian(lambda p: log_likelihood(p, sample)[1], x)
    stationary = bool(np.all(np.isfinite(grad)) and np.abs(grad).max() <= 1e-4 * n)
    try:
        covariance = np.asarray(np.linalg.inv(information), dtype=np.float64)
        positive = bool(np.all(np.linalg.eigvalsh(information) > 0))
    except np.linalg.LinAlgError:
        covariance, positive = np.full((2, 2), math.nan), False
    return x, ll, covariance, stationary and positive


def _root(variance: float) -> float:
    """sqrt of a variance; NaN for a negative one (an information matrix that is not
    positive definite: the fit is then reported as not converged)."""
    return math.sqrt(variance) if variance >= 0 else math.nan


def _check_events(sample: CensoredSample, family: str) -> None:
    if sample.event_count < MIN_EVENTS_TWO_PARAMETERS:
        raise ValueError(f"a censored {family} fit needs at least {MIN_EVENTS_TWO_PARAMETERS} "
                         f"events, got {sample.event_count}")


def _start(sample: CensoredSample) -> tuple[float, float]:
    """(log mean, log sd) guesses from the exponential MLE (mean = exposure / events)."""
    mean = float(sample.times.sum()) / sample.event_count
    return math.log(mean), 0.0


def fit_weibull_censored(sample: CensoredSample, level: float = LEVEL) -> DistributionFit:
    """The Weibull MLE (``shape`` k, ``scale_minutes`` lambda; mean lambda Gamma(1 + 1/k),
    cv sqrt(Gamma(1 + 2/k) / Gamma(1 + 1/k)^2 - 1)) from the exponential's solution (k = 1).
    Raises ValueError with fewer than ``MIN_EVENTS_TWO_PARAMETERS`` events."""
    _check_events(sample, "Weibull")
    log_mean, _ = _start(sample)
    x, ll, cov, converged = _maximise(weibull_log_likelihood, sample, np.array([log_mean, 0.0]))

    def mean(p: FloatArray) -> float:
        return math.exp(p[0]) * float(gamma_function(1.0 + math.exp(-p[1])))

    def cv(p: FloatArray) -> float:
        k = math.exp(p[1])
        g1, g2 = float(gamma_function(1.0 + 1.0 / k)), float(gamma_function(1.0 + 2.0 / k))
        return math.sqrt(max(g2 / (g1 * g1) - 1.0, 0.0))

    scale, shape = math.exp(x[0]), math.exp(x[1])
    return DistributionFit(
        family="weibull", n=sample.n, events=sample.event_count,
        parameters={"shape": wald_estimate(shape, shape * _root(cov[1, 1]), level, positive=True),
                    "scale_minutes": wald_estimate(scale, scale * _root(cov[0, 0]), level,
                                                   positive=True)},
        mean_minutes=wald_estimate(mean(x), _delta_se(mean, x, cov), level, positive=True),
        cv=wald_estimate(cv(x), _delta_se(cv, x, cov), level, positive=True),
        log_likelihood=ll, aic=4.0 - 2.0 * ll, converged=converged)


def fit_lognormal_censored(sample: CensoredSample, level: float = LEVEL) -> DistributionFit:
    """The censored lognormal MLE (``mu``, ``sigma`` of log-minutes; mean exp(mu +
    sigma^2 / 2), cv sqrt(exp(sigma^2) - 1)), started at mu = log of the exponential's
    mean, sigma = 1.  Raises ValueError with fewer than ``MIN_EVENTS_TWO_PARAMETERS``
    events."""
    _check_events(sample, "lognormal")
    log_mean, _ = _start(sample)
    x, ll, cov, converged = _maximise(lognormal_log_likelihood, sample, np.array([log_mean, 0.0]))

    def mean(p: FloatArray) -> float:
        return math.exp(p[0] + math.exp(2.0 * p[1]) / 2.0)

    def cv(p: FloatArray) -> float:
        return math.sqrt(math.expm1(math.exp(2.0 * p[1])))

    sigma = math.exp(x[1])
    return DistributionFit(
        family="lognormal", n=sample.n, events=sample.event_count,
        parameters={"mu": wald_estimate(float(x[0]), _root(cov[0, 0]), level),
                    "sigma": wald_estimate(sigma, sigma * _root(cov[1, 1]), level, positive=True)},
        mean_minutes=wald_estimate(mean(x), _delta_se(mean, x, cov), level, positive=True),
        cv=wald_estimate(cv(x), _delta_se(cv, x, cov), level, positive=True),
        log_likelihood=ll, aic=4.0 - 2.0 * ll, converged=converged)
