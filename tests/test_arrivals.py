"""sim.arrivals: rate profiles and the exact inversion of a piecewise-constant cumulative rate.

The arrival after t for an Exp(1) draw e is the first s > t with Lambda(s) - Lambda(t) = e,
Lambda the integral of the rate; the expected times below integrate the profile by hand.
"""

from __future__ import annotations

import math
import sys
from contextlib import contextmanager
from types import CodeType, FrameType
from typing import Any, Callable, Iterator, Optional

import numpy as np
import pytest

from sim.arrivals import ArrivalClock, rate_profile
from sim.scenario import Arrivals

# 10-minute slots: 0.5 per minute, closed, 2 per minute; the cycle is 30 minutes and
# carries 5 + 0 + 20 = 25 expected arrivals
RATES = [0.5, 0.0, 2.0]
SLOT = 10.0


def test_rate_profile_spreads_a_daily_volume_over_the_hourly_shape_per_minute() -> None:
    # weights sum to 8: hour i gets 1200 * w_i / 8 arrivals, i.e. 2.5 * w_i per minute
    arrivals = Arrivals(daily_volume=1200.0, hourly_shape=[1.0, 2.0, 3.0, 0.0, 2.0])
    rates, slot = rate_profile(arrivals)
    assert slot == 60.0
    assert rates == pytest.approx([2.5, 5.0, 7.5, 0.0, 5.0], rel=1e-12)
    assert sum(r * 60.0 for r in rates) == pytest.approx(1200.0, rel=1e-12)


def test_rate_profile_ignores_slot_minutes_for_an_hourly_shape() -> None:
    rates, slot = rate_profile(Arrivals(daily_volume=90.0, hourly_shape=[1.0, 2.0], slot_minutes=15.0))
    assert slot == 60.0
    assert rates == pytest.approx([0.5, 1.0], rel=1e-12)  # 30 and 60 arrivals per hour


def test_rate_profile_passes_a_per_minute_profile_through_with_its_slot_length() -> None:
    rates, slot = rate_profile(Arrivals(rate_per_minute=[0.2, 0.0, 1.5], slot_minutes=15.0))
    assert rates == [0.2, 0.0, 1.5]
    assert slot == 15.0


def test_an_arrival_within_the_current_slot_is_t_plus_e_over_the_rate() -> None:
    clock = ArrivalClock(RATES, SLOT)
    assert clock.next_after(0.0, 2.0) == pytest.approx(4.0)  # 2 / 0.5
    assert clock.next_after(3.0, 1.0) == pytest.approx(5.0)
    assert clock.next_after(22.0, 3.0) == pytest.approx(23.5)  # 3 / 2 in the busy slot


def test_the_unused_part_of_the_draw_carries_across_a_boundary_and_skips_a_closed_slot() -> None:
    clock = ArrivalClock(RATES, SLOT)
    # from 6: 4 minutes at 0.5 use 2 of the 3; nothing in [10, 20); the last 1 at rate 2
    assert clock.next_after(6.0, 3.0) == pytest.approx(20.5)


def test_a_draw_starting_in_a_closed_slot_waits_for_the_next_open_one() -> None:
    clock = ArrivalClock(RATES, SLOT)
    assert clock.next_after(15.0, 4.0) == pytest.approx(22.0)  # 20 + 4 / 2


def test_the_profile_repeats_after_its_last_slot() -> None:
    clock = ArrivalClock(RATES, SLOT)
    # from 25: 5 minutes at 2 use 10 of 12; the remaining 2 at 0.5 in the next cycle's slot 0
    assert clock.next_after(25.0, 12.0) == pytest.approx(34.0)
    # 51 = two full cycles (25 each) and 1 more: 1 / 0.5 = 2 minutes into the third cycle
    assert clock.next_after(0.0, 51.0) == pytest.approx(62.0)
    # a start far into the day behaves as the same phase of the first cycle
    assert clock.next_after(300.0 + 6.0, 3.0) == pytest.approx(300.0 + 20.5)


def test_a_constant_profile_gives_t_plus_e_over_the_rate() -> None:
    clock = ArrivalClock([0.25], 60.0)
    assert clock.next_after(7.0, 1.5) == pytest.approx(13.0)
    # a profile of equal slots is the same constant rate
    assert ArrivalClock([0.25, 0.25, 0.25], 60.0).next_after(55.0, 2.0) == pytest.approx(63.0)


def test_a_profile_that_is_zero_everywhere_never_arrives() -> None:
    assert ArrivalClock([0.0], 60.0).next_after(0.0, 0.5) == math.inf
    assert ArrivalClock([0.0, 0.0, 0.0], 15.0).next_after(123.0, 0.001) == math.inf


# what sys.settrace takes: called on each event, it returns the tracer for the frame's next
Tracer = Callable[[FrameType, str, Any], Optional["Tracer"]]


class _TooManySteps(Exception):
    pass


@contextmanager
def _step_budget(code: CodeType, steps: int) -> Iterator[list[int]]:
    """Count the lines that frames running ``code`` execute, and raise _TooManySteps in
    them past ``steps``: a loop that would not end fails after a known amount of work,
    whatever the machine's speed. Yields the count, as a one-element list."""
    executed = [0]

    def count_lines(frame: FrameType, event: str, arg: Any) -> Tracer:
        if event == "line":
            executed[0] += 1
            if executed[0] > steps:
                raise _TooManySteps(f"{code.co_name} still running after {steps} lines")
        return count_lines

    def in_code(frame: FrameType, event: str, arg: Any) -> Tracer | None:
        return count_lines if frame.f_code is code else None

    previous = sys.gettrace()
    sys.settrace(in_code)
    try:
        yield executed
    finally:
        sys.settrace(previous)


def test_a_slot_length_that_is_not_exact_in_binary_still_gives_the_arrival() -> None:
    # k * slot // slot can round to k - 1 in floats (21.9 // 7.3 == 2.0); once this hung
    clock = ArrivalClock([1.0, 2.0, 3.0], 7.3)
    # the first cycle holds 7.3 * (1 + 2 + 3) = 43.8; 0.5 more at rate 1 is half a minute:
    # four slots visited, a few lines each, where a hang runs into the budget
    with _step_budget(ArrivalClock.next_after.__code__, 200) as executed:
        t = clock.next_after(0.0, 43.8 + 0.5)
    assert t == pytest.approx(21.9 + 0.5, abs=1e-9)
    assert 0 < executed[0] <= 200  # the budget counted the call, so a hang would have hit it


def test_arrivals_per_slot_match_rate_times_slot_length_over_many_cycles() -> None:
    # a Poisson count with mean m has standard deviation sqrt(m); allow 4.5 of them per count
    rates, slot = [0.5, 0.0, 2.0, 1.0], 10.0
    cycles = 1500
    cycle = slot * len(rates)
    horizon = cycles * cycle
    clock = ArrivalClock(rates, slot)
    rng = np.random.default_rng(20240611)
    times = []
    t = clock.next_after(0.0, rng.exponential())
    while t < horizon:
        times.append(t)
        t = clock.next_after(t, rng.exponential())
    phase = np.asarray(times) % cycle
    # half-slots, so that arrivals are also spread evenly within a slot
    half = slot / 2
    counts = np.bincount((phase // half).astype(int), minlength=2 * len(rates))
    expected = np.repeat(rates, 2) * half * cycles
    assert counts[2] == 0 and counts[3] == 0  # the closed slot gets nobody
    open_bins = expected > 0
    z = (counts[open_bins] - expected[open_bins]) / np.sqrt(expected[open_bins])
    assert np.all(np.abs(z) < 4.5), z
    # the per-slot totals, on the same 4.5 standard-error scale
    per_slot = counts.reshape(-1, 2).sum(axis=1)
    mean_slot = np.asarray(rates) * slot * cycles
    assert np.all(np.abs(per_slot - mean_slot) <= 4.5 * np.sqrt(mean_slot))
