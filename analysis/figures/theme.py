"""How every figure looks and how it is written to disk.

``save`` writes PNG and SVG without dates or software versions, so that the same
figure gives the same bytes on every run (nbval compares glued PNGs byte for byte).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from analysis import paths
from analysis.files import record_output

PALETTE = "colorblind"
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}


def set_theme() -> None:
    import seaborn as sns  # about a second to import; only code that makes figures pays it

    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 150, "svg.hashsalt": "cis-compendium",
                         "figure.figsize": (7.5, 4.5)})


def save(figure: plt.Figure, label: str, directory: Path = paths.FIGURES_DIR) -> Path:
    """Write ``<label>.png`` and ``<label>.svg``; returns the PNG path."""
    directory.mkdir(parents=True, exist_ok=True)
    png = directory / f"{label}.png"
    figure.savefig(png, metadata=_PNG_METADATA, bbox_inches="tight")
    svg = directory / f"{label}.svg"
    figure.savefig(svg, metadata=_SVG_METADATA, bbox_inches="tight")
    record_output(png)
    record_output(svg)
    return png
