"""The kernels the project starts talk to it over Unix sockets (IPC), never over TCP.

Over TCP a kernel listens on loopback ports that any process of any user on the machine can
connect to, and its traffic (code and outputs) is not encrypted; ipykernel warns so at every
start ("Kernel is running over TCP without encryption"). Over IPC its sockets are files in a
folder of its own, created with mode 0700, so only this user can reach it. The folder also
holds the connection file, and goes when the kernel is shut down.

Every execution the project starts uses this: papermill's runs (through the engine below),
the build's executor and ``compendium.notebooks``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from papermill.engines import NBClientEngine, papermill_engines
from traitlets import default

KERNEL_NAME = "python3"
PAPERMILL_ENGINE = "compendium-ipc"

# Told after each cell: (cells done, cells in total), papermill's injected parameters cell included.
CellProgress = Callable[[int, int], None]


class IpcKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel listens on IPC sockets in a folder of its own (mode 0700).

    Given as ``kernel_manager_class`` to nbclient (and through it to papermill and jupyter-cache),
    so that the client owns the manager and shuts the kernel down when it is done; the folder,
    with the connection file and the sockets, goes with it.
    """

    _private_folder: str | None = None

    @default("transport")
    def _ipc_transport(self) -> str:
        return "ipc"

    @default("connection_file")
    def _private_connection_file(self) -> str:
        # The sockets are named after the connection file, beside it; a short path, as a Unix socket's
        # path may have at most 107 bytes.
        self._private_folder = tempfile.mkdtemp(prefix="kernel-")
        return str(Path(self._private_folder) / "connection.json")

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self._private_folder:
            shutil.rmtree(self._private_folder, ignore_errors=True)


@contextmanager
def quiet_papermill() -> Iterator[None]:
    """papermill's log at ERROR only: its warnings repeat what the project reports itself."""
    logger = logging.getLogger("papermill")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class IpcEngine(NBClientEngine):
    """papermill's nbclient engine, with its kernel on IPC and, on request, a report after each cell."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, on_cell_done: CellProgress | None = None, **kwargs):
        if on_cell_done is not None:
            complete = nb_man.cell_complete

            def cell_complete(cell, cell_index=None, **details):
                complete(cell, cell_index=cell_index, **details)
                on_cell_done(cell_index + 1, len(nb_man.nb.cells))

            nb_man.cell_complete = cell_complete
        return super().execute_managed_notebook(nb_man, kernel_name, kernel_manager_class=IpcKernelManager, **kwargs)


papermill_engines.register(PAPERMILL_ENGINE, IpcEngine)
