"""The refine loop's pieces: which hours missed their target, and re-solving with more staff."""

from __future__ import annotations

import math

import pytest

from optimize.check import Check, raise_staff
from optimize.data import PlanningData
from optimize.formulation import build
from optimize.plan import Plan, extract_plan
from optimize.settings import OptimizeSettings
from optimize.solve import solve
from sim.experiment import Estimate, ExperimentResult
from sim.scenario import RunSettings, Scenario
from tests.optimize.instances import small_instance


def solved(data: PlanningData, budget: float = 400.0) -> Plan:
    settings = OptimizeSettings(budget=budget, gap=0.0, check_replications=0)
    model = build(data, settings, budget)
    result = solve(model.problem, settings)
    return extract_plan(model, result, "max_diversion", budget)


def check_with(levels: dict[tuple[str, int], Estimate]) -> Check:
    return Check(diversion=Estimate(0.5, 0.4, 0.6, 5), service_levels={},
                 hourly_service_level=levels,
                 result=ExperimentResult(Scenario(), RunSettings(), []))  # not read here


def test_only_hours_below_target_beyond_noise_count_as_missed() -> None:
    data = small_instance()
    check = check_with({("counter", 0): Estimate(0.70, 0.65, 0.75, 5),   # missed: CI below 0.8
                        ("counter", 1): Estimate(0.78, 0.70, 0.86, 5)})  # noise: CI spans 0.8
    assert check.missed_slots(data) == [("counter", 0)]


def test_an_undefined_hour_is_not_a_miss() -> None:
    check = check_with({("counter", 0): Estimate(math.nan, math.nan, math.nan, 0)})
    assert check.missed_slots(small_instance()) == []


def test_raising_staff_makes_the_next_plan_give_that_hour_one_more_server() -> None:
    data = small_instance((4, 5))
    plan = solved(data)
    raise_staff(data, plan, [("counter", 1)])
    again = solved(data)
    assert again.staff[("counter", 1)] == plan.staff[("counter", 1)] + 1
    assert again.staff[("counter", 0)] == plan.staff[("counter", 0)]


def test_a_plan_whose_check_misses_an_hour_is_reported_as_check_failed_not_optimal() -> None:
    from optimize.report import plan_summary

    data = small_instance()
    plan = solved(data)
    assert plan.solve.status == "optimal"
    check = check_with({("counter", 0): Estimate(0.70, 0.65, 0.75, 5)})
    summary = plan_summary(plan, check, refinements=3, data=data)
    assert summary["status"] == "check_failed"
    assert summary["solver"]["status"] == "optimal"
    assert summary["check"]["passed"] is False
    (miss,) = summary["check"]["missed"]
    assert (miss["channel"], miss["slot"], miss["target"]) == ("counter", 0, 0.8)
    assert miss["short_by"] == pytest.approx(0.8 - 0.75)


def test_a_plan_whose_check_meets_every_hour_keeps_the_solver_status() -> None:
    from optimize.report import plan_summary

    data = small_instance()
    plan = solved(data)
    check = check_with({("counter", 0): Estimate(0.78, 0.70, 0.86, 5)})
    summary = plan_summary(plan, check, data=data)
    assert summary["status"] == "optimal" and summary["check"] == {"passed": True, "missed": []}
