"""The Hydra app: scenario -> baseline simulation -> MILP -> plan -> simulated check -> files.

    python -m optimize                                      # max_diversion on bank_branch
    python -m optimize optimize.objective=min_cost optimize.target_diversion=0.68
    python -m optimize optimize.objective=frontier 'optimize.frontier_budgets=[0,500,1000,2000]'
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

import hydra
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from omegaconf import MISSING, DictConfig, OmegaConf

from optimize.baseline import planning_baseline
from optimize.check import Check, Miss, refine
from optimize.data import PlanningData
from optimize.elastic import infeasibility_report
from optimize.frontier import frontier_rows, solve_frontier
from optimize.plan import Plan, extract_plan
from optimize.report import (
    KIOSK_COLUMNS,
    PROMOTION_COLUMNS,
    STAFFING_COLUMNS,
    kiosk_rows,
    plan_summary,
    plot_frontier,
    plot_spend,
    plot_staffing,
    promotion_rows,
    staffing_rows,
)
from optimize.settings import Objective, OptimizeSettings
from optimize.start import build_and_solve
from optimize.validate import validate_settings
from sim.__main__ import (
    check_known_keys,
    in_multirun,
    load,
    register_configs,
    sweep_job,
    with_open_dicts,
)
from sim.cli_errors import reported_errors, run_app
from sim.io import mark_complete, write_csv, write_json
from sim.paths import CONF_DIR
from sim.results import config_hash, plain
from sim.scenario import RunSettings, Scenario
from sim.sweep import SweepSettings, own_seed
from sim.validate import UserError


@dataclass
class OptimizeConfig:
    scenario: Any = MISSING
    run: RunSettings = field(default_factory=RunSettings)
    optimize: OptimizeSettings = field(default_factory=OptimizeSettings)
    sweep: SweepSettings = field(default_factory=SweepSettings)  # multirun jobs only


register_configs()
ConfigStore.instance().store(name="base_optimize_config", node=with_open_dicts(
    OptimizeConfig, ("optimize.segment_caps", "optimize.max_staff", "optimize.max_kiosks")))


def solve_plan(data: PlanningData, settings: OptimizeSettings, budget: float,
               objective: Objective) -> Optional[Plan]:
    """The plan for one objective and budget, or None when no solution was found."""
    settings = dataclasses.replace(settings, objective=objective)
    model, result = build_and_solve(data, settings, budget)
    if not result.has_solution:
        return None
    target = settings.target_diversion if objective is Objective.min_cost else None
    return extract_plan(model, result, objective.value, budget, target)


class NoPlan(UserError):
    """No plan meets the constraints, or none was found within the time limit."""


def run(scenario: Scenario, run_settings: RunSettings, settings: OptimizeSettings, out: Path,
        quiet: bool = False) -> Plan:
    """The whole job; ``quiet``: no progress bars or summary (a sweep job)."""
    _, data = planning_baseline(scenario, run_settings, settings,
                                progress=False if quiet else None)
    if settings.objective is Objective.frontier:
        points = solve_frontier(settings.frontier_budgets, lambda b: solve_plan(
            data, settings, b, Objective.max_diversion))
        as_max = dataclasses.replace(settings, objective=Objective.max_diversion)
        reasons = {b: "; ".join(map(str, infeasibility_report(data, as_max, b)))
                   or "no solution within the time limit" for b, p in points if p is None}
        rows = frontier_rows(points, list(scenario.campaigns), reasons)
        write_csv(out / "frontier.csv", rows, list(rows[0]))
        plot_frontier(rows, out / "frontier.png")
        for b, reason in reasons.items():
            print(f"frontier: no plan at budget {b:g} (marked x on frontier.png); short: {reason}",
                  file=sys.stderr)
        found = [p for _, p in points if p is not None]
        if not found:
            raise NoPlan("no budget on the frontier has a feasible plan")
        plan = found[-1]
    else:
        budget = settings.budget
        maybe = solve_plan(data, settings, budget, settings.objective)
        if maybe is None:
            violations = infeasibility_report(data, settings, budget)
            write_json(out / "infeasible.json", {"violations": [
                {"constraint": v.constraint, "amount": v.amount} for v in violations]})
            detail = "; ".join(map(str, violations)) or "no solution within the time limit"
            raise NoPlan(f"no plan meets every constraint ({settings.objective.value}, budget "
                         f"{budget:g}); short: {detail}")
        plan = maybe

    check: Optional[Check] = None
    refinements = 0
    if settings.check_replications:
        plan, check, refinements = refine(
            scenario, data, run_settings, settings.check_replications, settings.refine_iterations,
            lambda d: solve_plan(d, settings, plan.budget, Objective(plan.objective_name)), plan,
            progress=False if quiet else None)
    staffing, promotion = staffing_rows(plan, data, check), promotion_rows(plan, data)
    write_json(out / "plan.json", plan_summary(plan, check, refinements, data))
    write_csv(out / "staffing.csv", staffing, STAFFING_COLUMNS)
    write_csv(out / "promotion.csv", promotion, PROMOTION_COLUMNS)
    write_csv(out / "kiosks.csv", kiosk_rows(plan, data, scenario), KIOSK_COLUMNS)
    if run_settings.plots:
        plot_staffing(staffing, out / "staffing.png", scenario.open_hour)
        if promotion:
            plot_spend(promotion, out / "spend.png")
    misses = check.misses(data) if check is not None else []
    if not quiet:
        print(describe(plan, check, misses, scenario.open_hour, refinements))
    if misses and not quiet:
        raise CheckFailed(f"the plan misses its service targets after {refinements} "
                          f"refinement(s): " + "; ".join(m.describe(scenario.open_hour)
                                                         for m in misses))
    return plan


class CheckFailed(Exception):
    """The plan's simulated check misses service targets beyond noise (exit code 3: a
    plan was written, but it is not one to use as it is)."""


CHECK_FAILED_EXIT = 3


def describe(plan: Plan, check: Optional[Check], misses: Sequence[Miss] = (), open_hour: int = 0,
             refinements: int = 0) -> str:
    solve_info = plan.solve
    gap = "-" if solve_info.gap is None else f"{100 * solve_info.gap:.2f}%"
    status = "check_failed" if misses else solve_info.status
    lines = [f"{plan.objective_name}: {status} (solver {solve_info.status}, {solve_info.solver}, "
             f"{solve_info.seconds:.2f} s, gap {gap}; {refinements} refinement(s))",
             f"  spend: promotion {plan.spend['promotion']:.0f}, staff {plan.spend['staff']:.0f}, "
             f"kiosks {plan.spend['kiosks']:.0f}, total {plan.spend['total']:.0f} " + (
                 f"(target diversion {plan.target_diversion:.1%})"
                 if plan.target_diversion is not None else f"(budget {plan.budget:g})"),
             f"  diversion predicted {100 * plan.diversion_predicted:.1f}%"]
    if check is not None:
        d = check.diversion
        lines[-1] += (f", simulated {100 * d.mean:.1f}% "
                      f"[{100 * d.ci_low:.1f}, {100 * d.ci_high:.1f}]")
        for channel, v in check.service_levels.items():
            sim = v["simulated"]
            assert hasattr(sim, "mean")
            lines.append(f"  {channel}: service level target {v['target']:.0%} within "
                         f"{v['target_wait_minutes']:g} min, predicted {v['predicted']:.1%}, "
                         f"simulated {sim.mean:.1%}")
    return "\n".join(lines)


def load_all(cfg: DictConfig) -> tuple[Scenario, RunSettings, OptimizeSettings]:
    scenario, run_settings = load(cfg)
    check_known_keys(cfg.optimize, "optimize")
    settings = OmegaConf.to_object(cfg.optimize)
    assert isinstance(settings, OptimizeSettings)
    validate_settings(settings, scenario, run_settings)
    return scenario, run_settings, settings


Job = tuple[Scenario, RunSettings, OptimizeSettings]


def prepare_job(cfg: DictConfig, sweep: SweepSettings) -> tuple[str, Job]:
    """A sweep job's config hash and what it solves; with common random numbers off, a
    seed of its own."""
    scenario, run_settings, settings = load_all(cfg)
    key = config_hash(scenario, run_settings, extra={"optimize": plain(settings)})
    if not sweep.common_random_numbers:
        run_settings = dataclasses.replace(run_settings, seed=own_seed(run_settings.seed, key))
        key = config_hash(scenario, run_settings, extra={"optimize": plain(settings)})
    return key, (scenario, run_settings, settings)


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="optimize")
def main(cfg: DictConfig) -> None:
    if in_multirun():
        sweep_job("optimize", cfg, lambda sweep: prepare_job(cfg, sweep),
                  lambda job, out: run(*job, out, quiet=True))
        return
    with reported_errors():
        scenario, run_settings, settings = load_all(cfg)
        out = Path(HydraConfig.get().runtime.output_dir)
        try:
            run(scenario, run_settings, settings, out)
        except CheckFailed as failed:  # the plan's files are written: complete, but not a pass
            mark_complete(out)
            print(f"\nresults in {out}")
            print(f"check failed: {failed}", file=sys.stderr)
            raise SystemExit(CHECK_FAILED_EXIT) from None
        mark_complete(out)
    print(f"\nresults in {out}")


if __name__ == "__main__":
    run_app(main)
