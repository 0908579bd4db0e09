"""Loading and validation of the transcribed tables.

Each bad-input test mutates a copy of a real file and expects a clear error
naming the file, the row or column, and the broken rule.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import package_check, paths
from analysis.data import datapackage, paper
from analysis.errors import DataUnavailableError, DataValidationError
from helpers.hashes import record_hashes_unchecked


def _edit(descriptor: Path, resource: str, old: str, new: str) -> Path:
    path = descriptor.parent / "paper" / f"{resource}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the test's mutation target {old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_every_resource_verifies():
    assert set(datapackage.verify_all()) >= {
        paper.TABLE1,
        paper.TABLE2,
        paper.TABLE3_LEVELS,
        paper.TABLE3_SHARES,
    }


def test_table1_types_and_codes():
    frame = paper.table1()
    assert len(frame) == 12
    assert frame["iso3"].is_unique
    assert str(frame["gdp_per_capita_usd"].dtype) == "Float64"
    assert str(frame["poverty_below_2usd_day_pct"].dtype) == "Int64"
    row = frame.set_index("iso3").loc["RUS"]
    assert row["country_as_printed"] == "Russian Federation"
    assert row["gdp_per_capita_usd"] == 6330.8


def test_ranges_and_missing_values_in_table2():
    frame = paper.table2().set_index("iso3")
    assert frame.loc["UKR", ["abroad_low_thousands", "abroad_high_thousands"]].tolist() == [2000, 2500]
    # A single printed value is a degenerate range, never a midpoint.
    assert frame.loc["MDA", "abroad_low_thousands"] == frame.loc["MDA", "abroad_high_thousands"] == 500
    # Russia's "-" is missing, not zero.
    assert pd.isna(frame.loc["RUS", "in_russia_low_thousands"])
    assert pd.isna(frame.loc["RUS", "in_russia_high_thousands"])


def test_na_in_table3_is_missing_not_zero():
    levels = paper.table3_levels().set_index("iso3")
    shares = paper.table3_shares().set_index("iso3")
    assert pd.isna(levels.loc["UZB", "remittances_bop_2003_musd"])
    assert pd.isna(shares.loc["UZB", "remittances_bop_2003_pct_gdp"])


def test_one_country_one_code_and_name_across_tables():
    t1 = paper.table1().set_index("iso3")
    t3 = paper.table3_levels().set_index("iso3")
    assert t1.loc["KGZ", "country_as_printed"] == "Kyrgyzstan"
    assert t3.loc["KGZ", "country_as_printed"] == "Kyrgyz Republic"
    assert t1.loc["KGZ", "country"] == t3.loc["KGZ", "country"]
    merged = paper.remittance_cross_section()
    assert sorted(merged["iso3"]) == sorted(t3.index)
    assert merged.set_index("iso3").loc["KGZ", "gdp_per_capita_usd"] == 507.7


def test_units_are_declared_for_every_value_column():
    for name in (paper.TABLE1, paper.TABLE2, paper.TABLE3_LEVELS, paper.TABLE3_SHARES):
        units = datapackage.field_units(name)
        value_columns = [
            c
            for c in datapackage.read_resource(name).columns
            if c not in ("country_as_printed", "paper_line", "printed_row")
        ]
        assert set(value_columns) == set(units), name


def test_non_number_is_refused(data_copy):
    _edit(data_copy, paper.TABLE1, "Armenia,1234.0,49", "Armenia,abc,49")
    with pytest.raises(DataValidationError) as error:
        paper.table1(data_copy)
    message = str(error.value)
    assert "table1_living_standards.csv" in message
    assert "data row 1" in message and "gdp_per_capita_usd" in message and "'abc'" in message
    assert "type-error" in message


def test_duplicate_country_is_refused(data_copy):
    _edit(data_copy, paper.TABLE1, "Georgia,1765.8,16", "Armenia,1765.8,16")
    with pytest.raises(DataValidationError, match=r"unique|primary-key") as error:
        paper.table1(data_copy)
    assert "country_as_printed" in str(error.value) and "data row 4" in str(error.value)


def test_negative_value_is_refused(data_copy):
    _edit(data_copy, paper.TABLE3_LEVELS, "Georgia,237,", "Georgia,-237,")
    with pytest.raises(DataValidationError, match="minimum") as error:
        paper.table3_levels(data_copy)
    assert "remittances_bop_2003_musd" in str(error.value) and "'-237'" in str(error.value)


def test_share_above_100_is_refused(data_copy):
    _edit(data_copy, paper.TABLE3_SHARES, "Moldova,23.8,", "Moldova,123.8,")
    with pytest.raises(DataValidationError, match="maximum") as error:
        paper.table3_shares(data_copy)
    assert "remittances_bop_2003_pct_gdp" in str(error.value) and "data row 5" in str(error.value)


def test_a_missing_column_is_named_and_no_other(data_copy):
    path = data_copy.parent / "paper" / f"{paper.TABLE1}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns="poverty_below_2usd_day_pct").to_csv(path, index=False)
    with pytest.raises(DataValidationError) as error:
        paper.table1(data_copy)
    message = str(error.value)
    assert "column 'poverty_below_2usd_day_pct' is missing" in message
    # Frictionless alone blamed the last column and then every row of a shifted one.
    assert "printed_row" not in message and "paper_line" not in message and "(1 problem(s))" in message


def test_an_extra_column_is_named(data_copy):
    path = data_copy.parent / "paper" / f"{paper.TABLE1}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.insert(2, "notes", "checked")
    frame.to_csv(path, index=False)
    with pytest.raises(DataValidationError) as error:
        paper.table1(data_copy)
    message = str(error.value)
    assert "column 'notes' (CSV column 3) is not in the schema" in message
    assert "poverty_below_2usd_day_pct" not in message and "(1 problem(s))" in message


def test_changed_file_fails_its_hash(data_copy):
    # Schema-valid, but no longer what was checked against the paper.
    _edit(data_copy, paper.TABLE1, "Armenia,1234.0,49", "Armenia,1234.5,49")
    with pytest.raises(DataValidationError, match="sha256") as error:
        paper.table1(data_copy)
    assert "rehash" in str(error.value) and "git checkout" in str(error.value)


def test_empty_file_is_refused(data_copy):
    (data_copy.parent / "paper" / f"{paper.TABLE3_SHARES}.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataValidationError, match="empty"):
        paper.table3_shares(data_copy)


def test_truncated_file_is_refused(data_copy):
    path = data_copy.parent / "paper" / f"{paper.TABLE2}.csv"
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])
    with pytest.raises(DataValidationError) as error:
        paper.table2(data_copy)
    assert "table2_migrant_workers.csv" in str(error.value)


def test_truncated_at_a_row_boundary_fails_its_hash(data_copy):
    path = data_copy.parent / "paper" / f"{paper.TABLE1}.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-2]), encoding="utf-8")
    with pytest.raises(DataValidationError, match="sha256"):
        paper.table1(data_copy)


def test_reversed_range_is_refused(data_copy):
    _edit(data_copy, paper.TABLE2, "Armenia,800,900,", "Armenia,900,800,")
    record_hashes_unchecked(data_copy)  # a schema-valid edit; only the range rule can catch it
    with pytest.raises(DataValidationError, match="exceeds") as error:
        paper.table2(data_copy)
    assert "abroad_low_thousands" in str(error.value) and "Armenia" in str(error.value)


def test_missing_file_is_reported(data_copy):
    (data_copy.parent / "paper" / f"{paper.TABLE1}.csv").unlink()
    with pytest.raises(DataUnavailableError, match="missing"):
        paper.table1(data_copy)


def test_unknown_country_name_is_refused(data_copy):
    _edit(data_copy, paper.TABLE1, "Armenia,1234.0,49", "Armenica,1234.0,49")
    record_hashes_unchecked(data_copy)
    with pytest.raises(DataValidationError, match="Armenica"):
        paper.table1(data_copy)


# ---- rehash checks before it records; check applies the loaders' rules --------------

RULE_BREAKING_EDITS = [  # resource, text replaced, replacement, words the refusal must contain
    (paper.TABLE2, "Armenia,800,900,", "Armenia,900,800,", ["abroad_low_thousands=900 exceeds"]),  # low <= high
    (paper.TABLE3_SHARES, "Moldova,23.8,", "Moldova,123.8,", ["maximum", "remittances_bop_2003_pct_gdp"]),
    (paper.TABLE1, "Georgia,1765.8,16", "Armenia,1765.8,16", ["country_as_printed", "unique"]),  # keys unique
    (paper.TABLE1, "Armenia,1234.0,49", "Armenica,1234.0,49", ["Armenica"]),  # a name no loader resolves
    ("trafficking_measures", "P1;P2,216", "P1;P9,216", ["addresses", "P9"]),  # a measure of no known problem
]


@pytest.mark.parametrize("resource, old, new, words", RULE_BREAKING_EDITS)
def test_rehash_records_nothing_when_a_file_breaks_its_schema_or_its_loaders_rules(
    data_copy, resource, old, new, words
):
    before = data_copy.read_bytes()
    _edit(data_copy, resource, old, new)
    with pytest.raises(DataValidationError) as error:
        package_check.rehash(data_copy)
    message = str(error.value)
    assert "no hash was recorded" in message and f"{resource}.csv" in message
    for word in words:
        assert word in message
    assert data_copy.read_bytes() == before


def test_rehash_records_a_deliberate_correction(data_copy):
    path = _edit(data_copy, paper.TABLE2, "Armenia,800,900,", "Armenia,810,900,")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert package_check.rehash(data_copy)[paper.TABLE2] == digest
    recorded = {r["name"]: r["hash"] for r in json.loads(data_copy.read_text(encoding="utf-8"))["resources"]}
    assert recorded[paper.TABLE2] == f"sha256:{digest}"
    assert paper.table2(data_copy).set_index("iso3").loc["ARM", "abroad_low_thousands"] == 810


def _set_path(descriptor: Path, resource: str, path: str) -> None:
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    [entry] = [r for r in package["resources"] if r["name"] == resource]
    entry["path"] = path
    descriptor.write_text(json.dumps(package, indent=2), encoding="utf-8")


@pytest.mark.parametrize("outside", ["/etc/passwd", "../outside.csv"])
def test_a_resource_path_outside_data_is_refused_by_rehash_check_and_the_loader(data_copy, outside):
    (data_copy.parent.parent / "outside.csv").write_text("country_as_printed\nArmenia\n", encoding="utf-8")
    _set_path(data_copy, paper.TABLE1, outside)
    before = data_copy.read_bytes()
    with pytest.raises(DataValidationError, match="outside") as error:
        package_check.rehash(data_copy)
    assert paper.TABLE1 in str(error.value) and outside in str(error.value)
    assert data_copy.read_bytes() == before  # no sha256 of /etc/passwd recorded
    assert any("outside" in problem for problem in package_check.package_problems(data_copy)[paper.TABLE1])
    with pytest.raises(DataValidationError, match="outside"):
        paper.table1(data_copy)


@pytest.mark.parametrize("command", ["check", "rehash"])
def test_a_missing_file_is_one_clear_message_without_a_traceback(data_copy, command):
    (data_copy.parent / "paper" / f"{paper.TABLE1}.csv").unlink()
    before = data_copy.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "analysis.package_check", command, str(data_copy)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "table1_living_standards.csv" in result.stderr and "missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert data_copy.read_bytes() == before


def test_check_applies_the_loaders_rules_and_reports_every_problem_in_every_file(data_copy):
    _edit(data_copy, paper.TABLE2, "Armenia,800,900,", "Armenia,900,800,")
    _edit(data_copy, paper.TABLE2, "Azerbaijan,600,700,", "Azerbaijan,700,600,")
    _edit(data_copy, paper.TABLE1, "Armenia,1234.0,49", "Armenica,1234.0,49")
    _edit(data_copy, "trafficking_measures", "P1;P2,216", "P1;P9,216")
    record_hashes_unchecked(data_copy)  # hashes that match: only the rules can object
    problems = package_check.package_problems(data_copy)
    assert {name for name, found in problems.items() if found} == {paper.TABLE1, paper.TABLE2, "trafficking_measures"}
    table2 = "\n".join(problems[paper.TABLE2])
    assert "data row 1 (Armenia)" in table2 and "data row 2 (Azerbaijan)" in table2
    assert "Armenica" in "\n".join(problems[paper.TABLE1])
    assert "P9" in "\n".join(problems["trafficking_measures"])


def test_every_resource_has_a_loader_whose_rules_check_and_rehash_apply():
    from analysis.package_check import loaders

    assert set(datapackage.resource_names()) == set(loaders())


# ---- a content that passed its schema is not checked again, until content or schema change ----


def test_a_passed_content_is_not_validated_again_by_a_later_process(data_copy, tmp_path, monkeypatch):
    code = (
        "import sys\nfrom pathlib import Path\nfrom analysis import paths\nfrom analysis.data import paper\n"
        f"paths.SCHEMA_PASSED_DIR = Path({str(tmp_path / 'passed')!r})\n"
        f"paper.table1(Path({str(data_copy)!r}))\nprint('frictionless' in sys.modules)"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (first.stdout.split(), second.stdout.split()) == (["True"], ["False"])
    assert len(list((tmp_path / "passed").iterdir())) == 1


def test_a_changed_schema_or_content_is_validated_again(data_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "SCHEMA_PASSED_DIR", tmp_path / "passed")
    paper.table1(data_copy)
    datapackage._schema_errors_of_content.cache_clear()  # as in a new process
    package = json.loads(data_copy.read_text(encoding="utf-8"))
    [table1] = [r for r in package["resources"] if r["name"] == paper.TABLE1]
    [poverty] = [f for f in table1["schema"]["fields"] if f["name"] == "poverty_below_2usd_day_pct"]
    poverty["constraints"]["maximum"] = 70  # Uzbekistan's 72 now breaks it, though the file did not change
    data_copy.write_text(json.dumps(package, indent=2), encoding="utf-8")
    with pytest.raises(DataValidationError, match="maximum"):
        paper.table1(data_copy)
    _edit(data_copy, paper.TABLE1, "Uzbekistan,498.6,72", "Uzbekistan,498.6,69")  # passes the new schema
    with pytest.raises(DataValidationError, match="sha256"):  # and is then refused by its hash, as before
        paper.table1(data_copy)
    assert len(list((tmp_path / "passed").iterdir())) == 2


def test_a_schema_pass_that_cannot_be_recorded_is_validated_again(data_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "SCHEMA_PASSED_DIR", tmp_path / "passed")

    def read_only(contents, *, result=True):
        raise PermissionError(13, "Permission denied", str(next(iter(contents))))

    monkeypatch.setattr(datapackage, "write_atomically", read_only)
    assert len(paper.table1(data_copy)) == 12
    assert not (tmp_path / "passed").exists() or not list((tmp_path / "passed").iterdir())
