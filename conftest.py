"""Set-up for the whole test session: the package tests (tests/) and the notebooks nbval checks (book/, chapters/)."""

from compendium import network_guard


def pytest_configure(config):
    # pytest-socket guards this process only; the kernels and subprocesses the tests start are guarded from here on.
    network_guard.guard_child_processes()
