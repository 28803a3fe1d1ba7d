"""Simulate how customers spread across counters, kiosks, a hotline and online channels.

The Python API (``sim.api``): ``load_scenario`` -> ``Scenario``; ``simulate`` ->
``SimulationResult`` with ``summary()``, ``tables()`` and ``write(directory)`` (``workers=``
runs the replications on several processes, with the same results); ``calibrate_scenario``
-> ``CalibrationResult`` with ``report``, the fitted ``scenario`` and ``write(directory)``;
``fit_scenario`` -> ``FitResult``: a contact centre's scenario fitted to its contact log;
``compare_scenario`` -> ``ComparisonResult``: a scenario against a log, interval by interval;
``simulate_months`` -> ``MonthsResult``: populations learning their habits over months.
Errors a user can cause raise ``ScenarioError`` (a ``UserError``) with the one line the
command line prints.
"""

from sim.api import (
    CalibrationResult,
    ComparisonResult,
    FitResult,
    SimulationResult,
    calibrate_scenario,
    compare_scenario,
    fit_scenario,
    load_scenario,
    simulate,
    simulate_months,
)
from sim.scenario import RunSettings, Scenario
from sim.validate import ScenarioError, UserError

__all__ = ["CalibrationResult", "ComparisonResult", "FitResult", "RunSettings", "Scenario",
           "ScenarioError", "SimulationResult", "UserError", "calibrate_scenario",
           "compare_scenario", "fit_scenario", "load_scenario", "simulate", "simulate_months"]
