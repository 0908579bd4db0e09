"""Figures of the extension chapters (9-11), in the compendium's theme (:mod:`analysis.figures`).

Each ``plot_*`` function takes a frame from the chapters' modules
(:mod:`analysis.chapters.remittances_after_2006`, :mod:`~analysis.chapters.where_migrants_went`,
:mod:`~analysis.chapters.data_revisions`) or from :mod:`analysis.data.external` and returns a
matplotlib Figure; the chapters show it with ``compendium.page.show``. Chapter 9 draws the
country panels and the count of years remittances lead; chapter 10 the panels, both heatmaps and
the Table 2 check; chapter 11 the revision ratios and P2's slope over time.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import TwoSlopeNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from analysis import figures
from analysis.errors import ParameterError
from analysis.figures.audit_plots import plot_table2_shares

SHOCK_COLOUR = "0.85"
RATIO_TICKS = (0.1, 0.2, 0.5, 1, 2, 5, 10)
BAND_COLOUR = "0.8"


def _grid(count: int, ncols: int, height: float = 2.0, width: float = 2.4):
    # Three panels of 2.4 in fit the book's column with little shrinking, so 9 pt labels stay legible.
    if count < 1:
        raise ParameterError("the figure has no country to draw; pass a frame with at least one country.")
    ncols = min(ncols, count)
    nrows = math.ceil(count / ncols)
    figure, axes = plt.subplots(
        nrows, ncols, sharex=True, squeeze=False, figsize=(width * ncols + 0.6, height * nrows + 1.0)
    )
    for index, axis in enumerate(axes.ravel()):
        if index >= count:
            axis.set_visible(False)
        elif index + ncols >= count:  # nothing drawn below: this panel carries the year labels
            axis.xaxis.set_tick_params(labelbottom=True)
    return figure, axes.ravel()[:count]


def _mark_shocks(axis, shock_years) -> None:
    for year in shock_years:
        axis.axvspan(year - 0.5, year + 0.5, color=SHOCK_COLOUR, linewidth=0, zorder=0)


def _legend_below(figure, handles, labels, ncol: int) -> None:
    figure.legend(handles, labels, loc="lower center", ncol=ncol, frameon=False, fontsize=9)
    figure.tight_layout(rect=(0, 0.06 if len(labels) <= ncol else 0.1, 1, 1))


def _sparse(frame: pd.DataFrame, value: str, hue: str | None, groups) -> dict:
    """Groups with at most two values per country: drawn as points rather than lines."""
    present = frame.dropna(subset=[value])
    sparse = {}
    for group in groups:
        rows = present if group is None else present[present[hue] == group]
        sparse[group] = bool(len(rows)) and int(rows.groupby("country").size().max()) <= 2
    return sparse


def plot_country_panels(
    frame: pd.DataFrame,
    value: str,
    *,
    ylabel: str,
    shock_years=(),
    hue: str | None = None,
    scale: float = 1.0,
    ncols: int = 3,
    ymin: float | None = 0.0,
    ylim: tuple[float, float] | None = None,
) -> plt.Figure:
    """One small panel per country, ``value`` over ``year``; shock years shaded.

    Each panel has its own y scale unless ``ylim`` fixes it. ``hue`` draws one
    line per value of that column (e.g. the measure or the edition), in the
    order of first appearance; a group with at most two years per country is
    drawn as points.
    """
    for column in ("country", "year", value) + ((hue,) if hue else ()):
        if column not in frame.columns:
            raise ParameterError(f"column {column!r} is not in the frame; its columns are {list(frame.columns)}.")
    names = list(dict.fromkeys(frame["country"]))
    groups = list(dict.fromkeys(frame[hue])) if hue else [None]
    colours = dict(zip(groups, sns.color_palette(figures.PALETTE, len(groups))))
    points = _sparse(frame, value, hue, groups)
    figure, axes = _grid(len(names), ncols)
    for axis, name in zip(axes, names):
        _mark_shocks(axis, shock_years)
        part = frame[frame["country"] == name]
        for group in groups:
            rows = part if group is None else part[part[hue] == group]
            rows = rows.sort_values("year")
            axis.plot(
                rows["year"],
                rows[value] / scale,
                color=colours[group],
                markersize=4,
                linestyle="" if points[group] else "-",
                linewidth=1.6,
                marker="o" if points[group] or rows[value].notna().sum() <= 2 else None,
            )
        axis.set_title(name, fontsize=10)
        if ylim is not None:
            axis.set_ylim(*ylim)
        elif ymin is not None:
            axis.set_ylim(bottom=ymin)
        axis.tick_params(labelsize=9)
    figure.supylabel(ylabel, fontsize=10)
    handles = [
        Line2D(
            [],
            [],
            color=colours[g],
            linewidth=1.6,
            marker="o" if points[g] else None,
            linestyle="" if points[g] else "-",
        )
        for g in groups
        if g is not None
    ]
    labels = [str(g) for g in groups if g is not None]
    if shock_years:
        handles.append(Patch(color=SHOCK_COLOUR))
        labels.append("shock years: " + ", ".join(map(str, shock_years)))
    if handles:
        _legend_below(figure, handles, labels, ncol=min(len(labels), 3))
    else:
        figure.tight_layout()
    return figure


def plot_remittances_lead(counts: pd.DataFrame, shock_years=()) -> plt.Figure:
    """Per year: Table 3 countries with all three flows reported, and those where remittances exceed FDI and ODA."""
    figure, axis = plt.subplots(figsize=(7.5, 3.4))
    _mark_shocks(axis, shock_years)
    axis.step(
        counts.index,
        counts["countries"],
        where="mid",
        color="0.4",
        linestyle="--",
        label="countries with remittances, FDI and ODA reported",
    )
    axis.bar(
        counts.index,
        counts["above_both"],
        color=sns.color_palette(figures.PALETTE)[0],
        width=0.7,
        label="of which remittances exceed both FDI and ODA",
    )
    axis.set(xlabel="year", ylabel="countries")
    axis.set_ylim(0, counts["countries"].max() + 1)
    handles, labels = axis.get_legend_handles_labels()
    if shock_years:
        handles.append(Patch(color=SHOCK_COLOUR))
        labels.append("shock years: " + ", ".join(map(str, shock_years)))
    axis.legend(handles, labels, loc="upper left", fontsize=8)
    figure.tight_layout()
    return figure


def plot_difference_heatmap(table: pd.DataFrame, *, label: str) -> plt.Figure:
    """Country by year, a signed difference with its value written in each cell (diverging colours at 0)."""
    limit = float(np.nanmax(np.abs(table.to_numpy(dtype=float))))
    figure, axis = plt.subplots(figsize=(7.5, 0.42 * len(table) + 1.4))
    sns.heatmap(
        table.astype(float),
        ax=axis,
        cmap="RdBu",
        norm=TwoSlopeNorm(0.0, -limit, limit),
        annot=True,
        fmt=".1f",
        annot_kws={"fontsize": 8},
        linewidths=0.5,
        cbar_kws={"label": label},
    )
    axis.grid(False)
    axis.set(xlabel="", ylabel="")
    figure.tight_layout()
    return figure


def plot_share_heatmap(table: pd.DataFrame, *, label: str) -> plt.Figure:
    """Origin by destination, a share (%) in each cell; missing cells are left blank."""
    figure, axis = plt.subplots(figsize=(7.5, 0.42 * len(table) + 1.8))
    sns.heatmap(
        table.astype(float),
        ax=axis,
        cmap="Blues",
        vmin=0,
        vmax=100,
        annot=True,
        fmt=".0f",
        annot_kws={"fontsize": 8},
        linewidths=0.5,
        cbar_kws={"label": label},
    )
    axis.grid(False)
    axis.set(xlabel="", ylabel="")
    axis.tick_params(axis="x", labelrotation=30)
    for tick in axis.get_xticklabels():
        tick.set_horizontalalignment("right")
    figure.tight_layout()
    return figure


SOURCE_MARKERS = {  # column prefix -> (legend label, marker)
    "undesa_2024": ("UN DESA 2024 edition", "o"),
    "undesa_2020": ("UN DESA 2020 edition", "s"),
    "knomad_2021": ("KNOMAD 2021", "D"),
}


def plot_table2_check(check: pd.DataFrame) -> plt.Figure:
    """The audit's Table 2 figure (intervals over the stated bands) with the public shares as markers."""
    figure = plot_table2_shares(check.rename(columns={"table2_low": "share_low", "table2_high": "share_high"}))
    axis = figure.axes[0]
    year = check.attrs.get("reference_year", "")
    order = list(dict.fromkeys(check["country"]))
    colours = sns.color_palette(figures.PALETTE, len(SOURCE_MARKERS) + 1)[1:]
    handles = [
        Line2D([], [], color=sns.color_palette(figures.PALETTE)[0], linewidth=5),
        Patch(color="grey", alpha=0.25),
    ]
    labels = ["Table 2 (migrant workers, early 2000s)", "the text's statement"]
    offsets = np.linspace(-0.25, 0.25, len(SOURCE_MARKERS))
    for (prefix, (label, marker)), colour, offset in zip(SOURCE_MARKERS.items(), colours, offsets):
        positions = [order.index(name) + offset for name in check["country"]]
        axis.scatter(
            check[f"{prefix}_pct"],
            positions,
            marker=marker,
            s=40,
            color=colour,
            zorder=3,
            edgecolor="white",
            linewidth=0.5,
        )
        handles.append(Line2D([], [], marker=marker, color=colour, linestyle=""))
        labels.append(f"{label}, {year}" if prefix.startswith("undesa") else label)
    axis.set_title("")
    axis.set_xlabel("in Russia, % of those abroad")
    axis.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, frameon=False, fontsize=8)
    figure.set_size_inches(7.5, 0.45 * len(order) + 2.6)
    figure.tight_layout()
    return figure


def plot_revision_ratios(revisions: pd.DataFrame, column_labels: dict, edition_labels: dict) -> plt.Figure:
    """Each edition's value over the paper's, per country, one panel per paper column (log scale, 1 marked)."""
    columns = list(dict.fromkeys(revisions["paper_column"]))
    editions = list(dict.fromkeys(revisions["edition"]))
    colours = dict(zip(editions, sns.color_palette(figures.PALETTE, len(editions))))
    markers = dict(zip(editions, "osD^v"))
    names = list(dict.fromkeys(revisions["country"]))
    figure, axes = plt.subplots(
        1, len(columns), sharey=True, sharex=True, figsize=(7.5, 0.32 * len(names) + 2.4), squeeze=False
    )
    ratios = revisions["revision_ratio"].dropna()
    ticks = [tick for tick in RATIO_TICKS if ratios.min() / 1.5 <= tick <= ratios.max() * 1.5]
    offsets = dict(zip(editions, np.linspace(-0.2, 0.2, len(editions))))
    for axis, column in zip(axes[0], columns):
        axis.axvline(1.0, color="0.3", linewidth=1)
        part = revisions[revisions["paper_column"] == column]
        for edition in editions:
            rows = part[part["edition"] == edition]
            if rows.empty:
                continue
            y = [names.index(name) + offsets[edition] for name in rows["country"]]
            axis.scatter(rows["revision_ratio"], y, color=colours[edition], marker=markers[edition], s=30, zorder=3)
        axis.set_xscale("log")
        axis.xaxis.set_major_locator(FixedLocator(ticks))
        axis.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        axis.xaxis.set_minor_locator(NullLocator())
        axis.set_title(column_labels.get(column, column), fontsize=10)
        axis.set_xlabel("edition ÷ paper", fontsize=9)
        axis.tick_params(labelsize=8)
    axes[0][0].set_yticks(range(len(names)), names)
    axes[0][0].invert_yaxis()
    handles = [Line2D([], [], marker=markers[e], color=colours[e], linestyle="") for e in editions]
    _legend_below(figure, handles, [edition_labels.get(e, e) for e in editions], ncol=len(editions))
    return figure


def plot_slope_over_time(
    p2: pd.DataFrame,
    paper_year: int | None = 2003,
    *,
    label: str = "slope",
    comparison: pd.DataFrame | None = None,
    comparison_label: str = "",
) -> plt.Figure:
    """P2's slope by year with its interval as a band; the number of countries printed above each year.

    ``comparison`` (P2 on other data, e.g. another population series) is drawn
    as a dashed line of its slopes, without a band, labelled ``comparison_label``.
    """
    estimated = p2[p2["status"] == "estimated"].sort_values("year")
    if estimated.empty:
        raise ParameterError("no year of P2 could be estimated; widen the years or the countries.")
    colours = sns.color_palette(figures.PALETTE)
    figure, axis = plt.subplots(figsize=(7.5, 4.0 if comparison is None else 4.7))
    axis.axhline(0.0, color="0.3", linewidth=1)
    axis.fill_between(
        estimated["year"],
        estimated["ci_low"],
        estimated["ci_high"],
        color=colours[0],
        alpha=0.25,
        linewidth=0,
        label=f"{estimated['ci_level'].iloc[0]:.0%} interval",
    )
    axis.plot(estimated["year"], estimated["coef"], color=colours[0], marker="o", markersize=3, label=label)
    if comparison is not None:
        other = comparison[comparison["status"] == "estimated"].sort_values("year")
        axis.plot(
            other["year"],
            other["coef"],
            color=colours[1],
            linestyle="--",
            marker="s",
            markersize=3,
            label=comparison_label,
        )
    if paper_year is not None and paper_year in set(estimated["year"]):
        axis.axvline(paper_year, color="0.5", linestyle=":", linewidth=1)
        axis.annotate(
            "the paper's year",
            (paper_year, axis.get_ylim()[1]),
            xytext=(3, -12),
            textcoords="offset points",
            fontsize=8,
            color="0.3",
        )
    top = axis.get_ylim()[1]
    for year, n in zip(estimated["year"], estimated["n"]):
        axis.annotate(
            str(int(n)),
            (year, top),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            color="0.4",
            annotation_clip=False,
        )
    axis.set(
        xlabel="year (numbers above: countries in the cross-section)",
        ylabel="percentage points of GDP\nper unit of log GDP per capita",
    )
    if comparison is None:
        axis.legend(loc="lower left", fontsize=9)
        figure.tight_layout()
    else:  # three long labels: one per line below the axes, the band after the slope it belongs to
        handles, labels = axis.get_legend_handles_labels()
        order = [1, 0, 2]
        figure.legend(
            [handles[i] for i in order],
            [labels[i] for i in order],
            loc="lower center",
            ncol=1,
            frameon=False,
            fontsize=8,
        )
        figure.tight_layout(rect=(0, 0.13, 1, 1))
    return figure
