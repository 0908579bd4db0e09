"""Debian's Chromium, headless: where it is and the flags that keep it offline and quiet.

The PDF is printed with it and the browser tests drive it. A browser is never
downloaded (Playwright's own builds cannot be fetched on the team's machines);
``scripts/ensure-chromium.sh`` installs the Debian package.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from analysis.errors import CompendiumError

DEFAULT_PATH = Path("/usr/bin/chromium")
INSTALL_HINT = (
    "install Debian's Chromium with `sudo apt-get update && sudo apt-get install -y chromium`, "
    "or run `bash scripts/ensure-chromium.sh` as root"
)
# No sandbox: the tests run as root in CI. The rest keep Chromium from reaching the network by itself.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class ChromiumNotFoundError(CompendiumError, FileNotFoundError):
    """No Chromium binary could be found."""


def find_chromium() -> Path:
    """The Chromium binary: /usr/bin/chromium, else `chromium` on PATH."""
    if DEFAULT_PATH.is_file() and os.access(DEFAULT_PATH, os.X_OK):
        return DEFAULT_PATH
    found = shutil.which("chromium")
    if found:
        return Path(found)
    raise ChromiumNotFoundError(f"Chromium was not found at {DEFAULT_PATH} nor on PATH; {INSTALL_HINT}.")
