"""The provenance of every series the compendium reads: ``data/external/series.csv``.

``registry.csv`` describes each pinned *file* (URL, sha256, licence).
``series.csv`` describes each *series* read from a file, one row per file and
indicator id: the publisher, the release it comes from, the publisher's series
code, its definition and unit, the edition label the tidy panel carries, and
the bibliography entry that cites it. A file can hold series of more than one
publisher: the ``pop`` variable of ``wdi.rda`` is UN DESA's World Population
Prospects 2024, not a World Bank series, although the rest of the file is WDI.

The readers attach these columns to every tidy row (:mod:`.tidy`), and the
chapters' source lines, the data appendix and the public-data entries of
``book/references.bib`` are generated from here (:func:`cite_sources`,
:func:`appendix_table`, :func:`bibtex_fields`), so that no label is typed.
``python -m analysis.data.external.series`` prints the BibTeX entries.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from analysis import paths
from analysis.data.external import registry
from analysis.data.external.indicators import INDICATORS
from analysis.errors import DataUnavailableError, DataValidationError, ParameterError
from analysis.files import record_read

SERIES_CSV = paths.DATA_DIR / "external" / "series.csv"
SERIES_COLUMNS = (
    "file",
    "variable",
    "indicator",
    "edition",
    "publisher",
    "release",
    "year",
    "computed",
    "series_code",
    "series_name",
    "definition",
    "unit",
    "bib_key",
)
OPTIONAL_COLUMNS = ("year", "bib_key")  # unknown publication year; a series no chapter cites
NO_CODE = "none"  # the publisher gives the series no code (UN DESA, KNOMAD, the 2013 table)
BIB_KEYWORD = "extension-data"
# Columns every tidy row carries (the edition label is the panel's key; see .panel_data).
PROVENANCE_COLUMNS = ("edition", "publisher", "release", "series_code", "definition")


def _problem(line: int, row: dict, message: str) -> DataValidationError:
    return DataValidationError(f"{SERIES_CSV}, line {line} ({row.get('file')}, {row.get('indicator')}): {message}")


def _check_row(line: int, row: dict, files: set[str], units: dict[str, str]) -> None:
    empty = [column for column in SERIES_COLUMNS if column not in OPTIONAL_COLUMNS and not row[column].strip()]
    if empty:
        raise _problem(
            line,
            row,
            f"columns {empty} are empty; every series needs them. Fill them in from the publisher's documentation.",
        )
    if row["file"] not in files:
        raise _problem(
            line,
            row,
            f"file {row['file']!r} is not in data/external/registry.csv; register the "
            "file first (URL, sha256, licence).",
        )
    if row["indicator"] not in units:
        raise _problem(
            line,
            row,
            f"indicator {row['indicator']!r} is not in analysis.data.external.indicators.INDICATORS; "
            "add it there with its unit.",
        )
    if row["unit"] != units[row["indicator"]]:
        raise _problem(
            line,
            row,
            f"unit {row['unit']!r} differs from {units[row['indicator']]!r}, the unit "
            "analysis.data.external.indicators.INDICATORS gives this indicator; make them agree.",
        )
    if row["year"] and not re.fullmatch(r"(19|20)\d\d", row["year"]):
        raise _problem(
            line,
            row,
            f"year {row['year']!r} is not a year of publication; write e.g. 2025 or leave it empty when unknown.",
        )
    if row["computed"] not in ("yes", "no"):
        raise _problem(
            line,
            row,
            f"computed is {row['computed']!r}; write 'yes' for a series computed here "
            "from others of the same file, else 'no'.",
        )


@cache
def _rows(series_csv: Path) -> tuple[dict, ...]:
    if not series_csv.is_file():
        raise DataUnavailableError(
            f"{series_csv}: the registry of public series is missing. "
            "Restore it with git checkout -- data/external/series.csv."
        )
    with series_csv.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in SERIES_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise DataValidationError(
                f"{series_csv}: columns {missing} are missing; expected "
                f"{list(SERIES_COLUMNS)}. Restore the file with git checkout."
            )
        rows = tuple(reader)
    files = set(registry.table()["file"])
    units = {indicator: unit for indicator, (unit, _) in INDICATORS.items()}
    seen, releases = {}, {}
    for line, row in enumerate(rows, start=2):
        _check_row(line, row, files, units)
        key = (row["file"], row["indicator"])
        if key in seen:
            raise _problem(line, row, f"repeats line {seen[key]}; one row per file and indicator.")
        seen[key] = line
        if row["bib_key"]:
            release = (row["file"], row["publisher"], row["release"], row["year"])
            first = releases.setdefault(row["bib_key"], (line, release))
            if first[1] != release:
                raise _problem(
                    line,
                    row,
                    f"bib_key {row['bib_key']!r} is also used on line {first[0]} for "
                    f"{first[1]}; one bibliography entry cites one release of one file.",
                )
    return rows


def rows() -> tuple[dict, ...]:
    """Every series row, validated (and recorded as read, with the file registry, for the data-aware build)."""
    record_read(SERIES_CSV)
    record_read(registry.REGISTRY_CSV)
    return _rows(SERIES_CSV)


def table():
    """The series registry as a DataFrame."""
    import pandas as pd

    return pd.DataFrame(list(rows()), columns=list(SERIES_COLUMNS))


def of_file(filename: str) -> dict[str, dict]:
    """indicator -> series row, for the series read from one file."""
    found = {row["indicator"]: row for row in rows() if row["file"] == filename}
    if not found:
        raise DataValidationError(
            f"{SERIES_CSV} has no series of {filename!r}; add a row per indicator its "
            "reader returns (publisher, release, series code, definition, unit)."
        )
    return found


def entry(indicator: str, edition: str) -> dict:
    """The row of one series, named as the panel names it: indicator id and edition label."""
    matches = [row for row in rows() if row["indicator"] == indicator and row["edition"] == edition]
    if len(matches) != 1:
        known = sorted(row["edition"] for row in rows() if row["indicator"] == indicator)
        raise ParameterError(
            f"no series {indicator!r} of edition {edition!r} in {SERIES_CSV.name}; "
            f"editions of {indicator!r}: {known or 'none (unknown indicator)'}."
        )
    return dict(matches[0])


def source_file(indicator: str, edition: str) -> str:
    """The pinned file a series is read from."""
    return entry(indicator, edition)["file"]


def files_of(series) -> list[str]:
    """The pinned files behind (indicator, edition) pairs, sorted."""
    return sorted({source_file(indicator, edition) for indicator, edition in series})


def _code(row: dict) -> str:
    return "" if row["series_code"] == NO_CODE else f" ({row['series_code']})"


def short_label(indicator: str, edition: str) -> str:
    """Publisher and series with its code, or its release if it has none, for a sentence
    ("World Bank total population (SP.POP.TOTL)")."""
    row = entry(indicator, edition)
    named_by = row["release"] if row["series_code"] == NO_CODE else row["series_code"]
    return f"{row['publisher']} {row['series_name']} ({named_by})"


def cite_sources(series) -> str:
    """A source line in MyST: each release with its series and a citation, e.g. for a caption.

    ``series`` is a list of (indicator, edition) pairs; series of one release
    are listed together, in the order first given.
    """
    groups: dict[str, list[dict]] = {}
    for indicator, edition in series:
        row = entry(indicator, edition)
        if not row["bib_key"]:
            raise DataValidationError(
                f"{SERIES_CSV.name}: series {indicator!r} ({edition}) has no bib_key, so it "
                "cannot be cited; add its release to the series registry's bib_key column "
                "and to book/references.bib."
            )
        group = groups.setdefault(row["bib_key"], [])
        if row not in group:
            group.append(row)
    parts = []
    for key, group in groups.items():
        names = ", ".join(f"{row['series_name']}{_code(row)}" for row in group)
        parts.append(f"{group[0]['publisher']}, {group[0]['release']}: {names} {{cite}}`{key}`")
    return "; ".join(parts)


def _bib_text(text: str) -> str:
    return re.sub(r"([%$&_#])", r"\\\1", text)


def bibtex_fields() -> dict[str, dict[str, str]]:
    """bib key -> the fields of its public-data entry in book/references.bib, generated from the registries."""
    entries: dict[str, dict[str, str]] = {}
    listed: dict[str, list[str]] = {}
    editions: dict[str, str] = {}
    for row in rows():
        key = row["bib_key"]
        if not key:
            continue
        if row["computed"] == "no":
            listed.setdefault(key, []).append(
                row["series_code"] if row["series_code"] != NO_CODE else row["series_name"]
            )
        if key in entries:
            continue
        editions[key] = row["edition"]
        fields = {"author": f"{{{_bib_text(row['publisher'])}}}", "title": f"{{{_bib_text(row['release'])}}}"}
        if row["year"]:
            fields["year"] = row["year"]
        fields["url"] = registry.entry(row["file"])["url"]
        entries[key] = fields
    for key, fields in entries.items():
        fields["note"] = _bib_text(
            f"Series read: {', '.join(listed[key])}. Edition label in the compendium: "
            f"{editions[key]}. Retrieved from the copy at the URL given, pinned by sha256 "
            "in data/external/registry.csv."
        )
        fields["keywords"] = BIB_KEYWORD
    return entries


def bibtex() -> str:
    """The public-data entries of book/references.bib, as BibTeX text."""
    blocks = []
    for key, fields in bibtex_fields().items():
        width = max(len(name) for name in fields)
        body = ",\n".join(f"  {name:<{width}} = {{{value}}}" for name, value in fields.items())
        blocks.append(f"@misc{{{key},\n{body}\n}}")
    return "\n\n".join(blocks) + "\n"


def appendix_table():
    """One row per series, for the data appendix: what it is, who publishes it, and where it was retrieved from."""
    frame = table()
    urls = registry.table().set_index("file")["url"]
    return (
        frame.assign(
            series=frame["series_name"],
            code=frame["series_code"].replace(NO_CODE, "–"),
            retrieved_from=frame["file"].map(urls),
        )[["indicator", "series", "code", "publisher", "release", "edition", "file", "retrieved_from"]]
        .rename(columns={"edition": "edition label", "retrieved_from": "retrieved from"})
        .set_index("indicator")
    )


if __name__ == "__main__":
    print(bibtex(), end="")
