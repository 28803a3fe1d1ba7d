"""Rules about a channel that the simulator and the optimiser both apply, written once so
that a plan's predictions and the simulation of that plan cannot drift apart: servers over
the day, installed machines, a channel's nominal service time, a segment's success on it,
what one transaction costs there, and which branches' channels a network customer uses."""

from __future__ import annotations

import math
from typing import Optional

from sim.distributions import mean_minutes
from sim.scenario import (
    MINUTES_PER_HOUR,
    SELF_SERVICE_KINDS,
    Channel,
    Distribution,
    Scenario,
    Segment,
)

DEFAULT_SERVERS = 1  # a channel that sets neither servers nor a schedule


def servers_at(spec: Channel, t: float) -> int:
    """Servers at minute ``t``; a schedule repeats after its last slot, like the arrival
    profiles, so a long run is a sequence of identical days. A fractional value x is
    realised within its slot as floor(x) servers, then one more for the slot's last
    (x - floor(x)) share, so the time-average over the slot is x."""
    if not spec.schedule:
        return DEFAULT_SERVERS if spec.servers is None else spec.servers
    slot = spec.schedule_slot_minutes
    value = spec.schedule[int(t // slot) % len(spec.schedule)]
    whole = math.floor(value)
    if value == whole:
        return int(whole)
    into = (t - math.floor(t / slot) * slot) / slot  # how far into the slot, in [0, 1)
    return int(whole) + (1 if into >= 1.0 - (value - whole) else 0)


def schedule_changes(spec: Channel, start: float, end: float) -> list[float]:
    """The minutes in (start, end) where the scheduled servers may change: slot boundaries
    and, in a slot with a fractional value, the minute its extra server comes."""
    if not spec.schedule:
        return []
    slot, n = spec.schedule_slot_minutes, len(spec.schedule)
    points = []
    i = math.floor(start / slot)
    while i * slot < end:
        value = spec.schedule[i % n]
        extra = value - math.floor(value)
        for point in ((i * slot, i * slot + (1.0 - extra) * slot) if extra else (i * slot,)):
            if start < point < end:
                points.append(point)
        i += 1
    return points


def server_minutes(spec: Channel, start: float, end: float) -> float:
    """Integral of the scheduled servers over [start, end] (for staff and machine cost)."""
    if end <= start:
        return 0.0
    bounds = [start, *schedule_changes(spec, start, end), end]
    return sum(servers_at(spec, a) * (b - a) for a, b in zip(bounds, bounds[1:]))


def installed_machines(spec: Channel) -> int:
    """Machines a kiosk channel has on the floor: its servers, or the most its schedule
    ever switches on (each can break down while switched on; each costs for the day)."""
    return math.ceil(max(spec.schedule)) if spec.schedule else servers_at(spec, 0.0)


def nominal_service_minutes(scenario: Scenario, channel: str) -> float:
    """Mean of the service-time means of the types a channel carries (announced waits,
    planning loads where nothing was measured); 1 for a channel that carries nothing."""
    means = [mean_minutes(t.service[channel]) for t in scenario.transactions.values()
             if channel in t.service]
    return sum(means) / len(means) if means else 1.0


def success_probability(scenario: Scenario, segment: Segment, transaction: str,
                        channel: str) -> float:
    """The chance that a customer of ``segment`` completes ``transaction`` on ``channel``:
    the type's success there, times the segment's digital skill on self-service."""
    success = scenario.transactions[transaction].success.get(channel, 1.0)
    if scenario.channels[channel].kind in SELF_SERVICE_KINDS:
        success *= segment.self_service_success_factor
    return success


def unit_cost(spec: Channel, service: Distribution) -> float:
    """What one transaction costs the organisation on a channel: its fee plus the server
    time it takes, so a staffed channel paid by the hour is not mistaken for a free one."""
    hours = mean_minutes(service) / MINUTES_PER_HOUR
    return spec.cost_per_transaction + spec.cost_per_server_hour * hours


OWN = "own"  # reach: a shared channel, or one of the customer's home branch
NEIGHBOUR = "neighbour"  # reach: a neighbouring branch's, after a balk or an abandonment


def reach(scenario: Scenario, segment: Segment, channel: Channel) -> Optional[str]:
    """How a segment's customers reach a channel in a network: ``OWN`` for a shared
    channel or one of their home branch's, ``NEIGHBOUR`` for a channel of a branch in
    their branch's ``neighbours`` (used after a balk or an abandonment, or when their own
    branch is closed), None for any other branch's.  Outside a network every channel is
    ``OWN``.  The simulator builds its choice sets with it; the optimiser predicts loads
    and promotes channels with it."""
    if not segment.branch or channel.branch in ("", segment.branch):
        return OWN
    home = scenario.branches.get(segment.branch)
    return NEIGHBOUR if home is not None and channel.branch in home.neighbours else None
