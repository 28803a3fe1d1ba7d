"""The year plan's planning model against brute-force enumeration of every integer calendar
of a tiny instance: 2 segments x 1 campaign x 3 months."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Optional

import pulp
import pytest

from optimize.data import StaffedSlot
from optimize.settings import OptimizeSettings
from optimize.solve import solve
from optimize.year.model import (
    CAPACITY,
    CampaignLimits,
    CapacityOption,
    Requirement,
    Response,
    SegmentPath,
    ServiceHours,
    YearData,
    YearProblem,
    build,
    calendar_of,
    predict,
    re_anchor,
)
from optimize.year.risk import margins, raised_problem
from sim.scenario import ChannelKind

MONTHS = 3
POOL = 4  # customers the campaign reaches in each segment: contacts 0..4 a month
COST = 10.0


def tiny() -> YearData:
    """Two segments unlike each other: a responsive one whose habit fades (persistence
    0.5, gains 0.04 then 0.01 a contact) and a slow one that keeps it (0.9; 0.02, 0.015)."""
    segments = {
        "young": SegmentPath(10, [30, 30, 30], {"e_channel_share": [0.50, 0.50, 0.50],
                                                "penetration": [0.60, 0.60, 0.60]}),
        "old": SegmentPath(20, [10, 10, 10], {"e_channel_share": [0.10, 0.12, 0.14],
                                              "penetration": [0.20, 0.20, 0.20]}),
    }
    responses = {
        ("sms", "young"): Response((2, 2), {"e_channel_share": (0.04, 0.01),
                                           "penetration": (0.03, 0.01)},
                                   {"e_channel_share": 0.5, "penetration": 0.6}),
        ("sms", "old"): Response((2, 2), {"e_channel_share": (0.02, 0.015),
                                         "penetration": (0.02, 0.02)},
                                 {"e_channel_share": 0.9, "penetration": 0.8}),
    }
    campaigns = {"sms": CampaignLimits(COST, {"young": POOL, "old": POOL}, max_per_month=6,
                                       max_per_customer=2)}
    return YearData(MONTHS, segments, campaigns, responses)


def by_hand(contacts: Mapping[str, tuple[int, ...]], kpi: str) -> float:
    """The network KPI at month 3 from the model's formula, written out here: pieces
    filled in order, each month's effect carried with persistence ** lag, shares capped
    at 1, segments weighted by transactions (share) or customers (penetration)."""
    data = tiny()
    total, weights = 0.0, 0.0
    for s, path in data.segments.items():
        r = data.responses[("sms", s)]
        value = path.base[kpi][2]
        for month, n in enumerate(contacts[s]):
            first, second = min(n, 2), max(0, n - 2)
            gain = r.gains[kpi][0] * first + r.gains[kpi][1] * second
            value += gain * r.persistence[kpi] ** (2 - month)
        w = path.transactions[2] if kpi == "e_channel_share" else path.customers
        total += w * min(value, 1.0)
        weights += w
    return total / weights


def every_calendar() -> list[dict[str, tuple[int, ...]]]:
    """Every integer calendar within the caps: pools, 6 a month, 2 per customer (8)."""
    months = [c for c in itertools.product(range(POOL + 1), repeat=MONTHS) if sum(c) <= 2 * POOL]
    found = []
    for young, old in itertools.product(months, months):
        if all(young[t] + old[t] <= 6 for t in range(MONTHS)):
            found.append({"young": young, "old": old})
    return found


def spent(calendar: dict[str, tuple[int, ...]]) -> float:
    return COST * sum(sum(c) for c in calendar.values())


def solved(problem: YearProblem) -> tuple[float, dict[str, tuple[int, ...]]]:
    model = build(tiny(), problem)
    result = solve(model.problem, OptimizeSettings(gap=0.0))
    assert result.status == "optimal"
    calendar = calendar_of(model)
    return float(pulp.value(model.problem.objective)), {
        s: tuple(calendar[("sms", s)]) for s in ("young", "old")}


@pytest.mark.parametrize("share, penetration", [(0.45, None), (0.50, None), (0.47, 0.45),
                                                (None, 0.47), (0.52, 0.46)])
def test_least_spend_equals_brute_force(share: float | None, penetration: float | None) -> None:
    requirements = [Requirement(k, MONTHS, v) for k, v in
                    (("e_channel_share", share), ("penetration", penetration)) if v is not None]
    feasible = [c for c in every_calendar()
                if all(by_hand(c, r.kpi) >= r.value - 1e-12 for r in requirements)]
    best = min(spent(c) for c in feasible)
    objective, calendar = solved(YearProblem(requirements))
    assert objective == pytest.approx(best, abs=1e-6)
    assert spent(calendar) == pytest.approx(best)
    assert all(by_hand(calendar, r.kpi) >= r.value - 1e-9 for r in requirements)


@pytest.mark.parametrize("budget", [0, 30, 60, 110, 200])
def test_most_share_within_a_budget_equals_brute_force(budget: float) -> None:
    best = max(by_hand(c, "e_channel_share") for c in every_calendar() if spent(c) <= budget)
    _, calendar = solved(YearProblem([], budget=budget, maximise=("e_channel_share", MONTHS)))
    assert spent(calendar) <= budget
    assert by_hand(calendar, "e_channel_share") == pytest.approx(best, abs=1e-9)


def test_predict_is_the_formula_written_out() -> None:
    calendar = {"young": (1, 3, 0), "old": (4, 0, 2)}
    kpis = predict(tiny(), {("sms", s): list(c) for s, c in calendar.items()})
    for kpi in ("e_channel_share", "penetration"):
        assert kpis[kpi][2] == pytest.approx(by_hand(calendar, kpi), abs=1e-12)


def test_more_budget_never_lowers_the_planned_share() -> None:
    shares = [by_hand(solved(YearProblem([], budget=b, maximise=("e_channel_share", MONTHS)))[1],
                      "e_channel_share") for b in range(0, 170, 10)]
    assert all(later >= earlier - 1e-9 for earlier, later in zip(shares, shares[1:]))
    assert shares[-1] > shares[0]


def test_a_margin_is_how_far_the_worlds_quantile_lies_below_the_nominal_value() -> None:
    spread = [{"share": v} for v in (0.40, 0.41, 0.42, 0.43, 0.44, 0.45, 0.46, 0.47, 0.48,
                                     0.49, 0.50)]
    # the 20% quantile of 11 evenly spaced values is the third: 0.42
    assert margins(spread, {"share": 0.47}, 0.8)["share"] == pytest.approx(0.05)
    assert margins(spread, {"share": 0.40}, 0.8)["share"] == 0.0  # never negative


def test_a_higher_confidence_never_lowers_the_least_spend() -> None:
    label = f"e_channel_share at month {MONTHS}"
    spread = [{label: 0.40 + 0.01 * k} for k in range(11)]
    problem = YearProblem([Requirement("e_channel_share", MONTHS, 0.42)])
    spends = [solved(raised_problem(problem, margins(spread, {label: 0.45}, q)))[0]
              for q in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)]
    assert all(later >= earlier - 1e-9 for earlier, later in zip(spends, spends[1:]))
    assert spends[-1] > spends[0]


# ------------------------------------------------------------------ capacity steps

SERVER_COST = 25.0  # a counter server for a month
SERVED = [0.45, 0.5, 0.8]  # arrivals a minute served within target with -1, 0, +1 servers
RATE = 0.5  # the counter's arrivals a minute on the planning day
# what one counter server kept all year does to each segment's share by months 1, 2, 3
COUNTER_EFFECT = {"young": (-0.01, -0.015, -0.02), "old": (-0.02, -0.025, -0.04)}


def with_counter(slope: Optional[float] = None) -> YearData:
    """``tiny`` with a counter whose servers the plan may step by -1..+1 a month: a server
    kept all year lowers the share by month 1, 2, 3 as COUNTER_EFFECT says (shorter queues
    draw customers back, more so as habits form), and its service target holds at the
    month's load, RATE x (1 - share) / (1 - base share) (``slope``: RATE x (1 + slope x
    (share - base share))), only while the load is at most SERVED at the month's step."""
    data = tiny()
    slot = StaffedSlot("counter", ChannelKind.counter, 0, RATE, {}, 4.0, 0.0, 5.0, 0.8, 2, 0.0)
    base_share = [network_share(data, {"young": (0,) * 3, "old": (0,) * 3}, (0,) * 3, t)
                  for t in range(MONTHS)]
    option = CapacityOption(-1, 1, SERVER_COST,
                            {"e_channel_share": {s: list(g) for s, g in COUNTER_EFFECT.items()},
                             "penetration": {"young": [0.0] * 3, "old": [0.0] * 3}},
                            ServiceHours([slot], [2], [SERVED], [1.0] * 3, base_share,
                                         slope=None if slope is None else [slope] * 3))
    return YearData(MONTHS, data.segments, data.campaigns, data.responses, {"counter": option})


def network_share(data: YearData, contacts: Mapping[str, tuple[int, ...]],
                  steps: tuple[int, ...], month: int) -> float:
    """The network's e-channel share in ``month`` (0-based), the formula written out: a
    server in month tau adds what COUNTER_EFFECT grows by from month tau - 1 to tau, from
    then on."""
    total = weights = 0.0
    for s, path in data.segments.items():
        r = data.responses[("sms", s)]
        g: tuple[float, ...] = (0.0, *COUNTER_EFFECT[s])
        value = path.base["e_channel_share"][month] + sum(
            (g[tau + 1] - g[tau]) * steps[tau] for tau in range(month + 1))
        for tau, n in enumerate(contacts[s][:month + 1]):
            g = r.gains["e_channel_share"]
            gain = g[0] * min(n, 2) + g[1] * max(0, n - 2)
            value += gain * r.persistence["e_channel_share"] ** (month - tau)
        w = path.transactions[month]
        total += w * min(value, 1.0)
        weights += w
    return total / weights


def load(share: float, base: float, slope: Optional[float]) -> float:
    """The counter's load relative to the planning day, written out."""
    return (1 - share) / (1 - base) if slope is None else 1 + slope * (share - base)


# the counter's load falling as the share rises (its customers move to e-channels), or
# rising with it (a channel the e-channels send customers to): the model must not credit
# a lower share to dodge its service target
@pytest.mark.parametrize("slope", [None, 3.0])
def test_least_spend_with_capacity_steps_and_service_levels_equals_brute_force(
        slope: Optional[float]) -> None:
    data = with_counter(slope)
    sv = data.capacity["counter"].service
    assert sv is not None
    target = 0.47
    best = None
    for calendar in every_calendar():
        for steps in itertools.product((-1, 0, 1), repeat=MONTHS):
            shares = [network_share(data, calendar, steps, t) for t in range(MONTHS)]
            if shares[-1] < target - 1e-12:
                continue
            if any(RATE * load(shares[t], sv.base_share[t], slope) > SERVED[steps[t] + 1] + 1e-12
                   for t in range(MONTHS)):
                continue  # the counter misses its service target that month
            cost = spent(calendar) + SERVER_COST * sum(steps)
            best = cost if best is None or cost < best else best
    assert best is not None
    model = build(data, YearProblem([Requirement("e_channel_share", MONTHS, target)]))
    assert solve(model.problem, OptimizeSettings(gap=0.0)).status == "optimal"
    assert float(pulp.value(model.problem.objective)) == pytest.approx(best, abs=1e-6)
    plan = calendar_of(model)
    steps = tuple(plan[(CAPACITY, "counter")])
    contacts = {s: tuple(plan[("sms", s)]) for s in ("young", "old")}
    assert spent(contacts) + SERVER_COST * sum(steps) == pytest.approx(best)
    if slope is None:  # the steps pay: cutting a server raises the share, and the load falls
        assert best < min(spent(c) for c in every_calendar()
                          if network_share(data, c, (0,) * 3, 2) >= target)


def erlang_c_within(servers: int, rate: float, mean_service: float, wait: float) -> float:
    """P(wait <= ``wait``) in M/M/c, written out: 1 - C(c, a) exp(-(c mu - lambda) t)."""
    a = rate * mean_service
    tail = a ** servers / math.factorial(servers) * servers / (servers - a)
    c = tail / (sum(a ** k / math.factorial(k) for k in range(servers)) + tail)
    return 1 - c * math.exp(-(servers / mean_service - rate) * wait)


def test_a_missed_month_raises_its_own_service_margin_by_erlangs_lead() -> None:
    # a counter of 3 servers, 0.4 arrivals a minute of 4 minutes, target 80% within 1
    # minute, whatever the share (slope 0): Erlang C says 80.7% every month; the simulated
    # days say 85%, 70%, 85%: only month 2 misses, and its margin becomes 80.7% - 70%
    slot = StaffedSlot("counter", ChannelKind.counter, 0, 0.4, {}, 4.0, 0.0, 1.0, 0.8, 3, 0.0)
    option = CapacityOption(-1, 1, SERVER_COST, {"e_channel_share": {}, "penetration": {}},
                            ServiceHours([slot], [3], [], [1.0] * 3, [0.4] * 3,
                                         slope=[0.0] * 3)).with_margin(0.0)
    data = tiny()
    data = YearData(MONTHS, data.segments, data.campaigns, data.responses, {"counter": option})
    erlang = erlang_c_within(3, 0.4, 4.0, 1.0)
    assert erlang == pytest.approx(0.80706, abs=1e-5)
    moved = re_anchor(data, {}, predict(data, {}), service={"counter": [0.85, 0.70, 0.85]})
    sv = moved.capacity["counter"].service
    assert sv is not None
    assert [sv.margin_at(t) for t in range(MONTHS)] == pytest.approx([0.0, erlang - 0.70, 0.0])
    # the month's servers must now serve within 80% + its margin: less traffic each
    assert all(hi < lo for hi, lo in zip(sv.served_at(1)[0], sv.served_at(0)[0]) if lo > 0)
    assert sv.served_at(0) == sv.served_at(2) == option.service.served  # type: ignore[union-attr]
