"""M/M/c+M: the simulated hotline agrees with Erlang A (``conf/scenario/mmcm.yaml``).

Callers with exponential patience who leave when it runs out; ``abandon_rate``,
``wait_mean`` (of all who joined, served or abandoned), ``p_wait`` and the time-average
``mean_queue_length`` are compared with ``sim.theory.erlang_a`` (itself checked against
the incomplete-gamma closed form in ``tests/test_theory.py``).  The cases are critically
loaded (rho = 1), below it with a service rate other than 1 (rho = 0.9) and overloaded
(rho = 1.2), which only abandonment keeps stable.

Acceptance as in ``test_erlang_c.py``: ``|sim - theory| <= max(half-width, 0.03 *
theory)``, the half-width Bonferroni-widened over the ``FAMILY`` = 3 x 5 = 15 checks of
this module (Student-t quantile at 1 - 0.05 / 30 from the replication values, about 3.3
for 20 replications) so that a correct simulator fails any of them with probability
below 5%.  Each check also asserts that the plain 95% half-width is below 12% of the
theory value (the runs are sized for 2-6%), so the tolerance is not vacuous.

Run length.  With abandonment the queue relaxes on the scale of a patience or a service
time, T = max(1 / theta, 1 / mu), at most 4 minutes here.  Each replication discards a
warm-up of 20 T and measures at least 100 T and the customers needed for the precision
(relative standard error of the mean wait about 5-9 / sqrt(customers measured over all
replications)).  The seed is the one of ``conf/run/steady_state.yaml``, fixed, never
searched.  The cases reuse the same random numbers (streams are keyed by seed,
replication and name), so their deviations are correlated and often share a sign; with
another seed and 40 replications of 20,000 callers the rho = 1 and rho = 1.2 cases
agreed to within 0.5% on every KPI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from sim import theory
from sim.experiment import run_experiment
from tests.conftest import compose_scenario
from tests.validation.agreement import compare

REPLICATIONS = 20
KPIS = ("abandon_rate", "wait_mean", "p_wait", "mean_queue_length", "service_level")


@dataclass(frozen=True)
class Case:
    servers: int
    arrival_rate: float
    service_rate: float
    patience_rate: float
    customers: int  # measured customers per replication needed for the precision

    @property
    def rho(self) -> float:
        return self.arrival_rate / (self.servers * self.service_rate)

    @property
    def relaxation_minutes(self) -> float:
        return max(1.0 / self.patience_rate, 1.0 / self.service_rate)

    @property
    def warmup_minutes(self) -> float:
        return math.ceil(20 * self.relaxation_minutes)

    @property
    def horizon_minutes(self) -> float:
        measured = max(100 * self.relaxation_minutes, self.customers / self.arrival_rate)
        return self.warmup_minutes + math.ceil(measured)

    def __str__(self) -> str:
        return f"c={self.servers}-rho={self.rho:.2g}-theta={self.patience_rate}"


CASES = [
    Case(5, 5.0, 1.0, 0.5, 3_000),  # the shipped mmcm scenario, critically loaded
    Case(10, 4.5, 0.5, 0.25, 4_000),
    Case(5, 6.0, 1.0, 0.5, 3_000),  # overloaded: stable only through abandonment
]
FAMILY = len(CASES) * len(KPIS)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_simulated_hotline_with_impatient_callers_agrees_with_erlang_a(case: Case) -> None:
    scenario, run = compose_scenario([
        "scenario=mmcm", f"scenario.servers={case.servers}",
        f"scenario.arrival_rate={case.arrival_rate}",
        f"scenario.service_rate={case.service_rate}",
        f"scenario.patience_rate={case.patience_rate}",
        "run=steady_state", f"run.replications={REPLICATIONS}",
        f"run.warmup_minutes={case.warmup_minutes}", f"run.horizon_minutes={case.horizon_minutes}",
    ])
    result = run_experiment(scenario, run, progress=False)
    ea = theory.erlang_a(case.servers, case.arrival_rate, case.service_rate, case.patience_rate)
    target = scenario.channels["hotline"].target_wait_minutes
    expected = {"abandon_rate": ea.p_abandon, "wait_mean": ea.mean_wait, "p_wait": ea.p_wait,
                "mean_queue_length": ea.mean_queue,
                "service_level": theory.erlang_a_service_level(
                    case.servers, case.arrival_rate, case.service_rate, case.patience_rate, target)}
    checks = [compare(kpi, [r.channels["hotline"][kpi] for r in result.replications],
                      expected[kpi], FAMILY) for kpi in KPIS]
    report = "\n".join(map(str, checks))
    print(f"\n{case} (warm-up {case.warmup_minutes} min, horizon {case.horizon_minutes} min, "
          f"{REPLICATIONS} replications)\n{report}")
    assert all(ch.agrees for ch in checks), f"simulation disagrees with Erlang A:\n{report}"
    assert all(ch.informative for ch in checks), f"tolerance too loose to mean much:\n{report}"
