"""Table 3, cell by cell: each printed share of GDP against the share its printed level and GDP give.

A cell is *exact* when the recomputed share rounds to the printed one, *within rounding*
when it does once the levels' own rounding to whole US$ million is allowed for, and
*off* otherwise. For the off cells, :func:`table3_hypotheses` tests the obvious
explanations, and :func:`table3_denominators` sets the GDP each printed share implies
beside the World Bank's (external data).
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.audit.inputs import Inputs, as_floats
from analysis.audit.reading_rules import FLOAT_SLACK, Settings
from analysis.audit.statuses import DOES_NOT_HOLD, EXTERNAL, PARTLY, REPRODUCED, WITHIN_ROUNDING
from analysis.errors import ParameterError

# Column key -> (level column, printed share column, label).
TABLE3_COLUMNS = {
    "bop_2003": ("remittances_bop_2003_musd", "remittances_bop_2003_pct_gdp", "Migrant transfers, BOP, 2003"),
    "estimate": ("remittances_estimate_musd", "remittances_estimate_pct_gdp", "Migrant transfers, estimate"),
    "fdi_2003": ("fdi_2003_musd", "fdi_2003_pct_gdp", "FDI, 2003"),
    "exports_2003": ("exports_2003_musd", "exports_2003_pct_gdp", "Exports of goods and services, 2003"),
    "oda_2002": ("oda_2002_musd", "oda_2002_pct_gdp", "ODA and official aid, 2002"),
}
EXACT, ROUNDING, OFF, MISSING = "exact", "within rounding", "off", "n.a."
# Table 3 prints levels in whole US$ million, so each level hides up to half a million.
LEVEL_HALF_UNIT = 0.5


def _classify(level: float, gdp: float, printed: float, tolerance: float) -> str:
    """exact: the recomputed share rounds to the printed one; within rounding: it does once the
    levels' own rounding to whole US$ million is allowed for; off: neither."""
    if math.isnan(level) or math.isnan(printed):
        return MISSING
    if abs(level / gdp * 100 - printed) <= tolerance + FLOAT_SLACK:
        return EXACT
    low = (level - LEVEL_HALF_UNIT) / (gdp + LEVEL_HALF_UNIT) * 100
    high = (level + LEVEL_HALF_UNIT) / (gdp - LEVEL_HALF_UNIT) * 100
    return ROUNDING if low - tolerance - FLOAT_SLACK <= printed <= high + tolerance + FLOAT_SLACK else OFF


def table3_cells(settings: Settings | None = None, inputs: Inputs | None = None) -> pd.DataFrame:
    """Every printed share of Table 3 beside the share recomputed from the printed level and GDP 2003."""
    inputs = inputs or Inputs(settings)
    tolerance = inputs.settings.rounding_tolerance
    table = inputs.table3
    gdp = as_floats(table["gdp_2003_musd"])
    rows = []
    for key, (level_col, share_col, label) in TABLE3_COLUMNS.items():
        levels, printed = as_floats(table[level_col]), as_floats(table[share_col])
        for code, country, level, denominator, shown in zip(table.index, table["country"], levels, gdp, printed):
            recomputed = level / denominator * 100
            rows.append(
                {
                    "country": country,
                    "iso3": code,
                    "column": key,
                    "label": label,
                    "level": level,
                    "gdp": denominator,
                    "printed_share": shown,
                    "recomputed_share": recomputed,
                    "difference": recomputed - shown,
                    "share_low": (level - LEVEL_HALF_UNIT) / (denominator + LEVEL_HALF_UNIT) * 100,
                    "share_high": (level + LEVEL_HALF_UNIT) / (denominator - LEVEL_HALF_UNIT) * 100,
                    "class": _classify(level, denominator, shown, tolerance),
                }
            )
    return pd.DataFrame(rows)


def column_status(cells: pd.DataFrame) -> str:
    """The status of one share column from the classes of its cells."""
    classes = cells.loc[cells["class"] != MISSING, "class"]
    if (classes == EXACT).all():
        return REPRODUCED
    if not (classes == OFF).any():
        return WITHIN_ROUNDING
    return DOES_NOT_HOLD if (classes == OFF).all() else PARTLY


def table3_column_summary(settings: Settings | None = None, inputs: Inputs | None = None) -> pd.DataFrame:
    """Per share column: how many cells are exact, within rounding, off, and the column's status."""
    cells = table3_cells(settings, inputs)
    counts = pd.crosstab(cells["column"], cells["class"]).reindex(
        index=list(TABLE3_COLUMNS), columns=[EXACT, ROUNDING, OFF, MISSING], fill_value=0
    )
    counts["status"] = [column_status(cells[cells["column"] == key]) for key in counts.index]
    counts.insert(0, "label", [TABLE3_COLUMNS[key][2] for key in counts.index])
    return counts.rename_axis(index="column", columns=None).reset_index()


def _transpositions(number: float, decimals: int) -> list[float]:
    """The numbers obtained by swapping two adjacent digits of ``number`` as printed."""
    digits = f"{number:.{decimals}f}".replace(".", "")
    out = []
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            out.append(int(swapped) / 10**decimals)
    return out


# Each hypothesis test returns, for one off cell, a short account of the fix that makes it fit,
# or None when no fix of that kind does.


def _unit_slip_fit(table: pd.DataFrame, key: str, cell, tolerance: float) -> str | None:
    for factor in (10.0, 100.0, 1000.0, 0.1, 0.01, 0.001):
        if _classify(cell.level * factor, cell.gdp, cell.printed_share, tolerance) != OFF:
            return f"{cell.country}: level x {factor:g}"
    return None


def _typo_fit(table: pd.DataFrame, key: str, cell, tolerance: float) -> str | None:
    for level in _transpositions(cell.level, 0):
        if _classify(level, cell.gdp, cell.printed_share, tolerance) != OFF:
            return f"{cell.country}: level {cell.level:.0f} read as {level:.0f}"
    for gdp in _transpositions(cell.gdp, 0):
        if _classify(cell.level, gdp, cell.printed_share, tolerance) != OFF:
            return f"{cell.country}: GDP {cell.gdp:.0f} read as {gdp:.0f}"
    for share in _transpositions(cell.printed_share, 1):
        if _classify(cell.level, cell.gdp, share, tolerance) != OFF:
            return f"{cell.country}: share {cell.printed_share:.1f} read as {share:.1f}"
    return None


def _swap_fit(table: pd.DataFrame, key: str, cell, tolerance: float) -> str | None:
    """The printed share fits another column's level, or the level fits another column's printed share."""
    level_col, share_col, _ = TABLE3_COLUMNS[key]
    for other, (other_level, other_share, label) in TABLE3_COLUMNS.items():
        if other == key or pd.isna(table.at[cell.iso3, other_level]) or pd.isna(table.at[cell.iso3, other_share]):
            continue
        if _classify(float(table.at[cell.iso3, other_level]), cell.gdp, cell.printed_share, tolerance) != OFF:
            return f"{cell.country}: share fits the level of '{label}'"
        if _classify(cell.level, cell.gdp, float(table.at[cell.iso3, other_share]), tolerance) != OFF:
            return f"{cell.country}: level fits the share printed for '{label}'"
    return None


def _earlier_gdp_fit(table: pd.DataFrame, key: str, cell, tolerance: float) -> str | None:
    implied = cell.level / cell.printed_share * 100
    if cell.share_high + tolerance < cell.printed_share:  # the printed share needs a smaller denominator
        return f"{cell.country}: implied GDP {implied:.0f} = {implied / cell.gdp:.0%} of GDP 2003"
    return None


HYPOTHESES = {
    "unit slip (factor 10, 100 or 1000)": ("within the paper", _unit_slip_fit),
    "swapped column": ("within the paper", _swap_fit),
    "typo (adjacent digits transposed)": ("within the paper", _typo_fit),
    "denominator smaller than GDP 2003 (an earlier year)": ("within the paper", _earlier_gdp_fit),
}
GDP_2002_HYPOTHESIS = "denominator is GDP 2002 (WDI 2025)"


def table3_denominators(
    settings: Settings | None = None, inputs: Inputs | None = None, column: str = "oda_2002"
) -> pd.DataFrame:
    """For one share column: the GDP each printed share implies, beside the printed and WDI GDP.

    implied GDP = level / printed share * 100. The WDI columns are external data (WDI 2025).
    """
    inputs = inputs or Inputs(settings)
    if column not in TABLE3_COLUMNS:
        raise ParameterError(f"column={column!r}: expected one of {', '.join(TABLE3_COLUMNS)}.")
    table = inputs.table3
    level_col, share_col, _ = TABLE3_COLUMNS[column]
    frame = pd.DataFrame(
        {
            "country": table["country"].astype(str),
            "level": as_floats(table[level_col]),
            "printed_share": as_floats(table[share_col]),
            "gdp_2003_printed": as_floats(table["gdp_2003_musd"]),
        },
        index=table.index,
    )
    frame["implied_gdp"] = frame["level"] / frame["printed_share"] * 100
    frame["implied_to_printed_2003"] = frame["implied_gdp"] / frame["gdp_2003_printed"]
    years = range(1995, 2006)
    wdi = pd.DataFrame(
        {year: [inputs.wdi_value("gdp_usd", code, year) / 1e6 for code in frame.index] for year in years},
        index=frame.index,
    )
    frame["wdi_gdp_2002"] = wdi[2002]
    frame["wdi_gdp_2003"] = wdi[2003]
    frame["implied_to_wdi_2002"] = frame["implied_gdp"] / frame["wdi_gdp_2002"]
    frame["printed_2003_to_wdi_2003"] = frame["gdp_2003_printed"] / frame["wdi_gdp_2003"]
    frame["share_with_wdi_2002"] = frame["level"] / frame["wdi_gdp_2002"] * 100
    gaps = (wdi.div(frame["implied_gdp"], axis=0) - 1).abs()
    frame["closest_wdi_year"] = gaps.idxmin(axis=1).astype(int)
    frame["explained_by_2002"] = (frame["implied_to_wdi_2002"] - 1).abs() <= inputs.settings.gdp_revision_tolerance
    return frame.reset_index()


def table3_hypotheses(
    settings: Settings | None = None, inputs: Inputs | None = None, external: bool = True
) -> pd.DataFrame:
    """For each share column with an 'off' cell: how many off cells each explanation makes fit, and how.

    Within the paper: a unit slip, a swapped column, a typo (two adjacent digits swapped in the level,
    the GDP or the share), a denominator smaller than the printed GDP 2003. With ``external``: the
    denominator is WDI 2025's GDP 2002 (within ``gdp_revision_tolerance``); marked as external data.
    """
    inputs = inputs or Inputs(settings)
    tolerance = inputs.settings.rounding_tolerance
    cells = table3_cells(inputs=inputs)
    rows = []
    for key in TABLE3_COLUMNS:
        off = cells[(cells["column"] == key) & (cells["class"] == OFF)]
        if off.empty:
            continue
        fits = {
            name: (source, [test(inputs.table3, key, cell, tolerance) for cell in off.itertuples()])
            for name, (source, test) in HYPOTHESES.items()
        }
        if external:
            denominators = table3_denominators(inputs=inputs, column=key).set_index("iso3").loc[off["iso3"]]
            fits[GDP_2002_HYPOTHESIS] = (
                EXTERNAL,
                [
                    f"{d.country}: implied {d.implied_gdp:.0f} vs WDI {d.wdi_gdp_2002:.0f}"
                    if d.explained_by_2002
                    else None
                    for d in denominators.itertuples()
                ],
            )
        for name, (source, found) in fits.items():
            hits = [text for text in found if text]
            k, n = len(hits), len(off)
            rows.append(
                {
                    "column": key,
                    "label": TABLE3_COLUMNS[key][2],
                    "hypothesis": name,
                    "tested": source,
                    "off_cells": n,
                    "cells_explained": k,
                    "verdict": (
                        "explains all off cells"
                        if k == n
                        else "explains no off cell"
                        if k == 0
                        else f"explains {k} of {n} off cells"
                    ),
                    "evidence": "; ".join(hits) if hits else f"no such fix makes any of the {n} cells fit",
                }
            )
    return pd.DataFrame(
        rows, columns=["column", "label", "hypothesis", "tested", "off_cells", "cells_explained", "verdict", "evidence"]
    )
