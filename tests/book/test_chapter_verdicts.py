"""Chapters never give a verdict of their own: every status of a paper's claim comes from the audit, by glue.

Two ways a page could contradict the audit are caught here:

- its prose types a verdict word ("holds", "cannot be checked", "mostly compatible", ...), which
  stays put when the audit's verdict changes;
- a glued status (``<prefix>-status-<claim id>``, see analysis/claim_verdicts.py) was stored
  when the audit said something else, so the committed page no longer matches it.

What is not prose is left out before the search: glue and other roles, inline code, code
blocks, directive options, text in double quotes (the paper's words, or a term being named),
and a list item that defines one of the audit's statuses (the audit appendix's legend).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from analysis import audit, paths
from analysis.audit import claim_verdicts
from analysis.errors import ParameterError

# The words that state a verdict on a claim: the audit's own statuses, and the paraphrases of
# them that a page might type instead. The one list; extend it here.
VERDICT_PHRASES = (
    *audit.STATUSES,
    "internally inconsistent",
    r"reproduced?",
    r"within rounding",
    r"partly",
    r"(?:does|do|did) not hold",
    r"(?:doesn't|don't) hold",
    r"(?:it|this|claim|statement) (?:still |only |also )?holds",
    r"holds? (?:for|against|true|up)",
    r"not checkable",
    r"uncheckable",
    r"(?:cannot|can not|can't|could not|couldn't) be (?:checked|verified)",
    r"(?:in)?compatible",
    r"(?:in)?consisten(?:t|tly|cy|cies)",
    r"contradict(?:s|ed|ing|ion|ions)?",
)
VERDICT = re.compile(r"\b(?:" + "|".join(VERDICT_PHRASES) + r")\b", re.IGNORECASE)
STATUS_DEFINITION = re.compile(
    r"^\s*[-*]\s+\*\*(?:" + "|".join(re.escape(status) for status in audit.STATUSES) + r")\*\*:", re.IGNORECASE
)
ROLE = re.compile(r"\{[\w:+-]+\}`[^`]*`")
INLINE_CODE = re.compile(r"`[^`\n]*`")
QUOTED = re.compile(r'"[^"]{0,300}"|\u201c[^\u201d]{0,300}\u201d')
FENCE = re.compile(r"^\s*(`{3,}|:{3,})\s*(\{[\w:-]+\})?(.*)$")
OPTION = re.compile(r"^\s*:[\w-]+:")
STATUS_KEY = re.compile(r"-status-(c\d+)$")


def pages() -> list[Path]:
    return sorted((paths.ROOT / "chapters").glob("*.ipynb")) + sorted((paths.ROOT / "book").glob("*.ipynb"))


def prose(markdown: str) -> str:
    """The reader's text of one markdown cell, without what is not prose (see the module docstring)."""
    kept, fences = [], []  # fences: (marker, is a directive) of each open block, innermost last
    for line in markdown.splitlines():
        match = FENCE.match(line)
        if fences and line.strip() == fences[-1][0]:
            fences.pop()
            continue
        if match:
            fences.append((match.group(1), bool(match.group(2))))
            if match.group(2) == "{table}":  # a table directive's argument is its caption
                kept.append(match.group(3))
            continue
        in_code = any(not directive for _, directive in fences)
        if in_code or OPTION.match(line) or STATUS_DEFINITION.match(line):
            continue
        kept.append(line)
    text = "\n".join(kept)
    for pattern in (ROLE, INLINE_CODE, QUOTED):
        text = pattern.sub(" ", text)
    return text


def typed_verdicts(markdown: str) -> list[str]:
    """Each verdict phrase typed in the prose of ``markdown``, with the words around it."""
    text = prose(markdown)
    return [" ".join(text[max(0, m.start() - 60) : m.end() + 40].split()) for m in VERDICT.finditer(text)]


def glued_statuses(notebook) -> dict[str, str]:
    """Claim id -> the status a page stored under a ``<prefix>-status-<claim id>`` glue key."""
    stored = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name", "")
            match = STATUS_KEY.search(name)
            if match:
                text = output["data"]["application/papermill.record/text/markdown"]
                stored[match.group(1).upper()] = text.strip("*")
    return stored


# ---- the detector itself, on hand-made prose ---------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        'The text\'s "70-90%" and "about half" are mostly compatible with Table 2.',
        "Ranks below fourth cannot be checked here.",
        "On the recorded figures alone it holds against FDI but not against aid.",
        "The audit finds that the claim partly holds.",
        "Here the text contradicts itself.",
        "The estimate's shares reproduce (the audit agrees).",
        "The figures are reproduced within rounding.",
        "- The quoted numbers are consistent with those ranks.",
        "```{glue:figure} fig-x\n:name: fig-x\n\nA caption whose figures do not hold.\n```",
        ":::{table} A caption that calls the claim not checkable.\n:name: tbl-x\n:::",
    ],
)
def test_a_typed_verdict_is_flagged(typed):
    assert typed_verdicts(typed), f"not flagged: {typed!r}"


@pytest.mark.parametrize(
    "glued",
    [
        "The audit's verdict on the ranking (claim C06) is {glue:md}`trends-status-c06`.",
        "The audit: {glue:md}`remittances-audit-estimate`, and {glue:}`audit-n-partly` claims.",
        'The paper calls the problem "not checkable" in its own words.',
        "- **partly holds**: it holds for some countries, columns or ends of a range only;",
        "What holds it together is a shared past; the ledger holds one row per statement.",
        "```python\nstatus = 'does not hold'\n```",
        "```{glue:figure} trends-partly-consistent\n:name: fig-trends\n\nA caption.\n```",
        ":::{table} A caption.\n:name: tbl-x\n\n```{glue:md} tbl-un-consistent\n:format: myst\n```\n:::",
    ],
)
def test_glued_quoted_and_defined_statuses_pass(glued):
    assert typed_verdicts(glued) == []


def test_a_stale_glued_status_is_found():
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("glue(...)")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/papermill.record/text/markdown": "*partly holds*"},
            metadata={"scrapbook": {"name": "trends-status-c15"}},
        )
    ]
    notebook.cells.append(cell)
    assert glued_statuses(notebook) == {"C15": "partly holds"}


# ---- the glue the chapters use ------------------------------------------------------------


def _ledger(tmp_path, *rows: str) -> Path:
    path = tmp_path / "claims.csv"
    path.write_text("\n".join([",".join(audit.LEDGER_COLUMNS), *rows]) + "\n", encoding="utf-8")
    return path


def test_glue_texts_give_each_claims_status_and_the_sentences_asked_for(tmp_path):
    ledger = _ledger(
        tmp_path,
        "X01,Brain drain,25 billion,230,loss=25,billion US$ a year,,UNDP 2004,not checkable,04-brain-drain,",
        # 2006 - 1991 = 15 years: as stated; 14 years is off by more than the half year of rounding.
        "X02,Introduction,15 years,60,years=15,years,2006,,arithmetic,01-trends,years_since_independence",
        "X03,Introduction,14 years,61,years=14,years,2006,,arithmetic,01-trends,years_since_independence",
    )
    texts = claim_verdicts.glue_texts(["X01", "X02", "X03"], explained=["X01"], ledger=ledger)
    assert {key: texts[key] for key in ("status-x01", "status-x02", "status-x03")} == {
        "status-x01": "*not checkable from the paper*",
        "status-x02": "*reproduced*",
        "status-x03": "*does not hold*",
    }
    assert set(texts) == {"status-x01", "status-x02", "status-x03", "explanation-x01"}
    # page.glue_markdown(prefix, texts) glues each under "<prefix>-<key>", the pattern status_key names.
    assert claim_verdicts.status_key("t", "X01") == "t-status-x01"
    # "US$" would open MyST's inline math; the glued sentence escapes it.
    assert "billion US\\$ a year" in texts["explanation-x01"]
    assert re.search(r"(?<!\\)\$", texts["explanation-x01"]) is None


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda ledger: claim_verdicts.glue_texts(["X99"], ledger=ledger), r"\['X99'\] are not in"),
        (lambda ledger: claim_verdicts.glue_texts("X01", ledger=ledger), "got the string 'X01'"),
        (
            lambda ledger: claim_verdicts.glue_texts(["X01"], explained=["X02"], ledger=ledger),
            r"explained: \['X02'\] are not among",
        ),
    ],
)
def test_glue_texts_refuse_unknown_claims(tmp_path, call, words):
    ledger = _ledger(
        tmp_path, "X01,Brain drain,25 billion,230,loss=25,billion US$,,UNDP 2004,not checkable,04-brain-drain,"
    )
    with pytest.raises(ParameterError, match=words):
        call(ledger)


# ---- every page of the book -------------------------------------------------------------


@pytest.fixture(scope="module")
def audit_statuses() -> dict[str, str]:
    return {claim_id: verdict.status for claim_id, (_, verdict) in audit.verdicts().items()}


@pytest.mark.parametrize("page", pages(), ids=lambda page: f"{page.parent.name}/{page.stem}")
def test_prose_types_no_verdict(page):
    notebook = nbformat.read(page, as_version=4)
    found = [
        f"cell {index} ({cell.get('id', '?')}): ...{context}..."
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        for context in typed_verdicts(cell.source)
    ]
    assert not found, (
        f"{page.relative_to(paths.ROOT)} types a verdict instead of gluing the audit's status "
        f"(analysis.audit.claim_verdicts.glue_texts):\n" + "\n".join(found)
    )


@pytest.mark.parametrize("page", pages(), ids=lambda page: f"{page.parent.name}/{page.stem}")
def test_glued_statuses_are_the_audits(page, audit_statuses):
    stored = glued_statuses(nbformat.read(page, as_version=4))
    stale = {
        claim: (status, audit_statuses.get(claim))
        for claim, status in stored.items()
        if audit_statuses.get(claim) != status
    }
    assert not stale, (
        f"{page.relative_to(paths.ROOT)} stores statuses the audit no longer gives (claim: stored, audit): "
        f"{stale}. Re-execute it: python -m compendium.notebooks {page.relative_to(paths.ROOT)}"
    )


def test_status_keys_follow_the_helpers_pattern():
    assert STATUS_KEY.search(claim_verdicts.status_key("trends", "C06")).group(1) == "c06"
