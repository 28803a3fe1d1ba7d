"""The Hydra app: fit the scenario of one contact centre to a contact log (``sim.fitting``).

    python -m sim.fit fit.log=calls.csv                               # our contacts layout
    python -m sim.fit fit.log=january.txt.gz fit.format=technion fit.interval_minutes=30

Writes ``fit.json`` (every fitted parameter with its confidence interval, the sample sizes,
the log's data quality) and ``scenario/fitted.yaml``, which ``python -m sim`` runs with
``'hydra.searchpath=[file://<run dir>]' scenario=fitted``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional

import hydra
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from sim.api import FitResult, fit_scenario
from sim.cli.config import (
    check_known_keys,
    log_file,
    named_as_typed,
    register_configs,
    run_it_line,
    with_open_dicts,
)
from sim.cli.errors import reported_errors
from sim.fitting.assemble import FitSettings
from sim.paths import CONF_DIR
from sim.validate import require_finite


@dataclass
class FitNode(FitSettings):
    """The ``fit`` node: the log, how to read it, and the fit's settings."""

    log: Optional[str] = None  # the contact log's path
    format: str = "contacts"  # contacts | technion | tickets | transactions | trace
    columns: Dict[str, str] = field(default_factory=dict)  # normalized name -> file's column
    outcome_codes: Dict[str, str] = field(default_factory=dict)  # file's code -> outcome
    open_hour: int = 0  # a trace's opening hour
    plots: bool = True  # the figures of fit against data


@dataclass
class FitConfig:
    """The primary config of ``python -m sim.fit`` (conf/fit.yaml)."""

    fit: FitNode = field(default_factory=FitNode)


register_configs()
ConfigStore.instance().store(name="base_fit_config", node=with_open_dicts(
    FitConfig, ("fit.columns", "fit.outcome_codes")))


def describe(fit: FitResult, out: Path) -> str:
    """The terminal's summary: the day, the rates, agents, service and patience found."""
    r = fit.report
    lines = [f"{r['contacts']:,} contacts over {len(r['days'])} day(s), "
             f"{r['open_hour']:02d}:00-{r['close_hour'] % 24:02d}:00 in "
             f"{r['interval_minutes']}-minute intervals; channel {r['channel']} ({r['kind']})",
             "arrivals per minute: " + " ".join(f"{x:.2f}" for x in r["arrivals"]["rate_per_minute"]),
             "agents: " + " ".join(f"{x:g}" for x in r["agents"]["per_interval"]),
             f"  ({r['agents']['method']})"]
    classes = r["arrivals"].get("by_class", {})
    if classes:
        lines.append(f"priority classes: {', '.join(classes)} "
                     f"({fit.scenario.channels[r['channel']].priority_segments[0]} served first)")
    for t, s in r["service"].items():
        best = s[s["best"]]
        lines.append(f"service {t}: {s['best']}, mean {best['mean_minutes']['value']:.2f} min, "
                     f"cv {best['cv']['value']:.2f}")
    patience = r["patience"]
    if patience.get("used"):
        mean = patience[patience["used"]]["mean_minutes"]
        naive = patience["naive_mean_minutes"]["value"]
        lines.append(f"patience: {patience['used']}, mean {mean['value']:.2f} min "
                     f"[{mean['ci_low']:.2f}, {mean['ci_high']:.2f}] (censored MLE; "
                     f"{patience['abandoned']} abandoned of {patience['n']} who queued; the "
                     f"abandoners' mean wait, biased low: {naive:.2f})")
    else:
        lines.append("patience: " + patience.get("note", "nobody gave up in the log: it never "
                                                          "runs out in the scenario"))
    quality = r.get("data_quality", {})
    if quality:
        lines.append(f"rows: {quality.get('rows_read', 0):,} read, "
                     f"{quality.get('rows_used', 0):,} used")
    lines.append("\n" + run_it_line(out, "fitted"))
    return "\n".join(lines)


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="fit")
def main(cfg: DictConfig) -> None:
    """``python -m sim.fit``: read ``fit.log``, fit, write fit.json and scenario/fitted.yaml;
    a bad log or setting ends it with one line and exit code 2, leaving no run folder."""
    with reported_errors():
        check_known_keys(cfg.fit, "fit")
        node = OmegaConf.to_object(cfg.fit)
        assert isinstance(node, FitNode)
        require_finite(node, "fit")
        path = log_file(node.log, "fit.log", "to fit")
        settings: dict[str, Any] = {f.name: getattr(node, f.name)
                                    for f in dataclasses.fields(FitSettings)}
        with named_as_typed("fit.log", path, node.log):
            fit = fit_scenario(path, format=node.format, columns=node.columns or None,
                               open_hour=node.open_hour,
                               outcome_codes=node.outcome_codes or None, **settings)
        out = Path(HydraConfig.get().runtime.output_dir)
        fit.write(out, plots=node.plots)
    print(describe(fit, out))
    print(f"\nresults in {out}")
