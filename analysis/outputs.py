"""Write result files atomically, and report them to the build.

Each file is written to a temporary sibling and renamed into place, so a
failed or interrupted run never replaces a good result with a partial one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from analysis.provenance import record_output


def write_atomically(contents: dict[Path, str | bytes]) -> None:
    """Write every file's text (UTF-8) or bytes to a temporary sibling first, then rename them all into place."""
    staged = {}
    try:
        for target, content in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            staged[target] = Path(temporary)
            binary = isinstance(content, bytes)
            with os.fdopen(handle, "wb" if binary else "w", encoding=None if binary else "utf-8",
                           newline=None if binary else "") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide results from other readers
        for target, temporary in staged.items():
            os.replace(temporary, target)
            record_output(target)
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
