"""ISO3 codes for the country spellings of the World Bank's Excel files.

The 2013 remittance file and the KNOMAD matrices give names only, in World
Bank spelling ("Kyrgyz Republic", "Congo, Rep."). pycountry resolves most of
them; the rest are listed here by hand. Entities with no ISO 3166 code
(Kosovo, the Channel Islands, KNOMAD's residual and world rows) map to None
and keep their printed name. A spelling that is in neither place is an error,
so that a new edition's renamed country cannot vanish unnoticed.
"""

from __future__ import annotations

from functools import cache

import pycountry

from analysis.data.countries import iso3
from analysis.errors import DataValidationError

WORLD_BANK_SPELLINGS = {
    "Bahamas, The": "BHS",
    "Cape Verde": "CPV",
    "Congo, Dem. Rep.": "COD",
    "Congo, Rep.": "COG",
    "Cote d'Ivoire": "CIV",
    "Curacao": "CUW",
    "Egypt, Arab Rep.": "EGY",
    "Faeroe Islands": "FRO",
    "Gambia, The": "GMB",
    "GuineaBissau": "GNB",
    "Holy See": "VAT",
    "Hong Kong SAR, China": "HKG",
    "Iran, Islamic Rep.": "IRN",
    "Korea, Dem. Rep.": "PRK",
    "Korea, Rep.": "KOR",
    "Lao PDR": "LAO",
    "Macao SAR, China": "MAC",
    "Macedonia, FYR": "MKD",
    "Micronesia, Fed. Sts.": "FSM",
    "St. Kitts and Nevis": "KNA",
    "St. Lucia": "LCA",
    "St. Martin (French part)": "MAF",
    "St. Vincent and the Grenadines": "VCT",
    "Swaziland": "SWZ",
    "São Tomé and Principe": "STP",
    "TimorLeste": "TLS",
    "Turkey": "TUR",
    "Venezuela, RB": "VEN",
    "Virgin Islands (U.S.)": "VIR",
    "West Bank and Gaza": "PSE",
    "Yemen, Rep.": "YEM",
}
# Printed rows and columns that are not ISO 3166 countries.
NO_ISO_CODE = frozenset({"Channel Islands", "Kosovo", "Other North", "Other South", "World", "WORLD"})


@cache
def iso3_of_world_bank_name(name: str, where: str = "") -> str | None:
    """ISO3 code of a World Bank spelling; None for entities without one."""
    name = name.strip()
    if name in NO_ISO_CODE:
        return None
    if name in WORLD_BANK_SPELLINGS:
        return WORLD_BANK_SPELLINGS[name]
    try:
        return iso3(name)
    except DataValidationError as exc:
        raise DataValidationError(
            f"{where or 'World Bank file'}: country name {name!r} is neither known to pycountry nor "
            "listed in analysis/data/external/names.py. Add its ISO3 code to WORLD_BANK_SPELLINGS "
            "(or to NO_ISO_CODE for an aggregate)."
        ) from exc


@cache
def is_iso_country(code: str) -> bool:
    """True for an ISO 3166 alpha-3 country code (False for WDI aggregates such as WLD)."""
    return pycountry.countries.get(alpha_3=code) is not None
