"""sim.estimators.censored: Weibull and lognormal censored MLEs recover known parameters
within Z = 4 standard errors, their standard errors match the spread over repeated
samples, the analytic gradients match finite differences, and the exponential MLE is
events over exposure."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from sim.estimators.censored import (
    CensoredSample,
    fit_exponential_censored,
    fit_lognormal_censored,
    fit_weibull_censored,
    lognormal_log_likelihood,
    prepare_censored,
    weibull_log_likelihood,
)

Z = 4.0


def censored_sample(patience: np.ndarray, rng: np.random.Generator, served_after_mean: float
                    ) -> CensoredSample:
    """Each caller is served after an exponential time (independent censoring): the wait
    is the smaller of that and the patience; an event if patience ran out first."""
    service_wait = rng.exponential(served_after_mean, patience.size)
    return prepare_censored(np.minimum(patience, service_wait), patience < service_wait)


def within(value: float, se: float, truth: float) -> bool:
    return abs(value - truth) <= Z * se and se < 0.05 * abs(truth)


def test_weibull_recovers_shape_and_scale_under_censoring() -> None:
    rng = np.random.default_rng(41)
    sample = censored_sample(10 * rng.weibull(0.7, 20000), rng, 5.0)
    assert sample.event_count < 0.5 * sample.n  # most callers censored
    fit = fit_weibull_censored(sample)
    assert fit.converged
    assert within(fit.parameters["shape"].value, fit.parameters["shape"].se, 0.7)
    assert within(fit.parameters["scale_minutes"].value, fit.parameters["scale_minutes"].se, 10.0)
    assert within(fit.mean_minutes.value, fit.mean_minutes.se, 10 * math.gamma(1 + 1 / 0.7))


def test_lognormal_recovers_mu_and_sigma_under_censoring() -> None:
    rng = np.random.default_rng(42)
    sample = censored_sample(rng.lognormal(2.0, 0.9, 20000), rng, 5.0)
    fit = fit_lognormal_censored(sample)
    assert fit.converged
    assert within(fit.parameters["mu"].value, fit.parameters["mu"].se, 2.0)
    assert within(fit.parameters["sigma"].value, fit.parameters["sigma"].se, 0.9)
    assert within(fit.cv.value, fit.cv.se, math.sqrt(math.expm1(0.81)))


def test_censored_standard_errors_match_the_spread_over_repeated_samples() -> None:
    """200 samples of 600 callers: sd of the estimates / mean se within Z / sqrt(2 x 199)
    (28%) plus 5% for the small-sample bias of the asymptotic se."""
    rng = np.random.default_rng(43)
    weibull = [fit_weibull_censored(censored_sample(10 * rng.weibull(0.7, 600), rng, 5.0))
               for _ in range(200)]
    lognormal = [fit_lognormal_censored(censored_sample(rng.lognormal(2.0, 0.9, 600), rng, 5.0))
                 for _ in range(200)]
    tolerance = Z / math.sqrt(2 * 199) + 0.05
    for fits, name in ((weibull, "shape"), (weibull, "scale_minutes"), (lognormal, "mu"),
                       (lognormal, "sigma")):
        values = np.array([f.parameters[name].value for f in fits])
        ses = np.array([f.parameters[name].se for f in fits])
        assert abs(values.std(ddof=1) / ses.mean() - 1) <= tolerance, name


@pytest.mark.parametrize("log_likelihood", [weibull_log_likelihood, lognormal_log_likelihood])
def test_the_analytic_gradients_match_finite_differences(
        log_likelihood: Callable[[np.ndarray, CensoredSample], tuple[float, np.ndarray]]) -> None:
    rng = np.random.default_rng(44)
    sample = censored_sample(rng.exponential(8.0, 300), rng, 4.0)
    x = np.array([1.7, -0.2])
    _, grad = log_likelihood(x, sample)
    for i in range(2):
        step = np.zeros(2)
        step[i] = 1e-6
        numeric = (log_likelihood(x + step, sample)[0] - log_likelihood(x - step, sample)[0]) / 2e-6
        assert grad[i] == pytest.approx(numeric, rel=1e-5, abs=1e-5)


def test_the_exponential_mle_is_events_over_total_time() -> None:
    """Waits 1, 2, 3 (abandoned), 4 (served): theta = 3 / 10, se 0.3 / sqrt(3), mean 10/3;
    log-likelihood 3 log 0.3 - 0.3 x 10."""
    fit = fit_exponential_censored(prepare_censored([1, 2, 3, 4], [1, 1, 1, 0]))
    rate = fit.parameters["rate_per_minute"]
    assert rate.value == pytest.approx(0.3) and rate.se == pytest.approx(0.3 / math.sqrt(3))
    assert fit.mean_minutes.value == pytest.approx(10 / 3)
    assert fit.mean_minutes.ci_low == pytest.approx(1 / rate.ci_high)
    assert fit.log_likelihood == pytest.approx(3 * math.log(0.3) - 3)
    assert fit.aic == pytest.approx(2 - 2 * fit.log_likelihood)


def test_an_abandonment_at_zero_wait_counts_half_the_resolution() -> None:
    sample = prepare_censored([0.0, 0.0, 2.0], [True, False, True], resolution_minutes=1 / 60)
    assert sample.times.tolist() == [1 / 120, 0.0, 2.0] and sample.zero_events == 1


def test_two_parameter_fits_need_ten_events() -> None:
    sample = prepare_censored(np.arange(1.0, 21.0), np.arange(20) < 9)
    with pytest.raises(ValueError, match="at least 10 events"):
        fit_weibull_censored(sample)
