"""The model catalogue: the compendium's numbered models, M1, M2, ...

Each id names one regression of an outcome on one regressor, across countries,
fixed once and documented in book/model-ids.md, so that a text can cite "model
M1 of the compendium at version X". The ids never change meaning; a new model
gets a new id. "log" is the natural logarithm throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.data import paper
from analysis.errors import ParameterError
from analysis.models import regression

REMITTANCES = "remittances"
LIVING_STANDARDS = "living_standards"

# The data package resources each source reads (their hashes go into results/).
SOURCE_RESOURCES = {
    REMITTANCES: (paper.TABLE1, paper.TABLE3_LEVELS, paper.TABLE3_SHARES),
    LIVING_STANDARDS: (paper.TABLE1,),
}


@dataclass(frozen=True)
class ModelSpec:
    model_id: str
    formula: str  # in words: outcome ~ regressor, with the data each comes from
    y: str
    x: str
    source: str

    @property
    def resources(self) -> tuple[str, ...]:
        return SOURCE_RESOURCES[self.source]


CATALOGUE = (
    ModelSpec(
        "M1",
        "remittances (estimate) as % of GDP, as printed in Table 3 ~ log GDP per capita (Table 1)",
        "share_estimate_printed",
        "log_gdp_pc",
        REMITTANCES,
    ),
    ModelSpec(
        "M2",
        "remittances (balance of payments, 2003) as % of GDP, as printed in Table 3 ~ log GDP per capita (Table 1)",
        "share_bop_printed",
        "log_gdp_pc",
        REMITTANCES,
    ),
    ModelSpec(
        "M3",
        "remittances (estimate) / GDP 2003 x 100, recomputed from the levels of Table 3 ~ log GDP per capita (Table 1)",
        "share_estimate_recomputed",
        "log_gdp_pc",
        REMITTANCES,
    ),
    ModelSpec(
        "M4",
        "remittances (balance of payments, 2003) / GDP 2003 x 100, recomputed from the levels of Table 3 "
        "~ log GDP per capita (Table 1)",
        "share_bop_recomputed",
        "log_gdp_pc",
        REMITTANCES,
    ),
    ModelSpec(
        "M5",
        "log remittances (estimate, US$ million, Table 3) ~ log GDP 2003 (US$ million, Table 3): the elasticity",
        "log_remit_estimate",
        "log_gdp",
        REMITTANCES,
    ),
    ModelSpec(
        "M6",
        "share of the population below 2 US$ a day (%, Table 1) ~ log GDP per capita (Table 1)",
        "poverty_pct",
        "log_gdp_pc",
        LIVING_STANDARDS,
    ),
)
MODELS = {spec.model_id: spec for spec in CATALOGUE}


def model_ids() -> list[str]:
    return [spec.model_id for spec in CATALOGUE]


def spec(model_id: str) -> ModelSpec:
    if model_id not in MODELS:
        raise ParameterError(
            f"model_id {model_id!r} is not in the catalogue; known ids are {', '.join(MODELS)} (see book/model-ids.md)."
        )
    return MODELS[model_id]


def _floats(column: pd.Series) -> np.ndarray:
    return column.to_numpy(dtype=float, na_value=np.nan)


def remittance_variables(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """One row per Table 3 country: the printed and recomputed shares, levels and logs."""
    frame = paper.remittance_cross_section(descriptor)
    gdp = _floats(frame["gdp_2003_musd"])
    estimate = _floats(frame["remittances_estimate_musd"])
    bop = _floats(frame["remittances_bop_2003_musd"])
    gdp_pc = _floats(frame["gdp_per_capita_usd"])
    return pd.DataFrame(
        {
            "iso3": frame["iso3"].astype(str).to_numpy(),
            "country": frame["country"].astype(str).to_numpy(),
            "gdp_pc": gdp_pc,
            "log_gdp_pc": np.log(gdp_pc),
            "gdp": gdp,
            "log_gdp": np.log(gdp),
            "remit_estimate": estimate,
            "remit_bop": bop,
            "log_remit_estimate": np.log(estimate),
            "log_remit_bop": np.log(bop),
            "share_estimate_printed": _floats(frame["remittances_estimate_pct_gdp"]),
            "share_bop_printed": _floats(frame["remittances_bop_2003_pct_gdp"]),
            "share_estimate_recomputed": 100 * estimate / gdp,
            "share_bop_recomputed": 100 * bop / gdp,
        }
    )


def living_standards_variables(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """One row per Table 1 country (the 12 CIS states): GDP per capita and poverty share."""
    frame = paper.table1(descriptor)
    gdp_pc = _floats(frame["gdp_per_capita_usd"])
    return pd.DataFrame(
        {
            "iso3": frame["iso3"].astype(str).to_numpy(),
            "country": frame["country"].astype(str).to_numpy(),
            "gdp_pc": gdp_pc,
            "log_gdp_pc": np.log(gdp_pc),
            "poverty_pct": _floats(frame["poverty_below_2usd_day_pct"]),
        }
    )


_LOADERS = {REMITTANCES: remittance_variables, LIVING_STANDARDS: living_standards_variables}


def variables(source: str, descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    if source not in _LOADERS:
        raise ParameterError(f"source {source!r} is unknown; expected one of {', '.join(_LOADERS)}.")
    return _LOADERS[source](descriptor)


def model_data(
    model_id: str,
    *,
    exclude: list[str] | tuple[str, ...] = (),
    frame: pd.DataFrame | None = None,
) -> regression.CrossSection:
    """The countries, regressor and outcome of a model; ``frame`` defaults to its source's variables."""
    model = spec(model_id)
    if frame is None:
        frame = variables(model.source)
    return regression.cross_section(frame, model.x, model.y, exclude=exclude)


@dataclass(frozen=True)
class ModelEstimate:
    spec: ModelSpec
    analysis: regression.Analysis


def fit(
    model_id: str,
    *,
    exclude: list[str] | tuple[str, ...] = (),
    boot_draws: int = regression.BOOTSTRAP_DRAWS,
    seed: int = regression.DEFAULT_SEED,
    perm_draws: int = regression.PERMUTATION_DRAWS,
    alpha: float = 0.05,
    frame: pd.DataFrame | None = None,
) -> ModelEstimate:
    """Fit one catalogue model with every estimate the compendium reports."""
    data = model_data(model_id, exclude=exclude, frame=frame)
    analysis = regression.analyse(data, alpha=alpha, boot_draws=boot_draws, seed=seed, perm_draws=perm_draws)
    return ModelEstimate(spec(model_id), analysis)


def fit_all(
    model_ids: list[str] | tuple[str, ...] | None = None,
    *,
    exclude: list[str] | tuple[str, ...] = (),
    boot_draws: int = regression.BOOTSTRAP_DRAWS,
    seed: int = regression.DEFAULT_SEED,
    perm_draws: int = regression.PERMUTATION_DRAWS,
    alpha: float = 0.05,
) -> list[ModelEstimate]:
    """Fit several catalogue models (all by default), loading each source once.

    ``exclude`` applies to every model; a code must belong to each model's source.
    """
    ids = list(MODELS) if model_ids is None else [spec(model_id).model_id for model_id in model_ids]
    frames = {source: variables(source) for source in {MODELS[i].source for i in ids}}
    return [
        fit(
            i,
            exclude=exclude,
            boot_draws=boot_draws,
            seed=seed,
            perm_draws=perm_draws,
            alpha=alpha,
            frame=frames[MODELS[i].source],
        )
        for i in ids
    ]
