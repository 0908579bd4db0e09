"""The bibliography's style: labels are the citations as printed, entries sort by author, "US$" reads "US$"."""

from __future__ import annotations

import pybtex.database
import pybtex.plugin

from analysis import paths
from compendium import bibliography


def _formatted(bib: pybtex.database.BibliographyData) -> list:
    return list(bibliography.AuthorYearStyle().format_bibliography(bib))


def test_labels_are_author_year_and_entries_sort_by_author_then_year():
    entries = _formatted(pybtex.database.parse_file(str(paths.BIBLIOGRAPHY), "bibtex"))
    labels = {entry.key: entry.label for entry in entries}
    assert labels["ivakhnyuk2006"] == "Ivakhnyuk, 2006"
    assert labels["ivakhnyuk2006a"] == "Ivakhnyuk, 2006a"
    assert labels["korobkov2005"] == "Korobkov and Palei, 2005"
    assert labels["icmpd2006"] == "ICMPD, 2006"  # an organisation, its braces gone
    assert labels["mozgi1998"] == "Mozgi utekayushie, 1998"  # no author: the title, as the text cites it
    order = [
        (label.rsplit(", ", 1)[0].casefold(), label.rsplit(", ", 1)[1]) for label in (entry.label for entry in entries)
    ]
    assert [author for author, _ in order] == sorted(author for author, _ in order)
    # One author's works in year order, and a single author before the pairs that start with the name.
    ivakhnyuk = [label for label in (entry.label for entry in entries) if label.startswith("Ivakhnyuk")]
    assert ivakhnyuk == [
        "Ivakhnyuk, 2004",
        "Ivakhnyuk, 2005",
        "Ivakhnyuk, 2006",
        "Ivakhnyuk, 2006a",
        "Ivakhnyuk, 2006b",
        "Ivakhnyuk and Aleshkovski, 2005",
    ]


def test_an_escaped_dollar_reads_as_a_dollar():
    bib = pybtex.database.parse_string(
        r"@misc{wb, author = {{World Bank}}, title = {{Remittances, US\$ million}}, year = {2005},"
        r" note = {Per head, in US\$ a day; R\&D at 50\%.}}",
        "bibtex",
    )
    (entry,) = _formatted(bib)
    text = entry.text.render_as("text")
    assert "Remittances, US$ million" in text and "in US$ a day; R&D at 50%." in text
    assert "\\" not in text


def test_the_style_is_registered_under_the_name_the_book_uses():
    bibliography.register()
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", bibliography.STYLE_NAME) is bibliography.AuthorYearStyle
