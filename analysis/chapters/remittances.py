"""Chapter 5's data: Table 3 in long form, the stated remittance flows, official channels.

The regressions themselves live in analysis.models.catalogue and analysis.models.regression;
this module picks the chapter's model, names its results files and formats what the chapter
shows: its tables, the words that follow the numbers, and (``*_numbers``) each section's
glued numbers by glue key. The chapter's figures are in :mod:`analysis.figures.remittances_plots`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from analysis import paths, results
from analysis.audit import reading_rules
from analysis.data import paper
from analysis.data.datapackage import read_resource
from analysis.data.external import readers as external_readers
from analysis.errors import DataUnavailableError, DataValidationError, ParameterError
from analysis.models import catalogue, multiverse, regression
from analysis.models.panels import external_hash_field

STATEMENTS = "remittance_statements"

# Table 3's columns: level (US$ million), printed share (% of GDP), label.
FLOWS = (
    ("remittances_bop_2003_musd", "remittances_bop_2003_pct_gdp", "remittances, BOP 2003"),
    ("remittances_estimate_musd", "remittances_estimate_pct_gdp", "remittances, estimate"),
    ("fdi_2003_musd", "fdi_2003_pct_gdp", "FDI 2003"),
    ("exports_2003_musd", "exports_2003_pct_gdp", "exports 2003"),
    ("oda_2002_musd", "oda_2002_pct_gdp", "ODA 2002"),
)
REMITTANCE_FLOWS = ("remittances, BOP 2003", "remittances, estimate")
OTHER_FLOWS = ("FDI 2003", "exports 2003", "ODA 2002")
SHARE_SOURCES = ("printed", "recomputed")
MEASURES = ("estimate", "bop")
# The catalogue's share-of-GDP models (book/model-ids.md), by measure and share source.
MODEL_IDS = {
    ("estimate", "printed"): "M1",
    ("bop", "printed"): "M2",
    ("estimate", "recomputed"): "M3",
    ("bop", "recomputed"): "M4",
}
CHAPTER_MODELS = ("M1", "M2", "M3", "M4", "M5")
AUDITED_CLAIMS = ("C25", "C26", "C29", "C31", "C33", "C34", "C37")  # claims.csv ids whose audit status it states
# The specification curve's log share on log GDP: its slope is M5's elasticity minus one.
LOG_SHARE_ON_LOG_GDP = "recomputed|log|gdp|none|ols"

# The GDP per capita of the per-capita regressions. Table 1's comes from the IMF's database of
# April 2006 and prints no year; Table 3's shares are for 2003. The World Bank's 2003 value,
# GDP over population, matches Table 3's year (population.csv, not wdi.rda's "pop", which is UN WPP).
TABLE1 = "table1"
WORLD_BANK_2003 = "world_bank_2003"
GDP_PC_SOURCES = {
    TABLE1: "Table 1 (IMF, World Economic Outlook database, April 2006; no year printed)",
    WORLD_BANK_2003: "World Bank, 2003: GDP (NY.GDP.MKTP.CD) / population (SP.POP.TOTL)",
}
WORLD_BANK_GDP_PC_YEAR = 2003
WORLD_BANK_GDP_PC_FILES = (external_readers.GDP_CSV, external_readers.POPULATION_CSV)
_TABLE1_REGRESSOR = "log GDP per capita (Table 1)"


def table3_codes(descriptor: Path = paths.DATAPACKAGE) -> tuple[str, ...]:
    return tuple(paper.table3_levels(descriptor)["iso3"].astype(str))


def _check_leave_out(leave_out, codes) -> tuple[str, ...]:
    if isinstance(leave_out, str):
        raise ParameterError(
            f"leave_out must be a list of ISO3 codes, got the string {leave_out!r}; write [{leave_out!r}]."
        )
    unknown = [code for code in leave_out if code not in codes]
    if unknown:
        raise ParameterError(
            f"leave_out: unknown country code(s) {unknown}; Table 3's countries are {', '.join(codes)}."
        )
    return tuple(dict.fromkeys(leave_out))


# ---- Table 3 -------------------------------------------------------------------


def table3_long(share_source: str = "printed", descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """One row per country and flow: level (US$ million) and share of GDP (%).

    ``printed`` takes the shares as Table 3 prints them; ``recomputed``
    divides each level by GDP 2003 (ODA is for 2002, the table's own pairing).
    A value printed "n.a." stays missing.
    """
    if share_source not in SHARE_SOURCES:
        raise ParameterError(f"share_source {share_source!r} is unknown; expected one of {', '.join(SHARE_SOURCES)}.")
    levels = paper.table3_levels(descriptor)
    shares = paper.table3_shares(descriptor).set_index("iso3")
    gdp = levels["gdp_2003_musd"].to_numpy(dtype=float, na_value=np.nan)
    parts = []
    for level_column, share_column, label in FLOWS:
        level = levels[level_column].to_numpy(dtype=float, na_value=np.nan)
        if share_source == "printed":
            share = shares.loc[levels["iso3"], share_column].to_numpy(dtype=float, na_value=np.nan)
        else:
            share = 100 * level / gdp
        parts.append(
            pd.DataFrame(
                {
                    "iso3": levels["iso3"].astype(str).to_numpy(),
                    "country": levels["country"].astype(str).to_numpy(),
                    "flow": label,
                    "level_musd": level,
                    "share_pct_gdp": share,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def flows_compared(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """For each remittance measure and other flow: the countries where remittances are larger.

    Countries where either value is missing are not counted (``n``).
    """
    wide = table3_long("printed", descriptor).pivot(index="country", columns="flow", values="level_musd")
    rows = []
    for measure in REMITTANCE_FLOWS:
        for other in OTHER_FLOWS:
            both = wide[[measure, other]].dropna()
            larger = both.index[both[measure] > both[other]].tolist()
            rows.append(
                {
                    "remittance measure": measure,
                    "compared with": other,
                    "larger in": len(larger),
                    "n": len(both),
                    "countries": ", ".join(larger),
                }
            )
    return pd.DataFrame(rows)


def flows_compared_table(compared: pd.DataFrame) -> pd.DataFrame:
    """``flows_compared`` as "k of n" cells: measures in rows, other flows in columns."""
    cells = compared.assign(cell=[f"{k} of {n}" for k, n in zip(compared["larger in"], compared["n"])])
    table = cells.pivot(index="remittance measure", columns="compared with", values="cell")
    return table.loc[list(REMITTANCE_FLOWS), list(OTHER_FLOWS)]


# ---- the flows the text states -------------------------------------------------


def statements(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The remittance totals and growth factors of the text, indexed by statement id."""
    return read_resource(STATEMENTS, descriptor).set_index("statement_id")


def _statement(frame: pd.DataFrame, statement_id: str, unit: str) -> pd.Series:
    if statement_id not in frame.index:
        raise DataValidationError(
            f"{STATEMENTS}.csv has no statement {statement_id!r}; its statements are {', '.join(frame.index)}."
        )
    row = frame.loc[statement_id]
    if row["unit"] != unit:
        raise DataValidationError(
            f"{STATEMENTS}.csv, statement {statement_id!r}, column 'unit': found {row['unit']!r}, expected {unit!r}."
        )
    return row


def russia_growth(frame: pd.DataFrame) -> dict:
    """The Central Bank of Russia's 1999 and 2004 totals: the factor, against the stated one, and per year."""
    first = _statement(frame, "cbr_russia_to_cis_1999", "US$ billion a year")
    last = _statement(frame, "cbr_russia_to_cis_2004", "US$ billion a year")
    stated = _statement(frame, "cbr_russia_to_cis_growth", "times over the period")
    years = int(last["period"]) - int(first["period"])
    factor = float(last["low"]) / float(first["low"])
    return {
        "from_busd": float(first["low"]),
        "to_busd": float(last["low"]),
        "first_year": int(first["period"]),
        "last_year": int(last["period"]),
        "years": years,
        "factor": factor,
        "stated_factor": float(stated["low"]),
        "annual_growth_pct": 100 * (factor ** (1 / years) - 1),
    }


def kazakhstan_growth(frame: pd.DataFrame, years: int = 5) -> dict:
    """The National Bank of Kazakhstan's stated annual factor (1.5-2), compounded over ``years`` (2000-2005)."""
    stated = _statement(frame, "nbk_kazakhstan_official_growth", "times a year")
    low, high = float(stated["low"]), float(stated["high"])
    return {
        "annual_low": low,
        "annual_high": high,
        "years": years,
        "cumulative_low": low**years,
        "cumulative_high": high**years,
    }


def _as_stated(low: float, high: float) -> str:
    if pd.isna(high):
        return f"more than {low:g}"
    return f"{low:g}" if low == high else f"{low:g}–{high:g}"


def statements_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The statements for display, with the value as the text gives it."""
    return (
        pd.DataFrame(
            {
                "source named in the text": frame["source_as_cited"],
                "flow": frame["flow"],
                "period": frame["period"],
                "value as stated": [_as_stated(lo, hi) for lo, hi in zip(frame["low"], frame["high"])],
                "unit": frame["unit"],
                "paper line": frame["paper_line"],
            }
        )
        .reset_index(drop=True)
        .set_index("source named in the text")
    )


# ---- official and unofficial channels ------------------------------------------


def recorded_shares(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Share of remittances that passes through recorded channels, in percent, as a range.

    For each Table 3 country: BOP / estimate (2003). For Russia's outflows:
    the Central Bank's 2004 total over the Federal Migration Service's 7-8
    billion a year, which gives a range. The two Russian numbers differ in
    year, coverage and definition, so that ratio is indicative at best.
    """
    levels = paper.table3_levels(descriptor)
    levels = levels[levels["remittances_bop_2003_musd"].notna()]
    share = 100 * (
        levels["remittances_bop_2003_musd"].to_numpy(dtype=float)
        / levels["remittances_estimate_musd"].to_numpy(dtype=float)
    )
    rows = pd.DataFrame(
        {
            "label": levels["country"].astype(str).to_numpy(),
            "low_pct": share,
            "high_pct": share,
            "basis": "Table 3: BOP / estimate, 2003",
        }
    )
    frame = statements(descriptor)
    official = _statement(frame, "cbr_russia_to_cis_2004", "US$ billion a year")
    total = _statement(frame, "fms_russia_taken_away", "US$ billion a year")
    russia = pd.DataFrame(
        [
            {
                "label": "Russia (outflows)",
                "basis": "text: Central Bank 2004 / FMS 'annually'",
                "low_pct": 100 * float(official["low"]) / float(total["high"]),
                "high_pct": 100 * float(official["high"]) / float(total["low"]),
            }
        ]
    )
    return pd.concat([rows, russia], ignore_index=True)


def overwhelming_threshold_pct() -> float:
    """The most a recorded share can be if "the overwhelming part" goes unrecorded (the audit's reading)."""
    return 100 - reading_rules.Settings().overwhelming_share_pct


# ---- the regressions ---------------------------------------------------------


def model_id(measure: str, share_source: str) -> str:
    """The catalogue model for a remittance measure and a share source (M1-M4)."""
    if (measure, share_source) not in MODEL_IDS:
        raise ParameterError(
            f"measure={measure!r}, share_source={share_source!r}: expected measure in "
            f"{', '.join(MEASURES)} and share_source in {', '.join(SHARE_SOURCES)}."
        )
    return MODEL_IDS[measure, share_source]


def _check_gdp_pc_source(gdp_pc_source: str) -> str:
    if gdp_pc_source not in GDP_PC_SOURCES:
        raise ParameterError(
            f"gdp_pc_source {gdp_pc_source!r} is unknown; expected one of {', '.join(GDP_PC_SOURCES)}."
        )
    return gdp_pc_source


def world_bank_gdp_per_capita(codes, year: int = WORLD_BANK_GDP_PC_YEAR) -> pd.DataFrame:
    """GDP per capita in ``year`` from the pinned World Bank files: gdp.csv's GDP over population.csv's population.

    Both files hold World Development Indicators (current US$; persons). One row per code, in the
    order given; a country without either value stops with an error naming the file and year.
    """
    codes = [str(code) for code in codes]
    values = {}
    for filename, column in zip(WORLD_BANK_GDP_PC_FILES, ("gdp_usd", "population")):
        frame = external_readers.read_source(filename, codes)
        found = frame[frame["year"] == year].dropna(subset=["value"]).set_index("iso3")["value"]
        missing = [code for code in codes if code not in found.index]
        if missing:
            raise DataUnavailableError(
                f"{filename}: no value for {missing} in {year}; the World Bank GDP per capita needs both GDP and "
                f"population. Leave these countries out (leave_out) or use gdp_pc_source={TABLE1!r}."
            )
        values[column] = found.loc[codes].to_numpy(dtype=float)
    return pd.DataFrame({"iso3": codes, **values, "gdp_pc": values["gdp_usd"] / values["population"]})


def remittance_frame(leave_out=(), gdp_pc_source: str = TABLE1, descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The models' variables (catalogue.remittance_variables) without the countries in ``leave_out``.

    ``gdp_pc_source`` chooses the GDP per capita of ``gdp_pc`` and ``log_gdp_pc`` (see :data:`GDP_PC_SOURCES`).
    """
    frame = catalogue.remittance_variables(descriptor)
    leave_out = _check_leave_out(leave_out, tuple(frame["iso3"]))
    if _check_gdp_pc_source(gdp_pc_source) == WORLD_BANK_2003:
        gdp_pc = world_bank_gdp_per_capita(frame["iso3"])["gdp_pc"].to_numpy()
        frame = frame.assign(gdp_pc=gdp_pc, log_gdp_pc=np.log(gdp_pc))
    return frame[~frame["iso3"].isin(leave_out)].reset_index(drop=True)


def gdp_pc_compared(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Each Table 3 country's GDP per capita from each source, and Table 1's over the World Bank's 2003 value."""
    table1 = catalogue.remittance_variables(descriptor)
    world_bank = world_bank_gdp_per_capita(table1["iso3"])
    return pd.DataFrame(
        {
            "country": table1["country"].to_numpy(),
            TABLE1: table1["gdp_pc"].to_numpy(),
            WORLD_BANK_2003: world_bank["gdp_pc"].to_numpy(),
            "ratio": table1["gdp_pc"].to_numpy() / world_bank["gdp_pc"].to_numpy(),
        }
    )


def gdp_pc_compared_table(compared: pd.DataFrame) -> pd.DataFrame:
    """``gdp_pc_compared`` for reading: US$ per person from each source and their ratio."""
    return pd.DataFrame(
        {
            "Table 1, US$": compared[TABLE1].map(lambda v: f"{v:,.0f}").to_numpy(),
            "World Bank 2003, US$": compared[WORLD_BANK_2003].map(lambda v: f"{v:,.0f}").to_numpy(),
            "Table 1 / World Bank 2003": compared["ratio"].map(lambda v: f"{v:.2f}").to_numpy(),
        },
        index=pd.Index(compared["country"].to_numpy(), name="country"),
    )


def fit_by_gdp_pc_source(
    model_id: str, leave_out=(), *, seed: int = regression.DEFAULT_SEED, boot_draws: int = regression.BOOTSTRAP_DRAWS
) -> dict[str, catalogue.ModelEstimate]:
    """A per-capita model (M1-M4) fitted with each GDP per capita of :data:`GDP_PC_SOURCES`, by source."""
    if catalogue.spec(model_id).x != "log_gdp_pc":
        raise ParameterError(f"model {model_id!r} has no GDP per capita regressor; choose one of M1-M4.")
    return {
        source: catalogue.fit(
            model_id, frame=remittance_frame((), source), exclude=leave_out, seed=seed, boot_draws=boot_draws
        )
        for source in GDP_PC_SOURCES
    }


def gdp_pc_fits_table(by_source: dict[str, catalogue.ModelEstimate]) -> pd.DataFrame:
    """The same model with each GDP per capita, side by side (``models_table``'s columns but the formula)."""
    rows = results.model_rows(list(by_source.values()))
    table = models_table(rows).drop(columns="outcome ~ regressor")
    table.index = pd.Index([GDP_PC_SOURCES[source] for source in by_source], name="GDP per capita")
    return table


def gdp_pc_sensitivity_phrase(by_source: dict[str, catalogue.ModelEstimate], alpha: float = 0.05) -> str:
    """Whether the choice of GDP per capita changes the sign of the slope or its exact permutation test at ``alpha``."""
    signs = {float(np.sign(estimate.analysis.ols.coef)) for estimate in by_source.values()}
    rejected = [estimate.analysis.permutation.p_value < alpha for estimate in by_source.values()]
    sign = "The slope has the same sign with both" if len(signs) == 1 else "The sign of the slope depends on the source"
    if not any(rejected):
        strength = f"with neither does the exact permutation test reject a zero slope at the {alpha:.0%} level"
    elif all(rejected):
        strength = f"with both the exact permutation test rejects a zero slope at the {alpha:.0%} level"
    else:
        strength = (
            f"the exact permutation test rejects a zero slope at the {alpha:.0%} level with one source "
            "only, so the result turns on the year of GDP per capita"
        )
    return f"{sign}, and {strength}."


def curve_summary_table(summary: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """``multiverse_summary`` for reading: each family named, the mechanical one marked, shares in percent."""

    def family(name: str) -> str:
        label = multiverse.REGRESSOR_LABELS[name]
        return f"{label} (sign fixed by construction)" if name in multiverse.MECHANICAL_FAMILIES else label

    return pd.DataFrame(
        {
            "regressor": summary["regressor"].map(family).to_numpy(),
            "estimator": summary["estimator"].map({"ols": "OLS slope", "spearman": "Spearman's rho"}).to_numpy(),
            "specifications": summary["specifications"].to_numpy(),
            "negative": summary["share_negative"].map(lambda v: f"{v:.0%}").to_numpy(),
            f"p < {alpha:g}": summary["share_p_below_alpha"].map(lambda v: f"{v:.0%}").to_numpy(),
        }
    ).set_index(["regressor", "estimator"])


def model_description(model_id: str, gdp_pc_source: str = TABLE1) -> dict[str, str]:
    """How the chapter names its model: the catalogue's id, or that id's specification on other data."""
    spec = catalogue.spec(model_id)
    if _check_gdp_pc_source(gdp_pc_source) == TABLE1:
        return {"label": f"model {model_id}", "formula": spec.formula}
    if _TABLE1_REGRESSOR not in spec.formula:
        raise ParameterError(f"model {model_id!r} has no GDP per capita regressor; choose one of M1-M4.")
    return {
        "label": f"the specification of model {model_id} with the World Bank's 2003 GDP per capita "
        f"(a variant, not the catalogue's {model_id})",
        "formula": spec.formula.replace(_TABLE1_REGRESSOR, "log GDP per capita (World Bank, 2003)"),
    }


def results_name(
    base: str,
    leave_out=(),
    seed: int = regression.DEFAULT_SEED,
    boot_draws: int = regression.BOOTSTRAP_DRAWS,
    p_method: str | None = None,
    gdp_pc_source: str = TABLE1,
) -> str:
    """File name for results/: ``base`` for the book's defaults, with a suffix for every other choice.

    A reader's run with other parameters then never overwrites the book's results.
    """
    parts = [base]
    if leave_out:
        parts.append("without-" + "-".join(sorted(leave_out)))
    if seed != regression.DEFAULT_SEED:
        parts.append(f"seed{seed}")
    if boot_draws != regression.BOOTSTRAP_DRAWS:
        parts.append(f"draws{boot_draws}")
    if p_method not in (None, "permutation"):
        parts.append(p_method)
    if _check_gdp_pc_source(gdp_pc_source) != TABLE1:
        parts.append(f"gdp-pc-{gdp_pc_source}")
    return "-".join(parts)


def write_curve(
    curve: pd.DataFrame, summary: pd.DataFrame, leave_out=(), *, p_method: str, gdp_pc_source: str = TABLE1
) -> None:
    """The specification curve and its per-family summary to results/, named by the chapter's choices.

    With the World Bank's GDP per capita, both files also carry the hashes of its two files.
    """
    external = WORLD_BANK_GDP_PC_FILES if _check_gdp_pc_source(gdp_pc_source) == WORLD_BANK_2003 else ()
    if external:
        curve = curve.assign(external_sha256=external_hash_field(external))
    results.write_multiverse(
        curve, results_name("multiverse", leave_out, p_method=p_method, gdp_pc_source=gdp_pc_source)
    )
    multiverse.write_summary(
        summary,
        results_name("multiverse_summary", leave_out, p_method=p_method, gdp_pc_source=gdp_pc_source),
        external_files=external,
    )


def _fmt(value: float, spec: str = ".3f") -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, spec)


def inference_table(estimate: catalogue.ModelEstimate) -> pd.DataFrame:
    """Every estimate of one model, one row each, formatted for reading."""
    a = estimate.analysis
    fit, perm, boot, corr = a.ols, a.permutation, a.bootstrap, a.correlations
    level = f"{fit.ci_level:.0%}"
    orderings = f"all {perm.orderings:,} orderings" if perm.exact else f"{perm.orderings:,} random orderings"
    rows = [
        ("countries (n)", f"{a.data.n}", ", ".join(a.data.names)),
        (
            "slope",
            _fmt(fit.coef, ".2f"),
            "percentage points of GDP per unit of log GDP per capita"
            if estimate.spec.x == "log_gdp_pc"
            else "see the model's formula",
        ),
        ("classical SE, p", f"{_fmt(fit.se, '.2f')}, p = {_fmt(fit.p_classical)}", "t test, n − 2 df"),
        (f"classical {level} interval", f"{_fmt(fit.ci_low, '.2f')} to {_fmt(fit.ci_high, '.2f')}", ""),
        ("HC3 SE, p", f"{_fmt(fit.se_hc3, '.2f')}, p = {_fmt(fit.p_hc3)}", "robust to unequal error variance"),
        ("exact permutation p", _fmt(perm.p_value), orderings),
        (
            f"pairs bootstrap {level} interval",
            f"{_fmt(boot.low, '.2f')} to {_fmt(boot.high, '.2f')}",
            f"{boot.valid_draws:,} usable of {boot.draws:,} draws, seed {boot.seed}",
        ),
        ("R²", _fmt(fit.r2, ".2f"), ""),
        ("Pearson r, p", f"{_fmt(corr.pearson_r, '.2f')}, p = {_fmt(corr.pearson_p)}", ""),
        ("Spearman rho, p", f"{_fmt(corr.spearman_rho, '.2f')}, p = {_fmt(corr.spearman_p)}", ""),
    ]
    return pd.DataFrame(rows, columns=["statistic", "value", "note"]).set_index("statistic")


def models_table(rows: pd.DataFrame) -> pd.DataFrame:
    """``results.model_rows`` reduced to what a reader compares across models."""
    return pd.DataFrame(
        {
            "model": rows["model_id"],
            "outcome ~ regressor": rows["formula"],
            "n": rows["n"],
            "slope": rows["coef"].map(lambda v: _fmt(v, ".2f")),
            "p classical": rows["p_classical"].map(_fmt),
            "p HC3": rows["p_hc3"].map(_fmt),
            "p permutation": rows["p_permutation"].map(_fmt),
            "bootstrap interval": [
                f"{_fmt(lo, '.2f')} to {_fmt(hi, '.2f')}" for lo, hi in zip(rows["boot_low"], rows["boot_high"])
            ],
            "R²": rows["r2"].map(lambda v: _fmt(v, ".2f")),
        }
    ).set_index("model")


def critical_correlation(n: int, alpha: float = 0.05) -> float:
    """The smallest |Pearson r| whose two-sided t test gives p <= alpha with n countries."""
    if n < 3:
        raise ParameterError(f"critical_correlation needs n >= 3, got n={n}.")
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha must lie strictly between 0 and 1, got {alpha!r}.")
    t = stats.t.ppf(1 - alpha / 2, n - 2)
    return float(t / math.sqrt(t * t + n - 2))


def smallest_permutation_p(n: int) -> float:
    """No exact permutation p-value can be below 1 / n!: the observed ordering always counts."""
    return 1 / math.factorial(n)
