"""P1 and P2 against computations written here with numpy and scipy.

P1 (statsmodels OLS with country dummies, cluster-robust SEs) is checked
against the within transformation done by hand and the CR1 sandwich
written out; P2 (analysis.models.regression.ols, year by year) against the closed-form
slope on values read straight from wdi.rda with pyreadr and from
population.csv with the csv module.
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.data.external import panel_data, registry
from analysis.errors import ParameterError
from analysis.models import panels

# The seven countries of the paper's Table 3 (lines 328-339 of the text: Armenia ... Uzbekistan).
TABLE3 = ["ARM", "AZE", "GEO", "KGZ", "MDA", "TJK", "UZB"]


def _demean(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    _, index = np.unique(groups, return_inverse=True)
    counts = np.bincount(index)
    means = np.column_stack([np.bincount(index, weights=column) / counts for column in values.T])
    return values - means[index]


def _within_cr1(data: pd.DataFrame):
    """Slopes, CR1 SEs, within R² and G by hand: demean, least squares, cluster sandwich."""
    groups = data["iso3"].to_numpy()
    x = _demean(data[["log_gdp", "log_gdp_russia"]].to_numpy(float), groups)
    y = _demean(data[["log_remittances"]].to_numpy(float), groups)[:, 0]
    beta = np.linalg.solve(x.T @ x, x.T @ y)
    resid = y - x @ beta
    bread = np.linalg.inv(x.T @ x)
    meat = np.zeros((2, 2))
    for code in np.unique(groups):
        score = x[groups == code].T @ resid[groups == code]
        meat += np.outer(score, score)
    n, g = len(y), len(np.unique(groups))
    k = 2 + g  # two slopes plus one intercept per country in the dummy regression
    cr1 = g / (g - 1) * (n - 1) / (n - k)
    se = np.sqrt(np.diag(cr1 * bread @ meat @ bread))
    r2_within = 1 - resid @ resid / (y @ y)
    return beta, se, r2_within, g


def test_p1_matches_the_within_transformation_by_hand(mirror):
    data = panels.panel_fe_data()
    result = panels.fit_panel_fe(data)
    beta, se, r2_within, g = _within_cr1(data)
    np.testing.assert_allclose(result.params.to_numpy(), beta, rtol=0, atol=1e-8)
    np.testing.assert_allclose(result.bse.to_numpy(), se, rtol=1e-8)
    assert result.r2_within == pytest.approx(r2_within, rel=1e-8)
    assert result.n_countries == g and result.df_inference == g - 1
    t = beta / se
    np.testing.assert_allclose(result.pvalues.to_numpy(), 2 * stats.t.sf(np.abs(t), g - 1), rtol=1e-8)
    half = stats.t.ppf(0.975, g - 1) * se
    np.testing.assert_allclose(result.conf_int["low"].to_numpy(), beta - half, rtol=1e-8)
    np.testing.assert_allclose(result.conf_int["high"].to_numpy(), beta + half, rtol=1e-8)


def test_p1_recovers_known_slopes_on_a_synthetic_panel():
    rng = np.random.default_rng(7)
    rows = []
    for code, effect in zip(["AAA", "BBB", "CCC", "DDD"], [1.0, -2.0, 0.5, 3.0]):
        years = np.arange(2000, 2012)
        x1 = rng.normal(size=len(years))
        x2 = rng.normal(size=len(years))
        noise = rng.normal(scale=0.1, size=len(years))
        rows.append(
            pd.DataFrame(
                {
                    "iso3": code,
                    "year": years,
                    "log_gdp": x1,
                    "log_gdp_russia": x2,
                    "log_remittances": effect + 0.5 * x1 + 1.5 * x2 + noise,
                }
            )
        )
    data = pd.concat(rows, ignore_index=True)
    result = panels.fit_panel_fe(data)
    beta, se, _, _ = _within_cr1(data)
    np.testing.assert_allclose(result.params.to_numpy(), beta, atol=1e-10)
    np.testing.assert_allclose(result.bse.to_numpy(), se, rtol=1e-8)
    np.testing.assert_allclose(result.params.to_numpy(), [0.5, 1.5], atol=0.1)
    # Without noise the fixed effects absorb the intercepts and the slopes come back exactly.
    effects = data["iso3"].map({"AAA": 1.0, "BBB": -2.0, "CCC": 0.5, "DDD": 3.0})
    exact = data.assign(log_remittances=effects + 0.5 * data["log_gdp"] + 1.5 * data["log_gdp_russia"])
    exact_fit = panels.fit_panel_fe(exact)
    np.testing.assert_allclose(exact_fit.params.to_numpy(), [0.5, 1.5], atol=1e-10)


def test_p1_data_come_from_wdi_2025_with_russias_gdp_by_year(mirror):
    data = panels.panel_fe_data()
    assert "RUS" not in set(data["iso3"])
    # Turkmenistan has one positive remittance year (1996); its 0s for 2005-2023 mean "no data".
    assert data.attrs["singletons"] == ["TKM"]
    arm = data[(data["iso3"] == "ARM") & (data["year"] == 2003)].iloc[0]
    # wdi.rda: ARM remin 2003 = 335860000; RUS gdp 2010 = 1524916715223.95 (read with pyreadr).
    assert arm["log_remittances"] == pytest.approx(math.log(335_860_000.0), rel=1e-14)
    rus_2010 = data.loc[data["year"] == 2010, "log_gdp_russia"]
    assert np.allclose(rus_2010, math.log(1524916715223.95), rtol=1e-13)
    assert data["year"].between(1995, 2023).all()


def test_p1_rejects_bad_parameters(mirror):
    with pytest.raises(ParameterError, match="RUS"):
        panels.panel_fe_data(["ARM", "RUS"])
    with pytest.raises(ParameterError, match="start=2020 is after end=2000"):
        panels.panel_fe_data(start=2020, end=2000)
    with pytest.raises(ParameterError, match="at least 2 countries"):
        panels.panel_fe_data(["TKM", "ARM"], start=2005, end=2023)
    with pytest.raises(ParameterError, match="alpha"):
        panels.fit_panel_fe(panels.panel_fe_data(), alpha=1.5)


def _closed_form(x: pd.Series, y: pd.Series):
    n = len(x)
    sxx = np.sum((x - x.mean()) ** 2)
    slope = np.sum((x - x.mean()) * (y - y.mean())) / sxx
    resid = y - y.mean() - slope * (x - x.mean())
    se = math.sqrt(np.sum(resid**2) / (n - 2) / sxx)
    return slope, se, stats.t.ppf(0.975, n - 2) * se


def test_p2_matches_the_closed_form_slope_on_raw_values(mirror):
    import pyreadr

    raw = pyreadr.read_r(str(mirror / "wdi.rda"))["wdi"]
    with (mirror / "population.csv").open(newline="", encoding="utf-8") as handle:
        world_bank = {(row["Country Code"], int(row["Year"])): float(row["Value"]) for row in csv.DictReader(handle)}
    year = 2010
    cut = raw[raw["geo"].isin(TABLE3) & (raw["t"] == year)].pivot(index="geo", columns="var", values="v")
    y = 100 * cut["remin"] / cut["gdp"]
    # The default population is the World Bank's (population.csv); wdi.rda's "pop" is UN WPP 2024.
    populations = {
        panel_data.POPULATION_WB: pd.Series({code: world_bank[(code, year)] for code in cut.index}),
        panel_data.POPULATION_WPP: cut["pop"],
    }
    for edition, population in populations.items():
        slope, se, half = _closed_form(np.log(cut["gdp"] / population), y)
        table = panels.yearly_cross_section(start=2009, end=2011, population_edition=edition).set_index("year")
        row = table.loc[year]
        assert row["n"] == len(y) == 7 and row["status"] == "estimated"
        assert row["population_edition"] == edition
        assert row["coef"] == pytest.approx(slope, rel=1e-10)
        assert row["se"] == pytest.approx(se, rel=1e-10)
        assert row["ci_low"] == pytest.approx(slope - half, rel=1e-10)
        assert row["ci_high"] == pytest.approx(slope + half, rel=1e-10)
        assert list(table.index) == [2009, 2010, 2011]
    default = panels.yearly_cross_section(start=2010, end=2010).set_index("year")
    assert default.at[2010, "population_edition"] == panel_data.POPULATION_WB


def test_p2_early_slope_changes_sign_with_the_population(mirror):
    # 2003, the paper's year: GDP per capita over each population, the rest unchanged.
    by_population = {
        edition: panels.yearly_cross_section(start=2003, end=2003, population_edition=edition)
        .set_index("year")
        .at[2003, "coef"]
        for edition in panel_data.POPULATION_EDITIONS
    }
    assert by_population[panel_data.POPULATION_WB] > 0 > by_population[panel_data.POPULATION_WPP]
    with pytest.raises(ParameterError, match="population_edition"):
        panels.yearly_cross_section(start=2003, end=2003, population_edition="WDI 2025")


def test_p2_keeps_years_it_cannot_estimate_with_the_reason(mirror):
    # Tajikistan's remittances start in 2002 and Uzbekistan's in 2005 in WDI 2025: 1995 has only Armenia.
    table = panels.yearly_cross_section(["ARM", "TJK", "UZB"], start=1995, end=2006).set_index("year")
    assert table.loc[1995, "n"] == 1 and table.loc[1995, "status"].startswith("not estimated")
    assert math.isnan(table.loc[1995, "coef"])
    assert table.loc[2006, "status"] == "estimated" and table.loc[2006, "n"] == 3


def test_write_results_records_the_public_files_hashes(mirror, tmp_path):
    written = panels.write_results(directory=tmp_path)
    p1 = pd.read_csv(written["panel_fe"]["csv"])
    p2 = pd.read_csv(written["yearly_cross_section"]["csv"])
    expected = f"wdi.rda={registry.entry('wdi.rda')['sha256']}"
    assert set(p1["external_sha256"]) == {expected}  # P1 uses no population
    assert set(p2["external_sha256"]) == {f"population.csv={registry.entry('population.csv')['sha256']};{expected}"}
    assert list(p1["term"]) == ["log_gdp", "log_gdp_russia"] and set(p1["model_id"]) == {"P1"}
    assert set(p2["model_id"]) == {"P2"} and p2["year"].tolist() == list(range(1995, 2024))
