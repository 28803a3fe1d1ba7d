"""A single slot's staffing in the plan equals the Erlang minimum found by looping over c."""

from __future__ import annotations

import math

import pytest

from optimize.data import PlanningData, SegmentData, StaffedSlot, staffing_levels
from optimize.formulation import build
from optimize.plan import extract_plan
from optimize.settings import OptimizeSettings
from optimize.solve import solve
from sim import theory
from sim.scenario import ChannelKind


def erlang_c_by_sum(c: int, load: float) -> float:
    """P(wait) in M/M/c from the textbook sum, independent of sim.theory."""
    if load >= c:
        return 1.0
    top = load**c / math.factorial(c) * c / (c - load)
    return top / (sum(load**k / math.factorial(k) for k in range(c)) + top)


def loop_min_staff(rate: float, mean: float, target: float, share: float) -> int:
    c = 1
    while erlang_c_by_sum(c, rate * mean) * math.exp(-(c / mean - rate) * target) > 1 - share \
            or rate * mean >= c:
        c += 1
    return c


def one_slot(rate: float, mean: float, target: float, share: float, patience: float = 0.0,
             base_staff: int = 0) -> PlanningData:
    slot = StaffedSlot(channel="counter", kind=ChannelKind.counter, slot=0, base_rate=rate,
                       rate_drop={}, mean_service_minutes=mean, patience_rate=patience,
                       target_wait_minutes=target, target_share=share, base_staff=base_staff,
                       staff_cost=1.0)
    slot.levels = staffing_levels(slot, rate)
    segment = SegmentData(completed=1.0, base_diversion=0.0, staffed_share=1.0,
                          max_diversion=0.0, rates_per_minute=[rate])
    return PlanningData(1, {"all": segment}, [], [slot], [], {}, {}, 0.8)


def planned_staff(data: PlanningData) -> int:
    settings = OptimizeSettings(budget=1e6, gap=0.0, check_replications=0)
    model = build(data, settings, settings.budget)
    result = solve(model.problem, settings)
    return extract_plan(model, result, "max_diversion", settings.budget).staff[("counter", 0)]


@pytest.mark.parametrize("rate, mean, target, share", [
    (0.5, 4.0, 1.0, 0.8), (2.0, 3.0, 0.5, 0.8), (6.3, 1.0, 0.25, 0.9),
    (9.0, 2.0, 0.33, 0.8), (15.0, 1.5, 0.0, 0.5), (1.0, 6.0, 5.0, 0.95)])
def test_single_slot_staff_equals_the_erlang_c_minimum(rate: float, mean: float, target: float,
                                                       share: float) -> None:
    assert planned_staff(one_slot(rate, mean, target, share)) == loop_min_staff(
        rate, mean, target, share)


@pytest.mark.parametrize("rate, mean, patience, target, share", [
    (3.0, 2.0, 0.5, 0.5, 0.8), (8.0, 4.0, 1.0 / 3, 0.33, 0.8)])
def test_single_slot_hotline_staff_is_the_first_count_meeting_erlang_a(
        rate: float, mean: float, patience: float, target: float, share: float) -> None:
    first = next(c for c in range(1, 500) if theory.erlang_a_service_level(
        c, rate, 1 / mean, patience, target) >= share)
    assert planned_staff(one_slot(rate, mean, target, share, patience)) == first


def test_the_staffing_steps_serve_their_rates_and_no_more() -> None:
    slot = one_slot(6.0, 1.0, 0.25, 0.8).staffed[0]
    levels = staffing_levels(slot, 2.0)
    assert levels[-1] == (loop_min_staff(6.0, 1.0, 0.25, 0.8), math.inf)  # serves today's rate
    assert levels[0][0] == loop_min_staff(2.0, 1.0, 0.25, 0.8)
    for (n, highest), (_, below) in zip(levels[1:-1], levels):
        assert loop_min_staff(highest * 0.999, 1.0, 0.25, 0.8) == n  # just under its top
        assert loop_min_staff(below * 1.001, 1.0, 0.25, 0.8) == n  # just past the step below
