"""Chapter 11, data revisions: the paper's 2003 figures beside later editions, and what survives.

The paper's Table 3 is set beside three World Bank remittance editions and two
GDP distributions, each kept apart; the paper-era models are re-fitted on each
edition with the catalogue's code, and the cross-section is re-estimated year by
year (P2). The ``*_numbers`` functions give each section's glued numbers by
their glue keys (the page glues them under the prefix ``rev``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis import audit, results
from analysis.chapters.extension_common import (
    NOT_AVAILABLE,
    TABLE3_YEAR,
    country_names,
    format_value,
    in_words,
    interval_phrase,
    other_population,
    results_name,
)
from analysis.data.external import panel_data, series
from analysis.errors import ParameterError
from analysis.models import catalogue, panels, regression

REVISION_TOLERANCE = 0.05  # an edition within 5 % of the paper's figure left it (nearly) as printed
GDP_EDITIONS = (panel_data.WDI_2025, panel_data.DATASETS_GDP)
PAPER = "paper (Table 3)"
PAPER_COLUMNS = {
    "remittances_bop_2003_musd": "remittances, BOP 2003",
    "remittances_estimate_musd": "remittances, estimate",
    "gdp_2003_musd": "GDP 2003",
}
EDITION_SHORT = {
    panel_data.WB_2013: "WB 2013",
    panel_data.WDI_2023: "WDI 2023",
    panel_data.WDI_2025: "WDI 2025",
    panel_data.DATASETS_GDP: "WDI (datasets/gdp)",
}
# The paper-era models re-fitted on an edition: the edition's one remittance series
# takes the place of the column the catalogue model reads.
RERUN_SPECS = ("M4", "M5")
PAPER_SPECS = ("M3", "M4", "M5")


def sign_settled(low: float, high: float) -> str:
    """'positive' or 'negative' when an interval excludes zero, else 'sign not settled'."""
    return "negative" if high < 0 else "positive" if low > 0 else "sign not settled"


def revisions_wide(revisions: pd.DataFrame) -> pd.DataFrame:
    """For display: each paper column and country, the paper's value and each edition's (US$ million)."""
    frame = revisions.assign(
        quantity=revisions["paper_column"].map(PAPER_COLUMNS), edition_label=revisions["edition"].map(EDITION_SHORT)
    )
    editions = frame.pivot_table(
        index=["quantity", "country"],
        columns="edition_label",
        values="edition_value_musd",
        aggfunc="first",
        dropna=False,
        sort=False,
    )
    printed = frame.groupby(["quantity", "country"], sort=False)["paper_value_musd"].first()
    table = pd.concat([printed.rename("paper"), editions], axis=1)
    table = table.loc[[key for key in printed.index]]
    columns = ["paper"] + [label for label in EDITION_SHORT.values() if label in table.columns]
    return table[columns].map(lambda v: format_value(v, ",.0f")).rename_axis(index=["", ""], columns=None)


def revision_summary(revisions: pd.DataFrame, tolerance: float = REVISION_TOLERANCE) -> pd.DataFrame:
    """Per paper column and edition: countries compared, within ``tolerance`` of the paper, extremes."""
    rows = []
    for (column, edition), part in revisions.groupby(["paper_column", "edition"], sort=False):
        part = part.dropna(subset=["revision_ratio"])
        low, high = part.loc[part["revision_ratio"].idxmin()], part.loc[part["revision_ratio"].idxmax()]
        rows.append(
            {
                "paper_column": column,
                "edition": edition,
                "countries": len(part),
                "within_tolerance": int(((part["revision_ratio"] - 1).abs() <= tolerance).sum()),
                "lowest_country": low["country"],
                "lowest_ratio": float(low["revision_ratio"]),
                "highest_country": high["country"],
                "highest_ratio": float(high["revision_ratio"]),
                "median_ratio": float(part["revision_ratio"].median()),
            }
        )
    return pd.DataFrame(rows)


def rerun_variables(
    edition: str,
    year: int = 2003,
    gdp_edition: str = panel_data.WDI_2025,
    population_edition: str = panel_data.POPULATION_WB,
) -> pd.DataFrame:
    """The variables of the paper-era models, with one edition's remittances and GDP in ``year``.

    GDP per capita divides ``gdp_edition``'s GDP by ``population_edition``'s population.
    Columns carry the names the catalogue reads (:func:`analysis.models.catalogue.remittance_variables`):
    the edition's one remittance series fills both the BOP and the estimate columns.
    """
    if gdp_edition not in GDP_EDITIONS:
        raise ParameterError(f"gdp_edition={gdp_edition!r}; choose one of {sorted(GDP_EDITIONS)}.")
    table = panel_data.cross_section(
        year, remittance_edition=edition, gdp_edition=gdp_edition, population_edition=population_edition
    )
    remittances_musd = table["remittances_usd"] / 1e6
    gdp_musd = table["gdp_usd"] / 1e6
    share = 100.0 * remittances_musd / gdp_musd
    return pd.DataFrame(
        {
            "iso3": table["iso3"].to_numpy(),
            "country": table["country"].to_numpy(),
            "gdp_pc": table["gdp_per_capita_usd"].to_numpy(),
            "log_gdp_pc": np.log(table["gdp_per_capita_usd"]).to_numpy(),
            "gdp": gdp_musd.to_numpy(),
            "log_gdp": np.log(gdp_musd).to_numpy(),
            "remit_estimate": remittances_musd.to_numpy(),
            "remit_bop": remittances_musd.to_numpy(),
            "log_remit_estimate": np.log(remittances_musd).to_numpy(),
            "log_remit_bop": np.log(remittances_musd).to_numpy(),
            "share_estimate_recomputed": share.to_numpy(),
            "share_bop_recomputed": share.to_numpy(),
        }
    )


def reruns(
    year: int = 2003,
    gdp_edition: str = panel_data.WDI_2025,
    population_edition: str = panel_data.POPULATION_WB,
    *,
    boot_draws: int = regression.BOOTSTRAP_DRAWS,
    seed: int = regression.DEFAULT_SEED,
) -> list[tuple[str, catalogue.ModelEstimate]]:
    """The paper-era models on the paper's Table 3 and on each World Bank edition, by the catalogue's code.

    Returns (data label, estimate) pairs: M3, M4 and M5 on the paper's data, then
    the specifications of M4 (share ~ log GDP per capita) and M5 (the elasticity)
    on WB 2013, WDI 2023 and WDI 2025 remittances in ``year``.
    """
    fitted = [(PAPER, catalogue.fit(model_id, boot_draws=boot_draws, seed=seed)) for model_id in PAPER_SPECS]
    for edition in panel_data.REMITTANCE_EDITIONS:
        frame = rerun_variables(edition, year, gdp_edition, population_edition)
        fitted += [
            (edition, catalogue.fit(model_id, frame=frame, boot_draws=boot_draws, seed=seed))
            for model_id in RERUN_SPECS
        ]
    return fitted


def reruns_rows(
    fitted, year: int = 2003, gdp_edition: str = panel_data.WDI_2025, population_edition: str = panel_data.POPULATION_WB
) -> pd.DataFrame:
    """One row per fit (results.model_rows' columns) with the data it used and a run label.

    ``model_id`` keeps the catalogue id only for the paper's own data; a re-fit on
    an edition is labelled ``spec_id`` = "<id>|<edition>|<year>|GDP <edition>", a label
    within this table, never a catalogue id; ``population_edition`` names its population.
    """
    rows = results.model_rows([estimate for _, estimate in fitted])
    labels = [label for label, _ in fitted]
    rows.insert(
        1,
        "spec_id",
        [
            model_id if label == PAPER else f"{model_id}|{label}|{year}|GDP {gdp_edition}"
            for model_id, label in zip(rows["model_id"], labels)
        ],
    )
    rows.insert(2, "data", labels)
    rows.insert(3, "year", [2003 if label == PAPER else year for label in labels])
    rows.insert(4, "gdp_edition", [PAPER if label == PAPER else gdp_edition for label in labels])
    rows.insert(5, "population_edition", [PAPER if label == PAPER else population_edition for label in labels])
    rows["model_id"] = [model_id if label == PAPER else "" for model_id, label in zip(rows["model_id"], labels)]
    rows["spec"] = [spec_id.split("|")[0] for spec_id in rows["spec_id"]]
    return rows


def refit_summary(rows: pd.DataFrame) -> dict:
    """The re-fits in a few words: fits whose interval includes zero, and who is missing from the editions' fits."""
    editions = rows[rows["data"] != PAPER]
    missing = sorted({code for field in editions["missing"] for code in field.split(";")} - {results.NONE, ""})
    coverage = (
        f"No edition has a figure for {country_names(';'.join(missing))} in that year, so the re-fits "
        "have fewer countries than the fits on the paper's estimates"
        if missing
        else "Every edition has a figure for every Table 3 country in that year"
    )
    return {
        "fits": len(rows),
        "include_zero": int(
            sum(sign_settled(low, high) == "sign not settled" for low, high in zip(rows["ci_low"], rows["ci_high"]))
        ),
        "missing": missing,
        "coverage_sentence": coverage,
    }


def reruns_table(rows: pd.DataFrame) -> pd.DataFrame:
    """For display: slope with its interval, permutation p-value, n, per model and data."""
    what = {
        "M3": "share of GDP (estimate) ~ log GDP p.c.",
        "M4": "share of GDP ~ log GDP p.c.",
        "M5": "log remittances ~ log GDP",
    }
    level = f"{rows['ci_level'].iloc[0]:.0%}"
    return (
        pd.DataFrame(
            {
                "model": [f"{spec}: {what[spec]}" for spec in rows["spec"]],
                "data": [EDITION_SHORT.get(label, label) for label in rows["data"]],
                "n": rows["n"].to_numpy(),
                "slope": rows["coef"].map(lambda v: f"{v:.2f}").to_numpy(),
                f"{level} interval": [f"{lo:.2f} to {hi:.2f}" for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
                "p (permutation)": rows["p_permutation"].map(lambda v: f"{v:.3f}").to_numpy(),
                "missing": rows["missing"].to_numpy(),
            }
        )
        .set_index(["model", "data"])
        .rename_axis(index=["", ""])
    )


def reruns_results_name(
    year: int, gdp_edition: str, seed: int, boot_draws: int, population_edition: str = panel_data.POPULATION_WB
) -> str:
    return results_name(
        "paper_era_reruns",
        {
            "year": (year, 2003),
            "gdp": (gdp_edition, panel_data.WDI_2025),
            "pop": (population_edition, panel_data.POPULATION_WB),
            "seed": (seed, regression.DEFAULT_SEED),
            "draws": (boot_draws, regression.BOOTSTRAP_DRAWS),
        },
    )


def write_reruns(rows: pd.DataFrame, name: str = "paper_era_reruns", directory=None) -> dict:
    """The re-fits to results/ with the hashes of the paper's resources and of the public files."""
    editions = rows[rows["data"] != PAPER]
    used = {("remittances_usd", edition) for edition in editions["data"]}
    used |= {("gdp_usd", edition) for edition in editions["gdp_edition"]}
    used |= {("population", edition) for edition in editions["population_edition"]}
    table = rows.assign(external_sha256=panels.external_hash_field(series.files_of(used)))
    return results.write_table(
        table, name, resources=catalogue.SOURCE_RESOURCES[catalogue.REMITTANCES], directory=directory
    )


def _flow_levels(year: int, population_edition: str) -> pd.DataFrame:
    """FDI inflows (WDI 2025) and ODA (Gapminder's ODA per person x population) in US$, Table 3 countries."""
    data = panel_data.panel(panel_data.table3_countries())
    table = panel_data.wide(
        data,
        {
            "fdi_inflows_usd": panel_data.WDI_2025,
            "population": population_edition,
            "oda_per_capita_usd": panel_data.GAPMINDER_WDI,
        },
    )
    table = table[table["year"] == year]
    table["oda_usd"] = table["oda_per_capita_usd"] * table["population"]
    return table.set_index("iso3")[["fdi_inflows_usd", "oda_usd"]]


def conclusions(
    fitted, year: int = 2003, gdp_edition: str = panel_data.WDI_2025, population_edition: str = panel_data.POPULATION_WB
) -> pd.DataFrame:
    """What the paper's Table 3 shows and the paper-era models say, on the paper's data and on each edition.

    Columns: remittances above both FDI and ODA (countries), the most dependent
    country (largest share of GDP), the share slope (M3's or M4's specification)
    with its interval, and the elasticity (M5's) with its interval. On the
    paper's data the count is the audit's (Table 3's own FDI 2003 and ODA 2002,
    :func:`analysis.audit.remittances_above_fdi_oda`); on an edition, FDI and
    ODA of ``year`` (:func:`_flow_levels`), ODA scaled by ``population_edition``'s population.
    """
    by_data: dict[str, dict] = {}
    for label, estimate in fitted:
        by_data.setdefault(label, {})[estimate.spec.model_id] = estimate.analysis
    counted = audit.verdict_of("remittances_above_fdi_oda").numbers
    flows = _flow_levels(year, population_edition)
    rows = []
    for label, fits in by_data.items():
        if label == PAPER:
            variables = catalogue.remittance_variables().set_index("iso3")
            versions = [
                ("BOP", "share_bop_recomputed", "M4", None, (counted["above_both_bop"], counted["countries_bop"])),
                (
                    "estimate",
                    "share_estimate_recomputed",
                    "M3",
                    "M5",
                    (counted["above_both_estimate"], counted["countries_estimate"]),
                ),
            ]
        else:
            variables = rerun_variables(label, year, gdp_edition, population_edition).set_index("iso3")
            amount = variables["remit_bop"]
            fdi = flows["fdi_inflows_usd"].reindex(amount.index) / 1e6
            oda = flows["oda_usd"].reindex(amount.index) / 1e6
            present = amount.notna() & fdi.notna() & oda.notna()
            above = present & (amount > fdi) & (amount > oda)
            versions = [("", "share_bop_recomputed", "M4", "M5", (int(above.sum()), int(present.sum())))]
        for measure, share_column, share_model, elasticity_model, (above_both, countries_compared) in versions:
            share = variables[share_column].dropna()
            share_fit = fits[share_model].ols
            elasticity = fits[elasticity_model].ols if elasticity_model else None
            rows.append(
                {
                    "data": EDITION_SHORT.get(label, label) + (f", {measure}" if measure else ""),
                    "year": 2003 if label == PAPER else year,
                    "countries": countries_compared,
                    "above_fdi_and_oda": above_both,
                    "most_dependent": variables.loc[share.idxmax(), "country"],
                    "largest_share_pct": float(share.max()),
                    "share_slope": share_fit.coef,
                    "share_ci_low": share_fit.ci_low,
                    "share_ci_high": share_fit.ci_high,
                    "elasticity": elasticity.coef if elasticity else np.nan,
                    "elasticity_ci_low": elasticity.ci_low if elasticity else np.nan,
                    "elasticity_ci_high": elasticity.ci_high if elasticity else np.nan,
                }
            )
    return pd.DataFrame(rows)


def conclusions_table(frame: pd.DataFrame) -> pd.DataFrame:
    """For display: one row per data version, the findings as short text."""

    def interval(coef, low, high):
        if not math.isfinite(coef):
            return NOT_AVAILABLE
        return f"{coef:.2f} ({low:.2f} to {high:.2f}; {sign_settled(low, high)})"

    return pd.DataFrame(
        {
            "remittances above FDI and ODA": [
                f"{above} of {n}" for above, n in zip(frame["above_fdi_and_oda"], frame["countries"])
            ],
            "largest share of GDP": [
                f"{country} ({share:.1f} %)"
                for country, share in zip(frame["most_dependent"], frame["largest_share_pct"])
            ],
            "share ~ log GDP p.c., slope (95 % CI)": list(
                map(interval, frame["share_slope"], frame["share_ci_low"], frame["share_ci_high"])
            ),
            "elasticity (95 % CI)": list(
                map(interval, frame["elasticity"], frame["elasticity_ci_low"], frame["elasticity_ci_high"])
            ),
        },
        index=frame["data"].to_numpy(),
    )


def p2_results_name(start: int, end: int, population_edition: str = panel_data.POPULATION_WB) -> str:
    return results_name(
        "yearly_cross_section",
        {"start": (start, 1995), "end": (end, 2023), "pop": (population_edition, panel_data.POPULATION_WB)},
    )


def p2_summary(p2: pd.DataFrame, paper_year: int = 2003) -> dict:
    """The year-by-year slopes in a few numbers.

    Years estimated, slopes whose interval lies below zero, the first such year,
    and ``below_zero_from``: the first year from which every later estimate's
    interval lies below zero (missing if the last one does not).
    """
    estimated = p2[p2["status"] == "estimated"]
    below = estimated[estimated["ci_high"] < 0]
    at_paper = estimated[estimated["year"] == paper_year]
    above = estimated.loc[estimated["ci_high"] >= 0, "year"]
    tail = estimated[estimated["year"] > above.max()] if len(above) else estimated
    return {
        "years": len(p2),
        "estimated": len(estimated),
        "interval_below_zero": len(below),
        "first_below_zero": int(below["year"].min()) if len(below) else np.nan,
        "below_zero_from": int(tail["year"].min()) if len(tail) else np.nan,
        "last_year": int(estimated["year"].max()) if len(estimated) else np.nan,
        "negative_slopes": int((estimated["coef"] < 0).sum()),
        "paper_year_slope": float(at_paper["coef"].iloc[0]) if len(at_paper) else np.nan,
        "paper_year_low": float(at_paper["ci_low"].iloc[0]) if len(at_paper) else np.nan,
        "paper_year_high": float(at_paper["ci_high"].iloc[0]) if len(at_paper) else np.nan,
        "paper_year_n": int(at_paper["n"].iloc[0]) if len(at_paper) else 0,
    }


def p2_population_difference(p2: pd.DataFrame, other: pd.DataFrame) -> dict:
    """P2 under two population series: the years both estimate, and those where the slope's sign,
    or whether its interval lies below zero, differs."""
    columns = ["year", "coef", "ci_high"]
    both = p2.loc[p2["status"] == "estimated", columns].merge(
        other.loc[other["status"] == "estimated", columns], on="year", suffixes=("", "_other")
    )
    sign = both[np.sign(both["coef"]) != np.sign(both["coef_other"])]
    below = both[(both["ci_high"] < 0) != (both["ci_high_other"] < 0)]
    return {
        "years": len(both),
        "sign_differs": len(sign),
        "sign_differs_years": in_words(sign["year"]),
        "below_zero_differs": len(below),
        "below_zero_differs_years": in_words(below["year"]),
        "largest_change": float((both["coef"] - both["coef_other"]).abs().max()) if len(both) else np.nan,
    }


# ---------------------------------------------------------------------------
# What the page glues, by glue key
# ---------------------------------------------------------------------------


def source_markdown(population_edition: str, gdp_edition: str) -> dict[str, str]:
    """The population series (chosen, and the sensitivity), the GDP edition, and the source lines of the tables
    and of P2's figure, from the series registry."""
    population, other = ("population", population_edition), ("population", other_population(population_edition))
    remittances = [("remittances_usd", edition) for edition in panel_data.REMITTANCE_EDITIONS]
    return {
        "population": series.short_label(*population),
        "population-other": series.short_label(*other),
        "gdp-edition": gdp_edition,
        "source-refits": series.cite_sources(remittances + [("gdp_usd", gdp_edition), population]),
        "source-survive": series.cite_sources(
            remittances
            + [
                ("fdi_inflows_usd", panel_data.WDI_2025),
                ("oda_per_capita_usd", panel_data.GAPMINDER_WDI),
                ("gdp_usd", gdp_edition),
                population,
            ]
        ),
        "source-p2": series.cite_sources(
            [("remittances_usd", panel_data.WDI_2025), ("gdp_usd", panel_data.WDI_2025), population, other]
        ),
    }


def revision_numbers(revisions: pd.DataFrame, year: int) -> dict:
    """How far the 2025 edition moved each paper column, and the 2013 one the BOP column (:func:`revision_summary`)."""
    summary = revision_summary(revisions).set_index(["paper_column", "edition"])
    bop, estimate, gdp = (
        summary.loc[(column, panel_data.WDI_2025)]
        for column in ("remittances_bop_2003_musd", "remittances_estimate_musd", "gdp_2003_musd")
    )
    return {
        "year": year,
        "bop-n": int(bop["countries"]),
        "bop-within-2025": int(bop["within_tolerance"]),
        "bop-within-2013": int(summary.loc[("remittances_bop_2003_musd", panel_data.WB_2013), "within_tolerance"]),
        "bop-high": float(bop["highest_ratio"]),
        "bop-high-country": bop["highest_country"],
        "bop-low": float(bop["lowest_ratio"]),
        "bop-low-country": bop["lowest_country"],
        "est-median": float(estimate["median_ratio"]),
        "est-low": float(estimate["lowest_ratio"]),
        "est-low-country": estimate["lowest_country"],
        "est-high": float(estimate["highest_ratio"]),
        "est-high-country": estimate["highest_country"],
        "gdp-n": int(gdp["countries"]),
        "gdp-within": int(gdp["within_tolerance"]),
        "gdp-high": float(gdp["highest_ratio"]),
        "gdp-high-country": gdp["highest_country"],
    }


def refit_numbers(rows: pd.DataFrame) -> dict:
    """:func:`refit_summary` by glue key: the fits, those whose interval includes zero, who the editions lack."""
    summary = refit_summary(rows)
    return {
        "refits-n": summary["fits"],
        "refits-zero": summary["include_zero"],
        "coverage": summary["coverage_sentence"],
    }


def survive_numbers(findings: pd.DataFrame) -> dict:
    """:func:`conclusions`: remittances above FDI and ODA on the paper's two measures and on WDI 2025,
    and the most dependent country on each data version."""
    by_data = findings.set_index("data")
    numbers = {}
    for key, label in (
        ("paper-est", f"{PAPER}, estimate"),
        ("paper-bop", f"{PAPER}, BOP"),
        ("wdi", EDITION_SHORT[panel_data.WDI_2025]),
    ):
        numbers[f"{key}-above"] = int(by_data.at[label, "above_fdi_and_oda"])
        numbers[f"{key}-n"] = int(by_data.at[label, "countries"])
    numbers["most-dependent"] = "; ".join(f"{row.most_dependent} with {row.data}" for row in findings.itertuples())
    return numbers


def p2_numbers(p2: pd.DataFrame, other: pd.DataFrame) -> dict:
    """P2 (:func:`p2_summary`) and what the other population series changes (:func:`p2_population_difference`)."""
    summary, other_summary = p2_summary(p2, TABLE3_YEAR), p2_summary(other, TABLE3_YEAR)
    change = p2_population_difference(p2, other)
    return {
        "p2-years": summary["years"],
        "p2-estimated": summary["estimated"],
        "p2-below": summary["interval_below_zero"],
        "p2-from": summary["below_zero_from"],
        "p2-last": summary["last_year"],
        "p2-paper-year": TABLE3_YEAR,
        "p2-paper-slope": summary["paper_year_slope"],
        "p2-paper-low": summary["paper_year_low"],
        "p2-paper-high": summary["paper_year_high"],
        "p2-paper-n": summary["paper_year_n"],
        "p2-paper-interval": interval_phrase(summary["paper_year_low"], summary["paper_year_high"]),
        "p2-other-paper-slope": other_summary["paper_year_slope"],
        "p2-other-below": other_summary["interval_below_zero"],
        "p2-other-from": other_summary["below_zero_from"],
        "p2-pop-years": change["years"],
        "p2-pop-sign": change["sign_differs"],
        "p2-pop-sign-years": change["sign_differs_years"],
        "p2-pop-below": change["below_zero_differs"],
        "p2-pop-largest": change["largest_change"],
    }
