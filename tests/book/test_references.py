"""book/references.bib: it parses, invents nothing, and covers every citation in the paper."""

from __future__ import annotations

import re

import pybtex.database
import pytest

from analysis import paths

# Hand count of the distinct author-year citations in the paper's text
# (a/b suffixes and the one unsuffixed "Sadovskaya 2006" counted apart).
CITATIONS_IN_PAPER = 38
NO_REFERENCE_NOTE = "the paper gives no full reference"
# Fields that only hold what the paper printed; note, year and month are ours.
PRINTED_FIELDS = ("title", "booktitle", "series", "volume", "publisher", "address", "journal", "howpublished")
VENUE_FIELDS = ("booktitle", "journal", "howpublished", "publisher", "address", "organization")


def collapsed(text: str) -> str:
    """The text with every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


EXTENSION_DATA = "extension-data"
EXTENSION_METHODS = "extension-methods"


def bibliography():
    """The works the paper cites (and the paper). The public data files the extension
    chapters use are marked `keywords = {extension-data}` and checked in test_extension.py; the
    methods and treaties they cite, `keywords = {extension-methods}`, in tests/research/chapters."""
    database = pybtex.database.parse_file(str(paths.BIBLIOGRAPHY))
    extension = (EXTENSION_DATA, EXTENSION_METHODS)
    for key in [k for k, e in database.entries.items() if e.fields.get("keywords") in extension]:
        del database.entries[key]
    return database


def plain(text: str) -> str:
    return text.replace("{", "").replace("}", "")


def surnames(entry) -> list[str]:
    return [plain(" ".join(person.last_names)) for person in entry.persons.get("author", [])]


def cited_works(text: str) -> set[tuple[tuple[str, ...], bool, str, str]]:
    """(surnames, et_al, year, suffix) of each author-year citation inside parentheses."""
    citation = re.compile(r"^(?P<authors>[A-Z][^\d;:()]*?)\s+(?P<year>(?:19|20)\d\d)(?P<suffix>[ab]?)$")
    found = set()
    for group in re.findall(r"\(([^()]*)\)", text):
        for part in group.split(";"):
            part = re.sub(r"^for details please refer to:", "", part.strip()).strip()
            match = citation.match(part)
            if not match:
                continue
            authors = match["authors"]
            et_al = authors.endswith(" et al.")
            names = tuple(authors.removesuffix(" et al.").split(" and "))
            found.add((names, et_al, match["year"], match["suffix"]))
    return found


def test_bibliography_parses_with_pybtex():
    entries = bibliography().entries
    assert "ivakhnyuk2006" in entries
    assert len(entries) > CITATIONS_IN_PAPER


def test_every_entry_has_a_year_and_a_provenance_note():
    for key, entry in bibliography().entries.items():
        # The paper's a/b suffix is part of the year, so author-year labels keep it.
        assert re.fullmatch(r"(19|20)\d\d[ab]?", entry.fields.get("year", "")), key
        assert "Ivakhnyuk (2006)" in entry.fields.get("note", "") or key == "ivakhnyuk2006", key


def test_keys_are_lowercase_and_carry_the_year_and_suffix():
    for key, entry in bibliography().entries.items():
        assert key == key.lower(), key
        assert entry.fields["year"] in key, key


def test_works_known_only_by_author_and_year_carry_nothing_else():
    for key, entry in bibliography().entries.items():
        if NO_REFERENCE_NOTE in entry.fields.get("note", ""):
            invented = [field for field in PRINTED_FIELDS if field in entry.fields]
            assert not invented, f"{key} has {invented} although the paper gives no full reference"


def test_the_papers_unconfirmed_venue_is_left_out():
    entry = bibliography().entries["ivakhnyuk2006"]
    assert not [field for field in VENUE_FIELDS if field in entry.fields]
    assert "venue" in entry.fields["note"]
    assert surnames(entry) == ["Ivakhnyuk"] and entry.fields["year"] == "2006"


def test_unsuffixed_sadovskaya_2006_is_its_own_entry_with_the_ambiguity_noted():
    entries = bibliography().entries
    assert {"sadovskaya2006", "sadovskaya2006a", "sadovskaya2006b"} <= set(entries)
    assert "without a suffix" in entries["sadovskaya2006"].fields["note"]


@pytest.mark.paper
def test_the_citation_regex_finds_the_hand_counted_citations(paper_text):
    assert len(cited_works(collapsed(paper_text))) == CITATIONS_IN_PAPER


@pytest.mark.paper
def test_every_citation_in_the_paper_has_exactly_one_matching_entry(paper_text):
    entries = bibliography().entries
    for names, et_al, year, suffix in sorted(cited_works(collapsed(paper_text))):

        def matches(key, entry, names=names, et_al=et_al, year=year, suffix=suffix):
            if entry.fields["year"] != f"{year}{suffix}" or not re.search(rf"{year}{suffix}$", key):
                return False
            authors = surnames(entry)
            if not authors:  # cited by title, e.g. "Mozgi utekayushie 1998"
                return plain(entry.fields.get("title", "")) == " ".join(names)
            if et_al:
                return authors[0] == names[0] and authors[-1] == "others"
            return tuple(authors) == names

        hits = [key for key, entry in entries.items() if matches(key, entry)]
        label = f"{' and '.join(names)}{' et al.' if et_al else ''} {year}{suffix}"
        assert len(hits) == 1, f"citation {label!r}: matching bib entries {hits}, expected exactly one"


@pytest.mark.paper
def test_every_entry_is_cited_or_printed_in_the_paper(paper_text):
    text = collapsed(paper_text)
    for key, entry in bibliography().entries.items():
        for name in surnames(entry):
            if name != "others":
                assert name in text, f"{key}: author {name!r} does not occur in the paper"
        for field in PRINTED_FIELDS:
            if field in entry.fields:
                value = plain(entry.fields[field])
                assert value in text, f"{key}: {field} {value!r} is not printed in the paper"
