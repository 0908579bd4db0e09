"""results: files round-trip, carry the data hashes and the commit, and are written atomically."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis import files, paths, results
from analysis.errors import DataUnavailableError, DataValidationError, ParameterError
from analysis.figures.model_plots import plot_coefficients
from analysis.models import catalogue
from analysis.models.multiverse import specification_curve

PAPER_FILES = {
    "table1_living_standards": "table1_living_standards.csv",
    "table3_remittances_levels": "table3_remittances_levels.csv",
    "table3_remittances_shares": "table3_remittances_shares.csv",
}


@pytest.fixture(scope="module")
def estimates():
    return catalogue.fit_all(boot_draws=200)


@pytest.fixture()
def written(tmp_path, estimates):
    targets = results.write_models(estimates, directory=tmp_path)
    return tmp_path, targets


def sha256_of(name: str) -> str:
    return hashlib.sha256((paths.PAPER_DATA_DIR / PAPER_FILES[name]).read_bytes()).hexdigest()


def test_files_round_trip(written, estimates):
    directory, targets = written
    assert targets == {"csv": directory / "models.csv", "json": directory / "models.json"}
    from_csv = results.read_results(directory=directory)
    from_json = results.read_results(fmt="json", directory=directory)
    pd.testing.assert_frame_equal(from_csv, from_json)
    expected = results.model_rows(estimates)
    pd.testing.assert_frame_equal(from_csv[expected.columns], expected, check_dtype=False, rtol=0, atol=0)


def test_rows_carry_every_required_field(written, estimates):
    table = results.read_results(directory=written[0])
    required = [
        "model_id",
        "formula",
        "n",
        "coef",
        "se",
        "t",
        "p_classical",
        "p_hc3",
        "p_permutation",
        "r2",
        "ci_low",
        "ci_high",
        "boot_low",
        "boot_high",
        "data_sha256",
        "git_commit",
        "git_worktree",
    ]
    assert set(required) <= set(table.columns)
    assert table["model_id"].tolist() == catalogue.model_ids()
    for row, estimate in zip(table.itertuples(), estimates):
        assert row.coef == estimate.analysis.ols.coef
        assert row.p_permutation == estimate.analysis.permutation.p_value
        assert row.boot_low == estimate.analysis.bootstrap.low
        assert row.formula == estimate.spec.formula


def test_rows_carry_the_hashes_of_the_files_they_used(written):
    table = results.read_results(directory=written[0]).set_index("model_id")
    for model_id, row in table.iterrows():
        hashes = results.parse_hash_field(row["data_sha256"])
        used = catalogue.spec(model_id).resources
        assert set(hashes) == set(used)
        assert hashes == {name: sha256_of(name) for name in used}
    assert set(results.parse_hash_field(table.loc["M6", "data_sha256"])) == {"table1_living_standards"}
    metadata = results.read_metadata(directory=written[0])
    assert metadata["data_sha256"] == {name: sha256_of(name) for name in PAPER_FILES}


def test_rows_carry_the_commit(written):
    table = results.read_results(directory=written[0])
    head = subprocess.run(["git", "-C", str(paths.ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    status = subprocess.run(
        ["git", "-C", str(paths.ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
    )
    if head.returncode != 0:
        assert set(table["git_commit"]) == {"unknown"}
        return
    assert set(table["git_commit"]) == {head.stdout.strip()}
    assert set(table["git_worktree"]) == {"dirty" if status.stdout.strip() else "clean"}
    assert results.read_metadata(directory=written[0])["git_commit"] == head.stdout.strip()


def test_outside_a_git_repository_the_commit_is_unknown(tmp_path, estimates):
    assert results.git_state(tmp_path) == ("unknown", "unknown")
    results.write_models(estimates[:1], directory=tmp_path / "out", root=tmp_path)
    table = results.read_results(directory=tmp_path / "out")
    assert table.loc[0, "git_commit"] == "unknown" and table.loc[0, "git_worktree"] == "unknown"


def test_multiverse_round_trips(tmp_path):
    curve = specification_curve()
    results.write_multiverse(curve, directory=tmp_path)
    back = results.read_results("multiverse", directory=tmp_path)
    pd.testing.assert_frame_equal(back[curve.columns], curve, check_dtype=False, rtol=0, atol=0)
    assert set(results.parse_hash_field(back.loc[0, "data_sha256"])) == set(PAPER_FILES)


def test_failed_write_leaves_the_good_result(written, monkeypatch):
    directory, targets = written
    before = {fmt: path.read_bytes() for fmt, path in targets.items()}
    bad = pd.DataFrame({"model_id": ["M1"], "value": [{1, 2}]})
    with pytest.raises(ParameterError, match=r"cannot write a value of type set"):
        results.write_table(bad, "models", resources=["table1_living_standards"], directory=directory)

    def disk_full(_descriptor):
        raise OSError("No space left on device")

    monkeypatch.setattr(files.os, "fsync", disk_full)
    good = pd.DataFrame({"model_id": ["M1"], "value": [1.0]})
    with pytest.raises(OSError, match="No space"):
        results.write_table(good, "models", resources=["table1_living_standards"], directory=directory)
    assert {fmt: path.read_bytes() for fmt, path in targets.items()} == before
    assert sorted(p.name for p in directory.iterdir()) == ["models.csv", "models.json"]


def test_changed_data_file_is_refused(tmp_path):
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    edited = tmp_path / "data" / "paper" / PAPER_FILES["table1_living_standards"]
    edited.write_text(edited.read_text(encoding="utf-8").replace("1234.0", "1235.0"), encoding="utf-8")
    descriptor = tmp_path / "data" / "datapackage.json"
    with pytest.raises(DataValidationError, match=r"table1_living_standards.csv: sha256 is .* records"):
        results.data_hashes(["table1_living_standards"], descriptor)
    assert results.data_hashes(["table3_remittances_levels"], descriptor) == {
        "table3_remittances_levels": sha256_of("table3_remittances_levels")
    }


def test_bad_names_and_missing_files(tmp_path, estimates):
    with pytest.raises(ParameterError, match=r"results name '../models' must be letters"):
        results.write_models(estimates, "../models", directory=tmp_path)
    with pytest.raises(ParameterError, match=r"write_models got no estimates"):
        results.write_models([], directory=tmp_path)
    with pytest.raises(DataUnavailableError, match=r"models.csv does not exist; write it first"):
        results.read_results(directory=tmp_path)
    with pytest.raises(ParameterError, match=r"fmt 'xlsx' is unknown"):
        results.read_results(fmt="xlsx", directory=tmp_path)


def test_json_is_standard_json_without_nan(tmp_path, estimates):
    # x = (0, 0, 1) gives leverage 1 and an undefined HC3 error: it must be written as null, not NaN.
    frame = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC"],
            "country": ["A", "B", "C"],
            "log_gdp_pc": [0.0, 0.0, 1.0],
            "poverty_pct": [1.0, 2.0, 5.0],
        }
    )
    estimate = catalogue.fit("M6", frame=frame, boot_draws=50)
    results.write_models([estimate], directory=tmp_path)
    text = (tmp_path / "models.json").read_text(encoding="utf-8")
    document = json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))
    assert document["rows"][0]["se_hc3"] is None
    assert np.isnan(results.read_results(directory=tmp_path).loc[0, "se_hc3"])


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def test_coefficient_figure_from_the_written_results(written):
    table = results.read_results(directory=written[0])
    figure = plot_coefficients(table)
    assert [axis.get_title(loc="left") for axis in figure.axes] == [
        f"{row.model_id} (n={row.n})" for row in table.itertuples()
    ]
    assert _png(figure) == _png(plot_coefficients(table))


# ---- several chapters write one models file ------------------------------------------------


def _without_provenance(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(columns=list(results.PROVENANCE)).reset_index(drop=True)


@pytest.mark.parametrize("first, second", [(slice(0, 5), slice(5, 6)), (slice(5, 6), slice(0, 5))])
def test_chapters_writing_their_own_models_keep_each_others_rows(tmp_path, estimates, first, second):
    # Chapter 5 writes M1-M5 and chapter 1 writes M6, in either order.
    results.write_models(estimates[first], directory=tmp_path)
    before = results.read_results(fmt="json", directory=tmp_path)
    results.write_models(estimates[second], directory=tmp_path)
    table = results.read_results(fmt="json", directory=tmp_path)
    assert table["model_id"].tolist() == ["M1", "M2", "M3", "M4", "M5", "M6"]
    kept = table.set_index("model_id").loc[before["model_id"]].reset_index()
    pd.testing.assert_frame_equal(kept, before, check_dtype=False)
    pd.testing.assert_frame_equal(
        _without_provenance(table), results.model_rows(estimates), check_dtype=False, rtol=0, atol=0
    )
    pd.testing.assert_frame_equal(results.read_results(directory=tmp_path), table, check_dtype=False)


def test_rewriting_a_model_replaces_its_row(tmp_path, estimates):
    results.write_models(estimates, directory=tmp_path)
    refit = catalogue.fit("M6", exclude=["RUS"], boot_draws=200)
    results.write_models([refit], directory=tmp_path)
    table = results.read_results(directory=tmp_path).set_index("model_id")
    assert list(table.index) == catalogue.model_ids()
    assert table.loc["M6", "excluded"] == "RUS" and table.loc["M6", "n"] == 11
    assert table.loc["M6", "coef"] == refit.analysis.ols.coef


def test_a_row_whose_data_changed_is_not_kept(tmp_path, estimates):
    results.write_models(estimates[:5], directory=tmp_path)
    path = tmp_path / "models.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    stale = results.parse_hash_field(document["rows"][0]["data_sha256"]) | {"table1_living_standards": "0" * 64}
    document["rows"][0]["data_sha256"] = ";".join(f"{name}={digest}" for name, digest in sorted(stale.items()))
    path.write_text(json.dumps(document), encoding="utf-8")
    results.write_models(estimates[5:], directory=tmp_path)
    assert results.read_results(directory=tmp_path)["model_id"].tolist() == ["M2", "M3", "M4", "M5", "M6"]


def test_a_file_with_other_columns_keeps_no_rows(tmp_path, estimates):
    results.write_models(estimates[:5], directory=tmp_path)
    path = tmp_path / "models.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["columns"].remove("seed")
    document["rows"] = [{key: value for key, value in row.items() if key != "seed"} for row in document["rows"]]
    path.write_text(json.dumps(document), encoding="utf-8")
    results.write_models(estimates[5:], directory=tmp_path)
    assert results.read_results(directory=tmp_path)["model_id"].tolist() == ["M6"]


def test_a_writer_waits_for_the_lock_of_another(tmp_path, estimates):
    import threading

    results.write_models(estimates[:5], directory=tmp_path)
    writer = threading.Thread(target=results.write_models, args=(estimates[5:],), kwargs={"directory": tmp_path})
    with results._locked(tmp_path):
        writer.start()
        writer.join(timeout=0.5)
        assert writer.is_alive(), "write_models did not wait for the directory's lock"
        assert "M6" not in results.read_results(directory=tmp_path)["model_id"].tolist()
    writer.join(timeout=30)
    assert results.read_results(directory=tmp_path)["model_id"].tolist() == catalogue.model_ids()
