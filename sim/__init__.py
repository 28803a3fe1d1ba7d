"""Simulate how customers spread across counters, kiosks, a hotline and online channels.

The Python API (``sim.api``): ``load_scenario`` -> ``Scenario``; ``simulate`` ->
``SimulationResult`` with ``summary()``, ``tables()`` and ``write(directory)`` (``workers=``
runs the replications on several processes, with the same results); ``calibrate_scenario``
-> ``CalibrationResult`` with ``report``, the fitted ``scenario`` and ``write(directory)``;
``fit_scenario`` -> ``FitResult``: a contact centre's scenario fitted to its contact log.
Errors a user can cause raise ``ScenarioError`` (a ``UserError``) with the one line the
command line prints.
"""

from sim.api import (
    CalibrationResult,
    FitResult,
    SimulationResult,
    calibrate_scenario,
    fit_scenario,
    load_scenario,
    simulate,
)
from sim.scenario import RunSettings, Scenario
from sim.validate import ScenarioError, UserError

__all__ = ["CalibrationResult", "FitResult", "RunSettings", "Scenario", "ScenarioError",
           "SimulationResult", "UserError", "calibrate_scenario", "fit_scenario", "load_scenario",
           "simulate"]
