"""Execute notebooks in place, so that their committed outputs are current.

nbval compares a fresh execution with the outputs stored in each notebook;
authors refresh those outputs with ``make notebooks`` (or
``python -m compendium.notebooks PATH ...``) before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


TIMEOUT_SECONDS = 600


def execute_in_place(notebook: Path) -> None:
    """Run every cell of ``notebook`` in its own folder and write the outputs back.

    Nothing is written if a cell fails, so a good notebook is never replaced by
    a broken one.
    """
    notebook = Path(notebook).resolve()
    content = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        content,
        timeout=TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
        record_timing=False,  # timestamps would make every commit a diff
    )
    client.execute()
    nbformat.write(content, notebook)


if __name__ == "__main__":
    from compendium.build import toc_notebooks

    targets = [Path(arg) for arg in sys.argv[1:]] or toc_notebooks()
    for target in targets:
        print(f"executing {target}", flush=True)
        execute_in_place(target)
