"""Writing a months run's files: summary.json (the last month), monthly.csv, journeys.csv
with a trace, and monthly.png."""

from __future__ import annotations

from pathlib import Path

from sim.io import write_csv, write_json
from sim.months.model import MonthsResult
from sim.months.plots import plot_monthly
from sim.months.results import MONTHLY_COLUMNS, monthly_table, months_summary


def write_months(result: MonthsResult, out: Path) -> None:
    """Months mode's summary.json (the last month), monthly.csv (journeys.csv with a trace)
    and monthly.png, in ``out``."""
    monthly = monthly_table(result)
    write_json(out / "summary.json", months_summary(result))
    write_csv(out / "monthly.csv", monthly, MONTHLY_COLUMNS)
    if result.run.trace:
        rows = [{"replication": r, "month": int(m) + 1, "customer": int(c),
                 "first_channel": result.scenario_channel(f), "final_channel": result.scenario_channel(x)}
                for r, rep in enumerate(result.replications) for rec in rep
                if rec.journeys is not None
                for c, f, x, m in zip(rec.journeys["customer"], rec.journeys["first"],
                                      rec.journeys["final"], rec.journeys["month"])]
        write_csv(out / "journeys.csv", rows, ("replication", "month", "customer",
                                               "first_channel", "final_channel"))
    if result.run.plots:
        plot_monthly(monthly, result.scenario.adoption.targets, out / "monthly.png")
