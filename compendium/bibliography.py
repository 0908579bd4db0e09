"""The bibliography's style: each entry labelled as the text cites it ("Ivakhnyuk, 2006"), sorted by author.

sphinxcontrib-bibtex cites author-year in the text, but pybtex's styles label
the list [1], [2], ... or [Iva06], so a reader cannot match a citation to its
entry. This style labels each entry with the parenthetical citation itself,
rendered by sphinxcontrib-bibtex's own author-year template (author, else
editor, else title; then the year, or "n.d."), so label and citation cannot
differ; entries sort by that author text, then year. A dollar sign, which
BibTeX needs escaped ("US\\$"), is shown as "$": pybtex decodes "\\&" and
"\\%" but leaves "\\$" as typed. Everything else is pybtex's ``plain`` style.
``compendium.sphinx_extension`` registers it as ``author_year`` for
``bibtex_default_style``.
"""

from __future__ import annotations

from types import SimpleNamespace

from pybtex.database import Entry
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.template import join, year

STYLE_NAME = "author_year"
_PERSON = PersonStyle()  # the defaults of the author_year reference style
_AUTHOR = _PERSON.author_or_editor_or_title(full=False)
AUTHOR_YEAR_SEP = ", "  # as the author_year reference style separates them


def author_text(entry) -> str:
    """The entry's authors as the text cites them: "Korobkov and Palei", "IMF", or the title."""
    return _AUTHOR.format_data({"entry": entry, "style": SimpleNamespace(person=_PERSON)}).render_as("text")


def citation_label(entry) -> str:
    """The parenthetical citation of the entry, without brackets: "Ivakhnyuk, 2006a"."""
    data = {"entry": entry, "style": SimpleNamespace(person=_PERSON)}
    return join(sep=AUTHOR_YEAR_SEP)[_AUTHOR, year].format_data(data).render_as("text")


class AuthorYearLabels(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield citation_label(entry)


class ByAuthorThenYear(BaseSortingStyle):
    def sorting_key(self, entry):
        return author_text(entry).casefold(), entry.fields.get("year", ""), entry.key

    def sort(self, entries):
        return sorted(entries, key=self.sorting_key)


class AuthorYearStyle(PlainStyle):
    default_label_style = AuthorYearLabels
    default_sorting_style = ByAuthorThenYear

    def format_entry(self, label, entry, bib_data=None):
        # pybtex shows a bare "$" as typed, so the escaped one becomes bare before formatting.
        unescaped = Entry(
            entry.type,
            fields={name: value.replace("\\$", "$") for name, value in entry.fields.items()},
            persons=entry.persons,
        )
        unescaped.key = entry.key
        return super().format_entry(label, unescaped, bib_data=bib_data)


def register() -> None:
    """Make the style available to sphinxcontrib-bibtex as ``bibtex_default_style: author_year``."""
    register_plugin("pybtex.style.formatting", STYLE_NAME, AuthorYearStyle, force=True)
