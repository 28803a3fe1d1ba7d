"""sim.logs.roster: a roster file as spells of agents present, per interval or per shift,
and its agents per interval of a day (time averages over each interval)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.logs.roster import read_roster
from sim.validate import ScenarioError
from tests.logs.files import write

EDGES = np.array([480.0, 540.0, 600.0, 660.0]) - 480.0  # 08:00-11:00 by the hour


def test_a_per_interval_roster_holds_each_value_until_the_next_start(tmp_path: Path) -> None:
    roster = read_roster(write(tmp_path, "r.csv", """
        start,agents
        08:00,4
        09:00,6.5
        09:30,7
        """))
    # 09:00-10:00: 6.5 for half an hour, 7 for the other half; 10:00-11:00: still 7
    assert roster.agents_on("2024-05-06", 480.0, EDGES) == pytest.approx([4.0, 6.75, 7.0])
    assert roster.dates() == set()


def test_a_shift_roster_counts_the_agents_present_in_each_interval(tmp_path: Path) -> None:
    """Three shifts: 08:00-10:00, 08:30-11:00 and 10:00-10:15 (a quarter hour)."""
    roster = read_roster(write(tmp_path, "shifts.csv", """
        agent,shift_start,shift_end
        ann,8:00,10:00
        bob,8:30,11:00
        cy,10:00,10:15
        """))
    assert roster.agents_on("day-1", 480.0, EDGES) == pytest.approx([1.5, 2.0, 1.25])


def test_a_dated_roster_gives_each_day_its_own_agents(tmp_path: Path) -> None:
    roster = read_roster(write(tmp_path, "r.csv", """
        date,start,agents
        2024-05-06,08:00,3
        2024-05-07,08:00,5
        """))
    assert roster.dates() == {"2024-05-06", "2024-05-07"}
    assert roster.agents_on("2024-05-07", 480.0, EDGES) == pytest.approx([5.0, 5.0, 5.0])


@pytest.mark.parametrize("text, message", [
    ("start,people\n08:00,3", "a roster has columns start and agents"),
    ("start,agents\n08:00,3\n8h30,4", "row 3: start='8h30'"),
    ("start,agents\n08:00,-1", "row 2: agents='-1'"),
    ("start,agents\n08:00,nan", "row 2: agents='nan'"),
    ("date,start,agents\nMonday,08:00,3", "row 2: date='Monday' is not a date"),
])
def test_a_bad_roster_is_one_error_naming_fit_roster_the_file_and_the_row(
        tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(text + "\n")
    with pytest.raises(ScenarioError) as error:
        read_roster(path)
    assert str(error.value).startswith(f"fit.roster='{path}'")
    assert message in str(error.value)


def test_a_missing_roster_file_names_fit_roster(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="fit.roster=.*no such file"):
        read_roster(tmp_path / "nope.csv")
