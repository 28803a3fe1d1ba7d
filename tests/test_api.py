"""The Python API: the same numbers as the command line, validation, tables and files."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim.io import json_safe
from tests.conftest import ROOT, SCENARIOS


def test_simulate_gives_the_command_lines_summary_for_the_same_settings(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sim", "run.replications=3",
                           "run.horizon_minutes=240", "run.plots=false",
                           f"hydra.run.dir={tmp_path}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    result = sim.simulate(sim.load_scenario("bank_branch"), replications=3, horizon_minutes=240,
                          plots=False)
    written = (tmp_path / "summary.json").read_text()
    assert json.dumps(json_safe(result.summary()), indent=2, allow_nan=False) + "\n" == written


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_shipped_scenario_loads_by_name(name: str) -> None:
    assert sim.load_scenario(name).name == name


def test_overrides_change_the_scenario_and_a_file_path_loads_too(tmp_path: Path) -> None:
    scenario = sim.load_scenario("bank_branch", ["channels.kiosk.servers=5",
                                                 "channels.teller.schedule=[4,5,5,4,3,3,5,5,5,4]"])
    assert scenario.channels["kiosk"].servers == 5
    assert scenario.channels["teller"].schedule == [4, 5, 5, 4, 3, 3, 5, 5, 5, 4]
    copy = tmp_path / "mine.yaml"
    copy.write_text((ROOT / "conf" / "scenario" / "mmc.yaml").read_text())
    assert sim.load_scenario(copy, ["servers=7"]).channels["counter"].servers == 7


def test_a_bad_value_raises_the_command_lines_one_line_error() -> None:
    with pytest.raises(sim.ScenarioError) as info:
        sim.load_scenario("bank_branch", ["segments.retail.retry_probability=1.5"])
    assert str(info.value) == ("scenario.segments.retail.retry_probability=1.5: a probability "
                               "must lie in [0, 1]")
    with pytest.raises(sim.ScenarioError):
        sim.load_scenario("no_such_scenario")
    scenario = sim.load_scenario("bank_branch")
    scenario.segments["retail"].mix = {"cash_withdrawal": 0.3}  # shares summing to 0.3
    with pytest.raises(sim.ScenarioError, match="shares must sum to 1"):
        sim.simulate(scenario, replications=2)


def test_tables_are_tidy_frames_and_write_gives_the_command_lines_files(tmp_path: Path) -> None:
    result = sim.simulate(sim.load_scenario("mmc"), replications=2, horizon_minutes=120,
                          plots=False)
    tables = result.tables()
    assert set(tables) == {"channels", "hourly", "replications", "flows"}
    channels = tables["channels"]
    assert list(channels.columns) == ["channel", "kind", "kpi", "mean", "ci_low", "ci_high"]
    served = channels[(channels["channel"] == "counter") & (channels["kpi"] == "served")]
    assert served["mean"].item() == pytest.approx(result.summary()["channels"]["counter"]
                                                  ["served"]["mean"])
    out = result.write(tmp_path / "run")
    for name in ("summary.json", "channels.csv", "hourly.csv", "replications.csv", "flows.csv"):
        assert (out / name).stat().st_size > 0, name
    assert not math.isnan(result.summary()["kpis"]["journeys"]["mean"])


def test_the_readmes_api_example_runs_as_written(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## The Python API"):text.index("## A tour of the command line")]
    blocks = section.split("```python\n")[1:]
    assert len(blocks) == 2
    for code in blocks:
        done = subprocess.run([sys.executable, "-c", code[:code.index("```")]], cwd=tmp_path,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "what_if_five_kiosks" / "summary.json").is_file()
    assert json.loads((tmp_path / "plan_2500" / "plan.json").read_text())["status"] == "optimal"
