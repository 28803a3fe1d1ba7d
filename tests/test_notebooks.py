"""Every notebook in notebooks/ runs top to bottom on a small case, in this venv's kernel.

The small case is injected papermill-style: a cell tagged ``injected-parameters`` is put
right after the notebook's ``parameters`` cell and overrides some of its names.  A last
cell, appended by the test, checks what the notebook left behind (tables, conclusions).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Per notebook: small parameter values (names of its parameters cell), the least number of
# figures it must show, and checks run in its namespace after the last cell.
SMALL = {
    "what_if_kiosks.ipynb": {
        "HORIZON_MINUTES": 300,
        "REPLICATIONS": 3,
        "KIOSKS": [0, 3],
        "TELLERS": [-1, 0],
    },
    "set_a_diversion_target.ipynb": {
        "HORIZON_MINUTES": 300,
        "REPLICATIONS": 2,
        "CHECK_REPLICATIONS": 2,
        "BUDGETS": [250, 1000, 3000],
        "TARGET": 0.65,
    },
    "sweep_analysis.ipynb": {
        "KIOSKS": [0, 3],
        "TELLERS": [3, 4],
        "REPLICATIONS": 2,
        "HORIZON_MINUTES": 240,
        "LAUNCHER": "basic",
    },
}
MIN_FIGURES = {"what_if_kiosks.ipynb": 3, "set_a_diversion_target.ipynb": 6,
               "sweep_analysis.ipynb": 4}
CHECKS = {
    "what_if_kiosks.ipynb": """
import pandas as pd
assert isinstance(tidy, pd.DataFrame) and isinstance(reps, pd.DataFrame)
assert {"kiosks", "teller_shift", "scope", "kpi", "mean", "ci_low", "ci_high"} <= set(tidy.columns)
assert not tidy.duplicated(["kiosks", "teller_shift", "scope", "kpi"]).any()
assert sorted(tidy.kiosks.unique()) == [0, 3] and sorted(tidy.teller_shift.unique()) == [-1, 0]
for scope, kpi in [("overall", "diversion_rate"), ("teller", "wait_mean"),
                   ("overall", "lost_rate"), ("overall", "cost_per_transaction")]:
    sel = tidy[(tidy.scope == scope) & (tidy.kpi == kpi)]
    assert len(sel) == 4 and sel["mean"].notna().all() and (sel["n"] == 3).all(), (scope, kpi)
    assert (sel.ci_low <= sel["mean"]).all() and (sel["mean"] <= sel.ci_high).all(), (scope, kpi)
assert len(reps) == 3 * len(tidy)
assert any(line.startswith("Today (3 kiosks") for line in CONCLUSIONS), CONCLUSIONS
""",
    "set_a_diversion_target.ipynb": """
import math
import pandas as pd
assert isinstance(frontier, pd.DataFrame) and list(frontier.budget) == [250, 1000, 3000]
solved = frontier.dropna(subset=["diversion_predicted"])
assert len(solved) >= 2, frontier
assert (solved.diversion_predicted.diff().dropna() >= -1e-9).all(), frontier
assert (solved.spend_total <= solved.budget + 1e-6).all(), frontier
assert plan.objective_name == "min_cost" and math.isfinite(plan.spend["total"]), plan.spend
assert plan.spend["total"] >= 0 and plan.diversion_predicted >= CHOSEN_TARGET - 1e-6
assert check.diversion.n == 2
assert check.diversion.ci_low <= check.diversion.mean <= check.diversion.ci_high, check.diversion
for channel, level in check.service_levels.items():
    sim = level["simulated"]
    assert sim.ci_low <= sim.mean <= sim.ci_high, (channel, sim)
assert {"today", "frontier 250"} <= set(check_table.index), check_table.index
assert (check_table.ci_low <= check_table.diversion_simulated).all(), check_table
assert (check_table.diversion_simulated <= check_table.ci_high).all(), check_table
assert any(line.startswith("min_cost reaches") for line in CONCLUSIONS), CONCLUSIONS
""",
    "sweep_analysis.ipynb": """
import numpy as np
import pandas as pd
assert isinstance(sweep, pd.DataFrame) and len(sweep) == 4 and (sweep.status == "ok").all()
cells = sorted(zip(sweep["scenario.channels.kiosk.servers"], sweep["scenario.channels.teller.servers"]))
assert cells == [(0, 3), (0, 4), (3, 3), (3, 4)], cells
assert sweep["scenario.channels.kiosk.servers"].dtype.kind == "i", sweep.dtypes
assert KIOSK_VALUES == [0, 3] and TELLER_VALUES == [3, 4] and len(table) == 4
assert RUN == {"replications": 2, "horizon_minutes": 240} and PAIRED, (RUN, PAIRED)
assert SL_SHARE == 0.8 and SL_WAIT == 10, (SL_SHARE, SL_WAIT)
for kpi in ["diversion_rate", "teller.wait_mean", "teller.service_level", "cost_total"]:
    mean, low, high = (table[f"{kpi}_{s}"].to_numpy(float) for s in ("mean", "ci_low", "ci_high"))
    assert np.isfinite(mean).all() and np.isfinite(low).all() and np.isfinite(high).all(), kpi
    assert (low <= mean).all() and (mean <= high).all(), kpi
assert len(reps) == 4 * 2 and reps.groupby("job").size().eq(2).all(), reps
assert np.allclose(reps.groupby("job").diversion_rate.mean().sort_index(),
                   table.set_index("job").diversion_rate_mean.sort_index())
assert sorted(marginal.added) == ["kiosk"] * 2 + ["teller"] * 2, marginal
effects = marginal[[c for c in marginal.columns if c.split("_")[0] in ("diversion", "wait", "cost")
                    and not c.endswith("overlap")]].to_numpy(float)
assert np.isfinite(effects).all(), marginal
assert (marginal.diversion_pp_low <= marginal.diversion_pp).all()
assert (marginal.diversion_pp <= marginal.diversion_pp_high).all()
assert 1 <= len(FRONT) <= 4 and set(FRONT.job) <= set(table.job)
for start in ("The sweep: 4 jobs", "Most diversion per kiosk: 3 kiosks", "Adjacent kiosk counts:",
              "Kiosks beyond which", "Smallest teller count meeting", "Per added teller",
              "Cost vs diversion:"):
    assert any(line.startswith(start) for line in CONCLUSIONS), (start, CONCLUSIONS)
assert any("paired" in line for line in CONCLUSIONS) and "80%" in " ".join(CONCLUSIONS)
""",
}


def assigned_names(source: str) -> set[str]:
    return {t.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Assign)
            for t in node.targets if isinstance(t, ast.Name)}


def with_small_case(nb: nbformat.NotebookNode, name: str, tmp: Path) -> nbformat.NotebookNode:
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{name}: needs exactly one cell tagged 'parameters'"
    params = dict(SMALL[name])
    if "SWEEP_DIR" in assigned_names(nb.cells[tagged[0]].source):  # its files go to tmp
        params["SWEEP_DIR"] = str(tmp / "sweep")
    unknown = set(params) - assigned_names(nb.cells[tagged[0]].source)
    assert not unknown, f"{name}: the parameters cell does not set {sorted(unknown)}"
    injected = nbformat.v4.new_code_cell("\n".join(f"{k} = {v!r}" for k, v in params.items()))
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(tagged[0] + 1, injected)
    # the kernel must be this interpreter's environment (the venv), not some other python
    nb.cells.append(nbformat.v4.new_code_cell(
        f"import sys\nassert sys.prefix == {sys.prefix!r}, sys.prefix\n" + CHECKS.get(name, "")))
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    if path.name not in SMALL:
        pytest.fail(f"add small parameters for {path.name} to SMALL in {Path(__file__).name}")
    nb = with_small_case(nbformat.read(path, as_version=4), path.name, tmp_path)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, with the cell's traceback, on any error

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = sum("image/png" in o.get("data", {}) for o in outputs)
    assert figures >= MIN_FIGURES.get(path.name, 0), f"{path.name}: {figures} figures shown"


def test_notebooks_are_committed_without_outputs() -> None:
    """Outputs would go stale with every model change and bloat diffs with images."""
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
