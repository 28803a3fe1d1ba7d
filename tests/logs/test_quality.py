"""sim.logs DataQuality: every row read is used or counted under exactly one problem."""

from __future__ import annotations

import json
from pathlib import Path

from sim.logs import read_log
from tests.logs.files import TECHNION_HEADER, table_text, technion_rows, write

# rows 2-3 are good; rows 4-9 have one problem each, in the order of DataQuality's fields
ONE_OF_EACH = technion_rows("""
AA0101 1 0 0 PS 990104 10:00:00 10:00:10 10 10:00:10 10:01:00 50 AGENT   10:01:00 10:05:00 240 DANA
AA0101 2 0 0 PS 990104 10:02:00 10:02:10 10 10:02:10 10:03:10 60 HANG    0:00:00  0:00:00  0   NO_SERVER
AA0101 3 0 0 PS 990104 10:03:00 10:03:10 10 0:00:00  0:00:00  0  PHANTOM 0:00:00  0:00:00  0   NO_SERVER
AA0101 4 0 0 PS 990104 10:6x:00 10:04:10 10 10:04:10 10:05:00 50 AGENT   10:05:00 10:06:00 60  DANA
AA0101 5 0 0 PS 990104 10:05:00 10:05:10 10 10:05:10 10:06:00 50 TRANSFER 0:00:00 0:00:00  0   NO_SERVER
AA0101 6 0 0 PS 990104 10:06:00 10:06:10 10 10:06:10 10:07:00 50 AGENT   10:07:00 10:06:30 -30 DANA
AA0101 7 0 0 PS 990104 10:07:00 10:07:10 10 10:07:10 10:08:00 50 AGENT   10:07:40 10:09:00 80  DANA
AA0101 1 0 0 PS 990104 10:08:00 10:08:10 10 10:08:10 10:09:00 50 AGENT   10:09:00 10:10:00 60  DANA
""")


def test_one_case_of_each_problem_gives_exactly_those_counts(tmp_path: Path) -> None:
    log = read_log(write(tmp_path, "bad.txt", table_text(ONE_OF_EACH, TECHNION_HEADER)),
                   "technion")
    quality = log.quality
    assert list(log.contacts["contact_id"]) == ["1", "2"]
    assert (quality.rows_read, quality.rows_used, quality.excluded) == (8, 2, 6)
    assert (quality.phantom, quality.unparseable, quality.unknown_outcomes,
            quality.negative_durations, quality.service_before_queue_exit,
            quality.duplicate_ids, quality.incomplete) == (1, 1, 1, 1, 1, 1, 0)
    assert quality.unknown_outcome_codes == {"TRANSFER": 1}
    assert quality.unparseable_values == ["row 5: vru_entry='10:6x:00'"]
    assert quality.first_rows == {"phantom": [4], "unparseable": [5], "unknown_outcomes": [6],
                                  "negative_durations": [7], "service_before_queue_exit": [8],
                                  "duplicate_ids": [9]}


def test_a_row_with_several_problems_counts_once_under_the_first(tmp_path: Path) -> None:
    rows = technion_rows("""
    AA0101 1 0 0 PS 990104 10:00:00 10:00:10 10 10:00:10 10:01:00 50 AGENT   10:01:00 10:05:00 240 DANA
    AA0101 2 0 0 PS 990104 1O:00:00 10:00:10 10 0:00:00  0:00:00  0  PHANTOM 0:00:00  0:00:00  0   NO_SERVER
    AA0101 3 0 0 PS 990104 10:00:00 9:00:00  10 0:00:00  0:00:00  0  WHAT    0:00:00  0:00:00  0   NO_SERVER
    AA0101 1 0 0 PS 990104 10:00:00 10:00:10 10 10:00:10 10:01:00 50 AGENT   10:00:30 10:05:00 240 DANA
    """)
    quality = read_log(write(tmp_path, "bad.txt", table_text(rows, TECHNION_HEADER)),
                       "technion").quality
    assert quality.phantom == 1 and quality.unparseable == 0  # a phantom's times do not matter
    assert quality.unknown_outcomes == 1 and quality.negative_durations == 0
    # a duplicate only of a usable row: row 5 repeats id 1 but fails on its own first
    assert quality.service_before_queue_exit == 1 and quality.duplicate_ids == 0
    assert quality.rows_read == quality.rows_used + quality.excluded == 4


def test_the_report_is_json_ready_and_has_a_console_line(tmp_path: Path) -> None:
    log = read_log(write(tmp_path, "bad.txt", table_text(ONE_OF_EACH, TECHNION_HEADER)),
                   "technion")
    report = json.loads(json.dumps(log.quality.as_dict()))
    assert report["rows_read"] == 8 and report["excluded"] == 6
    assert report["unknown_outcome_codes"] == {"TRANSFER": 1}
    assert report["source"] == "bad.txt"
    assert log.quality.summary_line() == (
        "2 of 8 rows used; excluded: phantom 1, unparseable 1, unknown outcomes 1, "
        "negative durations 1, service before queue exit 1, duplicate ids 1")


def test_unreadable_dates_numbers_and_empty_ids_are_unparseable(tmp_path: Path) -> None:
    text = """
    contact_id,date,priority,arrival,outcome
    a,2024-02-30,0,10:00,served
    b,2024-02-01,high,10:00,served
    ,2024-02-01,0,10:00,served
    d,2024-02-01,0,,served
    e,2024-02-01,1.0,10:00,served
    """
    log = read_log(write(tmp_path, "c.csv", text))
    assert list(log.contacts["contact_id"]) == ["e"]
    assert log.quality.unparseable == 4
    assert log.quality.first_rows["unparseable"] == [2, 3, 4, 5]
    assert log.quality.unparseable_values == ["row 2: date='2024-02-30'", "row 3: priority='high'",
                                              "row 4: contact_id=''", "row 5: arrival=''"]
