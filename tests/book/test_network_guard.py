"""No process the tests start can reach the network, except loopback.

192.0.2.1 is TEST-NET-1 (RFC 5737), never routed: the guard must refuse it
before any packet leaves, with its own error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest

from analysis import paths
from compendium import network_guard

PROBE = """\
import json, socket

found = {}
try:
    socket.create_connection(("192.0.2.1", 80), timeout=3)
    found["outside"] = "connected"
except Exception as error:
    found["outside"] = f"{type(error).__name__}: {error}"
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.0.2.1", 53))
    found["outside_udp"] = "sent"
except Exception as error:
    found["outside_udp"] = type(error).__name__
server = socket.create_server(("127.0.0.1", 0))
with socket.create_connection(server.getsockname(), timeout=3):
    found["loopback"] = "connected"
print(json.dumps(found))
"""


def _assert_guarded(found: dict) -> None:
    assert found["outside"].startswith("NetworkBlockedError: network guard: connection to '192.0.2.1' refused")
    assert found["outside_udp"] == "NetworkBlockedError"
    assert found["loopback"] == "connected"


def test_the_test_session_guards_every_process_it_starts():
    assert os.environ.get(paths.NETWORK_GUARD_ENV)
    assert str(network_guard.SITE_DIR) in os.environ["PYTHONPATH"].split(os.pathsep)


@pytest.mark.slow
def test_a_kernel_cannot_connect_anywhere_but_loopback(tmp_path):
    """The kernel jupyter-cache starts for the build (nbval and papermill start theirs the same way)."""
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(PROBE)]
    result = single_nb_execution(notebook, cwd=str(tmp_path), timeout=60, allow_errors=False)
    assert result.err is None, result.exc_string
    _assert_guarded(json.loads(result.nb.cells[0].outputs[0]["text"]))


def test_a_python_subprocess_such_as_jupyter_book_cannot_either(tmp_path):
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=tmp_path, check=True)
    _assert_guarded(json.loads(done.stdout))


@pytest.mark.parametrize(
    "host, allowed",
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        ("0.0.0.0", True),
        ("192.0.2.1", False),
        ("10.0.0.1", False),
        ("::ffff:192.0.2.1", False),
        ("example.org", False),
        (b"127.0.0.1", True),
    ],
)
def test_what_counts_as_loopback(host, allowed):
    assert network_guard.is_loopback(host) is allowed
