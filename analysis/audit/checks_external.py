"""Checks against pinned public data: the World Bank's WDI 2025 and population, and UN DESA's stocks.

Every check here reports the status "checked against external data", and its sentence
says how the paper's figure compares; the files are read through
:class:`~analysis.audit.inputs.Inputs` only, sha256-verified.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.audit.claim import CheckRegistry, Claim, Verdict
from analysis.audit.inputs import Inputs
from analysis.audit.statuses import EXTERNAL
from analysis.audit.table3 import table3_denominators
from analysis.audit.wording import country_names
from analysis.errors import DataValidationError

CHECKS = CheckRegistry()

# Country lists as the paper prints them (line numbers of the text).
CENTRAL_ASIA = ("KAZ", "KGZ", "TJK", "TKM", "UZB")  # "the Central Asian states" (line 21)
TRANSCAUCASIA = ("ARM", "AZE", "GEO")  # "Transcaucasia" (line 21)
POPULATION_DECLINE = ("RUS", "UKR")  # "rapid population decline in Russia and Ukraine" (line 20)


def _population_label() -> str:
    """The population series' name in the verdicts, from data/external/series.csv."""
    from analysis.data.external.panel_data import POPULATION_WB
    from analysis.data.external.series import short_label

    return short_label("population", POPULATION_WB)


def _population(inputs: Inputs, code: str, year: int) -> float:
    value = float(inputs.population.get((code, year), math.nan))
    if not math.isfinite(value):
        raise DataValidationError(
            f"{_population_label()}: no value for {code} in {year}; the audit needs it. "
            "Check that the pinned population.csv is in the data cache."
        )
    return value


def _growth(inputs: Inputs, code: str) -> float:
    start, end = inputs.settings.demography_start, inputs.settings.demography_end
    first, last = _population(inputs, code, start), _population(inputs, code, end)
    return ((last / first) ** (1 / (end - start)) - 1) * 100


@CHECKS.add
def demographic_contrast(claim: Claim, inputs: Inputs) -> Verdict:
    start, end = inputs.settings.demography_start, inputs.settings.demography_end
    rates = {code: _growth(inputs, code) for code in POPULATION_DECLINE + CENTRAL_ASIA + TRANSCAUCASIA}
    declining = [c for c in POPULATION_DECLINE if rates[c] < 0]
    growing_ca = [c for c in CENTRAL_ASIA if rates[c] > 0]
    growing_tc = [c for c in TRANSCAUCASIA if rates[c] > 0]
    shrinking_tc = [c for c in TRANSCAUCASIA if rates[c] <= 0]
    return Verdict(
        EXTERNAL,
        {f"growth_pct_{c}": round(r, 3) for c, r in rates.items()},
        f"By the {_population_label()}, in {start}-{end} Russia changed by {rates['RUS']:+.2f}% and "
        f"Ukraine by {rates['UKR']:+.2f}% a year ({len(declining)} of 2 declining), "
        f"{len(growing_ca)} of {len(CENTRAL_ASIA)} Central Asian states grew "
        f"({min(rates[c] for c in CENTRAL_ASIA):+.2f}% to {max(rates[c] for c in CENTRAL_ASIA):+.2f}%), "
        f"and in Transcaucasia {country_names(growing_tc)} grew while {country_names(shrinking_tc)} "
        "shrank.",
    )


@CHECKS.add
def un_stocks_external(claim: Claim, inputs: Inputs) -> Verdict:
    printed = {
        "USA": claim.value("usa"),
        "RUS": claim.value("russia"),
        "DEU": claim.value("germany"),
        "UKR": claim.value("ukraine"),
    }
    numbers, parts = {}, []
    for edition, totals in inputs.undesa_totals_2005.items():
        ranks = totals.rank(ascending=False, method="min")
        tag = edition.split()[-1]
        values = {code: totals[code] / 1e6 for code in printed}
        numbers.update({f"{code}_{tag}": round(v, 2) for code, v in values.items()})
        numbers.update({f"rank_RUS_{tag}": int(ranks["RUS"]), f"rank_UKR_{tag}": int(ranks["UKR"])})
        parts.append(
            f"{edition} gives USA {values['USA']:.1f}, Russia {values['RUS']:.1f}, Germany "
            f"{values['DEU']:.1f} and Ukraine {values['UKR']:.1f} mln (Russia rank {int(ranks['RUS'])}, "
            f"Ukraine rank {int(ranks['UKR'])})"
        )
    return Verdict(
        EXTERNAL,
        numbers,
        f"For 2005, {'; '.join(parts)}, against the printed "
        f"{', '.join(f'{v:g}' for v in printed.values())} mln with Russia second and Ukraine fourth.",
    )


@CHECKS.add
def kazakhstan_population_loss(claim: Claim, inputs: Inputs) -> Verdict:
    population = pd.Series({year: _population(inputs, "KAZ", year) for year in range(1990, 2006)})
    peak_year = int(population.loc[1990:1995].idxmax())
    trough_year = int(population.loc[peak_year:2005].idxmin())
    loss = (1 - population[trough_year] / population[peak_year]) * 100
    return Verdict(
        EXTERNAL,
        {
            "peak_year": peak_year,
            "trough_year": trough_year,
            "net_loss_pct": round(loss, 2),
            "stated_pct": claim.value("loss"),
        },
        f"The {_population_label()} of Kazakhstan fell from {population[peak_year] / 1e6:.2f} mln "
        f"({peak_year}) to {population[trough_year] / 1e6:.2f} mln ({trough_year}), a net loss of "
        f"{loss:.1f}% against the stated {claim.value('loss'):g}%; gross emigration exceeds the net loss "
        "by the natural increase, which these figures do not separate.",
    )


@CHECKS.add
def russia_outflows_external(claim: Claim, inputs: Inputs) -> Verdict:
    first, last = (inputs.wdi_value("remittances_paid_usd", "RUS", year) / 1e9 for year in (1999, 2004))
    comparison = (
        "the 1999 CIS figure exceeds the all-country total, so the two series measure different flows"
        if claim.value("from") > first
        else "the CIS figures lie below the all-country totals"
    )
    return Verdict(
        EXTERNAL,
        {"wdi_paid_1999": round(first, 3), "wdi_paid_2004": round(last, 3), "wdi_ratio": round(last / first, 2)},
        f"WDI 2025 personal remittances paid by Russia to all countries were {first:.2f} billion US$ in "
        f"1999 and {last:.2f} in 2004 (ratio {last / first:.1f}), against the Central Bank's "
        f"{claim.value('from'):g} and {claim.value('to'):g} to CIS states alone; {comparison}.",
    )


def _kazakhstan_paid(inputs: Inputs) -> pd.Series:
    return pd.Series({year: inputs.wdi_value("remittances_paid_usd", "KAZ", year) / 1e9 for year in range(2000, 2006)})


@CHECKS.add
def kazakhstan_growth_external(claim: Claim, inputs: Inputs) -> Verdict:
    paid = _kazakhstan_paid(inputs)
    factors = (paid / paid.shift(1)).dropna()
    low, high = claim.value("low"), claim.value("high")
    inside = factors.between(low, high)
    return Verdict(
        EXTERNAL,
        {f"factor_{year}": round(f, 2) for year, f in factors.items()} | {"years_in_range": int(inside.sum())},
        f"WDI 2025 personal remittances paid by Kazakhstan grew by factors of {factors.min():.2f} to "
        f"{factors.max():.2f} a year in 2001-2005, {int(inside.sum())} of {len(factors)} years within the "
        f"stated {low:g}-{high:g}.",
    )


@CHECKS.add
def kazakhstan_level_external(claim: Claim, inputs: Inputs) -> Verdict:
    level = _kazakhstan_paid(inputs)[2005]
    return Verdict(
        EXTERNAL,
        {"wdi_paid_2005": round(level, 3), "stated": claim.value("level")},
        f"WDI 2025 gives {level:.2f} billion US$ of personal remittances paid by Kazakhstan in 2005, "
        f"{'above' if level > claim.value('level') else 'not above'} the stated {claim.value('level'):g} "
        "billion.",
    )


@CHECKS.add
def fms_outflows_external(claim: Claim, inputs: Inputs) -> Verdict:
    paid = {year: inputs.wdi_value("remittances_paid_usd", "RUS", year) / 1e9 for year in (2005, 2006)}
    low, high = claim.value("low"), claim.value("high")
    span = "between them" if min(paid.values()) <= low and high <= max(paid.values()) else "outside that span"
    return Verdict(
        EXTERNAL,
        {f"wdi_paid_{y}": round(v, 2) for y, v in paid.items()},
        f"WDI 2025 gives personal remittances paid by Russia of {paid[2005]:.2f} billion US$ in 2005 and "
        f"{paid[2006]:.2f} in 2006; the stated {low:g}-{high:g} billion lies {span}.",
    )


@CHECKS.add
def table3_oda_denominator_external(claim: Claim, inputs: Inputs) -> Verdict:
    frame = table3_denominators(inputs=inputs, column="oda_2002")
    explained = frame[frame["explained_by_2002"]]
    unexplained = frame[~frame["explained_by_2002"]]
    years = frame["closest_wdi_year"].value_counts()
    median_gap = float((frame["implied_to_wdi_2002"] - 1).abs().median() * 100)
    return Verdict(
        EXTERNAL,
        {
            "explained_by_gdp_2002": len(explained),
            "countries": len(frame),
            "median_gap_pct": round(median_gap, 2),
            "closest_year_mode": int(years.idxmax()),
        },
        f"The GDP implied by the printed ODA shares is {frame['implied_to_printed_2003'].min():.0%}-"
        f"{frame['implied_to_printed_2003'].max():.0%} of the printed GDP 2003, and within "
        f"{inputs.settings.gdp_revision_tolerance:.0%} of WDI 2025's GDP 2002 for {len(explained)} of "
        f"{len(frame)} countries (not {country_names(unexplained['iso3'])}); WDI's closest year is "
        f"{int(years.idxmax())} for {int(years.max())} of {len(frame)}.",
    )
