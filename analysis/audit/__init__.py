"""The paper's quantitative claims, each checked by code.

``data/paper/claims.csv`` lists every quantitative statement of the paper's
running text and footnotes (and the printed share columns of Table 3), with a
verbatim quote, the paper line, the stated values and the name of the check
function below that evaluates it. :func:`audit_table` runs every check and
gives each claim one status from :data:`STATUSES`, the numbers it computed and
a sentence generated from those numbers.

Statuses:

- *reproduced*: the paper's own numbers give the stated value or statement;
- *reproduced within rounding*: they do, once the rounding of the printed
  figures is allowed for;
- *partly holds*: it holds for some countries, columns or ends of a range only;
- *does not hold*: the paper's own numbers contradict it;
- *internally inconsistent*: two statements of the paper about it cannot both hold as printed;
- *not checkable from the paper*: the paper gives nothing to recompute or bound it with;
- *checked against external data*: compared with a pinned public data file;
  the explanation says how it compares.

Every reading of a hedged or ranged number follows a rule declared in
:mod:`analysis.audit.reading_rules`. The paper's tables are read only through
:mod:`analysis.data.paper`; the pinned public files only through
:mod:`analysis.data.external` (sha256-verified), and only by the checks of kind
"external".
"""

from __future__ import annotations

import csv
import math
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from analysis import paths
from analysis.data import paper, statements
from analysis.audit import reading_rules as rules
from analysis.data.countries import BALTIC, CIS, display_name, iso3
from analysis.data.datapackage import verify_resource
from analysis.errors import DataUnavailableError, DataValidationError, ParameterError
from analysis.files import write_atomically
from analysis.files import record_read

CLAIMS_LEDGER = paths.PAPER_DATA_DIR / "claims.csv"
CLAIMS_RESOURCE = "claims"
AUDIT_CSV = paths.RESULTS_DIR / "audit.csv"

REPRODUCED = "reproduced"
WITHIN_ROUNDING = "reproduced within rounding"
PARTLY = "partly holds"
DOES_NOT_HOLD = "does not hold"
INCONSISTENT = "internally inconsistent"
NOT_CHECKABLE = "not checkable from the paper"
EXTERNAL = "checked against external data"
STATUSES = (REPRODUCED, WITHIN_ROUNDING, PARTLY, DOES_NOT_HOLD, INCONSISTENT, NOT_CHECKABLE, EXTERNAL)
# The status each outcome of a reading rule gives.
OUTCOME_STATUS = {rules.HOLDS: REPRODUCED, rules.HOLDS_FOR_SOME: PARTLY, rules.FAILS: DOES_NOT_HOLD,
                  rules.UNDECIDED: NOT_CHECKABLE, rules.CONTRADICTS_ITSELF: INCONSISTENT}

CHECK_KINDS = ("table", "arithmetic", "cross-table", "external", "not checkable")
BOOK_CHAPTERS = ("01-trends", "02-transit", "03-trafficking", "04-brain-drain", "05-remittances",
                 "06-survival-development", "07-common-labour-market", "08-conclusions")
LEDGER_COLUMNS = ("id", "section", "quote", "paper_line", "values", "unit", "reference_year",
                  "cited_source", "check_kind", "chapter", "check")
AUDIT_COLUMNS = ["id", "section", "quote", "check_kind", "status", "computed", "explanation", "chapter"]

# The paper never gives the year of the USSR's dissolution (December 1991); its
# "1.5 decades" and "15 years" are counted from there.
USSR_DISSOLUTION_YEAR = 1991
# Table 3 prints levels in whole US$ million, so each level hides up to half a million.
LEVEL_HALF_UNIT = 0.5
# Guards the comparison of two floats that are equal on paper (e.g. 0.05 vs 0.0500000001).
FLOAT_SLACK = 1e-9

# Country lists as the paper prints them (line numbers of the text).
CENTRAL_ASIA_IN_TABLE2 = ("KGZ", "TJK", "UZB")   # "Central Asian states" (line 134) that Table 2 lists
CAUCASUS_IN_TABLE2 = ("ARM", "AZE", "GEO")       # "Caucasus republics" (lines 134-135)
WESTWARD_SENDERS = ("MDA", "UKR")                # "Moldova and Ukraine" (line 136)
KAZAKHSTAN_SENDERS = ("KGZ", "TJK", "UZB")       # seasonal migrants to Kazakhstan (line 149)
SEASONAL_TO_RUSSIA = ("TJK", "KGZ", "MDA", "UZB")  # "Tajik, Kyrgyz, Moldavian or Uzbek" (line 196)
CENTRAL_ASIA = ("KAZ", "KGZ", "TJK", "TKM", "UZB")  # "the Central Asian states" (line 21)
TRANSCAUCASIA = ("ARM", "AZE", "GEO")            # "Transcaucasia" (line 21)
POPULATION_DECLINE = ("RUS", "UKR")              # "rapid population decline in Russia and Ukraine" (line 20)
EURASEC = ("BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB")  # lines 440-441
GUAM_AS_PRINTED = ("Georgia", "Ukraine", "Azerbaijan", "Moldova")  # lines 441-442
VISA_FREE = ("BLR", "KAZ", "KGZ", "RUS", "TJK")  # lines 452-453
COMMON_ECONOMIC_SPACE = ("BLR", "KAZ", "RUS", "UKR")  # line 496
SURVEY_PEOPLE = ("KGZ", "Kyrgyz")  # the surveyed firms created workplaces "for other Kyrgyz people" (line 393)

# Who the paper's statements count, for the rule "Which counts bound a claim".
IRREGULAR_IN_CIS = rules.Population(rules.EVERY_PLACE, CIS, statuses={rules.IRREGULAR})  # line 110
MAJORITY_ABOVE_PCT = 50.0  # "the major receiving country": more than half

# Table 3: column key -> (level column, printed share column, label).
TABLE3_COLUMNS = {
    "bop_2003": ("remittances_bop_2003_musd", "remittances_bop_2003_pct_gdp", "Migrant transfers, BOP, 2003"),
    "estimate": ("remittances_estimate_musd", "remittances_estimate_pct_gdp", "Migrant transfers, estimate"),
    "fdi_2003": ("fdi_2003_musd", "fdi_2003_pct_gdp", "FDI, 2003"),
    "exports_2003": ("exports_2003_musd", "exports_2003_pct_gdp", "Exports of goods and services, 2003"),
    "oda_2002": ("oda_2002_musd", "oda_2002_pct_gdp", "ODA and official aid, 2002"),
}
EXACT, ROUNDING, OFF, MISSING = "exact", "within rounding", "off", "n.a."

WDI_FILE = "wdi.rda"
UNDESA_FILES = ("undesa_stocks_2020.rda", "undesa_stocks.rda")


def _parse_values(text: str, where: str) -> dict[str, float]:
    """A ledger's ``values`` cell: finite ``key=number`` pairs separated by ``;``."""
    values: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(";"))):
        key, sep, number = item.partition("=")
        try:
            value = float(number) if sep and key.strip() else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise DataValidationError(
                f"{where}, column 'values': found {item!r}; expected key=number pairs separated by ';' "
                "(e.g. 'low=70;high=90'). Fix the ledger row."
            )
        values[key.strip()] = value
    return values


@dataclass(frozen=True)
class Claim:
    """One row of the claims ledger."""

    id: str
    section: str
    quote: str
    paper_line: int
    values: dict[str, float]
    unit: str
    reference_year: str
    cited_source: str
    check_kind: str
    chapter: str
    check: str
    where: str = ""  # "file, CSV line n (claim id)", for error messages

    def value(self, key: str) -> float:
        if key not in self.values:
            raise DataValidationError(
                f"{self.where}, column 'values': check {self.check!r} needs {key!r} but found "
                f"{sorted(self.values) or 'no values'}. Add '{key}=<number as printed>' to the row."
            )
        return self.values[key]

    def year(self) -> int:
        try:
            return int(self.reference_year)
        except ValueError:
            raise DataValidationError(
                f"{self.where}, column 'reference_year': found {self.reference_year!r}; check "
                f"{self.check!r} needs a single year such as 2006. Fix the ledger row."
            ) from None


@dataclass(frozen=True)
class Verdict:
    """A check's outcome: a status, the numbers behind it, and a sentence built from them."""

    status: str
    numbers: dict[str, float]
    explanation: str

    @property
    def computed(self) -> str:
        return "; ".join(f"{key}={_number(value)}" for key, value in self.numbers.items())


@dataclass(frozen=True)
class Settings:
    """The audit's conventions: the parameters of the reading rules (reasons in analysis.audit.reading_rules)."""

    rounding_tolerance: float = rules.DEFAULTS["rounding_tolerance"]
    about_half_margin_pp: float = rules.DEFAULTS["about_half_margin_pp"]
    overwhelming_share_pct: float = rules.DEFAULTS["overwhelming_share_pct"]
    disparity_ratio: float = rules.DEFAULTS["disparity_ratio"]
    gdp_revision_tolerance: float = rules.DEFAULTS["gdp_revision_tolerance"]
    demography_start: int = rules.DEFAULTS["demography_start"]
    demography_end: int = rules.DEFAULTS["demography_end"]
    range_reading: str = rules.DEFAULTS["range_reading"]

    def __post_init__(self):
        if self.range_reading not in rules.RANGE_READINGS:
            raise ParameterError(f"parameter 'range_reading': got {self.range_reading!r}; expected one of "
                                 f"{', '.join(rules.RANGE_READINGS)}.")
        bounds = {"rounding_tolerance": (0, 1), "about_half_margin_pp": (0, 50),
                  "overwhelming_share_pct": (50, 100), "disparity_ratio": (1, math.inf),
                  "gdp_revision_tolerance": (0, 1)}
        for name, (low, high) in bounds.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (low < value <= high):
                raise ParameterError(f"parameter {name!r}: got {value!r}; expected a number in ({low}, {high}].")
        years = (self.demography_start, self.demography_end)
        if not all(isinstance(y, int) and not isinstance(y, bool) for y in years) or not (
                1990 <= self.demography_start < self.demography_end <= 2023):
            raise ParameterError(
                f"parameters demography_start={self.demography_start!r}, demography_end={self.demography_end!r}: "
                "expected two years with 1990 <= start < end <= 2023 (the span of the WDI extract)."
            )


def _number(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).lower()
    if isinstance(value, (int, np.integer)) or float(value).is_integer():
        return str(int(value))
    return f"{float(value):.4g}"


def _range(low: float, high: float, spec: str = "g") -> str:
    return format(low, spec) if format(low, spec) == format(high, spec) else f"{low:{spec}}–{high:{spec}}"


_and = rules.listing


def _names(codes) -> str:
    return _and(display_name(code) for code in codes)


# ---------------------------------------------------------------------------
# The ledger
# ---------------------------------------------------------------------------

CHECKS: dict[str, Callable[[Claim, "Inputs"], Verdict]] = {}


def _check(function):
    CHECKS[function.__name__] = function
    return function


def read_ledger(path: Path = CLAIMS_LEDGER) -> list[Claim]:
    """The claims ledger, validated row by row."""
    path = Path(path)
    if not path.is_file():
        raise DataUnavailableError(f"{path}: the claims ledger is missing. Restore it with git checkout -- data/paper.")
    if path.resolve() == CLAIMS_LEDGER.resolve():
        # The project's own ledger is a data package resource: schema and recorded sha256 first.
        verify_resource(CLAIMS_RESOURCE)
    record_read(path)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in LEDGER_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise DataValidationError(
                f"{path}: column(s) {missing} missing from the header; expected at least {list(LEDGER_COLUMNS)}. "
                "Restore the header row."
            )
        claims, seen = [], {}
        for row in reader:
            claim = _claim_from_row(row, f"{path}, CSV line {reader.line_num} (claim {row['id']!r})")
            if claim.id in seen:
                raise DataValidationError(
                    f"{claim.where}, column 'id': duplicate id {claim.id!r}, first used on CSV line {seen[claim.id]}. "
                    "Give every claim its own stable id."
                )
            seen[claim.id] = reader.line_num
            claims.append(claim)
    if not claims:
        raise DataValidationError(f"{path}: the ledger has a header but no claims. Restore it with git checkout.")
    return claims


def _claim_from_row(row: dict, where: str) -> Claim:
    cells = {column: (row.get(column) or "").strip() for column in LEDGER_COLUMNS}
    for column in ("id", "section", "quote", "paper_line", "check_kind", "chapter"):
        if not cells[column]:
            raise DataValidationError(f"{where}, column {column!r}: empty; every claim needs one. Fill it in.")
    if not cells["paper_line"].isdigit() or int(cells["paper_line"]) < 1:
        raise DataValidationError(
            f"{where}, column 'paper_line': found {cells['paper_line']!r}; expected the positive line number "
            "of the quote in the paper's text file."
        )
    if cells["check_kind"] not in CHECK_KINDS:
        raise DataValidationError(
            f"{where}, column 'check_kind': unknown check kind {cells['check_kind']!r}; expected one of "
            f"{', '.join(CHECK_KINDS)}."
        )
    if cells["chapter"] not in BOOK_CHAPTERS:
        raise DataValidationError(
            f"{where}, column 'chapter': unknown chapter {cells['chapter']!r}; expected one of {', '.join(BOOK_CHAPTERS)}."
        )
    checkable = cells["check_kind"] != "not checkable"
    if checkable and cells["check"] not in CHECKS:
        raise DataValidationError(
            f"{where}, column 'check': unknown check id {cells['check']!r} for check kind {cells['check_kind']!r}; "
            f"expected the name of a check function in analysis.audit ({', '.join(sorted(CHECKS))})."
        )
    if not checkable and cells["check"]:
        raise DataValidationError(
            f"{where}, column 'check': found {cells['check']!r} but the check kind is 'not checkable'; "
            "leave the check empty or choose the kind of check the function performs."
        )
    return Claim(
        id=cells["id"], section=cells["section"], quote=cells["quote"], paper_line=int(cells["paper_line"]),
        values=_parse_values(cells["values"], where), unit=cells["unit"],
        reference_year=cells["reference_year"], cited_source=cells["cited_source"],
        check_kind=cells["check_kind"], chapter=cells["chapter"], check=cells["check"], where=where,
    )


def ledger_frame(path: Path = CLAIMS_LEDGER) -> pd.DataFrame:
    """The validated ledger as a frame (values kept as printed in the file)."""
    claims = read_ledger(path)
    raw = pd.read_csv(path, dtype="string", keep_default_na=False)
    raw["paper_line"] = [claim.paper_line for claim in claims]
    return raw


# ---------------------------------------------------------------------------
# Inputs: the paper's tables, and the pinned public files
# ---------------------------------------------------------------------------

class Inputs:
    """Everything the checks read, loaded once and only when a check asks for it."""

    def __init__(self, settings: Settings | None = None, descriptor: Path = paths.DATAPACKAGE):
        self.settings = settings or Settings()
        self.descriptor = descriptor

    @cached_property
    def table1(self) -> pd.DataFrame:
        return paper.table1(self.descriptor).set_index("iso3")

    @cached_property
    def table2(self) -> pd.DataFrame:
        return paper.table2(self.descriptor).set_index("iso3")

    @cached_property
    def table3(self) -> pd.DataFrame:
        levels = paper.table3_levels(self.descriptor)
        shares = paper.table3_shares(self.descriptor).drop(columns=["country", "country_as_printed",
                                                                    "paper_line", "printed_row"])
        return levels.merge(shares, on="iso3", validate="one_to_one").set_index("iso3")

    @cached_property
    def survey_findings(self) -> pd.DataFrame:
        return statements.survey_findings(self.descriptor)

    @cached_property
    def wdi(self) -> pd.Series:
        """WDI 2025 values indexed by (indicator, iso3, year); a 0 that means "no data" is already missing."""
        from analysis.data.external import read_source

        frame = read_source(WDI_FILE)
        return frame.set_index(["indicator", "iso3", "year"])["value"].sort_index()

    def wdi_value(self, indicator: str, code: str, year: int) -> float:
        try:
            value = float(self.wdi.loc[(indicator, code, year)])
        except KeyError:
            value = math.nan
        if not math.isfinite(value):
            raise DataValidationError(
                f"{WDI_FILE}: no value of {indicator!r} for {code} in {year}; the audit needs it. "
                "Check that the pinned edition (WDI 2025) is in the data cache."
            )
        return value

    @cached_property
    def population(self) -> pd.Series:
        """The World Bank's population (SP.POP.TOTL) by (iso3, year); never the UN WPP ``pop`` of wdi.rda."""
        from analysis.data.external import read_source
        from analysis.data.external.panel_data import POPULATION_WB
        from analysis.data.external.series import source_file

        frame = read_source(source_file("population", POPULATION_WB))
        return frame.set_index(["iso3", "year"])["value"].sort_index()

    @cached_property
    def undesa_totals_2005(self) -> dict[str, pd.Series]:
        """Immigrant stock by destination country in 2005, one Series per edition (never spliced)."""
        from analysis.data.external import read_source

        totals = {}
        for filename in UNDESA_FILES:
            frame = read_source(filename)
            frame = frame[(frame["indicator"] == "migrant_stock_immigrants") & (frame["year"] == 2005)]
            totals[str(frame["edition"].iloc[0])] = frame.set_index("iso3")["value"].astype(float)
        return totals


def _floats(series: pd.Series) -> np.ndarray:
    return series.to_numpy(dtype=float, na_value=np.nan)


# ---------------------------------------------------------------------------
# Table 3, cell by cell
# ---------------------------------------------------------------------------

def _classify(level: float, gdp: float, printed: float, tolerance: float) -> str:
    """exact: the recomputed share rounds to the printed one; within rounding: it does once the
    levels' own rounding to whole US$ million is allowed for; off: neither."""
    if math.isnan(level) or math.isnan(printed):
        return MISSING
    if abs(level / gdp * 100 - printed) <= tolerance + FLOAT_SLACK:
        return EXACT
    low = (level - LEVEL_HALF_UNIT) / (gdp + LEVEL_HALF_UNIT) * 100
    high = (level + LEVEL_HALF_UNIT) / (gdp - LEVEL_HALF_UNIT) * 100
    return ROUNDING if low - tolerance - FLOAT_SLACK <= printed <= high + tolerance + FLOAT_SLACK else OFF


def table3_cells(settings: Settings | None = None, inputs: Inputs | None = None) -> pd.DataFrame:
    """Every printed share of Table 3 beside the share recomputed from the printed level and GDP 2003."""
    inputs = inputs or Inputs(settings)
    tolerance = inputs.settings.rounding_tolerance
    table = inputs.table3
    gdp = _floats(table["gdp_2003_musd"])
    rows = []
    for key, (level_col, share_col, label) in TABLE3_COLUMNS.items():
        levels, printed = _floats(table[level_col]), _floats(table[share_col])
        for code, country, level, denominator, shown in zip(table.index, table["country"], levels, gdp, printed):
            recomputed = level / denominator * 100
            rows.append({
                "country": country, "iso3": code, "column": key, "label": label, "level": level,
                "gdp": denominator, "printed_share": shown, "recomputed_share": recomputed,
                "difference": recomputed - shown,
                "share_low": (level - LEVEL_HALF_UNIT) / (denominator + LEVEL_HALF_UNIT) * 100,
                "share_high": (level + LEVEL_HALF_UNIT) / (denominator - LEVEL_HALF_UNIT) * 100,
                "class": _classify(level, denominator, shown, tolerance),
            })
    return pd.DataFrame(rows)


def _column_status(cells: pd.DataFrame) -> str:
    classes = cells.loc[cells["class"] != MISSING, "class"]
    if (classes == EXACT).all():
        return REPRODUCED
    if not (classes == OFF).any():
        return WITHIN_ROUNDING
    return DOES_NOT_HOLD if (classes == OFF).all() else PARTLY


def table3_column_summary(settings: Settings | None = None, inputs: Inputs | None = None) -> pd.DataFrame:
    """Per share column: how many cells are exact, within rounding, off, and the column's status."""
    cells = table3_cells(settings, inputs)
    counts = pd.crosstab(cells["column"], cells["class"]).reindex(
        index=list(TABLE3_COLUMNS), columns=[EXACT, ROUNDING, OFF, MISSING], fill_value=0)
    counts["status"] = [_column_status(cells[cells["column"] == key]) for key in counts.index]
    counts.insert(0, "label", [TABLE3_COLUMNS[key][2] for key in counts.index])
    return counts.rename_axis(index="column", columns=None).reset_index()


def _transpositions(number: float, decimals: int) -> list[float]:
    """The numbers obtained by swapping two adjacent digits of ``number`` as printed."""
    digits = f"{number:.{decimals}f}".replace(".", "")
    out = []
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
            out.append(int(swapped) / 10 ** decimals)
    return out


# Each hypothesis test returns, for one off cell, a short account of the fix that makes it fit,
# or None when no fix of that kind does.

def _unit_slip_fit(table: pd.DataFrame, key: str, cell, tolerance: float) -> str | None:
    for factor in (10.0, 100.0, 1000.0, 0.1, 0.01, 0.001):
        if _classify(cell.level * factor, cell.gdp, cell.printed_share, tolerance) != OFF:
            return f"{cell.country}: level x {factor:g}"
    return None


def _typo_fit(table: pd.DataFrame, key: str, cell, tolerance: float) -> str | None:
    for level in _transpositions(cell.level, 0):
        if _classify(level, cell.gdp, cell.printed_share, tolerance) != OFF:
            return f"{cell.country}: level {cell.level:.0f} read as {level:.0f}"
    for gdp in _transpositions(cell.gdp, 0):
        if _classify(cell.level, gdp, cell.printed_share, tolerance) != OFF:
            return f"{cell.country}: GDP {cell.gdp:.0f} read as {gdp:.0f}"
    for share in _transpositions(cell.printed_share, 1):
        if _classify(cell.level, cell.gdp, share, tolerance) != OFF:
            return f"{cell.country}: share {cell.printed_share:.1f} read as {share:.1f}"
    return None


def _swap_fit(table: pd.DataFrame, key: str, cell, tolerance: float) -> str | None:
    """The printed share fits another column's level, or the level fits another column's printed share."""
    level_col, share_col, _ = TABLE3_COLUMNS[key]
    for other, (other_level, other_share, label) in TABLE3_COLUMNS.items():
        if other == key or pd.isna(table.at[cell.iso3, other_level]) or pd.isna(table.at[cell.iso3, other_share]):
            continue
        if _classify(float(table.at[cell.iso3, other_level]), cell.gdp, cell.printed_share, tolerance) != OFF:
            return f"{cell.country}: share fits the level of '{label}'"
        if _classify(cell.level, cell.gdp, float(table.at[cell.iso3, other_share]), tolerance) != OFF:
            return f"{cell.country}: level fits the share printed for '{label}'"
    return None


def _earlier_gdp_fit(table: pd.DataFrame, key: str, cell, tolerance: float) -> str | None:
    implied = cell.level / cell.printed_share * 100
    if cell.share_high + tolerance < cell.printed_share:  # the printed share needs a smaller denominator
        return f"{cell.country}: implied GDP {implied:.0f} = {implied / cell.gdp:.0%} of GDP 2003"
    return None


HYPOTHESES = {
    "unit slip (factor 10, 100 or 1000)": ("within the paper", _unit_slip_fit),
    "swapped column": ("within the paper", _swap_fit),
    "typo (adjacent digits transposed)": ("within the paper", _typo_fit),
    "denominator smaller than GDP 2003 (an earlier year)": ("within the paper", _earlier_gdp_fit),
}
GDP_2002_HYPOTHESIS = "denominator is GDP 2002 (WDI 2025)"


def table3_denominators(settings: Settings | None = None, inputs: Inputs | None = None,
                        column: str = "oda_2002") -> pd.DataFrame:
    """For one share column: the GDP each printed share implies, beside the printed and WDI GDP.

    implied GDP = level / printed share * 100. The WDI columns are external data (WDI 2025).
    """
    inputs = inputs or Inputs(settings)
    if column not in TABLE3_COLUMNS:
        raise ParameterError(f"column={column!r}: expected one of {', '.join(TABLE3_COLUMNS)}.")
    table = inputs.table3
    level_col, share_col, _ = TABLE3_COLUMNS[column]
    frame = pd.DataFrame({
        "country": table["country"].astype(str), "level": _floats(table[level_col]),
        "printed_share": _floats(table[share_col]), "gdp_2003_printed": _floats(table["gdp_2003_musd"]),
    }, index=table.index)
    frame["implied_gdp"] = frame["level"] / frame["printed_share"] * 100
    frame["implied_to_printed_2003"] = frame["implied_gdp"] / frame["gdp_2003_printed"]
    years = range(1995, 2006)
    wdi = pd.DataFrame({year: [inputs.wdi_value("gdp_usd", code, year) / 1e6 for code in frame.index] for year in years},
                       index=frame.index)
    frame["wdi_gdp_2002"] = wdi[2002]
    frame["wdi_gdp_2003"] = wdi[2003]
    frame["implied_to_wdi_2002"] = frame["implied_gdp"] / frame["wdi_gdp_2002"]
    frame["printed_2003_to_wdi_2003"] = frame["gdp_2003_printed"] / frame["wdi_gdp_2003"]
    frame["share_with_wdi_2002"] = frame["level"] / frame["wdi_gdp_2002"] * 100
    gaps = (wdi.div(frame["implied_gdp"], axis=0) - 1).abs()
    frame["closest_wdi_year"] = gaps.idxmin(axis=1).astype(int)
    frame["explained_by_2002"] = (frame["implied_to_wdi_2002"] - 1).abs() <= inputs.settings.gdp_revision_tolerance
    return frame.reset_index()


def table3_hypotheses(settings: Settings | None = None, inputs: Inputs | None = None,
                      external: bool = True) -> pd.DataFrame:
    """For each share column with an 'off' cell: how many off cells each explanation makes fit, and how.

    Within the paper: a unit slip, a swapped column, a typo (two adjacent digits swapped in the level,
    the GDP or the share), a denominator smaller than the printed GDP 2003. With ``external``: the
    denominator is WDI 2025's GDP 2002 (within ``gdp_revision_tolerance``); marked as external data.
    """
    inputs = inputs or Inputs(settings)
    tolerance = inputs.settings.rounding_tolerance
    cells = table3_cells(inputs=inputs)
    rows = []
    for key in TABLE3_COLUMNS:
        off = cells[(cells["column"] == key) & (cells["class"] == OFF)]
        if off.empty:
            continue
        fits = {name: (source, [test(inputs.table3, key, cell, tolerance) for cell in off.itertuples()])
                for name, (source, test) in HYPOTHESES.items()}
        if external:
            denominators = table3_denominators(inputs=inputs, column=key).set_index("iso3").loc[off["iso3"]]
            fits[GDP_2002_HYPOTHESIS] = (EXTERNAL, [
                f"{d.country}: implied {d.implied_gdp:.0f} vs WDI {d.wdi_gdp_2002:.0f}" if d.explained_by_2002 else None
                for d in denominators.itertuples()])
        for name, (source, found) in fits.items():
            hits = [text for text in found if text]
            k, n = len(hits), len(off)
            rows.append({"column": key, "label": TABLE3_COLUMNS[key][2], "hypothesis": name, "tested": source,
                         "off_cells": n, "cells_explained": k,
                         "verdict": ("explains all off cells" if k == n else "explains no off cell" if k == 0
                                     else f"explains {k} of {n} off cells"),
                         "evidence": "; ".join(hits) if hits else f"no such fix makes any of the {n} cells fit"})
    return pd.DataFrame(rows, columns=["column", "label", "hypothesis", "tested", "off_cells", "cells_explained",
                                       "verdict", "evidence"])


def table3_styler(cells: pd.DataFrame):
    """The printed shares of Table 3, each cell coloured by its class (deterministic HTML)."""
    colours = {EXACT: "#d9f0d3", ROUNDING: "#fee8a8", OFF: "#f4a6a6", MISSING: "#eeeeee"}
    order = list(dict.fromkeys(cells["country"]))
    labels = [TABLE3_COLUMNS[key][2] for key in TABLE3_COLUMNS]
    shares = cells.pivot(index="country", columns="label", values="printed_share").reindex(index=order, columns=labels)
    classes = cells.pivot(index="country", columns="label", values="class").reindex(index=order, columns=labels)
    recomputed = cells.pivot(index="country", columns="label", values="recomputed_share").reindex(
        index=order, columns=labels)
    shown = shares.map(lambda v: "n.a." if pd.isna(v) else f"{v:.1f}") + recomputed.map(
        lambda v: "" if pd.isna(v) else f" ({v:.2f})")
    shown = shown.rename_axis(index="Country", columns=None)
    styler = shown.style.apply(lambda _: classes.map(lambda c: f"background-color: {colours[c]}"), axis=None)
    return styler.set_uuid("audit-table3").set_caption(
        "Printed share of GDP (recomputed from the printed levels in brackets); green: exact, "
        "yellow: within rounding, red: off, grey: not available")


# ---------------------------------------------------------------------------
# Table 2: the share of migrant workers who are in Russia
# ---------------------------------------------------------------------------

def table2_russia_shares(bands: dict[str, tuple[float, float]], inputs: Inputs | None = None) -> pd.DataFrame:
    """Country by country, the share of migrant workers abroad who are in Russia, read from Table 2's ranges.

    Both readings of the rule "Two ranges of one table" are given: ``matched_low``-``matched_high`` and
    ``outer_low``-``outer_high``, each with its interval's position against the band, and ``share_mid``
    (midpoint over midpoint). ``{reading}_decides`` is the position that decides the verdict under each
    reading. ``share_low``, ``share_high``, ``position`` and ``deciding_position`` repeat those of the
    reading in force (``Settings.range_reading``). ``bands`` maps a group ('Central Asia', 'Caucasus',
    'Moldova and Ukraine') to the band the text states.
    """
    inputs = inputs or Inputs()
    groups = {"Central Asia": CENTRAL_ASIA_IN_TABLE2, "Caucasus": CAUCASUS_IN_TABLE2,
              "Moldova and Ukraine": WESTWARD_SENDERS}
    unknown = set(bands) - set(groups)
    if unknown:
        raise ParameterError(f"bands: unknown group(s) {sorted(unknown)}; expected {sorted(groups)}.")
    in_force = inputs.settings.range_reading
    table = inputs.table2
    rows = []
    for group, (band_low, band_high) in bands.items():
        for code in groups[group]:
            row = table.loc[code]
            a_lo, a_hi = float(row["abroad_low_thousands"]), float(row["abroad_high_thousands"])
            r_lo, r_hi = float(row["in_russia_low_thousands"]), float(row["in_russia_high_thousands"])
            record = {"country": str(row["country"]), "group": group, "abroad_low": a_lo, "abroad_high": a_hi,
                      "russia_low": r_lo, "russia_high": r_hi, "band_low": band_low, "band_high": band_high}
            for reading in rules.RANGE_READINGS:
                share = rules.range_share(r_lo, r_hi, a_lo, a_hi, reading)
                record |= {"share_mid": share.point, f"{reading}_low": share.low, f"{reading}_high": share.high,
                           f"{reading}_position": rules.interval_position(share.low, share.high, band_low, band_high),
                           f"{reading}_decides": rules.deciding_position(share, band_low, band_high, reading)}
            record |= {"share_low": record[f"{in_force}_low"], "share_high": record[f"{in_force}_high"],
                       "position": record[f"{in_force}_position"], "deciding_position": record[f"{in_force}_decides"]}
            rows.append(record)
    return pd.DataFrame(rows)


def _band_status(frame: pd.DataFrame, reading: str) -> str:
    return OUTCOME_STATUS[rules.combined_outcome(rules.POSITION_OUTCOME[p] for p in frame[f"{reading}_decides"])]


def _other_reading(reading: str) -> str:
    return next(other for other in rules.RANGE_READINGS if other != reading)


_READING_WORDS = {rules.MATCHED: "the matched reading of Table 2's ranges (low with low, high with high; the "
                                 "midpoint decides, its interval in brackets)",
                  rules.OUTER: "the outer reading of Table 2's ranges (low over high to high over low; the "
                               "interval decides)"}
_POSITION_WORDS = {rules.INSIDE: "inside", rules.OVERLAPS: "overlapping", rules.OUTSIDE: "outside"}


def _positions_text(frame: pd.DataFrame, column: str, describe: Callable[[pd.Series], str],
                    words: dict[str, str] = _POSITION_WORDS) -> str:
    """'inside for A and B, overlapping for none and outside for C': every country under its position."""
    parts = [f"{word} for {_and([describe(row) for _, row in frame[frame[column] == position].iterrows()])}"
             for position, word in words.items()
             if not (position == rules.OVERLAPS and column == f"{rules.MATCHED}_decides")]  # a point never overlaps
    return _and(parts)


def _share_text(row: pd.Series, reading: str) -> str:
    interval = _range(row[f"{reading}_low"], row[f"{reading}_high"], ".0f") + "%"
    return f"{row['country']} {row['share_mid']:.0f}% ({interval})" if reading == rules.MATCHED \
        else f"{row['country']} {interval}"


def _band_verdict(frame: pd.DataFrame, statement: str, reading: str) -> Verdict:
    """The verdict on a band claim under ``reading``, with the other reading's result beside it."""
    other = _other_reading(reading)
    numbers = {}
    for r in frame.itertuples():
        numbers |= {f"{r.country}_mid_pct": round(r.share_mid, 1), f"{r.country}_low_pct": round(r.share_low, 1),
                    f"{r.country}_high_pct": round(r.share_high, 1)}
    for prefix, column in (("", f"{reading}_decides"), (f"{other}_", f"{other}_decides")):
        numbers |= {f"{prefix}{position}": int((frame[column] == position).sum()) for position in _POSITION_WORDS}
    sentence = (f"Against {statement}, {_READING_WORDS[reading]} puts the share in Russia "
                f"{_positions_text(frame, f'{reading}_decides', lambda row: _share_text(row, reading))}")
    if reading == rules.MATCHED:
        words = _POSITION_WORDS | {rules.OVERLAPS: "across an edge of the band"}
        intervals = _positions_text(frame, f"{reading}_position", lambda row: row["country"], words)
        sentence += f"; its intervals lie {intervals}"
    sentence += (f". {_capitalised(_READING_WORDS[other])} puts it "
                 f"{_positions_text(frame, f'{other}_decides', lambda row: _share_text(row, other))}, and would "
                 f"rate the claim '{_band_status(frame, other)}'.")
    return Verdict(_band_status(frame, reading), numbers, sentence)


def table2_statements(ledger: Path = CLAIMS_LEDGER, settings: Settings | None = None,
                      inputs: Inputs | None = None) -> pd.DataFrame:
    """The intervals behind the '70-90%' and 'about half' statements, with the bands the ledger gives."""
    inputs = inputs or Inputs(settings)
    claims = {claim.check: claim for claim in read_ledger(ledger)}
    return table2_russia_shares(_table2_bands(claims["central_asia_caucasus_share"],
                                              claims["moldova_ukraine_half"], inputs.settings), inputs)


def table2_readings(ledger: Path = CLAIMS_LEDGER, settings: Settings | None = None,
                    inputs: Inputs | None = None) -> pd.DataFrame:
    """For the '70-90%' and then the 'about half' claim: countries per position and the status, under each reading."""
    inputs = inputs or Inputs(settings)
    in_force = inputs.settings.range_reading
    claims = {claim.check: claim for claim in read_ledger(ledger)}
    rows = []
    for seventy_ninety, half in ((claims["central_asia_caucasus_share"], None), (None, claims["moldova_ukraine_half"])):
        claim = seventy_ninety or half
        frame = table2_russia_shares(_table2_bands(seventy_ninety, half, inputs.settings), inputs)
        for reading in (in_force, _other_reading(in_force)):
            decides = frame[f"{reading}_decides"]
            rows.append({"claim": claim.id, "statement": claim.quote,
                         "reading": reading + (" (in force)" if reading == in_force else ""),
                         "decided by": "the point" if reading == rules.MATCHED else "the interval",
                         **{word: int((decides == position).sum()) for position, word in _POSITION_WORDS.items()},
                         "status": _band_status(frame, reading)})
    return pd.DataFrame(rows)


def _table2_bands(seventy_ninety: Claim | None, half: Claim | None, settings: Settings) -> dict:
    bands = {}
    if seventy_ninety is not None:
        band = (seventy_ninety.value("low"), seventy_ninety.value("high"))
        bands.update({"Central Asia": band, "Caucasus": band})
    if half is not None:
        centre = half.value("share")
        bands["Moldova and Ukraine"] = (centre - settings.about_half_margin_pp, centre + settings.about_half_margin_pp)
    return bands


# ---------------------------------------------------------------------------
# The checks (one per check id in the ledger)
# ---------------------------------------------------------------------------

@_check
def years_since_independence(claim: Claim, inputs: Inputs) -> Verdict:
    stated = claim.values["years"] if "years" in claim.values else claim.value("decades") * 10
    elapsed = claim.year() - USSR_DISSOLUTION_YEAR
    # Half a unit of the printed precision (0.05 decades, or half a year) is rounding.
    status = (REPRODUCED if stated == elapsed else WITHIN_ROUNDING if abs(stated - elapsed) <= 0.5
              else DOES_NOT_HOLD)
    return Verdict(status, {"stated_years": stated, "elapsed_years": elapsed},
                   f"From the USSR's dissolution in {USSR_DISSOLUTION_YEAR} to {claim.year()}, the paper's year, "
                   f"is {elapsed} years; the text says {stated:g} years.")


@_check
def dramatic_disparities(claim: Claim, inputs: Inputs) -> Verdict:
    t1 = inputs.table1
    gdp = t1["gdp_per_capita_usd"].astype(float)
    poverty = t1["poverty_below_2usd_day_pct"].astype(float)
    ratio = gdp.max() / gdp.min()
    status = REPRODUCED if ratio >= inputs.settings.disparity_ratio else DOES_NOT_HOLD
    return Verdict(status, {"gdp_pc_max": gdp.max(), "gdp_pc_min": gdp.min(), "gdp_pc_ratio": ratio,
                            "poverty_max": poverty.max(), "poverty_min": poverty.min()},
                   f"Table 1's GDP per capita runs from {gdp.min():,.1f} US$ ({display_name(gdp.idxmin())}) to "
                   f"{gdp.max():,.1f} US$ ({display_name(gdp.idxmax())}), a ratio of {ratio:.1f} against the "
                   f"{inputs.settings.disparity_ratio:g} the audit takes as dramatic, and the share below 2 US$ a day "
                   f"from {poverty.min():.0f}% to {poverty.max():.0f}%.")


def _population_label() -> str:
    """The population series' name in the verdicts, from data/external/series.csv."""
    from analysis.data.external.panel_data import POPULATION_WB
    from analysis.data.external.series import short_label

    return short_label("population", POPULATION_WB)


def _population(inputs: Inputs, code: str, year: int) -> float:
    value = float(inputs.population.get((code, year), math.nan))
    if not math.isfinite(value):
        raise DataValidationError(f"{_population_label()}: no value for {code} in {year}; the audit needs it. "
                                  "Check that the pinned population.csv is in the data cache.")
    return value


def _growth(inputs: Inputs, code: str) -> float:
    start, end = inputs.settings.demography_start, inputs.settings.demography_end
    first, last = _population(inputs, code, start), _population(inputs, code, end)
    return ((last / first) ** (1 / (end - start)) - 1) * 100


@_check
def demographic_contrast(claim: Claim, inputs: Inputs) -> Verdict:
    start, end = inputs.settings.demography_start, inputs.settings.demography_end
    rates = {code: _growth(inputs, code) for code in POPULATION_DECLINE + CENTRAL_ASIA + TRANSCAUCASIA}
    declining = [c for c in POPULATION_DECLINE if rates[c] < 0]
    growing_ca = [c for c in CENTRAL_ASIA if rates[c] > 0]
    growing_tc = [c for c in TRANSCAUCASIA if rates[c] > 0]
    shrinking_tc = [c for c in TRANSCAUCASIA if rates[c] <= 0]
    return Verdict(EXTERNAL, {f"growth_pct_{c}": round(r, 3) for c, r in rates.items()},
                   f"By the {_population_label()}, in {start}-{end} Russia changed by {rates['RUS']:+.2f}% and "
                   f"Ukraine by {rates['UKR']:+.2f}% a year ({len(declining)} of 2 declining), "
                   f"{len(growing_ca)} of {len(CENTRAL_ASIA)} Central Asian states grew "
                   f"({min(rates[c] for c in CENTRAL_ASIA):+.2f}% to {max(rates[c] for c in CENTRAL_ASIA):+.2f}%), "
                   f"and in Transcaucasia {_names(growing_tc)} grew while {_names(shrinking_tc)} shrank.")


@_check
def cis_members(claim: Claim, inputs: Inputs) -> Verdict:
    table1 = set(inputs.table1.index)
    others = set(inputs.table2.index) | set(inputs.table3.index)
    same = table1 == set(CIS)
    checks = {"footnote_members": len(CIS), "table1_countries": len(table1), "baltic": len(BALTIC),
              "table1_equals_footnote": same, "tables_within_cis": others <= set(CIS),
              "baltic_outside_cis": not (set(BALTIC) & set(CIS))}
    ok = (same and others <= set(CIS) and not (set(BALTIC) & set(CIS))
          and len(CIS) == claim.value("members") and len(BALTIC) == claim.value("baltic"))
    return Verdict(REPRODUCED if ok else DOES_NOT_HOLD, checks,
                   f"The footnote names {len(CIS)} CIS members and {len(BALTIC)} Baltic states outside it; Table 1 "
                   f"lists {len(table1)} countries, {'exactly' if same else 'not'} the footnote's members, and "
                   f"Tables 2 and 3 name {'no' if others <= set(CIS) else 'some'} country outside them.")


@_check
def russia_largest_destination(claim: Claim, inputs: Inputs) -> Verdict:
    russia, ukraine = claim.value("russia"), claim.value("ukraine")
    return Verdict(REPRODUCED if russia > ukraine else DOES_NOT_HOLD, {"russia": russia, "ukraine": ukraine,
                                                                       "ratio": russia / ukraine},
                   f"Of the two CIS states the UN figures name, Russia's {russia:g} mln immigrants are "
                   f"{russia / ukraine:.2f} times Ukraine's {ukraine:g} mln.")


@_check
def un_ranking_order(claim: Claim, inputs: Inputs) -> Verdict:
    stocks = {"USA": claim.value("usa"), "Russia": claim.value("russia"), "Germany": claim.value("germany"),
              "Ukraine": claim.value("ukraine")}
    order = sorted(stocks, key=stocks.get, reverse=True)
    rank_russia, rank_ukraine = order.index("Russia") + 1, order.index("Ukraine") + 1
    ok = rank_russia == claim.value("rank_russia") and rank_ukraine == claim.value("rank_ukraine")
    return Verdict(REPRODUCED if ok else DOES_NOT_HOLD, {"rank_russia": rank_russia, "rank_ukraine": rank_ukraine},
                   f"Sorting the four printed stocks gives {', '.join(f'{c} {stocks[c]:g}' for c in order)} mln, so "
                   f"Russia ranks {rank_russia} and Ukraine {rank_ukraine} among them, as the text says.")


@_check
def un_stocks_external(claim: Claim, inputs: Inputs) -> Verdict:
    printed = {"USA": claim.value("usa"), "RUS": claim.value("russia"), "DEU": claim.value("germany"),
               "UKR": claim.value("ukraine")}
    numbers, parts = {}, []
    for edition, totals in inputs.undesa_totals_2005.items():
        ranks = totals.rank(ascending=False, method="min")
        tag = edition.split()[-1]
        values = {code: totals[code] / 1e6 for code in printed}
        numbers.update({f"{code}_{tag}": round(v, 2) for code, v in values.items()})
        numbers.update({f"rank_RUS_{tag}": int(ranks["RUS"]), f"rank_UKR_{tag}": int(ranks["UKR"])})
        parts.append(f"{edition} gives USA {values['USA']:.1f}, Russia {values['RUS']:.1f}, Germany "
                     f"{values['DEU']:.1f} and Ukraine {values['UKR']:.1f} mln (Russia rank {int(ranks['RUS'])}, "
                     f"Ukraine rank {int(ranks['UKR'])})")
    return Verdict(EXTERNAL, numbers,
                   f"For 2005, {'; '.join(parts)}, against the printed "
                   f"{', '.join(f'{v:g}' for v in printed.values())} mln with Russia second and Ukraine fourth.")


@_check
def russia_better_off(claim: Claim, inputs: Inputs) -> Verdict:
    t1 = inputs.table1
    gdp, poverty = t1["gdp_per_capita_usd"].astype(float), t1["poverty_below_2usd_day_pct"].astype(float)
    others = t1.index != "RUS"
    richer = int((gdp[others] < gdp["RUS"]).sum())
    less_poor = int((poverty[others] > poverty["RUS"]).sum())
    n = int(others.sum())
    status = REPRODUCED if richer > n / 2 and less_poor > n / 2 else (
        PARTLY if richer > n / 2 or less_poor > n / 2 else DOES_NOT_HOLD)
    return Verdict(status, {"gdp_pc_below_russia": richer, "poverty_above_russia": less_poor, "others": n},
                   f"In Table 1, {richer} of the other {n} CIS states have a lower GDP per capita than Russia's "
                   f"{gdp['RUS']:,.1f} US$ and {less_poor} a higher share below 2 US$ a day than Russia's "
                   f"{poverty['RUS']:.0f}%; the table dates from the mid-2000s, not the 1990s.")


def _table2_sums(inputs: Inputs) -> dict:
    t2 = inputs.table2
    senders = t2[t2["in_russia_low_thousands"].notna()]
    return {"abroad_low": float(senders["abroad_low_thousands"].sum()),
            "abroad_high": float(senders["abroad_high_thousands"].sum()),
            "russia_low": float(senders["in_russia_low_thousands"].sum()),
            "russia_high": float(senders["in_russia_high_thousands"].sum()), "senders": len(senders),
            "origins": tuple(senders.index)}


def _table2_population(origins, destinations=rules.EVERY_PLACE) -> rules.Population:
    """Table 2's migrant workers from ``origins`` in ``destinations``, "both legally and illegally" (line 133)."""
    return rules.Population(origins, destinations, rules.WORKERS, rules.EVERY_STATUS)


def _no_bound(count: rules.Count, claim: rules.Population) -> str:
    """Why ``count`` neither caps nor floors the claim (rule "Which counts bound a claim")."""
    if claim.contains(count.population):
        return f"{count.label} lie within it but give no lower end"
    if count.population.contains(claim):
        return f"{count.label} contain it but give no upper end"
    return (f"{count.label} bound nothing: they leave out {rules.describe_gaps(count.population.missing(claim))}, "
            f"and they count {rules.describe_gaps(claim.missing(count.population))}")


_BOUND_CONCLUSIONS = {rules.HOLDS: "The statement holds within the paper's own bounds.",
                      rules.HOLDS_FOR_SOME: "The paper's own bounds confirm it for some countries only.",
                      rules.FAILS: "The paper's own bounds rule it out.",
                      rules.UNDECIDED: "So the paper's own figures cannot bound it."}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _bounds_text(reading: rules.BoundReading, claim: rules.Population, unit: Callable[[float], str]) -> str:
    """The rules "Which counts bound a claim" and "Verdict from bounds" applied, in words."""
    floor = (f"{_and(c.label for c in reading.floors)} floor it at {unit(reading.floor)}" if reading.floors
             else "no count of the paper floors it")
    ceiling = (f"{_and(c.label for c in reading.ceilings)} cap it at {unit(reading.ceiling)}" if reading.ceilings
               else "none caps it")
    context = "".join(f" {_capitalised(_no_bound(count, claim))}." for count in reading.context)
    return f"{floor}, and {ceiling}.{context} {_BOUND_CONCLUSIONS[reading.outcome]}"


def _mln(thousands: float, high: float | None = None) -> str:
    """'5 mln' from 5000 thousand; with ``high``, a range '5.75–6.75 mln'."""
    def number(value):
        return f"{value / 1000:.2f}".rstrip("0").rstrip(".")
    return (number(thousands) if high is None else _range(float(number(thousands)), float(number(high)))) + " mln"


@_check
def irregular_total(claim: Claim, inputs: Inputs) -> Verdict:
    low, high = claim.value("low"), claim.value("high")
    sums = _table2_sums(inputs)
    kazakhstan, ukraine = claim.value("kazakhstan"), claim.value("ukraine_transit")
    table2 = rules.Count(f"Table 2's {_mln(sums['abroad_low'], sums['abroad_high'])} migrant workers abroad "
                         f"from its {sums['senders']} sending states", sums["abroad_low"], sums["abroad_high"],
                         _table2_population(sums["origins"]))
    parts = [rules.Count(f"the 'up to {_mln(kazakhstan)}' seasonal workers in Kazakhstan", -math.inf, kazakhstan,
                         rules.Population(rules.EVERY_PLACE, {"KAZ"}, {rules.SEASONAL_WORKERS}, {rules.IRREGULAR})),
             rules.Count(f"the 'about {_mln(ukraine)}' transit migrants in Ukraine", ukraine, ukraine,
                         rules.Population(rules.EVERY_PLACE, {"UKR"}, {rules.TRANSIT_MIGRANTS}, {rules.IRREGULAR}))]
    reading = rules.bound_reading(low, high, IRREGULAR_IN_CIS, [table2, *parts])
    return Verdict(OUTCOME_STATUS[reading.outcome],
                   {"floor": reading.floor, "ceiling": reading.ceiling, "table2_abroad_low": sums["abroad_low"],
                    "table2_abroad_high": sums["abroad_high"], "kazakhstan": kazakhstan, "ukraine_transit": ukraine},
                   f"For the {_mln(low, high)} irregular migrants in the CIS region: "
                   + _bounds_text(reading, IRREGULAR_IN_CIS, _mln))


@_check
def irregular_mostly_in_russia(claim: Claim, inputs: Inputs) -> Verdict:
    low, high = claim.value("low"), claim.value("high")
    sums = _table2_sums(inputs)
    in_russia = rules.Population(rules.EVERY_PLACE, {"RUS"}, statuses={rules.IRREGULAR})
    table2 = rules.Count(f"Table 2's {_mln(sums['russia_low'], sums['russia_high'])} migrant workers in "
                         f"Russia from its {sums['senders']} sending states", sums["russia_low"], sums["russia_high"],
                         _table2_population(sums["origins"], {"RUS"}))
    # "most" of 5 to 15 million: more than half of the lower estimate, at most the upper.
    reading = rules.bound_reading(low / 2, high, in_russia, [table2])
    return Verdict(OUTCOME_STATUS[reading.outcome],
                   {"needed_in_russia": low / 2, "table2_russia_low": sums["russia_low"],
                    "table2_russia_high": sums["russia_high"]},
                   f"'Most' of {_mln(low, high)} needs more than {_mln(low / 2)} irregular migrants in Russia, and "
                   "the paper gives no count of them: " + _bounds_text(reading, in_russia, _mln))


@_check
def kazakhstan_seasonal(claim: Claim, inputs: Inputs) -> Verdict:
    stated = claim.value("kazakhstan")
    t2 = inputs.table2.loc[list(KAZAKHSTAN_SENDERS)]
    left = [rules.range_difference(r.abroad_low_thousands, r.abroad_high_thousands, r.in_russia_low_thousands,
                                   r.in_russia_high_thousands, inputs.settings.range_reading) for r in t2.itertuples()]
    least, most = sum(low for low, _ in left), sum(high for _, high in left)
    seasonal = rules.Population(rules.EVERY_PLACE, {"KAZ"}, {rules.SEASONAL_WORKERS}, {rules.IRREGULAR})
    table2 = rules.Count(f"Table 2's {_range(least, most, '.0f')} thousand migrant workers from "
                         f"{_names(KAZAKHSTAN_SENDERS)} outside Russia ({inputs.settings.range_reading} reading)",
                         least, most, _table2_population(KAZAKHSTAN_SENDERS, rules.EVERY_PLACE - {"RUS"}))
    reading = rules.bound_reading(-math.inf, stated, seasonal, [table2])
    return Verdict(OUTCOME_STATUS[reading.outcome],
                   {"table2_outside_russia_low": least, "table2_outside_russia_high": most, "stated": stated},
                   f"The paper names {_names(KAZAKHSTAN_SENDERS)} as origins of Kazakhstan's seasonal workers "
                   f"(line 149), but not as the only ones. For the 'up to {_mln(stated)}': "
                   + _bounds_text(reading, seasonal, _mln))


@_check
def table2_russia_within_abroad(claim: Claim, inputs: Inputs) -> Verdict:
    t2 = inputs.table2[inputs.table2["in_russia_low_thousands"].notna()]
    fits = t2["in_russia_high_thousands"] <= t2["abroad_high_thousands"]
    fits_low = t2["in_russia_low_thousands"] <= t2["abroad_low_thousands"]
    equal = t2.index[(t2["in_russia_low_thousands"] == t2["abroad_low_thousands"])
                     & (t2["in_russia_high_thousands"] == t2["abroad_high_thousands"])]
    ok = bool(fits.all() and fits_low.all())
    return Verdict(REPRODUCED if ok else DOES_NOT_HOLD,
                   {"countries": len(t2), "russia_within_abroad": int((fits & fits_low).sum()),
                    "identical_ranges": len(equal)},
                   f"For {int((fits & fits_low).sum())} of {len(t2)} countries the range in Russia lies within the "
                   f"range abroad; for {_names(equal)} the two ranges are identical, so all of them may be in Russia.")


@_check
def central_asia_caucasus_share(claim: Claim, inputs: Inputs) -> Verdict:
    frame = table2_russia_shares(_table2_bands(claim, None, inputs.settings), inputs)
    return _band_verdict(frame, f"{claim.value('low'):g}-{claim.value('high'):g}%", inputs.settings.range_reading)


@_check
def moldova_ukraine_half(claim: Claim, inputs: Inputs) -> Verdict:
    frame = table2_russia_shares(_table2_bands(None, claim, inputs.settings), inputs)
    band = f"'about half' (read as {frame.band_low.iloc[0]:g}-{frame.band_high.iloc[0]:g}%)"
    return _band_verdict(frame, band, inputs.settings.range_reading)


def _russia_share_of_table2(inputs: Inputs) -> tuple[dict, dict[str, rules.RangeShare]]:
    """Table 2's sums, and the share of its migrant workers abroad who are in Russia under each reading."""
    s = _table2_sums(inputs)
    return s, {reading: rules.range_share(s["russia_low"], s["russia_high"], s["abroad_low"], s["abroad_high"], reading)
               for reading in rules.RANGE_READINGS}


@_check
def russia_major_receiver(claim: Claim, inputs: Inputs) -> Verdict:
    s, shares = _russia_share_of_table2(inputs)
    reading = inputs.settings.range_reading
    share, other = shares[reading], shares[_other_reading(reading)]
    # A holder of more than half of a population receives more of it than any other; at half or less,
    # Table 2 does not say how the rest is split among the other destinations.
    majority = rules.deciding_position(share, MAJORITY_ABOVE_PCT + FLOAT_SLACK, 100.0, reading) == rules.INSIDE
    return Verdict(REPRODUCED if majority else NOT_CHECKABLE,
                   {"share_mid_pct": share.point, "share_low_pct": share.low, "share_high_pct": share.high,
                    f"{_other_reading(reading)}_low_pct": other.low, f"{_other_reading(reading)}_high_pct": other.high},
                   f"Of the {_mln(s['abroad_low'], s['abroad_high'])} migrant workers abroad from Table 2's "
                   f"{s['senders']} sending states, {_mln(s['russia_low'], s['russia_high'])} are in Russia: "
                   f"{share.point:.0f}% at the midpoints, {share.low:.0f}–{share.high:.0f}% under the {reading} "
                   "reading "
                   f"and {other.low:.0f}–{other.high:.0f}% under the {_other_reading(reading)} one. "
                   + f"Russia thus holds {'more' if majority else 'no more'} than half of the region's labour "
                   "migrants as Table 2 counts them, so "
                   + ("no other destination receives as many of them." if majority
                      else "Table 2 cannot rank the destinations."))


@_check
def russia_also_sender(claim: Claim, inputs: Inputs) -> Verdict:
    t2 = inputs.table2
    high = t2["abroad_high_thousands"].astype(float)
    low = t2["abroad_low_thousands"].astype(float)
    rank = int(high.rank(ascending=False, method="min")["RUS"])
    status = REPRODUCED if low["RUS"] > 0 else DOES_NOT_HOLD
    return Verdict(status, {"russia_abroad_low": low["RUS"], "russia_abroad_high": high["RUS"], "rank_by_high": rank},
                   f"Table 2 lists {low['RUS'] / 1000:g}–{high['RUS'] / 1000:g} mln Russian migrant workers abroad, "
                   f"rank {rank} of {len(t2)} countries by the upper bound.")


@_check
def kazakhstan_population_loss(claim: Claim, inputs: Inputs) -> Verdict:
    population = pd.Series({year: _population(inputs, "KAZ", year) for year in range(1990, 2006)})
    peak_year = int(population.loc[1990:1995].idxmax())
    trough_year = int(population.loc[peak_year:2005].idxmin())
    loss = (1 - population[trough_year] / population[peak_year]) * 100
    return Verdict(EXTERNAL, {"peak_year": peak_year, "trough_year": trough_year, "net_loss_pct": round(loss, 2),
                              "stated_pct": claim.value("loss")},
                   f"The {_population_label()} of Kazakhstan fell from {population[peak_year] / 1e6:.2f} mln ({peak_year}) to "
                   f"{population[trough_year] / 1e6:.2f} mln ({trough_year}), a net loss of {loss:.1f}% against the "
                   f"stated {claim.value('loss'):g}%; gross emigration exceeds the net loss by the natural increase, "
                   "which these figures do not separate.")


@_check
def hundreds_of_thousands_in_russia(claim: Claim, inputs: Inputs) -> Verdict:
    t2 = inputs.table2.loc[list(SEASONAL_TO_RUSSIA)]
    low, high = claim.value("low"), claim.value("high")
    readings = {code: rules.bound_reading(
        low, high, rules.Population({code}, {"RUS"}, {rules.SEASONAL_WORKERS}),
        [rules.Count("Table 2", row.in_russia_low_thousands, row.in_russia_high_thousands,
                     _table2_population({code}, {"RUS"}))]) for code, row in t2.iterrows()}
    outcome = rules.combined_outcome(r.outcome for r in readings.values())
    capped = [code for code, r in readings.items() if r.ceiling <= high]
    floored = [code for code, r in readings.items() if r.floors]
    counts = ", ".join(f"{r.country} {_range(r.in_russia_low_thousands, r.in_russia_high_thousands)}"
                       for r in t2.itertuples())
    return Verdict(OUTCOME_STATUS[outcome], {"countries": len(t2), "capped_below_high": len(capped),
                                             "floored": len(floored)},
                   f"Table 2 puts {counts} thousand migrant workers (of every kind) in Russia. Those counts include "
                   f"the seasonal workers, so they cap them within 'hundreds of thousands' (up to {high:g} thousand) "
                   f"for {_names(capped)}; but the paper gives no count of seasonal workers, and nothing floors them "
                   f"at {low:g} thousand. {_BOUND_CONCLUSIONS[outcome]}")


@_check
def sevenfold_increase(claim: Claim, inputs: Inputs) -> Verdict:
    ratio = claim.value("to") / claim.value("from")
    factor = claim.value("factor")
    status = REPRODUCED if abs(ratio - factor) <= FLOAT_SLACK else (
        WITHIN_ROUNDING if abs(ratio - factor) <= 0.5 else DOES_NOT_HOLD)
    return Verdict(status, {"ratio": ratio, "stated_factor": factor},
                   f"{claim.value('to'):g} / {claim.value('from'):g} billion US$ = {ratio:.2f}, against the stated "
                   f"{factor:g} times.")


@_check
def remittances_increased(claim: Claim, inputs: Inputs) -> Verdict:
    start, end, factor = claim.value("from"), claim.value("to"), claim.value("kazakhstan_factor_low")
    russia = end / start
    status = REPRODUCED if russia > 1 and factor > 1 else DOES_NOT_HOLD
    return Verdict(status, {"russia_ratio": russia, "kazakhstan_factor_low": factor},
                   f"The paper's own figures for the 2000s show growth: remittances from Russia to the CIS rose "
                   f"{russia:.1f}-fold from {start:g} to {end:g} billion US$ (1999-2004), and Kazakhstan's grew at "
                   f"least {factor:g} times a year (2000-2005).")


@_check
def russia_main_source(claim: Claim, inputs: Inputs) -> Verdict:
    russia, kazakhstan = claim.value("russia_official"), claim.value("kazakhstan_official")
    # Russia's official transfers to CIS states floor its outflow; Kazakhstan's "over" figure floors its own
    # and nothing caps it, so the gap between the two has no lower bound.
    kazakhstan_ceiling = math.inf
    gap_floor = russia - kazakhstan_ceiling
    outcome = rules.POSITION_OUTCOME[rules.interval_position(gap_floor, math.inf, FLOAT_SLACK, math.inf)]
    _, shares = _russia_share_of_table2(inputs)
    share = shares[inputs.settings.range_reading]
    return Verdict(OUTCOME_STATUS[outcome],
                   {"russia_official": russia, "kazakhstan_official": kazakhstan,
                    "kazakhstan_ceiling": kazakhstan_ceiling, "russia_share_of_migrant_workers_mid_pct": share.point},
                   f"Russia's official {russia:g} billion US$ to CIS states (2004) and Kazakhstan's 'over "
                   f"{kazakhstan:g} billion' (2005) are both floors, of different years; no figure caps Kazakhstan's "
                   "outflow, and the paper quantifies no other source country, so the paper's own figures cannot "
                   f"rank the sources. Table 2 puts {share.point:.0f}% ({share.low:.0f}–{share.high:.0f}%) of its "
                   "sending states' migrant workers in Russia, which counts people, not money.")


@_check
def russia_outflows_external(claim: Claim, inputs: Inputs) -> Verdict:
    first, last = (inputs.wdi_value("remittances_paid_usd", "RUS", year) / 1e9 for year in (1999, 2004))
    return Verdict(EXTERNAL, {"wdi_paid_1999": round(first, 3), "wdi_paid_2004": round(last, 3),
                              "wdi_ratio": round(last / first, 2)},
                   f"WDI 2025 personal remittances paid by Russia to all countries were {first:.2f} billion US$ in 1999 "
                   f"and {last:.2f} in 2004 (ratio {last / first:.1f}), against the Central Bank's "
                   f"{claim.value('from'):g} and {claim.value('to'):g} to CIS states alone; "
                   f"{'the 1999 CIS figure exceeds the all-country total, so the two series measure different flows' if claim.value('from') > first else 'the CIS figures lie below the all-country totals'}.")


def _kazakhstan_paid(inputs: Inputs) -> pd.Series:
    return pd.Series({year: inputs.wdi_value("remittances_paid_usd", "KAZ", year) / 1e9 for year in range(2000, 2006)})


@_check
def kazakhstan_growth_external(claim: Claim, inputs: Inputs) -> Verdict:
    paid = _kazakhstan_paid(inputs)
    factors = (paid / paid.shift(1)).dropna()
    low, high = claim.value("low"), claim.value("high")
    inside = factors.between(low, high)
    return Verdict(EXTERNAL, {f"factor_{year}": round(f, 2) for year, f in factors.items()} | {
        "years_in_range": int(inside.sum())},
                   f"WDI 2025 personal remittances paid by Kazakhstan grew by factors of {factors.min():.2f} to "
                   f"{factors.max():.2f} a year in 2001-2005, {int(inside.sum())} of {len(factors)} years within the "
                   f"stated {low:g}-{high:g}.")


@_check
def kazakhstan_level_external(claim: Claim, inputs: Inputs) -> Verdict:
    level = _kazakhstan_paid(inputs)[2005]
    return Verdict(EXTERNAL, {"wdi_paid_2005": round(level, 3), "stated": claim.value("level")},
                   f"WDI 2025 gives {level:.2f} billion US$ of personal remittances paid by Kazakhstan in 2005, "
                   f"{'above' if level > claim.value('level') else 'not above'} the stated {claim.value('level'):g} "
                   "billion.")


@_check
def unofficial_overwhelming(claim: Claim, inputs: Inputs) -> Verdict:
    threshold = inputs.settings.overwhelming_share_pct
    t3 = inputs.table3[inputs.table3["remittances_bop_2003_musd"].notna()]
    # BOP and estimate count one country's remittances in one year: the estimate is the total, BOP its official part.
    unofficial = (1 - t3["remittances_bop_2003_musd"].astype(float)
                  / t3["remittances_estimate_musd"].astype(float)) * 100
    official, total_low, total_high = claim.value("official"), claim.value("total_low"), claim.value("total_high")
    russia_low, russia_high = (1 - official / total_low) * 100, (1 - official / total_high) * 100
    outcome = rules.combined_outcome(rules.HOLDS if share >= threshold else rules.FAILS for share in unofficial)
    holds = unofficial[unofficial >= threshold]
    fails = unofficial[unofficial < threshold]
    table3 = (f"meets it for {_names(holds.index)} ({_range(holds.min(), holds.max(), '.0f')}%) but not for "
              f"{_names(fails.index)} ({_range(fails.min(), fails.max(), '.0f')}%)" if not holds.empty and not fails.empty
              else f"runs from {unofficial.min():.0f}% to {unofficial.max():.0f}%")
    return Verdict(OUTCOME_STATUS[outcome], {f"unofficial_pct_{code}": round(v, 1) for code, v in unofficial.items()} | {
        "unofficial_pct_russia_low": round(russia_low, 1), "unofficial_pct_russia_high": round(russia_high, 1),
        "countries_meeting": len(holds), "countries": len(unofficial)},
                   f"Reading 'overwhelming' as at least {threshold:g}%, Table 3's unofficial share (1 - BOP/estimate) "
                   f"{table3}. Russia's {official:g} billion US$ official (to CIS states, 2004) and {total_low:g}-"
                   f"{total_high:g} billion in all (to every destination, 2006) are not one flow, so the "
                   f"{russia_low:.0f}-{russia_high:.0f}% unofficial they would imply is shown, not used.")


@_check
def fms_outflows_external(claim: Claim, inputs: Inputs) -> Verdict:
    paid = {year: inputs.wdi_value("remittances_paid_usd", "RUS", year) / 1e9 for year in (2005, 2006)}
    low, high = claim.value("low"), claim.value("high")
    return Verdict(EXTERNAL, {f"wdi_paid_{y}": round(v, 2) for y, v in paid.items()},
                   f"WDI 2025 gives personal remittances paid by Russia of {paid[2005]:.2f} billion US$ in 2005 and "
                   f"{paid[2006]:.2f} in 2006; the stated {low:g}-{high:g} billion lies "
                   f"{'between them' if min(paid.values()) <= low and high <= max(paid.values()) else 'outside that span'}.")


@_check
def remittances_above_fdi_oda(claim: Claim, inputs: Inputs) -> Verdict:
    t3 = inputs.table3
    fdi, oda = t3["fdi_2003_musd"].astype(float), t3["oda_2002_musd"].astype(float)
    results = {}
    for measure, column in (("estimate", "remittances_estimate_musd"), ("BOP", "remittances_bop_2003_musd")):
        level = _floats(t3[column])
        available = ~np.isnan(level)
        above = available & (level > fdi.to_numpy()) & (level > oda.to_numpy())
        results[measure] = (t3.index[above], int(available.sum()))
    majority = {m: len(codes) > n / 2 for m, (codes, n) in results.items()}
    status = REPRODUCED if all(majority.values()) else PARTLY if any(majority.values()) else DOES_NOT_HOLD
    (est, n_est), (bop, n_bop) = results["estimate"], results["BOP"]
    return Verdict(status, {"above_both_estimate": len(est), "countries_estimate": n_est,
                            "above_both_bop": len(bop), "countries_bop": n_bop},
                   f"Estimated remittances exceed both FDI and ODA in {len(est)} of {n_est} Table 3 countries "
                   f"({_names(est)}), but the official BOP figures do so in {len(bop)} of {n_bop} ({_names(bop)}).")


@_check
def estimates_cover_official(claim: Claim, inputs: Inputs) -> Verdict:
    t3 = inputs.table3[inputs.table3["remittances_bop_2003_musd"].notna()]
    ratio = t3["remittances_estimate_musd"].astype(float) / t3["remittances_bop_2003_musd"].astype(float)
    ok = int((ratio >= 1).sum())
    return Verdict(REPRODUCED if ok == len(t3) else DOES_NOT_HOLD, {"countries": len(t3), "estimate_ge_bop": ok,
                                                                    "ratio_min": ratio.min(), "ratio_max": ratio.max()},
                   f"The estimate is at least the official BOP figure in {ok} of {len(t3)} countries, "
                   f"{ratio.min():.2f} to {ratio.max():.2f} times it, as a total that includes the official part must be.")


def _hypotheses_clause(inputs: Inputs, key: str) -> str:
    """', and of the explanations within the paper, ...' for a column with off cells, else ''."""
    frame = table3_hypotheses(inputs=inputs, external=False)
    frame = frame[frame["column"] == key]
    if frame.empty:
        return ""
    parts = [f"{row.hypothesis} fits {row.cells_explained}" for row in frame.itertuples()]
    return f"; of the explanations within the paper, {', '.join(parts)} of the {frame['off_cells'].iloc[0]} off cells"


def _share_column_check(key: str):
    def check(claim: Claim, inputs: Inputs) -> Verdict:
        cells = table3_cells(inputs=inputs)
        cells = cells[cells["column"] == key]
        counts = cells["class"].value_counts()
        worst = cells.loc[cells["difference"].abs().idxmax()]
        n = int((cells["class"] != MISSING).sum())
        return Verdict(_column_status(cells), {"cells": n, "exact": int(counts.get(EXACT, 0)),
                                               "within_rounding": int(counts.get(ROUNDING, 0)),
                                               "off": int(counts.get(OFF, 0)),
                                               "largest_gap_pp": round(float(worst["difference"]), 3)},
                       f"Recomputing '{TABLE3_COLUMNS[key][2]}' / GDP 2003 gives {int(counts.get(EXACT, 0))} exact, "
                       f"{int(counts.get(ROUNDING, 0))} within rounding and {int(counts.get(OFF, 0))} off of {n} cells; "
                       f"the largest gap is {worst['country']}: {worst['recomputed_share']:.2f} recomputed against "
                       f"{worst['printed_share']:.1f} printed" + _hypotheses_clause(inputs, key) + ".")
    check.__name__ = f"table3_{key.split('_')[0]}_shares"
    return _check(check)


table3_bop_shares = _share_column_check("bop_2003")
table3_estimate_shares = _share_column_check("estimate")
table3_fdi_shares = _share_column_check("fdi_2003")
table3_exports_shares = _share_column_check("exports_2003")
table3_oda_shares = _share_column_check("oda_2002")


@_check
def table3_oda_denominator_external(claim: Claim, inputs: Inputs) -> Verdict:
    frame = table3_denominators(inputs=inputs, column="oda_2002")
    explained = frame[frame["explained_by_2002"]]
    unexplained = frame[~frame["explained_by_2002"]]
    years = frame["closest_wdi_year"].value_counts()
    return Verdict(EXTERNAL, {"explained_by_gdp_2002": len(explained), "countries": len(frame),
                              "median_gap_pct": round(float((frame["implied_to_wdi_2002"] - 1).abs().median() * 100), 2),
                              "closest_year_mode": int(years.idxmax())},
                   f"The GDP implied by the printed ODA shares is {frame['implied_to_printed_2003'].min():.0%}-"
                   f"{frame['implied_to_printed_2003'].max():.0%} of the printed GDP 2003, and within "
                   f"{inputs.settings.gdp_revision_tolerance:.0%} of WDI 2025's GDP 2002 for {len(explained)} of "
                   f"{len(frame)} countries (not {_names(unexplained['iso3'])}); WDI's closest year is "
                   f"{int(years.idxmax())} for {int(years.max())} of {len(frame)}.")


@_check
def multi_million_irregular(claim: Claim, inputs: Inputs) -> Verdict:
    reading_low, estimate = claim.value("low"), claim.value("estimate_low")
    own = rules.Count("the irregular migrants of the paper's own estimate (line 110), the same population,",
                      estimate, math.inf, IRREGULAR_IN_CIS)
    reading = rules.bound_reading(reading_low, math.inf, IRREGULAR_IN_CIS, [own])
    return Verdict(OUTCOME_STATUS[reading.outcome], {"estimate_low": estimate, "reading": reading_low},
                   f"'Multi-million' needs at least {_mln(reading_low)} irregular migrants and has no upper end: "
                   + _bounds_text(reading, IRREGULAR_IN_CIS, _mln))


def _membership(claim: Claim, listed: tuple[str, ...], within: tuple[str, ...], within_name: str) -> Verdict:
    inside = set(listed) <= set(within)
    count_ok = len(listed) == claim.value("members")
    outside = sorted(set(within) - set(listed))
    return Verdict(REPRODUCED if inside and count_ok else DOES_NOT_HOLD,
                   {"listed": len(listed), "stated": claim.value("members"), "all_within": inside},
                   f"The paper lists {len(listed)} states ({_names(listed)}), "
                   f"{'all' if inside else 'not all'} of them members of {within_name}; "
                   f"members of {within_name} not listed: {_names(outside)}.")


@_check
def eurasec_members(claim: Claim, inputs: Inputs) -> Verdict:
    return _membership(claim, EURASEC, CIS, "the CIS of footnote 1")


@_check
def guam_members(claim: Claim, inputs: Inputs) -> Verdict:
    initials = "".join(name[0] for name in GUAM_AS_PRINTED)
    codes = tuple(iso3(name) for name in GUAM_AS_PRINTED)
    verdict = _membership(claim, codes, CIS, "the CIS of footnote 1")
    ok = verdict.status == REPRODUCED and initials == "GUAM"
    return Verdict(REPRODUCED if ok else DOES_NOT_HOLD, verdict.numbers | {"initials_spell_guam": initials == "GUAM"},
                   f"The {len(codes)} members as printed ({', '.join(GUAM_AS_PRINTED)}) have the initials {initials}, "
                   f"and all are CIS members of footnote 1.")


@_check
def visa_free_members(claim: Claim, inputs: Inputs) -> Verdict:
    return _membership(claim, VISA_FREE, EURASEC, "the EurAsEC of line 440")


@_check
def common_economic_space_members(claim: Claim, inputs: Inputs) -> Verdict:
    return _membership(claim, COMMON_ECONOMIC_SPACE, CIS, "the CIS of footnote 1")


@_check
def transit_thousands(claim: Claim, inputs: Inputs) -> Verdict:
    reading_low, stated = claim.value("low"), claim.value("transit")
    stuck = rules.Population(rules.EVERY_PLACE, CIS, {rules.TRANSIT_MIGRANTS})
    # Line 159: transit migrants from Asian and African countries, stranded in Russia and Ukraine.
    stranded = rules.Count(f"the 'over {stated:g} thousand' transit migrants stranded in Russia and Ukraine "
                           "(line 159)", stated, math.inf,
                           rules.Population({rules.OUTSIDE_CIS}, {"RUS", "UKR"}, {rules.TRANSIT_MIGRANTS}))
    reading = rules.bound_reading(reading_low, math.inf, stuck, [stranded])
    return Verdict(OUTCOME_STATUS[reading.outcome], {"transit": stated, "reading": reading_low},
                   f"'Thousands' of migrants stuck in transit countries needs at least {reading_low:g} thousand and has "
                   "no upper end: " + _bounds_text(reading, stuck, lambda value: f"{value:g} thousand"))


@_check
def survey_place_consistency(claim: Claim, inputs: Inputs) -> Verdict:
    findings = inputs.survey_findings
    rows = findings[(findings["kind"] == "finding") & (findings["paper_line"] == claim.paper_line)]
    key = next(iter(claim.values), None)
    if len(rows) != 1 or key is None or float(rows["value"].iloc[0]) != claim.value(key):
        raise DataValidationError(
            f"{claim.where}: check {claim.check!r} needs one finding on paper line {claim.paper_line} in "
            f"{statements.SURVEY} with the ledger's value ({dict(claim.values)}); found {len(rows)} row(s) "
            f"with value(s) {rows['value'].tolist()}. Make the ledger row and the transcription agree."
        )
    placed, (people, demonym) = str(rows["iso3"].iloc[0]), SURVEY_PEOPLE
    outcome = rules.consistency_outcome([placed, people])
    return Verdict(OUTCOME_STATUS[outcome], dict(claim.values) | {"place_matches_people": placed == people},
                   f"The figure comes from a survey the paper places in {display_name(placed)}, while the same "
                   f"sentence has the firms create workplaces for 'other {demonym} people' (line 393), which makes "
                   f"owners and workers people of {display_name(people)}; "
                   + ("as printed, the two cannot both describe the surveyed firms, and the paper gives nothing to "
                      "choose between them." if outcome == rules.CONTRADICTS_ITSELF else
                      "the two agree, and no table or other figure of the paper allows a recomputation."))


# ---------------------------------------------------------------------------
# The audit
# ---------------------------------------------------------------------------

def _not_checkable(claim: Claim) -> Verdict:
    shown = "; ".join(f"{key}={_number(value)}" for key, value in claim.values.items()) or "no number"
    source = f"cites {claim.cited_source}" if claim.cited_source else "cites no source"
    return Verdict(NOT_CHECKABLE, dict(claim.values),
                   f"The paper's figure ({shown}; {claim.unit or 'no unit'}) {source}, and no table or other "
                   "figure in the paper allows a recomputation.")


def evaluate(claim: Claim, inputs: Inputs) -> Verdict:
    """Run one claim's check; the status must come from the fixed vocabulary."""
    verdict = _not_checkable(claim) if claim.check_kind == "not checkable" else CHECKS[claim.check](claim, inputs)
    if verdict.status not in STATUSES:
        raise DataValidationError(f"{claim.where}: check {claim.check!r} returned status {verdict.status!r}, "
                                  f"not one of {STATUSES}. Fix the check function.")
    if claim.check_kind == "external" and verdict.status != EXTERNAL:
        raise DataValidationError(f"{claim.where}: an external check must report {EXTERNAL!r}, got {verdict.status!r}.")
    return verdict


def verdicts(ledger: Path = CLAIMS_LEDGER, inputs: Inputs | None = None) -> dict[str, tuple[Claim, Verdict]]:
    """Claim id -> (claim, verdict), for every claim of the ledger."""
    inputs = inputs or Inputs()
    return {claim.id: (claim, evaluate(claim, inputs)) for claim in read_ledger(ledger)}


def verdict_of(check: str, ledger: Path = CLAIMS_LEDGER, inputs: Inputs | None = None) -> Verdict:
    """The verdict of the (first) claim that the check function ``check`` evaluates."""
    claims = [claim for claim in read_ledger(ledger) if claim.check == check]
    if not claims:
        raise ParameterError(f"check={check!r}: no claim of {ledger} uses it; known: {', '.join(sorted(CHECKS))}.")
    return evaluate(claims[0], inputs or Inputs())


def audit_table(ledger: Path = CLAIMS_LEDGER, settings: Settings | None = None,
                descriptor: Path = paths.DATAPACKAGE, inputs: Inputs | None = None) -> pd.DataFrame:
    """Every claim of the ledger with its status, computed numbers and explanation."""
    inputs = inputs or Inputs(settings, descriptor)
    rows = []
    for claim, verdict in verdicts(ledger, inputs).values():
        rows.append({"id": claim.id, "section": claim.section, "quote": claim.quote, "check_kind": claim.check_kind,
                     "status": verdict.status, "computed": verdict.computed, "explanation": verdict.explanation,
                     "chapter": claim.chapter})
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS).astype("string")


STATUS_COLOURS = {REPRODUCED: "#d9f0d3", WITHIN_ROUNDING: "#eef7d9", PARTLY: "#fee8a8", DOES_NOT_HOLD: "#f4a6a6",
                  INCONSISTENT: "#e3c8ef", NOT_CHECKABLE: "#eeeeee", EXTERNAL: "#d6e6f5"}


def claims_for_display(audit: pd.DataFrame, ledger: Path = CLAIMS_LEDGER):
    """The audit as a reader sees it, status coloured: claim (paper line, chapter), status, quote, evidence."""
    from html import escape

    lines = ledger_frame(ledger).set_index("id")["paper_line"]
    shown = pd.DataFrame({
        "Claim": [f"<b>{cid}</b><br>line {lines[cid]}<br>{escape(chapter)}"
                  for cid, chapter in zip(audit["id"], audit["chapter"])],
        "Status": audit["status"].astype(str),
        "Quote": ["\u201c" + escape(quote) + "\u201d" for quote in audit["quote"]],
        "Evidence": [f"{escape(text)}<br><small><code>{escape(numbers)}</code></small>"
                     for text, numbers in zip(audit["explanation"], audit["computed"])],
    })
    return (shown.style.hide(axis="index")
            .map(lambda status: f"background-color: {STATUS_COLOURS[status]}", subset=["Status"])
            .set_properties(**{"text-align": "left", "vertical-align": "top", "font-size": "0.85em"})
            .set_uuid("audit-claims"))


def as_table(frame: pd.DataFrame, uuid: str, decimals: int = 1, formats: dict[str, str] | None = None):
    """A frame for the page: no index, text left-aligned and never truncated, fixed ids (deterministic HTML)."""
    return (frame.style.hide(axis="index").format(precision=decimals).format(formats or {})
            .set_properties(**{"text-align": "left", "vertical-align": "top", "font-size": "0.85em"})
            .set_uuid(uuid))


def table2_figure(frame: pd.DataFrame, point: str | None = None):
    """Table 2's share-in-Russia intervals per country, over the band the text states for its group;
    ``point`` names a column drawn as a dot on each interval (e.g. the midpoint reading)."""
    from matplotlib.patches import Rectangle

    from analysis import figures

    figure = figures.intervals(frame, "share_low", "share_high", "country",
                               xlabel="migrant workers abroad who are in Russia (%), from Table 2's ranges")
    axis = figure.axes[0]
    order = list(dict.fromkeys(frame["country"]))
    for row in frame.itertuples():
        position = order.index(row.country)
        axis.add_patch(Rectangle((row.band_low, position - 0.4), row.band_high - row.band_low, 0.8,
                                 color="grey", alpha=0.25, linewidth=0))
        if point is not None:
            axis.plot(getattr(row, point), position, "o", color="black", markersize=5, zorder=3)
    axis.set_xlim(0, 105)
    axis.set_title("bands: the shares the text states (grey)" + ("; dots: midpoints" if point else ""), fontsize=10)
    return figure


def status_counts(audit: pd.DataFrame) -> pd.DataFrame:
    """Claims per status, in the vocabulary's order (zeros included)."""
    counts = audit["status"].value_counts().reindex(list(STATUSES), fill_value=0)
    return counts.rename_axis("status").reset_index(name="claims")


def write_audit_csv(path: Path = AUDIT_CSV, frame: pd.DataFrame | None = None, **kwargs) -> Path:
    """Write the audit (``frame``, else ``audit_table(**kwargs)``) to ``results/audit.csv`` atomically."""
    frame = audit_table(**kwargs) if frame is None else frame
    if list(frame.columns) != AUDIT_COLUMNS:
        raise ParameterError(f"frame: columns {list(frame.columns)}; expected {AUDIT_COLUMNS} (from audit_table).")
    path = Path(path)
    write_atomically({path: frame.to_csv(index=False, lineterminator="\n")})
    return path


# Reading rule for "one of the world biggest migration systems" (line 49): the system must outrank at least
# one non-CIS destination among the world's four largest that the paper prints. The paper backs the
# statement with those four UN stocks only, and Russia's plus Ukraine's stocks are a lower bound of the system's.
@_check
def eurasian_system_among_biggest(claim: Claim, inputs: Inputs) -> Verdict:
    system = claim.value("russia") + claim.value("ukraine")
    others = {"the USA": claim.value("usa"), "Germany": claim.value("germany")}
    outranked = [name for name, stock in others.items() if system > stock]
    return Verdict(REPRODUCED if outranked else DOES_NOT_HOLD,
                   {"russia_plus_ukraine": system, "usa": others["the USA"], "germany": others["Germany"],
                    "outranked": len(outranked)},
                   f"By the UN stocks the paper prints, Russia and Ukraine alone hold {system:g} mln international "
                   f"migrants, against {others['the USA']:g} mln in the USA and {others['Germany']:g} mln in Germany, "
                   f"the other two of the world's four largest; the system outranks "
                   f"{' and '.join(outranked) if outranked else 'neither'}.")


if __name__ == "__main__":
    written = write_audit_csv()
    counts = status_counts(pd.read_csv(written, dtype="string", keep_default_na=False))
    print(f"wrote {written}")
    for row in counts.itertuples():
        print(f"  {row.claims:3d}  {row.status}")
    sys.exit(0)
