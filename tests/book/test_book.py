"""The book builds with warnings as errors, and a failing notebook fails it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analysis import paths
from compendium import chapters

pytestmark = pytest.mark.slow
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def _jupyter_book_build(source: Path) -> subprocess.CompletedProcess:
    command = [str(JUPYTER_BOOK), "build", str(source), "--warningiserror", "--nitpick", "--keep-going"]
    return subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())


def test_every_toc_page_is_rendered(built_book):
    for entry in chapters.toc_entries():
        page = built_book / f"{Path(entry).with_suffix('')}.html"
        assert page.is_file(), f"{entry} listed in _toc.yml was not rendered"


def test_no_execution_errors_in_pages(built_book):
    for page in built_book.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'class="[^"]*output[^"]*traceback', text), page


def test_failing_notebook_fails_the_build(tmp_path):
    """A book whose notebook raises must not build (nb_execution_raise_on_error)."""
    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(paths.ROOT / "_config.yml", book / "_config.yml")
    config = yaml.safe_load((book / "_config.yml").read_text())
    config.pop("bibtex_bibfiles", None)
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (book / "index.md").write_text("# Index\n")
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Broken"),
        nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure')"),
    ]
    nbformat.write(notebook, book / "broken.ipynb")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: broken\n")
    result = _jupyter_book_build(book)
    assert result.returncode != 0
    assert "deliberate failure" in result.stdout + result.stderr


STRAY_FILES = {  # what a checkout collects after `make test` and a day's work; none is in the toc
    ".pytest_cache/README.md": "# pytest cache directory\n",
    ".hidden/notes/page.md": "# A page in a nested dot-folder\n",
    "notes.md": "# Scratch notes\n",
    "book/draft.md": "# A draft not in the toc\n",
}


def test_a_from_scratch_build_of_a_clone_ignores_stray_files(built_book, tmp_path):
    """A fresh Sphinx environment on a checkout holding .pytest_cache/ and other strays still builds with -W."""
    clone = tmp_path / "clone"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (paths.ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(paths.ROOT / name, clone / name)
    # The executed notebooks are reused, so that only Sphinx starts from nothing and the test stays fast.
    shutil.copytree(paths.JUPYTER_CACHE_DIR, clone / "_build" / ".jupyter_cache")
    for name, text in STRAY_FILES.items():
        (clone / name).parent.mkdir(parents=True, exist_ok=True)
        (clone / name).write_text(text, encoding="utf-8")
    checkpoint = clone / "chapters" / ".ipynb_checkpoints" / "01-trends-checkpoint.ipynb"
    checkpoint.parent.mkdir()
    shutil.copy2(clone / "chapters" / "01-trends.ipynb", checkpoint)

    result = _jupyter_book_build(clone)
    assert result.returncode == 0, f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    html = clone / "_build" / "html"
    assert (html / "chapters" / "01-trends.html").is_file()
    for name in [*STRAY_FILES, "chapters/.ipynb_checkpoints/01-trends-checkpoint.ipynb"]:
        assert not (html / Path(name).with_suffix(".html")).exists(), f"{name} became a page"
