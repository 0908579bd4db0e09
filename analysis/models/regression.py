"""Cross-section regressions with honest small-sample inference.

One regressor, one outcome, one row per country. Every model reports the OLS
slope with classical and HC3 standard errors, Pearson and Spearman
correlations, an exact permutation p-value (all n! orderings when n <= 9), a
pairs-bootstrap interval and leave-one-country-out estimates with Cook's
distance. With 6 to 12 countries these are the numbers that show how little
the data can say.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from analysis.errors import ParameterError


def _statsmodels():
    """statsmodels, imported on first use: it costs about a second, and loaders that
    only read data (and the build's fingerprinting) should not pay it."""
    import statsmodels.api as sm
    from statsmodels.stats.outliers_influence import OLSInfluence

    return sm, OLSInfluence


DEFAULT_SEED = 2006
BOOTSTRAP_DRAWS = 10_000
# Monte Carlo draws when n > EXACT_PERMUTATION_MAX_N; the Monte Carlo p-value
# (1 + hits) / (1 + draws) has a standard error below 0.0016 at this size.
PERMUTATION_DRAWS = 100_000
EXACT_PERMUTATION_MAX_N = 9
# Two permuted statistics count as tied when their |correlation| differs by less
# than this; it absorbs floating-point noise between orderings that are equal
# in exact arithmetic (see permutation_pvalue).
PERMUTATION_TIE_TOLERANCE = 1e-9
MIN_N = 3
# A leverage this close to 1 makes the HC3 weight e^2 / (1 - h)^2 undefined.
_LEVERAGE_ONE = 1 - 1e-10


@dataclass(frozen=True)
class CrossSection:
    """The countries, regressor and outcome of one model, after exclusions."""

    x: np.ndarray
    y: np.ndarray
    codes: tuple[str, ...]
    names: tuple[str, ...]
    x_name: str
    y_name: str
    excluded: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # countries without a value (printed "n.a.")

    @property
    def n(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class OLSResult:
    n: int
    intercept: float
    coef: float
    se: float
    t: float
    p_classical: float
    se_hc3: float
    t_hc3: float
    p_hc3: float
    r2: float
    ci_low: float
    ci_high: float
    ci_level: float


@dataclass(frozen=True)
class Correlations:
    pearson_r: float
    pearson_p: float
    spearman_rho: float
    spearman_p: float


@dataclass(frozen=True)
class PermutationResult:
    p_value: float
    exact: bool
    orderings: int  # n! when exact, the number of random draws otherwise
    seed: int | None


@dataclass(frozen=True)
class BootstrapResult:
    low: float
    high: float
    level: float
    draws: int
    valid_draws: int  # resamples whose regressor was not constant
    seed: int


@dataclass(frozen=True)
class Analysis:
    """Everything the compendium reports for one cross-section model."""

    data: CrossSection
    ols: OLSResult
    correlations: Correlations
    permutation: PermutationResult
    bootstrap: BootstrapResult
    leave_one_out: pd.DataFrame | None = field(default=None, compare=False)


def cross_section(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    exclude: list[str] | tuple[str, ...] = (),
    code_column: str = "iso3",
    name_column: str = "country",
) -> CrossSection:
    """Pick regressor ``x`` and outcome ``y`` from ``frame``, one row per country.

    ``exclude`` lists ISO3 codes to leave out. Countries whose ``x`` or ``y`` is
    missing are left out too and listed in ``missing``.
    """
    for column in (x, y, code_column, name_column):
        if column not in frame.columns:
            raise ParameterError(
                f"column {column!r} is not in the model's data; its columns are {list(frame.columns)}. "
                "Pass one of those names."
            )
    codes = frame[code_column].astype(str).tolist()
    excluded = _check_exclude(exclude, codes)
    kept = frame.loc[~frame[code_column].isin(excluded)]
    xs = kept[x].to_numpy(dtype=float, na_value=np.nan)
    ys = kept[y].to_numpy(dtype=float, na_value=np.nan)
    kept_codes = kept[code_column].astype(str).to_numpy()
    present = ~(np.isnan(xs) | np.isnan(ys))
    bad = present & ~(np.isfinite(xs) & np.isfinite(ys))
    if bad.any():
        where = kept_codes[bad].tolist()
        raise ParameterError(
            f"{x!r} or {y!r} is infinite for {where}; expected finite numbers. "
            "A log of zero or of a negative value? Exclude those countries or change the transform."
        )
    if present.sum() < MIN_N:
        raise ParameterError(
            f"model {y!r} on {x!r} needs at least {MIN_N} countries with both values, found "
            f"n={int(present.sum())} ({', '.join(kept_codes[present]) or 'none'}) after excluding "
            f"{list(excluded) or 'none'}. Exclude fewer countries."
        )
    data = CrossSection(
        x=_read_only(xs[present]),
        y=_read_only(ys[present]),
        codes=tuple(kept_codes[present]),
        names=tuple(kept[name_column].astype(str).to_numpy()[present]),
        x_name=x,
        y_name=y,
        excluded=excluded,
        missing=tuple(kept_codes[~present]),
    )
    _check_variation(data)
    return data


def _check_exclude(exclude, codes: list[str]) -> tuple[str, ...]:
    if isinstance(exclude, str):
        raise ParameterError(f"exclude must be a list of ISO3 codes, got the string {exclude!r}. Write [{exclude!r}].")
    exclude = tuple(exclude)
    unknown = [code for code in exclude if code not in codes]
    if unknown:
        raise ParameterError(
            f"exclude names unknown country code(s) {unknown}; this model's countries are "
            f"{', '.join(codes)}. Use their upper-case ISO 3166 alpha-3 codes."
        )
    return tuple(dict.fromkeys(exclude))


def _check_variation(data: CrossSection) -> None:
    for name, values, role in ((data.x_name, data.x, "regressor"), (data.y_name, data.y, "outcome")):
        if np.ptp(values) == 0:
            raise ParameterError(
                f"{role} {name!r} is constant ({values[0]!r} for all n={data.n} countries "
                f"{', '.join(data.codes)}); the slope and the correlations are not identified. "
                "Choose another variable or keep more countries."
            )


def _read_only(values: np.ndarray) -> np.ndarray:
    values = np.ascontiguousarray(values, dtype=float)
    values.setflags(write=False)
    return values


def _design(x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones_like(x), x])


def ols(data: CrossSection, *, alpha: float = 0.05) -> OLSResult:
    """OLS slope of ``y`` on ``x`` with classical and HC3 inference.

    The HC3 p-value uses the t distribution with n - 2 degrees of freedom
    (statsmodels ``use_t=True``), the usual small-sample choice; HC3 is
    reported as NaN when a country has leverage 1, where it is undefined.
    """
    _check_alpha(alpha)
    sm, OLSInfluence = _statsmodels()
    model = sm.OLS(np.asarray(data.y), _design(np.asarray(data.x)))
    fit = model.fit()
    leverage = OLSInfluence(fit).hat_matrix_diag
    if leverage.max() < _LEVERAGE_ONE:
        robust = model.fit(cov_type="HC3", use_t=True)
        se_hc3, t_hc3, p_hc3 = float(robust.bse[1]), float(robust.tvalues[1]), float(robust.pvalues[1])
    else:
        se_hc3 = t_hc3 = p_hc3 = math.nan
    ci_low, ci_high = fit.conf_int(alpha=alpha)[1]
    return OLSResult(
        n=data.n,
        intercept=float(fit.params[0]),
        coef=float(fit.params[1]),
        se=float(fit.bse[1]),
        t=float(fit.tvalues[1]),
        p_classical=float(fit.pvalues[1]),
        se_hc3=se_hc3,
        t_hc3=t_hc3,
        p_hc3=p_hc3,
        r2=float(fit.rsquared),
        ci_low=float(ci_low),
        ci_high=float(ci_high),
        ci_level=1 - alpha,
    )


def correlations(data: CrossSection) -> Correlations:
    """Pearson and Spearman correlations with scipy's two-sided p-values."""
    pearson = stats.pearsonr(data.x, data.y)
    spearman = stats.spearmanr(data.x, data.y)
    return Correlations(
        pearson_r=float(pearson.statistic),
        pearson_p=float(pearson.pvalue),
        spearman_rho=float(spearman.statistic),
        spearman_p=float(spearman.pvalue),
    )


@lru_cache(maxsize=EXACT_PERMUTATION_MAX_N + 1)
def all_orderings(n: int) -> np.ndarray:
    """Every permutation of ``range(n)``, one per row (n! rows), read-only."""
    if not 0 < n <= EXACT_PERMUTATION_MAX_N:
        raise ParameterError(
            f"all_orderings(n={n}): exact enumeration is limited to 1 <= n <= {EXACT_PERMUTATION_MAX_N} "
            f"({math.factorial(EXACT_PERMUTATION_MAX_N)} orderings). Use the Monte Carlo test above that."
        )
    flat = np.fromiter(
        itertools.chain.from_iterable(itertools.permutations(range(n))),
        dtype=np.int8,
        count=n * math.factorial(n),
    )
    orderings = flat.reshape(-1, n)
    orderings.setflags(write=False)
    return orderings


def permutation_pvalue(
    x: np.ndarray,
    y: np.ndarray,
    *,
    draws: int = PERMUTATION_DRAWS,
    seed: int = DEFAULT_SEED,
    exact_max_n: int = EXACT_PERMUTATION_MAX_N,
) -> PermutationResult:
    """Two-sided permutation p-value for the OLS slope of ``y`` on ``x``.

    The slope of a permuted outcome is xc . y_perm / sum(xc^2), so the test
    statistic is xc . y_perm. The p-value is the share of orderings with
    |slope_perm| >= |slope_obs|, the observed ordering included. Orderings whose
    |correlation| falls short of the observed one by less than
    PERMUTATION_TIE_TOLERANCE count as ties (they are equal in exact arithmetic).

    For n <= ``exact_max_n`` all n! orderings are enumerated. Above that,
    ``draws`` random orderings from ``numpy.random.default_rng(seed)`` give
    (1 + hits) / (1 + draws), which never reports p = 0.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n < MIN_N or len(y) != n:
        raise ParameterError(
            f"permutation_pvalue needs x and y of the same length >= {MIN_N}; got {len(x)} and {len(y)}."
        )
    if n <= min(exact_max_n, EXACT_PERMUTATION_MAX_N):
        statistics, observed, scale = _permuted_statistics(x, y, all_orderings(n))
        hits = int(np.count_nonzero(np.abs(statistics) >= observed - PERMUTATION_TIE_TOLERANCE * scale))
        return PermutationResult(hits / len(statistics), True, len(statistics), None)
    _check_positive_int("draws", draws)
    rng = np.random.default_rng(seed)
    orderings = rng.permuted(np.tile(np.arange(n), (draws, 1)), axis=1)
    statistics, observed, scale = _permuted_statistics(x, y, orderings)
    hits = int(np.count_nonzero(np.abs(statistics) >= observed - PERMUTATION_TIE_TOLERANCE * scale))
    return PermutationResult((1 + hits) / (1 + draws), False, draws, seed)


def _permuted_statistics(x, y, orderings):
    """xc . y[ordering] for every row of ``orderings``, |observed|, and the largest possible value."""
    xc = x - x.mean()
    yc = y - y.mean()
    statistics = yc[orderings] @ xc
    scale = math.sqrt(float(xc @ xc) * float(yc @ yc))  # Cauchy-Schwarz bound on |xc . yc_perm|
    return statistics, abs(float(yc @ xc)), scale


def bootstrap_slope(
    x: np.ndarray,
    y: np.ndarray,
    *,
    draws: int = BOOTSTRAP_DRAWS,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> BootstrapResult:
    """Pairs-bootstrap percentile interval for the OLS slope.

    Countries are resampled with replacement, (x, y) together, from
    ``numpy.random.default_rng(seed)``. Resamples in which every country has the
    same x have no slope; they are dropped and counted (``valid_draws``).
    """
    _check_positive_int("draws", draws)
    if not 0 < level < 1:
        raise ParameterError(f"level must lie strictly between 0 and 1, got {level!r}; e.g. 0.95.")
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, n, size=(draws, n))
    xs, ys = x[rows], y[rows]
    xc = xs - xs.mean(axis=1, keepdims=True)
    sxx = np.einsum("ij,ij->i", xc, xc)
    valid = sxx > 1e-12 * float(np.var(x) * n)
    if not valid.any():
        raise ParameterError(
            f"bootstrap_slope: none of the {draws} resamples has a non-constant regressor; "
            "use more draws or more countries."
        )
    slopes = np.einsum("ij,ij->i", xc[valid], ys[valid]) / sxx[valid]
    low, high = np.quantile(slopes, [(1 - level) / 2, (1 + level) / 2])
    return BootstrapResult(float(low), float(high), level, draws, int(valid.sum()), seed)


def leave_one_out(data: CrossSection) -> pd.DataFrame:
    """The slope refitted without each country in turn, beside its Cook's distance.

    Cook's distance and leverage come from statsmodels' OLSInfluence on the
    full fit; ``coef_change`` is the refitted slope minus the full slope.
    """
    if data.n - 1 < MIN_N:
        raise ParameterError(
            f"leave_one_out needs n >= {MIN_N + 1} so that each refit keeps {MIN_N} countries; "
            f"model {data.y_name!r} on {data.x_name!r} has n={data.n}. Exclude fewer countries."
        )
    sm, OLSInfluence = _statsmodels()
    full = sm.OLS(np.asarray(data.y), _design(np.asarray(data.x))).fit()
    influence = OLSInfluence(full)
    rows = []
    for i, code in enumerate(data.codes):
        keep = np.arange(data.n) != i
        refit = sm.OLS(np.asarray(data.y)[keep], _design(np.asarray(data.x)[keep])).fit()
        rows.append(
            {
                "iso3": code,
                "country": data.names[i],
                "n": data.n - 1,
                "coef": float(refit.params[1]),
                "se": float(refit.bse[1]),
                "p_classical": float(refit.pvalues[1]),
                "coef_change": float(refit.params[1] - full.params[1]),
                "sign_flip": bool(np.sign(refit.params[1]) != np.sign(full.params[1])),
                "cooks_distance": float(influence.cooks_distance[0][i]),
                "leverage": float(influence.hat_matrix_diag[i]),
            }
        )
    return pd.DataFrame(rows)


def analyse(
    data: CrossSection,
    *,
    alpha: float = 0.05,
    boot_draws: int = BOOTSTRAP_DRAWS,
    seed: int = DEFAULT_SEED,
    perm_draws: int = PERMUTATION_DRAWS,
) -> Analysis:
    """Every estimate of one model (leave-one-out only when n >= 4)."""
    return Analysis(
        data=data,
        ols=ols(data, alpha=alpha),
        correlations=correlations(data),
        permutation=permutation_pvalue(data.x, data.y, draws=perm_draws, seed=seed),
        bootstrap=bootstrap_slope(data.x, data.y, draws=boot_draws, seed=seed, level=1 - alpha),
        leave_one_out=leave_one_out(data) if data.n > MIN_N else None,
    )


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha must lie strictly between 0 and 1, got {alpha!r}; e.g. 0.05.")


def _check_positive_int(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ParameterError(f"{name} must be a positive integer, got {value!r}; e.g. {name}=10000.")
