"""The tidy long form every external reader returns, its indicator ids, and the zero rule.

Columns: country, iso3, year, indicator, value, unit, source, and the
provenance of the series from ``data/external/series.csv`` (:mod:`.series`):
edition, publisher, release, series_code, definition. ``source`` is the
registry file name and ``edition`` the series' edition label, so a value can
always be traced to its file, its publisher and the release it came from.

Zeros that mean "no data". Some files write 0 where a country reported
nothing. For the series in :data:`ZERO_MEANS_NO_DATA` (an indicator, in all
files or in the files listed) an exact 0 becomes missing, for every country
and year; the row is kept with a missing value, so the conversion stays
visible. Everywhere else a 0 is a value and is kept (:data:`ZERO_IS_A_VALUE`
says why). Turkmenistan's remittances (0 throughout 2005-2023 in WDI 2025)
are the case that motivated the rule; Uzbekistan has no written 0 in any of
the pinned remittance files (its missing years are blank or "..").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.countries import display_name
from analysis.data.external import series
from analysis.data.external.indicators import INDICATORS
from analysis.data.external.series import PROVENANCE_COLUMNS
from analysis.errors import DataValidationError

COLUMNS = ["country", "iso3", "year", "indicator", "value", "unit", "source", *PROVENANCE_COLUMNS]

# id -> (unit, definition). Every reader uses only these ids; the definition of
# each file's series, with its publisher and code, is in data/external/series.csv.
GAPMINDER_FDI = "ddf--datapoints--foreign_direct_investment_net_inflows_percent_of_gdp--by--geo--time.csv"
ALL_SOURCES = None

# indicator -> (files the rule covers, or ALL_SOURCES; why an exact zero there means "no data").
ZERO_MEANS_NO_DATA = {
    "remittances_usd": (
        ALL_SOURCES,
        "World Bank files write 0 for a country that reports nothing: WDI 2025 "
        "has 0 for Turkmenistan in 2005-2023, where WDI 2023 reports US$1-35 million for 2010-2022",
    ),
    "gdp_usd": (ALL_SOURCES, "an economy's GDP is never zero"),
    "population": (ALL_SOURCES, "a country's population is never zero"),
    "exports_pct_gdp": (ALL_SOURCES, "no economy exports nothing"),
    "fdi_pct_gdp": (
        (GAPMINDER_FDI,),
        "Gapminder writes 0 where the World Bank has no figure: 1990-91 for every "
        "CIS state (no balance of payments of its own yet) and Georgia 1995-96, where WDI 2025 has none",
    ),
}
# Series where 0 is kept as printed, and why (documentation; not used by code):
ZERO_IS_A_VALUE = {
    "poverty_300_pct, poverty_420_pct": "PIP rounds to one decimal; Belarus below $3.00 a day is 0 in 2013-2020",
    "oda_per_capita_usd": "net ODA can be negative, so 0 is inside its range (no 0 for the 15 countries)",
    "fdi_inflows_usd, fdi_outflows_usd, fdi_pct_gdp of wdi.rda": "net flows can be 0 (Nepal restricts outward "
    "FDI and has 0 outflows in 26 years); no 0 for the 15 countries",
    "remittances_paid_usd": "no evidence either way (0s for Lesotho, Mexico, Peru...); no 0 for the 15 countries",
    "migrant stocks (UN DESA)": "UN DESA documents that n = 0 means a definite absence",
    "KNOMAD matrices": "their zeros are estimates (e.g. Armenia-Azerbaijan flows are set to 0 by assumption)",
}


def zeros_to_missing(frame: pd.DataFrame, source: str | None = None) -> pd.DataFrame:
    """Exact zeros covered by :data:`ZERO_MEANS_NO_DATA` become NaN; rows are kept.

    The file is taken from the frame's ``source`` column, else from ``source``.
    """
    frame = frame.copy()
    sources = frame["source"] if "source" in frame.columns else pd.Series(source, index=frame.index)
    covered = pd.Series(False, index=frame.index)
    for indicator, (files, _) in ZERO_MEANS_NO_DATA.items():
        rule = frame["indicator"] == indicator
        if files is not ALL_SOURCES:
            rule &= sources.isin(files)
        covered |= rule
    frame.loc[covered & (frame["value"] == 0), "value"] = np.nan
    return frame


def tidy(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Finish a reader's frame of iso3, year, indicator, value: names, units, provenance, zero rule."""
    unknown = sorted(set(frame["indicator"]) - set(INDICATORS))
    if unknown:
        raise DataValidationError(
            f"{source}: indicator ids {unknown} are not in analysis.data.external.indicators.INDICATORS; "
            "add them there with their unit and definition."
        )
    provenance = series.of_file(source)
    undocumented = sorted(set(frame["indicator"]) - set(provenance))
    if undocumented:
        raise DataValidationError(
            f"{source}: indicator ids {undocumented} have no row in {series.SERIES_CSV}; add one per series "
            "with its publisher, release, series code and definition."
        )
    out = frame[["iso3", "year", "indicator", "value"]].copy()
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    codes = pd.unique(out["iso3"])
    out["country"] = out["iso3"].map({code: display_name(code) for code in codes})
    out["unit"] = out["indicator"].map({key: unit for key, (unit, _) in INDICATORS.items()})
    out["source"] = source
    for column in PROVENANCE_COLUMNS:
        out[column] = out["indicator"].map({key: row[column] for key, row in provenance.items()})
    out = zeros_to_missing(out[COLUMNS])
    return out.sort_values(["iso3", "indicator", "year"], kind="stable").reset_index(drop=True)


def indicators() -> pd.DataFrame:
    """The indicator ids with unit, definition and the zero rule that covers them, if any."""
    rows = []
    for key, (unit, text) in INDICATORS.items():
        files, reason = ZERO_MEANS_NO_DATA.get(key, ((), ""))
        scope = "" if key not in ZERO_MEANS_NO_DATA else ("all files" if files is ALL_SOURCES else ";".join(files))
        rows.append(
            {"indicator": key, "unit": unit, "definition": text, "zero_means_no_data": reason, "zero_rule_files": scope}
        )
    return pd.DataFrame(rows)
