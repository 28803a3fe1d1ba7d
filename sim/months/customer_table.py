"""The customer table of ``run.mode=months``: a CSV of customers, read and checked row by row.

Columns: ``customer_id``, ``segment``, and per channel ``usage_<channel>`` (uses, >= 0),
``potential_<channel>`` (a flag in [0, 1]) and ``complaints_<channel>`` (>= 0); an empty
cell counts as 0.  Any other column is refused, so a misspelt one (``usage_kisok``) is not
silently read as zero uses.  Every problem raises a ScenarioError naming the config path,
the file and the row (counted as in a spreadsheet: the header is row 1).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.validate import MAX_CUSTOMERS, ScenarioError, require

CONFIG_PATH = "scenario.adoption.customer_table"
PER_CHANNEL = ("usage", "potential", "complaints")


@dataclass(frozen=True)
class CustomerTable:
    """A checked customer table: one row per customer of the CSV, in file order, with one
    column per channel of the scenario (in its order).  Months mode turns it into
    preference scores with the field's formula (``ScoreWeights``)."""

    segment: np.ndarray  # index into the scenario's segments, per customer
    usage: np.ndarray  # customer x channel: uses
    potential: np.ndarray  # customer x channel: latent-fit flag in [0, 1]
    complaints: np.ndarray  # customer x channel: complaints


def known_columns(channels: Sequence[str]) -> list[str]:
    """The columns a customer table may have: ``customer_id``, ``segment`` and, for each
    channel, ``usage_``, ``potential_`` and ``complaints_<channel>``."""
    return ["customer_id", "segment", *(f"{kind}_{c}" for kind in PER_CHANNEL for c in channels)]


def _cell(row: dict[str, str], column: str, number: int, where: str, low: float,
          high: float = math.inf) -> float:
    """A numeric cell in [low, high]; an empty or absent cell is 0."""
    text = (row.get(column) or "").strip()
    if not text:
        return 0.0
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    bounds = f"in [{low:g}, {high:g}]" if math.isfinite(high) else f">= {low:g}"
    require(math.isfinite(value) and low <= value <= high, CONFIG_PATH, where,
            f"row {number}: {column}={text!r} must be a finite number {bounds}")
    return value


def read_customer_table(path: Path, segments: Sequence[str], channels: Sequence[str]
                        ) -> CustomerTable:
    """Every customer of the table at ``path``; ScenarioError at the first bad column,
    row or value."""
    where = str(path)
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            columns = list(reader.fieldnames or [])
            rows = list(reader)
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(CONFIG_PATH, where, f"cannot be read as a UTF-8 CSV file "
                            f"({type(error).__name__})") from None
    known = set(known_columns(channels))
    for column in columns:
        require(column in known, CONFIG_PATH, where,
                f"column {column!r} is not customer_id, segment or usage_/potential_/"
                f"complaints_<channel> for a channel of the scenario ({', '.join(channels)})")
    require("segment" in columns, CONFIG_PATH, where, "has no 'segment' column")
    require(bool(rows), CONFIG_PATH, where, "has no customers (only a header)")
    require(len(rows) <= MAX_CUSTOMERS, CONFIG_PATH, where,
            f"has {len(rows):,} customers, more than the limit of {MAX_CUSTOMERS:,}")
    index = {name: s for s, name in enumerate(segments)}
    n, k = len(rows), len(channels)
    segment = np.empty(n, dtype=int)
    usage, potential, complaints = np.zeros((n, k)), np.zeros((n, k)), np.zeros((n, k))
    for i, row in enumerate(rows):
        number = i + 2
        name = (row.get("segment") or "").strip()
        require(name in index, CONFIG_PATH, where,
                f"row {number}: segment {name!r} is not a segment of the scenario "
                f"({', '.join(segments)})")
        segment[i] = index[name]
        for j, c in enumerate(channels):
            usage[i, j] = _cell(row, f"usage_{c}", number, where, 0.0)
            potential[i, j] = _cell(row, f"potential_{c}", number, where, 0.0, 1.0)
            complaints[i, j] = _cell(row, f"complaints_{c}", number, where, 0.0)
    return CustomerTable(segment, usage, potential, complaints)
