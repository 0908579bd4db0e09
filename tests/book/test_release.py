"""The release: refused on a dirty tree, byte-identical for a commit, verifiable, and readable offline.

The fast tests work in a small git repository holding copies of the project's
top files and data, with a stand-in book. The slow ones archive the session's
built book (the `built_book` fixture) twice, unpack it and check it with
`sha256sum` and an HTML scan, and pin the dates of a PDF printed by Chromium.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from analysis import __version__, paths, results
from compendium import cli, release
from analysis.errors import DataUnavailableError, DataValidationError

COPIED = ("README.md", "LICENSE", "CHANGELOG.md", "constraints.txt", "CITATION.cff", "data")
# 01:30 on 1 February at UTC+3 is still 31 January in UTC: the release date must be the UTC one.
COMMIT_DATE = "2026-02-01T01:30:00+03:00"
CHROMIUM_DATE = b"D:20260415093000+02'00'"  # the form Chromium's Skia writes, here with an offset


def _git(root: Path, *args: str, **env: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                          capture_output=True, text=True, check=True, env={**os.environ, **env})
    return done.stdout.strip()


def _commit_timestamp() -> int:
    return int(datetime.fromisoformat(COMMIT_DATE).timestamp())


def _fake_pdf(date: bytes = CHROMIUM_DATE) -> bytes:
    """Not a renderable PDF: just the header and dates that the archive and the pinning look at."""
    return b"%PDF-1.4\n1 0 obj\n<</CreationDate (" + date + b")\n/ModDate (" + date + b")>>\nendobj\n%%EOF\n"


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository with the project's top files and data, committed at COMMIT_DATE."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in COPIED:
        source = paths.ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / name)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "release me", GIT_COMMITTER_DATE=COMMIT_DATE, GIT_AUTHOR_DATE=COMMIT_DATE)
    return root


@pytest.fixture
def small_book(tmp_path) -> dict:
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
    pdf.write_bytes(_fake_pdf())
    return {"html_dir": html, "results_dir": results_dir, "pdf": pdf}


@pytest.fixture
def small_archive(repository, small_book, tmp_path) -> Path:
    stamp = release.release_candidate(repository)
    return release.write_archive(stamp, **small_book, root=repository, dist=tmp_path / "dist")


def _members(archive: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(archive, "r:gz") as members:
        return members.getmembers()


def _unpack(archive: Path, target: Path) -> Path:
    with tarfile.open(archive, "r:gz") as members:
        members.extractall(target, filter="data")
    (top,) = target.iterdir()
    return top


def _rewrite(archive: Path, target: Path, change) -> Path:
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


# ---- is the commit fit for a release? -------------------------------------------------------

def test_a_clean_commit_gives_its_version_commit_and_utc_date(repository):
    stamp = release.release_candidate(repository)
    cff = yaml.safe_load((repository / "CITATION.cff").read_text(encoding="utf-8"))
    assert stamp.version == str(cff["version"]) == __version__
    assert stamp.commit == _git(repository, "rev-parse", "HEAD")
    assert stamp.timestamp == _commit_timestamp()
    assert stamp.date == datetime.fromisoformat(COMMIT_DATE).astimezone(timezone.utc).date().isoformat()
    assert stamp.date == "2026-01-31"
    assert stamp.archive_name == f"cis-migration-compendium-{__version__}.tar.gz"


def test_a_dirty_tree_is_refused_with_the_files_named(repository, tmp_path, monkeypatch):
    (repository / "README.md").write_text("changed\n")
    (repository / "data" / "datapackage.json").write_text("{}\n")
    (repository / "notes.txt").write_text("untracked files do not make the tree dirty\n")
    # A refused release deletes nothing: the earlier build and results stay.
    build, results_dir = tmp_path / "_build", tmp_path / "results"
    for folder in (build, results_dir):
        folder.mkdir()
        (folder / "kept.txt").write_text("kept")
    monkeypatch.setattr(paths, "BUILD_DIR", build)
    monkeypatch.setattr(paths, "RESULTS_DIR", results_dir)
    monkeypatch.setattr(paths, "BOOK_RESULTS_DIR", results_dir)
    with pytest.raises(release.ReleaseError) as error:
        release.release(root=repository, dist=tmp_path / "dist")
    message = str(error.value)
    assert "dirty" in message and "README.md" in message and "data/datapackage.json" in message
    assert "notes.txt" not in message and "Commit or stash" in message
    assert (build / "kept.txt").is_file() and (results_dir / "kept.txt").is_file()
    assert not (tmp_path / "dist").exists()


def test_untracked_files_alone_do_not_block_a_release(repository):
    (repository / "notes.txt").write_text("scratch\n")
    assert release.release_candidate(repository).commit == _git(repository, "rev-parse", "HEAD")


@pytest.mark.parametrize("edit, words", [
    (lambda root: (root / "CITATION.cff").write_text(
        (root / "CITATION.cff").read_text().replace(f"version: {__version__}", "version: 9.9.9")),
     ["says version 9.9.9", f"package is {__version__}", "pyproject.toml"]),
    (lambda root: (root / "CHANGELOG.md").write_text("# Changelog\n\n## 0.0.1\n"),
     ["CHANGELOG.md has no section for version", f"## [{__version__}]"]),
    (lambda root: (root / "CHANGELOG.md").unlink(), ["CHANGELOG.md has no section"]),
])
def test_metadata_that_disagrees_is_refused(repository, edit, words):
    edit(repository)
    _git(repository, "commit", "-q", "-am", "edit")
    with pytest.raises(release.ReleaseError) as error:
        release.release_candidate(repository)
    for word in words:
        assert word in str(error.value)


def test_a_release_never_empties_a_runs_results_folder(repository, tmp_path, monkeypatch):
    run_folder = tmp_path / "runs" / "05-remittances-1"
    (run_folder / "figures").mkdir(parents=True)
    monkeypatch.setattr(paths, "RESULTS_DIR", run_folder)
    with pytest.raises(release.ReleaseError, match=f"Unset {paths.RESULTS_ENV}"):
        release.release(root=repository, dist=tmp_path / "dist")
    assert (run_folder / "figures").is_dir()


def test_outside_a_repository_nothing_is_released(tmp_path):
    with pytest.raises(release.ReleaseError, match="not a git repository"):
        release.release_candidate(tmp_path)


# ---- what the release does, in order ------------------------------------------------------

def test_release_builds_from_scratch_with_the_stamp_then_removes_it(repository, small_book, tmp_path, monkeypatch):
    build, results_dir = tmp_path / "_build", tmp_path / "results-book"
    stamp_file = build / "release.json"
    (results_dir / "stale").mkdir(parents=True)
    (results_dir / "stale" / "old.csv").write_text("left by an earlier run")
    for name, value in (("BUILD_DIR", build), ("RESULTS_DIR", results_dir), ("BOOK_RESULTS_DIR", results_dir),
                        ("RELEASE_STAMP", stamp_file), ("HTML_DIR", small_book["html_dir"])):
        monkeypatch.setattr(paths, name, value)
    seen = {}

    def build_book(root):
        seen["stamp during the build"] = release.read_stamp()
        seen["stale results"] = (results_dir / "stale").exists()
        shutil.copytree(small_book["results_dir"], results_dir)

    monkeypatch.setattr(release, "find_chromium", lambda: Path("/usr/bin/chromium"))
    monkeypatch.setattr(release, "build_book", build_book)
    monkeypatch.setattr(release, "build_pdf", lambda root: small_book["pdf"])
    archive = release.release(root=repository, dist=tmp_path / "dist")
    assert seen["stamp during the build"] == release.release_candidate(repository)
    assert seen["stale results"] is False
    assert not stamp_file.exists()
    assert release.read_stamp() is None
    assert archive == tmp_path / "dist" / f"cis-migration-compendium-{__version__}.tar.gz"
    assert not any("stale" in member.name for member in _members(archive))


def test_a_failed_build_leaves_no_stamp_behind(repository, tmp_path, monkeypatch):
    stamp_file = tmp_path / "_build" / "release.json"
    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path / "_build")
    monkeypatch.setattr(paths, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setattr(paths, "BOOK_RESULTS_DIR", tmp_path / "results")
    monkeypatch.setattr(paths, "RELEASE_STAMP", stamp_file)
    monkeypatch.setattr(release, "find_chromium", lambda: Path("/usr/bin/chromium"))

    def failing_build(root):
        assert stamp_file.is_file()
        raise release.ReleaseError("a notebook failed")

    monkeypatch.setattr(release, "build_book", failing_build)
    with pytest.raises(release.ReleaseError, match="a notebook failed"):
        release.release(root=repository, dist=tmp_path / "dist")
    assert not stamp_file.exists()


# ---- the archive ------------------------------------------------------------------------------

def test_the_archive_holds_what_the_issue_lists(small_archive, repository):
    top = f"cis-migration-compendium-{__version__}"
    files = {m.name.removeprefix(top + "/") for m in _members(small_archive) if m.isfile()}
    for required in ("html/index.html", "html/book/intro.html", f"{top}.pdf", "results/index.json",
                     "results/figures/fig-x.svg", "data/datapackage.json", "CITATION.cff", "constraints.txt",
                     "README.md", "LICENSE", "CHANGELOG.md", "MANIFEST.sha256", ".zenodo.json", "codemeta.json"):
        assert required in files, required
    assert "html/.buildinfo" not in files
    assert {name for name in files if name.startswith("data/")} == set(results.tracked_files(repository, "data"))


def test_members_are_sorted_dated_at_the_commit_and_owned_by_0_with_fixed_modes(small_archive):
    members = _members(small_archive)
    names = [m.name for m in members]
    assert names == sorted(names)
    for member in members:
        assert member.mtime == _commit_timestamp()
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
    small_book["pdf"].write_bytes(_fake_pdf(b"D:20300101000000+00'00'"))
    second = release.write_archive(stamp, **small_book, root=repository, dist=tmp_path / "two")
    assert first.read_bytes() == second.read_bytes()
    assert (tmp_path / "one" / ".zenodo.json").read_bytes() == (tmp_path / "two" / ".zenodo.json").read_bytes()


def test_the_manifest_and_the_sha256_file_pass_sha256sum(small_archive, tmp_path):
    folder = _unpack(small_archive, tmp_path / "unpacked")
    listed = (folder / "MANIFEST.sha256").read_text().splitlines()
    assert len(listed) == sum(1 for p in folder.rglob("*") if p.is_file()) - 1
    checked = subprocess.run(["sha256sum", "--check", "--strict", "MANIFEST.sha256"], cwd=folder,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    beside = subprocess.run(["sha256sum", "--check", "--strict", small_archive.name + ".sha256"],
                            cwd=small_archive.parent, capture_output=True, text=True)
    assert beside.returncode == 0, beside.stdout + beside.stderr


def test_a_different_archive_of_a_released_version_is_refused(repository, small_book, small_archive):
    stamp = release.release_candidate(repository)
    (small_book["results_dir"] / "index.json").write_text('{"tbl-y": {}}\n')
    with pytest.raises(release.ReleaseError, match="already holds a different archive"):
        release.write_archive(stamp, **small_book, root=repository, dist=small_archive.parent)


def test_missing_built_files_are_named(repository, small_book, tmp_path):
    small_book["pdf"].unlink()
    with pytest.raises(release.ReleaseError, match=r"book\.pdf is missing; build the PDF \(make pdf\)"):
        release.write_archive(release.release_candidate(repository), **small_book, root=repository,
                              dist=tmp_path / "dist")


# ---- CITATION.cff at release time, and the deposit metadata made from it ----------------------------

def test_the_released_citation_gains_the_release_date_and_keeps_its_comments(small_archive, tmp_path):
    folder = _unpack(small_archive, tmp_path / "unpacked")
    released = (folder / "CITATION.cff").read_text(encoding="utf-8")
    original = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert released == original.replace(f"version: {__version__}\n",
                                        f'version: {__version__}\ndate-released: "2026-01-31"\n')
    assert yaml.safe_load(released)["date-released"] == "2026-01-31"


def test_an_earlier_release_date_is_replaced():
    stamp = release.ReleaseStamp("1.0.0", "0" * 40, _commit_timestamp())
    text = "cff-version: 1.2.0\ndate-released: 2020-01-01\nversion: 1.0.0\ntitle: t\n"
    assert release.stamped_citation(text, stamp) == \
        'cff-version: 1.2.0\nversion: 1.0.0\ndate-released: "2026-01-31"\ntitle: t\n'
    with pytest.raises(release.ReleaseError, match="no top-level `version:` line"):
        release.stamped_citation("title: t\n", stamp)


def _released_cff(**changes) -> dict:
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cff["date-released"] = "2026-01-31"
    cff.update(changes)
    return cff


def test_zenodo_metadata_is_the_citation_file(small_archive):
    zenodo = json.loads((small_archive.parent / ".zenodo.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert zenodo["title"] == cff["title"]
    assert zenodo["description"] == cff["abstract"]
    assert zenodo["version"] == str(cff["version"])
    assert zenodo["license"] == cff["license"]
    assert zenodo["keywords"] == cff["keywords"]
    assert zenodo["creators"] == [{"name": author["name"]} for author in cff["authors"]]
    assert zenodo["publication_date"] == "2026-01-31"
    assert zenodo["upload_type"] == cff["type"] == "software"
    # Only what the CFF knows is related: the paper's DOI (else its URL), then the repository.
    paper = cff["references"][0]
    expected = [{"identifier": paper[key], "relation": "isSupplementTo", "scheme": key}
                for key in ("doi", "url") if paper.get(key)][:1]
    if cff.get("repository-code"):
        expected.append({"identifier": cff["repository-code"], "relation": "isSupplementTo", "scheme": "url"})
    assert zenodo.get("related_identifiers", []) == expected


def test_zenodo_relates_the_paper_and_the_repository_when_known():
    cff = _released_cff(**{"repository-code": "https://git.example.org/cis/compendium"})
    cff["references"][0]["doi"] = "10.1234/paper.5678"
    cff["authors"].append({"family-names": "Gogh", "name-particle": "van", "given-names": "Vincent",
                           "orcid": "https://orcid.org/0000-0002-1825-0097", "affiliation": "Somewhere"})
    zenodo = release.zenodo_metadata(cff)
    assert zenodo["related_identifiers"] == [
        {"identifier": "10.1234/paper.5678", "relation": "isSupplementTo", "scheme": "doi"},
        {"identifier": "https://git.example.org/cis/compendium", "relation": "isSupplementTo", "scheme": "url"},
    ]
    assert zenodo["creators"][-1] == {"name": "van Gogh, Vincent", "affiliation": "Somewhere",
                                      "orcid": "0000-0002-1825-0097"}


def test_codemeta_is_the_citation_file(small_archive):
    meta = json.loads((small_archive.parent / "codemeta.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    paper = cff["references"][0]
    assert meta["@context"] == "https://w3id.org/codemeta/3.0"
    assert meta["@type"] == "SoftwareSourceCode"
    assert (meta["name"], meta["description"], meta["version"]) == (cff["title"], cff["abstract"], cff["version"])
    assert meta["license"] == f"https://spdx.org/licenses/{cff['license']}"
    assert meta["datePublished"] == "2026-01-31"
    assert meta["author"] == [{"@type": "Organization", "name": a["name"]} for a in cff["authors"]]
    assert meta["referencePublication"] == {
        "@type": "CreativeWork", "name": paper["title"], "datePublished": str(paper["year"]),
        "author": [{"@type": "Person", "givenName": a["given-names"], "familyName": a["family-names"]}
                   for a in paper["authors"]],
    }


def test_a_list_of_licences_is_refused_by_name():
    with pytest.raises(release.ReleaseError, match="a deposit takes one SPDX id"):
        release.zenodo_metadata(_released_cff(license=["MIT", "CC-BY-4.0"]))


# ---- the verifier -----------------------------------------------------------------------------

def test_an_intact_archive_verifies(small_archive):
    outcome = release.verify_archive(small_archive)
    assert outcome.problems == []
    assert outcome.sidecar == small_archive.with_name(small_archive.name + ".sha256")
    assert outcome.files == sum(1 for member in _members(small_archive) if member.isfile()) - 1  # all but the manifest


def test_one_changed_byte_is_named(small_archive, tmp_path):
    def flip_one_byte(name, data):
        return data[:2] + bytes([data[2] ^ 1]) + data[3:] if name == "results/index.json" else data

    changed = _rewrite(small_archive, tmp_path / "changed" / small_archive.name, flip_one_byte)
    assert release.verify_archive(changed).problems == [release.Problem("changed", "results/index.json")]
    # Beside the published .sha256, the archive itself is reported too.
    shutil.copyfile(small_archive.with_name(small_archive.name + ".sha256"),
                    changed.with_name(changed.name + ".sha256"))
    assert [p.kind for p in release.verify_archive(changed).problems] == ["changed", "changed"]
    result = CliRunner().invoke(cli.main, ["verify", str(changed)])
    assert result.exit_code == 1
    assert "changed: results/index.json" in result.output


def test_missing_and_extra_files_are_named(small_archive, tmp_path):
    def drop_readme_and_add_a_file(name, data):
        if name == "README.md":
            return None
        return data

    rewritten = _rewrite(small_archive, tmp_path / "x" / small_archive.name, drop_readme_and_add_a_file)
    with tarfile.open(rewritten, "r:gz") as source:
        members = [(m, source.extractfile(m).read() if m.isfile() else None) for m in source.getmembers()]
    extra = tarfile.TarInfo(members[0][0].name + "/results/smuggled.csv")
    extra.size = 3
    with tarfile.open(rewritten, "w:gz") as target:
        for member, data in members:
            target.addfile(member, io.BytesIO(data) if data is not None else None)
        target.addfile(extra, io.BytesIO(b"1,2"))
    assert release.verify_archive(rewritten).problems == [
        release.Problem("missing", "README.md"), release.Problem("extra", "results/smuggled.csv")]


def test_a_corrupted_byte_of_the_compressed_file_is_caught(small_archive):
    content = bytearray(small_archive.read_bytes())
    content[len(content) // 2] ^= 0xFF
    small_archive.write_bytes(bytes(content))
    try:
        problems = release.verify_archive(small_archive).problems
    except DataValidationError as error:
        assert "not a readable .tar.gz" in str(error)
    else:
        assert problems, "a changed byte of the archive went unnoticed"


def test_bad_input_gets_one_clear_error(tmp_path):
    with pytest.raises(DataUnavailableError, match=r"nothing\.tar\.gz: no such file"):
        release.verify_archive(tmp_path / "nothing.tar.gz")
    text = tmp_path / "notes.tar.gz"
    text.write_text("just text")
    with pytest.raises(DataValidationError, match=r"notes\.tar\.gz: not a readable \.tar\.gz"):
        release.verify_archive(text)
    no_manifest = tmp_path / "plain.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as archive:
        info = tarfile.TarInfo("plain/README.md")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(DataValidationError, match=r"expected one top folder holding MANIFEST\.sha256"):
        release.verify_archive(no_manifest)
    result = CliRunner().invoke(cli.main, ["verify", str(tmp_path / "nothing.tar.gz")])
    assert result.exit_code == 1
    assert result.output.count("error:") == 1 and "no such file" in result.output


def test_a_broken_manifest_line_is_named(small_archive, tmp_path):
    broken = _rewrite(small_archive, tmp_path / "b" / small_archive.name,
                      lambda name, data: data + b"not a hash line\n" if name == "MANIFEST.sha256" else data)
    with pytest.raises(DataValidationError, match=r"MANIFEST\.sha256 line \d+ is not"):
        release.verify_archive(broken)


def test_verify_on_the_command_line(small_archive):
    result = CliRunner().invoke(cli.main, ["verify", str(small_archive)])
    assert result.exit_code == 0, result.output
    assert "ok: all" in result.output and "matches cis-migration-compendium" in result.output


# ---- what the pages say -------------------------------------------------------------------------

def test_pages_say_development_build_without_a_stamp(tmp_path):
    assert release.read_stamp(tmp_path / "release.json") is None
    assert release.build_statement(None).startswith("**Development build.**")
    assert release.cited_build(None).commit != "a" * 40  # the checked-out commit (tests/book/test_citation.py)


def test_pages_name_the_release_and_where_its_sha256_is(tmp_path):
    stamp = release.ReleaseStamp("1.2.3", "a" * 40, _commit_timestamp())
    path = tmp_path / "release.json"
    path.write_text(json.dumps(asdict(stamp)))
    assert release.read_stamp(path) == stamp
    text = release.build_statement(stamp)
    for words in ("Release 1.2.3", "a" * 40, "2026-01-31", "cis-migration-compendium-1.2.3.tar.gz.sha256",
                  "compendium verify"):
        assert words in text
    assert (release.cited_build(stamp).commit, release.cited_build(stamp).metadata["date-released"]) == (
        "a" * 40, "2026-01-31")


def test_the_stamp_is_recorded_as_an_input_even_when_absent(tmp_path, monkeypatch):
    log = tmp_path / "reads.txt"
    monkeypatch.setenv(paths.READ_LOG_ENV, str(log))
    release.read_stamp(tmp_path / "release.json")
    assert str((tmp_path / "release.json").resolve()) in log.read_text()


# ---- the real book (slow) -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_archives(built_book, tmp_path_factory) -> tuple[Path, Path]:
    """The session's built book archived twice, the second time from a touched copy."""
    commit, _ = results.git_state()
    stamp = release.ReleaseStamp(__version__, commit, results.commit_time())
    scratch = tmp_path_factory.mktemp("real")
    pdf = scratch / "book.pdf"
    pdf.write_bytes(_fake_pdf())
    first = release.write_archive(stamp, html_dir=built_book, pdf=pdf, results_dir=paths.RESULTS_DIR,
                                  dist=scratch / "one")
    copy = shutil.copytree(built_book, scratch / "html")
    for path in copy.rglob("*"):
        os.utime(path, (1, 1))
    pdf.write_bytes(_fake_pdf(b"D:20300101000000+00'00'"))
    second = release.write_archive(stamp, html_dir=copy, pdf=pdf, results_dir=paths.RESULTS_DIR,
                                   dist=scratch / "two")
    return first, second


@pytest.mark.slow
def test_two_archives_of_the_built_book_are_byte_identical(real_archives):
    first, second = real_archives
    assert first.read_bytes() == second.read_bytes()
    assert release.verify_archive(first).problems == []


# Elements that make the browser load a file as the page opens (an <a> only links).
ASSET_ATTRIBUTES = {"script": "src", "link": "href", "img": "src", "source": "src", "iframe": "src",
                    "embed": "src", "video": "src", "audio": "src", "object": "data", "input": "src"}


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
    (tmp_path / "a.html").write_text('<script src="https://cdn.example.org/x.js"></script>'
                                     '<link rel="stylesheet" href="/_static/a.css"><img src="gone.png">'
                                     '<a href="https://example.org/">a reference is fine</a>')
    assert offline_problems(tmp_path) == ["a.html: remote <script src> https://cdn.example.org/x.js",
                                          "a.html: absolute <link href> /_static/a.css",
                                          "a.html: <img src> gone.png is not in the archive"]


@pytest.mark.slow
def test_the_archived_html_opens_offline_from_the_unpacked_folder(real_archives, tmp_path):
    folder = _unpack(real_archives[0], tmp_path)
    html = folder / "html"
    assert (html / "index.html").is_file()
    assert offline_problems(html) == []
    assert len(list(html.rglob("*.html"))) > 20  # the whole book was scanned, not an empty folder


@pytest.mark.slow
def test_the_archived_manifest_passes_sha256sum(real_archives, tmp_path):
    folder = _unpack(real_archives[0], tmp_path)
    checked = subprocess.run(["sha256sum", "--check", "--strict", "--quiet", "MANIFEST.sha256"], cwd=folder,
                             capture_output=True, text=True)
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
    pinned = release.pin_pdf_dates(original, _commit_timestamp())
    assert len(pinned) == len(original)  # every cross-reference offset still holds
    reader = PdfReader(io.BytesIO(pinned))
    expected = datetime.fromisoformat(COMMIT_DATE).astimezone(timezone.utc)
    assert reader.metadata.creation_date == expected
    assert reader.metadata.modification_date == expected
    assert len(reader.pages) == len(PdfReader(io.BytesIO(original)).pages) == 1


def test_a_pdf_date_of_another_length_is_refused():
    with pytest.raises(release.ReleaseError, match="not as long as"):
        release.pin_pdf_dates(_fake_pdf(b"D:20260101120000Z"), _commit_timestamp())
    with pytest.raises(release.ReleaseError, match="no /CreationDate"):
        release.pin_pdf_dates(b"%PDF-1.4\n%%EOF\n", _commit_timestamp())


# ---- the execution table of a release build --------------------------------------------------------

def test_a_release_build_leaves_the_times_out_of_the_execution_table():
    data = {"chapters/01": {"exec_data": {"mtime": 1.0, "runtime": 2.5, "method": "cache", "succeeded": True,
                                          "error": None}},
            "book/intro": {"has_exec_table": False}}
    untimed = release.untimed_execution_data(data)
    assert untimed["chapters/01"]["exec_data"] == {"mtime": None, "runtime": None, "method": "cache",
                                                   "succeeded": True, "error": None}
    assert untimed["book/intro"] == {"has_exec_table": False}
    assert data["chapters/01"]["exec_data"]["mtime"] == 1.0  # the build's own record is left alone
