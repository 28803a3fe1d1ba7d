"""sim.logs read_log on a file it cannot read: one line naming fit.log, the file and the row."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from sim.logs import read_log
from sim.validate import ScenarioError
from tests.logs.files import TECHNION_HEADER, write


def error_line(path: Path, **kwargs: Any) -> str:
    """The message of the ScenarioError read_log raises on ``path``, checked to be one line
    naming ``fit.log`` and the file."""
    with pytest.raises(ScenarioError) as caught:
        read_log(path, **kwargs)
    line = str(caught.value)
    assert "\n" not in line
    assert line.startswith(f"fit.log={str(path)!r}: "), line
    return line.split(": ", 1)[1]


def test_a_missing_file_and_a_folder_are_named(tmp_path: Path) -> None:
    assert error_line(tmp_path / "nope.csv") == "no such file"
    assert error_line(tmp_path) == "is a folder, not a log file"


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", b"\x1f\x8b\x08garbage"])
def test_a_binary_file_or_a_broken_gzip_is_not_a_csv(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "calls.csv"
    path.write_bytes(content)
    assert error_line(path) == "is not a UTF-8 text CSV file (or a gzip of one)"


def test_an_empty_file_and_a_header_without_rows_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert error_line(empty).startswith("is empty")
    header_only = write(tmp_path, "header.csv", "contact_id,arrival,outcome\n\n")
    assert error_line(header_only) == "has a header but no rows"
    zipped = tmp_path / "header.csv.gz"
    zipped.write_bytes(gzip.compress(b"arrival,outcome\n"))
    assert error_line(zipped) == "has a header but no rows"


def test_a_required_column_missing_names_it_and_the_header(tmp_path: Path) -> None:
    columns = [c for c in TECHNION_HEADER if c != "q_start"]
    path = write(tmp_path, "jan.txt", "\t".join(columns))
    path.write_text(path.read_text() + "\t".join(["x"] * len(columns)) + "\n")
    reason = error_line(path, format="technion")
    assert reason.startswith("no column 'q_start' for the queue_entry (the technion layout; "
                             "fit.columns.queue_entry names another); the header has: vru+line, ")


def test_a_column_named_in_columns_must_exist(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "arrival,outcome\n10:00,served")
    assert error_line(path, columns={"agent": "Agent Name"}).startswith(
        "no column 'Agent Name' for the agent")


def test_a_row_with_more_cells_than_the_header_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", """
    arrival,outcome
    10:00,served
    10:01,served,extra
    """)
    assert error_line(path) == "row 3: 3 cells where the header has 2"


def test_a_file_with_no_usable_row_says_why(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", """
    arrival,outcome
    10:00,lost
    ten,served
    """)
    assert error_line(path) == ("no usable row: 2 rows read, all excluded (unparseable 1, "
                                "unknown outcomes 1); first at fault: row 2")


@pytest.mark.parametrize(("kwargs", "start"), [
    ({"format": "excel"},
     "fit.format='excel': must be one of contacts, technion, tickets, transactions, trace"),
    ({"columns": {"start": "begin"}}, "fit.columns.start='begin': not a field of a contact log"),
    ({"interval_minutes": 7}, "fit.interval_minutes=7: must be a whole number of minutes"),
    ({"outcome_codes": {"X": "lost"}}, "fit.outcome_codes.X='lost': must be one of served,"),
    ({"format": "trace", "open_hour": 24}, "fit.open_hour=24: must be a whole hour"),
])
def test_bad_arguments_name_their_setting(tmp_path: Path, kwargs: dict[str, Any], start: str
                                          ) -> None:
    path = write(tmp_path, "c.csv", "arrival,outcome\n10:00,served")
    with pytest.raises(ScenarioError) as caught:
        read_log(path, **kwargs)
    assert str(caught.value).startswith(start)
    assert "\n" not in str(caught.value)


def test_a_trace_without_its_columns_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "trace.csv", "arrival,outcome\n10:00,served")
    assert error_line(path, format="trace").startswith("no column 'replication' (a trace.csv has")
