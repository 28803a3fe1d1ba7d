"""Agents present per interval: from a roster (``fit.roster``) as it states them, or
estimated day by day from the agents' activity (``sim.estimators.agents``: busy time
while callers queued, else busy time over an occupancy) and averaged over the days, with
a confidence interval from the day-to-day spread of the estimates."""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np
import pandas as pd

from sim.estimators import estimate_agents_from_activity, measure_agent_activity
from sim.estimators.grid import interval_edges
from sim.experiment import estimate
from sim.logs.roster import Roster
from sim.logs.table import SERVED
from sim.validate import require


def _day_interval(per_day: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, low, high) over the days (rows), interval by interval: the simulator's
    Student-t estimate of a mean (``sim.experiment.estimate``), not below 0 agents; no
    interval (NaN) from one day."""
    estimates = [estimate(column.tolist(), confidence=level, bounds=(0.0, math.inf))
                 for column in per_day.T]
    return (np.array([e.mean for e in estimates]), np.array([e.ci_low for e in estimates]),
            np.array([e.ci_high for e in estimates]))


def agents_from_activity(frame: pd.DataFrame, queued: pd.DataFrame, origin: float,
                         interval: int, horizon: float, occupancy: Optional[float],
                         level: float) -> tuple[np.ndarray, dict[str, Any]]:
    """Agents per interval estimated from who served when, day by day, then averaged.
    A contact still in progress when the log ends (a trace's horizon) counts as served
    or waiting until then."""
    end_of_day = origin + horizon
    started = (frame["outcome"] == "in_progress") & frame["service_start"].notna()
    busy = frame[frame["outcome"].isin(SERVED) & (frame["service"] > 0) | started]
    waiting = pd.concat([queued, frame[(frame["outcome"] == "in_progress")
                                       & frame["queue_entry"].notna()]])
    estimates = []
    for d in sorted(frame["day"].unique()):
        mine, waited = busy[busy["day"] == d], waiting[waiting["day"] == d]
        activity = measure_agent_activity(
            mine["service_start"].to_numpy(float) - origin,
            mine["service_end"].fillna(end_of_day).to_numpy(float) - origin,
            mine["agent"].to_numpy(), interval, horizon,
            queue_entry=waited["queue_entry"].to_numpy(float) - origin,
            queue_exit=waited["queue_exit"].fillna(end_of_day).to_numpy(float) - origin)
        estimates.append(estimate_agents_from_activity(activity, occupancy=occupancy))
    per_day = np.array([e.agents for e in estimates])
    mean, low, high = _day_interval(per_day, level)
    report = {"per_interval": [round(float(a), 3) for a in mean], "method": estimates[0].method,
              "ci_low": [float(x) for x in low], "ci_high": [float(x) for x in high],
              "interval": "Student's t over the days' estimates (the estimator's bias is "
                          "not in it: see method)",
              "from_queue_share": [float(x) for x in np.mean([e.from_queue for e in estimates], 0)],
              "lower_bound": [float(x) for x in np.mean([e.lower_bound for e in estimates], 0)],
              "upper_bound": [float(x) for x in np.mean([e.upper_bound for e in estimates], 0)]}
    return mean, report


def agents_from_roster_file(roster: Roster, dates: list[str], origin: float, interval: int,
                            horizon: float, level: float) -> tuple[np.ndarray, dict[str, Any]]:
    """Agents per interval as the roster states them, averaged over the fitted days (a
    roster with dates must name every one of them)."""
    named = roster.dates()
    if named:
        missing = [d for d in dates if d not in named]
        require(not missing, "fit.roster", roster.source,
                f"names no agents on {', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}"
                " (a dated roster must cover every fitted day)")
    edges = interval_edges(interval, horizon)
    per_day = np.array([roster.agents_on(d, origin, edges) for d in dates])
    mean, low, high = _day_interval(per_day, level)
    report = {"per_interval": [round(float(a), 3) for a in mean],
              "method": f"roster {roster.source}" + (", averaged over the days" if named else ""),
              "ci_low": [float(x) for x in low], "ci_high": [float(x) for x in high]}
    return mean, report
