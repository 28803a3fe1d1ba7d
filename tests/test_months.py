"""Months of a learning population: stationarity, habit, failure, and the counters."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.months import CHURN_MONTHS, Months, run_months
from sim.scenario import (
    Adoption,
    Arrivals,
    Channel,
    ChannelKind,
    Distribution,
    DistributionKind,
    Learning,
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
        ) -> object:
    settings = RunSettings(horizon_minutes=240, replications=replications, seed=5, plots=False,
                           mode=__import__("sim.scenario", fromlist=["Mode"]).Mode.months,
                           months=MONTHS, customers=customers, trace=trace)
    return run_months(scenario, settings, progress=False)


def shares(result) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.array([result.kpi(m, "e_channel_share").mean for m in range(MONTHS)])


def noise(result, month: int) -> float:  # type: ignore[no-untyped-def]
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
