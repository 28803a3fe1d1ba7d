"""`python -m sim -m ...` as a user runs it: one table per sweep, resume, failures, kills."""

from __future__ import annotations

import json
import math
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.cli.sweep_plots import pareto_front
from sim.io import COMPLETE
from tests.conftest import ROOT
from tests.startup_hooks import startup_env

# a job takes a fraction of a second: M/M/5 at rho 0.9 for 4 simulated hours
SMALL = ["scenario=mmc", "run.replications=2", "run.horizon_minutes=240", "run.plots=false"]
BASIC = ["hydra/launcher=basic"]  # in-process jobs: quicker to start than joblib's workers


def sweep(tmp: Path, name: str, args: list[str], cache: str = "cache", app: str = "sim",
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", app, "-m", f"hydra.sweep.dir={tmp / name}",
               f"sweep.cache_dir={tmp / cache}", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)  # a safety net against a hang, not a measure


def table(tmp: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(tmp / name / "sweep.csv")


def results(frame: pd.DataFrame) -> pd.DataFrame:
    """The table without wall times, which differ from run to run."""
    return frame.drop(columns=["seconds"])


def same(cell: float, value: float | None) -> None:
    """A table cell against summary.json, where an undefined value is null."""
    if value is None:
        assert math.isnan(cell)
    else:
        assert cell == pytest.approx(value, rel=1e-12)


def test_a_2x2_sweep_writes_one_typed_row_per_job_matching_each_jobs_summary(
        tmp_path: Path) -> None:
    done = sweep(tmp_path, "s", [*SMALL, *BASIC, "scenario.servers=5,6",
                                 "scenario.arrival_rate=4.0,4.5"])
    assert done.returncode == 0, done.stderr
    frame = pd.read_parquet(tmp_path / "s" / "sweep.parquet")
    assert list(frame.columns[:7]) == ["job", "scenario.servers", "scenario.arrival_rate",
                                       "status", "error", "config_hash", "seconds"]
    assert frame["scenario.servers"].dtype.kind == "i"  # typed, not strings
    assert frame["scenario.arrival_rate"].dtype.kind == "f"
    assert sorted(zip(frame["scenario.servers"], frame["scenario.arrival_rate"])) == [
        (5, 4.0), (5, 4.5), (6, 4.0), (6, 4.5)]
    assert (frame["status"] == "ok").all()
    for _, row in frame.iterrows():
        job_dir = tmp_path / "s" / str(row["job"])
        summary = json.loads((job_dir / "summary.json").read_text())
        config = (job_dir / ".hydra" / "overrides.yaml").read_text()
        assert f"scenario.servers={row['scenario.servers']}" in config
        assert row["config_hash"] == summary["config_hash"]
        for kpi, e in summary["kpis"].items():
            for part in ("mean", "ci_low", "ci_high"):
                same(row[f"{kpi}_{part}"], e[part])
        for kpi, e in summary["channels"]["counter"].items():
            same(row[f"counter.{kpi}_mean"], e["mean"])
    csv = table(tmp_path, "s")
    assert csv.shape == frame.shape and (csv["job"] == frame["job"]).all()
    # more servers, shorter waits: the table reads the right job's numbers
    wait = frame.set_index(["scenario.servers", "scenario.arrival_rate"])["counter.wait_mean_mean"]
    assert wait[(6, 4.5)] < wait[(5, 4.5)]
    for png in ("sweep_scenario.servers.png", "sweep_scenario.arrival_rate.png",
                "heatmap_scenario.servers_scenario.arrival_rate.png", "cost_vs_diversion.png"):
        assert (tmp_path / "s" / png).stat().st_size > 0, png


def test_a_second_identical_sweep_recomputes_nothing_and_a_longer_list_only_the_new_jobs(
        tmp_path: Path) -> None:
    args = [*SMALL, *BASIC, "scenario.servers=5,6", "scenario.arrival_rate=4.0,4.5"]
    assert sweep(tmp_path, "first", args).returncode == 0
    cached = sorted((tmp_path / "cache" / "sim").glob("*/summary.json"))
    stamps = [p.stat().st_mtime_ns for p in cached]
    assert len(cached) == 4

    again = sweep(tmp_path, "again", args)
    assert again.returncode == 0, again.stderr
    assert json.loads((tmp_path / "again" / "sweep.json").read_text())["from_cache"] == 4
    assert [p.stat().st_mtime_ns for p in cached] == stamps  # nothing rewritten
    assert (tmp_path / "again" / "sweep.csv").read_bytes() == (
        tmp_path / "first" / "sweep.csv").read_bytes()

    longer = sweep(tmp_path, "longer", [*SMALL, *BASIC, "scenario.servers=5,6,7",
                                        "scenario.arrival_rate=4.0,4.5"])
    assert longer.returncode == 0, longer.stderr
    counts = json.loads((tmp_path / "longer" / "sweep.json").read_text())
    assert (counts["jobs"], counts["from_cache"]) == (6, 4)
    frame = table(tmp_path, "longer")
    old = results(table(tmp_path, "first")).drop(columns="job")
    kept = results(frame[frame["scenario.servers"] < 7]).drop(columns="job")
    pd.testing.assert_frame_equal(kept.reset_index(drop=True), old.reset_index(drop=True))


def test_a_job_with_a_bad_value_is_a_failed_row_and_the_others_succeed(tmp_path: Path) -> None:
    done = sweep(tmp_path, "s", [*SMALL, *BASIC, "scenario.arrival_rate=-1.0,4.0,4.5"])
    assert done.returncode == 1  # the sweep finished, but not every job did
    frame = table(tmp_path, "s").set_index("scenario.arrival_rate")
    assert list(frame["status"]) == ["failed", "ok", "ok"]
    error = frame.loc[-1.0, "error"]
    assert "arrival" in error and "-1.0" in error and "\n" not in error
    assert math.isnan(frame.loc[-1.0, "journeys_mean"])
    assert frame.loc[4.5, "journeys_mean"] > 0
    assert "job 0 failed" in done.stderr and "Traceback" not in done.stderr


def test_a_sweep_killed_while_storing_a_job_resumes_to_the_table_of_an_uninterrupted_one(
        tmp_path: Path) -> None:
    args = [*SMALL, *BASIC, "scenario.servers=5,6,7", "scenario.arrival_rate=4.0,4.5"]
    assert sweep(tmp_path, "whole", args, cache="cache_whole").returncode == 0

    # SIGKILL at a known point: the third job's results half copied into the cache
    killed = sweep(tmp_path, "killed", args, env=startup_env(tmp_path, "die_while_storing", 3))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not (tmp_path / "killed" / "sweep.csv").exists()
    assert sorted(p.parent.name for p in (tmp_path / "killed").glob(f"*/{COMPLETE}")) == ["0", "1"]
    cache = tmp_path / "cache" / "sim"
    entries = [p for p in cache.iterdir() if not p.name.startswith(".")]
    assert len(entries) == 2  # only the complete ones, under their final names
    assert all((p / "job.json").is_file() and (p / COMPLETE).is_file() for p in entries)
    [torn] = [p for p in cache.iterdir() if p.name.startswith(".")]  # the third, cut short
    assert (torn / "summary.json").is_file() and not (torn / "job.json").exists()

    resumed = sweep(tmp_path, "resumed", args)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads((tmp_path / "resumed" / "sweep.json").read_text())["from_cache"] == 2
    assert not torn.exists()  # the killed process's temporary folder was cleared away
    pd.testing.assert_frame_equal(results(table(tmp_path, "resumed")),
                                  results(table(tmp_path, "whole")))


def test_common_random_numbers_give_every_job_the_same_draws_and_can_be_turned_off(
        tmp_path: Path) -> None:
    # servers do not change who arrives: with the same draws both jobs see the same arrivals
    args = [*SMALL, *BASIC, "scenario.servers=5,6"]
    assert sweep(tmp_path, "crn", args).returncode == 0
    crn = table(tmp_path, "crn")
    assert crn["journeys_mean"].nunique() == 1
    assert crn["counter.wait_mean_mean"].nunique() == 2
    assert sweep(tmp_path, "own", [*args, "sweep.common_random_numbers=false"]).returncode == 0
    own = table(tmp_path, "own")
    assert own["journeys_mean"].nunique() == 2
    assert set(own["config_hash"]).isdisjoint(crn["config_hash"])  # seeds are in the hash


def test_jobs_run_in_parallel_through_the_joblib_launcher_without_its_launch_lines(
        tmp_path: Path) -> None:
    done = sweep(tmp_path, "s", [*SMALL, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
                                 "scenario.servers=5,6"])
    assert done.returncode == 0, done.stderr
    hydra_yaml = (tmp_path / "s" / "0" / ".hydra" / "hydra.yaml").read_text()
    assert "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher" in hydra_yaml
    assert list(table(tmp_path, "s")["status"]) == ["ok", "ok"]
    # the launcher's "Joblib.Parallel(...) is launching" and "Launching jobs" lines are noise
    assert "Joblib.Parallel" not in done.stdout + done.stderr
    assert "Launching jobs" not in done.stdout + done.stderr


def test_an_optimiser_sweep_tabulates_each_plan(tmp_path: Path) -> None:
    done = sweep(tmp_path, "o", [*BASIC, "run.replications=2", "run.plots=false",
                                 "optimize.check_replications=2", "optimize.budget=1000,3000"],
                 app="optimize")
    assert done.returncode == 0, done.stderr
    frame = table(tmp_path, "o")
    for _, row in frame.iterrows():
        plan = json.loads((tmp_path / "o" / str(row["job"]) / "plan.json").read_text())
        assert row["spend.total"] == pytest.approx(plan["spend"]["total"])
        assert row["diversion_simulated_mean"] == pytest.approx(plan["diversion_simulated"]["mean"])
        assert row["plan_status"] == plan["status"]
    assert frame["diversion_predicted"].is_monotonic_increasing
    assert (tmp_path / "o" / "cost_vs_diversion.png").exists()


def test_the_pareto_front_keeps_the_jobs_no_other_beats_on_cost_and_diversion() -> None:
    import numpy as np
    cost = np.array([10.0, 5.0, 8.0, 5.0, 12.0, 20.0])
    diversion = np.array([0.50, 0.30, 0.55, 0.35, 0.55, 0.60])
    # job 1 loses to 3 (same cost, less), 0 to 2 (dearer and less), 4 to 2 (dearer, same)
    assert list(pareto_front(cost, diversion)) == [3, 2, 5]


def test_bad_sweep_settings_stop_the_sweep_before_any_job(tmp_path: Path) -> None:
    done = sweep(tmp_path, "s", [*SMALL, *BASIC, "scenario.servers=5,6", "sweep.cache_dir=' '"],
                 cache="unused")
    # the helper passes its own cache_dir first; the later override wins
    assert done.returncode == 2
    assert "sweep.cache_dir=' ': must name a folder" in done.stderr
    assert "Traceback" not in done.stderr
    assert not list((tmp_path / "s").glob("*/job.json"))


def test_an_interpolation_in_an_override_is_kept_as_written(tmp_path: Path) -> None:
    done = sweep(tmp_path, "s", [*SMALL, *BASIC, "scenario.servers=5,6",
                                 "run.seed=${run.replications}"])
    assert done.returncode == 0, done.stderr
    frame = table(tmp_path, "s")
    assert list(frame["status"]) == ["ok", "ok"]
    summary = json.loads((tmp_path / "s" / "0" / "summary.json").read_text())
    assert summary["seed"] == 2  # = run.replications


def test_a_months_sweep_runs_the_months_model_one_row_per_job_with_its_last_month(
        tmp_path: Path) -> None:
    done = sweep(tmp_path, "m", [*BASIC, "run.mode=months", "run.months=2,3",
                                 "run.customers=500", "run.replications=2", "run.plots=false",
                                 "scenario.adoption.day_replications=1"])
    assert done.returncode == 0, done.stderr
    frame = table(tmp_path, "m").set_index("run.months")
    assert list(frame["status"]) == ["ok", "ok"]
    # the same populations (same seeds): month 2 of the 3-month job is the 2-month job's last
    monthly = pd.read_csv(tmp_path / "m" / str(frame.loc[3, "job"]) / "monthly.csv")
    month_2 = monthly[monthly["month"] == 2].set_index("kpi")
    month_3 = monthly[monthly["month"] == 3].set_index("kpi")
    for kpi in ("e_channel_share", "penetration", "satisfaction", "transactions"):
        assert frame.loc[2, f"{kpi}_mean"] == pytest.approx(month_2.loc[kpi, "mean"], rel=1e-12)
        assert frame.loc[3, f"{kpi}_mean"] == pytest.approx(month_3.loc[kpi, "mean"], rel=1e-12)
    assert frame.loc[2, "penetration_cumulative_mean"] <= frame.loc[3, "penetration_cumulative_mean"]
