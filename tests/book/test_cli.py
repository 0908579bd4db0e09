"""The ``compendium`` command, through click's test runner."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import nbformat
import papermill
import pytest
from click.testing import CliRunner

from analysis import paths
from compendium import cli, manifest, parameters, sweeps
from compendium.runs import RunResult
from helpers.kernel_log import TCP_WARNING
from helpers.toy_chapter import glued, no_kernel, table1_row_count, toy_book


@pytest.fixture()
def toy_chapters(tmp_path, monkeypatch):
    """A book whose one chapter, 07-toy, is tiny and declared with a toy declaration; the registry reads it."""
    return toy_book(tmp_path / "book", monkeypatch).parent


def invoke(*args):
    return CliRunner().invoke(cli.main, [str(arg) for arg in args], catch_exceptions=False)


def test_help_lists_the_eight_commands():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("list", "run", "sweep", "book", "check", "audit", "release", "verify"):
        assert command in result.output


def test_list_shows_each_parameter_with_type_default_and_what_is_allowed(toy_chapters):
    result = invoke("list")
    assert result.exit_code == 0
    assert "07  toy" in result.output
    assert "leave_out: list = []" in result.output
    assert "scale: float = 1.0   allowed: a float >= 0" in result.output
    assert "a list drawn from ARM, AZE" in result.output


def test_list_flags_a_parameter_nobody_declared(toy_chapters, monkeypatch):
    monkeypatch.setitem(parameters.CHAPTERS, "toy", {"leave_out": parameters.COUNTRY_CODES})
    assert "fail: bool = False   allowed: NOT DECLARED" in invoke("list").output


@pytest.mark.parametrize(
    "arguments, words",
    [
        (["-p", "leave_out", '["ARM", "FRA"]'], ["'leave_out'", "FRA", "ARM, AZE"]),
        (["-p", "scale", "-1"], ["'scale'", ">= 0"]),
        (["-p", "seed", "3"], ["'seed'", "leave_out, fail, scale"]),
        (["-p", "scale", "1", "-p", "scale", "2"], ["'scale'", "twice"]),
        (["-p", "leave_out", "[ARM"], ["'leave_out'", "not valid YAML"]),
        (["-p", "scale", "nan"], ["'scale'", "finite"]),
        (["-p", "scale", "inf"], ["'scale'", "finite"]),
    ],
)
def test_a_bad_parameter_exits_2_without_starting_a_kernel(toy_chapters, tmp_path, monkeypatch, arguments, words):
    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    result = invoke("run", "7", *arguments, "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2
    for word in words:
        assert word in result.output
    assert not (tmp_path / "runs").exists()


def test_an_unknown_chapter_lists_the_known_ones(toy_chapters, monkeypatch):
    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    result = invoke("run", "remittances")
    assert result.exit_code == 2 and "07 (toy)" in result.output


def test_run_by_name_with_a_list_parameter(toy_chapters, tmp_path, capfd):
    result = invoke("run", "toy", "-p", "leave_out", "[ARM, AZE, BLR]", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 0, result.output
    folder = next(line for line in result.output.splitlines() if line.startswith("succeeded: ")).split(": ", 1)[1]
    assert glued(f"{folder}/07-toy.ipynb", "n") == table1_row_count() - 3
    record = manifest.read_manifest(tmp_path / "runs" / "toy" / folder.rsplit("/", 1)[1])
    assert record["parameters_given"] == {"leave_out": ["ARM", "AZE", "BLR"]}
    assert record["command"] == """compendium run 07 -p leave_out '["ARM", "AZE", "BLR"]'"""
    # Progress in cells: the toy's three and the injected parameters cell, all done.
    assert "toy: 100%" in result.output and "4/4" in result.output
    assert TCP_WARNING not in capfd.readouterr().err  # what the kernel printed to the run's log


def test_a_failed_run_exits_1_and_points_at_its_manifest(toy_chapters, tmp_path):
    result = invoke("run", "7", "-p", "fail", "True", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 1
    assert "RuntimeError: deliberate failure" in result.output
    assert "-failed/manifest.json" in result.output


def fake_execute_point(index, chapter, given, values, runs_dir):
    """Stands in for a kernel: fails the points that leave a country out."""
    status = "failed" if values["leave_out"] else "succeeded"
    return RunResult(status, runs_dir / status, "k" + status, values, error=None)


def test_sweep_reports_failed_points_and_exits_1(toy_chapters, tmp_path, monkeypatch):
    monkeypatch.setattr(sweeps, "_execute_point", fake_execute_point)
    grid = tmp_path / "grid.yaml"
    grid.write_text("leave_out: [[], [ARM]]\n", encoding="utf-8")
    result = invoke("sweep", "7", "--grid", grid, "--workers", 1, "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 1
    assert "1 of 2 points succeeded" in result.output
    assert "failed: {'leave_out': ['ARM']}" in result.output


def test_sweep_validates_the_grid_before_running(toy_chapters, tmp_path, monkeypatch):
    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    grid = tmp_path / "grid.yaml"
    grid.write_text("scale: [1, -2]\n", encoding="utf-8")
    result = invoke("sweep", "toy", "--grid", grid, "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "point 2 of 2" in result.output and "'scale'" in result.output


def test_audit_writes_the_audit_table_and_prints_the_claims_per_status(tmp_path):
    output = tmp_path / "audit.csv"
    result = invoke("audit", "--output", output)
    assert result.exit_code == 0, result.output
    with output.open(newline="", encoding="utf-8") as handle:
        statuses = [row["status"] for row in csv.DictReader(handle)]
    printed = {}
    for line in result.output.splitlines():
        if match := re.fullmatch(r"\s*(\d+)  (.+)", line):
            printed[match.group(2)] = int(match.group(1))
    assert {status: count for status, count in printed.items() if count} == Counter(statuses)
    assert f"{len(statuses)} claims" in result.output


def test_check_passes_on_the_shipped_data_package():
    result = invoke("check")
    assert result.exit_code == 0, result.output
    assert "ok   table1_living_standards" in result.output


def test_check_reports_every_broken_file_and_exits_1(tmp_path):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data", ignore=shutil.ignore_patterns("external"))
    table1 = tmp_path / "data" / "paper" / "table1_living_standards.csv"
    table1.write_text(table1.read_text(encoding="utf-8").replace("Armenia,1234.0", "Armenia,-1234.0"), encoding="utf-8")
    levels = tmp_path / "data" / "paper" / "table3_remittances_levels.csv"
    # a change the schema cannot see: only the recorded sha256 catches it
    levels.write_text(levels.read_text(encoding="utf-8").replace("Armenia,162,", "Armenia,163,"), encoding="utf-8")
    result = invoke("check", "--descriptor", tmp_path / "data" / "datapackage.json")
    assert result.exit_code == 1
    assert "FAIL table1_living_standards" in result.output and "minimum" in result.output
    assert "FAIL table3_remittances_levels" in result.output and "sha256" in result.output
    assert "ok   table2_migrant_workers" in result.output
    assert "2 of" in result.output


def test_book_uses_the_data_aware_build(monkeypatch):
    from compendium import build

    calls = []
    monkeypatch.setattr(build, "build_book", lambda: calls.append("built") or [paths.CHAPTERS_DIR / "01-trends.ipynb"])
    result = invoke("book")
    assert result.exit_code == 0 and calls == ["built"]
    assert "re-executed 1 notebook(s): 01-trends.ipynb" in result.output


def test_book_reports_a_failing_notebook(monkeypatch):
    from compendium import build

    def failing():
        raise build.NotebookExecutionError("these notebooks failed; the book was not built:\nch.ipynb: boom")

    monkeypatch.setattr(build, "build_book", failing)
    result = invoke("book")
    assert result.exit_code == 1 and "boom" in result.output


def test_a_list_parameter_given_as_text_shows_how_to_write_a_list(toy_chapters, monkeypatch):
    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    result = invoke("run", "7", "-p", "leave_out", "ARM")
    assert result.exit_code == 2 and """'["ARM"]'""" in result.output


def _sleeping_trends_chapter(folder: Path) -> Path:
    """Chapter 1's parameters cell, then a cell that reads Table 1, says it started and sleeps."""
    real = nbformat.read(paths.CHAPTERS_DIR / "01-trends.ipynb", as_version=4)
    [cell] = [cell for cell in real.cells if "parameters" in cell.metadata.get("tags", [])]
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = real.metadata["kernelspec"]
    notebook.cells = [
        cell,
        nbformat.v4.new_code_cell(
            "from pathlib import Path\nimport time\nfrom analysis.data import paper\n\npaper.table1()\n"
            "Path('started').write_text('')\ntime.sleep(300)"
        ),
    ]
    path = folder / "01-trends.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_a_run_marks_its_folder_interrupted_and_leaves_nothing_stray(tmp_path, stop):
    notebook = _sleeping_trends_chapter(tmp_path)
    runs_dir = tmp_path / "runs"
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("compendium")), "run", str(notebook), "--runs-dir", str(runs_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not list(runs_dir.glob("trends/*/started")):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.2)
    os.killpg(process.pid, stop)  # as a terminal's Ctrl-C or a job scheduler would: the whole process group
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + stop.value, stderr
    [folder] = (runs_dir / "trends").iterdir()  # no stray .reads file beside it
    assert folder.name.startswith(manifest.PARTIAL_PREFIX)
    record = manifest.read_manifest(folder)
    assert record["status"] == "interrupted" and record["error"]["evalue"] == f"stopped by {stop.name}"
    assert f"interrupted by {stop.name}: {folder}" in stderr
    assert "Traceback" not in stderr and "ZMQError" not in stderr


BROKEN_DESCRIPTOR = '{\n  "name": "cis",\n  "resources": [\n    {"name": "table1", }\n  ]\n}\n'


@pytest.fixture()
def broken_descriptor(tmp_path) -> tuple[Path, str]:
    """A datapackage.json with a syntax error, and where Python's own parser places it."""
    descriptor = tmp_path / "data" / "datapackage.json"
    descriptor.parent.mkdir()
    descriptor.write_text(BROKEN_DESCRIPTOR, encoding="utf-8")
    try:
        json.loads(BROKEN_DESCRIPTOR)
    except json.JSONDecodeError as error:
        return descriptor, f"line {error.lineno}, column {error.colno}"
    raise AssertionError("the broken descriptor parses")


def _uses_descriptor(monkeypatch, descriptor: Path) -> None:
    monkeypatch.setattr(paths, "DATAPACKAGE", descriptor)
    monkeypatch.setattr(paths, "ROOT", descriptor.parent.parent)


@pytest.mark.parametrize(
    "entry_point",
    [
        "compendium check",
        "compendium run",
        "compendium sweep",
        "compendium book",
        "python -m compendium.build",
        "python -m analysis.package_check check",
        "python -m analysis.package_check rehash",
    ],
)
def test_every_entry_point_reports_an_invalid_descriptor_with_its_line_and_column(
    entry_point, broken_descriptor, toy_chapters, tmp_path, monkeypatch, capsys
):
    descriptor, where = broken_descriptor
    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    grid = tmp_path / "grid.yaml"
    grid.write_text("leave_out: [[], [ARM]]\n", encoding="utf-8")
    if entry_point.startswith("python -m analysis.package_check"):
        result = subprocess.run(
            [sys.executable, "-m", "analysis.package_check", entry_point.split()[-1], str(descriptor)],
            capture_output=True,
            text=True,
        )
        code, output = result.returncode, result.stdout + result.stderr
    elif entry_point == "python -m compendium.build":
        from compendium import build

        _uses_descriptor(monkeypatch, descriptor)
        code, output = build.main([]), capsys.readouterr().err
    else:
        _uses_descriptor(monkeypatch, descriptor)
        arguments = {
            "compendium check": ["check", "--descriptor", descriptor],
            "compendium run": ["run", "7", "--runs-dir", tmp_path / "runs"],
            "compendium sweep": ["sweep", "7", "--grid", grid, "--runs-dir", tmp_path / "runs"],
            "compendium book": ["book"],
        }[entry_point]
        result = invoke(*arguments)
        code, output = result.exit_code, result.output
    assert code == 1, output
    assert f"{descriptor}: not valid JSON ({where}" in output
    assert "Traceback" not in output
    assert not (tmp_path / "runs").exists()


ALIAS_CHAIN = (
    "["
    + ", ".join([f"&a0 [{', '.join(['ARM'] * 9)}]"] + [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 7)])
    + "]"
)


@pytest.mark.parametrize(
    "chapter, arguments, words",
    [
        ("9", ["-p", "end", "1995"], ["'start', 'end'", "start=1995", "end=1995"]),  # start comes from the notebook
        ("5", ["-p", "leave_out", '["ARM", "AZE", "GEO"]'], ["'leave_out'", "at least 4"]),
        ("1", ["-p", "leave_out", ALIAS_CHAIN], ["'leave_out'", "aliases"]),
        ("1", ["-p", "leave_out", "[" + ", ".join(["ARM"] * 1000) + "]"], ["'leave_out'", "at most"]),
    ],
)
def test_a_combination_no_chapter_can_compute_exits_2_before_any_kernel(
    chapter, arguments, words, tmp_path, monkeypatch
):
    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    result = invoke("run", chapter, *arguments, "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output
    assert len(result.output) < 2_000  # the alias chain expands to millions of items; the message stays short
    assert not (tmp_path / "runs").exists()
