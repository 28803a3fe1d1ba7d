"""Writing result files atomically: a temporary file in the same folder, then a rename.

A run stopped half-way leaves either the old file or the new one, never a torn one. A
folder's ``complete`` marker, written after everything else, tells a finished run from one
that stopped (killed, or out of disk space) with only some of its files.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

COMPLETE = "complete"  # the marker file of a run folder whose files are all written


class WriteError(OSError):
    """Writing a result file failed (disk full, no permission); ``filename`` is the file."""


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; a failure is a WriteError naming
    ``path``, with the original errno (``errno.ENOSPC`` for a full disk).

    (A failing ``write`` names no file, and one naming the temporary file would send the
    user looking for a file that is gone.)
    """
    try:
        _write_via_temporary(path, data)
    except OSError as error:
        raise WriteError(error.errno, error.strerror or str(error), str(path)) from error


def write_error_line(error: OSError) -> str:
    """One line for a failed write: ``cannot write <path>: no space left on device``."""
    reason = (error.strerror or str(error)).lower()
    return f"cannot write {error.filename}: {reason}" if error.filename else f"cannot write: {reason}"


def mark_complete(folder: Path) -> None:
    """Write the ``complete`` marker: call it after the folder's last result file."""
    write_bytes_atomic(folder / COMPLETE, b"")


def is_complete(folder: Path) -> bool:
    """Whether ``folder`` holds the ``complete`` marker: every result file of its run was
    written (a folder without it holds a run that stopped part-way)."""
    return (folder / COMPLETE).is_file()


def _write_via_temporary(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it owner-only; results are for sharing
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def json_safe(value: Any) -> Any:
    """NaN and infinity become null: JSON has no such numbers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def write_json(path: Path, data: Any) -> None:
    """``data`` as indented UTF-8 JSON at ``path``, written atomically; NaN and infinity
    become null (``json_safe``).  A failure is a WriteError naming ``path``."""
    text = json.dumps(json_safe(data), indent=2, allow_nan=False) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"))


def write_csv(path: Path, rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """A tidy CSV; empty cells for undefined (NaN) values."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if isinstance(v, float) and math.isnan(v) else v)
                         for k, v in row.items()})
    write_bytes_atomic(path, buffer.getvalue().encode("utf-8"))


def read_json(path: Path) -> Any:
    """The JSON file at ``path`` (UTF-8) as dicts, lists and scalars; a null, e.g. an
    undefined KPI, reads back as None, not NaN."""
    return json.loads(path.read_text(encoding="utf-8"))


def write_parquet(path: Path, frame: Any) -> None:
    """A pandas DataFrame as Parquet (pyarrow), atomically like the rest."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow")
    write_bytes_atomic(path, buffer.getvalue())
