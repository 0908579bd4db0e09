"""Measure how fast the book rebuilds, against a floor measured in the same run.

Run with `make bench`. Not a test: it prints a table and writes JSON to
benchmarks/results/. The floor is a book of as many trivial notebooks as the
real one, each starting a kernel and importing the same libraries, built by
the same mechanism. Every edit made here is undone before the script ends.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from analysis import package_check, paths
from compendium import build
from compendium.chapters import notebooks as toc_notebooks

RESULTS = paths.ROOT / "benchmarks" / "results"
FLOOR_IMPORTS = (
    "import numpy, pandas, scipy, statsmodels.api, matplotlib.pyplot, seaborn\n"
    "import analysis, analysis.data.paper\n"
    "print('ok')"
)
# The goals of issue 15, checked and reported by every run.
GOAL_COLD_OVER_FLOOR = 1.25
GOAL_SLOWEST_NOTEBOOK_S = 4.0
EDITED_CHAPTER = paths.CHAPTERS_DIR / "01-trends.ipynb"
EDITED_DATA = paths.PAPER_DATA_DIR / "table2_migrant_workers.csv"
EDITED_MODULE = paths.PACKAGE_DIR / "chapters" / "trends.py"


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run(command: list[str], **kwargs) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)


def project_build() -> None:
    run([sys.executable, "-m", "compendium.build"], cwd=paths.ROOT)


@contextmanager
def edited(*files: Path):
    """Restore the files' bytes afterwards, whatever happens."""
    originals = {file: file.read_bytes() for file in files}
    try:
        yield
    finally:
        for file, content in originals.items():
            file.write_bytes(content)


def edit_notebook_code(notebook: Path) -> None:
    content = nbformat.read(notebook, as_version=4)
    last_code = [cell for cell in content.cells if cell.cell_type == "code"][-1]
    last_code.source += "\n# benchmark edit"
    nbformat.write(content, notebook)


def edit_data_file() -> None:
    text = EDITED_DATA.read_text(encoding="utf-8")
    EDITED_DATA.write_text(text.replace("Armenia,800,900", "Armenia,801,900", 1), encoding="utf-8")
    package_check.rehash()


def execution_seconds(cache_dir: Path) -> dict[str, float]:
    """Notebook name -> seconds its last execution took, as the build recorded it in the jupyter-cache."""
    from jupyter_cache import get_cache

    records = get_cache(str(cache_dir)).list_cache_records()
    return {Path(record.uri).name: round(record.data["execution_seconds"], 2) for record in records}


def print_execution_times(title: str, seconds: dict[str, float]) -> None:
    print(f"{title}: execution time of each notebook (s)")
    for name, value in sorted(seconds.items(), key=lambda item: -item[1]):
        print(f"  {value:6.2f}  {name}")


def floor_build(count: int) -> tuple[float, dict[str, float]]:
    """Cold build of `count` trivial notebooks through the same cache and Jupyter Book."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "_config.yml").write_text(
            "title: floor\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: cache\n"
            "sphinx:\n  config:\n    nb_execution_raise_on_error: true\n"
        )
        (root / "index.md").write_text("# Floor\n")
        chapters = []
        for number in range(count):
            notebook = nbformat.v4.new_notebook()
            notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            notebook.cells = [
                nbformat.v4.new_markdown_cell(f"# Page {number}"),
                nbformat.v4.new_code_cell(FLOOR_IMPORTS + f"  # {number}"),
            ]
            nbformat.write(notebook, root / f"page{number}.ipynb")
            chapters.append(f"  - file: page{number}")
        (root / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n" + "\n".join(chapters) + "\n")
        jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))

        cache = root / "_build" / ".jupyter_cache"

        def cold() -> None:
            build.refresh_cache(sorted(root.glob("page*.ipynb")), cache, cache / "fingerprints.json")
            run([jupyter_book, "build", str(root), "--warningiserror", "--keep-going"])

        return timed(cold), execution_seconds(cache)


def import_time() -> float:
    code = "import analysis, analysis.data.paper, analysis.models.regression, analysis.figures"
    bare = timed(lambda: run([sys.executable, "-c", "pass"]))
    return timed(lambda: run([sys.executable, "-c", code])) - bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-tests", action="store_true", help="do not time the full test suite")
    options = parser.parse_args()

    from bench_multiverse import best_of  # same timing rule as the curve benchmark

    from analysis.models import catalogue, multiverse

    notebooks = toc_notebooks()
    figures: dict[str, float] = {}
    figures["floor_cold_build_s"], floor_notebooks = floor_build(len(notebooks))
    print_execution_times("floor", floor_notebooks)
    # First with no cache at all, as on a fresh clone; then the usual cold build, which keeps the
    # parsed pinned files (.cache/columnar, keyed by sha256) as it keeps the downloaded ones.
    shutil.rmtree(paths.BUILD_DIR, ignore_errors=True)
    shutil.rmtree(paths.COLUMNAR_CACHE_DIR, ignore_errors=True)
    figures["cold_build_no_columnar_cache_s"] = timed(project_build)
    first_notebooks = execution_seconds(paths.JUPYTER_CACHE_DIR)
    print_execution_times("cold build, empty columnar cache", first_notebooks)
    shutil.rmtree(paths.BUILD_DIR, ignore_errors=True)
    figures["cold_build_s"] = timed(project_build)
    cold_notebooks = execution_seconds(paths.JUPYTER_CACHE_DIR)
    print_execution_times("cold build", cold_notebooks)
    figures["warm_build_s"] = timed(project_build)
    with edited(EDITED_CHAPTER):
        edit_notebook_code(EDITED_CHAPTER)
        figures["one_chapter_code_edit_s"] = timed(project_build)
    with edited(EDITED_DATA, paths.DATAPACKAGE):
        edit_data_file()
        figures["data_file_edit_s"] = timed(project_build)
    with edited(EDITED_MODULE):
        EDITED_MODULE.write_text(EDITED_MODULE.read_text(encoding="utf-8") + "\n# benchmark edit\n", encoding="utf-8")
        figures["analysis_module_edit_s"] = timed(project_build)
    project_build()  # leave the cache matching the restored files
    compendium = Path(sys.executable).with_name("compendium")
    with tempfile.TemporaryDirectory() as runs:
        figures["compendium_run_one_chapter_s"] = timed(
            lambda: run([str(compendium), "run", "1", "--runs-dir", runs], cwd=paths.ROOT)
        )
    frame = catalogue.remittance_variables()
    figures["specification_curve_in_process_s"] = best_of(lambda: multiverse.specification_curve(frame))
    figures["import_analysis_s"] = import_time()
    test_summary = None
    if not options.skip_tests:
        start = time.perf_counter()
        suite = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
        )
        figures["test_suite_s"] = time.perf_counter() - start
        # A failing suite is reported, not hidden: its time is then not comparable.
        test_summary = (suite.stdout.strip().splitlines() or ["no output"])[-1]

    floor = figures["floor_cold_build_s"]
    slowest = max(cold_notebooks, key=cold_notebooks.get)
    goals = {
        f"cold build <= {GOAL_COLD_OVER_FLOOR} x floor": figures["cold_build_s"] <= GOAL_COLD_OVER_FLOOR * floor,
        f"no notebook executes for more than {GOAL_SLOWEST_NOTEBOOK_S} s": cold_notebooks[slowest]
        <= GOAL_SLOWEST_NOTEBOOK_S,
    }
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "notebooks": len(notebooks),
        "seconds": {key: round(value, 3) for key, value in figures.items()},
        "ratio_to_floor": {
            key: round(value / floor, 3)
            for key, value in figures.items()
            if key.endswith("build_s") or key.endswith("edit_s")
        },
        "warm_over_cold": round(figures["warm_build_s"] / figures["cold_build_s"], 3),
        "notebook_execution_s": {
            "cold_build": dict(sorted(cold_notebooks.items(), key=lambda item: -item[1])),
            "cold_build_no_columnar_cache": dict(sorted(first_notebooks.items(), key=lambda item: -item[1])),
            "floor_median": sorted(floor_notebooks.values())[len(floor_notebooks) // 2],
        },
        "goals_met": goals,
        "test_suite_summary": test_summary,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2)
    (RESULTS / "latest.json").write_text(text + "\n", encoding="utf-8")
    print(text)
    for goal, met in goals.items():
        print(
            f"goal {'met' if met else 'MISSED'}: {goal}"
            + (
                ""
                if met
                else f" (cold build {figures['cold_build_s'] / floor:.2f} x floor; "
                f"slowest notebook {slowest} {cold_notebooks[slowest]:.2f} s)"
            )
        )


if __name__ == "__main__":
    main()
