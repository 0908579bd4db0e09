"""The colophon: which commit and which package versions built the book.

The build re-executes a notebook when a file it read changes, so the colophon
records the git files that name the commit and each key package's metadata
file as read: a new commit or another installed version makes it run again.
"""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis import __version__, paths
from analysis.files import record_read
from analysis.results import git_state
from compendium.provenance import KEY_PACKAGES

NOT_INSTALLED = "not installed"


def git_files(root: Path) -> list[Path]:
    """The files whose content names the checked-out commit and the staged state."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--absolute-git-dir", "--symbolic-full-name", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:
        return []
    git_dir, *ref = done.stdout.split()
    names = ["HEAD", "packed-refs", "index"] + ref
    return [Path(git_dir) / name for name in names]


def build_state(root: Path = paths.ROOT) -> pd.DataFrame:
    """Compendium version, git commit and worktree state, Python and platform, as one table."""
    for file in git_files(root):
        record_read(file)
    commit, state = git_state(root)
    rows = [
        ("compendium version", __version__),
        ("git commit", commit),
        ("worktree", state),
        ("Python", platform.python_version()),
        ("platform", platform.platform(terse=True)),
    ]
    return pd.DataFrame(rows, columns=["item", "value"]).set_index("item")


def package_versions(names=KEY_PACKAGES) -> pd.DataFrame:
    """The installed version of each package ("not installed" when absent)."""
    rows = []
    for name in names:
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            rows.append((name, NOT_INSTALLED))
            continue
        for file in distribution.files or []:
            if file.name == "METADATA" and file.parent.name.endswith(".dist-info"):
                record_read(Path(file.locate()))
        rows.append((name, distribution.version))
    return pd.DataFrame(rows, columns=["package", "version"]).set_index("package")
