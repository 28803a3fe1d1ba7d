"""The Hydra app: a scenario simulated against a contact log, interval by interval
(``sim.fitting.compare``).

    python -m sim.compare 'hydra.searchpath=[file://<fit run dir>]' scenario=fitted \\
        compare.log=calls.csv.gz compare.format=technion

Writes ``comparison.csv``, ``comparison.json`` and ``comparison.png`` and prints, per KPI,
the error over intervals, the noise floor and their ratio (near 1: as close as noise
allows).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

import hydra
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from omegaconf import MISSING, DictConfig, OmegaConf

from sim.api import ComparisonResult, compare_scenario
from sim.cli.config import (
    check_known_keys,
    load,
    log_file,
    named_as_typed,
    register_configs,
    with_open_dicts,
)
from sim.cli.errors import reported_errors
from sim.paths import CONF_DIR
from sim.scenario import RunSettings


@dataclass
class CompareNode:
    """The ``compare`` node: the log and how to read it."""

    log: Optional[str] = None  # the contact log's path
    format: str = "contacts"  # contacts | technion | tickets | transactions | trace
    columns: Dict[str, str] = field(default_factory=dict)  # normalized name -> file's column
    open_hour: int = 0  # a trace's opening hour
    days: List[str] = field(default_factory=list)  # dates to compare; []: all
    interval_minutes: int = 60  # the comparison's grid
    channel: Optional[str] = None  # which channel, where the log or scenario has several


@dataclass
class CompareConfig:
    """The primary config of ``python -m sim.compare`` (conf/compare.yaml)."""

    scenario: Any = MISSING
    run: RunSettings = field(default_factory=RunSettings)
    compare: CompareNode = field(default_factory=CompareNode)


register_configs()
ConfigStore.instance().store(name="base_compare_config", node=with_open_dicts(
    CompareConfig, ("compare.columns",)))


def describe(result: ComparisonResult) -> str:
    """The terminal's table: per KPI the mean absolute error over intervals, the noise
    floor and their ratio."""
    lines = [f"{result.summary['days_observed']} observed day(s) against "
             f"{result.summary['days_simulated']} simulated",
             "kpi                    error   noise floor   ratio"]
    for kpi, entry in result.summary.items():
        if isinstance(entry, dict):
            ratio = entry["ratio"]
            lines.append(f"{kpi:<20} {entry['mean_abs_error']:8.4g}  {entry['noise_floor']:12.4g}"
                         f"  {'-' if math.isnan(ratio) else f'{ratio:6.2f}'}")
    return "\n".join(lines)


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="compare")
def main(cfg: DictConfig) -> None:
    """``python -m sim.compare``: simulate ``run.replications`` days of the scenario and
    compare them with ``compare.log``; a bad log or setting ends it with one line and exit
    code 2, leaving no run folder."""
    with reported_errors():
        scenario, run = load(cfg)
        check_known_keys(cfg.compare, "compare")
        node = OmegaConf.to_object(cfg.compare)
        assert isinstance(node, CompareNode)
        path = log_file(node.log, "compare.log", "to compare with")
        with named_as_typed("compare.log", path, node.log):
            result = compare_scenario(scenario, path, format=node.format,
                                      columns=node.columns or None, open_hour=node.open_hour,
                                      days=node.days, interval_minutes=node.interval_minutes,
                                      replications=run.replications, seed=run.seed,
                                      workers=run.workers, channel=node.channel)
        out = Path(HydraConfig.get().runtime.output_dir)
        result.write(out, plots=run.plots)
    print(describe(result))
    print(f"\nresults in {out}")
