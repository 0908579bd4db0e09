"""Checks that recompute a statement from the figures the paper prints: its text and Table 1.

Each check takes a :class:`~analysis.audit.claim.Claim` of the ledger and the
:class:`~analysis.audit.inputs.Inputs`, and returns a :class:`~analysis.audit.claim.Verdict`.
"""

from __future__ import annotations

import math

from analysis.audit import reading_rules as rules
from analysis.audit.claim import CheckRegistry, Claim, Verdict
from analysis.audit.inputs import Inputs
from analysis.audit.reading_rules import FLOAT_SLACK
from analysis.audit.statuses import DOES_NOT_HOLD, OUTCOME_STATUS, PARTLY, REPRODUCED, WITHIN_ROUNDING
from analysis.audit.table2 import russia_share_of_table2
from analysis.data import statements
from analysis.data.countries import display_name
from analysis.errors import DataValidationError

CHECKS = CheckRegistry()

# The paper never gives the year of the USSR's dissolution (December 1991); its
# "1.5 decades" and "15 years" are counted from there.
USSR_DISSOLUTION_YEAR = 1991
SURVEY_PEOPLE = ("KGZ", "Kyrgyz")  # the surveyed firms created workplaces "for other Kyrgyz people" (line 393)


@CHECKS.add
def years_since_independence(claim: Claim, inputs: Inputs) -> Verdict:
    stated = claim.values["years"] if "years" in claim.values else claim.value("decades") * 10
    elapsed = claim.year() - USSR_DISSOLUTION_YEAR
    # Half a unit of the printed precision (0.05 decades, or half a year) is rounding.
    status = REPRODUCED if stated == elapsed else WITHIN_ROUNDING if abs(stated - elapsed) <= 0.5 else DOES_NOT_HOLD
    return Verdict(
        status,
        {"stated_years": stated, "elapsed_years": elapsed},
        f"From the USSR's dissolution in {USSR_DISSOLUTION_YEAR} to {claim.year()}, the paper's year, "
        f"is {elapsed} years; the text says {stated:g} years.",
    )


@CHECKS.add
def dramatic_disparities(claim: Claim, inputs: Inputs) -> Verdict:
    t1 = inputs.table1
    gdp = t1["gdp_per_capita_usd"].astype(float)
    poverty = t1["poverty_below_2usd_day_pct"].astype(float)
    ratio = gdp.max() / gdp.min()
    status = REPRODUCED if ratio >= inputs.settings.disparity_ratio else DOES_NOT_HOLD
    return Verdict(
        status,
        {
            "gdp_pc_max": gdp.max(),
            "gdp_pc_min": gdp.min(),
            "gdp_pc_ratio": ratio,
            "poverty_max": poverty.max(),
            "poverty_min": poverty.min(),
        },
        f"Table 1's GDP per capita runs from {gdp.min():,.1f} US$ ({display_name(gdp.idxmin())}) to "
        f"{gdp.max():,.1f} US$ ({display_name(gdp.idxmax())}), a ratio of {ratio:.1f} against the "
        f"{inputs.settings.disparity_ratio:g} the audit takes as dramatic, and the share below 2 US$ a day "
        f"from {poverty.min():.0f}% to {poverty.max():.0f}%.",
    )


@CHECKS.add
def russia_largest_destination(claim: Claim, inputs: Inputs) -> Verdict:
    russia, ukraine = claim.value("russia"), claim.value("ukraine")
    return Verdict(
        REPRODUCED if russia > ukraine else DOES_NOT_HOLD,
        {"russia": russia, "ukraine": ukraine, "ratio": russia / ukraine},
        f"Of the two CIS states the UN figures name, Russia's {russia:g} mln immigrants are "
        f"{russia / ukraine:.2f} times Ukraine's {ukraine:g} mln.",
    )


@CHECKS.add
def un_ranking_order(claim: Claim, inputs: Inputs) -> Verdict:
    stocks = {
        "USA": claim.value("usa"),
        "Russia": claim.value("russia"),
        "Germany": claim.value("germany"),
        "Ukraine": claim.value("ukraine"),
    }
    order = sorted(stocks, key=stocks.get, reverse=True)
    rank_russia, rank_ukraine = order.index("Russia") + 1, order.index("Ukraine") + 1
    ok = rank_russia == claim.value("rank_russia") and rank_ukraine == claim.value("rank_ukraine")
    return Verdict(
        REPRODUCED if ok else DOES_NOT_HOLD,
        {"rank_russia": rank_russia, "rank_ukraine": rank_ukraine},
        f"Sorting the four printed stocks gives {', '.join(f'{c} {stocks[c]:g}' for c in order)} mln, so "
        f"Russia ranks {rank_russia} and Ukraine {rank_ukraine} among them, as the text says.",
    )


# Reading rule for "one of the world biggest migration systems" (line 49): the system must outrank at least
# one non-CIS destination among the world's four largest that the paper prints. The paper backs the
# statement with those four UN stocks only, and Russia's plus Ukraine's stocks are a lower bound of the system's.
@CHECKS.add
def eurasian_system_among_biggest(claim: Claim, inputs: Inputs) -> Verdict:
    system = claim.value("russia") + claim.value("ukraine")
    others = {"the USA": claim.value("usa"), "Germany": claim.value("germany")}
    outranked = [name for name, stock in others.items() if system > stock]
    return Verdict(
        REPRODUCED if outranked else DOES_NOT_HOLD,
        {
            "russia_plus_ukraine": system,
            "usa": others["the USA"],
            "germany": others["Germany"],
            "outranked": len(outranked),
        },
        f"By the UN stocks the paper prints, Russia and Ukraine alone hold {system:g} mln international "
        f"migrants, against {others['the USA']:g} mln in the USA and {others['Germany']:g} mln in Germany, "
        f"the other two of the world's four largest; the system outranks "
        f"{' and '.join(outranked) if outranked else 'neither'}.",
    )


@CHECKS.add
def russia_better_off(claim: Claim, inputs: Inputs) -> Verdict:
    t1 = inputs.table1
    gdp, poverty = t1["gdp_per_capita_usd"].astype(float), t1["poverty_below_2usd_day_pct"].astype(float)
    others = t1.index != "RUS"
    richer = int((gdp[others] < gdp["RUS"]).sum())
    less_poor = int((poverty[others] > poverty["RUS"]).sum())
    n = int(others.sum())
    status = (
        REPRODUCED
        if richer > n / 2 and less_poor > n / 2
        else (PARTLY if richer > n / 2 or less_poor > n / 2 else DOES_NOT_HOLD)
    )
    return Verdict(
        status,
        {"gdp_pc_below_russia": richer, "poverty_above_russia": less_poor, "others": n},
        f"In Table 1, {richer} of the other {n} CIS states have a lower GDP per capita than Russia's "
        f"{gdp['RUS']:,.1f} US$ and {less_poor} a higher share below 2 US$ a day than Russia's "
        f"{poverty['RUS']:.0f}%; the table dates from the mid-2000s, not the 1990s.",
    )


@CHECKS.add
def sevenfold_increase(claim: Claim, inputs: Inputs) -> Verdict:
    ratio = claim.value("to") / claim.value("from")
    factor = claim.value("factor")
    status = (
        REPRODUCED
        if abs(ratio - factor) <= FLOAT_SLACK
        else (WITHIN_ROUNDING if abs(ratio - factor) <= 0.5 else DOES_NOT_HOLD)
    )
    return Verdict(
        status,
        {"ratio": ratio, "stated_factor": factor},
        f"{claim.value('to'):g} / {claim.value('from'):g} billion US$ = {ratio:.2f}, against the stated "
        f"{factor:g} times.",
    )


@CHECKS.add
def remittances_increased(claim: Claim, inputs: Inputs) -> Verdict:
    start, end, factor = claim.value("from"), claim.value("to"), claim.value("kazakhstan_factor_low")
    russia = end / start
    status = REPRODUCED if russia > 1 and factor > 1 else DOES_NOT_HOLD
    return Verdict(
        status,
        {"russia_ratio": russia, "kazakhstan_factor_low": factor},
        f"The paper's own figures for the 2000s show growth: remittances from Russia to the CIS rose "
        f"{russia:.1f}-fold from {start:g} to {end:g} billion US$ (1999-2004), and Kazakhstan's grew at "
        f"least {factor:g} times a year (2000-2005).",
    )


@CHECKS.add
def russia_main_source(claim: Claim, inputs: Inputs) -> Verdict:
    russia, kazakhstan = claim.value("russia_official"), claim.value("kazakhstan_official")
    # Russia's official transfers to CIS states floor its outflow; Kazakhstan's "over" figure floors its own
    # and nothing caps it, so the gap between the two has no lower bound.
    kazakhstan_ceiling = math.inf
    gap_floor = russia - kazakhstan_ceiling
    outcome = rules.POSITION_OUTCOME[rules.interval_position(gap_floor, math.inf, FLOAT_SLACK, math.inf)]
    _, shares = russia_share_of_table2(inputs)
    share = shares[inputs.settings.range_reading]
    return Verdict(
        OUTCOME_STATUS[outcome],
        {
            "russia_official": russia,
            "kazakhstan_official": kazakhstan,
            "kazakhstan_ceiling": kazakhstan_ceiling,
            "russia_share_of_migrant_workers_mid_pct": share.point,
        },
        f"Russia's official {russia:g} billion US$ to CIS states (2004) and Kazakhstan's 'over "
        f"{kazakhstan:g} billion' (2005) are both floors, of different years; no figure caps Kazakhstan's "
        "outflow, and the paper quantifies no other source country, so the paper's own figures cannot "
        f"rank the sources. Table 2 puts {share.point:.0f}% ({share.low:.0f}–{share.high:.0f}%) of its "
        "sending states' migrant workers in Russia, which counts people, not money.",
    )


@CHECKS.add
def survey_place_consistency(claim: Claim, inputs: Inputs) -> Verdict:
    findings = inputs.survey_findings
    rows = findings[(findings["kind"] == "finding") & (findings["paper_line"] == claim.paper_line)]
    key = next(iter(claim.values), None)
    if len(rows) != 1 or key is None or float(rows["value"].iloc[0]) != claim.value(key):
        raise DataValidationError(
            f"{claim.where}: check {claim.check!r} needs one finding on paper line {claim.paper_line} in "
            f"{statements.SURVEY} with the ledger's value ({dict(claim.values)}); found {len(rows)} row(s) "
            f"with value(s) {rows['value'].tolist()}. Make the ledger row and the transcription agree."
        )
    placed, (people, demonym) = str(rows["iso3"].iloc[0]), SURVEY_PEOPLE
    outcome = rules.consistency_outcome([placed, people])
    return Verdict(
        OUTCOME_STATUS[outcome],
        dict(claim.values) | {"place_matches_people": placed == people},
        f"The figure comes from a survey the paper places in {display_name(placed)}, while the same "
        f"sentence has the firms create workplaces for 'other {demonym} people' (line 393), which makes "
        f"owners and workers people of {display_name(people)}; "
        + (
            "as printed, the two cannot both describe the surveyed firms, and the paper gives nothing to "
            "choose between them."
            if outcome == rules.CONTRADICTS_ITSELF
            else "the two agree, and no table or other figure of the paper allows a recomputation."
        ),
    )
