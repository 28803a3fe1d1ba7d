"""A plan simulated: predicted vs simulated diversion and service levels, and the refine loop.

Period-by-period Erlang staffing can miss targets when service times are long against
the slot or the load moves fast; the remedy (Feldman, Mandelbaum, Massey and Whitt,
Management Science 2008) is to simulate, add staff where the target is missed, and
solve again.  ``refine`` is that loop on the optimiser's plan.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Callable, Optional

from optimize.data import PlanningData
from optimize.plan import Plan, apply_plan, predicted_service_level, predicted_slot_service_level
from sim.experiment import Estimate, ExperimentResult, run_experiment
from sim.rng import check_seed
from sim.scenario import RunSettings, Scenario


@dataclass(frozen=True)
class Miss:
    """A staffed slot whose simulated service level is below target beyond noise."""

    channel: str
    slot: int
    target: float
    simulated: Estimate

    @property
    def short_by(self) -> float:
        """How far the top of the interval stays below the target."""
        return self.target - self.simulated.ci_high

    def describe(self, open_hour: int) -> str:
        """One line for the terminal, e.g. ``teller 12:00 simulated 71.0% [65.2%, 76.8%] <
        target 80%`` (``open_hour``: the clock hour of slot 0)."""
        s = self.simulated
        return (f"{self.channel} {open_hour + self.slot:02d}:00 simulated {s.mean:.1%} "
                f"[{s.ci_low:.1%}, {s.ci_high:.1%}] < target {self.target:.0%}")


@dataclass
class Check:
    """A plan simulated: what the simulator measured against what the planning model
    predicted.

    ``check_plan`` builds it from fresh replications (seed ``run.seed + 1``) of the
    scenario with the plan applied (``apply_plan``); ``refine`` re-solves while its
    ``misses`` are not empty; ``optimize.report`` puts it in plan.json and the staffing
    table.  ``service_levels`` holds, per staffed channel, ``target`` (a share),
    ``target_wait_minutes``, ``predicted`` (the queueing formulas, arrival-weighted; NaN
    with no predicted arrivals) and ``simulated`` (an Estimate).

        >>> result = optimize.solve(scenario, budget=2500, check_replications=0)
        >>> check = result.check(replications=10)
        >>> check.diversion.mean, [m.describe(scenario.open_hour) for m in check.misses(result.data)]
    """

    diversion: Estimate  # the simulated diversion_rate
    service_levels: dict[str, dict[str, object]]  # channel -> target, predicted, simulated
    hourly_service_level: dict[tuple[str, int], Estimate]  # simulated, by (channel, slot)
    result: ExperimentResult  # the simulated replications themselves
    hourly_predicted: dict[tuple[str, int], float] = field(default_factory=dict)  # by formula

    def misses(self, data: PlanningData) -> list[Miss]:
        """Staffed slots whose simulated service level is below target beyond noise (the
        whole confidence interval below it)."""
        missed = []
        for s in data.staffed:
            e = self.hourly_service_level.get((s.channel, s.slot))
            if e is None or math.isnan(e.mean):
                continue
            top = e.ci_high if not math.isnan(e.ci_high) else e.mean
            if top < s.target_share:
                missed.append(Miss(s.channel, s.slot, s.target_share,
                                   e if not math.isnan(e.ci_high) else Estimate(e.mean, e.mean,
                                                                                e.mean, e.n)))
        return missed

    def missed_slots(self, data: PlanningData) -> list[tuple[str, int]]:
        """(channel, slot) of each of ``misses``: where ``refine`` adds a server."""
        return [(m.channel, m.slot) for m in self.misses(data)]


def check_plan(scenario: Scenario, plan: Plan, data: PlanningData, run: RunSettings,
               replications: int, progress: Optional[bool] = None) -> Check:
    """Simulate the plan with fresh replications: the run settings with the next seed, so
    the check shares no random numbers with the baseline the prediction was built on."""
    planned = apply_plan(scenario, plan, data)
    fresh = dataclasses.replace(run, replications=replications, seed=check_seed(run.seed))
    result = run_experiment(planned, fresh, progress=progress)
    staffed = sorted({s.channel for s in data.staffed})
    levels = {}
    for c in staffed:
        levels[c] = {
            "target": scenario.channels[c].target_share,
            "target_wait_minutes": scenario.channels[c].target_wait_minutes,
            "predicted": predicted_service_level(plan, data, c),
            "simulated": result.channel_kpi(c, "service_level"),
        }
    hourly = {(s.channel, s.slot): result.hourly_kpi(s.channel, "service_level", s.slot)
              for s in data.staffed}
    predicted = {(s.channel, s.slot): predicted_slot_service_level(plan, s) for s in data.staffed}
    return Check(result.kpi("diversion_rate"), levels, hourly, result, predicted)


def raise_staff(data: PlanningData, plan: Plan, slots: list[tuple[str, int]]) -> None:
    """From now on, each of ``slots`` needs at least one more server than the plan gave it."""
    for s in data.staffed:
        key = (s.channel, s.slot)
        if key not in slots:
            continue
        floor = plan.staff[key] + 1
        kept = [(n, cap) for n, cap in s.levels if n >= floor]
        s.levels = kept or [(floor, math.inf)]


def refine(scenario: Scenario, data: PlanningData, run: RunSettings, replications: int,
           iterations: int, solve_plan: Callable[[PlanningData], Optional[Plan]], plan: Plan,
           progress: Optional[bool] = None) -> tuple[Plan, Check, int]:
    """Simulate; where a slot misses its target add a server there and re-solve; repeat
    until no slot misses or ``iterations`` re-solves are spent.

    Returns the last plan, its check and how many re-solves were made.  Stops early when
    the re-solve finds no plan (the previous one is kept); the caller reads the last
    check's ``misses`` to know whether the plan passed.
    """
    check = check_plan(scenario, plan, data, run, replications, progress)
    done = 0
    for _ in range(iterations):
        missed = check.missed_slots(data)
        if not missed:
            break
        raise_staff(data, plan, missed)
        new_plan = solve_plan(data)
        if new_plan is None:
            break
        plan, done = new_plan, done + 1
        check = check_plan(scenario, plan, data, run, replications, progress)
    return plan, check, done
