"""The first solution handed to the solver: the cheapest roster, and a start that is feasible."""

from __future__ import annotations

import dataclasses
import itertools

import pulp
import pytest

from optimize.formulation import Formulation, build
from optimize.settings import Objective, OptimizeSettings, Shift
from optimize.solve import solve
from optimize.start import first_solution, roster
from tests.optimize.instances import small_instance

SHIFTS = [Shift("long", 4), Shift("short", 2)]
N_SLOTS = 6


def cheapest_by_enumeration(need: list[int]) -> float:
    """Every start count 0..2 of every (shift, start slot); the cheapest that covers."""
    columns = [(s.length_slots, t) for s in SHIFTS for t in range(N_SLOTS - s.length_slots + 1)]
    best = float("inf")
    for counts in itertools.product(range(3), repeat=len(columns)):
        cover = [0] * N_SLOTS
        for (length, t), n in zip(columns, counts):
            for h in range(t, t + length):
                cover[h] += n
        if all(c >= x for c, x in zip(cover, need)):
            best = min(best, sum(length * n for (length, _), n in zip(columns, counts)))
    return best


@pytest.mark.parametrize("need", [[1, 1, 1, 1, 1, 1], [0, 2, 2, 1, 0, 0], [1, 0, 0, 0, 0, 1],
                                  [2, 2, 0, 1, 2, 2], [0, 0, 1, 2, 2, 1]])
def test_roster_is_the_cheapest_cover_by_enumeration(need: list[int]) -> None:
    starts = roster(need, SHIFTS, cost_per_slot=1.0)
    assert starts is not None
    length = {s.name: s.length_slots for s in SHIFTS}
    cover = [0] * N_SLOTS
    for (name, t), n in starts.items():
        for h in range(t, t + length[name]):
            cover[h] += n
    assert all(c >= x for c, x in zip(cover, need))
    paid = sum(length[name] * n for (name, _), n in starts.items())
    assert paid == cheapest_by_enumeration(need)


def test_roster_says_none_when_the_allowed_starts_leave_a_slot_uncovered() -> None:
    assert roster([1, 0, 0, 0, 0, 1], [Shift("early", 2, starts=[0])], 1.0) is None
    assert roster([0] * N_SLOTS, [], 1.0) == {}


def violated(problem: pulp.LpProblem, values: dict[str, float]) -> list[str]:
    """Names of the constraints that ``values`` break by more than a solver's tolerance."""
    out = []
    for name, c in problem.constraints.items():
        lhs = c.constant + sum(a * values.get(v.name, 0.0) for v, a in c.items())
        if (c.sense == pulp.LpConstraintLE and lhs > 1e-7) or (
                c.sense == pulp.LpConstraintGE and lhs < -1e-7) or (
                c.sense == pulp.LpConstraintEQ and abs(lhs) > 1e-7):
            out.append(name)
    return out


@pytest.mark.parametrize("objective, budget, target", [
    (Objective.min_cost, 0.0, 0.38), (Objective.max_diversion, 200.0, None),
    (Objective.max_diversion, 400.0, None)])
def test_first_solution_meets_every_constraint_of_the_shift_model(
        objective: Objective, budget: float, target: float | None) -> None:
    settings = OptimizeSettings(objective=objective, budget=budget, target_diversion=target,
                                shifts=[Shift("both", 2)], check_replications=0)
    m = build(small_instance((6, 2)), settings, budget)
    start = first_solution(m, settings, budget)
    assert start is not None
    assert violated(m.problem, start) == []
    staff = [round(sum(start[v.name] for v in m.coverage[("counter", h)])) for h in range(2)]
    assert staff[0] == staff[1] > 0  # everybody works both slots


def stopped_at_once() -> tuple[Formulation, OptimizeSettings, dict[str, float]]:
    """A shift model, its first solution, and settings whose solves stop before the first
    branch-and-bound node (a count of work, not of time: the same on any machine)."""
    settings = OptimizeSettings(objective=Objective.min_cost, target_diversion=0.38,
                                shifts=[Shift("both", 2)], check_replications=0)
    m = build(small_instance((2, 3)), settings, 0.0)
    start = first_solution(m, settings, 0.0)
    assert start is not None
    return m, dataclasses.replace(settings, node_limit=0), start


def test_a_solve_stopped_at_once_from_the_start_returns_the_start() -> None:
    m, stopped, start = stopped_at_once()
    result = solve(m.problem, stopped, start)
    assert result.has_solution and result.status == "feasible"  # stopped, nothing proved
    start_cost = sum(a * start.get(v.name, 0.0) for v, a in m.problem.objective.items())
    assert result.objective == pytest.approx(start_cost, abs=1e-6)
    for v in m.problem.variables():
        assert v.varValue == pytest.approx(start.get(v.name, 0.0), abs=1e-9), v.name


def test_a_solve_stopped_at_once_without_a_start_has_no_solution() -> None:
    m, stopped, _ = stopped_at_once()
    result = solve(m.problem, stopped)
    assert not result.has_solution and result.status == "no_solution"
    assert result.objective is None
