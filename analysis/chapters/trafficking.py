"""Chapter 3, human trafficking: the problems the paper names, the measures it proposes, and
the estimates of irregular migrants as intervals.

Which measure answers which problem follows the transcription's ``addresses`` column (the
text proposes the joint measures against the whole set of harms it lists for Russia, and
the migrant-centred measures against trafficking and its harm to migrants).
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.patches import Patch

from analysis.audit import hedged_numbers
from analysis.chapters import markup
from analysis.data import statements
from analysis.errors import DataValidationError
from analysis.figures import PALETTE, audit_plots

_MOST = 0.5  # "most part of them in Russia": more than half


def problems() -> pd.DataFrame:
    frame = statements.trafficking_measures()
    return frame[frame["kind"] == "problem"].reset_index(drop=True)


def measures() -> pd.DataFrame:
    frame = statements.trafficking_measures()
    return frame[frame["kind"] == "measure"].reset_index(drop=True)


def link_matrix() -> pd.DataFrame:
    """Problems (rows, by id) x measures (columns, by id): True where the measure addresses the problem."""
    links = statements.trafficking_links()
    matrix = pd.crosstab(links["problem_id"], links["measure_id"]).astype(bool)
    return matrix.reindex(index=problems()["id"], columns=measures()["id"], fill_value=False)


def matrix_numbers(matrix: pd.DataFrame) -> dict[str, int]:
    """Counts over ``link_matrix``: problems, measures, measures that address every problem, and the
    problems that only some measures address."""
    return {
        "n-problems": len(matrix.index),
        "n-measures": len(matrix.columns),
        "n-all": int(matrix.all(axis=0).sum()),
        "n-state-harms": int((~matrix.all(axis=1)).sum()),
    }


def measures_markdown() -> str:
    """MyST table: every problem, then every measure with the problems it addresses; each with its source."""
    matrix = link_matrix()
    rows = []
    for item in problems().itertuples():
        rows.append(
            {
                "ID": item.id,
                "Problem (P) or measure (M)": item.item,
                "Problems it addresses": "",
                "Source cited": markup.cite(item.source_keys),
                "Paper line": str(item.paper_line),
            }
        )
    for item in measures().itertuples():
        addressed = matrix.index[matrix[item.id]]
        rows.append(
            {
                "ID": item.id,
                "Problem (P) or measure (M)": item.item,
                "Problems it addresses": ", ".join(addressed),
                "Source cited": markup.cite(item.source_keys),
                "Paper line": str(item.paper_line),
            }
        )
    return markup.pipe_table(pd.DataFrame(rows))


def plot_link_matrix(matrix: pd.DataFrame, *, width: int = 30) -> plt.Figure:
    """Heatmap of ``link_matrix``, one row per problem and one column per measure, labelled in
    words; a filled cell is coloured by the work the paper cites for the measure."""
    problem_names = problems().set_index("id")["item"]
    measure_rows = measures().set_index("id")
    sources = list(dict.fromkeys(measure_rows["source_keys"]))
    colours = sns.color_palette(PALETTE, len(sources))
    codes = matrix.astype(int) * [sources.index(measure_rows.at[mid, "source_keys"]) + 1 for mid in matrix.columns]
    figure, axis = plt.subplots(figsize=(8, 8.5))
    sns.heatmap(
        codes,
        ax=axis,
        cmap=["#f2f2f2", *colours],
        vmin=-0.5,
        vmax=len(sources) + 0.5,
        cbar=False,
        linewidths=1,
        linecolor="white",
    )
    axis.set_yticks(
        [i + 0.5 for i in range(len(matrix.index))],
        [textwrap.fill(f"{pid}: {problem_names[pid]}", width) for pid in matrix.index],
        rotation=0,
        fontsize=9,
    )
    axis.set_xticks(
        [i + 0.5 for i in range(len(matrix.columns))],
        [textwrap.fill(f"{mid}: {measure_rows.at[mid, 'item']}", width) for mid in matrix.columns],
        rotation=90,
        fontsize=8,
    )
    axis.set(xlabel="measure the paper proposes", ylabel="problem the paper names")
    handles = [
        Patch(color=colour, label="; ".join(markup.author_year(k) for k in markup.split_keys(keys)))
        for colour, keys in zip(colours, sources)
    ]
    axis.legend(
        handles=handles,
        title="work cited for the measure",
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=len(handles),
        fontsize=9,
        frameon=False,
    )
    figure.tight_layout()
    return figure


def irregular_intervals(*, about_multiple: float = 1.0, include_total: bool = True) -> pd.DataFrame:
    """The estimates of irregular migrants (millions) as intervals, one labelled row each.

    With ``include_total``, the regional total and, after it, Russia as the text implies it:
    "most part of them in Russia" read as more than half of the regional range's floor, and
    at most its ceiling. Without it, only the country figures the paper prints, on their own scale.
    """
    frame = statements.irregular_estimates()
    out = hedged_numbers.as_intervals(frame, "low_millions", "high_millions", about_multiple=about_multiple)
    out["label"] = [f"{area}: {group}" for area, group in zip(frame["area_as_printed"], frame["group"])]
    total = out[out["iso3"].isna()]
    if len(total) != 1:
        raise DataValidationError(
            f"{statements.IRREGULAR}: expected one regional row (no country code), found {len(total)}; "
            "the implied figure for Russia needs exactly one regional total."
        )
    if include_total:
        out = pd.concat([out, _russia_row(total.iloc[0])], ignore_index=True)
    else:
        out = out[out["iso3"].notna()]
    return out.reset_index(drop=True)


def _russia_row(total: pd.Series) -> pd.DataFrame:
    low, high = _MOST * float(total["draw_low"]), float(total["draw_high"])
    return pd.DataFrame(
        {
            "label": ["Russia, implied ('most part of them')"],
            "iso3": pd.array(["RUS"], dtype="string"),
            "qualifier": pd.array(["range"], dtype="string"),
            "kind": pd.array(["implied"], dtype="string"),
            "point": pd.array([low], dtype="Float64"),
            "draw_low": pd.array([low], dtype="Float64"),
            "draw_high": pd.array([high], dtype="Float64"),
            "open_high": pd.array([False], dtype="boolean"),
        }
    )


def plot_ranges(intervals: pd.DataFrame) -> plt.Figure:
    return audit_plots.plot_hedged_ranges(intervals, "label", xlabel="irregular migrants (million)")


def irregular_numbers(*, about_multiple: float = 1.0) -> dict[str, float]:
    """The numbers the chapter quotes from ``irregular_intervals`` (with the regional total), in millions:
    how many times its floor the regional total's ceiling is, Ukraine's interval, and Russia's implied floor."""
    intervals = irregular_intervals(about_multiple=about_multiple, include_total=True)
    total = intervals[intervals["iso3"].isna()].iloc[0]
    ukraine = intervals[intervals["iso3"] == "UKR"].iloc[0]
    russia = intervals[(intervals["iso3"] == "RUS") & (intervals["kind"] == "implied")].iloc[0]
    return {
        "total-ratio": float(total["draw_high"] / total["draw_low"]),
        "ukraine-low": float(ukraine["draw_low"]),
        "ukraine-high": float(ukraine["draw_high"]),
        "russia-floor": float(russia["draw_low"]),
    }


def estimates_markdown() -> str:
    """MyST table of the printed estimates with their qualifier, sources and line."""
    frame = statements.irregular_estimates()
    table = pd.DataFrame(
        {
            "Where": frame["area_as_printed"],
            "Who": frame["group"],
            "As printed": [f"\u201c{text}\u201d" for text in frame["printed_text"]],
            "Qualifier": frame["qualifier"],
            "Sources cited (for the whole sentence)": [markup.cite(keys) for keys in frame["source_keys"]],
            "Paper line": frame["paper_line"].astype(str),
        }
    )
    return markup.pipe_table(table)
