"""Chapter 1's data: living standards and model M6, the UN ranking and Table 2's ranges.

Table 2 prints ranges; every function here keeps them as low/high pairs. The
shares in Russia are read as the audit reads them (analysis.audit.reading_rules),
which adds the midpoint of the two ranges as the point reading.
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, NullFormatter

from analysis import audit, figures, paths
from analysis.audit import claim_verdicts, reading_rules
from analysis.data import paper
from analysis.data.countries import CIS, POST_SOVIET, display_name
from analysis.data.datapackage import read_resource, resource_path, rule_failure
from analysis.errors import DataValidationError, ParameterError
from analysis.models import catalogue, regression

UN2005 = "un2005_immigrant_stocks"

ABROAD = "abroad (all destinations)"
IN_RUSSIA = "in Russia"
COMPUTED = "computed from Table 2"
MIDPOINT = "midpoint over midpoint"
STATED = "the paper's statement"

SHARE_BOUNDS = reading_rules.RANGE_READINGS
HALF_PCT = 50  # "about half" is a band around this share
TEXT_BAND_TOP_PCT = 90  # the top of the text's "70-90%" for Central Asia and the Caucasus


def _check_codes(name: str, codes, allowed) -> tuple[str, ...]:
    if isinstance(codes, str):
        raise ParameterError(f"{name} must be a list of ISO3 codes, got the string {codes!r}; write [{codes!r}].")
    unknown = [code for code in codes if code not in allowed]
    if unknown:
        raise ParameterError(f"{name}: unknown country code(s) {unknown}; expected codes among {', '.join(allowed)}.")
    return tuple(codes)


def post_soviet_coverage(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The 15 post-Soviet states: CIS membership (footnote 1) and which of Tables 1-3 cover each."""
    covered = {
        "Table 1": set(paper.table1(descriptor)["iso3"]),
        "Table 2": set(paper.table2(descriptor)["iso3"]),
        "Table 3": set(paper.table3_levels(descriptor)["iso3"]),
    }
    rows = []
    for code in POST_SOVIET:
        row = {"country": display_name(code), "CIS member": "yes" if code in CIS else "no"}
        row.update({table: "yes" if code in codes else "" for table, codes in covered.items()})
        rows.append(row)
    return pd.DataFrame(rows).set_index("country")


MIN_COUNTRIES = 2  # the living-standards figure compares countries; one alone shows no disparity


def living_standards(leave_out=(), descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Table 1 as iso3, country, gdp_pc (US$) and poverty_pct, without the countries in ``leave_out``."""
    frame = paper.table1(descriptor)
    leave_out = _check_codes("leave_out", leave_out, tuple(frame["iso3"]))
    frame = frame[~frame["iso3"].isin(leave_out)]
    if len(frame) < MIN_COUNTRIES:
        raise ParameterError(f"leave_out={list(leave_out)} leaves {len(frame)} country; keep at least {MIN_COUNTRIES}.")
    return pd.DataFrame(
        {
            "iso3": frame["iso3"].astype(str).to_numpy(),
            "country": frame["country"].astype(str).to_numpy(),
            "gdp_pc": frame["gdp_per_capita_usd"].to_numpy(dtype=float, na_value=np.nan),
            "poverty_pct": frame["poverty_below_2usd_day_pct"].to_numpy(dtype=float, na_value=np.nan),
        }
    )


def coverage_counts(coverage: pd.DataFrame) -> dict[str, int]:
    """How many states each of Tables 1-3 covers, from ``post_soviet_coverage``: keys ``n-table1`` ..."""
    return {
        f"n-{table.lower().replace(' ', '')}": int((coverage[table] == "yes").sum())
        for table in ("Table 1", "Table 2", "Table 3")
    }


def _extreme_rows(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {
        "poorest": frame.loc[frame["gdp_pc"].idxmin()],
        "richest": frame.loc[frame["gdp_pc"].idxmax()],
        "lowest-poverty": frame.loc[frame["poverty_pct"].idxmin()],
        "highest-poverty": frame.loc[frame["poverty_pct"].idxmax()],
    }


def living_standards_extremes(frame: pd.DataFrame) -> dict[str, str]:
    """The countries at either end of GDP per capita and of the poverty share."""
    return {key: row["country"] for key, row in _extreme_rows(frame).items()}


def living_standards_numbers(frame: pd.DataFrame) -> dict[str, float]:
    """The numbers the chapter quotes from Table 1: the countries shown, the extremes of both columns,
    the ratio of the richest to the poorest, and Spearman's rank correlation with its p-value."""
    rows = _extreme_rows(frame)
    correlation = living_standards_correlations(frame)
    return {
        "n-scatter": len(frame),
        "poorest-gdp": float(rows["poorest"]["gdp_pc"]),
        "richest-gdp": float(rows["richest"]["gdp_pc"]),
        "gdp-ratio": float(rows["richest"]["gdp_pc"] / rows["poorest"]["gdp_pc"]),
        "lowest-poverty-pct": float(rows["lowest-poverty"]["poverty_pct"]),
        "highest-poverty-pct": float(rows["highest-poverty"]["poverty_pct"]),
        "spearman": correlation.spearman_rho,
        "spearman-p": correlation.spearman_p,
    }


def living_standards_correlations(frame: pd.DataFrame) -> regression.Correlations:
    """Pearson and Spearman correlations of GDP per capita with the poverty share."""
    return regression.correlations(regression.cross_section(frame, "gdp_pc", "poverty_pct"))


def poverty_slope_phrases(estimate: catalogue.ModelEstimate, alpha: float = 0.05) -> dict[str, str]:
    """Words for the direction of model M6's slope and for what its three tests say, chosen from its estimates.

    A reader who leaves countries out gets prose that still matches the numbers.
    """
    fit = estimate.analysis.ols
    if fit.coef == 0:
        direction = "the poverty share does not change with GDP per capita"
    else:
        direction = (
            "countries with a higher GDP per capita tend to have a "
            f"{'smaller' if fit.coef < 0 else 'larger'} share of people below 2 US\\$ a day"
        )
    tests = {"classical": fit.p_classical, "HC3": fit.p_hc3, "permutation": estimate.analysis.permutation.p_value}
    defined = [name for name, p in tests.items() if not math.isnan(p)]
    rejecting = [name for name in defined if tests[name] < alpha]
    keeping = [name for name in defined if tests[name] >= alpha]
    level = f"the {alpha:.0%} level"
    if not keeping:
        strength = f"the {reading_rules.listing(defined)} tests all reject a zero slope at {level}"
    elif not rejecting:
        strength = f"none of the {reading_rules.listing(defined)} tests rejects a zero slope at {level}"
    else:
        strength = (
            f"the {reading_rules.listing(rejecting)} {_tests(rejecting)} a zero slope at {level} and the "
            f"{reading_rules.listing(keeping)} {_tests(keeping, 'does not', 'do not')}"
        )
    return {"direction": direction, "strength": strength}


def poverty_model_numbers(estimate: catalogue.ModelEstimate, alpha: float = 0.05) -> dict[str, float]:
    """Model M6's estimates as the chapter quotes them, with its leave-one-out refits: their range of
    slopes and how many reach ``alpha`` in the classical test."""
    analysis = estimate.analysis
    refits = analysis.leave_one_out
    return {
        "n": analysis.data.n,
        "slope": analysis.ols.coef,
        "p-classical": analysis.ols.p_classical,
        "p-hc3": analysis.ols.p_hc3,
        "p-permutation": analysis.permutation.p_value,
        "orderings": analysis.permutation.orderings,
        "boot-low": analysis.bootstrap.low,
        "boot-high": analysis.bootstrap.high,
        "loo-low": float(refits["coef"].min()),
        "loo-high": float(refits["coef"].max()),
        "loo-significant": int((refits["p_classical"] < alpha).sum()),
        "loo-n": len(refits),
    }


def poverty_model_words(estimate: catalogue.ModelEstimate, alpha: float = 0.05) -> dict[str, str]:
    """``poverty_slope_phrases`` and the country whose removal moves model M6 most (Cook's distance)."""
    refits = estimate.analysis.leave_one_out
    return {
        **poverty_slope_phrases(estimate, alpha),
        "loo-top": str(refits.loc[refits["cooks_distance"].idxmax(), "country"]),
    }


def _tests(names: list[str], one: str = "rejects", several: str = "reject") -> str:
    return f"test {one}" if len(names) == 1 else f"tests {several}"


_LOG_TICKS = (250, 500, 1000, 2000, 4000, 8000)


def plot_living_standards(frame: pd.DataFrame, *, log_gdp: bool = True) -> plt.Figure:
    figure = figures.plot_labelled_scatter(
        frame,
        "gdp_pc",
        "poverty_pct",
        "country",
        logx=log_gdp,
        xlabel="GDP per capita, US$" + (" (log scale)" if log_gdp else ""),
        ylabel="Population below 2 US$ a day, %",
    )
    axis = figure.axes[0]
    if log_gdp:
        low, high = axis.get_xlim()
        axis.set_xticks([tick for tick in _LOG_TICKS if low <= tick <= high])
        axis.xaxis.set_minor_formatter(NullFormatter())
    axis.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    return figure


def _legend_below(figure: plt.Figure) -> plt.Figure:
    """Move the legend under the axis, where it cannot hide a range."""
    axis = figure.axes[0]
    legend = axis.get_legend()
    if legend is not None:
        handles, labels = legend.legend_handles, [text.get_text() for text in legend.get_texts()]
        axis.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=len(labels), frameon=False)
        figure.tight_layout()
    return figure


def un2005_immigrant_stocks(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The UN 2005 immigrant stocks the text quotes, with a display name per ISO3 code."""
    frame = read_resource(UN2005, descriptor)
    names, problems = [], []
    for row, code in enumerate(frame["iso3"], start=1):
        try:
            names.append(display_name(code))
        except DataValidationError as exc:
            problems.append(f"data row {row}, column 'iso3': {exc} Use the country's ISO 3166 alpha-3 code.")
    if problems:
        raise rule_failure(resource_path(UN2005, descriptor), problems)
    frame["country"] = pd.array(names, dtype="string")
    return frame


def un2005_ranking(frame: pd.DataFrame) -> pd.DataFrame:
    """The stated rank beside the rank the stated numbers give (1 = most migrants)."""
    stocks = frame["immigrants_mln"].to_numpy(dtype=float, na_value=np.nan)
    computed = pd.Series(stocks).rank(ascending=False, method="min").astype(int).to_numpy()
    table = pd.DataFrame(
        {
            "country": frame["country"].astype(str).to_numpy(),
            "international migrants, million": stocks,
            "rank as stated": frame["rank_as_stated"].astype(int).to_numpy(),
            "rank stated or implied": frame["rank_basis"].astype(str).to_numpy(),
            "rank from the numbers": computed,
            "paper line": frame["paper_line"].astype(int).to_numpy(),
        }
    )
    return table.sort_values("rank as stated").set_index("country")


def un2005_numbers(ranking: pd.DataFrame) -> dict[str, float]:
    """What ``un2005_ranking`` adds up to: the migrants of Russia and Ukraine together, million."""
    stocks = ranking["international migrants, million"]
    return {"un-russia-ukraine": float(stocks["Russian Federation"] + stocks["Ukraine"])}


def migrant_workers_long(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Table 2 in long form: one row per country and destination, low/high in thousands."""
    frame = paper.table2(descriptor)
    parts = []
    for destination, prefix in ((ABROAD, "abroad"), (IN_RUSSIA, "in_russia")):
        parts.append(
            pd.DataFrame(
                {
                    "iso3": frame["iso3"].astype(str).to_numpy(),
                    "country": frame["country"].astype(str).to_numpy(),
                    "destination": destination,
                    "low": frame[f"{prefix}_low_thousands"].to_numpy(dtype=float, na_value=np.nan),
                    "high": frame[f"{prefix}_high_thousands"].to_numpy(dtype=float, na_value=np.nan),
                }
            )
        )
    order = {code: i for i, code in enumerate(frame["iso3"])}
    long = pd.concat(parts, ignore_index=True)
    long = long.sort_values(["iso3", "destination"], key=lambda s: s.map(order) if s.name == "iso3" else s)
    return long.reset_index(drop=True)


def plot_migrant_workers(long: pd.DataFrame) -> plt.Figure:
    figure = figures.plot_intervals(
        long,
        "low",
        "high",
        "country",
        group="destination",
        xlabel="Migrant workers, thousands (printed range; a tick alone is a single value)",
    )
    figure.axes[0].set_xlim(left=0)
    return _legend_below(figure)


def interval_sum(frame: pd.DataFrame, codes) -> tuple[float, float]:
    """Sum of ranges: (sum of lows, sum of highs); every country in ``codes`` must have a range."""
    part = frame[frame["iso3"].isin(codes)]
    missing = sorted(set(codes) - set(part["iso3"]))
    if missing or part[["low", "high"]].isna().any().any():
        absent = missing + part.loc[part[["low", "high"]].isna().any(axis=1), "iso3"].tolist()
        raise DataValidationError(
            f"interval_sum: no range for {absent}; a sum of ranges needs every country's range. "
            "Leave those countries out of the sum."
        )
    return float(part["low"].sum()), float(part["high"].sum())


def share_comparison(
    bounds: str = reading_rules.MATCHED, about_band: float = 10.0, descriptor: Path = paths.DATAPACKAGE
) -> pd.DataFrame:
    """Each country's share of migrant workers in Russia against the text's band, read as the audit reads it.

    The bands come from the claims ledger and the shares from ``audit.table2_statements``, under the
    reading ``bounds`` of the rule "Two ranges of one table" (analysis.audit.reading_rules): "matched" pairs
    low with low and high with high and lets the midpoint decide; "outer" takes the widest range the
    two printed ranges allow and lets that range decide. "About half" is read as 50 +/- ``about_band``.
    ``position`` is where the computed range lies against the band, ``verdict`` the position that
    decides: "inside", "overlaps" or "outside".
    """
    if bounds not in SHARE_BOUNDS:
        raise ParameterError(f"share bounds {bounds!r} is unknown; expected one of {', '.join(SHARE_BOUNDS)}.")
    settings = reading_rules.Settings(about_half_margin_pp=about_band, range_reading=bounds)
    frame = audit.table2_statements(settings=settings, inputs=audit.Inputs(settings, descriptor))
    return pd.DataFrame(
        {
            "country": frame["country"].astype(str).to_numpy(),
            "group": frame["group"].astype(str).to_numpy(),
            "computed_low_pct": frame["share_low"].to_numpy(dtype=float),
            "computed_high_pct": frame["share_high"].to_numpy(dtype=float),
            "midpoint_pct": frame["share_mid"].to_numpy(dtype=float),
            "stated_low_pct": frame["band_low"].to_numpy(dtype=float),
            "stated_high_pct": frame["band_high"].to_numpy(dtype=float),
            "position": frame["position"].astype(str).to_numpy(),
            "verdict": frame["deciding_position"].astype(str).to_numpy(),
        }
    )


def share_numbers(comparison: pd.DataFrame, about_band: float) -> dict[str, float]:
    """Counts over ``share_comparison``: countries compared, by deciding position, and those whose computed
    range reaches above the text's "70-90%"; and the "about half" band read with ``about_band``."""
    counts = {
        f"n-{verdict}": int((comparison["verdict"] == verdict).sum())
        for verdict in (reading_rules.INSIDE, reading_rules.OVERLAPS, reading_rules.OUTSIDE)
    }
    return {
        "half-low": HALF_PCT - about_band,
        "half-high": HALF_PCT + about_band,
        "n-compared": len(comparison),
        "n-above-90": int((comparison["computed_high_pct"] > TEXT_BAND_TOP_PCT).sum()),
        **counts,
    }


def share_words(bounds: str) -> dict[str, str]:
    """The reading ``bounds`` by name, and what decides under it (the midpoint, or the computed range)."""
    if bounds not in SHARE_BOUNDS:
        raise ParameterError(f"share bounds {bounds!r} is unknown; expected one of {', '.join(SHARE_BOUNDS)}.")
    return {"reading": bounds, "decider": "midpoint" if bounds == reading_rules.MATCHED else "computed range"}


def audit_reading_numbers() -> dict[str, float]:
    """The band the audit itself reads "about half" as (its default, not the reader's parameter)."""
    margin = reading_rules.Settings().about_half_margin_pp
    return {"audit-half-low": HALF_PCT - margin, "audit-half-high": HALF_PCT + margin}


def audit_reading_words(claim_ids=("C15", "C16")) -> dict[str, str]:
    """The audit's reading of Table 2's two ranges, the other reading, and the audit's status of each claim of
    ``claim_ids`` had it used the other reading (keys ``status-<claim id>-other``)."""
    reading = reading_rules.Settings().range_reading
    other = next(bounds for bounds in SHARE_BOUNDS if bounds != reading)
    other_inputs = audit.Inputs(reading_rules.Settings(range_reading=other))
    statuses = claim_verdicts.glue_texts(claim_ids, inputs=other_inputs)
    return {
        "audit-reading": reading,
        "audit-other-reading": other,
        **{f"{key}-other": text for key, text in statuses.items()},
    }


def comparison_long(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison as three rows per country (computed range, midpoint, stated band), for
    ``figures.plot_intervals``."""
    computed = comparison.assign(
        source=COMPUTED, low=comparison["computed_low_pct"], high=comparison["computed_high_pct"]
    )
    midpoint = comparison.assign(source=MIDPOINT, low=comparison["midpoint_pct"], high=comparison["midpoint_pct"])
    stated = comparison.assign(source=STATED, low=comparison["stated_low_pct"], high=comparison["stated_high_pct"])
    long = pd.concat([computed, midpoint, stated])
    long = long.sort_index(kind="stable").reset_index(drop=True)
    return long[["country", "source", "low", "high"]]


def plot_share_comparison(comparison: pd.DataFrame) -> plt.Figure:
    return _legend_below(
        figures.plot_intervals(
            comparison_long(comparison),
            "low",
            "high",
            "country",
            group="source",
            xlabel="Share of the country's migrant workers who work in Russia, %",
        )
    )


def comparison_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison for display: ranges as printed text, one row per country."""

    def fmt(low, high):
        return f"{low:.0f}" if round(low) == round(high) else f"{low:.0f}–{high:.0f}"

    return pd.DataFrame(
        {
            "country": comparison["country"],
            "group in the text": comparison["group"],
            "share in Russia, computed, %": [
                fmt(lo, hi) for lo, hi in zip(comparison["computed_low_pct"], comparison["computed_high_pct"])
            ],
            "midpoint, %": comparison["midpoint_pct"].map(lambda value: f"{value:.0f}"),
            "the text's statement, %": [
                fmt(lo, hi) for lo, hi in zip(comparison["stated_low_pct"], comparison["stated_high_pct"])
            ],
            "computed range against the statement": comparison["position"],
            "deciding position": comparison["verdict"],
        }
    ).set_index("country")


def russia_balance(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Russia as receiver and sender: the summed in-Russia ranges of Table 2 against Russia's own row.

    Also the summed "abroad" ranges of the same origin countries, for scale.
    """
    long = migrant_workers_long(descriptor)
    in_russia = long[long["destination"] == IN_RUSSIA]
    abroad = long[long["destination"] == ABROAD]
    origins = tuple(in_russia.loc[in_russia["low"].notna(), "iso3"])
    into_low, into_high = interval_sum(in_russia, origins)
    out_low, out_high = interval_sum(abroad, origins)
    russia_low, russia_high = interval_sum(abroad, ("RUS",))
    origin = f"from {len(origins)} other CIS states"
    return pd.DataFrame(
        [
            {"flow": f"{origin}:\nabroad", "low": out_low, "high": out_high},
            {"flow": f"{origin}:\nin Russia", "low": into_low, "high": into_high},
            {"flow": "from Russia:\nabroad", "low": russia_low, "high": russia_high},
        ]
    )


def balance_numbers(workers: pd.DataFrame, balance: pd.DataFrame) -> dict[str, float]:
    """The sums of ``russia_balance`` (thousands) and the number of origin states with an in-Russia range,
    from ``migrant_workers_long``."""
    numbers = {"n-origins": int(workers.loc[workers["destination"] == IN_RUSSIA, "low"].notna().sum())}
    for prefix, row in zip(("abroad", "in-russia", "russia-abroad"), balance.itertuples()):
        numbers |= {f"{prefix}-low": float(row.low), f"{prefix}-high": float(row.high)}
    return numbers


def plot_russia_balance(balance: pd.DataFrame) -> plt.Figure:
    figure = figures.plot_intervals(
        balance, "low", "high", "flow", xlabel="Migrant workers, thousands (sums of the printed ranges)"
    )
    figure.axes[0].set_xlim(left=0)  # counts: lengths from zero compare honestly
    return figure
