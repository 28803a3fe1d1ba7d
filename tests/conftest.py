"""Shared test helpers: scenarios and run settings as ``python -m sim`` composes them, built
with the Python API (``sim.load_scenario``); Hydra's composition itself for the tests of the
command line (``compose_config``)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
import yaml
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig

import sim
from sim.cli.config import register_configs
from sim.scenario import RunSettings, Scenario, opening_minutes
from sim.validate import validate_run, validate_size

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "conf"
SCENARIOS = sorted(p.stem for p in (CONF / "scenario").glob("*.yaml"))
RUNS = sorted(p.stem for p in (CONF / "run").glob("*.yaml"))


def compose_config(overrides: list[str] | None = None) -> DictConfig:
    """The composed DictConfig for these command-line overrides."""
    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        return compose(config_name="config", overrides=overrides or [])


def run_settings(name: str, overrides: dict[str, str], day_minutes: float) -> RunSettings:
    """RunSettings of ``conf/run/<name>.yaml`` with ``run.<key>=<value>`` overrides, each
    value read as YAML (as Hydra reads it) and converted to the field's type; a horizon
    that the file leaves to the scenario's day is ``day_minutes``."""
    values = yaml.safe_load((CONF / "run" / f"{name}.yaml").read_text())
    values.pop("defaults", None)
    if str(values.get("horizon_minutes", "")).startswith("${"):  # the scenario's day
        values["horizon_minutes"] = day_minutes
    values.update({key: yaml.safe_load(value) for key, value in overrides.items()})
    fields = {f.name: f for f in dataclasses.fields(RunSettings)}
    unknown = set(values) - set(fields)
    if unknown:
        raise sim.ScenarioError(f"run.{sorted(unknown)[0]}", values[sorted(unknown)[0]],
                                "not a key of RunSettings")
    defaults = RunSettings()
    return RunSettings(**{key: value if value is None or getattr(defaults, key) is None
                          else type(getattr(defaults, key))(value)
                          for key, value in values.items()})


def compose_scenario(overrides: list[str] | None = None) -> tuple[Scenario, RunSettings]:
    """Typed and validated Scenario and RunSettings, e.g. ["scenario=mmc", "run.replications=2"]:
    ``scenario=<name>``, ``run=<name>``, ``scenario.<key>=<value>`` and ``run.<key>=<value>``
    overrides as on the command line (defaults: bank_branch, run=default).  The scenario
    comes from ``sim.load_scenario``, the run settings from ``conf/run/``."""
    name, run_name = "bank_branch", "default"
    scenario_overrides: list[str] = []
    run_overrides: dict[str, str] = {}
    for override in overrides or []:
        key, _, value = override.lstrip("+").partition("=")
        if key == "scenario":
            name = value
        elif key == "run":
            run_name = value
        elif key.startswith("scenario."):
            scenario_overrides.append(f"{key.removeprefix('scenario.')}={value}")
        elif key.startswith("run."):
            run_overrides[key.removeprefix("run.")] = value
        else:
            raise ValueError(f"{override!r}: compose_scenario takes scenario and run overrides")
    scenario = sim.load_scenario(name, scenario_overrides)
    run = run_settings(run_name, run_overrides, opening_minutes(scenario))
    validate_run(run)
    validate_size(scenario, run)
    return scenario, run


@pytest.fixture(autouse=True)
def _headless_plots() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
