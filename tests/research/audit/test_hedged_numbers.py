"""Hedged figures as intervals: each qualifier against hand-computed bounds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.audit import hedged_numbers
from analysis.errors import DataValidationError, ParameterError
from helpers.hedged_frames import hedged_frame


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("0.2", 0.05),  # one decimal: half of 0.1
        ("4,000", 500.0),  # last non-zero digit is the thousands
        ("300,000", 50_000.0),
        ("111", 0.5),
        ("15", 0.5),
        ("1.50", 0.005),  # a printed trailing decimal zero claims precision
        ("120", 5.0),
    ],
)
def test_rounding_halfwidth_by_hand(printed, expected):
    assert hedged_numbers.rounding_halfwidth(printed) == pytest.approx(expected)


@pytest.mark.parametrize("printed", ["0,2", "about 4,000", "1.000.000", ""])
def test_rounding_halfwidth_refuses_text_that_is_not_a_plain_number(printed):
    with pytest.raises(DataValidationError, match="plain number"):
        hedged_numbers.rounding_halfwidth(printed)


def test_printed_number_finds_the_token_that_equals_the_value():
    assert hedged_numbers.printed_number("about 0.2 mln. illegal", 0.2) == "0.2"
    assert hedged_numbers.printed_number("other Kyrgyz people, about 4,000 in all", 4000) == "4,000"
    assert hedged_numbers.printed_number("from 5 to 15 million", 15) == "15"
    with pytest.raises(DataValidationError, match="no number equal"):
        hedged_numbers.printed_number("about 0.2 mln.", 0.3)


def test_each_qualifier_against_hand_bounds():
    assert hedged_numbers.bounds("range", 5.0, 15.0, "5 to 15 million") == (5.0, 15.0, False)
    assert hedged_numbers.bounds("up to", pd.NA, 1.0, "up to 1 mln.") == (0.0, 1.0, False)
    # "over 300,000" drawn to three times its floor, flagged open
    assert hedged_numbers.bounds("over", 300_000, pd.NA, "over 300,000", open_cap=3) == (300_000, 900_000, True)
    low, high, is_open = hedged_numbers.bounds("about", 0.2, 0.2, "about 0.2 mln.")
    assert (low, high, is_open) == (pytest.approx(0.15), pytest.approx(0.25), False)
    low, high, _ = hedged_numbers.bounds("about", 4000, 4000, "about 4,000 in all", about_multiple=2)
    assert (low, high) == (3000, 5000)
    assert hedged_numbers.bounds("about", 4000, 4000, "about 4,000", about_multiple=0) == (4000, 4000, False)
    assert hedged_numbers.bounds(pd.NA, 111, pd.NA, "111 small scale companies") == (111, 111, False)


def test_about_band_never_goes_below_zero():
    low, high, _ = hedged_numbers.bounds("about", 0.2, 0.2, "about 0.2", about_multiple=10)
    assert low == 0.0 and high == pytest.approx(0.7)


@pytest.mark.parametrize(
    "qualifier, low, high, words",
    [
        ("roughly", 1, 1, "qualifier is unknown"),
        ("range", 15, 5, "low <= high"),
        ("range", 5, pd.NA, "low <= high"),
        ("over", pd.NA, 5, "floor in low"),
        ("over", 300, 600, "floor in low"),
        ("up to", 0.5, 1, "ceiling in high"),
        ("about", 0.2, 0.3, "one number was printed"),
        ("range", -1, 5, "negative"),
    ],
)
def test_inconsistent_rows_are_refused(qualifier, low, high, words):
    with pytest.raises(DataValidationError, match=words):
        hedged_numbers.bounds(qualifier, low, high, "0.2 1 5 15 300 600")


@pytest.mark.parametrize(
    "options, name",
    [
        ({"open_cap": 1.0}, "open_cap"),
        ({"open_cap": float("inf")}, "open_cap"),
        ({"about_multiple": -0.5}, "about_multiple"),
    ],
)
def test_bad_parameters_are_named(options, name):
    with pytest.raises(ParameterError, match=name):
        hedged_numbers.bounds("range", 1, 2, "1-2", **options)


def test_as_intervals_adds_the_drawn_bounds_row_by_row():
    out = hedged_numbers.as_intervals(hedged_frame(), "low", "high", open_cap=2)
    np.testing.assert_allclose(out["draw_low"].to_numpy(dtype=float), [5.0, 0.0, 0.15, 0.3])
    np.testing.assert_allclose(out["draw_high"].to_numpy(dtype=float), [15.0, 1.0, 0.25, 0.6])
    assert out["open_high"].tolist() == [False, False, False, True]
    assert out["kind"].tolist() == ["range", "up to", "about", "over"]
    np.testing.assert_allclose(out["point"].to_numpy(dtype=float), [5.0, 1.0, 0.2, 0.3])


def test_as_intervals_names_missing_columns():
    with pytest.raises(DataValidationError, match="printed_text"):
        hedged_numbers.as_intervals(hedged_frame().drop(columns="printed_text"), "low", "high")


def test_as_intervals_scales_after_reading_the_rounding_in_the_printed_unit():
    frame = hedged_frame().iloc[[2]]  # about 0.2 (million)
    out = hedged_numbers.as_intervals(frame, "low", "high", scale=1e6)
    assert out["draw_low"].iloc[0] == pytest.approx(150_000)
    assert out["draw_high"].iloc[0] == pytest.approx(250_000)
    assert out["point"].iloc[0] == pytest.approx(200_000)
