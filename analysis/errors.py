"""The compendium's exceptions.

Every message names the file, row and column (or the parameter), what was
found, what was expected, and how to fix it.
"""


class CompendiumError(Exception):
    """Base class of every error the compendium raises on purpose."""


class DataValidationError(CompendiumError, ValueError):
    """A data file exists but breaks its declared schema or checksum."""


class DataUnavailableError(CompendiumError, FileNotFoundError):
    """A data file is missing and cannot be fetched."""


class ParameterError(CompendiumError, ValueError):
    """A caller or reader passed a parameter outside its allowed values."""
