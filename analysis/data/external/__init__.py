"""The pinned public data of the extension: registry and fetching, readers, the tidy panel.

Importing this package is light: pyreadr and pooch are imported only when a
file is read or downloaded.

- :mod:`.registry`: ``data/external/registry.csv``; :func:`fetch` (pooch, sha256).
- :mod:`.series`: ``data/external/series.csv``, each series' publisher, release and code.
- :mod:`.tidy`: the long form, the indicator ids, the zero-means-no-data rule.
- :mod:`.readers`: one reader per file; :func:`read_source`.
- :mod:`.migration`: UN DESA and KNOMAD origin-destination matrices.
- :mod:`.panel_data`: :func:`panel`, :func:`select_series` and the chapters' frames.
"""

from analysis.data.external.indicators import INDICATORS
from analysis.data.external.migration import knomad_matrix, undesa_matrix
from analysis.data.external.panel_data import (
    corridors,
    cross_section,
    editions_of,
    panel,
    paper_era_revisions,
    population_ratio,
    remittances,
    russia_share,
    russia_share_difference,
    select_series,
    table3_by_year,
    wide,
)
from analysis.data.external.readers import read_source, source_files
from analysis.data.external.registry import cache_dir, entry, fetch, pinned_hashes, verify_all
from analysis.data.external.registry import table as registry_table
from analysis.data.external.tidy import ZERO_MEANS_NO_DATA, indicators, zeros_to_missing

__all__ = [
    "INDICATORS",
    "ZERO_MEANS_NO_DATA",
    "cache_dir",
    "corridors",
    "cross_section",
    "editions_of",
    "entry",
    "fetch",
    "indicators",
    "knomad_matrix",
    "panel",
    "paper_era_revisions",
    "pinned_hashes",
    "population_ratio",
    "read_source",
    "registry_table",
    "remittances",
    "russia_share",
    "russia_share_difference",
    "select_series",
    "source_files",
    "table3_by_year",
    "undesa_matrix",
    "verify_all",
    "wide",
    "zeros_to_missing",
]
