"""Opening a log file: plain or gzip, comma, semicolon or tab separated, every cell as text.

Whatever keeps a file from being read at all becomes one ``ScenarioError`` naming
``fit.log`` and the file: missing, a folder, not text, empty, a header with no rows, a
row with more cells than the header.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import numpy as np
import pandas as pd

from sim.validate import ScenarioError

LOG_PATH = "fit.log"  # the config path every unreadable-file error names
GZIP_MAGIC = b"\x1f\x8b"
SEPARATORS = ("\t", ",", ";")
HEADER_ROW = 1  # rows are numbered as in a spreadsheet: the header is row 1


@dataclass
class RawTable:
    """A log file's cells as stripped text (``""`` for empty), one frame row per non-blank
    line, ``rows`` its spreadsheet row numbers, ``file`` the path as given (for errors)
    and ``name`` the file's name."""

    cells: pd.DataFrame
    rows: np.ndarray
    file: str
    name: str

    def column(self, header: str) -> pd.Series:
        """The cells under ``header`` (an exact header name of the file)."""
        return self.cells[header]

    def find(self, name: str) -> str | None:
        """The file's header that is ``name`` up to case and surrounding spaces, or None."""
        wanted = name.strip().lower()
        return next((h for h in self.cells.columns if h.strip().lower() == wanted), None)

    def header_text(self, limit: int = 20) -> str:
        """The header's names, comma separated (at most ``limit``), for messages."""
        names = [str(h) for h in self.cells.columns]
        more = f", ... ({len(names)} columns)" if len(names) > limit else ""
        return ", ".join(names[:limit]) + more


def log_error(file: str, reason: str) -> ScenarioError:
    """The one-line error for a log that cannot be read: ``fit.log='<file>': <reason>``."""
    return ScenarioError(LOG_PATH, file, reason)


def read_table(path: Union[str, Path]) -> RawTable:
    """Read a CSV log (gzip recognised by its first bytes, whatever the name; the separator
    from the header line: tab, comma or semicolon) with every cell as stripped text.

    Blank lines (and lines of empty cells) are not rows but keep their numbers, so
    ``rows`` matches what a spreadsheet or an editor shows. Raises ScenarioError
    (``fit.log``) when the file cannot be read as a table with a header and at least one
    row.
    """
    file = str(path)
    p = Path(path)
    if not p.exists():
        raise log_error(file, "no such file")
    if p.is_dir():
        raise log_error(file, "is a folder, not a log file")
    compressed = _is_gzip(p, file)
    header = _first_line(p, file, compressed)
    if not header.strip():
        raise log_error(file, "is empty: expected a CSV header line naming the columns")
    separator = max(SEPARATORS, key=header.count) if any(s in header for s in SEPARATORS) else ","
    try:
        cells = pd.read_csv(p, sep=separator, dtype=str, keep_default_na=False, na_filter=False,
                            skip_blank_lines=False, encoding="utf-8-sig",
                            compression="gzip" if compressed else None, engine="c")
    except pd.errors.ParserError as error:
        raise log_error(file, _parser_reason(str(error))) from None
    except (UnicodeDecodeError, EOFError, OSError, gzip.BadGzipFile):
        raise log_error(file, "is not a UTF-8 text CSV file (or a gzip of one)") from None
    except pd.errors.EmptyDataError:
        raise log_error(file, "is empty: expected a CSV header line naming the columns") from None
    cells.columns = [str(c).strip() for c in cells.columns]
    cells = cells.fillna("")
    for name in cells.columns:
        cells[name] = cells[name].str.strip()
    rows = np.arange(HEADER_ROW + 1, HEADER_ROW + 1 + len(cells))
    blank = (cells == "").all(axis=1).to_numpy()
    cells, rows = cells.loc[~blank].reset_index(drop=True), rows[~blank]
    if len(cells) == 0:
        raise log_error(file, "has a header but no rows")
    return RawTable(cells, rows, file, p.name)


def _is_gzip(p: Path, file: str) -> bool:
    try:
        with p.open("rb") as handle:
            return handle.read(2) == GZIP_MAGIC
    except OSError as error:
        raise log_error(file, f"cannot be read: {(error.strerror or str(error)).lower()}") from None


def _first_line(p: Path, file: str, compressed: bool) -> str:
    try:
        if compressed:
            with gzip.open(p, "rt", encoding="utf-8-sig") as text:
                return text.readline()
        with p.open("r", encoding="utf-8-sig") as text:
            return text.readline()
    except (UnicodeDecodeError, EOFError, gzip.BadGzipFile):
        raise log_error(file, "is not a UTF-8 text CSV file (or a gzip of one)") from None
    except OSError as error:
        raise log_error(file, f"cannot be read: {(error.strerror or str(error)).lower()}") from None


def _parser_reason(message: str) -> str:
    """pandas' tokenizer message as a row-level reason (its line numbers count the header
    as line 1, as a spreadsheet's rows do)."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if found:
        expected, line, saw = found.groups()
        return f"row {line}: {saw} cells where the header has {expected}"
    return "cannot be read as CSV: " + message.strip().splitlines()[-1][:200]
