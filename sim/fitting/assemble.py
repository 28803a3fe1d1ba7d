"""A contact log's normalized table (``sim.logs``) -> the Scenario of one contact centre
and a report of every fitted parameter with its confidence interval.

What the scenario holds, fitted interval by interval (``FitSettings.interval_minutes``) on
the day the log spans (``open_hour`` to ``close_hour``, whole hours):
- one segment ``callers``: arrival rates per interval (the mean over the chosen days) and
  the mix of contact types (their shares over the day);
- one channel (``FitSettings.channel``, a hotline): agents per interval, fractional (a
  time average) from the agents' activity (``sim.estimators.agents``); an IVR with its
  time and, per type, the share it completes, where the log records IVR times; the
  service time of each type (lognormal or gamma, the better by AIC) and per-interval
  service factors (an interval's mean over the day's, where it has enough services);
- the callers' patience from censored waits (exponential or lognormal, the better by AIC;
  a Weibull fit is reported but the schema has no Weibull, so the better of the other
  two is used and the report says so); redials where the log identifies customers.

Estimates are at ``FitSettings.level`` (95% by default); the report is plain data
(fit.json).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, List, Optional

import numpy as np
import pandas as pd

from sim.estimators import (
    DistributionFit,
    PointEstimate,
    count_arrivals,
    estimate_agents_from_activity,
    estimate_arrival_rates,
    estimate_ivr,
    estimate_redials,
    fit_patience,
    fit_service_by_interval,
    fit_service_time,
    measure_agent_activity,
)
from sim.logs import DataQuality
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


@dataclass
class FitSettings:
    """The ``fit`` node: how to read the log into a scenario (the log itself is read by
    ``sim.logs.read_log``)."""

    interval_minutes: int = 60  # the grid every rate, factor and staff level is fitted on
    days: List[str] = field(default_factory=list)  # dates the scenario represents; []: all
    channel: str = "hotline"  # the fitted channel: which one, in a log of several (a trace
    # of a branch, a hall); its name in the scenario
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
    require(bool(settings.channel.strip()), f"{node}.channel", settings.channel,
            "must name the channel")
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


def channel_contacts(contacts: pd.DataFrame, channel: str, path: str) -> pd.DataFrame:
    """The contacts of one channel: all of a log that has one channel, else those of
    ``channel`` (ScenarioError naming ``path`` and the log's channels if it has none)."""
    channels = sorted(contacts["channel"].unique())
    if len(channels) <= 1:
        return contacts
    require(channel in channels, path, channel,
            f"the log holds several channels: name one of {', '.join(channels)}")
    return contacts[contacts["channel"] == channel]


def _estimate(e: PointEstimate) -> dict[str, float]:
    return {"value": e.value, "se": e.se, "ci_low": e.ci_low, "ci_high": e.ci_high}


def _family(fit: DistributionFit) -> dict[str, Any]:
    return {"family": fit.family, "n": fit.n, "mean_minutes": _estimate(fit.mean_minutes),
            "cv": _estimate(fit.cv), "aic": fit.aic, "ks_statistic": fit.ks_statistic,
            "parameters": {k: _estimate(v) for k, v in fit.parameters.items()}}


def as_distribution(fit: DistributionFit) -> Distribution:
    """The schema's distribution of a fitted family (exponential, lognormal or gamma):
    the fitted mean and coefficient of variation."""
    kind = DistributionKind(fit.family)
    mean = float(fit.mean_minutes.value)
    if kind is DistributionKind.exponential:
        return Distribution(kind=kind, mean_minutes=mean)
    return Distribution(kind=kind, mean_minutes=mean, cv=float(fit.cv.value))


def day_span(arrivals: np.ndarray, interval_minutes: int) -> tuple[int, int]:
    """(open_hour, close_hour): the whole hours around every arrival of the log, as many
    as make whole intervals (``interval_minutes`` divides an hour or is whole hours)."""
    open_hour = int(math.floor(float(arrivals.min()) / MINUTES_PER_HOUR))
    close_hour = max(open_hour + 1, int(math.ceil((float(arrivals.max()) + 1e-9) / MINUTES_PER_HOUR)))
    hours = close_hour - open_hour
    step = max(1, interval_minutes // int(MINUTES_PER_HOUR))
    close_hour = open_hour + min(24, int(math.ceil(hours / step)) * step)
    return open_hour, close_hour


def fit_contacts(contacts: pd.DataFrame, settings: FitSettings,
                 quality: Optional[DataQuality] = None) -> ScenarioFit:
    """Fit the scenario of one contact centre to a normalized contact table (one row per
    contact, as ``sim.logs.read_log`` returns). Raises ScenarioError (``fit.*``) when the
    chosen days hold no contact or the log lacks what a scenario needs."""
    validate_fit_settings(settings)
    contacts = channel_contacts(contacts, settings.channel, "fit.channel")
    frame = contacts[contacts["date"].isin(settings.days)] if settings.days else contacts
    require(len(frame) > 0, "fit.days", settings.days, "no contact of the log is on these days")
    dates = sorted(frame["date"].unique())
    frame = frame.assign(day=frame["date"].map({d: i for i, d in enumerate(dates)}))
    day = frame["day"].to_numpy()
    n_days, interval = len(dates), settings.interval_minutes
    open_hour, close_hour = day_span(frame["arrival"].to_numpy(float), interval)
    origin, horizon = open_hour * MINUTES_PER_HOUR, (close_hour - open_hour) * MINUTES_PER_HOUR
    arrival = frame["arrival"].to_numpy(float) - origin
    level = settings.level
    report: dict[str, Any] = {"days": dates, "open_hour": open_hour, "close_hour": close_hour,
                              "interval_minutes": interval, "level": level,
                              "contacts": int(len(frame))}

    # arrivals: one profile of all types, the mean over the days
    counts = count_arrivals(arrival, interval, horizon, day=day, n_days=n_days)
    rates = estimate_arrival_rates(counts, interval, horizon, level=level)
    types = frame["type"].value_counts().sort_index()
    mix = {str(t): float(n) / len(frame) for t, n in types.items()}
    report["arrivals"] = {
        "rate_per_minute": [float(r) for r in rates.rate_per_minute],
        "ci_low": [float(r) for r in rates.ci_low_per_minute],
        "ci_high": [float(r) for r in rates.ci_high_per_minute],
        "mix": mix, "counts_per_type": {str(t): int(n) for t, n in types.items()}}

    # the IVR, where the log times it
    ivr_time = (frame["ivr_exit"] - frame["arrival"]).to_numpy(float)
    timed = ~np.isnan(ivr_time)
    ivr: Optional[Distribution] = None
    completion: dict[str, float] = {}
    if timed.any() and np.nanmax(ivr_time) > 0:
        through = frame[timed]
        estimate = estimate_ivr((through["outcome"] == "ivr").to_numpy(), ivr_time[timed],
                                level=level)
        if estimate.time is not None:
            ivr = as_distribution(estimate.time.best)
        for t, group in through.groupby("type"):
            share = float((group["outcome"] == "ivr").mean())
            if share > 0:
                completion[str(t)] = share
        report["ivr"] = {"n": estimate.n, "completed": estimate.completed,
                         "completion_share": _estimate(estimate.completion_share),
                         "completion_by_type": completion,
                         "time": None if estimate.time is None
                         else _family(estimate.time.best)}

    # service time per type, and its factor per interval
    served = frame[(frame["outcome"] == "served") & (frame["service"] > 0)]
    require(len(served) >= 2, "fit.log", int(len(served)),
            "served contacts with a service time: a scenario needs at least two")
    service: dict[str, Distribution] = {}
    report["service"] = {}
    for t, group in served.groupby("type"):
        fit = fit_service_time(group["service"].to_numpy(float), level=level)
        service[str(t)] = as_distribution(fit.best)
        report["service"][str(t)] = {"best": fit.best_family, "lognormal": _family(fit.lognormal),
                                     "gamma": _family(fit.gamma)}
    starts = served["service_start"].to_numpy(float) - origin
    inside = (starts >= 0) & (starts < horizon)
    by_interval = fit_service_by_interval(starts[inside], served["service"].to_numpy(float)[inside],
                                          interval, horizon, level=level)
    day_mean = float(by_interval.day.best.mean_minutes.value)
    factors = [float(i.fit.best.mean_minutes.value) / day_mean if i.own else 1.0
               for i in by_interval.intervals]
    report["service_factors"] = factors

    # patience, from every caller who queued: abandoners observed, the served censored
    queued = frame[frame["outcome"].isin(["served", "abandoned"]) & frame["wait"].notna()]
    # callers still waiting or in service when a trace ended are censored at their wait too
    censored = frame[frame["outcome"].isin(["served", "abandoned", "in_progress"])
                     & frame["wait"].notna()]
    patience_fit = fit_patience(censored["wait"].to_numpy(float),
                                (censored["outcome"] == "abandoned").to_numpy(), level=level)
    usable = [f for f in (patience_fit.exponential, patience_fit.lognormal) if f is not None]
    chosen = min(usable, key=lambda f: f.aic)
    patience = as_distribution(chosen) if patience_fit.abandoned > 0 else None
    report["patience"] = {
        "n": patience_fit.n, "abandoned": patience_fit.abandoned,
        "best": patience_fit.best_family, "used": chosen.family if patience else None,
        "exponential": _family(patience_fit.exponential),
        "weibull": None if patience_fit.weibull is None else _family(patience_fit.weibull),
        "lognormal": None if patience_fit.lognormal is None else _family(patience_fit.lognormal),
        "naive_mean_minutes": _estimate(patience_fit.naive_mean_minutes)}

    # agents per interval, day by day from their activity, then the mean over days
    per_day = []
    for d in range(n_days):
        mine, waited = served[served["day"] == d], queued[queued["day"] == d]
        activity = measure_agent_activity(
            mine["service_start"].to_numpy(float) - origin,
            mine["service_end"].to_numpy(float) - origin, mine["agent"].to_numpy(),
            interval, horizon, queue_entry=waited["queue_entry"].to_numpy(float) - origin,
            queue_exit=waited["queue_exit"].to_numpy(float) - origin)
        per_day.append(estimate_agents_from_activity(activity, occupancy=settings.occupancy))
    agents = np.mean([a.agents for a in per_day], axis=0)
    schedule = [round(float(a), 3) for a in agents]
    report["agents"] = {"per_interval": schedule, "method": per_day[0].method,
                        "lower_bound": [float(x) for x in np.mean([a.lower_bound for a in per_day], 0)],
                        "upper_bound": [float(x) for x in np.mean([a.upper_bound for a in per_day], 0)]}

    segment = Segment(arrivals=Arrivals(rate_per_minute=[float(r) for r in rates.rate_per_minute],
                                        slot_minutes=float(interval)),
                      mix=mix, patience=patience)
    redials = _redials(frame, settings, report)
    if redials is not None:
        segment.redial_probability, segment.redial_delay = redials
    channel = Channel(kind=ChannelKind.hotline, schedule=schedule,
                      schedule_slot_minutes=float(interval),
                      target_wait_minutes=settings.target_wait_minutes,
                      target_share=settings.target_share,
                      service_factors=factors if any(f != 1.0 for f in factors) else [],
                      service_level_thresholds=list(settings.thresholds_minutes),
                      ivr=ivr, ivr_completion=completion)
    scenario = Scenario(
        name=settings.name, open_hour=open_hour, close_hour=close_hour,
        channels={settings.channel: channel},
        transactions={t: TransactionType(service={settings.channel: service.get(
            t, next(iter(service.values())))}) for t in mix},
        segments={"callers": segment}, switching=Switching(enabled=False))
    validate_scenario(scenario)
    if quality is not None:
        report["data_quality"] = quality.as_dict()
    return ScenarioFit(scenario, report, frame)


def _redials(frame: pd.DataFrame, settings: FitSettings,
             report: dict[str, Any]) -> Optional[tuple[float, Distribution]]:
    """(probability, delay) of calling again after abandoning, where customers are known."""
    known = (frame["customer"] != "").to_numpy()
    if not known.any():
        return None
    rows = frame[known]
    clock = rows["arrival"].to_numpy(float) + rows["day"].to_numpy() * MINUTES_PER_DAY
    estimate = estimate_redials(rows["customer"].to_numpy(), clock,
                                (rows["outcome"] == "abandoned").to_numpy(),
                                horizon_minutes=settings.redial_horizon_minutes,
                                level=settings.level)
    report["redials"] = {"abandoned": estimate.abandoned, "redialled": estimate.redialled,
                         "probability": _estimate(estimate.probability),
                         "mean_gap_minutes": _estimate(estimate.mean_gap_minutes)}
    probability = float(estimate.probability.value)
    gap = float(estimate.mean_gap_minutes.value)
    if not probability > 0 or math.isnan(gap):
        return None
    waits = rows.loc[rows["outcome"] == "abandoned", "wait"].to_numpy(float)
    delay = max(gap - float(np.nanmean(waits)), 1.0 / 60.0)  # the gap counts from arrival
    return probability, Distribution(kind=DistributionKind.exponential, mean_minutes=delay)
