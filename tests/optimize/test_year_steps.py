"""How the year plan reads capacity steps off the months simulations: which step effects it
credits, how a staffed channel's load follows the e-channel share, and which simulated
plans it accepts for their service levels.  Built on hand-made months results whose
answers are known exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sim
from optimize.year.estimate import load_slopes, step_tells
from optimize.year.model import YearProblem
from optimize.year.result import service_missed
from sim.months.model import Conditions, MonthRecord, MonthsResult
from sim.scenario import RunSettings

MONTHS = 3
SCENARIO = sim.load_scenario("telecom_year")  # its channels, among them a hotline
HOTLINE = list(SCENARIO.channels).index("hotline")


def months_result(shares: list[list[float]], hotline_calls: list[list[float]] | None = None,
                  levels: list[list[float]] | None = None) -> MonthsResult:
    """A months result of ``len(shares)`` populations: each month's network e-channel share
    and penetration (both ``shares``), and the hotline's arrivals and service level on its
    representative day."""
    channels = list(SCENARIO.channels)
    n = len(channels)
    reps = []
    for r, row in enumerate(shares):
        records = []
        for m, share in enumerate(row):
            level = levels[r][m] if levels else math.nan
            service, arrivals = np.full(n, math.nan), np.ones(n)
            service[HOTLINE] = level
            arrivals[HOTLINE] = hotline_calls[r][m] if hotline_calls else 100.0
            day = Conditions(np.zeros(n), np.zeros(n), np.zeros(n), 0.0, arrivals, service)
            records.append(MonthRecord({"e_channel_share": share, "penetration": share},
                                       {}, conditions=day))
        reps.append(records)
    return MonthsResult(SCENARIO, RunSettings(months=MONTHS, replications=len(shares)), reps)


BASE = [[0.40, 0.41, 0.42], [0.38, 0.40, 0.41], [0.42, 0.42, 0.44]]


def test_a_step_whose_paired_change_is_within_noise_gets_no_credit() -> None:
    # the changes per population average 0.001, +0.003 and -0.002 over the months: mean
    # 0.0007, standard error 0.0015, so the 95% interval (t with 2 df) holds 0
    moved = [[x + d for x in row] for row, d in zip(BASE, (0.001, 0.003, -0.002))]
    assert not step_tells(months_result(BASE), months_result(moved))
    assert not step_tells(months_result(BASE), months_result(BASE))


def test_a_step_that_moves_every_population_alike_is_credited() -> None:
    # +0.010, +0.012, +0.011: mean 0.011, standard error 0.00058, interval well above 0
    moved = [[x + d for x in row] for row, d in zip(BASE, (0.010, 0.012, 0.011))]
    assert step_tells(months_result(BASE), months_result(moved))


def test_the_load_slope_is_the_secant_between_the_runs() -> None:
    # the planning day has 100 calls; every campaign at its limits raises the share by 0.1
    # in every month, and the hotline's calls by 10 (its IVR counts as e-channel), then
    # by -24 (from 120), then not at all: slopes 0.1 / 0.1 = 1, -0.24 / 0.1 = -2.4, 0
    base = months_result([[0.4, 0.4, 0.4]] * 2, [[100, 120, 100]] * 2)
    moved = months_result([[0.5, 0.5, 0.5]] * 2, [[110, 96, 100]] * 2)
    assert load_slopes(base, moved, HOTLINE, 100.0) == pytest.approx([1.0, -2.4, 0.0])
    # shares that do not move: no slope to tell, the proportional rule stays
    assert load_slopes(base, base, HOTLINE, 100.0) is None


def test_a_plan_misses_its_service_only_where_the_interval_lies_below_the_target() -> None:
    shares = [[0.5] * MONTHS] * 3
    # month 1: 0.78, 0.79, 0.80 (mean 0.79, interval up to 0.815: not significantly below
    # 0.80); month 2: 0.70, 0.71, 0.72 (entirely below); month 3: 0.85 everywhere
    levels = [[0.78, 0.70, 0.85], [0.79, 0.71, 0.85], [0.80, 0.72, 0.85]]
    result = months_result(shares, levels=levels)
    missed = service_missed(result, YearProblem([], service={"hotline": 0.80}))
    assert missed == ["hotline in month 2 (71% against 80%)"]
    assert service_missed(result, YearProblem([])) == []
