"""A scenario states its own day (open_hour to close_hour): every entry point simulates
that day unless run.horizon_minutes says otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim.scenario import DEFAULT_DAY_MINUTES, opening_minutes
from sim.validate import ScenarioError, validate_scenario
from tests.conftest import ROOT, compose_config, compose_scenario


def test_a_scenario_without_close_hour_keeps_the_ten_hour_day() -> None:
    assert opening_minutes(sim.load_scenario("bank_branch")) == DEFAULT_DAY_MINUTES == 600.0


def test_a_24_hour_centre_runs_its_whole_day_on_every_entry_point() -> None:
    day = ["open_hour=0", "close_hour=24"]
    scenario = sim.load_scenario("mmc", day)
    assert opening_minutes(scenario) == 1440.0
    assert sim.simulate(scenario, replications=2).run.horizon_minutes == 1440.0
    composed = compose_config(["scenario=mmc", *(f"scenario.{o}" for o in day)])
    assert composed.run.horizon_minutes == 1440.0
    assert compose_scenario(["scenario=mmc", *(f"scenario.{o}" for o in day)])[1] \
        .horizon_minutes == 1440.0
    # an explicit horizon still wins
    assert compose_config(["scenario=mmc", "scenario.close_hour=24", "scenario.open_hour=0",
                           "run.horizon_minutes=120"]).run.horizon_minutes == 120.0
    assert sim.simulate(scenario, replications=2, horizon_minutes=90).run.horizon_minutes == 90


def test_the_command_line_simulates_the_scenarios_day(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sim", "scenario=mmc", "scenario.open_hour=6",
                           "scenario.close_hour=22", "run.replications=2", "run.plots=false",
                           f"hydra.run.dir={tmp_path}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "summary.json").read_text())["horizon_minutes"] == 960.0


@pytest.mark.parametrize("close_hour", [8, 5, 33])
def test_a_close_hour_not_within_a_day_after_opening_is_refused(close_hour: int) -> None:
    scenario = sim.load_scenario("bank_branch")  # opens at 8
    scenario.close_hour = close_hour
    with pytest.raises(ScenarioError) as error:
        validate_scenario(scenario)
    assert error.value.path == "scenario.close_hour"
