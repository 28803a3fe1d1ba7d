"""Writing a day's result files: the tidy tables, summary.json and the figures (the command
line and the Python API write the same; months mode's are in ``sim/months/outputs.py``)."""

from __future__ import annotations

from pathlib import Path

from sim.experiment import ExperimentResult
from sim.io import write_csv, write_json
from sim.network_plots import plot_branch_ranking, plot_diversion_by_kiosks
from sim.network_results import (
    BRANCH_COLUMNS,
    branch_rows,
    flows_by_template,
    shares_by_template,
)
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
    for a network, trace.csv with a trace) and the three figures (a network's wait by hour
    of its shared channels, and branches.png and diversion_by_kiosks.png) unless
    ``run.plots`` is off, in ``out``."""
    channels, hourly, flows = channels_table(result), hourly_table(result), flows_table(result)
    write_json(out / "summary.json", summary(result))
    write_csv(out / "channels.csv", channels, CHANNEL_COLUMNS)
    write_csv(out / "hourly.csv", hourly, HOURLY_COLUMNS)
    write_csv(out / "replications.csv", replications_table(result), REPLICATION_COLUMNS)
    write_csv(out / "flows.csv", flows, FLOW_COLUMNS)
    branches = branch_rows(result) if result.scenario.branches else []
    if branches:
        write_csv(out / "branches.csv", branches, BRANCH_COLUMNS)
    if result.run.trace:
        write_csv(out / "trace.csv", trace_rows(result), TRACE_COLUMNS)
    if result.run.plots:
        if branches:  # a network: its shared channels here, its branches in their figures
            shared = {n for n, c in result.scenario.channels.items() if not c.branch}
            hourly = [r for r in hourly if r["channel"] in shared]
            plot_branch_ranking(branches, out / "branches.png")
            plot_diversion_by_kiosks(branches, {b: row.kiosks for b, row in
                                                result.scenario.branches.items()},
                                     out / "diversion_by_kiosks.png")
            # a network's branch channels summed over its branches (a few rows, not 240)
            channels = shares_by_template(result.scenario, channels)
            flows = flows_by_template(result.scenario, flows)
        plot_wait_by_hour(hourly, out / "wait_by_hour.png")
        plot_volume_shares(channels, out / "volume_shares.png")
        plot_switching_flows(flows, out / "switching_flows.png")
