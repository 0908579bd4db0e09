"""Figures of chapter 13, the EAEU common labour market, in the compendium's theme (:mod:`analysis.figures`).

Each ``plot_*`` takes the study of :func:`analysis.chapters.eaeu.synth_study` or the
event study's table and returns a matplotlib Figure; each ``*_data`` gives the long table
a synthetic-control figure draws, for its CSV.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.collections import LineCollection

from analysis import figures
from analysis.chapters.eaeu import OUTCOME_LABELS, POOL_LABELS
from analysis.data.countries import display_name
from analysis.errors import ParameterError


def _panels(keys):
    """Rows: (treated, outcome) in order of first appearance; columns: the pools."""
    if not keys:
        raise ParameterError("the study has no fit to draw; choose at least one treated country, outcome and pool.")
    rows = list(dict.fromkeys((treated, outcome) for treated, outcome, _ in keys))
    columns = list(dict.fromkeys(pool for _, _, pool in keys))
    figure, axes = plt.subplots(
        len(rows), len(columns), squeeze=False, sharex=True, figsize=(3.7 * len(columns) + 0.4, 2.3 * len(rows) + 0.8)
    )
    return figure, axes, rows, columns


def _label(axis, row, column, treated, outcome, pool) -> None:
    if row == 0:
        axis.set_title(POOL_LABELS[pool], fontsize=10)
    if column == 0:
        axis.set_ylabel(f"{display_name(treated)}\n{OUTCOME_LABELS[outcome]}", fontsize=9)
    axis.tick_params(labelsize=8)


def plot_synthetic_paths(fits: dict, *, treatment_year: int) -> plt.Figure:
    """Each treated economy and its synthetic control, one row per economy and outcome, one column per pool."""
    figure, axes, rows, columns = _panels(list(fits))
    actual_colour, synthetic_colour = sns.color_palette(figures.PALETTE, 2)
    for (treated, outcome, pool), study in fits.items():
        row, column = rows.index((treated, outcome)), columns.index(pool)
        axis, main = axes[row, column], study["main"]
        axis.plot(main.actual.index, main.actual, color=actual_colour, linewidth=1.8, label="actual")
        axis.plot(
            main.synthetic.index,
            main.synthetic,
            color=synthetic_colour,
            linewidth=1.8,
            linestyle="--",
            label="synthetic control",
        )
        axis.axvline(treatment_year - 0.5, color="0.4", linewidth=0.8)
        _label(axis, row, column, treated, outcome, pool)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=2, frameon=False, fontsize=9)
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    return figure


def plot_placebo_gaps(fits: dict, *, treatment_year: int) -> plt.Figure:
    """Gap between actual and synthetic for the treated economy (colour) and every placebo donor (grey)."""
    figure, axes, rows, columns = _panels(list(fits))
    colour = sns.color_palette(figures.PALETTE, 1)[0]
    for (treated, outcome, pool), study in fits.items():
        row, column = rows.index((treated, outcome)), columns.index(pool)
        axis = axes[row, column]
        # One collection for all placebo lines: a hundred separate lines make the figure slow to save.
        axis.add_collection(
            LineCollection(
                [np.column_stack([placebo.gap.index, placebo.gap]) for placebo in study["placebos"].values()],
                colors="0.7",
                linewidths=0.6,
            )
        )
        gap = study["main"].gap
        axis.plot(gap.index, gap, color=colour, linewidth=2)
        axis.axhline(0, color="0.3", linewidth=0.6)
        axis.axvline(treatment_year - 0.5, color="0.4", linewidth=0.8)
        _label(axis, row, column, treated, outcome, pool)
    figure.tight_layout()
    return figure


def synthetic_paths_data(fits: dict) -> pd.DataFrame:
    """One row per fit and year: the treated economy's actual value and its synthetic control's."""
    return pd.DataFrame(
        [
            {
                "treated": treated,
                "outcome": outcome,
                "donor_pool": pool,
                "year": int(year),
                "actual": actual,
                "synthetic": study["main"].synthetic[year],
            }
            for (treated, outcome, pool), study in fits.items()
            for year, actual in study["main"].actual.items()
        ]
    )


def placebo_gaps_data(fits: dict) -> pd.DataFrame:
    """One row per fit, unit and year: the gap actual minus synthetic, for the treated economy and each placebo."""
    rows = []
    for (treated, outcome, pool), study in fits.items():
        units = {treated: study["main"], **study["placebos"]}
        rows += [
            {
                "treated": treated,
                "outcome": outcome,
                "donor_pool": pool,
                "unit": unit,
                "placebo": unit != treated,
                "year": int(year),
                "gap": gap,
            }
            for unit, fit in units.items()
            for year, gap in fit.gap.items()
        ]
    return pd.DataFrame(rows)


def plot_event_study(table: pd.DataFrame) -> plt.Figure:
    """E1's event-time coefficients with their clustered 95 % intervals, one panel per outcome."""
    coefficients = table[table["term"] == "event_time"]
    outcomes = list(dict.fromkeys(coefficients["outcome"]))
    if not outcomes:
        raise ParameterError("the event study has no coefficient to draw.")
    figure, axes = plt.subplots(1, len(outcomes), squeeze=False, figsize=(3.7 * len(outcomes) + 0.4, 3.4))
    colour = sns.color_palette(figures.PALETTE, 1)[0]
    for axis, outcome in zip(axes[0], outcomes):
        rows = coefficients[coefficients["outcome"] == outcome]
        axis.errorbar(
            rows["event_time"],
            rows["coef"],
            yerr=[rows["coef"] - rows["ci_low"], rows["ci_high"] - rows["coef"]],
            fmt="o",
            color=colour,
            markersize=4,
            elinewidth=1,
        )
        axis.plot([-1], [0], marker="o", markerfacecolor="white", color=colour, linestyle="")
        axis.axhline(0, color="0.3", linewidth=0.6)
        axis.axvline(-0.5, color="0.4", linewidth=0.8)
        axis.set(title=OUTCOME_LABELS[outcome], xlabel="years since the treatment year")
        axis.title.set_fontsize(10)
        axis.tick_params(labelsize=8)
    axes[0, 0].set_ylabel("members minus non-members,\nrelative to the year before")
    figure.tight_layout()
    return figure
