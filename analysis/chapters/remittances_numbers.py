"""What chapter 5 glues: each section's numbers by glue key, and the sentences that must follow them.

Every function returns plain values (numbers and strings), so the page's words are tested
without a kernel; the data, models and tables they read come from :mod:`analysis.chapters.remittances`.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.chapters import remittances
from analysis.models import catalogue, multiverse, regression

# ---- sentences that must follow the numbers --------------------------------------


def slope_phrases(estimate: catalogue.ModelEstimate, alpha: float = 0.05) -> dict[str, str]:
    """Words for the direction and the strength of a share-of-GDP slope, chosen from its estimates.

    A reader who changes the parameters gets prose that still matches the numbers.
    """
    a = estimate.analysis
    p_values = [a.ols.p_classical, a.ols.p_hc3, a.permutation.p_value]
    finite = [p for p in p_values if not math.isnan(p)]
    direction = (
        "the poorer countries of the table tend to have larger remittance shares"
        if a.ols.coef < 0
        else "the richer countries of the table tend to have larger remittance shares"
        if a.ols.coef > 0
        else "the remittance share does not change with income"
    )
    if all(p >= alpha for p in finite):
        strength = "no method of inference distinguishes this slope from zero"
    elif all(p < alpha for p in finite):
        strength = (
            f"every method rejects a zero slope at the {alpha:.0%} level, a result the next sections put to the test"
        )
    else:
        strength = (
            f"the methods disagree about whether the slope differs from zero at the {alpha:.0%} level, "
            "which is itself a sign of how fragile it is"
        )
    includes_zero = a.bootstrap.low <= 0 <= a.bootstrap.high
    bootstrap = "includes zero" if includes_zero else "excludes zero"
    return {"direction": direction, "strength": strength, "bootstrap": bootstrap}


def curve_phrase(share_negative: float, share_significant: float) -> str:
    """One sentence on a specification curve's signs and p-values."""
    if share_negative >= 0.9 or share_negative <= 0.1:
        sign = "The sign is the same in nearly every specification"
    else:
        sign = "The sign depends on the specification"
    if share_significant == 0:
        strength = "none of them reaches conventional significance"
    elif share_significant < 0.5:
        strength = "conventional significance is reached in a minority of them"
    else:
        strength = "most of them reach conventional significance"
    return f"{sign}; {strength}."


def family_counts(summary: pd.DataFrame) -> pd.DataFrame:
    """``multiverse_summary`` per regressor family, estimators pooled: specifications, negative and significant."""
    counts = (
        pd.DataFrame(
            {
                "regressor": summary["regressor"],
                "specifications": summary["specifications"],
                "negative": (summary["share_negative"] * summary["specifications"]).round().astype(int),
                "significant": (summary["share_p_below_alpha"] * summary["specifications"]).round().astype(int),
            }
        )
        .groupby("regressor", sort=False)
        .sum()
    )
    counts["share_negative"] = counts["negative"] / counts["specifications"]
    counts["share_significant"] = counts["significant"] / counts["specifications"]
    return counts


def significance_phrase(counts: pd.DataFrame, alpha: float = 0.05) -> str:
    """Where the specifications with p < alpha are: in the mechanical families or not."""
    total = int(counts["significant"].sum())
    mechanical = int(counts.loc[counts.index.isin(list(multiverse.MECHANICAL_FAMILIES)), "significant"].sum())
    families = " and ".join(multiverse.REGRESSOR_LABELS[name] for name in multiverse.MECHANICAL_FAMILIES)
    if total == 0:
        return f"No specification reaches p < {alpha:g}."
    if mechanical == total:
        return (
            f"All {total} specifications with p < {alpha:g} use {families}, the family whose sign is fixed "
            "by construction."
        )
    return (
        f"{mechanical} of the {total} specifications with p < {alpha:g} use {families}, the family whose sign "
        "is fixed by construction; the others use GDP per capita."
    )


# ---- what the page glues, by glue key (under the prefix "remittances") -------------


def flow_numbers(compared: pd.DataFrame) -> dict:
    """Per remittance measure (:func:`remittances.flows_compared`): the countries compared, where it is larger."""
    cells = compared.set_index(["remittance measure", "compared with"])
    bop, estimate = remittances.REMITTANCE_FLOWS
    numbers = {"bop-oda-countries": cells.loc[(bop, "ODA 2002"), "countries"] or "none"}
    for key, measure in (("bop", bop), ("estimate", estimate)):
        exports = cells.loc[(measure, "exports 2003")]
        numbers.update(
            {
                f"n-{key}": int(cells.loc[(measure, "FDI 2003"), "n"]),
                f"{key}-fdi": int(cells.loc[(measure, "FDI 2003"), "larger in"]),
                f"{key}-oda": int(cells.loc[(measure, "ODA 2002"), "larger in"]),
                f"exports-above-{key}": int(exports["n"] - exports["larger in"]),
            }
        )
    return numbers


def statement_numbers(frame: pd.DataFrame) -> dict:
    """The text's flows for Russia and Kazakhstan (:func:`remittances.russia_growth`, ``kazakhstan_growth``)."""
    russia, kazakhstan = remittances.russia_growth(frame), remittances.kazakhstan_growth(frame)
    return {
        "russia-from": russia["from_busd"],
        "russia-to": russia["to_busd"],
        "russia-first": russia["first_year"],
        "russia-last": russia["last_year"],
        "russia-factor": russia["factor"],
        "russia-stated": russia["stated_factor"],
        "russia-annual": russia["annual_growth_pct"],
        "kaz-years": kazakhstan["years"],
        "kaz-annual-low": kazakhstan["annual_low"],
        "kaz-annual-high": kazakhstan["annual_high"],
        "kaz-low": kazakhstan["cumulative_low"],
        "kaz-high": kazakhstan["cumulative_high"],
    }


def channel_numbers(shares: pd.DataFrame, threshold_pct: float) -> dict:
    """Recorded shares (:func:`remittances.recorded_shares`): range, countries below and above the threshold, Russia."""
    by_country = shares[shares["basis"] == shares["basis"].iloc[0]]
    above = by_country[by_country["low_pct"] > threshold_pct]
    russia = shares.iloc[-1]
    return {
        "recorded-min": float(by_country["low_pct"].min()),
        "recorded-max": float(by_country["high_pct"].max()),
        "n-recorded": len(by_country),
        "n-below": int((by_country["high_pct"] <= threshold_pct).sum()),
        "threshold": threshold_pct,
        "above-threshold": " and ".join(above["label"]) or "No country",
        "above-threshold-min": float(above["low_pct"].min()) if len(above) else float("nan"),
        "russia-recorded-low": float(russia["low_pct"]),
        "russia-recorded-high": float(russia["high_pct"]),
    }


def model_numbers(estimate: catalogue.ModelEstimate, gdp_pc_source: str = remittances.TABLE1) -> dict:
    """The chapter's model: its name, every estimate, the words for them (:func:`slope_phrases`) and what n allows."""
    a, n = estimate.analysis, estimate.analysis.data.n
    description = remittances.model_description(estimate.spec.model_id, gdp_pc_source)
    return {
        "model-label": description["label"],
        "model-formula": description["formula"],
        "n": n,
        "slope": a.ols.coef,
        "p-classical": a.ols.p_classical,
        "p-hc3": a.ols.p_hc3,
        "p-permutation": a.permutation.p_value,
        "orderings": a.permutation.orderings,
        "boot-low": a.bootstrap.low,
        "boot-high": a.bootstrap.high,
        "r": a.correlations.pearson_r,
        "critical-r": remittances.critical_correlation(n),
        "min-perm-p": remittances.smallest_permutation_p(n),
        **slope_phrases(estimate),
    }


def gdp_pc_numbers(compared: pd.DataFrame, by_source: dict[str, catalogue.ModelEstimate], gdp_pc_source: str) -> dict:
    """Table 1's GDP per capita over the World Bank's (remittances.gdp_pc_compared), the model with each."""
    numbers = {
        "gdp-pc-ratio-min": float(compared["ratio"].min()),
        "gdp-pc-ratio-max": float(compared["ratio"].max()),
        "gdp-pc-source": remittances.GDP_PC_SOURCES[gdp_pc_source],
        "gdp-pc-sentence": remittances.gdp_pc_sensitivity_phrase(by_source),
    }
    for key, source in (("table1", remittances.TABLE1), ("wb2003", remittances.WORLD_BANK_2003)):
        numbers[f"slope-{key}"] = by_source[source].analysis.ols.coef
        numbers[f"p-{key}"] = by_source[source].analysis.permutation.p_value
    return numbers


def models_numbers(rows: pd.DataFrame) -> dict:
    """The catalogue's models (``results.model_rows``): the smallest p-value, bootstrap intervals with zero, slopes."""
    return {
        "min-p": float(rows[["p_classical", "p_hc3", "p_permutation"]].min().min()),
        "boot-zero": int(((rows["boot_low"] <= 0) & (rows["boot_high"] >= 0)).sum()),
        "n-models": len(rows),
        **{f"slope-{model_id}": float(coef) for model_id, coef in zip(rows["model_id"], rows["coef"])},
    }


def leave_one_out_numbers(analysis: regression.Analysis, alpha: float = 0.05) -> dict:
    """The refits without each country: the most influential one, sign flips, refits with classical p < alpha."""
    loo = analysis.leave_one_out
    top = loo.loc[loo["cooks_distance"].idxmax()]
    return {
        "loo-top": str(top["country"]),
        "loo-cook": float(top["cooks_distance"]),
        "loo-top-slope": float(top["coef"]),
        "loo-flips": int(loo["sign_flip"].sum()),
        "loo-significant": int((loo["p_classical"] < alpha).sum()),
        "loo-n": len(loo),
    }


def curve_numbers(curve: pd.DataFrame, summary: pd.DataFrame, rows: pd.DataFrame, p_method: str) -> dict:
    """The specification curve by family (:func:`family_counts`) in numbers and words, and M5's link to it."""
    families = family_counts(summary)
    numbers = {"curve-n": int(families["specifications"].sum())}
    for key, family in (("pc", "gdp_pc"), ("gdp", "gdp")):
        numbers.update(
            {
                f"curve-{key}-n": int(families.loc[family, "specifications"]),
                f"curve-{key}-negative": float(families.loc[family, "share_negative"]),
                f"curve-{key}-significant": float(families.loc[family, "share_significant"]),
            }
        )
    return {
        **numbers,
        "curve-sentence": curve_phrase(numbers["curve-pc-negative"], numbers["curve-pc-significant"]),
        "curve-where-significant": significance_phrase(families),
        "mechanical-reason": multiverse.MECHANICAL_FAMILIES["gdp"],
        "m5-elasticity": float(rows.set_index("model_id").loc["M5", "coef"]),
        "curve-log-gdp-slope": float(curve.set_index("spec").loc[remittances.LOG_SHARE_ON_LOG_GDP, "estimate"]),
        "curve-method": "exact permutation" if p_method == "permutation" else "classical t test",
    }
