"""Agents present per interval: measured from agent activity (who served whom, when) with a
stated correction for idle agents, or read from a roster.

What activity shows: the busy agent-minutes B of each interval of length L (the exact
overlap of every service with it), hence the mean number busy B / L, a lower bound on the
agents present; and the distinct agents seen serving in it, D, roughly an upper bound
(an agent seen counts as present for the whole interval; one present who served nobody
is missed, which a loaded interval makes unlikely).  The agents present are
B / (L x occupancy), and the occupancy is what activity does not show.  Three ways:

- ``occupancy`` given (from the operator's reports: e.g. 0.85 for a loaded centre);
- from the busiest intervals (the default): the pooled B / (L x D) over the share
  ``busiest_share`` of intervals with the most agents busy, where D is closest to the
  agents present; applied to every interval.  Limit: quiet intervals run at a lower
  occupancy than busy ones, so their agents are underestimated by the ratio of the two
  occupancies; compare with D, reported alongside.  A floor helps: at least as many
  agents were there as served at one moment (the peak of services in progress, P), so
  the estimate is max(B / (L x occupancy), P); P overstates the time average only where
  staffing fell within the interval;
- while callers queue (given queue entry and exit times): a work-conserving pool has
  every present agent busy whenever someone waits, so the agents present are the mean
  number busy over the minutes with a queue, exact when staffing is constant in the
  interval however short the queued time.  Used wherever the queue was non-empty for at
  least ``min_queued_share`` of the interval (1%: 36 s of an hour, which keeps out
  queues that are only the rounding of log times), the occupancy method elsewhere.
  Limits: agents in after-call work or serving another skill's queue count as absent,
  and an interval whose staffing changes is read at the times with a queue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
from numpy.typing import ArrayLike

from sim.estimators.grid import check_grid, interval_count, interval_edges, interval_lengths
from sim.estimators.inputs import FloatArray, IntArray, as_minutes, readonly, same_length

BUSIEST_SHARE = 0.25  # of the intervals, for the occupancy
MIN_QUEUED_SHARE = 0.01  # of an interval's minutes with a queue, to read agents from them


@dataclass(frozen=True, eq=False)
class AgentActivity:
    """What the service records show per interval (arrays, one element per interval):
    ``busy_minutes`` (agent-minutes serving, exact overlap with the interval),
    ``distinct_agents`` seen serving in it, and with queue times given
    ``queued_minutes`` (minutes with at least one caller waiting) and
    ``busy_while_queued_minutes`` (agent-minutes serving during those minutes), else None;
    ``peak_busy``: the most services in progress at one moment."""

    start_minutes: FloatArray
    length_minutes: FloatArray
    busy_minutes: FloatArray
    distinct_agents: IntArray
    queued_minutes: Optional[FloatArray]
    busy_while_queued_minutes: Optional[FloatArray]
    peak_busy: Optional[FloatArray] = None

    @property
    def mean_busy(self) -> FloatArray:
        """The mean number of agents serving (busy minutes / interval length)."""
        return np.asarray(self.busy_minutes / self.length_minutes, dtype=float)


@dataclass(frozen=True, eq=False)
class AgentsByInterval:
    """Agents present per interval (a time average: 7.5 means 7 all the interval and an
    8th half of it), with ``lower_bound`` (the mean number busy) and ``upper_bound`` (the
    distinct agents seen; equal to ``agents`` for a roster).  ``occupancy``: the one used
    for intervals not read from queued time (None for a roster); ``from_queue``: True
    where an interval was read from its queued minutes; ``method``: how, in one line."""

    start_minutes: FloatArray
    length_minutes: FloatArray
    agents: FloatArray
    lower_bound: FloatArray
    upper_bound: FloatArray
    occupancy: Optional[float]
    from_queue: np.ndarray
    method: str


def _sweep(edges: FloatArray, *series: tuple[FloatArray, FloatArray]
           ) -> tuple[IntArray, FloatArray, list[FloatArray]]:
    """Step functions counting open spells, cut at the interval edges.

    Each series is (starts, ends) of spells [start, end); returns the interval of each
    segment between consecutive breakpoints (-1 or n outside [0, H)), the segments'
    lengths and, per series, the number of its spells open on each segment.  O(m log m)
    in the number of breakpoints, so a month of contacts on a month-long grid is cheap."""
    times = np.concatenate([edges, *[np.concatenate(pair) for pair in series]])
    points, where = np.unique(times, return_inverse=True)
    where = where.reshape(-1)
    counts: list[FloatArray] = []
    offset = edges.size
    for starts, ends in series:
        change = np.zeros(times.size)
        change[offset:offset + starts.size] = 1.0
        change[offset + starts.size:offset + starts.size + ends.size] = -1.0
        offset += starts.size + ends.size
        counts.append(np.cumsum(np.bincount(where, weights=change, minlength=points.size))[:-1]
                      .astype(np.float64))
    segment = np.searchsorted(edges, points[:-1], side="right") - 1
    return segment.astype(np.int64), np.diff(points).astype(np.float64), counts


def _per_interval(segment: IntArray, values: FloatArray, n: int) -> FloatArray:
    """Sum ``values`` of the segments inside [0, H) by interval."""
    inside = (segment >= 0) & (segment < n)
    return np.bincount(segment[inside], weights=values[inside], minlength=n)[:n].astype(float)


def _open_minutes(start: FloatArray, end: FloatArray, interval_minutes: float,
                  horizon_minutes: float) -> FloatArray:
    """The spell-minutes of [start, end) spells in each interval (their exact overlaps)."""
    edges = interval_edges(interval_minutes, horizon_minutes)
    segment, length, (open_spells,) = _sweep(edges, (start, end))
    return _per_interval(segment, length * open_spells, edges.size - 1)


def _spells(start: ArrayLike, end: ArrayLike, what: str) -> tuple[FloatArray, FloatArray]:
    s, e = as_minutes(start, f"{what}_start"), as_minutes(end, f"{what}_end")
    same_length(f"{what}_end", e, s.size)
    if np.any(e < s):
        raise ValueError(f"{what}_end must not precede {what}_start ({int((e < s).sum())} do)")
    return s, e


def peak_busy_by_interval(start_minutes: ArrayLike, end_minutes: ArrayLike,
                          interval_minutes: float, horizon_minutes: float) -> FloatArray:
    """The most services in progress at one moment of each interval (0 where none): at
    least that many agents were there then."""
    s, e = _spells(start_minutes, end_minutes, "service")
    edges = interval_edges(interval_minutes, horizon_minutes)
    segment, _, (open_spells,) = _sweep(edges, (s, e))
    n = edges.size - 1
    peak = np.zeros(n)
    inside = (segment >= 0) & (segment < n)
    np.maximum.at(peak, segment[inside], open_spells[inside])
    return peak


def busy_minutes_by_interval(start_minutes: ArrayLike, end_minutes: ArrayLike,
                             interval_minutes: float, horizon_minutes: float) -> FloatArray:
    """Agent-minutes of service in each interval: the sum over services of the length of
    [start, end) within the interval (a service from 55 to 70 gives 5 minutes to [0, 60)
    and 10 to [60, 120)); what falls outside [0, H) is not counted."""
    s, e = _spells(start_minutes, end_minutes, "service")
    return _open_minutes(s, e, interval_minutes, horizon_minutes)


def distinct_agents_by_interval(start_minutes: ArrayLike, end_minutes: ArrayLike, agent: ArrayLike,
                                interval_minutes: float, horizon_minutes: float) -> IntArray:
    """The number of different agents seen serving in each interval: those with a service
    overlapping it for a positive time, or a service of length 0 starting in it."""
    s, e = _spells(start_minutes, end_minutes, "service")
    ids = np.asarray(agent)
    same_length("agent", ids, s.size)
    codes = np.unique(ids, return_inverse=True)[1].reshape(-1).astype(np.int64)
    edges = interval_edges(interval_minutes, horizon_minutes)
    n = edges.size - 1
    first = np.searchsorted(edges, s, side="right") - 1  # the interval holding the start
    last = np.where(e > s, np.searchsorted(edges, e, side="left") - 1, first)  # holding end - 0
    first, last = np.maximum(first, 0), np.minimum(last, n - 1)
    keep = (first <= last) & (s < horizon_minutes) & (e > 0) | ((s == e) & (s >= 0) & (s < horizon_minutes))
    first, last, codes = first[keep], last[keep], codes[keep]
    # one (agent, interval) pair for every interval a service touches
    spans = last - first + 1
    offsets = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
    intervals = np.repeat(first, spans) + offsets
    pairs = np.unique(np.repeat(codes, spans) * n + intervals)
    return np.bincount(pairs % n, minlength=n).astype(np.int64)


def queued_minutes_by_interval(service_start: ArrayLike, service_end: ArrayLike, queue_entry: ArrayLike,
                               queue_exit: ArrayLike, interval_minutes: float, horizon_minutes: float
                               ) -> tuple[FloatArray, FloatArray]:
    """(queued minutes, busy agent-minutes while queued) per interval: the minutes with at
    least one caller between queue entry and exit, and the agent-minutes of service
    during them.  A sweep over every start, end and interval edge: between two
    consecutive such times the number waiting and the number serving are constant."""
    s, e = _spells(service_start, service_end, "service")
    qs, qe = _spells(queue_entry, queue_exit, "queue")
    edges = interval_edges(interval_minutes, horizon_minutes)
    segment, length, (waiting, serving) = _sweep(edges, (qs, qe), (s, e))
    queued = length * (waiting > 0.5)
    n = edges.size - 1
    return _per_interval(segment, queued, n), _per_interval(segment, queued * serving, n)


def measure_agent_activity(service_start: ArrayLike, service_end: ArrayLike, agent: ArrayLike,
                           interval_minutes: float, horizon_minutes: float,
                           queue_entry: Optional[ArrayLike] = None,
                           queue_exit: Optional[ArrayLike] = None) -> AgentActivity:
    """Busy minutes, distinct agents and (with ``queue_entry`` and ``queue_exit`` of every
    caller who queued) the queued minutes per interval.  Times in minutes on the day's
    grid; one service per row of the first three arrays."""
    busy = busy_minutes_by_interval(service_start, service_end, interval_minutes, horizon_minutes)
    distinct = distinct_agents_by_interval(service_start, service_end, agent, interval_minutes,
                                           horizon_minutes)
    queued = busy_queued = None
    if (queue_entry is None) != (queue_exit is None):
        raise ValueError("give both queue_entry and queue_exit, or neither")
    if queue_entry is not None and queue_exit is not None:
        queued, busy_queued = queued_minutes_by_interval(service_start, service_end, queue_entry,
                                                         queue_exit, interval_minutes, horizon_minutes)
    return AgentActivity(
        start_minutes=readonly(interval_edges(interval_minutes, horizon_minutes)[:-1]),
        length_minutes=readonly(interval_lengths(interval_minutes, horizon_minutes)),
        busy_minutes=readonly(busy), distinct_agents=readonly(distinct, np.int64),
        queued_minutes=None if queued is None else readonly(queued),
        busy_while_queued_minutes=None if busy_queued is None else readonly(busy_queued),
        peak_busy=readonly(peak_busy_by_interval(service_start, service_end, interval_minutes,
                                                 horizon_minutes)))


def estimate_occupancy(activity: AgentActivity, busiest_share: float = BUSIEST_SHARE) -> float:
    """The share of present agents' time spent serving, read from the busiest intervals:
    sum of B / sum of L x D over the ceil(share x intervals) intervals with the highest
    mean number busy (at least one; only intervals where someone served), capped at 1:
    an agent recorded on overlapping services (parallel chats, or a data error) would put
    it above, and then the agents present are read as the services in progress.  Raises
    ValueError when nobody served at all."""
    if not 0.0 < busiest_share <= 1.0:
        raise ValueError(f"busiest_share must lie in (0, 1], got {busiest_share}")
    served = np.flatnonzero(activity.distinct_agents > 0)
    if served.size == 0:
        raise ValueError("no service in any interval: the occupancy cannot be estimated")
    take = max(1, math.ceil(busiest_share * served.size))
    order = served[np.argsort(-activity.mean_busy[served], kind="stable")][:take]
    return min(1.0, float(activity.busy_minutes[order].sum()
                          / (activity.length_minutes[order] * activity.distinct_agents[order]).sum()))


def estimate_agents_from_activity(activity: AgentActivity, occupancy: Optional[float] = None,
                                  busiest_share: float = BUSIEST_SHARE,
                                  min_queued_share: float = MIN_QUEUED_SHARE) -> AgentsByInterval:
    """Agents present per interval = busy minutes / (length x occupancy), the occupancy
    given or ``estimate_occupancy``'s; where ``activity`` has queue times and an interval
    had a queue for at least ``min_queued_share`` of its length, the mean number busy
    while someone queued instead (see the module's notes on each method's limits)."""
    if occupancy is None:
        occupancy = estimate_occupancy(activity, busiest_share)
        method = (f"busy minutes / occupancy {occupancy:.3f} "
                  f"(from the busiest {busiest_share:.0%} of intervals)")
    else:
        method = f"busy minutes / given occupancy {occupancy:.3f}"
    if not 0.0 < occupancy <= 1.0:
        raise ValueError(f"occupancy must lie in (0, 1], got {occupancy}")
    agents = activity.mean_busy / occupancy
    if activity.peak_busy is not None:  # at least as many as once served at the same time
        agents = np.maximum(agents, activity.peak_busy)
        method += ", at least the most serving at once"
    from_queue = np.zeros(agents.size, dtype=bool)
    if activity.queued_minutes is not None and activity.busy_while_queued_minutes is not None:
        from_queue = activity.queued_minutes >= min_queued_share * activity.length_minutes
        from_queue &= activity.queued_minutes > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            while_queued = activity.busy_while_queued_minutes / activity.queued_minutes
        agents = np.where(from_queue, while_queued, agents)
        method = (f"mean busy while callers queued (at least {min_queued_share:.0%} of the "
                  f"interval), else {method}")
    return AgentsByInterval(activity.start_minutes, activity.length_minutes, readonly(agents),
                            readonly(activity.mean_busy), readonly(activity.distinct_agents),
                            occupancy, readonly(from_queue, bool), method)


def agents_from_roster(agents: ArrayLike, interval_minutes: float, horizon_minutes: float
                       ) -> AgentsByInterval:
    """Agents present per interval as a roster states them (time averages, so 7.5 is
    allowed): one finite value >= 0 per interval of the grid, else ValueError."""
    check_grid(interval_minutes, horizon_minutes)
    values = as_minutes(agents, "roster agents")
    n = interval_count(interval_minutes, horizon_minutes)
    if values.size != n:
        raise ValueError(f"the roster gives {values.size} values for {n} intervals of "
                         f"{interval_minutes} minutes over {horizon_minutes}")
    if np.any(values < 0):
        raise ValueError(f"roster agents must not be negative (smallest {values.min()})")
    return AgentsByInterval(readonly(interval_edges(interval_minutes, horizon_minutes)[:-1]),
                            readonly(interval_lengths(interval_minutes, horizon_minutes)),
                            readonly(values), readonly(values), readonly(values), None,
                            readonly(np.zeros(n, dtype=bool), bool), "roster")


def agents_from_shifts(shift_start: ArrayLike, shift_end: ArrayLike, interval_minutes: float,
                       horizon_minutes: float) -> AgentsByInterval:
    """A roster given as shifts (one row per agent-shift, minutes on the day's grid): the
    agents present per interval are the shift-minutes in it over its length (a shift
    from 30 to 90 gives 0.5 agent to [0, 60) and to [60, 120))."""
    s, e = _spells(shift_start, shift_end, "shift")
    minutes = _open_minutes(s, e, interval_minutes, horizon_minutes)
    return agents_from_roster(minutes / interval_lengths(interval_minutes, horizon_minutes),
                              interval_minutes, horizon_minutes)
