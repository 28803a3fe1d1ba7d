"""The customer process: choose a channel, queue, balk or abandon, succeed or fail, switch.

A journey is a sequence of visits, at most ``switching.max_attempts`` of them.  Each visit
ends in one outcome; the journey then ends (served, or lost) or moves to another channel:
- balked or abandoned: with the segment's retry probability, another eligible channel;
- failed (e.g. a kiosk the customer could not use): a staffed eligible channel;
- deflected by the hotline's IVR: the online channel whose link was accepted;
- lobby guidance at a branch sends a counter-bound customer to the kiosk before queueing.
"""

from __future__ import annotations

import math
from enum import Enum
from functools import partial
from typing import Any, Generator, Optional

import simpy

from sim.engine.context import JourneyContext, Option, SegmentState, choose
from sim.engine.metrics import ChannelStats, JourneyStats
from sim.engine.pool import ServerPool, Ticket
from sim.scenario import MINUTES_PER_HOUR, ChannelKind

NAN = math.nan  # a time the visit never reached (no queue, no service)


class Outcome(Enum):
    """How one visit to a channel ended; the journey then ends or moves on (module docstring).

    - ``served``: the transaction was done there (on a kiosk or online: self-service).
    - ``served_ivr``: the IVR completed the call before any agent.
    - ``balked``: left on arrival, finding ``balk_queue_length`` people waiting (online: a
      full concurrency cap).
    - ``abandoned``: left the queue when patience ran out.
    - ``failed``: the attempt did not succeed (the success draw, e.g. a kiosk the customer
      could not use) or an online channel was down.
    - ``deflected``: took the IVR's offer of an online channel.
    """

    served = "served"
    served_ivr = "served_ivr"  # the IVR completed the transaction: self-service
    balked = "balked"
    abandoned = "abandoned"
    failed = "failed"
    deflected = "deflected"


# a visit returns its outcome, the wait in queue, for a deflection where to go next, and
# the minute it joined the queue (NaN if it never did)
Visit = Generator[simpy.Event, None, tuple[Outcome, float, Optional[Option], float]]


def journey(m: JourneyContext, seg: SegmentState, ttype: str) -> Generator[simpy.Event, None, None]:
    """The SimPy process of one customer of segment ``seg`` who wants transaction ``ttype``
    done, from arrival to the journey's end.

    The customer chooses a channel (``choose``: a logit over utility minus the announced
    wait, or the cheapest for a steered segment), then visits channels until one serves
    them, the journey is lost, or ``switching.max_attempts`` visits are made (module
    docstring: where each outcome leads).  Each visit updates its channel's statistics;
    the journey's end updates the journey statistics (``m.journeys``, or the warm-up sink
    for a journey that started before ``run.warmup_minutes``): completed or lost, on
    self-service (kiosk, online, or ended in the IVR: diversion) or not, the flow (segment,
    first choice, final channel or "lost"; first choice "none" when nothing was open), the
    peak-end satisfaction in [0, 1] and the duration in minutes.

    ``Model`` starts one per arrival (``env.process(journey(model, segment, type))``); it
    reads only the ``JourneyContext``, not the Model that runs it.
    """
    env = m.env
    start = env.now
    customer = m.next_customer
    m.next_customer += 1
    js = m.journeys if start >= m.warmup else m.warmup_journeys
    js.started += 1
    m.journeys.change_in_system(start, +1)
    options = seg.options[ttype]
    sat = m.sat
    worst, last = 1.0, sat.lost_score
    tried: set = set()
    option = choose(seg, options, tried)
    first = option.channel.name if option is not None else "none"
    if option is None:
        js.lost_closed += 1  # lost with a reason: nothing that carries it was open
    final = "lost"
    attempts = 0
    self_service = moved = switched = redial = False
    outcome = None
    while option is not None:
        attempts += 1
        channel = option.channel
        # guidance does not send back to self-service someone who just failed there
        if m.switching and channel.kind is ChannelKind.counter and outcome is not Outcome.failed:
            option = _guide(m, seg, options, option, tried, js)
            moved = moved or option.channel is not channel
        channel = option.channel
        tried.add(channel)
        stats = (channel.stats if env.now >= m.warmup  # m.stats_now, inlined: the hot path
                 else m.warmup_stats[channel.name])
        if redial:
            stats.redials += 1
        elif attempts > 1 or moved:
            stats.switched_in += 1
        if m.trace is not None:
            m.record(customer, seg.name, ttype, channel.name, "arrive", 0.0, NAN, NAN)
        if channel.kind is ChannelKind.online:
            outcome, wait, target, entry = yield from _online_visit(m, option, stats)
        else:
            can_switch = m.switching and attempts < m.max_attempts
            times = m.open_visits.get(customer) if m.trace is not None else None
            outcome, wait, target, entry = yield from _queue_visit(
                m, seg, option, options, tried, stats, can_switch, times)
        stats.in_system -= 1
        if m.trace is not None:
            started = entry + wait if outcome is Outcome.served or outcome is Outcome.failed else NAN
            m.record(customer, seg.name, ttype, channel.name, outcome.value, wait, entry, started)

        if outcome is Outcome.served or outcome is Outcome.served_ivr:
            moment = math.exp(-wait / sat.wait_scale_minutes)
            worst, last = min(worst, moment), moment
            final = channel.name
            self_service = channel.self_service or outcome is Outcome.served_ivr
            break
        worst = min(worst, _moment(m, outcome))
        redial = (outcome is Outcome.abandoned and seg.redial_delay is not None
                  and attempts < m.max_attempts
                  and seg.decide_u() < seg.spec.redial_probability)
        if redial:  # the same channel again, after a while (a caller who rings back)
            assert seg.redial_delay is not None
            yield env.timeout(seg.redial_delay())
            if not channel.is_open():
                option = None
            continue
        option = yield from _next_option(m, seg, options, tried, outcome, attempts, target)
        if option is not None:
            stats.switched_out += 1
            switched = True

    now = env.now
    if final == "lost":
        js.lost += 1
        last = sat.lost_score
        worst = min(worst, last)
    else:
        js.completed += 1
        js.self_service += self_service
        if seg.self_service_eligible[ttype]:
            js.eligible += 1
            js.eligible_self_service += self_service
    js.switched += switched or moved
    js.flows[(seg.name, first, final)] += 1
    js.self_service_by_segment[seg.name] += self_service
    js.satisfaction_sum += sat.peak_weight * worst + (1.0 - sat.peak_weight) * last
    js.duration_sum += now - start
    m.journeys.change_in_system(now, -1)


def _moment(m: JourneyContext, outcome: Outcome) -> float:
    sat = m.sat
    if outcome is Outcome.balked:
        return sat.balk_score
    if outcome is Outcome.abandoned:
        return sat.abandon_score
    if outcome is Outcome.failed:
        return sat.failure_score
    return 1.0  # a deflection is an offer taken, not a bad moment


def _next_option(m: JourneyContext, seg: SegmentState, options: list[Option], tried: set,
                 outcome: Outcome, attempts: int, target: Optional[Option]
                 ) -> Generator[simpy.Event, None, Optional[Option]]:
    """Where the journey goes after a visit that did not serve, or None if it ends."""
    if not m.switching or attempts >= m.max_attempts:
        return None
    if outcome is Outcome.deflected:
        return target
    if outcome is Outcome.failed:
        return choose(seg, options, tried, staffed_only=True)
    if seg.decide_u() >= seg.spec.retry_probability:
        return None
    if outcome is Outcome.abandoned and seg.retry_delay is not None:
        yield m.env.timeout(seg.retry_delay())
    return choose(seg, options, tried)


def _guide(m: JourneyContext, seg: SegmentState, options: list[Option], option: Option,
           tried: set, js: JourneyStats) -> Option:
    """A lobby guide may send a counter-bound customer to the branch's kiosk."""
    guide = m.guides.get(option.channel.spec.branch)
    if guide is None or guide.kiosk in tried or not guide.kiosk.is_open():
        return option
    kiosk_option = next((o for o in options if o.channel is guide.kiosk), None)
    if kiosk_option is None or not guide.try_book(m.env.now):
        return option
    if seg.decide_u() >= seg.spec.lobby_acceptance:
        return option
    m.stats_now(option.channel).guided_out += 1
    js.guided += 1
    return kiosk_option


def _arrive(m: JourneyContext, stats: ChannelStats) -> int:
    hour = int(m.env.now // MINUTES_PER_HOUR)
    stats.arrivals += 1
    stats.hourly["arrivals"][hour] += 1
    stats.in_system += 1
    return hour


def _finish_service(m: JourneyContext, option: Option, stats: ChannelStats, hour: int) -> Outcome:
    stats.handled += 1
    if option.success < 1.0 and m.success_u[option.channel.name]() >= option.success:
        stats.failed += 1
        stats.hourly["failed"][hour] += 1
        return Outcome.failed
    stats.served += 1
    stats.hourly["served"][hour] += 1
    return Outcome.served


def _online_visit(m: JourneyContext, option: Option, stats: ChannelStats) -> Visit:
    """Online: no queue.  An outage fails the attempt; a full concurrency cap is a balk."""
    hour = _arrive(m, stats)
    channel = option.channel
    if not channel.up:
        stats.failed += 1
        stats.hourly["failed"][hour] += 1
        return Outcome.failed, 0.0, None, NAN
    pool = channel.pool
    if pool is not None and not pool.try_seize():
        stats.balked += 1
        stats.hourly["balked"][hour] += 1
        return Outcome.balked, 0.0, None, NAN
    stats.record_wait(0.0, hour)
    stats.within_target += 1
    stats.hourly["within_target"][hour] += 1
    began = m.env.now
    yield m.env.timeout(option.service())
    if pool is not None:
        pool.release()
    return _finish_service(m, option, stats, hour), 0.0, None, began


GAVE_UP = object()  # a ticket's value when its customer's patience ran out first


def _give_up(pool: ServerPool, ticket: Ticket, _: simpy.Event) -> None:
    """Patience ran out: if the ticket is still waiting, it leaves the queue and its event
    succeeds with GAVE_UP (the customer resumes as abandoned); a served ticket is left."""
    if not ticket.event.triggered:
        pool.leave_queue(ticket)
        ticket.event.succeed(GAVE_UP)


def _queue_visit(m: JourneyContext, seg: SegmentState, option: Option, options: list[Option],
                 tried: set, stats: ChannelStats, can_switch: bool,
                 times: Optional[list[Any]] = None) -> Visit:
    """Counter, kiosk or hotline: (IVR,) balk or join the queue, wait or abandon, serve."""
    env = m.env
    channel = option.channel
    spec = channel.spec
    pool = channel.pool
    assert pool is not None
    hour = _arrive(m, stats)
    if channel.ivr is not None:
        yield env.timeout(channel.ivr())
    if option.ivr_completion > 0 and m.success_u[channel.name]() < option.ivr_completion:
        stats.served_ivr += 1
        stats.hourly["served_ivr"][hour] += 1
        stats.served += 1
        stats.hourly["served"][hour] += 1
        return Outcome.served_ivr, 0.0, None, NAN
    if spec.deflect_to and can_switch:
        by_name = {o.channel.name: o for o in options if o.channel not in tried}
        target = next((by_name[n] for n in spec.deflect_to if n in by_name), None)
        if target is not None and seg.decide_u() < seg.spec.deflection_acceptance:
            stats.deflected += 1
            stats.hourly["deflected"][hour] += 1
            return Outcome.deflected, 0.0, target, NAN
    if (spec.balk_queue_length is not None and pool.busy >= pool.capacity
            and pool.waiting >= spec.balk_queue_length):
        stats.balked += 1
        stats.hourly["balked"][hour] += 1
        return Outcome.balked, 0.0, None, NAN

    joined = env.now
    if times is not None:  # a trace: the visit's queue entry, for an in_progress row
        times[3] = joined
    if not pool.try_seize():
        ticket = pool.join(priority=seg.name in channel.priority_segments)
        if seg.patience is None:
            yield ticket.event
        else:
            patience = seg.patience()
            if seg.patience_factors:
                factors = seg.patience_factors
                patience *= factors[int(joined // seg.patience_slot) % len(factors)]
            # patience as a timeout whose callback withdraws a ticket still waiting (no
            # Condition event per queued customer: the customer waits on the ticket alone)
            env.timeout(patience).callbacks.append(partial(_give_up, pool, ticket))
            if (yield ticket.event) is GAVE_UP:
                wait = env.now - joined
                stats.record_wait(wait, hour, served=False)
                stats.abandoned += 1
                stats.hourly["abandoned"][hour] += 1
                return Outcome.abandoned, wait, None, joined
    wait = env.now - joined
    stats.record_wait(wait, hour)
    if wait <= spec.target_wait_minutes:
        stats.within_target += 1
        stats.hourly["within_target"][hour] += 1
    if times is not None:
        times[4] = env.now
    service = option.service()
    if channel.service_factors:
        service *= channel.service_factor(env.now)
    stats.record_service(service, hour)
    yield env.timeout(service)
    pool.release()
    return _finish_service(m, option, stats, hour), wait, None, joined
