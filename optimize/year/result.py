"""A year plan's result: the plans simulated on the way, the one chosen, the naive plan and
the odds; and its files: year_plan.csv, trajectory.csv, plan.json and year_plan.png."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from matplotlib.figure import Figure

from optimize.settings import OptimizeSettings
from optimize.solve import SolveResult
from optimize.year.model import (
    CAPACITY,
    KPIS,
    Calendar,
    Requirement,
    YearData,
    YearProblem,
    predicted_service_level,
    spend,
)
from sim.estimators.confidence import PointEstimate, wilson_estimate
from sim.io import write_csv, write_json
from sim.months.model import MonthsResult
from sim.plots import save_figure
from sim.scenario import RunSettings, Scenario


@dataclass
class Iteration:
    """One solve and the simulation of its plan."""

    calendar: Calendar
    predicted: dict[str, list[float]]  # the model's KPIs month by month (network, segments)
    simulated: MonthsResult
    solve: SolveResult
    model: Optional[YearData] = None  # the planning model that predicted it

    def gaps(self, problem: YearProblem) -> dict[str, float]:
        """Simulated minus predicted, for each KPI the problem asks about."""
        out = {}
        for kpi, month in {(r.kpi, r.month) for r in problem.requirements} | (
                {problem.maximise} if problem.maximise else set()):
            simulated = self.simulated.kpi(month - 1, kpi).mean
            out[f"{kpi} at month {month}"] = simulated - self.predicted[kpi][month - 1]
        return out


@dataclass
class YearPlanResult:
    """The year plan: its calendar, what the model predicted and the simulation showed,
    the naive plan beside it, and the odds of each meeting the targets."""

    scenario: Scenario
    run: RunSettings
    settings: OptimizeSettings
    problem: YearProblem
    data: YearData
    iterations: list[Iteration]
    naive: Calendar
    naive_simulated: MonthsResult
    converged: bool
    baseline: MonthsResult
    chosen: int  # the iteration whose plan this is
    # plan, naive (over populations); plan_uncertain, naive_uncertain (over sampled worlds)
    odds: dict[str, PointEstimate] = field(default_factory=dict)
    frontier: list[dict[str, Any]] = field(default_factory=list)  # per optimize.risk.confidences

    @property
    def final(self) -> Iteration:
        """The plan's iteration: the one that converged, else ``best``'s."""
        return self.iterations[self.chosen]

    @property
    def status(self) -> str:
        """converged (model and simulation agree within tolerance), simulated_feasible
        (they do not, but the plan's simulation meets the targets) or not_converged."""
        if self.converged:
            return "converged"
        return "simulated_feasible" if meets(self.final, self.problem) else "not_converged"

    @property
    def calendar(self) -> Calendar:
        """The plan: contacts per (campaign, segment), month by month."""
        return self.final.calendar

    def spend(self) -> list[float]:
        """Money spent each month under the plan's calendar."""
        return spend(self.data, self.calendar)

    def to_dict(self) -> dict[str, Any]:
        """plan.json's content."""
        return plan_summary(self)

    def write(self, out: Any) -> None:
        """The files of ``python -m optimize optimize.objective=year_plan`` in ``out``."""
        write_year_plan(self, out)


def meets(iteration: Iteration, problem: YearProblem) -> bool:
    """Whether the plan's simulated means meet every requirement, and no staffed channel's
    simulated service level lies significantly below its target in any month (its
    confidence interval over the populations entirely below)."""
    return all(iteration.simulated.kpi(r.month - 1, r.kpi).mean >= r.value
               for r in problem.requirements) and not service_missed(iteration.simulated,
                                                                   problem)


def service_missed(simulated: MonthsResult, problem: YearProblem) -> list[str]:
    """``channel in month m (level against target)`` for every month a staffed channel's
    simulated service level lies significantly below its target."""
    missed = []
    for ch, target in sorted(problem.service.items()):
        for m in range(simulated.run.months):
            level = simulated.service_level(m, ch)
            if level.ci_high < target:
                missed.append(f"{ch} in month {m + 1} ({level.mean:.0%} against {target:.0%})")
    return missed


def met(result: MonthsResult, requirements: list[Requirement]) -> PointEstimate:
    """The share of the simulated populations that meet every requirement."""
    hits = sum(all(r[req.month - 1].kpis[req.kpi] >= req.value for req in requirements)
               for r in result.replications)
    return wilson_estimate(hits, len(result.replications))


CALENDAR_COLUMNS = ("month", "campaign", "segment", "contacts", "channel", "servers_added",
                    "spend")
TRAJECTORY_COLUMNS = ("plan", "month", "kpi", "predicted", "simulated_mean", "ci_low",
                      "ci_high", "target")


def calendar_rows(result: YearPlanResult) -> list[dict[str, Any]]:
    """year_plan.csv: one row per month, campaign and segment contacted (of the customers
    the population stands for), and one per month and channel whose servers the plan
    changes."""
    rows = []
    data = result.data
    for (c, s), counts in sorted(result.calendar.items()):
        if c == CAPACITY:
            cost = data.capacity[s].cost_per_month
            rows += [{"month": t + 1, "campaign": "", "segment": "", "contacts": "",
                      "channel": s, "servers_added": k, "spend": k * cost}
                     for t, k in enumerate(counts) if k]
            continue
        cost = data.campaigns[c].unit_cost
        rows += [{"month": t + 1, "campaign": c, "segment": s, "contacts": n,
                  "channel": "", "servers_added": "", "spend": n * cost}
                 for t, n in enumerate(counts) if n]
    return sorted(rows, key=lambda r: (r["month"], r["campaign"], r["segment"], r["channel"]))


def capacity_spend(data: YearData, calendar: Calendar) -> float:
    """What the calendar's capacity steps cost (negative: staff saved)."""
    return sum(spend(data, {k: v for k, v in calendar.items() if k[0] == CAPACITY}))


def targets(result: YearPlanResult) -> dict[tuple[str, int], float]:
    """(kpi, month) -> the value required there."""
    return {(r.kpi, r.month): r.value for r in result.problem.requirements}


def trajectory_rows(result: YearPlanResult) -> list[dict[str, Any]]:
    """trajectory.csv: the plan's predicted and simulated KPIs month by month, and the
    simulated ones of the naive plan and of no contacts at all, with their targets."""
    wanted = targets(result)
    rows = []
    runs: list[tuple[str, MonthsResult, Any]] = [
        ("year_plan", result.final.simulated, result.final.predicted),
        ("even_spread", result.naive_simulated, None),
        ("no_contacts", result.baseline, None)]
    for name, simulated, predicted in runs:
        for month in range(result.run.months):
            for kpi in KPIS:
                e = simulated.kpi(month, kpi)
                rows.append({"plan": name, "month": month + 1, "kpi": kpi,
                             "predicted": predicted[kpi][month] if predicted else math.nan,
                             "simulated_mean": e.mean, "ci_low": e.ci_low, "ci_high": e.ci_high,
                             "target": wanted.get((kpi, month + 1), math.nan)})
    model = result.final.model or result.data
    for ch, option in sorted(model.capacity.items()):
        if option.service is None:
            continue
        steps = result.calendar.get((CAPACITY, ch), [0] * result.run.months)
        target = result.scenario.channels[ch].target_share
        for month in range(result.run.months):
            e = result.final.simulated.service_level(month, ch)
            share = result.final.predicted["e_channel_share"][month]
            rows.append({"plan": "year_plan", "month": month + 1, "kpi": f"service_level.{ch}",
                         "predicted": predicted_service_level(option, share, month + 1,
                                                              steps[month]),
                         "simulated_mean": e.mean, "ci_low": e.ci_low, "ci_high": e.ci_high,
                         "target": target})
    return rows


def plan_summary(result: YearPlanResult) -> dict[str, Any]:
    """plan.json: status, spend, the target KPIs predicted and simulated, the iterations
    and the odds of meeting the targets, for the plan and the naive one."""
    final = result.final
    month = result.run.months
    monthly = result.spend()
    naive_spend = sum(spend(result.data, result.naive))

    def at_end(simulated: MonthsResult) -> dict[str, Any]:
        return {kpi: {"mean": simulated.kpi(month - 1, kpi).mean,
                      "ci_low": simulated.kpi(month - 1, kpi).ci_low,
                      "ci_high": simulated.kpi(month - 1, kpi).ci_high} for kpi in KPIS}

    return {
        "status": result.status,
        "chosen_iteration": result.chosen + 1,
        "objective": f"year_plan ({result.settings.year.goal.value})",
        "targets": [{"kpi": r.kpi, "month": r.month, "value": r.value}
                    for r in result.problem.requirements],
        "spend": {"total": sum(monthly), "by_month": monthly,
                  "capacity": capacity_spend(result.data, result.calendar),
                  "budget": result.problem.budget},
        "customers_represented": result.data.scale * result.run.customers,
        "predicted": {kpi: final.predicted[kpi][month - 1] for kpi in KPIS},
        "simulated": at_end(final.simulated),
        "p_target_met": _odds(result.odds.get("plan")),
        "p_target_met_uncertain": _odds(result.odds.get("plan_uncertain")),
        "confidence": result.settings.risk.confidence,
        "frontier": result.frontier,
        "iterations": [{"spend": sum(spend(result.data, it.calendar)),
                        "solver_status": it.solve.status, "solver_seconds": it.solve.seconds,
                        "gaps": it.gaps(result.problem)} for it in result.iterations],
        "even_spread": {"spend": naive_spend, "simulated": at_end(result.naive_simulated),
                        "p_target_met": _odds(result.odds.get("naive")),
                        "p_target_met_uncertain": _odds(result.odds.get("naive_uncertain"))},
        "populations": len(final.simulated.replications),
        "method": "planning model re-anchored on months simulations (optimize/year/plan.py)",
    }


def _odds(e: Any) -> dict[str, float]:
    if e is None:
        return {}
    return {"mean": e.value, "ci_low": e.ci_low, "ci_high": e.ci_high}


def plot_year_plan(result: YearPlanResult, path: Path) -> None:
    """Share and penetration against their targets (the plan predicted and simulated with
    its band, the even spread and no contacts simulated), and the spend by month stacked
    by campaign."""
    fig = Figure(figsize=(12, 3.8), layout="constrained")
    axes = fig.subplots(1, 3)
    months = list(range(1, result.run.months + 1))
    wanted = targets(result)
    for ax, kpi in zip(axes, KPIS):
        for label, simulated, colour in (("year plan, simulated", result.final.simulated, "C0"),
                                         ("even spread, simulated", result.naive_simulated, "C1"),
                                         ("no contacts", result.baseline, "0.5")):
            e = [simulated.kpi(m - 1, kpi) for m in months]
            ax.plot(months, [x.mean for x in e], color=colour, label=label)
            ax.fill_between(months, [x.ci_low for x in e], [x.ci_high for x in e],
                            color=colour, alpha=0.2, linewidth=0)
        ax.plot(months, result.final.predicted[kpi], "--", color="C0", label="year plan, predicted")
        for (k, month), value in wanted.items():
            if k == kpi:
                ax.plot([month], [value], "r*", markersize=12, label=f"target, month {month}")
        ax.set_title(kpi.replace("_", " "))
        ax.set_xlabel("month")
        ax.set_ylim(0, 1)
        ax.legend(fontsize=7)
    ax = axes[2]
    up, down = [0.0] * len(months), [0.0] * len(months)
    groups: dict[str, Calendar] = {}
    for (c, s), counts in result.calendar.items():
        label = f"servers: {s}" if c == CAPACITY else c
        groups.setdefault(label, {})[(c, s)] = counts
    for label, part in sorted(groups.items()):
        money = spend(result.data, part)
        if not any(money):
            continue
        bottom = [u if m >= 0 else d for m, u, d in zip(money, up, down)]
        ax.bar(months, money, bottom=bottom, label=label)
        up = [u + max(m, 0.0) for u, m in zip(up, money)]
        down = [d + min(m, 0.0) for d, m in zip(down, money)]
    ax.axhline(0, color="0.3", linewidth=0.8)
    ax.set_title("spend by month")
    ax.set_xlabel("month")
    if groups:
        ax.legend(fontsize=7)
    save_figure(fig, path)


def write_year_plan(result: YearPlanResult, out: Any) -> None:
    """Every file of a year plan in ``out`` (plots when ``run.plots``)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "year_plan.csv", calendar_rows(result), CALENDAR_COLUMNS)
    write_csv(out / "trajectory.csv", trajectory_rows(result), TRAJECTORY_COLUMNS)
    write_json(out / "plan.json", plan_summary(result))
    if result.frontier:
        columns = list(result.frontier[0])
        write_csv(out / "risk_frontier.csv", result.frontier, columns)
    if result.run.plots:
        plot_year_plan(result, out / "year_plan.png")


def describe(result: YearPlanResult) -> str:
    """The terminal summary."""
    s = plan_summary(result)
    month = result.run.months
    lines = [f"year plan ({result.settings.year.goal.value}): {s['status']} after "
             f"{len(result.iterations)} simulated plan(s); spend {s['spend']['total']:,.0f}"]
    for kpi in KPIS:
        sim = s["simulated"][kpi]
        naive = s["even_spread"]["simulated"][kpi]
        lines.append(f"  {kpi} at month {month}: predicted {s['predicted'][kpi]:.1%}, simulated "
                     f"{sim['mean']:.1%} [{sim['ci_low']:.1%}, {sim['ci_high']:.1%}]; "
                     f"even spread {naive['mean']:.1%}")
    odds = s["p_target_met"]
    if odds and result.problem.requirements:
        lines.append(f"  P(targets met) {odds['mean']:.0%} [{odds['ci_low']:.0%}, "
                     f"{odds['ci_high']:.0%}] over {s['populations']} populations; even spread "
                     f"{s['even_spread']['p_target_met']['mean']:.0%}")
    uncertain = s["p_target_met_uncertain"]
    if uncertain:
        lines.append(f"  P(targets met) over {result.settings.risk.samples} sampled worlds "
                     f"{uncertain['mean']:.0%} [{uncertain['ci_low']:.0%}, "
                     f"{uncertain['ci_high']:.0%}]; even spread "
                     f"{s['even_spread']['p_target_met_uncertain']['mean']:.0%}")
    for (c, ch), steps in sorted(result.calendar.items()):
        if c == CAPACITY and any(steps):
            lines.append(f"  {ch}: servers added by month {steps}")
    for row in result.frontier:
        lines.append(f"  confidence {row['confidence']:.0%}: " + (
            f"spend {row['spend']:,.0f}" if row["reachable"] else "out of reach"))
    return "\n".join(lines)
