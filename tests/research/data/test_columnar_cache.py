"""The columnar cache of parsed pinned files: keyed by each file's sha256, never trusted without it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.data import columnar_cache
from analysis.data.external import migration, readers, registry

SMALL_FILE = "ddf--datapoints--poverty_percent_people_below_420_a_day--by--geo--time.csv"


def _every_cached_parse():
    """(function, arguments before path and sha256, file) for every parse the cache keeps."""
    for name in readers.source_files():
        yield readers._read_cached, (name,), name
    for name in migration.UNDESA_FILES.values():
        yield migration._undesa_raw, (), name
    for name in (migration.KNOMAD_MIGRANTS, migration.KNOMAD_REMITTANCES):
        yield migration._knomad_raw, (name,), name


def test_every_frame_read_back_from_the_cache_equals_a_fresh_parse(mirror, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "COLUMNAR_CACHE_DIR", tmp_path / "columnar")
    for function, leading, name in _every_cached_parse():
        path = registry.fetch(name)
        arguments = (*leading, str(path), registry.file_sha256(path))
        fresh = function.uncached(*arguments)
        function.forget()
        function(*arguments)  # parses and writes the entry
        function.forget()
        pd.testing.assert_frame_equal(function(*arguments), fresh, check_exact=True)  # read back from its entry
    assert len(list((tmp_path / "columnar").glob(f"*{columnar_cache.ENTRY_SUFFIX}"))) == len(
        list(_every_cached_parse())
    )


@pytest.fixture()
def small_copy(mirror_folder, tmp_path, monkeypatch):
    """One small pinned file in a private data folder and a private cache; counts the parses."""
    folder = tmp_path / "external"
    folder.mkdir()
    shutil.copyfile(mirror_folder / SMALL_FILE, folder / SMALL_FILE)
    monkeypatch.setenv(paths.DATA_CACHE_ENV, str(folder))
    monkeypatch.setattr(paths, "COLUMNAR_CACHE_DIR", tmp_path / "columnar")
    parses = []
    tidy = readers.tidy
    monkeypatch.setattr(readers, "tidy", lambda *args: parses.append(args[1]) or tidy(*args))
    readers._read_cached.forget()
    yield folder / SMALL_FILE, parses
    readers._read_cached.forget()


def _read(copy: Path) -> pd.DataFrame:
    readers._read_cached.forget()  # as in a new process: only the files on disk remain
    return readers._read_cached(SMALL_FILE, str(copy), registry.file_sha256(copy))


def test_a_file_is_parsed_once_then_read_from_its_entry(small_copy):
    copy, parses = small_copy
    first = _read(copy)
    second = _read(copy)
    assert parses == [SMALL_FILE]
    pd.testing.assert_frame_equal(first, second)
    [entry] = paths.COLUMNAR_CACHE_DIR.glob(f"*{columnar_cache.ENTRY_SUFFIX}")
    assert registry.file_sha256(copy) not in entry.name  # keyed by it, not naming it: the key also covers the code
    assert entry == columnar_cache.entry_path(
        readers._read_cached.uncached, {"filename": SMALL_FILE, "path": str(copy), "sha256": registry.file_sha256(copy)}
    )


def test_a_changed_file_gets_a_new_entry_and_the_old_one_goes(small_copy):
    copy, parses = small_copy
    _read(copy)
    [old] = paths.COLUMNAR_CACHE_DIR.glob(f"*{columnar_cache.ENTRY_SUFFIX}")
    text = copy.read_text(encoding="utf-8")
    line = text.splitlines()[1]
    edited = line.rsplit(",", 1)[0] + ",99.5"
    copy.write_text(text.replace(line, edited, 1), encoding="utf-8")
    frame = _read(copy)
    assert parses == [SMALL_FILE, SMALL_FILE]
    geo, year = line.split(",")[:2]
    assert frame.loc[(frame["iso3"] == geo.upper()) & (frame["year"] == int(year)), "value"].tolist() == [99.5]
    [new] = paths.COLUMNAR_CACHE_DIR.glob(f"*{columnar_cache.ENTRY_SUFFIX}")
    assert new != old and not old.exists()


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "drop the digest"])
def test_an_altered_entry_is_never_used_but_parsed_again(small_copy, damage):
    copy, parses = small_copy
    fresh = _read(copy)
    [entry] = paths.COLUMNAR_CACHE_DIR.glob(f"*{columnar_cache.ENTRY_SUFFIX}")
    content = bytearray(entry.read_bytes())
    if damage == "flip a byte":
        content[len(content) // 2] ^= 0xFF
        entry.write_bytes(bytes(content))
    elif damage == "truncate":
        entry.write_bytes(bytes(content[:100]))
    else:
        entry.with_name(entry.name + columnar_cache.DIGEST_SUFFIX).unlink()
    pd.testing.assert_frame_equal(_read(copy), fresh)
    assert parses == [SMALL_FILE, SMALL_FILE]
    _read(copy)
    assert parses == [SMALL_FILE, SMALL_FILE]  # rewritten, and good again


def test_the_key_covers_the_code_that_parses(monkeypatch):
    before = columnar_cache.code_version.__wrapped__()
    digest = columnar_cache.input_digest
    monkeypatch.setattr(
        columnar_cache, "input_digest", lambda file: "edited" if file.endswith("tidy.py") else digest(file)
    )
    assert columnar_cache.code_version.__wrapped__() != before


def test_a_function_without_the_files_hash_cannot_be_cached():
    with pytest.raises(TypeError, match="sha256"):
        columnar_cache.cached(lambda path: None)


def test_notebooks_and_runs_share_the_cache(mirror, tmp_path):
    """A run (with its own results folder) reads the entry the build wrote, without parsing."""
    build = "from analysis.data.external import readers; readers.read_source('wdi.rda')"
    run = (
        "from analysis.data.external import readers\n"
        "def refuse(*args): raise AssertionError('parsed again')\n"
        "readers.tidy = refuse\n"
        "print(len(readers.read_source('wdi.rda')))"
    )
    subprocess.run([sys.executable, "-c", build], check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-c", run],
        capture_output=True,
        text=True,
        env={**os.environ, paths.RESULTS_ENV: str(tmp_path / "run")},
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 100_000


def test_a_cache_that_cannot_be_written_only_costs_a_parse(small_copy, monkeypatch):
    copy, parses = small_copy

    def read_only(contents, *, result=True):
        raise PermissionError(13, "Permission denied", str(next(iter(contents))))

    monkeypatch.setattr(columnar_cache, "write_atomically", read_only)
    first, second = _read(copy), _read(copy)
    pd.testing.assert_frame_equal(first, second)
    assert parses == [SMALL_FILE, SMALL_FILE]
    assert not list(paths.COLUMNAR_CACHE_DIR.glob(f"*{columnar_cache.ENTRY_SUFFIX}"))
