"""The Python API: load a scenario, simulate it, read or write its results, as from a notebook.

    >>> import sim
    >>> scenario = sim.load_scenario("bank_branch", ["channels.kiosk.servers=5"])
    >>> result = sim.simulate(scenario, replications=10, seed=7)
    >>> result.summary()["kpis"]["diversion_rate"]      # {"mean", "ci_low", "ci_high"}
    >>> result.tables()["hourly"]                        # a tidy pandas DataFrame
    >>> result.write("what_if")                          # the command line's files and plots

The same seed gives the same numbers as ``python -m sim`` with the same settings: both go
through one schema (``sim.scenario``), one validation and one experiment runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from sim.experiment import ExperimentResult, run_experiment
from sim.outputs import write_outputs
from sim.paths import conf_dir
from sim.results import channels_table, flows_table, hourly_table, replications_table, summary
from sim.scenario import RunSettings, Scenario
from sim.validate import ScenarioError, validate_run, validate_scenario, validate_size


def load_scenario(name_or_path: Union[str, Path], overrides: Sequence[str] = ()) -> Scenario:
    """A validated Scenario: a shipped one by name (``"telecom_hall"``) or a YAML file by
    path, changed by overrides written as on the command line without the ``scenario.``
    prefix (``"channels.kiosk.servers=5"``, ``"channels.teller.schedule=[4,5,5,4,3,3,5,5,5,4]"``).

    Raises ScenarioError (one line naming the path and the value) for a bad file, key or
    value.
    """
    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml"):
        path = conf_dir() / "scenario" / f"{name_or_path}.yaml"
    if not path.is_file():
        raise ScenarioError("scenario", str(name_or_path), "no such shipped scenario or YAML file")
    from sim.cli.config import compose_scenario  # Hydra's parser: imported when needed

    scenario = compose_scenario(path, overrides)
    validate_scenario(scenario)
    return scenario


@dataclass
class SimulationResult:
    """Replications of one scenario: KPIs with confidence intervals, as tables or files."""

    experiment: ExperimentResult

    @property
    def scenario(self) -> Scenario:
        return self.experiment.scenario

    @property
    def run(self) -> RunSettings:
        return self.experiment.run

    def summary(self) -> dict[str, Any]:
        """Exactly what summary.json holds (NaN where a KPI is undefined; JSON writes null)."""
        return summary(self.experiment)

    def tables(self) -> dict[str, Any]:
        """The tidy tables as pandas DataFrames: channels, hourly, replications, flows."""
        import pandas as pd  # the simulator itself does not need pandas

        result = self.experiment
        return {"channels": pd.DataFrame(channels_table(result)),
                "hourly": pd.DataFrame(hourly_table(result)),
                "replications": pd.DataFrame(replications_table(result)),
                "flows": pd.DataFrame(flows_table(result))}

    def write(self, directory: Union[str, Path]) -> Path:
        """Write the command line's files and figures into ``directory``; returns it."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        write_outputs(self.experiment, out)
        return out


def simulate(scenario: Scenario, replications: int = 10, seed: int = RunSettings.seed,
             horizon_minutes: Optional[float] = None, warmup_minutes: float = 0.0,
             trace: bool = False, plots: bool = True, progress: Optional[bool] = False
             ) -> SimulationResult:
    """Run ``replications`` independent replications of one day (``horizon_minutes``,
    600 by default, from the scenario's opening hour) after validating everything.

    ``progress``: False (default) shows nothing, None a bar on a terminal.
    """
    run = RunSettings(horizon_minutes=float(RunSettings.horizon_minutes if horizon_minutes is None
                                            else horizon_minutes),
                      warmup_minutes=float(warmup_minutes),
                      replications=replications, seed=seed, trace=trace, plots=plots)
    validate_run(run)
    validate_scenario(scenario)
    validate_size(scenario, run)
    return SimulationResult(run_experiment(scenario, run, progress=progress))
