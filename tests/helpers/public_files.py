"""The pinned public files read straight from the mirror, for checks of the extension chapters (9-11).

The route is independent of analysis.data.external's readers: pyreadr for the .rda
files, the csv module for the CSV files.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pandas as pd

# The paper's Table 3, lines 328-339 of the text, e.g. line 336 "Kyrgyz Republic 100 400 46 582 186 1 775":
# (BOP 2003, estimate, GDP 2003), US$ million; Uzbekistan's BOP is printed "n.a.".
TABLE3 = {
    "ARM": (162, 850, 2760),
    "AZE": (156, 700, 7341),
    "GEO": (237, 275, 3984),
    "KGZ": (100, 400, 1775),
    "MDA": (464, 500, 1950),
    "TJK": (146, 500, 1586),
    "UZB": (None, 600, 8728),
}
ODA_CSV = "ddf--datapoints--aid_received_per_person_current_us--by--geo--time.csv"


@cache
def wdi(folder: Path) -> pd.DataFrame:
    """wdi.rda's one table (columns geo, var, t, v)."""
    import pyreadr

    return pyreadr.read_r(str(folder / "wdi.rda"))["wdi"]


def wdi_value(raw: pd.DataFrame, code: str, var: str, year: int) -> float:
    cell = raw[(raw["geo"] == code) & (raw["var"] == var) & (raw["t"] == year)]["v"]
    assert len(cell) == 1, (code, var, year)
    return float(cell.iloc[0])


def wdi_cell(raw: pd.DataFrame, code: str, var: str, year: int) -> pd.Series:
    """The value of one country, variable and year, empty where wdi.rda has none."""
    return raw[(raw["geo"] == code) & (raw["var"] == var) & (raw["t"] == year)]["v"]


def csv_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def world_bank_population(folder: Path) -> dict[tuple[str, int], float]:
    """population.csv (the World Bank's SP.POP.TOTL, the default population) by (ISO3, year)."""
    return {(row["Country Code"], int(row["Year"])): float(row["Value"]) for row in csv_rows(folder / "population.csv")}


def oda_per_person(folder: Path, year: int) -> dict[str, float]:
    """Gapminder's ODA per person (current US$) in ``year``, by lower-case ISO3 code."""
    return {
        row["geo"]: float(row["aid_received_per_person_current_us"])
        for row in csv_rows(folder / ODA_CSV)
        if row["time"] == str(year)
    }
