"""Chapter 1's data: living standards, the UN ranking and Table 2's ranges.

Table 2 prints ranges; every function here keeps them as low/high pairs and
combines them with interval arithmetic, never with midpoints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import figures, paper, paths
from analysis.countries import CIS, POST_SOVIET, display_name
from analysis.datapackage import read_resource
from analysis.errors import DataValidationError, ParameterError

UN2005 = "un2005_immigrant_stocks"

ABROAD = "abroad (all destinations)"
IN_RUSSIA = "in Russia"
COMPUTED = "computed from Table 2"
STATED = "the paper's statement"

SHARE_BOUNDS = ("outer", "matched")


@dataclass(frozen=True)
class StatedShare:
    """A statement of the text about the share of a group's migrants who work in Russia."""

    group: str
    countries: tuple[str, ...]
    printed_text: str
    paper_line: int
    low_pct: float | None = None  # a stated range
    high_pct: float | None = None
    about_pct: float | None = None  # "about x": the band is x +/- a tolerance the reader chooses


# The text names groups, not countries; the members below are those of Table 2
# that fall in each group (Kazakhstan and Turkmenistan are not in Table 2).
STATED_SHARES = (
    StatedShare("Central Asian states and Caucasus republics", ("ARM", "AZE", "GEO", "KGZ", "TJK", "UZB"),
                "accumulating 70-90% of their labor", 135, low_pct=70, high_pct=90),
    StatedShare("Moldova and Ukraine", ("MDA", "UKR"), "only about half of migrants", 136, about_pct=50),
)


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


def living_standards(leave_out=(), descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Table 1 as iso3, country, gdp_pc (US$) and poverty_pct, without the countries in ``leave_out``."""
    frame = paper.table1(descriptor)
    leave_out = _check_codes("leave_out", leave_out, tuple(frame["iso3"]))
    frame = frame[~frame["iso3"].isin(leave_out)]
    if len(frame) < 2:
        raise ParameterError(f"leave_out={list(leave_out)} leaves {len(frame)} country; keep at least 2.")
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


def plot_living_standards(frame: pd.DataFrame, *, log_gdp: bool = True) -> plt.Figure:
    return figures.labelled_scatter(
        frame, "gdp_pc", "poverty_pct", "country", logx=log_gdp,
        xlabel="GDP per capita, US$" + (" (log scale)" if log_gdp else ""),
        ylabel="Population below 2 US$ a day, %",
    )


def un2005_immigrant_stocks(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The UN 2005 immigrant stocks the text quotes, with a display name per ISO3 code."""
    frame = read_resource(UN2005, descriptor)
    names = []
    for row, code in enumerate(frame["iso3"], start=1):
        try:
            names.append(display_name(code))
        except DataValidationError as exc:
            raise DataValidationError(
                f"{UN2005}.csv: data row {row}, column 'iso3': {exc} Use the country's ISO 3166 alpha-3 code."
            ) from exc
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
    return figures.intervals(long, "low", "high", "country", group="destination",
                             xlabel="Migrant workers, thousands (printed range; a tick alone is a single value)")


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


def share_in_russia(bounds: str = "outer", descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Share of each country's migrant workers who work in Russia, as a range in percent.

    ``outer`` gives the widest range the two printed ranges allow: in-Russia
    low / abroad high up to in-Russia high / abroad low. ``matched`` pairs low
    with low and high with high, as if both ranges came from one scenario.
    Upper ends above 100 % (more in Russia than abroad in all) are capped at
    100 and flagged.
    """
    if bounds not in SHARE_BOUNDS:
        raise ParameterError(f"share bounds {bounds!r} is unknown; expected one of {', '.join(SHARE_BOUNDS)}.")
    frame = paper.table2(descriptor)
    frame = frame[frame["in_russia_low_thousands"].notna()]
    abroad_low = frame["abroad_low_thousands"].to_numpy(dtype=float)
    abroad_high = frame["abroad_high_thousands"].to_numpy(dtype=float)
    russia_low = frame["in_russia_low_thousands"].to_numpy(dtype=float)
    russia_high = frame["in_russia_high_thousands"].to_numpy(dtype=float)
    if bounds == "outer":
        low, high = russia_low / abroad_high, russia_high / abroad_low
    else:
        pair_low, pair_high = russia_low / abroad_low, russia_high / abroad_high
        low, high = np.minimum(pair_low, pair_high), np.maximum(pair_low, pair_high)
    low, high = 100 * low, 100 * high
    return pd.DataFrame({
        "iso3": frame["iso3"].astype(str).to_numpy(),
        "country": frame["country"].astype(str).to_numpy(),
        "low_pct": np.minimum(low, 100.0),
        "high_pct": np.minimum(high, 100.0),
        "capped": high > 100.0,
    })


def _stated_band(statement: StatedShare, about_band: float) -> tuple[float, float]:
    if statement.about_pct is None:
        return float(statement.low_pct), float(statement.high_pct)
    return statement.about_pct - about_band, statement.about_pct + about_band


def compare_with_text(shares: pd.DataFrame, about_band: float = 10.0) -> pd.DataFrame:
    """Each country's computed share range against the text's statement for its group.

    ``about_band`` turns "about half" into 50 +/- about_band percent; the text
    gives no tolerance, so this is the reader's choice. The verdict is
    "within" (the computed range lies inside the statement), "overlaps" or
    "outside".
    """
    if not 0 <= about_band <= 50:
        raise ParameterError(f"about_band must lie between 0 and 50 percentage points, got {about_band!r}.")
    by_code = shares.set_index("iso3")
    rows = []
    for statement in STATED_SHARES:
        stated_low, stated_high = _stated_band(statement, about_band)
        for code in statement.countries:
            if code not in by_code.index:
                raise DataValidationError(
                    f"compare_with_text: {code} ({statement.group}) has no share in Table 2; "
                    "its row or its 'in Russia' range is missing."
                )
            low, high = by_code.at[code, "low_pct"], by_code.at[code, "high_pct"]
            if stated_low <= low and high <= stated_high:
                verdict = "within"
            elif high < stated_low or low > stated_high:
                verdict = "outside"
            else:
                verdict = "overlaps"
            rows.append({
                "iso3": code, "country": by_code.at[code, "country"], "group": statement.group,
                "computed_low_pct": float(low), "computed_high_pct": float(high),
                "stated_low_pct": stated_low, "stated_high_pct": stated_high,
                "verdict": verdict, "paper_line": statement.paper_line,
            })
    return pd.DataFrame(rows)


def comparison_long(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison as two ranges per country (computed, stated), for ``figures.intervals``."""
    computed = comparison.assign(source=COMPUTED, low=comparison["computed_low_pct"],
                                 high=comparison["computed_high_pct"])
    stated = comparison.assign(source=STATED, low=comparison["stated_low_pct"], high=comparison["stated_high_pct"])
    long = pd.concat([computed, stated])
    long = long.sort_index(kind="stable").reset_index(drop=True)
    return long[["iso3", "country", "source", "low", "high"]]


def plot_share_comparison(comparison: pd.DataFrame) -> plt.Figure:
    return figures.intervals(comparison_long(comparison), "low", "high", "country", group="source",
                             xlabel="Share of the country's migrant workers who work in Russia, %")


def comparison_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison for display: ranges as printed text, one row per country."""
    def fmt(low, high):
        return f"{low:.0f}" if round(low) == round(high) else f"{low:.0f}–{high:.0f}"
    return pd.DataFrame({
        "country": comparison["country"],
        "text's group": comparison["group"],
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
    label = f"from the {len(origins)} other CIS states of Table 2"
    return pd.DataFrame([
        {"flow": f"Migrant workers abroad, {label}", "low": out_low, "high": out_high},
        {"flow": f"Migrant workers in Russia, {label}", "low": into_low, "high": into_high},
        {"flow": "Migrant workers abroad from Russia", "low": russia_low, "high": russia_high},
    ])


def plot_russia_balance(balance: pd.DataFrame) -> plt.Figure:
    return figures.intervals(balance, "low", "high", "flow",
                             xlabel="Migrant workers, thousands (sums of the printed ranges)")
