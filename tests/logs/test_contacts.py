"""sim.logs read_log(format="contacts"): one row per contact, columns mapped by name, clock
times or timestamps, the default outcome vocabulary, gzip."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd

from sim.logs import read_log
from tests.logs.files import NAN, assert_rows, hms, write

CLOCK_LOG = """
contact_id,date,type,customer,priority,agent,arrival,ivr_exit,queue_entry,queue_exit,service_start,service_end,outcome
c1,2024-03-04,loan,u1,1,ann,08:00:00,08:00:30,08:00:30,08:02:00,08:02:00,08:07:30,answered
c2,2024-03-04,loan,u2,0,,08:01:00,08:01:20,08:01:20,08:03:20,,,hang_up
c3,2024-03-05,card,,,,9:15,9:16,,,,,Self_Service
"""


def test_clock_times_with_a_date_column_read_as_computed_by_hand(tmp_path: Path) -> None:
    log = read_log(write(tmp_path, "calls.csv", CLOCK_LOG))
    assert_rows(log.contacts, [
        {"contact_id": "c1", "date": "2024-03-04", "weekday": 0, "type": "loan", "customer": "u1",
         "priority": 1, "agent": "ann", "channel": "hotline", "outcome": "served",
         "arrival": hms(8, 0), "ivr_exit": hms(8, 0, 30), "queue_entry": hms(8, 0, 30),
         "queue_exit": hms(8, 2), "service_start": hms(8, 2), "service_end": hms(8, 7, 30),
         "wait": 1.5, "service": 5.5, "interval": 8},
        {"contact_id": "c2", "agent": "", "priority": 0, "outcome": "abandoned",
         "queue_entry": hms(8, 1, 20), "queue_exit": hms(8, 3, 20), "service_start": NAN,
         "wait": 2.0, "service": NAN},
        {"contact_id": "c3", "date": "2024-03-05", "weekday": 1, "customer": "", "priority": 0,
         "outcome": "ivr", "arrival": hms(9, 15), "ivr_exit": hms(9, 16), "queue_entry": NAN,
         "wait": NAN, "interval": 9}])
    assert log.quality.rows_used == 3 and log.quality.excluded == 0


TIMESTAMP_LOG = """
call,start,answered_at,ended,result,line,kind
17,2024-03-04T08:00:00,2024-03-04T08:03:00,2024-03-04T08:09:30,AGENT,north,bill
18,2024-03-04 23:50:00,2024-03-04 23:55:00,2024-03-05 00:10:00,served,north,bill
19,2024-03-05T07:00:00,,,abandoned,south,
"""
TIMESTAMP_COLUMNS = {"contact_id": "call", "arrival": "start", "service_start": "answered_at",
                     "service_end": "ended", "outcome": "result", "channel": "line", "type": "kind"}


def test_timestamps_give_the_date_and_times_past_midnight_count_on(tmp_path: Path) -> None:
    log = read_log(write(tmp_path, "acd.csv", TIMESTAMP_LOG), columns=TIMESTAMP_COLUMNS)
    assert_rows(log.contacts, [
        # no queue-entry column: a served call queued on arrival and left the queue when
        # answered
        {"contact_id": "17", "date": "2024-03-04", "weekday": 0, "channel": "north", "type": "bill",
         "outcome": "served", "arrival": hms(8, 0), "ivr_exit": NAN, "queue_entry": hms(8, 0),
         "queue_exit": hms(8, 3), "service_start": hms(8, 3), "service_end": hms(8, 9, 30),
         "wait": 3.0, "service": 6.5},
        {"contact_id": "18", "arrival": hms(23, 50), "service_end": 24 * 60 + 10.0,
         "wait": 5.0, "service": 15.0},
        {"contact_id": "19", "date": "2024-03-05", "weekday": 1, "channel": "south", "type": "all",
         "outcome": "abandoned", "queue_entry": hms(7, 0), "queue_exit": NAN, "wait": NAN}])


def test_a_log_without_dates_is_one_day_and_its_ids_are_row_numbers(tmp_path: Path) -> None:
    text = """
    arrival;service_start;service_end;outcome
    10:00:00;10:01:00;10:05:00;served

    9:00:00;;;abandoned
    """
    log = read_log(write(tmp_path, "day.csv", text))
    assert_rows(log.contacts, [
        {"contact_id": "4", "date": "day-1", "weekday": -1, "arrival": hms(9, 0),
         "outcome": "abandoned"},
        {"contact_id": "2", "date": "day-1", "arrival": hms(10, 0), "wait": 1.0, "service": 4.0}])


def test_queue_entry_defaults_to_the_ivr_exit_when_the_log_has_one(tmp_path: Path) -> None:
    text = """
    contact_id,arrival,ivr_exit,service_start,service_end,outcome
    a,10:00:00,10:00:40,10:02:00,10:03:00,served
    """
    log = read_log(write(tmp_path, "ivr.csv", text))
    assert_rows(log.contacts, [{"queue_entry": hms(10, 0, 40), "wait": 80 / 60}])


def test_unknown_outcome_codes_are_counted_with_the_codes_not_guessed(tmp_path: Path) -> None:
    text = """
    contact_id,arrival,outcome
    a,10:00:00,transferred
    b,10:01:00,TRANSFERRED
    c,10:02:00,
    d,10:03:00,self_service
    """
    log = read_log(write(tmp_path, "codes.csv", text))
    assert list(log.contacts["contact_id"]) == ["d"]
    assert log.quality.unknown_outcomes == 3
    assert log.quality.unknown_outcome_codes == {"": 1, "TRANSFERRED": 1, "transferred": 1}
    assert log.quality.first_rows == {"unknown_outcomes": [2, 3, 4]}


def test_outcome_codes_extend_the_vocabulary(tmp_path: Path) -> None:
    text = """
    contact_id,arrival,outcome
    a,10:00:00,ABN
    b,10:01:00,TEST
    """
    log = read_log(write(tmp_path, "codes.csv", text),
                   outcome_codes={"abn": "abandoned", "TEST": "phantom"})
    assert list(log.contacts["outcome"]) == ["abandoned"]
    assert log.quality.phantom == 1


def test_a_gzip_log_reads_as_the_plain_one_whatever_its_name(tmp_path: Path) -> None:
    plain = write(tmp_path, "calls.csv", CLOCK_LOG)
    for name in ("calls.csv.gz", "calls-gzipped.csv"):
        (tmp_path / name).write_bytes(gzip.compress(plain.read_bytes()))
        zipped = read_log(tmp_path / name)
        pd.testing.assert_frame_equal(zipped.contacts, read_log(plain).contacts)
        assert zipped.source == name


def test_two_fields_may_read_one_column(tmp_path: Path) -> None:
    text = """
    id,offered,answered,ended,outcome
    a,10:00:00,10:02:00,10:06:00,served
    """
    log = read_log(write(tmp_path, "acd.csv", text),
                   columns={"contact_id": "id", "arrival": "offered", "queue_entry": "Offered",
                            "service_start": "answered", "service_end": "ended"})
    assert_rows(log.contacts, [{"arrival": hms(10, 0), "queue_entry": hms(10, 0), "wait": 2.0}])
