"""The parameters each chapter accepts: the one place that declares them.

A chapter's ``parameters`` cell holds plain literals; its next cell calls
``validate`` so a wrong value fails before any work is done. The
``compendium`` command checks the same declarations before it starts a kernel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from analysis.data.countries import CIS
from analysis.errors import ParameterError

# How a type is named in a message: "an int", never "a int".
KIND_NAMES = {int: "an int", float: "a float", str: "a string", bool: "True or False", list: "a list"}


@dataclass(frozen=True)
class Parameter:
    kind: type  # int, float, str, bool or list (a list of str)
    help: str
    choices: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    item_choices: tuple = field(default=())  # allowed items when kind is list
    above: float | None = None  # a bound the value must exceed, for a range open at its lower end

    def allowed(self) -> str:
        if self.choices:
            return f"one of {', '.join(map(repr, self.choices))}"
        if self.item_choices:
            return f"a list drawn from {', '.join(map(str, self.item_choices))}"
        bounds = []
        if self.above is not None:
            bounds.append(f"> {self.above}")
        if self.minimum is not None:
            bounds.append(f">= {self.minimum}")
        if self.maximum is not None:
            bounds.append(f"<= {self.maximum}")
        return KIND_NAMES.get(self.kind, f"a {self.kind.__name__}") + (f" {' and '.join(bounds)}" if bounds else "")


SEED = Parameter(int, "seed of the random number generator", minimum=0)
BOOTSTRAP_DRAWS = Parameter(int, "number of pairs-bootstrap draws", minimum=100, maximum=100_000)
COUNTRY_CODES = Parameter(list, "ISO3 codes of CIS countries", item_choices=CIS)

# Chapter slug -> parameter name -> declaration. The defaults live in the
# notebooks' parameters cells and reproduce the book.
CHAPTERS: dict[str, dict[str, Parameter]] = {}


def declare(chapter: str, **parameters: Parameter) -> None:
    CHAPTERS[chapter] = parameters


def _check(name: str, value: Any, spec: Parameter) -> None:
    expected = spec.kind
    wrong_type = not isinstance(value, expected) or (expected is int and isinstance(value, bool))
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        wrong_type = False
    if wrong_type:
        raise ParameterError(f"parameter {name!r}: got {value!r} ({type(value).__name__}); expected {spec.allowed()}.")
    if expected is float and not math.isfinite(value):
        raise ParameterError(f"parameter {name!r}: got {value!r}; expected a finite number, {spec.allowed()}.")
    if spec.choices and value not in spec.choices:
        raise ParameterError(f"parameter {name!r}: {value!r} is not allowed; expected {spec.allowed()}.")
    if expected is list:
        unknown = [item for item in value if item not in spec.item_choices]
        if unknown:
            raise ParameterError(f"parameter {name!r}: unknown item(s) {unknown}; expected {spec.allowed()}.")
    if (
        spec.minimum is not None
        and value < spec.minimum
        or spec.maximum is not None
        and value > spec.maximum
        or spec.above is not None
        and value <= spec.above
    ):
        raise ParameterError(f"parameter {name!r}: {value!r} is out of range; expected {spec.allowed()}.")


def validate(chapter: str, **values: Any) -> dict[str, Any]:
    """Check a chapter's parameter values against its declaration; returns them unchanged."""
    if chapter not in CHAPTERS:
        raise ParameterError(f"unknown chapter {chapter!r}; chapters with parameters: {', '.join(sorted(CHAPTERS))}.")
    declared = CHAPTERS[chapter]
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ParameterError(
            f"chapter {chapter!r} has no parameter(s) {unknown}; its parameters are: {', '.join(declared)}."
        )
    for name, value in values.items():
        _check(name, value, declared[name])
    from compendium import parameter_rules  # rules that tie values together, kept out of the declarations

    parameter_rules.check(chapter, values)
    return values


# ---- Declarations, one block per chapter ----------------------------------

declare(
    "trends",
    leave_out=Parameter(
        list,
        "ISO3 codes of CIS countries to leave out of the living-standards figure and of model M6",
        item_choices=CIS,
    ),
    gdp_axis=Parameter(str, "scale of the GDP per capita axis", choices=("log", "linear")),
    share_bounds=Parameter(
        str,
        "how Table 2's two ranges combine into a share in Russia: low with low and high "
        "with high, the midpoint deciding ('matched'), or the "
        "widest range, the range deciding ('outer')",
        choices=("matched", "outer"),
    ),
    about_half_band=Parameter(float, "'about half' read as 50 +/- this many percentage points", minimum=1, maximum=50),
)

declare(
    "remittances",
    measure=Parameter(
        str,
        "remittance measure of the chapter's model: the estimate or the balance-of-payments value",
        choices=("estimate", "bop"),
    ),
    share_source=Parameter(
        str, "shares of GDP as Table 3 prints them or recomputed from its levels", choices=("printed", "recomputed")
    ),
    leave_out=Parameter(
        list,
        "ISO3 codes of Table 3 countries to leave out of the regressions and the specification curve",
        item_choices=("ARM", "AZE", "GEO", "KGZ", "MDA", "TJK", "UZB"),
    ),
    seed=SEED,
    boot_draws=BOOTSTRAP_DRAWS,
    curve_p_method=Parameter(
        str,
        "p-values of the specification curve: exact permutation or classical t test",
        choices=("permutation", "classical"),
    ),
    gdp_pc_source=Parameter(
        str,
        "GDP per capita of the chapter's model and of the curve's per-capita family: "
        "Table 1's (IMF database of April 2006, no year printed) or the World Bank's for "
        "2003, the year of Table 3's shares (GDP / population)",
        choices=("table1", "world_bank_2003"),
    ),
)

_ABOUT_MULTIPLE = Parameter(
    float,
    "width of the band drawn around an 'about X' figure, in multiples of the rounding "
    "its printed digits allow (1: 'about 0.2' is 0.15-0.25; 0: a point)",
    minimum=0,
    maximum=10,
)

declare(
    "transit",
    open_cap=Parameter(
        float,
        "an open-ended 'over X' figure is drawn from X up to this multiple of X, since the paper gives no upper end",
        minimum=1.1,
        maximum=10,
    ),
    about_multiple=_ABOUT_MULTIPLE,
)

declare(
    "trafficking",
    about_multiple=_ABOUT_MULTIPLE,
    include_total=Parameter(
        bool,
        "draw the regional 5-15 million range, and the share it implies for Russia, "
        "beside the two country figures (False shows these on their own scale)",
    ),
)

declare(
    "brain-drain",
    horizon_years=Parameter(
        int,
        "years over which the IT sector's stated annual growth rate is compounded in the figure",
        minimum=1,
        maximum=50,
    ),
)

declare(
    "survival-development",
    about_multiple=_ABOUT_MULTIPLE,
    compare_countries=Parameter(
        list,
        "ISO3 codes of Table 2 countries whose migrant workers abroad scale the "
        "'about 4,000' workplaces (the paper places the firms in Uzbekistan but "
        "calls their workers Kyrgyz)",
        item_choices=("ARM", "AZE", "GEO", "KGZ", "MDA", "TJK", "UKR", "UZB", "RUS"),
    ),
)

declare(
    "common-labour-market",
    include_non_cis_partners=Parameter(
        bool,
        "show Slovakia, South Korea and Turkey, the non-CIS partners of bilateral agreements, in the network figure",
    ),
    groupings=Parameter(
        list,
        "organisations and instruments whose members or parties form the columns of the membership figure",
        item_choices=(
            "CIS",
            "EurAsEC",
            "GUAM",
            "IALM (2003)",
            "EurAsEC visa-free agreement (2005)",
            "Uzbekistan-Kazakhstan-Kyrgyzstan agreement (2000)",
            "Common Economic Space (project)",
        ),
    ),
)

declare(
    "conclusions",
    spheres=Parameter(
        list,
        "spheres of the paper's recommendations to show",
        item_choices=("labor migration management", "transit migration", "brain drain", "migrant remittances"),
    ),
)

# The edition labels of analysis.data.external.panel_data.POPULATION_EDITIONS (the World Bank's first).
_POPULATION = Parameter(
    str,
    "population series that scales aid per person to aid and divides GDP into GDP per capita: "
    "the World Bank's SP.POP.TOTL or UN DESA's World Population Prospects 2024 (which counts "
    "Transnistria in Moldova); the other is shown as a sensitivity",
    choices=("WDI via datasets/population 425fc44", "UN WPP 2024"),
)

declare(
    "remittances-after-2006",
    countries=Parameter(
        list,
        "ISO3 codes of the remittance-receiving CIS states shown and used in P1 (not Russia, "
        "whose GDP is a regressor of P1)",
        item_choices=tuple(code for code in CIS if code != "RUS"),
    ),
    start=Parameter(int, "first year shown and used in P1", minimum=1990, maximum=2023),
    end=Parameter(int, "last year shown and used in P1", minimum=1990, maximum=2023),
    shock_years=Parameter(
        list,
        'years marked as shocks, written as strings (e.g. "2009"); each is compared with the year before',
        item_choices=tuple(str(year) for year in range(1991, 2024)),
    ),
    population=_POPULATION,
)

declare(
    "where-migrants-went",
    origins=Parameter(
        list,
        "ISO3 codes of the CIS countries of origin shown (not Russia, the destination whose share is measured)",
        item_choices=tuple(code for code in CIS if code != "RUS"),
    ),
    reference_year=Parameter(
        int,
        "year of the UN DESA shares set against Table 2's statements (a year both editions cover)",
        choices=(1990, 1995, 2000, 2005, 2010, 2015, 2020),
    ),
    about_half_band=Parameter(float, "'about half' read as 50 +/- this many percentage points", minimum=1, maximum=50),
    top_destinations=Parameter(
        int, "destinations named in the corridor figure; the rest form one column", minimum=1, maximum=15
    ),
)

declare(
    "data-revisions",
    year=Parameter(
        int,
        "year of the editions' values set beside the paper's 2003 figures and used in the re-fitted cross-sections",
        minimum=1995,
        maximum=2012,
    ),
    gdp_edition=Parameter(
        str, "edition of GDP in the re-fitted cross-sections", choices=("WDI 2025", "WDI via datasets/gdp 822019c")
    ),
    p2_start=Parameter(int, "first year of the year-by-year cross-section P2", minimum=1995, maximum=2023),
    p2_end=Parameter(int, "last year of the year-by-year cross-section P2", minimum=1995, maximum=2023),
    seed=SEED,
    boot_draws=BOOTSTRAP_DRAWS,
    population=_POPULATION,
)

declare(
    "cis-in-the-world",
    start=Parameter(int, "first year of the ranks and of the world regressions", minimum=1990, maximum=2023),
    end=Parameter(
        int,
        "last year of the ranks and of the world regressions; the CIS states are set against the "
        "world relation of this year",
        minimum=1990,
        maximum=2023,
    ),
    income_measure=Parameter(
        str,
        "GDP per capita of the regressions: at purchasing power parity (WDI 2025, constant "
        "2021 international $) or in current US$ (WDI 2025 GDP over World Bank population)",
        choices=("ppp", "usd"),
    ),
    min_population=Parameter(
        float,
        "economies with fewer people that year (World Bank population) are left out of "
        "the ranks and regressions; 0 keeps every economy with data",
        minimum=0,
        maximum=50_000_000,
    ),
    fixed_effects=Parameter(
        str, "fixed effects of the panel models P4 and P5", choices=("country+year", "country", "year", "none")
    ),
    seed=SEED,
    sample_draws=Parameter(
        int, "random samples of seven economies against which chapter 5's slopes are set", minimum=999, maximum=100_000
    ),
    group_draws=Parameter(
        int, "random groups of economies behind P5's randomization p-value", minimum=99, maximum=9_999
    ),
)

declare(
    "common-labour-market-realised",
    treated=Parameter(
        list, "ISO3 codes of the members that joined the EAEU in 2015 to study", item_choices=("ARM", "KGZ")
    ),
    outcomes=Parameter(
        list,
        "outcomes: remittances as % of GDP ('share') and the log of remittances in US$ ('log_usd')",
        item_choices=("share", "log_usd"),
    ),
    donor_pools=Parameter(
        list,
        "donor pools of the synthetic control: the world without the post-Soviet states, "
        "and the Russia-dependent non-members",
        item_choices=("world", "russia_dependent"),
    ),
    start=Parameter(
        int, "first pre-treatment year (Uzbekistan's remittances start in 2005)", minimum=2000, maximum=2012
    ),
    treatment_year=Parameter(int, "first treated year of both members", minimum=2010, maximum=2018),
    placebo_year=Parameter(
        int, "fake treatment year of the in-time placebo (before the treatment year)", minimum=2003, maximum=2017
    ),
    end=Parameter(int, "last year compared (2019 keeps the pandemic and 2022 out)", minimum=2012, maximum=2023),
    min_population=Parameter(
        float, "smallest population (World Bank) of a world-pool donor in every year", minimum=0, maximum=50_000_000
    ),
)

# The audit appendix (book/appendix-audit): the fields of analysis.audit.reading_rules.Settings, whose own check
# parameter_rules applies too. Not imported here, since every chapter imports this module and the audit is large;
# tests/book/test_parameters.py holds the two to the same bounds and choices.
declare(
    "audit",
    rounding_tolerance=Parameter(
        float,
        "a recomputed share matches a printed one within this many percentage "
        "points (half a unit of the one decimal Table 3 prints)",
        above=0,
        maximum=1,
    ),
    about_half_margin_pp=Parameter(
        float, "'about half' read as 50% plus or minus this many points", above=0, maximum=50
    ),
    overwhelming_share_pct=Parameter(
        float, "'the overwhelming part' read as at least this share, in percent", above=50, maximum=100
    ),
    disparity_ratio=Parameter(
        float, "'dramatic disparities': the richest GDP per capita at least this many times the poorest", above=1
    ),
    gdp_revision_tolerance=Parameter(
        float, "relative gap allowed between a GDP implied by the paper and WDI's GDP", above=0, maximum=1
    ),
    demography_start=Parameter(
        int, "first year of the demographic trends set against the paper's statements", minimum=1990, maximum=2023
    ),
    demography_end=Parameter(int, "last year of those trends", minimum=1990, maximum=2023),
    range_reading=Parameter(
        str,
        "how two ranges of one table combine into a share: low with low and high with "
        "high, the midpoint deciding ('matched'), or the widest range ('outer')",
        choices=("matched", "outer"),
    ),
)
