"""analysis.chapters.remittances_after_2006 (chapter 9) against hand computations.

Synthetic frames check the arithmetic with numbers worked out here; the frames on
the public data are checked against values read straight from the raw files
(tests/helpers/public_files.py), by a route that does not pass through
analysis.data.external's readers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import results
from analysis.chapters import remittances_after_2006 as chapter
from analysis.data.external import panel_data, registry
from analysis.errors import ParameterError
from analysis.models import panels
from helpers import public_files
from helpers.glue_values import assert_gluable


def _remittances_frame(values: dict[str, dict[int, float]], shares: dict[str, dict[int, float]] | None = None):
    rows = []
    for code, series in values.items():
        for year, usd in series.items():
            share = (shares or {}).get(code, {}).get(year, np.nan)
            rows.append(
                {
                    "country": f"Country {code}",
                    "iso3": code,
                    "year": year,
                    "remittances_usd": usd,
                    "remittances_pct_gdp": share,
                }
            )
    return pd.DataFrame(rows)


def test_shock_changes_by_hand():
    frame = _remittances_frame(
        {"AAA": {2008: 200.0, 2009: 150.0, 2010: 180.0}, "BBB": {2008: 50.0, 2009: 60.0, 2010: np.nan}},
        {"AAA": {2008: 10.0, 2009: 8.5}, "BBB": {2008: 2.0, 2009: 2.5}},
    )
    changes = chapter.shock_changes(frame, ["2009", 2010]).set_index(["iso3", "shock_year"])
    assert changes.at[("AAA", 2009), "change_pct"] == pytest.approx(-25.0)  # 150 / 200 - 1
    assert changes.at[("AAA", 2010), "change_pct"] == pytest.approx(20.0)  # 180 / 150 - 1
    assert changes.at[("BBB", 2009), "change_pct"] == pytest.approx(20.0)  # 60 / 50 - 1
    assert math.isnan(changes.at[("BBB", 2010), "change_pct"])
    assert changes.at[("AAA", 2009), "share_change_pp"] == pytest.approx(-1.5)
    summary = chapter.shock_summary(changes.reset_index())
    assert summary.loc[2009, ["countries", "falls", "rises"]].tolist() == [2, 1, 1]
    assert summary.loc[2009, "median_change_pct"] == pytest.approx(-2.5)  # median of -25 and +20
    assert summary.loc[2010, "countries"] == 1 and summary.loc[2010, "largest_rise_country"] == "Country AAA"
    assert summary.loc[2009, "median_share_change_pp"] == pytest.approx(-0.5)  # median of -1.5 and +0.5
    assert chapter.shock_brief(summary).startswith("2009: fell in 1 of 2 (median -2.5 %, share -0.5 pp); 2010:")
    text = chapter.shock_sentences(summary)
    assert "from 2008 to 2009 remittances fell in 1 and rose in 1 of 2 countries (median change -2.5 %" in text
    table = chapter.shock_table(changes.reset_index())
    assert table.loc["Country AAA", "2008→2009"] == "-25.0 % (-1.5 pp)"
    assert table.loc["Country BBB", "2009→2010"] == chapter.NOT_AVAILABLE


@pytest.mark.parametrize(
    "years, words", [("2009", ["list of years"]), (["20x9"], ["'20x9'", "not a year"]), ([1990], ["1990", "outside"])]
)
def test_bad_shock_years_are_refused(years, words):
    frame = _remittances_frame({"AAA": {2000: 1.0, 2001: 2.0}})
    with pytest.raises(ParameterError) as caught:
        chapter.shock_changes(frame, years)
    for word in words:
        assert word in str(caught.value)


def test_shock_change_on_the_raw_file(mirror):
    from analysis.data import external

    raw = public_files.wdi(mirror)
    frame = external.remittances(["TJK", "MDA"], 2005, 2023)
    changes = chapter.shock_changes(frame, [2009, 2022]).set_index(["iso3", "shock_year"])
    for code, year in (("TJK", 2009), ("MDA", 2009), ("TJK", 2022)):
        before = public_files.wdi_value(raw, code, "remin", year - 1)
        after = public_files.wdi_value(raw, code, "remin", year)
        assert changes.at[(code, year), "change_pct"] == pytest.approx(100 * (after / before - 1), rel=1e-12)
        share = 100 * after / public_files.wdi_value(raw, code, "gdp", year) - 100 * before / public_files.wdi_value(
            raw, code, "gdp", year - 1
        )
        assert changes.at[(code, year), "share_change_pp"] == pytest.approx(share, rel=1e-12)


def _two_years():
    return _remittances_frame(
        {"AAA": {2006: 10.0, 2023: 30.0}, "BBB": {2006: 5.0, 2023: 5.0}, "CCC": {2023: 100.0}},
        {"AAA": {2006: 12.0, 2023: 20.0}, "BBB": {2006: 8.0, 2023: 4.0}, "CCC": {2023: 1.0}},
    )


def test_period_totals_and_dependence_by_hand():
    frame = _two_years()
    totals = chapter.period_totals(frame, 2006, 2023)
    assert (totals["countries"], totals["total_first_usd"], totals["total_last_usd"]) == (2, 15.0, 35.0)
    assert totals["ratio"] == pytest.approx(35 / 15)
    change = chapter.dependence_change(frame, 2006, 2023)
    assert (change["countries"], change["higher"], change["lower"]) == (2, 1, 1)
    assert (change["largest_last_country"], change["largest_last_pct"]) == ("Country AAA", 20.0)
    assert (change["above_10_first"], change["above_10_last"]) == (1, 1)
    assert chapter.sparse_countries(frame, min_years=2) == ["Country CCC"]
    with pytest.raises(ParameterError, match="2030"):
        chapter.period_totals(frame, 2006, 2030)


def test_a_country_is_sparse_with_fewer_than_five_years():
    frame = _remittances_frame(
        {"FIVE": {year: 1.0 for year in range(2001, 2006)}, "FOUR": {year: 1.0 for year in range(2001, 2005)}}
    )
    assert chapter.sparse_countries(frame, chapter.MIN_YEARS) == ["Country FOUR"]


def test_first_year_is_the_papers_year_unless_the_page_starts_later():
    assert chapter.first_year(1995) == 2006
    assert chapter.first_year(2006) == 2006
    assert chapter.first_year(2010) == 2010


def test_usd_and_share_numbers_by_hand():
    frame = _two_years()
    changes = chapter.shock_changes(frame, [2023])  # no country has 2022: the shock has no data
    numbers = chapter.usd_numbers(frame, changes, start=1995, end=2023)
    assert_gluable(numbers)
    assert (numbers["n-countries"], numbers["start"], numbers["end"], numbers["first"], numbers["last"]) == (
        3,
        1995,
        2023,
        2006,
        2023,
    )
    assert (numbers["n-both"], numbers["total-first"], numbers["total-last"]) == (2, 15e-9, 35e-9)  # US$ billion
    assert numbers["total-ratio"] == pytest.approx(35 / 15)
    # every country has fewer than five years here
    assert numbers["sparse"] == "Country AAA, Country BBB, Country CCC"
    assert numbers["shock-sentences"] == "from 2022 to 2023 no country has both years"
    assert numbers["shock-brief"] == "2023: no data"
    shares = chapter.share_numbers(frame, start=1995, end=2023)
    assert_gluable(shares)
    assert shares == {
        "largest-first": "Country AAA",
        "largest-first-pct": 12.0,
        "largest-last": "Country AAA",
        "largest-last-pct": 20.0,
        "n-share-both": 2,
        "share-higher": 1,
        "share-lower": 1,
        "above10-first": 1,
        "above10-last": 1,
    }
    # A page that starts after 2006 compares its own first year: 2006 is not in the frame, so it is refused.
    with pytest.raises(ParameterError, match="2010"):
        chapter.usd_numbers(frame, changes, start=2010, end=2023)


def _flows(rows):
    return pd.DataFrame(
        [
            {"country": f"C {code}", "iso3": code, "year": year, "measure": measure, "pct_gdp": value, "editions": "x"}
            for code, year, measure, value in rows
        ]
    )


def test_years_remittances_lead_by_hand():
    long = _flows(
        [
            ("AAA", 2003, "remittances", 10.0),
            ("AAA", 2003, "fdi", 5.0),
            ("AAA", 2003, "oda", 9.0),
            ("AAA", 2003, "exports", 40.0),
            ("BBB", 2003, "remittances", 3.0),
            ("BBB", 2003, "fdi", 4.0),
            ("BBB", 2003, "oda", 1.0),
            ("CCC", 2003, "remittances", 8.0),
            ("CCC", 2003, "oda", 1.0),  # no FDI: not counted
            ("AAA", 2004, "remittances", 6.0),
            ("AAA", 2004, "fdi", 5.0),
            ("AAA", 2004, "oda", 5.0),
        ]
    )
    counts = chapter.years_remittances_lead(long)
    assert counts.loc[2003].tolist() == [2, 1]  # AAA and BBB complete; only AAA above both
    assert counts.loc[2004].tolist() == [1, 1]
    summary = chapter.lead_summary(counts, paper_year=2003)
    assert (summary["paper_above"], summary["paper_countries"]) == (1, 2)
    assert (summary["last_year"], summary["years_all_above"], summary["first_all_above"]) == (2004, 1, 2004)
    labelled = chapter.flows_labelled(long)
    assert labelled.loc[labelled["iso3"] == "AAA", "measure"].iloc[0] == chapter.FLOW_LABELS["remittances"]


@pytest.mark.parametrize("population", [panel_data.POPULATION_WB, panel_data.POPULATION_WPP])
def test_remittances_lead_from_the_raw_files(mirror, population):
    from analysis.data import external

    raw = public_files.wdi(mirror)

    def people(code, year):
        return (
            public_files.world_bank_population(mirror)[(code, year)]
            if population == panel_data.POPULATION_WB
            else public_files.wdi_value(raw, code, "pop", year)
        )

    for year in (2000, 2003):
        oda_rows = public_files.oda_per_person(mirror, year)
        above = complete = 0
        for code in public_files.TABLE3:
            remittances = public_files.wdi_cell(raw, code, "remin", year)
            fdi = public_files.wdi_cell(raw, code, "fdiin", year)
            if remittances.empty or fdi.empty or code.lower() not in oda_rows:
                continue
            oda = oda_rows[code.lower()] * people(code, year)
            complete += 1
            above += int(remittances.iloc[0] > fdi.iloc[0] and remittances.iloc[0] > oda)
        flows = external.table3_by_year(start=year, end=year, population_edition=population)
        assert chapter.years_remittances_lead(flows).loc[year].tolist() == [complete, above], year
        if year == 2003:
            assert complete == 6  # Uzbekistan's remittances start in 2005 in WDI 2025


def _population_ratios():
    ratios = pd.DataFrame(
        {
            "country": ["A", "A", "B", "B"],
            "iso3": ["A", "A", "B", "B"],
            "year": [2002, 2003, 2002, 2003],
            "world_bank": [100.0, 100.0, 50.0, 50.0],
            "un_wpp": [150.0, 140.0, 51.0, 52.0],
        }
    )
    return ratios.assign(ratio=ratios["un_wpp"] / ratios["world_bank"])


def test_population_gap_and_lead_difference_by_hand():
    ratios = _population_ratios()
    gap = chapter.population_gap(ratios, 2003, tolerance=0.05)
    assert (gap["country"], gap["ratio"], gap["lowest"], gap["highest"]) == ("A", 1.4, 1.4, 1.5)
    assert (gap["lowest_year"], gap["highest_year"], gap["countries"], gap["close"]) == (2003, 2002, 2, 1)
    assert gap["apart"] == "A"  # B stays within 5 % (1.02, 1.04)
    assert chapter.population_gap(ratios, 2003, tolerance=0.03)["close"] == 0  # B's 1.04 is 4 % apart
    with pytest.raises(ParameterError, match="2010"):
        chapter.population_gap(ratios, 2010)
    counts = pd.DataFrame({"countries": [3, 3, 3], "above_both": [1, 2, 3]}, index=[2001, 2002, 2003])
    other = counts.assign(above_both=[1, 1, 2])
    assert chapter.lead_difference(counts, other) == {"years": 3, "differ": 2, "differ_years": "2002 and 2003"}
    assert chapter.lead_difference(counts, counts)["differ_years"] == "none"


def test_lead_numbers_by_hand():
    counts = pd.DataFrame({"countries": [3, 3, 2], "above_both": [1, 3, 2]}, index=[2002, 2003, 2004])
    other = counts.assign(above_both=[1, 2, 2])
    numbers = chapter.lead_numbers(counts, other, _population_ratios())
    assert_gluable(numbers)
    # Table 3's year (2003): 3 of 3; the last year (2004): 2 of 2; all lead in 2003 and 2004, first in 2003.
    assert [
        numbers[key]
        for key in (
            "lead-paper-year",
            "lead-paper-above",
            "lead-paper-countries",
            "lead-last-year",
            "lead-last-above",
            "lead-last-countries",
            "lead-years-all",
            "lead-first-all",
        )
    ] == [2003, 3, 3, 2004, 2, 2, 2, 2003]
    # The other population changes 2003's count only.
    assert (numbers["pop-lead-differ"], numbers["pop-lead-years"], numbers["pop-lead-differ-years"]) == (1, 3, "2003")
    # A's UN population is 1.4 times the World Bank's in 2003, 1.4 to 1.5 over 2002-2003; B stays within 5 %.
    assert (numbers["pop-country"], numbers["pop-year"], numbers["pop-ratio"]) == ("A", 2003, 1.4)
    assert (numbers["pop-lowest"], numbers["pop-highest"], numbers["pop-first"], numbers["pop-last"]) == (
        1.4,
        1.5,
        2002,
        2003,
    )
    assert (numbers["pop-close"], numbers["pop-countries"], numbers["pop-tolerance"], numbers["pop-apart"]) == (
        1,
        2,
        0.05,
        "A",
    )


def test_p1_written_with_the_public_file_hash(mirror, tmp_path):
    rows = pd.DataFrame(
        {
            "model_id": ["P1"],
            "term": ["log_gdp"],
            "coef": [0.5],
            "se_cluster": [0.1],
            "ci_level": [0.95],
            "ci_low": [0.3],
            "ci_high": [0.7],
            "p": [0.01],
        }
    )
    written = panels.write_p1(rows, "p1-test", directory=tmp_path)
    back = results.read_results("p1-test", directory=tmp_path)
    assert back["external_sha256"].tolist() == [f"wdi.rda={registry.entry('wdi.rda')['sha256']}"]
    assert back["coef"].tolist() == [0.5] and written["csv"].name == "p1-test.csv"
    table = chapter.p1_table(rows)
    assert table.loc["log GDP of the receiving country"].tolist() == ["0.500", "0.100", "0.30 to 0.70", "0.010"]


def test_p1_results_name():
    assert chapter.p1_results_name(chapter.RECEIVERS, 1995, 2023) == "panel_fe"
    assert chapter.p1_results_name(["ARM", "TJK"], 2000, 2023).startswith("panel_fe-withoutAZE-BLR-")


def test_p1_numbers_by_hand():
    p1 = pd.DataFrame(
        {
            "term": ["log_gdp", "log_gdp_russia"],
            "coef": [0.25, 1.5],
            "ci_low": [-0.5, 0.75],
            "ci_high": [1.0, 2.25],
            "p": [0.4, 0.001],
            "n": [250, 250],
            "n_countries": [11, 11],
            "df_inference": [10, 10],
            "ci_level": [0.95, 0.95],
            "r2_within": [0.6, 0.6],
            "singletons_dropped": ["TKM", "TKM"],
        }
    )
    numbers = chapter.p1_numbers(p1)
    assert_gluable(numbers)
    assert [numbers[f"p1-own{suffix}"] for suffix in ("", "-low", "-high", "-p")] == [0.25, -0.5, 1.0, 0.4]
    assert [numbers[f"p1-russia{suffix}"] for suffix in ("", "-low", "-high", "-p")] == [1.5, 0.75, 2.25, 0.001]
    assert numbers["p1-own-interval"] == "the interval includes zero"
    assert numbers["p1-russia-interval"] == "the interval lies above zero"
    assert [numbers[key] for key in ("p1-n", "p1-g", "p1-df", "p1-level", "p1-r2", "p1-singletons")] == [
        250,
        11,
        10,
        "95%",
        0.6,
        "Turkmenistan",
    ]


def test_source_markdown_names_each_series_it_uses():
    default = chapter.source_markdown(panel_data.POPULATION_WB)
    assert set(default) == {
        "sources",
        "population",
        "population-other",
        "source-usd",
        "source-share",
        "source-p1",
        "source-flows",
        "source-lead",
    }
    # World Bank codes: remittances BX.TRF.PWKR.CD.DT, GDP NY.GDP.MKTP.CD, total population SP.POP.TOTL.
    assert "BX.TRF.PWKR.CD.DT" in default["source-usd"] and "NY.GDP.MKTP.CD" not in default["source-usd"]
    assert "NY.GDP.MKTP.CD" in default["source-share"] and "{cite}`worldbank2025wdi`" in default["source-share"]
    assert "SP.POP.TOTL" in default["population"] and "World Population Prospects 2024" in default["population-other"]
    assert "{cite}`undesa2024wpp`" in default["source-lead"] and "{cite}`undesa2024wpp`" not in default["sources"]
    swapped = chapter.source_markdown(panel_data.POPULATION_WPP)
    assert (swapped["population"], swapped["population-other"]) == (default["population-other"], default["population"])
    assert "{cite}`undesa2024wpp`" in swapped["sources"]
