"""The channel rules the simulator and the optimiser share: servers over the day,
installed machines, success by segment, the cost of a transaction."""

from __future__ import annotations

import pytest

from sim.arrivals import expected_arrivals
from sim.channel_rules import (
    installed_machines,
    server_minutes,
    servers_at,
    success_probability,
    unit_cost,
)
from sim.scenario import (
    Arrivals,
    Channel,
    ChannelKind,
    Distribution,
    DistributionKind,
    Scenario,
    Segment,
    TransactionType,
)


def test_a_channel_that_sets_no_servers_has_one() -> None:
    assert Channel().servers is None
    assert servers_at(Channel(), 0.0) == 1
    assert servers_at(Channel(servers=4), 125.0) == 4


def test_a_schedule_repeats_after_its_last_slot() -> None:
    spec = Channel(schedule=[2, 5, 3], schedule_slot_minutes=60.0)
    assert [servers_at(spec, t) for t in (0.0, 59.9, 60.0, 150.0, 180.0, 245.0)] == \
        [2, 2, 5, 3, 2, 5]
    assert server_minutes(spec, 30.0, 150.0) == 2 * 30 + 5 * 60 + 3 * 30


def test_a_kiosk_has_the_most_machines_its_schedule_switches_on() -> None:
    assert installed_machines(Channel(kind=ChannelKind.kiosk, schedule=[1, 4, 2])) == 4
    assert installed_machines(Channel(kind=ChannelKind.kiosk, servers=3)) == 3
    assert installed_machines(Channel(kind=ChannelKind.kiosk)) == 1


def test_digital_skill_scales_success_on_self_service_only() -> None:
    scenario = Scenario(
        channels={"teller": Channel(kind=ChannelKind.counter),
                  "kiosk": Channel(kind=ChannelKind.kiosk)},
        transactions={"pay": TransactionType(
            service={"teller": Distribution(DistributionKind.exponential, mean_minutes=4.0),
                     "kiosk": Distribution(DistributionKind.exponential, mean_minutes=2.0)},
            success={"teller": 0.99, "kiosk": 0.9})},
        segments={"elderly": Segment(self_service_success_factor=0.5, mix={"pay": 1.0})})
    elderly = scenario.segments["elderly"]
    assert success_probability(scenario, elderly, "pay", "kiosk") == pytest.approx(0.45)
    assert success_probability(scenario, elderly, "pay", "teller") == pytest.approx(0.99)


def test_a_transaction_costs_its_fee_plus_the_server_time_it_takes() -> None:
    spec = Channel(cost_per_transaction=0.5, cost_per_server_hour=30.0)
    assert unit_cost(spec, Distribution(DistributionKind.exponential, mean_minutes=6.0)) == \
        pytest.approx(0.5 + 30.0 * 6.0 / 60.0)


def test_expected_arrivals_integrate_the_profile_over_any_window() -> None:
    arrivals = Arrivals(rate_per_minute=[1.0, 2.0], slot_minutes=60.0)  # 180 a 2-hour day
    assert expected_arrivals(arrivals, 60.0, 30.0) == pytest.approx(30.0)
    assert expected_arrivals(arrivals, 90.0, 30.0) == pytest.approx(30.0 + 60.0)
    assert expected_arrivals(arrivals, 30.0 + 5 * 120.0, 30.0) == pytest.approx(5 * 180.0)
    assert expected_arrivals(arrivals, 10.0, 10.0) == 0.0


def test_a_fractional_schedule_value_is_a_time_average_realised_within_its_slot() -> None:
    spec = Channel(schedule=[2.5, 1.25, 3.0], schedule_slot_minutes=60.0)
    # 2 for the first half of slot 0, then 3; 1 for 3/4 of slot 1, then 2
    assert [servers_at(spec, t) for t in (0.0, 29.9, 30.0, 60.0, 104.9, 105.0, 150.0)] == \
        [2, 2, 3, 1, 1, 2, 3]
    assert server_minutes(spec, 0.0, 180.0) == pytest.approx(60 * (2.5 + 1.25 + 3.0))
    assert server_minutes(spec, 180.0, 240.0) == pytest.approx(60 * 2.5)  # the next day
    assert installed_machines(Channel(kind=ChannelKind.kiosk, schedule=[1.5, 2.25])) == 3
