"""Calibration: recovering the model's own parameters, and the shipped six-channel fit."""

from __future__ import annotations

import csv
import datetime
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from omegaconf import DictConfig, OmegaConf

from sim.calibration.fit import (
    fit_offsets,
    fit_wait_factor,
    observed_from_contacts,
    simulated_shares,
    simulator,
    transaction_log,
    with_parameters,
)
from sim.calibration.study import CalibrateSettings, targets
from sim.experiment import ExperimentResult, run_experiment
from sim.logs import read_log
from sim.scenario import (
    Arrivals,
    Channel,
    ChannelKind,
    Distribution,
    DistributionKind,
    RunSettings,
    Scenario,
    Segment,
    TransactionType,
)
from sim.validate import ScenarioError
from tests.conftest import ROOT, compose_scenario

CHANNELS = ["counter", "kiosk", "web"]
TRUE_OFFSETS = {"counter": 0.0, "kiosk": -0.4, "web": 0.3}
TRUE_WAIT_FACTOR = 2.0
DATA = RunSettings(horizon_minutes=240, replications=20, seed=11, plots=False)
FIT = RunSettings(horizon_minutes=240, replications=20, seed=29, plots=False)
Z = 4.0  # a wide normal quantile: one seed pair, several channels, never flaky by chance


def branch() -> Scenario:
    """A counter whose queue swings from hour to hour (quiet, rush, quiet, rush), a kiosk
    and the web: waits move the shares, so the wait sensitivity shows in hourly data."""
    exp = DistributionKind.exponential
    return Scenario(
        name="branch",
        channels={"counter": Channel(kind=ChannelKind.counter, servers=2),
                  "kiosk": Channel(kind=ChannelKind.kiosk, servers=2, effort=0.2),
                  "web": Channel(kind=ChannelKind.online, effort=0.5)},
        transactions={"pay": TransactionType(service={
            "counter": Distribution(kind=exp, mean_minutes=2.0),
            "kiosk": Distribution(kind=exp, mean_minutes=1.5),
            "web": Distribution(kind=exp, mean_minutes=1.0)})},
        segments={"walk_in": Segment(
            arrivals=Arrivals(rate_per_minute=[0.6, 2.2, 0.6, 2.2], slot_minutes=60.0),
            mix={"pay": 1.0}, preference={"counter": 1.0, "kiosk": 0.0, "web": -0.5},
            wait_sensitivity_per_minute=0.3)},
    )


def served(result: ExperimentResult, channel: str) -> float:
    """Customers the channel served over all replications (counts are kept as floats)."""
    return sum(r.channels[channel]["served"] for r in result.replications)


def test_the_share_contraction_recovers_the_offsets_that_made_the_shares() -> None:
    truth = run_experiment(with_parameters(branch(), TRUE_OFFSETS, 1.0), DATA, progress=False)
    observed = simulated_shares(truth, CHANNELS)
    fit = fit_offsets(branch(), observed, simulator(FIT))
    assert fit.converged and fit.offsets["counter"] == 0.0  # the largest share is the base
    check = run_experiment(with_parameters(branch(), fit.offsets, 1.0), FIT, progress=False)
    for c in ("kiosk", "web"):
        # log-share noise of the data and of the fitting run (delta method: var ~ 1/n)
        tolerance = Z * math.sqrt(1 / served(truth, c) + 1 / served(check, c)
                                  + 1 / served(truth, "counter") + 1 / served(check, "counter"))
        assert fit.offsets[c] == pytest.approx(TRUE_OFFSETS[c], abs=tolerance), (c, tolerance)
        assert tolerance < 0.25  # the test can tell offsets 0.25 apart


@pytest.mark.slow  # 15-25 s: 20 traced days, then a fit that simulates at every step
def test_a_transaction_log_recovers_the_wait_sensitivity(tmp_path: Path) -> None:
    traced = RunSettings(horizon_minutes=240, replications=20, seed=11, plots=False, trace=True)
    truth = run_experiment(with_parameters(branch(), TRUE_OFFSETS, TRUE_WAIT_FACTOR), traced,
                           progress=False)
    rows = transaction_log(truth, datetime.datetime(2009, 3, 2, 8, 0))
    observed, by_hour = observed_from_contacts(contacts_of(rows, tmp_path), open_hour=8)
    assert observed == pytest.approx(simulated_shares(truth, CHANNELS), abs=1e-12)
    assert sorted(by_hour) == [0, 1, 2, 3]
    assert by_hour[1]["counter"] < by_hour[0]["counter"] - 0.05  # the rush hour shows

    fit = fit_wait_factor(branch(), observed, by_hour, simulator(FIT), bounds=(0.0, 4.0))
    # stated tolerance: 25% of the true factor, from 20 days of a four-hour branch; and
    # far enough from 1 (the scenario's own value) that the data, not the start, decided
    assert fit.wait_factor == pytest.approx(TRUE_WAIT_FACTOR, rel=0.25)
    assert abs(fit.wait_factor - 1.0) > 0.5


@pytest.mark.slow  # 10-20 s: the shipped calibration end to end, then its scenario run
def test_the_shipped_report_is_fitted_within_one_point_and_runs_as_a_scenario(
        tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sim.calibrate", f"hydra.run.dir={tmp_path}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "calibration.json").read_text())
    assert set(report["observed"]) == {"hotline", "sms", "web", "kiosk", "ussd", "app"}
    assert report["observed"]["hotline"] == pytest.approx(0.622 / 1.001)
    errors = {c: abs(report["fitted"][c] - report["observed"][c]) for c in report["observed"]}
    assert max(errors.values()) == pytest.approx(report["max_abs_error"])
    assert report["max_abs_error"] < 0.01, errors
    assert report["fit"]["check_seed"] != report["fit"]["fitting_seed"]

    rerun = tmp_path / "rerun"
    again = subprocess.run([sys.executable, "-m", "sim", f"hydra.run.dir={rerun}",
                            f"hydra.searchpath=[file://{tmp_path}]", "scenario=calibrated",
                            "run.replications=5", "run.plots=false"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    summary = json.loads((rerun / "summary.json").read_text())
    assert summary["scenario"] == "telecom_2009_calibrated"
    hotline = summary["channels"]["hotline"]["volume_share"]["mean"]
    assert hotline == pytest.approx(report["observed"]["hotline"], abs=0.02)


def test_calibration_without_anything_to_fit_is_refused_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sim.calibrate", f"hydra.run.dir={tmp_path}",
                           "scenario=mmc"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: calibrate.observed={}: nothing to fit: give the scenario's observed_shares, "
        "calibrate.observed or calibrate.log"]


def test_a_scenario_with_numpy_numbers_is_written_as_a_plain_yaml_scenario() -> None:
    from sim.cli.calibrate import scenario_yaml

    fitted = with_parameters(branch(), {"web": np.float64(0.25)}, np.float64(1.5))
    text = scenario_yaml(fitted)  # a numpy float here once crashed OmegaConf
    written = OmegaConf.create(text)
    assert isinstance(written, DictConfig)  # a mapping at the top, as a scenario file is
    segment = written["segments"]["walk_in"]
    assert segment["wait_sensitivity_per_minute"] == pytest.approx(0.3 * 1.5)
    assert segment["preference"]["web"] == pytest.approx(-0.5 + 0.25)
    assert "numpy" not in text


def test_calibrating_against_a_log_with_the_wait_fit_writes_the_report_and_the_scenario(
        tmp_path: Path) -> None:
    scenario, run = compose_scenario(["scenario=telecom_hall", "run.replications=1",
                                      "run.horizon_minutes=240", "run.trace=true"])
    rows = transaction_log(run_experiment(scenario, run, progress=False),
                           datetime.datetime(2009, 3, 2, 8, 0))
    log = tmp_path / "calls.csv"
    with log.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "run"
    done = subprocess.run([sys.executable, "-m", "sim.calibrate", f"hydra.run.dir={out}",
                           "scenario=telecom_hall", f"calibrate.log={log}",
                           "run.replications=2", "run.horizon_minutes=240",
                           "calibrate.iterations=2", "calibrate.check_replications=2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "calibration.json").read_text())
    factor = report["parameters"]["wait_sensitivity_factor"]
    written = OmegaConf.load(out / "scenario" / "calibrated.yaml")
    assert isinstance(written, DictConfig)
    for name, segment in scenario.segments.items():
        assert written["segments"][name]["wait_sensitivity_per_minute"] == pytest.approx(
            segment.wait_sensitivity_per_minute * factor)
    assert (out / "complete").is_file()


def contacts_of(rows: list[dict[str, object]], folder: Path) -> pd.DataFrame:
    """Transaction-log rows written as a CSV and read back by sim.logs (one reader)."""
    path = folder / "calls.csv"
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return read_log(path, format="transactions", config="calibrate").contacts


def log_rows(*rows: tuple[str, str, str]) -> list[dict[str, object]]:
    return [{"timestamp": t, "channel": c, "outcome": o} for t, c, o in rows]


def test_a_log_row_whose_timestamp_cannot_be_read_is_counted_not_guessed(tmp_path: Path) -> None:
    rows = log_rows(("2009-03-02T08:15:00", "web", "served"), ("2/3/2009 8:20", "web", "served"),
                    ("2009-03-02T08:16:00", "sms", "served"))
    log = read_log(contacts_path(rows, tmp_path), format="transactions", config="calibrate")
    assert (log.quality.rows_read, log.quality.unparseable) == (3, 1)
    observed, _ = observed_from_contacts(log.contacts, 8, ["web", "sms"], "calls.csv")
    assert observed == {"web": 0.5, "sms": 0.5}


def contacts_path(rows: list[dict[str, object]], folder: Path) -> Path:
    contacts_of(rows, folder)
    return folder / "calls.csv"


def test_a_log_naming_an_unknown_channel_is_refused_naming_it(tmp_path: Path) -> None:
    rows = log_rows(("2009-03-02T08:15:00", "web", "served"), ("2009-03-02T08:16:00", "fax", "served"))
    with pytest.raises(ScenarioError) as info:
        observed_from_contacts(contacts_of(rows, tmp_path), 8, ["web"], "calls.csv")
    assert str(info.value) == ("calibrate.log='calls.csv': channel 'fax' (1 rows) is not a "
                               "channel of the scenario")


def test_a_log_of_one_channel_is_refused_choice_offsets_need_several(tmp_path: Path) -> None:
    rows = log_rows(("2009-03-02T08:15:00", "hotline", "served"),
                    ("2009-03-02T08:16:00", "hotline", "abandoned"))
    with pytest.raises(ScenarioError) as info:
        observed_from_contacts(contacts_of(rows, tmp_path), 8, ["hotline", "web"], "calls.csv")
    assert str(info.value) == (
        "calibrate.log='calls.csv': holds one channel (hotline): choice offsets need the shares "
        "of several (fit one channel's queue with python -m sim.fit)")


def test_a_log_without_a_completed_row_lists_the_outcomes_it_found(tmp_path: Path) -> None:
    rows = log_rows(("2009-03-02T08:15:00", "web", "failed"),
                    ("2009-03-02T08:16:00", "sms", "abandoned"))
    with pytest.raises(ScenarioError) as info:
        observed_from_contacts(contacts_of(rows, tmp_path), 8, ["web", "sms"], "calls.csv")
    assert str(info.value) == ("calibrate.log='calls.csv': no row has a completed outcome "
                               "(served, ivr); outcomes found: abandoned, failed")


def test_a_technion_log_of_one_hotline_is_not_calibrated(tmp_path: Path) -> None:
    """The same reader as sim.fit: a call-centre export reads, and is refused for holding
    a single channel, in one line."""
    from tests.logs.files import TECHNION_HEADER

    line = "AA0101 1 0 0 PS 990101 7:00:00 7:00:05 5 7:00:05 7:00:30 25 AGENT 7:00:30 7:03:00 150 MORIAH"
    (tmp_path / "calls.txt").write_text("\t".join(TECHNION_HEADER) + "\n" + "\t".join(line.split()) + "\n")
    settings = CalibrateSettings(log=str(tmp_path / "calls.txt"), format="technion")
    with pytest.raises(ScenarioError, match="holds one channel \\(hotline\\)"):
        targets(compose_scenario(["scenario=telecom_hall"])[0], settings)
