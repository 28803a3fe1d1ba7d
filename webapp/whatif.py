"""The What-if study behind page 1: a scenario and the same scenario changed by the
levers, simulated with the same seeds (common random numbers), and their headline KPIs
compared replication by replication (``webapp.paired``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Union

import pandas as pd

import sim
from sim.api import make_run_settings
from sim.paths import conf_dir
from sim.results import config_hash
from sim.scenario import STAFFED_KINDS, Scenario
from webapp.jobs import Progress
from webapp.paired import PairedDifference, as_table, headline

Source = Union[str, Path]  # a shipped scenario's name or a YAML file


def shipped_scenarios() -> list[str]:
    """The names of the shipped scenarios (``conf/scenario/*.yaml``)."""
    return sorted(p.stem for p in (conf_dir() / "scenario").glob("*.yaml"))


@dataclass(frozen=True)
class WhatIfQuestion:
    """What to compare: the scenario ``source``, the ``overrides`` the levers make, and
    the replications and seed both runs share."""

    source: str
    overrides: tuple[str, ...]
    replications: int = 10
    seed: int = 42

    @cached_property
    def scenarios(self) -> tuple[Scenario, Scenario]:
        """(baseline, what-if), loaded and validated once (the key and the run both read
        them); ScenarioError names a bad lever."""
        return sim.load_scenario(self.source), sim.load_scenario(self.source, self.overrides)

    def key(self) -> str:
        """The question's cache key: the config hashes of the two runs."""
        baseline, what_if = self.scenarios
        return "what-if:" + ":".join(
            config_hash(s, make_run_settings(s, self.replications, self.seed, None, 0.0, 1,
                                             plots=False)) for s in (baseline, what_if))


@dataclass(frozen=True)
class WhatIfAnswer:
    """Both runs and the headline of their paired differences."""

    question: WhatIfQuestion
    baseline: sim.SimulationResult
    what_if: sim.SimulationResult
    headline: list[PairedDifference]

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every tidy table of both runs, a ``run`` column telling them apart, and the
        headline: channels, hourly, replications, flows, headline."""
        base, what = self.baseline.tables(), self.what_if.tables()
        tables = {name: pd.concat([base[name].assign(run="baseline"),
                                   what[name].assign(run="what_if")], ignore_index=True)
                  for name in base}
        tables["headline"] = as_table(self.headline)
        return tables


def answer(question: WhatIfQuestion, progress: Progress) -> WhatIfAnswer:
    """Simulate both runs (progress: replications of the two), then compare them."""
    baseline, what_if = question.scenarios
    total = 2 * question.replications

    def runs(offset: int, label: str) -> Any:
        return lambda done, _: progress.update(offset + done, total, label)

    progress.update(0, total, "baseline")
    first = sim.simulate(baseline, question.replications, question.seed, plots=False,
                         on_replication=runs(0, "baseline"))
    second = sim.simulate(what_if, question.replications, question.seed, plots=False,
                          on_replication=runs(question.replications, "what-if"))
    staffed = [n for n, c in baseline.channels.items() if c.kind in STAFFED_KINDS]
    rows = headline(first.tables()["replications"], second.tables()["replications"], staffed,
                    list(baseline.channels))
    return WhatIfAnswer(question, first, second, rows)
