"""Builds and runs one replication of a Scenario: channels, segments, arrivals, statistics."""

from __future__ import annotations

import math
from typing import Any, Generator, Optional

import simpy

from sim.arrivals import ArrivalClock, rate_profile
from sim.campaigns import segment_uplifts
from sim.channel_rules import (
    NEIGHBOUR,
    nominal_service_minutes,
    reach,
    success_probability,
    unit_cost,
)
from sim.choice import shift_for_uplift
from sim.distributions import Sampler, sampler
from sim.engine.channels import ChannelState, GuideState
from sim.engine.context import JourneyContext, Option, SegmentState
from sim.engine.journey import journey
from sim.engine.metrics import ChannelStats
from sim.rng import Streams, buffered
from sim.scenario import MINUTES_PER_HOUR, RunSettings, Scenario, Segment


class Model(JourneyContext):
    """One replication of a scenario: its channels, segments and arrival processes on one
    SimPy clock. ``run()`` advances it to the horizon; ``sim.kpis.replication_result``
    then reads its statistics. Build a fresh Model per replication: its random streams are
    ``Streams(run.seed, replication)``, so replication r draws the same numbers whether or
    not the replications before it ran."""

    def __init__(self, scenario: Scenario, run: RunSettings, replication: int) -> None:
        super().__init__(scenario, run, replication)
        env = self.env
        self.scenario, self.run_settings = scenario, run
        self.horizon = run.horizon_minutes
        self.n_hours = max(1, math.ceil(self.horizon / MINUTES_PER_HOUR))
        streams = Streams(run.seed, replication)

        for name, spec in scenario.channels.items():
            stats = ChannelStats(self.n_hours, self.warmup, spec.service_level_thresholds)
            self.channels[name] = ChannelState(env, name, spec, streams, stats,
                                               nominal_service_minutes(scenario, name))
            self.warmup_stats[name] = ChannelStats(self.n_hours, math.inf,
                                                   spec.service_level_thresholds)
        self.success_u = {name: streams.uniform(f"success/{name}") for name in self.channels}
        for guide in scenario.lobby_guides.values():
            self.guides[guide.branch] = GuideState(guide, self.channels[guide.kiosk])

        self._reach: dict[tuple[str, str], list[tuple[str, str]]] = {}
        base_service = {
            (ch, t): sampler(dist, streams.generator(f"service/{ch}/{t}"))
            for t, tt in scenario.transactions.items() for ch, dist in tt.service.items()
        }
        self.segments = [self._segment_state(name, seg, streams, base_service)
                         for name, seg in scenario.segments.items()]

    def _segment_state(self, name: str, seg: Segment, streams: Streams,
                       base_service: dict[tuple[str, str], Sampler]) -> SegmentState:
        rates, slot = rate_profile(seg.arrivals)
        exp_rng = streams.generator(f"arrivals/{name}")
        types = list(seg.mix)
        state = SegmentState(
            name=name, spec=seg, clock=ArrivalClock(rates, slot),
            exp1=buffered(lambda n: exp_rng.exponential(1.0, n)),
            type_u=streams.uniform(f"mix/{name}"),
            choice_u=streams.uniform(f"choice/{name}"),
            decide_u=streams.uniform(f"decide/{name}"),
            patience=None if seg.patience is None
            else sampler(seg.patience, streams.generator(f"patience/{name}")),
            retry_delay=None if seg.retry_delay is None
            else sampler(seg.retry_delay, streams.generator(f"retry_delay/{name}")),
            redial_delay=None if seg.redial_delay is None or seg.redial_probability <= 0
            else sampler(seg.redial_delay, streams.generator(f"redial_delay/{name}")),
            patience_factors=list(seg.patience_factors), patience_slot=slot,
            types=types, type_shares=[seg.mix[t] for t in types],
        )
        for t in types:
            tt = self.scenario.transactions[t]
            opts = []
            for ch_name, how in self._reachable(seg, t):
                ch = self.channels[ch_name]
                neighbour = how == NEIGHBOUR
                success = success_probability(self.scenario, seg, t, ch_name)
                service = base_service[(ch_name, t)]
                if ch.self_service and seg.self_service_time_factor != 1.0:
                    service = _scaled(service, seg.self_service_time_factor)
                utility = (seg.preference.get(ch_name, 0.0) + seg.promotion_uplift.get(ch_name, 0.0)
                           - ch.spec.effort)
                cost = unit_cost(ch.spec, tt.service[ch_name])
                opts.append(Option(ch, utility, service, success,
                                   ch.spec.ivr_completion.get(t, 0.0), cost, neighbour))
            state.options[t] = opts
            state.has_neighbours = state.has_neighbours or any(o.neighbour for o in opts)
            state.self_service_eligible[t] = any(o.channel.self_service or o.ivr_completion > 0
                                                 for o in opts)
        self._apply_campaigns(name, state)
        return state

    def _reachable(self, seg: Segment, transaction: str) -> list[tuple[str, str]]:
        """(channel, reach) of the channels serving ``transaction`` that ``seg``'s customers
        reach (``sim.channel_rules.reach``: not another branch's), once per home branch."""
        key = (seg.branch, transaction)
        if key not in self._reach:
            service = self.scenario.transactions[transaction].service
            self._reach[key] = [(c, how) for c in service
                                if (how := reach(self.scenario, seg, self.channels[c].spec))]
        return self._reach[key]

    def _apply_campaigns(self, name: str, state: SegmentState) -> None:
        """Raise the utility of promoted channels so that, with no queues, the segment's
        share choosing a staffed channel falls by each campaign's uplift (in config order)."""
        for campaign, uplift in segment_uplifts(self.scenario, name):
            promoted = set(campaign.channels)
            choice_sets = [(state.spec.mix[t], [o.base_utility for o in opts],
                            [o.channel.name in promoted for o in opts],
                            [o.channel.staffed for o in opts])
                           for t, opts in state.options.items()]
            shift = shift_for_uplift(choice_sets, uplift)
            for opts in state.options.values():
                for o in opts:
                    if o.channel.name in promoted:
                        o.base_utility += shift

    def _arrivals(self, seg: SegmentState) -> None:
        """Schedule a segment's arrivals one after another: each, when its time comes,
        starts its journey and schedules the next (a timeout's callback, no process)."""
        env, horizon, clock, exp1 = self.env, self.horizon, seg.clock, seg.exp1

        def arrive(event: simpy.Event) -> None:  # its value: the minute it stands for
            start(journey(self, seg, seg.draw_type()))
            following = clock.next_after(event._value, exp1())
            if following < horizon:
                env.timeout(following - env.now, following).callbacks.append(arrive)

        first = clock.next_after(0.0, exp1())
        if first < horizon:
            env.timeout(first - env.now, first).callbacks.append(arrive)

    def run(self) -> None:
        """Start the channels' processes and each segment's arrivals, advance the clock to
        ``run.horizon_minutes`` and close the time-weighted areas.  Journeys still going at
        the horizon stay unfinished (``in_progress_end``).  Call it once per Model."""
        for ch in self.channels.values():
            ch.start_processes()
        for seg in self.segments:
            self._arrivals(seg)
        self.env.run(until=self.horizon)
        if self.trace is not None:
            self.record_in_progress()
        for ch in self.channels.values():
            ch.finish()
        self.journeys.change_in_system(self.horizon, 0)


def start(process: Generator[simpy.Event, Any, None]) -> None:
    """Run a journey now, up to its first wait, and resume it as each event it waits for
    is processed: SimPy's Process without the Process (no object, no initialising event
    per customer).  A journey's events never fail and it is never interrupted, the two
    things Process adds; everything else happens in the same order."""
    def resume(event: Optional[simpy.Event]) -> None:
        try:
            waiting = process.send(None if event is None else event._value)
            while waiting.callbacks is None:  # already processed: its value is there
                waiting = process.send(waiting._value)
        except StopIteration:
            return
        waiting.callbacks.append(resume)

    resume(None)


def _scaled(draw: Sampler, factor: float) -> Sampler:
    return lambda: draw() * factor
