"""Fixtures of the audit's tests: the pinned public files, the checks' inputs, the ledger and the audit."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths
from analysis.audit.claim import Claim
from analysis.audit.inputs import Inputs
from analysis.audit.ledger import read_ledger
from analysis.audit.report import audit_table


@pytest.fixture(scope="module")
def external_data(mirror_folder):
    """The pinned public files (the external checks need wdi.rda and the two UN DESA files); no download."""
    patch = pytest.MonkeyPatch()
    patch.setenv(paths.DATA_CACHE_ENV, str(mirror_folder))
    yield mirror_folder
    patch.undo()


@pytest.fixture(scope="module")
def inputs(external_data) -> Inputs:
    return Inputs()


@pytest.fixture(scope="module")
def claims() -> dict[str, Claim]:
    return {claim.id: claim for claim in read_ledger()}


@pytest.fixture(scope="module")
def audit_frame(external_data) -> pd.DataFrame:
    return audit_table()
