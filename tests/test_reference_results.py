"""Seeded results of the shipped scenarios, byte for byte, against reference files kept in
tests/reference/: a refactor that should change nothing must leave them alone.

A change that is meant to move results regenerates the files
(``.venv/bin/python tests/test_reference_results.py``) and says why in its commit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).resolve().parent / "reference"
SCENARIOS = sorted(p.stem for p in (ROOT / "conf" / "scenario").glob("*.yaml"))
DAY = ["run.replications=3", "run.horizon_minutes=240", "run.plots=false"]
MONTHS = ["run.mode=months", "run.months=2", "run.customers=2000", "run.replications=2",
          "run.plots=false"]
PLAN = ["run.replications=4", "optimize.check_replications=4", "run.plots=false"]
PLANNED = ("bank_branch", "telecom_hall")
CASES = ([("sim", s, "day", DAY) for s in SCENARIOS]
         + [("sim", s, "months", MONTHS) for s in SCENARIOS]
         + [("optimize", s, "plan", PLAN) for s in PLANNED])


def result_text(app: str, scenario: str, args: list[str], out: Path) -> str:
    """The run's summary.json (plan.json for the optimiser, without the solver's time)."""
    done = subprocess.run([sys.executable, "-m", app, f"scenario={scenario}",
                           f"hydra.run.dir={out}", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    if app == "sim":
        return (out / "summary.json").read_text()
    plan = json.loads((out / "plan.json").read_text())
    del plan["solver"]["seconds"]
    return json.dumps(plan, indent=2) + "\n"


def reference_path(scenario: str, kind: str) -> Path:
    return REFERENCE / f"{scenario}.{kind}.json"


@pytest.mark.parametrize("app, scenario, kind, args", CASES,
                         ids=[f"{s}-{k}" for _, s, k, _ in CASES])
def test_seeded_results_equal_the_reference_files(app: str, scenario: str, kind: str,
                                                   args: list[str], tmp_path: Path) -> None:
    expected = reference_path(scenario, kind).read_text()
    assert result_text(app, scenario, args, tmp_path) == expected


if __name__ == "__main__":  # regenerate the reference files
    import tempfile

    REFERENCE.mkdir(exist_ok=True)
    for app, scenario, kind, args in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            reference_path(scenario, kind).write_text(result_text(app, scenario, args,
                                                                  Path(tmp) / "run"))
        print(f"{reference_path(scenario, kind).relative_to(ROOT)}")
