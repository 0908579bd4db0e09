"""analysis.models.regression and the catalogue in analysis.models.catalogue, against independent computations.

The references here are closed-form least squares in numpy (with the HC3
sandwich written out), t-distribution p-values from scipy, hand-worked
permutation counts and exact rational arithmetic.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.data import paper
from analysis.errors import ParameterError
from analysis.models import catalogue, regression

TOL = dict(rtol=1e-8, atol=1e-10)


def closed_form(x, y, alpha=0.05):
    """OLS of y on [1, x] by the normal equations, with classical and HC3 covariance."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    X = np.column_stack([np.ones(n), x])
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ X.T @ y
    e = y - X @ beta
    s2 = e @ e / (n - 2)
    cov = s2 * bread
    h = np.einsum("ij,jk,ik->i", X, bread, X)
    meat = X.T @ (X * (e**2 / (1 - h) ** 2)[:, None])
    cov_hc3 = bread @ meat @ bread
    se, se_hc3 = np.sqrt(cov[1, 1]), np.sqrt(cov_hc3[1, 1])
    t, t_hc3 = beta[1] / se, beta[1] / se_hc3
    quantile = stats.t.ppf(1 - alpha / 2, n - 2)
    return {
        "intercept": beta[0],
        "coef": beta[1],
        "se": se,
        "t": t,
        "p_classical": 2 * stats.t.sf(abs(t), n - 2),
        "se_hc3": se_hc3,
        "t_hc3": t_hc3,
        "p_hc3": 2 * stats.t.sf(abs(t_hc3), n - 2),
        "r2": 1 - (e @ e) / np.sum((y - y.mean()) ** 2),
        "ci_low": beta[1] - quantile * se,
        "ci_high": beta[1] + quantile * se,
        "residuals": e,
        "leverage": h,
        "s2": s2,
    }


def correlation_p(r, n):
    """Two-sided p-value of a correlation from t = r sqrt((n - 2) / (1 - r^2))."""
    return 2 * stats.t.sf(abs(r) * np.sqrt((n - 2) / (1 - r**2)), n - 2)


def frame_of(x, y, codes=None):
    codes = codes or [f"C{i:02d}" for i in range(len(x))]
    return pd.DataFrame({"iso3": codes, "country": codes, "x": x, "y": y})


SYNTHETIC = frame_of([1.0, 2.0, 4.0, 5.0, 7.0, 8.5], [3.1, 2.0, 6.5, 4.4, 9.0, 8.1])


@pytest.fixture(scope="module")
def catalogue_fits():
    return {e.spec.model_id: e for e in catalogue.fit_all(boot_draws=200)}


# --- OLS, HC3, R^2 and correlations ---------------------------------------------------------


@pytest.mark.parametrize("model_id", catalogue.model_ids())
def test_catalogue_models_match_closed_form(catalogue_fits, model_id):
    analysis = catalogue_fits[model_id].analysis
    expected = closed_form(analysis.data.x, analysis.data.y)
    for name in ("intercept", "coef", "se", "t", "p_classical", "se_hc3", "t_hc3", "p_hc3", "r2", "ci_low", "ci_high"):
        np.testing.assert_allclose(getattr(analysis.ols, name), expected[name], **TOL, err_msg=name)


def test_synthetic_model_matches_closed_form():
    data = regression.cross_section(SYNTHETIC, "x", "y")
    fit = regression.ols(data, alpha=0.10)
    expected = closed_form(data.x, data.y, alpha=0.10)
    for name in ("coef", "se", "p_classical", "se_hc3", "p_hc3", "r2", "ci_low", "ci_high"):
        np.testing.assert_allclose(getattr(fit, name), expected[name], **TOL, err_msg=name)
    assert fit.ci_level == pytest.approx(0.90)


def test_hc3_is_nan_where_a_country_has_leverage_one():
    # x = (0, 0, 1): the third point has h = 1/3 + (2/3)^2 / (2/3) = 1, so e^2 / (1 - h)^2 is 0/0.
    data = regression.cross_section(frame_of([0.0, 0.0, 1.0], [1.0, 2.0, 5.0]), "x", "y")
    fit = regression.ols(data)
    assert np.isnan(fit.se_hc3) and np.isnan(fit.p_hc3)
    np.testing.assert_allclose(fit.coef, 5.0 - 1.5, **TOL)  # the line through (0, 1.5) and (1, 5)


@pytest.mark.parametrize("model_id", catalogue.model_ids())
def test_correlations_match_numpy(catalogue_fits, model_id):
    analysis = catalogue_fits[model_id].analysis
    x, y, n = analysis.data.x, analysis.data.y, analysis.data.n
    r = np.corrcoef(x, y)[0, 1]
    rho = np.corrcoef(stats.rankdata(x), stats.rankdata(y))[0, 1]
    got = analysis.correlations
    np.testing.assert_allclose(got.pearson_r, r, **TOL)
    np.testing.assert_allclose(got.pearson_p, correlation_p(r, n), **TOL)
    np.testing.assert_allclose(got.spearman_rho, rho, **TOL)
    np.testing.assert_allclose(got.spearman_p, correlation_p(rho, n), **TOL)


# --- Exact permutation test ------------------------------------------------------------------


def test_permutation_p_worked_by_hand():
    # x = (1, 2, 3), y = (1, 2, 4). With xc = (-1, 0, 1) the slope of an ordering (a, b, c) of y is
    # (c - a) / 2. The 6 orderings give
    #   (1,2,4): 1.5   (1,4,2): 0.5   (2,1,4): 1.0   (2,4,1): -0.5   (4,1,2): -1.0   (4,2,1): -1.5
    # Observed 1.5; |slope| >= 1.5 for (1,2,4) and (4,2,1): two-sided p = 2/6 (one-sided would be 1/6).
    result = regression.permutation_pvalue(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    assert result.exact and result.orderings == 6
    assert result.p_value == pytest.approx(2 / 6, abs=1e-15)


def test_permutation_p_with_tied_outcomes_worked_by_hand():
    # x = (1, 2, 3), y = (0, 0, 1): slopes (c - a) / 2 over the 6 orderings of (0, 0', 1) are
    #   (0,0',1): 0.5  (0,1,0'): 0  (0',0,1): 0.5  (0',1,0): 0  (1,0,0'): -0.5  (1,0',0): -0.5
    # Observed 0.5; four orderings reach |slope| >= 0.5: p = 4/6.
    result = regression.permutation_pvalue(np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.0, 1.0]))
    assert result.p_value == pytest.approx(4 / 6, abs=1e-15)


def _exact_rational_p(x_text, y_text):
    """The two-sided permutation p-value in exact rational arithmetic (no floating-point ties)."""
    x = [Fraction(v) for v in x_text]
    y = [Fraction(v) for v in y_text]
    mean = sum(x) / len(x)
    xc = [v - mean for v in x]
    observed = abs(sum(a * b for a, b in zip(xc, y)))
    orderings = list(itertools.permutations(y))
    hits = sum(abs(sum(a * b for a, b in zip(xc, order))) >= observed for order in orderings)
    return Fraction(hits, len(orderings))


@pytest.mark.parametrize(
    "y_text",
    [
        ("0.1", "0.7", "0.2", "0.3", "0.6"),  # a naive float >= misses 2 of the 64 tied orderings here
        ("0.1", "0.2", "0.3", "0.4", "0.5"),
        ("3", "1", "4", "1", "5"),
    ],
)
def test_permutation_ties_match_exact_rational_arithmetic(y_text):
    x_text = ("1", "2", "3", "4", "5")
    expected = _exact_rational_p(x_text, y_text)
    result = regression.permutation_pvalue(np.array(x_text, dtype=float), np.array(y_text, dtype=float))
    assert Fraction(result.p_value).limit_denominator(120) == expected


def test_permutation_matches_brute_force_loop_for_n7():
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=7), rng.normal(size=7)
    observed = abs(np.polyfit(x, y, 1)[0])
    slopes = np.array([np.polyfit(x, y[list(order)], 1)[0] for order in itertools.permutations(range(7))])
    expected = np.mean((np.abs(slopes) > observed) | np.isclose(np.abs(slopes), observed, rtol=1e-9))
    result = regression.permutation_pvalue(x, y)
    assert result.exact and result.orderings == 5040
    assert result.p_value == pytest.approx(expected, abs=1e-12)


def test_permutation_monte_carlo_above_nine_is_seeded():
    x = np.arange(10.0)
    first = regression.permutation_pvalue(x, x**2, draws=999, seed=3)
    again = regression.permutation_pvalue(x, x**2, draws=999, seed=3)
    assert not first.exact and first.orderings == 999 and first.seed == 3
    assert first == again
    # y = x^2 is nearly linear in x: almost no random ordering reaches |r| = 0.96, so p = (1 + 0) / (1 + 999)
    assert first.p_value == pytest.approx(1 / 1000)


def test_permutation_monte_carlo_agrees_with_exact_for_n8():
    rng = np.random.default_rng(11)
    x, y = rng.normal(size=8), rng.normal(size=8)
    exact = regression.permutation_pvalue(x, y)
    sampled = regression.permutation_pvalue(x, y, exact_max_n=0, draws=20_000, seed=5)
    assert exact.exact and not sampled.exact
    standard_error = np.sqrt(exact.p_value * (1 - exact.p_value) / 20_000)
    assert abs(sampled.p_value - exact.p_value) < 5 * standard_error


# --- Bootstrap ----------------------------------------------------------------------------------


def test_bootstrap_matches_a_loop_over_the_same_resamples():
    data = regression.cross_section(SYNTHETIC, "x", "y")
    result = regression.bootstrap_slope(data.x, data.y, draws=300, seed=42, level=0.9)
    rows = np.random.default_rng(42).integers(0, data.n, size=(300, data.n))
    slopes = [np.polyfit(data.x[r], data.y[r], 1)[0] for r in rows if np.ptp(data.x[r]) > 0]
    low, high = np.quantile(slopes, [0.05, 0.95])
    np.testing.assert_allclose([result.low, result.high], [low, high], **TOL)
    assert result.valid_draws == len(slopes)


def test_bootstrap_is_reproducible_and_seed_dependent():
    data = regression.cross_section(SYNTHETIC, "x", "y")
    first = regression.bootstrap_slope(data.x, data.y, draws=500, seed=1)
    assert first == regression.bootstrap_slope(data.x, data.y, draws=500, seed=1)
    assert first != regression.bootstrap_slope(data.x, data.y, draws=500, seed=2)


def test_bootstrap_counts_resamples_with_constant_regressor():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 1.0, 5.0])
    result = regression.bootstrap_slope(x, y, draws=2000, seed=9)
    rows = np.random.default_rng(9).integers(0, 3, size=(2000, 3))
    constant = sum(len(set(r)) == 1 for r in rows)  # each such resample has probability 3/27
    assert result.valid_draws == 2000 - constant
    assert 0 < constant < 2000


# --- Leave one out and Cook's distance ----------------------------------------------------------


@pytest.mark.parametrize("model_id", ["M1", "M2", "M6"])
def test_leave_one_out_matches_refits_by_hand(catalogue_fits, model_id):
    analysis = catalogue_fits[model_id].analysis
    table = analysis.leave_one_out
    x, y = analysis.data.x, analysis.data.y
    full = closed_form(x, y)
    assert list(table["iso3"]) == list(analysis.data.codes)
    for i in range(analysis.data.n):
        keep = np.arange(analysis.data.n) != i
        refit = closed_form(x[keep], y[keep])
        row = table.iloc[i]
        np.testing.assert_allclose(row["coef"], refit["coef"], **TOL)
        np.testing.assert_allclose(row["se"], refit["se"], **TOL)
        np.testing.assert_allclose(row["p_classical"], refit["p_classical"], **TOL)
        np.testing.assert_allclose(row["coef_change"], refit["coef"] - full["coef"], **TOL)
        assert row["sign_flip"] == (np.sign(refit["coef"]) != np.sign(full["coef"]))
        assert row["n"] == analysis.data.n - 1


@pytest.mark.parametrize("model_id", ["M1", "M5", "M6"])
def test_cooks_distance_matches_textbook_formula(catalogue_fits, model_id):
    analysis = catalogue_fits[model_id].analysis
    full = closed_form(analysis.data.x, analysis.data.y)
    e, h, s2, p = full["residuals"], full["leverage"], full["s2"], 2
    cooks = e**2 / (p * s2) * h / (1 - h) ** 2
    np.testing.assert_allclose(analysis.leave_one_out["cooks_distance"], cooks, **TOL)
    np.testing.assert_allclose(analysis.leave_one_out["leverage"], h, **TOL)


# --- The catalogue's data -------------------------------------------------------------------


def test_catalogue_ids_are_stable():
    assert catalogue.model_ids() == ["M1", "M2", "M3", "M4", "M5", "M6"]
    for spec in catalogue.CATALOGUE:
        assert "~" in spec.formula


def test_catalogue_data_come_from_the_tables():
    shares = paper.table3_shares().set_index("iso3")
    levels = paper.table3_levels().set_index("iso3")
    living = paper.table1().set_index("iso3")

    def column(frame, name, codes):
        return frame.loc[list(codes), name].to_numpy(dtype=float, na_value=np.nan)

    m1 = catalogue.model_data("M1")
    np.testing.assert_allclose(m1.y, column(shares, "remittances_estimate_pct_gdp", m1.codes))
    np.testing.assert_allclose(m1.x, np.log(column(living, "gdp_per_capita_usd", m1.codes)))
    assert set(m1.codes) == set(levels.index)

    m3 = catalogue.model_data("M3")
    np.testing.assert_allclose(
        m3.y, 100 * column(levels, "remittances_estimate_musd", m3.codes) / column(levels, "gdp_2003_musd", m3.codes)
    )
    m4 = catalogue.model_data("M4")
    np.testing.assert_allclose(
        m4.y, 100 * column(levels, "remittances_bop_2003_musd", m4.codes) / column(levels, "gdp_2003_musd", m4.codes)
    )
    m5 = catalogue.model_data("M5")
    np.testing.assert_allclose(m5.y, np.log(column(levels, "remittances_estimate_musd", m5.codes)))
    np.testing.assert_allclose(m5.x, np.log(column(levels, "gdp_2003_musd", m5.codes)))

    no_bop = tuple(levels.index[levels["remittances_bop_2003_musd"].isna()])
    m2 = catalogue.model_data("M2")
    assert m2.missing == no_bop and m2.n == len(levels) - len(no_bop)
    np.testing.assert_allclose(m2.y, column(shares, "remittances_bop_2003_pct_gdp", m2.codes))

    m6 = catalogue.model_data("M6")
    assert m6.n == len(living)
    np.testing.assert_allclose(m6.y, column(living, "poverty_below_2usd_day_pct", m6.codes))


def test_exclusion_drops_the_country_and_records_it():
    full = catalogue.model_data("M1")
    fewer = catalogue.fit("M1", exclude=["ARM"], boot_draws=50).analysis
    assert "ARM" not in fewer.data.codes and fewer.data.excluded == ("ARM",)
    assert fewer.data.n == full.n - 1
    keep = np.array([code != "ARM" for code in full.codes])
    np.testing.assert_allclose(fewer.ols.coef, closed_form(full.x[keep], full.y[keep])["coef"], **TOL)


# --- Bad input ------------------------------------------------------------------------------


def test_unknown_country_code():
    with pytest.raises(ParameterError, match=r"unknown country code.*'XYZ'.*ISO 3166"):
        catalogue.fit("M1", exclude=["XYZ"])


def test_country_outside_the_models_data_is_unknown():
    # Belarus is in Table 1 but not in Table 3.
    with pytest.raises(ParameterError, match=r"unknown country code.*'BLR'"):
        catalogue.model_data("M1", exclude=["BLR"])


def test_lower_case_code_is_not_guessed():
    with pytest.raises(ParameterError, match=r"unknown country code.*'arm'.*upper-case"):
        catalogue.model_data("M1", exclude=["arm"])


def test_exclude_as_a_bare_string():
    with pytest.raises(ParameterError, match=r"exclude must be a list of ISO3 codes.*\['ARM'\]"):
        catalogue.model_data("M1", exclude="ARM")


def test_fewer_than_three_observations():
    with pytest.raises(ParameterError, match=r"at least 3 countries.*n=2"):
        catalogue.model_data("M1", exclude=["ARM", "AZE", "GEO", "KGZ", "MDA"])


def test_constant_regressor():
    with pytest.raises(ParameterError, match=r"regressor 'x' is constant.*not identified"):
        regression.cross_section(frame_of([2.0, 2.0, 2.0, 2.0], [1.0, 3.0, 2.0, 5.0]), "x", "y")


def test_constant_outcome():
    with pytest.raises(ParameterError, match=r"outcome 'y' is constant"):
        regression.cross_section(frame_of([1.0, 2.0, 3.0], [4.0, 4.0, 4.0]), "x", "y")


def test_infinite_values():
    with pytest.raises(ParameterError, match=r"infinite for \['C01'\].*log of zero"):
        regression.cross_section(frame_of([1.0, -np.inf, 3.0, 4.0], [1.0, 2.0, 3.0, 5.0]), "x", "y")


def test_unknown_column_and_model_id():
    with pytest.raises(ParameterError, match=r"column 'z' is not in the model's data"):
        regression.cross_section(SYNTHETIC, "z", "y")
    with pytest.raises(ParameterError, match=r"model_id 'M99' is not in the catalogue.*M1"):
        catalogue.fit("M99")


def test_bad_draws_alpha_and_small_leave_one_out():
    data = regression.cross_section(SYNTHETIC, "x", "y")
    with pytest.raises(ParameterError, match=r"draws must be a positive integer, got 0"):
        regression.bootstrap_slope(data.x, data.y, draws=0)
    with pytest.raises(ParameterError, match=r"alpha must lie strictly between 0 and 1, got 5"):
        regression.ols(data, alpha=5)
    three = regression.cross_section(frame_of([1.0, 2.0, 3.0], [1.0, 3.0, 2.0]), "x", "y")
    with pytest.raises(ParameterError, match=r"leave_one_out needs n >= 4.*n=3"):
        regression.leave_one_out(three)
    assert regression.analyse(three, boot_draws=20).leave_one_out is None


# --- Leave-one-out figure -------------------------------------------------------------------


def test_leave_one_out_figure_plots_each_refit(catalogue_fits):
    import io

    import matplotlib.pyplot as plt

    from analysis.figures.model_plots import plot_leave_one_out

    analysis = catalogue_fits["M1"].analysis

    def png(figure):
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
        plt.close(figure)
        return buffer.getvalue()

    figure = plot_leave_one_out(analysis, title="M1")
    left = figure.axes[0]
    plotted = left.collections[0].get_offsets()[:, 0]  # the first scatter holds every refit
    np.testing.assert_allclose(sorted(plotted), sorted(analysis.leave_one_out["coef"]), **TOL)
    assert png(figure) == png(plot_leave_one_out(analysis, title="M1"))
    three = regression.analyse(
        regression.cross_section(frame_of([1.0, 2.0, 3.0], [1.0, 3.0, 2.0]), "x", "y"), boot_draws=20
    )
    with pytest.raises(ParameterError, match=r"needs leave-one-out estimates.*n=3"):
        plot_leave_one_out(three)
