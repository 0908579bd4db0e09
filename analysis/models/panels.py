"""The extension's models on the public panel, with ids for citation.

- **P1**: log remittances received ~ log GDP of the receiving country + log GDP
  of Russia, with country fixed effects (statsmodels OLS with ``C(iso3)``
  dummies) and standard errors clustered by country: CR1, i.e. statsmodels'
  ``cov_type="cluster"`` with its small-sample factor G/(G-1) * (N-1)/(N-K),
  where K counts the country dummies. Inference uses t with G-1 degrees of
  freedom. Countries with a single observation are dropped (they carry no
  within-country variation) and listed. Russia's own GDP varies by year only,
  so the model has no year effects.
- **P2**: the paper-era cross-section, remittances as % of GDP ~ log GDP per
  capita (US$), re-estimated for every year with :func:`analysis.models.regression.ols`,
  the code of the paper-era models M1-M4.

Remittances and GDP come from one World Bank edition (default WDI 2025).
GDP per capita divides by the World Bank's own population (SP.POP.TOTL) by
default; P2 can use UN DESA's World Population Prospects 2024 instead, as a
sensitivity. "log" is the natural logarithm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.countries import CIS
from analysis.data.external import panel_data as external_panel
from analysis.data.external.registry import pinned_hashes
from analysis.data.external.series import files_of
from analysis.errors import ParameterError
from analysis.models import regression

RUSSIA = "RUS"
P1, P2 = "P1", "P2"
FORMULAS = {
    P1: "log remittances received (US$) ~ log GDP (US$) + log GDP of Russia (US$) + country fixed effects; "
    "SE clustered by country (CR1)",
    P2: "remittances received as % of GDP ~ log GDP per capita (US$), one cross-section per year",
}
P1_TERMS = ("log_gdp", "log_gdp_russia")


def _default_receivers() -> list[str]:
    return [code for code in CIS if code != RUSSIA]


def panel_fe_data(
    countries=None,
    start: int = 1995,
    end: int = 2023,
    edition: str = external_panel.WDI_2025,
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Country-years with positive remittances and GDP, Russia's GDP beside them, and their logs.

    Default countries: the CIS states other than Russia. Countries left with
    one observation are dropped; ``attrs['singletons']`` lists them.
    """
    countries = _default_receivers() if countries is None else list(countries)
    if RUSSIA in countries:
        raise ParameterError("countries must not include 'RUS': Russia's GDP is a regressor of P1.")
    if start > end:
        raise ParameterError(f"start={start} is after end={end}; pass start <= end.")
    data = external_panel.panel(countries + [RUSSIA]) if frame is None else frame
    table = external_panel.wide(data, {"remittances_usd": edition, "gdp_usd": edition})
    russia = table.loc[table["iso3"] == RUSSIA, ["year", "gdp_usd"]].rename(columns={"gdp_usd": "gdp_russia_usd"})
    table = table[table["iso3"].isin(countries) & table["year"].between(start, end)]
    table = table.merge(russia, on="year", how="left", validate="many_to_one")
    positive = (table[["remittances_usd", "gdp_usd", "gdp_russia_usd"]] > 0).all(axis=1)
    table = table[positive].copy()
    table["log_remittances"] = np.log(table["remittances_usd"])
    table["log_gdp"] = np.log(table["gdp_usd"])
    table["log_gdp_russia"] = np.log(table["gdp_russia_usd"])
    counts = table["iso3"].value_counts()
    singletons = sorted(counts[counts < 2].index)
    table = table[~table["iso3"].isin(singletons)].reset_index(drop=True)
    table.attrs.update(
        singletons=singletons,
        edition=edition,
        start=start,
        end=end,
        absent=sorted(set(countries) - set(table["iso3"]) - set(singletons)),
    )
    if table["iso3"].nunique() < 2:
        raise ParameterError(
            f"P1 needs at least 2 countries with 2+ years of positive remittances and GDP in {start}-{end} "
            f"({edition}); found {sorted(set(table['iso3']))}. Widen the years or the countries."
        )
    return table


@dataclass(frozen=True)
class PanelFEResult:
    params: pd.Series
    bse: pd.Series
    tvalues: pd.Series
    pvalues: pd.Series
    conf_int: pd.DataFrame
    n: int
    n_countries: int
    k_params: int
    r2_within: float
    df_inference: int
    alpha: float
    countries: tuple[str, ...]


def fit_panel_fe(data: pd.DataFrame, alpha: float = 0.05) -> PanelFEResult:
    """P1 by statsmodels: OLS with country dummies, SE clustered by country (CR1), t(G-1) inference."""
    import statsmodels.formula.api as smf

    if not 0 < alpha < 1:
        raise ParameterError(f"alpha={alpha} must lie strictly between 0 and 1, e.g. 0.05.")
    groups = pd.factorize(data["iso3"])[0]
    fit = smf.ols("log_remittances ~ log_gdp + log_gdp_russia + C(iso3)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    terms = list(P1_TERMS)
    within_y = data["log_remittances"] - data.groupby("iso3")["log_remittances"].transform("mean")
    r2_within = 1.0 - float(np.sum(fit.resid**2)) / float(np.sum(within_y**2))
    conf = fit.conf_int(alpha=alpha).loc[terms]
    conf.columns = ["low", "high"]
    return PanelFEResult(
        params=fit.params[terms],
        bse=fit.bse[terms],
        tvalues=fit.tvalues[terms],
        pvalues=fit.pvalues[terms],
        conf_int=conf,
        n=int(fit.nobs),
        n_countries=int(groups.max() + 1),
        k_params=int(fit.df_model + 1),
        r2_within=r2_within,
        df_inference=int(groups.max()),
        alpha=alpha,
        countries=tuple(sorted(set(data["iso3"]))),
    )


def panel_fe(
    countries=None, start: int = 1995, end: int = 2023, edition: str = external_panel.WDI_2025, alpha: float = 0.05
) -> pd.DataFrame:
    """P1 as tidy rows, one per coefficient."""
    data = panel_fe_data(countries, start, end, edition)
    result = fit_panel_fe(data, alpha)
    rows = []
    for term in P1_TERMS:
        rows.append(
            {
                "model_id": P1,
                "formula": FORMULAS[P1],
                "term": term,
                "edition": edition,
                "start": start,
                "end": end,
                "n": result.n,
                "n_countries": result.n_countries,
                "countries": ";".join(result.countries),
                "singletons_dropped": ";".join(data.attrs["singletons"]) or "none",
                "coef": float(result.params[term]),
                "se_cluster": float(result.bse[term]),
                "t": float(result.tvalues[term]),
                "p": float(result.pvalues[term]),
                "ci_level": 1 - alpha,
                "ci_low": float(result.conf_int.at[term, "low"]),
                "ci_high": float(result.conf_int.at[term, "high"]),
                "df_inference": result.df_inference,
                "r2_within": result.r2_within,
            }
        )
    return pd.DataFrame(rows)


def yearly_cross_section(
    countries=None,
    start: int = 1995,
    end: int = 2023,
    edition: str = external_panel.WDI_2025,
    alpha: float = 0.05,
    population_edition: str = external_panel.POPULATION_WB,
) -> pd.DataFrame:
    """P2: slope, SE and interval of the remittance share on log GDP per capita, year by year.

    Remittances and GDP from ``edition``, population from ``population_edition``.
    Default countries: the seven of Table 3. A year with fewer than 3 countries
    (or no variation) is kept as a row with ``status`` saying why it was not estimated.
    """
    if start > end:
        raise ParameterError(f"start={start} is after end={end}; pass start <= end.")
    codes = external_panel.table3_countries() if countries is None else list(countries)
    frame = external_panel.panel(codes)
    rows = []
    for year in range(start, end + 1):
        table = external_panel.cross_section(
            year,
            codes,
            remittance_edition=edition,
            gdp_edition=edition,
            population_edition=population_edition,
            frame=frame,
        )
        table["log_gdp_pc"] = np.log(table["gdp_per_capita_usd"])
        row = {
            "model_id": P2,
            "formula": FORMULAS[P2],
            "year": year,
            "edition": edition,
            "population_edition": population_edition,
        }
        try:
            data = regression.cross_section(table, x="log_gdp_pc", y="remittances_pct_gdp")
        except ParameterError as exc:
            rows.append(
                {
                    **row,
                    "n": int(table[["log_gdp_pc", "remittances_pct_gdp"]].notna().all(axis=1).sum()),
                    "status": f"not estimated: {exc}",
                }
            )
            continue
        fit = regression.ols(data, alpha=alpha)
        rows.append(
            {
                **row,
                "n": fit.n,
                "countries": ";".join(data.codes),
                "missing": ";".join(data.missing) or "none",
                "coef": fit.coef,
                "intercept": fit.intercept,
                "se": fit.se,
                "t": fit.t,
                "p_classical": fit.p_classical,
                "se_hc3": fit.se_hc3,
                "p_hc3": fit.p_hc3,
                "r2": fit.r2,
                "ci_level": fit.ci_level,
                "ci_low": fit.ci_low,
                "ci_high": fit.ci_high,
                "status": "estimated",
            }
        )
    columns = [
        "model_id",
        "formula",
        "year",
        "edition",
        "population_edition",
        "n",
        "countries",
        "missing",
        "coef",
        "intercept",
        "se",
        "t",
        "p_classical",
        "se_hc3",
        "p_hc3",
        "r2",
        "ci_level",
        "ci_low",
        "ci_high",
        "status",
    ]
    return pd.DataFrame(rows).reindex(columns=columns)


def external_hash_field(filenames) -> str:
    """'file=sha256;...' for the pinned public files a result was computed from."""
    return ";".join(f"{name}={digest}" for name, digest in sorted(pinned_hashes(filenames).items()))


def write_p1(rows: pd.DataFrame, name: str = "panel_fe", directory=None) -> dict:
    """P1's rows to results/; analysis.results records the paper's resources, so the
    hash of the public file goes into the column ``external_sha256``."""
    from analysis import results

    table = rows.assign(external_sha256=external_hash_field(["wdi.rda"]))
    return results.write_table(table, name, resources=[], directory=directory)


def write_p2(rows: pd.DataFrame, name: str = "yearly_cross_section", directory=None) -> dict:
    """P2's rows to results/ with the hashes of the files of its remittances, GDP and population
    (its countries are Table 3's, so Table 3's resource is recorded too)."""
    from analysis import results
    from analysis.data import paper

    series = {(indicator, edition) for edition in set(rows["edition"]) for indicator in ("remittances_usd", "gdp_usd")}
    series |= {("population", edition) for edition in set(rows["population_edition"])}
    table = rows.assign(external_sha256=external_hash_field(files_of(series)))
    return results.write_table(table, name, resources=[paper.TABLE3_LEVELS], directory=directory)


def write_results(directory=None, alpha: float = 0.05) -> dict[str, dict]:
    """Write P1 and P2 with their default settings to results/ (``panel_fe``, ``yearly_cross_section``)."""
    return {
        "panel_fe": write_p1(panel_fe(alpha=alpha), directory=directory),
        "yearly_cross_section": write_p2(yearly_cross_section(alpha=alpha), directory=directory),
    }
