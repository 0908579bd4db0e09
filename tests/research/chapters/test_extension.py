"""analysis.chapters.extension against hand computations.

Synthetic frames check the arithmetic with numbers worked out here; the
frames on the public data are checked against values read straight from the
raw files (pyreadr for the .rda files, the csv module for the CSV files), by
a route that does not pass through analysis.data.external's readers.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import paths, results
from analysis.chapters import extension
from analysis.models import panels
from analysis.errors import ParameterError
from analysis.data.external import panel_data, registry

# The paper's Table 3, lines 328-339 of the text, e.g. line 336 "Kyrgyz Republic 100 400 46 582 186 1 775":
# (BOP 2003, estimate, GDP 2003), US$ million; Uzbekistan's BOP is printed "n.a.".
TABLE3 = {"ARM": (162, 850, 2760), "AZE": (156, 700, 7341), "GEO": (237, 275, 3984), "KGZ": (100, 400, 1775),
          "MDA": (464, 500, 1950), "TJK": (146, 500, 1586), "UZB": (None, 600, 8728)}
ODA_CSV = "ddf--datapoints--aid_received_per_person_current_us--by--geo--time.csv"




@pytest.fixture(scope="module")
def wdi_raw(mirror_folder) -> pd.DataFrame:
    import pyreadr

    return pyreadr.read_r(str(mirror_folder / "wdi.rda"))["wdi"]


def _wdi(raw: pd.DataFrame, code: str, var: str, year: int) -> float:
    cell = raw[(raw["geo"] == code) & (raw["var"] == var) & (raw["t"] == year)]["v"]
    assert len(cell) == 1, (code, var, year)
    return float(cell.iloc[0])


def _csv_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def world_bank_population(mirror_folder) -> dict[tuple[str, int], float]:
    """population.csv (the World Bank's SP.POP.TOTL, the default population) read with the csv module."""
    return {(row["Country Code"], int(row["Year"])): float(row["Value"])
            for row in _csv_rows(mirror_folder / "population.csv")}


def _remittances_frame(values: dict[str, dict[int, float]], shares: dict[str, dict[int, float]] | None = None):
    rows = []
    for code, series in values.items():
        for year, usd in series.items():
            share = (shares or {}).get(code, {}).get(year, np.nan)
            rows.append({"country": f"Country {code}", "iso3": code, "year": year, "remittances_usd": usd,
                         "remittances_pct_gdp": share})
    return pd.DataFrame(rows)


# --- chapter 9 -----------------------------------------------------------------------------------


def test_shock_changes_by_hand():
    frame = _remittances_frame({"AAA": {2008: 200.0, 2009: 150.0, 2010: 180.0},
                                "BBB": {2008: 50.0, 2009: 60.0, 2010: np.nan}},
                               {"AAA": {2008: 10.0, 2009: 8.5}, "BBB": {2008: 2.0, 2009: 2.5}})
    changes = extension.shock_changes(frame, ["2009", 2010]).set_index(["iso3", "shock_year"])
    assert changes.at[("AAA", 2009), "change_pct"] == pytest.approx(-25.0)    # 150 / 200 - 1
    assert changes.at[("AAA", 2010), "change_pct"] == pytest.approx(20.0)     # 180 / 150 - 1
    assert changes.at[("BBB", 2009), "change_pct"] == pytest.approx(20.0)     # 60 / 50 - 1
    assert math.isnan(changes.at[("BBB", 2010), "change_pct"])
    assert changes.at[("AAA", 2009), "share_change_pp"] == pytest.approx(-1.5)
    summary = extension.shock_summary(changes.reset_index())
    assert summary.loc[2009, ["countries", "falls", "rises"]].tolist() == [2, 1, 1]
    assert summary.loc[2009, "median_change_pct"] == pytest.approx(-2.5)      # median of -25 and +20
    assert summary.loc[2010, "countries"] == 1 and summary.loc[2010, "largest_rise_country"] == "Country AAA"
    assert summary.loc[2009, "median_share_change_pp"] == pytest.approx(-0.5)  # median of -1.5 and +0.5
    assert extension.shock_brief(summary).startswith("2009: fell in 1 of 2 (median -2.5 %, share -0.5 pp); 2010:")
    text = extension.shock_sentences(summary)
    assert "from 2008 to 2009 remittances fell in 1 and rose in 1 of 2 countries (median change -2.5 %" in text
    table = extension.shock_table(changes.reset_index())
    assert table.loc["Country AAA", "2008→2009"] == "-25.0 % (-1.5 pp)"
    assert table.loc["Country BBB", "2009→2010"] == extension.NOT_AVAILABLE


@pytest.mark.parametrize("years, words", [("2009", ["list of years"]), (["20x9"], ["'20x9'", "not a year"]),
                                          ([1990], ["1990", "outside"])])
def test_bad_shock_years_are_refused(years, words):
    frame = _remittances_frame({"AAA": {2000: 1.0, 2001: 2.0}})
    with pytest.raises(ParameterError) as caught:
        extension.shock_changes(frame, years)
    for word in words:
        assert word in str(caught.value)


def test_shock_change_on_the_raw_file(mirror, wdi_raw):
    from analysis.data import external

    frame = external.remittances(["TJK", "MDA"], 2005, 2023)
    changes = extension.shock_changes(frame, [2009, 2022]).set_index(["iso3", "shock_year"])
    for code, year in (("TJK", 2009), ("MDA", 2009), ("TJK", 2022)):
        before, after = _wdi(wdi_raw, code, "remin", year - 1), _wdi(wdi_raw, code, "remin", year)
        assert changes.at[(code, year), "change_pct"] == pytest.approx(100 * (after / before - 1), rel=1e-12)
        share = 100 * after / _wdi(wdi_raw, code, "gdp", year) - 100 * before / _wdi(wdi_raw, code, "gdp", year - 1)
        assert changes.at[(code, year), "share_change_pp"] == pytest.approx(share, rel=1e-12)


def test_period_totals_and_dependence_by_hand():
    frame = _remittances_frame({"AAA": {2006: 10.0, 2023: 30.0}, "BBB": {2006: 5.0, 2023: 5.0},
                                "CCC": {2023: 100.0}},
                               {"AAA": {2006: 12.0, 2023: 20.0}, "BBB": {2006: 8.0, 2023: 4.0},
                                "CCC": {2023: 1.0}})
    totals = extension.period_totals(frame, 2006, 2023)
    assert (totals["countries"], totals["total_first_usd"], totals["total_last_usd"]) == (2, 15.0, 35.0)
    assert totals["ratio"] == pytest.approx(35 / 15)
    change = extension.dependence_change(frame, 2006, 2023)
    assert (change["countries"], change["higher"], change["lower"]) == (2, 1, 1)
    assert (change["largest_last_country"], change["largest_last_pct"]) == ("Country AAA", 20.0)
    assert (change["above_10_first"], change["above_10_last"]) == (1, 1)
    assert extension.sparse_countries(frame, min_years=2) == ["Country CCC"]
    with pytest.raises(ParameterError, match="2030"):
        extension.period_totals(frame, 2006, 2030)


def _flows(rows):
    return pd.DataFrame([{"country": f"C {code}", "iso3": code, "year": year, "measure": measure, "pct_gdp": value,
                          "editions": "x"} for code, year, measure, value in rows])


def test_years_remittances_lead_by_hand():
    long = _flows([("AAA", 2003, "remittances", 10.0), ("AAA", 2003, "fdi", 5.0), ("AAA", 2003, "oda", 9.0),
                   ("AAA", 2003, "exports", 40.0),
                   ("BBB", 2003, "remittances", 3.0), ("BBB", 2003, "fdi", 4.0), ("BBB", 2003, "oda", 1.0),
                   ("CCC", 2003, "remittances", 8.0), ("CCC", 2003, "oda", 1.0),  # no FDI: not counted
                   ("AAA", 2004, "remittances", 6.0), ("AAA", 2004, "fdi", 5.0), ("AAA", 2004, "oda", 5.0)])
    counts = extension.years_remittances_lead(long)
    assert counts.loc[2003].tolist() == [2, 1]  # AAA and BBB complete; only AAA above both
    assert counts.loc[2004].tolist() == [1, 1]
    summary = extension.lead_summary(counts, paper_year=2003)
    assert (summary["paper_above"], summary["paper_countries"]) == (1, 2)
    assert (summary["last_year"], summary["years_all_above"], summary["first_all_above"]) == (2004, 1, 2004)
    labelled = extension.flows_labelled(long)
    assert labelled.loc[labelled["iso3"] == "AAA", "measure"].iloc[0] == extension.FLOW_LABELS["remittances"]


@pytest.mark.parametrize("population", [panel_data.POPULATION_WB, panel_data.POPULATION_WPP])
def test_remittances_lead_from_the_raw_files(mirror, wdi_raw, world_bank_population, population):
    from analysis.data import external

    def people(code, year):
        return world_bank_population[(code, year)] if population == panel_data.POPULATION_WB \
            else _wdi(wdi_raw, code, "pop", year)

    for year in (2000, 2003):
        oda_rows = {row["geo"]: float(row["aid_received_per_person_current_us"])
                    for row in _csv_rows(mirror / ODA_CSV) if row["time"] == str(year)}
        above = complete = 0
        for code in TABLE3:
            remittances = wdi_raw[(wdi_raw["geo"] == code) & (wdi_raw["var"] == "remin") & (wdi_raw["t"] == year)]["v"]
            fdi = wdi_raw[(wdi_raw["geo"] == code) & (wdi_raw["var"] == "fdiin") & (wdi_raw["t"] == year)]["v"]
            if remittances.empty or fdi.empty or code.lower() not in oda_rows:
                continue
            oda = oda_rows[code.lower()] * people(code, year)
            complete += 1
            above += int(remittances.iloc[0] > fdi.iloc[0] and remittances.iloc[0] > oda)
        flows = external.table3_by_year(start=year, end=year, population_edition=population)
        assert extension.years_remittances_lead(flows).loc[year].tolist() == [complete, above], year
        if year == 2003:
            assert complete == 6  # Uzbekistan's remittances start in 2005 in WDI 2025


def test_results_name_marks_every_non_default_choice():
    assert extension.results_name("panel_fe", {"start": (1995, 1995), "c": (["A", "B"], ["A", "B"])}) == "panel_fe"
    assert extension.results_name("panel_fe", {"start": (2000, 1995), "without": (["ARM"], [])}) \
        == "panel_fe-start2000-withoutARM"
    assert extension.results_name("x", {"gdp": ("WDI via datasets/gdp 822019c", "WDI 2025")}) \
        == "x-gdpWDIviadatasetsgdp822019c"


def test_p1_written_with_the_public_file_hash(mirror, tmp_path):
    rows = pd.DataFrame({"model_id": ["P1"], "term": ["log_gdp"], "coef": [0.5], "se_cluster": [0.1],
                         "ci_level": [0.95], "ci_low": [0.3], "ci_high": [0.7], "p": [0.01]})
    written = panels.write_p1(rows, "p1-test", directory=tmp_path)
    back = results.read_results("p1-test", directory=tmp_path)
    assert back["external_sha256"].tolist() == [f"wdi.rda={registry.entry('wdi.rda')['sha256']}"]
    assert back["coef"].tolist() == [0.5] and written["csv"].name == "p1-test.csv"
    table = extension.p1_table(rows)
    assert table.loc["log GDP of the receiving country"].tolist() == ["0.500", "0.100", "0.30 to 0.70", "0.010"]


# --- chapter 10 ----------------------------------------------------------------------------------


def test_russia_shares_from_the_raw_matrices(mirror):
    import pyreadr

    shares = extension.russia_shares_long(["KGZ", "TJK"])
    assert list(dict.fromkeys(shares["edition"])) == list(extension.SHARE_EDITIONS)
    assert list(dict.fromkeys(shares["iso3"])) == ["KGZ", "TJK"]
    stocks = pyreadr.read_r(str(mirror / "undesa_stocks_2020.rda"))
    stocks = next(iter(stocks.values()))
    kyrgyz = stocks[(stocks["from"] == "KGZ") & (stocks["t"] == 2005)]
    expected = 100 * kyrgyz.loc[kyrgyz["geo"] == "RUS", "n"].sum() / kyrgyz["n"].sum()
    row = shares[(shares["iso3"] == "KGZ") & (shares["year"] == 2005) & (shares["edition"] == panel_data.UNDESA_2020)]
    assert row["share_pct"].item() == pytest.approx(expected, rel=1e-12)
    # bilateral_migration_matrix_2021_latest.xlsx, row "Tajikistan": 466252 in Russia of 592382 in the world.
    knomad = shares[(shares["iso3"] == "TJK") & (shares["edition"] == panel_data.KNOMAD_2021)]
    assert knomad["year"].tolist() == [2021]
    assert knomad["share_pct"].item() == pytest.approx(100 * 466_252 / 592_382, rel=1e-12)


def test_russia_immigrants_per_edition_from_the_raw_files(mirror):
    import pyreadr

    stocks = extension.russia_immigrants(2020)
    for edition, filename in (("UN DESA IMS 2024", "undesa_stocks.rda"), ("UN DESA IMS 2020", "undesa_stocks_2020.rda")):
        raw = next(iter(pyreadr.read_r(str(mirror / filename)).values()))
        assert stocks[edition] == raw.loc[(raw["geo"] == "RUS") & (raw["t"] == 2020), "n"].sum()
    with pytest.raises(ParameterError, match="2021"):
        extension.russia_immigrants(2021)


def test_share_trend_and_edition_gap_by_hand():
    shares = pd.DataFrame({"country": ["A", "A", "B", "B", "C"], "iso3": ["A", "A", "B", "B", "C"],
                           "year": [1990, 2020, 1990, 2020, 1990], "edition": "E",
                           "share_pct": [60.0, 40.0, 30.0, 55.0, 80.0]})
    trend = extension.share_trend(shares, "E", 1990, 2020)
    assert (trend["countries"], trend["lower"], trend["higher"]) == (2, 1, 1)
    assert (trend["above_half_first"], trend["above_half_last"]) == (1, 1)
    assert trend["median_first"] == 45.0 and trend["median_last"] == 47.5
    with pytest.raises(ParameterError, match="1995"):
        extension.share_trend(shares, "E", 1995, 2020)
    difference = pd.DataFrame({"country": ["A", "A", "B", "B"], "year": [2015, 2020, 2015, 2020],
                               "share_pct_ims2024": [50.0, 30.0, 61.0, 70.0],
                               "share_pct_ims2020": [52.0, 45.0, 55.0, 68.0],
                               "in_russia_ratio": [1.0, 0.5, 0.9, 0.7]})
    difference["share_difference_pp"] = difference["share_pct_ims2024"] - difference["share_pct_ims2020"]
    gap = extension.edition_gap(difference, threshold_pp=5.0)
    assert (gap["country_years"], gap["above_threshold"]) == (4, 2)  # -15 and +6
    assert (gap["widest_country"], gap["widest_year"], gap["widest_pp"]) == ("A", 2020, -15.0)
    assert (gap["latest_lower_in_2024"], gap["latest_countries"]) == (1, 2)
    assert gap["latest_median_in_russia_ratio"] == pytest.approx(0.6)
    wide = extension.edition_difference_wide(difference)
    assert wide.loc["B", 2015] == pytest.approx(6.0)


def _corridors():
    rows = [("O1", "RUS", "Russian Federation", 60.0, 70.0), ("O1", "DEU", "Germany", 30.0, 20.0),
            ("O1", "FRA", "France", 10.0, 10.0),
            ("O2", "RUS", "Russian Federation", 20.0, 25.0), ("O2", "DEU", "Germany", 50.0, 60.0),
            ("O2", "ITA", "Italy", 30.0, 15.0)]
    return pd.DataFrame([{"origin": f"origin {o}", "origin_iso3": o, "destination": name, "destination_iso3": code,
                          "migrants": share * 1000, "migrants_share_pct": share, "remittances_share_pct": money}
                         for o, code, name, share, money in rows])


def test_corridor_matrix_by_hand():
    matrix = extension.corridor_matrix(_corridors(), top=2)
    # Migrants summed over both origins: Germany 80k, Russia 80k (a tie: alphabetical), Italy 30k, France 10k.
    assert list(matrix.columns) == ["Germany", "Russian Federation", "all other destinations"]
    assert matrix.loc["origin O1"].tolist() == [30.0, 60.0, 10.0]
    assert matrix.loc["origin O2"].tolist() == [50.0, 20.0, 30.0]
    money = extension.corridor_matrix(_corridors(), top=1, value="remittances_share_pct")
    assert money.loc["origin O1"].tolist() == [20.0, 80.0]
    with pytest.raises(ParameterError, match="top"):
        extension.corridor_matrix(_corridors(), top=0)
    largest = extension.largest_destinations(_corridors()).set_index("origin_iso3")
    assert largest.loc["O2", ["largest", "largest_share_pct", "russia_share_pct"]].tolist() == ["Germany", 50.0, 20.0]
    assert largest.loc["O2", ["russia_remittances_share_pct", "remittance_corridors"]].tolist() == [25.0, 3]
    # Russia: O1 60 % of migrants, 70 % of remittances (10 pp apart); O2 20 % and 25 % (5 pp apart).
    assert extension.remittances_follow_migrants(largest, tolerance_pp=5.0) == 1
    assert extension.remittances_follow_migrants(largest, tolerance_pp=10.0) == 2


def test_table2_statements_against_the_raw_un_desa_shares(mirror):
    import pyreadr

    check = extension.table2_external(reference_year=2005, about_half_band=10.0).set_index("iso3")
    assert list(check.index) == ["KGZ", "TJK", "UZB", "ARM", "AZE", "GEO", "MDA", "UKR"]
    # The text, line 135: "accumulating 70-90% of their labor"; line 136: "only about half" (50 +/- 10 here).
    assert check.loc["ARM", ["band_low", "band_high"]].tolist() == [70.0, 90.0]
    assert check.loc["MDA", ["band_low", "band_high"]].tolist() == [40.0, 60.0]
    raw = next(iter(pyreadr.read_r(str(mirror / "undesa_stocks.rda")).values()))
    for code in check.index:
        stock = raw[(raw["from"] == code) & (raw["t"] == 2005)]
        share = 100 * stock.loc[stock["geo"] == "RUS", "n"].sum() / stock["n"].sum()
        assert check.at[code, "undesa_2024_pct"] == pytest.approx(share, rel=1e-12)
        low, high = check.at[code, "band_low"], check.at[code, "band_high"]
        expected = "inside" if low <= share <= high else "below" if share < low else "above"
        assert check.at[code, "undesa_2024_position"] == expected
    wider = extension.table2_external(reference_year=2005, about_half_band=20.0).set_index("iso3")
    assert wider.loc["UKR", ["band_low", "band_high"]].tolist() == [30.0, 70.0]
    counts = extension.positions_count(check, "knomad_2021")
    assert sum(counts.values()) == len(check)
    with pytest.raises(ParameterError, match="2024"):
        extension.table2_external(reference_year=2024)


# --- chapter 11 ----------------------------------------------------------------------------------


def test_revision_ratios_from_the_raw_files(mirror, wdi_raw):
    from analysis.data import external

    revisions = external.paper_era_revisions()
    summary = extension.revision_summary(revisions, tolerance=0.05).set_index(["paper_column", "edition"])
    ratios_bop = {code: _wdi(wdi_raw, code, "remin", 2003) / 1e6 / bop for code, (bop, _, _) in TABLE3.items() if bop}
    row = summary.loc[("remittances_bop_2003_musd", panel_data.WDI_2025)]
    assert row["countries"] == len(ratios_bop) == 6
    assert row["within_tolerance"] == sum(abs(r - 1) <= 0.05 for r in ratios_bop.values())
    assert row["highest_ratio"] == pytest.approx(max(ratios_bop.values()), rel=1e-12)
    assert row["lowest_ratio"] == pytest.approx(ratios_bop["KGZ"], rel=1e-12)  # 70.33 / 100
    gdp = {row["Country Code"]: float(row["Value"]) for row in _csv_rows(mirror / "gdp.csv")
           if row["Year"] == "2003" and row["Country Code"] in TABLE3}
    ratios_gdp = {code: gdp[code] / 1e6 / TABLE3[code][2] for code in TABLE3}
    row = summary.loc[("gdp_2003_musd", panel_data.DATASETS_GDP)]
    assert row["within_tolerance"] == sum(abs(r - 1) <= 0.05 for r in ratios_gdp.values())
    assert (row["highest_country"], row["highest_ratio"]) == ("Uzbekistan", pytest.approx(ratios_gdp["UZB"], rel=1e-12))
    wide = extension.revisions_wide(revisions)
    assert wide.loc[("GDP 2003", "Georgia"), "paper"] == "3,984"
    assert wide.loc[("GDP 2003", "Georgia"), "WDI (datasets/gdp)"] == f"{gdp['GEO'] / 1e6:,.0f}"
    assert wide.loc[("remittances, BOP 2003", "Uzbekistan"), "paper"] == extension.NOT_AVAILABLE


def test_refit_on_an_edition_matches_the_closed_form_slope(mirror, wdi_raw, world_bank_population):
    from scipy import stats

    variables = extension.rerun_variables(panel_data.WDI_2025, 2003).set_index("iso3")
    x, y = [], []
    for code in TABLE3:
        remit = wdi_raw[(wdi_raw["geo"] == code) & (wdi_raw["var"] == "remin") & (wdi_raw["t"] == 2003)]["v"]
        if remit.empty:
            assert math.isnan(variables.at[code, "share_bop_recomputed"])
            continue
        gdp, population = _wdi(wdi_raw, code, "gdp", 2003), world_bank_population[(code, 2003)]
        x.append(math.log(gdp / population))
        y.append(100 * float(remit.iloc[0]) / gdp)
        assert variables.at[code, "share_bop_recomputed"] == pytest.approx(y[-1], rel=1e-12)
    x, y = np.array(x), np.array(y)
    slope = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    resid = y - y.mean() - slope * (x - x.mean())
    se = math.sqrt(resid @ resid / (len(x) - 2) / np.sum((x - x.mean()) ** 2))
    fitted = dict((label, e) for label, e in extension.reruns(boot_draws=200) if e.spec.model_id == "M4")
    ols = fitted[panel_data.WDI_2025].analysis.ols
    assert ols.n == len(x) == 6
    assert ols.coef == pytest.approx(slope, rel=1e-10)
    half = stats.t.ppf(0.975, len(x) - 2) * se
    assert (ols.ci_low, ols.ci_high) == (pytest.approx(slope - half, rel=1e-10), pytest.approx(slope + half, rel=1e-10))
    with pytest.raises(ParameterError, match="gdp_edition"):
        extension.rerun_variables(panel_data.WDI_2025, 2003, gdp_edition="WDI 2019")


def test_reruns_keep_catalogue_ids_for_the_paper_only(mirror):
    fitted = extension.reruns(boot_draws=200)
    rows = extension.reruns_rows(fitted)
    paper_rows = rows[rows["data"] == extension.PAPER]
    assert paper_rows["model_id"].tolist() == ["M3", "M4", "M5"]
    edition_rows = rows[rows["data"] != extension.PAPER]
    assert (edition_rows["model_id"] == "").all()
    assert "M5|WB remittances April 2013|2003|GDP WDI 2025" in set(edition_rows["spec_id"])
    assert len(edition_rows) == 2 * len(panel_data.REMITTANCE_EDITIONS)
    summary = extension.refit_summary(rows)
    assert summary["missing"] == ["UZB"]  # no 2003 remittances for Uzbekistan in any edition
    assert summary["coverage_sentence"].startswith("No edition has a figure for Uzbekistan")
    by_hand = sum(not (low > 0 or high < 0) for low, high in zip(rows["ci_low"], rows["ci_high"]))
    assert summary["include_zero"] == by_hand and summary["fits"] == 9
    covered = extension.refit_summary(rows.assign(missing="none"))
    assert covered["missing"] == [] and covered["coverage_sentence"].startswith("Every edition")


def test_conclusions_count_remittances_above_fdi_and_oda_from_the_raw_files(mirror, wdi_raw, world_bank_population):
    fitted = extension.reruns(boot_draws=200)
    frame = extension.conclusions(fitted).set_index("data")
    oda = {row["geo"]: float(row["aid_received_per_person_current_us"])
           for row in _csv_rows(mirror / ODA_CSV) if row["time"] == "2003"}
    above = complete = 0
    for code in TABLE3:
        remit = wdi_raw[(wdi_raw["geo"] == code) & (wdi_raw["var"] == "remin") & (wdi_raw["t"] == 2003)]["v"]
        fdi = wdi_raw[(wdi_raw["geo"] == code) & (wdi_raw["var"] == "fdiin") & (wdi_raw["t"] == 2003)]["v"]
        if remit.empty or fdi.empty:
            continue
        complete += 1
        aid = oda[code.lower()] * world_bank_population[(code, 2003)]
        above += int(remit.iloc[0] > fdi.iloc[0] and remit.iloc[0] > aid)
    assert frame.loc["WDI 2025", ["countries", "above_fdi_and_oda"]].tolist() == [complete, above]
    # On the paper's data: Table 3 lines 328-339, remittances against FDI 2003 and ODA 2002 by hand.
    printed = {"ARM": (162, 850, 121, 293), "AZE": (156, 700, 2352, 349), "GEO": (237, 275, 334, 313),
               "KGZ": (100, 400, 46, 186), "MDA": (464, 500, 58, 142), "TJK": (146, 500, 32, 168),
               "UZB": (None, 600, 70, 189)}
    bop_above = sum(b is not None and b > f and b > o for b, _, f, o in printed.values())
    estimate_above = sum(e > f and e > o for _, e, f, o in printed.values())
    assert frame.loc["paper (Table 3), BOP", "above_fdi_and_oda"] == bop_above == 1
    assert frame.loc["paper (Table 3), estimate", "above_fdi_and_oda"] == estimate_above == 5
    # The largest BOP share of GDP on the paper's data: Moldova, 464 / 1950.
    assert frame.loc["paper (Table 3), BOP", "most_dependent"] == "Moldova"
    assert frame.loc["paper (Table 3), BOP", "largest_share_pct"] == pytest.approx(100 * 464 / 1950)
    table = extension.conclusions_table(frame.reset_index())
    assert table.loc["paper (Table 3), BOP", "elasticity (95 % CI)"] == extension.NOT_AVAILABLE


def test_p2_summary_by_hand():
    p2 = pd.DataFrame({"year": [2002, 2003, 2004, 2005], "status": ["not estimated: n=2", "estimated", "estimated",
                                                                    "estimated"],
                       "n": [2, 5, 6, 6], "coef": [np.nan, -1.0, -3.0, 2.0], "ci_low": [np.nan, -4.0, -5.0, -1.0],
                       "ci_high": [np.nan, 2.0, -0.5, 5.0]})
    summary = extension.p2_summary(p2, paper_year=2003)
    assert (summary["years"], summary["estimated"], summary["interval_below_zero"]) == (4, 3, 1)
    assert (summary["first_below_zero"], summary["negative_slopes"], summary["paper_year_n"]) == (2004, 2, 5)
    assert math.isnan(summary["below_zero_from"])  # 2005's interval reaches above zero again
    tail = extension.p2_summary(p2.iloc[:3], paper_year=2003)
    assert (tail["below_zero_from"], tail["last_year"]) == (2004, 2004)
    assert [extension.sign_settled(lo, hi) for lo, hi in ((-2, -1), (1, 2), (-1, 1))] == \
        ["negative", "positive", "sign not settled"]
    assert extension.p1_results_name(extension.RECEIVERS, 1995, 2023) == "panel_fe"
    assert extension.p1_results_name(["ARM", "TJK"], 2000, 2023).startswith("panel_fe-withoutAZE-BLR-")
    assert extension.reruns_results_name(2003, "WDI 2025", 2006, 10_000) == "paper_era_reruns"
    assert extension.interval_phrase(-1, 2) == "the interval includes zero"
    assert extension.interval_phrase(0.5, 2) == "the interval lies above zero"
    assert extension.country_names("TKM;UZB") == "Turkmenistan, Uzbekistan"
    assert extension.country_names("none") == "none"
    assert (summary["paper_year_low"], summary["paper_year_high"]) == (-4.0, 2.0)


def test_population_gap_and_lead_difference_by_hand():
    ratios = pd.DataFrame({"country": ["A", "A", "B", "B"], "iso3": ["A", "A", "B", "B"], "year": [2002, 2003, 2002, 2003],
                           "world_bank": [100.0, 100.0, 50.0, 50.0], "un_wpp": [150.0, 140.0, 51.0, 52.0]})
    ratios["ratio"] = ratios["un_wpp"] / ratios["world_bank"]
    gap = extension.population_gap(ratios, 2003, tolerance=0.05)
    assert (gap["country"], gap["ratio"], gap["lowest"], gap["highest"]) == ("A", 1.4, 1.4, 1.5)
    assert (gap["lowest_year"], gap["highest_year"], gap["countries"], gap["close"]) == (2003, 2002, 2, 1)
    assert gap["apart"] == "A"  # B stays within 5 % (1.02, 1.04)
    assert extension.population_gap(ratios, 2003, tolerance=0.03)["close"] == 0  # B's 1.04 is 4 % apart
    with pytest.raises(ParameterError, match="2010"):
        extension.population_gap(ratios, 2010)
    counts = pd.DataFrame({"countries": [3, 3, 3], "above_both": [1, 2, 3]}, index=[2001, 2002, 2003])
    other = counts.assign(above_both=[1, 1, 2])
    assert extension.lead_difference(counts, other) == {"years": 3, "differ": 2, "differ_years": "2002 and 2003"}
    assert extension.lead_difference(counts, counts)["differ_years"] == "none"
    assert extension.other_population(panel_data.POPULATION_WB) == panel_data.POPULATION_WPP
    assert extension.other_population(panel_data.POPULATION_WPP) == panel_data.POPULATION_WB
    with pytest.raises(ParameterError, match="population_edition"):
        extension.other_population("WDI 2025")


def test_p2_population_difference_by_hand():
    p2 = pd.DataFrame({"year": [2000, 2001, 2002, 2003], "status": ["estimated"] * 3 + ["not estimated: n=2"],
                       "coef": [2.0, -1.0, -5.0, np.nan], "ci_high": [9.0, 3.0, -0.5, np.nan]})
    other = p2.assign(coef=[-1.0, -2.0, -4.0, np.nan], ci_high=[4.0, 1.0, 0.5, np.nan])
    change = extension.p2_population_difference(p2, other)
    assert (change["years"], change["sign_differs"], change["sign_differs_years"]) == (3, 1, "2000")
    assert (change["below_zero_differs"], change["below_zero_differs_years"]) == (1, "2002")  # -0.5 against +0.5
    assert change["largest_change"] == 3.0  # 2000: 2 against -1


def test_population_parameter_offers_the_panels_editions():
    from compendium import parameters

    for chapter in ("remittances-after-2006", "data-revisions"):
        assert parameters.CHAPTERS[chapter]["population"].choices == panel_data.POPULATION_EDITIONS
    assert extension.p2_results_name(1995, 2023, panel_data.POPULATION_WPP) == "yearly_cross_section-popUNWPP2024"
    assert extension.p2_results_name(1995, 2023) == "yearly_cross_section"


def _chapter_text(path: Path) -> str:
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    parts = ["".join(cell["source"]) for cell in cells]
    for cell in cells:
        for output in cell.get("outputs", []):
            for kind, value in output.get("data", {}).items():
                if kind.endswith(("text/plain", "text/markdown")):
                    parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def test_no_chapter_calls_the_un_population_wdi():
    wording = re.compile(r"WDI 2025 population|population(, GDP)?\) ?\{cite\}`worldbank2025wdi`"
                         r"|\(remittances, FDI, population, GDP\)")
    assert wording.search("Source: World Bank, WDI 2025 edition (remittances, FDI, population, GDP)")  # as it was
    for name in ("09-remittances-after-2006.ipynb", "11-data-revisions.ipynb"):
        text = _chapter_text(paths.ROOT / "chapters" / name)
        assert not wording.search(text), name
        assert "{cite}`undesa2024wpp`" in text, name  # the UN series is cited as the UN's release
