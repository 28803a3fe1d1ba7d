"""Shared test helpers: compose the shipped configs exactly as `python -m sim` does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from omegaconf import DictConfig

from sim.cli.config import load, register_configs
from sim.scenario import RunSettings, Scenario

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


def compose_scenario(overrides: list[str] | None = None) -> tuple[Scenario, RunSettings]:
    """Typed and validated Scenario and RunSettings, e.g. ["scenario=mmc", "run.replications=2"]."""
    return load(compose_config(overrides))


@pytest.fixture(autouse=True)
def _headless_plots() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
