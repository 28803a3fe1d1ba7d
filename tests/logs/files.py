"""Hand-made log files for the tests of sim.logs: writing them, clock times in minutes, and
comparing a read table with rows computed by hand."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

TECHNION_HEADER = ("vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry",
                   "vru_exit", "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start",
                   "ser_exit", "ser_time", "server")
NAN = math.nan


def hms(hours: int, minutes: int, seconds: int = 0) -> float:
    """A clock time as minutes since midnight."""
    return hours * 60 + minutes + seconds / 60


def write(folder: Path, name: str, text: str) -> Path:
    """``text`` (its lines stripped of the indentation of a test's triple-quoted string)
    written to ``folder/name``."""
    lines = [line.strip() for line in text.strip().splitlines()]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def table_text(rows: Sequence[Mapping[str, str]], columns: Sequence[str], sep: str = "\t") -> str:
    """A header of ``columns`` and one line per row (cells looked up by column name)."""
    return "\n".join([sep.join(columns)] + [sep.join(row[c] for c in columns) for row in rows])


def technion_rows(lines: str) -> list[dict[str, str]]:
    """Rows in the Technion layout from whitespace-separated lines of the 17 fields."""
    return [dict(zip(TECHNION_HEADER, line.split())) for line in lines.strip().splitlines()]


def same(actual: Any, expected: Any) -> bool:
    """Equal, with NaN equal to NaN and floats to within a nanominute."""
    if isinstance(expected, float):
        if math.isnan(expected):
            return bool(pd.isna(actual))
        return abs(float(actual) - expected) < 1e-9
    return bool(actual == expected)


def assert_rows(frame: pd.DataFrame, expected: Sequence[Mapping[str, Any]]) -> None:
    """The table has exactly the expected rows, in order; each given field matches."""
    assert len(frame) == len(expected), frame
    for i, row in enumerate(expected):
        wrong = {k: (frame.iloc[i][k], v) for k, v in row.items() if not same(frame.iloc[i][k], v)}
        assert not wrong, f"row {i} ({frame.iloc[i]['contact_id']}): (actual, expected) {wrong}"
