"""One reader per pinned file, each returning the tidy long form of :mod:`analysis.data.external.tidy`.

:func:`read_source` fetches and verifies the file, reads it once per process
(cached by path and sha256), and returns a copy, optionally for some
countries only. Rows whose code is not a current ISO 3166 country (regional
and income aggregates, Kosovo, the Channel Islands) are left out.

Per-file notes:

- ``wdi.rda``: the variables in :data:`WDI_VARIABLES`, World Bank series of
  WDI 2025 except ``pop``, which is UN DESA's World Population Prospects 2024
  (``data/external/series.csv`` says which is which). It also yields
  ``remittances_pct_gdp`` and ``fdi_pct_gdp``, each computed from World Bank
  values of this one file; no ratio mixes the two publishers.
- ``RemittanceData_Inflows_April2013.xls``: US$ million, converted to US$.
  The forecast column "2012e" and the column of 2011 shares are not read.
- ``personal-remittances-received.xls`` (WDI 2023): current US$.
- UN DESA and KNOMAD files: per-country totals from :mod:`.migration`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data import columnar_cache
from analysis.data.external import cells
from analysis.data.external.names import is_iso_country, iso3_of_world_bank_name
from analysis.data.external.registry import fetch
from analysis.data.external.tidy import tidy, zeros_to_missing
from analysis.errors import DataValidationError, ParameterError
from analysis.files import file_sha256

WDI_RDA = "wdi.rda"
WB_2013_XLS = "RemittanceData_Inflows_April2013.xls"
WDI_2023_XLS = "personal-remittances-received.xls"
GDP_CSV = "gdp.csv"
POPULATION_CSV = "population.csv"

WDI_VARIABLES = {
    "remin": "remittances_usd",
    "remout": "remittances_paid_usd",
    "gdp": "gdp_usd",
    "pop": "population",
    "fdiin": "fdi_inflows_usd",
    "fdiout": "fdi_outflows_usd",
    "income": "gdp_per_capita_ppp",
    "nmig": "net_migration",
    "inf": "inflation_pct",
    "unem": "unemployment_pct",
    "birth": "birth_rate_per_1000",
    "depend": "dependency_ratio_pct",
    "polstb": "political_stability",
}
GAPMINDER_CONCEPTS = {
    "aid_received_per_person_current_us": "oda_per_capita_usd",
    "exports_percent_of_gdp": "exports_pct_gdp",
    "extreme_poverty_percent_people_below_300_a_day": "poverty_300_pct",
    "foreign_direct_investment_net_inflows_percent_of_gdp": "fdi_pct_gdp",
    "poverty_percent_people_below_420_a_day": "poverty_420_pct",
}
WB_2013_TITLE = "Migrant remittance Inflows (US$ million)"
WB_2013_SKIPPED_COLUMNS = ("2012e", "Remittances as a share of GDP, 2011 (%)")
WDI_2023_INDICATOR = "BX.TRF.PWKR.CD.DT"


def _iso_only(frame: pd.DataFrame) -> pd.DataFrame:
    codes = frame["iso3"].astype(str).str.upper()
    keep = codes.map({code: is_iso_country(code) for code in pd.unique(codes)})
    return frame.assign(iso3=codes)[keep.to_numpy(dtype=bool)]


RATIOS = {  # id -> (numerator, denominator, scale), all from the same file and publisher
    "remittances_pct_gdp": ("remittances_usd", "gdp_usd", 100.0),
    "fdi_pct_gdp": ("fdi_inflows_usd", "gdp_usd", 100.0),
}


def _derived(frame: pd.DataFrame) -> pd.DataFrame:
    """Ratios inside one file, after the zero rule.

    A ratio row exists where both inputs have a row; a zero turned missing
    therefore shows up as a missing ratio instead of vanishing.
    """
    frame = zeros_to_missing(frame, WDI_RDA)
    wide = frame.pivot(index=["iso3", "year"], columns="indicator", values="value")
    exists = frame.assign(row=1.0).pivot(index=["iso3", "year"], columns="indicator", values="row").notna()
    parts = []
    for name, (numerator, denominator, scale) in RATIOS.items():
        both = exists[numerator] & exists[denominator]
        values = scale * wide.loc[both, numerator] / wide.loc[both, denominator]
        index = values.index.to_frame(index=False)
        parts.append(index.assign(indicator=name, value=values.to_numpy()))
    return pd.concat(parts, ignore_index=True)


def _read_wdi_rda(path: Path) -> pd.DataFrame:
    import pyreadr

    objects = pyreadr.read_r(str(path))
    if list(objects) != ["wdi"]:
        raise DataValidationError(f"{path.name}: holds R objects {list(objects)}; expected one object 'wdi'.")
    raw = objects["wdi"]
    cells.require_columns(raw, ["geo", "var", "t", "v"], path)
    unknown = sorted(set(raw["var"]) - set(WDI_VARIABLES))
    if unknown:
        raise DataValidationError(
            f"{path.name}: column 'var' holds {unknown}, which analysis.data.external.readers.WDI_VARIABLES "
            "does not map to an indicator id. Add them there."
        )
    cells.require_unique(raw, ["geo", "var", "t"], path)
    frame = pd.DataFrame(
        {
            "iso3": raw["geo"],
            "year": raw["t"].astype("int64"),
            "indicator": raw["var"].map(WDI_VARIABLES),
            "value": raw["v"].astype("float64"),
        }
    )
    frame = _iso_only(frame)
    return pd.concat([frame, _derived(frame)], ignore_index=True)


def _year_columns(labels: pd.Series, path: Path, skipped=()) -> dict:
    years = {}
    for position, label in labels.items():
        if isinstance(label, str) and label.strip().isdigit():
            label = int(label.strip())
        if (
            isinstance(label, (int, float))
            and not pd.isna(label)
            and float(label).is_integer()
            and 1900 <= label <= 2100
        ):
            years[position] = int(label)
        elif pd.isna(label) or label in skipped:
            continue
        else:
            raise DataValidationError(
                f"{path.name}: header column {position} reads {label!r}; expected a year"
                + (f" or one of {list(skipped)}" if skipped else "")
                + "."
            )
    return years


def _melt_years(names_or_codes, block: pd.DataFrame, years: dict) -> pd.DataFrame:
    block = block.copy()
    block.columns = [years[column] for column in block.columns]
    block.insert(0, "iso3", list(names_or_codes))
    long = block.melt(id_vars="iso3", var_name="year", value_name="value")
    return long.dropna(subset=["value"])


def _read_wb_2013(path: Path) -> pd.DataFrame:
    sheet = pd.read_excel(path, header=None, engine="calamine")
    if str(sheet.iat[0, 0]).strip() != WB_2013_TITLE:
        raise DataValidationError(f"{path.name}: cell A1 reads {sheet.iat[0, 0]!r}; expected {WB_2013_TITLE!r}.")
    years = _year_columns(sheet.iloc[0, 1:], path, WB_2013_SKIPPED_COLUMNS)
    first_blank = sheet.index[sheet[0].isna()][0]  # the country block ends at the first empty row
    body = sheet.iloc[1:first_blank]
    codes = [iso3_of_world_bank_name(str(name), f"{path.name}, row {row + 1}") for row, name in body[0].items()]
    block = cells.numeric_block(body[list(years)], path, row_offset=1)
    long = _melt_years(codes, block, years)
    long = long[long["iso3"].notna()]  # Kosovo, Channel Islands: no ISO code
    long["value"] = long["value"] * 1e6  # the file is in US$ million
    long["indicator"] = "remittances_usd"
    return _iso_only(long)


def _read_wdi_2023(path: Path) -> pd.DataFrame:
    sheet = pd.read_excel(path, sheet_name="Data", header=None, engine="calamine")
    header = list(sheet.iloc[3, :4])
    if header != ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]:
        raise DataValidationError(f"{path.name}: row 4 starts with {header}; expected the WDI export header.")
    years = _year_columns(sheet.iloc[3, 4:], path)
    body = sheet.iloc[4:]
    codes_found = set(body[3].dropna())
    if codes_found != {WDI_2023_INDICATOR}:
        raise DataValidationError(
            f"{path.name}: column 'Indicator Code' holds {sorted(codes_found)}; expected only {WDI_2023_INDICATOR}."
        )
    block = cells.numeric_block(body[list(years)], path, row_offset=4)
    long = _melt_years(body[1].astype(str), block, years)
    long["indicator"] = "remittances_usd"
    return _iso_only(long)


def _read_wdi_long_csv(path: Path, indicator: str) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    cells.require_columns(raw, ["Country Name", "Country Code", "Year", "Value"], path)
    frame = pd.DataFrame(
        {
            "iso3": raw["Country Code"],
            "year": cells.numeric_column(raw["Year"], path, "Year").astype("int64"),
            "indicator": indicator,
            "value": cells.numeric_column(raw["Value"], path, "Value"),
        }
    )
    cells.require_unique(frame, ["iso3", "year"], path)
    return _iso_only(frame.dropna(subset=["value"]))


def _read_gapminder(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    concepts = [column for column in raw.columns if column not in ("geo", "time")]
    if len(concepts) != 1 or concepts[0] not in GAPMINDER_CONCEPTS:
        raise DataValidationError(
            f"{path.name}: value columns {concepts}; expected one of {sorted(GAPMINDER_CONCEPTS)}."
        )
    concept = concepts[0]
    frame = pd.DataFrame(
        {
            "iso3": raw["geo"],
            "year": cells.numeric_column(raw["time"], path, "time").astype("int64"),
            "indicator": GAPMINDER_CONCEPTS[concept],
            "value": cells.numeric_column(raw[concept], path, concept),
        }
    )
    cells.require_unique(frame, ["iso3", "year"], path)
    return _iso_only(frame.dropna(subset=["value"]))


def _gapminder_file(concept: str) -> str:
    return f"ddf--datapoints--{concept}--by--geo--time.csv"


def _readers() -> dict:
    from analysis.data.external import migration

    readers = {
        WDI_RDA: _read_wdi_rda,
        WB_2013_XLS: _read_wb_2013,
        WDI_2023_XLS: _read_wdi_2023,
        GDP_CSV: lambda path: _read_wdi_long_csv(path, "gdp_usd"),
        POPULATION_CSV: lambda path: _read_wdi_long_csv(path, "population"),
        migration.UNDESA_FILES["UN DESA IMS 2024"]: migration.undesa_country_totals,
        migration.UNDESA_FILES["UN DESA IMS 2020"]: migration.undesa_country_totals,
        migration.KNOMAD_MIGRANTS: migration.knomad_migrant_totals,
        migration.KNOMAD_REMITTANCES: migration.knomad_remittance_totals,
    }
    readers.update({_gapminder_file(concept): _read_gapminder for concept in GAPMINDER_CONCEPTS})
    return readers


@columnar_cache.cached
def _read_cached(filename: str, path: str, sha256: str) -> pd.DataFrame:
    return tidy(_readers()[filename](Path(path)), filename)


def check_countries(countries) -> list[str] | None:
    if countries is None:
        return None
    if isinstance(countries, str):
        countries = [countries]
    countries = list(countries)
    bad = [code for code in countries if not isinstance(code, str) or not is_iso_country(code)]
    if bad:
        raise ParameterError(
            f"countries={bad} are not ISO 3166 alpha-3 codes; pass codes such as 'ARM', "
            "or analysis.data.countries.POST_SOVIET."
        )
    return countries


def read_source(filename: str, countries=None) -> pd.DataFrame:
    """The tidy frame of one registered file (all countries, or the given ISO3 codes)."""
    readers = _readers()
    if filename not in readers:
        raise ParameterError(f"filename={filename!r} has no reader; known files: {', '.join(sorted(readers))}.")
    countries = check_countries(countries)
    path = fetch(filename)
    frame = _read_cached(filename, str(path), file_sha256(path))
    if countries is not None:
        frame = frame[frame["iso3"].isin(countries)]
    return frame.reset_index(drop=True).copy()


def source_files() -> list[str]:
    """Every registered file that has a reader (all 14)."""
    return sorted(_readers())
