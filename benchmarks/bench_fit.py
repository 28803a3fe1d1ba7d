"""Fitting a scenario to a month of contacts: a 31-day contact centre (about 40,000
contacts) is simulated with a trace, written in the Technion call-centre layout and fitted
with sim.fit_scenario; prints the read-and-fit time, its ratio to pandas merely parsing
the same file (a baseline in the same script, so the figure does not depend on how busy
the shared machine is), and what was recovered.

    .venv/bin/python benchmarks/bench_fit.py

The issue's budget is 20 s for a 31-day log of about 40,000 contacts on this machine.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

import sim
from sim.logs import read_log, write_technion
from sim.scenario import (
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

RATES, AGENTS = [4.5, 6.5, 6.5, 4.5], [14.0, 20.0, 20.0, 14.0]  # per minute; agents, hourly


def centre() -> Scenario:
    """A 4-hour contact centre: gamma service (mean 3, cv 0.8), exponential patience (4)."""
    return Scenario(
        name="centre", open_hour=8, close_hour=12,
        channels={"hotline": Channel(kind=ChannelKind.hotline, schedule=list(AGENTS))},
        transactions={"call": TransactionType(service={"hotline": Distribution(
            kind=DistributionKind.gamma, mean_minutes=3.0, cv=0.8)})},
        segments={"callers": Segment(
            arrivals=Arrivals(rate_per_minute=list(RATES), slot_minutes=60.0), mix={"call": 1.0},
            patience=Distribution(kind=DistributionKind.exponential, mean_minutes=4.0))},
        switching=Switching(enabled=False))


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    sim.simulate(centre(), replications=31, seed=1, trace=True, plots=False).write(folder / "t")
    contacts = read_log(folder / "t" / "trace.csv", format="trace", open_hour=8).contacts
    write_technion(contacts[contacts["outcome"] != "in_progress"], folder / "calls.csv")
    began = time.perf_counter()
    pd.read_csv(folder / "calls.csv", sep="\t", dtype=str)
    baseline = time.perf_counter() - began
    began = time.perf_counter()
    fit = sim.fit_scenario(folder / "calls.csv", format="technion")
    seconds = time.perf_counter() - began
    report = fit.report
    print(f"contacts: {report['data_quality']['rows_used']:,} over {len(report['days'])} days")
    print(f"read and fit: {seconds:.2f} s   (budget 20 s); pandas parsing the file alone: "
          f"{baseline:.2f} s, ratio {seconds / baseline:.1f}x")
    print(f"agents per hour: {report['agents']['per_interval']}   (simulated {AGENTS})")
    patience = report["patience"]["exponential"]["mean_minutes"]
    print(f"patience mean: {patience['value']:.2f} min [{patience['ci_low']:.2f}, "
          f"{patience['ci_high']:.2f}]   (simulated 4.00)")
    service = report["service"]["call"]["gamma"]["mean_minutes"]
    print(f"service mean: {service['value']:.3f} min [{service['ci_low']:.3f}, "
          f"{service['ci_high']:.3f}]   (simulated 3.000)")


if __name__ == "__main__":
    main()
