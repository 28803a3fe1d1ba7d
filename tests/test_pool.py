"""ServerPool: exact event sequences for capacity changes, priority and abandonment."""

from __future__ import annotations

from typing import Generator, Optional

import simpy

from sim.engine.pool import ServerPool

Log = list[tuple[str, str, float]]


def customer(env: simpy.Environment, pool: ServerPool, log: Log, name: str, arrive: float,
             service: float, priority: bool = False, patience: Optional[float] = None
             ) -> Generator[simpy.Event, None, None]:
    yield env.timeout(arrive)
    if not pool.try_seize():
        ticket = pool.join(priority)
        if patience is None:
            yield ticket.event
        else:
            yield ticket.event | env.timeout(patience)
            if not ticket.event.triggered:
                pool.leave_queue(ticket)
                log.append((name, "abandon", env.now))
                return
    log.append((name, "start", env.now))
    yield env.timeout(service)
    pool.release()
    log.append((name, "end", env.now))


def change_capacity(env: simpy.Environment, pool: ServerPool, at: float, capacity: int
                    ) -> Generator[simpy.Event, None, None]:
    yield env.timeout(at)
    pool.set_capacity(capacity)


def run(capacity: int, customers: list[tuple], changes: list[tuple[float, int]]) -> Log:
    env = simpy.Environment()
    pool = ServerPool(env, capacity)
    log: Log = []
    for c in customers:
        env.process(customer(env, pool, log, *c))
    for at, cap in changes:
        env.process(change_capacity(env, pool, at, cap))
    env.run()
    return log


def test_two_customers_and_one_server_are_served_in_turn() -> None:
    log = run(1, [("a", 0, 1), ("b", 0, 1)], [])
    assert log == [("a", "start", 0), ("a", "end", 1), ("b", "start", 1), ("b", "end", 2)]


def test_a_leaving_server_finishes_its_customer_and_takes_no_new_one() -> None:
    # capacity 2 -> 1 at t=2 while a and b are in service; c waits for the one server left
    log = run(2, [("a", 0, 10), ("b", 0, 3), ("c", 1, 2)], [(2, 1)])
    assert log == [("a", "start", 0), ("b", "start", 0), ("b", "end", 3),
                   ("a", "end", 10), ("c", "start", 10), ("c", "end", 12)]


def test_raising_the_capacity_starts_a_waiting_customer_at_once() -> None:
    log = run(1, [("a", 0, 10), ("b", 1, 5)], [(4, 2)])
    assert log == [("a", "start", 0), ("b", "start", 4), ("b", "end", 9), ("a", "end", 10)]


def test_capacity_zero_holds_the_queue_until_servers_return() -> None:
    log = run(1, [("a", 0, 2), ("b", 3, 1)], [(1, 0), (5, 1)])
    assert log == [("a", "start", 0), ("a", "end", 2), ("b", "start", 5), ("b", "end", 6)]


def test_a_priority_customer_goes_before_earlier_ordinary_ones() -> None:
    log = run(1, [("a", 0, 5), ("n", 1, 1), ("p", 2, 1, True)], [])
    assert log == [("a", "start", 0), ("a", "end", 5), ("p", "start", 5), ("p", "end", 6),
                   ("n", "start", 6), ("n", "end", 7)]


def test_an_abandoned_place_is_skipped_when_its_turn_comes() -> None:
    log = run(1, [("a", 0, 5), ("b", 1, 1, False, 2), ("c", 2, 1)], [])
    assert log == [("a", "start", 0), ("b", "abandon", 3), ("a", "end", 5),
                   ("c", "start", 5), ("c", "end", 6)]


def test_busy_and_waiting_counts_follow_the_events() -> None:
    env = simpy.Environment()
    pool = ServerPool(env, 1)
    assert pool.try_seize() and pool.busy == 1
    ticket = pool.join()
    assert pool.waiting == 1 and not pool.try_seize()
    pool.release()
    assert ticket.event.triggered and pool.busy == 1 and pool.waiting == 0
