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

from compendium import chapters
from compendium.kernels import KERNEL_NAME, IpcKernelManager

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
        kernel_manager_class=IpcKernelManager,
        timeout=TIMEOUT_SECONDS,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(notebook.parent)}},
        record_timing=False,  # timestamps would make every commit a diff
    )
    client.execute()
    nbformat.write(content, notebook)


if __name__ == "__main__":
    targets = [Path(arg) for arg in sys.argv[1:]] or chapters.notebooks()
    for target in targets:
        print(f"executing {target}", flush=True)
        execute_in_place(target)
