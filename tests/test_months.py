"""Months of a learning population: stationarity, habit, failure, and the counters."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from sim.months.model import (
    CHURN_MONTHS,
    Months,
    MonthsResult,
    represented_customers,
    run_months,
)
from sim.scenario import (
    Adoption,
    Arrivals,
    Channel,
    ChannelKind,
    Distribution,
    DistributionKind,
    Learning,
    Mode,
    RunSettings,
    Scenario,
    Segment,
    TransactionType,
)

MONTHS = 6
Z = 4.0


def town(web_success: float = 1.0, learning: bool = True, counters: int = 1) -> Scenario:
    """A counter that queues at its busiest and a web channel, one segment."""
    exp = DistributionKind.exponential
    return Scenario(
        name="town",
        channels={"counter": Channel(kind=ChannelKind.counter, servers=counters),
                  "web": Channel(kind=ChannelKind.online, effort=0.3)},
        transactions={"pay": TransactionType(
            service={"counter": Distribution(kind=exp, mean_minutes=3.0),
                     "web": Distribution(kind=exp, mean_minutes=1.0)},
            success={"web": web_success})},
        segments={"residents": Segment(
            arrivals=Arrivals(rate_per_minute=[0.45], slot_minutes=60.0), mix={"pay": 1.0},
            preference={"counter": 0.5, "web": 0.0}, wait_sensitivity_per_minute=0.05)},
        adoption=Adoption(transactions_per_month={"residents": 2.0}, score_sd=0.5,
                          learning=Learning(enabled=learning)),
    )


def run(scenario: Scenario, replications: int = 6, customers: int = 3000, trace: bool = False
        ) -> MonthsResult:
    settings = RunSettings(horizon_minutes=240, replications=replications, seed=5, plots=False,
                           mode=Mode.months,
                           months=MONTHS, customers=customers, trace=trace)
    return run_months(scenario, settings, progress=False)


def shares(result: MonthsResult) -> np.ndarray:
    return np.array([result.kpi(m, "e_channel_share").mean for m in range(MONTHS)])


def noise(result: MonthsResult, month: int) -> float:
    """Standard error of a month's mean share over the replications (independent
    populations): choice noise and the month's representative-day waits both count."""
    values = [r[month].kpis["e_channel_share"] for r in result.replications]
    return float(np.std(values, ddof=1) / math.sqrt(len(values)))


def test_without_learning_the_monthly_shares_are_stationary() -> None:
    result = run(town(learning=False))
    s = shares(result)
    for m in range(MONTHS):
        assert abs(s[m] - s.mean()) <= Z * noise(result, m), (m, s)
    assert 0.2 < s.mean() < 0.8  # both channels in use: the test is not vacuous


def test_with_learning_a_reliable_cheap_channel_gains_share_month_over_month() -> None:
    result = run(town())
    s = shares(result)
    gain = s[-1] - s[0]
    assert gain > Z * math.hypot(noise(result, 0), noise(result, MONTHS - 1)), s
    assert all(b > a - Z * noise(result, m) for m, (a, b) in enumerate(zip(s, s[1:]))), s
    assert result.kpi(MONTHS - 1, "satisfaction").mean > result.kpi(0, "satisfaction").mean


def test_a_channel_failing_half_its_visits_loses_share() -> None:
    result = run(town(web_success=0.5, counters=3))  # the counter rarely queues
    s = shares(result)
    assert s[0] - s[-1] > Z * math.hypot(noise(result, 0), noise(result, MONTHS - 1)), s
    web = [result.active(m, "web").mean for m in range(MONTHS)]
    assert web[-1] < web[0], web


def test_churn_and_penetration_agree_with_a_recount_of_every_journey() -> None:
    months = Months(town(), RunSettings(horizon_minutes=240, replications=1, seed=9, plots=False,
                                        months=MONTHS, customers=800), 0)
    records = [months.month(m, trace=True) for m in range(MONTHS)]
    e_channel = {1}  # the web, by channel index
    n = 800
    used = np.zeros((MONTHS, n), dtype=bool)
    for m, rec in enumerate(records):
        j = rec.journeys
        assert j is not None
        visited_e = np.isin(j["first"], list(e_channel)) | np.isin(j["final"], list(e_channel))
        for customer in j["customer"][visited_e]:
            used[m, customer] = True
    for m, rec in enumerate(records):
        assert rec.kpis["penetration"] == pytest.approx(used[m].mean())
        assert rec.kpis["penetration_cumulative"] == pytest.approx(used[:m + 1].any(axis=0).mean())
        if m < CHURN_MONTHS:
            assert math.isnan(rec.kpis["churned"])
            continue
        churned = sum(1 for c in range(n) if used[m - CHURN_MONTHS, c]
                      and not used[m - CHURN_MONTHS + 1:m + 1, c].any())
        assert rec.kpis["churned"] == churned
        assert rec.kpis["churn_rate"] == pytest.approx(churned / used[m - CHURN_MONTHS].sum())
    assert any(rec.kpis["churned"] > 0 for rec in records[CHURN_MONTHS:])  # not vacuous


def campaigned(min_score: float | None) -> Scenario:
    """Most customers far from the web, a few close to it; a push to 400 a month for
    three months, to anyone or only to those already close."""
    from sim.scenario import Campaign

    scenario = town(counters=2)
    scenario.segments["residents"].preference = {"counter": 0.5, "web": -2.0}
    scenario.adoption.score_sd = 1.2
    scenario.campaigns = {"push": Campaign(channels=["web"], unit_cost=2.0, start_month=1,
                                           end_month=3, contacts_per_month=400,
                                           min_score=min_score, contact_uplift=2.0)}
    return scenario


def test_a_campaign_aimed_at_high_score_customers_buys_more_share_than_the_same_spend_spread(
        ) -> None:
    spread, aimed = run(campaigned(None)), run(campaigned(-0.5))
    none = run(_without_campaign())
    spend = {name: sum(r.kpi(m, "promotion_spend").mean for m in range(MONTHS))
             for name, r in (("spread", spread), ("aimed", aimed))}
    # every contact made, three months: 400 of the customers the population stands for are
    # 400 / scale simulated ones, each paid scale times
    scale = represented_customers(campaigned(None)) / 3000
    assert spend["spread"] == pytest.approx(3 * round(400 / scale) * scale * 2.0)
    assert 0 < spend["aimed"] <= spend["spread"]  # fewer may be close enough to reach
    last = 2  # the campaign's last month
    gain = {name: result.kpi(last, "e_channel_share").mean - none.kpi(last, "e_channel_share").mean
            for name, result in (("spread", spread), ("aimed", aimed))}
    # the runs share their seeds (the same populations, the same days): compare in pairs
    paired = [a[last].kpis["e_channel_share"] - b[last].kpis["e_channel_share"]
              for a, b in zip(aimed.replications, spread.replications)]
    se = float(np.std(paired, ddof=1) / math.sqrt(len(paired)))
    assert gain["aimed"] - gain["spread"] > Z * se, (gain, se)
    assert gain["spread"] > 0, gain  # the spread push works too, only less
    # more share for no more money: more per unit of spend


def _without_campaign() -> Scenario:
    scenario = campaigned(None)
    scenario.campaigns = {}
    return scenario


def test_a_customer_table_scores_each_customer_by_the_fields_formula(tmp_path: Path) -> None:
    table = tmp_path / "customers.csv"
    table.write_text("customer_id,segment,usage_web,potential_web,complaints_web,usage_counter\n"
                     "a,residents,0,0,0,10\n"
                     "b,residents,9,1,0,0\n"
                     "c,residents,4,1,2,1\n")
    scenario = town()
    scenario.adoption.customer_table = str(table)
    months = Months(scenario, RunSettings(horizon_minutes=240, replications=1, seed=1,
                                          plots=False, months=1), 0)
    score = months.population.score
    w = scenario.adoption.score  # usage 0.5, potential 0.5, bonus 0.3 from 5 uses, penalty 0.7
    web, counter = 0.0, 0.5  # the segment's preferences
    assert score[:, 1] == pytest.approx([web, web + 0.5 * math.log(10) + 0.5 + 0.3,
                                         web + 0.5 * math.log(5) + 0.5 - 1.4])
    assert score[:, 0] == pytest.approx([counter + 0.5 * math.log(11) + 0.3, counter,
                                         counter + 0.5 * math.log(2)])
    assert (w.usage, w.potential, w.frequency_bonus, w.frequent_uses, w.complaint_penalty) == (
        0.5, 0.5, 0.3, 5, 0.7)


def test_segments_given_by_rate_draw_customers_in_proportion_to_their_daily_arrivals() -> None:
    """0.45 a minute over a 24-hour day is 648 transactions; at 2 a month that is 324 a
    month per customer-weight, against 216 / 1 for a segment given a daily volume."""
    scenario = town()
    residents = scenario.segments["residents"]
    scenario.segments["visitors"] = dataclasses.replace(
        residents, arrivals=Arrivals(daily_volume=216.0, hourly_shape=[1.0] * 24))
    scenario.adoption.transactions_per_month["visitors"] = 1.0
    months = Months(scenario, RunSettings(horizon_minutes=240, replications=1, seed=2,
                                          plots=False, months=1, customers=20_000), 0)
    share = float(np.mean(months.population.segment == 0))
    expected = (0.45 * 1440 / 2.0) / (0.45 * 1440 / 2.0 + 216.0 / 1.0)  # 0.6
    assert abs(share - expected) <= Z * math.sqrt(expected * (1 - expected) / 20_000)


def test_each_customer_remembers_the_last_month_they_used_each_channel() -> None:
    months = Months(town(), RunSettings(horizon_minutes=240, replications=1, seed=3, plots=False,
                                        months=3, customers=300), 0)
    records = [months.month(m, trace=True) for m in range(3)]
    expected = np.full((300, 2), -1)
    for m, rec in enumerate(records):
        j = rec.journeys
        assert j is not None
        expected[j["customer"], j["first"]] = m
        fell_back = j["final"] >= 0
        expected[j["customer"][fell_back], j["final"][fell_back]] = m
    assert (months.population.last_used == expected).all()
    assert (expected == -1).any() and (expected == 2).any()


def test_without_learning_satisfaction_is_stationary_from_the_first_month() -> None:
    result = run(town(learning=False))
    sat = np.array([result.kpi(m, "satisfaction").mean for m in range(MONTHS)])
    for m in range(MONTHS):
        values = [r[m].kpis["satisfaction"] for r in result.replications]
        se = float(np.std(values, ddof=1) / math.sqrt(len(values)))
        assert abs(sat[m] - sat.mean()) <= Z * se + 1e-9, (m, sat)
    # and it is the journeys' own level: month 1's memory is the mean of month 1's scores
    assert 0.0 < sat[0] < 1.0


def test_the_first_month_starts_each_memory_at_its_own_or_its_segments_experience() -> None:
    from sim.months.model import remember

    memory = np.full(5, 0.6)  # the neutral guess the first month must not keep
    experience = np.array([0.9, 0.0, 0.5, 0.0, 0.2])
    visited = np.array([True, False, True, False, True])
    segment = np.array([0, 0, 0, 1, 1])
    first = remember(memory, experience, visited, segment, weight=0.3, first=True)
    assert list(first) == pytest.approx([0.9, 0.7, 0.5, 0.2, 0.2])  # 0.7 = mean(0.9, 0.5)
    later = remember(first, np.array([0.4, 0.0, 0.5, 0.8, 0.2]), visited, segment, 0.3,
                     first=False)
    assert list(later) == pytest.approx([0.7 * 0.9 + 0.3 * 0.4, 0.7, 0.5, 0.2, 0.2])


def test_populations_on_two_workers_give_the_same_months_as_on_one() -> None:
    scenario = town(counters=2)
    runs = {w: run_months(scenario, RunSettings(horizon_minutes=240, replications=3, seed=5,
                                                plots=False, mode=Mode.months, months=3,
                                                customers=800, workers=w), progress=False)
            for w in (1, 2)}
    for one, two in zip(runs[1].replications, runs[2].replications):
        for a, b in zip(one, two):
            assert repr(a.kpis) == repr(b.kpis) and a.segments == b.segments
            assert a.conditions is not None and b.conditions is not None
            assert np.array_equal(a.conditions.wait_mean, b.conditions.wait_mean)
