"""The data-aware build cache: re-execute exactly the notebooks whose inputs changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from analysis import paths
from analysis.data import datapackage
from compendium import build
from analysis.data.paper import TABLE1, TABLE2

pytestmark = pytest.mark.slow


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
    writes = ("from pathlib import Path\nfrom analysis.files import write_atomically\n"
              f"write_atomically({{Path({str(tmp_path / 'results' / 'out.txt')!r}): 'result'}})")
    notebooks = [
        _notebook(tmp_path / "reads_table1.ipynb", reads.format(name=TABLE1, path=str(descriptor))),
        _notebook(tmp_path / "reads_table2.ipynb", reads.format(name=TABLE2, path=str(descriptor))),
        _notebook(tmp_path / "writes_results.ipynb", writes),
    ]
    return {"notebooks": notebooks, "descriptor": descriptor, "output": tmp_path / "results" / "out.txt",
            "cache": tmp_path / "cache", "state": tmp_path / "cache" / "fingerprints.json"}


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
    datapackage.rehash(project["descriptor"])
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
