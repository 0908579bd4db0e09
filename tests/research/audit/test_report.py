"""The audit of every claim: its statuses against the golden file, its columns, counts and CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.audit import ledger, report, statuses
from analysis.errors import DataValidationError, ParameterError
from helpers.audit_ledger import set_cell, write_ledger

GOLDEN = Path(__file__).resolve().parent / "golden" / "audit_status.csv"


def test_golden_statuses(audit_frame):
    golden = pd.read_csv(GOLDEN, dtype="string", keep_default_na=False)
    merged = golden.merge(
        audit_frame[["id", "status"]], on="id", how="outer", suffixes=("_golden", "_now"), indicator=True
    )
    changed = merged[(merged["_merge"] != "both") | (merged["status_golden"] != merged["status_now"])]
    assert changed.empty, (
        "claim statuses differ from tests/research/audit/golden/audit_status.csv (update the golden file only after "
        "checking the change):\n" + changed[["id", "status_golden", "status_now"]].to_string(index=False)
    )


def test_statuses_follow_the_check_kind(audit_frame):
    assert set(audit_frame["status"]) <= set(statuses.STATUSES)
    kinds = audit_frame.set_index("id")
    external = kinds[kinds["check_kind"] == "external"]
    assert (external["status"] == statuses.EXTERNAL).all()
    not_checkable = kinds[kinds["check_kind"] == "not checkable"]
    assert (not_checkable["status"] == statuses.NOT_CHECKABLE).all()
    checked = kinds[~kinds["check_kind"].isin(["external", "not checkable"])]
    assert not checked["status"].eq(statuses.EXTERNAL).any()
    # A check that finds the paper's figures cannot bound a claim says so, with the reason.
    unbounded = checked[checked["status"] == statuses.NOT_CHECKABLE]
    assert unbounded["explanation"].str.contains("cannot (?:bound|rank)").all(), unbounded["explanation"]


def test_every_status_has_a_colour():
    assert set(statuses.STATUS_COLOURS) == set(statuses.STATUSES)


def test_every_claim_has_numbers_and_a_sentence(audit_frame):
    assert list(audit_frame.columns) == report.AUDIT_COLUMNS
    assert (audit_frame["explanation"].str.len() > 40).all()
    assert (audit_frame["explanation"].str.endswith(".")).all()
    assert (audit_frame["computed"].str.contains("=")).all()


def test_status_counts_cover_the_vocabulary(audit_frame):
    counts = report.status_counts(audit_frame)
    assert list(counts["status"]) == list(statuses.STATUSES)
    assert counts["claims"].sum() == len(audit_frame)


def test_status_counts_by_hand():
    frame = pd.DataFrame({"status": [statuses.PARTLY, statuses.REPRODUCED, statuses.PARTLY]})
    counts = report.status_counts(frame).set_index("status")["claims"]
    assert counts[statuses.PARTLY] == 2 and counts[statuses.REPRODUCED] == 1
    assert counts[statuses.EXTERNAL] == 0


def test_write_audit_csv_is_complete_and_atomic(tmp_path, audit_frame):
    target = tmp_path / "results" / "audit.csv"
    written = report.write_audit_csv(target)
    assert written == target
    assert [p.name for p in target.parent.iterdir()] == ["audit.csv"], "no temporary file may remain"
    back = pd.read_csv(target, dtype="string", keep_default_na=False)
    pd.testing.assert_frame_equal(back, audit_frame.fillna(""), check_dtype=False)


def test_write_audit_csv_refuses_a_frame_that_is_not_the_audit(tmp_path, audit_frame):
    with pytest.raises(ParameterError, match=r"frame: columns .*expected \['id', 'section'"):
        report.write_audit_csv(tmp_path / "audit.csv", frame=audit_frame.drop(columns=["computed"]))
    assert not (tmp_path / "audit.csv").exists()


def test_check_missing_a_value_names_the_row(tmp_path, inputs):
    path = write_ledger(tmp_path, set_cell(0, "values", "centuries=0.15"))
    claim = ledger.read_ledger(path)[0]
    with pytest.raises(DataValidationError, match=r"CSV line 2 .*needs 'decades'"):
        report.evaluate(claim, inputs)


def test_verdict_of_an_unknown_check_names_the_known_ones(inputs):
    with pytest.raises(ParameterError, match=r"check='no_such_check': no claim of .*sevenfold_increase"):
        report.verdict_of("no_such_check", inputs=inputs)
