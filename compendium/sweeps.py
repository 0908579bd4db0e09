"""Sweeps: one chapter run at every point of a grid of parameter values, in parallel, resumable.

A grid is a YAML file mapping each parameter to the list of values to try; a sweep runs the
cartesian product, each point as its own run (``compendium.runs``). A point whose run key
already has a successful run is reused, so a sweep that stopped resumes where it was. Each
sweep writes a summary, one line per point, to ``runs/<chapter>/sweeps/``.

The shipped grids are in ``grids/``, each named after its chapter's notebook
(``05-remittances-leave-one-out.yaml`` belongs to ``chapters/05-remittances.ipynb``).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import multiprocessing
import os
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from analysis import paths
from analysis.errors import CompendiumError, ParameterError
from analysis.files import write_atomically
from compendium import chapters, manifest, provenance, runs
from compendium.chapters import Chapter
from compendium.run_parameters import resolve_parameters
from compendium.runs import RunResult
from compendium.values import GRID_MAX_CHARS, load_yaml

SWEEPS_FOLDER = "sweeps"
GRID_SUFFIX = ".yaml"
PROGRESS_SECONDS = 0.2  # how often the progress bar takes in the workers' reports


def load_grid(path: Path) -> dict[str, list]:
    """A grid file (YAML): each parameter name maps to the list of values to try."""
    path = Path(path)
    if path.suffix not in (GRID_SUFFIX, ".yml"):
        raise ParameterError(
            f"grid file {path}: unknown format {path.suffix!r}; write the grid as YAML ({GRID_SUFFIX})."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParameterError(f"grid file {path} cannot be read ({exc.strerror}).") from exc
    if len(text) > GRID_MAX_CHARS:
        raise ParameterError(f"grid file {path} has {len(text)} characters; a grid may have at most {GRID_MAX_CHARS}.")
    try:
        grid = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ParameterError(f"grid file {path} is not valid YAML: {exc}") from exc
    if not isinstance(grid, dict) or not grid:
        raise ParameterError(
            f"grid file {path}: expected a mapping of parameter name -> list of values, found {type(grid).__name__}."
        )
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


def grid_chapter(grid: Path, toc: Path | None = None) -> Chapter:
    """The chapter a grid belongs to: the one whose notebook's name, and a dash, start the grid's name."""
    owners = [chapter for chapter in chapters.runnable(toc) if grid.name.startswith(f"{chapter.notebook.stem}-")]
    if len(owners) != 1:
        names = ", ".join(chapter.notebook.stem for chapter in owners) or "none"
        raise ParameterError(
            f"grid file {grid}: its name must start with the name of exactly one chapter's notebook "
            f"and a dash (e.g. 05-remittances-{grid.name}), so that its chapter is known; "
            f"chapters whose name starts it: {names}."
        )
    return owners[0]


def shipped_grids(grids_dir: Path | None = None) -> list[tuple[Path, Chapter]]:
    """The grids under grids/, each with its chapter."""
    grids_dir = paths.GRIDS_DIR if grids_dir is None else grids_dir
    return [(grid, grid_chapter(grid)) for grid in sorted(p for p in grids_dir.iterdir() if p.is_file())]


@dataclass
class SweepResult:
    results: list[RunResult | None]
    summary: Path
    points: list[dict[str, Any]] = field(default_factory=list)


# ---- the workers ------------------------------------------------------------------------

_IN_RUN = False  # per worker process: is a run in progress?
_PROGRESS = None  # per worker process: the queue that takes (point, cells done, cells in total)


def _on_terminate(signum, frame) -> None:
    if _IN_RUN:
        runs.raise_terminated(signum, frame)  # the run records itself as interrupted and papermill stops its kernel
    os._exit(128 + signum)


def _start_worker(progress) -> None:
    """Workers leave Ctrl-C to the sweep, which stops them with SIGTERM, and report their cells on ``progress``."""
    global _PROGRESS
    _PROGRESS = progress
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)


def _execute_point(index: int, chapter: Chapter, given: dict, values: dict, runs_dir: Path) -> RunResult:
    global _IN_RUN
    _IN_RUN = True
    try:
        return runs.execute(
            chapter, given, values, runs_dir, on_cell_done=lambda done, total: _PROGRESS.put((index, done, total))
        )
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


# ---- progress: cells done, out of the cells of every point still to run --------------------


class _CellProgress:
    def __init__(self, chapter: Chapter, pending: list[int], points: list[dict], reused: int, shown: bool):
        from tqdm import tqdm

        cells = len(nbformat.read(chapter.notebook, as_version=4).cells)
        # papermill adds one cell, the injected parameters, to a run that is given any
        self.cells = {index: [0, cells + bool(points[index])] for index in pending}
        self.finished, self.failed, self.ended = 0, 0, set()
        self.bar = tqdm(total=self._total(), desc=f"{chapter.slug} sweep", unit="cell", disable=not shown)
        self.runs, self.reused = len(pending), reused
        self._describe()

    def _total(self) -> int:
        return sum(total for _, total in self.cells.values())

    def _describe(self) -> None:
        self.bar.set_postfix_str(f"runs {self.finished}/{self.runs} done, {self.failed} failed, {self.reused} reused")

    def take(self, queue) -> None:
        while not queue.empty():
            index, done, total = queue.get()
            if index not in self.ended:  # a report can arrive after its run's result
                self.cells[index] = [done, total]
        self._show()

    def point_done(self, index: int, result: RunResult) -> None:
        done, total = self.cells[index]
        # A failed run's remaining cells will never run, so they leave the total.
        self.cells[index] = [total, total] if result.status == "succeeded" else [done, done]
        self.ended.add(index)
        self.finished += 1
        self.failed += result.status != "succeeded"
        self._describe()
        self._show()

    def _show(self) -> None:
        self.bar.total = self._total()
        self.bar.n = sum(done for done, _ in self.cells.values())
        self.bar.refresh()

    def close(self) -> None:
        self.bar.close()


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
            writer.writerow(
                [index, *cells, result.status, result.reused, result.run_key, str(result.directory), result.error or ""]
            )
    write_atomically({path: buffer.getvalue()}, result=False)


def sweep(
    chapter: Chapter,
    grid_file: Path,
    workers: int | None = None,
    runs_dir: Path = paths.RUNS_DIR,
    progress: bool = True,
) -> SweepResult:
    """Run every point of a grid in parallel; points with a successful run of the same key are reused."""
    grid_file = Path(grid_file)
    points = grid_points(load_grid(grid_file))
    resolved = []
    for index, point in enumerate(points, start=1):
        try:
            resolved.append(resolve_parameters(chapter, point))
        except ParameterError as exc:
            raise ParameterError(f"{grid_file}, point {index} of {len(points)} ({point}): {exc}") from exc
    state = provenance.snapshot()
    done = manifest.successful_runs(chapter, runs_dir)
    results: list[RunResult | None] = [None] * len(points)
    pending = []
    for index, values in enumerate(resolved):
        key = manifest.run_key(chapter, values, state)
        if key in done:
            results[index] = RunResult("succeeded", done[key], key, values, reused=True)
        else:
            pending.append(index)
    summary = runs_dir / chapter.slug / SWEEPS_FOLDER / f"{grid_file.stem}-{manifest.stamp(manifest.now())}.csv"
    cells = _CellProgress(chapter, pending, points, len(points) - len(pending), progress)
    # fork: the workers see the declarations and module state of this process as they are.
    context = multiprocessing.get_context("fork")
    reports = context.Queue()
    executor = ProcessPoolExecutor(
        max_workers=workers or os.cpu_count() or 1, mp_context=context, initializer=_start_worker, initargs=(reports,)
    )
    try:
        futures = {executor.submit(_execute_point, i, chapter, points[i], resolved[i], runs_dir): i for i in pending}
        waiting = set(futures)
        while waiting:
            finished, waiting = wait(waiting, timeout=PROGRESS_SECONDS, return_when=FIRST_COMPLETED)
            cells.take(reports)
            for future in finished:
                index = futures[future]
                try:
                    results[index] = future.result()
                except CompendiumError as exc:
                    raise CompendiumError(f"sweep point {index + 1} ({points[index]}) could not run: {exc}") from exc
                cells.point_done(index, results[index])
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        _stop_workers()
        finished_runs = manifest.successful_runs(chapter, runs_dir)  # runs that ended while the sweep was stopping
        for index in pending:
            key = manifest.run_key(chapter, resolved[index], state)
            if results[index] is None and key in finished_runs:
                results[index] = RunResult("succeeded", finished_runs[key], key, resolved[index])
        _write_summary(summary, points, results)
        raise
    finally:
        cells.close()
    executor.shutdown()
    _write_summary(summary, points, results)
    return SweepResult(results, summary, points)
