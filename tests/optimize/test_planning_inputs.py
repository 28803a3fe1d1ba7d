"""The planning model's inputs come from the rules the simulator applies: the calls that
reach agents, the callers' patience as they abandon, the world at the planned staff."""

from __future__ import annotations

import math

import pytest

from optimize.baseline import planning_baseline, required_schedules
from optimize.data import build_planning_data, service_level
from optimize.settings import OptimizeSettings
from sim import theory
from sim.distributions import survival
from sim.experiment import run_experiment
from sim.scenario import (
    Arrivals,
    Channel,
    ChannelKind,
    Distribution,
    DistributionKind,
    RunSettings,
    Scenario,
    Segment,
    Switching,
    TransactionType,
)
from tests.conftest import compose_scenario


def hotline_world(agents: int = 12) -> Scenario:
    """One segment calling a hotline whose IVR ends every short call: agents take only
    the long ones (5 min), while the mix's mean service is 3 min."""
    return Scenario(
        name="ivr",
        channels={"hotline": Channel(kind=ChannelKind.hotline, servers=agents,
                                     ivr=Distribution(kind=DistributionKind.deterministic,
                                                      mean_minutes=0.5),
                                     ivr_completion={"short": 1.0})},
        transactions={
            "short": TransactionType(service={"hotline": Distribution(mean_minutes=1.0)}),
            "long": TransactionType(service={"hotline": Distribution(
                kind=DistributionKind.gamma, mean_minutes=5.0, cv=0.5)})},
        segments={"all": Segment(arrivals=Arrivals(rate_per_minute=[3.0]),
                                 mix={"short": 0.5, "long": 0.5})},
        switching=Switching(enabled=False),
    )


def test_agents_are_planned_with_the_service_of_the_calls_that_reach_them() -> None:
    run = RunSettings(horizon_minutes=240, replications=4, seed=3)
    data = build_planning_data(hotline_world(), run_experiment(hotline_world(), run, progress=False),
                               OptimizeSettings())
    # about 360 long calls per slot and replication: the standard error of the pooled
    # mean of gamma(5, cv 0.5) service is 2.5 / sqrt(1440) = 0.066 minutes; 4 of them
    for slot in data.staffed:
        assert slot.mean_service_minutes == pytest.approx(5.0, abs=0.27)  # not the mix's 3.0
        # squared coefficient of variation 0.25, within its sampling error
        assert slot.service_scv == pytest.approx(0.25, abs=0.06)


def test_an_exponential_patience_gives_erlang_a_its_own_rate() -> None:
    patience = Distribution(mean_minutes=4.0)
    assert theory.patience_rate_within(survival(patience, 0.5), 0.5) == pytest.approx(0.25)
    assert theory.patience_rate_within(survival(patience, 3.0), 3.0) == pytest.approx(0.25)


def test_a_lognormal_patience_abandons_almost_no_one_within_a_short_target() -> None:
    # lognormal, mean 10 min, cv 0.6: P(patience <= 1 min) = Phi((ln 1 - mu) / sigma)
    sigma = math.sqrt(math.log(1 + 0.36))
    mu = math.log(10) - sigma**2 / 2
    abandon_within = 0.5 * math.erfc(-(0 - mu) / sigma / math.sqrt(2))
    patience = Distribution(kind=DistributionKind.lognormal, mean_minutes=10, cv=0.6)
    assert 1 - survival(patience, 1.0) == pytest.approx(abandon_within, rel=1e-9)
    assert theory.patience_rate_within(survival(patience, 1.0), 1.0) < 1e-3


def test_less_variable_service_answers_more_callers_within_target() -> None:
    exponential = service_level(10, 1.5, 6.0, 0.0, 1.0, scv=1.0)
    assert exponential == pytest.approx(theory.mmc_service_level(10, 1.5, 1 / 6.0, 1.0))
    assert service_level(10, 1.5, 6.0, 0.0, 1.0, scv=0.25) == pytest.approx(
        theory.mmc_service_level(10, 1.5, 1 / 6.0, 1.0 * 2 / 1.25))


def test_the_planning_baseline_is_simulated_at_the_staff_its_load_needs() -> None:
    scenario, run = compose_scenario(["scenario=utility_hotline", "run.replications=4"])
    baseline, data = planning_baseline(scenario, run, OptimizeSettings(), progress=False)
    needed = required_schedules(data)["hotline"]
    assert needed != scenario.channels["hotline"].schedule  # today's agents are too few
    simulated = baseline.scenario.channels["hotline"].schedule
    # at most one agent per hour from what the load measured at those staff needs
    assert all(abs(a - b) <= 1 for a, b in zip(simulated, needed))
    assert all(s.base_staff == today for s, today in
               zip(data.staffed, scenario.channels["hotline"].schedule))  # today's cost stays
