"""analysis.figures: the generic kinds draw what their frame holds, and ``save`` writes the same bytes twice."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis import figures


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _segments(axis) -> list[tuple[float, float, float]]:
    """(y, x start, x end) of each thick range line, in drawing order."""
    return [(line.get_ydata()[0], *line.get_xdata()) for line in axis.get_lines() if line.get_linewidth() == 5]


def test_intervals_draw_a_range_a_point_and_nothing_for_a_missing_row():
    frame = pd.DataFrame({"name": ["A", "B", "C"], "low": [1.0, 2.0, np.nan], "high": [3.0, 2.0, np.nan]})
    axis = figures.plot_intervals(frame, "low", "high", "name", xlabel="x").axes[0]
    assert _segments(axis) == [(0, 1.0, 3.0), (1, 2.0, 2.0)]  # B: low == high, a point; C: nothing
    assert [tick.get_text() for tick in axis.get_yticklabels()] == ["A", "B", "C"]
    assert axis.yaxis_inverted() and axis.get_legend() is None


def test_grouped_intervals_sit_side_by_side_with_one_legend_entry_per_group():
    frame = pd.DataFrame({"name": ["A", "A"], "side": ["left", "right"], "low": [1.0, 4.0], "high": [2.0, 5.0]})
    axis = figures.plot_intervals(frame, "low", "high", "name", group="side", xlabel="x").axes[0]
    # two groups: offsets -0.125 and +0.125 around the row's position 0
    assert _segments(axis) == [(-0.125, 1.0, 2.0), (0.125, 4.0, 5.0)]
    assert [text.get_text() for text in axis.get_legend().get_texts()] == ["left", "right"]


def test_labelled_scatter_names_every_point():
    frame = pd.DataFrame({"name": ["A", "B"], "x": [100.0, 1000.0], "y": [5.0, 7.0]})
    axis = figures.plot_labelled_scatter(frame, "x", "y", "name", xlabel="x", ylabel="y", logx=True).axes[0]
    assert [(text.get_text(), text.xy) for text in axis.texts] == [("A", (100.0, 5.0)), ("B", (1000.0, 7.0))]
    assert axis.get_xscale() == "log"


def test_save_writes_the_same_bytes_twice(tmp_path):
    figures.set_theme()
    frame = pd.DataFrame({"name": ["A"], "low": [1.0], "high": [2.0]})
    first = figures.save(figures.plot_intervals(frame, "low", "high", "name", xlabel="x"), "toy", tmp_path / "a")
    second = figures.save(figures.plot_intervals(frame, "low", "high", "name", xlabel="x"), "toy", tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    assert (tmp_path / "a" / "toy.svg").read_bytes() == (tmp_path / "b" / "toy.svg").read_bytes()
