"""Replications of one scenario and their confidence intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

import numpy as np
from scipy.special import stdtrit  # Student t quantiles; scipy.stats costs ~0.7 s to import

from sim.engine.model import Model
from sim.kpis import UNBOUNDED, ReplicationResult, kpi_range, replication_result, served_key
from sim.parallel import map_in_order, map_on_ray, usable_workers
from sim.progress import Progress
from sim.scenario import Executor, RunSettings, Scenario

CONFIDENCE = 0.95
ESTIMATE_KEYS = ("mean", "ci_low", "ci_high")  # how every file renders an Estimate


@dataclass(frozen=True)
class Estimate:
    """Mean over replications and a Student-t confidence interval (NaN when undefined),
    clipped to the KPI's range (``sim.kpis.kpi_range``): a count's interval does not run
    below zero, nor a share's above one."""

    mean: float
    ci_low: float
    ci_high: float
    n: int
    t_half_width: float = math.nan  # the Student-t half-width, before clipping

    @property
    def half_width(self) -> float:
        """The Student-t half-width (the ± of the tables), whatever the clipping did."""
        if not math.isnan(self.t_half_width):
            return self.t_half_width
        return (self.ci_high - self.ci_low) / 2

    def as_dict(self) -> dict[str, float]:
        """``{"mean", "ci_low", "ci_high"}``: an estimate in summary.json, plan.json and the
        tidy tables (where the keys become columns)."""
        return {"mean": self.mean, "ci_low": self.ci_low, "ci_high": self.ci_high}


def estimate(values: Iterable[float], confidence: float = CONFIDENCE,
             bounds: tuple[float, float] = UNBOUNDED) -> Estimate:
    """Replications where the KPI is undefined (NaN) are left out; the interval is
    clipped to ``bounds``, the range the KPI's values can take.

    Why clipping, not an interval that respects bounds by construction (Wilson's, for a
    share): the interval is over replications' values (each a mean or a ratio of one
    replication), not over counts of independent trials, so Wilson's does not apply;
    the t interval is right in the middle of the range and too wide near its edges, and
    clipping removes only values the KPI cannot take, so coverage is unchanged.
    """
    x = np.array([v for v in values if not math.isnan(v)], dtype=float)
    if x.size == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = float(x.mean())
    if x.size < 2:
        return Estimate(mean, math.nan, math.nan, 1)
    half = float(stdtrit(x.size - 1, 0.5 + confidence / 2) * x.std(ddof=1) / math.sqrt(x.size))
    low, high = bounds
    return Estimate(mean, max(mean - half, low), min(mean + half, high), int(x.size), half)


@dataclass
class ExperimentResult:
    """Replications of one scenario under one RunSettings: the KPIs of each replication,
    from which every estimate is computed on demand.

    ``run_experiment`` makes it; ``sim.results`` turns it into summary.json and the tidy
    tables; ``sim.SimulationResult`` wraps it for users; the optimiser reads its baseline
    through ``served_on``, ``hourly_kpi`` and ``hourly_mean``. Each accessor returns an
    Estimate: the mean with a Student-t 95% interval clipped to the KPI's range, leaving
    out replications where the KPI is undefined (NaN); NaN when all are, and no interval
    from a single replication.

        >>> result = run_experiment(scenario, RunSettings(replications=10), progress=False)
        >>> result.kpi("diversion_rate").mean, result.channel_kpi("teller", "wait_mean")
    """

    scenario: Scenario
    run: RunSettings
    replications: list[ReplicationResult]

    def kpi(self, name: str) -> Estimate:
        """An overall KPI (``diversion_rate``, ``cost_total``, ...) over replications."""
        return estimate((r.kpis[name] for r in self.replications), bounds=kpi_range(name))

    def channel_kpi(self, channel: str, name: str) -> Estimate:
        """A channel's KPI (``wait_mean`` in minutes, ``service_level``, ``utilisation``,
        ...) over replications."""
        return estimate((r.channels[channel][name] for r in self.replications),
                        bounds=kpi_range(name))

    def segment_kpi(self, segment: str, name: str) -> Estimate:
        """A segment's KPI (``completed``, ``lost``, ``diversion_rate``,
        ``staffed_first_self_service``, ``served.<channel>``) over replications."""
        return estimate((r.segments[segment][name] for r in self.replications),
                        bounds=kpi_range(name))

    def served_on(self, segment: str, channel: str) -> Estimate:
        """A segment's journeys completed on a channel, per day."""
        return self.segment_kpi(segment, served_key(channel))

    def hourly_kpi(self, channel: str, name: str, hour: int) -> Estimate:
        """One of ``sim.kpis.HOURLY_KPIS`` of a channel in hour ``hour`` of the run (0: the
        first), over replications."""
        return estimate((r.hourly[channel][name][hour] for r in self.replications),
                        bounds=kpi_range(name))

    def hourly_mean(self, channel: str, hour: int, *names: str) -> float:
        """The plain mean over replications of hourly counts of a channel, summed over
        ``names`` (``"joined", "balked"``: who wanted a server): what the optimiser reads as
        a slot's load, where an interval is not needed."""
        return sum(sum(r.hourly[channel][n][hour] for n in names)
                   for r in self.replications) / len(self.replications)


def simulate_replication(m: Model) -> ReplicationResult:
    """Run one built replication to its horizon and read its KPIs."""
    m.run()
    return replication_result(m)


def run_replication(scenario: Scenario, run: RunSettings, replication: int) -> ReplicationResult:
    """Build and run replication ``replication``: the unit of work a worker process gets.

    Its random streams come from ``Streams(run.seed, replication)`` alone, so it gives the
    same result in any process and whatever ran before it there.
    """
    return simulate_replication(Model(scenario, run, replication))


def run_experiment(scenario: Scenario, run: RunSettings, progress: Optional[bool] = None,
                   on_replication: Optional[Callable[[int, int], None]] = None
                   ) -> ExperimentResult:
    """Run ``run.replications`` independent replications (seeded by replication index) on
    ``run.workers`` processes, and collect them in replication order.

    With more than one worker the replications go to a pool of worker processes
    (``sim.parallel``: started once, then reused by later calls).  Each replication
    draws only from its own streams, so the results are the same, to the byte, for any
    number of workers.  ``progress=None`` shows a bar on a terminal, a line every few
    seconds elsewhere; it counts replications as they arrive in order.
    ``on_replication(done, total)`` is called as each arrives (a web app's progress bar);
    an exception it raises (a cancel) stops the run there and propagates.
    """
    bar = Progress(run.replications, "replications", "rep", progress)
    calls = ((scenario, run, r) for r in range(run.replications))
    if run.executor is Executor.ray:
        done = map_on_ray(run_replication, calls, run.workers, run.ray_address)
    else:
        workers = min(usable_workers(run.workers), run.replications)
        done = (map_in_order(run_replication, calls, workers) if workers > 1
                else (run_replication(*call) for call in calls))
    results: list[ReplicationResult] = []
    try:
        for result in done:
            results.append(result)
            bar.update()
            if on_replication is not None:
                on_replication(len(results), run.replications)
    finally:
        bar.close()
    return ExperimentResult(scenario, run, results)
