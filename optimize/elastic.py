"""Infeasibility report: solve with penalised slacks and name the constraints that break."""

from __future__ import annotations

from dataclasses import dataclass

from optimize.data import PlanningData
from optimize.formulation import build
from optimize.settings import OptimizeSettings
from optimize.solve import solve

SLACK_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Violation:
    """A constraint the elastic model had to break, and by how much in its own units:
    money for ``budget``, a share for ``target_diversion`` and the segment caps, arrivals
    per minute for a service level, busy servers for a capacity.  ``str``: ``budget by
    120``."""

    constraint: str  # e.g. target_diversion, budget, service_level_teller_4
    amount: float  # how far it has to give (in the constraint's units)

    def __str__(self) -> str:
        return f"{self.constraint} by {self.amount:.4g}"


def infeasibility_report(data: PlanningData, settings: OptimizeSettings, budget: float
                         ) -> list[Violation]:
    """The constraints that cannot all hold and by how much, largest first.

    Budget and the diversion target, service levels, kiosk and online capacity and the
    segment caps may give; the model finds the least total violation (each family in its
    own unit, see formulation._violation_unit) and the non-zero slacks are the report.
    """
    m = build(data, settings, budget, elastic=True)
    result = solve(m.problem, settings)
    if not result.has_solution:
        return []
    found = [Violation(name, float(slack.value() or 0.0)) for name, slack in m.slacks.items()]
    return sorted((v for v in found if v.amount > SLACK_TOLERANCE), key=lambda v: -v.amount)
