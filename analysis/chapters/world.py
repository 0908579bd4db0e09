"""Chapter 12, the CIS in the world: ranks of remittance dependence, and the paper's question asked of every economy.

Every function takes the frame of :func:`frame` (economy-years from
:mod:`analysis.data.external.world`) and returns a table or a plain dict for the
page; none reads a file itself except :func:`frame` and :func:`chapter5_slopes`.

Declared rules:

- **rank**: among the economies with a remittance share that year, 1 is the
  largest share; tied shares share the better rank ("competition ranking").
- **percentile**: the share (%) of the other economies that year whose share is
  smaller; the largest share is at 100, the smallest at 0.
- **outlier**: a CIS state whose share lies outside the 95 % prediction interval
  of the world relation fitted without the CIS states (P3's specification).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis import results
from analysis.data import paper
from analysis.data.countries import CIS, display_name
from analysis.data.external import panel_data, series, world
from analysis.errors import ParameterError
from analysis.models import catalogue, fixed_effects, panels

PAPER_YEAR = 2003  # the year of the paper's Table 3 shares, where chapter 5's slopes sit
SHARE, INCOME = "share_pct", "log_income"
CHAPTER5_MODELS = ("M1", "M2", "M3", "M4")  # remittance share ~ log GDP per capita on Table 1 and Table 3
SAMPLE_WORLD, SAMPLE_SEVEN = "all economies", "Table 3 countries"


def frame(start: int, end: int, income_measure: str) -> pd.DataFrame:
    """Economy-years with a remittance share, the income measure and its log, and a CIS flag (every economy;
    :func:`populous` applies the population threshold)."""
    table = world.economies(start, end)
    income = world.income_column(income_measure)
    out = table[["iso3", "country", "year", "population"]].copy()
    out[SHARE] = table["remittances_pct_gdp"]
    out["income"] = table[income]
    out[INCOME] = np.log(table[income].where(table[income] > 0))
    out["cis"] = out["iso3"].isin(CIS)
    out = out.dropna(subset=[SHARE]).reset_index(drop=True)
    out.attrs.update(income_measure=income_measure, start=start, end=end)
    return out


def populous(data: pd.DataFrame, min_population: float) -> pd.DataFrame:
    """The economy-years of :func:`frame` with at least ``min_population`` people (rule of
    :func:`analysis.data.external.world.keep_populous`)."""
    kept = world.keep_populous(data, min_population)
    kept.attrs.update(data.attrs, min_population=min_population)
    return kept


def income_axis(income_measure: str) -> str:
    """The income measure in words, with its unit, from the series registry."""
    if income_measure == "ppp":
        row = series.entry(*world.GDP_PC_PPP)
        return f"{row['series_name']} ({row['unit']})"
    world.income_column(income_measure)
    return f"{series.entry(*world.GDP)['series_name']} per person ({series.entry(*world.GDP)['unit']})"


def source_line(used) -> str:
    """The registry's source line with its citations, for ``{glue:md}`key:myst```; series codes become code
    spans, because MyST's link detection would otherwise turn a code ending in a country domain (NY.GDP.MKTP.CD)
    into a web link."""
    text = series.cite_sources(list(dict.fromkeys(used)))
    return re.sub(
        r"\(([A-Z][A-Z0-9]*(?:\.[A-Z0-9]+)+(?: / [A-Z][A-Z0-9]*(?:\.[A-Z0-9]+)+)?)\)",
        lambda match: "(" + " / ".join(f"`{code}`" for code in match.group(1).split(" / ")) + ")",
        text,
    )


def labels(income_measure: str) -> dict[str, str]:
    """Glue text: the source line, the population series and the income measure."""
    used = [world.REMITTANCES, world.GDP, *world.income_series(income_measure), world.POPULATION]
    return {
        "sources": source_line(used),
        "population": series.short_label(*world.POPULATION),
        "income": income_axis(income_measure),
    }


def other_threshold(min_population: float) -> float:
    """The population threshold of the sensitivity: 1 million when the chapter keeps every economy, else none."""
    return 1_000_000.0 if min_population == 0 else 0.0


def leaders_with(everything: pd.DataFrame, min_population: float) -> str:
    """The years a CIS state led the world with another population threshold (see :func:`top_years_text`)."""
    return top_years_text(ranks(populous(everything, min_population)))


def ranks(data: pd.DataFrame, countries=CIS) -> pd.DataFrame:
    """For each of ``countries`` and year: share, rank and percentile among all economies, and the leader."""
    ranked = data[["iso3", "year", SHARE]].copy()
    by_year = ranked.groupby("year")[SHARE]
    ranked["rank"] = by_year.rank(method="min", ascending=False).astype(int)
    ranked["n"] = by_year.transform("size").astype(int)
    smaller = by_year.rank(method="min", ascending=True) - 1
    ranked["percentile"] = np.where(ranked["n"] > 1, 100 * smaller / (ranked["n"] - 1).clip(lower=1), 100.0)
    leaders = ranked.loc[ranked["rank"] == 1].groupby("year")["iso3"].agg(";".join).rename("world_top")
    chosen = ranked[ranked["iso3"].isin(countries)].merge(leaders, on="year", how="left")
    chosen.insert(5, "country", chosen["iso3"].map(display_name))
    return chosen.sort_values(["iso3", "year"], kind="stable").reset_index(drop=True)


def top_years(ranked: pd.DataFrame) -> dict[str, list[int]]:
    """ISO3 -> the years in which that country had the world's largest share."""
    leaders = ranked[ranked["rank"] == 1]
    return {code: sorted(int(year) for year in group["year"]) for code, group in leaders.groupby("iso3")}


def _years_text(years: list[int]) -> str:
    """2007, 2008, 2010 -> '2007–2008, 2010' (runs of consecutive years joined)."""
    runs, start = [], None
    for index, year in enumerate(years):
        start = year if start is None else start
        if index + 1 == len(years) or years[index + 1] != year + 1:
            runs.append(f"{start}" if start == year else f"{start}–{year}")
            start = None
    return ", ".join(runs)


def top_years_text(ranked: pd.DataFrame) -> str:
    """'Tajikistan (2007–2008, 2010–2014) and Moldova (2006)', or 'none' when no CIS state led."""
    found = top_years(ranked)
    if not found:
        return "none"
    parts = [
        f"{display_name(code)} ({_years_text(years)})"
        for code, years in sorted(found.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def rank_numbers(ranked: pd.DataFrame, last_year: int) -> dict:
    """Glue numbers of the ranks section."""
    found = top_years(ranked)
    latest = ranked[ranked["year"] == last_year].sort_values("rank")
    in_top_ten = ranked[ranked["rank"] <= 10]
    return {
        "n-min": int(ranked["n"].min()),
        "n-max": int(ranked["n"].max()),
        "top-years": sum(len(years) for years in found.values()),
        "years": int(ranked["year"].nunique()),
        "top-ten-latest": int((latest["rank"] <= 10).sum()),
        "top-ten-countries": int(in_top_ten["iso3"].nunique()),
        "latest-best-rank": int(latest["rank"].iloc[0]) if len(latest) else 0,
        "latest-best-share": float(latest[SHARE].iloc[0]) if len(latest) else np.nan,
        "latest-n": int(latest["n"].iloc[0]) if len(latest) else 0,
    }


def rank_texts(ranked: pd.DataFrame, last_year: int) -> dict[str, str]:
    """Glue text of the ranks section: the years CIS states led the world, and the best-placed one at the end."""
    latest = ranked[ranked["year"] == last_year].sort_values("rank")
    return {
        "leaders": top_years_text(ranked),
        "latest-best": display_name(latest["iso3"].iloc[0]) if len(latest) else "none",
    }


def yearly_slopes(data: pd.DataFrame) -> pd.DataFrame:
    """P3 by year for all economies and for the seven Table 3 countries, long form with ``sample``."""
    seven = panel_data.table3_countries()
    parts = [
        fixed_effects.yearly_slopes(data, SHARE, INCOME).assign(sample=SAMPLE_WORLD),
        fixed_effects.yearly_slopes(data[data["iso3"].isin(seven)], SHARE, INCOME).assign(sample=SAMPLE_SEVEN),
    ]
    return pd.concat(parts, ignore_index=True)


def slope_numbers(slopes: pd.DataFrame) -> dict:
    """Glue numbers of the year-by-year section: how often each sample's slope is settled below zero."""
    numbers = {}
    for key, sample in (("world", SAMPLE_WORLD), ("seven", SAMPLE_SEVEN)):
        rows = slopes[slopes["sample"] == sample]
        numbers[f"{key}-years"] = len(rows)
        numbers[f"{key}-below"] = int((rows["ci_high"] < 0).sum())
        numbers[f"{key}-above"] = int((rows["ci_low"] > 0).sum())
        numbers[f"{key}-median"] = float(rows["coef"].median()) if len(rows) else np.nan
        numbers[f"{key}-n-median"] = int(rows["n"].median()) if len(rows) else 0
    return numbers


def chapter5_slopes() -> dict[str, float]:
    """The OLS slopes of chapter 5's M1-M4 (Table 3 shares on Table 1's log GDP per capita)."""
    variables = catalogue.remittance_variables()
    slopes = {}
    for model_id in CHAPTER5_MODELS:
        data = catalogue.model_data(model_id, frame=variables)
        slopes[model_id] = float(np.polyfit(data.x, data.y, 1)[0])
    return slopes


def random_sample_slopes(
    data: pd.DataFrame, year: int, size: int = 7, draws: int = 10_000, seed: int = 2006
) -> np.ndarray:
    """OLS slopes of share on log income in ``draws`` random samples of ``size`` economies of ``year``."""
    rows = data[(data["year"] == year)].dropna(subset=[SHARE, INCOME])
    if len(rows) < size + 1:
        raise ParameterError(f"{year} has {len(rows)} economies with a share and an income; need more than {size}.")
    x, y = rows[INCOME].to_numpy(), rows[SHARE].to_numpy()
    picks = np.argsort(np.random.default_rng(seed).random((draws, len(rows))), axis=1)[:, :size]
    xs, ys = x[picks], y[picks]
    xc = xs - xs.mean(axis=1, keepdims=True)
    return (xc * (ys - ys.mean(axis=1, keepdims=True))).sum(axis=1) / (xc**2).sum(axis=1)


def percentile_of(value: float, distribution: np.ndarray) -> float:
    """The share (%) of ``distribution`` at or below ``value``."""
    return float(100 * np.mean(np.asarray(distribution) <= value))


def seven_numbers(
    slopes: pd.DataFrame, random_slopes: np.ndarray, chapter5: dict[str, float], year: int = PAPER_YEAR
) -> dict:
    """Where chapter 5's slopes and the seven countries' slope on public data fall among random samples."""
    at_year = slopes[slopes["year"] == year].set_index("sample")["coef"]
    numbers = {
        "year": year,
        "draws": len(random_slopes),
        "random-low": float(np.percentile(random_slopes, 2.5)),
        "random-high": float(np.percentile(random_slopes, 97.5)),
        "random-below-zero": float(100 * np.mean(random_slopes < 0)),
    }
    for model_id, slope in chapter5.items():
        numbers[f"{model_id.lower()}"] = slope
        numbers[f"{model_id.lower()}-pct"] = percentile_of(slope, random_slopes)
    for key, sample in (("public", SAMPLE_SEVEN), ("world", SAMPLE_WORLD)):
        slope = float(at_year.get(sample, np.nan))
        numbers[key] = slope
        numbers[f"{key}-pct"] = percentile_of(slope, random_slopes)
    numbers["ch5-lowest-pct"] = min(numbers[f"{m.lower()}-pct"] for m in chapter5)
    numbers["ch5-highest-pct"] = max(numbers[f"{m.lower()}-pct"] for m in chapter5)
    return numbers


def outliers(data: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each CIS state of ``year`` against the world relation fitted without the CIS states.

    Columns: the prediction, the 95 % prediction interval, the residual, whether
    the share lies outside the interval, and the residual's percentile among the
    world economies' own residuals (the share of them that are smaller).
    """
    rows = data[data["year"] == year].dropna(subset=[SHARE, INCOME])
    rest, cis = rows[~rows["cis"]], rows[rows["cis"]]
    if cis.empty or len(rest) < 3:
        raise ParameterError(
            f"{year} has {len(cis)} CIS states and {len(rest)} other economies with data; choose a year with both."
        )
    table = fixed_effects.prediction_intervals(rest, cis, SHARE, INCOME)
    own = fixed_effects.prediction_intervals(rest, rest, SHARE, INCOME)["residual"].to_numpy()
    table["outside"] = np.where(
        table[SHARE] > table["pi_high"], "above", np.where(table[SHARE] < table["pi_low"], "below", "inside")
    )
    table["residual_percentile"] = [percentile_of(value, own) for value in table["residual"]]
    table.attrs["n_fitted"] = len(rest)
    return table.sort_values("residual", ascending=False).reset_index(drop=True)


def prediction_band(data: pd.DataFrame, year: int, points: int = 60) -> pd.DataFrame:
    """The world line of ``year`` without the CIS states and its 95 % prediction interval, over the range of
    log income of all economies that year (for the figure)."""
    rows = data[data["year"] == year].dropna(subset=[SHARE, INCOME])
    grid = pd.DataFrame({INCOME: np.linspace(rows[INCOME].min(), rows[INCOME].max(), points), SHARE: 0.0})
    return fixed_effects.prediction_intervals(rows[~rows["cis"]], grid, SHARE, INCOME)


def outlier_numbers(table: pd.DataFrame) -> dict:
    above = table[table["outside"] == "above"]
    return {
        "n": len(table),
        "n-fitted": int(table.attrs["n_fitted"]),
        "above": len(above),
        "below": int((table["outside"] == "below").sum()),
        "above-names": ", ".join(above["country"]) or "none",
        "largest": table["country"].iloc[0],
        "largest-residual": float(table["residual"].iloc[0]),
        "largest-pct": float(table["residual_percentile"].iloc[0]),
    }


EFFECTS_TEXT = {
    "country+year": "one for each economy and one for each year",
    "country": "one for each economy",
    "year": "one for each year",
    "none": "none, a pooled regression with CIS as its own level in P5",
}


def effects_text(effects: str) -> str:
    fixed_effects.fixed_effects_of(effects)
    return EFFECTS_TEXT[effects]


def panel_models(data: pd.DataFrame, effects: str, draws: int, seed: int) -> dict:
    """P4 (share ~ log income with fixed effects) and P5 (plus the CIS interaction, with its randomization p)."""
    usable = data.dropna(subset=[SHARE, INCOME]).copy()
    usable["log_income_x_cis"] = usable[INCOME] * usable["cis"]
    usable["cis_level"] = usable["cis"].astype(float)
    p4 = fixed_effects.panel(usable, SHARE, [INCOME], effects)
    p5_terms = [INCOME, "log_income_x_cis"] + (
        [] if "iso3" in fixed_effects.fixed_effects_of(effects) else ["cis_level"]
    )
    p5 = fixed_effects.panel(usable, SHARE, p5_terms, effects)
    randomization = fixed_effects.interaction_randomization(usable, SHARE, INCOME, "cis", effects, draws, seed)
    return {"P4": p4, "P5": p5, "randomization": randomization}


def panel_numbers(models: dict) -> dict:
    p4, p5, randomization = models["P4"], models["P5"], models["randomization"]
    slope, interaction = p4.terms[INCOME], p5.terms["log_income_x_cis"]
    return {
        "p4": slope.coef,
        "p4-low": slope.ci_low,
        "p4-high": slope.ci_high,
        "p4-p": slope.p,
        "n": p4.n,
        "g": p4.n_clusters,
        "df": p4.df_inference,
        "r2": p4.r2_within,
        "p5": interaction.coef,
        "p5-low": interaction.ci_low,
        "p5-high": interaction.ci_high,
        "p5-p": interaction.p,
        "p5-ri": randomization["p"],
        "p5-draws": randomization["draws"],
        "p5-group": randomization["group_size"],
        "cis-slope": p5.terms[INCOME].coef + interaction.coef,
    }


def panel_table(models: dict) -> pd.DataFrame:
    """P4 and P5 for display: coefficient, clustered 95 % interval and p-values."""
    labels = {INCOME: "log GDP per capita", "log_income_x_cis": "log GDP per capita × CIS", "cis_level": "CIS"}
    rows = []
    for model_id in ("P4", "P5"):
        fit = models[model_id]
        for term, value in fit.terms.items():
            randomization = models["randomization"]["p"] if term == "log_income_x_cis" else np.nan
            rows.append(
                {
                    "model": model_id,
                    "term": labels[term],
                    "coefficient": f"{value.coef:.2f}",
                    "95 % interval (clustered)": f"{value.ci_low:.2f} to {value.ci_high:.2f}",
                    "p (clustered, t)": f"{value.p:.3f}",
                    "p (random groups)": "–" if np.isnan(randomization) else f"{randomization:.3f}",
                    "n (economies)": f"{fit.n:,} ({fit.n_clusters})",
                }
            )
    return pd.DataFrame(rows).set_index(["model", "term"])


def model_rows(slopes: pd.DataFrame, models: dict, data: pd.DataFrame, effects: str) -> pd.DataFrame:
    """P3, P4 and P5 as tidy rows for results/world_models.csv."""
    settings = {
        "income_measure": data.attrs["income_measure"],
        "min_population": data.attrs["min_population"],
        "start": data.attrs["start"],
        "end": data.attrs["end"],
    }
    rows = [
        {
            "model_id": fixed_effects.P3,
            "sample": row["sample"],
            "year": int(row["year"]),
            "term": INCOME,
            "fixed_effects": "none",
            "coef": row["coef"],
            "se": row["se_hc3"],
            "se_type": "HC3",
            "p": row["p_hc3"],
            "ci_low": row["ci_low"],
            "ci_high": row["ci_high"],
            "n": int(row["n"]),
        }
        for _, row in slopes.iterrows()
    ]
    for model_id in ("P4", "P5"):
        fit = models[model_id]
        for term, value in fit.terms.items():
            rows.append(
                {
                    "model_id": model_id,
                    "sample": SAMPLE_WORLD,
                    "term": term,
                    "fixed_effects": effects,
                    "coef": value.coef,
                    "se": value.se,
                    "se_type": "CR1",
                    "p": value.p,
                    "ci_low": value.ci_low,
                    "ci_high": value.ci_high,
                    "n": fit.n,
                    "n_clusters": fit.n_clusters,
                    "df_inference": fit.df_inference,
                    "p_randomization": models["randomization"]["p"] if term == "log_income_x_cis" else np.nan,
                    "randomization_draws": models["randomization"]["draws"] if term == "log_income_x_cis" else np.nan,
                }
            )
    columns = [
        "model_id",
        "sample",
        "year",
        "term",
        "fixed_effects",
        "coef",
        "se",
        "se_type",
        "p",
        "ci_low",
        "ci_high",
        "n",
        "n_clusters",
        "df_inference",
        "p_randomization",
        "randomization_draws",
    ]
    return pd.DataFrame(rows).reindex(columns=columns).assign(**settings)


def write(ranked: pd.DataFrame, models: pd.DataFrame, income_measure: str) -> dict:
    """results/world_ranks and results/world_models, with the hashes of the public files (and of Table 1 and
    Table 3, which chapter 5's slopes and the seven countries come from)."""
    hashes = panels.external_hash_field(series.files_of([*world.SERIES, *world.income_series(income_measure)]))
    return {
        "world_ranks": results.write_table(ranked.assign(external_sha256=hashes), "world_ranks", resources=[]),
        "world_models": results.write_table(
            models.assign(external_sha256=hashes),
            "world_models",
            resources=[paper.TABLE1, paper.TABLE3_LEVELS, paper.TABLE3_SHARES],
        ),
    }
