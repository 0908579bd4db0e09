"""The reproducibility audit: the ledger's quotes, its validation, the statuses, and hand calculations.

Expected numbers are worked out here by hand from the paper's printed
figures (Table 2, Table 3 and the text), never taken from analysis.audit.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis import audit, paths
from analysis.errors import DataValidationError, ParameterError

GOLDEN = Path(__file__).resolve().parent / "golden" / "audit_status.csv"


@pytest.fixture(scope="module")
def external_data(mirror_folder):
    """The pinned public files (the external checks need wdi.rda and the two UN DESA files); no download."""
    patch = pytest.MonkeyPatch()
    patch.setenv(paths.DATA_CACHE_ENV, str(mirror_folder))
    yield mirror_folder
    patch.undo()


@pytest.fixture(scope="module")
def inputs(external_data) -> audit.Inputs:
    return audit.Inputs()


@pytest.fixture(scope="module")
def claims() -> dict[str, audit.Claim]:
    return {claim.id: claim for claim in audit.read_ledger()}


@pytest.fixture(scope="module")
def audit_frame(external_data) -> pd.DataFrame:
    return audit.audit_table()


def _verdict(claims, inputs, check: str) -> audit.Verdict:
    claim = next(c for c in claims.values() if c.check == check)
    return audit.CHECKS[check](claim, inputs)


# --- the quotes against the paper's text ------------------------------------------------------

@pytest.mark.paper
def test_every_quote_is_verbatim_on_its_line(paper_lines, claims):
    """paper_lines comes from CIS_COMPENDIUM_PAPER; unset, it skips, and under CI=true it fails (conftest)."""
    wrong = {cid: (c.paper_line, c.quote) for cid, c in claims.items()
             if c.paper_line > len(paper_lines) or c.quote not in paper_lines[c.paper_line - 1]}
    assert not wrong, f"quotes not found verbatim on their paper_line: {wrong}"


@pytest.mark.paper
def test_quotes_are_found_in_the_whole_text(paper_text, claims):
    missing = [cid for cid, c in claims.items() if c.quote not in paper_text]
    assert not missing, missing


def test_quotes_are_short_and_on_one_line(claims):
    too_long = {cid: c.quote for cid, c in claims.items() if len(c.quote.split()) > 14 or "\n" in c.quote}
    assert not too_long, f"quotes must stay under 15 words on one line: {too_long}"


# --- the ledger's validation ------------------------------------------------------------------

def _write_ledger(tmp_path: Path, edit) -> Path:
    with audit.CLAIMS_LEDGER.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames), list(reader)
    columns, rows = edit(columns, rows)
    path = tmp_path / "claims.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _set(row_index: int, column: str, value: str):
    def edit(columns, rows):
        rows[row_index][column] = value
        return columns, rows
    return edit


def test_ledger_loads_with_unique_ids(claims):
    assert len(claims) == 56
    assert all(claim.check_kind in audit.CHECK_KINDS for claim in claims.values())


def test_unknown_check_kind_names_file_row_and_column(tmp_path):
    path = _write_ledger(tmp_path, _set(2, "check_kind", "tabel"))
    with pytest.raises(DataValidationError) as error:
        audit.read_ledger(path)
    message = str(error.value)
    for word in ("claims.csv", "CSV line 4", "'check_kind'", "unknown check kind", "'tabel'", "not checkable"):
        assert word in message


def test_unknown_check_id(tmp_path):
    path = _write_ledger(tmp_path, _set(0, "check", "no_such_check"))
    with pytest.raises(DataValidationError, match=r"CSV line 2 .*'check'.*unknown check id 'no_such_check'"):
        audit.read_ledger(path)


def test_duplicate_id(tmp_path):
    path = _write_ledger(tmp_path, _set(5, "id", "C01"))
    with pytest.raises(DataValidationError, match=r"CSV line 7 .*duplicate id 'C01'.*CSV line 2"):
        audit.read_ledger(path)


def test_missing_column(tmp_path):
    path = _write_ledger(tmp_path, lambda columns, rows: ([c for c in columns if c != "quote"], rows))
    with pytest.raises(DataValidationError, match=r"claims\.csv: column\(s\) \['quote'\] missing"):
        audit.read_ledger(path)


def test_bad_values_cell(tmp_path):
    path = _write_ledger(tmp_path, _set(0, "values", "decades:1.5"))
    with pytest.raises(DataValidationError, match=r"column 'values': found 'decades:1.5'; expected key=number"):
        audit.read_ledger(path)


def test_not_checkable_row_must_not_name_a_check(tmp_path):
    row = next(i for i, r in enumerate(audit.ledger_frame().itertuples()) if r.check_kind == "not checkable")
    path = _write_ledger(tmp_path, _set(row, "check", "sevenfold_increase"))
    with pytest.raises(DataValidationError, match=r"'check'.*check kind is 'not checkable'"):
        audit.read_ledger(path)


def test_unknown_chapter_and_bad_line(tmp_path):
    with pytest.raises(DataValidationError, match=r"column 'chapter': unknown chapter '09-epilogue'"):
        audit.read_ledger(_write_ledger(tmp_path, _set(0, "chapter", "09-epilogue")))
    with pytest.raises(DataValidationError, match=r"column 'paper_line': found 'six'"):
        audit.read_ledger(_write_ledger(tmp_path, _set(0, "paper_line", "six")))


def test_check_missing_a_value_names_the_row(tmp_path, inputs):
    path = _write_ledger(tmp_path, _set(0, "values", "centuries=0.15"))
    claim = audit.read_ledger(path)[0]
    with pytest.raises(DataValidationError, match=r"CSV line 2 .*needs 'decades'"):
        audit.evaluate(claim, inputs)


def test_every_check_function_is_used(claims):
    used = {claim.check for claim in claims.values() if claim.check}
    assert used == set(audit.CHECKS), set(audit.CHECKS) - used


def test_settings_reject_bad_parameters():
    with pytest.raises(ParameterError, match="rounding_tolerance"):
        audit.Settings(rounding_tolerance=0)
    with pytest.raises(ParameterError, match="demography_start"):
        audit.Settings(demography_start=2010, demography_end=2005)


# --- the statuses -----------------------------------------------------------------------------

def test_golden_statuses(audit_frame):
    golden = pd.read_csv(GOLDEN, dtype="string", keep_default_na=False)
    merged = golden.merge(audit_frame[["id", "status"]], on="id", how="outer", suffixes=("_golden", "_now"),
                          indicator=True)
    changed = merged[(merged["_merge"] != "both") | (merged["status_golden"] != merged["status_now"])]
    assert changed.empty, (
        "claim statuses differ from tests/golden/audit_status.csv (update the golden file only after "
        "checking the change):\n" + changed[["id", "status_golden", "status_now"]].to_string(index=False))


def test_statuses_follow_the_check_kind(audit_frame):
    assert set(audit_frame["status"]) <= set(audit.STATUSES)
    kinds = audit_frame.set_index("id")
    external = kinds[kinds["check_kind"] == "external"]
    assert (external["status"] == audit.EXTERNAL).all()
    not_checkable = kinds[kinds["check_kind"] == "not checkable"]
    assert (not_checkable["status"] == audit.NOT_CHECKABLE).all()
    checked = kinds[~kinds["check_kind"].isin(["external", "not checkable"])]
    assert not checked["status"].isin([audit.EXTERNAL, audit.NOT_CHECKABLE]).any()


def test_every_claim_has_numbers_and_a_sentence(audit_frame):
    assert list(audit_frame.columns) == audit.AUDIT_COLUMNS
    assert (audit_frame["explanation"].str.len() > 40).all()
    assert (audit_frame["explanation"].str.endswith(".")).all()
    assert (audit_frame["computed"].str.contains("=")).all()


def test_status_counts_cover_the_vocabulary(audit_frame):
    counts = audit.status_counts(audit_frame)
    assert list(counts["status"]) == list(audit.STATUSES)
    assert counts["claims"].sum() == len(audit_frame)


def test_write_audit_csv_is_complete_and_atomic(tmp_path, audit_frame):
    target = tmp_path / "results" / "audit.csv"
    written = audit.write_audit_csv(target)
    assert written == target
    assert [p.name for p in target.parent.iterdir()] == ["audit.csv"], "no temporary file may remain"
    back = pd.read_csv(target, dtype="string", keep_default_na=False)
    pd.testing.assert_frame_equal(back, audit_frame.fillna(""), check_dtype=False)


# --- hand calculations ------------------------------------------------------------------------

def test_sevenfold_increase_by_hand(claims, inputs):
    verdict = _verdict(claims, inputs, "sevenfold_increase")
    assert verdict.numbers["ratio"] == pytest.approx(3.5 / 0.5) == pytest.approx(7.0)
    assert verdict.status == audit.REPRODUCED


def test_fifteen_years_by_hand(claims, inputs):
    verdict = audit.CHECKS["years_since_independence"](claims["C01"], inputs)
    assert verdict.numbers == {"stated_years": 1.5 * 10, "elapsed_years": 2006 - 1991}


def test_table3_cells_by_hand(inputs):
    cells = audit.table3_cells(inputs=inputs).set_index(["iso3", "column"])
    # ODA 2002 over GDP 2003: 293 / 2760 * 100 = 10.6159..., printed 12.4: off.
    armenia_oda = cells.loc[("ARM", "oda_2002")]
    assert armenia_oda["recomputed_share"] == pytest.approx(10.61594, abs=1e-5)
    assert armenia_oda["difference"] == pytest.approx(10.61594 - 12.4, abs=1e-5)
    assert armenia_oda["class"] == "off"
    # Estimate: 850 / 2760 * 100 = 30.797, printed 30.8: exact.
    assert cells.loc[("ARM", "estimate"), "recomputed_share"] == pytest.approx(30.79710, abs=1e-5)
    assert cells.loc[("ARM", "estimate"), "class"] == "exact"
    # Kyrgyz BOP: 100 / 1775 * 100 = 5.634, printed 5.7 (0.066 away), but 100.5 / 1774.5 * 100 = 5.664
    # rounds to 5.7 once the levels' rounding to whole millions is allowed for.
    assert cells.loc[("KGZ", "bop_2003"), "recomputed_share"] == pytest.approx(5.63380, abs=1e-5)
    assert cells.loc[("KGZ", "bop_2003"), "share_high"] == pytest.approx(5.66357, abs=1e-5)
    assert cells.loc[("KGZ", "bop_2003"), "class"] == "within rounding"
    # Uzbekistan BOP is printed "n.a.".
    assert cells.loc[("UZB", "bop_2003"), "class"] == "n.a."
    summary = audit.table3_column_summary(inputs=inputs).set_index("column")
    assert summary.loc["oda_2002", "off"] == 7
    assert summary.loc["estimate", "exact"] == 7


def test_rounding_tolerance_is_used():
    strict = audit.Inputs(audit.Settings(rounding_tolerance=0.01))
    cells = audit.table3_cells(inputs=strict).set_index(["iso3", "column"])
    # 162 / 2760 * 100 = 5.8696 is 0.030 from the printed 5.9: exact at 0.05, not at 0.01.
    assert cells.loc[("ARM", "bop_2003"), "class"] != "exact"
    assert cells.loc[("ARM", "estimate"), "class"] == "exact"  # 30.797 vs 30.8


def test_oda_hypotheses_by_hand(inputs):
    frame = audit.table3_hypotheses(inputs=inputs).set_index("hypothesis")
    assert set(frame["column"]) == {"oda_2002"}
    explained = frame["cells_explained"]
    assert explained["unit slip (factor 10, 100 or 1000)"] == 0
    assert explained["swapped column"] == 0
    # Uzbekistan: 189 / 7828 * 100 = 2.414, which rounds to the printed 2.4 (GDP 8728 with 8 and 7 swapped).
    assert round(189 / 7828 * 100, 1) == 2.4
    assert explained["typo (adjacent digits transposed)"] == 1
    assert "Uzbekistan: GDP 8728 read as 7828" in frame.loc["typo (adjacent digits transposed)", "evidence"]
    assert explained["denominator smaller than GDP 2003 (an earlier year)"] == 7
    assert frame.loc[audit.GDP_2002_HYPOTHESIS, "tested"] == audit.EXTERNAL
    denominators = audit.table3_denominators(inputs=inputs).set_index("iso3")
    # Armenia: 293 / 12.4 * 100 = 2362.9 million US$ of GDP implied, 85.6% of the printed 2760.
    assert denominators.loc["ARM", "implied_gdp"] == pytest.approx(2362.903, abs=1e-3)
    assert denominators.loc["ARM", "implied_to_printed_2003"] == pytest.approx(2362.903 / 2760, abs=1e-6)


def test_table2_intervals_by_hand(claims, inputs):
    bands = {"Caucasus": (70.0, 90.0), "Moldova and Ukraine": (40.0, 60.0)}
    frame = audit.table2_russia_shares(bands, inputs).set_index("country")
    # Ukraine: 1000 / 2500 = 40%, 1500 / 2000 = 75%.
    assert (frame.loc["Ukraine", "share_low"], frame.loc["Ukraine", "share_high"]) == (40.0, 75.0)
    assert frame.loc["Ukraine", "position"] == "overlaps"
    assert frame.loc["Moldova", "position"] == "inside"  # 250 / 500 = 50%
    # Azerbaijan: 550 / 700 = 78.57%, 650 / 600 is above 1, capped at 100%.
    assert frame.loc["Azerbaijan", "share_low"] == pytest.approx(550 / 700 * 100)
    assert frame.loc["Azerbaijan", "share_high"] == 100.0
    # Armenia: 650 / 900 = 72.2%, 650 / 800 = 81.25%: inside 70-90%.
    assert frame.loc["Armenia", "position"] == "inside"
    assert _verdict(claims, inputs, "central_asia_caucasus_share").status == audit.PARTLY


def test_russia_share_of_table2_by_hand(claims, inputs):
    verdict = _verdict(claims, inputs, "russia_major_receiver")
    in_russia_low = 650 + 550 + 200 + 350 + 250 + 600 + 1000 + 550
    abroad_high = 900 + 700 + 300 + 450 + 500 + 700 + 2500 + 700
    assert verdict.numbers["share_low_pct"] == pytest.approx(in_russia_low / abroad_high * 100)


def test_unofficial_share_by_hand(claims, inputs):
    numbers = _verdict(claims, inputs, "unofficial_overwhelming").numbers
    assert numbers["unofficial_pct_ARM"] == pytest.approx(round((1 - 162 / 850) * 100, 1))  # 80.9
    assert numbers["unofficial_pct_MDA"] == pytest.approx(round((1 - 464 / 500) * 100, 1))  # 7.2
    assert numbers["unofficial_pct_russia_low"] == pytest.approx(round((1 - 3.5 / 7) * 100, 1))  # 50


def test_external_checks_against_the_raw_numbers(claims, inputs):
    # wdi.rda 'remout' for Kazakhstan, read by pyreadr directly: 2004 and 2005 in US$.
    import pyreadr

    raw = next(iter(pyreadr.read_r(str(Path(os.environ[paths.DATA_CACHE_ENV]) / "wdi.rda")).values()))
    kaz = raw[(raw["geo"] == "KAZ") & (raw["var"] == "remout")].set_index("t")["v"]
    numbers = _verdict(claims, inputs, "kazakhstan_growth_external").numbers
    assert numbers["factor_2005"] == pytest.approx(round(kaz[2005] / kaz[2004], 2))
    assert _verdict(claims, inputs, "kazakhstan_level_external").numbers["wdi_paid_2005"] == pytest.approx(
        round(kaz[2005] / 1e9, 3))
    assert not math.isnan(kaz[2000])
