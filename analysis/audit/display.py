"""The audit's frames as a reader sees them: pandas Stylers with fixed ids, so the HTML is deterministic."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from analysis.audit.ledger import CLAIMS_LEDGER, ledger_frame
from analysis.audit.statuses import STATUS_COLOURS
from analysis.audit.table3 import EXACT, MISSING, OFF, ROUNDING, TABLE3_COLUMNS

CLASS_COLOURS = {EXACT: "#d9f0d3", ROUNDING: "#fee8a8", OFF: "#f4a6a6", MISSING: "#eeeeee"}


def claims_for_display(audit: pd.DataFrame, ledger: Path = CLAIMS_LEDGER):
    """The audit as a reader sees it, status coloured: claim (paper line, chapter), status, quote, evidence."""
    lines = ledger_frame(ledger).set_index("id")["paper_line"]
    shown = pd.DataFrame(
        {
            "Claim": [
                f"<b>{cid}</b><br>line {lines[cid]}<br>{escape(chapter)}"
                for cid, chapter in zip(audit["id"], audit["chapter"])
            ],
            "Status": audit["status"].astype(str),
            "Quote": ["\u201c" + escape(quote) + "\u201d" for quote in audit["quote"]],
            "Evidence": [
                f"{escape(text)}<br><small><code>{escape(numbers)}</code></small>"
                for text, numbers in zip(audit["explanation"], audit["computed"])
            ],
        }
    )
    return (
        shown.style.hide(axis="index")
        .map(lambda status: f"background-color: {STATUS_COLOURS[status]}", subset=["Status"])
        .set_properties(**{"text-align": "left", "vertical-align": "top", "font-size": "0.85em"})
        .set_uuid("audit-claims")
    )


def as_table(frame: pd.DataFrame, uuid: str, decimals: int = 1, formats: dict[str, str] | None = None):
    """A frame for the page: no index, text left-aligned and never truncated, fixed ids (deterministic HTML)."""
    styler = frame.style.hide(axis="index").format(precision=decimals)
    if formats:
        # Without a subset, Styler.format gives every column outside the dict its default 6 decimals.
        styler = styler.format(formats, subset=list(formats))
    return styler.set_properties(**{"text-align": "left", "vertical-align": "top", "font-size": "0.85em"}).set_uuid(
        uuid
    )


def table3_styler(cells: pd.DataFrame):
    """The printed shares of Table 3, each cell coloured by its class (deterministic HTML)."""
    order = list(dict.fromkeys(cells["country"]))
    labels = [TABLE3_COLUMNS[key][2] for key in TABLE3_COLUMNS]
    shares = cells.pivot(index="country", columns="label", values="printed_share").reindex(index=order, columns=labels)
    classes = cells.pivot(index="country", columns="label", values="class").reindex(index=order, columns=labels)
    recomputed = cells.pivot(index="country", columns="label", values="recomputed_share").reindex(
        index=order, columns=labels
    )
    shown = shares.map(lambda v: "n.a." if pd.isna(v) else f"{v:.1f}") + recomputed.map(
        lambda v: "" if pd.isna(v) else f" ({v:.2f})"
    )
    shown = shown.rename_axis(index="Country", columns=None)
    styler = shown.style.apply(lambda _: classes.map(lambda c: f"background-color: {CLASS_COLOURS[c]}"), axis=None)
    # No Styler caption: the page's numbered caption carries the colour key, so the table has one caption.
    return styler.set_uuid("audit-table3")
