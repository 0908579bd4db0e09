"""Checks of who belongs to what: the CIS of footnote 1, and the groupings the paper lists by name."""

from __future__ import annotations

from analysis.audit.claim import CheckRegistry, Claim, Verdict
from analysis.audit.inputs import Inputs
from analysis.audit.statuses import DOES_NOT_HOLD, REPRODUCED
from analysis.audit.wording import country_names
from analysis.data.countries import BALTIC, CIS, iso3

CHECKS = CheckRegistry()

# Members as the paper prints them (line numbers of the text).
EURASEC = ("BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB")  # lines 440-441
GUAM_AS_PRINTED = ("Georgia", "Ukraine", "Azerbaijan", "Moldova")  # lines 441-442
VISA_FREE = ("BLR", "KAZ", "KGZ", "RUS", "TJK")  # lines 452-453
COMMON_ECONOMIC_SPACE = ("BLR", "KAZ", "RUS", "UKR")  # line 496


@CHECKS.add
def cis_members(claim: Claim, inputs: Inputs) -> Verdict:
    table1 = set(inputs.table1.index)
    others = set(inputs.table2.index) | set(inputs.table3.index)
    same = table1 == set(CIS)
    checks = {
        "footnote_members": len(CIS),
        "table1_countries": len(table1),
        "baltic": len(BALTIC),
        "table1_equals_footnote": same,
        "tables_within_cis": others <= set(CIS),
        "baltic_outside_cis": not (set(BALTIC) & set(CIS)),
    }
    ok = (
        same
        and others <= set(CIS)
        and not (set(BALTIC) & set(CIS))
        and len(CIS) == claim.value("members")
        and len(BALTIC) == claim.value("baltic")
    )
    return Verdict(
        REPRODUCED if ok else DOES_NOT_HOLD,
        checks,
        f"The footnote names {len(CIS)} CIS members and {len(BALTIC)} Baltic states outside it; Table 1 "
        f"lists {len(table1)} countries, {'exactly' if same else 'not'} the footnote's members, and "
        f"Tables 2 and 3 name {'no' if others <= set(CIS) else 'some'} country outside them.",
    )


def _membership(claim: Claim, listed: tuple[str, ...], within: tuple[str, ...], within_name: str) -> Verdict:
    inside = set(listed) <= set(within)
    count_ok = len(listed) == claim.value("members")
    outside = sorted(set(within) - set(listed))
    return Verdict(
        REPRODUCED if inside and count_ok else DOES_NOT_HOLD,
        {"listed": len(listed), "stated": claim.value("members"), "all_within": inside},
        f"The paper lists {len(listed)} states ({country_names(listed)}), "
        f"{'all' if inside else 'not all'} of them members of {within_name}; "
        f"members of {within_name} not listed: {country_names(outside)}.",
    )


@CHECKS.add
def eurasec_members(claim: Claim, inputs: Inputs) -> Verdict:
    return _membership(claim, EURASEC, CIS, "the CIS of footnote 1")


@CHECKS.add
def guam_members(claim: Claim, inputs: Inputs) -> Verdict:
    initials = "".join(name[0] for name in GUAM_AS_PRINTED)
    codes = tuple(iso3(name) for name in GUAM_AS_PRINTED)
    verdict = _membership(claim, codes, CIS, "the CIS of footnote 1")
    ok = verdict.status == REPRODUCED and initials == "GUAM"
    return Verdict(
        REPRODUCED if ok else DOES_NOT_HOLD,
        verdict.numbers | {"initials_spell_guam": initials == "GUAM"},
        f"The {len(codes)} members as printed ({', '.join(GUAM_AS_PRINTED)}) have the initials {initials}, "
        f"and all are CIS members of footnote 1.",
    )


@CHECKS.add
def visa_free_members(claim: Claim, inputs: Inputs) -> Verdict:
    return _membership(claim, VISA_FREE, EURASEC, "the EurAsEC of line 440")


@CHECKS.add
def common_economic_space_members(claim: Claim, inputs: Inputs) -> Verdict:
    return _membership(claim, COMMON_ECONOMIC_SPACE, CIS, "the CIS of footnote 1")
