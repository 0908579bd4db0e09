"""Everything the checks read: the paper's tables, and the pinned public files.

The paper's tables are read only through :mod:`analysis.data.paper`; the pinned
public files only through :mod:`analysis.data.external` (sha256-verified), and
only when a check of kind "external" asks for them.
"""

from __future__ import annotations

import math
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.audit.reading_rules import Settings
from analysis.data import paper, statements
from analysis.errors import DataValidationError

WDI_FILE = "wdi.rda"
UNDESA_FILES = ("undesa_stocks_2020.rda", "undesa_stocks.rda")


class Inputs:
    """Everything the checks read, loaded once and only when a check asks for it."""

    def __init__(self, settings: Settings | None = None, descriptor: Path = paths.DATAPACKAGE):
        self.settings = settings or Settings()
        self.descriptor = descriptor

    @cached_property
    def table1(self) -> pd.DataFrame:
        return paper.table1(self.descriptor).set_index("iso3")

    @cached_property
    def table2(self) -> pd.DataFrame:
        return paper.table2(self.descriptor).set_index("iso3")

    @cached_property
    def table3(self) -> pd.DataFrame:
        levels = paper.table3_levels(self.descriptor)
        shares = paper.table3_shares(self.descriptor).drop(
            columns=["country", "country_as_printed", "paper_line", "printed_row"]
        )
        return levels.merge(shares, on="iso3", validate="one_to_one").set_index("iso3")

    @cached_property
    def survey_findings(self) -> pd.DataFrame:
        return statements.survey_findings(self.descriptor)

    @cached_property
    def wdi(self) -> pd.Series:
        """WDI 2025 values indexed by (indicator, iso3, year); a 0 that means "no data" is already missing."""
        from analysis.data.external import read_source

        frame = read_source(WDI_FILE)
        return frame.set_index(["indicator", "iso3", "year"])["value"].sort_index()

    def wdi_value(self, indicator: str, code: str, year: int) -> float:
        try:
            value = float(self.wdi.loc[(indicator, code, year)])
        except KeyError:
            value = math.nan
        if not math.isfinite(value):
            raise DataValidationError(
                f"{WDI_FILE}: no value of {indicator!r} for {code} in {year}; the audit needs it. "
                "Check that the pinned edition (WDI 2025) is in the data cache."
            )
        return value

    @cached_property
    def population(self) -> pd.Series:
        """The World Bank's population (SP.POP.TOTL) by (iso3, year); never the UN WPP ``pop`` of wdi.rda."""
        from analysis.data.external import read_source
        from analysis.data.external.panel_data import POPULATION_WB
        from analysis.data.external.series import source_file

        frame = read_source(source_file("population", POPULATION_WB))
        return frame.set_index(["iso3", "year"])["value"].sort_index()

    @cached_property
    def undesa_totals_2005(self) -> dict[str, pd.Series]:
        """Immigrant stock by destination country in 2005, one Series per edition (never spliced)."""
        from analysis.data.external import read_source

        totals = {}
        for filename in UNDESA_FILES:
            frame = read_source(filename)
            frame = frame[(frame["indicator"] == "migrant_stock_immigrants") & (frame["year"] == 2005)]
            totals[str(frame["edition"].iloc[0])] = frame.set_index("iso3")["value"].astype(float)
        return totals


def as_floats(series: pd.Series) -> np.ndarray:
    """A column of the paper's tables as floats, a missing cell as NaN."""
    return series.to_numpy(dtype=float, na_value=np.nan)
