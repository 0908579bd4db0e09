"""A tiny chapter notebook, so that each kernel start in the run and CLI tests is cheap."""

from __future__ import annotations

import csv
import json

import nbformat

from analysis import paths

TABLE1_CSV = paths.PAPER_DATA_DIR / "table1_living_standards.csv"

# papermill's own inspection skips the scale line: its comment holds a second '='
TOY_PARAMETERS = 'leave_out = []  # ISO3 codes to drop\nfail = False\nscale = 1.0  # n.txt = n * scale'
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
