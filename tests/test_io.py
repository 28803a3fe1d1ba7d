"""sim.io: JSON without NaN, CSV with empty cells, and writes that are atomic."""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

from sim.io import write_bytes_atomic, write_csv, write_json


def leftovers(folder: Path, keep: set[str]) -> list[str]:
    """Files in ``folder`` other than ``keep``: temporary files would show up here."""
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_write_json_turns_nan_and_infinities_into_null_and_is_valid_json(tmp_path: Path) -> None:
    path = tmp_path / "kpis.json"
    data = {"mean": 1.5, "p95": math.nan, "cap": math.inf, "floor": -math.inf,
            "nested": {"values": [1.0, math.nan, (2.0, math.inf)]}, "count": 3, "name": "mmc",
            "numpy": np.float64("nan")}
    write_json(path, data)
    text = path.read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    # the strict parser refuses the NaN/Infinity extensions, so this proves plain JSON
    loaded = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-JSON constant {name}"))
    assert loaded == {"mean": 1.5, "p95": None, "cap": None, "floor": None,
                      "nested": {"values": [1.0, None, [2.0, None]]}, "count": 3, "name": "mmc",
                      "numpy": None}


def test_write_json_makes_keys_strings_and_ends_with_a_newline(tmp_path: Path) -> None:
    path = tmp_path / "out" / "sub" / "flows.json"  # missing folders are created
    write_json(path, {1: "a", "b": [True, None]})
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert json.loads(text) == {"1": "a", "b": [True, None]}


def test_write_csv_writes_empty_cells_for_nan(tmp_path: Path) -> None:
    path = tmp_path / "channels.csv"
    rows = [{"channel": "counter", "wait_mean": 2.5, "p95": math.nan},
            {"channel": "kiosk", "wait_mean": math.nan, "p95": 4.0}]
    write_csv(path, rows, ["channel", "wait_mean", "p95"])
    assert path.read_text(encoding="utf-8") == (
        "channel,wait_mean,p95\n"
        "counter,2.5,\n"
        "kiosk,,4.0\n"
    )
    with path.open(newline="") as f:
        parsed = list(csv.DictReader(f))
    assert parsed[0]["p95"] == "" and parsed[1]["wait_mean"] == ""


def test_write_csv_with_no_rows_writes_just_the_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    write_csv(path, [], ["a", "b"])
    assert path.read_text(encoding="utf-8") == "a,b\n"


def test_writes_leave_no_temporary_file_behind(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", {"x": 1})
    write_json(tmp_path / "a.json", {"x": 2})  # replacing an existing file
    write_csv(tmp_path / "b.csv", [{"x": 1}], ["x"])
    write_bytes_atomic(tmp_path / "c.bin", b"\x00\x01")
    assert leftovers(tmp_path, set()) == ["a.json", "b.csv", "c.bin"]
    assert json.loads((tmp_path / "a.json").read_text()) == {"x": 2}
    assert (tmp_path / "c.bin").read_bytes() == b"\x00\x01"


def test_a_json_value_that_cannot_be_serialised_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "summary.json"
    write_json(path, {"ok": 1.0})
    before = path.read_bytes()
    with pytest.raises(TypeError):
        write_json(path, {"ok": 2.0, "bad": object()})
    assert path.read_bytes() == before
    assert leftovers(tmp_path, {"summary.json"}) == []


def test_a_csv_row_with_an_unknown_column_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "hourly.csv"
    write_csv(path, [{"a": 1}], ["a"])
    before = path.read_bytes()

    def rows() -> Iterator[dict[str, int]]:
        yield {"a": 2}
        yield {"a": 3, "surprise": 4}  # DictWriter refuses this row half-way through

    with pytest.raises(ValueError):
        write_csv(path, rows(), ["a"])
    assert path.read_bytes() == before
    assert leftovers(tmp_path, {"hourly.csv"}) == []


def test_a_failure_while_writing_the_temporary_file_removes_it_and_keeps_the_old_file(
        tmp_path: Path) -> None:
    # the temporary file exists when the write fails (str is not bytes): it must be cleaned up
    path = tmp_path / "trace.csv"
    path.write_bytes(b"old\n")
    with pytest.raises(TypeError):
        write_bytes_atomic(path, "not bytes")  # type: ignore[arg-type]  # wrong on purpose
    assert path.read_bytes() == b"old\n"
    assert leftovers(tmp_path, {"trace.csv"}) == []


def test_result_files_get_the_usual_permissions_not_owner_only(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_json(tmp_path / "summary.json", {"a": 1})
    finally:
        os.umask(previous)
    assert (tmp_path / "summary.json").stat().st_mode & 0o777 == 0o644
