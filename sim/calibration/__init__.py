"""Calibration: fit the choice model to observed channel shares (overall, or by hour
from a transaction log) and check the fit on fresh seeds (``fit``, ``study``)."""
