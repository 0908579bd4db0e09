"""The statements the text draws from Table 3, against hand calculations."""

from __future__ import annotations

import pytest

from analysis.audit import statuses
from helpers.audit_ledger import verdict_by_check


def test_unofficial_share_by_hand(claims, inputs):
    numbers = verdict_by_check(claims, inputs, "unofficial_overwhelming").numbers
    assert numbers["unofficial_pct_ARM"] == pytest.approx(round((1 - 162 / 850) * 100, 1))  # 80.9
    assert numbers["unofficial_pct_MDA"] == pytest.approx(round((1 - 464 / 500) * 100, 1))  # 7.2
    assert numbers["unofficial_pct_russia_low"] == pytest.approx(round((1 - 3.5 / 7) * 100, 1))  # 50


def test_the_oda_share_column_does_not_hold(claims, inputs):
    # Seven ODA cells are off (test_table3), so the column's check cannot reproduce it.
    verdict = verdict_by_check(claims, inputs, "table3_oda_shares")
    assert verdict.numbers["off"] == 7
    assert verdict.status in (statuses.PARTLY, statuses.DOES_NOT_HOLD)
    assert "of the explanations within the paper" in verdict.explanation
