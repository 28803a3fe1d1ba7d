"""Simulated against observed, interval by interval: how a planner learns whether to trust
a scenario (typically a fitted one) before asking it "what if".

Both sides are measured by the same rule (``interval_kpis``) on the same kind of table:
the log's contacts, and the trace of each simulated day read as a log (``sim.logs``). Per
interval of the day and KPI: arrivals, contacts served by an agent, the abandonment rate
(abandoned / queued), the mean wait of the served and of the abandoned, and the share
answered within each threshold. The simulated side is R replications (days): their mean,
and the band a mean of D days (D: the days the log holds) falls in 95% of the time if
the model is right (a prediction band: it counts the noise of the R-day mean too).

``comparison.json`` gives, per KPI, the mean absolute error over intervals between the
log and the model's mean, the *noise floor* (the mean absolute error a perfect model
shows: a D-day mean of its own days against the mean of R others, from the simulated
days' spread; no model can do better on average), their ratio, and day totals. A ratio
near 1 means the model is as close as noise allows.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from sim.logs.table import GAVE_UP, SERVED
from sim.scenario import threshold_label

COMPARISON_COLUMNS = ("interval", "kpi", "observed", "simulated", "ci_low", "ci_high", "z")
Z95 = 1.959963984540054


def interval_kpis(contacts: pd.DataFrame, origin: float, interval: int, n_intervals: int,
                  thresholds: Sequence[float]) -> dict[str, np.ndarray]:
    """Per day (rows, in date order) and interval (columns, by arrival): arrivals, served
    (by an agent), abandon_rate, wait_served_mean, wait_abandoned_mean and within_<s>s;
    NaN where an interval had nobody to measure."""
    frame = contacts.assign(slot=((contacts["arrival"] - origin) // interval).astype(int))
    frame = frame[(frame["slot"] >= 0) & (frame["slot"] < n_intervals)]
    dates = sorted(contacts["date"].unique())
    shape = (len(dates), n_intervals)
    row = frame["date"].map({d: i for i, d in enumerate(dates)}).to_numpy()
    col = frame["slot"].to_numpy()
    served = frame["outcome"].isin(SERVED).to_numpy()
    abandoned = frame["outcome"].isin(GAVE_UP).to_numpy()  # a ticket's no-show gave up too
    wait = frame["wait"].to_numpy(float)

    def total(mask: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
        out = np.zeros(shape)
        np.add.at(out, (row[mask], col[mask]), 1.0 if values is None else values[mask])
        return out

    arrivals, n_served, n_abandoned = total(np.ones_like(served)), total(served), total(abandoned)
    queued = n_served + n_abandoned
    with np.errstate(invalid="ignore", divide="ignore"):
        kpis = {"arrivals": arrivals, "served": n_served,
                "abandon_rate": n_abandoned / queued,
                "wait_served_mean": total(served, wait) / n_served,
                "wait_abandoned_mean": total(abandoned, wait) / n_abandoned}
        for threshold in thresholds:
            kpis[threshold_label(threshold)] = total(served & (wait <= threshold)) / queued
    return kpis


@dataclass
class Comparison:
    """Observed against simulated: ``rows`` (comparison.csv, COMPARISON_COLUMNS) and
    ``summary`` (comparison.json: per KPI the error, the noise floor, their ratio and the
    day totals)."""

    rows: list[dict[str, Any]]
    summary: dict[str, Any]


def compare_tables(observed: dict[str, np.ndarray], simulated: dict[str, np.ndarray],
                   start_hours: Sequence[float]) -> Comparison:
    """Compare per-day KPI arrays of the log (D days) and of the model (R simulated days).
    An interval with nobody to measure is NaN on both sides and left out of the errors."""
    with warnings.catch_warnings():  # numpy warns of the all-NaN intervals: expected here
        warnings.simplefilter("ignore", RuntimeWarning)
        return _compare(observed, simulated, start_hours)


def _noise_floor(sd: np.ndarray) -> float:
    """The mean absolute error a perfect model shows, over intervals: the observed D-day
    mean less the simulated R-day mean is near normal with standard deviation ``sd``
    (per interval: one day's sd x sqrt(1/D + 1/R)), so its expected absolute value is
    sqrt(2 / pi) x sd.  (The sd, not the days' mean absolute deviation, scales to a mean
    of D days: a skewed KPI such as the abandoners' mean wait has a MAD well below
    sqrt(2 / pi) sd.)"""
    return float(math.sqrt(2.0 / math.pi) * np.nanmean(sd))


def _compare(observed: dict[str, np.ndarray], simulated: dict[str, np.ndarray],
             start_hours: Sequence[float]) -> Comparison:
    rows: list[dict[str, Any]] = []
    summary: dict[str, Any] = {}
    for kpi, obs_days in observed.items():
        sim_days = simulated[kpi]
        n_obs = obs_days.shape[0]
        obs = np.nanmean(obs_days, axis=0) if n_obs else np.full(obs_days.shape[1], math.nan)
        mean = np.nanmean(sim_days, axis=0)
        # where a D-day mean of a perfect model falls about the R-day mean: both noisy
        runs = np.sum(~np.isnan(sim_days), axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.nanstd(sim_days, axis=0, ddof=1) * np.sqrt(1.0 / n_obs + 1.0 / runs)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (obs - mean) / sd
        for i, hour in enumerate(start_hours):
            rows.append({"interval": hour, "kpi": kpi, "observed": float(obs[i]),
                         "simulated": float(mean[i]), "ci_low": float(mean[i] - Z95 * sd[i]),
                         "ci_high": float(mean[i] + Z95 * sd[i]), "z": float(z[i])})
        both = ~np.isnan(obs) & ~np.isnan(mean)
        error = float(np.mean(np.abs(obs[both] - mean[both]))) if both.any() else math.nan
        floor = _noise_floor(sd[both]) if both.any() else math.nan
        entry: dict[str, Any] = {"mean_abs_error": error, "noise_floor": floor,
                                 "ratio": error / floor if floor > 0 else math.nan,
                                 "intervals": int(both.sum())}
        if kpi in ("arrivals", "served"):
            entry["day_total_observed"] = float(np.nansum(obs))
            entry["day_total_simulated"] = float(np.nansum(mean))
        summary[kpi] = entry
    return Comparison(rows, summary)
