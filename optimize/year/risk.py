"""The year plan's odds over what is not known, and plans that meet the targets with a
required probability.

**Sampled worlds.** ``scenario.adoption.uncertainty`` gives ranges for the learning rate,
the decay and a factor on every campaign's contact uplift; a world draws each uniformly
(its own stream per world, from the run's seed) and is simulated as one population of its
own.  With no ranges, the worlds differ by their populations alone.

**The odds** of a plan: the share of sampled worlds whose month-mode simulation of it
meets every requirement, with Wilson's interval (``odds``).  The plan's reported odds use
worlds drawn from a seed the plan never saw (``uncertainty_check_seed``).

**A plan at confidence q** (``optimize.risk.confidence``): the plan found for the targets
is simulated in ``optimize.risk.samples`` worlds; for each requirement, its margin is how
far the worlds' (1 - q)-quantile of that KPI lies below the nominal simulation's mean.
The targets are raised by their margins and the search runs again (a quantile shift: the
sample-average approximation of a chance constraint, with the spread taken at the plan
first found and held while the plan moves).  ``optimize.risk.confidences`` gives the
frontier: the least spend the model plans for each confidence, from the same sampled
spread (``frontier_row``), so a higher confidence never plans less.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from typing import Any, Optional

import numpy as np

from optimize.year.estimate import with_calendar
from optimize.year.model import Calendar, Requirement, YearData, YearProblem, spend
from optimize.year.result import Iteration
from sim.estimators.confidence import PointEstimate, wilson_estimate
from sim.months.model import run_months
from sim.parallel import map_in_order, usable_workers
from sim.rng import generator
from sim.scenario import Executor, RunSettings, Scenario

UNCERTAINTY_CHECK_OFFSET = 7_919  # a prime: the worlds of the reported odds, not the plan's


def uncertainty_check_seed(seed: int) -> int:
    """The seed of the worlds a plan's reported odds are measured on."""
    return seed + UNCERTAINTY_CHECK_OFFSET


def world(scenario: Scenario, seed: int, k: int) -> Scenario:
    """Sampled world ``k``: the scenario with each uncertain input drawn in its range."""
    u = scenario.adoption.uncertainty
    rng = generator(seed, k, "uncertainty")
    drawn = copy.deepcopy(scenario)
    learning = drawn.adoption.learning
    if u.learning_rate:
        learning.rate = float(rng.uniform(u.learning_rate[0], u.learning_rate[1]))
    if u.decay_per_month:
        learning.decay_per_month = float(rng.uniform(u.decay_per_month[0], u.decay_per_month[1]))
    if u.contact_uplift:
        factor = float(rng.uniform(u.contact_uplift[0], u.contact_uplift[1]))
        for campaign in drawn.campaigns.values():
            campaign.contact_uplift *= factor
    return drawn


def outcomes(scenario: Scenario, run: RunSettings, calendar: Calendar, problem: YearProblem,
             samples: int, seed: int) -> list[dict[str, float]]:
    """Per sampled world, each requirement's KPI under ``calendar`` (one population each;
    the worlds on ``run.workers`` processes, the same to the byte for any number)."""
    calls = [(scenario, run, calendar, problem, seed, k) for k in range(samples)]
    workers = min(usable_workers(run.workers), samples)
    if workers > 1 and run.executor is Executor.local:
        return list(map_in_order(world_outcome, calls, workers))
    return [world_outcome(*call) for call in calls]


def world_outcome(scenario: Scenario, run: RunSettings, calendar: Calendar,
                  problem: YearProblem, seed: int, k: int) -> dict[str, float]:
    """Each requirement's KPI under ``calendar`` in sampled world ``k`` (one population)."""
    one = dataclasses.replace(run, replications=1, workers=1,
                              seed=int(generator(seed, k, "world").integers(2**31)))
    result = run_months(with_calendar(world(scenario, seed, k), calendar), one, progress=False)
    return {r.label(): result.kpi(r.month - 1, r.kpi).mean for r in problem.requirements}


def odds(found: list[dict[str, float]], problem: YearProblem) -> PointEstimate:
    """The share of worlds meeting every requirement, with Wilson's interval."""
    hits = sum(all(x[r.label()] >= r.value for r in problem.requirements) for x in found)
    return wilson_estimate(hits, len(found))


def margins(found: list[dict[str, float]], nominal: dict[str, float], confidence: float
            ) -> dict[str, float]:
    """Per requirement, how far the worlds' (1 - confidence)-quantile lies below the
    nominal value (never negative): what a target must be raised by for the plan to meet
    it in ``confidence`` of the worlds."""
    return {label: max(0.0, value - float(np.quantile([x[label] for x in found],
                                                      1.0 - confidence)))
            for label, value in nominal.items()}


def raised_problem(problem: YearProblem, margin: dict[str, float]) -> YearProblem:
    """``problem`` with each requirement raised by its margin (at most to 1)."""
    raised = [Requirement(r.kpi, r.month, min(1.0, r.value + margin.get(r.label(), 0.0)))
              for r in problem.requirements]
    return dataclasses.replace(problem, requirements=raised)


def frontier_row(confidence: float, raised: YearProblem, plan: Optional[Iteration],
                 data: YearData) -> dict[str, Any]:
    """risk_frontier.csv's row: the confidence, the raised targets, whether a plan reaches
    them, and the plan found for them: its spend and its simulated target KPIs (NaN when
    none does; ``plan_year`` adds its odds on fresh worlds: p_target_met and its
    interval)."""
    row: dict[str, Any] = {"confidence": confidence, "reachable": plan is not None}
    for r in raised.requirements:
        row[f"target.{r.label()}"] = r.value
        row[f"simulated.{r.label()}"] = (plan.simulated.kpi(r.month - 1, r.kpi).mean
                                         if plan is not None else math.nan)
    row["spend"] = sum(spend(data, plan.calendar)) if plan is not None else math.nan
    return row
