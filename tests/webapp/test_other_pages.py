"""Pages 2 to 5 driven headless by AppTest: Plan (its plan is optimize.solve's, and goes to
What if), Data (a simulated log fitted and compared, saved for What if), Months (the
trajectory), Sweeps (a real sweep table explored)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import optimize
import sim
from optimize.settings import Risk
from sim.scenario import Mode, RunSettings
from tests.conftest import ROOT
from tests.fitting.test_round_trip import centre
from webapp import MAIN
from webapp.jobs import BOARD
from webapp.planning import PlanQuestion


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=300)
    at.run()
    at.switch_page(f"views/{name}.py").run()
    assert not at.exception
    return at


def test_the_plan_page_shows_optimize_solves_plan_and_sends_it_to_what_if() -> None:
    at = page("plan")
    at.button(key="plan:run").click().run()
    assert not at.exception and not at.error
    expected = optimize.solve(sim.load_scenario("bank_branch"), budget=2500.0)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["diversion predicted"] == f"{expected.plan.diversion_predicted:.3f}"
    job = BOARD.get(PlanQuestion("bank_branch").key())
    assert job is not None
    assert job.result().plan.diversion_predicted == expected.plan.diversion_predicted
    at.button(key="plan:to_what_if").click().run()
    assert [t.value for t in at.title] == ["What if"]
    (command,) = [c.value for c in at.code]
    assert "channels.teller.schedule=[" in command and "campaigns.sms_push.units.retail=" in command


def test_a_plan_that_cannot_exist_is_its_one_line() -> None:
    at = page("plan")
    at.radio(key="plan:objective").set_value("min_cost").run()
    at.number_input(key="plan:target").set_value(0.99).run()
    at.button(key="plan:run").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "no plan meets every constraint (min_cost, budget 2500); short: target_diversion by "
        "0.2645"]


def test_the_data_page_fits_a_log_compares_it_and_saves_the_scenario(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    sim.simulate(centre(), replications=4, seed=3, trace=True, plots=False).write(tmp_path / "day")
    at = page("data")
    at.selectbox(key="data:format").set_value("trace")
    at.text_input(key="data:path").input(str(tmp_path / "day" / "trace.csv"))
    at.number_input(key="data:reps").set_value(10).run()
    at.button(key="data:run").click().run()
    assert not at.exception and not at.error
    summary = next(d.value for d in at.dataframe if "ratio" in d.value.columns)
    assert set(summary["kpi"]) >= {"arrivals", "served", "abandon_rate"}
    at.button(key="data:save").click().run()
    saved = tmp_path / "outputs" / "app" / "fitted" / "fitted.yaml"
    assert saved.is_file()
    assert sim.load_scenario(saved).channels["hotline"].kind.value == "hotline"


def test_the_months_page_draws_the_trajectory_with_its_last_month() -> None:
    at = page("months")
    at.number_input(key="months:months").set_value(4)
    at.number_input(key="months:customers").set_value(2000)
    at.number_input(key="months:reps").set_value(2)
    at.button(key="months:run").click().run()
    assert not at.exception and not at.error
    last = at.dataframe[-1].value
    expected = sim.simulate_months(sim.load_scenario("bank_branch"), months=4, customers=2000,
                                   replications=2, seed=42)
    assert last.loc["e_channel_share", "mean"] == pytest.approx(
        expected.kpi(3, "e_channel_share").mean, rel=1e-12)


def test_the_sweeps_page_reads_a_sweep_and_finds_its_pareto_front(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sim", "-m", "scenario.channels.kiosk.servers=1,3",
                           "run.replications=2", "run.plots=false", "hydra/launcher=basic",
                           f"hydra.sweep.dir={tmp_path / 'sweep'}",
                           "hydra.callbacks.sweep.plots=false"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    at = page("sweeps")
    at.text_input(key="sweeps:path").input(str(tmp_path / "sweep")).run()
    assert not at.exception and not at.error
    assert at.multiselect(key="sweeps:params").value == ["scenario.channels.kiosk.servers"]
    front = next(d.value for d in at.dataframe if len(d.value.columns) == 3)
    assert len(front) >= 1


def test_the_pareto_front_keeps_only_rows_nothing_beats() -> None:
    import pandas as pd

    from webapp.studies import pareto_front

    table = pd.DataFrame({"cost": [1.0, 2.0, 2.0, 3.0, 4.0], "div": [0.1, 0.3, 0.2, 0.25, 0.5]})
    assert pareto_front(table, "cost", "div").index.tolist() == [0, 1, 4]


def test_a_reload_of_the_plan_page_asks_the_same_question_again() -> None:
    """The question run is kept in the address: a new session with it shows the answer
    without pressing the button (from the cache)."""
    at = page("plan")
    at.number_input(key="plan:budget").set_value(1000.0).run()
    at.button(key="plan:run").click().run()
    address = at.query_params["q"]
    again = AppTest.from_file(str(MAIN), default_timeout=300)
    again.query_params["q"] = address
    again.run()
    again.switch_page("views/plan.py")
    again.query_params["q"] = address
    again.run()
    assert again.number_input(key="plan:budget").value == 1000.0
    assert {m.label: m.value for m in again.metric} == {m.label: m.value for m in at.metric}


def test_a_bad_plan_setting_is_its_one_line_under_its_widget() -> None:
    at = page("plan")
    at.number_input(key="plan:budget").set_value(-5.0).run()
    assert not at.exception
    (line,) = [e.value for e in at.error]
    assert line.startswith("optimize.budget=-5.0")


def year_page() -> AppTest:
    """The Plan page on telecom_year with the year plan chosen and a small question: 4
    months, 2,000 customers, 2 checking populations, no sampled worlds, one re-solve."""
    at = page("plan")
    at.selectbox(key="plan:shipped").set_value("telecom_year").run()
    at.radio(key="plan:objective").set_value("year_plan").run()
    at.number_input(key="year:share").set_value(0.47).run()
    at.number_input(key="year:penetration").set_value(0.0).run()
    for key, value in (("year:months", 4), ("year:customers", 2000), ("year:check", 2),
                       ("year:samples", 0)):
        at.number_input(key=key).set_value(value).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def test_the_plan_page_plans_a_year_as_the_api_does() -> None:
    at = year_page()
    at.button(key="year:run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    expected = optimize.year_plan(
        sim.load_scenario("telecom_year"), 0.47, None,
        run=RunSettings(mode=Mode.months, months=4, customers=2000, replications=2,
                        plots=False), check_replications=2, risk=Risk(samples=0))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["spend"] == f"{sum(expected.spend()):,.0f}"
    populations = expected.odds["plan"]
    assert metrics["P(targets met), populations"] == (
        f"{populations.value:.0%} [{populations.ci_low:.0%}, {populations.ci_high:.0%}]")
    (calendar,) = [d.value for d in at.dataframe if "campaign" in d.value.columns]
    assert calendar["spend"].sum() == pytest.approx(sum(expected.spend()))
    assert any(h.value.startswith("The year plan (") for h in at.subheader)
    assert at.query_params["y"]  # a reload asks it again


def test_a_year_plan_the_scenario_cannot_have_is_its_one_line() -> None:
    at = page("plan")
    at.selectbox(key="plan:shipped").set_value("mmc").run()  # no campaigns to plan
    at.radio(key="plan:objective").set_value("year_plan").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "scenario.campaigns={}: the year plan needs campaigns"]
