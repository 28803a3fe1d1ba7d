"""Writing a run's result files: the tidy tables, summary.json and the figures, for one
day's replications or for months mode (the command line and the Python API write the same)."""

from __future__ import annotations

from pathlib import Path

from sim.experiment import ExperimentResult
from sim.io import write_csv, write_json
from sim.months import MonthsResult
from sim.plots import plot_monthly, plot_switching_flows, plot_volume_shares, plot_wait_by_hour
from sim.results import (
    CHANNEL_COLUMNS,
    FLOW_COLUMNS,
    HOURLY_COLUMNS,
    MONTHLY_COLUMNS,
    REPLICATION_COLUMNS,
    TRACE_COLUMNS,
    channels_table,
    flows_table,
    hourly_table,
    monthly_table,
    months_summary,
    replications_table,
    summary,
    trace_rows,
)


def write_outputs(result: ExperimentResult, out: Path) -> None:
    """summary.json, channels.csv, hourly.csv, replications.csv, flows.csv (trace.csv with
    a trace) and the three figures (unless ``run.plots`` is off), in ``out``."""
    channels, hourly, flows = channels_table(result), hourly_table(result), flows_table(result)
    write_json(out / "summary.json", summary(result))
    write_csv(out / "channels.csv", channels, CHANNEL_COLUMNS)
    write_csv(out / "hourly.csv", hourly, HOURLY_COLUMNS)
    write_csv(out / "replications.csv", replications_table(result), REPLICATION_COLUMNS)
    write_csv(out / "flows.csv", flows, FLOW_COLUMNS)
    if result.run.trace:
        write_csv(out / "trace.csv", trace_rows(result), TRACE_COLUMNS)
    if result.run.plots:
        plot_wait_by_hour(hourly, out / "wait_by_hour.png")
        plot_volume_shares(channels, out / "volume_shares.png")
        plot_switching_flows(flows, out / "switching_flows.png")


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
