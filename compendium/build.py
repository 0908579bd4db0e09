"""Build the book, re-executing exactly the notebooks whose inputs changed.

jupyter-cache keys a notebook by its code cells only, so an edit to
``analysis/`` or to a data file would leave stale outputs in the book. Here
each notebook gets a fingerprint of all its inputs:

- its code cells (which hold its parameters);
- the source of every ``analysis`` module it imports, transitively;
- the content of every data file it read when it last ran (recorded through
  ``CIS_COMPENDIUM_READ_LOG``, see ``analysis.files``).

A notebook whose result files (figures, estimates) have since been deleted
also runs again.

A notebook whose fingerprint changed loses its jupyter-cache record and is
executed with jupyter-cache's own executor, in parallel across the cores,
then cached, so that ``jupyter-book build`` finds every notebook in the
cache. A notebook that fails is never replaced by an older cached result. A
re-executed notebook's modification time is updated, so that Sphinx renders
its page again.

The cache itself is checked before it is trusted: a record whose executed
notebook is not valid nbformat, or no longer hashes to the record's key, is
dropped and its notebook executed again; a database that cannot be read is
moved aside whole and a new cache started. ``results/`` is never touched.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from analysis import paths
from analysis.errors import CompendiumError
from analysis.files import input_digest, outputs_in, reads_in
from compendium import chapters
from compendium.build_records import Record, load_state, save_state
from compendium.kernels import IpcKernelManager
from compendium.results_index import write_results_index

PACKAGE = "analysis"
EXECUTION_TIMEOUT = 600


class NotebookExecutionError(CompendiumError, RuntimeError):
    """A notebook raised while the build executed it."""


# ---- inputs of a notebook -----------------------------------------------------


def _imported_modules(source: str, package: str = PACKAGE) -> set[str]:
    """Dotted names of the package's modules that a piece of code imports."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics; the import lines still count
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
    names = set()
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and ast.unparse(node.test) == "__name__ == '__main__'":
            continue  # runs only when the module is executed as a script, never for code that imports it
        pending.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names if alias.name.split(".")[0] == package}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == package:
            names.add(node.module)
            # "from analysis import paper" imports the module analysis.data.paper
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _module_file(name: str, package_dir: Path) -> Path | None:
    parts = name.split(".")[1:]
    if not parts:
        return package_dir / "__init__.py"
    relative = Path(*parts)
    for candidate in (package_dir / relative.with_suffix(".py"), package_dir / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None  # a name imported from a module, not a module


def module_closure(source: str, package_dir: Path = paths.PACKAGE_DIR) -> list[Path]:
    """Files of the package modules that ``source`` imports, directly or through other modules."""
    seen: dict[str, Path] = {}
    pending = list(_imported_modules(source))
    if pending:
        pending.append(PACKAGE)  # the package's __init__ runs on any import
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        file = _module_file(name, package_dir)
        if file is None:
            continue
        seen[name] = file
        pending.extend(_imported_modules(file.read_text(encoding="utf-8")))
    return sorted(seen.values())


def code_source(notebook: Path) -> str:
    content = nbformat.read(notebook, as_version=4)
    return "\n".join(cell.source for cell in content.cells if cell.cell_type == "code")


def fingerprint(notebook: Path, data_inputs: list[str], package_dir: Path = paths.PACKAGE_DIR) -> str:
    source = code_source(notebook)
    parts = {
        "code": hashlib.sha256(source.encode()).hexdigest(),
        "modules": {str(p.relative_to(package_dir)): input_digest(str(p)) for p in module_closure(source, package_dir)},
        "data": {entry: input_digest(entry) for entry in sorted(data_inputs)},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


# ---- execution ----------------------------------------------------------------


def _execute(notebook: str) -> tuple[str, dict | None, list[str], list[str], float, str | None]:
    """Run one notebook in its folder (in a worker process) and report what it read."""
    from jupyter_cache.executors.utils import single_nb_execution

    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "reads.txt"
        os.environ[paths.READ_LOG_ENV] = str(log)
        content = nbformat.read(notebook, as_version=4)
        result = single_nb_execution(
            content,
            cwd=str(Path(notebook).parent),
            timeout=EXECUTION_TIMEOUT,
            allow_errors=False,
            kernel_manager_class=IpcKernelManager,
        )
        reads, outputs = reads_in(log), outputs_in(log)
    if result.err is not None:
        return notebook, None, reads, outputs, result.time, result.exc_string
    return notebook, result.nb, reads, outputs, result.time, None


def _open_cache(cache_dir: Path):
    """The jupyter-cache in ``cache_dir``; if its database cannot be read, the folder is moved aside first."""
    from jupyter_cache import get_cache
    from sqlalchemy.exc import SQLAlchemyError

    cache = get_cache(str(cache_dir))
    try:
        cache.list_cache_records()
        cache.list_project_records()  # myst-nb reads this table during the book build
    except (SQLAlchemyError, RuntimeError) as error:  # jupyter-cache wraps some database errors in RuntimeError
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        aside = cache_dir.with_name(f"{cache_dir.name}-unreadable-{stamp}")
        cache_dir.rename(aside)  # kept, not deleted, so that the fault can be looked at
        print(
            f"build: the jupyter-cache database {cache_dir / 'global.db'} cannot be read "
            f"({type(error).__name__}); moved the cache to {aside} and started a new one.",
            file=sys.stderr,
        )
        cache = get_cache(str(cache_dir))
    return cache


def _record_problem(cache, record) -> str | None:
    """Why a cache record cannot stand in for an execution, or None when it can."""
    executed = cache._get_notebook_path_cache(record.hashkey)
    try:
        # As myst-nb reads it.
        content = nbformat.reads(executed.read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT)
        nbformat.validate(content)
    except FileNotFoundError:
        return "its executed notebook is missing"
    except Exception as error:  # nbformat raises anything from ValueError to TypeError on JSON that is no notebook
        return f"its executed notebook is not valid nbformat ({type(error).__name__})"
    if cache.create_hashed_notebook(content)[1] != record.hashkey:
        return "its executed notebook no longer hashes to the record's key"
    return None


def _drop_record(cache, record) -> None:
    from jupyter_cache.cache.db import NbCacheRecord

    shutil.rmtree(cache._get_notebook_path_cache(record.hashkey).parent, ignore_errors=True)
    NbCacheRecord.remove_records([record.pk], cache.db)


def refresh_cache(
    notebooks: list[Path],
    cache_dir: Path = paths.JUPYTER_CACHE_DIR,
    state_file: Path = paths.FINGERPRINTS,
    workers: int | None = None,
    package_dir: Path = paths.PACKAGE_DIR,
) -> list[Path]:
    """Execute the notebooks whose inputs changed and cache them; returns those executed."""
    from jupyter_cache.base import CacheBundleIn

    cache = _open_cache(cache_dir)
    state = load_state(state_file)
    stale, dropped = [], []
    for notebook in notebooks:
        key = str(notebook.resolve())
        record = state.get(key)
        current = record and fingerprint(notebook, record.data_inputs, package_dir)
        try:
            cached = cache.match_cache_notebook(nbformat.read(notebook, as_version=4))
        except KeyError:
            cached = None
        problem = cached and _record_problem(cache, cached)
        if problem:
            dropped.append(f"{notebook.name}: {problem}")
        outputs_present = record and all(Path(output).is_file() for output in record.outputs)
        if not (cached and not problem and record and current == record.fingerprint and outputs_present):
            if cached:
                _drop_record(cache, cached)  # never let a stale or broken result stand in for this one
            state.pop(key, None)
            stale.append(notebook)
    if dropped:
        print(
            f"build: dropped {len(dropped)} unusable jupyter-cache record(s), executing again: " + "; ".join(dropped),
            file=sys.stderr,
        )
    save_state(state_file, state)

    failures = []
    if stale:
        with ProcessPoolExecutor(max_workers=min(workers or os.cpu_count() or 1, len(stale))) as pool:
            for name, executed, reads, outputs, seconds, error in pool.map(_execute, [str(n.resolve()) for n in stale]):
                if executed is None:
                    failures.append(f"{name}:\n{error}")
                    continue
                cache.cache_notebook_bundle(
                    CacheBundleIn(executed, name, data={"execution_seconds": seconds}),
                    check_validity=False,
                    overwrite=True,
                )
                state[name] = Record(fingerprint(Path(name), reads, package_dir), reads, outputs)
                save_state(state_file, state)
                # Sphinx re-reads a page only when its source is newer than its last reading; a notebook
                # re-run for its data, its modules or a release stamp has the same source, so mark it newer.
                os.utime(name)
    if failures:
        raise NotebookExecutionError("these notebooks failed; the book was not built:\n" + "\n".join(failures))
    return stale


# ---- the book -----------------------------------------------------------------


def build_book(root: Path = paths.ROOT, extra_args: tuple[str, ...] = ()) -> list[Path]:
    """Refresh the cache, then run Jupyter Book with warnings as errors."""
    from analysis.data.datapackage import load_descriptor

    load_descriptor(paths.DATAPACKAGE)  # one clear error up front, instead of one traceback per notebook
    executed = refresh_cache(chapters.notebooks(root / chapters.TOC.name))
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(root),
        "--warningiserror",
        "--nitpick",
        "--keep-going",
        *extra_args,
    ]
    completed = subprocess.run(command)
    if completed.returncode != 0:
        raise SystemExit(completed.returncode)
    write_results_index()
    return executed


def main(arguments: list[str]) -> int:
    """``python -m compendium.build [jupyter-book options]``, as ``make book`` runs it."""
    try:
        ran = build_book(extra_args=tuple(arguments))
    except CompendiumError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"re-executed {len(ran)} notebook(s): {', '.join(p.name for p in ran) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
