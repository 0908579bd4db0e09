"""The tidy panel of the post-Soviet states, and the frames the extension chapters draw from it.

Editions are never spliced: every row keeps the edition of the file it came
from, and :func:`select_series` refuses to return one indicator from two
editions. Where a chapter's frame combines indicators from different files
(the ODA share, a cross-section on another edition's GDP), each column's
edition is named in the frame.

Population comes from two publishers. The default everywhere is the World
Bank's own series (SP.POP.TOTL, ``population.csv``, :data:`POPULATION_WB`);
the ``pop`` variable of ``wdi.rda`` is UN DESA's World Population Prospects
2024 (:data:`POPULATION_WPP`), which for Moldova counts Transnistria too, and
is used only where a chapter shows it as a sensitivity.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.data.countries import CIS, POST_SOVIET, display_name
from analysis.data.external import migration, readers
from analysis.data.external.registry import fetch
from analysis.data.external.tidy import COLUMNS
from analysis.errors import DataValidationError, ParameterError
from analysis.files import file_sha256

WDI_2025 = "WDI 2025"
WDI_2023 = "WDI 2023"
WB_2013 = "WB remittances April 2013"
GAPMINDER_WDI = "WDI via Gapminder c63631a"
DATASETS_GDP = "WDI via datasets/gdp 822019c"
UNDESA_2024 = "UN DESA IMS 2024"
UNDESA_2020 = "UN DESA IMS 2020"
KNOMAD_2021 = "KNOMAD 2021"
POPULATION_WB = "WDI via datasets/population 425fc44"
POPULATION_WPP = "UN WPP 2024"
POPULATION_EDITIONS = (POPULATION_WB, POPULATION_WPP)  # the default first
REMITTANCE_EDITIONS = (WB_2013, WDI_2023, WDI_2025)
PANEL_KEY = ["iso3", "year", "indicator", "edition"]


@lru_cache(maxsize=8)
def _panel_cached(countries: tuple[str, ...], data_hashes: tuple[str, ...]) -> pd.DataFrame:
    frames = [readers.read_source(name, countries) for name in readers.source_files()]
    frame = pd.concat(frames, ignore_index=True)[COLUMNS]
    duplicated = frame.duplicated(PANEL_KEY, keep=False)
    if duplicated.any():
        first = frame.loc[duplicated].iloc[0]
        raise DataValidationError(
            f"the panel holds two values for {first[PANEL_KEY].to_dict()} (sources "
            f"{sorted(set(frame.loc[duplicated, 'source']))}); each indicator and edition must come from one file."
        )
    return frame.sort_values(["iso3", "indicator", "edition", "year"], kind="stable").reset_index(drop=True)


def panel(countries=POST_SOVIET) -> pd.DataFrame:
    """Every indicator of every file for the given countries (default: 12 CIS + 3 Baltic states)."""
    countries = tuple(readers.check_countries(countries))
    data_hashes = tuple(file_sha256(fetch(name)) for name in readers.source_files())
    return _panel_cached(countries, data_hashes).copy()


def editions_of(frame: pd.DataFrame, indicator: str) -> list[str]:
    return sorted(set(frame.loc[frame["indicator"] == indicator, "edition"]))


def select_series(frame: pd.DataFrame, indicator: str, edition: str | None = None) -> pd.DataFrame:
    """The rows of one indicator from one edition; refuses to mix editions."""
    available = editions_of(frame, indicator)
    if not available:
        known = sorted(set(frame["indicator"]))
        raise ParameterError(f"indicator={indicator!r} is not in this frame; it holds {known}.")
    if edition is None:
        if len(available) > 1:
            raise ParameterError(
                f"indicator={indicator!r} comes in {len(available)} editions {available}; editions are never "
                "spliced, so pass edition= one of them."
            )
        edition = available[0]
    if edition not in available:
        raise ParameterError(f"edition={edition!r} has no {indicator!r}; available: {available}.")
    rows = frame[(frame["indicator"] == indicator) & (frame["edition"] == edition)]
    return rows.reset_index(drop=True)


def wide(frame: pd.DataFrame, series: dict[str, str]) -> pd.DataFrame:
    """Country-year table with one column per indicator, each from the edition given.

    ``series`` maps indicator -> edition. The editions used are kept in
    ``frame.attrs['editions']``.
    """
    parts = []
    for indicator, edition in series.items():
        rows = select_series(frame, indicator, edition)
        parts.append(rows.set_index(["country", "iso3", "year"])["value"].rename(indicator))
    table = pd.concat(parts, axis=1).reset_index().sort_values(["iso3", "year"], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs["editions"] = dict(series)
    return table


def _years(frame: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    if start > end:
        raise ParameterError(f"start={start} is after end={end}; pass start <= end.")
    return frame[frame["year"].between(start, end)].reset_index(drop=True)


def remittances(countries=CIS, start: int = 1995, end: int = 2023, edition: str = WDI_2025) -> pd.DataFrame:
    """Remittances received in US$ and as % of GDP, one edition (the share exists only in WDI 2025)."""
    data = panel(countries)
    series = {"remittances_usd": edition}
    if "remittances_pct_gdp" not in set(data.loc[data["edition"] == edition, "indicator"]):
        raise ParameterError(
            f"edition={edition!r} has no GDP, so no remittance share of GDP; use edition={WDI_2025!r}, "
            "or panel()/select_series() for the US$ series alone."
        )
    series["remittances_pct_gdp"] = edition
    table = _years(wide(data, series), start, end)
    table["edition"] = edition
    return table


def check_population_edition(population_edition: str) -> str:
    if population_edition not in POPULATION_EDITIONS:
        raise ParameterError(
            f"population_edition={population_edition!r}; choose one of {list(POPULATION_EDITIONS)} "
            "(the World Bank's SP.POP.TOTL, or UN DESA's World Population Prospects 2024)."
        )
    return population_edition


def table3_by_year(
    countries=None, start: int = 1995, end: int = 2023, population_edition: str = POPULATION_WB
) -> pd.DataFrame:
    """Table 3's comparison for every year: remittances, FDI, exports and ODA as % of GDP.

    Long form (country, iso3, year, measure, pct_gdp, editions). Remittances and
    FDI are shares within WDI 2025; exports are Gapminder's WDI share; ODA is
    Gapminder's ODA per person times the population of ``population_edition``
    over WDI 2025 GDP. Default countries: the seven of the paper's Table 3.
    """
    countries = table3_countries() if countries is None else countries
    check_population_edition(population_edition)
    data = panel(countries)
    shares = {
        "remittances": (select_series(data, "remittances_pct_gdp", WDI_2025), WDI_2025),
        "fdi": (select_series(data, "fdi_pct_gdp", WDI_2025), WDI_2025),
        "exports": (select_series(data, "exports_pct_gdp", GAPMINDER_WDI), GAPMINDER_WDI),
    }
    oda = wide(data, {"oda_per_capita_usd": GAPMINDER_WDI, "population": population_edition, "gdp_usd": WDI_2025})
    oda["value"] = 100.0 * oda["oda_per_capita_usd"] * oda["population"] / oda["gdp_usd"]
    oda = oda.dropna(subset=["oda_per_capita_usd"])
    shares["oda"] = (oda, f"ODA per person: {GAPMINDER_WDI}; population: {population_edition}; GDP: {WDI_2025}")
    parts = [
        rows[["country", "iso3", "year", "value"]].assign(measure=measure, editions=label)
        for measure, (rows, label) in shares.items()
    ]
    frame = pd.concat(parts, ignore_index=True).rename(columns={"value": "pct_gdp"})
    frame = _years(frame, start, end)[["country", "iso3", "year", "measure", "pct_gdp", "editions"]]
    return frame.sort_values(["iso3", "year", "measure"], kind="stable").reset_index(drop=True)


def population_ratio(countries=None, start: int = 1995, end: int = 2023) -> pd.DataFrame:
    """UN WPP 2024 population over the World Bank's, per country and year where both have a value.

    A level computed as an amount per person times population (aid) moves by
    this ratio when the population series changes; one computed by dividing by
    population (GDP per capita) moves by its inverse. Default countries: the
    seven of Table 3.
    """
    data = panel(table3_countries() if countries is None else countries)
    sides = {
        name: select_series(data, "population", edition).set_index(["country", "iso3", "year"])["value"]
        for name, edition in (("world_bank", POPULATION_WB), ("un_wpp", POPULATION_WPP))
    }
    table = _years(pd.concat(sides, axis=1).dropna().reset_index(), start, end)
    table["ratio"] = table["un_wpp"] / table["world_bank"]
    return table.sort_values(["iso3", "year"], kind="stable").reset_index(drop=True)


def table3_countries() -> list[str]:
    """ISO3 codes of the seven countries of the paper's Table 3."""
    from analysis.data import paper

    return paper.table3_levels()["iso3"].astype(str).tolist()


def russia_share(origins=None, editions=(UNDESA_2024, UNDESA_2020)) -> pd.DataFrame:
    """Share of each origin's emigrants living in Russia, per UN DESA edition (kept apart).

    Default origins: the CIS states other than Russia.
    """
    origins = [code for code in CIS if code != migration.RUSSIA] if origins is None else origins
    data = panel(origins)
    tables = []
    for edition in editions:
        if edition not in migration.UNDESA_FILES:
            raise ParameterError(
                f"edition={edition!r} is not a UN DESA edition; choose from {sorted(migration.UNDESA_FILES)}."
            )
        table = wide(
            data,
            {
                "migrant_stock_emigrants": edition,
                "migrant_stock_emigrants_in_russia": edition,
                "emigrants_in_russia_pct": edition,
            },
        )
        tables.append(table.assign(edition=edition))
    frame = pd.concat(tables, ignore_index=True).rename(
        columns={
            "migrant_stock_emigrants": "emigrants",
            "migrant_stock_emigrants_in_russia": "emigrants_in_russia",
            "emigrants_in_russia_pct": "share_pct",
        }
    )
    return frame.sort_values(["iso3", "edition", "year"], kind="stable").reset_index(drop=True)


def russia_share_difference(origins=None) -> pd.DataFrame:
    """The two UN DESA editions side by side for the years both cover, with their differences."""
    frame = russia_share(origins)
    suffix = {UNDESA_2024: "ims2024", UNDESA_2020: "ims2020"}
    sides = [
        frame[frame["edition"] == edition]
        .drop(columns="edition")
        .rename(columns={c: f"{c}_{tag}" for c in ("emigrants", "emigrants_in_russia", "share_pct")})
        for edition, tag in suffix.items()
    ]
    both = sides[0].merge(sides[1], on=["country", "iso3", "year"], how="inner", validate="one_to_one")
    both["share_difference_pp"] = both["share_pct_ims2024"] - both["share_pct_ims2020"]
    both["emigrants_ratio"] = both["emigrants_ims2024"] / both["emigrants_ims2020"]
    both["in_russia_ratio"] = both["emigrants_in_russia_ims2024"] / both["emigrants_in_russia_ims2020"]
    return both.sort_values(["iso3", "year"], kind="stable").reset_index(drop=True)


def corridors(origins=None) -> pd.DataFrame:
    """KNOMAD 2021 corridors (migrants, remittances) from each origin; default: the 12 CIS states."""
    origins = readers.check_countries(CIS if origins is None else origins)
    return migration.knomad_corridors(origins)


def paper_era_revisions(year: int = 2003) -> pd.DataFrame:
    """The paper's Table 3 remittance and GDP figures beside later World Bank editions.

    One row per country, paper column and edition; values in US$ million;
    ``revision_ratio`` = edition value / paper value. Remittances are compared
    with both printed columns (balance of payments, and estimate); GDP with
    WDI 2025 and the datasets/gdp vintage (the 2013 and 2023 remittance files
    carry no GDP).
    """
    from analysis.data import paper

    levels = paper.table3_levels()
    data = panel(levels["iso3"].astype(str).tolist())
    comparisons = [
        ("remittances", "remittances_bop_2003_musd", "remittances_usd", REMITTANCE_EDITIONS),
        ("remittances", "remittances_estimate_musd", "remittances_usd", REMITTANCE_EDITIONS),
        ("gdp", "gdp_2003_musd", "gdp_usd", (WDI_2025, DATASETS_GDP)),
    ]
    rows = []
    for measure, column, indicator, editions in comparisons:
        printed = levels[["iso3", column]].copy()
        printed["paper_value_musd"] = printed[column].to_numpy(dtype=float, na_value=np.nan)
        for edition in editions:
            series = select_series(data, indicator, edition)
            source = series["source"].iloc[0]
            series = series[series["year"] == year][["iso3", "value"]]
            merged = printed.merge(series, on="iso3", how="left", validate="one_to_one")
            rows.append(
                pd.DataFrame(
                    {
                        "iso3": merged["iso3"].astype(str),
                        "measure": measure,
                        "year": year,
                        "paper_column": column,
                        "paper_value_musd": merged["paper_value_musd"],
                        "edition": edition,
                        "edition_value_musd": merged["value"] / 1e6,
                        "source": source,
                    }
                )
            )
    frame = pd.concat(rows, ignore_index=True)
    frame["revision_ratio"] = frame["edition_value_musd"] / frame["paper_value_musd"]
    frame.insert(0, "country", frame["iso3"].map(display_name))
    return frame


def cross_section(
    year: int,
    countries=None,
    remittance_edition: str = WDI_2025,
    gdp_edition: str = WDI_2025,
    population_edition: str = POPULATION_WB,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The paper-era cross-section for one year and chosen editions.

    Remittances (US$) from ``remittance_edition``; GDP from ``gdp_edition``;
    population from ``population_edition`` (default: the World Bank's
    SP.POP.TOTL). Shares and GDP per capita are computed here; the three
    editions are columns.
    Default countries: the seven of Table 3. Pass ``frame`` (a panel) to
    avoid re-reading it in a loop over years.
    """
    countries = table3_countries() if countries is None else readers.check_countries(countries)
    data = panel(countries) if frame is None else frame[frame["iso3"].isin(countries)]
    check_population_edition(population_edition)
    table = wide(
        data, {"remittances_usd": remittance_edition, "gdp_usd": gdp_edition, "population": population_edition}
    )
    table = table[table["year"] == year].reset_index(drop=True)
    table["remittances_pct_gdp"] = 100.0 * table["remittances_usd"] / table["gdp_usd"]
    table["gdp_per_capita_usd"] = table["gdp_usd"] / table["population"]
    table["remittance_edition"] = remittance_edition
    table["gdp_edition"] = gdp_edition
    table["population_edition"] = population_edition
    return table
