"""The results map: parsed from the pages, hashed independently, and checked against the built HTML."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.data.external import registry
from analysis.errors import DataUnavailableError, DataValidationError
from compendium import chapters, results_index
from compendium.build_records import Record, save_state

KNOWN = ["M1", "M2", "M3", "M4", "M5", "M6", "P1", "P2"]


# ---- parsing -----------------------------------------------------------------------


def test_directives_in_every_fence_style():
    markdown = "\n".join(
        [
            "Text.",
            "",
            "```{glue:figure} key-a",
            ":name: fig-a",
            "",
            "Caption A {cite}`x`.",
            "",
            "Legend not caption.",
            "```",
            "",
            ":::{figure} picture.png",
            "---",
            "name: fig-b",
            "width: 50%",
            "---",
            "Caption B",
            ":::",
            "",
            "```{table} Caption C",
            ":name: tbl-c",
            "",
            "| a |",
            "|---|",
            "| 1 |",
            "```",
            "",
            "::::{note}",
            ":::{glue:figure} key-d",
            ":name: tbl-d",
            "",
            "Caption D",
            ":::",
            "::::",
            "",
            "```python",
            "x = 1",
            "```",
        ]
    )
    found = results_index.directives(markdown)
    assert [(d["directive"], d["name"], d["caption"]) for d in found] == [
        ("glue:figure", "fig-a", "Caption A {cite}`x`."),
        ("figure", "fig-b", "Caption B"),
        ("table", "tbl-c", "Caption C"),
        ("glue:figure", "tbl-d", "Caption D"),
    ]
    assert found[0]["argument"] == "key-a"


@pytest.mark.parametrize(
    "key, label, caption, expected",
    [
        ("fig-remit-m1", "fig-remit-m1", "", ["M1"]),
        (None, "tbl-models", "The catalogue's models M1–M4 and model P2.", ["M1", "M2", "M3", "M4", "P2"]),
        (None, "tbl-models", "Models M2, M5 and M6", ["M2", "M5", "M6"]),
        (None, "tbl-models", "model M2 to M4", ["M2", "M3", "M4"]),
        # The paper's trafficking measures are numbered M1-M8 too: not models.
        (None, "tbl-trafficking-measures", "The measures M1-M8 against problems P1-P6.", []),
        (None, "fig-x", "model M99, an id the catalogue does not have", []),
        ("fig-summary", "fig-summary", "km2 and M1 without the word", []),
    ],
)
def test_model_ids(key, label, caption, expected):
    assert results_index.model_ids_in(key, label, caption, KNOWN) == expected


def test_known_ids_come_from_the_catalogues():
    from analysis.models import catalogue, panels

    assert results_index.known_model_ids() == [s.model_id for s in catalogue.CATALOGUE] + ["P1", "P2"]
    assert set(panels.FORMULAS) == {"P1", "P2"}


# ---- a small book on disk ------------------------------------------------------------


def _notebook(path: Path, markdown: list[str]) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(text) for text in markdown]
    nbformat.write(notebook, path)


@pytest.fixture
def small_book(tmp_path):
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: P\n    chapters:\n      - file: chapters/one\n",
        encoding="utf-8",
    )
    (root / "intro.md").write_text("# Intro\n\nNo figures here.\n", encoding="utf-8")
    _notebook(
        root / "chapters" / "one.ipynb",
        [
            "(ch-one)=\n# Chapter one\n",
            "```{glue:figure} one-m3\n:name: fig-one-m3\n\nThe slope of model M3. Source: Table 1.\n```",
            "```{glue:figure} one-table\n:name: tbl-one-table\n\nA table.\n```",
        ],
    )
    data = root / "data" / "t.csv"
    data.write_bytes(b"a,b\n1,2\n")
    results = root / "results"
    (results / "figures").mkdir(parents=True)
    (results / "figures" / "fig-one-m3.png").write_bytes(b"png")
    (results / "figures" / "fig-one-m3.svg").write_bytes(b"svg")
    state = root / "_build" / "state.json"
    reads = [str(data), f"{root / 'data' / 'datapackage.json'}#t"]
    save_state(state, {str((root / "chapters" / "one.ipynb").resolve()): Record("f", reads)})
    return root, state, results


def test_index_of_a_small_book(small_book):
    root, state, results = small_book
    entries = results_index.results_index(root, state, results)
    assert [e["label"] for e in entries] == ["fig-one-m3", "tbl-one-table"]
    figure, table = entries
    assert (figure["kind"], table["kind"]) == ("figure", "table")
    assert figure["chapter"] == "chapters/one" and figure["chapter_title"] == "Chapter one"
    assert figure["page"] == "chapters/one.html#fig-one-m3"
    assert figure["caption"] == "The slope of model M3. Source: Table 1."
    assert figure["model_ids"] == ["M3"] and table["model_ids"] == []
    # sha256 of b"a,b\n1,2\n", computed here by hand from the bytes written above
    assert figure["data_files"] == [
        {"path": "data/t.csv", "location": "repository", "sha256": hashlib.sha256(b"a,b\n1,2\n").hexdigest()}
    ]
    assert figure["outputs"] == ["results/figures/fig-one-m3.png", "results/figures/fig-one-m3.svg"]
    assert table["outputs"] == []


def test_a_data_file_corrupted_in_place_with_its_size_and_mtime_kept_is_hashed_again(small_book):
    root, state, results = small_book
    results_index.results_index(root, state, results)  # hashes data/t.csv once
    data = root / "data" / "t.csv"
    status = data.stat()
    data.write_bytes(b"a,b\n1,3\n")  # same size
    os.utime(data, ns=(status.st_atime_ns, status.st_mtime_ns))
    figure = results_index.results_index(root, state, results)[0]
    assert figure["data_files"][0]["sha256"] == hashlib.sha256(b"a,b\n1,3\n").hexdigest()


def test_written_as_json_and_csv(small_book, tmp_path):
    root, state, results = small_book
    target = tmp_path / "out" / "index.json"
    results_index.write_results_index(target, root, state, results)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["compendium_version"] == "0.1.0"
    assert [e["label"] for e in document["entries"]] == ["fig-one-m3", "tbl-one-table"]
    with target.with_suffix(".csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["model_ids"] == "M3"
    assert rows[0]["data_files"] == "data/t.csv=" + hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert rows[1]["glue_key"] == "one-table"


def test_a_figure_without_label_is_refused(small_book):
    root, state, results = small_book
    _notebook(root / "chapters" / "one.ipynb", ["# One\n", "```{glue:figure} orphan\n\nNo name.\n```"])
    with pytest.raises(DataValidationError, match=r"one.ipynb.*glue:figure.*orphan.*no :name:"):
        results_index.results_index(root, state, results)


def test_a_label_used_twice_is_refused(small_book):
    root, state, results = small_book
    twice = "```{glue:figure} k\n:name: fig-same\n\nC.\n```"
    _notebook(root / "chapters" / "one.ipynb", ["# One\n", twice, twice])
    with pytest.raises(DataValidationError, match="'fig-same' is also used"):
        results_index.results_index(root, state, results)


def test_without_the_builds_read_log_it_refuses(small_book, tmp_path):
    root, _, results = small_book
    with pytest.raises(DataUnavailableError, match="compendium.build"):
        results_index.results_index(root, tmp_path / "no-state.json", results)


def test_a_data_file_gone_since_the_build_is_refused(small_book):
    root, state, results = small_book
    (root / "data" / "t.csv").unlink()
    with pytest.raises(DataUnavailableError, match=r"t.csv.*gone"):
        results_index.results_index(root, state, results)


# ---- against the built book --------------------------------------------------------


@pytest.fixture(scope="module")
def book_index(built_book, tmp_path_factory) -> list[dict]:
    target = tmp_path_factory.mktemp("index") / "index.json"
    results_index.write_results_index(target)
    return json.loads(target.read_text(encoding="utf-8"))["entries"]


def _numbered_ids(page: Path) -> set[str]:
    """Ids of the figures and tables that Sphinx numbered on a built page (each :name: becomes one)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    figures = {f["id"] for f in soup.select("figure[id]") if f.select_one("figcaption span.caption-number")}
    tables = {t["id"] for t in soup.select("table[id]") if t.select_one("caption span.caption-number")}
    return figures | tables


@pytest.mark.slow
def test_index_matches_the_labels_in_the_built_html(built_book, book_index):
    documents = chapters.page_sources()
    for document in documents:
        chapter = document.relative_to(paths.ROOT).with_suffix("").as_posix()
        in_html = _numbered_ids(built_book / f"{chapter}.html")
        in_index = {e["page"].split("#", 1)[1] for e in book_index if e["chapter"] == chapter}
        assert in_index == in_html, chapter
    assert book_index, "the book renders no labelled figure or table"


@pytest.mark.slow
def test_data_hashes_in_the_index_are_the_files_hashes(built_book, book_index):
    pinned = dict(zip(registry.table()["file"], registry.table()["sha256"]))
    checked = 0
    for entry in book_index:
        for data in entry["data_files"]:
            if data["location"] == "repository":
                assert data["sha256"] == hashlib.sha256((paths.ROOT / data["path"]).read_bytes()).hexdigest()
            else:  # a public file: the registry pins its hash
                assert data["sha256"] == pinned[data["path"]], data
            checked += 1
    assert checked > 0
    paper_tables = [e for e in book_index if e["chapter"] == "book/paper-tables"]
    read = {d["path"] for d in paper_tables[0]["data_files"]}
    assert {"data/paper/table1_living_standards.csv", "data/paper/table3_remittances_shares.csv"} <= read


@pytest.mark.slow
def test_every_figure_is_saved_as_png_named_by_its_label(built_book, book_index):
    missing = [
        e["label"]
        for e in book_index
        if e["kind"] == "figure" and f"results/figures/{e['label']}.png" not in e["outputs"]
    ]
    assert not missing, f"figures not saved with analysis.figures.save(fig, label): {missing}"
