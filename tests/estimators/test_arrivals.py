"""sim.estimators.arrivals and .grid: counts by hand, Poisson rates covered by their exact
intervals, weekday profiles and the day-to-day spread against the theory of the
simulated days (Poisson: index of dispersion 1; a gamma day factor of cv c on a mean m:
variance m + c^2 m^2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.estimators.arrivals import (
    count_arrivals,
    estimate_arrival_rates,
    estimate_day_spread,
    estimate_weekday_profiles,
)
from sim.estimators.confidence import level_for_z
from sim.estimators.grid import interval_count, interval_edges, interval_index

Z = 4.0
LEVEL = level_for_z(Z)
INTERVAL = 60.0
HORIZON = 600.0
RATES = np.array([0.5, 1.2, 2.0, 2.5, 1.8, 1.0, 1.5, 2.2, 1.1, 0.3])  # per minute, 10 hours


def poisson_day(rng: np.random.Generator, rates: np.ndarray, factor: float = 1.0) -> np.ndarray:
    """Arrival times (minutes) of one day: Poisson counts per hour, uniform inside it."""
    counts = rng.poisson(rates * factor * INTERVAL)
    return np.concatenate([start + rng.uniform(0, INTERVAL, k)
                           for start, k in zip(np.arange(rates.size) * INTERVAL, counts)])


def test_the_grid_has_a_shorter_last_interval_and_maps_times_to_intervals() -> None:
    assert interval_count(60, 200) == 4
    assert list(interval_edges(60, 200)) == [0, 60, 120, 180, 200]
    assert interval_count(1440 / 7, 1440) == 7
    assert list(interval_index([0, 59.9, 60, 199.99], 60, 200)) == [0, 0, 1, 3]
    with pytest.raises(ValueError, match="outside"):
        interval_index([200.0], 60, 200)


def test_counts_fall_in_their_day_and_interval() -> None:
    counts = count_arrivals([5, 65, 70, 599, 0, 300], INTERVAL, HORIZON, day=[0, 0, 0, 0, 2, 2])
    assert counts.shape == (3, 10)
    assert counts[0].tolist() == [1, 2, 0, 0, 0, 0, 0, 0, 0, 1]
    assert counts[1].sum() == 0
    assert counts[2].tolist() == [1, 0, 0, 0, 0, 1, 0, 0, 0, 0]


def test_one_days_rates_are_covered_by_their_exact_intervals() -> None:
    rng = np.random.default_rng(11)
    rates = estimate_arrival_rates(count_arrivals(poisson_day(rng, RATES), INTERVAL, HORIZON),
                                   INTERVAL, HORIZON, LEVEL)
    assert rates.days == 1
    assert np.all((rates.ci_low_per_minute <= RATES) & (rates.ci_high_per_minute >= RATES))
    assert np.allclose(rates.rate_per_minute, rates.counts / INTERVAL)
    assert np.all(rates.se_per_minute < 0.15 * RATES + 0.05)  # informative, not vacuous


def test_rates_pooled_over_days_narrow_and_still_cover() -> None:
    rng = np.random.default_rng(12)
    days = [poisson_day(rng, RATES) for _ in range(30)]
    counts = count_arrivals(np.concatenate(days), INTERVAL, HORIZON,
                            day=np.repeat(np.arange(30), [d.size for d in days]))
    rates = estimate_arrival_rates(counts, INTERVAL, HORIZON, LEVEL)
    assert rates.days == 30
    assert np.all(np.abs(rates.rate_per_minute - RATES) <= Z * rates.se_per_minute)
    assert np.all((rates.ci_low_per_minute <= RATES) & (rates.ci_high_per_minute >= RATES))
    assert np.allclose(rates.se_per_minute, np.sqrt(counts.sum(axis=0)) / (30 * INTERVAL))


def test_an_interval_without_arrivals_has_rate_zero_and_a_positive_upper_bound() -> None:
    rates = estimate_arrival_rates(np.zeros(10, dtype=int), INTERVAL, HORIZON, 0.95)
    assert np.all(rates.rate_per_minute == 0)
    assert rates.ci_high_per_minute[0] == pytest.approx(-math.log(0.025) / INTERVAL)


def test_weekday_profiles_recover_each_weekdays_rates() -> None:
    """Eight weeks; Mondays run at 1.5 x the base profile, Saturdays at 0.4 x."""
    rng = np.random.default_rng(13)
    factor = {0: 1.5, 1: 1.0, 2: 1.0, 3: 1.0, 4: 1.1, 5: 0.4, 6: 0.2}
    weekdays = np.tile(np.arange(7), 8)
    counts = np.array([count_arrivals(poisson_day(rng, RATES, factor[int(w)]), INTERVAL, HORIZON)[0]
                       for w in weekdays])
    profiles = estimate_weekday_profiles(counts, weekdays, INTERVAL, HORIZON, LEVEL)
    assert [p.weekday for p in profiles] == list(range(7))
    assert profiles[0].name == "Monday" and profiles[0].rates.days == 8
    for profile in profiles:
        truth = RATES * factor[profile.weekday]
        rates = profile.rates
        assert np.all(np.abs(rates.rate_per_minute - truth) <= Z * rates.se_per_minute)
        assert profile.spread.days == 8 and profile.spread.dispersion_dof == 70


def test_poisson_days_show_a_dispersion_ratio_near_one() -> None:
    """Under Poisson the statistic is chi-square with dof degrees of freedom: the ratio
    statistic / dof has mean 1 and sd sqrt(2 / dof); each interval's sd of the days'
    counts has a relative se of about 1 / sqrt(2 (days - 1))."""
    rng = np.random.default_rng(14)
    counts = np.array([count_arrivals(poisson_day(rng, RATES), INTERVAL, HORIZON)[0]
                       for _ in range(60)])
    spread = estimate_day_spread(counts, INTERVAL, HORIZON)
    assert spread.dispersion_dof == 59 * 10
    assert abs(spread.dispersion_ratio - 1) <= Z * math.sqrt(2 / spread.dispersion_dof)
    assert spread.dispersion_p_value > 1e-4
    true_sd = np.sqrt(RATES * INTERVAL)
    assert np.all(np.abs(spread.sd_count / true_sd - 1) <= Z / math.sqrt(2 * 59))
    assert np.allclose(spread.sd_rate_per_minute, spread.sd_count / INTERVAL)


def test_days_with_a_common_random_factor_are_flagged_as_over_dispersed() -> None:
    """A gamma day factor of cv 0.3: var = m + 0.09 m^2, an index of 1 + 0.09 m, e.g. 11.8
    for m = 120 arrivals; the pooled ratio lands well above 1 and the test rejects
    Poisson.  (The days share one factor, so intervals are correlated and the ratio's
    spread is wider than under Poisson: the bound is a factor of 2 either way.)"""
    rng = np.random.default_rng(15)
    day_factors = rng.gamma(1 / 0.09, 0.09, 60)
    counts = np.array([count_arrivals(poisson_day(rng, RATES, f), INTERVAL, HORIZON)[0]
                       for f in day_factors])
    spread = estimate_day_spread(counts, INTERVAL, HORIZON)
    expected_ratio = float(np.mean(1 + 0.09 * RATES * INTERVAL))
    assert expected_ratio / 2 < spread.dispersion_ratio < 2 * expected_ratio
    assert spread.dispersion_p_value < 1e-12
    assert np.all(spread.dispersion_index > 1)


def test_a_single_day_has_no_spread() -> None:
    spread = estimate_day_spread(np.ones(10, dtype=int), INTERVAL, HORIZON)
    assert spread.days == 1 and spread.dispersion_dof == 0
    assert np.all(np.isnan(spread.sd_count)) and math.isnan(spread.dispersion_ratio)


def test_counts_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(ValueError, match="shape"):
        estimate_arrival_rates(np.ones((2, 9), dtype=int), INTERVAL, HORIZON)
    with pytest.raises(ValueError, match="weekday"):
        estimate_weekday_profiles(np.ones((2, 10), dtype=int), [0, 7], INTERVAL, HORIZON)
