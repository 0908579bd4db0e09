"""Record hashes the way a careless hand edit would, for tests of what the loaders refuse."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def record_hashes_unchecked(descriptor: Path) -> None:
    """Write every file's current sha256 into a descriptor with no check at all.

    ``rehash`` refuses a file that breaks a rule; tests use this to show that
    the loaders, and ``check``, refuse such a file too.
    """
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        digest = hashlib.sha256((descriptor.parent / resource["path"]).read_bytes()).hexdigest()
        resource["hash"] = f"sha256:{digest}"
    descriptor.write_text(json.dumps(package, indent=2), encoding="utf-8")
