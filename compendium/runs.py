"""One parameterised run of a chapter with papermill, in a folder of its own, with a manifest.

A run executes one chapter notebook with a reader's parameter values into its
own folder ``runs/<chapter>/<UTC time>-<run key>/``: the executed notebook,
the files the chapter wrote (``results/``, through ``CIS_COMPENDIUM_RESULTS``)
and ``manifest.json`` (``compendium.manifest``). Safety rules:

- parameters are checked (``compendium.run_parameters``) before any kernel starts;
- a run works in a hidden ``.partial-*`` folder; the manifest is written last
  and only then is the folder renamed, so a folder without the prefix is
  always complete; a failed run gets the suffix ``-failed`` and never shares a
  folder with a successful one;
- Ctrl-C or SIGTERM leaves the ``.partial-`` folder with a manifest that says
  "interrupted";
- the kernel talks over IPC, not TCP (``compendium.kernels``).

Sweeps over a grid of values are in ``compendium.sweeps``.
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import papermill

from analysis import paths
from compendium import manifest, provenance
from compendium.chapters import Chapter
from compendium.kernels import PAPERMILL_ENGINE, CellProgress, quiet_papermill
from compendium.run_parameters import resolve_parameters

EXECUTION_TIMEOUT = 600


class RunInterrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C (SIGINT) or SIGTERM.

    Its folder keeps the ``.partial-`` prefix and holds a manifest with the
    status "interrupted"; ``directory`` names it once the run has recorded itself.
    """

    def __init__(self, signal_name: str, directory: Path | None = None):
        super().__init__(signal_name)
        self.signal_name = signal_name
        self.directory = directory


def raise_terminated(signum, frame) -> None:
    """A signal handler that stops the run as Ctrl-C would, naming the signal."""
    raise RunInterrupted(signal.Signals(signum).name)


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """While a run executes, SIGTERM stops it the way Ctrl-C does, so that it records itself as interrupted."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set a handler
        yield
        return
    previous = signal.signal(signal.SIGTERM, raise_terminated)
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


def execute(
    chapter: Chapter,
    given: dict[str, Any],
    values: dict[str, Any],
    runs_dir: Path = paths.RUNS_DIR,
    on_cell_done: CellProgress | None = None,
) -> RunResult:
    """Execute a chapter whose parameters ``resolve_parameters`` has already checked.

    ``on_cell_done(done, total)`` is told after each cell, e.g. to show progress.
    """
    given = {name: values[name] for name in given}  # as normalised, e.g. 2 -> 2.0 for a float
    state = provenance.snapshot()
    key = manifest.run_key(chapter, values, state)
    started = manifest.now()
    chapter_runs = runs_dir / chapter.slug
    chapter_runs.mkdir(parents=True, exist_ok=True)
    stem = f"{manifest.stamp(started)}-{key[:12]}"
    work = chapter_runs / f"{manifest.PARTIAL_PREFIX}{stem}-{secrets.token_hex(3)}"
    work.mkdir()
    read_log = work.with_name(work.name + ".reads")
    record = manifest.new_manifest(chapter, given, values, key, state, started)
    status, error = "succeeded", None
    try:
        with (
            _sigterm_interrupts(),
            quiet_papermill(),
            _environment(**{paths.RESULTS_ENV: str(work / "results"), paths.READ_LOG_ENV: str(read_log)}),
        ):
            papermill.execute_notebook(
                str(chapter.notebook),
                str(work / chapter.notebook.name),
                parameters=given,
                engine_name=PAPERMILL_ENGINE,
                on_cell_done=on_cell_done,
                kernel_name="python3",
                cwd=str(work),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=True,
                execution_timeout=EXECUTION_TIMEOUT,
                # A graceful shutdown interrupts a busy kernel and then closes its sockets while it still
                # replies, so that it prints a ZMQ traceback; the outputs are all in by then anyway.
                shutdown_kernel="immediate",
            )
    except KeyboardInterrupt as stop:
        signal_name = stop.signal_name if isinstance(stop, RunInterrupted) else "SIGINT"
        record["error"] = manifest.cell_error(stop, chapter.notebook) | {"evalue": f"stopped by {signal_name}"}
        manifest.finish(record, "interrupted", work, read_log, started)
        raise RunInterrupted(signal_name, work) from stop  # the folder keeps its .partial- name
    except Exception as exc:  # a failing cell, a dead kernel, a timeout: all recorded, none hidden
        record["error"] = manifest.cell_error(exc, chapter.notebook)
        status = "interrupted" if record["error"]["ename"] == "KeyboardInterrupt" else "failed"
        found = record["error"]
        where = f" in cell {found['cell_id']} (In [{found['execution_count']}])" if found["cell_id"] else ""
        error = f"{found['ename']}: {found['evalue']}{where}"
    manifest.finish(record, status, work, read_log, started)
    if status == "interrupted":
        return RunResult(status, work, key, values, error)
    final = _rename_free(work, chapter_runs / (stem if status == "succeeded" else stem + manifest.FAILED_SUFFIX))
    return RunResult(status, final, key, values, error)


def run(
    chapter: Chapter, given: dict[str, Any], runs_dir: Path = paths.RUNS_DIR, on_cell_done: CellProgress | None = None
) -> RunResult:
    """Validate, then execute one chapter into its own run folder."""
    values = resolve_parameters(chapter, given)
    return execute(chapter, given, values, runs_dir, on_cell_done)
