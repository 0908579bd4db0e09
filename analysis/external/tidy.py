"""The tidy long form every external reader returns, its indicator ids, and the zero rule.

Columns: country, iso3, year, indicator, value, unit, source, edition.
``source`` is the registry file name and ``edition`` the registry's edition
label, so a value can always be traced to the file and vintage it came from.

Zeros that mean "no data". Some files write 0 where a country reported
nothing. For the indicators in :data:`ZERO_MEANS_NO_DATA` an exact 0 becomes
missing (the row is kept with a missing value, so the conversion stays
visible); for all others a 0 is a real value and is kept. The rule applies
by indicator to every source and edition and to every country and year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.countries import display_name
from analysis.errors import DataValidationError

COLUMNS = ["country", "iso3", "year", "indicator", "value", "unit", "source", "edition"]

# id -> (unit, definition). Every reader uses only these ids.
INDICATORS = {
    "remittances_usd": ("current US$", "personal remittances received (2013 edition: migrant remittance inflows)"),
    "remittances_paid_usd": ("current US$", "personal remittances paid"),
    "remittances_pct_gdp": ("% of GDP", "remittances_usd / gdp_usd * 100, both from the same file"),
    "remittances_from_russia_usd": ("current US$", "remittances received from the Russian Federation (KNOMAD estimate)"),
    "gdp_usd": ("current US$", "GDP, current US$ (NY.GDP.MKTP.CD)"),
    "gdp_per_capita_usd": ("current US$ per person", "gdp_usd / population, both from the same file"),
    "gdp_per_capita_ppp": ("constant 2021 international $", "GDP per capita, PPP (NY.GDP.PCAP.PP.KD)"),
    "population": ("persons", "total population (wdi.rda: UN WPP 2024; population.csv: SP.POP.TOTL)"),
    "fdi_inflows_usd": ("current US$", "foreign direct investment, net inflows (BX.KLT.DINV.CD.WD)"),
    "fdi_outflows_usd": ("current US$", "foreign direct investment, net outflows (BM.KLT.DINV.CD.WD)"),
    "fdi_pct_gdp": ("% of GDP", "FDI net inflows as a share of GDP"),
    "exports_pct_gdp": ("% of GDP", "exports of goods and services (NE.EXP.GNFS.ZS)"),
    "oda_per_capita_usd": ("current US$ per person", "net ODA received per person (DT.ODA.ODAT.PC.ZS)"),
    "poverty_300_pct": ("% of population", "headcount below $3.00 a day, 2021 PPP (PIP)"),
    "poverty_420_pct": ("% of population", "headcount below $4.20 a day, 2021 PPP (PIP)"),
    "net_migration": ("persons", "immigrants minus emigrants (SM.POP.NETM)"),
    "inflation_pct": ("% per year", "consumer price inflation (FP.CPI.TOTL.ZG)"),
    "unemployment_pct": ("% of labour force", "unemployment rate (SL.UEM.TOTL.ZS)"),
    "birth_rate_per_1000": ("births per 1000 people", "crude birth rate (SP.DYN.CBRT.IN)"),
    "dependency_ratio_pct": ("dependents per 100 of working age", "age dependency ratio (SP.POP.DPND)"),
    "political_stability": ("standard deviations", "WGI political stability and absence of violence"),
    "migrant_stock_emigrants": ("persons", "people born in (or citizens of) the country living abroad, all destinations"),
    "migrant_stock_emigrants_in_russia": ("persons", "the same, living in the Russian Federation"),
    "emigrants_in_russia_pct": ("% of emigrants", "migrant_stock_emigrants_in_russia / migrant_stock_emigrants * 100"),
    "migrant_stock_immigrants": ("persons", "international migrants living in the country, all origins"),
}

# indicator -> why an exact zero there means "no data".
ZERO_MEANS_NO_DATA = {
    "remittances_usd": "World Bank files write 0 for a country that reports nothing: WDI 2025 has 0 for "
                       "Turkmenistan in 2005-2023, where WDI 2023 reports US$1-35 million for 2010-2022",
    "remittances_paid_usd": "written like remittances received",
    "remittances_from_russia_usd": "written like remittances received",
    "gdp_usd": "an economy's GDP is never zero",
    "population": "a country's population is never zero",
    "fdi_inflows_usd": "written like the FDI share below",
    "fdi_outflows_usd": "written like the FDI share below",
    "fdi_pct_gdp": "Gapminder writes 0 where the World Bank has no figure: 1990-91 for every CIS state (no "
                   "balance of payments of its own yet) and Georgia 1995-96, where WDI 2025 has no value",
    "exports_pct_gdp": "no economy exports nothing",
}
# Indicators where 0 is kept, and why (documentation; not used by code):
ZERO_IS_A_VALUE = {
    "poverty_300_pct / poverty_420_pct": "PIP rounds to one decimal; Belarus below $3.00 a day is 0 in 2013-2020",
    "oda_per_capita_usd": "net ODA can be negative, so 0 is inside its range",
    "migrant stocks (UN DESA)": "UN DESA documents that n = 0 means a definite absence",
    "KNOMAD matrices": "their zeros are estimates (e.g. Armenia-Azerbaijan flows are set to 0 by assumption)",
}


def zeros_to_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Exact zeros of the :data:`ZERO_MEANS_NO_DATA` indicators become NaN; rows are kept."""
    frame = frame.copy()
    mask = frame["indicator"].isin(list(ZERO_MEANS_NO_DATA)) & (frame["value"] == 0)
    frame.loc[mask, "value"] = np.nan
    return frame


def tidy(frame: pd.DataFrame, source: str, edition: str) -> pd.DataFrame:
    """Finish a reader's frame of iso3, year, indicator, value: names, units, provenance, zero rule."""
    unknown = sorted(set(frame["indicator"]) - set(INDICATORS))
    if unknown:
        raise DataValidationError(
            f"{source}: indicator ids {unknown} are not in analysis.external.tidy.INDICATORS; "
            "add them there with their unit and definition."
        )
    out = frame[["iso3", "year", "indicator", "value"]].copy()
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    codes = pd.unique(out["iso3"])
    out["country"] = out["iso3"].map({code: display_name(code) for code in codes})
    out["unit"] = out["indicator"].map({key: unit for key, (unit, _) in INDICATORS.items()})
    out["source"] = source
    out["edition"] = edition
    out = zeros_to_missing(out[COLUMNS])
    return out.sort_values(["iso3", "indicator", "year"], kind="stable").reset_index(drop=True)


def indicators() -> pd.DataFrame:
    """The indicator ids with unit, definition and whether a zero means 'no data'."""
    rows = [
        {"indicator": key, "unit": unit, "definition": text,
         "zero_means_no_data": ZERO_MEANS_NO_DATA.get(key, "")}
        for key, (unit, text) in INDICATORS.items()
    ]
    return pd.DataFrame(rows)
