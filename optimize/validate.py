"""Semantic checks on OptimizeSettings against the scenario; ScenarioError names the path."""

from __future__ import annotations

import math
from typing import Optional

from optimize.data import SLOT_MINUTES
from optimize.settings import Objective, OptimizeSettings, Shift, YearGoal
from optimize.year.model import CAPACITY
from sim.network import network_segment
from sim.scenario import STAFFED_KINDS, ChannelKind, RunSettings, Scenario
from sim.validate import require, require_finite, validate_capacity_steps


def validate_settings(s: OptimizeSettings, scenario: Scenario,
                      run: Optional[RunSettings] = None, p: str = "optimize") -> None:
    """Raise ScenarioError at the first setting the planning model cannot read; with
    ``run``, shifts are also checked against the hours it plans."""
    require_finite(s, p)
    require(s.budget >= 0 and math.isfinite(s.budget), f"{p}.budget", s.budget,
             "must be a finite number >= 0")
    if s.objective is Objective.min_cost:
        require(s.target_diversion is not None, f"{p}.target_diversion", None,
                 "min_cost needs a diversion target in [0, 1]")
    if s.target_diversion is not None:
        require(0 <= s.target_diversion <= 1, f"{p}.target_diversion", s.target_diversion,
                 "a diversion target is a share in [0, 1]")
    if s.objective is Objective.frontier:
        require(bool(s.frontier_budgets), f"{p}.frontier_budgets", [],
                 "frontier needs budgets, e.g. [0,1000,2000,4000]")
    for i, b in enumerate(s.frontier_budgets):
        require(b >= 0, f"{p}.frontier_budgets[{i}]", b, "must be >= 0")
    require(s.time_limit_s > 0, f"{p}.time_limit_s", s.time_limit_s, "must be > 0")
    require(0 <= s.gap < 1, f"{p}.gap", s.gap, "a relative gap lies in [0, 1)")
    require(s.node_limit is None or s.node_limit >= 0, f"{p}.node_limit", s.node_limit,
             "must be >= 0 (null: no limit)")
    require(s.refine_iterations >= 0, f"{p}.refine_iterations", s.refine_iterations, "must be >= 0")
    require(s.check_replications >= 0 and s.check_replications != 1, f"{p}.check_replications",
             s.check_replications, "0 (no check) or at least 2 for a confidence interval")
    require(0 < s.kiosk_max_utilisation <= 1, f"{p}.kiosk_max_utilisation",
             s.kiosk_max_utilisation, "must lie in (0, 1]")
    segments = set(scenario.segments) | {network_segment(scenario, x) for x in scenario.segments}
    for seg, cap in s.segment_caps.items():
        require(seg in segments, f"{p}.segment_caps", seg, "not a segment of the scenario")
        require(0 <= cap <= 1, f"{p}.segment_caps.{seg}", cap, "a share must lie in [0, 1]")
    staffed = {n for n, c in scenario.channels.items() if c.kind in STAFFED_KINDS}
    for ch, n in s.max_staff.items():
        require(ch in staffed, f"{p}.max_staff", ch, "not a counter or hotline of the scenario")
        require(n >= 0, f"{p}.max_staff.{ch}", n, "must be >= 0")
    kiosks = {n for n, c in scenario.channels.items() if c.kind is ChannelKind.kiosk}
    for ch, n in s.max_kiosks.items():
        require(ch in kiosks, f"{p}.max_kiosks", ch, "not a kiosk channel of the scenario")
        require(n >= 0, f"{p}.max_kiosks.{ch}", n, "must be >= 0")
    require(s.max_total_kiosks is None or s.max_total_kiosks >= 0, f"{p}.max_total_kiosks",
            s.max_total_kiosks, "must be >= 0 (null: no limit)")
    require(s.kiosk_budget is None or (math.isfinite(s.kiosk_budget) and s.kiosk_budget >= 0),
            f"{p}.kiosk_budget", s.kiosk_budget, "must be a finite number >= 0 (null: no limit)")
    validate_shifts(s.shifts, planning_slots(run) if run is not None else None, p)
    if s.objective is Objective.year_plan:
        validate_year(s, scenario, run.months if run is not None else None, p)
    require(bool(scenario.campaigns) or s.objective is not Objective.frontier,
             "scenario.campaigns", {}, "the frontier needs campaigns to spend on")


def planning_slots(run: RunSettings) -> int:
    """Slots the plan staffs: the horizon in SLOT_MINUTES slots (as ``build_planning_data``)."""
    return max(1, math.ceil(run.horizon_minutes / SLOT_MINUTES))


def validate_shifts(shifts: list[Shift], n_slots: Optional[int], p: str = "optimize") -> None:
    """Every shift fits in the planned day of ``n_slots`` (None: not known, only the
    checks that need no day): a length within it, starts from which the whole shift fits,
    and a name of its own (the plan counts starts by name)."""
    names: set[str] = set()
    for i, shift in enumerate(shifts):
        q = f"{p}.shifts[{i}]"
        require(shift.name not in names, f"{q}.name", shift.name, "another shift has this name")
        names.add(shift.name)
        require(shift.length_slots >= 1, f"{q}.length_slots", shift.length_slots, "must be >= 1")
        for j, start in enumerate(shift.starts):
            require(start >= 0, f"{q}.starts[{j}]", start, "slots count from 0")
        if n_slots is None:
            continue
        require(shift.length_slots <= n_slots, f"{q}.length_slots", shift.length_slots,
                f"must lie in 1..{n_slots}, the {SLOT_MINUTES:g}-minute slots of "
                "run.horizon_minutes")
        last = n_slots - shift.length_slots
        for j, start in enumerate(shift.starts):
            require(0 <= start <= last, f"{q}.starts[{j}]", start,
                    f"a {shift.length_slots}-slot shift starts in 0..{last} to end by slot "
                    f"{n_slots} (the end of run.horizon_minutes)")


def validate_year(s: OptimizeSettings, scenario: Scenario, months: Optional[int],
                  p: str = "optimize") -> None:
    """The year plan's settings: targets are shares at months within the run's, max_share
    has a budget, min_spend a target, spend bounds are [low, high] of last year's spend
    (one number or one per month), and the scenario has campaigns to plan."""
    t, y = s.targets, s.year
    require(bool(scenario.campaigns), "scenario.campaigns", {}, "the year plan needs campaigns")
    last = months if months is not None else 10**9
    points = [(f"{p}.targets", t.month, t.e_channel_share, t.penetration)] + [
        (f"{p}.targets.milestones[{i}]", m.month, m.e_channel_share, m.penetration)
        for i, m in enumerate(t.milestones)]
    for path, month, share, penetration in points:
        require(month is None or 1 <= month <= last, f"{path}.month", month,
                f"a month of the plan: 1 to run.months ({last})")
        for key, value in (("e_channel_share", share), ("penetration", penetration)):
            require(value is None or 0 <= value <= 1, f"{path}.{key}", value,
                    "a target is a share in [0, 1]")
    if y.goal is YearGoal.min_spend:
        require(t.e_channel_share is not None or t.penetration is not None, f"{p}.targets",
                {}, "min_spend needs a target: optimize.targets.e_channel_share or "
                ".penetration (or the scenario's adoption.targets)")
    else:
        require(y.budget is not None, f"{p}.year.budget", None, "max_share needs a budget")
    require(y.budget is None or y.budget >= 0, f"{p}.year.budget", y.budget, "must be >= 0")
    if y.spend_bounds:
        require(len(y.spend_bounds) == 2 and 0 <= y.spend_bounds[0] <= y.spend_bounds[1],
                f"{p}.year.spend_bounds", y.spend_bounds, "[low, high] with 0 <= low <= high")
        require(len(y.last_year_spend) in (1, last), f"{p}.year.last_year_spend",
                y.last_year_spend, f"one number, or one per month ({last}), for spend_bounds")
    for i, x in enumerate(y.last_year_spend):
        require(x >= 0, f"{p}.year.last_year_spend[{i}]", x, "must be >= 0")
    require(y.iterations >= 0, f"{p}.year.iterations", y.iterations, "must be >= 0")
    require(y.tolerance > 0, f"{p}.year.tolerance", y.tolerance, "must be > 0")
    require(0 < y.trust_radius <= 1, f"{p}.year.trust_radius", y.trust_radius,
            "must lie in (0, 1]")
    require(0 < y.estimate_share < 1, f"{p}.year.estimate_share", y.estimate_share,
            "must lie in (0, 1)")
    for name, bounds in y.capacity.items():
        path = f"{p}.year.capacity.{name}"
        require(len(bounds) == 2 and all(isinstance(b, int) for b in bounds)
                and bounds[0] <= 0 <= bounds[1], path, bounds,
                "[low, high]: whole servers added, low <= 0 <= high")
        validate_capacity_steps(scenario, path, name, bounds)
        require(name not in scenario.adoption.capacity_steps, path, bounds,
                "the plan decides this channel's steps: drop scenario.adoption.capacity_steps."
                + name)
    require(CAPACITY not in scenario.campaigns, f"scenario.campaigns.{CAPACITY}", CAPACITY,
            "the name is taken by the year plan's capacity steps")
    r = s.risk
    for path, q in [(f"{p}.risk.confidence", r.confidence)] + [
            (f"{p}.risk.confidences[{i}]", q) for i, q in enumerate(r.confidences)]:
        require(q is None or 0 < q < 1, path, q, "a probability in (0, 1)")
    require(r.samples >= 0, f"{p}.risk.samples", r.samples, "must be >= 0")
    wants = r.confidence is not None or bool(r.confidences)
    require(not wants or r.samples >= 2, f"{p}.risk.samples", r.samples,
            "a confidence needs at least 2 sampled worlds")
    require(not wants or bool(t.e_channel_share is not None or t.penetration is not None
                              or t.milestones), f"{p}.risk.confidence", r.confidence,
            "a confidence is of meeting targets: set optimize.targets")
