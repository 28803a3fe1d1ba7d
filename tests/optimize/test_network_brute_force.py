"""The network MILP against brute force on 3 branches x 2 hours: one campaign for the whole
network segment (its units reach every branch alike, paid once), kiosks per branch within
a network kiosk count, tellers per branch and hour, each branch's kiosks carrying the
journeys the campaign moves there."""

from __future__ import annotations

import itertools
from typing import Optional

import numpy as np
import pytest

from optimize.curves import Breakpoints
from optimize.data import (
    CampaignSegment,
    CapacitySlot,
    KioskData,
    PlanningData,
    SegmentData,
    StaffedSlot,
    staffing_levels,
)
from optimize.plan import extract_plan
from optimize.settings import Objective, OptimizeSettings
from optimize.start import build_and_solve
from sim.scenario import ChannelKind
from tests.optimize.instances import MEAN_SERVICE, STAFF_COST, TARGET_SHARE, TARGET_WAIT
from tests.optimize.test_brute_force import erlang_c_min_staff

SIZE = {"a": 1.0, "b": 0.6, "c": 0.3}  # each branch's customers, relative to a's
RATES = [1.0, 1.6]  # a's arrivals per minute in each hour
TODAY_STAFF = {"a": (4, 5), "b": (3, 3), "c": (1, 2)}
TODAY_KIOSKS = {"a": 2, "b": 1, "c": 0}
CURVE = Breakpoints((0.0, 1.0, 2.0, 4.0), (0.0, 0.05, 0.08, 0.10))
UNIT_COST, KIOSK_COST, MAX_KIOSKS = 10.0, 25.0, 4
EFFECT, BASE, STAFFED, CAP = 0.9, 0.30, 0.70, 0.60
KIOSK_MINUTES, BASE_KIOSK_SHARE, RHO = 2.0, 0.2, 0.8


def rate(branch: str, hour: int) -> float:
    return RATES[hour] * SIZE[branch]


def network(max_total_kiosks: Optional[int] = None) -> PlanningData:
    """young/<branch> segments sharing the campaign's units (pool "young")."""
    segments = {f"young/{b}": SegmentData(100.0 * f, BASE, STAFFED, CAP, [rate(b, h) for h in range(2)])
                for b, f in SIZE.items()}
    campaigns = [CampaignSegment(campaign="guide", segment=f"young/{b}", pool="young",
                                 unit_cost=UNIT_COST, min_units=0.0, max_units=4.0,
                                 integer_units=True, curve=CURVE, success=EFFECT, effect=EFFECT,
                                 channel_weights={f"{b}/kiosk": 1.0}) for b in SIZE]
    staffed, capacity = [], []
    for b in SIZE:
        for h in range(2):
            slot = StaffedSlot(channel=f"{b}/counter", kind=ChannelKind.counter, slot=h,
                               base_rate=rate(b, h) * STAFFED, rate_drop={f"young/{b}": rate(b, h)},
                               mean_service_minutes=MEAN_SERVICE, patience_rate=0.0,
                               target_wait_minutes=TARGET_WAIT, target_share=TARGET_SHARE,
                               base_staff=TODAY_STAFF[b][h], staff_cost=STAFF_COST)
            slot.levels = staffing_levels(slot, max(0.0, slot.base_rate - rate(b, h) * (CAP - BASE)))
            staffed.append(slot)
            load = rate(b, h) * BASE_KIOSK_SHARE * KIOSK_MINUTES if TODAY_KIOSKS[b] else 0.0
            capacity.append(CapacitySlot(
                f"{b}/kiosk", h, load, {("guide", f"young/{b}"): rate(b, h) * KIOSK_MINUTES},
                tolerated=max(0.0, load - RHO * TODAY_KIOSKS[b])))
    kiosks = {f"{b}/kiosk": KioskData(f"{b}/kiosk", TODAY_KIOSKS[b], MAX_KIOSKS, KIOSK_COST)
              for b in SIZE}
    return PlanningData(n_slots=2, segments=segments, campaigns=campaigns, staffed=staffed,
                        capacity=capacity, kiosks=kiosks, online_caps={}, max_utilisation=RHO,
                        max_total_kiosks=max_total_kiosks)


def evaluate(units: int, kiosks: dict[str, int], max_total: Optional[int]
             ) -> Optional[tuple[float, float]]:
    """(diversion, spend) of one plan worked out by hand, None if it breaks a constraint."""
    if max_total is not None and sum(kiosks.values()) > max_total:
        return None
    uplift = float(np.interp(units, CURVE.units, CURVE.uplift))  # every branch alike
    diverted = EFFECT * uplift
    if BASE + diverted > CAP + 1e-12:
        return None
    spend = UNIT_COST * units  # once for the network segment, not once per branch
    for b in SIZE:
        spend += KIOSK_COST * (kiosks[b] - TODAY_KIOSKS[b])
        for h in range(2):
            load = (rate(b, h) * BASE_KIOSK_SHARE * KIOSK_MINUTES if TODAY_KIOSKS[b] else 0.0)
            tolerated = max(0.0, load - RHO * TODAY_KIOSKS[b])
            if load + rate(b, h) * KIOSK_MINUTES * uplift > RHO * kiosks[b] + tolerated + 1e-9:
                return None
            need = erlang_c_min_staff(rate(b, h) * (STAFFED - diverted))
            spend += STAFF_COST * max(0, need - TODAY_STAFF[b][h])
    return BASE + diverted, spend


def all_plans(max_total: Optional[int]) -> list[tuple[float, float]]:
    counts = [range(TODAY_KIOSKS[b], MAX_KIOSKS + 1) for b in SIZE]
    out = []
    for units in range(5):
        for combo in itertools.product(*counts):
            result = evaluate(units, dict(zip(SIZE, combo)), max_total)
            if result is not None:
                out.append(result)
    return out


@pytest.mark.parametrize("max_total", [None, 3])
@pytest.mark.parametrize("budget", [0.0, 30.0, 60.0, 100.0, 150.0, 250.0])
def test_the_network_plan_equals_the_best_plan_by_enumeration(budget: float,
                                                              max_total: Optional[int]) -> None:
    feasible = [d for d, spend in all_plans(max_total) if spend <= budget + 1e-9]
    settings = OptimizeSettings(objective=Objective.max_diversion, budget=budget, gap=0.0,
                                check_replications=0)
    model, result = build_and_solve(network(max_total), settings, budget)
    if not feasible:
        assert not result.has_solution
        return
    plan = extract_plan(model, result, "max_diversion", budget)
    assert plan.diversion_predicted == pytest.approx(max(feasible), abs=1e-7)
    assert plan.spend["total"] <= budget + 1e-6
    assert list(plan.units) == [("guide", "young")]  # one decision for the network segment
    if max_total is not None:
        assert sum(plan.kiosks.values()) <= max_total


def test_the_instance_needs_kiosks_and_staff_to_move_customers() -> None:
    """The budgets separate plans: the campaign's load needs kiosks at the branch without
    any, and the count limit cuts off some plans the money alone would allow."""
    assert len({round(s, 6) for _, s in all_plans(None)}) > 10
    assert evaluate(4, TODAY_KIOSKS, None) is None  # c has no kiosk for the moved journeys
    # with no machine to spare, c gets none, so the campaign cannot move anybody
    assert max(d for d, _ in all_plans(3)) == BASE < max(d for d, _ in all_plans(None))
