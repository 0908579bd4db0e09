"""Table 2's shares in Russia under both readings, and the two band claims, against hand calculations."""

from __future__ import annotations

import pytest

from analysis.audit import band_claims, statuses, table2
from analysis.audit.inputs import Inputs
from analysis.audit.reading_rules import Settings
from analysis.errors import ParameterError
from helpers.audit_ledger import verdict_by_check


def test_table2_intervals_by_hand(inputs):
    bands = {"Caucasus": (70.0, 90.0), "Moldova and Ukraine": (40.0, 60.0)}
    frame = table2.table2_russia_shares(bands, inputs).set_index("country")
    # Ukraine: outer 1000 / 2500 = 40% to 1500 / 2000 = 75%; matched 1000 / 2000 = 50% and 1500 / 2500 = 60%;
    # midpoints 1250 / 2250 = 55.6%.
    ukraine = frame.loc["Ukraine"]
    assert (ukraine["outer_low"], ukraine["outer_high"]) == (40.0, 75.0)
    assert (ukraine["matched_low"], ukraine["matched_high"]) == pytest.approx((50.0, 60.0))
    assert ukraine["share_mid"] == pytest.approx(2500 / 4500 * 100)
    assert (ukraine["outer_position"], ukraine["matched_position"]) == ("overlaps", "inside")
    # The reading in force is matched: share_low/high and position repeat its columns.
    assert (ukraine["share_low"], ukraine["share_high"]) == pytest.approx((50.0, 60.0))
    assert ukraine["position"] == "inside"
    assert frame.loc["Moldova", "share_mid"] == pytest.approx(250 / 500 * 100)  # 50%
    # Azerbaijan: outer 550 / 700 = 78.57% up to 650 / 600, above 1, capped at 100%; matched 550 / 600 = 91.7%
    # and 650 / 700 = 92.9%, midpoints 1200 / 1300 = 92.3%: outside 70-90 though the outer interval overlaps it.
    azerbaijan = frame.loc["Azerbaijan"]
    assert (azerbaijan["outer_low"], azerbaijan["outer_high"]) == (pytest.approx(550 / 700 * 100), 100.0)
    assert (azerbaijan["matched_low"], azerbaijan["matched_high"]) == pytest.approx((550 / 600 * 100, 650 / 700 * 100))
    assert (azerbaijan["outer_decides"], azerbaijan["matched_decides"]) == ("overlaps", "outside")
    # Georgia: matched 200 / 300 = 66.7% to 200 / 250 = 80% crosses 70, but the point 400 / 550 = 72.7% is inside.
    georgia = frame.loc["Georgia"]
    assert (georgia["matched_position"], georgia["matched_decides"]) == ("overlaps", "inside")
    assert georgia["share_mid"] == pytest.approx(400 / 550 * 100)


def test_an_unknown_group_is_refused(inputs):
    with pytest.raises(ParameterError, match=r"bands: unknown group\(s\) \['Baltics'\]"):
        table2.table2_russia_shares({"Baltics": (70.0, 90.0)}, inputs)


def _shares_by_hand() -> dict[str, float]:
    """Table 2, midpoint in Russia over midpoint abroad, per country (thousands as printed)."""
    return {
        "Kyrgyzstan": 750 / 850,
        "Tajikistan": 1300 / 1300,
        "Uzbekistan": 1150 / 1300,
        "Armenia": 1300 / 1700,
        "Azerbaijan": 1200 / 1300,
        "Georgia": 400 / 550,
        "Moldova": 500 / 1000,
        "Ukraine": 2500 / 4500,
    }


def test_seventy_ninety_by_hand(claims, inputs):
    verdict = verdict_by_check(claims, inputs, "central_asia_caucasus_share")
    by_hand = _shares_by_hand()
    inside = [
        c
        for c in ("Kyrgyzstan", "Tajikistan", "Uzbekistan", "Armenia", "Azerbaijan", "Georgia")
        if 0.70 <= by_hand[c] <= 0.90
    ]
    assert sorted(inside) == ["Armenia", "Georgia", "Kyrgyzstan", "Uzbekistan"]  # Tajikistan 100%, Azerbaijan 92.3%
    assert verdict.numbers["Azerbaijan_mid_pct"] == pytest.approx(round(1200 / 1300 * 100, 1))
    assert (verdict.numbers["inside"], verdict.numbers["outside"]) == (4, 2)
    # The outer reading: only Armenia's 650/900 = 72.2% to 650/800 = 81.25% lies inside; the other five overlap.
    assert (verdict.numbers["outer_inside"], verdict.numbers["outer_overlaps"], verdict.numbers["outer_outside"]) == (
        1,
        5,
        0,
    )
    assert verdict.status == statuses.PARTLY
    for words in (
        "Azerbaijan 92% (92–93%)",
        "Tajikistan 100%",
        "Georgia 73% (67–80%)",
        "Armenia 72–81%",
        "outside for Tajikistan",
        "would rate the claim 'partly holds'",
    ):
        assert words in verdict.explanation


def test_about_half_by_hand(claims, inputs):
    verdict = verdict_by_check(claims, inputs, "moldova_ukraine_half")
    # Moldova 250 / 500 = 50%; Ukraine 2500 / 4500 = 55.6%, both inside 50 +/- 10.
    assert verdict.numbers["Moldova_mid_pct"] == 50.0
    assert verdict.numbers["Ukraine_mid_pct"] == pytest.approx(55.6)
    assert verdict.status == statuses.REPRODUCED
    assert "Ukraine 40–75%" in verdict.explanation and "would rate the claim 'partly holds'" in verdict.explanation
    # Under the outer reading Ukraine's 40-75% overlaps the band, so the claim only partly holds.
    outer = Inputs(Settings(range_reading="outer"))
    assert verdict_by_check(claims, outer, "moldova_ukraine_half").status == statuses.PARTLY
    # A narrower "about": 50 +/- 5 leaves Ukraine's 55.6% outside.
    narrow = Inputs(Settings(about_half_margin_pp=5.0))
    assert verdict_by_check(claims, narrow, "moldova_ukraine_half").status == statuses.PARTLY


def test_table2_readings_side_by_side(inputs):
    readings = band_claims.table2_readings(inputs=inputs).set_index(["claim", "reading"])
    assert readings.loc[("C16", "matched (in force)"), "status"] == statuses.REPRODUCED
    assert readings.loc[("C16", "outer"), "status"] == statuses.PARTLY
    assert readings.loc[("C15", "matched (in force)"), ["inside", "overlapping", "outside"]].tolist() == [4, 0, 2]
    assert readings.loc[("C15", "outer"), ["inside", "overlapping", "outside"]].tolist() == [1, 5, 0]


def test_table2_statements_use_the_ledgers_bands(inputs):
    frame = band_claims.table2_statements(inputs=inputs).set_index("country")
    # The '70-90%' band for the six Central Asian and Caucasus states, 'about half' as 50 +/- 10 for the other two.
    assert len(frame) == 8
    assert (frame.loc["Tajikistan", "band_low"], frame.loc["Tajikistan", "band_high"]) == (70.0, 90.0)
    assert (frame.loc["Ukraine", "band_low"], frame.loc["Ukraine", "band_high"]) == (40.0, 60.0)


def test_russia_share_of_table2_by_hand(claims, inputs):
    verdict = verdict_by_check(claims, inputs, "russia_major_receiver")
    in_russia_low = 650 + 550 + 200 + 350 + 250 + 600 + 1000 + 550
    in_russia_high = 650 + 650 + 200 + 400 + 250 + 700 + 1500 + 600
    abroad_low = 800 + 600 + 250 + 400 + 500 + 600 + 2000 + 600
    abroad_high = 900 + 700 + 300 + 450 + 500 + 700 + 2500 + 700
    assert verdict.numbers["share_low_pct"] == pytest.approx(in_russia_low / abroad_low * 100)  # 72.2%
    assert verdict.numbers["share_high_pct"] == pytest.approx(in_russia_high / abroad_high * 100)  # 73.3%
    assert verdict.numbers["share_mid_pct"] == pytest.approx(
        (in_russia_low + in_russia_high) / (abroad_low + abroad_high) * 100
    )
    assert verdict.numbers["outer_low_pct"] == pytest.approx(in_russia_low / abroad_high * 100)  # 61.5%
    assert verdict.status == statuses.REPRODUCED
