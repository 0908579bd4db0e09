"""Chapter 1's data: every expected number below is worked by hand from the printed tables."""

from __future__ import annotations

import shutil

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import audit, paths
from analysis.chapters import trends
from analysis.data import datapackage
from analysis.errors import DataValidationError, ParameterError
from analysis.models import catalogue, regression
from helpers.hashes import record_hashes_unchecked


def test_coverage_of_the_post_soviet_states():
    table = trends.post_soviet_coverage()
    assert len(table) == 15
    assert (table["CIS member"] == "yes").sum() == 12
    assert table.loc["Estonia", "CIS member"] == "no"
    assert table.loc["Belarus", "Table 1"] == "yes" and table.loc["Belarus", "Table 2"] == ""
    # Table 3 covers the seven smaller states only
    assert (table["Table 3"] == "yes").sum() == 7
    assert table.loc["Ukraine", "Table 3"] == ""
    # Table 1 covers the 12 CIS states, Table 2 leaves out Belarus, Kazakhstan and Turkmenistan.
    assert trends.coverage_counts(table) == {"n-table1": 12, "n-table2": 12 - 3, "n-table3": 7}


def test_living_standards_and_extremes():
    frame = trends.living_standards()
    assert len(frame) == 12
    assert trends.living_standards_extremes(frame) == {
        "poorest": "Tajikistan",
        "richest": "Russian Federation",
        "lowest-poverty": "Belarus",
        "highest-poverty": "Uzbekistan",
    }
    numbers = trends.living_standards_numbers(frame)
    assert set(numbers) == {
        "n-scatter",
        "poorest-gdp",
        "richest-gdp",
        "gdp-ratio",
        "lowest-poverty-pct",
        "highest-poverty-pct",
        "spearman",
        "spearman-p",
    }
    assert numbers["n-scatter"] == 12
    assert (numbers["poorest-gdp"], numbers["richest-gdp"]) == (411.5, 6330.8)
    assert numbers["gdp-ratio"] == pytest.approx(6330.8 / 411.5, rel=1e-12)
    assert (numbers["lowest-poverty-pct"], numbers["highest-poverty-pct"]) == (2, 72)


def test_leaving_countries_out_of_living_standards():
    frame = trends.living_standards(["RUS", "TJK"])
    assert len(frame) == 10 and not {"RUS", "TJK"} & set(frame["iso3"])
    assert trends.living_standards_extremes(frame)["richest"] == "Kazakhstan"
    numbers = trends.living_standards_numbers(frame)
    assert numbers["n-scatter"] == 10
    assert numbers["gdp-ratio"] == pytest.approx(4386.1 / 498.6, rel=1e-12)


def test_living_standards_rank_correlation_by_hand():
    frame = trends.living_standards()
    gdp = [1234.0, 2585.9, 3316.2, 1765.8, 4386.1, 507.7, 917.4, 6330.8, 411.5, 3888.6, 2020.6, 498.6]
    poverty = [49, 9, 2, 16, 25, 25, 64, 8, 43, 44, 46, 72]
    # Spearman's rho is Pearson's r of the ranks (ties share their mean rank: Kazakhstan, Kyrgyzstan 25)
    rho = np.corrcoef(pd.Series(gdp).rank(), pd.Series(poverty).rank())[0, 1]
    result = trends.living_standards_correlations(frame)
    assert result.spearman_rho == pytest.approx(rho, abs=1e-12)
    assert result.pearson_r == pytest.approx(np.corrcoef(gdp, poverty)[0, 1], abs=1e-12)
    numbers = trends.living_standards_numbers(frame)
    assert numbers["spearman"] == pytest.approx(rho, abs=1e-12)
    # the p-value of rho by the t distribution with n - 2 degrees of freedom, written out
    t = rho * np.sqrt((12 - 2) / (1 - rho**2))
    assert numbers["spearman-p"] == pytest.approx(2 * stats.t.sf(abs(t), 12 - 2), rel=1e-9)


def _closed_form_slope(x, y):
    """OLS slope by the normal equations: cov(x, y) / var(x), written out."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    return float(((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum())


def test_m6_slope_matches_closed_form_ols_on_table1():
    import csv

    with open(paths.PAPER_DATA_DIR / "table1_living_standards.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    log_gdp = np.log([float(row["gdp_per_capita_usd"]) for row in rows])
    poverty = [float(row["poverty_below_2usd_day_pct"]) for row in rows]
    fit = catalogue.fit("M6", boot_draws=200).analysis
    assert fit.data.n == len(rows) == 12
    assert fit.ols.coef == pytest.approx(_closed_form_slope(log_gdp, poverty), rel=1e-10)
    assert fit.ols.coef == pytest.approx(-14.5446, abs=1e-4)  # pinned, so that a change of Table 1 shows here
    assert not fit.permutation.exact and fit.permutation.orderings == regression.PERMUTATION_DRAWS
    without = catalogue.fit("M6", exclude=["KGZ"], boot_draws=200).analysis
    kept = [i for i, row in enumerate(rows) if row["country_as_printed"] != "Kyrgyzstan"]
    assert without.ols.coef == pytest.approx(_closed_form_slope(log_gdp[kept], np.take(poverty, kept)), rel=1e-10)


def _m6_on(poverty):
    frame = pd.DataFrame(
        {
            "iso3": [f"C{i}" for i in range(len(poverty))],
            "country": list("ABCDEFGH")[: len(poverty)],
            "log_gdp_pc": np.log([500, 800, 1200, 2000, 3000, 4500, 6000, 8000][: len(poverty)]),
            "poverty_pct": poverty,
        }
    )
    return catalogue.fit("M6", frame=frame, boot_draws=200)


def test_m6_phrases_follow_the_tests():
    falling = trends.poverty_slope_phrases(_m6_on([70, 62, 55, 41, 30, 22, 12, 5]))
    assert "smaller share" in falling["direction"]
    assert falling["strength"] == "the classical, HC3 and permutation tests all reject a zero slope at the 5% level"
    flat = trends.poverty_slope_phrases(_m6_on([30, 50, 20, 45, 25, 40, 35, 28]))
    assert flat["strength"] == "none of the classical, HC3 and permutation tests rejects a zero slope at the 5% level"
    rising = trends.poverty_slope_phrases(_m6_on([5, 12, 22, 30, 41, 55, 62, 70]))
    assert "larger share" in rising["direction"] and "smaller" not in rising["direction"]


def test_m6_phrase_names_the_tests_that_disagree():
    estimate = catalogue.fit("M6", boot_draws=200)
    phrases = trends.poverty_slope_phrases(estimate)
    p = {
        "classical": estimate.analysis.ols.p_classical,
        "HC3": estimate.analysis.ols.p_hc3,
        "permutation": estimate.analysis.permutation.p_value,
    }
    # Table 1: classical p = 0.043 and permutation p = 0.045 fall below 0.05; HC3 p = 0.066 does not.
    assert p["classical"] < 0.05 < p["HC3"] and p["permutation"] < 0.05
    assert phrases["strength"] == (
        "the classical and permutation tests reject a zero slope at the 5% level and the HC3 test does not"
    )
    assert trends.poverty_slope_phrases(estimate, alpha=0.01)["strength"].startswith("none of")


def test_m6_numbers_by_hand():
    poverty = [70, 62, 55, 41, 30, 22, 12, 5]
    estimate = _m6_on(poverty)
    log_gdp = np.log([500, 800, 1200, 2000, 3000, 4500, 6000, 8000])
    numbers = trends.poverty_model_numbers(estimate)
    assert numbers["n"] == 8
    assert numbers["slope"] == pytest.approx(_closed_form_slope(log_gdp, poverty), rel=1e-10)
    assert numbers["p-classical"] == pytest.approx(stats.linregress(log_gdp, poverty).pvalue, rel=1e-8)
    refits = [stats.linregress(np.delete(log_gdp, i), np.delete(poverty, i)) for i in range(8)]
    assert numbers["loo-n"] == 8
    assert (numbers["loo-low"], numbers["loo-high"]) == pytest.approx(
        (min(fit.slope for fit in refits), max(fit.slope for fit in refits)), rel=1e-10
    )
    assert numbers["loo-significant"] == sum(fit.pvalue < 0.05 for fit in refits)
    assert trends.poverty_model_numbers(estimate, alpha=1e-30)["loo-significant"] == 0


def test_m6_words_name_the_most_influential_country():
    poverty = [70, 62, 55, 41, 30, 22, 12, 45]  # the richest country, H, breaks the line
    log_gdp = np.log([500, 800, 1200, 2000, 3000, 4500, 6000, 8000])
    # Cook's distance by hand: D_i = e_i^2 / (p s^2) * h_i / (1 - h_i)^2, with p = 2 parameters
    design = np.column_stack([np.ones(8), log_gdp])
    hat = np.diag(design @ np.linalg.inv(design.T @ design) @ design.T)
    residuals = poverty - design @ np.linalg.lstsq(design, poverty, rcond=None)[0]
    cooks = residuals**2 / (2 * (residuals**2).sum() / (8 - 2)) * hat / (1 - hat) ** 2
    words = trends.poverty_model_words(_m6_on(poverty))
    assert words["loo-top"] == "ABCDEFGH"[int(np.argmax(cooks))] == "H"
    assert set(words) == {"direction", "strength", "loo-top"}


@pytest.mark.parametrize(
    "leave_out, words",
    [
        (["FRA"], ["leave_out", "FRA", "ARM"]),
        ("RUS", ["list", "'RUS'"]),
    ],
)
def test_bad_leave_out_is_refused(leave_out, words):
    with pytest.raises(ParameterError) as error:
        trends.living_standards(leave_out)
    for word in words:
        assert word in str(error.value)


def test_un2005_ranking_follows_from_the_stated_numbers():
    stocks = trends.un2005_immigrant_stocks()
    assert stocks.set_index("iso3")["immigrants_mln"].to_dict() == {"USA": 38.4, "RUS": 12.1, "DEU": 10.1, "UKR": 6.8}
    ranking = trends.un2005_ranking(stocks)
    assert list(ranking.index) == ["United States", "Russian Federation", "Germany", "Ukraine"]
    assert ranking["rank from the numbers"].tolist() == [1, 2, 3, 4]
    assert (ranking["rank as stated"] == ranking["rank from the numbers"]).all()
    assert trends.un2005_numbers(ranking) == {"un-russia-ukraine": pytest.approx(12.1 + 6.8)}


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
        650 + 550 + 200 + 350 + 250 + 600 + 1000 + 550,
        650 + 650 + 200 + 400 + 250 + 700 + 1500 + 600,
    ]
    assert balance.loc[rows[0], ["low", "high"]].tolist() == [
        800 + 600 + 250 + 400 + 500 + 600 + 2000 + 600,
        900 + 700 + 300 + 450 + 500 + 700 + 2500 + 700,
    ]
    assert balance.loc[rows[2], ["low", "high"]].tolist() == [2000, 3000]
    assert rows[1] == "from 8 other CIS states:\nin Russia"
    numbers = trends.balance_numbers(trends.migrant_workers_long(), trends.russia_balance())
    assert numbers == {
        "n-origins": 8,
        "abroad-low": 800 + 600 + 250 + 400 + 500 + 600 + 2000 + 600,
        "abroad-high": 900 + 700 + 300 + 450 + 500 + 700 + 2500 + 700,
        "in-russia-low": 650 + 550 + 200 + 350 + 250 + 600 + 1000 + 550,
        "in-russia-high": 650 + 650 + 200 + 400 + 250 + 700 + 1500 + 600,
        "russia-abroad-low": 2000,
        "russia-abroad-high": 3000,
    }


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
        [100 * 650 / 900, 100 * 650 / 800]
    )
    assert shares.loc["Ukraine", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx([40.0, 75.0])
    assert shares.loc["Moldova", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx([50.0, 50.0])
    # Azerbaijan: up to 650 thousand in Russia of as few as 600 thousand abroad -> capped at 100
    assert shares.loc["Azerbaijan", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx(
        [100 * 550 / 700, 100.0]
    )


def test_matched_shares_by_hand():
    shares = _by_country("matched")
    assert shares.loc["Azerbaijan", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx(
        [100 * 550 / 600, 100 * 650 / 700]
    )
    # Georgia: 200/250 = 80 %, 200/300 = 66.7 %; the range is ordered low to high
    assert shares.loc["Georgia", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx(
        [100 * 200 / 300, 80.0]
    )
    assert shares.loc["Ukraine", ["computed_low_pct", "computed_high_pct"]].tolist() == pytest.approx([50.0, 60.0])


def test_unknown_share_bounds_is_refused():
    with pytest.raises(ParameterError, match="matched, outer"):
        trends.share_comparison("midpoint")


def test_verdicts_against_the_text():
    outer = _by_country("outer")
    assert set(outer["group"]) == {"Central Asia", "Caucasus", "Moldova and Ukraine"}
    assert outer.loc["Armenia", ["stated_low_pct", "stated_high_pct"]].tolist() == [70.0, 90.0]
    verdict = outer["verdict"].to_dict()
    assert verdict["Armenia"] == "inside"  # 72.2-81.3 inside 70-90
    assert verdict["Georgia"] == "overlaps"  # 66.7-80 straddles 70
    assert verdict["Moldova"] == "inside"  # 50 inside 40-60
    assert verdict["Ukraine"] == "overlaps"  # 40-75 straddles 60
    # Under the matched reading the midpoint decides: (low + high in Russia) / (low + high abroad).
    matched = _by_country("matched")
    assert matched["midpoint_pct"].to_dict() == pytest.approx(
        {
            "Kyrgyzstan": 100 * 750 / 850,
            "Tajikistan": 100.0,
            "Uzbekistan": 100 * 1150 / 1300,
            "Armenia": 100 * 1300 / 1700,
            "Azerbaijan": 100 * 1200 / 1300,
            "Georgia": 100 * 400 / 550,
            "Moldova": 50.0,
            "Ukraine": 100 * 2500 / 4500,
        }
    )
    verdict = matched["verdict"].to_dict()
    assert verdict["Azerbaijan"] == "outside"  # 92.3 above 90, where the outer range 78.6-100 only overlaps
    assert outer.loc["Azerbaijan", "verdict"] == "overlaps"
    assert verdict["Tajikistan"] == "outside"  # 1300 / 1300 = 100
    assert verdict["Georgia"] == "inside"  # 72.7 inside 70-90 ...
    assert matched.loc["Georgia", "position"] == "overlaps"  # ... though its range 66.7-80 straddles 70
    assert verdict["Ukraine"] == "inside"  # 55.6 inside 40-60


def test_about_half_band_is_the_readers_choice():
    narrow = _by_country("outer", band=1.0)
    assert narrow.loc["Ukraine", ["stated_low_pct", "stated_high_pct"]].tolist() == [49.0, 51.0]
    assert narrow.loc["Moldova", "verdict"] == "inside"  # exactly 50
    assert _by_country("outer", band=30.0).loc["Ukraine", "verdict"] == "inside"  # 40-75 inside 20-80
    with pytest.raises(ParameterError, match="about_half_margin_pp"):
        trends.share_comparison("outer", about_band=60)


def test_share_numbers_count_by_hand():
    comparison = pd.DataFrame(
        {"verdict": ["inside", "outside", "inside", "overlaps"], "computed_high_pct": [95.0, 90.0, 100.0, 55.0]}
    )
    # above 90: the first and the third; 90 itself is the top of the text's band, not above it
    assert trends.share_numbers(comparison, about_band=15.0) == {
        "half-low": 35.0,
        "half-high": 65.0,
        "n-compared": 4,
        "n-above-90": 2,
        "n-inside": 2,
        "n-overlaps": 1,
        "n-outside": 1,
    }


def test_share_numbers_of_the_matched_reading():
    # Under the matched reading the midpoints decide: Azerbaijan (92.3) and Tajikistan (100) lie outside
    # the 70-90 band, the other six inside theirs (see test_verdicts_against_the_text); the computed ranges
    # of Azerbaijan (up to 92.9), Tajikistan (100) and Uzbekistan (up to 600/650 = 92.3) reach above 90.
    numbers = trends.share_numbers(trends.share_comparison("matched"), about_band=10.0)
    assert (numbers["n-inside"], numbers["n-overlaps"], numbers["n-outside"], numbers["n-above-90"]) == (6, 0, 2, 3)


def test_share_words_name_what_decides():
    assert trends.share_words("matched") == {"reading": "matched", "decider": "midpoint"}
    assert trends.share_words("outer") == {"reading": "outer", "decider": "computed range"}
    with pytest.raises(ParameterError, match="matched, outer"):
        trends.share_words("midpoint")


def test_the_audits_own_reading_and_its_verdicts_under_the_other():
    # The audit's declared defaults: the matched reading, "about half" = 50 +/- 10.
    assert trends.audit_reading_numbers() == {"audit-half-low": 40.0, "audit-half-high": 60.0}
    words = trends.audit_reading_words()
    assert (words["audit-reading"], words["audit-other-reading"]) == ("matched", "outer")
    # Under the outer reading (test_verdicts_against_the_text): Armenia lies inside 70-90 and Georgia
    # overlaps it, so "70-90%" (C15) holds for some countries only; Moldova (50) lies inside 40-60 and
    # Ukraine (40-75) overlaps it, so "about half" (C16) too.
    assert (words["status-c15-other"], words["status-c16-other"]) == ("*partly holds*", "*partly holds*")


def test_comparison_long_and_table():
    comparison = trends.share_comparison("outer")
    long = trends.comparison_long(comparison)
    assert len(long) == 3 * len(comparison)
    armenia = long[long["country"] == "Armenia"]
    assert armenia["source"].tolist() == [trends.COMPUTED, trends.MIDPOINT, trends.STATED]
    assert armenia["low"].tolist() == pytest.approx([100 * 650 / 900, 100 * 1300 / 1700, 70.0])
    table = trends.comparison_table(comparison)
    assert table.loc["Ukraine", "share in Russia, computed, %"] == "40–75"
    assert table.loc["Ukraine", "midpoint, %"] == "56"
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
