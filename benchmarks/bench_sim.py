"""Throughput and memory of the simulator, against a bare SimPy M/M/c loop.

Measures, and prints as a plain-text table:

(a) bare SimPy: the fastest honest M/M/c loop - one ``simpy.Resource``, a Poisson source
    process, one process per customer that requests a server, times out for an
    exponential service and releases it; draws from Python's ``random``; no statistics.
(b) this model on the shipped ``mmc`` scenario with the same c, lambda and mu (read from
    the scenario ``sim.load_scenario`` gives): ``Model(scenario, run, r)`` then
    ``simulate_replication``, set-up included; customers are the ``journeys`` KPI (warm-up
    0, so every arrival counts).
(c) ``bank_branch`` (switching on, lobby guide, breakdowns, outage) as shipped: one
    10-hour day per replication, set-up included, customers = ``journeys``.
(d) the Python API's ``sim.simulate`` on ``bank_branch``: wall time of its replications on
    one process and on ``WORKERS`` (``workers=``), interleaved, and whether the two give
    the same summary to the byte (they must).

(a) and (b) run interleaved in one process (alternating which goes first), several
repeats; the table gives the median customers per wall-second and the spread.

How to read the ratio b/a: the model's throughput as a fraction of the bare loop's on the
same queue.  1.0 would mean the channel logic, streamed statistics and numbered random
streams cost nothing; 0.5 (the target) means a customer costs at most twice what plain
SimPy needs for the request/timeout/release alone.  Below 0.5, profile the model.

Memory: the mmc model is run for horizons giving about 100k, 300k and 1M customers (and
a ~1k-customer baseline that shows the cost of the imports), each in a fresh subprocess
that reports its peak RSS (``VmHWM``: ``ru_maxrss`` carries over exec on Linux).  Statistics
are streamed, so the peak should not grow with the number of customers; target: 1M
customers under 300 MB.

    python benchmarks/bench_sim.py            # a few minutes
    python benchmarks/bench_sim.py --quick    # smoke run, seconds
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout even without `pip install -e .`
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/tables.py

from memory import current_rss_mb, peak_rss_mb  # noqa: E402
from tables import table  # noqa: E402

import sim  # noqa: E402
from sim.engine.model import Model  # noqa: E402
from sim.experiment import simulate_replication  # noqa: E402
from sim.io import json_safe  # noqa: E402
from sim.scenario import MMCScenario, RunSettings, Scenario  # noqa: E402
from sim.validate import validate_run, validate_size  # noqa: E402

RATIO_TARGET = 0.5
MEMORY_TARGET_MB = 300.0
MEMORY_CUSTOMERS = (100_000, 300_000, 1_000_000)
MEMORY_CUSTOMERS_QUICK = (10_000, 30_000, 100_000)
BASELINE_CUSTOMERS = 1_000
WORKERS = 2


@dataclass(frozen=True)
class Sizes:
    mmc_customers: int  # per timed run of (a) and of (b)
    repeats: int  # interleaved pairs (a, b)
    bank_replications: int  # days per timed run of (c)
    bank_repeats: int
    memory_customers: tuple[int, ...]
    workers_replications: tuple[int, ...]  # replications per sim.simulate call of (d)
    workers_repeats: int  # interleaved pairs (workers=1, workers=WORKERS) per size


FULL = Sizes(mmc_customers=100_000, repeats=9, bank_replications=40, bank_repeats=5,
             memory_customers=MEMORY_CUSTOMERS, workers_replications=(20, 100),
             workers_repeats=5)
QUICK = Sizes(mmc_customers=10_000, repeats=3, bank_replications=5, bank_repeats=2,
              memory_customers=MEMORY_CUSTOMERS_QUICK, workers_replications=(20,),
              workers_repeats=2)


# --------------------------------------------------------------------------- set-up

def shipped(name: str, **run: float) -> tuple[Scenario, RunSettings]:
    """A shipped scenario from the Python API and validated RunSettings (``run`` changes
    the defaults of ``python -m sim``; plots off)."""
    scenario = sim.load_scenario(name)
    settings = RunSettings(plots=False, **run)  # type: ignore[arg-type]
    validate_run(settings)
    validate_size(scenario, settings)
    return scenario, settings


def mmc_parameters(scenario: Scenario) -> tuple[int, float, float]:
    """(c, lambda, mu) of the mmc scenario."""
    assert isinstance(scenario, MMCScenario)
    return scenario.servers, scenario.arrival_rate, scenario.service_rate


def mmc_horizon(scenario: Scenario, customers: int) -> float:
    """Minutes of simulated time with ``customers`` expected arrivals."""
    _, lam, _ = mmc_parameters(scenario)
    return customers / lam


def mmc_run(horizon: float) -> tuple[Scenario, RunSettings]:
    return shipped("mmc", horizon_minutes=horizon, warmup_minutes=0.0, replications=1)


# --------------------------------------------------------------------------- workloads

def bare_mmc(c: int, lam: float, mu: float, horizon: float, seed: int) -> int:
    """Plain SimPy M/M/c up to ``horizon``; returns the number of customers that arrived."""
    rng = random.Random(seed)
    expovariate = rng.expovariate
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    arrived = 0

    def customer() -> Generator[simpy.Event, None, None]:
        request = servers.request()
        yield request
        yield env.timeout(expovariate(mu))
        servers.release(request)

    def source() -> Generator[simpy.Event, None, None]:
        nonlocal arrived
        while True:
            yield env.timeout(expovariate(lam))
            arrived += 1
            env.process(customer())

    env.process(source())
    env.run(until=horizon)
    return arrived


def model_run(scenario: Scenario, run: RunSettings, replication: int) -> int:
    """One replication of the model, set-up included; returns the ``journeys`` KPI."""
    return int(simulate_replication(Model(scenario, run, replication)).kpis["journeys"])


def timed(work: Callable[[], int]) -> tuple[int, float, float]:
    """(customers, wall seconds, CPU seconds of this process) of one call, after a
    collection so that no earlier garbage is billed to it."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    customers = work()
    return customers, time.perf_counter() - wall, time.process_time() - cpu


# --------------------------------------------------------------------------- measurements

@dataclass
class Throughput:
    label: str
    customers: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)  # wall clock
    cpu_seconds: list[float] = field(default_factory=list)

    def add(self, customers: int, seconds: float, cpu_seconds: float) -> None:
        self.customers.append(customers)
        self.seconds.append(seconds)
        self.cpu_seconds.append(cpu_seconds)

    @property
    def rates(self) -> list[float]:
        """Customers per wall-second, one per run."""
        return [n / s for n, s in zip(self.customers, self.seconds)]

    @property
    def median_rate(self) -> float:
        return statistics.median(self.rates)

    @property
    def median_cpu_rate(self) -> float:
        """Customers per CPU-second of this process: less sensitive to other load."""
        return statistics.median(n / s for n, s in zip(self.customers, self.cpu_seconds))


def bench_mmc(sizes: Sizes) -> tuple[Throughput, Throughput, list[float], tuple[int, float, float]]:
    """(a) and (b), interleaved; also the per-pair ratios b/a and (c, lambda, mu)."""
    scenario, _ = mmc_run(1.0)
    c, lam, mu = mmc_parameters(scenario)
    horizon = mmc_horizon(scenario, sizes.mmc_customers)
    scenario, run = mmc_run(horizon)
    # warm both paths (imports, first allocations) on a short run
    bare_mmc(c, lam, mu, horizon / 20, seed=-1)
    model_run(*mmc_run(horizon / 20), replication=999)

    bare = Throughput("(a) bare SimPy M/M/c")
    model = Throughput("(b) model, scenario=mmc")
    ratios = []
    for i in range(sizes.repeats):
        jobs: list[tuple[Throughput, Callable[[], int]]] = [
            (bare, partial(bare_mmc, c, lam, mu, horizon, i)),
            (model, partial(model_run, scenario, run, i)),
        ]
        if i % 2:
            jobs.reverse()  # alternate the order: drift on a shared machine bills both alike
        for target, work in jobs:
            target.add(*timed(work))
        ratios.append(model.rates[-1] / bare.rates[-1])
        print(f"  repeat {i + 1}/{sizes.repeats}: a {bare.rates[-1]:9,.0f}/s  "
              f"b {model.rates[-1]:9,.0f}/s  b/a {ratios[-1]:.3f}", file=sys.stderr, flush=True)
    return bare, model, ratios, (c, lam, mu)


def bench_bank(sizes: Sizes) -> tuple[Throughput, float]:
    """(c): repeats of ``bank_replications`` days; also the median set-up ms per day."""
    scenario, run = shipped("bank_branch")
    assert scenario.switching.enabled, "bank_branch is meant to run with switching on"
    model_run(scenario, run, 999)  # warm-up
    bank = Throughput(f"(c) model, scenario=bank_branch ({run.horizon_minutes:g}-min days)")
    setup_ms: list[float] = []
    for i in range(sizes.bank_repeats):
        def days(i: int = i) -> int:
            total = 0
            for r in range(sizes.bank_replications):
                t0 = time.perf_counter()
                model = Model(scenario, run, i * sizes.bank_replications + r)
                setup_ms.append((time.perf_counter() - t0) * 1000)
                total += int(simulate_replication(model).kpis["journeys"])
            return total

        bank.add(*timed(days))
        print(f"  bank repeat {i + 1}/{sizes.bank_repeats}: {bank.rates[-1]:9,.0f}/s",
              file=sys.stderr, flush=True)
    return bank, statistics.median(setup_ms)


@dataclass
class WorkersRow:
    replications: int
    serial: list[float] = field(default_factory=list)  # wall s of sim.simulate, workers=1
    parallel: list[float] = field(default_factory=list)  # the same with workers=WORKERS
    identical: bool = True  # every pair gave the same summary, byte for byte


def bench_workers(sizes: Sizes) -> tuple[list[WorkersRow], float]:
    """(d): ``sim.simulate`` on bank_branch with workers=1 and workers=WORKERS, alternating
    which goes first; also the wall seconds of the first parallel call, which starts the
    pool of worker processes (later calls reuse it)."""
    scenario = sim.load_scenario("bank_branch")

    def call(replications: int, workers: int) -> tuple[str, float]:
        gc.collect()
        start = time.perf_counter()
        result = sim.simulate(scenario, replications=replications, plots=False,
                              workers=workers)
        seconds = time.perf_counter() - start
        return json.dumps(json_safe(result.summary()), allow_nan=False), seconds

    _, cold = call(WORKERS, WORKERS)  # one replication per worker: the pool's start-up
    rows = []
    for replications in sizes.workers_replications:
        row = WorkersRow(replications)
        for i in range(sizes.workers_repeats):
            order = [1, WORKERS] if i % 2 == 0 else [WORKERS, 1]
            texts = {}
            for workers in order:
                texts[workers], seconds = call(replications, workers)
                (row.serial if workers == 1 else row.parallel).append(seconds)
            row.identical &= texts[1] == texts[WORKERS]
            print(f"  workers {replications} replications, repeat {i + 1}/"
                  f"{sizes.workers_repeats}: 1 worker {row.serial[-1]:.2f} s, {WORKERS} "
                  f"workers {row.parallel[-1]:.2f} s", file=sys.stderr, flush=True)
        rows.append(row)
    return rows, cold


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f} - {max(values):.2f})"


@dataclass
class MemoryRow:
    target: int
    customers: int
    seconds: float
    peak_rss_mb: float  # whole process, imports included
    rss_before_mb: float  # after imports and set-up, before the run
    rss_after_mb: float


def memory_child(horizon: float) -> None:
    """In a fresh process: run the mmc model to ``horizon`` and print one JSON line."""
    scenario, run = mmc_run(horizon)
    before = current_rss_mb()
    customers, seconds, _ = timed(partial(model_run, scenario, run, 0))
    after = current_rss_mb()
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so this child would report
    # at least the size of the benchmark process that started it
    print(json.dumps({"customers": customers, "seconds": seconds, "peak_rss_mb": peak_rss_mb(),
                      "rss_before_mb": before, "rss_after_mb": after}))


def bench_memory(sizes: Sizes) -> list[MemoryRow]:
    scenario, _ = mmc_run(1.0)
    rows = []
    for target in (BASELINE_CUSTOMERS, *sizes.memory_customers):
        horizon = mmc_horizon(scenario, target)
        out = subprocess.run([sys.executable, __file__, "--memory-child", repr(horizon)],
                             check=True, capture_output=True, text=True).stdout
        data = json.loads(out.strip().splitlines()[-1])
        rows.append(MemoryRow(target, **data))
        print(f"  memory {target:>9,}: {rows[-1].peak_rss_mb:.1f} MB", file=sys.stderr, flush=True)
    return rows


# --------------------------------------------------------------------------- report

def throughput_row(t: Throughput) -> list[str]:
    rates = t.rates
    return [t.label, f"{statistics.median(t.customers):,.0f}", str(len(rates)),
            f"{statistics.median(t.seconds):.2f}", f"{t.median_rate:,.0f}",
            f"{min(rates):,.0f} - {max(rates):,.0f}", f"{t.median_cpu_rate:,.0f}"]


def run_day_minutes() -> float:
    return RunSettings().horizon_minutes


def command_line() -> str:
    argv = getattr(sys, "orig_argv", None) or [sys.executable, *sys.argv]
    return shlex.join(argv)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, for a smoke run (seconds, not minutes)")
    parser.add_argument("--skip-memory", action="store_true", help="throughput only")
    parser.add_argument("--memory-child", type=float, metavar="HORIZON",
                        help=argparse.SUPPRESS)  # internal: one memory run in a subprocess
    args = parser.parse_args(argv)
    if args.memory_child is not None:
        memory_child(args.memory_child)
        return

    sizes = QUICK if args.quick else FULL
    print(f"$ {command_line()}")
    print(f"python {platform.python_version()}, simpy {simpy.__version__}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"sizes: {'--quick' if args.quick else 'default'} {sizes}\n", flush=True)

    bare, model, ratios, (c, lam, mu) = bench_mmc(sizes)
    bank, setup_ms = bench_bank(sizes)
    header = ["workload", "customers/run", "runs", "s/run (median)", "customers/s (median)",
              "customers/s (min - max)", "customers/CPU-s"]
    print(f"Throughput (wall clock; M/M/c with c={c}, lambda={lam:g}/min, mu={mu:g}/min, "
          f"rho={lam / (c * mu):.2f})")
    print(table(header, [throughput_row(t) for t in (bare, model, bank)]))
    ratio = model.median_rate / bare.median_rate
    verdict = "met" if ratio >= RATIO_TARGET else "MISSED"
    print(f"\nratio b/a (median b / median a): {ratio:.3f}   target >= {RATIO_TARGET}: {verdict}")
    print(f"same on CPU time of the process (less sensitive to other load): "
          f"{model.median_cpu_rate / bare.median_cpu_rate:.3f}")
    print(f"per-pair ratios b/a (wall): median {statistics.median(ratios):.3f}, "
          f"range {min(ratios):.3f} - {max(ratios):.3f}")
    print(f"bank_branch: median Model() set-up {setup_ms:.1f} ms per day, "
          f"{statistics.median(bank.customers) / sizes.bank_replications:,.0f} customers per day")

    load_before = os.getloadavg()[0]
    rows, cold = bench_workers(sizes)
    print(f"\n(d) sim.simulate(bank_branch, {run_day_minutes():g}-min days): replications on 1 "
          f"and on {WORKERS} processes (wall s, median (min - max) of {sizes.workers_repeats}); "
          f"1-min load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
          f"(this script accounts for about 1 before and {WORKERS} during; the rest is "
          f"other processes, which take the cores a speed-up needs)")
    print(table(["replications", "workers=1 s", f"workers={WORKERS} s", "speed-up (medians)",
                 "same summary"],
                [[str(r.replications), spread(r.serial), spread(r.parallel),
                  f"{statistics.median(r.serial) / statistics.median(r.parallel):.2f}",
                  "yes" if r.identical else "NO"] for r in rows]))
    print(f"first call with workers={WORKERS} ({WORKERS} replications), which starts the pool: "
          f"{cold:.2f} s")

    if args.skip_memory:
        return
    print("\nPeak memory, scenario=mmc, one replication per fresh subprocess (VmHWM)")
    rows = bench_memory(sizes)
    base = rows[0].peak_rss_mb
    print(table(["target customers", "customers", "run s", "peak RSS MB", "peak over baseline",
                 "RSS before run", "RSS after run", "growth in run"],
                [[f"{r.target:,}" + (" (baseline)" if i == 0 else ""), f"{r.customers:,}",
                  f"{r.seconds:.1f}", f"{r.peak_rss_mb:.1f}", f"{r.peak_rss_mb - base:+.1f}",
                  f"{r.rss_before_mb:.1f}", f"{r.rss_after_mb:.1f}",
                  f"{r.rss_after_mb - r.rss_before_mb:+.1f}"]
                 for i, r in enumerate(rows)]))
    print("(MB; peak = VmHWM of the child, imports included; before/after = VmRSS around "
          "the run)")
    largest = rows[-1]
    verdict = "met" if largest.peak_rss_mb < MEMORY_TARGET_MB else "MISSED"
    print(f"\nlargest run: {largest.customers:,} customers, {largest.peak_rss_mb:.1f} MB peak"
          f"   target < {MEMORY_TARGET_MB:g} MB at 1M customers: "
          + (verdict if largest.target >= 1_000_000 else "not measured (--quick)"))


if __name__ == "__main__":
    main()
