"""The release routine: refused on a dirty tree or disagreeing metadata, built from scratch, and what the pages say.

These tests work in a small git repository holding copies of the project's top files and
data, with a stand-in book (tests/helpers/release_archive.py).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from analysis import __version__, paths
from compendium import release
from helpers.release_archive import COMMIT_DATE, commit_timestamp, git, members

# ---- is the commit fit for a release? -------------------------------------------------------


def test_a_clean_commit_gives_its_version_commit_and_utc_date(repository):
    stamp = release.release_candidate(repository)
    cff = yaml.safe_load((repository / "CITATION.cff").read_text(encoding="utf-8"))
    assert stamp.version == str(cff["version"]) == __version__
    assert stamp.commit == git(repository, "rev-parse", "HEAD")
    assert stamp.timestamp == commit_timestamp()
    assert stamp.date == datetime.fromisoformat(COMMIT_DATE).astimezone(UTC).date().isoformat()
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
    assert release.release_candidate(repository).commit == git(repository, "rev-parse", "HEAD")


@pytest.mark.parametrize(
    "edit, words",
    [
        (
            lambda root: (root / "CITATION.cff").write_text(
                (root / "CITATION.cff").read_text().replace(f"version: {__version__}", "version: 9.9.9")
            ),
            ["says version 9.9.9", f"package is {__version__}", "pyproject.toml"],
        ),
        (
            lambda root: (root / "CHANGELOG.md").write_text("# Changelog\n\n## 0.0.1\n"),
            ["CHANGELOG.md has no section for version", f"## [{__version__}]"],
        ),
        (lambda root: (root / "CHANGELOG.md").unlink(), ["CHANGELOG.md has no section"]),
    ],
)
def test_metadata_that_disagrees_is_refused(repository, edit, words):
    edit(repository)
    git(repository, "commit", "-q", "-am", "edit")
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
    for name, value in (
        ("BUILD_DIR", build),
        ("RESULTS_DIR", results_dir),
        ("BOOK_RESULTS_DIR", results_dir),
        ("RELEASE_STAMP", stamp_file),
        ("HTML_DIR", small_book["html_dir"]),
    ):
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
    assert not any("stale" in member.name for member in members(archive))


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


# ---- what the pages say -------------------------------------------------------------------------


def test_pages_say_development_build_without_a_stamp(tmp_path):
    assert release.read_stamp(tmp_path / "release.json") is None
    assert release.build_statement(None).startswith("**Development build.**")
    assert release.cited_build(None).commit != "a" * 40  # the checked-out commit (tests/book/test_citation.py)


def test_pages_name_the_release_and_where_its_sha256_is(tmp_path):
    stamp = release.ReleaseStamp("1.2.3", "a" * 40, commit_timestamp())
    path = tmp_path / "release.json"
    path.write_text(json.dumps(asdict(stamp)))
    assert release.read_stamp(path) == stamp
    text = release.build_statement(stamp)
    for words in (
        "Release 1.2.3",
        "a" * 40,
        "2026-01-31",
        "cis-migration-compendium-1.2.3.tar.gz.sha256",
        "compendium verify",
    ):
        assert words in text
    assert (release.cited_build(stamp).commit, release.cited_build(stamp).metadata["date-released"]) == (
        "a" * 40,
        "2026-01-31",
    )


def test_the_stamp_is_recorded_as_an_input_even_when_absent(tmp_path, monkeypatch):
    log = tmp_path / "reads.txt"
    monkeypatch.setenv(paths.READ_LOG_ENV, str(log))
    release.read_stamp(tmp_path / "release.json")
    assert str((tmp_path / "release.json").resolve()) in log.read_text()


# ---- the execution table of a release build --------------------------------------------------------


def test_a_release_build_leaves_the_times_out_of_the_execution_table():
    data = {
        "chapters/01": {
            "exec_data": {"mtime": 1.0, "runtime": 2.5, "method": "cache", "succeeded": True, "error": None}
        },
        "book/intro": {"has_exec_table": False},
    }
    untimed = release.untimed_execution_data(data)
    assert untimed["chapters/01"]["exec_data"] == {
        "mtime": None,
        "runtime": None,
        "method": "cache",
        "succeeded": True,
        "error": None,
    }
    assert untimed["book/intro"] == {"has_exec_table": False}
    assert data["chapters/01"]["exec_data"]["mtime"] == 1.0  # the build's own record is left alone
