"""``read_log``: a contact log in one of the known layouts -> the normalized table and its
data-quality report (``ContactLog``).

    >>> from sim.logs import read_log
    >>> log = read_log("january.txt.gz", format="technion")
    >>> log.contacts.groupby("interval").size()       # arrivals per hour of the day
    >>> log.quality.as_dict()                          # what was excluded, and why

The columns of the table and the meaning of each outcome are in ``sim.logs.table``; the
layouts, their default column names and codes in ``sim.logs.layouts``; a trace in
``sim.logs.trace``. How a row's times are completed where a layout leaves them implicit
(``complete_times``): a contact that queued (served, abandoned, no-show) without a queue
entry joined the queue on leaving the IVR, or on arrival when there is no IVR time; a
served contact without a service start was served on leaving the queue, and without a
queue exit left the queue when its service started.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Optional, Union

import numpy as np
import pandas as pd

from sim.logs.csvfile import RawTable, log_error, read_table
from sim.logs.layouts import FIELDS, FORMATS, HANG, LAYOUTS, Layout
from sim.logs.parsing import (
    Dates,
    minutes_of,
    no_dates,
    read_dates,
    read_numbers,
    read_times,
    read_whole_numbers,
)
from sim.logs.quality import Candidates, screen
from sim.logs.table import (
    OUTCOMES,
    PHANTOM,
    PROBLEMS,
    SERVED,
    TIME_COLUMNS,
    ContactLog,
    finish_table,
)
from sim.logs.trace import read_trace
from sim.scenario import MINUTES_PER_DAY
from sim.validate import ScenarioError, require

EXAMPLES_PER_FIELD = 5
QUEUED = (*SERVED, "abandoned", "no_show")  # outcomes of contacts that joined the queue


def read_log(path: Union[str, Path], format: str = "contacts",
             columns: Optional[Mapping[str, str]] = None, interval_minutes: int = 60, *,
             open_hour: int = 0, outcome_codes: Optional[Mapping[str, str]] = None,
             config: str = "fit") -> ContactLog:
    """Read a contact log (CSV, or gzip of one) into the normalized table.

    ``format``: ``contacts``, ``technion``, ``tickets`` (``sim.logs.layouts``) or ``trace``
    (this simulator's ``trace.csv``, ``sim.logs.trace``; ``open_hour`` is the scenario's
    opening hour, which its times count from). ``columns`` maps fields of the table to the
    file's column names, over the layout's defaults. ``interval_minutes`` sets the
    ``interval`` column (it must divide a day). ``outcome_codes`` adds codes to the
    layout's vocabulary, e.g. ``{"ABN": "abandoned"}`` (targets: ``OUTCOMES`` or
    ``phantom``).

    Rows with a problem are left out of ``contacts`` and counted in ``quality``
    (``sim.logs.table.DataQuality``). Raises ScenarioError naming ``fit.log`` and the file
    when it cannot be read at all (missing, not CSV, a required column missing, no usable
    row), and naming the argument for a bad format, column key or code; ``config`` names
    the settings node of those paths (``compare.log`` for ``python -m sim.compare``).
    """
    try:
        return _read_log(path, format, columns, interval_minutes, open_hour, outcome_codes)
    except ScenarioError as error:
        raise error.under(config, "fit") from None


def _read_log(path: Union[str, Path], format: str, columns: Optional[Mapping[str, str]],
              interval_minutes: int, open_hour: int,
              outcome_codes: Optional[Mapping[str, str]]) -> ContactLog:
    require(format in FORMATS, "fit.format", format, f"must be one of {', '.join(FORMATS)}")
    require(isinstance(interval_minutes, int) and 0 < interval_minutes <= MINUTES_PER_DAY
            and MINUTES_PER_DAY % interval_minutes == 0, "fit.interval_minutes", interval_minutes,
            "must be a whole number of minutes that divides a day (15, 30, 60, ...)")
    require(isinstance(open_hour, int) and 0 <= open_hour <= 23, "fit.open_hour", open_hour,
            "must be a whole hour from 0 to 23")
    codes = _outcome_codes(outcome_codes)
    raw = read_table(path)
    if format == "trace":
        candidates = read_trace(raw, open_hour)
    else:
        candidates = read_layout(raw, LAYOUTS[format], columns, codes)
    usable, quality = screen(candidates, raw.name)
    if quality.rows_used == 0:
        counts = ", ".join(f"{name.replace('_', ' ')} {getattr(quality, name)}"
                           for name in PROBLEMS if getattr(quality, name))
        raise log_error(raw.file, f"no usable row: {quality.rows_read} rows read, all excluded "
                        f"({counts}); first at fault: row {min(candidates.rows)}")
    return ContactLog(finish_table(usable, interval_minutes), quality, raw.name)


def _outcome_codes(extra: Optional[Mapping[str, str]]) -> dict[str, str]:
    targets = (*OUTCOMES, PHANTOM)
    for code, target in (extra or {}).items():
        require(target in targets, f"fit.outcome_codes.{code}", target,
                f"must be one of {', '.join(targets)}")
    return {str(code).strip().lower(): target for code, target in (extra or {}).items()}


def resolve_columns(raw: RawTable, layout: Layout, columns: Optional[Mapping[str, str]]
                    ) -> dict[str, str]:
    """The file's header for each field present: the layout's default column name or the
    one ``columns`` gives. A required field's column, or one named in ``columns``, that the
    file lacks is a ScenarioError naming ``fit.log``; an unknown key names
    ``fit.columns.<key>``."""
    wanted = dict(layout.columns)
    for key, name in (columns or {}).items():
        require(key in FIELDS, f"fit.columns.{key}", name,
                f"not a field of a contact log (fields: {', '.join(FIELDS)})")
        wanted[key] = name
    found = {}
    for key, name in wanted.items():
        header = raw.find(name)
        if header is not None:
            found[key] = header
        elif key in layout.required or key in (columns or {}):
            raise log_error(raw.file, f"no column {name!r} for the {key} (the {layout.name} "
                            f"layout; fit.columns.{key} names another); the header has: "
                            f"{raw.header_text()}")
    return found


def read_layout(raw: RawTable, layout: Layout, columns: Optional[Mapping[str, str]],
                extra_codes: Mapping[str, str]) -> Candidates:
    """Parse every row of a file in ``layout`` into candidate contacts, flagging unreadable
    cells, unknown and phantom outcome codes (``screen`` does the rest)."""
    headers = resolve_columns(raw, layout, columns)
    cells, rows, n = raw.cells, raw.rows, len(raw.cells)
    bad = np.zeros(n, dtype=bool)
    unreadable: list[tuple[int, str]] = []

    def note(key: str, mask: np.ndarray) -> None:
        nonlocal bad
        bad |= mask
        column = headers.get(key, key)
        values = cells[column] if column in cells else pd.Series("", index=cells.index)
        for row, value in zip(rows[mask][:EXAMPLES_PER_FIELD], values[mask][:EXAMPLES_PER_FIELD]):
            unreadable.append((int(row), f"row {row}: {column}={value!r}"))

    def text(key: str, default: str = "") -> pd.Series:
        return cells[headers[key]] if key in headers else pd.Series(default, index=cells.index,
                                                                     dtype=str)

    arrival_cells = read_times(text("arrival"))
    if "date" in headers:
        dates = read_dates(text("date"))
        note("date", dates.bad)
    else:
        dates = _dates_of_stamps(arrival_cells.stamp)
    arrival, unplaced = minutes_of(arrival_cells, dates.midnight, None)
    note("arrival", arrival_cells.bad | arrival_cells.missing | unplaced)
    frame = pd.DataFrame({"contact_id": text("contact_id") if "contact_id" in headers
                          else pd.Series(rows.astype(str), index=cells.index),
                          "date": dates.label, "weekday": dates.weekday}, index=cells.index)
    if "contact_id" in headers:
        note("contact_id", (frame["contact_id"] == "").to_numpy())
    frame["type"] = text("type").replace("", "all")
    frame["channel"] = text("channel").replace("", layout.channel)
    frame["customer"] = text("customer").where(~text("customer").isin(layout.none_customers), "")
    priority, bad_priority = read_whole_numbers(text("priority"))
    note("priority", bad_priority)
    frame["priority"] = priority
    frame["agent"] = text("agent").where(~text("agent").isin(layout.none_agents), "")
    frame["arrival"] = arrival
    for key in TIME_COLUMNS[1:]:
        if key not in headers:
            frame[key] = np.nan
            continue
        time_cells = read_times(text(key), layout.none_times)
        frame[key], unplaced = minutes_of(time_cells, dates.midnight, arrival)
        note(key, time_cells.bad | unplaced)
    codes = text("outcome")
    outcome = codes.str.lower().map({**layout.codes, **extra_codes})
    if layout.queue_seconds is not None:
        outcome = _split_hang(outcome, frame["queue_entry"], raw, layout.queue_seconds)
    frame["outcome"] = outcome.fillna("")
    complete_times(frame)
    flags = {"phantom": (outcome == PHANTOM).to_numpy(), "unparseable": bad,
             "unknown_outcomes": outcome.isna().to_numpy()}
    return Candidates(frame.reset_index(drop=True), rows, flags, codes.reset_index(drop=True),
                      unreadable)


def _dates_of_stamps(stamp: pd.Series) -> Dates:
    """Dates of a file without a date column: the arrival's date where it is a timestamp,
    the one day ``day-1`` where it is a clock time."""
    dates = no_dates(stamp.index)
    has = stamp.notna()
    if has.any():
        midnight = stamp.dt.normalize()
        dates.label = dates.label.where(~has, midnight.dt.strftime("%Y-%m-%d"))
        dates.midnight = midnight
        dates.weekday = np.where(has, midnight.dt.day_of_week.fillna(-1), -1).astype("int64")
    return dates


def _split_hang(outcome: pd.Series, queue_entry: pd.Series, raw: RawTable, seconds_column: str
                ) -> pd.Series:
    """Technion's HANG: abandoned if the call reached the queue (a queue entry, or seconds
    in queue above zero), otherwise ended in the IVR."""
    queued = queue_entry.notna().to_numpy().copy()
    header = raw.find(seconds_column)
    if header is not None:
        seconds, _ = read_numbers(raw.cells[header])
        queued |= np.nan_to_num(seconds) > 0
    hang = (outcome == HANG).to_numpy()
    out = outcome.copy()
    out[hang & queued] = "abandoned"
    out[hang & ~queued] = "ivr"
    return out


def complete_times(frame: pd.DataFrame) -> None:
    """Fill the times a layout leaves implicit (module docstring), in place: the queue
    entry of a contact that queued, the service start and queue exit of a served one."""
    queued = frame["outcome"].isin(QUEUED)
    entry = frame["queue_entry"]
    fill = frame["ivr_exit"].where(frame["ivr_exit"].notna(), frame["arrival"])
    frame["queue_entry"] = entry.where(~(queued & entry.isna()), fill)
    served = frame["outcome"].isin(SERVED)
    start, leave = frame["service_start"], frame["queue_exit"]
    frame["service_start"] = start.where(~(served & start.isna()), leave)
    frame["queue_exit"] = leave.where(~(served & leave.isna()), frame["service_start"])
