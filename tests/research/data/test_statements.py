"""The qualitative transcriptions (chapters 2-4, 6-8): loaders, provenance and structure.

The paper checks parse the text independently: quotes are looked up on their
line, numbers are re-read from the quote, and each cited source must appear
as "Author YEAR" near the row.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pybtex.database
import pytest

from analysis import paths
from analysis.data import countries, datapackage
from analysis.data import statements as ptd
from analysis.errors import DataValidationError
from helpers.hashes import record_hashes_unchecked

RESOURCES = {
    ptd.TRANSIT: ptd.transit,
    ptd.TRAFFICKING: ptd.trafficking_measures,
    ptd.IRREGULAR: ptd.irregular_estimates,
    ptd.BRAIN_DRAIN: ptd.brain_drain,
    ptd.SURVEY: ptd.survey_findings,
    ptd.COOPERATION: ptd.cooperation,
    ptd.MEMBERSHIPS: ptd.memberships,
    ptd.RECOMMENDATIONS: ptd.recommendations,
}
# Columns that hold the numbers printed in each row's quote.
NUMBER_COLUMNS = {
    ptd.TRANSIT: ["low_persons", "high_persons"],
    ptd.IRREGULAR: ["low_millions", "high_millions"],
    ptd.BRAIN_DRAIN: ["value"],
    ptd.SURVEY: ["value"],
}


def collapsed(text: str) -> str:
    return " ".join(text.split())


def raw(name: str) -> pd.DataFrame:
    return datapackage.read_resource(name)


# ---------------------------------------------------------------- loaders


@pytest.mark.parametrize("name", RESOURCES)
def test_every_loader_returns_its_rows(name):
    frame = RESOURCES[name]()
    assert len(frame) == len(raw(name)) > 0
    assert frame["paper_line"].ge(1).all()


def test_country_rows_get_codes_from_pycountry_and_others_none():
    transit = ptd.transit().set_index(["kind", "ordinal"])
    assert transit.loc[("origin_country", 6), ["item", "iso3"]].tolist() == ["Sri-Lanka", "LKA"]
    assert transit.loc[("origin_country", 7), ["item", "iso3"]].tolist() == ["Turkey", "TUR"]
    assert transit.loc[("transit_country", 1), "iso3"] == "RUS"
    assert transit.xs("concern")["iso3"].isna().all()
    assert transit.xs("origin_country")["iso3"].notna().all()


def test_transit_over_300000_is_open_above():
    figure = ptd.transit().query("kind == 'figure'").iloc[0]
    assert figure["qualifier"] == "over" and figure["low_persons"] == 300_000
    assert pd.isna(figure["high_persons"])


def test_irregular_estimates_keep_the_paper_hedges():
    frame = ptd.irregular_estimates().set_index("area_as_printed")
    assert frame.loc["CIS region", ["low_millions", "high_millions"]].tolist() == [5.0, 15.0]
    assert pd.isna(frame.loc["CIS region", "iso3"])
    assert pd.isna(frame.loc["Kazakhstan", "low_millions"]) and frame.loc["Kazakhstan", "high_millions"] == 1.0
    assert frame.loc["Ukraine", "approximate"] and not frame.loc["Kazakhstan", "approximate"]
    assert frame.loc["Ukraine", "low_millions"] == frame.loc["Ukraine", "high_millions"] == 0.2


def test_trafficking_links_expand_each_measures_problems():
    measures = raw(ptd.TRAFFICKING).query("kind == 'measure'")
    expected = {(p, m) for m, cell in zip(measures["id"], measures["addresses"]) for p in cell.split(";")}
    links = ptd.trafficking_links()
    assert set(zip(links["problem_id"], links["measure_id"])) == expected
    assert len(links) == len(expected)
    problems = set(raw(ptd.TRAFFICKING).query("kind == 'problem'")["id"])
    assert problems == set(links["problem_id"]), "every problem the paper names has at least one measure"


def test_russias_four_policy_priorities_in_order():
    priorities = ptd.brain_drain().query("kind == 'policy_priority'")
    assert priorities["ordinal"].tolist() == [1, 2, 3, 4]
    assert set(priorities["iso3"]) == {"RUS"}


def test_survey_inconsistency_is_flagged_not_fixed():
    findings = ptd.survey_findings().query("kind == 'finding'")
    flagged = findings[findings["flag"].notna()]
    assert set(flagged["iso3"]) == {"UZB"}
    assert flagged["printed_text"].str.contains("Kyrgyz").any()
    assert flagged["printed_text"].str.contains("Uzbekistan").any()
    workplaces = findings[findings["unit"] == "workplaces"].iloc[0]
    assert workplaces["approximate"] and workplaces["value"] == 4000


# ---------------------------------------------------------------- structure


def test_memberships_as_printed():
    members = ptd.memberships()
    sizes = members.groupby("organisation").size().to_dict()
    assert sizes == {"CIS": 12, "EurAsEC": 6, "GUAM": 4}
    cis = set(members.query("organisation == 'CIS'")["iso3"])
    assert cis == set(countries.CIS)
    assert set(members["iso3"]) <= cis, "EurAsEC and GUAM members are CIS members"
    assert not cis & set(countries.BALTIC)
    printed = members.query("iso3 == 'RUS'").set_index("organisation")["member_as_printed"].to_dict()
    assert printed == {"CIS": "Russian Federation", "EurAsEC": "Russia"}


def test_organisation_parties_match_memberships():
    members = ptd.memberships()
    parties = ptd.cooperation_parties().query("kind == 'organisation'")
    for organisation, name in [("EurAsEC", "Eurasian Economic Community (EurAsEC)"), ("GUAM", "GUAM")]:
        listed = parties.loc[parties["name"] == name, "party_as_printed"].tolist()
        assert listed == members.loc[members["organisation"] == organisation, "member_as_printed"].tolist()


def test_bilateral_agreements_are_pairs_of_distinct_countries():
    pairs = ptd.bilateral_pairs()
    assert len(pairs) == len(raw(ptd.COOPERATION).query("kind == 'bilateral_agreement'"))
    assert pairs[["iso3_a", "iso3_b"]].notna().all().all()
    assert (pairs["iso3_a"] != pairs["iso3_b"]).all()
    # Hand count from the text: Russia with Belarus, Tajikistan, Kyrgyzstan and Ukraine.
    with_russia = pairs[(pairs["iso3_a"] == "RUS") | (pairs["iso3_b"] == "RUS")]
    assert sorted(set(with_russia[["iso3_a", "iso3_b"]].to_numpy().ravel()) - {"RUS"}) == ["BLR", "KGZ", "TJK", "UKR"]
    assert {"SVK", "KOR", "TUR"} <= set(pairs["iso3_b"])


def test_recommendations_cover_the_four_spheres_each_with_an_aim():
    frame = ptd.recommendations()
    assert frame["sphere"].nunique() == 4
    aims = frame[frame["part"] == "aim"].groupby("sphere").size()
    assert (aims >= 1).all() and len(aims) == 4
    expected = {
        "labor migration management": {"01-trends", "07-common-labour-market"},
        "transit migration": {"02-transit"},
        "brain drain": {"04-brain-drain"},
        "migrant remittances": {"05-remittances"},
    }
    for sphere, slugs in expected.items():
        linked = set(";".join(frame.loc[frame["sphere"] == sphere, "chapters"]).split(";"))
        assert linked == slugs, sphere


def test_every_source_key_is_in_the_bibliography():
    keys = set(pybtex.database.parse_file(str(paths.BIBLIOGRAPHY)).entries)
    for name in RESOURCES:
        frame = raw(name)
        if "source_keys" not in frame:
            continue
        for cell in frame["source_keys"].dropna():
            missing = set(cell.split(";")) - keys
            assert not missing, f"{name}: {missing} not in references.bib"


# ---------------------------------------------------------------- bad input


def _mutate(descriptor: Path, resource: str, old: str, new: str) -> None:
    """Edit a copied file and re-record its hash, so that only the loader's own rule can object."""
    path = descriptor.parent / "paper" / f"{resource}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"mutation target {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    record_hashes_unchecked(descriptor)


@pytest.mark.parametrize(
    ("resource", "loader", "old", "new", "words"),
    [
        (ptd.TRAFFICKING, ptd.trafficking_measures, "P1;P2,216", "P1;P9,216", ["addresses", "P9", "problem ids"]),
        (ptd.TRAFFICKING, ptd.trafficking_measures, "problem,P1,", "problem,M9,", ["id", "'P'"]),
        (ptd.IRREGULAR, ptd.irregular_estimates, "up to,,1.0", "up to,0.5,1.0", ["low_millions", "up to"]),
        (ptd.IRREGULAR, ptd.irregular_estimates, "about,0.2,0.2", "about,0.1,0.2", ["low_millions", "about"]),
        (ptd.IRREGULAR, ptd.irregular_estimates, "range,5.0,15.0", "range,25.0,15.0", ["low_millions", "25.0"]),
        (ptd.TRANSIT, ptd.transit, "over,300000,,", "over,300000,400000,", ["high_persons", "over"]),
        (
            ptd.TRANSIT,
            ptd.transit,
            "origin_country,6,Sri-Lanka",
            "origin_country,6,Sri Lanka island",
            ["item", "Sri Lanka island", "PRINTED_ALIASES"],
        ),
        (ptd.BRAIN_DRAIN, ptd.brain_drain, "25,billion US$ per year", "25,", ["unit", "value"]),
        (ptd.COOPERATION, ptd.bilateral_pairs, "Russia;Belarus", "Russia;Belarus;Ukraine", ["parties", "two parties"]),
        (
            ptd.COOPERATION,
            ptd.cooperation_parties,
            "Uzbekistan;Kazakhstan;Kyrgyzstan",
            "Uzbekistan;Kazakstan;Kyrgyzstan",
            ["parties", "Kazakstan", "NON_COUNTRIES"],
        ),
        (ptd.MEMBERSHIPS, ptd.memberships, "GUAM,4,Moldova", "GUAM,4,Moldavia", ["member_as_printed", "Moldavia"]),
        (ptd.RECOMMENDATIONS, ptd.recommendations, "1,means,regulate", "1,aim,regulate", ["part", "exactly one 'aim'"]),
        (ptd.SURVEY, ptd.survey_findings, "food,consumption", "food,", ["category", "spending"]),
    ],
)
def test_broken_rules_raise_with_file_row_and_column(data_copy, resource, loader, old, new, words):
    _mutate(data_copy, resource, old, new)
    with pytest.raises(DataValidationError) as error:
        loader(data_copy)
    message = str(error.value)
    assert f"{resource}.csv" in message and "data row" in message
    for word in words:
        assert word in message


def test_schema_rules_are_enforced_by_the_data_package(data_copy):
    _mutate(data_copy, ptd.IRREGULAR, "up to,,1.0", "roughly,,1.0")
    with pytest.raises(DataValidationError, match="qualifier"):
        ptd.irregular_estimates(data_copy)


# ---------------------------------------------------------------- against the paper's text


@pytest.mark.paper
@pytest.mark.parametrize("name", RESOURCES)
def test_every_quote_is_on_its_line(name, paper_lines):
    for row in raw(name).itertuples():
        line = collapsed(paper_lines[row.paper_line - 1])
        assert row.printed_text in line, (
            f"{name} row {row.Index + 1}: {row.printed_text!r} not on line {row.paper_line}"
        )
        if name == ptd.TRAFFICKING and pd.notna(row.purpose_text):
            assert row.purpose_text in collapsed(paper_lines[row.purpose_line - 1])


def _printed_numbers(text: str) -> set[float]:
    """The numbers in a quote, read the way the text prints them ('300,000', '0.2', '15%'); years left out."""
    numbers = re.findall(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", text)
    return {float(n.replace(",", "")) for n in numbers if not re.fullmatch(r"(19|20)\d\d", n)}


@pytest.mark.paper
@pytest.mark.parametrize("name", NUMBER_COLUMNS)
def test_every_number_is_the_one_printed(name, paper_lines):
    frame = raw(name)
    for row in frame.index:
        values = {float(v) for v in frame.loc[row, NUMBER_COLUMNS[name]] if pd.notna(v)}
        if values:
            assert values == _printed_numbers(frame.at[row, "printed_text"]), f"{name} data row {row + 1}"


def _citation(entry, key: str) -> str:
    """How the paper writes a citation of this entry: 'Iontsev and Ivakhnyuk 2002', 'Kozina et al. 2005'."""
    names = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in entry.persons.get("author", [])]
    if names[-1] == "others":
        who = f"{names[0]} et al."
    else:
        who = " and ".join(names)
    # The year field carries the paper's a/b suffix (e.g. 2003a).
    return f"{who} {entry.fields['year']}"


@pytest.mark.paper
@pytest.mark.parametrize("name", [n for n in RESOURCES if "source_keys" in raw(n)])
def test_each_cited_source_is_cited_next_to_its_row(name, paper_lines):
    entries = pybtex.database.parse_file(str(paths.BIBLIOGRAPHY)).entries
    for row in raw(name).dropna(subset=["source_keys"]).itertuples():
        window = collapsed(" ".join(paper_lines[max(row.paper_line - 3, 0) : row.paper_line + 6]))
        for key in row.source_keys.split(";"):
            citation = _citation(entries[key], key)
            assert re.search(rf"{re.escape(citation)}(?![ab\d])", window), (
                f"{name} row {row.Index + 1}: {citation!r} is not cited within lines "
                f"{row.paper_line - 2}-{row.paper_line + 6}"
            )


@pytest.mark.paper
def test_cooperation_names_and_parties_are_printed(paper_text, paper_lines):
    text = collapsed(paper_text)
    for row in raw(ptd.COOPERATION).itertuples():
        assert row.name in text, f"cooperation row {row.Index + 1}: name {row.name!r} not printed"
        window = collapsed(" ".join(paper_lines[row.paper_line - 1 : row.paper_line + 3]))
        for party in [] if pd.isna(row.parties) else row.parties.split(";"):
            assert party in window, f"cooperation row {row.Index + 1}: party {party!r} not near line {row.paper_line}"
        if pd.notna(row.year):
            assert str(row.year) in window
