"""What a planner reads against their own reports: waits of served and of abandoned
callers apart, the share answered within each threshold, IVR completions and
server-served calls apart, each checked against the replication's own trace."""

from __future__ import annotations

import dataclasses
import math

import pytest

from sim.engine.context import TraceRow
from sim.experiment import run_experiment
from sim.kpis import ReplicationResult
from sim.validate import ScenarioError, validate_scenario
from tests.conftest import compose_scenario


def traced(overrides: list[str]) -> tuple[ReplicationResult, list[TraceRow]]:
    scenario, run = compose_scenario([*overrides, "run.replications=1",
                                      "run.horizon_minutes=480"])
    result = run_experiment(scenario, dataclasses.replace(run, trace=True), progress=False)
    replication = result.replications[0]
    assert replication.trace is not None
    return replication, replication.trace


def test_waits_of_served_and_abandoned_callers_and_thresholds_match_the_trace() -> None:
    # arrivals stop for the last 160 minutes, so every caller has left by the horizon and
    # the trace holds every wait the KPIs count
    r, trace = traced(["scenario=mmcm", "scenario.channels.hotline.service_level_thresholds=[0.3333,1.0]",
                "scenario.segments.callers.arrivals.rate_per_minute=[5.0,5.0,0.0]",
                "scenario.segments.callers.arrivals.slot_minutes=160"])
    served = [row[7] for row in trace if row[5] == "served"]
    abandoned = [row[7] for row in trace if row[5] == "abandoned"]
    assert len(served) > 100 and len(abandoned) > 20  # the run has both, in numbers
    kpis = r.channels["hotline"]
    assert kpis["wait_served_mean"] == pytest.approx(sum(served) / len(served), rel=1e-12)
    assert kpis["wait_abandoned_mean"] == pytest.approx(sum(abandoned) / len(abandoned),
                                                        rel=1e-12)
    joined = len(served) + len(abandoned)
    assert kpis["within_20s"] == sum(w <= 0.3333 for w in served) / joined
    assert kpis["within_60s"] == sum(w <= 1.0 for w in served) / joined
    # by hour, counted in the hour each caller arrived
    hourly = r.hourly["hotline"]
    assert sum(h * n for h, n in zip(hourly["wait_served_mean"],
                                     [a - b for a, b in zip(hourly["joined"],
                                                            hourly["abandoned"])])
               if n) == pytest.approx(sum(served), rel=1e-9)


def test_ivr_completions_and_server_served_calls_are_kept_apart() -> None:
    r, trace = traced(["scenario=telecom_hall"])
    ivr = sum(1 for row in trace if row[4] == "hotline" and row[5] == "served_ivr")
    by_server = sum(1 for row in trace if row[4] == "hotline" and row[5] == "served")
    assert ivr > 0 and by_server > 0
    kpis, hourly = r.channels["hotline"], r.hourly["hotline"]
    assert (kpis["served_ivr"], kpis["served_server"]) == (ivr, by_server)
    assert (sum(hourly["served_ivr"]), sum(hourly["served_server"])) == (ivr, by_server)


def test_thresholds_repeating_to_the_second_are_refused() -> None:
    scenario, _ = compose_scenario(["scenario=mmcm"])
    scenario.channels["hotline"].service_level_thresholds = [0.3333, 0.33334]
    with pytest.raises(ScenarioError) as error:
        validate_scenario(scenario)
    assert error.value.path == "scenario.channels.hotline.service_level_thresholds[1]"


def test_callers_reach_an_ivr_hotline_before_its_agents_start_and_wait_for_them() -> None:
    """No agent in the first hour: the IVR answers, the callers it does not complete queue
    for the agents who start at minute 60 (or abandon); none is lost as 'closed'."""
    schedule = "[0,12,12,12,11,10,10,9,8,7]"
    r, trace = traced(["scenario=utility_hotline", f"scenario.channels.hotline.schedule={schedule}",
                       "scenario.segments.residential.retry_probability=0.0"])
    early = {row[1] for row in trace if row[4] == "hotline" and row[5] == "arrive" and row[6] < 60}
    assert len(early) > 20  # the types only the hotline carries (the rest go online)
    served_early = [row for row in trace if row[1] in early and row[5] == "served"]
    assert served_early and all(row[6] > 60 for row in served_early)  # after agents start
    assert r.kpis["lost_closed"] == 0


def test_customers_who_find_nothing_open_are_lost_with_that_reason() -> None:
    """A counter closed for the first hour: every journey that started then found nothing
    open; the others all reached the counter (the trace's arrivals)."""
    r, trace = traced(["scenario=mmc", "scenario.channels.counter.servers=null",
                       "scenario.channels.counter.schedule=[0,5]",
                       "scenario.channels.counter.schedule_slot_minutes=60",
                       "scenario.segments.customers.arrivals.rate_per_minute=[4.0,4.0]",
                       "scenario.segments.customers.arrivals.slot_minutes=60"])
    reached = {row[1] for row in trace if row[5] == "arrive"}
    assert r.kpis["lost_closed"] > 100
    assert r.kpis["journeys"] - r.kpis["lost_closed"] == len(reached)
    assert all(row[6] >= 60 for row in trace if row[5] == "arrive")


def test_a_caller_who_abandons_rings_the_same_channel_back_after_the_redial_delay() -> None:
    """Every abandonment (with redial probability 1, attempts to spare and time left) is
    followed by an arrival of the same caller on the same channel exactly 5 minutes later;
    redials are counted apart from switches."""
    r, trace = traced(["scenario=mmcm", "scenario.segments.callers.redial_probability=1.0",
                       "scenario.segments.callers.redial_delay={kind: deterministic, "
                       "mean_minutes: 5.0}", "scenario.switching.max_attempts=3"])
    arrivals: dict[int, list[float]] = {}
    for row in trace:
        if row[5] == "arrive":
            arrivals.setdefault(row[1], []).append(row[6])
    visits: dict[int, int] = {}  # visits so far, per caller, in trace order
    redialled = 0
    for row in trace:
        if row[5] == "arrive":
            visits[row[1]] = visits.get(row[1], 0) + 1
        elif row[5] == "abandoned" and visits[row[1]] < 3 and row[6] + 5.0 < 480:
            assert any(abs(t - (row[6] + 5.0)) < 1e-9 for t in arrivals[row[1]]), row
            redialled += 1
    assert redialled > 50
    assert r.channels["hotline"]["redials"] == redialled
    assert r.channels["hotline"]["switched_in"] == 0 and r.kpis["switch_rate"] == 0


def test_service_and_patience_vary_by_slot_by_their_factors() -> None:
    """Deterministic service (1 minute) and patience (0.5 minute) with factors [1, 3] and
    [1, 4] over two 60-minute slots: every service lasts 1 or 3 minutes and every
    abandonment comes after 0.5 or 2 minutes, by the slot it started or queued in."""
    det = "{kind: deterministic, mean_minutes: %s, rate_per_minute: null}"
    r, trace = traced(["scenario=mmcm", "scenario.servers=3",
                       f"scenario.transactions.call.service.hotline={det % 1.0}",
                       f"scenario.segments.callers.patience={det % 0.5}",
                       "scenario.channels.hotline.schedule_slot_minutes=60",
                       "scenario.channels.hotline.service_factors=[1.0,3.0]",
                       "scenario.segments.callers.arrivals.rate_per_minute=[2.5,2.5]",
                       "scenario.segments.callers.arrivals.slot_minutes=60",
                       "scenario.segments.callers.patience_factors=[1.0,4.0]"])
    arrived = {row[1]: row[6] for row in trace if row[5] == "arrive"}  # one visit each
    served = [(arrived[row[1]] + row[7], row[6]) for row in trace if row[5] == "served"]
    assert len(served) > 100
    for start, end in served:  # no IVR: service starts at arrival + wait
        assert end - start == pytest.approx(1.0 if (start // 60) % 2 == 0 else 3.0, abs=1e-9)
    abandoned = [(arrived[row[1]], row[7]) for row in trace if row[5] == "abandoned"]
    assert len(abandoned) > 20
    for joined, wait in abandoned:
        assert wait == pytest.approx(0.5 if (joined // 60) % 2 == 0 else 2.0, abs=1e-9)


def test_the_trace_gives_each_visit_its_queue_entry_and_service_start() -> None:
    """Served: the service started when the wait ended (entry + wait) and the row is
    written when it ends; abandoned: joined, never started; the IVR's completions never
    joined. Queue entry comes after arrival by the IVR's time."""
    _, trace = traced(["scenario=telecom_hall"])
    arrived: dict[tuple[int, str], float] = {}
    checked = {"served": 0, "abandoned": 0, "served_ivr": 0}
    for row in trace:
        customer, channel, event, now, wait, entry, start = (row[1], row[4], row[5], row[6],
                                                              row[7], row[8], row[9])
        if event == "arrive":
            arrived[(customer, channel)] = now
            continue
        if channel != "hotline" or event not in checked:
            continue
        checked[event] += 1
        if event == "served_ivr":
            assert math.isnan(entry) and math.isnan(start)
            continue
        assert entry >= arrived[(customer, channel)]  # after the IVR
        if event == "served":
            assert start == pytest.approx(entry + wait, abs=1e-9) and now >= start
        else:
            assert math.isnan(start) and now == pytest.approx(entry + wait, abs=1e-9)
    assert min(checked.values()) >= 5  # 938 served, 6 abandoned, 819 in the IVR (seeded)


def test_a_fractional_schedule_gives_that_time_average_of_servers() -> None:
    """Agents [2.5, 1.25] an hour: the simulated time-average of servers present is the
    schedule, hour by hour and over the run (the pool follows the realised changes)."""
    r, _ = traced(["scenario=mmc", "scenario.channels.counter.servers=null",
                   "scenario.channels.counter.schedule=[2.5,1.25]",
                   "scenario.channels.counter.schedule_slot_minutes=60",
                   "scenario.segments.customers.arrivals.rate_per_minute=[1.0,1.0]",
                   "scenario.segments.customers.arrivals.slot_minutes=60"])
    servers = r.hourly["counter"]["servers"]
    assert servers == pytest.approx([2.5, 1.25] * 4, abs=1e-9)  # 480 minutes: the day, 4 times
    assert r.channels["counter"]["mean_servers"] == pytest.approx(1.875, abs=1e-9)
