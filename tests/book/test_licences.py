"""The licences page lists every data file with the terms its own metadata records."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from analysis import paths
from analysis.errors import DataValidationError
from compendium import licences


def test_every_transcribed_resource_is_listed_with_its_licence():
    descriptor = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    table = licences.transcribed_data_licences()
    assert list(table.index) == [r["name"] for r in descriptor["resources"]]
    for resource in descriptor["resources"]:
        row = table.loc[resource["name"]]
        assert row["licence"] == ", ".join(item["name"] for item in resource["licenses"])
        assert row["file"] == "data/" + resource["path"]


def test_a_resource_without_licence_is_refused(tmp_path):
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(json.dumps({"resources": [{"name": "orphan", "path": "paper/orphan.csv"}]}))
    with pytest.raises(DataValidationError, match="'orphan' has no 'licenses'"):
        licences.transcribed_data_licences(descriptor)


def test_every_public_file_is_listed_with_its_licence():
    with (paths.DATA_DIR / "external" / "registry.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = licences.public_data_licences()
    assert list(table.index) == [row["file"] for row in rows]
    assert list(table["licence"]) == [row["licence"] for row in rows]


def test_a_public_file_without_licence_is_refused(monkeypatch):
    frame = pd.DataFrame([{"file": "a.csv", "publisher": "P", "licence": " ", "url": "u"}])
    monkeypatch.setattr(licences.registry, "table", lambda: frame)
    with pytest.raises(DataValidationError, match="'licence' is empty for a.csv"):
        licences.public_data_licences()


def test_project_licences_are_mit_and_cc_by():
    assert set(licences.PROJECT_LICENCES["licence"]) >= {"MIT", "CC BY 4.0"}
