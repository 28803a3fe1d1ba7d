"""Reading a roster: who was scheduled when, for ``fit.roster`` (agents per interval taken
as the roster states them rather than estimated from the agents' activity).

Two layouts, told apart by the header (names matched up to case and spaces):

- per interval: ``start`` (a clock time ``H:MM`` or ``H:MM:SS``, the interval's start)
  and ``agents`` (the agents present then, a time average: 7.5 is allowed), e.g. a
  workforce-management export; the value holds until the next row's start on the same
  day (the last row: until the end of the day);
- shifts: ``shift_start`` and ``shift_end`` (clock times; an end earlier than its start
  is the next day), one row per agent and shift, e.g. a time-and-attendance export.

An optional ``date`` column (``YYYY-MM-DD``, ``YYYYMMDD`` or ``YYMMDD``) gives each row's
day; without it every row applies to every day. A cell that cannot be read is one
line naming the file and its row, exit code 2 (``fit.roster``), never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Union

import numpy as np
import pandas as pd

from sim.logs.csvfile import read_table
from sim.logs.parsing import read_dates, read_numbers, read_times
from sim.scenario import MINUTES_PER_DAY
from sim.validate import ScenarioError

ROSTER_PATH = "fit.roster"


@dataclass
class Roster:
    """A roster as spells of agents present: one row per spell, ``date`` (``""`` for
    every day), ``start`` and ``end`` (minutes since midnight) and ``agents`` (how many
    were present over the spell)."""

    spells: pd.DataFrame
    source: str

    def agents_on(self, date: str, origin: float, edges: np.ndarray) -> np.ndarray:
        """The time-average agents present in each interval [edges[k], edges[k+1]) of
        ``date``'s day (minutes from ``origin``): the spells of that date, or of every
        day, overlapped with each interval."""
        rows = self.spells[(self.spells["date"] == date) | (self.spells["date"] == "")]
        start = rows["start"].to_numpy(float) - origin
        end = rows["end"].to_numpy(float) - origin
        agents = rows["agents"].to_numpy(float)
        low, high = edges[:-1], edges[1:]
        overlap = np.clip(np.minimum(end[:, None], high) - np.maximum(start[:, None], low),
                          0.0, None)
        return np.asarray((agents[:, None] * overlap).sum(axis=0) / (high - low), dtype=float)

    def dates(self) -> set[str]:
        """The dates the roster names (empty: it applies to every day)."""
        return set(self.spells["date"]) - {""}


def _error(file: str, reason: str) -> ScenarioError:
    return ScenarioError(ROSTER_PATH, file, reason)


def read_roster(path: Union[str, Path]) -> Roster:
    """Read a roster file (module docstring). Raises ScenarioError naming ``fit.roster``,
    the file and, for a bad cell, its row."""
    try:
        raw = read_table(path)
    except ScenarioError as error:
        raise _error(str(path), error.reason) from None
    header = {name: raw.find(name) for name in ("start", "agents", "shift_start", "shift_end",
                                                  "date")}
    if header["shift_start"] and header["shift_end"]:
        first, second = "shift_start", "shift_end"
    elif header["start"] and header["agents"]:
        first, second = "start", "agents"
    else:
        raise _error(raw.file, "a roster has columns start and agents (per interval) or "
                     f"shift_start and shift_end (per shift); the header has: {raw.header_text()}")

    def bad_row(mask: np.ndarray, column: str) -> None:
        if mask.any():
            row = int(raw.rows[np.flatnonzero(mask)[0]])
            value = raw.column(column).iloc[int(np.flatnonzero(mask)[0])]
            raise _error(raw.file, f"row {row}: {column}={value!r} is not "
                         f"{'a date' if column == header['date'] else 'what the column holds'}")

    if header["date"]:
        dates = read_dates(raw.column(header["date"]))
        bad_row(dates.bad, str(header["date"]))
        date = dates.label
    else:
        date = pd.Series("", index=raw.cells.index)

    def clock(column: str) -> np.ndarray:
        cells = read_times(raw.column(column))
        not_clock = cells.bad | cells.missing | np.isnan(cells.clock)
        bad_row(not_clock, column)
        return np.asarray(cells.clock / 60.0, dtype=float)

    start = clock(str(header[first]))
    if first == "shift_start":
        end = clock(str(header[second]))
        end = np.where(end <= start, end + MINUTES_PER_DAY, end)
        agents = np.ones(start.size)
    else:
        agents, bad = read_numbers(raw.column(str(header["agents"])))
        bad_row(bad | np.isnan(agents) | (agents < 0), str(header["agents"]))
        order = np.lexsort((start, date.to_numpy()))
        end = np.full(start.size, float(MINUTES_PER_DAY))
        sorted_dates, sorted_start = date.to_numpy()[order], start[order]
        same_day = sorted_dates[1:] == sorted_dates[:-1]
        end_sorted = np.append(np.where(same_day, sorted_start[1:], MINUTES_PER_DAY),
                               MINUTES_PER_DAY)
        end[order] = end_sorted
    spells = pd.DataFrame({"date": date.to_numpy(), "start": start, "end": end,
                           "agents": agents})
    return Roster(spells, raw.name)
