"""A first solution for the model with shift patterns, handed to the solver as its start.

With shifts the solver's trouble is finding a good plan, not the bound: on the benchmark
network HiGHS proves the optimum's bound at its root but can search for minutes without
reaching it.  The plan is nearly decided without shifts, and that problem solves in under
a second: solve it, keep its promotion, kiosks and staffing steps, and roster each staffed
channel on its own (interval covering, whose LP is integral, so a MILP of one channel
takes milliseconds).  That is a complete solution of the shift model, and often an
optimal one, which the solver then only has to prove or improve.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from typing import Optional

import numpy as np
import pulp

from optimize.data import PlanningData
from optimize.formulation import Formulation, build, total_spend
from optimize.settings import Objective, OptimizeSettings, Shift
from optimize.solve import SolveResult, solve, solve_covering

RETRIES = 3  # max_diversion: re-solve with the budget less the roster's overrun
PLAIN_GAP_SHARE = 0.1  # of settings.gap, for the solve without shifts
PLAIN_TIME_SHARE = 0.1  # of settings.time_limit_s, for each solve without shifts


def roster(need: Sequence[int], shifts: Sequence[Shift], cost_per_slot: float
           ) -> Optional[dict[tuple[str, int], int]]:
    """The cheapest starts per (shift, start slot) whose coverage reaches ``need`` staff in
    every slot, or None if the allowed starts cannot cover some slot."""
    n_slots = len(need)
    columns = [(s.name, t, s.length_slots) for s in shifts
               for t in (s.starts or range(n_slots - s.length_slots + 1))
               if 0 <= t <= n_slots - s.length_slots]
    if not any(need):
        return {}
    if not columns:
        return None
    cover = np.zeros((n_slots, len(columns)))
    for j, (_, t, length) in enumerate(columns):
        cover[t:t + length, j] = 1.0
    starts = solve_covering(np.array([cost_per_slot * length for *_, length in columns]),
                            cover, np.asarray(need, dtype=float))
    if starts is None:
        return None
    return {(name, t): int(round(x)) for (name, t, _), x in zip(columns, starts) if round(x) > 0}


def first_solution(m: Formulation, settings: OptimizeSettings, budget: float
                   ) -> Optional[dict[str, float]]:
    """Values for every variable of ``m`` (built with ``settings.shifts``) that satisfy its
    constraints, or None where the model without shifts finds none that does.  For
    ``min_cost`` it also adds a floor under the spend to ``m`` (``_add_spend_floor``)."""
    assert m.extra_shift_cost is not None, "only the model with shifts needs a start"
    # closer than the gap asked for: the start's distance from the optimum adds to the gap
    # the solver must then prove, and the plain model is quick to close
    plain = dataclasses.replace(settings, shifts=[], gap=settings.gap * PLAIN_GAP_SHARE,
                                time_limit_s=settings.time_limit_s * PLAIN_TIME_SHARE)
    plain_budget = budget
    for _ in range(RETRIES):
        p = build(m.data, plain, plain_budget)
        if not solve(p.problem, plain).has_solution:
            return None
        start = _with_roster(m, p, settings.shifts)
        if start is None:
            return None
        if settings.objective is Objective.min_cost:
            _add_spend_floor(m, p, plain)
            return start
        over = _spend(m, start) - budget
        if over <= 1e-6 * max(1.0, budget):
            return start
        plain_budget -= over
    return None


def _with_roster(m: Formulation, p: Formulation, shifts: Sequence[Shift]) -> Optional[dict[str, float]]:
    """``p``'s solution (no shifts) for ``m``: each slot at the lowest step that serves its
    rate (``p`` may sit higher: staff within today's cost no extra there), then rostered."""
    start = {v.name: _value(v) for v in p.problem.variables()}
    need: dict[str, list[int]] = {}
    cost: dict[str, float] = {}
    for slot in m.data.staffed:
        key = (slot.channel, slot.slot)
        rate = pulp.value(p.rate[key])
        i = next((i for i, (_, cap) in enumerate(slot.levels)
                  if rate <= min(cap, slot.base_rate) + 1e-9), len(slot.levels) - 1)
        for j, z in enumerate(m.steps.get(key, [])):
            start[z.name] = float(i == j)
        n = slot.levels[i][0]
        start[m.extra_staff[key].name] = max(0.0, n - slot.base_staff)
        need.setdefault(slot.channel, [0] * m.data.n_slots)[slot.slot] = n
        cost[slot.channel] = slot.staff_cost
    length = {s.name: s.length_slots for s in shifts}
    paid = 0.0
    for channel, staff in need.items():
        starts = roster(staff, shifts, cost[channel])
        if starts is None:
            return None
        for (name, t), count in starts.items():
            start[m.shift_starts[(channel, name, t)].name] = float(count)
            paid += cost[channel] * length[name] * count
    today = sum(s.staff_cost * s.base_staff for s in m.data.staffed)
    assert m.extra_shift_cost is not None
    start[m.extra_shift_cost.name] = max(0.0, paid - today)
    return start


def _add_spend_floor(m: Formulation, p: Formulation, plain: OptimizeSettings) -> None:
    """min_cost: add to ``m`` a floor under promotion and kiosk spend, the bound HiGHS proves
    for them in the model without shifts with staff free.  Valid for ``m``: its plans are
    plans of that model, and its staff spend is never negative.  The solver's own bound
    is weak there (staffing steps and shift starts relax to fractions that cost nothing
    beyond today), so without the floor it can hold a plan at the optimum and not prove it."""
    spend = m.spend["promotion"] + m.spend["kiosks"]
    p.problem.setObjective(p.spend["promotion"] + p.spend["kiosks"])
    result = solve(p.problem, plain)
    if result.bound is not None:  # HiGHS proves one; CBC through PuLP does not say
        m.add(spend >= result.bound - 1e-9 * max(1.0, abs(result.bound)), "spend_floor")


def _value(v: pulp.LpVariable) -> float:
    """A solved value, integers rounded (solvers return them within a tolerance)."""
    x = float(v.varValue or 0.0)
    return float(round(x)) if v.cat == pulp.LpInteger else x


def _spend(m: Formulation, start: dict[str, float]) -> float:
    expression = total_spend(m)
    return float(expression.constant) + sum(a * start.get(v.name, 0.0)
                                            for v, a in expression.items())


def build_and_solve(data: PlanningData, settings: OptimizeSettings, budget: float
                    ) -> tuple[Formulation, SolveResult]:
    """Build the model and solve it, from a first solution when it has shift patterns.
    The result's seconds include finding the start, which comes out of the time limit."""
    began = time.perf_counter()
    m = build(data, settings, budget)
    start = first_solution(m, settings, budget) if settings.shifts else None
    left = settings.time_limit_s - (time.perf_counter() - began)
    result = solve(m.problem, dataclasses.replace(
        settings, time_limit_s=max(left, PLAIN_TIME_SHARE * settings.time_limit_s)), start)
    return m, dataclasses.replace(result, seconds=time.perf_counter() - began)
