"""Checks recomputed from the paper's own printed figures, against hand calculations."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.audit import checks_arithmetic, report, statuses
from analysis.audit.claim import Claim
from analysis.audit.ledger import CHECKS
from analysis.errors import DataValidationError
from helpers.audit_ledger import verdict_by_check


def test_sevenfold_increase_by_hand(claims, inputs):
    verdict = verdict_by_check(claims, inputs, "sevenfold_increase")
    assert verdict.numbers["ratio"] == pytest.approx(3.5 / 0.5) == pytest.approx(7.0)
    assert verdict.status == statuses.REPRODUCED


def test_fifteen_years_by_hand(claims, inputs):
    verdict = CHECKS["years_since_independence"](claims["C01"], inputs)
    assert verdict.numbers == {"stated_years": 1.5 * 10, "elapsed_years": 2006 - 1991}


def test_a_wrong_count_of_years_does_not_hold(claims, inputs):
    # 2006 - 1991 = 15; 14 years is a whole year off, more than the half year that rounding allows.
    wrong = dataclasses.replace(claims["C01"], values={"years": 14.0})
    assert CHECKS["years_since_independence"](wrong, inputs).status == statuses.DOES_NOT_HOLD


# --- the paper against itself -----------------------------------------------------------------


def test_survey_place_is_internally_inconsistent(claims, inputs):
    for cid in ("C40", "C41"):
        verdict = report.evaluate(claims[cid], inputs)
        assert verdict.status == statuses.INCONSISTENT
        assert "Uzbekistan" in verdict.explanation and "'other Kyrgyz people'" in verdict.explanation
    assert claims["C41"].values == {"jobs": 4000.0}


def test_survey_place_consistent_when_place_and_people_agree(claims, inputs, monkeypatch):
    monkeypatch.setattr(checks_arithmetic, "SURVEY_PEOPLE", ("UZB", "Uzbek"))
    assert report.evaluate(claims["C40"], inputs).status == statuses.NOT_CHECKABLE


def test_survey_check_refuses_a_ledger_that_disagrees_with_the_transcription(claims, inputs):
    wrong = dataclasses.replace(claims["C41"], values={"jobs": 5000.0})
    with pytest.raises(DataValidationError, match=r"survey_findings.*\[4000"):
        report.evaluate(wrong, inputs)


# --- "one of the world biggest migration systems" -----------------------------------------------


def _stocks_claim(**stocks) -> Claim:
    return Claim(
        id="C58",
        section="",
        quote="",
        paper_line=49,
        values=stocks,
        unit="",
        reference_year="2005",
        cited_source="",
        check_kind="arithmetic",
        chapter="01-trends",
        check="eurasian_system_among_biggest",
    )


def test_the_system_outranks_germany_with_the_printed_stocks():
    verdict = checks_arithmetic.eurasian_system_among_biggest(
        _stocks_claim(usa=38.4, russia=12.1, germany=10.1, ukraine=6.8), None
    )
    # By hand: 12.1 + 6.8 = 18.9 mln, more than Germany's 10.1 and less than the USA's 38.4.
    assert verdict.status == statuses.REPRODUCED
    assert verdict.numbers["russia_plus_ukraine"] == pytest.approx(18.9)
    assert verdict.numbers["outranked"] == 1


@pytest.mark.parametrize("germany", [20.0, 18.9])
def test_the_system_must_outrank_one_of_the_others(germany):
    verdict = checks_arithmetic.eurasian_system_among_biggest(
        _stocks_claim(usa=38.4, russia=12.1, germany=germany, ukraine=6.8), None
    )
    assert verdict.status == statuses.DOES_NOT_HOLD
    assert verdict.numbers["outranked"] == 0
