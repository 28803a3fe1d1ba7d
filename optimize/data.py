"""Scenario + a baseline simulation -> planning data: loads per slot, staffing tables, curves.

The optimiser predicts with these numbers, all linear in the diversion it buys:
- segment s completes C_s journeys a day, a share d0_s of them on self-service today
  (measured by simulating the scenario as it is);
- a campaign k moves a share U_ks of s's journeys from staffed to its promoted channels
  (its concave response curve); a share p_ks of those succeed there, the rest fall back
  to staff; a share l_s of staffed-bound journeys ended on self-service anyway (a lobby
  guide, an IVR link, a switch), so the self-service share becomes
  d0_s + sum_k (p_ks - l_s) U_ks;
- the arrival rate at staffed channel c in slot h is what the baseline measured there
  (customers who queued or balked: the demand for its servers, IVR completions and
  deflections excluded), and falls by lambda_s(h) f_sc / g_s per unit of s's diverted
  share (f_sc: the share of s's journeys served at c; g_s: s's share served by staff);
- the mean service time and its variability are what the baseline's servers gave in the
  slot (the mix after choice, the IVR and deflection), and the callers' patience is
  their segments' patience distributions, mixed by their calls;
- the minimum staff for a rate is a step function (Erlang A at the patience's hazard over
  the target wait, which is Erlang C where nobody abandons that soon), tabulated per
  channel and slot between the lowest and highest rate the plan can produce.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional

from optimize.curves import Breakpoints, breakpoints
from optimize.settings import OptimizeSettings
from sim import theory
from sim.arrivals import expected_arrivals
from sim.bisection import bisect, smallest_int
from sim.campaigns import responds
from sim.channel_rules import (
    OWN,
    installed_machines,
    nominal_service_minutes,
    reach,
    servers_at,
    success_probability,
)
from sim.distributions import mean_minutes, survival
from sim.experiment import ExperimentResult
from sim.kpis import ReplicationResult, ratio
from sim.network import network_segment, open_slots
from sim.scenario import MINUTES_PER_HOUR, SELF_SERVICE_KINDS, ChannelKind, Scenario

SLOT_MINUTES = MINUTES_PER_HOUR  # a planning slot is an hour, as the simulator's statistics


@dataclass
class SegmentData:
    """What the planning model knows of one segment, measured on the baseline (journeys
    per planned day; shares in [0, 1], 0 where the baseline completed none)."""

    completed: float  # journeys completed per day (baseline)
    base_diversion: float  # d0: share completed on self-service today
    staffed_share: float  # g: share served by a counter or hotline today
    max_diversion: float  # cap on d0 + diverted: the eligible share, or the policy cap
    rates_per_minute: list[float]  # arrivals by slot (the scenario's profile, not measured)


@dataclass
class CampaignSegment:
    """One campaign aimed at one segment."""

    campaign: str
    segment: str
    unit_cost: float
    min_units: float
    max_units: float
    integer_units: bool
    curve: Breakpoints  # units -> choice share moved (responsiveness included)
    success: float  # p: share of the moved journeys that succeed on the promoted channels
    effect: float  # p - l: diverted share gained per unit of choice share moved
    channel_weights: dict[str, float]  # promoted channel -> share of the moved journeys
    open_share: list[float] = field(default_factory=list)  # per slot, the moved journeys
    # relative to the day's average (promoted channels closed in some hours move nobody
    # then: a branch's kiosk); empty: 1 in every slot
    pool: str = ""  # whose units it spends: the branch segments of one network segment
    # share one budget and one response (sim.network.network_segment); "": its own segment

    def __post_init__(self) -> None:
        self.pool = self.pool or self.segment

    def opened(self, slot: int) -> float:
        """The journeys it moves in ``slot`` relative to the day's average (``open_share``)."""
        return self.open_share[slot] if self.open_share else 1.0


@dataclass
class StaffedSlot:
    """A staffed channel in one slot: today's rate, how diversion lowers it, staffing steps."""

    channel: str
    kind: ChannelKind
    slot: int
    base_rate: float  # arrivals per minute today
    rate_drop: dict[str, float]  # segment -> arrivals per minute lost per unit of diverted share
    mean_service_minutes: float
    patience_rate: float  # Erlang A's theta for the callers' patience; 0: Erlang C
    target_wait_minutes: float
    target_share: float
    base_staff: int
    staff_cost: float  # per server for the slot
    service_scv: float = 1.0  # squared coefficient of variation of service (1: exponential)
    levels: list[tuple[int, float]] = field(default_factory=list)  # (staff, highest rate served)
    moved_drop: dict[tuple[str, str], float] = field(default_factory=dict)  # (campaign,
    # segment) -> arrivals per minute lost per unit of its uplift (the campaign's moves in
    # this slot: none while its channels are closed)
    work_drop: dict[tuple[str, str], float] = field(default_factory=dict)  # (campaign,
    # segment) -> how far a unit of its uplift lowers the rate that carries the slot's work
    # at its mean service: a campaign moves the types its channels carry, often the short
    # ones, so work falls slower than arrivals (empty: as fast, by rate_drop)

    def required_staff(self, rate: float) -> int:
        """Fewest servers that meet this slot's service target at ``rate`` arrivals per
        minute, with its service time, variability and callers' patience (0 for no load)."""
        return minimum_staff(rate, self.mean_service_minutes, self.patience_rate,
                             self.target_wait_minutes, self.target_share, self.service_scv)


@dataclass
class CapacitySlot:
    """A kiosk or capped online channel in one slot: load today and per diverted share."""

    channel: str
    slot: int
    base_load: float  # busy servers needed today (arrival rate x mean service)
    load_per_uplift: dict[tuple[str, str], float]  # (campaign, segment) -> load per unit U
    tolerated: float  # today's overload beyond the utilisation cap, so today stays feasible


@dataclass
class KioskData:
    """A kiosk channel's machines as a decision: today's count, the most the plan may
    install, and what one costs."""

    channel: str
    base_count: int  # machines today (installed_machines: the most its schedule switches on)
    max_count: int  # optimize.max_kiosks, else today's + 10
    cost_per_kiosk: float  # for the day: cost_per_server_hour x the horizon in hours


@dataclass
class PlanningData:
    """Everything the MILP reads, as plain numbers: the scenario and a baseline simulation
    of it turned into per-segment shares, campaign curves, staffing steps per staffed
    channel and slot, and the loads on kiosks and capped online channels (module
    docstring: the model these numbers feed).

    Built by ``build_planning_data``, inside ``optimize.baseline.planning_baseline``, which
    re-simulates at the staff the service targets need; read by
    ``optimize.formulation.build``, ``extract_plan``, the check and the reports.  Slots
    are SLOT_MINUTES (an hour) from minute 0 of the run; rates are per minute, shares in
    [0, 1], money for a slot or the planned day.  ``optimize.check.refine`` raises the
    staffing steps of ``staffed`` in place where the check missed a target.

        >>> baseline, data = planning_baseline(scenario, RunSettings(), OptimizeSettings())
        >>> data.n_slots, data.total_completed, data.staffed[0].levels   # [(staff, rate), ...]
    """

    n_slots: int  # run.horizon_minutes in slots, rounded up
    segments: dict[str, SegmentData]  # by segment name
    campaigns: list[CampaignSegment]  # per campaign and responsive segment, if max_units > 0
    staffed: list[StaffedSlot]  # per counter or hotline and slot
    capacity: list[CapacitySlot]  # per kiosk or capped online channel and slot
    kiosks: dict[str, KioskData]  # by kiosk channel
    online_caps: dict[str, int]  # online channel -> its concurrency cap (not a decision)
    max_utilisation: float  # optimize.kiosk_max_utilisation
    max_total_kiosks: Optional[int] = None  # optimize.max_total_kiosks: machines, all kiosks
    kiosk_budget: Optional[float] = None  # optimize.kiosk_budget: extra kiosk spend a day

    @property
    def total_completed(self) -> float:
        """Journeys completed per day over all segments (baseline): the weights that turn
        the segments' diversion into the day's."""
        return sum(s.completed for s in self.segments.values())


MIN_PATIENCE_WINDOW_MINUTES = 1 / 60  # one second: a target of 0 reads the patience over a second


def minimum_staff(rate: float, mean_service: float, patience_rate: float,
                  target_wait: float, target_share: float, scv: float = 1.0) -> int:
    """Fewest servers whose ``service_level`` meets ``target_share`` (it rises with staff)."""
    if scv == 1.0:
        return theory.min_staff(rate, 1 / mean_service, patience_rate, target_wait, target_share)
    if rate <= 0:
        return 0
    return smallest_int(lambda staff: service_level(staff, rate, mean_service, patience_rate,
                                                    target_wait, scv) >= target_share,
                        start=math.ceil(rate * mean_service))


def service_level(staff: int, rate: float, mean_service: float,
                  patience_rate: float, target_wait: float, scv: float = 1.0
                  ) -> float:
    """Share served within ``target_wait``: Erlang A where callers abandon, else Erlang C
    (``sim.theory.service_level``).

    Service times less variable than exponential (squared coefficient of variation
    ``scv`` < 1) drain a queue faster: as in the Allen-Cunneen and Whitt approximations
    for M/G/c, the tail of the wait decays (1 + scv) / 2 times as slowly, which is the
    exponential model's service level at the target scaled by 2 / (1 + scv).
    """
    return theory.service_level(staff, rate, 1 / mean_service, patience_rate,
                                target_wait * 2 / (1 + scv))


def highest_rate(staff: int, mean_service: float, patience_rate: float,
                 target_wait: float, target_share: float, upper: float, scv: float = 1.0
                 ) -> float:
    """The largest arrival rate ``staff`` servers handle within target (bisection on rate;
    the service level falls as the rate rises)."""
    def meets(rate: float) -> bool:
        return service_level(staff, rate, mean_service, patience_rate, target_wait,
                             scv) >= target_share

    low, high = 0.0, upper
    if meets(high):
        return high
    loaded = 1.2 * staff / mean_service  # past it the target is out of reach in practice
    if loaded < high and not meets(loaded):
        high = loaded  # a shorter bisection, and Erlang A's chain stays short
    return bisect(meets, low, high, iterations=50)[0]


def slot_rates(scenario: Scenario, segment: str, n_slots: int) -> list[float]:
    """Mean arrival rate per minute of a segment in each planning slot (the profile's
    piecewise-constant rate integrated over the slot; the profile repeats)."""
    arrivals = scenario.segments[segment].arrivals
    return [expected_arrivals(arrivals, (h + 1) * SLOT_MINUTES, h * SLOT_MINUTES) / SLOT_MINUTES
            for h in range(n_slots)]


def build_planning_data(scenario: Scenario, baseline: ExperimentResult,
                        settings: OptimizeSettings) -> PlanningData:
    """The planning model's numbers for ``scenario``, read from ``baseline``, replications
    of it (module docstring: what each number means, and why it is measured).

    Per segment: completed journeys, today's diversion and staffed share, and the cap on
    its diversion (the share of its mix some self-service channel can carry, or the policy
    cap, ``settings.segment_caps`` over ``self_service_cap``, but never below today's).
    Per campaign and segment it can move: the response curve as breakpoints, the success
    and net effect of a moved journey, and how the promoted channels share it.  Per staffed
    channel and hourly slot of ``baseline.run.horizon_minutes``: the measured arrival rate,
    how each segment's diversion lowers it, the measured service time and its variability,
    the callers' patience, and the staffing steps from the lowest rate the plan can reach
    to today's (at most ``settings.max_staff``).  Per kiosk and capped online channel and
    slot: the load today and per unit of uplift.  Shares undefined on the baseline (a
    segment that completed nothing) read as 0.

        >>> baseline = run_experiment(scenario, run)
        >>> data = build_planning_data(scenario, baseline, OptimizeSettings())
    """
    horizon = baseline.run.horizon_minutes
    n_slots = max(1, math.ceil(horizon / SLOT_MINUTES))
    channels = scenario.channels
    staffed_names = [n for n, c in channels.items() if c.kind not in SELF_SERVICE_KINDS]

    segments: dict[str, SegmentData] = {}
    users: dict[str, dict[str, float]] = {c: {} for c in channels}  # channel -> segment -> share
    for s, seg in scenario.segments.items():
        completed = baseline.segment_kpi(s, "completed").mean
        d0 = _zero_if_nan(baseline.segment_kpi(s, "diversion_rate").mean)
        for c, spec in channels.items():  # in a network, only channels its customers reach
            share = _zero_if_nan(ratio(baseline.served_on(s, c).mean, completed)) \
                if reach(scenario, seg, spec) is not None else 0.0
            if share > 0:
                users[c][s] = share
        eligible = sum(share for t, share in seg.mix.items()
                       if any(channels[c].kind in SELF_SERVICE_KINDS
                              for c in scenario.transactions[t].service))
        policy = settings.segment_caps.get(network_segment(scenario, s),
                                           settings.segment_caps.get(s, seg.self_service_cap))
        cap = min(eligible, 1.0 if policy is None else policy)
        segments[s] = SegmentData(
            completed=completed, base_diversion=d0,
            staffed_share=sum(users[c].get(s, 0.0) for c in staffed_names),
            max_diversion=max(cap, d0), rates_per_minute=slot_rates(scenario, s, n_slots))

    campaigns = [_campaign_segment(scenario, k, s, _zero_if_nan(
                     baseline.segment_kpi(s, "staffed_first_self_service").mean),
                                   segments[s].rates_per_minute)
                 for k, camp in scenario.campaigns.items()
                 for s in scenario.segments if responds(scenario, camp, s)
                 and camp.max_units > 0]

    by_campaign: dict[str, list[CampaignSegment]] = {}
    for cs in campaigns:
        by_campaign.setdefault(cs.segment, []).append(cs)
    staffed = []
    moved_minutes: dict[tuple[str, str, str], float] = {}  # (campaign, segment, channel)
    reps = baseline.replications
    for c in staffed_names:
        spec = channels[c]
        ivr_share = ratio(baseline.channel_kpi(c, "served_ivr").mean,
                          baseline.channel_kpi(c, "served").mean)
        agent_share = 1.0 - _zero_if_nan(ivr_share)  # IVR completions need no agent
        for h in range(n_slots):
            rate = baseline.hourly_mean(c, h, "joined", "balked") / SLOT_MINUTES
            by_seg = {s: segments[s].rates_per_minute[h] * share * agent_share
                      for s, share in users[c].items()} if rate > 0 else {}
            mean, scv = measured_service(reps, c, h) or (_weighted_mean(
                {s: _mean_service(scenario, s, c) for s in by_seg}, by_seg), 1.0)
            slot = StaffedSlot(
                channel=c, kind=spec.kind, slot=h, base_rate=rate,
                rate_drop={s: by_seg[s] / segments[s].staffed_share
                           for s in by_seg if segments[s].staffed_share > 0},
                mean_service_minutes=mean,
                patience_rate=_patience_rate(scenario, by_seg, spec.target_wait_minutes),
                service_scv=scv,
                target_wait_minutes=spec.target_wait_minutes, target_share=spec.target_share,
                base_staff=servers_at(spec, h * SLOT_MINUTES),
                staff_cost=spec.cost_per_server_hour * SLOT_MINUTES / MINUTES_PER_HOUR)
            drop = 0.0
            for x, arrivals in slot.rate_drop.items():
                fastest = 0.0  # the lowest rate: every segment at its cap, at the fastest
                for cs in by_campaign.get(x, []):
                    key, moved = (cs.campaign, x), arrivals * cs.effect * cs.opened(h)
                    if moved <= 0:
                        continue
                    if (cs.campaign, x, c) not in moved_minutes:
                        moved_minutes[(cs.campaign, x, c)] = moved_service(scenario, cs, c)
                    slot.moved_drop[key] = moved
                    slot.work_drop[key] = moved * moved_minutes[(cs.campaign, x, c)] / mean
                    fastest = max(fastest, slot.work_drop[key] / cs.effect)
                drop += fastest * max(0.0, segments[x].max_diversion - segments[x].base_diversion)
            slot.levels = staffing_levels(slot, max(0.0, rate - drop),
                                          settings.max_staff.get(c))
            staffed.append(slot)

    capacity, kiosks, online_caps = [], {}, {}
    for c, spec in channels.items():
        capped = spec.kind is ChannelKind.online and spec.concurrency_cap is not None
        if spec.kind is not ChannelKind.kiosk and not capped:
            continue
        if spec.kind is ChannelKind.kiosk:
            base = installed_machines(spec)
            kiosks[c] = KioskData(c, base, settings.max_kiosks.get(c, base + 10),
                                  spec.cost_per_server_hour * horizon / MINUTES_PER_HOUR)
            count = base
        else:
            assert spec.concurrency_cap is not None
            online_caps[c] = count = spec.concurrency_cap
        hourly = baseline.replications
        promoting = [cs for cs in campaigns if cs.channel_weights.get(c, 0.0) > 0]
        opened = open_slots(scenario, c, n_slots)
        for h in range(n_slots):
            arrivals = baseline.hourly_mean(c, h, "arrivals")
            measured = measured_service(hourly, c, h)
            mean = measured[0] if measured else nominal_service_minutes(scenario, c)
            base_load = arrivals / SLOT_MINUTES * mean
            per = {(cs.campaign, cs.segment): segments[cs.segment].rates_per_minute[h]
                   * cs.channel_weights[c] * mean for cs in promoting} if opened[h] else {}
            capacity.append(CapacitySlot(
                c, h, base_load, {k: v for k, v in per.items() if v > 0},
                tolerated=max(0.0, base_load - settings.kiosk_max_utilisation * count)))
    return PlanningData(n_slots, segments, campaigns, staffed, capacity, kiosks, online_caps,
                        settings.kiosk_max_utilisation, settings.max_total_kiosks,
                        settings.kiosk_budget)


def _campaign_segment(scenario: Scenario, name: str, segment: str, leak: float,
                      rates: list[float]) -> CampaignSegment:
    camp = scenario.campaigns[name]
    seg = scenario.segments[segment]
    factor = camp.responsiveness.get(segment, 1.0)
    # success on the promoted channels, over the types of the mix they can carry
    own = [c for c in camp.channels if reach(scenario, seg, scenario.channels[c]) == OWN]
    weights, success, carriers = 0.0, 0.0, {c: 0.0 for c in own}
    for t, share in seg.mix.items():
        tt = scenario.transactions[t]
        promoted = [c for c in own if c in tt.service]
        if not promoted:
            continue
        weights += share
        for c in promoted:
            carriers[c] += share / len(promoted)
            success += share / len(promoted) * success_probability(scenario, seg, t, c)
    total = sum(carriers.values())
    p = success / weights if weights else 0.0
    shares = {c: w / total for c, w in carriers.items() if w > 0} if total else {}
    # a branch's kiosk moves nobody while the branch is closed: per slot, the share of the
    # moved journeys whose channel is open, and the day's, weighted by the arrivals
    opened = {c: open_slots(scenario, c, len(rates)) for c in shares}
    open_share = [sum(w for c, w in shares.items() if opened[c][h]) for h in range(len(rates))]
    day_open = sum(r * o for r, o in zip(rates, open_share)) / sum(rates) if sum(rates) > 0 \
        else 0.0
    return CampaignSegment(
        campaign=name, segment=segment, pool=network_segment(scenario, segment),
        unit_cost=camp.unit_cost, min_units=camp.min_units,
        max_units=camp.max_units, integer_units=camp.integer_units,
        curve=breakpoints(camp.response, camp.max_units, factor, also=(camp.min_units,)),
        success=p, effect=max(0.0, p - leak) * day_open, channel_weights=shares,
        open_share=[o / day_open if day_open > 0 else 0.0 for o in open_share])


def staffing_levels(slot: StaffedSlot, low_rate: float, limit: Optional[int] = None
                    ) -> list[tuple[int, float]]:
    """The staffing step function between ``low_rate`` and today's rate, as (staff, the
    highest rate that staff serve within target); the top step serves any rate up to
    today's unless a headcount ``limit`` caps it."""
    args = (slot.mean_service_minutes, slot.patience_rate, slot.target_wait_minutes,
            slot.target_share)
    scv = slot.service_scv
    low = minimum_staff(low_rate, *args, scv)
    high = minimum_staff(slot.base_rate, *args, scv)
    if limit is not None:
        high = min(high, limit)
        low = min(low, high)
    upper = slot.base_rate * 2 + 1
    levels = [(n, highest_rate(n, *args, upper=upper, scv=scv)) for n in range(low, high)]
    return levels + [(high, highest_rate(high, *args, upper=upper, scv=scv) if limit is not None
                      else math.inf)]


MIN_SERVICE_SAMPLES = 30  # fewer services in a slot: the channel's mean over the day


def measured_service(replications: list[ReplicationResult], channel: str, slot: int
                     ) -> Optional[tuple[float, float]]:
    """The mean service time the baseline's servers gave in a slot and its squared
    coefficient of variation, pooled over replications (the day's where the slot saw
    fewer than MIN_SERVICE_SAMPLES services; None where nobody was served at all).

    Measured, not derived from the mix: what reaches a server is the mix filtered by the
    choice model, the IVR (which completes mostly the short calls) and deflection, by
    the same rules the simulator applies.
    """
    def pooled(hours: range) -> tuple[float, float, float]:
        started = total = squares = 0.0
        for r in replications:
            h = r.hourly[channel]
            for i in hours:
                n = h["started"][i]
                if n > 0:
                    started += n
                    total += n * h["service_mean"][i]
                    squares += n * h["service_second_moment"][i]
        return started, total, squares

    started, total, squares = pooled(range(slot, slot + 1))
    if started < MIN_SERVICE_SAMPLES:
        started, total, squares = pooled(range(len(replications[0].hourly[channel]["started"])))
    if started <= 0:
        return None
    mean = total / started
    return mean, max(0.0, squares / started / mean**2 - 1.0)


def moved_service(scenario: Scenario, cs: CampaignSegment, channel: str) -> float:
    """The mean service at a staffed ``channel`` of the journeys a campaign moves from a
    segment: the types of its mix that the campaign's channels (those the segment reaches)
    carry, weighted by their share of the mix that reaches the channel's servers (the IVR
    completes some types first).  0 when none of them is served there."""
    seg = scenario.segments[cs.segment]
    spec = scenario.channels[channel]
    weights, total = 0.0, 0.0
    for t, share in seg.mix.items():
        tt = scenario.transactions[t]
        if channel not in tt.service or not any(c in tt.service for c in cs.channel_weights):
            continue
        w = share * (1.0 - spec.ivr_completion.get(t, 0.0))
        weights += w
        total += w * mean_minutes(tt.service[channel])
    return total / weights if weights > 0 else 0.0


def _mean_service(scenario: Scenario, segment: str, channel: str) -> float:
    seg = scenario.segments[segment]
    pairs = {t: share for t, share in seg.mix.items() if channel in scenario.transactions[t].service}
    means = {t: mean_minutes(scenario.transactions[t].service[channel]) for t in pairs}
    return _weighted_mean(means, pairs) if pairs else nominal_service_minutes(scenario, channel)


def _patience_rate(scenario: Scenario, weights: dict[str, float], window: float) -> float:
    """Erlang A's theta for the callers of a channel: their segments' patience mixed by
    their calls, read over the target wait (theory.patience_rate_within); 0 where
    nobody abandons."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    window = max(window, MIN_PATIENCE_WINDOW_MINUTES)
    stay = sum(w * (1.0 if (p := scenario.segments[s].patience) is None else survival(p, window))
               for s, w in weights.items()) / total
    return theory.patience_rate_within(stay, window)


def _weighted_mean(values: dict[str, float], weights: dict[str, float]) -> float:
    total = sum(weights.get(k, 0.0) for k in values)
    if total <= 0:
        return sum(values.values()) / len(values) if values else 1.0
    return sum(values[k] * weights.get(k, 0.0) for k in values) / total


def _zero_if_nan(x: float) -> float:
    return 0.0 if math.isnan(x) else x
