"""The pinned public files: their registry, and fetching them by URL and sha256.

``data/external/registry.csv`` lists each file with its URL, sha256, licence
and citation. :func:`fetch` returns the path of a verified copy in the cache
folder (``CIS_COMPENDIUM_DATA``, else pooch's per-user cache).

Policy, decided here and relied on by the tests:

- A copy that is present with the pinned sha256 is used as it is; nothing is
  written, so the cache may be read-only (as the team's mirror is).
- A copy that is present with another sha256 is refused with
  :class:`DataValidationError`. It is never replaced by a silent re-download:
  a changed file is a finding to report, and offline there would be nothing
  to replace it with. Delete it by hand to download it again.
- A missing copy is downloaded with pooch, which checks the sha256. If that
  fails (offline, URL gone, bytes changed), :class:`DataUnavailableError` or
  :class:`DataValidationError` names the file, the URL, the expected hash and
  the variable to set. There is never a fallback to another copy.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from analysis import paths
from analysis.errors import DataUnavailableError, DataValidationError, ParameterError
from analysis.files import file_sha256, record_read

REGISTRY_CSV = paths.DATA_DIR / "external" / "registry.csv"
REGISTRY_COLUMNS = (
    "file",
    "url",
    "sha256",
    "bytes",
    "licence",
    "publisher",
    "citation",
    "edition",
    "years",
    "contents",
)
POOCH_CACHE_NAME = "cis-compendium"
DOWNLOAD_RETRIES = 1
DOWNLOAD_TIMEOUT_S = 60


@cache
def _registry_rows(registry_csv: Path) -> tuple[dict, ...]:
    if not registry_csv.is_file():
        raise DataUnavailableError(
            f"{registry_csv}: the registry of public data files is missing. "
            "Restore it with git checkout -- data/external/registry.csv."
        )
    with registry_csv.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in REGISTRY_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise DataValidationError(
                f"{registry_csv}: columns {missing} are missing; expected {list(REGISTRY_COLUMNS)}. "
                "Restore the file with git checkout."
            )
        rows = tuple(reader)
    for line, row in enumerate(rows, start=2):
        digest = row["sha256"]
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise DataValidationError(
                f"{registry_csv}, line {line} ({row['file']}): column 'sha256' holds {digest!r}, "
                "expected 64 lower-case hex digits. Copy the hash from the data's SOURCES.csv."
            )
    return rows


def table(registry_csv: Path = REGISTRY_CSV):
    """The registry as a DataFrame, one row per file."""
    import pandas as pd

    return pd.DataFrame(list(_registry_rows(Path(registry_csv))), columns=list(REGISTRY_COLUMNS))


def entry(filename: str, registry_csv: Path = REGISTRY_CSV) -> dict:
    """The registry row of one file, as a dict."""
    rows = {row["file"]: row for row in _registry_rows(Path(registry_csv))}
    if filename not in rows:
        raise ParameterError(f"filename={filename!r} is not in {registry_csv}. Known files: {', '.join(sorted(rows))}.")
    return dict(rows[filename])


def edition(filename: str) -> str:
    """The edition label the registry gives a file (e.g. 'WDI 2025')."""
    return entry(filename)["edition"]


def cache_dir() -> Path:
    """Where the files are looked for and downloaded to."""
    configured = paths.external_cache_dir()
    if configured is not None:
        return configured
    import pooch

    return Path(pooch.os_cache(POOCH_CACHE_NAME))


def _how_to_fix(filename: str, url: str) -> str:
    return (
        f"To fix: with internet access, unset {paths.DATA_CACHE_ENV} (or point it at a writable folder) "
        f"and the file is downloaded from {url}; offline, set {paths.DATA_CACHE_ENV} to a folder that "
        f"holds the pinned copy of {filename} (on the team's machines: ../shared/data/external)."
    )


def fetch(filename: str) -> Path:
    """Path of a verified copy of ``filename``; downloads it only when it is missing."""
    row = entry(filename)
    url, expected = row["url"], row["sha256"]
    folder = cache_dir()
    target = folder / filename
    if target.is_file():
        actual = file_sha256(target)
        if actual != expected:
            raise DataValidationError(
                f"{target}: sha256 is {actual}, but data/external/registry.csv pins {expected} for "
                f"{filename} (from {url}). The copy is corrupt or another edition; it is neither used "
                f"nor replaced. Delete {target} to have it downloaded again, or set "
                f"{paths.DATA_CACHE_ENV} to a folder that holds the pinned copy."
            )
    else:
        target = _download(filename, url, expected, folder)
    record_read(target)  # lets the data-aware build know which chapter read which file
    return target


def _download(filename: str, url: str, expected: str, folder: Path) -> Path:
    import pooch

    store = pooch.create(
        path=folder,
        base_url="",
        registry={filename: f"sha256:{expected}"},
        urls={filename: url},
        retry_if_failed=DOWNLOAD_RETRIES,
        allow_updates=False,
    )
    try:
        return Path(
            store.fetch(filename, downloader=pooch.HTTPDownloader(progressbar=False, timeout=DOWNLOAD_TIMEOUT_S))
        )
    except Exception as exc:  # network, permissions, blocked sockets, changed bytes
        if isinstance(exc, ValueError) and "known hash" in str(exc):
            raise DataValidationError(
                f"{filename}: the bytes downloaded from {url} do not have the pinned sha256 {expected} "
                f"({exc}). The URL no longer serves the pinned edition; nothing was kept. " + _how_to_fix(filename, url)
            ) from exc
        raise DataUnavailableError(
            f"{filename} is not in the data cache {folder} and could not be downloaded from {url} "
            f"({type(exc).__name__}: {exc}). Expected sha256 {expected}. " + _how_to_fix(filename, url)
        ) from exc


def pinned_hashes(filenames=None) -> dict[str, str]:
    """File -> pinned sha256, for recording the data behind a result."""
    rows = {row["file"]: row["sha256"] for row in _registry_rows(REGISTRY_CSV)}
    if filenames is None:
        return dict(rows)
    return {name: entry(name)["sha256"] for name in filenames}


def verify_all() -> list[Path]:
    """Fetch and verify every registered file (downloads what is missing)."""
    return [fetch(name) for name in table()["file"]]
