"""sim.compare of one day against 20 simulated days, and the round trip it closes.

1. Timing: one day of the shipped ``utility_hotline`` (simulated with a trace: the "log")
   compared with 20 replications of the same scenario by ``sim.compare_scenario``, which
   simulates the 20 days with a trace, reads them back as a log and measures both sides
   interval by interval.  Baseline in the same script: a bare SimPy M/M/c loop through
   as many calls as the 20 days hold (``bench_sim.bare_mmc``), so the figure is a ratio
   that does not depend on how busy the shared machine is.
2. The round trip of the tests (``tests/fitting/test_round_trip.py``): 8 simulated days of
   an 11-hour centre written in the ``contacts`` and ``technion`` layouts, fitted, and the
   fitted scenario compared with its log: per KPI, the error / noise-floor ratio (below
   1.5 is the issue's bar; a perfect model averages 1).

    .venv/bin/python benchmarks/bench_compare.py

The issue's budget is 30 s for one day with 20 replications on this machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sim  # noqa: E402
from benchmarks.bench_sim import bare_mmc  # noqa: E402
from sim.estimators import level_for_z  # noqa: E402
from sim.fitting.assemble import FitSettings, fit_contacts  # noqa: E402
from sim.logs import read_log, write_contacts, write_technion  # noqa: E402
from tests.fitting.test_round_trip import centre  # noqa: E402

REPLICATIONS = 20


def timing(folder: Path) -> None:
    scenario = sim.load_scenario("utility_hotline")
    sim.simulate(scenario, replications=1, seed=5, trace=True, plots=False).write(folder / "day")
    log = folder / "day" / "trace.csv"
    began = time.perf_counter()
    check = sim.compare_scenario(scenario, log, format="trace", open_hour=scenario.open_hour,
                                 replications=REPLICATIONS, seed=11, channel="hotline")
    seconds = time.perf_counter() - began
    calls = check.summary["arrivals"]["day_total_simulated"] * REPLICATIONS
    began = time.perf_counter()
    bare_mmc(20, calls / 600.0, 1 / 4.0, 600.0, seed=1)  # the same number of calls, bare
    baseline = time.perf_counter() - began
    print(f"sim.compare, utility_hotline, 1 day vs {REPLICATIONS} replications "
          f"(~{calls:,.0f} simulated hotline calls): {seconds:.2f} s   (budget 30 s)")
    print(f"  bare SimPy M/M/c through as many calls: {baseline:.2f} s; "
          f"ratio {seconds / baseline:.1f}x")
    print("  ratios:", ", ".join(f"{k} {v['ratio']:.2f}" for k, v in check.summary.items()
                                 if isinstance(v, dict)))


def round_trip(folder: Path) -> None:
    sim.simulate(centre(), replications=8, seed=3, trace=True, plots=False).write(folder / "rt")
    contacts = read_log(folder / "rt" / "trace.csv", format="trace", open_hour=8).contacts
    write_contacts(contacts, folder / "contacts.csv")
    write_technion(contacts, folder / "technion.csv")
    for layout in ("contacts", "technion"):
        log = read_log(folder / f"{layout}.csv", format=layout)
        fit = fit_contacts(log.contacts, FitSettings(level=level_for_z(4.0)), log.quality)
        check = sim.compare_scenario(fit.scenario, folder / f"{layout}.csv", format=layout,
                                     replications=REPLICATIONS, seed=11)
        print(f"round trip via {layout}: " + ", ".join(
            f"{k} {v['ratio']:.2f}" for k, v in check.summary.items() if isinstance(v, dict)))


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    timing(folder)
    round_trip(folder)


if __name__ == "__main__":
    main()
