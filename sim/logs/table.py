"""The normalized contact table every reader produces, and the data-quality report beside it.

One row per usable contact (a call, a ticket, a visit to a channel), whatever the export
it came from. Columns, in this order:

==============  =======  ===============================================================
column          dtype    meaning
==============  =======  ===============================================================
contact_id      str      the export's id of the contact; unique within its ``date``
                         (``(date, contact_id)`` is the key: call ids repeat over a year)
date            str      ``YYYY-MM-DD``; a log without dates is one day, ``day-1``; a
                         trace's replication r is the day ``day-<r+1>``
weekday         int      0 = Monday .. 6 = Sunday; -1 for a ``day-<n>`` label
type            str      the contact (service, transaction) type; ``all`` when absent
channel         str      where it happened; the layout's default when the log has no
                         channel column (``hotline`` for calls, ``counter`` for tickets)
customer        str      the caller's or customer's id; ``""`` when unknown
priority        int      the priority class; 0 when absent
agent           str      who served it (agent, counter); ``""`` when nobody did
arrival         float    minutes since midnight of ``date``: the contact arrived (call
                         entered the IVR, ticket issued)
ivr_exit        float    left the IVR (or self-service stage before the queue)
queue_entry     float    joined the queue
queue_exit      float    left the queue: answered, called, or gave up
service_start   float    an agent or server started serving
service_end     float    the service ended
outcome         str      one of OUTCOMES (below)
wait            float    minutes in queue: ``queue_exit - queue_entry`` (a trace gives it
                         directly)
service         float    minutes of service: ``service_end - service_start``
interval        int      the arrival's interval of the day, ``arrival // interval_minutes``
==============  =======  ===============================================================

Every time is in minutes since midnight of the contact's ``date`` (a float, to the
second in files that carry seconds), NaN where the log does not say. A clock time more
than 12 hours earlier than the arrival belongs to the next day (a call that crosses
midnight), so times after midnight read as 1440 and more.

Outcomes:

- ``served``: served by an agent or server.
- ``failed``: served, but the transaction did not succeed (a trace's ``failed``: a
  server, or the online channel, did the work and the customer is not done). Counted
  with ``served`` wherever work is measured (``SERVED``), not as a completed transaction.
- ``abandoned``: joined the queue and left it before being served.
- ``ivr``: ended in the IVR or self-service stage without queueing (completed there, or
  hung up there: an ACD export does not tell them apart; a trace's ``served_ivr``).
- ``deflected``: left the IVR taking its offer to go online (a trace's ``deflected``);
  with ``ivr`` wherever the IVR stage is measured (``ENDED_IN_IVR``).
- ``no_show``: a queue ticket that was called when its customer had gone.
- ``balked``: left on arrival without joining the queue (a trace's ``balked``, or the
  code ``balked`` in a contacts file).
- ``in_progress``: (a trace) still in the IVR, the queue or service when the run ended:
  an arrival whose end the log does not hold (counted among arrivals, nowhere else).

Rows that are not usable (see ``DataQuality``) are not in the table, and their number is
in the report: ``rows_read == rows_used + excluded``. What remains holds these
invariants: a known ``arrival``; no time before the arrival; no stage ending before it
starts (``wait >= 0``, ``service >= 0``); no service starting before the queue exit; one
row per ``(date, contact_id)``. Rows are sorted by day, arrival and id, the index is
0..n-1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

TIME_COLUMNS = ("arrival", "ivr_exit", "queue_entry", "queue_exit", "service_start",
                "service_end")
TEXT_COLUMNS = ("contact_id", "date", "type", "channel", "customer", "agent", "outcome")
COLUMNS = ("contact_id", "date", "weekday", "type", "channel", "customer", "priority", "agent",
           *TIME_COLUMNS, "outcome", "wait", "service", "interval")
OUTCOMES = ("served", "failed", "abandoned", "ivr", "deflected", "no_show", "balked",
            "in_progress")
SERVED = ("served", "failed")  # an agent or server did the work
ENDED_IN_IVR = ("ivr", "deflected")  # left in the IVR stage, without queueing
GAVE_UP = ("abandoned", "no_show")  # left the queue before service
COMPLETED = ("served", "ivr")  # a transaction done on the channel (calibration's shares)
PHANTOM = "phantom"  # a decoded outcome that is not a contact: counted, then excluded
NO_DATE = "day-1"  # the one day of a log without dates

# the problems a row can have, in the order a row with several is counted (by its first)
PROBLEMS = ("phantom", "unparseable", "unknown_outcomes", "incomplete", "negative_durations",
            "service_before_queue_exit", "duplicate_ids")
FIRST_ROWS_KEPT = 5  # rows named per problem in the report


@dataclass(frozen=True)
class DataQuality:
    """What reading a log found wrong, row by row: every row read is either used or counted
    under exactly one problem (its first in ``PROBLEMS`` order), never dropped unseen.

    - ``phantom``: rows the export itself marks as not a contact (Technion ``PHANTOM``).
    - ``unparseable``: a time, date, number or id that cannot be read, or a required one
      (the arrival, the id) that is empty; ``unparseable_values`` shows the first few.
    - ``unknown_outcomes``: an outcome code outside the layout's vocabulary;
      ``unknown_outcome_codes`` counts each code seen (never guessed).
    - ``incomplete``: (a trace) a visit whose arrival or outcome line is missing, e.g.
      customers still queueing when the run ended.
    - ``negative_durations``: some end before its start: a time before the arrival, the
      queue joined before the IVR was left, the queue or the service ending before it began.
    - ``service_before_queue_exit``: service started before the contact left the queue.
    - ``duplicate_ids``: a second row with the ``(date, contact_id)`` of an earlier one
      (the first is kept).

    ``first_rows`` names, per problem, the first few rows at fault, numbered as in a
    spreadsheet (the header is row 1; for a trace, the visit's arrive line).
    """

    source: str
    rows_read: int
    rows_used: int
    phantom: int = 0
    unparseable: int = 0
    unknown_outcomes: int = 0
    incomplete: int = 0
    negative_durations: int = 0
    service_before_queue_exit: int = 0
    duplicate_ids: int = 0
    unknown_outcome_codes: dict[str, int] = field(default_factory=dict)
    unparseable_values: list[str] = field(default_factory=list)
    first_rows: dict[str, list[int]] = field(default_factory=dict)

    @property
    def excluded(self) -> int:
        """Rows read but not in the table: the sum of the problem counts."""
        return sum(getattr(self, name) for name in PROBLEMS)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (``fit.json``'s data-quality section): the counts,
        ``excluded``, the unknown codes with their counts, the unreadable values and the
        first rows at fault per problem."""
        return {"source": self.source, "rows_read": self.rows_read, "rows_used": self.rows_used,
                "excluded": self.excluded, **{name: getattr(self, name) for name in PROBLEMS},
                "unknown_outcome_codes": dict(self.unknown_outcome_codes),
                "unparseable_values": list(self.unparseable_values),
                "first_rows": {k: list(v) for k, v in self.first_rows.items()}}

    def summary_line(self) -> str:
        """One line for a console: ``2291 of 2300 rows used; excluded: phantom 4, ...``."""
        parts = [f"{name.replace('_', ' ')} {getattr(self, name)}" for name in PROBLEMS
                 if getattr(self, name)]
        return (f"{self.rows_used} of {self.rows_read} rows used"
                + (f"; excluded: {', '.join(parts)}" if parts else ""))


@dataclass
class ContactLog:
    """A contact log read into the normalized table (``contacts``, columns in this module's
    docstring), with its data-quality report and the file it came from (``source``, the
    file's name, for messages)."""

    contacts: pd.DataFrame
    quality: DataQuality
    source: str


def day_order(dates: pd.Series) -> pd.Series:
    """A sort key for ``date`` labels: calendar dates in order, ``day-<n>`` by n (before
    calendar dates)."""
    labels = pd.unique(dates)
    keys = {}
    for label in labels:
        if label.startswith("day-"):
            keys[label] = int(label[4:])
        else:
            keys[label] = pd.Timestamp(label).toordinal()
    return dates.map(keys)


def finish_table(frame: pd.DataFrame, interval_minutes: int) -> pd.DataFrame:
    """The usable rows of a reader as the normalized table: ``wait`` (unless the reader
    gave it), ``service`` and ``interval`` derived, columns in ``COLUMNS`` order with their
    dtypes, sorted by day, arrival and id, index 0..n-1."""
    out = frame.copy()
    if "wait" not in out:
        out["wait"] = out["queue_exit"] - out["queue_entry"]
    out["service"] = out["service_end"] - out["service_start"]
    out["interval"] = (out["arrival"] // interval_minutes).astype("int64")
    for name in TIME_COLUMNS + ("wait", "service"):
        out[name] = out[name].astype("float64")
    for name in TEXT_COLUMNS:
        out[name] = out[name].astype(str)
    out["weekday"] = out["weekday"].astype("int64")
    out["priority"] = out["priority"].astype("int64")
    out["_day"] = day_order(out["date"])
    out = out.sort_values(["_day", "arrival", "contact_id"], kind="stable")
    return out[list(COLUMNS)].reset_index(drop=True)
