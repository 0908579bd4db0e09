"""What a chapter's notebook does, one line each: set up, show a figure, glue numbers and text.

Notebooks stay thin: the numbers come from functions in :mod:`analysis.chapters`
that return plain dicts (testable without a kernel), and these helpers put them
on the page. Keys are glued as ``<prefix>-<key>``, so a dict's keys read as the
page's glue names.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown
from myst_nb import glue

from analysis import figures
from compendium.parameters import validate


def setup(chapter: str, **parameters) -> None:
    """Refuse bad parameters before any work is done, then set the figures' theme."""
    validate(chapter, **parameters)
    figures.set_theme()


def show(figure: plt.Figure, label: str, data: pd.DataFrame | None = None) -> None:
    """Save ``figure`` as results/figures/<label>.png and .svg, glue it under ``label`` and close it.

    ``data``, the table the figure draws, is written beside it as <label>.csv; the book links it
    under the figure as "Data (CSV)" (compendium.figure_files), and fails to build without it.
    It returns nothing, so that a cell ending with it prints no machine-specific path.
    """
    figures.save(figure, label)
    if data is not None:
        figures.save_data(data, label)
    glue(label, figure, display=False)
    plt.close(figure)


def glue_numbers(prefix: str, numbers: Mapping[str, object]) -> None:
    """Glue every value of ``numbers`` (numbers or plain strings) as ``<prefix>-<key>``."""
    for key, value in numbers.items():
        glue(f"{prefix}-{key}", value, display=False)


def glue_markdown(prefix: str, texts: Mapping[str, str]) -> None:
    """Glue every MyST/Markdown string of ``texts`` as ``<prefix>-<key>``, for ``{glue:md}``."""
    for key, text in texts.items():
        glue(f"{prefix}-{key}", Markdown(text), display=False)


def glue_table(label: str, table) -> None:
    """Glue a table under ``label``: a DataFrame or Styler as is, a MyST pipe table (str) as Markdown."""
    glue(label, Markdown(table) if isinstance(table, str) else table, display=False)
