"""The column layouts of the exports ``read_log`` knows, and their outcome codes.

A layout maps each field of the normalized table (``sim.logs.table``) to the file's
column that holds it; ``columns=`` overrides any of these (names match up to case and
surrounding spaces; two fields may share one column). Fields a layout does not require
may be absent from the file.

Times, in every layout: clock times ``H:MM:SS`` or ``HH:MM`` (fractions of a second
allowed) on the day of the ``date`` column, or on the one day ``day-1`` of a log without
dates; or ISO 8601 timestamps (``2024-03-04T08:15:00``, ``2024-03-04 08:15``), whose
arrival gives the contact's date when there is no date column (a time zone, if written,
is dropped: the wall-clock time is kept). Dates: ``YYYY-MM-DD``, ``YYYYMMDD``, ``YYMMDD``
(two-digit years 69-99 are 19xx, 00-68 are 20xx) or a ``day-<n>`` label.

``contacts`` (one row per contact, e.g. an ACD's call records): every field under its own
name: ``contact_id, date, type, channel, customer, priority, agent, arrival, ivr_exit,
queue_entry, queue_exit, service_start, service_end, outcome``; ``arrival`` and
``outcome`` required. No ``contact_id`` column: the row number is the id. No channel:
``hotline``. Outcome codes (``OUTCOME_CODES``; case and surrounding spaces ignored):
``served``, ``answered``, ``agent`` -> served; ``abandoned``, ``abandon``, ``hang_up`` ->
abandoned; ``ivr``, ``self_service``, ``served_ivr`` -> ivr; ``no_show``, ``noshow``,
``no-show`` -> no_show; ``balked``, ``balk`` -> balked; ``failed``, ``deflected`` and
``in_progress`` as themselves (``sim.logs.table``). Any other code is counted as unknown, never
guessed; ``read_log(outcome_codes=...)`` adds codes.

``technion``: the public "Anonymous Bank" call-centre data of the Technion (Guedj and
Mandelbaum; Brown et al., JASA 2005), tab or comma separated: ``vru+line, call_id,
customer_id, priority, type, date, vru_entry, vru_exit, vru_time, q_start, q_exit, q_time,
outcome, ser_start, ser_exit, ser_time, server``. ``call_id`` is the id, ``vru_entry`` the
arrival, ``vru_exit`` the IVR exit, ``q_start``/``q_exit`` the queue, ``ser_start``/
``ser_exit`` the service, ``server`` the agent (``NO_SERVER``: none), ``customer_id`` the
customer (``0``: not identified). ``customer_id``, ``priority``, ``type``, ``date``,
``server``, ``vru+line`` and the ``*_time`` columns may be absent; other columns are
ignored. Clock times ``H:MM:SS``; ``0:00:00`` means none (except for the arrival, where
it is midnight). Dates ``YYMMDD`` (``990101``). Outcomes: ``AGENT`` served; ``HANG``
abandoned if the call reached the queue (a ``q_start``, or ``q_time`` > 0), otherwise it
ended in the IVR (``ivr``); ``PHANTOM`` not a call (counted, excluded). Channel:
``hotline``.

``tickets`` (a branch's queue-management export): ``ticket`` the id, ``issued`` the
arrival and queue entry, ``called`` the queue exit and (when served) the service start,
``finished`` the service end, ``counter`` the agent, ``service`` the type, ``branch`` the
channel (``counter`` when absent), ``outcome`` (the contacts codes: ``served``, or
``no_show``: called, but the customer had gone; a no-show's wait runs to the call, and it
has no service start), ``date``, ``customer``, ``priority``; ``issued``, ``called``,
``finished`` and ``outcome`` required.

``transactions`` (a multichannel transaction log, one row per visit to a channel, e.g.
the operator's billing or CRM export, and what ``sim.calibration.fit.transaction_log``
writes from a trace): ``timestamp`` the arrival (an ISO 8601 timestamp, whose day is the
date), ``channel``, ``customer``, ``transaction_type`` the type, ``outcome`` in the
simulator's vocabulary (``served``, ``failed``, ``served_ivr`` -> ivr, ``deflected``,
``abandoned``, ``balked``) or the contacts codes; ``timestamp``, ``channel`` and
``outcome`` required. No queue or service times: good for channel shares
(``python -m sim.calibrate``), not for fitting a queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.logs.table import PHANTOM

FIELDS = ("contact_id", "date", "type", "channel", "customer", "priority", "agent", "arrival",
          "ivr_exit", "queue_entry", "queue_exit", "service_start", "service_end", "outcome")
HANG = "hang"  # Technion's HANG before the split into abandoned / ivr

# the contacts and tickets vocabulary (matched after lower-casing and trimming)
OUTCOME_CODES = {
    "served": "served", "answered": "served", "agent": "served",
    "abandoned": "abandoned", "abandon": "abandoned", "hang_up": "abandoned",
    "ivr": "ivr", "self_service": "ivr",
    "no_show": "no_show", "noshow": "no_show", "no-show": "no_show",
    "balked": "balked", "balk": "balked",
    "in_progress": "in_progress",  # not ended when the log was cut (a trace's horizon)
    "failed": "failed", "deflected": "deflected", "served_ivr": "ivr",  # the simulator's
}
# the simulator's events (trace.csv, and the transaction log of sim.calibration)
SIMULATOR_CODES = {"served": "served", "failed": "failed", "served_ivr": "ivr",
                   "deflected": "deflected", "abandoned": "abandoned", "balked": "balked",
                   "in_progress": "in_progress"}
TECHNION_CODES = {"agent": "served", "hang": HANG, "phantom": PHANTOM}


@dataclass(frozen=True)
class Layout:
    """One export's layout: the default column of each field, the fields a file must
    have, the outcome codes (lower case), the channel when the file has none, and the
    cell values that mean "none" for times, agents and customers."""

    name: str
    columns: dict[str, str]
    required: tuple[str, ...]
    codes: dict[str, str]
    channel: str
    none_times: frozenset[str] = frozenset()
    none_agents: frozenset[str] = frozenset()
    none_customers: frozenset[str] = frozenset()
    queue_seconds: str | None = None  # a column of seconds in queue that marks a queued call


CONTACTS = Layout("contacts", {name: name for name in FIELDS}, ("arrival", "outcome"),
                  OUTCOME_CODES, "hotline")

TECHNION = Layout(
    "technion",
    {"contact_id": "call_id", "customer": "customer_id", "priority": "priority", "type": "type",
     "date": "date", "arrival": "vru_entry", "ivr_exit": "vru_exit", "queue_entry": "q_start",
     "queue_exit": "q_exit", "outcome": "outcome", "service_start": "ser_start",
     "service_end": "ser_exit", "agent": "server"},
    ("contact_id", "arrival", "ivr_exit", "queue_entry", "queue_exit", "outcome",
     "service_start", "service_end"),
    TECHNION_CODES, "hotline",
    none_times=frozenset({"0:00:00", "00:00:00"}), none_agents=frozenset({"NO_SERVER"}),
    none_customers=frozenset({"0"}), queue_seconds="q_time")

TICKETS = Layout(
    "tickets",
    {"contact_id": "ticket", "arrival": "issued", "queue_exit": "called",
     "service_end": "finished", "agent": "counter", "type": "service", "outcome": "outcome",
     "channel": "branch", "date": "date", "customer": "customer", "priority": "priority"},
    ("arrival", "queue_exit", "service_end", "outcome"),
    OUTCOME_CODES, "counter")

TRANSACTIONS = Layout(
    "transactions",
    {"arrival": "timestamp", "customer": "customer", "channel": "channel",
     "type": "transaction_type", "outcome": "outcome", "contact_id": "id", "date": "date"},
    ("arrival", "channel", "outcome"), SIMULATOR_CODES | OUTCOME_CODES, "hotline")

LAYOUTS = {layout.name: layout for layout in (CONTACTS, TECHNION, TICKETS, TRANSACTIONS)}
FORMATS = (*LAYOUTS, "trace")
