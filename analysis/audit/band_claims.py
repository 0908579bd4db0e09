"""The ledger's two band claims on Table 2, "70-90%" and "about half", with the shares behind them.

Chapters and the audit appendix show these beside the verdicts: the intervals country by
country (:func:`table2_statements`) and the verdict under each reading of Table 2's
ranges (:func:`table2_readings`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.audit import reading_rules as rules
from analysis.audit.inputs import Inputs
from analysis.audit.ledger import CLAIMS_LEDGER, read_ledger
from analysis.audit.reading_rules import Settings
from analysis.audit.table2 import POSITION_WORDS, band_status, other_reading, table2_bands, table2_russia_shares


def table2_statements(
    ledger: Path = CLAIMS_LEDGER, settings: Settings | None = None, inputs: Inputs | None = None
) -> pd.DataFrame:
    """The intervals behind the '70-90%' and 'about half' statements, with the bands the ledger gives."""
    inputs = inputs or Inputs(settings)
    claims = {claim.check: claim for claim in read_ledger(ledger)}
    return table2_russia_shares(
        table2_bands(claims["central_asia_caucasus_share"], claims["moldova_ukraine_half"], inputs.settings), inputs
    )


def table2_readings(
    ledger: Path = CLAIMS_LEDGER, settings: Settings | None = None, inputs: Inputs | None = None
) -> pd.DataFrame:
    """For the '70-90%' and then the 'about half' claim: countries per position and the status, under each reading."""
    inputs = inputs or Inputs(settings)
    in_force = inputs.settings.range_reading
    claims = {claim.check: claim for claim in read_ledger(ledger)}
    rows = []
    for seventy_ninety, half in ((claims["central_asia_caucasus_share"], None), (None, claims["moldova_ukraine_half"])):
        claim = seventy_ninety or half
        frame = table2_russia_shares(table2_bands(seventy_ninety, half, inputs.settings), inputs)
        for reading in (in_force, other_reading(in_force)):
            decides = frame[f"{reading}_decides"]
            rows.append(
                {
                    "claim": claim.id,
                    "statement": claim.quote,
                    "reading": reading + (" (in force)" if reading == in_force else ""),
                    "decided by": "the point" if reading == rules.MATCHED else "the interval",
                    **{word: int((decides == position).sum()) for position, word in POSITION_WORDS.items()},
                    "status": band_status(frame, reading),
                }
            )
    return pd.DataFrame(rows)
