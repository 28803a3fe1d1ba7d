"""Reading the text of a log's cells, a whole column at a time: clock times, timestamps,
dates and whole numbers.

Each parser returns its values and a boolean mask of the cells it could not read, so the
caller counts them (``DataQuality.unparseable``) instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.logs.table import NO_DATE
from sim.scenario import MINUTES_PER_DAY

# H:MM or H:MM:SS[.fff]; hours may pass 23 (a time after midnight of the contact's day)
CLOCK = r"\d{1,3}:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?"
ISO_STAMP = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}|$)"
ZONE = r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?:Z|[+-]\d{2}:?\d{2})$"  # a zone after the time
DAY_LABEL = re.compile(r"^day-[1-9]\d*$")
WRAP_MINUTES = MINUTES_PER_DAY / 2  # a clock time this much before the arrival is the next day


@dataclass
class TimeCells:
    """A column of times as read: ``clock`` seconds since midnight where a cell is a clock
    time (NaN elsewhere), ``stamp`` where it is a full timestamp (NaT elsewhere),
    ``missing`` where it is empty or a "none" code, ``bad`` where it is none of these."""

    clock: np.ndarray
    stamp: pd.Series
    missing: np.ndarray
    bad: np.ndarray


def read_times(text: pd.Series, none_codes: frozenset[str] = frozenset()) -> TimeCells:
    """Parse a column of clock times (``H:MM:SS``, ``HH:MM``, fractions of a second
    allowed) or ISO 8601 timestamps (``1999-01-01 07:05:09``, ``1999-01-01T07:05``);
    ``""`` and ``none_codes`` (e.g. Technion's ``0:00:00``) mean no time."""
    missing = (text == "") | text.isin(none_codes)
    is_clock = text.str.fullmatch(CLOCK) & ~missing
    # split only cells known to be clock times: every part is then a decimal number
    parts = (text.where(is_clock, "0:00").str.split(":", n=2, expand=True)
             .reindex(columns=[0, 1, 2]))
    seconds = (parts[0].astype("float64") * 3600.0 + parts[1].astype("float64") * 60.0
               + parts[2].astype("float64").fillna(0.0))
    clock = np.where(is_clock, seconds, np.nan)
    rest = ~missing & ~is_clock
    stamp = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if rest.any():
        stamp.loc[rest] = _timestamps(text[rest])
    bad = rest & stamp.isna()
    return TimeCells(clock, stamp, missing.to_numpy(), bad.to_numpy())


def _timestamps(text: pd.Series) -> pd.Series:
    """ISO 8601 timestamps as naive datetimes (a time zone, if written, is dropped: the
    wall-clock time is kept), NaT where a cell is not one."""
    iso = text.where(text.str.match(ISO_STAMP))
    wall = iso.str.replace(ZONE, r"\1", regex=True)
    return pd.to_datetime(wall, format="ISO8601", errors="coerce").astype("datetime64[ns]")


def minutes_of(cells: TimeCells, midnight: pd.Series, arrival: np.ndarray | None
               ) -> tuple[np.ndarray, np.ndarray]:
    """Minutes since the contact's midnight, and a mask of timestamps that cannot be placed
    (the contact has no date). Clock times more than 12 hours before ``arrival`` (minutes)
    are moved to the next day; pass ``arrival=None`` for the arrival itself."""
    minutes = cells.clock / 60.0
    if arrival is not None:
        minutes = np.where(minutes < arrival - WRAP_MINUTES, minutes + MINUTES_PER_DAY, minutes)
    has_stamp = cells.stamp.notna().to_numpy()
    offset = ((cells.stamp - midnight) / pd.Timedelta(minutes=1)).to_numpy(dtype=float,
                                                                          na_value=np.nan)
    minutes = np.where(has_stamp, offset, minutes)
    unplaced = has_stamp & np.isnan(offset)
    return minutes, unplaced


@dataclass
class Dates:
    """A column of contact dates: ``label`` (``YYYY-MM-DD`` or ``day-<n>``), ``midnight``
    (NaT for a ``day-<n>`` label), ``weekday`` (-1 for a label) and ``bad`` cells."""

    label: pd.Series
    midnight: pd.Series
    weekday: np.ndarray
    bad: np.ndarray


def read_dates(text: pd.Series) -> Dates:
    """Parse contact dates: ``YYMMDD`` (the Technion files: ``990101``; two-digit years
    69-99 are 19xx, 00-68 are 20xx), ``YYYYMMDD``, ``YYYY-MM-DD`` (a time after it is
    ignored), or the label ``day-<n>`` of a log without dates. Empty cells are bad."""
    labels, midnights = {}, {}
    for value in pd.unique(text):
        label, midnight = _date(value)
        labels[value], midnights[value] = label, midnight
    label = text.map(labels)
    midnight = text.map(midnights).astype("datetime64[ns]")
    bad = label.isna().to_numpy()
    weekday = np.where(midnight.notna(), midnight.dt.day_of_week.fillna(-1), -1).astype("int64")
    return Dates(label.fillna(""), midnight, weekday, bad)


def _date(value: str) -> tuple[str | None, pd.Timestamp]:
    if DAY_LABEL.match(value):
        return value, pd.NaT
    try:
        if re.fullmatch(r"\d{6}", value):
            day = pd.Timestamp(pd.to_datetime(value, format="%y%m%d"))
        elif re.fullmatch(r"\d{8}", value):
            day = pd.Timestamp(pd.to_datetime(value, format="%Y%m%d"))
        elif re.match(r"\d{4}-\d{2}-\d{2}", value):
            day = pd.Timestamp(value[:10])
        else:
            return None, pd.NaT
    except ValueError:
        return None, pd.NaT
    return day.strftime("%Y-%m-%d"), day.normalize()


def no_dates(index: pd.Index) -> Dates:
    """The one day of a log without dates: ``day-1``, no midnight, weekday -1."""
    n = len(index)
    return Dates(pd.Series(NO_DATE, index=index, dtype=str),
                 pd.Series(pd.NaT, index=index, dtype="datetime64[ns]"),
                 np.full(n, -1, dtype="int64"), np.zeros(n, dtype=bool))


def read_whole_numbers(text: pd.Series, default: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Whole numbers (``2``, ``2.0``), ``default`` for empty cells, and the mask of cells
    that are not whole numbers."""
    values = pd.to_numeric(text.where(text != ""), errors="coerce").to_numpy(dtype=float)
    empty = (text == "").to_numpy()
    whole = np.isfinite(values) & (values == np.round(values))
    bad = ~empty & ~whole
    return np.where(whole, values, default).astype("int64"), bad


def read_numbers(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Finite numbers (NaN for empty cells) and the mask of cells that are not numbers."""
    values = pd.to_numeric(text.where(text != ""), errors="coerce").to_numpy(dtype=float)
    empty = (text == "").to_numpy()
    bad = ~empty & ~np.isfinite(values)
    return np.where(bad, np.nan, values), bad
