"""How the audit reads the paper's hedged and ranged numbers: every rule, declared once.

Each rule is a :class:`Rule` with the reading the audit applies and the reason for it;
:data:`RULES` lists them in the order the audit appendix prints them, and
:data:`DEFAULTS` holds the values of those that are parameters of the audit, and
:class:`Settings` the values in force, checked. The chapters that read a hedged
number the audit's way take these thresholds from here, as the audit's checks do.
The functions below apply the rules; they return outcomes (:data:`HOLDS` ...),
which the audit turns into its statuses. Nothing here knows about the book.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields

import pandas as pd

from analysis.data.countries import CIS, display_name
from analysis.errors import ParameterError


@dataclass(frozen=True)
class Rule:
    """One reading: what it applies to, how the audit reads it, and why."""

    name: str
    applies_to: str
    reading: str  # may hold {parameter} fields, filled with the values in force
    reason: str
    parameters: tuple[tuple[str, object], ...] = ()  # (audit Settings field, default)


MATCHED, OUTER = "matched", "outer"
RANGE_READINGS = (MATCHED, OUTER)

RULES = (
    Rule(
        "Two ranges of one table",
        "a share or a difference formed from two ranges of the same table (Table 2: migrant workers in "
        "Russia and abroad)",
        "The audit uses the {range_reading} reading. Matched: low with low and high with high give the "
        "interval, and the midpoint over the midpoint gives the point. Outer: low over high to high over "
        "low, capped at 100%.",
        "Both ranges are one estimate of one country, so a low count abroad goes with a low count in "
        "Russia. Matched pairs keep Table 2's own constraint that the workers in Russia are part of those "
        "abroad and never exceed 100%; outer pairs join the extremes of two different scenarios, can "
        "pass 100%, and widen the interval until hardly any stated band can miss it.",
        (("range_reading", MATCHED),),
    ),
    Rule(
        "Position against a stated band",
        'an interval or a point set against a band the text states ("70-90%")',
        "An interval lies inside when both its ends lie within the band, outside when it misses the band, "
        "and overlaps it otherwise; a point lies inside or outside. The band's ends belong to it, and "
        "they are taken as printed, without a rounding margin.",
        "A stated range is already the author's allowance for uncertainty; widening it again would let a "
        "claim absorb the evidence against it.",
    ),
    Rule(
        "Verdict on a band claim",
        "a statement that each country of a group lies within a band",
        "Under the matched reading each country's point decides and its interval is reported beside it; "
        "under the outer reading the interval decides. Inside counts as holding, outside as failing, "
        "overlapping as undecided. The claim is reproduced when every country holds, partly holds when "
        "some do, does not hold when none does and some fail, and is not checkable when all are "
        "undecided.",
        "The point weighs both ends of both printed ranges equally, so it always gives an answer; an "
        "interval that only has to touch the band makes a range claim almost impossible to contradict. "
        "The outer result is shown beside the default, so a reader sees how much a verdict depends on "
        "the rule.",
    ),
    Rule(
        '"About"',
        '"about half"',
        "50% plus or minus {about_half_margin_pp:g} percentage points.",
        '"About" allows a margin the paper does not state; this margin keeps "half" apart from '
        '"a third" and "two thirds".',
        (("about_half_margin_pp", 10.0),),
    ),
    Rule(
        '"Overwhelming"',
        '"the overwhelming part"',
        "At least {overwhelming_share_pct:g}%.",
        "The word says more than a plain majority; two thirds is the usual qualified majority.",
        (("overwhelming_share_pct", 66.7),),
    ),
    Rule(
        '"Dramatic disparities"',
        '"dramatic disparities" in GDP per capita',
        "The richest country has at least {disparity_ratio:g} times the GDP per capita of the poorest.",
        "The word gives no threshold; a fivefold gap is a high bar, the explanation prints the ratio "
        "found, and a reader can move the bar with the parameter.",
        (("disparity_ratio", 5.0),),
    ),
    Rule(
        "Rounding",
        "a printed figure compared with one recomputed from other printed figures",
        "A printed figure stands for every value that rounds to it: {rounding_tolerance:g} percentage "
        "points for Table 3's one-decimal shares, half a million US$ for its whole-million levels, half "
        'a unit for whole years and whole-number factors ("7 times").',
        "The paper prints rounded figures; a gap smaller than the rounding is no disagreement.",
        (("rounding_tolerance", 0.05),),
    ),
    Rule(
        "GDP revisions",
        "a GDP implied by a printed share, set against a later edition's GDP",
        "Within {gdp_revision_tolerance:.0%} of the later figure counts as the same year's GDP, revised.",
        "National accounts are revised between editions by a few percent; a larger gap points to another "
        "year or another quantity.",
        (("gdp_revision_tolerance", 0.05),),
    ),
    Rule(
        "The paper's present",
        '"decline" and "growth" of population, stated without years',
        "Average annual change from {demography_start} to {demography_end}.",
        "The paper describes its own time and was written in 2006; these are the last complete years before it.",
        (("demography_start", 2000), ("demography_end", 2005)),
    ),
    Rule(
        "Words of magnitude",
        '"thousands", "multi-million", "hundreds of thousands", "up to X"',
        'Read as the range in the ledger\'s values: "thousands" at least one thousand and '
        '"multi-million" at least two million, with no upper end; "hundreds of thousands" 100 to 999 '
        'thousand; "up to X" at most X, with no lower end; "most" more than half.',
        'English uses "thousands" and "multi-million" for "at least that many"; "hundreds of '
        'thousands" stops short of a million, which would be named as such; "up to" states a ceiling '
        'and nothing else; "most" is a majority.',
    ),
    Rule(
        "Which counts bound a claim",
        "one count used as a ceiling or a floor for another",
        "A count caps a claim only when its population contains the claim's in every respect (origins, "
        "destinations, kind of migrant, legal status, period), and floors it only when its population "
        'lies within the claim\'s. A count open at one end ("up to", "over") bounds on its other end '
        "only. Any other count is context, never a bound.",
        "A count that leaves out part of the claim's population (migrants from outside the CIS, people "
        "who do not work) cannot cap it; one that includes people the claim leaves out (legal workers, "
        "workers outside the region) cannot floor it.",
    ),
    Rule(
        "Verdict from bounds",
        "a stated number or range checked against the floor and ceiling the paper gives",
        "The highest admissible floor and the lowest admissible ceiling form an interval, open where no "
        "count bounds it. The claim is reproduced when that interval lies inside the stated range, does "
        "not hold when it lies outside, and is not checkable from the paper when it overlaps; a floor "
        "above a ceiling makes it internally inconsistent.",
        "A bound on one side can refute a range but never confirm it; only bounds on both sides inside the range can.",
    ),
    Rule(
        "A majority",
        '"the major receiving country"',
        "The country holds more than half of the population that the paper counts; at half or less, the "
        "claim is not checkable from the paper.",
        "More than half leaves less than half for all other destinations together, so none can hold as "
        "many; below that, the paper does not split the rest among them.",
    ),
    Rule(
        '"One of the world\'s biggest"',
        '"one of the world biggest migration systems"',
        "The system outranks at least one of the other destinations among the world's four largest that "
        "the paper prints; Russia's and Ukraine's stocks together floor the system's size.",
        "The paper supports the statement with those four UN stocks only, and the system holds at least "
        "the migrants of its two largest members.",
    ),
    Rule(
        "Internal consistency",
        "two statements of the paper about the same thing",
        "When they cannot both hold as printed, the claims resting on them are internally inconsistent, "
        "and the audit does not choose between them. A figure derived from others (a share, a sum) that "
        "disagrees with them is instead one that does not hold.",
        'The paper\'s own text is the evidence on both sides: "does not hold" would pick one statement '
        'as true, and "not checkable" would say the paper is silent, when it says two things.',
    ),
)

DEFAULTS: dict[str, object] = {name: value for rule in RULES for name, value in rule.parameters}


def rules_table(values: dict[str, object] | None = None) -> pd.DataFrame:
    """Every rule with its reading, filled with ``values`` (default: :data:`DEFAULTS`), and its reason."""
    values = DEFAULTS | (values or {})
    return pd.DataFrame(
        [
            {
                "rule": rule.name,
                "applies to": rule.applies_to,
                "reading": rule.reading.format(**values),
                "reason": rule.reason,
            }
            for rule in RULES
        ]
    )


@dataclass(frozen=True)
class Settings:
    """The audit's conventions: the parameters of the reading rules above, checked."""

    rounding_tolerance: float = DEFAULTS["rounding_tolerance"]
    about_half_margin_pp: float = DEFAULTS["about_half_margin_pp"]
    overwhelming_share_pct: float = DEFAULTS["overwhelming_share_pct"]
    disparity_ratio: float = DEFAULTS["disparity_ratio"]
    gdp_revision_tolerance: float = DEFAULTS["gdp_revision_tolerance"]
    demography_start: int = DEFAULTS["demography_start"]
    demography_end: int = DEFAULTS["demography_end"]
    range_reading: str = DEFAULTS["range_reading"]

    def __post_init__(self):
        if self.range_reading not in RANGE_READINGS:
            raise ParameterError(
                f"parameter 'range_reading': got {self.range_reading!r}; expected one of {', '.join(RANGE_READINGS)}."
            )
        bounds = {
            "rounding_tolerance": (0, 1),
            "about_half_margin_pp": (0, 50),
            "overwhelming_share_pct": (50, 100),
            "disparity_ratio": (1, math.inf),
            "gdp_revision_tolerance": (0, 1),
        }
        for name, (low, high) in bounds.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (low < value <= high):
                raise ParameterError(f"parameter {name!r}: got {value!r}; expected a number in ({low}, {high}].")
        years = (self.demography_start, self.demography_end)
        if not all(isinstance(y, int) and not isinstance(y, bool) for y in years) or not (
            1990 <= self.demography_start < self.demography_end <= 2023
        ):
            raise ParameterError(
                f"parameters demography_start={self.demography_start!r}, demography_end={self.demography_end!r}: "
                "expected two years with 1990 <= start < end <= 2023 (the span of the WDI extract)."
            )


# ---------------------------------------------------------------------------
# Ranges, points and bands
# ---------------------------------------------------------------------------

INSIDE, OVERLAPS, OUTSIDE = "inside", "overlaps", "outside"
HOLDS, HOLDS_FOR_SOME, FAILS, UNDECIDED, CONTRADICTS_ITSELF = (
    "holds",
    "holds for some",
    "fails",
    "undecided",
    "contradicts itself",
)
POSITION_OUTCOME = {INSIDE: HOLDS, OUTSIDE: FAILS, OVERLAPS: UNDECIDED}
# Guards the comparison of two floats that are equal on paper (e.g. 0.05 vs 0.0500000001).
FLOAT_SLACK = 1e-9


def _require_reading(reading: str) -> None:
    if reading not in RANGE_READINGS:
        raise ParameterError(
            f"parameter 'range_reading': got {reading!r}; expected one of {', '.join(RANGE_READINGS)}."
        )


@dataclass(frozen=True)
class RangeShare:
    """A share in percent read from two ranges: its interval and its point."""

    low: float
    high: float
    point: float


def range_share(
    part_low: float, part_high: float, whole_low: float, whole_high: float, reading: str = MATCHED
) -> RangeShare:
    """The share part / whole in percent, both given as printed ranges, under ``reading``."""
    _require_reading(reading)
    if not all(math.isfinite(v) for v in (part_low, part_high, whole_low, whole_high)) or not (
        0 <= part_low <= part_high and 0 < whole_low <= whole_high
    ):
        raise ParameterError(
            f"range_share: got part {part_low}-{part_high} of whole {whole_low}-{whole_high}; expected finite "
            "ranges with 0 <= low <= high and a whole above zero."
        )
    if reading == MATCHED:
        first, second = part_low / whole_low * 100, part_high / whole_high * 100
        low, high = min(first, second), max(first, second)
    else:
        low, high = part_low / whole_high * 100, part_high / whole_low * 100
    point = (part_low + part_high) / (whole_low + whole_high) * 100
    return RangeShare(min(low, 100.0), min(high, 100.0), min(point, 100.0))


def range_difference(
    whole_low: float, whole_high: float, part_low: float, part_high: float, reading: str = MATCHED
) -> tuple[float, float]:
    """whole - part, both printed ranges, as (low, high) under ``reading``; never below zero."""
    _require_reading(reading)
    if reading == MATCHED:
        first, second = whole_low - part_low, whole_high - part_high
        low, high = min(first, second), max(first, second)
    else:
        low, high = whole_low - part_high, whole_high - part_low
    return max(low, 0.0), max(high, 0.0)


def interval_position(low: float, high: float, band_low: float, band_high: float) -> str:
    """inside, overlaps or outside: where [low, high] lies against [band_low, band_high] (ends included)."""
    if low > high or band_low > band_high:
        raise ParameterError(
            f"interval_position: got [{low}, {high}] against [{band_low}, {band_high}]; "
            "each interval needs low <= high."
        )
    if band_low <= low and high <= band_high:
        return INSIDE
    return OUTSIDE if high < band_low or low > band_high else OVERLAPS


def point_position(value: float, band_low: float, band_high: float) -> str:
    """inside or outside: a point against a band (ends included)."""
    return interval_position(value, value, band_low, band_high)


def deciding_position(share: RangeShare, band_low: float, band_high: float, reading: str = MATCHED) -> str:
    """The position that decides a band verdict: the point's under the matched reading, the interval's under outer."""
    _require_reading(reading)
    if reading == MATCHED:
        return point_position(share.point, band_low, band_high)
    return interval_position(share.low, share.high, band_low, band_high)


def combined_outcome(outcomes: Iterable[str]) -> str:
    """One outcome for a statement about several units (countries), from each unit's outcome."""
    outcomes = list(outcomes)
    unknown = set(outcomes) - {HOLDS, FAILS, UNDECIDED}
    if not outcomes or unknown:
        raise ParameterError(
            f"combined_outcome: got {outcomes}; expected one or more of {HOLDS}, {FAILS}, {UNDECIDED}."
        )
    if all(outcome == HOLDS for outcome in outcomes):
        return HOLDS
    if HOLDS in outcomes:
        return HOLDS_FOR_SOME
    return FAILS if FAILS in outcomes else UNDECIDED


# ---------------------------------------------------------------------------
# Populations and bounds
# ---------------------------------------------------------------------------

OUTSIDE_CIS = "countries outside the CIS"
EVERY_PLACE = frozenset(CIS) | {OUTSIDE_CIS}
SEASONAL_WORKERS, OTHER_WORKERS, TRANSIT_MIGRANTS, OTHER_MIGRANTS = (
    "seasonal workers",
    "other migrant workers",
    "transit migrants",
    "migrants who do not work",
)
WORKERS = frozenset({SEASONAL_WORKERS, OTHER_WORKERS})
EVERY_KIND = WORKERS | {TRANSIT_MIGRANTS, OTHER_MIGRANTS}
REGULAR, IRREGULAR = "regular migrants", "irregular migrants"
EVERY_STATUS = frozenset({REGULAR, IRREGULAR})


@dataclass(frozen=True)
class Population:
    """Who a count covers, as sets: countries of origin and destination (ISO3 codes or
    :data:`OUTSIDE_CIS`), kinds of migrant, legal statuses."""

    origins: frozenset
    destinations: frozenset
    kinds: frozenset = EVERY_KIND
    statuses: frozenset = EVERY_STATUS

    def __post_init__(self):
        for field in fields(self):
            object.__setattr__(self, field.name, frozenset(getattr(self, field.name)))

    def contains(self, other: Population) -> bool:
        return not self.missing(other)

    def missing(self, other: Population) -> dict[str, frozenset]:
        """Per field, the members of ``other`` that this population leaves out."""
        gaps = {field.name: getattr(other, field.name) - getattr(self, field.name) for field in fields(self)}
        return {name: gap for name, gap in gaps.items() if gap}


def listing(items: Iterable[str], word: str = "and") -> str:
    """'A', 'A and B', 'A, B and C' (or with ``word`` 'or'); 'none' for no item."""
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def _places(members: frozenset) -> str:
    def names(codes):
        return sorted(display_name(c) for c in codes if c != OUTSIDE_CIS) + (
            [OUTSIDE_CIS] if OUTSIDE_CIS in codes else []
        )

    if len(members) > len(EVERY_PLACE) / 2:  # shorter to name what is left out
        return f"every country but {listing(names(EVERY_PLACE - members))}"
    return listing(names(members), "or")


def describe_gaps(gaps: dict[str, frozenset]) -> str:
    """Gaps from :meth:`Population.missing` in words, e.g. 'migrants from Belarus and transit migrants'."""
    phrases = {
        "origins": lambda m: f"migrants from {_places(m)}",
        "destinations": lambda m: f"migrants in {_places(m)}",
        "kinds": lambda m: listing(sorted(m), "or"),
        "statuses": lambda m: listing(sorted(m), "or"),
    }
    return listing(phrases[name](members) for name, members in gaps.items())


@dataclass(frozen=True)
class Count:
    """A count the paper gives, as a range: low = high for a single figure, low = -inf for "up to X",
    high = inf for "over X"."""

    label: str
    low: float
    high: float
    population: Population


@dataclass(frozen=True)
class BoundReading:
    """The floor and ceiling the paper's counts put on a claim, the outcome, and what each count did."""

    floor: float  # -inf when no count floors the claim
    ceiling: float  # inf when no count caps it
    outcome: str
    floors: tuple[Count, ...]
    ceilings: tuple[Count, ...]
    context: tuple[Count, ...]  # counts that bound nothing


def bound_reading(stated_low: float, stated_high: float, claim: Population, counts: Iterable[Count]) -> BoundReading:
    """Which counts bound the claim (rule "Which counts bound a claim"), and the verdict they give."""
    counts = tuple(counts)
    floors = tuple(c for c in counts if claim.contains(c.population) and math.isfinite(c.low))
    ceilings = tuple(c for c in counts if c.population.contains(claim) and math.isfinite(c.high))
    floor = max((c.low for c in floors), default=-math.inf)
    ceiling = min((c.high for c in ceilings), default=math.inf)
    # Two counts of the paper that floor a claim above where two others cap it cannot both be right.
    outcome = (
        CONTRADICTS_ITSELF
        if floor > ceiling
        else POSITION_OUTCOME[interval_position(floor, ceiling, stated_low, stated_high)]
    )
    context = tuple(c for c in counts if c not in floors and c not in ceilings)
    return BoundReading(floor, ceiling, outcome, floors, ceilings, context)


def consistency_outcome(readings: Iterable[str], otherwise: str = UNDECIDED) -> str:
    """:data:`CONTRADICTS_ITSELF` when the paper's statements of one fact disagree, else ``otherwise``."""
    readings = set(readings)
    if not readings:
        raise ParameterError("consistency_outcome: got no reading; expected the paper's statements of one fact.")
    return CONTRADICTS_ITSELF if len(readings) > 1 else otherwise
