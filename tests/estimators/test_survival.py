"""sim.estimators.survival: Kaplan-Meier by hand on six callers, with a tie between an
abandonment and a service, and against a known exponential law on a large sample."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.estimators.confidence import level_for_z
from sim.estimators.survival import kaplan_meier

Z = 4.0


def test_six_callers_give_the_hand_computed_curve_with_events_before_censorings() -> None:
    """Waits (minutes) and outcomes: 1 abandoned, 2 served, 3 abandoned, 3 served,
    4 abandoned, 5 served.  Event times 1, 3, 4.

    t = 1: at risk 6 (all waited >= 1), 1 event: S = 5/6; Greenwood sum 1 / (6 x 5) = 1/30.
    t = 3: at risk 4 (waits 3, 3, 4, 5: the caller served at 3 is still at risk at 3,
    events before censorings), 1 event: S = 5/6 x 3/4 = 5/8; sum 1/30 + 1/(4 x 3) = 7/60.
    t = 4: at risk 2 (4, 5), 1 event: S = 5/8 x 1/2 = 5/16; sum 7/60 + 1/(2 x 1) = 37/60.
    Greenwood's variance S^2 x sum: (5/6)^2 / 30, (5/8)^2 x 7/60, (5/16)^2 x 37/60.
    (Censorings first would leave 3 at risk at t = 3 and S(3) = 5/6 x 2/3 = 5/9.)
    """
    km = kaplan_meier([1, 2, 3, 3, 4, 5], [True, False, True, False, True, False], 0.95)
    assert km.time_minutes.tolist() == [1, 3, 4]
    assert km.at_risk.tolist() == [6, 4, 2]
    assert km.event_count.tolist() == [1, 1, 1]
    assert km.survival == pytest.approx([5 / 6, 5 / 8, 5 / 16])
    assert km.se == pytest.approx([5 / 6 * math.sqrt(1 / 30), 5 / 8 * math.sqrt(7 / 60),
                                   5 / 16 * math.sqrt(37 / 60)])
    assert (km.n, km.events) == (6, 3)
    # the step function: 1 before the first event, flat between, held after the last
    assert km.survival_at([0.5, 1, 2.9, 3, 4.5, 10]) == pytest.approx(
        [1, 5 / 6, 5 / 6, 5 / 8, 5 / 16, 5 / 16])


def test_the_log_log_interval_matches_its_formula_and_stays_inside_zero_one() -> None:
    """At t = 1 (S = 5/6, v = 1/30): exp(-exp(log(-log S) ± z sqrt(v) / |log S|))."""
    km = kaplan_meier([1, 2, 3, 3, 4, 5], [True, False, True, False, True, False], 0.95)
    s, v, z = 5 / 6, 1 / 30, 1.959964
    half = z * math.sqrt(v) / abs(math.log(s))
    assert km.ci_low[0] == pytest.approx(math.exp(-math.exp(math.log(-math.log(s)) + half)), rel=1e-6)
    assert km.ci_high[0] == pytest.approx(math.exp(-math.exp(math.log(-math.log(s)) - half)), rel=1e-6)
    assert np.all((km.ci_low > 0) & (km.ci_low < km.survival) & (km.survival < km.ci_high)
                  & (km.ci_high < 1))


def test_a_curve_that_reaches_zero_has_no_interval_there() -> None:
    km = kaplan_meier([1, 2], [True, True])
    assert km.survival.tolist() == [0.5, 0.0]
    assert math.isnan(km.se[1]) and math.isnan(km.ci_low[1])


def test_no_abandonment_gives_an_empty_curve() -> None:
    km = kaplan_meier([1.0, 2.0], [False, False])
    assert km.time_minutes.size == 0 and km.survival_at([5.0]).tolist() == [1.0]


def test_the_curve_covers_a_known_exponential_survival_under_heavy_censoring() -> None:
    """Patience exponential of mean 10, served after exponential times of mean 3: at
    t = 1, 2, 5 the curve is within Z Greenwood se of exp(-t / 10), and its interval
    at level(Z) covers it."""
    rng = np.random.default_rng(31)
    patience, service_wait = rng.exponential(10, 20000), rng.exponential(3, 20000)
    km = kaplan_meier(np.minimum(patience, service_wait), patience < service_wait, level_for_z(Z))
    for t in (1.0, 2.0, 5.0):
        i = np.searchsorted(km.time_minutes, t, side="right") - 1
        truth = math.exp(-t / 10)
        assert abs(km.survival[i] - truth) <= Z * km.se[i] + 1e-3  # + the step's own width
        assert km.ci_low[i] - 1e-3 <= truth <= km.ci_high[i] + 1e-3
        assert km.se[i] < 0.01
