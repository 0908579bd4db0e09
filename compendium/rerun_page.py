"""The appendix "Re-running the analysis", generated from the chapters themselves.

Each chapter's table comes from its ``parameters`` cell (names, types and
defaults, as ``run_parameters.notebook_parameters`` reads them) and from its declaration
in ``compendium.parameters`` (what is allowed and what it means), so the
appendix cannot drift from what ``compendium run`` accepts.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd

from analysis import paths
from analysis.errors import ParameterError
from compendium import parameters, sweeps
from compendium.chapters import Chapter, runnable
from compendium.manifest import reproduce_command
from compendium.run_parameters import notebook_parameters, resolve_parameters

APPENDIX = paths.BOOK_DIR / "appendix-rerun.ipynb"
_H1 = re.compile(r"^# (.+)$", re.MULTILINE)


def chapter_title(chapter: Chapter) -> str:
    for cell in nbformat.read(chapter.notebook, as_version=4).cells:
        if cell.cell_type == "markdown" and (match := _H1.search(cell.source)):
            return match.group(1).strip()
    return chapter.slug


def _display_path(path: Path) -> str:
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def parameter_table(chapter: Chapter) -> pd.DataFrame:
    """One row per parameter: type and default from the notebook, allowed values and meaning from the declaration."""
    declared = parameters.CHAPTERS.get(chapter.slug, {})
    rows = []
    for name, item in notebook_parameters(chapter.notebook).items():
        spec = declared.get(name)
        rows.append(
            {
                "parameter": name,
                "type": item["type"],
                "default": item["default"],
                "allowed": spec.allowed() if spec else "not declared: compendium run refuses it",
                "meaning": spec.help if spec else item["help"],
            }
        )
    return pd.DataFrame(rows, columns=["parameter", "type", "default", "allowed", "meaning"]).set_index("parameter")


def _example_values(spec: parameters.Parameter, default) -> list:
    """Candidate values other than the default, most natural first."""
    if spec.choices:
        return [choice for choice in spec.choices if choice != default]
    if spec.item_choices:
        default = default or []
        return [[item] for item in spec.item_choices if item not in default] + [default[:1]] * (len(default) > 1)
    if spec.kind is bool:
        return [not default]
    if spec.kind in (int, float) and isinstance(default, (int, float)) and default:
        return [spec.kind(default * 2), spec.kind(default / 2)]
    return []


def example_command(chapter: Chapter) -> str | None:
    """A ``compendium run`` line that changes one parameter to another allowed value, checked before it is shown."""
    declared = parameters.CHAPTERS.get(chapter.slug, {})
    defaults = notebook_parameters(chapter.notebook)
    for name, spec in declared.items():
        if name not in defaults:
            continue
        for value in _example_values(spec, defaults[name]["value"]):
            try:
                resolve_parameters(chapter, {name: value})
            except ParameterError:
                continue
            return reproduce_command(chapter, {name: value})
    return None


def chapter_heading(chapter: Chapter) -> str:
    """Markdown line naming the chapter, its notebook and an example command."""
    number = f"{chapter.number:02d}. " if chapter.number is not None else ""
    heading = f"**{number}{chapter_title(chapter)}** (`{_display_path(chapter.notebook)}`)"
    example = example_command(chapter)
    return heading + (f". For example: `{example}`" if example else ".")


def chapters() -> list[tuple[str, pd.DataFrame]]:
    """(heading, parameter table) for every chapter, in book order."""
    return [(chapter_heading(chapter), parameter_table(chapter)) for chapter in runnable()]


def grids_table(grids_dir: Path | None = None) -> pd.DataFrame:
    """The shipped sweep grids: chapter, parameters swept, number of runs, and the command."""
    rows = []
    for grid, chapter in sweeps.shipped_grids(grids_dir):
        values = sweeps.load_grid(grid)
        rows.append(
            {
                "grid": _display_path(grid),
                "chapter": f"{chapter.number:02d} {chapter.slug}" if chapter.number is not None else chapter.slug,
                "parameters": ", ".join(values),
                "runs": len(sweeps.grid_points(values)),
                "command": f"compendium sweep {chapter.command_name} --grid {_display_path(grid)}",
            }
        )
    return pd.DataFrame(rows, columns=["grid", "chapter", "parameters", "runs", "command"]).set_index("grid")
