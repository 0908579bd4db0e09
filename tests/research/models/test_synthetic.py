"""S1 (pysyncon with an exact inner solver) against toy cases whose answer is known in closed form."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.models import synthetic

YEARS = list(range(2000, 2016))
PRE, POST = tuple(range(2000, 2012)), tuple(range(2012, 2016))
TRUE_WEIGHTS = {"A": 0.5, "B": 0.3, "C": 0.2}


def donors_table(seed: int = 1, donors: str = "ABCDE") -> pd.DataFrame:
    """Random walks for five donors over 16 years: more pre-treatment years (12) than donors, so a convex
    combination of them is matched by one weight vector only."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        rng.normal(size=(len(YEARS), len(donors))).cumsum(axis=0) + 10, index=YEARS, columns=list(donors)
    )


def with_treated(table: pd.DataFrame, effect: float = 0.0) -> pd.DataFrame:
    table = table.copy()
    table["T"] = sum(weight * table[donor] for donor, weight in TRUE_WEIGHTS.items())
    table.loc[list(POST), "T"] += effect
    return table


def test_an_exact_convex_combination_is_recovered_with_zero_pre_treatment_error():
    table = with_treated(donors_table(), effect=2.0)
    fit = synthetic.fit(table, "T", list("ABCDE"), PRE, POST)
    expected = pd.Series({**TRUE_WEIGHTS, "D": 0.0, "E": 0.0})
    assert fit.weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert (fit.weights >= 0).all()
    np.testing.assert_allclose(fit.weights[expected.index].to_numpy(), expected.to_numpy(), atol=1e-6)
    assert fit.pre_rmspe == pytest.approx(0.0, abs=1e-6)
    assert fit.post_effect == pytest.approx(2.0, abs=1e-6)
    assert fit.post_rmspe == pytest.approx(2.0, abs=1e-6)


def test_a_treated_unit_outside_the_donors_hull_is_matched_by_its_nearest_donor():
    table = donors_table()
    table["T"] = table["A"] + 100.0  # far above every donor: the best convex combination is the highest donor
    fit = synthetic.fit(table, "T", list("ABCDE"), PRE, POST)
    highest = table[list("ABCDE")].loc[list(PRE)].mean().idxmax()
    assert fit.weights.idxmax() == highest
    assert fit.pre_rmspe > 50


def test_the_exact_solver_is_at_least_as_good_as_pysyncons_own():
    from pysyncon import Synth as LibrarySynth

    table = donors_table(seed=7, donors="ABCDEFGH")
    table["T"] = 0.6 * table["B"] + 0.4 * table["G"] + np.random.default_rng(2).normal(0, 0.5, len(YEARS))
    before = table.loc[list(PRE)]
    donors = list("ABCDEFGH")
    ours, theirs = synthetic.synth_class()(), LibrarySynth()
    for model in (ours, theirs):
        model.fit(X0=before[donors], X1=before["T"], Z0=before[donors], Z1=before["T"], custom_V=np.ones(len(PRE)))
    assert ours.loss_W <= theirs.loss_W + 1e-6
    np.testing.assert_allclose(ours.W, theirs.W, atol=1e-3)


def test_placebo_p_is_the_hand_rank_of_the_rmspe_ratio():
    table = with_treated(donors_table(), effect=5.0)
    donors = list("ABCDE")
    main = synthetic.fit(table, "T", donors, PRE, POST)
    placebos = synthetic.placebos_in_space(table, donors, PRE, POST)
    assert set(placebos) == set(donors)
    assert all(set(fit.weights.index) == set(donors) - {name} for name, fit in placebos.items())
    ratios = {name: fit.ratio for name, fit in placebos.items()}
    at_least = sum(ratio >= main.ratio for ratio in ratios.values())
    assert synthetic.placebo_p(main, placebos) == pytest.approx((1 + at_least) / (1 + len(donors)))
    # The treated unit's pre-treatment fit is exact, so its ratio is infinite and nothing matches it.
    assert synthetic.placebo_p(main, placebos) == pytest.approx(1 / 6)


def test_leave_one_out_refits_without_each_weighted_donor():
    table = with_treated(donors_table())
    main = synthetic.fit(table, "T", list("ABCDE"), PRE, POST)
    refits = synthetic.leave_one_out(table, main, list("ABCDE"))
    assert set(refits) == set(TRUE_WEIGHTS)
    assert all(dropped not in fit.weights.index for dropped, fit in refits.items())
    assert all(fit.pre_rmspe > 1e-3 for fit in refits.values())  # no exact match without a true donor


def test_bad_windows_and_pools_are_refused():
    table = with_treated(donors_table())
    table.loc[2003, "D"] = np.nan
    with pytest.raises(ParameterError, match=r"units \['D'\] have missing outcomes"):
        synthetic.fit(table, "T", list("ABCDE"), PRE, POST)
    with pytest.raises(ParameterError, match="at least 2 donors"):
        synthetic.fit(table, "T", ["A"], PRE, POST)
    with pytest.raises(ParameterError, match="need start < treatment year <= end"):
        synthetic.split_years(2010, 2010, 2015)
    assert synthetic.split_years(2005, 2015, 2017) == (tuple(range(2005, 2015)), (2015, 2016, 2017))
