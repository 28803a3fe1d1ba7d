"""webapp.jobs: one job per question, its progress, its cancel, and failures kept apart."""

from __future__ import annotations

import threading

import pytest

import sim
from webapp.jobs import Cancelled, JobBoard, Progress


def test_the_same_key_is_the_same_job_and_its_result_is_kept() -> None:
    board = JobBoard(workers=1)
    calls = []

    def work(progress: Progress) -> int:
        calls.append(1)
        progress.update(1, 1)
        return 7

    first = board.submit("q", work)
    assert first.wait(30) and first.result() == 7
    again = board.submit("q", work)
    assert again is first and calls == [1] and board.get("q") is first


def test_a_cancelled_simulation_stops_between_replications() -> None:
    """sim.simulate's on_replication raises Cancelled once Cancel is pressed: the job ends
    cancelled after the replication under way, not after all of them."""
    board = JobBoard(workers=1)
    started = threading.Event()
    seen: list[int] = []

    def work(progress: Progress) -> object:
        def each(done: int, total: int) -> None:
            seen.append(done)
            started.set()
            progress.update(done, total)
        return sim.simulate(sim.load_scenario("bank_branch"), replications=200, plots=False,
                            on_replication=each)

    job = board.submit("long", work)
    assert started.wait(60)
    job.cancel()
    assert job.wait(60)
    assert job.state == "cancelled" and len(seen) < 200
    with pytest.raises(Cancelled):
        job.result()
    # asked again, a cancelled job starts afresh
    assert board.submit("long", lambda p: 1) is not job


def test_a_failed_job_keeps_its_error_and_is_retried_when_asked_again() -> None:
    board = JobBoard(workers=1)

    def fail(progress: Progress) -> None:
        raise sim.ScenarioError("scenario.x", 1, "bad")

    job = board.submit("bad", fail)
    assert job.wait(30) and job.state == "failed"
    assert str(job.future.exception()) == "scenario.x=1: bad"
    assert board.submit("bad", lambda p: 2).wait(30)
    assert board.get("bad").result() == 2  # type: ignore[union-attr]
