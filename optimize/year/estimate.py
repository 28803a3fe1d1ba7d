"""The year plan's numbers, read from months-mode simulations of the scenario.

- **Baseline**: the months with no campaign contacts: each segment's trajectory of
  e-channel share, penetration and completed transactions (means over populations), and
  the customers each campaign can reach in each segment at the start (``Months.reachable``).
- **Ceiling**: one run in which every campaign contacts everyone it can every month,
  within its caps: no calendar takes a segment beyond that.
- **Responses**: per campaign and contact month (every CONTACT_STEP-th and the last), two
  more runs that contact, in that month only, a share of every targeted segment's
  reachable customers (``optimize.year.estimate_share``) and then all of them.  The
  differences from the baseline that month give the gain per contact of the first and of
  the second piece (the second never above the first: concave), interpolated between the
  months measured; their decay over the following months, pooled, gives the persistence
  (``persistence``).  A segment's response changes over the year: habits set, and the
  customers a campaign can still move are fewer.  These runs
  reuse the baseline's representative days, so they cost the population's arithmetic
  alone; the simulate-and-re-solve loop (``optimize.year.plan``) simulates every plan with
  its own days and re-anchors the model on what they show.
- **Capacity steps** (``optimize.year.capacity``): per channel, one run with its servers
  stepped all year to the end of its range that adds (else removes) the most, with its
  own representative days (the queues change): the difference from the baseline, per
  server, month by month, is what a server does.  For a staffed channel with a service
  target, a day of the scenario (the planning day) gives each open hour's arrivals,
  service and patience (``optimize.data.build_planning_data``, as the day optimiser
  reads them), the most each staffing level serves within target, and, with the
  baseline's representative days, the channel's load month by month.
- **Contacts and money** are of the customers the population stands for
  (``represented_customers``): a segment's pool is its reachable simulated customers x
  ``scale`` (real customers per simulated one), and the months mode draws a plan's
  contacts over ``scale``.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from typing import Optional

import numpy as np

from optimize.data import SLOT_MINUTES, PlanningData, build_planning_data
from optimize.settings import OptimizeSettings
from optimize.year.model import (
    CAPACITY,
    KPIS,
    Calendar,
    CampaignLimits,
    CapacityOption,
    Response,
    SegmentPath,
    ServiceHours,
    YearData,
    predicted_service_level,
)
from sim.channel_rules import servers_at
from sim.experiment import ExperimentResult, run_experiment
from sim.experiment import estimate as estimate_mean
from sim.months.model import Months, MonthsResult, represented_customers, run_months
from sim.scenario import MINUTES_PER_HOUR, STAFFED_KINDS, Executor, Mode, RunSettings, Scenario

PERSISTENCE_LAGS = 6  # months after the contact month read for the persistence
CONTACT_STEP = 3  # the responses are measured for contacts every this many months


def with_calendar(scenario: Scenario, calendar: Calendar) -> Scenario:
    """The scenario with every campaign's contacts given by ``calendar`` alone (none where
    it says nothing): the scenario the months mode simulates for a plan."""
    changed = copy.deepcopy(scenario)
    for name, campaign in changed.campaigns.items():
        campaign.contacts_per_month = 0
        campaign.calendar = {s: list(counts) for (c, s), counts in calendar.items()
                             if c == name and any(counts)}
    for (c, channel), steps in calendar.items():
        if c == CAPACITY:
            changed.adoption.capacity_steps[channel] = list(steps)
    return changed


def segment_means(result: MonthsResult) -> dict[str, list[float]]:
    """``<kpi>.<segment>`` and ``transactions.<segment>`` month by month, means over the
    populations (a month without transactions counts 0)."""
    out: dict[str, list[float]] = {}
    segments = list(result.scenario.segments)
    for key in (*KPIS, "transactions"):
        for s in segments:
            out[f"{key}.{s}"] = [
                float(np.mean([_finite(r[m].segments[s][key]) for r in result.replications]))
                for m in range(result.run.months)]
    return out


def _finite(x: float) -> float:
    return x if math.isfinite(x) else 0.0


def reach(scenario: Scenario, run: RunSettings) -> dict[str, dict[str, int]]:
    """Customers each campaign can reach in each segment in month 1 (the first population,
    in the customers it stands for)."""
    months = Months(scenario, run, 0)
    index = {c: k for k, c in enumerate(months.channels)}
    pools: dict[str, dict[str, int]] = {}
    for name, campaign in scenario.campaigns.items():
        reachable = months.reachable(name, np.array([index[c] for c in campaign.channels]))
        pools[name] = {s: int(months.scale * np.sum(reachable & (months.population.segment == k)))
                       for k, s in enumerate(months.segments)
                       if not campaign.segments or s in campaign.segments}
    return pools


def persistence(effects: list[float]) -> float:
    """The month-to-month carry-over rho in [0, 1] that makes ``rho ** lag`` closest (least
    squares) to the effect at each lag relative to lag 0; 0 when there was no effect."""
    if len(effects) < 2 or abs(effects[0]) < 1e-9:
        return 0.0
    relative = np.array(effects[1:]) / effects[0]
    lags = np.arange(1, len(effects))
    grid = np.linspace(0.0, 1.0, 1001)
    errors = ((grid[:, None] ** lags[None, :] - relative[None, :]) ** 2).sum(axis=1)
    return float(grid[int(np.argmin(errors))])


def estimate(scenario: Scenario, run: RunSettings, settings: OptimizeSettings,
             progress: Optional[bool] = None) -> tuple[YearData, MonthsResult]:
    """The planning model's numbers (module docstring) and the baseline run."""
    first_share = settings.year.estimate_share
    plain = with_calendar(scenario, {})
    scale = 1.0 if scenario.adoption.customer_table else (
        represented_customers(scenario) / max(1, run.customers))
    baseline = run_months(plain, run, progress=progress)
    base = segment_means(baseline)
    T = run.months
    segments = {
        s: SegmentPath(
            customers=float(np.mean([r[0].segments[s]["customers"]
                                     for r in baseline.replications])),
            transactions=base[f"transactions.{s}"],
            base={kpi: base[f"{kpi}.{s}"] for kpi in KPIS})
        for s in scenario.segments}
    pools = reach(plain, run)
    campaigns = {c: CampaignLimits(spec.unit_cost, pools[c], spec.max_contacts_per_month,
                                   spec.max_contacts_per_customer)
                 for c, spec in scenario.campaigns.items()}
    most = segment_means(run_months(with_calendar(plain, everyone(campaigns, T)), run,
                                    progress=False, conditions=baseline))
    segments = {s: dataclasses.replace(p, ceiling={kpi: most[f"{kpi}.{s}"] for kpi in KPIS})
                for s, p in segments.items()}
    months = contact_months(T)
    responses: dict[tuple[str, str], Response] = {}
    for c, pool in pools.items():
        targeted = {s: n for s, n in pool.items() if n > 0}
        if not targeted:
            continue
        first = {s: max(1, min(n - 1, round(first_share * n))) if n > 1 else n
                 for s, n in targeted.items()}
        # per contact month and level: the KPIs of every segment, month by month
        moved = {(k, level): _impulse(plain, run, baseline, c, k, counts)
                 for k in months for level, counts in enumerate((first, targeted))}
        for s, n in targeted.items():
            n1 = first[s]
            by_month, rho = {}, {}
            for kpi in KPIS:
                key = f"{kpi}.{s}"
                rows: list[tuple[float, ...]] = []
                lagged: list[list[float]] = []
                for k in months:
                    e1 = [moved[(k, 0)][key][m] - base[key][m] for m in range(k, T)]
                    e2 = [moved[(k, 1)][key][m] - base[key][m] for m in range(k, T)]
                    g1 = e1[0] / n1
                    g2 = (e2[0] - e1[0]) / (n - n1) if n > n1 else g1
                    rows.append((g1, min(g1, g2)))  # concave: the second piece gains no more
                    lagged.append([a + b for a, b in zip(e1, e2)][:PERSISTENCE_LAGS + 1])
                by_month[kpi] = interpolate(months, rows, T)
                rho[kpi] = persistence(pooled(lagged))
            widths = (n1, n - n1) if n > n1 else (n, 0)
            responses[(c, s)] = Response(widths, {k: v[0] for k, v in by_month.items()}, rho,
                                         by_month)
    capacity = {}
    if settings.year.capacity:  # one planning day (and its planning data) for every channel
        day_run = dataclasses.replace(run, mode=Mode.day, trace=False, workers=1,
                                      executor=Executor.local,
                                      replications=max(4, plain.adoption.day_replications))
        day = run_experiment(plain, day_run, progress=False)
        planning = build_planning_data(plain, day, settings)
        # every campaign at its limits again, on days of its own: how the staffed
        # channels' loads follow the share (the representative days see habits, not a
        # month's contacts, so the ceiling run above, on the baseline's days, cannot tell)
        staffed = any(plain.channels[ch].kind in STAFFED_KINDS for ch in settings.year.capacity)
        loaded = run_months(with_calendar(plain, everyone(campaigns, T)), run,
                            progress=False) if staffed else None
        capacity = {ch: capacity_option(plain, run, baseline, day, planning, ch, low, high,
                                        loaded)
                    for ch, (low, high) in sorted(settings.year.capacity.items())}
    return YearData(T, segments, campaigns, responses, capacity, scale), baseline


def capacity_option(plain: Scenario, run: RunSettings, baseline: MonthsResult,
                    day: ExperimentResult, planning: PlanningData, channel: str, low: int,
                    high: int, moved: Optional[MonthsResult] = None) -> CapacityOption:
    """What a server added to ``channel`` does and costs, and its service target's hours
    read from the planning ``day`` and its ``planning`` data (module docstring).
    ``moved``: a run with contacts, on days of its own, whose arrivals on the channel
    against the baseline's give the slope of its load in the e-channel share
    (``ServiceHours.line``)."""
    step = high if high > 0 else low
    T = run.months
    spec = plain.channels[channel]
    base = segment_means(baseline)
    effects: dict[str, dict[str, list[float]]] = {kpi: {} for kpi in KPIS}
    if step:
        stepped = run_months(with_calendar(plain, {(CAPACITY, channel): [step] * T}), run,
                             progress=False)
        after = segment_means(stepped)
        # a step held by a service target is checked by the simulated service levels; one
        # bought for its effect alone (a kiosk) must show an effect to be credited
        tell = spec.kind in STAFFED_KINDS or step_tells(baseline, stepped)
        for kpi in KPIS:
            for s in plain.segments:
                key = f"{kpi}.{s}"
                effects[kpi][s] = [(x - b) / step if tell else 0.0
                                   for x, b in zip(after[key], base[key])]
    hours = [h for h in range(math.ceil(day.run.horizon_minutes / SLOT_MINUTES))
             if servers_at(spec, h * SLOT_MINUTES) > 0]
    cost = (spec.cost_per_server_hour * len(hours) * SLOT_MINUTES / MINUTES_PER_HOUR
            * plain.adoption.days_per_month)
    if spec.kind in STAFFED_KINDS:
        slots = [x for x in planning.staffed if x.channel == channel and x.base_staff > 0]
        index = list(plain.channels).index(channel)
        planned = day.channel_kpi(channel, "arrivals").mean
        load = [month_arrivals(baseline, m, index) / planned if planned > 0 else 1.0
                for m in range(T)]
        share = [baseline.kpi(m, "e_channel_share").mean for m in range(T)]
        slope = load_slopes(baseline, moved, index, planned) if moved is not None else None
        option = CapacityOption(low, high, cost, effects, ServiceHours(
            slots, [x.base_staff for x in slots], [], load, share, slope=slope, planned=planned))
        predicted = np.mean([predicted_service_level(option, share[m], m + 1, 0)
                             for m in range(T)])  # Erlang at the baseline's own loads
        simulated = np.mean([baseline.service_level(m, channel).mean for m in range(T)])
        margin = max(0.0, float(predicted - simulated)) if math.isfinite(simulated) else 0.0
        return option.with_margin(margin)
    return CapacityOption(low, high, cost, effects)


def step_tells(baseline: MonthsResult, stepped: MonthsResult) -> bool:
    """Whether a capacity step's effect stands out of the noise: for some KPI, the 95%
    interval over the populations (paired: the same seeds) of its network value's mean
    change over the months excludes 0.  Where it does not (a kiosk that is not the
    bottleneck), the plan gets no credit for the step, so it never buys noise."""
    for kpi in KPIS:
        change = [float(np.mean([_finite(m.kpis[kpi]) - _finite(b.kpis[kpi])
                                 for b, m in zip(before, after)]))
                  for before, after in zip(baseline.replications, stepped.replications)]
        if len(change) < 2:
            return True  # one population cannot tell noise from effect: take it as measured
        seen = estimate_mean(change)
        if seen.ci_low > 0 or seen.ci_high < 0 or (seen.ci_low == seen.ci_high != 0):
            return True
    return False


def load_slopes(baseline: MonthsResult, moved: MonthsResult, channel: int, planned: float
                ) -> Optional[list[float]]:
    """Per month, how a channel's (by index) load, its arrivals on the representative days
    over the planning day's ``planned``, moves with the network's e-channel share: the
    secant between the baseline and ``moved``.  None where a month's shares do not differ
    enough to tell (the proportional rule then: ``ServiceHours.line``)."""
    slopes = []
    for m in range(baseline.run.months):
        ds = moved.kpi(m, "e_channel_share").mean - baseline.kpi(m, "e_channel_share").mean
        change = (month_arrivals(moved, m, channel) - month_arrivals(baseline, m, channel))
        if not (abs(ds) > 1e-3 and planned > 0 and math.isfinite(change)):
            return None
        slopes.append(change / planned / ds)
    return slopes


def everyone(campaigns: dict[str, CampaignLimits], months: int, spread: bool = False
             ) -> Calendar:
    """Every campaign contacting every customer it can reach, every month, within its
    monthly cap (shared over its segments by their sizes): the ceiling's run, whose
    customers stop answering once contacted ``max_contacts_per_customer`` times.
    ``spread``: the per-customer cap spread evenly over the months instead, so that the
    calendar itself keeps every limit the planning model knows."""
    calendar: Calendar = {}
    for c, limits in campaigns.items():
        total = sum(limits.pools.values())
        for s, pool in limits.pools.items():
            n = pool if limits.max_per_month is None or not total else min(
                pool, limits.max_per_month * pool // total)
            if spread and limits.max_per_customer is not None:
                n = min(n, limits.max_per_customer * pool // months)
            if n:
                calendar[(c, s)] = [n] * months
    return calendar


def month_arrivals(result: MonthsResult, month: int, channel: int) -> float:
    """A channel's (by index) arrivals on ``month``'s (0-based) representative days, mean
    over populations."""
    days = [r[month].conditions for r in result.replications]
    return float(np.mean([_finite(float(c.arrivals[channel])) for c in days
                          if c is not None and c.arrivals is not None]))


def _first_months(result: MonthsResult, months: int) -> MonthsResult:
    """``result`` cut to its first ``months`` months (its representative days, reused)."""
    return MonthsResult(result.scenario, dataclasses.replace(result.run, months=months),
                        [r[:months] for r in result.replications])


def contact_months(months: int, step: int = CONTACT_STEP) -> list[int]:
    """The months (0-based) whose contacts the responses are measured for: every
    ``step``-th from the first, and the last."""
    return sorted(set(range(0, months, step)) | {months - 1})


def interpolate(at: list[int], rows: list[tuple[float, ...]], months: int
                ) -> list[tuple[float, ...]]:
    """Gains for every month from those measured ``at`` some: linear in between, the
    nearest beyond."""
    out = []
    for m in range(months):
        j = next((i for i, k in enumerate(at) if k >= m), len(at) - 1)
        if at[j] == m or j == 0 or at[j] < m:
            out.append(rows[j])
            continue
        w = (m - at[j - 1]) / (at[j] - at[j - 1])
        out.append(tuple((1 - w) * a + w * b for a, b in zip(rows[j - 1], rows[j])))
    return out


def pooled(lagged: list[list[float]]) -> list[float]:
    """Effects by lag summed over the measurements that reach that lag."""
    longest = max(len(x) for x in lagged)
    return [sum(x[lag] for x in lagged if len(x) > lag) for lag in range(longest)]


def _impulse(plain: Scenario, run: RunSettings, baseline: MonthsResult, campaign: str,
             month: int, counts: dict[str, int]) -> dict[str, list[float]]:
    """Segment KPIs of a run that contacts ``counts`` customers per segment in ``month``
    (0-based) alone, on the baseline's representative days, up to PERSISTENCE_LAGS months
    after it."""
    months = min(run.months, month + 1 + PERSISTENCE_LAGS)
    calendar = {(campaign, s): [0] * month + [n] for s, n in counts.items()}
    result = run_months(with_calendar(plain, calendar), dataclasses.replace(run, months=months),
                        progress=False, conditions=_first_months(baseline, months))
    means = segment_means(result)
    return {k: v + [0.0] * (run.months - months) for k, v in means.items()}
