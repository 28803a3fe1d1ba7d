"""`python -m optimize` with its defaults on every shipped scenario: a plan that passes its own
simulated check, whose predictions the simulation bears out."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SCENARIOS

# Known limit of the planning model (closing note of issue 13): on utility_network the
# hotline gets up to 14% more calls than predicted at 13:00 and 17:00 (not through balks:
# kiosks and counters turn away as many as in the baseline); the planning model spreads a
# segment's diverted calls over the hours by its arrivals and its day-long share of each
# channel, and a network's hourly mix of who calls differs.  The hours still meet their
# target in the check, but the formula reads up to 12 points above the simulation.
OPTIMISTIC_HOURS = {"utility_network"}


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each shipped scenario's default plan, made once for the tests of this module."""
    made: dict[str, Any] = {}

    def make(scenario: str) -> tuple[subprocess.CompletedProcess[str], Path]:
        if scenario not in made:
            out = tmp_path_factory.mktemp(scenario)
            made[scenario] = (subprocess.run(
                [sys.executable, "-m", "optimize", f"scenario={scenario}", f"hydra.run.dir={out}"],
                cwd=ROOT, capture_output=True, text=True, timeout=900), out)
        return made[scenario]
    return make  # type: ignore[return-value]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_default_plan_passes_its_check_and_the_simulation_bears_out_its_diversion(
        scenario: str, plans: Any) -> None:
    done, out = plans(scenario)
    assert done.returncode == 0, done.stderr
    assert "HiGHS" not in done.stdout  # no solver banner on the terminal
    plan = json.loads((out / "plan.json").read_text())
    assert plan["status"] == "optimal" and plan["check"] == {"passed": True, "missed": []}
    simulated = plan["diversion_simulated"]["mean"]
    assert abs(simulated - plan["diversion_predicted"]) <= 0.03, plan
    with open(out / "staffing.csv") as f:
        hours = [r for r in csv.DictReader(f) if r["service_level_simulated"]]
    assert hours
    for r in hours:  # the target is met within noise in every staffed hour
        assert float(r["service_level_ci_high"]) >= float(r["target_share"]), r


@pytest.mark.parametrize("scenario", [
    pytest.param(s, marks=pytest.mark.xfail(strict=True, reason="the hotline's late hours "
                                            "on a network: see OPTIMISTIC_HOURS"))
    if s in OPTIMISTIC_HOURS else s for s in SCENARIOS])
def test_the_queueing_formula_is_never_optimistic_beyond_noise(scenario: str, plans: Any) -> None:
    done, out = plans(scenario)
    assert done.returncode == 0, done.stderr
    with open(out / "staffing.csv") as f:
        hours = [r for r in csv.DictReader(f) if r["service_level_simulated"]]
    for r in hours:
        predicted, mean = float(r["service_level_predicted"]), float(r["service_level_simulated"])
        low, high = float(r["service_level_ci_low"]), float(r["service_level_ci_high"])
        where = f"{r['channel']} slot {r['slot']}: predicted {predicted:.3f}, simulated {mean:.3f}"
        # the formula may be conservative, never optimistic by more than 5 points beyond noise
        assert predicted - mean <= 0.05 + (high - low) / 2, where
