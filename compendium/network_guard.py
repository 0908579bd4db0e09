"""Keep a Python process, and every Python process it starts, off the network except loopback.

pytest-socket guards only the pytest process. The kernels that nbval,
papermill and jupyter-cache start, and the jupyter-book subprocess, are other
processes. The test session (``conftest.py``) therefore calls
:func:`guard_child_processes`: it sets ``CIS_COMPENDIUM_NETWORK_GUARD`` and
puts ``compendium/network_guard_site`` on ``PYTHONPATH``, whose
``sitecustomize.py`` Python runs at the start of every child process; with
the variable set it calls :func:`install` there.

:func:`install` replaces the socket methods that reach another host
(``connect``, ``connect_ex``, ``sendto``): an address other than loopback, or
a host name other than ``localhost``, raises :class:`NetworkBlockedError`
before any packet leaves. The kernels' own ZeroMQ sockets are C sockets on
127.0.0.1 and are not affected.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

from analysis import paths
from analysis.errors import CompendiumError

SITE_DIR = Path(__file__).resolve().parent / "network_guard_site"
_INTERNET_FAMILIES = (socket.AF_INET, socket.AF_INET6)


class NetworkBlockedError(CompendiumError, ConnectionRefusedError):
    """A guarded process tried to reach an address other than loopback."""


def is_loopback(host) -> bool:
    """True for 127.0.0.0/8, ::1 (also IPv4-mapped), the unspecified address (this host) and 'localhost'."""
    if isinstance(host, bytes):
        host = host.decode("ascii", errors="replace")
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])  # drop an IPv6 zone such as %eth0
    except ValueError:
        return False  # any other name could resolve anywhere
    address = getattr(address, "ipv4_mapped", None) or address
    return address.is_loopback or address.is_unspecified


def _refuse(sock: socket.socket, address) -> None:
    if sock.family in _INTERNET_FAMILIES and not is_loopback(address[0]):
        raise NetworkBlockedError(
            f"network guard: connection to {address[0]!r} refused; only loopback is allowed while "
            f"{paths.NETWORK_GUARD_ENV} is set (the test suite sets it for every process it starts)."
        )


def install() -> None:
    """Refuse every connection from this process to an address other than loopback."""
    if getattr(socket.socket, "_compendium_guarded", False):
        return
    connect, connect_ex, sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto

    def guarded_connect(self, address):
        _refuse(self, address)
        return connect(self, address)

    def guarded_connect_ex(self, address):
        _refuse(self, address)
        return connect_ex(self, address)

    def guarded_sendto(self, data, *flags_and_address):
        _refuse(self, flags_and_address[-1])
        return sendto(self, data, *flags_and_address)

    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = (
        guarded_connect,
        guarded_connect_ex,
        guarded_sendto,
    )
    socket.socket._compendium_guarded = True


def install_if_enabled() -> None:
    if paths.network_guard_enabled():
        install()


def guard_child_processes(environ=os.environ) -> None:
    """Make every Python process started from now on install the guard (this one is left alone)."""
    environ[paths.NETWORK_GUARD_ENV] = "loopback"
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SITE_DIR), environ.get("PYTHONPATH")]))
