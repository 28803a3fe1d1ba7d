"""The bad-input battery: every bad input on every face (sim, optimize, sim.calibrate,
months mode, sweeps) ends in one line on stderr naming the config path or the file row,
exit code 2, no traceback and no run folder left; in a sweep, a failed row with its line.

The cases run in one process per face: this file is also the driver (run as a script it
calls each app's entry point in turn with its arguments, catching the exit and stderr),
which keeps 50-odd Hydra runs to a few seconds.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import runpy
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sim.parallel import ray_installed

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    app: str  # sim | optimize | calibrate | fit | compare
    args: list[str]  # command-line arguments after the app's name
    expect: str  # the line names this (the config path and value, or the file and row)
    sweep: bool = False  # run with -m: the job fails, with its line in sweep.csv
    files: dict[str, str] = field(default_factory=dict)  # name -> text, written in the case's folder


# customer tables for bank_branch (channels teller, kiosk, online_banking)
GOOD_HEADER = "customer_id,segment,usage_teller,usage_kiosk,potential_online_banking\n"
LOG_HEADER = "timestamp,customer,channel,transaction_type,outcome,wait\n"
LOG_ROW = "2009-03-02T08:15:00,c1,hotline,balance_enquiry,served,0.5\n"
BROKEN_YAML = "defaults:\n  - base_scenario\n  - _self_\nname: broken\nchannels:\n  a: [1,\n  b: 2\n"
MONTHS = ["run.mode=months", "run.replications=1", "run.months=1", "run.customers=100"]


def table(text: str) -> dict[str, str]:
    return {"customers.csv": text}


def log(text: str) -> dict[str, str]:
    return {"calls.csv": text}


CASES: dict[str, Case] = {
    # python -m sim: values the schema accepts but the model cannot
    "effort_nan": Case("sim", ["scenario.channels.online_banking.effort=nan"],
                       "scenario.channels.online_banking.effort=nan: must be a finite number"),
    "effort_inf": Case("sim", ["scenario.channels.online_banking.effort=inf"],
                       "scenario.channels.online_banking.effort=inf: must be a finite number"),
    "cost_minus_inf": Case("sim", ["scenario.channels.teller.cost_per_server_hour=-inf"],
                           "scenario.channels.teller.cost_per_server_hour=-inf"),
    "preference_nan": Case("sim", ["scenario.segments.retail.preference.kiosk=nan"],
                           "scenario.segments.retail.preference.kiosk=nan"),
    "wait_scale_nan": Case("sim", ["scenario.satisfaction.wait_scale_minutes=nan"],
                           "scenario.satisfaction.wait_scale_minutes=nan"),
    "mmc_rate_nan": Case("sim", ["scenario=mmc", "scenario.arrival_rate=nan"],
                         "=nan: must be a finite number"),
    "horizon_nan": Case("sim", ["run.horizon_minutes=nan"], "run.horizon_minutes=nan"),
    "open_hour_25": Case("sim", ["scenario.open_hour=25"],
                         "scenario.open_hour=25: a clock hour lies in 0..23"),
    "open_hour_negative": Case("sim", ["scenario.open_hour=-1"], "scenario.open_hour=-1"),
    "schedule_shorter_than_the_day": Case(
        "sim", ["scenario.channels.teller.schedule=[4,5]"],
        "scenario.channels.teller.schedule=[4.0, 5.0]: a schedule gives one value per slot of "
        "the scenario's day: 10 slots of 60 minutes (600 minutes), not 2"),
    "schedule_longer_than_the_day": Case(
        "sim", ["scenario.channels.teller.schedule=[4,5,5,5,4,4,5,5,5,4,4]"],
        "not 11"),
    "profiles_of_different_days": Case(
        "sim", ["scenario.segments.premier.arrivals.hourly_shape=[1,2,3]"],
        "scenario.segments.premier.arrivals.hourly_shape='3 slots of 60 minutes'"),
    "empty_channel_set": Case("sim", ["scenario.channels={}"],
                              "scenario.channels={}: a scenario needs at least one channel"),
    "absurd_daily_volume": Case(
        "sim", ["scenario.segments.retail.arrivals.daily_volume=1e12"],
        "scenario.segments.retail.arrivals=1000000000000: expected customers"),
    "absurd_horizon": Case("sim", ["run.horizon_minutes=1e12"],
                           "run.horizon_minutes=1000000000000.0: longer than the limit"),
    "long_horizon": Case("sim", ["run.horizon_minutes=1e7"], "run.horizon_minutes=10000000.0"),
    "arrivals_past_the_limit": Case(
        "sim", ["run.horizon_minutes=500000", "scenario.segments.digital.arrivals.daily_volume=3000"],
        "scenario.segments.digital.arrivals="),
    "lobby_guide_before_opening": Case(
        "sim", ["scenario.lobby_guides.main_lobby.start_minute=-5"],
        "scenario.lobby_guides.main_lobby.start_minute=-5.0"),
    "outage_before_opening": Case(
        "sim", ["scenario.channels.online_banking.outages=[{start_minute: -10, end_minute: 30}]"],
        "scenario.channels.online_banking.outages[0].start_minute=-10.0"),
    "probability_above_1": Case("sim", ["scenario.segments.retail.retry_probability=1.5"],
                                "scenario.segments.retail.retry_probability=1.5"),
    "negative_seed": Case("sim", ["run.seed=-1"], "run.seed=-1"),
    "yaml_syntax_error": Case("sim", ["scenario=broken"], "broken.yaml, line 8",
                              files={"conf/scenario/broken.yaml": BROKEN_YAML}),
    "wrong_type": Case("sim", ["scenario.channels.kiosk.servers=many"],
                       "scenario.channels.kiosk.servers=many"),
    "unknown_key": Case("sim", ["scenario.nokey=1"], "scenario.nokey"),
    "unknown_scenario": Case("sim", ["scenario=nonexistent"],
                             "Could not find 'scenario/nonexistent'"),
    "override_syntax": Case("sim", ["run.replications=["],
                            "run.replications=[: no viable alternative at input '['"),
    "unknown_key_added": Case("sim", ["+scenario.channels.teller.nokey=1"],
                              "scenario.channels.teller.nokey=1: not a key of Channel"),
    # run.mode=months: the customer table
    "table_without_segment_column": Case(
        "sim", [*MONTHS], "customers.csv': has no 'segment' column",
        files=table("customer_id,usage_kiosk\n1,3\n")),
    "table_unknown_segment": Case(
        "sim", [*MONTHS], "customers.csv': row 3: segment 'vip' is not a segment",
        files=table(GOOD_HEADER + "1,retail,1,2,0\n2,vip,1,2,0\n")),
    "table_usage_not_a_number": Case(
        "sim", [*MONTHS], "customers.csv': row 2: usage_kiosk='often' must be a finite number >= 0",
        files=table(GOOD_HEADER + "1,retail,1,often,0\n")),
    "table_usage_negative": Case(
        "sim", [*MONTHS], "row 2: usage_teller='-3' must be a finite number >= 0",
        files=table(GOOD_HEADER + "1,retail,-3,2,0\n")),
    "table_usage_nan": Case(
        "sim", [*MONTHS], "row 2: usage_teller='nan' must be a finite number",
        files=table(GOOD_HEADER + "1,retail,nan,2,0\n")),
    "table_potential_above_1": Case(
        "sim", [*MONTHS], "row 2: potential_online_banking='2' must be a finite number in [0, 1]",
        files=table(GOOD_HEADER + "1,retail,1,2,2\n")),
    "table_header_only": Case("sim", [*MONTHS], "customers.csv': has no customers",
                              files=table(GOOD_HEADER)),
    "table_empty_file": Case("sim", [*MONTHS], "customers.csv'", files=table("")),
    "table_misspelt_column": Case(
        "sim", [*MONTHS], "customers.csv': column 'usage_kisok' is not customer_id, segment",
        files=table("customer_id,segment,usage_kisok\n1,retail,3\n")),
    "table_missing": Case("sim", [*MONTHS, "scenario.adoption.customer_table=nowhere.csv"],
                          "scenario.adoption.customer_table='nowhere.csv': no such file"),
    "months_customers_past_the_limit": Case("sim", ["run.mode=months", "run.customers=100000000"],
                                            "run.customers=100000000: more than the limit"),
    # python -m sim.calibrate: the transaction log (telecom_2009: hotline, sms, web, ...)
    "log_timestamps_unreadable": Case(
        "calibrate", ["calibrate.log=calls.csv"],
        "calibrate.log='calls.csv': no usable row: 2 rows read, all excluded (unparseable 2); "
        "first at fault: row 2",
        files=log(LOG_HEADER + "02/03/2009 08:20,c2,sms,x,served,0\n,c3,web,x,served,0\n")),
    "log_one_channel": Case(
        "calibrate", ["calibrate.log=calls.csv"],
        "calibrate.log='calls.csv': holds one channel (hotline): choice offsets need the "
        "shares of several", files=log(LOG_HEADER + LOG_ROW)),
    "log_outcomes_unknown": Case(
        "calibrate", ["calibrate.log=calls.csv"],
        "no usable row: 2 rows read, all excluded (unknown outcomes 2)",
        files=log(LOG_HEADER + "2009-03-02T08:15:00,c1,hotline,x,done,0\n"
                  "2009-03-02T08:16:00,c2,sms,x,dropped,0\n")),
    "log_unknown_channel": Case(
        "calibrate", ["calibrate.log=calls.csv"],
        "calibrate.log='calls.csv': channel 'fax' (1 rows) is not a channel of the scenario",
        files=log(LOG_HEADER + LOG_ROW + "2009-03-02T08:16:00,c2,fax,x,served,0\n")),
    "log_header_only": Case("calibrate", ["calibrate.log=calls.csv"],
                            "calibrate.log='calls.csv': has a header but no rows",
                            files=log(LOG_HEADER)),
    "log_missing": Case("calibrate", ["calibrate.log=nowhere.csv"],
                        "calibrate.log='nowhere.csv': no such file"),
    "log_not_text": Case("calibrate", ["calibrate.log=calls.csv"],
                         "calibrate.log='calls.csv': is not a UTF-8 text CSV file",
                         files=log("\udcff")),
    "log_unknown_format": Case("calibrate", ["calibrate.log=calls.csv", "calibrate.format=xls"],
                               "calibrate.format='xls': must be one of", files=log(LOG_HEADER)),
    "calibrate_tolerance_nan": Case("calibrate", ["calibrate.tolerance=nan"],
                                    "calibrate.tolerance=nan: must be a finite number"),
    "calibrate_observed_nan": Case("calibrate", ["+calibrate.observed.sms=nan"],
                                   "calibrate.observed.sms=nan"),
    # python -m optimize
    "frontier_budget_inf": Case(
        "optimize", ["optimize.objective=frontier", "optimize.frontier_budgets=[0,inf]"],
        "optimize.frontier_budgets[1]=inf: must be a finite number"),
    "budget_nan": Case("optimize", ["optimize.budget=nan"], "optimize.budget=nan"),
    "gap_nan": Case("optimize", ["optimize.gap=nan"], "optimize.gap=nan"),
    "shift_longer_than_the_day": Case(
        "optimize", ["optimize.shifts=[{name: long, length_slots: 12}]"],
        "optimize.shifts[0].length_slots=12: must lie in 1..10"),
    "shift_starting_outside_the_day": Case(
        "optimize", ["optimize.shifts=[{name: late, length_slots: 4, starts: [0, 8]}]"],
        "optimize.shifts[0].starts[1]=8: a 4-slot shift starts in 0..6"),
    "shift_names_repeated": Case(
        "optimize", ["optimize.shifts=[{name: a, length_slots: 4}, {name: a, length_slots: 6}]"],
        "optimize.shifts[1].name='a': another shift has this name"),
    "optimize_scenario_effort_nan": Case("optimize", ["scenario.channels.kiosk.effort=nan"],
                                         "scenario.channels.kiosk.effort=nan"),
    # the settings of the contact-centre schema
    "close_hour_before_opening": Case("sim", ["scenario=mmcm", "scenario.close_hour=5"],
                                      "scenario.close_hour=5: must be after open_hour"),
    "service_factor_negative": Case("sim", ["scenario=mmcm",
                                            "scenario.channels.hotline.service_factors=[-1.0]"],
                                    "scenario.channels.hotline.service_factors[0]=-1.0"),
    "redial_without_delay": Case("sim", ["scenario=mmcm",
                                         "scenario.segments.callers.redial_probability=0.5"],
                                 "scenario.segments.callers.redial_delay=None"),
    "threshold_zero": Case("sim", ["scenario=mmcm",
                                   "scenario.channels.hotline.service_level_thresholds=[0]"],
                           "scenario.channels.hotline.service_level_thresholds[0]=0.0"),
    "workers_zero": Case("sim", ["run.workers=0"], "run.workers=0"),
    "executor_unknown": Case("sim", ["run.executor=spark"], "run.executor"),
    "total_kiosks_negative": Case("optimize", ["optimize.max_total_kiosks=-1"],
                                  "optimize.max_total_kiosks=-1: must be >= 0"),
    "kiosk_budget_nan": Case("optimize", ["optimize.kiosk_budget=nan"],
                             "optimize.kiosk_budget=nan"),
    # python -m sim.fit and python -m sim.compare: the log and the fit's settings
    "fit_share_above_one": Case("fit", ["fit.log=calls.csv", "fit.target_share=2"],
                                "fit.target_share=2.0", files=log(LOG_HEADER)),
    "compare_unknown_channel": Case("compare", ["scenario=mmcm", "compare.log=calls.csv",
                                                "compare.channel=nope"],
                                    "compare.channel='nope'", files=log(LOG_HEADER)),
    "fit_no_log": Case("fit", [], "fit.log=None: give the contact log to fit"),
    "fit_missing_log": Case("fit", ["fit.log=nope.csv"], "fit.log='nope.csv': no such file"),
    "fit_unknown_format": Case("fit", ["fit.log=calls.csv", "fit.format=excel"],
                               "fit.format='excel': must be one of", files=log(LOG_HEADER)),
    "fit_header_only": Case("fit", ["fit.log=calls.csv"], "has a header but no rows",
                            files=log("arrival,outcome\n")),
    "fit_level_nan": Case("fit", ["fit.log=calls.csv", "fit.level=nan"],
                          "fit.level=nan: must be a finite number", files=log(LOG_HEADER)),
    "fit_no_service_times": Case("fit", ["fit.log=calls.csv", "fit.format=transactions"],
                                 "fit.log='calls.csv': 0 served contacts with a service time: a scenario "
                                 "needs at least two",
                                 files=log(LOG_HEADER + LOG_ROW)),
    "fit_missing_roster": Case("fit", ["fit.log=calls.csv", "fit.roster=nope.csv"],
                               "fit.roster='nope.csv': no such file", files=log(LOG_HEADER)),
    "fit_unknown_kind": Case("fit", ["fit.log=calls.csv", "fit.kind=kiosk"],
                             "fit.kind='kiosk': must be one of hotline, counter",
                             files=log(LOG_HEADER)),
    "compare_no_log": Case("compare", [], "compare.log=None: give the contact log"),
    "compare_missing_log": Case("compare", ["compare.log=nope.csv"],
                                "compare.log='nope.csv': no such file"),
    # sweeps: the bad job is a failed row with its one line
    "sweep_effort_nan": Case("sim", ["scenario.channels.online_banking.effort=nan,0.5"],
                             "scenario.channels.online_banking.effort=nan: must be a finite number",
                             sweep=True),
    "sweep_open_hour": Case("sim", ["scenario=mmc", "scenario.open_hour=25,9"],
                            "scenario.open_hour=25: a clock hour lies in 0..23", sweep=True),
    "sweep_optimize_shift": Case(
        "optimize", ["optimize.shifts=[{name: long, length_slots: 12}]", "optimize.budget=1,2"],
        "optimize.shifts[0].length_slots=12", sweep=True),
}
if not ray_installed():  # the optional extra: refused in one line where it is missing
    CASES["ray_without_ray"] = Case("sim", ["run.executor=ray"],
                                    "run.executor='ray': needs Ray: pip install -e '.[ray]'")


# ---------------------------------------------------------------- the driver (a script)

# run as ``python -m <module>``: Hydra finds conf/ from the file of a ``__main__`` module
MODULES = {"sim": "sim", "optimize": "optimize", "calibrate": "sim.calibrate", "fit": "sim.fit",
           "compare": "sim.compare"}


def drive_case(name: str, case: Case, folder: Path) -> dict[str, Any]:
    """Run one case in this process, as ``python -m <app> <args>`` would."""
    from hydra.core.global_hydra import GlobalHydra

    folder.mkdir(parents=True, exist_ok=True)
    os.chdir(folder)  # relative file names in the arguments are the case's files
    for rel, text in case.files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, errors="surrogateescape")  # "\udcff": byte 0xff
    args = list(case.args)
    if "customers.csv" in case.files:
        args.append("scenario.adoption.customer_table=customers.csv")
    if any(rel.startswith("conf/") for rel in case.files):
        args.append(f"hydra.searchpath=[file://{folder / 'conf'}]")
    if case.sweep:
        args = ["-m", *args, f"hydra.sweep.dir={folder / 'sweep'}", "hydra/launcher=basic",
                f"sweep.cache_dir={folder / 'cache'}", "run.replications=2",
                "run.horizon_minutes=600", "run.plots=false", "hydra.callbacks.sweep.plots=false"]
        if case.app == "optimize":
            args.append("optimize.check_replications=0")
    else:
        args.append(f"hydra.run.dir={folder / 'run'}")
    GlobalHydra.instance().clear()
    stderr, stdout = io.StringIO(), io.StringIO()
    sys.argv = [case.app, *args]
    code: Any = 0
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
        try:
            runpy.run_module(MODULES[case.app], run_name="__main__", alter_sys=True)
        except SystemExit as done:
            code = done.code
        except BaseException as error:  # noqa: BLE001 -- a case must not stop the battery
            import traceback

            traceback.print_exc(file=stderr)
            code = f"raised {type(error).__name__}"
    rows: list[dict[str, str]] = []
    if (folder / "sweep" / "sweep.csv").is_file():
        with open(folder / "sweep" / "sweep.csv", newline="") as f:
            rows = list(csv.DictReader(f))
    return {"code": code, "stderr": stderr.getvalue(), "run_dir_left": (folder / "run").exists(),
            "rows": [{"status": r["status"], "error": r["error"]} for r in rows]}


def drive(names: list[str], base: Path) -> dict[str, Any]:
    return {name: drive_case(name, CASES[name], base / name) for name in names}


# ---------------------------------------------------------------- the tests

def run_battery(names: list[str], tmp: Path) -> dict[str, Any]:
    """The driver in a subprocess (the apps configure logging and Hydra globally)."""
    done = subprocess.run([sys.executable, __file__, str(tmp), *names], cwd=tmp,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.splitlines()[-1]))


def problems_of_a_single_run(name: str, outcome: dict[str, Any]) -> list[str]:
    case = CASES[name]
    lines = [line for line in outcome["stderr"].splitlines() if line.strip()]
    found = []
    if outcome["code"] != 2:
        found.append(f"exit code {outcome['code']!r}, not 2")
    if len(lines) != 1:
        found.append(f"{len(lines)} lines on stderr")
    if "Traceback" in outcome["stderr"]:
        found.append("a traceback")
    if not lines or not lines[0].startswith("error: ") or case.expect not in lines[0]:
        found.append(f"the line does not name {case.expect!r}")
    if outcome["run_dir_left"]:
        found.append("the run folder was left behind")
    return [f"{name}: {p}\n    {outcome['stderr'].strip()[:600]}" for p in found]


def problems_of_a_sweep(name: str, outcome: dict[str, Any]) -> list[str]:
    case = CASES[name]
    failed = [r for r in outcome["rows"] if r["status"] == "failed"]
    found = []
    if outcome["code"] != 1:
        found.append(f"exit code {outcome['code']!r}, not 1 (a sweep with a failed job)")
    if not failed:
        found.append(f"no failed row in sweep.csv: {outcome['rows']}")
    for row in failed:
        error = row["error"] or ""
        if case.expect not in error or len(error.splitlines()) != 1:
            found.append(f"the failed row's error {error!r} does not name {case.expect!r}")
    if "Traceback" in outcome["stderr"]:
        found.append("a traceback")
    return [f"{name}: {p}\n    {outcome['stderr'].strip()[:600]}" for p in found]


GROUPS = {
    "sim": [n for n, c in CASES.items()
            if c.app == "sim" and not c.sweep and "run.mode=months" not in c.args],
    "months": [n for n, c in CASES.items() if not c.sweep and "run.mode=months" in c.args],
    "calibrate": [n for n, c in CASES.items() if c.app == "calibrate"],
    "optimize": [n for n, c in CASES.items() if c.app == "optimize" and not c.sweep],
    "sweeps": [n for n, c in CASES.items() if c.sweep],
    "fit": [n for n, c in CASES.items() if c.app in ("fit", "compare")],
}


def test_the_battery_holds_at_least_40_bad_inputs_across_every_face() -> None:
    assert len(CASES) >= 40
    assert sorted(n for names in GROUPS.values() for n in names) == sorted(CASES)
    assert all(GROUPS.values())


@pytest.mark.parametrize("group", ["sim", "months", "calibrate", "optimize", "fit"])
def test_each_bad_input_prints_one_line_naming_it_exits_2_and_leaves_no_run_folder(
        group: str, tmp_path: Path) -> None:
    outcomes = run_battery(GROUPS[group], tmp_path)
    problems = [p for name in GROUPS[group] for p in problems_of_a_single_run(name, outcomes[name])]
    assert not problems, "\n".join(problems)


def test_a_bad_job_in_a_sweep_is_a_failed_row_with_its_one_line(tmp_path: Path) -> None:
    outcomes = run_battery(GROUPS["sweeps"], tmp_path)
    problems = [p for name in GROUPS["sweeps"] for p in problems_of_a_sweep(name, outcomes[name])]
    assert not problems, "\n".join(problems)
    # the good job beside the bad one still ran
    for name in ("sweep_effort_nan", "sweep_open_hour"):
        assert sorted(r["status"] for r in outcomes[name]["rows"]) == ["failed", "ok"], name


def test_a_sweep_job_that_runs_out_of_memory_gets_a_one_line_error(tmp_path: Path) -> None:
    from sim.cli.sweep import SweepSettings, run_job

    def exhaust(_: object, __: Path) -> None:
        raise MemoryError()  # what numpy raises, with no message

    record = run_job("sim", 0, tmp_path, SweepSettings(cache_dir=str(tmp_path / "cache")),
                     lambda _: ("f" * 16, None), exhaust)
    assert record.status == "failed"
    assert record.error == ("MemoryError: the job ran out of memory; lower run.horizon_minutes, "
                            "run.replications, run.customers or the volumes")
    assert json.loads((tmp_path / "job.json").read_text())["error"] == record.error


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    # runpy's note that an app's module was imported before (by another app): the
    # driver's doing, not the app's
    warnings.filterwarnings("ignore", message=".*found in sys.modules", category=RuntimeWarning)
    result = drive(sys.argv[2:], Path(sys.argv[1]))
    print(json.dumps(result, default=str))
