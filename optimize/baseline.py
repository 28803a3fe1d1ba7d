"""The baseline the planning model reads: the scenario simulated at the staff its service
targets need, not at today's staff.

A plan meets every service target, so the world it creates is one where staffed channels
answer within target.  Where today's staff are far from that, the scenario as it is
predicts that world badly: in an overloaded hotline many callers abandon and some finish
on the portal (self-service the plan would take away by answering them), and customers
choose by the waits they expect, so answering faster draws calls back to the hotline.
Reading loads, shares and today's diversion from a simulation at the required staff
removes that bias; a few rounds reach a fixed point (the staff the measured load needs is
the staff it was measured with).  Today's staff still set today's costs.
"""

from __future__ import annotations

import copy
from typing import Optional

from optimize.data import SLOT_MINUTES, PlanningData, build_planning_data
from optimize.settings import OptimizeSettings
from sim.experiment import ExperimentResult, run_experiment
from sim.scenario import RunSettings, Scenario

BASELINE_ROUNDS = 3  # re-simulations at the required staff, at most


def required_schedules(data: PlanningData) -> dict[str, list[int]]:
    """Per staffed channel, the staff each slot's measured load needs (within any
    headcount limit: the top staffing step)."""
    schedules: dict[str, list[int]] = {}
    for s in data.staffed:
        schedules.setdefault(s.channel, [0] * data.n_slots)[s.slot] = s.levels[-1][0]
    return schedules


def with_schedules(scenario: Scenario, schedules: dict[str, list[int]]) -> Scenario:
    """The scenario with these hourly staff schedules on its staffed channels."""
    changed = copy.deepcopy(scenario)
    for channel, schedule in schedules.items():
        spec = changed.channels[channel]
        spec.schedule, spec.schedule_slot_minutes, spec.servers = list(schedule), SLOT_MINUTES, None
    return changed


def planning_baseline(scenario: Scenario, run: RunSettings, settings: OptimizeSettings,
                      progress: Optional[bool] = None
                      ) -> tuple[ExperimentResult, PlanningData]:
    """Simulate the scenario as it is, then at the staff its measured loads need, until
    those staff stop changing (or BASELINE_ROUNDS); the last simulation and its data."""
    baseline = run_experiment(scenario, run, progress=progress)
    data = build_planning_data(scenario, baseline, settings)
    simulated: dict[str, list[int]] = {}
    for s in data.staffed:
        simulated.setdefault(s.channel, []).append(s.base_staff)
    for _ in range(BASELINE_ROUNDS):
        needed = required_schedules(data)
        if needed == simulated:
            break
        baseline = run_experiment(with_schedules(scenario, needed), run, progress=progress)
        data = build_planning_data(scenario, baseline, settings)
        simulated = needed
    return baseline, data
