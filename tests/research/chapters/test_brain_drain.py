"""Chapter 4: the UNDP estimate, the IT growth rate and the priorities, and compound-growth arithmetic."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from analysis.chapters import brain_drain
from analysis.errors import ParameterError


def test_the_two_numbers_as_printed():
    assert brain_drain.estimate(brain_drain.UNDP_LOSSES)["value"] == 25  # line 229
    assert brain_drain.estimate(brain_drain.IT_GROWTH)["value"] == 15  # line 256
    assert brain_drain.it_growth_rate() == 15.0
    assert brain_drain.affected_countries() == ["Russian Federation", "Ukraine", "Kazakhstan"]


def test_growth_path_by_hand():
    path = brain_drain.growth_path(15, 3)
    np.testing.assert_allclose(path["index"], [100, 115, 132.25, 152.0875])
    assert path["year"].tolist() == [0, 1, 2, 3]


def test_doubling_time_against_the_path():
    years = brain_drain.doubling_time(15)
    assert 1.15**years == pytest.approx(2)
    assert years == pytest.approx(math.log(2) / math.log(1.15))
    assert brain_drain.doubling_time(100) == pytest.approx(1)


def test_growth_numbers_by_hand():
    numbers = brain_drain.growth_numbers(brain_drain.growth_path(15, 3), 15)
    assert numbers == {
        "it-rate": 15,
        "doubling": pytest.approx(math.log(2) / math.log(1.15)),
        "horizon": 3,
        "index-end": pytest.approx(100 * 1.15 * 1.15 * 1.15),
    }


@pytest.mark.parametrize(
    "call",
    [
        lambda: brain_drain.growth_path(15, 0),
        lambda: brain_drain.growth_path(-100, 5),
        lambda: brain_drain.doubling_time(0),
    ],
)
def test_bad_arguments(call):
    with pytest.raises(ParameterError):
        call()


def test_loss_to_outflow_ratio_by_hand():
    # 25 billion against the 7-8 billion the Federal Migration Service names (line 283)
    assert brain_drain.loss_to_outflow_ratio() == (pytest.approx(25 / 8), pytest.approx(25 / 7))
    assert brain_drain.evidence_numbers() == {
        "loss": 25.0,
        "ratio-low": pytest.approx(25 / 8),
        "ratio-high": pytest.approx(25 / 7),
    }


def test_tables():
    evidence = brain_drain.evidence_markdown()
    assert "{cite}`undp2004`" in evidence and "{cite}`rosstat2006`" in evidence
    assert "Russia, Ukraine, Kazakhstan" in evidence
    priorities = brain_drain.priorities_markdown()
    assert priorities.count("{cite}`ivakhnyuk2006b`") == 4
    assert [row.split(" | ")[0].strip("| ") for row in priorities.strip().split("\n")[2:]] == ["1", "2", "3", "4"]


def test_growth_figure_plots_the_path():
    path = brain_drain.growth_path(15, 10)
    figure = brain_drain.plot_growth_path(path, 15)
    line = figure.axes[0].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), 100 * 1.15 ** np.arange(11))
    plt.close(figure)
