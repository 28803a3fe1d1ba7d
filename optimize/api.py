"""The optimiser's Python API: the cheapest or most diverting plan for a scenario, checked.

    >>> import sim, optimize
    >>> plan = optimize.solve(sim.load_scenario("bank_branch"), budget=2500)
    >>> plan.to_dict()["diversion_predicted"], plan.to_dict()["status"]   # plan.json's content
    >>> plan.tables()["staffing"]                # staff vs required by hour, as a DataFrame
    >>> plan.write("plan")                       # the command line's files and figures

``python -m optimize`` is this with its config: the same scenario, settings and seed give
the same plan.json.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from optimize.baseline import planning_baseline
from optimize.check import Check, Miss, check_plan, refine
from optimize.data import PlanningData
from optimize.elastic import Violation, infeasibility_report
from optimize.frontier import frontier_rows, solve_frontier
from optimize.plan import Plan, extract_plan
from optimize.report import (
    KIOSK_COLUMNS,
    PROMOTION_COLUMNS,
    STAFFING_COLUMNS,
    kiosk_rows,
    plan_summary,
    plot_frontier,
    plot_spend,
    plot_staffing,
    promotion_rows,
    staffing_rows,
)
from optimize.settings import Objective, OptimizeSettings, YearGoal
from optimize.start import build_and_solve
from optimize.validate import validate_settings
from optimize.year.plan import YearPlanResult, plan_year
from sim.io import write_csv, write_json
from sim.scenario import RunSettings, Scenario, opening_minutes
from sim.validate import UserError, validate_run, validate_scenario, validate_size


class NoPlan(UserError):
    """No plan meets the constraints, or none was found within the time limit.

    ``violations``: the constraints that cannot all hold and by how much (one objective);
    ``frontier``: the frontier's rows, every budget without a plan among them."""

    def __init__(self, message: str, violations: Optional[list[Violation]] = None,
                 frontier: Optional[list[dict[str, Any]]] = None) -> None:
        super().__init__(message)
        self.violations, self.frontier = violations, frontier


def solve_plan(data: PlanningData, settings: OptimizeSettings, budget: float,
               objective: Objective) -> Optional[Plan]:
    """The plan for one objective and budget, or None when no solution was found."""
    settings = dataclasses.replace(settings, objective=objective)
    model, result = build_and_solve(data, settings, budget)
    if not result.has_solution:
        return None
    target = settings.target_diversion if objective is Objective.min_cost else None
    return extract_plan(model, result, objective.value, budget, target)


@dataclass
class PlanResult:
    """A solved plan, the planning data it was solved on, and its simulated check."""

    plan: Plan
    data: PlanningData
    scenario: Scenario
    run: RunSettings
    settings: OptimizeSettings
    checked: Optional[Check] = None
    refinements: int = 0
    frontier: list[dict[str, Any]] = field(default_factory=list)  # objective=frontier

    @property
    def misses(self) -> list[Miss]:
        """Staffed hours whose simulated service level is below target beyond noise."""
        return self.checked.misses(self.data) if self.checked is not None else []

    def to_dict(self) -> dict[str, Any]:
        """Exactly what plan.json holds."""
        return plan_summary(self.plan, self.checked, self.refinements, self.data)

    def tables(self) -> dict[str, Any]:
        """staffing, promotion and kiosks (and frontier) as pandas DataFrames."""
        import pandas as pd

        staffing = staffing_rows(self.plan, self.data, self.checked, self.scenario)
        tables = {"staffing": pd.DataFrame(staffing),
                  "promotion": pd.DataFrame(promotion_rows(self.plan, self.data)),
                  "kiosks": pd.DataFrame(kiosk_rows(self.plan, self.data, self.scenario))}
        if self.frontier:
            tables["frontier"] = pd.DataFrame(self.frontier)
        return tables

    def write(self, directory: Union[str, Path]) -> Path:
        """The command line's files and figures in ``directory``; returns it."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        if self.frontier:
            write_frontier(self.frontier, out, self.run.plots)
        staffing = staffing_rows(self.plan, self.data, self.checked, self.scenario)
        promotion = promotion_rows(self.plan, self.data)
        write_json(out / "plan.json", self.to_dict())
        write_csv(out / "staffing.csv", staffing, STAFFING_COLUMNS)
        write_csv(out / "promotion.csv", promotion, PROMOTION_COLUMNS)
        write_csv(out / "kiosks.csv", kiosk_rows(self.plan, self.data, self.scenario),
                  KIOSK_COLUMNS)
        if self.run.plots:
            plot_staffing(staffing, out / "staffing.png", self.scenario.open_hour)
            if promotion:
                plot_spend(promotion, out / "spend.png")
        return out

    def check(self, replications: int = 10, progress: Optional[bool] = False) -> Check:
        """Simulate the plan with ``replications`` fresh replications (the run's next seed)."""
        return check_plan(self.scenario, self.plan, self.data, self.run, replications, progress)


def write_frontier(rows: list[dict[str, Any]], out: Path, plots: bool = True) -> None:
    """frontier.csv (one row per budget, ``frontier_rows``) and, with ``plots``,
    frontier.png in ``out``; ``rows`` must not be empty."""
    write_csv(out / "frontier.csv", rows, list(rows[0]))
    if plots:
        plot_frontier(rows, out / "frontier.png")


def plan_scenario(scenario: Scenario, run: RunSettings, settings: OptimizeSettings,
                  progress: Optional[bool] = False) -> PlanResult:
    """Baseline at the required staff -> MILP -> plan -> simulated check and refinement.

    Raises NoPlan (a UserError) when no plan meets every constraint."""
    _, data = planning_baseline(scenario, run, settings, progress=progress)
    frontier: list[dict[str, Any]] = []
    if settings.objective is Objective.frontier:
        points = solve_frontier(settings.frontier_budgets, lambda b: solve_plan(
            data, settings, b, Objective.max_diversion))
        as_max = dataclasses.replace(settings, objective=Objective.max_diversion)
        reasons = {b: "; ".join(map(str, infeasibility_report(data, as_max, b)))
                   or "no solution within the time limit" for b, p in points if p is None}
        frontier = frontier_rows(points, list(scenario.campaigns), reasons)
        found = [p for _, p in points if p is not None]
        if not found:
            raise NoPlan("no budget on the frontier has a feasible plan", frontier=frontier)
        plan = found[-1]
    else:
        maybe = solve_plan(data, settings, settings.budget, settings.objective)
        if maybe is None:
            violations = infeasibility_report(data, settings, settings.budget)
            detail = "; ".join(map(str, violations)) or "no solution within the time limit"
            raise NoPlan(f"no plan meets every constraint ({settings.objective.value}, budget "
                         f"{settings.budget:g}); short: {detail}", violations=violations)
        plan = maybe
    result = PlanResult(plan, data, scenario, run, settings, frontier=frontier)
    if settings.check_replications:
        result.plan, result.checked, result.refinements = refine(
            scenario, data, run, settings.check_replications, settings.refine_iterations,
            lambda d: solve_plan(d, settings, plan.budget, Objective(plan.objective_name)), plan,
            progress=progress)
    return result


def solve(scenario: Scenario, objective: str = "max_diversion", budget: Optional[float] = None,
          target_diversion: Optional[float] = None, run: Optional[RunSettings] = None,
          progress: Optional[bool] = False, **settings: Any) -> PlanResult:
    """The plan for ``scenario``: ``objective`` max_diversion (most diversion within
    ``budget``), min_cost (cheapest plan reaching ``target_diversion``) or frontier;
    other ``settings`` are OptimizeSettings' fields (``check_replications=10``,
    ``refine_iterations=3``, ``segment_caps={...}``, ...); ``run`` the simulations'
    settings (by default RunSettings over the scenario's day, as ``python -m optimize``).

    Validates everything first; raises ScenarioError or NoPlan with the command line's
    one-line message."""
    base = OptimizeSettings()
    chosen = dataclasses.replace(
        base, objective=Objective(objective),
        budget=float(base.budget if budget is None else budget),
        target_diversion=target_diversion, **settings)
    run = run or RunSettings(horizon_minutes=opening_minutes(scenario))
    validate_run(run)
    validate_scenario(scenario)
    validate_size(scenario, run)
    validate_settings(chosen, scenario, run)
    return plan_scenario(scenario, run, chosen, progress)


def year_plan(scenario: Scenario, e_channel_share: Optional[float] = None,
              penetration: Optional[float] = None, goal: str = "min_spend",
              budget: Optional[float] = None, run: Optional[RunSettings] = None,
              progress: Optional[bool] = False, **settings: Any) -> YearPlanResult:
    """The year plan for ``scenario`` (``python -m optimize optimize.objective=year_plan``):
    the cheapest month-by-month calendar of campaign contacts whose months-mode simulation
    reaches ``e_channel_share`` and ``penetration`` at the last month (``goal="max_share"``:
    the most share within ``budget``; no target given: the scenario's
    ``adoption.targets``).  ``settings`` are OptimizeSettings' fields
    (``check_replications=4``, ``targets=YearTargets(...)`` for milestones, ``year=
    YearSettings(...)``); ``run`` the months mode's settings (``months``, ``customers``,
    ``replications``).

        >>> plan = optimize.year_plan(sim.load_scenario("telecom_year"), 0.55, 0.70,
        ...                           run=RunSettings(customers=10000), check_replications=4)
        >>> plan.to_dict()["status"], plan.to_dict()["p_target_met"]
        >>> plan.write("year")          # year_plan.csv, trajectory.csv, plan.json, year_plan.png

    Validates everything first; raises ScenarioError, or NoYearPlan when no calendar
    reaches the targets, with the command line's one-line message."""
    base = OptimizeSettings()
    targets = settings.pop("targets", base.targets)
    year = settings.pop("year", base.year)
    targets = dataclasses.replace(
        targets, e_channel_share=targets.e_channel_share if e_channel_share is None
        else e_channel_share, penetration=targets.penetration if penetration is None
        else penetration)
    year = dataclasses.replace(year, goal=YearGoal(goal), budget=year.budget if budget is None
                               else budget)
    chosen = dataclasses.replace(base, objective=Objective.year_plan,
                                 targets=targets.or_scenarios(scenario.adoption.targets),
                                 year=year, **settings)
    run = run or RunSettings()
    validate_run(run)
    validate_scenario(scenario)
    validate_settings(chosen, scenario, run)
    return plan_year(scenario, run, chosen, progress)
