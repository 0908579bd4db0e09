"""Origin-destination data: the UN DESA migrant-stock matrices and the KNOMAD 2021 matrices.

UN DESA (``undesa_stocks*.rda``): one row per destination (``geo``), origin
(``from``), year and sex. An absent origin-sex pair means "too little data to
estimate", not zero; a recorded 0 is a definite absence and is kept. Totals
here are sums over the pairs that are present, both sexes.

KNOMAD (``bilateral_*_matrix_2021*.xlsx``): the migration matrix has origins
down and destinations across; the remittance matrix has senders down and
receivers across, in US$ million (converted to US$). Both end with a world
row or column. Blank cells and "…" are missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data import columnar_cache
from analysis.data.external import cells
from analysis.data.external.names import is_iso_country, iso3_of_world_bank_name
from analysis.data.external.registry import edition, fetch
from analysis.errors import DataValidationError, ParameterError
from analysis.files import file_sha256

RUSSIA = "RUS"
UNDESA_FILES = {"UN DESA IMS 2024": "undesa_stocks.rda", "UN DESA IMS 2020": "undesa_stocks_2020.rda"}
KNOMAD_MIGRANTS = "bilateral_migration_matrix_2021_latest.xlsx"
KNOMAD_REMITTANCES = "bilateral_remittance_matrix_2021.xlsx"
KNOMAD_YEAR = 2021
_KNOMAD_LAYOUT = {  # file -> (title starts with, corner cell must mention, world label)
    KNOMAD_MIGRANTS: (
        "Bilateral Estimates of Migrant Stocks in 2021",
        ("Destination country (across)", "Source country (down)"),
        "World",
    ),
    KNOMAD_REMITTANCES: (
        "Bilateral Remittance Estimates for 2021",
        ("Remittance-receiving country (across)", "Remittance-sending country (down)"),
        "WORLD",
    ),
}


def _undesa_edition(edition_label: str) -> str:
    if edition_label not in UNDESA_FILES:
        raise ParameterError(
            f"edition={edition_label!r} is not a UN DESA edition; choose one of {sorted(UNDESA_FILES)}."
        )
    return UNDESA_FILES[edition_label]


@columnar_cache.cached
def _undesa_raw(path: str, sha256: str) -> pd.DataFrame:
    import pyreadr

    objects = pyreadr.read_r(path)
    if len(objects) != 1:
        raise DataValidationError(f"{Path(path).name}: holds R objects {list(objects)}; expected one.")
    raw = next(iter(objects.values()))
    cells.require_columns(raw, ["geo", "t", "from", "sex", "n"], Path(path))
    cells.require_unique(raw, ["geo", "t", "from", "sex"], Path(path))
    if (raw["n"] < 0).any():
        row = raw[raw["n"] < 0].iloc[0].to_dict()
        raise DataValidationError(f"{Path(path).name}: negative migrant count {row}; counts are >= 0.")
    sexes = set(raw["sex"])
    if sexes != {"female", "male"}:
        raise DataValidationError(f"{Path(path).name}: column 'sex' holds {sorted(sexes)}; expected female, male.")
    return pd.DataFrame(
        {
            "destination": raw["geo"].astype(str),
            "origin": raw["from"].astype(str),
            "year": raw["t"].astype("int64"),
            "sex": raw["sex"].astype(str),
            "migrants": raw["n"].astype("float64"),
        }
    )


def undesa_matrix(edition_label: str) -> pd.DataFrame:
    """The UN DESA matrix of one edition: destination, origin, year, sex, migrants, edition."""
    filename = _undesa_edition(edition_label)
    path = fetch(filename)
    frame = _undesa_raw(str(path), file_sha256(path)).copy()
    frame["edition"] = edition_label
    return frame


def undesa_country_totals(path: Path) -> pd.DataFrame:
    """Per-country stocks of one UN DESA file, in the reader form (iso3, year, indicator, value)."""
    matrix = _undesa_raw(str(path), file_sha256(path))
    emigrants = matrix.groupby(["origin", "year"])["migrants"].sum()
    in_russia = matrix[matrix["destination"] == RUSSIA].groupby(["origin", "year"])["migrants"].sum()
    immigrants = matrix.groupby(["destination", "year"])["migrants"].sum()
    share = 100.0 * in_russia / emigrants.loc[in_russia.index]
    parts = [
        _reader_rows(emigrants, "migrant_stock_emigrants"),
        _reader_rows(in_russia, "migrant_stock_emigrants_in_russia"),
        _reader_rows(share, "emigrants_in_russia_pct"),
        _reader_rows(immigrants, "migrant_stock_immigrants"),
    ]
    frame = pd.concat(parts, ignore_index=True)
    return frame[frame["iso3"].map(is_iso_country)]


def _reader_rows(series: pd.Series, indicator: str, year: int | None = None) -> pd.DataFrame:
    frame = series.rename("value").reset_index()
    frame.columns = ["iso3", "year", "value"] if year is None else ["iso3", "value"]
    if year is not None:
        frame["year"] = year
    frame["indicator"] = indicator
    return frame[["iso3", "year", "indicator", "value"]]


@columnar_cache.cached
def _knomad_raw(filename: str, path: str, sha256: str) -> pd.DataFrame:
    """The matrix as a long frame: row_name, row_iso3, column_name, column_iso3, value."""
    title, corner_words, world = _KNOMAD_LAYOUT[filename]
    sheet = pd.read_excel(path, header=None, engine="calamine")
    if not str(sheet.iat[0, 0]).startswith(title):
        raise DataValidationError(
            f"{filename}: cell A1 reads {sheet.iat[0, 0]!r}; expected it to start with {title!r}."
        )
    corner = str(sheet.iat[1, 0])
    if not all(words in corner for words in corner_words):
        raise DataValidationError(f"{filename}: cell A2 reads {corner!r}; expected it to name {corner_words}.")
    labels = sheet.iloc[1, 1:]
    columns = [position for position, label in labels.items() if isinstance(label, str)]
    world_rows = sheet.index[sheet[0].astype(str).str.strip() == world]
    if len(world_rows) != 1 or str(labels[columns[-1]]).strip() != world:
        raise DataValidationError(f"{filename}: expected exactly one row labelled {world!r} closing the matrix.")
    body = sheet.iloc[2 : world_rows[0] + 1]
    unlabeled = [c for c in sheet.columns[1:] if c not in columns]
    if body[unlabeled].notna().any().any():
        raise DataValidationError(f"{filename}: columns without a country label hold values; layout changed.")
    block = cells.numeric_block(body[columns], Path(path), row_offset=2, col_labels=[labels[c] for c in columns])
    block.index = [str(name).strip() for name in body[0]]
    block.columns = [str(labels[c]).strip() for c in columns]
    long = block.rename_axis(index="row_name", columns="column_name").stack().rename("value").reset_index()
    long = long.dropna(subset=["value"])
    where = filename
    long["row_iso3"] = long["row_name"].map(lambda name: iso3_of_world_bank_name(name, where))
    long["column_iso3"] = long["column_name"].map(lambda name: iso3_of_world_bank_name(name, where))
    return long


def knomad_matrix(filename: str) -> pd.DataFrame:
    """One KNOMAD matrix as a long frame (row_name, row_iso3, column_name, column_iso3, value)."""
    if filename not in _KNOMAD_LAYOUT:
        raise ParameterError(f"filename={filename!r} is not a KNOMAD matrix; choose one of {sorted(_KNOMAD_LAYOUT)}.")
    path = fetch(filename)
    return _knomad_raw(filename, str(path), file_sha256(path)).copy()


def _world_total(long: pd.DataFrame, axis: str, world: str) -> pd.Series:
    """The printed world total per country; axis is 'row' (totals in the world column) or 'column'."""
    other = "column" if axis == "row" else "row"
    totals = long[(long[f"{other}_name"] == world) & long[f"{axis}_iso3"].notna()]
    return totals.set_index(f"{axis}_iso3")["value"]


def knomad_migrant_totals(path: Path) -> pd.DataFrame:
    long = _knomad_raw(KNOMAD_MIGRANTS, str(path), file_sha256(path))
    emigrants = _world_total(long, "row", "World")
    immigrants = _world_total(long, "column", "World")
    in_russia = long[(long["column_iso3"] == RUSSIA) & long["row_iso3"].notna()].set_index("row_iso3")["value"]
    in_russia = in_russia.dropna()
    share = 100.0 * in_russia / emigrants.loc[in_russia.index]
    parts = [
        _reader_rows(emigrants, "migrant_stock_emigrants", KNOMAD_YEAR),
        _reader_rows(in_russia, "migrant_stock_emigrants_in_russia", KNOMAD_YEAR),
        _reader_rows(share, "emigrants_in_russia_pct", KNOMAD_YEAR),
        _reader_rows(immigrants, "migrant_stock_immigrants", KNOMAD_YEAR),
    ]
    return pd.concat(parts, ignore_index=True).dropna(subset=["value"])


def knomad_remittance_totals(path: Path) -> pd.DataFrame:
    long = _knomad_raw(KNOMAD_REMITTANCES, str(path), file_sha256(path))
    received = _world_total(long, "column", "WORLD") * 1e6
    from_russia = long[(long["row_iso3"] == RUSSIA) & long["column_iso3"].notna()]
    from_russia = from_russia.set_index("column_iso3")["value"].dropna() * 1e6
    parts = [
        _reader_rows(received, "remittances_usd", KNOMAD_YEAR),
        _reader_rows(from_russia, "remittances_from_russia_usd", KNOMAD_YEAR),
    ]
    return pd.concat(parts, ignore_index=True).dropna(subset=["value"])


def _corridor_key(iso3: pd.Series, name: pd.Series) -> pd.Series:
    # Join on ISO3 where there is one; the matrices spell some names differently ("GuineaBissau").
    return iso3.fillna(name)


def knomad_corridors(origins) -> pd.DataFrame:
    """Corridors of 2021 from each origin: migrants there and remittances sent home from there.

    One row per origin and destination with a figure in either matrix. Shares
    are of the origin's printed world totals (emigrants; remittances received).
    Destinations without an ISO code (Kosovo, Channel Islands, "Other North",
    "Other South") keep their printed name and a missing ``destination_iso3``.
    """
    from analysis.data.countries import display_name

    migrants = knomad_matrix(KNOMAD_MIGRANTS)
    money = knomad_matrix(KNOMAD_REMITTANCES)
    frames = []
    for origin in origins:
        stocks = migrants[migrants["row_iso3"] == origin]
        received = money[money["column_iso3"] == origin]
        world_stock = stocks.loc[stocks["column_name"] == "World", "value"]
        world_money = received.loc[received["row_name"] == "WORLD", "value"]
        if len(world_stock) != 1 or len(world_money) != 1:
            raise ParameterError(
                f"origin {origin!r} has no world total in the KNOMAD matrices; choose a country they cover."
            )
        stocks = stocks[stocks["column_name"] != "World"]
        received = received[received["row_name"] != "WORLD"]
        left = pd.DataFrame(
            {
                "key": _corridor_key(stocks["column_iso3"], stocks["column_name"]).to_numpy(),
                "name_m": stocks["column_name"].to_numpy(),
                "iso_m": stocks["column_iso3"].to_numpy(),
                "migrants": stocks["value"].to_numpy(),
            }
        )
        right = pd.DataFrame(
            {
                "key": _corridor_key(received["row_iso3"], received["row_name"]).to_numpy(),
                "name_r": received["row_name"].to_numpy(),
                "iso_r": received["row_iso3"].to_numpy(),
                "remittances_musd": received["value"].to_numpy(),
            }
        )
        merged = left.merge(right, on="key", how="outer", validate="one_to_one")
        frames.append(
            pd.DataFrame(
                {
                    "origin": display_name(origin),
                    "origin_iso3": origin,
                    "destination": merged["name_m"].fillna(merged["name_r"]),
                    "destination_iso3": merged["iso_m"].fillna(merged["iso_r"]),
                    "year": KNOMAD_YEAR,
                    "migrants": merged["migrants"].astype("float64"),
                    "migrants_share_pct": 100.0 * merged["migrants"].astype("float64") / float(world_stock.iloc[0]),
                    "remittances_usd": 1e6 * merged["remittances_musd"].astype("float64"),
                    "remittances_share_pct": 100.0
                    * merged["remittances_musd"].astype("float64")
                    / float(world_money.iloc[0]),
                    "edition": edition(KNOMAD_MIGRANTS),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(
        ["origin_iso3", "migrants"], ascending=[True, False], kind="stable", na_position="last"
    ).reset_index(drop=True)
