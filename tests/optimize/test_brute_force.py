"""The MILP against brute-force enumeration of every integer plan of a small instance."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from instances import COSTS, CURVES, EFFECT, MIN_UNITS, SEGMENTS, STAFF_COST, small_instance

from optimize.formulation import build
from optimize.plan import extract_plan
from optimize.settings import Objective, OptimizeSettings, SolverName
from optimize.solve import solve
from sim import theory

PAIRS = [(k, s) for k in CURVES for s in SEGMENTS]
TOTAL = sum(seg.completed for seg in SEGMENTS.values())


def erlang_c_min_staff(rate: float) -> int:
    """Fewest servers with P(wait <= target) >= share, looping over c (Erlang C)."""
    mu = 1 / 2.0
    c = 1
    while rate >= c * mu or 1 - theory.erlang_c(c, rate, mu) * math.exp(
            -(c * mu - rate) * 0.5) < 0.8:
        c += 1
    return c


def evaluate(units: dict[tuple[str, str], int], base_staff: tuple[int, int]
             ) -> tuple[float, float] | None:
    """(diversion, spend) of one integer plan by hand, or None if it breaks a constraint."""
    for (k, _), u in units.items():
        if 0 < u < MIN_UNITS[k]:
            return None
    diverted = {s: sum(EFFECT[(k, s)] * float(np.interp(units[(k, s)], CURVES[k].units,
                                                         CURVES[k].uplift)) for k in CURVES)
                for s in SEGMENTS}
    if any(SEGMENTS[s].base_diversion + d > SEGMENTS[s].max_diversion + 1e-12
           for s, d in diverted.items()):
        return None
    spend = sum(COSTS[k] * u for (k, _), u in units.items())
    for h in range(2):
        rate = sum(seg.rates_per_minute[h] * (seg.staffed_share - diverted[s])
                   for s, seg in SEGMENTS.items())
        spend += STAFF_COST * max(0, erlang_c_min_staff(rate) - base_staff[h])
    diversion = sum(seg.completed * (seg.base_diversion + diverted[s])
                    for s, seg in SEGMENTS.items()) / TOTAL
    return diversion, spend


def all_plans(base_staff: tuple[int, int]) -> list[tuple[float, float]]:
    ranges = [range(int(CURVES[k].units[-1]) + 1) for k, _ in PAIRS]
    out = []
    for combo in itertools.product(*ranges):
        result = evaluate(dict(zip(PAIRS, combo)), base_staff)
        if result is not None:
            out.append(result)
    return out


def milp(objective: Objective, budget: float, base_staff: tuple[int, int],
         target: float | None = None, solver: SolverName = SolverName.highs):  # type: ignore[no-untyped-def]
    settings = OptimizeSettings(objective=objective, budget=budget, target_diversion=target,
                                gap=0.0, solver=solver, check_replications=0)
    model = build(small_instance(base_staff), settings, budget)
    result = solve(model.problem, settings)
    return result, (extract_plan(model, result, objective.value, budget)
                    if result.has_solution else None)


@pytest.mark.parametrize("budget", [0.0, 20.0, 45.0, 80.0, 130.0, 180.0, 400.0])
@pytest.mark.parametrize("base_staff", [(4, 5), (2, 3)], ids=["today_ample", "today_short"])
def test_max_diversion_equals_the_best_plan_by_enumeration(budget: float,
                                                           base_staff: tuple[int, int]) -> None:
    feasible = [d for d, spend in all_plans(base_staff) if spend <= budget + 1e-9]
    result, plan = milp(Objective.max_diversion, budget, base_staff)
    if not feasible:
        assert result.status == "infeasible" and plan is None
        return
    assert result.status == "optimal"
    assert plan.diversion_predicted == pytest.approx(max(feasible), abs=1e-7)
    assert plan.spend["total"] <= budget + 1e-6


@pytest.mark.parametrize("target", [0.30, 0.35, 0.38, 0.40])
def test_min_cost_equals_the_cheapest_plan_by_enumeration(target: float) -> None:
    reaching = [spend for d, spend in all_plans((2, 3)) if d >= target - 1e-12]
    result, plan = milp(Objective.min_cost, 0.0, (2, 3), target)
    assert result.status == "optimal"
    assert plan.spend["total"] == pytest.approx(min(reaching), abs=1e-6)


def test_cbc_finds_the_same_optimum_as_highs() -> None:
    _, highs = milp(Objective.max_diversion, 200.0, (2, 3))
    _, cbc = milp(Objective.max_diversion, 200.0, (2, 3), solver=SolverName.cbc)
    assert cbc.diversion_predicted == pytest.approx(highs.diversion_predicted, abs=1e-7)


def test_a_target_beyond_every_plan_is_reported_infeasible_without_values() -> None:
    best = max(d for d, _ in all_plans((4, 5)))
    result, plan = milp(Objective.min_cost, 0.0, (4, 5), target=best + 0.01)
    assert result.status == "infeasible" and not result.has_solution and plan is None


def test_the_instance_is_not_trivial() -> None:
    """Budgets in the tests separate: some plans are out of reach, staffing moves with load."""
    plans = all_plans((2, 3))
    spends = sorted({round(s, 6) for _, s in plans})
    assert len(spends) > 20 and min(spends) > 0  # today's staff are short: even nothing costs
    assert len({round(d, 9) for d, _ in plans}) > 50
