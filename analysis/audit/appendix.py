"""What the audit appendix (book/appendix-audit.ipynb) shows, computed once and testable without a kernel.

:func:`appendix_frames` runs the audit under the page's settings; the other functions turn
the result into the page's glued numbers, glued Markdown, tables, and its two generated
paragraphs (the finding on Table 3 and the summary).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.audit import reading_rules as rules
from analysis.audit.band_claims import table2_readings, table2_statements
from analysis.audit.display import as_table, claims_for_display, table3_styler
from analysis.audit.inputs import Inputs
from analysis.audit.reading_rules import Settings
from analysis.audit.report import audit_table, status_counts, verdict_of
from analysis.audit.statuses import (
    DOES_NOT_HOLD,
    EXTERNAL,
    INCONSISTENT,
    NOT_CHECKABLE,
    PARTLY,
    REPRODUCED,
    WITHIN_ROUNDING,
)
from analysis.audit.table2 import other_reading
from analysis.audit.table3 import (
    EXACT,
    MISSING,
    OFF,
    ROUNDING,
    TABLE3_COLUMNS,
    table3_cells,
    table3_column_summary,
    table3_denominators,
    table3_hypotheses,
)

CELL_CLASSES = {"exact": EXACT, "rounding": ROUNDING, "off": OFF}  # glue name -> class of a Table 3 cell
# The checks whose numbers the summary quotes.
SUMMARY_CHECKS = ("unofficial_overwhelming", "remittances_above_fdi_oda")
TABLE2_FIGURE = "fig-audit-table2"  # the label of the page's figure of Table 2's shares in Russia


@dataclass(frozen=True)
class AppendixFrames:
    """The audit under one set of settings, and the tables on Table 2 and Table 3 the appendix shows."""

    settings: Settings
    claims: pd.DataFrame  # audit_table
    counts: pd.DataFrame  # status_counts
    cells: pd.DataFrame  # table3_cells
    summary: pd.DataFrame  # table3_column_summary
    hypotheses: pd.DataFrame  # table3_hypotheses
    denominators: pd.DataFrame  # table3_denominators of the ODA column
    shares: pd.DataFrame  # table2_statements
    readings: pd.DataFrame  # table2_readings
    summary_numbers: dict[str, dict[str, float]]  # check -> its verdict's numbers, for SUMMARY_CHECKS


def appendix_frames(inputs: Inputs) -> AppendixFrames:
    claims = audit_table(inputs=inputs)
    return AppendixFrames(
        settings=inputs.settings,
        claims=claims,
        counts=status_counts(claims),
        cells=table3_cells(inputs=inputs),
        summary=table3_column_summary(inputs=inputs),
        hypotheses=table3_hypotheses(inputs=inputs),
        denominators=table3_denominators(inputs=inputs, column="oda_2002"),
        shares=table2_statements(settings=inputs.settings, inputs=inputs),
        readings=table2_readings(inputs=inputs),
        summary_numbers={check: verdict_of(check, inputs=inputs).numbers for check in SUMMARY_CHECKS},
    )


def _graded(frames: AppendixFrames) -> pd.DataFrame:
    return frames.cells[frames.cells["class"] != MISSING]


def _half_band(frames: AppendixFrames) -> pd.DataFrame:
    return frames.shares[frames.shares["group"] == "Moldova and Ukraine"]


def appendix_numbers(frames: AppendixFrames) -> dict[str, float]:
    """The numbers the page's prose glues, keyed by glue name (without the page's prefix 'audit')."""
    half = _half_band(frames)
    return {
        "n-claims": len(frames.claims),
        "tolerance": frames.settings.rounding_tolerance,
        "table3-cells": len(_graded(frames)),
        "half-low": float(half["band_low"].iloc[0]),
        "half-high": float(half["band_high"].iloc[0]),
    }


def appendix_markdown(frames: AppendixFrames) -> dict[str, str]:
    """The Markdown the page's prose glues, keyed by glue name (without the page's prefix 'audit')."""
    graded = _graded(frames)
    texts = {"summary-counts": "; ".join(f"*{row.status}*: {row.claims}" for row in frames.counts.itertuples())}
    texts |= {f"class-{name}": f"*{cell_class}*" for name, cell_class in CELL_CLASSES.items()}
    texts["table3-class-counts"] = ", ".join(
        f"*{cell_class}*: {int((graded['class'] == cell_class).sum())}" for cell_class in CELL_CLASSES.values()
    )
    texts["range-reading"] = f"*{frames.settings.range_reading}*"
    return texts


def appendix_tables(frames: AppendixFrames) -> dict:
    """Glue label -> the table (a Styler with a fixed id) the page shows under that label."""
    values = {name: getattr(frames.settings, name) for name in rules.DEFAULTS}
    hypotheses = frames.hypotheses.drop(columns=["column", "off_cells"]).rename(
        columns={"label": "column", "cells_explained": "off cells it fits"}
    )
    denominators = frames.denominators[
        [
            "country",
            "level",
            "printed_share",
            "gdp_2003_printed",
            "implied_gdp",
            "implied_to_printed_2003",
            "wdi_gdp_2002",
            "implied_to_wdi_2002",
            "closest_wdi_year",
        ]
    ].rename(
        columns={
            "level": "ODA 2002",
            "printed_share": "printed share",
            "gdp_2003_printed": "GDP 2003 (printed)",
            "implied_gdp": "implied GDP",
            "implied_to_printed_2003": "implied / GDP 2003",
            "wdi_gdp_2002": "WDI GDP 2002",
            "implied_to_wdi_2002": "implied / WDI 2002",
            "closest_wdi_year": "closest WDI year",
        }
    )
    shares = frames.shares[
        [
            "country",
            "group",
            "abroad_low",
            "abroad_high",
            "russia_low",
            "russia_high",
            "share_mid",
            "matched_low",
            "matched_high",
            "outer_low",
            "outer_high",
            "band_low",
            "band_high",
            "deciding_position",
        ]
    ].rename(
        columns={
            "abroad_low": "abroad, low",
            "abroad_high": "abroad, high",
            "russia_low": "in Russia, low",
            "russia_high": "in Russia, high",
            "share_mid": "share in Russia, midpoints %",
            "matched_low": "matched, low %",
            "matched_high": "matched, high %",
            "outer_low": "outer, low %",
            "outer_high": "outer, high %",
            "band_low": "stated band, low %",
            "band_high": "stated band, high %",
            "deciding_position": "position that decides",
        }
    )
    whole_numbers = (
        "abroad, low",
        "abroad, high",
        "in Russia, low",
        "in Russia, high",
        "stated band, low %",
        "stated band, high %",
    )
    return {
        "audit-status-counts": as_table(frames.counts, "audit-status-counts"),
        "audit-claims": claims_for_display(frames.claims),
        "audit-reading-rules": as_table(rules.rules_table(values), "audit-reading-rules"),
        "audit-table3": table3_styler(frames.cells),
        "audit-table3-summary": as_table(frames.summary.drop(columns=["column"]), "audit-table3-summary"),
        "audit-table3-hypotheses": as_table(hypotheses, "audit-table3-hypotheses"),
        "audit-oda-denominators": as_table(
            denominators,
            "audit-oda-denominators",
            decimals=0,
            formats={"printed share": "{:.1f}", "implied / GDP 2003": "{:.3f}", "implied / WDI 2002": "{:.3f}"},
        ),
        "audit-table2": as_table(shares, "audit-table2", formats={column: "{:.0f}" for column in whole_numbers}),
        "audit-table2-readings": as_table(frames.readings, "audit-table2-readings"),
    }


def table3_finding(frames: AppendixFrames) -> str:
    """The finding on Table 3's off cells and the denominators their printed shares imply (Markdown)."""
    off = frames.cells[frames.cells["class"] == OFF]
    off_columns = [TABLE3_COLUMNS[key][2] for key in dict.fromkeys(off["column"])]
    denominators = frames.denominators
    unexplained = denominators[~denominators["explained_by_2002"]]
    closest = denominators["closest_wdi_year"].mode().iloc[0]
    return (
        f"**Finding.** All {len(off)} off cells lie in the column(s) {', '.join(off_columns)}. "
        f"The GDP implied by the printed ODA shares is {denominators['implied_to_printed_2003'].min():.0%} to "
        f"{denominators['implied_to_printed_2003'].max():.0%} of the printed GDP 2003. *Checked against external "
        f"data:* for {int(denominators['explained_by_2002'].sum())} of {len(denominators)} countries it lies within "
        f"{frames.settings.gdp_revision_tolerance:.0%} of the World Bank's GDP for 2002 (median gap "
        f"{(denominators['implied_to_wdi_2002'] - 1).abs().median():.1%}), and the WDI year closest to it is "
        f"{closest} for {int((denominators['closest_wdi_year'] == closest).sum())} of them. "
        + "".join(
            f"{r.country} stays outside: its implied GDP is {r.implied_to_wdi_2002:.0%} of WDI's GDP 2002, "
            f"while its printed GDP 2003 is itself {r.printed_2003_to_wdi_2003:.0%} of WDI's GDP 2003. "
            for r in unexplained.itertuples()
        )
    )


def summary_paragraph(frames: AppendixFrames) -> str:
    """The appendix's closing summary, every number from the audit (Markdown)."""
    summary, settings = frames.summary, frames.settings
    columns_ok = summary["status"].isin([REPRODUCED, WITHIN_ROUNDING])
    unofficial = frames.summary_numbers["unofficial_overwhelming"]
    fdi_oda = frames.summary_numbers["remittances_above_fdi_oda"]
    by_reading = frames.readings.set_index(["claim", "reading"])["status"]
    in_force = [by_reading[(claim, reading)] for claim, reading in by_reading.index if reading.endswith("(in force)")]
    other = [by_reading[(claim, reading)] for claim, reading in by_reading.index if not reading.endswith("(in force)")]
    shown = frames.counts.set_index("status")["claims"]
    return (
        f"Of the {len(frames.claims)} statements, {shown[REPRODUCED] + shown[WITHIN_ROUNDING]} are reproduced "
        f"(exactly or within rounding) from the paper's own tables and text, {shown[PARTLY]} partly hold, "
        f"{shown[DOES_NOT_HOLD]} {'does' if shown[DOES_NOT_HOLD] == 1 else 'do'} not hold, "
        f"{shown[INCONSISTENT]} rest on statements of the paper that contradict each other, "
        f"{shown[EXTERNAL]} were compared with public data and "
        f"{shown[NOT_CHECKABLE]} can be neither recomputed nor bounded with the paper's own figures. "
        f"{int(columns_ok.sum())} of Table 3's {len(summary)} share columns reproduce; "
        f"the one(s) that do not: {', '.join(summary.loc[~columns_ok, 'label']) or 'none'}. Against Table 2, the "
        f"'70-90%' and 'about half' statements are rated '{in_force[0]}' and '{in_force[1]}' under the "
        f"{settings.range_reading} reading, and would be rated '{other[0]}' and '{other[1]}' under the "
        f"{other_reading(settings.range_reading)} one. "
        f"Remittances exceed both FDI and ODA in {fdi_oda['above_both_estimate']} of {fdi_oda['countries_estimate']} "
        f"Table 3 countries with the estimates, but in {fdi_oda['above_both_bop']} of {fdi_oda['countries_bop']} with "
        f"the official figures; the 'overwhelming' unofficial part of remittances holds for "
        f"{unofficial['countries_meeting']} of {unofficial['countries']} countries."
    )
