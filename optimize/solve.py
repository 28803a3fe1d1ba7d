"""The only module that calls a solver: the plan's MILP through PuLP (HiGHS through highspy,
or PuLP's bundled CBC), and the small roster covering problems through scipy's ``milp``.

PuLP 3.3 reports a time-limited solve as ``Optimal`` in ``LpStatus``; what was found is
read here from the solution status and, for HiGHS, the bound and gap it proved.  Without
a solution the variable values are the LP relaxation's, so nobody may read them.
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass
from typing import Optional

import highspy
import numpy as np
import pulp
from scipy.optimize import Bounds, LinearConstraint, milp

from optimize.settings import OptimizeSettings, SolverName

HIGHS_SOLUTION_FEASIBLE = 2  # HiGHS primal_solution_status: kSolutionStatusFeasible


@dataclass(frozen=True)
class SolveResult:
    """How one solve went, read from the solver itself (PuLP's status cannot tell a
    time-limited solve from an optimal one).  Read the variables only when
    ``has_solution``; ``objective`` includes the model's constant."""

    status: str  # optimal | feasible (stopped with a solution) | infeasible | unbounded | no_solution
    has_solution: bool
    objective: Optional[float]
    bound: Optional[float]  # the best bound proved (HiGHS), None where the solver keeps it
    gap: Optional[float]  # relative gap between objective and bound
    seconds: float  # wall-clock time of the solve (build_and_solve: finding the start too)
    solver: str  # highs or cbc


class _HiGHS(pulp.HiGHS):
    """PuLP 3.3's HiGHS API class, reading a stop at ``mip_max_nodes`` as one at the time
    limit: HiGHS reports it as kSolutionLimit, which PuLP's table of statuses lacks."""

    def findSolutionValues(self, lp: pulp.LpProblem) -> tuple[int, int]:
        try:
            return super().findSolutionValues(lp)
        except KeyError:  # raised by the status lookup, after the values were read
            if lp.solverModel.getModelStatus() != highspy.HighsModelStatus.kSolutionLimit:
                raise
        if lp.solverModel.getInfo().primal_solution_status == HIGHS_SOLUTION_FEASIBLE:
            return pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible
        return pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound


class _HiGHSWithStart(_HiGHS):
    """PuLP 3.3's HiGHS API class takes no start: hand HiGHS the variables' initial values."""

    def callSolver(self, lp: pulp.LpProblem) -> None:
        values = [0.0] * lp.solverModel.getNumCol()
        for v in lp.variables():
            values[v.index] = float(v.varValue or 0.0)
        solution = highspy.HighsSolution()
        solution.col_value = values
        solution.value_valid = True
        lp.solverModel.setSolution(solution)
        lp.solverModel.run()


_banner_shown = False


def _swallow_highs_banner() -> None:
    """HiGHS prints its copyright banner to the process's standard output (fd 1, not
    Python's sys.stdout) when the process makes its first ``Highs`` object, whatever
    ``output_flag`` says later.  Make that first object with fd 1 pointed at /dev/null."""
    global _banner_shown
    if _banner_shown:
        return
    _banner_shown = True
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def make_solver(settings: OptimizeSettings, warm: bool = False) -> pulp.LpSolver:
    """PuLP's HiGHS (its banner swallowed) or CBC for ``settings``, quiet, with its time
    limit and relative gap; ``warm``: one that starts from the variables' initial values."""
    common = {"msg": False, "timeLimit": settings.time_limit_s, "gapRel": settings.gap}
    if settings.solver is SolverName.highs:
        _swallow_highs_banner()
        highs = _HiGHSWithStart if warm else _HiGHS
        return highs(mip_max_nodes=settings.node_limit, **common)  # None: not passed
    return pulp.PULP_CBC_CMD(warmStart=warm, maxNodes=settings.node_limit, **common)


def solve(problem: pulp.LpProblem, settings: OptimizeSettings,
          start: Optional[dict[str, float]] = None) -> SolveResult:
    """Solve, from ``start`` (values by variable name) where one is given."""
    if start is not None:
        for v in problem.variables():  # within bounds: solvers return values within a tolerance
            x = start.get(v.name, 0.0)
            x = x if v.upBound is None else min(x, v.upBound)
            v.setInitialValue(x if v.lowBound is None else max(x, v.lowBound))
    solver = make_solver(settings, warm=start is not None)
    began = time.perf_counter()
    problem.solve(solver)
    seconds = time.perf_counter() - began
    if settings.solver is SolverName.highs:
        return _read_highs(problem, seconds)
    return _read_pulp(problem, seconds, "cbc")


def solve_covering(costs: np.ndarray, cover: np.ndarray, need: np.ndarray
                   ) -> Optional[np.ndarray]:
    """The cheapest non-negative integer x with ``cover @ x >= need`` (a roster: shift
    starts covering the staff each slot needs), or None if no x covers. scipy's milp (HiGHS
    inside) solves these small problems without PuLP's set-up."""
    result = milp(costs, constraints=LinearConstraint(cover, lb=need),
                  integrality=np.ones(len(costs)), bounds=Bounds(0, np.inf))
    return result.x if result.success else None


def _read_highs(problem: pulp.LpProblem, seconds: float) -> SolveResult:
    info = problem.solverModel.getInfo()
    has = info.primal_solution_status == HIGHS_SOLUTION_FEASIBLE
    if problem.status == pulp.LpStatusInfeasible:
        return SolveResult("infeasible", False, None, None, None, seconds, "highs")
    if problem.status == pulp.LpStatusUnbounded:
        return SolveResult("unbounded", False, None, None, None, seconds, "highs")
    if not has:
        return SolveResult("no_solution", False, None, None, None, seconds, "highs")
    # HiGHS sees the objective without PuLP's constant, and negated when maximising
    sign = -1.0 if problem.sense == pulp.LpMaximize else 1.0
    constant = float(problem.objective.constant)
    objective = sign * float(info.objective_function_value) + constant
    if problem.isMIP():
        bound = sign * float(info.mip_dual_bound) + constant
        # relative to the objective without its constant: for max_diversion, to the
        # diversion gained, which is stricter than to the whole diversion
        gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else None
    else:
        bound, gap = objective, 0.0
    optimal = problem.sol_status == pulp.LpSolutionOptimal
    return SolveResult("optimal" if optimal else "feasible", True, objective, bound, gap, seconds,
                       "highs")


def _read_pulp(problem: pulp.LpProblem, seconds: float, name: str) -> SolveResult:
    sol = problem.sol_status
    if sol == pulp.LpSolutionInfeasible:
        return SolveResult("infeasible", False, None, None, None, seconds, name)
    if sol == pulp.LpSolutionUnbounded:
        return SolveResult("unbounded", False, None, None, None, seconds, name)
    if sol not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        return SolveResult("no_solution", False, None, None, None, seconds, name)
    objective = pulp.value(problem.objective)
    optimal = sol == pulp.LpSolutionOptimal
    # CBC through PuLP does not hand back its bound; an optimal status is within gapRel
    return SolveResult("optimal" if optimal else "feasible", True, objective, None,
                       None, seconds, name)
