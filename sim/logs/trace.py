"""Reading this simulator's own ``trace.csv`` (``run.trace=true``) as a contact log.

The trace has two lines per visit to a channel (``sim.engine.journey``): ``arrive`` when
the customer reaches the channel, then the visit's outcome when it ends, each with the
minute since the scenario's opening hour (``time_minutes``) and the visit's wait in
queue (``wait_minutes``). Each visit becomes one contact:

- ``contact_id`` ``<customer>-<n>`` (the customer's n-th visit), ``customer``
  ``<replication>-<customer>`` (customer numbers restart in each replication), ``date``
  ``day-<replication + 1>``, ``type`` the transaction, ``channel`` the channel; no agent,
  priority 0.
- times: minutes since midnight, i.e. ``60 * open_hour`` plus the trace's minutes.
- ``served`` and ``failed`` (a server did the work, the transaction failed):
  ``service_end`` the outcome's time, ``wait`` the trace's wait. ``abandoned``:
  ``queue_exit`` the outcome's time, ``queue_entry`` that minus the wait. ``served_ivr``
  is ``ivr``, ``deflected`` (the IVR's offer taken) ``deflected``, ``balked`` ``balked``:
  ``ivr_exit`` the outcome's time.
- ``ivr_exit`` of a visit that queued is its queue entry: the engine joins the queue the
  moment the IVR ends (on a channel without an IVR that is the arrival, a zero IVR time:
  the trace does not say whether a channel has one).

An ``in_progress`` visit (still under way when the run ended) keeps its queue entry and,
if its service had started, its service start (= its queue exit); its ends are unknown.

What the trace lacks: a served visit's queue entry and service start (so its
``queue_entry``, ``queue_exit``, ``service_start``, ``ivr_exit`` and ``service`` are NaN;
only ``wait`` is known) and who served it. Columns ``queue_entry`` and ``service_start``
(minutes since opening, on the outcome line), when a trace has them, fill these in.

Quality counts visits (an arrive line and its outcome line), not lines: a visit with only
one of them (e.g. customers still in the system when the run ended) is ``incomplete``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.logs.csvfile import RawTable, log_error
from sim.logs.layouts import SIMULATOR_CODES
from sim.logs.parsing import read_numbers, read_whole_numbers
from sim.logs.quality import Candidates
from sim.logs.table import ENDED_IN_IVR, SERVED, TIME_COLUMNS

ARRIVE = "arrive"
EVENTS = SIMULATOR_CODES
# each field and the header names it may have, the first the simulator's own
COLUMNS = {"replication": ("replication",), "customer": ("customer",), "channel": ("channel",),
           "event": ("event",), "time": ("time_minutes", "time"),
           "wait": ("wait_minutes", "wait"), "type": ("transaction",),
           "queue_entry": ("queue_entry", "queue_entry_minutes"),
           "service_start": ("service_start", "service_start_minutes")}
REQUIRED = ("replication", "customer", "channel", "event", "time", "wait")
EXAMPLES = 5
NOISE_MINUTES = 1e-9  # float error in time - wait, well below a second


def read_trace(raw: RawTable, open_hour: int) -> Candidates:
    """The visits of a trace as candidate contacts (module docstring), times moved to
    minutes since midnight with the scenario's ``open_hour``."""
    headers = {}
    for key, names in COLUMNS.items():
        header = next((h for h in map(raw.find, names) if h is not None), None)
        if header is not None:
            headers[key] = header
        elif key in REQUIRED:
            raise log_error(raw.file, f"no column {names[0]!r} (a trace.csv has "
                            "replication, customer, segment, transaction, channel, event, "
                            f"time_minutes, wait_minutes); the header has: {raw.header_text()}")
    lines, unreadable = _lines(raw, headers, open_hour)
    keyed = lines[~lines["bad_key"]]
    keyed = keyed.sort_values(["replication", "customer"], kind="stable")
    keyed = keyed.assign(visit=keyed.groupby(["replication", "customer", "arrive"]).cumcount())
    arrive, leave = keyed[keyed["arrive"]], keyed[~keyed["arrive"]]
    visits = arrive.merge(leave, on=["replication", "customer", "visit"], how="outer",
                          suffixes=("", "_out"), sort=False)
    orphans = lines[lines["bad_key"]]
    # a visit is numbered by its arrive line: so are the unreadable cells of its outcome line
    paired = visits[visits["row"].notna() & visits["row_out"].notna()]
    visit_row = dict(zip(paired["row_out"].astype("int64"), paired["row"].astype("int64")))
    unreadable = [(int(visit_row.get(row, row)), text) for row, text in unreadable]
    frame = _contacts(visits)
    if len(orphans):
        frame = pd.concat([frame, _unkeyed(orphans)], ignore_index=True)
    frame = frame.sort_values("row", kind="stable").reset_index(drop=True)
    rows = frame.pop("row").to_numpy(dtype="int64")
    flags = {"unparseable": frame.pop("bad").to_numpy(dtype=bool),
             "incomplete": frame.pop("incomplete").to_numpy(dtype=bool),
             "unknown_outcomes": frame.pop("unknown").to_numpy(dtype=bool)}
    codes = frame.pop("code")
    return Candidates(frame, rows, flags, codes, unreadable)


def _lines(raw: RawTable, headers: dict[str, str], open_hour: int
           ) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """One parsed record per trace line; ``bad_key``: replication or customer unreadable,
    ``bad``: a time or wait unreadable."""
    cells, rows = raw.cells, raw.rows
    unreadable: list[tuple[int, str]] = []

    def note(key: str, mask: np.ndarray) -> None:
        column = cells[headers[key]]
        for row, value in zip(rows[mask][:EXAMPLES], column[mask][:EXAMPLES]):
            unreadable.append((int(row), f"row {row}: {headers[key]}={value!r}"))

    def number(key: str, required: bool) -> tuple[np.ndarray, np.ndarray]:
        if key not in headers:
            return np.full(len(cells), np.nan), np.zeros(len(cells), dtype=bool)
        values, bad = read_numbers(cells[headers[key]])
        if required:
            bad |= np.isnan(values)
        note(key, bad)
        return values + 60.0 * open_hour if key != "wait" else values, bad

    replication, bad_rep = read_whole_numbers(cells[headers["replication"]], default=-1)
    bad_rep |= (cells[headers["replication"]] == "").to_numpy()
    bad_customer = (cells[headers["customer"]] == "").to_numpy()
    note("replication", bad_rep)
    note("customer", bad_customer)
    time, bad_time = number("time", required=True)
    wait, bad_wait = number("wait", required=False)
    queue_entry, bad_entry = number("queue_entry", required=False)
    service_start, bad_start = number("service_start", required=False)
    event = cells[headers["event"]]
    transaction = cells[headers["type"]] if "type" in headers else pd.Series("", index=cells.index)
    lines = pd.DataFrame({
        "row": rows, "replication": replication, "customer": cells[headers["customer"]],
        "channel": cells[headers["channel"]], "type": transaction.replace("", "all"),
        "event": event, "arrive": (event == ARRIVE).to_numpy(), "time": time, "wait": wait,
        "queue_entry": queue_entry, "service_start": service_start,
        "bad_key": bad_rep | bad_customer, "bad": bad_time | bad_wait | bad_entry | bad_start})
    return lines, unreadable


def _contacts(visits: pd.DataFrame) -> pd.DataFrame:
    """One candidate contact per paired visit (``arrive`` columns, then ``*_out``)."""
    has_in, has_out = visits["row"].notna(), visits["row_out"].notna()
    outcome = visits["event_out"].map(EVENTS)
    code = visits["event_out"].fillna("")
    customer = visits["replication"].astype("int64").astype(str) + "-" + visits["customer"]
    end = visits["time_out"]
    wait = visits["wait_out"]
    queue_entry = visits["queue_entry_out"]
    abandoned = outcome == "abandoned"
    left_at = (end - wait).where(~((end - wait < visits["time"])
                                   & (visits["time"] - (end - wait) < NOISE_MINUTES)),
                                 visits["time"])
    queue_entry = queue_entry.where(~(abandoned & queue_entry.isna()), left_at)
    served = outcome.isin(SERVED)
    started = served | (outcome == "in_progress")  # an in_progress row may be in service
    before_queue = outcome.isin((*ENDED_IN_IVR, "balked"))
    frame = pd.DataFrame({
        "contact_id": visits["customer"] + "-" + (visits["visit"] + 1).astype("int64").astype(str),
        "date": "day-" + (visits["replication"].astype("int64") + 1).astype(str),
        "weekday": -1,
        "type": visits["type"].fillna(visits["type_out"]),
        "channel": visits["channel"].fillna(visits["channel_out"]),
        "customer": customer, "priority": 0, "agent": "",
        "arrival": visits["time"],
        "ivr_exit": end.where(before_queue, queue_entry),
        "queue_entry": queue_entry.where(~before_queue),
        "queue_exit": end.where(abandoned, visits["service_start_out"].where(started)),
        "service_start": visits["service_start_out"].where(started),
        "service_end": end.where(served),
        "outcome": outcome.fillna(""),
        "wait": wait.where(~before_queue),
        "row": visits["row"].fillna(visits["row_out"]).astype("int64"),
        "bad": visits["bad"].eq(True) | visits["bad_out"].eq(True),
        "incomplete": ~(has_in & has_out),
        "unknown": has_out & outcome.isna(),
        "code": code})
    return frame


def _unkeyed(lines: pd.DataFrame) -> pd.DataFrame:
    """Lines whose replication or customer cannot be read: each an unparseable contact."""
    n = len(lines)
    return pd.DataFrame({
        "contact_id": "", "date": "day-1", "weekday": np.full(n, -1), "type": "all",
        "channel": lines["channel"].to_numpy(), "customer": "", "priority": 0, "agent": "",
        **{name: np.full(n, np.nan) for name in TIME_COLUMNS}, "outcome": "",
        "wait": np.full(n, np.nan), "row": lines["row"].to_numpy(),
        "bad": np.ones(n, dtype=bool), "incomplete": np.zeros(n, dtype=bool),
        "unknown": np.zeros(n, dtype=bool), "code": ""})
