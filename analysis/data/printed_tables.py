"""The paper's Tables 1-3 laid out as printed, built from the data package.

These frames are for display only: headers and number formats follow the
paper, values come from the validated transcription.
"""

from __future__ import annotations

import pandas as pd

from analysis.data import paper

MISSING_AS_PRINTED = {"table2": "-", "table3": "n.a."}


def _fmt_range(low, high) -> str:
    if pd.isna(low):
        return MISSING_AS_PRINTED["table2"]
    return f"{int(low):,}" if low == high else f"{int(low):,}–{int(high):,}"


def _fmt(value, pattern: str) -> str:
    return MISSING_AS_PRINTED["table3"] if pd.isna(value) else format(value, pattern)


def table1_as_printed() -> pd.DataFrame:
    frame = paper.table1()
    return pd.DataFrame(
        {
            "CIS country": frame["country_as_printed"],
            "GDP per capita, US$": frame["gdp_per_capita_usd"].map(lambda v: f"{v:,.1f}"),
            "Population living on less than 2 US$ per day, %": frame["poverty_below_2usd_day_pct"].astype(str),
        }
    ).set_index("CIS country")


def table2_as_printed() -> pd.DataFrame:
    frame = paper.table2()
    return pd.DataFrame(
        {
            "CIS country": frame["country_as_printed"],
            "Migrant workers abroad (thousands)": [
                _fmt_range(lo, hi) for lo, hi in zip(frame["abroad_low_thousands"], frame["abroad_high_thousands"])
            ],
            "Migrant workers in Russia (thousands)": [
                _fmt_range(lo, hi)
                for lo, hi in zip(frame["in_russia_low_thousands"], frame["in_russia_high_thousands"])
            ],
        }
    ).set_index("CIS country")


TABLE3_HEADERS = {
    "remittances_bop": "Migrant transfers, BOP, 2003",
    "remittances_estimate": "Migrant transfers, estimate",
    "fdi": "FDI, 2003",
    "exports": "Exports of goods and services, 2003",
    "oda": "ODA and official aid, 2002",
    "gdp": "GDP, 2003",
}


def table3_as_printed() -> pd.DataFrame:
    """Both blocks of Table 3 under a two-level header, as in the paper."""
    levels = paper.table3_levels().set_index("country_as_printed")
    shares = paper.table3_shares().set_index("country_as_printed")
    blocks = {}
    for key, header in TABLE3_HEADERS.items():
        level_col = next(c for c in levels.columns if c.startswith(key) and c.endswith("_musd"))
        blocks[("In millions of US$", header)] = levels[level_col].map(lambda v: _fmt(v, ",.0f"))
    for key, header in TABLE3_HEADERS.items():
        share_cols = [c for c in shares.columns if c.startswith(key) and c.endswith("_pct_gdp")]
        if share_cols:
            blocks[("As a share of GDP, %", header)] = shares[share_cols[0]].map(lambda v: _fmt(v, ".1f"))
    frame = pd.DataFrame(blocks)
    frame.index.name = "Country"
    return frame


def as_printed() -> dict[str, pd.DataFrame]:
    """Tables 1-3 as printed, keyed ``table1``, ``table2``, ``table3``."""
    return {"table1": table1_as_printed(), "table2": table2_as_printed(), "table3": table3_as_printed()}


def row_numbers(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """The number of country rows of each table: ``<name>-rows``."""
    return {f"{name}-rows": len(table) for name, table in tables.items()}
