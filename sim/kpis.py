"""KPI definitions: the streamed statistics of one replication turned into named values.

Every KPI the tool reports is defined here, once, with the range its values can take
(``KPI_RANGES``, which confidence intervals are clipped to); the README's KPI table
follows it. NaN marks a value that is undefined in a replication (e.g. a wait with nobody
queueing).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from sim.channel_rules import server_minutes
from sim.engine.channels import ChannelState
from sim.engine.context import TraceRow
from sim.engine.metrics import ChannelStats
from sim.engine.model import Model
from sim.scenario import MINUTES_PER_HOUR, ChannelKind, threshold_label

CHANNEL_COUNTS = ("arrivals", "joined", "served", "served_ivr", "balked", "abandoned", "failed",
                  "deflected", "guided_out", "switched_in", "switched_out", "redials")
HOURLY_KPIS = ("arrivals", "joined", "served", "served_ivr", "served_server", "abandoned", "balked",
               "failed", "deflected", "wait_mean", "wait_served_mean", "wait_abandoned_mean",
               "p_wait", "service_level", "utilisation", "servers", "service_mean")


# The range of each KPI's values: a confidence interval is clipped to it (a Student-t
# interval on two replications of a small count runs well below zero otherwise).
UNBOUNDED = (-math.inf, math.inf)
NON_NEGATIVE = (0.0, math.inf)  # counts, rates, times, costs
SHARE = (0.0, 1.0)  # shares, probabilities, satisfaction scores
KPI_RANGES: dict[str, tuple[float, float]] = {
    **dict.fromkeys(CHANNEL_COUNTS, NON_NEGATIVE),
    # overall (replication_result) and per segment (segment_kpis)
    **dict.fromkeys(("journeys", "completed", "lost", "lost_closed", "in_progress_end", "guided", "deflected",
                     "cost_total", "cost_per_transaction", "arrival_rate_per_minute",
                     "mean_journey_minutes", "mean_in_system"), NON_NEGATIVE),
    **dict.fromkeys(("diversion_rate", "diversion_eligible", "lost_rate", "switch_rate",
                     "satisfaction", "staffed_first_self_service"), SHARE),
    # per channel (channel_kpis) and per hour (hourly_kpis)
    **dict.fromkeys(("in_system_end", "wait_mean", "wait_p50", "wait_p90", "wait_p95",
                     "served_server", "wait_served_mean", "wait_served_p90",
                     "wait_abandoned_mean", "wait_abandoned_p90",
                     "mean_queue_length", "mean_servers", "cost", "servers", "service_mean",
                     "started", "service_second_moment"), NON_NEGATIVE),
    **dict.fromkeys(("p_wait", "service_level", "abandon_rate", "utilisation", "volume_share"),
                    SHARE),
    # per month (sim.months.model.MONTHLY_KPIS)
    **dict.fromkeys(("transactions", "churned", "contacted", "promotion_spend"), NON_NEGATIVE),
    **dict.fromkeys(("e_channel_share", "penetration", "penetration_cumulative", "churn_rate"),
                    SHARE),
}
COUNT_PREFIXES = ("served.", "active.")  # served.<channel> per segment, active.<channel> per month
SHARE_PREFIXES = ("within_",)  # within_<seconds>s: the share answered within a threshold


def served_key(channel: str) -> str:
    """A segment's KPI: its journeys completed on ``channel`` (``served.<channel>``)."""
    return f"served.{channel}"


def kpi_range(name: str) -> tuple[float, float]:
    """The range of the KPI called ``name``; a KPI without one is a bug (KeyError)."""
    if name.startswith(COUNT_PREFIXES):
        return NON_NEGATIVE
    if name.startswith(SHARE_PREFIXES):
        return SHARE
    return KPI_RANGES[name]


@dataclass
class ReplicationResult:
    """The KPIs of one replication as plain numbers, read from its Model once it has run
    (``replication_result``): what experiments aggregate into estimates, and what the
    tables and the optimiser read instead of the engine's state.  NaN marks a KPI that is
    undefined in this replication (a share of nobody)."""

    replication: int  # its index: its random streams are Streams(run.seed, replication)
    kpis: dict[str, float]  # overall KPI -> value (diversion_rate, cost_total, ...)
    channels: dict[str, dict[str, float]]  # channel -> KPI (channel_kpis, volume_share)
    segments: dict[str, dict[str, float]]  # segment -> KPI (completed, served.<channel>, ...)
    hourly: dict[str, dict[str, list[float]]]  # channel -> KPI -> value per hour
    flows: dict[tuple[str, str], int]  # (first choice, final channel or "lost") -> journeys
    trace: Optional[list[TraceRow]]  # one row per visit event with run.trace, else None


def ratio(num: float, den: float) -> float:
    """num / den as a Python float; NaN (undefined) where the denominator is not positive:
    a share of nobody is not 0. The one rule for every rate the simulator, months mode and
    the optimiser compute."""
    return float(num) / float(den) if den > 0 else math.nan


def channel_kpis(ch: ChannelState, s: ChannelStats, start: float, end: float) -> dict[str, float]:
    """One channel's KPIs over ``[start, end)`` (warm-up to horizon, minutes): its visit
    counts (CHANNEL_COUNTS), the wait of those who joined (mean and quantiles, minutes),
    their chance of waiting, service level and abandon rate, utilisation, the time-average
    queue and servers, arrivals per minute, and the cost (fees per handled attempt plus
    scheduled server hours x ``cost_per_server_hour``).  Shares of nobody are NaN; an
    online channel without a cap has no pool: queue 0, servers and utilisation NaN."""
    span = end - start
    spec = ch.spec
    values: dict[str, float] = {key: float(getattr(s, key)) for key in CHANNEL_COUNTS}
    staff_hours = (0.0 if ch.kind is ChannelKind.online
                   else server_minutes(spec, start, end) / MINUTES_PER_HOUR)
    waits = s.sketch  # everyone who joined
    values.update(
        served_server=float(s.served - s.served_ivr),
        in_system_end=float(s.in_system),
        wait_mean=ratio(s.wait_sum, s.joined),
        wait_p50=waits.quantile(0.50),
        wait_p90=waits.quantile(0.90),
        wait_p95=waits.quantile(0.95),
        wait_served_mean=ratio(s.wait_served_sum, s.joined - s.abandoned),
        wait_served_p90=s.sketch_served.quantile(0.90),
        wait_abandoned_mean=ratio(s.wait_abandoned_sum, s.abandoned),
        wait_abandoned_p90=s.sketch_abandoned.quantile(0.90),
        p_wait=ratio(s.waited, s.joined),
        service_level=ratio(s.within_target, s.joined),
        **{threshold_label(t): ratio(n, s.joined) for t, n in zip(s.thresholds, s.within)},
        abandon_rate=ratio(s.abandoned, s.joined),
        utilisation=ratio(s.busy_area, s.capacity_area),
        mean_queue_length=s.queue_area / span if ch.pool is not None else 0.0,
        mean_servers=s.capacity_area / span if ch.pool is not None else math.nan,
        arrival_rate_per_minute=s.arrivals / span,
        cost=spec.cost_per_transaction * s.handled + spec.cost_per_server_hour * staff_hours,
    )
    return values


def hourly_kpis(s: ChannelStats) -> dict[str, list[float]]:
    """A channel's KPIs per hour of the run (hour 0 starts at minute 0), each visit counted
    in the hour it arrived: counts, mean wait, chance of waiting, service level,
    utilisation, servers available (server-minutes / 60, so a part hour reads low), and
    the number, mean and second moment of the service times that started (what the
    optimiser reads as a slot's service).  NaN where nobody joined or started."""
    h = s.hourly
    n = len(h["arrivals"])
    return {
        "arrivals": list(h["arrivals"]),
        "joined": list(h["joined"]),
        "served": list(h["served"]),
        "served_ivr": list(h["served_ivr"]),
        "served_server": [h["served"][i] - h["served_ivr"][i] for i in range(n)],
        "abandoned": list(h["abandoned"]),
        "balked": list(h["balked"]),
        "failed": list(h["failed"]),
        "deflected": list(h["deflected"]),
        "wait_mean": [ratio(h["wait_sum"][i], h["joined"][i]) for i in range(n)],
        "wait_served_mean": [ratio(h["wait_served_sum"][i], h["joined"][i] - h["abandoned"][i])
                             for i in range(n)],
        "wait_abandoned_mean": [ratio(h["wait_abandoned_sum"][i], h["abandoned"][i])
                                for i in range(n)],
        "p_wait": [ratio(h["waited"][i], h["joined"][i]) for i in range(n)],
        "service_level": [ratio(h["within_target"][i], h["joined"][i]) for i in range(n)],
        **{threshold_label(t): [ratio(h[f"within_{k}"][i], h["joined"][i]) for i in range(n)]
           for k, t in enumerate(s.thresholds)},
        "utilisation": [ratio(h["busy_area"][i], h["capacity_area"][i]) for i in range(n)],
        "servers": [h["capacity_area"][i] / MINUTES_PER_HOUR for i in range(n)],
        "started": list(h["started"]),
        "service_mean": [ratio(h["service_sum"][i], h["started"][i]) for i in range(n)],
        "service_second_moment": [ratio(h["service_sq_sum"][i], h["started"][i]) for i in range(n)],
    }


def replication_result(m: Model) -> ReplicationResult:
    """Read the KPIs of a replication that has run (``Model.run``): per channel
    (``channel_kpis`` and its ``volume_share`` of all served visits) and per hour, overall
    (journeys completed and lost, diversion, lost, switch and satisfaction rates, cost, and
    Little's law's lambda, W and L for whole journeys), per segment (``segment_kpis``),
    the flows first choice -> final channel (over segments) and the trace.  Journeys count
    if they started after the warm-up."""
    start, end = m.warmup, m.horizon
    channels = {name: channel_kpis(ch, ch.stats, start, end) for name, ch in m.channels.items()}
    served_total = sum(c["served"] for c in channels.values())
    for c in channels.values():
        c["volume_share"] = ratio(c["served"], served_total)
    js = m.journeys
    ended = js.completed + js.lost
    cost = sum(c["cost"] for c in channels.values())
    kpis = {
        "journeys": float(js.started),
        "completed": float(js.completed),
        "lost": float(js.lost),
        "lost_closed": float(js.lost_closed),
        "in_progress_end": float(js.started - ended),
        "diversion_rate": ratio(js.self_service, js.completed),
        "diversion_eligible": ratio(js.eligible_self_service, js.eligible),
        "lost_rate": ratio(js.lost, ended),
        "switch_rate": ratio(js.switched, ended),
        "guided": float(js.guided),
        "deflected": sum(c["deflected"] for c in channels.values()),
        "satisfaction": ratio(js.satisfaction_sum, ended),
        "cost_total": cost,
        "cost_per_transaction": ratio(cost, js.completed),
        "arrival_rate_per_minute": js.started / (end - start),
        "mean_journey_minutes": ratio(js.duration_sum, ended),
        "mean_in_system": js.system_area / (end - start),
    }
    hourly = {name: hourly_kpis(ch.stats) for name, ch in m.channels.items()}
    segments = {seg.name: segment_kpis(m, seg.name) for seg in m.segments}
    flows: Counter[tuple[str, str]] = Counter()
    for (_, first, final), n in js.flows.items():
        flows[(first, final)] += n
    return ReplicationResult(m.replication, kpis, channels, segments, hourly, dict(flows), m.trace)


def segment_kpis(m: Model, segment: str) -> dict[str, float]:
    """Journeys of one segment: outcomes, diversion, where they were served, and how many
    that set out for a staffed channel ended on self-service (guided, deflected, switched)."""
    js = m.journeys
    served = dict.fromkeys(m.channels, 0.0)
    lost = staffed_first = staffed_first_self = 0.0
    for (seg, first, final), n in js.flows.items():
        if seg != segment:
            continue
        if final == "lost":
            lost += n
            continue
        served[final] += n
        if first in m.channels and m.channels[first].staffed:
            staffed_first += n
            staffed_first_self += n * m.channels[final].self_service
    completed = sum(served.values())
    return {
        "completed": completed,
        "lost": lost,
        "diversion_rate": ratio(js.self_service_by_segment[segment], completed),
        "staffed_first_self_service": ratio(staffed_first_self, staffed_first),
        **{served_key(name): v for name, v in served.items()},
    }
