"""CITATION.cff at release time, and the deposit metadata (.zenodo.json, codemeta.json) made from it."""

from __future__ import annotations

import json

import pytest
import yaml

from analysis import __version__, paths
from compendium import release
from helpers.release_archive import commit_timestamp, unpack

# ---- CITATION.cff at release time, and the deposit metadata made from it ----------------------------


def test_the_released_citation_gains_the_release_date_and_keeps_its_comments(small_archive, tmp_path):
    folder = unpack(small_archive, tmp_path / "unpacked")
    released = (folder / "CITATION.cff").read_text(encoding="utf-8")
    original = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert released == original.replace(
        f"version: {__version__}\n", f'version: {__version__}\ndate-released: "2026-01-31"\n'
    )
    assert yaml.safe_load(released)["date-released"] == "2026-01-31"


def test_an_earlier_release_date_is_replaced():
    stamp = release.ReleaseStamp("1.0.0", "0" * 40, commit_timestamp())
    text = "cff-version: 1.2.0\ndate-released: 2020-01-01\nversion: 1.0.0\ntitle: t\n"
    assert (
        release.stamped_citation(text, stamp)
        == 'cff-version: 1.2.0\nversion: 1.0.0\ndate-released: "2026-01-31"\ntitle: t\n'
    )
    with pytest.raises(release.ReleaseError, match="no top-level `version:` line"):
        release.stamped_citation("title: t\n", stamp)


def _released_cff(**changes) -> dict:
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cff["date-released"] = "2026-01-31"
    cff.update(changes)
    return cff


def test_zenodo_metadata_is_the_citation_file(small_archive):
    zenodo = json.loads((small_archive.parent / ".zenodo.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert zenodo["title"] == cff["title"]
    assert zenodo["description"] == cff["abstract"]
    assert zenodo["version"] == str(cff["version"])
    assert zenodo["license"] == cff["license"]
    assert zenodo["keywords"] == cff["keywords"]
    assert zenodo["creators"] == [{"name": author["name"]} for author in cff["authors"]]
    assert zenodo["publication_date"] == "2026-01-31"
    assert zenodo["upload_type"] == cff["type"] == "software"
    # Only what the CFF knows is related: the paper's DOI (else its URL), then the repository.
    paper = cff["references"][0]
    expected = [
        {"identifier": paper[key], "relation": "isSupplementTo", "scheme": key}
        for key in ("doi", "url")
        if paper.get(key)
    ][:1]
    if cff.get("repository-code"):
        expected.append({"identifier": cff["repository-code"], "relation": "isSupplementTo", "scheme": "url"})
    assert zenodo.get("related_identifiers", []) == expected


def test_zenodo_relates_the_paper_and_the_repository_when_known():
    cff = _released_cff(**{"repository-code": "https://git.example.org/cis/compendium"})
    cff["references"][0]["doi"] = "10.1234/paper.5678"
    cff["authors"].append(
        {
            "family-names": "Gogh",
            "name-particle": "van",
            "given-names": "Vincent",
            "orcid": "https://orcid.org/0000-0002-1825-0097",
            "affiliation": "Somewhere",
        }
    )
    zenodo = release.zenodo_metadata(cff)
    assert zenodo["related_identifiers"] == [
        {"identifier": "10.1234/paper.5678", "relation": "isSupplementTo", "scheme": "doi"},
        {"identifier": "https://git.example.org/cis/compendium", "relation": "isSupplementTo", "scheme": "url"},
    ]
    assert zenodo["creators"][-1] == {
        "name": "van Gogh, Vincent",
        "affiliation": "Somewhere",
        "orcid": "0000-0002-1825-0097",
    }


def test_codemeta_is_the_citation_file(small_archive):
    meta = json.loads((small_archive.parent / "codemeta.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    paper = cff["references"][0]
    assert meta["@context"] == "https://w3id.org/codemeta/3.0"
    assert meta["@type"] == "SoftwareSourceCode"
    assert (meta["name"], meta["description"], meta["version"]) == (cff["title"], cff["abstract"], cff["version"])
    assert meta["license"] == f"https://spdx.org/licenses/{cff['license']}"
    assert meta["datePublished"] == "2026-01-31"
    assert meta["author"] == [{"@type": "Organization", "name": a["name"]} for a in cff["authors"]]
    assert meta["referencePublication"] == {
        "@type": "CreativeWork",
        "name": paper["title"],
        "datePublished": str(paper["year"]),
        "author": [
            {"@type": "Person", "givenName": a["given-names"], "familyName": a["family-names"]}
            for a in paper["authors"]
        ],
    }


def test_a_list_of_licences_is_refused_by_name():
    with pytest.raises(release.ReleaseError, match="a deposit takes one SPDX id"):
        release.zenodo_metadata(_released_cff(license=["MIT", "CC-BY-4.0"]))
