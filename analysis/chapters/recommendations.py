"""Chapter 8, conclusions: the paper's recommendations in its four spheres, each linked to the
chapters, figures and tables that bear on it, and the numbers the paper offers for each sphere.

Which chapters bear on a recommendation comes from the transcription's ``chapters`` column.
``EVIDENCE`` adds, per sphere, the figures and tables of the compendium that bear on it; that
list is the compendium's editorial choice, and the chapter of each label is added to the links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.chapters import markup
from analysis.data import paper, statements
from analysis.data.datapackage import read_resource
from analysis.errors import DataValidationError, ParameterError

SPHERES = ("labor migration management", "transit migration", "brain drain", "migrant remittances")
SPHERE_KEYS = dict(zip(SPHERES, ("labour", "transit", "brain", "remittances")))
_SLUG = re.compile(r"^\d{2}-([a-z0-9-]+)$")

# Sphere -> labels of figures (fig-) and tables (tbl-) that bear on it. A label's chapter is
# the part between its prefix and the chapter's own name, so each label names its chapter.
EVIDENCE = {
    "labor migration management": [
        "fig-trends-migrant-workers",
        "fig-trafficking-irregular",
        "tbl-trafficking-measures",
        "fig-common-labour-market-bilateral",
        "tbl-common-labour-market-instruments",
    ],
    "transit migration": ["tbl-transit-figures", "fig-transit-ranges", "tbl-transit-concerns"],
    "brain drain": ["tbl-brain-drain-evidence", "fig-brain-drain-it-growth", "tbl-brain-drain-priorities"],
    "migrant remittances": ["tbl-survival-development-spending", "fig-survival-development-jobs"],
}
CHAPTER_SLUGS = (
    "trends",
    "transit",
    "trafficking",
    "brain-drain",
    "remittances",
    "survival-development",
    "common-labour-market",
    "conclusions",
)


def chapter_label(slug: str) -> str:
    """``ch-<name>`` for a chapter slug of the data ("07-common-labour-market") or a bare name."""
    match = _SLUG.match(slug)
    name = match.group(1) if match else slug
    if name not in CHAPTER_SLUGS:
        raise DataValidationError(
            f"chapter {slug!r} is not one of the compendium's chapters ({', '.join(CHAPTER_SLUGS)}); "
            "fix the 'chapters' column of data/paper/recommendations.csv."
        )
    return f"ch-{name}"


def label_chapter(label: str) -> str:
    """The chapter label a figure or table label belongs to (``fig-brain-drain-x`` -> ``ch-brain-drain``)."""
    body = re.sub(r"^(fig|tbl)-", "", label)
    for name in sorted(CHAPTER_SLUGS, key=len, reverse=True):
        if body.startswith(name + "-"):
            return f"ch-{name}"
    raise DataValidationError(f"label {label!r} does not start with fig-/tbl- and a chapter name.")


def _check_spheres(spheres: Sequence[str]) -> None:
    unknown = [s for s in spheres if s not in SPHERES]
    if unknown or not spheres:
        raise ParameterError(f"spheres {unknown or spheres!r}: choose one or more of {', '.join(SPHERES)}.")


def recommendations(spheres: Sequence[str] = SPHERES) -> pd.DataFrame:
    _check_spheres(spheres)
    frame = statements.recommendations()
    missing = sorted(set(SPHERES) - set(frame["sphere"]))
    if missing:
        raise DataValidationError(f"{statements.RECOMMENDATIONS}: no rows for sphere(s) {missing}.")
    return frame[frame["sphere"].isin(spheres)].reset_index(drop=True)


def _recommendation_text(group: pd.DataFrame) -> str:
    aim = group.loc[group["part"] == "aim", "item"].iloc[0]
    means = group.loc[group["part"] == "means", "item"].tolist()
    purposes = group.loc[group["part"] == "purpose", "item"].tolist()
    text = aim
    if means:
        text += "; means: " + ", ".join(means)
    if purposes:
        text += "; purposes: " + ", ".join(purposes)
    return text + "."


def links(spheres: Sequence[str] = SPHERES) -> pd.DataFrame:
    """One row per sphere: its recommendations in words, chapter labels and figure/table labels."""
    frame = recommendations(spheres)
    rows = []
    for sphere in [s for s in SPHERES if s in spheres]:
        part = frame[frame["sphere"] == sphere]
        texts = [f"({number}) {_recommendation_text(group)}" for number, group in part.groupby("recommendation")]
        chapters = [chapter_label(slug) for cell in part["chapters"] for slug in markup.split_keys(cell)]
        chapters += [label_chapter(label) for label in EVIDENCE[sphere]]
        ordered = sorted(dict.fromkeys(chapters), key=lambda label: CHAPTER_SLUGS.index(label[3:]))
        rows.append(
            {
                "sphere": sphere,
                "recommendations": " ".join(texts),
                "chapters": ordered,
                "evidence": list(EVIDENCE[sphere]),
                "paper_lines": f"{part['paper_line'].min()}\u2013{part['paper_line'].max()}",
            }
        )
    return pd.DataFrame(rows)


def links_markdown(spheres: Sequence[str] = SPHERES) -> str:
    """MyST table of ``links`` with {ref} links to chapters and {numref} links to figures and tables."""
    frame = links(spheres)
    return markup.pipe_table(
        pd.DataFrame(
            {
                "Sphere": frame["sphere"],
                "Recommendations (paraphrased)": frame["recommendations"],
                "Chapters that bear on it": [
                    ", ".join(markup.ref(label) for label in labels) for labels in frame["chapters"]
                ],
                "Figures and tables": [
                    ", ".join(markup.ref(label, "numref") for label in labels) for labels in frame["evidence"]
                ],
                "Paper lines": frame["paper_lines"],
            }
        )
    )


def _hedge(low, high) -> str:
    if pd.isna(high):
        return "over"
    if pd.isna(low):
        return "up to"
    return "range" if low != high else "single figure"


def numbers(spheres: Sequence[str] = SPHERES) -> pd.DataFrame:
    """Every number the paper's text gives in support of each sphere, with its hedge and source.

    Tables 2 and 3 enter as one row each (their number of printed cells); the text's own figures
    one row each. The assignment to spheres follows the section each number appears in.
    """
    _check_spheres(spheres)
    rows = []
    irregular = statements.irregular_estimates()
    for row in irregular.itertuples():
        sphere = "transit migration" if "transit" in row.group else "labor migration management"
        rows.append(
            (
                sphere,
                f"{row.area_as_printed}: {row.group}",
                row.printed_text,
                row.qualifier,
                row.source_keys,
                pd.NA,
                row.paper_line,
                "ch-trafficking",
            )
        )
    transit = statements.transit()
    for row in transit[transit["kind"] == "figure"].itertuples():
        rows.append(
            (
                "transit migration",
                row.item,
                row.printed_text,
                row.qualifier,
                row.source_keys,
                pd.NA,
                row.paper_line,
                "ch-transit",
            )
        )
    brain = statements.brain_drain()
    for row in brain[brain["kind"] == "estimate"].itertuples():
        rows.append(
            (
                "brain drain",
                row.item,
                row.printed_text,
                "single figure",
                row.source_keys,
                pd.NA,
                row.paper_line,
                "ch-brain-drain",
            )
        )
    survey = statements.survey_findings()
    for row in survey[survey["value"].notna()].itertuples():
        rows.append(
            (
                "migrant remittances",
                row.item,
                row.printed_text,
                row.qualifier if pd.notna(row.qualifier) else "single figure",
                row.source_keys,
                pd.NA,
                row.paper_line,
                "ch-survival-development",
            )
        )
    for row in read_resource("remittance_statements").itertuples():
        rows.append(
            (
                "migrant remittances",
                f"{row.flow}, {row.period}",
                row.printed_text,
                _hedge(row.low, row.high),
                row.source_keys,
                row.source_as_cited,
                row.paper_line,
                "ch-remittances",
            )
        )
    table2, table3 = paper.table2(), paper.table3_levels()
    lows = [c for c in table2.columns if c.endswith("_low_thousands")]
    cells2 = int(sum(table2[c].notna().sum() for c in lows))
    ranges2 = int(sum((table2[c] < table2[c.replace("_low_", "_high_")]).fillna(False).sum() for c in lows))
    rows.append(
        (
            "labor migration management",
            f"Table 2, migrant workers abroad and in Russia: {cells2} printed cells, {ranges2} of them ranges",
            pd.NA,
            "table",
            "icmpd2006",
            pd.NA,
            pd.NA,
            "ch-trends",
        )
    )
    cells3 = int(table3[[c for c in table3.columns if c.endswith("_musd")]].notna().sum().sum())
    rows.append(
        (
            "migrant remittances",
            f"Table 3, remittances, FDI, exports, aid and GDP: {cells3} printed levels",
            pd.NA,
            "table",
            "korobkov2005",
            pd.NA,
            pd.NA,
            "ch-remittances",
        )
    )
    frame = pd.DataFrame(
        rows,
        columns=[
            "sphere",
            "statement",
            "printed_text",
            "hedge",
            "source_keys",
            "source_named",
            "paper_line",
            "chapter",
        ],
    )
    frame = frame[frame["sphere"].isin(spheres)]
    order = {sphere: i for i, sphere in enumerate(SPHERES)}
    return frame.sort_values("sphere", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def numbers_markdown(frame: pd.DataFrame) -> str:
    """MyST table of ``numbers``, with citations and chapter links."""
    return markup.pipe_table(
        pd.DataFrame(
            {
                "Sphere": frame["sphere"],
                "What is counted": frame["statement"],
                "As printed (line)": [
                    "" if pd.isna(t) else f"\u201c{t}\u201d ({line})"
                    for t, line in zip(frame["printed_text"], frame["paper_line"])
                ],
                "Form": frame["hedge"],
                "Source cited": [
                    markup.cite(keys) or (f"{named} (named in the text)" if pd.notna(named) else "none")
                    for keys, named in zip(frame["source_keys"], frame["source_named"])
                ],
                "Chapter": [markup.ref(label) for label in frame["chapter"]],
            }
        )
    )


HEDGES = ("range", "about", "up to", "over")


def numbers_summary(frame: pd.DataFrame) -> dict[str, int]:
    """Counts over ``numbers``: statements in the text, how many are hedged, and table rows."""
    text = frame[frame["hedge"] != "table"]
    summary = {
        "text": len(text),
        "hedged": int(text["hedge"].isin(HEDGES).sum()),
        "single": int((text["hedge"] == "single figure").sum()),
        "tables": int((frame["hedge"] == "table").sum()),
        "unsourced": int((text["source_keys"].isna() & text["source_named"].isna()).sum()),
    }
    for sphere in SPHERES:
        summary[sphere] = int((text["sphere"] == sphere).sum())
    return summary


def summary_numbers(summary: dict[str, int]) -> dict[str, int]:
    """``numbers_summary`` as the chapter quotes it: ``n-text``, ``n-hedged``, ``n-single`` and one
    ``n-<sphere>`` per sphere (``SPHERE_KEYS``)."""
    return {f"n-{key}": summary[key] for key in ("text", "hedged", "single")} | {
        f"n-{SPHERE_KEYS[sphere]}": summary[sphere] for sphere in SPHERES
    }


def summary_words(summary: dict[str, int]) -> dict[str, str]:
    """How the text's numbers are attributed, in words, from ``numbers_summary``."""
    if summary["unsourced"] == 0:
        return {"attribution": "every one of them is attributed to a cited work or a named institution"}
    return {"attribution": f"{summary['unsourced']} of them are attributed to no cited work or named institution"}
