"""The paper's tables as tidy, validated frames with harmonised country codes.

Every frame keeps the table's own spelling (``country_as_printed``) beside the
ISO 3166 code (``iso3``) and one display name (``country``) that is the same
in every table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.countries import display_name, iso3
from analysis.data.datapackage import read_resource, resource_path, rule_failure
from analysis.errors import DataValidationError

TABLE1 = "table1_living_standards"
TABLE2 = "table2_migrant_workers"
TABLE3_LEVELS = "table3_remittances_levels"
TABLE3_SHARES = "table3_remittances_shares"

# Printed ranges are stored as low/high pairs; low must never exceed high.
_RANGE_PAIRS = {
    TABLE2: [
        ("abroad_low_thousands", "abroad_high_thousands"),
        ("in_russia_low_thousands", "in_russia_high_thousands"),
    ],
}


def _with_codes(frame: pd.DataFrame, name: str, descriptor: Path) -> pd.DataFrame:
    codes, problems = [], []
    for row, printed in frame["country_as_printed"].items():
        try:
            codes.append(iso3(printed))
        except DataValidationError as exc:
            problems.append(f"data row {row + 1}, column 'country_as_printed': {exc}")
            codes.append(None)
    if problems:
        raise rule_failure(resource_path(name, descriptor), problems)
    codes = pd.Series(codes, index=frame.index)
    frame = frame.copy()
    frame.insert(1, "iso3", codes.astype("string"))
    frame.insert(2, "country", codes.map(display_name).astype("string"))
    return frame


def _check_ranges(name: str, frame: pd.DataFrame, descriptor: Path) -> None:
    problems = []
    for low, high in _RANGE_PAIRS.get(name, []):
        for row in frame.index[(frame[low] > frame[high]).fillna(False)]:
            problems.append(
                f"data row {row + 1} ({frame.at[row, 'country_as_printed']}): {low}={frame.at[row, low]} "
                f"exceeds {high}={frame.at[row, high]}. A printed range a-b is stored as low=a, high=b."
            )
        for row in frame.index[frame[low].isna() != frame[high].isna()]:
            problems.append(
                f"data row {row + 1} ({frame.at[row, 'country_as_printed']}): only one of {low}, {high} "
                "is missing. Both are missing (printed '-') or both are set."
            )
    if problems:
        raise rule_failure(resource_path(name, descriptor), problems)


def load_table(name: str, descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """A transcribed table, validated, with ``iso3`` and ``country`` columns added."""
    frame = read_resource(name, descriptor)
    _check_ranges(name, frame, descriptor)
    return _with_codes(frame, name, descriptor)


def table1(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Table 1: GDP per capita (US$) and the share living below 2 US$ a day, 12 CIS states."""
    return load_table(TABLE1, descriptor)


def table2(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Table 2: migrant workers abroad and in Russia (thousands), as low/high ranges."""
    return load_table(TABLE2, descriptor)


def table3_levels(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Table 3, upper block: remittances, FDI, exports, ODA and GDP in US$ million."""
    return load_table(TABLE3_LEVELS, descriptor)


def table3_shares(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Table 3, lower block: the printed shares of GDP (percent), never recomputed."""
    return load_table(TABLE3_SHARES, descriptor)


def remittance_cross_section(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Table 1 joined with both blocks of Table 3 by ISO3 code (the 7 Table 3 countries).

    The join is by code, so Table 1's "Kyrgyzstan" meets Table 3's "Kyrgyz Republic".
    """
    provenance = ["country_as_printed", "paper_line", "printed_row"]
    living = table1(descriptor).drop(columns=provenance + ["country"])
    levels = table3_levels(descriptor).drop(columns=provenance)
    shares = table3_shares(descriptor).drop(columns=provenance + ["country"])
    merged = levels.merge(shares, on="iso3", how="inner", validate="one_to_one")
    merged = merged.merge(living, on="iso3", how="left", validate="one_to_one")
    missing = merged.loc[merged["gdp_per_capita_usd"].isna(), "country"].tolist()
    if missing:
        raise DataValidationError(
            f"Table 3 countries {missing} have no row in Table 1; the join by ISO3 code failed. "
            "Check the country spellings in data/paper/."
        )
    return merged.reset_index(drop=True)
