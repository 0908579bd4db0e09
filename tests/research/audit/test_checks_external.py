"""The external checks against the pinned public files, read here directly."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from analysis import paths
from helpers.audit_ledger import verdict_by_check


def test_external_checks_against_the_raw_numbers(claims, inputs):
    # wdi.rda 'remout' for Kazakhstan, read by pyreadr directly: 2004 and 2005 in US$.
    import pyreadr

    raw = next(iter(pyreadr.read_r(str(Path(os.environ[paths.DATA_CACHE_ENV]) / "wdi.rda")).values()))
    kaz = raw[(raw["geo"] == "KAZ") & (raw["var"] == "remout")].set_index("t")["v"]
    numbers = verdict_by_check(claims, inputs, "kazakhstan_growth_external").numbers
    assert numbers["factor_2005"] == pytest.approx(round(kaz[2005] / kaz[2004], 2))
    assert verdict_by_check(claims, inputs, "kazakhstan_level_external").numbers["wdi_paid_2005"] == pytest.approx(
        round(kaz[2005] / 1e9, 3)
    )
    assert not math.isnan(kaz[2000])
