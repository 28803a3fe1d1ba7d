"""Contact logs: operational exports (ACD call records, the Technion call-centre data,
branch queue tickets, this simulator's trace) read into one normalized table, with a
report of every problem found.

    >>> from sim.logs import read_log, write_technion
    >>> log = read_log("calls.csv.gz", format="technion")
    >>> log.contacts                  # one row per usable contact (columns: sim.logs.table)
    >>> log.quality.as_dict()         # rows read, used, and each problem's count
    >>> write_technion(log.contacts, "again.txt")   # reads back as the same table

Modules: ``table`` (the columns, outcomes, ``ContactLog`` and ``DataQuality``),
``layouts`` (the formats' columns and codes), ``readers`` (``read_log``), ``trace``
(``trace.csv``), ``csvfile`` (opening files), ``parsing`` (times and dates), ``quality``
(screening rows), ``writers`` (``write_contacts``, ``write_technion``).
"""

from sim.logs.layouts import FORMATS, OUTCOME_CODES
from sim.logs.readers import read_log
from sim.logs.table import COLUMNS, OUTCOMES, ContactLog, DataQuality
from sim.logs.writers import write_contacts, write_technion

__all__ = ["COLUMNS", "FORMATS", "OUTCOMES", "OUTCOME_CODES", "ContactLog", "DataQuality",
           "read_log", "write_contacts", "write_technion"]
