"""The audit: every quantitative claim of the paper, checked by code.

``data/paper/claims.csv`` lists every quantitative statement of the paper's running text
and footnotes (and the printed share columns of Table 3), with a verbatim quote, the paper
line, the stated values and the name of the check function that evaluates it. The audit
runs every check and gives each claim one status of a fixed vocabulary, the numbers it
computed and a sentence generated from those numbers. Every reading of a hedged or ranged
number follows a rule declared once, with its reason.

The modules, from the rules to the page:

- :mod:`~analysis.audit.reading_rules`: how a hedged or ranged number is read, and
  :class:`Settings`, the rules' parameters (the chapters take their thresholds from here);
- :mod:`~analysis.audit.statuses`: the status vocabulary and its colours;
- :mod:`~analysis.audit.claim`: a claim of the ledger, a check's verdict on it;
- :mod:`~analysis.audit.inputs`: what the checks read (the paper's tables, the pinned public files);
- :mod:`~analysis.audit.table2`, :mod:`~analysis.audit.table3`: Table 2's shares in Russia against
  the text's bands, and Table 3's shares of GDP cell by cell;
- ``checks_*``: the checks, grouped by what they test (the paper's own arithmetic, the counts of
  migrants, Table 3, external data, memberships);
- :mod:`~analysis.audit.ledger`: the ledger, validated row by row, and the registry of checks;
- :mod:`~analysis.audit.band_claims`: the '70-90%' and 'about half' claims under each reading;
- :mod:`~analysis.audit.report`: the audit of every claim and ``results/audit.csv``;
- :mod:`~analysis.audit.display`, :mod:`~analysis.audit.appendix`: the audit appendix's tables,
  numbers and paragraphs;
- :mod:`~analysis.audit.claim_verdicts`: the verdicts as the chapters glue them;
- :mod:`~analysis.audit.hedged_numbers`, :mod:`~analysis.audit.text_quantities`: the paper's hedged
  figures as intervals, and the walk that finds every quantity of its text.

The names below are the ones the chapters, the book and the ``compendium audit`` command use.
"""

from analysis.audit.band_claims import table2_readings, table2_statements
from analysis.audit.claim import Claim, Verdict
from analysis.audit.inputs import Inputs
from analysis.audit.ledger import CHECKS, CLAIMS_LEDGER, LEDGER_COLUMNS, ledger_frame, read_ledger
from analysis.audit.reading_rules import Settings
from analysis.audit.report import (
    AUDIT_COLUMNS,
    AUDIT_CSV,
    audit_table,
    evaluate,
    status_counts,
    verdict_of,
    verdicts,
    write_audit_csv,
)
from analysis.audit.statuses import STATUSES

__all__ = [
    "AUDIT_COLUMNS",
    "AUDIT_CSV",
    "CHECKS",
    "CLAIMS_LEDGER",
    "LEDGER_COLUMNS",
    "STATUSES",
    "Claim",
    "Inputs",
    "Settings",
    "Verdict",
    "audit_table",
    "evaluate",
    "ledger_frame",
    "read_ledger",
    "status_counts",
    "table2_readings",
    "table2_statements",
    "verdict_of",
    "verdicts",
    "write_audit_csv",
]
