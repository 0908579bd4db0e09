"""The specification curve: its grid, a few rows against independent fits, its summary and figure."""

from __future__ import annotations

import io
import itertools
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import results
from analysis.data import paper
from analysis.errors import ParameterError
from analysis.figures.model_plots import plot_specification_curve
from analysis.models import catalogue, multiverse

TOL = dict(rtol=1e-8, atol=1e-10)


@pytest.fixture(scope="module")
def tables():
    """The raw columns straight from the paper's tables, indexed by ISO3 (independent of specifications)."""
    levels = paper.table3_levels().set_index("iso3")
    shares = paper.table3_shares().set_index("iso3")
    living = paper.table1().set_index("iso3")
    return levels, shares, living


@pytest.fixture(scope="module")
def curve():
    return multiverse.specification_curve()


@pytest.fixture(scope="module")
def permutation_curve():
    return multiverse.specification_curve(p_method="permutation")


def raw(tables, measure, transform, regressor, dropped):
    levels, shares, living = tables
    codes = [code for code in levels.index if code != dropped]

    def col(frame, name):
        return frame.loc[codes, name].to_numpy(dtype=float, na_value=np.nan)

    y = {
        "bop": col(shares, "remittances_bop_2003_pct_gdp"),
        "estimate": col(shares, "remittances_estimate_pct_gdp"),
        "recomputed": 100 * col(levels, "remittances_estimate_musd") / col(levels, "gdp_2003_musd"),
    }[measure]
    y = np.log(y) if transform == "log" else y
    x = np.log(col(living, "gdp_per_capita_usd") if regressor == "gdp_pc" else col(levels, "gdp_2003_musd"))
    keep = ~np.isnan(x) & ~np.isnan(y)
    return x[keep], y[keep]


def test_count_is_the_product_of_the_choices(curve, tables):
    levels = tables[0]
    # measure (bop, estimate, recomputed) x transform (level, log) x regressor (gdp_pc, gdp)
    # x dropped (none or one of the Table 3 countries) x estimator (ols, spearman)
    assert len(curve) == 3 * 2 * 2 * (1 + len(levels)) * 2 == 192
    hand = set(
        itertools.product(
            ["bop", "estimate", "recomputed"],
            ["level", "log"],
            ["gdp_pc", "gdp"],
            ["none", *levels.index],
            ["ols", "spearman"],
        )
    )
    assert set(curve[list(multiverse.CHOICE_COLUMNS)].itertuples(index=False, name=None)) == hand
    assert curve["spec"].is_unique


@pytest.mark.parametrize(
    "spec",
    [
        "estimate|level|gdp_pc|none|ols",
        "bop|level|gdp|none|ols",
        "recomputed|log|gdp_pc|UZB|ols",
        "bop|log|gdp|MDA|ols",
    ],
)
def test_ols_rows_match_closed_form(curve, tables, spec):
    measure, transform, regressor, dropped, _ = spec.split("|")
    x, y = raw(tables, measure, transform, regressor, dropped)
    n = len(x)
    X = np.column_stack([np.ones(n), x])
    beta, rss, *_ = np.linalg.lstsq(X, y, rcond=None)
    se = np.sqrt(rss[0] / (n - 2) / np.sum((x - x.mean()) ** 2))
    p = 2 * stats.t.sf(abs(beta[1] / se), n - 2)
    row = curve.set_index("spec").loc[spec]
    assert row["n"] == n
    np.testing.assert_allclose([row["estimate"], row["se"], row["p_value"]], [beta[1], se, p], **TOL)
    np.testing.assert_allclose(row["std_estimate"], np.corrcoef(x, y)[0, 1], **TOL)
    assert row["sign"] == ("positive" if beta[1] > 0 else "negative")


@pytest.mark.parametrize(
    "spec",
    [
        "estimate|level|gdp_pc|none|spearman",
        "bop|log|gdp|MDA|spearman",
        "recomputed|level|gdp|ARM|spearman",
    ],
)
def test_spearman_rows_match_scipy(curve, tables, spec):
    measure, transform, regressor, dropped, _ = spec.split("|")
    x, y = raw(tables, measure, transform, regressor, dropped)
    expected = stats.spearmanr(x, y)
    row = curve.set_index("spec").loc[spec]
    assert row["n"] == len(x)
    np.testing.assert_allclose([row["estimate"], row["p_value"]], [expected.statistic, expected.pvalue], **TOL)
    assert np.isnan(row["se"])


@pytest.mark.parametrize("spec", ["estimate|level|gdp_pc|none|ols", "bop|log|gdp|none|spearman"])
def test_permutation_rows_match_a_brute_force_loop(permutation_curve, tables, spec):
    measure, transform, regressor, dropped, estimator = spec.split("|")
    x, y = raw(tables, measure, transform, regressor, dropped)
    if estimator == "spearman":
        x, y = stats.rankdata(x), stats.rankdata(y)
    observed = abs(np.corrcoef(x, y)[0, 1])
    permuted = np.array([abs(np.corrcoef(x, y[list(order)])[0, 1]) for order in itertools.permutations(range(len(x)))])
    expected = np.mean((permuted > observed) | np.isclose(permuted, observed, rtol=1e-9, atol=0))
    row = permutation_curve.set_index("spec").loc[spec]
    assert row["p_value"] == pytest.approx(expected, abs=1e-12)
    assert row["p_method"] == "permutation"


def test_permutation_curve_counts_floating_point_ties():
    # Five made-up countries where x = 1..5 and y = (0.1, 0.7, 0.2, 0.3, 0.6). In exact rational
    # arithmetic 64 of the 120 orderings reach |xc . y| >= the observed value; a naive float
    # comparison finds only 62 of them, because tied sums round differently.
    y_text = ("0.1", "0.7", "0.2", "0.3", "0.6")
    x = [Fraction(v) for v in range(1, 6)]
    y = [Fraction(v) for v in y_text]
    xc = [v - sum(x) / 5 for v in x]
    observed = abs(sum(a * b for a, b in zip(xc, y)))
    hits = sum(abs(sum(a * b for a, b in zip(xc, order))) >= observed for order in itertools.permutations(y))
    assert hits == 64
    share = np.array(y_text, dtype=float)
    frame = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "DDD", "EEE"],
            "log_gdp_pc": np.arange(1.0, 6.0),
            "log_gdp": np.arange(1.0, 6.0) ** 2,
            "share_bop_printed": share,
            "share_estimate_printed": share,
            "share_estimate_recomputed": share,
        }
    )
    row = multiverse.specification_curve(frame, p_method="permutation").set_index("spec")
    assert row.loc["estimate|level|gdp_pc|none|ols", "p_value"] == pytest.approx(64 / 120, abs=1e-12)


def test_permutation_curve_keeps_the_estimates(curve, permutation_curve):
    pd.testing.assert_series_equal(curve["estimate"], permutation_curve["estimate"])


def test_spearman_ignores_the_monotone_transform(curve):
    rho = curve[curve["estimator"] == "spearman"].set_index(["measure", "regressor", "dropped", "transform"])
    np.testing.assert_allclose(
        rho.xs("level", level="transform")["estimate"], rho.xs("log", level="transform")["estimate"], **TOL
    )


def test_dropping_a_country_without_a_value_changes_nothing(curve, tables):
    levels = tables[0]
    no_bop = list(levels.index[levels["remittances_bop_2003_musd"].isna()])
    ineffective = curve.loc[~curve["drop_effective"]]
    assert set(ineffective["measure"]) == {"bop"} and set(ineffective["dropped"]) == set(no_bop)
    none = curve.set_index("spec")["estimate"]
    for spec in ineffective["spec"]:
        np.testing.assert_allclose(none[spec], none[spec.replace(f"|{no_bop[0]}|", "|none|")], **TOL)


def test_summary_per_family_matches_an_independent_recomputation(curve, tables):
    # Every specification refitted with numpy (OLS) or scipy (Spearman) from the raw table columns,
    # then counted per regressor family and estimator.
    alpha = 0.10
    fits = []
    for measure, transform, regressor, dropped, estimator in curve[list(multiverse.CHOICE_COLUMNS)].itertuples(
        index=False, name=None
    ):
        x, y = raw(tables, measure, transform, regressor, dropped)
        if estimator == "ols":
            n = len(x)
            slope, intercept = np.polyfit(x, y, 1)
            se = np.sqrt(np.sum((y - intercept - slope * x) ** 2) / (n - 2) / np.sum((x - x.mean()) ** 2))
            estimate, p = slope, 2 * stats.t.sf(abs(slope / se), n - 2)
        else:
            estimate, p = stats.spearmanr(x, y)
        fits.append((regressor, estimator, estimate < 0, p < alpha))
    fits = pd.DataFrame(fits, columns=["regressor", "estimator", "negative", "significant"])
    summary = multiverse.multiverse_summary(curve, alpha=alpha)
    assert list(summary.columns) == [
        "regressor",
        "estimator",
        "specifications",
        "share_negative",
        "share_p_below_alpha",
    ]
    assert list(zip(summary["regressor"], summary["estimator"])) == [
        ("gdp_pc", "ols"),
        ("gdp_pc", "spearman"),
        ("gdp", "ols"),
        ("gdp", "spearman"),
    ]
    for row in summary.itertuples():
        part = fits[(fits["regressor"] == row.regressor) & (fits["estimator"] == row.estimator)]
        assert row.specifications == len(part) == 48
        assert row.share_negative == pytest.approx(part["negative"].mean(), abs=1e-12)
        assert row.share_p_below_alpha == pytest.approx(part["significant"].mean(), abs=1e-12)


def test_log_share_on_log_gdp_is_the_elasticity_minus_one(curve, tables):
    # log(100 R / GDP) = log 100 + log R - log GDP, so its OLS slope on log GDP is the slope of
    # log R on log GDP (the elasticity, model M5) minus one: a restatement of size, not income.
    levels = tables[0]
    log_gdp = np.log(levels["gdp_2003_musd"].to_numpy(dtype=float))
    elasticity = np.polyfit(log_gdp, np.log(levels["remittances_estimate_musd"].to_numpy(dtype=float)), 1)[0]
    row = curve.set_index("spec").loc["recomputed|log|gdp|none|ols"]
    assert row["estimate"] == pytest.approx(elasticity - 1, abs=1e-10)


def _sized_economies(elasticity: float) -> pd.DataFrame:
    """Seven made-up economies whose remittances are exactly 0.05 * GDP ** elasticity (US$ million)."""
    gdp = np.array([1_500.0, 2_000.0, 2_800.0, 4_000.0, 6_500.0, 7_000.0, 10_000.0])
    share = 100 * 0.05 * gdp**elasticity / gdp
    return pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG"],
            "log_gdp_pc": np.log([900.0, 400.0, 1_200.0, 300.0, 700.0, 2_000.0, 500.0]),
            "log_gdp": np.log(gdp),
            "share_bop_printed": share,
            "share_estimate_printed": share,
            "share_estimate_recomputed": share,
        }
    )


@pytest.mark.parametrize("elasticity, sign", [(0.6, "negative"), (0.95, "negative"), (1.4, "positive")])
def test_total_gdp_family_takes_its_sign_from_the_elasticity(elasticity, sign):
    curve = multiverse.specification_curve(_sized_economies(elasticity))
    family = curve[curve["regressor"] == "gdp"]
    assert (family["sign"] == sign).all()
    assert "gdp" in multiverse.MECHANICAL_FAMILIES and "gdp_pc" not in multiverse.MECHANICAL_FAMILIES
    # the same data leave the per-capita family's sign open: it follows the made-up incomes
    assert set(curve.loc[curve["regressor"] == "gdp_pc", "sign"]) == {"negative", "positive"}


def test_write_summary_round_trips(curve, tmp_path):
    summary = multiverse.multiverse_summary(curve)
    multiverse.write_summary(summary, directory=tmp_path)
    back = results.read_results("multiverse_summary", directory=tmp_path)
    assert list(back.columns[:5]) == list(multiverse.SUMMARY_COLUMNS)
    pd.testing.assert_frame_equal(back[list(multiverse.SUMMARY_COLUMNS)], summary)
    with pytest.raises(ParameterError, match=r"exactly the columns"):
        multiverse.write_summary(summary.assign(alpha=0.05), directory=tmp_path)


def test_bad_input():
    with pytest.raises(ParameterError, match=r"p_method 'bayes' is unknown.*classical"):
        multiverse.specification_curve(p_method="bayes")
    with pytest.raises(ParameterError, match=r"alpha must lie strictly between 0 and 1"):
        multiverse.multiverse_summary(multiverse.specification_curve(), alpha=0)
    with pytest.raises(ParameterError, match=r"needs the columns \['regressor'\]"):
        multiverse.multiverse_summary(multiverse.specification_curve().drop(columns="regressor"))
    frame = catalogue.remittance_variables()
    frame.loc[0, "share_estimate_printed"] = 0.0
    with pytest.raises(ParameterError, match=r"infinite for \['ARM'\].*log of zero"):
        multiverse.specification_curve(frame)
    with pytest.raises(ParameterError, match=r"only n=2 countries"):
        multiverse.specification_curve(catalogue.remittance_variables().iloc[:3])


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def test_curve_figure_is_deterministic_and_draws_every_specification(curve):
    figure = plot_specification_curve(curve)
    top = figure.axes[0]
    points = sum(len(collection.get_offsets()) for collection in top.collections)
    assert points == len(curve)
    assert _png(figure) == _png(plot_specification_curve(curve))
    with pytest.raises(ParameterError, match=r"needs the columns \['p_value'\]"):
        plot_specification_curve(curve.drop(columns="p_value"))
