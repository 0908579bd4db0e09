"""The book's pages and its runnable chapters, in book order, read from ``_toc.yml``: the one chapter list.

``_toc.yml`` is what Jupyter Book builds, so it is the list. The build, the PDF, the results
map and ``compendium run`` read it from here, and everything else that names chapters is
checked against it (``tests/book/test_chapter_registry.py``): the data package's chapter
vocabulary, the parameter declarations and the grids.

A page's slug is its file name without its chapter number or its ``appendix-`` prefix:
``chapters/05-remittances`` is ``remittances``, ``book/appendix-audit`` is ``audit``. A page
is a runnable chapter when ``compendium/parameters.py`` declares parameters under its slug;
its number, if it has one, is the two digits its file name starts with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis import paths
from analysis.errors import DataUnavailableError, ParameterError
from compendium import parameters

TOC = paths.ROOT / "_toc.yml"  # read at each call, so that a test can point it at a book of its own
SOURCE_SUFFIXES = (".ipynb", ".md")
_NUMBERED = re.compile(r"^(\d{2})-(.+)$")
_APPENDIX_PREFIX = "appendix-"


@dataclass(frozen=True)
class Chapter:
    """A page that ``compendium run`` can execute: its slug, its notebook and its number, if any."""

    slug: str  # the name its parameters are declared under, e.g. "remittances"
    notebook: Path
    number: int | None = None
    in_book: bool = False  # listed in _toc.yml, so that ``compendium run <slug>`` finds it

    @property
    def command_name(self) -> str:
        """How ``compendium run`` names it: its number, else its slug, else (outside the book) its path."""
        if self.number is not None:
            return f"{self.number:02d}"
        return self.slug if self.in_book else str(self.notebook)

    @property
    def label(self) -> str:
        return f"{self.number:02d} ({self.slug})" if self.number is not None else self.slug


def _toc_file(toc: Path | None) -> Path:
    return TOC if toc is None else Path(toc)


@dataclass(frozen=True)
class ContentsPart:
    """One part of the book's contents: its caption (empty for the opening pages) and its documents."""

    caption: str
    documents: tuple[str, ...]


def _toc_content(toc: Path | None) -> dict:
    toc = _toc_file(toc)
    try:
        content = yaml.safe_load(toc.read_text(encoding="utf-8"))
    except OSError as error:
        raise DataUnavailableError(f"{toc}: the table of contents cannot be read ({error.strerror}).") from error
    except yaml.YAMLError as error:
        raise DataUnavailableError(f"{toc} is not valid YAML: {error}") from error
    if not isinstance(content, dict) or "root" not in content:
        raise DataUnavailableError(f"{toc}: expected a Jupyter Book table of contents with a `root:` page.")
    return content


def toc_entries(toc: Path | None = None) -> list[str]:
    """Every page as ``_toc.yml`` names it (root first, then each part's chapters), in book order."""
    content = _toc_content(toc)
    return [content["root"]] + [chapter["file"] for part in content.get("parts", []) for chapter in part["chapters"]]


def contents_parts(toc: Path | None = None) -> list[ContentsPart]:
    """The book's parts and their documents (without suffix), in book order, the root document first."""
    content = _toc_content(toc)
    return [ContentsPart("", (root_document(toc),))] + [
        ContentsPart(part.get("caption", ""), tuple(str(Path(c["file"]).with_suffix("")) for c in part["chapters"]))
        for part in content.get("parts", [])
    ]


def root_document(toc: Path | None = None) -> str:
    """The book's root page as ``_toc.yml`` names it, without a suffix, e.g. 'book/intro'."""
    return str(Path(toc_entries(toc)[0]).with_suffix(""))


def page_sources(toc: Path | None = None) -> list[Path]:
    """The source file (``.ipynb`` or ``.md``) of every page, in book order."""
    toc = _toc_file(toc)
    sources = []
    for entry in toc_entries(toc):
        stem = toc.parent / Path(entry).with_suffix("")
        found = [stem.with_suffix(suffix) for suffix in SOURCE_SUFFIXES if stem.with_suffix(suffix).is_file()]
        if not found:
            raise DataUnavailableError(
                f"{toc}: page {entry!r} has no .ipynb or .md file; add the file or remove the entry."
            )
        sources.append(found[0])
    return sources


def notebooks(toc: Path | None = None) -> list[Path]:
    """The pages that are notebooks, in book order: what the build executes."""
    return [source for source in page_sources(toc) if source.suffix == ".ipynb"]


def slug_and_number(path: Path) -> tuple[str, int | None]:
    """A page's slug and chapter number, from its file name (see the module's docstring)."""
    match = _NUMBERED.match(path.stem)
    if match:
        return match.group(2), int(match.group(1))
    return path.stem.removeprefix(_APPENDIX_PREFIX), None


def from_notebook(notebook: Path) -> Chapter:
    """A chapter given by its notebook's path, which need not be part of the book."""
    slug, number = slug_and_number(notebook)
    return Chapter(slug, Path(notebook).resolve(), number)


def runnable(toc: Path | None = None) -> list[Chapter]:
    """The pages with declared parameters, in book order: what ``compendium run`` and ``list`` offer."""
    found = []
    for notebook in notebooks(toc):
        slug, number = slug_and_number(notebook)
        if slug in parameters.CHAPTERS:
            found.append(Chapter(slug, notebook.resolve(), number, in_book=True))
    return found


def find(name: str, toc: Path | None = None) -> Chapter:
    """A chapter by number ("5", "05"), slug ("remittances"), file name ("05-remittances") or notebook path."""
    if name.endswith(".ipynb") or "/" in name:
        path = Path(name).expanduser().resolve()
        if not path.is_file():
            raise ParameterError(
                f"chapter notebook {path} does not exist; give an existing .ipynb file, "
                "a chapter number or a chapter name (see `compendium list`)."
            )
        return from_notebook(path)
    chapters = runnable(toc)
    for chapter in chapters:
        if name in (chapter.slug, chapter.notebook.stem) or (
            name.isdigit() and chapter.number is not None and int(name) == chapter.number
        ):
            return chapter
    known = ", ".join(chapter.label for chapter in chapters) or "none yet"
    raise ParameterError(f"no chapter {name!r} in {_toc_file(toc)}; known chapters: {known}.")
