"""The layers of sim/, optimize/ and webapp/, read from the source (ast): no import cycles,
Hydra and OmegaConf only in the command-line modules, the optimiser above the simulator
and never the other way, the engine below everything that drives it, and the web app on
top, on the Python API, with Streamlit only in its pages."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PACKAGES = ("sim", "optimize", "webapp")
CONFIG_LIBRARIES = ("hydra", "omegaconf")


def module_files() -> dict[str, Path]:
    """Every module of the two packages by dotted name (a package by its own name)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imported_names(path: Path) -> set[str]:
    """Every module name an import statement of the file names, at any depth (functions
    included), and for ``from a import b`` also ``a.b`` (b may be a module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: {n for n in imported_names(path) if n in modules and n != name}
            for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


WEB_PAGES = ("webapp.main", "webapp.ui", "webapp.year_page", "webapp.views", "webapp.__main__")


def is_cli(module: str) -> bool:
    return module.startswith("sim.cli") or module == "optimize.cli"


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_back_through_others() -> None:
    assert cycles(import_graph()) == []


def test_hydra_and_omegaconf_are_imported_only_by_the_command_lines() -> None:
    outside = {name: sorted(n for n in imported_names(path)
                            if n.split(".")[0] in CONFIG_LIBRARIES)
               for name, path in module_files().items() if not is_cli(name)}
    assert {name: found for name, found in outside.items() if found} == {}


def test_the_simulator_does_not_import_the_optimiser() -> None:
    upward = {name: sorted(n for n in targets if n.startswith("optimize"))
              for name, targets in import_graph().items() if name.startswith("sim")}
    assert {name: found for name, found in upward.items() if found} == {}


def test_only_the_python_api_reaches_into_the_command_lines_from_below() -> None:
    """The apps sit on top: nothing but the API's scenario loader (Hydra's override
    grammar) and the launchers (``python -m``) import them."""
    launchers = {"sim.__main__", "sim.calibrate", "sim.fit", "sim.compare", "optimize.__main__",
                 "sim.api"}
    reaching = {name: sorted(t for t in targets if is_cli(t))
                for name, targets in import_graph().items()
                if not is_cli(name) and name not in launchers}
    assert {name: found for name, found in reaching.items() if found} == {}


def test_the_engine_imports_nothing_that_drives_it() -> None:
    engine = {name: sorted(t for t in targets if not t.startswith("sim.engine")
                           and t.startswith(("sim.experiment", "sim.months", "sim.calibration",
                                             "sim.api", "sim.results", "sim.outputs",
                                             "sim.kpis", "optimize")))
              for name, targets in import_graph().items() if name.startswith("sim.engine")}
    assert {name: found for name, found in engine.items() if found} == {}


def test_no_module_imports_a_launcher() -> None:
    launchers = {"sim.__main__", "optimize.__main__", "sim.calibrate", "sim.fit", "sim.compare"}
    importing = {name: sorted(targets & launchers) for name, targets in import_graph().items()}
    assert {name: found for name, found in importing.items() if found} == {}


def test_nothing_below_the_web_app_imports_it() -> None:
    below = {name: sorted(t for t in targets if t.startswith("webapp"))
             for name, targets in import_graph().items() if not name.startswith("webapp")}
    assert {name: found for name, found in below.items() if found} == {}


def test_streamlit_is_imported_only_by_the_apps_pages() -> None:
    """levers, paired, whatif, jobs and downloads are plain modules a test or a notebook
    can use without a server."""
    plain = {name: sorted(n for n in imported_names(path) if n.split(".")[0] == "streamlit")
             for name, path in module_files().items()
             if name.startswith("webapp") and not name.startswith(WEB_PAGES)}
    assert {name: found for name, found in plain.items() if found} == {}
