"""Campaigns: response curves by hand, and the choice shift the simulator applies for them."""

from __future__ import annotations

import math

import pytest

from sim.campaigns import response
from sim.choice import shift_for_uplift, staffed_share
from sim.experiment import estimate, run_experiment
from sim.scenario import (
    Arrivals,
    Campaign,
    Channel,
    ChannelKind,
    Distribution,
    ResponseCurve,
    ResponseKind,
    RunSettings,
    Scenario,
    Segment,
    Switching,
    TransactionType,
)


def test_the_exponential_response_saturates_at_its_maximum() -> None:
    curve = ResponseCurve(kind=ResponseKind.exponential, max_uplift=0.2, scale_units=10)
    assert response(curve, 10) == pytest.approx(0.2 * (1 - math.exp(-1)))
    assert response(curve, 0) == 0
    assert response(curve, 1e6) == pytest.approx(0.2)


def test_the_hill_response_gives_half_its_maximum_at_the_scale() -> None:
    curve = ResponseCurve(kind=ResponseKind.hill, max_uplift=0.3, scale_units=4, hill_exponent=0.5)
    assert response(curve, 4) == pytest.approx(0.15)
    assert response(curve, 16) == pytest.approx(0.3 * 2 / 3)


def test_breakpoints_interpolate_linearly_and_hold_after_the_last() -> None:
    curve = ResponseCurve(kind=ResponseKind.breakpoints, units=[0, 10, 30], uplift=[0, 0.1, 0.15])
    assert response(curve, 5) == pytest.approx(0.05)
    assert response(curve, 20) == pytest.approx(0.125)
    assert response(curve, 50) == pytest.approx(0.15)


def test_the_shift_for_an_uplift_matches_the_two_option_logit_by_hand() -> None:
    # staffed utility 0.5, promoted 0: p = 1 / (1 + e^0.5); the shift that adds 0.1 is
    # logit(p + 0.1) - logit(p), with logit(q) = ln(q / (1 - q)).
    p = 1 / (1 + math.exp(0.5))
    expected = math.log((p + 0.1) / (0.9 - p)) - math.log(p / (1 - p))
    choice_sets = [(1.0, [0.5, 0.0], [False, True], [True, False])]
    assert shift_for_uplift(choice_sets, 0.1) == pytest.approx(expected, abs=1e-8)


def test_the_uplift_is_taken_from_staffed_choices_with_a_third_option_by_hand() -> None:
    # staffed 0.5, promoted 0, other self-service 0.2: the staffed share must fall by 0.1;
    # e^(0 + d) = e^0.5 / (p - 0.1) - e^0.5 - e^0.2 with p the staffed share today
    e_s, e_p, e_o = math.exp(0.5), 1.0, math.exp(0.2)
    p = e_s / (e_s + e_p + e_o)
    expected = math.log(e_s / (p - 0.1) - e_s - e_o)
    choice_sets = [(1.0, [0.5, 0.0, 0.2], [False, True, False], [True, False, False])]
    assert shift_for_uplift(choice_sets, 0.1) == pytest.approx(expected, abs=1e-8)


def test_the_shift_is_capped_where_no_staffed_choice_is_left() -> None:
    # half the mix can use the promoted channel at all; an uplift of 0.9 is out of reach
    choice_sets = [(0.5, [0.0, 0.0], [False, True], [True, False]),
                   (0.5, [0.0], [False], [True])]
    shift = shift_for_uplift(choice_sets, 0.9)
    assert staffed_share(choice_sets, shift) == pytest.approx(0.0, abs=1e-6)


def two_channel_world(units: float) -> Scenario:
    """A segment choosing between an ample counter (preference 0.5) and a web channel."""
    service = Distribution(mean_minutes=2.0)
    return Scenario(
        name="campaign",
        channels={"counter": Channel(kind=ChannelKind.counter, servers=100),
                  "web": Channel(kind=ChannelKind.online)},
        transactions={"pay": TransactionType(service={"counter": service, "web": service})},
        segments={"all": Segment(arrivals=Arrivals(rate_per_minute=[2.0]), mix={"pay": 1.0},
                                 preference={"counter": 0.5})},
        campaigns={"push": Campaign(
            channels=["web"], unit_cost=1.0, max_units=100, units={"all": units},
            response=ResponseCurve(kind=ResponseKind.exponential, max_uplift=0.2, scale_units=10))},
        switching=Switching(enabled=False),
    )


def test_a_campaign_raises_the_simulated_share_of_the_promoted_channel_by_its_uplift() -> None:
    run = RunSettings(horizon_minutes=600, replications=10, seed=5)
    result = run_experiment(two_channel_world(10.0), run, progress=False)
    share = estimate(r.channels["web"]["arrivals"] / r.kpis["journeys"] for r in result.replications)
    expected = 1 / (1 + math.exp(0.5)) + 0.2 * (1 - math.exp(-1))
    # 12,000 journeys: standard error of a share about 0.0046; allow 4.5 of them
    assert share.mean == pytest.approx(expected, abs=0.021)
    assert share.half_width < 0.021
