"""The release archive: complete, byte-identical for a commit, checkable with sha256sum, readable offline.

The fast tests archive a stand-in book (tests/helpers/release_archive.py). The slow ones
archive the session's built book (the `built_book` fixture) twice, unpack it and check it with
`sha256sum` and an HTML scan, and pin the dates of a PDF printed by Chromium.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from analysis import __version__, paths, results
from compendium import release
from helpers.release_archive import COMMIT_DATE, commit_timestamp, fake_pdf, members, unpack

# ---- the archive ------------------------------------------------------------------------------


def test_the_archive_holds_what_the_issue_lists(small_archive, repository):
    top = f"cis-migration-compendium-{__version__}"
    files = {m.name.removeprefix(top + "/") for m in members(small_archive) if m.isfile()}
    for required in (
        "html/index.html",
        "html/book/intro.html",
        f"{top}.pdf",
        "results/index.json",
        "results/figures/fig-x.svg",
        "data/datapackage.json",
        "CITATION.cff",
        "constraints.txt",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "MANIFEST.sha256",
        ".zenodo.json",
        "codemeta.json",
    ):
        assert required in files, required
    assert "html/.buildinfo" not in files
    assert {name for name in files if name.startswith("data/")} == set(results.tracked_files(repository, "data"))


def test_members_are_sorted_dated_at_the_commit_and_owned_by_0_with_fixed_modes(small_archive):
    listed = members(small_archive)
    names = [m.name for m in listed]
    assert names == sorted(names)
    for member in listed:
        assert member.mtime == commit_timestamp()
        assert (member.uid, member.gid, member.uname, member.gname) == (0, 0, "", "")
        assert member.mode == (0o755 if member.isdir() else 0o644)
        assert member.isdir() or member.isfile()
    header = small_archive.read_bytes()[:10]
    assert header[:3] == b"\x1f\x8b\x08"
    assert header[3] & 0x08 == 0  # FNAME flag: no file name stored
    assert header[4:8] == b"\0\0\0\0"  # MTIME: none stored


def test_two_archives_of_the_same_commit_are_byte_identical(repository, small_book, tmp_path):
    stamp = release.release_candidate(repository)
    first = release.write_archive(stamp, **small_book, root=repository, dist=tmp_path / "one")
    # The same files, touched, with other modes and another PDF creation date: nothing of it may show.
    for path in small_book["html_dir"].rglob("*"):
        os.utime(path, (1, 1))
        if path.is_file():
            path.chmod(0o600)
    small_book["pdf"].write_bytes(fake_pdf(b"D:20300101000000+00'00'"))
    second = release.write_archive(stamp, **small_book, root=repository, dist=tmp_path / "two")
    assert first.read_bytes() == second.read_bytes()
    assert (tmp_path / "one" / ".zenodo.json").read_bytes() == (tmp_path / "two" / ".zenodo.json").read_bytes()


def test_the_manifest_and_the_sha256_file_pass_sha256sum(small_archive, tmp_path):
    folder = unpack(small_archive, tmp_path / "unpacked")
    listed = (folder / "MANIFEST.sha256").read_text().splitlines()
    assert len(listed) == sum(1 for p in folder.rglob("*") if p.is_file()) - 1
    checked = subprocess.run(
        ["sha256sum", "--check", "--strict", "MANIFEST.sha256"], cwd=folder, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    beside = subprocess.run(
        ["sha256sum", "--check", "--strict", small_archive.name + ".sha256"],
        cwd=small_archive.parent,
        capture_output=True,
        text=True,
    )
    assert beside.returncode == 0, beside.stdout + beside.stderr


def test_a_different_archive_of_a_released_version_is_refused(repository, small_book, small_archive):
    stamp = release.release_candidate(repository)
    (small_book["results_dir"] / "index.json").write_text('{"tbl-y": {}}\n')
    with pytest.raises(release.ReleaseError, match="already holds a different archive"):
        release.write_archive(stamp, **small_book, root=repository, dist=small_archive.parent)


def test_missing_built_files_are_named(repository, small_book, tmp_path):
    small_book["pdf"].unlink()
    with pytest.raises(release.ReleaseError, match=r"book\.pdf is missing; build the PDF \(make pdf\)"):
        release.write_archive(
            release.release_candidate(repository), **small_book, root=repository, dist=tmp_path / "dist"
        )


# ---- the real book (slow) -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_archives(built_book, tmp_path_factory) -> tuple[Path, Path]:
    """The session's built book archived twice, the second time from a touched copy."""
    commit, _ = results.git_state()
    stamp = release.ReleaseStamp(__version__, commit, results.commit_time())
    scratch = tmp_path_factory.mktemp("real")
    pdf = scratch / "book.pdf"
    pdf.write_bytes(fake_pdf())
    first = release.write_archive(
        stamp, html_dir=built_book, pdf=pdf, results_dir=paths.RESULTS_DIR, dist=scratch / "one"
    )
    copy = shutil.copytree(built_book, scratch / "html")
    for path in copy.rglob("*"):
        os.utime(path, (1, 1))
    pdf.write_bytes(fake_pdf(b"D:20300101000000+00'00'"))
    second = release.write_archive(stamp, html_dir=copy, pdf=pdf, results_dir=paths.RESULTS_DIR, dist=scratch / "two")
    return first, second


@pytest.mark.slow
def test_two_archives_of_the_built_book_are_byte_identical(real_archives):
    first, second = real_archives
    assert first.read_bytes() == second.read_bytes()
    assert release.verify_archive(first).problems == []


# Elements that make the browser load a file as the page opens (an <a> only links).
ASSET_ATTRIBUTES = {
    "script": "src",
    "link": "href",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "embed": "src",
    "video": "src",
    "audio": "src",
    "object": "data",
    "input": "src",
}


def offline_problems(folder: Path) -> list[str]:
    """Asset URLs of the HTML and CSS under ``folder`` that are remote, absolute, or point at no file."""
    problems = []

    def check(url: str, page: Path, what: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or url.startswith("#") or not url:
            return
        if parts.scheme or parts.netloc:
            problems.append(f"{page.relative_to(folder)}: remote {what} {url}")
        elif parts.path.startswith("/"):
            problems.append(f"{page.relative_to(folder)}: absolute {what} {url}")
        elif parts.path and not (page.parent / unquote(parts.path)).exists():
            problems.append(f"{page.relative_to(folder)}: {what} {url} is not in the archive")

    # The theme ships Jinja templates as _static/*.html; no browser opens them as pages.
    for page in (p for p in folder.rglob("*.html") if "_static" not in p.relative_to(folder).parts):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in ASSET_ATTRIBUTES.items():
            for element in soup.find_all(tag):
                if element.get(attribute):
                    check(element[attribute], page, f"<{tag} {attribute}>")
        for link in soup.find_all("a", href=True):  # pages of the book must be there too
            if not urlsplit(link["href"]).scheme:
                check(link["href"], page, "<a href>")
        for refresh in soup.find_all("meta", attrs={"http-equiv": "Refresh"}):
            check(refresh["content"].split("url=", 1)[1], page, "redirect")
    for sheet in folder.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text(encoding="utf-8")):
            check(url.strip(), sheet, "css url()")
    return problems


def test_the_offline_check_catches_remote_and_absolute_assets(tmp_path):
    (tmp_path / "a.html").write_text(
        '<script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="/_static/a.css"><img src="gone.png">'
        '<a href="https://example.org/">a reference is fine</a>'
    )
    assert offline_problems(tmp_path) == [
        "a.html: remote <script src> https://cdn.example.org/x.js",
        "a.html: absolute <link href> /_static/a.css",
        "a.html: <img src> gone.png is not in the archive",
    ]


@pytest.mark.slow
def test_the_archived_html_opens_offline_from_the_unpacked_folder(real_archives, tmp_path):
    folder = unpack(real_archives[0], tmp_path)
    html = folder / "html"
    assert (html / "index.html").is_file()
    assert offline_problems(html) == []
    assert len(list(html.rglob("*.html"))) > 20  # the whole book was scanned, not an empty folder


@pytest.mark.slow
def test_the_archived_manifest_passes_sha256sum(real_archives, tmp_path):
    folder = unpack(real_archives[0], tmp_path)
    checked = subprocess.run(
        ["sha256sum", "--check", "--strict", "--quiet", "MANIFEST.sha256"], cwd=folder, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]


@pytest.fixture(scope="module")
def chromium_pdf(tmp_path_factory) -> Path:
    """A one-page PDF printed by Chromium, as the book's PDF is."""
    from compendium.chromium import ChromiumNotFoundError, find_chromium
    from compendium.pdf import print_pdf

    try:
        find_chromium()
    except ChromiumNotFoundError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"under CI=true the PDF must be printed, but {error}")
        pytest.skip(str(error))
    folder = tmp_path_factory.mktemp("pdf")
    page = folder / "page.html"
    page.write_text("<html><head><title>t</title></head><body><p>one page</p></body></html>")
    return print_pdf(page, folder / "page.pdf")


@pytest.mark.slow
def test_chromiums_pdf_dates_are_pinned_to_the_commit_time(chromium_pdf):
    from pypdf import PdfReader

    original = chromium_pdf.read_bytes()
    pinned = release.pin_pdf_dates(original, commit_timestamp())
    assert len(pinned) == len(original)  # every cross-reference offset still holds
    reader = PdfReader(io.BytesIO(pinned))
    expected = datetime.fromisoformat(COMMIT_DATE).astimezone(UTC)
    assert reader.metadata.creation_date == expected
    assert reader.metadata.modification_date == expected
    assert len(reader.pages) == len(PdfReader(io.BytesIO(original)).pages) == 1


def test_a_pdf_date_of_another_length_is_refused():
    with pytest.raises(release.ReleaseError, match="not as long as"):
        release.pin_pdf_dates(fake_pdf(b"D:20260101120000Z"), commit_timestamp())
    with pytest.raises(release.ReleaseError, match="no /CreationDate"):
        release.pin_pdf_dates(b"%PDF-1.4\n%%EOF\n", commit_timestamp())
