"""How fast ``sim.logs.read_log`` reads a month of contacts: 40,000 calls over 31 days.

A synthetic call-centre month (arrivals 07:00-23:00, an IVR, a third abandoning, some
ending in the IVR, a few past midnight) is written with the library's own writers in the
``technion`` layout (tab separated, plain and gzipped) and the ``contacts`` layout, then
read back ``--repeats`` times each; the table gives the median and the min-max wall
seconds, and the rows used (all of them: the log is clean).

    python benchmarks/bench_logs.py              # a few seconds
    python benchmarks/bench_logs.py --rows 200000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout even without `pip install -e .`
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/tables.py

from tables import table  # noqa: E402

from sim.logs import read_log, write_contacts, write_technion  # noqa: E402


def month(rows: int, seed: int = 1) -> pd.DataFrame:
    """A normalized table of ``rows`` synthetic calls over January 1999."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("1999-01-01", periods=31).strftime("%Y-%m-%d").to_numpy()
    arrival = rng.uniform(7 * 60, 23 * 60 + 59, rows).round(2)
    ivr_exit = arrival + rng.exponential(0.3, rows)
    outcome = rng.choice(np.array(["served", "abandoned", "ivr"]), rows, p=[0.6, 0.3, 0.1])
    queued = outcome != "ivr"
    queue_entry = np.where(queued, ivr_exit, np.nan)
    queue_exit = np.where(queued, queue_entry + rng.exponential(2.0, rows), np.nan)
    served = outcome == "served"
    service_start = np.where(served, queue_exit, np.nan)
    return pd.DataFrame({
        "contact_id": np.arange(rows).astype(str), "date": rng.choice(days, rows), "weekday": 0,
        "type": rng.choice(np.array(["PS", "PE", "NE", "IN"]), rows), "channel": "hotline",
        "customer": rng.integers(1, 5000, rows).astype(str), "priority": rng.integers(0, 3, rows),
        "agent": np.where(served, rng.choice(np.array(["AVI", "DANA", "MICHAL"]), rows), ""),
        "arrival": arrival, "ivr_exit": ivr_exit, "queue_entry": queue_entry,
        "queue_exit": queue_exit, "service_start": service_start,
        "service_end": service_start + rng.lognormal(1.0, 0.6, rows), "outcome": outcome})


def main() -> None:
    """Write the month in three files, read each ``--repeats`` times, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print("python " + " ".join(sys.argv))
    frame = month(args.rows)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        files = [(Path(folder, "month.txt"), "technion", write_technion),
                 (Path(folder, "month.txt.gz"), "technion", write_technion),
                 (Path(folder, "month.csv"), "contacts", write_contacts)]
        for path, layout, writer in files:
            writer(frame, path)
            seconds, used = [], 0
            for _ in range(args.repeats):
                start = time.perf_counter()
                used = read_log(path, layout).quality.rows_used
                seconds.append(time.perf_counter() - start)
            results.append([f"{path.name} ({layout})", f"{path.stat().st_size / 1e6:.1f}",
                            f"{statistics.median(seconds):.2f}",
                            f"{min(seconds):.2f}-{max(seconds):.2f}", f"{used}"])
    print(f"\nread_log on {args.rows} contacts over 31 days, {args.repeats} repeats\n")
    print(table(["file", "MB", "median s", "min-max s", "rows used"], results))


if __name__ == "__main__":
    main()
