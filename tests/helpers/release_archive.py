"""A small git repository and a stand-in book for the release tests, and ways to look into an archive.

The repository holds copies of the project's top files and data, committed at COMMIT_DATE; the
stand-in book has two pages, a style sheet, a results folder and a PDF that is not renderable.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path

from analysis import paths

COPIED = ("README.md", "LICENSE", "CHANGELOG.md", "constraints.txt", "CITATION.cff", "data")
# 01:30 on 1 February at UTC+3 is still 31 January in UTC: the release date must be the UTC one.
COMMIT_DATE = "2026-02-01T01:30:00+03:00"
CHROMIUM_DATE = b"D:20260415093000+02'00'"  # the form Chromium's Skia writes, here with an offset


def git(root: Path, *args: str, **env: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    return done.stdout.strip()


def commit_timestamp() -> int:
    return int(datetime.fromisoformat(COMMIT_DATE).timestamp())


def fake_pdf(date: bytes = CHROMIUM_DATE) -> bytes:
    """Not a renderable PDF: just the header and dates that the archive and the pinning look at."""
    return b"%PDF-1.4\n1 0 obj\n<</CreationDate (" + date + b")\n/ModDate (" + date + b")>>\nendobj\n%%EOF\n"


def make_repository(tmp_path: Path) -> Path:
    """A git repository with the project's top files and data, committed at COMMIT_DATE."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in COPIED:
        source = paths.ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / name)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "release me", GIT_COMMITTER_DATE=COMMIT_DATE, GIT_AUTHOR_DATE=COMMIT_DATE)
    return root


def make_small_book(tmp_path: Path) -> dict:
    """A stand-in for the built book: two pages, a style sheet, a results folder and a PDF."""
    html = tmp_path / "html"
    (html / "book").mkdir(parents=True)
    (html / "_static").mkdir()
    (html / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/intro.html" />')
    (html / "book" / "intro.html").write_text('<link rel="stylesheet" href="../_static/a.css"><p>intro</p>')
    (html / "_static" / "a.css").write_text("p { color: black; }")
    (html / ".buildinfo").write_text("config: 0123\n")
    results_dir = tmp_path / "results"
    (results_dir / "figures").mkdir(parents=True)
    (results_dir / "index.json").write_text('{"tbl-x": {}}\n')
    (results_dir / "figures" / "fig-x.svg").write_text("<svg/>")
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(fake_pdf())
    return {"html_dir": html, "results_dir": results_dir, "pdf": pdf}


def members(archive: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(archive, "r:gz") as packed:
        return packed.getmembers()


def unpack(archive: Path, target: Path) -> Path:
    with tarfile.open(archive, "r:gz") as packed:
        packed.extractall(target, filter="data")
    (top,) = target.iterdir()
    return top


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of ``archive`` written by tarfile itself, with ``change(name, data)`` applied to each member."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if data is not None:
                data = change(member.name.split("/", 1)[1], data)
                if data is None:
                    continue
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data) if data is not None else None)
    return target
