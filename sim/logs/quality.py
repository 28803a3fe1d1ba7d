"""Screening a reader's candidate rows: each row is used, or counted under its first problem.

The readers flag what they see while parsing (phantom rows, unreadable cells, unknown
outcome codes, a trace's incomplete visits); ``screen`` adds the checks on the times
(negative durations, service before the queue exit) and on the ids (duplicates), keeps
the rows with no problem and reports the rest as a ``DataQuality``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.logs.table import FIRST_ROWS_KEPT, PROBLEMS, DataQuality

# (later, earlier): a row where the first time is before the second has a negative duration
ORDER_CHECKS = (("ivr_exit", "arrival"), ("queue_entry", "arrival"), ("queue_exit", "arrival"),
                ("service_start", "arrival"), ("service_end", "arrival"),
                ("queue_entry", "ivr_exit"), ("queue_exit", "queue_entry"),
                ("service_end", "service_start"))


@dataclass
class Candidates:
    """A reader's rows before screening: the normalized fields (times in minutes, NaN where
    absent) in file order, each row's spreadsheet number, the problems the reader flagged
    (boolean masks keyed by names in ``PROBLEMS``), the raw outcome codes, and the first
    few unreadable cells of each field as ``(row, "row 7: arrival='7:6O'")``."""

    frame: pd.DataFrame
    rows: np.ndarray
    flags: dict[str, np.ndarray]
    codes: pd.Series
    unreadable: list[tuple[int, str]] = field(default_factory=list)


def timing_problems(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Masks of the rows whose times are impossible: ``negative_durations`` (a time
    before one that must precede it, ``ORDER_CHECKS``) and ``service_before_queue_exit``.
    Absent times (NaN) are never at fault."""
    def before(later: str, earlier: str) -> np.ndarray:
        return (frame[later] < frame[earlier]).to_numpy()

    negative = np.zeros(len(frame), dtype=bool)
    for later, earlier in ORDER_CHECKS:
        negative |= before(later, earlier)
    return {"negative_durations": negative,
            "service_before_queue_exit": before("service_start", "queue_exit")}


def screen(candidates: Candidates, source: str) -> tuple[pd.DataFrame, DataQuality]:
    """The rows with no problem, and the report counting every other row under the first
    of its problems in ``PROBLEMS`` order (a second copy of a ``(date, contact_id)`` is a
    duplicate only when the first copy is usable)."""
    frame, rows = candidates.frame, candidates.rows
    n = len(frame)
    flags = {**candidates.flags, **timing_problems(frame)}
    reason = np.full(n, -1)
    for k, name in enumerate(PROBLEMS[:-1]):
        mask = flags.get(name)
        if mask is not None:
            reason[(reason < 0) & mask] = k
    usable = reason < 0
    duplicate = np.zeros(n, dtype=bool)
    duplicate[usable] = frame.loc[usable].duplicated(["date", "contact_id"], keep="first").to_numpy()
    reason[duplicate] = len(PROBLEMS) - 1
    counts = {name: int((reason == k).sum()) for k, name in enumerate(PROBLEMS)}
    first_rows = {name: [int(r) for r in np.sort(rows[reason == k])[:FIRST_ROWS_KEPT]]
                  for k, name in enumerate(PROBLEMS) if counts[name]}
    unknown = candidates.codes[reason == PROBLEMS.index("unknown_outcomes")]
    codes = {str(code): int(count) for code, count in unknown.value_counts(sort=False).items()}
    kept = reason < 0
    counted = set(rows[reason == PROBLEMS.index("unparseable")].tolist())
    values = [text for row, text in sorted(candidates.unreadable) if row in counted]
    quality = DataQuality(source=source, rows_read=n, rows_used=int(kept.sum()), **counts,
                          unknown_outcome_codes=dict(sorted(codes.items())),
                          unparseable_values=values[:FIRST_ROWS_KEPT],
                          first_rows=first_rows)
    return frame.loc[kept].reset_index(drop=True), quality
