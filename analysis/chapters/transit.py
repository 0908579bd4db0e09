"""Chapter 2, transit migration: the paper's two transit figures as intervals, and its concerns.

The paper gives two numbers: "over 300,000" transit migrants stranded in Russia and Ukraine
(citing IOM 2006) and "about 0.2 mln." illegal transit migrants in Ukraine (in its list of
irregular-migrant estimates). If both counted the same people at the same time, Ukraine's
figure would be part of the larger one, and the rest would be in Russia; ``implied_russia``
computes that remainder, which the chapter reports as a reading, not a fact.
"""

from __future__ import annotations

import pandas as pd

from analysis.audit import hedged_numbers, reading_rules
from analysis.chapters import markup
from analysis.data import statements
from analysis.figures import audit_plots

PERSONS_PER_MILLION = 1_000_000
PERSONS_PER_THOUSAND = 1_000
STRANDED = "stranded in Russia and Ukraine"
UKRAINE = "illegal transit migrants in Ukraine"
RUSSIA_IMPLIED = "Russia, implied (total minus Ukraine)"


def _transit_rows() -> pd.DataFrame:
    frame = statements.transit()
    return frame[frame["kind"] == "figure"]


def _ukraine_row() -> pd.DataFrame:
    frame = statements.irregular_estimates()
    return frame[(frame["iso3"] == "UKR") & frame["group"].str.contains("transit")]


def hedged_figures(*, open_cap: float = 2.0, about_multiple: float = 1.0) -> pd.DataFrame:
    """The paper's transit figures in persons, with the intervals of ``hedged_numbers.as_intervals``.

    Columns: label, qualifier, printed_text, source_keys, paper_line, kind, point, draw_low,
    draw_high, open_high; one row per figure, plus the remainder implied for Russia.
    """
    stranded = hedged_numbers.as_intervals(
        _transit_rows(), "low_persons", "high_persons", open_cap=open_cap, about_multiple=about_multiple
    )
    stranded["label"] = STRANDED
    ukraine = hedged_numbers.as_intervals(
        _ukraine_row(),
        "low_millions",
        "high_millions",
        open_cap=open_cap,
        about_multiple=about_multiple,
        scale=PERSONS_PER_MILLION,
    )
    ukraine["label"] = UKRAINE
    columns = [
        "label",
        "qualifier",
        "printed_text",
        "source_keys",
        "paper_line",
        "kind",
        "point",
        "draw_low",
        "draw_high",
        "open_high",
    ]
    figures = pd.concat([stranded[columns], ukraine[columns]], ignore_index=True)
    remainder = implied_russia(figures.iloc[0], figures.iloc[1])
    return pd.concat([figures, remainder], ignore_index=True)


def implied_russia(total: pd.Series, ukraine: pd.Series) -> pd.DataFrame:
    """Russia's share of the stranded total if Ukraine's figure is part of it: over total - Ukraine.

    The floor subtracts the top of Ukraine's band from the total's floor, so it is the smallest
    number the two figures allow together. Like the total it is open above; it is drawn to the
    total's cap minus the bottom of Ukraine's band.
    """
    floor = max(float(total["draw_low"]) - float(ukraine["draw_high"]), 0.0)
    low, high, is_open = floor, max(float(total["draw_high"]) - float(ukraine["draw_low"]), floor), True
    return pd.DataFrame(
        {
            "label": [RUSSIA_IMPLIED],
            "qualifier": pd.array(["over"], dtype="string"),
            "printed_text": pd.array([pd.NA], dtype="string"),
            "source_keys": pd.array([pd.NA], dtype="string"),
            "paper_line": pd.array([pd.NA], dtype="Int64"),
            "kind": pd.array(["implied"], dtype="string"),
            "point": pd.array([floor], dtype="Float64"),
            "draw_low": pd.array([low], dtype="Float64"),
            "draw_high": pd.array([high], dtype="Float64"),
            "open_high": pd.array([is_open], dtype="boolean"),
        }
    )


def plot_ranges(figures: pd.DataFrame):
    """``hedged_figures`` drawn in thousands of persons."""
    return audit_plots.plot_hedged_ranges(
        figures, "label", xlabel="transit migrants (thousands)", unit=PERSONS_PER_THOUSAND
    )


def range_numbers(figures: pd.DataFrame, *, open_cap: float) -> dict[str, float]:
    """The ends of the drawn intervals the chapter quotes, in thousands, and the cap of an open "over X"."""
    thousands = figures.set_index("label")[["draw_low", "draw_high"]].astype(float) / PERSONS_PER_THOUSAND
    return {
        "open-cap": float(open_cap),
        "cap-thousands": float(thousands.loc[STRANDED, "draw_high"]),
        "ukraine-low-thousands": float(thousands.loc[UKRAINE, "draw_low"]),
        "ukraine-high-thousands": float(thousands.loc[UKRAINE, "draw_high"]),
        "russia-floor-thousands": float(thousands.loc[RUSSIA_IMPLIED, "draw_low"]),
    }


def countries(kind: str) -> list[str]:
    """Display names of the ``origin_country`` or ``transit_country`` rows, in the paper's order."""
    frame = statements.transit()
    return frame.loc[frame["kind"] == kind].sort_values("ordinal")["country"].tolist()


def origin_numbers() -> dict[str, int]:
    """How many countries of origin of transit migrants the paper names."""
    return {"n-origins": len(countries("origin_country"))}


def origin_words() -> dict[str, str]:
    """The countries of origin the paper names, listed in its order."""
    return {"origins": reading_rules.listing(countries("origin_country"))}


def figures_markdown(figures: pd.DataFrame) -> str:
    """MyST table of the printed transit figures: what, as printed, the interval drawn, source, line."""
    printed = figures[figures["paper_line"].notna()]
    table = pd.DataFrame(
        {
            "Figure": printed["label"],
            "As printed": [f"\u201c{text}\u201d" for text in printed["printed_text"]],
            "Qualifier": printed["kind"],
            "Drawn as (thousands)": [_interval_text(row) for row in printed.itertuples()],
            "Source cited": [markup.cite(keys) for keys in printed["source_keys"]],
            "Paper line": printed["paper_line"].astype(str),
        }
    )
    return markup.pipe_table(table)


def _interval_text(row) -> str:
    low, high = row.draw_low / 1_000, row.draw_high / 1_000
    if row.open_high:
        return f"{low:,.0f} or more (drawn to {high:,.0f})"
    return f"{low:,.0f}\u2013{high:,.0f}" if low != high else f"{low:,.0f}"


def concerns_markdown() -> str:
    """MyST table of the concerns the paper raises, each with its quote, source and line."""
    frame = statements.transit()
    concerns = frame[frame["kind"] == "concern"].sort_values("ordinal")
    table = pd.DataFrame(
        {
            "Concern": concerns["item"],
            "As printed": [f"\u201c{text}\u201d" for text in concerns["printed_text"]],
            "Source cited": [markup.cite(keys) or "none follows" for keys in concerns["source_keys"]],
            "Paper line": concerns["paper_line"].astype(str),
        }
    )
    return markup.pipe_table(table)


def concern_numbers() -> dict[str, int]:
    """How many concerns the paper lists, and how many have no citation following them in their paragraph."""
    frame = statements.transit()
    concerns = frame[frame["kind"] == "concern"]
    return {"n-concerns": len(concerns), "n-unsourced": int(concerns["source_keys"].isna().sum())}
