"""sim.logs read_log(format="trace"): the simulator's own trace.csv, one contact per visit."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import sim
from sim.io import write_csv
from sim.logs import read_log
from sim.results import TRACE_COLUMNS, trace_rows
from tests.logs.files import NAN, assert_rows, write

OPEN = 8 * 60  # the scenario opens at 08:00

TRACE = """
replication,customer,segment,transaction,channel,event,time_minutes,wait_minutes
0,0,retail,pay,teller,arrive,1.0,0.0
0,1,retail,pay,hotline,arrive,2.0,0.0
0,1,retail,pay,hotline,abandoned,6.5,4.0
0,1,retail,pay,web,arrive,7.0,0.0
0,1,retail,pay,web,served,8.0,0.0
0,0,retail,pay,teller,served,9.0,3.0
0,2,digital,info,hotline,arrive,10.0,0.0
0,2,digital,info,hotline,served_ivr,10.5,0.0
1,0,retail,pay,teller,arrive,3.0,0.0
1,0,retail,pay,teller,balked,3.0,0.0
1,1,retail,pay,kiosk,arrive,4.0,0.0
1,1,retail,pay,kiosk,failed,5.0,0.0
1,2,retail,pay,hotline,arrive,6.0,0.0
1,2,retail,pay,hotline,deflected,6.2,0.0
1,3,retail,pay,teller,arrive,9.5,0.0
"""


def test_trace_visits_read_as_computed_by_hand(tmp_path: Path) -> None:
    log = read_log(write(tmp_path, "trace.csv", TRACE), "trace", open_hour=8)
    assert_rows(log.contacts, [
        # served: the trace gives the end and the wait, not when the service started
        {"contact_id": "0-1", "date": "day-1", "weekday": -1, "customer": "0-0", "type": "pay",
         "channel": "teller", "outcome": "served", "arrival": OPEN + 1.0, "ivr_exit": NAN,
         "queue_entry": NAN, "queue_exit": NAN, "service_start": NAN, "service_end": OPEN + 9.0,
         "wait": 3.0, "service": NAN, "agent": "", "priority": 0, "interval": 8},
        # abandoned after 4 minutes in queue: joined at 6.5 - 4
        {"contact_id": "1-1", "customer": "0-1", "channel": "hotline", "outcome": "abandoned",
         "arrival": OPEN + 2.0, "ivr_exit": OPEN + 2.5, "queue_entry": OPEN + 2.5,
         "queue_exit": OPEN + 6.5, "wait": 4.0, "service_end": NAN},
        {"contact_id": "1-2", "customer": "0-1", "channel": "web", "outcome": "served",
         "arrival": OPEN + 7.0, "service_end": OPEN + 8.0, "wait": 0.0},
        {"contact_id": "2-1", "type": "info", "outcome": "ivr", "arrival": OPEN + 10.0,
         "ivr_exit": OPEN + 10.5, "queue_entry": NAN, "wait": NAN},
        {"contact_id": "0-1", "date": "day-2", "customer": "1-0", "outcome": "balked",
         "arrival": OPEN + 3.0, "ivr_exit": OPEN + 3.0, "queue_entry": NAN, "wait": NAN},
        # the kiosk did the work, the transaction failed
        {"contact_id": "1-1", "date": "day-2", "channel": "kiosk", "outcome": "failed",
         "service_end": OPEN + 5.0},
        {"contact_id": "2-1", "date": "day-2", "outcome": "deflected", "ivr_exit": OPEN + 6.2}])
    quality = log.quality
    assert (quality.rows_read, quality.rows_used, quality.incomplete) == (8, 7, 1)
    assert quality.first_rows == {"incomplete": [16]}  # the last customer never left


def test_queue_entry_and_service_start_columns_complete_a_served_visit(tmp_path: Path) -> None:
    text = """
    replication,customer,segment,transaction,channel,event,time,wait,queue_entry,service_start
    0,0,retail,pay,hotline,arrive,1.0,0.0,,
    0,0,retail,pay,hotline,served,9.0,3.0,1.5,4.5
    """
    log = read_log(write(tmp_path, "trace.csv", text), "trace", open_hour=9)
    start = 9 * 60
    assert_rows(log.contacts, [{"arrival": start + 1.0, "ivr_exit": start + 1.5,
                                "queue_entry": start + 1.5, "queue_exit": start + 4.5,
                                "service_start": start + 4.5, "service_end": start + 9.0,
                                "wait": 3.0, "service": 4.5}])


def test_a_simulated_trace_gives_one_contact_per_finished_visit(tmp_path: Path) -> None:
    scenario = sim.load_scenario("bank_branch")
    result = sim.simulate(scenario, replications=2, horizon_minutes=120, plots=False,
                          trace=True, progress=False)
    path = tmp_path / "trace.csv"
    write_csv(path, trace_rows(result.experiment), TRACE_COLUMNS)
    with path.open(newline="") as handle:
        lines = list(csv.DictReader(handle))
    events = Counter(line["event"] for line in lines)
    log = read_log(path, "trace", open_hour=scenario.open_hour)
    outcomes = Counter(log.contacts["outcome"])
    assert outcomes["served"] == events["served"]
    assert outcomes["failed"] == events["failed"]
    assert outcomes["abandoned"] == events["abandoned"]
    assert outcomes["ivr"] == events["served_ivr"]
    assert outcomes["deflected"] == events["deflected"]
    assert outcomes["balked"] == events["balked"]
    assert log.quality.rows_read == events["arrive"]
    assert log.quality.incomplete == events["arrive"] - sum(n for e, n in events.items()
                                                           if e != "arrive")
    assert log.quality.excluded == log.quality.incomplete
    first = min(float(line["time_minutes"]) for line in lines)
    assert log.contacts["arrival"].min() == scenario.open_hour * 60 + first


def test_bad_trace_lines_are_counted_once_per_visit(tmp_path: Path) -> None:
    text = """
    replication,customer,segment,transaction,channel,event,time_minutes,wait_minutes
    0,0,retail,pay,teller,arrive,1.0,0.0
    x,0,retail,pay,teller,served,2.0,0.0
    0,1,retail,pay,teller,arrive,1.5,0.0
    0,1,retail,pay,teller,served,2.5,zz
    0,2,retail,pay,teller,arrive,3,0
    0,2,retail,pay,teller,exploded,4,0
    0,3,retail,pay,teller,arrive,3,0
    0,3,retail,pay,teller,served,4,0.5
    """
    log = read_log(write(tmp_path, "trace.csv", text), "trace")
    assert list(log.contacts["contact_id"]) == ["3-1"]
    quality = log.quality
    # visits: customer 0 (its outcome line unreadable: incomplete), the unreadable line
    # itself, customer 1 (a bad wait), customer 2 (an unknown event), customer 3
    assert (quality.rows_read, quality.incomplete, quality.unparseable,
            quality.unknown_outcomes) == (5, 1, 2, 1)
    assert quality.unknown_outcome_codes == {"exploded": 1}
    assert quality.unparseable_values == ["row 3: replication='x'", "row 5: wait_minutes='zz'"]
    assert quality.first_rows == {"unparseable": [3, 4], "unknown_outcomes": [6],
                                  "incomplete": [2]}
