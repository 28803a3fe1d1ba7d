"""The year plan: estimate, solve, simulate the plan, re-anchor, re-solve; then the odds.

1. ``estimate``: the planning model's numbers from months simulations (baseline, ceiling
   and per-campaign responses).
2. Solve the planning model (``optimize.year.model.build``) for the targets, the budget
   and the month spend bounds.
3. Simulate the plan in months mode (``optimize.check_replications`` populations, each
   month with its own representative days).  It meets the problem when its simulated
   means reach the targets and no staffed channel's service level is significantly
   below its target in any month (``result.meets``).  If it misses (the model is linear
   around no contacts, and a campaign kept up month after month does more than its
   months' effects add up to), move the model onto its simulation and solve again (at
   most START_ATTEMPTS plans), then simulate every campaign at its limits: if even that
   misses, no plan meets them (NoYearPlan).
4. Improve the plan that meets them (the incumbent), a trust region: move the model onto
   its simulation (``re_anchor``: the model then gives exactly what the simulation gave),
   solve within ``optimize.year.trust_radius`` of its contacts (a share of each pool),
   simulate; a plan whose simulation meets the targets and costs less (maximising: is
   simulated higher) becomes the incumbent and the radius doubles, else the radius
   halves; at most ``optimize.year.iterations`` times, or until the model sees nothing
   better (least spend: its cheapest plan costs no less than the incumbent; the model's
   hour-by-hour service rule can ask more staff than the simulated days needed).  The
   plan is the last incumbent; it has converged when its simulated target KPIs lie
   within ``optimize.year.tolerance`` of what the model predicted for it.
5. Simulate the naive plan alongside: the same total spend spread evenly over the months
   and the segments of each campaign the plan uses, in proportion to what it spends on it.
6. The odds: the share of simulated populations that meet every requirement, with
   Wilson's interval, and the same over sampled worlds (``optimize.year.risk``); the
   same for the naive plan.  With ``optimize.risk.confidence`` (or ``.confidences``),
   steps 3-4 run again for targets raised by the sampled worlds' spread (``risk``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Optional

from optimize.settings import OptimizeSettings, YearGoal
from optimize.solve import SolveResult, solve
from optimize.year.estimate import (
    estimate,
    everyone,
    month_arrivals,
    segment_means,
    with_calendar,
)
from optimize.year.model import (
    CAPACITY,
    Calendar,
    Requirement,
    YearData,
    YearProblem,
    binding_limits,
    build,
    calendar_of,
    predict,
    re_anchor,
    service_load,
    spend,
)
from optimize.year.result import Iteration, YearPlanResult, meets, met, service_missed
from optimize.year.risk import (
    frontier_row,
    margins,
    odds,
    outcomes,
    raised_problem,
    uncertainty_check_seed,
)
from sim.estimators.confidence import PointEstimate
from sim.months.model import MonthsResult, run_months
from sim.scenario import RunSettings, Scenario
from sim.validate import UserError

# plans the search simulates from no contacts, each from the model moved onto the last
# one's simulation, before it falls back on every campaign at its limits: the first
# corrects the model's linearity around no contacts, the second what is left of it
START_ATTEMPTS = 3


class NoYearPlan(UserError):
    """No calendar reaches the targets within the limits; the message names the targets
    short and the limits that bind (``optimize.year.model.binding_limits``)."""


def year_problem(settings: OptimizeSettings, months: int) -> YearProblem:
    """The planning model's question from ``optimize.targets`` and ``optimize.year``."""
    t, y = settings.targets, settings.year
    month = t.month or months
    requirements = [Requirement(k, month, v) for k, v in
                    (("e_channel_share", t.e_channel_share), ("penetration", t.penetration))
                    if v is not None]
    for m in t.milestones:
        requirements += [Requirement(k, m.month, v) for k, v in
                         (("e_channel_share", m.e_channel_share), ("penetration", m.penetration))
                         if v is not None]
    month_spend = None
    if y.spend_bounds:
        last = y.last_year_spend * months if len(y.last_year_spend) == 1 else y.last_year_spend
        low, high = y.spend_bounds
        month_spend = [(low * x, high * x) for x in last]
    maximise = ("e_channel_share", month) if y.goal is YearGoal.max_share else None
    return YearProblem(requirements, y.budget, month_spend, maximise)


def naive_calendar(data: YearData, calendar: Calendar) -> Calendar:
    """The plan's spend on each campaign spread evenly over the months and the segments it
    can reach (whole contacts, within each segment's reachable customers); the plan's
    capacity steps as they are."""
    out: Calendar = {}
    for c, limits in data.campaigns.items():
        money = sum(sum(n) for (cc, _), n in calendar.items() if cc == c) * limits.unit_cost
        segments = [s for (cc, s) in data.pairs() if cc == c]
        if money <= 0 or not segments or limits.unit_cost <= 0:
            continue
        each = int(money / limits.unit_cost / data.months / len(segments))
        for s in segments:
            out[(c, s)] = [min(each, limits.pools[s])] * data.months
    out.update({key: list(steps) for key, steps in calendar.items() if key[0] == CAPACITY})
    return out


def best_capacity(data: YearData) -> Calendar:
    """Each capacity step at its share-raising end all year (a channel with a service
    target keeps today's servers, or ``Search.staffing``'s): with ``everyone``, the plan
    that tests whether any plan reaches the targets."""
    out: Calendar = {}
    for ch, option in data.capacity.items():
        if option.service is None:
            gain = sum(g[-1] for g in option.effects["e_channel_share"].values() if g)
            out[(CAPACITY, ch)] = [option.high if gain >= 0 else option.low] * data.months
    return out


def service_reachable(data: YearData) -> None:
    """Raise NoYearPlan when a staffed channel's service target is out of reach in some
    hour and month even at its most servers and its lowest load (the load line's lower
    end between no contacts and the segments at their ceilings)."""
    for ch, option in sorted(data.capacity.items()):
        sv = option.service
        if sv is None:
            continue
        for t in range(data.months):
            top = sum(data.weight("e_channel_share", s, t + 1) * p.cap("e_channel_share", t + 1)
                      for s, p in data.segments.items())
            f = min(service_load(option, x, t + 1) for x in (top, sv.base_share[t]))
            for h, slot in enumerate(sv.slots):
                if slot.base_rate * f > sv.served_at(t)[h][-1] * (1 + 1e-9):
                    raise NoYearPlan(
                        f"optimize.year.capacity.{ch}: [{option.low}, {option.high}]: even "
                        f"{sv.servers[h] + option.high} servers miss the service target in hour "
                        f"{slot.slot + 1} of the day in month {t + 1} ({slot.target_share:.0%} within "
                        f"{slot.target_wait_minutes:g} min at {slot.base_rate * f * 60:.0f} "
                        f"arrivals an hour): allow more servers")


def simulate(scenario: Scenario, run: RunSettings, calendar: Calendar,
             progress: Optional[bool]) -> MonthsResult:
    """The months mode on the plan's calendar."""
    return run_months(with_calendar(scenario, calendar), run, progress=progress)


def better(candidate: Iteration, incumbent: Iteration, problem: YearProblem,
           data: YearData) -> bool:
    """Whether the candidate's simulation meets the requirements and beats the incumbent:
    spends less, or (maximising) is simulated higher."""
    if not meets(candidate, problem):
        return False
    if problem.maximise:
        kpi, month = problem.maximise
        return (candidate.simulated.kpi(month - 1, kpi).mean
                > incumbent.simulated.kpi(month - 1, kpi).mean)
    return sum(spend(data, candidate.calendar)) < sum(spend(data, incumbent.calendar))


@dataclass
class Search:
    """The plans a year plan simulates on its way, and what every search step shares: the
    scenario, the check's run settings, the settings and the model as first estimated."""

    scenario: Scenario
    check: RunSettings
    settings: OptimizeSettings
    fresh: YearData
    progress: Optional[bool]
    iterations: list[Iteration] = field(default_factory=list)
    # per staffed channel and month, the largest service margin a simulated plan has
    # asked for: every later model keeps it (``re_anchor`` raises it where a plan missed)
    margins: dict[str, dict[int, float]] = field(default_factory=dict)

    def tried(self, calendar: Calendar, data: YearData, result: SolveResult) -> Iteration:
        """Simulate ``calendar`` and keep it, with what ``data`` predicted for it (a
        calendar simulated before is not simulated again)."""
        for seen in self.iterations:
            if seen.calendar == calendar:
                return seen
        simulated = simulate(self.scenario, self.check, calendar, self.progress)
        self.iterations.append(Iteration(calendar, predict(data, calendar), simulated, result,
                                         data))
        return self.iterations[-1]

    def start(self, problem: YearProblem) -> Iteration:
        """A plan whose simulation meets ``problem``: the model's around no contacts (where
        the model sees the targets out of reach, its closest plan, once: the campaigns
        together may do more than their effects add up to); if its simulation misses, the model's
        again once moved onto that simulation (at most START_ATTEMPTS plans); else every
        campaign at its limits, staffed as the last model sees it (if even that misses,
        nothing will: NoYearPlan)."""
        data, closest = self.fresh, False
        for _ in range(START_ATTEMPTS):
            model = build(data, problem)
            result = solve(model.problem, self.settings)
            if not result.has_solution:
                if closest:  # its closest plan was tried, and the model still sees none
                    break
                closest = True
                model = build(data, problem, elastic=True)
                result = solve(model.problem, self.settings)
                if not result.has_solution:  # the requirements may fall short, service not
                    if data.capacity:
                        raise NoYearPlan(_service_out_of_reach(data))
                    break
            attempt = self.tried(calendar_of(model), data, result)
            if meets(attempt, problem):
                return attempt
            data = self.anchored(attempt)
        ceiling = SolveResult("ceiling", True, None, None, None, 0.0, "none")
        calendar = everyone(self.fresh.campaigns, self.fresh.months)
        # staffed for fewer contacts than it makes (the planning model's caps: spread)
        staffed = self.staffing(everyone(self.fresh.campaigns, self.fresh.months, spread=True),
                                data)
        most = self.tried(calendar | best_capacity(self.fresh) | staffed, data, ceiling)
        if not meets(most, problem):
            raise NoYearPlan(_shortfall(self.fresh, problem, self.settings, most))
        return most

    def staffing(self, calendar: Calendar, data: YearData) -> Calendar:
        """The cheapest steps of the staffed channels with a service target that keep it
        every month under ``calendar``'s contacts, as ``data``'s model sees them (none
        where it has none)."""
        model = build(data, YearProblem([]), around=(calendar, 0.0))
        if not solve(model.problem, self.settings).has_solution:
            return {}
        return {key: steps for key, steps in calendar_of(model).items()
                if key[0] == CAPACITY and self.fresh.capacity[key[1]].service is not None}

    def improve(self, problem: YearProblem, incumbent: Iteration) -> Iteration:
        """The trust region from ``incumbent`` (module docstring, step 4)."""
        radius = self.settings.year.trust_radius
        data = self.anchored(incumbent)
        for _ in range(self.settings.year.iterations):
            model = build(data, problem, around=(incumbent.calendar, radius))
            result = solve(model.problem, self.settings)
            if not result.has_solution:  # no plan within the region (the ceiling's contacts
                # run past the campaigns' caps, which the simulation enforces by itself)
                model = build(data, problem)
                result = solve(model.problem, self.settings)
            calendar = calendar_of(model) if result.has_solution else incumbent.calendar
            if calendar == incumbent.calendar or (not problem.maximise and sum(
                    spend(data, calendar)) >= sum(spend(data, incumbent.calendar))):
                # the model, anchored here, sees nothing better within reach (its cheapest
                # plan there costs no less: spend is exact, and a smaller region no cheaper)
                break
            candidate = self.tried(calendar, data, result)
            if better(candidate, incumbent, problem, self.fresh):
                incumbent, data = candidate, self.anchored(candidate)
                radius = min(1.0, 2 * radius)
            else:
                radius /= 2
        return incumbent

    def anchored(self, iteration: Iteration) -> YearData:
        """The model moved onto ``iteration``'s simulation (its segments' KPIs, the network
        share and the staffed channels' service levels)."""
        sim = iteration.simulated
        means = segment_means(sim) | {"e_channel_share": [
            sim.kpi(m, "e_channel_share").mean for m in range(self.fresh.months)]}
        staffed = {ch: o.service for ch, o in self.fresh.capacity.items() if o.service}
        service = {ch: [sim.service_level(m, ch).mean for m in range(self.fresh.months)]
                   for ch in staffed}
        channels = list(self.scenario.channels)
        loads = {ch: [month_arrivals(sim, m, channels.index(ch)) / sv.planned
                      for m in range(self.fresh.months)]
                 for ch, sv in staffed.items() if sv.planned > 0}
        learned = dataclasses.replace(self.fresh, capacity={
            ch: o.with_month_margins(self.margins.get(ch, {}))
            for ch, o in self.fresh.capacity.items()})
        data = re_anchor(learned, iteration.calendar, means, service=service, loads=loads)
        for ch, option in data.capacity.items():
            if option.service is not None:
                self.margins[ch] = {t: m for t, (m, _) in option.service.raised.items()}
        return data


def plan_year(scenario: Scenario, run: RunSettings, settings: OptimizeSettings,
              progress: Optional[bool] = None) -> YearPlanResult:
    """The year plan (module docstring); NoYearPlan when the targets cannot be met."""
    fresh, baseline = estimate(scenario, run, settings, progress=progress)
    problem = dataclasses.replace(year_problem(settings, run.months), service={
        ch: o.service.target() for ch, o in fresh.capacity.items() if o.service is not None})
    service_reachable(fresh)
    check = dataclasses.replace(run, replications=max(2, settings.check_replications))
    search = Search(scenario, check, settings, fresh, progress)
    incumbent = start_plan = search.improve(problem, search.start(problem))
    risk = settings.risk
    frontier: list[dict[str, Any]] = []
    seen: dict[str, PointEstimate] = {}

    def fresh_odds(calendar: Calendar) -> PointEstimate:
        """P(targets met) over sampled worlds the plan never saw (once per calendar)."""
        key = repr(sorted(calendar.items()))
        if key not in seen:
            seen[key] = odds(outcomes(scenario, run, calendar, problem, risk.samples,
                                      uncertainty_check_seed(run.seed)), problem)
        return seen[key]

    levels: list[float] = sorted(set(risk.confidences) | (
        {risk.confidence} if risk.confidence is not None else set()))
    if problem.requirements and levels:
        # the spread of the target KPIs over sampled worlds, for the plan found so far
        spread = outcomes(scenario, run, incumbent.calendar, problem, risk.samples, run.seed)
        nominal = {r.label(): incumbent.simulated.kpi(r.month - 1, r.kpi).mean
                   for r in problem.requirements}
        raised = {q: raised_problem(problem, margins(spread, nominal, q)) for q in levels}
        found: dict[float, Iteration] = {}
        for q in levels:  # each from the plan of the confidence below
            try:
                start = incumbent if meets(incumbent, raised[q]) else search.start(raised[q])
            except NoYearPlan:
                if q == risk.confidence:
                    raise
                break  # out of reach: so is every higher confidence (its targets are higher)
            incumbent = found[q] = search.improve(raised[q], start)
        reached = [q for q in levels if q in found]
        for i, q in enumerate(reached):  # a plan for a higher confidence meets a lower one's
            for higher in reached[i + 1:]:
                if (meets(found[higher], raised[q]) and sum(spend(fresh, found[higher].calendar))
                        < sum(spend(fresh, found[q].calendar))):
                    found[q] = found[higher]
        frontier = [frontier_row(q, raised[q], found.get(q), fresh) for q in risk.confidences]
        for row, q in zip(frontier, risk.confidences):  # the odds on fresh worlds, each
            chance = fresh_odds(found[q].calendar) if q in found else None
            row.update(p_target_met=chance.value if chance else math.nan,
                       p_ci_low=chance.ci_low if chance else math.nan,
                       p_ci_high=chance.ci_high if chance else math.nan)
        incumbent = found[risk.confidence] if risk.confidence is not None else start_plan
    iterations = search.iterations
    chosen = iterations.index(incumbent)
    converged = all(abs(g) <= settings.year.tolerance for g in incumbent.gaps(problem).values())
    naive = naive_calendar(fresh, incumbent.calendar)
    naive_simulated = simulate(scenario, check, naive, progress)
    plan = YearPlanResult(scenario, run, settings, problem, fresh, iterations, naive,
                          naive_simulated, converged, baseline, chosen, frontier=frontier)
    plan.odds = {"plan": met(incumbent.simulated, problem.requirements),
                 "naive": met(naive_simulated, problem.requirements)}
    if problem.requirements and risk.samples:  # fresh worlds, none the plan was fitted to
        plan.odds["plan_uncertain"] = fresh_odds(incumbent.calendar)
        plan.odds["naive_uncertain"] = fresh_odds(naive)
    return plan


def _service_out_of_reach(data: YearData) -> str:
    """One line: no calendar keeps every service target every month in ``data``'s model."""
    steps = ", ".join(f"{ch} [{o.low}, {o.high}]"
                      for ch, o in sorted(data.capacity.items()) if o.service)
    return (f"optimize.year.capacity: no calendar keeps every service target every month "
            f"within the steps allowed ({steps}): allow more servers")


def _shortfall(data: YearData, problem: YearProblem, settings: OptimizeSettings,
               ceiling: Iteration) -> str:
    """One line: what every campaign at its limits reaches in simulation against each
    target, and the limits that bind in the model's closest plan."""
    short = []
    for r in problem.requirements:
        reached = ceiling.simulated.kpi(r.month - 1, r.kpi).mean
        if reached < r.value:
            short.append(f"{r.label()} reaches {reached:.3f} of {r.value:.3f}")
    if not short:  # the targets are met, only by missing a service target
        return ("optimize.year.capacity: with every campaign at its limits and the staff the "
                "model plans for it, the simulated service level misses its target: "
                + "; ".join(service_missed(ceiling.simulated, problem)[:3])
                + ": allow more servers")
    model = build(data, problem, elastic=True)
    result = solve(model.problem, settings)
    binding = (binding_limits(model, data, calendar_of(model)) if result.has_solution
               else []) or ["every contact the campaigns can make"]
    return ("optimize.targets cannot be met: with every campaign at its limits, "
            + "; ".join(short) + "; binding: " + ", ".join(binding))


__all__ = ["NoYearPlan", "YearPlanResult", "naive_calendar", "plan_year", "year_problem"]
