"""The MILP against brute-force enumeration of every integer plan of a small instance."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pytest

from optimize.plan import Plan, extract_plan
from optimize.settings import Objective, OptimizeSettings, Shift, SolverName
from optimize.solve import SolveResult
from optimize.start import build_and_solve
from sim import theory
from tests.optimize.instances import COSTS, CURVES, EFFECT, MIN_UNITS, SEGMENTS, STAFF_COST, small_instance

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


def slot_by_slot(staff: list[int], base_staff: tuple[int, int]) -> float:
    """Staff chosen per slot: each slot pays for the servers it adds to today's."""
    return STAFF_COST * sum(max(0, n - b) for n, b in zip(staff, base_staff))


def one_slot_shifts(staff: list[int], base_staff: tuple[int, int]) -> float:
    """Shifts one slot long: the roster is the staff; it pays what it costs beyond today's."""
    return STAFF_COST * max(0, sum(staff) - sum(base_staff))


def two_slot_shifts(staff: list[int], base_staff: tuple[int, int]) -> float:
    """Shifts covering both slots: everybody works both, so as many as the busier needs."""
    return STAFF_COST * max(0, 2 * max(staff) - sum(base_staff))


STAFF_RULES = {"slot_by_slot": ([], slot_by_slot), "one_slot": ([Shift("one", 1)], one_slot_shifts),
               "two_slots": ([Shift("both", 2)], two_slot_shifts)}


def evaluate(units: dict[tuple[str, str], int], base_staff: tuple[int, int],
             staff_spend: Callable[[list[int], tuple[int, int]], float] = slot_by_slot
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
    staff = [erlang_c_min_staff(sum(seg.rates_per_minute[h] * (seg.staffed_share - diverted[s])
                                    for s, seg in SEGMENTS.items())) for h in range(2)]
    spend = sum(COSTS[k] * u for (k, _), u in units.items()) + staff_spend(staff, base_staff)
    diversion = sum(seg.completed * (seg.base_diversion + diverted[s])
                    for s, seg in SEGMENTS.items()) / TOTAL
    return diversion, spend


def all_plans(base_staff: tuple[int, int], rule: str = "slot_by_slot"
              ) -> list[tuple[float, float]]:
    ranges = [range(int(CURVES[k].units[-1]) + 1) for k, _ in PAIRS]
    out = []
    for combo in itertools.product(*ranges):
        result = evaluate(dict(zip(PAIRS, combo)), base_staff, STAFF_RULES[rule][1])
        if result is not None:
            out.append(result)
    return out


def milp(objective: Objective, budget: float, base_staff: tuple[int, int],
         target: float | None = None, solver: SolverName = SolverName.highs,
         rule: str = "slot_by_slot") -> tuple[SolveResult, Plan | None]:
    settings = OptimizeSettings(objective=objective, budget=budget, target_diversion=target,
                                gap=0.0, solver=solver, check_replications=0,
                                shifts=STAFF_RULES[rule][0])
    model, result = build_and_solve(small_instance(base_staff), settings, budget)
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
    assert result.status == "optimal" and plan is not None
    assert plan.diversion_predicted == pytest.approx(max(feasible), abs=1e-7)
    assert plan.spend["total"] <= budget + 1e-6


@pytest.mark.parametrize("budget", [0.0, 45.0, 130.0, 400.0])
@pytest.mark.parametrize("rule", ["one_slot", "two_slots"])
def test_max_diversion_with_shifts_equals_the_best_roster_plan_by_enumeration(
        budget: float, rule: str) -> None:
    feasible = [d for d, spend in all_plans((6, 2), rule) if spend <= budget + 1e-9]
    result, plan = milp(Objective.max_diversion, budget, (6, 2), rule=rule)
    if not feasible:
        assert result.status == "infeasible" and plan is None
        return
    assert result.status == "optimal" and plan is not None
    assert plan.diversion_predicted == pytest.approx(max(feasible), abs=1e-7)


@pytest.mark.parametrize("base_staff", [(2, 3), (6, 2)], ids=["today_short", "today_uneven"])
@pytest.mark.parametrize("rule", list(STAFF_RULES))
@pytest.mark.parametrize("target", [0.30, 0.35, 0.38, 0.40])
def test_min_cost_equals_the_cheapest_plan_by_enumeration(target: float, rule: str,
                                                           base_staff: tuple[int, int]) -> None:
    reaching = [spend for d, spend in all_plans(base_staff, rule) if d >= target - 1e-12]
    result, plan = milp(Objective.min_cost, 0.0, base_staff, target, rule=rule)
    assert result.status == "optimal" and plan is not None
    assert plan.spend["total"] == pytest.approx(min(reaching), abs=1e-6)


def test_cbc_finds_the_same_optimum_as_highs() -> None:
    _, highs = milp(Objective.max_diversion, 200.0, (2, 3))
    _, cbc = milp(Objective.max_diversion, 200.0, (2, 3), solver=SolverName.cbc)
    assert highs is not None and cbc is not None
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
    # with today's staff uneven, the staff rules price the same plans differently, so the
    # shift tests test shifts
    cheapest = {rule: min(s for d, s in all_plans((6, 2), rule) if d >= 0.38)
                for rule in STAFF_RULES}
    assert len({round(c, 6) for c in cheapest.values()}) == 3, cheapest
