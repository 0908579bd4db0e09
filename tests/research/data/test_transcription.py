"""The transcribed tables against the paper's own table lines.

The paper's table rows are parsed here from the text, independently of the
data files, and every printed value must appear in the data. The text comes
from CIS_COMPENDIUM_PAPER (see conftest.py).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.data import paper
from helpers.printed_tables import (
    _TABLE3_ROW,
    LEVEL_COLUMNS,
    SHARE_COLUMNS,
    _range,
    _space_groupings,
)

pytestmark = pytest.mark.paper


def _block(lines: list[str], start: str, stop: str) -> list[tuple[int, str]]:
    """(line number, stripped text) of the lines strictly between two markers."""
    begin = next(i for i, line in enumerate(lines) if line.strip().startswith(start))
    end = next(i for i in range(begin + 1, len(lines)) if lines[i].strip().startswith(stop))
    return [(i + 1, lines[i].strip()) for i in range(begin + 1, end) if lines[i].strip()]


def _as_records(frame: pd.DataFrame, columns: list[str]) -> dict[str, tuple]:
    return {
        row.country_as_printed: tuple(None if pd.isna(getattr(row, c)) else getattr(row, c) for c in columns)
        for row in frame.itertuples()
    }


def test_table1_rows(paper_lines):
    row = re.compile(r"^([A-Z][A-Za-z ]+?) (\d+\.\d) (\d+)$")
    parsed = {}
    for _, text in _block(paper_lines, "Table 1.", "Sources:"):
        match = row.match(text)
        if match:
            parsed[match[1]] = (float(match[2]), int(match[3]))
    assert len(parsed) == 12, "the paper's Table 1 has 12 country rows"
    data = _as_records(paper.table1(), ["gdp_per_capita_usd", "poverty_below_2usd_day_pct"])
    assert data == parsed


def test_table2_rows(paper_lines):
    row = re.compile(r"^([A-Z][A-Za-z ]+?) ([\d.]+(?:-[\d.]+)?) ([\d.]+(?:-[\d.]+)?|-)$")
    parsed = {}
    for _, text in _block(paper_lines, "Table 2.", "* Based"):
        match = row.match(text)
        if match:
            parsed[match[1]] = _range(match[2]) + _range(match[3])
    assert len(parsed) == 9
    data = _as_records(
        paper.table2(),
        ["abroad_low_thousands", "abroad_high_thousands", "in_russia_low_thousands", "in_russia_high_thousands"],
    )
    assert data == parsed


def test_space_groupings_by_hand():
    assert _space_groupings(["2", "760"], 1) == [(2760,)]
    assert sorted(_space_groupings(["2", "760"], 2)) == [(2, 760)]
    assert _space_groupings(["n.a.", "600"], 2) == [(None, 600)]


def test_table3_levels_rows(paper_lines):
    data = _as_records(paper.table3_levels(), LEVEL_COLUMNS)
    seen = set()
    for _, text in _block(paper_lines, "in millions of U.S. dollars", "as a share of GDP"):
        match = _TABLE3_ROW.match(text)
        if not match or match[1] not in data:
            continue
        readings = _space_groupings(match[2].split(), len(LEVEL_COLUMNS))
        assert data[match[1]] in readings, f"{match[1]}: {data[match[1]]} is no reading of {text!r}"
        # GDP is the last and largest column: the reading must make it so.
        values = [v for v in data[match[1]] if v is not None]
        assert values[-1] == max(values)
        seen.add(match[1])
    assert seen == set(data) and len(seen) == 7


def test_table3_shares_rows(paper_lines):
    parsed = {}
    for _, text in _block(paper_lines, "as a share of GDP", "BOP –"):
        match = _TABLE3_ROW.match(text)
        if match:
            parsed[match[1]] = tuple(None if t == "n.a." else float(t.replace(",", ".")) for t in match[2].split())
    assert len(parsed) == 7
    data = _as_records(paper.table3_shares(), SHARE_COLUMNS)
    assert data == parsed


@pytest.mark.parametrize("loader", [paper.table1, paper.table2, paper.table3_levels, paper.table3_shares])
def test_provenance_points_at_the_printed_row(paper_lines, loader):
    for row in loader().itertuples():
        assert paper_lines[row.paper_line - 1].strip() == row.printed_row, row.country_as_printed
