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
    assert len(blocks) == 3
    for code in blocks:
        done = subprocess.run([sys.executable, "-c", code[:code.index("```")]], cwd=tmp_path,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "what_if_five_kiosks" / "summary.json").is_file()
    assert json.loads((tmp_path / "plan_2500" / "plan.json").read_text())["status"] == "optimal"
    report = json.loads((tmp_path / "calibrated" / "calibration.json").read_text())
    assert report["observed"]["hotline"] == pytest.approx(0.622 / 1.001)  # the 2009 report
    assert (tmp_path / "calibrated" / "scenario" / "calibrated.yaml").is_file()


def summary_text(result: sim.SimulationResult) -> str:
    """summary() as summary.json holds it (NaN as null)."""
    return json.dumps(json_safe(result.summary()), indent=2, allow_nan=False)


def test_replications_on_two_workers_give_the_same_bytes_as_on_one() -> None:
    scenario = sim.load_scenario("bank_branch")
    one = sim.simulate(scenario, replications=4, horizon_minutes=240, plots=False, trace=True)
    two = sim.simulate(scenario, replications=4, horizon_minutes=240, plots=False, trace=True,
                       workers=2)
    assert summary_text(two) == summary_text(one)
    for name, table in one.tables().items():
        assert two.tables()[name].to_csv(index=False) == table.to_csv(index=False), name
    assert [r.replication for r in two.experiment.replications] == [0, 1, 2, 3]
    # the per-visit records came back from the workers whole (repr: NaN waits compare equal)
    assert ([repr(r.trace) for r in two.experiment.replications]
            == [repr(r.trace) for r in one.experiment.replications])


def test_more_workers_than_replications_run_each_replication_once() -> None:
    scenario = sim.load_scenario("mmc")
    one = sim.simulate(scenario, replications=2, horizon_minutes=60, plots=False)
    three = sim.simulate(scenario, replications=2, horizon_minutes=60, plots=False, workers=3)
    assert summary_text(three) == summary_text(one)


@pytest.mark.parametrize("workers", [0, -2, 1.5, True, "2"],
                         ids=["zero", "negative", "a fraction", "a bool", "a string"])
def test_a_bad_workers_value_raises_a_one_line_error_naming_workers(workers: object) -> None:
    scenario = sim.load_scenario("mmc")
    with pytest.raises(sim.ScenarioError) as info:
        sim.simulate(scenario, replications=2, workers=workers)  # type: ignore[arg-type]  # on purpose
    assert info.value.path == "run.workers"
    assert str(info.value) == (f"run.workers={workers!r}: the number of processes must be a "
                               "whole number >= 1 (null: every core)")


CALIBRATION_CLI = ["run.replications=2", "run.horizon_minutes=120", "calibrate.iterations=3",
                   "calibrate.check_replications=2"]


def test_calibrate_scenario_reports_and_writes_what_the_command_line_does(tmp_path: Path
                                                                          ) -> None:
    cli = tmp_path / "cli"
    done = subprocess.run([sys.executable, "-m", "sim.calibrate", *CALIBRATION_CLI,
                           f"hydra.run.dir={cli}"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    found = sim.calibrate_scenario(sim.load_scenario("telecom_2009"), replications=2,
                                   horizon_minutes=120, iterations=3, check_replications=2)
    written = (cli / "calibration.json").read_text()
    assert json.dumps(json_safe(found.report), indent=2, allow_nan=False) + "\n" == written
    out = found.write(tmp_path / "api")
    for name in ("calibration.json", "scenario/calibrated.yaml", "complete"):
        assert (out / name).read_bytes() == (cli / name).read_bytes(), name
    assert found.scenario.name == "telecom_2009_calibrated"
    preferences = json.loads(written)["parameters"]["preference"]
    assert {s: seg.preference for s, seg in found.scenario.segments.items()} == preferences
    # the written scenario is a scenario file the API loads back as it was
    assert sim.load_scenario(out / "scenario" / "calibrated.yaml") == found.scenario


def test_calibrate_scenario_on_two_workers_gives_the_same_report() -> None:
    def report(workers: int) -> dict[str, object]:
        return sim.calibrate_scenario(sim.load_scenario("telecom_2009"), replications=2,
                                      horizon_minutes=120, iterations=2, check_replications=2,
                                      workers=workers).report

    assert json.dumps(report(2)) == json.dumps(report(1))


def test_calibrate_scenario_refuses_what_the_command_line_refuses_in_its_words() -> None:
    telecom = sim.load_scenario("telecom_2009")
    with pytest.raises(sim.ScenarioError) as info:
        sim.calibrate_scenario(sim.load_scenario("mmc"))
    assert str(info.value) == ("calibrate.observed={}: nothing to fit: give the scenario's "
                               "observed_shares, calibrate.observed or calibrate.log")
    with pytest.raises(sim.ScenarioError) as info:
        sim.calibrate_scenario(telecom, iterations=0)
    assert str(info.value) == "calibrate.iterations=0: must be >= 1"
    with pytest.raises(sim.ScenarioError) as info:
        sim.calibrate_scenario(telecom, log="no_such_log.csv")
    assert str(info.value) == "calibrate.log='no_such_log.csv': no such file"
    with pytest.raises(sim.ScenarioError) as info:
        sim.calibrate_scenario(telecom, observed={"fax": 0.5, "web": 0.5})
    assert str(info.value) == "calibrate.observed.fax=0.5: not a channel of the scenario"
    with pytest.raises(sim.ScenarioError) as info:
        sim.calibrate_scenario(telecom, observed={"web": "most"})  # type: ignore[dict-item]  # on purpose
    assert info.value.path == "calibrate.observed.web"
