"""The audit's verdicts as the chapters state them.

A chapter never types a verdict on one of the paper's claims. It glues the
status that :mod:`analysis.audit` gives the claim, and where it helps the
audit's own sentence, so that the chapters cannot drift from the audit when a
check or a reading rule changes. The glue keys follow one pattern,
``<prefix>-status-<claim id>``, by which tests/book/test_chapter_verdicts.py finds
them in the committed pages and compares them with the audit.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis import audit
from analysis.errors import ParameterError

# Characters that MyST would read as markup (emphasis, math, code, links, HTML) in a glued sentence.
_MARKUP = re.compile(r"([\\$*_`\[\]<>])")


def status_key(prefix: str, claim_id: str) -> str:
    """The glue key of a claim's status on the page whose keys start with ``prefix``."""
    return f"{prefix}-{_status_name(claim_id)}"


def _status_name(claim_id: str) -> str:
    return f"status-{claim_id.lower()}"


def _explanation_name(claim_id: str) -> str:
    return f"explanation-{claim_id.lower()}"


def verdicts(
    claim_ids, inputs: audit.Inputs | None = None, ledger: Path = audit.CLAIMS_LEDGER
) -> dict[str, audit.Verdict]:
    """The audit's verdict on each claim of ``claim_ids``, in that order; only those claims are checked."""
    if isinstance(claim_ids, str):
        raise ParameterError(
            f"claim_ids must be a list of claim ids, got the string {claim_ids!r}; write [{claim_ids!r}]."
        )
    claims = {claim.id: claim for claim in audit.read_ledger(ledger)}
    unknown = [claim_id for claim_id in claim_ids if claim_id not in claims]
    if unknown:
        raise ParameterError(
            f"claim ids {unknown} are not in {ledger}; use ids of its 'id' column ({min(claims)} to {max(claims)})."
        )
    inputs = inputs or audit.Inputs()
    return {claim_id: audit.evaluate(claims[claim_id], inputs) for claim_id in claim_ids}


def glue_texts(
    claim_ids, explained=(), inputs: audit.Inputs | None = None, ledger: Path = audit.CLAIMS_LEDGER
) -> dict[str, str]:
    """Markdown to glue: each claim's status in italics, and the audit's sentence on the claims in ``explained``.

    Keyed ``status-<claim id>`` and ``explanation-<claim id>``, for ``compendium.page.glue_markdown(prefix, ...)``,
    which glues them under ``status_key(prefix, claim_id)`` and its explanation counterpart.
    """
    unexplained = [claim_id for claim_id in explained if claim_id not in claim_ids]
    if unexplained:
        raise ParameterError(f"explained: {unexplained} are not among claim_ids {list(claim_ids)}; add them there.")
    texts = {}
    for claim_id, verdict in verdicts(claim_ids, inputs, ledger).items():
        texts[_status_name(claim_id)] = f"*{verdict.status}*"
        if claim_id in explained:
            texts[_explanation_name(claim_id)] = _MARKUP.sub(r"\\\1", verdict.explanation)
    return texts
