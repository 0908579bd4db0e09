"""analysis.figures.audit_plots: what each figure draws, checked against the frame it was given."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from analysis import figures
from analysis.audit import hedged_numbers
from analysis.errors import DataValidationError
from analysis.figures import audit_plots
from helpers.hedged_frames import hedged_frame


@pytest.fixture(autouse=True)
def theme():
    figures.set_theme()
    yield
    plt.close("all")


def test_hedged_ranges_reach_the_capped_end_and_mark_the_open_interval():
    out = hedged_numbers.as_intervals(hedged_frame(), "low", "high", open_cap=2)
    figure = audit_plots.plot_hedged_ranges(out, "label", xlabel="million")
    axis = figure.axes[0]
    assert [t.get_text() for t in axis.get_yticklabels()] == ["total", "Kazakhstan", "Ukraine", "transit"]
    assert axis.get_xlim()[1] >= 15.0
    arrows = [a for a in axis.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == 1  # only the 'over' figure ends in an arrow
    legend = [t.get_text() for t in axis.get_legend().get_texts()]
    assert len(legend) == 4


def test_hedged_ranges_refuse_a_kind_they_cannot_draw():
    out = hedged_numbers.as_intervals(hedged_frame(), "low", "high")
    out["kind"] = ["range", "up to", "about", "roughly"]
    with pytest.raises(DataValidationError, match=r"kind\(s\) \['roughly'\] cannot be drawn"):
        audit_plots.plot_hedged_ranges(out, "label", xlabel="million")


def test_table2_shares_draw_each_band_and_midpoint():
    frame = pd.DataFrame(
        {
            "country": ["Armenia", "Moldova"],
            "share_low": [72.2, 50.0],
            "share_high": [81.25, 50.0],
            "share_mid": [76.5, 50.0],
            "band_low": [70.0, 40.0],
            "band_high": [90.0, 60.0],
        }
    )
    figure = audit_plots.plot_table2_shares(frame, point="share_mid")
    axis = figure.axes[0]
    assert [t.get_text() for t in axis.get_yticklabels()] == ["Armenia", "Moldova"]
    bands = sorted(
        (patch.get_x(), patch.get_width())
        for patch in axis.patches
        if isinstance(patch, Rectangle) and patch.get_alpha() == 0.25
    )
    assert bands == [(40.0, 20.0), (70.0, 20.0)]  # 70-90 and 40-60, each as wide as its band
    dots = [line.get_xdata()[0] for line in axis.lines if line.get_marker() == "o"]
    assert dots == [76.5, 50.0]
    assert axis.get_xlim() == (0.0, 105.0)
    assert "dots: midpoints" in axis.get_title()
