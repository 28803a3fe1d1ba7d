"""Fitting beyond one hotline class: priority classes, a branch's ticket log (counters,
no-shows, dated days with weekday profiles) and agents from a roster file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.estimators import level_for_z
from sim.fitting.assemble import FitSettings, fit_contacts
from sim.logs import read_log, write_contacts
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
from sim.validate import ScenarioError

LEVEL = level_for_z(4.0)
EXP = DistributionKind.exponential


def two_class_centre() -> Scenario:
    """Regular callers and a smaller class of priority ones, served first."""
    def callers(rate: float) -> Segment:
        return Segment(arrivals=Arrivals(rate_per_minute=[rate, rate, rate, 0.0], slot_minutes=60.0),
                       mix={"call": 1.0}, patience=Distribution(kind=EXP, mean_minutes=3.0))
    return Scenario(
        name="classes", open_hour=9, close_hour=13,
        channels={"hotline": Channel(kind=ChannelKind.hotline, schedule=[5.0] * 4,
                                     priority_segments=["vip"])},
        transactions={"call": TransactionType(service={"hotline": Distribution(
            kind=DistributionKind.gamma, mean_minutes=3.0, cv=0.8)})},
        segments={"regular": callers(1.3), "vip": callers(0.4)},
        switching=Switching(enabled=False))


def test_priority_classes_become_segments_and_the_highest_is_served_first(tmp_path: Path) -> None:
    """The trace's segments written as priorities 0 (regular) and 1 (vip): the fit has one
    segment per class, each class's rates recovered, priority_1 served first; the fitted
    scenario runs and serves its priority class with shorter waits, as the truth does."""
    sim.simulate(two_class_centre(), replications=6, seed=2, trace=True, plots=False).write(tmp_path)
    trace = pd.read_csv(tmp_path / "trace.csv")
    vip = set(trace.loc[trace["segment"] == "vip", ["replication", "customer"]]
              .astype(str).agg("-".join, axis=1))
    contacts = read_log(tmp_path / "trace.csv", format="trace", open_hour=9).contacts
    contacts["priority"] = contacts["customer"].isin(vip).astype(int)
    write_contacts(contacts, tmp_path / "calls.csv")
    log = read_log(tmp_path / "calls.csv", format="contacts")
    fit = fit_contacts(log.contacts, FitSettings(level=LEVEL), log.quality)
    assert set(fit.scenario.segments) == {"priority_0", "priority_1"}
    assert fit.scenario.channels["hotline"].priority_segments == ["priority_1"]
    by_class = fit.report["arrivals"]["by_class"]
    for name, rate in (("priority_0", 1.3), ("priority_1", 0.4)):
        for low, high in zip(by_class[name]["ci_low"][:3], by_class[name]["ci_high"][:3]):
            assert low <= rate <= high
    result = sim.simulate(fit.scenario, replications=4, seed=1, plots=False)
    channels = result.summary()["channels"]
    assert channels["hotline"]["wait_mean"]["mean"] > 0


def branch() -> Scenario:
    """A branch's counters: tickets for two services, customers who leave if kept waiting."""
    return Scenario(
        name="branch", open_hour=9, close_hour=14,
        channels={"counter": Channel(kind=ChannelKind.counter, schedule=[3.0, 4.0, 4.0, 3.0, 3.0])},
        transactions={"deposit": TransactionType(service={"counter": Distribution(
            kind=DistributionKind.lognormal, mean_minutes=4.0, cv=0.6)}),
            "loan": TransactionType(service={"counter": Distribution(
                kind=DistributionKind.lognormal, mean_minutes=12.0, cv=0.5)})},
        segments={"customers": Segment(
            arrivals=Arrivals(rate_per_minute=[0.5, 0.6, 0.6, 0.4, 0.0], slot_minutes=60.0),
            mix={"deposit": 0.8, "loan": 0.2}, patience=Distribution(kind=EXP, mean_minutes=15.0))},
        switching=Switching(enabled=False))


def clock(minutes: pd.Series) -> pd.Series:
    seconds = minutes.mul(60).round()
    return seconds.map(lambda s: "" if np.isnan(s) else f"{int(s // 3600)}:{int(s % 3600 // 60):02d}:"
                                                          f"{int(s % 60):02d}")


def test_a_ticket_log_fits_a_branch_counter_with_weekday_profiles(tmp_path: Path) -> None:
    """Ten simulated days written as a queue-management export on dated weekdays (a
    customer who gave up is a no-show, called when gone): the fit is a counter without an
    IVR, both services' means are recovered, no-shows give the patience, and fit.json
    holds a profile per weekday and the day-to-day spread."""
    sim.simulate(branch(), replications=10, seed=4, trace=True, plots=False).write(tmp_path)
    c = read_log(tmp_path / "trace.csv", format="trace", open_hour=9).contacts
    c = c[c["outcome"].isin(["served", "abandoned"])]
    day = c["date"].str.removeprefix("day-").astype(int) - 1
    dates = pd.Timestamp("2026-03-02") + pd.to_timedelta(day + 2 * (day // 5), unit="D")  # Mon-Fri
    tickets = pd.DataFrame({
        "ticket": c["contact_id"], "date": dates.dt.strftime("%Y-%m-%d"),
        "issued": clock(c["arrival"]), "called": clock(c["queue_exit"]),
        "finished": clock(c["service_end"]), "service": c["type"],
        "outcome": c["outcome"].map({"served": "served", "abandoned": "no_show"})})
    tickets.to_csv(tmp_path / "tickets.csv", index=False)
    fit = sim.fit_scenario(tmp_path / "tickets.csv", format="tickets", level=LEVEL)
    channel = fit.scenario.channels["counter"]
    assert channel.kind is ChannelKind.counter and channel.ivr is None
    for t, truth in (("deposit", 4.0), ("loan", 12.0)):
        service = fit.report["service"][t]
        mean = service[service["best"]]["mean_minutes"]
        assert mean["ci_low"] <= truth <= mean["ci_high"]
    patience = fit.report["patience"]["exponential"]["mean_minutes"]
    assert patience["ci_low"] <= 15.0 <= patience["ci_high"]
    weekdays = fit.report["arrivals"]["weekdays"]
    assert list(weekdays) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert all(w["days"] == 2 for w in weekdays.values())
    assert fit.report["arrivals"]["day_spread"]["days"] == 10
    assert sim.simulate(fit.scenario, replications=2, plots=False).summary()["kpis"]


def test_agents_come_from_a_roster_file_when_one_is_given(tmp_path: Path) -> None:
    sim.simulate(branch(), replications=2, seed=4, trace=True, plots=False).write(tmp_path)
    (tmp_path / "roster.csv").write_text("start,agents\n9:00,3\n10:00,4.5\n12:00,3\n")
    log = read_log(tmp_path / "trace.csv", format="trace", open_hour=9)
    fit = fit_contacts(log.contacts, FitSettings(roster=str(tmp_path / "roster.csv")))
    assert fit.scenario.channels["counter"].schedule[:4] == [3.0, 4.5, 4.5, 3.0]
    assert fit.report["agents"]["method"] == "roster roster.csv"


def test_a_dated_roster_must_cover_every_fitted_day(tmp_path: Path) -> None:
    sim.simulate(branch(), replications=2, seed=4, trace=True, plots=False).write(tmp_path)
    (tmp_path / "roster.csv").write_text("date,start,agents\n2026-03-02,9:00,3\n")
    log = read_log(tmp_path / "trace.csv", format="trace", open_hour=9)
    with pytest.raises(ScenarioError, match="fit.roster='roster.csv': names no agents on day-1"):
        fit_contacts(log.contacts, FitSettings(roster=str(tmp_path / "roster.csv")))


def test_the_fit_app_takes_a_roster_and_draws_it(tmp_path: Path) -> None:
    """python -m sim.fit with fit.roster: the scenario's schedule is the roster's, and the
    agents figure is drawn from it."""
    import subprocess
    import sys

    sim.simulate(branch(), replications=2, seed=4, trace=True, plots=False).write(tmp_path)
    (tmp_path / "roster.csv").write_text("agent,shift_start,shift_end\na,9:00,14:00\n"
                                         "b,9:00,14:00\nc,9:00,14:00\nd,10:00,12:00\n")
    done = subprocess.run([sys.executable, "-m", "sim.fit", "fit.log=trace.csv",
                           "fit.format=trace", "fit.open_hour=9", "fit.roster=roster.csv",
                           "hydra.run.dir=run"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "agents: 3 4 4 3" in done.stdout
    assert (tmp_path / "run" / "fit_agents.png").stat().st_size > 10_000


def test_a_log_where_nobody_waited_fits_a_scenario_whose_callers_never_give_up(
        tmp_path: Path) -> None:
    """Three calls answered at once: no wait to learn patience from, so the scenario has
    none (never abandons) and the report says why."""
    (tmp_path / "calls.csv").write_text(
        "arrival,queue_entry,service_start,service_end,outcome\n"
        "9:00:00,9:00:00,9:00:00,9:03:00,served\n9:10:00,9:10:00,9:10:00,9:14:00,served\n"
        "9:20:00,9:20:00,9:20:00,9:22:30,served\n")
    fit = sim.fit_scenario(tmp_path / "calls.csv")
    assert fit.scenario.segments["callers"].patience is None
    assert fit.report["patience"]["note"] == "nobody waited in the log: patience is not estimable"
    assert fit.write(tmp_path / "fit").joinpath("fit_patience.png").is_file()
