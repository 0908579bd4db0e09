"""One visual theme and one function per kind of figure.

Every function returns a matplotlib Figure and never calls ``plt.show``;
chapters glue the figure and ``save`` writes it under results/figures/ by its
label, so that an author can reuse it directly.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from analysis import paths
from analysis.files import record_output

PALETTE = "colorblind"
# PNG only for glued output: matplotlib's PNGs are byte-identical across runs,
# which nbval needs. SVG is written with a fixed hash salt and no date.
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}


def _seaborn():
    import seaborn  # about a second to import; only figure-making code pays it

    return seaborn


def set_theme() -> None:
    sns = _seaborn()
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 150, "svg.hashsalt": "cis-compendium",
                         "figure.figsize": (7.5, 4.5)})


def save(figure: plt.Figure, label: str, directory: Path = paths.FIGURES_DIR) -> Path:
    """Write ``<label>.png`` and ``<label>.svg``; returns the PNG path."""
    directory.mkdir(parents=True, exist_ok=True)
    png = directory / f"{label}.png"
    figure.savefig(png, metadata=_PNG_METADATA, bbox_inches="tight")
    svg = directory / f"{label}.svg"
    figure.savefig(svg, metadata=_SVG_METADATA, bbox_inches="tight")
    record_output(png)
    record_output(svg)
    return png


def labelled_scatter(frame: pd.DataFrame, x: str, y: str, label: str, *, xlabel: str, ylabel: str,
                     logx: bool = False) -> plt.Figure:
    """A scatter with every point named (e.g. one point per country)."""
    sns = _seaborn()
    figure, axis = plt.subplots()
    sns.scatterplot(data=frame, x=x, y=y, ax=axis, s=60)
    for _, row in frame.iterrows():
        axis.annotate(str(row[label]), (row[x], row[y]), xytext=(4, 4), textcoords="offset points", fontsize=9)
    if logx:
        axis.set_xscale("log")
    axis.set(xlabel=xlabel, ylabel=ylabel)
    figure.tight_layout()
    return figure


def intervals(frame: pd.DataFrame, low: str, high: str, label: str, *, group: str | None = None,
              xlabel: str) -> plt.Figure:
    """Horizontal ranges low-high per row; a point where low == high, nothing where missing.

    ``group`` draws one range per group value side by side (e.g. abroad vs in Russia).
    """
    figure, axis = plt.subplots(figsize=(7.5, 0.45 * frame[label].nunique() + 1.5))
    groups = [None] if group is None else list(dict.fromkeys(frame[group]))
    colours = _seaborn().color_palette(PALETTE, len(groups))
    order = list(dict.fromkeys(frame[label]))
    offsets = [0.0] if group is None else [(i - (len(groups) - 1) / 2) * 0.25 for i in range(len(groups))]
    for colour, offset, name in zip(colours, offsets, groups):
        part = frame if name is None else frame[frame[group] == name]
        for _, row in part.iterrows():
            if pd.isna(row[low]):
                continue
            position = order.index(row[label]) + offset
            axis.plot([row[low], row[high]], [position, position], color=colour, linewidth=5,
                      solid_capstyle="butt", label=name)
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


def grouped_bars(frame: pd.DataFrame, x: str, y: str, hue: str, *, ylabel: str, xlabel: str = "",
                 log: bool = False) -> plt.Figure:
    """Bars of ``y`` by ``x``, one colour per ``hue`` (long-format frame)."""
    sns = _seaborn()
    figure, axis = plt.subplots()
    sns.barplot(data=frame, x=x, y=y, hue=hue, ax=axis, errorbar=None)
    if log:
        axis.set_yscale("log")
    axis.set(xlabel=xlabel, ylabel=ylabel)
    axis.legend(title=None, fontsize=9)
    figure.tight_layout()
    return figure
