"""Fitting a scenario to a month of contacts: 31 days of the round-trip test's contact
centre (``tests/fitting/test_round_trip.py``: an 11-hour day, about 40,000 contacts in
all) are simulated with a trace, written in the Technion call-centre layout and fitted
with sim.fit_scenario; prints the read-and-fit time, its ratio to pandas merely parsing
the same file (a baseline in the same script, so the figure does not depend on how busy
the shared machine is), and what was recovered.

    .venv/bin/python benchmarks/bench_fit.py

The issue's budget is 20 s for a 31-day log of about 40,000 contacts on this machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sim  # noqa: E402
from sim.logs import read_log, write_technion  # noqa: E402
from tests.fitting.test_round_trip import (  # noqa: E402
    AGENTS,
    PATIENCE_MEAN,
    SERVICE_MEAN,
    centre,
)


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
          f"{patience['ci_high']:.2f}]   (simulated {PATIENCE_MEAN:.2f})")
    service = report["service"]["call"]["gamma"]["mean_minutes"]
    print(f"service mean: {service['value']:.3f} min [{service['ci_low']:.3f}, "
          f"{service['ci_high']:.3f}]   (simulated {SERVICE_MEAN:.3f})")


if __name__ == "__main__":
    main()
