"""The data appendix's tables, built from a small hand-written descriptor."""

from __future__ import annotations

import json

from analysis.data import package_tables
from analysis.data.datapackage import HASH_PREFIX


def _descriptor(tmp_path):
    (tmp_path / "paper").mkdir()
    (tmp_path / "paper" / "toy.csv").write_text("country,share_pct\nA,10\nB,20\n", encoding="utf-8")
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text(
        json.dumps(
            {
                "name": "toy",
                "resources": [
                    {
                        "name": "toy",
                        "path": "paper/toy.csv",
                        "title": "A toy table",
                        "description": "Two rows.",
                        "format": "csv",
                        "encoding": "utf-8",
                        "hash": HASH_PREFIX + "0" * 64,
                        "sources": [{"title": "Somebody (2006)"}, {"title": "Another"}],
                        "licenses": [{"name": "CC-BY-4.0"}],
                        "schema": {
                            "fields": [
                                {
                                    "name": "country",
                                    "type": "string",
                                    "constraints": {"required": True, "unique": True},
                                },
                                {
                                    "name": "share_pct",
                                    "type": "number",
                                    "unit": "percent",
                                    "constraints": {"minimum": 0, "maximum": 100},
                                    "description": "A share.",
                                },
                            ]
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return descriptor


def test_heading_and_schema_come_from_the_descriptor(tmp_path):
    descriptor = _descriptor(tmp_path)
    assert package_tables.resource_heading_markdown("toy", descriptor) == (
        "**A toy table** (`data/paper/toy.csv`). Two rows."
    )
    fields = package_tables.fields_table("toy", descriptor)
    assert fields.loc["country", "constraints"] == "required, unique"
    assert fields.loc["share_pct"].tolist() == ["number", "percent", "minimum 0, maximum 100", "A share."]
