"""Channels in one replication: servers over time, breakdowns, outages and their statistics."""

from __future__ import annotations

from typing import Generator, Optional

import simpy

from sim.channel_rules import installed_machines, schedule_changes, servers_at
from sim.choice import expected_wait_minutes
from sim.distributions import Sampler, sampler
from sim.engine.metrics import ChannelStats
from sim.engine.pool import ServerPool
from sim.rng import BLOCK, Streams, buffered
from sim.scenario import SELF_SERVICE_KINDS, Channel, ChannelKind, LobbyGuide


class ChannelState:
    """One channel: its server pool (if it has one), whether it is up, and its statistics."""

    def __init__(self, env: simpy.Environment, name: str, spec: Channel, streams: Streams,
                 stats: ChannelStats, nominal_service_minutes: float) -> None:
        self.env, self.name, self.spec, self.stats = env, name, spec, stats
        self.kind = spec.kind
        self.self_service = spec.kind in SELF_SERVICE_KINDS
        self.staffed = not self.self_service
        self.nominal_service_minutes = nominal_service_minutes
        self.priority_segments = frozenset(spec.priority_segments)
        self.up = True  # online: False while any outage lasts
        self.outages = 0  # outages under way (planned and random ones may overlap)
        self.scheduled = servers_at(spec, 0.0)
        self.down: set[int] = set()  # kiosk machines out of service, by index
        self.ivr: Optional[Sampler] = None
        self.answers_unstaffed = spec.kind is ChannelKind.hotline and spec.ivr is not None
        # open at all hours: online (customers cannot see an outage before they try)
        # and a hotline whose IVR answers; the others while a server is there
        self.always_open = spec.kind is ChannelKind.online or self.answers_unstaffed
        self.service_factors = list(spec.service_factors)  # per schedule slot; [] = 1
        if spec.ivr is not None:
            self.ivr = sampler(spec.ivr, streams.generator(f"ivr/{name}"))
        # online: only a concurrency cap, if any; the other kinds always have servers
        cap = spec.concurrency_cap if spec.kind is ChannelKind.online else self.scheduled
        self.pool = None if cap is None else ServerPool(env, cap)
        if self.pool is not None:
            stats.watch(env, self.pool)
        self._streams = streams

    def finish(self) -> None:
        """Close the time-weighted areas at the end of the run."""
        if self.pool is not None:
            self.stats.advance()

    def is_open(self) -> bool:
        """Whether a customer would consider this channel now: staff or machines present;
        online channels and a hotline with an IVR at all hours (its IVR answers whether or
        not agents are on duty: callers it does not complete queue for the next agent, or
        abandon)."""
        return self.always_open or self.pool.capacity > 0  # type: ignore[union-attr]

    def service_factor(self, t: float) -> float:
        """The factor on a service that starts at minute ``t`` (``service_factors``)."""
        factors = self.service_factors
        return factors[int(t // self.spec.schedule_slot_minutes) % len(factors)] if factors else 1.0

    def expected_wait(self) -> float:
        """The wait an arriving customer expects here (online channels have no queue)."""
        pool = self.pool
        if pool is None or self.kind is ChannelKind.online:
            return 0.0
        return expected_wait_minutes(pool.waiting, pool.busy, pool.capacity,
                                     self.nominal_service_minutes)

    def start_processes(self) -> None:
        """Start the channel's own SimPy processes: following its staffing schedule slot
        by slot (not online), a breakdown-and-repair cycle per installed kiosk machine, its
        planned outage windows and its random outages (online).  Each draws from its own
        named stream (``breakdown/<channel>``, ``repair/<channel>``, ...).  ``Model.run``
        calls it once, at minute 0."""
        spec, env = self.spec, self.env
        if spec.schedule and self.kind is not ChannelKind.online:
            env.process(self._follow_schedule())
        if spec.mtbf_minutes is not None and spec.repair is not None:
            machines = installed_machines(spec)
            rng = self._streams.generator(f"breakdown/{self.name}")
            mtbf = spec.mtbf_minutes
            repair = sampler(spec.repair, self._streams.generator(f"repair/{self.name}"))
            for i in range(machines):  # one generator for all machines: fixed blocks
                up_time = buffered(lambda n: rng.exponential(mtbf, n), BLOCK)
                env.process(self._machine(i, up_time, repair))
        for window in spec.outages:
            env.process(self._planned_outage(window.start_minute, window.end_minute))
        if spec.outage_mtbf_minutes is not None and spec.outage_repair is not None:
            mtbf = spec.outage_mtbf_minutes
            rng = self._streams.generator(f"outage/{self.name}")
            repair = sampler(spec.outage_repair,
                             self._streams.generator(f"outage_repair/{self.name}"))
            env.process(self._random_outages(buffered(lambda n: rng.exponential(mtbf, n)),
                                             repair))

    def _set_servers(self) -> None:
        """Servers now: those scheduled (installed) that are not broken down."""
        assert self.pool is not None
        broken = sum(1 for i in self.down if i < self.scheduled)
        self.pool.set_capacity(self.scheduled - broken)

    def _follow_schedule(self) -> Generator[simpy.Event, None, None]:
        spec, day = self.spec, self.spec.schedule_slot_minutes * len(self.spec.schedule)
        start = 0.0
        while True:  # a day's change points at a time; the schedule repeats daily
            for point in [*schedule_changes(spec, start, start + day), start + day]:
                yield self.env.timeout(point - self.env.now)
                self.scheduled = servers_at(spec, point)
                self._set_servers()
            start += day

    def _machine(self, index: int, up_time: Sampler, repair: Sampler
                 ) -> Generator[simpy.Event, None, None]:
        # Machine ``index`` only breaks down while it is installed (index < scheduled).
        while True:
            yield self.env.timeout(up_time())
            if index >= self.scheduled:
                continue
            self.down.add(index)
            self._set_servers()
            yield self.env.timeout(repair())
            self.down.discard(index)
            self._set_servers()

    def _outage(self, minutes: float) -> Generator[simpy.Event, None, None]:
        """Down for ``minutes``; up again only when no other outage is still under way."""
        self.outages += 1
        self.up = False
        yield self.env.timeout(minutes)
        self.outages -= 1
        self.up = self.outages == 0

    def _planned_outage(self, start: float, end: float) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(start)
        yield from self._outage(end - start)

    def _random_outages(self, up_time: Sampler, repair: Sampler
                        ) -> Generator[simpy.Event, None, None]:
        while True:
            yield self.env.timeout(up_time())
            yield from self._outage(repair())


class GuideState:
    """Lobby guides of one branch: each guidance keeps one guide busy for a while.

    No SimPy process is needed: a guide is free when the time it was last booked until
    has passed.  A customer who finds every guide busy is not offered anything.
    """

    def __init__(self, spec: LobbyGuide, kiosk: ChannelState) -> None:
        self.spec, self.kiosk = spec, kiosk
        self.free_at = [0.0] * spec.guides

    def try_book(self, now: float) -> bool:
        """Book a free guide at minute ``now`` for ``minutes_per_guidance``; True if one was
        free.  False outside the guides' hours (``start_minute`` to ``end_minute``) or when
        every guide is busy.  The journey books before the customer decides, so an offer
        declined still takes the guide's time."""
        spec = self.spec
        if not spec.start_minute <= now < spec.end_minute:
            return False
        for i, t in enumerate(self.free_at):
            if t <= now:
                self.free_at[i] = now + spec.minutes_per_guidance
                return True
        return False
