"""Checks of the paper's counts of migrants: Table 2's ranges, and the text's counts bounded by rule.

A count bounds a claim only when it covers the same people (the rule "Which counts
bound a claim" of :mod:`analysis.audit.reading_rules`); the "70-90%" and "about half"
statements are read against Table 2 by :mod:`analysis.audit.table2`.
"""

from __future__ import annotations

import math

from analysis.audit import reading_rules as rules
from analysis.audit.claim import CheckRegistry, Claim, Verdict
from analysis.audit.inputs import Inputs
from analysis.audit.reading_rules import FLOAT_SLACK
from analysis.audit.statuses import DOES_NOT_HOLD, NOT_CHECKABLE, OUTCOME_STATUS, REPRODUCED
from analysis.audit.table2 import (
    band_verdict,
    other_reading,
    russia_share_of_table2,
    table2_bands,
    table2_population,
    table2_russia_shares,
    table2_sums,
)
from analysis.audit.wording import BOUND_CONCLUSIONS, bounds_text, country_names, millions, range_text
from analysis.data.countries import CIS

CHECKS = CheckRegistry()

KAZAKHSTAN_SENDERS = ("KGZ", "TJK", "UZB")  # seasonal migrants to Kazakhstan (line 149)
SEASONAL_TO_RUSSIA = ("TJK", "KGZ", "MDA", "UZB")  # "Tajik, Kyrgyz, Moldavian or Uzbek" (line 196)
# Who the paper's statements count, for the rule "Which counts bound a claim".
IRREGULAR_IN_CIS = rules.Population(rules.EVERY_PLACE, CIS, statuses={rules.IRREGULAR})  # line 110
MAJORITY_ABOVE_PCT = 50.0  # "the major receiving country": more than half


@CHECKS.add
def irregular_total(claim: Claim, inputs: Inputs) -> Verdict:
    low, high = claim.value("low"), claim.value("high")
    sums = table2_sums(inputs)
    kazakhstan, ukraine = claim.value("kazakhstan"), claim.value("ukraine_transit")
    table2 = rules.Count(
        f"Table 2's {millions(sums['abroad_low'], sums['abroad_high'])} migrant workers abroad "
        f"from its {sums['senders']} sending states",
        sums["abroad_low"],
        sums["abroad_high"],
        table2_population(sums["origins"]),
    )
    parts = [
        rules.Count(
            f"the 'up to {millions(kazakhstan)}' seasonal workers in Kazakhstan",
            -math.inf,
            kazakhstan,
            rules.Population(rules.EVERY_PLACE, {"KAZ"}, {rules.SEASONAL_WORKERS}, {rules.IRREGULAR}),
        ),
        rules.Count(
            f"the 'about {millions(ukraine)}' transit migrants in Ukraine",
            ukraine,
            ukraine,
            rules.Population(rules.EVERY_PLACE, {"UKR"}, {rules.TRANSIT_MIGRANTS}, {rules.IRREGULAR}),
        ),
    ]
    reading = rules.bound_reading(low, high, IRREGULAR_IN_CIS, [table2, *parts])
    return Verdict(
        OUTCOME_STATUS[reading.outcome],
        {
            "floor": reading.floor,
            "ceiling": reading.ceiling,
            "table2_abroad_low": sums["abroad_low"],
            "table2_abroad_high": sums["abroad_high"],
            "kazakhstan": kazakhstan,
            "ukraine_transit": ukraine,
        },
        f"For the {millions(low, high)} irregular migrants in the CIS region: "
        + bounds_text(reading, IRREGULAR_IN_CIS, millions),
    )


@CHECKS.add
def irregular_mostly_in_russia(claim: Claim, inputs: Inputs) -> Verdict:
    low, high = claim.value("low"), claim.value("high")
    sums = table2_sums(inputs)
    in_russia = rules.Population(rules.EVERY_PLACE, {"RUS"}, statuses={rules.IRREGULAR})
    table2 = rules.Count(
        f"Table 2's {millions(sums['russia_low'], sums['russia_high'])} migrant workers in "
        f"Russia from its {sums['senders']} sending states",
        sums["russia_low"],
        sums["russia_high"],
        table2_population(sums["origins"], {"RUS"}),
    )
    # "most" of 5 to 15 million: more than half of the lower estimate, at most the upper.
    reading = rules.bound_reading(low / 2, high, in_russia, [table2])
    return Verdict(
        OUTCOME_STATUS[reading.outcome],
        {
            "needed_in_russia": low / 2,
            "table2_russia_low": sums["russia_low"],
            "table2_russia_high": sums["russia_high"],
        },
        f"'Most' of {millions(low, high)} needs more than {millions(low / 2)} irregular migrants in Russia, "
        "and the paper gives no count of them: " + bounds_text(reading, in_russia, millions),
    )


@CHECKS.add
def kazakhstan_seasonal(claim: Claim, inputs: Inputs) -> Verdict:
    stated = claim.value("kazakhstan")
    t2 = inputs.table2.loc[list(KAZAKHSTAN_SENDERS)]
    left = [
        rules.range_difference(
            r.abroad_low_thousands,
            r.abroad_high_thousands,
            r.in_russia_low_thousands,
            r.in_russia_high_thousands,
            inputs.settings.range_reading,
        )
        for r in t2.itertuples()
    ]
    least, most = sum(low for low, _ in left), sum(high for _, high in left)
    seasonal = rules.Population(rules.EVERY_PLACE, {"KAZ"}, {rules.SEASONAL_WORKERS}, {rules.IRREGULAR})
    table2 = rules.Count(
        f"Table 2's {range_text(least, most, '.0f')} thousand migrant workers from "
        f"{country_names(KAZAKHSTAN_SENDERS)} outside Russia ({inputs.settings.range_reading} "
        "reading)",
        least,
        most,
        table2_population(KAZAKHSTAN_SENDERS, rules.EVERY_PLACE - {"RUS"}),
    )
    reading = rules.bound_reading(-math.inf, stated, seasonal, [table2])
    return Verdict(
        OUTCOME_STATUS[reading.outcome],
        {"table2_outside_russia_low": least, "table2_outside_russia_high": most, "stated": stated},
        f"The paper names {country_names(KAZAKHSTAN_SENDERS)} as origins of Kazakhstan's seasonal workers "
        f"(line 149), but not as the only ones. For the 'up to {millions(stated)}': "
        + bounds_text(reading, seasonal, millions),
    )


@CHECKS.add
def table2_russia_within_abroad(claim: Claim, inputs: Inputs) -> Verdict:
    t2 = inputs.table2[inputs.table2["in_russia_low_thousands"].notna()]
    fits = t2["in_russia_high_thousands"] <= t2["abroad_high_thousands"]
    fits_low = t2["in_russia_low_thousands"] <= t2["abroad_low_thousands"]
    equal = t2.index[
        (t2["in_russia_low_thousands"] == t2["abroad_low_thousands"])
        & (t2["in_russia_high_thousands"] == t2["abroad_high_thousands"])
    ]
    ok = bool(fits.all() and fits_low.all())
    return Verdict(
        REPRODUCED if ok else DOES_NOT_HOLD,
        {"countries": len(t2), "russia_within_abroad": int((fits & fits_low).sum()), "identical_ranges": len(equal)},
        f"For {int((fits & fits_low).sum())} of {len(t2)} countries the range in Russia lies within the "
        f"range abroad; for {country_names(equal)} the two ranges are identical, so all of them may be in "
        "Russia.",
    )


@CHECKS.add
def central_asia_caucasus_share(claim: Claim, inputs: Inputs) -> Verdict:
    frame = table2_russia_shares(table2_bands(claim, None, inputs.settings), inputs)
    return band_verdict(frame, f"{claim.value('low'):g}-{claim.value('high'):g}%", inputs.settings.range_reading)


@CHECKS.add
def moldova_ukraine_half(claim: Claim, inputs: Inputs) -> Verdict:
    frame = table2_russia_shares(table2_bands(None, claim, inputs.settings), inputs)
    band = f"'about half' (read as {frame.band_low.iloc[0]:g}-{frame.band_high.iloc[0]:g}%)"
    return band_verdict(frame, band, inputs.settings.range_reading)


@CHECKS.add
def russia_major_receiver(claim: Claim, inputs: Inputs) -> Verdict:
    s, shares = russia_share_of_table2(inputs)
    reading = inputs.settings.range_reading
    share, other = shares[reading], shares[other_reading(reading)]
    # A holder of more than half of a population receives more of it than any other; at half or less,
    # Table 2 does not say how the rest is split among the other destinations.
    majority = rules.deciding_position(share, MAJORITY_ABOVE_PCT + FLOAT_SLACK, 100.0, reading) == rules.INSIDE
    return Verdict(
        REPRODUCED if majority else NOT_CHECKABLE,
        {
            "share_mid_pct": share.point,
            "share_low_pct": share.low,
            "share_high_pct": share.high,
            f"{other_reading(reading)}_low_pct": other.low,
            f"{other_reading(reading)}_high_pct": other.high,
        },
        f"Of the {millions(s['abroad_low'], s['abroad_high'])} migrant workers abroad from Table 2's "
        f"{s['senders']} sending states, {millions(s['russia_low'], s['russia_high'])} are in Russia: "
        f"{share.point:.0f}% at the midpoints, {share.low:.0f}–{share.high:.0f}% under the {reading} "
        "reading "
        f"and {other.low:.0f}–{other.high:.0f}% under the {other_reading(reading)} one. "
        + f"Russia thus holds {'more' if majority else 'no more'} than half of the region's labour "
        "migrants as Table 2 counts them, so "
        + ("no other destination receives as many of them." if majority else "Table 2 cannot rank the destinations."),
    )


@CHECKS.add
def russia_also_sender(claim: Claim, inputs: Inputs) -> Verdict:
    t2 = inputs.table2
    high = t2["abroad_high_thousands"].astype(float)
    low = t2["abroad_low_thousands"].astype(float)
    rank = int(high.rank(ascending=False, method="min")["RUS"])
    status = REPRODUCED if low["RUS"] > 0 else DOES_NOT_HOLD
    return Verdict(
        status,
        {"russia_abroad_low": low["RUS"], "russia_abroad_high": high["RUS"], "rank_by_high": rank},
        f"Table 2 lists {low['RUS'] / 1000:g}–{high['RUS'] / 1000:g} mln Russian migrant workers abroad, "
        f"rank {rank} of {len(t2)} countries by the upper bound.",
    )


@CHECKS.add
def hundreds_of_thousands_in_russia(claim: Claim, inputs: Inputs) -> Verdict:
    t2 = inputs.table2.loc[list(SEASONAL_TO_RUSSIA)]
    low, high = claim.value("low"), claim.value("high")
    readings = {
        code: rules.bound_reading(
            low,
            high,
            rules.Population({code}, {"RUS"}, {rules.SEASONAL_WORKERS}),
            [
                rules.Count(
                    "Table 2",
                    row.in_russia_low_thousands,
                    row.in_russia_high_thousands,
                    table2_population({code}, {"RUS"}),
                )
            ],
        )
        for code, row in t2.iterrows()
    }
    outcome = rules.combined_outcome(r.outcome for r in readings.values())
    capped = [code for code, r in readings.items() if r.ceiling <= high]
    floored = [code for code, r in readings.items() if r.floors]
    counts = ", ".join(
        f"{r.country} {range_text(r.in_russia_low_thousands, r.in_russia_high_thousands)}" for r in t2.itertuples()
    )
    return Verdict(
        OUTCOME_STATUS[outcome],
        {"countries": len(t2), "capped_below_high": len(capped), "floored": len(floored)},
        f"Table 2 puts {counts} thousand migrant workers (of every kind) in Russia. Those counts include "
        f"the seasonal workers, so they cap them within 'hundreds of thousands' (up to {high:g} thousand) "
        f"for {country_names(capped)}; but the paper gives no count of seasonal workers, and nothing "
        f"floors them at {low:g} thousand. {BOUND_CONCLUSIONS[outcome]}",
    )


@CHECKS.add
def multi_million_irregular(claim: Claim, inputs: Inputs) -> Verdict:
    reading_low, estimate = claim.value("low"), claim.value("estimate_low")
    own = rules.Count(
        "the irregular migrants of the paper's own estimate (line 110), the same population,",
        estimate,
        math.inf,
        IRREGULAR_IN_CIS,
    )
    reading = rules.bound_reading(reading_low, math.inf, IRREGULAR_IN_CIS, [own])
    return Verdict(
        OUTCOME_STATUS[reading.outcome],
        {"estimate_low": estimate, "reading": reading_low},
        f"'Multi-million' needs at least {millions(reading_low)} irregular migrants and has no upper end: "
        + bounds_text(reading, IRREGULAR_IN_CIS, millions),
    )


@CHECKS.add
def transit_thousands(claim: Claim, inputs: Inputs) -> Verdict:
    reading_low, stated = claim.value("low"), claim.value("transit")
    stuck = rules.Population(rules.EVERY_PLACE, CIS, {rules.TRANSIT_MIGRANTS})
    # Line 159: transit migrants from Asian and African countries, stranded in Russia and Ukraine.
    stranded = rules.Count(
        f"the 'over {stated:g} thousand' transit migrants stranded in Russia and Ukraine (line 159)",
        stated,
        math.inf,
        rules.Population({rules.OUTSIDE_CIS}, {"RUS", "UKR"}, {rules.TRANSIT_MIGRANTS}),
    )
    reading = rules.bound_reading(reading_low, math.inf, stuck, [stranded])
    return Verdict(
        OUTCOME_STATUS[reading.outcome],
        {"transit": stated, "reading": reading_low},
        f"'Thousands' of migrants stuck in transit countries needs at least {reading_low:g} thousand and "
        "has no upper end: " + bounds_text(reading, stuck, lambda value: f"{value:g} thousand"),
    )
