"""The book as one PDF: Sphinx's single-page HTML, printed by headless Chromium through Playwright.

This route works offline and needs no TeX (the LaTeX route needs ~360 MB of
Debian packages). Sphinx's ``singlehtml`` builder writes the root document to
``<root doc>.html`` but computes every link, script and image path as if that
file sat at the top of the output folder; with the root document in ``book/``
the page as written cannot find its styles, images or MathJax. So the page is
copied to the top of the output folder as ``book.html``, where those paths
hold, with its links to itself made in-page anchors (which Chromium turns into
PDF links), and that copy is printed.

The layout on paper comes from the print stylesheet the Sphinx extension adds
(``compendium/static/print.css``). Chromium ignores CSS page-margin boxes, so
the running title and the page numbers are Chromium's own header and footer
templates. No CSS can put page numbers in a contents list either, so the
contents are printed twice: once to learn on which page each chapter starts
(from the PDF's named destinations, which the contents' links create), then
again with those numbers filled in. The numbers take the same room as their
placeholders, so no chapter moves; a print in which one did is printed again.
"""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys
from pathlib import Path

import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from analysis import paths
from analysis.errors import CompendiumError
from compendium import chapters
from compendium.build import refresh_cache
from compendium.chromium import FLAGS, find_chromium

PRINTABLE_NAME = "book.html"
PAGE_FORMAT = "A4"
# Room for the running title above the text and the page number below it.
MARGINS = {"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
LOAD_TIMEOUT_MS = 120_000
MAX_PRINTS = 3  # the contents' page numbers settle at the second print; a third means they moved once more
CONTENTS_ID = "book-contents"
PAGE_PLACEHOLDER = "000"  # as wide as any page number of the book: the contents take the same room either way

_TEMPLATE_STYLE = "font-size: 8pt; font-family: sans-serif; color: #555; width: 100%; margin: 0 14mm;"
HEADER_TEMPLATE = f'<div style="{_TEMPLATE_STYLE} text-align: left;">{{title}}</div>'
FOOTER_TEMPLATE = (
    f'<div style="{_TEMPLATE_STYLE} text-align: center;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


class PdfBuildError(CompendiumError, RuntimeError):
    """The single-page HTML or the PDF could not be produced."""


def book_title(root: Path = paths.ROOT) -> str:
    """The title in _config.yml: the PDF's running title."""
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["title"]


def build_singlehtml(root: Path = paths.ROOT) -> Path:
    """Refresh the notebook cache, then build the single-page HTML (warnings are errors)."""
    refresh_cache(chapters.notebooks(root / chapters.TOC.name))
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(root),
        "--builder",
        "custom",
        "--custom-builder",
        "singlehtml",
        "--warningiserror",
        "--nitpick",
        "--keep-going",
    ]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise PdfBuildError(
            f"the single-page HTML build failed:\n{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"
        )
    return root / "_build" / "singlehtml"


def printable_page(singlehtml_dir: Path, root_doc: str) -> Path:
    """Copy the root document to the top of ``singlehtml_dir``, where its relative paths resolve."""
    source = singlehtml_dir / f"{root_doc}.html"
    if not source.is_file():
        raise PdfBuildError(f"{source} is missing; the singlehtml build did not write the root document {root_doc!r}.")
    text = source.read_text(encoding="utf-8")
    # Links into the page itself ("book/intro.html#x") become in-page anchors ("#x").
    text = re.sub(
        r'href="' + re.escape(f"{root_doc}.html") + r'(#[^"]*)?"', lambda match: f'href="{match.group(1) or "#"}"', text
    )
    target = singlehtml_dir / PRINTABLE_NAME
    target.write_text(text, encoding="utf-8")
    return target


# ---- printing ---------------------------------------------------------------------------

_WAIT_FOR_MATHJAX = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
}"""
# Sphinx's single page marks where each document begins with <span id="document-NAME">; the root
# document is the article's first section. Each entry links its document's first section, whose
# heading gives the title. Returns the section ids, so that a missing document is reported.
_INSERT_CONTENTS = """([parts, rootDocument, contentsId, placeholder]) => {
  const article = document.querySelector('article') || document.body;
  const firstSection = name => { if (name === rootDocument) return article.querySelector('section');
    const next = document.getElementById('document-' + name)?.nextElementSibling;
    return next && next.tagName === 'SECTION' ? next : null; };
  const nav = document.createElement('nav');
  nav.id = contentsId;
  nav.innerHTML = '<h2>Contents</h2>';
  const found = {};
  for (const [caption, documents] of parts) {
    if (caption) { const heading = document.createElement('p'); heading.className = 'contents-part';
      heading.textContent = caption; nav.append(heading); }
    for (const name of documents) {
      const section = firstSection(name);
      if (!section) { found[name] = null; continue; }
      const title = section.querySelector('h1, h2, h3').cloneNode(true);
      title.querySelectorAll('.headerlink').forEach(link => link.remove());
      const entry = document.createElement('a');
      entry.className = 'contents-entry'; entry.href = '#' + section.id;
      entry.innerHTML = `<span class="contents-title"></span><span class="contents-page">${placeholder}</span>`;
      entry.querySelector('.contents-title').textContent = title.textContent.trim();
      nav.append(entry);
      found[name] = section.id;
    }
  }
  article.prepend(nav);
  return found;
}"""
_SET_PAGES = """([contentsId, pages]) => {
  for (const entry of document.querySelectorAll(`#${contentsId} a.contents-entry`))
    entry.querySelector('.contents-page').textContent = pages[entry.getAttribute('href').slice(1)];
}"""


def _pdf_options(title: str) -> dict:
    return {
        "format": PAGE_FORMAT,
        "margin": MARGINS,
        "print_background": True,
        "outline": True,
        "tagged": True,
        "display_header_footer": True,
        "header_template": HEADER_TEMPLATE.format(title=html.escape(title)),
        "footer_template": FOOTER_TEMPLATE,
    }


def destination_pages(pdf: bytes, anchors: list[str]) -> dict[str, int]:
    """The page (counted from 1, as the footer counts) of each anchor, from the PDF's named destinations."""
    reader = PdfReader(io.BytesIO(pdf))
    named = {name.removeprefix("/"): destination for name, destination in reader.named_destinations.items()}
    missing = [anchor for anchor in anchors if anchor not in named]
    if missing:
        raise PdfBuildError(
            f"the printed PDF has no destination for {', '.join(missing)}; Chromium makes one for "
            "every in-page link, so the contents' links did not reach these sections."
        )
    return {anchor: reader.get_destination_page_number(named[anchor]) + 1 for anchor in anchors}


def print_pdf(
    page: Path,
    pdf: Path = paths.PDF_FILE,
    *,
    title: str = "",
    contents: list[chapters.ContentsPart] | None = None,
    root_doc: str = "",
) -> Path:
    """Print an HTML file to PDF; with ``contents``, a contents list with page numbers opens it.

    The PDF is replaced only once the print succeeded.
    """
    pdf.parent.mkdir(parents=True, exist_ok=True)
    options = _pdf_options(title)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(find_chromium()), args=list(FLAGS))
            try:
                tab = browser.new_page()
                tab.set_default_timeout(LOAD_TIMEOUT_MS)
                tab.goto(page.resolve().as_uri(), wait_until="networkidle")
                tab.evaluate(_WAIT_FOR_MATHJAX)
                printed = _print_with_contents(tab, options, contents, root_doc) if contents else tab.pdf(**options)
            finally:
                browser.close()
    except PlaywrightError as error:
        raise PdfBuildError(f"Chromium did not print {page}: {error}") from error
    partial = pdf.with_name(pdf.name + ".partial")
    partial.write_bytes(printed)
    partial.replace(pdf)
    return pdf


def _print_with_contents(tab, options: dict, contents: list[chapters.ContentsPart], root_doc: str) -> bytes:
    parts = [[part.caption, list(part.documents)] for part in contents]
    sections = tab.evaluate(_INSERT_CONTENTS, [parts, root_doc, CONTENTS_ID, PAGE_PLACEHOLDER])
    missing = [name for name, section in sections.items() if section is None]
    if missing:
        raise PdfBuildError(
            f"the single page has no section for {', '.join(missing)}; _toc.yml lists them, so the "
            "singlehtml build left them out. Rebuild it (python -m compendium.pdf)."
        )
    anchors = list(sections.values())
    printed = tab.pdf(**options)
    pages = destination_pages(printed, anchors)
    for _ in range(MAX_PRINTS - 1):
        tab.evaluate(_SET_PAGES, [CONTENTS_ID, {anchor: str(number) for anchor, number in pages.items()}])
        printed = tab.pdf(**options)
        settled = destination_pages(printed, anchors)
        if settled == pages:
            return printed
        pages = settled
    raise PdfBuildError(
        f"the contents' page numbers did not settle in {MAX_PRINTS} prints; the contents list "
        "changes the layout of what follows it. Give the page numbers a fixed width in print.css."
    )


def build_pdf(root: Path = paths.ROOT, pdf: Path = paths.PDF_FILE) -> Path:
    """The whole book as ``_build/pdf/book.pdf``: contents with page numbers, running title, page numbers."""
    toc = root / chapters.TOC.name
    root_doc = chapters.root_document(toc)
    page = printable_page(build_singlehtml(root), root_doc)
    return print_pdf(page, pdf, title=book_title(root), contents=chapters.contents_parts(toc), root_doc=root_doc)


if __name__ == "__main__":
    print(build_pdf())
