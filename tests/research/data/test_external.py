"""The pinned public files: registry, fetching offline with hash checks, readers, the zero rule, the panel.

Spot values are read from the raw files by a different route than the
readers: the ``csv`` module for CSV files, direct cell indexing of the raw
sheet or R object otherwise, and each expected number is also written here
as a literal, with the place in the file it was copied from.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis.data.external as external
from analysis import paths
from analysis.data.countries import POST_SOVIET
from analysis.data.external import cells, names, panel_data, readers, registry, series, tidy
from analysis.data.external.indicators import INDICATORS
from analysis.errors import DataUnavailableError, DataValidationError, ParameterError

SERIES_CSV = paths.DATA_DIR / "external" / "series.csv"


@pytest.fixture
def no_retry(monkeypatch):
    monkeypatch.setattr(registry, "DOWNLOAD_RETRIES", 0)


def _csv_value(path: Path, key_columns: dict[str, str], value_column: str) -> str:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if all(row[column] == wanted for column, wanted in key_columns.items()):
                return row[value_column]
    raise AssertionError(f"{key_columns} not found in {path.name}")


def _value(frame: pd.DataFrame, iso3: str, year: int, indicator: str, edition: str | None = None) -> float:
    rows = frame[(frame["iso3"] == iso3) & (frame["year"] == year) & (frame["indicator"] == indicator)]
    if edition is not None:
        rows = rows[rows["edition"] == edition]
    assert len(rows) == 1, rows
    return float(rows["value"].iloc[0])


# --- registry and fetching -------------------------------------------------------------


def test_registry_matches_the_mirror_byte_for_byte(mirror):
    table = registry.table()
    assert len(table) == 14 and table["file"].is_unique
    with (mirror / "SOURCES.csv").open(newline="", encoding="utf-8") as handle:
        sources = {row["file"]: row for row in csv.DictReader(handle)}
    assert set(table["file"]) == set(sources)
    for row in table.itertuples():
        content = (mirror / row.file).read_bytes()
        assert hashlib.sha256(content).hexdigest() == row.sha256 == sources[row.file]["sha256"]
        assert len(content) == int(row.bytes)
        assert row.url == sources[row.file]["url"]
        assert row.citation and row.edition and row.licence


def test_fetch_uses_the_mirror_offline_and_writes_nothing(mirror, socket_disabled):
    before = sorted((p.name, p.stat().st_mtime_ns) for p in mirror.iterdir())
    for name in registry.table()["file"]:
        assert registry.fetch(name) == (mirror / name).resolve()
    assert sorted((p.name, p.stat().st_mtime_ns) for p in mirror.iterdir()) == before


def test_corrupted_copy_is_refused_and_left_alone(mirror, tmp_path, monkeypatch, socket_disabled):
    name = "gdp.csv"
    copy = tmp_path / name
    shutil.copyfile(mirror / name, copy)
    content = bytearray(copy.read_bytes())
    content[100] ^= 0x01  # one flipped bit
    copy.write_bytes(bytes(content))
    monkeypatch.setenv(paths.DATA_CACHE_ENV, str(tmp_path))
    row = registry.entry(name)
    with pytest.raises(DataValidationError) as caught:
        registry.fetch(name)
    message = str(caught.value)
    for needed in (name, row["url"], row["sha256"], paths.DATA_CACHE_ENV):
        assert needed in message
    assert copy.read_bytes() == bytes(content)  # not "repaired" by a download
    with pytest.raises(DataValidationError):
        readers.read_source(name)


@pytest.mark.filterwarnings("ignore:A test tried to use socket")  # pytest-socket's note that it blocked pooch
def test_missing_file_offline_fails_clearly(tmp_path, monkeypatch, socket_disabled, no_retry):
    monkeypatch.setenv(paths.DATA_CACHE_ENV, str(tmp_path))
    name = "wdi.rda"
    row = registry.entry(name)
    with pytest.raises(DataUnavailableError) as caught:
        registry.fetch(name)
    message = str(caught.value)
    for needed in (name, row["url"], row["sha256"], paths.DATA_CACHE_ENV):
        assert needed in message
    assert not (tmp_path / name).exists()


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_a_mistyped_data_folder_is_an_error_that_names_it_and_is_never_created(tmp_path, monkeypatch, no_retry):
    typo = tmp_path / "shraed" / "data" / "external"
    monkeypatch.setenv(paths.DATA_CACHE_ENV, str(typo))
    with pytest.raises(DataUnavailableError) as caught:
        registry.fetch("wdi.rda")
    assert f"{paths.DATA_CACHE_ENV}={typo}" in str(caught.value) and "does not exist" in str(caught.value)
    assert not (tmp_path / "shraed").exists()


def test_a_dangling_symlink_as_data_folder_is_reported_as_such(tmp_path, monkeypatch):
    link = tmp_path / "external"
    link.symlink_to(tmp_path / "moved-away")
    monkeypatch.setenv(paths.DATA_CACHE_ENV, str(link))
    with pytest.raises(DataUnavailableError) as caught:
        registry.fetch("wdi.rda")
    assert "symbolic link" in str(caught.value) and str(tmp_path / "moved-away") in str(caught.value)
    assert not (tmp_path / "moved-away").exists()


def test_a_file_corrupted_in_place_with_its_size_and_mtime_kept_is_hashed_again(
    mirror, tmp_path, monkeypatch, socket_disabled
):
    name = "gdp.csv"
    copy = tmp_path / name
    shutil.copyfile(mirror / name, copy)
    monkeypatch.setenv(paths.DATA_CACHE_ENV, str(tmp_path))
    assert registry.fetch(name) == copy  # hashed once, and found good
    stat = copy.stat()
    content = bytearray(copy.read_bytes())
    content[100] ^= 0x01
    copy.write_bytes(bytes(content))
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (copy.stat().st_size, copy.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    with pytest.raises(DataValidationError, match="sha256"):
        registry.fetch(name)


def test_unknown_file_is_a_parameter_error():
    with pytest.raises(ParameterError, match="not in"):
        registry.entry("wdi_2026.rda")


def test_import_is_light():
    code = "import sys, analysis.data.external; print('pyreadr' in sys.modules, 'pooch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


# --- strict cells and names --------------------------------------------------------------


def test_numeric_block_accepts_marks_and_refuses_text():
    block = pd.DataFrame([[1, "..", None], [2.5, "…", float("nan")]], dtype=object)
    values = cells.numeric_block(block, Path("x.xls"))
    assert values.iat[0, 0] == 1.0 and values.iat[1, 0] == 2.5
    assert values.iloc[:, 1:].isna().all().all()
    bad = pd.DataFrame([[1, "see note 3"]], dtype=object, columns=["1990", "1991"])
    with pytest.raises(DataValidationError, match=r"x\.xls: spreadsheet row 5, column '1991' holds 'see note 3'"):
        cells.numeric_block(bad, Path("x.xls"), row_offset=4)


def test_unknown_world_bank_name_is_an_error():
    assert names.iso3_of_world_bank_name("Kyrgyz Republic") == "KGZ"
    assert names.iso3_of_world_bank_name("Congo, Rep.") == "COG"
    assert names.iso3_of_world_bank_name("Other South") is None
    with pytest.raises(DataValidationError, match="WORLD_BANK_SPELLINGS"):
        names.iso3_of_world_bank_name("Republic of Atlantis")


# --- the zero rule ---------------------------------------------------------------------------


def test_zero_becomes_missing_only_where_zero_means_no_data():
    gapminder_fdi = readers._gapminder_file("foreign_direct_investment_net_inflows_percent_of_gdp")
    frame = pd.DataFrame(
        {
            "indicator": [
                "remittances_usd",
                "remittances_usd",
                "gdp_usd",
                "poverty_300_pct",
                "oda_per_capita_usd",
                "fdi_pct_gdp",
                "fdi_pct_gdp",
                "fdi_outflows_usd",
            ],
            "value": [0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            "source": ["wdi.rda", "wdi.rda", "gdp.csv", "x.csv", "x.csv", gapminder_fdi, "wdi.rda", "wdi.rda"],
        }
    )
    out = tidy.zeros_to_missing(frame)
    assert out["value"].isna().tolist() == [True, False, True, False, False, True, False, False]
    assert out.at[1, "value"] == 5.0
    assert frame["value"].notna().all()  # the input is not modified
    # Without a source column the caller names the file.
    bare = frame.drop(columns="source").iloc[[5]]
    assert tidy.zeros_to_missing(bare, gapminder_fdi)["value"].isna().all()
    assert tidy.zeros_to_missing(bare, "wdi.rda")["value"].eq(0).all()


def test_turkmenistan_zero_remittances_become_missing(mirror):
    import pyreadr

    raw = pyreadr.read_r(str(mirror / "wdi.rda"))["wdi"]
    written = raw[(raw["geo"] == "TKM") & (raw["var"] == "remin")].set_index("t")["v"]
    # wdi.rda, geo TKM, var remin: 4 420 000 in 1996, then 0 for every year 2005-2023.
    assert written.loc[1996] == 4_420_000.0
    assert (written.loc[2005:2023] == 0).all() and len(written.loc[2005:2023]) == 19
    frame = readers.read_source("wdi.rda", ["TKM"])
    remittances = frame[frame["indicator"] == "remittances_usd"].set_index("year")["value"]
    assert remittances.loc[1996] == 4_420_000.0
    assert remittances.loc[2005:2023].isna().all() and len(remittances.loc[2005:2023]) == 19
    share = frame[frame["indicator"] == "remittances_pct_gdp"].set_index("year")["value"]
    assert share.loc[2005:2023].isna().all()


def test_gapminder_fdi_zero_is_missing_but_poverty_zero_is_kept(mirror):
    fdi_file = mirror / readers._gapminder_file("foreign_direct_investment_net_inflows_percent_of_gdp")
    poverty_file = mirror / readers._gapminder_file("extreme_poverty_percent_people_below_300_a_day")
    # Lines "tkm,1990,0" and "blr,2013,0" of the two CSV files.
    assert (
        _csv_value(fdi_file, {"geo": "tkm", "time": "1990"}, "foreign_direct_investment_net_inflows_percent_of_gdp")
        == "0"
    )
    assert (
        _csv_value(poverty_file, {"geo": "blr", "time": "2013"}, "extreme_poverty_percent_people_below_300_a_day")
        == "0"
    )
    frame = external.panel()
    assert math.isnan(_value(frame, "TKM", 1990, "fdi_pct_gdp", panel_data.GAPMINDER_WDI))
    assert _value(frame, "BLR", 2013, "poverty_300_pct") == 0.0


# --- spot values through an independent read path ----------------------------------------------


def test_spot_values_of_the_csv_files(mirror):
    frame = external.panel()
    # gdp.csv line 523: "Armenia,ARM,2003,2807061008.6908445"
    raw = _csv_value(mirror / "gdp.csv", {"Country Code": "ARM", "Year": "2003"}, "Value")
    assert raw == "2807061008.6908445"
    assert _value(frame, "ARM", 2003, "gdp_usd", panel_data.DATASETS_GDP) == float(raw)
    # population.csv line 15177: "Tajikistan,TJK,2020,9749310"
    raw = _csv_value(mirror / "population.csv", {"Country Code": "TJK", "Year": "2020"}, "Value")
    assert raw == "9749310"
    assert _value(frame, "TJK", 2020, "population", "WDI via datasets/population 425fc44") == 9_749_310.0
    # exports CSV line 4359: "kgz,2003,38.68112"
    raw = _csv_value(
        mirror / readers._gapminder_file("exports_percent_of_gdp"),
        {"geo": "kgz", "time": "2003"},
        "exports_percent_of_gdp",
    )
    assert raw == "38.68112"
    assert _value(frame, "KGZ", 2003, "exports_pct_gdp") == 38.68112


def test_spot_values_of_the_spreadsheets(mirror):
    frame = external.panel()
    # RemittanceData_Inflows_April2013.xls, sheet RemittanceInflows, row 10 ("Armenia"), column AI (2003):
    # 167.70406 (US$ million).
    sheet = pd.read_excel(mirror / "RemittanceData_Inflows_April2013.xls", header=None, engine="calamine")
    assert (sheet.iat[9, 0], sheet.iat[0, 34], sheet.iat[9, 34]) == ("Armenia", 2003, 167.70406)
    assert _value(frame, "ARM", 2003, "remittances_usd", panel_data.WB_2013) == pytest.approx(167.70406e6, rel=1e-12)
    # personal-remittances-received.xls, sheet Data, row 239 (TJK), year 2003: 146024400.
    sheet = pd.read_excel(mirror / "personal-remittances-received.xls", header=None, engine="calamine")
    assert (sheet.iat[238, 1], sheet.iat[3, 47], sheet.iat[238, 47]) == ("TJK", 2003.0, 146024400.0)
    assert _value(frame, "TJK", 2003, "remittances_usd", panel_data.WDI_2023) == 146_024_400.0
    # bilateral_migration_matrix_2021_latest.xlsx, row "Tajikistan", column "Russian Federation": 466252;
    # column "World": 592382.
    sheet = pd.read_excel(mirror / "bilateral_migration_matrix_2021_latest.xlsx", header=None, engine="calamine")
    assert (sheet.iat[191, 0], sheet.iat[1, 161], sheet.iat[191, 161]) == ("Tajikistan", "Russian Federation", 466252)
    assert _value(frame, "TJK", 2021, "migrant_stock_emigrants_in_russia", panel_data.KNOMAD_2021) == 466_252.0
    assert _value(frame, "TJK", 2021, "migrant_stock_emigrants", panel_data.KNOMAD_2021) == 592_382.0
    # bilateral_remittance_matrix_2021.xlsx, row "Russian Federation", column "Tajikistan": 2306.7581169894574.
    sheet = pd.read_excel(mirror / "bilateral_remittance_matrix_2021.xlsx", header=None, engine="calamine")
    assert (sheet.iat[160, 0], sheet.iat[1, 188]) == ("Russian Federation", "Tajikistan")
    assert sheet.iat[160, 188] == pytest.approx(2306.7581169894574, rel=1e-15)
    assert _value(frame, "TJK", 2021, "remittances_from_russia_usd") == pytest.approx(2306.7581169894574e6, rel=1e-12)


def test_spot_values_of_the_r_files(mirror):
    import pyreadr

    frame = external.panel()
    raw = pyreadr.read_r(str(mirror / "wdi.rda"))["wdi"]
    cell = raw[(raw["geo"] == "ARM") & (raw["var"] == "remin") & (raw["t"] == 2003)]["v"]
    # wdi.rda, geo ARM, var remin, t 2003: 335 860 000 (printed in the registry README as "about 2x" the paper's 162).
    assert cell.tolist() == [335_860_000.0]
    assert _value(frame, "ARM", 2003, "remittances_usd", panel_data.WDI_2025) == 335_860_000.0
    gdp = raw[(raw["geo"] == "ARM") & (raw["var"] == "gdp") & (raw["t"] == 2003)]["v"].iloc[0]
    assert _value(frame, "ARM", 2003, "remittances_pct_gdp") == pytest.approx(100 * 335_860_000.0 / gdp, rel=1e-12)
    # The mirror's README: for Russia in 2020 the 2020 and 2024 editions give 11.6 and 7.3 million immigrants.
    assert round(_value(frame, "RUS", 2020, "migrant_stock_immigrants", panel_data.UNDESA_2020) / 1e6, 1) == 11.6
    assert round(_value(frame, "RUS", 2020, "migrant_stock_immigrants", panel_data.UNDESA_2024) / 1e6, 1) == 7.3
    stocks = pyreadr.read_r(str(mirror / "undesa_stocks.rda"))["undesa_stocks"]
    tajiks = stocks[(stocks["from"] == "TJK") & (stocks["t"] == 2020)]
    share = 100 * tajiks.loc[tajiks["geo"] == "RUS", "n"].sum() / tajiks["n"].sum()
    assert _value(frame, "TJK", 2020, "emigrants_in_russia_pct", panel_data.UNDESA_2024) == pytest.approx(
        share, rel=1e-12
    )


# --- the panel and the chapters' frames -------------------------------------------------------


def test_panel_keeps_every_value_in_its_edition(mirror):
    frame = external.panel()
    assert set(frame["iso3"]) == set(POST_SOVIET)
    assert not frame.duplicated(panel_data.PANEL_KEY).any()
    # Each row's edition is its series' (data/external/series.csv, read here with the csv module).
    with SERIES_CSV.open(newline="", encoding="utf-8") as handle:
        editions = {(row["file"], row["indicator"]): row["edition"] for row in csv.DictReader(handle)}
    assert (frame["edition"] == [editions[key] for key in zip(frame["source"], frame["indicator"])]).all()
    assert set(frame["indicator"]) <= set(INDICATORS)
    assert frame["year"].dtype == np.int64 and frame["value"].dtype == np.float64
    # Armenia 2003 in three remittance editions, never merged into one value.
    values = {
        edition: _value(frame, "ARM", 2003, "remittances_usd", edition) for edition in panel_data.REMITTANCE_EDITIONS
    }
    assert values[panel_data.WB_2013] == pytest.approx(167.70406e6)
    assert values[panel_data.WDI_2025] == 335_860_000.0


def test_select_series_refuses_to_mix_editions(mirror):
    frame = external.panel()
    with pytest.raises(ParameterError, match="editions are never spliced"):
        panel_data.select_series(frame, "remittances_usd")
    with pytest.raises(ParameterError, match="available"):
        panel_data.select_series(frame, "remittances_usd", "WDI 2019")
    with pytest.raises(ParameterError, match="not in this frame"):
        panel_data.select_series(frame, "remittances_eur")
    one = panel_data.select_series(frame, "remittances_usd", panel_data.WDI_2023)
    assert set(one["edition"]) == {panel_data.WDI_2023} and set(one["source"]) == {"personal-remittances-received.xls"}
    assert set(panel_data.select_series(frame, "poverty_300_pct")["edition"]) == {"PIP via Gapminder c63631a"}


def test_remittances_frame_and_its_guard(mirror):
    table = external.remittances(["TJK"], 2002, 2023)
    assert table["year"].tolist() == list(range(2002, 2024))
    # wdi.rda, TJK remin 2022: 5345546873.54599 (read with pyreadr while writing this test).
    assert table.loc[table["year"] == 2022, "remittances_usd"].item() == pytest.approx(5345546873.54599, rel=1e-12)
    with pytest.raises(ParameterError, match="no GDP"):
        external.remittances(["TJK"], edition=panel_data.WDI_2023)
    with pytest.raises(ParameterError, match="start=2010 is after end=2000"):
        external.remittances(["TJK"], 2010, 2000)
    with pytest.raises(ParameterError, match="ISO 3166"):
        external.remittances(["Tajikistan"])


def test_table3_by_year_oda_share_is_recomputed_from_its_parts(mirror):
    frame = external.panel(["MDA"])
    table = external.table3_by_year(["MDA"], 2003, 2003).set_index("measure")
    assert set(table.index) == {"remittances", "fdi", "exports", "oda"}
    oda = _value(frame, "MDA", 2003, "oda_per_capita_usd")
    gdp = _value(frame, "MDA", 2003, "gdp_usd", panel_data.WDI_2025)
    # population.csv line 9730: "Moldova,MDA,2003,2903198" (the World Bank's SP.POP.TOTL, the default).
    assert _csv_value(mirror / "population.csv", {"Country Code": "MDA", "Year": "2003"}, "Value") == "2903198"
    assert table.at["oda", "pct_gdp"] == pytest.approx(100 * oda * 2_903_198 / gdp, rel=1e-12)
    assert "Gapminder" in table.at["oda", "editions"] and panel_data.POPULATION_WB in table.at["oda", "editions"]
    # With UN WPP 2024 (wdi.rda, geo MDA, var pop, t 2003: 4 095 419) the aid is 4095419 / 2903198 times larger.
    un = external.table3_by_year(["MDA"], 2003, 2003, population_edition=panel_data.POPULATION_WPP).set_index("measure")
    assert un.at["oda", "pct_gdp"] == pytest.approx(100 * oda * 4_095_419 / gdp, rel=1e-9)
    assert un.at["oda", "pct_gdp"] / table.at["oda", "pct_gdp"] == pytest.approx(1.41066, abs=1e-5)
    with pytest.raises(ParameterError, match="population_edition"):
        external.table3_by_year(["MDA"], 2003, 2003, population_edition="WDI 2025")


def test_russia_share_difference_is_the_difference_of_the_editions(mirror):
    both = external.russia_share_difference(["TJK", "ARM"])
    assert set(both["year"]) == {1990, 1995, 2000, 2005, 2010, 2015, 2020}
    np.testing.assert_allclose(both["share_difference_pp"], both["share_pct_ims2024"] - both["share_pct_ims2020"])
    long = external.russia_share(["TJK"])
    assert set(long["edition"]) == {panel_data.UNDESA_2024, panel_data.UNDESA_2020}
    assert 2024 in set(long.loc[long["edition"] == panel_data.UNDESA_2024, "year"])


def test_corridor_shares_add_up_to_the_printed_world_totals(mirror):
    table = external.corridors(["TJK", "UZB"])
    for _, rows in table.groupby("origin_iso3"):
        # KNOMAD's "World" column is the sum of its row, so the shares of all destinations add to 100.
        assert rows["migrants_share_pct"].sum() == pytest.approx(100.0, rel=1e-9)
        assert rows["remittances_share_pct"].sum() == pytest.approx(100.0, rel=1e-9)
    top = table[table["origin_iso3"] == "TJK"].iloc[0]
    assert (top["destination_iso3"], top["migrants"]) == ("RUS", 466_252.0)


def test_paper_era_revisions_put_the_papers_numbers_beside_each_edition(mirror):
    table = external.paper_era_revisions()
    armenia = table[(table["iso3"] == "ARM") & (table["paper_column"] == "remittances_bop_2003_musd")]
    armenia = armenia.set_index("edition")
    # Paper, Table 3, line 328: "Armenia 162 850 121 678 293 2 760" (BOP remittances 2003 = 162).
    assert (armenia["paper_value_musd"] == 162.0).all()
    assert armenia.at[panel_data.WDI_2025, "revision_ratio"] == pytest.approx(335.86 / 162, rel=1e-12)
    assert armenia.at[panel_data.WB_2013, "edition_value_musd"] == pytest.approx(167.70406, rel=1e-12)
    uzbekistan = table[(table["iso3"] == "UZB") & (table["paper_column"] == "remittances_bop_2003_musd")]
    assert uzbekistan["revision_ratio"].isna().all()  # printed "n.a."
    assert set(table["measure"]) == {"remittances", "gdp"}


def test_cross_section_names_the_editions_it_combines(mirror):
    table = external.cross_section(2003, ["ARM", "TJK"], remittance_edition=panel_data.WB_2013)
    assert set(table["remittance_edition"]) == {panel_data.WB_2013}
    assert set(table["gdp_edition"]) == {panel_data.WDI_2025}
    assert set(table["population_edition"]) == {panel_data.POPULATION_WB}
    arm = table.set_index("iso3").loc["ARM"]
    assert arm["remittances_pct_gdp"] == pytest.approx(100 * 167.70406e6 / arm["gdp_usd"], rel=1e-12)


# --- the provenance of every series (data/external/series.csv) ----------------------------------


def _series_rows() -> list[dict]:
    with SERIES_CSV.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_series_read_has_exactly_one_provenance_row(mirror):
    documented = {(row["file"], row["indicator"]) for row in _series_rows()}
    read = {
        (name, indicator)
        for name in readers.source_files()
        for indicator in set(readers.read_source(name)["indicator"])
    }
    assert read == documented  # no series without provenance, no row for a series nobody reads
    assert len(documented) == len(_series_rows())


def test_tidy_rows_carry_their_series_provenance(mirror):
    frame = external.panel(["MDA"])
    columns = ["publisher", "release", "series_code", "edition"]

    def provenance(source, indicator):
        rows = frame[(frame["source"] == source) & (frame["indicator"] == indicator)]
        assert len(rows), (source, indicator)
        return rows[columns].drop_duplicates().to_dict(orient="records")

    # wdi.rda is WDI except its pop, which the gdidata documentation (R/wdi.R) sources to UN WPP 2024.
    assert provenance("wdi.rda", "population") == [
        {
            "publisher": "UN DESA Population Division",
            "release": "World Population Prospects 2024",
            "series_code": series.NO_CODE,
            "edition": "UN WPP 2024",
        }
    ]
    assert provenance("wdi.rda", "remittances_usd") == [
        {
            "publisher": "World Bank",
            "release": "World Development Indicators, 2025 edition",
            "series_code": "BX.TRF.PWKR.CD.DT",
            "edition": "WDI 2025",
        }
    ]
    assert provenance("population.csv", "population")[0]["series_code"] == "SP.POP.TOTL"
    assert frame["definition"].str.len().gt(0).all() and frame["publisher"].str.len().gt(0).all()


def test_default_population_is_the_world_banks(mirror):
    table = external.cross_section(2003, ["MDA"]).set_index("iso3")
    # population.csv line 9730: "Moldova,MDA,2003,2903198"; not wdi.rda's UN WPP 4 095 419.
    assert table.at["MDA", "population"] == 2_903_198.0
    assert table.at["MDA", "gdp_per_capita_usd"] == pytest.approx(table.at["MDA", "gdp_usd"] / 2_903_198, rel=1e-12)


def test_moldova_un_wpp_over_world_bank_population_by_hand(mirror):
    import pyreadr

    raw = pyreadr.read_r(str(mirror / "wdi.rda"))["wdi"]
    un = raw[(raw["geo"] == "MDA") & (raw["var"] == "pop") & (raw["t"] == 2003)]["v"].item()
    world_bank = float(_csv_value(mirror / "population.csv", {"Country Code": "MDA", "Year": "2003"}, "Value"))
    assert (un, world_bank) == (pytest.approx(4_095_419.0, rel=1e-12), 2_903_198.0)  # the .rda stores 4095418.99...
    ratios = external.population_ratio(["MDA", "KAZ"]).set_index(["iso3", "year"])["ratio"]
    assert ratios[("MDA", 2003)] == pytest.approx(un / world_bank, rel=1e-12)
    assert round(ratios[("MDA", 2003)], 2) == 1.41
    assert ratios[("KAZ", 2003)] == pytest.approx(1.0, abs=0.01)  # not every country differs


def _write_series(path: Path, change) -> Path:
    rows = _series_rows()
    change(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _set(index, **values):
    return lambda rows: rows[index].update(values)


@pytest.mark.parametrize(
    "change, words",
    [
        (_set(0, publisher=""), ["line 2", "wdi.rda", "['publisher']", "empty"]),
        (_set(1, file="wdi_2026.rda"), ["line 3", "not in data/external/registry.csv"]),
        (_set(2, unit="US$ million"), ["line 4", "unit 'US$ million'", "INDICATORS"]),
        (_set(3, year="25"), ["line 5", "year '25'"]),
        (_set(4, computed="maybe"), ["line 6", "computed"]),
        (lambda rows: rows.append(dict(rows[0])), ["repeats line 2"]),
        (lambda rows: rows[-1].update(bib_key="worldbank2025wdi"), ["bib_key 'worldbank2025wdi'", "one release"]),
    ],
)
def test_bad_series_rows_are_refused_with_line_and_column(tmp_path, change, words):
    assert series._rows(_write_series(tmp_path / "unchanged.csv", lambda rows: None))  # the copy itself is valid
    with pytest.raises(DataValidationError) as caught:
        series._rows(_write_series(tmp_path / "changed.csv", change))
    for word in words:
        assert word in str(caught.value)


def test_a_series_without_provenance_is_refused():
    frame = pd.DataFrame({"iso3": ["MDA"], "year": [2003], "indicator": ["exports_pct_gdp"], "value": [50.0]})
    with pytest.raises(DataValidationError, match=r"wdi\.rda: indicator ids \['exports_pct_gdp'\] have no row"):
        tidy.tidy(frame, "wdi.rda")
    assert tidy.tidy(frame.assign(indicator="population"), "wdi.rda")["edition"].tolist() == ["UN WPP 2024"]


def _calls_it_wdi(text: str) -> bool:
    return re.search(r"\bWDI\b|World Development Indicators", text) is not None


def test_no_label_calls_a_un_series_wdi():
    assert _calls_it_wdi("Source: WDI 2025 population")  # the wording the book used to give UN WPP is caught
    un_series = [row for row in _series_rows() if row["publisher"].startswith("UN DESA")]
    assert {"population"} < {row["indicator"] for row in un_series}
    for row in un_series:
        pair = (row["indicator"], row["edition"])
        labels = [series.short_label(*pair)] + ([series.cite_sources([pair])] if row["bib_key"] else [])
        assert not any(_calls_it_wdi(text) for text in labels), labels
    assert (
        series.short_label("population", panel_data.POPULATION_WPP)
        == "UN DESA Population Division total population (World Population Prospects 2024)"
    )
    assert series.short_label("population", panel_data.POPULATION_WB) == "World Bank total population (SP.POP.TOTL)"
    assert series.cite_sources(
        [("population", panel_data.POPULATION_WPP), ("population", panel_data.POPULATION_WB)]
    ) == (
        "UN DESA Population Division, World Population Prospects 2024: total population {cite}`undesa2024wpp`; "
        "World Bank, World Development Indicators: total population (SP.POP.TOTL) {cite}`worldbankpopulationdatasets`"
    )
    with pytest.raises(ParameterError, match="editions of 'population'"):
        series.short_label("population", "WDI 2025")
    with pytest.raises(DataValidationError, match="no bib_key"):
        series.cite_sources([("political_stability", "WGI 2023")])


def test_bibliography_entries_of_the_public_data_are_the_registries():
    import pybtex.database

    entries = pybtex.database.parse_file(str(paths.BIBLIOGRAPHY)).entries
    in_book = {key: entry for key, entry in entries.items() if entry.fields.get("keywords") == series.BIB_KEYWORD}
    generated = series.bibtex_fields()
    assert set(in_book) == set(generated) == {row["bib_key"] for row in _series_rows() if row["bib_key"]}
    urls = {row["file"]: row["url"] for row in registry.table().to_dict(orient="records")}
    for key, entry in in_book.items():
        fields = generated[key]
        assert [str(person) for person in entry.persons["author"]] == [fields["author"]], key
        for name in ("title", "year", "url", "note"):
            assert entry.fields.get(name) == fields.get(name), (key, name)
    # The UN's population is cited as UN DESA's release, retrieved from the WDI extract's URL.
    wpp = in_book["undesa2024wpp"]
    assert wpp.fields["title"] == "{World Population Prospects 2024}" and wpp.fields["url"] == urls["wdi.rda"]
    assert "SP.POP.TOTL" in in_book["worldbankpopulationdatasets"].fields["note"]


def test_the_audits_population_checks_use_the_world_banks_series(mirror):
    from analysis import audit

    with (mirror / "population.csv").open(newline="", encoding="utf-8") as handle:
        world_bank = {(row["Country Code"], int(row["Year"])): float(row["Value"]) for row in csv.DictReader(handle)}
    contrast = audit.verdict_of("demographic_contrast")
    for code in ("RUS", "UKR", "ARM", "TJK"):  # compound annual growth 2000-2005, the audit's default years
        by_hand = ((world_bank[(code, 2005)] / world_bank[(code, 2000)]) ** (1 / 5) - 1) * 100
        assert contrast.numbers[f"growth_pct_{code}"] == pytest.approx(by_hand, abs=5e-4)
    loss = audit.verdict_of("kazakhstan_population_loss")
    kazakhstan = {year: world_bank[("KAZ", year)] for year in range(1990, 2006)}
    peak = max(range(1990, 1996), key=kazakhstan.get)
    trough = min(range(peak, 2006), key=kazakhstan.get)
    assert (loss.numbers["peak_year"], loss.numbers["trough_year"]) == (peak, trough)
    assert loss.numbers["net_loss_pct"] == pytest.approx(100 * (1 - kazakhstan[trough] / kazakhstan[peak]), abs=5e-3)
    label = series.short_label("population", panel_data.POPULATION_WB)
    for verdict in (contrast, loss):
        assert label in verdict.explanation and not _calls_it_wdi(verdict.explanation)
