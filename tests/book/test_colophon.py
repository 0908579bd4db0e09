"""The colophon reports the real commit and versions, and records what makes it stale."""

from __future__ import annotations

import subprocess

import numpy
import pytest

from analysis import paths
from analysis.files import input_digest, reads_in
from compendium import colophon


def _git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def repository(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    (root / "a.txt").write_text("one\n")
    _git(root, "add", "a.txt")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one")
    return root


def test_build_state_reports_the_commit_and_worktree(repository):
    state = colophon.build_state(repository)["value"]
    assert state["git commit"] == _git(repository, "rev-parse", "HEAD")
    assert state["worktree"] == "clean"
    (repository / "a.txt").write_text("changed\n")
    assert colophon.build_state(repository)["value"]["worktree"] == "dirty"


def test_a_new_commit_changes_what_the_colophon_read(repository, tmp_path, monkeypatch):
    """The build re-executes a notebook when a file it read changes: a commit must change one."""
    log = tmp_path / "reads.txt"
    monkeypatch.setenv(paths.READ_LOG_ENV, str(log))
    colophon.build_state(repository)
    reads = reads_in(log)
    assert any(entry.endswith("refs/heads/main") for entry in reads)
    before = {entry: input_digest(entry) for entry in reads}
    (repository / "a.txt").write_text("two\n")
    _git(repository, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-am", "two")
    after = {entry: input_digest(entry) for entry in reads}
    assert before != after


def test_package_versions_are_the_installed_ones(tmp_path, monkeypatch):
    log = tmp_path / "reads.txt"
    monkeypatch.setenv(paths.READ_LOG_ENV, str(log))
    table = colophon.package_versions(("numpy", "surely-not-a-package-xyz"))
    assert table.loc["numpy", "version"] == numpy.__version__
    assert table.loc["surely-not-a-package-xyz", "version"] == colophon.NOT_INSTALLED
    # numpy's metadata file is recorded, so another numpy version re-executes the colophon.
    assert any(f"numpy-{numpy.__version__}.dist-info" in entry for entry in reads_in(log))


def test_outside_a_repository_the_commit_is_unknown(tmp_path):
    assert colophon.build_state(tmp_path)["value"]["git commit"] == "unknown"
