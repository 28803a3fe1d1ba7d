"""A contact log's normalized table (``sim.logs``) -> the Scenario of one contact centre
(a hotline, or a branch's counters from a ticket log) and a report of every fitted
parameter with its confidence interval (fit.json).

What the scenario holds, fitted interval by interval (``FitSettings.interval_minutes``) on
the day the log spans (``open_hour`` to ``close_hour``: whole hours from the first
arrival to the last service end, so the centre serves who queued at closing):

- segments: one, ``callers``, or one per priority class (``priority_<p>``) when the log
  has several, the highest class served first (``priority_segments``; the schema has two
  levels, so any classes in between queue with the lowest): arrival rates per interval
  (the mean over the chosen days; ``sim.fitting.demand``) and the mix of contact types;
  patience from censored waits, per class where it has enough abandonments, with factors
  by interval where a likelihood-ratio test says patience varies over the day; redials
  where the log identifies customers (``sim.fitting.behaviour``);
- one channel (``FitSettings.channel``; a hotline unless named ``counter`` or set by
  ``FitSettings.kind``): agents per interval, fractional (a time average), from a roster
  or from the agents' activity (``sim.fitting.staffing``); for a hotline an IVR with its
  time and, per type, the share it completes, where the log records IVR times; the
  service time of each type (lognormal or gamma, the better by AIC) and per-interval
  service factors (an interval's mean over the day's, where it has enough services).

Estimates are at ``FitSettings.level`` (95% by default); the report is plain data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, List, Optional

import numpy as np
import pandas as pd

from sim.estimators import estimate_ivr, fit_service_by_interval, fit_service_time
from sim.fitting.behaviour import (
    fit_callers_patience,
    fit_redials,
    patience_factors,
    waiting,
)
from sim.fitting.demand import fit_demand
from sim.fitting.report import as_distribution, estimate_dict, family_dict
from sim.fitting.staffing import agents_from_activity, agents_from_roster_file
from sim.logs import DataQuality
from sim.logs.roster import Roster, read_roster
from sim.logs.table import ENDED_IN_IVR, GAVE_UP, SERVED
from sim.scenario import (
    MINUTES_PER_DAY,
    MINUTES_PER_HOUR,
    Arrivals,
    Channel,
    ChannelKind,
    Distribution,
    DistributionKind,
    Scenario,
    Segment,
    Switching,
    TransactionType,
)
from sim.validate import require, require_finite, validate_scenario

MIN_CLASS_ABANDONMENTS = 30  # a priority class's own patience fit needs this many
FITTED_KINDS = ("hotline", "counter")


@dataclass
class FitSettings:
    """The ``fit`` node: how to read the log into a scenario (the log itself is read by
    ``sim.logs.read_log``)."""

    interval_minutes: int = 60  # the grid every rate, factor and staff level is fitted on
    days: List[str] = field(default_factory=list)  # dates the scenario represents; []: all
    channel: Optional[str] = None  # the fitted channel: which one, in a log of several (a
    # trace of a branch, a hall), and its name in the scenario; None: the log's only one
    kind: Optional[str] = None  # hotline | counter; None: counter for a channel named so
    # (a ticket log's), else hotline
    roster: Optional[str] = None  # a roster file (sim.logs.roster): agents per interval as
    # it states them; None: estimated from the agents' activity
    name: str = "fitted"  # the scenario's name
    target_wait_minutes: float = 1.0 / 3.0  # the service-level target written to the channel
    target_share: float = 0.8
    thresholds_minutes: List[float] = field(default_factory=lambda: [1.0 / 3.0, 1.0])
    occupancy: Optional[float] = None  # agents' occupancy where no queue shows it; None: the
    # busiest intervals'
    redial_horizon_minutes: float = 60.0  # a contact of the same customer within this long
    # after abandoning is a redial
    level: float = 0.95  # of every confidence interval in the report


@dataclass
class ScenarioFit:
    """What a fit found: the runnable ``scenario``, the ``report`` (fit.json) and the
    ``contacts`` it was fitted to (for the figures of fit against data)."""

    scenario: Scenario
    report: dict[str, Any]
    contacts: pd.DataFrame


def validate_fit_settings(settings: FitSettings, node: str = "fit") -> None:
    """ScenarioError naming ``<node>.<setting>`` for a setting out of range or not finite."""
    require_finite(settings, node)
    interval = settings.interval_minutes
    require(0 < interval <= MINUTES_PER_HOUR and MINUTES_PER_HOUR % interval == 0
            or interval > MINUTES_PER_HOUR and interval % MINUTES_PER_HOUR == 0,
            f"{node}.interval_minutes", interval, "must divide an hour or be whole hours")
    require(interval <= MINUTES_PER_DAY / 2, f"{node}.interval_minutes", interval,
            "at most 720: a day needs two intervals at least")
    require(settings.channel is None or bool(settings.channel.strip()), f"{node}.channel",
            settings.channel, "must name the channel (null: the log's only one)")
    require(settings.kind is None or settings.kind in FITTED_KINDS, f"{node}.kind",
            settings.kind, f"must be one of {', '.join(FITTED_KINDS)} (null: from the channel)")
    require(settings.target_wait_minutes >= 0, f"{node}.target_wait_minutes",
            settings.target_wait_minutes, "must be >= 0")
    require(0 < settings.target_share <= 1, f"{node}.target_share", settings.target_share,
            "a share must lie in (0, 1]")
    for i, threshold in enumerate(settings.thresholds_minutes):
        require(threshold > 0, f"{node}.thresholds_minutes[{i}]", threshold, "must be > 0")
    require(settings.occupancy is None or 0 < settings.occupancy <= 1, f"{node}.occupancy",
            settings.occupancy, "an occupancy lies in (0, 1] (null: the busiest intervals')")
    require(settings.redial_horizon_minutes > 0, f"{node}.redial_horizon_minutes",
            settings.redial_horizon_minutes, "must be > 0")
    require(0 < settings.level < 1, f"{node}.level", settings.level,
            "a confidence level lies in (0, 1)")


def channel_contacts(contacts: pd.DataFrame, channel: Optional[str], path: str) -> pd.DataFrame:
    """The contacts of one channel: all of a log that has one channel, else those of
    ``channel`` (ScenarioError naming ``path`` and the log's channels if it has none)."""
    channels = sorted(contacts["channel"].unique())
    if len(channels) <= 1:
        return contacts
    require(channel in channels, path, channel,
            f"the log holds several channels: name one of {', '.join(channels)}")
    return contacts[contacts["channel"] == channel]


def day_span(arrivals: np.ndarray, ends: np.ndarray, interval_minutes: int) -> tuple[int, int]:
    """(open_hour, close_hour): the whole hours from the first arrival of the log to the
    last moment anything happened (``ends``: every contact's last known time; a centre
    serves who is queued at closing, so the day runs until then), as many as make whole
    intervals (``interval_minutes`` divides an hour or is whole hours), at least two
    intervals' worth, 24 at most."""
    open_hour = int(math.floor(float(arrivals.min()) / MINUTES_PER_HOUR))
    # an arrival at 12:00 is in the hour from 12:00; a service that ends at 12:00 is not
    last_arrival = int(math.ceil((float(arrivals.max()) + 1e-9) / MINUTES_PER_HOUR))
    known = ends[~np.isnan(ends)]
    last_end = int(math.ceil(float(known.max()) / MINUTES_PER_HOUR)) if known.size else 0
    close_hour = max(open_hour + 1, last_arrival, last_end)
    hours = close_hour - open_hour
    step = max(1, interval_minutes // int(MINUTES_PER_HOUR))
    # at least two intervals: a profile of one is a constant, which has no day of its own
    least = 2 * interval_minutes / MINUTES_PER_HOUR
    close_hour = open_hour + min(24, max(int(math.ceil(hours / step)) * step,
                                         int(math.ceil(least))))
    return open_hour, close_hour


def _channel_kind(name: str, kind: Optional[str]) -> ChannelKind:
    """The fitted channel's kind: ``kind`` when given, else ``counter`` for a channel named
    so (a ticket log's default), else ``hotline``."""
    return ChannelKind(kind or ("counter" if name == "counter" else "hotline"))


def _ivr(frame: pd.DataFrame, level: float, report: dict[str, Any]
         ) -> tuple[Optional[Distribution], dict[str, float]]:
    """The IVR's time and each type's completion share, where the log times the IVR."""
    ivr_time = (frame["ivr_exit"] - frame["arrival"]).to_numpy(float)
    timed = ~np.isnan(ivr_time)
    if not timed.any() or not np.nanmax(ivr_time) > 0:
        return None, {}
    through = frame[timed]
    # a caller who took the IVR's offer to go online is gone from the hotline alike
    ended = through["outcome"].isin(ENDED_IN_IVR)
    estimate = estimate_ivr(ended.to_numpy(), ivr_time[timed], level=level)
    completion = {str(t): float(g.mean()) for t, g in ended.groupby(through["type"]) if g.any()}
    report["ivr"] = {"n": estimate.n, "completed": estimate.completed,
                     "completion_share": estimate_dict(estimate.completion_share),
                     "completion_by_type": completion,
                     "time": None if estimate.time is None else family_dict(estimate.time.best)}
    return (None if estimate.time is None else as_distribution(estimate.time.best)), completion


def _service(frame: pd.DataFrame, origin: float, interval: int, horizon: float, level: float,
             report: dict[str, Any]) -> tuple[dict[str, Distribution], list[float]]:
    """Each type's service time, and the factor of each interval on it (by service start)."""
    served = frame[frame["outcome"].isin(SERVED) & (frame["service"] > 0)]
    require(len(served) >= 2, "fit.log", f"{len(served)} served contacts with a service time",
            "a scenario needs at least two (does the log have service start and end times?)")
    service: dict[str, Distribution] = {}
    report["service"] = {}
    for t, group in served.groupby("type"):
        fit = fit_service_time(group["service"].to_numpy(float), level=level)
        service[str(t)] = as_distribution(fit.best)
        report["service"][str(t)] = {"best": fit.best_family, "lognormal": family_dict(fit.lognormal),
                                     "gamma": family_dict(fit.gamma)}
    starts = served["service_start"].to_numpy(float) - origin
    inside = (starts >= 0) & (starts < horizon)
    by_interval = fit_service_by_interval(starts[inside], served["service"].to_numpy(float)[inside],
                                          interval, horizon, level=level)
    day_mean = float(by_interval.day.best.mean_minutes.value)
    factors = [float(i.fit.best.mean_minutes.value) / day_mean if i.own else 1.0
               for i in by_interval.intervals]
    report["service_factors"] = factors
    return service, factors


def _segments(frame: pd.DataFrame, arrival: np.ndarray, origin: float, interval: int,
              horizon: float, n_days: int, settings: FitSettings,
              report: dict[str, Any]) -> tuple[dict[str, Segment], list[str]]:
    """One segment per priority class (``callers`` with one class): its arrivals, mix and
    patience; the pooled patience's factors by interval and the redials apply to all.
    Returns the segments and those served first."""
    level = settings.level
    n_intervals = int(round(horizon / interval))
    queued = waiting(frame)
    pooled, _, report["patience"] = fit_callers_patience(queued, level)
    factors: list[float] = []
    if pooled is not None:
        factors, report["patience"]["by_interval"] = patience_factors(
            queued, origin, interval, n_intervals, level)
        if pooled.kind is not DistributionKind.exponential and factors:
            # the test compares exponential rates: with another shape, waits that differ
            # by interval show different rates though patience does not change
            factors = []
            report["patience"]["by_interval"]["applied"] = False
            report["patience"]["by_interval"]["why_not"] = (
                "the test assumes exponential patience; the fitted family is "
                f"{pooled.kind.value}, whose hazard changes with the wait")
    redials, report["redials"] = fit_redials(frame, settings.redial_horizon_minutes, level)
    classes = sorted(int(p) for p in frame["priority"].unique())
    rates, report["arrivals"] = fit_demand(frame, arrival, interval, horizon, n_days, level)
    by_class: dict[str, Any] = {}
    segments: dict[str, Segment] = {}
    for p in classes:
        name = "callers" if len(classes) == 1 else f"priority_{p}"
        mine = (frame["priority"] == p).to_numpy()
        patience, demand = pooled, report["arrivals"]
        if len(classes) > 1:
            rates, demand = fit_demand(frame[mine], arrival[mine], interval, horizon, n_days,
                                       level)
            by_class[name] = demand
            class_queued = queued[queued["priority"] == p]
            if class_queued["outcome"].isin(GAVE_UP).sum() >= MIN_CLASS_ABANDONMENTS:
                patience, _, demand["patience"] = fit_callers_patience(class_queued, level)
        segment = Segment(arrivals=Arrivals(rate_per_minute=[float(r) for r in rates.rate_per_minute],
                                            slot_minutes=float(interval)),
                          mix=demand["mix"], patience=patience,
                          patience_factors=list(factors) if patience is not None else [])
        if redials is not None:
            segment.redial_probability, segment.redial_delay = redials
        segments[name] = segment
    if by_class:
        report["arrivals"]["by_class"] = by_class
    first = [f"priority_{classes[-1]}"] if len(classes) > 1 else []
    if len(classes) > 2:
        report["priority_note"] = (f"class {classes[-1]} is served first; classes "
                                   f"{', '.join(map(str, classes[:-1]))} share one FIFO queue "
                                   "(the schema has two priority levels)")
    return segments, first


def _staff_until_served(agents: np.ndarray, report: dict[str, Any]) -> np.ndarray:
    """The intervals after the last arrival (the centre closed, serving who queued) keep
    the agents of the last interval with arrivals: the log shows only those who finished
    the last calls, not who was there.  Noted in the report's ``agents``."""
    rates = np.asarray(report["arrivals"]["rate_per_minute"])
    busy = np.flatnonzero(rates > 0)
    if busy.size == 0 or busy[-1] == rates.size - 1:
        return agents
    last = int(busy[-1])
    kept = agents.copy()
    kept[last + 1:] = agents[last]
    report["agents"]["per_interval"] = [round(float(a), 3) for a in kept]
    report["agents"]["closing"] = (f"intervals {last + 1}..{rates.size - 1} take no call: "
                                   f"they keep interval {last}'s agents to serve who queued")
    return kept


def fit_contacts(contacts: pd.DataFrame, settings: FitSettings,
                 quality: Optional[DataQuality] = None,
                 roster: Optional[Roster] = None) -> ScenarioFit:
    """Fit the scenario of one contact centre to a normalized contact table (one row per
    contact, as ``sim.logs.read_log`` returns); ``roster``: ``settings.roster`` already
    read (else it is read here). Raises ScenarioError (``fit.*``) when the chosen days
    hold no contact or the log lacks what a scenario needs."""
    validate_fit_settings(settings)
    if roster is None and settings.roster:
        roster = read_roster(settings.roster)
    contacts = channel_contacts(contacts, settings.channel, "fit.channel")
    name = settings.channel or str(contacts["channel"].iloc[0])
    frame = contacts[contacts["date"].isin(settings.days)] if settings.days else contacts
    require(len(frame) > 0, "fit.days", settings.days, "no contact of the log is on these days")
    dates = sorted(frame["date"].unique())
    frame = frame.assign(day=frame["date"].map({d: i for i, d in enumerate(dates)}))
    n_days, interval, level = len(dates), settings.interval_minutes, settings.level
    ends = frame[["ivr_exit", "queue_exit", "service_end"]].max(axis=1).to_numpy(float)
    open_hour, close_hour = day_span(frame["arrival"].to_numpy(float), ends, interval)
    origin, horizon = open_hour * MINUTES_PER_HOUR, (close_hour - open_hour) * MINUTES_PER_HOUR
    arrival = frame["arrival"].to_numpy(float) - origin
    kind = _channel_kind(name, settings.kind)
    report: dict[str, Any] = {"days": dates, "open_hour": open_hour, "close_hour": close_hour,
                              "interval_minutes": interval, "level": level,
                              "contacts": int(len(frame)), "channel": name, "kind": kind.value}
    service, factors = _service(frame, origin, interval, horizon, level, report)
    segments, first = _segments(frame, arrival, origin, interval, horizon, n_days, settings,
                                report)
    ivr, completion = _ivr(frame, level, report) if kind is ChannelKind.hotline else (None, {})
    if roster is not None:
        agents, report["agents"] = agents_from_roster_file(roster, dates, origin, interval,
                                                           horizon, level)
    else:
        agents, report["agents"] = agents_from_activity(frame, waiting(frame), origin, interval,
                                                        horizon, settings.occupancy, level)
    agents = _staff_until_served(agents, report)
    channel = Channel(kind=kind, schedule=[round(float(a), 3) for a in agents],
                      schedule_slot_minutes=float(interval),
                      target_wait_minutes=settings.target_wait_minutes,
                      target_share=settings.target_share,
                      service_factors=factors if any(f != 1.0 for f in factors) else [],
                      service_level_thresholds=list(settings.thresholds_minutes),
                      priority_segments=first, ivr=ivr, ivr_completion=completion)
    types = sorted({t for seg in segments.values() for t in seg.mix})
    scenario = Scenario(
        name=settings.name, open_hour=open_hour, close_hour=close_hour,
        channels={name: channel},
        transactions={t: TransactionType(service={name: service.get(
            t, next(iter(service.values())))}) for t in types},
        segments=segments, switching=Switching(enabled=False))
    validate_scenario(scenario)
    if quality is not None:
        report["data_quality"] = quality.as_dict()
    return ScenarioFit(scenario, report, frame)
