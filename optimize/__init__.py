"""The optimiser: allocate promotion, staff and kiosks, then check the plan by simulation.

The Python API (``optimize.api``): ``solve(scenario, objective=..., budget=...,
target_diversion=..., **settings)`` -> ``PlanResult`` with ``to_dict()`` (plan.json),
``tables()``, ``write(directory)`` and ``check(replications)``.
"""

from optimize.api import NoPlan, PlanResult, solve

__all__ = ["NoPlan", "PlanResult", "solve"]
