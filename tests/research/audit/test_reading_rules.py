"""The reading rules on hand-made cases, each with a case the rule must reject or decide the other way.

Every expected number is worked out here by hand, never taken from analysis.audit.reading_rules.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from analysis.audit import reading_rules as rules
from analysis.audit import statuses
from analysis.errors import ParameterError

# --- two ranges of one table ------------------------------------------------------------------


def test_matched_pairs_low_with_low_and_takes_midpoint_over_midpoint():
    # 30-60 of 50-100: 30/50 = 60%, 60/100 = 60%; midpoints 45/75 = 60%.
    share = rules.range_share(30, 60, 50, 100)
    assert (share.low, share.high, share.point) == pytest.approx((60.0, 60.0, 60.0))
    # 20-30 of 40-90: 20/40 = 50%, 30/90 = 33.3%, ordered low to high; midpoints 25/65 = 38.46%.
    share = rules.range_share(20, 30, 40, 90)
    assert (share.low, share.high, share.point) == pytest.approx((100 / 3, 50.0, 2500 / 65))


def test_outer_pairs_low_with_high_and_caps_at_100():
    # 30-60 of 50-100: 30/100 = 30%, 60/50 = 120% capped at 100%; the point does not depend on the pairing.
    share = rules.range_share(30, 60, 50, 100, rules.OUTER)
    assert (share.low, share.high, share.point) == pytest.approx((30.0, 100.0, 60.0))


def test_matched_puts_outside_what_outer_only_overlaps():
    # 550-650 of 600-700 against 70-90%: matched 550/600 = 91.7% and 650/700 = 92.9%, point 1200/1300 = 92.3%,
    # all above 90; outer 550/700 = 78.6% up to 650/600 (capped at 100%) straddles 90.
    matched = rules.range_share(550, 650, 600, 700, rules.MATCHED)
    outer = rules.range_share(550, 650, 600, 700, rules.OUTER)
    assert matched.point == pytest.approx(1200 / 1300 * 100)
    assert rules.deciding_position(matched, 70, 90, rules.MATCHED) == rules.OUTSIDE
    assert rules.deciding_position(outer, 70, 90, rules.OUTER) == rules.OVERLAPS
    assert outer.low == pytest.approx(550 / 700 * 100) and outer.high == 100.0


def test_the_point_decides_under_matched_the_interval_under_outer():
    # 200 of 250-300: matched 66.7-80% straddles 70, but the point 400/550 = 72.7% lies inside 70-90.
    share = rules.range_share(200, 200, 250, 300)
    assert rules.interval_position(share.low, share.high, 70, 90) == rules.OVERLAPS
    assert rules.deciding_position(share, 70, 90) == rules.INSIDE
    # The same ranges under outer (200/300 to 200/250) are decided by the straddling interval.
    assert (
        rules.deciding_position(rules.range_share(200, 200, 250, 300, rules.OUTER), 70, 90, rules.OUTER)
        == rules.OVERLAPS
    )


@pytest.mark.parametrize(
    "arguments", [(30, 60, 0, 100), (60, 30, 50, 100), (30, 60, 100, 50), (math.nan, 60, 50, 100), (-1, 60, 50, 100)]
)
def test_range_share_refuses_ranges_that_are_not_ranges(arguments):
    with pytest.raises(ParameterError, match="range_share"):
        rules.range_share(*arguments)


def test_unknown_reading_is_refused():
    with pytest.raises(ParameterError, match="'range_reading'.*matched, outer"):
        rules.range_share(1, 2, 3, 4, "midpoint")
    with pytest.raises(ParameterError, match="'range_reading'"):
        rules.Settings(range_reading="widest")


def test_range_difference_pairs_like_the_share():
    # 400-450 abroad, 350-400 in Russia: matched 50 and 50; outer 400-400 = 0 up to 450-350 = 100.
    assert rules.range_difference(400, 450, 350, 400) == (50, 50)
    assert rules.range_difference(400, 450, 350, 400, rules.OUTER) == (0, 100)
    # Never below zero: 600-700 abroad, 600-700 in Russia, outer 600-700 -> 0.
    assert rules.range_difference(600, 700, 600, 700, rules.OUTER) == (0, 100)


# --- positions and verdicts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "interval, expected",
    [
        ((70, 90), rules.INSIDE),  # the band's ends belong to it
        ((75, 80), rules.INSIDE),
        ((65, 75), rules.OVERLAPS),
        ((85, 95), rules.OVERLAPS),
        ((60, 95), rules.OVERLAPS),  # wider than the band on both sides
        ((90.5, 95), rules.OUTSIDE),  # no rounding margin: 90.5 is above 90
        ((50, 69.9), rules.OUTSIDE),
    ],
)
def test_interval_position(interval, expected):
    assert rules.interval_position(*interval, 70, 90) == expected


def test_a_point_is_never_overlapping_and_bad_intervals_are_refused():
    assert rules.point_position(90, 70, 90) == rules.INSIDE
    assert rules.point_position(90.01, 70, 90) == rules.OUTSIDE
    with pytest.raises(ParameterError, match="low <= high"):
        rules.interval_position(80, 75, 70, 90)


@pytest.mark.parametrize(
    "outcomes, expected",
    [
        ([rules.HOLDS, rules.HOLDS], rules.HOLDS),
        ([rules.HOLDS, rules.FAILS], rules.HOLDS_FOR_SOME),
        ([rules.HOLDS, rules.UNDECIDED], rules.HOLDS_FOR_SOME),
        ([rules.FAILS, rules.UNDECIDED], rules.FAILS),
        ([rules.UNDECIDED, rules.UNDECIDED], rules.UNDECIDED),
        ([rules.FAILS], rules.FAILS),
    ],
)
def test_combined_outcome(outcomes, expected):
    assert rules.combined_outcome(outcomes) == expected


def test_combined_outcome_refuses_nothing_and_unknown_words():
    with pytest.raises(ParameterError):
        rules.combined_outcome([])
    with pytest.raises(ParameterError):
        rules.combined_outcome(["inside"])


# --- populations and bounds -------------------------------------------------------------------

WORKERS_FROM_A_ANYWHERE = rules.Population({"ARM"}, rules.EVERY_PLACE, rules.WORKERS)
SEASONAL_FROM_A_IN_RUSSIA = rules.Population({"ARM"}, {"RUS"}, {rules.SEASONAL_WORKERS})
EVERYONE_IN_RUSSIA = rules.Population(rules.EVERY_PLACE, {"RUS"})


def test_population_containment():
    assert WORKERS_FROM_A_ANYWHERE.contains(SEASONAL_FROM_A_IN_RUSSIA)
    assert not SEASONAL_FROM_A_IN_RUSSIA.contains(WORKERS_FROM_A_ANYWHERE)
    # Neither contains the other: one leaves out other origins, the other other destinations.
    assert not WORKERS_FROM_A_ANYWHERE.contains(EVERYONE_IN_RUSSIA)
    assert not EVERYONE_IN_RUSSIA.contains(WORKERS_FROM_A_ANYWHERE)
    gaps = WORKERS_FROM_A_ANYWHERE.missing(EVERYONE_IN_RUSSIA)
    assert gaps["origins"] == rules.EVERY_PLACE - {"ARM"}
    assert gaps["kinds"] == {rules.TRANSIT_MIGRANTS, rules.OTHER_MIGRANTS}
    assert "destinations" not in gaps and "statuses" not in gaps


def test_gaps_in_words():
    gaps = rules.Population({"ARM", "GEO"}, {"RUS"}).missing(rules.Population({"ARM", "GEO", "BLR"}, {"RUS"}))
    assert rules.describe_gaps(gaps) == "migrants from Belarus"
    many = rules.Population({"ARM"}, {"RUS"}).missing(EVERYONE_IN_RUSSIA)
    assert rules.describe_gaps(many) == "migrants from every country but Armenia"


def test_a_count_of_a_wider_population_caps_but_cannot_confirm():
    # 600-700 workers from A anywhere contain A's seasonal workers in Russia: a ceiling of 700.
    # Against "hundreds of thousands" (100-999) the interval (-inf, 700] overlaps: not checkable.
    count = rules.Count("Table", 600, 700, WORKERS_FROM_A_ANYWHERE)
    reading = rules.bound_reading(100, 999, SEASONAL_FROM_A_IN_RUSSIA, [count])
    assert (reading.floor, reading.ceiling) == (-math.inf, 700)
    assert reading.ceilings == (count,) and not reading.floors
    assert reading.outcome == rules.UNDECIDED
    # A ceiling below the stated range refutes it.
    low = rules.Count("Table", 40, 60, WORKERS_FROM_A_ANYWHERE)
    assert rules.bound_reading(100, 999, SEASONAL_FROM_A_IN_RUSSIA, [low]).outcome == rules.FAILS


def test_a_count_of_another_population_bounds_nothing():
    # Workers from A anywhere are neither within nor around everyone in Russia: context only.
    count = rules.Count("Table", 5000, 6000, WORKERS_FROM_A_ANYWHERE)
    reading = rules.bound_reading(5000, 15000, EVERYONE_IN_RUSSIA, [count])
    assert reading.context == (count,)
    assert (reading.floor, reading.ceiling) == (-math.inf, math.inf)
    assert reading.outcome == rules.UNDECIDED  # would have been "holds" had the count been read as a bound


def test_floor_and_ceiling_of_the_same_population_confirm_or_refute():
    same = rules.Count("own estimate", 5000, 15000, EVERYONE_IN_RUSSIA)
    assert rules.bound_reading(2000, math.inf, EVERYONE_IN_RUSSIA, [same]).outcome == rules.HOLDS
    assert rules.bound_reading(20000, math.inf, EVERYONE_IN_RUSSIA, [same]).outcome == rules.FAILS
    assert rules.bound_reading(10000, 12000, EVERYONE_IN_RUSSIA, [same]).outcome == rules.UNDECIDED


def test_open_ended_counts_bound_on_one_side_only():
    part = rules.Population({"ARM"}, {"RUS"})
    up_to = rules.Count("up to 1000", -math.inf, 1000, part)  # within the claim, but no lower end
    over = rules.Count("over 300", 300, math.inf, part)
    reading = rules.bound_reading(100, math.inf, EVERYONE_IN_RUSSIA, [up_to, over])
    assert reading.floors == (over,) and up_to in reading.context
    assert reading.floor == 300 and reading.outcome == rules.HOLDS


def test_a_floor_above_a_ceiling_is_the_paper_against_itself():
    # Over 800 within the claim's population, at most 500 around it: both cannot hold.
    floor = rules.Count("over 800", 800, math.inf, SEASONAL_FROM_A_IN_RUSSIA)
    ceiling = rules.Count("up to 500", -math.inf, 500, WORKERS_FROM_A_ANYWHERE)
    claim = rules.Population({"ARM"}, {"RUS"}, rules.WORKERS)
    assert rules.bound_reading(100, 999, claim, [floor, ceiling]).outcome == rules.CONTRADICTS_ITSELF
    assert rules.bound_reading(100, 999, claim, [floor]).outcome == rules.UNDECIDED


def test_consistency():
    assert rules.consistency_outcome(["UZB", "KGZ"]) == rules.CONTRADICTS_ITSELF
    assert rules.consistency_outcome(["UZB", "UZB"]) == rules.UNDECIDED
    assert rules.consistency_outcome(["UZB"], otherwise=rules.HOLDS) == rules.HOLDS
    with pytest.raises(ParameterError):
        rules.consistency_outcome([])


# --- the rules as declared ----------------------------------------------------------------------


def test_every_rule_has_a_reading_and_a_reason():
    table = rules.rules_table()
    assert len(table) == len(rules.RULES) and table["rule"].is_unique
    assert (table["reason"].str.len() > 40).all() and (table["reading"].str.len() > 10).all()
    assert not table["reading"].str.contains("{", regex=False).any(), "every parameter field is filled"


def test_readings_show_the_values_in_force():
    table = rules.rules_table({"about_half_margin_pp": 15.0, "range_reading": rules.OUTER}).set_index("rule")
    assert table.loc['"About"', "reading"] == "50% plus or minus 15 percentage points."
    assert "uses the outer reading" in table.loc["Two ranges of one table", "reading"]


def test_the_audit_settings_are_the_rules_parameters():
    fields = {field.name: field.default for field in dataclasses.fields(rules.Settings)}
    assert fields == rules.DEFAULTS
    assert rules.Settings().range_reading == rules.MATCHED


def test_every_outcome_has_a_status():
    outcomes = {rules.HOLDS, rules.HOLDS_FOR_SOME, rules.FAILS, rules.UNDECIDED, rules.CONTRADICTS_ITSELF}
    assert set(statuses.OUTCOME_STATUS) == outcomes
    assert set(statuses.OUTCOME_STATUS.values()) <= set(statuses.STATUSES)


def test_settings_reject_bad_parameters():
    with pytest.raises(ParameterError, match="rounding_tolerance"):
        rules.Settings(rounding_tolerance=0)
    with pytest.raises(ParameterError, match="demography_start"):
        rules.Settings(demography_start=2010, demography_end=2005)
    with pytest.raises(ParameterError, match="'overwhelming_share_pct': got 50"):
        rules.Settings(overwhelming_share_pct=50)  # "overwhelming" must be more than half
    assert rules.Settings(overwhelming_share_pct=50.1).overwhelming_share_pct == 50.1
