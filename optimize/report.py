"""Plan tables, plan.json and figures; they only read the Plan, its check and the data."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Optional

from optimize.check import Check
from optimize.data import PlanningData
from optimize.formulation import pool_costs
from optimize.plan import Plan, predicted_slot_service_level
from sim.experiment import Estimate
from sim.plots import new_figure, save_figure
from sim.scenario import Scenario

STAFFING_COLUMNS = ("channel", "branch", "kind", "slot", "arrival_rate", "mean_service_minutes", "staff",
                    "required_staff", "target_wait_minutes", "target_share",
                    "service_level_predicted", "service_level_simulated",
                    "service_level_ci_low", "service_level_ci_high")
PROMOTION_COLUMNS = ("campaign", "segment", "units", "spend", "uplift",
                     "marginal_diversion_per_unit_spend")
KIOSK_COLUMNS = ("channel", "branch", "kiosks_today", "kiosks_planned", "extra_cost")


def plan_summary(plan: Plan, check: Optional[Check], refinements: int = 0,
                 data: Optional[PlanningData] = None) -> dict[str, Any]:
    """The content of plan.json."""
    solve = plan.solve
    levels: dict[str, Any] = {}
    if check is not None:
        for channel, v in check.service_levels.items():
            simulated = v["simulated"]
            assert isinstance(simulated, Estimate)
            levels[channel] = {**v, "simulated": simulated.as_dict()}
    misses = check.misses(data) if check is not None and data is not None else []
    return {
        "status": "check_failed" if misses else solve.status,
        "check": None if check is None else {
            "passed": not misses,
            "missed": [{"channel": m.channel, "slot": m.slot, "target": m.target,
                        "simulated": m.simulated.as_dict(), "short_by": m.short_by}
                       for m in misses]},
        "objective_name": plan.objective_name,
        "objective_value": plan.objective_value,
        "budget": plan.budget,
        "target_diversion": plan.target_diversion,
        "spend": plan.spend,
        "staff_savings": plan.staff_savings,
        "diversion_predicted": plan.diversion_predicted,
        "diversion_simulated": check.diversion.as_dict() if check else None,
        "service_levels": levels,
        "segments": {s: {"diversion_predicted": d} for s, d in plan.segment_diversion.items()},
        "kiosks": plan.kiosks,
        "shifts": [{"channel": c, "shift": name, "start_slot": t, "count": n}
                   for (c, name, t), n in sorted(plan.shift_starts.items())],
        "solver": {"name": solve.solver, "status": solve.status,
                   "seconds": round(solve.seconds, 3),
                   "objective": solve.objective, "bound": solve.bound, "gap": solve.gap},
        "refinements": refinements,
    }


def staffing_rows(plan: Plan, data: PlanningData, check: Optional[Check] = None,
                  scenario: Optional[Scenario] = None) -> list[dict[str, Any]]:
    """Rates per minute after diversion, staff in the plan and the queueing minimum; the
    service level the formula predicts for each slot and, with a check, the simulated one;
    ``branch``: the channel's branch in ``scenario`` (a network's), "" for a shared one."""
    nan = Estimate(math.nan, math.nan, math.nan, 0)
    rows = []
    for s in data.staffed:
        key = (s.channel, s.slot)
        simulated = check.hourly_service_level.get(key, nan) if check is not None else nan
        branch = scenario.channels[s.channel].branch if scenario is not None else ""
        rows.append({"channel": s.channel, "branch": branch, "kind": s.kind.value, "slot": s.slot,
                     "arrival_rate": plan.arrivals.get(key, plan.rate[key]),
                     "mean_service_minutes": plan.mean_service(s),
                     "staff": plan.staff[key], "required_staff": plan.required[key],
                     "target_wait_minutes": s.target_wait_minutes, "target_share": s.target_share,
                     "service_level_predicted": predicted_slot_service_level(plan, s),
                     "service_level_simulated": simulated.mean,
                     "service_level_ci_low": simulated.ci_low,
                     "service_level_ci_high": simulated.ci_high})
    return rows


def promotion_rows(plan: Plan, data: PlanningData) -> list[dict[str, Any]]:
    """One row per (campaign, segment) the plan could spend on (promotion.csv): units,
    spend, uplift (the share of the segment's choices moved) and the diversion one more
    unit of money buys (0 where the segment's cap is reached or a unit is free)."""
    return [{"campaign": campaign, "segment": pool, "units": plan.units[(campaign, pool)],
             "spend": cost * plan.units[(campaign, pool)],
             "uplift": plan.uplift[(campaign, pool)],
             "marginal_diversion_per_unit_spend": plan.marginal[(campaign, pool)]}
            for (campaign, pool), cost in pool_costs(data).items()]


def kiosk_rows(plan: Plan, data: PlanningData, scenario: Scenario) -> list[dict[str, Any]]:
    """One row per kiosk channel (kiosks.csv): its branch, machines today and in the plan,
    and the cost of the machines added."""
    return [{"channel": k.channel, "branch": scenario.channels[k.channel].branch,
             "kiosks_today": k.base_count, "kiosks_planned": plan.kiosks[k.channel],
             "extra_cost": k.cost_per_kiosk * max(0, plan.kiosks[k.channel] - k.base_count)}
            for k in data.kiosks.values()]


def plot_staffing(rows: list[dict[str, Any]], path: Path, open_hour: int) -> None:
    """Staff in the plan, the queueing minimum and the offered load, by hour."""
    channels = list(dict.fromkeys(r["channel"] for r in rows))
    fig, ax = new_figure(8, 2.8 * len(channels) + 0.5)
    fig.clear()
    for i, channel in enumerate(channels, start=1):
        ax = fig.add_subplot(len(channels), 1, i)
        mine = [r for r in rows if r["channel"] == channel]
        hours = [open_hour + r["slot"] for r in mine]
        ax.bar(hours, [r["staff"] for r in mine], color="#4c72b0", alpha=0.6, label="staff")
        ax.step(hours, [r["required_staff"] for r in mine], where="mid", color="black",
                label="required (Erlang)")
        ax.plot(hours, [r["arrival_rate"] * r["mean_service_minutes"] for r in mine],
                marker="o", color="#dd8452", label="offered load (erlangs)")
        ax.set_title(channel)
        ax.set_ylabel("servers")
        ax.legend(fontsize="small")
    ax.set_xlabel("hour of day")
    save_figure(fig, path)


def plot_spend(rows: list[dict[str, Any]], path: Path) -> None:
    """Spend by campaign, stacked by segment."""
    campaigns = list(dict.fromkeys(r["campaign"] for r in rows))
    segments = list(dict.fromkeys(r["segment"] for r in rows))
    fig, ax = new_figure(7, 4)
    bottom = [0.0] * len(campaigns)
    for seg in segments:
        values = [sum(r["spend"] for r in rows if r["campaign"] == c and r["segment"] == seg)
                  for c in campaigns]
        ax.bar(campaigns, values, bottom=bottom, label=seg)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_ylabel("spend")
    ax.set_title("Promotion spend by campaign and segment")
    ax.legend(fontsize="small")
    ax.tick_params(axis="x", rotation=20)
    save_figure(fig, path)


def plot_frontier(rows: list[dict[str, Any]], path: Path) -> None:
    """Predicted diversion against budget, with the spend mix at each point."""
    ok = [r for r in rows if not math.isnan(r["diversion_predicted"])]
    fig, ax = new_figure(8, 4.5)
    budgets = [r["budget"] for r in ok]
    ax.plot(budgets, [100 * r["diversion_predicted"] for r in ok], marker="o", color="black")
    ax.set_xlabel("budget")
    ax.set_ylabel("diversion predicted (%)")
    twin = ax.twinx()
    bottom = [0.0] * len(ok)
    every = [r["budget"] for r in rows]
    width = (max(every) - min(every)) / (3 * len(every)) if len(every) > 1 else 1.0
    for kind, colour in (("promotion", "#dd8452"), ("staff", "#4c72b0"), ("kiosks", "#55a868")):
        values = [r[f"spend_{kind}"] for r in ok]
        twin.bar(budgets, values, width=width, bottom=bottom, alpha=0.35, color=colour, label=kind)
        bottom = [b + v for b, v in zip(bottom, values)]
    twin.set_ylabel("spend in the plan")
    missing = [r["budget"] for r in rows if math.isnan(r["diversion_predicted"])]
    if missing:  # a budget without a plan is shown, not dropped
        ax.plot(missing, [0.0] * len(missing), linestyle="none", marker="x", color="red",
                markersize=10, label="no plan at this budget", clip_on=False)
        ax.legend(fontsize="small", loc="upper left")
    twin.legend(fontsize="small", loc="lower right")
    ax.set_title("Diversion frontier")
    save_figure(fig, path)
