"""Figures of the audit: Table 2's shares in Russia against the bands the text states, and the
paper's hedged numbers drawn as intervals without hiding the hedge.

Each ``plot_*`` function returns a matplotlib Figure in the compendium's theme; the pages
show it with ``compendium.page.show``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Rectangle

from analysis.errors import DataValidationError
from analysis.figures.kinds import plot_intervals
from analysis.figures.theme import PALETTE

_HEDGE_STYLE = {  # kind -> (legend text, index in the colorblind palette)
    "range": ("range as printed", 0),
    "exact": ("single figure", 0),
    "about": ("'about': rounding band", 2),
    "up to": ("'up to': from zero", 4),
    "over": ("'over': open above, drawn to a cap", 3),
    "implied": ("implied by the text, not printed", 7),
}


def plot_table2_shares(frame: pd.DataFrame, point: str | None = None) -> plt.Figure:
    """Table 2's share-in-Russia intervals per country, over the band the text states for its group;
    ``point`` names a column drawn as a dot on each interval (e.g. the midpoint reading)."""
    figure = plot_intervals(
        frame,
        "share_low",
        "share_high",
        "country",
        xlabel="migrant workers abroad who are in Russia (%), from Table 2's ranges",
    )
    axis = figure.axes[0]
    order = list(dict.fromkeys(frame["country"]))
    for row in frame.itertuples():
        position = order.index(row.country)
        axis.add_patch(
            Rectangle(
                (row.band_low, position - 0.4), row.band_high - row.band_low, 0.8, color="grey", alpha=0.25, linewidth=0
            )
        )
        if point is not None:
            axis.plot(getattr(row, point), position, "o", color="black", markersize=5, zorder=3)
    axis.set_xlim(0, 105)
    axis.set_title("bands: the shares the text states (grey)" + ("; dots: midpoints" if point else ""), fontsize=10)
    return figure


def plot_hedged_ranges(intervals: pd.DataFrame, label: str, *, xlabel: str, unit: float = 1.0) -> plt.Figure:
    """One horizontal line per row of :func:`analysis.audit.hedged_numbers.as_intervals` output, styled by ``kind``.

    Closed ranges are solid with end ticks; ``about`` and ``exact`` add a dot at the printed
    value; ``up to`` is hatched from zero; a row open above (``over``, or an ``implied`` row
    with ``open_high``) is dashed and ends in an arrow at the cap, because nothing bounds it.
    Rows whose ``kind`` is ``implied`` are derived by the compendium and drawn in grey.
    ``unit`` divides every value (e.g. 1e3 for thousands).
    """
    unknown = sorted(set(intervals["kind"]) - set(_HEDGE_STYLE))
    if unknown:
        raise DataValidationError(f"kind(s) {unknown} cannot be drawn; expected one of {', '.join(_HEDGE_STYLE)}.")
    colours = sns.color_palette(PALETTE, 10)
    figure, axis = plt.subplots(figsize=(7.5, 0.6 * len(intervals) + 2.0))
    seen = set()
    for position, row in enumerate(intervals.itertuples(index=False)):
        text, colour_index = _HEDGE_STYLE[row.kind]
        colour = colours[colour_index]
        low, high = row.draw_low / unit, row.draw_high / unit
        legend = None if row.kind in seen else text
        seen.add(row.kind)
        if bool(row.open_high):
            axis.annotate(
                "",
                xy=(high, position),
                xytext=(low, position),
                arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.5, "linestyle": "--"},
            )
            axis.plot([low], [position], "|", color=colour, markersize=14, label=legend)
        elif row.kind == "up to":
            axis.barh(
                position, high - low, left=low, height=0.35, color="none", edgecolor=colour, hatch="///", label=legend
            )
            axis.plot([high], [position], "|", color=colour, markersize=14)
        else:
            axis.plot([low, high], [position, position], color=colour, linewidth=6, solid_capstyle="butt", label=legend)
            axis.plot([low, high], [position, position], "|", color=colour, markersize=14)
            if row.kind in ("about", "exact"):
                axis.plot([row.point / unit], [position], "o", color="black", markersize=5)
    axis.set_yticks(range(len(intervals)), [str(v) for v in intervals[label]])
    axis.invert_yaxis()
    right = float(np.nanmax(intervals["draw_high"].to_numpy(dtype=float, na_value=np.nan))) / unit
    axis.set_xlim(left=0, right=right * 1.08)
    axis.set_xlabel(xlabel)
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=9, frameon=False)
    figure.tight_layout()
    return figure
