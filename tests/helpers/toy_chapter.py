"""A tiny chapter notebook, so that each kernel start in the run and CLI tests is cheap, and a book around it."""

from __future__ import annotations

import csv
import json

import nbformat

from analysis import paths
from compendium import chapters, parameters

TABLE1_CSV = paths.PAPER_DATA_DIR / "table1_living_standards.csv"

# papermill's own inspection skips the scale line: its comment holds a second '='
TOY_PARAMETERS = "leave_out = []  # ISO3 codes to drop\nfail = False\nscale = 1.0  # n.txt = n * scale"
TOY_BODY = """\
from myst_nb import glue
from analysis import paths
from analysis.data import paper

kept = paper.table1().query("iso3 not in @leave_out")
glue("n", len(kept), display=False)
paths.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
(paths.RESULTS_DIR / "n.txt").write_text(str(len(kept) * scale))
if fail:
    raise RuntimeError("deliberate failure for the test")
"""


def write_toy(folder, name="toy.ipynb"):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell(TOY_PARAMETERS)
    cell.metadata["tags"] = ["parameters"]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Toy"), cell, nbformat.v4.new_code_cell(TOY_BODY)]
    path = folder / name
    nbformat.write(notebook, path)
    return path


def declare_toy(monkeypatch) -> None:
    """Declare the toy's parameters, as compendium/parameters.py declares a chapter's, for one test."""
    monkeypatch.setitem(
        parameters.CHAPTERS,
        "toy",
        {
            "leave_out": parameters.COUNTRY_CODES,
            "fail": parameters.Parameter(bool, "raise in the last cell"),
            "scale": parameters.Parameter(float, "multiplies n in n.txt", minimum=0),
        },
    )


def toy_book(folder, monkeypatch, name="07-toy.ipynb"):
    """A book whose _toc.yml lists one toy chapter, made the chapter registry's for one test; returns the notebook."""
    (folder / "chapters").mkdir(parents=True)
    (folder / "intro.md").write_text("# Intro\n", encoding="utf-8")
    notebook = write_toy(folder / "chapters", name)
    toc = folder / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: Toy\n    chapters:\n"
        f"      - file: chapters/{notebook.stem}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(chapters, "TOC", toc)
    declare_toy(monkeypatch)
    return notebook


def glued(notebook_path, name):
    for cell in nbformat.read(notebook_path, as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                return json.loads(output["data"]["application/papermill.record/text/plain"])
    raise AssertionError(f"nothing glued as {name!r} in {notebook_path}")


def table1_row_count():
    with TABLE1_CSV.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def no_kernel(*args, **kwargs):
    raise AssertionError("papermill.execute_notebook was called: a kernel would have started")
