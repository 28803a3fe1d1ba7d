"""Optimiser settings: the ``optimize`` node of conf/optimize.yaml (registered with Hydra)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Dict, List, Optional


class Objective(Enum):
    max_diversion = "max_diversion"  # most diversion within the budget
    min_cost = "min_cost"  # cheapest plan reaching target_diversion
    frontier = "frontier"  # max_diversion over frontier_budgets


class SolverName(Enum):
    highs = "highs"
    cbc = "cbc"


@dataclass
class Shift:
    """A shift pattern: ``length_slots`` consecutive slots, starting at any of ``starts``."""

    name: str = "full"
    length_slots: int = 8
    starts: List[int] = field(default_factory=list)  # empty: every slot it fits in


@dataclass
class OptimizeSettings:
    objective: Objective = Objective.max_diversion
    budget: float = 2500.0  # extra spend allowed: promotion + staff and kiosks beyond today's
    target_diversion: Optional[float] = None  # for min_cost
    solver: SolverName = SolverName.highs
    time_limit_s: float = 60.0
    gap: float = 0.005  # relative optimality gap at which the solver may stop
    node_limit: Optional[int] = None  # branch-and-bound nodes before the solver stops (None: no limit)
    refine_iterations: int = 3  # simulate, add staff where targets are missed, re-solve
    frontier_budgets: List[float] = field(default_factory=list)
    segment_caps: Dict[str, float] = field(default_factory=dict)  # max self-service share,
    # over the scenario's segments.<s>.self_service_cap
    max_staff: Dict[str, int] = field(default_factory=dict)  # headcount per slot, by channel
    max_kiosks: Dict[str, int] = field(default_factory=dict)  # by kiosk channel
    kiosk_max_utilisation: float = 0.8  # kiosk and capped online load per server
    shifts: List[Shift] = field(default_factory=list)  # empty: staff chosen slot by slot
    check_replications: int = 10  # replications when simulating the plan (0: no check)
