"""``python -m sim.fit``: a contact log in, fit.json and a runnable scenario out; a log that
cannot be read is one line, exit code 2, and no run folder."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import sim
from tests.conftest import ROOT
from tests.fitting.test_round_trip import SERVICE_MEAN, centre


def fit_app(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim.fit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_the_app_fits_a_trace_and_writes_a_scenario_python_m_sim_runs(tmp_path: Path) -> None:
    sim.simulate(centre(), replications=3, seed=2, trace=True, plots=False).write(tmp_path / "t")
    done = fit_app(["fit.log=t/trace.csv", "fit.format=trace", "fit.open_hour=8",
                    "hydra.run.dir=run"], tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "run" / "fit.json").read_text())
    mean = report["service"]["call"]["gamma"]["mean_minutes"]
    assert abs(mean["value"] - SERVICE_MEAN) < 4 * mean["se"]
    assert (tmp_path / "run" / "complete").is_file()
    for figure in ("fit_arrivals", "fit_service", "fit_patience", "fit_agents"):
        assert (tmp_path / "run" / f"{figure}.png").stat().st_size > 10_000, figure
    scenario = sim.load_scenario(tmp_path / "run" / "scenario" / "fitted.yaml")
    assert (scenario.open_hour, scenario.close_hour) == (8, 19)
    ran = subprocess.run([sys.executable, "-m", "sim",
                          f"hydra.searchpath=[file://{tmp_path / 'run'}]", "scenario=fitted",
                          "run.replications=2", "run.plots=false", f"hydra.run.dir={tmp_path / 's'}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr


def test_a_missing_log_is_one_line_exit_2_and_leaves_no_run_folder(tmp_path: Path) -> None:
    done = fit_app(["fit.log=nope.csv", "hydra.run.dir=run"], tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: fit.log='nope.csv': no such file"
    assert not (tmp_path / "run").exists()


def test_the_compare_app_writes_the_comparison_of_a_fitted_scenario_with_its_log(
        tmp_path: Path) -> None:
    sim.simulate(centre(), replications=3, seed=2, trace=True, plots=False).write(tmp_path / "t")
    fitted = fit_app(["fit.log=t/trace.csv", "fit.format=trace", "fit.open_hour=8",
                      "fit.plots=false", "hydra.run.dir=run"], tmp_path)
    assert fitted.returncode == 0, fitted.stderr
    done = subprocess.run([sys.executable, "-m", "sim.compare",
                           f"hydra.searchpath=[file://{tmp_path / 'run'}]", "scenario=fitted",
                           "compare.log=t/trace.csv", "compare.format=trace",
                           "compare.open_hour=8", "run.replications=5", "run.plots=false",
                           "hydra.run.dir=cmp"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "cmp" / "comparison.json").read_text())
    assert summary["days_observed"] == 3 and summary["days_simulated"] == 5
    assert summary["arrivals"]["day_total_observed"] > 400  # a day of 1.8-2.6 a minute: ~530
    with open(tmp_path / "cmp" / "comparison.csv") as f:
        assert f.readline().strip() == "interval,kpi,observed,simulated,ci_low,ci_high,z"
    missing = subprocess.run([sys.executable, "-m", "sim.compare", "compare.log=nope.csv",
                              "hydra.run.dir=bad"], cwd=tmp_path, capture_output=True, text=True,
                             timeout=300)
    assert missing.returncode == 2 and not (tmp_path / "bad").exists()
    assert missing.stderr.strip() == "error: compare.log='nope.csv': no such file"


def test_the_readmes_fit_and_compare_commands_run_as_written(tmp_path: Path) -> None:
    """The README's block of sim -> sim.fit -> sim -> sim.compare commands, run in an
    empty folder one by one as a user pastes them."""
    text = (ROOT / "README.md").read_text()
    block = text[text.index("```bash\npython -m sim scenario=utility_hotline"):]
    commands = block[len("```bash\n"):block.index("\n```")].splitlines()
    assert [c.split()[2] for c in commands] == ["sim", "sim.fit", "sim", "sim.compare"]
    for command in commands:
        done = subprocess.run(command.replace("python", shlex.quote(sys.executable), 1),
                              shell=True, cwd=tmp_path, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, (command, done.stderr)
    assert (tmp_path / "outputs" / "fit" / "fit.json").is_file()
    assert list(tmp_path.glob("outputs/compare/fitted/*/*/comparison.json"))
