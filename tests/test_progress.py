"""sim.progress: a line every few seconds off a terminal, nothing for a short loop."""

from __future__ import annotations

import io

from sim.progress import Progress


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_off_a_terminal_a_line_is_printed_each_time_the_interval_has_passed() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(10, "replications", "rep", stream=stream, clock=clock, every_seconds=5.0)
    for now in (2.0, 4.9, 5.0, 7.0, 10.5):
        clock.now = now
        progress.update()
    progress.close()
    assert stream.getvalue().splitlines() == ["replications: 3/10 (30%), 5 s",
                                              "replications: 5/10 (50%), 10 s"]


def test_a_loop_shorter_than_the_interval_prints_nothing() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(3, "months", "month", stream=stream, clock=clock)
    for _ in range(3):
        clock.now += 1.0
        progress.update()
    progress.close()
    assert stream.getvalue() == ""


def test_progress_off_prints_nothing_however_long_the_loop() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(2, "replications", "rep", enabled=False, stream=stream, clock=clock)
    clock.now = 100.0
    progress.update()
    assert stream.getvalue() == ""
