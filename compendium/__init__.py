"""The book and run machinery: chapter registry, build, results index, runs and sweeps, CLI, pages, PDF, release.

It imports :mod:`analysis`; :mod:`analysis` never imports it."""
