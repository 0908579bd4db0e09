"""Chapters 12 and 13: every glue key their text uses is glued exactly once by their committed outputs."""

from __future__ import annotations

import re
from collections import Counter

import nbformat
import pytest

from analysis import paths

NOTEBOOKS = ("12-cis-in-the-world.ipynb", "13-common-labour-market-realised.ipynb")
REFERENCE = re.compile(r"\{glue:(?:text|md|figure)\}`?\s*([A-Za-z0-9_-]+)")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_glue_reference_is_glued_once(name):
    notebook = nbformat.read(paths.CHAPTERS_DIR / name, as_version=4)
    glued = Counter(
        output.get("metadata", {}).get("scrapbook", {}).get("name")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )
    glued.pop(None, None)
    assert [key for key, count in glued.items() if count > 1] == []
    used = {key for cell in notebook.cells if cell.cell_type == "markdown" for key in REFERENCE.findall(cell.source)}
    assert used, f"{name} uses no glue"
    assert sorted(used - set(glued)) == []
