"""Budget sweeps: the most diversion at each budget, and the plan mix along the way."""

from __future__ import annotations

import math
from typing import Any, Callable, Optional

from optimize.plan import Plan


def solve_frontier(budgets: list[float], solve_at: Callable[[float], Optional[Plan]]
                   ) -> list[tuple[float, Optional[Plan]]]:
    """``solve_at(budget)`` for each budget, in increasing order."""
    return [(b, solve_at(b)) for b in sorted(budgets)]


def frontier_rows(points: list[tuple[float, Optional[Plan]]], campaigns: list[str],
                  reasons: Optional[dict[float, str]] = None) -> list[dict[str, Any]]:
    """One row per budget: predicted diversion, spend by kind and units by campaign
    (summed over the segments it targets); a budget without a plan says why (``reasons``:
    the constraints that cannot all hold)."""
    rows = []
    for budget, plan in points:
        row: dict[str, Any] = {"budget": budget,
                               "status": plan.solve.status if plan else "infeasible",
                               "reason": "" if plan else (reasons or {}).get(budget, "")}
        row["diversion_predicted"] = plan.diversion_predicted if plan else math.nan
        for kind in ("promotion", "staff", "kiosks", "total"):
            row[f"spend_{kind}"] = plan.spend[kind] if plan else math.nan
        for c in campaigns:
            row[f"units_total_{c}"] = (sum(u for (k, _), u in plan.units.items() if k == c)
                                 if plan else math.nan)
        rows.append(row)
    return rows
