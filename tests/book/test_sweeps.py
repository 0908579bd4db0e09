"""Sweeps of a tiny chapter over a grid: the grid files, resuming, and the progress in cells."""

from __future__ import annotations

import csv
import queue

import papermill
import pytest

from analysis.errors import ParameterError
from compendium import chapters, provenance, sweeps
from compendium.runs import RunResult
from helpers.toy_chapter import declare_toy, glued, no_kernel, table1_row_count, toy_book, write_toy


@pytest.fixture()
def toy(tmp_path, monkeypatch):
    declare_toy(monkeypatch)
    return chapters.from_notebook(write_toy(tmp_path))


# ---- grids --------------------------------------------------------------------


def test_a_grid_is_the_cartesian_product_of_its_lists(tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text('leave_out: [[], ["ARM"], ["ARM", "UZB"]]\nscale: [1.0, 2.5]\n', encoding="utf-8")
    points = sweeps.grid_points(sweeps.load_grid(grid))
    assert len(points) == 6
    assert points[0] == {"leave_out": [], "scale": 1.0}
    assert points[-1] == {"leave_out": ["ARM", "UZB"], "scale": 2.5}


@pytest.mark.parametrize(
    "name, text, words",
    [
        ("grid.yaml", "leave_out: ARM\n", ["'leave_out'", "list of lists"]),
        ("grid.yaml", "- 1\n- 2\n", ["mapping"]),
        ("grid.yaml", "leave_out: [[ARM]\n", ["not valid YAML"]),
        # One grid format: TOML, which the shipped grids once mixed in, is named and refused.
        ("grid.toml", 'leave_out = [["ARM"]]\n', ["'.toml'", "YAML"]),
    ],
)
def test_a_bad_grid_file_says_what_is_wrong(tmp_path, name, text, words):
    grid = tmp_path / name
    grid.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError) as error:
        sweeps.load_grid(grid)
    for word in words:
        assert word in str(error.value)


def test_a_grid_with_aliases_or_too_large_is_refused_before_it_is_expanded(tmp_path):
    grid = tmp_path / "grid.yaml"
    grid.write_text("leave_out: &a [[ARM], [AZE]]\nother: *a\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="aliases"):
        sweeps.load_grid(grid)
    grid.write_text("leave_out: [" + ", ".join(["[ARM]"] * 30_000) + "]\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="at most"):
        sweeps.load_grid(grid)


def test_a_grid_belongs_to_the_chapter_its_name_starts_with(tmp_path, monkeypatch):
    notebook = toy_book(tmp_path / "book", monkeypatch)
    assert sweeps.grid_chapter(tmp_path / "07-toy-scales.yaml").notebook == notebook.resolve()
    for name in ("07-toys-scales.yaml", "toy-scales.yaml", "05-remittances-x.yaml"):
        with pytest.raises(ParameterError, match="exactly one chapter's notebook"):
            sweeps.grid_chapter(tmp_path / name)


# ---- sweeping ---------------------------------------------------------------------


def test_a_sweep_with_a_bad_point_starts_nothing(toy, tmp_path, monkeypatch):
    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    grid = tmp_path / "grid.yaml"
    grid.write_text("leave_out: [[ARM], [XXX]]\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="point 2 of 2.*XXX"):
        sweeps.sweep(toy, grid, workers=2, runs_dir=tmp_path / "runs", progress=False)
    assert not (tmp_path / "runs").exists()


def test_a_two_point_sweep_with_two_workers_completes_and_resumes(toy, tmp_path, monkeypatch):
    state = provenance.snapshot()  # other people may edit the tree meanwhile; the resume logic is under test
    monkeypatch.setattr(provenance, "snapshot", lambda: state)
    grid = tmp_path / "grid.yaml"
    grid.write_text("leave_out: [[], [ARM]]\n", encoding="utf-8")
    first = sweeps.sweep(toy, grid, workers=2, runs_dir=tmp_path / "runs", progress=False)
    assert [r.status for r in first.results] == ["succeeded", "succeeded"]
    assert [r.reused for r in first.results] == [False, False]
    rows = table1_row_count()
    assert [glued(r.directory / "toy.ipynb", "n") for r in first.results] == [rows, rows - 1]
    with first.summary.open(newline="", encoding="utf-8") as handle:
        summary = list(csv.DictReader(handle))
    assert [(s["leave_out"], s["status"]) for s in summary] == [("[]", "succeeded"), ('["ARM"]', "succeeded")]

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    second = sweeps.sweep(toy, grid, workers=2, runs_dir=tmp_path / "runs", progress=False)
    assert [r.reused for r in second.results] == [True, True]
    assert [r.directory for r in second.results] == [r.directory for r in first.results]


def test_the_progress_counts_cells_done_out_of_the_cells_of_every_run(toy, tmp_path):
    points = [{"leave_out": []}, {"leave_out": ["ARM"]}, {"leave_out": ["AZE"]}]
    # Points 0 and 2 still to run, point 1 reused; the toy has 3 cells, and papermill injects a fourth.
    progress = sweeps._CellProgress(toy, [0, 2], points, reused=1, shown=False)
    assert (progress.bar.n, progress.bar.total) == (0, 8)
    reports = queue.Queue()
    for report in [(0, 1, 4), (2, 1, 4), (0, 3, 4)]:
        reports.put(report)
    progress.take(reports)
    assert (progress.bar.n, progress.bar.total) == (4, 8)
    progress.point_done(0, RunResult("succeeded", tmp_path, "k0", {}))
    assert (progress.bar.n, progress.bar.total) == (5, 8)  # its last report had not arrived yet
    progress.point_done(2, RunResult("failed", tmp_path, "k2", {}))
    assert (progress.bar.n, progress.bar.total) == (5, 5)  # the failed run's other 3 cells will never run
    reports.put((2, 2, 4))  # a report that arrives after its run ended changes nothing
    progress.take(reports)
    assert (progress.bar.n, progress.bar.total) == (5, 5)
    assert progress.bar.postfix == "runs 2/2 done, 1 failed, 1 reused"
    progress.close()
