"""analysis.figures.remittances_plots: chapter 5's figures draw what Table 3 and the text give."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from analysis import figures
from analysis.chapters import remittances
from analysis.figures import remittances_plots


@pytest.fixture(autouse=True)
def theme():
    figures.set_theme()
    yield
    plt.close("all")


def test_table3_flows_mark_what_is_missing_and_log_the_levels():
    flows = remittances_plots.plot_table3_flows(remittances.table3_long())
    assert len(flows.axes) == 2
    # Uzbekistan's BOP remittances are printed "n.a.": one mark in each panel.
    assert sum(text.get_text() == "n.a." for axis in flows.axes for text in axis.texts) == 2
    assert flows.axes[0].get_yscale() == "log"


def test_recorded_shares_draw_one_bar_per_row_and_the_rest_of_a_range_hatched():
    shares = remittances.recorded_shares()
    figure = remittances_plots.plot_recorded_shares(shares, 33.3)
    axis = figure.axes[0]
    assert [tick.get_text() for tick in axis.get_yticklabels()] == shares["label"].tolist()
    assert len(axis.patches) == len(shares) + 1  # one bar each, plus the hatched part of Russia's range
