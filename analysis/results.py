"""Estimates as citable files: tidy CSV and JSON in results/, with their provenance.

Every row carries the compendium version, the git commit with the worktree state
and the sha256 of each data file it was computed from. Files are written to a
temporary file and renamed, so that a failed run never replaces a good result.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import re
import subprocess
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import __version__, paths
from analysis.data.datapackage import HASH_PREFIX, resource_descriptor, resource_path
from analysis.errors import DataUnavailableError, DataValidationError, ParameterError
from analysis.files import file_sha256, write_atomically
from analysis.models.catalogue import REMITTANCES, SOURCE_RESOURCES, ModelEstimate, model_ids

UNKNOWN = "unknown"
NONE = "none"  # an empty list of countries, written so that it survives a CSV round trip
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
FORMATS = ("csv", "json")
PROVENANCE = ("compendium_version", "git_commit", "git_worktree", "data_sha256")


def git_state(root: Path = paths.ROOT) -> tuple[str, str]:
    """(commit, state) of the repository at ``root``; state is "clean", "dirty" or "unknown".

    Only tracked files count as dirty (see ``dirty_files``). Outside a git
    repository (or without git), both are "unknown".
    """
    commit = _git(root, "rev-parse", "HEAD")
    if commit is None:
        return UNKNOWN, UNKNOWN
    dirty = dirty_files(root)
    return commit, UNKNOWN if dirty is None else ("dirty" if dirty else "clean")


def dirty_files(root: Path = paths.ROOT) -> list[str] | None:
    """Tracked files that differ from the commit, as ``git status`` names them; None if git cannot tell.

    This is the one rule of what makes the worktree dirty, for the results' provenance, the
    colophon, a release and a run's manifest alike: a tracked file that differs from the commit
    (staged or not) makes it dirty; untracked files never do. results/, runs/, _build/ and
    other output are untracked, and a file nobody has added is in no commit a reader could
    check out, so counting it would only make every working copy look dirty. A new module
    matters once a tracked file imports it, and that import is itself a tracked change.
    """
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    # Each line is two status letters, a space and the path ("R  old -> new" for a rename).
    return None if status is None else [line[3:] for line in status.splitlines()]


def uncommitted_changes_sha256(root: Path = paths.ROOT) -> str | None:
    """sha256 of how the tracked files differ from the commit (``git diff HEAD``); None if git cannot tell.

    The same rule as ``dirty_files``: two worktrees with the same tracked changes get the same
    hash, whatever untracked files lie beside them.
    """
    diff = _git_bytes(root, "diff", "HEAD", "--binary")
    return None if diff is None else hashlib.sha256(diff).hexdigest()


def commit_time(root: Path = paths.ROOT) -> int | None:
    """Committer time of HEAD, in seconds since the epoch; None outside a git repository."""
    seconds = _git(root, "show", "--no-patch", "--format=%ct", "HEAD")
    return None if seconds is None else int(seconds)


def tracked_files(root: Path = paths.ROOT, *pathspecs: str) -> list[str]:
    """The files git tracks under ``pathspecs`` (relative to ``root``), sorted; empty outside git."""
    listing = _git(root, "ls-files", "-z", "--", *pathspecs)  # -z: names exactly, never quoted
    return sorted(name for name in (listing or "").split("\0") if name)


def _git(root: Path, *args: str) -> str | None:
    output = _git_bytes(root, *args)
    # Only trailing whitespace goes: the first line of `git status --porcelain` may start with a space.
    return None if output is None else output.decode("utf-8", errors="replace").rstrip()


def _git_bytes(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=30, check=False)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def data_hashes(resources, descriptor: Path = paths.DATAPACKAGE) -> dict[str, str]:
    """sha256 of each resource's file, checked against the hash the data package records."""
    hashes = {}
    for name in resources:
        recorded = resource_descriptor(name, descriptor).get("hash", "").removeprefix(HASH_PREFIX)
        path = resource_path(name, descriptor)
        if not path.is_file():
            raise DataUnavailableError(f"{path}: data file of resource {name!r} is missing; restore it with git.")
        actual = file_sha256(path)
        if actual != recorded:
            raise DataValidationError(
                f"{path}: sha256 is {actual} but {Path(descriptor).name} records {recorded or 'nothing'}; "
                "results would not be traceable to the checked data. Restore the file or rehash the package."
            )
        hashes[name] = actual
    return hashes


def _hash_field(hashes: dict[str, str]) -> str:
    return ";".join(f"{name}={digest}" for name, digest in sorted(hashes.items()))


def parse_hash_field(value: str) -> dict[str, str]:
    """The ``data_sha256`` column back as {resource: sha256}."""
    return dict(item.split("=", 1) for item in value.split(";") if item)


def _codes(codes) -> str:
    return ";".join(codes) or NONE


def model_rows(estimates: list[ModelEstimate]) -> pd.DataFrame:
    """One tidy row per model estimate (without provenance; write_table adds it)."""
    rows = []
    for estimate in estimates:
        spec, analysis = estimate.spec, estimate.analysis
        data, fit, boot, perm, corr = (
            analysis.data,
            analysis.ols,
            analysis.bootstrap,
            analysis.permutation,
            analysis.correlations,
        )
        rows.append(
            {
                "model_id": spec.model_id,
                "formula": spec.formula,
                "y": spec.y,
                "x": spec.x,
                "n": data.n,
                "countries": _codes(data.codes),
                "excluded": _codes(data.excluded),
                "missing": _codes(data.missing),
                "coef": fit.coef,
                "intercept": fit.intercept,
                "se": fit.se,
                "t": fit.t,
                "p_classical": fit.p_classical,
                "se_hc3": fit.se_hc3,
                "p_hc3": fit.p_hc3,
                "p_permutation": perm.p_value,
                "permutation_exact": perm.exact,
                "permutation_orderings": perm.orderings,
                "r2": fit.r2,
                "ci_level": fit.ci_level,
                "ci_low": fit.ci_low,
                "ci_high": fit.ci_high,
                "boot_low": boot.low,
                "boot_high": boot.high,
                "boot_draws": boot.draws,
                "boot_valid_draws": boot.valid_draws,
                "seed": boot.seed,
                "pearson_r": corr.pearson_r,
                "pearson_p": corr.pearson_p,
                "spearman_rho": corr.spearman_rho,
                "spearman_p": corr.spearman_p,
                "resources": ";".join(spec.resources),
            }
        )
    return pd.DataFrame(rows)


def write_models(
    estimates: list[ModelEstimate],
    name: str = "models",
    *,
    directory: Path | None = None,
    descriptor: Path = paths.DATAPACKAGE,
    root: Path = paths.ROOT,
) -> dict[str, Path]:
    """Write model estimates to ``<directory>/<name>.csv`` and ``.json`` (directory: results/).

    Several chapters write to one file (chapter 1 writes M6, chapter 5 M1-M5), so the rows of
    other models already in the file are kept, with their own provenance, and the file lists
    its models in catalogue order. A kept row is dropped when a data file it was computed from
    has changed since, because it could no longer be traced to the data package. A lock on the
    directory stops two chapters that run at once from dropping each other's rows.
    """
    if not estimates:
        raise ParameterError("write_models got no estimates; fit at least one model (catalogue.fit_all()).")
    frame = model_rows(estimates)
    per_row = [estimate.spec.resources for estimate in estimates]
    _check_name(name)
    directory = Path(paths.RESULTS_DIR if directory is None else directory)
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory):
        kept = _rows_of_other_models(name, directory, set(frame["model_id"]), [*frame.columns, *PROVENANCE], descriptor)
        resources = {resource for rows in per_row for resource in rows}
        resources |= {resource for row in kept["resources"] for resource in row.split(";")}
        hashes = data_hashes(sorted(resources), descriptor)
        state = git_state(root)
        table = _with_provenance(frame, hashes, per_row, state)
        if len(kept):
            table = pd.concat([kept, table], ignore_index=True)
        order = {model_id: position for position, model_id in enumerate(model_ids())}
        table = table.sort_values("model_id", key=lambda ids: ids.map(order), kind="stable", ignore_index=True)
        return _write_rendered(table, name, hashes, state, directory)


@contextmanager
def _locked(directory: Path):
    """Hold an exclusive lock on ``directory`` for the block; the kernel releases it if the process dies."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _rows_of_other_models(
    name: str, directory: Path, replaced: set[str], columns: list[str], descriptor: Path
) -> pd.DataFrame:
    """The rows of ``<name>.json`` for models not in ``replaced`` whose data files are unchanged.

    A file written with other ``columns`` (by an earlier version of the code) keeps no rows.
    """
    path = directory / f"{name}.json"
    written = read_results(name, fmt="json", directory=directory) if path.is_file() else None
    if written is None or list(written.columns) != columns:
        return pd.DataFrame(columns=columns)
    recorded = [parse_hash_field(field) for field in written["data_sha256"]]
    current = data_hashes(sorted({resource for hashes in recorded for resource in hashes}), descriptor)
    keep = [
        model_id not in replaced and all(current[r] == digest for r, digest in hashes.items())
        for model_id, hashes in zip(written["model_id"], recorded)
    ]
    return written[keep].reset_index(drop=True)


def write_multiverse(
    curve: pd.DataFrame,
    name: str = "multiverse",
    *,
    directory: Path | None = None,
    descriptor: Path = paths.DATAPACKAGE,
    root: Path = paths.ROOT,
) -> dict[str, Path]:
    """Write multiverse.specification_curve's frame (computed from the Table 1 and Table 3 files)."""
    return write_table(
        curve, name, resources=SOURCE_RESOURCES[REMITTANCES], directory=directory, descriptor=descriptor, root=root
    )


def write_table(
    frame: pd.DataFrame,
    name: str,
    *,
    resources,
    row_resources: list | None = None,
    directory: Path | None = None,
    descriptor: Path = paths.DATAPACKAGE,
    root: Path = paths.ROOT,
) -> dict[str, Path]:
    """Write any tidy frame with provenance columns, atomically, as CSV and JSON.

    ``resources`` are the data package resources the frame was computed from;
    ``row_resources`` optionally narrows them row by row.
    """
    _check_name(name)
    if row_resources is not None and len(row_resources) != len(frame):
        raise ParameterError(f"row_resources has {len(row_resources)} entries for {len(frame)} rows; give one per row.")
    hashes = data_hashes(resources, descriptor)
    state = git_state(root)
    table = _with_provenance(frame, hashes, row_resources, state)
    return _write_rendered(table, name, hashes, state, Path(paths.RESULTS_DIR if directory is None else directory))


def _check_name(name) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ParameterError(f"results name {name!r} must be letters, digits, '_' or '-' (no path); e.g. 'models'.")


def _with_provenance(
    frame: pd.DataFrame, hashes: dict[str, str], row_resources: list | None, state: tuple[str, str]
) -> pd.DataFrame:
    """``frame`` with the PROVENANCE columns: version, commit, worktree state and data hashes."""
    commit, dirty = state
    table = frame.copy()
    table["compendium_version"] = __version__
    table["git_commit"] = commit
    table["git_worktree"] = dirty
    table["data_sha256"] = (
        [_hash_field({r: hashes[r] for r in rows}) for rows in row_resources]
        if row_resources is not None
        else _hash_field(hashes)
    )
    return table


def _write_rendered(
    table: pd.DataFrame, name: str, hashes: dict[str, str], state: tuple[str, str], directory: Path
) -> dict[str, Path]:
    """Render both files completely before touching the disk, then write them atomically."""
    commit, dirty = state
    csv_text = table.to_csv(index=False, lineterminator="\n")
    document = {
        "name": name,
        "compendium_version": __version__,
        "git_commit": commit,
        "git_worktree": dirty,
        "data_sha256": dict(sorted(hashes.items())),
        "columns": list(table.columns),
        "rows": [{key: _json_value(value) for key, value in row.items()} for row in table.to_dict(orient="records")],
    }
    json_text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    targets = {"csv": directory / f"{name}.csv", "json": directory / f"{name}.json"}
    write_atomically({targets["csv"]: csv_text, targets["json"]: json_text})
    return targets


def _json_value(value):
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if value is None or value is pd.NA:
        return None
    if isinstance(value, str):
        return value
    raise ParameterError(f"cannot write a value of type {type(value).__name__} ({value!r}) to JSON results.")


def read_results(name: str = "models", *, fmt: str = "csv", directory: Path | None = None) -> pd.DataFrame:
    """A results table written by write_table, as a DataFrame (CSV or the JSON's rows)."""
    if fmt not in FORMATS:
        raise ParameterError(f"fmt {fmt!r} is unknown; expected one of {', '.join(FORMATS)}.")
    path = Path(paths.RESULTS_DIR if directory is None else directory) / f"{name}.{fmt}"
    if not path.is_file():
        raise DataUnavailableError(
            f"{path} does not exist; write it first (e.g. results.write_models(catalogue.fit_all()))."
        )
    if fmt == "csv":
        # Only an empty cell is missing (a NaN float); text such as "NA" stays text. pandas 3
        # parses floats to the nearest double by default, so written values come back exactly.
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    document = json.loads(path.read_text(encoding="utf-8"))
    return pd.DataFrame(document["rows"], columns=document["columns"])


def read_metadata(name: str = "models", *, directory: Path | None = None) -> dict:
    """The JSON file's header: version, commit, worktree state (clean, dirty, unknown) and data hashes."""
    path = Path(paths.RESULTS_DIR if directory is None else directory) / f"{name}.json"
    if not path.is_file():
        raise DataUnavailableError(f"{path} does not exist; write it first with results.write_table.")
    document = json.loads(path.read_text(encoding="utf-8"))
    return {key: value for key, value in document.items() if key != "rows"}
