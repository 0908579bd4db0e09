"""One chapter list, ``_toc.yml``: the registry reads it, and everything else that names chapters agrees with it.

The checks of the real book read ``_toc.yml`` and ``data/datapackage.json`` here, with yaml and
json, rather than through the code under test; each is also run on a case that must fail.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from analysis import paths
from analysis.audit.ledger import book_chapters
from analysis.errors import DataUnavailableError, ParameterError
from compendium import chapters, parameters, sweeps
from compendium.run_parameters import notebook_parameters, resolve_parameters
from helpers.toy_chapter import toy_book

TOC = paths.ROOT / "_toc.yml"


def toc_files(toc: Path = TOC) -> list[str]:
    content = yaml.safe_load(toc.read_text(encoding="utf-8"))
    return [content["root"]] + [chapter["file"] for part in content.get("parts", []) for chapter in part["chapters"]]


def chapter_stems(toc: Path = TOC) -> list[str]:
    """The file names of the numbered chapters, ``NN-name``, as the table of contents lists them."""
    return [Path(entry).name for entry in toc_files(toc) if re.match(r"^\d{2}-", Path(entry).name)]


# ---- the registry ----------------------------------------------------------------------------


def test_the_pages_come_from_the_toc_in_book_order(tmp_path, monkeypatch):
    notebook = toy_book(tmp_path, monkeypatch)
    assert chapters.toc_entries() == ["intro", "chapters/07-toy"]
    assert chapters.root_document() == "intro"
    assert chapters.page_sources() == [tmp_path / "intro.md", notebook]
    assert chapters.notebooks() == [notebook]
    assert chapters.runnable() == [chapters.Chapter("toy", notebook.resolve(), 7, in_book=True)]
    notebook.unlink()
    with pytest.raises(DataUnavailableError, match="page 'chapters/07-toy' has no .ipynb or .md file"):
        chapters.page_sources()


def test_the_real_registry_lists_the_toc_pages(monkeypatch):
    monkeypatch.setattr(chapters, "TOC", TOC)
    assert [str(source.relative_to(paths.ROOT).with_suffix("")) for source in chapters.page_sources()] == toc_files()


@pytest.mark.parametrize(
    "path, slug, number",
    [
        ("chapters/05-remittances.ipynb", "remittances", 5),
        ("chapters/13-common-labour-market-realised.ipynb", "common-labour-market-realised", 13),
        ("book/appendix-audit.ipynb", "audit", None),
        ("book/colophon.ipynb", "colophon", None),
    ],
)
def test_a_pages_slug_is_its_name_without_number_or_appendix_prefix(path, slug, number):
    assert chapters.slug_and_number(Path(path)) == (slug, number)


def test_chapters_are_found_by_number_name_or_path(tmp_path, monkeypatch):
    notebook = toy_book(tmp_path, monkeypatch, "05-toy.ipynb")
    for name in ("5", "05", "toy", "05-toy", str(notebook)):
        chapter = chapters.find(name)
        assert (chapter.slug, chapter.number, chapter.notebook) == ("toy", 5, notebook.resolve())
    with pytest.raises(ParameterError, match=r"known chapters: 05 \(toy\)"):
        chapters.find("9")
    with pytest.raises(ParameterError, match="does not exist"):
        chapters.find(str(tmp_path / "missing.ipynb"))


# ---- the data package's chapter vocabulary ----------------------------------------------------------


def vocabulary_problems(vocabulary, toc: Path = TOC) -> list[str]:
    stems = chapter_stems(toc)
    return [f"{name} is no chapter of {toc.name}" for name in vocabulary if name not in stems]


def test_the_claims_chapter_vocabulary_names_chapters_of_the_book():
    descriptor = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    [claims] = [resource for resource in descriptor["resources"] if resource["name"] == "claims"]
    [chapter] = [field for field in claims["schema"]["fields"] if field["name"] == "chapter"]
    vocabulary = chapter["constraints"]["enum"]
    assert book_chapters() == tuple(vocabulary)  # what the audit checks each claim against
    assert vocabulary_problems(vocabulary) == []
    assert vocabulary_problems([*vocabulary, "09-epilogue"]) == ["09-epilogue is no chapter of _toc.yml"]


# ---- the parameter declarations ---------------------------------------------------------------


def declaration_problems(declared, toc: Path = TOC) -> list[str]:
    """Declared slugs that are no page of the book, and numbered chapters that declare nothing."""
    slugs = [chapters.slug_and_number(Path(entry))[0] for entry in toc_files(toc)]
    problems = [f"{slug!r} is declared but is no page of {toc.name}" for slug in declared if slugs.count(slug) != 1]
    numbered = [chapters.slug_and_number(Path(stem))[0] for stem in chapter_stems(toc)]
    return problems + [f"chapter {slug!r} declares no parameters" for slug in numbered if slug not in declared]


def test_every_declaration_is_a_page_of_the_book_and_every_chapter_has_one():
    assert declaration_problems(parameters.CHAPTERS) == []
    declared = dict(parameters.CHAPTERS, nowhere={})
    del declared["remittances"]
    assert declaration_problems(declared) == [
        "'nowhere' is declared but is no page of _toc.yml",
        "chapter 'remittances' declares no parameters",
    ]


def test_every_runnable_chapter_declares_exactly_its_parameters_cell_and_its_defaults_are_allowed():
    runnable = chapters.runnable()
    assert [chapter.slug for chapter in runnable][-1] == "audit"  # the appendix, after the chapters
    for chapter in runnable:
        cell = notebook_parameters(chapter.notebook)
        declared = parameters.CHAPTERS[chapter.slug]
        assert set(cell) == set(declared), f"{chapter.notebook.name}: cell {list(cell)} vs declared {list(declared)}"
        parameters.validate(chapter.slug, **{name: item["value"] for name, item in cell.items()})


# ---- the grids -----------------------------------------------------------------------------


def test_every_shipped_grid_is_yaml_belongs_to_a_chapter_and_is_valid_against_the_declarations():
    grids = sweeps.shipped_grids()
    assert [grid.name for grid, _ in grids] == sorted(path.name for path in paths.GRIDS_DIR.iterdir())
    for grid, chapter in grids:
        assert grid.suffix == ".yaml" and grid.name.startswith(chapter.notebook.stem + "-")
        points = sweeps.grid_points(sweeps.load_grid(grid))
        assert len(points) >= 2, f"{grid} sweeps nothing"
        for point in points:
            resolve_parameters(chapter, point)  # raises ParameterError naming the parameter


@pytest.mark.parametrize("name", ["99-nowhere-sizes.yaml", "remittances-sizes.yaml"])
def test_a_grid_of_no_chapter_is_refused(tmp_path, name):
    (tmp_path / name).write_text("seed: [1, 2]\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="exactly one chapter's notebook"):
        sweeps.shipped_grids(tmp_path)
