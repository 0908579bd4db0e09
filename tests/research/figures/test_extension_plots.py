"""analysis.figures.extension_plots: what each figure draws, checked against the frame it was given.

The frames are small and synthetic, so every drawn value is known here; a
figure rendered twice must give the same PNG bytes (nbval compares glued
figures byte for byte).
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.patches import Rectangle

from analysis import figures
from analysis.errors import ParameterError
from analysis.figures import extension_plots


@pytest.fixture(autouse=True)
def theme():
    figures.set_theme()
    yield
    plt.close("all")


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _panels_frame():
    rows = []
    for country, base in (("Alpha", 1.0), ("Beta", 2.0), ("Gamma", 3.0), ("Delta", 4.0), ("Epsilon", 5.0)):
        for year in range(2005, 2011):
            rows.append({"country": country, "year": year, "edition": "E1", "value": base * 1e9 + year})
        rows.append({"country": country, "year": 2021, "edition": "K", "value": base * 1e9})
    return pd.DataFrame(rows)


def test_country_panels_draw_each_country_and_mark_the_shocks():
    frame = _panels_frame()
    figure = extension_plots.plot_country_panels(
        frame, "value", ylabel="US$ billion", shock_years=(2008, 2009), hue="edition", scale=1e9, ncols=2
    )
    visible = [axis for axis in figure.axes if axis.get_visible()]
    assert [axis.get_title() for axis in visible] == ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"]
    assert len(figure.axes) == 6 and not figure.axes[5].get_visible()  # 3 x 2 grid, one left empty
    gamma = visible[2]
    line, point = gamma.get_lines()[:2]
    np.testing.assert_allclose(line.get_xdata(), range(2005, 2011))
    np.testing.assert_allclose(line.get_ydata(), [(3e9 + year) / 1e9 for year in range(2005, 2011)])
    # The one-year series (K) is drawn as a point, not a line.
    assert point.get_linestyle() == "None" and point.get_marker() == "o"
    spans = [patch for patch in gamma.patches if isinstance(patch, Rectangle)]
    assert len(spans) == 2
    assert sorted(round(span.get_x(), 6) for span in spans) == [2007.5, 2008.5]
    labels = [text.get_text() for text in figure.legends[0].get_texts()]
    assert labels == ["E1", "K", "shock years: 2008, 2009"]
    # Year labels under the bottom panel of each column, also where the slot below is empty.
    figure.canvas.draw()
    shown = [any(label.get_visible() and label.get_text() for label in axis.get_xticklabels()) for axis in visible]
    assert shown == [False, False, False, True, True]


def test_country_panels_fixed_scale_and_bad_column():
    frame = _panels_frame()
    figure = extension_plots.plot_country_panels(frame, "value", ylabel="%", hue="edition", ylim=(0, 100))
    assert all(axis.get_ylim() == (0.0, 100.0) for axis in figure.axes if axis.get_visible())
    with pytest.raises(ParameterError, match="'share'"):
        extension_plots.plot_country_panels(frame, "share", ylabel="%")
    with pytest.raises(ParameterError, match="no country"):
        extension_plots.plot_country_panels(frame.iloc[0:0], "value", ylabel="%")


def test_country_panels_are_byte_identical_when_redrawn():
    frame = _panels_frame()
    first = _png(extension_plots.plot_country_panels(frame, "value", ylabel="x", hue="edition", shock_years=(2009,)))
    second = _png(extension_plots.plot_country_panels(frame, "value", ylabel="x", hue="edition", shock_years=(2009,)))
    assert first == second


def test_remittances_lead_bars_are_the_counts():
    counts = pd.DataFrame({"countries": [5, 6, 7], "above_both": [1, 3, 7]}, index=[2003, 2004, 2005])
    figure = extension_plots.plot_remittances_lead(counts, shock_years=(2004,))
    axis = figure.axes[0]
    bars = axis.containers[0]
    assert [bar.get_height() for bar in bars] == [1, 3, 7]
    assert [bar.get_x() + bar.get_width() / 2 for bar in bars] == pytest.approx([2003, 2004, 2005])
    assert axis.get_ylim() == (0.0, 8.0)


def test_heatmaps_write_the_values_in_their_cells():
    table = pd.DataFrame({1990: [6.3, -12.0], 2020: [np.nan, 2.25]}, index=["A", "B"])
    figure = extension_plots.plot_difference_heatmap(table, label="pp")
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert texts == ["6.3", "-12.0", "2.2"]  # seaborn skips the missing cell; .1f rounds 2.25 half to even
    mesh = figure.axes[0].collections[0]
    assert mesh.norm.vcenter == 0 and mesh.norm.vmin == -12.0 and mesh.norm.vmax == 12.0
    shares = pd.DataFrame({"Russia": [73.4, np.nan], "other": [26.6, 100.0]}, index=["A", "B"])
    figure = extension_plots.plot_share_heatmap(shares, label="%")
    assert [text.get_text() for text in figure.axes[0].texts] == ["73", "27", "100"]


def _check_frame():
    frame = pd.DataFrame(
        {
            "country": ["A", "B"],
            "group": ["G", "G"],
            "band_low": [70.0, 40.0],
            "band_high": [90.0, 60.0],
            "table2_low": [72.0, 50.0],
            "table2_high": [81.0, 50.0],
            "undesa_2024_pct": [64.0, 45.0],
            "undesa_2020_pct": [56.0, 40.0],
            "knomad_2021_pct": [53.0, np.nan],
        }
    )
    frame.attrs["reference_year"] = 2005
    return frame


def test_table2_check_places_the_public_shares_on_their_rows():
    figure = extension_plots.plot_table2_check(_check_frame())
    axis = figure.axes[0]
    scatters = [c for c in axis.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 3
    offsets = scatters[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 0], [64.0, 45.0])
    np.testing.assert_allclose(offsets[:, 1], [-0.25, 0.75])  # rows 0 and 1, first source shifted up
    bands = [p for p in axis.patches if isinstance(p, Rectangle) and p.get_alpha() == 0.25]
    assert sorted((b.get_x(), b.get_width()) for b in bands) == [(40.0, 20.0), (70.0, 20.0)]
    labels = [text.get_text() for text in axis.get_legend().get_texts()]
    assert "UN DESA 2024 edition, 2005" in labels and "KNOMAD 2021" in labels


def test_revision_ratios_plot_each_ratio_at_its_country():
    revisions = pd.DataFrame(
        {
            "country": ["A", "B", "A", "B"],
            "paper_column": ["c1", "c1", "c1", "c2"],
            "edition": ["E1", "E1", "E2", "E1"],
            "revision_ratio": [2.0, 0.5, 1.0, np.nan],
        }
    )
    figure = extension_plots.plot_revision_ratios(revisions, {"c1": "first"}, {"E1": "edition one"})
    first, second = figure.axes
    assert first.get_title() == "first" and second.get_title() == "c2"
    scatters = [c for c in first.collections if isinstance(c, PathCollection)]
    e1 = scatters[0].get_offsets()
    np.testing.assert_allclose(e1[:, 0], [2.0, 0.5])
    np.testing.assert_allclose(e1[:, 1], [-0.2, 0.8])
    assert first.get_xscale() == "log"
    assert [line.get_xdata()[0] for line in first.get_lines()] == [1.0]
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["edition one", "E2"]


def test_slope_over_time_draws_estimated_years_only():
    p2 = pd.DataFrame(
        {
            "year": [2001, 2002, 2003],
            "status": ["not estimated: n=2", "estimated", "estimated"],
            "n": [2, 6, 7],
            "coef": [np.nan, -2.0, -5.0],
            "ci_low": [np.nan, -9.0, -8.0],
            "ci_high": [np.nan, 4.0, -1.0],
            "ci_level": [np.nan, 0.95, 0.95],
        }
    )
    figure = extension_plots.plot_slope_over_time(p2, paper_year=2003)
    axis = figure.axes[0]
    slope = [line for line in axis.get_lines() if line.get_label() == "slope"][0]
    np.testing.assert_allclose(slope.get_xdata(), [2002, 2003])
    np.testing.assert_allclose(slope.get_ydata(), [-2.0, -5.0])
    band = [c for c in axis.collections if isinstance(c, PolyCollection)][0]
    vertices = band.get_paths()[0].vertices
    assert vertices[:, 1].min() == -9.0 and vertices[:, 1].max() == 4.0
    assert [t.get_text() for t in axis.texts if t.get_text().isdigit()] == ["6", "7"]
    with pytest.raises(ParameterError, match="no year"):
        extension_plots.plot_slope_over_time(p2.iloc[[0]])


def test_slope_over_time_draws_the_comparison_dashed_and_labels_both():
    p2 = pd.DataFrame(
        {
            "year": [2002, 2003, 2004],
            "status": ["estimated"] * 3,
            "n": [6, 6, 7],
            "coef": [1.0, 0.5, -2.0],
            "ci_low": [-5.0, -6.0, -4.0],
            "ci_high": [7.0, 7.0, -0.5],
            "ci_level": [0.95] * 3,
        }
    )
    other = p2.assign(coef=[-1.0, -0.5, -2.5], status=["not estimated: n=2", "estimated", "estimated"])
    figure = extension_plots.plot_slope_over_time(
        p2, paper_year=2003, label="slope, population A", comparison=other, comparison_label="slope, population B"
    )
    axis = figure.axes[0]
    dashed = [line for line in axis.get_lines() if line.get_label() == "slope, population B"][0]
    assert dashed.get_linestyle() == "--"
    np.testing.assert_allclose(dashed.get_xdata(), [2003, 2004])  # only the years it estimates
    np.testing.assert_allclose(dashed.get_ydata(), [-0.5, -2.5])
    assert [t.get_text() for t in figure.legends[0].get_texts()] == [
        "slope, population A",
        "95% interval",
        "slope, population B",
    ]
    assert _png(figure) == _png(
        extension_plots.plot_slope_over_time(
            p2, paper_year=2003, label="slope, population A", comparison=other, comparison_label="slope, population B"
        )
    )
