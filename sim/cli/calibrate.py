"""The Hydra app: fit the choice model to observed channel shares (``sim/calibration/``).

    python -m sim.calibrate                                  # telecom_2009 against its report
    python -m sim.calibrate scenario=telecom_hall calibrate.log=calls.csv
    python -m sim.calibrate 'calibrate.observed={hotline: 0.6, sms: 0.3, web: 0.1}'

Writes ``calibration.json`` and ``scenario/calibrated.yaml`` (a scenario ``python -m sim``
runs with ``'hydra.searchpath=[file://<run dir>]' scenario=calibrated``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hydra
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.utils import get_original_cwd
from omegaconf import MISSING, DictConfig, OmegaConf

from sim.calibration.study import (
    CalibrateSettings,
    Calibration,
    calibrate,
    validate_settings,
    with_python_numbers,
)
from sim.cli.config import check_known_keys, load, register_configs, run_it_line, with_open_dicts
from sim.cli.errors import reported_errors
from sim.io import mark_complete, write_bytes_atomic, write_json
from sim.paths import CONF_DIR
from sim.scenario import RunSettings, Scenario


@dataclass
class CalibrateConfig:
    """The schema ``python -m sim.calibrate`` composes (conf/calibrate.yaml): a scenario,
    the run settings of every simulation the fit makes, and the ``calibrate`` node."""

    scenario: Any = MISSING  # typed by the scenario group's schema
    run: RunSettings = field(default_factory=RunSettings)  # plots and trace are turned off
    calibrate: CalibrateSettings = field(default_factory=CalibrateSettings)


register_configs()
ConfigStore.instance().store(name="base_calibrate_config", node=with_open_dicts(
    CalibrateConfig, ("calibrate.observed", "calibrate.columns")))


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as a config of the ``scenario`` group, typed by its schema."""
    body = OmegaConf.to_yaml(OmegaConf.structured(with_python_numbers(scenario)))
    return "defaults:\n  - base_scenario\n  - _self_\n" + body


def write_calibration(found: Calibration, out: Path) -> dict[str, Any]:
    """calibration.json, then scenario/calibrated.yaml, then the complete marker."""
    # the report first: it holds the fit, which took minutes; the scenario file is built
    # from it and is the part with more that can go wrong
    write_json(out / "calibration.json", found.report)
    write_bytes_atomic(out / "scenario" / "calibrated.yaml",
                       scenario_yaml(found.fitted).encode("utf-8"))
    mark_complete(out)
    return found.report


def describe(report: dict[str, Any], out: Path) -> str:
    """The terminal report of a calibration: per channel the observed and fitted share (%)
    and the fitted offset; the largest error in share points on fresh seeds; the
    wait-sensitivity factor; and the command that runs the calibrated scenario from
    ``out``."""
    lines = ["channel      observed   fitted   offset"]
    offsets = report["parameters"]["offsets"]
    for c, share in report["observed"].items():
        lines.append(f"{c:<12} {100 * share:7.2f}%  {100 * report['fitted'][c]:6.2f}%  "
                     f"{offsets[c]:+7.3f}")
    lines.append(f"max abs error {100 * report['max_abs_error']:.2f} points (fresh seeds); "
                 f"wait sensitivity x{report['parameters']['wait_sensitivity_factor']:.3f}")
    lines.append("\n" + run_it_line(out, "calibrated"))
    return "\n".join(lines)


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="calibrate")
def main(cfg: DictConfig) -> None:
    """``python -m sim.calibrate``: fit the composed scenario's choice model to the
    observed shares, write calibration.json and scenario/calibrated.yaml to Hydra's run
    folder and print the report; a user error ends it with one line and exit code 2."""
    with reported_errors():
        scenario, run = load(cfg)
        check_known_keys(cfg.calibrate, "calibrate")
        settings = OmegaConf.to_object(cfg.calibrate)
        assert isinstance(settings, CalibrateSettings)
        validate_settings(settings)
        out = Path(HydraConfig.get().runtime.output_dir)
        found = calibrate(scenario, dataclasses.replace(run, plots=False, trace=False),
                          settings, Path(get_original_cwd()))
        report = write_calibration(found, out)
    print(describe(report, out))
    print(f"\nresults in {out}")

