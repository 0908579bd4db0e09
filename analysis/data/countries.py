"""Country codes and display names, from pycountry.

The paper spells the same country differently from table to table
("Kyrgyzstan" in Tables 1 and 2, "Kyrgyz Republic" in Table 3); ISO 3166
alpha-3 codes are the join key everywhere in the compendium.
"""

from __future__ import annotations

from functools import cache

import pycountry

from analysis.errors import DataValidationError

# The 12 CIS members the paper lists in its footnote 1, and the 3 Baltic states
# it names as the only post-Soviet states outside the CIS.
CIS_NAMES = (
    "Armenia",
    "Azerbaijan",
    "Belarus",
    "Georgia",
    "Kazakhstan",
    "Kyrgyzstan",
    "Moldova",
    "Russian Federation",
    "Tajikistan",
    "Turkmenistan",
    "Ukraine",
    "Uzbekistan",
)
BALTIC_NAMES = ("Estonia", "Latvia", "Lithuania")


@cache
def iso3(name: str) -> str:
    """ISO 3166 alpha-3 code of a country name as pycountry resolves it."""
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError as exc:
        raise DataValidationError(
            f"country name {name!r} is not known to pycountry. "
            "Use the spelling of an ISO 3166 name, official name or common name."
        ) from exc


@cache
def display_name(code: str) -> str:
    """Short English name used in figures and tables (pycountry's common name when it has one)."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise DataValidationError(f"{code!r} is not an ISO 3166 alpha-3 code.")
    return getattr(country, "common_name", None) or country.name


CIS = tuple(iso3(name) for name in CIS_NAMES)
BALTIC = tuple(iso3(name) for name in BALTIC_NAMES)
POST_SOVIET = CIS + BALTIC
