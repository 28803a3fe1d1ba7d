"""Simulate how customers spread across counters, kiosks, a hotline and online channels.

The Python API (``sim.api``): ``load_scenario`` -> ``Scenario``, ``simulate`` ->
``SimulationResult`` with ``summary()``, ``tables()`` and ``write(directory)``.  Errors a
user can cause raise ``ScenarioError`` (a ``UserError``) with the one line the command line
prints.
"""

from sim.api import SimulationResult, load_scenario, simulate
from sim.scenario import RunSettings, Scenario
from sim.validate import ScenarioError, UserError

__all__ = ["RunSettings", "Scenario", "ScenarioError", "SimulationResult", "UserError",
           "load_scenario", "simulate"]
