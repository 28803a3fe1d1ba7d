"""Streaming statistics: counts, a quantile sketch and time-weighted areas, split by hour.

Nothing here keeps one record per customer; memory is fixed by the number of channels,
hours and (logarithmically) the range of waits.
"""

from __future__ import annotations

import math
from collections import Counter
from math import ceil, log
from typing import Any, Sequence

from sim.scenario import MINUTES_PER_HOUR


class QuantileSketch:
    """Quantiles within ``relative_error`` from log-spaced bins (the DDSketch idea);
    zero waits, the common case, are counted exactly."""

    def __init__(self, relative_error: float = 0.005) -> None:
        gamma = (1 + relative_error) / (1 - relative_error)
        self._log_gamma = math.log(gamma)
        self._gamma = gamma
        self.zeros = 0
        self.count = 0
        self.bins: Counter[int] = Counter()

    def add(self, x: float) -> None:
        """Count one value (a wait in minutes): at most 1e-12 as an exact zero, anything
        larger in its log-spaced bin."""
        self.count += 1
        if x <= 1e-12:
            self.zeros += 1
        else:
            k = ceil(log(x) / self._log_gamma)
            bins = self.bins
            bins[k] = bins.get(k, 0) + 1  # dict.get: Counter's own += costs a call more

    def merged(self, other: QuantileSketch) -> QuantileSketch:
        """The sketch of both samples: the same bins, so the quantiles are exactly those
        one sketch fed every value would give."""
        both = QuantileSketch()
        both._log_gamma, both._gamma = self._log_gamma, self._gamma
        both.zeros, both.count = self.zeros + other.zeros, self.count + other.count
        both.bins = self.bins + other.bins
        return both

    def quantile(self, q: float) -> float:
        """The value at rank ``q * (count - 1)``; NaN when empty."""
        if self.count == 0:
            return math.nan
        rank = q * (self.count - 1)
        seen = self.zeros
        if rank < seen:
            return 0.0
        for k in sorted(self.bins):
            seen += self.bins[k]
            if rank < seen:
                return 2 * self._gamma**k / (self._gamma + 1)  # bin midpoint in relative terms
        return 2 * self._gamma ** max(self.bins) / (self._gamma + 1)


HOURLY_COUNTS = ("arrivals", "joined", "served", "served_ivr", "abandoned", "balked", "failed",
                 "deflected", "waited", "within_target", "wait_sum", "wait_served_sum",
                 "wait_abandoned_sum", "started", "service_sum", "service_sq_sum")
HOURLY_AREAS = ("busy_area", "capacity_area")


class ChannelStats:
    """Per-channel counts and areas for one replication, for visits arriving after warm-up.

    Time-weighted areas (busy servers, available servers, queue length) cover the
    interval from warm-up to the horizon; the pool calls ``advance`` before each change.
    """

    def __init__(self, n_hours: int, warmup_minutes: float,
                 thresholds: Sequence[float] = ()) -> None:
        self.warmup = warmup_minutes
        self.thresholds = tuple(thresholds)  # extra service-level thresholds, minutes
        self.within = [0] * len(self.thresholds)  # served within each threshold
        self.arrivals = self.joined = self.served = self.served_ivr = 0
        self.balked = self.abandoned = self.failed = self.deflected = 0
        self.switched_in = self.switched_out = self.guided_out = 0
        self.redials = 0  # visits that were a caller ringing back after abandoning here
        self.in_system = 0
        self.waited = self.within_target = 0
        self.wait_sum = self.wait_served_sum = self.wait_abandoned_sum = 0.0
        self.handled = 0  # served or failed: attempts that cost a transaction fee
        # waits of those served and of those who abandoned; all who joined: both merged
        self.sketch_served, self.sketch_abandoned = QuantileSketch(), QuantileSketch()
        self.busy_area = self.capacity_area = self.queue_area = 0.0
        self.hourly = {key: [0.0] * n_hours for key in HOURLY_COUNTS + HOURLY_AREAS
                       + tuple(f"within_{i}" for i in range(len(self.thresholds)))}
        h = self.hourly  # the lists the hot paths add to, bound once
        self._busy_h, self._cap_h = h["busy_area"], h["capacity_area"]
        self._joined_h, self._wait_h, self._waited_h = h["joined"], h["wait_sum"], h["waited"]
        self._wait_served_h = h["wait_served_sum"]
        self._started_h, self._service_h = h["started"], h["service_sum"]
        self._service_sq_h = h["service_sq_sum"]
        self._n_hours = n_hours
        self._last = 0.0
        # advance's usual case: an interval inside [_hour_from, _hour_to], hour _hour
        self._hour, self._hour_from, self._hour_to = 0, math.inf, -math.inf

    @property
    def sketch(self) -> QuantileSketch:
        """The waits of everyone who joined: the served and abandoned sketches merged."""
        return self.sketch_served.merged(self.sketch_abandoned)

    def record_wait(self, wait: float, hour: int, served: bool = True) -> None:
        """A customer who joined the queue: their time in it, kept apart for those who were
        served (and counted within each extra threshold) and those who abandoned."""
        self.joined += 1
        self.wait_sum += wait
        self._joined_h[hour] += 1
        self._wait_h[hour] += wait
        if wait > 1e-12:
            self.waited += 1
            self._waited_h[hour] += 1
        if served:
            self.wait_served_sum += wait
            self.sketch_served.add(wait)
            self._wait_served_h[hour] += wait
            if self.thresholds:  # most channels report none: no loop on the hot path
                h = self.hourly
                for i, threshold in enumerate(self.thresholds):
                    if wait <= threshold:
                        self.within[i] += 1
                        h[f"within_{i}"][hour] += 1
        else:
            self.wait_abandoned_sum += wait
            self.sketch_abandoned.add(wait)
            self.hourly["wait_abandoned_sum"][hour] += wait

    def record_service(self, minutes: float, hour: int) -> None:
        """A service that starts: its drawn length, by the hour the visit arrived (the
        planning model reads the mean service of what servers really do, after the IVR
        and the choice have filtered the mix)."""
        self._started_h[hour] += 1
        self._service_h[hour] += minutes
        self._service_sq_h[hour] += minutes * minutes

    def watch(self, env: Any, pool: Any) -> None:
        """Keep the time-weighted areas of ``pool`` (a ServerPool) in simulated time."""
        self._env, self._pool = env, pool
        pool.on_change(self.advance)

    def advance(self) -> None:
        """Add the areas of the interval since the last call, at the levels it had."""
        now, last = self._env.now, self._last
        if now <= last:
            return
        self._last = now
        pool = self._pool
        busy, capacity = pool.busy, pool.capacity
        available = capacity if capacity > busy else busy  # a leaving server still works
        if self._hour_from <= last and now <= self._hour_to:  # the usual case: one hour
            span = now - last
            self.busy_area += busy * span
            self.capacity_area += available * span
            self.queue_area += pool.waiting * span
            self._busy_h[self._hour] += busy * span
            self._cap_h[self._hour] += available * span
            return
        self._advance_across(last, now, busy, available, pool.waiting)

    def _advance_across(self, last: float, now: float, busy: int, available: int,
                        waiting: int) -> None:
        """``advance`` over an interval that starts before the warm-up or crosses an hour;
        then the hour ``now`` is in becomes the one ``advance`` adds to directly."""
        if last >= self.warmup:
            span = now - last
            self.busy_area += busy * span
            self.capacity_area += available * span
            self.queue_area += waiting * span
        elif now > self.warmup:
            span = now - self.warmup
            self.busy_area += busy * span
            self.capacity_area += available * span
            self.queue_area += waiting * span
        t = last if last >= self.warmup else self.warmup  # hourly areas also start at warm-up
        busy_h, cap_h = self._busy_h, self._cap_h
        n = self._n_hours
        while t < now:
            hour = int(t // MINUTES_PER_HOUR)
            if hour >= n:
                break
            end = min(now, (hour + 1) * MINUTES_PER_HOUR)
            busy_h[hour] += busy * (end - t)
            cap_h[hour] += available * (end - t)
            t = end
        hour = int(now // MINUTES_PER_HOUR)
        if now >= self.warmup and hour < n:  # from here on, until the hour ends
            self._hour = hour
            self._hour_from = max(self.warmup, hour * MINUTES_PER_HOUR)
            self._hour_to = (hour + 1) * MINUTES_PER_HOUR


class JourneyStats:
    """Per-journey outcomes for journeys starting after warm-up."""

    def __init__(self, warmup_minutes: float) -> None:
        self.warmup = warmup_minutes
        self.started = self.completed = self.lost = 0
        self.lost_closed = 0  # lost because no channel for the transaction was open on arrival
        self.self_service = 0  # completed on a kiosk, online or in the IVR
        self.eligible = self.eligible_self_service = 0
        self.switched = 0  # journeys that used more than one channel
        self.guided = 0
        self.satisfaction_sum = 0.0
        self.duration_sum = 0.0  # minutes from arrival to the end, for Little's law
        # (segment, first choice, final channel or "lost") -> journeys
        self.flows: Counter[tuple[str, str, str]] = Counter()
        self.self_service_by_segment: Counter[str] = Counter()
        self.in_system = 0
        self.system_area = 0.0
        self._last = 0.0

    def change_in_system(self, now: float, delta: int) -> None:
        """The journeys in the system change by ``delta`` at minute ``now`` (+1 an arrival,
        -1 an end, 0 to close the area at the horizon); the time-weighted area of their
        number is kept from the warm-up on (``mean_in_system``: L of Little's law)."""
        start = self._last if self._last > self.warmup else self.warmup
        if now > start:
            self.system_area += self.in_system * (now - start)
        self._last = now
        self.in_system += delta
