"""What every check works with: one claim of the ledger in, one verdict out.

A check is a function ``check(claim, inputs) -> Verdict``, named by the ledger's
``check`` column. Each module of checks collects its own in a :class:`CheckRegistry`;
:data:`analysis.audit.ledger.CHECKS` joins them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.audit.wording import number_text
from analysis.errors import DataValidationError


@dataclass(frozen=True)
class Claim:
    """One row of the claims ledger."""

    id: str
    section: str
    quote: str
    paper_line: int
    values: dict[str, float]
    unit: str
    reference_year: str
    cited_source: str
    check_kind: str
    chapter: str
    check: str
    where: str = ""  # "file, CSV line n (claim id)", for error messages

    def value(self, key: str) -> float:
        if key not in self.values:
            raise DataValidationError(
                f"{self.where}, column 'values': check {self.check!r} needs {key!r} but found "
                f"{sorted(self.values) or 'no values'}. Add '{key}=<number as printed>' to the row."
            )
        return self.values[key]

    def year(self) -> int:
        try:
            return int(self.reference_year)
        except ValueError:
            raise DataValidationError(
                f"{self.where}, column 'reference_year': found {self.reference_year!r}; check "
                f"{self.check!r} needs a single year such as 2006. Fix the ledger row."
            ) from None


@dataclass(frozen=True)
class Verdict:
    """A check's outcome: a status, the numbers behind it, and a sentence built from them."""

    status: str
    numbers: dict[str, float]
    explanation: str

    @property
    def computed(self) -> str:
        return "; ".join(f"{key}={number_text(value)}" for key, value in self.numbers.items())


class CheckRegistry(dict):
    """Check name -> check function, for one module of checks; ``@registry.add`` registers a function."""

    def add(self, function: Callable) -> Callable:
        self[function.__name__] = function
        return function
