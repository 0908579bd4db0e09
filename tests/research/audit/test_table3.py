"""Table 3 cell by cell, and the explanations tested for its off cells, against hand calculations."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.audit import statuses, table3
from analysis.audit.inputs import Inputs
from analysis.audit.reading_rules import Settings
from analysis.errors import ParameterError


def test_table3_cells_by_hand(inputs):
    cells = table3.table3_cells(inputs=inputs).set_index(["iso3", "column"])
    # ODA 2002 over GDP 2003: 293 / 2760 * 100 = 10.6159..., printed 12.4: off.
    armenia_oda = cells.loc[("ARM", "oda_2002")]
    assert armenia_oda["recomputed_share"] == pytest.approx(10.61594, abs=1e-5)
    assert armenia_oda["difference"] == pytest.approx(10.61594 - 12.4, abs=1e-5)
    assert armenia_oda["class"] == "off"
    # Estimate: 850 / 2760 * 100 = 30.797, printed 30.8: exact.
    assert cells.loc[("ARM", "estimate"), "recomputed_share"] == pytest.approx(30.79710, abs=1e-5)
    assert cells.loc[("ARM", "estimate"), "class"] == "exact"
    # Kyrgyz BOP: 100 / 1775 * 100 = 5.634, printed 5.7 (0.066 away), but 100.5 / 1774.5 * 100 = 5.664
    # rounds to 5.7 once the levels' rounding to whole millions is allowed for.
    assert cells.loc[("KGZ", "bop_2003"), "recomputed_share"] == pytest.approx(5.63380, abs=1e-5)
    assert cells.loc[("KGZ", "bop_2003"), "share_high"] == pytest.approx(5.66357, abs=1e-5)
    assert cells.loc[("KGZ", "bop_2003"), "class"] == "within rounding"
    # Uzbekistan BOP is printed "n.a.".
    assert cells.loc[("UZB", "bop_2003"), "class"] == "n.a."
    summary = table3.table3_column_summary(inputs=inputs).set_index("column")
    assert summary.loc["oda_2002", "off"] == 7
    assert summary.loc["estimate", "exact"] == 7


def test_rounding_tolerance_is_used():
    strict = Inputs(Settings(rounding_tolerance=0.01))
    cells = table3.table3_cells(inputs=strict).set_index(["iso3", "column"])
    # 162 / 2760 * 100 = 5.8696 is 0.030 from the printed 5.9: exact at 0.05, not at 0.01.
    assert cells.loc[("ARM", "bop_2003"), "class"] != "exact"
    assert cells.loc[("ARM", "estimate"), "class"] == "exact"  # 30.797 vs 30.8


@pytest.mark.parametrize(
    "classes, status",
    [
        (["exact", "exact", "n.a."], statuses.REPRODUCED),
        (["exact", "within rounding"], statuses.WITHIN_ROUNDING),
        (["exact", "off"], statuses.PARTLY),
        (["off", "off", "n.a."], statuses.DOES_NOT_HOLD),
    ],
)
def test_column_status_from_the_classes(classes, status):
    assert table3.column_status(pd.DataFrame({"class": classes})) == status


def test_oda_hypotheses_by_hand(inputs):
    frame = table3.table3_hypotheses(inputs=inputs).set_index("hypothesis")
    assert set(frame["column"]) == {"oda_2002"}
    explained = frame["cells_explained"]
    assert explained["unit slip (factor 10, 100 or 1000)"] == 0
    assert explained["swapped column"] == 0
    # Uzbekistan: 189 / 7828 * 100 = 2.414, which rounds to the printed 2.4 (GDP 8728 with 8 and 7 swapped).
    assert round(189 / 7828 * 100, 1) == 2.4
    assert explained["typo (adjacent digits transposed)"] == 1
    assert "Uzbekistan: GDP 8728 read as 7828" in frame.loc["typo (adjacent digits transposed)", "evidence"]
    assert explained["denominator smaller than GDP 2003 (an earlier year)"] == 7
    assert frame.loc[table3.GDP_2002_HYPOTHESIS, "tested"] == statuses.EXTERNAL
    denominators = table3.table3_denominators(inputs=inputs).set_index("iso3")
    # Armenia: 293 / 12.4 * 100 = 2362.9 million US$ of GDP implied, 85.6% of the printed 2760.
    assert denominators.loc["ARM", "implied_gdp"] == pytest.approx(2362.903, abs=1e-3)
    assert denominators.loc["ARM", "implied_to_printed_2003"] == pytest.approx(2362.903 / 2760, abs=1e-6)


def test_denominators_refuse_an_unknown_column(inputs):
    with pytest.raises(ParameterError, match=r"column='gdp': expected one of bop_2003, estimate"):
        table3.table3_denominators(inputs=inputs, column="gdp")
