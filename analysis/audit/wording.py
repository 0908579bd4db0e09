"""How the audit's sentences write numbers, ranges, lists of countries and the bounds of a claim.

Every explanation of a verdict is generated from the computed numbers with these
helpers, so that the same quantity reads the same way in every sentence.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from analysis.audit import reading_rules as rules
from analysis.data.countries import display_name

listing = rules.listing

BOUND_CONCLUSIONS = {
    rules.HOLDS: "The statement holds within the paper's own bounds.",
    rules.HOLDS_FOR_SOME: "The paper's own bounds confirm it for some countries only.",
    rules.FAILS: "The paper's own bounds rule it out.",
    rules.UNDECIDED: "So the paper's own figures cannot bound it.",
}


def number_text(value) -> str:
    """A computed number as the ledger and audit.csv show it: booleans and whole numbers plain, else 4 digits."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower()
    if isinstance(value, (int, np.integer)) or float(value).is_integer():
        return str(int(value))
    return f"{float(value):.4g}"


def range_text(low: float, high: float, spec: str = "g") -> str:
    """'5–15', or one number when both ends print alike."""
    return format(low, spec) if format(low, spec) == format(high, spec) else f"{low:{spec}}–{high:{spec}}"


def country_names(codes) -> str:
    return listing(display_name(code) for code in codes)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def millions(thousands: float, high: float | None = None) -> str:
    """'5 mln' from 5000 thousand; with ``high``, a range '5.75–6.75 mln'."""

    def number(value):
        return f"{value / 1000:.2f}".rstrip("0").rstrip(".")

    return (number(thousands) if high is None else range_text(float(number(thousands)), float(number(high)))) + " mln"


def _no_bound(count: rules.Count, claim: rules.Population) -> str:
    """Why ``count`` neither caps nor floors the claim (rule "Which counts bound a claim")."""
    if claim.contains(count.population):
        return f"{count.label} lie within it but give no lower end"
    if count.population.contains(claim):
        return f"{count.label} contain it but give no upper end"
    return (
        f"{count.label} bound nothing: they leave out {rules.describe_gaps(count.population.missing(claim))}, "
        f"and they count {rules.describe_gaps(claim.missing(count.population))}"
    )


def bounds_text(reading: rules.BoundReading, claim: rules.Population, unit: Callable[[float], str]) -> str:
    """The rules "Which counts bound a claim" and "Verdict from bounds" applied, in words."""
    floor = (
        f"{listing(c.label for c in reading.floors)} floor it at {unit(reading.floor)}"
        if reading.floors
        else "no count of the paper floors it"
    )
    ceiling = (
        f"{listing(c.label for c in reading.ceilings)} cap it at {unit(reading.ceiling)}"
        if reading.ceilings
        else "none caps it"
    )
    context = "".join(f" {capitalised(_no_bound(count, claim))}." for count in reading.context)
    return f"{floor}, and {ceiling}.{context} {BOUND_CONCLUSIONS[reading.outcome]}"
