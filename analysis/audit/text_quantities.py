"""Every quantitative token of the paper's running text and footnotes, and what accounts for it.

The claims ledger (``data/paper/claims.csv``) is meant to hold every quantitative
statement of the running text and footnotes. :func:`walk` finds each number,
range, year, decade, date, percentage and quantity word; :func:`dispositions`
then says what accounts for each token, in this order:

1. the citation rule: the year of an author-year citation such as "(IOM 2004)"
   or "(Krasinets et al. 2000)" dates the cited work and states nothing;
2. a ledger claim: the token lies inside the verbatim quote of a claim on its
   line (for a token that breaks over two lines, one of its parts does);
3. the exclusion list ``data/paper/claims_exclusions.csv``: line, token as
   printed (whitespace collapsed) and a reason from :data:`EXCLUSION_REASONS`;
   a row covers every token of that text on its line.

A token left over is uncovered; ``tests/research/audit/test_ledger_complete.py`` lists each one.

What is not running text, and is never walked:

- Table blocks. A block starts at a line that begins "Table N." and ends with
  the table's source note. The note starts at the first line that begins with
  "Source" and runs on over the lines that follow it; after a blank line it
  continues only into an indented line (Table 1's sources break that way in the
  plain-text copy), and the first unindented line after a blank line ends it.
  The table rows are transcribed, and checked, in ``data/paper/table*.csv``.
- A reference list: a line reading only "References", "Bibliography" or
  "Literature" starts it, and it runs to the end of the text, since the years of
  a bibliography date works rather than state anything. This copy of the paper
  ends with its conclusions and has no reference list.

Footnotes are walked, even where one is printed inside a table block: a
footnote starts after a whitespace-only line of at least
:data:`FOOTNOTE_RULE_WIDTH` characters (the PDF's footnote rule) with a line
"N text", and runs through the lines that begin with a non-space character.

The vocabulary, and why:

- numerals, with a scale or unit that follows them ("12.1 mln.", "7 times",
  "1.5 decades", "15%") and ranges joined by "-", "–" or "to" ("5 to 15
  million", "1.5–2 times");
- years, decades ("1990s", "mid-1990s") and dates ("30 March 2006");
- number words, ordinals ("second"), multiplicatives ("half", "twice"), scale
  words ("thousands", "hundreds of thousands", "multi-million") and vague
  counts ("several", "numerous", "many", "majority"), since each states a
  count or an order of magnitude as much as a numeral does.

Left out on purpose: "most", "all", "both" and "each" (superlatives and
determiners of a named set, which count nothing), and size adjectives such as
"huge", "mass" or "overwhelming", which are qualitative; the ledger records
"the overwhelming part" as claim C29 in its own right.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.datapackage import read_resource, resource_path
from analysis.errors import DataValidationError

EXCLUSIONS_RESOURCE = "claims_exclusions"
FOOTNOTE_RULE_WIDTH = 20

CITATION_RULE = "citation year"  # the rule's reason is in the module's docstring

CONTINUES, RESTATES = "continues a ledger claim", "restates a ledger claim"
EXCLUSION_REASONS = {
    "footnote marker": "the number of a footnote, printed after a word or before the footnote's text",
    "citation detail": "the issue number or publication date of a cited press article (footnote 2)",
    "list enumerator": "the '(1)', '(2)' numbering of a list in the text",
    "table reference": "the number of a table the text refers to",
    CONTINUES: "part of the statement of a ledger claim printed outside that claim's quote",
    RESTATES: "a later sentence repeating, in words, a quantity that a ledger claim records",
    "figure of speech": "a number word that counts nothing ('only one country', 'a single space')",
    "vague count": "a count with no number or order of magnitude, and no source, to check it against",
}
CLAIM_REASONS = (CONTINUES, RESTATES)

_TABLE_CAPTION = re.compile(r"^Table \d+\.\s")
_SOURCE_NOTE = re.compile(r"^Sources?\b")
_REFERENCE_HEADING = re.compile(r"^(?:References|Bibliography|Literature)$", re.IGNORECASE)
_FOOTNOTE_START = re.compile(r"^\d+ \S")

_NUMBER = r"(?<!\d)(?<!\d[.,])\d+(?:[.,]\d+)*(?![.,]?\d)"
_GAP = r"[ \t]*\n?[ \t]*"  # spaces, and at most one line break
_UNIT = rf"(?:%|{_GAP}(?:(?:mln|bln)\b\.?|(?:million|billion|thousand)s?\b|(?:times|decades?|years?)\b))"
_YEAR = r"(?<!\d)(?:19|20)\d\d(?!\d)(?![.,]\d)"
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_WORDS = (
    r"(?:hundreds|dozens|tens)(?:" + _GAP + r"of" + _GAP + r"(?:thousands|millions|billions))?|multi-?millions?|"
    r"(?:thousand|million|billion|hundred|dozen)s?|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|fifty|single|"
    r"first|second|third|fourth|fifth|tenth|"
    r"half|halves|twice|double|triple|twofold|threefold|tenfold|"
    r"several|numerous|many|majority|minority|few"
)
_TOKEN = re.compile(
    rf"(?P<date>(?<!\d)\d{{1,2}} {_MONTH} (?:19|20)\d\d(?!\d))"
    rf"|(?P<range>{_NUMBER}{_UNIT}?(?:[ \t]*[-–][ \t]*|[ \t]+to[ \t]+){_NUMBER}{_UNIT}?)"
    rf"|(?P<decade>(?:mid-)?(?<!\d)(?:19|20)\d0s\b)"
    rf"|(?P<year>{_YEAR})"
    rf"|(?P<number>{_NUMBER}{_UNIT}?)"
    rf"|(?P<word>\b(?:{_WORDS})\b)",
    re.IGNORECASE,
)
# One part of a parenthesis: an optional lead-in ("for details please refer to:"), then
# authors without digits and a year with an optional a/b suffix.
_CITATION = re.compile(r"\s*(?:[a-z][^:]*:\s*)?[A-Z][^\d;:()]*?\s(?P<year>(?:19|20)\d\d)[ab]?\s*")


@dataclass(frozen=True)
class Token:
    """A quantitative token; ``parts`` holds (line, first column, end column) of each printed line it spans."""

    line: int
    text: str
    kind: str
    parts: tuple[tuple[int, int, int], ...]
    citation: bool = False


def table_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) 1-based lines of each table block, caption to the end of its source note."""
    blocks, index = [], 0
    while index < len(lines):
        if not _TABLE_CAPTION.match(lines[index].strip()):
            index += 1
            continue
        note = next((k for k in range(index + 1, len(lines)) if _SOURCE_NOTE.match(lines[k].strip())), None)
        if note is None:
            raise DataValidationError(
                f"paper text, line {index + 1}: table caption {lines[index].strip()!r} has no source note "
                "('Source: ...') after it, so the table block has no end. Restore the note in the paper's text."
            )
        last, after_blank = note, False
        for k in range(note + 1, len(lines)):
            if not lines[k].strip():
                after_blank = True
            elif after_blank and not lines[k][0].isspace():
                break
            else:
                last, after_blank = k, False
        blocks.append((index + 1, last + 1))
        index = last + 1
    return blocks


def footnote_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) 1-based lines of each footnote."""
    blocks = []
    for index in range(len(lines) - 1):
        rule = lines[index]
        if len(rule) >= FOOTNOTE_RULE_WIDTH and not rule.strip() and _FOOTNOTE_START.match(lines[index + 1]):
            last = index + 1
            while last + 1 < len(lines) and lines[last + 1][:1].strip():
                last += 1
            blocks.append((index + 2, last + 1))
    return blocks


def reference_list_start(lines: list[str]) -> int | None:
    """1-based line of the reference list's heading, or None when the text has none."""
    return next((i + 1 for i, line in enumerate(lines) if _REFERENCE_HEADING.match(line.strip())), None)


def walked_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is running text or a footnote (True) rather than a table or reference line."""
    walked = [True] * len(lines)
    start = reference_list_start(lines)
    for index in range(start - 1 if start else len(lines), len(lines)):
        walked[index] = False
    for first, last in table_blocks(lines):
        for index in range(first - 1, last):
            walked[index] = False
    for first, last in footnote_blocks(lines):
        for index in range(first - 1, last):
            walked[index] = True
    return walked


def _citation_year_offsets(text: str) -> set[int]:
    offsets = set()
    for group in re.finditer(r"\(([^()]*)\)", text):
        start = group.start(1)
        for part in group[1].split(";"):
            match = _CITATION.fullmatch(part)
            if match:
                offsets.add(start + match.start("year"))
            start += len(part) + 1
    return offsets


def walk(lines: list[str]) -> list[Token]:
    """Every quantitative token of the running text and footnotes, in reading order."""
    walked = walked_lines(lines)
    kept = [line if keep else "" for line, keep in zip(lines, walked)]
    text = "\n".join(kept)
    line_starts, offset = [], 0
    for line in kept:
        line_starts.append(offset)
        offset += len(line) + 1
    citations = _citation_year_offsets(text)

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset) - 1
        return line + 1, offset - line_starts[line]

    tokens = []
    for match in _TOKEN.finditer(text):
        parts, start = [], match.start()
        for piece in match.group().split("\n"):
            line, column = position(start)
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                parts.append((line, column + lead, column + len(piece.rstrip())))
            start += len(piece) + 1
        year_offset = match.start("year") if match.lastgroup == "year" else None
        text_as_printed = " ".join(match.group().split())
        kind = "percentage" if text_as_printed.endswith("%") else match.lastgroup
        tokens.append(
            Token(
                line=parts[0][0], text=text_as_printed, kind=kind, parts=tuple(parts), citation=year_offset in citations
            )
        )
    return tokens


def read_exclusions(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The exclusion list, checked against its schema and hash, and for the claim each reason needs."""
    frame = read_resource(EXCLUSIONS_RESOURCE, descriptor)
    path = resource_path(EXCLUSIONS_RESOURCE, descriptor)
    for row, reason, claim in zip(range(2, len(frame) + 2), frame["reason"], frame["claim"]):
        if reason in CLAIM_REASONS and pd.isna(claim):
            raise DataValidationError(
                f"{path}, CSV line {row}, column 'claim': empty, but reason {reason!r} needs the id of that "
                "ledger claim (e.g. C07). Fill it in."
            )
        if reason not in CLAIM_REASONS and not pd.isna(claim):
            raise DataValidationError(
                f"{path}, CSV line {row}, column 'claim': found {claim!r}, but reason {reason!r} refers to no "
                f"claim. Clear the cell, or give the reason {CONTINUES!r} or {RESTATES!r}."
            )
    return frame


def dispositions(lines: list[str], claims, exclusions: pd.DataFrame) -> pd.DataFrame:
    """One row per token: line, token, kind and what covers it (``by``: citation rule, claim, exclusion or empty).

    ``claims`` are ledger claims (anything with ``id``, ``quote`` and ``paper_line``);
    ``exclusions`` has the columns ``paper_line``, ``token`` and ``reason``.
    """
    quotes: dict[int, list[tuple[int, int, str]]] = {}
    for claim in claims:
        if claim.paper_line > len(lines):
            continue
        line = lines[claim.paper_line - 1]
        for found in re.finditer(re.escape(claim.quote), line):
            quotes.setdefault(claim.paper_line, []).append((found.start(), found.end(), claim.id))
    excluded = {
        (int(line), token): reason
        for line, token, reason in zip(exclusions["paper_line"], exclusions["token"], exclusions["reason"])
    }
    rows = []
    for token in walk(lines):
        covering = [
            claim
            for line, start, end in token.parts
            for first, last, claim in quotes.get(line, [])
            if first <= start and end <= last
        ]
        if token.citation:
            by, how = CITATION_RULE, "rule"
        elif covering:
            by, how = covering[0], "claim"
        elif (token.line, token.text) in excluded:
            by, how = excluded[(token.line, token.text)], "exclusion"
        else:
            by, how = "", ""
        rows.append({"paper_line": token.line, "token": token.text, "kind": token.kind, "covered_by": how, "by": by})
    return pd.DataFrame(rows, columns=["paper_line", "token", "kind", "covered_by", "by"])
