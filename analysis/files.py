"""Record which data files a process reads, and which result files it writes.

The build and ``compendium run`` set ``CIS_COMPENDIUM_READ_LOG`` for each
notebook they execute; every loader calls ``record_read`` so the build knows
exactly which files a chapter depends on, and a run manifest can list them.
Writers call ``record_output``, so a build notices when a chapter's results
have been deleted and runs it again.

Result files are written atomically: each to a temporary sibling first, then renamed
into place, so a failed or interrupted run never replaces a good result with a partial one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
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


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, as ``sha256sum`` prints it: the one file hash of the project.

    Hashed on every call, never cached by size and modification time, which a
    corruption in place can keep; read in blocks, so a large file never sits in memory whole.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_digest(entry: str) -> str:
    """sha256 of a recorded input: a whole file, or one resource entry of a descriptor."""
    file, _, resource = entry.partition(RESOURCE_SEPARATOR)
    path = Path(file)
    if not path.is_file():
        return "missing"
    if not resource:
        return file_sha256(path)
    try:
        entries = {r.get("name"): r for r in json.loads(path.read_text(encoding="utf-8")).get("resources", [])}
    except json.JSONDecodeError:
        return "unreadable"
    if resource not in entries:
        return "missing"
    return hashlib.sha256(json.dumps(entries[resource], sort_keys=True).encode()).hexdigest()


def write_atomically(contents: dict[Path, str | bytes], *, result: bool = True) -> None:
    """Write every file's text (UTF-8) or bytes to a temporary sibling first, then rename them all into place.

    ``result=False`` is for caches: they are not a notebook's results, so the build is not told of them.
    """
    staged = {}
    try:
        for target, content in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            staged[target] = Path(temporary)
            binary = isinstance(content, bytes)
            with os.fdopen(
                handle, "wb" if binary else "w", encoding=None if binary else "utf-8", newline=None if binary else ""
            ) as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide results from other readers
        for target, temporary in staged.items():
            os.replace(temporary, target)
            if result:
                record_output(target)
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
