"""`python -m optimize` as a strategy team runs it: plan files, the simulated check, errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run_optimize(args: list[str], out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "optimize", f"hydra.run.dir={out}", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_a_plan_is_written_and_its_simulated_diversion_is_within_3_points(tmp_path: Path) -> None:
    done = run_optimize([], tmp_path)
    assert done.returncode == 0, done.stderr
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["status"] == "optimal" and plan["objective_name"] == "max_diversion"
    assert set(plan["spend"]) == {"promotion", "staff", "kiosks", "total"}
    assert plan["spend"]["total"] <= plan["budget"] + 1e-6
    simulated = plan["diversion_simulated"]
    assert abs(simulated["mean"] - plan["diversion_predicted"]) <= 0.03, plan
    assert set(plan["service_levels"]["teller"]["simulated"]) == {"mean", "ci_low", "ci_high"}
    with open(tmp_path / "staffing.csv") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["channel", "branch", "kind", "slot", "arrival_rate",
                             "mean_service_minutes",
                             "staff", "required_staff", "target_wait_minutes", "target_share",
                             "service_level_predicted", "service_level_simulated",
                             "service_level_ci_low", "service_level_ci_high"]
    assert all(int(r["staff"]) >= int(r["required_staff"]) for r in rows)
    for name in ("promotion.csv", "kiosks.csv", "staffing.png", "spend.png"):
        assert (tmp_path / name).stat().st_size > 0, name


def test_an_unreachable_target_names_the_constraint_and_exits_2(tmp_path: Path) -> None:
    done = run_optimize(["optimize.objective=min_cost", "optimize.target_diversion=0.99",
                         "optimize.check_replications=0", "run.replications=3"], tmp_path)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "target_diversion by" in lines[0]
    report = json.loads((tmp_path / "infeasible.json").read_text())
    assert report["violations"][0]["constraint"] == "target_diversion"
    assert not (tmp_path / "plan.json").exists()


def test_the_frontier_writes_a_row_per_budget_and_its_figure(tmp_path: Path) -> None:
    done = run_optimize(["optimize.objective=frontier", "optimize.frontier_budgets=[300,1000,3000]",
                         "optimize.check_replications=0", "run.replications=3"], tmp_path)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "frontier.csv") as f:
        rows = list(csv.DictReader(f))
    assert [float(r["budget"]) for r in rows] == [300.0, 1000.0, 3000.0]
    diversions = [float(r["diversion_predicted"]) for r in rows]
    assert diversions == sorted(diversions)
    assert (tmp_path / "frontier.png").stat().st_size > 0


def test_a_bad_setting_gives_one_line_naming_it(tmp_path: Path) -> None:
    done = run_optimize(["optimize.gap=2"], tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: optimize.gap=2.0: a relative gap lies in [0, 1)"


def test_a_frontier_budget_without_a_plan_is_marked_and_explained(tmp_path: Path) -> None:
    # two tellers are too few for the branch's load: no plan meets the targets without spend
    done = run_optimize(["scenario.channels.teller.schedule=[2,2,2,2,2,2,2,2,2,2]",
                         "optimize.objective=frontier",
                         "optimize.frontier_budgets=[0,2500]", "optimize.check_replications=0",
                         "run.replications=4"], tmp_path)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "frontier.csv") as f:
        rows = {float(r["budget"]): r for r in csv.DictReader(f)}
    assert rows[0.0]["status"] == "infeasible" and "budget by" in rows[0.0]["reason"]
    assert rows[2500.0]["status"] == "optimal" and rows[2500.0]["reason"] == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("frontier: no plan at budget 0 (marked x on frontier.png); short: budget by")
    assert (tmp_path / "frontier.png").stat().st_size > 0


def test_dict_settings_take_keys_the_shipped_config_does_not_list() -> None:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    import optimize.cli  # noqa: F401  registers the optimiser's schema
    import sim.cli.calibrate  # noqa: F401  registers the calibration's schema

    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(ROOT / "conf"), version_base="1.3"):
        cfg = compose(config_name="optimize", overrides=[
            "optimize.max_staff.teller=5", "optimize.segment_caps.retail=0.3"])
        calibrate = compose(config_name="calibrate", overrides=[
            "scenario=telecom_hall", "calibrate.observed={counter: 0.2, hotline: 0.8}"])
    assert cfg.optimize.max_staff == {"teller": 5}
    assert cfg.optimize.segment_caps == {"retail": 0.3}
    assert calibrate.calibrate.observed == {"counter": 0.2, "hotline": 0.8}
