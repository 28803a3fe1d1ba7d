"""sim.estimators.redials on a hand-made log whose answers are counted by hand, and on a
synthetic one with a known redial probability and exponential redial time."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.estimators.confidence import level_for_z, wilson_estimate
from sim.estimators.redials import REDIAL_HORIZON_MINUTES, estimate_redials, next_contact_gaps

Z = 4.0

# customer, arrival (minutes), abandoned
LOG = [("a", 0, True), ("a", 30, False),
       ("b", 10, True), ("b", 210, False),
       ("c", 20, True),
       ("d", 100, True), ("d", 150, True), ("d", 160, False),
       ("e", 250, True), ("e", 260, False)]


def test_the_hand_made_log_gives_the_hand_counted_answers() -> None:
    """Horizon 120 minutes, log observed until minute 300.  Abandoned: a@0, b@10, c@20,
    d@100, d@150, e@250 (6).  e@250 has only 50 minutes of follow-up: unobserved, so 5
    are eligible.  Redialled within 120: a (after 30), d@100 (after 50), d@150 (after
    10) = 3; b called back after 200 (too late), c never.  Probability 3/5, mean gap 30.

    The curve of time to the next contact over all 6: events at 30 (a), 200 (b), 50
    (d@100), 10 (d@150), 10 (e@250, within its 50 minutes); c censored at 280.
    t = 10: 6 at risk, 2 events -> 4/6; t = 30: 4 at risk -> 4/6 x 3/4 = 1/2; t = 50: 3 at
    risk -> 1/3; t = 200: 2 at risk (b, c) -> 1/6."""
    customer, arrival, abandoned = zip(*LOG)
    est = estimate_redials(customer, arrival, abandoned, horizon_minutes=120, observed_until_minutes=300)
    assert (est.abandoned, est.unobserved, est.eligible, est.redialled) == (6, 1, 5, 3)
    assert est.probability == wilson_estimate(3, 5)
    assert est.mean_gap_minutes.value == pytest.approx(30)
    assert est.mean_gap_minutes.se == pytest.approx(np.std([30, 50, 10], ddof=1) / math.sqrt(3))
    assert est.curve.time_minutes.tolist() == [10, 30, 50, 200]
    assert est.curve.at_risk.tolist() == [6, 4, 3, 2]
    assert est.curve.survival == pytest.approx([4 / 6, 1 / 2, 1 / 3, 1 / 6])
    assert est.exponential is not None and est.lognormal is not None


def test_the_next_contact_is_the_customers_first_later_one_with_ties_in_row_order() -> None:
    gaps = next_contact_gaps(["x", "y", "x", "x", "y"], [10.0, 0.0, 5.0, 10.0, 3.0])
    # x: 5 -> 10 (row 0, the first of the tie), 10 (row 0) -> 10 (row 3), row 3 last
    assert gaps[[2, 0, 1]].tolist() == [5.0, 0.0, 3.0]
    assert math.isnan(gaps[3]) and math.isnan(gaps[4])


def test_the_default_horizon_is_a_day_and_a_short_log_then_has_nobody_eligible() -> None:
    assert REDIAL_HORIZON_MINUTES == 1440
    customer, arrival, abandoned = zip(*LOG)
    est = estimate_redials(customer, arrival, abandoned)
    assert est.eligible == 0 and math.isnan(est.probability.value)
    assert est.probability.ci_low == 0 and est.probability.ci_high == 1


def test_a_known_redial_probability_and_redial_time_are_recovered() -> None:
    """3,000 customers over 30 days abandon once each at a random time; 40% call again
    after an exponential time of mean 20 minutes.  Horizon 24 h, so a redial that
    happens is always within it (the truncation at the horizon is negligible)."""
    rng = np.random.default_rng(61)
    n = 3000
    first = rng.uniform(0, 29 * 1440, n)
    again = rng.random(n) < 0.4
    gap = rng.exponential(20.0, n)
    customer = np.concatenate([np.arange(n), np.arange(n)[again]])
    arrival = np.concatenate([first, (first + gap)[again]])
    abandoned = np.concatenate([np.ones(n, bool), np.zeros(again.sum(), bool)])
    est = estimate_redials(customer, arrival, abandoned, observed_until_minutes=30 * 1440,
                           level=level_for_z(Z))
    assert est.eligible == n and est.probability.covers(0.4)
    assert est.probability.se < 0.02
    assert abs(est.mean_gap_minutes.value - 20) <= Z * est.mean_gap_minutes.se
    assert est.exponential is not None and est.exponential.mean_minutes.covers(20.0)
    assert est.best_family == "exponential"
