"""Chapter 1's data: living standards, the UN ranking and Table 2's ranges.

Table 2 prints ranges; every function here keeps them as low/high pairs and
combines them with interval arithmetic, never with midpoints.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter, NullFormatter
import pandas as pd

from analysis import audit, figures, models, paper, paths
from analysis.countries import CIS, POST_SOVIET, display_name
from analysis.datapackage import read_resource, resource_path, rule_failure
from analysis.errors import DataValidationError, ParameterError

UN2005 = "un2005_immigrant_stocks"

ABROAD = "abroad (all destinations)"
IN_RUSSIA = "in Russia"
COMPUTED = "computed from Table 2"
STATED = "the paper's statement"

SHARE_BOUNDS = ("outer", "matched")


def _check_codes(name: str, codes, allowed) -> tuple[str, ...]:
    if isinstance(codes, str):
        raise ParameterError(f"{name} must be a list of ISO3 codes, got the string {codes!r}; write [{codes!r}].")
    unknown = [code for code in codes if code not in allowed]
    if unknown:
        raise ParameterError(
            f"{name}: unknown country code(s) {unknown}; expected codes among {', '.join(allowed)}."
        )
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
    return pd.DataFrame({
        "iso3": frame["iso3"].astype(str).to_numpy(),
        "country": frame["country"].astype(str).to_numpy(),
        "gdp_pc": frame["gdp_per_capita_usd"].to_numpy(dtype=float, na_value=np.nan),
        "poverty_pct": frame["poverty_below_2usd_day_pct"].to_numpy(dtype=float, na_value=np.nan),
    })


def living_standards_extremes(frame: pd.DataFrame) -> dict:
    """Richest and poorest country by GDP per capita, their ratio, and the poverty range."""
    richest = frame.loc[frame["gdp_pc"].idxmax()]
    poorest = frame.loc[frame["gdp_pc"].idxmin()]
    most_poor = frame.loc[frame["poverty_pct"].idxmax()]
    least_poor = frame.loc[frame["poverty_pct"].idxmin()]
    return {
        "richest": richest["country"], "richest_gdp_pc": float(richest["gdp_pc"]),
        "poorest": poorest["country"], "poorest_gdp_pc": float(poorest["gdp_pc"]),
        "gdp_pc_ratio": float(richest["gdp_pc"] / poorest["gdp_pc"]),
        "highest_poverty": most_poor["country"], "highest_poverty_pct": float(most_poor["poverty_pct"]),
        "lowest_poverty": least_poor["country"], "lowest_poverty_pct": float(least_poor["poverty_pct"]),
    }


def living_standards_correlations(frame: pd.DataFrame) -> models.Correlations:
    """Pearson and Spearman correlations of GDP per capita with the poverty share."""
    return models.correlations(models.cross_section(frame, "gdp_pc", "poverty_pct"))


_LOG_TICKS = (250, 500, 1000, 2000, 4000, 8000)


def plot_living_standards(frame: pd.DataFrame, *, log_gdp: bool = True) -> plt.Figure:
    figure = figures.labelled_scatter(
        frame, "gdp_pc", "poverty_pct", "country", logx=log_gdp,
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
        axis.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=len(labels),
                    frameon=False)
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
    table = pd.DataFrame({
        "country": frame["country"].astype(str).to_numpy(),
        "international migrants, million": stocks,
        "rank as stated": frame["rank_as_stated"].astype(int).to_numpy(),
        "rank stated or implied": frame["rank_basis"].astype(str).to_numpy(),
        "rank from the numbers": computed,
        "paper line": frame["paper_line"].astype(int).to_numpy(),
    })
    return table.sort_values("rank as stated").set_index("country")


def migrant_workers_long(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Table 2 in long form: one row per country and destination, low/high in thousands."""
    frame = paper.table2(descriptor)
    parts = []
    for destination, prefix in ((ABROAD, "abroad"), (IN_RUSSIA, "in_russia")):
        parts.append(pd.DataFrame({
            "iso3": frame["iso3"].astype(str).to_numpy(),
            "country": frame["country"].astype(str).to_numpy(),
            "destination": destination,
            "low": frame[f"{prefix}_low_thousands"].to_numpy(dtype=float, na_value=np.nan),
            "high": frame[f"{prefix}_high_thousands"].to_numpy(dtype=float, na_value=np.nan),
        }))
    order = {code: i for i, code in enumerate(frame["iso3"])}
    long = pd.concat(parts, ignore_index=True)
    long = long.sort_values(["iso3", "destination"], key=lambda s: s.map(order) if s.name == "iso3" else s)
    return long.reset_index(drop=True)


def plot_migrant_workers(long: pd.DataFrame) -> plt.Figure:
    figure = figures.intervals(long, "low", "high", "country", group="destination",
                               xlabel="Migrant workers, thousands (printed range; a tick alone is a single value)")
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


def share_comparison(bounds: str = "outer", about_band: float = 10.0,
                     descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Each country's share of migrant workers in Russia, as a range, against the text's band.

    The bands come from the claims ledger through ``audit.table2_statements``:
    "70-90%" for Central Asia and the Caucasus, "about half" read as 50 +/-
    ``about_band`` for Moldova and Ukraine. ``outer`` is the audit's interval,
    the widest the two printed ranges allow (in-Russia low / abroad high up to
    in-Russia high / abroad low). ``matched`` pairs low with low and high with
    high, as if both ranges came from one scenario. Shares are capped at 100 %.
    The verdict is "inside", "overlaps" or "outside" the band.
    """
    if bounds not in SHARE_BOUNDS:
        raise ParameterError(f"share bounds {bounds!r} is unknown; expected one of {', '.join(SHARE_BOUNDS)}.")
    settings = audit.Settings(about_half_margin_pp=about_band)
    frame = audit.table2_statements(settings=settings, inputs=audit.Inputs(settings, descriptor))
    low, high = frame["share_low"].to_numpy(dtype=float), frame["share_high"].to_numpy(dtype=float)
    verdict = frame["position"].astype(str).to_numpy()
    if bounds == "matched":
        pair_low = 100 * frame["russia_low"].to_numpy(dtype=float) / frame["abroad_low"].to_numpy(dtype=float)
        pair_high = 100 * frame["russia_high"].to_numpy(dtype=float) / frame["abroad_high"].to_numpy(dtype=float)
        low = np.minimum(np.minimum(pair_low, pair_high), 100.0)
        high = np.minimum(np.maximum(pair_low, pair_high), 100.0)
        band_low, band_high = frame["band_low"].to_numpy(dtype=float), frame["band_high"].to_numpy(dtype=float)
        verdict = np.where((band_low <= low) & (high <= band_high), "inside",
                           np.where((high < band_low) | (low > band_high), "outside", "overlaps"))
    return pd.DataFrame({
        "country": frame["country"].astype(str).to_numpy(),
        "group": frame["group"].astype(str).to_numpy(),
        "computed_low_pct": low,
        "computed_high_pct": high,
        "stated_low_pct": frame["band_low"].to_numpy(dtype=float),
        "stated_high_pct": frame["band_high"].to_numpy(dtype=float),
        "verdict": verdict,
    })


def comparison_long(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison as two ranges per country (computed, stated), for ``figures.intervals``."""
    computed = comparison.assign(source=COMPUTED, low=comparison["computed_low_pct"],
                                 high=comparison["computed_high_pct"])
    stated = comparison.assign(source=STATED, low=comparison["stated_low_pct"], high=comparison["stated_high_pct"])
    long = pd.concat([computed, stated])
    long = long.sort_index(kind="stable").reset_index(drop=True)
    return long[["country", "source", "low", "high"]]


def plot_share_comparison(comparison: pd.DataFrame) -> plt.Figure:
    return _legend_below(figures.intervals(
        comparison_long(comparison), "low", "high", "country", group="source",
        xlabel="Share of the country's migrant workers who work in Russia, %"))


def comparison_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison for display: ranges as printed text, one row per country."""
    def fmt(low, high):
        return f"{low:.0f}" if round(low) == round(high) else f"{low:.0f}–{high:.0f}"
    return pd.DataFrame({
        "country": comparison["country"],
        "group in the text": comparison["group"],
        "share in Russia, computed, %": [fmt(lo, hi) for lo, hi in
                                         zip(comparison["computed_low_pct"], comparison["computed_high_pct"])],
        "the text's statement, %": [fmt(lo, hi) for lo, hi in
                                    zip(comparison["stated_low_pct"], comparison["stated_high_pct"])],
        "verdict": comparison["verdict"],
    }).set_index("country")


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
    return pd.DataFrame([
        {"flow": f"{origin}:\nabroad", "low": out_low, "high": out_high},
        {"flow": f"{origin}:\nin Russia", "low": into_low, "high": into_high},
        {"flow": "from Russia:\nabroad", "low": russia_low, "high": russia_high},
    ])


def plot_russia_balance(balance: pd.DataFrame) -> plt.Figure:
    figure = figures.intervals(balance, "low", "high", "flow",
                               xlabel="Migrant workers, thousands (sums of the printed ranges)")
    figure.axes[0].set_xlim(left=0)  # counts: lengths from zero compare honestly
    return figure
