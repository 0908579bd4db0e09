"""Regressions with fixed effects, fitted with pyfixest: the world panel and the EAEU event study.

- **P3**: remittances as % of GDP ~ log GDP per capita, one cross-section of all
  economies per year; HC3 standard errors, t with n - 2 degrees of freedom.
- **P4**: the same relation in the panel of economies and years, with fixed
  effects (by default country and year); standard errors clustered by
  economy (CR1), t with G - 1 degrees of freedom for G economies.
- **P5**: P4 plus log GDP per capita x membership of a group (the CIS), and the
  group's own level when there are no country effects. The group is a handful of
  clusters among many, where clustered standard errors are unreliable, so the
  interaction also gets a randomization p-value: the share of random groups of
  the same number of economies whose interaction is at least as large in
  absolute value (:func:`interaction_randomization`).
- **E1**: an event study, outcome ~ treated x year relative to treatment
  (the year before omitted) + country and year effects, clustered by country
  (:func:`event_study`).

"log" is the natural logarithm. pyfixest is imported on first use (about a second).
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import ParameterError

P3, P4, P5, E1 = "P3", "P4", "P5", "E1"
# Parameter value -> the fixed effects of a pyfixest formula.
FIXED_EFFECTS = {"country+year": ("iso3", "year"), "country": ("iso3",), "year": ("year",), "none": ()}
CLUSTER = "iso3"
REFERENCE_EVENT_TIME = -1  # the year before treatment: every event-time coefficient is relative to it


def _pyfixest():
    import pyfixest

    return pyfixest


def _demeaner():
    return _pyfixest().estimation.MapDemeaner(fixef_tol=FIXEF_TOL)


@contextmanager
def _quiet():
    """Silence pandas 3's deprecation notices raised inside pyfixest 0.60 (its own use of inplace=), which
    would otherwise print in every notebook; every other warning still shows."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=pd.errors.Pandas4Warning, module=r"pyfixest\.")
        yield


def drop_singletons(frame: pd.DataFrame, fixed_effects: str) -> pd.DataFrame:
    """Without the economies observed once when there are country effects: such an economy is fitted exactly
    by its own effect and carries no information. ``attrs['singletons']`` lists them."""
    counts = frame[CLUSTER].value_counts()
    singletons = sorted(counts[counts < 2].index) if "iso3" in fixed_effects_of(fixed_effects) else []
    kept = frame[~frame[CLUSTER].isin(singletons)].reset_index(drop=True)
    kept.attrs.update(frame.attrs, singletons=singletons)
    return kept


def fixed_effects_of(name: str) -> tuple[str, ...]:
    if name not in FIXED_EFFECTS:
        raise ParameterError(f"fixed_effects={name!r} is unknown; choose one of {list(FIXED_EFFECTS)}.")
    return FIXED_EFFECTS[name]


def _formula(y: str, terms, fixed_effects: tuple[str, ...]) -> str:
    return f"{y} ~ {' + '.join(terms)}" + (f" | {' + '.join(fixed_effects)}" if fixed_effects else "")


def _check_columns(frame: pd.DataFrame, columns) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ParameterError(f"columns {missing} are not in the frame; its columns are {list(frame.columns)}.")


@dataclass(frozen=True)
class Term:
    """One coefficient with its inference."""

    coef: float
    se: float
    t: float
    p: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class PanelFit:
    terms: dict[str, Term]
    n: int
    n_clusters: int
    df_inference: int
    r2_within: float
    formula: str
    singletons: tuple[str, ...] = ()


# pyfixest demeans by alternating projections on several threads, so its results differ between runs by about
# its convergence tolerance. With the tolerance at FIXEF_TOL and results rounded to DECIMALS they are
# reproducible, which the committed notebook outputs (nbval) and byte-identical results need.
FIXEF_TOL = 1e-12
DECIMALS = 10


def _terms(fit, names) -> dict[str, Term]:
    table = fit.tidy()
    return {
        name: Term(
            *(
                round(float(table.at[name, column]), DECIMALS)
                for column in ("Estimate", "Std. Error", "t value", "Pr(>|t|)", "2.5%", "97.5%")
            )
        )
        for name in names
    }


def panel(frame: pd.DataFrame, y: str, terms, fixed_effects: str = "country+year", alpha: float = 0.05) -> PanelFit:
    """OLS of ``y`` on ``terms`` with the named fixed effects, clustered by economy (CR1, t with G - 1 df)."""
    if alpha != 0.05:
        raise ParameterError("alpha must be 0.05: the intervals are pyfixest's 95 % intervals.")
    effects = fixed_effects_of(fixed_effects)
    _check_columns(frame, [y, *terms, CLUSTER, *effects])
    data = drop_singletons(frame.dropna(subset=[y, *terms]), fixed_effects)
    if data[CLUSTER].nunique() < 2:
        raise ParameterError(f"the panel has {data[CLUSTER].nunique()} economies; clustering needs at least 2.")
    formula = _formula(y, terms, effects)
    with _quiet():
        fit = _pyfixest().feols(formula, data=data, vcov={"CRV1": CLUSTER}, demeaner=_demeaner())
        table = _terms(fit, terms)
    r2_within = round(float(fit._r2_within) if effects else float(fit._r2), DECIMALS)
    return PanelFit(
        terms=table,
        n=int(fit._N),
        n_clusters=int(data[CLUSTER].nunique()),
        df_inference=int(fit._df_t),
        r2_within=r2_within,
        formula=formula,
        singletons=tuple(data.attrs["singletons"]),
    )


def yearly_slopes(frame: pd.DataFrame, y: str, x: str) -> pd.DataFrame:
    """P3: one OLS of ``y`` on ``x`` per year (HC3 standard errors, t with n - 2 df), as tidy rows.

    A year with fewer than 3 economies, or one value of ``x``, has no row.
    """
    _check_columns(frame, [y, x, "year"])
    data = frame.dropna(subset=[y, x])
    enough = data.groupby("year")[x].transform(lambda values: len(values) >= 3 and values.nunique() > 1)
    data = data[enough.astype(bool)].reset_index(drop=True)
    columns = ["year", "n", "coef", "se_hc3", "p_hc3", "ci_low", "ci_high"]
    if data.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    with _quiet():
        # Textbook HC3, as statsmodels and analysis.models.regression give it: pyfixest would otherwise
        # multiply it by n / (n - k) as well.
        pyfixest = _pyfixest()
        fits = pyfixest.feols(f"{y} ~ {x}", data=data, vcov="HC3", split="year", ssc=pyfixest.ssc(k_adj=False))
        models = fits.all_fitted_models.values() if hasattr(fits, "all_fitted_models") else [fits]
        for model in models:
            term = _terms(model, [x])[x]
            rows.append(
                {
                    "year": int(model._sample_split_value),
                    "n": int(model._N),
                    "coef": term.coef,
                    "se_hc3": term.se,
                    "p_hc3": term.p,
                    "ci_low": term.ci_low,
                    "ci_high": term.ci_high,
                }
            )
    return pd.DataFrame(rows, columns=columns).sort_values("year", ignore_index=True)


def prediction_intervals(fitted: pd.DataFrame, new: pd.DataFrame, y: str, x: str, alpha: float = 0.05) -> pd.DataFrame:
    """OLS of ``y`` on ``x`` over ``fitted``; for each row of ``new``, the prediction, the residual and the
    (1 - alpha) prediction interval of a new observation (homoskedastic normal errors, t with n - 2 df)."""
    _check_columns(fitted, [y, x])
    _check_columns(new, [y, x])
    data = fitted.dropna(subset=[y, x])
    with _quiet():
        fit = _pyfixest().feols(f"{y} ~ {x}", data=data, vcov="iid")
        predicted = fit.predict(newdata=new[[x]].reset_index(drop=True), interval="prediction", alpha=alpha)
    out = new.reset_index(drop=True).copy()
    out["predicted"] = predicted["fit"].to_numpy().round(DECIMALS)
    out["pi_low"] = predicted["ci_low"].to_numpy().round(DECIMALS)
    out["pi_high"] = predicted["ci_high"].to_numpy().round(DECIMALS)
    out["residual"] = out[y] - out["predicted"]
    out.attrs["n_fitted"] = len(data)
    return out


def _demeaned(columns: np.ndarray, frame: pd.DataFrame, effects: tuple[str, ...]) -> np.ndarray:
    """Columns with the fixed effects partialled out (pyfixest's alternating projections); centred without any."""
    if not effects:
        return columns - columns.mean(axis=0)
    codes = np.column_stack([pd.factorize(frame[name])[0] for name in effects]).astype(np.uint64)
    demean = _pyfixest().estimation.demean
    result, converged = demean(np.ascontiguousarray(columns, dtype=float), codes, np.ones(len(frame)), tol=FIXEF_TOL)
    if not converged:
        raise ParameterError("the fixed effects did not converge while demeaning; check the panel for gaps.")
    return result


def _first_varying_coefficients(
    data: pd.DataFrame, y: str, shared: list[np.ndarray], varying: list[np.ndarray], effects: tuple[str, ...]
) -> np.ndarray:
    """For each column d, the coefficient of ``varying[0][:, d]`` in the OLS of ``y`` on the ``shared``
    columns and every ``varying[k][:, d]``, after the fixed effects (Frisch-Waugh-Lovell), all at once:
    every variable is demeaned once, then each column's small problem is solved from its cross-products."""
    draws = varying[0].shape[1]
    stacked = _demeaned(np.column_stack([data[y].to_numpy(float), *shared, *varying]), data, effects)
    y_d = stacked[:, 0]
    fixed = [stacked[:, 1 + i] for i in range(len(shared))]
    start = 1 + len(shared)
    blocks = [stacked[:, start + k * draws : start + (k + 1) * draws] for k in range(len(varying))]
    columns = fixed + blocks
    k = len(columns)
    cross = np.empty((draws, k, k))
    right = np.empty((draws, k))
    for i, left in enumerate(columns):
        right[:, i] = y_d @ left
        for j in range(i + 1):
            cross[:, i, j] = cross[:, j, i] = _column_products(left, columns[j])
    return np.linalg.solve(cross, right[..., None])[:, len(shared), 0]


def _column_products(left: np.ndarray, right: np.ndarray):
    """Column-by-column inner products of two variables, each one column (shared) or one per group."""
    if left.ndim == 1:
        return left @ right
    if right.ndim == 1:
        return right @ left
    return np.einsum("nd,nd->d", left, right)


def _groups_matrix(groups, rows: int) -> np.ndarray:
    groups = np.asarray(groups, dtype=float)
    if groups.ndim != 2 or len(groups) != rows:
        raise ParameterError(f"groups must have one row per observation ({rows}), one column per group.")
    return groups


def interaction_coefficients(
    frame: pd.DataFrame, y: str, x: str, groups: np.ndarray, fixed_effects: str = "country+year"
) -> np.ndarray:
    """The coefficient of x * group in P5 for each column of ``groups`` (rows x groups, boolean), at once.

    The regressors are x, x * group and, when there are no country effects, the group's own level.
    """
    effects = fixed_effects_of(fixed_effects)
    data = frame.reset_index(drop=True)
    groups = _groups_matrix(groups, len(data))
    xs = data[x].to_numpy(float)
    varying = [groups * xs[:, None]] + ([] if "iso3" in effects else [groups])
    return _first_varying_coefficients(data, y, [xs], varying, effects)


def difference_in_differences(frame: pd.DataFrame, y: str, after: str, groups: np.ndarray) -> np.ndarray:
    """The coefficient of group x after in ``y`` ~ group x after | country + year, for each column of ``groups``."""
    data = frame.reset_index(drop=True)
    groups = _groups_matrix(groups, len(data))
    exposed = groups * data[after].to_numpy(float)[:, None]
    return _first_varying_coefficients(data, y, [], [exposed], FIXED_EFFECTS["country+year"])


def randomization_p(observed: float, placebo: np.ndarray) -> float:
    """Two-sided randomization p-value: (1 + placebos at least as large in absolute value) / (1 + placebos)."""
    placebo = np.asarray(placebo, dtype=float)
    return float((1 + np.sum(np.abs(placebo) >= abs(observed) * (1 - 1e-12))) / (1 + len(placebo)))


def interaction_randomization(
    frame: pd.DataFrame,
    y: str,
    x: str,
    group: str,
    fixed_effects: str = "country+year",
    draws: int = 999,
    seed: int = 2006,
) -> dict:
    """P5's interaction against ``draws`` random groups of as many economies as ``group`` marks.

    Returns the observed coefficient, the placebo coefficients and the two-sided p-value.
    """
    if draws < 19:
        raise ParameterError(f"draws={draws}; a randomization p-value needs at least 19 random groups.")
    data = drop_singletons(frame.dropna(subset=[y, x]), fixed_effects)
    codes = data[CLUSTER].to_numpy()
    economies = np.unique(codes)
    members = np.unique(codes[data[group].to_numpy(bool)])
    if not 0 < len(members) < len(economies):
        raise ParameterError(
            f"group {group!r} marks {len(members)} of {len(economies)} economies; it must mark some but not all."
        )
    rng = np.random.default_rng(seed)
    picks = np.argsort(rng.random((draws, len(economies))), axis=1)[:, : len(members)]
    position = np.searchsorted(economies, codes)
    chosen = np.zeros((draws, len(economies)), dtype=bool)
    np.put_along_axis(chosen, picks, True, axis=1)
    placebo_groups = chosen[:, position].T
    observed_group = np.isin(codes, members)[:, None]
    observed = float(interaction_coefficients(data, y, x, observed_group, fixed_effects)[0])
    placebo = interaction_coefficients(data, y, x, placebo_groups, fixed_effects)
    return {
        "observed": round(observed, DECIMALS),
        "placebo": placebo,
        "p": randomization_p(observed, placebo),
        "draws": draws,
        "seed": seed,
        "group_size": len(members),
    }


def did_randomization(frame: pd.DataFrame, y: str, after: str, treated) -> dict:
    """The difference in differences of ``treated`` (economies) against the rest, and its exact randomization
    p-value over every way of choosing as many economies from the frame as treated (all assignments)."""
    from itertools import combinations

    data = frame.dropna(subset=[y]).reset_index(drop=True)
    economies = sorted(set(data[CLUSTER]))
    treated = tuple(sorted(treated))
    if not set(treated) < set(economies):
        raise ParameterError(f"treated {list(treated)} must be some, not all, of the frame's economies {economies}.")
    assignments = list(combinations(economies, len(treated)))
    groups = np.column_stack([data[CLUSTER].isin(chosen).to_numpy() for chosen in assignments])
    coefficients = difference_in_differences(data, y, after, groups)
    observed_index = assignments.index(treated)
    observed = float(coefficients[observed_index])
    others = np.delete(coefficients, observed_index)
    return {
        "observed": round(observed, DECIMALS),
        "p": randomization_p(observed, others),
        "assignments": len(assignments),
    }


def event_study(frame: pd.DataFrame, y: str, treated: str, event_time: str, window: tuple[int, int]) -> pd.DataFrame:
    """E1: ``y`` ~ treated x event-time dummies (the year before omitted) | country + year, CR1 by country.

    ``event_time`` is the year minus the treatment year for treated economies; it
    is binned at the ends of ``window`` (earlier and later years join the end
    bins). Returns one row per event time with its coefficient and inference.
    """
    _check_columns(frame, [y, treated, event_time, CLUSTER, "year"])
    low, high = window
    if not low < REFERENCE_EVENT_TIME < high:
        raise ParameterError(f"window={window} must contain the reference year {REFERENCE_EVENT_TIME} inside it.")
    data = frame.dropna(subset=[y]).reset_index(drop=True)
    is_treated = data[treated].to_numpy(bool)
    binned = np.clip(data[event_time].fillna(REFERENCE_EVENT_TIME).to_numpy(float), low, high).astype(int)
    names = []
    for time in range(low, high + 1):
        if time == REFERENCE_EVENT_TIME:
            continue
        name = f"event_m{-time}" if time < 0 else f"event_p{time}"
        data[name] = (is_treated & (binned == time)).astype(float)
        names.append((time, name))
    kept = [(time, name) for time, name in names if data[name].any()]
    with _quiet():
        fit = _pyfixest().feols(
            _formula(y, [name for _, name in kept], ("iso3", "year")),
            data=data,
            vcov={"CRV1": CLUSTER},
            demeaner=_demeaner(),
        )
        terms = _terms(fit, [name for _, name in kept])
    rows = [
        {
            "event_time": time,
            "coef": terms[name].coef,
            "se_cluster": terms[name].se,
            "p_cluster": terms[name].p,
            "ci_low": terms[name].ci_low,
            "ci_high": terms[name].ci_high,
        }
        for time, name in kept
    ]
    table = pd.DataFrame(rows)
    table.attrs.update(n=int(fit._N), n_clusters=int(data[CLUSTER].nunique()), df_inference=int(fit._df_t))
    return table
