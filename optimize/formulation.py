"""The MILP, one ``add_*`` function per family of variables or constraints; ``build`` ties them.

Structure that keeps it small and fast:
- promotion is concave (each response curve is a chain of segments with falling slopes),
  so it needs no binaries: a maximising LP fills the steeper segments first;
- given the diverted shares, each staffed channel and slot only has to pick its staffing
  step: one binary per step between the lowest and today's load, usually a handful;
- everything else is continuous or a small integer (kiosks per channel).
Constraint names are deterministic (family_channel_slot), so reports and tests can name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import pulp

from optimize.data import CampaignSegment, PlanningData
from optimize.settings import Objective, OptimizeSettings, Shift

# Tie-breakers far below any real difference: spend no money and keep no staff that buys
# nothing (so the response segments fill in order and staff sit at the required step).
# Each is scaled so that its whole term stays under TIE of the objective.
TIE = 1e-6


@dataclass
class Formulation:
    """The optimiser's MILP as built: the PuLP problem, the planning data it encodes, and
    handles on its variables and expressions (for the next builder, for the start
    heuristic and for reading the plan out of a solution). Build it with ``build``."""

    problem: pulp.LpProblem
    data: PlanningData
    units: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)
    pieces: dict[tuple[str, str], list[pulp.LpVariable]] = field(default_factory=dict)
    uplift: dict[tuple[str, str], pulp.LpAffineExpression] = field(default_factory=dict)
    diverted: dict[str, pulp.LpVariable] = field(default_factory=dict)
    staff: dict[tuple[str, int], pulp.LpAffineExpression] = field(default_factory=dict)
    rate: dict[tuple[str, int], pulp.LpAffineExpression] = field(default_factory=dict)  # work
    arrivals: dict[tuple[str, int], pulp.LpAffineExpression] = field(default_factory=dict)
    steps: dict[tuple[str, int], list[pulp.LpVariable]] = field(default_factory=dict)  # by level
    extra_staff: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    coverage: dict[tuple[str, int], pulp.LpAffineExpression] = field(default_factory=dict)
    shift_starts: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    extra_shift_cost: Optional[pulp.LpVariable] = None
    kiosks: dict[str, pulp.LpVariable] = field(default_factory=dict)
    extra_kiosks: dict[str, pulp.LpVariable] = field(default_factory=dict)
    slacks: dict[str, pulp.LpVariable] = field(default_factory=dict)  # elastic model only
    spend: dict[str, pulp.LpAffineExpression] = field(default_factory=dict)
    diversion: Optional[pulp.LpAffineExpression] = None
    elastic: bool = False

    def add(self, constraint: pulp.LpConstraint, name: str, slack_sign: int = 0) -> None:
        """Add a named constraint; in the elastic model ``slack_sign`` (+1 for <=, -1 for >=)
        lets it be broken at a penalty, and the slack is reported by that name."""
        if self.elastic and slack_sign:
            slack = pulp.LpVariable(f"slack_{name}", lowBound=0)
            self.slacks[name] = slack
            gap = pulp.LpAffineExpression(constraint)  # lhs - rhs, constant included
            constraint = gap - slack <= 0 if slack_sign > 0 else gap + slack >= 0
        self.problem += constraint, name


def _key(*parts: object) -> str:
    return "_".join(str(p) for p in parts).replace(" ", "_").replace("-", "_")


def add_promotion(m: Formulation) -> None:
    """Units per campaign and pool (a segment, or a network segment whose branch copies
    share one budget and one response), the concave response, on/off where a minimum
    applies; ``m.uplift`` gives each campaign-segment its pool's response."""
    for cs in m.data.campaigns:
        key = (cs.campaign, cs.pool)
        if key in m.units:  # another branch of the same network segment
            m.uplift[(cs.campaign, cs.segment)] = m.uplift[key]
            continue
        name = _key(cs.campaign, cs.pool)
        curve = cs.curve
        pieces = [pulp.LpVariable(f"units_{name}_{j}", 0, width)
                  for j, width in enumerate(curve.widths)]
        units = pulp.LpVariable(f"units_{name}", 0, cs.max_units,
                                cat=pulp.LpInteger if cs.integer_units else pulp.LpContinuous)
        m.add(units == pulp.lpSum(pieces), f"units_{name}")
        if cs.min_units > 0:
            on = pulp.LpVariable(f"on_{name}", cat=pulp.LpBinary)
            m.add(units >= cs.min_units * on, f"min_units_{name}")
            m.add(units <= cs.max_units * on, f"max_units_{name}")
        m.units[key], m.pieces[key] = units, pieces
        m.uplift[key] = pulp.lpSum(s * y for s, y in zip(curve.slopes, pieces))
        m.uplift[(cs.campaign, cs.segment)] = m.uplift[key]


def add_diversion(m: Formulation) -> None:
    """Diverted share per segment (successful moves only) and its policy or eligibility cap."""
    by_segment: dict[str, list[CampaignSegment]] = {}
    for cs in m.data.campaigns:
        by_segment.setdefault(cs.segment, []).append(cs)
    total = m.data.total_completed
    for s, seg in m.data.segments.items():
        # one variable per segment, tied to its campaigns once: the service-level rows
        # then read 8 variables, not every response piece (far fewer non-zeros)
        m.diverted[s] = pulp.LpVariable(f"diverted_{_key(s)}", lowBound=0)
        m.add(m.diverted[s] == pulp.lpSum(cs.effect * m.uplift[(cs.campaign, cs.segment)]
                                          for cs in by_segment.get(s, [])),
              _key("diverted", s))
        if by_segment.get(s):
            m.add(m.diverted[s] <= seg.max_diversion - seg.base_diversion, _key("segment_cap", s),
                  +1)
    m.diversion = pulp.lpSum(seg.completed / total * (seg.base_diversion + m.diverted[s])
                             for s, seg in m.data.segments.items())


def add_staffing(m: Formulation) -> None:
    """Each staffed channel and slot picks one staffing step that serves its rate in target."""
    for slot in m.data.staffed:
        key = (slot.channel, slot.slot)
        name = _key(slot.channel, slot.slot)
        by_segment = pulp.lpSum(drop * m.diverted[s] for s, drop in slot.rate_drop.items())
        m.arrivals[key] = slot.base_rate - (
            pulp.lpSum(drop * m.uplift[k] for k, drop in slot.moved_drop.items())
            if slot.moved_drop else by_segment)
        m.rate[key] = slot.base_rate - (
            pulp.lpSum(drop * m.uplift[k] for k, drop in slot.work_drop.items())
            if slot.work_drop else by_segment)
        if len(slot.levels) == 1:
            n, cap = slot.levels[0]
            m.staff[key] = pulp.LpAffineExpression(constant=n)
            if cap != float("inf"):
                m.add(m.rate[key] <= cap, _key("service_level", name), +1)
        else:
            z = [pulp.LpVariable(f"step_{name}_{n}", cat=pulp.LpBinary) for n, _ in slot.levels]
            m.add(pulp.lpSum(z) == 1, _key("one_step", name))
            m.steps[key] = z
            capacity = pulp.lpSum(min(cap, slot.base_rate) * zi
                                  for (_, cap), zi in zip(slot.levels, z))
            m.add(m.rate[key] <= capacity, _key("service_level", name), +1)
            m.staff[key] = pulp.lpSum(n * zi for (n, _), zi in zip(slot.levels, z))
        extra = pulp.LpVariable(f"extra_staff_{name}", lowBound=0)
        m.add(extra >= m.staff[key] - slot.base_staff, _key("extra_staff", name))
        m.extra_staff[key] = extra


def add_shifts(m: Formulation, shifts: list[Shift]) -> None:
    """Staff come in shift patterns: integer starts per channel, pattern and start slot, whose
    coverage must reach each slot's staffing step; the staff spend is then the cost of all
    shift hours beyond the cost of today's schedule."""
    n_slots = m.data.n_slots
    channels = sorted({s.channel for s in m.data.staffed})
    cost = {s.channel: s.staff_cost for s in m.data.staffed}
    for c in channels:
        for shift in shifts:
            starts = shift.starts or list(range(n_slots - shift.length_slots + 1))
            for t in starts:
                if 0 <= t <= n_slots - shift.length_slots:
                    m.shift_starts[(c, shift.name, t)] = pulp.LpVariable(
                        f"starts_{_key(c, shift.name, t)}", lowBound=0, cat=pulp.LpInteger)
    length = {shift.name: shift.length_slots for shift in shifts}
    covering: dict[tuple[str, int], list[pulp.LpVariable]] = {}
    for (c, name, t), v in m.shift_starts.items():
        for h in range(t, t + length[name]):
            covering.setdefault((c, h), []).append(v)
    for slot in m.data.staffed:
        key = (slot.channel, slot.slot)
        m.coverage[key] = pulp.lpSum(covering.get(key, []))
        m.add(m.staff[key] <= m.coverage[key], _key("shift_cover", slot.channel, slot.slot))
    paid = pulp.lpSum(cost[c] * length[name] * v for (c, name, _), v in m.shift_starts.items())
    today = sum(s.staff_cost * s.base_staff for s in m.data.staffed)
    m.extra_shift_cost = pulp.LpVariable("extra_shift_cost", lowBound=0)
    m.add(m.extra_shift_cost >= paid - today, "extra_shift_cost")


def add_kiosks(m: Formulation) -> None:
    """Kiosks per kiosk channel (today's at least, at most ``max_count``; within a network's
    kiosk count and kiosk budget when set), and room on kiosks and capped online channels
    for the load."""
    for k in m.data.kiosks.values():
        # a plan adds machines, it does not take today's away (unless max_kiosks says so)
        m.kiosks[k.channel] = pulp.LpVariable(f"kiosks_{k.channel}", min(k.base_count, k.max_count),
                                              k.max_count, cat=pulp.LpInteger)
        extra = pulp.LpVariable(f"extra_kiosks_{k.channel}", lowBound=0)
        m.add(extra >= m.kiosks[k.channel] - k.base_count, _key("extra_kiosks", k.channel))
        m.extra_kiosks[k.channel] = extra
    if m.data.max_total_kiosks is not None and m.kiosks:
        m.add(pulp.lpSum(m.kiosks.values()) <= m.data.max_total_kiosks, "total_kiosks", +1)
    if m.data.kiosk_budget is not None and m.kiosks:
        m.add(pulp.lpSum(k.cost_per_kiosk * m.extra_kiosks[k.channel]
                         for k in m.data.kiosks.values()) <= m.data.kiosk_budget,
              "kiosk_budget", +1)
    rho = m.data.max_utilisation
    for cap in m.data.capacity:
        load = cap.base_load + pulp.lpSum(per * m.uplift[key]
                                          for key, per in cap.load_per_uplift.items())
        servers = (m.kiosks[cap.channel] if cap.channel in m.kiosks
                   else m.data.online_caps[cap.channel])
        m.add(load <= rho * servers + cap.tolerated, _key("capacity", cap.channel, cap.slot), +1)


def add_spend(m: Formulation) -> None:
    """Fill ``m.spend`` with the extra spend of the planned day by kind, in money:
    ``promotion`` (units x unit cost), ``staff`` (server hours beyond today's, slot by slot;
    with shift patterns, the shift hours paid beyond today's schedule) and ``kiosks``
    (machines beyond today's x their cost).  Staff or kiosks the plan does without are
    not credited."""
    m.spend = {
        "promotion": pulp.lpSum(cost * m.units[key] for key, cost in pool_costs(m.data).items()),
        "staff": (m.extra_shift_cost if m.extra_shift_cost is not None else
                  pulp.lpSum(slot.staff_cost * m.extra_staff[(slot.channel, slot.slot)]
                             for slot in m.data.staffed)),
        "kiosks": pulp.lpSum(k.cost_per_kiosk * m.extra_kiosks[k.channel]
                             for k in m.data.kiosks.values()),
    }


def pool_costs(data: PlanningData) -> dict[tuple[str, str], float]:
    """The unit cost of each (campaign, pool) the plan spends on, once per pool."""
    return {(cs.campaign, cs.pool): cs.unit_cost for cs in data.campaigns}


def total_spend(m: Formulation) -> pulp.LpAffineExpression:
    """Promotion + staff + kiosk spend (``m.spend``, built first by ``add_spend``): what the
    budget bounds and min_cost minimises."""
    return pulp.lpSum(m.spend.values())


def add_target(m: Formulation, target: float) -> None:
    """min_cost: the day's diversion reaches ``target``."""
    assert m.diversion is not None
    m.add(m.diversion >= target, "target_diversion", -1)


def add_budget(m: Formulation, budget: float) -> None:
    """max_diversion: promotion, extra staff and extra kiosks cost at most ``budget``."""
    m.add(total_spend(m) <= budget, "budget", +1)


def add_objective(m: Formulation, settings: OptimizeSettings, budget: float) -> None:
    """The objective and its sense: the least spend (min_cost) or the most diversion
    (max_diversion), each with tie-breakers against idle money and staff; in the elastic
    formulation, the least violation instead. ``budget`` scales the tie-breaker."""
    assert m.diversion is not None
    staff_total = pulp.lpSum((m.coverage or m.staff).values())
    most_staff = max(1.0, sum(max(n for n, _ in s.levels) for s in m.data.staffed))
    if settings.objective is Objective.min_cost:
        m.problem.sense = pulp.LpMinimize
        cheapest_staff = min((s.staff_cost for s in m.data.staffed if s.staff_cost > 0),
                             default=1.0)
        objective = total_spend(m) + TIE * cheapest_staff * staff_total / most_staff
    else:
        m.problem.sense = pulp.LpMaximize
        objective = (m.diversion - TIE * total_spend(m) / max(1.0, budget)
                     - TIE * staff_total / most_staff)
    if m.elastic:  # phase one: the least violation, in comparable units, whatever it costs
        m.problem.sense = pulp.LpMinimize
        objective = pulp.lpSum(slack / _violation_unit(name, budget)
                               for name, slack in m.slacks.items())
    m.problem.setObjective(objective)


def _violation_unit(name: str, budget: float) -> float:
    """What counts as one unit of violation per constraint family, so that slacks in
    money, shares, rates and servers weigh alike: 1% of the budget, 1 point of diversion,
    0.01 arrivals per minute of service level, 0.1 of a server of capacity."""
    if name == "budget":
        return max(1.0, 0.01 * budget)
    if name.startswith("capacity"):
        return 0.1
    return 0.01


def build(data: PlanningData, settings: OptimizeSettings, budget: float, elastic: bool = False
          ) -> Formulation:
    """The whole problem for one objective and budget (``elastic``: constraints may break)."""
    m = Formulation(pulp.LpProblem("channel_plan", pulp.LpMaximize), data, elastic=elastic)
    add_promotion(m)
    add_diversion(m)
    add_staffing(m)
    if settings.shifts:
        add_shifts(m, settings.shifts)
    add_kiosks(m)
    add_spend(m)
    if settings.objective is Objective.min_cost:
        assert settings.target_diversion is not None, "validated: min_cost needs a target"
        add_target(m, settings.target_diversion)
    else:
        add_budget(m, budget)
    add_objective(m, settings, budget)
    return m
