"""The claims ledger ``data/paper/claims.csv``, read and validated row by row, and the checks it names.

Each row is one quantitative statement of the paper: a short verbatim quote, its line in
the paper's text, the stated values, the kind of check, the chapter that discusses it and
the name of the check function that evaluates it. :data:`CHECKS` holds every check
function, from the modules of checks listed in :data:`CHECK_MODULES`.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.audit import checks_arithmetic, checks_external, checks_memberships, checks_migrant_counts, checks_table3
from analysis.audit.claim import Claim
from analysis.data.datapackage import resource_descriptor, verify_resource
from analysis.errors import DataUnavailableError, DataValidationError
from analysis.files import record_read

CLAIMS_LEDGER = paths.PAPER_DATA_DIR / "claims.csv"
CLAIMS_RESOURCE = "claims"

CHECK_KINDS = ("table", "arithmetic", "cross-table", "external", "not checkable")
LEDGER_COLUMNS = (
    "id",
    "section",
    "quote",
    "paper_line",
    "values",
    "unit",
    "reference_year",
    "cited_source",
    "check_kind",
    "chapter",
    "check",
)

CHECK_MODULES = (checks_arithmetic, checks_migrant_counts, checks_table3, checks_external, checks_memberships)
CHECKS = {name: check for module in CHECK_MODULES for name, check in module.CHECKS.items()}


def _parse_values(text: str, where: str) -> dict[str, float]:
    """A ledger's ``values`` cell: finite ``key=number`` pairs separated by ``;``."""
    values: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(";"))):
        key, sep, number = item.partition("=")
        try:
            value = float(number) if sep and key.strip() else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise DataValidationError(
                f"{where}, column 'values': found {item!r}; expected key=number pairs separated by ';' "
                "(e.g. 'low=70;high=90'). Fix the ledger row."
            )
        values[key.strip()] = value
    return values


def book_chapters(descriptor: Path = paths.DATAPACKAGE) -> tuple[str, ...]:
    """The chapters a claim may name: the data package's vocabulary, the claims schema's ``chapter`` enum.

    The data package declares it once; tests/book/test_chapter_registry.py checks it against the book's
    table of contents.
    """
    fields = {field["name"]: field for field in resource_descriptor(CLAIMS_RESOURCE, descriptor)["schema"]["fields"]}
    return tuple(fields["chapter"]["constraints"]["enum"])


def read_ledger(path: Path = CLAIMS_LEDGER) -> list[Claim]:
    """The claims ledger, validated row by row."""
    path = Path(path)
    if not path.is_file():
        raise DataUnavailableError(f"{path}: the claims ledger is missing. Restore it with git checkout -- data/paper.")
    if path.resolve() == CLAIMS_LEDGER.resolve():
        # The project's own ledger is a data package resource: schema and recorded sha256 first.
        verify_resource(CLAIMS_RESOURCE)
    record_read(path)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in LEDGER_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise DataValidationError(
                f"{path}: column(s) {missing} missing from the header; expected at least {list(LEDGER_COLUMNS)}. "
                "Restore the header row."
            )
        claims, seen, chapters = [], {}, book_chapters()
        for row in reader:
            claim = _claim_from_row(row, f"{path}, CSV line {reader.line_num} (claim {row['id']!r})", chapters)
            if claim.id in seen:
                raise DataValidationError(
                    f"{claim.where}, column 'id': duplicate id {claim.id!r}, first used on CSV line {seen[claim.id]}. "
                    "Give every claim its own stable id."
                )
            seen[claim.id] = reader.line_num
            claims.append(claim)
    if not claims:
        raise DataValidationError(f"{path}: the ledger has a header but no claims. Restore it with git checkout.")
    return claims


def _claim_from_row(row: dict, where: str, chapters: tuple[str, ...]) -> Claim:
    cells = {column: (row.get(column) or "").strip() for column in LEDGER_COLUMNS}
    for column in ("id", "section", "quote", "paper_line", "check_kind", "chapter"):
        if not cells[column]:
            raise DataValidationError(f"{where}, column {column!r}: empty; every claim needs one. Fill it in.")
    if not cells["paper_line"].isdigit() or int(cells["paper_line"]) < 1:
        raise DataValidationError(
            f"{where}, column 'paper_line': found {cells['paper_line']!r}; expected the positive line number "
            "of the quote in the paper's text file."
        )
    if cells["check_kind"] not in CHECK_KINDS:
        raise DataValidationError(
            f"{where}, column 'check_kind': unknown check kind {cells['check_kind']!r}; expected one of "
            f"{', '.join(CHECK_KINDS)}."
        )
    if cells["chapter"] not in chapters:
        raise DataValidationError(
            f"{where}, column 'chapter': unknown chapter {cells['chapter']!r}; expected one of {', '.join(chapters)}."
        )
    checkable = cells["check_kind"] != "not checkable"
    if checkable and cells["check"] not in CHECKS:
        raise DataValidationError(
            f"{where}, column 'check': unknown check id {cells['check']!r} for check kind {cells['check_kind']!r}; "
            f"expected the name of a check function in analysis.audit ({', '.join(sorted(CHECKS))})."
        )
    if not checkable and cells["check"]:
        raise DataValidationError(
            f"{where}, column 'check': found {cells['check']!r} but the check kind is 'not checkable'; "
            "leave the check empty or choose the kind of check the function performs."
        )
    return Claim(
        id=cells["id"],
        section=cells["section"],
        quote=cells["quote"],
        paper_line=int(cells["paper_line"]),
        values=_parse_values(cells["values"], where),
        unit=cells["unit"],
        reference_year=cells["reference_year"],
        cited_source=cells["cited_source"],
        check_kind=cells["check_kind"],
        chapter=cells["chapter"],
        check=cells["check"],
        where=where,
    )


def ledger_frame(path: Path = CLAIMS_LEDGER) -> pd.DataFrame:
    """The validated ledger as a frame (values kept as printed in the file)."""
    claims = read_ledger(path)
    raw = pd.read_csv(path, dtype="string", keep_default_na=False)
    raw["paper_line"] = [claim.paper_line for claim in claims]
    return raw
