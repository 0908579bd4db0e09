"""analysis.chapters.extension_common: what chapters 9-11 share, against hand-written expectations."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.chapters import extension_common
from analysis.data.external import panel_data
from analysis.errors import ParameterError


def test_results_name_marks_every_non_default_choice():
    assert (
        extension_common.results_name("panel_fe", {"start": (1995, 1995), "c": (["A", "B"], ["A", "B"])}) == "panel_fe"
    )
    assert (
        extension_common.results_name("panel_fe", {"start": (2000, 1995), "without": (["ARM"], [])})
        == "panel_fe-start2000-withoutARM"
    )
    assert (
        extension_common.results_name("x", {"gdp": ("WDI via datasets/gdp 822019c", "WDI 2025")})
        == "x-gdpWDIviadatasetsgdp822019c"
    )


def test_phrases_and_names():
    assert extension_common.interval_phrase(-1, 2) == "the interval includes zero"
    assert extension_common.interval_phrase(0.5, 2) == "the interval lies above zero"
    assert extension_common.interval_phrase(-2, -0.5) == "the interval lies below zero"
    assert extension_common.country_names("TKM;UZB") == "Turkmenistan, Uzbekistan"
    assert extension_common.country_names("none") == "none"
    assert [extension_common.in_words(items) for items in ([], [2002], [2002, 2003], ["a", "b", "c"])] == [
        "none",
        "2002",
        "2002 and 2003",
        "a, b and c",
    ]


@pytest.mark.parametrize(
    "value, spec, text",
    [
        (-0.04, "+.1f", "0.0"),
        (0.04, "+.1f", "0.0"),
        (-0.06, "+.1f", "-0.1"),
        (1234.5, ",.0f", "1,234"),
        (-0.4, ",.0f", "0"),
        (math.nan, ".1f", "–"),
        (None, ".1f", "–"),
    ],
)
def test_format_value_prints_a_rounded_zero_without_sign_and_missing_as_a_dash(value, spec, text):
    assert extension_common.format_value(value, spec) == text


def test_written_markdown_names_each_results_file_as_code():
    written = {"p1-file": {"csv": Path("/any/where/results/panel_fe.csv"), "json": Path("x.json")}}
    assert extension_common.written_markdown(written) == {"p1-file": "`results/panel_fe.csv`"}


def test_other_population_is_the_sensitivity_beside_the_chosen_one():
    assert extension_common.other_population(panel_data.POPULATION_WB) == panel_data.POPULATION_WPP
    assert extension_common.other_population(panel_data.POPULATION_WPP) == panel_data.POPULATION_WB
    with pytest.raises(ParameterError, match="population_edition"):
        extension_common.other_population("WDI 2025")


def test_receivers_are_the_cis_states_but_russia():
    assert extension_common.RUSSIA not in extension_common.RECEIVERS
    assert set(extension_common.RECEIVERS) == {
        "ARM",
        "AZE",
        "BLR",
        "GEO",
        "KAZ",
        "KGZ",
        "MDA",
        "TJK",
        "TKM",
        "UKR",
        "UZB",
    }


def _chapter_text(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    parts = ["".join(cell["source"]) for cell in cells]
    for cell in cells:
        for output in cell.get("outputs", []):
            for kind, value in output.get("data", {}).items():
                if kind.endswith(("text/plain", "text/markdown")):
                    parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def test_no_chapter_calls_the_un_population_wdi():
    wording = re.compile(
        r"WDI 2025 population|population(, GDP)?\) ?\{cite\}`worldbank2025wdi`"
        r"|\(remittances, FDI, population, GDP\)"
    )
    assert wording.search("Source: World Bank, WDI 2025 edition (remittances, FDI, population, GDP)")  # as it was
    for name in ("09-remittances-after-2006.ipynb", "11-data-revisions.ipynb"):
        text = _chapter_text(paths.ROOT / "chapters" / name)
        assert not wording.search(text), name
        assert "{cite}`undesa2024wpp`" in text, name  # the UN series is cited as the UN's release


def test_with_sources_names_each_value_by_publisher_release_and_code():
    wide = pd.DataFrame(
        {"country": ["Armenia"], "iso3": ["ARM"], "year": [2010], "edition": ["WDI 2025"], "remittances_usd": [1.5e9]}
    )
    long = extension_common.with_sources(wide, ["remittances_usd"])
    assert long.to_dict("records") == [
        {
            "country": "Armenia",
            "iso3": "ARM",
            "year": 2010,
            "edition": "WDI 2025",
            "indicator": "remittances_usd",
            "value": 1.5e9,
            "publisher": "World Bank",
            "release": "World Development Indicators, 2025 edition",
            "series_code": "BX.TRF.PWKR.CD.DT",
        }
    ]


def test_with_sources_refuses_a_series_the_registry_does_not_hold():
    wide = pd.DataFrame(
        {"country": ["Armenia"], "iso3": ["ARM"], "year": [2010], "edition": ["WDI 1999"], "remittances_usd": [1.0]}
    )
    with pytest.raises(ParameterError, match="no series 'remittances_usd' of edition 'WDI 1999'"):
        extension_common.with_sources(wide, ["remittances_usd"])
