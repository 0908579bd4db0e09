"""The PDF of the whole book: built as `make pdf` builds it, then read back with pypdf.

The single-page HTML it is printed from is the reference for what must be in
it: every caption number, every in-text citation and every bibliography entry.
Chapter titles come from the sources. Every page must carry its number and the
running title, the contents must give the page each chapter starts on, and no
word of the paper's Table 3 may be broken across lines. Without Chromium the
tests skip and say how to install it; under CI=true they fail.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_file
from pypdf import PdfReader

from analysis import paths
from compendium import chapters
from compendium.chromium import ChromiumNotFoundError, find_chromium
from compendium.pdf import PRINTABLE_NAME, book_title

pytestmark = pytest.mark.slow


def _plain(text: str) -> str:
    """Text as compared here: ligatures undone, typographic quotes and dashes plain, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "}))
    return re.sub(r"\s+", " ", text).strip()


def _title(source: Path) -> str:
    if source.suffix == ".ipynb":
        text = "\n".join(c.source for c in nbformat.read(source, as_version=4).cells if c.cell_type == "markdown")
    else:
        text = source.read_text(encoding="utf-8")
    return re.search(r"^# (.+)$", text, flags=re.MULTILINE).group(1).strip()


def _unmarked(title: str) -> str:
    """A MyST title as it reads: *emphasis* and `code` lose their marks."""
    return re.sub(r"[*_`]", "", title)


@pytest.fixture(scope="module")
def pdf() -> Path:
    try:
        find_chromium()
    except ChromiumNotFoundError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"under CI=true the PDF must be built, but {error}")
        pytest.skip(str(error))
    result = subprocess.run(
        [sys.executable, "-m", "compendium.pdf"], capture_output=True, text=True, cwd=paths.ROOT, env=os.environ.copy()
    )
    assert result.returncode == 0, f"PDF build failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    return paths.PDF_FILE


@pytest.fixture(scope="module")
def reader(pdf) -> PdfReader:
    return PdfReader(pdf)


@pytest.fixture(scope="module")
def text(reader) -> str:
    return _plain(" ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def page_texts(reader) -> list[str]:
    return [_plain(page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="module")
def printed_html(pdf) -> BeautifulSoup:
    return BeautifulSoup((paths.SINGLEHTML_DIR / PRINTABLE_NAME).read_text(encoding="utf-8"), "html.parser")


def test_page_count(reader):
    # Every page of the book starts on the page after the previous one's text at the latest,
    # so the PDF has at least as many pages as the TOC has entries; a blank print has one.
    assert len(reader.pages) >= len(chapters.page_sources())
    assert all(page.mediabox.width > 0 for page in reader.pages)


def test_every_chapter_title_is_present(text):
    missing = [_title(s) for s in chapters.page_sources() if _plain(_unmarked(_title(s))) not in text]
    assert not missing, missing


def test_every_figure_and_table_caption_is_present(printed_html, text):
    numbers = [_plain(span.get_text()) for span in printed_html.select("span.caption-number")]
    assert numbers, "the book has no numbered figure or table"
    assert [n for n in numbers if n not in text] == []


def test_the_figures_images_are_embedded(reader, printed_html):
    in_figures = len(printed_html.select("figure img"))
    embedded = sum(len(page.images) for page in reader.pages)
    assert in_figures > 0
    assert embedded >= in_figures


def test_citations_and_bibliography_are_present(printed_html, text):
    entries = parse_file(str(paths.BIBLIOGRAPHY), "bibtex").entries
    bibliography = printed_html.select('div.citation[role="doc-biblioentry"]')
    assert len(bibliography) == len(entries)  # the bibliography page lists every entry (:all:)
    for item in bibliography:
        # The PDF prints the [n] labels in a column of their own: compare the entry's text without it.
        label = item.select_one("span.label")
        body = _plain(
            " ".join(
                part.get_text(" ") if hasattr(part, "get_text") else str(part)
                for part in item.children
                if part is not label
            )
        )
        assert body[:40] in text, body[:80]
    cited_ids = {item["id"] for item in bibliography}
    citations = {
        _plain(a.get_text())
        for a in printed_html.select("a.reference.internal[href^='#']")
        if a["href"][1:] in cited_ids
    }
    assert citations, "no in-text citation found in the printed page"
    assert sorted(c for c in citations if c not in text) == []
    paper = entries["ivakhnyuk2006"]
    assert _plain(paper.fields["title"].strip("{}")) in text


def test_every_page_carries_its_number_and_the_running_title(page_texts):
    title, total = _plain(book_title()), len(page_texts)
    unnumbered = [number for number, text in enumerate(page_texts, start=1) if f"{number} / {total}" not in text]
    untitled = [number for number, text in enumerate(page_texts, start=1) if title not in text]
    assert (unnumbered, untitled) == ([], [])


def test_the_contents_give_the_page_each_chapter_starts_on(page_texts):
    titles = [_plain(_unmarked(_title(source))) for source in chapters.page_sources()]
    contents = " ".join(page_texts[:3])
    assert "Contents" in contents
    wrong = {}
    for title in titles:
        listed = re.search(re.escape(title) + r" (\d+)", contents)
        if listed is None:
            wrong[title] = "not in the contents"
            continue
        page = int(listed.group(1))
        # The running title repeats the book's title on every page, so look past it for the chapter's.
        body = page_texts[page - 1].replace(_plain(book_title()), "", 1) if page <= len(page_texts) else ""
        if title not in body:
            wrong[title] = f"listed on page {page}, which does not show it"
    assert wrong == {}
    # Each chapter opens a page of its own.
    assert len({re.search(re.escape(t) + r" (\d+)", contents).group(1) for t in titles}) == len(titles)


def test_table_3_shows_whole_on_a_page_with_no_word_broken(printed_html, page_texts):
    figure = printed_html.find(id="tbl-paper-table3")
    table, caption = figure.find("table"), figure.find("figcaption")
    for decoration in caption.select(".caption-number, .headerlink"):
        decoration.decompose()
    caption = _plain(caption.get_text())
    # Every cell with a word in it: the country names and the column headings.
    words = [
        _plain(cell.get_text(" "))
        for cell in table.find_all(["th", "td"])
        if re.search(r"[A-Za-z]{3}", cell.get_text())
    ]
    countries = [_plain(row.find("th").get_text(" ")) for row in table.find("tbody").find_all("tr") if row.find("th")]
    assert len(countries) >= 7 and "Azerbaijan" in countries
    # The paper's tables page shows it, and so may a chapter: on each page that shows it, all of it.
    pages = [number for number, text in enumerate(page_texts, start=1) if caption in text]
    assert pages, f"Table 3's caption is on no page: {caption!r}"
    assert {page: [word for word in words if word not in page_texts[page - 1]] for page in pages} == {
        page: [] for page in pages
    }
