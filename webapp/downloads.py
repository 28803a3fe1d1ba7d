"""Tidy tables for download: a zip of CSVs and one XLSX workbook with a sheet per table."""

from __future__ import annotations

import io
import zipfile

import pandas as pd


def csv_zip(tables: dict[str, pd.DataFrame]) -> bytes:
    """A zip holding ``<name>.csv`` for each table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            archive.writestr(f"{name}.csv", table.to_csv(index=False))
    return buffer.getvalue()


def xlsx_workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per table (sheet names cut to Excel's 31 characters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in tables.items():
            table.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
