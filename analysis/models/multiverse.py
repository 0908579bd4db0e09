"""The specification curve: every defensible way to ask "do remittances fall with income?".

One specification is one choice on each of five axes:

- measure: remittances as % of GDP, the balance-of-payments share as printed
  (``bop``, n=6, Uzbekistan "n.a."), the estimate's share as printed
  (``estimate``), or the estimate divided by GDP 2003, recomputed from Table 3's
  levels (``recomputed``);
- transform of that share: ``level`` (percent) or ``log``;
- regressor, always in logs: GDP per capita of Table 1 (``gdp_pc``) or GDP 2003
  of Table 3 (``gdp``);
- dropped country: ``none`` or one ISO3 code;
- estimator: the OLS slope (``ols``) or Spearman's rank correlation (``spearman``).

The grid is complete (the product of the choices), so some rows repeat
others: dropping Uzbekistan changes nothing for ``bop``, where it has no value
(``drop_effective`` is False there), and Spearman's rho is the same for
``level`` and ``log`` because the log is monotone. All fits are vectorised
over the grid.

The two regressor families answer different questions. GDP per capita asks
whether poorer countries depend more on remittances; total GDP, on which a
share of GDP is negative by construction whenever remittances grow less than
in proportion to GDP, asks only about size. :func:`multiverse_summary`
therefore reports each family (and estimator) on its own.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd
from scipy import stats

from analysis import results
from analysis.errors import ParameterError
from analysis.models import catalogue, regression
from analysis.models.panels import external_hash_field

MEASURES = {
    "bop": "share_bop_printed",
    "estimate": "share_estimate_printed",
    "recomputed": "share_estimate_recomputed",
}
TRANSFORMS = ("level", "log")
REGRESSORS = {"gdp_pc": "log_gdp_pc", "gdp": "log_gdp"}
REGRESSOR_LABELS = {"gdp_pc": "GDP per capita", "gdp": "total GDP"}
ESTIMATORS = ("ols", "spearman")
NO_DROP = "none"
P_METHODS = ("classical", "permutation")
CHOICE_COLUMNS = ("measure", "transform", "regressor", "dropped", "estimator")


def choices(frame: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The options on each axis, in the order of the curve's rows."""
    return {
        "measure": tuple(MEASURES),
        "transform": TRANSFORMS,
        "regressor": tuple(REGRESSORS),
        "dropped": (NO_DROP, *frame["iso3"].astype(str)),
        "estimator": ESTIMATORS,
    }


def specification_curve(frame: pd.DataFrame | None = None, *, p_method: str = "classical") -> pd.DataFrame:
    """One row per specification: its choices, n, estimate, p-value and sign.

    ``frame`` defaults to ``catalogue.remittance_variables()``. ``estimate``
    is the slope (ols) or rho (spearman); ``std_estimate`` puts both on the
    correlation scale (the OLS slope times sd(x)/sd(y) is Pearson's r).
    ``p_method="classical"`` gives the t-test of the slope (ols) and scipy's
    t-approximation for rho (spearman); ``"permutation"`` gives the exact
    two-sided permutation p-value of models.permutation_pvalue (all n! orderings).
    """
    if p_method not in P_METHODS:
        raise ParameterError(f"p_method {p_method!r} is unknown; expected one of {', '.join(P_METHODS)}.")
    if frame is None:
        frame = catalogue.remittance_variables()
    axes = choices(frame)
    x, y, valid, base_rows = _grid(frame, axes)
    n = valid.sum(axis=1)
    if n.min() < regression.MIN_N:
        raise ParameterError(
            f"a specification keeps only n={int(n.min())} countries; the curve needs at least "
            f"{regression.MIN_N} in each. Give it more countries."
        )
    ols = _pearson(x, y, valid, n)
    rank_x = stats.rankdata(np.where(valid, x, np.nan), axis=1, nan_policy="omit")
    rank_y = stats.rankdata(np.where(valid, y, np.nan), axis=1, nan_policy="omit")
    spearman = _pearson(rank_x, rank_y, valid, n)
    if p_method == "permutation":
        ols["p"] = _exact_permutation_p(x, y, valid, n)
        spearman["p"] = _exact_permutation_p(rank_x, rank_y, valid, n)

    base = pd.DataFrame(base_rows, columns=[*CHOICE_COLUMNS[:4], "drop_effective"])
    base["n"] = n
    parts = {
        "ols": base.assign(
            estimator="ols", estimate=ols["slope"], std_estimate=ols["r"], se=ols["se"], p_value=ols["p"]
        ),
        "spearman": base.assign(
            estimator="spearman", estimate=spearman["r"], std_estimate=spearman["r"], se=np.nan, p_value=spearman["p"]
        ),
    }
    # each base row followed by its two estimators, in the order of ESTIMATORS
    curve = pd.concat([parts[name] for name in ESTIMATORS]).sort_index(kind="stable").reset_index(drop=True)
    curve = curve[[*CHOICE_COLUMNS, "n", "estimate", "std_estimate", "se", "p_value", "drop_effective"]]
    curve.insert(0, "spec", curve[list(CHOICE_COLUMNS)].agg("|".join, axis=1))
    curve["p_method"] = p_method
    curve["sign"] = np.select([curve["estimate"] > 0, curve["estimate"] < 0], ["positive", "negative"], default="zero")
    return curve


def _grid(frame: pd.DataFrame, axes: dict[str, tuple[str, ...]]):
    """x, y and the validity mask for every (measure, transform, regressor, dropped), row by row."""
    codes = frame["iso3"].astype(str).to_numpy()
    outcomes = {}
    for measure, column in MEASURES.items():
        share = frame[column].to_numpy(dtype=float, na_value=np.nan)
        outcomes[measure, "level"] = share
        with np.errstate(divide="ignore"):
            outcomes[measure, "log"] = np.log(share)
    regressors = {name: frame[column].to_numpy(dtype=float, na_value=np.nan) for name, column in REGRESSORS.items()}
    xs, ys, masks, rows = [], [], [], []
    for measure, transform, regressor, dropped in product(
        axes["measure"], axes["transform"], axes["regressor"], axes["dropped"]
    ):
        x, y = regressors[regressor], outcomes[measure, transform]
        present = ~(np.isnan(x) | np.isnan(y))
        if not (np.isfinite(x[present]).all() and np.isfinite(y[present]).all()):
            raise ParameterError(
                f"measure {measure!r} ({transform}) or regressor {regressor!r} is infinite for "
                f"{codes[present & ~(np.isfinite(x) & np.isfinite(y))].tolist()}; a log of zero? "
                "Expected positive shares and GDP values."
            )
        kept = present & (codes != dropped)
        xs.append(x)
        ys.append(y)
        masks.append(kept)
        rows.append(
            (measure, transform, regressor, dropped, bool(dropped == NO_DROP or present[codes == dropped].any()))
        )
    valid = np.array(masks)
    return np.where(valid, np.array(xs), 0.0), np.where(valid, np.array(ys), 0.0), valid, rows


def _pearson(x: np.ndarray, y: np.ndarray, valid: np.ndarray, n: np.ndarray) -> dict[str, np.ndarray]:
    """Row-wise least squares of y on x over the valid cells: slope, se, r and the t-test p-value."""
    x = np.where(valid, x, 0.0)
    y = np.where(valid, y, 0.0)
    xc = np.where(valid, x - x.sum(axis=1, keepdims=True) / n[:, None], 0.0)
    yc = np.where(valid, y - y.sum(axis=1, keepdims=True) / n[:, None], 0.0)
    sxx = np.einsum("ij,ij->i", xc, xc)
    syy = np.einsum("ij,ij->i", yc, yc)
    sxy = np.einsum("ij,ij->i", xc, yc)
    if (sxx == 0).any() or (syy == 0).any():
        raise ParameterError("a specification has a constant regressor or outcome; its slope is not identified.")
    slope = sxy / sxx
    r = sxy / np.sqrt(sxx * syy)
    df = n - 2
    rss = np.clip(syy - slope * sxy, 0.0, None)
    se = np.sqrt(rss / df / sxx)
    # t = r sqrt(df / (1 - r^2)) equals slope / se; it is written with r so that |r| = 1 gives p = 0.
    with np.errstate(divide="ignore"):
        t = r * np.sqrt(df / np.clip(1 - r**2, 0.0, None))
    p = 2 * stats.t.sf(np.abs(t), df)
    return {"slope": slope, "se": se, "r": r, "p": p}


def _exact_permutation_p(x: np.ndarray, y: np.ndarray, valid: np.ndarray, n: np.ndarray) -> np.ndarray:
    """models.permutation_pvalue's exact test for every row at once, grouped by n."""
    p = np.empty(len(n))
    for size in np.unique(n):
        rows = np.flatnonzero(n == size)
        if size > regression.EXACT_PERMUTATION_MAX_N:
            raise ParameterError(
                f"p_method='permutation' enumerates all n! orderings and needs n <= "
                f"{regression.EXACT_PERMUTATION_MAX_N}; found n={size}. Use p_method='classical'."
            )
        xs = x[rows][valid[rows]].reshape(len(rows), size)
        ys = y[rows][valid[rows]].reshape(len(rows), size)
        xc = xs - xs.mean(axis=1, keepdims=True)
        yc = ys - ys.mean(axis=1, keepdims=True)
        permuted = np.einsum("spk,sk->sp", yc[:, regression.all_orderings(int(size))], xc)
        observed = np.abs(np.einsum("sk,sk->s", xc, yc))
        scale = np.sqrt(np.einsum("sk,sk->s", xc, xc) * np.einsum("sk,sk->s", yc, yc))
        hits = np.abs(permuted) >= (observed - regression.PERMUTATION_TIE_TOLERANCE * scale)[:, None]
        p[rows] = hits.mean(axis=1)
    return p


SUMMARY_COLUMNS = ("regressor", "estimator", "specifications", "share_negative", "share_p_below_alpha")
# Regressor families whose sign the construction of the outcome fixes, each with the reason. Every
# outcome is remittances over GDP, so the OLS slope of the log recomputed share on log GDP is the
# elasticity of remittances with respect to GDP (model M5) minus one, exactly: the family measures
# size, not income.
MECHANICAL_FAMILIES = {
    "gdp": "the outcome is remittances divided by GDP, so its slope on log GDP is negative whenever "
    "remittances grow less than in proportion to GDP (an elasticity below one), whatever their "
    "relation with income",
}


def multiverse_summary(curve: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """One row per regressor family and estimator: specifications, share with a negative estimate, share with p < alpha.

    The families are never pooled: the total-GDP family is negative by construction
    (:data:`MECHANICAL_FAMILIES`), so a pooled share would mix a mechanical result with
    the question the curve asks about income.
    """
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha must lie strictly between 0 and 1, got {alpha!r}; e.g. 0.05.")
    missing = sorted({"regressor", "estimator", "sign", "p_value"} - set(curve.columns))
    if missing:
        raise ParameterError(f"multiverse_summary needs the columns {missing}; pass specification_curve's frame.")
    rows = []
    for regressor, estimator in product(REGRESSORS, ESTIMATORS):
        part = curve[(curve["regressor"] == regressor) & (curve["estimator"] == estimator)]
        if part.empty:
            continue
        rows.append(
            {
                "regressor": regressor,
                "estimator": estimator,
                "specifications": len(part),
                "share_negative": float((part["sign"] == "negative").mean()),
                "share_p_below_alpha": float((part["p_value"] < alpha).mean()),
            }
        )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def write_summary(
    summary: pd.DataFrame, name: str = "multiverse_summary", *, external_files=(), directory=None
) -> dict:
    """The per-family summary to results/, with the hashes of Tables 1 and 3 (and of ``external_files``, if any)."""
    if list(summary.columns) != list(SUMMARY_COLUMNS):
        raise ParameterError(
            f"write_summary needs exactly the columns {list(SUMMARY_COLUMNS)}, got "
            f"{list(summary.columns)}; pass multiverse_summary's frame."
        )
    if external_files:
        summary = summary.assign(external_sha256=external_hash_field(external_files))
    return results.write_table(
        summary, name, resources=catalogue.SOURCE_RESOURCES[catalogue.REMITTANCES], directory=directory
    )
