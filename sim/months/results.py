"""Months mode's tidy table (monthly.csv) and summary.json (the last month's KPIs)."""

from __future__ import annotations

from typing import Any

from sim.experiment import CONFIDENCE, ESTIMATE_KEYS
from sim.months.model import MONTHLY_KPIS, MonthsResult
from sim.results import config_hash

MONTHLY_COLUMNS = ("month", "kpi", *ESTIMATE_KEYS)


def monthly_table(result: MonthsResult) -> list[dict[str, Any]]:
    """One row per month (1 = the first) x KPI, active customers per channel as
    ``active.<channel>``."""
    rows = []
    for m in range(result.run.months):
        for kpi in MONTHLY_KPIS:
            rows.append({"month": m + 1, "kpi": kpi, **result.kpi(m, kpi).as_dict()})
        for channel in result.scenario.channels:
            rows.append({"month": m + 1, "kpi": f"active.{channel}",
                         **result.active(m, channel).as_dict()})
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
        "confidence": CONFIDENCE,
        "kpis": {kpi: result.kpi(last, kpi).as_dict() for kpi in MONTHLY_KPIS},
        "channels": {c: {"active": result.active(last, c).as_dict()}
                     for c in result.scenario.channels},
    }
