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

from optimize.api import NoPlan, plan_scenario, write_frontier
from optimize.check import Check, Miss
from optimize.plan import Plan
from optimize.settings import Objective, OptimizeSettings
from optimize.validate import validate_settings
from sim.cli.config import (
    check_known_keys,
    in_multirun,
    load,
    register_configs,
    sweep_job,
    with_open_dicts,
)
from sim.cli.errors import reported_errors
from sim.cli.sweep import SweepSettings
from sim.cli.sweep_table import SweepColumns, flatten, register_app
from sim.io import mark_complete, read_json, write_json
from sim.paths import CONF_DIR
from sim.results import config_hash, plain
from sim.rng import job_seed
from sim.scenario import RunSettings, Scenario


def plan_results(job_dir: Path) -> dict[str, Any]:
    """A sweep job's columns: the numbers of plan.json, nested keys joined by dots
    (``spend.total``, ``diversion_simulated_mean``, ``plan_status``)."""
    plan = read_json(job_dir / "plan.json")
    plan["plan_status"] = plan.pop("status")
    return flatten(plan)


register_app("optimize", SweepColumns(
    plan_results,
    plotted=("diversion_simulated", "diversion_predicted", "objective_value", "spend.total",
             "spend.promotion", "spend.staff", "spend.kiosks"),
    headline=("diversion_simulated", "diversion_predicted", "spend.total", "spend.staff"),
    cloud=("diversion_simulated_mean", "spend.total")))


@dataclass
class OptimizeConfig:
    """The schema ``python -m optimize`` composes (conf/optimize.yaml): a scenario, the run
    settings of every simulation (baseline and check), the ``optimize`` settings and the
    sweep settings."""

    scenario: Any = MISSING  # typed by the scenario group's schema
    run: RunSettings = field(default_factory=RunSettings)
    optimize: OptimizeSettings = field(default_factory=OptimizeSettings)
    sweep: SweepSettings = field(default_factory=SweepSettings)  # multirun jobs only


register_configs()
ConfigStore.instance().store(name="base_optimize_config", node=with_open_dicts(
    OptimizeConfig, ("optimize.segment_caps", "optimize.max_staff", "optimize.max_kiosks",
                     "optimize.year.capacity")))


def run(scenario: Scenario, run_settings: RunSettings, settings: OptimizeSettings, out: Path,
        quiet: bool = False) -> Optional[Plan]:
    """The whole job through the API, its files in ``out``; ``quiet``: no progress bars or
    summary (a sweep job).  Files that explain a refusal (frontier.csv, infeasible.json)
    are written before NoPlan goes up."""
    if settings.objective is Objective.year_plan:
        run_year(scenario, run_settings, settings, out, quiet)
        return None
    try:
        result = plan_scenario(scenario, run_settings, settings,
                               progress=False if quiet else None)
    except NoPlan as no_plan:
        if no_plan.frontier:
            write_frontier(no_plan.frontier, out, run_settings.plots)
        if no_plan.violations is not None:
            write_json(out / "infeasible.json", {"violations": [
                {"constraint": v.constraint, "amount": v.amount} for v in no_plan.violations]})
        raise
    result.write(out)
    for row in result.frontier:
        if row["reason"]:
            print(f"frontier: no plan at budget {row['budget']:g} (marked x on frontier.png); "
                  f"short: {row['reason']}", file=sys.stderr)
    misses = result.misses
    if not quiet:
        print(describe(result.plan, result.checked, misses, scenario.open_hour,
                       result.refinements))
    if misses and not quiet:
        raise CheckFailed(f"the plan misses its service targets after {result.refinements} "
                          f"refinement(s): " + "; ".join(m.describe(scenario.open_hour)
                                                         for m in misses))
    return result.plan


def run_year(scenario: Scenario, run_settings: RunSettings, settings: OptimizeSettings,
             out: Path, quiet: bool) -> None:
    """``optimize.objective=year_plan``: the calendar, its trajectories and odds in ``out``."""
    from optimize.year.plan import plan_year
    from optimize.year.result import describe as describe_year

    result = plan_year(scenario, run_settings, settings, progress=False if quiet else None)
    result.write(out)
    if not quiet:
        print(describe_year(result))


class CheckFailed(Exception):
    """The plan's simulated check misses service targets beyond noise (exit code 3: a
    plan was written, but it is not one to use as it is)."""


CHECK_FAILED_EXIT = 3


def describe(plan: Plan, check: Optional[Check], misses: Sequence[Miss] = (), open_hour: int = 0,
             refinements: int = 0) -> str:
    """The terminal summary of a plan: its status (``check_failed`` when ``misses``), the
    solver's status, time and gap, the spend by kind against the budget or the target, the
    predicted diversion and, with a check, the simulated one with its CI and each staffed
    channel's target, predicted and simulated service level."""
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
    """Typed, validated scenario, run and optimiser settings from the composed config;
    ScenarioError (one line) at the first bad value or unknown key."""
    scenario, run_settings = load(cfg)
    check_known_keys(cfg.optimize, "optimize")
    settings = OmegaConf.to_object(cfg.optimize)
    assert isinstance(settings, OptimizeSettings)
    if settings.objective is Objective.year_plan:
        settings.targets = settings.targets.or_scenarios(scenario.adoption.targets)
    validate_settings(settings, scenario, run_settings)
    return scenario, run_settings, settings


Job = tuple[Scenario, RunSettings, OptimizeSettings]


def prepare_job(cfg: DictConfig, sweep: SweepSettings) -> tuple[str, Job]:
    """A sweep job's config hash and what it solves; with common random numbers off, a
    seed of its own."""
    scenario, run_settings, settings = load_all(cfg)
    key = config_hash(scenario, run_settings, extra={"optimize": plain(settings)})
    if not sweep.common_random_numbers:
        run_settings = dataclasses.replace(run_settings, seed=job_seed(run_settings.seed, key))
        key = config_hash(scenario, run_settings, extra={"optimize": plain(settings)})
    return key, (scenario, run_settings, settings)


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="optimize")
def main(cfg: DictConfig) -> None:
    """``python -m optimize``: solve, check and write the plan to Hydra's run folder (the
    ``complete`` marker last) and print its summary; in a multirun, one cached sweep job.
    A failed check writes the plan, then exits with code 3 (CHECK_FAILED_EXIT); a user
    error, including no plan (NoPlan), exits 2 with one line."""
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

