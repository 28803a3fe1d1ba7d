"""A network of 200 branches, about 200,000 customers a day: one day's wall time and
customers per second, peak memory, parallel replications and the network optimiser.

The network: the shipped ``utility_network`` (business halls sharing a hotline with an
IVR, a portal and an app) with its branch table replaced by one of ``--branches`` rows
(``scenario.branch_table=<a CSV in a temporary folder>``, ``sim.load_scenario`` composes,
expands and validates it).  The rows are taken evenly from the shipped
``utility_network_halls.csv`` (row ``i * 120 // branches``, so every size keeps its mix of
city, county and rural halls; at 200 each shipped row appears once or twice), named
``<region>_<nnn>``, each hall's neighbour the next hall of its region (the last one's the
one before), as in the shipped table.  One factor scales every row's ``daily_volume`` so
that the halls' customers number CUSTOMERS_PER_BRANCH per hall (200,000 at 200 halls: a
hall's customers go to their hall, the hotline, the portal and the app), and scales its
tellers, kiosks and guides alike (rounded, at least 1 where the shipped row has any), so
that a hall is about as loaded as a shipped one.  The hotline's agents per hour are the
shipped schedule times the network's volume over the shipped network's (rounded up).  The
report gives the day's ``journeys`` KPI (every customer who arrived) and where they ended.

(1) One day on one core: ``Model(scenario, run, r)`` then ``simulate_replication`` (the
    engine without the experiment runner, as bench_sim.py's ``model_run``), wall time with
    the model's set-up (and the set-up apart), customers (``journeys``) per second; and,
    interleaved in the same process, bench_sim.py's ``bare_mmc`` (plain SimPy M/M/c with
    the shipped ``mmc`` scenario's c, lambda, mu) through as many customers.  Ratio =
    model customers/s / bare customers/s: what a network customer costs against the
    least a SimPy customer can.  ``sim.load_scenario`` (compose, expand the network,
    validate) is timed once, apart.  5 pairs (``--quick``: 1), alternating which goes
    first; the table gives medians and min-max.
(2) Peak memory: one day per fresh subprocess at 1 branch (the imports and the shared
    channels), a quarter, half and all of the branches (``--quick``: a quarter and half),
    and the largest of these again with a quarter of the customers per hall.  Peak = the
    child's ``VmHWM`` (Linux; ``ru_maxrss`` elsewhere), imports included: on Linux
    ``ru_maxrss`` carries over exec, so a child started by this process reports at least
    this process's size, which the table shows beside it.  VmRSS around the run shows
    what the simulation itself adds.  Statistics are streamed, so the peak should grow
    with the network's channels and segments (and their random streams), not with its
    customers: the last two rows tell the two apart.
(3) Parallel: ``sim.simulate(scenario, replications=10, plots=False)`` with ``workers=1``
    and ``workers=2`` (the pool started beforehand by a short call, as any later call in
    a process finds it), and the machine's ceiling: bench_sweep.py's ``measure_ceiling``
    (the same pure-Python loop as 2 units in one spawned process and as 1 unit in each of
    2 at once; ceiling = wall(1 process) / wall(2 processes)), run from a small ``python
    -c`` process so that its spawned processes do not re-import this script.  Repeats
    alternate the order (even: ceiling, 1 worker, 2 workers; odd: the reverse).
    speed-up = wall(1 worker) / wall(2 workers); share = speed-up / ceiling of the same
    repeat.  Both calls must give the same ``summary()`` to the byte.  3 repeats
    (``--quick``: 1 repeat of 4 replications and a shorter unit).
(4) The optimiser on the network: ``optimize.baseline.planning_baseline`` timed (the
    simulations at today's staff and then at the staff the loads need, up to 4 of them,
    of ``--plan-replications`` replications each, default 4, and the planning data,
    whose Erlang tables for a large hotline take a good part of it); then
    ``optimize.start.build_and_solve`` (build the MILP, solve with HiGHS to
    ``gap=0.005``, time limit 60 s as shipped) at a budget of 2500 x branches / 120 (the
    shipped budget, per the shipped network's size); ``formulation.build`` is also timed
    once on its own.  No simulated check of the plan (``check_replications=0``).

Targets (the issue): at 200 branches, a day under 20 s per replication on one core, peak
memory under 500 MB, parallel replications at >= 90% of the ceiling, the network plan
proven within 0.5% in under 30 s (build and solve).  Below 200 branches, or with
``--quick``, the verdicts say how that size did but do not count.

    python benchmarks/bench_network.py                        # 200 halls, ~15 minutes (estimate)
    python benchmarks/bench_network.py --branches 20 --quick  # smoke run, under a minute
    python benchmarks/bench_network.py --skip-parallel --skip-optimize
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import gc
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Optional

import pulp
import simpy
from omegaconf import DictConfig, OmegaConf

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # run from a checkout even without `pip install -e .`
sys.path.insert(0, str(BENCH))  # benchmarks/tables.py, bench_sim.py, bench_sweep.py

from bench_sim import (  # noqa: E402
    WORKERS,
    Throughput,
    bare_mmc,
    command_line,
    mmc_parameters,
    spread,
    throughput_row,
    timed,
)
from bench_sweep import SHARE_TARGET, Ceiling, Timing, calibrate, load, progress  # noqa: E402
from memory import current_rss_mb, maxrss_mb, peak_rss_mb  # noqa: E402
from tables import table  # noqa: E402

import sim  # noqa: E402
from optimize.baseline import planning_baseline  # noqa: E402
from optimize.formulation import Formulation, build  # noqa: E402
from optimize.settings import OptimizeSettings  # noqa: E402
from optimize.solve import SolveResult  # noqa: E402
from optimize.start import build_and_solve  # noqa: E402
from optimize.validate import validate_settings  # noqa: E402
from sim.api import make_run_settings  # noqa: E402
from sim.engine.model import Model  # noqa: E402
from sim.experiment import simulate_replication  # noqa: E402
from sim.io import json_safe  # noqa: E402
from sim.kpis import ReplicationResult  # noqa: E402
from sim.network import table_path  # noqa: E402
from sim.paths import conf_dir  # noqa: E402
from sim.scenario import RunSettings, Scenario  # noqa: E402
from sim.validate import validate_run, validate_size  # noqa: E402

SHIPPED = "utility_network"
BRANCHES = 200  # the network
CUSTOMERS_PER_BRANCH = 1_000  # 200,000 a day at 200 halls
DAY_SECONDS_TARGET = 20.0
MEMORY_TARGET_MB = 500.0
PLAN_GAP = 0.005
PLAN_SECONDS_TARGET = 30.0
PARALLEL_REPLICATIONS = 10


@dataclass(frozen=True)
class Sizes:
    day_repeats: int  # interleaved pairs (bare SimPy, network day) of (1)
    memory_fractions: tuple[float, ...]  # of --branches, one subprocess each, after 1 branch
    parallel_replications: int  # per sim.simulate call of (3)
    parallel_repeats: int  # interleaved (ceiling, workers=1, workers=2) of (3)
    unit_seconds: float  # the ceiling's unit of work


FULL = Sizes(day_repeats=5, memory_fractions=(0.25, 0.5, 1.0),
             parallel_replications=PARALLEL_REPLICATIONS, parallel_repeats=3, unit_seconds=5.0)
QUICK = Sizes(day_repeats=1, memory_fractions=(0.25, 0.5), parallel_replications=4,
              parallel_repeats=1, unit_seconds=0.5)


# --------------------------------------------------------------------------- the network

def shipped_config() -> DictConfig:
    """The shipped network's YAML file, as written (its network not expanded)."""
    config = OmegaConf.load(conf_dir() / "scenario" / f"{SHIPPED}.yaml")
    assert isinstance(config, DictConfig)
    return config


def shipped_rows() -> list[dict[str, str]]:
    """The rows of the shipped network's branch table (the file its YAML names)."""
    text = str(shipped_config().branch_table)
    with table_path(text).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def shipped_hotline() -> list[float]:
    """The shipped hotline's agents per hour."""
    return [float(x) for x in shipped_config().channels.hotline.schedule]


def scaled_count(text: str, factor: float) -> str:
    """A table's count (kiosks, guides, or tellers: one number or one per hour, ';'-separated)
    times ``factor``, rounded; at least 1 where it was positive."""
    def one(x: float) -> int:
        return max(1, round(x * factor)) if x > 0 else 0

    parts = [one(float(p)) for p in (text or "0").split(";")]
    return ";".join(str(p) for p in parts)


def network_rows(branches: int, shipped: list[dict[str, str]], per_branch: float
                 ) -> tuple[list[dict[str, str]], float]:
    """``branches`` rows taken evenly from the shipped table and renamed ``<region>_<nnn>``,
    each region's halls chained as neighbours; volumes and counts scaled so that the halls
    have ``per_branch`` customers each on average.  Also the factor."""
    picked = [shipped[i * len(shipped) // branches] for i in range(branches)]
    factor = per_branch * branches / sum(float(r["daily_volume"]) for r in picked)
    by_region: dict[str, list[dict[str, str]]] = defaultdict(list)
    for source in picked:
        row = dict(source)
        row["branch"] = f"{row['region']}_{len(by_region[row['region']]) + 1:03d}"
        row["daily_volume"] = f"{float(row['daily_volume']) * factor:.1f}"
        for column in ("tellers", "kiosks", "guides"):
            row[column] = scaled_count(row[column], factor)
        by_region[row["region"]].append(row)
    rows = []
    for region in by_region.values():
        for i, row in enumerate(region):
            j = i + 1 if i + 1 < len(region) else i - 1  # the next hall, the last the one before
            row["neighbours"] = region[j]["branch"] if j >= 0 else ""
            rows.append(row)
    return rows, factor


@dataclass(frozen=True)
class Network:
    branches: int
    scenario: Scenario  # expanded and validated
    table: Path  # the branch table it was loaded from
    volume_factor: float  # shipped hall -> this network's (volume, tellers, kiosks, guides)
    hotline_factor: float  # shipped network's volume -> this network's
    hotline: list[int]  # agents per hour
    daily_volume: float  # the halls' customers, summed
    load_seconds: float  # sim.load_scenario: compose, expand, validate


def network(branches: int, folder: Path, per_branch: float = CUSTOMERS_PER_BRANCH) -> Network:
    """Write the branch table of ``branches`` halls of ``per_branch`` customers a day on
    average into ``folder`` and load the shipped network with it and a hotline scaled to
    its volume."""
    shipped = shipped_rows()
    rows, factor = network_rows(branches, shipped, per_branch)
    path = folder / f"halls_{branches}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(shipped[0]))
        writer.writeheader()
        writer.writerows(rows)
    volume = sum(float(r["daily_volume"]) for r in rows)
    hotline_factor = volume / sum(float(r["daily_volume"]) for r in shipped)
    hotline = [math.ceil(agents * hotline_factor) for agents in shipped_hotline()]
    start = time.perf_counter()
    scenario = sim.load_scenario(SHIPPED, [f"branch_table='{path}'",
                                           f"channels.hotline.schedule=[{','.join(map(str, hotline))}]"])
    seconds = time.perf_counter() - start
    assert len(scenario.branches) == branches, "the table's halls replace the shipped ones"
    return Network(branches, scenario, path, factor, hotline_factor, hotline, volume, seconds)


def regions(net: Network) -> dict[str, int]:
    """Halls per region."""
    counts: dict[str, int] = defaultdict(int)
    for branch in net.scenario.branches.values():
        counts[branch.region] += 1
    return dict(counts)


def day_run(scenario: Scenario, horizon_minutes: Optional[float] = None,
            replications: int = 1, workers: int = 1) -> RunSettings:
    """Validated RunSettings of the Python API's defaults (the scenario's day, warm-up 0,
    the default seed, no plots)."""
    run = make_run_settings(scenario, replications, RunSettings.seed, horizon_minutes, 0.0,
                            workers, plots=False)
    validate_run(run)
    validate_size(scenario, run)
    return run


# --------------------------------------------------------------------------- (1) one day

@dataclass(frozen=True)
class Day:
    result: ReplicationResult
    setup_s: float  # Model(...)
    wall_s: float  # set-up and run
    cpu_s: float  # CPU seconds of this process, set-up and run


def one_day(scenario: Scenario, run: RunSettings, replication: int) -> Day:
    """One replication, set-up timed apart, after a collection so that no earlier garbage
    is billed to it."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    model = Model(scenario, run, replication)
    setup = time.perf_counter() - wall
    result = simulate_replication(model)
    return Day(result, setup, time.perf_counter() - wall, time.process_time() - cpu)


def journeys(day: Day) -> int:
    return int(day.result.kpis["journeys"])


@dataclass
class DayBench:
    bare: Throughput
    model: Throughput
    setup_s: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)  # per pair, model / bare (wall)
    last: Optional[Day] = None
    mmc: tuple[int, float, float] = (0, 0.0, 0.0)


def bench_day(net: Network, repeats: int) -> DayBench:
    """(1): ``repeats`` pairs (bare SimPy, network day), alternating which goes first."""
    c, lam, mu = mmc_parameters(sim.load_scenario("mmc"))
    horizon = net.daily_volume / lam  # as many bare customers as the network's
    run = day_run(net.scenario)
    bare_mmc(c, lam, mu, horizon / 20, seed=-1)  # warm both paths on short runs
    one_day(net.scenario, day_run(net.scenario, horizon_minutes=60.0), 999)
    bench = DayBench(Throughput("bare SimPy M/M/c"),
                     Throughput(f"network day, {net.branches} branches"), mmc=(c, lam, mu))
    for i in range(repeats):
        def network_day(i: int = i) -> int:
            bench.last = one_day(net.scenario, run, i)
            bench.setup_s.append(bench.last.setup_s)
            return journeys(bench.last)

        jobs: list[tuple[Throughput, Callable[[], int]]] = [
            (bench.bare, partial(bare_mmc, c, lam, mu, horizon, i)), (bench.model, network_day)]
        if i % 2:
            jobs.reverse()
        for target, work in jobs:
            target.add(*timed(work))
        bench.ratios.append(bench.model.rates[-1] / bench.bare.rates[-1])
        progress(f"  day {i + 1}/{repeats}: {bench.model.seconds[-1]:.2f} s, "
                 f"{bench.model.rates[-1]:,.0f} customers/s; bare {bench.bare.rates[-1]:,.0f}/s")
    return bench


def where_journeys_ended(scenario: Scenario, result: ReplicationResult) -> dict[str, float]:
    """Journeys of a day by where they ended: at a hall (counter or kiosk), on the hotline,
    online (portal, app), lost, or still going at the end."""
    ended: dict[str, float] = {"halls": 0.0, "hotline": 0.0, "online": 0.0, "lost": 0.0}
    for (_, final), n in result.flows.items():
        if final == "lost":
            ended["lost"] += n
            continue
        spec = scenario.channels[final]
        ended["halls" if spec.branch else spec.kind.value] += n
    ended["in progress at the end"] = result.kpis["in_progress_end"]
    return ended


def report_day(net: Network, bench: DayBench) -> float:
    """Print (1); returns the median wall seconds of a day."""
    c, lam, mu = bench.mmc
    print(f"(1) One day on one core: {net.branches} halls, Model() + simulate_replication, "
          f"set-up included; bare SimPy M/M/c with c={c}, lambda={lam:g}/min, mu={mu:g}/min "
          f"through as many customers, interleaved")
    print(table(["workload", "customers/run", "runs", "s/run (median)", "customers/s (median)",
                 "customers/s (min - max)", "customers/CPU-s"],
                [throughput_row(t) for t in (bench.bare, bench.model)]))
    seconds = statistics.median(bench.model.seconds)
    ratio = bench.model.median_rate / bench.bare.median_rate
    print(f"model set-up (Model()): {spread(bench.setup_s)} s; sim.load_scenario (compose, "
          f"expand, validate): {net.load_seconds:.2f} s, once")
    print(f"ratio model / bare customers/s: {ratio:.3f} (wall), "
          f"{bench.model.median_cpu_rate / bench.bare.median_cpu_rate:.3f} (CPU of the process); "
          f"per pair {statistics.median(bench.ratios):.3f} "
          f"({min(bench.ratios):.3f} - {max(bench.ratios):.3f})")
    if bench.last is not None:
        ended = where_journeys_ended(net.scenario, bench.last.result)
        kpis, hotline = bench.last.result.kpis, bench.last.result.channels["hotline"]
        print(f"the day: {kpis['journeys']:,.0f} journeys (halls' daily_volume "
              f"{net.daily_volume:,.0f}); ended "
              + ", ".join(f"{k} {v:,.0f}" for k, v in ended.items())
              + f"; diversion {kpis['diversion_rate']:.1%}")
        print(f"hotline ({min(net.hotline)}-{max(net.hotline)} agents an hour): service level "
              f"{hotline['service_level']:.1%}, abandoned {hotline['abandon_rate']:.1%}, "
              f"utilisation {hotline['utilisation']:.1%}")
    return seconds


# --------------------------------------------------------------------------- (2) memory

@dataclass(frozen=True)
class MemoryRow:
    branches: int
    per_branch: int  # customers a day per hall, on average
    customers: int
    seconds: float
    peak_rss_mb: float  # the child's own peak (VmHWM), imports included
    maxrss_mb: float  # ru_maxrss: on Linux at least the parent's RSS when it started the child
    rss_before_mb: float  # after imports and loading the scenario, before Model()
    rss_after_mb: float


def memory_child(branches: int, per_branch: int) -> None:
    """In a fresh process: one day of a ``branches``-hall network; one JSON line."""
    with tempfile.TemporaryDirectory(prefix="bench_network_") as tmp:
        net = network(branches, Path(tmp), per_branch)
    run = day_run(net.scenario)
    before = current_rss_mb()
    day = one_day(net.scenario, run, 0)
    after = current_rss_mb()
    print(json.dumps(dataclasses.asdict(MemoryRow(
        branches, per_branch, journeys(day), day.wall_s, peak_rss_mb(), maxrss_mb(), before,
        after))))


def bench_memory(branches: int, sizes: Sizes) -> list[MemoryRow]:
    """(2): one subprocess per size, 1 branch first; then the largest again with a quarter
    of the customers, which shows what the customers themselves cost."""
    counts = sorted({1, *(max(1, round(branches * f)) for f in sizes.memory_fractions)})
    runs = [(n, CUSTOMERS_PER_BRANCH) for n in counts] + [(counts[-1], CUSTOMERS_PER_BRANCH // 4)]
    rows = []
    for n, per_branch in runs:
        out = subprocess.run([sys.executable, __file__, "--memory-child", str(n), str(per_branch)],
                             check=True, stdout=subprocess.PIPE, text=True).stdout
        rows.append(MemoryRow(**json.loads(out.strip().splitlines()[-1])))
        progress(f"  memory {n} branches x {per_branch}: {rows[-1].customers:,} customers, "
                 f"{rows[-1].peak_rss_mb:.1f} MB")
    return rows


def report_memory(rows: list[MemoryRow]) -> None:
    print("\n(2) Peak memory: one day per fresh subprocess (peak = the child's VmHWM, imports "
          "included; before/after = VmRSS around Model() and the run)")
    base = rows[0].peak_rss_mb
    print(table(["branches", "customers/hall", "customers", "run s", "peak RSS MB",
                 "peak over 1 branch", "RSS before run", "RSS after run", "growth in run",
                 "growth per branch", "ru_maxrss MB"],
                [[str(r.branches), f"{r.per_branch:,}", f"{r.customers:,}", f"{r.seconds:.1f}",
                  f"{r.peak_rss_mb:.1f}", f"{r.peak_rss_mb - base:+.1f}", f"{r.rss_before_mb:.1f}",
                  f"{r.rss_after_mb:.1f}", f"{r.rss_after_mb - r.rss_before_mb:+.1f}",
                  f"{(r.rss_after_mb - r.rss_before_mb) / r.branches:+.2f}", f"{r.maxrss_mb:.1f}"]
                 for r in rows]))
    full, quarter = rows[-2], rows[-1]
    extra = full.customers - quarter.customers
    print(f"the customers' own cost, at {full.branches} branches: {extra:,} more customers "
          f"(x{full.customers / max(quarter.customers, 1):.1f}) add "
          f"{full.peak_rss_mb - quarter.peak_rss_mb:+.1f} MB to the peak "
          f"({(full.peak_rss_mb - quarter.peak_rss_mb) / max(extra, 1) * 1e5:+.1f} MB per 100k); "
          "ru_maxrss is shown for comparison only: Linux carries it over from this process, "
          "which started the child")


# --------------------------------------------------------------------------- (3) parallel

# bench_sweep's ceiling from a `python -c` process: spawn re-imports the main script in
# every process it starts, and this script's imports (the simulator, the optimiser, ~0.6 s)
# would be billed to the ceiling's process start; bench_sweep imports almost nothing.
CEILING_CHILD = """
import dataclasses, json, sys
sys.path.insert(0, sys.argv[1])
from bench_sweep import measure_ceiling
ceiling = measure_ceiling(int(sys.argv[2]), parallel_first=sys.argv[3] == "1")
print(json.dumps(dataclasses.asdict(ceiling)))
"""


def ceiling_apart(steps: int, parallel_first: bool) -> Ceiling:
    """bench_sweep.measure_ceiling(steps, parallel_first), measured from ``python -c``."""
    out = subprocess.run([sys.executable, "-c", CEILING_CHILD, str(BENCH), str(steps),
                          "1" if parallel_first else "0"], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return Ceiling(Timing(**data["sequential"]), Timing(**data["parallel"]))


def simulate_call(scenario: Scenario, replications: int, workers: int) -> tuple[str, float]:
    """(summary as summary.json holds it, wall seconds) of one ``sim.simulate`` call."""
    gc.collect()
    start = time.perf_counter()
    result = sim.simulate(scenario, replications=replications, workers=workers, plots=False)
    seconds = time.perf_counter() - start
    return json.dumps(json_safe(result.summary()), allow_nan=False), seconds


@dataclass(frozen=True)
class ParallelRepeat:
    order: str
    ceiling: Ceiling
    serial: float  # wall s, workers=1
    parallel: float  # wall s, workers=WORKERS
    identical: bool  # the same summary to the byte

    @property
    def speedup(self) -> float:
        return self.serial / self.parallel

    @property
    def share(self) -> float:
        return self.speedup / self.ceiling.ratio


def bench_parallel(net: Network, sizes: Sizes, unit_steps: int) -> tuple[list[ParallelRepeat], float]:
    """(3): repeats of (ceiling, workers=1, workers=WORKERS), the order reversed on odd
    repeats; also the wall seconds of the short call that starts the pool beforehand."""
    n = sizes.parallel_replications
    start = time.perf_counter()
    sim.simulate(net.scenario, replications=WORKERS, workers=WORKERS, horizon_minutes=60.0,
                 plots=False)
    cold = time.perf_counter() - start
    repeats = []
    for i in range(sizes.parallel_repeats):
        flip = i % 2 == 1
        ceiling = None if flip else ceiling_apart(unit_steps, parallel_first=False)
        texts, seconds = {}, {}
        for workers in ([WORKERS, 1] if flip else [1, WORKERS]):
            texts[workers], seconds[workers] = simulate_call(net.scenario, n, workers)
            progress(f"  {n} replications on {workers} worker(s): {seconds[workers]:.2f} s")
        if ceiling is None:
            ceiling = ceiling_apart(unit_steps, parallel_first=True)
        order = "2 workers, 1 worker, ceiling" if flip else "ceiling, 1 worker, 2 workers"
        repeats.append(ParallelRepeat(order, ceiling, seconds[1], seconds[WORKERS],
                                      texts[1] == texts[WORKERS]))
    return repeats, cold


def parallel_share(repeats: Sequence[ParallelRepeat]) -> tuple[float, float, float]:
    """(speed-up, ceiling, share) of the medians over the repeats."""
    speedup = statistics.median(r.speedup for r in repeats)
    ceiling = statistics.median(r.ceiling.ratio for r in repeats)
    return speedup, ceiling, speedup / ceiling


def report_parallel(net: Network, sizes: Sizes, repeats: list[ParallelRepeat], cold: float,
                    unit_steps: int, loads: tuple[str, str]) -> None:
    n = sizes.parallel_replications
    print(f"\n(3) sim.simulate({net.branches} halls, replications={n}) on 1 and on {WORKERS} "
          f"workers, against the ceiling (bench_sweep's spin({unit_steps:,}) ~ "
          f"{sizes.unit_seconds:g} s a unit: 2 units in 1 process / 1 unit in each of 2)")
    print(table(["repeat", "order", "ceiling", "1 worker s", f"{WORKERS} workers s", "speed-up",
                 "share of ceiling", "same summary", "others' cores (ceiling 1p 2p)"],
                [[str(i + 1), r.order, f"{r.ceiling.ratio:.3f}", f"{r.serial:.2f}",
                  f"{r.parallel:.2f}", f"{r.speedup:.3f}", f"{r.share:.1%}",
                  "yes" if r.identical else "NO",
                  f"{r.ceiling.sequential.others:.2f} {r.ceiling.parallel.others:.2f}"]
                 for i, r in enumerate(repeats)]))
    speedup, ceiling, share = parallel_share(repeats)
    print(f"medians: speed-up {speedup:.3f}, ceiling {ceiling:.3f}, share {share:.1%}; the "
          f"short call that started the pool beforehand: {cold:.2f} s; 1-min load average "
          f"{loads[0]} before, {loads[1]} after")


# --------------------------------------------------------------------------- (4) optimiser

@dataclass(frozen=True)
class PlanBench:
    replications: int  # of each planning simulation
    budget: float
    baseline_s: float  # planning_baseline: simulations and planning data
    build_s: float  # formulation.build alone, once
    wall_s: float  # build_and_solve around
    result: SolveResult  # seconds: build, first solution (with shifts) and solve
    variables: int
    integers: int
    constraints: int
    staffed_slots: int
    diversion: Optional[float]  # the MILP's predicted diversion


def integer_count(m: Formulation) -> int:
    return sum(v.cat == pulp.LpInteger for v in m.problem.variables())


def bench_optimize(net: Network, replications: int, workers: int) -> PlanBench:
    """(4): the planning baseline, then build_and_solve at the shipped budget scaled to the
    network."""
    scenario = net.scenario
    run = day_run(scenario, replications=replications, workers=workers)
    budget = OptimizeSettings().budget * net.branches / len(shipped_rows())
    settings = OptimizeSettings(budget=budget, gap=PLAN_GAP, check_replications=0)
    validate_settings(settings, scenario, run)
    start = time.perf_counter()
    _, data = planning_baseline(scenario, run, settings, progress=False)
    baseline_s = time.perf_counter() - start
    progress(f"  planning baseline: {baseline_s:.1f} s")
    start = time.perf_counter()
    build(data, settings, budget)
    build_s = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    m, result = build_and_solve(data, settings, budget)
    wall_s = time.perf_counter() - start
    progress(f"  build and solve: {result.status} in {wall_s:.1f} s")
    return PlanBench(replications, budget, baseline_s, build_s, wall_s, result,
                     m.problem.numVariables(), integer_count(m), m.problem.numConstraints(),
                     len(data.staffed), pulp.value(m.diversion) if result.has_solution else None)


def plan_met(plan: PlanBench) -> bool:
    gap = plan.result.gap
    return (plan.result.status == "optimal" and gap is not None and gap <= PLAN_GAP + 1e-12
            and plan.result.seconds < PLAN_SECONDS_TARGET)


def report_optimize(net: Network, plan: PlanBench) -> None:
    r = plan.result
    print(f"\n(4) The network plan, {net.branches} halls: max_diversion at budget "
          f"{plan.budget:,.0f} (2500 x {net.branches}/120), HiGHS to gap {PLAN_GAP:g}, "
          f"time limit {OptimizeSettings().time_limit_s:g} s; planning simulations of "
          f"{plan.replications} replications")
    print(table(["planning baseline s", "build s", "build+solve s", "wall s", "status", "gap",
                 "variables", "integer", "constraints", "staffed slots", "diversion"],
                [[f"{plan.baseline_s:.1f}", f"{plan.build_s:.2f}", f"{r.seconds:.2f}",
                  f"{plan.wall_s:.2f}", r.status, "-" if r.gap is None else f"{r.gap:.3%}",
                  f"{plan.variables:,}", f"{plan.integers:,}", f"{plan.constraints:,}",
                  f"{plan.staffed_slots:,}",
                  "-" if plan.diversion is None else f"{plan.diversion:.1%}"]]))
    print("(build s: formulation.build alone, once; build+solve s: optimize.start.build_and_solve"
          "'s own seconds, build and solve; planning baseline s: the simulations at today's\n"
          " staff and at the staff the loads need, and the planning data)")


# --------------------------------------------------------------------------- main

@dataclass
class Targets:
    """The issue's four figures (None: not measured in this run) and whether they count."""

    flags: str  # "" for --branches 200 without --quick: the run the targets are for
    day_s: Optional[float] = None
    peak_mb: Optional[float] = None
    share: Optional[tuple[float, float, float]] = None
    plan: Optional[PlanBench] = None

    def verdict(self, ok: bool) -> str:
        word = "met" if ok else "MISSED"
        return f"not counted ({word.lower()} with {self.flags})" if self.flags else word

    def lines(self) -> list[str]:
        out = []
        if self.day_s is not None:
            out.append(f"one day on one core: {self.day_s:.2f} s (median, set-up included)   "
                       f"target < {DAY_SECONDS_TARGET:g} s at {BRANCHES}: "
                       + self.verdict(self.day_s < DAY_SECONDS_TARGET))
        if self.peak_mb is not None:
            out.append(f"peak memory of one day: {self.peak_mb:.1f} MB   target < "
                       f"{MEMORY_TARGET_MB:g} MB at {BRANCHES}: "
                       + self.verdict(self.peak_mb < MEMORY_TARGET_MB))
        if self.share is not None:
            speedup, ceiling, share = self.share
            out.append(f"parallel replications: speed-up {speedup:.3f}, ceiling {ceiling:.3f}, "
                       f"share {share:.1%}   target >= {SHARE_TARGET:.0%}: "
                       + self.verdict(share >= SHARE_TARGET))
        if self.plan is not None:
            r = self.plan.result
            gap = "-" if r.gap is None else f"{r.gap:.3%}"
            out.append(f"network plan: {r.status}, gap {gap}, {r.seconds:.2f} s build and solve"
                       f"   target within {PLAN_GAP:.1%} in < {PLAN_SECONDS_TARGET:g} s: "
                       + self.verdict(plan_met(self.plan)))
        return out


def section(name: str, work: Callable[[], None]) -> None:
    """Run one section; a failure is reported (traceback to stderr) and the others go on."""
    try:
        work()
    except Exception as error:  # a benchmark reports what went wrong and still exits 0
        traceback.print_exc()
        print(f"\n{name} FAILED: {type(error).__name__}: {error}", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, default=BRANCHES,
                        help=f"halls in the network (default {BRANCHES})")
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats and replications, smaller memory sizes: a smoke run")
    parser.add_argument("--skip-memory", action="store_true", help="no (2)")
    parser.add_argument("--skip-parallel", action="store_true", help="no (3)")
    parser.add_argument("--skip-optimize", action="store_true", help="no (4)")
    parser.add_argument("--plan-replications", type=int, default=4,
                        help="replications of each planning simulation of (4) (default 4)")
    parser.add_argument("--plan-workers", type=int, default=1,
                        help="processes the planning simulations of (4) run on (default 1)")
    parser.add_argument("--memory-child", type=int, nargs=2, metavar=("BRANCHES", "PER_BRANCH"),
                        help=argparse.SUPPRESS)  # internal: one memory run in a subprocess
    args = parser.parse_args(argv)
    if args.memory_child is not None:
        memory_child(*args.memory_child)
        return
    if args.branches < 1:
        parser.error("--branches must be at least 1")
    sizes = QUICK if args.quick else FULL

    print(f"$ {command_line()}")
    print(f"python {platform.python_version()}, simpy {simpy.__version__}, pulp {pulp.__version__}, "
          f"highspy {version('highspy')}, joblib {version('joblib')}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}, load average {load()}")
    print(f"sizes: {'--quick' if args.quick else 'default'} {sizes}", flush=True)
    flags = [f"--branches {args.branches}"] if args.branches != BRANCHES else []
    targets = Targets(" ".join(flags + (["--quick"] if args.quick else [])))

    with tempfile.TemporaryDirectory(prefix="bench_network_") as tmp:
        net = network(args.branches, Path(tmp))
    by_region = ", ".join(f"{k} {v}" for k, v in sorted(regions(net).items()))
    print(f"network: {net.branches} halls ({by_region}), "
          f"daily_volume {net.daily_volume:,.0f} (shipped rows x {net.volume_factor:.2f}, tellers, "
          f"kiosks and guides too), hotline agents {net.hotline} (shipped x "
          f"{net.hotline_factor:.2f}); {len(net.scenario.channels):,} channels, "
          f"{len(net.scenario.segments):,} segments after expansion\n", flush=True)

    def day() -> None:
        targets.day_s = report_day(net, bench_day(net, sizes.day_repeats))

    def memory() -> None:
        rows = bench_memory(args.branches, sizes)
        report_memory(rows)
        targets.peak_mb = max(r.peak_rss_mb for r in rows)

    def parallel() -> None:
        unit_steps = calibrate(sizes.unit_seconds)
        before = load()
        repeats, cold = bench_parallel(net, sizes, unit_steps)
        report_parallel(net, sizes, repeats, cold, unit_steps, (before, load()))
        targets.share = parallel_share(repeats)

    def plan() -> None:
        targets.plan = bench_optimize(net, args.plan_replications, args.plan_workers)
        report_optimize(net, targets.plan)

    section("(1)", day)
    for name, skipped, work in (("(2)", args.skip_memory, memory),
                                ("(3)", args.skip_parallel, parallel),
                                ("(4)", args.skip_optimize, plan)):
        if skipped:
            print(f"\n{name} skipped")
        else:
            section(name, work)
    print(f"\nTargets (the issue: {BRANCHES} branches, about {BRANCHES * CUSTOMERS_PER_BRANCH:,} "
          f"customers a day)")
    print("\n".join(targets.lines()))


if __name__ == "__main__":
    main()
