"""Rules that tie a parameter to another one, or to the data, checked before any kernel starts.

``compendium.parameters`` declares what each value may be on its own; a rule
here says what two values, or a value and the data, must satisfy together
(a first year before a last one; enough countries left after ``leave_out``).
``parameters.validate`` and ``runs.resolve_parameters`` apply them, the latter
with the notebook's defaults filled in, so that a combination the chapter
cannot compute fails at once with the parameters named.
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.errors import ParameterError

# A rule reads the values it names and returns why they cannot go together, or None.
Rule = tuple[tuple[str, ...], Callable[..., str | None]]


def _first_before_last(first: str, last: str, *, strictly: bool, why: str) -> Rule:
    def rule(first_year: int, last_year: int) -> str | None:
        if first_year < last_year or (first_year == last_year and not strictly):
            return None
        order = "before" if strictly else "no later than"
        return f"{first}={first_year} must be {order} {last}={last_year}: {why}"

    return (first, last), rule


def _trends_countries_left(leave_out: list) -> str | None:
    from analysis.chapters import trends
    from analysis.data import paper

    left = sorted(set(paper.table1()["iso3"]) - set(leave_out))
    if len(left) < trends.MIN_COUNTRIES:
        return (
            f"leave_out={leave_out} leaves {len(left)} of Table 1's countries ({', '.join(left) or 'none'}); "
            f"the figure needs at least {trends.MIN_COUNTRIES}."
        )
    return None


def _remittances_countries_left(leave_out: list) -> str | None:
    from analysis.data import paper
    from analysis.models import regression

    levels = paper.table3_levels()
    # The BOP models are the smallest sample (Uzbekistan has no BOP value), and the leave-one-out
    # refits of each model must still keep MIN_N countries.
    with_bop = set(levels.loc[levels["remittances_bop_2003_musd"].notna(), "iso3"])
    left = sorted(with_bop - set(leave_out))
    needed = regression.MIN_N + 1
    if len(left) < needed:
        return (
            f"leave_out={leave_out} leaves {len(left)} Table 3 countries with a BOP value "
            f"({', '.join(left) or 'none'}); the chapter's models and their leave-one-out refits need at "
            f"least {needed}. Leave out fewer countries."
        )
    return None


def _at_least(name: str, count: int, why: str) -> Rule:
    def rule(values: list) -> str | None:
        return None if len(set(values)) >= count else f"{name}={values} holds {len(set(values))}; {why}"

    return (name,), rule


AUDIT_SETTINGS = (
    "rounding_tolerance",
    "about_half_margin_pp",
    "overwhelming_share_pct",
    "disparity_ratio",
    "gdp_revision_tolerance",
    "demography_start",
    "demography_end",
    "range_reading",
)


def _audit_settings(*values) -> str | None:
    """The audit's own check of its settings, so that a run is refused what the appendix would refuse."""
    from analysis.audit.reading_rules import Settings

    try:
        Settings(**dict(zip(AUDIT_SETTINGS, values)))
    except ParameterError as error:
        return str(error)
    return None


RULES: dict[str, list[Rule]] = {
    "audit": [
        _first_before_last(
            "demography_start",
            "demography_end",
            strictly=True,
            why="the demographic trends run from the first year to the last.",
        ),
        (AUDIT_SETTINGS, _audit_settings),
    ],
    "trends": [(("leave_out",), _trends_countries_left)],
    "remittances": [(("leave_out",), _remittances_countries_left)],
    "survival-development": [_at_least("compare_countries", 1, "give at least one Table 2 country.")],
    "remittances-after-2006": [
        _first_before_last(
            "start", "end", strictly=True, why="P1 compares years within each country, so it needs at least two."
        ),
        _at_least("countries", 2, "P1 needs at least 2 countries."),
    ],
    "where-migrants-went": [_at_least("origins", 1, "give at least one country of origin.")],
    "data-revisions": [
        _first_before_last("p2_start", "p2_end", strictly=False, why="P2 runs from the first year to the last.")
    ],
}


def check(chapter: str, values: dict) -> None:
    """Apply the chapter's rules whose parameters are all in ``values``; raises ParameterError naming them."""
    for names, rule in RULES.get(chapter, []):
        if all(name in values for name in names):
            problem = rule(*(values[name] for name in names))
            if problem:
                raise ParameterError(f"parameters {', '.join(map(repr, names))} of chapter {chapter!r}: {problem}")
