"""Strict conversion of spreadsheet cells and CSV columns to numbers.

A cell is a number, empty, or one of the missing-value marks the World Bank
uses (".." and "…"). Anything else stops the read with the file, row and
column, so that a footnote or a shifted block can never turn into data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataValidationError

MISSING_MARKS = frozenset({"..", "…", ""})


NUMBER, MISSING, OTHER = 0, 1, 2


def _kind(cell) -> int:
    if cell is None or (isinstance(cell, float) and cell != cell):
        return MISSING
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return NUMBER
    if isinstance(cell, str) and cell.strip() in MISSING_MARKS:
        return MISSING
    return OTHER


def numeric_block(block: pd.DataFrame, path: Path, row_offset: int = 0, col_labels=None) -> pd.DataFrame:
    """Float copy of an object block; raises on the first cell that is not a number or a missing mark.

    ``row_offset`` turns positional rows into spreadsheet row numbers (1-based) for the message.
    """
    values = block.to_numpy(dtype=object)
    kinds = np.fromiter((_kind(cell) for cell in values.ravel()), dtype=np.int8, count=values.size)
    kinds = kinds.reshape(values.shape)
    if (kinds == OTHER).any():
        i, j = np.argwhere(kinds == OTHER)[0]
        column = col_labels[j] if col_labels is not None else block.columns[j]
        raise DataValidationError(
            f"{Path(path).name}: spreadsheet row {row_offset + i + 1}, column {column!r} holds "
            f"{values[i, j]!r}; expected a number, an empty cell or one of {sorted(MISSING_MARKS - {''})}. "
            "The file's layout differs from the pinned edition: check the registry's sha256."
        )
    numbers = np.where(kinds == NUMBER, values, np.nan).astype("float64")
    return pd.DataFrame(numbers, index=block.index, columns=block.columns)


def numeric_column(series: pd.Series, path: Path, column: str) -> pd.Series:
    """A CSV column as float; names the first bad line (header = line 1)."""
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna() & (series.astype(str).str.strip() != "")
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataValidationError(
            f"{Path(path).name}: line {position + 2}, column {column!r} holds {series.iloc[position]!r}; "
            "expected a number. The file differs from the pinned edition: check the registry's sha256."
        )
    return converted.astype("float64")


def require_columns(frame: pd.DataFrame, expected, path: Path) -> None:
    missing = [column for column in expected if column not in frame.columns]
    if missing:
        raise DataValidationError(
            f"{Path(path).name}: columns {missing} are missing (found {list(frame.columns)}); "
            "the file is not the pinned edition. Check the registry's sha256."
        )


def require_unique(frame: pd.DataFrame, keys, path: Path) -> None:
    duplicated = frame.duplicated(list(keys), keep=False)
    if duplicated.any():
        first = frame.loc[duplicated, list(keys)].iloc[0].to_dict()
        raise DataValidationError(f"{Path(path).name}: more than one value for {first}; expected one per {list(keys)}.")
