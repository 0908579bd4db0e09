"""Figures of chapter 12, the CIS in the world, in the compendium's theme (:mod:`analysis.figures`).

Each function takes a frame or array from :mod:`analysis.chapters.world` and returns a matplotlib Figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from analysis import figures
from analysis.chapters.world import INCOME, SAMPLE_SEVEN, SAMPLE_WORLD, SHARE
from analysis.errors import ParameterError
from analysis.figures.theme import plain_log_axis


def plot_world_ranks(ranked: pd.DataFrame) -> plt.Figure:
    """CIS state by year: percentile of the remittance share among all economies; the world's largest boxed."""
    if ranked.empty:
        raise ParameterError("no CIS state has a remittance share in the years chosen; widen the years.")
    table = ranked.pivot(index="country", columns="year", values="percentile")
    table = table.loc[table.mean(axis=1).sort_values(ascending=False).index]
    figure, axis = plt.subplots(figsize=(7.5, 0.38 * len(table) + 1.6))
    sns.heatmap(
        table,
        ax=axis,
        cmap="mako_r",
        vmin=0,
        vmax=100,
        linewidths=0.4,
        cbar_kws={"label": "percentile among all economies"},
    )
    leaders = ranked[ranked["rank"] == 1]
    rows, columns = list(table.index), list(table.columns)
    for _, row in leaders.iterrows():
        axis.add_patch(
            plt.Rectangle(
                (columns.index(row["year"]), rows.index(row["country"])),
                1,
                1,
                fill=False,
                edgecolor="#d55e00",
                linewidth=2,
            )
        )
    axis.grid(False)
    axis.set(xlabel="", ylabel="")
    axis.tick_params(axis="x", labelsize=8, labelrotation=90)
    figure.tight_layout()
    return figure


def plot_yearly_slopes(slopes: pd.DataFrame, *, xlabel: str) -> plt.Figure:
    """The slope of the share on log income per year, with its 95 % interval, all economies and the seven."""
    if slopes.empty:
        raise ParameterError("no year has enough economies for a slope; widen the years.")
    colours = sns.color_palette(figures.PALETTE, 2)
    figure, axis = plt.subplots(figsize=(7.5, 4.0))
    for colour, sample, offset in zip(colours, (SAMPLE_WORLD, SAMPLE_SEVEN), (0.0, 0.25)):
        rows = slopes[slopes["sample"] == sample]
        axis.errorbar(
            rows["year"] + offset,
            rows["coef"],
            yerr=[rows["coef"] - rows["ci_low"], rows["ci_high"] - rows["coef"]],
            fmt="o",
            markersize=4,
            color=colour,
            elinewidth=1,
            capsize=0,
            label=f"{sample} (median n = {int(rows['n'].median()) if len(rows) else 0})",
        )
    axis.axhline(0, color="0.3", linewidth=0.8)
    axis.set(xlabel="year", ylabel=f"slope: points of GDP per unit of {xlabel}")
    axis.legend(fontsize=8, loc="lower left")
    figure.tight_layout()
    return figure


def plot_slope_distribution(random_slopes: np.ndarray, marks: dict[str, float], *, year: int) -> plt.Figure:
    """Histogram of slopes in random samples of seven economies, with the named slopes marked."""
    figure, axis = plt.subplots(figsize=(7.5, 4.0))
    low, high = np.percentile(random_slopes, [0.5, 99.5])
    shown = random_slopes[(random_slopes >= low) & (random_slopes <= high)]
    axis.hist(shown, bins=60, color="0.75")
    colours = sns.color_palette(figures.PALETTE, len(marks))
    styles = ["-", "--", ":", "-."]
    for index, ((label, value), colour) in enumerate(zip(marks.items(), colours)):
        axis.axvline(value, color=colour, linewidth=2, linestyle=styles[index % len(styles)], label=label)
    axis.set(
        xlabel=f"slope of the remittance share on log GDP per capita, {year}",
        ylabel="random samples of seven economies",
    )
    axis.legend(fontsize=8, loc="upper left")
    figure.tight_layout()
    return figure


def plot_world_outliers(
    data: pd.DataFrame, table: pd.DataFrame, band: pd.DataFrame, *, year: int, xlabel: str
) -> plt.Figure:
    """Share against income in one year: all economies, the world line without the CIS and its 95 %
    prediction band (``band``), the CIS states named."""
    rows = data[data["year"] == year].dropna(subset=[SHARE, INCOME])
    colours = sns.color_palette(figures.PALETTE, 3)
    figure, axis = plt.subplots(figsize=(7.5, 4.8))
    others = rows[~rows["cis"]]
    axis.scatter(np.exp(others[INCOME]), others[SHARE], s=12, color="0.65", label="other economies")
    line = band.sort_values(INCOME)
    grid = np.exp(line[INCOME])
    axis.fill_between(
        grid,
        line["pi_low"],
        line["pi_high"],
        color=colours[0],
        alpha=0.15,
        label="95 % prediction interval (fit without the CIS)",
    )
    axis.plot(grid, line["predicted"], color=colours[0], linewidth=1.5)
    axis.scatter(np.exp(table[INCOME]), table[SHARE], s=36, color=colours[1], zorder=3, label="CIS states")
    for _, row in table.iterrows():
        axis.annotate(
            row["country"], (np.exp(row[INCOME]), row[SHARE]), xytext=(4, 3), textcoords="offset points", fontsize=8
        )
    axis.set_xscale("log")
    plain_log_axis(axis.xaxis)
    axis.set(xlabel=xlabel, ylabel="remittances received, % of GDP")
    axis.legend(fontsize=8, loc="upper right")
    figure.tight_layout()
    return figure
