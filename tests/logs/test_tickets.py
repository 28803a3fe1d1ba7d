"""sim.logs read_log(format="tickets"): a branch's queue-ticket export."""

from __future__ import annotations

from pathlib import Path

from sim.logs import read_log
from tests.logs.files import NAN, assert_rows, hms, write

TICKETS = """
ticket,date,issued,called,finished,counter,service,outcome,branch
A001,2024-05-06,09:00:00,09:04:00,09:10:00,3,deposit,served,north
A002,2024-05-06,09:01:00,09:07:30,,2,loan,no_show,north
B001,2024-05-06,09:02:00,09:02:00,09:05:00,1,deposit,served,south
"""


def test_tickets_read_as_computed_by_hand(tmp_path: Path) -> None:
    log = read_log(write(tmp_path, "tickets.csv", TICKETS), "tickets")
    assert_rows(log.contacts, [
        {"contact_id": "A001", "date": "2024-05-06", "weekday": 0, "channel": "north",
         "type": "deposit", "agent": "3", "outcome": "served", "arrival": hms(9, 0),
         "ivr_exit": NAN, "queue_entry": hms(9, 0), "queue_exit": hms(9, 4),
         "service_start": hms(9, 4), "service_end": hms(9, 10), "wait": 4.0, "service": 6.0},
        # called after six and a half minutes, gone: a wait, no service
        {"contact_id": "A002", "outcome": "no_show", "agent": "2", "queue_entry": hms(9, 1),
         "queue_exit": hms(9, 7, 30), "service_start": NAN, "service_end": NAN, "wait": 6.5,
         "service": NAN},
        {"contact_id": "B001", "channel": "south", "wait": 0.0, "service": 3.0}])


def test_tickets_without_a_branch_column_are_at_the_counter(tmp_path: Path) -> None:
    text = """
    issued,called,finished,outcome
    09:00:00,09:04:00,09:10:00,served
    """
    log = read_log(write(tmp_path, "t.csv", text), "tickets")
    assert_rows(log.contacts, [{"contact_id": "2", "channel": "counter", "date": "day-1",
                                "type": "all", "agent": "", "wait": 4.0}])


def test_ticket_columns_are_mapped_by_name(tmp_path: Path) -> None:
    text = """
    Nr,Ausgabe,Aufruf,Ende,Schalter,Status
    7,08:30,08:41,08:45,S2,noshow
    """
    columns = {"contact_id": "Nr", "arrival": "Ausgabe", "queue_exit": "Aufruf",
               "service_end": "Ende", "agent": "Schalter", "outcome": "Status"}
    log = read_log(write(tmp_path, "t.csv", text), "tickets", columns=columns)
    assert_rows(log.contacts, [{"contact_id": "7", "agent": "S2", "outcome": "no_show",
                                "arrival": hms(8, 30), "queue_exit": hms(8, 41), "wait": 11.0,
                                "service_end": hms(8, 45), "service": NAN}])
