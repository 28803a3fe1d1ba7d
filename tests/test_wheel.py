"""The wheel works on its own: built from the project, installed into a fresh virtual
environment, the apps find their configs (shipped inside it as sim/conf) from any folder,
and the web app starts from it."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

from tests.conftest import ROOT
from tests.webapp.server import running_app


def test_the_wheel_installed_in_a_fresh_venv_runs_the_default_scenario_from_an_empty_folder(
        tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q",
                            "-w", str(dist)], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("channel_strategy-*.whl")

    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)],
                               capture_output=True, text=True, timeout=1200)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "empty"
    elsewhere.mkdir()
    done = subprocess.run([str(python), "-m", "sim", "run.replications=2", "run.plots=false",
                           "hydra.run.dir=out"], cwd=elsewhere, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    summary = json.loads((elsewhere / "out" / "summary.json").read_text())
    assert summary["scenario"] == "bank_branch" and summary["replications"] == 2
    # the package ran from the venv, not from this checkout
    where = subprocess.run([str(python), "-c", "import sim; print(sim.__file__)"], cwd=elsewhere,
                           capture_output=True, text=True, timeout=60)
    assert str(env) in where.stdout and str(ROOT) not in where.stdout
    # the other apps and a sweep, from the same empty folder
    for app, args, result in (
            ("optimize", ["scenario=mmc", "optimize.check_replications=0", "hydra.run.dir=opt"],
             "opt/plan.json"),
            ("sim.calibrate", ["calibrate.iterations=2", "calibrate.check_replications=2",
                               "calibrate.fit_wait_sensitivity=false", "run.replications=2",
                               "hydra.run.dir=cal"], "cal/calibration.json"),
            ("sim", ["-m", "run.replications=2,3", "run.plots=false", "hydra/launcher=basic",
                     "hydra.sweep.dir=sweep", "hydra.callbacks.sweep.plots=false"],
             "sweep/sweep.csv")):
        ran = subprocess.run([str(python), "-m", app, *args], cwd=elsewhere, capture_output=True,
                             text=True, timeout=600)
        assert ran.returncode == 0, (app, ran.stderr)
        assert (elsewhere / result).is_file(), app
    # the web app from the wheel: its files are shipped, it renders, and it serves
    script = ("import webapp; from streamlit.testing.v1 import AppTest; "
              "at = AppTest.from_file(str(webapp.MAIN), default_timeout=120); at.run(); "
              "assert not at.exception, at.exception; print(webapp.MAIN, at.title[0].value)")
    rendered = subprocess.run([str(python), "-c", script], cwd=elsewhere, capture_output=True,
                              text=True, timeout=600)
    assert rendered.returncode == 0, rendered.stderr
    assert str(env) in rendered.stdout and rendered.stdout.strip().endswith("What if")
    with running_app(str(python), elsewhere) as url:  # and it serves, from the wheel
        assert url.startswith("http://127.0.0.1:")
