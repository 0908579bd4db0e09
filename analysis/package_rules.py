"""The loaders' own rules, applied to every file of the data package by ``check`` and ``rehash``.

A schema cannot say that a printed range has low <= high, that a printed
country name resolves to an ISO code, or that a measure addresses a problem
the text names; the loaders check these. ``check`` and ``rehash`` run the
loaders themselves, so that they apply exactly the rules the book applies,
and a file that breaks one is never blessed with a new hash.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable

from analysis.errors import CompendiumError


def loaders() -> dict[str, Callable[[Path], object]]:
    """Resource name -> the loader that applies its rules (called with the descriptor's path)."""
    from analysis import audit, paper, remittances, trends
    from analysis import paper_text_data as text
    from analysis.datapackage import resource_path

    return {
        **{name: partial(paper.load_table, name)
           for name in (paper.TABLE1, paper.TABLE2, paper.TABLE3_LEVELS, paper.TABLE3_SHARES)},
        trends.UN2005: trends.un2005_immigrant_stocks,
        remittances.STATEMENTS: remittances.statements,
        text.TRANSIT: text.transit,
        text.TRAFFICKING: text.trafficking_measures,
        text.IRREGULAR: text.irregular_estimates,
        text.BRAIN_DRAIN: text.brain_drain,
        text.SURVEY: text.survey_findings,
        text.COOPERATION: text.cooperation_parties,  # the bilateral rule, then every party's name
        text.MEMBERSHIPS: text.memberships,
        text.RECOMMENDATIONS: text.recommendations,
        audit.CLAIMS_RESOURCE: lambda descriptor: audit.read_ledger(resource_path(audit.CLAIMS_RESOURCE, descriptor)),
    }


def rule_problems(name: str, descriptor: Path) -> list[str]:
    """What the resource's loader refuses in its file (an empty list when it accepts it)."""
    loader = loaders().get(name)
    if loader is None:
        return [f"resource {name!r} has no loader in analysis.package_rules.loaders(), so no rule beyond its schema "
                "checks it. Add the function that loads it there."]
    try:
        loader(descriptor)
    except CompendiumError as error:
        return [str(error)]
    return []
