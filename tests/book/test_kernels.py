"""The kernels the project starts listen on IPC sockets in a private folder, never on TCP."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from compendium import kernels
from helpers.kernel_log import TCP_WARNING


def _execute(folder: Path, **client_options) -> None:
    """One cell, run in ``folder`` by a kernel that the client starts and shuts down itself."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    client = NotebookClient(
        notebook, kernel_name=kernels.KERNEL_NAME, resources={"metadata": {"path": str(folder)}}, **client_options
    )
    client.execute()
    assert notebook.cells[0].outputs[0]["text"] == "42\n"


def test_a_tcp_kernel_prints_the_warning_this_suite_looks_for(tmp_path, capfd):
    """The check below can fail: the same execution with nbclient's own kernel manager shows the warning."""
    _execute(tmp_path)
    assert TCP_WARNING in capfd.readouterr().err


def test_an_ipc_kernel_warns_of_nothing_and_leaves_nothing_behind(tmp_path, capfd):
    managers = []

    class Recorded(kernels.IpcKernelManager):
        def __init__(self, **options):
            super().__init__(**options)
            managers.append(self)

    _execute(tmp_path, kernel_manager_class=Recorded)
    [manager] = managers
    assert manager.transport == "ipc"
    assert TCP_WARNING not in capfd.readouterr().err
    assert not Path(manager.connection_file).parent.exists()  # sockets and connection file are gone
    assert list(tmp_path.iterdir()) == []  # and none was made in the kernel's working folder


def test_the_sockets_folder_is_this_users_only():
    manager = kernels.IpcKernelManager(kernel_name=kernels.KERNEL_NAME)
    folder = Path(manager.connection_file).parent
    try:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert Path(manager.ip).parent == folder  # the sockets are made beside the connection file
    finally:
        shutil.rmtree(folder)
