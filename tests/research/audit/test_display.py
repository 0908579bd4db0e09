"""analysis.audit.display: the audit's tables show formatted numbers, never raw floats."""

from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup

from analysis.audit.display import as_table


def _cells(styler) -> list[str]:
    return [cell.get_text() for cell in BeautifulSoup(styler.to_html(), "html.parser").select("td")]


def test_columns_outside_the_formats_keep_the_tables_decimals():
    frame = pd.DataFrame({"ODA 2002": [293.0, 2362.903226], "ratio": [1.23456, 0.5]})
    cells = _cells(as_table(frame, "t", decimals=0, formats={"ratio": "{:.3f}"}))
    assert cells == ["293", "1.235", "2363", "0.500"]


def test_without_formats_every_float_has_the_tables_decimals():
    cells = _cells(as_table(pd.DataFrame({"share": [12.345]}), "t"))
    assert cells == ["12.3"]
