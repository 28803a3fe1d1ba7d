"""sim.logs write_contacts and write_technion: a table written and read back is the same."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.logs import read_log, write_contacts, write_technion
from tests.logs.files import TECHNION_HEADER, table_text, technion_rows, write

# two days, served / abandoned / ivr / served without queue times, a call past midnight
CALLS = technion_rows("""
AA0101 33116 9664491 2 PS 990101 0:00:31 0:00:36 5 0:00:36 0:03:09 153 HANG 0:00:00 0:00:00 0 NO_SERVER
AA0101 33117 0 0 PS 990101 0:34:12 0:34:23 11 0:00:00 0:00:00 0 HANG 0:00:00 0:00:00 0 NO_SERVER
AA0103 33118 27179292 2 NE 990101 6:55:20 6:55:26 6 6:55:26 6:55:43 17 AGENT 6:55:43 6:56:37 54 MICHAL
AA0102 33120 1 1 PE 990103 23:58:00 23:58:10 10 23:58:10 23:59:00 50 AGENT 23:59:00 0:03:00 240 DORIT
AA0104 33121 55       1 IN 990103 9:00:00  9:00:12  12 0:00:00  0:00:00  0   AGENT   9:00:12  9:04:12  240 AVI
""")


@pytest.fixture
def calls(tmp_path: Path) -> pd.DataFrame:
    """The hand-made Technion rows, read."""
    return read_log(write(tmp_path, "jan.txt", table_text(CALLS, TECHNION_HEADER)),
                    "technion").contacts


@pytest.mark.parametrize("name", ["again.txt", "again.txt.gz"])
def test_technion_written_and_read_back_is_the_same_table(tmp_path: Path, calls: pd.DataFrame,
                                                          name: str) -> None:
    write_technion(calls, tmp_path / name)
    again = read_log(tmp_path / name, "technion")
    pd.testing.assert_frame_equal(again.contacts, calls)
    assert again.quality.excluded == 0


def test_technion_written_keeps_the_published_codes_and_times(tmp_path: Path,
                                                              calls: pd.DataFrame) -> None:
    write_technion(calls, tmp_path / "again.txt")
    lines = (tmp_path / "again.txt").read_text().splitlines()
    assert lines[0].split("\t") == list(TECHNION_HEADER)
    rows = [dict(zip(TECHNION_HEADER, line.split("\t"))) for line in lines[1:]]
    # the same fields as the hand-made file (vru+line aside, which the reader ignores), in
    # the table's order; the call served straight from the IVR now shows its zero wait
    direct = {**CALLS[4], "q_start": "9:00:12", "q_exit": "9:00:12"}
    expected = [CALLS[0], CALLS[1], CALLS[2], direct, CALLS[3]]
    for row, want in zip(rows, expected):
        assert {k: v for k, v in row.items() if k != "vru+line"} == {
            k: v for k, v in want.items() if k != "vru+line"}


def test_contacts_written_and_read_back_is_the_same_table(tmp_path: Path,
                                                          calls: pd.DataFrame) -> None:
    for name in ("again.csv", "again.csv.gz"):
        write_contacts(calls, tmp_path / name)
        pd.testing.assert_frame_equal(read_log(tmp_path / name).contacts, calls)


def test_a_table_without_dates_round_trips_in_both_layouts(tmp_path: Path) -> None:
    columns = [c for c in TECHNION_HEADER if c != "date"]
    table = read_log(write(tmp_path, "d.txt", table_text(CALLS, columns)), "technion").contacts
    write_technion(table, tmp_path / "t.txt")
    assert "date" not in (tmp_path / "t.txt").read_text().splitlines()[0].split("\t")
    pd.testing.assert_frame_equal(read_log(tmp_path / "t.txt", "technion").contacts, table)
    write_contacts(table, tmp_path / "c.csv")
    pd.testing.assert_frame_equal(read_log(tmp_path / "c.csv").contacts, table)


def test_simulated_times_come_back_to_the_second(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    n = 50
    arrival = np.sort(rng.uniform(480, 1000, n))
    queue_entry = arrival + rng.exponential(0.4, n)
    start = queue_entry + rng.exponential(2.0, n)
    end = start + rng.lognormal(1.0, 0.5, n)
    table = pd.DataFrame({
        "contact_id": [str(i) for i in range(n)], "date": "2024-06-03", "weekday": 0,
        "type": "all", "channel": "hotline", "customer": "", "priority": 0, "agent": "a1",
        "arrival": arrival, "ivr_exit": queue_entry, "queue_entry": queue_entry,
        "queue_exit": start, "service_start": start, "service_end": end, "outcome": "served"})
    for writer, name, layout in ((write_contacts, "c.csv", "contacts"),
                                 (write_technion, "t.txt", "technion")):
        writer(table, tmp_path / name)
        back = read_log(tmp_path / name, layout).contacts
        for column in ("arrival", "queue_entry", "queue_exit", "service_end"):
            exact = table[column].to_numpy()
            assert np.array_equal(back[column].to_numpy(), np.round(exact * 60) / 60)
            assert np.abs(back[column].to_numpy() - exact).max() <= 0.5 / 60 + 1e-12


def test_the_technion_layout_refuses_what_it_has_no_code_for(tmp_path: Path,
                                                             calls: pd.DataFrame) -> None:
    calls.loc[0, "outcome"] = "balked"
    with pytest.raises(ValueError, match="no outcome code for balked"):
        write_technion(calls, tmp_path / "t.txt")
    assert not math.isnan(calls.loc[0, "arrival"])
