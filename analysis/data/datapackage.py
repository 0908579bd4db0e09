"""Read the data package: check every file against its schema and its sha256.

``data/datapackage.json`` is a Frictionless Data Package. It declares, for each
transcribed table, the schema (types, units, constraints) and the file's
sha256. Frictionless does the schema validation; this module turns its report
into one clear error and returns typed pandas frames.

Maintainers who correct a transcription on purpose update the recorded hashes
with ``python -m analysis.package_check rehash``, which also applies the loaders'
own rules (:mod:`analysis.package_check`).
"""

from __future__ import annotations

import csv
import hashlib
import json
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataUnavailableError, DataValidationError
from analysis.files import file_sha256, input_digest, record_read, write_atomically

HASH_PREFIX = "sha256:"
_PANDAS_DTYPES = {"integer": "Int64", "number": "Float64", "string": "string"}


def load_descriptor(descriptor: Path = paths.DATAPACKAGE) -> dict:
    """The data package descriptor as a dict."""
    descriptor = Path(descriptor)
    if not descriptor.is_file():
        raise DataUnavailableError(
            f"{descriptor}: the data package descriptor is missing. "
            "Restore data/datapackage.json from the repository (git checkout -- data)."
        )
    try:
        return json.loads(descriptor.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataValidationError(
            f"{descriptor}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "Restore it from the repository."
        ) from exc


def resource_names(descriptor: Path = paths.DATAPACKAGE) -> list[str]:
    return [resource["name"] for resource in load_descriptor(descriptor)["resources"]]


def resource_descriptor(name: str, descriptor: Path = paths.DATAPACKAGE) -> dict:
    resources = {resource["name"]: resource for resource in load_descriptor(descriptor)["resources"]}
    if name not in resources:
        raise DataUnavailableError(
            f"{descriptor}: no resource named {name!r}. Known resources: {', '.join(sorted(resources))}."
        )
    return resources[name]


def _resource_file(resource: dict, descriptor: Path) -> Path:
    """The file of a resource, which must lie inside the descriptor's folder (data/)."""
    folder = Path(descriptor).parent.resolve()
    path = (folder / resource["path"]).resolve()
    if not path.is_relative_to(folder):
        raise DataValidationError(
            f"{descriptor}: resource {resource['name']!r} has the path {resource['path']!r}, which leads to {path}, "
            f"outside {folder}. Every file of the data package lives under {folder}; correct the path."
        )
    return path


def resource_path(name: str, descriptor: Path = paths.DATAPACKAGE) -> Path:
    return _resource_file(resource_descriptor(name, descriptor), descriptor)


def _header_problems(resource: dict, path: Path) -> list[str]:
    """The header against the schema's fields, naming each missing, extra or repeated column."""
    fields = [field["name"] for field in resource["schema"]["fields"]]
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), None)
    except (UnicodeDecodeError, csv.Error):
        return []  # not text, or not CSV: frictionless names the problem
    if header is None:
        return []  # an empty file: frictionless says so
    problems = [f"header: column {name!r} is missing; the schema declares it" for name in fields if name not in header]
    problems += [
        f"header: column {name!r} (CSV column {position}) is not in the schema"
        for position, name in enumerate(header, start=1)
        if name not in fields
    ]
    problems += [
        f"header: column {name!r} appears {header.count(name)} times"
        for name in dict.fromkeys(header)
        if header.count(name) > 1
    ]
    if not problems and header != fields:
        problems.append(f"header: the columns are in the order {header}; the schema's order is {fields}")
    return problems


def _schema_errors(resource: dict, path: Path, digest: str) -> list[str]:
    """Header and Frictionless findings for one resource, one readable line each."""
    spec = {key: value for key, value in resource.items() if key != "hash"}
    return list(_schema_errors_of_content(json.dumps(spec, sort_keys=True), str(path), digest))


def _schema_passed_marker(spec: str, digest: str) -> Path:
    """Where a pass of this content against this schema is recorded, keyed by both and by the checking code."""
    key = hashlib.sha256(json.dumps([spec, digest, metadata.version("frictionless"), input_digest(__file__)]).encode())
    return paths.SCHEMA_PASSED_DIR / key.hexdigest()


@lru_cache(maxsize=128)
def _schema_errors_of_content(spec: str, path: str, digest: str) -> tuple[str, ...]:
    # Keyed on the file's sha256 (and the schema): a chapter that loads a table ten times validates it once,
    # and once a content has passed, no later process imports frictionless (a third of a second) to pass it again.
    passed = _schema_passed_marker(spec, digest)
    if passed.is_file():
        return ()
    resource = json.loads(spec)
    header = _header_problems(resource, Path(path))
    if header:
        return tuple(header)  # with the columns wrong, every row would only repeat the same finding
    from frictionless import Resource  # imported here: it is slow to import

    report = Resource({**resource, "path": Path(path).name}, basepath=str(Path(path).parent)).validate()
    lines = []
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            cell = getattr(error, "cell", None)
            where = []
            if row is not None:
                where.append(f"CSV line {row} (data row {row - 1})")
            if field:
                where.append(f"column {field!r}")
            found = f"value {cell!r}" if cell not in (None, "") else "no value"
            rule = error.note or error.type
            lines.append(f"{', '.join(where) or 'file'}: {found} breaks {error.type} ({rule})")
    for error in report.errors:
        lines.append(f"file: {error.message}")
    if not lines:
        try:
            write_atomically({passed: b""}, result=False)
        except OSError:
            pass  # a read-only checkout validates again in every process, never fails a read
    return tuple(lines)


# While `check` and `rehash` run the loaders' rules on files whose current hash is not yet the
# recorded one, verify_resource compares each file with the hash taken at the start of that
# check (file path -> sha256), so the rules see exactly the bytes that will be recorded.
_HASHES_UNDER_CHECK: ContextVar[dict[str, str] | None] = ContextVar("hashes_under_check", default=None)


@contextmanager
def _hashes_under_check(hashes: dict[str, str]):
    token = _HASHES_UNDER_CHECK.set(hashes)
    try:
        yield
    finally:
        _HASHES_UNDER_CHECK.reset(token)


def _missing_file(name: str, path: Path) -> DataUnavailableError:
    return DataUnavailableError(
        f"{path}: the data file of resource {name!r} is missing. Restore it from the repository "
        "(git checkout -- data), or correct the resource's path in datapackage.json."
    )


def _schema_failure(path: Path, descriptor: Path, problems: list[str]) -> DataValidationError:
    listing = "\n  - ".join(problems)
    return DataValidationError(
        f"{path} breaks its schema in {descriptor.name} ({len(problems)} problem(s)):\n  - {listing}\n"
        "Fix the file to match the paper's table, or restore it with git checkout."
    )


def rule_failure(path: Path, problems: list[str]) -> DataValidationError:
    """One error for every problem a loader's rules found in a file, so that none hides behind the first."""
    if len(problems) == 1:
        return DataValidationError(f"{path}: {problems[0]}")
    return DataValidationError(f"{path}: {len(problems)} problems:\n  - " + "\n  - ".join(problems))


def _hash_mismatch(path: Path, descriptor: Path, actual: str, expected: str) -> DataValidationError:
    return DataValidationError(
        f"{path}: sha256 is {actual} but {descriptor.name} records {expected or 'nothing'}. "
        "The file changed after it was checked against the paper. Restore it with git checkout, "
        "or, if the change is a deliberate correction, run `python -m analysis.package_check rehash`."
    )


def verify_resource(name: str, descriptor: Path = paths.DATAPACKAGE) -> Path:
    """Check one file against its schema, then against its recorded sha256.

    The schema comes first because its messages point at a row and a column;
    the hash then catches any edit the schema cannot see.
    """
    descriptor = Path(descriptor)
    resource = resource_descriptor(name, descriptor)
    path = _resource_file(resource, descriptor)
    if not path.is_file():
        raise _missing_file(name, path)
    actual = file_sha256(path)
    problems = _schema_errors(resource, path, actual)
    if problems:
        raise _schema_failure(path, descriptor, problems)
    expected = (_HASHES_UNDER_CHECK.get() or {}).get(str(path)) or resource.get("hash", "").removeprefix(HASH_PREFIX)
    if actual != expected:
        raise _hash_mismatch(path, descriptor, actual, expected)
    # The descriptor entry, not the whole descriptor: a rehash of one table must
    # not make every chapter look stale.
    record_read(descriptor, resource=name)
    record_read(path)
    return path


def verify_all(descriptor: Path = paths.DATAPACKAGE) -> list[str]:
    """Verify every resource; returns the names checked."""
    names = resource_names(descriptor)
    for name in names:
        verify_resource(name, descriptor)
    return names


def read_resource(name: str, descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """One resource as a DataFrame with the schema's types, after verification."""
    path = verify_resource(name, descriptor)
    fields = resource_descriptor(name, descriptor)["schema"]["fields"]
    dtypes = {field["name"]: _PANDAS_DTYPES[field["type"]] for field in fields}
    # keep_default_na=False: only the schema's missing value (the empty cell) is missing,
    # so a literal such as "NA" could never turn into a missing value unnoticed.
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])


def field_units(name: str, descriptor: Path = paths.DATAPACKAGE) -> dict[str, str]:
    """Column name -> unit, for the columns that declare one."""
    fields = resource_descriptor(name, descriptor)["schema"]["fields"]
    return {field["name"]: field["unit"] for field in fields if "unit" in field}
