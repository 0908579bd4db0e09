"""How the paper prints Tables 2 and 3, parsed independently of the project's loaders.

Shared by the transcription tests (against the paper's text) and the printed-row tests
(against each row's own ``printed_row`` column).
"""

from __future__ import annotations

import re


def _thousands_dot(text: str) -> int:
    # Table 2 uses "." as the thousands separator: "2.500" is 2,500 thousand.
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", text), text
    return int(text.replace(".", ""))


def _range(text: str) -> tuple:
    if text == "-":
        return (None, None)
    low, _, high = text.partition("-")
    return (_thousands_dot(low), _thousands_dot(high or low))


def _space_groupings(tokens: list[str], count: int) -> list[tuple]:
    """Every way to read space-separated tokens as `count` numbers.

    Table 3 writes thousands with a space ("2 760"), so a number is a 1-3 digit
    token followed by any number of exactly-3-digit tokens; "n.a." is missing.
    """
    if not tokens:
        return [()] if count == 0 else []
    if count == 0:
        return []
    if tokens[0] == "n.a.":
        return [(None,) + rest for rest in _space_groupings(tokens[1:], count - 1)]
    readings = []
    for width in range(1, len(tokens) + 1):
        head = tokens[:width]
        if not re.fullmatch(r"\d{1,3}", head[0]) or any(not re.fullmatch(r"\d{3}", t) for t in head[1:]):
            break
        value = int("".join(head))
        readings += [(value,) + rest for rest in _space_groupings(tokens[width:], count - 1)]
    return readings


LEVEL_COLUMNS = [
    "remittances_bop_2003_musd",
    "remittances_estimate_musd",
    "fdi_2003_musd",
    "exports_2003_musd",
    "oda_2002_musd",
    "gdp_2003_musd",
]
SHARE_COLUMNS = [
    "remittances_bop_2003_pct_gdp",
    "remittances_estimate_pct_gdp",
    "fdi_2003_pct_gdp",
    "exports_2003_pct_gdp",
    "oda_2002_pct_gdp",
]
_TABLE3_ROW = re.compile(r"^([A-Z][A-Za-z ]+?) ((?:n\.a\.|\d)[\d ,.a-z]*)$")
