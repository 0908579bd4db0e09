"""One run of a tiny chapter notebook: its folder, its manifest, its progress, and a kernel on IPC."""

from __future__ import annotations

import hashlib

import nbformat
import papermill
import pytest

from compendium import chapters, manifest, runs
from helpers.kernel_log import TCP_WARNING
from helpers.toy_chapter import TABLE1_CSV, declare_toy, glued, table1_row_count, write_toy


@pytest.fixture()
def toy(tmp_path, monkeypatch):
    declare_toy(monkeypatch)
    return chapters.from_notebook(write_toy(tmp_path))


def test_an_interrupted_run_leaves_only_a_partial_folder(toy, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(papermill, "execute_notebook", interrupted)
    with pytest.raises(KeyboardInterrupt):
        runs.run(toy, {}, runs_dir=tmp_path / "runs")
    folders = list((tmp_path / "runs" / "toy").iterdir())
    assert [f.name.startswith(manifest.PARTIAL_PREFIX) for f in folders] == [True]
    assert manifest.read_manifest(folders[0])["status"] == "interrupted"
    assert manifest.successful_runs(toy, tmp_path / "runs") == {}


# ---- with a kernel --------------------------------------------------------------


def test_leaving_out_countries_changes_the_glued_n(toy, tmp_path, capfd):
    base = runs.run(toy, {}, runs_dir=tmp_path / "runs")
    progress = []
    fewer = runs.run(
        toy,
        {"leave_out": ["ARM", "UZB"], "scale": 2},
        runs_dir=tmp_path / "runs",
        on_cell_done=lambda done, total: progress.append((done, total)),
    )
    rows = table1_row_count()
    assert (base.status, fewer.status) == ("succeeded", "succeeded")
    assert glued(base.directory / "toy.ipynb", "n") == rows
    assert glued(fewer.directory / "toy.ipynb", "n") == rows - 2
    # files the chapter wrote land in its run folder, not in the project's results/
    assert (fewer.directory / "results" / "n.txt").read_text() == str((rows - 2) * 2.0)

    record = manifest.read_manifest(fewer.directory)
    assert record["status"] == "succeeded" and record["run_key"] == fewer.run_key
    assert record["parameters"] == {"leave_out": ["ARM", "UZB"], "fail": False, "scale": 2.0}
    assert record["files"]["results/n.txt"]["sha256"] == hashlib.sha256(str((rows - 2) * 2.0).encode()).hexdigest()
    read = {entry["input"]: entry["sha256"] for entry in record["data"]["read"]}
    assert read[str(TABLE1_CSV)] == hashlib.sha256(TABLE1_CSV.read_bytes()).hexdigest()
    assert record["started_at"] <= record["finished_at"]
    assert record["packages"]["papermill"] == papermill.__version__

    # The toy's three cells and the parameters cell papermill injects, reported one by one.
    assert progress == [(done, 4) for done in range(1, 5)]
    # The kernels printed to this process's stderr, which the log of a run is: no TCP warning there.
    assert TCP_WARNING not in capfd.readouterr().err


def test_a_failing_run_is_marked_failed_and_leaves_earlier_runs_alone(toy, tmp_path):
    good = runs.run(toy, {}, runs_dir=tmp_path / "runs")
    before = {p: p.read_bytes() for p in good.directory.rglob("*") if p.is_file()}
    bad = runs.run(toy, {"fail": True}, runs_dir=tmp_path / "runs")
    assert bad.status == "failed" and bad.directory != good.directory
    assert bad.directory.name.endswith(manifest.FAILED_SUFFIX)
    record = manifest.read_manifest(bad.directory)
    assert record["status"] == "failed"
    assert record["error"]["ename"] == "RuntimeError"
    assert "deliberate failure" in record["error"]["evalue"]
    assert "raise RuntimeError" in record["error"]["cell_source"]
    toy_cells = nbformat.read(toy.notebook, as_version=4).cells
    assert record["error"]["cell_id"] == toy_cells[2].id  # the third cell raises
    assert bad.error == f"RuntimeError: deliberate failure for the test in cell {toy_cells[2].id} (In [3])"
    assert (bad.directory / "toy.ipynb").is_file()  # kept for debugging
    assert {p: p.read_bytes() for p in good.directory.rglob("*") if p.is_file()} == before
    assert list(manifest.successful_runs(toy, tmp_path / "runs").values()) == [good.directory]
    assert not [p for p in (tmp_path / "runs" / "toy").iterdir() if p.name.startswith(".")]
