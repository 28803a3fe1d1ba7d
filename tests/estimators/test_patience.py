"""sim.estimators.patience on synthetic callers whose patience is known.

Design: patience exponential with mean 10 minutes (theta = 0.1 per minute); each caller
would be answered after an exponential time of mean 2 minutes (nu = 0.5).  A caller
abandons when patience runs out first: P = theta / (theta + nu) = 1/6, so five in six
are served and censored.  The abandoners' waits are min(patience, answer) given that
patience came first, which is exponential with rate theta + nu: the naive estimate
(their mean wait) tends to 1 / (theta + nu) = 1.667 minutes, a sixth of the truth.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.estimators.confidence import level_for_z
from sim.estimators.patience import fit_patience, naive_mean_wait, patience_by_interval

Z = 4.0
THETA, NU = 0.1, 0.5
N = 6000


def callers(seed: int, n: int = N) -> tuple[np.ndarray, np.ndarray]:
    """(waits, abandoned) of n callers of the module's design."""
    rng = np.random.default_rng(seed)
    patience, answer = rng.exponential(1 / THETA, n), rng.exponential(1 / NU, n)
    return np.minimum(patience, answer), patience < answer


def test_the_censored_mle_covers_the_true_patience_and_the_naive_estimate_is_biased_low() -> None:
    waits, abandoned = callers(51)
    fit = fit_patience(waits, abandoned, level=level_for_z(Z))
    assert fit.censored > 0.75 * fit.n  # heavy censoring: most callers served
    rate, mean = fit.exponential.parameters["rate_per_minute"], fit.exponential.mean_minutes
    assert rate.covers(THETA) and mean.covers(1 / THETA)
    assert abs(rate.value - THETA) <= Z * rate.se and rate.se < 0.05 * THETA
    assert rate.value == pytest.approx(fit.abandoned / waits.sum())
    assert rate.se == pytest.approx(rate.value / math.sqrt(fit.abandoned))
    # the naive estimate: where theory puts it, far below the truth, its interval excluding it
    naive = fit.naive_mean_minutes
    assert abs(naive.value - 1 / (THETA + NU)) <= Z * naive.se
    assert naive.value < 0.25 / THETA and naive.ci_high < 1 / THETA


def test_on_exponential_patience_the_weibull_nests_it_and_the_least_aic_is_chosen() -> None:
    """The Weibull nests the exponential (shape 1): its shape covers 1 and its likelihood
    is at least the exponential's; AIC charges it one parameter more, so it is chosen
    only if it gains more than 1 in log-likelihood.  The lognormal, a different shape,
    loses clearly on 1,000 abandonments."""
    waits, abandoned = callers(52)
    fit = fit_patience(waits, abandoned, level=level_for_z(Z))
    assert fit.weibull is not None and fit.lognormal is not None
    assert fit.weibull.parameters["shape"].covers(1.0)
    assert fit.weibull.log_likelihood >= fit.exponential.log_likelihood - 1e-6
    gain = fit.weibull.log_likelihood - fit.exponential.log_likelihood
    assert fit.best_family == ("weibull" if gain > 1 else "exponential")
    assert fit.best.aic == min(fit.exponential.aic, fit.weibull.aic, fit.lognormal.aic)
    assert fit.lognormal.aic > fit.exponential.aic + 10


@pytest.mark.parametrize("family", ["weibull", "lognormal"])
def test_aic_prefers_the_true_two_parameter_family_on_a_large_sample(family: str) -> None:
    rng = np.random.default_rng(53)
    patience = 10 * rng.weibull(0.6, 20000) if family == "weibull" else rng.lognormal(2.0, 1.0, 20000)
    answer = rng.exponential(4.0, 20000)
    fit = fit_patience(np.minimum(patience, answer), patience < answer)
    assert fit.best_family == family


def test_the_kaplan_meier_curve_comes_with_the_fit() -> None:
    waits, abandoned = callers(54)
    fit = fit_patience(waits, abandoned)
    km = fit.kaplan_meier
    assert km.n == fit.n and km.events == fit.abandoned
    i = np.searchsorted(km.time_minutes, 3.0, side="right") - 1
    assert abs(km.survival[i] - math.exp(-3 * THETA)) <= Z * km.se[i] + 1e-3


def test_no_abandonment_gives_rate_zero_an_infinite_mean_and_no_naive_estimate() -> None:
    fit = fit_patience([1.0, 2.0, 3.0], [False, False, False])
    assert fit.exponential.parameters["rate_per_minute"].value == 0.0
    assert math.isinf(fit.exponential.mean_minutes.value)
    assert 0 < fit.exponential.mean_minutes.ci_low < math.inf
    assert fit.weibull is None and fit.lognormal is None and fit.best_family == "exponential"
    assert math.isnan(fit.naive_mean_minutes.value)


def test_zero_waits_are_counted_and_nobody_waiting_is_an_error() -> None:
    fit = fit_patience([0.0, 0.0, 4.0, 6.0], [True, False, True, False])
    assert fit.zero_wait_abandonments == 1 and fit.abandoned == 2
    assert naive_mean_wait([0.0, 0.0, 4.0, 6.0], [True, False, True, False]).value == 2.0
    with pytest.raises(ValueError, match="no exposure"):
        fit_patience([0.0, 0.0], [False, False])


def test_the_likelihood_ratio_statistic_per_interval_is_the_hand_computed_one() -> None:
    """Two intervals: 2 abandonments in 10 minutes waited, then 1 in 20 (3 in 30 pooled).
    2 sum d_k ln(theta_k / theta) = 2 (2 ln(0.2 / 0.1) + 1 ln(0.05 / 0.1)) = 2 ln 2, one
    degree of freedom; too little evidence to vary, so every factor is 1."""
    waits = np.array([2.0, 3.0, 5.0, 4.0, 6.0, 10.0])
    gave_up = np.array([True, True, False, True, False, False])
    by = patience_by_interval(waits, gave_up, [0, 0, 0, 1, 1, 1], 2)
    assert by.statistic == pytest.approx(2 * math.log(2))
    assert by.dof == 1 and not by.varies and by.factors == (1.0, 1.0)
    assert [m.mean_minutes.value for m in by.means if m is not None] == pytest.approx([5.0, 20.0])


def test_patience_that_varies_by_interval_is_detected_and_gives_its_factors() -> None:
    """Half the callers have mean patience 5 (interval 0), half 20 (interval 1), day mean
    by pooled MLE in between: the test rejects one rate and the factors are the intervals'
    means over the day's, each within its z = 4 interval of the truth's ratio."""
    rng = np.random.default_rng(4)
    slot = rng.integers(0, 2, N)
    patience = rng.exponential(np.where(slot == 0, 5.0, 20.0))
    answer = rng.exponential(1 / NU, N)
    by = patience_by_interval(np.minimum(patience, answer), patience < answer, slot, 2,
                              level=level_for_z(Z))
    assert by.varies and by.p_value < 1e-6
    day = fit_patience(np.minimum(patience, answer), patience < answer).exponential
    for k, truth in enumerate((5.0, 20.0)):
        mean = by.means[k]
        assert mean is not None and mean.mean_minutes.ci_low <= truth <= mean.mean_minutes.ci_high
        assert by.factors[k] == pytest.approx(mean.mean_minutes.value / day.mean_minutes.value)


def test_patience_of_one_rate_all_day_is_not_said_to_vary() -> None:
    waits, gave_up = callers(9)
    by = patience_by_interval(waits, gave_up, np.arange(N) % 4, 4)
    assert not by.varies and by.p_value > 0.01 and by.factors == (1.0,) * 4
