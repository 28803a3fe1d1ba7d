"""The year plan's planning model: segment trajectories moved linearly by campaign contacts.

For segment s and month t (1 .. T), the e-channel share of its completed transactions is

    share_s(t) = base_s(t) + sum_c sum_{tau <= t} rho_cs ** (t - tau) * g_cs(u_cs(tau))

and its penetration the same with its own base, gains and persistence.  ``u_cs(tau)`` are
the contacts campaign c makes among segment s's customers in month tau, ``g_cs`` is
concave and piecewise linear in them (``Response``: pieces of contacts, each with its own
gain per contact, never rising), and ``rho_cs`` is how much of a month's effect is left
the next month (habits formed minus habits decayed).  The network's share weights the
segments by their completed transactions, its penetration by their customers.  Shares
above 1, or above what every campaign at its limits reaches (the ceiling), count as that.

**Capacity steps** (``CapacityOption``): servers added to a channel in month tau, k(tau)
in [low, high], add ``sum_{tau <= t} h_cs(tau) * k(tau)`` to segment s's KPIs at month
t, where ``h_cs(tau) = g_cs(tau) - g_cs(tau - 1)`` is what one server in month tau adds
to the habits formed by then and ``g_cs(t)`` what one server added all year does by
month t (estimated): a server kept all year gives exactly g, one added late only the
habits its months form.  Each costs a server-month.  A
staffed channel with a service target must meet it in every open hour of every month
at the load the plan leaves it: the hour's arrivals on the planning day, times the
channel's monthly load, a line in the network's e-channel share (``ServiceHours.line``:
through the load with no contacts, with the slope measured between that and every
campaign at its limits; a hotline whose IVR counts among the e-channels may gain calls
as the share rises), at most what the hour's servers plus k serve within target (Erlang A or C,
``optimize.data.highest_rate``: the rule the day optimiser staffs by), the target raised
by how far Erlang lies above the baseline's simulated days (``ServiceHours.margin``).

``base`` is the trajectory with no contacts.  Once a plan has been simulated,
``re_anchor`` scales each segment's gains so that the model's effect of that plan comes
closest to the simulated one (the model learns how much the campaigns really did), and
moves the base so that the model gives exactly the simulation at that plan; a staffed
channel's load line moves onto the plan's simulated load the same way.

``build`` makes the MILP (contacts are whole numbers, continuous and rounded down for
pools over WHOLE_CONTACTS_UP_TO; a contact's pieces are continuous and filled in order by
any optimum, since the gains never rise); ``predict`` evaluates
the same formula for a given calendar, without a solver.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field
from typing import Optional

import pulp

from optimize.data import StaffedSlot, highest_rate, service_level

# (campaign, segment) -> contacts per month, and (CAPACITY, channel) -> servers added per month
Calendar = dict[tuple[str, str], list[int]]
CAPACITY = "capacity"  # a calendar key's first part for a channel's capacity steps
KPIS = ("e_channel_share", "penetration")
# a segment's contacts are whole numbers in the MILP up to this many reachable customers;
# beyond, one contact is under 0.1% of the pool: continuous, the solution rounded down
# (integer contacts there made solves with capacity steps 20x slower)
WHOLE_CONTACTS_UP_TO = 1000


@dataclass(frozen=True)
class Response:
    """What contacting a segment for a campaign does: contacts in ``pieces`` (widths, in
    order, summing to the customers it can reach), each contact of piece k adding
    ``gains[kpi][k]`` to the segment's KPI that month (gains never rise from one piece to
    the next), and ``persistence[kpi]`` of it left each month after.  ``by_month``: gains
    per contact month (0-based) where they differ from month to month (a segment whose
    habits have set answers a campaign less late in the year than early)."""

    pieces: tuple[int, ...]
    gains: dict[str, tuple[float, ...]]
    persistence: dict[str, float]
    by_month: dict[str, list[tuple[float, ...]]] = field(default_factory=dict)

    def gains_at(self, kpi: str, month: int) -> tuple[float, ...]:
        """The gains of a contact made in ``month`` (0-based)."""
        rows = self.by_month.get(kpi)
        return rows[month] if rows else self.gains[kpi]

    def effect(self, kpi: str, contacts: float, month: int = 0) -> float:
        """The effect of ``contacts`` made in ``month`` on ``kpi`` that month: the pieces
        filled in order."""
        total, left = 0.0, contacts
        for width, gain in zip(self.pieces, self.gains_at(kpi, month)):
            used = min(left, width)
            total += gain * used
            left -= used
        return total

    def scaled(self, factors: dict[str, float]) -> Response:
        """Every gain of each KPI times its factor (1 where none is given)."""
        return Response(
            self.pieces,
            {k: tuple(g * factors.get(k, 1.0) for g in gs) for k, gs in self.gains.items()},
            self.persistence,
            {k: [tuple(g * factors.get(k, 1.0) for g in gs) for gs in rows]
             for k, rows in self.by_month.items()})


@dataclass(frozen=True)
class SegmentPath:
    """A segment's trajectory with no contacts, month by month: its customers, its
    completed transactions (the network share's weights) and each KPI; ``ceiling``: the
    most each KPI reaches when every campaign contacts everyone it can every month (None:
    1), which the model never credits beyond however the effects add up."""

    customers: float
    transactions: list[float]
    base: dict[str, list[float]]
    ceiling: Optional[dict[str, list[float]]] = None

    def cap(self, kpi: str, month: int) -> float:
        """The most the model credits the segment's ``kpi`` at ``month`` (1-based)."""
        if self.ceiling is None:
            return 1.0
        return min(1.0, max(self.base[kpi][month - 1], self.ceiling[kpi][month - 1]))


@dataclass(frozen=True)
class CampaignLimits:
    """What a campaign may do: its cost per contact, the customers it can reach in each
    segment, and its caps (None: none)."""

    unit_cost: float
    pools: dict[str, int]
    max_per_month: Optional[int] = None  # contacts a month over its segments
    max_per_customer: Optional[int] = None  # contacts of one customer over the plan


@dataclass(frozen=True)
class ServiceHours:
    """What a staffed channel's service target asks, per open hour of the planning day
    (``optimize.data.StaffedSlot``: arrivals per minute, service, patience, target) with
    today's servers and, per servers added (low .. high), the most arrivals per minute
    they serve within target; per month, the channel's load with no contacts relative to
    the planning day and the network's e-channel share then."""

    slots: list[StaffedSlot]
    servers: list[int]  # today's, per open hour
    served: list[list[float]]  # hour -> servers added - low -> highest rate within target
    load: list[float]
    base_share: list[float]
    # how far Erlang's hour-by-hour service level, averaged over the baseline's months,
    # lies above what the baseline's representative days simulated (queues carried from
    # hour to hour, balking, priorities): taken off every prediction, added to the target
    margin: float = 0.0
    # per month, how the load moves with the network's e-channel share (d load / d share,
    # measured); None: in proportion to the transactions left off the e-channels
    slope: Optional[list[float]] = None
    planned: float = 0.0  # the planning day's arrivals (a simulated month's load: over these)
    # month (0-based) -> a higher margin a simulated plan asked for that month, and
    # ``served`` at it (``CapacityOption.with_month_margins``)
    raised: dict[int, tuple[float, list[list[float]]]] = field(default_factory=dict)

    def margin_at(self, month: int) -> float:
        """The margin in ``month`` (0-based): ``margin``, or a higher one a plan asked for."""
        return self.raised[month][0] if month in self.raised else self.margin

    def served_at(self, month: int) -> list[list[float]]:
        """``served`` in ``month`` (0-based), at that month's margin."""
        return self.raised[month][1] if month in self.raised else self.served

    def line(self, month: int) -> tuple[float, float]:
        """The load in ``month`` (0-based) as ``a + b * share``: (a, b).  Through the month's
        anchor (``load`` at ``base_share``), with ``slope``, else -load / (1 - base share)
        (a channel serving the transactions the e-channels do not)."""
        t = month
        b = self.slope[t] if self.slope is not None else (
            -self.load[t] / max(1e-9, 1 - self.base_share[t]))
        return self.load[t] - b * self.base_share[t], b

    def target(self) -> float:
        """The channel's service target (``target_share``, which every open hour carries)."""
        return self.slots[0].target_share if self.slots else 0.0

    def level(self, hour: int, rate: float, added: int, month: Optional[int] = None) -> float:
        """The hour's share served within target at ``rate`` with ``added`` servers (Erlang,
        less the margin: ``month``'s, 0-based, else ``margin``)."""
        slot = self.slots[hour]
        return service_level(self.servers[hour] + added, rate, slot.mean_service_minutes,
                             slot.patience_rate, slot.target_wait_minutes,
                             slot.service_scv) - (self.margin if month is None
                                                  else self.margin_at(month))


@dataclass(frozen=True)
class CapacityOption:
    """Servers a plan may add to a channel (``low`` .. ``high``, negative removes) month by
    month, what one costs a month, ``effects[kpi][segment][t]``: what one server added all
    year does to the segment's KPI by month t+1, and its ``service`` target (staffed
    channels with one)."""

    low: int
    high: int
    cost_per_month: float
    effects: dict[str, dict[str, list[float]]]
    service: Optional[ServiceHours] = None

    def increments(self, kpi: str, segment: str, months: int) -> list[float]:
        """``h`` of the module docstring: what one server in each month adds to the
        segment's ``kpi`` from then on."""
        g = self.effects[kpi].get(segment) or [0.0] * months
        return [g[t] - (g[t - 1] if t else 0.0) for t in range(months)]

    def served(self, margin: float) -> list[list[float]]:
        """``ServiceHours.served`` for the target raised by ``margin``: per open hour and
        staffing level, the most arrivals per minute served within it (Erlang)."""
        sv = self.service
        assert sv is not None
        upper = 10 * max([x.base_rate for x in sv.slots] + [1.0])
        return [[highest_rate(n + k, x.mean_service_minutes, x.patience_rate,
                              x.target_wait_minutes, min(0.999, x.target_share + margin),
                              upper, x.service_scv) if n + k > 0 else 0.0
                 for k in range(self.low, self.high + 1)]
                for x, n in zip(sv.slots, sv.servers)]

    def with_margin(self, margin: float) -> CapacityOption:
        """The option with its service model's ``margin`` set for every month, and what each
        staffing level serves within the target raised by it."""
        sv = self.service
        if sv is None:
            return self
        return dataclasses.replace(self, service=dataclasses.replace(
            sv, served=self.served(margin), margin=margin, raised={}))

    def with_month_margins(self, margins: dict[int, float]) -> CapacityOption:
        """The option with a higher margin in some months (0-based; one no higher than the
        month's present margin changes nothing)."""
        sv = self.service
        if sv is None:
            return self
        raised = dict(sv.raised)
        tables: dict[float, list[list[float]]] = {}
        for t, m in sorted(margins.items()):
            if m > sv.margin_at(t):
                if m not in tables:
                    tables[m] = self.served(m)
                raised[t] = (m, tables[m])
        return dataclasses.replace(self, service=dataclasses.replace(sv, raised=raised))


@dataclass(frozen=True)
class Requirement:
    """At least ``value`` of ``kpi`` (network-wide) at the end of ``month``."""

    kpi: str
    month: int
    value: float

    def label(self) -> str:
        """How messages name it: ``penetration at month 12``."""
        return f"{self.kpi} at month {self.month}"


@dataclass(frozen=True)
class YearProblem:
    """What the planning model is asked: requirements, and the spend they may take.
    ``maximise``: the KPI and month whose network value is maximised (None: least spend)."""

    requirements: list[Requirement]
    budget: Optional[float] = None
    month_spend: Optional[list[tuple[float, float]]] = None  # per month (low, high)
    maximise: Optional[tuple[str, int]] = None
    # staffed channel -> its service target, which a simulated plan must not miss
    # significantly in any month (the model keeps it by ``CapacityOption.service``)
    service: dict[str, float] = field(default_factory=dict)


@dataclass
class YearData:
    """The planning model's numbers: months, segments, campaigns and their responses."""

    months: int
    segments: dict[str, SegmentPath]
    campaigns: dict[str, CampaignLimits]
    responses: dict[tuple[str, str], Response] = field(default_factory=dict)
    capacity: dict[str, CapacityOption] = field(default_factory=dict)  # by channel
    scale: float = 1.0  # real customers per simulated one (contacts count real ones)

    def pairs(self) -> list[tuple[str, str]]:
        """(campaign, segment) a plan may contact: a response and someone to reach."""
        return [(c, s) for (c, s) in self.responses if self.campaigns[c].pools.get(s, 0) > 0]

    def weight(self, kpi: str, segment: str, month: int) -> float:
        """The segment's weight in the network's ``kpi`` at ``month`` (1-based)."""
        if kpi == "penetration":
            total = sum(p.customers for p in self.segments.values())
            return self.segments[segment].customers / total if total > 0 else 0.0
        total = sum(p.transactions[month - 1] for p in self.segments.values())
        return self.segments[segment].transactions[month - 1] / total if total > 0 else 0.0


def segment_effects(data: YearData, calendar: Calendar, kpi: str) -> dict[str, list[float]]:
    """Per segment and month, the calendar's effect on ``kpi`` (the module's sum)."""
    effects = {s: [0.0] * data.months for s in data.segments}
    for (c, s), counts in calendar.items():
        if c == CAPACITY:
            option = data.capacity.get(s)
            if option is None:
                continue
            for seg in option.effects[kpi]:
                h = option.increments(kpi, seg, data.months)
                for tau, k in enumerate(counts[:data.months]):
                    for t in range(tau, data.months):
                        effects[seg][t] += h[tau] * k
            continue
        response = data.responses.get((c, s))
        if response is None:
            continue
        rho = response.persistence[kpi]
        for tau, n in enumerate(counts[:data.months]):
            if n:
                now = response.effect(kpi, n, tau)
                for t in range(tau, data.months):
                    effects[s][t] += now * rho ** (t - tau)
    return effects


def predict(data: YearData, calendar: Calendar) -> dict[str, list[float]]:
    """The network's KPIs month by month under ``calendar``, as the model sees them;
    per segment too, as ``<kpi>.<segment>``."""
    out: dict[str, list[float]] = {}
    for kpi in KPIS:
        effects = segment_effects(data, calendar, kpi)
        network = [0.0] * data.months
        for s, path in data.segments.items():
            values = [min(path.cap(kpi, t + 1), b + e)
                      for t, (b, e) in enumerate(zip(path.base[kpi], effects[s]))]
            out[f"{kpi}.{s}"] = values
            for t in range(data.months):
                network[t] += data.weight(kpi, s, t + 1) * values[t]
        out[kpi] = network
    return out


def spend(data: YearData, calendar: Calendar) -> list[float]:
    """Money spent each month under ``calendar``."""
    months = [0.0] * data.months
    for (c, s), counts in calendar.items():
        cost = data.capacity[s].cost_per_month if c == CAPACITY else data.campaigns[c].unit_cost
        for t, n in enumerate(counts[:data.months]):
            months[t] += n * cost
    return months


def service_load(option: CapacityOption, share: float, month: int) -> float:
    """The channel's load in ``month`` (1-based) relative to the planning day, at network
    e-channel share ``share`` (module docstring)."""
    assert option.service is not None
    a, b = option.service.line(month - 1)
    return max(0.0, a + b * share)


def predicted_service_level(option: CapacityOption, share: float, month: int, added: int
                            ) -> float:
    """The channel's share served within target in ``month`` (1-based) with ``added``
    servers at network e-channel share ``share``: each open hour's at the plan's load,
    weighted by the hours' arrivals."""
    assert option.service is not None
    sv = option.service
    f = service_load(option, share, month)
    rates = [slot.base_rate for slot in sv.slots]
    total = sum(rates)
    return sum(r * sv.level(h, r * f, added, month - 1) for h, r in enumerate(rates)) / total \
        if total > 0 else 1.0


def re_anchor(data: YearData, calendar: Calendar, simulated: dict[str, list[float]],
              bounds: tuple[float, float] = (0.1, 10.0),
              service: Optional[dict[str, list[float]]] = None,
              loads: Optional[dict[str, list[float]]] = None) -> YearData:
    """The model moved onto a simulated plan.  For each segment and KPI, every gain is
    multiplied by the factor (within ``bounds``) that brings the model's effect of
    ``calendar``, month by month, closest (least squares) to the simulated effect
    (``simulated``'s ``<kpi>.<segment>`` minus the no-contact base); then the base takes
    up what is left, so that the model gives exactly the simulation for that plan and
    moves from it by the rescaled gains.  ``loads``: per staffed channel with a target, its
    simulated load month by month under ``calendar`` (relative to the planning day): the
    load line then passes through it at the simulated share, its slope kept.
    ``service``: the same channels' simulated service levels; in a month where one misses
    its target, the service model's margin that month grows by how far its prediction
    lay above it (a month that keeps its target keeps its margin)."""
    scale: dict[tuple[str, str], float] = {}
    for kpi in KPIS:
        effects = segment_effects(data, calendar, kpi)
        for s, path in data.segments.items():
            model = effects[s]
            seen = [x - b for x, b in zip(simulated[f"{kpi}.{s}"], path.base[kpi])]
            norm = sum(m * m for m in model)
            if norm > 1e-12:
                k = sum(m * x for m, x in zip(model, seen)) / norm
                scale[(kpi, s)] = min(max(k, bounds[0]), bounds[1])
    responses = {(c, s): r.scaled({kpi: scale.get((kpi, s), 1.0) for kpi in KPIS})
                 for (c, s), r in data.responses.items()}
    rescaled = YearData(data.months, data.segments, data.campaigns, responses, data.capacity,
                        data.scale)
    segments = {}
    for s, path in data.segments.items():
        base = {}
        for kpi in KPIS:
            effect = segment_effects(rescaled, calendar, kpi)[s]
            base[kpi] = [x - e for x, e in zip(simulated[f"{kpi}.{s}"], effect)]
        segments[s] = SegmentPath(path.customers, path.transactions, base, path.ceiling)
    capacity = dict(data.capacity)
    shares = simulated.get("e_channel_share", [])
    for ch, seen_loads in (loads or {}).items():
        sv = capacity[ch].service
        if sv is None or not shares or not all(map(math.isfinite, seen_loads)):
            continue
        slopes = [sv.line(t)[1] for t in range(data.months)]
        capacity[ch] = dataclasses.replace(capacity[ch], service=dataclasses.replace(
            sv, load=list(seen_loads), base_share=list(shares), slope=slopes))
    for ch, levels in (service or {}).items():
        option = capacity[ch]
        sv = option.service
        steps = calendar.get((CAPACITY, ch), [0] * data.months)
        if sv is None or not shares:
            continue
        target = sv.target()
        raised = {m: sv.margin_at(m) + predicted_service_level(option, shares[m], m + 1,
                                                                steps[m]) - seen_level
                  for m, seen_level in enumerate(levels)
                  if math.isfinite(seen_level) and seen_level < target}
        capacity[ch] = option.with_month_margins(raised)
    return YearData(data.months, segments, data.campaigns, responses, capacity, data.scale)


@dataclass
class YearModel:
    """The MILP and its variables: ``contacts[(c, s)][t]`` whole contacts, ``spend[t]``,
    ``value[(kpi, month)]`` the network KPI the model credits (shares capped at 1), and
    ``limits``: the constraints a shortfall can be blamed on, by name (``elastic``: the
    requirements' slacks)."""

    problem: pulp.LpProblem
    contacts: dict[tuple[str, str], list[pulp.LpVariable]]
    spend: list[pulp.LpAffineExpression]
    value: dict[tuple[str, int], pulp.LpAffineExpression]
    limits: dict[str, pulp.LpConstraint]
    slacks: dict[str, pulp.LpVariable] = field(default_factory=dict)


def build(data: YearData, problem: YearProblem, elastic: bool = False,
          around: Optional[tuple[Calendar, float]] = None) -> YearModel:
    """The planning model as a PuLP MILP.  ``elastic``: every requirement may fall short
    by a slack, and the model minimises the slacks' sum (the infeasibility report).
    ``around`` (a calendar, a radius): each month's contacts stay within radius x the
    segment's pool of the calendar's (a trust region; capacity steps range freely)."""
    lp = pulp.LpProblem("year_plan", pulp.LpMaximize if problem.maximise and not elastic
                        else pulp.LpMinimize)
    T = data.months
    contacts: dict[tuple[str, str], list[pulp.LpVariable]] = {}
    pieces: dict[tuple[str, str], list[list[pulp.LpVariable]]] = {}
    limits: dict[str, pulp.LpConstraint] = {}
    for n, (c, s) in enumerate(data.pairs()):
        pool = data.campaigns[c].pools[s]
        response = data.responses[(c, s)]
        lows, highs = [0] * T, [pool] * T
        if around is not None:
            centre, radius = around
            step = radius * pool
            at = centre.get((c, s), [0] * T)
            lows = [max(0, math.ceil(at[t] - step)) for t in range(T)]
            highs = [min(pool, math.floor(at[t] + step)) for t in range(T)]
        whole = pulp.LpInteger if pool <= WHOLE_CONTACTS_UP_TO else pulp.LpContinuous
        contacts[(c, s)] = [pulp.LpVariable(f"u_{n}_{t}", lows[t], highs[t], cat=whole)
                            for t in range(T)]
        pieces[(c, s)] = [[pulp.LpVariable(f"x_{n}_{t}_{k}", 0, width)
                           for k, width in enumerate(response.pieces)] for t in range(T)]
        for t in range(T):
            lp += contacts[(c, s)][t] == pulp.lpSum(pieces[(c, s)][t]), f"pieces_{n}_{t}"
    for n, (ch, option) in enumerate(sorted(data.capacity.items())):
        # free of the trust region: a few whole steps whose effects on the shares are
        # small, and a service target may need any of them
        contacts[(CAPACITY, ch)] = [pulp.LpVariable(f"k_{n}_{t}", option.low, option.high,
                                                    cat=pulp.LpInteger) for t in range(T)]
    costs = {key: data.capacity[key[1]].cost_per_month if key[0] == CAPACITY
             else data.campaigns[key[0]].unit_cost for key in contacts}
    month_spend = [pulp.lpSum(costs[key] * u[t] for key, u in contacts.items()) for t in range(T)]
    total = pulp.lpSum(month_spend)

    @functools.cache  # the requirements' values and the service rows share them
    def effect(kpi: str, s: str, month: int) -> pulp.LpAffineExpression:
        terms = []
        for (c, seg), xs in pieces.items():
            if seg != s:
                continue
            r = data.responses[(c, s)]
            for tau in range(month):
                decay = r.persistence[kpi] ** (month - 1 - tau)
                terms += [(x, decay * g) for x, g in zip(xs[tau], r.gains_at(kpi, tau))
                          if g * decay]
        for ch, option in data.capacity.items():
            if s in option.effects[kpi]:
                h = option.increments(kpi, s, T)
                terms += [(contacts[(CAPACITY, ch)][tau], h[tau]) for tau in range(month)
                          if h[tau]]
        return pulp.LpAffineExpression(terms)

    value: dict[tuple[str, int], pulp.LpAffineExpression] = {}
    wanted = {(r.kpi, r.month) for r in problem.requirements}
    if problem.maximise:
        wanted.add(problem.maximise)
    if any(o.service for o in data.capacity.values()):
        wanted |= {("e_channel_share", t) for t in range(1, T + 1)}
    for kpi, month in sorted(wanted):
        credited: list[pulp.LpAffineExpression] = []
        for s, path in data.segments.items():
            # the segment's KPI as credited: at most the model's value, at most its cap
            y = pulp.LpVariable(f"y_{kpi}_{month}_{len(credited)}", None, path.cap(kpi, month))
            lp += y <= path.base[kpi][month - 1] + effect(kpi, s, month), f"cap_{y.name}"
            credited.append(data.weight(kpi, s, month) * y)
        value[(kpi, month)] = pulp.lpSum(credited)

    for n, (ch, option) in enumerate(sorted(data.capacity.items())):
        sv = option.service
        if sv is None:
            continue
        for t in range(T):
            # one staffing level a month, and every open hour served within target by it
            pick = [pulp.LpVariable(f"level_{n}_{t}_{j}", cat=pulp.LpBinary)
                    for j in range(option.high - option.low + 1)]
            lp += pulp.lpSum(pick) == 1, f"one_level_{n}_{t}"
            lp += contacts[(CAPACITY, ch)][t] == pulp.lpSum(
                (option.low + j) * y for j, y in enumerate(pick)), f"level_is_{n}_{t}"
            a, b = sv.line(t)
            # the load at most: the credited share (at most the model's) where the load
            # falls as the share rises, else the model's share uncapped (at least it)
            share = value[("e_channel_share", t + 1)] if b <= 0 else pulp.lpSum(
                data.weight("e_channel_share", s, t + 1)
                * (path.base["e_channel_share"][t] + effect("e_channel_share", s, t + 1))
                for s, path in data.segments.items())
            for h, slot in enumerate(sv.slots):
                name = f"service_{ch}_{t + 1}_{h}"
                limits[name] = slot.base_rate * (a + b * share) <= pulp.lpSum(
                    cap * y for cap, y in zip(sv.served_at(t)[h], pick))
                lp += limits[name], name

    slacks: dict[str, pulp.LpVariable] = {}
    for r in problem.requirements:
        row = value[(r.kpi, r.month)]
        if elastic:
            slacks[r.label()] = pulp.LpVariable(f"slack_{len(slacks)}", 0)
            row = row + slacks[r.label()]
        lp += row >= r.value, f"need_{r.kpi}_{r.month}"
    if problem.budget is not None:
        limits["budget"] = total <= problem.budget
        lp += limits["budget"], "budget"
    for t, (low, high) in enumerate(problem.month_spend or []):
        limits[f"spend_high_{t + 1}"] = month_spend[t] <= high
        lp += limits[f"spend_high_{t + 1}"], f"spend_high_{t + 1}"
        lp += month_spend[t] >= low, f"spend_low_{t + 1}"
    for c, limit in data.campaigns.items():
        mine = [(s, u) for (cc, s), u in contacts.items() if cc == c]
        if limit.max_per_month is not None and mine:
            for t in range(T):
                name = f"month_cap_{c}_{t + 1}"
                limits[name] = pulp.lpSum(u[t] for _, u in mine) <= limit.max_per_month
                lp += limits[name], name
        if limit.max_per_customer is not None:
            for s, u in mine:
                name = f"fatigue_{c}_{s}"
                limits[name] = pulp.lpSum(u) <= limit.max_per_customer * limit.pools[s]
                lp += limits[name], name

    if elastic:
        lp += pulp.lpSum(slacks.values())
    elif problem.maximise:
        # the most of the KPI; of plans alike in it, the cheapest (a tie-break too small
        # to trade any KPI for money: 1e-7 of a share point per budget)
        scale = 1e-9 / max(problem.budget or 1.0, 1.0)
        lp += value[problem.maximise] - scale * total
    else:
        lp += total
    return YearModel(lp, contacts, month_spend, value, limits, slacks)


def calendar_of(model: YearModel) -> Calendar:
    """The solved contacts and steps as whole numbers: rounded down, within the solver's
    tolerance (integer variables come back as 2.9999999; continuous contacts stay within
    their caps)."""
    return {key: [math.floor((u.value() or 0.0) + 1e-6) for u in us]
            for key, us in model.contacts.items()}


def binding_limits(model: YearModel, data: YearData, calendar: Calendar,
                   tolerance: float = 1e-6) -> list[str]:
    """The limits at their bound in a solution, one phrase per kind and campaign: the
    budget, months at their spend cap, a campaign's monthly cap (in which months), its
    per-customer cap and the segments all of whose reachable customers it contacts every
    month."""
    tight = [name for name, row in model.limits.items()
             if abs(row.value() or 0.0) <= tolerance * max(1.0, abs(row.constant))]
    phrases = ["the budget"] if "budget" in tight else []
    for ch in sorted(data.capacity):
        prefix = f"service_{ch}_"
        hit = sorted({int(n.split("_")[-2]) for n in tight
                      if n.startswith(prefix) and n[len(prefix):].count("_") == 1})
        if hit:
            phrases.append(f"{ch}'s service level in months " + ",".join(map(str, hit)))
    months = [n.rsplit("_", 1)[1] for n in tight if n.startswith("spend_high_")]
    if months:
        phrases.append("the month spend cap in months " + ",".join(months))
    for c in data.campaigns:
        capped = [n.rsplit("_", 1)[1] for n in tight if n.startswith(f"month_cap_{c}_")]
        if capped:
            phrases.append(f"{c}'s monthly cap in months " + ",".join(capped))
        tired = [s for (cc, s) in data.pairs() if cc == c and f"fatigue_{c}_{s}" in tight]
        if tired:
            phrases.append(f"{c}'s per-customer cap in " + ",".join(tired))
        full = [s for (cc, s), counts in calendar.items()
                if cc == c and counts and all(n >= data.campaigns[c].pools[s] for n in counts)]
        if full:
            phrases.append(f"{c} reaching everyone it can in " + ",".join(full))
    return phrases


def requirement_values(data: YearData, calendar: Calendar, problem: YearProblem
                       ) -> dict[str, float]:
    """Each requirement's network value under ``calendar`` (``predict``)."""
    kpis = predict(data, calendar)
    return {r.label(): kpis[r.kpi][r.month - 1] for r in problem.requirements}

