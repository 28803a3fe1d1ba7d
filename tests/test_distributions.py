"""sim.distributions: mean and variance by hand, and samplers checked against them.

Each sampler gets N = 100,000 draws from a fixed seed.  The sample mean has standard error
sigma / sqrt(N); the sample variance has standard error sqrt((mu4 - sigma^4) / N), mu4 the
fourth central moment, taken from the closed form of each family.  Agreement is asked
within Z = 5 standard errors: a correct sampler misses with probability below 1e-6, and a
wrong mean or shape of a few per cent fails by dozens of standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.distributions import block_sampler, mean_minutes, sampler, variance
from sim.scenario import Distribution, DistributionKind

N = 100_000
Z = 5.0
SEED = 8675309


def draws(dist: Distribution, scale: float = 1.0, seed: int = SEED, n: int = N) -> np.ndarray:
    draw = sampler(dist, np.random.default_rng(seed), scale)
    return np.array([draw() for _ in range(n)])


def assert_moments(x: np.ndarray, mean: float, var: float, mu4: float) -> None:
    """Sample mean and variance within Z standard errors of the true ones."""
    n = len(x)
    se_mean = math.sqrt(var / n)
    se_var = math.sqrt((mu4 - var**2) / n)
    assert abs(x.mean() - mean) <= Z * se_mean, (x.mean(), mean, se_mean)
    assert abs(x.var() - var) <= Z * se_var, (x.var(), var, se_var)


def lognormal_mu4(mean: float, cv: float) -> float:
    # w = exp(sigma^2) = 1 + cv^2; excess kurtosis w^4 + 2 w^3 + 3 w^2 - 6
    w = 1 + cv**2
    var = (cv * mean) ** 2
    return (w**4 + 2 * w**3 + 3 * w**2 - 3) * var**2


def gamma_mu4(mean: float, cv: float) -> float:
    # shape k = 1 / cv^2; excess kurtosis 6 / k
    k = 1 / cv**2
    var = (cv * mean) ** 2
    return (3 + 6 / k) * var**2


def test_an_exponential_given_by_its_mean_has_that_mean_and_its_square_as_variance() -> None:
    dist = Distribution(kind=DistributionKind.exponential, mean_minutes=4.0)
    assert mean_minutes(dist) == 4.0
    assert variance(dist) == 16.0


def test_an_exponential_given_by_its_rate_has_mean_one_over_the_rate() -> None:
    dist = Distribution(kind=DistributionKind.exponential, rate_per_minute=0.25)
    assert mean_minutes(dist) == pytest.approx(4.0)
    assert variance(dist) == pytest.approx(16.0)


def test_lognormal_and_gamma_have_variance_cv_times_mean_squared() -> None:
    assert variance(Distribution(kind=DistributionKind.lognormal, mean_minutes=3.0, cv=0.5)) == \
        pytest.approx(2.25)
    assert variance(Distribution(kind=DistributionKind.gamma, mean_minutes=2.0, cv=0.8)) == \
        pytest.approx(2.56)
    # by rate: mean 1 / 0.5 = 2, standard deviation 0.8 * 2
    assert variance(Distribution(kind=DistributionKind.gamma, rate_per_minute=0.5, cv=0.8)) == \
        pytest.approx(2.56)


def test_a_deterministic_duration_has_its_value_as_mean_and_no_variance() -> None:
    dist = Distribution(kind=DistributionKind.deterministic, mean_minutes=7.0)
    assert mean_minutes(dist) == 7.0
    assert variance(dist) == 0.0


def test_an_empirical_distribution_has_the_mean_and_population_variance_of_its_samples() -> None:
    # samples 1, 2, 3, 10: mean 4, squared deviations 9, 4, 1, 36 -> 50 / 4
    dist = Distribution(kind=DistributionKind.empirical, samples_minutes=[1.0, 2.0, 3.0, 10.0])
    assert mean_minutes(dist) == pytest.approx(4.0)
    assert variance(dist) == pytest.approx(12.5)


def test_exponential_draws_by_mean_match_its_mean_and_variance() -> None:
    m = 4.0
    x = draws(Distribution(kind=DistributionKind.exponential, mean_minutes=m))
    assert x.min() >= 0
    assert_moments(x, mean=m, var=m**2, mu4=9 * m**4)


def test_exponential_draws_by_rate_match_its_mean_and_variance() -> None:
    m = 1 / 0.8
    x = draws(Distribution(kind=DistributionKind.exponential, rate_per_minute=0.8))
    assert_moments(x, mean=m, var=m**2, mu4=9 * m**4)


def test_lognormal_draws_match_the_requested_mean_and_cv() -> None:
    m, cv = 3.0, 0.5
    x = draws(Distribution(kind=DistributionKind.lognormal, mean_minutes=m, cv=cv))
    assert x.min() > 0
    assert_moments(x, mean=m, var=(cv * m) ** 2, mu4=lognormal_mu4(m, cv))
    # and the log of the draws is normal with sigma^2 = ln(1 + cv^2): check its variance
    # (sample variance of a normal: standard error sigma^2 sqrt(2 / N))
    s2 = math.log1p(cv**2)
    assert abs(np.log(x).var() - s2) <= Z * s2 * math.sqrt(2 / N)


def test_gamma_draws_match_the_requested_mean_and_cv() -> None:
    m, cv = 2.0, 0.8
    x = draws(Distribution(kind=DistributionKind.gamma, mean_minutes=m, cv=cv))
    assert x.min() > 0
    assert_moments(x, mean=m, var=(cv * m) ** 2, mu4=gamma_mu4(m, cv))


def test_deterministic_draws_are_all_the_value() -> None:
    x = draws(Distribution(kind=DistributionKind.deterministic, mean_minutes=7.0), n=3000)
    assert np.all(x == 7.0)


def test_empirical_draws_resample_the_samples_with_equal_weights() -> None:
    samples = [1.0, 2.0, 3.0, 10.0]
    x = draws(Distribution(kind=DistributionKind.empirical, samples_minutes=samples))
    assert set(np.unique(x)) == set(samples)
    # population moments of the four values: mean 4, variance 12.5
    centred = np.asarray(samples) - 4.0
    assert_moments(x, mean=4.0, var=12.5, mu4=float(np.mean(centred**4)))
    # each value a quarter of the time: binomial standard error sqrt(p (1 - p) / N)
    for value in samples:
        share = np.mean(x == value)
        assert abs(share - 0.25) <= Z * math.sqrt(0.25 * 0.75 / N)


@pytest.mark.parametrize("dist", [
    Distribution(kind=DistributionKind.exponential, mean_minutes=4.0),
    Distribution(kind=DistributionKind.lognormal, mean_minutes=3.0, cv=0.5),
    Distribution(kind=DistributionKind.gamma, mean_minutes=2.0, cv=0.8),
], ids=["exponential", "lognormal", "gamma"])
def test_scale_multiplies_the_mean_and_keeps_the_cv(dist: Distribution) -> None:
    scale = 2.5
    m = mean_minutes(dist) * scale
    sd = math.sqrt(variance(dist)) * scale
    cv = sd / m
    x = draws(dist, scale=scale, seed=SEED + 1)
    mu4 = {DistributionKind.exponential: 9 * m**4,
           DistributionKind.lognormal: lognormal_mu4(m, cv),
           DistributionKind.gamma: gamma_mu4(m, cv)}[dist.kind]
    assert_moments(x, mean=m, var=sd**2, mu4=mu4)


def test_scale_multiplies_deterministic_and_empirical_values_exactly() -> None:
    det = draws(Distribution(kind=DistributionKind.deterministic, mean_minutes=7.0), scale=1.5, n=10)
    assert np.all(det == 10.5)
    emp = draws(Distribution(kind=DistributionKind.empirical, samples_minutes=[1.0, 2.0, 4.0]),
                scale=0.5, n=2000)
    assert set(np.unique(emp)) == {0.5, 1.0, 2.0}


def test_scaled_exponential_draws_are_the_unscaled_draws_times_the_scale() -> None:
    # numpy's exponential(m) is m times a standard exponential, so with the same seed the
    # scaled stream is the unscaled one times the factor, draw for draw
    dist = Distribution(kind=DistributionKind.exponential, mean_minutes=4.0)
    plain = draws(dist, n=3000)
    scaled = draws(dist, scale=3.0, n=3000)
    np.testing.assert_allclose(scaled, 3.0 * plain, rtol=1e-12)


def test_the_per_call_sampler_hands_out_the_block_samplers_numbers_in_order() -> None:
    dist = Distribution(kind=DistributionKind.gamma, mean_minutes=2.0, cv=0.8)
    block = block_sampler(dist, np.random.default_rng(SEED))
    expected = np.concatenate([block(1024) for _ in range(3)])  # sim.rng.BLOCK = 1024
    np.testing.assert_array_equal(draws(dist, n=3 * 1024), expected)
