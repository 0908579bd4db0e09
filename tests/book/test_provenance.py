"""What a run records of its code and data: the one git-state rule, the data files' hashes, the key packages."""

from __future__ import annotations

import csv
import hashlib
import subprocess

import pandas
import pytest

from analysis import paths
from analysis.results import dirty_files, git_state
from compendium import colophon, provenance
from helpers.toy_chapter import TABLE1_CSV


def git_head():
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True).stdout.strip()


def test_the_snapshot_hashes_the_data_files_and_names_the_commit():
    before = git_head()  # others may commit meanwhile
    state = provenance.snapshot()
    after = git_head()
    expected = hashlib.sha256(TABLE1_CSV.read_bytes()).hexdigest()
    assert state["data"]["package"]["data/paper/table1_living_standards.csv"] == expected
    assert state["git"]["commit"] in (before, after)


def test_the_snapshot_hashes_the_external_files_present_in_the_cache(tmp_path, monkeypatch):
    with (paths.DATA_DIR / "external" / "registry.csv").open(newline="", encoding="utf-8") as handle:
        names = [row["file"] for row in csv.DictReader(handle)]
    (tmp_path / names[0]).write_bytes(b"not the pinned bytes")
    monkeypatch.setenv(paths.DATA_CACHE_ENV, str(tmp_path))
    external = provenance.snapshot()["data"]["external"]
    assert external["cache_dir"] == str(tmp_path)
    assert external["files"][names[0]] == hashlib.sha256(b"not the pinned bytes").hexdigest()
    assert {external["files"][name] for name in names[1:]} == {"absent"}


# ---- one git-state rule, for the results, the colophon, a release and a run ----------------------------


def _git(root, *args):
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args], capture_output=True, check=True
    ).stdout


@pytest.fixture
def repository(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.txt").write_text("one\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "a.txt")
    _git(root, "commit", "-q", "-m", "one")
    monkeypatch.setattr(paths, "ROOT", root)
    return root


def test_untracked_files_leave_the_tree_clean_for_every_reader(repository):
    (repository / "results.csv").write_text("output nobody added\n")
    assert git_state(repository)[1] == "clean" and dirty_files(repository) == []
    assert provenance.source_state() == {
        "commit": _git(repository, "rev-parse", "HEAD").decode().strip(),
        "dirty": False,
        "changes_sha256": None,
    }


def test_a_tracked_change_makes_it_dirty_and_is_hashed_as_git_diff_shows_it(repository):
    (repository / "a.txt").write_text("two\n")
    state = provenance.source_state()
    assert git_state(repository)[1] == "dirty" and dirty_files(repository) == ["a.txt"]
    assert state["dirty"] is True
    assert state["changes_sha256"] == hashlib.sha256(_git(repository, "diff", "HEAD", "--binary")).hexdigest()
    (repository / "notes.txt").write_text("an untracked file changes nothing\n")
    assert provenance.source_state() == state
    (repository / "a.txt").write_text("three\n")
    assert provenance.source_state()["changes_sha256"] != state["changes_sha256"]


def test_outside_git_the_state_is_unknown(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    state = provenance.source_state()
    assert (state["commit"], state["dirty"]) == (None, None) and "not a git checkout" in state["note"]


# ---- one list of key packages -------------------------------------------------------------------


def test_the_colophon_and_a_runs_manifest_list_the_same_packages():
    assert list(colophon.package_versions().index) == list(provenance.package_versions())
    # The chapters 12 and 13 fit their models with these: another version may change the book's numbers.
    assert {"pyfixest", "pysyncon", "statsmodels", "cis-migration-compendium"} <= set(provenance.KEY_PACKAGES)


def test_a_missing_package_has_no_version():
    assert provenance.package_versions(("pandas", "surely-not-a-package-xyz")) == {
        "pandas": pandas.__version__,
        "surely-not-a-package-xyz": None,
    }
