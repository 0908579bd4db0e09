"""The generic kinds of figure that several chapters draw: a labelled scatter and ranges.

Each ``plot_*`` function returns a matplotlib Figure and never calls ``plt.show``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.figures.theme import PALETTE, plain_log_axis


def plot_labelled_scatter(
    frame: pd.DataFrame, x: str, y: str, label: str, *, xlabel: str, ylabel: str, logx: bool = False
) -> plt.Figure:
    """A scatter with every point named (e.g. one point per country)."""
    import seaborn as sns  # slow to import; see analysis.figures.theme

    figure, axis = plt.subplots()
    sns.scatterplot(data=frame, x=x, y=y, ax=axis, s=60)
    for _, row in frame.iterrows():
        axis.annotate(str(row[label]), (row[x], row[y]), xytext=(4, 4), textcoords="offset points", fontsize=9)
    if logx:
        axis.set_xscale("log")
        plain_log_axis(axis.xaxis)
    axis.set(xlabel=xlabel, ylabel=ylabel)
    figure.tight_layout()
    return figure


def plot_intervals(
    frame: pd.DataFrame, low: str, high: str, label: str, *, group: str | None = None, xlabel: str
) -> plt.Figure:
    """Horizontal ranges low-high per row; a point where low == high, nothing where missing.

    ``group`` draws one range per group value side by side (e.g. abroad vs in Russia).
    """
    import seaborn as sns  # slow to import; see analysis.figures.theme

    figure, axis = plt.subplots(figsize=(7.5, 0.45 * frame[label].nunique() + 1.5))
    groups = [None] if group is None else list(dict.fromkeys(frame[group]))
    colours = sns.color_palette(PALETTE, len(groups))
    order = list(dict.fromkeys(frame[label]))
    offsets = [0.0] if group is None else [(i - (len(groups) - 1) / 2) * 0.25 for i in range(len(groups))]
    for colour, offset, name in zip(colours, offsets, groups):
        part = frame if name is None else frame[frame[group] == name]
        for _, row in part.iterrows():
            if pd.isna(row[low]):
                continue
            position = order.index(row[label]) + offset
            axis.plot(
                [row[low], row[high]],
                [position, position],
                color=colour,
                linewidth=5,
                solid_capstyle="butt",
                label=name,
            )
            axis.plot([row[low], row[high]], [position, position], "|", color=colour, markersize=10)
    axis.set_yticks(range(len(order)), order)
    axis.invert_yaxis()
    axis.set_xlabel(xlabel)
    if group is not None:
        handles, labels = axis.get_legend_handles_labels()
        unique = dict(zip(labels, handles))
        axis.legend(unique.values(), unique.keys(), loc="lower right")
    figure.tight_layout()
    return figure
