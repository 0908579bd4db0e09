"""The claims ledger is complete: every quantitative token of the paper's running text and footnotes is a
claim's, a citation year, or excluded with a reason (issue 12, section 5).

The text comes from CIS_COMPENDIUM_PAPER (see conftest.py): unset, these tests skip; under CI=true they fail.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.audit import text_quantities as pn
from analysis.audit.claim import Claim
from analysis.audit.ledger import read_ledger
from analysis.data import paper

# A continuation belongs to the claim's own sentence, which the paper never breaks over more lines than this.
MAX_CONTINUATION_LINES = 3
TABLE_SECTION = "Table 3"


@pytest.fixture(scope="module")
def claims() -> list[Claim]:
    return read_ledger()


@pytest.fixture(scope="module")
def exclusions() -> pd.DataFrame:
    return pn.read_exclusions()


@pytest.fixture(scope="module")
def table(paper_lines, claims, exclusions) -> pd.DataFrame:
    return pn.dispositions(paper_lines, claims, exclusions)


@pytest.mark.paper
def test_every_quantitative_token_is_in_the_ledger_or_excluded(table):
    uncovered = table[table["covered_by"] == ""]
    listing = "\n".join(f"  line {row.paper_line}: {row.token!r} ({row.kind})" for row in uncovered.itertuples())
    assert uncovered.empty, (
        f"{len(uncovered)} quantitative token(s) of the running text are neither in a claim's quote on their line "
        f"(data/paper/claims.csv) nor in data/paper/claims_exclusions.csv:\n{listing}\n"
        "Append a claim for each new statement, or an exclusion with its reason; then run "
        "`python -m analysis.package_check rehash`."
    )


@pytest.mark.paper
def test_every_exclusion_still_matches_a_token_on_its_line(table, exclusions):
    used = set(
        zip(
            table.loc[table["covered_by"] == "exclusion", "paper_line"],
            table.loc[table["covered_by"] == "exclusion", "token"],
        )
    )
    stale = [
        f"  line {line}: {token!r}"
        for line, token in zip(exclusions["paper_line"], exclusions["token"])
        if (int(line), token) not in used
    ]
    assert not stale, (
        "exclusions that match no uncovered token on their line (the text, a quote or the "
        "tokenizer changed); delete or correct them:\n" + "\n".join(stale)
    )


def test_exclusions_point_at_ledger_claims_nearby(claims, exclusions):
    lines = {claim.id: claim.paper_line for claim in claims}
    rows = exclusions[exclusions["reason"].isin(pn.CLAIM_REASONS)]
    unknown = sorted(set(rows["claim"]) - set(lines))
    assert not unknown, f"exclusions name claims that are not in the ledger: {unknown}"
    continuations = rows[rows["reason"] == pn.CONTINUES]
    far = [
        (line, token, claim)
        for line, token, claim in zip(continuations["paper_line"], continuations["token"], continuations["claim"])
        if abs(int(line) - lines[claim]) > MAX_CONTINUATION_LINES
    ]
    assert not far, f"a continuation must be within {MAX_CONTINUATION_LINES} lines of its claim: {far}"


@pytest.mark.paper
def test_the_walk_leaves_no_digit_of_the_running_text_untokenized(paper_lines):
    spans: dict[int, list[tuple[int, int]]] = {}
    for token in pn.walk(paper_lines):
        for line, start, end in token.parts:
            spans.setdefault(line, []).append((start, end))
    missed = []
    for number, (line, walked) in enumerate(zip(paper_lines, pn.walked_lines(paper_lines)), start=1):
        kept = list(line)
        for start, end in spans.get(number, []):
            kept[start:end] = " " * (end - start)
        if walked and re.search(r"\d", "".join(kept)):
            missed.append((number, line))
    assert not missed, f"digits outside every token: {missed}"


@pytest.mark.paper
def test_table_blocks_hold_every_transcribed_table_row_and_nothing_else(paper_lines, claims):
    blocks = pn.table_blocks(paper_lines)
    assert [paper_lines[first - 1].split(".")[0] for first, _ in blocks] == ["Table 1", "Table 2", "Table 3"]
    walked = pn.walked_lines(paper_lines)
    table_rows = pd.concat(
        [
            frame["paper_line"]
            for frame in (paper.table1(), paper.table2(), paper.table3_levels(), paper.table3_shares())
        ]
    )
    assert not [line for line in table_rows if walked[int(line) - 1]], "a transcribed table row would be walked"
    # The ledger's claims on the running text and footnotes lie on walked lines; those on Table 3 do not.
    misplaced = [claim.id for claim in claims if walked[claim.paper_line - 1] == (claim.section == TABLE_SECTION)]
    assert not misplaced, f"claims on the wrong side of a table block's edge: {misplaced}"


@pytest.mark.paper
def test_the_footnotes_are_walked_and_the_text_has_no_reference_list(paper_lines):
    assert [paper_lines[first - 1][:2] for first, _ in pn.footnote_blocks(paper_lines)] == ["1 ", "2 "]
    # This copy ends with the conclusions: every line after the last table is running text.
    assert pn.reference_list_start(paper_lines) is None


@pytest.mark.paper
def test_every_citation_year_closes_an_author_year_citation(paper_lines):
    wrong = []
    for token in pn.walk(paper_lines):
        if token.citation:
            line, _, end = token.parts[-1]
            after = re.sub(r"^[ab]", "", paper_lines[line - 1][end:]).lstrip()
            if not after.startswith((")", ";")):
                wrong.append((line, token.text))
    assert not wrong, f"years taken for citations that do not end one: {wrong}"
