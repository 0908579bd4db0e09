"""The checks of the paper's counts of migrants: no count bounds a claim unless it covers the same people."""

from __future__ import annotations

import dataclasses
import math

import pytest

from analysis.audit import statuses
from analysis.audit.ledger import CHECKS
from helpers.audit_ledger import verdict_by_check


@pytest.mark.parametrize(
    "check, words",
    [
        ("irregular_total", ["5.75–6.75 mln", "bound nothing", "countries outside the CIS", "regular migrants"]),
        ("irregular_mostly_in_russia", ["2.5 mln", "4.15–4.95 mln", "bound nothing"]),
        ("kazakhstan_seasonal", ["bound nothing", "every country but Kyrgyzstan, Tajikistan and Uzbekistan"]),
        ("hundreds_of_thousands_in_russia", ["no count of seasonal workers"]),
        ("russia_main_source", ["cannot rank", "counts people, not money"]),
    ],
)
def test_table2_is_no_bound(claims, inputs, check, words):
    verdict = verdict_by_check(claims, inputs, check)
    assert verdict.status == statuses.NOT_CHECKABLE
    for word in words:
        assert word in verdict.explanation


def test_table2_context_numbers_by_hand(claims, inputs):
    total = verdict_by_check(claims, inputs, "irregular_total").numbers
    assert (total["table2_abroad_low"], total["table2_abroad_high"]) == (5750, 6750)
    # The only part that floors the 5-15 mln is the 'about 0.2 mln' in Ukraine; nothing caps it.
    assert (total["floor"], total["ceiling"]) == (200, math.inf)
    kazakhstan = verdict_by_check(claims, inputs, "kazakhstan_seasonal").numbers
    # Matched remainder outside Russia: Kyrgyzstan 400-350 and 450-400, Tajikistan 0 and 0, Uzbekistan 600-550
    # and 700-600.
    assert (kazakhstan["table2_outside_russia_low"], kazakhstan["table2_outside_russia_high"]) == (
        50 + 0 + 50,
        50 + 0 + 100,
    )


def test_a_bound_of_the_same_population_still_decides(claims, inputs):
    assert verdict_by_check(claims, inputs, "multi_million_irregular").status == statuses.REPRODUCED  # 5 mln >= 2 mln
    assert verdict_by_check(claims, inputs, "transit_thousands").status == statuses.REPRODUCED  # 300 >= 1 thousand
    # A floor below what the word needs cannot confirm it: 'multi-million' against an estimate of 1 mln.
    weak = dataclasses.replace(claims["C42"], values={"low": 2000.0, "estimate_low": 1000.0})
    assert CHECKS["multi_million_irregular"](weak, inputs).status == statuses.NOT_CHECKABLE
