"""analysis.chapters.where_migrants_went (chapter 10) against hand computations and the raw matrices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.chapters import where_migrants_went as chapter
from analysis.data.external import panel_data
from analysis.errors import ParameterError
from helpers.glue_values import assert_gluable


def _stocks(folder, filename):
    import pyreadr

    return next(iter(pyreadr.read_r(str(folder / filename)).values()))


def test_russia_shares_from_the_raw_matrices(mirror):
    shares = chapter.russia_shares_long(["KGZ", "TJK"])
    assert list(dict.fromkeys(shares["edition"])) == list(chapter.SHARE_EDITIONS)
    assert list(dict.fromkeys(shares["iso3"])) == ["KGZ", "TJK"]
    stocks = _stocks(mirror, "undesa_stocks_2020.rda")
    kyrgyz = stocks[(stocks["from"] == "KGZ") & (stocks["t"] == 2005)]
    expected = 100 * kyrgyz.loc[kyrgyz["geo"] == "RUS", "n"].sum() / kyrgyz["n"].sum()
    row = shares[(shares["iso3"] == "KGZ") & (shares["year"] == 2005) & (shares["edition"] == panel_data.UNDESA_2020)]
    assert row["share_pct"].item() == pytest.approx(expected, rel=1e-12)
    # bilateral_migration_matrix_2021_latest.xlsx, row "Tajikistan": 466252 in Russia of 592382 in the world.
    knomad = shares[(shares["iso3"] == "TJK") & (shares["edition"] == panel_data.KNOMAD_2021)]
    assert knomad["year"].tolist() == [2021]
    assert knomad["share_pct"].item() == pytest.approx(100 * 466_252 / 592_382, rel=1e-12)


def test_russia_immigrants_per_edition_from_the_raw_files(mirror):
    stocks = chapter.russia_immigrants(2020)
    for edition, filename in (
        ("UN DESA IMS 2024", "undesa_stocks.rda"),
        ("UN DESA IMS 2020", "undesa_stocks_2020.rda"),
    ):
        raw = _stocks(mirror, filename)
        assert stocks[edition] == raw.loc[(raw["geo"] == "RUS") & (raw["t"] == 2020), "n"].sum()
    with pytest.raises(ParameterError, match="2021"):
        chapter.russia_immigrants(2021)


def _shares():
    return pd.DataFrame(
        {
            "country": ["A", "A", "B", "B", "C"],
            "iso3": ["A", "A", "B", "B", "C"],
            "year": [1990, 2020, 1990, 2020, 1990],
            "edition": "E",
            "share_pct": [60.0, 40.0, 30.0, 55.0, 80.0],
        }
    )


def _difference():
    difference = pd.DataFrame(
        {
            "country": ["A", "A", "B", "B"],
            "year": [2015, 2020, 2015, 2020],
            "share_pct_ims2024": [50.0, 30.0, 61.0, 70.0],
            "share_pct_ims2020": [52.0, 45.0, 55.0, 68.0],
            "in_russia_ratio": [1.0, 0.5, 0.9, 0.7],
        }
    )
    return difference.assign(share_difference_pp=difference["share_pct_ims2024"] - difference["share_pct_ims2020"])


def test_share_trend_and_edition_gap_by_hand():
    shares = _shares()
    trend = chapter.share_trend(shares, "E", 1990, 2020)
    assert (trend["countries"], trend["lower"], trend["higher"]) == (2, 1, 1)
    assert (trend["above_half_first"], trend["above_half_last"]) == (1, 1)
    assert trend["median_first"] == 45.0 and trend["median_last"] == 47.5
    with pytest.raises(ParameterError, match="1995"):
        chapter.share_trend(shares, "E", 1995, 2020)
    difference = _difference()
    gap = chapter.edition_gap(difference, threshold_pp=5.0)
    assert (gap["country_years"], gap["above_threshold"]) == (4, 2)  # -15 and +6
    assert (gap["widest_country"], gap["widest_year"], gap["widest_pp"]) == ("A", 2020, -15.0)
    assert (gap["latest_lower_in_2024"], gap["latest_countries"]) == (1, 2)
    assert gap["latest_median_in_russia_ratio"] == pytest.approx(0.6)
    wide = chapter.edition_difference_wide(difference)
    assert wide.loc["B", 2015] == pytest.approx(6.0)


def test_edition_gap_counts_only_gaps_beyond_the_threshold():
    # The gaps are -2, -15, +6 and +2 points: beyond 5 lie two of them; a gap of exactly 6 is not beyond 6.
    assert chapter.edition_gap(_difference())["above_threshold"] == 2  # the chapter's 5 points
    assert chapter.edition_gap(_difference(), threshold_pp=6.0)["above_threshold"] == 1


def test_share_numbers_use_the_2024_editions_first_and_last_years():
    shares = _shares().assign(edition=panel_data.UNDESA_2024)
    other = _shares().assign(edition=panel_data.UNDESA_2020, year=[1995, 2015, 1995, 2015, 1995], share_pct=99.0)
    numbers = chapter.share_numbers(pd.concat([shares, other], ignore_index=True))
    assert_gluable(numbers)
    assert numbers == {
        "n-origins": 2,
        "first-year": 1990,
        "last-year": 2020,
        "above-half-first": 1,
        "above-half-last": 1,
        "share-lower": 1,
        "share-higher": 1,
        "median-first": 45.0,
        "median-last": 47.5,
    }


def test_gap_numbers_by_hand():
    in_russia = {panel_data.UNDESA_2024: 11_600_000.0, panel_data.UNDESA_2020: 11_640_000.0}
    numbers = chapter.gap_numbers(chapter.edition_gap(_difference()), in_russia)
    assert_gluable(numbers)
    assert numbers == {
        "gap-n": 4,
        "gap-above": 2,
        "gap-threshold": 5.0,
        "gap-country": "A",
        "gap-year": 2020,
        "gap-2024": 30.0,
        "gap-2020": 45.0,
        "gap-latest-year": 2020,
        "gap-latest-lower": 1,
        "gap-latest-n": 2,
        "gap-ratio": pytest.approx(0.6),
        "russia-year": 2020,
        "russia-2024": 11.6,
        "russia-2020": 11.64,
    }


def _corridors():
    rows = [
        ("O1", "RUS", "Russian Federation", 60.0, 70.0),
        ("O1", "DEU", "Germany", 30.0, 20.0),
        ("O1", "FRA", "France", 10.0, 10.0),
        ("O2", "RUS", "Russian Federation", 20.0, 25.0),
        ("O2", "DEU", "Germany", 50.0, 60.0),
        ("O2", "ITA", "Italy", 30.0, 15.0),
    ]
    return pd.DataFrame(
        [
            {
                "origin": f"origin {o}",
                "origin_iso3": o,
                "destination": name,
                "destination_iso3": code,
                "migrants": share * 1000,
                "migrants_share_pct": share,
                "remittances_share_pct": money,
            }
            for o, code, name, share, money in rows
        ]
    )


def test_corridor_matrix_by_hand():
    matrix = chapter.corridor_matrix(_corridors(), top=2)
    # Migrants summed over both origins: Germany 80k, Russia 80k (a tie: alphabetical), Italy 30k, France 10k.
    assert list(matrix.columns) == ["Germany", "Russian Federation", "all other destinations"]
    assert matrix.loc["origin O1"].tolist() == [30.0, 60.0, 10.0]
    assert matrix.loc["origin O2"].tolist() == [50.0, 20.0, 30.0]
    money = chapter.corridor_matrix(_corridors(), top=1, value="remittances_share_pct")
    assert money.loc["origin O1"].tolist() == [20.0, 80.0]
    with pytest.raises(ParameterError, match="top"):
        chapter.corridor_matrix(_corridors(), top=0)
    largest = chapter.largest_destinations(_corridors()).set_index("origin_iso3")
    assert largest.loc["O2", ["largest", "largest_share_pct", "russia_share_pct"]].tolist() == ["Germany", 50.0, 20.0]
    assert largest.loc["O2", ["russia_remittances_share_pct", "remittance_corridors"]].tolist() == [25.0, 3]
    # Russia: O1 60 % of migrants, 70 % of remittances (10 pp apart); O2 20 % and 25 % (5 pp apart).
    assert chapter.remittances_follow_migrants(largest, tolerance_pp=5.0) == 1
    assert chapter.remittances_follow_migrants(largest, tolerance_pp=10.0) == 2
    assert chapter.remittances_follow_migrants(largest, tolerance_pp=4.9) == 0


def test_corridor_numbers_by_hand():
    numbers = chapter.corridor_numbers(chapter.largest_destinations(_corridors()), top=2)
    assert_gluable(numbers)
    assert numbers == {
        "top": 2,
        "n-corridor-origins": 2,
        "russia-largest": 1,
        "russia-not-largest": "origin O2 (Germany)",
        "russia-min": 20.0,
        "russia-min-country": "origin O2",
        "russia-max": 60.0,
        "russia-max-country": "origin O1",
        "follow-tolerance": 5.0,
        "follow": 1,
        "single-corridor": "no origin",
    }
    # O2's remittances known for one corridor only: the matrix puts them all there.
    one_corridor = _corridors()
    one_corridor.loc[
        (one_corridor["origin_iso3"] == "O2") & (one_corridor["destination_iso3"] != "RUS"), "remittances_share_pct"
    ] = np.nan
    single = chapter.corridor_numbers(chapter.largest_destinations(one_corridor), top=2, tolerance_pp=10.0)
    assert (single["single-corridor"], single["follow"], single["follow-tolerance"]) == ("origin O2", 2, 10.0)


def test_table2_statements_against_the_raw_un_desa_shares(mirror):
    check = chapter.table2_external(reference_year=2005, about_half_band=10.0).set_index("iso3")
    assert list(check.index) == ["KGZ", "TJK", "UZB", "ARM", "AZE", "GEO", "MDA", "UKR"]
    # The text, line 135: "accumulating 70-90% of their labor"; line 136: "only about half" (50 +/- 10 here).
    assert check.loc["ARM", ["band_low", "band_high"]].tolist() == [70.0, 90.0]
    assert check.loc["MDA", ["band_low", "band_high"]].tolist() == [40.0, 60.0]
    raw = _stocks(mirror, "undesa_stocks.rda")
    for code in check.index:
        stock = raw[(raw["from"] == code) & (raw["t"] == 2005)]
        share = 100 * stock.loc[stock["geo"] == "RUS", "n"].sum() / stock["n"].sum()
        assert check.at[code, "undesa_2024_pct"] == pytest.approx(share, rel=1e-12)
        low, high = check.at[code, "band_low"], check.at[code, "band_high"]
        expected = "inside" if low <= share <= high else "below" if share < low else "above"
        assert check.at[code, "undesa_2024_position"] == expected
    wider = chapter.table2_external(reference_year=2005, about_half_band=20.0).set_index("iso3")
    assert wider.loc["UKR", ["band_low", "band_high"]].tolist() == [30.0, 70.0]
    counts = chapter.positions_count(check, "knomad_2021")
    assert sum(counts.values()) == len(check)
    with pytest.raises(ParameterError, match="2024"):
        chapter.table2_external(reference_year=2024)


def test_table2_numbers_count_each_sources_positions():
    check = pd.DataFrame(
        {
            "country": ["A", "B", "C"],
            "undesa_2024_position": ["inside", "below", "below"],
            "undesa_2020_position": ["above", "inside", "–"],
            "knomad_2021_position": ["inside", "inside", "inside"],
        }
    )
    check.attrs["reference_year"] = 2010
    numbers = chapter.table2_numbers(check, about_half_band=15.0)
    assert_gluable(numbers)
    assert numbers == {
        "ref-year": 2010,
        "half-low": 35.0,
        "half-high": 65.0,
        "t2-n": 3,
        "t2-2024-inside": 1,
        "t2-2024-below": 2,
        "t2-2024-above": 0,
        "t2-2020-inside": 1,
        "t2-2020-below": 0,
        "t2-2020-above": 1,  # a missing share counts nowhere
        "t2-knomad-inside": 3,
        "t2-knomad-below": 0,
        "t2-knomad-above": 0,
    }
