"""Input checks shared by the estimators: arrays of minutes and flags as 1-D numpy arrays,
with one ValueError naming the argument when they are not, and read-only copies for the
arrays that results hold (a frozen dataclass should not change under its reader)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def as_minutes(values: ArrayLike, name: str) -> FloatArray:
    """``values`` as a 1-D float array (a copy), every value finite.  Raises ValueError
    naming ``name`` for another shape, NaN or infinity.  Signs are the caller's to check
    (a duration must not be negative, a clock time may be anything)."""
    x = np.array(values, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must be finite (found NaN or infinity)")
    return x


def as_durations(values: ArrayLike, name: str) -> FloatArray:
    """``as_minutes`` plus: no value below 0 (a duration of 0 is allowed)."""
    x = as_minutes(values, name)
    if np.any(x < 0):
        raise ValueError(f"{name} must not be negative (smallest {x.min()})")
    return x


def as_flags(values: ArrayLike, name: str, length: int) -> BoolArray:
    """``values`` as a 1-D boolean array of ``length`` elements (0/1 and True/False read as
    flags).  Raises ValueError naming ``name`` for another length or other values."""
    x = np.asarray(values)
    if x.ndim != 1 or x.size != length:
        raise ValueError(f"{name} must hold {length} flags, got shape {x.shape}")
    if x.dtype != bool and not np.all(np.isin(x, (0, 1))):
        raise ValueError(f"{name} must hold booleans (or 0/1)")
    return x.astype(bool)


def same_length(name: str, values: np.ndarray, length: int) -> None:
    """Raise ValueError unless ``values`` holds ``length`` elements (all per-contact arrays
    of one call describe the same contacts, row by row)."""
    if values.shape[0] != length:
        raise ValueError(f"{name} has {values.shape[0]} values where {length} were expected "
                         "(one per contact)")


def readonly(values: ArrayLike, dtype: type = float) -> np.ndarray:
    """A read-only copy of ``values`` as an array of ``dtype``."""
    x: np.ndarray = np.array(values, dtype=dtype)
    x.setflags(write=False)
    return x
