"""The shipped configs: every option composes, simulates a short day, and Hydra refuses bad input."""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from sim.cli.config import load
from sim.experiment import run_experiment
from sim.scenario import RunSettings, Scenario
from sim.validate import ScenarioError, validate_run, validate_scenario
from tests.conftest import RUNS, SCENARIOS, compose_config, compose_scenario

SHORT_DAY_MINUTES = 120.0
OUTCOMES = ("served", "abandoned", "balked", "failed", "deflected", "in_system_end")
COUNTS = ("arrivals", "joined", "served", "served_ivr", "balked", "abandoned", "failed",
          "deflected", "guided_out", "switched_in", "switched_out", "in_system_end")
COMPOSE_ERRORS = (HydraException, OmegaConfBaseException)


def short_day(run: RunSettings) -> RunSettings:
    return dataclasses.replace(run, replications=2, horizon_minutes=SHORT_DAY_MINUTES,
                               warmup_minutes=0.0, trace=False, plots=False)


def test_the_scenario_and_run_groups_are_not_empty() -> None:
    assert {"bank_branch", "telecom_hall", "utility_hotline"} <= set(SCENARIOS)
    assert "default" in RUNS


@pytest.mark.parametrize(
    ("scenario", "run"), list(itertools.product(SCENARIOS, RUNS)),
    ids=[f"scenario {s} with run {r}" for s, r in itertools.product(SCENARIOS, RUNS)],
)
def test_every_scenario_composes_with_every_run_into_validated_settings(scenario: str,
                                                                         run: str) -> None:
    composed, settings = compose_scenario([f"scenario={scenario}", f"run={run}"])
    assert isinstance(composed, Scenario)
    assert isinstance(settings, RunSettings)
    validate_scenario(composed)  # load() validated already; this states the contract
    validate_run(settings)
    assert composed.channels and composed.transactions and composed.segments


@pytest.mark.parametrize(
    ("scenario", "run"), list(itertools.product(SCENARIOS, RUNS)),
    ids=[f"scenario {s} with run {r}" for s, r in itertools.product(SCENARIOS, RUNS)],
)
def test_the_python_api_builds_every_scenario_and_run_as_hydra_composes_them(scenario: str,
                                                                            run: str) -> None:
    """The tests' helper builds scenarios with sim.load_scenario; it must agree with Hydra."""
    overrides = [f"scenario={scenario}", f"run={run}", "run.replications=3", "run.plots=false",
                 "run.workers=2"]
    assert compose_scenario(overrides) == load(compose_config(overrides))


def test_the_python_api_applies_scenario_overrides_as_hydra_does() -> None:
    overrides = ["scenario=mmc", "scenario.servers=7", "scenario.arrival_rate=6.3",
                 "run=steady_state", "run.seed=5", "run.horizon_minutes=3000"]
    composed, run = compose_scenario(overrides)
    assert (composed, run) == load(compose_config(overrides))
    assert composed.channels["counter"].servers == 7 and run.seed == 5  # ${scenario.servers}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[f"scenario {s}" for s in SCENARIOS])
def test_every_scenario_simulates_a_short_day_that_conserves_customers(scenario: str) -> None:
    composed, settings = compose_scenario([f"scenario={scenario}"])
    result = run_experiment(composed, short_day(settings), progress=False)
    assert len(result.replications) == 2
    for rep in result.replications:
        assert set(rep.channels) == set(composed.channels)
        for name, kpis in rep.channels.items():
            where = f"{scenario} replication {rep.replication} channel {name}"
            for count in COUNTS:
                assert kpis[count] >= 0 and math.isfinite(kpis[count]), f"{where}: {count}"
            outcomes = {k: kpis[k] for k in OUTCOMES}
            assert kpis["arrivals"] == sum(outcomes.values()), f"{where}: {outcomes}"
            assert kpis["served_ivr"] <= kpis["served"], where
        diversion = rep.kpis["diversion_rate"]
        assert 0.0 <= diversion <= 1.0, f"{scenario} replication {rep.replication}: {diversion}"
        assert rep.kpis["journeys"] > 0, f"{scenario} replication {rep.replication}"


def test_a_value_of_the_wrong_type_is_refused_when_composing() -> None:
    with pytest.raises(COMPOSE_ERRORS, match="servers"):
        compose_config(["scenario.channels.teller.servers=abc"])


@pytest.mark.parametrize(
    "override",
    ["scenario.channels.teller.bogus=1", "scenario.bogus=1", "run.bogus=1"],
    ids=["an unknown channel key", "an unknown scenario key", "an unknown run key"],
)
def test_an_unknown_key_is_refused_when_composing(override: str) -> None:
    with pytest.raises(COMPOSE_ERRORS, match="bogus"):
        compose_config([override])


def test_an_unknown_key_appended_with_plus_is_refused_before_simulating() -> None:
    with pytest.raises((*COMPOSE_ERRORS, ScenarioError)):
        compose_scenario(["+scenario.channels.teller.bogus=1"])
