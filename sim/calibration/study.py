"""A calibration study: the shares to fit (given, or read from a transaction log), the fit,
and a check of the fitted scenario on fresh seeds, reported as plain data.

    >>> from sim.calibration.study import CalibrateSettings, calibrate
    >>> result = calibrate(scenario, run, CalibrateSettings(observed={"web": 0.5, ...}))
    >>> result.report["max_abs_error"], result.fitted        # the report, the fitted Scenario
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional, TypeVar

import numpy as np

from sim.calibration.fit import (
    Fit,
    fit_offsets,
    fit_wait_factor,
    fresh,
    normalised,
    observed_from_contacts,
    simulated_shares,
    simulator,
    with_parameters,
)
from sim.experiment import run_experiment
from sim.scenario import RunSettings, Scenario
from sim.validate import ScenarioError, require, require_finite


@dataclass
class CalibrateSettings:
    """The ``calibrate`` node: what to fit and how hard to try."""

    observed: Dict[str, float] = field(default_factory=dict)  # channel -> share; empty: the
    # scenario's observed_shares, or the log's
    log: Optional[str] = None  # a contact log of several channels (sim.logs.read_log)
    format: str = "transactions"  # its layout: transactions (timestamp, customer, channel,
    # transaction_type, outcome), contacts, technion, tickets or trace
    columns: Dict[str, str] = field(default_factory=dict)  # field -> the file's column
    fit_wait_sensitivity: bool = True  # with a log: fit a factor on the wait sensitivities
    iterations: int = 30  # of the share contraction
    tolerance: float = 0.001  # on every share, with the fitting seeds
    check_replications: int = 20  # fresh replications that measure the fitted shares


def validate_settings(settings: CalibrateSettings) -> None:
    """ScenarioError naming ``calibrate.<key>`` for a setting out of range or not finite."""
    require_finite(settings, "calibrate")
    require(settings.iterations >= 1, "calibrate.iterations", settings.iterations, "must be >= 1")
    require(settings.tolerance > 0, "calibrate.tolerance", settings.tolerance, "must be > 0")
    require(settings.check_replications >= 2, "calibrate.check_replications",
            settings.check_replications, "must be >= 2 (a confidence interval needs two)")


@dataclass
class Calibration:
    """What a calibration found: ``report`` (calibration.json: observed and fitted shares,
    the parameters, how the fit went) and the ``fitted`` Scenario."""

    report: dict[str, Any]
    fitted: Scenario


def targets(scenario: Scenario, settings: CalibrateSettings, base: Path = Path(".")
            ) -> tuple[dict[str, float], dict[int, dict[str, float]]]:
    """The shares to fit (normalised) and, from a log (relative to ``base``), the shares
    by hour."""
    by_hour: dict[int, dict[str, float]] = {}
    observed = dict(settings.observed or scenario.observed_shares)
    if settings.log:
        from sim.logs import read_log  # pandas: imported when a log is read

        try:
            log = read_log(base / settings.log, format=settings.format,
                           columns=settings.columns or None, open_hour=scenario.open_hour,
                           config="calibrate")
        except ScenarioError as error:  # name the file as given, not as found
            if error.path != "calibrate.log":
                raise
            raise ScenarioError(error.path, settings.log, error.reason) from None
        from_log, by_hour = observed_from_contacts(log.contacts, scenario.open_hour,
                                                   scenario.channels, settings.log)
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


def calibrate(scenario: Scenario, run: RunSettings, settings: CalibrateSettings,
              base: Path = Path(".")) -> Calibration:
    """Fit the scenario's choice model to the observed shares (``settings``), then measure
    the fitted scenario on fresh seeds.  ``base``: the folder a relative ``settings.log``
    is read from.  Raises ScenarioError for bad targets or a bad log."""
    observed, by_hour = targets(scenario, settings, base)
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
    return Calibration(with_python_numbers(report), fitted)
