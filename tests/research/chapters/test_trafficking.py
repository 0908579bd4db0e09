"""Chapter 3: problems and measures, and the irregular-migrant estimates as intervals."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from analysis.chapters import trafficking


def test_link_matrix_follows_the_addresses_column():
    matrix = trafficking.link_matrix()
    assert list(matrix.index) == [f"P{i}" for i in range(1, 7)]
    assert list(matrix.columns) == [f"M{i}" for i in range(1, 9)]
    # M1-M3 (Sadovskaya 2002) address all six problems; M4-M8 only P1 and P2
    expected = np.zeros((6, 8), dtype=bool)
    expected[:, :3] = True
    expected[:2, 3:] = True
    np.testing.assert_array_equal(matrix.to_numpy(), expected)
    # all three of M1-M3 address every problem; P3-P6 are addressed by M1-M3 only
    assert trafficking.matrix_numbers(matrix) == {"n-problems": 6, "n-measures": 8, "n-all": 3, "n-state-harms": 4}


def test_measures_table_lists_every_problem_and_measure_with_its_source():
    table = trafficking.measures_markdown()
    rows = table.strip().split("\n")[2:]
    assert [row.split(" | ")[0].strip("| ") for row in rows] == [f"P{i}" for i in range(1, 7)] + [
        f"M{i}" for i in range(1, 9)
    ]
    assert "| P1, P2, P3, P4, P5, P6 |" in rows[6] and "{cite}`sadovskaya2002`" in rows[6]
    assert "| P1, P2 |" in rows[-1] and "{cite}`vitkovskaya2002`" in rows[-1]


def test_irregular_intervals_by_hand():
    intervals = trafficking.irregular_intervals().set_index("label")
    assert tuple(intervals.loc["CIS region: irregular migrants", ["draw_low", "draw_high"]]) == (5, 15)
    assert tuple(intervals.loc["Kazakhstan: seasonal workers", ["draw_low", "draw_high"]]) == (0, 1)
    ukraine = intervals.loc["Ukraine: illegal transit migrants"]
    assert (ukraine["draw_low"], ukraine["draw_high"]) == (pytest.approx(0.15), pytest.approx(0.25))
    russia = intervals.loc["Russia, implied ('most part of them')"]
    assert (russia["draw_low"], russia["draw_high"], russia["kind"]) == (2.5, 15, "implied")
    # 5 to 15 million: the ceiling is 3 times the floor; "most part" of at least 5 million: over 2.5 million
    assert trafficking.irregular_numbers() == pytest.approx(
        {"total-ratio": 15 / 5, "ukraine-low": 0.15, "ukraine-high": 0.25, "russia-floor": 5 / 2}
    )


def test_without_the_total_only_the_printed_country_figures_remain():
    intervals = trafficking.irregular_intervals(include_total=False, about_multiple=2)
    assert intervals["label"].tolist() == ["Kazakhstan: seasonal workers", "Ukraine: illegal transit migrants"]
    assert intervals["draw_high"].iloc[1] == pytest.approx(0.3)
    # the numbers quoted keep the regional total whichever way the figure is drawn
    assert trafficking.irregular_numbers(about_multiple=2)["ukraine-high"] == pytest.approx(0.3)
    assert trafficking.irregular_numbers(about_multiple=2)["russia-floor"] == 2.5


def test_figures_render():
    for figure in (
        trafficking.plot_link_matrix(trafficking.link_matrix()),
        trafficking.plot_ranges(trafficking.irregular_intervals()),
    ):
        assert figure.axes
        plt.close(figure)
    legend = trafficking.plot_link_matrix(trafficking.link_matrix()).axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Sadovskaya 2002", "Mukomel 2005", "Vitkovskaya 2002"]
    plt.close("all")


def test_estimates_table_quotes_each_estimate():
    table = trafficking.estimates_markdown()
    for quote in ("estimated 5 to 15 million", "up to 1 mln.", "about 0.2 mln."):
        assert quote in table
