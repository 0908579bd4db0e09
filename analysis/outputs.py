"""Write result files atomically, and report them to the build.

Each file is written to a temporary sibling and renamed into place, so a
failed or interrupted run never replaces a good result with a partial one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from analysis.provenance import record_output


def write_atomically(contents: dict[Path, str]) -> None:
    """Write every file's text to a temporary sibling first, then rename them all into place."""
    staged = {}
    try:
        for target, text in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            staged[target] = Path(temporary)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide results from other readers
        for target, temporary in staged.items():
            os.replace(temporary, target)
            record_output(target)
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
