"""The optimiser: allocate promotion, staff and kiosks, then check the plan by simulation.

The Python API (``optimize.api``): ``solve(scenario, objective=..., budget=...,
target_diversion=..., **settings)`` -> ``PlanResult`` with ``to_dict()`` (plan.json),
``tables()``, ``write(directory)`` and ``check(replications)``; ``year_plan(scenario,
e_channel_share=..., penetration=...)`` -> ``YearPlanResult``: the month-by-month
campaign calendar reaching year-end targets, checked in months mode.
"""

from optimize.api import NoPlan, PlanResult, solve, year_plan
from optimize.year.plan import NoYearPlan, YearPlanResult

__all__ = ["NoPlan", "NoYearPlan", "PlanResult", "YearPlanResult", "solve", "year_plan"]
