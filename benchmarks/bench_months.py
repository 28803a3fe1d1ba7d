"""Wall time and peak memory of ``run.mode=months``: 12 months of 50,000 customers.

Each measurement runs ``python -m sim run.mode=months`` on the shipped ``bank_branch`` in a
fresh subprocess (so the peak is that run's alone: ``ru_maxrss`` of the child, imports
included) with one replication (one population), as the issue's benchmark asks, and
with more populations for the CIs a user would normally want.  Target: under 2 minutes
and under 1 GB for 12 months x 50,000 customers.

    python benchmarks/bench_months.py            # ~1-3 minutes
    python benchmarks/bench_months.py --quick    # 5,000 customers, 3 months
"""

from __future__ import annotations

import argparse
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/tables.py

from tables import table  # noqa: E402

SECONDS_TARGET = 120.0
MEMORY_TARGET_MB = 1024.0


def measure(customers: int, months: int, replications: int) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one months run in a child process."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "sim", "run.mode=months", f"run.customers={customers}",
                   f"run.months={months}", f"run.replications={replications}",
                   f"hydra.run.dir={tmp}"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"failed: {shlex.join(command)}\n{done.stderr}")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        # ru_maxrss of children is the largest of any child so far: run the big ones last
        return seconds, max(peak, before) / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    cases = ([(5_000, 3, 1)] if args.quick
             else [(5_000, 12, 1), (50_000, 12, 1), (50_000, 12, 3)])
    print(f"$ {shlex.join([sys.executable, *sys.argv])}")
    print(f"python {platform.python_version()}, {platform.machine()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}; scenario bank_branch, "
          "2 representative days a month\n")
    rows = []
    for customers, months, reps in cases:
        print(f"  {customers} customers x {months} months x {reps} ...", file=sys.stderr)
        seconds, mb = measure(customers, months, reps)
        rows.append([f"{customers:,}", str(months), str(reps), f"{seconds:.1f}", f"{mb:.0f}",
                     "yes" if customers >= 50_000 and seconds < SECONDS_TARGET
                     and mb < MEMORY_TARGET_MB else ("-" if customers < 50_000 else "no")])
    print(table(["customers", "months", "populations", "wall s", "peak RSS MB",
                 "target met (< 120 s, < 1 GB)"], rows))
    print("\nwall s: the whole command (start-up, imports, the run, monthly.csv and the plot);"
          "\npeak RSS: the largest child so far, so rows are in increasing size")


if __name__ == "__main__":
    main()
