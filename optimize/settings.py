"""Optimiser settings: the ``optimize`` node of conf/optimize.yaml (registered with Hydra)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Dict, List, Optional


class Objective(Enum):
    """What the optimiser optimises (``optimize.objective``)."""

    max_diversion = "max_diversion"  # most diversion within the budget
    min_cost = "min_cost"  # cheapest plan reaching target_diversion
    frontier = "frontier"  # max_diversion over frontier_budgets
    year_plan = "year_plan"  # a month-by-month campaign calendar (optimize.year, .targets)


class YearGoal(Enum):
    """What the year plan minimises or maximises (``optimize.year.goal``)."""

    min_spend = "min_spend"  # the least spend that reaches optimize.targets
    max_share = "max_share"  # the most e-channel share at the target month within the budget


class SolverName(Enum):
    """The MILP solver: ``highs`` (HiGHS through highspy, the default and far faster) or
    ``cbc`` (PuLP's bundled CBC, which reports no bound or gap)."""

    highs = "highs"
    cbc = "cbc"


@dataclass
class Shift:
    """A shift pattern: ``length_slots`` consecutive slots, starting at any of ``starts``."""

    name: str = "full"
    length_slots: int = 8
    starts: List[int] = field(default_factory=list)  # empty: every slot it fits in


@dataclass
class Milestone:
    """A point on the way: at the end of ``month`` (1 = the first), at least these (None:
    no requirement)."""

    month: int = 6
    e_channel_share: Optional[float] = None
    penetration: Optional[float] = None


@dataclass
class YearTargets:
    """The year plan's targets (``optimize.targets``): the e-channel share of completed
    transactions and the e-channel penetration (customers who used one that month) at the
    end of ``month`` (None: the last of ``run.months``), and milestones before it.  Which
    channels are e-channels: ``scenario.adoption.e_channels``."""

    e_channel_share: Optional[float] = None
    penetration: Optional[float] = None
    month: Optional[int] = None
    milestones: List[Milestone] = field(default_factory=list)

    def or_scenarios(self, stated: dict[str, float]) -> YearTargets:
        """These targets, or, where none is set at all, the scenario's own
        (``scenario.adoption.targets``: ``e_channel_share``, ``penetration``)."""
        if self.e_channel_share is not None or self.penetration is not None or self.milestones:
            return self
        return dataclasses.replace(self, e_channel_share=stated.get("e_channel_share"),
                                   penetration=stated.get("penetration"))


@dataclass
class YearSettings:
    """How the year plan is sought (``optimize.year``).  Money is for the whole plan: the
    months' campaign contacts at each campaign's ``unit_cost`` and the servers its capacity
    steps add at the channel's ``cost_per_server_hour`` (the hours it opens a day x
    ``scenario.adoption.days_per_month``), for the customers the population stands for
    (``sim.months.model.represented_customers``)."""

    goal: YearGoal = YearGoal.min_spend
    budget: Optional[float] = None  # total spend allowed (max_share needs one)
    # last year's spend per month: one number (every month) or one per month; with
    # spend_bounds [low, high], each month spends within low x to high x of it
    last_year_spend: List[float] = field(default_factory=list)
    spend_bounds: List[float] = field(default_factory=list)
    iterations: int = 8  # simulate the plan, re-anchor the model on it, re-solve
    trust_radius: float = 0.25  # a re-solve moves each month's contacts by at most this
    # share of the segment's reachable customers (doubled after a better plan, else halved)
    tolerance: float = 0.01  # predicted and simulated target KPIs agree within this: done
    estimate_share: float = 0.5  # the first response point: this share of a segment's pool
    # capacity steps the plan may take: channel -> [low, high] servers added (negative:
    # removed) in every open hour, month by month; a staffed channel's service target
    # must then hold every month (scenario.adoption.capacity_steps carries the plan)
    capacity: Dict[str, List[int]] = field(default_factory=dict)


@dataclass
class Risk:
    """The year plan's odds (``optimize.risk``): worlds sampled from
    ``scenario.adoption.uncertainty``, a required probability of meeting the targets, and
    the confidences of the cost-confidence frontier."""

    confidence: Optional[float] = None  # e.g. 0.8: the targets met in 80% of the worlds
    samples: int = 20  # sampled worlds, for the margins and for the reported odds (0: none)
    confidences: List[float] = field(default_factory=list)  # e.g. [0.5, 0.8, 0.95]


@dataclass
class OptimizeSettings:
    """The ``optimize`` node: what the optimiser optimises, within what limits, and how hard
    it tries; never the world (the Scenario) nor the simulations (RunSettings).

    Composed by ``python -m optimize`` from conf/optimize.yaml, or built by
    ``optimize.solve(scenario, objective=..., budget=..., **fields)``; checked against the
    scenario by ``optimize.validate.validate_settings``.  Money is for the planned day (the
    run's horizon), shares lie in [0, 1].

        >>> OptimizeSettings(objective=Objective.min_cost, target_diversion=0.68,
        ...                  max_staff={"teller": 5})
        >>> optimize.solve(scenario, objective="min_cost", target_diversion=0.68,
        ...                max_staff={"teller": 5})      # the same settings through the API
    """

    objective: Objective = Objective.max_diversion
    budget: float = 2500.0  # extra spend allowed: promotion + staff and kiosks beyond today's
    target_diversion: Optional[float] = None  # for min_cost
    solver: SolverName = SolverName.highs
    time_limit_s: float = 60.0  # per solve, in seconds (finding a start with shifts included)
    gap: float = 0.005  # relative optimality gap at which the solver may stop
    node_limit: Optional[int] = None  # branch-and-bound nodes before the solver stops (None: no limit)
    refine_iterations: int = 3  # simulate, add staff where targets are missed, re-solve
    frontier_budgets: List[float] = field(default_factory=list)  # frontier: one plan each
    segment_caps: Dict[str, float] = field(default_factory=dict)  # max self-service share,
    # over the scenario's segments.<s>.self_service_cap
    max_staff: Dict[str, int] = field(default_factory=dict)  # headcount per slot, by channel
    max_kiosks: Dict[str, int] = field(default_factory=dict)  # by kiosk channel
    max_total_kiosks: Optional[int] = None  # machines over all kiosk channels (a network's)
    kiosk_budget: Optional[float] = None  # extra kiosk spend for the day, within the budget
    kiosk_max_utilisation: float = 0.8  # kiosk and capped online load per server
    shifts: List[Shift] = field(default_factory=list)  # empty: staff chosen slot by slot
    check_replications: int = 10  # replications when simulating the plan (0: no check)
    targets: YearTargets = field(default_factory=YearTargets)  # objective=year_plan
    year: YearSettings = field(default_factory=YearSettings)  # objective=year_plan
    risk: Risk = field(default_factory=Risk)  # objective=year_plan
