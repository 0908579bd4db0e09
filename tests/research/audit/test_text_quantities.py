"""The walk of the paper's quantitative tokens, on hand-made text: what it must find and what it must not.

Expected tokens, columns and blocks are written out by hand for each sentence;
tests/research/audit/test_ledger_complete.py runs the same walk on the paper itself.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.audit import text_quantities as pn
from analysis.data import datapackage
from analysis.errors import DataValidationError
from helpers.hashes import record_hashes_unchecked

FOOTNOTE_RULE = " " * 60


def texts(lines: list[str]) -> list[str]:
    return [token.text for token in pn.walk(lines)]


def kinds(lines: list[str]) -> list[tuple[str, str]]:
    return [(token.text, token.kind) for token in pn.walk(lines)]


# --- what the walk must find -------------------------------------------------------------------


def test_numbers_with_their_scale_and_ranges_are_one_token_each():
    assert kinds(["estimated 5 to 15 million (most part), up to 1 mln. seasonal workers"]) == [
        ("5 to 15 million", "range"),
        ("1 mln.", "number"),
    ]
    assert kinds(["accumulating 70-90% of them, growing 1.5–2 times, take away 7-8 billion"]) == [
        ("70-90%", "percentage"),
        ("1.5–2 times", "range"),
        ("7-8 billion", "range"),
    ]
    assert kinds(["Ukraine 2.000-2.500, over 300,000 migrants, about 4,000 in all, 0.2 mln., 15%"]) == [
        ("2.000-2.500", "range"),
        ("300,000", "number"),
        ("4,000", "number"),
        ("0.2 mln.", "number"),
        ("15%", "percentage"),
    ]


def test_years_decades_periods_and_dates():
    assert kinds(
        [
            "Already since mid-1990s, in the 1990s and the 2000s; in 2003; published on 30 March 2006;",
            "after 1.5 decades, during the last 15 years",
        ]
    ) == [
        ("mid-1990s", "decade"),
        ("1990s", "decade"),
        ("2000s", "decade"),
        ("2003", "year"),
        ("30 March 2006", "date"),
        ("1.5 decades", "number"),
        ("15 years", "number"),
    ]


def test_quantity_words():
    line = (
        "Hundreds of thousands, dozens of firms, thousands stuck, multi-million flows, about half, twice as "
        "many, increased by 7 times, several years, numerous agreements, the majority, the second, only one"
    )
    assert texts([line]) == [
        "Hundreds of thousands",
        "dozens",
        "thousands",
        "multi-million",
        "half",
        "twice",
        "many",
        "7 times",
        "several",
        "numerous",
        "majority",
        "second",
        "one",
    ]


def test_footnote_markers_glued_to_a_word_are_found():
    assert texts(["is a regional structure1, which", "from Russia annually.2 "]) == ["1", "2"]


def test_words_that_count_nothing_are_not_tokens():
    line = (
        "someone alone often on behalf of most of them, both sides, all states, each year; R&D, EurAsEC, "
        "Issyk-Kul, post-Soviet, huge waves, mass emigration, large-scale, the overwhelming part, for months"
    )
    assert texts([line]) == []


def test_a_token_broken_over_two_lines_keeps_both_parts():
    tokens = pn.walk(["Russia – 12.1 ", "mln., Germany", "their families. Hundreds ", "of thousands of migrants"])
    assert [(t.text, t.line, t.parts) for t in tokens] == [
        ("12.1 mln.", 1, ((1, 9, 13), (2, 0, 4))),
        ("Hundreds of thousands", 3, ((3, 16, 24), (4, 0, 12))),
    ]


def test_a_blank_line_breaks_a_token():
    assert texts(["Russia – 12.1", "", "mln. and 3 to", "", "5 things"]) == ["12.1", "3", "5"]


# --- the citation rule ---------------------------------------------------------------------------


def test_only_author_year_citations_are_citations():
    lines = [
        "markets (IOM 2004; Krasinets et al. ",
        "2000). The UN estimate (2005), (since 2004), Table 2, an agreement (1994);",
        "(for details please refer to: Mukomel 2005; Sadovskaya 2006a) and (USA – 38.4 mln.; Russia – 12.1)",
    ]
    assert [(t.text, t.citation) for t in pn.walk(lines)] == [
        ("2004", True),
        ("2000", True),
        ("2005", False),
        ("2004", False),
        ("2", False),
        ("1994", False),
        ("2005", True),
        ("2006", True),
        ("38.4 mln.", False),
        ("12.1", False),
    ]


# --- what is not running text ----------------------------------------------------------------------


def test_a_table_block_runs_to_the_end_of_its_source_note():
    lines = [
        "Before the table, 5 to 15 million.",
        "Table 9. Migrant workers (thousands), early 2000s*",
        "Armenia 800-900 650",
        "Sources: IMF. World Economic Outlook Database. April 2006",
        "",
        "    UN. World Population Data Sheet. 2005 ",
        " ",
        "After the table, 7 times more.",
    ]
    assert pn.table_blocks(lines) == [(2, 6)]
    assert pn.walked_lines(lines) == [True, False, False, False, False, False, True, True]
    assert texts(lines) == ["5 to 15 million", "7 times"]


def test_a_source_note_over_several_lines_ends_at_the_next_paragraph():
    lines = [
        "Table 3. Remittances",
        "Armenia 5,9 30,8",
        "Source: Korobkov A., Palei L.",
        "In: Trends. Volume 15. Moscow,",
        "2005, p. 142.",
        "",
        " ",
        "The text resumes in 2003.",
    ]
    assert pn.table_blocks(lines) == [(1, 5)]
    assert texts(lines) == ["2003"]


def test_a_table_caption_without_a_source_note_is_refused():
    with pytest.raises(DataValidationError, match=r"line 2: table caption 'Table 4\. Levels' has no source note"):
        pn.table_blocks(["Text.", "Table 4. Levels", "Armenia 162 850"])


def test_a_footnote_inside_a_table_is_walked():
    lines = [
        "Table 3. Remittances",
        "Armenia 162 850",
        FOOTNOTE_RULE,
        "2 Interview, Gazeta N: 4030 on 30 March 2006; Izvestiya,",
        "15 June 2006. ",
        " Azerbaijan 156 700",
        "Source: Korobkov 2005",
        "",
        "Text.",
    ]
    assert pn.footnote_blocks(lines) == [(4, 5)]
    assert texts(lines) == ["2", "4030", "30 March 2006", "15 June 2006"]


def test_without_the_footnote_rule_a_numbered_line_in_a_table_stays_a_table_line():
    lines = ["Table 3. Remittances", " ", "2 Interview on 30 March 2006", "Source: Korobkov 2005", "", "Text."]
    assert pn.footnote_blocks(lines) == []
    assert texts(lines) == []


def test_a_reference_list_runs_to_the_end_of_the_text():
    lines = ["The text ends in 2003.", "References", "Boswell C. 2005. Migration in Europe. 12 pp."]
    assert pn.reference_list_start(lines) == 2
    assert texts(lines) == ["2003"]
    # Only a heading on a line of its own starts the list.
    assert texts(["The text ends.", "References to 2004 abound."]) == ["2004"]


# --- what covers a token -----------------------------------------------------------------------------


def test_a_token_is_covered_only_inside_a_quote_on_its_line():
    lines = [
        "It grew by 7 times between 1999 and 2004 (Bank 2005).",
        "About 15 firms and 5 workers; the other half went west.",
    ]
    claims = [
        SimpleNamespace(id="C90", quote="grew by 7 times between 1999", paper_line=1),
        SimpleNamespace(id="C91", quote="About 15 firms", paper_line=2),
        SimpleNamespace(id="C92", quote="the other half", paper_line=1),
    ]  # not on line 1: covers nothing
    exclusions = pd.DataFrame({"paper_line": [2], "token": ["half"], "reason": ["continues a ledger claim"]})
    table = pn.dispositions(lines, claims, exclusions)
    assert list(zip(table["token"], table["covered_by"], table["by"])) == [
        ("7 times", "claim", "C90"),
        ("1999", "claim", "C90"),
        ("2004", "", ""),
        ("2005", "rule", pn.CITATION_RULE),
        ("15", "claim", "C91"),
        ("5", "", ""),  # the quote holds "15", not this "5"
        ("half", "exclusion", "continues a ledger claim"),
    ]


def test_an_exclusion_matches_only_its_line_and_token():
    lines = ["one", "one"]
    exclusions = pd.DataFrame({"paper_line": [2, 1], "token": ["one", "two"], "reason": ["figure of speech"] * 2})
    assert list(pn.dispositions(lines, [], exclusions)["covered_by"]) == ["", "exclusion"]


# --- the exclusion list's own rules ------------------------------------------------------------------


def test_the_schema_lists_exactly_the_reasons_the_code_explains():
    fields = datapackage.resource_descriptor(pn.EXCLUSIONS_RESOURCE)["schema"]["fields"]
    reason = next(field for field in fields if field["name"] == "reason")
    assert reason["constraints"]["enum"] == list(pn.EXCLUSION_REASONS)


def _edit_exclusions(descriptor, old: str, new: str):
    path = datapackage.resource_path(pn.EXCLUSIONS_RESOURCE, descriptor)
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the mutation target {old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    record_hashes_unchecked(descriptor)  # the rule under test, not the hash, must catch the edit


def test_a_continuation_without_its_claim_is_refused(data_copy):
    _edit_exclusions(data_copy, "50,second,continues a ledger claim,C06,", "50,second,continues a ledger claim,,")
    with pytest.raises(
        DataValidationError,
        match=r"claims_exclusions\.csv, CSV line 6, column 'claim': empty, "
        r"but reason 'continues a ledger claim' needs",
    ):
        pn.read_exclusions(data_copy)


def test_a_claim_id_on_a_reason_without_claims_is_refused(data_copy):
    _edit_exclusions(data_copy, "288,3,table reference,,", "288,3,table reference,C31,")
    with pytest.raises(
        DataValidationError,
        match=r"CSV line \d+, column 'claim': found 'C31', but reason "
        r"'table reference' refers to no claim",
    ):
        pn.read_exclusions(data_copy)


def test_an_unknown_reason_is_refused_by_the_schema(data_copy):
    _edit_exclusions(data_copy, "288,3,table reference,", "288,3,table number,")
    with pytest.raises(DataValidationError, match=r"column 'reason'.*'table number'"):
        pn.read_exclusions(data_copy)
