"""The licences page: the project's own terms, and each data source's, from their metadata.

Code is MIT and the book's text and figures are CC BY 4.0; every data file
keeps the terms its metadata records: the transcribed tables in
data/datapackage.json and the pinned public files in data/external/registry.csv.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.datapackage import load_descriptor
from analysis.data.external import registry
from analysis.errors import DataValidationError
from analysis.files import record_read

PROJECT_LICENCES = pd.DataFrame(
    [
        {
            "part": "code (analysis/, tests/, build files)",
            "licence": "MIT",
            "url": "https://opensource.org/license/mit",
        },
        {
            "part": "text and figures of the book (book/, chapters/, results/figures/)",
            "licence": "CC BY 4.0",
            "url": "https://creativecommons.org/licenses/by/4.0/",
        },
        {"part": "data", "licence": "each source's own terms, listed below", "url": ""},
    ]
).set_index("part")


def transcribed_data_licences(descriptor: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """One row per data package resource: its file, licence (name, title, URL) and sources."""
    record_read(descriptor)  # the whole descriptor: a licence can change in any entry
    rows = []
    for resource in load_descriptor(descriptor)["resources"]:
        licences = resource.get("licenses") or []
        if not licences:
            raise DataValidationError(
                f"{descriptor}: resource {resource['name']!r} has no 'licenses'; expected at least one "
                "licence with a name. Add it to the descriptor and run `python -m analysis.package_check rehash`."
            )
        rows.append(
            {
                "resource": resource["name"],
                "file": f"data/{resource['path']}",
                "licence": ", ".join(licence["name"] for licence in licences),
                "terms": "; ".join(licence.get("title", "") for licence in licences),
                "url": " ".join(licence.get("path", "") for licence in licences),
                "sources": "; ".join(source["title"] for source in resource.get("sources", [])),
            }
        )
    return pd.DataFrame(rows).set_index("resource")


def public_data_licences() -> pd.DataFrame:
    """One row per pinned public file: publisher, licence and URL, from the external registry."""
    record_read(registry.REGISTRY_CSV)
    table = registry.table()[["file", "publisher", "licence", "url"]]
    empty = table[table["licence"].str.strip() == ""]
    if not empty.empty:
        raise DataValidationError(
            f"data/external/registry.csv: column 'licence' is empty for {', '.join(empty['file'])}; "
            "expected the source's licence. Fill it in from the publisher's terms."
        )
    return table.set_index("file")
