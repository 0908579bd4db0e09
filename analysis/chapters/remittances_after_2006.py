"""Chapter 9, remittances after 2006: the paper's flows followed to 2023 in the pinned public data.

Each function takes frames from :mod:`analysis.data.external` or
:mod:`analysis.models.panels` and reshapes them for one figure, table or
paragraph; none reads a file itself. Remittances are the World Bank's
balance-of-payments series (the paper's "BOP" column), one edition at a time.
The ``*_numbers`` functions give each section's glued numbers by their glue
keys (the page glues them under the prefix ``after2006``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.chapters.extension_common import (
    NOT_AVAILABLE,
    RECEIVERS,
    TABLE3_YEAR,
    country_names,
    format_value,
    in_words,
    interval_phrase,
    other_population,
    results_name,
)
from analysis.data.external import panel_data, series
from analysis.errors import ParameterError

SHOCK_YEARS = (2009, 2014, 2015, 2022)
PUBLICATION_YEAR = 2006  # the paper's year: "after 2006" compares with it
MIN_YEARS = 5  # a country with fewer years of remittances is named as sparse
# (indicator, edition) of every series the chapter shows; its source lines are written from the series registry.
REMITTANCES, GDP, FDI = (
    ("remittances_usd", panel_data.WDI_2025),
    ("gdp_usd", panel_data.WDI_2025),
    ("fdi_inflows_usd", panel_data.WDI_2025),
)
EXPORTS, ODA = ("exports_pct_gdp", panel_data.GAPMINDER_WDI), ("oda_per_capita_usd", panel_data.GAPMINDER_WDI)


def _check_years(name: str, years, low: int, high: int) -> tuple[int, ...]:
    if isinstance(years, (str, int)):
        raise ParameterError(f"{name} must be a list of years, got {years!r}; write [{years!r}].")
    checked = []
    for year in years:
        try:
            value = int(year)
        except (TypeError, ValueError):
            raise ParameterError(f"{name}: {year!r} is not a year; expected whole years {low}-{high}.") from None
        if not low <= value <= high:
            raise ParameterError(f"{name}: {value} is outside {low}-{high}; choose years the data cover.")
        checked.append(value)
    return tuple(dict.fromkeys(checked))


def period_totals(frame: pd.DataFrame, first: int, last: int) -> dict:
    """Remittances received in two years, summed over the countries with a value in both (US$)."""
    usd = frame.pivot(index="iso3", columns="year", values="remittances_usd")
    if first not in usd.columns or last not in usd.columns:
        raise ParameterError(
            f"years {first} and {last} must both lie in the frame's years "
            f"{int(frame['year'].min())}-{int(frame['year'].max())}."
        )
    both = usd[[first, last]].dropna()
    return {
        "first": first,
        "last": last,
        "countries": len(both),
        "total_first_usd": float(both[first].sum()),
        "total_last_usd": float(both[last].sum()),
        "ratio": float(both[last].sum() / both[first].sum()),
    }


def sparse_countries(frame: pd.DataFrame, min_years: int = 5) -> list[str]:
    """Countries with fewer than ``min_years`` years of remittances in the frame (names)."""
    counts = frame.groupby("country", sort=False)["remittances_usd"].count()
    return [name for name, count in counts.items() if count < min_years]


def dependence_change(frame: pd.DataFrame, first: int, last: int) -> dict:
    """Remittances as % of GDP in two years: countries with both, how many rose, the largest share in each year."""
    share = frame.pivot(index="country", columns="year", values="remittances_pct_gdp")
    if first not in share.columns or last not in share.columns:
        raise ParameterError(
            f"years {first} and {last} must both lie in the frame's years "
            f"{int(frame['year'].min())}-{int(frame['year'].max())}."
        )
    both = share[[first, last]].dropna()
    return {
        "first": first,
        "last": last,
        "countries": len(both),
        "higher": int((both[last] > both[first]).sum()),
        "lower": int((both[last] < both[first]).sum()),
        "largest_first_country": share[first].idxmax(),
        "largest_first_pct": float(share[first].max()),
        "largest_last_country": share[last].idxmax(),
        "largest_last_pct": float(share[last].max()),
        "above_10_first": int((share[first] > 10).sum()),
        "above_10_last": int((share[last] > 10).sum()),
    }


def shock_changes(frame: pd.DataFrame, shock_years=SHOCK_YEARS) -> pd.DataFrame:
    """Each country's change from the year before each shock year to the shock year.

    ``frame`` is :func:`analysis.data.external.remittances`. ``change_pct`` is the change
    in US$ (%), ``share_change_pp`` the change of the share of GDP (percentage
    points); both are missing where either year has no value.
    """
    years = _check_years("shock_years", shock_years, int(frame["year"].min()) + 1, int(frame["year"].max()))
    rows = []
    for (code, name), part in frame.groupby(["iso3", "country"], sort=False):
        usd = part.set_index("year")["remittances_usd"]
        share = part.set_index("year")["remittances_pct_gdp"]
        for year in years:
            before, after = usd.get(year - 1, np.nan), usd.get(year, np.nan)
            rows.append(
                {
                    "country": name,
                    "iso3": code,
                    "shock_year": year,
                    "usd_before": before,
                    "usd_after": after,
                    "change_pct": 100.0 * (after / before - 1.0),
                    "share_before_pct": share.get(year - 1, np.nan),
                    "share_after_pct": share.get(year, np.nan),
                    "share_change_pp": share.get(year, np.nan) - share.get(year - 1, np.nan),
                }
            )
    return pd.DataFrame(rows)


def shock_summary(changes: pd.DataFrame) -> pd.DataFrame:
    """Per shock year: countries with both years, how many fell or rose in US$, the median and extremes."""
    rows = []
    for year, part in changes.groupby("shock_year", sort=False):
        part = part.dropna(subset=["change_pct"])
        lowest = part.loc[part["change_pct"].idxmin()] if len(part) else None
        highest = part.loc[part["change_pct"].idxmax()] if len(part) else None
        rows.append(
            {
                "shock_year": int(year),
                "countries": len(part),
                "falls": int((part["change_pct"] < 0).sum()),
                "rises": int((part["change_pct"] > 0).sum()),
                "median_change_pct": float(part["change_pct"].median()) if len(part) else np.nan,
                "median_share_change_pp": float(part["share_change_pp"].median()) if len(part) else np.nan,
                "largest_fall_country": lowest["country"] if lowest is not None else "",
                "largest_fall_pct": float(lowest["change_pct"]) if lowest is not None else np.nan,
                "largest_rise_country": highest["country"] if highest is not None else "",
                "largest_rise_pct": float(highest["change_pct"]) if highest is not None else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("shock_year")


def shock_sentences(summary: pd.DataFrame) -> str:
    """One clause per shock year, built from :func:`shock_summary`: falls, rises and the median change in US$."""
    clauses = []
    for year, row in summary.iterrows():
        if row["countries"] == 0:
            clauses.append(f"from {year - 1} to {year} no country has both years")
            continue
        clauses.append(
            f"from {year - 1} to {year} remittances fell in {row['falls']} and rose in {row['rises']} of "
            f"{row['countries']} countries (median change {format_value(row['median_change_pct'], '+.1f')} %; from "
            f"{format_value(row['largest_fall_pct'], '+.1f')} % in {row['largest_fall_country']} to "
            f"{format_value(row['largest_rise_pct'], '+.1f')} % in {row['largest_rise_country']})"
        )
    return "; ".join(clauses)


def shock_brief(summary: pd.DataFrame) -> str:
    """A caption's version of :func:`shock_sentences`: falls and median changes (US$ and share) per shock year."""
    parts = [
        f"{year}: fell in {row['falls']} of {row['countries']} "
        f"(median {format_value(row['median_change_pct'], '+.1f')} %, "
        f"share {format_value(row['median_share_change_pp'], '+.1f')} pp)"
        if row["countries"]
        else f"{year}: no data"
        for year, row in summary.iterrows()
    ]
    return "; ".join(parts)


def shock_table(changes: pd.DataFrame) -> pd.DataFrame:
    """For display: country by shock year, 'change in US$ % (change of the share, pp)'."""
    changes = changes.assign(
        column=[f"{year - 1}→{year}" for year in changes["shock_year"]],
        cell=[
            f"{format_value(pct, '+.1f')} % ({format_value(pp, '+.1f')} pp)" if math.isfinite(pct) else NOT_AVAILABLE
            for pct, pp in zip(changes["change_pct"], changes["share_change_pp"])
        ],
    )
    table = changes.pivot(index="country", columns="column", values="cell")
    order = list(dict.fromkeys(changes["country"]))
    return table.loc[order, list(dict.fromkeys(changes["column"]))].rename_axis(index=None, columns=None)


def flows_wide(table3_long: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.data.external.table3_by_year` as one row per country-year, one column per measure."""
    wide = table3_long.pivot(index=["country", "iso3", "year"], columns="measure", values="pct_gdp")
    return wide.reset_index().rename_axis(columns=None)


FLOW_LABELS = {
    "remittances": "remittances received",
    "fdi": "FDI, net inflows",
    "exports": "exports of goods and services",
    "oda": "net ODA received",
}


def flows_labelled(table3_long: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.data.external.table3_by_year` with readable measure names, remittances first."""
    order = {measure: i for i, measure in enumerate(FLOW_LABELS)}
    frame = table3_long.sort_values(
        ["iso3", "measure", "year"],
        kind="stable",
        key=lambda column: column.map(order) if column.name == "measure" else column,
    )
    return frame.assign(measure=frame["measure"].map(FLOW_LABELS)).reset_index(drop=True)


def years_remittances_lead(table3_long: pd.DataFrame) -> pd.DataFrame:
    """Per year: countries with remittances, FDI and aid all reported, and how many where remittances exceed both.

    This is the paper's Table 3 reading ("more important ... than FDI or ODA")
    redone for each year. Shares of the same GDP, so the order of the shares is
    the order of the US$ amounts.
    """
    wide = flows_wide(table3_long)
    complete = wide.dropna(subset=["remittances", "fdi", "oda"])
    above = (complete["remittances"] > complete["fdi"]) & (complete["remittances"] > complete["oda"])
    counts = (
        complete.assign(above_both=above)
        .groupby("year")
        .agg(countries=("iso3", "size"), above_both=("above_both", "sum"))
    )
    counts["above_both"] = counts["above_both"].astype(int)
    return counts.reindex(sorted(wide["year"].unique()), fill_value=0)


def lead_summary(counts: pd.DataFrame, paper_year: int = 2003) -> dict:
    """:func:`years_remittances_lead` in a few numbers: the paper's year, the last year, the years all lead."""

    def at(year):
        return (
            (int(counts.at[year, "above_both"]), int(counts.at[year, "countries"])) if year in counts.index else (0, 0)
        )

    last = int(counts.index.max())
    everywhere = counts[(counts["countries"] > 0) & (counts["above_both"] == counts["countries"])]
    return {
        "paper_year": paper_year,
        "paper_above": at(paper_year)[0],
        "paper_countries": at(paper_year)[1],
        "last_year": last,
        "last_above": at(last)[0],
        "last_countries": at(last)[1],
        "years_all_above": len(everywhere),
        "first_all_above": int(everywhere.index.min()) if len(everywhere) else np.nan,
    }


def p1_table(rows: pd.DataFrame) -> pd.DataFrame:
    """P1's coefficients for display (three significant decimals)."""
    terms = {"log_gdp": "log GDP of the receiving country", "log_gdp_russia": "log GDP of Russia"}
    level = f"{rows['ci_level'].iloc[0]:.0%}"
    return pd.DataFrame(
        {
            "coefficient": rows["coef"].map(lambda v: f"{v:.3f}").to_numpy(),
            "SE (clustered by country)": rows["se_cluster"].map(lambda v: f"{v:.3f}").to_numpy(),
            f"{level} interval": [f"{lo:.2f} to {hi:.2f}" for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
            "p": rows["p"].map(lambda v: f"{v:.3f}").to_numpy(),
        },
        index=rows["term"].map(terms).to_numpy(),
    )


def p1_results_name(countries, start: int, end: int) -> str:
    """'panel_fe' for the book's P1 (the panels module's defaults), with a suffix for any other choice."""
    return results_name(
        "panel_fe",
        {"without": (sorted(set(RECEIVERS) - set(countries)), []), "start": (start, 1995), "end": (end, 2023)},
    )


def population_gap(ratios: pd.DataFrame, year: int, tolerance: float = 0.05) -> dict:
    """:func:`analysis.data.external.population_ratio` in a few numbers.

    The country whose two populations differ most in ``year``, its ratio then
    and its range over all years, and how many countries stay within
    ``tolerance`` (relative) in every year.
    """
    in_year = ratios[ratios["year"] == year]
    if in_year.empty:
        raise ParameterError(
            f"year={year} has no population in both series; they overlap in "
            f"{int(ratios['year'].min())}-{int(ratios['year'].max())}."
        )
    widest = in_year.loc[(in_year["ratio"] - 1).abs().idxmax()]
    own = ratios[ratios["iso3"] == widest["iso3"]].set_index("year")["ratio"]
    largest_gap = (ratios["ratio"] - 1).abs().groupby(ratios["country"], sort=False).max()
    return {
        "year": year,
        "country": widest["country"],
        "iso3": widest["iso3"],
        "ratio": float(widest["ratio"]),
        "lowest": float(own.min()),
        "lowest_year": int(own.idxmin()),
        "highest": float(own.max()),
        "highest_year": int(own.idxmax()),
        "first_year": int(ratios["year"].min()),
        "last_year": int(ratios["year"].max()),
        "countries": len(largest_gap),
        "tolerance": tolerance,
        "close": int((largest_gap <= tolerance).sum()),
        "apart": in_words(largest_gap[largest_gap > tolerance].index),
    }


def lead_difference(counts: pd.DataFrame, other: pd.DataFrame) -> dict:
    """Years in which :func:`years_remittances_lead` counts differ between two population series."""
    both = counts.merge(other, left_index=True, right_index=True, suffixes=("", "_other"))
    differ = both[(both["above_both"] != both["above_both_other"]) | (both["countries"] != both["countries_other"])]
    return {"years": len(both), "differ": len(differ), "differ_years": in_words(differ.index)}


# ---------------------------------------------------------------------------
# What the page glues, by glue key
# ---------------------------------------------------------------------------


def source_markdown(population_edition: str) -> dict[str, str]:
    """The source lines of the chapter and of each figure and table, from the series registry.

    ``population`` is the series that turns aid per person into aid; ``population-other``
    the one shown beside it as a sensitivity.
    """
    population, other = ("population", population_edition), ("population", other_population(population_edition))
    used = {
        "sources": [REMITTANCES, GDP, FDI, EXPORTS, ODA, population],
        "source-usd": [REMITTANCES],
        "source-share": [REMITTANCES, GDP],
        "source-p1": [REMITTANCES, GDP],
        "source-flows": [REMITTANCES, FDI, GDP, EXPORTS, ODA, population],
        "source-lead": [REMITTANCES, FDI, GDP, ODA, population, other],
    }
    return {
        "population": series.short_label(*population),
        "population-other": series.short_label(*other),
        **{key: series.cite_sources(listed) for key, listed in used.items()},
    }


def first_year(start: int) -> int:
    """The first year "after 2006" compares: the paper's year, or the first year shown if that is later."""
    return max(start, PUBLICATION_YEAR)


def usd_numbers(received: pd.DataFrame, changes: pd.DataFrame, start: int, end: int) -> dict:
    """The section on US dollars: countries and years shown, the totals of both compared years, the shocks."""
    totals = period_totals(received, first_year(start), end)
    summary = shock_summary(changes)
    return {
        "n-countries": int(received["iso3"].nunique()),
        "start": start,
        "end": end,
        "first": first_year(start),
        "last": end,
        "n-both": totals["countries"],
        "total-first": totals["total_first_usd"] / 1e9,
        "total-last": totals["total_last_usd"] / 1e9,
        "total-ratio": totals["ratio"],
        "sparse": ", ".join(sparse_countries(received, MIN_YEARS)) or "none",
        "shock-sentences": shock_sentences(summary),
        "shock-brief": shock_brief(summary),
    }


def share_numbers(received: pd.DataFrame, start: int, end: int) -> dict:
    """The section on shares of GDP: the largest share in each compared year, how many rose, how many exceed 10 %."""
    change = dependence_change(received, first_year(start), end)
    return {
        "largest-first": change["largest_first_country"],
        "largest-first-pct": change["largest_first_pct"],
        "largest-last": change["largest_last_country"],
        "largest-last-pct": change["largest_last_pct"],
        "n-share-both": change["countries"],
        "share-higher": change["higher"],
        "share-lower": change["lower"],
        "above10-first": change["above_10_first"],
        "above10-last": change["above_10_last"],
    }


def lead_numbers(counts: pd.DataFrame, other_counts: pd.DataFrame, ratios: pd.DataFrame) -> dict:
    """Remittances above FDI and aid in Table 3's year and the last year, and what the other population changes.

    ``other_counts`` is :func:`years_remittances_lead` with the other population
    series; ``ratios`` is :func:`analysis.data.external.population_ratio`.
    """
    lead = lead_summary(counts, paper_year=TABLE3_YEAR)
    change = lead_difference(counts, other_counts)
    gap = population_gap(ratios, TABLE3_YEAR)
    return {
        "lead-paper-year": lead["paper_year"],
        "lead-paper-above": lead["paper_above"],
        "lead-paper-countries": lead["paper_countries"],
        "lead-last-year": lead["last_year"],
        "lead-last-above": lead["last_above"],
        "lead-last-countries": lead["last_countries"],
        "lead-years-all": lead["years_all_above"],
        "lead-first-all": lead["first_all_above"],
        "pop-lead-differ": change["differ"],
        "pop-lead-years": change["years"],
        "pop-lead-differ-years": change["differ_years"],
        **{
            f"pop-{key}": gap[key]
            for key in ("country", "year", "ratio", "lowest", "highest", "close", "countries", "tolerance", "apart")
        },
        "pop-first": gap["first_year"],
        "pop-last": gap["last_year"],
    }


def p1_numbers(p1: pd.DataFrame) -> dict:
    """P1's two elasticities with their intervals and p-values, and the panel it was fitted on."""
    terms = p1.set_index("term")
    numbers = {}
    for key, term in (("own", "log_gdp"), ("russia", "log_gdp_russia")):
        low, high = float(terms.at[term, "ci_low"]), float(terms.at[term, "ci_high"])
        numbers.update(
            {
                f"p1-{key}": float(terms.at[term, "coef"]),
                f"p1-{key}-low": low,
                f"p1-{key}-high": high,
                f"p1-{key}-p": float(terms.at[term, "p"]),
                f"p1-{key}-interval": interval_phrase(low, high),
            }
        )
    first = p1.iloc[0]
    return {
        **numbers,
        "p1-n": int(first["n"]),
        "p1-g": int(first["n_countries"]),
        "p1-df": int(first["df_inference"]),
        "p1-level": f"{first['ci_level']:.0%}",
        "p1-r2": float(first["r2_within"]),
        "p1-singletons": country_names(first["singletons_dropped"]),
    }
