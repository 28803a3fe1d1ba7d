"""The Plan study behind page 2: ``optimize.solve`` on a scenario with the page's
objective and limits, as a job keyed by what determines its answer, and the plan turned
into the What-if page's overrides."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Optional

import optimize
import sim
from optimize.plan import apply_plan
from optimize.settings import OptimizeSettings
from sim.results import config_hash, plain
from sim.scenario import RunSettings, Scenario, opening_minutes
from webapp.jobs import Progress
from webapp.levers import format_value, same, scenario_levers

OBJECTIVES = {"max_diversion": "most diversion for a budget",
              "min_cost": "cheapest plan for a diversion target",
              "frontier": "the frontier: diversion against budget"}


@dataclass(frozen=True)
class PlanQuestion:
    """What to plan: the scenario ``source``, the ``objective`` (``OBJECTIVES``), the
    budget or target, the frontier's budgets, segment caps and headcount limits, and how
    many replications check the plan (0: none)."""

    source: str
    objective: str = "max_diversion"
    budget: float = 2500.0
    target_diversion: Optional[float] = None
    frontier_budgets: tuple[float, ...] = ()
    segment_caps: tuple[tuple[str, float], ...] = ()
    max_staff: tuple[tuple[str, int], ...] = ()
    check_replications: int = 10
    seed: int = field(default=RunSettings.seed)

    def to_address(self) -> str:
        """The question as one query parameter (JSON), so a reload asks it again."""
        return json.dumps(dataclasses.asdict(self), separators=(",", ":"))

    @classmethod
    def from_address(cls, text: Optional[str]) -> Optional[PlanQuestion]:
        """The question ``to_address`` wrote, or None (absent or unreadable: the page
        starts from its defaults)."""
        if not text:
            return None
        try:
            fields = json.loads(text)
            return cls(**{**fields, "frontier_budgets": tuple(fields["frontier_budgets"]),
                          "segment_caps": tuple(map(tuple, fields["segment_caps"])),
                          "max_staff": tuple(map(tuple, fields["max_staff"]))})
        except (ValueError, TypeError, KeyError):
            return None

    def settings(self) -> dict[str, Any]:
        """The keywords of ``optimize.solve`` beyond the scenario."""
        return {"objective": self.objective, "budget": self.budget,
                "target_diversion": self.target_diversion,
                "frontier_budgets": list(self.frontier_budgets),
                "segment_caps": dict(self.segment_caps), "max_staff": dict(self.max_staff),
                "check_replications": self.check_replications}

    @cached_property
    def scenario(self) -> Scenario:
        """The scenario, loaded and validated once (the key and the solve both read it)."""
        return sim.load_scenario(self.source)

    def run(self, scenario: Scenario) -> RunSettings:
        """The simulations' settings: the scenario's day, this seed."""
        return RunSettings(horizon_minutes=opening_minutes(scenario), seed=self.seed)

    def key(self) -> str:
        """The question's cache key: the config hash of scenario, run and settings (the
        settings validated first, so a bad one is its one line before any work)."""
        from optimize.validate import validate_settings

        scenario = self.scenario
        run = self.run(scenario)
        settings = solve_settings(self.settings())
        validate_settings(settings, scenario, run)
        return "plan:" + config_hash(scenario, run, {"optimize": plain(settings)})


def solve_settings(keywords: dict[str, Any]) -> OptimizeSettings:
    """OptimizeSettings from ``optimize.solve``'s keywords (as ``solve`` builds them)."""
    from optimize.settings import Objective

    base = OptimizeSettings()
    rest = {k: v for k, v in keywords.items() if k not in ("objective", "budget")}
    return dataclasses.replace(base, objective=Objective(keywords["objective"]),
                               budget=float(keywords["budget"]), **rest)


def answer(question: PlanQuestion, progress: Progress) -> optimize.PlanResult:
    """Solve (and check by simulation); NoPlan carries its one-line explanation."""
    progress.update(0, 1, "solving and checking")
    scenario = question.scenario
    result = optimize.solve(scenario, run=question.run(scenario), **question.settings())
    progress.update(1, 1, "done")
    return result


def plan_overrides(result: optimize.PlanResult) -> list[str]:
    """The plan as the What-if page's overrides of its scenario: staff schedules, kiosk
    counts and campaign units that differ from the scenario's (a channel staffed by a
    count in the scenario gets the plan's schedule instead)."""
    base = result.scenario
    changed = apply_plan(base, result.plan, result.data)
    before = {lever.key: lever.value for lever in scenario_levers(base)}
    out = []
    for lever in scenario_levers(changed):
        if lever.key not in before:  # servers -> schedule
            channel = lever.key.rsplit(".", 1)[0]
            out.append(f"{channel}.servers=null")
        if lever.key not in before or not same(lever.value, before[lever.key]):
            out.append(f"{lever.key}={format_value(lever.value)}")
    return out
