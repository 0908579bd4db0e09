"""The results map: every labelled figure and table of the book, with what it depends on.

``write_results_index()`` writes ``results/index.json`` and ``results/index.csv``
after a build. One entry per ``:name:`` of a figure or table directive
(``{glue:figure}``, ``{figure}``, ``{table}``, ``{list-table}``, ``{csv-table}``)
in the pages of _toc.yml, with:

- ``label``, its ``kind`` (figure or table), its ``chapter`` and ``page`` anchor;
- ``caption``, as written (MyST, roles included);
- ``data_files``: every data file the chapter's notebook read on its last
  execution, as the build's read log recorded it, with its sha256: a path in
  the repository, or the name of a pinned public file. The log is per
  notebook, so a figure lists all the files its chapter read;
- ``model_ids``: the catalogue's ids (M1..., P1...) that the glue key or label
  names as a token (``fig-remit-m1``), or that the caption names after "model"
  or "models" ("models M1–M4"); other ids such as the paper's measures M1-M8
  are not models and are not matched;
- ``outputs``: the files under results/ named by the label (a figure's PNG and SVG).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import nbformat
import yaml
from docutils.nodes import make_id
from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin

from analysis import __version__, paths
from analysis.data.external import registry
from analysis.errors import DataUnavailableError, DataValidationError
from analysis.files import RESOURCE_SEPARATOR, file_sha256, write_atomically
from compendium import chapters
from compendium.build_records import load_state

FIGURE_DIRECTIVES = {"glue:figure", "figure"}
TABLE_DIRECTIVES = {"table", "list-table", "csv-table"}
CSV_COLUMNS = (
    "label",
    "kind",
    "chapter",
    "chapter_title",
    "page",
    "directive",
    "glue_key",
    "caption",
    "data_files",
    "model_ids",
    "outputs",
)
_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:-]+)\}\s*(?P<argument>.*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
_ID_TOKEN = r"[MP]\d+"
_MODEL_PHRASE = re.compile(r"\b(?i:models?)\s+(" + _ID_TOKEN + r"(?:\s*(?:,|and|or|to|–|-)\s*" + _ID_TOKEN + r")*)")


# ---- reading the pages ----------------------------------------------------------


def _markdown_cells(document: Path) -> list[str]:
    if document.suffix == ".ipynb":
        notebook = nbformat.read(document, as_version=4)
        return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    return [document.read_text(encoding="utf-8")]


def _title(cells: list[str]) -> str:
    for cell in cells:
        match = re.search(r"^# (.+)$", cell, flags=re.MULTILINE)
        if match:
            return match.group(1).strip()
    return ""


def _options_and_body(content: str) -> tuple[dict, str]:
    lines = content.splitlines()
    if lines and lines[0].strip() == "---":  # YAML block of options
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        if end is not None:
            return yaml.safe_load("\n".join(lines[1:end])) or {}, "\n".join(lines[end + 1 :]).strip()
    options, index = {}, 0
    while index < len(lines) and (match := _OPTION.match(lines[index])):
        options[match.group("key")] = match.group("value").strip()
        index += 1
    return options, "\n".join(lines[index:]).strip()


def directives(markdown: str) -> list[dict]:
    """The figure and table directives of a piece of MyST, nested ones included."""
    parser = MarkdownIt("commonmark").use(colon_fence_plugin)
    found = []
    for token in parser.parse(markdown):
        if token.type not in ("fence", "colon_fence"):
            continue
        match = _DIRECTIVE.match(token.info.strip())
        if not match:
            continue
        name, argument = match.group("name"), match.group("argument").strip()
        options, body = _options_and_body(token.content)
        if name in FIGURE_DIRECTIVES | TABLE_DIRECTIVES:
            caption = argument if name in TABLE_DIRECTIVES else body.split("\n\n")[0].strip()
            found.append({"directive": name, "argument": argument, "name": options.get("name"), "caption": caption})
        found.extend(directives(body))  # e.g. a figure inside an admonition
    return found


# ---- model ids ------------------------------------------------------------------


def known_model_ids() -> list[str]:
    """Every model id of the compendium's catalogues."""
    from analysis.models import catalogue, panels

    return catalogue.model_ids() + list(panels.FORMULAS)


def _expand(phrase: str) -> list[str]:
    ids = []
    tokens = re.findall(_ID_TOKEN + r"|–|-|to", phrase)
    for index, token in enumerate(tokens):
        if token in ("–", "-", "to") and 0 < index < len(tokens) - 1 and ids:
            start, end = ids[-1], tokens[index + 1]
            if start[0] == end[0]:
                ids.extend(f"{start[0]}{n}" for n in range(int(start[1:]) + 1, int(end[1:])))
        elif token not in ("–", "-", "to"):
            ids.append(token)
    return ids


def model_ids_in(key: str | None, label: str | None, caption: str, known: list[str]) -> list[str]:
    """The known model ids that a glue key, a label or a caption names (see the module doc)."""
    named = set()
    for text in (key or "", label or ""):
        named |= {token.upper() for token in re.split(r"[^A-Za-z0-9]+", text)}
    for phrase in _MODEL_PHRASE.findall(caption):
        named |= set(_expand(phrase))
    return [model_id for model_id in known if model_id in named]


# ---- data read and outputs ---------------------------------------------------------


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _data_file(path: Path, root: Path) -> dict:
    """A file as the map names it: its path in the repository, or the pinned public file's name."""
    if path.is_relative_to(root):
        return {"path": path.relative_to(root).as_posix(), "location": "repository", "sha256": file_sha256(path)}
    pinned = set(registry.table()["file"])
    if path.name in pinned:  # downloaded by URL and sha256, so its place on disk is incidental
        return {
            "path": path.name,
            "location": "pinned public file (data/external/registry.csv)",
            "sha256": file_sha256(path),
        }
    return {"path": str(path), "location": "outside the repository", "sha256": file_sha256(path)}


def data_files(document: Path, state: dict, root: Path = paths.ROOT) -> list[dict]:
    """The files a notebook read on its last execution, with their sha256 now."""
    if document.suffix != ".ipynb":
        return []
    record = state.get(str(document.resolve()))
    if record is None:
        raise DataUnavailableError(
            f"{document}: the build has no record of what this notebook read ({paths.FINGERPRINTS}); "
            "build the book first with `python -m compendium.build`."
        )
    files = []
    for entry in record.data_inputs:
        if RESOURCE_SEPARATOR in entry:  # a descriptor entry, not a file; its file is listed too
            continue
        path = Path(entry)
        if not path.is_file():
            raise DataUnavailableError(
                f"{path}: {document.name} read this file when it last ran, but it is gone; "
                "restore it or rebuild the book with `python -m compendium.build`."
            )
        files.append(_data_file(path, root))
    return files


def outputs(label: str, results_dir: Path = paths.RESULTS_DIR, root: Path = paths.ROOT) -> list[str]:
    """The files under results/ named by a label (``<label>.png``, ``<label>.svg``, ...)."""
    if not results_dir.is_dir():
        return []
    return sorted(_relative(p, root) for p in results_dir.rglob(f"{label}.*") if p.is_file())


# ---- the index --------------------------------------------------------------------


def results_index(
    root: Path = paths.ROOT, state_file: Path = paths.FINGERPRINTS, results_dir: Path = paths.RESULTS_DIR
) -> list[dict]:
    """One entry per labelled figure or table, in book order."""
    state = load_state(state_file)
    known = known_model_ids()
    entries, seen = [], {}
    for document in chapters.page_sources(root / chapters.TOC.name):
        cells = _markdown_cells(document)
        chapter = document.relative_to(root).with_suffix("").as_posix()
        found = [item for cell in cells for item in directives(cell)]
        reads = data_files(document, state, root) if found else []
        for item in found:
            label = item["name"]
            if not label:
                raise DataValidationError(
                    f"{document}: a {{{item['directive']}}} {item['argument']} has no :name:; every figure "
                    "and table needs a label (fig-<slug>-<what> or tbl-<slug>-<what>). Add one."
                )
            if label in seen:
                raise DataValidationError(
                    f"{document}: label {label!r} is also used in {seen[label]}; "
                    "labels must be unique in the book. Rename one."
                )
            seen[label] = chapter
            is_table = item["directive"] in TABLE_DIRECTIVES or label.startswith("tbl-")
            glue_key = item["argument"] if item["directive"] == "glue:figure" else None
            entries.append(
                {
                    "label": label,
                    "kind": "table" if is_table else "figure",
                    "chapter": chapter,
                    "chapter_title": _title(cells),
                    "page": f"{chapter}.html#{make_id(label)}",
                    "directive": item["directive"],
                    "glue_key": glue_key,
                    "caption": item["caption"],
                    "data_files": reads,
                    "model_ids": model_ids_in(glue_key, label, item["caption"], known),
                    "outputs": outputs(label, results_dir, root),
                }
            )
    return entries


def _csv_row(entry: dict) -> dict:
    row = dict(entry)
    row["data_files"] = ";".join(f"{f['path']}={f['sha256']}" for f in entry["data_files"])
    row["model_ids"] = ";".join(entry["model_ids"])
    row["outputs"] = ";".join(entry["outputs"])
    row["glue_key"] = entry["glue_key"] or ""
    return row


def write_results_index(
    path: Path = paths.RESULTS_INDEX,
    root: Path = paths.ROOT,
    state_file: Path = paths.FINGERPRINTS,
    results_dir: Path = paths.RESULTS_DIR,
) -> Path:
    """Write the map as ``<path>`` (JSON) and the same name with ``.csv``; returns the JSON path."""
    from analysis.results import git_state

    entries = results_index(root, state_file, results_dir)
    commit, worktree = git_state(root)
    document = {"compendium_version": __version__, "git_commit": commit, "worktree": worktree, "entries": entries}
    table = io.StringIO(newline="")
    writer = csv.DictWriter(table, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(_csv_row(entry) for entry in entries)
    write_atomically(
        {path: json.dumps(document, indent=1, ensure_ascii=False), path.with_suffix(".csv"): table.getvalue()}
    )
    return path


if __name__ == "__main__":
    print(write_results_index())
