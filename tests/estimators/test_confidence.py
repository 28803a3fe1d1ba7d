"""sim.estimators.confidence against independent formulas: Garwood's interval by
scipy.stats' chi-square quantiles, Wilson's by a hand computation, and the coverage of
Garwood's interval (exact, so at least nominal) on simulated Poisson counts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.estimators.confidence import (
    garwood_interval,
    level_for_z,
    poisson_rate_estimate,
    wald_estimate,
    wilson_estimate,
    z_for_level,
)


def test_z_and_level_are_inverse_and_match_the_normal_quantiles() -> None:
    assert z_for_level(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert level_for_z(4.0) == pytest.approx(1 - 2 * stats.norm.sf(4.0), rel=1e-12)
    assert z_for_level(level_for_z(4.0)) == pytest.approx(4.0, rel=1e-9)


@pytest.mark.parametrize("level", [0.0, 1.0, -0.5, 1.5])
def test_a_level_outside_zero_one_is_refused(level: float) -> None:
    with pytest.raises(ValueError, match="confidence level"):
        z_for_level(level)


@pytest.mark.parametrize("count", [0, 1, 2, 7, 50, 1234])
def test_garwood_equals_the_chi_square_form(count: int) -> None:
    low, high = garwood_interval([count], 0.95)
    expected_low = stats.chi2.ppf(0.025, 2 * count) / 2 if count else 0.0
    assert low[0] == pytest.approx(expected_low, rel=1e-10, abs=1e-12)
    assert high[0] == pytest.approx(stats.chi2.ppf(0.975, 2 * count + 2) / 2, rel=1e-10)


def test_garwood_covers_a_poisson_mean_at_least_at_the_nominal_level() -> None:
    """An exact interval: coverage >= 95% for every mean (the simulated share may fall
    short by sampling noise only: 4 binomial se of 2,000 draws is 0.02)."""
    rng = np.random.default_rng(2024)
    for mean in (0.5, 3.0, 40.0):
        counts = rng.poisson(mean, 2000)
        low, high = garwood_interval(counts, 0.95)
        covered = np.mean((low <= mean) & (mean <= high))
        assert covered >= 0.95 - 4 * math.sqrt(0.95 * 0.05 / 2000)


def test_a_rate_divides_the_count_and_its_interval_by_the_exposure() -> None:
    rate = poisson_rate_estimate(9, 60.0, 0.95)
    assert rate.value == pytest.approx(0.15)
    assert rate.se == pytest.approx(3 / 60)
    assert rate.ci_low == pytest.approx(stats.chi2.ppf(0.025, 18) / 2 / 60)
    assert rate.ci_high == pytest.approx(stats.chi2.ppf(0.975, 20) / 2 / 60)


def test_wilson_matches_a_hand_computation_for_three_of_ten() -> None:
    """p = 0.3, n = 10, z = 1.96: centre (0.3 + z^2 / 20) / (1 + z^2 / 10) = 0.35550,
    half-width z / (1 + z^2 / 10) sqrt(0.021 + z^2 / 400) = 0.24772."""
    share = wilson_estimate(3, 10, 0.95)
    assert share.value == 0.3
    assert share.se == pytest.approx(math.sqrt(0.021))
    assert share.ci_low == pytest.approx(0.10779, abs=1e-5)
    assert share.ci_high == pytest.approx(0.60322, abs=1e-5)


def test_wilson_stays_inside_zero_one_and_is_open_with_no_trials() -> None:
    none = wilson_estimate(0, 20)
    assert none.ci_low == 0.0 and 0.0 < none.ci_high < 0.2
    assert wilson_estimate(20, 20).ci_high == 1.0
    empty = wilson_estimate(0, 0)
    assert math.isnan(empty.value) and (empty.ci_low, empty.ci_high) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_estimate(3, 2)


def test_a_positive_wald_interval_is_symmetric_on_the_log_scale() -> None:
    est = wald_estimate(10.0, 1.0, 0.95, positive=True)
    assert math.log(est.ci_high) - math.log(10) == pytest.approx(math.log(10) - math.log(est.ci_low))
    assert est.ci_low > 0
    plain = wald_estimate(10.0, 1.0, 0.95)
    assert plain.ci_high - 10 == pytest.approx(1.959964, abs=1e-6)
