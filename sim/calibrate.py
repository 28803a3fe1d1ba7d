"""The Hydra app: fit the choice model to observed channel shares (``sim/calibration.py``).

    python -m sim.calibrate                                  # telecom_2009 against its report
    python -m sim.calibrate scenario=telecom_hall calibrate.log=calls.csv
    python -m sim.calibrate 'calibrate.observed={hotline: 0.6, sms: 0.3, web: 0.1}'

Writes ``calibration.json`` and ``scenario/calibrated.yaml`` (a scenario ``python -m sim``
runs with ``'hydra.searchpath=[file://<run dir>]' scenario=calibrated``).
"""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional, TypeVar

import hydra
import numpy as np
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.utils import to_absolute_path
from omegaconf import MISSING, DictConfig, OmegaConf

from sim.__main__ import check_known_keys, load, register_configs, with_open_dicts
from sim.calibration import (
    Fit,
    fit_offsets,
    fit_wait_factor,
    fresh,
    normalised,
    observed_from_log,
    simulated_shares,
    simulator,
    with_parameters,
)
from sim.cli_errors import reported_errors, run_app
from sim.experiment import run_experiment
from sim.io import mark_complete, write_bytes_atomic, write_json
from sim.paths import CONF_DIR
from sim.scenario import RunSettings, Scenario
from sim.validate import ScenarioError, require, require_finite


@dataclass
class CalibrateSettings:
    observed: Dict[str, float] = field(default_factory=dict)  # channel -> share; empty: the
    # scenario's observed_shares, or the log's
    log: Optional[str] = None  # transaction log CSV: timestamp, customer, channel,
    # transaction_type, outcome, wait
    fit_wait_sensitivity: bool = True  # with a log: fit a factor on the wait sensitivities
    iterations: int = 30  # of the share contraction
    tolerance: float = 0.001  # on every share, with the fitting seeds
    check_replications: int = 20  # fresh replications that measure the fitted shares


@dataclass
class CalibrateConfig:
    scenario: Any = MISSING
    run: RunSettings = field(default_factory=RunSettings)
    calibrate: CalibrateSettings = field(default_factory=CalibrateSettings)


register_configs()
ConfigStore.instance().store(name="base_calibrate_config", node=with_open_dicts(
    CalibrateConfig, ("calibrate.observed",)))


def targets(scenario: Scenario, settings: CalibrateSettings
            ) -> tuple[dict[str, float], dict[int, dict[str, float]]]:
    """The shares to fit (normalised) and, from a log, the shares by hour."""
    by_hour: dict[int, dict[str, float]] = {}
    observed = dict(settings.observed or scenario.observed_shares)
    if settings.log:
        path = Path(to_absolute_path(settings.log))
        require(path.is_file(), "calibrate.log", settings.log, "no such file")
        try:
            with path.open(newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                missing = {"timestamp", "channel", "outcome"} - set(reader.fieldnames or [])
                require(not missing, "calibrate.log", settings.log,
                        f"lacks columns {sorted(missing)}")
                from_log, by_hour = observed_from_log(reader, scenario.open_hour,
                                                      scenario.channels, settings.log)
        except UnicodeDecodeError:
            raise ScenarioError("calibrate.log", settings.log, "is not a UTF-8 text (CSV) "
                                "file") from None
        observed = observed or from_log
    require(bool(observed), "calibrate.observed", {}, "nothing to fit: give the scenario's "
            "observed_shares, calibrate.observed or calibrate.log")
    for channel, share in observed.items():
        require(channel in scenario.channels, f"calibrate.observed.{channel}", share,
                "not a channel of the scenario")
        require(0.0 < share <= 1.0, f"calibrate.observed.{channel}", share,
                "a share must lie in (0, 1]")
    return normalised(observed), by_hour


T = TypeVar("T")


def with_python_numbers(value: T) -> T:
    """A copy of ``value`` (dataclasses, dicts, lists) with numpy scalars as Python ones.

    The fit computes with numpy, so a fitted parameter can be a ``numpy.float64``, which
    OmegaConf refuses as a config value (and JSON only takes because it subclasses float).
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: with_python_numbers(getattr(value, f.name))
                   for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict):
        return {k: with_python_numbers(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, (list, tuple)):
        return type(value)(with_python_numbers(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as a config of the ``scenario`` group, typed by its schema."""
    body = OmegaConf.to_yaml(OmegaConf.structured(with_python_numbers(scenario)))
    return "defaults:\n  - base_scenario\n  - _self_\n" + body


def calibrate(scenario: Scenario, run: RunSettings, settings: CalibrateSettings, out: Path
              ) -> dict[str, Any]:
    observed, by_hour = targets(scenario, settings)
    simulate = simulator(run)
    fit: Fit
    if by_hour and settings.fit_wait_sensitivity:
        fit = fit_wait_factor(scenario, observed, by_hour, simulate,
                              iterations=settings.iterations, tolerance=settings.tolerance)
    else:
        fit = fit_offsets(scenario, observed, simulate, iterations=settings.iterations,
                          tolerance=settings.tolerance)
    fitted = with_parameters(scenario, fit.offsets, fit.wait_factor)
    fitted.name = f"{scenario.name}_calibrated"
    check = run_experiment(fitted, fresh(run, settings.check_replications), progress=False)
    shares = simulated_shares(check, list(observed))
    report = {
        "observed": observed,
        "fitted": shares,
        "max_abs_error": max(abs(shares[c] - observed[c]) for c in observed),
        "parameters": {
            "offsets": fit.offsets,
            "wait_sensitivity_factor": fit.wait_factor,
            "preference": {name: dict(seg.preference) for name, seg in fitted.segments.items()},
            "wait_sensitivity_per_minute": {name: seg.wait_sensitivity_per_minute
                                            for name, seg in fitted.segments.items()},
        },
        "fit": {"iterations": fit.iterations, "converged": fit.converged,
                "shares_with_fitting_seeds": fit.shares, "fitting_seed": run.seed,
                "fitting_replications": run.replications,
                "check_seed": fresh(run, settings.check_replications).seed,
                "check_replications": settings.check_replications},
    }
    # the report first: it holds the fit, which took minutes; the scenario file is built
    # from it and is the part with more that can go wrong
    report = with_python_numbers(report)
    write_json(out / "calibration.json", report)
    write_bytes_atomic(out / "scenario" / "calibrated.yaml",
                       scenario_yaml(fitted).encode("utf-8"))
    mark_complete(out)
    return report


def describe(report: dict[str, Any], out: Path) -> str:
    lines = ["channel      observed   fitted   offset"]
    offsets = report["parameters"]["offsets"]
    for c, share in report["observed"].items():
        lines.append(f"{c:<12} {100 * share:7.2f}%  {100 * report['fitted'][c]:6.2f}%  "
                     f"{offsets[c]:+7.3f}")
    lines.append(f"max abs error {100 * report['max_abs_error']:.2f} points (fresh seeds); "
                 f"wait sensitivity x{report['parameters']['wait_sensitivity_factor']:.3f}")
    lines.append(f"\nrun it: python -m sim 'hydra.searchpath=[file://{out.resolve()}]' "
                 "scenario=calibrated")
    return "\n".join(lines)


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="calibrate")
def main(cfg: DictConfig) -> None:
    with reported_errors():
        scenario, run = load(cfg)
        check_known_keys(cfg.calibrate, "calibrate")
        settings = OmegaConf.to_object(cfg.calibrate)
        assert isinstance(settings, CalibrateSettings)
        require_finite(settings, "calibrate")
        require(settings.iterations >= 1, "calibrate.iterations", settings.iterations, "must be >= 1")
        require(settings.tolerance > 0, "calibrate.tolerance", settings.tolerance, "must be > 0")
        require(settings.check_replications >= 2, "calibrate.check_replications",
                settings.check_replications, "must be >= 2 (a confidence interval needs two)")
        out = Path(HydraConfig.get().runtime.output_dir)
        report = calibrate(scenario, dataclasses.replace(run, plots=False, trace=False),
                           settings, out)
    print(describe(report, out))
    print(f"\nresults in {out}")


if __name__ == "__main__":
    run_app(main)
