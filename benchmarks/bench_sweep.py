"""Wall time of an 8-job sweep on 2 workers against one by one, as a share of what this
machine gives two CPU-bound processes at all.

The sweep: ``python -m sim -m scenario=mmc`` over scenario.servers=5,6 x
scenario.arrival_rate=4.0,4.5 x run.seed=1,2 (8 jobs, each ~4 s of simulation), run as a
subprocess from the project root twice: with ``hydra/launcher=basic`` (jobs one after
another in the launching process) and with ``hydra/launcher=joblib
hydra.launcher.n_jobs=2`` (loky worker processes).  Each run gets a fresh sweep folder and
result cache and ``sweep.resume=false``, so nothing is reused; the wall time is taken
around the subprocess, which must exit 0 with ``sweep.json`` saying 8 jobs ok.
speed-up = wall(basic) / wall(joblib).

The ceiling: this machine reports 2 CPUs, but two CPU-bound processes together may do
less than twice the work of one (the issue saw ~1.2x; on a shared machine other users'
processes take their part).  The same pure-Python loop (``spin``, calibrated once at
start so one unit takes about as long as one sweep job) runs as 2 units in one spawned
process and as 1 unit in each of 2 spawned processes started together; wall time in the
parent, process start included.  ceiling = wall(1 process) / wall(2 processes), the best
speed-up any 2-worker sweep can reach here.  share = speed-up / ceiling; target >= 0.90.

Both are repeated, interleaved (even repeats ceiling first, odd ones sweeps first, and
the order inside each flipped too); the report gives medians and min-max.  For each
sweep it also gives the sum of the jobs' own ``seconds`` (job.json), wall minus that sum,
the CPU seconds of the sweep process and its workers, and the wall time split into
phases from the files the sweep leaves: start-up (launch to ``multirun.yaml``), launch
(to the first job's ``.hydra/overrides.yaml``: worker start for joblib), jobs (to the
last ``job.json``), table (to ``sweep.json``), plots (to the last ``.png``) and exit;
and how long only one job, or none, was running during the jobs phase.  Other users'
CPU time during each measurement (``/proc/stat``) is reported too, and the summary
repeats the share over the measurements taken while the rest of the machine was quiet.

    python benchmarks/bench_sweep.py              # ~4 minutes
    python benchmarks/bench_sweep.py --quick      # smoke run, under a minute
    python benchmarks/bench_sweep.py --repeats 5
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/tables.py

from tables import table  # noqa: E402

SHARE_TARGET = 0.90
QUIET_CORES = 0.2  # other processes' mean CPU use below which a measurement counts as quiet
N_JOBS = 2
JOBS = 8
GRID = ["scenario.servers=5,6", "scenario.arrival_rate=4.0,4.5", "run.seed=1,2"]
PHASES = ("start-up", "launch", "jobs", "table", "plots", "exit")
LAUNCHERS = {"basic": ["hydra/launcher=basic"],
             "joblib": ["hydra/launcher=joblib", f"hydra.launcher.n_jobs={N_JOBS}"]}


@dataclass(frozen=True)
class Sizes:
    horizon_minutes: int  # per replication of a sweep job
    replications: int  # per sweep job
    unit_seconds: float  # the ceiling's unit of work, about one job's seconds
    repeats: int


FULL = Sizes(horizon_minutes=15_000, replications=2, unit_seconds=4.0, repeats=3)
QUICK = Sizes(horizon_minutes=500, replications=1, unit_seconds=0.3, repeats=1)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- ceiling

def spin(n: int) -> int:
    """Pure-Python CPU work: ``n`` steps of an integer recurrence, no I/O, little memory."""
    x = 0
    for i in range(n):
        x = (x * 1_103_515_245 + i) & 0x7FFF_FFFF
    return x


def spin_units(n: int, units: int) -> None:
    for _ in range(units):
        spin(n)


def calibrate(seconds: float) -> int:
    """Steps of ``spin`` that take about ``seconds`` in this process, now."""
    n = 100_000
    while True:
        t0 = time.perf_counter()
        spin(n)
        elapsed = time.perf_counter() - t0
        if elapsed >= 0.25:
            return max(1, round(n * seconds / elapsed))
        n *= 2


class Meter:
    """Wall seconds of a ``with`` block, the CPU seconds this process and its reaped
    children used in it, and the CPU the rest of the machine used meanwhile (other users'
    processes on a shared machine: ``/proc/stat`` busy time less ours; NaN off Linux)."""

    def __enter__(self) -> Meter:
        self.wall = self.cpu = self.others = math.nan
        self._start = (time.perf_counter(), our_cpu(), machine_busy())
        return self

    def __exit__(self, *exc: object) -> None:
        t0, cpu0, busy0 = self._start
        self.wall = time.perf_counter() - t0
        self.cpu = our_cpu() - cpu0
        # in cores; /proc/stat counts in ticks, so a quiet machine can come out a hair below 0
        self.others = max(0.0, (machine_busy() - busy0 - self.cpu) / self.wall)


def our_cpu() -> float:
    """User + system CPU seconds of this process and the children it has waited for
    (a child's figure includes the grandchildren it waited for: the sweep's workers)."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def machine_busy() -> float:
    """CPU seconds all CPUs have spent busy since boot (not idle, iowait or steal)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    except (OSError, ValueError):
        return math.nan
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Timing:
    wall: float
    others: float  # cores busy with other processes meanwhile (mean)


def processes_wall(n: int, units_per_process: Sequence[int]) -> Timing:
    """Start one spawned process per entry, each running that many units of ``spin(n)``,
    and join them all; wall time in this process, process start included."""
    context = multiprocessing.get_context("spawn")
    with Meter() as meter:
        procs = [context.Process(target=spin_units, args=(n, units)) for units in units_per_process]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
    if any(p.exitcode != 0 for p in procs):
        raise RuntimeError(f"a spin process failed: exit codes {[p.exitcode for p in procs]}")
    return Timing(meter.wall, meter.others)


@dataclass(frozen=True)
class Ceiling:
    sequential: Timing  # 2 units in one process
    parallel: Timing  # 1 unit in each of 2 processes

    @property
    def ratio(self) -> float:
        return self.sequential.wall / self.parallel.wall


def measure_ceiling(n: int, parallel_first: bool) -> Ceiling:
    order = [[1, 1], [2]] if parallel_first else [[2], [1, 1]]
    timings = {len(units): processes_wall(n, units) for units in order}
    ceiling = Ceiling(sequential=timings[1], parallel=timings[2])
    progress(f"  ceiling: 1 process {ceiling.sequential.wall:.2f} s, 2 processes "
             f"{ceiling.parallel.wall:.2f} s, ratio {ceiling.ratio:.3f}")
    return ceiling


# --------------------------------------------------------------------------- sweep

@dataclass(frozen=True)
class SweepRun:
    launcher: str
    wall: float
    cpu: float  # user + sys of the sweep process and the workers it reaped
    others: float  # cores busy with other processes meanwhile (mean)
    started: float  # time.time() when launched
    ended: float
    setup_done: float  # mtime of multirun.yaml
    table_done: float  # mtime of sweep.json (the callback then draws the plots)
    plots_done: float  # mtime of the last plot (table_done if there is none)
    spans: list[tuple[float, float]]  # per job: .hydra/overrides.yaml and job.json mtimes
    job_seconds: list[float]  # "seconds" of each job.json

    @property
    def job_sum(self) -> float:
        return sum(self.job_seconds)

    @property
    def phases(self) -> dict[str, float]:
        first = min(s for s, _ in self.spans)
        last = max(e for _, e in self.spans)
        return {"start-up": self.setup_done - self.started, "launch": first - self.setup_done,
                "jobs": last - first, "table": self.table_done - last,
                "plots": self.plots_done - self.table_done, "exit": self.ended - self.plots_done}

    def running(self, k: int) -> float:
        """Seconds of the jobs phase during which exactly ``k`` jobs were running."""
        events = sorted([(s, 1) for s, _ in self.spans] + [(e, -1) for _, e in self.spans])
        total, level, previous = 0.0, 0, events[0][0]
        for t, step in events:
            if level == k:
                total += t - previous
            level, previous = level + step, t
        return total


def sweep_command(launcher: str, sizes: Sizes, folder: Path) -> list[str]:
    return [sys.executable, "-m", "sim", "-m", "scenario=mmc",
            f"run.replications={sizes.replications}", f"run.horizon_minutes={sizes.horizon_minutes}",
            "run.plots=false", *GRID, *LAUNCHERS[launcher], f"hydra.sweep.dir={folder / 'sweep'}",
            f"sweep.cache_dir={folder / 'cache'}", "sweep.resume=false"]


def read_sweep(launcher: str, sweep_dir: Path, meter: Meter, started: float,
               ended: float) -> SweepRun:
    summary = json.loads((sweep_dir / "sweep.json").read_text())
    if summary["ok"] != JOBS or summary["from_cache"]:
        raise RuntimeError(f"{launcher}: sweep.json says {summary}")
    spans, seconds = [], []
    for job_dir in sorted(d for d in sweep_dir.iterdir() if d.name.isdigit()):
        record = job_dir / "job.json"
        spans.append(((job_dir / ".hydra" / "overrides.yaml").stat().st_mtime,
                      record.stat().st_mtime))
        seconds.append(float(json.loads(record.read_text())["seconds"]))
    table_done = (sweep_dir / "sweep.json").stat().st_mtime
    plots_done = max((p.stat().st_mtime for p in sweep_dir.glob("*.png")), default=table_done)
    return SweepRun(launcher, meter.wall, meter.cpu, meter.others, started, ended,
                    (sweep_dir / "multirun.yaml").stat().st_mtime, table_done, plots_done, spans,
                    seconds)


def run_sweep(launcher: str, sizes: Sizes) -> SweepRun:
    """One sweep in a subprocess (cwd = project root), with its own folder and cache."""
    with tempfile.TemporaryDirectory(prefix=f"bench_sweep_{launcher}_") as tmp:
        command = sweep_command(launcher, sizes, Path(tmp))
        started = time.time()
        with Meter() as meter:
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        ended = time.time()
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise RuntimeError(f"{launcher}: exit code {done.returncode}\n{tail}")
        run = read_sweep(launcher, Path(tmp) / "sweep", meter, started, ended)
    progress(f"  sweep {launcher}: {run.wall:.2f} s wall, jobs {run.job_sum:.2f} s, "
             f"others {run.others:.2f} cores")
    return run


# --------------------------------------------------------------------------- repeats

@dataclass(frozen=True)
class Repeat:
    ceiling: Ceiling
    basic: SweepRun
    joblib: SweepRun
    order: str

    @property
    def speedup(self) -> float:
        return self.basic.wall / self.joblib.wall

    @property
    def share(self) -> float:
        return self.speedup / self.ceiling.ratio

    @property
    def jobs_speedup(self) -> float:
        """Speed-up of the jobs phase alone (start-up, launch and the end left out)."""
        return self.basic.phases["jobs"] / self.joblib.phases["jobs"]


def measure_repeat(i: int, n: int, sizes: Sizes) -> Repeat:
    """Ceiling then both sweeps on even repeats, the other way round on odd ones (and the
    order within each flipped too), so that drift in the load bills both alike."""
    progress(f"repeat {i + 1}/{sizes.repeats}")
    flip = i % 2 == 1
    launchers = ["joblib", "basic"] if flip else ["basic", "joblib"]
    ceiling = None if flip else measure_ceiling(n, parallel_first=False)
    runs = {launcher: run_sweep(launcher, sizes) for launcher in launchers}
    if ceiling is None:
        ceiling = measure_ceiling(n, parallel_first=True)
    order = ("sweeps" if flip else "ceiling") + " first, " + "/".join(launchers)
    return Repeat(ceiling, runs["basic"], runs["joblib"], order)


# --------------------------------------------------------------------------- report

def spread(values: Sequence[float], digits: int = 2) -> tuple[str, str]:
    return (f"{statistics.median(values):.{digits}f}",
            f"{min(values):.{digits}f} - {max(values):.{digits}f}")


def ceiling_table(repeats: Sequence[Repeat], unit_steps: int) -> str:
    seq = [r.ceiling.sequential for r in repeats]
    par = [r.ceiling.parallel for r in repeats]
    rows = [[f"2 units in 1 process (unit = spin({unit_steps:,}))", *spread([t.wall for t in seq]),
             spread([t.others for t in seq])[0]],
            ["1 unit in each of 2 processes", *spread([t.wall for t in par]),
             spread([t.others for t in par])[0]],
            ["ceiling = 1 process / 2 processes", *spread([r.ceiling.ratio for r in repeats], 3),
             ""]]
    return table(["ceiling", "wall s median", "min - max", "others' cores"], rows)


def sweep_table(repeats: Sequence[Repeat]) -> str:
    rows = []
    for launcher in LAUNCHERS:
        runs = [getattr(r, launcher) for r in repeats]

        def med(f: Callable[[SweepRun], float], runs: list[SweepRun] = runs) -> str:
            return f"{statistics.median(f(s) for s in runs):.2f}"

        rows.append([launcher + (f" n_jobs={N_JOBS}" if launcher == "joblib" else ""),
                     *spread([s.wall for s in runs]), med(lambda s: s.job_sum),
                     med(lambda s: s.wall - s.job_sum) if launcher == "basic" else "-",
                     med(lambda s: s.cpu), med(lambda s: s.others),
                     *(med(lambda s, p=p: s.phases[p]) for p in PHASES),
                     med(lambda s: s.running(1)), med(lambda s: s.running(0))])
    return table(["launcher", "wall s median", "min - max", "sum job s", "wall - sum",
                  "CPU s", "others' cores", *PHASES, "1 running", "0 running"], rows)


def others(r: Repeat) -> list[float]:
    return [r.ceiling.sequential.others, r.ceiling.parallel.others, r.basic.others,
            r.joblib.others]


def repeats_table(repeats: Sequence[Repeat]) -> str:
    rows = [[str(i + 1), r.order, f"{r.ceiling.ratio:.3f}", f"{r.basic.wall:.2f}",
             f"{r.joblib.wall:.2f}", f"{r.speedup:.3f}", f"{r.share:.1%}", f"{r.jobs_speedup:.3f}",
             f"{r.jobs_speedup / r.ceiling.ratio:.1%}", " ".join(f"{x:.2f}" for x in others(r))]
            for i, r in enumerate(repeats)]
    return table(["repeat", "order", "ceiling", "basic s", "joblib s", "speed-up", "share",
                  "jobs-phase speed-up", "its share", "others' cores (1p 2p basic joblib)"], rows)


def command_line() -> str:
    argv = getattr(sys, "orig_argv", None) or [sys.executable, *sys.argv]
    return shlex.join(argv)


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def report(repeats: Sequence[Repeat], unit_steps: int) -> None:
    print("Ceiling: the same pure-Python loop as 1 and as 2 spawned processes (process start "
          "included)")
    print(ceiling_table(repeats, unit_steps))
    print(f"\nSweep of {JOBS} jobs ({' x '.join(GRID)}), wall clock around the subprocess")
    print(sweep_table(repeats))
    print("(medians, seconds; sum job s = the jobs' own \"seconds\"; CPU s = user+sys of the "
          "sweep and its workers;\n start-up = to multirun.yaml, launch = to the first job's "
          "start, jobs = to the last job.json,\n table = to sweep.json, plots = to the "
          "last .png, exit = to exit; 1/0 running = time in the jobs phase with exactly 1 / no job running)")
    print("\nPer repeat (share = speed-up / ceiling; jobs-phase speed-up = basic jobs phase / "
          "joblib jobs phase)")
    print(repeats_table(repeats))
    print("(others' cores: mean CPUs busy with other processes on the machine during each "
          "measurement, /proc/stat)")

    speedup = statistics.median(r.speedup for r in repeats)
    ceiling = statistics.median(r.ceiling.ratio for r in repeats)
    share = speedup / ceiling
    slowdown = (statistics.median(r.joblib.job_sum for r in repeats)
                / statistics.median(r.basic.job_sum for r in repeats))
    print(f"\njobs' own seconds, joblib / basic: {slowdown:.3f} (2 / ceiling = {2 / ceiling:.3f} "
          "if two jobs at once run as the spin loop does)")
    verdict = "met" if share >= SHARE_TARGET else "MISSED"
    print(f"speed-up {speedup:.3f} (median basic / joblib wall), ceiling {ceiling:.3f}, "
          f"share {share:.1%}   target >= {SHARE_TARGET:.0%}: {verdict}")
    print(f"per-repeat shares: median {statistics.median(r.share for r in repeats):.1%}, "
          f"range {min(r.share for r in repeats):.1%} - {max(r.share for r in repeats):.1%}")
    quiet_speedups = [r.speedup for r in repeats if max(others(r)[2:]) < QUIET_CORES]
    quiet_ceilings = [r.ceiling.ratio for r in repeats if max(others(r)[:2]) < QUIET_CORES]
    line = (f"quiet measurements only (other processes below {QUIET_CORES:g} cores in both runs): "
            f"speed-up in {len(quiet_speedups)} of {len(repeats)} repeats, ceiling in "
            f"{len(quiet_ceilings)}")
    if quiet_speedups and quiet_ceilings:
        quiet_speedup, quiet_ceiling = (statistics.median(quiet_speedups),
                                        statistics.median(quiet_ceilings))
        line += (f": speed-up {quiet_speedup:.3f}, ceiling {quiet_ceiling:.3f}, "
                 f"share {quiet_speedup / quiet_ceiling:.1%}")
    print(line)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny jobs, 1 repeat: a smoke run")
    parser.add_argument("--repeats", type=int, default=None, help="interleaved repeats (default 3)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.repeats:
        sizes = Sizes(sizes.horizon_minutes, sizes.replications, sizes.unit_seconds, args.repeats)

    print(f"$ {command_line()}")
    print(f"python {platform.python_version()}, hydra-core {version('hydra-core')}, "
          f"hydra-joblib-launcher {version('hydra-joblib-launcher')}, joblib {version('joblib')}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"load average {load()}")
    print(f"sizes: {'--quick' if args.quick else 'default'} {sizes}", flush=True)

    repeats: list[Repeat] = []
    unit_steps = 0
    try:
        unit_steps = calibrate(sizes.unit_seconds)
        progress(f"calibrated: spin({unit_steps:,}) ~ {sizes.unit_seconds:g} s")
        for i in range(sizes.repeats):
            repeats.append(measure_repeat(i, unit_steps, sizes))
    except Exception as error:  # a benchmark reports what went wrong and still exits 0
        print(f"\nFAILED: {type(error).__name__}: {error}")
    print(f"load average at the end {load()}\n")
    if repeats:
        report(repeats, unit_steps)


if __name__ == "__main__":
    main()
