"""sim.engine.metrics: the quantile sketch against numpy, and time-weighted areas against a
hand-written table of levels driven through a real ServerPool."""

from __future__ import annotations

import math

import numpy as np
import pytest
import simpy

from sim.engine.metrics import ChannelStats, JourneyStats, QuantileSketch
from sim.engine.pool import ServerPool

QS = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0]


# --- QuantileSketch ---------------------------------------------------------------------

def test_sketch_quantiles_are_within_the_relative_error_of_numpy_lower_quantiles() -> None:
    # the sketch returns the value at rank floor(q (n - 1)), numpy's method="lower", up to
    # its relative error (a log-bin of ratio (1 + a) / (1 - a), reported by its midpoint)
    x = np.random.default_rng(11).lognormal(mean=1.0, sigma=1.2, size=20_001)
    for alpha in (0.005, 0.02):
        sketch = QuantileSketch(relative_error=alpha)
        for v in x:
            sketch.add(float(v))
        assert sketch.count == len(x) and sketch.zeros == 0
        for q in QS:
            exact = float(np.quantile(x, q, method="lower"))
            assert abs(sketch.quantile(q) - exact) <= alpha * exact * (1 + 1e-9), (alpha, q)


def test_sketch_error_is_not_vacuous_a_coarse_sketch_is_off_by_about_its_error() -> None:
    # with a 10% error the median of a continuous sample is typically several per cent off,
    # so the bound above is a real constraint rather than an exact match by accident
    x = np.random.default_rng(12).lognormal(size=5001)
    sketch = QuantileSketch(relative_error=0.1)
    for v in x:
        sketch.add(float(v))
    errors = [abs(sketch.quantile(q) / np.quantile(x, q, method="lower") - 1) for q in QS]
    assert max(errors) <= 0.1 * (1 + 1e-9)
    assert max(errors) > 0.01


def test_sketch_counts_zero_waits_exactly() -> None:
    sketch = QuantileSketch()
    for _ in range(300):
        sketch.add(0.0)
    sketch.add(1e-13)  # below the zero threshold: a zero wait up to rounding
    for v in np.linspace(1.0, 7.0, 699):
        sketch.add(float(v))
    n = 1000
    assert sketch.zeros == 301 and sketch.count == n
    # ranks 0..300 are zeros: q (n - 1) < 301 <=> q < 301 / 999
    assert sketch.quantile(0.0) == 0.0
    assert sketch.quantile(300 / 999) == 0.0
    assert sketch.quantile(0.3) == 0.0
    # rank 301 is the smallest positive value, 1.0, up to the relative error
    assert sketch.quantile(301 / 999) == pytest.approx(1.0, rel=0.005)
    assert sketch.quantile(1.0) == pytest.approx(7.0, rel=0.005)


def test_an_all_zero_sketch_has_every_quantile_zero() -> None:
    sketch = QuantileSketch()
    for _ in range(10):
        sketch.add(0.0)
    assert [sketch.quantile(q) for q in (0.0, 0.5, 1.0)] == [0.0, 0.0, 0.0]


def test_an_empty_sketch_has_undefined_quantiles() -> None:
    sketch = QuantileSketch()
    assert math.isnan(sketch.quantile(0.5))
    assert math.isnan(sketch.quantile(0.0))


# --- ChannelStats areas -----------------------------------------------------------------

# The event script below on a pool that starts with 2 servers, and the levels it produces.
# "available" is the capacity, or the busy count while a removed server finishes its customer.
#   t=10 seize, t=20 seize, t=30 join, t=50 join, t=70 release (a waiting customer starts),
#   t=80 capacity 3 (the last waiting customer starts), t=100 capacity 1 (three still busy),
#   t=110 release, t=130 release, end at t=150.
LEVELS = [  # (start, end, busy, available, waiting)
    (0, 10, 0, 2, 0),
    (10, 20, 1, 2, 0),
    (20, 30, 2, 2, 0),
    (30, 50, 2, 2, 1),
    (50, 70, 2, 2, 2),
    (70, 80, 2, 2, 1),
    (80, 100, 3, 3, 0),
    (100, 110, 3, 3, 0),  # capacity 1, but three servers still working
    (110, 130, 2, 2, 0),
    (130, 150, 1, 1, 0),
]
END = 150.0


def hand_area(column: int, lo: float, hi: float) -> float:
    """Integral of one level over [lo, hi] from the table."""
    total = 0.0
    for row in LEVELS:
        a, b = max(row[0], lo), min(row[1], hi)
        if b > a:
            total += row[column] * (b - a)
    return total


def drive(stats: ChannelStats) -> ServerPool:
    env = simpy.Environment()
    pool = ServerPool(env, 2)
    stats.watch(env, pool)

    def at(t: float) -> None:
        env.run(until=t)

    at(10)
    assert pool.try_seize()
    at(20)
    assert pool.try_seize()
    at(30)
    pool.join()
    at(50)
    pool.join()
    at(70)
    pool.release()
    at(80)
    pool.set_capacity(3)
    at(100)
    pool.set_capacity(1)
    at(110)
    pool.release()
    at(130)
    pool.release()
    at(END)
    stats.advance()  # what ChannelState.finish does at the horizon
    assert (pool.busy, pool.capacity, pool.waiting) == (1, 1, 0)
    return pool


def test_the_hand_table_integrates_to_the_totals_worked_out_by_hand() -> None:
    # guards the table itself: 0+10+20+40+40+20+60+30+40+20, 160+90+40+20, 20+40+10
    assert hand_area(2, 0, END) == 280
    assert hand_area(3, 0, END) == 310
    assert hand_area(4, 0, END) == 70


def test_busy_capacity_and_queue_areas_integrate_the_levels_over_time() -> None:
    stats = ChannelStats(n_hours=3, warmup_minutes=0.0)
    drive(stats)
    assert stats.busy_area == pytest.approx(280.0)
    assert stats.capacity_area == pytest.approx(310.0)
    assert stats.queue_area == pytest.approx(70.0)


def test_hourly_areas_split_intervals_that_cross_an_hour_boundary() -> None:
    # [50, 70) and [110, 130) straddle minutes 60 and 120
    stats = ChannelStats(n_hours=3, warmup_minutes=0.0)
    drive(stats)
    busy = [hand_area(2, 60 * h, 60 * (h + 1)) for h in range(3)]
    cap = [hand_area(3, 60 * h, 60 * (h + 1)) for h in range(3)]
    assert busy == [90, 150, 40] and cap == [120, 150, 40]  # by hand, as a cross-check
    assert stats.hourly["busy_area"] == pytest.approx(busy)
    assert stats.hourly["capacity_area"] == pytest.approx(cap)


@pytest.mark.parametrize("warmup", [45.0, 80.0, 149.0])
def test_areas_start_at_the_end_of_the_warm_up(warmup: float) -> None:
    # 45 falls inside the interval [30, 50); 80 on an event; 149 inside the last interval
    stats = ChannelStats(n_hours=3, warmup_minutes=warmup)
    drive(stats)
    assert stats.busy_area == pytest.approx(hand_area(2, warmup, END))
    assert stats.capacity_area == pytest.approx(hand_area(3, warmup, END))
    assert stats.queue_area == pytest.approx(hand_area(4, warmup, END))


def test_warm_up_at_45_minutes_cuts_the_areas_to_hand_values() -> None:
    # busy from 45: 2*5 + 2*20 + 2*10 + 3*20 + 3*10 + 2*20 + 1*20 = 220
    stats = ChannelStats(n_hours=3, warmup_minutes=45.0)
    drive(stats)
    assert stats.busy_area == pytest.approx(220.0)
    assert stats.capacity_area == pytest.approx(2 * 35 + 3 * 30 + 2 * 20 + 1 * 20)
    assert stats.queue_area == pytest.approx(1 * 5 + 2 * 20 + 1 * 10)


def test_a_level_held_over_several_hours_is_split_across_all_of_them() -> None:
    env = simpy.Environment()
    pool = ServerPool(env, 4)
    stats = ChannelStats(n_hours=4, warmup_minutes=0.0)
    stats.watch(env, pool)
    env.run(until=30)
    pool.try_seize()
    pool.try_seize()
    env.run(until=170)  # two busy from 30 to 170: 30, 60, 50 minutes in hours 0, 1, 2
    stats.advance()
    assert stats.hourly["busy_area"] == pytest.approx([60.0, 120.0, 100.0, 0.0])
    assert stats.hourly["capacity_area"] == pytest.approx([240.0, 240.0, 200.0, 0.0])
    assert stats.busy_area == pytest.approx(280.0)


def test_time_beyond_the_last_hour_is_in_the_totals_but_not_in_the_hourly_split() -> None:
    env = simpy.Environment()
    pool = ServerPool(env, 1)
    stats = ChannelStats(n_hours=1, warmup_minutes=0.0)
    stats.watch(env, pool)
    pool.try_seize()  # at time 0, before any area accrues
    env.run(until=90)
    stats.advance()
    assert stats.busy_area == pytest.approx(90.0)
    assert stats.hourly["busy_area"] == pytest.approx([60.0])


def test_record_wait_counts_joins_waits_and_the_wait_sum_by_hour() -> None:
    stats = ChannelStats(n_hours=2, warmup_minutes=0.0)
    stats.record_wait(0.0, 0)
    stats.record_wait(3.0, 0)
    stats.record_wait(5.5, 1)
    assert (stats.joined, stats.waited) == (3, 2)
    assert stats.wait_sum == pytest.approx(8.5)
    assert stats.hourly["joined"] == [2, 1]
    assert stats.hourly["waited"] == [1, 1]
    assert stats.hourly["wait_sum"] == pytest.approx([3.0, 5.5])
    assert stats.sketch.zeros == 1 and stats.sketch.count == 3


# --- JourneyStats -----------------------------------------------------------------------

def test_journeys_in_system_area_integrates_the_count_from_the_warm_up() -> None:
    js = JourneyStats(warmup_minutes=10.0)
    # count: 1 on [0, 5), 2 on [5, 12), 1 on [12, 20), 2 on [20, 30), 1 on [30, 40), 0 after
    for now, delta in [(0, +1), (5, +1), (12, -1), (20, +1), (30, -1), (40, -1), (50, 0)]:
        js.change_in_system(now, delta)
    # from 10: 2*2 + 1*8 + 2*10 + 1*10 + 0*10 = 42
    assert js.system_area == pytest.approx(42.0)
    assert js.in_system == 0


def test_journeys_area_without_warm_up_starts_at_zero() -> None:
    js = JourneyStats(warmup_minutes=0.0)
    for now, delta in [(2, +1), (3, +1), (7, -1), (9, -1), (10, 0)]:
        js.change_in_system(now, delta)
    assert js.system_area == pytest.approx(1 * 1 + 2 * 4 + 1 * 2)


def test_journeys_area_is_zero_when_everything_happens_before_the_warm_up() -> None:
    js = JourneyStats(warmup_minutes=100.0)
    for now, delta in [(0, +1), (20, +1), (50, -1), (60, -1), (99, 0)]:
        js.change_in_system(now, delta)
    assert js.system_area == 0.0
