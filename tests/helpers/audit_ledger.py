"""Edited copies of the claims ledger, for tests of its validation and of single checks."""

from __future__ import annotations

import csv
from pathlib import Path

from analysis.audit.ledger import CHECKS, CLAIMS_LEDGER


def write_ledger(tmp_path: Path, edit) -> Path:
    """A copy of the ledger in ``tmp_path``, with ``edit(columns, rows) -> (columns, rows)`` applied."""
    with CLAIMS_LEDGER.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames), list(reader)
    columns, rows = edit(columns, rows)
    path = tmp_path / "claims.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def set_cell(row_index: int, column: str, value: str):
    """An edit for :func:`write_ledger` that sets one cell (row 0 is CSV line 2)."""

    def edit(columns, rows):
        rows[row_index][column] = value
        return columns, rows

    return edit


def verdict_by_check(claims: dict, inputs, check: str):
    """The verdict of the first claim of ``claims`` (id -> Claim) that ``check`` evaluates, run directly."""
    claim = next(c for c in claims.values() if c.check == check)
    return CHECKS[check](claim, inputs)
