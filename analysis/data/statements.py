"""The paper's qualitative sections as validated frames (chapters 2-4 and 6-8).

The resources in ``data/paper/`` transcribe what the text says outside its
tables: transit routes, trafficking measures, brain-drain policies, survey
findings, cooperation agreements and recommendations. The loaders here add
ISO 3166 codes where a row names a country, and check the rules the schema
cannot express (a measure must address known problems, an "up to" has no
lower bound, a bilateral agreement has two parties).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.countries import display_name, iso3
from analysis.data.datapackage import read_resource, resource_path, rule_failure
from analysis.errors import DataValidationError

TRANSIT = "transit"
TRAFFICKING = "trafficking_measures"
IRREGULAR = "irregular_migrant_estimates"
BRAIN_DRAIN = "brain_drain"
SURVEY = "survey_findings"
COOPERATION = "cooperation"
MEMBERSHIPS = "memberships"
RECOMMENDATIONS = "recommendations"

# Printed spellings that pycountry does not resolve, mapped to one it does.
# The code still comes from pycountry; only the spelling is translated.
PRINTED_ALIASES = {
    "Russia": "Russian Federation",
    "Sri-Lanka": "Sri Lanka",
    "Turkey": "Türkiye",
}

# Parties and areas the paper names that are not countries. Listed explicitly
# so that a misspelt country fails loudly instead of passing as a non-country.
NON_COUNTRIES = frozenset(
    {
        "CIS region",
        "CIS states",
        "CIS",
        "EurAsEC",
        "Central Asian states",
        "Caucasus states",
        "neighboring countries",
        "Russian enterprises",
        "migration services in labor source countries",
        "Russian provinces",
        "private recruiting agencies",
    }
)


class _Findings:
    """What one loader's rules find in its file, raised together so that no problem hides behind the first."""

    def __init__(self, name: str, descriptor: Path):
        self.name, self.descriptor, self.found = name, descriptor, []

    def add(self, row: int, column: str, found, expected: str, fix: str) -> None:
        self.found.append(f"data row {row + 1}, column {column!r}: found {found!r}; expected {expected}. {fix}")

    def raise_if_any(self) -> None:
        if self.found:
            raise rule_failure(resource_path(self.name, self.descriptor), self.found)


def country_code(name: str) -> str:
    """ISO3 code of a country as the paper prints it (aliases translate spellings pycountry lacks)."""
    return iso3(PRINTED_ALIASES.get(name, name))


def _with_codes(frame: pd.DataFrame, column: str, findings: _Findings, rows: pd.Series | None = None) -> pd.DataFrame:
    """Insert ``iso3`` and ``country`` after ``column``; missing where ``rows`` is False or the cell is empty.

    Raises every problem found so far in the file, the loader's own and the unresolved names.
    """
    rows = frame[column].notna() if rows is None else rows & frame[column].notna()
    codes = pd.Series(pd.NA, index=frame.index, dtype="string")
    for row in frame.index[rows]:
        printed = frame.at[row, column]
        try:
            codes[row] = country_code(printed)
        except DataValidationError as exc:
            findings.add(
                row,
                column,
                printed,
                "a country name pycountry resolves",
                f"Correct the spelling, or add it to PRINTED_ALIASES in analysis/statements.py ({exc}).",
            )
    findings.raise_if_any()
    frame = frame.copy()
    at = frame.columns.get_loc(column) + 1
    frame.insert(at, "iso3", codes)
    frame.insert(at + 1, "country", codes.map(display_name, na_action="ignore").astype("string"))
    return frame


def _split(cell) -> list[str]:
    return [] if pd.isna(cell) else [part.strip() for part in str(cell).split(";")]


def transit(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 2: the transit figure, origin and transit countries (with ISO3), and concerns."""
    frame = read_resource(TRANSIT, descriptor)
    findings = _Findings(TRANSIT, descriptor)
    is_country = frame["kind"].isin(["origin_country", "transit_country"])
    for row in frame.index[frame["qualifier"].eq("over").fillna(False)]:
        if pd.isna(frame.at[row, "low_persons"]) or pd.notna(frame.at[row, "high_persons"]):
            findings.add(
                row,
                "high_persons",
                frame.at[row, "high_persons"],
                "'over' to have a lower bound and an empty upper bound (open above)",
                "Store 'over N' as low_persons=N, high_persons empty.",
            )
    return _with_codes(frame, "item", findings, rows=is_country)


def trafficking_measures(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 3: problems (P*) and measures (M*) with the problems each measure addresses."""
    frame = read_resource(TRAFFICKING, descriptor)
    findings = _Findings(TRAFFICKING, descriptor)
    problems = set(frame.loc[frame["kind"] == "problem", "id"])
    for row in frame.index:
        kind, addresses = frame.at[row, "kind"], _split(frame.at[row, "addresses"])
        prefix = "P" if kind == "problem" else "M"
        if not frame.at[row, "id"].startswith(prefix):
            findings.add(
                row,
                "id",
                frame.at[row, "id"],
                f"an id starting with {prefix!r} for a {kind}",
                "Number problems P1, P2, ... and measures M1, M2, ...",
            )
        if kind == "problem" and addresses:
            findings.add(
                row,
                "addresses",
                frame.at[row, "addresses"],
                "an empty cell for a problem",
                "Only measures address problems.",
            )
        if kind == "measure":
            unknown = [pid for pid in addresses if pid not in problems]
            if not addresses or unknown:
                findings.add(
                    row,
                    "addresses",
                    frame.at[row, "addresses"],
                    f"one or more of the problem ids {sorted(problems)}",
                    "List the ids of the problems the text says the measure counters, separated by ';'.",
                )
            if pd.isna(frame.at[row, "purpose_line"]) or pd.isna(frame.at[row, "purpose_text"]):
                findings.add(
                    row,
                    "purpose_text",
                    frame.at[row, "purpose_text"],
                    "the line and verbatim text that state the measure's purpose",
                    "Fill purpose_line and purpose_text from the paper.",
                )
    findings.raise_if_any()
    return frame


def trafficking_links(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 3: one row per (problem, measure) pair the paper links."""
    frame = trafficking_measures(descriptor).set_index("id")
    pairs = [
        (pid, mid) for mid in frame.index[frame["kind"] == "measure"] for pid in _split(frame.at[mid, "addresses"])
    ]
    links = pd.DataFrame(pairs, columns=["problem_id", "measure_id"], dtype="string")
    links["problem"] = links["problem_id"].map(frame["item"]).astype("string")
    links["measure"] = links["measure_id"].map(frame["item"]).astype("string")
    links["measure_source_keys"] = links["measure_id"].map(frame["source_keys"]).astype("string")
    return links


def irregular_estimates(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 3: the irregular-migrant estimates as ranges, with an ``approximate`` flag for "about"."""
    frame = read_resource(IRREGULAR, descriptor)
    findings = _Findings(IRREGULAR, descriptor)
    for row in frame.index:
        qualifier, low, high = frame.at[row, "qualifier"], frame.at[row, "low_millions"], frame.at[row, "high_millions"]
        if qualifier == "range" and (pd.isna(low) or low > high):
            findings.add(
                row,
                "low_millions",
                low,
                f"a lower bound not above high_millions={high}",
                "Store a printed range a to b as low=a, high=b.",
            )
        if qualifier == "up to" and pd.notna(low):
            findings.add(
                row,
                "low_millions",
                low,
                "an empty cell for 'up to'",
                "'up to N' gives no lower bound; leave low_millions empty.",
            )
        if qualifier == "about" and low != high:
            findings.add(
                row, "low_millions", low, f"low = high for 'about' (high is {high})", "Store 'about N' as low=high=N."
            )
    frame = _with_codes(frame, "area_as_printed", findings, rows=~frame["area_as_printed"].isin(NON_COUNTRIES))
    frame["approximate"] = (frame["qualifier"] == "about").astype("boolean")
    return frame


def _check_units(frame: pd.DataFrame, row, findings: _Findings) -> None:
    """A printed number carries its unit, and a unit never stands without a number."""
    if pd.isna(frame.at[row, "value"]) != pd.isna(frame.at[row, "unit"]):
        findings.add(
            row,
            "unit",
            frame.at[row, "unit"],
            "a unit exactly where there is a value",
            "Give every printed number its unit, and no unit without a number.",
        )


def brain_drain(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 4: affected countries, the UNDP loss estimate, IT growth and Russia's four priorities."""
    frame = read_resource(BRAIN_DRAIN, descriptor)
    findings = _Findings(BRAIN_DRAIN, descriptor)
    for row in frame.index:
        _check_units(frame, row, findings)
    return _with_codes(frame, "country_as_printed", findings)


def survey_findings(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 6: the survey figures and the spending patterns, with ISO3 where a country is named."""
    frame = read_resource(SURVEY, descriptor)
    findings = _Findings(SURVEY, descriptor)
    for row in frame.index:
        _check_units(frame, row, findings)
        if (frame.at[row, "kind"] == "spending") == pd.isna(frame.at[row, "category"]):
            findings.add(
                row,
                "category",
                frame.at[row, "category"],
                "a category for spending rows and none for findings",
                "Fill category only on spending rows.",
            )
    frame = _with_codes(frame, "country_as_printed", findings)
    frame["approximate"] = (frame["qualifier"] == "about").fillna(False).astype("boolean")
    return frame


def cooperation(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 7: organisations, agreements, projects and non-government activities, as printed."""
    frame = read_resource(COOPERATION, descriptor)
    findings = _Findings(COOPERATION, descriptor)
    for row in frame.index[frame["kind"] == "bilateral_agreement"]:
        if len(_split(frame.at[row, "parties"])) != 2:
            findings.add(
                row,
                "parties",
                frame.at[row, "parties"],
                "exactly two parties 'A;B'",
                "A bilateral agreement names two states; separate them with ';'.",
            )
    findings.raise_if_any()
    return frame


def cooperation_parties(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 7: one row per (item, party), with ISO3 where the party is a country."""
    frame = cooperation(descriptor)
    rows = [
        (frame.at[row, "kind"], frame.at[row, "ordinal"], frame.at[row, "name"], party, row)
        for row in frame.index
        for party in _split(frame.at[row, "parties"])
    ]
    long = pd.DataFrame(rows, columns=["kind", "ordinal", "name", "party_as_printed", "source_row"])
    long = long.astype({"kind": "string", "ordinal": "Int64", "name": "string", "party_as_printed": "string"})
    codes = pd.Series(pd.NA, index=long.index, dtype="string")
    findings = _Findings(COOPERATION, descriptor)
    for i in long.index[~long["party_as_printed"].isin(NON_COUNTRIES)]:
        party = long.at[i, "party_as_printed"]
        try:
            codes[i] = country_code(party)
        except DataValidationError:
            findings.add(
                int(long.at[i, "source_row"]),
                "parties",
                party,
                "a country pycountry resolves, or a non-country listed in NON_COUNTRIES",
                "Correct the spelling, or add the printed name to PRINTED_ALIASES or NON_COUNTRIES in "
                "analysis/data/statements.py.",
            )
    findings.raise_if_any()
    long.insert(4, "iso3", codes)
    long.insert(5, "country", codes.map(display_name, na_action="ignore").astype("string"))
    return long.drop(columns="source_row")


def bilateral_pairs(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 7: the bilateral agreements on labour migration as ISO3 pairs, for a network figure."""
    parties = cooperation_parties(descriptor)
    parties = parties[parties["kind"] == "bilateral_agreement"]
    grouped = parties.groupby("ordinal", sort=True)
    pairs = pd.DataFrame(
        {
            "name": grouped["name"].first(),
            "iso3_a": grouped["iso3"].nth(0).to_numpy(),
            "iso3_b": grouped["iso3"].nth(1).to_numpy(),
        }
    ).reset_index()
    detail = cooperation(descriptor).query("kind == 'bilateral_agreement'").set_index("ordinal")["detail"]
    pairs["detail"] = pairs["ordinal"].map(detail).astype("string")
    return pairs.astype({"iso3_a": "string", "iso3_b": "string"})


def memberships(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 7: members of the CIS, EurAsEC and GUAM as printed, with ISO3."""
    frame = read_resource(MEMBERSHIPS, descriptor)
    findings = _Findings(MEMBERSHIPS, descriptor)
    return _with_codes(frame, "member_as_printed", findings)


def recommendations(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Chapter 8: the recommendations in the four spheres, each with the chapters that bear on it."""
    frame = read_resource(RECOMMENDATIONS, descriptor)
    findings = _Findings(RECOMMENDATIONS, descriptor)
    for (sphere, number), group in frame.groupby(["sphere", "recommendation"]):
        if (group["part"] == "aim").sum() != 1:
            findings.add(
                int(group.index[0]),
                "part",
                list(group["part"]),
                f"exactly one 'aim' row for recommendation {number} in sphere {sphere!r}",
                "Each 'to ...' clause is one aim; its 'by ...' and 'in order to ...' parts are means and purposes.",
            )
    findings.raise_if_any()
    return frame
