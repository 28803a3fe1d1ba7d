"""The model end to end: schedules by exact trace, determinism, switching, kiosks, breakdowns."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from simpy.events import ProcessGenerator

from sim.engine.journey import journey
from sim.engine.model import Model
from sim.experiment import Estimate, ExperimentResult, estimate, run_experiment, simulate_replication
from sim.kpis import ReplicationResult, replication_result
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


def one_counter(schedule: list[float], service_minutes: float) -> Scenario:
    """A counter with a staffing schedule of 10-minute slots and no random arrivals."""
    return Scenario(
        name="schedule",
        channels={"counter": Channel(kind=ChannelKind.counter, schedule=schedule,
                                     schedule_slot_minutes=10)},
        transactions={"t": TransactionType(service={"counter": Distribution(
            kind=DistributionKind.deterministic, mean_minutes=service_minutes)})},
        segments={"s": Segment(arrivals=Arrivals(rate_per_minute=[0.0]), mix={"t": 1.0})},
        switching=Switching(enabled=False),
    )


def test_a_staffing_schedule_changes_servers_at_slot_boundaries_exactly() -> None:
    # 1 server in [0,10), 2 in [10,20), 0 in [20,30), then 1 again (the schedule repeats).
    # Service takes 6 minutes; customers arrive at 0, 1, 2, 3 and 21.
    scenario = one_counter([1, 2, 0, 1], 6.0)
    m = Model(scenario, RunSettings(horizon_minutes=40, replications=1, trace=True), 0)
    seg = m.segments[0]

    def arrive(at: float) -> ProcessGenerator:
        yield m.env.timeout(at)
        yield m.env.process(journey(m, seg, "t"))

    for at in (0, 1, 2, 3, 21):
        m.env.process(arrive(at))
    m.run()
    served = [(row[1], row[6], row[7]) for row in m.trace or [] if row[5] == "served"]
    # (customer, time served, wait): c0 starts at 0; c1 when c0 leaves at 6; c2 when the
    # second server arrives at 10; c3 when c1 leaves at 12.
    assert served == [(0, 6.0, 0.0), (1, 12.0, 5.0), (2, 16.0, 8.0), (3, 18.0, 9.0)]
    # The counter is closed at 21 (no staff), so the fifth customer finds no channel.
    assert m.journeys.flows[("s", "none", "lost")] == 1
    result = replication_result(m)
    # staff minutes: 1*10 + 2*10 + 0*10 + 1*10 = 40 over 40 minutes; busy 4 * 6 = 24
    assert result.channels["counter"]["mean_servers"] == pytest.approx(1.0)
    assert result.channels["counter"]["utilisation"] == pytest.approx(24 / 40)


def short_run(overrides: list[str]) -> tuple[Scenario, RunSettings]:
    return compose_scenario(["scenario=bank_branch", "run.replications=6", *overrides])


def paired_difference(a: list[float], b: list[float]) -> Estimate:
    """95% CI of the mean of b - a over replications run with the same seeds."""
    return estimate(y - x for x, y in zip(a, b))


def channel_values(result: ExperimentResult, channel: str, kpi: str) -> list[float]:
    return [r.channels[channel][kpi] for r in result.replications]


def test_switching_off_gives_no_switches() -> None:
    scenario, run = short_run(["scenario.switching.enabled=false"])
    result = run_experiment(scenario, run, progress=False)
    for r in result.replications:
        assert r.kpis["switch_rate"] == 0 and r.kpis["guided"] == 0
        for kpis in r.channels.values():
            assert kpis["switched_in"] == kpis["switched_out"] == kpis["guided_out"] == 0
        assert all(first == final or final == "lost" for first, final in r.flows)


def test_zero_kiosks_serve_nobody_and_the_kiosk_is_never_chosen() -> None:
    scenario, run = short_run(["scenario.channels.kiosk.servers=0"])
    result = run_experiment(scenario, run, progress=False)
    assert all(v == 0 for v in channel_values(result, "kiosk", "arrivals"))
    assert all(v == 0 for v in channel_values(result, "kiosk", "served"))


def test_kiosk_breakdowns_lower_kiosk_throughput() -> None:
    scenario, run = short_run(["scenario.channels.kiosk.servers=1",
                               "scenario.channels.kiosk.mtbf_minutes=100000"])
    reliable = run_experiment(scenario, run, progress=False)
    scenario, run = short_run(["scenario.channels.kiosk.servers=1",
                               "scenario.channels.kiosk.mtbf_minutes=40"])
    fragile = run_experiment(scenario, run, progress=False)
    diff = paired_difference(channel_values(reliable, "kiosk", "served"),
                             channel_values(fragile, "kiosk", "served"))
    assert diff.ci_high < 0  # fewer served with breakdowns, beyond noise


def test_more_tellers_give_shorter_teller_waits_and_lower_utilisation() -> None:
    base = run_experiment(*short_run([]), progress=False)
    more = run_experiment(*short_run(["scenario.channels.teller.schedule=[6,6,6,6,6,6,6,6,6,6]"]),
                          progress=False)
    assert paired_difference(channel_values(base, "teller", "wait_mean"),
                             channel_values(more, "teller", "wait_mean")).ci_high < 0
    assert paired_difference(channel_values(base, "teller", "utilisation"),
                             channel_values(more, "teller", "utilisation")).ci_high < 0


def test_a_lobby_guide_sends_customers_to_the_kiosk() -> None:
    without = run_experiment(*short_run(["scenario.lobby_guides.main_lobby.guides=0"]),
                             progress=False)
    with_guide = run_experiment(*short_run([]), progress=False)
    assert all(r.kpis["guided"] == 0 for r in without.replications)
    assert min(r.kpis["guided"] for r in with_guide.replications) > 0
    assert paired_difference(channel_values(without, "kiosk", "switched_in"),
                             channel_values(with_guide, "kiosk", "switched_in")).ci_low > 0


def test_an_online_outage_fails_every_attempt_during_it() -> None:
    scenario, run = short_run(["scenario.channels.online_banking.outages=[{start_minute: 0, "
                               "end_minute: 600}]"])
    result = run_experiment(scenario, run, progress=False)
    assert all(v == 0 for v in channel_values(result, "online_banking", "served"))
    assert min(channel_values(result, "online_banking", "failed")) > 0


def test_overlapping_outages_keep_a_channel_down_until_the_last_one_ends() -> None:
    """A short outage inside a long one must not bring the channel back up early."""
    scenario, run = short_run(["scenario.channels.online_banking.outages=[{start_minute: 0, "
                               "end_minute: 600}, {start_minute: 60, end_minute: 120}]"])
    result = run_experiment(scenario, run, progress=False)
    assert all(v == 0 for v in channel_values(result, "online_banking", "served"))


def test_a_failed_self_service_attempt_falls_back_to_a_staffed_channel() -> None:
    scenario, run = short_run(["scenario.transactions.bill_payment.success.kiosk=0.0",
                               "scenario.transactions.bill_payment.success.online_banking=0.0",
                               "scenario.lobby_guides.main_lobby.guides=0"])
    result = run_experiment(scenario, dataclasses.replace(run, trace=True), progress=False)
    r = result.replications[0]
    assert r.trace is not None
    events: dict[int, list[tuple[str, str]]] = {}
    for row in r.trace:
        events.setdefault(row[1], []).append((row[4], row[5]))  # (channel, event)
    fallbacks = 0
    for visits in events.values():
        for (_, event), (channel, following) in zip(visits, visits[1:]):
            if event == "failed":
                assert (channel, following) == ("teller", "arrive")
                fallbacks += 1
    assert fallbacks > 0


def test_satisfaction_lies_between_zero_and_one() -> None:
    result = run_experiment(*short_run([]), progress=False)
    for r in result.replications:
        assert 0 <= r.kpis["satisfaction"] <= 1


def test_different_seeds_give_different_results() -> None:
    a = run_experiment(*short_run(["run.seed=1"]), progress=False)
    b = run_experiment(*short_run(["run.seed=2"]), progress=False)
    assert a.replications[0].kpis != b.replications[0].kpis


def everything(result: ReplicationResult) -> dict[str, object]:
    """A replication's numbers: KPIs, channels, segments, hours and flows."""
    return {"kpis": result.kpis, "channels": result.channels, "segments": result.segments,
            "hourly": result.hourly, "flows": result.flows}


def test_replication_r_gives_the_same_results_whether_or_not_r_minus_1_ran_first() -> None:
    scenario, run = short_run([])
    last = run.replications - 1
    # first, before any other replication in this test: state a model left behind (a
    # module-level counter, cache or generator) would change it when run after the others
    alone = simulate_replication(Model(scenario, run, last))
    result = run_experiment(scenario, run, progress=False)  # 0, 1, ..., last in turn
    after_the_others = result.replications[last]
    assert after_the_others.replication == last
    np.testing.assert_equal(everything(after_the_others), everything(alone))  # NaN equals NaN
    # and run once more after them all: what ran before changes nothing either way
    np.testing.assert_equal(everything(simulate_replication(Model(scenario, run, last))),
                            everything(alone))
    journeys = [r.kpis["journeys"] for r in result.replications]
    assert len(set(journeys)) > 1  # each replication its own draws


def test_no_per_customer_records_are_kept_without_a_trace() -> None:
    scenario, run = short_run([])
    m = Model(scenario, run, 0)
    m.run()
    assert m.trace is None
    assert not math.isnan(replication_result(m).kpis["diversion_rate"])
