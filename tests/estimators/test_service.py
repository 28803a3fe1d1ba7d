"""sim.estimators.families and .service: the lognormal and gamma MLEs recover known
parameters within Z = 4 of their standard errors, agree with scipy.stats' own fits (an
independent optimiser), report standard errors that match the spread of estimates over
repeated samples, and AIC picks the family that generated a large sample."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.estimators.families import fit_gamma, fit_lognormal, gamma_shape_mle
from sim.estimators.service import fit_service_by_interval, fit_service_time

Z = 4.0
MU, SIGMA = 1.2, 0.7  # lognormal: mean exp(1.2 + 0.245) = 4.24 minutes, cv 0.795
SHAPE, SCALE = 2.5, 1.6  # gamma: mean 4 minutes, cv 0.632


def within(estimate_value: float, se: float, truth: float) -> bool:
    """|estimate - truth| <= Z se, with se below 5% of the truth (not vacuous)."""
    return abs(estimate_value - truth) <= Z * se and se < 0.05 * abs(truth)


def test_lognormal_mle_recovers_mu_sigma_mean_and_cv() -> None:
    x = np.random.default_rng(21).lognormal(MU, SIGMA, 5000)
    fit = fit_lognormal(x)
    p = fit.parameters
    assert within(p["mu"].value, p["mu"].se, MU)
    assert within(p["sigma"].value, p["sigma"].se, SIGMA)
    assert within(fit.mean_minutes.value, fit.mean_minutes.se, math.exp(MU + SIGMA**2 / 2))
    assert within(fit.cv.value, fit.cv.se, math.sqrt(math.expm1(SIGMA**2)))
    assert fit.n == 5000 and fit.family == "lognormal"


def test_gamma_mle_recovers_shape_scale_mean_and_cv() -> None:
    x = np.random.default_rng(22).gamma(SHAPE, SCALE, 5000)
    fit = fit_gamma(x)
    p = fit.parameters
    assert within(p["shape"].value, p["shape"].se, SHAPE)
    assert within(p["scale_minutes"].value, p["scale_minutes"].se, SCALE)
    assert within(fit.mean_minutes.value, fit.mean_minutes.se, SHAPE * SCALE)
    assert within(fit.cv.value, fit.cv.se, 1 / math.sqrt(SHAPE))


def test_the_fits_agree_with_scipy_stats() -> None:
    x = np.random.default_rng(23).gamma(0.8, 5.0, 3000)
    shape, _, scale = stats.gamma.fit(x, floc=0)
    fit = fit_gamma(x)
    assert fit.parameters["shape"].value == pytest.approx(shape, rel=1e-4)
    assert fit.parameters["scale_minutes"].value == pytest.approx(scale, rel=1e-4)
    assert fit.log_likelihood == pytest.approx(stats.gamma.logpdf(x, shape, 0, scale).sum(), rel=1e-6)
    sigma, _, exp_mu = stats.lognorm.fit(x, floc=0)
    lognormal = fit_lognormal(x)
    assert lognormal.parameters["sigma"].value == pytest.approx(sigma, rel=1e-4)
    assert lognormal.parameters["mu"].value == pytest.approx(math.log(exp_mu), rel=1e-4)
    assert lognormal.log_likelihood == pytest.approx(
        stats.lognorm.logpdf(x, sigma, 0, exp_mu).sum(), rel=1e-6)


@pytest.mark.parametrize("s", [1e-4, 0.05, 0.5, 3.0, 20.0])
def test_the_gamma_shape_solves_its_equation(s: float) -> None:
    from scipy.special import digamma

    k = gamma_shape_mle(s)
    assert math.log(k) - digamma(k) == pytest.approx(s, rel=1e-10)


def test_standard_errors_match_the_spread_over_repeated_samples() -> None:
    """400 samples of 200: the sd of the 400 estimates and the mean reported se agree
    within Z relative se of an sd from 400 values, 1 / sqrt(2 x 399) = 3.5%."""
    rng = np.random.default_rng(24)
    tolerance = Z / math.sqrt(2 * 399)
    lognormal = [fit_lognormal(rng.lognormal(MU, SIGMA, 200)) for _ in range(400)]
    gamma = [fit_gamma(rng.gamma(SHAPE, SCALE, 200)) for _ in range(400)]
    for fits, names in ((lognormal, ("sigma",)), (gamma, ("shape",))):
        for name in names:
            values = np.array([f.parameters[name].value for f in fits])
            ses = np.array([f.parameters[name].se for f in fits])
            assert abs(values.std(ddof=1) / ses.mean() - 1) <= tolerance + 0.05  # + small-n bias
        for derived in ("mean_minutes", "cv"):
            values = np.array([getattr(f, derived).value for f in fits])
            ses = np.array([getattr(f, derived).se for f in fits])
            assert abs(values.std(ddof=1) / ses.mean() - 1) <= tolerance + 0.05


@pytest.mark.parametrize("family", ["lognormal", "gamma"])
def test_aic_picks_the_family_that_generated_a_large_sample(family: str) -> None:
    rng = np.random.default_rng(25)
    x = rng.lognormal(MU, SIGMA, 5000) if family == "lognormal" else rng.gamma(SHAPE, SCALE, 5000)
    fit = fit_service_time(x)
    assert fit.best_family == family and fit.best.family == family
    assert fit.aic_difference > 10  # decisive (Burnham and Anderson)
    # the chosen family's KS distance is within the 1% critical value of a known law,
    # which a fitted law only undercuts; the wrong one's is larger
    assert fit.best.ks_statistic is not None and fit.best.ks_statistic < 1.63 / math.sqrt(5000)
    other = fit.gamma if family == "lognormal" else fit.lognormal
    assert other.ks_statistic is not None and other.ks_statistic > fit.best.ks_statistic


def test_zero_durations_are_left_out_and_counted_and_negative_ones_refused() -> None:
    x = np.concatenate([np.random.default_rng(26).gamma(SHAPE, SCALE, 100), [0.0, 0.0, 0.0]])
    fit = fit_service_time(x)
    assert (fit.n, fit.excluded) == (100, 3)
    assert fit.sample_mean_minutes.value == pytest.approx(x[:100].mean())
    with pytest.raises(ValueError, match="negative"):
        fit_service_time([1.0, -0.5, 2.0])
    with pytest.raises(ValueError, match="two distinct"):
        fit_service_time([2.0, 2.0, 0.0])


def test_intervals_with_enough_services_get_their_own_fit_and_thin_ones_the_days() -> None:
    """Hour 0: 400 services of mean 3; hour 1: 400 of mean 6; hour 2: 10 services, below
    the minimum of 30, so it takes the day's fit."""
    rng = np.random.default_rng(27)
    means = [3.0, 6.0, 4.0]
    sizes = [400, 400, 10]
    starts = np.concatenate([rng.uniform(60 * j, 60 * (j + 1), n) for j, n in enumerate(sizes)])
    durations = np.concatenate([rng.gamma(SHAPE, m / SHAPE, n) for m, n in zip(means, sizes)])
    fits = fit_service_by_interval(starts, durations, 60.0, 180.0, min_samples=30)
    assert [i.own for i in fits.intervals] == [True, True, False]
    assert [i.n for i in fits.intervals] == sizes
    for j in (0, 1):
        mean = fits.intervals[j].fit.gamma.mean_minutes
        assert within(mean.value, mean.se, means[j])
    assert fits.intervals[2].fit is fits.day
    assert fits.day.n == sum(sizes)
