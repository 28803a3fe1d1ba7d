"""The Python API: load a scenario, simulate it, read or write its results, as from a notebook.

    >>> import sim
    >>> scenario = sim.load_scenario("bank_branch", ["channels.kiosk.servers=5"])
    >>> result = sim.simulate(scenario, replications=10, seed=7)
    >>> result.summary()["kpis"]["diversion_rate"]      # {"mean", "ci_low", "ci_high"}
    >>> result.tables()["hourly"]                        # a tidy pandas DataFrame
    >>> result.write("what_if")                          # the command line's files and plots
    >>> sim.simulate(scenario, replications=40, workers=2)  # the same numbers, on 2 processes
    >>> fitted = sim.calibrate_scenario(sim.load_scenario("telecom_2009"))
    >>> fitted.report["max_abs_error"], fitted.scenario  # calibration.json, the fitted Scenario

The same seed gives the same numbers as ``python -m sim`` (``python -m sim.calibrate``) with
the same settings: both go through one schema (``sim.scenario``), one validation and one
experiment runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence, Union

from sim.calibration.study import CalibrateSettings, Calibration, calibrate, validate_settings
from sim.experiment import ExperimentResult, run_experiment
from sim.months.model import MonthsResult, run_months
from sim.outputs import write_outputs
from sim.paths import conf_dir
from sim.results import channels_table, flows_table, hourly_table, replications_table, summary
from sim.scenario import Mode, RunSettings, Scenario, opening_minutes
from sim.validate import ScenarioError, require, validate_run, validate_scenario, validate_size


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
        """The validated Scenario that was simulated."""
        return self.experiment.scenario

    @property
    def run(self) -> RunSettings:
        """The RunSettings the replications ran with."""
        return self.experiment.run

    def summary(self) -> dict[str, Any]:
        """Exactly what summary.json holds (NaN where a KPI is undefined; JSON writes null)."""
        return summary(self.experiment)

    def tables(self) -> dict[str, Any]:
        """The tidy tables as pandas DataFrames: channels, hourly, replications, flows
        (and branches, for a network)."""
        import pandas as pd  # the simulator itself does not need pandas

        result = self.experiment
        tables = {"channels": pd.DataFrame(channels_table(result)),
                  "hourly": pd.DataFrame(hourly_table(result)),
                  "replications": pd.DataFrame(replications_table(result)),
                  "flows": pd.DataFrame(flows_table(result))}
        if result.scenario.branches:  # a network: by branch too
            from sim.network_results import branch_rows

            tables["branches"] = pd.DataFrame(branch_rows(result))
        return tables

    def write(self, directory: Union[str, Path]) -> Path:
        """Write the command line's files and figures into ``directory``; returns it."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        write_outputs(self.experiment, out)
        return out


def make_run_settings(scenario: Scenario, replications: int, seed: int,
                      horizon_minutes: Optional[float], warmup_minutes: float, workers: Optional[int],
                      trace: bool = False, plots: bool = True) -> RunSettings:
    """The RunSettings of the API's keywords (``horizon_minutes=None``: the scenario's day,
    ``sim.scenario.opening_minutes``)."""
    horizon = opening_minutes(scenario) if horizon_minutes is None else horizon_minutes
    return RunSettings(horizon_minutes=float(horizon), warmup_minutes=float(warmup_minutes),
                       replications=replications, seed=seed, trace=trace, plots=plots,
                       workers=workers)


def simulate(scenario: Scenario, replications: int = 10, seed: int = RunSettings.seed,
             horizon_minutes: Optional[float] = None, warmup_minutes: float = 0.0,
             trace: bool = False, plots: bool = True, progress: Optional[bool] = False,
             workers: Optional[int] = 1,
             on_replication: Optional[Callable[[int, int], None]] = None) -> SimulationResult:
    """Run ``replications`` independent replications of one day (``horizon_minutes``,
    600 by default, from the scenario's opening hour) after validating everything.

    ``progress``: False (default) shows nothing, None a bar on a terminal.  ``workers``:
    processes to run the replications on (``run.workers`` on the command line, whose
    default is every core; None here too); the
    results are the same to the byte for any number, since replication r draws from its
    own seeds.  A value that is not a whole number >= 1 raises ScenarioError naming
    ``run.workers``.  ``on_replication(done, total)`` is called as each replication is
    collected (a progress bar of one's own); what it raises (a cancel) stops the run.
    """
    run = make_run_settings(scenario, replications, seed, horizon_minutes, warmup_minutes, workers,
                            trace, plots)
    validate_run(run)
    validate_scenario(scenario)
    validate_size(scenario, run)
    return SimulationResult(run_experiment(scenario, run, progress=progress,
                                           on_replication=on_replication))


def simulate_months(scenario: Scenario, months: int = 12, customers: int = 20000,
                    replications: int = 5, seed: int = RunSettings.seed,
                    progress: Optional[bool] = False,
                    on_month: Optional[Callable[[int, int], None]] = None) -> MonthsResult:
    """Months mode (``run.mode=months`` on the command line): ``replications``
    independent populations of ``customers`` over ``months`` months, whose channel habits
    learn from what they experience; campaigns run on their calendars (``start_month``,
    ``end_month``, ``contacts_per_month``).  ``result.kpi(month, "e_channel_share")`` and
    ``sim.months.results.monthly_table(result)`` read it.  Validates everything first;
    ``on_month(done, total)`` as ``simulate``'s ``on_replication``.

        >>> result = sim.simulate_months(sim.load_scenario("bank_branch"), months=12)
        >>> result.kpi(11, "e_channel_share")          # the twelfth month, with its CI
    """
    run = RunSettings(mode=Mode.months, months=months, customers=customers,
                      replications=replications, seed=seed, plots=False,
                      horizon_minutes=opening_minutes(scenario))
    validate_run(run)
    validate_scenario(scenario)
    validate_size(scenario, run)
    return run_months(scenario, run, progress=progress, on_month=on_month)


@dataclass
class CalibrationResult:
    """A calibration's findings: ``report`` (exactly what ``python -m sim.calibrate`` writes
    to calibration.json: observed and fitted shares, the fitted parameters, how the fit
    went) and ``scenario``, the fitted Scenario, ready for ``simulate``."""

    report: dict[str, Any]
    scenario: Scenario

    def write(self, directory: Union[str, Path]) -> Path:
        """Write the command line's files into ``directory``: calibration.json, then
        scenario/calibrated.yaml (a scenario file ``load_scenario`` reads, and that
        ``python -m sim 'hydra.searchpath=[file://<directory>]' scenario=calibrated``
        runs), then the ``complete`` marker; returns the directory."""
        # the YAML is written by OmegaConf, which only the command-line layer imports
        from sim.cli.calibrate import write_calibration

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        write_calibration(Calibration(self.report, self.scenario), out)
        return out


def parse_shares(observed: Optional[Mapping[str, float]]) -> dict[str, float]:
    """The shares as a plain dict of floats; ScenarioError naming ``calibrate.observed.<c>``
    for a share that is not a number."""
    shares = {}
    for channel, share in (observed or {}).items():
        try:
            shares[str(channel)] = float(share)
        except (TypeError, ValueError):
            raise ScenarioError(f"calibrate.observed.{channel}", share,
                                "a share must be a number") from None
    return shares


def calibrate_scenario(scenario: Scenario, observed: Optional[Mapping[str, float]] = None,
                       log: Optional[Union[str, Path]] = None, replications: int = 20,
                       seed: int = RunSettings.seed, horizon_minutes: Optional[float] = None,
                       warmup_minutes: float = 0.0, fit_wait_sensitivity: bool = True,
                       iterations: int = 30, tolerance: float = 0.001,
                       check_replications: int = 20, workers: Optional[int] = 1) -> CalibrationResult:
    """Fit the scenario's channel preferences to observed channel shares, as
    ``python -m sim.calibrate`` does (its defaults are these keywords' defaults).

    What to fit: ``observed`` (channel -> share, normalised), else the scenario's own
    ``observed_shares``, else the shares of a transaction ``log`` (a CSV path, relative to
    the working directory).  A log's hourly shares also fit a factor on the segments'
    wait sensitivities when ``fit_wait_sensitivity``.  Each step of the fit simulates
    ``replications`` days from ``seed`` (the same seeds every step: common random
    numbers), for at most ``iterations`` steps, until every share is within
    ``tolerance``; then ``check_replications`` days on fresh seeds measure the fitted
    scenario.  ``workers``: processes for those simulations (same results for any number).

    Raises ScenarioError with the command line's one-line message for a bad setting, bad
    targets or a bad log.
    """
    run = make_run_settings(scenario, replications, seed, horizon_minutes, warmup_minutes, workers,
                            plots=False)
    validate_run(run)
    validate_scenario(scenario)
    validate_size(scenario, run)
    settings = CalibrateSettings(observed=parse_shares(observed),
                                 log=None if log is None else str(log),
                                 fit_wait_sensitivity=fit_wait_sensitivity,
                                 iterations=iterations, tolerance=tolerance,
                                 check_replications=check_replications)
    validate_settings(settings)
    found = calibrate(scenario, run, settings)
    return CalibrationResult(found.report, found.fitted)


@dataclass
class FitResult:
    """A scenario fitted to a contact log (``fit_scenario``): the runnable ``scenario`` and
    the ``report`` of every fitted parameter with its confidence interval, the sample
    sizes and the log's data quality (what fit.json holds)."""

    scenario: Scenario
    report: dict[str, Any]
    contacts: Any = None  # the log's table (a pandas DataFrame) the fit used

    def write(self, directory: Union[str, Path], plots: bool = True) -> Path:
        """fit.json, then scenario/fitted.yaml (a scenario ``load_scenario`` reads and
        ``python -m sim 'hydra.searchpath=[file://<directory>]' scenario=fitted`` runs), the
        figures of fit against data (``plots``: fit_arrivals.png, fit_service.png,
        fit_patience.png, fit_agents.png), then the ``complete`` marker; returns it."""
        from sim.cli.calibrate import scenario_yaml  # OmegaConf writes the YAML: the CLI layer
        from sim.io import mark_complete, write_bytes_atomic, write_json

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        write_json(out / "fit.json", self.report)
        write_bytes_atomic(out / "scenario" / "fitted.yaml",
                           scenario_yaml(self.scenario).encode("utf-8"))
        if plots and self.contacts is not None:
            from sim.fitting.plots import plot_fit

            plot_fit(self.contacts, self.report, out)
        mark_complete(out)
        return out


def fit_scenario(log: Union[str, Path], format: str = "contacts",
                 columns: Optional[Mapping[str, str]] = None, open_hour: int = 0,
                 outcome_codes: Optional[Mapping[str, str]] = None,
                 **settings: Any) -> FitResult:
    """Fit the scenario of one contact centre to a contact log.

    ``log``: a CSV (or .gz) in one of ``sim.logs.FORMATS`` (``contacts`` with ``columns``
    mapping its column names, ``technion``, ``tickets`` or our own ``trace``;
    ``open_hour``: the trace's opening hour; ``outcome_codes``: the file's own outcome
    codes -> ``served``, ``abandoned``, ``ivr``, ``no_show``). ``settings``: the fields of
    ``sim.fitting.assemble.FitSettings`` (``interval_minutes``, ``days``, ``channel``,
    ``kind``, ``roster``, ``occupancy``, ``level``, ...). Raises ScenarioError
    (``fit.*``) for a log that cannot be read or fitted.

        >>> fit = sim.fit_scenario("calls.csv.gz", format="technion", interval_minutes=30)
        >>> fit.report["patience"]["exponential"]["mean_minutes"]     # with its CI
        >>> sim.simulate(fit.scenario, replications=20)
    """
    from sim.fitting.assemble import (  # pandas: imported when used
        FitSettings,
        fit_contacts,
        validate_fit_settings,
    )
    from sim.logs import read_log
    from sim.logs.roster import read_roster

    chosen = FitSettings(**settings)
    validate_fit_settings(chosen)  # a bad setting or roster is named before the log is read
    roster = read_roster(chosen.roster) if chosen.roster else None
    contact_log = read_log(log, format=format, columns=columns,
                           interval_minutes=chosen.interval_minutes, open_hour=open_hour,
                           outcome_codes=outcome_codes)
    try:
        fit = fit_contacts(contact_log.contacts, chosen, contact_log.quality, roster)
    except ScenarioError as error:  # what the log lacks, named with the file
        if error.path != "fit.log":
            raise
        raise ScenarioError("fit.log", str(log), f"{error.value}: {error.reason}") from None
    except ValueError as error:  # an estimator's refusal on degenerate data: one line
        raise ScenarioError("fit.log", str(log), f"cannot be fitted: {error}") from None
    return FitResult(fit.scenario, fit.report, fit.contacts)


@dataclass
class ComparisonResult:
    """A scenario simulated against a contact log, interval by interval (``compare_scenario``):
    ``rows`` (comparison.csv) and ``summary`` (comparison.json; per KPI the mean absolute
    error over intervals, the noise floor of as many simulated days as the log holds,
    their ratio, and day totals)."""

    rows: list[dict[str, Any]]
    summary: dict[str, Any]

    def write(self, directory: Union[str, Path], plots: bool = True) -> Path:
        """comparison.csv, comparison.json and (``plots``) comparison.png: observed dots
        over the simulated band, one panel per KPI; then the ``complete`` marker."""
        from sim.fitting.compare import COMPARISON_COLUMNS
        from sim.io import mark_complete, write_csv, write_json

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        write_csv(out / "comparison.csv", self.rows, COMPARISON_COLUMNS)
        write_json(out / "comparison.json", self.summary)
        if plots:
            from sim.fitting.plots import plot_comparison

            plot_comparison(self.rows, self.summary, out / "comparison.png")
        mark_complete(out)
        return out


def compare_scenario(scenario: Scenario, log: Union[str, Path], format: str = "contacts",
                     columns: Optional[Mapping[str, str]] = None, open_hour: int = 0,
                     days: Sequence[str] = (), interval_minutes: int = 60,
                     replications: int = 20, seed: int = RunSettings.seed,
                     workers: Optional[int] = 1, channel: Optional[str] = None) -> ComparisonResult:
    """Simulate ``replications`` days of ``scenario`` and compare them with the contact
    ``log`` (read as ``fit_scenario`` reads it; ``days``: the dates to compare, [] all),
    interval by interval: arrivals, agent-served contacts, abandonment rate, mean wait of
    the served and of the abandoned, and the share answered within each of the
    channels' ``service_level_thresholds`` (of ``channel``, where the log or the scenario
    has several).  Both sides are measured by one rule
    (``sim.fitting.compare.interval_kpis``): the simulated days through their trace.

        >>> fit = sim.fit_scenario("calls.csv", format="technion")
        >>> check = sim.compare_scenario(fit.scenario, "calls.csv", format="technion")
        >>> check.summary["abandon_rate"]["ratio"]     # error / noise floor: near 1 is good
    """
    import math
    import tempfile

    from sim.fitting.assemble import channel_contacts
    from sim.fitting.compare import compare_tables, interval_kpis
    from sim.logs import read_log

    validate_scenario(scenario)
    if channel is not None:
        require(channel in scenario.channels, "compare.channel", channel,
                f"not a channel of the scenario ({', '.join(scenario.channels)})")
    contacts = read_log(log, format=format, columns=columns, interval_minutes=interval_minutes,
                        open_hour=open_hour, config="compare").contacts
    contacts = channel_contacts(contacts, channel, "compare.channel")
    if days:
        contacts = contacts[contacts["date"].isin(list(days))]
    if contacts.empty:
        raise ScenarioError("compare.days", list(days), "no contact of the log is on these days")
    run = make_run_settings(scenario, replications, seed, None, 0.0, workers, trace=True,
                            plots=False)
    validate_run(run)
    validate_size(scenario, run)
    with tempfile.TemporaryDirectory() as folder:
        trace = Path(folder) / "trace.csv"
        from sim.io import write_csv
        from sim.results import TRACE_COLUMNS, trace_rows

        write_csv(trace, trace_rows(run_experiment(scenario, run, progress=False)),
                  TRACE_COLUMNS)
        simulated = read_log(trace, format="trace", interval_minutes=interval_minutes,
                             open_hour=scenario.open_hour).contacts
    simulated = channel_contacts(simulated, channel, "compare.channel")
    thresholds = sorted({t for c in scenario.channels.values()
                         for t in c.service_level_thresholds})
    origin = scenario.open_hour * 60.0
    n = math.ceil(run.horizon_minutes / interval_minutes)
    result = compare_tables(interval_kpis(contacts, origin, interval_minutes, n, thresholds),
                            interval_kpis(simulated, origin, interval_minutes, n, thresholds),
                            [(origin + i * interval_minutes) / 60.0 for i in range(n)])
    result.summary["days_observed"] = int(contacts["date"].nunique())
    result.summary["days_simulated"] = replications
    return ComparisonResult(result.rows, result.summary)
