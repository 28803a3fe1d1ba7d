"""The year plan behind the Plan page's fourth objective: ``optimize.year_plan`` on a scenario
with the page's targets, budget, spend bounds, confidence and capacity steps, as a job
keyed by what determines its answer, and its result turned into the page's tables."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Optional

import pandas as pd

import sim
from optimize.settings import (
    Objective,
    OptimizeSettings,
    Risk,
    YearGoal,
    YearSettings,
    YearTargets,
)
from optimize.year.plan import plan_year
from optimize.year.result import YearPlanResult, calendar_rows, trajectory_rows
from sim.results import config_hash, plain
from sim.scenario import Mode, RunSettings, Scenario
from webapp.jobs import Progress

GOALS = {"min_spend": "least spend reaching the targets",
         "max_share": "most e-channel share within the budget"}


@dataclass(frozen=True)
class YearQuestion:
    """What to plan for a year: the scenario ``source``, the targets at the last month, the
    ``goal`` (``GOALS``) and ``budget``, last year's spend per month with the ``bounds``
    each month may spend relative to it, the confidence asked (None: the plan as
    simulated), the capacity steps allowed (channel, low, high), and the months run's
    size: months, customers, populations checking each plan, sampled worlds."""

    source: str
    e_channel_share: Optional[float] = 0.55
    penetration: Optional[float] = 0.70
    goal: str = "min_spend"
    budget: Optional[float] = None
    last_year_spend: Optional[float] = None
    bounds: tuple[float, ...] = ()
    confidence: Optional[float] = None
    capacity: tuple[tuple[str, int, int], ...] = ()
    months: int = 12
    customers: int = 10000
    check_replications: int = 4
    samples: int = 10
    seed: int = field(default=RunSettings.seed)

    def to_address(self) -> str:
        """The question as one query parameter (JSON), so a reload asks it again."""
        return json.dumps(dataclasses.asdict(self), separators=(",", ":"))

    @classmethod
    def from_address(cls, text: Optional[str]) -> Optional[YearQuestion]:
        """The question ``to_address`` wrote, or None (absent, unreadable, or another
        objective's: the page starts from its defaults)."""
        if not text:
            return None
        try:
            fields = json.loads(text)
            return cls(**{**fields, "bounds": tuple(fields["bounds"]),
                          "capacity": tuple(map(tuple, fields["capacity"]))})
        except (ValueError, TypeError, KeyError):
            return None

    @cached_property
    def scenario(self) -> Scenario:
        """The scenario, loaded and validated once (the key and the plan both read it)."""
        return sim.load_scenario(self.source)

    def run(self) -> RunSettings:
        """The months mode's settings: months, customers, two populations for the
        planning data, this seed."""
        return RunSettings(mode=Mode.months, months=self.months, customers=self.customers,
                           replications=2, seed=self.seed, plots=False)

    def settings(self) -> OptimizeSettings:
        """The optimiser's settings (``optimize.objective=year_plan``)."""
        year = YearSettings(
            goal=YearGoal(self.goal), budget=self.budget,
            last_year_spend=[] if self.last_year_spend is None else [self.last_year_spend],
            spend_bounds=list(self.bounds) if self.last_year_spend is not None else [],
            capacity={c: [low, high] for c, low, high in self.capacity})
        return dataclasses.replace(
            OptimizeSettings(), objective=Objective.year_plan,
            targets=YearTargets(e_channel_share=self.e_channel_share,
                                penetration=self.penetration),
            year=year, check_replications=self.check_replications,
            risk=Risk(confidence=self.confidence, samples=self.samples))

    def key(self) -> str:
        """The question's cache key: the config hash of scenario, run and settings (the
        settings validated first, so a bad one is its one line before any work)."""
        from optimize.validate import validate_settings

        settings, run = self.settings(), self.run()
        validate_settings(settings, self.scenario, run)
        return "year:" + config_hash(self.scenario, run, {"optimize": plain(settings)})


def answer(question: YearQuestion, progress: Progress) -> YearPlanResult:
    """Plan the year (estimate, solve, simulate, re-anchor; the odds) with the settings
    ``key`` validated; NoYearPlan carries its one-line explanation."""
    progress.update(0, 1, "estimating, planning and simulating the year")
    result = plan_year(question.scenario, question.run(), question.settings(), progress=False)
    progress.update(1, 1, "done")
    return result


def calendar_table(result: YearPlanResult) -> pd.DataFrame:
    """year_plan.csv's rows: contacts per month, campaign and segment; capacity steps."""
    return pd.DataFrame(calendar_rows(result))


def trajectory_table(result: YearPlanResult) -> pd.DataFrame:
    """trajectory.csv's rows: each plan's KPIs month by month, predicted and simulated."""
    return pd.DataFrame(trajectory_rows(result))


def odds_text(odds: dict[str, Any]) -> str:
    """A P(targets met) entry of plan.json as ``80% [49%, 94%]`` ("-" when absent)."""
    if not odds:
        return "-"
    return f"{odds['mean']:.0%} [{odds['ci_low']:.0%}, {odds['ci_high']:.0%}]"
