"""Round trip: simulate a known contact centre with a trace, read the trace as a contact
log, fit a scenario to it and recover what was simulated, within the fit's own intervals
at z = 4."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.estimators import level_for_z
from sim.fitting.assemble import FitSettings, ScenarioFit, fit_contacts
from sim.logs import read_log, write_technion
from sim.scenario import (
    Arrivals,
    Channel,
    ChannelKind,
    Distribution,
    DistributionKind,
    Scenario,
    Segment,
    Switching,
    TransactionType,
)

RATES = [1.8, 2.6, 2.6, 1.8]  # per minute, hourly from 08:00
AGENTS = [6.0, 8.0, 8.0, 6.0]
SERVICE_MEAN, SERVICE_CV, PATIENCE_MEAN = 3.0, 0.8, 4.0


def centre() -> Scenario:
    return Scenario(
        name="centre", open_hour=8, close_hour=12,
        channels={"hotline": Channel(kind=ChannelKind.hotline, schedule=list(AGENTS),
                                     target_wait_minutes=1 / 3)},
        transactions={"call": TransactionType(service={"hotline": Distribution(
            kind=DistributionKind.gamma, mean_minutes=SERVICE_MEAN, cv=SERVICE_CV)})},
        segments={"callers": Segment(
            arrivals=Arrivals(rate_per_minute=list(RATES), slot_minutes=60.0), mix={"call": 1.0},
            patience=Distribution(kind=DistributionKind.exponential, mean_minutes=PATIENCE_MEAN))},
        switching=Switching(enabled=False))


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> ScenarioFit:
    out = tmp_path_factory.mktemp("trace")
    sim.simulate(centre(), replications=8, seed=3, trace=True, plots=False).write(out)
    log = read_log(out / "trace.csv", format="trace", open_hour=8)
    return fit_contacts(log.contacts, FitSettings(level=level_for_z(4.0)), log.quality)


def test_the_fitted_day_is_the_simulated_day(fitted: ScenarioFit) -> None:
    assert (fitted.scenario.open_hour, fitted.scenario.close_hour) == (8, 12)
    assert len(fitted.report["days"]) == 8


def test_arrival_rates_are_recovered_interval_by_interval(fitted: ScenarioFit) -> None:
    arrivals = fitted.report["arrivals"]
    for truth, low, high in zip(RATES, arrivals["ci_low"], arrivals["ci_high"]):
        assert low <= truth <= high


def test_the_service_time_mean_is_recovered(fitted: ScenarioFit) -> None:
    service = fitted.report["service"]["call"]
    mean = service[service["best"]]["mean_minutes"]
    assert mean["ci_low"] <= SERVICE_MEAN <= mean["ci_high"]
    cv = service["gamma"]["cv"]
    assert cv["ci_low"] <= SERVICE_CV <= cv["ci_high"]


def test_patience_is_recovered_from_censored_waits(fitted: ScenarioFit) -> None:
    patience = fitted.report["patience"]
    mean = patience["exponential"]["mean_minutes"]
    assert patience["abandoned"] > 100
    assert mean["ci_low"] <= PATIENCE_MEAN <= mean["ci_high"]


def test_agents_per_interval_are_recovered(fitted: ScenarioFit) -> None:
    """The trace names no agent, so only the busy time and the queue show them: the mean
    number busy is a lower bound, and the estimate is within 10% of the schedule."""
    agents = fitted.report["agents"]
    for truth, got, low in zip(AGENTS, agents["per_interval"], agents["lower_bound"]):
        assert low <= truth
        assert got == pytest.approx(truth, rel=0.1)


def test_the_fitted_scenario_runs(fitted: ScenarioFit, tmp_path: Path) -> None:
    result = sim.simulate(fitted.scenario, replications=2, plots=False)
    assert result.run.horizon_minutes == 240.0
    assert result.summary()["kpis"]["journeys"]["mean"] > 0


def test_the_api_fits_a_technion_layout_log_and_writes_a_scenario_that_runs(
        tmp_path: Path) -> None:
    """The same day in the Technion call-centre layout, through sim.fit_scenario: fit.json,
    scenario/fitted.yaml (loaded back by sim.load_scenario) and the complete marker."""
    out = tmp_path / "trace"
    sim.simulate(centre(), replications=4, seed=5, trace=True, plots=False).write(out)
    contacts = read_log(out / "trace.csv", format="trace", open_hour=8).contacts
    technion = tmp_path / "calls.csv"
    write_technion(contacts[contacts["outcome"].isin(["served", "abandoned", "ivr"])], technion)
    fit = sim.fit_scenario(technion, format="technion")
    written = fit.write(tmp_path / "fit")
    assert (written / "fit.json").is_file() and (written / "complete").is_file()
    again = sim.load_scenario(written / "scenario" / "fitted.yaml")
    assert again.channels["hotline"].schedule == fit.scenario.channels["hotline"].schedule
    assert len(fit.report["days"]) == 4 and fit.report["data_quality"]["rows_used"] > 1000
    mean = fit.report["service"]["call"]["gamma"]["mean_minutes"]
    assert abs(mean["value"] - SERVICE_MEAN) < 4 * mean["se"]


def test_the_true_scenario_compares_with_its_own_log_within_the_noise(
        tmp_path: Path) -> None:
    """sim.compare_scenario of the simulated scenario against 8 days of its own trace: for
    every KPI the interval error is within 1.5 times the noise floor of 8 simulated days
    (so the comparison and its floor measure what they claim), and the files are written."""
    scenario = centre()
    scenario.channels["hotline"].service_level_thresholds = [1 / 3, 1.0]
    sim.simulate(scenario, replications=8, seed=3, trace=True, plots=False).write(tmp_path)
    check = sim.compare_scenario(scenario, tmp_path / "trace.csv", format="trace",
                                 open_hour=8, replications=20, seed=11)
    ratios = {k: v["ratio"] for k, v in check.summary.items() if isinstance(v, dict)}
    assert set(ratios) == {"arrivals", "served", "abandon_rate", "wait_served_mean",
                           "wait_abandoned_mean", "within_20s", "within_60s"}
    assert all(r < 1.5 for r in ratios.values()), ratios
    assert check.summary["days_observed"] == 8
    written = check.write(tmp_path / "compare")
    assert (written / "comparison.csv").is_file() and (written / "comparison.png").is_file()
