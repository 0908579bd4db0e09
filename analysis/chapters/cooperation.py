"""Chapter 7, towards a common labour market: the instruments of cooperation the paper lists,
the network of bilateral agreements, and who belongs to which grouping.

Groupings are the three organisations whose members the paper lists (CIS, EurAsEC, GUAM) and,
on request, the other instruments for which it names country parties.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.patches import Patch

from analysis.audit.reading_rules import listing
from analysis.chapters import markup
from analysis.data import statements
from analysis.data.countries import CIS, display_name
from analysis.errors import DataValidationError, ParameterError
from analysis.figures import PALETTE

ORGANISATIONS = ("CIS", "EurAsEC", "GUAM")
VISA_FREE = "EurAsEC visa-free agreement (2005)"
# Other instruments with named country parties: short name -> (kind, ordinal) in cooperation.csv.
INSTRUMENTS = {
    "IALM (2003)": ("organisation", 4),
    VISA_FREE: ("multilateral_agreement", 3),
    "Uzbekistan-Kazakhstan-Kyrgyzstan agreement (2000)": ("multilateral_agreement", 6),
    "Common Economic Space (project)": ("project", 3),
}
GROUPINGS = ORGANISATIONS + tuple(INSTRUMENTS)
KIND_TITLES = {
    "organisation": "Organisation",
    "multilateral_agreement": "Multilateral agreement",
    "bilateral_agreement": "Bilateral agreement",
    "project": "Project in work",
    "non_government_activity": "Non-government activity",
}
KIND_KEYS = {
    "organisation": "n-organisation",
    "multilateral_agreement": "n-multilateral",
    "bilateral_agreement": "n-bilateral",
    "project": "n-project",
    "non_government_activity": "n-ngo",
}


def instruments_markdown() -> str:
    """MyST table of every organisation, agreement, project and activity, with parties and year as printed."""
    frame = statements.cooperation()
    unknown = sorted(set(frame["kind"]) - set(KIND_TITLES))
    if unknown:
        raise DataValidationError(f"{statements.COOPERATION}: unknown kind(s) {unknown}; expected {list(KIND_TITLES)}.")
    year = [
        ("" if pd.isna(y) else (f"{q} {y}" if pd.notna(q) else str(y)))
        for y, q in zip(frame["year"], frame["year_qualifier"])
    ]
    return markup.pipe_table(
        pd.DataFrame(
            {
                "Kind": frame["kind"].map(KIND_TITLES),
                "Name as printed": frame["name"],
                "Parties as printed": frame["parties"].map(lambda v: "" if pd.isna(v) else v.replace(";", ", ")),
                "Year": year,
                "Detail": frame["detail"],
                "Paper line": frame["paper_line"].astype(str),
            }
        )
    )


def counts_by_kind() -> dict[str, int]:
    frame = statements.cooperation()
    return {kind: int((frame["kind"] == kind).sum()) for kind in KIND_TITLES}


def instrument_numbers() -> dict[str, int]:
    """How many instruments of each kind the paper names (``n-<kind>``), and how many come with a year."""
    return {KIND_KEYS[kind]: count for kind, count in counts_by_kind().items()} | {"n-dated": count_dated()}


def bilateral_pairs(*, include_non_cis: bool = True) -> pd.DataFrame:
    """The bilateral agreements as ISO3 pairs; without ``include_non_cis``, only pairs of CIS states."""
    pairs = statements.bilateral_pairs()
    if not include_non_cis:
        pairs = pairs[pairs["iso3_a"].isin(CIS) & pairs["iso3_b"].isin(CIS)]
    return pairs.reset_index(drop=True)


def adjacency(pairs: pd.DataFrame, countries: list[str] | None = None) -> pd.DataFrame:
    """Symmetric country x country count of agreements; ``countries`` fixes the order (default: CIS first)."""
    nodes = countries or node_order(pairs)
    missing = sorted((set(pairs["iso3_a"]) | set(pairs["iso3_b"])) - set(nodes))
    if missing:
        raise ParameterError(f"countries lacks {missing}, which are parties to agreements in the pairs given.")
    matrix = pd.DataFrame(0, index=nodes, columns=nodes, dtype=int)
    for a, b in zip(pairs["iso3_a"], pairs["iso3_b"]):
        if a == b:
            raise DataValidationError(f"a bilateral agreement pairs {a} with itself.")
        matrix.loc[a, b] += 1
        matrix.loc[b, a] += 1
    return matrix


def node_order(pairs: pd.DataFrame) -> list[str]:
    """All 12 CIS states in footnote order, then any non-CIS partner in the order it appears."""
    partners = list(dict.fromkeys(list(pairs["iso3_a"]) + list(pairs["iso3_b"])))
    return list(CIS) + [code for code in partners if code not in CIS]


def degrees(pairs: pd.DataFrame) -> pd.Series:
    """Number of bilateral agreements per country (every CIS state, zero where none), largest first."""
    counts = adjacency(pairs).sum(axis=1)
    return counts.sort_values(ascending=False, kind="stable")


def plot_network(pairs: pd.DataFrame) -> plt.Figure:
    """The CIS states (and any non-CIS partners) on a circle, a line for each bilateral agreement.

    Node size grows with the number of agreements; states with none are drawn hollow.
    """
    nodes = node_order(pairs)
    count = adjacency(pairs, nodes).sum(axis=1)
    angle = {code: math.pi / 2 - 2 * math.pi * i / len(nodes) for i, code in enumerate(nodes)}
    xy = {code: (math.cos(a), math.sin(a)) for code, a in angle.items()}
    cis_colour, other_colour = sns.color_palette(PALETTE, 2)
    figure, axis = plt.subplots(figsize=(7.5, 7.5))
    for a, b in zip(pairs["iso3_a"], pairs["iso3_b"]):
        axis.plot([xy[a][0], xy[b][0]], [xy[a][1], xy[b][1]], color="grey", linewidth=1.6, zorder=1)
    for code in nodes:
        colour = cis_colour if code in CIS else other_colour
        size = 120 + 160 * count[code]
        face = colour if count[code] else "white"
        axis.scatter(*xy[code], s=size, facecolor=face, edgecolor=colour, linewidth=1.5, zorder=2)
        x, y = xy[code]
        axis.annotate(
            f"{display_name(code)} ({count[code]})",
            (x, y),
            xytext=(14 * x, 14 * y),
            textcoords="offset points",
            ha="left" if x > 0.05 else "right" if x < -0.05 else "center",
            va="bottom" if y > 0.05 else "top" if y < -0.05 else "center",
            fontsize=9,
        )
    axis.set(xlim=(-1.7, 1.7), ylim=(-1.35, 1.35), aspect="equal")
    axis.axis("off")
    handles = [Patch(color=cis_colour, label="CIS state"), Patch(color=other_colour, label="state outside the CIS")]
    axis.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.06), ncol=2, frameon=False, fontsize=9)
    figure.tight_layout()
    return figure


def _grouping_members(grouping: str) -> list[str]:
    if grouping in ORGANISATIONS:
        frame = statements.memberships()
        return frame.loc[frame["organisation"] == grouping, "iso3"].tolist()
    kind, ordinal = INSTRUMENTS[grouping]
    parties = statements.cooperation_parties()
    chosen = parties[(parties["kind"] == kind) & (parties["ordinal"] == ordinal)]
    if chosen.empty or chosen["iso3"].isna().any():
        raise DataValidationError(
            f"{statements.COOPERATION}: row ({kind}, {ordinal}) for {grouping!r} is missing or names a party "
            "that is not a country; the membership matrix needs country parties."
        )
    return chosen["iso3"].tolist()


def membership_matrix(groupings: list[str]) -> pd.DataFrame:
    """CIS states (footnote order) x ``groupings``: True where the paper lists the state as a member or party."""
    unknown = [g for g in groupings if g not in GROUPINGS]
    if unknown or not groupings:
        raise ParameterError(f"groupings {unknown or groupings!r}: choose one or more of {', '.join(GROUPINGS)}.")
    members = {g: set(_grouping_members(g)) for g in groupings}
    outside = sorted({code for codes in members.values() for code in codes} - set(CIS))
    if outside:
        raise DataValidationError(f"groupings list non-CIS members {outside}; the matrix has one row per CIS state.")
    matrix = pd.DataFrame(
        {g: [code in members[g] for code in CIS] for g in groupings}, index=[display_name(code) for code in CIS]
    )
    matrix.index.name = "country"
    return matrix


def plot_membership(matrix: pd.DataFrame) -> plt.Figure:
    """The membership matrix as a grid: a filled cell per membership."""
    colour = sns.color_palette(PALETTE, 1)[0]
    figure, axis = plt.subplots(figsize=(1.3 * len(matrix.columns) + 3.2, 5.5))
    sns.heatmap(
        matrix.astype(int),
        ax=axis,
        cmap=["#f2f2f2", colour],
        vmin=0,
        vmax=1,
        cbar=False,
        linewidths=1,
        linecolor="white",
    )
    axis.set_xticks(
        [i + 0.5 for i in range(len(matrix.columns))],
        [textwrap.fill(label, 16) for label in matrix.columns],
        rotation=0,
        fontsize=9,
    )
    axis.set(xlabel="", ylabel="")
    axis.xaxis.tick_top()
    figure.tight_layout()
    return figure


def _with_non_cis(pairs: pd.DataFrame) -> int:
    return int((~pairs["iso3_a"].isin(CIS) | ~pairs["iso3_b"].isin(CIS)).sum())


def network_numbers(pairs: pd.DataFrame) -> dict[str, int]:
    """The agreements drawn (``pairs``), and how many of all the paper's bilateral agreements have a partner
    outside the CIS, whether drawn or not."""
    return {"n-drawn": len(pairs), "n-non-cis": _with_non_cis(bilateral_pairs())}


def network_words(pairs: pd.DataFrame) -> dict[str, str]:
    """The best-connected states in ``pairs`` (alone, and in a phrase with their count) and the CIS states
    without any agreement."""
    count = degrees(pairs)
    top = listing(display_name(code) for code in count.index[count == count.max()])
    several = (count == count.max()).sum() > 1
    return {
        "top": top,
        "top-phrase": f"{top} have the most, {count.max()} each" if several else f"{top} has the most, {count.max()}",
        "without": listing(display_name(code) for code in CIS if count[code] == 0),
    }


def not_party(organisation: str, instrument: str) -> list[str]:
    """Members of ``organisation`` that the paper does not list among the parties to ``instrument``."""
    matrix = membership_matrix([organisation, instrument])
    return list(matrix.index[matrix[organisation] & ~matrix[instrument]])


def membership_words() -> dict[str, str]:
    """The EurAsEC members that the paper does not list among the parties to its visa-free agreement."""
    return {"visa-gap": listing(not_party("EurAsEC", VISA_FREE))}


def count_dated() -> int:
    """How many of the instruments the paper names come with a year."""
    return int(statements.cooperation()["year"].notna().sum())
