"""A Sphinx extension: glued tables are numbered as tables, and numbers follow the chapter files.

- **Tables are tables.** ``{glue:figure}`` wraps whatever it pastes in a figure, so Sphinx numbered
  the glued DataFrames and Stylers "Fig. N". The project labels every table ``tbl-...`` (the
  results index enforces it), so a glued figure with such a label is turned into a
  :class:`glued_table`, which Sphinx counts and captions as a table ("Table 5.2") while every
  writer still renders it as the figure it was (Sphinx's translators look a node's visitor up
  along its class hierarchy).
- **Numbers follow the chapters.** Jupyter Book numbers each part of the table of contents from 1,
  so chapter 9 would be section 1 again. After Sphinx has numbered the sections, a document
  ``chapters/NN-...`` takes NN as its number, the documents of the appendix part take letters
  (A, B, ...), and any other document (the paper's tables, the introduction) none; figures and
  tables are then renumbered under those numbers (``numfig_secnum_depth: 1``), so that a number
  cited as "Fig. 5.3" does not move when another chapter changes. An unnumbered page's tables
  count on their own: the paper's Tables 1-3 are Tables 1-3.
"""

from __future__ import annotations

import re
import string

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.collectors.toctree import TocTreeCollector
from sphinx.transforms import SphinxTransform

TABLE_LABEL_PREFIX = "tbl-"
CHAPTER_DOCUMENT = re.compile(r"^chapters/(\d+)-")


class glued_table(nodes.figure):  # noqa: N801 (docutils names node classes in lower case)
    """A table pasted by ``{glue:figure}``: laid out as a figure, numbered and captioned as a table."""


class GluedTablesAreTables(SphinxTransform):
    """Retype every glued figure labelled ``tbl-...`` as a :class:`glued_table`."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        for figure in list(self.document.findall(nodes.figure)):
            if type(figure) is nodes.figure and any(n.startswith(TABLE_LABEL_PREFIX) for n in figure["names"]):
                table = glued_table(figure.rawsource, *figure.children, **figure.attributes)
                figure.replace_self(table)
                for node_id in table["ids"]:
                    # The label was registered on the figure; references must find the table.
                    self.document.ids[node_id] = table


def chapter_numbers(toctrees: list[tuple[str, list[str]]], appendix_caption: str) -> dict[str, str | int | None]:
    """Each document's number: NN for ``chapters/NN-...``, a letter in the appendix part, else None.

    ``toctrees`` are (caption, documents) in book order.
    """
    numbers: dict[str, str | int | None] = {}
    for caption, documents in toctrees:
        if caption == appendix_caption:
            if len(documents) > len(string.ascii_uppercase):
                raise ValueError(f"the part {caption!r} has {len(documents)} documents; letters run out at 26.")
            numbers |= dict(zip(documents, string.ascii_uppercase))
            continue
        for document in documents:
            match = CHAPTER_DOCUMENT.match(document)
            numbers[document] = int(match.group(1)) if match else None
    return numbers


def _renumbered(number, first):
    return None if number is None or first is None else [first, *list(number)[1:]]


def _root_toctrees(env) -> list[tuple[str, list[str]]]:
    root = env.get_doctree(env.config.root_doc)
    return [
        (toctree.get("caption") or "", [ref for _title, ref in toctree["entries"]])
        for toctree in root.findall(addnodes.toctree)
        if toctree.get("numbered")
    ]


def renumber_by_chapter(app, env) -> list[str]:
    """Replace the section numbers of numbered documents by their chapter's, then number figures again."""
    numbers = chapter_numbers(_root_toctrees(env), app.config.appendix_part_caption)
    for document, first in numbers.items():
        if document not in env.toc_secnumbers:
            continue
        if first is None:
            del env.toc_secnumbers[document]
        else:
            env.toc_secnumbers[document] = {
                anchor: tuple(_renumbered(number, first) or ())
                for anchor, number in env.toc_secnumbers[document].items()
            }
        # The sidebar and the previous/next links read the numbers stored in the documents' tocs.
        for reference in env.tocs[document].findall(nodes.reference):
            if reference.get("secnumber"):
                reference["secnumber"] = _renumbered(reference["secnumber"], first)
        title = env.titles.get(document)
        if title is not None and title.get("secnumber"):
            title["secnumber"] = _renumbered(title["secnumber"], first)
    TocTreeCollector().assign_figure_numbers(env)
    return list(numbers)


def setup(app) -> dict:
    app.add_config_value("appendix_part_caption", "Appendices", "env")
    app.add_enumerable_node(glued_table, "table")
    app.add_transform(GluedTablesAreTables)
    app.connect("env-get-updated", renumber_by_chapter, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
