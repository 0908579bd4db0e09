"""Chapter 1's data: every expected number below is worked by hand from the printed tables."""

from __future__ import annotations

import shutil

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis import audit, datapackage, paths, trends
from analysis.errors import DataValidationError, ParameterError
from hashes import record_hashes_unchecked


def test_coverage_of_the_post_soviet_states():
    table = trends.post_soviet_coverage()
    assert len(table) == 15
    assert (table["CIS member"] == "yes").sum() == 12
    assert table.loc["Estonia", "CIS member"] == "no"
    assert table.loc["Belarus", "Table 1"] == "yes" and table.loc["Belarus", "Table 2"] == ""
    # Table 3 covers the seven smaller states only
    assert (table["Table 3"] == "yes").sum() == 7
    assert table.loc["Ukraine", "Table 3"] == ""


def test_living_standards_and_extremes():
    frame = trends.living_standards()
    assert len(frame) == 12
    extremes = trends.living_standards_extremes(frame)
    assert extremes["richest"] == "Russian Federation" and extremes["poorest"] == "Tajikistan"
    assert extremes["gdp_pc_ratio"] == pytest.approx(6330.8 / 411.5, rel=1e-12)
    assert (extremes["highest_poverty"], extremes["highest_poverty_pct"]) == ("Uzbekistan", 72)
    assert (extremes["lowest_poverty"], extremes["lowest_poverty_pct"]) == ("Belarus", 2)


def test_leaving_countries_out_of_living_standards():
    frame = trends.living_standards(["RUS", "TJK"])
    assert len(frame) == 10 and not {"RUS", "TJK"} & set(frame["iso3"])
    extremes = trends.living_standards_extremes(frame)
    assert extremes["richest"] == "Kazakhstan"
    assert extremes["gdp_pc_ratio"] == pytest.approx(4386.1 / 498.6, rel=1e-12)


def test_living_standards_rank_correlation_by_hand():
    frame = trends.living_standards()
    gdp = [1234.0, 2585.9, 3316.2, 1765.8, 4386.1, 507.7, 917.4, 6330.8, 411.5, 3888.6, 2020.6, 498.6]
    poverty = [49, 9, 2, 16, 25, 25, 64, 8, 43, 44, 46, 72]
    # Spearman's rho is Pearson's r of the ranks (ties share their mean rank: Kazakhstan, Kyrgyzstan 25)
    rho = np.corrcoef(pd.Series(gdp).rank(), pd.Series(poverty).rank())[0, 1]
    result = trends.living_standards_correlations(frame)
    assert result.spearman_rho == pytest.approx(rho, abs=1e-12)
    assert result.pearson_r == pytest.approx(np.corrcoef(gdp, poverty)[0, 1], abs=1e-12)


@pytest.mark.parametrize("leave_out, words", [
    (["FRA"], ["leave_out", "FRA", "ARM"]),
    ("RUS", ["list", "'RUS'"]),
])
def test_bad_leave_out_is_refused(leave_out, words):
    with pytest.raises(ParameterError) as error:
        trends.living_standards(leave_out)
    for word in words:
        assert word in str(error.value)


def test_un2005_ranking_follows_from_the_stated_numbers():
    stocks = trends.un2005_immigrant_stocks()
    assert stocks.set_index("iso3")["immigrants_mln"].to_dict() == {
        "USA": 38.4, "RUS": 12.1, "DEU": 10.1, "UKR": 6.8}
    ranking = trends.un2005_ranking(stocks)
    assert list(ranking.index) == ["United States", "Russian Federation", "Germany", "Ukraine"]
    assert ranking["rank from the numbers"].tolist() == [1, 2, 3, 4]
    assert (ranking["rank as stated"] == ranking["rank from the numbers"]).all()


def test_un2005_file_agrees_with_the_claims_ledger():
    """The same four numbers are transcribed twice (here and in the audit's ledger); they must agree."""
    ledger = {claim.check: claim for claim in audit.read_ledger()}["un_ranking_order"].values
    stocks = trends.un2005_immigrant_stocks()
    ours = dict(zip(stocks["country_as_printed"].str.lower(), stocks["immigrants_mln"]))
    assert ours == {key: ledger[key] for key in ("usa", "russia", "germany", "ukraine")}
    ranks = dict(zip(stocks["country_as_printed"].str.lower(), stocks["rank_as_stated"]))
    assert (ranks["russia"], ranks["ukraine"]) == (ledger["rank_russia"], ledger["rank_ukraine"])


def test_un2005_ranking_detects_an_inconsistent_rank():
    stocks = trends.un2005_immigrant_stocks()
    stocks.loc[stocks["iso3"] == "DEU", "immigrants_mln"] = 13.0  # now above Russia's 12.1
    ranking = trends.un2005_ranking(stocks)
    assert ranking.loc["Germany", "rank from the numbers"] == 2
    assert ranking.loc["Russian Federation", "rank from the numbers"] == 3


def test_un2005_loader_refuses_an_unknown_code(tmp_path):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    descriptor = tmp_path / "data" / "datapackage.json"
    csv = tmp_path / "data" / "paper" / f"{trends.UN2005}.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("Germany,DEU", "Germany,GEX"), encoding="utf-8")
    record_hashes_unchecked(descriptor)
    with pytest.raises(DataValidationError) as error:
        trends.un2005_immigrant_stocks(descriptor)
    assert "data row 3" in str(error.value) and "'iso3'" in str(error.value) and "GEX" in str(error.value)


def test_migrant_workers_long_keeps_ranges_and_missing():
    long = trends.migrant_workers_long()
    assert len(long) == 18
    ukraine = long[(long["iso3"] == "UKR")].set_index("destination")
    assert ukraine.loc[trends.ABROAD, ["low", "high"]].tolist() == [2000, 2500]
    assert ukraine.loc[trends.IN_RUSSIA, ["low", "high"]].tolist() == [1000, 1500]
    russia = long[(long["iso3"] == "RUS") & (long["destination"] == trends.IN_RUSSIA)]
    assert russia[["low", "high"]].isna().all().all()
    # a single printed value is a degenerate range, not a midpoint
    moldova = long[(long["iso3"] == "MDA") & (long["destination"] == trends.ABROAD)]
    assert moldova[["low", "high"]].iloc[0].tolist() == [500, 500]


def test_interval_sums_by_hand():
    balance = trends.russia_balance().set_index("flow")
    rows = balance.index.tolist()
    # in Russia: Armenia, Azerbaijan, Georgia, Kyrgyzstan, Moldova, Tajikistan, Ukraine, Uzbekistan
    assert balance.loc[rows[1], ["low", "high"]].tolist() == [
        650 + 550 + 200 + 350 + 250 + 600 + 1000 + 550, 650 + 650 + 200 + 400 + 250 + 700 + 1500 + 600]
    assert balance.loc[rows[0], ["low", "high"]].tolist() == [
        800 + 600 + 250 + 400 + 500 + 600 + 2000 + 600, 900 + 700 + 300 + 450 + 500 + 700 + 2500 + 700]
    assert balance.loc[rows[2], ["low", "high"]].tolist() == [2000, 3000]
    assert rows[1] == "from 8 other CIS states:\nin Russia"


def test_interval_sum_refuses_a_missing_range():
    long = trends.migrant_workers_long()
    in_russia = long[long["destination"] == trends.IN_RUSSIA]
    with pytest.raises(DataValidationError, match="RUS"):
        trends.interval_sum(in_russia, ("ARM", "RUS"))


def _by_country(bounds="outer", band=10.0):
    return trends.share_comparison(bounds, about_band=band).set_index("country")


def test_outer_shares_by_hand():
    shares = _by_country("outer")
    assert len(shares) == 8 and "Russian Federation" not in shares.index
    assert shares.loc["Armenia", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx(
        [100 * 650 / 900, 100 * 650 / 800])
    assert shares.loc["Ukraine", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx([40.0, 75.0])
    assert shares.loc["Moldova", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx([50.0, 50.0])
    # Azerbaijan: up to 650 thousand in Russia of as few as 600 thousand abroad -> capped at 100
    assert shares.loc["Azerbaijan", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx(
        [100 * 550 / 700, 100.0])


def test_matched_shares_by_hand():
    shares = _by_country("matched")
    assert shares.loc["Azerbaijan", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx(
        [100 * 550 / 600, 100 * 650 / 700])
    # Georgia: 200/250 = 80 %, 200/300 = 66.7 %; the range is ordered low to high
    assert shares.loc["Georgia", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx(
        [100 * 200 / 300, 80.0])
    assert shares.loc["Ukraine", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx([50.0, 60.0])


def test_unknown_share_bounds_is_refused():
    with pytest.raises(ParameterError, match="outer, matched"):
        trends.share_comparison("midpoint")


def test_verdicts_against_the_text():
    outer = _by_country("outer")
    assert set(outer["group"]) == {"Central Asia", "Caucasus", "Moldova and Ukraine"}
    assert outer.loc["Armenia", ["stated_low_pct", "stated_high_pct"]].tolist() == [70.0, 90.0]
    verdict = outer["verdict"].to_dict()
    assert verdict["Armenia"] == "inside"      # 72.2-81.3 inside 70-90
    assert verdict["Georgia"] == "overlaps"    # 66.7-80 straddles 70
    assert verdict["Moldova"] == "inside"      # 50 inside 40-60
    assert verdict["Ukraine"] == "overlaps"    # 40-75 straddles 60
    matched = _by_country("matched")["verdict"].to_dict()
    assert matched["Azerbaijan"] == "outside"  # 91.7-92.9 above 90
    assert matched["Tajikistan"] == "outside"  # 600/600 = 700/700 = 100
    assert matched["Kyrgyzstan"] == "inside"   # 87.5-88.9
    assert matched["Ukraine"] == "inside"      # 50-60 inside 40-60
    assert matched["Georgia"] == "overlaps"


def test_about_half_band_is_the_readers_choice():
    narrow = _by_country("outer", band=1.0)
    assert narrow.loc["Ukraine", ["stated_low_pct", "stated_high_pct"]].tolist() == [49.0, 51.0]
    assert narrow.loc["Moldova", "verdict"] == "inside"  # exactly 50
    assert _by_country("outer", band=30.0).loc["Ukraine", "verdict"] == "inside"  # 40-75 inside 20-80
    with pytest.raises(ParameterError, match="about_half_margin_pp"):
        trends.share_comparison("outer", about_band=60)


def test_comparison_long_and_table():
    comparison = trends.share_comparison("outer")
    long = trends.comparison_long(comparison)
    assert len(long) == 2 * len(comparison)
    armenia = long[long["country"] == "Armenia"]
    assert armenia["source"].tolist() == [trends.COMPUTED, trends.STATED]
    assert armenia["low"].tolist() == pytest.approx([100 * 650 / 900, 70.0])
    table = trends.comparison_table(comparison)
    assert table.loc["Ukraine", "share in Russia, computed, %"] == "40–75"
    assert table.loc["Moldova", "share in Russia, computed, %"] == "50"


def test_figures_draw_one_row_per_country():
    comparison = trends.share_comparison()
    for figure, labels in [
        (trends.plot_share_comparison(comparison), comparison["country"].tolist()),
        (trends.plot_migrant_workers(trends.migrant_workers_long()), trends.migrant_workers_long()["country"]),
        (trends.plot_living_standards(trends.living_standards()), None),
    ]:
        axis = figure.axes[0]
        if labels is not None:
            assert [tick.get_text() for tick in axis.get_yticklabels()] == list(dict.fromkeys(labels))
        else:
            assert len(axis.texts) == 12 and axis.get_xscale() == "log"
            assert [tick.get_text() for tick in axis.get_xticklabels()] == ["500", "1,000", "2,000", "4,000"]
        plt.close(figure)


@pytest.mark.paper
def test_un2005_rows_quote_the_paper(paper_lines):
    stocks = datapackage.read_resource(trends.UN2005)
    for _, row in stocks.iterrows():
        assert row["printed_text"] in paper_lines[row["paper_line"] - 1]
        assert row["rank_printed_text"] in paper_lines[row["rank_paper_line"] - 1]
        # the number itself is in the quote
        assert f"{row['immigrants_mln']:.1f}" in row["printed_text"]
    assert np.array_equal(stocks["rank_as_stated"].to_numpy(dtype=int), np.arange(1, 5))
