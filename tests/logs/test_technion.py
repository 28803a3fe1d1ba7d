"""sim.logs read_log(format="technion"): the Technion "Anonymous Bank" layout and codes."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from sim.logs import COLUMNS, read_log
from tests.logs.files import NAN, TECHNION_HEADER, assert_rows, hms, table_text, technion_rows, write

# the first row is the one the public data's documentation shows; 1999-01-01 was a Friday
CALLS = technion_rows("""
AA0101 33116 9664491 2 PS 990101 0:00:31 0:00:36 5 0:00:36 0:03:09 153 HANG 0:00:00 0:00:00 0 NO_SERVER
AA0101 33117 0 0 PS 990101 0:34:12 0:34:23 11 0:00:00 0:00:00 0 HANG 0:00:00 0:00:00 0 NO_SERVER
AA0103 33118 27179292 2 NE 990101 6:55:20 6:55:26 6 6:55:26 6:55:43 17 AGENT 6:55:43 6:56:37 54 MICHAL
AA0101 33119 0 0 PS 990101 7:41:16 7:41:26 10 0:00:00 0:00:00 0 PHANTOM 0:00:00 0:00:00 0 NO_SERVER
AA0102 33120 1 1 PE 990103 23:58:00 23:58:10 10 23:58:10 23:59:00 50 AGENT 23:59:00 0:03:00 240 DORIT
AA0104 33121 55       1 IN 990103 9:00:00  9:00:12  12 0:00:00  0:00:00  0   AGENT   9:00:12  9:04:12  240 AVI
""")

EXPECTED = [
    {"contact_id": "33116", "date": "1999-01-01", "weekday": 4, "type": "PS", "channel": "hotline",
     "customer": "9664491", "priority": 2, "agent": "", "outcome": "abandoned",
     "arrival": hms(0, 0, 31), "ivr_exit": hms(0, 0, 36), "queue_entry": hms(0, 0, 36),
     "queue_exit": hms(0, 3, 9), "service_start": NAN, "service_end": NAN,
     "wait": 153 / 60, "service": NAN, "interval": 0},
    {"contact_id": "33117", "date": "1999-01-01", "customer": "", "priority": 0, "outcome": "ivr",
     "arrival": hms(0, 34, 12), "ivr_exit": hms(0, 34, 23), "queue_entry": NAN, "queue_exit": NAN,
     "wait": NAN, "service": NAN, "agent": ""},
    {"contact_id": "33118", "type": "NE", "customer": "27179292", "outcome": "served",
     "agent": "MICHAL", "arrival": hms(6, 55, 20), "queue_entry": hms(6, 55, 26),
     "queue_exit": hms(6, 55, 43), "service_start": hms(6, 55, 43), "service_end": hms(6, 56, 37),
     "wait": 17 / 60, "service": 54 / 60, "interval": 6},
    # served straight from the IVR: no queue times, so a zero wait from the IVR exit
    {"contact_id": "33121", "date": "1999-01-03", "weekday": 6, "type": "IN", "outcome": "served",
     "arrival": hms(9, 0, 0), "ivr_exit": hms(9, 0, 12), "queue_entry": hms(9, 0, 12),
     "queue_exit": hms(9, 0, 12), "service_start": hms(9, 0, 12), "service_end": hms(9, 4, 12),
     "wait": 0.0, "service": 4.0, "agent": "AVI"},
    # crosses midnight: the service ends at 00:03 of the next day, minute 1443 of this one
    {"contact_id": "33120", "date": "1999-01-03", "weekday": 6, "customer": "1", "priority": 1,
     "outcome": "served", "arrival": hms(23, 58, 0), "service_start": hms(23, 59, 0),
     "service_end": 24 * 60 + 3.0, "wait": 50 / 60, "service": 4.0, "interval": 23},
]


def test_technion_rows_read_as_computed_by_hand(tmp_path: Path) -> None:
    log = read_log(write(tmp_path, "jan.txt", table_text(CALLS, TECHNION_HEADER)), "technion")
    assert tuple(log.contacts.columns) == COLUMNS
    assert_rows(log.contacts, EXPECTED)
    assert log.source == "jan.txt"
    assert log.quality.rows_read == 6 and log.quality.rows_used == 5
    assert log.quality.phantom == 1 and log.quality.first_rows == {"phantom": [5]}


def test_rows_in_any_order_extra_columns_and_commas_give_the_same_table(tmp_path: Path) -> None:
    plain = read_log(write(tmp_path, "a.txt", table_text(CALLS, TECHNION_HEADER)), "technion")
    shuffled = list(CALLS)
    random.Random(3).shuffle(shuffled)
    extra = [{**row, "startdate": "19990101", "note": "x"} for row in shuffled]
    columns = ("startdate", *reversed(TECHNION_HEADER), "note")
    other = read_log(write(tmp_path, "b.csv", table_text(extra, columns, sep=",")), "technion")
    pd.testing.assert_frame_equal(other.contacts, plain.contacts)


def test_a_file_without_customer_id_priority_and_date_is_one_day(tmp_path: Path) -> None:
    columns = [c for c in TECHNION_HEADER if c not in ("customer_id", "priority", "date")]
    log = read_log(write(tmp_path, "day.txt", table_text(CALLS, columns)), "technion")
    assert set(log.contacts["date"]) == {"day-1"}
    assert set(log.contacts["weekday"]) == {-1}
    assert set(log.contacts["customer"]) == {""} and set(log.contacts["priority"]) == {0}
    # one day, so sorted by arrival alone
    assert list(log.contacts["contact_id"]) == ["33116", "33117", "33118", "33121", "33120"]


def test_a_file_with_only_the_required_columns_is_read(tmp_path: Path) -> None:
    columns = ["call_id", "vru_entry", "vru_exit", "q_start", "q_exit", "outcome", "ser_start",
               "ser_exit"]
    log = read_log(write(tmp_path, "min.txt", table_text(CALLS, columns)), "technion")
    assert set(log.contacts["type"]) == {"all"} and set(log.contacts["agent"]) == {""}
    assert list(log.contacts["outcome"]) == ["abandoned", "ivr", "served", "served", "served"]


def test_hang_after_seconds_in_queue_is_abandoned_even_without_a_queue_start(tmp_path: Path
                                                                            ) -> None:
    rows = technion_rows("""
    AA0101 1 0 0 PS 990104 10:00:00 10:00:10 10 0:00:00 0:00:00 30 HANG 0:00:00 0:00:00 0 NO_SERVER
    AA0101 2 0 0 PS 990104 10:05:00 10:05:10 10 0:00:00 0:00:00 0  hang 0:00:00 0:00:00 0 NO_SERVER
    """)
    log = read_log(write(tmp_path, "q.txt", table_text(rows, TECHNION_HEADER)), "technion")
    assert_rows(log.contacts, [
        {"contact_id": "1", "outcome": "abandoned", "queue_entry": hms(10, 0, 10), "wait": NAN},
        {"contact_id": "2", "outcome": "ivr", "queue_entry": NAN}])


def test_the_same_call_id_on_two_dates_is_two_calls(tmp_path: Path) -> None:
    rows = technion_rows("""
    AA0101 7 0 0 PS 990104 10:00:00 10:00:10 10 0:00:00 0:00:00 0 HANG 0:00:00 0:00:00 0 NO_SERVER
    AA0101 7 0 0 PS 990105 10:00:00 10:00:10 10 0:00:00 0:00:00 0 HANG 0:00:00 0:00:00 0 NO_SERVER
    """)
    log = read_log(write(tmp_path, "ids.txt", table_text(rows, TECHNION_HEADER)), "technion")
    assert list(log.contacts["date"]) == ["1999-01-04", "1999-01-05"]
    assert log.quality.duplicate_ids == 0


@pytest.mark.parametrize(("written", "iso"), [("990101", "1999-01-01"), ("19990101", "1999-01-01"),
                                              ("1999-01-01", "1999-01-01"), ("050704", "2005-07-04")])
def test_dates_are_read_in_the_forms_the_published_files_use(tmp_path: Path, written: str,
                                                             iso: str) -> None:
    rows = [{**CALLS[0], "date": written}]
    log = read_log(write(tmp_path, "d.txt", table_text(rows, TECHNION_HEADER)), "technion")
    assert list(log.contacts["date"]) == [iso]
    assert list(log.contacts["weekday"]) == [pd.Timestamp(iso).weekday()]


def test_interval_minutes_sets_the_interval_column(tmp_path: Path) -> None:
    path = write(tmp_path, "jan.txt", table_text(CALLS, TECHNION_HEADER))
    log = read_log(path, "technion", interval_minutes=15)
    assert list(log.contacts["interval"]) == [0, 2, 27, 36, 95]  # 0:00, 0:34, 6:55, 9:00, 23:58
