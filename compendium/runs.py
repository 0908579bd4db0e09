"""Parameterised chapter runs and sweeps with papermill, each with a manifest.

A run executes one chapter notebook with a reader's parameter values into its
own folder ``runs/<chapter>/<UTC time>-<run key>/``: the executed notebook,
the files the chapter wrote (``results/``, through ``CIS_COMPENDIUM_RESULTS``)
and ``manifest.json``. Safety rules:

- parameters are checked against ``compendium.parameters`` before any kernel
  starts;
- a run works in a hidden ``.partial-*`` folder; the manifest is written last
  and only then is the folder renamed, so a folder without the prefix is
  always complete; a failed run gets the suffix ``-failed`` and never shares a
  folder with a successful one;
- the run key hashes the chapter, all parameter values (defaults included),
  the notebook, the git commit and uncommitted changes, and every data file
  the chapter could read, so a repeat is recognisable and a sweep can resume.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import itertools
import json
import logging
import multiprocessing
import os
import platform
import re
import secrets
import shlex
import signal
import subprocess
import threading
import tokenize
import tomllib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat
import papermill
import yaml

from analysis import files, paths
from analysis.data import datapackage
from compendium import parameter_rules, parameters
from analysis.errors import CompendiumError, ParameterError

MANIFEST = "manifest.json"
PARTIAL_PREFIX = ".partial-"
FAILED_SUFFIX = "-failed"
SWEEPS_FOLDER = "sweeps"
EXECUTION_TIMEOUT = 600
KEY_PACKAGES = ("cis-migration-compendium", "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
                "seaborn", "frictionless", "pycountry", "pooch", "papermill", "nbclient", "ipykernel")
_CHAPTER_FILE = re.compile(r"^(\d{2})-(.+)\.ipynb$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ---- chapters and their parameters ------------------------------------------

@dataclass(frozen=True)
class Chapter:
    slug: str  # the name its parameters are declared under, e.g. "remittances"
    notebook: Path
    number: int | None = None


def _chapter_from_path(notebook: Path) -> Chapter:
    match = _CHAPTER_FILE.match(notebook.name)
    if match:
        return Chapter(match.group(2), notebook, int(match.group(1)))
    return Chapter(notebook.stem, notebook)


def list_chapters(chapters_dir: Path | None = None) -> list[Chapter]:
    chapters_dir = paths.CHAPTERS_DIR if chapters_dir is None else chapters_dir
    return [_chapter_from_path(path.resolve()) for path in sorted(chapters_dir.glob("[0-9][0-9]-*.ipynb"))]


def find_chapter(name: str, chapters_dir: Path | None = None) -> Chapter:
    """A chapter by number ("5", "05"), name ("remittances", "05-remittances") or notebook path."""
    if name.endswith(".ipynb") or os.sep in name:
        path = Path(name).expanduser().resolve()
        if not path.is_file():
            raise ParameterError(f"chapter notebook {path} does not exist; give an existing .ipynb file, "
                                 "a chapter number or a chapter name (see `compendium list`).")
        return _chapter_from_path(path)
    chapters_dir = paths.CHAPTERS_DIR if chapters_dir is None else chapters_dir
    chapters = list_chapters(chapters_dir)
    for chapter in chapters:
        if name in (chapter.slug, chapter.notebook.stem) or (name.isdigit() and int(name) == chapter.number):
            return chapter
    known = ", ".join(f"{c.number:02d} ({c.slug})" for c in chapters) or "none yet"
    raise ParameterError(f"no chapter {name!r} in {chapters_dir}; known chapters: {known}.")


@contextmanager
def _quiet_papermill() -> Iterator[None]:
    logger = logging.getLogger("papermill")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _assignments(source: str) -> dict[str, dict]:
    """Top-level ``name = literal`` lines of a cell, with their trailing comments, read by Python's parser."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    comments = {token.start[0]: token.string.lstrip("#").strip()
                for token in tokenize.generate_tokens(io.StringIO(source).readline)
                if token.type == tokenize.COMMENT}
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, annotation = node.targets[0].id, None
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, annotation = node.target.id, ast.unparse(node.annotation)
        else:
            continue
        found[name] = {"name": name, "inferred_type_name": annotation,
                       "default": ast.get_source_segment(source, node.value),
                       "help": comments.get(node.end_lineno, "")}
    return found


def notebook_parameters(notebook: Path) -> dict[str, dict]:
    """The ``parameters`` cell as papermill inspects it, plus each default as a Python value.

    Keys per parameter: name, type, default (source text), value, help.
    papermill's inspection skips any line with a second ``=`` (even in a
    comment); Python's parser supplies those lines, so none is lost.
    """
    with _quiet_papermill():  # its "Unable to parse line" warnings are covered below
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
        kind = declared_type if declared_type not in (None, "None") else (
            type(value).__name__ if literal else "expression")
        result[name] = {"name": name, "type": kind, "default": item["default"], "value": value,
                        "help": item["help"]}
    return result


# Values and grids are a few lines long; anything far larger is refused before it is parsed.
VALUE_MAX_CHARS = 2_000
GRID_MAX_CHARS = 100_000


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases: a few hundred characters of nested aliases expand into millions of items."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed here; write the values out",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


def parse_value(text: str) -> Any:
    """A command-line value as papermill's ``-p`` reads it, plus YAML lists and mappings.

    True/False/None, ints and floats become those types; text starting with
    ``[`` or ``{`` is parsed as YAML flow (``'["ARM", "UZB"]'`` or ``[ARM, UZB]``);
    anything else stays a string.
    """
    stripped = text.strip()
    if len(stripped) > VALUE_MAX_CHARS:
        raise ParameterError(f"value of {len(stripped)} characters (it starts {stripped[:40]!r}); a value may have at "
                             f"most {VALUE_MAX_CHARS}.")
    if stripped.startswith(("[", "{")):
        try:
            return yaml.load(stripped, Loader=_NoAliasLoader)
        except yaml.YAMLError as exc:
            raise ParameterError(f"value {text!r} looks like a list or mapping but is not valid YAML/JSON "
                                 f"({exc.problem}); write it like '[\"ARM\", \"UZB\"]'.") from exc
    if text in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[text]
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def resolve_parameters(chapter: Chapter, given: dict[str, Any]) -> dict[str, Any]:
    """Validate ``given`` against the chapter's declaration; return every parameter's value.

    Defaults come from the notebook's parameters cell. Raises ParameterError
    before anything is executed.
    """
    for name, value in given.items():
        spec = parameters.CHAPTERS.get(chapter.slug, {}).get(name)
        if spec is not None and spec.kind is list and isinstance(value, str):
            raise ParameterError(f"parameter {name!r} takes a list, got the text {value!r}; write it as "
                                 f"'[\"{value}\"]'. Allowed: {spec.allowed()}.")
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


# ---- provenance ---------------------------------------------------------------

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.decode("utf-8", errors="replace")


def source_state() -> dict:
    """The git commit, whether the tree differs from it, and a hash of the differences."""
    commit = _git("rev-parse", "HEAD")
    if commit is None:
        return {"commit": None, "dirty": None, "changes_sha256": None,
                "note": f"{paths.ROOT} is not a git checkout (or git is missing)"}
    status = _git("status", "--porcelain", "--untracked-files=all") or ""
    changes = None
    if status.strip():
        digest = hashlib.sha256((_git("diff", "HEAD", "--binary") or "").encode())
        for name in sorted((_git("ls-files", "--others", "--exclude-standard") or "").splitlines()):
            file = paths.ROOT / name
            digest.update(f"\0{name}\0{sha256_file(file) if file.is_file() else 'missing'}".encode())
        changes = digest.hexdigest()
    return {"commit": commit.strip(), "dirty": bool(status.strip()), "changes_sha256": changes}


def _hash_or_missing(path: Path) -> str:
    return sha256_file(path) if path.is_file() else "missing"


def data_state() -> dict:
    """sha256 of every data file a chapter could read: the data package and the pinned external files."""
    package = {str(paths.DATAPACKAGE.relative_to(paths.ROOT)): _hash_or_missing(paths.DATAPACKAGE)}
    if paths.DATAPACKAGE.is_file():
        for resource in datapackage.load_descriptor(paths.DATAPACKAGE)["resources"]:
            file = datapackage.resource_path(resource["name"], paths.DATAPACKAGE)  # refuses a path outside data/
            package[str(file.relative_to(paths.ROOT))] = _hash_or_missing(file)
    from analysis.data.external import registry  # imported here: the package pulls in pandas

    cache = registry.cache_dir()  # CIS_COMPENDIUM_DATA, else pooch's per-user cache
    external = {
        "registry": str(registry.REGISTRY_CSV.relative_to(paths.ROOT)),
        "registry_sha256": _hash_or_missing(registry.REGISTRY_CSV),
        "cache_dir": str(cache),
        "files": {name: registry.file_sha256(cache / name) if (cache / name).is_file() else "absent"
                  for name in registry.pinned_hashes()},
    }
    return {"package": package, "external": external}


def snapshot() -> dict:
    """Code and data state at the start of a run; part of its key."""
    return {"git": source_state(), "data": data_state()}


def run_key(chapter: Chapter, values: dict[str, Any], state: dict) -> str:
    identity = {
        "chapter": chapter.slug,
        "parameters": values,
        "notebook_sha256": sha256_file(chapter.notebook),
        "git": {key: state["git"].get(key) for key in ("commit", "changes_sha256")},
        "data": state["data"],
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()


def package_versions() -> dict[str, str | None]:
    versions = {}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


# ---- one run ------------------------------------------------------------------

class RunInterrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C (SIGINT) or SIGTERM.

    Its folder keeps the ``.partial-`` prefix and holds a manifest with the
    status "interrupted"; ``directory`` names it once the run has recorded itself.
    """

    def __init__(self, signal_name: str, directory: Path | None = None):
        super().__init__(signal_name)
        self.signal_name = signal_name
        self.directory = directory


def _raise_terminated(signum, frame) -> None:
    raise RunInterrupted(signal.Signals(signum).name)


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """While a run executes, SIGTERM stops it the way Ctrl-C does, so that it records itself as interrupted."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set a handler
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass
class RunResult:
    status: str  # "succeeded", "failed" or "interrupted"
    directory: Path
    run_key: str
    parameters: dict[str, Any]
    error: str | None = None
    reused: bool = False


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


@contextmanager
def _environment(**variables: str) -> Iterator[None]:
    """Set variables for the kernel papermill starts (it inherits this process's environment)."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _write_json_atomically(path: Path, content: dict) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(content, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    temporary.replace(path)


def _files(directory: Path) -> dict[str, dict]:
    listing = {}
    for file in sorted(p for p in directory.rglob("*") if p.is_file() and p.name != MANIFEST):
        listing[str(file.relative_to(directory))] = {"bytes": file.stat().st_size, "sha256": sha256_file(file)}
    return listing


def _cell_error(exc: Exception, notebook: Path) -> dict:
    if isinstance(exc, papermill.PapermillExecutionError):
        cell_id = None
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.cell_type == "code" and cell.source == exc.source:
                cell_id = cell.get("id")
                break
        return {"cell_id": cell_id, "execution_count": exc.exec_count, "cell_source": exc.source,
                "ename": exc.ename, "evalue": exc.evalue,
                "traceback": _ANSI.sub("", "\n".join(exc.traceback))}
    return {"cell_id": None, "execution_count": None, "cell_source": None,
            "ename": type(exc).__name__, "evalue": str(exc), "traceback": None}


def _reads(log: Path) -> list[dict]:
    """Inputs the chapter's loaders recorded (analysis.files), with their hashes."""
    return [{"input": entry, "sha256": files.input_digest(entry)} for entry in files.reads_in(log)]


def _rename_free(source: Path, target: Path) -> Path:
    """Rename ``source`` to ``target``, or ``target-2``... if taken; a run folder is never replaced."""
    candidate, attempt = target, 1
    while True:
        if not candidate.exists():
            try:
                source.rename(candidate)  # POSIX refuses to rename onto a non-empty folder
                return candidate
            except OSError:
                pass
        attempt += 1
        candidate = target.with_name(f"{target.name}-{attempt}")


def format_value(value: Any) -> str:
    """The command-line text that ``parse_value`` reads back as ``value``."""
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)  # True/False/None, numbers and strings read back as themselves


def reproduce_command(chapter: Chapter, given: dict[str, Any]) -> str:
    name = f"{chapter.number:02d}" if chapter.number is not None else str(chapter.notebook)
    options = "".join(f" -p {key} {shlex.quote(format_value(value))}" for key, value in given.items())
    return f"compendium run {shlex.quote(name)}{options}"


def _new_manifest(chapter: Chapter, given: dict[str, Any], values: dict[str, Any], key: str, state: dict,
                  started: datetime) -> dict:
    return {
        "manifest_version": 1,
        "chapter": chapter.slug,
        "notebook": str(chapter.notebook.relative_to(paths.ROOT) if chapter.notebook.is_relative_to(paths.ROOT)
                        else chapter.notebook),
        "notebook_sha256": sha256_file(chapter.notebook),
        "parameters": values,
        "parameters_given": given,
        "command": reproduce_command(chapter, given),
        "run_key": key,
        "run_key_covers": "chapter, all parameter values (defaults included), notebook_sha256, git commit and "
                          "changes_sha256, data.available",
        "status": "running",
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": None,
        "git": state["git"],
        "data": {
            "meaning": "'available' hashes, before the run, every data package resource and every pinned "
                       "external file found in the cache (other files in the repository are covered by git); "
                       "'read' lists what the chapter's loaders recorded reading (analysis.files), hashed "
                       "after the run; an entry 'file#resource' is hashed as that resource's JSON entry.",
            "available": state["data"],
            "read": None,
        },
        "packages": package_versions(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "error": None,
        "files": {},
    }


def _finish(manifest: dict, status: str, work: Path, read_log: Path, started: datetime) -> None:
    finished = _now()
    manifest["data"]["read"] = _reads(read_log)
    read_log.unlink(missing_ok=True)
    manifest.update(status=status, finished_at=finished.isoformat(timespec="seconds"),
                    duration_seconds=round((finished - started).total_seconds(), 1), files=_files(work))
    _write_json_atomically(work / MANIFEST, manifest)  # last: a manifest means the folder is complete


def execute(chapter: Chapter, given: dict[str, Any], values: dict[str, Any],
            runs_dir: Path = paths.RUNS_DIR) -> RunResult:
    """Execute a chapter whose parameters ``resolve_parameters`` has already checked."""
    given = {name: values[name] for name in given}  # as normalised, e.g. 2 -> 2.0 for a float
    state = snapshot()
    key = run_key(chapter, values, state)
    started = _now()
    chapter_runs = runs_dir / chapter.slug
    chapter_runs.mkdir(parents=True, exist_ok=True)
    stem = f"{_stamp(started)}-{key[:12]}"
    work = chapter_runs / f"{PARTIAL_PREFIX}{stem}-{secrets.token_hex(3)}"
    work.mkdir()
    read_log = work.with_name(work.name + ".reads")
    manifest = _new_manifest(chapter, given, values, key, state, started)
    status, error = "succeeded", None
    try:
        with _sigterm_interrupts(), _quiet_papermill(), \
                _environment(**{paths.RESULTS_ENV: str(work / "results"), paths.READ_LOG_ENV: str(read_log)}):
            papermill.execute_notebook(
                str(chapter.notebook), str(work / chapter.notebook.name), parameters=given,
                kernel_name="python3", cwd=str(work), progress_bar=False, log_output=False,
                request_save_on_cell_execute=True, execution_timeout=EXECUTION_TIMEOUT,
                # A graceful shutdown interrupts a busy kernel and then closes its sockets while it still
                # replies, so that it prints a ZMQ traceback; the outputs are all in by then anyway.
                shutdown_kernel="immediate",
            )
    except KeyboardInterrupt as stop:
        signal_name = stop.signal_name if isinstance(stop, RunInterrupted) else "SIGINT"
        manifest["error"] = _cell_error(stop, chapter.notebook) | {"evalue": f"stopped by {signal_name}"}
        _finish(manifest, "interrupted", work, read_log, started)
        raise RunInterrupted(signal_name, work) from stop  # the folder keeps its .partial- name
    except Exception as exc:  # a failing cell, a dead kernel, a timeout: all recorded, none hidden
        manifest["error"] = _cell_error(exc, chapter.notebook)
        status = "interrupted" if manifest["error"]["ename"] == "KeyboardInterrupt" else "failed"
        found = manifest["error"]
        where = f" in cell {found['cell_id']} (In [{found['execution_count']}])" if found["cell_id"] else ""
        error = f"{found['ename']}: {found['evalue']}{where}"
    _finish(manifest, status, work, read_log, started)
    if status == "interrupted":
        return RunResult(status, work, key, values, error)
    final = _rename_free(work, chapter_runs / (stem if status == "succeeded" else stem + FAILED_SUFFIX))
    return RunResult(status, final, key, values, error)


def run(chapter: Chapter, given: dict[str, Any], runs_dir: Path = paths.RUNS_DIR) -> RunResult:
    """Validate, then execute one chapter into its own run folder."""
    values = resolve_parameters(chapter, given)
    return execute(chapter, given, values, runs_dir)


def read_manifest(directory: Path) -> dict | None:
    try:
        return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def successful_runs(chapter: Chapter, runs_dir: Path = paths.RUNS_DIR) -> dict[str, Path]:
    """Run key -> folder of the latest successful run, for the chapter's complete run folders."""
    found = {}
    for directory in sorted((runs_dir / chapter.slug).glob("[!.]*")):
        manifest = read_manifest(directory) if directory.is_dir() else None
        if manifest and manifest.get("status") == "succeeded" and manifest.get("run_key"):
            found[manifest["run_key"]] = directory
    return found


# ---- sweeps -------------------------------------------------------------------

def load_grid(path: Path) -> dict[str, list]:
    """A grid file (YAML or TOML): each parameter name maps to the list of values to try."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParameterError(f"grid file {path} cannot be read ({exc.strerror}).") from exc
    if len(text) > GRID_MAX_CHARS:
        raise ParameterError(f"grid file {path} has {len(text)} characters; a grid may have at most {GRID_MAX_CHARS}.")
    try:
        if path.suffix == ".toml":
            grid = tomllib.loads(text)
        elif path.suffix in (".yaml", ".yml"):
            grid = yaml.load(text, Loader=_NoAliasLoader)
        else:
            raise ParameterError(f"grid file {path}: unknown format {path.suffix!r}; use .yaml, .yml or .toml.")
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise ParameterError(f"grid file {path} is not valid {path.suffix[1:].upper()}: {exc}") from exc
    if not isinstance(grid, dict) or not grid:
        raise ParameterError(f"grid file {path}: expected a mapping of parameter name -> list of values, "
                             f"found {type(grid).__name__}.")
    for name, choices in grid.items():
        if not isinstance(choices, list) or not choices:
            raise ParameterError(
                f"grid file {path}: parameter {name!r} must map to a non-empty list of values, found {choices!r}. "
                f"A list-valued parameter takes a list of lists, e.g. {name}: [[ARM], [AZE]]."
            )
    return grid


def grid_points(grid: dict[str, list]) -> list[dict[str, Any]]:
    """The cartesian product of the grid's value lists, in file order."""
    names = list(grid)
    return [dict(zip(names, combination)) for combination in itertools.product(*grid.values())]


@dataclass
class SweepResult:
    results: list[RunResult | None]
    summary: Path
    points: list[dict[str, Any]] = field(default_factory=list)


_IN_RUN = False  # per worker process: is a run in progress?


def _on_terminate(signum, frame) -> None:
    if _IN_RUN:
        _raise_terminated(signum, frame)  # the run records itself as interrupted and papermill stops its kernel
    os._exit(128 + signum)


def _worker_signals() -> None:
    """Workers leave Ctrl-C to the sweep, which stops them with SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)


def _execute_point(chapter: Chapter, given: dict, values: dict, runs_dir: Path) -> RunResult:
    global _IN_RUN
    _IN_RUN = True
    try:
        return execute(chapter, given, values, runs_dir)
    except KeyboardInterrupt:
        os._exit(130)  # never start the next queued point
    finally:
        _IN_RUN = False


def _stop_workers(timeout: float = 60) -> None:
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(timeout)
        if child.is_alive():
            child.kill()


def _write_summary(path: Path, points: list[dict], results: list[RunResult | None]) -> None:
    names = list(points[0]) if points else []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["point", *names, "status", "reused", "run_key", "run_dir", "error"])
    for index, (point, result) in enumerate(zip(points, results), start=1):
        cells = [json.dumps(point[name]) if not isinstance(point[name], str) else point[name] for name in names]
        if result is None:
            writer.writerow([index, *cells, "not run", "", "", "", ""])
        else:
            writer.writerow([index, *cells, result.status, result.reused, result.run_key,
                             str(result.directory), result.error or ""])
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(buffer.getvalue(), encoding="utf-8")
    temporary.replace(path)


def sweep(chapter: Chapter, grid_file: Path, workers: int | None = None, runs_dir: Path = paths.RUNS_DIR,
          progress: bool = True) -> SweepResult:
    """Run every point of a grid in parallel; points with a successful run of the same key are reused."""
    from tqdm import tqdm

    grid_file = Path(grid_file)
    points = grid_points(load_grid(grid_file))
    resolved = []
    for index, point in enumerate(points, start=1):
        try:
            resolved.append(resolve_parameters(chapter, point))
        except ParameterError as exc:
            raise ParameterError(f"{grid_file}, point {index} of {len(points)} ({point}): {exc}") from exc
    state = snapshot()
    done = successful_runs(chapter, runs_dir)
    results: list[RunResult | None] = [None] * len(points)
    pending = []
    for index, values in enumerate(resolved):
        key = run_key(chapter, values, state)
        if key in done:
            results[index] = RunResult("succeeded", done[key], key, values, reused=True)
        else:
            pending.append(index)
    summary = runs_dir / chapter.slug / SWEEPS_FOLDER / f"{grid_file.stem}-{_stamp(_now())}.csv"
    bar = tqdm(total=len(points), initial=len(points) - len(pending), desc=f"{chapter.slug} sweep",
               unit="run", disable=not progress)
    # fork: the workers see the declarations and module state of this process as they are.
    executor = ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1,
                                   mp_context=multiprocessing.get_context("fork"), initializer=_worker_signals)
    try:
        futures = {executor.submit(_execute_point, chapter, points[i], resolved[i], runs_dir): i for i in pending}
        for future in as_completed(futures):
            index = futures[future]
            try:
                results[index] = future.result()
            except CompendiumError as exc:
                raise CompendiumError(f"sweep point {index + 1} ({points[index]}) could not run: {exc}") from exc
            bar.update()
            bar.set_postfix(failed=sum(r is not None and r.status != "succeeded" for r in results))
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        _stop_workers()
        finished = successful_runs(chapter, runs_dir)  # runs that ended while the sweep was stopping
        for index in pending:
            key = run_key(chapter, resolved[index], state)
            if results[index] is None and key in finished:
                results[index] = RunResult("succeeded", finished[key], key, resolved[index])
        _write_summary(summary, points, results)
        raise
    finally:
        bar.close()
    executor.shutdown()
    _write_summary(summary, points, results)
    return SweepResult(results, summary, points)


def shipped_grids(grids_dir: Path | None = None) -> list[tuple[Path, Chapter]]:
    """The grids under grids/, each with its chapter (named by the file's leading number, e.g. 05-...)."""
    grids_dir = paths.GRIDS_DIR if grids_dir is None else grids_dir
    found = []
    for grid in sorted(p for p in grids_dir.glob("*") if p.suffix in (".yaml", ".yml", ".toml")):
        number = re.match(r"^(\d{2})-", grid.name)
        if not number:
            raise ParameterError(f"grid file {grid}: its name must start with the chapter number, e.g. "
                                 f"05-{grid.name}, so that its chapter is known.")
        found.append((grid, find_chapter(number.group(1))))
    return found
