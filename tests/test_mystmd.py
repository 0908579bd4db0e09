"""MyST tables: citations checked against a bibliography, cells escaped."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import mystmd
from analysis.errors import DataValidationError


@pytest.fixture()
def bib(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@misc{iom2004,\n  author = {{IOM}},\n}\n\n@article{frolova2006,\n title={x}}\n", encoding="utf-8")
    return path


def test_bibliography_keys_reads_every_entry(bib):
    assert mystmd.bibliography_keys(bib) == {"iom2004", "frolova2006"}


def test_cite_joins_keys_and_refuses_unknown_ones(bib):
    assert mystmd.cite("iom2004;frolova2006", bib) == "{cite}`iom2004,frolova2006`"
    assert mystmd.cite(" iom2004 ", bib) == "{cite}`iom2004`"
    assert mystmd.cite(pd.NA, bib) == ""
    with pytest.raises(DataValidationError, match="'iom2005'"):
        mystmd.cite("iom2004;iom2005", bib)


def test_every_key_of_the_project_bibliography_is_found():
    # the paper itself and one entry of each type used in book/references.bib
    keys = mystmd.bibliography_keys()
    assert {"ivakhnyuk2006", "korobkov2005", "frolova2006", "sadovskaya2006b"} <= keys


def test_ref_checks_label_spelling():
    assert mystmd.ref("ch-transit") == "{ref}`ch-transit`"
    assert mystmd.ref("fig-transit-ranges", "numref") == "{numref}`fig-transit-ranges`"
    with pytest.raises(DataValidationError, match="Ch Transit"):
        mystmd.ref("Ch Transit")


def test_pipe_table_by_hand():
    frame = pd.DataFrame({"A": ["x|y", pd.NA], "B": ["two\nlines", 3]})
    assert mystmd.pipe_table(frame) == "| A | B |\n|---|---|\n| x\\|y | two lines |\n|  | 3 |\n"
