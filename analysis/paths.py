"""Every location the compendium uses, as absolute paths.

This module is the only one that reads the project's environment variables,
so that the book build, papermill, nbval and the tests all resolve the same
files whatever their working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.errors import DataUnavailableError

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent

DATA_DIR = ROOT / "data"
PAPER_DATA_DIR = DATA_DIR / "paper"
DATAPACKAGE = DATA_DIR / "datapackage.json"

BOOK_DIR = ROOT / "book"
CHAPTERS_DIR = ROOT / "chapters"
BIBLIOGRAPHY = BOOK_DIR / "references.bib"
GRIDS_DIR = ROOT / "grids"  # sweep grids shipped for `compendium sweep`
CITATION_FILE = ROOT / "CITATION.cff"
CHANGELOG = ROOT / "CHANGELOG.md"

# Everything below is produced by code and never committed. `compendium run`
# sets CIS_COMPENDIUM_RESULTS to the run's own folder, so that a run never
# writes over the book's results.
RESULTS_ENV = "CIS_COMPENDIUM_RESULTS"
BOOK_RESULTS_DIR = ROOT / "results"
RESULTS_DIR = Path(os.environ[RESULTS_ENV]).resolve() if os.environ.get(RESULTS_ENV) else BOOK_RESULTS_DIR
FIGURES_DIR = RESULTS_DIR / "figures"
RUNS_DIR = ROOT / "runs"
BUILD_DIR = ROOT / "_build"

PAPER_TEXT_ENV = "CIS_COMPENDIUM_PAPER"
DATA_CACHE_ENV = "CIS_COMPENDIUM_DATA"
READ_LOG_ENV = "CIS_COMPENDIUM_READ_LOG"
NETWORK_GUARD_ENV = "CIS_COMPENDIUM_NETWORK_GUARD"  # set by the tests: see compendium/network_guard.py

JUPYTER_CACHE_DIR = BUILD_DIR / ".jupyter_cache"
FINGERPRINTS = JUPYTER_CACHE_DIR / "compendium-fingerprints.json"
HTML_DIR = BUILD_DIR / "html"
SINGLEHTML_DIR = BUILD_DIR / "singlehtml"
PDF_FILE = BUILD_DIR / "pdf" / "book.pdf"
SCREENSHOTS_DIR = BUILD_DIR / "screenshots"
RESULTS_INDEX = RESULTS_DIR / "index.json"
# Written by `compendium release` while it builds, so that the pages name the release; gone after.
RELEASE_STAMP = BUILD_DIR / "release.json"
DIST_DIR = ROOT / "dist"  # release archives and their deposit metadata
# Parsed pinned files (analysis/data/columnar_cache.py): shared by the build and every run, kept by `make clean`.
COLUMNAR_CACHE_DIR = ROOT / ".cache" / "columnar"
# One empty marker per data file content that passed its schema (analysis/data/datapackage.py).
SCHEMA_PASSED_DIR = ROOT / ".cache" / "schema-passed"


def paper_text_path() -> Path | None:
    """Path of the paper's plain text, or None when the variable is unset.

    The text is not redistributed with the project; readers who hold a copy
    point ``CIS_COMPENDIUM_PAPER`` at it.
    """
    value = os.environ.get(PAPER_TEXT_ENV)
    return Path(value).expanduser().resolve() if value else None


def external_cache_dir() -> Path | None:
    """Download cache for the pinned public files, from ``CIS_COMPENDIUM_DATA``.

    None means "use pooch's default per-user cache". A folder that does not
    exist is an error, never created: a mistyped variable would otherwise
    leave an empty folder behind, or fill it with downloads.
    """
    value = os.environ.get(DATA_CACHE_ENV)
    if not value:
        return None
    folder = Path(value).expanduser()
    if folder.is_symlink() and not folder.exists():
        raise DataUnavailableError(
            f"{DATA_CACHE_ENV}={value}: {folder} is a symbolic link to {os.readlink(folder)}, which does not exist. "
            "Point the link, or the variable, at the folder that holds the pinned public data files."
        )
    if not folder.is_dir():
        found = "is a file, not a folder" if folder.exists() else "does not exist"
        raise DataUnavailableError(
            f"{DATA_CACHE_ENV}={value}: {folder.absolute()} {found}. Set it to the folder that holds the pinned "
            "public data files (on the team's machines: ../shared/data/external), create the folder first to "
            f"download into it, or unset {DATA_CACHE_ENV} to use the per-user download cache."
        )
    return folder.resolve()


def read_log_path() -> Path | None:
    """File to which every data file read is appended, when a build or run asks for it."""
    value = os.environ.get(READ_LOG_ENV)
    return Path(value) if value else None


def network_guard_enabled() -> bool:
    """Whether this process must keep off the network except loopback (see compendium/network_guard.py)."""
    return bool(os.environ.get(NETWORK_GUARD_ENV))
