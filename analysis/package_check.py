"""Check and rehash the data package with the loaders' own rules.

A schema cannot say that a printed range has low <= high, that a printed
country name resolves to an ISO code, or that a measure addresses a problem
the text names; the loaders check these. ``check`` and ``rehash`` run the
loaders themselves, so that they apply exactly the rules the book applies,
and a file that breaks one is never blessed with a new hash. This module sits
above the loaders (data, chapters, audit), which is why it is not part of
:mod:`analysis.data.datapackage`.

``python -m analysis.package_check [check|rehash] [DESCRIPTOR]``; neither prints a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from analysis import audit, paths
from analysis.audit import ledger, text_quantities
from analysis.chapters import remittances, trends
from analysis.data import paper
from analysis.data import statements as text
from analysis.data.datapackage import (
    HASH_PREFIX,
    _hash_mismatch,
    _hashes_under_check,
    _missing_file,
    _resource_file,
    _schema_errors,
    _schema_failure,
    load_descriptor,
    resource_path,
)
from analysis.errors import CompendiumError, DataValidationError
from analysis.files import file_sha256, write_atomically


def loaders() -> dict[str, Callable[[Path], object]]:
    """Resource name -> the loader that applies its rules (called with the descriptor's path)."""
    return {
        **{
            name: partial(paper.load_table, name)
            for name in (paper.TABLE1, paper.TABLE2, paper.TABLE3_LEVELS, paper.TABLE3_SHARES)
        },
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
        text_quantities.EXCLUSIONS_RESOURCE: text_quantities.read_exclusions,
        ledger.CLAIMS_RESOURCE: lambda descriptor: audit.read_ledger(resource_path(ledger.CLAIMS_RESOURCE, descriptor)),
    }


def rule_problems(name: str, descriptor: Path) -> list[str]:
    """What the resource's loader refuses in its file (an empty list when it accepts it)."""
    loader = loaders().get(name)
    if loader is None:
        return [
            f"resource {name!r} has no loader in analysis.package_check.loaders(), so no rule beyond its schema "
            "checks it. Add the function that loads it there."
        ]
    try:
        loader(descriptor)
    except CompendiumError as error:
        return [str(error)]
    return []


def package_problems(descriptor: Path = paths.DATAPACKAGE, recorded_hashes: bool = True) -> dict[str, list[str]]:
    """Every problem of every resource: its path, its schema, its loader's rules and (optionally) its hash.

    Resource name -> problems (empty when the file is sound). The loaders' rules
    run on the file's current bytes, so that ``rehash`` can check a file before
    its hash is recorded; ``recorded_hashes`` then also compares the recorded hash.
    """
    descriptor = Path(descriptor)
    resources = load_descriptor(descriptor)["resources"]
    problems: dict[str, list[str]] = {}
    current: dict[str, str] = {}
    for resource in resources:
        name, found = resource["name"], problems.setdefault(resource["name"], [])
        try:
            path = _resource_file(resource, descriptor)
            if not path.is_file():
                raise _missing_file(name, path)
        except CompendiumError as error:
            found.append(str(error))
            continue
        current[name] = file_sha256(path)
        schema = _schema_errors(resource, path, current[name])
        if schema:
            found.append(str(_schema_failure(path, descriptor, schema)))
            del current[name]  # the rules would only trip over the same findings
        elif recorded_hashes and resource.get("hash", "").removeprefix(HASH_PREFIX) != current[name]:
            found.append(
                str(_hash_mismatch(path, descriptor, current[name], resource.get("hash", "").removeprefix(HASH_PREFIX)))
            )
    under_check = {str(_resource_file(r, descriptor)): current[r["name"]] for r in resources if r["name"] in current}
    with _hashes_under_check(under_check):
        for name in current:
            problems[name] += rule_problems(name, descriptor)
    return problems


def _problem_listing(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in problems.items() if found)


def rehash(descriptor: Path = paths.DATAPACKAGE) -> dict[str, str]:
    """Record the current sha256 of every file, once every file passes its schema and rules (maintainers only).

    Nothing is written unless all files pass: a hash records that a file was
    checked, so a file that breaks a rule is never blessed.
    """
    descriptor = Path(descriptor)
    problems = package_problems(descriptor, recorded_hashes=False)
    if any(problems.values()):
        broken = [name for name, found in problems.items() if found]
        raise DataValidationError(
            f"{descriptor}: no hash was recorded, because {len(broken)} file(s) have problems:\n"
            f"{_problem_listing(problems)}\nFix them (or restore them with git checkout), then rehash again."
        )
    package = load_descriptor(descriptor)
    updated = {}
    for resource in package["resources"]:
        digest = file_sha256(_resource_file(resource, descriptor))
        resource["hash"] = HASH_PREFIX + digest
        updated[resource["name"]] = digest
    write_atomically({descriptor: json.dumps(package, indent=2, ensure_ascii=False) + "\n"})
    return updated


def main(arguments: list[str]) -> int:
    """``python -m analysis.package_check [check|rehash] [DESCRIPTOR]``: every problem, one clear message each."""
    command, *rest = arguments or ["check"]
    if command not in ("check", "rehash") or len(rest) > 1:
        print("usage: python -m analysis.package_check [check|rehash] [path/to/datapackage.json]", file=sys.stderr)
        return 2
    descriptor = Path(rest[0]) if rest else paths.DATAPACKAGE
    try:
        if command == "rehash":
            for name, digest in rehash(descriptor).items():
                print(f"{name}: {digest}")
            return 0
        problems = package_problems(descriptor)
    except CompendiumError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    broken = [name for name, found in problems.items() if found]
    if broken:
        print(_problem_listing(problems), file=sys.stderr)
        print(f"{len(broken)} of {len(problems)} data files have problems.", file=sys.stderr)
        return 1
    print(f"verified: {', '.join(problems)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
