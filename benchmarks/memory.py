"""A process's peak memory, measured so that a child's figure is its own."""

from __future__ import annotations

import resource
import sys


def peak_rss_mb() -> float:
    """This process's peak resident set size: ``VmHWM`` of Linux's /proc/self/status, which
    starts afresh at exec; elsewhere ``ru_maxrss``.  (Linux carries ``ru_maxrss`` over
    exec: a child started by a process of 400 MB reports at least 400 MB.)"""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return maxrss_mb()


def maxrss_mb() -> float:
    """``ru_maxrss`` in MB (KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
