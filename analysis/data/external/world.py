"""Every economy of the WDI 2025 extract, one row per economy and year: the frame of chapters 12 and 13.

"Economies" are the ISO 3166 entries the readers keep; the World Bank's regional
and income aggregates (WLD, ECA, LMC...) have no ISO code and never reach this
frame (:func:`analysis.data.external.names.is_iso_country`). Remittances, GDP and
GDP per capita at PPP come from WDI 2025; population is the World Bank's own
SP.POP.TOTL (``population.csv``), not the UN series carried inside ``wdi.rda``,
so GDP per capita in US$ divides two World Bank series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.external import panel_data, readers, series
from analysis.errors import ParameterError

# (indicator, edition) of every series in the frame; the chapters cite and hash them from here.
REMITTANCES = ("remittances_usd", panel_data.WDI_2025)
REMITTANCE_SHARE = ("remittances_pct_gdp", panel_data.WDI_2025)
GDP = ("gdp_usd", panel_data.WDI_2025)
GDP_PC_PPP = ("gdp_per_capita_ppp", panel_data.WDI_2025)
POPULATION = ("population", panel_data.POPULATION_WB)
SERIES = (REMITTANCES, REMITTANCE_SHARE, GDP, GDP_PC_PPP, POPULATION)

# Income measure -> (column of the frame, the series it is computed from).
INCOME_MEASURES = {
    "ppp": ("gdp_per_capita_ppp", (GDP_PC_PPP,)),
    "usd": ("gdp_per_capita_usd", (GDP, POPULATION)),
}


def economies(start: int = 1990, end: int = 2023) -> pd.DataFrame:
    """Country-years of every economy from ``start`` to ``end``: the series of :data:`SERIES` and
    ``gdp_per_capita_usd`` (GDP / World Bank population). Values are missing where a file has none."""
    if start > end:
        raise ParameterError(f"start={start} is after end={end}; pass start <= end.")
    files = series.files_of(SERIES)
    frame = pd.concat([readers.read_source(name) for name in files], ignore_index=True)
    table = panel_data.wide(frame, dict(SERIES))
    table = table[table["year"].between(start, end)].reset_index(drop=True)
    table["gdp_per_capita_usd"] = table["gdp_usd"] / table["population"]
    table.attrs["editions"] = dict(SERIES)
    return table


def income_column(measure: str) -> str:
    """The frame's column for an income measure: 'ppp' (constant 2021 international $) or 'usd' (current US$)."""
    if measure not in INCOME_MEASURES:
        raise ParameterError(f"income measure {measure!r} is unknown; choose one of {sorted(INCOME_MEASURES)}.")
    return INCOME_MEASURES[measure][0]


def income_series(measure: str) -> tuple:
    """The (indicator, edition) pairs an income measure is computed from."""
    income_column(measure)
    return INCOME_MEASURES[measure][1]


def keep_populous(frame: pd.DataFrame, min_population: float) -> pd.DataFrame:
    """The economy-years with at least ``min_population`` people (World Bank population) that year.

    Rule: a threshold of 0 keeps every economy, even one without a population
    figure; any other threshold drops the economy-years without one, since they
    cannot be shown to pass it.
    """
    if not np.isfinite(min_population) or min_population < 0:
        raise ParameterError(f"min_population={min_population!r}; pass a number of people >= 0, e.g. 1000000.")
    if min_population == 0:
        return frame.reset_index(drop=True)
    return frame[frame["population"] >= min_population].reset_index(drop=True)
