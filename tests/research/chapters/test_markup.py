"""MyST tables: citations checked against a bibliography, cells escaped."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.chapters import markup
from analysis.errors import DataValidationError


@pytest.fixture()
def bib(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@misc{iom2004,\n  author = {{IOM}},\n}\n\n@article{frolova2006,\n title={x}}\n", encoding="utf-8")
    return path


def test_bibliography_keys_reads_every_entry(bib):
    assert markup.bibliography_keys(bib) == {"iom2004", "frolova2006"}


def test_cite_joins_keys_and_refuses_unknown_ones(bib):
    assert markup.cite("iom2004;frolova2006", bib) == "{cite}`iom2004,frolova2006`"
    assert markup.cite(" iom2004 ", bib) == "{cite}`iom2004`"
    assert markup.cite(pd.NA, bib) == ""
    with pytest.raises(DataValidationError, match="'iom2005'"):
        markup.cite("iom2004;iom2005", bib)


def test_every_key_of_the_project_bibliography_is_found():
    # the paper itself and one entry of each type used in book/references.bib
    keys = markup.bibliography_keys()
    assert {"ivakhnyuk2006", "korobkov2005", "frolova2006", "sadovskaya2006b"} <= keys


def test_ref_checks_label_spelling():
    assert markup.ref("ch-transit") == "{ref}`ch-transit`"
    assert markup.ref("fig-transit-ranges", "numref") == "{numref}`fig-transit-ranges`"
    with pytest.raises(DataValidationError, match="Ch Transit"):
        markup.ref("Ch Transit")


def test_pipe_table_by_hand():
    frame = pd.DataFrame({"A": ["x|y", pd.NA], "B": ["two\nlines", 3]})
    assert markup.pipe_table(frame) == "| A | B |\n|---|---|\n| x\\|y | two lines |\n|  | 3 |\n"
