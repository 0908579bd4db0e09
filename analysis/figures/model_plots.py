"""Figures of the models layer: the specification curve, leave-one-out and coefficient plots.

Every ``plot_*`` function returns a matplotlib Figure and draws nothing at random, so the
same input gives the same PNG. Style and saving live in analysis.figures.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from analysis.errors import ParameterError
from analysis.figures import PALETTE
from analysis.models.multiverse import CHOICE_COLUMNS
from analysis.models.regression import Analysis

_CURVE_COLUMNS = {*CHOICE_COLUMNS, "spec", "std_estimate", "p_value"}
_COEF_COLUMNS = {"model_id", "n", "coef", "ci_low", "ci_high", "boot_low", "boot_high", "ci_level"}


def _require(frame: pd.DataFrame, columns: set[str], what: str) -> None:
    missing = sorted(columns - set(frame.columns))
    if missing:
        raise ParameterError(f"{what} needs the columns {missing}, which the frame lacks; pass {what}'s input frame.")
    if frame.empty:
        raise ParameterError(f"{what} got an empty frame; there is nothing to draw.")


def plot_specification_curve(curve: pd.DataFrame, *, alpha: float = 0.05) -> plt.Figure:
    """Sorted estimates on the correlation scale, coloured by p < alpha, above a panel of the choices.

    Takes multiverse.specification_curve's frame. The estimate shown is
    ``std_estimate`` (Pearson's r for OLS, rho for Spearman), so that both
    estimators and every unit of measure share one axis.
    """
    _require(curve, _CURVE_COLUMNS, "plot_specification_curve")
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha must lie strictly between 0 and 1, got {alpha!r}; e.g. 0.05.")
    ordered = curve.sort_values(["std_estimate", "spec"], kind="stable").reset_index(drop=True)
    ordered["rank"] = np.arange(len(ordered))
    below, above = f"p < {alpha:g}", f"p \u2265 {alpha:g}"
    ordered["p-value"] = np.where(ordered["p_value"] < alpha, below, above)

    options = [(axis, option) for axis in CHOICE_COLUMNS for option in dict.fromkeys(curve[axis])]
    figure, (top, bottom) = plt.subplots(
        2,
        1,
        sharex=True,
        figsize=(7.5, 2.5 + 0.24 * len(options)),
        gridspec_kw={"height_ratios": [2.2, 0.22 * len(options)]},
    )
    colours = sns.color_palette(PALETTE, 2)
    sns.scatterplot(
        data=ordered,
        x="rank",
        y="std_estimate",
        hue="p-value",
        hue_order=[below, above],
        palette=[colours[1], colours[0]],
        style="estimator",
        s=22,
        linewidth=0,
        ax=top,
    )
    top.axhline(0, color="0.3", linewidth=0.8)
    top.set(ylabel="standardised estimate\n(Pearson r / Spearman rho)", xlabel="")
    top.legend(loc="upper left", fontsize=8, ncols=2)

    for row, (axis, option) in enumerate(options):
        used = ordered.loc[ordered[axis] == option]
        bottom.scatter(
            used["rank"],
            np.full(len(used), row),
            s=6,
            marker="|",
            c=[colours[1] if p < alpha else "0.35" for p in used["p_value"]],
        )
    bottom.set_yticks(range(len(options)), [f"{axis}: {option}" for axis, option in options], fontsize=8)
    bottom.set_ylim(len(options) - 0.5, -0.5)
    bottom.set_xlabel(f"specification, sorted by estimate ({len(ordered)} in all)")
    bottom.grid(False)
    figure.tight_layout()
    return figure


def plot_leave_one_out(analysis: Analysis, *, title: str = "") -> plt.Figure:
    """The slope without each country (against the full slope and its interval), beside Cook's distance.

    The dotted line at 4/n marks a common rule of thumb for an influential point.
    """
    table = analysis.leave_one_out
    if table is None or table.empty:
        raise ParameterError(
            f"plot_leave_one_out needs leave-one-out estimates; this model has n={analysis.data.n} "
            "(at least 4 countries are needed)."
        )
    fit = analysis.ols
    figure, (left, right) = plt.subplots(
        1,
        2,
        sharey=True,
        figsize=(7.5, 0.45 * len(table) + 1.6),
        gridspec_kw={"width_ratios": [3, 2]},
    )
    left.axvspan(fit.ci_low, fit.ci_high, color="0.9", label=f"full {fit.ci_level:.0%} interval")
    left.axvline(fit.coef, color="0.3", linewidth=1, label=f"full slope (n={fit.n})")
    left.axvline(0, color="0.6", linewidth=0.8, linestyle="--")
    colours = sns.color_palette(PALETTE, 4)
    left.scatter(table["coef"], table["country"], s=40, color=colours[0], zorder=3, label="slope without it")
    flips = table.loc[table["sign_flip"]]
    if not flips.empty:
        left.scatter(flips["coef"], flips["country"], s=40, color=colours[3], zorder=4, label="sign flips")
    left.set(xlabel="slope without the country", ylabel="country left out")
    left.legend(loc="best", fontsize=8)
    sns.barplot(data=table, x="cooks_distance", y="country", color=colours[2], ax=right)
    right.axvline(4 / analysis.data.n, color="0.3", linestyle=":", linewidth=1)
    right.set(xlabel="Cook's distance (dotted: 4/n)", ylabel="")
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_coefficients(table: pd.DataFrame) -> plt.Figure:
    """One panel per model: the slope, its t interval and its bootstrap interval, each on its own scale.

    Takes results.model_rows or results.read_results; the models' units differ,
    so the panels share no axis.
    """
    _require(table, _COEF_COLUMNS, "plot_coefficients")
    figure, axes = plt.subplots(len(table), 1, figsize=(7.5, 1.15 * len(table) + 0.6), squeeze=False)
    colours = sns.color_palette(PALETTE, 2)
    for axis, (_, row) in zip(axes[:, 0], table.iterrows()):
        level = f"{row['ci_level']:.0%}"
        for position, (low, high, colour) in enumerate(
            [
                (row["ci_low"], row["ci_high"], colours[0]),
                (row["boot_low"], row["boot_high"], colours[1]),
            ]
        ):
            axis.plot([low, high], [position, position], color=colour, linewidth=4, solid_capstyle="butt")
            axis.plot([row["coef"]], [position], "o", color="black", markersize=5)
        axis.axvline(0, color="0.5", linewidth=0.8, linestyle="--")
        axis.set_yticks([0, 1], [f"t interval {level}", f"bootstrap {level}"], fontsize=8)
        axis.set_ylim(1.6, -0.6)
        axis.set_title(f"{row['model_id']} (n={row['n']})", fontsize=9, loc="left")
        axis.tick_params(axis="x", labelsize=8)
    axes[-1, 0].set_xlabel("slope (units of each model)")
    figure.tight_layout()
    return figure
