"""Every transcribed value of Tables 1-3 against the row as printed, stored beside it.

The ``printed_row`` column keeps each row exactly as the paper prints it. It is
parsed here on its own, with the paper's number formats, and must give back
the values in the other columns, so that a changed value is caught even
without the paper's text (the tests in test_transcription.py need it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data import paper
from helpers.hashes import record_hashes_unchecked
from helpers.printed_tables import _TABLE3_ROW, LEVEL_COLUMNS, SHARE_COLUMNS, _range, _space_groupings

TABLE1_ROW = re.compile(r"^(.+?) (\d+\.\d) (\d+)$")
TABLE2_ROW = re.compile(r"^(.+?) ([\d.]+(?:-[\d.]+)?) ([\d.]+(?:-[\d.]+)?|-)$")


def _values(row, columns: list[str]) -> tuple:
    return tuple(None if pd.isna(getattr(row, column)) else getattr(row, column) for column in columns)


def _table1(row) -> str | None:
    match = TABLE1_ROW.match(row.printed_row)
    if not match:
        return "does not read as 'name GDP poverty'"
    printed = (match[1], float(match[2]), int(match[3]))
    stored = (row.country_as_printed, *_values(row, ["gdp_per_capita_usd", "poverty_below_2usd_day_pct"]))
    return None if printed == stored else f"reads {printed}, the columns hold {stored}"


def _table2(row) -> str | None:
    match = TABLE2_ROW.match(row.printed_row)
    if not match:
        return "does not read as 'name abroad in-Russia'"
    printed = (match[1], *_range(match[2]), *_range(match[3]))
    stored = (
        row.country_as_printed,
        *_values(
            row,
            ["abroad_low_thousands", "abroad_high_thousands", "in_russia_low_thousands", "in_russia_high_thousands"],
        ),
    )
    return None if printed == stored else f"reads {printed}, the columns hold {stored}"


def _table3_levels(row) -> str | None:
    match = _TABLE3_ROW.match(row.printed_row)
    if not match or match[1] != row.country_as_printed:
        return "does not read as 'name' and six amounts"
    stored = _values(row, LEVEL_COLUMNS)
    # Thousands are printed with a space ("2 760"), so a row can read several ways; the stored one must be among them.
    readings = _space_groupings(match[2].split(), len(LEVEL_COLUMNS))
    return None if stored in readings else f"no reading of the amounts gives the columns' {stored}"


def _table3_shares(row) -> str | None:
    match = _TABLE3_ROW.match(row.printed_row)
    if not match or match[1] != row.country_as_printed:
        return "does not read as 'name' and five shares"
    printed = tuple(None if token == "n.a." else float(token.replace(",", ".")) for token in match[2].split())
    stored = _values(row, SHARE_COLUMNS)
    return None if printed == stored else f"reads {printed}, the columns hold {stored}"


CHECKS = {
    paper.table1: _table1,
    paper.table2: _table2,
    paper.table3_levels: _table3_levels,
    paper.table3_shares: _table3_shares,
}


def printed_row_mismatches(descriptor: Path = paths.DATAPACKAGE) -> list[str]:
    mismatches = []
    for loader, check in CHECKS.items():
        for row in loader(descriptor).itertuples():
            problem = check(row)
            if problem:
                mismatches.append(f"{loader.__name__}, {row.country_as_printed!r}: {row.printed_row!r} {problem}")
    return mismatches


def test_every_transcribed_value_matches_its_printed_row():
    assert printed_row_mismatches() == []


@pytest.mark.parametrize(
    "resource, old, new",
    [
        (paper.TABLE1, "Armenia,1234.0,49", "Armenia,1243.0,49"),
        (paper.TABLE2, "Ukraine,2000,2500,1000,1500", "Ukraine,2000,2500,1000,1600"),
        (paper.TABLE3_LEVELS, "Georgia,237,275,334", "Georgia,237,275,343"),
        (paper.TABLE3_SHARES, "Moldova,23.8,25.6", "Moldova,23.8,26.5"),
    ],
)
def test_a_changed_value_is_caught_without_the_papers_text(data_copy, resource, old, new):
    csv = data_copy.parent / "paper" / f"{resource}.csv"
    text = csv.read_text(encoding="utf-8")
    assert old in text
    csv.write_text(text.replace(old, new, 1), encoding="utf-8")
    record_hashes_unchecked(data_copy)  # schema-valid and hashed: only the printed row can tell
    [mismatch] = printed_row_mismatches(data_copy)
    assert new.split(",")[0] in mismatch
