"""sim.choice: logit probabilities, the inverse-CDF draw and the announced-wait rule,
against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from sim.choice import draw_index, expected_wait_minutes, logit_probabilities


def test_logit_probabilities_sum_to_one() -> None:
    probs = logit_probabilities([0.3, -1.2, 2.5, 0.0, 0.7])
    assert sum(probs) == pytest.approx(1.0, abs=1e-12)
    assert all(p > 0 for p in probs)


def test_logit_probabilities_are_exp_v_over_the_sum_of_exp_v() -> None:
    # v = (0, ln 2, ln 3): weights 1, 2, 3 out of 6
    probs = logit_probabilities([0.0, math.log(2.0), math.log(3.0)])
    assert probs == pytest.approx([1 / 6, 2 / 6, 3 / 6], rel=1e-12)
    # v = (1, -1): e / (e + 1/e) and (1/e) / (e + 1/e)
    e = math.e
    assert logit_probabilities([1.0, -1.0]) == pytest.approx([e / (e + 1 / e), (1 / e) / (e + 1 / e)],
                                                             rel=1e-12)


def test_equal_utilities_give_equal_probabilities() -> None:
    assert logit_probabilities([0.4] * 4) == pytest.approx([0.25] * 4, rel=1e-12)


def test_logit_probabilities_do_not_change_when_a_constant_is_added_to_every_utility() -> None:
    base = [0.5, -0.25, 1.75]
    for shift in (-30.0, -1.0, 3.0, 250.0):
        assert logit_probabilities([v + shift for v in base]) == pytest.approx(
            logit_probabilities(base), rel=1e-12)


def test_logit_probabilities_are_finite_for_utilities_around_one_thousand() -> None:
    # exp(1000) overflows a float; the answer is that of (0, 1, -1): weights 1, e, 1/e
    probs = logit_probabilities([1000.0, 1001.0, 999.0])
    total = 1 + math.e + 1 / math.e
    assert all(math.isfinite(p) for p in probs)
    assert probs == pytest.approx([1 / total, math.e / total, (1 / math.e) / total], rel=1e-12)
    # and for very negative utilities, where every exp(v) would underflow to zero
    assert logit_probabilities([-1000.0, -1000.0]) == pytest.approx([0.5, 0.5], rel=1e-12)


def test_draw_index_picks_the_first_index_whose_cumulative_probability_exceeds_u() -> None:
    probs = [0.25, 0.5, 0.25]  # cumulative 0.25, 0.75, 1.0, exact in binary
    assert draw_index(probs, 0.0) == 0
    assert draw_index(probs, 0.2499) == 0
    assert draw_index(probs, 0.25) == 1  # a boundary belongs to the next interval
    assert draw_index(probs, 0.5) == 1
    assert draw_index(probs, 0.7499) == 1
    assert draw_index(probs, 0.75) == 2
    assert draw_index(probs, 0.9) == 2


def test_draw_index_skips_options_with_zero_probability() -> None:
    probs = [0.0, 0.5, 0.0, 0.5]
    assert draw_index(probs, 0.0) == 1
    assert draw_index(probs, 0.4999) == 1
    assert draw_index(probs, 0.5) == 3


def test_draw_index_returns_the_last_index_for_u_just_below_one_when_the_sum_rounds_low() -> None:
    probs = [0.1] * 10  # adds up to 0.9999999999999999 in floating point
    u = math.nextafter(1.0, 0.0)  # the largest float below 1, what a U[0, 1) draw can return
    assert sum(probs) <= u  # the case the fallback exists for
    assert draw_index(probs, u) == 9


def test_draw_index_for_u_just_below_one_with_an_exact_sum_is_the_last_index() -> None:
    assert draw_index([0.5, 0.25, 0.25], math.nextafter(1.0, 0.0)) == 2


def test_expected_wait_is_zero_while_a_server_is_free() -> None:
    assert expected_wait_minutes(waiting=0, busy=2, servers=3, mean_service_minutes=4.0) == 0.0
    assert expected_wait_minutes(waiting=0, busy=0, servers=1, mean_service_minutes=4.0) == 0.0


def test_expected_wait_spreads_the_work_ahead_over_the_servers() -> None:
    # all 3 servers busy, 4 waiting: the arrival is 5th in line, (4 + 1) * 6 / 3 = 10 minutes
    assert expected_wait_minutes(waiting=4, busy=3, servers=3, mean_service_minutes=6.0) == \
        pytest.approx(10.0)
    # nobody waiting, the single server busy: one service ahead
    assert expected_wait_minutes(waiting=0, busy=1, servers=1, mean_service_minutes=2.5) == \
        pytest.approx(2.5)
    # more busy than servers (a server leaving after its customer): still (w + 1) * s / c
    assert expected_wait_minutes(waiting=1, busy=3, servers=2, mean_service_minutes=3.0) == \
        pytest.approx(3.0)


def test_expected_wait_with_no_servers_is_infinite() -> None:
    assert expected_wait_minutes(waiting=0, busy=0, servers=0, mean_service_minutes=5.0) == math.inf
    assert expected_wait_minutes(waiting=3, busy=1, servers=0, mean_service_minutes=5.0) == math.inf
