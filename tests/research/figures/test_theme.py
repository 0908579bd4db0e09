"""analysis.figures.theme: the figure's data as CSV, plain log labels and legibility at the book's width."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from PIL import Image

from analysis import figures
from analysis.errors import DataValidationError
from analysis.figures import theme


@pytest.fixture(autouse=True)
def themed():
    figures.set_theme()
    yield
    plt.close("all")


def test_save_data_writes_the_frame_as_csv_without_index(tmp_path):
    frame = pd.DataFrame({"country": ["Armenia", "Georgia"], "value": [1.5, 2.0]}, index=[7, 9])
    path = figures.save_data(frame, "fig-x", directory=tmp_path)
    assert path == tmp_path / "fig-x.csv"
    assert path.read_text(encoding="utf-8") == "country,value\nArmenia,1.5\nGeorgia,2\n"


@pytest.mark.parametrize("data", [pd.DataFrame(), [1, 2], None])
def test_save_data_refuses_what_is_not_a_table(tmp_path, data):
    with pytest.raises(DataValidationError, match="figure 'fig-x': its data must be a non-empty DataFrame"):
        figures.save_data(data, "fig-x", directory=tmp_path)


def test_log_axis_labels_are_plain_numbers_with_separators():
    figure, axis = plt.subplots()
    axis.plot([1, 10_000], [0.1, 1_000])
    axis.set_xscale("log")
    axis.set_yscale("log")
    figures.plain_log_axis(axis.xaxis)
    figures.plain_log_axis(axis.yaxis)
    figure.canvas.draw()
    x_labels = {text.get_text() for text in axis.get_xticklabels()}
    y_labels = {text.get_text() for text in axis.get_yticklabels()}
    assert {"1", "10", "100", "1,000", "10,000"} <= x_labels
    assert {"0.1", "100", "1,000"} <= y_labels
    assert not any("10^" in label or "$" in label for label in x_labels | y_labels)


def test_unformatted_log_axis_would_use_powers_of_ten():
    # The case the formatter exists for: matplotlib's own labels are mathtext powers.
    figure, axis = plt.subplots()
    axis.plot([1, 10_000], [1, 2])
    axis.set_xscale("log")
    figure.canvas.draw()
    assert any("10^" in text.get_text() for text in axis.get_xticklabels())


def test_shown_text_px_by_hand():
    # 7.2 in at 100 dpi = 720 px: not shrunk, 9 pt = 9 / 72 * 100 = 12.5 px.
    assert theme.shown_text_px(9, 7.2) == pytest.approx(12.5)
    # 14.4 in = 1440 px, shown at 720 px: half size, 8 pt = 8 / 72 * 100 / 2 = 5.56 px, too small.
    assert theme.shown_text_px(8, 14.4) == pytest.approx(5.5556, abs=1e-3)
    assert theme.shown_text_px(8, 14.4) < theme.MIN_TEXT_PX


def test_smallest_text_ignores_hidden_panels_and_empty_labels():
    figure, (shown, hidden) = plt.subplots(1, 2)
    shown.set_title("title", fontsize=12)
    shown.tick_params(labelsize=10)
    shown.set_xlabel("")
    hidden.tick_params(labelsize=4)
    hidden.set_title("hidden", fontsize=3)
    hidden.set_visible(False)
    assert theme.smallest_text_pt(figure) == 10
    hidden.set_visible(True)
    assert theme.smallest_text_pt(figure) == 3


def test_save_records_the_smallest_text_in_the_png(tmp_path):
    figure, axis = plt.subplots(figsize=(4, 3))
    axis.plot([0, 1], [0, 1])
    axis.tick_params(labelsize=7)
    axis.set_title("t", fontsize=15)
    png = figures.save(figure, "fig-x", directory=tmp_path)
    assert Image.open(png).text[theme.SMALLEST_TEXT_KEY] == "7"
    assert (tmp_path / "fig-x.svg").is_file()


def test_dense_marks_are_one_image_in_the_svg_and_sparse_ones_stay_vector(tmp_path):
    import numpy as np

    for points, embedded in ((theme.DENSE_COLLECTION_MARKS + 1, True), (10, False)):
        figure, axis = plt.subplots()
        axis.scatter(np.arange(points), np.arange(points))
        theme.save(figure, f"scatter-{points}", directory=tmp_path)
        plt.close(figure)
        svg = (tmp_path / f"scatter-{points}.svg").read_text(encoding="utf-8")
        assert ("<image" in svg) is embedded
        assert "<text" in svg  # tick labels stay text (svg.fonttype none)


def test_figure_data_keeps_six_significant_digits(tmp_path):
    frame = pd.DataFrame({"x": [1 / 3, 123456.789]})
    theme.save_data(frame, "digits", directory=tmp_path)
    assert (tmp_path / "digits.csv").read_text(encoding="utf-8") == "x\n0.333333\n123457\n"
