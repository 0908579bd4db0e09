"""Read the data package: check every file against its schema and its sha256.

``data/datapackage.json`` is a Frictionless Data Package. It declares, for each
transcribed table, the schema (types, units, constraints) and the file's
sha256. Frictionless does the schema validation; this module turns its report
into one clear error and returns typed pandas frames.

Maintainers who correct a transcription on purpose update the recorded hashes
with ``python -m analysis.data.datapackage rehash``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.files import record_read
from analysis.errors import DataUnavailableError, DataValidationError

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


def resource_path(name: str, descriptor: Path = paths.DATAPACKAGE) -> Path:
    return Path(descriptor).parent / resource_descriptor(name, descriptor)["path"]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _schema_errors(resource: dict, base: Path) -> list[str]:
    """Frictionless' findings for one resource, one readable line each."""
    from frictionless import Resource  # imported here: it is slow to import

    spec = {key: value for key, value in resource.items() if key != "hash"}
    report = Resource(spec, basepath=str(base)).validate()
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
    return lines


def verify_resource(name: str, descriptor: Path = paths.DATAPACKAGE) -> Path:
    """Check one file against its schema, then against its recorded sha256.

    The schema comes first because its messages point at a row and a column;
    the hash then catches any edit the schema cannot see.
    """
    descriptor = Path(descriptor)
    resource = resource_descriptor(name, descriptor)
    path = descriptor.parent / resource["path"]
    if not path.is_file():
        raise DataUnavailableError(
            f"{path}: the data file of resource {name!r} is missing. "
            "Restore it from the repository (git checkout -- data)."
        )
    problems = _schema_errors(resource, descriptor.parent)
    if problems:
        listing = "\n  - ".join(problems)
        raise DataValidationError(
            f"{path} breaks its schema in {descriptor.name} ({len(problems)} problem(s)):\n  - {listing}\n"
            "Fix the file to match the paper's table, or restore it with git checkout."
        )
    expected = resource.get("hash", "").removeprefix(HASH_PREFIX)
    actual = file_sha256(path)
    if actual != expected:
        raise DataValidationError(
            f"{path}: sha256 is {actual} but {descriptor.name} records {expected or 'nothing'}. "
            "The file changed after it was checked against the paper. Restore it with git checkout, "
            "or, if the change is a deliberate correction, run `python -m analysis.data.datapackage rehash`."
        )
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


def rehash(descriptor: Path = paths.DATAPACKAGE) -> dict[str, str]:
    """Record the current sha256 of every file in the descriptor (maintainers only)."""
    descriptor = Path(descriptor)
    package = load_descriptor(descriptor)
    updated = {}
    for resource in package["resources"]:
        digest = file_sha256(descriptor.parent / resource["path"])
        resource["hash"] = HASH_PREFIX + digest
        updated[resource["name"]] = digest
    descriptor.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return updated


if __name__ == "__main__":
    if sys.argv[1:] == ["rehash"]:
        for resource_name, digest in rehash().items():
            print(f"{resource_name}: {digest}")
    elif sys.argv[1:] in ([], ["check"]):
        print("verified:", ", ".join(verify_all()))
    else:
        sys.exit("usage: python -m analysis.data.datapackage [check|rehash]")
