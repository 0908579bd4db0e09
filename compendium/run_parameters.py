"""The parameters of one run: the chapter's ``parameters`` cell, the reader's values, checked together.

The cell gives each parameter's type and default; ``compendium.parameters`` declares what
each may be; ``compendium.parameter_rules`` what they must satisfy together. All of it is
checked before any kernel starts.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path
from typing import Any

import nbformat
import papermill

from analysis.errors import ParameterError
from compendium import parameter_rules, parameters
from compendium.chapters import Chapter
from compendium.kernels import quiet_papermill


def _assignments(source: str) -> dict[str, dict]:
    """Top-level ``name = literal`` lines of a cell, with their trailing comments, read by Python's parser."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    comments = {
        token.start[0]: token.string.lstrip("#").strip()
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, annotation = node.targets[0].id, None
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, annotation = node.target.id, ast.unparse(node.annotation)
        else:
            continue
        found[name] = {
            "name": name,
            "inferred_type_name": annotation,
            "default": ast.get_source_segment(source, node.value),
            "help": comments.get(node.end_lineno, ""),
        }
    return found


def notebook_parameters(notebook: Path) -> dict[str, dict]:
    """The ``parameters`` cell as papermill inspects it, plus each default as a Python value.

    Keys per parameter: name, type, default (source text), value, help.
    papermill's inspection skips any line with a second ``=`` (even in a
    comment); Python's parser supplies those lines, so none is lost.
    """
    with quiet_papermill():  # its "Unable to parse line" warnings are covered below
        inspected = papermill.inspect_notebook(str(notebook))
    content = nbformat.read(notebook, as_version=4)
    cells = [cell for cell in content.cells if "parameters" in cell.metadata.get("tags", [])]
    parsed = _assignments(cells[0].source) if cells else {}
    result = {}
    for name in list(parsed) + [name for name in inspected if name not in parsed]:
        item = inspected.get(name) or parsed[name]
        try:
            value = ast.literal_eval(item["default"])
            literal = True
        except (ValueError, SyntaxError):
            value, literal = item["default"], False
        declared_type = item["inferred_type_name"]
        kind = (
            declared_type
            if declared_type not in (None, "None")
            else (type(value).__name__ if literal else "expression")
        )
        result[name] = {"name": name, "type": kind, "default": item["default"], "value": value, "help": item["help"]}
    return result


def resolve_parameters(chapter: Chapter, given: dict[str, Any]) -> dict[str, Any]:
    """Validate ``given`` against the chapter's declaration; return every parameter's value.

    Defaults come from the notebook's parameters cell. Raises ParameterError
    before anything is executed.
    """
    for name, value in given.items():
        spec = parameters.CHAPTERS.get(chapter.slug, {}).get(name)
        if spec is not None and spec.kind is list and isinstance(value, str):
            raise ParameterError(
                f"parameter {name!r} takes a list, got the text {value!r}; write it as "
                f"'[\"{value}\"]'. Allowed: {spec.allowed()}."
            )
    parameters.validate(chapter.slug, **given)
    cell = notebook_parameters(chapter.notebook)
    not_in_cell = sorted(set(given) - set(cell))
    if not_in_cell:
        raise ParameterError(
            f"chapter {chapter.slug!r} declares {not_in_cell} in compendium/parameters.py, but the parameters "
            f"cell of {chapter.notebook.name} does not define them (it defines: {', '.join(cell) or 'nothing'}). "
            "Add them to the cell or remove them from the declaration."
        )
    declared = parameters.CHAPTERS[chapter.slug]
    values = {name: item["value"] for name, item in cell.items()}
    for name, value in given.items():
        # 1 and 1.0 are the same float parameter; the run key must not tell them apart.
        values[name] = float(value) if declared[name].kind is float else value
    parameter_rules.check(chapter.slug, values)  # with the defaults: -p start alone must still come before end
    return values
