"""P3-P5 and E1 (pyfixest) against the within transformation, the CR1 sandwich and the counts written here."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.errors import ParameterError
from analysis.models import fixed_effects

G, T = 7, 6  # economies, years of the toy panel


def toy_panel(seed: int = 3) -> pd.DataFrame:
    """A balanced panel whose pooled slope differs from its within slope (x and the country effect correlate)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {"iso3": np.repeat([f"C{i}" for i in range(G)], T), "year": np.tile(np.arange(2000, 2000 + T), G)}
    )
    country = np.repeat(np.arange(G, dtype=float), T)
    frame["x"] = rng.normal(size=len(frame)) + country
    frame["y"] = 0.5 * frame["x"] - 2.0 * country + np.tile(rng.normal(size=T), G) + rng.normal(size=len(frame))
    frame["group"] = frame["iso3"].isin(["C1", "C4"])
    return frame


def two_way_demean(values: np.ndarray) -> np.ndarray:
    """Balanced panel, economies in blocks of T years: v - country mean - year mean + grand mean."""
    table = values.reshape(G, T)
    return (table - table.mean(axis=1, keepdims=True) - table.mean(axis=0, keepdims=True) + table.mean()).ravel()


def test_p4_slope_and_cr1_error_are_the_hand_within_transformation():
    frame = toy_panel()
    fit = fixed_effects.panel(frame, "y", ["x"], "country+year")
    x, y = two_way_demean(frame["x"].to_numpy()), two_way_demean(frame["y"].to_numpy())
    slope = x @ y / (x @ x)
    residual = y - slope * x
    meat = sum((x[g * T : (g + 1) * T] @ residual[g * T : (g + 1) * T]) ** 2 for g in range(G))
    n = len(frame)
    # Small-sample factors as in R's fixest: G/(G-1) for the clusters, (N-1)/(N-K) with K the slope and the
    # T year effects; the country effects are nested in the clusters and not counted.
    k = 1 + T
    se = np.sqrt(meat / (x @ x) ** 2 * G / (G - 1) * (n - 1) / (n - k))
    term = fit.terms["x"]
    assert term.coef == pytest.approx(slope, rel=1e-9)
    assert term.se == pytest.approx(se, rel=1e-9)
    assert fit.df_inference == G - 1
    assert term.p == pytest.approx(2 * stats.t.sf(abs(slope / se), G - 1), abs=1e-9)
    pooled = np.polyfit(frame["x"], frame["y"], 1)[0]
    assert abs(term.coef - pooled) > 0.5  # the fixed effects matter in this panel


def test_singleton_economies_are_dropped_and_listed_only_with_country_effects():
    frame = pd.concat(
        [toy_panel(), pd.DataFrame({"iso3": ["ZZ"], "year": [2000], "x": [1.0], "y": [2.0], "group": [False]})],
        ignore_index=True,
    )
    assert fixed_effects.panel(frame, "y", ["x"], "country+year").singletons == ("ZZ",)
    assert fixed_effects.panel(frame, "y", ["x"], "year").singletons == ()
    with pytest.raises(ParameterError, match="fixed_effects='decade'"):
        fixed_effects.panel(frame, "y", ["x"], "decade")


@pytest.mark.parametrize("effects", ["country+year", "country", "none"])
def test_vectorised_interaction_equals_pyfixest(effects):
    frame = toy_panel()
    frame["x_group"] = frame["x"] * frame["group"]
    frame["group_level"] = frame["group"].astype(float)
    terms = ["x", "x_group"] + ([] if effects != "none" else ["group_level"])
    expected = fixed_effects.panel(frame, "y", terms, effects).terms["x_group"].coef
    other = frame["iso3"].isin(["C0", "C2"]).to_numpy()
    groups = np.column_stack([frame["group"].to_numpy(), other])
    found = fixed_effects.interaction_coefficients(frame, "y", "x", groups, effects)
    assert found[0] == pytest.approx(expected, rel=1e-8)
    assert found[1] != pytest.approx(found[0])


def test_randomization_p_is_the_hand_count():
    placebo = np.array([0.5, -2.0, 1.9, 2.0, -0.1, 3.0, 1.0, -1.5, 0.2])
    # |placebo| >= 2.0: -2.0, 2.0 and 3.0 -> (1 + 3) / (1 + 9)
    assert fixed_effects.randomization_p(2.0, placebo) == pytest.approx(4 / 10)
    assert fixed_effects.randomization_p(-2.0, placebo) == pytest.approx(4 / 10)
    assert fixed_effects.randomization_p(5.0, placebo) == pytest.approx(1 / 10)


def test_interaction_randomization_draws_groups_of_the_right_size_and_counts_them():
    frame = toy_panel()
    result = fixed_effects.interaction_randomization(frame, "y", "x", "group", "country+year", draws=99, seed=1)
    assert result["group_size"] == 2 and len(result["placebo"]) == 99
    # With 7 economies there are only 21 groups of 2, so draws repeat the CIS-like group: those ties count.
    hits = np.sum(np.abs(result["placebo"]) >= abs(result["observed"]) - 1e-9)
    assert result["p"] == pytest.approx((1 + hits) / 100)
    with pytest.raises(ParameterError, match="at least 19"):
        fixed_effects.interaction_randomization(frame, "y", "x", "group", draws=5)


def test_did_randomization_enumerates_every_assignment():
    frame = toy_panel()
    frame["after"] = (frame["year"] >= 2003).astype(float)
    treated = ("C1", "C4")
    frame["treated_after"] = frame["iso3"].isin(treated) * frame["after"]
    result = fixed_effects.did_randomization(frame, "y", "after", treated)
    assert result["assignments"] == len(list(combinations(range(G), 2))) == 21
    assert result["observed"] == pytest.approx(
        fixed_effects.panel(frame, "y", ["treated_after"], "country+year").terms["treated_after"].coef, rel=1e-8
    )
    by_hand = []
    for chosen in combinations(sorted(set(frame["iso3"])), 2):
        d = two_way_demean((frame["iso3"].isin(chosen) * frame["after"]).to_numpy(float))
        by_hand.append(d @ two_way_demean(frame["y"].to_numpy()) / (d @ d))
    hits = sum(abs(value) >= abs(result["observed"]) - 1e-12 for value in by_hand)
    assert result["p"] == pytest.approx(hits / 21)


def test_prediction_interval_is_the_closed_form():
    rng = np.random.default_rng(5)
    fitted = pd.DataFrame({"x": rng.normal(size=30)})
    fitted["y"] = 1 + 2 * fitted["x"] + rng.normal(size=30)
    new = pd.DataFrame({"x": [0.0, 2.5], "y": [1.0, 12.0]})
    table = fixed_effects.prediction_intervals(fitted, new, "y", "x")
    x, y = fitted["x"].to_numpy(), fitted["y"].to_numpy()
    n = len(x)
    slope, intercept = np.polyfit(x, y, 1)
    s = np.sqrt(np.sum((y - intercept - slope * x) ** 2) / (n - 2))
    for row, x0 in zip(table.itertuples(), new["x"]):
        half = stats.t.ppf(0.975, n - 2) * s * np.sqrt(1 + 1 / n + (x0 - x.mean()) ** 2 / np.sum((x - x.mean()) ** 2))
        assert row.predicted == pytest.approx(intercept + slope * x0, rel=1e-9)
        assert row.pi_high - row.predicted == pytest.approx(half, rel=1e-6)
        assert row.predicted - row.pi_low == pytest.approx(half, rel=1e-6)
    assert table["residual"].iloc[1] == pytest.approx(12.0 - intercept - slope * 2.5)


def test_yearly_slopes_are_ols_with_hc3_by_year():
    frame = toy_panel()
    table = fixed_effects.yearly_slopes(frame, "y", "x")
    assert list(table["year"]) == list(range(2000, 2000 + T)) and set(table["n"]) == {G}
    for row in table.itertuples():
        part = frame[frame["year"] == row.year]
        x, y = part["x"].to_numpy(), part["y"].to_numpy()
        design = np.column_stack([np.ones_like(x), x])
        bread = np.linalg.inv(design.T @ design)
        beta = bread @ design.T @ y
        residual = y - design @ beta
        leverage = np.einsum("ij,jk,ik->i", design, bread, design)
        hc3 = bread @ (design.T * (residual / (1 - leverage)) ** 2) @ design @ bread
        assert row.coef == pytest.approx(beta[1], rel=1e-9)
        assert row.se_hc3 == pytest.approx(np.sqrt(hc3[1, 1]), rel=1e-9)
        # Results are rounded to fixed_effects.DECIMALS decimals.
        assert row.p_hc3 == pytest.approx(2 * stats.t.sf(abs(beta[1]) / np.sqrt(hc3[1, 1]), G - 2), abs=1e-9)


def test_event_study_needs_the_reference_year_inside_the_window():
    frame = toy_panel()
    frame["event_time"] = np.where(frame["group"], frame["year"] - 2003, np.nan)
    table = fixed_effects.event_study(frame, "y", "group", "event_time", (-3, 2))
    assert list(table["event_time"]) == [-3, -2, 0, 1, 2]
    with pytest.raises(ParameterError, match="reference year -1"):
        fixed_effects.event_study(frame, "y", "group", "event_time", (0, 2))
