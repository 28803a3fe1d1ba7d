"""The Hydra app: compose the config -> Scenario -> replications -> files and a KPI table.

    python -m sim                                   # bank_branch, 10 replications
    python -m sim scenario=mmc scenario.servers=7 scenario.arrival_rate=6.3
    python -m sim --cfg job                         # show the composed config
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from sim.cli.config import in_multirun, load, register_configs, sweep_job
from sim.cli.errors import reported_errors
from sim.cli.sweep import SweepSettings
from sim.experiment import run_experiment
from sim.io import mark_complete
from sim.months.model import MONTHLY_KPIS, MonthsResult, run_months
from sim.months.outputs import write_months
from sim.network_results import network_text
from sim.outputs import write_outputs
from sim.paths import CONF_DIR
from sim.results import config_hash, kpi_table
from sim.rng import job_seed
from sim.scenario import Mode, RunSettings, Scenario


def prepare_experiment(cfg: DictConfig, sweep: SweepSettings
                       ) -> tuple[str, tuple[Scenario, RunSettings]]:
    """The job's config hash and what it runs; with common random numbers off, a seed of
    its own."""
    scenario, run = load(cfg)
    if not sweep.common_random_numbers:
        run = dataclasses.replace(run, seed=job_seed(run.seed, config_hash(scenario, run)))
    return config_hash(scenario, run), (scenario, run)


def months_text(result: MonthsResult) -> str:
    """The terminal table of a months run: one line per month (1 = the first) with the
    means over replications of the e-channel share, penetration this month and
    cumulative (%), customers churned ("-" until the churn window has passed) and
    satisfaction."""
    lines = ["month  e-channel share  penetration  cumulative  churned  satisfaction"]
    for m in range(result.run.months):
        k = {kpi: result.kpi(m, kpi).mean for kpi in MONTHLY_KPIS}
        churned = "-" if math.isnan(k["churned"]) else f"{k['churned']:.0f}"
        lines.append(f"{m + 1:5d}  {100 * k['e_channel_share']:14.1f}%  "
                     f"{100 * k['penetration']:10.1f}%  {100 * k['penetration_cumulative']:9.1f}%"
                     f"  {churned:>7}  {k['satisfaction']:12.3f}")
    return "\n".join(lines)


def compute_job(job: tuple[Scenario, RunSettings], out: Path) -> None:
    """A sweep job's result files: those of a single run in the same mode (months mode
    writes the last month's KPIs to summary.json, which the sweep table reads)."""
    scenario, run = job
    if run.mode is Mode.months:
        write_months(run_months(scenario, run, progress=False), out)
    else:
        write_outputs(run_experiment(scenario, run, progress=False), out)


register_configs()


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="config")
def main(cfg: DictConfig) -> None:
    """``python -m sim``: run the composed config (conf/config.yaml and the overrides);
    a user error ends it with one line and exit code 2 (``reported_errors``)."""
    with reported_errors():
        run_config(cfg)


def run_config(cfg: DictConfig) -> None:
    """Run one composed config.  In a multirun, as a sweep job (cached, recorded in
    job.json, its failures recorded rather than raised); otherwise a day experiment or a
    months run whose files go to Hydra's run folder, the ``complete`` marker last, then
    the KPI table on stdout."""
    if in_multirun():
        sweep_job("sim", cfg, lambda sweep: prepare_experiment(cfg, sweep), compute_job)
        return
    scenario, run = load(cfg)
    out = Path(HydraConfig.get().runtime.output_dir)
    if run.mode is Mode.months:
        months = run_months(scenario, run)
        write_months(months, out)
        mark_complete(out)
        print(months_text(months))
        print(f"\nresults in {out}")
        return
    result = run_experiment(scenario, run)
    write_outputs(result, out)
    mark_complete(out)
    print(kpi_table(result))
    if result.scenario.branches:
        print("\n" + network_text(result))
    print(f"\nresults in {out}")

