"""What the extension chapters (9-11) share: the countries, the paper's year, and how their pages write numbers.

Chapter 9 (:mod:`analysis.chapters.remittances_after_2006`) and chapter 11
(:mod:`analysis.chapters.data_revisions`) both show a population sensitivity,
name their results files by the reader's choices and put intervals into words;
chapters 9 and 10 (:mod:`analysis.chapters.where_migrants_went`) both look at
the CIS states other than Russia.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis import results
from analysis.data import countries
from analysis.data.countries import CIS
from analysis.data.external import panel_data, series

RUSSIA = "RUS"
RECEIVERS = tuple(code for code in CIS if code != RUSSIA)  # every CIS state but the main sender
TABLE3_YEAR = 2003  # the year of the paper's Table 3
NOT_AVAILABLE = "–"


def format_value(value: float, spec: str) -> str:
    """``value`` formatted by ``spec``; :data:`NOT_AVAILABLE` where it is missing."""
    if value is None or not math.isfinite(value):
        return NOT_AVAILABLE
    text = format(value, spec)
    # "-0.0" and "+0.0" are rounding artefacts of a tiny change: print them as 0.
    return text.lstrip("+-") if float(text.replace(",", "")) == 0 else text


def interval_phrase(low: float, high: float) -> str:
    """Where an interval lies relative to zero, in words."""
    return (
        "the interval lies below zero"
        if high < 0
        else "the interval lies above zero"
        if low > 0
        else "the interval includes zero"
    )


def country_names(codes: str) -> str:
    """A results field of ISO3 codes ('TKM;UZB', or 'none') as display names ('Turkmenistan, Uzbekistan')."""
    listed = [code for code in codes.split(";") if code and code != results.NONE]
    return ", ".join(countries.display_name(code) for code in listed) or "none"


def in_words(items) -> str:
    """'a', 'a and b', 'a, b and c'; 'none' for no items."""
    items = [str(item) for item in items]
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def results_name(base: str, choices: dict[str, tuple]) -> str:
    """``base`` for the book's defaults; a suffix for each choice that differs from its default.

    ``choices`` maps a short label to (value, default). A reader's run with other
    parameters then never overwrites the book's results.
    """
    parts = [base]
    for label, (value, default) in choices.items():
        if value != default:
            text = "-".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
            parts.append(f"{label}{text}".replace(" ", "").replace("/", ""))
    return "-".join(parts)


def written_markdown(written: dict[str, dict]) -> dict[str, str]:
    """Each results file written (``results.write_table``'s answer), by glue key, as inline code: `results/<file>`."""
    return {key: f"`results/{files['csv'].name}`" for key, files in written.items()}


# ---------------------------------------------------------------------------
# Population: the World Bank's series by default, UN WPP 2024 as a sensitivity
# (chapters 9 and 11)
# ---------------------------------------------------------------------------


def other_population(population_edition: str) -> str:
    """The population edition shown as the sensitivity beside ``population_edition``."""
    panel_data.check_population_edition(population_edition)
    return next(edition for edition in panel_data.POPULATION_EDITIONS if edition != population_edition)


SOURCE_COLUMNS = ("publisher", "release", "series_code")
_PANEL_KEYS = ["country", "iso3", "year", "edition"]


def with_sources(wide: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """The panel behind a figure in long form, each value with the publisher, release and code of its series.

    ``wide`` has country, iso3, year and edition, and one column per indicator id of
    data/external/series.csv; the result has one row per value: the keys, indicator, value and
    :data:`SOURCE_COLUMNS`.
    """
    long = wide.melt(id_vars=_PANEL_KEYS, value_vars=list(indicators), var_name="indicator")
    pairs = long[["indicator", "edition"]].drop_duplicates()
    sources = pd.DataFrame(
        [
            {
                "indicator": indicator,
                "edition": edition,
                **{column: series.entry(indicator, edition)[column] for column in SOURCE_COLUMNS},
            }
            for indicator, edition in pairs.itertuples(index=False)
        ],
        columns=["indicator", "edition", *SOURCE_COLUMNS],
    )
    return long.merge(sources, on=["indicator", "edition"], how="left", validate="many_to_one")
