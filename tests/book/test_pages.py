"""The book's own pages about itself: where the code lives, re-running it, what changed.

The repository, source and edit links and the launch buttons must all come from
the one address in _config.yml; "Re-run it yourself" must show the README's
commands without holding a copy of them; the changelog page must show
CHANGELOG.md, which follows Keep a Changelog.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from analysis import paths
from compendium import repository

pytestmark = pytest.mark.slow
RERUN_PAGE = "book/rerun-yourself"
CHANGELOG_PAGE = "book/changelog"
README_RANGE = re.compile(
    r"<!-- book: re-run (?P<name>[\w ]+) start -->\n(?P<text>.*?)<!-- book: re-run (?P=name) end -->", re.DOTALL
)
VERSION_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2}|Unreleased)$", re.MULTILINE)


def _page(built_book: Path, entry: str) -> BeautifulSoup:
    return BeautifulSoup((built_book / f"{entry}.html").read_text(encoding="utf-8"), "html.parser")


def _toc_entries() -> list[str]:
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def _text(soup: BeautifulSoup) -> str:
    return re.sub(r"\s+", " ", soup.select_one("article").get_text(" "))


def test_every_link_to_the_code_comes_from_the_configured_repository(built_book):
    repo = repository.repository()
    for entry in _toc_entries():
        soup = _page(built_book, entry)
        source = next(p for p in (paths.ROOT / f"{entry}.ipynb", paths.ROOT / f"{entry}.md") if p.is_file())
        relative = source.relative_to(paths.ROOT).as_posix()
        links = {a["href"] for a in soup.select("a[href]")}
        assert repo.url in links, entry
        assert f"{repo.url}/edit/{repo.branch}/{relative}" in links, entry
        assert any(link.startswith(f"{repo.url}/blob/{repo.branch}/{relative}") for link in links), entry
        if source.suffix == ".ipynb":  # a notebook opens on Binder, from the same repository and branch
            owner_name = repo.url.split("://", 1)[1].split("/", 1)[1]
            binder = [link for link in links if link.startswith("https://mybinder.org/v2/gh/")]
            assert binder and all(
                f"/v2/gh/{owner_name}/{repo.branch}?" in link and relative in link for link in binder
            ), (entry, binder)


def test_the_rerun_page_shows_the_readmes_commands_from_the_readme_itself(built_book):
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    ranges = {match["name"]: match["text"] for match in README_RANGE.finditer(readme)}
    assert set(ranges) == {"commands", "data and parameters"}
    commands = [
        line.split("#")[0].strip()
        for text in ranges.values()
        for block in re.findall(r"```bash\n(.*?)```", text, re.DOTALL)
        for line in block.splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert {"make book", "make test"} <= set(commands) and any(c.startswith("compendium run") for c in commands)
    page = _text(_page(built_book, RERUN_PAGE))
    assert [command for command in commands if re.sub(r"\s+", " ", command) not in page] == []
    # One source: the page includes the README; its own cells hold none of the commands.
    source = "\n".join(cell.source for cell in nbformat.read(paths.ROOT / f"{RERUN_PAGE}.ipynb", 4).cells)
    assert source.count("{include} ../README.md") == len(ranges)
    assert [command for command in commands if command in source] == []


def test_the_book_says_where_its_code_lives(built_book):
    repo = repository.repository()
    page = _page(built_book, RERUN_PAGE)
    assert repo.url in {a["href"] for a in page.select("article a[href]")}
    assert f"git clone --branch {repo.branch} {repo.url}.git" in _text(page)
    assert ("placeholder" in _text(page)) == repo.is_placeholder


def test_the_changelog_follows_keep_a_changelog_and_is_a_page_of_the_book(built_book):
    changelog = (paths.ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog\n") and "keepachangelog.com" in changelog
    versions = [match["version"] for match in VERSION_HEADING.finditer(changelog)]
    headings = re.findall(r"^## .*$", changelog, re.MULTILINE)
    assert len(versions) == len(headings) > 0, headings  # every version heading in the format
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) in versions
    page = _page(built_book, CHANGELOG_PAGE)

    # The appendices are numbered (A, B, ...), and so are their sections: "I.1. " is dropped before comparing.
    def titles(level):
        return [
            re.sub(r"^[A-Z](\.\d+)+\. ", "", re.sub(r"[#¶]$", "", h.get_text().strip()))
            for h in page.select(f"article {level}")
        ]

    assert titles("h2") == [heading.removeprefix("## ") for heading in headings]
    assert {"Added"} <= set(titles("h3"))


def test_bibliography_labels_match_the_citations_and_sort_by_author(built_book):
    bibliography = _page(built_book, "book/bibliography")
    labels = {
        entry["id"]: entry.select_one("span.label").get_text().strip("[] ")
        for entry in bibliography.select('div.citation[role="doc-biblioentry"]')
    }
    assert labels
    authors = [label.rsplit(", ", 1)[0].casefold() for label in labels.values()]
    assert authors == sorted(authors)
    mismatched = []
    for entry in _toc_entries():
        for link in _page(built_book, entry).select("span.bibtex-citation a[href*='bibliography.html#']"):
            target, text = link["href"].rsplit("#", 1)[1], link.get_text()
            if ", " in text and text != labels[target]:  # a parenthetical citation: "Author, Year"
                mismatched.append((entry, text, labels[target]))
    assert mismatched == []


def test_how_to_cite_shows_the_commit_of_the_build_and_links_the_citation_file(built_book):
    from compendium import release

    cited = release.cited_build(release.read_stamp())
    page = _page(built_book, "book/how-to-cite")
    text = _text(page)
    assert text.count(cited.commit) >= 4  # BibTeX, CSL-JSON, RIS and the example of a model's citation
    assert "…" not in text
    assert repository.repository().file_url("CITATION.cff") in {a["href"] for a in page.select("article a[href]")}
    for record in ("@misc", '"type" : "software"', "TY - COMP"):
        assert record in text
