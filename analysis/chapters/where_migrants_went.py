"""Chapter 10, where migrants went: Russia's share of each CIS country's emigrants in the public data.

The shares come from both UN DESA editions of the international migrant stock
and from KNOMAD's 2021 matrices, each kept apart and named; the paper's Table 2
statements are set against them as the audit reads them. The ``*_numbers``
functions give each section's glued numbers by their glue keys (the page glues
them under the prefix ``migrants``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import audit
from analysis.audit import reading_rules
from analysis.chapters.extension_common import NOT_AVAILABLE, RECEIVERS, RUSSIA, format_value
from analysis.data import countries
from analysis.data.external import panel_data
from analysis.errors import ParameterError

SHARE_EDITIONS = (panel_data.UNDESA_2024, panel_data.UNDESA_2020, panel_data.KNOMAD_2021)
EDITION_GAP_PP = 5.0  # two editions' shares further apart than this are counted as differing
FOLLOW_TOLERANCE_PP = 5.0  # remittances "follow" migrants when Russia's two shares are this close


def russia_shares_long(origins=None) -> pd.DataFrame:
    """Share of each origin's emigrants who live in Russia: UN DESA 2024, UN DESA 2020 and KNOMAD 2021, apart."""
    origins = list(RECEIVERS if origins is None else origins)
    undesa = panel_data.russia_share(origins)[["country", "iso3", "year", "edition", "share_pct"]]
    knomad = panel_data.select_series(panel_data.panel(origins), "emigrants_in_russia_pct", panel_data.KNOMAD_2021)
    knomad = knomad.rename(columns={"value": "share_pct"})[["country", "iso3", "year", "edition", "share_pct"]]
    frame = pd.concat([undesa, knomad], ignore_index=True)
    order = {
        "iso3": {code: i for i, code in enumerate(origins)},
        "edition": {edition: i for i, edition in enumerate(SHARE_EDITIONS)},
    }
    frame = frame.sort_values(
        ["iso3", "edition", "year"],
        kind="stable",
        key=lambda column: column.map(order[column.name]) if column.name in order else column,
    )
    return frame.reset_index(drop=True)


def share_trend(shares: pd.DataFrame, edition: str, first: int, last: int) -> dict:
    """Shares in Russia of one edition in two years: countries with both, how many fell, above half in each year."""
    part = shares[shares["edition"] == edition].pivot(index="country", columns="year", values="share_pct")
    if first not in part.columns or last not in part.columns:
        raise ParameterError(
            f"edition {edition!r} has no shares for {first} and {last}; it covers {sorted(part.columns)}."
        )
    both = part[[first, last]].dropna()
    return {
        "edition": edition,
        "first": int(first),
        "last": int(last),
        "countries": len(both),
        "lower": int((both[last] < both[first]).sum()),
        "higher": int((both[last] > both[first]).sum()),
        "above_half_first": int((both[first] > 50).sum()),
        "above_half_last": int((both[last] > 50).sum()),
        "median_first": float(both[first].median()),
        "median_last": float(both[last].median()),
    }


def russia_immigrants(year: int = 2020) -> dict[str, float]:
    """International migrants living in Russia in ``year``, per UN DESA edition (persons)."""
    data = panel_data.panel([RUSSIA])
    stocks = {}
    for edition in (panel_data.UNDESA_2024, panel_data.UNDESA_2020):
        rows = panel_data.select_series(data, "migrant_stock_immigrants", edition)
        rows = rows[rows["year"] == year]
        if rows.empty:
            raise ParameterError(
                f"year={year}: {edition} has no stock for Russia; both cover 1990-2020 in 5-year steps."
            )
        stocks[edition] = float(rows["value"].iloc[0])
    return stocks


def edition_gap(difference: pd.DataFrame, threshold_pp: float = EDITION_GAP_PP) -> dict:
    """How far the two UN DESA editions are apart (from :func:`analysis.data.external.russia_share_difference`)."""
    gap = difference["share_difference_pp"].abs()
    widest = difference.loc[gap.idxmax()]
    latest = difference[difference["year"] == difference["year"].max()]
    return {
        "country_years": len(difference),
        "above_threshold": int((gap > threshold_pp).sum()),
        "threshold_pp": threshold_pp,
        "widest_country": widest["country"],
        "widest_year": int(widest["year"]),
        "widest_pp": float(widest["share_difference_pp"]),
        "widest_ims2024": float(widest["share_pct_ims2024"]),
        "widest_ims2020": float(widest["share_pct_ims2020"]),
        "latest_year": int(latest["year"].iloc[0]),
        "latest_lower_in_2024": int((latest["share_difference_pp"] < 0).sum()),
        "latest_countries": len(latest),
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
    table = corridors[corridors["destination"].isin(leading)].pivot(index="origin", columns="destination", values=value)
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
        rows.append(
            {
                "origin": origin,
                "origin_iso3": part["origin_iso3"].iloc[0],
                "largest": ranked["destination"].iloc[0],
                "largest_share_pct": float(ranked["migrants_share_pct"].iloc[0]),
                "russia_share_pct": float(russia["migrants_share_pct"].iloc[0]) if len(russia) else np.nan,
                "russia_remittances_share_pct": float(russia["remittances_share_pct"].iloc[0])
                if len(russia)
                else np.nan,
                "remittance_corridors": int(part["remittances_share_pct"].notna().sum()),
            }
        )
    return pd.DataFrame(rows)


def remittances_follow_migrants(largest: pd.DataFrame, tolerance_pp: float = FOLLOW_TOLERANCE_PP) -> int:
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
    settings = reading_rules.Settings(about_half_margin_pp=about_half_band)
    statements = audit.table2_statements(settings=settings)
    statements["iso3"] = statements["country"].map(countries.iso3)
    shares = russia_shares_long(statements["iso3"].tolist())
    available = sorted(
        set(shares.loc[shares["edition"] == panel_data.UNDESA_2020, "year"])
        & set(shares.loc[shares["edition"] == panel_data.UNDESA_2024, "year"])
    )
    if reference_year not in available:
        raise ParameterError(f"reference_year={reference_year!r}; both UN DESA editions cover {available}.")
    sources = {
        "undesa_2024": (panel_data.UNDESA_2024, reference_year),
        "undesa_2020": (panel_data.UNDESA_2020, reference_year),
        "knomad_2021": (panel_data.KNOMAD_2021, panel_data.migration.KNOMAD_YEAR),
    }
    frame = statements[
        ["country", "iso3", "group", "band_low", "band_high", "share_low", "share_high", "position"]
    ].rename(columns={"share_low": "table2_low", "share_high": "table2_high", "position": "table2_position"})
    for key, (edition, year) in sources.items():
        part = shares[(shares["edition"] == edition) & (shares["year"] == year)].set_index("iso3")["share_pct"]
        frame[f"{key}_pct"] = frame["iso3"].map(part).astype(float)
        frame[f"{key}_position"] = [
            _position(v, lo, hi) for v, lo, hi in zip(frame[f"{key}_pct"], frame["band_low"], frame["band_high"])
        ]
    frame.attrs["reference_year"] = reference_year
    return frame


def table2_external_table(check: pd.DataFrame) -> pd.DataFrame:
    """For display: each country's band, Table 2's interval and the public shares with their position."""
    year = check.attrs.get("reference_year", "")

    def cell(value, position):
        return f"{format_value(value, '.0f')} ({position})"

    return pd.DataFrame(
        {
            "group in the text": check["group"].to_numpy(),
            "statement, %": [f"{lo:.0f}–{hi:.0f}" for lo, hi in zip(check["band_low"], check["band_high"])],
            "Table 2, %": [
                f"{lo:.0f}–{hi:.0f} ({pos})"
                for lo, hi, pos in zip(check["table2_low"], check["table2_high"], check["table2_position"])
            ],
            f"UN DESA 2024, {year}, %": list(map(cell, check["undesa_2024_pct"], check["undesa_2024_position"])),
            f"UN DESA 2020, {year}, %": list(map(cell, check["undesa_2020_pct"], check["undesa_2020_position"])),
            "KNOMAD 2021, %": list(map(cell, check["knomad_2021_pct"], check["knomad_2021_position"])),
        },
        index=check["country"].to_numpy(),
    )


def positions_count(check: pd.DataFrame, source: str) -> dict[str, int]:
    """How many countries' shares lie inside, below or above their band, for one source column prefix."""
    column = check[f"{source}_position"]
    return {position: int((column == position).sum()) for position in ("inside", "below", "above")}


# ---------------------------------------------------------------------------
# What the page glues, by glue key
# ---------------------------------------------------------------------------


def share_numbers(shares: pd.DataFrame) -> dict:
    """Russia's share in the UN DESA 2024 edition's first and last years (:func:`share_trend`)."""
    years = sorted(shares.loc[shares["edition"] == panel_data.UNDESA_2024, "year"].unique())
    trend = share_trend(shares, panel_data.UNDESA_2024, years[0], years[-1])
    return {
        "n-origins": trend["countries"],
        "first-year": trend["first"],
        "last-year": trend["last"],
        "above-half-first": trend["above_half_first"],
        "above-half-last": trend["above_half_last"],
        "share-lower": trend["lower"],
        "share-higher": trend["higher"],
        "median-first": trend["median_first"],
        "median-last": trend["median_last"],
    }


def gap_numbers(gap: dict, in_russia: dict[str, float]) -> dict:
    """:func:`edition_gap` and the two editions' migrants in Russia (:func:`russia_immigrants`, in millions)."""
    return {
        "gap-n": gap["country_years"],
        "gap-above": gap["above_threshold"],
        "gap-threshold": gap["threshold_pp"],
        "gap-country": gap["widest_country"],
        "gap-year": gap["widest_year"],
        "gap-2024": gap["widest_ims2024"],
        "gap-2020": gap["widest_ims2020"],
        "gap-latest-year": gap["latest_year"],
        "gap-latest-lower": gap["latest_lower_in_2024"],
        "gap-latest-n": gap["latest_countries"],
        "gap-ratio": gap["latest_median_in_russia_ratio"],
        "russia-year": gap["latest_year"],
        "russia-2024": in_russia[panel_data.UNDESA_2024] / 1e6,
        "russia-2020": in_russia[panel_data.UNDESA_2020] / 1e6,
    }


def corridor_numbers(largest: pd.DataFrame, top: int, tolerance_pp: float = FOLLOW_TOLERANCE_PP) -> dict:
    """KNOMAD 2021 (:func:`largest_destinations`): where Russia is the largest destination, its range of shares,
    whether remittances follow migrants, and the origins whose remittances the matrix puts on one corridor."""
    russia_first = largest["largest"] == "Russian Federation"
    lowest = largest.loc[largest["russia_share_pct"].idxmin()]
    highest = largest.loc[largest["russia_share_pct"].idxmax()]
    single = largest.loc[largest["remittance_corridors"] == 1, "origin"]
    return {
        "top": top,
        "n-corridor-origins": len(largest),
        "russia-largest": int(russia_first.sum()),
        "russia-not-largest": ", ".join(f"{row.origin} ({row.largest})" for row in largest[~russia_first].itertuples())
        or "none",
        "russia-min": float(lowest["russia_share_pct"]),
        "russia-min-country": lowest["origin"],
        "russia-max": float(highest["russia_share_pct"]),
        "russia-max-country": highest["origin"],
        "follow-tolerance": tolerance_pp,
        "follow": remittances_follow_migrants(largest, tolerance_pp),
        "single-corridor": " and ".join(single) or "no origin",
    }


def table2_numbers(check: pd.DataFrame, about_half_band: float) -> dict:
    """:func:`table2_external`: the year compared, the "about half" band, and the positions counted per source."""
    numbers = {
        "ref-year": check.attrs["reference_year"],
        "half-low": 50 - about_half_band,
        "half-high": 50 + about_half_band,
        "t2-n": len(check),
    }
    for source, key in (("undesa_2024", "2024"), ("undesa_2020", "2020"), ("knomad_2021", "knomad")):
        numbers.update({f"t2-{key}-{position}": count for position, count in positions_count(check, source).items()})
    return numbers
