"""Tables as MyST Markdown, so that their cells can cite works and link to labels.

A glued DataFrame renders as plain HTML, where ``{cite}`` and ``{ref}`` stay literal.
The qualitative chapters glue these strings as ``IPython.display.Markdown`` and paste
them with ``{glue:md}`` and ``:format: myst`` inside a ``{table}`` directive, so every
source in a cell is a real citation that the build resolves against the bibliography.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataValidationError

_ENTRY = re.compile(r"^@\w+\{([^,\s]+),", re.MULTILINE)
_LABEL = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@cache
def bibliography_keys(bibliography: Path = paths.BIBLIOGRAPHY) -> frozenset[str]:
    """Every entry key in ``book/references.bib``."""
    bibliography = Path(bibliography)
    if not bibliography.is_file():
        raise DataValidationError(f"{bibliography}: the bibliography is missing; restore book/references.bib.")
    return frozenset(_ENTRY.findall(bibliography.read_text(encoding="utf-8")))


def author_year(key: str, bibliography: Path = paths.BIBLIOGRAPHY) -> str:
    """ "Author Year" of one entry as plain text (for figure legends, where roles do not render)."""
    text = Path(bibliography).read_text(encoding="utf-8")
    match = re.search(r"^@\w+\{" + re.escape(key) + r",(.*?)^\}", text, re.MULTILINE | re.DOTALL)
    if match is None:
        raise DataValidationError(f"source key {key!r} is not an entry of {bibliography}.")
    fields = dict(re.findall(r"^\s*(author|title|year)\s*=\s*\{(.*)\},?\s*$", match.group(1), re.MULTILINE))
    who = fields.get("author") or fields.get("title")
    if not who or "year" not in fields:
        raise DataValidationError(f"entry {key!r} of {bibliography} has no author (or title) and year.")
    who = re.sub(r"[{}]", "", who).replace(" and others", " et al.")
    return f"{who} {fields['year']}"


def split_keys(keys) -> list[str]:
    """The keys of a ``source_keys`` cell ("a;b"), in order; none for an empty cell."""
    if keys is None or pd.isna(keys) or not str(keys).strip():
        return []
    return [key.strip() for key in str(keys).split(";")]


def cite(keys, bibliography: Path = paths.BIBLIOGRAPHY) -> str:
    """``{cite}`a,b``` for a ``source_keys`` cell; an empty string when the cell is empty.

    Unknown keys fail here, with the key named, rather than as a build warning.
    """
    found = split_keys(keys)
    unknown = [key for key in found if key not in bibliography_keys(bibliography)]
    if unknown:
        raise DataValidationError(
            f"source key(s) {unknown} are not entries of {bibliography}. "
            "Use a key from book/references.bib (grep '^@' book/references.bib) or correct the data row."
        )
    return f"{{cite}}`{','.join(found)}`" if found else ""


def ref(label: str, role: str = "ref") -> str:
    """``{ref}`label``` (or another role such as ``numref``) after checking the label's spelling."""
    if not _LABEL.fullmatch(label):
        raise DataValidationError(f"label {label!r} is not a valid target name (lower-case letters, digits and '-').")
    return f"{{{role}}}`{label}`"


def _cell(value) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    # A pipe would end the cell and a newline the row; both are escaped or flattened.
    return " ".join(str(value).split()).replace("|", "\\|")


def pipe_table(frame: pd.DataFrame) -> str:
    """A GitHub-style pipe table of ``frame`` (index dropped; empty cells for missing values)."""
    if frame.columns.empty:
        raise DataValidationError("cannot render a table without columns.")
    header = "| " + " | ".join(_cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows]) + "\n"
