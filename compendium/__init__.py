"""The book and run machinery: build, results index, runs and sweeps, the CLI, pages, PDF.

It imports :mod:`analysis`; :mod:`analysis` never imports it."""
