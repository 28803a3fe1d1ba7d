"""`python -m sim` as a user runs it: outputs, byte-identical reruns, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

OUTPUTS = ("summary.json", "channels.csv", "hourly.csv", "replications.csv", "flows.csv",
           "wait_by_hour.png", "volume_shares.png", "switching_flows.png")


def run_sim(args: list[str], out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", f"hydra.run.dir={out}", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_a_run_writes_every_output_and_prints_the_kpi_table(tmp_path: Path) -> None:
    done = run_sim(["run.replications=3", "run.horizon_minutes=240"], tmp_path)
    assert done.returncode == 0, done.stderr
    for name in OUTPUTS:
        assert (tmp_path / name).stat().st_size > 0, name
    assert "diversion_rate" in done.stdout and "teller" in done.stdout
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["scenario"] == "bank_branch" and summary["replications"] == 3
    for kpi in ("diversion_rate", "cost_per_transaction", "lost_rate"):
        assert set(summary["kpis"][kpi]) == {"mean", "ci_low", "ci_high"}
    for kpi in ("arrivals", "wait_mean", "p_wait", "abandon_rate", "service_level",
                "utilisation"):
        assert set(summary["channels"]["teller"][kpi]) == {"mean", "ci_low", "ci_high"}


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    args = ["run.replications=3", "run.horizon_minutes=240", "run.trace=true"]
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_sim(args, first).returncode == 0
    assert run_sim(args, second).returncode == 0
    for name in (*OUTPUTS, "trace.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_cfg_job_shows_the_composed_scenario(tmp_path: Path) -> None:
    done = run_sim(["scenario=mmc", "scenario.servers=7", "--cfg", "job"], tmp_path)
    assert done.returncode == 0
    assert "name: mmc" in done.stdout and "servers: 7" in done.stdout


BAD_INPUTS = {
    "probability_outside_0_1": (["scenario.segments.retail.retry_probability=1.5"],
                                "scenario.segments.retail.retry_probability=1.5"),
    "shares_not_summing_to_1": (["scenario.segments.retail.mix.transfer=0.5"],
                                "scenario.segments.retail.mix="),
    "type_without_eligible_channel": (["~scenario.transactions.account_opening.service.teller"],
                                      "scenario.transactions.account_opening.service={}"),
    "negative_rate": (["scenario=mmc", "scenario.arrival_rate=-1"],
                      "scenario.segments.customers.arrivals.rate_per_minute[0]=-1.0"),
    "warmup_not_shorter_than_horizon": (["run.warmup_minutes=600"], "run.warmup_minutes=600.0"),
    "unknown_channel_reference": (["+scenario.segments.retail.preference.atm=1.0"],
                                  "scenario.segments.retail.preference='atm'"),
    "distribution_with_mean_and_rate": (["+scenario.channels.kiosk.repair.rate_per_minute=0.1"],
                                        "scenario.channels.kiosk.repair="),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_one_line_naming_the_path_and_value_and_exit_code_2(
        case: str, tmp_path: Path) -> None:
    overrides, expected = BAD_INPUTS[case]
    done = run_sim(overrides, tmp_path)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("error: ") and expected in lines[0], lines[0]


def test_a_failed_run_leaves_earlier_results_untouched(tmp_path: Path) -> None:
    earlier = tmp_path / "summary.json"
    earlier.write_text('{"earlier": true}\n')
    done = run_sim(["run.warmup_minutes=900"], tmp_path)
    assert done.returncode == 2
    assert earlier.read_text() == '{"earlier": true}\n'
    assert not (tmp_path / "channels.csv").exists()


def test_a_wrong_type_is_refused_by_hydra_before_the_run(tmp_path: Path) -> None:
    done = run_sim(["scenario.channels.kiosk.servers=many"], tmp_path)
    assert done.returncode != 0
    assert "servers" in done.stderr and not (tmp_path / "summary.json").exists()
