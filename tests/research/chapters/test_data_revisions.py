"""analysis.chapters.data_revisions (chapter 11) against hand computations and the raw files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.chapters import data_revisions as chapter
from analysis.data.external import panel_data
from analysis.errors import ParameterError
from helpers import public_files
from helpers.glue_values import assert_gluable

TABLE3 = public_files.TABLE3


def test_revision_ratios_from_the_raw_files(mirror):
    from analysis.data import external

    raw = public_files.wdi(mirror)
    revisions = external.paper_era_revisions()
    summary = chapter.revision_summary(revisions, tolerance=0.05).set_index(["paper_column", "edition"])
    ratios_bop = {
        code: public_files.wdi_value(raw, code, "remin", 2003) / 1e6 / bop
        for code, (bop, _, _) in TABLE3.items()
        if bop
    }
    row = summary.loc[("remittances_bop_2003_musd", panel_data.WDI_2025)]
    assert row["countries"] == len(ratios_bop) == 6
    assert row["within_tolerance"] == sum(abs(r - 1) <= 0.05 for r in ratios_bop.values())
    assert row["highest_ratio"] == pytest.approx(max(ratios_bop.values()), rel=1e-12)
    assert row["lowest_ratio"] == pytest.approx(ratios_bop["KGZ"], rel=1e-12)  # 70.33 / 100
    gdp = {
        row["Country Code"]: float(row["Value"])
        for row in public_files.csv_rows(mirror / "gdp.csv")
        if row["Year"] == "2003" and row["Country Code"] in TABLE3
    }
    ratios_gdp = {code: gdp[code] / 1e6 / TABLE3[code][2] for code in TABLE3}
    row = summary.loc[("gdp_2003_musd", panel_data.DATASETS_GDP)]
    assert row["within_tolerance"] == sum(abs(r - 1) <= 0.05 for r in ratios_gdp.values())
    assert (row["highest_country"], row["highest_ratio"]) == ("Uzbekistan", pytest.approx(ratios_gdp["UZB"], rel=1e-12))
    wide = chapter.revisions_wide(revisions)
    assert wide.loc[("GDP 2003", "Georgia"), "paper"] == "3,984"
    assert wide.loc[("GDP 2003", "Georgia"), "WDI (datasets/gdp)"] == f"{gdp['GEO'] / 1e6:,.0f}"
    assert wide.loc[("remittances, BOP 2003", "Uzbekistan"), "paper"] == chapter.NOT_AVAILABLE


def _revisions():
    """Ratios of edition to paper: BOP (WDI 2025 and WB 2013), estimate and GDP (WDI 2025)."""
    rows = [
        ("remittances_bop_2003_musd", panel_data.WDI_2025, [("A", 1.04), ("B", 0.70), ("C", 1.30), ("D", 1.0)]),
        ("remittances_bop_2003_musd", panel_data.WB_2013, [("A", 1.0), ("B", 1.06), ("C", 0.97), ("D", np.nan)]),
        ("remittances_estimate_musd", panel_data.WDI_2025, [("A", 0.2), ("B", 0.5), ("C", 0.9)]),
        ("gdp_2003_musd", panel_data.WDI_2025, [("A", 1.01), ("B", 0.99), ("C", 1.2)]),
    ]
    return pd.DataFrame(
        [
            {"paper_column": column, "edition": edition, "country": country, "revision_ratio": ratio}
            for column, edition, ratios in rows
            for country, ratio in ratios
        ]
    )


def test_revision_numbers_by_hand():
    numbers = chapter.revision_numbers(_revisions(), year=2003)
    assert_gluable(numbers)
    # BOP, WDI 2025: 1.04 and 1.0 lie within 5 %; WB 2013: 1.0 and 0.97 (D missing), 1.06 does not.
    assert [numbers[key] for key in ("year", "bop-n", "bop-within-2025", "bop-within-2013")] == [2003, 4, 2, 2]
    assert [numbers[key] for key in ("bop-high", "bop-high-country", "bop-low", "bop-low-country")] == [
        1.30,
        "C",
        0.70,
        "B",
    ]
    assert [numbers[key] for key in ("est-median", "est-low", "est-low-country", "est-high", "est-high-country")] == [
        0.5,
        0.2,
        "A",
        0.9,
        "C",
    ]
    assert [numbers[key] for key in ("gdp-n", "gdp-within", "gdp-high", "gdp-high-country")] == [3, 2, 1.2, "C"]


def test_refit_on_an_edition_matches_the_closed_form_slope(mirror):
    raw, population = public_files.wdi(mirror), public_files.world_bank_population(mirror)
    variables = chapter.rerun_variables(panel_data.WDI_2025, 2003).set_index("iso3")
    x, y = [], []
    for code in TABLE3:
        remit = public_files.wdi_cell(raw, code, "remin", 2003)
        if remit.empty:
            assert math.isnan(variables.at[code, "share_bop_recomputed"])
            continue
        gdp = public_files.wdi_value(raw, code, "gdp", 2003)
        x.append(math.log(gdp / population[(code, 2003)]))
        y.append(100 * float(remit.iloc[0]) / gdp)
        assert variables.at[code, "share_bop_recomputed"] == pytest.approx(y[-1], rel=1e-12)
    x, y = np.array(x), np.array(y)
    slope = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    resid = y - y.mean() - slope * (x - x.mean())
    se = math.sqrt(resid @ resid / (len(x) - 2) / np.sum((x - x.mean()) ** 2))
    fitted = dict((label, e) for label, e in chapter.reruns(boot_draws=200) if e.spec.model_id == "M4")
    ols = fitted[panel_data.WDI_2025].analysis.ols
    assert ols.n == len(x) == 6
    assert ols.coef == pytest.approx(slope, rel=1e-10)
    half = stats.t.ppf(0.975, len(x) - 2) * se
    assert (ols.ci_low, ols.ci_high) == (pytest.approx(slope - half, rel=1e-10), pytest.approx(slope + half, rel=1e-10))
    with pytest.raises(ParameterError, match="gdp_edition"):
        chapter.rerun_variables(panel_data.WDI_2025, 2003, gdp_edition="WDI 2019")


def test_reruns_keep_catalogue_ids_for_the_paper_only(mirror):
    fitted = chapter.reruns(boot_draws=200)
    rows = chapter.reruns_rows(fitted)
    paper_rows = rows[rows["data"] == chapter.PAPER]
    assert paper_rows["model_id"].tolist() == ["M3", "M4", "M5"]
    edition_rows = rows[rows["data"] != chapter.PAPER]
    assert (edition_rows["model_id"] == "").all()
    assert "M5|WB remittances April 2013|2003|GDP WDI 2025" in set(edition_rows["spec_id"])
    assert len(edition_rows) == 2 * len(panel_data.REMITTANCE_EDITIONS)
    summary = chapter.refit_summary(rows)
    assert summary["missing"] == ["UZB"]  # no 2003 remittances for Uzbekistan in any edition
    assert summary["coverage_sentence"].startswith("No edition has a figure for Uzbekistan")
    by_hand = sum(not (low > 0 or high < 0) for low, high in zip(rows["ci_low"], rows["ci_high"]))
    assert summary["include_zero"] == by_hand and summary["fits"] == 9
    covered = chapter.refit_summary(rows.assign(missing="none"))
    assert covered["missing"] == [] and covered["coverage_sentence"].startswith("Every edition")


def test_refit_numbers_by_hand():
    rows = pd.DataFrame(
        {
            "data": [chapter.PAPER, panel_data.WDI_2025, panel_data.WB_2013],
            "missing": ["none", "UZB", "TKM;UZB"],
            "ci_low": [-1.0, 0.5, -3.0],
            "ci_high": [2.0, 1.5, -1.0],
        }
    )
    numbers = chapter.refit_numbers(rows)
    assert_gluable(numbers)
    # Only the first interval includes zero; the editions lack Turkmenistan and Uzbekistan.
    assert (numbers["refits-n"], numbers["refits-zero"]) == (3, 1)
    assert numbers["coverage"].startswith("No edition has a figure for Turkmenistan, Uzbekistan in that year")


def test_conclusions_count_remittances_above_fdi_and_oda_from_the_raw_files(mirror):
    raw, population = public_files.wdi(mirror), public_files.world_bank_population(mirror)
    fitted = chapter.reruns(boot_draws=200)
    frame = chapter.conclusions(fitted).set_index("data")
    oda = public_files.oda_per_person(mirror, 2003)
    above = complete = 0
    for code in TABLE3:
        remit = public_files.wdi_cell(raw, code, "remin", 2003)
        fdi = public_files.wdi_cell(raw, code, "fdiin", 2003)
        if remit.empty or fdi.empty:
            continue
        complete += 1
        aid = oda[code.lower()] * population[(code, 2003)]
        above += int(remit.iloc[0] > fdi.iloc[0] and remit.iloc[0] > aid)
    assert frame.loc["WDI 2025", ["countries", "above_fdi_and_oda"]].tolist() == [complete, above]
    # On the paper's data: Table 3 lines 328-339, remittances against FDI 2003 and ODA 2002 by hand.
    printed = {
        "ARM": (162, 850, 121, 293),
        "AZE": (156, 700, 2352, 349),
        "GEO": (237, 275, 334, 313),
        "KGZ": (100, 400, 46, 186),
        "MDA": (464, 500, 58, 142),
        "TJK": (146, 500, 32, 168),
        "UZB": (None, 600, 70, 189),
    }
    bop_above = sum(b is not None and b > f and b > o for b, _, f, o in printed.values())
    estimate_above = sum(e > f and e > o for _, e, f, o in printed.values())
    assert frame.loc["paper (Table 3), BOP", "above_fdi_and_oda"] == bop_above == 1
    assert frame.loc["paper (Table 3), estimate", "above_fdi_and_oda"] == estimate_above == 5
    # The largest BOP share of GDP on the paper's data: Moldova, 464 / 1950.
    assert frame.loc["paper (Table 3), BOP", "most_dependent"] == "Moldova"
    assert frame.loc["paper (Table 3), BOP", "largest_share_pct"] == pytest.approx(100 * 464 / 1950)
    table = chapter.conclusions_table(frame.reset_index())
    assert table.loc["paper (Table 3), BOP", "elasticity (95 % CI)"] == chapter.NOT_AVAILABLE
    numbers = chapter.survive_numbers(frame.reset_index())
    assert_gluable(numbers)
    assert [numbers[key] for key in ("paper-est-above", "paper-bop-above", "wdi-above", "wdi-n")] == [
        5,
        1,
        above,
        complete,
    ]
    assert numbers["most-dependent"].startswith("Moldova with paper (Table 3), BOP; ")


def test_survive_numbers_by_hand():
    findings = pd.DataFrame(
        {
            "data": ["paper (Table 3), BOP", "paper (Table 3), estimate", "WDI 2025", "WB 2013"],
            "countries": [6, 7, 5, 5],
            "above_fdi_and_oda": [1, 5, 2, 3],
            "most_dependent": ["Moldova", "Tajikistan", "Tajikistan", "Moldova"],
        }
    )
    numbers = chapter.survive_numbers(findings)
    assert_gluable(numbers)
    assert numbers == {
        "paper-est-above": 5,
        "paper-est-n": 7,
        "paper-bop-above": 1,
        "paper-bop-n": 6,
        "wdi-above": 2,
        "wdi-n": 5,
        "most-dependent": "Moldova with paper (Table 3), BOP; Tajikistan with paper (Table 3), "
        "estimate; Tajikistan with WDI 2025; Moldova with WB 2013",
    }


def _p2():
    return pd.DataFrame(
        {
            "year": [2002, 2003, 2004, 2005],
            "status": ["not estimated: n=2", "estimated", "estimated", "estimated"],
            "n": [2, 5, 6, 6],
            "coef": [np.nan, -1.0, -3.0, 2.0],
            "ci_low": [np.nan, -4.0, -5.0, -1.0],
            "ci_high": [np.nan, 2.0, -0.5, 5.0],
        }
    )


def test_p2_summary_by_hand():
    p2 = _p2()
    summary = chapter.p2_summary(p2, paper_year=2003)
    assert (summary["years"], summary["estimated"], summary["interval_below_zero"]) == (4, 3, 1)
    assert (summary["first_below_zero"], summary["negative_slopes"], summary["paper_year_n"]) == (2004, 2, 5)
    assert math.isnan(summary["below_zero_from"])  # 2005's interval reaches above zero again
    tail = chapter.p2_summary(p2.iloc[:3], paper_year=2003)
    assert (tail["below_zero_from"], tail["last_year"]) == (2004, 2004)
    assert [chapter.sign_settled(lo, hi) for lo, hi in ((-2, -1), (1, 2), (-1, 1))] == [
        "negative",
        "positive",
        "sign not settled",
    ]
    assert chapter.reruns_results_name(2003, "WDI 2025", 2006, 10_000) == "paper_era_reruns"
    assert chapter.reruns_results_name(2005, "WDI 2025", 7, 10_000) == "paper_era_reruns-year2005-seed7"
    assert (summary["paper_year_low"], summary["paper_year_high"]) == (-4.0, 2.0)


def test_p2_population_difference_by_hand():
    p2 = pd.DataFrame(
        {
            "year": [2000, 2001, 2002, 2003],
            "status": ["estimated"] * 3 + ["not estimated: n=2"],
            "coef": [2.0, -1.0, -5.0, np.nan],
            "ci_high": [9.0, 3.0, -0.5, np.nan],
        }
    )
    other = p2.assign(coef=[-1.0, -2.0, -4.0, np.nan], ci_high=[4.0, 1.0, 0.5, np.nan])
    change = chapter.p2_population_difference(p2, other)
    assert (change["years"], change["sign_differs"], change["sign_differs_years"]) == (3, 1, "2000")
    assert (change["below_zero_differs"], change["below_zero_differs_years"]) == (1, "2002")  # -0.5 against +0.5
    assert change["largest_change"] == 3.0  # 2000: 2 against -1


def test_p2_numbers_by_hand():
    p2 = _p2()
    # The other population: every estimated interval below zero, the 2003 slope -2.5.
    other = p2.assign(coef=[np.nan, -2.5, -3.5, -1.0], ci_high=[np.nan, -0.1, -1.0, -0.2])
    numbers = chapter.p2_numbers(p2, other)
    assert_gluable(numbers)
    assert [numbers[key] for key in ("p2-years", "p2-estimated", "p2-below", "p2-last", "p2-paper-year")] == [
        4,
        3,
        1,
        2005,
        2003,
    ]
    assert math.isnan(numbers["p2-from"])  # 2005's interval reaches above zero again
    assert [numbers[key] for key in ("p2-paper-slope", "p2-paper-low", "p2-paper-high", "p2-paper-n")] == [
        -1.0,
        -4.0,
        2.0,
        5,
    ]
    assert numbers["p2-paper-interval"] == "the interval includes zero"
    assert [numbers[key] for key in ("p2-other-paper-slope", "p2-other-below", "p2-other-from")] == [-2.5, 3, 2003]
    # Signs differ in 2005 (2.0 against -1.0); below zero differs in 2003 and 2005; largest move 3.0 (2005).
    assert [
        numbers[key] for key in ("p2-pop-years", "p2-pop-sign", "p2-pop-sign-years", "p2-pop-below", "p2-pop-largest")
    ] == [3, 1, "2005", 2, 3.0]


def test_population_parameter_offers_the_panels_editions():
    from compendium import parameters

    for name in ("remittances-after-2006", "data-revisions"):
        assert parameters.CHAPTERS[name]["population"].choices == panel_data.POPULATION_EDITIONS
    assert chapter.p2_results_name(1995, 2023, panel_data.POPULATION_WPP) == "yearly_cross_section-popUNWPP2024"
    assert chapter.p2_results_name(1995, 2023) == "yearly_cross_section"


def test_source_markdown_names_the_gdp_edition_and_both_populations():
    texts = chapter.source_markdown(panel_data.POPULATION_WB, panel_data.DATASETS_GDP)
    assert texts["gdp-edition"] == panel_data.DATASETS_GDP
    assert "SP.POP.TOTL" in texts["population"] and "World Population Prospects 2024" in texts["population-other"]
    # P2 is shown with both population series; the re-fits and findings use the chosen one only.
    assert "{cite}`undesa2024wpp`" in texts["source-p2"] and "{cite}`undesa2024wpp`" not in texts["source-refits"]
    assert "{cite}`worldbankgdpdatasets`" in texts["source-refits"]
    assert "{cite}`worldbank2013remittances`" in texts["source-survive"]
