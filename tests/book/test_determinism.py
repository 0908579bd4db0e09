"""Executing every notebook twice from a clean state gives identical outputs.

Outputs are compared after the same sanitiser nbval uses (memory addresses,
dates, times), PNG bytes included; the results files each run writes are
compared byte for byte.
"""

from __future__ import annotations

import configparser
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from analysis import paths
from compendium import chapters
from compendium.kernels import IpcKernelManager

pytestmark = pytest.mark.slow


def _sanitisers() -> list[tuple[re.Pattern, str]]:
    config = configparser.ConfigParser()
    config.read(paths.ROOT / "tests" / "nbval_sanitize.cfg")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def _outputs(content: nbformat.NotebookNode) -> list:
    rules = _sanitisers()
    cleaned = []
    for cell in content.cells:
        for output in cell.get("outputs", []):
            for kind, value in sorted((output.get("data") or {"text": output.get("text", "")}).items()):
                value = value if isinstance(value, str) else "".join(value) if isinstance(value, list) else str(value)
                for pattern, replacement in rules:
                    value = pattern.sub(replacement, value)
                cleaned.append((cell.get("id"), kind, value))
    return cleaned


def _run(job: tuple[str, str]) -> tuple[str, list, dict[str, bytes]]:
    from jupyter_cache.executors.utils import single_nb_execution

    notebook, results = job
    os.environ[paths.RESULTS_ENV] = results
    content = nbformat.read(notebook, as_version=4)
    outcome = single_nb_execution(
        content, cwd=str(Path(notebook).parent), timeout=600, allow_errors=False, kernel_manager_class=IpcKernelManager
    )
    assert outcome.err is None, outcome.exc_string
    files = {str(p.relative_to(results)): p.read_bytes() for p in sorted(Path(results).rglob("*")) if p.is_file()}
    return notebook, _outputs(outcome.nb), files


def test_two_clean_executions_agree(tmp_path):
    notebooks = [str(p) for p in chapters.notebooks()]
    jobs = [(nb, str(tmp_path / f"run{round_}" / Path(nb).stem)) for round_ in (1, 2) for nb in notebooks]
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        outcomes = list(pool.map(_run, jobs))
    first, second = outcomes[: len(notebooks)], outcomes[len(notebooks) :]
    for (name, outputs_a, files_a), (_, outputs_b, files_b) in zip(first, second):
        assert outputs_a == outputs_b, f"{name}: outputs differ between two executions"
        assert files_a.keys() == files_b.keys(), f"{name}: different results files"
        for file in files_a:
            assert files_a[file] == files_b[file], f"{name}: results file {file} differs between executions"
