"""sim.experiment: Student-t intervals over replications, clipped to each KPI's range."""

from __future__ import annotations

import math

import pytest

from sim import experiment
from sim.experiment import estimate, run_experiment
from sim.kpis import HOURLY_KPIS, KPI_RANGES, NON_NEGATIVE, SHARE, kpi_range
from sim.months.model import MONTHLY_KPIS
from sim.results import hourly_table, summary
from tests.conftest import compose_scenario

T_975_1_DF = 12.706204736174698  # Student t quantile, 0.975 with one degree of freedom


def test_a_count_interval_stops_at_zero_and_keeps_its_upper_end() -> None:
    e = estimate([0.0, 10.0], bounds=NON_NEGATIVE)
    half = T_975_1_DF * math.sqrt(50.0) / math.sqrt(2.0)  # sd of (0, 10) is sqrt(50)
    assert (e.mean, e.ci_low) == (5.0, 0.0)
    assert e.ci_high == pytest.approx(5.0 + half, rel=1e-12)
    assert e.half_width == pytest.approx(half, rel=1e-12)  # the ± stays the t half-width


def test_a_share_interval_stops_at_one_and_keeps_its_lower_end() -> None:
    e = estimate([0.9, 1.0], bounds=SHARE)
    half = T_975_1_DF * 0.05  # sd of (0.9, 1.0) is 0.1 / sqrt(2); / sqrt(2) again
    assert e.ci_low == pytest.approx(0.95 - half, rel=1e-12)
    assert e.ci_high == 1.0


def test_an_interval_inside_its_range_is_the_plain_student_t_interval() -> None:
    values = [4.0, 5.0, 6.0, 7.0]
    e = estimate(values, bounds=NON_NEGATIVE)
    half = 3.182446305284263 * math.sqrt(5.0 / 3.0) / 2.0  # t(0.975, 3 df) * sd / sqrt(4)
    assert (e.ci_low, e.ci_high) == pytest.approx((5.5 - half, 5.5 + half), rel=1e-12)


def test_every_reported_kpi_has_a_range() -> None:
    for name in (*HOURLY_KPIS, *MONTHLY_KPIS, "served.counter", "active.web"):
        assert kpi_range(name) in (NON_NEGATIVE, SHARE), name
    with pytest.raises(KeyError):
        kpi_range("not_a_kpi")


def test_no_interval_of_a_two_replication_run_leaves_its_kpis_range() -> None:
    # a short M/M/c+M: few callers abandon, so the t intervals of `lost` and of the rates
    # cross zero on two replications
    scenario, run = compose_scenario(["scenario=mmcm", "run.replications=2",
                                      "run.horizon_minutes=120", "run.warmup_minutes=0"])
    result = run_experiment(scenario, run, progress=False)
    data = summary(result)
    scopes = [data["kpis"], *data["channels"].values(), *data["segments"].values()]
    clipped = 0
    for scope in scopes:
        for name, e in scope.items():
            low, high = kpi_range(name)
            if math.isnan(e["ci_low"]):
                continue
            assert low <= e["ci_low"] <= e["mean"] <= e["ci_high"] <= high, (name, e)
            clipped += e["ci_low"] == low or e["ci_high"] == high
    for row in hourly_table(result):
        if not math.isnan(row["ci_low"]):
            low, high = kpi_range(row["kpi"])
            assert low <= row["ci_low"] <= row["ci_high"] <= high, row
    assert clipped > 0  # the case this guards against did arise
    assert set(KPI_RANGES) >= set(data["kpis"])


def test_two_workers_count_every_replication_and_return_them_in_replication_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    class Recorder:
        """Stands in for the progress bar and records how it was driven."""

        def __init__(self, total: int, *args: object, **kwargs: object) -> None:
            calls.append(("total", total))

        def update(self, n: int = 1) -> None:
            calls.append(("update", n))

        def close(self) -> None:
            calls.append("close")

    monkeypatch.setattr(experiment, "Progress", Recorder)
    scenario, run = compose_scenario(["scenario=mmc", "run.replications=5",
                                      "run.horizon_minutes=60", "run.workers=2"])
    result = run_experiment(scenario, run, progress=False)
    assert calls == [("total", 5), *[("update", 1)] * 5, "close"]
    assert [r.replication for r in result.replications] == [0, 1, 2, 3, 4]
