"""webapp.paired and webapp.levers: paired differences computed by hand, and the
overrides levers make."""

from __future__ import annotations

import math

import pytest

import sim
from webapp.levers import format_value, lever_of_error, overrides, scenario_levers
from webapp.paired import paired_difference


def test_the_paired_interval_is_students_t_on_the_differences() -> None:
    """Differences 1, 2, 3: mean 2, sd 1, t(0.975, 2) = 4.302653: 2 -/+ 4.302653 / sqrt(3)."""
    mean, low, high = paired_difference([10.0, 10.0, 10.0], [11.0, 12.0, 13.0])
    half = 4.302652729749464 / math.sqrt(3)
    assert (mean, low, high) == pytest.approx((2.0, 2.0 - half, 2.0 + half))


def test_identical_runs_differ_by_exactly_zero() -> None:
    assert paired_difference([1.0, 2.0, 5.0], [1.0, 2.0, 5.0]) == (0.0, 0.0, 0.0)


def test_levers_read_the_scenario_and_only_moved_ones_become_overrides() -> None:
    scenario = sim.load_scenario("bank_branch")
    levers = {lever.key: lever for lever in scenario_levers(scenario)}
    assert levers["channels.kiosk.servers"].value == 3
    assert levers["channels.teller.schedule"].value == scenario.channels["teller"].schedule
    assert levers["close_hour"].value == 18  # the 10-hour day from 08:00
    moved = {"channels.kiosk.servers": 0, "switching.enabled": False,
             "channels.teller.schedule": [4.0, 5.0, 5.0, 5.0, 4.0, 4.0, 5.0, 5.0, 5.0, 5.0],
             "close_hour": 18.0}
    assert overrides(list(levers.values()), moved) == [
        "channels.teller.schedule=[4,5,5,5,4,4,5,5,5,5]", "channels.kiosk.servers=0",
        "switching.enabled=false"]
    changed = sim.load_scenario("bank_branch", overrides(list(levers.values()), moved))
    assert changed.channels["kiosk"].servers == 0 and not changed.switching.enabled


def test_planned_outages_are_a_lever_that_clears_them() -> None:
    levers = scenario_levers(sim.load_scenario("bank_branch"))
    (outages,) = [lever for lever in levers if lever.key == "channels.online_banking.outages"]
    assert outages.kind == "keep" and "240-270" in outages.label
    assert overrides(levers, {outages.key: False}) == ["channels.online_banking.outages=[]"]
    changed = sim.load_scenario("bank_branch", overrides(levers, {outages.key: False}))
    assert changed.channels["online_banking"].outages == []


def test_an_errors_path_finds_its_lever() -> None:
    levers = scenario_levers(sim.load_scenario("bank_branch"))
    lever = lever_of_error(levers, "scenario.channels.teller.schedule[3]")
    assert lever is not None and lever.key == "channels.teller.schedule"
    assert lever_of_error(levers, "scenario.segments.retail.mix") is None
    assert format_value(None) == "null" and format_value(2.5) == "2.5"
