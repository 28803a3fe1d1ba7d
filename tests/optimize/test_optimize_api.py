"""optimize.solve: the command line's plan.json from Python, its tables, files and check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import optimize
import sim
from sim.io import json_safe
from sim.scenario import RunSettings
from tests.conftest import ROOT

REFERENCE = ROOT / "tests" / "reference"


def test_solve_gives_the_command_lines_plan_for_the_same_settings() -> None:
    # tests/reference/bank_branch.plan.json is python -m optimize's plan.json with
    # run.replications=4 optimize.check_replications=4 run.plots=false (solver time removed)
    result = optimize.solve(sim.load_scenario("bank_branch"),
                            run=RunSettings(replications=4, plots=False), check_replications=4)
    plan = json_safe(result.to_dict())
    del plan["solver"]["seconds"]
    assert json.dumps(plan, indent=2) + "\n" == (REFERENCE / "bank_branch.plan.json").read_text()


def test_a_solved_plan_gives_tables_files_and_a_fresh_check(tmp_path: Path) -> None:
    result = optimize.solve(sim.load_scenario("mmc"), run=RunSettings(replications=3,
                            horizon_minutes=240, plots=False), check_replications=3)
    assert set(result.tables()) == {"staffing", "promotion", "kiosks"}
    staffing = result.tables()["staffing"]
    assert (staffing["staff"] >= staffing["required_staff"]).all()
    out = result.write(tmp_path / "plan")
    for name in ("plan.json", "staffing.csv", "promotion.csv", "kiosks.csv"):
        assert (out / name).is_file(), name
    check = result.check(replications=3)
    assert check.diversion.n == 3


def test_an_unreachable_target_raises_the_one_line_no_plan() -> None:
    with pytest.raises(optimize.NoPlan, match="short: target_diversion by"):
        optimize.solve(sim.load_scenario("bank_branch"), objective="min_cost",
                       target_diversion=0.99, run=RunSettings(replications=3),
                       check_replications=0)
    with pytest.raises(sim.ScenarioError, match="optimize.target_diversion"):
        optimize.solve(sim.load_scenario("bank_branch"), objective="min_cost")
