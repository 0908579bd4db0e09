"""The audit itself: every claim of the ledger checked, one status each, and ``results/audit.csv``.

:func:`audit_table` runs every check and gives each claim one status from
:data:`~analysis.audit.statuses.STATUSES`, the numbers it computed and a sentence
generated from those numbers; :func:`write_audit_csv` writes it, and
:func:`status_counts` counts the claims per status (``compendium audit`` does both).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.audit.claim import Claim, Verdict
from analysis.audit.inputs import Inputs
from analysis.audit.ledger import CHECKS, CLAIMS_LEDGER, read_ledger
from analysis.audit.reading_rules import Settings
from analysis.audit.statuses import EXTERNAL, NOT_CHECKABLE, STATUSES
from analysis.audit.wording import number_text
from analysis.errors import DataValidationError, ParameterError
from analysis.files import write_atomically

AUDIT_CSV = paths.RESULTS_DIR / "audit.csv"
AUDIT_COLUMNS = ["id", "section", "quote", "check_kind", "status", "computed", "explanation", "chapter"]


def _not_checkable(claim: Claim) -> Verdict:
    shown = "; ".join(f"{key}={number_text(value)}" for key, value in claim.values.items()) or "no number"
    source = f"cites {claim.cited_source}" if claim.cited_source else "cites no source"
    return Verdict(
        NOT_CHECKABLE,
        dict(claim.values),
        f"The paper's figure ({shown}; {claim.unit or 'no unit'}) {source}, and no table or other "
        "figure in the paper allows a recomputation.",
    )


def evaluate(claim: Claim, inputs: Inputs) -> Verdict:
    """Run one claim's check; the status must come from the fixed vocabulary."""
    verdict = _not_checkable(claim) if claim.check_kind == "not checkable" else CHECKS[claim.check](claim, inputs)
    if verdict.status not in STATUSES:
        raise DataValidationError(
            f"{claim.where}: check {claim.check!r} returned status {verdict.status!r}, "
            f"not one of {STATUSES}. Fix the check function."
        )
    if claim.check_kind == "external" and verdict.status != EXTERNAL:
        raise DataValidationError(f"{claim.where}: an external check must report {EXTERNAL!r}, got {verdict.status!r}.")
    return verdict


def verdicts(ledger: Path = CLAIMS_LEDGER, inputs: Inputs | None = None) -> dict[str, tuple[Claim, Verdict]]:
    """Claim id -> (claim, verdict), for every claim of the ledger."""
    inputs = inputs or Inputs()
    return {claim.id: (claim, evaluate(claim, inputs)) for claim in read_ledger(ledger)}


def verdict_of(check: str, ledger: Path = CLAIMS_LEDGER, inputs: Inputs | None = None) -> Verdict:
    """The verdict of the (first) claim that the check function ``check`` evaluates."""
    claims = [claim for claim in read_ledger(ledger) if claim.check == check]
    if not claims:
        raise ParameterError(f"check={check!r}: no claim of {ledger} uses it; known: {', '.join(sorted(CHECKS))}.")
    return evaluate(claims[0], inputs or Inputs())


def audit_table(
    ledger: Path = CLAIMS_LEDGER,
    settings: Settings | None = None,
    descriptor: Path = paths.DATAPACKAGE,
    inputs: Inputs | None = None,
) -> pd.DataFrame:
    """Every claim of the ledger with its status, computed numbers and explanation."""
    inputs = inputs or Inputs(settings, descriptor)
    rows = []
    for claim, verdict in verdicts(ledger, inputs).values():
        rows.append(
            {
                "id": claim.id,
                "section": claim.section,
                "quote": claim.quote,
                "check_kind": claim.check_kind,
                "status": verdict.status,
                "computed": verdict.computed,
                "explanation": verdict.explanation,
                "chapter": claim.chapter,
            }
        )
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS).astype("string")


def status_counts(audit: pd.DataFrame) -> pd.DataFrame:
    """Claims per status, in the vocabulary's order (zeros included)."""
    counts = audit["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    return counts.rename_axis("status").reset_index(name="claims")


def write_audit_csv(path: Path = AUDIT_CSV, frame: pd.DataFrame | None = None, **kwargs) -> Path:
    """Write the audit (``frame``, else ``audit_table(**kwargs)``) to ``results/audit.csv`` atomically."""
    frame = audit_table(**kwargs) if frame is None else frame
    if list(frame.columns) != AUDIT_COLUMNS:
        raise ParameterError(f"frame: columns {list(frame.columns)}; expected {AUDIT_COLUMNS} (from audit_table).")
    path = Path(path)
    write_atomically({path: frame.to_csv(index=False, lineterminator="\n")})
    return path
