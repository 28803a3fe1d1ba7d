"""Writing a normalized contact table back as an export: the ``contacts`` and ``technion``
layouts, so that ``read_log`` gives the same table again.

The exports carry whole seconds, so times are rounded to the second: a table read from
such a file round-trips exactly; a simulated one (float minutes) comes back to the
second. A path ending in ``.gz`` is gzipped. What a layout cannot hold:

- ``contacts``: nothing is lost; clock times ``H:MM:SS`` with the date in its own column
  (hours past 23 for times after midnight of the contact's day).
- ``technion`` (tab separated, like the public monthly files): no channel column (it
  reads back as ``hotline``), clock times within the day (a time after midnight reads
  back through the 12-hour rule), ``0:00:00`` for no time, ``NO_SERVER`` for no agent,
  customer ``0`` for none; dates ``YYMMDD`` (``YYYYMMDD`` outside 1969-2068), no date
  column for a one-day table ``day-1``. ``served`` (and ``failed``, which that layout
  cannot tell apart) is ``AGENT``, ``abandoned``, ``ivr`` and ``deflected`` are ``HANG``
  (with and without a queue entry), so ``failed`` reads back as served and ``deflected``
  as ivr; ``balked``, ``no_show`` and ``in_progress`` have no code there (ValueError).

A served contact whose queue entry is unknown (a trace without ``queue_entry``) reads
back with one: the readers' completion rule (``sim.logs.readers``) fills it in.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Union

import numpy as np
import pandas as pd

from sim.io import write_bytes_atomic
from sim.logs.table import NO_DATE, TIME_COLUMNS

SECONDS_PER_DAY = 24 * 3600
CONTACTS_COLUMNS = ("contact_id", "date", "type", "channel", "customer", "priority", "agent",
                    *TIME_COLUMNS, "outcome")
TECHNION_OUTCOMES = {"served": "AGENT", "failed": "AGENT", "abandoned": "HANG", "ivr": "HANG",
                     "deflected": "HANG"}
TECHNION_NONE = "0:00:00"


def clock_text(minutes: pd.Series, within_day: bool = False, none: str = "") -> pd.Series:
    """Minutes since midnight as ``H:MM:SS`` (rounded to the second; ``within_day`` folds
    times after midnight back into 0-24 h), ``none`` where the time is NaN."""
    seconds = np.round(minutes.to_numpy(dtype=float) * 60.0)
    known = np.isfinite(seconds)
    whole = np.where(known, seconds, 0).astype("int64")
    if within_day:
        whole = whole % SECONDS_PER_DAY
    hours = pd.Series(whole // 3600, index=minutes.index).astype(str)
    mins = pd.Series(whole % 3600 // 60, index=minutes.index).astype(str).str.zfill(2)
    secs = pd.Series(whole % 60, index=minutes.index).astype(str).str.zfill(2)
    return (hours + ":" + mins + ":" + secs).where(known, none)


def write_contacts(frame: pd.DataFrame, path: Union[str, Path]) -> None:
    """Write a normalized table (``sim.logs.table``) in the ``contacts`` layout: every
    field under its own name, times as clock times with a date column."""
    out = pd.DataFrame({name: frame[name] for name in CONTACTS_COLUMNS})
    for name in TIME_COLUMNS:
        out[name] = clock_text(frame[name])
    _write(out, Path(path), ",")


def write_technion(frame: pd.DataFrame, path: Union[str, Path]) -> None:
    """Write a normalized table in the Technion "Anonymous Bank" layout (module
    docstring): the 17 columns, clock times, the durations in whole seconds."""
    cannot = sorted(set(frame["outcome"]) - set(TECHNION_OUTCOMES))
    if cannot:
        raise ValueError(f"the technion layout has no outcome code for {', '.join(cannot)}")
    times = {name: frame[name] for name in TIME_COLUMNS}
    seconds = {name: np.round(t.to_numpy(dtype=float) * 60.0) for name, t in times.items()}

    def clock(name: str) -> pd.Series:
        return clock_text(times[name], within_day=True, none=TECHNION_NONE)

    def duration(start: str, end: str) -> np.ndarray:
        span = seconds[end] - seconds[start]
        return np.where(np.isfinite(span), span, 0).astype("int64")

    out = pd.DataFrame({"vru+line": "", "call_id": frame["contact_id"],
                        "customer_id": frame["customer"].replace("", "0"),
                        "priority": frame["priority"], "type": frame["type"]})
    dates = _technion_dates(frame["date"])
    if dates is not None:
        out["date"] = dates
    out["vru_entry"] = clock_text(times["arrival"], within_day=True)
    out["vru_exit"] = clock("ivr_exit")
    out["vru_time"] = duration("arrival", "ivr_exit")
    out["q_start"] = clock("queue_entry")
    out["q_exit"] = clock("queue_exit")
    out["q_time"] = duration("queue_entry", "queue_exit")
    out["outcome"] = frame["outcome"].map(TECHNION_OUTCOMES)
    out["ser_start"] = clock("service_start")
    out["ser_exit"] = clock("service_end")
    out["ser_time"] = duration("service_start", "service_end")
    out["server"] = frame["agent"].replace("", "NO_SERVER")
    _write(out, Path(path), "\t")


def _technion_dates(dates: pd.Series) -> pd.Series | None:
    """``YYMMDD`` for calendar dates (``YYYYMMDD`` outside 1969-2068), labels as they are;
    None (no column) for a table whose only day is ``day-1``."""
    labels = pd.unique(dates)
    if list(labels) == [NO_DATE]:
        return None
    text = {}
    for label in labels:
        if label.startswith("day-"):
            text[label] = label
        else:
            day = pd.Timestamp(label)
            text[label] = day.strftime("%y%m%d" if 1969 <= day.year <= 2068 else "%Y%m%d")
    return dates.map(text)


def _write(out: pd.DataFrame, path: Path, separator: str) -> None:
    data = out.to_csv(index=False, sep=separator, lineterminator="\n").encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    write_bytes_atomic(path, data)
