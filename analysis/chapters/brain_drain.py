"""Chapter 4, brain drain: the paper's two numbers and Russia's four priorities, as data.

The paper gives a UNDP estimate of Russia's annual losses (25 billion US$) and a growth rate
of Russia's IT sector (15 % a year). It gives no base year, level or period for the growth
rate, so the only thing that can be computed from it is what the rate would compound to;
``growth_path`` does that arithmetic and nothing more.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from analysis.chapters import markup
from analysis.data import statements
from analysis.data.datapackage import read_resource
from analysis.errors import DataValidationError, ParameterError
from analysis.figures import PALETTE

UNDP_LOSSES = "annual losses from brain drain"
IT_GROWTH = "annual growth rate of the IT sector"
FMS_OUTFLOW = "fms_russia_taken_away"


def _frame(kind: str) -> pd.DataFrame:
    frame = statements.brain_drain()
    return frame[frame["kind"] == kind].sort_values("ordinal").reset_index(drop=True)


def estimate(item_start: str) -> pd.Series:
    """The one ``estimate`` row whose item starts with ``item_start``."""
    frame = _frame("estimate")
    rows = frame[frame["item"].str.startswith(item_start)]
    if len(rows) != 1:
        raise DataValidationError(
            f"{statements.BRAIN_DRAIN}: expected one estimate row starting {item_start!r}, found {len(rows)}. "
            "The chapter reads the UNDP loss and the IT growth rate by these descriptions."
        )
    return rows.iloc[0]


def affected_countries() -> list[str]:
    return _frame("affected_country")["country"].tolist()


def it_growth_rate() -> float:
    """The IT sector's annual growth rate as printed, in percent."""
    return float(estimate(IT_GROWTH)["value"])


def evidence_numbers() -> dict[str, float]:
    """The UNDP loss (billion US$ a year) and its ratio to the money migrants take out of Russia (low, high)."""
    ratio_low, ratio_high = loss_to_outflow_ratio()
    return {"loss": float(estimate(UNDP_LOSSES)["value"]), "ratio-low": ratio_low, "ratio-high": ratio_high}


def evidence_markdown() -> str:
    """MyST table of the section's statements: the affected countries and the two numbers, with sources."""
    affected = _frame("affected_country")
    rows = [
        {
            "Statement": affected["item"].iloc[0],
            "Country": ", ".join(affected["country_as_printed"]),
            "Value as printed": "",
            "Unit": "",
            "Source cited": markup.cite(affected["source_keys"].iloc[0]),
            "Paper line": str(affected["paper_line"].iloc[0]),
        }
    ]
    for row in _frame("estimate").itertuples():
        rows.append(
            {
                "Statement": row.item,
                "Country": row.country_as_printed,
                "Value as printed": f"{row.value:g}",
                "Unit": row.unit,
                "Source cited": markup.cite(row.source_keys),
                "Paper line": str(row.paper_line),
            }
        )
    return markup.pipe_table(pd.DataFrame(rows))


def priorities_markdown() -> str:
    """MyST table of Russia's four priorities in the paper's order, with their source and line."""
    frame = _frame("policy_priority")
    return markup.pipe_table(
        pd.DataFrame(
            {
                "No.": frame["ordinal"].astype(str),
                "Priority": frame["item"],
                "Source cited": [markup.cite(keys) for keys in frame["source_keys"]],
                "Paper line": frame["paper_line"].astype(str),
            }
        )
    )


def growth_path(rate_pct: float, years: int) -> pd.DataFrame:
    """Index (start = 100) of a quantity that grows by ``rate_pct`` % a year, for years 0..``years``."""
    if not (isinstance(years, int) and not isinstance(years, bool) and years >= 1):
        raise ParameterError(f"years={years!r}: the horizon must be a whole number of years >= 1.")
    if not (math.isfinite(rate_pct) and rate_pct > -100):
        raise ParameterError(f"rate_pct={rate_pct!r}: a growth rate must be finite and above -100 %.")
    year = np.arange(years + 1)
    return pd.DataFrame({"year": year, "index": 100 * (1 + rate_pct / 100) ** year})


def doubling_time(rate_pct: float) -> float:
    """Years for a quantity growing by ``rate_pct`` % a year to double: ln 2 / ln(1 + r)."""
    if not (math.isfinite(rate_pct) and rate_pct > 0):
        raise ParameterError(f"rate_pct={rate_pct!r}: only a positive growth rate has a doubling time.")
    return math.log(2) / math.log1p(rate_pct / 100)


def growth_numbers(path: pd.DataFrame, rate_pct: float) -> dict[str, float]:
    """The growth rate, its doubling time, and where ``growth_path`` ends: the horizon and the index then."""
    return {
        "it-rate": rate_pct,
        "doubling": doubling_time(rate_pct),
        "horizon": int(path["year"].iloc[-1]),
        "index-end": float(path["index"].iloc[-1]),
    }


def plot_growth_path(path: pd.DataFrame, rate_pct: float) -> plt.Figure:
    """The index of ``growth_path``, with the doubling level marked."""
    figure, axis = plt.subplots(figsize=(7.5, 4))
    colour = sns.color_palette(PALETTE, 1)[0]
    axis.plot(path["year"], path["index"], marker="o", color=colour, label=f"{rate_pct:g} % a year, compounded")
    axis.axhline(200, color="grey", linestyle=":", linewidth=1)
    axis.annotate(
        "twice the starting size", (0, 200), xytext=(2, 3), textcoords="offset points", fontsize=9, color="grey"
    )
    axis.set(xlabel="years after an unstated start", ylabel="size of the IT sector (start = 100)")
    axis.legend(loc="upper left", fontsize=9)
    figure.tight_layout()
    return figure


def loss_to_outflow_ratio() -> tuple[float, float]:
    """The UNDP loss divided by the money the Federal Migration Service says migrants take out of
    Russia each year (printed as a range), as (low, high). Both are US$ billion a year."""
    loss = estimate(UNDP_LOSSES)
    statements = read_resource("remittance_statements").set_index("statement_id")
    if FMS_OUTFLOW not in statements.index:
        raise DataValidationError(f"remittance_statements has no row {FMS_OUTFLOW!r}; the comparison needs it.")
    outflow = statements.loc[FMS_OUTFLOW]
    if loss["unit"] != "billion US$ per year" or outflow["unit"] != "US$ billion a year":
        raise DataValidationError(
            f"units differ from those expected: brain_drain {loss['unit']!r}, remittance_statements "
            f"{outflow['unit']!r}; both must be billions of US$ a year for the ratio."
        )
    return float(loss["value"]) / float(outflow["high"]), float(loss["value"]) / float(outflow["low"])
