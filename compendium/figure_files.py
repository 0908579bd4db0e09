"""A Sphinx extension: every figure of the book opens full size, links its data and has real alt text.

``compendium.page.show`` writes each figure as ``results/figures/<label>.png`` and ``.svg`` and its
data as ``<label>.csv``. For every figure whose label has such a PNG, this extension

- sets the image's alt text to the first sentence of the caption (not the glued file's path);
- in HTML, copies the SVG and the CSV into the build's ``figures/`` folder, makes a click on the
  image open the SVG, and puts "Data (CSV)" and "Full size (SVG)" links under the caption.

A figure whose SVG or CSV is missing is a build warning (an error under ``-W``), naming the file and
the fix: a figure without its data is not published.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from analysis import paths

logger = logging.getLogger(__name__)

BUILD_FOLDER = "figures"  # below the HTML output folder
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")


def first_sentence(caption: str) -> str:
    """The caption's first sentence: up to the first ., ! or ? followed by a space and a capital."""
    text = " ".join(caption.split())
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def _label(figure: nodes.figure) -> str | None:
    return figure["names"][0] if figure["names"] else None


def _links(uri_of, label: str) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=["figure-files"])
    paragraph += nodes.reference("", "Data (CSV)", refuri=uri_of(f"{label}.csv"), classes=["figure-data"])
    paragraph += nodes.Text(" · ")
    paragraph += nodes.reference("", "Full size (SVG)", refuri=uri_of(f"{label}.svg"), classes=["figure-svg"])
    return paragraph


def _publish(figure: nodes.figure, label: str, uri_of, target: Path, figures_dir: Path) -> None:
    files = [figures_dir / f"{label}.{suffix}" for suffix in ("svg", "csv")]
    missing = [f for f in files if not f.is_file()]
    if missing:
        logger.warning(
            f"figure {label!r}: {', '.join(str(f) for f in missing)} missing; re-execute its notebook "
            "(compendium.page.show(figure, label, data=frame) writes both).",
            location=figure,
        )
        return
    target.mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copyfile(file, target / file.name)
    for image in list(figure.findall(nodes.image)):
        if not isinstance(image.parent, nodes.reference):
            link = nodes.reference("", "", refuri=uri_of(f"{label}.svg"), classes=["figure-full-size"])
            image.replace_self(link)
            link += image
    legend = next(figure.findall(nodes.legend), None)
    if legend is None:
        legend = nodes.legend()
        figure += legend
    legend += _links(uri_of, label)


def figure_files(app, doctree: nodes.document, docname: str) -> None:
    """Alt text for every saved figure of the page; in HTML, its SVG and CSV copied and linked."""
    figures_dir = paths.FIGURES_DIR
    html = app.builder.format == "html"
    page_uri = "" if app.builder.name == "singlehtml" else app.builder.get_target_uri(docname) if html else ""
    target = Path(app.outdir) / BUILD_FOLDER

    def uri_of(name: str) -> str:
        return relative_uri(page_uri, f"{BUILD_FOLDER}/{name}")

    for figure in list(doctree.findall(nodes.figure)):
        label = _label(figure)
        if type(figure) is not nodes.figure or label is None or not (figures_dir / f"{label}.png").is_file():
            continue
        caption = next(figure.findall(nodes.caption), None)
        if caption is not None:
            for image in figure.findall(nodes.image):
                image["alt"] = first_sentence(caption.astext())
        if html:
            _publish(figure, label, uri_of, target, figures_dir)


def setup(app) -> dict:
    app.connect("doctree-resolved", figure_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
