"""Figures of chapter 5 (migrant remittances), drawn from the paper's Table 3 and the flows its text states.

Each ``plot_*`` function takes a frame from :mod:`analysis.chapters.remittances` and
returns a matplotlib Figure; the chapter shows it with ``compendium.page.show``.
The models' figures of the chapter are in :mod:`analysis.figures.model_plots`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from analysis.figures import PALETTE
from analysis.figures.theme import plain_log_axis


def plot_table3_flows(long: pd.DataFrame) -> plt.Figure:
    """Remittances beside FDI, exports and aid: levels (log scale) above, shares of GDP below."""
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 7.5), sharex=True)
    order = list(dict.fromkeys(long["country"]))
    hue_order = list(dict.fromkeys(long["flow"]))
    for axis, column, label, log in (
        (top, "level_musd", "US$ million (log scale)", True),
        (bottom, "share_pct_gdp", "% of GDP", False),
    ):
        sns.barplot(
            data=long,
            x="country",
            y=column,
            hue="flow",
            order=order,
            hue_order=hue_order,
            palette=PALETTE,
            errorbar=None,
            ax=axis,
        )
        if log:
            axis.set_yscale("log")
            plain_log_axis(axis.yaxis)
        axis.set(xlabel="", ylabel=label)
        _mark_missing(axis, long, column, order, hue_order)
        axis.get_legend().remove()
    handles, labels = top.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncols=len(labels), frameon=False, fontsize=9)
    bottom.tick_params(axis="x", labelrotation=20)
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    return figure


def _mark_missing(axis, long, column, order, hue_order) -> None:
    """Write "n.a." where a value is missing, so that no bar reads as zero."""
    width = 0.8 / len(hue_order)
    low = axis.get_ylim()[0]
    for _, row in long[long[column].isna()].iterrows():
        x = order.index(row["country"]) - 0.4 + width * (hue_order.index(row["flow"]) + 0.5)
        axis.text(x, low, "n.a.", rotation=90, ha="center", va="bottom", fontsize=8)


def plot_recorded_shares(shares: pd.DataFrame, threshold_pct: float) -> plt.Figure:
    """Bars of the recorded share; a range is drawn as a solid bar to its low end and a hatched rest."""
    figure, axis = plt.subplots(figsize=(7.5, 0.45 * len(shares) + 1.6))
    colours = dict(zip(dict.fromkeys(shares["basis"]), sns.color_palette(PALETTE, 2)))
    for position, row in enumerate(shares.itertuples()):
        colour = colours[row.basis]
        axis.barh(position, row.low_pct, color=colour, label=row.basis)
        if row.high_pct > row.low_pct:
            axis.barh(
                position,
                row.high_pct - row.low_pct,
                left=row.low_pct,
                color="white",
                edgecolor=colour,
                hatch="///",
                label=f"{row.basis}: range",
            )
    axis.axvline(
        threshold_pct,
        color="0.3",
        linestyle=":",
        linewidth=1.2,
        label=f"{threshold_pct:.1f} %: at most this is recorded if 'the overwhelming part' is not",
    )
    axis.set_yticks(range(len(shares)), shares["label"])
    axis.invert_yaxis()
    axis.set_xlim(0, 100)
    axis.set_xlabel("Share of remittances that pass through recorded channels, %")
    handles, labels = axis.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    axis.legend(
        unique.values(), unique.keys(), loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False, fontsize=8
    )
    figure.tight_layout()
    return figure
