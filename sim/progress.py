"""Progress of a long loop: a tqdm bar on a terminal, a plain line every few seconds elsewhere.

Off a terminal (a log file, a CI job, a pipe) tqdm stays quiet, and a long run would print
nothing for minutes; there a line such as ``replications: 3/10 (30%), 12 s`` goes to
stderr every ``LINE_SECONDS``, and a loop that ends sooner prints nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Optional, TextIO

from tqdm import tqdm

LINE_SECONDS = 5.0


class Progress:
    """Counts steps of a loop of ``total``.  ``enabled``: None shows a bar on a terminal
    and lines elsewhere; True always a bar; False nothing."""

    def __init__(self, total: int, desc: str, unit: str, enabled: Optional[bool] = None,
                 stream: Optional[TextIO] = None, clock: Callable[[], float] = time.monotonic,
                 every_seconds: float = LINE_SECONDS) -> None:
        self.total, self.desc, self.done = total, desc, 0
        self.stream = stream or sys.stderr
        self.clock, self.every = clock, every_seconds
        self.started = self.last_line = clock()
        on_terminal = self.stream.isatty()
        self.bar: Optional[tqdm[None]] = None
        if enabled or (enabled is None and on_terminal):
            self.bar = tqdm(total=total, desc=desc, unit=unit, file=self.stream, leave=False)
        self.lines = enabled is None and not on_terminal

    def update(self, n: int = 1) -> None:
        """``n`` more steps done: advance the bar, or (lines mode) print a progress line if
        ``every_seconds`` have passed since the last one."""
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
        elif self.lines:
            now = self.clock()
            if now - self.last_line >= self.every:
                self.last_line = now
                print(f"{self.desc}: {self.done}/{self.total} "
                      f"({100 * self.done / max(self.total, 1):.0f}%), "
                      f"{now - self.started:.0f} s", file=self.stream, flush=True)

    def close(self) -> None:
        """Clear the bar from the terminal (it is not left behind); lines need no closing."""
        if self.bar is not None:
            self.bar.close()
