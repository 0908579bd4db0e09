"""The checks of who belongs to what, against the lists as printed."""

from __future__ import annotations

import dataclasses

from analysis.audit import statuses
from helpers.audit_ledger import verdict_by_check


def test_the_visa_free_states_are_five_members_of_eurasec(claims, inputs):
    verdict = verdict_by_check(claims, inputs, "visa_free_members")
    # Belarus, Kazakhstan, Kyrgyzstan, Russia, Tajikistan: all in EurAsEC's six, Uzbekistan left out.
    assert verdict.numbers == {"listed": 5, "stated": 5, "all_within": True}
    assert verdict.status == statuses.REPRODUCED
    assert verdict.explanation.endswith("not listed: Uzbekistan.")


def test_a_wrong_number_of_members_does_not_hold(claims, inputs):
    claim = next(c for c in claims.values() if c.check == "visa_free_members")
    wrong = dataclasses.replace(claim, values={"members": 6.0})
    assert verdict_by_check({claim.id: wrong}, inputs, "visa_free_members").status == statuses.DOES_NOT_HOLD
