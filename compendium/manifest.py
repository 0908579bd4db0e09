"""A run's ``manifest.json``: what was run, on which code and data, how it ended, and its run key.

A run folder is complete when it holds a manifest: the manifest is written last. The run
key hashes the chapter, all parameter values (defaults included), the notebook, the git
commit and the tracked changes, and every data file the chapter could read, so that a
repeat is recognisable and a sweep can resume.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import shlex
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat
import papermill

from analysis import files, paths
from analysis.files import file_sha256, write_atomically
from compendium import provenance
from compendium.chapters import Chapter
from compendium.values import format_value

MANIFEST = "manifest.json"
PARTIAL_PREFIX = ".partial-"
FAILED_SUFFIX = "-failed"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """A time as a run folder's name starts with it."""
    return moment.strftime("%Y%m%dT%H%M%SZ")


def run_key(chapter: Chapter, values: dict[str, Any], state: dict) -> str:
    identity = {
        "chapter": chapter.slug,
        "parameters": values,
        "notebook_sha256": file_sha256(chapter.notebook),
        "git": {key: state["git"].get(key) for key in ("commit", "changes_sha256")},
        "data": state["data"],
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()


def reproduce_command(chapter: Chapter, given: dict[str, Any]) -> str:
    options = "".join(f" -p {key} {shlex.quote(format_value(value))}" for key, value in given.items())
    return f"compendium run {shlex.quote(chapter.command_name)}{options}"


def new_manifest(
    chapter: Chapter, given: dict[str, Any], values: dict[str, Any], key: str, state: dict, started: datetime
) -> dict:
    return {
        "manifest_version": 1,
        "chapter": chapter.slug,
        "notebook": str(
            chapter.notebook.relative_to(paths.ROOT)
            if chapter.notebook.is_relative_to(paths.ROOT)
            else chapter.notebook
        ),
        "notebook_sha256": file_sha256(chapter.notebook),
        "parameters": values,
        "parameters_given": given,
        "command": reproduce_command(chapter, given),
        "run_key": key,
        "run_key_covers": "chapter, all parameter values (defaults included), notebook_sha256, git commit and "
        "changes_sha256, data.available",
        "status": "running",
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": None,
        "git": state["git"],
        "data": {
            "meaning": "'available' hashes, before the run, every data package resource and every pinned "
            "external file found in the cache (other files in the repository are covered by git); "
            "'read' lists what the chapter's loaders recorded reading (analysis.files), hashed "
            "after the run; an entry 'file#resource' is hashed as that resource's JSON entry.",
            "available": state["data"],
            "read": None,
        },
        "packages": provenance.package_versions(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "error": None,
        "files": {},
    }


def _listing(directory: Path) -> dict[str, dict]:
    listing = {}
    for file in sorted(p for p in directory.rglob("*") if p.is_file() and p.name != MANIFEST):
        listing[str(file.relative_to(directory))] = {"bytes": file.stat().st_size, "sha256": file_sha256(file)}
    return listing


def _reads(log: Path) -> list[dict]:
    """Inputs the chapter's loaders recorded (analysis.files), with their hashes."""
    return [{"input": entry, "sha256": files.input_digest(entry)} for entry in files.reads_in(log)]


def finish(manifest: dict, status: str, work: Path, read_log: Path, started: datetime) -> None:
    """Record how the run ended and what it read and wrote, then write the manifest: last, as the mark of a
    complete folder."""
    finished = now()
    manifest["data"]["read"] = _reads(read_log)
    read_log.unlink(missing_ok=True)
    manifest.update(
        status=status,
        finished_at=finished.isoformat(timespec="seconds"),
        duration_seconds=round((finished - started).total_seconds(), 1),
        files=_listing(work),
    )
    text = json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n"
    write_atomically({work / MANIFEST: text}, result=False)


def cell_error(exc: BaseException, notebook: Path) -> dict:
    """The failing cell and its error, as the manifest records them."""
    if isinstance(exc, papermill.PapermillExecutionError):
        cell_id = None
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "code" and cell.source == exc.source:
                cell_id = cell.get("id")
                break
        return {
            "cell_id": cell_id,
            "execution_count": exc.exec_count,
            "cell_source": exc.source,
            "ename": exc.ename,
            "evalue": exc.evalue,
            "traceback": _ANSI.sub("", "\n".join(exc.traceback)),
        }
    return {
        "cell_id": None,
        "execution_count": None,
        "cell_source": None,
        "ename": type(exc).__name__,
        "evalue": str(exc),
        "traceback": None,
    }


def read_manifest(directory: Path) -> dict | None:
    try:
        return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def successful_runs(chapter: Chapter, runs_dir: Path = paths.RUNS_DIR) -> dict[str, Path]:
    """Run key -> folder of the latest successful run, for the chapter's complete run folders."""
    found = {}
    for directory in sorted((runs_dir / chapter.slug).glob("[!.]*")):
        manifest = read_manifest(directory) if directory.is_dir() else None
        if manifest and manifest.get("status") == "succeeded" and manifest.get("run_key"):
            found[manifest["run_key"]] = directory
    return found
