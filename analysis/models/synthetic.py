"""Synthetic control (model S1), fitted with pysyncon, with its placebo and leave-one-out checks.

**S1**: the treated economy's outcome is compared with a weighted average of
donor economies (weights >= 0, summing to 1) chosen to track it before
treatment (Abadie, Diamond and Hainmueller 2010). The predictors are the
outcome in every pre-treatment year, each standardised across units by
pysyncon and weighted equally (``custom_V`` = 1), so the weights minimise the
standardised pre-treatment gap.

pysyncon solves the weights with SLSQP and numerical gradients, which takes
0.05-0.2 s per fit; the placebo checks need several hundred fits. :class:`Synth`
keeps pysyncon's data handling, standardisation and loss, and replaces only
that inner solver with an exact one for the same problem: Lawson-Hanson
non-negative least squares, with the sum-to-one constraint imposed as a heavily
weighted extra row and the result renormalised. When several weight vectors
fit equally well (more donors than pre-treatment years and a treated unit
inside the donors' hull), it returns a sparse one (a vertex of the solution set).

Checks, all by refitting S1 itself:

- **placebo in space**: each donor in turn is treated as if treated, with the
  other donors as its pool; the p-value is the rank of the treated unit's ratio
  of post- to pre-treatment RMSPE among all, (1 + donors with a ratio at least
  as large) / (1 + donors) (Abadie, Diamond and Hainmueller 2010, 2015);
- **placebo in time**: the same fit with a fake treatment year before the real one;
- **leave one out**: refits without each donor that has weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.models.fixed_effects import randomization_p

S1 = "S1"
# Weight of the sum-to-one row relative to the largest standardised predictor: the sum
# misses 1 by about (residual / this)^2 before the renormalisation.
_SUM_ROW_WEIGHT = 1e4
WEIGHT_FLOOR = 1e-6  # a donor "has weight" above this (the solver returns exact zeros for the rest)


@lru_cache(maxsize=1)
def synth_class():
    """pysyncon's Synth with the exact inner solver (imported on first use: pysyncon costs about 0.6 s)."""
    from pysyncon import Synth as LibrarySynth
    from scipy.optimize import nnls

    class Synth(LibrarySynth):
        @staticmethod
        def w_optimize(V_mat, X0, X1, qp_method="SLSQP", qp_options=None):
            root = np.sqrt(np.diag(V_mat))
            weighted_donors, weighted_treated = X0 * root[:, None], X1 * root
            row = _SUM_ROW_WEIGHT * max(1.0, float(np.abs(weighted_donors).max()))
            design = np.vstack([weighted_donors, np.full(X0.shape[1], row)])
            target = np.append(weighted_treated, row)
            weights, _ = nnls(design, target, maxiter=50 * X0.shape[1])
            weights = weights / weights.sum()
            quadratic, linear = X0.T @ V_mat @ X0, X1.T @ V_mat @ X0
            return weights, float(0.5 * weights @ quadratic @ weights - linear @ weights)

    return Synth


@dataclass(frozen=True)
class SynthFit:
    treated: str
    weights: pd.Series  # donor -> weight
    actual: pd.Series  # year -> outcome of the treated unit
    synthetic: pd.Series  # year -> outcome of its synthetic control
    pre_years: tuple[int, ...]
    post_years: tuple[int, ...]

    @property
    def gap(self) -> pd.Series:
        return self.actual - self.synthetic

    @property
    def pre_rmspe(self) -> float:
        return float(np.sqrt(np.mean(self.gap.loc[list(self.pre_years)] ** 2)))

    @property
    def post_rmspe(self) -> float:
        return float(np.sqrt(np.mean(self.gap.loc[list(self.post_years)] ** 2)))

    @property
    def ratio(self) -> float:
        """Post- over pre-treatment RMSPE: large when the gap opens only after treatment."""
        return self.post_rmspe / self.pre_rmspe if self.pre_rmspe > 0 else np.inf

    @property
    def post_effect(self) -> float:
        """Mean gap over the post-treatment years."""
        return float(self.gap.loc[list(self.post_years)].mean())


def _window(outcome: pd.DataFrame, units, pre_years, post_years) -> pd.DataFrame:
    """The outcome of ``units`` in the pre- and post-treatment years, refusing gaps."""
    if len(pre_years) < 2 or not post_years:
        raise ParameterError(
            f"S1 needs at least 2 pre-treatment years and 1 later year; got {len(pre_years)} "
            f"and {len(post_years)}. Move the treatment year or the window."
        )
    unknown = [unit for unit in units if unit not in outcome.columns]
    if unknown:
        raise ParameterError(
            f"units {unknown} are not columns of the outcome table; its units are {list(outcome.columns)}."
        )
    years = [*pre_years, *post_years]
    table = outcome.reindex(index=years)[list(units)]
    if table.isna().any().any():
        gaps = table.columns[table.isna().any()].tolist()
        raise ParameterError(
            f"units {gaps} have missing outcomes in {years[0]}-{years[-1]}; S1 needs complete "
            "series. Drop them from the pool or shorten the window."
        )
    return table


def _fit(window: pd.DataFrame, treated: str, donors: list[str], pre_years: tuple, post_years: tuple) -> SynthFit:
    if treated in donors or len(donors) < 2:
        raise ParameterError(
            f"S1 needs at least 2 donors other than the treated unit {treated!r}; got {donors}. Widen the donor pool."
        )
    before = window.iloc[: len(pre_years)]
    model = synth_class()()
    model.fit(
        X0=before[donors], X1=before[treated], Z0=before[donors], Z1=before[treated], custom_V=np.ones(len(pre_years))
    )
    weights = pd.Series(model.W, index=donors, name="weight")
    synthetic = pd.Series(window[donors].to_numpy() @ model.W, index=window.index)
    return SynthFit(treated, weights, window[treated], synthetic, pre_years, post_years)


def fit(outcome: pd.DataFrame, treated: str, donors, pre_years, post_years) -> SynthFit:
    """S1 for one treated unit: ``outcome`` is a year x unit table (columns are ISO3 codes)."""
    donors, pre_years, post_years = list(donors), tuple(pre_years), tuple(post_years)
    return _fit(_window(outcome, [treated, *donors], pre_years, post_years), treated, donors, pre_years, post_years)


def placebos_in_space(outcome: pd.DataFrame, donors, pre_years, post_years) -> dict[str, SynthFit]:
    """S1 refitted with each donor as the treated unit and the other donors as its pool."""
    donors, pre_years, post_years = list(donors), tuple(pre_years), tuple(post_years)
    window = _window(outcome, donors, pre_years, post_years)
    return {
        donor: _fit(window, donor, [other for other in donors if other != donor], pre_years, post_years)
        for donor in donors
    }


def placebo_p(treated: SynthFit, placebos: dict[str, SynthFit]) -> float:
    """(1 + placebos whose RMSPE ratio is at least the treated unit's) / (1 + placebos)."""
    return randomization_p(treated.ratio, np.array([placebo.ratio for placebo in placebos.values()]))


def leave_one_out(outcome: pd.DataFrame, main: SynthFit, donors) -> dict[str, SynthFit]:
    """S1 refitted without each donor whose weight exceeds :data:`WEIGHT_FLOOR`."""
    donors = list(donors)
    weighted = main.weights[main.weights > WEIGHT_FLOOR].index
    return {
        dropped: fit(outcome, main.treated, [d for d in donors if d != dropped], main.pre_years, main.post_years)
        for dropped in weighted
        if len(donors) > 2
    }


def split_years(start: int, treatment_year: int, end: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Pre-treatment years start..treatment_year-1 and post-treatment years treatment_year..end."""
    if not start < treatment_year <= end:
        raise ParameterError(
            f"start={start}, treatment year={treatment_year}, end={end}: need start < treatment year <= end."
        )
    return tuple(range(start, treatment_year)), tuple(range(treatment_year, end + 1))
