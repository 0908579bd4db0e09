"""What a run or a build was computed with: the code's git state, the data files' hashes, the key packages.

The git state follows the project's one rule (``analysis.results.dirty_files``): tracked
files that differ from the commit make the tree dirty; untracked files never do. The
colophon shows the same package list as a run's manifest records.
"""

from __future__ import annotations

from importlib import metadata

from analysis import paths
from analysis.data import datapackage
from analysis.files import file_sha256
from analysis.results import UNKNOWN, git_state, uncommitted_changes_sha256

# The packages whose versions decide what the book computes, how its notebooks run and how it renders.
KEY_PACKAGES = (
    "cis-migration-compendium",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "pyfixest",
    "pysyncon",
    "matplotlib",
    "seaborn",
    "frictionless",
    "pycountry",
    "pooch",
    "pyreadr",
    "python-calamine",
    "papermill",
    "nbclient",
    "ipykernel",
    "jupyter-cache",
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "sphinxcontrib-bibtex",
)


def package_versions(names: tuple[str, ...] = KEY_PACKAGES) -> dict[str, str | None]:
    """The installed version of each package; None for one that is not installed."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def source_state() -> dict:
    """The git commit, whether tracked files differ from it, and a hash of those differences."""
    commit, state = git_state(paths.ROOT)
    if commit == UNKNOWN:
        return {
            "commit": None,
            "dirty": None,
            "changes_sha256": None,
            "note": f"{paths.ROOT} is not a git checkout (or git is missing)",
        }
    dirty = None if state == UNKNOWN else state == "dirty"
    return {
        "commit": commit,
        "dirty": dirty,
        "changes_sha256": uncommitted_changes_sha256(paths.ROOT) if dirty else None,
    }


def _hash_or_missing(path) -> str:
    return file_sha256(path) if path.is_file() else "missing"


def data_state() -> dict:
    """sha256 of every data file a chapter could read: the data package and the pinned external files."""
    package = {str(paths.DATAPACKAGE.relative_to(paths.ROOT)): _hash_or_missing(paths.DATAPACKAGE)}
    if paths.DATAPACKAGE.is_file():
        for resource in datapackage.load_descriptor(paths.DATAPACKAGE)["resources"]:
            file = datapackage.resource_path(resource["name"], paths.DATAPACKAGE)  # refuses a path outside data/
            package[str(file.relative_to(paths.ROOT))] = _hash_or_missing(file)
    from analysis.data.external import registry  # imported here: the package imports every reader

    cache = registry.cache_dir()  # CIS_COMPENDIUM_DATA, else pooch's per-user cache
    external = {
        "registry": str(registry.REGISTRY_CSV.relative_to(paths.ROOT)),
        "registry_sha256": _hash_or_missing(registry.REGISTRY_CSV),
        "cache_dir": str(cache),
        "files": {
            name: file_sha256(cache / name) if (cache / name).is_file() else "absent"
            for name in registry.pinned_hashes()
        },
    }
    return {"package": package, "external": external}


def snapshot() -> dict:
    """Code and data state at the start of a run; part of its key."""
    return {"git": source_state(), "data": data_state()}
