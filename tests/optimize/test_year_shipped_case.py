"""The year plan on its shipped case, telecom_year with its own targets (55% e-channel share
and 70% penetration at month 12): the least-spend plan's simulation lands within 3 points
of what the planning model predicted for it."""

from __future__ import annotations

import optimize
import sim
from optimize.settings import Risk
from sim.scenario import RunSettings

POINTS = 0.03  # the tolerance: 3 percentage points


def test_the_least_spend_plan_lands_within_3_points_of_its_prediction_at_month_12() -> None:
    scenario = sim.load_scenario("telecom_year")
    targets = scenario.adoption.targets
    plan = optimize.year_plan(scenario, targets["e_channel_share"], targets["penetration"],
                              run=RunSettings(customers=4000, replications=2, seed=11,
                                              plots=False),
                              check_replications=3, risk=Risk(samples=0))
    for kpi, target in (("e_channel_share", 0.55), ("penetration", 0.70)):
        predicted = plan.final.predicted[kpi][11]
        simulated = plan.final.simulated.kpi(11, kpi)
        assert abs(simulated.mean - predicted) <= POINTS, (kpi, predicted, simulated)
        assert simulated.mean >= target  # the plan meets the target in simulation ...
        assert plan.baseline.kpi(11, kpi).mean < target  # ... which no contacts would not
    assert sum(plan.spend()) > 0
