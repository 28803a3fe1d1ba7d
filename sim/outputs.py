"""Writing a day's result files: the tidy tables, summary.json and the figures (the command
line and the Python API write the same; months mode's are in ``sim/months/outputs.py``)."""

from __future__ import annotations

from pathlib import Path

from sim.experiment import ExperimentResult
from sim.io import write_csv, write_json
from sim.network_results import BRANCH_COLUMNS, branch_rows
from sim.plots import plot_switching_flows, plot_volume_shares, plot_wait_by_hour
from sim.results import (
    CHANNEL_COLUMNS,
    FLOW_COLUMNS,
    HOURLY_COLUMNS,
    REPLICATION_COLUMNS,
    TRACE_COLUMNS,
    channels_table,
    flows_table,
    hourly_table,
    replications_table,
    summary,
    trace_rows,
)


def write_outputs(result: ExperimentResult, out: Path) -> None:
    """summary.json, channels.csv, hourly.csv, replications.csv, flows.csv (branches.csv
    for a network, trace.csv with a trace) and the three figures (unless ``run.plots`` is
    off), in ``out``."""
    channels, hourly, flows = channels_table(result), hourly_table(result), flows_table(result)
    write_json(out / "summary.json", summary(result))
    write_csv(out / "channels.csv", channels, CHANNEL_COLUMNS)
    write_csv(out / "hourly.csv", hourly, HOURLY_COLUMNS)
    write_csv(out / "replications.csv", replications_table(result), REPLICATION_COLUMNS)
    write_csv(out / "flows.csv", flows, FLOW_COLUMNS)
    if result.scenario.branches:
        write_csv(out / "branches.csv", branch_rows(result), BRANCH_COLUMNS)
    if result.run.trace:
        write_csv(out / "trace.csv", trace_rows(result), TRACE_COLUMNS)
    if result.run.plots:
        plot_wait_by_hour(hourly, out / "wait_by_hour.png")
        plot_volume_shares(channels, out / "volume_shares.png")
        plot_switching_flows(flows, out / "switching_flows.png")
