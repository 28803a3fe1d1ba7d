"""Page 1, What if, driven headless by Streamlit's AppTest: the kiosks of bank_branch from
3 to 0, a bad value, and the cache."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import sim
from webapp import MAIN

KIOSKS = "lever:bank_branch:channels.kiosk.servers"


def app() -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=120)
    at.run()
    assert not at.exception
    return at


def headline(at: AppTest) -> pd.DataFrame:
    tables = [t.value for t in at.table if "significant" in t.value.columns]
    assert len(tables) == 1
    return tables[0]


@pytest.fixture(scope="module")
def no_kiosks() -> AppTest:
    at = app()
    assert at.number_input(key=KIOSKS).value == 3
    at.number_input(key=KIOSKS).set_value(0)
    at.button(key="what_if:run").click()
    at.run()
    assert not at.exception and not at.error
    return at


def test_no_kiosks_means_longer_teller_waits_and_less_diversion_beyond_noise(
        no_kiosks: AppTest) -> None:
    table = headline(no_kiosks)
    wait, diversion = table.loc["teller: mean wait (min)"], table.loc["diversion rate"]
    assert wait["difference"] > 0 and wait["ci_low"] > 0 and wait["significant"]
    assert diversion["difference"] < 0 and diversion["ci_high"] < 0 and diversion["significant"]


def test_the_page_shows_what_the_api_simulates_with_the_same_seeds(no_kiosks: AppTest) -> None:
    """The headline's means are sim.simulate's for the same scenario, seed and replications."""
    table = headline(no_kiosks)
    base = sim.simulate(sim.load_scenario("bank_branch"), replications=10, seed=42, plots=False)
    what = sim.simulate(sim.load_scenario("bank_branch", ["channels.kiosk.servers=0"]),
                        replications=10, seed=42, plots=False)
    for result, column in ((base, "baseline"), (what, "what_if")):
        assert table.loc["diversion rate", column] == pytest.approx(
            result.summary()["kpis"]["diversion_rate"]["mean"], rel=1e-12)
        assert table.loc["teller: mean wait (min)", column] == pytest.approx(
            result.summary()["channels"]["teller"]["wait_mean"]["mean"], rel=1e-12)


def test_the_command_line_of_the_what_if_is_shown(no_kiosks: AppTest) -> None:
    assert [c.value for c in no_kiosks.code] == [
        "python -m sim scenario=bank_branch channels.kiosk.servers=0"]


def test_asking_again_is_answered_from_the_cache(no_kiosks: AppTest) -> None:
    """A new session (a reload) with the same question in its address: the answer is shown
    without pressing Run, from the job the first session started."""
    at = AppTest.from_file(str(MAIN), default_timeout=120)
    at.query_params.update({"scenario": "bank_branch", "set": "channels.kiosk.servers=0",
                            "reps": "10", "seed": "42"})
    at.run()
    assert at.number_input(key=KIOSKS).value == 0
    assert headline(at).loc["diversion rate", "what_if"] == headline(no_kiosks).loc[
        "diversion rate", "what_if"]


def test_a_bad_value_is_the_engines_one_line_under_its_widget() -> None:
    at = app()
    at.number_input(key="lever:bank_branch:close_hour").set_value(5)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "scenario.close_hour=5: must be after open_hour (8) and at most 24 hours later"]
    assert not at.code  # nothing to run


def test_a_networks_branches_are_one_table_whose_values_reach_the_run_and_regions_shown() -> None:
    """bank_network: the branches' tellers, kiosks and guides are one editable table, a row
    per branch (not a widget per value: 120 halls are 120 rows); a value carried in the
    address (a reload, a plan) is in its cell and in the command run; central's hourly
    tellers keep a table of their own; the results add the branches and the regions
    beside the network."""
    at = AppTest.from_file(str(MAIN), default_timeout=120)
    at.query_params["scenario"] = "bank_network"
    at.query_params["set"] = ["branches.riverside.kiosks=4"]
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (branches,) = [d.value for d in at.dataframe if "branch" in d.value.columns]
    assert set(branches.columns) == {"branch", "region", "tellers", "kiosks", "guides"}
    rows = branches.set_index("branch")
    assert list(rows.index) == ["central", "riverside", "hilltop"]
    assert rows.loc["riverside", "kiosks"] == 4 and rows.loc["hilltop", "tellers"] == 2
    assert pd.isna(rows.loc["central", "tellers"])  # by the hour, in a table of its own
    assert any(n.key == "lever:bank_network:branches.central.tellers" for n in at.dataframe)
    assert not [n for n in at.number_input if "branches." in (n.key or "")]
    at.button(key="what_if:run").click().run()
    assert not at.exception and not at.error
    assert [c.value for c in at.code] == [
        "python -m sim scenario=bank_network branches.riverside.kiosks=4"]
    regions = next(d.value for d in at.dataframe if "what_if" in d.value.columns)
    areas = set(regions.index.get_level_values(0))
    assert areas == {"city", "town", "rural", "network"}
