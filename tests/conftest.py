"""Shared fixtures.

The paper's text is not part of the project. Tests that check the
transcription read it from ``CIS_COMPENDIUM_PAPER``; without it they skip
with a reason, except under ``CI=true``, where a missing text is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths


def _require_paper_text() -> str:
    path = paths.paper_text_path()
    reason = (
        f"{paths.PAPER_TEXT_ENV} is not set: point it at the paper's plain text "
        "(e.g. ../shared/paper/migrations-in-the-cis-region.txt) to check the transcription"
    )
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"under CI=true the paper checks must run, but {reason}")
        pytest.skip(reason)
    if not path.is_file():
        pytest.fail(f"{paths.PAPER_TEXT_ENV}={path} does not exist; fix the variable")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def paper_text() -> str:
    """The paper's plain text, as one string."""
    return _require_paper_text()


@pytest.fixture(scope="session")
def paper_lines(paper_text: str) -> list[str]:
    """The paper's text split into lines; index i holds line i + 1."""
    return paper_text.splitlines()


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The HTML book, built once per session the way `make book` builds it."""
    result = subprocess.run(
        [sys.executable, "-m", "compendium.build"],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, f"book build failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    return paths.HTML_DIR


@pytest.fixture(scope="session")
def mirror_folder() -> Path:
    """The offline mirror of the pinned public files: CIS_COMPENDIUM_DATA if set, else ../shared/data/external."""
    value = os.environ.get(paths.DATA_CACHE_ENV)
    folder = Path(value) if value else paths.ROOT.parent / "shared" / "data" / "external"
    if not folder.is_dir():
        pytest.fail(f"no data mirror at {folder}; set {paths.DATA_CACHE_ENV} to the folder of the pinned files")
    return folder


@pytest.fixture
def mirror(mirror_folder, monkeypatch) -> Path:
    """The mirror, with CIS_COMPENDIUM_DATA pointing at it for the test."""
    monkeypatch.setenv(paths.DATA_CACHE_ENV, str(mirror_folder))
    return mirror_folder


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/, returning its datapackage.json, for tests that mutate files."""
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    return tmp_path / "data" / "datapackage.json"
