"""The frames of the extension chapters (9-11), drawn from the pinned public data.

Each function takes frames from :mod:`analysis.data.external`, :mod:`analysis.audit`,
:mod:`analysis.models.panels` or :mod:`analysis.models.catalogue` and reshapes them
for one figure or table; none reads a file itself. Editions stay apart: every
frame names the edition of each value it holds.

- Chapter 9 (remittances after 2006): changes in the shock years, the count of
  countries where remittances exceed FDI and aid, and P1's table.
- Chapter 10 (where migrants went): shares in Russia from both UN DESA editions
  and KNOMAD, the gap between the editions, corridors, and Table 2's statements.
- Chapter 11 (data revisions): the paper's 2003 figures beside later editions,
  the paper-era models re-fitted on each edition, and what survives.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import audit, results
from analysis.data import countries
from analysis.models import catalogue, panels, regression
from analysis.data.countries import CIS
from analysis.errors import ParameterError
from analysis.data.external import panel_data, series

RUSSIA = "RUS"
RECEIVERS = tuple(code for code in CIS if code != RUSSIA)  # every CIS state but the main sender
SHOCK_YEARS = (2009, 2014, 2015, 2022)
TABLE3_YEAR = 2003  # the year of the paper's Table 3
PUBLICATION_YEAR = 2006  # the paper's year: "after 2006" compares with it
NOT_AVAILABLE = "–"


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


def _fmt(value: float, spec: str) -> str:
    if value is None or not math.isfinite(value):
        return NOT_AVAILABLE
    text = format(value, spec)
    # "-0.0" and "+0.0" are rounding artefacts of a tiny change: print them as 0.
    return text.lstrip("+-") if float(text.replace(",", "")) == 0 else text


def interval_phrase(low: float, high: float) -> str:
    """Where an interval lies relative to zero, in words."""
    return ("the interval lies below zero" if high < 0 else "the interval lies above zero" if low > 0
            else "the interval includes zero")


def country_names(codes: str) -> str:
    """A results field of ISO3 codes ('TKM;UZB', or 'none') as display names ('Turkmenistan, Uzbekistan')."""
    listed = [code for code in codes.split(";") if code and code != results.NONE]
    return ", ".join(countries.display_name(code) for code in listed) or "none"


def sign_settled(low: float, high: float) -> str:
    """'positive' or 'negative' when an interval excludes zero, else 'sign not settled'."""
    return "negative" if high < 0 else "positive" if low > 0 else "sign not settled"


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


# ---------------------------------------------------------------------------
# Chapter 9: remittances after 2006
# ---------------------------------------------------------------------------

def period_totals(frame: pd.DataFrame, first: int, last: int) -> dict:
    """Remittances received in two years, summed over the countries with a value in both (US$)."""
    usd = frame.pivot(index="iso3", columns="year", values="remittances_usd")
    if first not in usd.columns or last not in usd.columns:
        raise ParameterError(f"years {first} and {last} must both lie in the frame's years "
                             f"{int(frame['year'].min())}-{int(frame['year'].max())}.")
    both = usd[[first, last]].dropna()
    return {"first": first, "last": last, "countries": len(both), "total_first_usd": float(both[first].sum()),
            "total_last_usd": float(both[last].sum()), "ratio": float(both[last].sum() / both[first].sum())}


def sparse_countries(frame: pd.DataFrame, min_years: int = 5) -> list[str]:
    """Countries with fewer than ``min_years`` years of remittances in the frame (names)."""
    counts = frame.groupby("country", sort=False)["remittances_usd"].count()
    return [name for name, count in counts.items() if count < min_years]


def dependence_change(frame: pd.DataFrame, first: int, last: int) -> dict:
    """Remittances as % of GDP in two years: countries with both, how many rose, the largest share in each year."""
    share = frame.pivot(index="country", columns="year", values="remittances_pct_gdp")
    if first not in share.columns or last not in share.columns:
        raise ParameterError(f"years {first} and {last} must both lie in the frame's years "
                             f"{int(frame['year'].min())}-{int(frame['year'].max())}.")
    both = share[[first, last]].dropna()
    return {"first": first, "last": last, "countries": len(both), "higher": int((both[last] > both[first]).sum()),
            "lower": int((both[last] < both[first]).sum()),
            "largest_first_country": share[first].idxmax(), "largest_first_pct": float(share[first].max()),
            "largest_last_country": share[last].idxmax(), "largest_last_pct": float(share[last].max()),
            "above_10_first": int((share[first] > 10).sum()), "above_10_last": int((share[last] > 10).sum())}


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
            rows.append({"country": name, "iso3": code, "shock_year": year, "usd_before": before, "usd_after": after,
                         "change_pct": 100.0 * (after / before - 1.0),
                         "share_before_pct": share.get(year - 1, np.nan), "share_after_pct": share.get(year, np.nan),
                         "share_change_pp": share.get(year, np.nan) - share.get(year - 1, np.nan)})
    return pd.DataFrame(rows)


def shock_summary(changes: pd.DataFrame) -> pd.DataFrame:
    """Per shock year: countries with both years, how many fell or rose in US$, the median and extremes."""
    rows = []
    for year, part in changes.groupby("shock_year", sort=False):
        part = part.dropna(subset=["change_pct"])
        lowest = part.loc[part["change_pct"].idxmin()] if len(part) else None
        highest = part.loc[part["change_pct"].idxmax()] if len(part) else None
        rows.append({
            "shock_year": int(year), "countries": len(part),
            "falls": int((part["change_pct"] < 0).sum()), "rises": int((part["change_pct"] > 0).sum()),
            "median_change_pct": float(part["change_pct"].median()) if len(part) else np.nan,
            "median_share_change_pp": float(part["share_change_pp"].median()) if len(part) else np.nan,
            "largest_fall_country": lowest["country"] if lowest is not None else "",
            "largest_fall_pct": float(lowest["change_pct"]) if lowest is not None else np.nan,
            "largest_rise_country": highest["country"] if highest is not None else "",
            "largest_rise_pct": float(highest["change_pct"]) if highest is not None else np.nan,
        })
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
            f"{row['countries']} countries (median change {_fmt(row['median_change_pct'], '+.1f')} %; from "
            f"{_fmt(row['largest_fall_pct'], '+.1f')} % in {row['largest_fall_country']} to "
            f"{_fmt(row['largest_rise_pct'], '+.1f')} % in {row['largest_rise_country']})")
    return "; ".join(clauses)


def shock_brief(summary: pd.DataFrame) -> str:
    """A caption's version of :func:`shock_sentences`: falls and median changes (US$ and share) per shock year."""
    parts = [f"{year}: fell in {row['falls']} of {row['countries']} (median {_fmt(row['median_change_pct'], '+.1f')} %, "
             f"share {_fmt(row['median_share_change_pp'], '+.1f')} pp)" if row["countries"] else f"{year}: no data"
             for year, row in summary.iterrows()]
    return "; ".join(parts)


def shock_table(changes: pd.DataFrame) -> pd.DataFrame:
    """For display: country by shock year, 'change in US$ % (change of the share, pp)'."""
    changes = changes.assign(
        column=[f"{year - 1}→{year}" for year in changes["shock_year"]],
        cell=[f"{_fmt(pct, '+.1f')} % ({_fmt(pp, '+.1f')} pp)" if math.isfinite(pct) else NOT_AVAILABLE
              for pct, pp in zip(changes["change_pct"], changes["share_change_pp"])])
    table = changes.pivot(index="country", columns="column", values="cell")
    order = list(dict.fromkeys(changes["country"]))
    return table.loc[order, list(dict.fromkeys(changes["column"]))].rename_axis(index=None, columns=None)


def flows_wide(table3_long: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.data.external.table3_by_year` as one row per country-year, one column per measure."""
    wide = table3_long.pivot(index=["country", "iso3", "year"], columns="measure", values="pct_gdp")
    return wide.reset_index().rename_axis(columns=None)


FLOW_LABELS = {"remittances": "remittances received", "fdi": "FDI, net inflows",
               "exports": "exports of goods and services", "oda": "net ODA received"}


def flows_labelled(table3_long: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.data.external.table3_by_year` with readable measure names, remittances first."""
    order = {measure: i for i, measure in enumerate(FLOW_LABELS)}
    frame = table3_long.sort_values(["iso3", "measure", "year"], kind="stable",
                                    key=lambda column: column.map(order) if column.name == "measure" else column)
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
    counts = complete.assign(above_both=above).groupby("year").agg(
        countries=("iso3", "size"), above_both=("above_both", "sum"))
    counts["above_both"] = counts["above_both"].astype(int)
    return counts.reindex(sorted(wide["year"].unique()), fill_value=0)


def lead_summary(counts: pd.DataFrame, paper_year: int = 2003) -> dict:
    """:func:`years_remittances_lead` in a few numbers: the paper's year, the last year, the years all lead."""
    def at(year):
        return (int(counts.at[year, "above_both"]), int(counts.at[year, "countries"])) if year in counts.index \
            else (0, 0)
    last = int(counts.index.max())
    everywhere = counts[(counts["countries"] > 0) & (counts["above_both"] == counts["countries"])]
    return {"paper_year": paper_year, "paper_above": at(paper_year)[0], "paper_countries": at(paper_year)[1],
            "last_year": last, "last_above": at(last)[0], "last_countries": at(last)[1],
            "years_all_above": len(everywhere),
            "first_all_above": int(everywhere.index.min()) if len(everywhere) else np.nan}


def p1_table(rows: pd.DataFrame) -> pd.DataFrame:
    """P1's coefficients for display (three significant decimals)."""
    terms = {"log_gdp": "log GDP of the receiving country", "log_gdp_russia": "log GDP of Russia"}
    level = f"{rows['ci_level'].iloc[0]:.0%}"
    return pd.DataFrame({
        "coefficient": rows["coef"].map(lambda v: f"{v:.3f}").to_numpy(),
        "SE (clustered by country)": rows["se_cluster"].map(lambda v: f"{v:.3f}").to_numpy(),
        f"{level} interval": [f"{lo:.2f} to {hi:.2f}" for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
        "p": rows["p"].map(lambda v: f"{v:.3f}").to_numpy(),
    }, index=rows["term"].map(terms).to_numpy())


def p1_results_name(countries, start: int, end: int) -> str:
    """'panel_fe' for the book's P1 (the panels module's defaults), with a suffix for any other choice."""
    return results_name("panel_fe", {"without": (sorted(set(RECEIVERS) - set(countries)), []),
                                     "start": (start, 1995), "end": (end, 2023)})


def p2_results_name(start: int, end: int, population_edition: str = panel_data.POPULATION_WB) -> str:
    return results_name("yearly_cross_section", {"start": (start, 1995), "end": (end, 2023),
                                                 "pop": (population_edition, panel_data.POPULATION_WB)})


# ---------------------------------------------------------------------------
# Population: the World Bank's series by default, UN WPP 2024 as a sensitivity
# (chapters 9 and 11)
# ---------------------------------------------------------------------------

def in_words(items) -> str:
    """'a', 'a and b', 'a, b and c'; 'none' for no items."""
    items = [str(item) for item in items]
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def other_population(population_edition: str) -> str:
    """The population edition shown as the sensitivity beside ``population_edition``."""
    panel_data.check_population_edition(population_edition)
    return next(edition for edition in panel_data.POPULATION_EDITIONS if edition != population_edition)


def population_gap(ratios: pd.DataFrame, year: int, tolerance: float = 0.05) -> dict:
    """:func:`analysis.data.external.population_ratio` in a few numbers.

    The country whose two populations differ most in ``year``, its ratio then
    and its range over all years, and how many countries stay within
    ``tolerance`` (relative) in every year.
    """
    in_year = ratios[ratios["year"] == year]
    if in_year.empty:
        raise ParameterError(f"year={year} has no population in both series; they overlap in "
                             f"{int(ratios['year'].min())}-{int(ratios['year'].max())}.")
    widest = in_year.loc[(in_year["ratio"] - 1).abs().idxmax()]
    own = ratios[ratios["iso3"] == widest["iso3"]].set_index("year")["ratio"]
    largest_gap = (ratios["ratio"] - 1).abs().groupby(ratios["country"], sort=False).max()
    return {"year": year, "country": widest["country"], "iso3": widest["iso3"], "ratio": float(widest["ratio"]),
            "lowest": float(own.min()), "lowest_year": int(own.idxmin()),
            "highest": float(own.max()), "highest_year": int(own.idxmax()),
            "first_year": int(ratios["year"].min()), "last_year": int(ratios["year"].max()),
            "countries": len(largest_gap), "tolerance": tolerance,
            "close": int((largest_gap <= tolerance).sum()),
            "apart": in_words(largest_gap[largest_gap > tolerance].index)}


def lead_difference(counts: pd.DataFrame, other: pd.DataFrame) -> dict:
    """Years in which :func:`years_remittances_lead` counts differ between two population series."""
    both = counts.merge(other, left_index=True, right_index=True, suffixes=("", "_other"))
    differ = both[(both["above_both"] != both["above_both_other"]) | (both["countries"] != both["countries_other"])]
    return {"years": len(both), "differ": len(differ), "differ_years": in_words(differ.index)}


def p2_population_difference(p2: pd.DataFrame, other: pd.DataFrame) -> dict:
    """P2 under two population series: the years both estimate, and those where the slope's sign,
    or whether its interval lies below zero, differs."""
    columns = ["year", "coef", "ci_high"]
    both = p2.loc[p2["status"] == "estimated", columns].merge(
        other.loc[other["status"] == "estimated", columns], on="year", suffixes=("", "_other"))
    sign = both[np.sign(both["coef"]) != np.sign(both["coef_other"])]
    below = both[(both["ci_high"] < 0) != (both["ci_high_other"] < 0)]
    return {"years": len(both), "sign_differs": len(sign), "sign_differs_years": in_words(sign["year"]),
            "below_zero_differs": len(below), "below_zero_differs_years": in_words(below["year"]),
            "largest_change": float((both["coef"] - both["coef_other"]).abs().max()) if len(both) else np.nan}


# ---------------------------------------------------------------------------
# Chapter 10: where migrants went
# ---------------------------------------------------------------------------

SHARE_EDITIONS = (panel_data.UNDESA_2024, panel_data.UNDESA_2020, panel_data.KNOMAD_2021)


def russia_shares_long(origins=None) -> pd.DataFrame:
    """Share of each origin's emigrants who live in Russia: UN DESA 2024, UN DESA 2020 and KNOMAD 2021, apart."""
    origins = list(RECEIVERS if origins is None else origins)
    undesa = panel_data.russia_share(origins)[["country", "iso3", "year", "edition", "share_pct"]]
    knomad = panel_data.select_series(panel_data.panel(origins), "emigrants_in_russia_pct", panel_data.KNOMAD_2021)
    knomad = knomad.rename(columns={"value": "share_pct"})[["country", "iso3", "year", "edition", "share_pct"]]
    frame = pd.concat([undesa, knomad], ignore_index=True)
    order = {"iso3": {code: i for i, code in enumerate(origins)}, "edition": {e: i for i, e in enumerate(SHARE_EDITIONS)}}
    frame = frame.sort_values(["iso3", "edition", "year"], kind="stable",
                              key=lambda column: column.map(order[column.name]) if column.name in order else column)
    return frame.reset_index(drop=True)


def share_trend(shares: pd.DataFrame, edition: str, first: int, last: int) -> dict:
    """Shares in Russia of one edition in two years: countries with both, how many fell, above half in each year."""
    part = shares[shares["edition"] == edition].pivot(index="country", columns="year", values="share_pct")
    if first not in part.columns or last not in part.columns:
        raise ParameterError(f"edition {edition!r} has no shares for {first} and {last}; it covers "
                             f"{sorted(part.columns)}.")
    both = part[[first, last]].dropna()
    return {"edition": edition, "first": int(first), "last": int(last), "countries": len(both),
            "lower": int((both[last] < both[first]).sum()), "higher": int((both[last] > both[first]).sum()),
            "above_half_first": int((both[first] > 50).sum()), "above_half_last": int((both[last] > 50).sum()),
            "median_first": float(both[first].median()), "median_last": float(both[last].median())}


def russia_immigrants(year: int = 2020) -> dict[str, float]:
    """International migrants living in Russia in ``year``, per UN DESA edition (persons)."""
    data = panel_data.panel([RUSSIA])
    stocks = {}
    for edition in (panel_data.UNDESA_2024, panel_data.UNDESA_2020):
        rows = panel_data.select_series(data, "migrant_stock_immigrants", edition)
        rows = rows[rows["year"] == year]
        if rows.empty:
            raise ParameterError(f"year={year}: {edition} has no stock for Russia; both cover 1990-2020 in 5-year steps.")
        stocks[edition] = float(rows["value"].iloc[0])
    return stocks


def edition_gap(difference: pd.DataFrame, threshold_pp: float = 5.0) -> dict:
    """How far the two UN DESA editions are apart (from :func:`analysis.data.external.russia_share_difference`)."""
    gap = difference["share_difference_pp"].abs()
    widest = difference.loc[gap.idxmax()]
    latest = difference[difference["year"] == difference["year"].max()]
    return {
        "country_years": len(difference), "above_threshold": int((gap > threshold_pp).sum()),
        "threshold_pp": threshold_pp, "widest_country": widest["country"], "widest_year": int(widest["year"]),
        "widest_pp": float(widest["share_difference_pp"]),
        "widest_ims2024": float(widest["share_pct_ims2024"]), "widest_ims2020": float(widest["share_pct_ims2020"]),
        "latest_year": int(latest["year"].iloc[0]),
        "latest_lower_in_2024": int((latest["share_difference_pp"] < 0).sum()), "latest_countries": len(latest),
        "latest_median_in_russia_ratio": float(latest["in_russia_ratio"].median()),
    }


def edition_difference_wide(difference: pd.DataFrame) -> pd.DataFrame:
    """Country by year: share in Russia in IMS 2024 minus IMS 2020 (percentage points)."""
    table = difference.pivot(index="country", columns="year", values="share_difference_pp")
    order = list(dict.fromkeys(difference["country"]))
    return table.loc[order].rename_axis(index=None, columns=None)


def corridor_matrix(corridors: pd.DataFrame, top: int = 5, value: str = "migrants_share_pct") -> pd.DataFrame:
    """Origin by destination, the share (%) of the origin's total going to each of the ``top`` destinations.

    The destinations are those with the largest summed migrant stock over the
    origins shown (ties in alphabetical order); everything else is one column,
    "all other destinations", so that every row adds up to 100.
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ParameterError(f"top must be a whole number >= 1, got {top!r}.")
    if value not in ("migrants_share_pct", "remittances_share_pct"):
        raise ParameterError(f"value={value!r}; expected 'migrants_share_pct' or 'remittances_share_pct'.")
    corridors = corridors[corridors["destination_iso3"] != corridors["origin_iso3"]]
    ranking = corridors.groupby("destination")["migrants"].sum().sort_values(ascending=False, kind="stable")
    leading = list(ranking.index[:top])
    table = corridors[corridors["destination"].isin(leading)].pivot(index="origin", columns="destination",
                                                                    values=value)
    order = list(dict.fromkeys(corridors["origin"]))
    table = table.reindex(index=order, columns=leading)
    totals = corridors.groupby("origin")[value].sum(min_count=1).reindex(order)
    table["all other destinations"] = totals - table.sum(axis=1, min_count=1).fillna(0.0)
    return table.rename_axis(index=None, columns=None)


def largest_destinations(corridors: pd.DataFrame) -> pd.DataFrame:
    """Per origin (KNOMAD 2021): the destination with the most migrants and its share, Russia's shares.

    ``remittance_corridors`` counts the destinations the remittance matrix has a
    figure for; with one, all of the origin's remittances are put on that corridor.
    """
    rows = []
    for origin, part in corridors.groupby("origin", sort=False):
        ranked = part.dropna(subset=["migrants"]).sort_values("migrants", ascending=False, kind="stable")
        russia = part[part["destination_iso3"] == RUSSIA]
        rows.append({"origin": origin, "origin_iso3": part["origin_iso3"].iloc[0],
                     "largest": ranked["destination"].iloc[0],
                     "largest_share_pct": float(ranked["migrants_share_pct"].iloc[0]),
                     "russia_share_pct": float(russia["migrants_share_pct"].iloc[0]) if len(russia) else np.nan,
                     "russia_remittances_share_pct":
                         float(russia["remittances_share_pct"].iloc[0]) if len(russia) else np.nan,
                     "remittance_corridors": int(part["remittances_share_pct"].notna().sum())})
    return pd.DataFrame(rows)


def remittances_follow_migrants(largest: pd.DataFrame, tolerance_pp: float = 5.0) -> int:
    """Origins whose share of remittances from Russia is within ``tolerance_pp`` of their share of migrants there."""
    gap = (largest["russia_remittances_share_pct"] - largest["russia_share_pct"]).abs()
    return int((gap <= tolerance_pp).sum())


def _position(value: float, low: float, high: float) -> str:
    if not math.isfinite(value):
        return NOT_AVAILABLE
    return "inside" if low <= value <= high else "below" if value < low else "above"


def table2_external(reference_year: int = 2005, about_half_band: float = 10.0) -> pd.DataFrame:
    """The paper's Table 2 statements against UN DESA (both editions, ``reference_year``) and KNOMAD 2021.

    Groups, bands and Table 2's intervals come from :func:`analysis.audit.table2_statements`
    ("70-90%" for Central Asia and the Caucasus; "about half" read as 50 +/-
    ``about_half_band``). Each public share is placed inside, below or above the band.
    """
    settings = audit.Settings(about_half_margin_pp=about_half_band)
    statements = audit.table2_statements(settings=settings)
    statements["iso3"] = statements["country"].map(countries.iso3)
    shares = russia_shares_long(statements["iso3"].tolist())
    available = sorted(set(shares.loc[shares["edition"] == panel_data.UNDESA_2020, "year"])
                       & set(shares.loc[shares["edition"] == panel_data.UNDESA_2024, "year"]))
    if reference_year not in available:
        raise ParameterError(f"reference_year={reference_year!r}; both UN DESA editions cover {available}.")
    sources = {"undesa_2024": (panel_data.UNDESA_2024, reference_year),
               "undesa_2020": (panel_data.UNDESA_2020, reference_year),
               "knomad_2021": (panel_data.KNOMAD_2021, panel_data.migration.KNOMAD_YEAR)}
    frame = statements[["country", "iso3", "group", "band_low", "band_high", "share_low", "share_high",
                        "position"]].rename(columns={"share_low": "table2_low", "share_high": "table2_high",
                                                     "position": "table2_position"})
    for key, (edition, year) in sources.items():
        part = shares[(shares["edition"] == edition) & (shares["year"] == year)].set_index("iso3")["share_pct"]
        frame[f"{key}_pct"] = frame["iso3"].map(part).astype(float)
        frame[f"{key}_position"] = [_position(v, lo, hi) for v, lo, hi in
                                    zip(frame[f"{key}_pct"], frame["band_low"], frame["band_high"])]
    frame.attrs["reference_year"] = reference_year
    return frame


def table2_external_table(check: pd.DataFrame) -> pd.DataFrame:
    """For display: each country's band, Table 2's interval and the public shares with their position."""
    year = check.attrs.get("reference_year", "")

    def cell(value, position):
        return f"{_fmt(value, '.0f')} ({position})"
    return pd.DataFrame({
        "group in the text": check["group"].to_numpy(),
        "statement, %": [f"{lo:.0f}–{hi:.0f}" for lo, hi in zip(check["band_low"], check["band_high"])],
        "Table 2, %": [f"{lo:.0f}–{hi:.0f} ({pos})" for lo, hi, pos in
                       zip(check["table2_low"], check["table2_high"], check["table2_position"])],
        f"UN DESA 2024, {year}, %": list(map(cell, check["undesa_2024_pct"], check["undesa_2024_position"])),
        f"UN DESA 2020, {year}, %": list(map(cell, check["undesa_2020_pct"], check["undesa_2020_position"])),
        "KNOMAD 2021, %": list(map(cell, check["knomad_2021_pct"], check["knomad_2021_position"])),
    }, index=check["country"].to_numpy())


def positions_count(check: pd.DataFrame, source: str) -> dict[str, int]:
    """How many countries' shares lie inside, below or above their band, for one source column prefix."""
    column = check[f"{source}_position"]
    return {position: int((column == position).sum()) for position in ("inside", "below", "above")}


# ---------------------------------------------------------------------------
# Chapter 11: how the numbers moved
# ---------------------------------------------------------------------------

GDP_EDITIONS = (panel_data.WDI_2025, panel_data.DATASETS_GDP)
PAPER = "paper (Table 3)"
PAPER_COLUMNS = {
    "remittances_bop_2003_musd": "remittances, BOP 2003",
    "remittances_estimate_musd": "remittances, estimate",
    "gdp_2003_musd": "GDP 2003",
}
EDITION_SHORT = {
    panel_data.WB_2013: "WB 2013", panel_data.WDI_2023: "WDI 2023", panel_data.WDI_2025: "WDI 2025",
    panel_data.DATASETS_GDP: "WDI (datasets/gdp)",
}
# The paper-era models re-fitted on an edition: the edition's one remittance series
# takes the place of the column the catalogue model reads.
RERUN_SPECS = ("M4", "M5")
PAPER_SPECS = ("M3", "M4", "M5")


def revisions_wide(revisions: pd.DataFrame) -> pd.DataFrame:
    """For display: each paper column and country, the paper's value and each edition's (US$ million)."""
    frame = revisions.assign(quantity=revisions["paper_column"].map(PAPER_COLUMNS),
                             edition_label=revisions["edition"].map(EDITION_SHORT))
    editions = frame.pivot_table(index=["quantity", "country"], columns="edition_label",
                                 values="edition_value_musd", aggfunc="first", dropna=False, sort=False)
    printed = frame.groupby(["quantity", "country"], sort=False)["paper_value_musd"].first()
    table = pd.concat([printed.rename("paper"), editions], axis=1)
    table = table.loc[[key for key in printed.index]]
    columns = ["paper"] + [label for label in EDITION_SHORT.values() if label in table.columns]
    return table[columns].map(lambda v: _fmt(v, ",.0f")).rename_axis(index=["", ""], columns=None)


def revision_summary(revisions: pd.DataFrame, tolerance: float = 0.05) -> pd.DataFrame:
    """Per paper column and edition: countries compared, within ``tolerance`` of the paper, extremes."""
    rows = []
    for (column, edition), part in revisions.groupby(["paper_column", "edition"], sort=False):
        part = part.dropna(subset=["revision_ratio"])
        low, high = part.loc[part["revision_ratio"].idxmin()], part.loc[part["revision_ratio"].idxmax()]
        rows.append({"paper_column": column, "edition": edition, "countries": len(part),
                     "within_tolerance": int(((part["revision_ratio"] - 1).abs() <= tolerance).sum()),
                     "lowest_country": low["country"], "lowest_ratio": float(low["revision_ratio"]),
                     "highest_country": high["country"], "highest_ratio": float(high["revision_ratio"]),
                     "median_ratio": float(part["revision_ratio"].median())})
    return pd.DataFrame(rows)


def rerun_variables(edition: str, year: int = 2003, gdp_edition: str = panel_data.WDI_2025,
                    population_edition: str = panel_data.POPULATION_WB) -> pd.DataFrame:
    """The variables of the paper-era models, with one edition's remittances and GDP in ``year``.

    GDP per capita divides ``gdp_edition``'s GDP by ``population_edition``'s population.
    Columns carry the names the catalogue reads (:func:`analysis.models.catalogue.remittance_variables`):
    the edition's one remittance series fills both the BOP and the estimate columns.
    """
    if gdp_edition not in GDP_EDITIONS:
        raise ParameterError(f"gdp_edition={gdp_edition!r}; choose one of {sorted(GDP_EDITIONS)}.")
    table = panel_data.cross_section(year, remittance_edition=edition, gdp_edition=gdp_edition,
                                     population_edition=population_edition)
    remittances_musd = table["remittances_usd"] / 1e6
    gdp_musd = table["gdp_usd"] / 1e6
    share = 100.0 * remittances_musd / gdp_musd
    return pd.DataFrame({
        "iso3": table["iso3"].to_numpy(), "country": table["country"].to_numpy(),
        "gdp_pc": table["gdp_per_capita_usd"].to_numpy(), "log_gdp_pc": np.log(table["gdp_per_capita_usd"]).to_numpy(),
        "gdp": gdp_musd.to_numpy(), "log_gdp": np.log(gdp_musd).to_numpy(),
        "remit_estimate": remittances_musd.to_numpy(), "remit_bop": remittances_musd.to_numpy(),
        "log_remit_estimate": np.log(remittances_musd).to_numpy(), "log_remit_bop": np.log(remittances_musd).to_numpy(),
        "share_estimate_recomputed": share.to_numpy(), "share_bop_recomputed": share.to_numpy(),
    })


def reruns(year: int = 2003, gdp_edition: str = panel_data.WDI_2025,
           population_edition: str = panel_data.POPULATION_WB, *, boot_draws: int = regression.BOOTSTRAP_DRAWS,
           seed: int = regression.DEFAULT_SEED) -> list[tuple[str, catalogue.ModelEstimate]]:
    """The paper-era models on the paper's Table 3 and on each World Bank edition, by the catalogue's code.

    Returns (data label, estimate) pairs: M3, M4 and M5 on the paper's data, then
    the specifications of M4 (share ~ log GDP per capita) and M5 (the elasticity)
    on WB 2013, WDI 2023 and WDI 2025 remittances in ``year``.
    """
    fitted = [(PAPER, catalogue.fit(model_id, boot_draws=boot_draws, seed=seed)) for model_id in PAPER_SPECS]
    for edition in panel_data.REMITTANCE_EDITIONS:
        frame = rerun_variables(edition, year, gdp_edition, population_edition)
        fitted += [(edition, catalogue.fit(model_id, frame=frame, boot_draws=boot_draws, seed=seed))
                   for model_id in RERUN_SPECS]
    return fitted


def reruns_rows(fitted, year: int = 2003, gdp_edition: str = panel_data.WDI_2025,
                population_edition: str = panel_data.POPULATION_WB) -> pd.DataFrame:
    """One row per fit (results.model_rows' columns) with the data it used and a run label.

    ``model_id`` keeps the catalogue id only for the paper's own data; a re-fit on
    an edition is labelled ``spec_id`` = "<id>|<edition>|<year>|GDP <edition>", a label
    within this table, never a catalogue id; ``population_edition`` names its population.
    """
    rows = results.model_rows([estimate for _, estimate in fitted])
    labels = [label for label, _ in fitted]
    rows.insert(1, "spec_id", [model_id if label == PAPER else f"{model_id}|{label}|{year}|GDP {gdp_edition}"
                               for model_id, label in zip(rows["model_id"], labels)])
    rows.insert(2, "data", labels)
    rows.insert(3, "year", [2003 if label == PAPER else year for label in labels])
    rows.insert(4, "gdp_edition", [PAPER if label == PAPER else gdp_edition for label in labels])
    rows.insert(5, "population_edition", [PAPER if label == PAPER else population_edition for label in labels])
    rows["model_id"] = [model_id if label == PAPER else "" for model_id, label in zip(rows["model_id"], labels)]
    rows["spec"] = [spec_id.split("|")[0] for spec_id in rows["spec_id"]]
    return rows


def refit_summary(rows: pd.DataFrame) -> dict:
    """The re-fits in a few words: fits whose interval includes zero, and who is missing from the editions' fits."""
    editions = rows[rows["data"] != PAPER]
    missing = sorted({code for field in editions["missing"] for code in field.split(";")} - {results.NONE, ""})
    coverage = (f"No edition has a figure for {country_names(';'.join(missing))} in that year, so the re-fits "
                "have fewer countries than the fits on the paper's estimates"
                if missing else "Every edition has a figure for every Table 3 country in that year")
    return {"fits": len(rows),
            "include_zero": int(sum(sign_settled(low, high) == "sign not settled"
                                    for low, high in zip(rows["ci_low"], rows["ci_high"]))),
            "missing": missing, "coverage_sentence": coverage}


def reruns_table(rows: pd.DataFrame) -> pd.DataFrame:
    """For display: slope with its interval, permutation p-value, n, per model and data."""
    what = {"M3": "share of GDP (estimate) ~ log GDP p.c.", "M4": "share of GDP ~ log GDP p.c.",
            "M5": "log remittances ~ log GDP"}
    level = f"{rows['ci_level'].iloc[0]:.0%}"
    return pd.DataFrame({
        "model": [f"{spec}: {what[spec]}" for spec in rows["spec"]],
        "data": [EDITION_SHORT.get(label, label) for label in rows["data"]],
        "n": rows["n"].to_numpy(),
        "slope": rows["coef"].map(lambda v: f"{v:.2f}").to_numpy(),
        f"{level} interval": [f"{lo:.2f} to {hi:.2f}" for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
        "p (permutation)": rows["p_permutation"].map(lambda v: f"{v:.3f}").to_numpy(),
        "missing": rows["missing"].to_numpy(),
    }).set_index(["model", "data"]).rename_axis(index=["", ""])


def reruns_results_name(year: int, gdp_edition: str, seed: int, boot_draws: int,
                        population_edition: str = panel_data.POPULATION_WB) -> str:
    return results_name("paper_era_reruns", {"year": (year, 2003), "gdp": (gdp_edition, panel_data.WDI_2025),
                                             "pop": (population_edition, panel_data.POPULATION_WB),
                                             "seed": (seed, regression.DEFAULT_SEED),
                                             "draws": (boot_draws, regression.BOOTSTRAP_DRAWS)})


def write_reruns(rows: pd.DataFrame, name: str = "paper_era_reruns", directory=None) -> dict:
    """The re-fits to results/ with the hashes of the paper's resources and of the public files."""
    editions = rows[rows["data"] != PAPER]
    used = {("remittances_usd", edition) for edition in editions["data"]}
    used |= {("gdp_usd", edition) for edition in editions["gdp_edition"]}
    used |= {("population", edition) for edition in editions["population_edition"]}
    table = rows.assign(external_sha256=panels.external_hash_field(series.files_of(used)))
    return results.write_table(table, name, resources=catalogue.SOURCE_RESOURCES[catalogue.REMITTANCES],
                               directory=directory)


def _flow_levels(year: int, population_edition: str) -> pd.DataFrame:
    """FDI inflows (WDI 2025) and ODA (Gapminder's ODA per person x population) in US$, Table 3 countries."""
    data = panel_data.panel(panel_data.table3_countries())
    table = panel_data.wide(data, {"fdi_inflows_usd": panel_data.WDI_2025, "population": population_edition,
                                   "oda_per_capita_usd": panel_data.GAPMINDER_WDI})
    table = table[table["year"] == year]
    table["oda_usd"] = table["oda_per_capita_usd"] * table["population"]
    return table.set_index("iso3")[["fdi_inflows_usd", "oda_usd"]]


def conclusions(fitted, year: int = 2003, gdp_edition: str = panel_data.WDI_2025,
                population_edition: str = panel_data.POPULATION_WB) -> pd.DataFrame:
    """What the paper's Table 3 shows and the paper-era models say, on the paper's data and on each edition.

    Columns: remittances above both FDI and ODA (countries), the most dependent
    country (largest share of GDP), the share slope (M3's or M4's specification)
    with its interval, and the elasticity (M5's) with its interval. On the
    paper's data the count is the audit's (Table 3's own FDI 2003 and ODA 2002,
    :func:`analysis.audit.remittances_above_fdi_oda`); on an edition, FDI and
    ODA of ``year`` (:func:`_flow_levels`), ODA scaled by ``population_edition``'s population.
    """
    by_data: dict[str, dict] = {}
    for label, estimate in fitted:
        by_data.setdefault(label, {})[estimate.spec.model_id] = estimate.analysis
    counted = audit.verdict_of("remittances_above_fdi_oda").numbers
    flows = _flow_levels(year, population_edition)
    rows = []
    for label, fits in by_data.items():
        if label == PAPER:
            variables = catalogue.remittance_variables().set_index("iso3")
            versions = [("BOP", "share_bop_recomputed", "M4", None,
                         (counted["above_both_bop"], counted["countries_bop"])),
                        ("estimate", "share_estimate_recomputed", "M3", "M5",
                         (counted["above_both_estimate"], counted["countries_estimate"]))]
        else:
            variables = rerun_variables(label, year, gdp_edition, population_edition).set_index("iso3")
            amount = variables["remit_bop"]
            fdi, oda = flows["fdi_inflows_usd"].reindex(amount.index) / 1e6, flows["oda_usd"].reindex(amount.index) / 1e6
            present = amount.notna() & fdi.notna() & oda.notna()
            above = present & (amount > fdi) & (amount > oda)
            versions = [("", "share_bop_recomputed", "M4", "M5", (int(above.sum()), int(present.sum())))]
        for measure, share_column, share_model, elasticity_model, (above_both, countries_compared) in versions:
            share = variables[share_column].dropna()
            share_fit = fits[share_model].ols
            elasticity = fits[elasticity_model].ols if elasticity_model else None
            rows.append({
                "data": EDITION_SHORT.get(label, label) + (f", {measure}" if measure else ""),
                "year": 2003 if label == PAPER else year,
                "countries": countries_compared, "above_fdi_and_oda": above_both,
                "most_dependent": variables.loc[share.idxmax(), "country"], "largest_share_pct": float(share.max()),
                "share_slope": share_fit.coef, "share_ci_low": share_fit.ci_low, "share_ci_high": share_fit.ci_high,
                "elasticity": elasticity.coef if elasticity else np.nan,
                "elasticity_ci_low": elasticity.ci_low if elasticity else np.nan,
                "elasticity_ci_high": elasticity.ci_high if elasticity else np.nan,
            })
    return pd.DataFrame(rows)


def conclusions_table(frame: pd.DataFrame) -> pd.DataFrame:
    """For display: one row per data version, the findings as short text."""
    def interval(coef, low, high):
        if not math.isfinite(coef):
            return NOT_AVAILABLE
        return f"{coef:.2f} ({low:.2f} to {high:.2f}; {sign_settled(low, high)})"
    return pd.DataFrame({
        "remittances above FDI and ODA": [f"{a} of {n}" for a, n in zip(frame["above_fdi_and_oda"], frame["countries"])],
        "largest share of GDP": [f"{c} ({s:.1f} %)" for c, s in zip(frame["most_dependent"], frame["largest_share_pct"])],
        "share ~ log GDP p.c., slope (95 % CI)": list(map(interval, frame["share_slope"], frame["share_ci_low"],
                                                          frame["share_ci_high"])),
        "elasticity (95 % CI)": list(map(interval, frame["elasticity"], frame["elasticity_ci_low"],
                                         frame["elasticity_ci_high"])),
    }, index=frame["data"].to_numpy())


def p2_summary(p2: pd.DataFrame, paper_year: int = 2003) -> dict:
    """The year-by-year slopes in a few numbers.

    Years estimated, slopes whose interval lies below zero, the first such year,
    and ``below_zero_from``: the first year from which every later estimate's
    interval lies below zero (missing if the last one does not).
    """
    estimated = p2[p2["status"] == "estimated"]
    below = estimated[estimated["ci_high"] < 0]
    at_paper = estimated[estimated["year"] == paper_year]
    above = estimated.loc[estimated["ci_high"] >= 0, "year"]
    tail = estimated[estimated["year"] > above.max()] if len(above) else estimated
    return {
        "years": len(p2), "estimated": len(estimated), "interval_below_zero": len(below),
        "first_below_zero": int(below["year"].min()) if len(below) else np.nan,
        "below_zero_from": int(tail["year"].min()) if len(tail) else np.nan,
        "last_year": int(estimated["year"].max()) if len(estimated) else np.nan,
        "negative_slopes": int((estimated["coef"] < 0).sum()),
        "paper_year_slope": float(at_paper["coef"].iloc[0]) if len(at_paper) else np.nan,
        "paper_year_low": float(at_paper["ci_low"].iloc[0]) if len(at_paper) else np.nan,
        "paper_year_high": float(at_paper["ci_high"].iloc[0]) if len(at_paper) else np.nan,
        "paper_year_n": int(at_paper["n"].iloc[0]) if len(at_paper) else 0,
    }
