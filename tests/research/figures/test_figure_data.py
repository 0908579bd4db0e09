"""The tables behind the figures: eaeu_plots' long tables, checked against the fits' own series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.figures import eaeu_plots
from analysis.models import synthetic


@pytest.fixture
def fits():
    years = list(range(2005, 2012))
    table = pd.DataFrame(
        np.random.default_rng(0).normal(size=(7, 4)).cumsum(axis=0), index=years, columns=["ARM", "A", "B", "C"]
    )
    main = synthetic.fit(table, "ARM", ["A", "B", "C"], years[:5], years[5:])
    placebos = synthetic.placebos_in_space(table, ["A", "B", "C"], years[:5], years[5:])
    return {("ARM", "share", "world"): {"main": main, "placebos": placebos}}


def test_paths_data_holds_every_year_of_actual_and_synthetic(fits):
    data = eaeu_plots.synthetic_paths_data(fits)
    main = fits[("ARM", "share", "world")]["main"]
    assert list(data.columns) == ["treated", "outcome", "donor_pool", "year", "actual", "synthetic"]
    assert data["year"].tolist() == list(range(2005, 2012))
    np.testing.assert_allclose(data["actual"], main.actual.to_numpy())
    np.testing.assert_allclose(data["synthetic"], main.synthetic.to_numpy())
    # The gap the figure of placebos draws is the difference of the two columns.
    np.testing.assert_allclose(data["actual"] - data["synthetic"], main.gap.to_numpy())


def test_gaps_data_holds_the_treated_unit_and_each_placebo(fits):
    data = eaeu_plots.placebo_gaps_data(fits)
    assert sorted(data["unit"].unique()) == ["A", "ARM", "B", "C"]
    assert len(data) == 4 * 7
    assert data.loc[data["unit"] == "ARM", "placebo"].eq(False).all()
    assert data.loc[data["unit"] != "ARM", "placebo"].all()
    placebo_b = fits[("ARM", "share", "world")]["placebos"]["B"]
    np.testing.assert_allclose(data.loc[data["unit"] == "B", "gap"], placebo_b.gap.to_numpy())
