"""The data-aware build cache: re-execute exactly the notebooks whose inputs changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from analysis import package_check, paths
from analysis.data.paper import TABLE1, TABLE2
from compendium import build

pytestmark = pytest.mark.slow


def test_module_closure_leaves_out_what_runs_only_as_a_script(tmp_path):
    package = tmp_path / "analysis"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text('import analysis.b\n\nif __name__ == "__main__":\n    from analysis import c\n')
    (package / "b.py").write_text("")
    (package / "c.py").write_text("")
    assert [f.name for f in build.module_closure("import analysis.a", package)] == ["__init__.py", "a.py", "b.py"]


def test_module_closure_follows_imports_transitively(tmp_path):
    package = tmp_path / "analysis"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from analysis import b\n")
    (package / "b.py").write_text("def f():\n    import analysis.c\n")
    (package / "c.py").write_text("import numpy\n")
    (package / "unused.py").write_text("")
    files = build.module_closure("from analysis.a import something\nimport pandas", package)
    assert [f.name for f in files] == ["__init__.py", "a.py", "b.py", "c.py"]
    assert build.module_closure("import numpy", package) == []


def _notebook(path: Path, code: str) -> Path:
    content = nbformat.v4.new_notebook()
    content.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    content.cells = [nbformat.v4.new_code_cell(code)]
    nbformat.write(content, path)
    return path


@pytest.fixture()
def project(tmp_path):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    descriptor = tmp_path / "data" / "datapackage.json"
    reads = "from analysis.data.datapackage import read_resource\nprint(len(read_resource({name!r}, {path!r})))"
    writes = (
        "from pathlib import Path\nfrom analysis.files import write_atomically\n"
        f"write_atomically({{Path({str(tmp_path / 'results' / 'out.txt')!r}): 'result'}})"
    )
    notebooks = [
        _notebook(tmp_path / "reads_table1.ipynb", reads.format(name=TABLE1, path=str(descriptor))),
        _notebook(tmp_path / "reads_table2.ipynb", reads.format(name=TABLE2, path=str(descriptor))),
        _notebook(tmp_path / "writes_results.ipynb", writes),
    ]
    return {
        "notebooks": notebooks,
        "descriptor": descriptor,
        "output": tmp_path / "results" / "out.txt",
        "cache": tmp_path / "cache",
        "state": tmp_path / "cache" / "fingerprints.json",
    }


def _refresh(project):
    executed = build.refresh_cache(project["notebooks"], project["cache"], project["state"], workers=2)
    return sorted(path.name for path in executed)


def test_only_the_notebooks_whose_inputs_changed_run_again(project):
    assert _refresh(project) == ["reads_table1.ipynb", "reads_table2.ipynb", "writes_results.ipynb"]
    # Nothing changed: nothing runs.
    assert _refresh(project) == []
    # A touch that leaves the content alone does not alter the fingerprint.
    table2 = project["descriptor"].parent / "paper" / f"{TABLE2}.csv"
    table2.touch()
    assert _refresh(project) == []
    # A real edit of Table 2 (and its recorded hash) re-runs only its reader, and marks only its
    # source newer, so that Sphinx renders that page again although its source did not change.
    table2.write_text(table2.read_text().replace("Armenia,800,900", "Armenia,810,900"))
    package_check.rehash(project["descriptor"])
    before = {notebook.name: notebook.stat().st_mtime_ns for notebook in project["notebooks"]}
    assert _refresh(project) == ["reads_table2.ipynb"]
    after = {notebook.name: notebook.stat().st_mtime_ns for notebook in project["notebooks"]}
    assert [name for name in before if after[name] != before[name]] == ["reads_table2.ipynb"]
    assert after["reads_table2.ipynb"] > before["reads_table2.ipynb"]
    # A code edit re-runs only that notebook.
    first = project["notebooks"][0]
    content = nbformat.read(first, as_version=4)
    content.cells[0].source += "\nprint('edited')"
    nbformat.write(content, first)
    assert _refresh(project) == ["reads_table1.ipynb"]
    # A deleted result file re-runs the notebook that wrote it, and only that one.
    project["output"].unlink()
    assert _refresh(project) == ["writes_results.ipynb"]
    assert project["output"].read_text() == "result"


def test_a_failing_notebook_fails_and_leaves_no_stale_result(project):
    from jupyter_cache import get_cache

    assert _refresh(project)
    target = project["notebooks"][1]
    # Same code, broken data: the old cached outputs must not survive.
    table2 = project["descriptor"].parent / "paper" / f"{TABLE2}.csv"
    table2.write_text(table2.read_text().replace("Armenia,800,900", "Armenia,eight hundred,900"))
    with pytest.raises(build.NotebookExecutionError, match="reads_table2.ipynb") as error:
        _refresh(project)
    assert "eight hundred" in str(error.value)
    with pytest.raises(KeyError):
        get_cache(str(project["cache"])).match_cache_notebook(nbformat.read(target, as_version=4))
    # The untouched notebook keeps its cached result.
    get_cache(str(project["cache"])).match_cache_notebook(nbformat.read(project["notebooks"][0], as_version=4))


def _executed_notebook(project, notebook: Path) -> Path:
    from jupyter_cache import get_cache

    cache = get_cache(str(project["cache"]))
    record = cache.match_cache_notebook(nbformat.read(notebook, as_version=4))
    return cache._get_notebook_path_cache(record.hashkey)


def _other_code(text: str) -> str:
    content = nbformat.reads(text, as_version=4)
    content.cells[0].source = "print('not the code that was executed')"
    return nbformat.writes(content)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda text: text[: len(text) // 2],  # truncated
        lambda text: '{"cells": 3, "metadata": {}}',  # JSON, but no notebook
        _other_code,  # a valid notebook that no longer hashes to its record's key
    ],
    ids=["truncated", "not-nbformat", "hash-mismatch"],
)
def test_a_corrupted_cache_record_is_dropped_and_executed_again(project, capsys, corrupt):
    from jupyter_cache import get_cache

    assert _refresh(project)
    target = project["notebooks"][0]
    executed = _executed_notebook(project, target)
    executed.write_text(corrupt(executed.read_text(encoding="utf-8")), encoding="utf-8")
    capsys.readouterr()
    assert _refresh(project) == [target.name]
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1 and "dropped 1 unusable" in message and target.name in message
    # The new record is a readable notebook holding the notebook's own code.
    cache = get_cache(str(project["cache"]))
    bundle = cache.get_cache_bundle(cache.match_cache_notebook(nbformat.read(target, as_version=4)).pk)
    nbformat.validate(bundle.nb)
    assert bundle.nb.cells[0].source == nbformat.read(target, as_version=4).cells[0].source
    assert _refresh(project) == []


def test_an_unreadable_cache_database_is_moved_aside_and_a_new_cache_started(project, tmp_path, capsys):
    assert _refresh(project)
    result = project["output"].read_bytes()
    database = project["cache"] / "global.db"
    truncated = database.read_bytes()[:100]
    database.write_bytes(truncated)
    capsys.readouterr()
    assert _refresh(project) == sorted(path.name for path in project["notebooks"])
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1 and "cannot be read" in message and "moved the cache" in message
    [aside] = tmp_path.glob("cache-unreadable-*")
    assert (aside / "global.db").read_bytes() == truncated  # kept for inspection, not deleted
    assert project["output"].read_bytes() == result
    assert _refresh(project) == []


def test_the_benchmark_reads_each_notebooks_execution_time_from_the_cache(project, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", paths.ROOT / "benchmarks" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    _refresh(project)
    seconds = bench.execution_seconds(project["cache"])
    assert sorted(seconds) == sorted(path.name for path in project["notebooks"])
    assert all(0 < value < 120 for value in seconds.values())  # each one started a kernel and ran a cell
    bench.print_execution_times("toy", seconds)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "toy: execution time of each notebook (s)"
    assert [line.split()[-1] for line in printed[1:]] == sorted(seconds, key=lambda name: -seconds[name])
