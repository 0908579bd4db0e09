"""The claims ledger: its quotes against the paper's text, its validation row by row, and the checks it names."""

from __future__ import annotations

import csv

import pytest

from analysis.audit import ledger
from analysis.errors import DataValidationError
from helpers.audit_ledger import set_cell, write_ledger

# --- the quotes against the paper's text ------------------------------------------------------


@pytest.mark.paper
def test_every_quote_is_verbatim_on_its_line(paper_lines, claims):
    """paper_lines comes from CIS_COMPENDIUM_PAPER; unset, it skips, and under CI=true it fails (conftest)."""
    wrong = {
        cid: (c.paper_line, c.quote)
        for cid, c in claims.items()
        if c.paper_line > len(paper_lines) or c.quote not in paper_lines[c.paper_line - 1]
    }
    assert not wrong, f"quotes not found verbatim on their paper_line: {wrong}"


@pytest.mark.paper
def test_quotes_are_found_in_the_whole_text(paper_text, claims):
    missing = [cid for cid, c in claims.items() if c.quote not in paper_text]
    assert not missing, missing


def test_quotes_are_short_and_on_one_line(claims):
    too_long = {cid: c.quote for cid, c in claims.items() if len(c.quote.split()) > 14 or "\n" in c.quote}
    assert not too_long, f"quotes must stay under 15 words on one line: {too_long}"


# --- the ledger's validation ------------------------------------------------------------------


def test_ledger_loads_with_unique_ids(claims):
    with ledger.CLAIMS_LEDGER.open(newline="", encoding="utf-8") as handle:
        assert len(claims) == sum(1 for _ in csv.DictReader(handle))
    assert all(claim.check_kind in ledger.CHECK_KINDS for claim in claims.values())


def test_unknown_check_kind_names_file_row_and_column(tmp_path):
    path = write_ledger(tmp_path, set_cell(2, "check_kind", "tabel"))
    with pytest.raises(DataValidationError) as error:
        ledger.read_ledger(path)
    message = str(error.value)
    for word in ("claims.csv", "CSV line 4", "'check_kind'", "unknown check kind", "'tabel'", "not checkable"):
        assert word in message


def test_unknown_check_id(tmp_path):
    path = write_ledger(tmp_path, set_cell(0, "check", "no_such_check"))
    with pytest.raises(DataValidationError, match=r"CSV line 2 .*'check'.*unknown check id 'no_such_check'"):
        ledger.read_ledger(path)


def test_duplicate_id(tmp_path):
    path = write_ledger(tmp_path, set_cell(5, "id", "C01"))
    with pytest.raises(DataValidationError, match=r"CSV line 7 .*duplicate id 'C01'.*CSV line 2"):
        ledger.read_ledger(path)


def test_missing_column(tmp_path):
    path = write_ledger(tmp_path, lambda columns, rows: ([c for c in columns if c != "quote"], rows))
    with pytest.raises(DataValidationError, match=r"claims\.csv: column\(s\) \['quote'\] missing"):
        ledger.read_ledger(path)


def test_bad_values_cell(tmp_path):
    path = write_ledger(tmp_path, set_cell(0, "values", "decades:1.5"))
    with pytest.raises(DataValidationError, match=r"column 'values': found 'decades:1.5'; expected key=number"):
        ledger.read_ledger(path)


def test_not_checkable_row_must_not_name_a_check(tmp_path):
    row = next(i for i, r in enumerate(ledger.ledger_frame().itertuples()) if r.check_kind == "not checkable")
    path = write_ledger(tmp_path, set_cell(row, "check", "sevenfold_increase"))
    with pytest.raises(DataValidationError, match=r"'check'.*check kind is 'not checkable'"):
        ledger.read_ledger(path)


def test_unknown_chapter_and_bad_line(tmp_path):
    with pytest.raises(DataValidationError, match=r"column 'chapter': unknown chapter '09-epilogue'"):
        ledger.read_ledger(write_ledger(tmp_path, set_cell(0, "chapter", "09-epilogue")))
    with pytest.raises(DataValidationError, match=r"column 'paper_line': found 'six'"):
        ledger.read_ledger(write_ledger(tmp_path, set_cell(0, "paper_line", "six")))


# --- the registry of checks -------------------------------------------------------------------


def test_every_check_function_is_used(claims):
    used = {claim.check for claim in claims.values() if claim.check}
    assert used == set(ledger.CHECKS), set(ledger.CHECKS) - used


def test_no_check_name_is_registered_twice():
    """Each module of checks registers its own; joined, no name may hide another."""
    per_module = [name for module in ledger.CHECK_MODULES for name in module.CHECKS]
    assert len(per_module) == len(set(per_module)) == len(ledger.CHECKS)


def test_every_check_is_registered_under_its_own_name():
    assert all(check.__name__ == name for name, check in ledger.CHECKS.items())
    # The share columns of Table 3 are checked by functions made per column, each under its own name.
    assert {
        "table3_bop_shares",
        "table3_estimate_shares",
        "table3_fdi_shares",
        "table3_exports_shares",
        "table3_oda_shares",
    } <= set(ledger.CHECKS)
