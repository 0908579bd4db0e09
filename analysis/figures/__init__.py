"""Figures: one theme, the generic kinds, and each stage's own figures.

- :mod:`analysis.figures.theme`: the palette, ``set_theme``, ``save`` (PNG + SVG under
  results/figures/, by the figure's label), ``save_data`` (its CSV) and ``plain_log_axis``;
- :mod:`analysis.figures.kinds`: the kinds several chapters draw;
- the other modules: the figures of one stage or chapter group (models, extension, ...).

One naming rule: every public function that draws is ``plot_*`` and returns a matplotlib
Figure; chapters glue it and save it with ``compendium.page.show``. The theme and the kinds
are importable from here, e.g. ``figures.plot_intervals``.
"""

from analysis.figures.kinds import plot_intervals, plot_labelled_scatter
from analysis.figures.theme import PALETTE, plain_log_axis, save, save_data, set_theme

__all__ = ["PALETTE", "plain_log_axis", "plot_intervals", "plot_labelled_scatter", "save", "save_data", "set_theme"]
