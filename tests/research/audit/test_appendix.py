"""What the audit appendix glues and says, computed without a kernel and checked against the data files."""

from __future__ import annotations

import csv
import json
import re

import pytest

from analysis import paths
from analysis.audit import appendix
from analysis.audit.inputs import Inputs
from analysis.audit.reading_rules import Settings

APPENDIX = paths.ROOT / "book" / "appendix-audit.ipynb"
SHARE_COLUMNS = (
    "remittances_bop_2003_pct_gdp",
    "remittances_estimate_pct_gdp",
    "fdi_2003_pct_gdp",
    "exports_2003_pct_gdp",
    "oda_2002_pct_gdp",
)


@pytest.fixture(scope="module")
def frames(external_data) -> appendix.AppendixFrames:
    return appendix.appendix_frames(Inputs())


def _rows(name: str) -> list[dict]:
    with (paths.PAPER_DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_numbers_by_hand(frames):
    numbers = appendix.appendix_numbers(frames)
    printed_shares = sum(
        1 for row in _rows("table3_remittances_shares.csv") for column in SHARE_COLUMNS if row[column].strip()
    )
    assert numbers == {
        "n-claims": len(_rows("claims.csv")),
        "tolerance": 0.05,
        "table3-cells": printed_shares,
        "half-low": 50 - 10.0,
        "half-high": 50 + 10.0,
    }


def test_numbers_follow_the_settings(external_data):
    narrow = appendix.appendix_frames(Inputs(Settings(about_half_margin_pp=5.0, range_reading="outer")))
    numbers = appendix.appendix_numbers(narrow)
    assert (numbers["half-low"], numbers["half-high"]) == (45.0, 55.0)
    assert appendix.appendix_markdown(narrow)["range-reading"] == "*outer*"
    assert "under the outer reading, and would be rated" in appendix.summary_paragraph(narrow)
    assert "under the matched one." in appendix.summary_paragraph(narrow)


def test_markdown_counts_add_up(frames):
    texts = appendix.appendix_markdown(frames)
    assert (texts["class-exact"], texts["class-rounding"], texts["class-off"]) == (
        "*exact*",
        "*within rounding*",
        "*off*",
    )
    by_class = [int(n) for n in re.findall(r": (\d+)", texts["table3-class-counts"])]
    assert sum(by_class) == appendix.appendix_numbers(frames)["table3-cells"]
    by_status = [int(n) for n in re.findall(r": (\d+)", texts["summary-counts"])]
    assert len(by_status) == 7 and sum(by_status) == len(_rows("claims.csv"))
    assert texts["range-reading"] == "*matched*"


def test_paragraphs_by_hand(frames):
    finding = appendix.table3_finding(frames)
    # All off cells are the ODA column's (test_table3: 7 of them).
    assert finding.startswith("**Finding.** All 7 off cells lie in the column(s) ODA and official aid, 2002. ")
    summary = appendix.summary_paragraph(frames)
    assert summary.startswith(f"Of the {len(_rows('claims.csv'))} statements, ")
    assert "'about half' statements are rated 'partly holds' and 'reproduced' under the matched reading" in summary


def test_the_page_glues_exactly_what_the_appendix_computes(frames):
    """Every glue key the page's text uses is computed here, and nothing computed goes unused."""
    cells = json.loads(APPENDIX.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    used = set(re.findall(r"\{glue:\w*\}`([\w-]+)", text)) | set(re.findall(r"```\{glue:figure\} ([\w-]+)", text))
    computed = (
        {f"audit-{key}" for key in appendix.appendix_numbers(frames)}
        | {f"audit-{key}" for key in appendix.appendix_markdown(frames)}
        | set(appendix.appendix_tables(frames))
        | {appendix.TABLE2_FIGURE}
    )
    assert used == computed
