"""sim.months.customer_table: the months mode's customer table, read into arrays or refused with
the file and row."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.months.customer_table import read_customer_table
from sim.validate import ScenarioError

SEGMENTS = ["retail", "elderly"]
CHANNELS = ["teller", "kiosk"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(text)
    return path


def test_a_table_is_read_into_segment_indices_and_per_channel_arrays(tmp_path: Path) -> None:
    path = write(tmp_path, "customer_id,segment,usage_kiosk,potential_teller,complaints_kiosk\n"
                           "a,elderly,3,1,\n"
                           "b,retail,,0,2\n")
    table = read_customer_table(path, SEGMENTS, CHANNELS)
    assert table.segment.tolist() == [1, 0]
    assert table.usage.tolist() == [[0.0, 3.0], [0.0, 0.0]]  # an empty cell is 0
    assert table.potential.tolist() == [[1.0, 0.0], [0.0, 0.0]]
    assert table.complaints.tolist() == [[0.0, 0.0], [0.0, 2.0]]


@pytest.mark.parametrize("text, reason", [
    ("customer_id,segment,usage_kisok\n1,retail,3\n",
     "column 'usage_kisok' is not customer_id, segment or usage_/potential_/complaints_"
     "<channel> for a channel of the scenario (teller, kiosk)"),
    ("customer_id,usage_kiosk\n1,3\n", "has no 'segment' column"),
    ("customer_id,segment\n", "has no customers (only a header)"),
    ("customer_id,segment\n1,retail\n2,vip\n",
     "row 3: segment 'vip' is not a segment of the scenario (retail, elderly)"),
    ("segment,usage_teller\nretail,-1\n", "row 2: usage_teller='-1' must be a finite number >= 0"),
    ("segment,complaints_kiosk\nretail,many\n",
     "row 2: complaints_kiosk='many' must be a finite number >= 0"),
    ("segment,potential_kiosk\nretail,1.5\n",
     "row 2: potential_kiosk='1.5' must be a finite number in [0, 1]"),
])
def test_a_bad_table_is_refused_naming_the_file_and_the_row(tmp_path: Path, text: str,
                                                            reason: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        read_customer_table(path, SEGMENTS, CHANNELS)
    assert str(info.value) == f"scenario.adoption.customer_table={str(path)!r}: {reason}"
