"""Builds and runs one replication of a Scenario: channels, segments, arrivals, statistics."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Generator, Optional

import simpy

from sim.arrivals import ArrivalClock, rate_profile
from sim.campaigns import segment_uplifts
from sim.channels import ChannelState, GuideState, nominal_service_minutes
from sim.choice import draw_index, logit_probabilities, shift_for_uplift
from sim.distributions import Sampler, mean_minutes, sampler
from sim.journey import journey
from sim.metrics import MINUTES_PER_HOUR, ChannelStats, JourneyStats
from sim.rng import Streams, buffered
from sim.scenario import Channel, Distribution, RunSettings, Scenario, Segment, Steering

TraceRow = tuple[int, int, str, str, str, str, float, float]


@dataclass
class Option:
    """One channel a customer of a given segment and transaction type can use."""

    channel: ChannelState
    base_utility: float  # preference + promotion uplift - effort
    service: Sampler  # minutes, digital skill included
    success: float  # probability, digital skill included
    ivr_completion: float
    cost: float  # per transaction, for steering to the cheapest channel


@dataclass
class SegmentState:
    name: str
    spec: Segment
    clock: ArrivalClock
    exp1: Sampler
    type_u: Sampler
    choice_u: Sampler
    decide_u: Sampler
    patience: Optional[Sampler]
    retry_delay: Optional[Sampler]
    types: list[str]
    type_shares: list[float]
    options: dict[str, list[Option]] = field(default_factory=dict)
    self_service_eligible: dict[str, bool] = field(default_factory=dict)

    def draw_type(self) -> str:
        if len(self.types) == 1:
            return self.types[0]
        return self.types[draw_index(self.type_shares, self.type_u())]


class Model:
    """The state of one replication.  ``run`` advances it to the horizon."""

    def __init__(self, scenario: Scenario, run: RunSettings, replication: int) -> None:
        self.scenario, self.run_settings, self.replication = scenario, run, replication
        self.env = env = simpy.Environment()
        self.horizon, self.warmup = run.horizon_minutes, run.warmup_minutes
        self.n_hours = max(1, math.ceil(self.horizon / MINUTES_PER_HOUR))
        self.switching = scenario.switching.enabled
        self.max_attempts = scenario.switching.max_attempts
        self.sat = scenario.satisfaction
        self.trace: Optional[list[TraceRow]] = [] if run.trace else None
        self.next_customer = 0
        streams = Streams(run.seed, replication)
        self.journeys = JourneyStats(self.warmup)
        self.warmup_journeys = JourneyStats(math.inf)  # sink for journeys before warm-up

        self.channels: dict[str, ChannelState] = {}
        self.warmup_stats: dict[str, ChannelStats] = {}
        for name, spec in scenario.channels.items():
            stats = ChannelStats(self.n_hours, self.warmup)
            self.channels[name] = ChannelState(env, name, spec, streams, stats,
                                               nominal_service_minutes(scenario, name))
            self.warmup_stats[name] = ChannelStats(self.n_hours, math.inf)
        self.success_u = {name: streams.uniform(f"success/{name}") for name in self.channels}
        self.guides: dict[str, GuideState] = {}
        for guide in scenario.lobby_guides.values():
            self.guides[guide.branch] = GuideState(guide, self.channels[guide.kiosk])

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
            types=types, type_shares=[seg.mix[t] for t in types],
        )
        for t in types:
            tt = self.scenario.transactions[t]
            opts = []
            for ch_name in tt.service:
                ch = self.channels[ch_name]
                success = tt.success.get(ch_name, 1.0)
                service = base_service[(ch_name, t)]
                if ch.self_service:
                    success *= seg.self_service_success_factor
                    if seg.self_service_time_factor != 1.0:
                        service = _scaled(service, seg.self_service_time_factor)
                utility = (seg.preference.get(ch_name, 0.0) + seg.promotion_uplift.get(ch_name, 0.0)
                           - ch.spec.effort)
                cost = unit_cost(ch.spec, tt.service[ch_name])
                opts.append(Option(ch, utility, service, success,
                                   ch.spec.ivr_completion.get(t, 0.0), cost))
            state.options[t] = opts
            state.self_service_eligible[t] = any(o.channel.self_service or o.ivr_completion > 0
                                                 for o in opts)
        self._apply_campaigns(name, state)
        return state

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

    def choose(self, seg: SegmentState, options: list[Option], tried: set[ChannelState],
               staffed_only: bool = False) -> Optional[Option]:
        """The channel a customer picks now among those open and not yet tried."""
        if len(options) == 1 and not staffed_only:
            only = options[0]
            return only if only.channel not in tried and only.channel.is_open() else None
        cands = [o for o in options
                 if o.channel not in tried and o.channel.is_open()
                 and (o.channel.staffed or not staffed_only)]
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

    def stats_now(self, channel: ChannelState) -> ChannelStats:
        """Statistics of a visit starting now: counted after warm-up, a sink before it."""
        return channel.stats if self.env.now >= self.warmup else self.warmup_stats[channel.name]

    def record(self, customer: int, seg: str, ttype: str, channel: str, event: str,
               wait: float) -> None:
        assert self.trace is not None
        self.trace.append((self.replication, customer, seg, ttype, channel, event,
                           self.env.now, wait))

    def _arrivals(self, seg: SegmentState) -> Generator[simpy.Event, None, None]:
        env, horizon = self.env, self.horizon
        t = seg.clock.next_after(0.0, seg.exp1())
        while t < horizon:
            yield env.timeout(t - env.now)
            env.process(journey(self, seg, seg.draw_type()))
            t = seg.clock.next_after(t, seg.exp1())

    def run(self) -> None:
        for ch in self.channels.values():
            ch.start_processes()
        for seg in self.segments:
            self.env.process(self._arrivals(seg))
        self.env.run(until=self.horizon)
        for ch in self.channels.values():
            ch.finish()
        self.journeys.change_in_system(self.horizon, 0)


def unit_cost(spec: Channel, service: Distribution) -> float:
    """What one transaction costs the organisation on a channel: its fee plus the server
    time it takes, so a staffed channel paid by the hour is not mistaken for a free one."""
    return spec.cost_per_transaction + spec.cost_per_server_hour * mean_minutes(service) / 60


def _scaled(draw: Sampler, factor: float) -> Sampler:
    return lambda: draw() * factor
