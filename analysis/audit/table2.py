"""Table 2: the share of migrant workers abroad who are in Russia, read from its two ranges.

The text puts that share at "70-90%" for the Central Asian and Caucasus states and at
"about half" for Moldova and Ukraine. :func:`table2_russia_shares` reads each country's
share under both readings of the rule "Two ranges of one table"
(:mod:`analysis.audit.reading_rules`) and sets it against the band the text states;
:func:`band_verdict` turns that into the verdict on a band claim.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analysis.audit import reading_rules as rules
from analysis.audit.claim import Claim, Verdict
from analysis.audit.inputs import Inputs
from analysis.audit.reading_rules import Settings
from analysis.audit.statuses import OUTCOME_STATUS
from analysis.audit.wording import capitalised, listing, range_text
from analysis.errors import ParameterError

# Country lists as the paper prints them (line numbers of the text).
CENTRAL_ASIA_IN_TABLE2 = ("KGZ", "TJK", "UZB")  # "Central Asian states" (line 134) that Table 2 lists
CAUCASUS_IN_TABLE2 = ("ARM", "AZE", "GEO")  # "Caucasus republics" (lines 134-135)
WESTWARD_SENDERS = ("MDA", "UKR")  # "Moldova and Ukraine" (line 136)
GROUPS = {
    "Central Asia": CENTRAL_ASIA_IN_TABLE2,
    "Caucasus": CAUCASUS_IN_TABLE2,
    "Moldova and Ukraine": WESTWARD_SENDERS,
}

POSITION_WORDS = {rules.INSIDE: "inside", rules.OVERLAPS: "overlapping", rules.OUTSIDE: "outside"}
_READING_WORDS = {
    rules.MATCHED: "the matched reading of Table 2's ranges (low with low, high with high; the "
    "midpoint decides, its interval in brackets)",
    rules.OUTER: "the outer reading of Table 2's ranges (low over high to high over low; the interval decides)",
}


def table2_russia_shares(bands: dict[str, tuple[float, float]], inputs: Inputs | None = None) -> pd.DataFrame:
    """Country by country, the share of migrant workers abroad who are in Russia, read from Table 2's ranges.

    Both readings of the rule "Two ranges of one table" are given: ``matched_low``-``matched_high`` and
    ``outer_low``-``outer_high``, each with its interval's position against the band, and ``share_mid``
    (midpoint over midpoint). ``{reading}_decides`` is the position that decides the verdict under each
    reading. ``share_low``, ``share_high``, ``position`` and ``deciding_position`` repeat those of the
    reading in force (``Settings.range_reading``). ``bands`` maps a group ('Central Asia', 'Caucasus',
    'Moldova and Ukraine') to the band the text states.
    """
    inputs = inputs or Inputs()
    unknown = set(bands) - set(GROUPS)
    if unknown:
        raise ParameterError(f"bands: unknown group(s) {sorted(unknown)}; expected {sorted(GROUPS)}.")
    in_force = inputs.settings.range_reading
    table = inputs.table2
    rows = []
    for group, (band_low, band_high) in bands.items():
        for code in GROUPS[group]:
            row = table.loc[code]
            a_lo, a_hi = float(row["abroad_low_thousands"]), float(row["abroad_high_thousands"])
            r_lo, r_hi = float(row["in_russia_low_thousands"]), float(row["in_russia_high_thousands"])
            record = {
                "country": str(row["country"]),
                "group": group,
                "abroad_low": a_lo,
                "abroad_high": a_hi,
                "russia_low": r_lo,
                "russia_high": r_hi,
                "band_low": band_low,
                "band_high": band_high,
            }
            for reading in rules.RANGE_READINGS:
                share = rules.range_share(r_lo, r_hi, a_lo, a_hi, reading)
                record |= {
                    "share_mid": share.point,
                    f"{reading}_low": share.low,
                    f"{reading}_high": share.high,
                    f"{reading}_position": rules.interval_position(share.low, share.high, band_low, band_high),
                    f"{reading}_decides": rules.deciding_position(share, band_low, band_high, reading),
                }
            record |= {
                "share_low": record[f"{in_force}_low"],
                "share_high": record[f"{in_force}_high"],
                "position": record[f"{in_force}_position"],
                "deciding_position": record[f"{in_force}_decides"],
            }
            rows.append(record)
    return pd.DataFrame(rows)


def table2_bands(seventy_ninety: Claim | None, half: Claim | None, settings: Settings) -> dict:
    """Group -> the band the text states: the '70-90%' claim's for Central Asia and the Caucasus, and
    'about half' read by the rule "About" for Moldova and Ukraine."""
    bands = {}
    if seventy_ninety is not None:
        band = (seventy_ninety.value("low"), seventy_ninety.value("high"))
        bands.update({"Central Asia": band, "Caucasus": band})
    if half is not None:
        centre = half.value("share")
        bands["Moldova and Ukraine"] = (centre - settings.about_half_margin_pp, centre + settings.about_half_margin_pp)
    return bands


def band_status(frame: pd.DataFrame, reading: str) -> str:
    """The status of a band claim under ``reading`` (rule "Verdict on a band claim")."""
    return OUTCOME_STATUS[rules.combined_outcome(rules.POSITION_OUTCOME[p] for p in frame[f"{reading}_decides"])]


def other_reading(reading: str) -> str:
    return next(other for other in rules.RANGE_READINGS if other != reading)


def _positions_text(
    frame: pd.DataFrame, column: str, describe: Callable[[pd.Series], str], words: dict[str, str] = POSITION_WORDS
) -> str:
    """'inside for A and B, overlapping for none and outside for C': every country under its position."""
    parts = [
        f"{word} for {listing([describe(row) for _, row in frame[frame[column] == position].iterrows()])}"
        for position, word in words.items()
        if not (position == rules.OVERLAPS and column == f"{rules.MATCHED}_decides")
    ]  # a point never overlaps
    return listing(parts)


def _share_text(row: pd.Series, reading: str) -> str:
    interval = range_text(row[f"{reading}_low"], row[f"{reading}_high"], ".0f") + "%"
    return (
        f"{row['country']} {row['share_mid']:.0f}% ({interval})"
        if reading == rules.MATCHED
        else f"{row['country']} {interval}"
    )


def band_verdict(frame: pd.DataFrame, statement: str, reading: str) -> Verdict:
    """The verdict on a band claim under ``reading``, with the other reading's result beside it."""
    other = other_reading(reading)
    numbers = {}
    for r in frame.itertuples():
        numbers |= {
            f"{r.country}_mid_pct": round(r.share_mid, 1),
            f"{r.country}_low_pct": round(r.share_low, 1),
            f"{r.country}_high_pct": round(r.share_high, 1),
        }
    for prefix, column in (("", f"{reading}_decides"), (f"{other}_", f"{other}_decides")):
        numbers |= {f"{prefix}{position}": int((frame[column] == position).sum()) for position in POSITION_WORDS}
    sentence = (
        f"Against {statement}, {_READING_WORDS[reading]} puts the share in Russia "
        f"{_positions_text(frame, f'{reading}_decides', lambda row: _share_text(row, reading))}"
    )
    if reading == rules.MATCHED:
        words = POSITION_WORDS | {rules.OVERLAPS: "across an edge of the band"}
        intervals = _positions_text(frame, f"{reading}_position", lambda row: row["country"], words)
        sentence += f"; its intervals lie {intervals}"
    sentence += (
        f". {capitalised(_READING_WORDS[other])} puts it "
        f"{_positions_text(frame, f'{other}_decides', lambda row: _share_text(row, other))}, and would "
        f"rate the claim '{band_status(frame, other)}'."
    )
    return Verdict(band_status(frame, reading), numbers, sentence)


# ---------------------------------------------------------------------------
# Table 2's totals, for the claims about all of its sending states
# ---------------------------------------------------------------------------


def table2_sums(inputs: Inputs) -> dict:
    """Table 2's ranges summed over the sending states that give a count in Russia."""
    t2 = inputs.table2
    senders = t2[t2["in_russia_low_thousands"].notna()]
    return {
        "abroad_low": float(senders["abroad_low_thousands"].sum()),
        "abroad_high": float(senders["abroad_high_thousands"].sum()),
        "russia_low": float(senders["in_russia_low_thousands"].sum()),
        "russia_high": float(senders["in_russia_high_thousands"].sum()),
        "senders": len(senders),
        "origins": tuple(senders.index),
    }


def table2_population(origins, destinations=rules.EVERY_PLACE) -> rules.Population:
    """Table 2's migrant workers from ``origins`` in ``destinations``, "both legally and illegally" (line 133)."""
    return rules.Population(origins, destinations, rules.WORKERS, rules.EVERY_STATUS)


def russia_share_of_table2(inputs: Inputs) -> tuple[dict, dict[str, rules.RangeShare]]:
    """Table 2's sums, and the share of its migrant workers abroad who are in Russia under each reading."""
    s = table2_sums(inputs)
    return s, {
        reading: rules.range_share(s["russia_low"], s["russia_high"], s["abroad_low"], s["abroad_high"], reading)
        for reading in rules.RANGE_READINGS
    }
