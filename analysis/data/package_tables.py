"""The data appendix: tables built from the data package's own metadata."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.datapackage import HASH_PREFIX, load_descriptor, read_resource


def resources_table(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """One row per resource: file, title, row count, sources, licence, recorded sha256."""
    rows = []
    for resource in load_descriptor(descriptor)["resources"]:
        rows.append(
            {
                "resource": resource["name"],
                "file": f"data/{resource['path']}",
                "title": resource["title"],
                "rows": len(read_resource(resource["name"], descriptor)),
                "sources": "; ".join(source["title"] for source in resource.get("sources", [])),
                "licence": ", ".join(licence["name"] for licence in resource.get("licenses", [])),
                "sha256": resource["hash"].removeprefix(HASH_PREFIX),
            }
        )
    return pd.DataFrame(rows).set_index("resource")


def _constraints(field: dict) -> str:
    parts = []
    for key, value in field.get("constraints", {}).items():
        if value is True:
            parts.append(key)
        else:
            parts.append(f"{key} {value}")
    return ", ".join(parts)


def fields_table(name: str, descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The schema of one resource: column, type, unit, constraints, description."""
    resource = next(r for r in load_descriptor(descriptor)["resources"] if r["name"] == name)
    return pd.DataFrame(
        [
            {
                "column": field["name"],
                "type": field["type"],
                "unit": field.get("unit", ""),
                "constraints": _constraints(field),
                "description": field.get("description", ""),
            }
            for field in resource["schema"]["fields"]
        ]
    ).set_index("column")


def resource_heading_markdown(name: str, descriptor: Path = paths.DATAPACKAGE) -> str:
    """The title, file and description of one resource, as a Markdown paragraph."""
    resource = next(r for r in load_descriptor(descriptor)["resources"] if r["name"] == name)
    return f"**{resource['title']}** (`data/{resource['path']}`). {resource.get('description', '')}"
