"""Chapter 12 (the CIS in the world): ranks, random sevens, outliers and results against hand computations,
and on the real files against values read straight from wdi.rda with pyreadr."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pybtex.database
import pytest

from analysis import paths
from analysis.chapters import world
from analysis.data.countries import CIS
from analysis.data.external import world as economies
from analysis.errors import ParameterError
from analysis.models import catalogue


def small_frame() -> pd.DataFrame:
    """Two years, five economies, a tie in 2001 (ARM and TJK both 10)."""
    rows = [
        ("ARM", 2000, 5.0),
        ("TJK", 2000, 20.0),
        ("FRA", 2000, 1.0),
        ("TON", 2000, 30.0),
        ("KGZ", 2000, 5.0),
        ("ARM", 2001, 10.0),
        ("TJK", 2001, 10.0),
        ("FRA", 2001, 0.5),
        ("TON", 2001, 8.0),
        ("KGZ", 2001, 2.0),
    ]
    return pd.DataFrame(rows, columns=["iso3", "year", world.SHARE])


def test_ranks_follow_the_declared_rule_against_a_hand_ranking():
    ranked = world.ranks(small_frame(), countries=["ARM", "TJK", "KGZ"]).set_index(["iso3", "year"])
    assert list(ranked.columns[:3]) == ["share_pct", "rank", "n"]
    # 2000: TON 30, TJK 20, ARM 5 = KGZ 5, FRA 1 -> ranks 1, 2, 3, 3, 5
    assert ranked.loc[("TJK", 2000), "rank"] == 2 and ranked.loc[("ARM", 2000), "rank"] == 3
    assert ranked.loc[("KGZ", 2000), "rank"] == 3
    # 2001: ARM 10 = TJK 10 lead together, TON 8, KGZ 2, FRA 0.5
    assert ranked.loc[("ARM", 2001), "rank"] == 1 and ranked.loc[("TJK", 2001), "rank"] == 1
    assert ranked.loc[("KGZ", 2001), "rank"] == 4
    assert set(ranked["n"]) == {5}
    # percentile: share of the other 4 economies with a smaller share
    assert ranked.loc[("ARM", 2000), "percentile"] == pytest.approx(100 * 1 / 4)
    assert ranked.loc[("ARM", 2001), "percentile"] == pytest.approx(100 * 3 / 4)
    assert ranked.loc[("TJK", 2000), "world_top"] == "TON"
    assert ranked.loc[("TJK", 2001), "world_top"] == "ARM;TJK"


def test_top_years_are_named_with_runs_of_years():
    ranked = pd.DataFrame(
        {"iso3": ["TJK"] * 5 + ["MDA"], "year": [2007, 2008, 2010, 2011, 2012, 2006], "rank": [1, 1, 1, 1, 1, 1]}
    )
    assert world.top_years(ranked) == {"MDA": [2006], "TJK": [2007, 2008, 2010, 2011, 2012]}
    assert world.top_years_text(ranked) == "Tajikistan (2007–2008, 2010–2012) and Moldova (2006)"
    assert world.top_years_text(ranked.assign(rank=2)) == "none"


def test_random_samples_of_every_economy_give_the_full_sample_slope():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"year": 2003, world.INCOME: rng.normal(8, 1, 9), world.SHARE: rng.gamma(2, 3, 9)})
    slopes = world.random_sample_slopes(frame, 2003, size=8, draws=50, seed=4)
    # Every sample of 8 out of 9 leaves one economy out: at most 9 distinct slopes, each a leave-one-out fit.
    by_hand = {round(np.polyfit(frame[world.INCOME].drop(i), frame[world.SHARE].drop(i), 1)[0], 9) for i in range(9)}
    assert {round(value, 9) for value in slopes} <= by_hand
    assert len(slopes) == 50
    with pytest.raises(ParameterError, match="need more than 9"):
        world.random_sample_slopes(frame, 2003, size=9)


def test_percentile_of_counts_values_at_or_below():
    assert world.percentile_of(2.0, np.array([1.0, 2.0, 3.0, 4.0])) == pytest.approx(50.0)
    assert world.percentile_of(0.0, np.array([1.0, 2.0])) == pytest.approx(0.0)


def test_chapter5_slopes_are_the_catalogues_ols_slopes():
    slopes = world.chapter5_slopes()
    for model_id in world.CHAPTER5_MODELS:
        fitted = catalogue.fit(model_id, boot_draws=100, perm_draws=100)
        assert slopes[model_id] == pytest.approx(fitted.analysis.ols.coef, rel=1e-9)


def test_keep_populous_keeps_unknown_populations_only_without_a_threshold():
    frame = pd.DataFrame({"iso3": ["A", "B", "C"], "population": [5e5, np.nan, 2e6]})
    assert list(economies.keep_populous(frame, 0)["iso3"]) == ["A", "B", "C"]
    assert list(economies.keep_populous(frame, 1e6)["iso3"]) == ["C"]
    with pytest.raises(ParameterError, match="min_population=-1"):
        economies.keep_populous(frame, -1)


@pytest.fixture(scope="module")
def real(mirror_folder):
    """Every economy of the real files, 1995-2023, with the mirror as the data folder for the module's tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.DATA_CACHE_ENV, str(mirror_folder))
        yield world.frame(1995, 2023, "ppp")


def _shares_from_rda(mirror_folder, year: int) -> pd.Series:
    """Remittances / GDP x 100 for ISO countries, read straight from wdi.rda (zeros of remittances dropped)."""
    import pycountry
    import pyreadr

    raw = pyreadr.read_r(str(mirror_folder / "wdi.rda"))["wdi"]
    raw = raw[(raw["t"].astype(int) == year) & raw["var"].isin(["remin", "gdp"])]
    wide = raw.pivot(index="geo", columns="var", values="v").dropna()
    countries = np.array([pycountry.countries.get(alpha_3=code) is not None for code in wide.index])
    wide = wide[(wide["remin"] != 0).to_numpy() & countries]
    return 100 * wide["remin"] / wide["gdp"]


def test_real_ranks_match_a_ranking_read_straight_from_the_file(real, mirror_folder):
    shares = _shares_from_rda(mirror_folder, 2023)
    ranked = world.ranks(world.populous(real, 0))
    latest = ranked[ranked["year"] == 2023].set_index("iso3")
    assert set(latest["n"]) == {len(shares)}
    for code in latest.index:
        assert latest.at[code, "share_pct"] == pytest.approx(shares[code], rel=1e-12)
        assert latest.at[code, "rank"] == 1 + int((shares > shares[code]).sum())
    # The aggregates of the file (world, regions, income groups) are never economies here.
    assert not {"WLD", "ECS", "LMC", "EUU"} & set(real["iso3"])


def test_real_outliers_use_the_world_without_the_cis(real):
    data = world.populous(real, 0)
    table = world.outliers(data, 2023)
    assert set(table["iso3"]) <= set(CIS)
    rest = data[(data["year"] == 2023) & ~data["cis"]].dropna(subset=[world.SHARE, world.INCOME])
    assert table.attrs["n_fitted"] == len(rest)
    slope, intercept = np.polyfit(rest[world.INCOME], rest[world.SHARE], 1)
    row = table.iloc[0]
    assert row["predicted"] == pytest.approx(intercept + slope * row[world.INCOME], rel=1e-9)
    assert row["outside"] == (
        "above" if row[world.SHARE] > row["pi_high"] else "below" if row[world.SHARE] < row["pi_low"] else "inside"
    )


def test_written_results_have_the_promised_columns(real, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RESULTS_DIR", tmp_path)
    data = world.populous(real, 1e6)
    ranked = world.ranks(data)
    slopes = world.yearly_slopes(data)
    models = world.panel_models(data, "country+year", 99, 1)
    written = world.write(ranked, world.model_rows(slopes, models, data, "country+year"), "ppp")
    table = pd.read_csv(written["world_ranks"]["csv"])
    assert list(table.columns[:5]) == ["iso3", "year", "share_pct", "rank", "n"]
    assert set(table["iso3"]) <= set(CIS) and "wdi.rda=" in table["external_sha256"].iloc[0]
    models_table = pd.read_csv(written["world_models"]["csv"])
    assert {"P3", "P4", "P5"} == set(models_table["model_id"])
    interaction = models_table[models_table["term"] == "log_income_x_cis"].iloc[0]
    assert 0 < interaction["p_randomization"] <= 1 and interaction["randomization_draws"] == 99
    assert math.isnan(models_table[models_table["model_id"] == "P4"]["p_randomization"].iloc[0])


def test_methods_and_treaties_are_in_the_bibliography():
    entries = pybtex.database.parse_file(str(paths.BIBLIOGRAPHY)).entries
    cited = {
        "abadie2003",
        "abadie2010",
        "abadie2015",
        "abadie2021",
        "conley2011",
        "roth2023",
        "eaeu2014treaty",
        "eaeu2014armenia",
        "eaeu2014kyrgyzstan",
    }
    assert cited <= set(entries)
    for key in cited:
        assert entries[key].fields["keywords"] == "extension-methods" and entries[key].fields["year"] in key


def test_glued_numbers_are_plain_python_values(real):
    """A numpy scalar would be glued as 'np.float64(...)', which {glue:text} cannot format."""
    data = world.populous(real, 0)
    ranked, slopes = world.ranks(data), world.yearly_slopes(data)
    random_slopes = world.random_sample_slopes(data, world.PAPER_YEAR, draws=999)
    dicts = [
        world.rank_numbers(ranked, 2023),
        world.slope_numbers(slopes),
        world.seven_numbers(slopes, random_slopes, world.chapter5_slopes()),
        world.outlier_numbers(world.outliers(data, 2023)),
        world.panel_numbers(world.panel_models(data, "country+year", 99, 1)),
    ]
    for numbers in dicts:
        for key, value in numbers.items():
            assert type(value) in (int, float, str), (key, type(value))


def test_source_line_keeps_citations_and_turns_series_codes_into_code_spans():
    text = world.labels("usd")["sources"]
    assert "(`NY.GDP.MKTP.CD`)" in text and "(`SP.POP.TOTL`)" in text
    assert "{cite}`worldbank2025wdi`" in text and "{cite}`worldbankpopulationdatasets`" in text
    assert "NY.GDP.PCAP.PP.KD" not in text  # the US$ measure does not read GDP per capita at PPP
    assert "`NY.GDP.PCAP.PP.KD`" in world.labels("ppp")["sources"]
