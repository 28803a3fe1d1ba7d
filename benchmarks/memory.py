"""A process's memory now and at its peak, measured so that a child's figure is its own."""

from __future__ import annotations

import math
import resource
import sys


def status_mb(field: str) -> float:
    """A size line of Linux's /proc/self/status (``VmRSS``, ``VmHWM``) in MB; NaN where
    there is no /proc."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return math.nan


def current_rss_mb() -> float:
    """Resident set size now (Linux); NaN elsewhere."""
    return status_mb("VmRSS")


def peak_rss_mb() -> float:
    """This process's peak resident set size: ``VmHWM``, which starts afresh at exec;
    where there is no /proc, ``ru_maxrss``.  (Linux carries ``ru_maxrss`` over exec: a
    child started by a process of 400 MB reports at least 400 MB.)"""
    peak = status_mb("VmHWM")
    return maxrss_mb() if math.isnan(peak) else peak


def maxrss_mb() -> float:
    """``ru_maxrss`` in MB (KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
