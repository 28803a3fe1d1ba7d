"""Time-varying Poisson arrivals: piecewise-constant rate profiles and the next arrival time."""

from __future__ import annotations

import math

from sim.scenario import MINUTES_PER_HOUR, Arrivals


def rate_profile(arrivals: Arrivals) -> tuple[list[float], float]:
    """(rate per minute for each slot, slot length in minutes) from either form of profile."""
    if arrivals.daily_volume is None:
        return list(arrivals.rate_per_minute), arrivals.slot_minutes
    shape = arrivals.hourly_shape
    total = sum(shape)
    return [arrivals.daily_volume * w / total / MINUTES_PER_HOUR for w in shape], MINUTES_PER_HOUR


def expected_arrivals(arrivals: Arrivals, end: float, start: float = 0.0) -> float:
    """Expected arrivals of one segment over ``[start, end)``: the integral of its
    piecewise-constant rate profile, which repeats after its last slot. The simulator's
    size check and the optimiser's planning rates (per slot) both read it here."""
    rates, slot = rate_profile(arrivals)
    if not rates or end <= start:
        return 0.0
    period = len(rates) * slot
    full = math.floor((end - start) / period)
    start += full * period  # whole days at once: a long horizon is not walked slot by slot
    area = 0.0
    for i in range(int(start // slot), math.ceil(end / slot)):
        overlap = min(end, (i + 1) * slot) - max(start, i * slot)
        area += rates[i % len(rates)] * max(0.0, overlap)
    return full * sum(rates) * slot + area if full else area


class ArrivalClock:
    """Inverts the cumulative rate: given an Exp(1) draw, the next arrival after ``t``.

    Exact for a piecewise-constant rate (memorylessness lets the unused part of the draw
    carry across a slot boundary).  The profile repeats after its last slot.
    """

    def __init__(self, rates_per_minute: list[float], slot_minutes: float) -> None:
        self.rates, self.slot = rates_per_minute, slot_minutes
        self.never = not any(r > 0 for r in rates_per_minute)
        self.constant = rates_per_minute[0] if len(set(rates_per_minute)) == 1 else None

    def next_after(self, t: float, exp1: float) -> float:
        """The minute of the next arrival after minute ``t``, given ``exp1``, one Exp(1)
        draw: where the rate integrated from ``t`` reaches ``exp1``.  Slots of rate 0 are
        skipped; ``math.inf`` when every slot's rate is 0 (nobody ever arrives)."""
        if self.never:
            return math.inf
        if self.constant is not None:
            return t + exp1 / self.constant
        rates, slot, n = self.rates, self.slot, len(self.rates)
        i = int(t // slot)
        while True:
            end = (i + 1) * slot
            if end > t:  # (t // slot may round down at a boundary; then move on a slot)
                rate = rates[i % n]
                if rate > 0:
                    dt = exp1 / rate
                    if t + dt < end:
                        return t + dt
                    exp1 -= (end - t) * rate
                t = end
            i += 1
