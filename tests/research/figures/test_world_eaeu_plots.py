"""analysis.figures.world_plots and eaeu_plots: what each figure draws, on small synthetic inputs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from analysis import figures
from analysis.chapters import world
from analysis.errors import ParameterError
from analysis.figures import eaeu_plots, world_plots
from analysis.models import synthetic


@pytest.fixture(autouse=True)
def theme():
    figures.set_theme()
    yield
    plt.close("all")


def test_ranks_heatmap_frames_each_world_leader():
    ranked = pd.DataFrame(
        {
            "country": ["Tajikistan", "Tajikistan", "Armenia", "Armenia"],
            "year": [2007, 2008] * 2,
            "percentile": [100.0, 99.0, 90.0, 100.0],
            "rank": [1, 2, 10, 1],
        }
    )
    figure = world_plots.plot_world_ranks(ranked)
    frames = [patch for patch in figure.axes[0].patches if isinstance(patch, Rectangle) and not patch.get_fill()]
    assert len(frames) == 2
    with pytest.raises(ParameterError, match="no CIS state"):
        world_plots.plot_world_ranks(ranked.iloc[0:0])


def test_slope_figure_draws_one_series_per_sample():
    slopes = pd.DataFrame(
        {
            "year": [2000, 2001] * 2,
            "coef": [-1.0, -2.0, -5.0, 3.0],
            "ci_low": [-2, -3, -20, -9],
            "ci_high": [0, -1, 10, 15],
            "n": [150, 152, 7, 7],
            "sample": [world.SAMPLE_WORLD] * 2 + [world.SAMPLE_SEVEN] * 2,
        }
    )
    figure = world_plots.plot_yearly_slopes(slopes, xlabel="log GDP per capita")
    labels = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert labels == ["all economies (median n = 151)", "Table 3 countries (median n = 7)"]


def test_synthetic_figures_have_one_panel_per_unit_outcome_and_pool():
    years = list(range(2005, 2012))
    table = pd.DataFrame(
        np.random.default_rng(0).normal(size=(7, 4)).cumsum(axis=0), index=years, columns=["ARM", "A", "B", "C"]
    )
    main = synthetic.fit(table, "ARM", ["A", "B", "C"], years[:5], years[5:])
    placebos = synthetic.placebos_in_space(table, ["A", "B", "C"], years[:5], years[5:])
    fits = {
        ("ARM", outcome, pool): {"main": main, "placebos": placebos}
        for outcome in ("share", "log_usd")
        for pool in ("world", "russia_dependent")
    }
    paths_figure = eaeu_plots.plot_synthetic_paths(fits, treatment_year=2010)
    assert len(paths_figure.axes) == 4
    gaps_figure = eaeu_plots.plot_placebo_gaps(fits, treatment_year=2010)
    for axis in gaps_figure.axes:
        assert len(axis.get_lines()) == 1 + 2  # the member's gap, the zero line and the treatment year
        assert [len(collection.get_segments()) for collection in axis.collections] == [3]  # one per placebo
    with pytest.raises(ParameterError, match="no fit to draw"):
        eaeu_plots.plot_synthetic_paths({}, treatment_year=2010)
