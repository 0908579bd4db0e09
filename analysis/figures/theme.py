"""How every figure looks and how it is written to disk.

``save`` writes PNG and SVG without dates or software versions, so that the same
figure gives the same bytes on every run (nbval compares glued PNGs byte for byte);
``save_data`` writes the table a figure draws beside it, as CSV.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import ticker
from matplotlib.text import Text

from analysis import paths
from analysis.errors import DataValidationError, ParameterError
from analysis.files import record_output, write_atomically

PALETTE = "colorblind"
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}
SMALLEST_TEXT_KEY = "Smallest text (pt)"  # PNG text chunk: lets a test check legibility from the file alone
# The page shows a figure at figure.dpi (1 CSS px per dot), shrunk to the content column when wider;
# at a 1280 px window sphinx-book-theme's column is about 720 px. Text must stay at least 9 CSS px there.
SCREEN_DPI = 100
SAVED_DPI = 150
BOOK_COLUMN_PX = 720
MIN_TEXT_PX = 9.0
DENSE_COLLECTION_MARKS = 100  # above this, a collection is an image inside the SVG


def set_theme() -> None:
    import seaborn as sns  # about a second to import; only code that makes figures pays it

    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    plt.rcParams.update(
        {
            "figure.dpi": SCREEN_DPI,
            "savefig.dpi": SAVED_DPI,
            "svg.hashsalt": "cis-compendium",
            "figure.figsize": (7.5, 4.5),
        }
    )


def _drawn_texts(artist):
    """The non-empty texts that are drawn: an artist hidden hides its children too."""
    if not artist.get_visible():
        return
    if isinstance(artist, Text) and artist.get_text().strip():
        yield artist
    for child in artist.get_children():
        yield from _drawn_texts(child)


def smallest_text_pt(figure: plt.Figure) -> float:
    """The font size (pt) of the smallest text the figure draws."""
    figure.draw_without_rendering()  # tick labels get their text only when the figure is drawn
    sizes = [text.get_fontsize() for text in _drawn_texts(figure)]
    if not sizes:
        raise ParameterError("the figure draws no text; label its axes.")
    return min(sizes)


def shown_text_px(font_pt: float, width_in: float, column_px: float = BOOK_COLUMN_PX) -> float:
    """CSS px of ``font_pt`` text in a figure ``width_in`` inches wide, as the book's column shows it."""
    natural_px = width_in * SCREEN_DPI
    return font_pt / 72 * SCREEN_DPI * min(1.0, column_px / natural_px)


def save(figure: plt.Figure, label: str, directory: Path = paths.FIGURES_DIR) -> Path:
    """Write ``<label>.png`` and ``<label>.svg``; returns the PNG path.

    The PNG records the size of the figure's smallest text, so that a test can check from the
    file alone that the figure stays legible at the width the book shows it.
    """
    directory.mkdir(parents=True, exist_ok=True)
    png = directory / f"{label}.png"
    figure.savefig(
        png, metadata=_PNG_METADATA | {SMALLEST_TEXT_KEY: f"{smallest_text_pt(figure):g}"}, bbox_inches="tight"
    )
    svg = directory / f"{label}.svg"
    with _dense_collections_rasterized(figure), plt.rc_context({"svg.fonttype": "none"}):
        figure.savefig(svg, metadata=_SVG_METADATA, bbox_inches="tight", dpi=SAVED_DPI)
    record_output(png)
    record_output(svg)
    return png


@contextmanager
def _dense_collections_rasterized(figure: plt.Figure):
    """In the SVG only, draw collections of many marks as one embedded image, so that the full-size file
    stays small (the book's HTML has a size budget); text, axes and sparse marks stay vector."""
    dense = [
        collection
        for axis in figure.axes
        for collection in axis.collections
        if max(len(collection.get_offsets()), len(collection.get_paths())) > DENSE_COLLECTION_MARKS
    ]
    for collection in dense:
        collection.set_rasterized(True)
    try:
        yield
    finally:
        for collection in dense:
            collection.set_rasterized(False)


def save_data(data: pd.DataFrame, label: str, directory: Path = paths.FIGURES_DIR) -> Path:
    """Write the table behind figure ``label`` as ``<label>.csv`` (no index: name what you need as columns)."""
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise DataValidationError(
            f"figure {label!r}: its data must be a non-empty DataFrame, not "
            f"{type(data).__name__}; pass the frame the figure draws."
        )
    path = directory / f"{label}.csv"
    # Six significant digits: what a reader can see in a figure, at a fraction of the file size.
    write_atomically({path: data.to_csv(index=False, lineterminator="\n", float_format="%.6g")})
    return path


class PlainLogFormatter(ticker.LogFormatter):
    """Log-axis labels as plain numbers with thousands separators (100, 1,000), not powers of ten."""

    def _num_to_string(self, x, vmin, vmax):
        return f"{x:,.0f}" if x >= 1 else f"{x:g}"


def plain_log_axis(axis) -> None:
    """Label a log-scaled x or y axis (an ``Axis``, e.g. ``ax.yaxis``) 100, 1,000 instead of 10², 10³."""
    axis.set_major_formatter(PlainLogFormatter(labelOnlyBase=False))
    axis.set_minor_formatter(PlainLogFormatter(labelOnlyBase=False))
