"""The book as one PDF: Sphinx's single-page HTML, printed by headless Chromium.

This route works offline and needs no TeX (the LaTeX route needs ~360 MB of
Debian packages). Sphinx's ``singlehtml`` builder writes the root document to
``<root doc>.html`` but computes every link, script and image path as if that
file sat at the top of the output folder; with the root document in ``book/``
the page as written cannot find its styles, images or MathJax. So the page is
copied to the top of the output folder as ``book.html``, where those paths
hold, with its links to itself made in-page anchors (which Chromium turns into
PDF links), and that copy is printed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from analysis import paths
from compendium.build import refresh_cache, toc_notebooks
from compendium.chromium import FLAGS, find_chromium
from analysis.errors import CompendiumError

PRINTABLE_NAME = "book.html"
# Chromium prints at the load event; MathJax and the theme's scripts finish after it.
VIRTUAL_TIME_BUDGET_MS = 20000
PRINT_TIMEOUT_S = 300


class PdfBuildError(CompendiumError, RuntimeError):
    """The single-page HTML or the PDF could not be produced."""


def root_document(root: Path = paths.ROOT) -> str:
    """The book's root document as _toc.yml names it, e.g. 'book/intro'."""
    return str(Path(yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["root"]).with_suffix(""))


def build_singlehtml(root: Path = paths.ROOT) -> Path:
    """Refresh the notebook cache, then build the single-page HTML (warnings are errors)."""
    refresh_cache(toc_notebooks(root))
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(root), "--builder", "custom",
               "--custom-builder", "singlehtml", "--warningiserror", "--nitpick", "--keep-going"]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise PdfBuildError(f"the single-page HTML build failed:\n{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}")
    return root / "_build" / "singlehtml"


def printable_page(singlehtml_dir: Path, root_doc: str) -> Path:
    """Copy the root document to the top of ``singlehtml_dir``, where its relative paths resolve."""
    source = singlehtml_dir / f"{root_doc}.html"
    if not source.is_file():
        raise PdfBuildError(f"{source} is missing; the singlehtml build did not write the root document {root_doc!r}.")
    html = source.read_text(encoding="utf-8")
    # Links into the page itself ("book/intro.html#x") become in-page anchors ("#x").
    html = re.sub(r'href="' + re.escape(f"{root_doc}.html") + r'(#[^"]*)?"',
                  lambda match: f'href="{match.group(1) or "#"}"', html)
    target = singlehtml_dir / PRINTABLE_NAME
    target.write_text(html, encoding="utf-8")
    return target


def print_pdf(page: Path, pdf: Path = paths.PDF_FILE) -> Path:
    """Print an HTML file to PDF with headless Chromium; the PDF is replaced only on success."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    partial = pdf.with_name(pdf.name + ".partial")
    with tempfile.TemporaryDirectory() as profile:
        command = [str(find_chromium()), *FLAGS, f"--user-data-dir={profile}",
                   f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}", "--no-pdf-header-footer",
                   f"--print-to-pdf={partial}", page.resolve().as_uri()]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT_S)
        if completed.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
            raise PdfBuildError(f"Chromium did not print {page} (exit {completed.returncode}):\n{completed.stderr[-4000:]}")
        partial.replace(pdf)
    return pdf


def build_pdf(root: Path = paths.ROOT, pdf: Path = paths.PDF_FILE) -> Path:
    """The whole book as ``_build/pdf/book.pdf``."""
    return print_pdf(printable_page(build_singlehtml(root), root_document(root)), pdf)


if __name__ == "__main__":
    print(build_pdf())
