"""Tables numbered as tables, numbers per chapter, and every figure with its alt text, data and SVG.

The helpers of compendium.numbering and compendium.figure_files are checked on hand-made cases;
the built HTML (the session's ``built_book``) is checked page by page in the slow tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from analysis import paths
from analysis.figures import theme
from compendium.figure_files import first_sentence
from compendium.numbering import chapter_numbers

TOC = [
    ("The paper, reproduced", ["book/paper-tables", "chapters/01-trends", "chapters/05-remittances"]),
    ("After 2006", ["chapters/09-remittances-after-2006"]),
    ("Appendices", ["book/appendix-audit", "book/model-ids"]),
]


def test_chapter_files_give_their_number_appendices_letters_and_other_pages_none():
    assert chapter_numbers(TOC, "Appendices") == {
        "book/paper-tables": None,
        "chapters/01-trends": 1,
        "chapters/05-remittances": 5,
        "chapters/09-remittances-after-2006": 9,
        "book/appendix-audit": "A",
        "book/model-ids": "B",
    }


def test_without_the_appendix_caption_appendices_are_not_lettered():
    numbers = chapter_numbers(TOC, "Annexes")
    assert numbers["book/appendix-audit"] is None and numbers["chapters/09-remittances-after-2006"] == 9


def test_more_appendices_than_letters_is_refused():
    with pytest.raises(ValueError, match="letters run out at 26"):
        chapter_numbers([("Appendices", [f"book/a{i}" for i in range(27)])], "Appendices")


@pytest.mark.parametrize(
    ("caption", "sentence"),
    [
        (
            "GDP per capita (US$) against the poor share, one point per CIS state. "
            "Source: Table 1 of Ivakhnyuk (2006).",
            "GDP per capita (US$) against the poor share, one point per CIS state.",
        ),
        (
            "Table 3 of the paper, from Korobkov (2005), p. 142. BOP: balance of payments.",
            "Table 3 of the paper, from Korobkov (2005), p. 142.",
        ),
        ('Shares, %.\n"About half" is read as a band.', "Shares, %."),
        ("A caption of one sentence without a full stop", "A caption of one sentence without a full stop"),
    ],
)
def test_first_sentence(caption, sentence):
    assert first_sentence(caption) == sentence


def test_first_sentence_is_not_the_whole_caption():
    assert first_sentence("One. Two.") != "One. Two."


def test_every_saved_figure_is_legible_at_the_books_width():
    pngs = sorted((paths.BOOK_RESULTS_DIR / "figures").glob("*.png"))
    assert pngs, "no figure in results/figures: execute the notebooks first"
    for png in pngs:
        image = Image.open(png)
        assert theme.SMALLEST_TEXT_KEY in image.text, f"{png.name}: saved without its text size; re-execute it"
        width_in = image.size[0] / theme.SAVED_DPI
        smallest = float(image.text[theme.SMALLEST_TEXT_KEY])
        shown = theme.shown_text_px(smallest, width_in)  # checked by hand in tests/research/figures/test_theme.py
        assert shown >= theme.MIN_TEXT_PX, (
            f"{png.name}: its {smallest:g} pt text is shown at {shown:.1f} px; enlarge the text or narrow the figure"
        )
        assert png.with_suffix(".csv").is_file(), f"{png.name}: no data beside it; pass data= to compendium.page.show"


# ---- the built book ------------------------------------------------------------------------

_NUMBER = re.compile(r"^(Fig\.|Table) ([0-9A-Z]+\.)?\d+$")


def _pages(built_book: Path):
    for folder in ("chapters", "book"):
        for page in sorted((built_book / folder).glob("*.html")):
            yield page, BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _caption_number(container) -> str:
    number = container.select_one("span.caption-number")
    return " ".join(number.get_text().split()) if number else ""


@pytest.mark.slow
def test_every_table_is_numbered_as_a_table(built_book):
    tables = 0
    for page, soup in _pages(built_book):
        for figure in soup.select("figure"):
            if figure.select_one("table") and _caption_number(figure):
                tables += 1
                assert _caption_number(figure).startswith("Table "), (page.name, figure.get("id"))
        for table in soup.select("table"):
            caption = table.find("caption", recursive=False)
            if caption is not None:
                tables += 1
                assert _caption_number(caption).startswith("Table "), (page.name, table.get("id"), caption.get_text())
    assert tables >= 40, "fewer numbered tables than the book has: the check saw nothing"


@pytest.mark.slow
def test_numbers_run_per_chapter(built_book):
    for page, soup in _pages(built_book):
        numbers = [_caption_number(node) for node in soup.select("figure, table > caption")]
        numbers = [number for number in numbers if number]
        assert all(_NUMBER.match(number) for number in numbers), (page.name, numbers)
        chapter = re.match(r"^(\d+)-", page.name)
        if chapter:
            prefix = f"{int(chapter.group(1))}."
            assert all(number.split(" ")[1].startswith(prefix) for number in numbers), (page.name, numbers)
    audit = BeautifulSoup((built_book / "book" / "appendix-audit.html").read_text(encoding="utf-8"), "html.parser")
    assert _caption_number(audit.select_one("figure#tbl-audit-status")) == "Table A.1"
    paper = BeautifulSoup((built_book / "book" / "paper-tables.html").read_text(encoding="utf-8"), "html.parser")
    assert [_caption_number(paper.select_one(f"#tbl-paper-table{i}")) for i in (1, 2, 3)] == [
        "Table 1",
        "Table 2",
        "Table 3",
    ]


@pytest.mark.slow
def test_every_figure_has_alt_text_data_and_svg(built_book):
    figures = 0
    for page, soup in _pages(built_book):
        for figure in soup.select("figure"):
            image = figure.select_one("img")
            if image is None or not _caption_number(figure).startswith("Fig."):
                continue
            figures += 1
            where = (page.name, figure.get("id"))
            caption = " ".join(figure.select_one("span.caption-text").get_text().split())
            assert image.get("alt") == first_sentence(caption), where
            data = figure.find("a", string="Data (CSV)")
            svg = figure.find("a", string="Full size (SVG)")
            assert data is not None and svg is not None, where
            assert data["href"].endswith(f"{figure['id']}.csv") and svg["href"].endswith(f"{figure['id']}.svg"), where
            for link in (data, svg):
                assert (page.parent / link["href"]).resolve().is_file(), (where, link["href"])
            assert image.parent.name == "a" and image.parent["href"] == svg["href"], where
    assert figures >= 30, "fewer figures than the book has: the check saw nothing"
