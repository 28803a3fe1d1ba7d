"""What the journeys of one replication share: the clock, the switching and satisfaction
rules, the channels' statistics, the trace, and the customer-side vocabulary (``Option``,
``SegmentState``, ``choose``).

The journey (``sim.engine.journey``) reads only this context; ``Model`` is a context that
also builds the channels and segments and starts the arrival processes, so the journey
does not depend on the model that runs it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional

import simpy

from sim.arrivals import ArrivalClock
from sim.choice import draw_index, logit_probabilities
from sim.distributions import Sampler
from sim.engine.channels import ChannelState, GuideState
from sim.engine.metrics import ChannelStats, JourneyStats
from sim.scenario import RunSettings, Scenario, Segment, Steering

TraceRow = tuple[int, int, str, str, str, str, float, float, float, float]


@dataclass
class Option:
    """One channel a customer of a given segment and transaction type can use."""

    channel: ChannelState
    base_utility: float  # preference + promotion uplift - effort
    service: Sampler  # minutes, digital skill included
    success: float  # probability, digital skill included
    ivr_completion: float
    cost: float  # per transaction, for steering to the cheapest channel
    neighbour: bool = False  # a neighbouring branch's channel (a network): considered only
    # after a balk or abandonment, or when nothing of the customer's own is open


@dataclass
class SegmentState:
    """A segment in one replication: its arrival clock, its random streams and, for each
    transaction type, the options it may use."""

    name: str
    spec: Segment
    clock: ArrivalClock
    exp1: Sampler
    type_u: Sampler
    choice_u: Sampler
    decide_u: Sampler
    patience: Optional[Sampler]
    retry_delay: Optional[Sampler]
    redial_delay: Optional[Sampler]  # None: the segment never redials
    patience_factors: list[float]  # per slot of patience_slot minutes; [] = 1
    patience_slot: float
    types: list[str]
    type_shares: list[float]
    options: dict[str, list[Option]] = field(default_factory=dict)
    self_service_eligible: dict[str, bool] = field(default_factory=dict)
    has_neighbours: bool = False  # some option is a neighbouring branch's (a network)

    def draw_type(self) -> str:
        """The transaction type of a new arrival, drawn from the segment's mix (without a
        draw when the mix has one type)."""
        if len(self.types) == 1:
            return self.types[0]
        return self.types[draw_index(self.type_shares, self.type_u())]


def choose(seg: SegmentState, options: list[Option], tried: set[ChannelState],
           staffed_only: bool = False) -> Optional[Option]:
    """The channel a customer picks now among those open and not yet tried: the cheapest
    for a segment steered so, else a logit draw on utility minus the announced wait.  A
    network customer's first choice is among their own branch's and the shared channels,
    a neighbouring branch's only when none of those is open."""
    if len(options) == 1 and not staffed_only:
        only = options[0]
        return only if only.channel not in tried and only.channel.is_open() else None
    cands = []
    for o in options:  # ChannelState.is_open, inlined: a choice's hot loop
        ch = o.channel
        if (ch not in tried and (ch.always_open or ch.pool.capacity > 0)  # type: ignore[union-attr]
                and (ch.staffed or not staffed_only)):
            cands.append(o)
    if seg.has_neighbours and not tried and any(o.neighbour for o in cands):  # own first
        own = [o for o in cands if not o.neighbour]
        cands = own or cands
    if len(cands) <= 1:
        return cands[0] if cands else None
    if seg.spec.steering is Steering.cheapest:
        cheapest = min(o.cost for o in cands)
        cands = [o for o in cands if o.cost == cheapest]
        if len(cands) == 1:
            return cands[0]
    beta = seg.spec.wait_sensitivity_per_minute
    utilities = [o.base_utility - beta * o.channel.expected_wait() for o in cands]
    return cands[draw_index(logit_probabilities(utilities), seg.choice_u())]


class JourneyContext:
    """The state every journey of one replication reads and updates.

    ``journeys`` counts journeys that start after the warm-up; ``warmup_journeys`` (and
    ``warmup_stats`` per channel) are sinks for those before it. ``trace`` holds one row
    per visit event when ``run.trace`` is on, else None. ``channels``, ``guides`` (by
    branch) and ``success_u`` (a uniform stream per channel) are filled by ``Model``.
    """

    def __init__(self, scenario: Scenario, run: RunSettings, replication: int) -> None:
        self.env = simpy.Environment()
        self.replication = replication
        self.warmup = run.warmup_minutes
        self.switching = scenario.switching.enabled
        self.max_attempts = scenario.switching.max_attempts
        self.sat = scenario.satisfaction
        self.trace: Optional[list[TraceRow]] = [] if run.trace else None
        # with a trace: the visits under way, customer -> [segment, type, channel, queue
        # entry, service start], so those still going at the horizon get an in_progress row
        self.open_visits: dict[int, list[Any]] = {}
        self.next_customer = 0
        self.journeys = JourneyStats(self.warmup)
        self.warmup_journeys = JourneyStats(math.inf)  # sink for journeys before warm-up
        self.channels: dict[str, ChannelState] = {}
        self.warmup_stats: dict[str, ChannelStats] = {}
        self.guides: dict[str, GuideState] = {}
        self.success_u: dict[str, Sampler] = {}

    def stats_now(self, channel: ChannelState) -> ChannelStats:
        """Statistics of a visit starting now: counted after warm-up, a sink before it."""
        return channel.stats if self.env.now >= self.warmup else self.warmup_stats[channel.name]

    def record(self, customer: int, seg: str, ttype: str, channel: str, event: str,
               wait: float, queue_entry: float, service_start: float) -> None:
        """Append a row to the trace (call only when ``run.trace`` is on): replication,
        customer number, segment, transaction type, channel, the event (``arrive`` or the
        visit's outcome), the minute now, the visit's wait in minutes, the minute it joined
        the queue and the minute its service started (NaN where it never did)."""
        assert self.trace is not None
        self.trace.append((self.replication, customer, seg, ttype, channel, event,
                           self.env.now, wait, queue_entry, service_start))
        if event == "arrive":
            self.open_visits[customer] = [seg, ttype, channel, math.nan, math.nan]
        else:
            self.open_visits.pop(customer, None)

    def record_in_progress(self) -> None:
        """At the horizon, with a trace: an ``in_progress`` row for each visit still under
        way (a caller in the IVR, the queue or service), so a log read from the trace
        counts their arrivals (``sim.logs`` reads them as outcome ``in_progress``)."""
        now = self.env.now
        for customer, (seg, ttype, channel, entry, start) in sorted(self.open_visits.items()):
            # the wait so far: censored (they had not abandoned), until service or now
            wait = (start if not math.isnan(start) else now) - entry
            self.record(customer, seg, ttype, channel, "in_progress", wait, entry, start)
