"""The year plan as a strategy team runs it (`python -m optimize optimize.objective=year_plan`)
and the months-mode pieces it rests on: calendars, contact caps, e-channels, segment KPIs."""

from __future__ import annotations

import copy
import csv
import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

import sim
from optimize.settings import Risk, YearSettings, YearTargets
from optimize.year.estimate import with_calendar
from sim.months.model import Months, apply_capacity_steps, represented_customers, run_months
from sim.scenario import RunSettings
from sim.validate import ScenarioError, validate_scenario
from tests.conftest import ROOT

SMALL = ["scenario=telecom_year", "optimize.objective=year_plan", "run.months=4",
         "run.customers=2000", "run.replications=2", "optimize.check_replications=2",
         "optimize.year.iterations=1", "optimize.risk.samples=0", "run.plots=true"]


def run_optimize(args: list[str], out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "optimize", f"hydra.run.dir={out}", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path) as f:
        return list(csv.DictReader(f))


def test_a_year_plan_writes_its_calendar_trajectories_and_odds(tmp_path: Path) -> None:
    done = run_optimize([*SMALL, "optimize.targets.e_channel_share=0.47"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "year plan (min_spend)" in done.stdout
    calendar = read_csv(tmp_path / "year_plan.csv")
    assert calendar and list(calendar[0]) == ["month", "campaign", "segment", "contacts", "channel",
                                           "servers_added", "spend"]
    scenario = sim.load_scenario("telecom_year")
    for row in calendar:
        unit = scenario.campaigns[row["campaign"]].unit_cost
        assert float(row["spend"]) == pytest.approx(int(row["contacts"]) * unit)
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["spend"]["total"] == pytest.approx(sum(float(r["spend"]) for r in calendar))
    assert set(plan["p_target_met"]) == {"mean", "ci_low", "ci_high"}
    assert plan["targets"] == [{"kpi": "e_channel_share", "month": 4, "value": 0.47}]
    trajectory = read_csv(tmp_path / "trajectory.csv")
    assert {r["plan"] for r in trajectory} == {"year_plan", "even_spread", "no_contacts"}
    assert len(trajectory) == 3 * 4 * 2  # plans x months x KPIs
    target_rows = [r for r in trajectory if r["target"]]
    assert {(r["plan"], r["month"], r["kpi"]) for r in target_rows} == {
        (p, "4", "e_channel_share") for p in ("year_plan", "even_spread", "no_contacts")}
    assert (tmp_path / "year_plan.png").stat().st_size > 0


def test_an_unreachable_target_names_the_binding_limit_and_exits_2(tmp_path: Path) -> None:
    done = run_optimize([*SMALL, "optimize.targets.penetration=0.95"], tmp_path)
    lines = [line for line in done.stderr.splitlines()
             if line.strip() and not line.startswith("months:")]
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "with every campaign at its limits, penetration at month 4 reaches" in lines[0]
    assert "binding: " in lines[0]
    assert not (tmp_path / "plan.json").exists()


@pytest.mark.parametrize("override, line", [
    ("optimize.year.goal=max_share",
     "error: optimize.year.budget=None: max_share needs a budget"),
    ("optimize.targets.month=13",
     "error: optimize.targets.month=13: a month of the plan: 1 to run.months (4)"),
    ("optimize.year.spend_bounds=[1.5,0.7]",
     "error: optimize.year.spend_bounds=[1.5, 0.7]: [low, high] with 0 <= low <= high"),
    ("optimize.year.capacity.web=[0,2]",
     "error: optimize.year.capacity.web=[0, 2]: capacity steps are for a counter, kiosk or "
     "hotline of the scenario"),
    ("optimize.year.capacity.counter=[-4,2]",
     "error: optimize.year.capacity.counter=[-4, 2]: leaves no server in an open hour (fewest "
     "today: 4)"),
    ("optimize.year.capacity.terminal=[1,2]",
     "error: optimize.year.capacity.terminal=[1, 2]: [low, high]: whole servers added, "
     "low <= 0 <= high"),
])
def test_a_bad_year_setting_gives_one_line_naming_it(override: str, line: str,
                                                     tmp_path: Path) -> None:
    done = run_optimize([*SMALL, "optimize.targets.e_channel_share=0.5", override], tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == line


def small_run(**changes: Any) -> RunSettings:
    return dataclasses.replace(RunSettings(months=3, customers=1500, replications=1,
                                           plots=False), **changes)


def test_a_calendar_contacts_as_many_as_it_says_within_the_per_customer_cap() -> None:
    scenario = sim.load_scenario("telecom_year")
    campaign = scenario.campaigns["outbound_calls"]  # at most 2 calls per customer
    campaign.calendar = {"prepaid": [150, 150, 150]}
    months = Months(scenario, small_run(), 0)
    prepaid = int(np.sum(months.population.segment == months.segments.index("prepaid")))
    # 150 of the customers the population stands for: 150 / scale simulated ones, rounded
    draw = round(150 / months.scale)
    assert months.scale == pytest.approx(43300 / 1500)
    for m in range(3):
        record = months.month(m)
        # every campaign but this one has no calendar nor contacts_per_month in this world
        assert record.kpis["contacted"] == round(
            min(draw, max(0, 2 * prepaid - draw * m)) * months.scale)
    assert months.contacted["outbound_calls"].max() <= 2
    assert months.contacted["outbound_calls"].sum() == min(3 * draw, 2 * prepaid)


def test_network_kpis_are_the_segments_weighted() -> None:
    result = run_months(sim.load_scenario("telecom_year"), small_run(), progress=False)
    for record in result.replications[0]:
        by = record.segments
        done = sum(s["transactions"] for s in by.values())
        share = sum(s["transactions"] * s["e_channel_share"] for s in by.values()
                    if s["transactions"]) / done
        customers = sum(s["customers"] for s in by.values())
        penetration = sum(s["customers"] * s["penetration"] for s in by.values()) / customers
        assert record.kpis["e_channel_share"] == pytest.approx(share, abs=1e-12)
        assert record.kpis["penetration"] == pytest.approx(penetration, abs=1e-12)


def test_a_hotline_listed_as_an_e_channel_counts_the_calls_its_ivr_completes() -> None:
    scenario = sim.load_scenario("telecom_year")
    with_ivr = run_months(scenario, small_run(), progress=False)
    without = dataclasses.replace(scenario, adoption=dataclasses.replace(
        scenario.adoption, e_channels=[c for c in scenario.adoption.e_channels if c != "hotline"]))
    plain = run_months(without, small_run(), progress=False)
    for m in range(3):
        a, b = with_ivr.replications[0][m].kpis, plain.replications[0][m].kpis
        # the same customers and choices (the IVR draws have a stream of their own); more
        # of their completed transactions count
        assert a["transactions"] == b["transactions"]
        assert a["e_channel_share"] > b["e_channel_share"] + 0.05
        assert a["penetration"] >= b["penetration"]


def test_a_staffed_e_channel_without_an_ivr_is_refused() -> None:
    scenario = sim.load_scenario("telecom_year")
    scenario.adoption.e_channels = ["sms", "counter"]
    with pytest.raises(ScenarioError, match=r"adoption.e_channels\[1\]='counter'"):
        validate_scenario(scenario)


def test_the_api_plans_a_year_and_writes_the_command_lines_files(tmp_path: Path) -> None:
    import optimize

    plan = optimize.year_plan(sim.load_scenario("telecom_year"), e_channel_share=0.47,
                              run=small_run(months=3, replications=2), check_replications=2,
                              year=YearSettings(iterations=1), risk=Risk(samples=0))
    summary = plan.to_dict()
    assert summary["status"] in ("converged", "simulated_feasible")
    assert summary["simulated"]["e_channel_share"]["mean"] >= 0.47
    plan.write(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"year_plan.csv", "trajectory.csv",
                                                    "plan.json"}  # plots=False


def test_the_api_refuses_a_bad_target_in_one_line() -> None:
    import optimize

    with pytest.raises(ScenarioError, match=r"optimize.targets.e_channel_share=1.5"):
        optimize.year_plan(sim.load_scenario("telecom_year"), e_channel_share=1.5,
                           run=small_run())


def month_share_gaps(decay: float) -> np.ndarray:
    """Per population: month-6 e-channel share of an SMS push front-loaded in months 1-2
    minus the same contacts spread evenly over the 6 months (paired: the same seeds, and
    contacts draw from a stream of their own), in a world of strong habits (learning rate
    2.5) with the given decay."""
    scenario = sim.load_scenario("telecom_year")
    learning = dataclasses.replace(scenario.adoption.learning, rate=2.5, decay_per_month=decay)
    scenario = dataclasses.replace(scenario, adoption=dataclasses.replace(
        scenario.adoption, learning=learning))
    run = small_run(months=6, customers=3000, replications=6)
    n = round(650 * represented_customers(scenario) / 3000)  # 650 simulated customers
    front = {("sms_push", "mass_market"): [3 * n, 3 * n, 0, 0, 0, 0]}
    even = {("sms_push", "mass_market"): [n] * 6}
    a = run_months(with_calendar(scenario, front), run, progress=False)
    b = run_months(with_calendar(scenario, even), run, progress=False)
    return np.array([x[5].kpis["e_channel_share"] - y[5].kpis["e_channel_share"]
                     for x, y in zip(a.replications, b.replications)])


def t_interval(x: np.ndarray) -> tuple[float, float]:
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return x.mean() - half, x.mean() + half


def test_front_loading_beats_the_even_spread_when_habits_persist_and_less_when_they_fade(
        ) -> None:
    lasting, fading = month_share_gaps(0.0), month_share_gaps(0.6)
    low, _ = t_interval(lasting)
    assert low > 0  # front-loaded ahead at month 6, the paired CI excluding 0
    low, _ = t_interval(lasting - fading)
    assert low > 0  # and by less when an unused channel's habit fades fast


def test_a_plan_at_confidence_0_8_meets_its_targets_in_80_percent_of_fresh_worlds() -> None:
    import optimize

    # a target near what every campaign at its limits reaches (0.64 here): the even spread
    # of the same money misses it in about half the worlds
    plan = optimize.year_plan(sim.load_scenario("telecom_year"), e_channel_share=0.60,
                              run=small_run(months=4, customers=1500, replications=2),
                              check_replications=2, year=YearSettings(iterations=2),
                              risk=Risk(confidence=0.8, samples=10, confidences=[0.5, 0.8]))
    fresh = plan.odds["plan_uncertain"]  # worlds drawn from a seed the plan never saw
    assert fresh.ci_high >= 0.8, fresh
    spends = [row["spend"] for row in plan.frontier]
    assert spends == sorted(spends)
    assert plan.frontier[1]["spend"] == pytest.approx(sum(plan.spend()))


def test_a_year_plan_with_capacity_steps_writes_them_and_each_months_service_level(
        tmp_path: Path) -> None:
    done = run_optimize([*SMALL, "optimize.targets.e_channel_share=0.47",
                         "optimize.year.capacity.counter=[-1,1]",
                         "optimize.year.capacity.terminal=[0,2]"], tmp_path)
    assert done.returncode == 0, done.stderr
    plan = json.loads((tmp_path / "plan.json").read_text())
    rows = read_csv(tmp_path / "year_plan.csv")
    steps = [r for r in rows if r["channel"]]
    # a server-month costs the channel's hourly cost x its open hours x 30 days
    cost = {"counter": 30.0 * 10 * 30, "terminal": 1.5 * 10 * 30}
    for r in steps:
        assert r["campaign"] == "" and r["contacts"] == ""
        assert float(r["spend"]) == pytest.approx(int(r["servers_added"]) * cost[r["channel"]])
    assert plan["spend"]["capacity"] == pytest.approx(sum(float(r["spend"]) for r in steps))
    assert plan["spend"]["total"] == pytest.approx(sum(float(r["spend"]) for r in rows))
    service = [r for r in read_csv(tmp_path / "trajectory.csv")
               if r["kpi"] == "service_level.counter"]
    assert [r["month"] for r in service] == ["1", "2", "3", "4"]
    for r in service:  # the model keeps the counter at its target every month
        assert float(r["target"]) == 0.8
        assert float(r["predicted"]) >= 0.8 - 1e-9
        assert 0 <= float(r["simulated_mean"]) <= 1


def test_capacity_steps_add_servers_from_their_month_on() -> None:
    scenario = sim.load_scenario("telecom_year")
    scenario.adoption.capacity_steps = {"terminal": [0, 3], "counter": [0, 0, -1]}
    validate_scenario(scenario)
    months = Months(scenario, small_run(months=4), 0)
    servers = []
    for m in range(4):
        shifted = copy.deepcopy(scenario)
        apply_capacity_steps(shifted, m)
        servers.append((shifted.channels["terminal"].servers, shifted.channels["counter"].schedule))
    base = scenario.channels["counter"].schedule
    assert servers == [(2, base), (5, base), (5, [x - 1 for x in base]),
                       (5, [x - 1 for x in base])]
    # the kiosk queue of the representative day shortens once the machines are in
    index = months.channels.index("terminal")
    before, after = months.conditions(0), months.conditions(1)
    assert after.wait_mean[index] < before.wait_mean[index]


def test_capacity_steps_that_leave_a_channel_without_servers_are_refused() -> None:
    scenario = sim.load_scenario("telecom_year")
    scenario.adoption.capacity_steps = {"terminal": [0, -2]}
    with pytest.raises(ScenarioError, match=r"adoption.capacity_steps.terminal=\[0, -2\]: "
                                            r"leaves no server in an open hour"):
        validate_scenario(scenario)


def test_a_year_plan_without_targets_takes_the_scenarios_own() -> None:
    stated = sim.load_scenario("telecom_year").adoption.targets
    assert stated == {"e_channel_share": 0.55, "penetration": 0.70}
    filled = YearTargets().or_scenarios(stated)
    assert (filled.e_channel_share, filled.penetration) == (0.55, 0.70)
    given = YearTargets(penetration=0.66)  # any target given: the scenario's are not mixed in
    assert given.or_scenarios(stated) == given
    assert YearTargets().or_scenarios({}) == YearTargets()  # none anywhere: refused later
