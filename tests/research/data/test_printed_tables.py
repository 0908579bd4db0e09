"""The paper's tables laid out as printed: formats and row counts checked against the printed tables."""

from __future__ import annotations

import pandas as pd

from analysis.data import printed_tables


def test_ranges_and_missing_cells_are_printed_as_in_the_paper():
    table2 = printed_tables.table2_as_printed()
    assert table2.loc["Ukraine"].tolist() == ["2,000–2,500", "1,000–1,500"]
    assert table2.loc["Moldova"].tolist() == ["500", "250"]  # a single value stays single
    assert table2.loc["Russian Federation", "Migrant workers in Russia (thousands)"] == "-"
    assert printed_tables.table1_as_printed().loc["Armenia"].tolist() == ["1,234.0", "49"]


def test_row_numbers_count_the_country_rows():
    toy = {"table1": pd.DataFrame({"a": [1, 2, 3]}), "table9": pd.DataFrame({"a": []})}
    assert printed_tables.row_numbers(toy) == {"table1-rows": 3, "table9-rows": 0}
    # Table 1: the 12 CIS states; Table 2: 8 origin states and Russia; Table 3: the 7 smaller states
    assert printed_tables.row_numbers(printed_tables.as_printed()) == {
        "table1-rows": 12,
        "table2-rows": 8 + 1,
        "table3-rows": 7,
    }
