"""Config composition for the command lines: the schemas Hydra composes into, the
checks Hydra leaves out (keys added with ``+``, ``key={}``), typed and validated objects
from a composed config, and a scenario file composed the same way for the Python API.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence, TypeVar

from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import OverrideType
from hydra.types import RunMode
from hydra.utils import to_absolute_path
from omegaconf import MISSING, DictConfig, ListConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.cli.sweep import SweepSettings, run_job
from sim.network import expand_network
from sim.scenario import MMCMScenario, MMCScenario, RunSettings, Scenario, day_minutes_between
from sim.validate import ScenarioError, require, validate_run, validate_scenario, validate_size

T = TypeVar("T")


@dataclass
class Config:
    """The schema ``python -m sim`` composes (conf/config.yaml): a scenario, the run
    settings and the sweep settings."""

    scenario: Any = MISSING  # typed by the scenario group's schema
    run: RunSettings = field(default_factory=RunSettings)
    sweep: SweepSettings = field(default_factory=SweepSettings)  # multirun jobs only


def run_suffix() -> str:
    """What makes a run's folder its own: the process id and four random hex digits.

    Folders are named by the second a run starts, so two runs (or sweeps) started in the
    same second shared one and the second overwrote the first's results. The process id
    separates concurrent processes; the random part separates two runs of one process.
    """
    return f"{os.getpid()}-{secrets.token_hex(2)}"


def register_configs() -> None:
    """The schemas, and the ``run_suffix`` resolver the shipped ``hydra.*.dir`` use.

    The resolver caches its value per config, like Hydra's ``now``: every reference in one
    run (the launching process and each job, which Hydra gives a copy of that cache)
    names the same folder.
    """
    OmegaConf.register_new_resolver("run_suffix", run_suffix, use_cache=True, replace=True)
    # the run's default horizon: the scenario's day (conf/run/default.yaml)
    OmegaConf.register_new_resolver("day_minutes", day_minutes_between, replace=True)
    cs = ConfigStore.instance()
    cs.store(name="base_config", node=Config)
    cs.store(group="scenario", name="base_scenario", node=Scenario)
    cs.store(group="scenario", name="base_mmc", node=MMCScenario)
    cs.store(group="scenario", name="base_mmcm", node=MMCMScenario)
    cs.store(group="run", name="base_run", node=RunSettings)
    cs.store(name="base_sweep", node=SweepSettings)


def with_open_dicts(schema: type, paths: tuple[str, ...]) -> DictConfig:
    """The structured config of ``schema`` with the dict-valued settings at ``paths`` open
    to new keys.

    Hydra composes in struct mode, so ``optimize.max_staff.teller=5`` would be refused
    ("not in struct", append with ``+``) for a key the shipped dict lacks, although any
    channel name is a valid key there.  An explicit flag on the node outlives the struct
    mode Hydra sets on the root; the values keep their declared type.
    """
    node = OmegaConf.structured(schema)
    for path in paths:
        OmegaConf.set_struct(OmegaConf.select(node, path), False)
    return node


def check_known_keys(node: Any, path: str) -> None:
    """Refuse keys that the schema does not have.

    Hydra refuses unknown keys on its own, except those added with ``+key=value``, which
    it lets into typed nodes; OmegaConf would then set them as stray attributes.
    """
    if isinstance(node, DictConfig):
        schema: Any = OmegaConf.get_type(node)
        is_schema = isinstance(schema, type) and dataclasses.is_dataclass(schema)
        known = {f.name for f in dataclasses.fields(schema)} if is_schema else None
        for key in node:
            if known is not None and key not in known:
                raise ScenarioError(f"{path}.{key!s}", node[key], f"not a key of {schema.__name__}")
            check_known_keys(node[key], f"{path}.{key!s}")
    elif isinstance(node, ListConfig):
        for i, item in enumerate(node):
            check_known_keys(item, f"{path}[{i}]")


def empty_dict_overrides(overrides: list[str]) -> list[str]:
    """The keys that ``key={}`` overrides set to an empty dict."""
    parsed = OverridesParser.create().parse_overrides(overrides)
    return [o.key_or_group for o in parsed
            if o.value_type is not None and o.type is not OverrideType.DEL
            and not o.is_sweep_override() and o.value() == {}
            and not o.key_or_group.startswith("hydra.")]


def apply_empty_dict_overrides(cfg: DictConfig) -> None:
    """Make ``key={}`` on the command line empty the dict at ``key``.

    Hydra merges a dict override into the node it overrides, so ``{}`` changed nothing
    and ``'scenario.channels={}'`` ran the full default. Here it replaces the node, and
    validation then judges the empty value (a scenario with no channel is refused; empty
    ``optimize.segment_caps`` mean no caps).
    """
    if not HydraConfig.initialized():
        return
    for key in empty_dict_overrides(list(HydraConfig.get().overrides.task)):
        if OmegaConf.select(cfg, key) is not None:
            OmegaConf.update(cfg, key, {}, merge=False)


def load(cfg: DictConfig) -> tuple[Scenario, RunSettings]:
    """Typed, validated objects from the composed config; ScenarioError if a value is bad."""
    apply_empty_dict_overrides(cfg)
    check_known_keys(cfg.scenario, "scenario")
    check_known_keys(cfg.run, "run")
    scenario = OmegaConf.to_object(cfg.scenario)
    run = OmegaConf.to_object(cfg.run)
    assert isinstance(scenario, Scenario) and isinstance(run, RunSettings)
    if run.workers is None and in_multirun():
        run.workers = 1  # the sweep's launcher runs the jobs side by side, each on one process
    scenario = expand_network(scenario)  # a network's branches -> channels and segments
    validate_scenario(scenario)  # first: the run's default horizon comes from its day
    validate_run(run)
    validate_size(scenario, run)
    return scenario, run


def load_sweep(cfg: DictConfig) -> SweepSettings:
    """The sweep settings, the cache folder made absolute against the launching directory
    (workers of some launchers run elsewhere)."""
    check_known_keys(cfg.sweep, "sweep")
    sweep = OmegaConf.to_object(cfg.sweep)
    assert isinstance(sweep, SweepSettings)
    require(bool(sweep.cache_dir.strip()), "sweep.cache_dir", sweep.cache_dir, "must name a folder")
    sweep.cache_dir = to_absolute_path(sweep.cache_dir)
    return sweep


def in_multirun() -> bool:
    """Whether Hydra runs this process as a job of a multirun (``-m``), not a single run."""
    return HydraConfig.initialized() and HydraConfig.get().mode == RunMode.MULTIRUN


def sweep_job(app: str, cfg: DictConfig, prepare: Callable[[SweepSettings], tuple[str, T]],
              compute: Callable[[T, Path], object]) -> None:
    """One job of ``-m``: its failures are recorded for the sweep table, not raised (the
    sweep settings were checked before the first job, by the sweep callback)."""
    sweep = load_sweep(cfg)
    hydra_config = HydraConfig.get()
    record = run_job(app, int(hydra_config.job.num), Path(hydra_config.runtime.output_dir), sweep,
                     prepare, compute)
    print(f"job {record.job}: {record.status}" + (" (from cache)" if record.from_cache else "")
          + (f": {record.error}" if record.error else ""))




SCHEMAS = {"base_scenario": Scenario, "base_mmc": MMCScenario, "base_mmcm": MMCMScenario}


def compose_scenario(path: Path, overrides: Sequence[str] = ()) -> Scenario:
    """The Scenario of one scenario file (``defaults`` naming its schema) with overrides
    written as on the command line without the ``scenario.`` prefix; not yet validated.

    Raises ScenarioError (one line naming the key and the value) for a bad file or key.
    """
    try:
        data = OmegaConf.load(path)
        if not isinstance(data, DictConfig):
            raise ScenarioError(str(path), type(data).__name__, "a scenario file is a mapping")
        defaults = data.pop("defaults", ["base_scenario"])
        schema = next((SCHEMAS[d] for d in defaults if d in SCHEMAS), Scenario)
        # under a root named "scenario", as Hydra composes it: the shipped files interpolate
        # ${scenario.servers} and the like
        merged = OmegaConf.merge({"scenario": OmegaConf.structured(schema)}, {"scenario": data},
                                 {"scenario": OmegaConf.from_dotlist(list(overrides))})
        scenario = OmegaConf.to_object(merged.scenario)
    except OmegaConfBaseException as error:
        key = getattr(error, "full_key", None) or str(path)
        reason = (str(error).splitlines() or ["cannot be read"])[0]
        raise ScenarioError(key, ", ".join(overrides), reason) from None
    assert isinstance(scenario, Scenario)
    return expand_network(scenario)  # a network's branches -> channels and segments


def log_file(value: Optional[str], path: str, what: str) -> Path:
    """The contact log a setting names (``fit.log``, ``compare.log``), made absolute
    against the launching directory; ScenarioError if it is not given or not a file."""
    require(value is not None and bool(str(value).strip()), path, value,
            f"give the contact log {what}: {path}=PATH")
    assert value is not None
    file = Path(to_absolute_path(value))
    require(file.is_file(), path, value, "no such file")
    return file


@contextmanager
def named_as_typed(setting: str, file: Path, typed: Optional[str]) -> Iterator[None]:
    """Errors about ``file`` (made absolute by ``log_file``) name it as the user typed it:
    ``fit.log='calls.csv': ...``, not the absolute path."""
    try:
        yield
    except ScenarioError as error:
        if error.path == setting and error.value == str(file):
            raise ScenarioError(setting, typed, error.reason) from None
        raise


def run_it_line(out: Path, scenario: str) -> str:
    """How to run a scenario an app wrote to ``<out>/scenario/<scenario>.yaml``."""
    return f"run it: python -m sim 'hydra.searchpath=[file://{out.resolve()}]' scenario={scenario}"
