"""Chapter 13, the common labour market realised: remittances of Armenia and Kyrgyzstan after they joined the EAEU.

Two estimators on the economies of :mod:`analysis.data.external.world`:
synthetic control (S1, :mod:`analysis.models.synthetic`) against two donor pools,
and a difference-in-differences event study (E1, :mod:`analysis.models.fixed_effects`)
of the members against the Russia-dependent non-members.

Declared rules:

- **treatment year**: one year for both members (default 2015). Armenia's
  accession took effect in January 2015 and Kyrgyzstan's in August 2015, so for
  Kyrgyzstan the first treated year is only partly treated.
- **world pool**: every economy with both outcomes in every year of the window
  and at least ``min_population`` people (World Bank) in each of those years,
  except the 15 post-Soviet states: the members, the founders (Belarus,
  Kazakhstan, Russia, context only) and the neighbours whose migrants also work
  in Russia.
- **Russia-dependent pool**: Azerbaijan, Georgia, Moldova, Tajikistan and
  Uzbekistan, the non-members named in the issue that opened this chapter,
  where they have both outcomes in every year of the window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import results
from analysis.chapters import world as world_chapter
from analysis.data.countries import POST_SOVIET, display_name
from analysis.data.external import series, world
from analysis.errors import ParameterError
from analysis.models import fixed_effects, panels, synthetic

MEMBERS = ("ARM", "KGZ")
FOUNDERS = ("BLR", "KAZ", "RUS")
RUSSIA_DEPENDENT = ("AZE", "GEO", "MDA", "TJK", "UZB")
OUTCOMES = {"share": "remittances_pct_gdp", "log_usd": "log_remittances_usd"}
OUTCOME_LABELS = {"share": "remittances, % of GDP", "log_usd": "log remittances, US$"}
EFFECT_UNITS = {"share": "percentage points of GDP", "log_usd": "log points"}
POOLS = ("world", "russia_dependent")
POOL_LABELS = {"world": "world pool", "russia_dependent": "Russia-dependent pool"}
SERIES = (world.REMITTANCES, world.REMITTANCE_SHARE, world.GDP, world.POPULATION)


def _checked(values, allowed, name: str) -> list[str]:
    values = list(values)
    unknown = [value for value in values if value not in allowed]
    if unknown or not values:
        raise ParameterError(f"{name}={values}: choose one or more of {list(allowed)}.")
    return values


def frame(start: int, end: int) -> pd.DataFrame:
    """Economy-years start..end with both outcomes and the World Bank population."""
    table = world.economies(start, end)
    out = table[["iso3", "country", "year", "population", "remittances_pct_gdp"]].copy()
    out["log_remittances_usd"] = np.log(table["remittances_usd"].where(table["remittances_usd"] > 0))
    return out


def sources() -> str:
    """The source line of the chapter's series (see :func:`analysis.chapters.world.source_line`)."""
    return world_chapter.source_line(SERIES)


def outcome_table(data: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Year x economy table of one outcome."""
    return data.pivot(index="year", columns="iso3", values=OUTCOMES[outcome])


def pool(data: pd.DataFrame, name: str, min_population: float) -> list[str]:
    """The donors of a pool (see the module's rules)."""
    years = data["year"].nunique()
    complete = data.dropna(subset=list(OUTCOMES.values()))
    if name == "world":
        complete = complete[(complete["population"] >= min_population) & ~complete["iso3"].isin(POST_SOVIET)]
    elif name == "russia_dependent":
        complete = complete[complete["iso3"].isin(RUSSIA_DEPENDENT)]
    else:
        raise ParameterError(f"donor pool {name!r} is unknown; choose one of {list(POOLS)}.")
    counts = complete.groupby("iso3").size()
    return sorted(counts[counts == years].index)


def synth_study(
    data: pd.DataFrame,
    treated,
    outcomes,
    pools,
    *,
    start: int,
    treatment_year: int,
    placebo_year: int,
    end: int,
    min_population: float,
) -> dict:
    """S1 for every treated economy, outcome and pool, with the placebo, in-time and leave-one-out checks.

    Returns ``rows`` (one per treated, outcome and pool) and ``fits``: (treated,
    outcome, pool) -> the main fit and its placebos, for the figures.
    """
    treated = _checked(treated, MEMBERS, "treated")
    if not start < placebo_year < treatment_year:
        raise ParameterError(
            f"placebo year {placebo_year} must fall after start={start} and before the treatment year {treatment_year}."
        )
    pre, post = synthetic.split_years(start, treatment_year, end)
    fake_pre, fake_post = synthetic.split_years(start, placebo_year, treatment_year - 1)
    rows, fits = [], {}
    for outcome in _checked(outcomes, OUTCOMES, "outcomes"):
        table = outcome_table(data, outcome)
        for pool_name in _checked(pools, POOLS, "donor_pools"):
            donors = pool(data, pool_name, min_population)
            placebos = synthetic.placebos_in_space(table, donors, pre, post)
            for unit in treated:
                main = synthetic.fit(table, unit, donors, pre, post)
                in_time = synthetic.fit(table, unit, donors, fake_pre, fake_post)
                left_out = [refit.post_effect for refit in synthetic.leave_one_out(table, main, donors).values()]
                weights = main.weights[main.weights > synthetic.WEIGHT_FLOOR].sort_values(ascending=False)
                rows.append(
                    {
                        "treated": unit,
                        "outcome": outcome,
                        "donor_pool": pool_name,
                        "pre_rmspe": main.pre_rmspe,
                        "post_effect": main.post_effect,
                        "placebo_p": synthetic.placebo_p(main, placebos),
                        "n_donors": len(donors),
                        "post_rmspe": main.post_rmspe,
                        "rmspe_ratio": main.ratio,
                        "in_time_effect": in_time.post_effect,
                        "loo_effect_min": min(left_out, default=np.nan),
                        "loo_effect_max": max(left_out, default=np.nan),
                        "weights": ";".join(f"{code}={value:.3f}" for code, value in weights.items()),
                        "start": start,
                        "treatment_year": treatment_year,
                        "placebo_year": placebo_year,
                        "end": end,
                    }
                )
                fits[(unit, outcome, pool_name)] = {"main": main, "placebos": placebos}
    return {"rows": pd.DataFrame(rows), "fits": fits}


def synth_table(rows: pd.DataFrame) -> pd.DataFrame:
    """S1's rows for display."""

    def effect(row):
        return f"{row['post_effect']:+.2f}"

    return pd.DataFrame(
        {
            "treated": rows["treated"].map(display_name),
            "outcome": rows["outcome"].map(OUTCOME_LABELS),
            "pool (donors)": [f"{POOL_LABELS[p]} ({n})" for p, n in zip(rows["donor_pool"], rows["n_donors"])],
            "pre-treatment RMSPE": rows["pre_rmspe"].map("{:.2f}".format),
            "effect, post-treatment mean": rows.apply(effect, axis=1),
            "placebo p": rows["placebo_p"].map("{:.2f}".format),
            "in-time placebo effect": rows["in_time_effect"].map("{:+.2f}".format),
            "leave-one-out effects": [
                f"{low:+.2f} to {high:+.2f}" if np.isfinite(low) else "–"
                for low, high in zip(rows["loo_effect_min"], rows["loo_effect_max"])
            ],
        }
    ).set_index(["treated", "outcome", "pool (donors)"])


def synth_numbers(rows: pd.DataFrame) -> dict:
    """Glue numbers: one key per treated economy, outcome, pool and field (e.g. 'arm-share-world-effect')."""
    numbers = {
        "smallest-p": float(rows["placebo_p"].min()),
        "fits": len(rows),
        "below-10": int((rows["placebo_p"] <= 0.10).sum()),
        "negative": int((rows["post_effect"] < 0).sum()),
    }
    for _, row in rows.iterrows():
        key = f"{row['treated'].lower()}-{row['outcome']}-{row['donor_pool']}"
        numbers.update(
            {
                f"{key}-effect": float(row["post_effect"]),
                f"{key}-p": float(row["placebo_p"]),
                f"{key}-rmspe": float(row["pre_rmspe"]),
                f"{key}-in-time": float(row["in_time_effect"]),
            }
        )
    for outcome, part in rows.groupby("outcome", sort=False):
        numbers[f"{outcome}-largest-effect"] = float(part["post_effect"].abs().max())
        numbers[f"{outcome}-largest-in-time"] = float(part["in_time_effect"].abs().max())
    for pool_name in POOLS:
        donors = rows.loc[rows["donor_pool"] == pool_name, "n_donors"]
        numbers[f"{pool_name}-donors"] = int(donors.iloc[0]) if len(donors) else 0
        numbers[f"{pool_name}-min-p"] = 1 / (1 + numbers[f"{pool_name}-donors"]) if len(donors) else np.nan
    return numbers


def synth_sentences(rows: pd.DataFrame) -> str:
    """One line per treated economy and outcome: the effect and placebo p with each pool, as MyST bullets."""
    lines = []
    for (treated, outcome), part in rows.groupby(["treated", "outcome"], sort=False):
        fits = "; ".join(
            f"{row['post_effect']:+.2f} with the {POOL_LABELS[row['donor_pool']]} (placebo p = "
            f"{row['placebo_p']:.2f}, pre-treatment RMSPE {row['pre_rmspe']:.2f})"
            for _, row in part.iterrows()
        )
        lines.append(f"- {display_name(treated)}, {OUTCOME_LABELS[outcome]} ({EFFECT_UNITS[outcome]}): {fits}.")
    return "\n".join(lines)


def event_data(data: pd.DataFrame, treated, treatment_year: int) -> pd.DataFrame:
    """Members and Russia-dependent non-members, with the treated flag, event time and post flag."""
    treated = _checked(treated, MEMBERS, "treated")
    rows = data[data["iso3"].isin([*treated, *RUSSIA_DEPENDENT])].copy()
    rows["treated"] = rows["iso3"].isin(treated)
    rows["event_time"] = np.where(rows["treated"], rows["year"] - treatment_year, np.nan)
    rows["after"] = (rows["year"] >= treatment_year).astype(float)
    rows["treated_after"] = rows["treated"] * rows["after"]
    return rows.reset_index(drop=True)


def event_study(data: pd.DataFrame, treated, outcomes, *, start: int, treatment_year: int, end: int) -> pd.DataFrame:
    """E1 for each outcome: event-time coefficients, and the pooled post-treatment difference in differences
    with its clustered p-value and its exact randomization p-value over all assignments."""
    rows = event_data(data, treated, treatment_year)
    window = (start - treatment_year, end - treatment_year)
    parts = []
    for outcome in _checked(outcomes, OUTCOMES, "outcomes"):
        column = OUTCOMES[outcome]
        used = rows.dropna(subset=[column])
        coefficients = fixed_effects.event_study(used, column, "treated", "event_time", window)
        pooled = fixed_effects.panel(used, column, ["treated_after"], "country+year").terms["treated_after"]
        exact = fixed_effects.did_randomization(used, column, "after", _checked(treated, MEMBERS, "treated"))
        common = {
            "outcome": outcome,
            "n": coefficients.attrs["n"],
            "n_clusters": coefficients.attrs["n_clusters"],
            "df_inference": coefficients.attrs["df_inference"],
            "treated": ";".join(sorted(set(used.loc[used["treated"], "iso3"]))),
            "controls": ";".join(sorted(set(used.loc[~used["treated"], "iso3"]))),
            "treatment_year": treatment_year,
        }
        parts.append(coefficients.assign(term="event_time", p_randomization=np.nan, assignments=np.nan, **common))
        parts.append(
            pd.DataFrame(
                [
                    {
                        "term": "post_average",
                        "event_time": np.nan,
                        "coef": pooled.coef,
                        "se_cluster": pooled.se,
                        "p_cluster": pooled.p,
                        "ci_low": pooled.ci_low,
                        "ci_high": pooled.ci_high,
                        "p_randomization": exact["p"],
                        "assignments": exact["assignments"],
                        **common,
                    }
                ]
            )
        )
    table = pd.concat(parts, ignore_index=True)
    first = [
        "outcome",
        "term",
        "event_time",
        "coef",
        "se_cluster",
        "p_cluster",
        "ci_low",
        "ci_high",
        "p_randomization",
        "assignments",
    ]
    return table[first + [column for column in table.columns if column not in first]]


def event_numbers(table: pd.DataFrame) -> dict:
    """Glue numbers of E1, per outcome: the pooled effect, its two p-values, and the largest pre-trend."""
    numbers = {}
    for outcome, rows in table.groupby("outcome", sort=False):
        pooled = rows[rows["term"] == "post_average"].iloc[0]
        leads = rows[(rows["term"] == "event_time") & (rows["event_time"] < 0)]
        numbers.update(
            {
                f"{outcome}-did": float(pooled["coef"]),
                f"{outcome}-did-low": float(pooled["ci_low"]),
                f"{outcome}-did-high": float(pooled["ci_high"]),
                f"{outcome}-did-p": float(pooled["p_cluster"]),
                f"{outcome}-did-ri": float(pooled["p_randomization"]),
                f"{outcome}-assignments": int(pooled["assignments"]),
                f"{outcome}-clusters": int(pooled["n_clusters"]),
                f"{outcome}-leads-outside": int(((leads["ci_low"] > 0) | (leads["ci_high"] < 0)).sum()),
                f"{outcome}-leads": len(leads),
            }
        )
    return numbers


def write(synth_rows: pd.DataFrame, events: pd.DataFrame) -> dict:
    """results/eaeu_synth and results/eaeu_event_study, with the hashes of the public files."""
    hashes = panels.external_hash_field(series.files_of(SERIES))
    return {
        "eaeu_synth": results.write_table(synth_rows.assign(external_sha256=hashes), "eaeu_synth", resources=[]),
        "eaeu_event_study": results.write_table(
            events.assign(external_sha256=hashes), "eaeu_event_study", resources=[]
        ),
    }
