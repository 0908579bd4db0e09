"""Fixtures of the release tests, which several test modules share; their code is in helpers.release_archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium import release
from helpers.release_archive import make_repository, make_small_book


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository with the project's top files and data, committed at COMMIT_DATE."""
    return make_repository(tmp_path)


@pytest.fixture
def small_book(tmp_path) -> dict:
    """A stand-in for the built book: two pages, a style sheet, a results folder and a PDF."""
    return make_small_book(tmp_path)


@pytest.fixture
def small_archive(repository, small_book, tmp_path) -> Path:
    """The small book archived as a release of the repository's commit, in tmp_path/dist."""
    stamp = release.release_candidate(repository)
    return release.write_archive(stamp, **small_book, root=repository, dist=tmp_path / "dist")
