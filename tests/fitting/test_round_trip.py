"""Round trip: simulate a known contact centre with a trace, write the trace as a contact
log in the ``contacts`` and ``technion`` layouts, fit a scenario to each and recover what
was simulated, within the fit's own intervals at z = 4; then compare the fitted scenario
with the log it came from: every KPI's error within 1.5 times the noise floor."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.estimators import level_for_z
from sim.fitting.assemble import FitSettings, ScenarioFit, fit_contacts
from sim.logs import read_log, write_contacts, write_technion
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

# per minute, hourly from 08:00; the last hour takes no call: the agents serve who queued
# at 18:00, as a centre does at closing, so the trace ends with nobody in progress
RATES = [1.2, 1.8, 2.6, 2.6, 2.2, 1.8, 2.2, 2.6, 2.0, 1.4, 0.0]
AGENTS = [4.0, 5.0, 7.0, 7.0, 6.0, 5.0, 6.0, 7.0, 6.0, 4.0, 4.0]
SERVICE_MEAN, SERVICE_CV, PATIENCE_MEAN = 3.0, 0.8, 4.0
IVR_MEAN, IVR_SHARE = 0.5, 0.25
LAYOUTS = ("contacts", "technion")
DAYS = 8


def centre() -> Scenario:
    """A hotline with an IVR that completes a quarter of the calls, gamma service and
    exponential patience: loaded enough that about one caller in eight abandons."""
    return Scenario(
        name="centre", open_hour=8, close_hour=19,
        channels={"hotline": Channel(
            kind=ChannelKind.hotline, schedule=list(AGENTS), target_wait_minutes=1 / 3,
            service_level_thresholds=[1 / 3, 1.0],
            ivr=Distribution(kind=DistributionKind.exponential, mean_minutes=IVR_MEAN),
            ivr_completion={"call": IVR_SHARE})},
        transactions={"call": TransactionType(service={"hotline": Distribution(
            kind=DistributionKind.gamma, mean_minutes=SERVICE_MEAN, cv=SERVICE_CV)})},
        segments={"callers": Segment(
            arrivals=Arrivals(rate_per_minute=list(RATES), slot_minutes=60.0), mix={"call": 1.0},
            patience=Distribution(kind=DistributionKind.exponential, mean_minutes=PATIENCE_MEAN))},
        switching=Switching(enabled=False))


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """8 simulated days written as a trace and in both layouts."""
    out = tmp_path_factory.mktemp("round_trip")
    sim.simulate(centre(), replications=DAYS, seed=3, trace=True, plots=False).write(out)
    contacts = read_log(out / "trace.csv", format="trace", open_hour=8).contacts
    assert not (contacts["outcome"] == "in_progress").any()
    write_contacts(contacts, out / "contacts.csv")
    write_technion(contacts, out / "technion.csv")
    return out


@pytest.fixture(scope="module", params=LAYOUTS)
def fitted(request: pytest.FixtureRequest, logs: Path) -> tuple[str, ScenarioFit]:
    log = read_log(logs / f"{request.param}.csv", format=request.param)
    return request.param, fit_contacts(log.contacts, FitSettings(level=level_for_z(4.0)),
                                       log.quality)


def covers(estimate: dict[str, float], truth: float) -> bool:
    return estimate["ci_low"] <= truth <= estimate["ci_high"]


def test_the_fitted_day_is_the_simulated_day(fitted: tuple[str, ScenarioFit]) -> None:
    fit = fitted[1]
    assert (fit.scenario.open_hour, fit.scenario.close_hour) == (8, 19)
    assert len(fit.report["days"]) == DAYS
    assert fit.report["data_quality"]["excluded"] == 0


def test_arrival_rates_are_recovered_interval_by_interval(
        fitted: tuple[str, ScenarioFit]) -> None:
    arrivals = fitted[1].report["arrivals"]
    for truth, low, high in zip(RATES, arrivals["ci_low"], arrivals["ci_high"]):
        assert low <= truth <= high


def test_the_service_time_mean_and_shape_are_recovered(fitted: tuple[str, ScenarioFit]) -> None:
    service = fitted[1].report["service"]["call"]
    assert covers(service[service["best"]]["mean_minutes"], SERVICE_MEAN)
    assert covers(service["gamma"]["cv"], SERVICE_CV)


def test_patience_is_recovered_from_censored_waits(fitted: tuple[str, ScenarioFit]) -> None:
    patience = fitted[1].report["patience"]
    assert patience["abandoned"] > 100
    assert covers(patience["exponential"]["mean_minutes"], PATIENCE_MEAN)
    assert not patience["by_interval"]["varies"]  # one rate all day, and the test agrees


def test_the_ivr_share_and_time_are_recovered(fitted: tuple[str, ScenarioFit]) -> None:
    ivr = fitted[1].report["ivr"]
    assert covers(ivr["completion_share"], IVR_SHARE)
    assert covers(ivr["time"]["mean_minutes"], IVR_MEAN)


def test_agents_per_interval_are_recovered(fitted: tuple[str, ScenarioFit]) -> None:
    """Where calls arrive, the agents are read from the busy time while callers queued:
    the truth is within the interval of the days' estimates, or within 1% where agents
    stay on to finish a call after the schedule drops (their overtime is real presence).
    The closing hour takes no call: its agents are not identifiable (only the busy time
    shows), and the fit needs only those who served the last queue."""
    agents = fitted[1].report["agents"]
    for k, truth in enumerate(AGENTS[:-1]):
        inside = agents["ci_low"][k] <= truth <= agents["ci_high"][k]
        assert inside or agents["per_interval"][k] == pytest.approx(truth, rel=0.01), k
        assert agents["lower_bound"][k] <= truth


def test_the_fitted_scenario_compares_with_its_log_within_the_noise(
        fitted: tuple[str, ScenarioFit], logs: Path, tmp_path: Path) -> None:
    """sim.compare_scenario of the fitted scenario against the log it was fitted to: for
    every KPI, the mean absolute error over intervals is below 1.5 times the noise floor."""
    layout, fit = fitted
    check = sim.compare_scenario(fit.scenario, logs / f"{layout}.csv", format=layout,
                                 replications=20, seed=11)
    ratios = {k: v["ratio"] for k, v in check.summary.items() if isinstance(v, dict)}
    assert set(ratios) == {"arrivals", "served", "abandon_rate", "wait_served_mean",
                           "wait_abandoned_mean", "within_20s", "within_60s"}
    assert all(r < 1.5 for r in ratios.values()), ratios
    assert check.summary["days_observed"] == DAYS
    written = check.write(tmp_path / "compare")
    assert (written / "comparison.csv").is_file() and (written / "comparison.png").is_file()


def test_the_true_scenario_compares_with_its_own_trace_within_the_noise(logs: Path) -> None:
    """The simulated scenario itself against its trace: the comparison and its floor
    measure what they claim (a perfect model's ratio is near 1)."""
    check = sim.compare_scenario(centre(), logs / "trace.csv", format="trace", open_hour=8,
                                 replications=20, seed=11)
    ratios = {k: v["ratio"] for k, v in check.summary.items() if isinstance(v, dict)}
    assert all(r < 1.5 for r in ratios.values()), ratios


def test_the_api_fits_a_technion_log_and_writes_a_scenario_that_runs(
        logs: Path, tmp_path: Path) -> None:
    """sim.fit_scenario on the Technion layout: fit.json, scenario/fitted.yaml (loaded back
    by sim.load_scenario and simulated) and the complete marker."""
    fit = sim.fit_scenario(logs / "technion.csv", format="technion")
    written = fit.write(tmp_path / "fit")
    assert (written / "fit.json").is_file() and (written / "complete").is_file()
    again = sim.load_scenario(written / "scenario" / "fitted.yaml")
    assert again.channels["hotline"].schedule == fit.scenario.channels["hotline"].schedule
    result = sim.simulate(again, replications=2, plots=False)
    assert result.run.horizon_minutes == 660.0
    assert result.summary()["kpis"]["journeys"]["mean"] > 0
