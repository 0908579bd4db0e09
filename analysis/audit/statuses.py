"""The audit's fixed vocabulary of statuses, the status each outcome of a reading rule gives, and their colours.

- *reproduced*: the paper's own numbers give the stated value or statement;
- *reproduced within rounding*: they do, once the rounding of the printed
  figures is allowed for;
- *partly holds*: it holds for some countries, columns or ends of a range only;
- *does not hold*: the paper's own numbers contradict it;
- *internally inconsistent*: two statements of the paper about it cannot both hold as printed;
- *not checkable from the paper*: the paper gives nothing to recompute or bound it with;
- *checked against external data*: compared with a pinned public data file;
  the explanation says how it compares.
"""

from __future__ import annotations

from analysis.audit import reading_rules as rules

REPRODUCED = "reproduced"
WITHIN_ROUNDING = "reproduced within rounding"
PARTLY = "partly holds"
DOES_NOT_HOLD = "does not hold"
INCONSISTENT = "internally inconsistent"
NOT_CHECKABLE = "not checkable from the paper"
EXTERNAL = "checked against external data"
STATUSES = (REPRODUCED, WITHIN_ROUNDING, PARTLY, DOES_NOT_HOLD, INCONSISTENT, NOT_CHECKABLE, EXTERNAL)
# The status each outcome of a reading rule gives.
OUTCOME_STATUS = {
    rules.HOLDS: REPRODUCED,
    rules.HOLDS_FOR_SOME: PARTLY,
    rules.FAILS: DOES_NOT_HOLD,
    rules.UNDECIDED: NOT_CHECKABLE,
    rules.CONTRADICTS_ITSELF: INCONSISTENT,
}

STATUS_COLOURS = {
    REPRODUCED: "#d9f0d3",
    WITHIN_ROUNDING: "#eef7d9",
    PARTLY: "#fee8a8",
    DOES_NOT_HOLD: "#f4a6a6",
    INCONSISTENT: "#e3c8ef",
    NOT_CHECKABLE: "#eeeeee",
    EXTERNAL: "#d6e6f5",
}
