"""Months mode's tidy table (monthly.csv) and summary.json (the last month's KPIs)."""

from __future__ import annotations

from typing import Any

from sim.months.model import MONTHLY_KPIS, MonthsResult
from sim.results import as_dict, config_hash

MONTHLY_COLUMNS = ("month", "kpi", "mean", "ci_low", "ci_high")


def monthly_table(result: MonthsResult) -> list[dict[str, Any]]:
    """One row per month (1 = the first) x KPI, active customers per channel as
    ``active.<channel>``."""
    rows = []
    for m in range(result.run.months):
        for kpi in MONTHLY_KPIS:
            rows.append({"month": m + 1, "kpi": kpi, **as_dict(result.kpi(m, kpi))})
        for channel in result.scenario.channels:
            rows.append({"month": m + 1, "kpi": f"active.{channel}",
                         **as_dict(result.active(m, channel))})
    return rows


def months_summary(result: MonthsResult) -> dict[str, Any]:
    """summary.json of a months run: the last month's KPIs (what a sweep tabulates)."""
    last = result.run.months - 1
    return {
        "scenario": result.scenario.name,
        "mode": "months",
        "replications": result.run.replications,
        "seed": result.run.seed,
        "config_hash": config_hash(result.scenario, result.run),
        "months": result.run.months,
        "customers": result.run.customers,
        "confidence": 0.95,
        "kpis": {kpi: as_dict(result.kpi(last, kpi)) for kpi in MONTHLY_KPIS},
        "channels": {c: {"active": as_dict(result.active(last, c))}
                     for c in result.scenario.channels},
    }
