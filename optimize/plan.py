"""The optimiser's decision as plain data, and the scenario change that simulates it."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any, Optional

from optimize.data import SLOT_MINUTES, PlanningData, StaffedSlot, service_level
from optimize.formulation import Formulation
from optimize.solve import SolveResult
from sim.network import open_slots
from sim.scenario import Scenario


@dataclass
class Plan:
    """The optimiser's decision as plain numbers: promotion units per (campaign, segment),
    staff per (staffed channel, slot), kiosks per kiosk channel, with what the planning
    model predicts for them and how the solver did.

    ``extract_plan`` reads it from a solved Formulation; ``apply_plan`` turns it into a
    scenario change (campaign units, hourly schedules, kiosk counts) that the simulator
    runs to check it (``optimize.check``); ``optimize.report`` writes it as plan.json and
    tables.  Money is for the planned day, shares in [0, 1], rates per minute, slots are
    hours from minute 0.

        >>> result = optimize.solve(sim.load_scenario("bank_branch"), budget=2500)
        >>> plan = result.plan
        >>> plan.diversion_predicted, plan.spend["total"], plan.staff[("teller", 3)]
    """

    objective_name: str  # max_diversion or min_cost (a frontier's plans are max_diversion)
    budget: float  # the spend limit it was solved under (min_cost: the setting, not a limit)
    solve: SolveResult  # how the solver did
    diversion_predicted: float  # the day's diversion the planning model predicts
    spend: dict[str, float]  # promotion, staff, kiosks, total (beyond today)
    staff_savings: float  # cost of today's staff hours the plan does without (not credited)
    units: dict[tuple[str, str], float]  # (campaign, segment) -> units; in a network, by
    # network segment: every branch's customers of the segment get them
    uplift: dict[tuple[str, str], float]  # (campaign, segment) -> choice share moved
    marginal: dict[tuple[str, str], float]  # diversion per extra unit of money
    staff: dict[tuple[str, int], int]  # (channel, slot) -> staff in the plan
    required: dict[tuple[str, int], int]  # Erlang minimum for the predicted rate
    rate: dict[tuple[str, int], float]  # the rate staff serve after diversion: arrivals per
    # minute at the slot's baseline mean service that carry its predicted work
    kiosks: dict[str, int]  # kiosk channel -> machines in the plan
    segment_diversion: dict[str, float] = field(default_factory=dict)  # predicted, by segment
    shift_starts: dict[tuple[str, str, int], int] = field(default_factory=dict)  # (channel,
    # shift, start slot) -> staff starting then; only those above 0, only with shifts
    target_diversion: Optional[float] = None  # min_cost: the target it was solved for
    arrivals: dict[tuple[str, int], float] = field(default_factory=dict)  # predicted
    # arrivals per minute after diversion, by (channel, slot)

    def mean_service(self, slot: StaffedSlot) -> float:
        """The mean service the plan predicts in a staffed slot: the baseline's, lengthened
        by diversion taking mostly the shorter types (its work over its arrivals)."""
        key = (slot.channel, slot.slot)
        arrivals = self.arrivals.get(key, 0.0)
        return slot.mean_service_minutes * (self.rate[key] / arrivals if arrivals > 0 else 1.0)

    @property
    def objective_value(self) -> float:
        """What the objective optimised: the total spend for min_cost, the predicted
        diversion otherwise."""
        return self.spend["total"] if self.objective_name == "min_cost" else self.diversion_predicted


def _value(x: Any) -> float:
    """A solved variable's or expression's value (0 for a variable the solver left out)."""
    v = x.value() if hasattr(x, "value") else x
    return float(v) if v is not None else 0.0


def extract_plan(m: Formulation, result: SolveResult, objective_name: str, budget: float,
                 target_diversion: Optional[float] = None) -> Plan:
    """Read the plan from a solved model (call only when ``result.has_solution``)."""
    assert result.has_solution, "no solution: the values are not a plan"
    data = m.data
    total = data.total_completed
    units = {key: max(0.0, _value(v)) for key, v in m.units.items()}
    uplift = {key: _value(m.uplift[key]) for key in m.units}
    marginal = dict.fromkeys(m.units, 0.0)
    for cs in data.campaigns:  # a pool's extra unit moves each of its segments
        key = (cs.campaign, cs.pool)
        seg = data.segments[cs.segment]
        per_unit = cs.curve.next_slope(units[key]) * cs.effect * seg.completed / total
        headroom = seg.max_diversion - seg.base_diversion - _value(m.diverted[cs.segment])
        if cs.unit_cost > 0 and headroom > 1e-9:
            marginal[key] += per_unit / cs.unit_cost
    # with shift patterns the staff present is the shifts' coverage, at least the step
    staff = {key: int(round(_value(e))) for key, e in (m.coverage or m.staff).items()}
    rate = {key: max(0.0, _value(e)) for key, e in m.rate.items()}
    arrivals = {key: max(0.0, _value(e)) for key, e in m.arrivals.items()}
    slots = {(s.channel, s.slot): s for s in data.staffed}
    required = {key: slots[key].required_staff(rate[key]) for key in slots}
    # spend is never negative; a solver's -1e-9 would print as "-0"
    spend = {kind: max(0.0, _value(e)) for kind, e in m.spend.items()}
    spend["total"] = sum(spend.values())
    # staff hours today that the plan does not need: reported, not credited to the budget
    savings = sum(s.staff_cost * max(0, s.base_staff - staff[(s.channel, s.slot)])
                  for s in data.staffed)
    return Plan(
        objective_name=objective_name, budget=budget, solve=result,
        diversion_predicted=_value(m.diversion), spend=spend, staff_savings=savings,
        units=units, uplift=uplift,
        marginal=marginal, staff=staff, required=required, rate=rate,
        kiosks={k: int(round(_value(v))) for k, v in m.kiosks.items()},
        shift_starts={key: int(round(_value(v))) for key, v in m.shift_starts.items()
                      if _value(v) > 0.5},
        target_diversion=target_diversion, arrivals=arrivals,
        segment_diversion={s: seg.base_diversion + _value(m.diverted[s])
                           for s, seg in data.segments.items()},
    )


def apply_plan(scenario: Scenario, plan: Plan, data: PlanningData) -> Scenario:
    """The scenario with the plan in it: campaign units, hourly staff, kiosk counts."""
    changed = copy.deepcopy(scenario)
    for campaign in changed.campaigns.values():
        campaign.units = {}
    for cs in data.campaigns:  # each segment of a pool gets the pool's units
        units = plan.units[(cs.campaign, cs.pool)]
        if units > 1e-9:
            changed.campaigns[cs.campaign].units[cs.segment] = units
    for channel in {c for c, _ in plan.staff}:
        staffed = changed.channels[channel]
        staffed.schedule = [plan.staff[(channel, h)] for h in range(data.n_slots)]
        staffed.schedule_slot_minutes = SLOT_MINUTES
        staffed.servers = None  # the schedule says how many (validation refuses both)
    for channel, count in plan.kiosks.items():
        kiosk = changed.channels[channel]
        opened = open_slots(scenario, channel, data.n_slots)
        if all(opened):
            kiosk.servers, kiosk.schedule = count, []
        else:  # a branch's kiosks are switched on in its hours only
            kiosk.servers, kiosk.schedule_slot_minutes = None, SLOT_MINUTES
            kiosk.schedule = [float(count) if o else 0.0 for o in opened]
    return changed


def predicted_slot_service_level(plan: Plan, slot: StaffedSlot) -> float:
    """The service level the queueing formula predicts for one slot's planned staff and
    rate after diversion (NaN where no one is predicted to come)."""
    key = (slot.channel, slot.slot)
    rate = plan.rate[key]
    if rate <= 0:
        return math.nan
    return service_level(plan.staff[key], rate, slot.mean_service_minutes, slot.patience_rate,
                         slot.target_wait_minutes, slot.service_scv)


def predicted_service_level(plan: Plan, data: PlanningData, channel: str) -> float:
    """Arrival-weighted service level the queueing formulas predict for the planned staff."""
    num = den = 0.0
    for s in data.staffed:
        if s.channel != channel or plan.rate[(channel, s.slot)] <= 0:
            continue
        rate = plan.rate[(channel, s.slot)]
        num += rate * predicted_slot_service_level(plan, s)
        den += rate
    return num / den if den > 0 else math.nan
