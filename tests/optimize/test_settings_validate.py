"""optimize.validate: settings the planning model cannot read are refused naming their path."""

from __future__ import annotations

import math

import pytest

from optimize.settings import OptimizeSettings, Shift
from optimize.validate import planning_slots, validate_settings, validate_shifts
from sim.scenario import RunSettings
from sim.validate import ScenarioError
from tests.conftest import compose_scenario


def refused_shifts(shifts: list[Shift], n_slots: int = 10) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        validate_shifts(shifts, n_slots)
    return info.value


def test_the_planned_slots_are_the_horizon_in_hours_rounded_up() -> None:
    assert planning_slots(RunSettings(horizon_minutes=600)) == 10
    assert planning_slots(RunSettings(horizon_minutes=601)) == 11


def test_a_shift_longer_than_the_planned_day_is_refused() -> None:
    err = refused_shifts([Shift(name="long", length_slots=12)])
    assert str(err) == ("optimize.shifts[0].length_slots=12: must lie in 1..10, the 60-minute "
                        "slots of run.horizon_minutes")


def test_a_shift_start_from_which_it_would_run_past_the_day_is_refused() -> None:
    err = refused_shifts([Shift(name="late", length_slots=4, starts=[0, 6, 7])])
    assert (err.path, err.value) == ("optimize.shifts[0].starts[2]", 7)
    assert str(err).endswith("a 4-slot shift starts in 0..6 to end by slot 10 "
                             "(the end of run.horizon_minutes)")


def test_a_negative_shift_start_is_refused_even_without_a_planned_day() -> None:
    with pytest.raises(ScenarioError) as info:
        validate_shifts([Shift(length_slots=4, starts=[-1])], None)
    assert str(info.value) == "optimize.shifts[0].starts[0]=-1: slots count from 0"


def test_two_shifts_of_one_name_are_refused() -> None:
    err = refused_shifts([Shift(name="a", length_slots=4), Shift(name="a", length_slots=6)])
    assert str(err) == "optimize.shifts[1].name='a': another shift has this name"


def test_shifts_that_fit_the_day_pass() -> None:
    validate_shifts([Shift(name="full", length_slots=10), Shift(name="half", length_slots=5,
                                                                  starts=[0, 5])], 10)


@pytest.mark.parametrize("settings, field, value", [
    (OptimizeSettings(budget=math.inf), "budget", math.inf),
    (OptimizeSettings(gap=math.nan), "gap", math.nan)])
def test_a_non_finite_setting_is_refused(settings: OptimizeSettings, field: str, value: float
                                         ) -> None:
    scenario, run = compose_scenario(["run.replications=2"])
    with pytest.raises(ScenarioError) as info:
        validate_settings(settings, scenario, run)
    assert str(info.value) == f"optimize.{field}={value!r}: must be a finite number"


def test_an_infinite_frontier_budget_is_refused_naming_its_index() -> None:
    scenario, run = compose_scenario([])
    settings = OptimizeSettings(frontier_budgets=[0.0, math.inf])
    with pytest.raises(ScenarioError) as info:
        validate_settings(settings, scenario, run)
    assert info.value.path == "optimize.frontier_budgets[1]"


def test_a_negative_node_limit_is_refused_and_none_or_zero_pass() -> None:
    scenario, run = compose_scenario([])
    with pytest.raises(ScenarioError) as info:
        validate_settings(OptimizeSettings(node_limit=-1), scenario, run)
    assert str(info.value) == "optimize.node_limit=-1: must be >= 0 (null: no limit)"
    validate_settings(OptimizeSettings(node_limit=None), scenario, run)
    validate_settings(OptimizeSettings(node_limit=0), scenario, run)
