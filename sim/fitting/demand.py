"""Demand from a contact log: arrival rates per interval (the mean over the chosen days,
per priority class), the mix of contact types, and with dated days a profile per weekday
and the day-to-day spread (``fit.json``'s ``arrivals``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.estimators import (
    ArrivalRates,
    count_arrivals,
    estimate_arrival_rates,
    estimate_day_spread,
    estimate_weekday_profiles,
)


def _floats(values: Any) -> list[float]:
    return [float(v) for v in values]


def rates_report(rates: ArrivalRates) -> dict[str, Any]:
    """The rates of one profile with their intervals, per minute."""
    return {"rate_per_minute": _floats(rates.rate_per_minute),
            "ci_low": _floats(rates.ci_low_per_minute), "ci_high": _floats(rates.ci_high_per_minute)}


def fit_demand(frame: pd.DataFrame, arrival: np.ndarray, interval: int, horizon: float,
               n_days: int, level: float) -> tuple[ArrivalRates, dict[str, Any]]:
    """The rates of ``frame``'s contacts (``arrival``: minutes from the day's opening,
    ``frame["day"]``: 0-based day) pooled over ``n_days``, and their report: rates with
    intervals, the mix of types, the day-to-day spread and, when every day is dated, one
    profile per weekday."""
    counts = count_arrivals(arrival, interval, horizon, day=frame["day"].to_numpy(),
                            n_days=n_days)
    rates = estimate_arrival_rates(counts, interval, horizon, level=level)
    types = frame["type"].value_counts().sort_index()
    report: dict[str, Any] = {**rates_report(rates),
                              "mix": {str(t): float(n) / len(frame) for t, n in types.items()},
                              "counts_per_type": {str(t): int(n) for t, n in types.items()}}
    spread = estimate_day_spread(counts, interval, horizon)
    report["day_spread"] = {
        "days": spread.days, "sd_rate_per_minute": _floats(spread.sd_rate_per_minute),
        "dispersion_ratio": spread.dispersion_ratio, "dispersion_p_value": spread.dispersion_p_value,
        "reading": "days vary more than Poisson noise (p < 0.01)"
        if spread.dispersion_p_value < 0.01 else "days vary as Poisson noise would"}
    weekday = frame.groupby("day")["weekday"].first().reindex(range(n_days)).to_numpy()
    if n_days > 1 and np.all(weekday >= 0):
        report["weekdays"] = {
            p.name: {"weekday": p.weekday, "days": p.rates.days, **rates_report(p.rates),
                     "sd_rate_per_minute": _floats(p.spread.sd_rate_per_minute)}
            for p in estimate_weekday_profiles(counts, weekday.astype(np.int64), interval,
                                               horizon, level)}
    return rates, report
