"""Record which data files a process reads, and which result files it writes.

The build and ``compendium run`` set ``CIS_COMPENDIUM_READ_LOG`` for each
notebook they execute; every loader calls ``record_read`` so the build knows
exactly which files a chapter depends on, and a run manifest can list them.
Writers call ``record_output``, so a build notices when a chapter's results
have been deleted and runs it again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from analysis import paths

RESOURCE_SEPARATOR = "#"
OUTPUT_MARKER = "output:"


def record_read(path: Path, resource: str | None = None) -> None:
    """Note that ``path`` was read; ``resource`` narrows a data package descriptor to one entry."""
    log = paths.read_log_path()
    if log is None:
        return
    entry = str(Path(path).resolve()) + (f"{RESOURCE_SEPARATOR}{resource}" if resource else "")
    with log.open("a", encoding="utf-8") as handle:
        handle.write(entry + "\n")


def record_output(path: Path) -> None:
    """Note that ``path`` was written as a result of the running notebook."""
    log = paths.read_log_path()
    if log is None:
        return
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"{OUTPUT_MARKER}{Path(path).resolve()}\n")


def _log_lines(log: Path) -> list[str]:
    if not log.is_file():
        return []
    return list(dict.fromkeys(line for line in log.read_text(encoding="utf-8").splitlines() if line))


def reads_in(log: Path) -> list[str]:
    """The distinct inputs listed in a read log, in first-read order."""
    return [line for line in _log_lines(log) if not line.startswith(OUTPUT_MARKER)]


def outputs_in(log: Path) -> list[str]:
    """The distinct files the process reported writing."""
    return [line.removeprefix(OUTPUT_MARKER) for line in _log_lines(log) if line.startswith(OUTPUT_MARKER)]


def input_digest(entry: str) -> str:
    """sha256 of a recorded input: a whole file, or one resource entry of a descriptor."""
    file, _, resource = entry.partition(RESOURCE_SEPARATOR)
    path = Path(file)
    if not path.is_file():
        return "missing"
    if not resource:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        entries = {r.get("name"): r for r in json.loads(path.read_text(encoding="utf-8")).get("resources", [])}
    except json.JSONDecodeError:
        return "unreadable"
    if resource not in entries:
        return "missing"
    return hashlib.sha256(json.dumps(entries[resource], sort_keys=True).encode()).hexdigest()
